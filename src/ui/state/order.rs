//! Placing the order: one request at a time, retried with backoff under one idempotency key;
//! the express wallet; the confirmation and what is kept of it for a reload.

use super::{Panel, Shop, Submit};
use kago_core::cart::Cart;
use kago_core::checkout::{build_order, order_fingerprint, Draft, Field, Placed};
use kago_core::events::{EventKind, FailReason};
use kago_core::order::{read_order_response, retry_delay_ms, OrderOutcome, WalletPayment};
use kago_core::wallet::WalletRequest;
use leptos::prelude::*;

impl Shop {
    /// Places the order: one request at a time, retried with backoff under one idempotency key.
    pub fn place_order(&self) {
        if self.submit.with_untracked(Submit::busy) {
            return; // a double tap never sends twice
        }
        if self.wide.get_untracked() && !self.complete_one_page() {
            return;
        }
        if !self.delivery_choice_ok() {
            return;
        }
        self.submit_order(None);
    }

    /// Express checkout: the browser's payment sheet supplies contact, address and payment.
    pub fn pay_with_wallet(&self) {
        let env = self.env;
        let Some(methods) = env.wallet_methods.clone() else {
            return;
        };
        if !self.delivery_choice_ok() {
            return;
        }
        let totals = self.totals.get_untracked();
        let (shipping_id, shipping_label) = self.checkout.draft.with_untracked(|d| {
            env.pricing
                .method(d.shipping_method.as_deref())
                .map(|m| (m.id.clone(), m.label.clone()))
                .unwrap_or_default()
        });
        let request = WalletRequest {
            methods,
            currency: env.currency.code().to_string(),
            label: self.text().total.to_string(),
            total: totals.total.to_decimal_string(),
            shipping_id,
            shipping_label,
            shipping: totals.shipping.to_decimal_string(),
            request_phone: env.config.checkout.phone_required,
        };
        let shop = *self;
        let pay = env.platform.wallet_pay;
        leptos::task::spawn_local(async move {
            let Some(paid) = pay(request).await else {
                return;
            };
            shop.checkout.draft.update(|d| {
                d.fill_from_wallet(&paid);
                // As the form would keep them (a wallet's "Tokyo" is the prefecture 東京都).
                d.normalise(&env.fields, env.format);
            });
            shop.submit_order(Some(WalletPayment {
                method_name: paid.method_name,
                details: paid.details,
            }));
        });
    }

    fn submit_order(&self, wallet: Option<WalletPayment>) {
        if self.submit.with_untracked(Submit::busy) {
            return;
        }
        let env = self.env;
        let Some(endpoint) = env.endpoint.clone() else {
            return;
        };
        if self.cart.with_untracked(Cart::is_empty) {
            return;
        }
        let totals = self.totals.get_untracked();
        let mut order = self.cart.with_untracked(|c| {
            self.checkout.draft.with_untracked(|d| {
                build_order(
                    c,
                    &totals,
                    d,
                    env.country.as_deref(),
                    env.locale.tag(),
                    String::new(),
                )
            })
        });
        let paid_by_wallet = wallet.is_some();
        order.wallet = wallet;
        let fingerprint = order_fingerprint(&order);
        let mut key = String::new();
        self.checkout
            .draft
            .update(|d| key = d.key_for(fingerprint, env.platform.random_key));
        order.idempotency_key = key.clone();
        let body = kago_core::wire::to_json(&order);
        let shop = *self;
        shop.submit.set(Submit::Sending);
        shop.announcer.say(shop.text().placing);
        shop.emit(EventKind::OrderSubmitted {
            idempotency_key: key.clone(),
        });
        let finish_wallet = move |success: bool| {
            if paid_by_wallet {
                (env.platform.wallet_complete)(success);
            }
        };
        leptos::task::spawn_local(async move {
            let mut retry = 0;
            loop {
                let answer =
                    (env.platform.post_json)(endpoint.clone(), body.clone(), key.clone()).await;
                match read_order_response(
                    answer.status,
                    &answer.body,
                    answer.retry_after.as_deref(),
                ) {
                    OrderOutcome::Placed { order_id } => {
                        finish_wallet(true);
                        return shop.order_placed(order_id);
                    }
                    OrderOutcome::Redirect { url } => {
                        finish_wallet(true);
                        shop.submit.set(Submit::Redirecting);
                        shop.announcer.say(shop.text().redirecting);
                        (env.platform.navigate)(&url);
                        return;
                    }
                    OrderOutcome::Corrected(correction) => {
                        finish_wallet(false);
                        return shop.order_corrected(&correction, answer.status);
                    }
                    OrderOutcome::Rejected { message } => {
                        shop.emit(EventKind::OrderFailed {
                            reason: FailReason::Rejected,
                            status: answer.status,
                        });
                        shop.submit.set(Submit::Rejected(message));
                        finish_wallet(false);
                        return;
                    }
                    OrderOutcome::Retry { after_ms } => {
                        retry += 1;
                        let Some(delay) = retry_delay_ms(retry, after_ms) else {
                            shop.emit(EventKind::OrderFailed {
                                reason: FailReason::Unreachable,
                                status: answer.status,
                            });
                            shop.submit.set(Submit::Unreachable);
                            shop.announcer.say(shop.text().failed);
                            finish_wallet(false);
                            return;
                        };
                        let mut left = delay.div_ceil(1000);
                        while left > 0 {
                            shop.submit.set(Submit::Waiting(left));
                            (env.platform.sleep_ms)(1000.min(delay)).await;
                            left -= 1;
                        }
                        shop.submit.set(Submit::Sending);
                    }
                }
            }
        });
    }

    fn order_placed(&self, order_id: String) {
        let env = self.env;
        let (email, method) = self
            .checkout
            .draft
            .with_untracked(|d| (d.value(Field::Email).to_string(), d.payment_method.clone()));
        // How the shopper pays (none for the express wallet: that is paid already), with the
        // merchant's note ("We e-mail the bank details").
        let payment = env
            .payment
            .iter()
            .find(|m| Some(&m.id) == method.as_ref())
            .map(|m| match &m.note {
                Some(note) => format!("{} — {note}", m.label),
                None => m.label.clone(),
            });
        let total = self.format(self.totals.get_untracked().total);
        let (delivery_date, delivery_slot) = self
            .checkout
            .draft
            .with_untracked(|d| self.delivery_text(d));
        self.emit(EventKind::OrderCompleted {
            order_id: order_id.clone(),
        });
        self.tracking.attempt.update_value(|a| a.finished = true);
        (env.platform.new_cart)();
        let placed = Placed {
            order_id,
            email,
            total,
            payment,
            feedback_sent: false,
            delivery_date,
            delivery_slot,
        };
        self.cart.update(Cart::clear);
        // What was typed goes; the confirmation stays until closed, across a reload too.
        self.checkout.draft.set(Draft {
            placed: Some(placed),
            ..Draft::default()
        });
        self.submit.set(Submit::Idle);
        self.checkout.code_error.set(None);
        self.japan.clear();
        // The live region said "Placing your order…"; now it says how that ended.
        self.announcer.say(self.text().confirmation_heading);
        self.panel.set(Panel::Confirmation);
    }

    /// Whether the shopper has answered the feedback question for the order just placed.
    pub fn feedback_sent(&self) -> bool {
        self.checkout
            .draft
            .with_untracked(|d| d.placed.as_ref().is_some_and(|p| p.feedback_sent))
    }

    /// Records the feedback answer for the order just placed, so a reload does not ask again.
    pub fn feedback_given(&self) {
        self.checkout.draft.update(|d| {
            if let Some(p) = &mut d.placed {
                p.feedback_sent = true;
            }
        });
    }
}
