//! The cart: lines of items with quantities, merged by sku and variant, with stable line ids.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Default most units of one line a shopper can order.
pub const DEFAULT_MAX_QUANTITY: u32 = 99;
/// Most distinct lines in one cart; keeps storage and totals bounded.
pub const MAX_LINES: usize = 500;
/// Most bytes of one line's [`LineMeta`] as JSON (`{"gift_message":"…"}`).
pub const MAX_META_BYTES: usize = 1024;

/// A line's own data from the page (a gift message, an engraving), carried to the order's
/// items: string keys to string values, at most [`MAX_META_BYTES`] as JSON. Never in events.
pub type LineMeta = BTreeMap<String, String>;

/// Why a line's meta was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MetaError {
    /// Not an object of strings: names the key whose value is not a string, if one is.
    NotStrings(Option<String>),
    Empty,
    TooLong(usize),
}

impl std::fmt::Display for MetaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MetaError::NotStrings(Some(key)) => {
                write!(f, "meta.{key} is not a string (meta holds strings only)")
            }
            MetaError::NotStrings(None) => write!(f, "meta is not an object of strings"),
            MetaError::Empty => write!(f, "meta has an empty key"),
            MetaError::TooLong(n) => {
                write!(
                    f,
                    "meta is {n} bytes as JSON, over the {MAX_META_BYTES}-byte limit"
                )
            }
        }
    }
}

/// Reads a line's meta from its JSON text (`{"gift_message": "Happy birthday"}`), checking the
/// limits: strings only, no empty key, at most [`MAX_META_BYTES`].
pub fn parse_meta(json: &str) -> Result<LineMeta, MetaError> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|_| MetaError::NotStrings(None))?;
    let serde_json::Value::Object(map) = value else {
        return Err(MetaError::NotStrings(None));
    };
    let mut meta = LineMeta::new();
    for (key, value) in map {
        let serde_json::Value::String(text) = value else {
            return Err(MetaError::NotStrings(Some(key)));
        };
        if key.is_empty() {
            return Err(MetaError::Empty);
        }
        meta.insert(key, text);
    }
    check_meta(&meta)?;
    Ok(meta)
}

/// The size limit of a line's meta (also checked on a stored cart).
pub fn check_meta(meta: &LineMeta) -> Result<(), MetaError> {
    let bytes = crate::wire::to_json(meta).len();
    if bytes > MAX_META_BYTES {
        return Err(MetaError::TooLong(bytes));
    }
    Ok(())
}

/// Which lines of a sku a call means: the line of one variant (`Exactly(None)`: the line
/// without a variant), or the sku's lines whatever their variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VariantMatch<'a> {
    Any,
    Exactly(Option<&'a str>),
}

impl VariantMatch<'_> {
    fn matches(self, line: &Line) -> bool {
        match self {
            VariantMatch::Any => true,
            VariantMatch::Exactly(variant) => line.variant.as_deref() == variant,
        }
    }
}

/// What a product element (or the JS API) asks to put in the cart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub sku: String,
    pub variant: Option<String>,
    pub name: String,
    /// Minor units of the shop currency.
    pub unit_price: i64,
    pub image: Option<String>,
}

/// One line of the cart. `id` never changes while the line exists and is never reused.
/// Stored as it is in `kago.cart` (`persist`): `variant`, `image` and `meta` may be absent (a
/// cart stored before `meta` existed reads with none; one stored with it reads in a release
/// before, which ignores the member).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub id: u32,
    pub sku: String,
    pub variant: Option<String>,
    pub name: String,
    pub unit_price: i64,
    pub quantity: u32,
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "LineMeta::is_empty")]
    pub meta: LineMeta,
}

impl Line {
    /// Price of the line, in minor units.
    pub fn line_total(&self) -> i64 {
        self.total_at(self.quantity)
    }

    /// Price of this line at `quantity`, in minor units.
    pub fn total_at(&self, quantity: u32) -> i64 {
        self.unit_price * i64::from(quantity)
    }

    /// Whether `other` is this line with at most its quantity changed.
    pub fn same_but_quantity(&self, other: &Line) -> bool {
        self.id == other.id
            && self.sku == other.sku
            && self.variant == other.variant
            && self.name == other.name
            && self.unit_price == other.unit_price
            && self.image == other.image
            && self.meta == other.meta
    }

    /// "Name (Variant)" or "Name": how the shopper tells lines apart.
    pub fn label(&self) -> String {
        match &self.variant {
            Some(v) => format!("{} ({v})", self.name),
            None => self.name.clone(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CartError {
    /// A quantity of zero was asked for.
    ZeroQuantity,
    /// The cart already has `MAX_LINES` lines.
    Full,
    UnknownLine,
}

/// What an add did: which line, its new quantity, and whether the per-line maximum cut it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Added {
    pub line_id: u32,
    pub quantity: u32,
    pub capped: bool,
}

/// What `Kago.cart()` returns (`kago.d.ts`, `KagoCart`) and the Rust handle's `cart()`: amounts
/// in minor units, each beside its formatted text (`formatted`). Its `totals` have the order
/// body's shape.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartSnapshot {
    pub currency: String,
    pub items: Vec<SnapshotItem>,
    pub totals: crate::order::OrderTotals,
    /// The totals as the shopper reads them (`"$54.40"`).
    pub formatted: FormattedTotals,
    /// Units across all lines (the number on the cart button).
    pub item_count: u32,
}

/// One line of a [`CartSnapshot`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotItem {
    /// The line's id: stable while the line exists, the same in every tab (a list key).
    pub id: u32,
    pub sku: String,
    pub variant: Option<String>,
    pub name: String,
    pub quantity: u32,
    pub unit_price: i64,
    /// `unit_price × quantity`.
    pub line_total: i64,
    pub image: Option<String>,
    pub meta: LineMeta,
    pub formatted: FormattedLine,
}

/// A line's amounts as the shopper reads them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormattedLine {
    pub unit_price: String,
    pub line_total: String,
}

/// The totals as the shopper reads them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormattedTotals {
    pub subtotal: String,
    pub discount: String,
    pub shipping: String,
    pub tax: String,
    pub total: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cart {
    lines: Vec<Line>,
    next_id: u32,
    max_quantity: u32,
}

impl Default for Cart {
    fn default() -> Self {
        Cart::new(DEFAULT_MAX_QUANTITY)
    }
}

impl Cart {
    pub fn new(max_quantity: u32) -> Cart {
        Cart {
            lines: Vec::new(),
            next_id: 1,
            max_quantity: max_quantity.max(1),
        }
    }

    /// Rebuilds a cart from stored lines; the caller has validated them.
    pub(crate) fn from_parts(lines: Vec<Line>, next_id: u32, max_quantity: u32) -> Cart {
        Cart {
            lines,
            next_id,
            max_quantity: max_quantity.max(1),
        }
    }

    pub fn lines(&self) -> &[Line] {
        &self.lines
    }

    pub fn line(&self, id: u32) -> Option<&Line> {
        self.lines.iter().find(|l| l.id == id)
    }

    pub fn next_id(&self) -> u32 {
        self.next_id
    }

    pub fn max_quantity(&self) -> u32 {
        self.max_quantity
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Σ unit price × quantity, in minor units.
    pub fn subtotal(&self) -> i64 {
        self.lines.iter().map(Line::line_total).sum()
    }

    /// Units across all lines (the number on the cart button).
    pub fn item_count(&self) -> u32 {
        self.lines.iter().map(|l| l.quantity).sum()
    }

    /// Adds `quantity` of `item`, merging into the line with the same sku and variant (whose
    /// name, price and image take the latest values).
    pub fn add_line(&mut self, item: Item, quantity: u32) -> Result<Added, CartError> {
        if quantity == 0 {
            return Err(CartError::ZeroQuantity);
        }
        let max = self.max_quantity;
        if let Some(line) = self
            .lines
            .iter_mut()
            .find(|l| l.sku == item.sku && l.variant == item.variant)
        {
            let wanted = line.quantity.saturating_add(quantity);
            line.quantity = wanted.min(max);
            line.name = item.name;
            line.unit_price = item.unit_price;
            line.image = item.image;
            return Ok(Added {
                line_id: line.id,
                quantity: line.quantity,
                capped: wanted > max,
            });
        }
        if self.lines.len() >= MAX_LINES {
            return Err(CartError::Full);
        }
        let mut id = self.next_id;
        // Once the count wraps (after u32::MAX lines, or a saved `next_id` near it), ids still
        // in use are skipped: two lines never share one. At most MAX_LINES are, so this ends.
        while self.lines.iter().any(|l| l.id == id) {
            id = id.wrapping_add(1).max(1);
        }
        self.next_id = id.wrapping_add(1).max(1);
        let applied = quantity.min(max);
        self.lines.push(Line {
            id,
            sku: item.sku,
            variant: item.variant,
            name: item.name,
            unit_price: item.unit_price,
            quantity: applied,
            image: item.image,
            meta: LineMeta::new(),
        });
        Ok(Added {
            line_id: id,
            quantity: applied,
            capped: quantity > max,
        })
    }

    /// Sets a line's quantity, clamped to the maximum; zero removes the line. Returns the
    /// quantity that now stands.
    pub fn set_quantity(&mut self, id: u32, quantity: u32) -> Result<u32, CartError> {
        if quantity == 0 {
            return self
                .remove_line(id)
                .map(|_| 0)
                .ok_or(CartError::UnknownLine);
        }
        let max = self.max_quantity;
        let line = self
            .lines
            .iter_mut()
            .find(|l| l.id == id)
            .ok_or(CartError::UnknownLine)?;
        line.quantity = quantity.min(max);
        Ok(line.quantity)
    }

    pub fn remove_line(&mut self, id: u32) -> Option<Line> {
        let at = self.lines.iter().position(|l| l.id == id)?;
        Some(self.lines.remove(at))
    }

    /// The line with this sku and variant, to change it in place (its id and place stay).
    pub(crate) fn line_mut(&mut self, sku: &str, variant: Option<&str>) -> Option<&mut Line> {
        self.lines
            .iter_mut()
            .find(|l| l.sku == sku && l.variant.as_deref() == variant)
    }

    /// The line with this sku and variant, if the cart has one.
    pub fn find_line(&self, sku: &str, variant: Option<&str>) -> Option<&Line> {
        self.lines
            .iter()
            .find(|l| l.sku == sku && l.variant.as_deref() == variant)
    }

    /// The cart and its totals as the JS API's `Kago.cart()` returns them: minor units, and
    /// each amount as `format` writes it (the browser's `Intl.NumberFormat` in the widget).
    pub fn snapshot(
        &self,
        totals: &crate::pricing::Totals,
        format: &dyn Fn(crate::money::Money) -> String,
    ) -> CartSnapshot {
        let currency = totals.total.currency;
        let money = |minor| format(crate::money::Money::new(minor, currency));
        CartSnapshot {
            currency: currency.code().to_string(),
            items: self
                .lines
                .iter()
                .map(|l| SnapshotItem {
                    id: l.id,
                    sku: l.sku.clone(),
                    variant: l.variant.clone(),
                    name: l.name.clone(),
                    quantity: l.quantity,
                    unit_price: l.unit_price,
                    line_total: l.line_total(),
                    image: l.image.clone(),
                    meta: l.meta.clone(),
                    formatted: FormattedLine {
                        unit_price: money(l.unit_price),
                        line_total: money(l.line_total()),
                    },
                })
                .collect(),
            totals: totals.into(),
            formatted: FormattedTotals {
                subtotal: format(totals.subtotal),
                discount: format(totals.discount),
                shipping: format(totals.shipping),
                tax: format(totals.tax),
                total: format(totals.total),
            },
            item_count: self.item_count(),
        }
    }

    /// The ids of the lines of `sku` that `variant` means, in cart order.
    pub fn line_ids(&self, sku: &str, variant: VariantMatch) -> Vec<u32> {
        self.lines
            .iter()
            .filter(|l| l.sku == sku && variant.matches(l))
            .map(|l| l.id)
            .collect()
    }

    /// Sets a line's meta (an empty one removes it); false when there is no such line.
    pub fn set_meta(&mut self, id: u32, meta: LineMeta) -> bool {
        match self.lines.iter_mut().find(|l| l.id == id) {
            Some(line) => {
                line.meta = meta;
                true
            }
            None => false,
        }
    }

    /// Empties the cart; line ids keep counting up so an old id never names a new line.
    pub fn clear(&mut self) {
        self.lines.clear();
    }

    /// Takes out what an order took: each ordered line loses the ordered units, so a line added
    /// (or units added to a line) while the order was on its way stays.
    pub fn remove_ordered(&mut self, ordered: &[Ordered]) {
        for o in ordered {
            let Some(at) = self
                .lines
                .iter()
                .position(|l| l.sku == o.sku && l.variant == o.variant)
            else {
                continue;
            };
            let line = &mut self.lines[at];
            if line.quantity > o.quantity {
                line.quantity -= o.quantity;
            } else {
                self.lines.remove(at);
            }
        }
    }

    /// Applies a change made in this tab (see [`CartChange`]); what it did is not reported.
    pub fn apply(&mut self, change: &CartChange) {
        let find = |cart: &Cart, sku: &str, variant: &Option<String>| {
            cart.find_line(sku, variant.as_deref()).map(|l| l.id)
        };
        match change {
            CartChange::Add { item, quantity } => {
                let _ = self.add_line(item.clone(), *quantity);
            }
            CartChange::SetQuantity {
                sku,
                variant,
                quantity,
            } => {
                if let Some(id) = find(self, sku, variant) {
                    let _ = self.set_quantity(id, *quantity);
                }
            }
            CartChange::Remove { sku, variant } => {
                if let Some(id) = find(self, sku, variant) {
                    self.remove_line(id);
                }
            }
            CartChange::Ordered(lines) => self.remove_ordered(lines),
            CartChange::SetPrice {
                sku,
                variant,
                unit_price,
            } => {
                if let Some(line) = self.line_mut(sku, variant.as_deref()) {
                    line.unit_price = *unit_price;
                }
            }
            CartChange::SetMeta { sku, variant, meta } => {
                if let Some(id) = find(self, sku, variant) {
                    self.set_meta(id, meta.clone());
                }
            }
            CartChange::Clear => self.clear(),
        }
    }

    /// The changes that make this cart's lines into `after`'s, for lines both have or that
    /// `after` lacks (a correction from the order endpoint: new prices, less stock), so they can
    /// be made on the cart another tab saved too.
    pub fn changes_to(&self, after: &Cart) -> Vec<CartChange> {
        let mut changes = Vec::new();
        for line in &self.lines {
            let (sku, variant) = (line.sku.clone(), line.variant.clone());
            match after.find_line(&line.sku, line.variant.as_deref()) {
                None => changes.push(CartChange::Remove { sku, variant }),
                Some(now) => {
                    if now.unit_price != line.unit_price {
                        changes.push(CartChange::SetPrice {
                            sku: sku.clone(),
                            variant: variant.clone(),
                            unit_price: now.unit_price,
                        });
                    }
                    if now.quantity != line.quantity {
                        changes.push(CartChange::SetQuantity {
                            sku,
                            variant,
                            quantity: now.quantity,
                        });
                    }
                }
            }
        }
        changes
    }
}

/// Units of one line that an order took.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ordered {
    pub sku: String,
    pub variant: Option<String>,
    pub quantity: u32,
}

/// One change of the cart made in this tab, named by sku and variant rather than line id, so it
/// can be made again on the cart another tab saved in the meantime (the tabs share one saved
/// cart; replaying each tab's change on the latest one loses no tab's add).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CartChange {
    Add {
        item: Item,
        quantity: u32,
    },
    /// 0 removes the line.
    SetQuantity {
        sku: String,
        variant: Option<String>,
        quantity: u32,
    },
    Remove {
        sku: String,
        variant: Option<String>,
    },
    /// An order was placed with these lines.
    Ordered(Vec<Ordered>),
    /// The order endpoint priced the line anew.
    SetPrice {
        sku: String,
        variant: Option<String>,
        unit_price: i64,
    },
    /// The line's meta (`Kago.addItem({…, meta})`) became this.
    SetMeta {
        sku: String,
        variant: Option<String>,
        meta: LineMeta,
    },
    /// The cart was emptied (`Kago.clear()`): every line goes, another tab's too.
    Clear,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_corrected_cart_becomes_changes_another_tabs_cart_takes_too() {
        let mut mine = Cart::default();
        mine.add_line(item("TEE", Some("M"), 100), 2).unwrap();
        mine.add_line(item("MUG", None, 1850), 3).unwrap();
        mine.add_line(item("CAP", None, 900), 1).unwrap();
        let mut corrected = mine.clone();
        corrected.line_mut("TEE", Some("M")).unwrap().unit_price = 2400;
        corrected.line_mut("MUG", None).unwrap().quantity = 1;
        let cap = corrected.find_line("CAP", None).unwrap().id;
        corrected.remove_line(cap);
        let changes = mine.changes_to(&corrected);
        assert_eq!(changes.len(), 3, "{changes:?}");
        // Another tab's cart, which has a sock line this tab has not heard of yet.
        let mut other = mine.clone();
        other.add_line(item("SOCK", None, 1200), 1).unwrap();
        for change in &changes {
            other.apply(change);
        }
        assert_eq!(other.find_line("TEE", Some("M")).unwrap().unit_price, 2400);
        assert_eq!(other.find_line("MUG", None).unwrap().quantity, 1);
        assert!(other.find_line("CAP", None).is_none());
        assert!(
            other.find_line("SOCK", None).is_some(),
            "its own line stays"
        );
        assert!(mine.changes_to(&mine).is_empty());
    }

    fn item(sku: &str, variant: Option<&str>, price: i64) -> Item {
        Item {
            sku: sku.into(),
            variant: variant.map(Into::into),
            name: format!("Product {sku}"),
            unit_price: price,
            image: None,
        }
    }

    #[test]
    fn a_line_is_the_same_but_for_quantity_until_its_item_changes() {
        let mut cart = Cart::default();
        cart.add_line(item("TEE", Some("M"), 2400), 1).unwrap();
        let before = cart.lines()[0].clone();
        assert_eq!(before.total_at(3), 7200);

        cart.add_line(item("TEE", Some("M"), 2400), 2).unwrap();
        let more = &cart.lines()[0];
        assert!(before.same_but_quantity(more));
        assert_eq!(more.line_total(), before.total_at(3));

        // Added again from a page with a new price: the same line, not the same item.
        cart.add_line(item("TEE", Some("M"), 2000), 1).unwrap();
        assert!(!before.same_but_quantity(&cart.lines()[0]));
        let mut renamed = before.clone();
        renamed.name = "Tee, organic".into();
        assert!(!before.same_but_quantity(&renamed));
        let mut pictured = before.clone();
        pictured.image = Some("/tee.jpg".into());
        assert!(!before.same_but_quantity(&pictured));
    }

    #[test]
    fn same_sku_and_variant_merge_other_variants_do_not() {
        let mut cart = Cart::default();
        let a = cart.add_line(item("TEE", Some("M"), 2400), 1).unwrap();
        let b = cart.add_line(item("TEE", Some("M"), 2400), 2).unwrap();
        let c = cart.add_line(item("TEE", Some("L"), 2400), 1).unwrap();
        let d = cart.add_line(item("TEE", None, 2400), 1).unwrap();
        assert_eq!(a.line_id, b.line_id);
        assert_eq!(b.quantity, 3);
        assert_ne!(a.line_id, c.line_id);
        assert_ne!(c.line_id, d.line_id);
        assert_eq!(cart.lines().len(), 3);
        assert_eq!(cart.item_count(), 5);
    }

    #[test]
    fn quantities_are_capped_per_line() {
        let mut cart = Cart::new(3);
        let added = cart.add_line(item("A", None, 100), 2).unwrap();
        assert!(!added.capped);
        let added = cart.add_line(item("A", None, 100), 5).unwrap();
        assert_eq!((added.quantity, added.capped), (3, true));
        assert_eq!(cart.set_quantity(added.line_id, 50), Ok(3));
        assert_eq!(
            cart.add_line(item("B", None, 100), 0),
            Err(CartError::ZeroQuantity)
        );
    }

    #[test]
    fn line_ids_are_stable_and_never_reused() {
        let mut cart = Cart::default();
        let a = cart.add_line(item("A", None, 100), 1).unwrap().line_id;
        let b = cart.add_line(item("B", None, 100), 1).unwrap().line_id;
        cart.remove_line(a);
        assert_eq!(cart.line(b).map(|l| l.sku.as_str()), Some("B"));
        cart.clear();
        let c = cart.add_line(item("A", None, 100), 1).unwrap().line_id;
        assert!(c != a && c != b);
    }

    #[test]
    fn setting_zero_removes_and_unknown_lines_are_errors() {
        let mut cart = Cart::default();
        let a = cart.add_line(item("A", None, 100), 2).unwrap().line_id;
        assert_eq!(cart.set_quantity(a, 0), Ok(0));
        assert!(cart.is_empty());
        assert_eq!(cart.set_quantity(a, 1), Err(CartError::UnknownLine));
    }

    #[test]
    fn a_full_cart_refuses_new_lines_but_merges() {
        let mut cart = Cart::default();
        for n in 0..MAX_LINES {
            cart.add_line(item(&n.to_string(), None, 1), 1).unwrap();
        }
        assert_eq!(cart.add_line(item("new", None, 1), 1), Err(CartError::Full));
        assert!(cart.add_line(item("0", None, 1), 1).is_ok());
    }

    #[test]
    fn a_sku_alone_means_its_lines_whatever_their_variant() {
        let mut cart = Cart::default();
        let m = cart
            .add_line(item("TEE", Some("M"), 2400), 1)
            .unwrap()
            .line_id;
        let l = cart
            .add_line(item("TEE", Some("L"), 2400), 1)
            .unwrap()
            .line_id;
        let plain = cart.add_line(item("TEE", None, 2400), 1).unwrap().line_id;
        cart.add_line(item("MUG", None, 900), 1).unwrap();
        assert_eq!(cart.line_ids("TEE", VariantMatch::Any), vec![m, l, plain]);
        assert_eq!(
            cart.line_ids("TEE", VariantMatch::Exactly(Some("L"))),
            vec![l]
        );
        assert_eq!(
            cart.line_ids("TEE", VariantMatch::Exactly(None)),
            vec![plain]
        );
        assert_eq!(
            cart.line_ids("TEE", VariantMatch::Exactly(Some("XL"))),
            Vec::<u32>::new()
        );
        assert_eq!(cart.line_ids("CAP", VariantMatch::Any), Vec::<u32>::new());
    }

    #[test]
    fn a_snapshot_has_each_amount_in_minor_units_and_formatted() {
        use crate::currency::Currency;
        use crate::pricing::{PricingRules, TaxRate};
        let mut cart = Cart::default();
        let mut tee = item("TEE", Some("M"), 2400);
        tee.image = Some("/tee.jpg".into());
        let id = cart.add_line(tee, 2).unwrap().line_id;
        let meta = parse_meta(r#"{"gift_message":"Happy birthday"}"#).unwrap();
        assert!(cart.set_meta(id, meta.clone()));
        let rules = PricingRules {
            tax_rate: TaxRate::parse_percent("10").unwrap(),
            ..PricingRules::untaxed(Currency::USD)
        };
        let totals = crate::pricing::price_cart(&cart, &rules, None);
        let format = |m: crate::money::Money| format!("${}", m.to_decimal_string());
        let snapshot = cart.snapshot(&totals, &format);
        assert_eq!(snapshot.item_count, 2);
        let line = &snapshot.items[0];
        assert_eq!(
            (line.id, line.unit_price, line.line_total),
            (id, 2400, 4800)
        );
        assert_eq!(line.image.as_deref(), Some("/tee.jpg"));
        assert_eq!(line.meta, meta);
        assert_eq!(line.formatted.line_total, "$48.00");
        assert_eq!(snapshot.totals.total, 5280);
        assert_eq!(snapshot.formatted.tax, "$4.80");
        assert_eq!(snapshot.formatted.total, "$52.80");
        // The JS API's shape: minor units beside formatted text.
        let json = crate::wire::to_json(&snapshot);
        assert!(json.contains(r#""unit_price":2400,"line_total":4800,"image":"/tee.jpg","meta":{"gift_message":"Happy birthday"},"formatted":{"unit_price":"$24.00","line_total":"$48.00"}"#), "{json}");
    }

    #[test]
    fn meta_is_strings_within_a_kilobyte() {
        assert_eq!(
            parse_meta(r#"{"gift":"yes","note":""}"#).map(|m| m.len()),
            Ok(2)
        );
        assert_eq!(
            parse_meta(r#"{"gift":true}"#),
            Err(MetaError::NotStrings(Some("gift".into())))
        );
        assert_eq!(parse_meta("[1]"), Err(MetaError::NotStrings(None)));
        assert_eq!(parse_meta(r#"{"":"x"}"#), Err(MetaError::Empty));
        let long = format!(r#"{{"note":"{}"}}"#, "x".repeat(MAX_META_BYTES));
        assert!(matches!(parse_meta(&long), Err(MetaError::TooLong(n)) if n > MAX_META_BYTES));
        let message = parse_meta(&long).unwrap_err().to_string();
        assert!(message.contains("1024"), "{message}");
    }

    #[test]
    fn meta_makes_a_line_another_one_but_an_add_without_meta_keeps_it() {
        let mut cart = Cart::default();
        let id = cart.add_line(item("TEE", None, 100), 1).unwrap().line_id;
        let before = cart.lines()[0].clone();
        cart.set_meta(id, parse_meta(r#"{"gift":"yes"}"#).unwrap());
        assert!(!before.same_but_quantity(&cart.lines()[0]));
        cart.add_line(item("TEE", None, 100), 1).unwrap();
        assert_eq!(
            cart.lines()[0].meta.get("gift").map(String::as_str),
            Some("yes")
        );
        assert!(!cart.set_meta(999, LineMeta::new()));
    }

    #[test]
    fn ids_never_repeat_even_once_the_count_wraps() {
        let mut cart = Cart::from_parts(Vec::new(), u32::MAX, 99);
        let a = cart.add_line(item("A", None, 1), 1).unwrap().line_id;
        let b = cart.add_line(item("B", None, 1), 1).unwrap().line_id;
        let c = cart.add_line(item("C", None, 1), 1).unwrap().line_id;
        assert_eq!((a, b, c), (u32::MAX, 1, 2));
        let mut cart = Cart::from_parts(cart.lines().to_vec(), u32::MAX, 99);
        let d = cart.add_line(item("D", None, 1), 1).unwrap().line_id;
        assert_eq!(d, 3, "u32::MAX, 1 and 2 are taken");
    }

    #[test]
    fn an_order_takes_only_what_it_ordered() {
        let mut cart = Cart::default();
        cart.add_line(item("TEE", Some("M"), 2400), 2).unwrap();
        cart.add_line(item("MUG", None, 1850), 1).unwrap();
        // While the order for 1 tee and 1 mug was on its way: another tee, and a tote.
        let ordered = [
            Ordered {
                sku: "TEE".into(),
                variant: Some("M".into()),
                quantity: 1,
            },
            Ordered {
                sku: "MUG".into(),
                variant: None,
                quantity: 1,
            },
        ];
        cart.add_line(item("TOTE", None, 3200), 1).unwrap();
        cart.remove_ordered(&ordered);
        let left: Vec<(&str, u32)> = cart
            .lines()
            .iter()
            .map(|l| (l.sku.as_str(), l.quantity))
            .collect();
        assert_eq!(left, [("TEE", 1), ("TOTE", 1)]);
    }

    #[test]
    fn changes_replayed_on_another_tabs_cart_keep_both_tabs_adds() {
        // Both tabs start from the same saved cart; each adds one line.
        let mut saved = Cart::default();
        saved.add_line(item("A", None, 100), 1).unwrap();
        let mine = CartChange::Add {
            item: item("MINE", None, 100),
            quantity: 1,
        };
        let theirs = CartChange::Add {
            item: item("THEIRS", None, 100),
            quantity: 2,
        };
        saved.apply(&theirs); // the other tab saved first
        saved.apply(&mine); // this tab's change, made again on the latest saved cart
        let skus: Vec<&str> = saved.lines().iter().map(|l| l.sku.as_str()).collect();
        assert_eq!(skus, ["A", "THEIRS", "MINE"]);
        saved.apply(&CartChange::SetQuantity {
            sku: "THEIRS".into(),
            variant: None,
            quantity: 5,
        });
        saved.apply(&CartChange::Remove {
            sku: "A".into(),
            variant: None,
        });
        saved.apply(&CartChange::Remove {
            sku: "GONE".into(),
            variant: None,
        });
        let left: Vec<(&str, u32)> = saved
            .lines()
            .iter()
            .map(|l| (l.sku.as_str(), l.quantity))
            .collect();
        assert_eq!(left, [("THEIRS", 5), ("MINE", 1)]);
    }

    #[test]
    fn meta_and_clear_replay_on_another_tabs_cart() {
        let mut saved = Cart::default();
        saved.add_line(item("TEE", Some("M"), 2400), 1).unwrap();
        saved.add_line(item("MUG", None, 900), 1).unwrap();
        let meta = parse_meta(r#"{"gift":"yes"}"#).unwrap();
        saved.apply(&CartChange::SetMeta {
            sku: "TEE".into(),
            variant: Some("M".into()),
            meta: meta.clone(),
        });
        saved.apply(&CartChange::SetMeta {
            sku: "GONE".into(),
            variant: None,
            meta: meta.clone(),
        });
        assert_eq!(saved.lines()[0].meta, meta);
        assert!(saved.lines()[1].meta.is_empty());
        saved.apply(&CartChange::Clear);
        assert!(saved.is_empty());
        // Ids keep counting after a clear: a new line never takes an old line's id.
        let id = saved.add_line(item("CAP", None, 500), 1).unwrap().line_id;
        assert_eq!(id, 3);
    }

    proptest! {
        #[test]
        fn adding_then_removing_a_line_restores_the_cart(
            existing in proptest::collection::vec(("[A-D]", 1u32..5), 0..6),
            sku in "[E-H]", quantity in 1u32..200,
        ) {
            let mut cart = Cart::default();
            for (s, q) in existing {
                cart.add_line(item(&s, None, 500), q).unwrap();
            }
            let before = cart.lines().to_vec();
            let added = cart.add_line(item(&sku, Some("v"), 700), quantity).unwrap();
            prop_assert!(added.quantity <= DEFAULT_MAX_QUANTITY);
            cart.remove_line(added.line_id);
            prop_assert_eq!(cart.lines(), &before[..]);
        }
    }
}
