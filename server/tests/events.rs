//! POST/GET /api/events, the funnel report, retention and reminders, on every test database.

mod common;

use common::app::{databases, App, NOW};
use kago_server::funnel::{report, Group, Period, ReasonGroup};
use kago_server::outbox::{pending, process_due, send_pending};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

/// A Kago event as the widget builds it.
fn event(id: &str, kind: &str, extra: Value) -> Value {
    let mut e = json!({
        "schema": 1, "id": id, "type": kind, "at": "2026-11-22T09:41:07.123Z",
        "session_id": "s-1", "cart_id": "c-1", "device": "mobile", "locale": "en",
        "currency": "USD", "page": "/",
    });
    for (k, v) in extra.as_object().into_iter().flatten() {
        e[k] = v.clone();
    }
    e
}

fn batch(events: &[Value]) -> String {
    json!({"schema": 1, "sent_at": "2026-11-22T10:00:00.000Z", "dropped": 0, "events": events})
        .to_string()
}

async fn ids(app: &App, query: &str) -> Vec<String> {
    let a = app.admin_get(&format!("/api/events{query}")).await;
    assert_eq!(a.status, 200, "{}", a.body);
    a.json()["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["id"].as_str().expect("id").to_string())
        .collect()
}

#[tokio::test]
async fn events_are_stored_once_and_listed_by_filter() {
    for db in databases("events-dedup").await {
        let app = App::new(&db).await;
        let a = event("e-1", "cart_viewed", json!({"value": 4800}));
        let b = event("e-2", "checkout_started", json!({"cart_id": "c 2"}));
        let c = event(
            "e-3",
            "step_viewed",
            json!({"step": "contact", "session_id": "s-9"}),
        );
        let first = app
            .post("/api/events", &batch(&[a.clone(), b.clone()]))
            .await;
        assert_eq!(
            (first.status.as_u16(), first.json()),
            (200, json!({"accepted": 2, "duplicates": 0}))
        );
        let second = app
            .post("/api/events", &batch(&[a.clone(), b, c.clone(), c]))
            .await;
        assert_eq!(
            second.json(),
            json!({"accepted": 1, "duplicates": 3}),
            "{}",
            app.backend
        );
        assert_eq!(ids(&app, "").await, ["e-1", "e-2", "e-3"]);
        assert_eq!(ids(&app, "?type=cart_viewed").await, ["e-1"]);
        assert_eq!(ids(&app, "?cart_id=c+2").await, ["e-2"]);
        assert_eq!(ids(&app, "?session_id=s-9&type=step_viewed").await, ["e-3"]);
        assert_eq!(ids(&app, "?type=&unknown=1").await.len(), 3);
        assert!(ids(&app, "?type=x'%20OR%201=1%20--").await.is_empty());
        let stored = app.admin_get("/api/events").await.json();
        assert_eq!(stored["events"][0], a, "the body as sent");
        // Not without the token, and never readable by another site.
        let open = app.get("/api/events").await;
        assert_eq!(open.status, 401);
        assert_eq!(open.header("access-control-allow-origin"), None);
    }
}

#[tokio::test]
async fn bad_batches_are_refused_whole_and_segment_batches_are_mapped() {
    for db in databases("events-bad").await {
        let app = App::new(&db).await;
        for (body, mentions) in [
            ("{\"events\": [", "not valid JSON"),
            ("[]", "JSON object"),
            ("{\"events\": 1}", "Kago batch"),
            ("{\"batch\": [{\"event\": \"x\"}]}", "batch[0]"),
        ] {
            let a = app.post("/api/events", body).await;
            assert_eq!(a.status, 400, "{body}");
            assert!(
                a.json()["error"]
                    .as_str()
                    .expect("error")
                    .contains(mentions),
                "{}",
                a.body
            );
        }
        let no_id = json!({"events": [event("ok", "cart_viewed", json!({})), {"type": "cart_viewed", "at": "x"}]});
        assert_eq!(
            app.post("/api/events", &no_id.to_string()).await.status,
            400
        );
        let huge = json!({"events": [event("big", "cart_viewed", json!({"pad": "x".repeat(130 * 1024)}))]});
        let a = app.post("/api/events", &huge.to_string()).await;
        assert_eq!(a.status, 413, "{}", a.body);
        assert!(ids(&app, "").await.is_empty(), "nothing of a bad batch");
        let segment = json!({"batch": [
            {"type": "track", "event": "Cart Viewed", "messageId": "m-1", "timestamp": "2026-11-22T00:00:00Z", "anonymousId": "s-2",
             "properties": {"cart_id": "c-9"}, "context": {"device": {"type": "mobile"}, "page": {"path": "/x"}}},
            {"type": "identify", "userId": "u"}
        ]});
        let a = app.post("/api/events", &segment.to_string()).await;
        assert_eq!(
            a.json(),
            json!({"accepted": 1, "duplicates": 0, "ignored": 1})
        );
        let stored = app.admin_get("/api/events?type=cart_viewed").await.json();
        assert_eq!(stored["events"][0]["page"], "/x");
        assert_eq!(stored["events"][0]["session_id"], "s-2");
    }
}

/// One cart's way through the funnel, `steps` steps, each sent twice (a reload counts once).
fn journey(cart: &str, device: &str, steps: usize, day: &str) -> Vec<Value> {
    let kinds = [
        ("cart_viewed", json!({})),
        ("checkout_started", json!({})),
        ("step_completed", json!({"step": "contact"})),
        ("step_completed", json!({"step": "delivery"})),
        ("order_completed", json!({"order_id": "K-1"})),
    ];
    kinds
        .into_iter()
        .take(steps)
        .enumerate()
        .flat_map(|(i, (kind, mut extra))| {
            extra["cart_id"] = json!(cart);
            extra["device"] = json!(device);
            extra["at"] = json!(format!("{day}T10:00:0{i}.000Z"));
            vec![
                event(&format!("{cart}-{i}-b"), kind, extra.clone()),
                event(&format!("{cart}-{i}"), kind, extra),
            ]
        })
        .collect()
}

fn abandoned(
    id: &str,
    cart: &str,
    device: &str,
    last: &str,
    trigger: &str,
    reason: Option<&str>,
) -> Value {
    let mut extra = json!({"cart_id": cart, "device": device, "last_step": last, "duration_ms": 10,
                           "trigger": trigger, "at": "2026-11-22T12:00:00.000Z"});
    if let Some(r) = reason {
        extra["reason"] = json!(r);
    }
    event(id, "checkout_abandoned", extra)
}

async fn seed(app: &App) {
    let mut events = Vec::new();
    events.extend(journey("m1", "mobile", 5, "2026-11-21"));
    events.extend(journey("m2", "mobile", 3, "2026-11-22"));
    events.extend(journey("m3", "mobile", 2, "2026-11-23"));
    events.extend(journey("m4", "mobile", 1, "2026-11-20"));
    events.extend(journey("d1", "desktop", 5, "2026-11-22"));
    events.extend(journey("d2", "desktop", 5, "2026-11-22"));
    events.extend(journey("old", "mobile", 5, "2026-11-10"));
    events.push(abandoned(
        "a1",
        "m2",
        "mobile",
        "delivery",
        "closed",
        Some("shipping_cost"),
    ));
    events.push(abandoned("a2", "m3", "mobile", "contact", "hidden", None));
    events.push(abandoned(
        "a3",
        "t1",
        "tablet",
        "delivery",
        "closed",
        Some("shipping_cost"),
    ));
    events.push(abandoned("a4", "t2", "tablet", "contact", "closed", None));
    events.push(abandoned(
        "a5",
        "t3",
        "tablet",
        "review",
        "idle",
        Some("just_looking"),
    ));
    for (id, device, rating) in [
        ("f1", "mobile", 5),
        ("f2", "mobile", 4),
        ("f3", "desktop", 2),
    ] {
        events.push(event(
            id,
            "checkout_feedback",
            json!({"device": device, "rating": rating, "at": "2026-11-22T13:00:00.000Z"}),
        ));
    }
    let a = app.post("/api/events", &batch(&events)).await;
    assert_eq!(a.status, 200, "{}", a.body);
}

fn period(device: Option<&'static str>) -> Period {
    Period {
        from: "2026-11-20".into(),
        to: "2026-11-23".into(),
        device,
    }
}

#[tokio::test]
async fn the_funnel_counts_distinct_carts_per_step_and_device() {
    for db in databases("funnel-counts").await {
        let app = App::new(&db).await;
        seed(&app).await;
        let r = report(&app.state.db, &period(None)).await.expect("report");
        let by = |label: &str| {
            r.columns
                .iter()
                .find(|c| c.label == label)
                .expect("column")
                .clone()
        };
        assert_eq!(by("All devices").carts, [6, 5, 4, 3, 3], "{}", app.backend);
        assert_eq!(by("Mobile").carts, [4, 3, 2, 1, 1]);
        assert_eq!(by("Tablet").carts, [0, 0, 0, 0, 0]);
        assert_eq!(by("Desktop").carts, [2, 2, 2, 2, 2]);
        assert_eq!(by("Mobile").rating, (Some(4.5), 2));
        assert_eq!(by("Desktop").rating, (Some(2.0), 1));
        assert_eq!(by("All devices").rating.1, 3);
        let mut abandoned = r.abandoned.clone();
        abandoned.sort();
        let named = |s: &str| Group::Named(s.into());
        assert_eq!(
            abandoned,
            [
                (named("contact"), named("closed"), 1),
                (named("contact"), named("hidden"), 1),
                (named("delivery"), named("closed"), 2),
                (named("review"), named("idle"), 1),
            ]
        );
        assert_eq!(
            r.reasons,
            [
                (ReasonGroup::Named("shipping_cost".into()), 2),
                (ReasonGroup::Named("just_looking".into()), 1),
                (ReasonGroup::Unanswered, 1),
            ]
        );
        assert_eq!(r.pages, [("/".to_string(), 5)]);
        let mobile = report(&app.state.db, &period(Some("mobile")))
            .await
            .expect("report");
        assert_eq!(mobile.columns.len(), 1);
        assert_eq!(mobile.columns[0].carts, [4, 3, 2, 1, 1]);
        // Recounted from the stored events, the rollups say the same.
        kago_server::funnel::rebuild_rollups(&app.state.db)
            .await
            .expect("rebuild");
        assert_eq!(
            report(&app.state.db, &period(None)).await.expect("report"),
            r
        );
    }
}

#[tokio::test]
async fn the_page_shows_counts_escapes_values_and_groups_the_rest_as_other() {
    for db in databases("funnel-page").await {
        let app = App::new(&db).await;
        seed(&app).await;
        let evil = "<img src=x onerror=alert(1)>\"'&";
        let mut many: Vec<Value> = (0..20)
            .map(|n| {
                abandoned(
                    &format!("x{n}"),
                    &format!("x{n}"),
                    "desktop",
                    &format!("step-{n}"),
                    &format!("t-{n}"),
                    Some(&format!("r-{n}")),
                )
            })
            .collect();
        many.push(abandoned("evil", "evil", "desktop", evil, evil, Some(evil)));
        many[0]["page"] = json!(format!("/p{evil}"));
        assert_eq!(app.post("/api/events", &batch(&many)).await.status, 200);
        let a = app.admin_get("/funnel?from=2026-11-20&to=2026-11-23").await;
        assert_eq!(a.status, 200);
        assert_eq!(a.header("content-type"), Some("text/html; charset=utf-8"));
        assert!(a
            .header("content-security-policy")
            .is_some_and(|c| c.contains("script-src 'self'")));
        let html = &a.body;
        for expected in [
            "<td>6 (100%)</td><td>4 (100%)</td><td>0</td><td>2 (100%)</td>",
            "<span class=\"step-count\">3 carts · 75%</span>",
            "<rect class=\"bar-fill\" width=\"75.0\" height=\"10\">",
            "<th scope=\"row\">Shipping cost</th><td>2</td>",
            "<td>4.5 out of 5</td><td>2</td>",
            "<input type=\"date\" id=\"from\" name=\"from\" value=\"2026-11-20\">",
            "<option value=\"all\" selected>All devices</option>",
            "<th scope=\"row\">Other</th>",
            "<th scope=\"col\">Other</th>",
        ] {
            assert!(html.contains(expected), "{expected}\n{html}");
        }
        assert!(!html.contains("<img"), "escaped by construction");
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        for forbidden in ["<script", "<style", "style="] {
            assert!(!html.contains(forbidden), "{forbidden}");
        }
        let bad = app
            .admin_get("/funnel?from=%22%3E%3Cscript%3E&device=%3Cb%3E")
            .await;
        assert_eq!(bad.status, 400);
        assert!(!bad.body.contains("<script") && bad.body.contains("role=\"alert\""));
        // Without the token: to the login form, coming back here.
        let open = app.get("/funnel?from=2026-11-20").await;
        assert_eq!(open.status, 303);
        assert_eq!(
            open.header("location"),
            Some("/login?next=/funnel%3Ffrom%3D2026-11-20")
        );
        if !db.starts_with("postgres") {
            let empty = App::new(&format!("{db}-empty")).await;
            let page = empty.admin_get("/funnel").await;
            assert!(page.body.contains("No events in this period yet."));
        }
    }
}

#[tokio::test]
async fn events_older_than_the_retention_are_purged() {
    for db in databases("events-retention").await {
        let app = App::new(&db).await;
        let day = 86_400_000;
        app.set_now(NOW - 91 * day);
        app.post(
            "/api/events",
            &batch(&[event("old", "cart_viewed", json!({}))]),
        )
        .await;
        app.set_now(NOW - 89 * day);
        app.post(
            "/api/events",
            &batch(&[event("recent", "cart_viewed", json!({}))]),
        )
        .await;
        let purged = kago_server::events::purge(&app.state.db, NOW, 90)
            .await
            .expect("purge");
        assert_eq!((purged.events, purged.batches), (1, 1));
        assert_eq!(ids(&app, "").await, ["recent"]);
    }
}

fn abandoned_with_email(id: &str, cart: &str) -> Value {
    event(
        id,
        "checkout_abandoned",
        json!({"cart_id": cart, "last_step": "delivery", "trigger": "closed",
        "contact": {"email": "ada@example.com"}, "page": "/socks.html",
        "items": [{"sku": "MUG-002", "variant": null, "quantity": 2, "unit_price": 1850}]}),
    )
}

#[tokio::test]
async fn a_reminder_waits_for_its_delay_is_sent_once_and_never_after_an_order() {
    for db in databases("reminders").await {
        let app = App::new(&db).await;
        let catalog = app.state.catalog.get();
        let delay = app.state.options.reminder_delay_ms;
        let shop = "https://shop.example";
        app.post(
            "/api/events",
            &batch(&[abandoned_with_email("r1", "cart-r")]),
        )
        .await;
        // The same cart abandoned again: still one reminder.
        app.set_now(NOW + 1000);
        app.post(
            "/api/events",
            &batch(&[abandoned_with_email("r2", "cart-r")]),
        )
        .await;
        // Without an e-mail: none.
        app.post(
            "/api/events",
            &batch(&[event(
                "r3",
                "checkout_abandoned",
                json!({"cart_id": "cart-none"}),
            )]),
        )
        .await;
        let early = process_due(&app.state.db, &catalog, shop, NOW + delay - 1)
            .await
            .expect("process");
        assert_eq!(early.queued, 0, "not before the delay");
        let due = process_due(&app.state.db, &catalog, shop, NOW + delay)
            .await
            .expect("process");
        assert_eq!(due.queued, 1);
        let again = process_due(&app.state.db, &catalog, shop, NOW + 2 * delay)
            .await
            .expect("process");
        assert_eq!(again.queued, 0, "once per cart");
        let messages = pending(&app.state.db).await.expect("outbox");
        assert_eq!(messages.len(), 1);
        assert_eq!(messages[0].recipient, "ada@example.com");
        assert!(
            messages[0].body.contains("2 × Stoneware mug — 18.50 USD"),
            "{}",
            messages[0].body
        );
        assert!(
            messages[0].body.contains("https://shop.example/socks.html"),
            "{}",
            messages[0].body
        );

        // An order_completed event for the cart before the delay cancels it.
        app.post(
            "/api/events",
            &batch(&[abandoned_with_email("s1", "cart-s")]),
        )
        .await;
        app.post(
            "/api/events",
            &batch(&[event(
                "s2",
                "order_completed",
                json!({"cart_id": "cart-s", "order_id": "K-9"}),
            )]),
        )
        .await;
        let done = process_due(&app.state.db, &catalog, shop, NOW + 3 * delay)
            .await
            .expect("process");
        assert_eq!((done.queued, done.cancelled), (0, 1));
        assert_eq!(pending(&app.state.db).await.expect("outbox").len(), 1);
    }
}

/// A minimal SMTP server on 127.0.0.1 that takes every message, or refuses every recipient
/// with a permanent `550` when `refuse`: its `smtp://` URL and the transcript of what clients
/// said (commands and message data).
async fn smtp_sink(refuse: bool) -> (String, Arc<Mutex<Vec<String>>>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("smtp://{}", listener.local_addr().expect("address"));
    let transcript = Arc::new(Mutex::new(Vec::new()));
    let said = transcript.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let said = said.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                let mut in_data = false;
                while let Ok(Some(line)) = lines.next_line().await {
                    said.lock().unwrap().push(line.clone());
                    let answer: &[u8] = if in_data {
                        if line != "." {
                            continue;
                        }
                        in_data = false;
                        b"250 queued\r\n"
                    } else {
                        let command = line.to_ascii_uppercase();
                        if command.starts_with("EHLO") || command.starts_with("HELO") {
                            b"250 sink\r\n"
                        } else if command.starts_with("RCPT") && refuse {
                            b"550 no such mailbox\r\n"
                        } else if command.starts_with("DATA") {
                            in_data = true;
                            b"354 end with .\r\n"
                        } else if command.starts_with("QUIT") {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            break;
                        } else {
                            b"250 ok\r\n"
                        }
                    };
                    if write.write_all(answer).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    (url, transcript)
}

#[tokio::test]
async fn reminders_go_out_through_smtp_once_and_a_refused_one_waits_for_the_next_round() {
    for db in databases("smtp").await {
        let app = App::new(&db).await;
        let catalog = app.state.catalog.get();
        let delay = app.state.options.reminder_delay_ms;
        app.post(
            "/api/events",
            &batch(&[abandoned_with_email("m1", "cart-m")]),
        )
        .await;
        let due = process_due(&app.state.db, &catalog, "https://shop.example", NOW + delay)
            .await
            .expect("process");
        assert_eq!(due.queued, 1);
        let from = "Hinoki & Co. <shop@example.com>";

        // The mail server refuses the recipient: nothing sent, the message stays pending.
        let (url, _) = smtp_sink(true).await;
        let sent = send_pending(&app.state.db, &url, from, NOW + delay)
            .await
            .expect("a refused recipient is not an error of the round");
        assert_eq!(sent, 0);
        assert_eq!(pending(&app.state.db).await.expect("outbox").len(), 1);

        // The next round, with a mail server that takes it: sent once, then nothing pending.
        let (url, transcript) = smtp_sink(false).await;
        let sent = send_pending(&app.state.db, &url, from, NOW + delay)
            .await
            .expect("send");
        assert_eq!(sent, 1);
        let said = transcript.lock().unwrap().join("\n");
        assert!(said.contains("RCPT TO:<ada@example.com>"), "{said}");
        assert!(said.contains("MAIL FROM:<shop@example.com>"), "{said}");
        assert!(said.contains("To: ada@example.com"), "{said}");
        assert!(pending(&app.state.db).await.expect("outbox").is_empty());
        let again = send_pending(&app.state.db, &url, from, NOW + 2 * delay)
            .await
            .expect("send");
        assert_eq!(again, 0, "a sent reminder is not sent again");
    }
}
