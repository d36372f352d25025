//! The application: its state, and the router with every route and layer in one place.
//!
//! Public: `POST /api/orders`, `POST /api/events`, `POST /api/register` (rate limited, CORS for
//! the configured shop origins), `GET /confirm`, `GET|POST /login`, static files, `/healthz`,
//! `/readyz`. Admin (token or session): `GET /api/orders`, `GET /api/events`,
//! `GET /api/register`, `GET /funnel`.

use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tower::util::BoxCloneSyncService;
use tower::ServiceExt;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::admin::AdminAuth;
use crate::catalog::CatalogHandle;
use crate::db::Db;
use crate::error::ApiError;
use crate::limits::{Buckets, RateLimits};
use crate::{accounts, admin, events, funnel, orders};

/// The Content-Security-Policy sent with every HTML page unless `--no-csp`.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data:; connect-src 'self'";

/// The largest request body any route reads (a backstop; each route has its own smaller limit).
pub const MAX_ANY_BODY: usize = 512 * 1024;

/// Where "now" comes from: the system clock, or a hand-set one in tests.
#[derive(Clone, Debug)]
pub enum Clock {
    System,
    Fixed(Arc<AtomicI64>),
}

impl Clock {
    pub fn now_ms(&self) -> i64 {
        match self {
            Clock::System => crate::db::now_ms(),
            Clock::Fixed(ms) => ms.load(Ordering::SeqCst),
        }
    }
}

/// Settings the handlers read.
#[derive(Clone, Debug)]
pub struct Options {
    pub roots: Vec<PathBuf>,
    pub csp: bool,
    /// `*` for any.
    pub allowed_origins: Vec<String>,
    pub public_url: String,
    pub shop_url: String,
    pub event_retention_days: u32,
    pub reminder_delay_ms: i64,
    pub rate_limit_per_ip: u32,
    pub rate_limit_per_origin: u32,
    pub client_ip_header: Option<HeaderName>,
    pub request_timeout: Duration,
    /// The public URL is https: cookies get `Secure`.
    pub secure_public: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            roots: Vec::new(),
            csp: true,
            allowed_origins: Vec::new(),
            public_url: "http://127.0.0.1:8080".into(),
            shop_url: "http://127.0.0.1:8080".into(),
            event_retention_days: 90,
            reminder_delay_ms: 60 * 60_000,
            rate_limit_per_ip: 120,
            rate_limit_per_origin: 3000,
            client_ip_header: None,
            request_timeout: Duration::from_secs(30),
            secure_public: false,
        }
    }
}

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub catalog: Arc<CatalogHandle>,
    pub admin: Arc<AdminAuth>,
    pub options: Arc<Options>,
    pub clock: Clock,
}

async fn healthz() -> &'static str {
    "ok\n"
}

async fn readyz(State(state): State<AppState>) -> Response {
    if crate::db::ping(&state.db).await {
        "ready\n".into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "the database does not answer\n",
        )
            .into_response()
    }
}

async fn api_not_found(request: Request) -> ApiError {
    ApiError::NotFound(format!(
        "there is no API endpoint {} {}",
        request.method(),
        request.uri().path()
    ))
}

/// Preflights answer `204 No Content` (tower-http's CORS layer answers them with `200`).
async fn preflight_no_content(request: Request, next: Next) -> Response {
    let preflight = request.method() == Method::OPTIONS;
    let mut response = next.run(request).await;
    if preflight && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::NO_CONTENT;
    }
    response
}

fn cors(options: &Options) -> CorsLayer {
    let origins = &options.allowed_origins;
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(
            origins
                .iter()
                .filter_map(|o| HeaderValue::from_str(o.trim_end_matches('/')).ok()),
        )
    };
    CorsLayer::new()
        .allow_origin(allow)
        .allow_methods([Method::POST])
        .allow_headers([
            header::CONTENT_TYPE,
            HeaderName::from_static("idempotency-key"),
        ])
        .max_age(Duration::from_secs(86_400))
}

/// `.ts` files (the widget's `kago.d.ts`) are text, not MPEG transport streams.
async fn text_for_ts(request: Request, next: Next) -> Response {
    let ts = request.uri().path().ends_with(".ts");
    let mut response = next.run(request).await;
    if ts && response.status().is_success() {
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
    }
    response
}

fn is_html(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

/// The router: every route and layer of the server.
pub fn router(state: AppState) -> Router {
    let options = Arc::clone(&state.options);
    let limits = Arc::new(RateLimits {
        per_ip: Buckets::new(options.rate_limit_per_ip),
        per_origin: Buckets::new(options.rate_limit_per_origin),
        client_ip_header: options.client_ip_header.clone(),
    });

    // The widget's POSTs: limited per client and origin, open to the shop origins.
    // Each has its own OPTIONS route, so a preflight always meets the CORS layer (whatever the
    // merge with the GET routes of the same paths below keeps as the fallback).
    let preflight = || async { StatusCode::NO_CONTENT };
    let public = Router::new()
        .route("/api/orders", post(orders::create).options(preflight))
        .route("/api/events", post(events::receive).options(preflight))
        .route("/api/register", post(accounts::register).options(preflight))
        .route("/login", post(admin::login))
        .layer(middleware::from_fn_with_state(limits, crate::limits::limit))
        .layer(cors(&options))
        .layer(middleware::from_fn(preflight_no_content));

    // The merchant's: every handler takes the `Admin`/`AdminPage` extractor.
    let private = Router::new()
        .route("/api/orders", get(orders::list))
        .route("/api/events", get(events::list))
        .route("/api/register", get(accounts::list))
        .route("/funnel", get(funnel::page))
        .route("/funnel/", get(funnel::page));

    let pages = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/funnel.css", get(funnel::stylesheet))
        .route("/login", get(admin::login_form))
        .route("/logout", post(admin::logout))
        .route("/confirm", get(accounts::confirm))
        .route("/api", axum::routing::any(api_not_found))
        .route("/api/{*rest}", axum::routing::any(api_not_found));

    // The roots in order: each one's misses fall through to the next, the last to a 404.
    type Files = BoxCloneSyncService<Request, Response, Infallible>;
    let mut files: Files = BoxCloneSyncService::new(tower::service_fn(|_: Request| async {
        Ok::<_, Infallible>((StatusCode::NOT_FOUND, "not found\n").into_response())
    }));
    for root in options.roots.iter().rev() {
        let dir = ServeDir::new(root).fallback(files);
        files = BoxCloneSyncService::new(dir.map_response(|r| r.map(axum::body::Body::new)));
    }
    let static_files = Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(text_for_ts))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ));

    let csp = options.csp;
    public
        .merge(private)
        .merge(pages)
        .merge(static_files)
        .with_state(state)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            move |response: &Response| {
                (csp && is_html(response)).then(|| HeaderValue::from_static(CSP))
            },
        ))
        .layer(middleware::from_fn(api_no_store))
        // Not the wasm: half a megabyte gzipped again on every request (in the debug build the
        // e2e tests run) delays the widget's start by a second; a CDN serves dist/ in production.
        .layer(CompressionLayer::new().compress_when(
            DefaultPredicate::new().and(NotForContentType::const_new("application/wasm")),
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            options.request_timeout,
        ))
        .layer(RequestBodyLimitLayer::new(MAX_ANY_BODY))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            // Method and path only: query strings may carry tokens.
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
        }))
}

/// API answers are never cached.
async fn api_no_store(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api");
    let mut response = next.run(request).await;
    if api && !response.headers().contains_key(header::CACHE_CONTROL) {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
