//! The demo funnel-event endpoint (the widget's `data-endpoint`), stored in SQLite.
//!
//! - `POST /api/events`: a Kago batch `{"schema": 1, "sent_at", "dropped", "events": [...]}` or
//!   a Segment/RudderStack batch `{"batch": [{"type": "track", ...}], "sentAt"}` (mapped back
//!   to Kago events through `properties.kago_type` or the event name), sent as `text/plain` or
//!   `application/json`. Every event needs a string `id`, `type` and `at`; a batch with one that
//!   lacks them is refused whole (`400`) and nothing of it is stored. Events are stored once per
//!   `id` (`INSERT OR IGNORE`: delivery is at least once), and every batch is recorded with its
//!   `dropped` count. Answers `200 {"accepted": n, "duplicates": m}` (`n` newly stored, `m`
//!   already known, `n + m` = events in the batch), `400` for a body that is not a batch, `413`
//!   over [`MAX_BODY`].
//! - `GET /api/events?type=&cart_id=&session_id=`: `{"events": [...]}`, the stored events (as
//!   Kago events) in arrival order, filtered by the parameters given.
//! - `OPTIONS /api/events`: the CORS preflight. Every answer carries
//!   `Access-Control-Allow-Origin: *`, so a shop on another origin can send (and read answers).

use std::path::Path;
use std::time::Duration;

use rusqlite::{params, Connection, TransactionBehavior};
use serde_json::{json, Map, Value};

use kago_core::events::EventType;

use crate::Reply;

/// The largest batch body accepted, in bytes (128 KiB; the widget sends under 60 KiB).
pub const MAX_BODY: usize = 128 * 1024;

/// The longest `id`, `type` or `at` accepted, in bytes.
const MAX_FIELD_LEN: usize = 200;

const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    at TEXT NOT NULL,
    session_id TEXT,
    cart_id TEXT,
    device TEXT,
    locale TEXT,
    currency TEXT,
    page TEXT,
    value INTEGER,
    last_step TEXT,
    reason TEXT,
    step TEXT,
    rating INTEGER,
    body TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_type_at ON events (type, at);
CREATE INDEX IF NOT EXISTS events_cart ON events (cart_id);
CREATE TABLE IF NOT EXISTS batches (
    received_at TEXT NOT NULL,
    count INTEGER NOT NULL,
    dropped INTEGER NOT NULL,
    format TEXT NOT NULL
)";

/// Creates the `events` and `batches` tables if they are missing (the database file and its
/// directory are made by [`crate::orders::init`]).
pub fn init(db: &Path) -> Result<(), String> {
    open(db)
        .map(drop)
        .map_err(|e| format!("cannot set up the event tables in {}: {e}", db.display()))
}

pub(crate) fn open(db: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(db)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.execute_batch(SCHEMA)?;
    Ok(conn)
}

/// Adds the CORS headers every `/api/events` answer carries.
fn cors(mut reply: Reply) -> Reply {
    reply
        .headers
        .push(("Access-Control-Allow-Origin".into(), "*".into()));
    reply
}

fn error(status: u16, message: &str) -> Reply {
    cors(crate::orders::error(status, message))
}

/// Answers any request to `/api/events`.
pub fn handle(db: &Path, method: &str, query: &str, body: &[u8]) -> Reply {
    match method {
        "POST" => receive(db, body),
        "GET" | "HEAD" => list(db, query),
        "OPTIONS" => {
            let mut reply = cors(Reply::new(204, "text/plain; charset=utf-8", Vec::new()));
            reply.headers.extend([
                ("Access-Control-Allow-Methods".into(), "POST".into()),
                ("Access-Control-Allow-Headers".into(), "Content-Type".into()),
                ("Access-Control-Max-Age".into(), "86400".into()),
            ]);
            reply
        }
        _ => {
            let mut reply = error(405, "use POST (or GET to read) on /api/events");
            reply
                .headers
                .push(("Allow".into(), "GET, HEAD, POST, OPTIONS".into()));
            reply
        }
    }
}

/// Which wire format a batch came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Kago,
    Segment,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Kago => "kago",
            Format::Segment => "segment",
        }
    }
}

/// A batch read from a request body: its events as Kago events, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    pub format: Format,
    pub dropped: u64,
    pub events: Vec<Value>,
    /// Segment calls that are not `track` (identify, page…): not funnel events, not stored.
    pub ignored: usize,
}

/// Reads a Kago or Segment batch; `Err` is the message of a `400`.
pub fn parse_batch(body: &[u8]) -> Result<Batch, String> {
    let text = std::str::from_utf8(body).map_err(|_| "the body is not UTF-8 text".to_string())?;
    let value: Value =
        serde_json::from_str(text).map_err(|e| format!("the body is not valid JSON: {e}"))?;
    let Value::Object(batch) = value else {
        return Err("the body must be a JSON object (an event batch)".into());
    };
    let dropped = |v: Option<&Value>| v.and_then(Value::as_u64).unwrap_or(0);
    let (format, dropped, events, ignored) =
        match (batch.get("events"), batch.get("batch")) {
            (Some(Value::Array(events)), _) => (
                Format::Kago,
                dropped(batch.get("dropped")),
                events.clone(),
                0,
            ),
            (None, Some(Value::Array(calls))) => {
                let mut events = Vec::new();
                let mut ignored = 0;
                for (n, call) in calls.iter().enumerate() {
                    match call.get("type").and_then(Value::as_str) {
                        Some("track") => events.push(from_segment(call)),
                        Some(_) => ignored += 1,
                        None => return Err(format!("batch[{n}] has no \"type\" (track, page…)")),
                    }
                }
                let dropped = dropped(batch.get("context").and_then(|c| c.get("dropped")));
                (Format::Segment, dropped, events, ignored)
            }
            _ => return Err(
                "expected a Kago batch {\"events\": [...]} or a Segment batch {\"batch\": [...]}"
                    .into(),
            ),
        };
    for (n, event) in events.iter().enumerate() {
        check_event(event).map_err(|problem| format!("event {n}: {problem}"))?;
    }
    Ok(Batch {
        format,
        dropped,
        events,
        ignored,
    })
}

fn check_event(event: &Value) -> Result<(), String> {
    if !event.is_object() {
        return Err("is not a JSON object".into());
    }
    for key in ["id", "type", "at"] {
        match event.get(key) {
            Some(Value::String(s)) if !s.is_empty() && s.len() <= MAX_FIELD_LEN => {}
            Some(Value::String(_)) => {
                return Err(format!(
                    "\"{key}\" is empty or longer than {MAX_FIELD_LEN} bytes"
                ))
            }
            Some(_) => return Err(format!("\"{key}\" is not a string")),
            None => return Err(format!("has no \"{key}\"")),
        }
    }
    Ok(())
}

/// A Segment/RudderStack `track` call as the Kago event it came from (see
/// `kago_core::events::to_segment`): `messageId` → `id`, `timestamp` → `at`,
/// `anonymousId` → `session_id`, `context` → `device`/`locale`/`page`/`contact`, `products` →
/// `items`, every other property as it is. The type is `properties.kago_type`, else the Kago
/// type of the Segment name, else the Segment name itself.
pub fn from_segment(call: &Value) -> Value {
    let properties = call.get("properties").and_then(Value::as_object);
    let context = call.get("context");
    let name = call.get("event").and_then(Value::as_str);
    let kind = properties
        .and_then(|p| p.get("kago_type"))
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| {
            let name = name?;
            Some(
                EventType::all()
                    .find(|t| t.segment_name() == name)
                    .map_or_else(|| name.to_string(), |t| t.name().to_string()),
            )
        });
    let mut event = Map::new();
    event.insert("schema".into(), json!(1));
    let mut put = |key: &str, value: Option<Value>| {
        if let Some(value) = value.filter(|v| !v.is_null()) {
            event.insert(key.into(), value);
        }
    };
    put("id", call.get("messageId").cloned());
    put("type", kind.map(Value::String));
    put("at", call.get("timestamp").cloned());
    put(
        "session_id",
        call.get("anonymousId")
            .or_else(|| call.get("userId"))
            .cloned(),
    );
    let from_context = |path: &[&str]| path.iter().try_fold(context?, |v, key| v.get(key)).cloned();
    put("device", from_context(&["device", "type"]));
    put("locale", from_context(&["locale"]));
    put("page", from_context(&["page", "path"]));
    if let Some(email) = from_context(&["traits", "email"]) {
        put("contact", Some(json!({ "email": email })));
    }
    for (key, value) in properties.into_iter().flatten() {
        match key.as_str() {
            "kago_type" => {}
            "products" => {
                let items: Vec<Value> = value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|p| {
                        json!({
                            "sku": p.get("sku").or_else(|| p.get("product_id")).cloned().unwrap_or(Value::Null),
                            "variant": p.get("variant").cloned().unwrap_or(Value::Null),
                            "quantity": p.get("quantity").cloned().unwrap_or(Value::Null),
                            "unit_price": p.get("price").cloned().unwrap_or(Value::Null),
                        })
                    })
                    .collect();
                event.insert("items".into(), Value::Array(items));
            }
            _ => {
                event.entry(key.clone()).or_insert_with(|| value.clone());
            }
        }
    }
    Value::Object(event)
}

/// What storing a batch did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stored {
    pub accepted: usize,
    pub duplicates: usize,
}

/// Stores a batch in one transaction: each event once per id, and the batch's record.
pub fn store(db: &Path, batch: &Batch) -> rusqlite::Result<Stored> {
    let mut conn = open(db)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let received_at: String =
        tx.query_row("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')", [], |r| {
            r.get(0)
        })?;
    let mut accepted = 0;
    {
        let mut insert = tx.prepare(
            "INSERT OR IGNORE INTO events (id, type, at, session_id, cart_id, device, locale,
                currency, page, value, last_step, reason, step, rating, body, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        )?;
        for event in &batch.events {
            let text = |key: &str| event.get(key).and_then(Value::as_str);
            let number = |key: &str| event.get(key).and_then(Value::as_i64);
            accepted += insert.execute(params![
                text("id"),
                text("type"),
                text("at"),
                text("session_id"),
                text("cart_id"),
                text("device"),
                text("locale"),
                text("currency"),
                text("page"),
                number("value"),
                text("last_step"),
                text("reason"),
                text("step"),
                number("rating"),
                event.to_string(),
                received_at,
            ])?;
        }
    }
    tx.execute(
        "INSERT INTO batches (received_at, count, dropped, format) VALUES (?1, ?2, ?3, ?4)",
        params![
            received_at,
            batch.events.len() as i64,
            i64::try_from(batch.dropped).unwrap_or(i64::MAX),
            batch.format.name(),
        ],
    )?;
    tx.commit()?;
    Ok(Stored {
        accepted,
        duplicates: batch.events.len() - accepted,
    })
}

/// `POST /api/events`.
pub fn receive(db: &Path, body: &[u8]) -> Reply {
    if body.len() > MAX_BODY {
        let mut reply = error(413, "the event batch is larger than 128 KiB");
        reply.headers.push(("Connection".into(), "close".into()));
        return reply;
    }
    let batch = match parse_batch(body) {
        Ok(batch) => batch,
        Err(message) => return error(400, &message),
    };
    match store(db, &batch) {
        Ok(stored) => {
            let mut answer = json!({"accepted": stored.accepted, "duplicates": stored.duplicates});
            if batch.ignored > 0 {
                answer["ignored"] = json!(batch.ignored);
            }
            cors(Reply::json(200, &answer))
        }
        Err(e) => {
            eprintln!("kago-server: storing events in {}: {e}", db.display());
            error(
                500,
                "the events could not be stored; please send them again",
            )
        }
    }
}

/// The `name=value` pairs of a query string, decoded (`+` is a space).
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| crate::percent_decode(&s.replace('+', " "));
            Some((decode(name)?, decode(value)?))
        })
        .collect()
}

/// `GET /api/events`: the stored events in arrival order, by `type`, `cart_id`, `session_id`.
pub fn list(db: &Path, query: &str) -> Reply {
    let filters: Vec<(String, String)> = query_pairs(query)
        .into_iter()
        .filter(|(name, value)| {
            matches!(name.as_str(), "type" | "cart_id" | "session_id") && !value.is_empty()
        })
        .collect();
    match read(db, &filters) {
        Ok(events) => cors(Reply::json(200, &json!({ "events": events }))),
        Err(e) => {
            eprintln!("kago-server: reading events from {}: {e}", db.display());
            error(500, "the events could not be read")
        }
    }
}

fn read(db: &Path, filters: &[(String, String)]) -> rusqlite::Result<Vec<Value>> {
    let conn = open(db)?;
    // The column names come from the fixed list above, the values are bound.
    let mut sql = "SELECT body FROM events WHERE 1".to_string();
    for (n, (name, _)) in filters.iter().enumerate() {
        sql.push_str(&format!(" AND {name} = ?{}", n + 1));
    }
    sql.push_str(" ORDER BY rowid");
    let mut statement = conn.prepare(&sql)?;
    let values = rusqlite::params_from_iter(filters.iter().map(|(_, v)| v));
    let rows = statement.query_map(values, |r| r.get::<_, String>(0))?;
    rows.map(|body| body.map(|b| serde_json::from_str(&b).unwrap_or(Value::String(b))))
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::{handle as route, Config, Request};
    use kago_core::event_queue::{batch_body, Format as WireFormat};
    use std::fs;

    /// A config whose database is a fresh file in its own temp directory.
    pub(crate) fn fresh(name: &str) -> Config {
        let dir =
            std::env::temp_dir().join(format!("kago-server-events-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let db = dir.join("events.sqlite");
        crate::orders::init(&db).expect("init the database");
        init(&db).expect("init the event tables");
        Config {
            roots: vec![std::env::temp_dir()],
            port: 0,
            csp: true,
            db,
        }
    }

    pub(crate) fn cleanup(config: &Config) {
        if let Some(dir) = config.db.parent() {
            let _ = fs::remove_dir_all(dir);
        }
    }

    /// A Kago event as the widget builds it.
    pub(crate) fn event(id: &str, kind: &str, extra: Value) -> Value {
        let mut e = json!({
            "schema": 1, "id": id, "type": kind, "at": "2026-11-23T09:41:07.123Z",
            "session_id": "s-1", "cart_id": "c-1", "device": "mobile", "locale": "en",
            "currency": "USD", "page": "/",
        });
        for (k, v) in extra.as_object().into_iter().flatten() {
            e[k] = v.clone();
        }
        e
    }

    pub(crate) fn post(config: &Config, body: impl Into<Vec<u8>>) -> Reply {
        let mut req = Request::new("POST", "/api/events");
        req.body = body.into();
        route(config, &req)
    }

    /// The events as the widget's own JSON values.
    fn widget_values(events: &[Value]) -> Vec<kago_core::event_queue::QueuedEvent> {
        events
            .iter()
            .map(|e| {
                let event: kago_core::events::Event =
                    serde_json::from_value(e.clone()).expect("a widget event");
                kago_core::event_queue::QueuedEvent::new(&event)
            })
            .collect()
    }

    fn kago_batch(events: &[Value], dropped: u32) -> String {
        batch_body(
            &widget_values(events),
            dropped,
            1_795_426_867_123,
            WireFormat::Kago,
        )
    }

    fn answer(reply: &Reply) -> Value {
        serde_json::from_slice(&reply.body).expect("a JSON answer")
    }

    fn stored(config: &Config, query: &str) -> Vec<Value> {
        let reply = route(config, &Request::new("GET", &format!("/api/events{query}")));
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
        answer(&reply)["events"].as_array().expect("events").clone()
    }

    fn batches(config: &Config) -> Vec<(i64, i64, String)> {
        let conn = open(&config.db).expect("open");
        let mut s = conn
            .prepare("SELECT count, dropped, format FROM batches ORDER BY rowid")
            .expect("prepare");
        let rows = s
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("query");
        rows.map(|r| r.expect("row")).collect()
    }

    #[test]
    fn events_are_stored_once_across_batches() {
        let config = fresh("dedup");
        let a = event("e-1", "cart_viewed", json!({"value": 4800}));
        let b = event("e-2", "checkout_started", json!({}));
        let c = event("e-3", "step_viewed", json!({"step": "contact"}));
        let first = post(&config, kago_batch(&[a.clone(), b.clone()], 0));
        assert_eq!(first.status, 200);
        assert_eq!(first.header("access-control-allow-origin"), Some("*"));
        assert_eq!(answer(&first), json!({"accepted": 2, "duplicates": 0}));
        // A retried batch, with one new event and one repeated inside the batch.
        let second = post(
            &config,
            kago_batch(&[a.clone(), b.clone(), c.clone(), c], 3),
        );
        assert_eq!(answer(&second), json!({"accepted": 1, "duplicates": 3}));
        let again = post(&config, kago_batch(&[a.clone(), b.clone()], 0));
        assert_eq!(answer(&again), json!({"accepted": 0, "duplicates": 2}));

        let all = stored(&config, "");
        let ids: Vec<&str> = all.iter().map(|e| e["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["e-1", "e-2", "e-3"], "each once, in arrival order");
        assert_eq!(all[0], a, "the body as sent");
        assert_eq!(
            batches(&config),
            [
                (2, 0, "kago".into()),
                (4, 3, "kago".into()),
                (2, 0, "kago".into())
            ]
        );
        let row: (String, Option<i64>, Option<String>) = open(&config.db)
            .unwrap()
            .query_row(
                "SELECT type, value, step FROM events WHERE id = 'e-1'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(row, ("cart_viewed".into(), Some(4800), None));
        cleanup(&config);
    }

    #[test]
    fn the_list_filters_by_type_cart_and_session() {
        let config = fresh("filters");
        let events = [
            event("e-1", "cart_viewed", json!({"cart_id": "c 1"})),
            event("e-2", "cart_viewed", json!({"cart_id": "c-2"})),
            event(
                "e-3",
                "step_viewed",
                json!({"cart_id": "c-2", "session_id": "s-9", "step": "contact"}),
            ),
        ];
        assert_eq!(post(&config, kago_batch(&events, 0)).status, 200);
        let ids = |q: &str| -> Vec<String> {
            stored(&config, q)
                .iter()
                .map(|e| e["id"].as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(ids("?type=cart_viewed"), ["e-1", "e-2"]);
        assert_eq!(ids("?cart_id=c-2"), ["e-2", "e-3"]);
        assert_eq!(ids("?cart_id=c+1"), ["e-1"]);
        assert_eq!(ids("?cart_id=c%201&type=cart_viewed"), ["e-1"]);
        assert_eq!(ids("?session_id=s-9&type=step_viewed"), ["e-3"]);
        assert_eq!(ids("?type=&unknown=1"), ["e-1", "e-2", "e-3"]);
        assert!(ids("?type=x' OR 1=1 --").is_empty());
        cleanup(&config);
    }

    #[test]
    fn segment_batches_are_mapped_back_to_kago_events() {
        let config = fresh("segment");
        let original = event(
            "e-seg-1",
            "step_completed",
            json!({
                "step": "contact", "value": 4800,
                "items": [{"sku": "TEE", "variant": "M", "quantity": 2, "unit_price": 2400}],
                "contact": {"email": "ada@example.com"},
            }),
        );
        let abandoned = event(
            "e-seg-2",
            "checkout_abandoned",
            json!({"last_step": "delivery", "duration_ms": 5, "trigger": "closed", "reason": "shipping_cost"}),
        );
        let mut body: Value = serde_json::from_str(&batch_body(
            &widget_values(&[original.clone(), abandoned]),
            2,
            0,
            WireFormat::Segment,
        ))
        .unwrap();
        // A call without kago_type is mapped by its Segment name; other calls are skipped.
        let mut by_name = body["batch"][1].clone();
        by_name["messageId"] = json!("e-seg-3");
        by_name["event"] = json!("Cart Viewed");
        by_name["properties"]
            .as_object_mut()
            .unwrap()
            .remove("kago_type");
        body["batch"].as_array_mut().unwrap().push(by_name);
        body["batch"]
            .as_array_mut()
            .unwrap()
            .push(json!({"type": "identify", "userId": "u"}));
        let reply = post(&config, body.to_string());
        assert_eq!(
            answer(&reply),
            json!({"accepted": 3, "duplicates": 0, "ignored": 1})
        );
        let all = stored(&config, "");
        assert_eq!(
            all[0], original,
            "a Segment call reads back as the Kago event"
        );
        assert_eq!(all[1]["reason"], "shipping_cost");
        assert_eq!(all[1]["trigger"], "closed");
        assert_eq!(all[2]["type"], "cart_viewed");
        assert_eq!(all[2]["id"], "e-seg-3");
        assert_eq!(batches(&config), [(3, 2, "segment".into())]);
        let row: (String, String, String) = open(&config.db)
            .unwrap()
            .query_row(
                "SELECT last_step, reason, device FROM events WHERE id = 'e-seg-2'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(
            row,
            ("delivery".into(), "shipping_cost".into(), "mobile".into())
        );
        // The same Segment batch again: all duplicates.
        assert_eq!(
            answer(&post(&config, body.to_string())),
            json!({"accepted": 0, "duplicates": 3, "ignored": 1})
        );
        // An unknown Segment name is kept as the type.
        let other = json!({"batch": [{"type": "track", "event": "Wishlist Viewed", "messageId": "m-1", "timestamp": "2026-11-23T00:00:00Z"}]});
        assert_eq!(post(&config, other.to_string()).status, 200);
        assert_eq!(stored(&config, "?type=Wishlist Viewed").len(), 1);
        cleanup(&config);
    }

    #[test]
    fn bad_batches_are_refused_whole() {
        let config = fresh("bad");
        let check = |body: Vec<u8>, status: u16, mentions: &str| {
            let reply = post(&config, body);
            assert_eq!(
                reply.status,
                status,
                "{}",
                String::from_utf8_lossy(&reply.body)
            );
            assert_eq!(reply.header("content-type"), Some("application/json"));
            assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
            let message = answer(&reply)["error"].as_str().unwrap().to_string();
            assert!(message.contains(mentions), "{message:?} ∌ {mentions:?}");
        };
        check(b"{\"events\": [".to_vec(), 400, "not valid JSON");
        check(b"".to_vec(), 400, "not valid JSON");
        check(vec![0xff], 400, "UTF-8");
        check(b"[]".to_vec(), 400, "JSON object");
        check(b"{\"events\": 1}".to_vec(), 400, "Kago batch");
        let no_id = json!({"events": [event("e-ok", "cart_viewed", json!({})), {"type": "cart_viewed", "at": "x"}]});
        check(
            no_id.to_string().into_bytes(),
            400,
            "event 1: has no \"id\"",
        );
        let bad_type = json!({"events": [event("e-2", "cart_viewed", json!({"type": 7}))]});
        check(
            bad_type.to_string().into_bytes(),
            400,
            "\"type\" is not a string",
        );
        check(
            json!({"batch": [{"event": "x"}]}).to_string().into_bytes(),
            400,
            "batch[0]",
        );
        let huge = json!({"events": [event("e-big", "cart_viewed", json!({"pad": "x".repeat(MAX_BODY)}))]});
        check(huge.to_string().into_bytes(), 413, "128 KiB");
        assert!(stored(&config, "").is_empty(), "nothing of a bad batch");
        assert!(batches(&config).is_empty());
        cleanup(&config);
    }

    #[test]
    fn cors_preflight_and_methods() {
        let config = fresh("cors");
        let pre = route(&config, &Request::new("OPTIONS", "/api/events"));
        assert_eq!(pre.status, 204);
        assert_eq!(pre.header("access-control-allow-origin"), Some("*"));
        assert_eq!(pre.header("access-control-allow-methods"), Some("POST"));
        assert_eq!(
            pre.header("access-control-allow-headers"),
            Some("Content-Type")
        );
        let put = route(&config, &Request::new("PUT", "/api/events"));
        assert_eq!(put.status, 405);
        assert_eq!(put.header("allow"), Some("GET, HEAD, POST, OPTIONS"));
        assert_eq!(put.header("access-control-allow-origin"), Some("*"));
        cleanup(&config);
    }

    #[test]
    fn query_strings_are_decoded() {
        assert_eq!(
            query_pairs("a=1&b=x+y&c=%2Fp%3F&d&=e&bad=%zz"),
            [
                ("a".into(), "1".into()),
                ("b".into(), "x y".into()),
                ("c".into(), "/p?".into()),
                ("d".into(), String::new()),
                (String::new(), "e".into()),
            ]
        );
    }

    #[test]
    fn concurrent_copies_of_a_batch_store_each_event_once() {
        let config = fresh("concurrent");
        let events: Vec<Value> = (0..20)
            .map(|i| {
                event(
                    &format!("e-{i}"),
                    "item_added",
                    json!({"sku": "A", "quantity": 1}),
                )
            })
            .collect();
        let body = kago_batch(&events, 0);
        let handles: Vec<_> = (0..6)
            .map(|_| {
                let (config, body) = (config.clone(), body.clone());
                std::thread::spawn(move || answer(&post(&config, body)))
            })
            .collect();
        let answers: Vec<Value> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let accepted: u64 = answers
            .iter()
            .map(|a| a["accepted"].as_u64().unwrap())
            .sum();
        assert_eq!(accepted, 20);
        assert_eq!(stored(&config, "").len(), 20);
        cleanup(&config);
    }
}
