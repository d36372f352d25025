//! The admin side: the lists and the funnel report need `KAGO_ADMIN_TOKEN`, sent as
//! `Authorization: Bearer …` or, for the pages, through the `/login` form, which sets an
//! `HttpOnly; SameSite=Strict` session cookie (an expiry signed with a key derived from the
//! token: changing the token ends every session). Tokens are compared in constant time.

use axum::extract::{FromRequestParts, Query, State};
use axum::http::header::{AUTHORIZATION, COOKIE, LOCATION, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use hmac::{Hmac, Mac};
use maud::{html, Markup, DOCTYPE};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::app::AppState;
use crate::error::ApiError;

/// The session cookie's name.
pub const COOKIE_NAME: &str = "kago_admin";
/// How long a login lasts, in seconds (12 hours).
pub const SESSION_SECONDS: i64 = 12 * 3600;

/// The admin token, when one is set.
#[derive(Clone, Default)]
pub struct AdminAuth {
    token_digest: Option<[u8; 32]>,
    session_key: Option<[u8; 32]>,
    secure_cookie: bool,
}

impl std::fmt::Debug for AdminAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AdminAuth(…)")
    }
}

impl AdminAuth {
    pub fn new(token: Option<&str>, secure_cookie: bool) -> AdminAuth {
        let token = token.map(str::trim).filter(|t| !t.is_empty());
        AdminAuth {
            token_digest: token.map(|t| Sha256::digest(t.as_bytes()).into()),
            session_key: token
                .map(|t| Sha256::digest(format!("kago-admin-session\0{t}").as_bytes()).into()),
            secure_cookie,
        }
    }

    pub fn is_set(&self) -> bool {
        self.token_digest.is_some()
    }

    /// Constant time: the digests have one length whatever was typed.
    pub fn token_matches(&self, given: &str) -> bool {
        let Some(expected) = &self.token_digest else {
            return false;
        };
        let given: [u8; 32] = Sha256::digest(given.trim().as_bytes()).into();
        bool::from(given.ct_eq(expected))
    }

    fn mac(&self, expiry: i64) -> Option<Hmac<Sha256>> {
        let key = self.session_key?;
        let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
        mac.update(expiry.to_string().as_bytes());
        Some(mac)
    }

    /// `expiry.signature` for a session ending at `expiry` (Unix seconds).
    pub fn session_cookie_value(&self, expiry: i64) -> Option<String> {
        let signature = self.mac(expiry)?.finalize().into_bytes();
        Some(format!("{expiry}.{}", crate::orders::hex(&signature)))
    }

    pub fn session_valid(&self, value: &str, now_s: i64) -> bool {
        let Some((expiry, signature)) = value.split_once('.') else {
            return false;
        };
        let (Ok(expiry), Some(signature)) = (expiry.parse::<i64>(), unhex(signature)) else {
            return false;
        };
        expiry > now_s
            && self
                .mac(expiry)
                .is_some_and(|mac| mac.verify_slice(&signature).is_ok())
    }

    /// Whether the request carries the token or a valid session.
    pub fn allows(&self, headers: &HeaderMap, now_s: i64) -> bool {
        if !self.is_set() {
            return false;
        }
        let bearer = headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if bearer.is_some_and(|t| self.token_matches(t)) {
            return true;
        }
        session_cookie(headers).is_some_and(|v| self.session_valid(&v, now_s))
    }

    fn set_cookie(&self, value: &str, max_age: i64) -> HeaderValue {
        let secure = if self.secure_cookie { "; Secure" } else { "" };
        let cookie = format!(
            "{COOKIE_NAME}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}"
        );
        HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
    }
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect()
}

fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value.to_string())
}

/// Extractor: the request is the admin's, or the handler answers `401`.
pub struct Admin;

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if state
            .admin
            .allows(&parts.headers, state.clock.now_ms() / 1000)
        {
            Ok(Admin)
        } else {
            Err(ApiError::Unauthorized)
        }
    }
}

/// Extractor for pages: the admin's, or a redirect to the login form that comes back here.
pub struct AdminPage;

impl FromRequestParts<AppState> for AdminPage {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        if state
            .admin
            .allows(&parts.headers, state.clock.now_ms() / 1000)
        {
            return Ok(AdminPage);
        }
        let next = parts
            .uri
            .path_and_query()
            .map_or("/funnel".to_string(), |p| p.as_str().to_string());
        let location = format!("/login?next={}", percent_encode(&next));
        Err(redirect(&location))
    }
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn redirect(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

/// Only a path on this server: `/…` but not `//…` (another host) or `/\…`.
fn local_path(next: Option<&str>) -> String {
    match next {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.starts_with("/\\") => p.into(),
        _ => "/funnel".into(),
    }
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    token: String,
    next: Option<String>,
}

fn login_page(next: &str, error: Option<&str>) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Sign in — Kago" }
                link rel="stylesheet" href="/funnel.css";
            }
            body {
                header { h1 { "Sign in" } p { "The funnel report and the order lists are for the shop's staff." } }
                main {
                    @if let Some(error) = error {
                        p.error role="alert" { (error) }
                    }
                    form.period method="post" action="/login" {
                        input type="hidden" name="next" value=(next);
                        div {
                            label for="token" { "Admin token" }
                            input type="password" id="token" name="token" autocomplete="current-password" required;
                        }
                        button type="submit" { "Sign in" }
                    }
                }
            }
        }
    }
}

/// `GET /login`.
pub async fn login_form(Query(query): Query<LoginQuery>) -> Html<String> {
    Html(login_page(&local_path(query.next.as_deref()), None).into_string())
}

/// `POST /login`: the right token sets the session cookie and goes on to `next`.
pub async fn login(State(state): State<AppState>, Form(form): Form<LoginForm>) -> Response {
    let next = local_path(form.next.as_deref());
    if !state.admin.token_matches(&form.token) {
        tracing::warn!("admin sign-in with a wrong token");
        let page = login_page(&next, Some("That is not the admin token."));
        return (StatusCode::UNAUTHORIZED, Html(page.into_string())).into_response();
    }
    let expiry = state.clock.now_ms() / 1000 + SESSION_SECONDS;
    let Some(value) = state.admin.session_cookie_value(expiry) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let mut response = redirect(&next);
    response
        .headers_mut()
        .insert(SET_COOKIE, state.admin.set_cookie(&value, SESSION_SECONDS));
    response
}

/// `POST /logout`: ends the session in this browser.
pub async fn logout(State(state): State<AppState>) -> Response {
    let mut response = redirect("/login");
    response
        .headers_mut()
        .insert(SET_COOKIE, state.admin.set_cookie("", 0));
    response
}
