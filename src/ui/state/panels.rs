//! Opening and closing the drawer's panels, and the abandonment they may mean.

use super::{Panel, Shop};
use kago_core::cart::Cart;
use kago_core::events::{AbandonTrigger, EventKind, ExitReason};
use leptos::prelude::*;

impl Shop {
    pub fn open(&self, panel: Panel) {
        if panel == Panel::Cart && self.panel.get_untracked() != Panel::Cart {
            self.emit(EventKind::CartViewed);
        }
        self.panel.set(panel);
    }

    pub fn close(&self) {
        match self.panel.get_untracked() {
            Panel::Checkout if self.has_endpoint() && !self.cart.with_untracked(Cart::is_empty) => {
                // Ask once, optionally, why; the answer (or none) closes the checkout.
                self.panel.set(Panel::ExitQuestion);
                return;
            }
            Panel::ExitQuestion => return self.answer_exit_question(None),
            _ => {}
        }
        self.panel.set(Panel::Closed);
        self.checkout.draft.update(|d| d.open = false);
    }

    /// The shopper's one-tap answer to "What stopped you?" (`None`: skipped).
    pub fn answer_exit_question(&self, reason: Option<ExitReason>) {
        self.report_abandonment(AbandonTrigger::Closed, reason);
        self.panel.set(Panel::Closed);
        self.checkout.draft.update(|d| d.open = false);
    }

    /// Sends `checkout_abandoned` once per checkout attempt, if a checkout is open.
    pub fn report_abandonment(&self, trigger: AbandonTrigger, reason: Option<ExitReason>) {
        let open = self.has_endpoint()
            && matches!(
                self.panel.get_untracked(),
                Panel::Checkout | Panel::ExitQuestion
            );
        let now = (self.env.platform.now_ms)();
        let step = self.checkout.draft.with_untracked(|d| d.step);
        let mut event = None;
        self.tracking
            .attempt
            .update_value(|a| event = a.abandon(open, now, step, trigger, reason));
        if let Some(event) = event {
            self.emit(event);
        }
    }

    /// An open checkout with no activity for `minutes` counts as abandoned.
    pub fn check_idle(&self, minutes: u32) {
        let now = (self.env.platform.now_ms)();
        if self.tracking.attempt.get_value().idle(now, minutes) {
            self.report_abandonment(AbandonTrigger::Idle, None);
        }
    }
}
