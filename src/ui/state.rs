//! The widget's state, owned at the top, and the actions the components dispatch. Every rule is
//! the core's; this only connects core results to signals, announcements and host events. The
//! browser capabilities it needs come in as a [`Platform`] of plain functions, so the UI
//! depends on the core only.

use kago_core::cart::{Cart, CartError};
use kago_core::checkout::{
    address_format, build_order, contact_fields, order_fingerprint, payment_methods,
    rules_with_shipping, shipping_methods, shop_country, AddressFormat, Draft, Field, FieldError,
    FieldMap, Placed, Step,
};
use kago_core::checkout_config::{find_discount, CodeError, PaymentMethod, ShippingMethod};
use kago_core::config::Config;
use kago_core::currency::Currency;
use kago_core::events::EventCart;
use kago_core::i18n::{fill, Locale, Strings};
use kago_core::json;
use kago_core::json::{Map, Value};
use kago_core::money::Money;
use kago_core::order::{read_order_response, retry_delay_ms, OrderOutcome, WalletPayment};
use kago_core::pricing::{price_cart, Totals};
use kago_core::product::ProductRequest;
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;

/// Which panel of the drawer is showing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Panel {
    Closed,
    Cart,
    Checkout,
    /// "What stopped you?" after the shopper closed an unfinished checkout.
    ExitQuestion,
    Confirmation,
}

/// The endpoint's raw answer; `status` 0 when the request failed before any answer.
pub struct HttpAnswer {
    pub status: u16,
    pub body: String,
    pub retry_after: Option<String>,
}

pub type LocalFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// What the express wallet sheet shows (amounts as exact decimal strings).
pub struct WalletRequest {
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
pub struct WalletResult {
    pub method_name: String,
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

/// The browser capabilities the UI uses, provided by the wiring in `lib.rs`.
#[derive(Clone, Copy)]
pub struct Platform {
    pub format_money: fn(Money, Locale) -> String,
    /// Dispatches a `kago:<name>` event on the host page and records the funnel event; the
    /// e-mail (only with the shopper's consent) goes to the funnel event, never to the page.
    pub emit: fn(&str, Map, EventCart, Option<&str>),
    /// Runs work that can wait until the frame showing the shopper's action is painted.
    pub later: fn(Box<dyn FnOnce()>),
    /// Runs work when the page is idle.
    pub when_idle: fn(Box<dyn FnOnce()>),
    pub now_ms: fn() -> u64,
    /// `localStorage` read and write (None removes), for small `kago.*` records.
    pub read_local: fn(&str) -> Option<String>,
    pub write_local: fn(&str, Option<&str>),
    /// A new cart id for the events after an order.
    pub new_cart: fn(),
    pub random_key: fn() -> String,
    pub post_json: fn(String, String, String) -> LocalFuture<HttpAnswer>,
    pub sleep_ms: fn(u32) -> LocalFuture<()>,
    pub navigate: fn(&str),
    pub wallet_can_pay: fn(Value, String) -> LocalFuture<bool>,
    pub wallet_pay: fn(WalletRequest) -> LocalFuture<Option<WalletResult>>,
    pub wallet_complete: fn(bool),
}

/// Where placing the order stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Submit {
    Idle,
    Sending,
    /// Waiting before automatic retry; seconds left.
    Waiting(u32),
    /// Automatic retries are over: the shopper may try again (same key).
    Unreachable,
    /// The shop refused the order (4xx); its message if it gave one.
    Rejected(Option<String>),
    Redirecting,
}

impl Submit {
    /// The order is on its way: another tap on "Place order" must do nothing.
    pub fn busy(&self) -> bool {
        matches!(
            self,
            Submit::Sending | Submit::Waiting(_) | Submit::Redirecting
        )
    }
}

/// Checkout settings resolved once at start.
pub struct CheckoutSetup {
    pub endpoint: Option<String>,
    pub country: Option<String>,
    pub format: AddressFormat,
    pub fields: Vec<Field>,
    pub shipping: Vec<ShippingMethod>,
    pub payment: Vec<PaymentMethod>,
    pub wallet_methods: Option<Value>,
    /// Offer the "e-mail me a reminder" box (`data-events-contact="on"` and an event endpoint).
    pub offer_reminder: bool,
}

/// Where an unfinished checkout stands, for `checkout_abandoned`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Attempt {
    pub started_at: u64,
    pub last_activity: u64,
    pub reported: bool,
    /// `shipping_selected` / `payment_selected` went out in this attempt; if the shopper keeps
    /// the pre-selected methods they go out when the delivery step is completed.
    pub shipping_reported: bool,
    pub payment_reported: bool,
}

#[derive(Clone, Copy)]
pub struct Shop {
    pub cart: RwSignal<Cart>,
    pub draft: RwSignal<Draft>,
    pub totals: Memo<Totals>,
    pub panel: RwSignal<Panel>,
    pub errors: RwSignal<FieldMap<FieldError>>,
    /// Why the code last tried was refused; cleared when a code is applied or removed.
    pub code_error: RwSignal<Option<CodeError>>,
    pub submit: RwSignal<Submit>,
    /// What the polite live region says next.
    pub announcement: RwSignal<String>,
    /// Which field should take focus next (after a failed submit).
    pub focus_field: RwSignal<Option<Field>>,
    /// The browser can pay with one of the merchant's wallet methods.
    pub wallet_ready: RwSignal<bool>,
    /// The screen is wide enough for the one-page checkout (set by the wiring from a media
    /// query); phones get the three steps.
    pub wide: RwSignal<bool>,
    pub locale: Locale,
    pub currency: Currency,
    /// The merchant's settings and what checkout makes of them: fixed for the page's life, so
    /// plain shared references (one `Shop` per mounted widget; see `Shop::new`).
    pub config: &'static Config,
    pub setup: &'static CheckoutSetup,
    pub attempt: StoredValue<Attempt>,
    pub platform: Platform,
}

impl Shop {
    pub fn new(
        config: Config,
        locale: Locale,
        cart: Cart,
        draft: Option<Draft>,
        platform: Platform,
    ) -> Shop {
        let t = locale.strings();
        let country = shop_country(&config);
        let setup = CheckoutSetup {
            endpoint: config.order_endpoint.clone(),
            format: address_format(country.as_deref()),
            fields: contact_fields(country.as_deref(), config.checkout.phone_required),
            shipping: shipping_methods(&config, t.standard_shipping),
            payment: payment_methods(&config.checkout, t.card_payment),
            wallet_methods: config.checkout.wallet_methods.clone(),
            offer_reminder: config.events.contact && config.events.endpoint.is_some(),
            country,
        };
        let mut draft = draft.unwrap_or_default();
        draft.settle_choices(&setup.shipping, &setup.payment);
        let reopen = draft.open && setup.endpoint.is_some() && !cart.is_empty();
        // The confirmation of an order placed in this tab comes back with a reload.
        let confirming = draft.placed.is_some();
        let cart = RwSignal::new(cart);
        let draft = RwSignal::new(draft);
        let rules = config.pricing.clone();
        let methods = setup.shipping.clone();
        let codes = config.checkout.discount_codes.clone();
        let totals = Memo::new(move |_| {
            let (method_id, code) =
                draft.with(|d| (d.shipping_method.clone(), d.discount_code.clone()));
            let method = methods.iter().find(|m| Some(&m.id) == method_id.as_ref());
            let rules = rules_with_shipping(&rules, method);
            cart.with(|c| {
                let subtotal: i64 = c.lines().iter().map(|l| l.line_total()).sum();
                let discount = code.and_then(|code| {
                    find_discount(&codes, &code, subtotal)
                        .ok()
                        .map(|d| d.discount)
                });
                price_cart(c, &rules, discount)
            })
        });
        let shop = Shop {
            cart,
            draft,
            totals,
            panel: RwSignal::new(if confirming {
                Panel::Confirmation
            } else if reopen {
                Panel::Checkout
            } else {
                Panel::Closed
            }),
            errors: RwSignal::new(FieldMap::new()),
            code_error: RwSignal::new(None),
            submit: RwSignal::new(Submit::Idle),
            announcement: RwSignal::new(String::new()),
            focus_field: RwSignal::new(None),
            wallet_ready: RwSignal::new(false),
            wide: RwSignal::new(false),
            locale,
            currency: config.currency,
            // Leaked once per mounted widget, which lives as long as the page.
            config: Box::leak(Box::new(config)),
            setup: Box::leak(Box::new(setup)),
            attempt: StoredValue::new(Attempt {
                started_at: (platform.now_ms)(),
                last_activity: (platform.now_ms)(),
                ..Attempt::default()
            }),
            platform,
        };
        // Checkout needs something to order: when the cart empties during checkout (in another
        // tab, by a script), the cart with its "empty" message takes its place.
        crate::ui::effect(move || {
            if shop.cart.with(Cart::is_empty) && shop.panel.get_untracked() == Panel::Checkout {
                shop.panel.set(Panel::Cart);
            }
        });
        // The placed order is kept (for a reload) only while its confirmation is shown.
        crate::ui::effect(move || {
            let confirming = shop.panel.get() == Panel::Confirmation;
            if !confirming && shop.draft.with_untracked(|d| d.placed.is_some()) {
                shop.draft.update(|d| d.placed = None);
            }
        });
        shop
    }

    pub fn text(&self) -> &'static Strings {
        self.locale.strings()
    }

    /// The amount as the shopper reads it in this shop's locale.
    pub fn format(&self, money: Money) -> String {
        (self.platform.format_money)(money, self.locale)
    }

    /// An amount in minor units of the shop currency, formatted.
    pub fn format_minor(&self, minor: i64) -> String {
        self.format(Money::new(minor, self.currency))
    }

    /// Tells the host page (`kago:<name>`) and the funnel, with the cart's value and items.
    pub fn emit(&self, name: &str, detail: Value) {
        let data = match detail {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        let cart = EventCart {
            currency: self.currency,
            value: self.totals.get_untracked().total.minor,
            items: self.cart.with_untracked(kago_core::events::event_items),
        };
        let email = self.draft.with_untracked(|d| {
            (d.reminder_consent && self.setup.offer_reminder)
                .then(|| d.value(Field::Email).trim().to_string())
                .filter(|e| kago_core::config::is_email(e))
        });
        (self.platform.emit)(name, data, cart, email.as_deref());
        self.attempt
            .update_value(|a| a.last_activity = (self.platform.now_ms)());
    }

    /// Tells screen readers what changed and the new total, once the change is on screen.
    fn announce(&self, message: String) {
        let shop = *self;
        (self.platform.later)(Box::new(move || {
            let total = shop.format(shop.totals.get_untracked().total);
            let total = fill(shop.text().total_now, &[("amount", &total)]);
            shop.announcement
                .set(format!("{message} {total}").trim().to_string());
        }));
    }

    /// Adds the item; whether any unit was added (none when its line is at the maximum or the
    /// cart is full: the shopper is told so either way).
    pub fn add(&self, request: ProductRequest) -> bool {
        let label = match &request.item.variant {
            Some(v) => format!("{} ({v})", request.item.name),
            None => request.item.name.clone(),
        };
        let (sku, variant) = (request.item.sku.clone(), request.item.variant.clone());
        let before = self.cart.with_untracked(|c| {
            c.find_line(&sku, variant.as_deref())
                .map_or(0, |l| l.quantity)
        });
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
        // `quantity` is the units this tap added (fewer when the line maximum cut it).
        let units = result
            .ok()
            .map(|a| a.quantity.saturating_sub(before))
            .filter(|u| *u > 0);
        if let Some(units) = units {
            self.emit(
                "item_added",
                json!({"sku": sku, "variant": variant, "quantity": units}),
            );
        }
        self.announce(message);
        units.is_some()
    }

    /// Sets a line's quantity (0 removes it, above the maximum is the maximum); a tap that
    /// changes nothing (− at 1, + at the maximum) raises no event.
    pub fn set_quantity(&self, line_id: u32, quantity: u32) {
        let unchanged = self.cart.with_untracked(|c| {
            c.line(line_id).map(|l| l.quantity) == Some(quantity.min(c.max_quantity()))
        });
        if unchanged {
            return;
        }
        let mut changed = None;
        self.cart.update(|c| {
            if c.set_quantity(line_id, quantity).is_ok() {
                changed = c
                    .line(line_id)
                    .map(|l| (l.sku.clone(), l.variant.clone(), l.quantity, l.label()));
            }
        });
        let Some((sku, variant, quantity, label)) = changed else {
            return;
        };
        self.emit(
            "quantity_changed",
            json!({"sku": sku, "variant": variant, "quantity": quantity}),
        );
        // "Quantity of Tee (M): 3. Total $75.60": the new quantity, then the total.
        let of = fill(self.text().quantity_of, &[("item", &label)]);
        self.announce(format!("{of}: {quantity}."));
    }

    pub fn remove(&self, line_id: u32) {
        let mut removed = None;
        self.cart.update(|c| removed = c.remove_line(line_id));
        if let Some(line) = removed {
            self.emit(
                "item_removed",
                json!({"sku": line.sku, "variant": line.variant, "quantity": line.quantity, "unit_price": line.unit_price}),
            );
            self.announce(fill(self.text().removed, &[("item", &line.label())]));
        }
    }

    pub fn open(&self, panel: Panel) {
        if panel == Panel::Cart && self.panel.get_untracked() != Panel::Cart {
            self.emit("cart_viewed", json!({}));
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
        self.draft.update(|d| d.open = false);
    }

    /// The shopper's one-tap answer to "What stopped you?" (`None`: skipped).
    pub fn answer_exit_question(&self, reason: Option<&'static str>) {
        self.report_abandonment("closed", reason);
        self.panel.set(Panel::Closed);
        self.draft.update(|d| d.open = false);
    }

    /// Sends `checkout_abandoned` once per checkout attempt, if a checkout is open.
    pub fn report_abandonment(&self, trigger: &'static str, reason: Option<&'static str>) {
        let open = matches!(
            self.panel.get_untracked(),
            Panel::Checkout | Panel::ExitQuestion
        );
        let attempt = self.attempt.get_value();
        if !open || attempt.reported || !self.has_endpoint() {
            return;
        }
        let now = (self.platform.now_ms)();
        let last_step = step_name(self.draft.with_untracked(|d| d.step));
        let mut detail = json!({"last_step": last_step, "duration_ms": now.saturating_sub(attempt.started_at), "trigger": trigger});
        if let Some(reason) = reason {
            detail.insert("reason", json!(reason));
        }
        self.attempt.update_value(|a| a.reported = true);
        self.emit("checkout_abandoned", detail);
    }

    /// An open checkout with no activity for `minutes` counts as abandoned.
    pub fn check_idle(&self, minutes: u32) {
        let idle = (self.platform.now_ms)().saturating_sub(self.attempt.get_value().last_activity);
        if idle >= u64::from(minutes) * 60_000 {
            self.report_abandonment("idle", None);
        }
    }

    /// What a shipping method costs for the current cart (free once its threshold is reached).
    pub fn shipping_price(&self, method: &ShippingMethod) -> Money {
        let rules = rules_with_shipping(&self.config.pricing, Some(method));
        let discount = self.totals.with(|t| t.discount.minor);
        let discount =
            (discount > 0).then_some(kago_core::pricing::Discount::Fixed { minor: discount });
        self.cart.with(|c| price_cart(c, &rules, discount).shipping)
    }

    pub fn has_endpoint(&self) -> bool {
        self.setup.endpoint.is_some()
    }

    // ----- checkout -----

    pub fn start_checkout(&self) {
        if self.cart.with_untracked(Cart::is_empty) {
            return self.open(Panel::Cart);
        }
        let setup = self.setup;
        let one_page = self.wide.get_untracked();
        self.draft.update(|d| {
            d.settle_choices(&setup.shipping, &setup.payment);
            d.open = true;
            if one_page {
                // One page shows every step; the funnel sees it start at contact.
                d.step = Step::Contact;
            }
        });
        self.submit.set(Submit::Idle);
        self.panel.set(Panel::Checkout);
        let now = (self.platform.now_ms)();
        self.attempt.set_value(Attempt {
            started_at: now,
            last_activity: now,
            ..Attempt::default()
        });
        let wallet_methods = self.setup.wallet_methods.clone();
        if let Some(methods) = wallet_methods.filter(|_| self.has_endpoint()) {
            let shop = *self;
            let can_pay = self.platform.wallet_can_pay;
            let currency = self.currency.code().to_string();
            leptos::task::spawn_local(async move {
                shop.wallet_ready.set(can_pay(methods, currency).await)
            });
        }
        if self.has_endpoint() {
            self.emit("checkout_started", json!({}));
            self.emit_step_viewed();
        }
    }

    fn emit_step_viewed(&self) {
        let step = self.draft.with_untracked(|d| d.step);
        self.emit("step_viewed", json!({"step": step_name(step)}));
    }

    pub fn set_value(&self, field: Field, value: String) {
        self.draft.update(|d| {
            d.values.insert(field, value);
        });
        self.attempt
            .update_value(|a| a.last_activity = (self.platform.now_ms)());
        // A field already marked wrong is re-checked as the shopper types, so the message
        // disappears the moment it is fixed.
        if self.errors.with_untracked(|e| e.contains_key(&field)) {
            self.check_field(field);
        }
    }

    /// Validates one field (on blur): non-empty values only, so tabbing through is not scolded.
    pub fn blur(&self, field: Field) {
        if !self
            .draft
            .with_untracked(|d| d.value(field).trim().is_empty())
        {
            self.check_field(field);
        }
    }

    fn check_field(&self, field: Field) {
        let format = self.setup.format;
        let result = self
            .draft
            .with_untracked(|d| kago_core::checkout::validate_field(field, d.value(field), format));
        self.errors.update(|e| match result {
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
        let (fields, format) = (self.setup.fields.clone(), self.setup.format);
        let errors = self
            .draft
            .with_untracked(|d| d.contact_errors(&fields, format));
        if let Some((first, _)) = errors.first() {
            let mut by_field = FieldMap::new();
            for (field, error) in &errors {
                by_field.insert(*field, *error);
            }
            self.errors.set(by_field);
            self.focus_field.set(Some(*first));
            self.announcement
                .set(self.text().errors_summary.to_string());
            return false;
        }
        self.errors.set(FieldMap::new());
        self.draft.update(|d| d.normalise(&fields, format));
        true
    }

    /// Completing delivery reports the methods the shopper kept as pre-selected.
    fn report_kept_choices(&self) {
        let (shipping, payment) = self
            .draft
            .with_untracked(|d| (d.shipping_method.clone(), d.payment_method.clone()));
        let done = self.attempt.get_value();
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
        self.emit("step_completed", json!({"step": step_name(step)}));
    }

    /// Submits the current step: validates, then moves on (or focuses the first invalid field).
    pub fn continue_step(&self) {
        let step = self.draft.with_untracked(|d| d.step);
        if step == Step::Review || (step == Step::Contact && !self.check_contact()) {
            return;
        }
        self.complete_step(step);
        self.draft.update(|d| d.step = step.next());
        self.emit_step_viewed();
    }

    /// One page: "Place order" completes contact and delivery at once (each reported once), or
    /// stops at the first invalid field.
    fn complete_one_page(&self) -> bool {
        if !self.check_contact() {
            return false;
        }
        let current = self.draft.with_untracked(|d| d.step);
        for step in [Step::Contact, Step::Delivery] {
            if step.number() >= current.number() {
                self.complete_step(step);
            }
        }
        if current != Step::Review {
            self.draft.update(|d| d.step = Step::Review);
        }
        true
    }

    pub fn back(&self) {
        match self.draft.with_untracked(|d| d.step.previous()) {
            Some(previous) => {
                self.draft.update(|d| d.step = previous);
                self.emit_step_viewed();
            }
            None => self.open(Panel::Cart),
        }
    }

    pub fn go_to(&self, step: Step) {
        self.draft.update(|d| d.step = step);
        self.emit_step_viewed();
    }

    pub fn set_reminder_consent(&self, consent: bool) {
        self.draft.update(|d| d.reminder_consent = consent);
    }

    pub fn choose_shipping(&self, id: String) {
        self.draft.update(|d| d.shipping_method = Some(id.clone()));
        self.report_shipping(id);
    }

    pub fn choose_payment(&self, id: String) {
        self.draft.update(|d| d.payment_method = Some(id.clone()));
        self.report_payment(id);
    }

    fn report_shipping(&self, id: String) {
        self.attempt.update_value(|a| a.shipping_reported = true);
        self.emit("shipping_selected", json!({"shipping_method": id}));
    }

    fn report_payment(&self, id: String) {
        self.attempt.update_value(|a| a.payment_reported = true);
        self.emit("payment_selected", json!({"payment_method": id}));
    }

    pub fn apply_code(&self, typed: String) {
        let subtotal = self.totals.with_untracked(|t| t.subtotal.minor);
        let found = find_discount(&self.config.checkout.discount_codes, &typed, subtotal)
            .map(|d| d.code.clone());
        match found {
            Ok(code) => {
                self.draft.update(|d| {
                    d.discount_code = Some(code.clone());
                    d.code_typed.clear();
                });
                self.code_error.set(None);
                self.emit("discount_applied", json!({"discount_code": code}));
                self.announce(fill(self.text().code_applied, &[("code", &code)]));
            }
            Err(error) => {
                self.code_error.set(Some(error));
                self.emit("discount_rejected", json!({"reason": match error { CodeError::Unknown => "unknown", CodeError::BelowMinimum { .. } => "below_minimum" }}));
            }
        }
    }

    /// Whether the shopper has answered the feedback question for the order just placed.
    pub fn feedback_sent(&self) -> bool {
        self.draft
            .with_untracked(|d| d.placed.as_ref().is_some_and(|p| p.feedback_sent))
    }

    /// Records the feedback answer for the order just placed, so a reload does not ask again.
    pub fn feedback_given(&self) {
        self.draft.update(|d| {
            if let Some(p) = &mut d.placed {
                p.feedback_sent = true;
            }
        });
    }

    /// What is typed in the code field (kept in the draft, so a reload keeps it).
    pub fn type_code(&self, text: String) {
        self.draft.update(|d| d.code_typed = text);
    }

    /// Why the applied code gives no discount now (`None` if it does, or none is applied): the
    /// subtotal fell below its minimum since, or the shop no longer has it.
    pub fn code_problem(&self) -> Option<CodeError> {
        let code = self.draft.with(|d| d.discount_code.clone())?;
        let subtotal = self.totals.with(|t| t.subtotal.minor);
        find_discount(&self.config.checkout.discount_codes, &code, subtotal).err()
    }

    pub fn remove_code(&self) {
        self.draft.update(|d| d.discount_code = None);
        self.code_error.set(None);
        self.announce(String::new());
    }

    /// Places the order: one request at a time, retried with backoff under one idempotency key.
    pub fn place_order(&self) {
        if self.submit.with_untracked(Submit::busy) {
            return; // a double tap never sends twice
        }
        if self.wide.get_untracked() && !self.complete_one_page() {
            return;
        }
        self.submit_order(None);
    }

    /// Express checkout: the browser's payment sheet supplies contact, address and payment.
    pub fn pay_with_wallet(&self) {
        let Some(methods) = self.setup.wallet_methods.clone() else {
            return;
        };
        let totals = self.totals.get_untracked();
        let (shipping_id, shipping_label) = self.draft.with_untracked(|d| {
            self.setup
                .shipping
                .iter()
                .find(|m| Some(&m.id) == d.shipping_method.as_ref())
                .map(|m| (m.id.clone(), m.label.clone()))
                .unwrap_or_default()
        });
        let request = WalletRequest {
            methods,
            currency: self.currency.code().to_string(),
            label: self.text().total.to_string(),
            total: totals.total.to_decimal_string(),
            shipping_id,
            shipping_label,
            shipping: totals.shipping.to_decimal_string(),
            request_phone: self.config.checkout.phone_required,
        };
        let shop = *self;
        let pay = self.platform.wallet_pay;
        leptos::task::spawn_local(async move {
            let Some(paid) = pay(request).await else {
                return;
            };
            shop.draft.update(|d| {
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
                        d.values.insert(field, value.clone());
                    }
                }
                d.payment_method = Some("wallet".into());
                d.step = Step::Review;
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
        let Some(endpoint) = self.setup.endpoint.clone() else {
            return;
        };
        if self.cart.with_untracked(Cart::is_empty) {
            return;
        }
        let country = self.setup.country.clone();
        let totals = self.totals.get_untracked();
        let mut order = self.cart.with_untracked(|c| {
            self.draft.with_untracked(|d| {
                build_order(
                    c,
                    &totals,
                    d,
                    country.as_deref(),
                    self.locale.tag(),
                    String::new(),
                )
            })
        });
        let paid_by_wallet = wallet.is_some();
        order.wallet = wallet;
        let fingerprint = order_fingerprint(&order);
        let random_key = self.platform.random_key;
        let mut key = String::new();
        self.draft
            .update(|d| key = d.key_for(fingerprint, random_key));
        order.idempotency_key = key.clone();
        let body = json::to_string(&order);
        let shop = *self;
        shop.submit.set(Submit::Sending);
        shop.announcement.set(shop.text().placing.to_string());
        shop.emit("order_submitted", json!({"idempotency_key": key}));
        leptos::task::spawn_local(async move {
            let mut retry = 0;
            loop {
                let answer =
                    (shop.platform.post_json)(endpoint.clone(), body.clone(), key.clone()).await;
                match read_order_response(
                    answer.status,
                    &answer.body,
                    answer.retry_after.as_deref(),
                ) {
                    OrderOutcome::Placed { order_id } => {
                        if paid_by_wallet {
                            (shop.platform.wallet_complete)(true);
                        }
                        return shop.order_placed(order_id);
                    }
                    OrderOutcome::Redirect { url } => {
                        if paid_by_wallet {
                            (shop.platform.wallet_complete)(true);
                        }
                        shop.submit.set(Submit::Redirecting);
                        shop.announcement.set(shop.text().redirecting.to_string());
                        (shop.platform.navigate)(&url);
                        return;
                    }
                    OrderOutcome::Rejected { message } => {
                        shop.emit(
                            "order_failed",
                            json!({"reason": "rejected", "status": answer.status}),
                        );
                        shop.submit.set(Submit::Rejected(message));
                        if paid_by_wallet {
                            (shop.platform.wallet_complete)(false);
                        }
                        return;
                    }
                    OrderOutcome::Retry { after_ms } => {
                        retry += 1;
                        let Some(delay) = retry_delay_ms(retry, after_ms) else {
                            shop.emit(
                                "order_failed",
                                json!({"reason": "unreachable", "status": answer.status}),
                            );
                            shop.submit.set(Submit::Unreachable);
                            shop.announcement.set(shop.text().failed.to_string());
                            if paid_by_wallet {
                                (shop.platform.wallet_complete)(false);
                            }
                            return;
                        };
                        let mut left = delay.div_ceil(1000);
                        while left > 0 {
                            shop.submit.set(Submit::Waiting(left));
                            (shop.platform.sleep_ms)(1000.min(delay)).await;
                            left -= 1;
                        }
                        shop.submit.set(Submit::Sending);
                    }
                }
            }
        });
    }

    fn order_placed(&self, order_id: String) {
        let (email, method) = self
            .draft
            .with_untracked(|d| (d.value(Field::Email).to_string(), d.payment_method.clone()));
        // How the shopper pays (none for the express wallet: that is paid already), with the
        // merchant's note ("We e-mail the bank details").
        let payment = self
            .setup
            .payment
            .iter()
            .find(|m| Some(&m.id) == method.as_ref())
            .map(|m| match &m.note {
                Some(note) => format!("{} — {note}", m.label),
                None => m.label.clone(),
            });
        let total = self.format(self.totals.get_untracked().total);
        self.emit("order_completed", json!({"order_id": order_id}));
        self.attempt.update_value(|a| a.reported = true);
        (self.platform.new_cart)();
        let placed = Placed {
            order_id,
            email,
            total,
            payment,
            feedback_sent: false,
        };
        self.cart.update(Cart::clear);
        // What was typed goes; the confirmation stays until closed, across a reload too.
        self.draft.set(Draft {
            placed: Some(placed),
            ..Draft::default()
        });
        self.submit.set(Submit::Idle);
        self.code_error.set(None);
        // The live region said "Placing your order…"; now it says how that ended.
        self.announcement
            .set(self.text().confirmation_heading.to_string());
        self.panel.set(Panel::Confirmation);
    }
}

/// The step's name in events (`contact`, `delivery`, `review`).
pub fn step_name(step: Step) -> &'static str {
    match step {
        Step::Contact => "contact",
        Step::Delivery => "delivery",
        Step::Review => "review",
    }
}
