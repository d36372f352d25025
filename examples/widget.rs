//! The widget's release build: `trunk build --release` (Trunk.toml, `example = "widget"`) links
//! this example, the `kago-checkout` library and nothing else, as a `cdylib` on its own.
//!
//! Why not the library itself: its crate types are `cdylib` and `rlib` (the `rlib` for the
//! tests, the example app and Leptos apps that depend on the crate), and for a target with an
//! `rlib` among its crate types cargo silently leaves the release profile's `lto = true` out
//! (rust-lang/cargo#9672). Linked from here, cargo applies LTO to the whole widget: 12 % less
//! wasm, gzip (BENCHMARKS.md, "LTO that was never applied").
//!
//! The library's `#[wasm_bindgen]` exports (`kagoStart`, the glue's imports) are the widget's
//! exports; this file adds nothing to them.

pub use kago_checkout::*;
