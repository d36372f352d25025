//! The JSON text of the core's serde types: the one place Kago turns a value into the text it
//! stores or sends. Reading goes through `serde_json::from_str` where the caller knows what a
//! failure means (a corrupt saved cart, an endpoint's odd answer).

use serde::Serialize;

/// `value` as compact JSON text.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> String {
    // serde_json fails only for a map whose keys are not strings or a `Serialize` impl that
    // returns an error; no type of the core has either, so the empty fallback is never taken.
    serde_json::to_string(value).unwrap_or_default()
}
