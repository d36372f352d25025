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

/// Claims the page for this copy of the widget, first thing in its start-up (the view comes a
/// task later, [`mount_host`]): the loader's early host is marked as taken (`data-kago-claimed`),
/// or, on a page without one (`<Kago/>`), an empty one is made and marked. Another copy then
/// finds the page taken: [`MountError::AlreadyMounted`].
pub fn claim() -> Result<(), MountError> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(no_document)?;
    if let Some(host) = document.query_selector(HOST_TAG).ok().flatten() {
        if !host.has_attribute("data-kago-early") || host.has_attribute(CLAIMED) {
            return Err(MountError::AlreadyMounted);
        }
        return host.set_attribute(CLAIMED, "").map_err(dom_error);
    }
    let html = document.document_element().ok_or_else(no_document)?;
    let host = document.create_element(HOST_TAG).map_err(dom_error)?;
    host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
        .map_err(dom_error)?;
    host.set_attribute("data-kago-early", "")
        .map_err(dom_error)?;
    host.set_attribute(CLAIMED, "").map_err(dom_error)?;
    html.append_child(&host).map_err(dom_error)?;
    Ok(())
}

const CLAIMED: &str = "data-kago-claimed";

/// The widget's shadow root, with `css` adopted: the loader's early one (`<kago-widget
/// data-kago-early>`, holding only the cart button) emptied for the widget to render into, else
/// a new host appended to `<html>`, after `<body>`. With it, what the shopper did in the
/// loader's early host, which the widget carries on.
pub fn mount_host(css: &str) -> Result<(ShadowRoot, Early), MountError> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(no_document)?;
    if let Some(host) = document.query_selector(HOST_TAG).ok().flatten() {
        let root = host
            .shadow_root()
            .filter(|_| host.has_attribute("data-kago-early"))
            .ok_or(MountError::AlreadyMounted)?;
        let _ = host.remove_attribute("data-kago-early");
        let _ = host.remove_attribute(CLAIMED);
        // The frame holds the focus when it is open (on its close button).
        let open = root.query_selector(".kago-layer").ok().flatten().is_some();
        let drawn = root
            .query_selector(".kago-cart-button")
            .ok()
            .flatten()
            .is_some();
        let early = match (open, drawn) {
            (true, _) => Early::FrameOpen,
            (false, true) => Early::Button {
                focused: root.active_element().is_some(),
            },
            (false, false) => Early::Nothing,
        };
        while let Some(child) = root.first_child() {
            let _ = root.remove_child(&child);
        }
        adopt(&root, css)?; // the whole stylesheet replaces the button's part
        return Ok((root, early));
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
    Ok((root, Early::Nothing))
}

/// What the shopper left in the loader's early host when the widget took it over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Early {
    /// No early cart button (none drawn yet, or no loader).
    Nothing,
    /// The early cart button, closed; if it had focus, the widget's own takes it over.
    Button { focused: bool },
    /// The early drawer frame was open (the cart button tapped, or `Kago.open()` called, while
    /// the widget loaded): the widget opens its cart in its place.
    FrameOpen,
}

fn adopt(root: &ShadowRoot, css: &str) -> Result<(), MountError> {
    let sheet = CssStyleSheet::new().map_err(dom_error)?;
    sheet.replace_sync(css).map_err(dom_error)?;
    root.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));
    Ok(())
}
