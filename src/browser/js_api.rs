//! `window.Kago`: the host page's JavaScript API (`ready`, `addItem`, `removeItem`,
//! `setQuantity`, `clear`, `open`, `close`, `openCheckout`, `applyCode`, `removeCode`,
//! `prefill`, `setLocale`, `cart`, `subscribe`, `consent`, `on`). TypeScript definitions:
//! `kago.d.ts` beside `kago.js`. It takes over from the loader's stand-in (whose queued calls the
//! loader then applies to it). Arguments are read here; what they do is the wiring's
//! (`crate::host_api`), given as [`Api`].

use crate::browser::console;
use js_sys::{Function, Object, Promise, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    /// The `kago:ready` event's detail, once it has been dispatched: `Kago.on("ready", …)` after
    /// that calls back at once (after the call returns, as an event would).
    static READY: RefCell<Option<JsValue>> = const { RefCell::new(None) };
    /// `JSON.parse`'s reviver that freezes every object and array it makes.
    static FREEZE: JsValue = js_method(|_, value, _| {
        Ok(match value.dyn_into::<Object>() {
            Ok(object) => Object::freeze(&object).into(),
            Err(plain) => plain,
        })
    });
}

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse(text, reviver)` (js-sys has no binding with a reviver).
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn parse_reviving(text: &str, reviver: &JsValue) -> Result<JsValue, JsValue>;
}

/// Reads one field (`sku`, `name`, `price`, …) of the object passed to `Kago.addItem`.
pub type ItemField<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Which lines of a sku a call names: `None` every variant (the argument left out), else the
/// one variant (`Some(None)`: the line without one, `null` in JavaScript).
pub type Variant = Option<Option<String>>;

/// `Kago.addItem`'s action: the item's fields and its `meta` as JSON; whether it added, or the
/// console warning for an item it refused.
pub type AddItem = dyn Fn(ItemField, Option<String>) -> Result<bool, String>;

/// The actions behind the API, provided by the wiring. An `Err` is the console warning for a
/// call with arguments the action cannot use; the call then returns `false` (or nothing).
pub struct Api {
    /// Gets a product field (`sku`, `name`, `price`, …) from the JS object and its `meta` as
    /// JSON; returns whether it added.
    pub add_item: Box<AddItem>,
    pub remove_item: Box<dyn Fn(String, Variant) -> bool>,
    pub set_quantity: Box<dyn Fn(String, Variant, u32) -> Result<bool, String>>,
    pub clear: Box<dyn Fn()>,
    pub open: Box<dyn Fn()>,
    pub close: Box<dyn Fn()>,
    pub open_checkout: Box<dyn Fn()>,
    pub apply_code: Box<dyn Fn(String) -> bool>,
    pub remove_code: Box<dyn Fn()>,
    /// `Kago.prefill`'s argument as JSON.
    pub prefill: Box<dyn Fn(String) -> Result<(), String>>,
    /// A language tag; whether the widget has that language.
    pub set_locale: Box<dyn Fn(String) -> bool>,
    /// The cart and its totals: the same frozen object until they change ([`frozen`]).
    pub cart: Box<dyn Fn() -> JsValue>,
    /// `Kago.consent(granted)` for funnel events.
    pub consent: Box<dyn Fn(bool)>,
}

/// Every method has this one closure type: wasm-bindgen emits its call adapter once per type, so
/// sixteen methods of five shapes would cost five adapters. (A method a page calls with fewer
/// arguments gets `undefined` for the rest.)
type Method = dyn Fn(JsValue, JsValue, JsValue) -> Result<JsValue, JsValue>;

fn js_method(
    f: impl Fn(JsValue, JsValue, JsValue) -> Result<JsValue, JsValue> + 'static,
) -> JsValue {
    Closure::<Method>::wrap(Box::new(f)).into_js_value()
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

/// `value` as JSON text (`undefined` and functions as `null`, which the core refuses by name).
fn json(value: &JsValue) -> String {
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| "null".into())
}

/// A variant argument: left out means every variant, `null` the line without one.
fn variant(value: &JsValue) -> Variant {
    match value.is_undefined() {
        true => None,
        false => Some(value.as_string()),
    }
}

/// `ok`, or `false` after the warning.
fn reported(result: Result<bool, String>) -> JsValue {
    result
        .unwrap_or_else(|why| {
            console::warn(&why);
            false
        })
        .into()
}

/// The object `json` describes, frozen all the way down (so a page cannot change what another
/// reader of `Kago.cart()` sees, and React can compare it by identity).
pub fn frozen(json: &str) -> JsValue {
    FREEZE
        .with(|reviver| parse_reviving(json, reviver))
        .unwrap_or(JsValue::NULL)
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
        set_quantity,
        clear,
        open,
        close,
        open_checkout,
        apply_code,
        remove_code,
        prefill,
        set_locale,
        cart,
        consent,
    } = api;
    let kago = Object::new();
    let method = |name: &str, f: Box<Method>| set(&kago, name, &Closure::wrap(f).into_js_value());
    let done = || Ok(JsValue::UNDEFINED);
    method(
        "addItem",
        Box::new(move |item, _, _| {
            if !item.is_object() {
                console::warn("Kago.addItem expects an object like {sku, name, price}.");
                return Ok(false.into());
            }
            let meta = get(&item, "meta");
            let meta = (!meta.is_undefined()).then(|| json(&meta));
            Ok(reported(add_item(&|name| property(&item, name), meta)))
        }),
    );
    method(
        "removeItem",
        Box::new(move |sku, which, _| {
            Ok(sku
                .as_string()
                .is_some_and(|sku| remove_item(sku, variant(&which)))
                .into())
        }),
    );
    method(
        "setQuantity",
        Box::new(move |sku, a, b| {
            // setQuantity(sku, quantity) or setQuantity(sku, variant, quantity)
            let (which, quantity) = match b.is_undefined() {
                true => (None, a),
                false => (variant(&a), b),
            };
            let Some(sku) = sku.as_string() else {
                return Ok(false.into());
            };
            let quantity = quantity
                .as_f64()
                .filter(|q| q.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(q));
            Ok(reported(match quantity {
                Some(q) => set_quantity(sku, which, q as u32),
                None => Err(format!("Kago.setQuantity: the quantity of \"{sku}\" must be a whole number (0 removes the line); nothing was changed.")),
            }))
        }),
    );
    method(
        "clear",
        Box::new(move |_, _, _| {
            clear();
            done()
        }),
    );
    method(
        "open",
        Box::new(move |_, _, _| {
            open();
            done()
        }),
    );
    method(
        "close",
        Box::new(move |_, _, _| {
            close();
            done()
        }),
    );
    method(
        "openCheckout",
        Box::new(move |_, _, _| {
            open_checkout();
            done()
        }),
    );
    method(
        "applyCode",
        Box::new(move |code, _, _| Ok(code.as_string().is_some_and(&apply_code).into())),
    );
    method(
        "removeCode",
        Box::new(move |_, _, _| {
            remove_code();
            done()
        }),
    );
    method(
        "prefill",
        Box::new(move |details, _, _| {
            let result = match details.is_object() {
                true => prefill(json(&details)),
                false => {
                    Err("Kago.prefill expects an object like {email, name, phone, address}.".into())
                }
            };
            if let Err(why) = result {
                console::warn(&why);
            }
            done()
        }),
    );
    method(
        "setLocale",
        Box::new(move |tag, _, _| Ok(tag.as_string().is_some_and(&set_locale).into())),
    );
    method("cart", Box::new(move |_, _, _| Ok(cart())));
    method(
        "consent",
        Box::new(move |granted, _, _| {
            consent(granted.is_truthy());
            done()
        }),
    );
    method("on", Box::new(|name, callback, _| on(name, callback)));
    method(
        "subscribe",
        Box::new(|callback, _, _| {
            if !callback.is_function() {
                return Err(js_sys::TypeError::new(
                    "Kago.subscribe(callback): callback must be a function.",
                )
                .into());
            }
            // The detail's `cart` is the snapshot `Kago.cart()` returns from now on.
            let call = js_method(move |detail, _, _| {
                let callback: &Function = callback.unchecked_ref();
                callback.call1(&JsValue::NULL, &get(&detail, "cart"))
            });
            listen("cart_changed", call)
        }),
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
/// same closure type as every method: a promise of our own and a once-listener cost 0.26 KB
/// gzip more).
fn ready_promise(window: &web_sys::Window, kago: &Object, loaders: JsValue) -> Promise {
    let keep = js_method(|event, _, _| {
        READY.with(|r| *r.borrow_mut() = Some(get(&event, "detail")));
        Ok(JsValue::UNDEFINED)
    });
    let _ = window.add_event_listener_with_callback("kago:ready", keep.unchecked_ref());
    loaders
        .dyn_into::<Promise>()
        .unwrap_or_else(|_| Promise::resolve(AsRef::<JsValue>::as_ref(kago)))
}

/// Calls `call(detail)` for each `kago:<name>` event; returns the function that stops it.
fn listen(name: &str, call: JsValue) -> Result<JsValue, JsValue> {
    let Some(window) = web_sys::window() else {
        return Ok(JsValue::UNDEFINED);
    };
    let event_name = format!("kago:{name}");
    let listener = js_method(move |event, _, _| {
        let call: &Function = call.unchecked_ref();
        call.call1(&JsValue::NULL, &get(&event, "detail"))
    });
    let function: Function = listener.unchecked_into();
    let _ = window.add_event_listener_with_callback(&event_name, &function);
    Ok(js_method(move |_, _, _| {
        let _ = window.remove_event_listener_with_callback(&event_name, &function);
        Ok(JsValue::UNDEFINED)
    }))
}

/// `Kago.on(name, callback)`: calls `callback(detail)` for each `kago:<name>` event and returns a
/// function that stops it. Arguments of the wrong type throw a `TypeError`, as a DOM method does.
fn on(name: JsValue, callback: JsValue) -> Result<JsValue, JsValue> {
    let (Some(name), true) = (name.as_string(), callback.is_function()) else {
        return Err(js_sys::TypeError::new(
            "Kago.on(name, callback): name must be a string like \"item_added\" and callback a function.",
        )
        .into());
    };
    let host_only = ["ready", "cart_changed"].contains(&name.as_str());
    if !host_only && kago_core::events::EventType::from_name(&name).is_none() {
        console::warn(&format!(
            "Kago: \"{name}\" is not a Kago event (kago.d.ts lists them); Kago.on listens for it anyway."
        ));
    }
    if name == "ready" {
        if let (Some(detail), Some(window)) =
            (READY.with(|r| r.borrow().clone()), web_sys::window())
        {
            // Ready already: called back once, right after this call (never inside it).
            let callback: &Function = callback.unchecked_ref();
            let bound: Function = callback.bind1(&JsValue::NULL, &detail).unchecked_into();
            window.queue_microtask(&bound);
        }
    }
    listen(&name, callback)
}
