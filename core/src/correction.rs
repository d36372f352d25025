//! The order endpoint's corrections. The endpoint prices every order from its own catalog (the
//! page's prices are the shopper's to edit); when the order it got differs, it answers what
//! changed instead of storing it, and the widget applies that to the cart, tells the shopper
//! and asks for one more tap on "Place order" (README, "Trusting the order"):
//!
//! - `409 {"error": "prices_changed", "items": [{"sku", "variant", "unit_price"}], "shipping"?: {"id", "price"}}`
//! - `409 {"error": "unavailable", "items": [{"sku", "variant", "available"}]}`
//! - `422 {"error": "code_invalid"}`

use crate::cart::Cart;
use crate::checkout::Draft;
use crate::events::CorrectionKind;
use crate::i18n::{fill, Strings};
use serde::{Deserialize, Serialize};

/// A line's price as the endpoint has it, in minor units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceChange {
    pub sku: String,
    #[serde(default)]
    pub variant: Option<String>,
    pub unit_price: i64,
}

/// What the endpoint charges for shipping this order with the method `id`, in minor units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShippingPrice {
    pub id: String,
    pub price: i64,
}

/// How many units of a line the shop can sell now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Availability {
    pub sku: String,
    #[serde(default)]
    pub variant: Option<String>,
    pub available: u32,
}

/// A correction the widget understands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Correction {
    PricesChanged {
        items: Vec<PriceChange>,
        shipping: Option<ShippingPrice>,
    },
    Unavailable {
        items: Vec<Availability>,
    },
    CodeInvalid,
}

/// The answer's body as sent: one flat shape for the three kinds (what each kind needs is
/// checked when it is read).
#[derive(Default, Serialize, Deserialize)]
struct Body {
    error: String,
    /// Always there for the two 409 answers, even empty; never for `code_invalid`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    items: Option<Vec<BodyItem>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    shipping: Option<ShippingPrice>,
}

#[derive(Serialize, Deserialize)]
struct BodyItem {
    sku: String,
    #[serde(default)]
    variant: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    unit_price: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    available: Option<u32>,
}

impl Correction {
    /// The HTTP status the endpoint answers it with.
    pub fn status(&self) -> u16 {
        match self {
            Correction::CodeInvalid => 422,
            _ => 409,
        }
    }

    /// The answer's JSON body.
    pub fn to_body(&self) -> serde_json::Value {
        let body = match self {
            Correction::PricesChanged { items, shipping } => Body {
                error: "prices_changed".into(),
                items: Some(
                    items
                        .iter()
                        .map(|i| BodyItem {
                            sku: i.sku.clone(),
                            variant: i.variant.clone(),
                            unit_price: Some(i.unit_price),
                            available: None,
                        })
                        .collect(),
                ),
                shipping: shipping.clone(),
            },
            Correction::Unavailable { items } => Body {
                error: "unavailable".into(),
                items: Some(
                    items
                        .iter()
                        .map(|i| BodyItem {
                            sku: i.sku.clone(),
                            variant: i.variant.clone(),
                            unit_price: None,
                            available: Some(i.available),
                        })
                        .collect(),
                ),
                shipping: None,
            },
            Correction::CodeInvalid => Body {
                error: "code_invalid".into(),
                ..Body::default()
            },
        };
        serde_json::to_value(body).unwrap_or_default()
    }

    /// The funnel's name for it (`order_corrected`'s `correction`).
    pub fn kind(&self) -> CorrectionKind {
        match self {
            Correction::PricesChanged { .. } => CorrectionKind::PricesChanged,
            Correction::Unavailable { .. } => CorrectionKind::Unavailable,
            Correction::CodeInvalid => CorrectionKind::CodeInvalid,
        }
    }

    /// Applies the correction to the cart and the draft, and says what changed for the
    /// shopper. `shipping_was` is the shipping price the shopper was shown. No notice means
    /// nothing changed: sending the same order again cannot help.
    pub fn apply(&self, cart: &mut Cart, draft: &mut Draft, shipping_was: i64) -> Vec<Notice> {
        match self {
            Correction::PricesChanged { items, shipping } => {
                let mut notices = cart.apply_prices(items);
                // The endpoint's shipping price counts for the method the shopper chose.
                if let Some(price) = shipping
                    .as_ref()
                    .filter(|p| Some(p.id.as_str()) == draft.shipping_method.as_deref())
                {
                    if price.price != shipping_was {
                        notices.push(Notice::Shipping {
                            was: shipping_was,
                            now: price.price,
                        });
                    }
                    draft.shipping_price = Some(price.clone());
                }
                notices
            }
            Correction::Unavailable { items } => cart.apply_availability(items),
            Correction::CodeInvalid => match draft.discount_code.take() {
                Some(code) => vec![Notice::CodeRemoved { code }],
                None => Vec::new(),
            },
        }
    }

    /// Reads a `409`/`422` answer; `None` when it is not a correction Kago understands (the
    /// answer is then an ordinary refusal).
    pub fn read(status: u16, body: &str) -> Option<Correction> {
        let body: Body = serde_json::from_str(body).ok()?;
        let items = body.items.unwrap_or_default();
        let correction = match (status, body.error.as_str()) {
            (409, "prices_changed") => Correction::PricesChanged {
                items: items
                    .into_iter()
                    .map(|i| {
                        Some(PriceChange {
                            unit_price: i.unit_price.filter(|p| *p >= 0)?,
                            sku: i.sku,
                            variant: i.variant,
                        })
                    })
                    .collect::<Option<_>>()?,
                shipping: body.shipping.filter(|s| s.price >= 0),
            },
            (409, "unavailable") => Correction::Unavailable {
                items: items
                    .into_iter()
                    .map(|i| {
                        Some(Availability {
                            available: i.available?,
                            sku: i.sku,
                            variant: i.variant,
                        })
                    })
                    .collect::<Option<_>>()?,
            },
            (422, "code_invalid") => Correction::CodeInvalid,
            _ => return None,
        };
        Some(correction)
    }
}

/// One change the shopper is told about before confirming again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// "Linen shirt (M) is now ¥4,500 (was ¥4,800)."
    Price { label: String, was: i64, now: i64 },
    /// "Shipping is now ¥800 (was ¥500)."
    Shipping { was: i64, now: i64 },
    /// "Only 2 of Linen shirt (M) are left: your cart has 2."
    Reduced { label: String, now: u32 },
    /// "Linen shirt (M) is sold out and left your cart."
    SoldOut { label: String },
    /// The shop does not accept the code: it is taken off, with a wrong code's message.
    CodeRemoved { code: String },
}

impl Notice {
    /// The sentence the shopper reads; `money` formats an amount in minor units.
    pub fn message(&self, t: &Strings, money: impl Fn(i64) -> String) -> String {
        match self {
            Notice::Price { label, was, now } => fill(
                t.price_changed,
                &[
                    ("item", label),
                    ("now", &money(*now)),
                    ("was", &money(*was)),
                ],
            ),
            Notice::Shipping { was, now } => fill(
                t.shipping_changed,
                &[("now", &money(*now)), ("was", &money(*was))],
            ),
            Notice::Reduced { label, now } => fill(
                t.stock_reduced,
                &[("item", label), ("count", &now.to_string())],
            ),
            Notice::SoldOut { label } => fill(t.sold_out, &[("item", label)]),
            Notice::CodeRemoved { .. } => t.code_unknown.to_string(),
        }
    }
}

impl Cart {
    /// Takes the endpoint's prices for the lines it names (others, and lines no longer in the
    /// cart, are left as they are); what changed, for the shopper.
    pub fn apply_prices(&mut self, changes: &[PriceChange]) -> Vec<Notice> {
        let mut notices = Vec::new();
        for change in changes {
            let Some(line) = self.line_mut(&change.sku, change.variant.as_deref()) else {
                continue;
            };
            if line.unit_price != change.unit_price {
                notices.push(Notice::Price {
                    label: line.label(),
                    was: line.unit_price,
                    now: change.unit_price,
                });
                line.unit_price = change.unit_price;
            }
        }
        notices
    }

    /// Caps each named line at what the shop can sell (a line with none left goes).
    pub fn apply_availability(&mut self, available: &[Availability]) -> Vec<Notice> {
        let mut notices = Vec::new();
        for limit in available {
            let Some(line) = self.line_mut(&limit.sku, limit.variant.as_deref()) else {
                continue;
            };
            if line.quantity <= limit.available {
                continue;
            }
            let (id, label) = (line.id, line.label());
            if limit.available == 0 {
                self.remove_line(id);
                notices.push(Notice::SoldOut { label });
            } else {
                line.quantity = limit.available;
                notices.push(Notice::Reduced {
                    label,
                    now: limit.available,
                });
            }
        }
        notices
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cart::Item;

    fn cart() -> Cart {
        let mut cart = Cart::default();
        for (sku, variant, price, quantity) in [
            ("SHIRT", Some("M"), 4800, 2),
            ("SOCKS", None, 900, 3),
            ("CAP", None, 2500, 1),
        ] {
            let item = Item {
                sku: sku.into(),
                variant: variant.map(Into::into),
                name: format!("{sku} name"),
                unit_price: price,
                image: None,
            };
            cart.add_line(item, quantity).unwrap();
        }
        cart
    }

    #[test]
    fn the_three_answers_read_back_as_they_were_written() {
        let all = [
            Correction::PricesChanged {
                items: vec![PriceChange {
                    sku: "SHIRT".into(),
                    variant: Some("M".into()),
                    unit_price: 4500,
                }],
                shipping: Some(ShippingPrice {
                    id: "std".into(),
                    price: 800,
                }),
            },
            Correction::Unavailable {
                items: vec![Availability {
                    sku: "CAP".into(),
                    variant: None,
                    available: 0,
                }],
            },
            Correction::CodeInvalid,
        ];
        for correction in all {
            let read = Correction::read(correction.status(), &correction.to_body().to_string());
            assert_eq!(read, Some(correction));
        }
        let body =
            r#"{"error":"prices_changed","items":[{"sku":"A","variant":null,"unit_price":100}]}"#;
        assert!(matches!(
            Correction::read(409, body),
            Some(Correction::PricesChanged { shipping: None, .. })
        ));
    }

    fn draft_with(method: &str, code: Option<&str>) -> Draft {
        Draft {
            shipping_method: Some(method.into()),
            discount_code: code.map(Into::into),
            ..Draft::default()
        }
    }

    #[test]
    fn a_price_correction_updates_lines_and_the_chosen_methods_shipping() {
        let (mut cart, mut draft) = (cart(), draft_with("std", Some("SALE")));
        let correction = Correction::PricesChanged {
            items: vec![PriceChange {
                sku: "CAP".into(),
                variant: None,
                unit_price: 2000,
            }],
            shipping: Some(ShippingPrice {
                id: "std".into(),
                price: 800,
            }),
        };
        let notices = correction.apply(&mut cart, &mut draft, 500);
        assert_eq!(
            notices,
            [
                Notice::Price {
                    label: "CAP name".into(),
                    was: 2500,
                    now: 2000
                },
                Notice::Shipping { was: 500, now: 800 }
            ]
        );
        assert_eq!(draft.shipping_price.as_ref().map(|p| p.price), Some(800));
        assert_eq!(
            draft.discount_code.as_deref(),
            Some("SALE"),
            "the code stays"
        );

        // A shipping price for another method than the one chosen is not taken.
        let mut other = draft_with("express", None);
        let notices = correction.apply(&mut cart, &mut other, 500);
        assert!(
            notices.is_empty(),
            "the cap already costs 2000: {notices:?}"
        );
        assert_eq!(other.shipping_price, None);
    }

    #[test]
    fn a_refused_code_is_taken_off_and_nothing_changed_says_nothing() {
        let (mut cart, mut draft) = (cart(), draft_with("std", Some("SALE")));
        let notices = Correction::CodeInvalid.apply(&mut cart, &mut draft, 500);
        assert_eq!(
            notices,
            [Notice::CodeRemoved {
                code: "SALE".into()
            }]
        );
        assert_eq!(draft.discount_code, None);
        assert!(Correction::CodeInvalid
            .apply(&mut cart, &mut draft, 500)
            .is_empty());
        let same = Correction::Unavailable {
            items: vec![Availability {
                sku: "SOCKS".into(),
                variant: None,
                available: 3,
            }],
        };
        assert!(same.apply(&mut cart, &mut draft, 500).is_empty());
        assert_eq!(same.kind(), CorrectionKind::Unavailable);
    }

    #[test]
    fn notices_read_as_sentences_in_both_languages() {
        let yen = |minor: i64| format!("¥{minor}");
        let price = Notice::Price {
            label: "麻のシャツ (M)".into(),
            was: 4800,
            now: 4500,
        };
        assert_eq!(
            price.message(crate::i18n::Locale::En.strings(), yen),
            "麻のシャツ (M) is now ¥4500 (was ¥4800)."
        );
        assert_eq!(
            price.message(crate::i18n::Locale::Ja.strings(), yen),
            "麻のシャツ (M)は¥4500になりました（変更前 ¥4800）。"
        );
        let en = crate::i18n::Locale::En.strings();
        assert_eq!(
            Notice::Reduced {
                label: "Socks".into(),
                now: 2
            }
            .message(en, yen),
            "Only 2 of Socks left: your cart now has 2."
        );
        assert_eq!(
            Notice::CodeRemoved { code: "X".into() }.message(en, yen),
            en.code_unknown
        );
    }

    #[test]
    fn other_answers_are_not_corrections() {
        assert_eq!(Correction::read(409, r#"{"error":"conflict"}"#), None);
        assert_eq!(Correction::read(400, r#"{"error":"code_invalid"}"#), None);
        assert_eq!(Correction::read(409, "<html>busy</html>"), None);
        let no_price = r#"{"error":"prices_changed","items":[{"sku":"A"}]}"#;
        assert_eq!(
            Correction::read(409, no_price),
            None,
            "a price change needs its price"
        );
        let negative = r#"{"error":"prices_changed","items":[{"sku":"A","unit_price":-1}]}"#;
        assert_eq!(Correction::read(409, negative), None);
    }

    #[test]
    fn new_prices_change_only_the_lines_named_and_say_what_they_were() {
        let mut cart = cart();
        let notices = cart.apply_prices(&[
            PriceChange {
                sku: "SHIRT".into(),
                variant: Some("M".into()),
                unit_price: 4500,
            },
            PriceChange {
                sku: "SOCKS".into(),
                variant: None,
                unit_price: 900,
            },
            PriceChange {
                sku: "GONE".into(),
                variant: None,
                unit_price: 1,
            },
        ]);
        assert_eq!(
            notices,
            [Notice::Price {
                label: "SHIRT name (M)".into(),
                was: 4800,
                now: 4500
            }]
        );
        assert_eq!(cart.lines()[0].unit_price, 4500);
        assert_eq!(cart.lines()[0].quantity, 2, "quantities stay");
        assert_eq!(cart.subtotal(), 4500 * 2 + 900 * 3 + 2500);
    }

    #[test]
    fn short_stock_caps_lines_and_sold_out_lines_go() {
        let mut cart = cart();
        let notices = cart.apply_availability(&[
            Availability {
                sku: "SOCKS".into(),
                variant: None,
                available: 2,
            },
            Availability {
                sku: "CAP".into(),
                variant: None,
                available: 0,
            },
            Availability {
                sku: "SHIRT".into(),
                variant: Some("M".into()),
                available: 5,
            },
        ]);
        assert_eq!(
            notices,
            [
                Notice::Reduced {
                    label: "SOCKS name".into(),
                    now: 2
                },
                Notice::SoldOut {
                    label: "CAP name".into()
                }
            ]
        );
        assert_eq!(cart.lines().len(), 2);
        assert_eq!(cart.item_count(), 4);
    }
}
