//! The order endpoint.
//!
//! - `POST /api/orders` (public): the checkout's order body ([`OrderRequest`]), priced from the
//!   catalog ([`crate::catalog`]). A new idempotency key stores the order with the catalog's
//!   prices, takes its units off the stock in the same transaction and answers
//!   `201 {"order_id": "K-000001"}`; the same key with the same body (compared by a SHA-256 of
//!   the body without its key) answers `200` with the same id and stores nothing; the same key
//!   with another body answers `409`. Refusals: `400` not an order, `413` over [`MAX_BODY`],
//!   `422` totals that do not add up or are out of the contract's bounds, `409 prices_changed`,
//!   `409 unavailable`, `422 code_invalid` (shapes in README, "Placing the order").
//! - `GET /api/orders` (admin): every stored order, oldest first, with the body as it was sent.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use kago_core::correction::{Availability, Correction};
use kago_core::order::OrderRequest;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::admin::Admin;
use crate::app::AppState;
use crate::body::LimitedBody;
use crate::catalog::{item_key, Refusal};
use crate::error::ApiError;

/// The largest order body accepted, in bytes (256 KiB).
pub const MAX_BODY: usize = 256 * 1024;

/// The longest idempotency key (and `cart_id`) accepted, in bytes.
pub const MAX_KEY_LEN: usize = 200;

/// Reads the order type from a body (kago-core's serde derives); a mistake names its path,
/// e.g. `items[0].quantity: invalid type: string`.
pub fn parse_order(text: &str) -> Result<OrderRequest, String> {
    let mut reader = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut reader).map_err(|e| {
        let path = e.path().to_string();
        format!("{path}: {}", e.into_inner())
    })
}

/// `K-000042` for order 42.
pub fn order_id(number: i64) -> String {
    format!("K-{number:06}")
}

/// The number of `K-000042`.
pub fn order_number(order_id: &str) -> Option<i64> {
    order_id
        .trim()
        .strip_prefix("K-")
        .filter(|digits| digits.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|digits| digits.parse().ok())
}

/// SHA-256 (hex) of the body without its idempotency key, with object keys sorted (serde_json's
/// map is ordered): the same order sent again with other spacing or key order is the same.
pub fn fingerprint(body: &Value) -> String {
    let mut same = body.clone();
    if let Some(object) = same.as_object_mut() {
        object.remove("idempotency_key");
    }
    hex(&Sha256::digest(same.to_string().as_bytes()))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What an existing key says about a new request with it.
async fn existing(
    state: &AppState,
    key: &str,
    fingerprint: &str,
) -> Result<Option<(StatusCode, Json<Value>)>, ApiError> {
    let row = sqlx::query("SELECT id, body_fingerprint FROM orders WHERE idempotency_key = $1")
        .bind(key)
        .fetch_optional(&state.db.pool)
        .await
        .map_err(ApiError::db(
            "the order could not be stored; please try again",
        ))?;
    let Some(row) = row else { return Ok(None) };
    let id = order_id(row.get::<i64, _>(0));
    if row.get::<String, _>(1) == fingerprint {
        Ok(Some((StatusCode::OK, Json(json!({ "order_id": id })))))
    } else {
        Err(ApiError::Refused(
            StatusCode::CONFLICT,
            json!({ "error": format!("idempotency_key {key:?} was already used for order {id} with a different body") }),
        ))
    }
}

/// `POST /api/orders`.
pub async fn create(
    State(state): State<AppState>,
    LimitedBody(body): LimitedBody<MAX_BODY>,
) -> Result<impl IntoResponse, ApiError> {
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::BadRequest("the body is not UTF-8 text".into()))?;
    let value: Value = serde_json::from_str(text)
        .map_err(|e| ApiError::BadRequest(format!("the body is not valid JSON: {e}")))?;
    if !value.is_object() {
        return Err(ApiError::BadRequest(
            "the body must be a JSON object (an order)".into(),
        ));
    }
    let order = parse_order(text)
        .map_err(|e| ApiError::BadRequest(format!("the body is not a valid order: {e}")))?;
    let key = order.idempotency_key.as_str();
    if key.trim().is_empty() || key.len() > MAX_KEY_LEN {
        return Err(ApiError::BadRequest(format!(
            "idempotency_key is empty or longer than {MAX_KEY_LEN} bytes"
        )));
    }
    let cart_id = match value.get("cart_id") {
        None | Some(Value::Null) => None,
        Some(Value::String(id)) if !id.is_empty() && id.len() <= MAX_KEY_LEN => Some(id.clone()),
        Some(_) => {
            return Err(ApiError::BadRequest(format!(
                "cart_id must be a string of 1 to {MAX_KEY_LEN} bytes"
            )))
        }
    };
    order.check_totals().map_err(|problem| {
        ApiError::Unprocessable(format!("the order does not add up: {problem}"))
    })?;
    let fingerprint = fingerprint(&value);
    if let Some(replay) = existing(&state, key, &fingerprint).await? {
        return Ok(replay);
    }
    let catalog = state.catalog.get();
    if let Some(shop) = catalog.shop(&order.currency) {
        let today = today_in_japan().ok_or_else(|| {
            ApiError::internal(
                "the order could not be checked; please try again",
                "the clock is outside the dates Kago counts",
            )
        })?;
        shop.check_delivery(&order, today)
            .map_err(ApiError::Unprocessable)?;
    }
    let totals = catalog.price(&order).map_err(refused)?;
    let stored = store(
        &state,
        &order,
        cart_id.as_deref(),
        text,
        &fingerprint,
        &totals,
    )
    .await?;
    match stored {
        Some(number) => {
            tracing::info!(order = %order_id(number), currency = %order.currency, total = totals.total.minor, "order stored");
            Ok((
                StatusCode::CREATED,
                Json(json!({ "order_id": order_id(number) })),
            ))
        }
        // Another request with this key got there first.
        None => existing(&state, key, &fingerprint).await?.ok_or_else(|| {
            ApiError::internal(
                "the order could not be stored; please try again",
                "a key vanished",
            )
        }),
    }
}

/// Today in Japan (UTC+9), from which a shop's delivery dates are counted, as the widget counts
/// them.
fn today_in_japan() -> Option<kago_core::delivery::CivilDate> {
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_millis();
    kago_core::delivery::japan_today(u64::try_from(now_ms).ok()?)
}

fn refused(refusal: Refusal) -> ApiError {
    match refusal {
        Refusal::Corrected(correction) => corrected(&correction),
        Refusal::Unprocessable(message) => ApiError::Unprocessable(message),
    }
}

/// The answer the widget reads as a correction (`kago_core::correction`).
fn corrected(correction: &Correction) -> ApiError {
    let status =
        StatusCode::from_u16(correction.status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
    ApiError::Refused(status, correction.to_body())
}

/// Takes the units off the stock and stores the order, in one transaction. `Ok(None)`: the key
/// was taken meanwhile (nothing changed).
async fn store(
    state: &AppState,
    order: &OrderRequest,
    cart_id: Option<&str>,
    body: &str,
    fingerprint: &str,
    totals: &kago_core::pricing::Totals,
) -> Result<Option<i64>, ApiError> {
    let failed = ApiError::db("the order could not be stored; please try again");
    let mut tx = state.db.pool.begin().await.map_err(failed)?;
    // One lock order for every transaction (sorted keys): two orders never wait on each other.
    let mut lines: Vec<((String, String), i64)> = Vec::new();
    for item in &order.items {
        let key = item_key(&item.sku, item.variant.as_deref());
        match lines.iter_mut().find(|(k, _)| *k == key) {
            Some((_, quantity)) => *quantity += i64::from(item.quantity),
            None => lines.push((key, i64::from(item.quantity))),
        }
    }
    lines.sort();
    let mut short = Vec::new();
    for ((sku, variant), quantity) in &lines {
        let taken = sqlx::query(
            "UPDATE stock SET available = available - $3
             WHERE sku = $1 AND variant = $2 AND (available IS NULL OR available >= $3)",
        )
        .bind(sku)
        .bind(variant)
        .bind(quantity)
        .execute(&mut *tx)
        .await
        .map_err(ApiError::db(
            "the order could not be stored; please try again",
        ))?;
        if taken.rows_affected() == 0 {
            let available: Option<Option<i64>> =
                sqlx::query_scalar("SELECT available FROM stock WHERE sku = $1 AND variant = $2")
                    .bind(sku)
                    .bind(variant)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(ApiError::db(
                        "the order could not be stored; please try again",
                    ))?;
            short.push(Availability {
                sku: sku.clone(),
                variant: Some(variant.clone()).filter(|v| !v.is_empty()),
                available: u32::try_from(available.flatten().unwrap_or(0).max(0))
                    .unwrap_or(u32::MAX),
            });
        }
    }
    if !short.is_empty() {
        tx.rollback().await.map_err(ApiError::db(
            "the order could not be stored; please try again",
        ))?;
        return Err(corrected(&Correction::Unavailable { items: short }));
    }
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO orders (idempotency_key, body_fingerprint, created_at, currency, subtotal,
                             discount, shipping, tax, total, email, cart_id, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING id",
    )
    .bind(&order.idempotency_key)
    .bind(fingerprint)
    .bind(state.clock.now_ms())
    .bind(&order.currency)
    .bind(totals.subtotal.minor)
    .bind(totals.discount.minor)
    .bind(totals.shipping.minor)
    .bind(totals.tax.minor)
    .bind(totals.total.minor)
    .bind(order.contact.email.trim().to_lowercase())
    .bind(cart_id)
    .bind(body)
    .fetch_optional(&mut *tx)
    .await
    .map_err(ApiError::db(
        "the order could not be stored; please try again",
    ))?;
    match id {
        Some(id) => {
            tx.commit().await.map_err(ApiError::db(
                "the order could not be stored; please try again",
            ))?;
            Ok(Some(id))
        }
        None => {
            tx.rollback().await.map_err(ApiError::db(
                "the order could not be stored; please try again",
            ))?;
            Ok(None)
        }
    }
}

/// `GET /api/orders` (admin): `{"orders": [{order_id, idempotency_key, created_at, currency,
/// total, body}]}`, oldest first; `body` is the JSON object as it was sent.
pub async fn list(_: Admin, State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let rows = sqlx::query(
        "SELECT id, idempotency_key, created_at, currency, total, body FROM orders ORDER BY id",
    )
    .fetch_all(&state.db.pool)
    .await
    .map_err(ApiError::db("the orders could not be read"))?;
    let orders: Vec<Value> = rows
        .iter()
        .map(|r| {
            let body: String = r.get(5);
            let created: i64 = r.get(2);
            json!({
                "order_id": order_id(r.get(0)),
                "idempotency_key": r.get::<String, _>(1),
                "created_at": kago_core::events::iso8601_utc(u64::try_from(created).unwrap_or(0)),
                "currency": r.get::<String, _>(3),
                "total": r.get::<i64, _>(4),
                "body": serde_json::from_str::<Value>(&body).unwrap_or(Value::String(body)),
            })
        })
        .collect();
    Ok(Json(json!({ "orders": orders })))
}
