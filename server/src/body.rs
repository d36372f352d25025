//! `LimitedBody<N>`: a request body of at most `N` bytes, read whatever its Content-Type (the
//! widget sends event batches as `text/plain`), with the limit visible in the handler's signature.

use axum::body::{to_bytes, Bytes};
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_LENGTH;

use crate::error::ApiError;

pub struct LimitedBody<const N: usize>(pub Bytes);

fn too_large<const N: usize>() -> ApiError {
    ApiError::TooLarge(format!("the body is larger than {} KiB", N / 1024))
}

impl<S: Send + Sync, const N: usize> FromRequest<S> for LimitedBody<N> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, ApiError> {
        let announced = req
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if announced.is_some_and(|n| n > N as u64) {
            return Err(too_large::<N>());
        }
        match to_bytes(req.into_body(), N).await {
            Ok(bytes) => Ok(LimitedBody(bytes)),
            Err(e) if e.to_string().contains("length limit") => Err(too_large::<N>()),
            Err(e) => Err(ApiError::BadRequest(format!(
                "cannot read the request body: {e}"
            ))),
        }
    }
}
