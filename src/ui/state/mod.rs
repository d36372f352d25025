//! The widget's state, owned at the top in small slices, and the actions the components
//! dispatch. Every rule is the core's; this connects core results to signals, announcements and
//! events. The browser capabilities it needs come in as a [`Platform`] of plain functions, so
//! the UI depends on the core only.
//!
//! - [`Shop`] composes the slices: the cart and its totals (the core prices it), the checkout
//!   draft and its errors ([`CheckoutState`]), placing the order ([`Submit`]), the funnel
//!   ([`Tracking`]) and the live region ([`Announcer`]), the Japanese checkout's lookup and
//!   notes ([`JapanInput`]), plus the open panel.
//! - The actions are `Shop` methods grouped by flow: `cart.rs` (add, quantity, remove),
//!   `panels.rs` (open, close, "What stopped you?"), `checkout.rs` (fields, steps, choices,
//!   codes), `japan.rs` (typing tidied, the postal-code lookup, the delivery date and time),
//!   `order.rs` (placing the order, the wallet, the confirmation), `correction.rs` (the order
//!   endpoint's corrections).

mod announcer;
mod cart;
mod checkout;
mod correction;
mod japan;
mod order;
mod panels;
mod tracking;

pub use announcer::Announcer;
pub use japan::{JapanInput, PostalStatus};
pub use tracking::Tracking;

use kago_core::cart::{Cart, CartChange};
use kago_core::checkout::{
    address_format, contact_fields, payment_methods, shop_country, AddressFormat, CheckoutPricing,
    Draft, Field, FieldError, FieldMap, OrderForm,
};
use kago_core::checkout_config::{CodeError, PaymentMethod};
use kago_core::config::Config;
use kago_core::currency::Currency;
use kago_core::endpoint::HttpAnswer;
use kago_core::events::{EventCart, EventKind};
use kago_core::i18n::{Locale, Strings};
use kago_core::money::Money;
use kago_core::postal::PostalFile;
use kago_core::pricing::Totals;
use kago_core::tracking::Attempt;
use kago_core::url::ResolveUrl;
use kago_core::wallet::{WalletRequest, WalletResult};
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU8, Ordering};

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

pub type LocalFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// Work done holding a cross-tab lock, given whether this tab got it (see `Platform::order_lock`).
pub type LockedWork = Box<dyn FnOnce(bool) -> LocalFuture<()>>;

/// Called with the cart as saved (see `Platform::save_cart`).
pub type CartSaved = Box<dyn FnOnce(Cart)>;

/// The browser capabilities the UI uses, provided by the wiring in `lib.rs`.
#[derive(Clone, Copy)]
pub struct Platform {
    pub format_money: fn(Money, Locale) -> String,
    /// Dispatches a `kago:<type>` event on the host page and records the funnel event; the
    /// e-mail (only with the shopper's consent) goes to the funnel event, never to the page.
    pub emit: fn(EventKind, EventCart, Option<&str>),
    /// Runs work that can wait until the frame showing the shopper's action is painted.
    pub later: fn(Box<dyn FnOnce()>),
    /// Runs work when the page is idle.
    pub when_idle: fn(Box<dyn FnOnce()>),
    /// Runs work in a task of its own after the next paint: the next step of long work
    /// (building the drawer ahead), so that no task grows long.
    pub yield_to_page: fn(Box<dyn FnOnce()>),
    pub now_ms: fn() -> u64,
    /// `localStorage` read and write (None removes), for small `kago.*` records.
    pub read_local: fn(&str) -> Option<String>,
    pub write_local: fn(&str, Option<&str>),
    /// A new cart id for the events after an order.
    pub new_cart: fn(),
    pub random_key: fn() -> String,
    /// `(url, body, idempotency key, timeout ms)`: an answer not in by the timeout is status 0.
    pub post_json: fn(String, String, String, u32) -> LocalFuture<HttpAnswer>,
    pub sleep_ms: fn(u32) -> LocalFuture<()>,
    pub navigate: fn(&str),
    pub wallet_can_pay: fn(serde_json::Value, String) -> LocalFuture<bool>,
    pub wallet_pay: fn(WalletRequest) -> LocalFuture<Option<WalletResult>>,
    pub wallet_complete: fn(bool),
    /// Fetches and reads one postal file (`…/postal/150.json`): empty for HTTP 404, `None`
    /// (reported in the console) when it cannot be fetched or read.
    pub postal_file: fn(String) -> LocalFuture<Option<PostalFile>>,
    /// The browser's URL parser against the page, for the core's URL rule.
    pub urls: &'static (dyn ResolveUrl + Send + Sync),
    /// Saves a change of the cart on the latest saved cart (other tabs may have changed it);
    /// `(change, this tab's cart with the change, called with the saved cart)`.
    pub save_cart: fn(CartChange, Cart, CartSaved),
    /// Runs the work holding the cross-tab order lock (`true`), or at once with `false` when
    /// another tab holds it (is placing the order).
    pub order_lock: fn(LockedWork),
    /// Resolves once no tab holds the order lock.
    pub order_lock_free: fn() -> LocalFuture<()>,
    /// A message for the merchant in the console.
    pub warn: fn(&str),
}

/// What the page's settings make of checkout, resolved once at start and fixed for the page's
/// life (one per mounted widget, so plain shared references), but for the language, which the
/// page may change (`Kago.setLocale`).
pub struct Env {
    /// The [`Locale`] as its index in `strings`; read with [`Env::locale`].
    locale: AtomicU8,
    /// Each locale's strings with the shop's texts over them (`"texts"` in the JSON block).
    strings: [&'static Strings; 2],
    pub currency: Currency,
    pub config: Config,
    pub pricing: CheckoutPricing,
    pub endpoint: Option<String>,
    /// What every order's contact and address is checked against before it is sent.
    pub form: OrderForm,
    pub country: Option<String>,
    pub format: AddressFormat,
    pub fields: Vec<Field>,
    pub payment: Vec<PaymentMethod>,
    pub wallet_methods: Option<serde_json::Value>,
    /// Offer the "e-mail me a reminder" box (`data-events-contact="on"` and an event endpoint).
    pub offer_reminder: bool,
    pub platform: Platform,
}

impl Env {
    pub fn new(config: Config, locale: Locale, platform: Platform) -> Env {
        let t = locale.strings();
        let country = shop_country(&config);
        Env {
            locale: AtomicU8::new(locale as u8),
            strings: [
                config.texts.apply(Locale::En),
                config.texts.apply(Locale::Ja),
            ],
            currency: config.currency,
            pricing: CheckoutPricing::new(&config, t.standard_shipping),
            endpoint: config.order_endpoint.clone(),
            form: OrderForm::new(&config),
            format: address_format(country.as_deref()),
            fields: contact_fields(
                country.as_deref(),
                config.checkout.phone_required,
                config.checkout.name_kana_required,
            ),
            payment: payment_methods(&config.checkout, t.card_payment),
            wallet_methods: config.checkout.wallet_methods.clone(),
            offer_reminder: config.events.contact && config.events.endpoint.is_some(),
            country,
            config,
            platform,
        }
    }

    /// The widget's language now.
    pub fn locale(&self) -> Locale {
        match self.locale.load(Ordering::Relaxed) {
            0 => Locale::En,
            _ => Locale::Ja,
        }
    }

    /// Changes the language of what is built from now on (the wiring rebuilds the views).
    pub fn set_locale(&self, locale: Locale) {
        self.locale.store(locale as u8, Ordering::Relaxed);
    }

    pub fn text(&self) -> &'static Strings {
        self.strings[self.locale() as usize]
    }

    /// The amount as the shopper reads it in this shop's locale.
    pub fn format(&self, money: Money) -> String {
        (self.platform.format_money)(money, self.locale())
    }

    /// An amount in minor units of the shop currency, formatted.
    pub fn format_minor(&self, minor: i64) -> String {
        self.format(Money::new(minor, self.currency))
    }
}

/// What the shopper has entered and what is wrong with it.
#[derive(Clone, Copy)]
pub struct CheckoutState {
    pub draft: RwSignal<Draft>,
    pub errors: RwSignal<FieldMap<FieldError>>,
    /// Which field should take focus next (after a failed submit).
    pub focus_field: RwSignal<Option<Field>>,
    /// Why the code last tried was refused; cleared when a code is applied or removed.
    pub code_error: RwSignal<Option<CodeError>>,
    /// The browser can pay with one of the merchant's wallet methods.
    pub wallet_ready: RwSignal<bool>,
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
    /// The shop corrected the order (prices, stock, the code) and the cart now holds the
    /// corrected one: what changed, as sentences; one more tap places it.
    Corrected(Vec<String>),
    Redirecting,
    /// Another tab is placing the order for this cart; this one waits for how it ends.
    Elsewhere,
}

impl Submit {
    /// The order is on its way: another tap on "Place order" must do nothing.
    pub fn busy(&self) -> bool {
        matches!(
            self,
            Submit::Sending | Submit::Waiting(_) | Submit::Redirecting | Submit::Elsewhere
        )
    }
}

/// The whole state: small copyable slices, each with one job.
#[derive(Clone, Copy)]
pub struct Shop {
    pub cart: RwSignal<Cart>,
    /// What the core prices the cart at with the draft's shipping method and code.
    pub totals: Memo<Totals>,
    pub checkout: CheckoutState,
    pub submit: RwSignal<Submit>,
    pub panel: RwSignal<Panel>,
    /// The screen is wide enough for the one-page checkout (set by the wiring from a media
    /// query); phones get the three steps.
    pub wide: RwSignal<bool>,
    pub tracking: Tracking,
    pub announcer: Announcer,
    pub japan: JapanInput,
    /// Funnel events may be stored and sent (`data-consent`, `Kago.consent`): only then is
    /// "E-mail me a reminder" offered.
    pub consent: RwSignal<bool>,
    pub env: &'static Env,
}

impl Shop {
    pub fn new(
        config: Config,
        locale: Locale,
        cart: Cart,
        draft: Option<Draft>,
        platform: Platform,
    ) -> Shop {
        // Leaked once per mounted widget, which lives as long as the page.
        let env: &'static Env = Box::leak(Box::new(Env::new(config, locale, platform)));
        let mut draft = draft.unwrap_or_default();
        draft.settle_choices(&env.pricing.methods, &env.payment);
        let reopen = draft.open && env.endpoint.is_some() && !cart.is_empty();
        // The confirmation of an order placed in this tab comes back with a reload.
        let confirming = draft.placed.is_some();
        let cart = RwSignal::new(cart);
        let draft = RwSignal::new(draft);
        let totals =
            Memo::new(move |_| draft.with(|d| cart.with(|c| env.pricing.draft_totals(c, d))));
        let now = (platform.now_ms)();
        let shop = Shop {
            cart,
            totals,
            checkout: CheckoutState {
                draft,
                errors: RwSignal::new(FieldMap::new()),
                focus_field: RwSignal::new(None),
                code_error: RwSignal::new(None),
                wallet_ready: RwSignal::new(false),
            },
            submit: RwSignal::new(Submit::Idle),
            panel: RwSignal::new(if confirming {
                Panel::Confirmation
            } else if reopen {
                Panel::Checkout
            } else {
                Panel::Closed
            }),
            wide: RwSignal::new(false),
            tracking: Tracking::new(env, cart, totals, draft, Attempt::start(now)),
            announcer: Announcer::new(env, totals),
            japan: JapanInput::new(),
            consent: RwSignal::new(true),
            env,
        };
        // Checkout needs something to order: when the cart empties during checkout (in another
        // tab, by a script), the cart with its "empty" message takes its place.
        crate::ui::effect(move || {
            let empty = shop.cart.with(Cart::is_empty);
            if empty && shop.panel.get_untracked() == Panel::Checkout {
                shop.panel.set(Panel::Cart);
            }
        });
        // The placed order is kept (for a reload) only while its confirmation is shown.
        crate::ui::effect(move || {
            let confirming = shop.panel.get() == Panel::Confirmation;
            if !confirming && draft.with_untracked(|d| d.placed.is_some()) {
                draft.update(|d| d.placed = None);
            }
        });
        shop
    }

    pub fn text(&self) -> &'static Strings {
        self.env.text()
    }

    /// The amount as the shopper reads it in this shop's locale.
    pub fn format(&self, money: Money) -> String {
        self.env.format(money)
    }

    /// An amount in minor units of the shop currency, formatted.
    pub fn format_minor(&self, minor: i64) -> String {
        self.env.format_minor(minor)
    }

    pub fn has_endpoint(&self) -> bool {
        self.env.endpoint.is_some()
    }

    /// Tells the host page (`kago:<type>`) and the funnel.
    pub fn emit(&self, kind: EventKind) {
        self.tracking.emit(kind);
    }

    /// Whether the "E-mail me a reminder" box is offered now: the merchant's setting, and the
    /// shopper's consent to funnel events where the merchant requires it.
    pub fn offers_reminder(&self) -> bool {
        self.env.offer_reminder && self.consent.get()
    }

    /// Saves a change this tab made to its cart (already in `self.cart`): the other tabs' cart
    /// and this one are the saved cart with the change made on it.
    pub(super) fn save_change(&self, change: CartChange) {
        let cart = self.cart;
        let mine = cart.get_untracked();
        (self.env.platform.save_cart)(
            change,
            mine,
            Box::new(move |saved| {
                if cart.with_untracked(|now| *now != saved) {
                    cart.set(saved);
                }
            }),
        );
    }
}
