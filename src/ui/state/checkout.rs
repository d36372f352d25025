//! Checkout actions: starting it, the fields and their checks, the steps, the shipping and
//! payment choices and the discount code.

use super::{Panel, Shop, Submit};
use kago_core::cart::Cart;
use kago_core::checkout::{validate_field, Field, FieldError, FieldMap, Step};
use kago_core::checkout_config::{find_discount, CodeError, ShippingMethod};
use kago_core::events::{CodeRejection, EventKind};
use kago_core::i18n::fill;
use kago_core::money::Money;
use leptos::prelude::*;

impl Shop {
    pub fn start_checkout(&self) {
        if self.cart.with_untracked(Cart::is_empty) {
            return self.open(Panel::Cart);
        }
        let env = self.env;
        let one_page = self.wide.get_untracked();
        self.checkout.draft.update(|d| {
            d.settle_choices(&env.pricing.methods, &env.payment);
            d.open = true;
            if one_page {
                // One page shows every step; the funnel sees it start at contact.
                d.step = Step::Contact;
            }
        });
        self.submit.set(Submit::Idle);
        self.panel.set(Panel::Checkout);
        self.tracking.restart();
        if let Some(methods) = env.wallet_methods.clone().filter(|_| self.has_endpoint()) {
            let ready = self.checkout.wallet_ready;
            let can_pay = env.platform.wallet_can_pay;
            let currency = env.currency.code().to_string();
            leptos::task::spawn_local(async move { ready.set(can_pay(methods, currency).await) });
        }
        if self.has_endpoint() {
            self.emit(EventKind::CheckoutStarted);
            self.emit_step_viewed();
        }
    }

    fn emit_step_viewed(&self) {
        let step = self.checkout.draft.with_untracked(|d| d.step);
        self.emit(EventKind::StepViewed { step });
    }

    pub fn set_value(&self, field: Field, value: String) {
        self.checkout.draft.update(|d| {
            d.values.insert(field, value);
        });
        self.tracking.touch();
        // A field already marked wrong is re-checked as the shopper types, so the message
        // disappears the moment it is fixed.
        if self
            .checkout
            .errors
            .with_untracked(|e| e.contains_key(&field))
        {
            self.check_field(field);
        }
    }

    /// Validates one field (on blur): non-empty values only, so tabbing through is not scolded.
    pub fn blur(&self, field: Field) {
        let empty = self
            .checkout
            .draft
            .with_untracked(|d| d.value(field).trim().is_empty());
        if !empty {
            self.check_field(field);
        }
    }

    pub(super) fn check_field(&self, field: Field) {
        let format = self.env.format;
        let result = self
            .checkout
            .draft
            .with_untracked(|d| validate_field(field, d.value(field), format));
        self.checkout.errors.update(|e| match result {
            Ok(_) => {
                e.remove(&field);
            }
            Err(err) => {
                e.insert(field, err);
            }
        });
    }

    /// Validates the contact and address fields: shows every message and focuses the first
    /// invalid field, or tidies the values (trims, normalises the postal code) and says yes.
    pub fn check_contact(&self) -> bool {
        let (fields, format) = (&self.env.fields, self.env.format);
        let errors = self
            .checkout
            .draft
            .with_untracked(|d| d.contact_errors(fields, format));
        if !errors.is_empty() {
            self.show_field_errors(&errors);
            return false;
        }
        self.checkout.errors.set(FieldMap::new());
        self.checkout.draft.update(|d| d.normalise(fields, format));
        true
    }

    /// Shows what is wrong: the contact & address step (the first one; on one page it is
    /// always shown), every message at its field, focus on the first, and the problem said.
    pub(super) fn show_field_errors(&self, errors: &[(Field, FieldError)]) {
        let Some((first, _)) = errors.first() else {
            return;
        };
        let mut by_field = FieldMap::new();
        for (field, error) in errors {
            by_field.insert(*field, *error);
        }
        self.checkout.errors.set(by_field);
        if self.checkout.draft.with_untracked(|d| d.step) != Step::Contact {
            self.checkout.draft.update(|d| d.step = Step::Contact);
            self.emit_step_viewed();
        }
        self.checkout.focus_field.set(Some(*first));
        self.announcer.say(self.text().errors_summary);
    }

    /// Completing delivery reports the methods the shopper kept as pre-selected.
    fn report_kept_choices(&self) {
        let (shipping, payment) = self
            .checkout
            .draft
            .with_untracked(|d| (d.shipping_method.clone(), d.payment_method.clone()));
        let done = self.tracking.attempt.get_value();
        if let Some(id) = shipping.filter(|_| !done.shipping_reported) {
            self.report_shipping(id);
        }
        if let Some(id) = payment.filter(|_| !done.payment_reported) {
            self.report_payment(id);
        }
    }

    fn complete_step(&self, step: Step) {
        if step == Step::Delivery {
            self.report_kept_choices();
        }
        self.emit(EventKind::StepCompleted { step });
    }

    /// Submits the current step: validates, then moves on (or focuses the first invalid field).
    pub fn continue_step(&self) {
        let step = self.checkout.draft.with_untracked(|d| d.step);
        if step == Step::Review || (step == Step::Contact && !self.check_contact()) {
            return;
        }
        self.complete_step(step);
        self.checkout.draft.update(|d| d.step = step.next());
        self.emit_step_viewed();
    }

    /// One page: "Place order" completes contact and delivery at once (each reported once), or
    /// stops at the first invalid field.
    pub(super) fn complete_one_page(&self) -> bool {
        if !self.check_contact() {
            return false;
        }
        let current = self.checkout.draft.with_untracked(|d| d.step);
        for step in [Step::Contact, Step::Delivery] {
            if step.number() >= current.number() {
                self.complete_step(step);
            }
        }
        if current != Step::Review {
            self.checkout.draft.update(|d| d.step = Step::Review);
        }
        true
    }

    pub fn back(&self) {
        match self.checkout.draft.with_untracked(|d| d.step.previous()) {
            Some(previous) => {
                self.checkout.draft.update(|d| d.step = previous);
                self.emit_step_viewed();
            }
            None => self.open(Panel::Cart),
        }
    }

    pub fn go_to(&self, step: Step) {
        self.checkout.draft.update(|d| d.step = step);
        self.emit_step_viewed();
    }

    pub fn set_reminder_consent(&self, consent: bool) {
        self.checkout.draft.update(|d| d.reminder_consent = consent);
    }

    pub fn choose_shipping(&self, id: String) {
        self.checkout
            .draft
            .update(|d| d.shipping_method = Some(id.clone()));
        self.report_shipping(id);
    }

    pub fn choose_payment(&self, id: String) {
        self.checkout
            .draft
            .update(|d| d.payment_method = Some(id.clone()));
        self.report_payment(id);
    }

    fn report_shipping(&self, shipping_method: String) {
        self.tracking
            .attempt
            .update_value(|a| a.shipping_reported = true);
        self.emit(EventKind::ShippingSelected { shipping_method });
    }

    fn report_payment(&self, payment_method: String) {
        self.tracking
            .attempt
            .update_value(|a| a.payment_reported = true);
        self.emit(EventKind::PaymentSelected { payment_method });
    }

    /// What a shipping method costs for the current cart and discount (free once its
    /// threshold is reached), as the core prices it.
    pub fn shipping_price(&self, method: &ShippingMethod) -> Money {
        let discount = self.totals.with(|t| t.discount);
        self.cart
            .with(|c| self.env.pricing.shipping_with(c, method, discount))
    }

    /// Applies the code, or says why not; whether it was applied.
    pub fn apply_code(&self, typed: String) -> bool {
        let subtotal = self.totals.with_untracked(|t| t.subtotal.minor);
        let found =
            find_discount(&self.env.pricing.codes, &typed, subtotal).map(|d| d.code.clone());
        match found {
            Ok(code) => {
                self.checkout.draft.update(|d| {
                    d.discount_code = Some(code.clone());
                    d.code_typed.clear();
                });
                self.checkout.code_error.set(None);
                let applied = fill(self.text().code_applied, &[("code", &code)]);
                self.emit(EventKind::DiscountApplied {
                    discount_code: code,
                });
                self.announcer.say_with_total(applied);
                true
            }
            Err(error) => {
                self.checkout.code_error.set(Some(error));
                let reason = match error {
                    CodeError::Unknown => CodeRejection::Unknown,
                    CodeError::BelowMinimum { .. } => CodeRejection::BelowMinimum,
                };
                self.emit(EventKind::DiscountRejected { reason });
                false
            }
        }
    }

    /// What is typed in the code field (kept in the draft, so a reload keeps it).
    pub fn type_code(&self, text: String) {
        self.checkout.draft.update(|d| d.code_typed = text);
    }

    /// Why the applied code gives no discount now (`None` if it does, or none is applied): the
    /// subtotal fell below its minimum since, or the shop no longer has it.
    pub fn code_problem(&self) -> Option<CodeError> {
        let code = self.checkout.draft.with(|d| d.discount_code.clone())?;
        let subtotal = self.totals.with(|t| t.subtotal.minor);
        find_discount(&self.env.pricing.codes, &code, subtotal).err()
    }

    pub fn remove_code(&self) {
        self.checkout.draft.update(|d| d.discount_code = None);
        self.checkout.code_error.set(None);
        self.announcer.say_with_total(String::new());
    }
}
