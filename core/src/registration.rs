//! The optional post-purchase registration prompt: when it may be shown, the request it sends,
//! how the answer is read, and the plain-language password hint. Never shown before or during
//! checkout; the password is never stored, logged or put in an event.

use serde::{Deserialize, Serialize};

/// `localStorage` key of what this browser answered (dismissed until, already registered).
pub const MEMORY_KEY: &str = "kago.register";
/// Shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 8;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// One new-password field.
    Password,
    /// "E-mail me a sign-in link": no password.
    Link,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Password => "password",
            Mode::Link => "link",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistrationSettings {
    pub enabled: bool,
    pub endpoint: Option<String>,
    pub incentive: Option<String>,
    pub mode: Mode,
    pub signin_url: Option<String>,
    pub snooze_days: u32,
    /// `data-feedback="on"`: ask "How easy was checkout?" on the confirmation.
    pub feedback: bool,
}

impl Default for RegistrationSettings {
    fn default() -> Self {
        RegistrationSettings {
            enabled: false,
            endpoint: None,
            incentive: None,
            mode: Mode::Password,
            signin_url: None,
            snooze_days: 30,
            feedback: false,
        }
    }
}

/// What this browser remembers about the prompt (`localStorage`, [`MEMORY_KEY`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Memory {
    /// Unix ms until which "No thanks" holds.
    pub dismissed_until: u64,
    /// The shop said this e-mail already has an account (409) or the shopper registered.
    pub registered: bool,
}

impl Memory {
    pub fn dismissed(now_ms: u64, days: u32) -> Memory {
        Memory {
            dismissed_until: now_ms + u64::from(days) * 86_400_000,
            registered: false,
        }
    }
}

/// Whether the prompt may appear on an order confirmation.
pub fn prompt_eligible(settings: &RegistrationSettings, memory: Memory, now_ms: u64) -> bool {
    settings.enabled
        && settings.endpoint.is_some()
        && !memory.registered
        && now_ms >= memory.dismissed_until
}

/// A plain-language strength hint for a new password.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strength {
    TooShort,
    Weak,
    Fair,
    Strong,
}

pub fn password_strength(password: &str) -> Strength {
    let length = password.chars().count();
    if length < MIN_PASSWORD_LEN {
        return Strength::TooShort;
    }
    let classes = [
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ]
    .iter()
    .filter(|x| **x)
    .count();
    let all_same = password.chars().all(|c| password.starts_with(c));
    match (length, classes) {
        _ if all_same => Strength::Weak,
        (16.., _) | (12.., 3..) => Strength::Strong,
        (10.., 2..) | (_, 3..) => Strength::Fair,
        _ => Strength::Weak,
    }
}

/// The JSON body POSTed to `data-register-endpoint` (README, "After the purchase").
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RegistrationBody<'a> {
    pub email: &'a str,
    /// Password mode only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<&'a str>,
    pub order_id: &'a str,
    pub marketing_opt_in: bool,
    pub locale: &'a str,
}

/// The JSON body: `email`, `password` (password mode only), `order_id`, `marketing_opt_in`, `locale`.
pub fn registration_body(
    email: &str,
    password: Option<&str>,
    order_id: &str,
    marketing_opt_in: bool,
    locale: &str,
) -> String {
    crate::wire::to_json(&RegistrationBody {
        email: email.trim(),
        password,
        order_id,
        marketing_opt_in,
        locale,
    })
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegistrationOutcome {
    /// 2xx; the incentive code or message the response carried, if any.
    Registered {
        code: Option<String>,
        message: Option<String>,
    },
    /// 409: an account exists for this e-mail.
    Exists,
    /// Other 4xx: the shop's message.
    Rejected { message: Option<String> },
    /// No answer or 5xx: offer to try again, input kept.
    Unreachable,
}

pub fn read_registration_response(status: u16, body: &str) -> RegistrationOutcome {
    let json: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    let text = |key: &str| {
        json.get(key)
            .and_then(|v| v.as_str())
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
    };
    match status {
        200..=299 => RegistrationOutcome::Registered {
            code: text("incentive_code").or_else(|| text("code")),
            message: text("message"),
        },
        409 => RegistrationOutcome::Exists,
        400..=499 if status != 408 && status != 429 => RegistrationOutcome::Rejected {
            message: text("error"),
        },
        _ => RegistrationOutcome::Unreachable,
    }
}

/// An endpoint the password would travel to in clear text: plain `http:` on a host other than
/// this machine. `page_origin` resolves relative endpoints (`https://shop.example`).
pub fn insecure_endpoint(endpoint: &str, page_origin: &str) -> bool {
    let absolute = if endpoint.starts_with('/') {
        format!("{page_origin}{endpoint}")
    } else {
        endpoint.to_string()
    };
    let Some(rest) = absolute.strip_prefix("http://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once(':').map_or(host, |(h, port)| {
        if port.bytes().all(|b| b.is_ascii_digit()) {
            h
        } else {
            host
        }
    });
    !matches!(host, "localhost" | "127.0.0.1" | "[::1]") && !host.ends_with(".localhost")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on() -> RegistrationSettings {
        RegistrationSettings {
            enabled: true,
            endpoint: Some("/api/register".into()),
            ..RegistrationSettings::default()
        }
    }

    #[test]
    fn the_prompt_is_off_by_default_and_needs_an_endpoint() {
        assert!(!prompt_eligible(
            &RegistrationSettings::default(),
            Memory::default(),
            0
        ));
        assert!(!prompt_eligible(
            &RegistrationSettings {
                endpoint: None,
                ..on()
            },
            Memory::default(),
            0
        ));
        assert!(prompt_eligible(&on(), Memory::default(), 0));
    }

    #[test]
    fn no_thanks_holds_for_the_configured_days_and_an_account_forever() {
        let day = 86_400_000;
        let memory = Memory::dismissed(1000, 30);
        assert!(!prompt_eligible(&on(), memory, 1000 + 29 * day));
        assert!(prompt_eligible(&on(), memory, 1000 + 30 * day));
        let registered = Memory {
            registered: true,
            dismissed_until: 0,
        };
        assert!(!prompt_eligible(&on(), registered, u64::MAX));
    }

    #[test]
    fn what_this_browser_remembered_before_serde_still_reads() {
        let memory: Memory =
            serde_json::from_str(include_str!("../testdata/stored-v1/memory.json")).unwrap();
        assert_eq!(
            memory,
            Memory {
                dismissed_until: 1_795_426_867_123,
                registered: true
            }
        );
        let older: Memory = serde_json::from_str("{}").unwrap();
        assert_eq!(
            older,
            Memory::default(),
            "members missing from older records default"
        );
    }

    #[test]
    fn the_body_has_exactly_the_documented_fields() {
        let body: serde_json::Value = serde_json::from_str(&registration_body(
            " a@b.co ",
            Some("s3cret-pass"),
            "K-1",
            false,
            "en",
        ))
        .unwrap();
        let mut keys: Vec<&String> = body.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "email",
                "locale",
                "marketing_opt_in",
                "order_id",
                "password"
            ]
        );
        assert_eq!(body["email"], "a@b.co");
        let body: serde_json::Value =
            serde_json::from_str(&registration_body("a@b.co", None, "K-1", true, "ja")).unwrap();
        assert!(
            body.get("password").is_none(),
            "link mode sends no password"
        );
        assert_eq!(body["marketing_opt_in"], true);
    }

    #[test]
    fn answers_are_read_by_status() {
        assert_eq!(
            read_registration_response(201, r#"{"incentive_code":"NEXT10"}"#),
            RegistrationOutcome::Registered {
                code: Some("NEXT10".into()),
                message: None
            }
        );
        assert_eq!(
            read_registration_response(409, ""),
            RegistrationOutcome::Exists
        );
        assert_eq!(
            read_registration_response(422, r#"{"error":"Password too common"}"#),
            RegistrationOutcome::Rejected {
                message: Some("Password too common".into())
            }
        );
        assert_eq!(
            read_registration_response(503, ""),
            RegistrationOutcome::Unreachable
        );
        assert_eq!(
            read_registration_response(0, ""),
            RegistrationOutcome::Unreachable
        );
        assert_eq!(
            read_registration_response(429, ""),
            RegistrationOutcome::Unreachable
        );
    }

    #[test]
    fn password_hints_are_plain() {
        assert_eq!(password_strength("short"), Strength::TooShort);
        assert_eq!(password_strength("aaaaaaaaaaaaaaaaaaaa"), Strength::Weak);
        assert_eq!(password_strength("lowercase"), Strength::Weak);
        assert_eq!(password_strength("lowercase12"), Strength::Fair);
        assert_eq!(password_strength("Correct-Horse-9"), Strength::Strong);
        assert_eq!(
            password_strength("correct horse battery staple"),
            Strength::Strong
        );
    }

    #[test]
    fn plain_http_off_this_machine_is_insecure() {
        assert!(insecure_endpoint(
            "http://shop.example/register",
            "https://shop.example"
        ));
        assert!(insecure_endpoint("/register", "http://shop.example"));
        assert!(!insecure_endpoint("/register", "http://127.0.0.1:8080"));
        assert!(!insecure_endpoint(
            "http://localhost:3000/r",
            "https://x.example"
        ));
        assert!(!insecure_endpoint(
            "https://shop.example/register",
            "http://x"
        ));
    }
}
