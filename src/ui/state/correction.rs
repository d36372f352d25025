//! The order endpoint corrected the order (README, "Trusting the order"): the core applies the
//! correction to the cart (saved, and so seen by other tabs) and the draft, the review step
//! shows what changed with the new totals, and one more tap on "Place order" sends the
//! corrected order under a new idempotency key (the order changed, so its key does).

use super::{Shop, Submit};
use kago_core::checkout_config::CodeError;
use kago_core::correction::Correction;
use kago_core::events::{EventKind, FailReason};
use leptos::prelude::*;

impl Shop {
    pub(super) fn order_corrected(&self, correction: &Correction, status: u16) {
        let shipping_was = self.totals.get_untracked().shipping.minor;
        let mut cart = self.cart.get_untracked();
        let mut draft = self.checkout.draft.get_untracked();
        let notices = correction.apply(&mut cart, &mut draft, shipping_was);
        if notices.is_empty() {
            // Nothing to change: the same order would be corrected again.
            self.emit(EventKind::OrderFailed {
                reason: FailReason::Rejected,
                status,
            });
            self.submit.set(Submit::Rejected(None));
            return;
        }
        // Saved as changes, so a tab that changed the cart meanwhile keeps its change too.
        let changes = self.cart.with_untracked(|before| before.changes_to(&cart));
        self.cart.set(cart);
        for change in changes {
            self.save_change(change);
        }
        self.checkout.draft.set(draft);
        if *correction == Correction::CodeInvalid {
            self.checkout.code_error.set(Some(CodeError::Unknown));
        }
        self.emit(EventKind::OrderCorrected {
            correction: correction.kind(),
            count: notices.len() as u32,
        });
        let t = self.text();
        let messages: Vec<String> = notices
            .iter()
            .map(|n| n.message(t, |minor| self.format_minor(minor)))
            .collect();
        // Read out with the new total, once the frame showing the corrected order is painted.
        self.announcer
            .say_with_total(format!("{} {}", t.corrected, messages.join(" ")));
        self.submit.set(Submit::Corrected(messages));
    }
}
