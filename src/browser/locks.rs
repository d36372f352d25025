//! Web Locks (`navigator.locks`): what the shop's tabs must do one at a time (write the shared
//! cart, place its order, adopt a gone tab's event queue). Where the API is missing (old
//! browsers, some embedded views) the work runs at once, as it did before locks. Example:
//! `locks::with_lock("kago.cart", Box::new(move || save()))`.

use js_sys::{Function, Object, Promise, Reflect};
use std::future::Future;
use std::pin::Pin;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// What runs when a lock request is answered, given whether this tab got the lock; the tab keeps
/// it until the value returned (a promise) settles.
type Granted = Box<dyn FnOnce(bool) -> JsValue>;

/// `navigator.locks.request(name, {ifAvailable}, granted)`, or `granted` handed back where Web
/// Locks are missing. (Every use goes through this one function and one closure type: each
/// closure type handed to JS costs the wasm its own glue.)
fn request(name: &str, if_available: bool, granted: Granted) -> Result<Promise, Granted> {
    let manager = web_sys::window()
        .and_then(|w| Reflect::get(&w.navigator(), &"locks".into()).ok())
        .filter(|l| !l.is_undefined() && !l.is_null())
        .and_then(|locks| {
            let request = Reflect::get(&locks, &"request".into()).ok()?;
            Some((locks, request.dyn_into::<Function>().ok()?))
        });
    let Some((locks, request)) = manager else {
        return Err(granted);
    };
    let options = Object::new();
    let _ = Reflect::set(&options, &"ifAvailable".into(), &if_available.into());
    let callback = Closure::once_into_js(move |lock: JsValue| granted(!lock.is_null()));
    Ok(request
        .call3(&locks, &name.into(), &options, &callback)
        .ok()
        .and_then(|p| p.dyn_into().ok())
        .unwrap_or_else(|| Promise::resolve(&JsValue::UNDEFINED)))
}

/// Runs `f` holding the lock `name` (after every tab that asked before), or at once where Web
/// Locks are missing.
pub fn with_lock(name: &str, f: Box<dyn FnOnce()>) {
    let granted: Granted = Box::new(move |_| {
        f();
        JsValue::UNDEFINED
    });
    if let Err(granted) = request(name, false, granted) {
        granted(true);
    }
}

/// Work that runs holding a lock for as long as its future runs.
pub type LockedWork = Box<dyn FnOnce(bool) -> Pin<Box<dyn Future<Output = ()>>>>;

/// Runs `work(true)` holding the lock `name` until its future ends, or `work(false)` when
/// another tab holds it now (`ifAvailable`). Without Web Locks: `work(true)`.
pub fn try_hold(name: &str, work: LockedWork) {
    let granted: Granted = Box::new(move |got| {
        let mut future = Some(work(got));
        // The lock is held until this promise settles: when the work is done.
        Promise::new(&mut |resolve, _| {
            if let Some(future) = future.take() {
                wasm_bindgen_futures::spawn_local(async move {
                    future.await;
                    let _ = resolve.call0(&JsValue::UNDEFINED);
                });
            }
        })
        .into()
    });
    if let Err(granted) = request(name, true, granted) {
        granted(true);
    }
}

/// Resolves once no other tab holds the lock `name` (at once without Web Locks).
pub async fn wait_free(name: &str) {
    if let Ok(done) = request(name, false, Box::new(|_| JsValue::UNDEFINED)) {
        let _ = JsFuture::from(done).await;
    }
}
