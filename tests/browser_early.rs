//! The widget taking over from the loader's early cart button while it starts, a step per task:
//! what the shopper does between its steps is not lost.
#![cfg(target_arch = "wasm32")]

mod browser_support;

use browser_support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// What `kago.js` draws before the wasm is there: the host (marked as Kago's, `data-kago`), its
/// cart button, and (tapped) the drawer's busy frame with the focus on its close button.
fn draw_early_host(frame_open: bool) -> web_sys::ShadowRoot {
    let host = document().create_element("kago-widget").unwrap();
    host.set_attribute(kago_core::HOST_MARK, "").unwrap();
    host.set_attribute("data-kago-early", "").unwrap();
    let root = host
        .attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))
        .unwrap();
    let wrap = document().create_element("div").unwrap();
    wrap.set_class_name("kago-root");
    let button = document().create_element("button").unwrap();
    button.set_class_name("kago-cart-button");
    wrap.append_child(&button).unwrap();
    if frame_open {
        let frame = document().create_element("div").unwrap();
        frame.set_class_name("kago-layer");
        let close = document().create_element("button").unwrap();
        close.set_class_name("kago-close");
        frame.append_child(&close).unwrap();
        wrap.append_child(&frame).unwrap();
    }
    root.append_child(&wrap).unwrap();
    document()
        .document_element()
        .unwrap()
        .append_child(&host)
        .unwrap();
    root
}

#[wasm_bindgen_test]
async fn taps_and_the_early_frame_between_start_up_steps_are_carried_over() {
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .clear()
        .unwrap();
    let warnings = capture_warnings();
    let early = draw_early_host(false);
    // A product the loader kept while the wasm loaded.
    let kept = product(&[
        ("data-sku", "TEE"),
        ("data-name", "Tee"),
        ("data-price", "24.00"),
    ]);
    let pending = js_sys::Array::of1(&kept);

    watch_ready();
    let started = kago_checkout::internal::kago_start(
        script_tag(&[("data-currency", "USD"), ("data-locale", "en")]),
        pending,
        CSS.into(),
        false,
    );
    // The page is claimed at once: a second copy starting now is refused.
    let host = document().query_selector("kago-widget").unwrap().unwrap();
    assert!(host.has_attribute("data-kago-claimed"));

    // Resolved once window.Kago and product taps are the widget's; the early button is still
    // the loader's.
    wasm_bindgen_futures::JsFuture::from(started).await.unwrap();
    assert!(host.has_attribute("data-kago-early"), "not taken over yet");
    product(&[
        ("data-sku", "MUG"),
        ("data-name", "Mug"),
        ("data-price", "9.00"),
    ])
    .click();
    // The shopper taps the early button: the loader draws its frame.
    let frame = document().create_element("div").unwrap();
    frame.set_class_name("kago-layer");
    early
        .query_selector(".kago-root")
        .unwrap()
        .unwrap()
        .append_child(&frame)
        .unwrap();

    ready().await;
    assert!(!host.has_attribute("data-kago-early"));
    assert!(!host.has_attribute("data-kago-claimed"));
    assert_eq!(
        cart_button_label(),
        "Cart, 2 items",
        "the kept tap and the later one"
    );
    // The cart opens where the early frame was, and fills in.
    until("the open cart's rows", || {
        shadow()
            .query_selector(".kago-layer:not(.kago-closed) [role=dialog] .kago-line")
            .unwrap()
            .is_some()
    })
    .await;
    assert_eq!(
        shadow().query_selector_all(".kago-line").unwrap().length(),
        2
    );
    assert!(
        !warnings
            .borrow()
            .iter()
            .any(|w| w.contains("TEE") || w.contains("MUG")),
        "no product refused: {:?}",
        warnings.borrow().clone()
    );
}

#[wasm_bindgen_test]
fn the_page_is_claimed_once_with_or_without_the_loaders_early_host() {
    use kago_checkout::internal::browser::mount::{claim, MountError};
    let remove_hosts = || {
        while let Some(host) = document().query_selector("kago-widget").unwrap() {
            host.remove();
        }
    };
    // Another copy of the widget (a second script tag's wasm, a <Kago/>) claims first thing:
    // the one that finds the page claimed stops before it changes anything.
    remove_hosts();
    assert_eq!(claim(), Ok(()), "no host: an empty one is made and claimed");
    assert_eq!(claim(), Err(MountError::AlreadyMounted));
    remove_hosts();
    draw_early_host(false);
    assert_eq!(claim(), Ok(()), "the loader's early host");
    assert_eq!(claim(), Err(MountError::AlreadyMounted));
    remove_hosts();
}
