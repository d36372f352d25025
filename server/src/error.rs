//! The API's errors: one type, answered as `{"error": …}` JSON with its status.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// An answer that is not a success.
#[derive(Debug)]
pub enum ApiError {
    /// `400`: the body is not what the endpoint takes.
    BadRequest(String),
    /// `401`: an admin endpoint without (or with a wrong) token.
    Unauthorized,
    /// `404`.
    NotFound(String),
    /// `409` / `422` with a body of its own (`prices_changed`, `unavailable`, `code_invalid`…).
    Refused(StatusCode, Value),
    /// `413`.
    TooLarge(String),
    /// `422` with a message for the shopper.
    Unprocessable(String),
    /// `429`, with the seconds to wait.
    TooManyRequests(u64),
    /// `500`: logged with its cause (never personal data); the client gets `message`.
    Internal {
        message: &'static str,
        cause: String,
    },
}

impl ApiError {
    pub fn internal(message: &'static str, cause: impl Into<String>) -> ApiError {
        ApiError::Internal {
            message,
            cause: cause.into(),
        }
    }

    pub fn db(message: &'static str) -> impl FnOnce(sqlx::Error) -> ApiError {
        move |e| ApiError::internal(message, crate::db::describe(&e))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, json!({ "error": m })),
            ApiError::Unauthorized => {
                let mut response = (
                    StatusCode::UNAUTHORIZED,
                    Json(
                        json!({ "error": "this needs the admin token (Authorization: Bearer …)" }),
                    ),
                )
                    .into_response();
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
                return response;
            }
            ApiError::NotFound(m) => (StatusCode::NOT_FOUND, json!({ "error": m })),
            ApiError::Refused(status, body) => (status, body),
            ApiError::TooLarge(m) => (StatusCode::PAYLOAD_TOO_LARGE, json!({ "error": m })),
            ApiError::Unprocessable(m) => (StatusCode::UNPROCESSABLE_ENTITY, json!({ "error": m })),
            ApiError::TooManyRequests(seconds) => {
                let mut response = (
                    StatusCode::TOO_MANY_REQUESTS,
                    Json(
                        json!({ "error": format!("too many requests; try again in {seconds} s") }),
                    ),
                )
                    .into_response();
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
                return response;
            }
            ApiError::Internal { message, cause } => {
                tracing::error!(%cause, "{message}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    json!({ "error": message }),
                )
            }
        };
        (status, Json(body)).into_response()
    }
}
