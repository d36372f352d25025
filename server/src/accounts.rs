//! The registration endpoint (issue 5) and marketing double opt-in.
//!
//! - `POST /api/register` (public): `{email, password?, order_id, marketing_opt_in, locale}` →
//!   `201 {"incentive_code"}`, or `409` when the e-mail already has an account (the widget then
//!   offers to sign in). Only for a real order placed in the last
//!   [`REGISTRATION_WINDOW_MS`], and at most [`MAX_ATTEMPTS_PER_ORDER`] tries per order: so the
//!   `409` tells whether an e-mail has an account only to someone who just ordered, a few times
//!   (README, "Run the endpoint"). Passwords are kept as Argon2id hashes, never logged.
//! - Marketing opt-in is stored as unconfirmed, and a confirmation link goes to the outbox;
//!   `GET /confirm?token=…` confirms it.
//! - `GET /api/register` (admin): the accounts, without secrets.

use argon2::password_hash::{PasswordHasher, SaltString};
use argon2::Argon2;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use maud::{html, DOCTYPE};
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::admin::Admin;
use crate::app::AppState;
use crate::body::LimitedBody;
use crate::error::ApiError;
use crate::orders::{hex, order_number};

/// How long after an order its registration prompt can be answered (24 hours).
pub const REGISTRATION_WINDOW_MS: i64 = 24 * 3600 * 1000;
/// Registration tries per order.
pub const MAX_ATTEMPTS_PER_ORDER: i64 = 3;
/// How long a confirmation link works (7 days).
pub const CONFIRM_WINDOW_MS: i64 = 7 * 24 * 3600 * 1000;
const MAX_BODY: usize = 8 * 1024;

#[derive(Deserialize)]
struct Registration {
    #[serde(default)]
    email: String,
    password: Option<String>,
    #[serde(default)]
    order_id: String,
    marketing_opt_in: Option<bool>,
    #[serde(default)]
    locale: String,
}

/// 32 random bytes, hex.
pub fn random_token() -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| {
        ApiError::internal("cannot store the account", format!("no randomness: {e}"))
    })?;
    Ok(hex(&bytes))
}

pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// `POST /api/register`.
pub async fn register(
    State(state): State<AppState>,
    LimitedBody(body): LimitedBody<MAX_BODY>,
) -> Result<Response, ApiError> {
    let form: Registration = serde_json::from_slice(&body)
        .map_err(|e| ApiError::BadRequest(format!("the body is not a registration: {e}")))?;
    let email = form.email.trim().to_lowercase();
    if !kago_core::text::is_email(&email) || email.len() > 254 {
        return Err(ApiError::Unprocessable(
            "Enter a valid e-mail address.".into(),
        ));
    }
    let Some(opt_in) = form.marketing_opt_in else {
        return Err(ApiError::BadRequest(
            "marketing_opt_in must be true or false".into(),
        ));
    };
    if form
        .password
        .as_deref()
        .is_some_and(|p| p.chars().count() < kago_core::registration::MIN_PASSWORD_LEN)
    {
        return Err(ApiError::Unprocessable(
            "The password needs at least 8 characters.".into(),
        ));
    }
    let now = state.clock.now_ms();
    // The order must be real and recent, and each order allows a few tries only.
    let number = order_number(&form.order_id);
    let counted = match number {
        None => 0,
        Some(number) => sqlx::query(
            "UPDATE orders SET registration_attempts = registration_attempts + 1
             WHERE id = $1 AND created_at >= $2 AND registration_attempts < $3",
        )
        .bind(number)
        .bind(now - REGISTRATION_WINDOW_MS)
        .bind(MAX_ATTEMPTS_PER_ORDER)
        .execute(&state.db.pool)
        .await
        .map_err(ApiError::db("cannot store the account"))?
        .rows_affected(),
    };
    if counted == 0 {
        return Err(ApiError::Unprocessable(
            "This order cannot be used to create an account; please sign up on the shop's site."
                .into(),
        ));
    }
    let password_hash = match form.password {
        None => None,
        Some(password) => Some(hash_password(password).await?),
    };
    let token = if opt_in { Some(random_token()?) } else { None };
    let locale = if form.locale.starts_with("ja") {
        "ja"
    } else {
        "en"
    };
    let mut tx = state
        .db
        .pool
        .begin()
        .await
        .map_err(ApiError::db("cannot store the account"))?;
    let inserted = sqlx::query(
        "INSERT INTO accounts (email, password_hash, order_id, marketing, confirm_token_hash, locale, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (email) DO NOTHING",
    )
    .bind(&email)
    .bind(password_hash)
    .bind(form.order_id.trim())
    .bind(if opt_in { "unconfirmed" } else { "none" })
    .bind(token.as_deref().map(token_hash))
    .bind(locale)
    .bind(now)
    .execute(&mut *tx)
    .await
    .map_err(ApiError::db("cannot store the account"))?;
    if inserted.rows_affected() == 0 {
        tx.rollback()
            .await
            .map_err(ApiError::db("cannot store the account"))?;
        return Ok((
            StatusCode::CONFLICT,
            Json(json!({"error": "An account with this e-mail already exists."})),
        )
            .into_response());
    }
    if let Some(token) = token {
        let link = format!(
            "{}/confirm?token={token}",
            state.options.public_url.trim_end_matches('/')
        );
        let (subject, text) = if locale == "ja" {
            (
                "メールマガジンの登録確認",
                format!("メールマガジンの登録を確定するには、こちらを開いてください:\n{link}\n\nお心当たりがない場合は、このメールを無視してください。\n"),
            )
        } else {
            (
                "Confirm your subscription",
                format!("To receive our e-mails, confirm your address:\n{link}\n\nIf you did not ask for this, ignore this message: nothing will be sent.\n"),
            )
        };
        crate::outbox::queue(&mut tx, "confirm", &email, subject, &text, now)
            .await
            .map_err(ApiError::db("cannot store the account"))?;
    }
    tx.commit()
        .await
        .map_err(ApiError::db("cannot store the account"))?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "incentive_code": "WELCOME10" })),
    )
        .into_response())
}

async fn hash_password(password: String) -> Result<String, ApiError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| {
        ApiError::internal("cannot store the account", format!("no randomness: {e}"))
    })?;
    // Argon2 is slow on purpose: off the async workers.
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| ApiError::internal("cannot store the account", e.to_string()))?
    .map_err(|e| ApiError::internal("cannot store the account", e))
}

#[derive(Deserialize)]
pub struct ConfirmQuery {
    #[serde(default)]
    token: String,
}

/// `GET /confirm?token=…`: confirms a marketing opt-in.
pub async fn confirm(
    State(state): State<AppState>,
    Query(query): Query<ConfirmQuery>,
) -> Result<Response, ApiError> {
    let now = state.clock.now_ms();
    let confirmed = sqlx::query(
        "UPDATE accounts SET marketing = 'confirmed', confirmed_at = $2, confirm_token_hash = NULL
         WHERE confirm_token_hash = $1 AND marketing = 'unconfirmed' AND created_at >= $3",
    )
    .bind(token_hash(query.token.trim()))
    .bind(now)
    .bind(now - CONFIRM_WINDOW_MS)
    .execute(&state.db.pool)
    .await
    .map_err(ApiError::db("cannot confirm now; please try again"))?
    .rows_affected()
        == 1;
    let (status, title, text) = if confirmed {
        (
            StatusCode::OK,
            "Subscribed",
            "Thank you: your address is confirmed.",
        )
    } else {
        (
            StatusCode::NOT_FOUND,
            "Link not valid",
            "This link is not valid any more (it was used, or it is older than 7 days).",
        )
    };
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head { meta charset="utf-8"; title { (title) } link rel="stylesheet" href="/funnel.css"; }
            body { main { h1 { (title) } p { (text) } } }
        }
    };
    Ok((status, Html(page.into_string())).into_response())
}

/// `GET /api/register` (admin): the accounts, without password hashes or tokens.
pub async fn list(_: Admin, State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let rows = sqlx::query(
        "SELECT email, password_hash, order_id, marketing, locale FROM accounts ORDER BY created_at, email",
    )
    .fetch_all(&state.db.pool)
    .await
    .map_err(ApiError::db("cannot read the accounts"))?;
    let accounts: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({
                "email": r.get::<String, _>(0),
                "has_password": r.get::<Option<String>, _>(1).is_some(),
                "order_id": r.get::<String, _>(2),
                "marketing": r.get::<String, _>(3),
                "locale": r.get::<String, _>(4),
            })
        })
        .collect();
    Ok(Json(json!({ "accounts": accounts })))
}
