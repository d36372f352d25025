//! The merchant's settings: short ones from the script tag's `data-*` attributes, the full set
//! from an optional JSON block (`<script type="application/json" id="kago-config">`, or the id in
//! `data-config`).
//!
//! Precedence: a setting may be written in both places (`data-tax-rate` / `"tax_rate"`); the
//! attribute wins, and when the two disagree a warning names both. Every bad value becomes a
//! [`ConfigWarning`] naming the attribute or key and the value, and the default stands: one
//! mistake never stops the widget.

use crate::checkout_config::{
    json_label, parse_checkout_settings, scalar_text, CheckoutSettings, CHECKOUT_KEYS,
};
use crate::currency::Currency;
use crate::i18n::Locale;
use crate::money::parse_minor;
use crate::pricing::{PricingRules, TaxRate};
use std::fmt;

/// Every script-tag attribute Kago reads. README's attribute table documents each one (default
/// and meaning); a test checks that every name here has its row there.
pub const SCRIPT_ATTRIBUTES: &[&str] = &[
    "data-currency",
    "data-locale",
    "data-tax-rate",
    "data-tax-included",
    "data-shipping-flat",
    "data-free-shipping-over",
    "data-support-email",
    "data-support-url",
    "data-order-endpoint",
    "data-config",
    "data-endpoint",
    "data-events-format",
    "data-events-contact",
    "data-consent",
    "data-datalayer",
    "data-abandon-after",
    "data-register-prompt",
    "data-register-endpoint",
    "data-register-incentive",
    "data-register-mode",
    "data-register-signin-url",
    "data-register-snooze-days",
    "data-feedback",
];

/// The id of the JSON settings block when `data-config` does not name another.
pub const DEFAULT_CONFIG_ID: &str = "kago-config";

/// The merchant's settings, after validation.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub currency: Currency,
    /// The currency setting was there but unreadable, so `currency` is a guess (USD): the
    /// saved cart is then left as it is (README, "Cart storage").
    pub currency_unreadable: bool,
    /// `None`: follow the browser's language.
    pub locale: Option<Locale>,
    pub pricing: PricingRules,
    pub support_email: Option<String>,
    pub support_url: Option<String>,
    pub order_endpoint: Option<String>,
    pub checkout: CheckoutSettings,
    pub events: EventSettings,
    pub registration: crate::registration::RegistrationSettings,
}

/// Where and how funnel events go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventSettings {
    pub endpoint: Option<String>,
    pub format: crate::event_queue::Format,
    pub contact: bool,
    pub consent_required: bool,
    pub datalayer: bool,
    pub abandon_after_minutes: u32,
}

impl Default for EventSettings {
    fn default() -> Self {
        EventSettings {
            endpoint: None,
            format: crate::event_queue::Format::Kago,
            contact: false,
            consent_required: false,
            datalayer: false,
            abandon_after_minutes: 30,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            currency: Currency::USD,
            currency_unreadable: false,
            locale: None,
            pricing: PricingRules::untaxed(Currency::USD),
            support_email: None,
            support_url: None,
            order_endpoint: None,
            checkout: CheckoutSettings::default(),
            events: EventSettings::default(),
            registration: Default::default(),
        }
    }
}

/// A merchant mistake in the settings, reported once in the console.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigWarning {
    Invalid {
        attribute: String,
        value: String,
        problem: String,
        fallback: String,
    },
    /// An entry of a list in the JSON block with a mistake, left out.
    Skipped {
        attribute: String,
        value: String,
        problem: String,
    },
    /// A near miss of a known attribute name (a typo), which Kago ignores.
    Unknown {
        attribute: String,
        suggestion: &'static str,
    },
    /// A key of the JSON block that Kago does not know.
    UnknownKey {
        key: String,
        suggestion: Option<String>,
    },
    /// The attribute and the JSON block set one setting to different values.
    Conflict {
        attribute: String,
        attribute_value: String,
        key: String,
        key_value: String,
    },
    /// The JSON block is not a JSON object.
    BadJson { id: String, problem: String },
}

impl fmt::Display for ConfigWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigWarning::Invalid { attribute, value, problem, fallback } => {
                write!(f, "Kago: {attribute}=\"{value}\" {problem}; using {fallback}.")
            }
            ConfigWarning::Skipped { attribute, value, problem } => {
                write!(f, "Kago: {attribute}=\"{value}\" {problem}; skipping this entry.")
            }
            ConfigWarning::Unknown { attribute, suggestion } => write!(
                f,
                "Kago: {attribute} is not a Kago setting and is ignored; did you mean {suggestion}?"
            ),
            ConfigWarning::UnknownKey { key, suggestion: Some(s) } => write!(
                f,
                "Kago: {} is not a Kago setting and is ignored; did you mean \"{s}\"?",
                json_label(key)
            ),
            ConfigWarning::UnknownKey { key, suggestion: None } => {
                write!(f, "Kago: {} is not a Kago setting and is ignored.", json_label(key))
            }
            ConfigWarning::Conflict { attribute, attribute_value, key, key_value } => write!(
                f,
                "Kago: {attribute}=\"{attribute_value}\" and {}=\"{key_value}\" disagree; the attribute wins.",
                json_label(key)
            ),
            ConfigWarning::BadJson { id, problem } => write!(
                f,
                "Kago: the settings block {id} is not a JSON object ({problem}); its settings are ignored."
            ),
        }
    }
}

/// A setting's value and how to name it in a message.
struct Setting {
    key: String,
    label: String,
    value: String,
}

/// The snake_case key of a script-tag attribute (`data-tax-rate` → `tax_rate`).
fn key_of(attribute: &str) -> String {
    attribute
        .strip_prefix("data-")
        .unwrap_or(attribute)
        .replace('-', "_")
}

/// Reads the settings from the script tag's `(attribute, value)` pairs, e.g.
/// `("data-currency", "JPY")`, and the text of the JSON block when the page has one.
/// `json` is `(where the block is, for messages, e.g. "#kago-config"; its text)`.
pub fn parse_config(
    attributes: &[(String, String)],
    json: Option<(&str, &str)>,
) -> (Config, Vec<ConfigWarning>) {
    let mut warnings = Vec::new();
    let mut settings: Vec<Setting> = attributes
        .iter()
        .map(|(name, value)| Setting {
            key: key_of(name),
            label: name.clone(),
            value: value.clone(),
        })
        .collect();

    let mut root = crate::json::Map::new();
    if let Some((id, text)) = json {
        match crate::json::parse(text) {
            Ok(crate::json::Value::Object(map)) => root = map,
            Ok(_) => warnings.push(ConfigWarning::BadJson {
                id: id.into(),
                problem: "it is not an object".into(),
            }),
            Err(e) => warnings.push(ConfigWarning::BadJson {
                id: id.into(),
                problem: e.to_string(),
            }),
        }
    }
    let short_keys: Vec<String> = SCRIPT_ATTRIBUTES
        .iter()
        .map(|a| key_of(a))
        .filter(|k| k != "config")
        .collect();
    let all_keys: Vec<&str> = short_keys
        .iter()
        .map(String::as_str)
        .chain(CHECKOUT_KEYS.iter().copied())
        .collect();
    for (key, value) in &root {
        if short_keys.contains(key) {
            let Some(text) = scalar_text(value) else {
                warnings.push(ConfigWarning::Invalid {
                    attribute: json_label(key),
                    value: value.to_string(),
                    problem: "must be a string, number or true/false".into(),
                    fallback: "the default".into(),
                });
                continue;
            };
            match settings.iter().find(|s| &s.key == key) {
                Some(s) if s.value.trim() != text.trim() => {
                    warnings.push(ConfigWarning::Conflict {
                        attribute: s.label.clone(),
                        attribute_value: s.value.clone(),
                        key: key.clone(),
                        key_value: text,
                    })
                }
                Some(_) => {}
                None => settings.push(Setting {
                    key: key.clone(),
                    label: json_label(key),
                    value: text,
                }),
            }
        } else if !all_keys.contains(&key.as_str()) {
            let suggestion = all_keys
                .iter()
                .find(|k| edit_distance(k, key) <= 2)
                .map(|k| k.to_string());
            warnings.push(ConfigWarning::UnknownKey {
                key: key.clone(),
                suggestion,
            });
        }
    }

    let get = |key: &str| {
        settings
            .iter()
            .find(|s| s.key == key)
            .map(|s| (s.label.as_str(), s.value.as_str()))
    };
    let mut invalid = |label: &str, value: &str, problem: String, fallback: &str| {
        warnings.push(ConfigWarning::Invalid {
            attribute: label.into(),
            value: value.into(),
            problem,
            fallback: fallback.into(),
        });
    };

    let mut currency_unreadable = false;
    let currency = match get("currency") {
        None => Currency::USD,
        Some((label, v)) => {
            Currency::from_code(&v.trim().to_ascii_uppercase()).unwrap_or_else(|| {
                invalid(label, v, "is not an ISO 4217 currency code".into(), "USD");
                currency_unreadable = true;
                Currency::USD
            })
        }
    };
    let locale = get("locale").and_then(|(label, v)| {
        let parsed = Locale::from_tag(v);
        if parsed.is_none() {
            invalid(
                label,
                v,
                "is not a supported locale (en, ja)".into(),
                "the browser's language",
            );
        }
        parsed
    });
    let tax_rate = get("tax_rate").map_or(TaxRate::default(), |(label, v)| {
        TaxRate::parse_percent(v).unwrap_or_else(|| {
            invalid(
                label,
                v,
                "is not a percentage from 0 to 100 (e.g. 10 or 8.25)".into(),
                "0",
            );
            TaxRate::default()
        })
    });
    let tax_included = match get("tax_included") {
        None => false,
        Some((label, v)) => match v.trim() {
            "false" => false,
            "true" | "" => true,
            _ => {
                invalid(label, v, "must be true or false".into(), "false");
                false
            }
        },
    };
    let mut amount = |key: &str, fallback: &str| -> Option<i64> {
        let (label, v) = get(key)?;
        parse_minor(v, currency.exponent())
            .map_err(|e| {
                invalid(
                    label,
                    v,
                    format!("is not a valid {currency} amount: it {e}"),
                    fallback,
                )
            })
            .ok()
    };
    let shipping_flat = amount("shipping_flat", "0").unwrap_or(0);
    let free_shipping_over = amount("free_shipping_over", "no free-shipping threshold");
    let mut checked = |key: &str, ok: fn(&str) -> bool, problem: &str, fallback: &str| {
        get(key).and_then(|(label, v)| {
            let fine = ok(v.trim());
            if !fine {
                invalid(label, v, problem.into(), fallback);
            }
            fine.then(|| v.trim().to_string())
        })
    };
    let support_email = checked(
        "support_email",
        is_email,
        "is not an e-mail address",
        "no support e-mail",
    );
    let support_url = checked(
        "support_url",
        is_web_url,
        "is not an http(s) URL",
        "no support link",
    );
    let order_endpoint = checked(
        "order_endpoint",
        is_web_url,
        "is not an http(s) URL or a path",
        "no order endpoint (checkout is off)",
    );

    let events_endpoint = checked(
        "endpoint",
        is_web_url,
        "is not an http(s) URL or a path",
        "no event endpoint",
    );
    let register_endpoint = checked(
        "register_endpoint",
        is_web_url,
        "is not an http(s) URL or a path",
        "no registration prompt",
    );
    let signin_url = checked(
        "register_signin_url",
        is_web_url,
        "is not an http(s) URL or a path",
        "no sign-in link",
    );
    // One of `options` (any case); `default` when absent, `if_bad` when it is something else.
    let mut choose = |key: &str, options: &[&str], default: &str, if_bad: &str| -> String {
        match get(key) {
            None => default.to_string(),
            Some((label, v)) => {
                let v_lower = v.trim().to_ascii_lowercase();
                if options.contains(&v_lower.as_str()) {
                    return v_lower;
                }
                invalid(
                    label,
                    v,
                    format!("must be one of {}", options.join(", ")),
                    if_bad,
                );
                if_bad.to_string()
            }
        }
    };
    let format = match choose("events_format", &["kago", "segment"], "kago", "kago").as_str() {
        "segment" => crate::event_queue::Format::Segment,
        _ => crate::event_queue::Format::Kago,
    };
    let contact = choose("events_contact", &["on", "off"], "off", "off") == "on";
    let datalayer = choose("datalayer", &["on", "off"], "off", "off") == "on";
    // A consent setting the merchant got wrong errs on the shopper's side: nothing is sent
    // before consent.
    let consent_required =
        choose("consent", &["required", "none"], "none", "required") == "required";
    let register_on = choose("register_prompt", &["on", "off"], "off", "off") == "on";
    let mode = match choose(
        "register_mode",
        &["password", "link"],
        "password",
        "password",
    )
    .as_str()
    {
        "link" => crate::registration::Mode::Link,
        _ => crate::registration::Mode::Password,
    };
    let feedback = choose("feedback", &["on", "off"], "off", "off") == "on";
    let abandon_after_minutes = match get("abandon_after") {
        None => 30,
        Some((label, v)) => match v.trim().parse::<u32>() {
            Ok(m) if (1..=1440).contains(&m) => m,
            _ => {
                invalid(
                    label,
                    v,
                    "must be whole minutes from 1 to 1440".into(),
                    "30",
                );
                30
            }
        },
    };
    let snooze_days = match get("register_snooze_days") {
        None => 30,
        Some((label, v)) => match v.trim().parse::<u32>() {
            Ok(d) if (1..=3650).contains(&d) => d,
            _ => {
                invalid(label, v, "must be whole days from 1 to 3650".into(), "30");
                30
            }
        },
    };
    let incentive = get("register_incentive")
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty());
    if register_on && register_endpoint.is_none() {
        invalid(
            "data-register-prompt",
            "on",
            "needs data-register-endpoint".into(),
            "no registration prompt",
        );
    }
    let registration = crate::registration::RegistrationSettings {
        enabled: register_on && register_endpoint.is_some(),
        endpoint: register_endpoint,
        incentive,
        mode,
        signin_url,
        snooze_days,
        feedback,
    };
    let events = EventSettings {
        endpoint: events_endpoint,
        format,
        contact,
        consent_required,
        datalayer,
        abandon_after_minutes,
    };

    for (name, _) in attributes {
        if SCRIPT_ATTRIBUTES.contains(&name.as_str()) {
            continue;
        }
        if let Some(known) = SCRIPT_ATTRIBUTES
            .iter()
            .find(|a| edit_distance(a, name) <= 2)
        {
            warnings.push(ConfigWarning::Unknown {
                attribute: name.clone(),
                suggestion: known,
            });
        }
    }

    let checkout = parse_checkout_settings(&root, currency, &mut warnings);
    let pricing = PricingRules {
        currency,
        tax_rate,
        tax_included,
        shipping_flat,
        free_shipping_over,
    };
    (
        Config {
            currency,
            currency_unreadable,
            locale,
            pricing,
            support_email,
            support_url,
            order_endpoint,
            checkout,
            events,
            registration,
        },
        warnings,
    )
}

/// A plausible address: one `@`, something before it, a dot in the domain, no spaces.
pub fn is_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.bytes().any(|b| b == b'@')
                && domain.bytes().any(|b| b == b'.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !text.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

/// An absolute `http:`/`https:` URL or a same-site path; never `javascript:` or `data:`.
pub fn is_web_url(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let valid_rest =
        |rest: &str| !rest.is_empty() && !rest.chars().any(|c| c.is_whitespace() || c.is_control());
    if let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    {
        return valid_rest(rest);
    }
    text.starts_with('/') && !text.starts_with("//") && valid_rest(text)
}

/// Levenshtein distance in bytes (setting names are ASCII), for "did you mean" hints.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b = b.as_bytes();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.bytes().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn no_attributes_give_the_defaults_silently() {
        let (config, warnings) = parse_config(&[], None);
        assert_eq!(config, Config::default());
        assert!(warnings.is_empty());
    }

    #[test]
    fn every_setting_is_read() {
        let (config, warnings) = parse_config(
            &attrs(&[
                ("data-currency", "JPY"),
                ("data-locale", "ja-JP"),
                ("data-tax-rate", "10"),
                ("data-tax-included", "true"),
                ("data-shipping-flat", "500"),
                ("data-free-shipping-over", "5000"),
                ("data-support-email", "help@example.jp"),
                ("data-support-url", "https://example.jp/help"),
                ("data-cfasync", "false"),
            ]),
            None,
        );
        assert_eq!(warnings, vec![]);
        assert_eq!(config.currency, Currency::JPY);
        assert_eq!(config.locale, Some(Locale::Ja));
        assert_eq!(config.pricing.tax_rate.millipercent, 10_000);
        assert!(config.pricing.tax_included);
        assert_eq!(config.pricing.shipping_flat, 500);
        assert_eq!(config.pricing.free_shipping_over, Some(5000));
        assert_eq!(config.support_email.as_deref(), Some("help@example.jp"));
        assert_eq!(
            config.support_url.as_deref(),
            Some("https://example.jp/help")
        );
    }

    #[test]
    fn each_bad_value_is_named_and_defaults_stand() {
        let (config, warnings) = parse_config(
            &attrs(&[
                ("data-currency", "DOLLARS"),
                ("data-locale", "fr"),
                ("data-tax-rate", "ten"),
                ("data-tax-included", "yes"),
                ("data-shipping-flat", "5,00"),
                ("data-free-shipping-over", "100.001"),
                ("data-support-email", "help"),
                ("data-support-url", "javascript:alert(1)"),
            ]),
            None,
        );
        // The currency is a guess now, which keeps a saved cart in another one from being replaced.
        assert_eq!(
            config,
            Config {
                currency_unreadable: true,
                ..Config::default()
            }
        );
        let text: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 8, "{text:#?}");
        assert_eq!(
            text[0],
            "Kago: data-currency=\"DOLLARS\" is not an ISO 4217 currency code; using USD."
        );
        for (line, attr) in text.iter().zip(SCRIPT_ATTRIBUTES) {
            assert!(line.contains(attr), "{line} should name {attr}");
        }
        assert!(text[4].contains("\"5,00\""));
    }

    #[test]
    fn amounts_follow_the_currency_exponent() {
        let (config, warnings) = parse_config(
            &attrs(&[("data-currency", "JPY"), ("data-shipping-flat", "5.50")]),
            None,
        );
        assert_eq!(config.pricing.shipping_flat, 0);
        assert_eq!(
            warnings[0].to_string(),
            "Kago: data-shipping-flat=\"5.50\" is not a valid JPY amount: it has decimals, but this currency has none; using 0."
        );
    }

    #[test]
    fn typos_of_known_attributes_are_reported() {
        let (_, warnings) = parse_config(&attrs(&[("data-curency", "EUR")]), None);
        assert_eq!(
            warnings,
            vec![ConfigWarning::Unknown {
                attribute: "data-curency".into(),
                suggestion: "data-currency"
            }]
        );
    }

    #[test]
    fn urls_and_emails_are_checked() {
        assert!(is_web_url("https://shop.example/help"));
        assert!(is_web_url("/help"));
        assert!(!is_web_url("//evil.example"));
        assert!(!is_web_url("JavaScript:alert(1)"));
        assert!(!is_web_url("https://"));
        assert!(is_email("a@b.co"));
        assert!(!is_email("a@b"));
        assert!(!is_email("a b@c.de"));
    }

    #[test]
    fn the_json_block_holds_every_setting_and_attributes_win_loudly() {
        let json = r#"{"currency": "JPY", "tax_rate": 10, "tax_included": true, "order_endpoint": "/api/orders",
                       "country": "JP", "shipping_methods": [{"id": "std", "label": "通常配送", "price": 500}]}"#;
        let (config, warnings) = parse_config(
            &attrs(&[("data-tax-rate", "8")]),
            Some(("kago-config", json)),
        );
        assert_eq!(config.currency, Currency::JPY);
        assert!(config.pricing.tax_included);
        assert_eq!(
            config.pricing.tax_rate.millipercent, 8000,
            "the attribute wins"
        );
        assert_eq!(config.order_endpoint.as_deref(), Some("/api/orders"));
        assert_eq!(config.checkout.country.as_deref(), Some("JP"));
        assert_eq!(config.checkout.shipping_methods[0].price, 500);
        assert_eq!(
            warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
            vec!["Kago: data-tax-rate=\"8\" and kago-config \"tax_rate\"=\"10\" disagree; the attribute wins."]
        );
    }

    #[test]
    fn bad_json_values_and_unknown_keys_are_named() {
        let json =
            r#"{"currency": "YEN", "shiping_methods": [], "colour": "red", "tax_rate": [1]}"#;
        let (config, warnings) = parse_config(&[], Some(("kago-config", json)));
        assert_eq!(config.currency, Currency::USD);
        let text: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert!(
            text.iter()
                .any(|w| w.contains("kago-config \"currency\"=\"YEN\"")),
            "{text:#?}"
        );
        assert!(
            text.iter().any(|w| w.contains("\"shiping_methods\"")
                && w.contains("did you mean \"shipping_methods\"")),
            "{text:#?}"
        );
        assert!(
            text.iter()
                .any(|w| w.contains("\"colour\" is not a Kago setting")),
            "{text:#?}"
        );
        assert!(text.iter().any(|w| w.contains("\"tax_rate\"")), "{text:#?}");
        let (_, warnings) = parse_config(&[], Some(("#shop-settings", "{oops")));
        assert!(warnings[0]
            .to_string()
            .starts_with("Kago: the settings block #shop-settings is not a JSON object"));
    }

    #[test]
    fn event_settings_are_read_and_checked() {
        let (config, warnings) = parse_config(
            &attrs(&[
                ("data-endpoint", "/api/events"),
                ("data-events-format", "segment"),
                ("data-events-contact", "on"),
                ("data-consent", "required"),
                ("data-datalayer", "on"),
                ("data-abandon-after", "10"),
            ]),
            None,
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(config.events.endpoint.as_deref(), Some("/api/events"));
        assert_eq!(config.events.format, crate::event_queue::Format::Segment);
        assert!(config.events.contact && config.events.consent_required && config.events.datalayer);
        assert_eq!(config.events.abandon_after_minutes, 10);
        let (config, warnings) = parse_config(
            &attrs(&[("data-events-format", "ga"), ("data-consent", "yes")]),
            None,
        );
        // A consent setting the merchant got wrong errs on the shopper's side.
        assert_eq!(
            config.events,
            EventSettings {
                consent_required: true,
                ..EventSettings::default()
            }
        );
        assert_eq!(warnings.len(), 2);
        assert!(warnings[0]
            .to_string()
            .contains("data-events-format=\"ga\""));
        assert_eq!(
            warnings[1].to_string(),
            "Kago: data-consent=\"yes\" must be one of required, none; using required."
        );
        // Choices and currency codes are read in any case, as the loader reads the code.
        let (config, warnings) = parse_config(
            &attrs(&[
                ("data-consent", "Required"),
                ("data-events-format", " Segment "),
                ("data-currency", "jpy"),
            ]),
            None,
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        assert!(config.events.consent_required);
        assert_eq!(config.events.format, crate::event_queue::Format::Segment);
        assert_eq!(config.currency, Currency::JPY);
    }

    #[test]
    fn registration_settings_are_read_and_need_an_endpoint() {
        let (config, warnings) = parse_config(
            &attrs(&[
                ("data-register-prompt", "on"),
                ("data-register-endpoint", "/api/register"),
                ("data-register-incentive", "10% off your next order"),
                ("data-register-mode", "link"),
                ("data-register-snooze-days", "7"),
                ("data-feedback", "on"),
            ]),
            None,
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        let r = &config.registration;
        assert!(r.enabled && r.feedback);
        assert_eq!(r.mode, crate::registration::Mode::Link);
        assert_eq!(
            (r.snooze_days, r.incentive.as_deref()),
            (7, Some("10% off your next order"))
        );
        let (config, warnings) = parse_config(&attrs(&[("data-register-prompt", "on")]), None);
        assert!(!config.registration.enabled);
        assert!(
            warnings[0].to_string().contains("data-register-endpoint"),
            "{warnings:?}"
        );
    }

    #[test]
    fn readme_documents_every_attribute() {
        let readme = include_str!("../../README.md");
        for attr in SCRIPT_ATTRIBUTES {
            let row = format!("| `{attr}` |");
            assert!(
                readme.contains(&row),
                "README's attribute table lacks {attr}"
            );
        }
        for key in CHECKOUT_KEYS {
            let row = format!("| `{key}` |");
            assert!(
                readme.contains(&row),
                "README's JSON settings table lacks {key}"
            );
        }
    }
}
