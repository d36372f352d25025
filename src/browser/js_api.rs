//! `window.Kago`: the host page's JavaScript API (`ready`, `addItem`, `removeItem`, `open`,
//! `close`, `openCheckout`, `cart`, `consent`, `on`). TypeScript definitions: `kago.d.ts` beside
//! `kago.js`. It takes over from the loader's stand-in (whose queued calls the loader then
//! applies to it).

use crate::browser::console;
use js_sys::{Function, Object, Promise, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    /// The `kago:ready` event's detail, once it has been dispatched: `Kago.on("ready", …)` after
    /// that calls back at once (after the call returns, as an event would).
    static READY: RefCell<Option<JsValue>> = const { RefCell::new(None) };
}

/// Reads one field (`sku`, `name`, `price`, …) of the object passed to `Kago.addItem`.
pub type ItemField<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The actions behind the API, provided by the wiring.
pub struct Api {
    /// Gets a product field (`sku`, `name`, `price`, …) from the JS object; returns whether it added.
    pub add_item: Box<dyn Fn(ItemField) -> bool>,
    pub remove_item: Box<dyn Fn(String, Option<String>) -> bool>,
    pub open: Box<dyn Fn()>,
    pub close: Box<dyn Fn()>,
    pub open_checkout: Box<dyn Fn()>,
    /// The cart and its totals as JSON text.
    pub cart: Box<dyn Fn() -> String>,
    /// `Kago.consent(granted)` for funnel events.
    pub consent: Box<dyn Fn(bool)>,
}

fn set(target: &Object, name: &str, value: &JsValue) {
    let _ = Reflect::set(target, &name.into(), value);
}

fn get(target: &JsValue, name: &str) -> JsValue {
    Reflect::get(target, &name.into()).unwrap_or(JsValue::UNDEFINED)
}

/// Reads a property as text: strings as they are, numbers as JavaScript prints them.
fn property(object: &JsValue, name: &str) -> Option<String> {
    let value = Reflect::get(object, &name.into()).ok()?;
    if value.is_undefined() || value.is_null() {
        return None;
    }
    value.as_string().or_else(|| {
        value.as_f64().map(|n| {
            js_sys::Number::from(n)
                .to_string_with_radix(10)
                .ok()
                .and_then(|s| s.as_string())
                .unwrap_or_default()
        })
    })
}

fn method<F: Fn() + 'static>(f: F) -> JsValue {
    Closure::<dyn Fn()>::new(f).into_js_value()
}

/// Installs `window.Kago`, unless the page already defines something there. It takes over from
/// the loader's stand-in (`kagoLoader.stub`, `kago.js`), keeping its `ready` promise; the loader
/// then applies the calls the page made to the stand-in, in order, to this API.
pub fn install(api: Api) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let loader = get(&window, "kagoLoader");
    let stub = get(&loader, "stub");
    let existing = get(&window, "Kago");
    if !existing.is_undefined() && existing != stub {
        console::warn("Kago: window.Kago is already defined by the page; the JavaScript API is not installed.");
        return;
    }
    let Api {
        add_item,
        remove_item,
        open,
        close,
        open_checkout,
        cart,
        consent,
    } = api;
    let kago = Object::new();
    set(
        &kago,
        "addItem",
        &Closure::<dyn Fn(JsValue) -> bool>::new(move |item: JsValue| {
            if !item.is_object() {
                console::warn("Kago.addItem expects an object like {sku, name, price}.");
                return false;
            }
            add_item(&|name| property(&item, name))
        })
        .into_js_value(),
    );
    set(
        &kago,
        "removeItem",
        &Closure::<dyn Fn(JsValue, JsValue) -> bool>::new(move |sku: JsValue, variant: JsValue| {
            match sku.as_string() {
                Some(sku) => remove_item(sku, variant.as_string()),
                None => false,
            }
        })
        .into_js_value(),
    );
    set(&kago, "open", &method(open));
    set(&kago, "close", &method(close));
    set(&kago, "openCheckout", &method(open_checkout));
    set(
        &kago,
        "cart",
        &Closure::<dyn Fn() -> JsValue>::new(move || {
            js_sys::JSON::parse(&cart()).unwrap_or(JsValue::NULL)
        })
        .into_js_value(),
    );
    set(
        &kago,
        "consent",
        &Closure::<dyn Fn(JsValue)>::new(move |granted: JsValue| consent(granted.is_truthy()))
            .into_js_value(),
    );
    set(
        &kago,
        "on",
        &Closure::<dyn Fn(JsValue, JsValue) -> Result<JsValue, JsValue>>::new(on).into_js_value(),
    );
    set(
        &kago,
        "ready",
        &ready_promise(&window, &kago, get(&stub, "ready")),
    );
    let _ = Object::freeze(&kago);
    set(window.unchecked_ref(), "Kago", &kago);
}

/// `Kago.ready`: the loader's promise (it resolves it on `kago:ready`, or rejects it when a file
/// cannot load), else (`<Kago/>`, no loader) one resolved with the API now that it works. The
/// `kago:ready` event's detail is kept for `Kago.on("ready", …)` after it (by a listener of the
/// same closure type as `on`'s: a promise of our own and a once-listener cost 0.26 KB gzip more).
fn ready_promise(window: &web_sys::Window, kago: &Object, loaders: JsValue) -> Promise {
    let keep = Closure::<dyn Fn(web_sys::CustomEvent)>::new(|event: web_sys::CustomEvent| {
        READY.with(|r| *r.borrow_mut() = Some(event.detail()))
    });
    let _ = window.add_event_listener_with_callback("kago:ready", keep.as_ref().unchecked_ref());
    keep.forget();
    loaders
        .dyn_into::<Promise>()
        .unwrap_or_else(|_| Promise::resolve(AsRef::<JsValue>::as_ref(kago)))
}

/// `Kago.on(name, callback)`: calls `callback(detail)` for each `kago:<name>` event and returns a
/// function that stops it. Arguments of the wrong type throw a `TypeError`, as a DOM method does.
fn on(name: JsValue, callback: JsValue) -> Result<JsValue, JsValue> {
    let (Some(name), Ok(callback)) = (name.as_string(), callback.dyn_into::<Function>()) else {
        return Err(js_sys::TypeError::new(
            "Kago.on(name, callback): name must be a string like \"item_added\" and callback a function.",
        )
        .into());
    };
    if name != "ready" && kago_core::events::EventType::from_name(&name).is_none() {
        console::warn(&format!(
            "Kago: \"{name}\" is not a Kago event (kago.d.ts lists them); Kago.on listens for it anyway."
        ));
    }
    let Some(window) = web_sys::window() else {
        return Ok(JsValue::UNDEFINED);
    };
    if name == "ready" {
        if let Some(detail) = READY.with(|r| r.borrow().clone()) {
            // Ready already: called back once, right after this call (never inside it).
            let bound: Function = callback.bind1(&JsValue::NULL, &detail).unchecked_into();
            window.queue_microtask(&bound);
        }
    }
    let event_name = format!("kago:{name}");
    let listener =
        Closure::<dyn Fn(web_sys::CustomEvent)>::new(move |event: web_sys::CustomEvent| {
            let _ = callback.call1(&JsValue::NULL, &event.detail());
        })
        .into_js_value();
    let function: Function = listener.clone().unchecked_into();
    let _ = window.add_event_listener_with_callback(&event_name, &function);
    Ok(method(move || {
        let _ = window.remove_event_listener_with_callback(&event_name, &function);
    }))
}
