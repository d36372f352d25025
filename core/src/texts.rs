//! The shop's own wording for the strings shops most often change (the JSON block's `"texts"`:
//! `{"checkout": "Go to payment"}`), over the built-in English and Japanese of [`crate::i18n`].
//!
//! A known set of keys ([`TextKey`]), each named as its field of [`Strings`]: an unknown key, a
//! value that is not a non-empty string, or a `{placeholder}` the text does not fill is one
//! warning naming it, and the built-in text stands. `"en"` and `"ja"` hold texts for one locale
//! only: `{"checkout": "Pay", "ja": {"checkout": "お支払いへ"}}`.

use crate::checkout_config::json_label;
use crate::config::Warnings;
use crate::i18n::{Locale, Strings};
use crate::text::near_miss;
use serde_json::Value;

/// Longest text a shop may set, in characters.
pub const MAX_TEXT_CHARS: usize = 200;

/// A string a shop may reword.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, strum::EnumIter, strum::IntoStaticStr, strum::EnumString,
)]
#[strum(serialize_all = "snake_case")]
pub enum TextKey {
    /// The cart's heading: "Your cart".
    CartHeading,
    /// The cart's main button: "Checkout".
    Checkout,
    /// The empty cart: "Your cart is empty."
    Empty,
    /// "Continue shopping".
    ContinueShopping,
    /// The checkout's heading: "Checkout".
    CheckoutHeading,
    /// "Place order".
    PlaceOrder,
    /// The confirmation's heading: "Thank you for your order".
    ConfirmationHeading,
    /// Below the order number: "The shop will send a confirmation to {email}. …".
    NextSteps,
    /// "Add {amount} more for free shipping."
    FreeShippingHint,
}

impl TextKey {
    /// Every key, in the order of the README's table.
    pub fn all() -> impl Iterator<Item = TextKey> {
        <TextKey as strum::IntoEnumIterator>::iter()
    }

    /// The key in `"texts"`, also the field of [`Strings`].
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The built-in text of this key in `strings`.
    pub fn built_in(self, strings: &Strings) -> &'static str {
        match self {
            TextKey::CartHeading => strings.cart_heading,
            TextKey::Checkout => strings.checkout,
            TextKey::Empty => strings.empty,
            TextKey::ContinueShopping => strings.continue_shopping,
            TextKey::CheckoutHeading => strings.checkout_heading,
            TextKey::PlaceOrder => strings.place_order,
            TextKey::ConfirmationHeading => strings.confirmation_heading,
            TextKey::NextSteps => strings.next_steps,
            TextKey::FreeShippingHint => strings.free_shipping_hint,
        }
    }

    fn set(self, strings: &mut Strings, text: &'static str) {
        let field = match self {
            TextKey::CartHeading => &mut strings.cart_heading,
            TextKey::Checkout => &mut strings.checkout,
            TextKey::Empty => &mut strings.empty,
            TextKey::ContinueShopping => &mut strings.continue_shopping,
            TextKey::CheckoutHeading => &mut strings.checkout_heading,
            TextKey::PlaceOrder => &mut strings.place_order,
            TextKey::ConfirmationHeading => &mut strings.confirmation_heading,
            TextKey::NextSteps => &mut strings.next_steps,
            TextKey::FreeShippingHint => &mut strings.free_shipping_hint,
        };
        *field = text;
    }
}

/// The shop's texts: for every locale, or for one (`"ja": {…}`), which wins for its locale.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Texts {
    entries: Vec<(Option<Locale>, TextKey, String)>,
}

impl Texts {
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The shop's text for `key` in `locale`, if it set one.
    pub fn get(&self, locale: Locale, key: TextKey) -> Option<&str> {
        let find = |only: Option<Locale>| {
            self.entries
                .iter()
                .find(|(l, k, _)| *l == only && *k == key)
                .map(|(_, _, text)| text.as_str())
        };
        find(Some(locale)).or_else(|| find(None))
    }

    /// `locale`'s strings with the shop's texts over them; the built-in table itself when the
    /// shop set none. Leaks one table per call with texts: call it once per locale and keep it.
    pub fn apply(&self, locale: Locale) -> &'static Strings {
        let built_in = locale.strings();
        if self.is_empty() {
            return built_in;
        }
        let mut strings = Strings { ..*built_in };
        for key in TextKey::all() {
            if let Some(text) = self.get(locale, key) {
                key.set(&mut strings, Box::leak(text.to_string().into_boxed_str()));
            }
        }
        Box::leak(Box::new(strings))
    }
}

/// The `{placeholders}` of a template.
fn placeholders(template: &str) -> Vec<&str> {
    template
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

/// Reads the JSON block's `"texts"`; every mistake is a warning and the built-in text stands.
pub(crate) fn parse_texts(value: &Value, warnings: &mut Warnings) -> Texts {
    let mut texts = Texts::default();
    read_level(value, None, "texts", &mut texts, warnings);
    texts
}

fn read_level(
    value: &Value,
    locale: Option<Locale>,
    path: &str,
    texts: &mut Texts,
    warnings: &mut Warnings,
) {
    let Value::Object(map) = value else {
        return warnings.invalid(
            &json_label(path),
            &value.to_string(),
            "must be an object of texts, like {\"checkout\": \"Go to payment\"}",
            "the built-in texts",
        );
    };
    let names: Vec<&str> = TextKey::all().map(TextKey::name).collect();
    for (name, value) in map {
        let here = format!("{path}.{name}");
        if locale.is_none() {
            if let Some(only) = ["en", "ja"]
                .contains(&name.as_str())
                .then(|| Locale::from_tag(name))
                .flatten()
            {
                read_level(value, Some(only), &here, texts, warnings);
                continue;
            }
        }
        let Ok(key) = name.parse::<TextKey>() else {
            warnings.0.push(crate::config::ConfigWarning::UnknownKey {
                key: here,
                suggestion: near_miss(name, names.iter().copied()).map(|s| format!("{path}.{s}")),
            });
            continue;
        };
        let label = json_label(&here);
        let text = match value {
            Value::String(text) if !text.trim().is_empty() => text.trim(),
            _ => {
                warnings.invalid(
                    &label,
                    &value.to_string(),
                    "must be a non-empty string",
                    "the built-in text",
                );
                continue;
            }
        };
        if text.chars().count() > MAX_TEXT_CHARS {
            warnings.invalid(
                &label,
                text,
                &format!("is longer than {MAX_TEXT_CHARS} characters"),
                "the built-in text",
            );
            continue;
        }
        let known = placeholders(key.built_in(Locale::En.strings()));
        if let Some(unknown) = placeholders(text).into_iter().find(|p| !known.contains(p)) {
            let problem = match known.is_empty() {
                true => format!("has {{{unknown}}}, but this text fills no placeholder"),
                false => format!(
                    "has {{{unknown}}}, but this text fills only {}",
                    known
                        .iter()
                        .map(|k| format!("{{{k}}}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            warnings.invalid(&label, text, &problem, "the built-in text");
            continue;
        }
        texts
            .entries
            .retain(|(l, k, _)| !(*l == locale && *k == key));
        texts.entries.push((locale, key, text.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> (Texts, Vec<String>) {
        let mut warnings = Warnings::default();
        let texts = parse_texts(&serde_json::from_str(json).unwrap(), &mut warnings);
        (texts, warnings.0.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn a_shop_rewords_known_texts_for_every_locale_or_one() {
        let (texts, warnings) = parse(
            r#"{"checkout": "Go to payment", "free_shipping_hint": "{amount} more and shipping is on us",
                "ja": {"checkout": "お支払いへ"}}"#,
        );
        assert_eq!(warnings, Vec::<String>::new());
        let en = texts.apply(Locale::En);
        assert_eq!(en.checkout, "Go to payment");
        assert_eq!(en.free_shipping_hint, "{amount} more and shipping is on us");
        assert_eq!(en.place_order, "Place order", "the rest stays built in");
        let ja = texts.apply(Locale::Ja);
        assert_eq!(ja.checkout, "お支払いへ");
        assert_eq!(ja.free_shipping_hint, "{amount} more and shipping is on us");
        assert!(std::ptr::eq(
            Texts::default().apply(Locale::En),
            Locale::En.strings()
        ));
    }

    #[test]
    fn each_mistake_is_one_warning_naming_it_and_the_built_in_text_stands() {
        let (texts, warnings) = parse(
            r#"{"chekout": "Pay", "colour": "red", "place_order": "", "empty": 3,
                "next_steps": "We mail {name}", "cart_heading": "Bag", "ja": {"checkout": 1}}"#,
        );
        assert_eq!(warnings.len(), 6, "{warnings:#?}");
        assert!(warnings
            .iter()
            .any(|w| w.contains("\"texts.chekout\"")
                && w.contains("did you mean \"texts.checkout\"")));
        assert!(warnings
            .iter()
            .any(|w| w.contains("\"texts.colour\"") && w.contains("not a Kago setting")));
        assert!(warnings
            .iter()
            .any(|w| w.contains("\"texts.place_order\"") && w.contains("non-empty")));
        assert!(warnings.iter().any(|w| w.contains("\"texts.empty\"=\"3\"")));
        assert!(warnings.iter().any(|w| w.contains("\"texts.next_steps\"")
            && w.contains("{name}")
            && w.contains("{email}")));
        assert!(warnings.iter().any(|w| w.contains("\"texts.ja.checkout\"")));
        let en = texts.apply(Locale::En);
        assert_eq!(
            (en.checkout, en.place_order, en.cart_heading),
            ("Checkout", "Place order", "Bag")
        );
        let (_, warnings) = parse(r#"["checkout"]"#);
        assert!(
            warnings[0].contains("kago-config \"texts\""),
            "{warnings:?}"
        );
    }
}
