//! Funnel events in a real browser: the queue in real localStorage, consent, the beacon
//! payload limit, and the work that waits until after the frame.
#![cfg(target_arch = "wasm32")]

use kago_checkout::internal::browser::{after_frame, funnel};
use kago_core::config::EventSettings;
use kago_core::event_queue::{Queue, MAX_BATCH_BYTES, TAB_PREFIX};
use kago_core::events::{Device, EventContext, EventItem, EventKind};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn local() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// The tabs' queues in localStorage (this test page is one tab; each `start` is a new one).
fn stored_queues() -> Vec<Queue> {
    let storage = local();
    (0..storage.length().unwrap())
        .filter_map(|i| storage.key(i).unwrap())
        .filter(|k| k.starts_with(TAB_PREFIX))
        .map(|k| serde_json::from_str(&storage.get_item(&k).unwrap().unwrap()).unwrap())
        .collect()
}

/// Every event waiting in any tab's queue.
fn waiting_events() -> usize {
    stored_queues().iter().map(|q| q.events.len()).sum()
}

/// The one tab queue there is.
fn stored_queue() -> Queue {
    let mut queues = stored_queues();
    assert!(queues.len() <= 1, "one tab, one queue");
    queues.pop().unwrap_or_default()
}

fn context() -> EventContext {
    EventContext {
        session_id: "s-test".into(),
        cart_id: "c-test".into(),
        device: Device::Mobile,
        locale: "en".into(),
        currency: "USD".into(),
        page: "/test?secret=1".into(),
    }
}

fn settings(consent_required: bool) -> EventSettings {
    // Port 9 (discard) on this machine: every request fails fast, like being offline.
    EventSettings {
        endpoint: Some("http://127.0.0.1:9/events".into()),
        consent_required,
        ..EventSettings::default()
    }
}

/// The funnel started on empty storage (no queue, cart id or consent left by an earlier test).
fn start_fresh(consent_required: bool) {
    local().clear().unwrap();
    funnel::start(settings(consent_required), context());
}

fn add_item(n: usize) {
    let items: Vec<EventItem> = (0..20)
        .map(|i| EventItem {
            sku: format!("SKU-{n}-{i}-{}", "x".repeat(40)),
            variant: Some("M".into()),
            quantity: 1,
            unit_price: 1000,
        })
        .collect();
    let kind = EventKind::ItemAdded {
        sku: format!("SKU-{n}"),
        variant: None,
        quantity: 1,
    };
    funnel::record(kind, Some((20_000, items)), Some("never@example.com"));
}

#[wasm_bindgen_test]
async fn events_wait_in_local_storage_until_an_endpoint_accepts_them() {
    start_fresh(false);
    for n in 0..3 {
        add_item(n);
    }
    assert_eq!(
        waiting_events(),
        0,
        "stored after the next frame, not during the tap"
    );
    gloo_timers::future::TimeoutFuture::new(150).await;
    assert_eq!(
        waiting_events(),
        3,
        "stored after the frame (or 100 ms without frames)"
    );
    funnel::flush();
    gloo_timers::future::TimeoutFuture::new(1500).await;
    let queue = stored_queue();
    assert_eq!(
        queue.events.len(),
        3,
        "kept in this tab's queue while the endpoint is unreachable"
    );
    assert_eq!(waiting_events(), 3, "nothing counted twice");
    let first: serde_json::Value = serde_json::from_str(queue.events[0].json()).unwrap();
    assert_eq!(first["page"], "/test", "no query string leaves the page");
    assert!(
        first.get("contact").is_none(),
        "no contact without data-events-contact"
    );
    let ids: Vec<String> = queue.events.iter().map(|e| e.id.clone()).collect();

    funnel::flush(); // still backing off: nothing is claimed again, nothing is lost
    let queue = stored_queue();
    let after: Vec<String> = queue.events.iter().map(|e| e.id.clone()).collect();
    assert_eq!(after, ids, "a failed send loses nothing and keeps the ids");
    assert_eq!(queue.attempt, 1, "the failure was counted for backoff");
    assert!(queue.next_try_at > 0);
}

#[wasm_bindgen_test]
fn each_event_carries_the_cart_id_the_tabs_share() {
    start_fresh(false);
    add_item(1);
    funnel::store_waiting();
    // Another tab named the shared cart since (both tabs started at once on a new browser and
    // its write came last, or it placed an order and began a new cart).
    local()
        .set_item(funnel::CART_ID_KEY, "c-other-tab")
        .unwrap();
    add_item(2);
    funnel::store_waiting();
    let cart_ids: Vec<String> = stored_queue()
        .events
        .iter()
        .map(|e| {
            let event: serde_json::Value = serde_json::from_str(e.json()).unwrap();
            event["cart_id"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(cart_ids, ["c-test", "c-other-tab"]);
}

#[wasm_bindgen_test]
fn nothing_is_stored_before_consent_and_withdrawing_clears_the_queue() {
    start_fresh(true);
    add_item(1);
    funnel::store_waiting();
    assert!(stored_queues().is_empty(), "nothing stored before consent");
    funnel::set_consent(true);
    add_item(2);
    funnel::store_waiting();
    assert_eq!(waiting_events(), 1, "only events from consent on");
    funnel::set_consent(false);
    assert_eq!(
        waiting_events(),
        0,
        "withdrawing consent empties every queue"
    );
    add_item(3);
    funnel::store_waiting();
    assert_eq!(waiting_events(), 0);
    funnel::set_consent(true);
    add_item(4);
    funnel::set_consent(false);
    funnel::store_waiting();
    assert_eq!(
        waiting_events(),
        0,
        "an event built before a withdrawal is not stored"
    );
}

#[wasm_bindgen_test]
fn a_closing_page_beacons_each_event_once_and_under_the_size_limit() {
    local().clear().unwrap();
    // Record what would go out instead of sending it.
    let sent: Rc<RefCell<Vec<String>>> = Rc::default();
    let sink = sent.clone();
    let beacon =
        Closure::<dyn Fn(String, String) -> bool>::new(move |_url: String, body: String| {
            sink.borrow_mut().push(body);
            true
        });
    let navigator = web_sys::window().unwrap().navigator();
    js_sys::Reflect::set(&navigator, &"sendBeacon".into(), beacon.as_ref()).unwrap();
    beacon.forget();

    funnel::start(settings(false), context());
    for n in 0..120 {
        add_item(n);
    }
    funnel::send_beacon();
    funnel::send_beacon();
    let bodies = sent.borrow();
    assert_eq!(bodies.len(), 2);
    let mut seen = Vec::new();
    for body in bodies.iter() {
        assert!(body.len() <= MAX_BATCH_BYTES, "{} bytes", body.len());
        let batch: serde_json::Value = serde_json::from_str(body).unwrap();
        for e in batch["events"].as_array().unwrap() {
            let id = e["id"].as_str().unwrap().to_string();
            assert!(!seen.contains(&id), "an event was beaconed twice");
            seen.push(id);
        }
    }
    assert!(seen.len() < 120, "120 large events do not fit one beacon");
    assert_eq!(
        stored_queue().events.len(),
        120,
        "beaconed events stay queued until confirmed"
    );
}

#[wasm_bindgen_test]
async fn work_for_after_the_frame_runs_once_in_order_and_at_once_when_asked() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let push = |n: u32| -> Box<dyn FnOnce()> {
        let log = log.clone();
        Box::new(move || log.borrow_mut().push(n))
    };
    after_frame::later(push(1));
    let (log2, three) = (log.clone(), push(3));
    after_frame::later(Box::new(move || {
        log2.borrow_mut().push(2);
        after_frame::later(three);
    }));
    assert!(log.borrow().is_empty(), "nothing runs during the tap");
    gloo_timers::future::TimeoutFuture::new(200).await;
    assert_eq!(*log.borrow(), [1, 2, 3], "after the frame, in order");
    after_frame::later(push(4));
    after_frame::later(push(5));
    after_frame::run_pending();
    assert_eq!(
        *log.borrow(),
        [1, 2, 3, 4, 5],
        "run_pending runs them at once"
    );
    gloo_timers::future::TimeoutFuture::new(200).await;
    assert_eq!(*log.borrow(), [1, 2, 3, 4, 5], "and never twice");
}
