//! What the page and the app can ask of the running widget, in one place for both doors:
//! `window.Kago` (`browser::js_api`) and `use_kago()` (`crate::handle`). Cart actions by sku
//! and variant, the code, the prefill, the language; and the cart's snapshot, kept as one frozen
//! object until the cart changes, with a `kago:cart_changed` event after each change (made here,
//! in another tab, or by a new language's formatting). And the page's own cart buttons
//! (`data-kago-open`).

use crate::browser::url::PageUrls;
use crate::browser::{
    after_frame, console, funnel, host_events, js_api, money_format, product_clicks,
};
use crate::ui::{Panel, Shop};
use kago_core::cart::{parse_meta, Cart, CartSnapshot, VariantMatch, DEFAULT_MAX_QUANTITY};
use kago_core::events::{event_items, EventItem};
use kago_core::i18n::Locale;
use kago_core::prefill::parse_prefill;
use kago_core::pricing::Totals;
use kago_core::product::parse_product;
use leptos::prelude::*;
use leptos::reactive::effect::ImmediateEffect;
use std::cell::{Cell, RefCell};
use wasm_bindgen::JsValue;

/// The running widget: its state, and what rebuilds its views in a new language.
#[derive(Clone, Copy)]
struct Widget {
    shop: Shop,
    relocale: Trigger,
}

thread_local! {
    static WIDGET: Cell<Option<Widget>> = const { Cell::new(None) };
    /// `Kago.cart()`'s object (frozen) and the snapshot it was made from.
    static SNAPSHOT: RefCell<Option<(CartSnapshot, JsValue)>> = const { RefCell::new(None) };
    /// The cart, its totals or the language changed since the snapshot was made.
    static STALE: Cell<bool> = const { Cell::new(true) };
    /// The snapshot object the last `kago:cart_changed` carried.
    static ANNOUNCED: RefCell<JsValue> = const { RefCell::new(JsValue::UNDEFINED) };
    /// A check for a changed cart is queued after the next frame.
    static CHECK_QUEUED: Cell<bool> = const { Cell::new(false) };
    /// The cart and totals the widget started with, until the first `kago:cart_changed`: what
    /// settles after start (the draft's shipping method, the language's formatting) without
    /// changing them is no change to announce.
    static STARTED_WITH: RefCell<Option<(Cart, Totals)>> = const { RefCell::new(None) };
}

/// Connects the widget that just started (inside its reactive root, start-up's second step): the
/// API's actions act on `shop` from now on.
pub(crate) fn connect(shop: Shop) {
    let relocale = Trigger::new();
    WIDGET.with(|w| w.set(Some(Widget { shop, relocale })));
    let start = (shop.cart.get_untracked(), shop.totals.get_untracked());
    STARTED_WITH.with(|s| *s.borrow_mut() = Some(start));
    // `Kago.cart()` stays the same object until something it shows changes: marked at once,
    // inside the change, so a call right after `addItem` sees the new cart.
    ImmediateEffect::new_scoped(move || {
        shop.cart.track();
        shop.totals.track();
        relocale.track();
        STALE.with(|s| s.set(true));
    });
    // And the page hears of it once the frame showing the change is painted, like every kago:*
    // event (its listeners can never slow the widget down).
    // (Not for the cart the widget starts with: `kago:ready` tells of that one, and its
    // snapshot would format every amount before the page's first idle moment.)
    crate::ui::effect_after(move |started: Option<()>| {
        shop.cart.track();
        shop.totals.track();
        relocale.track();
        if started.is_some() && !CHECK_QUEUED.with(|q| q.replace(true)) {
            after_frame::later(Box::new(announce_cart));
        }
    });
    // The page's own cart buttons, for as long as the page lives.
    if let Some(l) = product_clicks::listen_for_open_clicks(move || open(shop)) {
        l.forget();
    }
    crate::handle::started();
}

/// The widget's view (start-up's third step), rebuilt when the language changes.
pub(crate) fn app(shop: Shop) -> impl IntoView {
    let relocale = widget().map(|w| w.relocale);
    move || {
        if let Some(r) = relocale {
            r.track();
        }
        view! { <crate::ui::App shop /> }
    }
}

/// `kago:cart_changed` with the new snapshot, unless the snapshot is the one announced last.
fn announce_cart() {
    CHECK_QUEUED.with(|q| q.set(false));
    let Some(Widget { shop, .. }) = widget() else {
        return;
    };
    if let Some(start) = STARTED_WITH.with(|s| s.borrow_mut().take()) {
        let now = (shop.cart.get_untracked(), shop.totals.get_untracked());
        if now == start {
            STARTED_WITH.with(|s| *s.borrow_mut() = Some(start));
            return;
        }
    }
    let object = cart_object();
    if ANNOUNCED.with(|a| a.replace(object.clone()) == object) {
        return;
    }
    #[derive(serde::Serialize)]
    struct Detail {
        r#type: &'static str,
        currency: &'static str,
        value: i64,
        items: Vec<EventItem>,
    }
    let detail = Detail {
        r#type: "cart_changed",
        currency: shop.env.currency.code(),
        value: shop.totals.with_untracked(|t| t.total.minor),
        items: shop.cart.with_untracked(event_items),
    };
    host_events::dispatch_with("cart_changed", &detail, &[("cart", &object)]);
}

fn widget() -> Option<Widget> {
    WIDGET.with(Cell::get)
}

/// `f` with the running widget's state, if a widget runs.
pub(crate) fn with_shop<T>(f: impl FnOnce(Shop) -> T) -> Option<T> {
    widget().map(|w| f(w.shop))
}

/// The cart now, in minor units and formatted (tracked where it is read reactively).
pub(crate) fn snapshot(shop: Shop) -> CartSnapshot {
    let locale = shop.env.locale();
    let totals = shop.totals.get();
    shop.cart
        .with(|c| c.snapshot(&totals, &|m| money_format::format_money(m, locale)))
}

/// `Kago.cart()`: the same frozen object until the snapshot changes.
pub(crate) fn cart_object() -> JsValue {
    let Some(shop) = with_shop(|s| s) else {
        return JsValue::NULL;
    };
    if STALE.with(|s| s.replace(false)) {
        let now = untrack(|| snapshot(shop));
        SNAPSHOT.with(|cache| {
            let mut cache = cache.borrow_mut();
            if cache.as_ref().is_none_or(|(was, _)| *was != now) {
                let object = js_api::frozen(&kago_core::wire::to_json(&now));
                *cache = Some((now, object));
            }
        });
    }
    SNAPSHOT.with(|cache| {
        cache
            .borrow()
            .as_ref()
            .map_or(JsValue::NULL, |(_, o)| o.clone())
    })
}

/// `window.Kago`'s actions on the running widget.
pub(crate) fn js_api(shop: Shop) -> js_api::Api {
    fn which(variant: &js_api::Variant) -> VariantMatch<'_> {
        match variant {
            None => VariantMatch::Any,
            Some(v) => VariantMatch::Exactly(v.as_deref()),
        }
    }
    js_api::Api {
        add_item: Box::new(move |get, meta| add_item(shop, get, meta.as_deref())),
        remove_item: Box::new(move |sku, variant| remove_item(shop, &sku, which(&variant))),
        set_quantity: Box::new(move |sku, variant, quantity| {
            set_quantity(shop, &sku, which(&variant), quantity)
        }),
        clear: Box::new(move || shop.clear()),
        open: Box::new(move || open(shop)),
        close: Box::new(move || shop.close()),
        open_checkout: Box::new(move || shop.start_checkout()),
        apply_code: Box::new(move |code| shop.apply_code(code)),
        remove_code: Box::new(move || shop.remove_code()),
        prefill: Box::new(move |json| prefill(shop, &json)),
        set_locale: Box::new(|tag| read_locale(&tag).map(set_locale).is_some()),
        cart: Box::new(cart_object),
        consent: Box::new(funnel::set_consent),
    }
}

/// Adds an item read through `get` (`sku`, `name`, `price`…, as `Kago.addItem`'s fields), with
/// its meta as JSON text; whether any unit was added, or why the item was refused.
pub(crate) fn add_item(
    shop: Shop,
    get: &dyn Fn(&str) -> Option<String>,
    meta: Option<&str>,
) -> Result<bool, String> {
    let mut request = parse_product(
        &|name| get(name.strip_prefix("data-").unwrap_or(name)),
        shop.env.currency,
        DEFAULT_MAX_QUANTITY,
        &PageUrls,
    )
    .map_err(|e| e.api_message())?;
    // Added without the optional attributes that were bad; the console says which and why.
    for left_out in &request.left_out {
        console::warn(&left_out.api_message());
    }
    if let Some(json) = meta {
        request.meta =
            parse_meta(json).map_err(|e| format!("Kago.addItem: {e}; nothing was added."))?;
    }
    Ok(shop.add(request))
}

/// Removes the lines of `sku` that `variant` means; whether there were any.
pub(crate) fn remove_item(shop: Shop, sku: &str, variant: VariantMatch) -> bool {
    let ids = shop.cart.with_untracked(|c| c.line_ids(sku, variant));
    for id in &ids {
        shop.remove(*id);
    }
    !ids.is_empty()
}

/// Sets the quantity of the one line of `sku` that `variant` means (0 removes it, above the
/// maximum is the maximum); false when there is no such line, an error when a sku alone names
/// lines of several variants.
pub(crate) fn set_quantity(
    shop: Shop,
    sku: &str,
    variant: VariantMatch,
    quantity: u32,
) -> Result<bool, String> {
    let ids = shop.cart.with_untracked(|c| c.line_ids(sku, variant));
    match ids[..] {
        [] => Ok(false),
        [id] => {
            shop.set_quantity(id, quantity);
            Ok(true)
        }
        _ => Err(format!(
            "Kago.setQuantity: the cart has {} lines of \"{sku}\" (one per variant); name the variant: setQuantity(\"{sku}\", variant, {quantity}). Nothing was changed.",
            ids.len()
        )),
    }
}

/// Opens the cart panel.
pub(crate) fn open(shop: Shop) {
    shop.open(Panel::Cart);
}

/// Whether the drawer shows any panel (tracked).
pub(crate) fn is_open(shop: Shop) -> bool {
    shop.panel.get() != Panel::Closed
}

/// Fills the checkout's empty fields from `Kago.prefill`'s argument as JSON.
pub(crate) fn prefill(shop: Shop, json: &str) -> Result<(), String> {
    let prefill =
        parse_prefill(json).map_err(|e| format!("Kago.prefill: {e}; nothing was filled in."))?;
    shop.prefill(&prefill);
    Ok(())
}

/// Changes the widget's language: its views are rebuilt, amounts reformatted, and the events
/// from now on carry it.
pub(crate) fn set_locale(locale: Locale) {
    let Some(Widget { shop, relocale }) = widget() else {
        return;
    };
    if shop.env.locale() == locale {
        return;
    }
    shop.env.set_locale(locale);
    // The amounts read differently now: a change to announce even with the cart as it started.
    STARTED_WITH.with(|s| s.borrow_mut().take());
    funnel::set_locale(locale.tag());
    relocale.notify();
}

/// Reads a language tag for `setLocale`; a warning naming it when Kago has no such language.
pub(crate) fn read_locale(tag: &str) -> Option<Locale> {
    let locale = Locale::from_tag(tag);
    if locale.is_none() {
        console::warn(&format!(
            "Kago.setLocale: \"{tag}\" is not a supported locale (en, ja); the language stays."
        ));
    }
    locale
}
