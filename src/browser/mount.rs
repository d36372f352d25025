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

/// A new Kago host (`<kago-widget data-kago>` with an open shadow root), not yet in the page.
fn new_host(document: &Document) -> Result<(Element, ShadowRoot), MountError> {
    let host = document.create_element(HOST_TAG).map_err(dom_error)?;
    let root = host
        .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
        .map_err(|e| {
            // The page's own <kago-widget> element already has a shadow root of its own (or
            // forbids one): Kago cannot show its widget in it.
            if page_defines_host(document) {
                MountError::Dom(format!(
                    "Kago: this page defines its own custom element <kago-widget> (customElements.define), the name Kago's widget uses, and it takes no shadow root from Kago ({}); Kago does not start. Rename the page's element.",
                    why(&e)
                ))
            } else {
                dom_error(e)
            }
        })?;
    let _ = host.set_attribute(HOST_MARK, "");
    Ok((host, root))
}

/// Claims the page for this copy of the widget, first thing in its start-up (the view comes a
/// task later, [`mount_host`]): the loader's early host is marked as taken (`data-kago-claimed`),
/// or, on a page without one (`<Kago/>`), an empty one is made and marked. Another copy then
/// finds the page taken: [`MountError::AlreadyMounted`]. Only Kago's hosts (`data-kago`) count:
/// a `<kago-widget>` the page has for its own reasons is left alone.
pub fn claim() -> Result<(), MountError> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(no_document)?;
    if let Some(host) = document.query_selector(HOST_SELECTOR).ok().flatten() {
        if !host.has_attribute("data-kago-early") || host.has_attribute(CLAIMED) {
            return Err(MountError::AlreadyMounted);
        }
        return host.set_attribute(CLAIMED, "").map_err(dom_error);
    }
    let html = document.document_element().ok_or_else(no_document)?;
    let (host, _) = new_host(&document)?;
    host.set_attribute("data-kago-early", "")
        .map_err(dom_error)?;
    host.set_attribute(CLAIMED, "").map_err(dom_error)?;
    html.append_child(&host).map_err(dom_error)?;
    Ok(())
}

const CLAIMED: &str = "data-kago-claimed";

/// The widget's shadow root, with `css` adopted: the loader's early one (`<kago-widget
/// data-kago data-kago-early>`, holding only the cart button) emptied for the widget to render
/// into, else a new host appended to `<html>`, after `<body>`. With it, what the shopper did in
/// the loader's early host, which the widget carries on, and the description of a
/// `<kago-widget>` not Kago's on the page (left alone), for a console warning.
pub fn mount_host(css: &str) -> Result<(ShadowRoot, Early, Option<String>), MountError> {
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
        return Ok((root, early, stray));
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
    let (host, root) = new_host(&document)?;
    adopt(&root, css)?;
    html.append_child(&host).map_err(dom_error)?;
    Ok((root, Early::Nothing, stray))
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
