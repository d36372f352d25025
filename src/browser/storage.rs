//! The cart in `localStorage` (key `kago.cart`), shared by the shop's tabs: every change is
//! made again on the latest saved cart under a Web Lock, so two tabs changing it at once both
//! keep their change.

use crate::browser::url::PageUrls;
use crate::browser::{console, locks};
use gloo::events::EventListener;
use kago_core::cart::{Cart, CartChange};
use kago_core::currency::Currency;
use kago_core::persist::{
    decode_cart, encode_cart_with, record_change, DecodeError, Decoded, SavedChanges, CART_KEY,
};
use std::cell::RefCell;
use std::rc::Rc;
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

/// Decodes stored cart text, checking its lines with the rules new items pass (URLs resolved
/// against this page) and reporting what was mended; one this page cannot use is reported. A
/// corrupt or older one is removed; one in another currency or a newer format is left in storage
/// (another page of the shop, or a page whose `data-currency` has a typo, must not cost the
/// shopper a cart).
fn decode_or_report(
    text: &str,
    currency: Currency,
    max_quantity: u32,
) -> Result<Decoded, DecodeError> {
    match decode_cart(text, currency, max_quantity, &PageUrls) {
        Ok(decoded) => {
            for mended in &decoded.mended {
                console::warn(mended);
            }
            Ok(decoded)
        }
        Err(e) => {
            console::warn(&e.to_string());
            if !e.usable_elsewhere() {
                write(CART_KEY, None);
            }
            Err(e)
        }
    }
}

/// The saved cart, or an empty one (after a console warning) when none is usable; the flag
/// says a saved cart was left in storage for another page of the shop.
pub fn load_cart(currency: Currency, max_quantity: u32) -> (Cart, bool) {
    match read(CART_KEY).map(|text| decode_or_report(&text, currency, max_quantity)) {
        Some(Ok(decoded)) => (decoded.cart, false),
        Some(Err(e)) => (Cart::new(max_quantity), e.usable_elsewhere()),
        None => (Cart::new(max_quantity), false),
    }
}

/// Name of the Web Lock under which a tab changes the saved cart.
pub const CART_LOCK: &str = "kago.cart";

/// How this page shares the saved cart with the shop's other tabs.
struct Shared {
    currency: Currency,
    max_quantity: u32,
    /// This page's currency is a guess while a saved cart is in another one: never write.
    read_only: bool,
    /// This tab's changes not saved yet, in order.
    pending: Vec<Pending>,
    /// This tab's id in change ids, and how many changes it has made.
    tab: String,
    made: u32,
    /// Changes saved lately, until another tab's saved cart shows them.
    recent: SavedChanges<CartChange>,
}

/// A change waiting for its turn under the lock: its id, and this tab's cart with it made (saved
/// instead when the saved cart is not this page's).
struct Pending {
    id: String,
    change: CartChange,
    fallback: Cart,
}

thread_local! {
    static SHARED: RefCell<Option<Shared>> = const { RefCell::new(None) };
}

/// Starts sharing the saved cart (before the first [`save_change`]). A page left before its
/// changes' turn under the lock came saves them as it goes ([`save_pending_now`]).
pub fn share_cart(currency: Currency, max_quantity: u32, read_only: bool) {
    SHARED.with(|s| {
        *s.borrow_mut() = Some(Shared {
            currency,
            max_quantity,
            read_only,
            pending: Vec::new(),
            tab: crate::browser::random_id(),
            made: 0,
            recent: SavedChanges::default(),
        })
    });
    if let Some(window) = web_sys::window() {
        EventListener::new(&window, "pagehide", |_| save_pending_now()).forget();
    }
}

/// Saves one change this tab made to its cart. Other tabs may have saved since this tab last
/// heard from them (`storage` events come late, and two tabs adding at once each saved a cart
/// without the other's line), so the change is made again on the latest saved cart, read under
/// the Web Lock [`CART_LOCK`], and that cart is saved and handed to `saved`. Where the saved
/// cart is not this page's (none, another currency, corrupt), `fallback` (this tab's cart with
/// the change) is saved instead.
pub fn save_change(change: CartChange, fallback: Cart, saved: Box<dyn FnOnce(Cart)>) {
    let id = SHARED.with(|s| {
        let mut s = s.borrow_mut();
        let shared = s.as_mut().filter(|s| !s.read_only)?;
        shared.made += 1;
        Some(format!("{}:{}", shared.tab, shared.made))
    });
    if let Some(id) = id {
        let pending = Pending {
            id,
            change,
            fallback,
        };
        submit(pending, saved);
    }
}

/// Makes a change on the latest saved cart under the lock (once: a cart that has it already is
/// left as it is), saves that cart and hands it, with this tab's changes still waiting to be
/// saved, to `saved`.
fn submit(pending: Pending, saved: Box<dyn FnOnce(Cart)>) {
    SHARED.with(|s| {
        if let Some(shared) = s.borrow_mut().as_mut() {
            shared.pending.push(pending);
        }
    });
    locks::with_lock(
        CART_LOCK,
        Box::new(move || {
            let Some((currency, this, cart, ids)) = SHARED.with(|s| {
                let mut s = s.borrow_mut();
                let shared = s.as_mut()?;
                // The lock answers this tab's requests in order: this change is the first.
                let this = (!shared.pending.is_empty()).then(|| shared.pending.remove(0))?;
                let (cart, ids) = latest_with(
                    std::slice::from_ref(&this),
                    shared.currency,
                    shared.max_quantity,
                );
                Some((shared.currency, this, cart, ids))
            }) else {
                return;
            };
            if let Err(why) = write_cart(&cart, currency, ids) {
                console::warn(&format!(
                    "Kago: the cart could not be saved ({why}); it is kept for this page only."
                ));
            }
            // What this tab shows: the saved cart with its own changes still waiting to be saved.
            let mut shown = cart;
            SHARED.with(|s| {
                if let Some(shared) = s.borrow_mut().as_mut() {
                    shared
                        .recent
                        .saved(this.id, js_sys::Date::now() as u64, this.change);
                    for pending in &shared.pending {
                        shown.apply(&pending.change);
                    }
                }
            });
            saved(shown);
        }),
    );
}

/// The latest saved cart with `changes` made on it, each once (a cart whose change ids list one
/// has it already), and its change ids. Where the saved cart is not this page's, the last
/// change's fallback, which has them all.
fn latest_with(changes: &[Pending], currency: Currency, max_quantity: u32) -> (Cart, Vec<String>) {
    let latest =
        read(CART_KEY).and_then(|text| decode_or_report(&text, currency, max_quantity).ok());
    let (mut cart, mut ids, made) = match (latest, changes.last()) {
        (Some(decoded), _) => (decoded.cart, decoded.changes, false),
        (None, Some(last)) => (last.fallback.clone(), Vec::new(), true),
        (None, None) => return (Cart::new(max_quantity), Vec::new()),
    };
    for pending in changes {
        if record_change(&mut ids, &pending.id) && !made {
            cart.apply(&pending.change);
        }
    }
    (cart, ids)
}

/// Saves this tab's changes still waiting for the lock, without it: the page is being left
/// (`pagehide`), and a lock granted later would find it gone, and the shopper's last tap lost.
/// Their turns, if the page comes back from the back-forward cache, find them saved already.
/// (A tab saving under the lock at this very moment may write over them: rarer than a reload
/// right after a tap, and never worse than without this.)
fn save_pending_now() {
    SHARED.with(|s| {
        let s = s.borrow();
        let Some(shared) = s.as_ref().filter(|s| !s.pending.is_empty()) else {
            return;
        };
        let (cart, ids) = latest_with(&shared.pending, shared.currency, shared.max_quantity);
        let _ = write_cart(&cart, shared.currency, ids);
    });
}

/// Writes the cart. Storage can be full or disabled (private modes): then the cart lives on in
/// memory for this page, and the shopper loses nothing now.
fn write_cart(cart: &Cart, currency: Currency, changes: Vec<String>) -> Result<(), String> {
    let storage = local_storage().ok_or("localStorage is not available")?;
    let text = encode_cart_with(cart, currency, changes);
    // Writing the text already stored changes nothing and tells no other tab (HTML: `setItem`
    // returns early for an equal value), so it is not read back first: reading it costs as
    // much as writing.
    storage.set_item(CART_KEY, &text).map_err(|e| {
        e.as_string()
            .unwrap_or_else(|| "localStorage refused the write".into())
    })
}

/// Calls `on_change` with the cart another tab saved (an empty cart when it was cleared), with
/// this tab's changes that are not saved yet made on it too (they will be, on that cart).
pub fn watch_cart(
    currency: Currency,
    max_quantity: u32,
    on_change: impl Fn(Cart) + 'static,
) -> Option<EventListener> {
    let window = web_sys::window()?;
    let on_change = Rc::new(on_change);
    Some(EventListener::new(&window, "storage", move |event| {
        let Some(event) = event.dyn_ref::<StorageEvent>() else {
            return;
        };
        // key is None when another tab called localStorage.clear().
        if event.key().is_some_and(|k| k != CART_KEY) {
            return;
        }
        // A cart this page cannot use (another currency) leaves this page's cart as it is.
        let decoded = match event.new_value() {
            Some(text) => decode_or_report(&text, currency, max_quantity).ok(),
            None => Some(Decoded {
                cart: Cart::new(max_quantity),
                mended: Vec::new(),
                changes: Vec::new(),
            }),
        };
        let Some(Decoded {
            mut cart, changes, ..
        }) = decoded
        else {
            return;
        };
        // A change of this tab that the other tab's cart lacks (it read the cart before this
        // tab's write reached it) is made again on it; a cleared cart is left cleared.
        let cleared = event.new_value().is_none();
        let lost = SHARED.with(|s| {
            let mut s = s.borrow_mut();
            let shared = s.as_mut()?;
            let lost = shared.recent.lost(&changes, js_sys::Date::now() as u64);
            for pending in &shared.pending {
                cart.apply(&pending.change);
            }
            Some(lost)
        });
        for (_, change) in lost.iter().flatten().filter(|_| !cleared) {
            cart.apply(change);
        }
        on_change(cart.clone());
        for (id, change) in lost.into_iter().flatten().filter(|_| !cleared) {
            let on_change = on_change.clone();
            let pending = Pending {
                id,
                change,
                fallback: cart.clone(),
            };
            submit(pending, Box::new(move |c| on_change(c)));
        }
    }))
}

/// Calls `on_change` with the new text of `key` when another tab changes it.
pub fn watch_key(
    key: &'static str,
    on_change: impl Fn(Option<String>) + 'static,
) -> Option<EventListener> {
    let window = web_sys::window()?;
    Some(EventListener::new(&window, "storage", move |event| {
        let Some(event) = event.dyn_ref::<StorageEvent>() else {
            return;
        };
        if event.key().is_none_or(|k| k == key) {
            on_change(event.new_value());
        }
    }))
}
