//! The cart in real localStorage: round trip, corrupt and old values, and cross-tab sync.
#![cfg(target_arch = "wasm32")]

mod browser_support;

use browser_support::*;
use kago_checkout::internal::browser::storage::load_cart;
use kago_core::cart::{Cart, Item};
use kago_core::currency::Currency;
use kago_core::persist::{encode_cart, CART_KEY};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn local() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn cart_with(count: u32) -> Cart {
    let mut cart = Cart::default();
    let item = Item {
        sku: "TEE".into(),
        variant: Some("M".into()),
        name: "Tee".into(),
        unit_price: 2400,
        image: None,
    };
    cart.add_line(item, count).unwrap();
    cart
}

#[wasm_bindgen_test]
fn cart_survives_a_round_trip_through_local_storage() {
    local().clear().unwrap();
    let cart = cart_with(3);
    local()
        .set_item(CART_KEY, &encode_cart(&cart, Currency::USD))
        .unwrap();
    assert_eq!(load_cart(Currency::USD, 99), (cart, false));
}

#[wasm_bindgen_test]
fn corrupt_or_old_saved_carts_are_discarded_with_a_warning() {
    let warnings = capture_warnings();
    for bad in ["{not json", r#"{"v":0,"lines":[]}"#, "[]"] {
        local().set_item(CART_KEY, bad).unwrap();
        assert_eq!(
            load_cart(Currency::USD, 99),
            (Cart::new(99), false),
            "{bad}"
        );
        assert_eq!(
            local().get_item(CART_KEY).unwrap(),
            None,
            "the bad value is removed"
        );
    }
    let seen = warnings.borrow();
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert!(
        seen.iter()
            .all(|w| w.starts_with("Kago:") && w.contains(CART_KEY)),
        "{seen:?}"
    );
}

#[wasm_bindgen_test]
fn a_cart_another_page_can_use_is_left_in_storage() {
    let warnings = capture_warnings();
    let yen = encode_cart(&cart_with(2), Currency::JPY);
    let newer = r#"{"v":99,"currency":"USD","next_id":1,"lines":[]}"#;
    for kept in [yen.as_str(), newer] {
        local().set_item(CART_KEY, kept).unwrap();
        assert_eq!(
            load_cart(Currency::USD, 99),
            (Cart::new(99), true),
            "{kept}"
        );
        assert_eq!(local().get_item(CART_KEY).unwrap().as_deref(), Some(kept));
    }
    let seen = warnings.borrow();
    assert!(
        seen[0].contains("is in JPY") && seen[0].contains("leaves the saved one as it is"),
        "{seen:?}"
    );
}

#[wasm_bindgen_test]
async fn a_cart_saved_by_another_tab_shows_here() {
    local().clear().unwrap();
    start(&[("data-currency", "USD")]);
    ready().await;
    assert_eq!(cart_button_label(), "Cart, 0 items");

    // What the browser delivers when another tab writes the key.
    let raise = |value: Option<&str>| {
        let init = web_sys::StorageEventInit::new();
        init.set_key(Some(CART_KEY));
        init.set_new_value(value);
        let event = web_sys::StorageEvent::new_with_event_init_dict("storage", &init).unwrap();
        web_sys::window()
            .unwrap()
            .dispatch_event(event.unchecked_ref())
            .unwrap();
    };
    raise(Some(&encode_cart(&cart_with(3), Currency::USD)));
    settle().await;
    assert_eq!(cart_button_label(), "Cart, 3 items");

    raise(None);
    settle().await;
    assert_eq!(cart_button_label(), "Cart, 0 items");
}
