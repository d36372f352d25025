//! `<Kago/>` on a page another copy of Kago already holds (the script tag's widget, say): the
//! component starts nothing, and `use_kago()`'s calls say so in the console instead of being
//! kept for a widget that will never run.
#![cfg(target_arch = "wasm32")]

mod browser_support;

use browser_support::document;
use browser_support::*;
use kago_checkout::{use_kago, Kago, KagoHandle, KagoItem};
use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn handle_calls_on_a_page_another_copy_holds_are_reported_not_kept() {
    let warnings = capture_warnings();
    // Another copy of Kago holds the page: its host, claimed (what the script tag's widget leaves).
    let other = document().create_element("kago-widget").unwrap();
    other.set_attribute("data-kago", "").unwrap();
    other.set_attribute("data-kago-claimed", "").unwrap();
    document()
        .document_element()
        .unwrap()
        .append_child(&other)
        .unwrap();

    let handle: Rc<RefCell<Option<KagoHandle>>> = Rc::default();
    let keep = handle.clone();
    let container = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&container).unwrap();
    let _app = leptos::mount::mount_to(container.unchecked_into(), move || {
        *keep.borrow_mut() = Some(use_kago());
        view! { <Kago attributes=[("currency", "EUR")] /> }
    });
    let handle = handle.borrow_mut().take().expect("the app's handle");

    let added = handle.add_item(KagoItem::new("MUG-1", "Mug", "18.00"));
    handle.open();
    assert!(
        !added,
        "nothing can add the mug: the widget did not start here"
    );
    let said = warnings.borrow().clone();
    assert!(
        said.iter().any(|w| w.contains("already on this page")),
        "the component says why it starts nothing: {said:?}"
    );
    for call in ["KagoHandle::add_item", "KagoHandle::open"] {
        assert!(
            said.iter()
                .any(|w| w.contains(call) && w.contains("did not start")),
            "{call} is reported, not kept: {said:?}"
        );
    }

    // Nothing was kept for later either: the handle stays not ready, its cart empty.
    settle().await;
    settle().await;
    assert!(!handle.ready().get_untracked());
    assert_eq!(handle.count().get_untracked(), 0);
}
