//! The widget's state, owned at the top, and the actions the components dispatch. Every rule is
//! the core's; this only connects core results to signals and announcements.

use crate::core::cart::{Cart, CartError};
use crate::core::config::Config;
use crate::core::currency::Currency;
use crate::core::i18n::{fill, Locale, Strings};
use crate::core::money::Money;
use crate::core::pricing::{price_cart, Totals};
use crate::core::product::ProductRequest;
use leptos::prelude::*;

/// Which panel of the drawer is showing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Panel {
    Closed,
    Cart,
    Checkout,
}

#[derive(Clone, Copy)]
pub struct Shop {
    pub cart: RwSignal<Cart>,
    pub totals: Memo<Totals>,
    pub panel: RwSignal<Panel>,
    /// What the polite live region says next.
    pub announcement: RwSignal<String>,
    pub locale: Locale,
    pub currency: Currency,
    pub config: StoredValue<Config>,
}

impl Shop {
    pub fn new(config: Config, locale: Locale, cart: Cart) -> Shop {
        let cart = RwSignal::new(cart);
        let rules = config.pricing.clone();
        let totals = Memo::new(move |_| cart.with(|c| price_cart(c, &rules, None)));
        Shop {
            cart,
            totals,
            panel: RwSignal::new(Panel::Closed),
            announcement: RwSignal::new(String::new()),
            locale,
            currency: config.currency,
            config: StoredValue::new(config),
        }
    }

    pub fn text(&self) -> &'static Strings {
        self.locale.strings()
    }

    /// The amount as the shopper reads it in this shop's locale.
    pub fn format(&self, money: Money) -> String {
        crate::browser::money_format::format_money(money, self.locale)
    }

    /// An amount in minor units of the shop currency, formatted.
    pub fn format_minor(&self, minor: i64) -> String {
        self.format(Money::new(minor, self.currency))
    }

    fn announce(&self, message: String) {
        let total = self.format(self.totals.get_untracked().total);
        let total = fill(self.text().total_now, &[("amount", &total)]);
        self.announcement
            .set(format!("{message} {total}").trim().to_string());
    }

    pub fn add(&self, request: ProductRequest) {
        let label = match &request.item.variant {
            Some(v) => format!("{} ({v})", request.item.name),
            None => request.item.name.clone(),
        };
        let mut result = Err(CartError::ZeroQuantity);
        self.cart
            .update(|c| result = c.add_line(request.item, request.quantity));
        let t = self.text();
        let message = match result {
            Ok(added) if added.capped => fill(
                t.capped,
                &[
                    ("item", &label),
                    (
                        "count",
                        &self.cart.with_untracked(|c| c.max_quantity()).to_string(),
                    ),
                ],
            ),
            Ok(_) => fill(t.added, &[("item", &label)]),
            Err(_) => t.cart_full.to_string(),
        };
        self.announce(message);
    }

    pub fn set_quantity(&self, line_id: u32, quantity: u32) {
        self.cart.update(|c| {
            let _ = c.set_quantity(line_id, quantity);
        });
        self.announce(String::new());
    }

    pub fn remove(&self, line_id: u32) {
        let mut removed = None;
        self.cart.update(|c| removed = c.remove_line(line_id));
        if let Some(line) = removed {
            self.announce(fill(self.text().removed, &[("item", &line.label())]));
        }
    }

    pub fn open(&self, panel: Panel) {
        self.panel.set(panel);
    }

    pub fn close(&self) {
        self.panel.set(Panel::Closed);
    }
}
