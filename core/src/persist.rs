//! The stored form of the cart: versioned JSON under one `kago`-prefixed key.
//!
//! A value that is corrupt, from another version or for another currency is refused with a
//! reason; the edge then warns once and starts an empty cart.

use crate::cart::{Cart, Line, MAX_LINES};
use crate::currency::Currency;
use crate::money::MAX_PRICE_MINOR;
use serde::{Deserialize, Serialize};
use std::fmt;

/// `localStorage` key of the cart. The host page shares that storage: every Kago key starts
/// with `kago.`.
pub const CART_KEY: &str = "kago.cart";
/// Bumped whenever the stored shape changes.
pub const CART_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct StoredCart {
    v: u32,
    currency: String,
    next_id: u32,
    lines: Vec<Line>,
}

/// Only the version, read first: another version's shape may not be a [`StoredCart`].
#[derive(Deserialize)]
struct Version {
    v: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    Corrupt(String),
    OtherVersion(u32),
    OtherCurrency(String),
}

impl DecodeError {
    /// Another page of the shop may still use the saved cart (another currency, a newer
    /// format), so it stays in storage; a corrupt or older one is of no use anywhere.
    pub fn usable_elsewhere(&self) -> bool {
        match self {
            DecodeError::OtherCurrency(_) => true,
            DecodeError::OtherVersion(v) => *v > CART_VERSION,
            DecodeError::Corrupt(_) => false,
        }
    }
}

/// What happens to a saved cart this page cannot use but another page of the shop may.
const KEPT: &str = "this page starts an empty cart and leaves the saved one as it is until the shopper fills a cart here.";

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Corrupt(why) => write!(f, "Kago: the saved cart ({CART_KEY}) is unreadable ({why}); starting an empty cart."),
            DecodeError::OtherVersion(v) if *v > CART_VERSION => write!(f, "Kago: the saved cart ({CART_KEY}) is from format version {v}, not {CART_VERSION}; {KEPT}"),
            DecodeError::OtherVersion(v) => write!(f, "Kago: the saved cart ({CART_KEY}) is from format version {v}, not {CART_VERSION}; starting an empty cart."),
            DecodeError::OtherCurrency(c) => write!(f, "Kago: the saved cart ({CART_KEY}) is in {c}, not in this page's currency; {KEPT}"),
        }
    }
}

pub fn encode_cart(cart: &Cart, currency: Currency) -> String {
    let stored = StoredCart {
        v: CART_VERSION,
        currency: currency.code().to_string(),
        next_id: cart.next_id(),
        lines: cart.lines().to_vec(),
    };
    crate::wire::to_json(&stored)
}

pub fn decode_cart(text: &str, currency: Currency, max_quantity: u32) -> Result<Cart, DecodeError> {
    let corrupt = |e: serde_json::Error| DecodeError::Corrupt(e.to_string());
    let Version { v } = serde_json::from_str(text).map_err(corrupt)?;
    if v != CART_VERSION {
        return Err(DecodeError::OtherVersion(v));
    }
    let stored: StoredCart = serde_json::from_str(text).map_err(corrupt)?;
    if stored.currency != currency.code() {
        return Err(DecodeError::OtherCurrency(stored.currency));
    }
    let corrupt = |why: &str| Err(DecodeError::Corrupt(why.into()));
    if stored.lines.len() > MAX_LINES {
        return corrupt("too many lines");
    }
    // At most MAX_LINES lines: comparing each with the ones before it is cheap, and a sort
    // would cost the wasm more bytes than this whole check.
    let ids: Vec<u32> = stored.lines.iter().map(|l| l.id).collect();
    let repeated = (1..ids.len()).any(|i| ids[..i].contains(&ids[i]));
    if repeated || ids.iter().any(|id| *id == 0 || *id >= stored.next_id) {
        return corrupt("line ids are not unique");
    }
    for line in &stored.lines {
        if line.sku.trim().is_empty() || line.name.trim().is_empty() {
            return corrupt("a line has no sku or name");
        }
        if !(0..=MAX_PRICE_MINOR).contains(&line.unit_price) {
            return corrupt("a price is out of range");
        }
        if line.quantity == 0 {
            return corrupt("a quantity is zero");
        }
        if crate::cart::check_meta(&line.meta).is_err() {
            return corrupt("a line's meta is over its size limit");
        }
    }
    let mut lines = stored.lines;
    for line in &mut lines {
        line.quantity = line.quantity.min(max_quantity);
    }
    Ok(Cart::from_parts(lines, stored.next_id, max_quantity))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cart::Item;

    fn sample() -> Cart {
        let mut cart = Cart::default();
        let item = |sku: &str| Item {
            sku: sku.into(),
            variant: Some("M".into()),
            name: "Tee \"quoted\" <b>".into(),
            unit_price: 2400,
            image: None,
        };
        cart.add_line(item("A"), 2).unwrap();
        let b = cart.add_line(item("B"), 1).unwrap();
        cart.remove_line(b.line_id);
        cart.add_line(item("C"), 3).unwrap();
        cart
    }

    #[test]
    fn a_cart_round_trips() {
        let cart = sample();
        let text = encode_cart(&cart, Currency::USD);
        assert_eq!(decode_cart(&text, Currency::USD, 99), Ok(cart));
    }

    #[test]
    fn corrupt_old_or_foreign_values_are_refused() {
        assert!(matches!(
            decode_cart("{not json", Currency::USD, 99),
            Err(DecodeError::Corrupt(_))
        ));
        assert!(matches!(
            decode_cart("null", Currency::USD, 99),
            Err(DecodeError::Corrupt(_))
        ));
        assert_eq!(
            decode_cart(r#"{"v":0,"items":[]}"#, Currency::USD, 99),
            Err(DecodeError::OtherVersion(0))
        );
        let text = encode_cart(&sample(), Currency::USD);
        assert_eq!(
            decode_cart(&text, Currency::JPY, 99),
            Err(DecodeError::OtherCurrency("USD".into()))
        );
        let tampered = text.replace("\"quantity\":2", "\"quantity\":0");
        assert!(matches!(
            decode_cart(&tampered, Currency::USD, 99),
            Err(DecodeError::Corrupt(_))
        ));
        let tampered = text.replace("\"unit_price\":2400", "\"unit_price\":-1");
        assert!(matches!(
            decode_cart(&tampered, Currency::USD, 99),
            Err(DecodeError::Corrupt(_))
        ));
        let message = DecodeError::OtherVersion(0).to_string();
        assert!(message.contains(CART_KEY), "{message}");
    }

    #[test]
    fn a_cart_saved_by_earlier_versions_still_reads() {
        // Written by the serde-based encoder: members without a variant or image left out.
        let text = r#"{"v":1,"currency":"USD","next_id":3,"lines":[{"id":1,"sku":"A","variant":"M","name":"Tee","unit_price":2400,"quantity":2},{"id":2,"sku":"B","name":"Cap","unit_price":900,"quantity":1,"image":"/cap.png"}]}"#;
        let cart = decode_cart(text, Currency::USD, 99).unwrap();
        assert_eq!(cart.lines()[0].variant.as_deref(), Some("M"));
        assert_eq!(cart.lines()[1].variant, None);
        assert_eq!(cart.lines()[1].image.as_deref(), Some("/cap.png"));
        assert_eq!(cart.next_id(), 3);
        assert_eq!(
            decode_cart(
                r#"{"v":1,"currency":"USD","next_id":"3","lines":[]}"#,
                Currency::USD,
                99
            ),
            Err(DecodeError::Corrupt(
                "invalid type: string \"3\", expected u32 at line 1 column 37".into()
            )),
            "the reason names what is wrong"
        );
    }

    #[test]
    fn meta_is_stored_only_when_a_line_has_some() {
        let mut cart = sample();
        let id = cart.lines()[0].id;
        let plain = encode_cart(&cart, Currency::USD);
        assert!(
            !plain.contains("meta"),
            "a cart without meta stores as before: {plain}"
        );
        let meta = crate::cart::parse_meta(r#"{"gift_message":"For Ana"}"#).unwrap();
        cart.set_meta(id, meta);
        let text = encode_cart(&cart, Currency::USD);
        assert!(
            text.contains(r#""meta":{"gift_message":"For Ana"}"#),
            "{text}"
        );
        assert_eq!(decode_cart(&text, Currency::USD, 99), Ok(cart));
        let huge = text.replace("For Ana", &"x".repeat(2000));
        assert!(matches!(
            decode_cart(&huge, Currency::USD, 99),
            Err(DecodeError::Corrupt(_))
        ));
    }

    #[test]
    fn a_cart_saved_by_the_release_before_serde_still_reads() {
        // Written by the hand-written JSON printer this crate had before serde came back.
        let text = include_str!("../testdata/stored-v1/cart.json");
        let cart = decode_cart(text, Currency::USD, 99).unwrap();
        assert_eq!(cart.lines().len(), 2);
        assert_eq!(cart.lines()[0].image.as_deref(), Some("/img/tee.png"));
        assert_eq!(cart.lines()[1].variant, None);
        assert_eq!(cart.next_id(), 3);
        assert_eq!(
            decode_cart(&encode_cart(&cart, Currency::USD), Currency::USD, 99),
            Ok(cart)
        );
    }

    #[test]
    fn stored_quantities_respect_a_lowered_maximum() {
        let text = encode_cart(&sample(), Currency::USD);
        let cart = decode_cart(&text, Currency::USD, 2).unwrap();
        assert!(cart.lines().iter().all(|l| l.quantity <= 2));
    }
}
