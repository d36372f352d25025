//! Kago: a checkout widget any storefront adds with one script tag.
//!
//! `kago_core` (its own crate, pure Rust, tested natively) holds the rules; `browser` is the
//! thin edge to the page; `ui` renders state with Leptos. This file wires the three. See
//! ARCHITECTURE.md.

#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
pub mod ui;

#[cfg(target_arch = "wasm32")]
pub use wiring::{kago_start, Kago, KagoAttributes, KagoProps};

#[cfg(target_arch = "wasm32")]
mod wiring {
    use crate::browser::url::PageUrls;
    use crate::browser::{
        after_frame, console, funnel, host_events, http, js_api, locks, media, money_format, mount,
        product_clicks, script_tag, session, storage, wallet,
    };
    use crate::ui::{App, Panel, Platform, Shop};
    use kago_core::cart::{Cart, DEFAULT_MAX_QUANTITY};
    use kago_core::checkout::Draft;
    use kago_core::config::parse_config;
    use kago_core::events::{EventCart, EventItem, EventKind};
    use kago_core::placing::{ORDER_KEY, ORDER_LOCK};
    use kago_core::product::{parse_product, ProductError, ProductRequest};
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
        }));
        funnel::record(kind, Some((cart.value, cart.items)), email);
    }

    /// Entry point, called once by the loader (`kago.js`) with its own script element, the
    /// product elements clicked while the wasm was loading, the stylesheet (`kago.css`) and
    /// whether the shopper tapped the loader's early cart button.
    #[wasm_bindgen(js_name = kagoStart)]
    pub fn kago_start(script: Element, pending: js_sys::Array, css: String, open_cart: bool) {
        let block = script_tag::json_block(&script).unwrap_or_else(|e| {
            console::warn(&e);
            None
        });
        start(
            &script_tag::data_attributes(&script),
            block,
            pending,
            css,
            open_cart,
        );
    }

    /// The script tag's settings for [`Kago`], by attribute name, with or without `data-`:
    /// `[("currency", "EUR"), ("order-endpoint", "/api/orders")]`.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct KagoAttributes(pub Vec<(String, String)>);

    impl<K: AsRef<str>, V: Into<String>, I: IntoIterator<Item = (K, V)>> From<I> for KagoAttributes {
        fn from(pairs: I) -> Self {
            KagoAttributes(
                pairs
                    .into_iter()
                    .map(|(name, value)| {
                        let name = name.as_ref().to_ascii_lowercase();
                        let name = match name.starts_with("data-") {
                            true => name,
                            false => format!("data-{name}"),
                        };
                        (name, value.into())
                    })
                    .collect(),
            )
        }
    }

    /// Kago in a Leptos app: the same widget the script tag starts (cart button, drawer,
    /// checkout, `window.Kago`, `kago:*` events, funnel events), with the script tag's
    /// attributes and JSON block given as props. It renders nothing where it stands: the widget
    /// goes beside `<body>` in its own shadow root, and stays for the page's life, even once the
    /// view holding `<Kago/>` is gone (a cart outlives a route). Only the first one on a page
    /// starts; another, or a script tag beside it, is reported in the console and ignored.
    #[component]
    pub fn Kago(
        /// Settings by attribute name: `[("currency", "EUR")]` is `data-currency="EUR"`.
        #[prop(optional, into)]
        attributes: KagoAttributes,
        /// The JSON settings block's text (README, "Full settings: the JSON block").
        #[prop(optional, into)]
        config: Option<String>,
    ) -> impl IntoView {
        // Its own root: disposing the view that holds `<Kago/>` must not dispose the widget.
        let owner = Owner::new_root(None);
        owner.with(|| {
            start(
                &attributes.0,
                config.map(|text| ("in <Kago config>".to_string(), text)),
                js_sys::Array::new(),
                include_str!("ui/kago.css").into(),
                false,
            )
        });
        std::mem::forget(owner);
    }

    /// Starts the widget from the script tag's `data-*` pairs and its JSON block (where it
    /// is, for messages; its text). Inlined: the release wasm has only the loader's caller.
    #[inline(always)]
    fn start(
        attributes: &[(String, String)],
        block: Option<(String, String)>,
        pending: js_sys::Array,
        css: String,
        open_cart: bool,
    ) {
        let json = block
            .as_ref()
            .map(|(id, text)| (id.as_str(), text.as_str()));
        let (config, warnings) = parse_config(attributes, json, &PageUrls);
        for warning in &warnings {
            console::warn(&warning.to_string());
        }
        let (root, had_focus) = match mount::mount_host(&css) {
            Ok((root, had_focus, stray)) => {
                if let Some(found) = stray {
                    console::warn(&format!("Kago: this page has {found}; Kago leaves it alone and shows its widget in its own <kago-widget data-kago>."));
                }
                (root, had_focus)
            }
            Err(mount::MountError::AlreadyMounted) => return console::warn(mount::ALREADY_MOUNTED),
            Err(mount::MountError::Dom(message)) => return console::error(&message),
        };
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
        if funnel_gpc() {
            // Global Privacy Control: never offer or send contact data.
            config.events.contact = false;
        }
        let events = config.events.clone();
        let abandon_after = events.abandon_after_minutes;
        funnel::start(events, funnel::page_context(locale.tag(), currency.code()));
        let platform = Platform {
            format_money: money_format::format_money,
            emit: emit_event,
            later: after_frame::later,
            when_idle: after_frame::when_idle,
            now_ms: || js_sys::Date::now() as u64,
            read_local: storage::read,
            write_local: storage::write,
            new_cart: funnel::new_cart,
            wallet_can_pay: |methods, currency| Box::pin(wallet::can_pay(methods, currency)),
            wallet_pay: |request| Box::pin(wallet::pay(request)),
            wallet_complete: wallet::complete,
            random_key: crate::browser::random_id,
            post_json: |url, body, key, timeout| Box::pin(http::post_json(url, body, key, timeout)),
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

        money_format::prepare_when_idle(locale, currency);
        storage::share_cart(currency, DEFAULT_MAX_QUANTITY, keep_saved);
        let root_for_focus = root.clone();
        let handle = leptos::mount::mount_to(root.unchecked_into(), move || {
            let shop = Shop::new(config, locale, cart, draft, platform);
            if let Some(l) =
                media::watch(crate::ui::ONE_PAGE_MEDIA, move |wide| shop.wide.set(wide))
            {
                l.forget();
            }
            // The draft as it is, or nothing once it is empty again (after the order and its
            // confirmation).
            crate::ui::effect(move || {
                shop.checkout
                    .draft
                    .with(|d| session::save_draft(Some(d).filter(|d| **d != Draft::default())))
            });
            // The product added, without the optional attributes that were bad (the console
            // says which and why), or not at all.
            let add_checked =
                move |read: Result<ProductRequest, ProductError>,
                      say: fn(&ProductError) -> String| {
                    match read {
                        Ok(request) => {
                            for left_out in &request.left_out {
                                console::warn(&say(left_out));
                            }
                            shop.add(request)
                        }
                        Err(e) => {
                            console::warn(&say(&e));
                            false
                        }
                    }
                };
            let add = move |element: Element| {
                let read = script_tag::read_product(&element, currency, DEFAULT_MAX_QUANTITY);
                add_checked(read, |e| e.to_string());
            };
            // These listeners live as long as the page: the widget is never unmounted.
            // Another tab's cart, unless it is this one's: then nothing re-renders, and no
            // browser that told tabs of an unchanged write could make two tabs echo forever.
            let from_other_tab = move |c: Cart| {
                if shop.cart.with_untracked(|now| *now != c) {
                    shop.cart.set(c);
                }
            };
            if let Some(l) = storage::watch_cart(currency, DEFAULT_MAX_QUANTITY, from_other_tab) {
                l.forget();
            }
            if let Some(l) = product_clicks::listen_for_add_clicks(add) {
                l.forget();
            }
            for element in pending.iter().filter_map(|e| e.dyn_into::<Element>().ok()) {
                add(element);
            }
            funnel::on_leave(move |trigger| shop.report_abandonment(trigger, None));
            gloo::timers::callback::Interval::new(30_000, move || shop.check_idle(abandon_after))
                .forget();
            // Another tab placing (or having placed) the order for this cart.
            if let Some(l) = storage::watch_key(ORDER_KEY, move |mark| shop.other_tab_order(mark)) {
                l.forget();
            }
            shop.consent.set(funnel::consent_given());
            funnel::on_consent(move |granted| shop.consent.set(granted));
            js_api::install(js_api::Api {
                add_item: Box::new(move |get| {
                    let read = parse_product(
                        &|name| get(name.strip_prefix("data-").unwrap_or(name)),
                        currency,
                        DEFAULT_MAX_QUANTITY,
                        &PageUrls,
                    );
                    add_checked(read, ProductError::api_message)
                }),
                remove_item: Box::new(move |sku, variant| {
                    let id = shop
                        .cart
                        .with_untracked(|c| c.find_line(&sku, variant.as_deref()).map(|l| l.id));
                    id.map(|id| shop.remove(id)).is_some()
                }),
                open: Box::new(move || shop.open(Panel::Cart)),
                close: Box::new(move || shop.close()),
                open_checkout: Box::new(move || shop.start_checkout()),
                cart: Box::new(move || {
                    let snapshot = shop
                        .cart
                        .with_untracked(|c| c.snapshot(&shop.totals.get_untracked()));
                    kago_core::wire::to_json(&snapshot)
                }),
                consent: Box::new(funnel::set_consent),
            });
            if open_cart {
                shop.open(Panel::Cart);
            }
            if had_focus {
                // The early button had focus: the widget's own button takes it over.
                let root = root_for_focus.clone();
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
            // Once the widget is on screen; this also readies the after-frame path (timers and
            // frame callbacks) before the shopper's first tap needs it.
            after_frame::later(Box::new(|| {
                host_events::dispatch(
                    "ready",
                    &Ready {
                        version: env!("CARGO_PKG_VERSION"),
                    },
                )
            }));
            view! { <App shop /> }
        });
        handle.forget();
    }
}
