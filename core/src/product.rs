//! Product elements: what `data-kago-add` elements ask to put in the cart.

use crate::cart::Item;
use crate::currency::Currency;
use crate::money::Money;
use crate::text::is_web_url;
use std::fmt;

pub const MAX_SKU_LEN: usize = 64;
pub const MAX_TEXT_LEN: usize = 200;

/// A product element's request: the item and how many to add.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductRequest {
    pub item: Item,
    pub quantity: u32,
    /// The line's meta (`Kago.addItem({…, meta})`); empty keeps the line's own.
    pub meta: crate::cart::LineMeta,
}

/// Why a product element adds nothing; names the attribute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProductError {
    Missing {
        attribute: &'static str,
    },
    Invalid {
        attribute: &'static str,
        value: String,
        problem: String,
    },
}

impl fmt::Display for ProductError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProductError::Missing { attribute } => {
                write!(f, "Kago: a data-kago-add element has no {attribute}; nothing was added.")
            }
            ProductError::Invalid { attribute, value, problem } => write!(
                f,
                "Kago: a data-kago-add element has {attribute}=\"{value}\", which {problem}; nothing was added."
            ),
        }
    }
}

impl ProductError {
    /// The same problem worded for `Kago.addItem({...})`, where fields have no `data-` prefix.
    pub fn api_message(&self) -> String {
        let field = |attribute: &str| {
            attribute
                .strip_prefix("data-")
                .unwrap_or(attribute)
                .to_string()
        };
        match self {
            ProductError::Missing { attribute } => {
                format!(
                    "Kago.addItem: the item has no {}; nothing was added.",
                    field(attribute)
                )
            }
            ProductError::Invalid {
                attribute,
                value,
                problem,
            } => format!(
                "Kago.addItem: {}=\"{value}\" {problem}; nothing was added.",
                field(attribute)
            ),
        }
    }
}

/// Reads a product element through `get(attribute name)` (a `dyn` callback: one copy of this
/// code serves both the DOM element and the JS API's object).
pub fn parse_product(
    get: &dyn Fn(&str) -> Option<String>,
    currency: Currency,
    max_quantity: u32,
) -> Result<ProductRequest, ProductError> {
    let text = |attribute: &'static str, max: usize| -> Result<Option<String>, ProductError> {
        let Some(raw) = get(attribute) else {
            return Ok(None);
        };
        let value = raw.trim();
        if value.is_empty() {
            return Err(ProductError::Invalid {
                attribute,
                value: raw,
                problem: "is empty".into(),
            });
        }
        if value.chars().count() > max {
            return Err(ProductError::Invalid {
                attribute,
                value: raw.clone(),
                problem: format!("is longer than {max} characters"),
            });
        }
        Ok(Some(value.to_string()))
    };
    let required = |attribute: &'static str, max: usize| {
        text(attribute, max)?.ok_or(ProductError::Missing { attribute })
    };

    let sku = required("data-sku", MAX_SKU_LEN)?;
    let name = required("data-name", MAX_TEXT_LEN)?;
    let price_text = get("data-price").ok_or(ProductError::Missing {
        attribute: "data-price",
    })?;
    let unit_price = Money::parse_major(&price_text, currency)
        .map_err(|e| ProductError::Invalid {
            attribute: "data-price",
            value: price_text.clone(),
            problem: format!("is not a valid {currency} price: it {e}"),
        })?
        .minor;
    let variant = text("data-variant", MAX_TEXT_LEN)?;
    let image = match text("data-image", 2048)? {
        Some(url) if !is_web_url(&url) => {
            return Err(ProductError::Invalid {
                attribute: "data-image",
                value: url,
                problem: "is not an http(s) URL or a path".into(),
            })
        }
        other => other,
    };
    let quantity = match get("data-quantity") {
        None => 1,
        Some(raw) => raw
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|q| (1..=max_quantity).contains(q))
            .ok_or_else(|| ProductError::Invalid {
                attribute: "data-quantity",
                value: raw.clone(),
                problem: format!("is not a whole number from 1 to {max_quantity}"),
            })?,
    };
    Ok(ProductRequest {
        item: Item {
            sku,
            variant,
            name,
            unit_price,
            image,
        },
        quantity,
        meta: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> Result<ProductRequest, ProductError> {
        let owned: Vec<(String, String)> = pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        parse_product(
            &|name| {
                owned
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.clone())
            },
            Currency::USD,
            99,
        )
    }

    #[test]
    fn a_full_product_element_is_read() {
        let p = parse(&[
            ("data-sku", "TEE-001"),
            ("data-name", " Organic cotton tee "),
            ("data-price", "24.00"),
            ("data-variant", "M / Indigo"),
            ("data-image", "/img/tee.png"),
            ("data-quantity", "2"),
        ])
        .unwrap();
        assert_eq!(p.item.name, "Organic cotton tee");
        assert_eq!(p.item.unit_price, 2400);
        assert_eq!(p.item.variant.as_deref(), Some("M / Indigo"));
        assert_eq!(p.quantity, 2);
    }

    #[test]
    fn bad_product_data_names_the_attribute_and_value() {
        let err = parse(&[
            ("data-sku", "A"),
            ("data-name", "Mug"),
            ("data-price", "1,200"),
        ])
        .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("data-price=\"1,200\""), "{text}");
        assert_eq!(
            parse(&[("data-sku", "A"), ("data-price", "1")]),
            Err(ProductError::Missing {
                attribute: "data-name"
            })
        );
        let err = parse(&[
            ("data-sku", "A"),
            ("data-name", "B"),
            ("data-price", "1"),
            ("data-quantity", "0"),
        ]);
        assert!(matches!(
            err,
            Err(ProductError::Invalid {
                attribute: "data-quantity",
                ..
            })
        ));
        let err = parse(&[
            ("data-sku", "A"),
            ("data-name", "B"),
            ("data-price", "1"),
            ("data-image", "javascript:x"),
        ]);
        assert!(matches!(
            err,
            Err(ProductError::Invalid {
                attribute: "data-image",
                ..
            })
        ));
        let err = parse(&[("data-sku", " "), ("data-name", "B"), ("data-price", "1")]);
        assert!(matches!(
            err,
            Err(ProductError::Invalid {
                attribute: "data-sku",
                ..
            })
        ));
    }

    #[test]
    fn api_messages_name_the_field_without_prefix() {
        let err = parse(&[("data-sku", "A"), ("data-name", "B"), ("data-price", "x")]).unwrap_err();
        assert!(
            err.api_message().starts_with("Kago.addItem: price=\"x\""),
            "{}",
            err.api_message()
        );
    }

    #[test]
    fn markup_in_names_is_kept_as_text() {
        let p = parse(&[
            ("data-sku", "X"),
            ("data-name", "<img src=x onerror=alert(1)>"),
            ("data-price", "1"),
        ])
        .unwrap();
        assert_eq!(p.item.name, "<img src=x onerror=alert(1)>");
    }
}
