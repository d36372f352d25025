//! Creates the widget's host: a `<kago-widget>` element after `<body>` with an open shadow root
//! whose styles come from a constructable stylesheet (no inline styles, CSP-safe), or the one
//! the loader drew the cart button in before the wasm arrived.

use wasm_bindgen::JsCast;
use web_sys::{CssStyleSheet, ShadowRoot, ShadowRootInit, ShadowRootMode};

pub use kago_core::HOST_TAG;

/// Why the widget is not mounted, as the console says it; a second copy (script tag or
/// `<Kago/>`) is only a warning.
#[derive(Debug, PartialEq, Eq)]
pub enum MountError {
    AlreadyMounted,
    /// The DOM refused (no document element, a failed call): the message for `console.error`.
    Dom(String),
}

pub const ALREADY_MOUNTED: &str =
    "Kago: the widget is already on this page; this second copy (script tag or <Kago/>) is ignored.";

fn dom_error(e: wasm_bindgen::JsValue) -> MountError {
    let why = match e.dyn_ref::<js_sys::Error>() {
        Some(error) => error.message().into(),
        None => e.as_string().unwrap_or_else(|| "no reason given".into()),
    };
    MountError::Dom(format!("Kago: could not create the widget ({why})."))
}

fn no_document() -> MountError {
    MountError::Dom("Kago: the page has no document to show the widget in.".into())
}

/// The widget's shadow root, with `css` adopted: the loader's early one (`<kago-widget
/// data-kago-early>`, holding only the cart button) emptied for the widget to render into, else
/// a new host appended to `<html>`, after `<body>`. The flag says the early cart button had focus.
pub fn mount_host(css: &str) -> Result<(ShadowRoot, bool), MountError> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(no_document)?;
    if let Some(host) = document.query_selector(HOST_TAG).ok().flatten() {
        let root = host
            .shadow_root()
            .filter(|_| host.has_attribute("data-kago-early"))
            .ok_or(MountError::AlreadyMounted)?;
        let _ = host.remove_attribute("data-kago-early");
        let focused = root.active_element().is_some();
        while let Some(child) = root.first_child() {
            let _ = root.remove_child(&child);
        }
        adopt(&root, css)?; // the whole stylesheet replaces the button's part
        return Ok((root, focused));
    }
    // Beside <body>, not in it (as the loader's): what the page does to its body (zoom,
    // replacing its content) never reaches the widget.
    let html = document.document_element().ok_or_else(no_document)?;
    let host = document.create_element(HOST_TAG).map_err(dom_error)?;
    let root = host
        .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
        .map_err(dom_error)?;
    adopt(&root, css)?;
    html.append_child(&host).map_err(dom_error)?;
    Ok((root, false))
}

fn adopt(root: &ShadowRoot, css: &str) -> Result<(), MountError> {
    let sheet = CssStyleSheet::new().map_err(dom_error)?;
    sheet.replace_sync(css).map_err(dom_error)?;
    root.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));
    Ok(())
}
