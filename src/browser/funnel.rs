//! Funnel events to the merchant's `data-endpoint`: built by the core, kept in this tab's own
//! persistent `localStorage` queue (a gone tab's queue is adopted by the next tab that flushes),
//! sent in batches (every few seconds, at 10 events, on `online`) and handed to `sendBeacon`
//! when the page is hidden or closed. Consent
//! (`data-consent="required"`), GA4 `dataLayer` pushes and Segment format live here too.

use crate::browser::storage::local_storage;
use crate::browser::{after_frame, console, http, locks, random_id};
use gloo::events::EventListener;
use js_sys::{Array, Function, Reflect};
use kago_core::config::EventSettings;
use kago_core::event_queue::{
    delivery_for, Claim, Delivery, Queue, QueuedEvent, FLUSH_AT, FLUSH_EVERY_MS, LEGACY_QUEUE_KEY,
    MAX_BATCH_BYTES, MAX_QUEUED, TAB_PREFIX,
};
use kago_core::events::{
    build_event, to_ga4, AbandonTrigger, Event, EventContext, EventItem, EventKind,
};
use kago_core::wire::to_json;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

struct Funnel {
    settings: EventSettings,
    context: EventContext,
    /// This tab's id, for the sending lease.
    tab: String,
    consent: bool,
    /// `navigator.globalPrivacyControl`: never send contact data.
    gpc: bool,
}

thread_local! {
    static FUNNEL: RefCell<Option<Funnel>> = const { RefCell::new(None) };
}

thread_local! {
    /// Events this page already handed to `sendBeacon` (hidden, then closed: send once).
    static BEACONED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// `sessionStorage` key of this browser session's id; `localStorage` key of the cart's id.
pub const SESSION_KEY: &str = "kago.session";
pub const CART_ID_KEY: &str = "kago.cart_id";
/// `sessionStorage` key of this tab's id: it survives a reload, so the reloaded page goes on with
/// its own queue (writes made while a page unloads do not always land).
pub const TAB_KEY: &str = "kago.tab";

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// The non-empty value stored under `key`, if any.
fn stored_value(storage: Option<&web_sys::Storage>, key: &str) -> Option<String> {
    storage
        .and_then(|s| s.get_item(key).ok().flatten())
        .filter(|v| !v.is_empty())
}

fn stored_id(storage: Option<web_sys::Storage>, key: &str) -> String {
    stored_value(storage.as_ref(), key).unwrap_or_else(|| {
        let id = random_id();
        if let Some(s) = storage {
            let _ = s.set_item(key, &id);
        }
        id
    })
}

/// Who is shopping, on what, where: the context every event carries.
pub fn page_context(locale: &str, currency: &str) -> EventContext {
    let window = web_sys::window();
    let width = window
        .as_ref()
        .and_then(|w| w.inner_width().ok())
        .and_then(|v| v.as_f64())
        .unwrap_or(1024.0) as u32;
    let navigator = window.as_ref().map(|w| w.navigator());
    let touch = navigator.as_ref().map_or(0, |n| n.max_touch_points()) > 0;
    let mobile_ua = navigator
        .as_ref()
        .and_then(|n| n.user_agent().ok())
        .is_some_and(|ua| ua.as_bytes().windows(4).any(|w| w == b"Mobi"));
    EventContext {
        session_id: stored_id(
            window
                .as_ref()
                .and_then(|w| w.session_storage().ok().flatten()),
            SESSION_KEY,
        ),
        cart_id: stored_id(
            window
                .as_ref()
                .and_then(|w| w.local_storage().ok().flatten()),
            CART_ID_KEY,
        ),
        device: kago_core::events::Device::classify(width, touch, mobile_ua),
        locale: locale.into(),
        currency: currency.into(),
        page: window
            .and_then(|w| w.location().pathname().ok())
            .unwrap_or_else(|| "/".into()),
    }
}

/// What runs when the page is hidden or closed, with the trigger (`hidden`, `unload`).
type LeaveHandler = Box<dyn Fn(AbandonTrigger)>;

thread_local! {
    static ON_LEAVE: RefCell<Option<LeaveHandler>> = const { RefCell::new(None) };
}

/// Sets what runs first when the page is hidden or closed (the UI reports an open checkout as
/// abandoned there), before waiting events go out by beacon.
pub fn on_leave(f: impl Fn(AbandonTrigger) + 'static) {
    ON_LEAVE.with(|l| *l.borrow_mut() = Some(Box::new(f)));
}

fn leave(trigger: AbandonTrigger) {
    ON_LEAVE.with(|l| {
        if let Some(f) = l.borrow().as_ref() {
            f(trigger);
        }
    });
    // Tells the host page what is still waiting, and stores the waiting events first, the
    // abandonment just reported among them.
    after_frame::run_pending();
    send_beacon();
    // A page that is going away (not merely hidden) frees its lease and marks its queue closed,
    // so the reloaded page or another tab takes and sends what is left at once.
    if trigger == AbandonTrigger::Unload {
        if let Some((_, tab, _)) = settings() {
            with_own_queue(|q| {
                q.release(&tab);
                q.closed = true;
            });
        }
    }
}

/// Starts delivery: timers and page-lifecycle listeners.
pub fn start(settings: EventSettings, context: EventContext) {
    let gpc = web_sys::window()
        .and_then(|w| Reflect::get(&w.navigator(), &"globalPrivacyControl".into()).ok())
        .is_some_and(|v| v.as_bool() == Some(true));
    let active = settings.endpoint.is_some() || settings.datalayer;
    let consent = !settings.consent_required;
    FUNNEL.with(|f| {
        *f.borrow_mut() = Some(Funnel {
            settings,
            context,
            tab: stored_id(
                web_sys::window().and_then(|w| w.session_storage().ok().flatten()),
                TAB_KEY,
            ),
            consent,
            gpc,
        })
    });
    if !active {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(document) = window.document() else {
        return;
    };
    EventListener::new(&document, "visibilitychange", |_| {
        if web_sys::window()
            .and_then(|w| w.document())
            .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Hidden)
        {
            leave(AbandonTrigger::Hidden);
        }
    })
    .forget();
    EventListener::new(&window, "pagehide", |_| leave(AbandonTrigger::Unload)).forget();
    EventListener::new(&window, "online", |_| flush()).forget();
    EventListener::new(&window, "kago:consent", |event| {
        let detail = event
            .dyn_ref::<web_sys::CustomEvent>()
            .map(|e| e.detail())
            .unwrap_or(JsValue::UNDEFINED);
        let granted = detail.as_bool().or_else(|| {
            Reflect::get(&detail, &"granted".into())
                .ok()
                .and_then(|v| v.as_bool())
        });
        if let Some(granted) = granted {
            set_consent(granted);
        }
    })
    .forget();
    // Sending waits for an idle moment: a `fetch` costs a phone several milliseconds, which
    // must not land between a tap and the frame that shows it.
    gloo::timers::callback::Interval::new(FLUSH_EVERY_MS as u32, || {
        after_frame::when_idle(Box::new(flush))
    })
    .forget();
    // A batch this tab had out when it was reloaded was never answered here: send it again at
    // the first idle moment.
    with_own_queue(|q| q.in_flight = None);
    after_frame::when_idle(Box::new(flush));
}

/// The language events carry from now on (`Kago.setLocale`).
pub fn set_locale(tag: &str) {
    FUNNEL.with(|f| {
        if let Some(funnel) = f.borrow_mut().as_mut() {
            funnel.context.locale = tag.into();
        }
    });
}

/// Whether contact data may go out at all (merchant setting on and no Global Privacy Control).
pub fn contact_allowed() -> bool {
    FUNNEL.with(|f| {
        f.borrow()
            .as_ref()
            .is_some_and(|f| f.settings.contact && !f.gpc)
    })
}

/// What runs when the shopper's consent changes.
type ConsentHandler = Box<dyn Fn(bool)>;

thread_local! {
    static ON_CONSENT: RefCell<Option<ConsentHandler>> = const { RefCell::new(None) };
}

/// Whether funnel events may be stored and sent now (`data-consent` and `Kago.consent`).
pub fn consent_given() -> bool {
    FUNNEL.with(|f| f.borrow().as_ref().is_some_and(|f| f.consent))
}

/// Sets what runs when consent changes (the UI offers the reminder box only with consent).
pub fn on_consent(f: impl Fn(bool) + 'static) {
    ON_CONSENT.with(|c| *c.borrow_mut() = Some(Box::new(f)));
}

/// `Kago.consent(granted)`: from now on events are (or are not) stored and sent; withdrawing
/// consent also empties the queue.
pub fn set_consent(granted: bool) {
    FUNNEL.with(|f| {
        if let Some(f) = f.borrow_mut().as_mut() {
            f.consent = granted;
        }
    });
    ON_CONSENT.with(|c| {
        if let Some(f) = c.borrow().as_ref() {
            f(granted);
        }
    });
    if !granted {
        WAITING.with(|w| w.borrow_mut().clear());
        if let Some(storage) = local_storage() {
            let _ = storage.remove_item(LEGACY_QUEUE_KEY);
            for key in queue_keys(&storage) {
                let _ = storage.remove_item(&key);
            }
        }
    }
}

/// A new cart starts after an order: later events get a new `cart_id`.
pub fn new_cart() {
    let id = random_id();
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(CART_ID_KEY, &id);
    }
    FUNNEL.with(|f| {
        if let Some(f) = f.borrow_mut().as_mut() {
            f.context.cart_id = id;
        }
    });
}

/// Records one funnel event (if the merchant collects them and consent allows). Its time,
/// context and cart are the moment's; building and storing it waits until after the frame
/// that shows the shopper's action (see [`after_frame`]), so JSON and storage work never delay
/// that frame.
pub fn record(kind: EventKind, cart: Option<(i64, Vec<EventItem>)>, email: Option<&str>) {
    let waiting = FUNNEL.with(|f| {
        let f = f.borrow();
        let f = f.as_ref()?;
        if !f.consent || (f.settings.endpoint.is_none() && !f.settings.datalayer) {
            return None;
        }
        // Free text goes out only where contact data may (the merchant's data-events-contact,
        // no Global Privacy Control); the UI does not ask for it elsewhere either.
        let kind = match kind {
            EventKind::CheckoutFeedback {
                rating,
                comment: Some(_),
            } if !f.settings.contact || f.gpc => EventKind::CheckoutFeedback {
                rating,
                comment: None,
            },
            other => other,
        };
        let mut context = f.context.clone();
        // The tabs share the cart, so they share its id, which lives in localStorage: another
        // tab may have named it since this one started (two tabs opened at once on a new
        // browser each name it, and the last write stands) or started a new cart after an
        // order. The stored id is the moment's.
        if let Some(id) = stored_value(local_storage().as_ref(), CART_ID_KEY) {
            context.cart_id = id;
        }
        Some(Waiting {
            kind,
            at: now_ms(),
            context,
            cart,
            email: email
                .filter(|_| f.settings.contact && !f.gpc)
                .map(String::from),
            datalayer: f.settings.datalayer,
            for_endpoint: f.settings.endpoint.is_some(),
        })
    });
    let Some(waiting) = waiting else {
        return;
    };
    let first = WAITING.with(|w| {
        let mut w = w.borrow_mut();
        w.push(waiting);
        w.len() == 1
    });
    if first {
        after_frame::later(Box::new(store_waiting));
    }
}

/// An event recorded, waiting to be built and stored.
struct Waiting {
    kind: EventKind,
    at: u64,
    context: EventContext,
    cart: Option<(i64, Vec<EventItem>)>,
    email: Option<String>,
    /// Push it to `dataLayer`; queue it for the endpoint.
    datalayer: bool,
    for_endpoint: bool,
}

thread_local! {
    static WAITING: RefCell<Vec<Waiting>> = const { RefCell::new(Vec::new()) };
}

/// Stores the waiting events (consent is checked again: it may have been withdrawn since).
pub fn store_waiting() {
    let waiting = WAITING.with(|w| std::mem::take(&mut *w.borrow_mut()));
    if waiting.is_empty() || !FUNNEL.with(|f| f.borrow().as_ref().is_some_and(|f| f.consent)) {
        return;
    }
    let mut queued = Vec::new();
    for w in waiting {
        let event = build_event(
            w.kind,
            random_id(),
            w.at,
            &w.context,
            w.cart,
            w.email.as_deref(),
        );
        if w.datalayer {
            push_data_layer(&event);
        }
        if w.for_endpoint {
            queued.push(QueuedEvent::new(&event));
        }
    }
    if queued.is_empty() {
        return;
    }
    let mut waiting_now = 0;
    let mut lost = Vec::new();
    with_own_queue(|q| {
        for event in queued {
            lost.extend(q.push(event));
        }
        waiting_now = q.events.len();
    });
    report_full(&lost);
    if waiting_now >= FLUSH_AT {
        after_frame::when_idle(Box::new(flush));
    }
}

/// The type of an event as a queue keeps it (its JSON's `type`), for messages.
fn type_of(event: &QueuedEvent) -> String {
    serde_json::from_str::<serde_json::Value>(event.json())
        .ok()
        .and_then(|v| v.get("type")?.as_str().map(String::from))
        .unwrap_or_else(|| "unknown".into())
}

/// Says which events a full queue dropped (the next batch's `dropped` counts them too).
fn report_full(lost: &[QueuedEvent]) {
    if lost.is_empty() {
        return;
    }
    let types: Vec<String> = lost.iter().map(type_of).collect();
    console::warn(&format!(
        "Kago: the event queue is full ({MAX_QUEUED} events wait for the event endpoint); the oldest {} ({}) were dropped, and the next batch reports the count in \"dropped\".",
        lost.len(),
        types.join(", ")
    ));
}

fn push_data_layer(event: &Event) {
    let Some(payload) = to_ga4(event) else { return };
    let Some(window) = web_sys::window() else {
        return;
    };
    let layer = Reflect::get(&window, &"dataLayer".into())
        .ok()
        .filter(Array::is_array)
        .unwrap_or_else(|| {
            let fresh: JsValue = Array::new().into();
            let _ = Reflect::set(&window, &"dataLayer".into(), &fresh);
            fresh
        });
    let object = js_sys::JSON::parse(&payload.to_string()).unwrap_or(JsValue::NULL);
    if let Ok(push) = Reflect::get(&layer, &"push".into()).and_then(|p| p.dyn_into::<Function>()) {
        let _ = push.call1(&layer, &object);
    }
}

/// Every tab's queue key (this tab's too).
fn queue_keys(storage: &web_sys::Storage) -> Vec<String> {
    let count = storage.length().unwrap_or(0);
    (0..count)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| k.starts_with(TAB_PREFIX))
        .collect()
}

fn own_key() -> Option<String> {
    FUNNEL.with(|f| {
        f.borrow()
            .as_ref()
            .map(|f| format!("{TAB_PREFIX}{}", f.tab))
    })
}

thread_local! {
    /// This tab's queue when `localStorage` cannot hold it (blocked, or full): events are then
    /// kept and sent from memory, and stored again once storage takes them.
    static IN_MEMORY: RefCell<Option<Queue>> = const { RefCell::new(None) };
    static FULL_REPORTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Reads, changes and writes this tab's queue, the only one it writes (an empty one is
/// removed). A corrupt stored queue is reported and replaced. (Only the call to `change` is
/// generic: the reading and writing around it exist once.)
fn with_own_queue(change: impl FnOnce(&mut Queue)) {
    let Some(key) = own_key() else { return };
    let storage = local_storage();
    let mut queue = take_own_queue(storage.as_ref(), &key);
    change(&mut queue);
    keep_own_queue(storage.as_ref(), &key, queue);
}

/// The queue in memory when storage could not take it last time (its stored copy was removed
/// then), else the stored one.
fn take_own_queue(storage: Option<&web_sys::Storage>, key: &str) -> Queue {
    let stored = || {
        let text = storage?.get_item(key).ok().flatten()?;
        Some(serde_json::from_str(&text).unwrap_or_else(|e| {
            console::warn(&format!(
                "Kago: the event queue ({key}) was unreadable ({e}) and was reset."
            ));
            Queue::default()
        }))
    };
    let mut queue = IN_MEMORY
        .with(|m| m.borrow_mut().take())
        .or_else(stored)
        .unwrap_or_default();
    queue.closed = false;
    queue
}

/// Stores the queue, or keeps it in memory where storage is blocked or refuses it (full; its
/// stored copy is then removed, so that the one in memory is the only one).
fn keep_own_queue(storage: Option<&web_sys::Storage>, key: &str, mut queue: Queue) {
    queue.written_at = now_ms();
    let empty = queue.is_empty() && queue.in_flight.is_none();
    let stored = storage.is_some_and(|s| {
        if empty {
            let _ = s.remove_item(key);
            return true;
        }
        if s.set_item(key, &to_json(&queue)).is_ok() {
            return true;
        }
        let _ = s.remove_item(key);
        if !FULL_REPORTED.with(|r| r.replace(true)) {
            console::warn("Kago: the event queue could not be saved (storage full); its events are kept in memory for this page and sent from there.");
        }
        false
    });
    if !stored && !empty {
        IN_MEMORY.with(|m| *m.borrow_mut() = Some(queue));
    }
}

/// Moves the queues of gone tabs (and the legacy shared queue) into this tab's queue.
fn adopt_orphans(queue: &mut Queue) {
    let (Some(storage), Some(own)) = (local_storage(), own_key()) else {
        return;
    };
    let now = now_ms();
    let mut keys = queue_keys(&storage);
    keys.push(LEGACY_QUEUE_KEY.to_string());
    for key in keys.into_iter().filter(|k| *k != own) {
        let Some(text) = storage.get_item(&key).ok().flatten() else {
            continue;
        };
        match serde_json::from_str::<Queue>(&text) {
            Ok(orphan) if key == LEGACY_QUEUE_KEY || orphan.is_orphan(now) => {
                report_full(&queue.adopt(orphan));
                let _ = storage.remove_item(&key);
            }
            Ok(_) => {} // a live tab's: it sends its own
            Err(_) => {
                let _ = storage.remove_item(&key);
            }
        }
    }
}

fn settings() -> Option<(String, String, kago_core::event_queue::Format)> {
    FUNNEL.with(|f| {
        f.borrow().as_ref().and_then(|f| {
            Some((
                f.settings.endpoint.clone()?,
                f.tab.clone(),
                f.settings.format,
            ))
        })
    })
}

/// Sends the next batch if this tab can take the lease; settles it when the answer comes.
pub fn flush() {
    store_waiting();
    let Some((endpoint, tab, format)) = settings() else {
        return;
    };
    if !FUNNEL.with(|f| f.borrow().as_ref().is_some_and(|f| f.consent)) {
        return;
    }
    // The lock only keeps two tabs from adopting the same gone tab's queue at once.
    locks::with_lock(
        "kago.events",
        Box::new(move || {
            let mut claim = Claim::Nothing;
            with_own_queue(|q| {
                adopt_orphans(q);
                claim = q.claim(&tab, now_ms(), MAX_BATCH_BYTES, format);
            });
            let batch = match claim {
                Claim::Batch(batch) => batch,
                Claim::Nothing => return,
                Claim::Unsendable(event) => {
                    console::error(&format!(
                    "Kago: a {} event ({} bytes) is larger than a batch may be ({MAX_BATCH_BYTES} bytes) and was dropped; the next batch counts it in \"dropped\".",
                    type_of(&event),
                    event.json().len()
                ));
                    // The rest is not held up by it.
                    return after_frame::when_idle(Box::new(flush));
                }
            };
            wasm_bindgen_futures::spawn_local(async move {
                let answer = http::post_text(endpoint.clone(), batch.body).await;
                let delivery = delivery_for(answer.status, answer.retry_after.as_deref());
                if delivery == Delivery::Refused {
                    console::error(&format!(
                    "Kago: the event endpoint {endpoint} refused a batch of {} events with HTTP {}; they are dropped, since sending them again cannot help.",
                    batch.ids.len(),
                    answer.status
                ));
                }
                with_own_queue(|q| q.settle(&tab, delivery, now_ms(), js_sys::Math::random()));
                // A batch cut by the size limit (a large cart's events) is followed by the next at
                // once, not at the next tick.
                if batch.full && delivery == Delivery::Accepted {
                    after_frame::when_idle(Box::new(flush));
                }
            });
        }),
    );
}

/// Hands waiting events to `sendBeacon` (fallback: `fetch` with `keepalive`) as the page goes.
pub fn send_beacon() {
    store_waiting();
    let Some((endpoint, tab, format)) = settings() else {
        return;
    };
    if !FUNNEL.with(|f| f.borrow().as_ref().is_some_and(|f| f.consent)) {
        return;
    }
    let beaconed = BEACONED.with(|b| b.borrow().clone());
    let mut batch = None;
    with_own_queue(|q| {
        batch = q.beacon_batch(&tab, now_ms(), MAX_BATCH_BYTES, format, &beaconed);
    });
    let Some(batch) = batch else { return };
    BEACONED.with(|b| b.borrow_mut().extend(batch.ids));
    let body = batch.body;
    let Some(window) = web_sys::window() else {
        return;
    };
    let queued = window
        .navigator()
        .send_beacon_with_opt_str(&endpoint, Some(&body))
        .unwrap_or(false);
    if !queued {
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_body(&JsValue::from_str(&body));
        // RequestInit has no keepalive binding in web-sys.
        let _ = Reflect::set(&init, &"keepalive".into(), &JsValue::TRUE);
        if let Ok(headers) = web_sys::Headers::new() {
            let _ = headers.set("Content-Type", "text/plain;charset=UTF-8");
            init.set_headers(&headers);
        }
        let _ = window.fetch_with_str_and_init(&endpoint, &init);
    }
}
