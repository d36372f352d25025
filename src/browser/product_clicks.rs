//! One delegated click listener for every `data-kago-add` element, present or added later, and
//! one for every `data-kago-open` element (the page's own cart button).

use gloo::events::{EventListener, EventListenerOptions, EventListenerPhase};
use wasm_bindgen::JsCast;
use web_sys::Element;

pub const ADD_SELECTOR: &str = "[data-kago-add]";
pub const OPEN_SELECTOR: &str = "[data-kago-open]";

/// Calls `on_add` with the product element of every click on one; the click's default action
/// (following a link, submitting a form) is prevented. Listens in the capture phase so a host
/// script that stops propagation cannot swallow the add. Drop the listener to stop.
pub fn listen_for_add_clicks(on_add: impl Fn(Element) + 'static) -> Option<EventListener> {
    listen(ADD_SELECTOR, Box::new(on_add))
}

/// Calls `on_open` for every click on a `data-kago-open` element (a link's navigation prevented).
pub fn listen_for_open_clicks(on_open: impl Fn() + 'static) -> Option<EventListener> {
    listen(OPEN_SELECTOR, Box::new(move |_| on_open()))
}

fn listen(selector: &'static str, on_click: Box<dyn Fn(Element)>) -> Option<EventListener> {
    let document = web_sys::window()?.document()?;
    let options = EventListenerOptions {
        phase: EventListenerPhase::Capture,
        passive: false,
    };
    Some(EventListener::new_with_options(
        &document,
        "click",
        options,
        move |event| {
            let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
                return;
            };
            if let Ok(Some(element)) = target.closest(selector) {
                event.prevent_default();
                on_click(element);
            }
        },
    ))
}
