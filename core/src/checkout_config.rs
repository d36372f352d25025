//! The checkout part of the merchant's settings, from the JSON block
//! `<script type="application/json" id="kago-config">`: country, required fields, shipping
//! methods, payment methods, discount codes and the express wallet.

use crate::config::{edit_distance, ConfigWarning};
use crate::currency::Currency;
use crate::json::{Map, Value};
use crate::money::parse_minor;
use crate::pricing::Discount;

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
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShippingMethod {
    pub id: String,
    pub label: String,
    pub price: i64,
    pub free_over: Option<i64>,
    pub estimate: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaymentKind {
    /// Card and others on the merchant's hosted payment page (the order answer redirects).
    Hosted,
    BankTransfer,
    CashOnDelivery,
    ConvenienceStore,
    Other,
}

impl PaymentKind {
    fn parse(text: &str) -> Option<PaymentKind> {
        Some(match text {
            "hosted" => PaymentKind::Hosted,
            "bank_transfer" => PaymentKind::BankTransfer,
            "cash_on_delivery" => PaymentKind::CashOnDelivery,
            "convenience_store" => PaymentKind::ConvenienceStore,
            "other" => PaymentKind::Other,
            _ => return None,
        })
    }
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
    pub shipping_methods: Vec<ShippingMethod>,
    pub payment_methods: Vec<PaymentMethod>,
    pub discount_codes: Vec<DiscountCode>,
    /// PaymentMethodData list handed to `new PaymentRequest(...)` as it is.
    pub wallet_methods: Option<Value>,
}

/// Methods are told apart by their `id`.
trait HasId {
    fn id(&self) -> &str;
}

impl HasId for ShippingMethod {
    fn id(&self) -> &str {
        &self.id
    }
}

impl HasId for PaymentMethod {
    fn id(&self) -> &str {
        &self.id
    }
}

/// The label used in messages for a key of the JSON block.
pub fn json_label(path: &str) -> String {
    format!("kago-config \"{path}\"")
}

struct Reader<'w> {
    warnings: &'w mut Vec<ConfigWarning>,
    currency: Currency,
}

impl Reader<'_> {
    fn invalid(&mut self, path: &str, value: &Value, problem: &str, fallback: &str) {
        self.warnings.push(ConfigWarning::Invalid {
            attribute: json_label(path),
            value: value_text(value),
            problem: problem.into(),
            fallback: fallback.into(),
        });
    }

    /// A list entry with a mistake: reported, and left out.
    fn skip(&mut self, path: &str, value: &Value, problem: &str) {
        self.warnings.push(ConfigWarning::Skipped {
            attribute: json_label(path),
            value: value_text(value),
            problem: problem.into(),
        });
    }

    fn text(
        &mut self,
        item: &Map,
        path: &str,
        key: &str,
        required: bool,
    ) -> Result<Option<String>, ()> {
        match item.get(key) {
            None | Some(Value::Null) if !required => Ok(None),
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.trim().to_string())),
            other => {
                let v = other.cloned().unwrap_or(Value::Null);
                self.skip(&format!("{path}.{key}"), &v, "must be a non-empty string");
                Err(())
            }
        }
    }

    fn amount(
        &mut self,
        item: &Map,
        path: &str,
        key: &str,
        exponent: u8,
    ) -> Result<Option<i64>, ()> {
        let Some(v) = item.get(key).filter(|v| !v.is_null()) else {
            return Ok(None);
        };
        match scalar_text(v).map(|t| parse_minor(&t, exponent)) {
            Some(Ok(minor)) => Ok(Some(minor)),
            Some(Err(e)) => {
                self.skip(
                    &format!("{path}.{key}"),
                    v,
                    &format!("is not a valid amount: it {e}"),
                );
                Err(())
            }
            None => {
                self.skip(
                    &format!("{path}.{key}"),
                    v,
                    "must be a number or a string like \"12.50\"",
                );
                Err(())
            }
        }
    }

    /// Adds a method unless an earlier one has its id (reported and skipped).
    fn push_unique<M: HasId>(&mut self, list: &mut Vec<M>, method: M, path: &str) {
        if list.iter().any(|m| m.id() == method.id()) {
            let id = Value::String(method.id().to_string());
            self.skip(&format!("{path}.id"), &id, "repeats an earlier id");
        } else {
            list.push(method);
        }
    }

    /// The entries of the list `key` that are objects holding only the `keys` an entry has
    /// (an unknown one, likely a misspelt limit such as `min_subtotl`, leaves the entry out).
    fn list<'v>(&mut self, root: &'v Map, key: &str, keys: &[&str]) -> Vec<(String, &'v Map)> {
        match root.get(key) {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| {
                    let path = format!("{key}[{i}]");
                    let Value::Object(map) = item else {
                        self.skip(&path, item, "must be an object");
                        return None;
                    };
                    let Some((unknown, v)) = map.iter().find(|(k, _)| !keys.contains(&k.as_str()))
                    else {
                        return Some((path, map));
                    };
                    let problem = match keys.iter().find(|k| edit_distance(k, unknown) <= 2) {
                        Some(near) => {
                            format!("is not a key of this list (did you mean \"{near}\"?)")
                        }
                        None => "is not a key of this list (README, \"Full settings\", lists them)"
                            .into(),
                    };
                    self.skip(&format!("{path}.{unknown}"), v, &problem);
                    None
                })
                .collect(),
            Some(other) => {
                self.invalid(key, other, "must be a list", "none");
                Vec::new()
            }
        }
    }
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

/// Reads the checkout keys of the JSON block; every bad entry is named in a warning and skipped.
pub fn parse_checkout_settings(
    root: &Map,
    currency: Currency,
    warnings: &mut Vec<ConfigWarning>,
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
                    _ => r.skip(
                        &format!("required_fields[{i}]"),
                        item,
                        "is not a field Kago can require (phone)",
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

    let exponent = r.currency.exponent();
    for (path, item) in r.list(
        root,
        "shipping_methods",
        &["id", "label", "price", "free_over", "estimate"],
    ) {
        let parsed: Result<ShippingMethod, ()> = (|| {
            let id = r.text(item, &path, "id", true)?.unwrap_or_default();
            let label = r.text(item, &path, "label", true)?.unwrap_or_default();
            let price = match r.amount(item, &path, "price", exponent)? {
                Some(p) => p,
                None => {
                    r.skip(&format!("{path}.price"), &Value::Null, "is missing");
                    return Err(());
                }
            };
            let free_over = r.amount(item, &path, "free_over", exponent)?;
            let estimate = r.text(item, &path, "estimate", false)?;
            Ok(ShippingMethod {
                id,
                label,
                price,
                free_over,
                estimate,
            })
        })();
        if let Ok(method) = parsed {
            r.push_unique(&mut settings.shipping_methods, method, &path);
        }
    }

    for (path, item) in r.list(root, "payment_methods", &["id", "label", "kind", "note"]) {
        let parsed: Result<PaymentMethod, ()> = (|| {
            let id = r.text(item, &path, "id", true)?.unwrap_or_default();
            let label = r.text(item, &path, "label", true)?.unwrap_or_default();
            let kind = match r.text(item, &path, "kind", false)? {
                None => PaymentKind::Other,
                Some(k) => PaymentKind::parse(&k).ok_or_else(|| {
                    r.skip(&format!("{path}.kind"), &Value::String(k), "is not one of hosted, bank_transfer, cash_on_delivery, convenience_store, other");
                })?,
            };
            let note = r.text(item, &path, "note", false)?;
            Ok(PaymentMethod {
                id,
                label,
                kind,
                note,
            })
        })();
        if let Ok(method) = parsed {
            r.push_unique(&mut settings.payment_methods, method, &path);
        }
    }

    for (path, item) in r.list(
        root,
        "discount_codes",
        &["code", "percent", "amount", "min_subtotal"],
    ) {
        let parsed: Result<DiscountCode, ()> = (|| {
            let code = r.text(item, &path, "code", true)?.unwrap_or_default();
            let percent = r.amount(item, &path, "percent", 2)?;
            let amount = r.amount(item, &path, "amount", exponent)?;
            let discount = match (percent, amount) {
                (Some(bp), None) if (1..=10_000).contains(&bp) => Discount::Percent {
                    basis_points: bp as u32,
                },
                (None, Some(minor)) if minor > 0 => Discount::Fixed { minor },
                _ => {
                    r.skip(
                        &path,
                        &Value::Object(item.clone()),
                        "needs exactly one of percent (0–100) or amount (> 0)",
                    );
                    return Err(());
                }
            };
            let min_subtotal = r.amount(item, &path, "min_subtotal", exponent)?;
            Ok(DiscountCode {
                code,
                discount,
                min_subtotal,
            })
        })();
        match parsed {
            // Codes match case-insensitively: a second "save5" could never apply.
            Ok(code)
                if settings
                    .discount_codes
                    .iter()
                    .any(|c| c.code.eq_ignore_ascii_case(&code.code)) =>
            {
                r.skip(
                    &format!("{path}.code"),
                    &Value::String(code.code),
                    "repeats an earlier code (codes match in any case)",
                );
            }
            Ok(code) => settings.discount_codes.push(code),
            Err(()) => {}
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
    settings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> (CheckoutSettings, Vec<String>) {
        let root = crate::json::parse(json).unwrap();
        let mut warnings = Vec::new();
        let s = parse_checkout_settings(root.as_object().unwrap(), Currency::USD, &mut warnings);
        (s, warnings.iter().map(ToString::to_string).collect())
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
}
