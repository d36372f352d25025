//! `fetch` with a time limit and no exceptions: JSON POSTs and plain GETs, every outcome an
//! [`HttpAnswer`] (status 0 when no answer came). Example:
//! `post_json("/api/orders".into(), body, key, 15_000).await.status == 201`.

use kago_core::endpoint::{HttpAnswer, REQUEST_TIMEOUT_MS};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, RequestInit, Response};

fn no_answer() -> HttpAnswer {
    HttpAnswer {
        status: 0,
        body: String::new(),
        retry_after: None,
    }
}

/// POSTs `body` as JSON, with an `Idempotency-Key` header unless the key is empty; no answer
/// (headers and body) within `timeout_ms` is status 0.
pub async fn post_json(
    url: String,
    body: String,
    idempotency_key: String,
    timeout_ms: u32,
) -> HttpAnswer {
    if idempotency_key.is_empty() {
        return post(
            url,
            body,
            &[("Content-Type", "application/json")],
            timeout_ms,
        )
        .await;
    }
    post(
        url,
        body,
        &[
            ("Content-Type", "application/json"),
            ("Idempotency-Key", &idempotency_key),
        ],
        timeout_ms,
    )
    .await
}

/// POSTs `body` as `text/plain` JSON: a "simple" request, so a cross-origin endpoint needs no
/// CORS preflight (the same body type `sendBeacon` uses).
pub async fn post_text(url: String, body: String) -> HttpAnswer {
    post(
        url,
        body,
        &[("Content-Type", "text/plain;charset=UTF-8")],
        REQUEST_TIMEOUT_MS,
    )
    .await
}

/// POSTs `body` with `headers`; gives up (status 0) after `timeout_ms`.
pub async fn post(
    url: String,
    body: String,
    headers: &[(&str, &str)],
    timeout_ms: u32,
) -> HttpAnswer {
    let Ok(header_map) = Headers::new() else {
        return no_answer();
    };
    for (name, value) in headers {
        let _ = header_map.set(name, value);
    }
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&header_map);
    init.set_body(&JsValue::from_str(&body));
    send(url, init, timeout_ms).await
}

/// GETs `url` (the browser's HTTP cache applies).
pub async fn get(url: String) -> HttpAnswer {
    send(url, RequestInit::new(), REQUEST_TIMEOUT_MS).await
}

async fn send(url: String, init: RequestInit, timeout_ms: u32) -> HttpAnswer {
    let Some(window) = web_sys::window() else {
        return no_answer();
    };
    let controller = AbortController::new().ok();
    if let Some(c) = &controller {
        init.set_signal(Some(&c.signal()));
    }
    // The timer covers the body too: a shop that sends headers and then stalls is no answer.
    let abort =
        controller.map(|c| gloo::timers::callback::Timeout::new(timeout_ms, move || c.abort()));
    let answer = match JsFuture::from(window.fetch_with_str_and_init(&url, &init)).await {
        Ok(value) => match value.dyn_into::<Response>() {
            Ok(response) => {
                let retry_after = response.headers().get("Retry-After").ok().flatten();
                let text = match response.text() {
                    Ok(promise) => JsFuture::from(promise)
                        .await
                        .ok()
                        .and_then(|t| t.as_string()),
                    Err(_) => None,
                };
                HttpAnswer {
                    status: response.status(),
                    body: text.unwrap_or_default(),
                    retry_after,
                }
            }
            Err(_) => no_answer(),
        },
        Err(_) => no_answer(),
    };
    drop(abort);
    answer
}
