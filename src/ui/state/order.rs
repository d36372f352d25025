//! Placing the order: checked against this page's settings first, one order at a time across
//! the shop's tabs (a Web Lock and a mark in `localStorage`), retried with backoff under one
//! idempotency key within a time budget; the express wallet; the confirmation (of what was
//! sent) and what is kept of it for a reload.

use super::{Panel, Shop, Submit};
use kago_core::cart::{Cart, CartChange, Ordered};
use kago_core::checkout::{build_order, order_fingerprint, Draft, Field, Placed};
use kago_core::events::{EventKind, FailReason};
use kago_core::order::{
    next_attempt, read_order_response, NextAttempt, OrderOutcome, OrderRequest, WalletPayment,
    ATTEMPT_TIMEOUT_MS,
};
use kago_core::placing::{read_mark, MarkState, OrderMark, ORDER_KEY};
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
        let paid_by_wallet = wallet.is_some();
        let finish_wallet = move |success: bool| {
            if paid_by_wallet {
                (env.platform.wallet_complete)(success);
            }
        };
        let Some(endpoint) = env.endpoint.clone() else {
            return finish_wallet(false);
        };
        if self.cart.with_untracked(Cart::is_empty) {
            return finish_wallet(false);
        }
        // Before every send, in every layout: the whole order against this page's settings (a
        // draft restored from another page of the shop or tampered with is caught here).
        let checked = self
            .checkout
            .draft
            .with_untracked(|d| d.validate_order(&env.form));
        let draft = match checked {
            Ok(draft) => draft,
            Err(errors) => {
                finish_wallet(false);
                return self.show_field_errors(&errors);
            }
        };
        self.checkout
            .draft
            .update(|d| d.normalise(&env.form.fields, env.form.format));
        let totals = self.totals.get_untracked();
        let mut order = self.cart.with_untracked(|c| {
            build_order(
                c,
                &totals,
                &draft,
                env.country.as_deref(),
                env.locale().tag(),
                String::new(),
            )
        });
        order.wallet = wallet;
        let fingerprint = order_fingerprint(&order);
        let mut key = String::new();
        self.checkout
            .draft
            .update(|d| key = d.key_for(fingerprint, env.platform.random_key));
        order.idempotency_key = key.clone();
        let shop = *self;
        // Busy at once: a second tap before the lock answers must not ask for it again.
        shop.submit.set(Submit::Sending);
        shop.announcer.say(shop.text().placing);
        (env.platform.order_lock)(Box::new(move |got| {
            Box::pin(async move {
                if got {
                    shop.send_order(endpoint, order, finish_wallet).await;
                } else {
                    finish_wallet(false);
                    shop.wait_for_other_tab().await;
                }
            })
        }));
    }

    /// Sends the order, holding the order lock: retried with backoff under one idempotency key,
    /// each attempt and the whole bounded (`next_attempt`), then the shopper decides.
    async fn send_order(self, endpoint: String, order: OrderRequest, finish_wallet: impl Fn(bool)) {
        let shop = self;
        let env = self.env;
        let key = order.idempotency_key.clone();
        let mark = OrderMark::placing(key.clone(), (env.platform.now_ms)());
        (env.platform.write_local)(ORDER_KEY, Some(&kago_core::wire::to_json(&mark)));
        let body = kago_core::wire::to_json(&order);
        shop.emit(EventKind::OrderSubmitted {
            idempotency_key: key.clone(),
        });
        let started = (env.platform.now_ms)();
        let mut timeout = ATTEMPT_TIMEOUT_MS;
        let mut retry = 0;
        let end_mark = move || (env.platform.write_local)(ORDER_KEY, None);
        loop {
            let answer =
                (env.platform.post_json)(endpoint.clone(), body.clone(), key.clone(), timeout)
                    .await;
            let read = read_order_response(
                answer.status,
                &answer.body,
                answer.retry_after.as_deref(),
                env.platform.urls,
            );
            if let Some(message) = &read.console {
                (env.platform.warn)(message);
            }
            match read.outcome {
                OrderOutcome::Placed { order_id } => {
                    finish_wallet(true);
                    return shop.order_placed(order_id, &order);
                }
                OrderOutcome::Redirect { url } => {
                    finish_wallet(true);
                    end_mark();
                    shop.submit.set(Submit::Redirecting);
                    shop.announcer.say(shop.text().redirecting);
                    (env.platform.navigate)(&url);
                    return;
                }
                OrderOutcome::Corrected(correction) => {
                    end_mark();
                    finish_wallet(false);
                    return shop.order_corrected(&correction, answer.status);
                }
                OrderOutcome::Rejected { message } => {
                    end_mark();
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
                    let elapsed = (env.platform.now_ms)().saturating_sub(started);
                    let elapsed = u32::try_from(elapsed).unwrap_or(u32::MAX);
                    let NextAttempt::After {
                        delay_ms,
                        timeout_ms,
                    } = next_attempt(retry, after_ms, elapsed)
                    else {
                        end_mark();
                        shop.emit(EventKind::OrderFailed {
                            reason: FailReason::Unreachable,
                            status: answer.status,
                        });
                        shop.submit.set(Submit::Unreachable);
                        shop.announcer.say(shop.text().failed);
                        finish_wallet(false);
                        return;
                    };
                    timeout = timeout_ms;
                    let mut left = delay_ms.div_ceil(1000);
                    while left > 0 {
                        shop.submit.set(Submit::Waiting(left));
                        (env.platform.sleep_ms)(1000.min(delay_ms)).await;
                        left -= 1;
                    }
                    shop.submit.set(Submit::Sending);
                }
            }
        }
    }

    /// Another tab holds the order lock: it is placing the order for this cart. Says so, waits
    /// for it to finish, then shows its confirmation (or lets this tab try, if it failed).
    async fn wait_for_other_tab(self) {
        let env = self.env;
        self.submit.set(Submit::Elsewhere);
        self.announcer.say(self.text().placing_elsewhere);
        (env.platform.order_lock_free)().await;
        self.other_tab_order((env.platform.read_local)(ORDER_KEY));
    }

    /// What another tab wrote about the order it is placing (the stored [`OrderMark`], `None`
    /// when it was removed): while this tab shows the checkout, "being placed in another tab",
    /// then that order's confirmation. Called when the mark changes and when the lock is free.
    pub fn other_tab_order(&self, mark: Option<String>) {
        let now = (self.env.platform.now_ms)();
        let mark = read_mark(mark.as_deref(), now);
        let own_key = self
            .checkout
            .draft
            .with_untracked(|d| d.idempotency_key.clone());
        let checking_out = self.panel.get_untracked() == Panel::Checkout;
        let sending_here = matches!(
            self.submit.get_untracked(),
            Submit::Sending | Submit::Waiting(_) | Submit::Redirecting
        );
        match mark.as_ref().map(|m| (m.state(now), &m.key)) {
            Some((MarkState::Placing, key))
                if checking_out && !sending_here && own_key.as_ref() != Some(key) =>
            {
                self.submit.set(Submit::Elsewhere);
                self.announcer.say(self.text().placing_elsewhere);
                // The other tab may close mid-order: its lock goes with it.
                let shop = *self;
                leptos::task::spawn_local(async move {
                    (shop.env.platform.order_lock_free)().await;
                    if shop.submit.get_untracked() == Submit::Elsewhere {
                        shop.other_tab_order((shop.env.platform.read_local)(ORDER_KEY));
                    }
                });
            }
            Some((MarkState::Placed(placed), _))
                if checking_out || self.submit.get_untracked() == Submit::Elsewhere =>
            {
                let mut placed = placed.clone();
                // The mark leaves the e-mail out of localStorage: this tab's own is shown.
                placed.email = self
                    .checkout
                    .draft
                    .with_untracked(|d| d.value(Field::Email).trim().to_string());
                self.tracking.attempt.update_value(|a| a.finished = true);
                self.show_confirmation(placed);
                self.announcer.say(self.text().placed_elsewhere);
            }
            _ if self.submit.get_untracked() == Submit::Elsewhere => {
                self.submit.set(Submit::Idle);
            }
            _ => {}
        }
    }

    /// The shop has the order: the confirmation shows what was sent (this order's lines, total
    /// and payment), and only the ordered units leave the cart, here and in every tab.
    fn order_placed(&self, order_id: Option<String>, order: &OrderRequest) {
        let env = self.env;
        // How the shopper pays (none for the express wallet: that is paid already), with the
        // merchant's note ("We e-mail the bank details").
        let payment = env
            .payment
            .iter()
            .filter(|_| order.wallet.is_none())
            .find(|m| m.id == order.payment_method)
            .map(|m| match &m.note {
                Some(note) => format!("{} — {note}", m.label),
                None => m.label.clone(),
            });
        let (delivery_date, delivery_slot) = self
            .checkout
            .draft
            .with_untracked(|d| self.delivery_text(d));
        let placed = Placed {
            order_id: order_id.clone(),
            email: order.contact.email.clone(),
            total: self.format_minor(order.totals.total),
            payment,
            feedback_sent: false,
            delivery_date,
            delivery_slot,
        };
        // Without an order number, the key names the order: the endpoint got it with the order.
        let order_ref = order_id.unwrap_or_else(|| order.idempotency_key.clone());
        self.tracking.emit_order(
            EventKind::OrderCompleted {
                order_id: order_ref,
            },
            order,
        );
        self.tracking.attempt.update_value(|a| a.finished = true);
        (env.platform.new_cart)();
        // The other tabs learn of the order before their cart loses its lines, so a tab at
        // checkout shows this confirmation rather than an empty cart.
        let shared = Placed {
            email: String::new(),
            ..placed.clone()
        };
        let mark = OrderMark::placed(
            order.idempotency_key.clone(),
            shared,
            (env.platform.now_ms)(),
        );
        (env.platform.write_local)(ORDER_KEY, Some(&kago_core::wire::to_json(&mark)));
        let ordered: Vec<Ordered> = order
            .items
            .iter()
            .map(|i| Ordered {
                sku: i.sku.clone(),
                variant: i.variant.clone(),
                quantity: i.quantity,
            })
            .collect();
        self.cart.update(|c| c.remove_ordered(&ordered));
        self.save_change(CartChange::Ordered(ordered));
        self.show_confirmation(placed);
    }

    /// Shows the confirmation of `placed`; what was typed goes, the confirmation stays until
    /// closed, across a reload too.
    fn show_confirmation(&self, placed: Placed) {
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
