//! The cart in `localStorage` (key `kago.cart`), kept in step across tabs.

use crate::browser::console;
use gloo::events::EventListener;
use kago_core::cart::Cart;
use kago_core::currency::Currency;
use kago_core::persist::{decode_cart, encode_cart, DecodeError, CART_KEY};
use wasm_bindgen::JsCast;
use web_sys::{Storage, StorageEvent};

/// `localStorage`, when the page may use it (blocked storage throws: `None`).
pub(crate) fn local_storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Reads the text under `key`, if storage is available and has it.
pub fn read(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// Writes (or with `None` removes) the text under `key`; storage errors are ignored, since
/// these records only spare the shopper a repeated question.
pub fn write(key: &str, value: Option<&str>) {
    let Some(storage) = local_storage() else {
        return;
    };
    let _ = match value {
        Some(v) => storage.set_item(key, v),
        None => storage.remove_item(key),
    };
}

/// Decodes stored cart text; one this page cannot use is reported. A corrupt or older one is
/// removed; one in another currency or a newer format is left in storage (another page of the
/// shop, or a page whose `data-currency` has a typo, must not cost the shopper a cart).
fn decode_or_report(
    text: &str,
    currency: Currency,
    max_quantity: u32,
) -> Result<Cart, DecodeError> {
    decode_cart(text, currency, max_quantity).inspect_err(|e| {
        console::warn(&e.to_string());
        if !e.usable_elsewhere() {
            write(CART_KEY, None);
        }
    })
}

/// The saved cart, or an empty one (after a console warning) when none is usable; the flag
/// says a saved cart was left in storage for another page of the shop.
pub fn load_cart(currency: Currency, max_quantity: u32) -> (Cart, bool) {
    match read(CART_KEY).map(|text| decode_or_report(&text, currency, max_quantity)) {
        Some(Ok(cart)) => (cart, false),
        Some(Err(e)) => (Cart::new(max_quantity), e.usable_elsewhere()),
        None => (Cart::new(max_quantity), false),
    }
}

/// Saves the cart. Storage can be full or disabled (private modes): then the cart lives on in
/// memory for this page, and the shopper loses nothing now.
pub fn save_cart(cart: &Cart, currency: Currency) -> Result<(), String> {
    let storage = local_storage().ok_or("localStorage is not available")?;
    let text = encode_cart(cart, currency);
    // Writing the text already stored changes nothing and tells no other tab (HTML: `setItem`
    // returns early for an equal value), so it is not read back first: reading it costs as
    // much as writing.
    storage.set_item(CART_KEY, &text).map_err(|e| {
        e.as_string()
            .unwrap_or_else(|| "localStorage refused the write".into())
    })
}

/// Calls `on_change` with the cart another tab saved (an empty cart when it was cleared).
pub fn watch_cart(
    currency: Currency,
    max_quantity: u32,
    on_change: impl Fn(Cart) + 'static,
) -> Option<EventListener> {
    let window = web_sys::window()?;
    Some(EventListener::new(&window, "storage", move |event| {
        let Some(event) = event.dyn_ref::<StorageEvent>() else {
            return;
        };
        // key is None when another tab called localStorage.clear().
        if event.key().is_some_and(|k| k != CART_KEY) {
            return;
        }
        // A cart this page cannot use (another currency) leaves this page's cart as it is.
        let cart = match event.new_value() {
            Some(text) => decode_or_report(&text, currency, max_quantity).ok(),
            None => Some(Cart::new(max_quantity)),
        };
        if let Some(cart) = cart {
            on_change(cart);
        }
    }))
}
