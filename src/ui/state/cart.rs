//! Cart actions: add an item, change a line's quantity, remove a line, empty the cart, and the
//! page's prefill of the checkout.

use super::Shop;
use kago_core::cart::{Cart, CartChange, CartError};
use kago_core::events::EventKind;
use kago_core::i18n::fill;
use kago_core::prefill::Prefill;
use kago_core::product::ProductRequest;
use leptos::prelude::*;

impl Shop {
    /// Adds the item; whether any unit was added (none when its line is at the maximum or the
    /// cart is full: the shopper is told so either way).
    pub fn add(&self, request: ProductRequest) -> bool {
        let cart = self.cart;
        let (sku, variant) = (request.item.sku.clone(), request.item.variant.clone());
        let label = match &variant {
            Some(v) => format!("{} ({v})", request.item.name),
            None => request.item.name.clone(),
        };
        let before = cart.with_untracked(|c| {
            c.find_line(&sku, variant.as_deref())
                .map_or(0, |l| l.quantity)
        });
        let mut result = Err(CartError::ZeroQuantity);
        let meta = request.meta;
        let change = CartChange::Add {
            item: request.item.clone(),
            quantity: request.quantity,
        };
        cart.update(|c| {
            result = c.add_line(request.item, request.quantity);
            if let (Ok(added), false) = (&result, meta.is_empty()) {
                c.set_meta(added.line_id, meta.clone());
            }
        });
        if result.is_ok() {
            self.save_change(change);
            // An add without meta keeps the line's own (`Cart::set_meta`).
            if !meta.is_empty() {
                self.save_change(CartChange::SetMeta {
                    sku: sku.clone(),
                    variant: variant.clone(),
                    meta,
                });
            }
        }
        let t = self.text();
        let message = match result {
            Ok(added) if added.capped => {
                let max = cart.with_untracked(|c| c.max_quantity()).to_string();
                fill(t.capped, &[("item", &label), ("count", &max)])
            }
            Ok(_) => fill(t.added, &[("item", &label)]),
            Err(_) => t.cart_full.to_string(),
        };
        // `quantity` is the units this tap added (fewer when the line maximum cut it).
        let units = result
            .ok()
            .map(|a| a.quantity.saturating_sub(before))
            .filter(|u| *u > 0);
        if let Some(quantity) = units {
            self.emit(EventKind::ItemAdded {
                sku,
                variant,
                quantity,
            });
        }
        self.announcer.say_with_total(message);
        units.is_some()
    }

    /// Sets a line's quantity (0 removes it, above the maximum is the maximum); a tap that
    /// changes nothing (− at 1, + at the maximum) raises no event.
    pub fn set_quantity(&self, line_id: u32, quantity: u32) {
        let cart = self.cart;
        let unchanged = cart.with_untracked(|c| {
            c.line(line_id).map(|l| l.quantity) == Some(quantity.min(c.max_quantity()))
        });
        if unchanged {
            return;
        }
        let Some((sku, variant)) =
            cart.with_untracked(|c| c.line(line_id).map(|l| (l.sku.clone(), l.variant.clone())))
        else {
            return;
        };
        let mut changed = None;
        cart.update(|c| {
            if c.set_quantity(line_id, quantity).is_ok() {
                changed = c.line(line_id).cloned();
            }
        });
        self.save_change(CartChange::SetQuantity {
            sku,
            variant,
            quantity,
        });
        let Some(line) = changed else {
            return;
        };
        let label = line.label();
        self.emit(EventKind::QuantityChanged {
            sku: line.sku,
            variant: line.variant,
            quantity: line.quantity,
        });
        // "Quantity of Tee (M): 3. Total $75.60": the new quantity, then the total.
        let of = fill(self.text().quantity_of, &[("item", &label)]);
        self.announcer
            .say_with_total(format!("{of}: {}.", line.quantity));
    }

    /// Empties the cart: every line leaves as if removed (an `item_removed` each), with one
    /// announcement.
    pub fn clear(&self) {
        if self.cart.with_untracked(Cart::is_empty) {
            return;
        }
        let mut removed = Vec::new();
        self.cart.update(|c| {
            removed = c.lines().to_vec();
            c.clear();
        });
        self.save_change(CartChange::Clear);
        for line in removed {
            self.emit(EventKind::ItemRemoved {
                sku: line.sku,
                variant: line.variant,
                quantity: line.quantity,
                unit_price: line.unit_price,
            });
        }
        self.announcer.say_with_total(self.text().empty.to_string());
    }

    /// Fills the checkout fields the shopper has left empty with what the page knows (never
    /// sent in an event: it stays in the draft).
    pub fn prefill(&self, prefill: &Prefill) {
        self.checkout.draft.maybe_update(|d| prefill.fill(d));
    }

    pub fn remove(&self, line_id: u32) {
        let mut removed = None;
        self.cart.update(|c| removed = c.remove_line(line_id));
        if let Some(line) = removed {
            self.save_change(CartChange::Remove {
                sku: line.sku.clone(),
                variant: line.variant.clone(),
            });
            let label = line.label();
            self.emit(EventKind::ItemRemoved {
                sku: line.sku,
                variant: line.variant,
                quantity: line.quantity,
                unit_price: line.unit_price,
            });
            self.announcer
                .say_with_total(fill(self.text().removed, &[("item", &label)]));
        }
    }
}
