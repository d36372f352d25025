//! What the widget reads and writes, through one serde adapter or the other (see Cargo.toml).

use kago_core::cart::Line;
use kago_core::checkout::Draft;
use kago_core::events::Event;
use kago_core::order::OrderRequest;
use kago_core::registration::Memory;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[cfg(feature = "json")]
fn read<T: DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_str(text).ok()
}

#[cfg(feature = "json")]
fn write<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

#[cfg(feature = "swb")]
fn read<T: DeserializeOwned>(text: &str) -> Option<T> {
    let value = js_sys::JSON::parse(text).ok()?;
    serde_wasm_bindgen::from_value(value).ok()
}

#[cfg(feature = "swb")]
fn write<T: Serialize>(value: &T) -> String {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value
        .serialize(&serializer)
        .ok()
        .and_then(|v| js_sys::JSON::stringify(&v).ok())
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

/// The saved checkout draft (sessionStorage).
#[wasm_bindgen]
pub fn read_draft(text: &str) -> bool {
    read::<Draft>(text).is_some_and(|d| d.open)
}

/// The saved cart's lines (localStorage).
#[wasm_bindgen]
pub fn read_lines(text: &str) -> usize {
    read::<Vec<Line>>(text).map_or(0, |l| l.len())
}

/// The registration prompt's memory (localStorage).
#[wasm_bindgen]
pub fn read_memory(text: &str) -> bool {
    read::<Memory>(text).is_some_and(|m| m.registered)
}

/// The JSON settings block and endpoint answers, read as a value first.
#[wasm_bindgen]
pub fn read_value(text: &str) -> bool {
    read::<serde_json::Value>(text).is_some_and(|v| v.is_object())
}

/// The order body.
#[wasm_bindgen]
pub fn write_order(text: &str) -> String {
    read::<OrderRequest>(text).map(|o| write(&o)).unwrap_or_default()
}

/// A funnel event.
#[wasm_bindgen]
pub fn write_event(event: &str) -> String {
    read::<Event>(event).map(|e| write(&e)).unwrap_or_default()
}
