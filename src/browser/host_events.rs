//! `kago:<name>` CustomEvents on `window`, so the host page and tag managers can follow every
//! step without code. Example: `dispatch("ready", &Ready { version: "0.1.0" })`.

use serde::Serialize;
use web_sys::{CustomEvent, CustomEventInit};

/// Dispatches `kago:<name>` with `detail` (a plain object made from its JSON).
pub fn dispatch(name: &str, detail: &impl Serialize) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let text = kago_core::wire::to_json(detail);
    let detail = js_sys::JSON::parse(&text).unwrap_or(wasm_bindgen::JsValue::NULL);
    let init = CustomEventInit::new();
    init.set_detail(&detail);
    if let Ok(event) = CustomEvent::new_with_event_init_dict(&format!("kago:{name}"), &init) {
        let _ = window.dispatch_event(&event);
    }
}
