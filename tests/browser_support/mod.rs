//! Shared helpers for the wasm-bindgen-test suites (headless Chromium).
#![allow(dead_code)]

use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, ShadowRoot};

pub fn document() -> Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A script element carrying `attributes`, as a merchant would write it.
pub fn script_tag(attributes: &[(&str, &str)]) -> Element {
    let script = document().create_element("script").unwrap();
    script.set_attribute("src", "/kago.js").unwrap();
    for (name, value) in attributes {
        script.set_attribute(name, value).unwrap();
    }
    script
}

/// The stylesheet the loader fetches (`dist/kago.css`) and passes to `kagoStart`.
pub const CSS: &str = include_str!("../../src/ui/kago.css");

thread_local! {
    /// Set by `kago:ready` since the last [`start`].
    static READY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static LISTENING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Starts the widget the way the loader does (it starts in steps, a task each: [`ready`] waits
/// for the last).
pub fn start(attributes: &[(&str, &str)]) {
    watch_ready();
    let _ = kago_checkout::internal::kago_start(
        script_tag(attributes),
        js_sys::Array::new(),
        CSS.into(),
        false,
    );
}

/// From now on, [`ready`] waits for the next `kago:ready`.
pub fn watch_ready() {
    READY.with(|r| r.set(false));
    if !LISTENING.with(|l| l.replace(true)) {
        let on_ready =
            wasm_bindgen::closure::Closure::<dyn Fn()>::new(|| READY.with(|r| r.set(true)));
        web_sys::window()
            .unwrap()
            .add_event_listener_with_callback("kago:ready", on_ready.as_ref().unchecked_ref())
            .unwrap();
        on_ready.forget();
    }
}

/// Waits for the widget started since [`watch_ready`] (or [`start`]) to be ready (`kago:ready`: on screen and listening).
#[allow(dead_code)] // not every test file starts the widget
pub async fn ready() {
    until("kago:ready", || READY.with(|r| r.get())).await;
    settle().await;
}

pub fn shadow() -> ShadowRoot {
    document()
        .query_selector("kago-widget")
        .unwrap()
        .expect("kago-widget is mounted")
        .shadow_root()
        .expect("open shadow root")
}

pub fn cart_button_label() -> String {
    shadow()
        .query_selector(".kago-cart-button")
        .unwrap()
        .expect("cart button")
        .get_attribute("aria-label")
        .unwrap_or_default()
}

/// Lets Leptos effects, timers and event handlers run.
pub async fn settle() {
    gloo_timers::future::TimeoutFuture::new(30).await;
}

/// Waits until `done` holds (work done a step per task, after paints: building the drawer),
/// checking every 10 ms for at most 3 s; panics naming `what` if it never does.
#[allow(dead_code)] // not every test file waits so
pub async fn until(what: &str, done: impl Fn() -> bool) {
    for _ in 0..300 {
        if done() {
            return;
        }
        gloo_timers::future::TimeoutFuture::new(10).await;
    }
    panic!("{what}: not within 3 s");
}

/// Everything passed to `console.warn` from now on.
pub fn capture_warnings() -> Rc<RefCell<Vec<String>>> {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let sink = seen.clone();
    let closure = Closure::<dyn Fn(JsValue)>::new(move |message: JsValue| {
        sink.borrow_mut()
            .push(message.as_string().unwrap_or_default());
    });
    let console = js_sys::Reflect::get(&js_sys::global(), &"console".into()).unwrap();
    js_sys::Reflect::set(&console, &"warn".into(), closure.as_ref().unchecked_ref()).unwrap();
    closure.forget();
    seen
}

/// A product element in the page's body.
pub fn product(attributes: &[(&str, &str)]) -> web_sys::HtmlElement {
    let button = document().create_element("button").unwrap();
    button.set_attribute("data-kago-add", "").unwrap();
    for (name, value) in attributes {
        button.set_attribute(name, value).unwrap();
    }
    button.set_text_content(Some("Add to cart"));
    document().body().unwrap().append_child(&button).unwrap();
    button.dyn_into().unwrap()
}
