//! Keyboard focus inside the widget's shadow root: moving it once the DOM has caught up, and
//! never leaving it on the page when the focused control goes away.

use leptos::prelude::*;
use web_sys::ShadowRoot;

/// The element inside the shadow root that has focus, if any.
pub(crate) fn focused_in(root: &ShadowRoot) -> Option<web_sys::HtmlElement> {
    use wasm_bindgen::JsCast;
    root.active_element().and_then(|e| e.dyn_into().ok())
}

/// Focuses the element of the widget's shadow root with this `id` once the DOM has caught up.
pub(crate) fn focus_by_id(id: String) {
    focus_later(id, Focus::Always);
}

/// [`focus_by_id`], but only if the widget has lost focus by then (the focused control was
/// removed or hidden): a shopper who has moved on to another control is not pulled back.
pub(crate) fn focus_if_lost(id: &'static str) {
    focus_later(id.into(), Focus::IfLost);
}

/// [`focus_by_id`], but only if the element with the id `from` still has focus then: the
/// shopper is moved on to the next field they need (番地 once the postal code filled the
/// address), never pulled back from one they went to themselves.
pub(crate) fn focus_moves_on(from: String, to: String) {
    focus_later(to, Focus::From(from));
}

/// When a focus move waits for the DOM, what lets it happen then.
enum Focus {
    Always,
    IfLost,
    From(String),
}

fn focus_later(id: String, when: Focus) {
    use wasm_bindgen::JsCast;
    request_animation_frame(move || {
        let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(kago_core::HOST_SELECTOR).ok().flatten())
            .and_then(|host| host.shadow_root())
        else {
            return;
        };
        let focused = focused_in(&root);
        let stay = match &when {
            Focus::Always => false,
            Focus::IfLost => focused
                .as_ref()
                .is_some_and(|el| el.closest("[hidden]").ok().flatten().is_none()),
            Focus::From(from) => focused.is_none_or(|el| el.id() != *from),
        };
        if stay {
            return;
        }
        if let Some(el) = root
            .get_element_by_id(&id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}
