//! Work that must happen, but not before the shopper sees the result of a tap: telling the host
//! page (`kago:*` events and whatever its listeners do), storing funnel events, screen-reader
//! announcements. It runs in order right after the next frame is painted (a hidden page has no
//! frames: then within 100 ms), and at once when [`run_pending`] is called (the page is
//! leaving, or a batch is about to be sent). And work that may wait for an idle moment:
//! [`when_idle`].

use js_sys::{Function, Reflect};
use std::cell::RefCell;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

type Job = Box<dyn FnOnce()>;

thread_local! {
    static PENDING: RefCell<Vec<Job>> = const { RefCell::new(Vec::new()) };
}

/// Runs `job` after the next frame, after the jobs queued before it. (Boxed by the caller, as
/// in [`when_idle`]: one copy of this code, not one per kind of job.)
pub fn later(job: Job) {
    let first = PENDING.with(|p| {
        let mut p = p.borrow_mut();
        p.push(job);
        p.len() == 1
    });
    if first {
        if let Some(window) = web_sys::window() {
            // A frame callback runs just before the paint; the task it posts runs after it.
            let after_paint = Closure::once_into_js(|| {
                gloo::timers::callback::Timeout::new(0, run_pending).forget();
            });
            let _ = window.request_animation_frame(after_paint.unchecked_ref());
        }
        gloo::timers::callback::Timeout::new(100, run_pending).forget();
    }
}

/// Runs every queued job now, in order (jobs they queue run too).
pub fn run_pending() {
    loop {
        let jobs = PENDING.with(|p| std::mem::take(&mut *p.borrow_mut()));
        if jobs.is_empty() {
            return;
        }
        for job in jobs {
            job();
        }
    }
}

/// At the latest this long after [`when_idle`]: Chromium can go on without idle periods for
/// as long as focus rests on a heading (measured: none for seconds).
const IDLE_AT_LATEST_MS: u32 = 1000;

/// Runs `job` when the page is idle, or after `IDLE_AT_LATEST_MS` (`requestIdleCallback`;
/// where it is missing, such as Safari, after 300 ms).
pub fn when_idle(job: Job) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let job = Closure::once_into_js(job);
    // requestIdleCallback has no web-sys binding without an extra feature.
    let idle = Reflect::get(&window, &"requestIdleCallback".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok());
    match idle {
        Some(request) => {
            let options = js_sys::Object::new();
            let _ = Reflect::set(&options, &"timeout".into(), &IDLE_AT_LATEST_MS.into());
            let _ = request.call2(&window, &job, &options);
        }
        None => {
            let _ = window
                .set_timeout_with_callback_and_timeout_and_arguments_0(job.unchecked_ref(), 300);
        }
    }
}
