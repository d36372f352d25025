//! Kago: a checkout widget any storefront adds with one script tag, and Leptos apps add as a
//! component.
//!
//! `kago_core` (its own crate, pure Rust, tested natively) holds the rules; `browser` is the
//! thin edge to the page; `ui` renders state with Leptos. This file wires the three. See
//! ARCHITECTURE.md.
//!
//! The public API is for Leptos apps: [`Kago`] (the component, with [`KagoSettings`] or
//! [`KagoAttributes`]), [`use_kago`] (a [`KagoHandle`] with signals and methods mirroring
//! `window.Kago`) and the types they use. It compiles on every target; the widget itself runs
//! only in the browser (wasm32), so natively and during server-side rendering the component
//! renders nothing and the handle holds the empty cart. [`internal`] is not part of the API.

#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
mod host_api;
#[cfg(target_arch = "wasm32")]
mod ui;
// The drawer's build-ahead state machine is plain Rust with no web dependency: compiled on the
// host too, so `cargo test` runs its tests there.
#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "ui/build_ahead.rs"]
mod build_ahead;

mod component;
mod handle;
mod settings;

pub use component::{Kago, KagoProps};
pub use handle::{use_kago, KagoHandle, KagoItem, Subscription};
pub use kago_core::cart::{
    CartSnapshot, FormattedLine, FormattedTotals, LineMeta, SnapshotItem, VariantMatch,
};
pub use kago_core::config::CartButton;
pub use kago_core::events::{EventKind, EventType};
pub use kago_core::i18n::Locale;
pub use kago_core::prefill::{Prefill, PrefillAddress};
pub use settings::{KagoAttributes, KagoSettings};

/// The widget's insides, for this crate's own browser tests only: no part of the API, and no
/// promise that any of it stays.
#[doc(hidden)]
#[cfg(target_arch = "wasm32")]
pub mod internal {
    pub use crate::wiring::kago_start;
    pub mod browser {
        pub use crate::browser::*;
    }
    pub mod ui {
        pub use crate::ui::*;
    }
}

#[cfg(target_arch = "wasm32")]
mod wiring {
    use crate::browser::url::PageUrls;
    use crate::browser::{
        after_frame, console, funnel, host_events, http, js_api, locks, media, money_format, mount,
        postal, product_clicks, script_tag, session, storage, wallet,
    };
    use crate::ui::{Panel, Platform, Shop};
    use kago_core::cart::{Cart, DEFAULT_MAX_QUANTITY};
    use kago_core::checkout::{address_format, shop_country, AddressFormat, Draft};
    use kago_core::config::{parse_config, PostalLookup};
    use kago_core::events::{EventCart, EventItem, EventKind};
    use kago_core::placing::{ORDER_KEY, ORDER_LOCK};
    use leptos::prelude::*;
    use wasm_bindgen::prelude::*;
    use web_sys::Element;

    fn funnel_gpc() -> bool {
        web_sys::window()
            .and_then(|w| js_sys::Reflect::get(&w.navigator(), &"globalPrivacyControl".into()).ok())
            .is_some_and(|v| v.as_bool() == Some(true))
    }

    /// A `kago:<type>` event's `detail`: the kind's own fields (and `type`) with the cart's
    /// currency, value and items; never the e-mail.
    #[derive(serde::Serialize)]
    struct HostDetail<'a> {
        #[serde(flatten)]
        kind: &'a EventKind,
        currency: &'a str,
        value: i64,
        items: &'a [EventItem],
    }

    /// `kago:ready`'s `detail`.
    #[derive(serde::Serialize)]
    struct Ready {
        version: &'static str,
    }

    /// Tells the host page (`kago:<type>`, with the cart's currency, value and items) and
    /// records the funnel event (the e-mail only ever reaches the funnel event, never the page).
    fn emit_event(kind: EventKind, cart: EventCart, email: Option<&str>) {
        // After the frame that shows the tap: the host page's listeners never delay it.
        let (host_kind, host_cart) = (kind.clone(), cart.clone());
        after_frame::later(Box::new(move || {
            let detail = HostDetail {
                kind: &host_kind,
                currency: host_cart.currency.code(),
                value: host_cart.value,
                items: &host_cart.items,
            };
            host_events::dispatch(host_kind.event_type().name(), &detail);
            crate::handle::notify(&host_kind);
        }));
        funnel::record(kind, Some((cart.value, cart.items)), email);
    }

    /// Entry point, called once by the loader (`kago.js`) with its own script element, the
    /// product elements clicked while the wasm was loading, the stylesheet (`kago.css`) and
    /// whether the shopper tapped the loader's early cart button.
    ///
    /// Resolves once `window.Kago` is the widget's and product taps are its own (start-up's
    /// second task): the loader then applies the calls queued on its stand-in and stops keeping
    /// taps.
    #[wasm_bindgen(js_name = kagoStart)]
    pub fn kago_start(
        script: Element,
        pending: js_sys::Array,
        css: String,
        open_cart: bool,
    ) -> js_sys::Promise {
        let block = script_tag::json_block(&script).unwrap_or_else(|e| {
            console::warn(&e);
            None
        });
        let mut resolve = None;
        let promise = js_sys::Promise::new(&mut |r, _| resolve = Some(r));
        start(
            script_tag::data_attributes(&script),
            block,
            pending,
            css,
            open_cart,
            Box::new(move || {
                if let Some(r) = resolve {
                    let _ = r.call0(&JsValue::NULL);
                }
            }),
        );
        promise
    }

    thread_local! {
        /// The settings of the first `<Kago/>` (whether it started the widget or found one),
        /// and the other settings already reported.
        static COMPONENT: std::cell::RefCell<Option<Settings>> = const { std::cell::RefCell::new(None) };
        static REPORTED: std::cell::RefCell<Vec<Settings>> = const { std::cell::RefCell::new(Vec::new()) };
    }

    /// A `<Kago/>`'s attributes and JSON block.
    type Settings = (Vec<(String, String)>, Option<String>);

    /// `<Kago/>`: the first starts the widget; another (a route visited again) with the same
    /// settings is the same widget, silently; one with other settings is reported once.
    pub(crate) fn start_component(attributes: Vec<(String, String)>, config: Option<String>) {
        let settings = (attributes, config);
        let first = COMPONENT.with(|c| c.borrow().is_none());
        if first {
            COMPONENT.with(|c| *c.borrow_mut() = Some(settings.clone()));
            // Its own root: disposing the view that holds `<Kago/>` must not dispose the widget.
            let owner = Owner::new_root(None);
            owner.with(|| {
                start(
                    settings.0.clone(),
                    settings
                        .1
                        .clone()
                        .map(|text| ("in <Kago config>".to_string(), text)),
                    js_sys::Array::new(),
                    include_str!("ui/kago.css").into(),
                    false,
                    Box::new(|| {}),
                )
            });
            std::mem::forget(owner);
            return;
        }
        let running = COMPONENT.with(|c| c.borrow().clone()).unwrap_or_default();
        if running == settings {
            return;
        }
        if REPORTED.with(|r| r.borrow().contains(&settings)) {
            return;
        }
        REPORTED.with(|r| r.borrow_mut().push(settings.clone()));
        let difference = settings
            .0
            .iter()
            .find(|pair| !running.0.contains(pair))
            .map(|(name, value)| {
                let was = running
                    .0
                    .iter()
                    .find(|(n, _)| n == name)
                    .map_or("unset", |(_, v)| v);
                format!("{name}=\"{value}\" where it has {was}")
            })
            .or_else(|| {
                running
                    .0
                    .iter()
                    .find(|pair| !settings.0.contains(pair))
                    .map(|(name, value)| format!("no {name} where it has \"{value}\""))
            })
            .unwrap_or_else(|| "another JSON settings block".into());
        console::warn(&format!("Kago: the widget is already on this page with other settings ({difference}); this <Kago/>'s settings are ignored: a page keeps the settings its widget started with."));
    }

    /// How far this copy of the widget got.
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Progress {
        NotStarted,
        /// Started: running once the shop's state exists ([`crate::host_api::with_shop`]).
        Started,
        /// The page is another copy's, or the DOM refused the host: this copy never runs.
        GaveUp,
    }

    thread_local! {
        /// Left by the page's first start: a second copy (`<Kago/>` beside the script tag, two
        /// `<Kago/>`s) starts nothing.
        static PROGRESS: std::cell::Cell<Progress> = const { std::cell::Cell::new(Progress::NotStarted) };
    }

    /// Whether the widget is starting: started, its state not made yet (`use_kago()` keeps the
    /// calls made meanwhile).
    pub(crate) fn starting() -> bool {
        PROGRESS.with(|p| p.get()) == Progress::Started
            && crate::host_api::with_shop(|_| ()).is_none()
    }

    /// Whether this copy's start gave up ([`start`]): `use_kago()`'s calls then say so instead of
    /// waiting for a widget that never runs.
    pub(crate) fn gave_up() -> bool {
        PROGRESS.with(|p| p.get()) == Progress::GaveUp
    }

    /// What the loader (or `<Kago/>`) hands start-up, carried from step to step: the product
    /// elements clicked while the wasm was loading, the stylesheet, whether the shopper opened the
    /// early cart, and what to call once `window.Kago` and product taps are the widget's.
    struct Handover {
        pending: js_sys::Array,
        css: String,
        open_cart: bool,
        api_ready: Box<dyn FnOnce()>,
    }

    /// Starts the widget from the script tag's `data-*` pairs and its JSON block (where it
    /// is, for messages; its text). Inlined: the release wasm has only the loader's caller.
    ///
    /// In four steps, each after a paint (`after_frame::yield_to_page`), the first two in parts
    /// that are tasks of their own (`after_frame::next_task`: V8 compiles each wasm function on
    /// its first call, on the main thread, so a part is short only if it calls few new ones), so
    /// that none blocks the page for long (BENCHMARKS.md, "No long tasks"):
    /// 1. here, in the loader's call: the page claimed ([`mount::claim`]); then the settings;
    ///    then the saved cart and draft;
    /// 2. the funnel and the cart's sharing with other tabs; then the shop's state and its
    ///    saving, `window.Kago` and product taps, and the taps the loader kept; then `api_ready`
    ///    (the loader applies the calls queued on its stand-in and stops keeping taps);
    /// 3. the shadow root and the cart button, which takes the loader's early one's place (and
    ///    the drawer, if its early frame was opened meanwhile);
    /// 4. the page's other listeners (other tabs, leaving, idleness), and `kago:ready` once all
    ///    that is on screen.
    ///
    /// The first money formatter (`Intl.NumberFormat`, one long task that cannot be split) and
    /// the drawer wait for the shopper's intent (`ui::build_ahead`).
    #[inline(always)]
    fn start(
        attributes: Vec<(String, String)>,
        block: Option<(String, String)>,
        pending: js_sys::Array,
        css: String,
        open_cart: bool,
        api_ready: Box<dyn FnOnce()>,
    ) {
        if PROGRESS.with(|p| p.get()) != Progress::NotStarted {
            api_ready();
            return console::warn(mount::ALREADY_MOUNTED);
        }
        let claimed = mount::claim();
        let progress = match claimed {
            Ok(()) => Progress::Started,
            Err(_) => Progress::GaveUp,
        };
        PROGRESS.with(|p| p.set(progress));
        if let Err(why) = claimed {
            api_ready();
            match why {
                mount::MountError::AlreadyMounted => console::warn(mount::ALREADY_MOUNTED),
                mount::MountError::Dom(message) => console::error(&message),
            }
            return;
        }
        // The settings in a task of their own.
        after_frame::next_task(Box::new(move || {
            let handover = Handover {
                pending,
                css,
                open_cart,
                api_ready,
            };
            read_settings(attributes, block, handover)
        }));
    }

    /// Start-up's first step, second part: the settings, then the saved cart and draft in a
    /// task of their own.
    fn read_settings(
        attributes: Vec<(String, String)>,
        block: Option<(String, String)>,
        handover: Handover,
    ) {
        let json = block
            .as_ref()
            .map(|(id, text)| (id.as_str(), text.as_str()));
        let (config, warnings) = parse_config(&attributes, json, &PageUrls);
        for warning in &warnings {
            console::warn(&warning.to_string());
        }
        // The saved cart and draft in a task of their own.
        after_frame::next_task(Box::new(move || load_saved(config, handover)));
    }

    /// Start-up's first step, last part: the saved cart and draft; then the second step after a
    /// paint.
    fn load_saved(config: kago_core::config::Config, handover: Handover) {
        let locale = config
            .locale
            .unwrap_or_else(crate::browser::navigator_locale);
        let currency = config.currency;
        let (cart, other_saved) = storage::load_cart(currency, DEFAULT_MAX_QUANTITY);
        // A guessed currency never replaces a saved cart in another one.
        let keep_saved = config.currency_unreadable && other_saved;
        if keep_saved {
            console::warn("Kago: with the currency setting unreadable, this page's cart is kept for this page only.");
        }

        if config.order_endpoint.is_none() {
            console::warn("Kago: no data-order-endpoint is set, so checkout is off; the Checkout button says so to shoppers.");
        }
        if let Some(endpoint) = config
            .registration
            .endpoint
            .as_deref()
            .filter(|_| config.registration.enabled)
        {
            let origin = web_sys::window()
                .and_then(|w| w.location().origin().ok())
                .unwrap_or_default();
            if kago_core::registration::insecure_endpoint(endpoint, &origin) {
                console::warn(&format!("Kago: data-register-endpoint \"{endpoint}\" is plain http: on a public host; passwords would travel unencrypted. Use https."));
            }
        }
        let draft = session::load_draft();
        let mut config = config;
        if config.postal_lookup == PostalLookup::BesideLoader {
            config.postal_lookup = match script_tag::loader_base() {
                Some(base) => PostalLookup::At(format!("{base}postal/")),
                None => {
                    // `<Kago/>` in a Leptos app: there is no loader to be beside.
                    let country = shop_country(&config);
                    if address_format(country.as_deref()) == AddressFormat::Japan {
                        console::warn("Kago: the postal-code lookup is off: Kago was not started by kago.js (as <Kago/> in a Leptos app is not), so nothing says where the postal files are; set postal-lookup to the URL of their folder (README, \"Checkout in Japan\").");
                    }
                    PostalLookup::Off
                }
            };
        }
        if funnel_gpc() {
            // Global Privacy Control: never offer or send contact data.
            config.events.contact = false;
        }
        // The shop's state in a task of its own.
        after_frame::yield_to_page(Box::new(move || {
            funnel::start(
                config.events.clone(),
                funnel::page_context(locale.tag(), currency.code()),
            );
            let platform = Platform {
                format_money: money_format::format_money,
                emit: emit_event,
                later: after_frame::later,
                when_idle: after_frame::when_idle,
                yield_to_page: after_frame::yield_to_page,
                now_ms: || js_sys::Date::now() as u64,
                read_local: storage::read,
                write_local: storage::write,
                new_cart: funnel::new_cart,
                wallet_can_pay: |methods, currency| Box::pin(wallet::can_pay(methods, currency)),
                wallet_pay: |request| Box::pin(wallet::pay(request)),
                wallet_complete: wallet::complete,
                postal_file: |url| Box::pin(postal::postal_file(url)),
                random_key: crate::browser::random_id,
                post_json: |url, body, key, timeout| {
                    Box::pin(http::post_json(url, body, key, timeout))
                },
                sleep_ms: |ms| Box::pin(gloo::timers::future::TimeoutFuture::new(ms)),
                navigate: |url| {
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().assign(url);
                    }
                },
                urls: &PageUrls,
                save_cart: storage::save_change,
                order_lock: |work| locks::try_hold(ORDER_LOCK, work),
                order_lock_free: || Box::pin(locks::wait_free(ORDER_LOCK)),
                warn: console::warn,
            };
            // Every change of the cart is saved as a change, merged into the latest saved cart
            // (`Platform::save_cart`); this shares this tab's cart with the others.
            storage::share_cart(currency, DEFAULT_MAX_QUANTITY, keep_saved);
            // The shop's state, `window.Kago` and product taps in a task of their own.
            after_frame::next_task(Box::new(move || {
                make_shop(config, locale, cart, draft, platform, handover)
            }));
        }));
    }

    /// Start-up's second step, second part: the shop's state and its saving, `window.Kago`,
    /// product taps and the taps the loader kept; then `api_ready`, and the third and fourth
    /// steps, each after a paint.
    fn make_shop(
        config: kago_core::config::Config,
        locale: kago_core::i18n::Locale,
        cart: Cart,
        draft: Option<Draft>,
        platform: Platform,
        handover: Handover,
    ) {
        let Handover {
            pending,
            css,
            open_cart,
            api_ready,
        } = handover;
        let currency = config.currency;
        let abandon_after = config.events.abandon_after_minutes;
        // The widget's reactive owner, for the page's life (the widget is never unmounted).
        let _ = any_spawner::Executor::init_wasm_bindgen();
        let owner = Owner::new();
        std::mem::forget(owner.clone());
        let shop = owner.with(|| {
            let shop = Shop::new(config, locale, cart, draft, platform);
            keep(shop);
            crate::host_api::connect(shop);
            shop
        });
        js_api::install(crate::host_api::js_api(shop));
        // `use_kago()`'s calls made while the widget was starting.
        crate::handle::run_waiting();
        // Products tapped from now on are the widget's (the loader stops keeping them when
        // this returns), and those it kept are added.
        let add = move |element: Element| match script_tag::read_product(
            &element,
            currency,
            DEFAULT_MAX_QUANTITY,
        ) {
            Ok(request) => {
                for left_out in &request.left_out {
                    console::warn(&left_out.to_string());
                }
                shop.add(request);
            }
            Err(e) => console::warn(&e.to_string()),
        };
        if let Some(l) = product_clicks::listen_for_add_clicks(add) {
            l.forget();
        }
        for element in pending.iter().filter_map(|e| e.dyn_into::<Element>().ok()) {
            add(element);
        }
        // Taken: the loader no longer hands them to the next page if this one is left.
        pending.set_length(0);

        api_ready();
        after_frame::yield_to_page(Box::new(move || {
            show(&owner, shop, &css, open_cart);
            after_frame::yield_to_page(Box::new(move || {
                owner.with(|| listen(shop, abandon_after));
            }));
        }));
    }

    /// Start-up's third step: the shadow root and the cart button, in place of the loader's
    /// early one in the same task (no frame without a button), and the drawer in place of its
    /// early frame.
    fn show(owner: &Owner, shop: Shop, css: &str, open_cart: bool) {
        let (root, early) = match mount::mount_host(css) {
            Ok((root, early, stray)) => {
                if let Some(found) = stray {
                    console::warn(&format!("Kago: this page has {found}; Kago leaves it alone and shows its widget in its own <kago-widget data-kago>."));
                }
                (root, early)
            }
            Err(mount::MountError::AlreadyMounted) => return console::warn(mount::ALREADY_MOUNTED),
            Err(mount::MountError::Dom(message)) => return console::error(&message),
        };
        // The shopper's request stands if the early frame is still open (it may have been
        // opened or closed since the first step), or if the loader had no button to draw it in.
        if early == mount::Early::FrameOpen || (open_cart && early == mount::Early::Nothing) {
            shop.open(Panel::Cart);
        }
        owner.with(|| {
            if let Some(l) =
                media::watch(crate::ui::ONE_PAGE_MEDIA, move |wide| shop.wide.set(wide))
            {
                l.forget();
            }
            leptos::mount::mount_to(root.clone().unchecked_into(), move || {
                crate::host_api::app(shop)
            })
            .forget();
        });
        if early == (mount::Early::Button { focused: true }) {
            // The early button had focus: the widget's own button takes it over.
            request_animation_frame(move || {
                if let Some(button) = root
                    .query_selector(".kago-cart-button")
                    .ok()
                    .flatten()
                    .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = button.focus();
                }
            });
        }
    }

    /// Saving the draft, and the shopper's consent for contact data, from start-up's second
    /// step on (the cart saves each change itself, through `Platform::save_cart`).
    fn keep(shop: Shop) {
        // The draft as it is, or nothing once it is empty again (after the order and its
        // confirmation).
        crate::ui::effect(move || {
            shop.checkout
                .draft
                .with(|d| session::save_draft(Some(d).filter(|d| **d != Draft::default())))
        });
        shop.consent.set(funnel::consent_given());
        funnel::on_consent(move |granted| shop.consent.set(granted));
    }

    /// Start-up's last step: the page's other listeners (they live as long as the page: the
    /// widget is never unmounted), and `kago:ready` once all that is on screen.
    fn listen(shop: Shop, abandon_after: u32) {
        let currency = shop.env.currency;
        // Another tab's cart, unless it is this one's: then nothing re-renders, and no browser
        // that told tabs of an unchanged write could make two tabs echo forever.
        let from_other_tab = move |c: Cart| {
            if shop.cart.with_untracked(|now| *now != c) {
                shop.cart.set(c);
            }
        };
        if let Some(l) = storage::watch_cart(currency, DEFAULT_MAX_QUANTITY, from_other_tab) {
            l.forget();
        }
        // Another tab placing (or having placed) the order for this cart.
        if let Some(l) = storage::watch_key(ORDER_KEY, move |mark| shop.other_tab_order(mark)) {
            l.forget();
        }
        funnel::on_leave(move |trigger| shop.report_abandonment(trigger, None));
        gloo::timers::callback::Interval::new(30_000, move || shop.check_idle(abandon_after))
            .forget();
        // This also readies the after-frame path (timers and frame callbacks) before the
        // shopper's first tap needs it.
        after_frame::later(Box::new(|| {
            host_events::dispatch(
                "ready",
                &Ready {
                    version: env!("CARGO_PKG_VERSION"),
                },
            )
        }));
    }
}
