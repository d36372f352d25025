//! Kago as a Leptos component in a developer's own Leptos app (`kago_checkout::Kago`).
#![cfg(target_arch = "wasm32")]

mod browser_support;

use browser_support::document;
use browser_support::*;
use kago_checkout::Kago;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn text_in_shadow(selector: &str) -> String {
    shadow()
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("{selector} in the widget"))
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn the_component_starts_the_widget_with_its_props_and_outlives_its_view() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.clear().unwrap();
    let warnings = capture_warnings();

    // A host app: its own view, the widget's settings as props, a second <Kago/> by mistake.
    watch_ready();
    let container = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&container).unwrap();
    let app = leptos::mount::mount_to(container.clone().unchecked_into(), || {
        view! {
            <p id="host-app">"My Leptos shop"</p>
            <Kago
                attributes=[("currency", "EUR"), ("data-locale", "en"), ("tax-rate", "lots")]
                config=r#"{"shipping_flat": "4.50", "discount_codes": [{"code": "X"}]}"#
            />
            <Kago attributes=[("currency", "JPY")] />
        }
    });
    ready().await;

    // The host app's own view is there, and the widget is mounted once, on <body>.
    assert!(document().get_element_by_id("host-app").is_some());
    assert_eq!(
        document()
            .query_selector_all("kago-widget")
            .unwrap()
            .length(),
        1
    );
    assert!(container.query_selector("kago-widget").unwrap().is_none());
    assert_eq!(cart_button_label(), "Cart, 0 items");
    assert_eq!(shadow().adopted_style_sheets().length(), 1);

    // window.Kago.ready resolves with the API, as it does behind the script tag's loader.
    let kago = js_sys::Reflect::get(&web_sys::window().unwrap(), &"Kago".into()).unwrap();
    let ready = js_sys::Reflect::get(&kago, &"ready".into()).unwrap();
    assert!(
        ready.is_instance_of::<js_sys::Promise>(),
        "Kago.ready is a Promise"
    );
    let resolved = std::rc::Rc::new(std::cell::RefCell::new(None));
    let keep = resolved.clone();
    let then: js_sys::Function = js_sys::Reflect::get(&ready, &"then".into())
        .unwrap()
        .unchecked_into();
    then.call1(
        &ready,
        &wasm_bindgen::closure::Closure::once_into_js(move |api: wasm_bindgen::JsValue| {
            *keep.borrow_mut() = Some(api)
        }),
    )
    .unwrap();
    settle().await;
    assert_eq!(
        resolved.borrow().as_ref(),
        Some(&kago),
        "Kago.ready resolves with window.Kago"
    );

    // Bad props are reported like bad attributes, by the attribute's name; the second copy too.
    let seen = warnings.borrow().clone();
    assert!(
        seen.iter()
            .any(|w| w.contains("data-tax-rate=\"lots\"") && w.contains("using 0")),
        "{seen:#?}"
    );
    assert!(
        seen.iter()
            .any(|w| w.contains("kago-config \"discount_codes[0]")),
        "{seen:#?}"
    );
    assert!(
        seen.iter()
            .any(|w| w.contains("already on this page") && w.contains("<Kago/>")),
        "{seen:#?}"
    );

    // The view holding <Kago/> goes away (a route change): the widget stays and keeps working.
    drop(app);
    settle().await;
    assert!(document().get_element_by_id("host-app").is_none());
    let button = product(&[
        ("data-sku", "MUG"),
        ("data-name", "Mug"),
        ("data-price", "12.00"),
    ]);
    button.click();
    settle().await;
    assert_eq!(cart_button_label(), "Cart, 1 item");

    // Its settings hold: euros, and the flat shipping from the JSON block.
    shadow()
        .query_selector(".kago-cart-button")
        .unwrap()
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    until("the open cart's summary", || {
        shadow().query_selector(".kago-summary").unwrap().is_some()
    })
    .await;
    let summary = text_in_shadow(".kago-summary");
    assert!(summary.contains("€12.00"), "{summary}");
    assert!(summary.contains("€4.50"), "{summary}");
    assert!(summary.contains("€16.50"), "{summary}");

    // The route is visited again: the same <Kago/> with the same settings is the same widget,
    // silently (no warning on every visit); one with other settings is reported once.
    let before = warnings.borrow().len();
    let again = || {
        let container = document().create_element("div").unwrap();
        document().body().unwrap().append_child(&container).unwrap();
        leptos::mount::mount_to(container.unchecked_into(), || {
            view! {
                <Kago
                    attributes=[("currency", "EUR"), ("data-locale", "en"), ("tax-rate", "lots")]
                    config=r#"{"shipping_flat": "4.50", "discount_codes": [{"code": "X"}]}"#
                />
            }
        })
    };
    drop(again());
    drop(again());
    settle().await;
    assert_eq!(
        warnings.borrow()[before..],
        [] as [String; 0],
        "a revisit is silent"
    );
    assert_eq!(
        document()
            .query_selector_all("kago-widget")
            .unwrap()
            .length(),
        1
    );
}

#[wasm_bindgen_test]
fn attribute_names_are_taken_with_or_without_data() {
    let attributes =
        kago_checkout::KagoAttributes::from([("Currency", "EUR"), ("data-locale", "ja")]);
    assert_eq!(
        attributes.0,
        vec![
            ("data-currency".to_string(), "EUR".to_string()),
            ("data-locale".to_string(), "ja".to_string())
        ]
    );
    let from_vec = kago_checkout::KagoAttributes::from(vec![("currency".to_string(), "EUR")]);
    assert_eq!(from_vec.0[0].0, "data-currency");
}
