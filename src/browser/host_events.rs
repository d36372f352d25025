//! `kago:<name>` CustomEvents on `window`, so the host page and tag managers can follow every
//! step without code. Example: `dispatch("item_added", &json!({"sku": "TEE"}))`.

use kago_core::json::Value;
use web_sys::{CustomEvent, CustomEventInit};

/// Dispatches `kago:<name>` with `detail` (a plain object made from the JSON).
pub fn dispatch(name: &str, detail: &Value) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let detail = js_sys::JSON::parse(&detail.to_string()).unwrap_or(wasm_bindgen::JsValue::NULL);
    let init = CustomEventInit::new();
    init.set_detail(&detail);
    if let Ok(event) = CustomEvent::new_with_event_init_dict(&format!("kago:{name}"), &init) {
        let _ = window.dispatch_event(&event);
    }
}
