//! Product elements: what `data-kago-add` elements ask to put in the cart.

use crate::cart::Item;
use crate::currency::Currency;
use crate::money::{Money, MAX_PRICE_MINOR};
use crate::url::{check_url, ResolveUrl, UrlUse};
use std::fmt;

pub const MAX_SKU_LEN: usize = 64;
pub const MAX_TEXT_LEN: usize = 200;
/// Longest image URL a line keeps.
pub const MAX_URL_LEN: usize = 2048;

/// A product element's request: the item and how many to add.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductRequest {
    pub item: Item,
    pub quantity: u32,
    /// The line's meta (`Kago.addItem({…, meta})`); empty keeps the line's own.
    pub meta: crate::cart::LineMeta,
    /// Optional attributes that were bad and left out (the item is added without them), each a
    /// [`ProductError::LeftOut`] for the console.
    pub left_out: Vec<ProductError>,
}

/// Why a product element adds nothing, or (`LeftOut`) adds without one of its optional
/// attributes; names the attribute.
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
    /// A bad optional attribute (`data-image`, `data-variant`): the product is added without it.
    LeftOut {
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
            ProductError::LeftOut { attribute, value, problem } => write!(
                f,
                "Kago: a data-kago-add element has {attribute}=\"{value}\", which {problem}; the product was added without it."
            ),
        }
    }
}

impl ProductError {
    /// The value and its problem, without what became of the product (`image="…" is empty`).
    pub fn problem(&self) -> String {
        let field = |attribute: &str| {
            attribute
                .strip_prefix("data-")
                .unwrap_or(attribute)
                .to_string()
        };
        match self {
            ProductError::Missing { attribute } => format!("has no {}", field(attribute)),
            ProductError::Invalid {
                attribute,
                value,
                problem,
            }
            | ProductError::LeftOut {
                attribute,
                value,
                problem,
            } => format!("has {}=\"{value}\", which {problem}", field(attribute)),
        }
    }

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
            ProductError::LeftOut {
                attribute,
                value,
                problem,
            } => format!(
                "Kago.addItem: {}=\"{value}\" {problem}; the item was added without it.",
                field(attribute)
            ),
        }
    }
}

/// The value of a text attribute, trimmed: refused when empty or longer than `max` characters.
fn text_rule(attribute: &'static str, raw: &str, max: usize) -> Result<String, ProductError> {
    let value = raw.trim();
    let problem = if value.is_empty() {
        "is empty".to_string()
    } else if value.chars().count() > max {
        format!("is longer than {max} characters")
    } else {
        return Ok(value.to_string());
    };
    Err(ProductError::Invalid {
        attribute,
        value: raw.to_string(),
        problem,
    })
}

/// An image URL by the image rule (`crate::url`), as the absolute URL to load.
fn image_rule(raw: &str, urls: &dyn ResolveUrl) -> Result<Option<String>, ProductError> {
    let url = text_rule("data-image", raw, MAX_URL_LEN)?;
    check_url(&url, UrlUse::Image, urls)
        .map(Some)
        .map_err(|problem| ProductError::Invalid {
            attribute: "data-image",
            value: url,
            problem: problem.to_string(),
        })
}

/// An optional attribute's value, or `None` with the reason added to `left_out`.
fn optional(
    found: Result<Option<String>, ProductError>,
    left_out: &mut Vec<ProductError>,
) -> Option<String> {
    match found {
        Ok(value) => value,
        Err(ProductError::Invalid {
            attribute,
            value,
            problem,
        }) => {
            left_out.push(ProductError::LeftOut {
                attribute,
                value,
                problem,
            });
            None
        }
        Err(other) => {
            left_out.push(other);
            None
        }
    }
}

/// Checks an item that did not come from a product element (a line of the saved cart, which
/// anything on the page could have written) by the same rules: a bad sku, name or price refuses
/// it, a bad variant or image is left out (listed in the returned problems).
pub fn recheck_item(
    item: &mut Item,
    urls: &dyn ResolveUrl,
) -> Result<Vec<ProductError>, ProductError> {
    item.sku = text_rule("data-sku", &item.sku, MAX_SKU_LEN)?;
    item.name = text_rule("data-name", &item.name, MAX_TEXT_LEN)?;
    if !(0..=MAX_PRICE_MINOR).contains(&item.unit_price) {
        return Err(ProductError::Invalid {
            attribute: "data-price",
            value: item.unit_price.to_string(),
            problem: "is out of range".into(),
        });
    }
    let mut left_out = Vec::new();
    let variant = item
        .variant
        .take()
        .map(|v| text_rule("data-variant", &v, MAX_TEXT_LEN));
    item.variant = optional(variant.transpose(), &mut left_out);
    let image = item.image.take().map(|url| image_rule(&url, urls));
    item.image = optional(image.transpose().map(Option::flatten), &mut left_out);
    Ok(left_out)
}

/// Reads a product element through `get(attribute name)` (a `dyn` callback: one copy of this
/// code serves both the DOM element and the JS API's object). A bad required attribute (sku,
/// name, price) or quantity adds nothing; a bad optional one (variant, image) is left out and
/// listed in [`ProductRequest::left_out`]. The image is resolved against the page (`urls`).
pub fn parse_product(
    get: &dyn Fn(&str) -> Option<String>,
    currency: Currency,
    max_quantity: u32,
    urls: &dyn ResolveUrl,
) -> Result<ProductRequest, ProductError> {
    let text = |attribute: &'static str, max: usize| -> Result<Option<String>, ProductError> {
        get(attribute)
            .map(|raw| text_rule(attribute, &raw, max))
            .transpose()
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
    let mut left_out = Vec::new();
    let variant = optional(text("data-variant", MAX_TEXT_LEN), &mut left_out);
    let image = get("data-image").and_then(|url| optional(image_rule(&url, urls), &mut left_out));
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
        left_out,
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
            &crate::url::tests::Page,
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
        assert_eq!(
            p.item.image.as_deref(),
            Some("http://shop.example/img/tee.png"),
            "resolved against the page, so it points there from any page"
        );
        assert_eq!(p.quantity, 2);
        assert_eq!(p.left_out, vec![]);
    }

    #[test]
    fn relative_and_protocol_relative_images_are_what_shops_write() {
        for (image, href) in [
            ("img/tote.png", "http://shop.example/products/img/tote.png"),
            ("../img/tote.png", "http://shop.example/img/tote.png"),
            ("//cdn.example.com/x.jpg", "http://cdn.example.com/x.jpg"),
        ] {
            let p = parse(&[
                ("data-sku", "TOTE"),
                ("data-name", "Tote"),
                ("data-price", "32"),
                ("data-image", image),
            ])
            .unwrap();
            assert_eq!(p.item.image.as_deref(), Some(href), "{image}");
        }
    }

    #[test]
    fn a_bad_image_or_variant_is_left_out_and_the_product_still_added() {
        let p = parse(&[
            ("data-sku", "APRON"),
            ("data-name", "Linen apron"),
            ("data-price", "28"),
            ("data-image", "/\\evil.example/x"),
            ("data-variant", ""),
        ])
        .unwrap();
        assert_eq!((p.item.image, p.item.variant), (None, None));
        let said: Vec<String> = p.left_out.iter().map(ToString::to_string).collect();
        assert_eq!(
            said,
            [
                "Kago: a data-kago-add element has data-variant=\"\", which is empty; the product was added without it.",
                "Kago: a data-kago-add element has data-image=\"/\\evil.example/x\", which looks like a path on this site, but the browser reads it as http://evil.example/x, another site; the product was added without it.",
            ]
        );
        assert_eq!(
            p.left_out[0].api_message(),
            "Kago.addItem: variant=\"\" is empty; the item was added without it."
        );
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
        let added = parse(&[
            ("data-sku", "A"),
            ("data-name", "B"),
            ("data-price", "1"),
            ("data-image", "javascript:x"),
        ])
        .unwrap();
        assert_eq!(added.item.image, None);
        assert!(matches!(
            added.left_out[..],
            [ProductError::LeftOut {
                attribute: "data-image",
                ..
            }]
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
