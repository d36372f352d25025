//! The merchant's settings, read from the script tag's `data-*` attributes.
//!
//! Every bad value becomes a [`ConfigWarning`] naming the attribute and the value, and the
//! default stands: one mistake never stops the widget.

use crate::core::currency::Currency;
use crate::core::i18n::Locale;
use crate::core::money::parse_minor;
use crate::core::pricing::{PricingRules, TaxRate};
use std::fmt;

/// One documented script-tag attribute. README's table is checked against this list.
pub struct AttributeDoc {
    pub name: &'static str,
    pub default: &'static str,
    pub meaning: &'static str,
}

pub const SCRIPT_ATTRIBUTES: &[AttributeDoc] = &[
    AttributeDoc {
        name: "data-currency",
        default: "USD",
        meaning: "ISO 4217 code of the shop currency",
    },
    AttributeDoc {
        name: "data-locale",
        default: "from the browser",
        meaning: "`en` or `ja`",
    },
    AttributeDoc {
        name: "data-tax-rate",
        default: "0",
        meaning: "tax rate in percent, up to 3 decimals",
    },
    AttributeDoc {
        name: "data-tax-included",
        default: "false",
        meaning: "`true` when prices include tax",
    },
    AttributeDoc {
        name: "data-shipping-flat",
        default: "0",
        meaning: "flat shipping rate, major units",
    },
    AttributeDoc {
        name: "data-free-shipping-over",
        default: "none",
        meaning: "subtotal (after discount) from which shipping is free, major units",
    },
    AttributeDoc {
        name: "data-support-email",
        default: "none",
        meaning: "support e-mail shown in the cart",
    },
    AttributeDoc {
        name: "data-support-url",
        default: "none",
        meaning: "support page (https) shown in the cart",
    },
];

/// The merchant's settings, after validation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub currency: Currency,
    /// `None`: follow the browser's language.
    pub locale: Option<Locale>,
    pub pricing: PricingRules,
    pub support_email: Option<String>,
    pub support_url: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            currency: Currency::USD,
            locale: None,
            pricing: PricingRules::untaxed(Currency::USD),
            support_email: None,
            support_url: None,
        }
    }
}

/// A merchant mistake in the script tag, reported once in the console.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigWarning {
    Invalid {
        attribute: String,
        value: String,
        problem: String,
        fallback: String,
    },
    /// A near miss of a known attribute name (a typo), which Kago ignores.
    Unknown {
        attribute: String,
        suggestion: &'static str,
    },
}

impl fmt::Display for ConfigWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigWarning::Invalid {
                attribute,
                value,
                problem,
                fallback,
            } => {
                write!(
                    f,
                    "Kago: {attribute}=\"{value}\" {problem}; using {fallback}."
                )
            }
            ConfigWarning::Unknown {
                attribute,
                suggestion,
            } => {
                write!(f, "Kago: {attribute} is not a Kago setting and is ignored; did you mean {suggestion}?")
            }
        }
    }
}

/// Reads the settings from `(attribute name, value)` pairs, e.g. `("data-currency", "JPY")`.
pub fn parse_config(attributes: &[(String, String)]) -> (Config, Vec<ConfigWarning>) {
    let get = |name: &str| {
        attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let mut warnings = Vec::new();
    let mut invalid = |attribute: &str, value: &str, problem: String, fallback: &str| {
        warnings.push(ConfigWarning::Invalid {
            attribute: attribute.into(),
            value: value.into(),
            problem,
            fallback: fallback.into(),
        });
    };

    let currency = match get("data-currency") {
        None => Currency::USD,
        Some(v) => Currency::from_code(v.trim()).unwrap_or_else(|| {
            invalid(
                "data-currency",
                v,
                "is not an ISO 4217 currency code".into(),
                "USD",
            );
            Currency::USD
        }),
    };
    let locale = get("data-locale").and_then(|v| {
        let parsed = Locale::from_tag(v);
        if parsed.is_none() {
            invalid(
                "data-locale",
                v,
                "is not a supported locale (en, ja)".into(),
                "the browser's language",
            );
        }
        parsed
    });
    let tax_rate = get("data-tax-rate").map_or(TaxRate::default(), |v| {
        TaxRate::parse_percent(v).unwrap_or_else(|| {
            invalid(
                "data-tax-rate",
                v,
                "is not a percentage from 0 to 100 (e.g. 10 or 8.25)".into(),
                "0",
            );
            TaxRate::default()
        })
    });
    let tax_included = match get("data-tax-included").map(str::trim) {
        None | Some("false") => false,
        Some("true") | Some("") => true,
        Some(v) => {
            invalid(
                "data-tax-included",
                v,
                "must be true or false".into(),
                "false",
            );
            false
        }
    };
    let mut amount = |name: &str, fallback: &str| -> Option<i64> {
        let v = get(name)?;
        parse_minor(v, currency.exponent())
            .map_err(|e| {
                invalid(
                    name,
                    v,
                    format!("is not a valid {currency} amount: it {e}"),
                    fallback,
                )
            })
            .ok()
    };
    let shipping_flat = amount("data-shipping-flat", "0").unwrap_or(0);
    let free_shipping_over = amount("data-free-shipping-over", "no free-shipping threshold");
    let support_email = get("data-support-email").and_then(|v| {
        let ok = is_email(v.trim());
        if !ok {
            invalid(
                "data-support-email",
                v,
                "is not an e-mail address".into(),
                "no support e-mail",
            );
        }
        ok.then(|| v.trim().to_string())
    });
    let support_url = get("data-support-url").and_then(|v| {
        let ok = is_web_url(v.trim());
        if !ok {
            invalid(
                "data-support-url",
                v,
                "is not an http(s) URL".into(),
                "no support link",
            );
        }
        ok.then(|| v.trim().to_string())
    });

    for (name, _) in attributes {
        if SCRIPT_ATTRIBUTES.iter().any(|a| a.name == name) {
            continue;
        }
        if let Some(known) = SCRIPT_ATTRIBUTES
            .iter()
            .find(|a| edit_distance(a.name, name) <= 2)
        {
            warnings.push(ConfigWarning::Unknown {
                attribute: name.clone(),
                suggestion: known.name,
            });
        }
    }

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
            locale,
            pricing,
            support_email,
            support_url,
        },
        warnings,
    )
}

/// A plausible address: one `@`, something before it, a dot in the domain, no spaces.
pub fn is_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
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

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
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
        let (config, warnings) = parse_config(&[]);
        assert_eq!(config, Config::default());
        assert!(warnings.is_empty());
    }

    #[test]
    fn every_setting_is_read() {
        let (config, warnings) = parse_config(&attrs(&[
            ("data-currency", "JPY"),
            ("data-locale", "ja-JP"),
            ("data-tax-rate", "10"),
            ("data-tax-included", "true"),
            ("data-shipping-flat", "500"),
            ("data-free-shipping-over", "5000"),
            ("data-support-email", "help@example.jp"),
            ("data-support-url", "https://example.jp/help"),
            ("data-cfasync", "false"),
        ]));
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
        let (config, warnings) = parse_config(&attrs(&[
            ("data-currency", "DOLLARS"),
            ("data-locale", "fr"),
            ("data-tax-rate", "ten"),
            ("data-tax-included", "yes"),
            ("data-shipping-flat", "5,00"),
            ("data-free-shipping-over", "100.001"),
            ("data-support-email", "help"),
            ("data-support-url", "javascript:alert(1)"),
        ]));
        assert_eq!(config, Config::default());
        let text: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 8, "{text:#?}");
        assert_eq!(
            text[0],
            "Kago: data-currency=\"DOLLARS\" is not an ISO 4217 currency code; using USD."
        );
        for (line, attr) in text.iter().zip(SCRIPT_ATTRIBUTES) {
            assert!(line.contains(attr.name), "{line} should name {}", attr.name);
        }
        assert!(text[4].contains("\"5,00\""));
    }

    #[test]
    fn amounts_follow_the_currency_exponent() {
        let (config, warnings) = parse_config(&attrs(&[
            ("data-currency", "JPY"),
            ("data-shipping-flat", "5.50"),
        ]));
        assert_eq!(config.pricing.shipping_flat, 0);
        assert_eq!(
            warnings[0].to_string(),
            "Kago: data-shipping-flat=\"5.50\" is not a valid JPY amount: it has decimals, but this currency has none; using 0."
        );
    }

    #[test]
    fn typos_of_known_attributes_are_reported() {
        let (_, warnings) = parse_config(&attrs(&[("data-curency", "EUR")]));
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
    fn readme_documents_every_attribute() {
        let readme = include_str!("../../README.md");
        for attr in SCRIPT_ATTRIBUTES {
            let row = format!("| `{}` |", attr.name);
            assert!(
                readme.contains(&row),
                "README's attribute table lacks {}",
                attr.name
            );
        }
    }
}
