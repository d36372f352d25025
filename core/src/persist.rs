//! The stored form of the cart: versioned JSON under one `kago`-prefixed key.
//!
//! A value that is corrupt, from another version or for another currency is refused with a
//! reason; the edge then warns once and starts an empty cart. A readable one is checked line by
//! line with the rules new items pass, and mended (each mend reported).

use crate::cart::{Cart, Item, Line, MAX_LINES};
use crate::currency::Currency;
use crate::product::recheck_item;
use crate::url::ResolveUrl;
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
    /// Ids of the last [`KEPT_CHANGES`] changes made to this cart (`<tab>:<n>`), so a tab can
    /// tell whether its change is in the cart another tab saved (see [`SavedChanges`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    changes: Vec<String>,
}

/// How many change ids a saved cart keeps.
pub const KEPT_CHANGES: usize = 64;
/// How long a tab watches for its saved change to be overwritten by another tab that read the
/// cart before the change reached it (`localStorage` is shared between tabs, but a write reaches
/// another tab's process a little later, even after a Web Lock was passed on).
pub const CHANGE_WATCH_MS: u64 = 3_000;

/// The changes one tab saved recently, each with its id and when it was saved, until another
/// tab's saved cart shows it (or [`CHANGE_WATCH_MS`] have passed).
#[derive(Clone, Debug)]
pub struct SavedChanges<C> {
    recent: Vec<(String, u64, C)>,
}

impl<C> Default for SavedChanges<C> {
    fn default() -> Self {
        SavedChanges { recent: Vec::new() }
    }
}

impl<C> SavedChanges<C> {
    pub fn saved(&mut self, id: String, at_ms: u64, change: C) {
        self.recent.push((id, at_ms, change));
    }

    /// Given the change ids of a cart another tab saved: the changes of this tab it lacks, which
    /// must be made again on it. Changes it has, and changes older than the watch, are
    /// forgotten.
    pub fn lost(&mut self, saved_ids: &[String], now_ms: u64) -> Vec<(String, C)> {
        let mut lost = Vec::new();
        for (id, at, change) in self.recent.drain(..) {
            if now_ms.saturating_sub(at) <= CHANGE_WATCH_MS && !saved_ids.contains(&id) {
                lost.push((id, change));
            }
        }
        lost
    }
}

/// Records that the change `id` was made on a cart whose change ids are `ids` (at most
/// [`KEPT_CHANGES`], the newest last); `false` when it already was, and must not be made again.
pub fn record_change(ids: &mut Vec<String>, id: &str) -> bool {
    if ids.iter().any(|i| i == id) {
        return false;
    }
    ids.push(id.to_string());
    if ids.len() > KEPT_CHANGES {
        ids.drain(..ids.len() - KEPT_CHANGES);
    }
    true
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
    encode_cart_with(cart, currency, Vec::new())
}

/// [`encode_cart`] with the ids of the changes made to it.
pub fn encode_cart_with(cart: &Cart, currency: Currency, changes: Vec<String>) -> String {
    let stored = StoredCart {
        v: CART_VERSION,
        currency: currency.code().to_string(),
        next_id: cart.next_id(),
        lines: cart.lines().to_vec(),
        changes,
    };
    crate::wire::to_json(&stored)
}

/// A saved cart as this page can use it, and what had to be mended in it (each a sentence for
/// the console).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    pub cart: Cart,
    pub mended: Vec<String>,
    /// The ids of the last changes made to it.
    pub changes: Vec<String>,
}

/// Reads the saved cart and checks every line by the rules a product element's item passes
/// (`product::recheck_item`: sku, name, price, variant and image, URLs resolved by `urls`),
/// since anything on the page can write `localStorage`: a line that could never have been added
/// is dropped, a bad variant or image is left out, lines that then name the same sku and variant
/// become one (as adding them would have made them), and ids that repeat (or a `next_id` that
/// would give a line an id already in use) are numbered afresh.
pub fn decode_cart(
    text: &str,
    currency: Currency,
    max_quantity: u32,
    urls: &dyn ResolveUrl,
) -> Result<Decoded, DecodeError> {
    let corrupt = |e: serde_json::Error| DecodeError::Corrupt(e.to_string());
    let Version { v } = serde_json::from_str(text).map_err(corrupt)?;
    if v != CART_VERSION {
        return Err(DecodeError::OtherVersion(v));
    }
    let stored: StoredCart = serde_json::from_str(text).map_err(corrupt)?;
    if stored.currency != currency.code() {
        return Err(DecodeError::OtherCurrency(stored.currency));
    }
    if stored.lines.len() > MAX_LINES {
        return Err(DecodeError::Corrupt("too many lines".into()));
    }
    let mut mended = Vec::new();
    let mut mend = |sku: &str, what: String| {
        mended.push(format!(
            "Kago: the saved cart ({CART_KEY}) has a line \"{sku}\" that {what}."
        ));
    };
    let mut lines: Vec<Line> = Vec::with_capacity(stored.lines.len());
    for line in stored.lines {
        let mut item = Item {
            sku: line.sku.clone(),
            variant: line.variant.clone(),
            name: line.name.clone(),
            unit_price: line.unit_price,
            image: line.image.clone(),
        };
        let left_out = match recheck_item(&mut item, urls) {
            Ok(left_out) => left_out,
            Err(e) => {
                mend(&line.sku, format!("{}; it is dropped", e.problem()));
                continue;
            }
        };
        for e in left_out {
            mend(&item.sku, format!("{}; it is kept without it", e.problem()));
        }
        if line.quantity == 0 {
            mend(&item.sku, "has quantity 0; it is dropped".into());
            continue;
        }
        let meta = if crate::cart::check_meta(&line.meta).is_ok() {
            line.meta
        } else {
            mend(
                &item.sku,
                "has meta over its size limit; it is kept without it".into(),
            );
            Default::default()
        };
        let quantity = line.quantity.min(max_quantity);
        // At most MAX_LINES lines: comparing each with the ones before it is cheap, and a map
        // would cost the wasm more bytes than this whole check.
        if let Some(same) = lines
            .iter_mut()
            .find(|l| l.sku == item.sku && l.variant == item.variant)
        {
            mend(
                &item.sku,
                "appears twice; its quantities are added up".into(),
            );
            same.quantity = same.quantity.saturating_add(quantity).min(max_quantity);
            continue;
        }
        lines.push(Line {
            id: line.id,
            sku: item.sku,
            variant: item.variant,
            name: item.name,
            unit_price: item.unit_price,
            quantity,
            image: item.image,
            meta,
        });
    }
    let ids_ok = lines.iter().enumerate().all(|(i, l)| {
        l.id != 0 && l.id < stored.next_id && !lines[..i].iter().any(|o| o.id == l.id)
    });
    let next_id = if ids_ok {
        stored.next_id
    } else {
        mended.push(format!(
            "Kago: the saved cart ({CART_KEY}) had repeated or out-of-range line ids; its lines are numbered afresh."
        ));
        for (n, line) in (1..).zip(lines.iter_mut()) {
            line.id = n;
        }
        lines.len() as u32 + 1
    };
    Ok(Decoded {
        cart: Cart::from_parts(lines, next_id, max_quantity),
        mended,
        changes: stored.changes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url::tests::Page;

    #[test]
    fn change_ids_are_saved_with_the_cart_and_a_change_is_made_once() {
        let mut ids = Vec::new();
        assert!(record_change(&mut ids, "a:1"));
        assert!(!record_change(&mut ids, "a:1"), "made once");
        let text = encode_cart_with(&sample(), Currency::USD, ids.clone());
        let decoded = decode_cart(&text, Currency::USD, 99, &Page).unwrap();
        assert_eq!(decoded.changes, ids);
        let old = encode_cart(&sample(), Currency::USD);
        assert!(!old.contains("changes"), "{old}");
        assert_eq!(
            decode_cart(&old, Currency::USD, 99, &Page).unwrap().changes,
            Vec::<String>::new()
        );
        for n in 0..100 {
            record_change(&mut ids, &format!("b:{n}"));
        }
        assert_eq!(ids.len(), KEPT_CHANGES);
        assert_eq!(ids.last().map(String::as_str), Some("b:99"));
    }

    #[test]
    fn a_saved_change_missing_from_another_tabs_cart_is_lost_and_made_again() {
        let mut saved = SavedChanges::default();
        saved.saved("a:1".into(), 1_000, "add mug");
        saved.saved("a:2".into(), 1_100, "add tote");
        // Another tab saved a cart made from one without the tote (it read the cart too early).
        let lost = saved.lost(&["a:1".into(), "b:1".into()], 1_200);
        assert_eq!(lost, vec![("a:2".to_string(), "add tote")]);
        assert!(saved.lost(&[], 1_300).is_empty(), "each is told once");
        saved.saved("a:3".into(), 1_000, "add cap");
        assert!(
            saved.lost(&[], 1_000 + CHANGE_WATCH_MS + 1).is_empty(),
            "after the watch, a missing change was removed on purpose"
        );
    }

    /// The cart as a page at `http://shop.example/products/…` reads it.
    fn decode(text: &str, currency: Currency, max_quantity: u32) -> Result<Cart, DecodeError> {
        decode_cart(text, currency, max_quantity, &Page).map(|d| d.cart)
    }

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
        assert_eq!(decode(&text, Currency::USD, 99), Ok(cart));
    }

    #[test]
    fn corrupt_old_or_foreign_values_are_refused() {
        assert!(matches!(
            decode("{not json", Currency::USD, 99),
            Err(DecodeError::Corrupt(_))
        ));
        assert!(matches!(
            decode("null", Currency::USD, 99),
            Err(DecodeError::Corrupt(_))
        ));
        assert_eq!(
            decode(r#"{"v":0,"items":[]}"#, Currency::USD, 99),
            Err(DecodeError::OtherVersion(0))
        );
        let text = encode_cart(&sample(), Currency::USD);
        assert_eq!(
            decode(&text, Currency::JPY, 99),
            Err(DecodeError::OtherCurrency("USD".into()))
        );
        let tampered = text.replace("\"quantity\":2", "\"quantity\":0");
        assert_eq!(
            decode(&tampered, Currency::USD, 99).map(|c| c.lines().len()),
            Ok(1),
            "a line with quantity 0 is dropped, the rest kept"
        );
        let tampered = text.replacen("\"unit_price\":2400", "\"unit_price\":-1", 1);
        assert_eq!(
            decode(&tampered, Currency::USD, 99).map(|c| c.lines().len()),
            Ok(1),
            "a line with a price out of range is dropped, the rest kept"
        );
        let message = DecodeError::OtherVersion(0).to_string();
        assert!(message.contains(CART_KEY), "{message}");
    }

    #[test]
    fn a_cart_saved_by_earlier_versions_still_reads() {
        // Written by the serde-based encoder: members without a variant or image left out.
        let text = r#"{"v":1,"currency":"USD","next_id":3,"lines":[{"id":1,"sku":"A","variant":"M","name":"Tee","unit_price":2400,"quantity":2},{"id":2,"sku":"B","name":"Cap","unit_price":900,"quantity":1,"image":"/cap.png"}]}"#;
        let cart = decode(text, Currency::USD, 99).unwrap();
        assert_eq!(cart.lines()[0].variant.as_deref(), Some("M"));
        assert_eq!(cart.lines()[1].variant, None);
        assert_eq!(
            cart.lines()[1].image.as_deref(),
            Some("http://shop.example/cap.png"),
            "an image path is resolved against the page"
        );
        assert_eq!(cart.next_id(), 3);
        assert_eq!(
            decode(
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
        assert_eq!(decode(&text, Currency::USD, 99), Ok(cart));
        let huge = text.replace("For Ana", &"x".repeat(2000));
        let Decoded { cart, mended, .. } = decode_cart(&huge, Currency::USD, 99, &Page).unwrap();
        assert!(cart.lines()[0].meta.is_empty(), "kept without its meta");
        assert_eq!(cart.lines().len(), 2);
        assert!(mended[0].contains("meta over its size limit"), "{mended:?}");
    }

    #[test]
    fn a_cart_saved_by_the_release_before_serde_still_reads() {
        // Written by the hand-written JSON printer this crate had before serde came back.
        let text = include_str!("../testdata/stored-v1/cart.json");
        let cart = decode(text, Currency::USD, 99).unwrap();
        assert_eq!(cart.lines().len(), 2);
        assert_eq!(
            cart.lines()[0].image.as_deref(),
            Some("http://shop.example/img/tee.png")
        );
        assert_eq!(cart.lines()[1].variant, None);
        assert_eq!(cart.next_id(), 3);
        assert_eq!(
            decode(&encode_cart(&cart, Currency::USD), Currency::USD, 99),
            Ok(cart)
        );
    }

    #[test]
    fn saved_lines_pass_the_rules_new_items_pass_and_are_mended_not_trusted() {
        let long_name = "n".repeat(crate::product::MAX_TEXT_LEN + 1);
        let text = format!(
            r#"{{"v":1,"currency":"USD","next_id":9,"lines":[
            {{"id":1,"sku":"TEE","variant":"M","name":"Tee","unit_price":2400,"quantity":1,"image":"/\\evil.example/x"}},
            {{"id":2,"sku":"LONG","name":"{long_name}","unit_price":100,"quantity":1}},
            {{"id":3,"sku":"TEE","variant":"M","name":"Tee","unit_price":2400,"quantity":2}},
            {{"id":4,"sku":"MUG","name":"Mug","unit_price":1850,"quantity":1,"image":"javascript:alert(1)"}},
            {{"id":5,"sku":"CAP","variant":"   ","name":"Cap","unit_price":900,"quantity":1,"image":"img/cap.png"}}
            ]}}"#
        );
        let Decoded { cart, mended, .. } = decode_cart(&text, Currency::USD, 99, &Page).unwrap();
        let lines: Vec<String> = cart
            .lines()
            .iter()
            .map(|l| {
                format!(
                    "{} {} {:?} ×{} {:?}",
                    l.id, l.sku, l.variant, l.quantity, l.image
                )
            })
            .collect();
        assert_eq!(
            lines,
            [
                "1 TEE Some(\"M\") ×3 None",
                "4 MUG None ×1 None",
                "5 CAP None ×1 Some(\"http://shop.example/products/img/cap.png\")",
            ]
        );
        assert_eq!(mended.len(), 5, "{mended:#?}");
        assert!(
            mended[0].contains("image=\"/\\evil.example/x\""),
            "{}",
            mended[0]
        );
        assert!(mended[1].contains("\"LONG\"") && mended[1].contains("it is dropped"));
        assert!(mended[2].contains("appears twice"));
    }

    #[test]
    fn repeated_ids_or_a_next_id_that_would_repeat_one_are_numbered_afresh() {
        for (next_id, ids) in [(3, [1, 1]), (2, [1, 2]), (u32::MAX, [0, 5])] {
            let text = format!(
                r#"{{"v":1,"currency":"USD","next_id":{next_id},"lines":[{{"id":{},"sku":"A","name":"A","unit_price":1,"quantity":1}},{{"id":{},"sku":"B","name":"B","unit_price":1,"quantity":1}}]}}"#,
                ids[0], ids[1]
            );
            let Decoded {
                mut cart, mended, ..
            } = decode_cart(&text, Currency::USD, 99, &Page).unwrap();
            let ids: Vec<u32> = cart.lines().iter().map(|l| l.id).collect();
            assert_eq!(ids, [1, 2], "next_id {next_id}");
            assert_eq!(mended.len(), 1);
            let added = cart.add_line(
                Item {
                    sku: "C".into(),
                    variant: None,
                    name: "C".into(),
                    unit_price: 1,
                    image: None,
                },
                1,
            );
            assert_eq!(added.map(|a| a.line_id), Ok(3));
        }
    }

    #[test]
    fn stored_quantities_respect_a_lowered_maximum() {
        let text = encode_cart(&sample(), Currency::USD);
        let cart = decode(&text, Currency::USD, 2).unwrap();
        assert!(cart.lines().iter().all(|l| l.quantity <= 2));
    }
}
