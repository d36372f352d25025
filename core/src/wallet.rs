//! The express wallet (Payment Request API): what the payment sheet is asked to show, what it
//! returns, and how that fills the checkout draft.

use crate::checkout::{Draft, Field, Step};
use serde_json::Value;

/// What the express wallet sheet shows (amounts as exact decimal strings).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalletRequest {
    /// The merchant's `wallet.methods`, handed to `new PaymentRequest(...)` as they are.
    pub methods: Value,
    pub currency: String,
    pub label: String,
    pub total: String,
    pub shipping_id: String,
    pub shipping_label: String,
    pub shipping: String,
    pub request_phone: bool,
}

/// What the wallet sheet returned.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WalletResult {
    pub method_name: String,
    /// The payment method's details (a token), for the endpoint to charge; never card numbers.
    pub details: Value,
    pub email: String,
    pub name: String,
    pub phone: String,
    pub country: String,
    pub postal_code: String,
    pub region: String,
    pub city: String,
    pub line1: String,
    pub line2: String,
}

impl Draft {
    /// Takes the contact and address the wallet returned (what it left empty stays as typed)
    /// and goes to the review step, paid by the wallet.
    pub fn fill_from_wallet(&mut self, paid: &WalletResult) {
        for (field, value) in [
            (Field::Email, &paid.email),
            (Field::Name, &paid.name),
            (Field::Phone, &paid.phone),
            (Field::Country, &paid.country),
            (Field::PostalCode, &paid.postal_code),
            (Field::Region, &paid.region),
            (Field::City, &paid.city),
            (Field::Line1, &paid.line1),
            (Field::Line2, &paid.line2),
        ] {
            if !value.is_empty() {
                self.values.insert(field, value.clone());
            }
        }
        self.payment_method = Some("wallet".into());
        self.step = Step::Review;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wallet_result_fills_what_it_has_and_keeps_what_it_lacks() {
        let mut draft = Draft::default();
        draft.values.insert(Field::Phone, "090-1234-5678".into());
        draft
            .values
            .insert(Field::Email, "typed@example.com".into());
        let paid = WalletResult {
            method_name: "https://pay.example".into(),
            email: "ada@example.com".into(),
            name: "Ada".into(),
            line1: "1 Main St".into(),
            ..WalletResult::default()
        };
        draft.fill_from_wallet(&paid);
        assert_eq!(draft.value(Field::Email), "ada@example.com");
        assert_eq!(
            draft.value(Field::Phone),
            "090-1234-5678",
            "kept: the wallet gave none"
        );
        assert_eq!(draft.value(Field::Line1), "1 Main St");
        assert_eq!(draft.payment_method.as_deref(), Some("wallet"));
        assert_eq!(draft.step, Step::Review);
    }
}
