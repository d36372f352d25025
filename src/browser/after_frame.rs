//! Work that must happen, but not before the shopper sees the result of a tap: telling the host
//! page (`kago:*` events and whatever its listeners do), storing funnel events, screen-reader
//! announcements. It runs in order right after the next frame is painted (a hidden page has no
//! frames: then within 100 ms), and at once when [`run_pending`] is called (the page is
//! leaving, or a batch is about to be sent). And work that may wait for an idle moment:
//! [`when_idle`]; and long work cut into steps, each in a task of its own after a paint:
//! [`yield_to_page`], or at once: [`next_task`].

use js_sys::{Function, Reflect};
use std::cell::RefCell;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// A job, boxed by the caller: each of `later`, `when_idle`, `yield_to_page` and `next_task` is
/// compiled once, with one copy of wasm-bindgen's closure code, instead of once per kind of
/// closure (generic `impl FnOnce()` jobs for the first three: 2.5 KB gzip more wasm, re-measured
/// 2026-12-04; BENCHMARKS.md, "Size machinery, re-measured").
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

/// Runs `job` in a task of its own after the next frame is painted (a hidden page has no
/// frames: then within 100 ms), the page having had its turn (input, other tasks): long work
/// cut into steps, each step yielding the next to this, never blocks the page for long, and each
/// step's DOM is laid out and painted in a frame of its own. The task is `scheduler.yield()`'s
/// where the browser has it (Chromium 129+: it runs before other tasks queued meanwhile), else a
/// zero-delay timeout's. (Boxed by the caller, as in [`later`].)
///
/// ```ignore
/// build_frame();
/// after_frame::yield_to_page(Box::new(|| build_rows()));
/// ```
pub fn yield_to_page(job: Job) {
    let Some(window) = web_sys::window() else {
        return;
    };
    // Resolved by the next frame callback, or by the timeout if no frame comes (the second call
    // of `resolve` does nothing).
    let painted = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window.request_animation_frame(&resolve);
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 100);
    });
    then(&painted, &Closure::once_into_js(move || next_task(job)));
}

/// Runs `job` in a task of its own, as soon as the page has had its turn (input, tasks queued
/// before), without waiting for a frame: for a step of long work whose DOM need not be painted
/// apart from the next one's. `scheduler.yield()`'s task where the browser has it, else a
/// zero-delay timeout's. (Boxed by the caller, as in [`later`].)
pub fn next_task(job: Job) {
    let job = Closure::once_into_js(job);
    let Some(window) = web_sys::window() else {
        return;
    };
    let scheduled = Reflect::get(&window, &"scheduler".into())
        .ok()
        .filter(|s| s.is_object())
        .and_then(|scheduler| {
            let yield_now = Reflect::get(&scheduler, &"yield".into()).ok()?;
            yield_now
                .dyn_into::<Function>()
                .ok()?
                .call0(&scheduler)
                .ok()
        });
    match scheduled {
        Some(promise) => then(&promise, &job),
        None => {
            let _ = window
                .set_timeout_with_callback_and_timeout_and_arguments_0(job.unchecked_ref(), 0);
        }
    }
}

/// `promise.then(callback)`.
fn then(promise: &wasm_bindgen::JsValue, callback: &wasm_bindgen::JsValue) {
    let then = Reflect::get(promise, &"then".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok());
    if let Some(then) = then {
        let _ = then.call1(promise, callback);
    }
}
