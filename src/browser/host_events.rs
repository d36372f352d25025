//! `kago:<name>` CustomEvents on `window`, so the host page and tag managers can follow every
//! step without code. Example: `dispatch("ready", &Ready { version: "0.1.0" })`.

use serde::Serialize;
use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit};

/// Dispatches `kago:<name>` with `detail` (a plain object made from its JSON).
pub fn dispatch(name: &str, detail: &impl Serialize) {
    dispatch_with(name, detail, &[]);
}

/// [`dispatch`] with more members set on the detail as they are (objects shared with the page,
/// such as `Kago.cart()`'s snapshot).
pub fn dispatch_with(name: &str, detail: &impl Serialize, extra: &[(&str, &JsValue)]) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let text = kago_core::wire::to_json(detail);
    let detail = js_sys::JSON::parse(&text).unwrap_or(JsValue::NULL);
    for (key, value) in extra {
        let _ = js_sys::Reflect::set(&detail, &(*key).into(), value);
    }
    let init = CustomEventInit::new();
    init.set_detail(&detail);
    if let Ok(event) = CustomEvent::new_with_event_init_dict(&format!("kago:{name}"), &init) {
        let _ = window.dispatch_event(&event);
    }
}
