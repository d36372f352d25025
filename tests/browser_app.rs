//! The example Leptos app (examples/leptos_app/app.rs, compiled here for wasm) in headless
//! Chromium: its own header opens the cart with Kago's floating button hidden, and
//! `use_kago()`'s signals follow every change, made through the handle, through `window.Kago` or
//! by the shopper in the drawer; typed events reach the app.
#![cfg(target_arch = "wasm32")]

mod browser_support;

#[path = "../examples/leptos_app/app.rs"]
mod app;

use browser_support::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

fn text(id: &str) -> String {
    document()
        .get_element_by_id(id)
        .unwrap_or_else(|| panic!("#{id} in the app"))
        .text_content()
        .unwrap_or_default()
}

/// Focuses and clicks one of the app's buttons, as a tap does.
fn click(id: &str) {
    let button: HtmlElement = document()
        .get_element_by_id(id)
        .unwrap_or_else(|| panic!("#{id} in the app"))
        .unchecked_into();
    button.focus().unwrap();
    button.click();
}

fn drawer_open() -> bool {
    shadow()
        .query_selector(".kago-layer:not(.kago-closed) .kago-drawer")
        .unwrap()
        .is_some()
}

#[wasm_bindgen_test]
async fn the_apps_header_opens_the_cart_and_its_count_follows_the_cart() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.clear().unwrap();
    let container = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&container).unwrap();
    let _app = leptos::mount::mount_to(container.unchecked_into(), app::App);

    // The app's own count starts at 0.
    assert_eq!(text("app-count"), "0");
    assert_eq!(text("app-open"), "closed");

    // Added through the handle at once, while `<Kago/>` is still starting the widget (a few
    // tasks): the call is kept and applied once it runs; the count, the formatted total and the
    // event reach the app.
    click("add-MUG-1");
    until("the added mug reaches the app's count", || {
        text("app-count") == "1"
    })
    .await;
    // The floating button is hidden.
    until("the widget is on the page", || {
        document().query_selector("kago-widget").unwrap().is_some()
    })
    .await;
    settle().await;
    assert!(shadow()
        .query_selector(".kago-cart-button")
        .unwrap()
        .is_none());
    assert_eq!(text("app-total"), "€22.50", "€18.00 and €4.50 shipping");
    settle().await;
    assert_eq!(text("app-event"), "item_added");

    // Through window.Kago, as another part of the page would: the handle follows.
    let kago = js_sys::Reflect::get(&web_sys::window().unwrap(), &"Kago".into()).unwrap();
    let set_quantity: js_sys::Function = js_sys::Reflect::get(&kago, &"setQuantity".into())
        .unwrap()
        .unchecked_into();
    let changed = set_quantity
        .call2(&kago, &"MUG-1".into(), &3.into())
        .unwrap();
    assert_eq!(changed.as_bool(), Some(true));
    settle().await;
    assert_eq!(text("app-count"), "3");

    // The app's header opens the cart; the handle's open state follows.
    click("app-cart");
    settle().await;
    assert!(drawer_open(), "the app's own button opened the cart");
    assert_eq!(text("app-open"), "open");
    settle().await;
    assert_eq!(text("app-event"), "cart_viewed");

    // The shopper removes the line in the drawer: the app's count follows.
    shadow()
        .query_selector(".kago-remove")
        .unwrap()
        .expect("the line's remove button")
        .unchecked_into::<HtmlElement>()
        .click();
    settle().await;
    assert_eq!(text("app-count"), "0");

    // Its close button closes it; focus goes back to the app's own button, which opened it.
    shadow()
        .query_selector(".kago-close")
        .unwrap()
        .expect("the close button")
        .unchecked_into::<HtmlElement>()
        .click();
    settle().await;
    gloo_timers::future::TimeoutFuture::new(50).await;
    assert!(!drawer_open());
    assert_eq!(text("app-open"), "closed");
    let focused = document().active_element().map(|e| e.id());
    assert_eq!(focused.as_deref(), Some("app-cart"));
}
