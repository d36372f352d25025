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
use crate::event_queue::Format;
use crate::i18n::Locale;
use crate::money::parse_minor;
use crate::pricing::{PricingRules, TaxRate};
use crate::registration::{Mode, RegistrationSettings};
use crate::text::{is_email, near_miss};
use crate::url::{check_url, ResolveUrl, UrlUse};
use serde_json::{Map, Value};
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
    "data-cart-button",
    "data-postal-lookup",
];

/// Keys of the JSON block that are neither a script-tag setting nor a checkout setting.
pub const OTHER_KEYS: &[&str] = &["texts"];

/// Where the floating cart button goes (`data-cart-button`): `none` leaves opening the cart to
/// the page (`Kago.open()`, or any element with `data-kago-open`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CartButton {
    #[default]
    BottomRight,
    BottomLeft,
    None,
}

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
    pub registration: RegistrationSettings,
    pub cart_button: CartButton,
    /// The shop's wording for some strings (the JSON block's `"texts"`).
    pub texts: crate::texts::Texts,
    /// Where the Japanese checkout's postal-code files are (`data-postal-lookup`).
    pub postal_lookup: PostalLookup,
}

/// Where the postal-code lookup of a shop shipping to Japan fetches its `NNN.json` files.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum PostalLookup {
    /// `postal/` beside `kago.js` (the loader's folder), resolved when the widget starts.
    #[default]
    BesideLoader,
    /// The folder at this URL (ending in `/`).
    At(String),
    /// No lookup: the shopper types the whole address.
    Off,
}

/// Where and how funnel events go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventSettings {
    pub endpoint: Option<String>,
    pub format: Format,
    pub contact: bool,
    pub consent_required: bool,
    pub datalayer: bool,
    pub abandon_after_minutes: u32,
}

impl Default for EventSettings {
    fn default() -> Self {
        EventSettings {
            endpoint: None,
            format: Format::Kago,
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
            cart_button: CartButton::default(),
            texts: Default::default(),
            postal_lookup: PostalLookup::default(),
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

/// Where the merchant's mistakes go: each becomes one console warning.
#[derive(Debug, Default)]
pub(crate) struct Warnings(pub(crate) Vec<ConfigWarning>);

impl Warnings {
    /// A bad value: `fallback` is what Kago uses instead.
    pub(crate) fn invalid(&mut self, label: &str, value: &str, problem: &str, fallback: &str) {
        self.0.push(ConfigWarning::Invalid {
            attribute: label.into(),
            value: value.into(),
            problem: problem.into(),
            fallback: fallback.into(),
        });
    }

    /// A list entry with a mistake, left out.
    pub(crate) fn skipped(&mut self, label: &str, value: &str, problem: &str) {
        self.0.push(ConfigWarning::Skipped {
            attribute: label.into(),
            value: value.into(),
            problem: problem.into(),
        });
    }
}

/// A setting's value and how to name it in a message (`data-tax-rate` or `kago-config "tax_rate"`).
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

/// The short settings (those a script-tag attribute can hold), from the attributes and the JSON
/// block together, read one by one: each reader checks its value and, when it is bad, warns
/// and returns the default.
struct ShortSettings<'w> {
    settings: Vec<Setting>,
    warnings: &'w mut Warnings,
    /// The browser's URL parser, for the URL settings.
    urls: &'w dyn ResolveUrl,
}

impl ShortSettings<'_> {
    fn get(&self, key: &str) -> Option<(&str, &str)> {
        self.settings
            .iter()
            .find(|s| s.key == key)
            .map(|s| (s.label.as_str(), s.value.as_str()))
    }

    /// The value read by `parse`; `default` when absent, `fallback` (worded `fallback_text`)
    /// when `parse` refuses it with its problem.
    fn read<T>(
        &mut self,
        key: &str,
        default: T,
        fallback: (T, &str),
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> T {
        let Some((label, value)) = self.get(key) else {
            return default;
        };
        match parse(value) {
            Ok(parsed) => parsed,
            Err(problem) => {
                let (label, value) = (label.to_string(), value.to_string());
                self.warnings.invalid(&label, &value, &problem, fallback.1);
                fallback.0
            }
        }
    }

    /// One of `options` (any case, spaces around ignored).
    fn choice<T: Copy>(
        &mut self,
        key: &str,
        options: &[(&str, T)],
        default: T,
        if_bad: (T, &str),
    ) -> T {
        self.read(key, default, if_bad, |v| {
            let v = v.trim().to_ascii_lowercase();
            options
                .iter()
                .find(|(name, _)| *name == v)
                .map(|(_, value)| *value)
                .ok_or_else(|| {
                    let names: Vec<&str> = options.iter().map(|(name, _)| *name).collect();
                    format!("must be one of {}", names.join(", "))
                })
        })
    }

    /// `on` or `off`.
    fn switch(&mut self, key: &str) -> bool {
        self.choice(key, &[("on", true), ("off", false)], false, (false, "off"))
    }

    /// A text that passes `valid` (trimmed), else none.
    fn checked(
        &mut self,
        key: &str,
        valid: fn(&str) -> bool,
        problem: &str,
        fallback: &str,
    ) -> Option<String> {
        self.read(key, None, (None, fallback), |v| {
            let v = v.trim();
            valid(v)
                .then(|| Some(v.to_string()))
                .ok_or_else(|| problem.to_string())
        })
    }

    /// A URL for `use_` (`crate::url`'s rule), resolved against the page.
    fn url(&mut self, key: &str, use_: UrlUse, fallback: &str) -> Option<String> {
        let urls = self.urls;
        self.read(key, None, (None, fallback), |v| {
            check_url(v.trim(), use_, urls)
                .map(Some)
                .map_err(|problem| problem.to_string())
        })
    }

    /// An amount in major units of `currency`, as minor units.
    fn amount(&mut self, key: &str, currency: Currency, fallback: &str) -> Option<i64> {
        self.read(key, None, (None, fallback), |v| {
            parse_minor(v, currency.exponent())
                .map(Some)
                .map_err(|e| format!("is not a valid {currency} amount: it {e}"))
        })
    }

    /// A whole number from `range`, `default` otherwise.
    fn whole(
        &mut self,
        key: &str,
        range: std::ops::RangeInclusive<u32>,
        unit: &str,
        default: u32,
    ) -> u32 {
        let fallback = default.to_string();
        self.read(key, default, (default, &fallback), |v| {
            v.trim()
                .parse::<u32>()
                .ok()
                .filter(|n| range.contains(n))
                .ok_or_else(|| {
                    format!(
                        "must be whole {unit} from {} to {}",
                        range.start(),
                        range.end()
                    )
                })
        })
    }
}

/// The attributes as settings, plus the JSON block's short keys that no attribute sets (an
/// attribute that disagrees with its key wins, with a warning); unknown keys of the block are
/// reported with a "did you mean".
fn gather_settings(
    attributes: &[(String, String)],
    root: &Map<String, Value>,
    warnings: &mut Warnings,
) -> Vec<Setting> {
    let mut settings: Vec<Setting> = attributes
        .iter()
        .map(|(name, value)| Setting {
            key: key_of(name),
            label: name.clone(),
            value: value.clone(),
        })
        .collect();
    let short_keys: Vec<String> = SCRIPT_ATTRIBUTES
        .iter()
        .map(|a| key_of(a))
        .filter(|k| k != "config")
        .collect();
    let all_keys: Vec<&str> = short_keys
        .iter()
        .map(String::as_str)
        .chain(CHECKOUT_KEYS.iter().copied())
        .chain(OTHER_KEYS.iter().copied())
        .collect();
    for (key, value) in root {
        if !short_keys.contains(key) {
            if !all_keys.contains(&key.as_str()) {
                warnings.0.push(ConfigWarning::UnknownKey {
                    key: key.clone(),
                    suggestion: near_miss(key, all_keys.iter().copied()).map(String::from),
                });
            }
            continue;
        }
        let Some(text) = scalar_text(value) else {
            warnings.invalid(
                &json_label(key),
                &value.to_string(),
                "must be a string, number or true/false",
                "the default",
            );
            continue;
        };
        match settings.iter().find(|s| &s.key == key) {
            Some(s) if s.value.trim() != text.trim() => warnings.0.push(ConfigWarning::Conflict {
                attribute: s.label.clone(),
                attribute_value: s.value.clone(),
                key: key.clone(),
                key_value: text,
            }),
            Some(_) => {}
            None => settings.push(Setting {
                key: key.clone(),
                label: json_label(key),
                value: text,
            }),
        }
    }
    for (name, _) in attributes {
        if SCRIPT_ATTRIBUTES.contains(&name.as_str()) {
            continue;
        }
        if let Some(known) = near_miss(name, SCRIPT_ATTRIBUTES.iter().copied()) {
            warnings.0.push(ConfigWarning::Unknown {
                attribute: name.clone(),
                suggestion: known,
            });
        }
    }
    settings
}

/// Reads the settings from the script tag's `(attribute, value)` pairs, e.g.
/// `("data-currency", "JPY")`, and the text of the JSON block when the page has one.
/// `json` is `(where the block is, for messages, e.g. "#kago-config"; its text)`; `urls` resolves
/// the URL settings as the page's browser does (`crate::url`).
pub fn parse_config(
    attributes: &[(String, String)],
    json: Option<(&str, &str)>,
    urls: &dyn ResolveUrl,
) -> (Config, Vec<ConfigWarning>) {
    let mut warnings = Warnings::default();
    let mut root = Map::new();
    if let Some((id, text)) = json {
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(map)) => root = map,
            Ok(_) => warnings.0.push(ConfigWarning::BadJson {
                id: id.into(),
                problem: "it is not an object".into(),
            }),
            Err(e) => warnings.0.push(ConfigWarning::BadJson {
                id: id.into(),
                problem: e.to_string(),
            }),
        }
    }
    let settings = gather_settings(attributes, &root, &mut warnings);
    let mut s = ShortSettings {
        settings,
        warnings: &mut warnings,
        urls,
    };

    let currency = s.read("currency", Some(Currency::USD), (None, "USD"), |v| {
        Currency::from_code(&v.trim().to_ascii_uppercase())
            .map(Some)
            .ok_or_else(|| "is not an ISO 4217 currency code".into())
    });
    // An unreadable currency is a guess (USD), which keeps a saved cart in another one.
    let currency_unreadable = currency.is_none();
    let currency = currency.unwrap_or(Currency::USD);
    let locale = s.read("locale", None, (None, "the browser's language"), |v| {
        Locale::from_tag(v)
            .map(Some)
            .ok_or_else(|| "is not a supported locale (en, ja)".into())
    });
    let pricing = PricingRules {
        currency,
        tax_rate: s.read(
            "tax_rate",
            TaxRate::default(),
            (TaxRate::default(), "0"),
            |v| {
                TaxRate::parse_percent(v)
                    .ok_or_else(|| "is not a percentage from 0 to 100 (e.g. 10 or 8.25)".into())
            },
        ),
        // A bare `data-tax-included` attribute means true.
        tax_included: s.choice(
            "tax_included",
            &[("true", true), ("", true), ("false", false)],
            false,
            (false, "false"),
        ),
        shipping_flat: s.amount("shipping_flat", currency, "0").unwrap_or(0),
        free_shipping_over: s.amount("free_shipping_over", currency, "no free-shipping threshold"),
    };
    let support_email = s.checked(
        "support_email",
        is_email,
        "is not an e-mail address",
        "no support e-mail",
    );
    let support_url = s.url("support_url", UrlUse::Link, "no support link");
    let order_endpoint = s.url(
        "order_endpoint",
        UrlUse::Endpoint,
        "no order endpoint (checkout is off)",
    );
    let events = EventSettings {
        endpoint: s.url("endpoint", UrlUse::Endpoint, "no event endpoint"),
        format: s.choice(
            "events_format",
            &[("kago", Format::Kago), ("segment", Format::Segment)],
            Format::Kago,
            (Format::Kago, "kago"),
        ),
        contact: s.switch("events_contact"),
        // A consent setting the merchant got wrong errs on the shopper's side: nothing is sent
        // before consent.
        consent_required: s.choice(
            "consent",
            &[("required", true), ("none", false)],
            false,
            (true, "required"),
        ),
        datalayer: s.switch("datalayer"),
        abandon_after_minutes: s.whole("abandon_after", 1..=1440, "minutes", 30),
    };
    let register_endpoint = s.url(
        "register_endpoint",
        UrlUse::Endpoint,
        "no registration prompt",
    );
    let register_on = s.switch("register_prompt");
    if register_on && register_endpoint.is_none() {
        s.warnings.invalid(
            "data-register-prompt",
            "on",
            "needs data-register-endpoint",
            "no registration prompt",
        );
    }
    let registration = RegistrationSettings {
        enabled: register_on && register_endpoint.is_some(),
        endpoint: register_endpoint,
        incentive: s
            .get("register_incentive")
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty()),
        mode: s.choice(
            "register_mode",
            &[("password", Mode::Password), ("link", Mode::Link)],
            Mode::Password,
            (Mode::Password, "password"),
        ),
        signin_url: s.url("register_signin_url", UrlUse::Link, "no sign-in link"),
        snooze_days: s.whole("register_snooze_days", 1..=3650, "days", 30),
        feedback: s.switch("feedback"),
    };

    let cart_button = s.choice(
        "cart_button",
        &[
            ("bottom-right", CartButton::BottomRight),
            ("bottom-left", CartButton::BottomLeft),
            ("none", CartButton::None),
        ],
        CartButton::BottomRight,
        (CartButton::BottomRight, "bottom-right"),
    );

    let urls = s.urls;
    let postal_lookup = s.read(
        "postal_lookup",
        PostalLookup::BesideLoader,
        (PostalLookup::BesideLoader, "postal/ beside kago.js"),
        |v| match v.trim() {
            off if off.eq_ignore_ascii_case("off") => Ok(PostalLookup::Off),
            // Fetched like an endpoint's answer: the page's origin or https.
            url => match check_url(url, UrlUse::Endpoint, urls) {
                Ok(url) if url.ends_with('/') => Ok(PostalLookup::At(url)),
                Ok(url) => Ok(PostalLookup::At(format!("{url}/"))),
                Err(problem) => Err(problem.to_string()),
            },
        },
    );

    let checkout = parse_checkout_settings(&root, currency, &mut warnings);
    let texts = root
        .get("texts")
        .map(|value| crate::texts::parse_texts(value, &mut warnings))
        .unwrap_or_default();
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
            cart_button,
            texts,
            postal_lookup,
        },
        warnings.0,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The settings of a page at `http://shop.example/products/tee.html`.
    fn parse_config(
        attributes: &[(String, String)],
        json: Option<(&str, &str)>,
    ) -> (Config, Vec<ConfigWarning>) {
        super::parse_config(attributes, json, &crate::url::tests::Page)
    }

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
        assert_eq!(
            config.order_endpoint.as_deref(),
            Some("http://shop.example/api/orders"),
            "resolved against the page"
        );
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
        assert_eq!(
            config.events.endpoint.as_deref(),
            Some("http://shop.example/api/events")
        );
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
    fn url_settings_follow_the_one_url_rule() {
        let (config, warnings) = parse_config(
            &attrs(&[
                ("data-support-url", "/\\evil.example/help"),
                ("data-order-endpoint", "http://orders.example/api"),
                ("data-endpoint", "//collect.example/e"),
                (
                    "data-register-endpoint",
                    "https://accounts.example/register",
                ),
                ("data-register-signin-url", "../signin"),
            ]),
            None,
        );
        assert_eq!(config.support_url, None);
        assert_eq!(config.order_endpoint, None);
        assert_eq!(config.events.endpoint, None);
        assert_eq!(
            config.registration.endpoint.as_deref(),
            Some("https://accounts.example/register")
        );
        assert_eq!(
            config.registration.signin_url.as_deref(),
            Some("http://shop.example/signin")
        );
        let said: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            said,
            [
                "Kago: data-support-url=\"/\\evil.example/help\" looks like a path on this site, but the browser reads it as http://evil.example/help, another site; using no support link.",
                "Kago: data-order-endpoint=\"http://orders.example/api\" resolves to http://orders.example/api: plain http: on another site than this page's (use https:); using no order endpoint (checkout is off).",
                "Kago: data-endpoint=\"//collect.example/e\" resolves to http://collect.example/e: plain http: on another site than this page's (use https:); using no event endpoint.",
            ]
        );
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
    fn the_cart_button_goes_right_left_or_nowhere() {
        let read = |value: &str| parse_config(&attrs(&[("data-cart-button", value)]), None);
        assert_eq!(
            parse_config(&[], None).0.cart_button,
            CartButton::BottomRight
        );
        assert_eq!(read("none").0.cart_button, CartButton::None);
        assert_eq!(read("Bottom-Left").0.cart_button, CartButton::BottomLeft);
        let (config, warnings) = read("top");
        assert_eq!(config.cart_button, CartButton::BottomRight);
        assert_eq!(
            warnings[0].to_string(),
            "Kago: data-cart-button=\"top\" must be one of bottom-right, bottom-left, none; using bottom-right."
        );
        let (config, warnings) =
            parse_config(&[], Some(("#kago-config", r#"{"cart_button": "none"}"#)));
        assert_eq!((config.cart_button, warnings), (CartButton::None, vec![]));
    }

    #[test]
    fn texts_in_the_json_block_are_read_and_checked() {
        let (config, warnings) = parse_config(
            &[],
            Some((
                "#kago-config",
                r#"{"texts": {"checkout": "Go to payment", "chekout": "x"}}"#,
            )),
        );
        let en = config.texts.apply(Locale::En);
        assert_eq!(en.checkout, "Go to payment");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].to_string().contains("texts.chekout"));
    }

    #[test]
    fn the_postal_lookup_is_beside_the_loader_at_a_url_or_off() {
        let lookup = |value: &str| {
            let (config, warnings) = parse_config(&attrs(&[("data-postal-lookup", value)]), None);
            (config.postal_lookup, warnings)
        };
        assert_eq!(
            parse_config(&[], None).0.postal_lookup,
            PostalLookup::BesideLoader
        );
        assert_eq!(lookup("off"), (PostalLookup::Off, vec![]));
        assert_eq!(lookup(" OFF "), (PostalLookup::Off, vec![]));
        assert_eq!(
            lookup("https://cdn.example.jp/kago-postal"),
            (
                PostalLookup::At("https://cdn.example.jp/kago-postal/".into()),
                vec![]
            )
        );
        // Resolved against the page, as every merchant URL is.
        assert_eq!(
            lookup("/postal/").0,
            PostalLookup::At("http://shop.example/postal/".into())
        );
        let (bad, warnings) = lookup("javascript:alert(1)");
        assert_eq!(bad, PostalLookup::BesideLoader);
        assert_eq!(
            warnings[0].to_string(),
            "Kago: data-postal-lookup=\"javascript:alert(1)\" is a javascript: URL, not http: or https:; using postal/ beside kago.js."
        );
        // In the JSON block too, as "postal_lookup".
        let (config, warnings) =
            parse_config(&[], Some(("#kago-config", r#"{"postal_lookup": "off"}"#)));
        assert_eq!(
            (config.postal_lookup, warnings),
            (PostalLookup::Off, vec![])
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
        for key in CHECKOUT_KEYS.iter().chain(OTHER_KEYS) {
            let row = format!("| `{key}` |");
            assert!(
                readme.contains(&row),
                "README's JSON settings table lacks {key}"
            );
        }
    }
}
