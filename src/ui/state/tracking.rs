//! The funnel's view of the shop: every action's event with the moment's cart, and the current
//! checkout attempt (`kago_core::tracking::Attempt`) for abandonment.

use super::Env;
use kago_core::cart::Cart;
use kago_core::checkout::{Draft, Field};
use kago_core::events::{EventCart, EventItem, EventKind};
use kago_core::order::OrderRequest;
use kago_core::pricing::Totals;
use kago_core::text::is_email;
use kago_core::tracking::Attempt;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Tracking {
    pub attempt: StoredValue<Attempt>,
    cart: RwSignal<Cart>,
    totals: Memo<Totals>,
    draft: RwSignal<Draft>,
    env: &'static Env,
}

impl Tracking {
    pub fn new(
        env: &'static Env,
        cart: RwSignal<Cart>,
        totals: Memo<Totals>,
        draft: RwSignal<Draft>,
        attempt: Attempt,
    ) -> Tracking {
        Tracking {
            attempt: StoredValue::new(attempt),
            cart,
            totals,
            draft,
            env,
        }
    }

    /// Tells the host page (`kago:<type>`) and the funnel, with the cart's value and items, and
    /// the e-mail only where the shopper ticked "e-mail me a reminder".
    pub fn emit(&self, kind: EventKind) {
        let cart = EventCart {
            currency: self.env.currency,
            value: self.totals.get_untracked().total.minor,
            items: self.cart.with_untracked(kago_core::events::event_items),
        };
        let email = self.draft.with_untracked(|d| {
            (d.reminder_consent && self.env.offer_reminder)
                .then(|| d.value(Field::Email).trim().to_string())
                .filter(|e| is_email(e))
        });
        (self.env.platform.emit)(kind, cart, email.as_deref());
        self.touch();
    }

    /// [`Tracking::emit`] with the cart an order took (its lines and total), not the cart as it
    /// is now: another tab may have changed that while the order was on its way.
    pub fn emit_order(&self, kind: EventKind, order: &OrderRequest) {
        let cart = EventCart {
            currency: self.env.currency,
            value: order.totals.total,
            items: order
                .items
                .iter()
                .map(|i| EventItem {
                    sku: i.sku.clone(),
                    variant: i.variant.clone(),
                    quantity: i.quantity,
                    unit_price: i.unit_price,
                })
                .collect(),
        };
        let email = self
            .draft
            .with_untracked(|d| d.reminder_consent && self.env.offer_reminder);
        let email = email
            .then(|| order.contact.email.clone())
            .filter(|e| is_email(e));
        (self.env.platform.emit)(kind, cart, email.as_deref());
        self.touch();
    }

    /// The shopper did something: the attempt is not idle.
    pub fn touch(&self) {
        let now = (self.env.platform.now_ms)();
        self.attempt.update_value(|a| a.touch(now));
    }

    /// A new checkout attempt starts now.
    pub fn restart(&self) {
        self.attempt
            .set_value(Attempt::start((self.env.platform.now_ms)()));
    }
}
