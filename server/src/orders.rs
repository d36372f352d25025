//! The demo order endpoint, stored in SQLite.
//!
//! - `POST /api/orders`: the checkout's order body ([`OrderRequest`]). A new idempotency key
//!   stores the order and answers `201 {"order_id": "K-000001"}`; the same key with the same
//!   body (compared by a SHA-256 of the body without its key) answers `200` with the same id
//!   and stores nothing; the same key with another body answers `409`. A body that is not an
//!   order answers `400`, one whose totals do not add up `422`, one over [`MAX_BODY`] `413`.
//! - `GET /api/orders`: every stored order, oldest first, with the body as it was sent.
//!
//! Each request opens its own connection and writes in a `BEGIN IMMEDIATE` transaction, and
//! the key is `UNIQUE`: concurrent requests with one key store exactly one row.

use std::fs;
use std::path::Path;
use std::time::Duration;

use kago_core::order::OrderRequest;
use rusqlite::{params, Connection, TransactionBehavior};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::Reply;

/// The largest order body accepted, in bytes (256 KiB).
pub const MAX_BODY: usize = 256 * 1024;

/// The longest idempotency key accepted, in bytes.
pub const MAX_KEY_LEN: usize = 200;

const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS orders (
    order_id TEXT PRIMARY KEY,
    idempotency_key TEXT UNIQUE NOT NULL,
    body_fingerprint TEXT,
    created_at TEXT,
    currency TEXT,
    total INTEGER,
    email TEXT,
    body TEXT
)";

/// Creates the database (and its parent directories) and the `orders` table if they are
/// missing; existing orders are kept.
pub fn init(db: &Path) -> Result<(), String> {
    if let Some(parent) = db.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    let conn = open(db).map_err(|e| format!("cannot open {}: {e}", db.display()))?;
    // WAL: readers (GET) never wait for a writer. The setting is stored in the file.
    conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0))
        .map_err(|e| format!("cannot set up {}: {e}", db.display()))?;
    Ok(())
}

fn open(db: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(db)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.execute_batch(SCHEMA)?;
    Ok(conn)
}

/// A JSON error answer: `{"error": message}`.
pub fn error(status: u16, message: &str) -> Reply {
    Reply::json(status, &json!({ "error": message }))
}

/// What storing an order did.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Stored {
    Created(String),
    Replayed(String),
    Conflict(String),
}

/// `POST /api/orders`.
pub fn create(db: &Path, body: &[u8]) -> Reply {
    if body.len() > MAX_BODY {
        let mut reply = error(413, "the order body is larger than 256 KiB");
        reply.headers.push(("Connection".into(), "close".into()));
        return reply;
    }
    let Ok(text) = std::str::from_utf8(body) else {
        return error(400, "the body is not UTF-8 text");
    };
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(_)) => {}
        Ok(_) => return error(400, "the body must be a JSON object (an order)"),
        Err(e) => return error(400, &format!("the body is not valid JSON: {e}")),
    }
    let mut reader = serde_json::Deserializer::from_str(text);
    let order: OrderRequest = match serde_path_to_error::deserialize(&mut reader) {
        Ok(order) => order,
        Err(e) => {
            let (path, inner) = (e.path().to_string(), e.into_inner());
            return error(
                400,
                &format!("the body is not a valid order: {path}: {inner}"),
            );
        }
    };
    if order.idempotency_key.trim().is_empty() {
        return error(400, "idempotency_key is empty");
    }
    if order.idempotency_key.len() > MAX_KEY_LEN {
        return error(
            400,
            &format!("idempotency_key is longer than {MAX_KEY_LEN} bytes"),
        );
    }
    if let Err(problem) = order.check_totals() {
        return error(422, &format!("the order does not add up: {problem}"));
    }
    match store(db, &order, text, &fingerprint(&order)) {
        Ok(Stored::Created(order_id)) => Reply::json(201, &json!({ "order_id": order_id })),
        Ok(Stored::Replayed(order_id)) => Reply::json(200, &json!({ "order_id": order_id })),
        Ok(Stored::Conflict(order_id)) => error(
            409,
            &format!(
                "idempotency_key {:?} was already used for order {order_id} with a different body",
                order.idempotency_key
            ),
        ),
        Err(e) => {
            eprintln!("kago-server: storing an order in {}: {e}", db.display());
            error(500, "the order could not be stored; please try again")
        }
    }
}

/// SHA-256 (hex) of the order without its idempotency key, in the order type's own field
/// order: the same order sent again with other spacing or key order has the same fingerprint.
pub fn fingerprint(order: &OrderRequest) -> String {
    let mut same = order.clone();
    same.idempotency_key.clear();
    // Through serde_json, whose objects sort their keys: nested key order does not count either.
    let canonical = serde_json::to_value(&same)
        .map(|v| v.to_string())
        .unwrap_or_default();
    Sha256::digest(canonical.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn store(
    db: &Path,
    order: &OrderRequest,
    body: &str,
    fingerprint: &str,
) -> rusqlite::Result<Stored> {
    let mut conn = open(db)?;
    // IMMEDIATE takes the write lock up front: the next number and the insert see one state.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let next: i64 = tx.query_row("SELECT COALESCE(MAX(rowid), 0) + 1 FROM orders", [], |r| {
        r.get(0)
    })?;
    let order_id = format!("K-{next:06}");
    let inserted = tx.execute(
        "INSERT INTO orders (rowid, order_id, idempotency_key, body_fingerprint, created_at,
                             currency, total, email, body)
         VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?5, ?6, ?7, ?8)
         ON CONFLICT (idempotency_key) DO NOTHING",
        params![
            next,
            order_id,
            order.idempotency_key,
            fingerprint,
            order.currency,
            order.totals.total,
            order.contact.email,
            body,
        ],
    )?;
    let stored = if inserted == 1 {
        Stored::Created(order_id)
    } else {
        let (existing, existing_fingerprint): (String, Option<String>) = tx.query_row(
            "SELECT order_id, body_fingerprint FROM orders WHERE idempotency_key = ?1",
            [&order.idempotency_key],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if existing_fingerprint.as_deref() == Some(fingerprint) {
            Stored::Replayed(existing)
        } else {
            Stored::Conflict(existing)
        }
    };
    tx.commit()?;
    Ok(stored)
}

/// `GET /api/orders`: `{"orders": [{order_id, idempotency_key, created_at, currency, total,
/// body}]}`, oldest first; `body` is the JSON object as it was sent.
pub fn list(db: &Path) -> Reply {
    match read_all(db) {
        Ok(orders) => Reply::json(200, &json!({ "orders": orders })),
        Err(e) => {
            eprintln!("kago-server: reading orders from {}: {e}", db.display());
            error(500, "the orders could not be read")
        }
    }
}

fn read_all(db: &Path) -> rusqlite::Result<Vec<Value>> {
    let conn = open(db)?;
    let mut statement = conn.prepare(
        "SELECT order_id, idempotency_key, created_at, currency, total, body
         FROM orders ORDER BY rowid",
    )?;
    let rows = statement.query_map([], |r| {
        let body: String = r.get(5)?;
        Ok(json!({
            "order_id": r.get::<_, String>(0)?,
            "idempotency_key": r.get::<_, String>(1)?,
            "created_at": r.get::<_, Option<String>>(2)?,
            "currency": r.get::<_, Option<String>>(3)?,
            "total": r.get::<_, Option<i64>>(4)?,
            "body": serde_json::from_str::<Value>(&body).unwrap_or(Value::String(body)),
        }))
    })?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{handle, Config, Request};
    use std::sync::{Arc, Barrier};
    use std::thread;

    /// A config whose database is a fresh file in its own temp directory.
    fn fresh(name: &str) -> Config {
        let dir =
            std::env::temp_dir().join(format!("kago-server-orders-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let db = dir.join("nested/orders.sqlite");
        init(&db).expect("init creates the parent directories and the table");
        Config {
            roots: vec![std::env::temp_dir()],
            port: 0,
            csp: true,
            db,
        }
    }

    fn cleanup(config: &Config) {
        if let Some(dir) = config.db.parent().and_then(Path::parent) {
            let _ = fs::remove_dir_all(dir);
        }
    }

    fn order(key: &str) -> Value {
        json!({
            "idempotency_key": key,
            "currency": "USD",
            "items": [
                {"sku": "TEE-001", "variant": "M / Indigo", "name": "Organic cotton tee",
                 "quantity": 2, "unit_price": 2400},
                {"sku": "MUG-002", "variant": null, "name": "Stoneware mug",
                 "quantity": 1, "unit_price": 1850}
            ],
            "totals": {"subtotal": 6650, "discount": 0, "shipping": 500, "tax": 572,
                       "tax_included": false, "total": 7722},
            "contact": {"email": "ada@example.com", "name": "Ada Lovelace", "phone": null},
            "shipping_address": {"country": "US", "postal_code": "10001", "region": "NY",
                                 "city": "New York", "line1": "1 Main St", "line2": null},
            "shipping_method": "standard",
            "payment_method": "card",
            "discount_code": null,
            "locale": "en"
        })
    }

    fn post(config: &Config, body: impl Into<Vec<u8>>) -> Reply {
        let mut req = Request::new("POST", "/api/orders");
        req.body = body.into();
        handle(config, &req)
    }

    fn post_json(config: &Config, body: &Value) -> Reply {
        post(config, body.to_string())
    }

    fn body(reply: &Reply) -> Value {
        serde_json::from_slice(&reply.body).expect("a JSON answer")
    }

    fn orders(config: &Config) -> Vec<Value> {
        let reply = handle(config, &Request::new("GET", "/api/orders"));
        assert_eq!(reply.status, 200);
        body(&reply)["orders"]
            .as_array()
            .expect("an orders list")
            .clone()
    }

    fn assert_json_headers(reply: &Reply) {
        assert_eq!(reply.header("content-type"), Some("application/json"));
        assert_eq!(reply.header("cache-control"), Some("no-store"));
    }

    fn assert_error(reply: &Reply, status: u16, mentions: &str) {
        assert_eq!(
            reply.status,
            status,
            "{}",
            String::from_utf8_lossy(&reply.body)
        );
        assert_json_headers(reply);
        let message = body(reply)["error"]
            .as_str()
            .expect("an error text")
            .to_string();
        assert!(
            message.contains(mentions),
            "error {message:?} should mention {mentions:?}"
        );
    }

    #[test]
    fn a_new_key_creates_sequential_orders_listed_oldest_first() {
        let config = fresh("create");
        let first = post_json(&config, &order("key-a"));
        assert_eq!(first.status, 201);
        assert_json_headers(&first);
        assert_eq!(body(&first), json!({"order_id": "K-000001"}));
        let second = post_json(&config, &order("key-b"));
        assert_eq!(second.status, 201);
        assert_eq!(body(&second), json!({"order_id": "K-000002"}));

        let list = orders(&config);
        assert_eq!(list.len(), 2);
        assert_eq!(list[0]["order_id"], "K-000001");
        assert_eq!(list[0]["idempotency_key"], "key-a");
        assert_eq!(list[0]["currency"], "USD");
        assert_eq!(list[0]["total"], 7722);
        assert_eq!(list[0]["body"], order("key-a"), "the body exactly as sent");
        let created = list[0]["created_at"].as_str().expect("created_at");
        assert!(
            created.len() == 24 && created.ends_with('Z'),
            "RFC 3339 UTC: {created}"
        );
        assert_eq!(list[1]["order_id"], "K-000002");

        let row: (String, Option<String>) = open(&config.db)
            .expect("open")
            .query_row(
                "SELECT email, body_fingerprint FROM orders WHERE order_id = 'K-000001'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("row");
        assert_eq!(row.0, "ada@example.com");
        assert_eq!(row.1.map(|f| f.len()), Some(64), "SHA-256 hex");
        cleanup(&config);
    }

    #[test]
    fn the_same_key_and_body_replays_the_order_without_a_new_row() {
        let config = fresh("replay");
        assert_eq!(post_json(&config, &order("key-r")).status, 201);
        let again = post_json(&config, &order("key-r"));
        assert_eq!(again.status, 200);
        assert_json_headers(&again);
        assert_eq!(body(&again), json!({"order_id": "K-000001"}));
        // Other spacing and member order is the same order.
        let mut without_locale = order("key-r");
        without_locale
            .as_object_mut()
            .expect("object")
            .remove("locale");
        let reordered = serde_json::to_string_pretty(&without_locale)
            .expect("json")
            .replacen('{', "{ \"locale\" :  \"en\",\n", 1);
        assert!(reordered.starts_with("{ \"locale\""));
        let replay = post(&config, reordered);
        assert_eq!(replay.status, 200);
        assert_eq!(body(&replay), json!({"order_id": "K-000001"}));
        assert_eq!(orders(&config).len(), 1);
        // The next new order still gets the next number.
        assert_eq!(
            body(&post_json(&config, &order("key-s"))),
            json!({"order_id": "K-000002"})
        );
        cleanup(&config);
    }

    #[test]
    fn the_same_key_with_another_body_is_a_conflict() {
        let config = fresh("conflict");
        assert_eq!(post_json(&config, &order("key-c")).status, 201);
        let mut other = order("key-c");
        other["shipping_method"] = json!("express");
        let reply = post_json(&config, &other);
        assert_error(&reply, 409, "key-c");
        let list = orders(&config);
        assert_eq!(list.len(), 1);
        assert_eq!(list[0]["body"]["shipping_method"], "standard");
        cleanup(&config);
    }

    #[test]
    fn totals_that_do_not_add_up_are_refused() {
        let config = fresh("totals");
        let mut bad = order("key-t");
        bad["totals"]["total"] = json!(7721);
        assert_error(&post_json(&config, &bad), 422, "7722");
        let mut bad = order("key-t");
        bad["items"] = json!([]);
        assert_error(&post_json(&config, &bad), 422, "no items");
        assert!(orders(&config).is_empty());
        cleanup(&config);
    }

    #[test]
    fn bodies_that_are_not_orders_are_bad_requests() {
        let config = fresh("bad");
        assert_error(
            &post(&config, "{\"idempotency_key\": "),
            400,
            "not valid JSON",
        );
        assert_error(&post(&config, ""), 400, "not valid JSON");
        assert_error(&post(&config, vec![0xff, 0xfe]), 400, "UTF-8");
        assert_error(&post(&config, "[1, 2]"), 400, "JSON object");
        let mut missing = order("key-m");
        missing.as_object_mut().expect("object").remove("totals");
        assert_error(&post_json(&config, &missing), 400, "missing field `totals`");
        let mut wrong = order("key-w");
        wrong["items"][0]["quantity"] = json!("2");
        assert_error(
            &post_json(&config, &wrong),
            400,
            "items[0].quantity: invalid type: string",
        );
        assert_error(&post_json(&config, &order("")), 400, "idempotency_key");
        assert_error(&post_json(&config, &order("  ")), 400, "idempotency_key");
        assert_error(
            &post_json(&config, &order(&"k".repeat(MAX_KEY_LEN + 1))),
            400,
            "idempotency_key",
        );
        let mut huge = order("key-h");
        huge["padding"] = json!("x".repeat(MAX_BODY));
        assert_error(&post_json(&config, &huge), 413, "256 KiB");
        assert!(orders(&config).is_empty());
        cleanup(&config);
    }

    #[test]
    fn unknown_api_paths_and_methods_answer_json() {
        let config = fresh("routes");
        assert_error(
            &handle(&config, &Request::new("GET", "/api/nothing")),
            404,
            "/api/nothing",
        );
        assert_error(&handle(&config, &Request::new("POST", "/api")), 404, "/api");
        let put = handle(&config, &Request::new("PUT", "/api/orders"));
        assert_error(&put, 405, "GET or POST");
        assert_eq!(put.header("allow"), Some("GET, HEAD, POST"));
        let list = handle(&config, &Request::new("GET", "/api/orders?x=1"));
        assert_json_headers(&list);
        assert_eq!(body(&list), json!({"orders": []}));
        cleanup(&config);
    }

    #[test]
    fn orders_persist_across_restarts() {
        let config = fresh("restart");
        assert_eq!(post_json(&config, &order("key-p")).status, 201);
        init(&config.db).expect("a second start keeps the table");
        assert_eq!(orders(&config).len(), 1);
        assert_eq!(post_json(&config, &order("key-p")).status, 200);
        assert_eq!(
            body(&post_json(&config, &order("key-q"))),
            json!({"order_id": "K-000002"})
        );
        cleanup(&config);
    }

    fn in_parallel(config: &Config, bodies: Vec<Value>) -> Vec<Reply> {
        let barrier = Arc::new(Barrier::new(bodies.len()));
        let handles: Vec<_> = bodies
            .into_iter()
            .map(|body| {
                let config = config.clone();
                let barrier = Arc::clone(&barrier);
                thread::spawn(move || {
                    barrier.wait();
                    post_json(&config, &body)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("no panic"))
            .collect()
    }

    #[test]
    fn concurrent_requests_with_one_key_store_one_order() {
        let config = fresh("concurrent");
        let replies = in_parallel(&config, (0..12).map(|_| order("key-same")).collect());
        let created = replies.iter().filter(|r| r.status == 201).count();
        let replayed = replies.iter().filter(|r| r.status == 200).count();
        assert_eq!((created, replayed), (1, 11), "one create, the rest replays");
        for reply in &replies {
            assert_eq!(body(reply), json!({"order_id": "K-000001"}));
        }
        assert_eq!(orders(&config).len(), 1);
        cleanup(&config);
    }

    #[test]
    fn concurrent_requests_with_different_keys_get_distinct_numbers() {
        let config = fresh("distinct");
        let replies = in_parallel(
            &config,
            (0..8).map(|i| order(&format!("key-{i}"))).collect(),
        );
        let mut ids: Vec<String> = replies
            .iter()
            .map(|r| {
                assert_eq!(r.status, 201);
                body(r)["order_id"].as_str().expect("id").to_string()
            })
            .collect();
        ids.sort();
        let expected: Vec<String> = (1..=8).map(|n| format!("K-{n:06}")).collect();
        assert_eq!(ids, expected);
        assert_eq!(orders(&config).len(), 8);
        cleanup(&config);
    }

    #[test]
    fn the_fingerprint_ignores_the_key_only() {
        let a: OrderRequest = serde_json::from_str(&order("one").to_string()).expect("order");
        let b: OrderRequest = serde_json::from_str(&order("two").to_string()).expect("order");
        assert_eq!(fingerprint(&a), fingerprint(&b));
        let mut c = b.clone();
        c.contact.email = "someone@example.com".into();
        assert_ne!(fingerprint(&a), fingerprint(&c));
    }
}
