//! The funnel-event endpoint (the widget's `data-endpoint`).
//!
//! - `POST /api/events` (public): a Kago batch `{"schema": 1, "sent_at", "dropped", "events":
//!   [...]}` or a Segment/RudderStack batch `{"batch": [{"type": "track", ...}], "sentAt"}` (mapped
//!   back to Kago events through `properties.kago_type` or the event name), sent as `text/plain`
//!   or `application/json`. Every event needs a string `id`, `type` and `at`; a batch with one
//!   that lacks them is refused whole (`400`). Events are stored once per `id` (delivery is at
//!   least once), and every batch is recorded with its `dropped` count. Answers
//!   `200 {"accepted": n, "duplicates": m}`, `400` for a body that is not a batch, `413` over
//!   [`MAX_BODY`]. A `checkout_abandoned` event with `contact.email` schedules one reminder for
//!   its cart ([`crate::outbox`]).
//! - `GET /api/events?type=&cart_id=&session_id=` (admin): `{"events": [...]}` in arrival order.
//!
//! Events are kept for `--event-retention-days` ([`purge`] runs daily).

use axum::extract::{Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use kago_core::events::EventType;

use crate::admin::Admin;
use crate::app::AppState;
use crate::body::LimitedBody;
use crate::db::Db;
use crate::error::ApiError;

/// The largest batch body accepted, in bytes (128 KiB; the widget sends under 60 KiB).
pub const MAX_BODY: usize = 128 * 1024;

/// The longest `id`, `type` or `at` accepted, in bytes.
const MAX_FIELD_LEN: usize = 200;

/// The longest other text field kept in its own column (longer ones are cut).
const MAX_COLUMN_LEN: usize = 300;

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

fn text<'a>(event: &'a Value, key: &str) -> Option<&'a str> {
    event.get(key).and_then(Value::as_str)
}

/// A text column: at most [`MAX_COLUMN_LEN`] bytes (on a character boundary).
pub fn column(event: &Value, key: &str) -> Option<String> {
    text(event, key).map(|s| {
        let mut end = s.len().min(MAX_COLUMN_LEN);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s[..end].to_string()
    })
}

/// Stores a batch in one transaction: each event once per id, the batch's record, and the
/// reminder an abandoned checkout with an e-mail asks for.
pub async fn store(
    db: &Db,
    batch: &Batch,
    now_ms: i64,
    reminder_delay_ms: i64,
) -> Result<Stored, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let mut accepted = 0;
    for event in &batch.events {
        let number = |key: &str| event.get(key).and_then(Value::as_i64);
        let inserted = sqlx::query(
            "INSERT INTO events (id, type, at, session_id, cart_id, device, locale, currency, page,
                value, step, last_step, trigger_kind, reason, rating, body, received_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(text(event, "id"))
        .bind(text(event, "type"))
        .bind(text(event, "at"))
        .bind(column(event, "session_id"))
        .bind(column(event, "cart_id"))
        .bind(column(event, "device"))
        .bind(column(event, "locale"))
        .bind(column(event, "currency"))
        .bind(column(event, "page"))
        .bind(number("value"))
        .bind(column(event, "step"))
        .bind(column(event, "last_step"))
        .bind(column(event, "trigger"))
        .bind(column(event, "reason"))
        .bind(number("rating"))
        .bind(event.to_string())
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() == 1 {
            accepted += 1;
            crate::funnel::record(&mut tx, event).await?;
            crate::outbox::schedule_reminder(&mut tx, event, now_ms, reminder_delay_ms).await?;
        }
    }
    sqlx::query(
        "INSERT INTO batches (received_at, count, dropped, format) VALUES ($1, $2, $3, $4)",
    )
    .bind(now_ms)
    .bind(i64::try_from(batch.events.len()).unwrap_or(i64::MAX))
    .bind(i64::try_from(batch.dropped).unwrap_or(i64::MAX))
    .bind(batch.format.name())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Stored {
        accepted,
        duplicates: batch.events.len() - accepted,
    })
}

/// `POST /api/events`.
pub async fn receive(
    State(state): State<AppState>,
    LimitedBody(body): LimitedBody<MAX_BODY>,
) -> Result<Json<Value>, ApiError> {
    let batch = parse_batch(&body).map_err(ApiError::BadRequest)?;
    let stored = store(
        &state.db,
        &batch,
        state.clock.now_ms(),
        state.options.reminder_delay_ms,
    )
    .await
    .map_err(ApiError::db(
        "the events could not be stored; please send them again",
    ))?;
    let mut answer = json!({"accepted": stored.accepted, "duplicates": stored.duplicates});
    if batch.ignored > 0 {
        answer["ignored"] = json!(batch.ignored);
    }
    Ok(Json(answer))
}

/// `GET /api/events` filters.
#[derive(Debug, Default, Deserialize)]
pub struct EventFilter {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub cart_id: Option<String>,
    pub session_id: Option<String>,
}

/// `GET /api/events` (admin): the stored events in arrival order, by `type`, `cart_id`,
/// `session_id`.
pub async fn list(
    _: Admin,
    State(state): State<AppState>,
    Query(filter): Query<EventFilter>,
) -> Result<Json<Value>, ApiError> {
    let mut sql = "SELECT body FROM events WHERE 1 = 1".to_string();
    let mut values = Vec::new();
    for (name, value) in [
        ("type", &filter.kind),
        ("cart_id", &filter.cart_id),
        ("session_id", &filter.session_id),
    ] {
        if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
            values.push(value.to_string());
            // The column names are the fixed ones above; the values are bound.
            sql.push_str(&format!(" AND {name} = ${}", values.len()));
        }
    }
    sql.push_str(" ORDER BY seq");
    let mut query = sqlx::query_scalar::<_, String>(&sql);
    for value in values {
        query = query.bind(value);
    }
    let bodies = query
        .fetch_all(&state.db.pool)
        .await
        .map_err(ApiError::db("the events could not be read"))?;
    let events: Vec<Value> = bodies
        .into_iter()
        .map(|b| serde_json::from_str(&b).unwrap_or(Value::String(b)))
        .collect();
    Ok(Json(json!({ "events": events })))
}

/// What a purge deleted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    pub events: u64,
    /// Rows of the funnel's daily counts.
    pub rollups: u64,
    pub batches: u64,
    pub reminders: u64,
    pub messages: u64,
}

/// Deletes what is older than the retention: events and batch records by arrival, reminders no
/// longer waiting, and outbox messages already sent.
pub async fn purge(db: &Db, now_ms: i64, retention_days: u32) -> Result<Purged, sqlx::Error> {
    let cutoff = now_ms - i64::from(retention_days) * 86_400_000;
    let delete = |sql: &'static str| async move {
        sqlx::query(sql)
            .bind(cutoff)
            .execute(&db.pool)
            .await
            .map(|r| r.rows_affected())
    };
    Ok(Purged {
        events: delete("DELETE FROM events WHERE received_at < $1").await?,
        rollups: {
            // Rolled-up days go with the retention too (by the day counted).
            let day = kago_core::events::iso8601_utc(u64::try_from(cutoff).unwrap_or(0))[..10]
                .to_string();
            let mut n = 0;
            for sql in [
                "DELETE FROM funnel_reached WHERE day < $1",
                "DELETE FROM funnel_daily WHERE day < $1",
                "DELETE FROM feedback_daily WHERE day < $1",
                "DELETE FROM abandon_daily WHERE day < $1",
            ] {
                n += sqlx::query(sql)
                    .bind(&day)
                    .execute(&db.pool)
                    .await?
                    .rows_affected();
            }
            n
        },
        batches: delete("DELETE FROM batches WHERE received_at < $1").await?,
        reminders: delete("DELETE FROM reminders WHERE created_at < $1 AND state <> 'waiting'")
            .await?,
        messages: delete("DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < $1").await?,
    })
}

/// Runs [`purge`] at start and then every day.
pub async fn purge_daily(state: AppState) {
    let mut ticker = tokio::time::interval(std::time::Duration::from_secs(86_400));
    loop {
        ticker.tick().await;
        match purge(
            &state.db,
            state.clock.now_ms(),
            state.options.event_retention_days,
        )
        .await
        {
            Ok(purged) => tracing::info!(
                events = purged.events,
                batches = purged.batches,
                reminders = purged.reminders,
                messages = purged.messages,
                "retention purge"
            ),
            Err(e) => tracing::error!("retention purge failed: {}", crate::db::describe(&e)),
        }
    }
}
