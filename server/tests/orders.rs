//! POST /api/orders priced from the catalog, on every test database.

mod common;

use common::app::{databases, App};
use kago_core::cart::{Cart, Item};
use serde_json::{json, Value};

/// A body the widget would send for `lines` (sku, variant, quantity, unit price) on the test
/// shop (USD, 8 % tax excluded, standard 5.00 free over 100, express 15.00).
fn order(
    key: &str,
    lines: &[(&str, Option<&str>, u32, i64)],
    method: &str,
    code: Option<&str>,
) -> Value {
    let app_rules =
        kago_server::shop::load_page(&common::app::catalog_path().with_file_name("shop.html"))
            .expect("shop page");
    let mut cart = Cart::default();
    for (sku, variant, quantity, price) in lines {
        let item = Item {
            sku: sku.to_string(),
            variant: variant.map(str::to_string),
            name: sku.to_string(),
            unit_price: *price,
            image: None,
        };
        cart.add_line(item, *quantity).expect("line");
    }
    // What the widget's summary shows and its order body sends for this cart.
    let t = app_rules.pricing.totals(&cart, Some(method), code);
    json!({
        "idempotency_key": key,
        "currency": "USD",
        "items": lines.iter().map(|(sku, variant, quantity, price)| json!({"sku": sku, "variant": variant, "name": sku, "quantity": quantity, "unit_price": price})).collect::<Vec<_>>(),
        "totals": {"subtotal": t.subtotal.minor, "discount": t.discount.minor, "shipping": t.shipping.minor, "tax": t.tax.minor, "tax_included": t.tax_included, "total": t.total.minor},
        "contact": {"email": "ada@example.com", "name": "Ada Lovelace", "phone": null},
        "shipping_address": {"country": "US", "postal_code": "10001", "region": "NY", "city": "New York", "line1": "1 Main St", "line2": null},
        "shipping_method": method,
        "payment_method": "card",
        "discount_code": code,
        "locale": "en"
    })
}

const TEE: (&str, Option<&str>, u32, i64) = ("TEE-001", Some("M / Indigo"), 2, 2400);
const MUG: (&str, Option<&str>, u32, i64) = ("MUG-002", None, 1, 1850);

async fn available(app: &App, sku: &str, variant: &str) -> Option<i64> {
    sqlx::query_scalar("SELECT available FROM stock WHERE sku = $1 AND variant = $2")
        .bind(sku)
        .bind(variant)
        .fetch_one(&app.state.db.pool)
        .await
        .expect("stock row")
}

#[tokio::test]
async fn a_good_order_is_stored_replayed_and_a_reused_key_is_a_conflict() {
    for db in databases("orders-basic").await {
        let app = App::new(&db).await;
        let body = order("key-a", &[TEE, MUG], "standard", None);
        let first = app.post("/api/orders", &body.to_string()).await;
        assert_eq!(first.status, 201, "{} {}", app.backend, first.body);
        assert_eq!(first.header("content-type"), Some("application/json"));
        assert_eq!(first.header("cache-control"), Some("no-store"));
        assert_eq!(first.json(), json!({"order_id": "K-000001"}));
        // The same order again, with other spacing: the same answer, nothing new.
        let again = app
            .post(
                "/api/orders",
                &serde_json::to_string_pretty(&body).expect("json"),
            )
            .await;
        assert_eq!(
            (again.status.as_u16(), again.json()),
            (200, json!({"order_id": "K-000001"}))
        );
        let mut other = body.clone();
        other["shipping_address"]["city"] = json!("Boston");
        let conflict = app.post("/api/orders", &other.to_string()).await;
        assert_eq!(conflict.status, 409);
        assert!(conflict.json()["error"]
            .as_str()
            .expect("error")
            .contains("key-a"));
        assert_eq!(
            app.post(
                "/api/orders",
                &order("key-b", &[MUG], "express", None).to_string()
            )
            .await
            .json(),
            json!({"order_id": "K-000002"})
        );
        // Stock taken once.
        assert_eq!(available(&app, "TEE-001", "M / Indigo").await, Some(998));
        assert_eq!(available(&app, "MUG-002", "").await, Some(998));
        let list = app.admin_get("/api/orders").await;
        assert_eq!(list.status, 200);
        assert_eq!(list.header("content-type"), Some("application/json"));
        let orders = list.json()["orders"].as_array().expect("orders").clone();
        assert_eq!(orders.len(), 2);
        assert_eq!(orders[0]["order_id"], "K-000001");
        assert_eq!(orders[0]["body"], body, "the body as sent");
        assert_eq!(orders[0]["total"], body["totals"]["total"]);
        assert_eq!(orders[0]["created_at"], "2026-11-23T09:41:07.123Z");
    }
}

#[tokio::test]
async fn a_tampered_unit_price_gets_the_catalog_prices_back() {
    for db in databases("orders-tampered-price").await {
        let app = App::new(&db).await;
        let cheap = ("TEE-001", Some("M / Indigo"), 2, 100);
        let answer = app
            .post(
                "/api/orders",
                &order("key-t", &[cheap, MUG], "standard", None).to_string(),
            )
            .await;
        assert_eq!(answer.status, 409, "{}", answer.body);
        assert_eq!(
            answer.json(),
            json!({"error": "prices_changed", "items": [{"sku": "TEE-001", "variant": "M / Indigo", "unit_price": 2400}]})
        );
        assert_eq!(
            available(&app, "TEE-001", "M / Indigo").await,
            Some(1000),
            "nothing taken"
        );
        assert!(app.admin_get("/api/orders").await.json()["orders"]
            .as_array()
            .expect("list")
            .is_empty());
    }
}

#[tokio::test]
async fn a_tampered_shipping_price_or_discount_is_refused() {
    for db in databases("orders-tampered-discount").await {
        let app = App::new(&db).await;
        // Express priced as standard by the page.
        let mut body = order("key-s", &[MUG], "standard", None);
        body["shipping_method"] = json!("express");
        let answer = app.post("/api/orders", &body.to_string()).await;
        assert_eq!(answer.status, 409, "{}", answer.body);
        assert_eq!(
            answer.json(),
            json!({"error": "prices_changed", "items": [], "shipping": {"id": "express", "price": 1500}})
        );
        // A discount bigger than the code gives (FIVEOFF is 5.00), totals kept consistent.
        let mut body = order("key-d", &[TEE, MUG], "standard", Some("FIVEOFF"));
        let t = &mut body["totals"];
        let more = 2000 - 500;
        t["discount"] = json!(2000);
        t["total"] = json!(t["total"].as_i64().expect("total") - more);
        let answer = app.post("/api/orders", &body.to_string()).await;
        assert_eq!(answer.status, 422, "{}", answer.body);
        assert!(answer.json()["error"]
            .as_str()
            .expect("error")
            .contains("does not add up"));
        // An unknown code, and one below its minimum (WELCOME10 needs 30.00).
        let mut unknown = order("key-u", &[TEE], "standard", None);
        unknown["discount_code"] = json!("HALFOFF");
        assert_eq!(
            app.post("/api/orders", &unknown.to_string()).await.json(),
            json!({"error": "code_invalid"})
        );
        let mut low = order("key-l", &[MUG], "standard", None);
        low["discount_code"] = json!("WELCOME10");
        let answer = app.post("/api/orders", &low.to_string()).await;
        assert_eq!(
            (answer.status.as_u16(), answer.json()),
            (422, json!({"error": "code_invalid"}))
        );
        // The code honestly applied is fine.
        let fine = app
            .post(
                "/api/orders",
                &order("key-w", &[TEE], "standard", Some("welcome10")).to_string(),
            )
            .await;
        assert_eq!(fine.status, 201, "{}", fine.body);
    }
}

#[tokio::test]
async fn an_honest_price_change_in_the_catalog_is_reported_with_the_new_prices() {
    for db in databases("orders-price-change").await {
        let dir =
            std::env::temp_dir().join(format!("kago-catalog-{}-{}", std::process::id(), db.len()));
        std::fs::create_dir_all(&dir).expect("dir");
        let data = common::app::catalog_path();
        std::fs::copy(data.with_file_name("shop.html"), dir.join("shop.html")).expect("copy");
        let text = std::fs::read_to_string(&data).expect("catalog");
        std::fs::write(dir.join("catalog.json"), &text).expect("write");
        let app = App::with_catalog(&db, vec![dir.join("catalog.json")], Default::default()).await;
        assert_eq!(
            app.post(
                "/api/orders",
                &order("key-1", &[MUG], "standard", None).to_string()
            )
            .await
            .status,
            201
        );
        std::fs::write(
            dir.join("catalog.json"),
            text.replace("\"18.50\"", "\"19.00\""),
        )
        .expect("write");
        app.state
            .catalog
            .reload(&app.state.db)
            .await
            .expect("reload");
        let answer = app
            .post(
                "/api/orders",
                &order("key-2", &[MUG], "standard", None).to_string(),
            )
            .await;
        assert_eq!(answer.status, 409);
        assert_eq!(
            answer.json()["items"],
            json!([{"sku": "MUG-002", "variant": null, "unit_price": 1900}])
        );
        let repriced = app
            .post(
                "/api/orders",
                &order("key-3", &[("MUG-002", None, 1, 1900)], "standard", None).to_string(),
            )
            .await;
        assert_eq!(repriced.status, 201, "{}", repriced.body);
        // A broken file keeps the catalog in use.
        std::fs::write(dir.join("catalog.json"), "{").expect("write");
        assert!(app.state.catalog.reload(&app.state.db).await.is_err());
        assert_eq!(app.state.catalog.get().items.len(), 5);
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[tokio::test]
async fn sold_out_and_unknown_items_are_unavailable_and_stock_is_never_oversold() {
    for db in databases("orders-stock").await {
        let app = App::new(&db).await;
        let last = ("LAST-1", None, 1, 1000);
        let sold_out = ("TEE-001", Some("L / Indigo"), 1, 2400);
        let answer = app
            .post(
                "/api/orders",
                &order("key-x", &[sold_out, MUG], "standard", None).to_string(),
            )
            .await;
        assert_eq!(answer.status, 409, "{}", answer.body);
        assert_eq!(
            answer.json(),
            json!({"error": "unavailable", "items": [{"sku": "TEE-001", "variant": "L / Indigo", "available": 0}]})
        );
        let unknown = ("NOPE", None, 1, 100);
        assert_eq!(
            app.post(
                "/api/orders",
                &order("key-n", &[unknown], "standard", None).to_string()
            )
            .await
            .json(),
            json!({"error": "unavailable", "items": [{"sku": "NOPE", "variant": null, "available": 0}]})
        );
        // Eight shoppers want the last one at once: one gets it.
        let mut tasks = Vec::new();
        for n in 0..8 {
            let body = order(&format!("key-last-{n}"), &[last], "standard", None).to_string();
            let app = App {
                state: app.state.clone(),
                clock: app.clock.clone(),
                backend: app.backend,
            };
            tasks.push(tokio::spawn(async move {
                app.post("/api/orders", &body).await.status.as_u16()
            }));
        }
        let mut statuses = Vec::new();
        for task in tasks {
            statuses.push(task.await.expect("task"));
        }
        statuses.sort();
        assert_eq!(
            statuses,
            [201, 409, 409, 409, 409, 409, 409, 409],
            "{}",
            app.backend
        );
        assert_eq!(available(&app, "LAST-1", "").await, Some(0));
        // Unlimited stock stays unlimited.
        let gift = ("GIFT-CARD", None, 50, 2500);
        assert_eq!(
            app.post(
                "/api/orders",
                &order("key-g", &[gift], "standard", None).to_string()
            )
            .await
            .status,
            201
        );
        assert_eq!(available(&app, "GIFT-CARD", "").await, None);
    }
}

#[tokio::test]
async fn concurrent_requests_with_one_key_store_one_order() {
    for db in databases("orders-concurrent").await {
        let app = App::new(&db).await;
        let body = order("key-same", &[MUG], "standard", None).to_string();
        let mut tasks = Vec::new();
        for _ in 0..10 {
            let app = App {
                state: app.state.clone(),
                clock: app.clock.clone(),
                backend: app.backend,
            };
            let body = body.clone();
            tasks.push(tokio::spawn(async move {
                let a = app.post("/api/orders", &body).await;
                (a.status.as_u16(), a.json())
            }));
        }
        let mut created = 0;
        for task in tasks {
            let (status, answer) = task.await.expect("task");
            assert!(status == 200 || status == 201, "{status} {answer}");
            created += usize::from(status == 201);
            assert_eq!(answer["order_id"], "K-000001");
        }
        assert_eq!(created, 1);
        assert_eq!(
            available(&app, "MUG-002", "").await,
            Some(999),
            "stock taken once"
        );
    }
}

#[tokio::test]
async fn bodies_that_are_not_orders_are_bad_requests() {
    for db in databases("orders-bad").await {
        let app = App::new(&db).await;
        for (body, status, mentions) in [
            ("{\"idempotency_key\": ", 400, "not valid JSON"),
            ("", 400, "not valid JSON"),
            ("[1, 2]", 400, "JSON object"),
            ("{}", 400, "not a valid order"),
        ] {
            let a = app.post("/api/orders", body).await;
            assert_eq!(a.status, status, "{body}: {}", a.body);
            assert!(
                a.json()["error"]
                    .as_str()
                    .expect("error")
                    .contains(mentions),
                "{}",
                a.body
            );
        }
        let a = app
            .post(
                "/api/orders",
                &order("", &[MUG], "standard", None).to_string(),
            )
            .await;
        assert_eq!(a.status, 400);
        let mut huge = order("key-h", &[MUG], "standard", None);
        huge["padding"] = json!("x".repeat(300 * 1024));
        let a = app.post("/api/orders", &huge.to_string()).await;
        assert_eq!(a.status, 413, "{}", a.body);
        let mut jpy = order("key-j", &[MUG], "standard", None);
        jpy["currency"] = json!("EUR");
        assert_eq!(app.post("/api/orders", &jpy.to_string()).await.status, 422);
        assert!(app.admin_get("/api/orders").await.json()["orders"]
            .as_array()
            .expect("list")
            .is_empty());
    }
}

/// The widget's totals for a cart (`src/ui/state.rs`: the method's rules, the code found for
/// the subtotal, `price_cart`) are the server's, line for line, for any cart of the shop.
mod same_totals {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn the_servers_totals_equal_the_widgets(
            tees in 0u32..=5, mugs in 0u32..=8,
            express in any::<bool>(),
            code in prop_oneof![Just(None), Just(Some("WELCOME10")), Just(Some("FIVEOFF"))],
        ) {
            prop_assume!(tees + mugs > 0);
            let mut lines = Vec::new();
            if tees > 0 { lines.push(("TEE-001", Some("M / Indigo"), tees, 2400)); }
            if mugs > 0 { lines.push(("MUG-002", None, mugs, 1850)); }
            let body = order("k", &lines, if express { "express" } else { "standard" }, code);
            // The widget leaves out a code that gives nothing (below its minimum).
            let mut body = body;
            if body["totals"]["discount"] == 0 { body["discount_code"] = Value::Null; }
            let widget = body["totals"].clone();
            let parsed = kago_server::orders::parse_order(&body.to_string()).expect("order");
            let catalog = kago_server::catalog::Catalog::load(&[common::app::catalog_path()]).expect("catalog");
            let server = catalog.price(&parsed).expect("priced");
            prop_assert_eq!(widget["subtotal"].as_i64(), Some(server.subtotal.minor));
            prop_assert_eq!(widget["discount"].as_i64(), Some(server.discount.minor));
            prop_assert_eq!(widget["shipping"].as_i64(), Some(server.shipping.minor));
            prop_assert_eq!(widget["tax"].as_i64(), Some(server.tax.minor));
            prop_assert_eq!(widget["total"].as_i64(), Some(server.total.minor));
        }
    }
}

/// Random and extreme bodies: the server answers every one (never a 5xx) and keeps answering.
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    fn extreme() -> impl Strategy<Value = Value> {
        prop_oneof![
            any::<i64>().prop_map(|n| json!(n)),
            Just(json!(i64::MAX)),
            Just(json!(i64::MIN)),
            Just(json!(u64::MAX)),
            Just(json!(1e300)),
            Just(json!(-0.5)),
            Just(json!(null)),
            Just(json!("9999999999999999999999")),
            Just(json!([])),
            Just(json!({})),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]
        #[test]
        fn random_and_extreme_bodies_never_break_the_server(
            field in prop_oneof![
                Just("/totals/subtotal"), Just("/totals/shipping"), Just("/totals/tax"), Just("/totals/total"),
                Just("/totals/discount"), Just("/items/0/quantity"), Just("/items/0/unit_price"), Just("/items"),
                Just("/currency"), Just("/discount_code"), Just("/shipping_method"), Just("/cart_id"),
            ],
            value in extreme(),
            garbage in proptest::collection::vec(any::<u8>(), 0..64),
        ) {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            runtime.block_on(async {
                let dir = std::env::temp_dir().join(format!("kago-fuzz-{}", std::process::id()));
                let app = App::new(&dir.join("db.sqlite").display().to_string()).await;
                let mut body = order("fuzz", &[TEE, MUG], "standard", None);
                body["idempotency_key"] = json!(format!("fuzz-{}", rand_key(&garbage)));
                if let Some(slot) = body.pointer_mut(field) { *slot = value.clone(); } else { body["cart_id"] = value.clone(); }
                let answer = app.post("/api/orders", &body.to_string()).await;
                assert!(answer.status.as_u16() < 500, "{field} = {value}: {} {}", answer.status, answer.body);
                let raw = app.post("/api/orders", &String::from_utf8_lossy(&garbage)).await;
                assert!(raw.status.as_u16() < 500);
                assert_eq!(app.get("/healthz").await.status, 200);
            });
        }
    }

    fn rand_key(bytes: &[u8]) -> String {
        kago_server::orders::hex(bytes)
    }
}

#[tokio::test]
async fn a_delivery_date_or_time_the_shop_does_not_offer_is_refused() {
    use kago_core::delivery::{japan_today, selectable_dates, Weekday};
    // The test shop offers dates from 2 days after today in Japan, 14 of them, no Sundays, and
    // the slots "am" and "pm".
    let shop =
        kago_server::shop::load_page(&common::app::catalog_path().with_file_name("shop.html"))
            .expect("shop page");
    let dates = shop
        .delivery_dates
        .clone()
        .expect("the test shop offers dates");
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_millis() as u64;
    let today = japan_today(now_ms).expect("today");
    let offered = selectable_dates(today, &dates);
    // The second date offered: still offered if Japan's day turns while the test runs.
    let good = offered[1].to_string();
    let sunday = (2..30)
        .filter_map(|n| today.add_days(n))
        .find(|d| d.weekday() == Weekday::Sun)
        .expect("a Sunday within four weeks")
        .to_string();
    let with = |key: &str, date: Option<&str>, slot: Option<&str>| {
        let mut body = order(key, &[MUG], "standard", None);
        body["delivery_date"] = json!(date);
        body["delivery_slot"] = json!(slot);
        body.to_string()
    };
    for db in databases("orders-delivery").await {
        let app = App::new(&db).await;
        for (key, date, slot, why) in [
            ("d-today", Some(today.to_string()), None, "delivery date"),
            ("d-sunday", Some(sunday.clone()), None, "delivery date"),
            (
                "d-garbled",
                Some("2026-13-01".to_string()),
                None,
                "delivery date",
            ),
            (
                "d-slot",
                Some(good.clone()),
                Some("midnight"),
                "delivery time",
            ),
        ] {
            let answer = app
                .post("/api/orders", &with(key, date.as_deref(), slot))
                .await;
            assert_eq!(answer.status, 422, "{key}: {} {}", app.backend, answer.body);
            assert!(
                answer.body.contains(why) && answer.body.contains("not one this shop offers"),
                "{key}: {}",
                answer.body
            );
        }
        // What the shop offers, and 指定なし (both left out), are taken.
        let chosen = app
            .post("/api/orders", &with("d-good", Some(&good), Some("am")))
            .await;
        assert_eq!(chosen.status, 201, "{} {}", app.backend, chosen.body);
        assert_eq!(chosen.json(), json!({"order_id": "K-000001"}));
        let none = app.post("/api/orders", &with("d-none", None, None)).await;
        assert_eq!(none.status, 201, "{} {}", app.backend, none.body);
        assert_eq!(none.json(), json!({"order_id": "K-000002"}));
    }
}
