//! Rate limits on the public POSTs: a token bucket per client IP and one per `Origin`, as a
//! middleware layer. A request over either answers `429` with `Retry-After` (the widget waits
//! and retries). The buckets live in memory, at most [`MAX_KEYS`] of each kind.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::ORIGIN;
use axum::http::HeaderName;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// Most clients (or origins) tracked at once; past it, idle ones are forgotten first.
pub const MAX_KEYS: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Token buckets of one kind: `per_minute` requests a minute, bursts of as many.
#[derive(Debug)]
pub struct Buckets {
    per_minute: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl Buckets {
    pub fn new(per_minute: u32) -> Buckets {
        Buckets {
            per_minute: f64::from(per_minute.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes a token for `key` at `now`; `Err(seconds)` until the next one.
    pub fn take(&self, key: &str, now: Instant) -> Result<(), u64> {
        let rate = self.per_minute / 60.0;
        // A poisoned lock only means a panic while updating numbers: they are still usable.
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() >= MAX_KEYS && !buckets.contains_key(key) {
            let full = self.per_minute;
            buckets.retain(|_, b| b.tokens + now.duration_since(b.at).as_secs_f64() * rate < full);
            if buckets.len() >= MAX_KEYS {
                return Err(60);
            }
        }
        let bucket = buckets.entry(key.to_string()).or_insert(Bucket {
            tokens: self.per_minute,
            at: now,
        });
        let refilled = bucket.tokens + now.duration_since(bucket.at).as_secs_f64() * rate;
        bucket.tokens = refilled.min(self.per_minute);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - bucket.tokens) / rate).ceil().max(1.0) as u64)
        }
    }
}

/// The limits of the public POSTs.
#[derive(Debug)]
pub struct RateLimits {
    pub per_ip: Buckets,
    pub per_origin: Buckets,
    /// Behind a proxy: where the client's IP is (the header's last value).
    pub client_ip_header: Option<HeaderName>,
}

impl RateLimits {
    fn client(&self, request: &Request) -> String {
        if let Some(name) = &self.client_ip_header {
            if let Some(ip) = request
                .headers()
                .get_all(name)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .map(str::trim)
                .rfind(|v| !v.is_empty())
            {
                return ip.to_string();
            }
        }
        request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string())
    }
}

/// The middleware: both buckets must have a token.
pub async fn limit(
    State(limits): State<Arc<RateLimits>>,
    request: Request,
    next: Next,
) -> Response {
    let now = Instant::now();
    let client = limits.client(&request);
    let origin = request
        .headers()
        .get(ORIGIN)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("(none)")
        .to_string();
    let verdict = limits
        .per_ip
        .take(&client, now)
        .and_then(|()| limits.per_origin.take(&origin, now));
    match verdict {
        Ok(()) => next.run(request).await,
        Err(seconds) => {
            tracing::warn!(retry_after = seconds, "rate limit reached");
            ApiError::TooManyRequests(seconds).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_bucket_allows_a_burst_then_the_rate() {
        let buckets = Buckets::new(60);
        let start = Instant::now();
        for _ in 0..60 {
            assert_eq!(buckets.take("a", start), Ok(()));
        }
        assert_eq!(buckets.take("a", start), Err(1));
        assert_eq!(
            buckets.take("b", start),
            Ok(()),
            "another client has its own"
        );
        assert_eq!(buckets.take("a", start + Duration::from_secs(1)), Ok(()));
        assert!(buckets.take("a", start + Duration::from_secs(1)).is_err());
    }
}
