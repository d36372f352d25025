//! What a merchant endpoint answered, as the browser edge hands it to the rules that read it
//! (`order::read_order_response`, `registration::read_registration_response`).

/// The endpoint's raw answer; `status` 0 when the request failed before any answer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpAnswer {
    pub status: u16,
    pub body: String,
    /// The `Retry-After` header, as sent.
    pub retry_after: Option<String>,
}

/// How long a request (other than an order attempt, which has its own limit) waits for its
/// answer before it counts as none.
pub const REQUEST_TIMEOUT_MS: u32 = 20_000;
