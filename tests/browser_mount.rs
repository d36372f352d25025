//! The widget on a page: shadow-DOM mount, product clicks, hostile host CSS, text-only names.
#![cfg(target_arch = "wasm32")]

mod browser_support;

use browser_support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn widget_mounts_once_adds_products_and_resists_the_host_page() {
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .clear()
        .unwrap();
    // Host CSS that would wreck an unprotected widget.
    let style = document().create_element("style").unwrap();
    style.set_text_content(Some("* { font-size: 9px !important } button { display: none !important } kago-widget { display: none !important }"));
    document().head().unwrap().append_child(&style).unwrap();
    let warnings = capture_warnings();

    start(&[("data-currency", "USD"), ("data-locale", "en")]);
    start(&[("data-currency", "JPY")]);
    ready().await;

    // Mounted once, in an open shadow root, styled by an adopted sheet only.
    assert_eq!(
        document()
            .query_selector_all("kago-widget")
            .unwrap()
            .length(),
        1
    );
    let root = shadow();
    assert_eq!(root.adopted_style_sheets().length(), 1);
    assert!(
        root.query_selector("[style]").unwrap().is_none(),
        "no inline style attributes"
    );
    assert_eq!(cart_button_label(), "Cart, 0 items");

    // Host CSS does not hide or shrink it.
    let window = web_sys::window().unwrap();
    let button = root.query_selector(".kago-cart-button").unwrap().unwrap();
    let host = document().query_selector("kago-widget").unwrap().unwrap();
    // Beside <body>, not in it: the page's body zoom or a script replacing its content never
    // reach the widget.
    assert_eq!(host.parent_element().unwrap().tag_name(), "HTML");
    let style_of = |el: &web_sys::Element, prop: &str| {
        window
            .get_computed_style(el)
            .unwrap()
            .unwrap()
            .get_property_value(prop)
            .unwrap()
    };
    assert_eq!(style_of(&host, "display"), "block");
    assert_eq!(style_of(&button, "display"), "flex");
    let root_div = root.query_selector(".kago-root").unwrap().unwrap();
    assert_eq!(style_of(&root_div, "font-size"), "16px");
    let rect = button.get_bounding_client_rect();
    assert!(
        rect.width() >= 48.0 && rect.height() >= 48.0,
        "{}x{}",
        rect.width(),
        rect.height()
    );

    // A product element added after the widget started still adds (delegation).
    product(&[
        ("data-sku", "TEE"),
        ("data-name", "Tee"),
        ("data-price", "24.00"),
        ("data-quantity", "2"),
    ])
    .click();
    settle().await;
    assert_eq!(cart_button_label(), "Cart, 2 items");

    // Bad product data: reported naming the attribute and value, nothing added.
    product(&[
        ("data-sku", "MUG"),
        ("data-name", "Mug"),
        ("data-price", "1,200"),
    ])
    .click();
    settle().await;
    assert_eq!(cart_button_label(), "Cart, 2 items");
    let seen = warnings.borrow().join("\n");
    assert!(seen.contains("data-price=\"1,200\""), "{seen}");
    assert!(seen.contains("already on this page"), "{seen}");

    // Markup in a product name is text.
    let payload = "<img src=x onerror=\"window.kagoPwned=1\">";
    product(&[
        ("data-sku", "XSS"),
        ("data-name", payload),
        ("data-price", "1"),
    ])
    .click();
    settle().await;
    button.dyn_ref::<web_sys::HtmlElement>().unwrap().click();
    until("the open cart's rows", || {
        root.query_selector(".kago-name").unwrap().is_some()
    })
    .await;
    let names: Vec<String> = {
        let nodes = root.query_selector_all(".kago-name").unwrap();
        (0..nodes.length())
            .filter_map(|i| nodes.item(i)?.text_content())
            .collect()
    };
    assert!(names.iter().any(|n| n == payload), "{names:?}");
    assert!(root.query_selector("img").unwrap().is_none());
    assert!(js_sys::Reflect::get(&window, &"kagoPwned".into())
        .unwrap()
        .is_undefined());

    // The cart was saved under the kago-prefixed key.
    let stored = window
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item("kago.cart")
        .unwrap()
        .unwrap();
    assert!(stored.contains("\"TEE\""), "{stored}");
}

use wasm_bindgen::JsCast;
