//! Issue 21: the attacks found against the old server, each as a black-box test over real HTTP.
//! Every one failed against the old `tiny_http` server (run with
//! `KAGO_SERVER_BIN=<old kago-server> cargo test -p kago-server --test attacks`).

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::{client, get, post, Server, ADMIN_TOKEN};
use serde_json::{json, Value};

fn order(key: &str, shipping: i64, tax: i64) -> Value {
    json!({
        "idempotency_key": key,
        "currency": "USD",
        "items": [{"sku": "MUG-002", "variant": null, "name": "Stoneware mug",
                   "quantity": 1, "unit_price": 1850}],
        "totals": {"subtotal": 1850, "discount": 0, "shipping": shipping, "tax": tax,
                   "tax_included": false, "total": 1850},
        "contact": {"email": "eve@example.com", "name": "Eve", "phone": null},
        "shipping_address": {"country": "US", "postal_code": "10001", "region": "NY",
                             "city": "New York", "line1": "1 Main St", "line2": null},
        "shipping_method": "standard",
        "payment_method": "card",
        "discount_code": null,
        "locale": "en"
    })
}

/// The server still answers `/healthz` promptly.
fn assert_alive(server: &Server) {
    let started = Instant::now();
    let answer = get(&client(5), &server.url("/healthz"), false);
    assert!(
        matches!(answer, Ok((200, _))),
        "/healthz did not answer 200 within 5 s: {answer:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[test]
fn orders_with_huge_amounts_are_refused_and_never_kill_a_worker() {
    let server = Server::start("overflow", &[]);
    let agent = client(5);
    for n in 0..6 {
        let body = order(&format!("overflow-{n}"), i64::MAX, i64::MAX).to_string();
        let answer = post(&agent, &server.url("/api/orders"), &body);
        match answer {
            Ok((status, text)) => assert!(
                (400..500).contains(&status),
                "an absurd order must be refused with a 4xx, got {status} {text}"
            ),
            Err(e) => panic!("the request got no answer (a worker died?): {e}"),
        }
    }
    assert_alive(&server);
}

#[test]
fn connections_that_stall_cannot_block_the_server_and_are_closed() {
    let server = Server::start(
        "slowloris",
        &[
            ("KAGO_REQUEST_TIMEOUT_SECS", "2"),
            ("KAGO_HEADER_TIMEOUT_SECS", "2"),
        ],
    );
    let mut stalled = Vec::new();
    for n in 0..8 {
        let mut stream = TcpStream::connect(server.addr()).expect("connect");
        if n % 2 == 0 {
            // A body announced and never sent.
            stream
                .write_all(
                    b"POST /api/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
                      Content-Length: 200000\r\n\r\n{",
                )
                .expect("write");
        } else {
            // Headers that never end.
            stream
                .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                .expect("write");
        }
        stalled.push(stream);
    }
    assert_alive(&server);
    // Each stalled connection is answered (408) or closed once its timeout has passed.
    for mut stream in stalled {
        stream
            .set_read_timeout(Some(Duration::from_secs(8)))
            .expect("timeout");
        let mut buffer = Vec::new();
        let read = stream.read_to_end(&mut buffer);
        assert!(
            read.is_ok(),
            "a stalled connection was still open after 8 s: {read:?}"
        );
        let text = String::from_utf8_lossy(&buffer);
        assert!(
            text.is_empty() || text.starts_with("HTTP/1.1 408"),
            "a stalled connection gets a 408 or is closed: {text}"
        );
    }
}

#[test]
fn the_funnel_page_stays_small_and_fast_with_many_distinct_values() {
    let server = Server::start("cubic", &[]);
    let agent = client(60);
    let day = "2026-11-22";
    let events: Vec<Value> = (0..800)
        .map(|n| {
            json!({"schema": 1, "id": format!("cubic-{n}"), "type": "checkout_abandoned",
                   "at": format!("{day}T10:00:00.000Z"), "cart_id": format!("c-{n}"),
                   "device": "mobile", "page": format!("/p/{n}"),
                   "last_step": format!("step-{n}"), "trigger": format!("trigger-{n}"),
                   "reason": format!("reason-{n}")})
        })
        .collect();
    for chunk in events.chunks(100) {
        let body = json!({"schema": 1, "sent_at": "x", "dropped": 0, "events": chunk}).to_string();
        let (status, text) = post(&agent, &server.url("/api/events"), &body).expect("answer");
        assert_eq!(status, 200, "{text}");
    }
    let started = Instant::now();
    let (status, html) = get(
        &agent,
        &server.url(&format!("/funnel?from={day}&to={day}")),
        true,
    )
    .expect("answer");
    let took = started.elapsed();
    assert_eq!(status, 200);
    assert!(
        took < Duration::from_secs(1),
        "the funnel page took {took:?} (debug build)"
    );
    assert!(
        html.len() < 100_000,
        "the funnel page is {} bytes for 800 distinct values",
        html.len()
    );
    assert!(
        html.contains("Other"),
        "the values past the cap are grouped as Other"
    );
}

#[test]
fn private_lists_and_the_funnel_need_the_admin_token() {
    let server = Server::start("private", &[]);
    let agent = client(5);
    for path in ["/api/events", "/api/orders", "/api/register", "/funnel"] {
        let (status, body) = get(&agent, &server.url(path), false).expect("answer");
        assert!(
            status == 401 || status == 303,
            "{path} without the token answered {status}: {body}"
        );
        assert!(!body.contains("@"), "{path} leaked something: {body}");
        let mut response = agent
            .get(server.url(path))
            .header("Authorization", "Bearer wrong-token")
            .call()
            .expect("answer");
        assert!(
            matches!(response.status().as_u16(), 401 | 303),
            "{path} with a wrong token: {}",
            response.status()
        );
        let _ = response.body_mut().read_to_string();
        let (status, _) = get(&agent, &server.url(path), true).expect("answer");
        assert_eq!(status, 200, "{path} with the token");
    }
    let response = agent
        .get(server.url("/api/events"))
        .header("Authorization", &format!("Bearer {ADMIN_TOKEN}"))
        .header("Origin", "https://evil.example")
        .call()
        .expect("answer");
    assert_eq!(
        response.headers().get("access-control-allow-origin"),
        None,
        "no other site may read the private list"
    );
}

#[test]
fn registration_needs_a_real_order_of_that_shopper() {
    let server = Server::start("register", &[]);
    let agent = client(10);
    let body = json!({"email": "victim@example.com", "order_id": "K-424242",
                      "marketing_opt_in": true, "locale": "en"})
    .to_string();
    let (status, text) = post(&agent, &server.url("/api/register"), &body).expect("answer");
    assert!(
        (400..500).contains(&status) && status != 409,
        "registering for an order that does not exist answered {status}: {text}"
    );
    let (_, list) = get(&agent, &server.url("/api/register"), true).expect("answer");
    assert!(!list.contains("victim@example.com"), "{list}");
}

#[test]
fn event_posts_are_rate_limited_per_client() {
    let server = Server::start(
        "rate",
        &[
            ("KAGO_RATE_LIMIT_PER_IP", "30"),
            ("KAGO_RATE_LIMIT_PER_ORIGIN", "1000"),
        ],
    );
    let agent = client(5);
    let mut limited = 0;
    let mut retry_after = None;
    for n in 0..80 {
        let body = json!({"schema": 1, "sent_at": "x", "dropped": 0, "events": [
            {"schema": 1, "id": format!("flood-{n}"), "type": "cart_viewed", "at": "2026-11-22T10:00:00.000Z"}
        ]})
        .to_string();
        let response = agent
            .post(server.url("/api/events"))
            .header("Content-Type", "text/plain")
            .send(&body)
            .expect("answer");
        if response.status().as_u16() == 429 {
            limited += 1;
            retry_after = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
        }
    }
    assert!(
        limited >= 40,
        "only {limited} of 80 rapid posts were limited"
    );
    assert!(
        retry_after.is_some_and(|s| s.parse::<u32>().is_ok()),
        "a 429 says when to come back"
    );
    assert_alive(&server);
}
