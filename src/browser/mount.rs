//! Creates the widget's host: a `<kago-widget data-kago>` element after `<body>` with an open
//! shadow root whose styles come from a constructable stylesheet (no inline styles, CSP-safe),
//! or the one the loader drew the cart button in before the wasm arrived. Kago's hosts carry
//! `data-kago`, which tells a second Kago apart from a `<kago-widget>` the page has for its own
//! reasons (a placeholder, a custom element of its own).

use wasm_bindgen::JsCast;
use web_sys::{CssStyleSheet, Document, Element, ShadowRoot, ShadowRootInit, ShadowRootMode};

pub use kago_core::{HOST_MARK, HOST_SELECTOR, HOST_TAG};

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

fn why(e: &wasm_bindgen::JsValue) -> String {
    match e.dyn_ref::<js_sys::Error>() {
        Some(error) => format!("{}: {}", error.name(), error.message()),
        None => e.as_string().unwrap_or_else(|| "no reason given".into()),
    }
}

fn dom_error(e: wasm_bindgen::JsValue) -> MountError {
    MountError::Dom(format!("Kago: could not create the widget ({}).", why(&e)))
}

fn no_document() -> MountError {
    MountError::Dom("Kago: the page has no document to show the widget in.".into())
}

/// Whether the page defined a custom element of its own named `<kago-widget>`.
fn page_defines_host(document: &Document) -> bool {
    let Some(window) = document.default_view() else {
        return false;
    };
    !window.custom_elements().get(HOST_TAG).is_undefined()
}

/// What a `<kago-widget>` that is not Kago's is, in the console's words.
fn describe_stray(document: &Document, stray: &Element) -> String {
    let mut what = if page_defines_host(document) {
        "the page's own custom element <kago-widget> (customElements.define)".to_string()
    } else {
        "a <kago-widget> element that is not Kago's (no data-kago attribute)".to_string()
    };
    if let Some(parent) = stray.parent_element() {
        let id = Some(stray.id()).filter(|id| !id.is_empty());
        what += &match id {
            Some(id) => format!(", id=\"{id}\", in <{}>", parent.local_name()),
            None => format!(", in <{}>", parent.local_name()),
        };
    }
    what
}

/// The widget's shadow root, with `css` adopted: the loader's early one (`<kago-widget
/// data-kago data-kago-early>`, holding only the cart button) emptied for the widget to render
/// into, else a new host appended to `<html>`, after `<body>`. The flag says the early cart
/// button had focus; the text, if any, says what `<kago-widget>` not Kago's the page has (left
/// alone), for a console warning.
pub fn mount_host(css: &str) -> Result<(ShadowRoot, bool, Option<String>), MountError> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(no_document)?;
    let stray = match document
        .query_selector(&format!("{HOST_TAG}:not([{HOST_MARK}])"))
        .ok()
        .flatten()
    {
        Some(element) => Some(describe_stray(&document, &element)),
        None if page_defines_host(&document) => Some(
            "the page's own custom element <kago-widget> (customElements.define), whose code now runs on Kago's host too"
                .into(),
        ),
        None => None,
    };
    let early = document
        .query_selector(&format!("{HOST_SELECTOR}[data-kago-early]"))
        .ok()
        .flatten();
    if let Some((host, root)) = early.and_then(|h| Some((h.clone(), h.shadow_root()?))) {
        let _ = host.remove_attribute("data-kago-early");
        let focused = root.active_element().is_some();
        while let Some(child) = root.first_child() {
            let _ = root.remove_child(&child);
        }
        adopt(&root, css)?; // the whole stylesheet replaces the button's part
        return Ok((root, focused, stray));
    }
    if document
        .query_selector(HOST_SELECTOR)
        .ok()
        .flatten()
        .is_some()
    {
        return Err(MountError::AlreadyMounted);
    }
    // Beside <body>, not in it (as the loader's): what the page does to its body (zoom,
    // replacing its content) never reaches the widget.
    let html = document.document_element().ok_or_else(no_document)?;
    let host = document.create_element(HOST_TAG).map_err(dom_error)?;
    let root = host
        .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
        .map_err(|e| {
            // The page's own <kago-widget> element already has a shadow root of its own (or
            // forbids one): Kago cannot show its widget in it.
            if page_defines_host(&document) {
                MountError::Dom(format!(
                    "Kago: this page defines its own custom element <kago-widget> (customElements.define), the name Kago's widget uses, and it takes no shadow root from Kago ({}); Kago does not start. Rename the page's element.",
                    why(&e)
                ))
            } else {
                dom_error(e)
            }
        })?;
    let _ = host.set_attribute(HOST_MARK, "");
    adopt(&root, css)?;
    html.append_child(&host).map_err(dom_error)?;
    Ok((root, false, stray))
}

fn adopt(root: &ShadowRoot, css: &str) -> Result<(), MountError> {
    let sheet = CssStyleSheet::new().map_err(dom_error)?;
    sheet.replace_sync(css).map_err(dom_error)?;
    root.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));
    Ok(())
}
