//! The checkout part of the merchant's settings, from the JSON block
//! `<script type="application/json" id="kago-config">`: country, required fields, shipping
//! methods, payment methods, discount codes, the express wallet, and the delivery dates and
//! time slots a shopper may ask for (read with [`crate::delivery`]'s checked types).
//!
//! Each list entry is read into a serde type that knows its keys (`deny_unknown_fields`), so a
//! misspelt key (`min_subtotl`) leaves the entry out instead of silently dropping a limit; every
//! mistake is named by its path (`shipping_methods[1].price`) and value in one warning, and the
//! rest of the block keeps working.

use crate::config::Warnings;
use crate::currency::Currency;
use crate::delivery::{DeliveryDates, DeliverySlot, DeliverySlots, Weekday};
use crate::money::parse_minor;
use crate::pricing::Discount;
use crate::text::near_miss;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;

/// The checkout keys of the JSON block (beyond the script-tag settings, which it may also hold in
/// snake_case). README's JSON settings table documents each one; a test checks that every key
/// here has its row there.
pub const CHECKOUT_KEYS: &[&str] = &[
    "country",
    "required_fields",
    "shipping_methods",
    "payment_methods",
    "discount_codes",
    "wallet",
    "delivery_dates",
    "delivery_slots",
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShippingMethod {
    pub id: String,
    pub label: String,
    pub price: i64,
    pub free_over: Option<i64>,
    pub estimate: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentKind {
    /// Card and others on the merchant's hosted payment page (the order answer redirects).
    Hosted,
    BankTransfer,
    CashOnDelivery,
    ConvenienceStore,
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentMethod {
    pub id: String,
    pub label: String,
    pub kind: PaymentKind,
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiscountCode {
    pub code: String,
    pub discount: Discount,
    pub min_subtotal: Option<i64>,
}

/// Why a code the shopper typed gives no discount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeError {
    Unknown,
    BelowMinimum { min_subtotal: i64 },
}

/// Finds the code the shopper typed (case and surrounding spaces ignored) and checks its
/// minimum subtotal.
pub fn find_discount<'a>(
    codes: &'a [DiscountCode],
    typed: &str,
    subtotal: i64,
) -> Result<&'a DiscountCode, CodeError> {
    let typed = typed.trim();
    let code = codes
        .iter()
        .find(|c| c.code.eq_ignore_ascii_case(typed))
        .ok_or(CodeError::Unknown)?;
    match code.min_subtotal {
        Some(min) if subtotal < min => Err(CodeError::BelowMinimum { min_subtotal: min }),
        _ => Ok(code),
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct CheckoutSettings {
    pub country: Option<String>,
    pub phone_required: bool,
    /// フリガナ: the name's reading in katakana (`"required_fields": ["name_kana"]`).
    pub name_kana_required: bool,
    pub shipping_methods: Vec<ShippingMethod>,
    pub payment_methods: Vec<PaymentMethod>,
    pub discount_codes: Vec<DiscountCode>,
    /// PaymentMethodData list handed to `new PaymentRequest(...)` as it is.
    pub wallet_methods: Option<Value>,
    /// The delivery dates a shopper may ask for; none: no date is asked.
    pub delivery_dates: Option<DeliveryDates>,
    /// The delivery time slots a shopper may ask for; empty: no time is asked.
    pub delivery_slots: DeliverySlots,
}

/// The label used in messages for a key of the JSON block.
pub fn json_label(path: &str) -> String {
    format!("kago-config \"{path}\"")
}

/// The text of a JSON string, number or boolean, as a merchant would have typed it.
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn value_text(value: &Value) -> String {
    scalar_text(value).unwrap_or_else(|| value.to_string())
}

/// A string with something in it, trimmed.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)
            .map_err(|_| de::Error::custom("must be a non-empty string"))?;
        match text.trim() {
            "" => Err(de::Error::custom("must be a non-empty string")),
            trimmed => Ok(Text(trimmed.to_string())),
        }
    }
}

/// An amount as the merchant wrote it (`"12.50"` or `12.5`), read with the currency later.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Amount(String);

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AmountVisitor;
        impl Visitor<'_> for AmountVisitor {
            type Value = Amount;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number or a string like \"12.50\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Amount, E> {
                Ok(Amount(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Amount, E> {
                Ok(Amount(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Amount, E> {
                Ok(Amount(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Amount, E> {
                // Shortest text that reads back as the same number: what the merchant wrote.
                Ok(Amount(v.to_string()))
            }
        }
        deserializer.deserialize_any(AmountVisitor)
    }
}

/// `shipping_methods[]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ShippingEntry {
    id: Text,
    label: Text,
    price: Amount,
    #[serde(default)]
    free_over: Option<Amount>,
    #[serde(default)]
    estimate: Option<Text>,
}

/// `payment_methods[]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PaymentEntry {
    id: Text,
    label: Text,
    #[serde(default)]
    kind: Option<PaymentKind>,
    #[serde(default)]
    note: Option<Text>,
}

/// `discount_codes[]`: exactly one of `percent` and `amount`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DiscountEntry {
    code: Text,
    #[serde(default)]
    percent: Option<Amount>,
    #[serde(default)]
    amount: Option<Amount>,
    #[serde(default)]
    min_subtotal: Option<Amount>,
}

/// Reads the JSON block's checkout keys into the settings, warning about each mistake.
struct Reader<'w> {
    warnings: &'w mut Warnings,
    currency: Currency,
}

impl Reader<'_> {
    /// The entries of the list `key`, each read as `T` (a bad entry is named and left out),
    /// with the path and the JSON of each.
    fn list<'v, T: de::DeserializeOwned>(
        &mut self,
        root: &'v Map<String, Value>,
        key: &str,
    ) -> Vec<(String, &'v Value, T)> {
        let items = match root.get(key) {
            None => return Vec::new(),
            Some(Value::Array(items)) => items,
            Some(other) => {
                self.warnings.invalid(
                    &json_label(key),
                    &value_text(other),
                    "must be a list",
                    "none",
                );
                return Vec::new();
            }
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let path = format!("{key}[{i}]");
                if !item.is_object() {
                    self.skip(&path, item, "must be an object");
                    return None;
                }
                match serde_path_to_error::deserialize::<_, T>(item) {
                    Ok(entry) => Some((path, item, entry)),
                    Err(error) => {
                        self.entry_error(&path, item, &error);
                        None
                    }
                }
            })
            .collect()
    }

    /// Words serde's complaint about an entry for a merchant.
    fn entry_error(
        &mut self,
        path: &str,
        item: &Value,
        error: &serde_path_to_error::Error<serde_json::Error>,
    ) {
        let message = error.inner().to_string();
        let at = error.path().to_string();
        if let Some(missing) = between(&message, "missing field `", "`") {
            return self.skip(&format!("{path}.{missing}"), &Value::Null, "is missing");
        }
        let value = item.get(&at).unwrap_or(&Value::Null);
        let problem = if let Some(expected) = message.strip_prefix("unknown field `") {
            let known = known_names(expected);
            match near_miss(&at, known.iter().copied()) {
                Some(near) => format!("is not a key of this list (did you mean \"{near}\"?)"),
                None => "is not a key of this list (README, \"Full settings\", lists them)".into(),
            }
        } else if let Some(expected) = message.strip_prefix("unknown variant `") {
            format!("is not one of {}", known_names(expected).join(", "))
        } else if let Some((_, expected)) = message.split_once(", expected ") {
            format!("must be {expected}")
        } else {
            message
        };
        self.skip(&format!("{path}.{at}"), value, &problem);
    }

    fn skip(&mut self, path: &str, value: &Value, problem: &str) {
        self.warnings
            .skipped(&json_label(path), &value_text(value), problem);
    }

    fn invalid(&mut self, path: &str, value: &Value, problem: &str, fallback: &str) {
        self.warnings
            .invalid(&json_label(path), &value_text(value), problem, fallback);
    }

    /// An amount of the entry in minor units (`exponent` decimals), or the entry is skipped.
    fn minor(&mut self, path: &str, key: &str, amount: &Amount, exponent: u8) -> Option<i64> {
        parse_minor(&amount.0, exponent)
            .map_err(|e| {
                self.warnings.skipped(
                    &json_label(&format!("{path}.{key}")),
                    &amount.0,
                    &format!("is not a valid amount: it {e}"),
                )
            })
            .ok()
    }

    /// An optional amount; `Err` when it is there but bad (the entry is then skipped).
    fn optional_minor(
        &mut self,
        path: &str,
        key: &str,
        amount: &Option<Amount>,
        exponent: u8,
    ) -> Result<Option<i64>, ()> {
        match amount {
            None => Ok(None),
            Some(amount) => self.minor(path, key, amount, exponent).map(Some).ok_or(()),
        }
    }

    /// Adds an entry unless an earlier one has the same name (`same`): the repeat is reported
    /// at `path.key` and left out.
    fn push_unique<T>(
        &mut self,
        list: &mut Vec<T>,
        entry: T,
        (path, key): (&str, &str),
        name: impl Fn(&T) -> &str,
        same: impl Fn(&str, &str) -> bool,
        problem: &str,
    ) {
        if list.iter().any(|earlier| same(name(earlier), name(&entry))) {
            let value = Value::String(name(&entry).to_string());
            self.skip(&format!("{path}.{key}"), &value, problem);
        } else {
            list.push(entry);
        }
    }

    /// A method, unless an earlier one has its id (methods are told apart by id).
    fn push_unique_id<T>(
        &mut self,
        list: &mut Vec<T>,
        entry: T,
        path: &str,
        id: impl Fn(&T) -> &str,
    ) {
        let same = |a: &str, b: &str| a == b;
        self.push_unique(list, entry, (path, "id"), id, same, "repeats an earlier id");
    }

    fn shipping_method(&mut self, path: &str, entry: ShippingEntry) -> Option<ShippingMethod> {
        let exponent = self.currency.exponent();
        let price = self.minor(path, "price", &entry.price, exponent)?;
        let free_over = self
            .optional_minor(path, "free_over", &entry.free_over, exponent)
            .ok()?;
        Some(ShippingMethod {
            id: entry.id.0,
            label: entry.label.0,
            price,
            free_over,
            estimate: entry.estimate.map(|t| t.0),
        })
    }

    fn discount_code(
        &mut self,
        path: &str,
        item: &Value,
        entry: DiscountEntry,
    ) -> Option<DiscountCode> {
        let exponent = self.currency.exponent();
        let percent = self
            .optional_minor(path, "percent", &entry.percent, 2)
            .ok()?;
        let amount = self
            .optional_minor(path, "amount", &entry.amount, exponent)
            .ok()?;
        let discount = match (percent, amount) {
            (Some(bp), None) if (1..=10_000).contains(&bp) => Discount::Percent {
                basis_points: bp as u32,
            },
            (None, Some(minor)) if minor > 0 => Discount::Fixed { minor },
            _ => {
                self.skip(
                    path,
                    item,
                    "needs exactly one of percent (0–100) or amount (> 0)",
                );
                return None;
            }
        };
        let min_subtotal = self
            .optional_minor(path, "min_subtotal", &entry.min_subtotal, exponent)
            .ok()?;
        Some(DiscountCode {
            code: entry.code.0,
            discount,
            min_subtotal,
        })
    }
}

/// The text between `start` and the next `end` in `message`.
fn between<'m>(message: &'m str, start: &str, end: &str) -> Option<&'m str> {
    let rest = message.split_once(start)?.1;
    rest.split_once(end).map(|(inside, _)| inside)
}

/// The names serde lists after "expected" in an unknown field or variant error:
/// "…`, expected one of `id`, `label`" → `["id", "label"]`.
fn known_names(message: &str) -> Vec<&str> {
    let list = message.split_once("expected").map_or("", |(_, list)| list);
    list.split('`').skip(1).step_by(2).collect()
}

// `delivery_dates` and `delivery_slots` are read from the block's JSON by hand into the
// delivery module's checked constructors (`DeliveryDates::new`, `DeliverySlots::new`), as
// `country` and `wallet` are read here, rather than through its serde `Deserialize`: serde's
// path instantiates `&Value`'s deserializer for four more visitors, 4.0 KB gzip of wasm for
// two small objects, where this reading costs 2.3 KB (measured 2026-12-04, release build).
// Keys, rules and wording follow the serde impls, which stay the reference: a test holds both
// to the same answers.

/// `delivery_dates`: `{earliest, count, exclude_weekdays?}` and nothing else.
fn delivery_dates(v: &Value) -> Result<DeliveryDates, String> {
    const KEYS: [&str; 3] = ["earliest", "count", "exclude_weekdays"];
    let map = v
        .as_object()
        .ok_or("expected an object like {\"earliest\": 2, \"count\": 14}")?;
    known_keys(map, &KEYS)?;
    let number = |key: &str| match map.get(key) {
        None => Err(format!("missing field `{key}`")),
        Some(n) => n
            .as_u64()
            .and_then(|n| u16::try_from(n).ok())
            .ok_or_else(|| format!("invalid value: {key} {n} is not a whole number of days")),
    };
    let mut excluded = Vec::new();
    if let Some(days) = map.get("exclude_weekdays") {
        let days = days
            .as_array()
            .ok_or("invalid type: exclude_weekdays must be a list like [\"sun\"]")?;
        for day in days {
            let weekday = match day {
                Value::Number(n) => Err(format!(
                    "weekday {n}: write the day's name (\"sun\" … \"sat\"), numbers differ between calendars"
                )),
                _ => day
                    .as_str()
                    .and_then(|name| Weekday::ALL.into_iter().find(|d| d.key() == name))
                    .ok_or_else(|| format!(
                        "invalid value: {day}, expected a weekday: \"sun\", \"mon\", \"tue\", \"wed\", \"thu\", \"fri\" or \"sat\""
                    )),
            };
            excluded.push(weekday?);
        }
    }
    DeliveryDates::new(number("earliest")?, number("count")?, &excluded).map_err(|e| e.to_string())
}

/// `delivery_slots`: `[{id, label}]`, each with those two keys only.
fn delivery_slots(v: &Value) -> Result<DeliverySlots, String> {
    let items = v
        .as_array()
        .ok_or("expected a list like [{\"id\": \"am\", \"label\": \"午前中\"}]")?;
    let mut slots = Vec::with_capacity(items.len());
    for item in items {
        let map = item
            .as_object()
            .ok_or("each slot must be an object {id, label}")?;
        known_keys(map, &["id", "label"])?;
        let text = |key: &str| match map.get(key) {
            None => Err(format!("missing field `{key}`")),
            Some(t) => t
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| format!("invalid type: {key} {t} is not a string")),
        };
        slots.push(DeliverySlot {
            id: text("id")?,
            label: text("label")?,
        });
    }
    DeliverySlots::new(slots).map_err(|e| e.to_string())
}

/// Refuses a key the object may not have, as serde's `deny_unknown_fields` words it.
fn known_keys(map: &Map<String, Value>, keys: &[&str]) -> Result<(), String> {
    match map.keys().find(|k| !keys.contains(&k.as_str())) {
        Some(key) => Err(format!(
            "unknown field `{key}`, expected one of `{}`",
            keys.join("`, `")
        )),
        None => Ok(()),
    }
}

/// Reads the checkout keys of the JSON block; every bad entry is named in a warning and skipped.
pub(crate) fn parse_checkout_settings(
    root: &Map<String, Value>,
    currency: Currency,
    warnings: &mut Warnings,
) -> CheckoutSettings {
    let mut r = Reader { warnings, currency };
    let mut settings = CheckoutSettings::default();

    if let Some(v) = root.get("country") {
        match v.as_str().map(str::trim) {
            Some(c) if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) => {
                settings.country = Some(c.to_ascii_uppercase());
            }
            _ => r.invalid(
                "country",
                v,
                "is not an ISO 3166 alpha-2 code like \"JP\"",
                "the currency's country",
            ),
        }
    }

    match root.get("required_fields") {
        None => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                match item.as_str() {
                    Some("phone") => settings.phone_required = true,
                    Some("name_kana") => settings.name_kana_required = true,
                    _ => r.skip(
                        &format!("required_fields[{i}]"),
                        item,
                        "is not a field Kago can require (phone, name_kana)",
                    ),
                }
            }
        }
        Some(other) => r.invalid(
            "required_fields",
            other,
            "must be a list like [\"phone\"]",
            "no extra fields",
        ),
    }

    for (path, _, entry) in r.list::<ShippingEntry>(root, "shipping_methods") {
        if let Some(method) = r.shipping_method(&path, entry) {
            r.push_unique_id(&mut settings.shipping_methods, method, &path, |m| &m.id);
        }
    }

    for (path, _, entry) in r.list::<PaymentEntry>(root, "payment_methods") {
        let method = PaymentMethod {
            id: entry.id.0,
            label: entry.label.0,
            kind: entry.kind.unwrap_or(PaymentKind::Other),
            note: entry.note.map(|t| t.0),
        };
        r.push_unique_id(&mut settings.payment_methods, method, &path, |m| &m.id);
    }

    for (path, item, entry) in r.list::<DiscountEntry>(root, "discount_codes") {
        if let Some(code) = r.discount_code(&path, item, entry) {
            // Codes match case-insensitively: a second "save5" could never apply.
            let list = &mut settings.discount_codes;
            r.push_unique(
                list,
                code,
                (&path, "code"),
                |c| &c.code,
                |a, b| a.eq_ignore_ascii_case(b),
                "repeats an earlier code (codes match in any case)",
            );
        }
    }

    if let Some(v) = root.get("wallet") {
        let methods = v.get("methods").filter(|m| {
            m.as_array().is_some_and(|a| {
                !a.is_empty()
                    && a.iter()
                        .all(|x| x.get("supportedMethods").is_some_and(Value::is_string))
            })
        });
        match methods {
            Some(m) => settings.wallet_methods = Some(m.clone()),
            None => r.invalid(
                "wallet",
                v,
                "needs methods: a non-empty list of {supportedMethods, data}",
                "no wallet button",
            ),
        }
    }

    // Read whole into the delivery module's checked types: one warning naming the key, and that
    // choice stays off (a date rule half applied would offer dates the merchant does not
    // deliver on).
    if let Some(v) = root.get("delivery_dates") {
        match delivery_dates(v) {
            Ok(dates) => settings.delivery_dates = Some(dates),
            Err(problem) => r.invalid(
                "delivery_dates",
                v,
                &format!("is refused: {problem}"),
                "no delivery date choice",
            ),
        }
    }
    if let Some(v) = root.get("delivery_slots") {
        match delivery_slots(v) {
            Ok(slots) => settings.delivery_slots = slots,
            Err(problem) => r.invalid(
                "delivery_slots",
                v,
                &format!("is refused: {problem}"),
                "no delivery time choice",
            ),
        }
    }
    settings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> (CheckoutSettings, Vec<String>) {
        let root: Value = serde_json::from_str(json).unwrap();
        let mut warnings = Warnings::default();
        let s = parse_checkout_settings(root.as_object().unwrap(), Currency::USD, &mut warnings);
        (s, warnings.0.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn a_full_block_is_read() {
        let (s, w) = parse(
            r#"{
            "country": "us", "required_fields": ["phone"],
            "shipping_methods": [{"id": "std", "label": "Standard", "price": "5.00", "free_over": 100, "estimate": "3–5 days"},
                                 {"id": "exp", "label": "Express", "price": 15}],
            "payment_methods": [{"id": "card", "label": "Card", "kind": "hosted"}, {"id": "cod", "label": "Cash on delivery", "kind": "cash_on_delivery", "note": "+$3"}],
            "discount_codes": [{"code": "WELCOME10", "percent": 10, "min_subtotal": "30"}, {"code": "FIVE", "amount": "5"}],
            "wallet": {"methods": [{"supportedMethods": "https://pay.example", "data": {}}]}
        }"#,
        );
        assert_eq!(w, Vec::<String>::new());
        assert_eq!(s.country.as_deref(), Some("US"));
        assert!(s.phone_required);
        assert_eq!(
            s.shipping_methods[0],
            ShippingMethod {
                id: "std".into(),
                label: "Standard".into(),
                price: 500,
                free_over: Some(10_000),
                estimate: Some("3–5 days".into())
            }
        );
        assert_eq!(s.shipping_methods[1].price, 1500);
        assert_eq!(s.payment_methods[1].kind, PaymentKind::CashOnDelivery);
        assert_eq!(
            s.discount_codes[0].discount,
            Discount::Percent { basis_points: 1000 }
        );
        assert_eq!(s.discount_codes[0].min_subtotal, Some(3000));
        assert_eq!(s.discount_codes[1].discount, Discount::Fixed { minor: 500 });
        assert!(s.wallet_methods.is_some());
    }

    #[test]
    fn bad_entries_are_named_by_path_and_skipped() {
        let (s, w) = parse(
            r#"{
            "shipping_methods": [{"id": "std", "label": "Standard", "price": "5,00"}, {"id": "ok", "label": "OK", "price": 1}, {"id": "ok", "label": "Again", "price": 2}],
            "payment_methods": [{"id": "x", "label": "X", "kind": "bitcoin"}, "card"],
            "discount_codes": [{"code": "BOTH", "percent": 5, "amount": 5}],
            "required_fields": ["fax"], "country": "Japan", "wallet": {}
        }"#,
        );
        assert_eq!(s.shipping_methods.len(), 1);
        assert!(s.payment_methods.is_empty() && s.discount_codes.is_empty());
        let all = w.join("\n");
        for path in [
            "shipping_methods[0].price",
            "shipping_methods[2].id",
            "payment_methods[0].kind",
            "payment_methods[1]",
            "discount_codes[0]",
            "required_fields[0]",
            "\"country\"",
            "\"wallet\"",
        ] {
            assert!(all.contains(path), "{path} missing from:\n{all}");
        }
        // Read as a sentence: "… is skipped", never "using skipping"; "5,00" is refused for
        // its comma without guessing what the comma meant.
        let price = w
            .iter()
            .find(|m| m.contains("shipping_methods[0].price"))
            .unwrap();
        assert!(price.ends_with("; skipping this entry."), "{price}");
        assert!(price.contains("has a ',' or another separator"), "{price}");
        assert!(!all.contains("using skipping"), "{all}");
        assert!(!all.contains("using ignoring"), "{all}");
        for entry in ["required_fields[0]", "discount_codes[0]"] {
            let line = w.iter().find(|m| m.contains(entry)).unwrap();
            assert!(line.ends_with("; skipping this entry."), "{line}");
        }
    }

    #[test]
    fn discount_codes_match_case_insensitively_and_respect_minimums() {
        let codes = vec![DiscountCode {
            code: "WELCOME10".into(),
            discount: Discount::Percent { basis_points: 1000 },
            min_subtotal: Some(3000),
        }];
        assert!(find_discount(&codes, " welcome10 ", 3000).is_ok());
        assert_eq!(
            find_discount(&codes, "welcome10", 2999),
            Err(CodeError::BelowMinimum { min_subtotal: 3000 })
        );
        assert_eq!(
            find_discount(&codes, "NOPE", 10_000),
            Err(CodeError::Unknown)
        );
    }

    #[test]
    fn an_entry_with_an_unknown_key_or_a_repeated_code_is_named_and_left_out() {
        let (s, w) = parse(
            r#"{
            "shipping_methods": [{"id": "std", "label": "Standard", "price": "5.00", "free_ovr": "100"},
                                 {"id": "exp", "label": "Express", "price": 15, "speed": "fast"}],
            "discount_codes": [{"code": "BIG20", "percent": 20, "min_subtotl": "200"},
                               {"code": "SAVE5", "amount": "5"}, {"code": " save5 ", "amount": "50"}]
        }"#,
        );
        assert_eq!(
            w,
            [
                "Kago: kago-config \"shipping_methods[0].free_ovr\"=\"100\" is not a key of this list (did you mean \"free_over\"?); skipping this entry.",
                "Kago: kago-config \"shipping_methods[1].speed\"=\"fast\" is not a key of this list (README, \"Full settings\", lists them); skipping this entry.",
                "Kago: kago-config \"discount_codes[0].min_subtotl\"=\"200\" is not a key of this list (did you mean \"min_subtotal\"?); skipping this entry.",
                "Kago: kago-config \"discount_codes[2].code\"=\"save5\" repeats an earlier code (codes match in any case); skipping this entry.",
            ]
        );
        // A misspelt minimum never turns into a code without one.
        assert!(s.shipping_methods.is_empty());
        assert_eq!(s.discount_codes.len(), 1);
        assert_eq!(s.discount_codes[0].discount, Discount::Fixed { minor: 500 });
    }

    #[test]
    fn delivery_dates_and_slots_and_the_kana_reading_are_read() {
        let (s, w) = parse(
            r#"{
            "required_fields": ["name_kana", "phone"],
            "delivery_dates": {"earliest": 2, "count": 14, "exclude_weekdays": ["sun"]},
            "delivery_slots": [{"id": "am", "label": "午前中"}, {"id": "14-16", "label": "14時〜16時"}]
        }"#,
        );
        assert_eq!(w, Vec::<String>::new());
        assert!(s.name_kana_required && s.phone_required);
        let dates = s.delivery_dates.unwrap();
        assert_eq!((dates.earliest(), dates.count()), (2, 14));
        assert!(dates.is_excluded(crate::delivery::Weekday::Sun));
        let ids: Vec<&str> = s
            .delivery_slots
            .as_slice()
            .iter()
            .map(|s| s.id.as_str())
            .collect();
        assert_eq!(ids, ["am", "14-16"]);
        let (s, w) = parse("{}");
        assert!(s.delivery_dates.is_none() && s.delivery_slots.as_slice().is_empty());
        assert!(!s.name_kana_required && w.is_empty());
    }

    /// The reader `by_hand` accepts `json` exactly when `T`'s serde impl does, with the same value.
    fn same_as_serde<T>(json: &str, by_hand: fn(&Value) -> Result<T, String>)
    where
        T: serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        let v: Value = serde_json::from_str(json).unwrap();
        let by_serde = T::deserialize(&v).map_err(|e| e.to_string());
        let by_hand = by_hand(&v);
        assert_eq!(
            by_hand.is_ok(),
            by_serde.is_ok(),
            "{json}: {by_hand:?} / {by_serde:?}"
        );
        if let (Ok(a), Ok(b)) = (&by_hand, &by_serde) {
            assert_eq!(a, b, "{json}");
        }
    }

    #[test]
    fn delivery_settings_read_by_hand_agree_with_the_delivery_modules_serde_impls() {
        for json in [
            r#"{"earliest": 2, "count": 14}"#,
            r#"{"earliest": 0, "count": 1, "exclude_weekdays": ["sun", "sat"]}"#,
            r#"{"earliest": 2, "count": 0}"#,
            r#"{"earliest": 366, "count": 7}"#,
            r#"{"earliest": -1, "count": 7}"#,
            r#"{"earliest": 1.5, "count": 7}"#,
            r#"{"earliest": "2", "count": 7}"#,
            r#"{"count": 7}"#,
            r#"{"earliest": 1, "count": 7, "exclude": ["sun"]}"#,
            r#"{"earliest": 1, "count": 7, "exclude_weekdays": ["sunday"]}"#,
            r#"{"earliest": 1, "count": 7, "exclude_weekdays": [0]}"#,
            r#"{"earliest": 1, "count": 7, "exclude_weekdays": "sun"}"#,
            r#"{"earliest": 1, "count": 7, "exclude_weekdays": ["sun","mon","tue","wed","thu","fri","sat"]}"#,
        ] {
            same_as_serde::<DeliveryDates>(json, delivery_dates);
        }
        // One difference, on purpose: serde's derive also reads a struct from a list, by
        // position; the block takes the object only, whose keys say what each number is.
        let positional: Value = serde_json::from_str("[2, 14]").unwrap();
        assert!(DeliveryDates::deserialize(&positional).is_ok());
        assert!(delivery_dates(&positional).is_err());
        for json in [
            r#"[{"id": "am", "label": "午前中"}, {"id": "14-16", "label": "14時〜16時"}]"#,
            r#"[]"#,
            r#"[{"id": "am", "label": "午前中"}, {"id": "am", "label": "午後"}]"#,
            r#"[{"id": "午前", "label": "午前中"}]"#,
            r#"[{"id": "am", "label": "  "}]"#,
            r#"[{"id": "am", "label": "午前中", "price": 100}]"#,
            r#"[{"id": "am"}]"#,
            r#"[{"id": 1, "label": "午前中"}]"#,
            r#"["am"]"#,
            r#""am""#,
        ] {
            same_as_serde::<DeliverySlots>(json, delivery_slots);
        }
    }

    #[test]
    fn a_bad_delivery_setting_is_one_warning_naming_the_key_and_that_choice_stays_off() {
        let (s, w) = parse(
            r#"{
            "delivery_dates": {"earliest": 2, "count": 0},
            "delivery_slots": [{"id": "am", "label": "午前中"}, {"id": "am", "label": "午後"}]
        }"#,
        );
        assert!(s.delivery_dates.is_none());
        assert!(s.delivery_slots.as_slice().is_empty());
        assert_eq!(
            w,
            [
                r#"Kago: kago-config "delivery_dates"="{"count":0,"earliest":2}" is refused: delivery_dates.count is 0: it must be 1 to 60 dates; using no delivery date choice."#,
                r#"Kago: kago-config "delivery_slots"="[{"id":"am","label":"午前中"},{"id":"am","label":"午後"}]" is refused: delivery_slots: id "am" is used twice; using no delivery time choice."#,
            ]
        );
        // Each key on its own: a good one stays on beside a bad one.
        let (s, w) = parse(
            r#"{"delivery_dates": {"earliest": 1, "count": 3, "exclude": ["sun"]},
                "delivery_slots": [{"id": "am", "label": "午前中"}]}"#,
        );
        assert!(s.delivery_dates.is_none());
        assert_eq!(s.delivery_slots.as_slice().len(), 1);
        assert_eq!(w.len(), 1);
        assert!(
            w[0].contains("\"delivery_dates\"") && w[0].contains("unknown field `exclude`"),
            "{w:?}"
        );
        let (_, w) = parse(r#"{"delivery_slots": "am"}"#);
        assert!(
            w[0].starts_with("Kago: kago-config \"delivery_slots\"=\"am\" is refused"),
            "{w:?}"
        );
    }
}
