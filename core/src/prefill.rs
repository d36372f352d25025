//! The shopper's details a page already knows (a signed-in account), put into the checkout
//! draft before the shopper types: `Kago.prefill({email, name, phone, address})`.
//!
//! They live in the draft only, as if typed (the draft is this tab's `sessionStorage`): never
//! in an event, and only what the shopper has not typed yet is filled.

use crate::checkout::{Draft, Field};
use serde::Deserialize;

/// What a page may fill in; every field optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prefill {
    pub email: Option<String>,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub address: Option<PrefillAddress>,
}

/// The shipping address, in the order body's names.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrefillAddress {
    pub country: Option<String>,
    pub postal_code: Option<String>,
    pub region: Option<String>,
    pub city: Option<String>,
    pub line1: Option<String>,
    pub line2: Option<String>,
}

/// Reads `Kago.prefill`'s argument as JSON; the error names the wrong key or value.
pub fn parse_prefill(json: &str) -> Result<Prefill, String> {
    serde_json::from_str(json).map_err(|e| e.to_string())
}

impl Prefill {
    /// Each value with its field.
    fn values(&self) -> Vec<(Field, &Option<String>)> {
        let mut values = vec![
            (Field::Email, &self.email),
            (Field::Name, &self.name),
            (Field::Phone, &self.phone),
        ];
        if let Some(a) = &self.address {
            values.extend([
                (Field::Country, &a.country),
                (Field::PostalCode, &a.postal_code),
                (Field::Region, &a.region),
                (Field::City, &a.city),
                (Field::Line1, &a.line1),
                (Field::Line2, &a.line2),
            ]);
        }
        values
    }

    /// Fills the fields the shopper has left empty (trimmed; at most 200 characters each, the
    /// rest cut); returns whether any changed.
    pub fn fill(&self, draft: &mut Draft) -> bool {
        let mut changed = false;
        for (field, value) in self.values() {
            let Some(value) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) else {
                continue;
            };
            if draft.value(field).trim().is_empty() {
                let value: String = value.chars().take(crate::product::MAX_TEXT_LEN).collect();
                draft.values.insert(field, value);
                changed = true;
            }
        }
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefill_fills_only_what_the_shopper_left_empty() {
        let prefill = parse_prefill(
            r#"{"email": " ana@example.com ", "name": "Ana", "phone": "",
                "address": {"postal_code": "150-0001", "city": "Shibuya-ku", "line1": "1-2-3"}}"#,
        )
        .unwrap();
        let mut draft = Draft::default();
        draft.values.insert(Field::Name, "Ana Typed".into());
        assert!(prefill.fill(&mut draft));
        assert_eq!(draft.value(Field::Email), "ana@example.com");
        assert_eq!(
            draft.value(Field::Name),
            "Ana Typed",
            "what the shopper typed stays"
        );
        assert_eq!(draft.value(Field::Phone), "");
        assert_eq!(draft.value(Field::PostalCode), "150-0001");
        assert_eq!(draft.value(Field::Line1), "1-2-3");
        assert!(!prefill.fill(&mut draft), "nothing left to fill");
    }

    #[test]
    fn a_wrong_key_or_value_is_named() {
        let error = parse_prefill(r#"{"mail": "a@b.c"}"#).unwrap_err();
        assert!(error.contains("unknown field `mail`"), "{error}");
        let error = parse_prefill(r#"{"address": {"zip": "10001"}}"#).unwrap_err();
        assert!(error.contains("`zip`"), "{error}");
        let error = parse_prefill(r#"{"name": 3}"#).unwrap_err();
        assert!(error.contains("invalid type"), "{error}");
    }
}
