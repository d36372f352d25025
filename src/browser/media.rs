//! Media queries: the checkout layout follows the screen width as the window is resized.

use gloo::events::EventListener;

/// Calls `changed` now with whether `query` matches, and again whenever that changes. Keep the
/// returned listener alive (or `forget` it) for as long as the callback should run.
pub fn watch(query: &str, changed: impl Fn(bool) + 'static) -> Option<EventListener> {
    let list = web_sys::window()?.match_media(query).ok()??;
    changed(list.matches());
    let target = list.clone();
    Some(EventListener::new(&target, "change", move |_| {
        changed(list.matches())
    }))
}
