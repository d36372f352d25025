//! The widget's settings in a Leptos app: [`KagoSettings`] (typed, with the script tag's
//! defaults) and [`KagoAttributes`] (the script tag's attributes by name). Both become the same
//! `(data-name, value)` pairs and JSON block the script tag gives, read by the same parser, so a
//! bad value is reported in the console exactly as for the tag and its default stands.

use kago_core::config::CartButton;
use kago_core::i18n::Locale;

/// The script tag's settings for [`crate::Kago`], by attribute name, with or without `data-`:
/// `[("currency", "EUR"), ("order-endpoint", "/api/orders")]`. Values may be `&str` or `String`;
/// to mix the two in one list, use [`KagoAttributes::with`] (an array holds one type):
///
/// ```
/// # use kago_checkout::KagoAttributes;
/// let endpoint = format!("{}/api/orders", "https://shop.example");
/// let attributes = KagoAttributes::default()
///     .with("currency", "EUR")
///     .with("order-endpoint", endpoint);
/// assert_eq!(attributes.0[1].0, "data-order-endpoint");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KagoAttributes(pub Vec<(String, String)>);

/// `name` as the script tag's attribute: lower case, with `data-`.
fn attribute_name(name: &str) -> String {
    let name = name.to_ascii_lowercase();
    match name.starts_with("data-") {
        true => name,
        false => format!("data-{name}"),
    }
}

impl KagoAttributes {
    /// This list and one more attribute (replacing one of the same name).
    pub fn with(mut self, name: impl AsRef<str>, value: impl Into<String>) -> Self {
        let name = attribute_name(name.as_ref());
        self.0.retain(|(n, _)| *n != name);
        self.0.push((name, value.into()));
        self
    }
}

impl<K: AsRef<str>, V: Into<String>, I: IntoIterator<Item = (K, V)>> From<I> for KagoAttributes {
    fn from(pairs: I) -> Self {
        KagoAttributes(
            pairs
                .into_iter()
                .map(|(name, value)| (attribute_name(name.as_ref()), value.into()))
                .collect(),
        )
    }
}

/// The widget's settings as Rust values, for `<Kago settings=…/>`. Every field is optional and
/// defaults to what the script tag does without its attribute (README, "Settings"); amounts are
/// text in major units, as in the tag (`"5.00"`), so they follow the one price rule.
///
/// ```
/// # use kago_checkout::{CartButton, KagoSettings};
/// let settings = KagoSettings::new()
///     .currency("EUR")
///     .tax_rate("19")
///     .order_endpoint("/api/orders")
///     .cart_button(CartButton::None)
///     .config(r#"{"country": "DE"}"#)
///     .attribute("feedback", "on");
/// assert!(settings.attributes().contains(&("data-cart-button".into(), "none".into())));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KagoSettings {
    /// `data-currency`: ISO 4217 code. Default `USD`.
    pub currency: Option<String>,
    /// `data-locale`. Default: the browser's language (`en` unless it is Japanese).
    pub locale: Option<Locale>,
    /// `data-tax-rate`: percent, up to 3 decimals (`"8.875"`). Default 0.
    pub tax_rate: Option<String>,
    /// `data-tax-included`: prices include tax. Default `false`.
    pub tax_included: Option<bool>,
    /// `data-shipping-flat`: flat shipping in major units. Default 0.
    pub shipping_flat: Option<String>,
    /// `data-free-shipping-over`: free shipping from this subtotal, major units. Default none.
    pub free_shipping_over: Option<String>,
    /// `data-support-email`. Default none.
    pub support_email: Option<String>,
    /// `data-support-url`. Default none.
    pub support_url: Option<String>,
    /// `data-order-endpoint`: where orders are POSTed. Default none (checkout is off).
    pub order_endpoint: Option<String>,
    /// `data-endpoint`: where funnel events go. Default none.
    pub events_endpoint: Option<String>,
    /// `data-consent="required"`: no funnel event before consent. Default `false`.
    pub consent_required: Option<bool>,
    /// `data-cart-button`. Default [`CartButton::BottomRight`].
    pub cart_button: Option<CartButton>,
    /// The JSON block's text (shipping and payment methods, codes, `texts`…). Default none.
    pub config: Option<String>,
    /// Any other attribute by name (`("register-prompt", "on")`), after the fields above.
    pub attributes: KagoAttributes,
}

impl KagoSettings {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn currency(mut self, code: impl Into<String>) -> Self {
        self.currency = Some(code.into());
        self
    }

    pub fn locale(mut self, locale: Locale) -> Self {
        self.locale = Some(locale);
        self
    }

    pub fn tax_rate(mut self, percent: impl Into<String>) -> Self {
        self.tax_rate = Some(percent.into());
        self
    }

    pub fn tax_included(mut self, included: bool) -> Self {
        self.tax_included = Some(included);
        self
    }

    pub fn shipping_flat(mut self, amount: impl Into<String>) -> Self {
        self.shipping_flat = Some(amount.into());
        self
    }

    pub fn free_shipping_over(mut self, amount: impl Into<String>) -> Self {
        self.free_shipping_over = Some(amount.into());
        self
    }

    pub fn support_email(mut self, email: impl Into<String>) -> Self {
        self.support_email = Some(email.into());
        self
    }

    pub fn support_url(mut self, url: impl Into<String>) -> Self {
        self.support_url = Some(url.into());
        self
    }

    pub fn order_endpoint(mut self, url: impl Into<String>) -> Self {
        self.order_endpoint = Some(url.into());
        self
    }

    pub fn events_endpoint(mut self, url: impl Into<String>) -> Self {
        self.events_endpoint = Some(url.into());
        self
    }

    pub fn consent_required(mut self, required: bool) -> Self {
        self.consent_required = Some(required);
        self
    }

    pub fn cart_button(mut self, button: CartButton) -> Self {
        self.cart_button = Some(button);
        self
    }

    /// The JSON block's text.
    pub fn config(mut self, json: impl Into<String>) -> Self {
        self.config = Some(json.into());
        self
    }

    /// Any other script-tag attribute, by name with or without `data-`.
    pub fn attribute(mut self, name: impl AsRef<str>, value: impl Into<String>) -> Self {
        self.attributes = self.attributes.with(name, value);
        self
    }

    /// The settings as the script tag's `(data-name, value)` pairs.
    pub fn attributes(&self) -> Vec<(String, String)> {
        let on_off = |b: bool| if b { "true" } else { "false" }.to_string();
        let button = |b: CartButton| {
            match b {
                CartButton::BottomRight => "bottom-right",
                CartButton::BottomLeft => "bottom-left",
                CartButton::None => "none",
            }
            .to_string()
        };
        let typed = [
            ("data-currency", self.currency.clone()),
            ("data-locale", self.locale.map(|l| l.tag().to_string())),
            ("data-tax-rate", self.tax_rate.clone()),
            ("data-tax-included", self.tax_included.map(on_off)),
            ("data-shipping-flat", self.shipping_flat.clone()),
            ("data-free-shipping-over", self.free_shipping_over.clone()),
            ("data-support-email", self.support_email.clone()),
            ("data-support-url", self.support_url.clone()),
            ("data-order-endpoint", self.order_endpoint.clone()),
            ("data-endpoint", self.events_endpoint.clone()),
            (
                "data-consent",
                self.consent_required
                    .map(|r| if r { "required" } else { "none" }.to_string()),
            ),
            ("data-cart-button", self.cart_button.map(button)),
        ];
        let mut pairs: Vec<(String, String)> = typed
            .into_iter()
            .filter_map(|(name, value)| Some((name.to_string(), value?)))
            .collect();
        for (name, value) in &self.attributes.0 {
            pairs.retain(|(n, _)| n != name);
            pairs.push((name.clone(), value.clone()));
        }
        pairs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_settings_become_the_script_tags_attributes() {
        let settings = KagoSettings::new()
            .currency("JPY")
            .locale(Locale::Ja)
            .tax_included(true)
            .consent_required(true)
            .cart_button(CartButton::BottomLeft)
            .attribute("Feedback", "on")
            .attribute("data-currency", "EUR");
        assert_eq!(
            settings.attributes(),
            [
                ("data-locale", "ja"),
                ("data-tax-included", "true"),
                ("data-consent", "required"),
                ("data-cart-button", "bottom-left"),
                ("data-feedback", "on"),
                ("data-currency", "EUR"),
            ]
            .map(|(n, v)| (n.to_string(), v.to_string()))
        );
        assert!(KagoSettings::default().attributes().is_empty());
    }

    #[test]
    fn typed_settings_read_as_the_parser_expects() {
        let settings = KagoSettings::new()
            .currency("EUR")
            .tax_rate("8.875")
            .shipping_flat("4.50")
            .cart_button(CartButton::None);
        // None of these settings is a URL.
        struct NoUrls;
        impl kago_core::url::ResolveUrl for NoUrls {
            fn resolve(&self, _: &str) -> Option<kago_core::url::ResolvedUrl> {
                None
            }
            fn page_origin(&self) -> String {
                String::new()
            }
        }
        let (config, warnings) =
            kago_core::config::parse_config(&settings.attributes(), None, &NoUrls);
        assert_eq!(warnings, vec![]);
        assert_eq!(config.currency.code(), "EUR");
        assert_eq!(config.pricing.shipping_flat, 450);
        assert_eq!(config.cart_button, CartButton::None);
    }

    #[test]
    fn attributes_take_strings_and_names_with_or_without_data() {
        let computed = String::from("/api/orders");
        let a = KagoAttributes::from([
            ("Currency", "EUR".to_string()),
            ("order-endpoint", computed),
        ]);
        assert_eq!(a.0[0], ("data-currency".into(), "EUR".into()));
        assert_eq!(a.0[1].0, "data-order-endpoint");
        let b = KagoAttributes::default()
            .with("currency", "EUR")
            .with("currency", String::from("JPY"));
        assert_eq!(b.0, vec![("data-currency".to_string(), "JPY".to_string())]);
    }
}
