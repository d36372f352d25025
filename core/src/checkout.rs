//! The checkout flow: three short steps, the fields each country needs (with autofill tokens),
//! validation with the shopper's input kept, the draft saved while checkout is open, and the
//! order built from it.

use crate::cart::Cart;
use crate::checkout_config::{CheckoutSettings, PaymentMethod, ShippingMethod};
use crate::config::Config;
use crate::delivery::{
    validate_delivery_date, validate_delivery_slot, CivilDate, DeliveryChoiceError, DeliveryDates,
    DeliverySlots,
};
pub use crate::japan::Corrected;
use crate::japan::{
    is_katakana_reading, normalize_email_at, normalize_postal_code_jp, prefecture_by_name,
    to_katakana,
};
use crate::money::Money;
use crate::order::{Address, Contact, OrderItem, OrderRequest, OrderTotals};
use crate::postal::{AddressParts, Filled};
use crate::pricing::{PricingRules, Totals};
use crate::text::{half_width, is_email};
use serde::{Deserialize, Serialize};

/// The steps, in order: contact & address → delivery & payment → review. Named in the draft and
/// in events as `contact`, `delivery`, `review`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Step {
    #[default]
    Contact,
    Delivery,
    Review,
}

impl Step {
    pub const COUNT: u8 = 3;
    pub const ALL: [Step; 3] = [Step::Contact, Step::Delivery, Step::Review];

    /// The step's name in the draft and in events (`delivery`).
    pub fn key(self) -> &'static str {
        match self {
            Step::Contact => "contact",
            Step::Delivery => "delivery",
            Step::Review => "review",
        }
    }

    /// 1-based position for "2 of 3".
    pub fn number(self) -> u8 {
        match self {
            Step::Contact => 1,
            Step::Delivery => 2,
            Step::Review => 3,
        }
    }

    pub fn next(self) -> Step {
        match self {
            Step::Contact => Step::Delivery,
            Step::Delivery | Step::Review => Step::Review,
        }
    }

    pub fn previous(self) -> Option<Step> {
        match self {
            Step::Contact => None,
            Step::Delivery => Some(Step::Contact),
            Step::Review => Some(Step::Delivery),
        }
    }
}

/// A form field of the contact & address step; named as [`Field::key`] says in the draft.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Email,
    Name,
    /// フリガナ: the name's reading in katakana, where the shop asks for it.
    NameKana,
    Country,
    PostalCode,
    Region,
    City,
    Line1,
    Line2,
    Phone,
}

impl Field {
    pub const ALL: [Field; 10] = [
        Field::Email,
        Field::Name,
        Field::NameKana,
        Field::Country,
        Field::PostalCode,
        Field::Region,
        Field::City,
        Field::Line1,
        Field::Line2,
        Field::Phone,
    ];

    /// The HTML `autocomplete` token, so autofill fills the form in one tap. フリガナ has none:
    /// HTML has no token for a phonetic name (whatwg/html#5821), and `name` would fill the
    /// kanji name in; browsers that keep readings know the field by its label and name.
    pub fn autocomplete(self) -> Option<&'static str> {
        Some(match self {
            Field::Email => "email",
            Field::Name => "name",
            Field::NameKana => return None,
            Field::Country => "country-name",
            Field::PostalCode => "postal-code",
            Field::Region => "address-level1",
            Field::City => "address-level2",
            Field::Line1 => "address-line1",
            Field::Line2 => "address-line2",
            Field::Phone => "tel",
        })
    }

    pub fn input_type(self) -> &'static str {
        match self {
            Field::Email => "email",
            Field::Phone => "tel",
            _ => "text",
        }
    }

    /// The `inputmode` that brings up the right phone keyboard, if not plain text.
    pub fn input_mode(self, format: AddressFormat) -> Option<&'static str> {
        match (self, format) {
            (Field::Email, _) => Some("email"),
            (Field::Phone, _) => Some("tel"),
            (Field::PostalCode, AddressFormat::Japan | AddressFormat::UnitedStates) => {
                Some("numeric")
            }
            _ => None,
        }
    }

    /// The field's name in the order body, the draft and the DOM (`postal_code`).
    pub fn key(self) -> &'static str {
        match self {
            Field::Email => "email",
            Field::Name => "name",
            Field::NameKana => "name_kana",
            Field::Country => "country",
            Field::PostalCode => "postal_code",
            Field::Region => "region",
            Field::City => "city",
            Field::Line1 => "line1",
            Field::Line2 => "line2",
            Field::Phone => "phone",
        }
    }

    pub fn max_len(self) -> usize {
        match self {
            Field::Email => 254,
            Field::PostalCode | Field::Phone => 24,
            _ => 120,
        }
    }
}

/// How addresses are written where the shop ships.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddressFormat {
    /// 〒 postal code first, then prefecture, city, street.
    Japan,
    /// Street, city, state, ZIP code.
    UnitedStates,
    /// Street, postal code, city (most of Europe and elsewhere).
    Generic,
}

/// The country the shop ships to: the merchant's `country`, else the currency's home.
pub fn shop_country(config: &Config) -> Option<String> {
    config
        .checkout
        .country
        .clone()
        .or_else(|| match config.currency.code() {
            "JPY" => Some("JP".into()),
            "USD" => Some("US".into()),
            _ => None,
        })
}

pub fn address_format(country: Option<&str>) -> AddressFormat {
    match country {
        Some("JP") => AddressFormat::Japan,
        Some("US") => AddressFormat::UnitedStates,
        _ => AddressFormat::Generic,
    }
}

/// The fields of the first step, in the order the country writes them (フリガナ right after
/// the name), with the ones the shop requires: at most 8, or 9 with both phone and フリガナ.
pub fn contact_fields(
    country: Option<&str>,
    phone_required: bool,
    name_kana_required: bool,
) -> Vec<Field> {
    use Field::*;
    let mut fields = match address_format(country) {
        AddressFormat::Japan => vec![Email, Name, PostalCode, Region, City, Line1, Line2],
        AddressFormat::UnitedStates => vec![Email, Name, Line1, Line2, City, Region, PostalCode],
        AddressFormat::Generic if country.is_some() => {
            vec![Email, Name, Line1, Line2, PostalCode, City]
        }
        AddressFormat::Generic => vec![Email, Name, Country, Line1, Line2, PostalCode, City],
    };
    if name_kana_required {
        fields.insert(2, NameKana);
    }
    if phone_required {
        fields.push(Phone);
    }
    fields
}

/// What this page's settings ask of an order's contact and address: the country it ships to (or
/// `None`: the shopper names it), how addresses are written there, and the fields of the form
/// (with the phone when the merchant requires it). Every order is checked against it before it is
/// sent, whatever page its draft was typed on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderForm {
    pub country: Option<String>,
    pub format: AddressFormat,
    pub fields: Vec<Field>,
}

impl OrderForm {
    pub fn new(config: &Config) -> OrderForm {
        let country = shop_country(config);
        OrderForm {
            format: address_format(country.as_deref()),
            fields: contact_fields(
                country.as_deref(),
                config.checkout.phone_required,
                config.checkout.name_kana_required,
            ),
            country,
        }
    }
}

/// One value per [`Field`] at most, in the fields' order: a slot per field (a map type would
/// cost the wasm several KB of tree code for nine keys).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldMap<V>([Option<V>; Field::ALL.len()]);

impl<V> Default for FieldMap<V> {
    fn default() -> Self {
        FieldMap(std::array::from_fn(|_| None))
    }
}

impl<V> FieldMap<V> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn get(&self, field: &Field) -> Option<&V> {
        self.0[*field as usize].as_ref()
    }

    pub fn contains_key(&self, field: &Field) -> bool {
        self.get(field).is_some()
    }

    pub fn insert(&mut self, field: Field, value: V) -> Option<V> {
        self.0[field as usize].replace(value)
    }

    pub fn remove(&mut self, field: &Field) -> Option<V> {
        self.0[*field as usize].take()
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(Option::is_none)
    }

    /// The fields that have a value, in the order of [`Field::ALL`].
    pub fn iter(&self) -> impl Iterator<Item = (Field, &V)> {
        Field::ALL
            .into_iter()
            .zip(&self.0)
            .filter_map(|(f, v)| Some((f, v.as_ref()?)))
    }
}

/// Stored as a JSON object from field key to value (`{"email": "…", "postal_code": "…"}`).
impl<V: Serialize> Serialize for FieldMap<V> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for FieldMap<V> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Fields<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Fields<V> {
            type Value = FieldMap<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of checkout fields")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<FieldMap<V>, A::Error> {
                let mut fields = FieldMap::new();
                while let Some((field, value)) = map.next_entry::<Field, V>()? {
                    fields.insert(field, value);
                }
                Ok(fields)
            }
        }
        deserializer.deserialize_map(Fields(std::marker::PhantomData))
    }
}

/// Why a field's value is refused; the UI words it in the shopper's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldError {
    Required,
    Email,
    PostalCode,
    Phone,
    TooLong,
    /// フリガナ not in katakana.
    Kana,
    /// No prefecture chosen from the list (or a name that is none of the 47).
    Prefecture,
}

/// Whether the shopper must fill `field` in (line 2 never; region only where the country has one).
pub fn is_required(field: Field, format: AddressFormat) -> bool {
    let optional =
        field == Field::Line2 || (field == Field::Region && format == AddressFormat::Generic);
    !optional
}

/// Checks one value and returns it normalised (trimmed; postal codes and phone numbers in
/// half-width digits, Japanese postal codes as `123-4567`).
pub fn validate_field(
    field: Field,
    value: &str,
    format: AddressFormat,
) -> Result<String, FieldError> {
    let trimmed = value.trim();
    if field == Field::Region && format == AddressFormat::Japan {
        // As Japan Post writes it, however it came (the list, a wallet's "Tokyo", "東京").
        return prefecture_by_name(trimmed)
            .map(|p| p.name.to_string())
            .ok_or(FieldError::Prefecture);
    }
    let optional =
        field == Field::Line2 || (field == Field::Region && format == AddressFormat::Generic);
    let required = !optional;
    if trimmed.is_empty() {
        return if required {
            Err(FieldError::Required)
        } else {
            Ok(String::new())
        };
    }
    if trimmed.chars().count() > field.max_len() {
        return Err(FieldError::TooLong);
    }
    match field {
        Field::Email => {
            let email = half_width(trimmed);
            if is_email(&email) {
                Ok(email)
            } else {
                Err(FieldError::Email)
            }
        }
        Field::PostalCode => {
            let code = half_width(trimmed).to_ascii_uppercase();
            let digits: String = code.chars().filter(char::is_ascii_digit).collect();
            match format {
                AddressFormat::Japan => normalize_postal_code_jp(trimmed)
                    .map(|code| code.to_string())
                    .ok_or(FieldError::PostalCode),
                AddressFormat::UnitedStates => {
                    let ok = code.chars().all(|c| c.is_ascii_digit() || c == '-')
                        && (code.len() == 5 && digits.len() == 5
                            || code.len() == 10 && digits.len() == 9 && code.as_bytes()[5] == b'-');
                    if ok {
                        Ok(code)
                    } else {
                        Err(FieldError::PostalCode)
                    }
                }
                AddressFormat::Generic => {
                    let ok = code.len() >= 2
                        && code.len() <= 10
                        && code
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-');
                    if ok {
                        Ok(code)
                    } else {
                        Err(FieldError::PostalCode)
                    }
                }
            }
        }
        Field::Phone => {
            let phone = half_width(trimmed);
            let digits = phone.chars().filter(char::is_ascii_digit).count();
            let ok = (7..=15).contains(&digits)
                && phone
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.'));
            if ok {
                Ok(phone)
            } else {
                Err(FieldError::Phone)
            }
        }
        Field::NameKana => {
            let reading = to_katakana(trimmed);
            if is_katakana_reading(&reading) {
                Ok(reading)
            } else {
                Err(FieldError::Kana)
            }
        }
        _ => Ok(trimmed.to_string()),
    }
}

/// What a field keeps of the text as it is typed, before any check: a full-width ＠ in the
/// e-mail becomes `@` (`corrected`: the field tells the shopper), full-width digits, hyphens
/// and `＋（）` in a postal code or phone number become half-width, hiragana in フリガナ
/// becomes katakana, and in Japan a prefecture written any way the list knows (`Tokyo`,
/// `東京`) becomes its name (`東京都`). Nothing is trimmed: the shopper may be typing on.
pub fn typed_value(field: Field, text: &str, format: AddressFormat) -> Corrected {
    let value = match field {
        Field::Email => return normalize_email_at(text),
        Field::PostalCode | Field::Phone => half_width(text),
        Field::NameKana => to_katakana(text),
        Field::Region if format == AddressFormat::Japan => {
            prefecture_by_name(text).map_or_else(|| text.to_string(), |p| p.name.to_string())
        }
        _ => text.to_string(),
    };
    Corrected {
        value,
        corrected: false,
    }
}

/// What the shopper has entered so far. Saved in `sessionStorage` while checkout is open, so a
/// reload restores it; never contains card data. A member missing from a saved draft takes its
/// default.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    /// True while the checkout is open, so a reload reopens it.
    pub open: bool,
    pub step: Step,
    pub values: FieldMap<String>,
    pub shipping_method: Option<String>,
    pub payment_method: Option<String>,
    /// The code applied; it gives its discount only while the subtotal reaches its minimum.
    pub discount_code: Option<String>,
    /// What is typed in the discount-code field and not applied yet (kept across a reload).
    pub code_typed: String,
    /// The shopper ticked "e-mail me a reminder" (only offered with `data-events-contact="on"`).
    pub reminder_consent: bool,
    /// Issued on the first "Place order" and reused for every retry of the same order.
    pub idempotency_key: Option<String>,
    /// What the key was issued for; a changed order gets a new key.
    pub key_fingerprint: Option<u64>,
    /// The order just placed, while its confirmation is open (nothing else is kept then), so a
    /// reload shows the confirmation again.
    pub placed: Option<Placed>,
    /// What the postal-code lookup put in the address fields (Japan: region, city, line 1), so
    /// a later lookup, after a reload too, replaces only that and never what the shopper typed.
    /// A field map, as `values` is: no other serde code in the wasm for it.
    #[serde(skip_serializing_if = "FieldMap::is_empty")]
    pub postal_ours: FieldMap<String>,
    /// The delivery date asked for (`YYYY-MM-DD`); none: 指定なし.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery_date: Option<String>,
    /// The id of the delivery time slot asked for; none: 指定なし.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery_slot: Option<String>,
    /// What the order endpoint said shipping costs with its method (`409 prices_changed`),
    /// which stands over the page's price for that method.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping_price: Option<crate::correction::ShippingPrice>,
}

/// The order just placed, as the confirmation shows it: what was sent, not the cart as it is
/// now (the cart may have changed in another tab while the order was on its way).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placed {
    /// The shop's order number; `None` when its answer named none (the order was received).
    pub order_id: Option<String>,
    pub email: String,
    /// The order's total, formatted.
    pub total: String,
    /// The payment method's label and note; none for the express wallet.
    pub payment: Option<String>,
    /// The shopper answered "How easy was checkout?" (asked once per order, reload or not).
    #[serde(default)]
    pub feedback_sent: bool,
    /// The delivery date and time asked for, as the shopper read them (`12月6日(日)`, 指定なし);
    /// none where the shop offers no choice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_slot: Option<String>,
}

/// The prefecture, city and line 1 of a field map, as the postal lookup's parts.
fn parts_of(map: &FieldMap<String>) -> AddressParts {
    let part = |field: Field| map.get(&field).cloned().unwrap_or_default();
    AddressParts {
        prefecture: part(Field::Region),
        city: part(Field::City),
        town: part(Field::Line1),
    }
}

/// `sessionStorage` key of the draft.
pub const DRAFT_KEY: &str = "kago.checkout";

impl Draft {
    pub fn value(&self, field: Field) -> &str {
        self.values.get(&field).map_or("", String::as_str)
    }

    /// Validates every field of the first step; the first invalid one (in form order) comes first.
    pub fn contact_errors(
        &self,
        fields: &[Field],
        format: AddressFormat,
    ) -> Vec<(Field, FieldError)> {
        fields
            .iter()
            .filter_map(|f| {
                validate_field(*f, self.value(*f), format)
                    .err()
                    .map(|e| (*f, e))
            })
            .collect()
    }

    /// Checks the whole draft against this page's form before an order is sent: every field of
    /// the form by [`validate_field`] (so a draft typed on another page of the shop, restored
    /// from an earlier session or tampered with, is held to this page's country, required fields
    /// and postal code rule). `Ok` is the draft as it may be sent: the form's fields only,
    /// normalised (a value for a field this page does not ask for is left out). `Err` lists every
    /// invalid field in form order, the first first.
    pub fn validate_order(&self, form: &OrderForm) -> Result<Draft, Vec<(Field, FieldError)>> {
        let errors = self.contact_errors(&form.fields, form.format);
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut checked = self.clone();
        checked.values = FieldMap::new();
        for field in &form.fields {
            if let Ok(clean) = validate_field(*field, self.value(*field), form.format) {
                checked.values.insert(*field, clean);
            }
        }
        Ok(checked)
    }

    /// Replaces each value by its normalised form where it is valid; invalid input stays as typed.
    pub fn normalise(&mut self, fields: &[Field], format: AddressFormat) {
        for field in fields {
            if let Ok(clean) = validate_field(*field, self.value(*field), format) {
                self.values.insert(*field, clean);
            }
        }
    }

    /// The fields a postal-code lookup fills, as they are now: the prefecture, the city and
    /// line 1 (the town goes at its start, before the 番地).
    pub fn address_parts(&self) -> AddressParts {
        parts_of(&self.values)
    }

    /// What the last lookup put in those fields (empty parts before any).
    pub fn postal_parts(&self) -> AddressParts {
        parts_of(&self.postal_ours)
    }

    /// Takes in what a lookup filled ([`crate::postal::postal_fill`]) and keeps Kago's part
    /// of it for the next lookup.
    pub fn put_address(&mut self, filled: Filled) {
        let (values, ours) = (filled.fields, filled.ours);
        for (field, value, kagos) in [
            (Field::Region, values.prefecture, ours.prefecture),
            (Field::City, values.city, ours.city),
            (Field::Line1, values.town, ours.town),
        ] {
            self.values.insert(field, value);
            if kagos.is_empty() {
                self.postal_ours.remove(&field);
            } else {
                self.postal_ours.insert(field, kagos);
            }
        }
    }

    /// Checks the delivery date and time slot asked for against what the shop offers `today`
    /// (its `dates`, none: no date may be asked; its `slots`), before the order goes.
    pub fn check_delivery(
        &self,
        today: CivilDate,
        dates: Option<&DeliveryDates>,
        slots: &DeliverySlots,
    ) -> Result<(), DeliveryChoiceError> {
        if let Some(date) = &self.delivery_date {
            match dates {
                Some(dates) => validate_delivery_date(date, today, dates).map(drop)?,
                None if date.trim().is_empty() => {}
                None => return Err(DeliveryChoiceError::DateNotOffered),
            }
        }
        if let Some(slot) = &self.delivery_slot {
            validate_delivery_slot(slot, slots)?;
        }
        Ok(())
    }

    /// Chooses the first method when the shopper has not chosen one (or chose one that no
    /// longer exists).
    pub fn settle_choices(&mut self, shipping: &[ShippingMethod], payment: &[PaymentMethod]) {
        if !self
            .shipping_method
            .as_ref()
            .is_some_and(|id| shipping.iter().any(|m| &m.id == id))
        {
            self.shipping_method = shipping.first().map(|m| m.id.clone());
        }
        if !self
            .payment_method
            .as_ref()
            .is_some_and(|id| payment.iter().any(|m| &m.id == id))
        {
            self.payment_method = payment.first().map(|m| m.id.clone());
        }
    }

    /// The idempotency key for this order: the one already issued while the order is the same,
    /// otherwise `fresh()` (a new random key from the edge).
    pub fn key_for(&mut self, order_fingerprint: u64, fresh: impl FnOnce() -> String) -> String {
        match (&self.idempotency_key, self.key_fingerprint) {
            (Some(key), Some(f)) if f == order_fingerprint => key.clone(),
            _ => {
                let key = fresh();
                self.idempotency_key = Some(key.clone());
                self.key_fingerprint = Some(order_fingerprint);
                key
            }
        }
    }
}

/// Shipping methods offered: the merchant's list, or one standard method built from
/// `data-shipping-flat` / `data-free-shipping-over` (labelled `standard_label`).
pub fn shipping_methods(config: &Config, standard_label: &str) -> Vec<ShippingMethod> {
    if !config.checkout.shipping_methods.is_empty() {
        return config.checkout.shipping_methods.clone();
    }
    vec![ShippingMethod {
        id: "standard".into(),
        label: standard_label.into(),
        price: config.pricing.shipping_flat,
        free_over: config.pricing.free_shipping_over,
        estimate: None,
    }]
}

/// Payment methods offered: the merchant's list, or the order endpoint's hosted card page.
pub fn payment_methods(settings: &CheckoutSettings, card_label: &str) -> Vec<PaymentMethod> {
    if !settings.payment_methods.is_empty() {
        return settings.payment_methods.clone();
    }
    vec![PaymentMethod {
        id: "card".into(),
        label: card_label.into(),
        kind: crate::checkout_config::PaymentKind::Hosted,
        note: None,
    }]
}

/// The pricing rules with a shipping method's rate and threshold.
pub fn rules_with_shipping(rules: &PricingRules, method: Option<&ShippingMethod>) -> PricingRules {
    match method {
        Some(m) => PricingRules {
            shipping_flat: m.price,
            free_shipping_over: m.free_over,
            ..rules.clone()
        },
        None => rules.clone(),
    }
}

/// How checkout prices a cart: the merchant's rules, the shipping methods and the discount
/// codes. The widget's summary and the order it sends, and an endpoint re-pricing an order,
/// all go through [`CheckoutPricing::totals`].
#[derive(Clone, Debug, PartialEq)]
pub struct CheckoutPricing {
    pub rules: PricingRules,
    pub methods: Vec<ShippingMethod>,
    pub codes: Vec<crate::checkout_config::DiscountCode>,
}

impl CheckoutPricing {
    /// From the merchant's settings; `standard_label` names the one method made from
    /// `data-shipping-flat` when the shop lists none.
    pub fn new(config: &Config, standard_label: &str) -> CheckoutPricing {
        CheckoutPricing {
            rules: config.pricing.clone(),
            methods: shipping_methods(config, standard_label),
            codes: config.checkout.discount_codes.clone(),
        }
    }

    pub fn method(&self, id: Option<&str>) -> Option<&ShippingMethod> {
        self.methods.iter().find(|m| Some(m.id.as_str()) == id)
    }

    /// The totals with the chosen shipping method and the applied code (which gives its
    /// discount only while the subtotal reaches its minimum).
    pub fn totals(&self, cart: &Cart, shipping_method: Option<&str>, code: Option<&str>) -> Totals {
        self.totals_with(cart, shipping_method, code, None)
    }

    /// The totals of `cart` with the draft's method and code, and the shipping price the
    /// endpoint gave for that method, if it gave one.
    pub fn draft_totals(&self, cart: &Cart, draft: &Draft) -> Totals {
        let method = draft.shipping_method.as_deref();
        let corrected = draft
            .shipping_price
            .as_ref()
            .filter(|p| Some(p.id.as_str()) == method)
            .map(|p| p.price);
        self.totals_with(cart, method, draft.discount_code.as_deref(), corrected)
    }

    fn totals_with(
        &self,
        cart: &Cart,
        shipping_method: Option<&str>,
        code: Option<&str>,
        shipping_price: Option<i64>,
    ) -> Totals {
        let discount = code.and_then(|code| {
            crate::checkout_config::find_discount(&self.codes, code, cart.subtotal())
                .ok()
                .map(|d| d.discount)
        });
        let mut rules = rules_with_shipping(&self.rules, self.method(shipping_method));
        if let Some(price) = shipping_price {
            // The endpoint's price for this order stands as it is: no threshold of the page's.
            rules.shipping_flat = price;
            rules.free_shipping_over = None;
        }
        crate::pricing::price_cart(cart, &rules, discount)
    }

    /// What `method` would cost for this cart with `discount` already taken off (free once its
    /// threshold is reached): the price next to each method the shopper can choose.
    pub fn shipping_with(&self, cart: &Cart, method: &ShippingMethod, discount: Money) -> Money {
        let rules = rules_with_shipping(&self.rules, Some(method));
        let discount = (discount.minor > 0).then_some(crate::pricing::Discount::Fixed {
            minor: discount.minor,
        });
        crate::pricing::price_cart(cart, &rules, discount).shipping
    }
}

/// The order body for the endpoint, from the cart, its totals and the draft.
pub fn build_order(
    cart: &Cart,
    totals: &Totals,
    draft: &Draft,
    country: Option<&str>,
    locale: &str,
    key: String,
) -> OrderRequest {
    let value = |f: Field| draft.value(f).trim().to_string();
    let optional = |f: Field| Some(value(f)).filter(|v| !v.is_empty());
    OrderRequest {
        idempotency_key: key,
        currency: totals.total.currency.code().to_string(),
        items: cart.lines().iter().map(OrderItem::from).collect(),
        totals: OrderTotals::from(totals),
        contact: Contact {
            email: value(Field::Email),
            name: value(Field::Name),
            phone: optional(Field::Phone),
            name_kana: optional(Field::NameKana),
        },
        shipping_address: Address {
            country: country
                .map(str::to_string)
                .unwrap_or_else(|| value(Field::Country)),
            postal_code: value(Field::PostalCode),
            region: optional(Field::Region),
            city: value(Field::City),
            line1: value(Field::Line1),
            line2: optional(Field::Line2),
        },
        shipping_method: draft.shipping_method.clone().unwrap_or_default(),
        payment_method: draft.payment_method.clone().unwrap_or_default(),
        // Only a code that gives this order its discount (not one waiting for its minimum).
        discount_code: draft
            .discount_code
            .clone()
            .filter(|_| totals.discount.minor > 0),
        locale: locale.to_string(),
        wallet: None,
        delivery_date: draft.delivery_date.clone().filter(|d| !d.is_empty()),
        delivery_slot: draft.delivery_slot.clone().filter(|s| !s.is_empty()),
    }
}

/// A stable fingerprint of what is being ordered (everything but the key), so a retry of the
/// same order reuses its idempotency key and a changed order does not.
pub fn order_fingerprint(order: &OrderRequest) -> u64 {
    let mut same = order.clone();
    same.idempotency_key.clear();
    let text = crate::wire::to_json(&same);
    // FNV-1a: small, stable across builds (unlike std's randomly seeded hasher).
    text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cart::Item;
    use crate::currency::Currency;
    use crate::pricing::price_cart;

    #[test]
    fn a_field_map_keeps_one_value_per_field_in_field_order() {
        for (i, field) in Field::ALL.into_iter().enumerate() {
            assert_eq!(field as usize, i, "Field::ALL is in declaration order");
        }
        let mut map = FieldMap::new();
        assert_eq!(map.insert(Field::Phone, 1), None);
        assert_eq!(map.insert(Field::Email, 2), None);
        assert_eq!(map.insert(Field::Phone, 3), Some(1));
        assert!(map.contains_key(&Field::Email) && !map.contains_key(&Field::City));
        assert_eq!(map.get(&Field::Phone), Some(&3));
        let listed: Vec<(Field, i32)> = map.iter().map(|(f, v)| (f, *v)).collect();
        assert_eq!(listed, [(Field::Email, 2), (Field::Phone, 3)]);
        assert_eq!(map.remove(&Field::Email), Some(2));
        assert_eq!(map.remove(&Field::Email), None);
        assert_eq!(map.iter().count(), 1);
    }

    #[test]
    fn steps_go_forward_and_back_and_count_three() {
        assert_eq!(Step::Contact.next(), Step::Delivery);
        assert_eq!(Step::Delivery.next(), Step::Review);
        assert_eq!(Step::Review.previous(), Some(Step::Delivery));
        assert_eq!(Step::Contact.previous(), None);
        assert_eq!((Step::Delivery.number(), Step::COUNT), (2, 3));
    }

    #[test]
    fn fields_follow_the_country_and_stay_at_most_eight() {
        use Field::*;
        assert_eq!(
            contact_fields(Some("JP"), false, false),
            vec![Email, Name, PostalCode, Region, City, Line1, Line2]
        );
        assert_eq!(
            contact_fields(Some("JP"), true, true),
            vec![Email, Name, NameKana, PostalCode, Region, City, Line1, Line2, Phone]
        );
        assert_eq!(
            contact_fields(Some("US"), true, false),
            vec![Email, Name, Line1, Line2, City, Region, PostalCode, Phone]
        );
        assert_eq!(
            contact_fields(Some("DE"), false, false),
            vec![Email, Name, Line1, Line2, PostalCode, City]
        );
        for country in [Some("JP"), Some("US"), Some("FR"), None] {
            assert!(contact_fields(country, true, false).len() <= 8);
            assert!(contact_fields(country, false, true).len() <= 8);
            assert!(contact_fields(country, true, true).len() <= 9);
        }
        let tokens: Vec<Option<&str>> = Field::ALL.iter().map(|f| f.autocomplete()).collect();
        assert_eq!(
            tokens,
            [
                Some("email"),
                Some("name"),
                None, // フリガナ: no token means a reading, and `name` would fill the kanji in
                Some("country-name"),
                Some("postal-code"),
                Some("address-level1"),
                Some("address-level2"),
                Some("address-line1"),
                Some("address-line2"),
                Some("tel")
            ]
        );
    }

    #[test]
    fn japanese_input_is_taken_in_any_width_and_checked() {
        let jp = AddressFormat::Japan;
        for typed in ["〒150-0001", "１５０－０００１", "150ー0001"] {
            assert_eq!(
                validate_field(Field::PostalCode, typed, jp),
                Ok("150-0001".into())
            );
        }
        for refused in ["150-00-01", "1500-001", "150 0001"] {
            assert_eq!(
                validate_field(Field::PostalCode, refused, jp),
                Err(FieldError::PostalCode),
                "{refused}"
            );
        }
        assert_eq!(
            validate_field(Field::Phone, "０９０－１２３４－５６７８", jp),
            Ok("090-1234-5678".into())
        );
        assert_eq!(
            validate_field(Field::Email, "hanako＠example.jp", jp),
            Ok("hanako@example.jp".into())
        );
        // The prefecture as Japan Post writes it, however it came; none or another name: choose.
        for typed in ["東京都", "東京", "Tokyo", " tokyo "] {
            assert_eq!(
                validate_field(Field::Region, typed, jp),
                Ok("東京都".into())
            );
        }
        for refused in ["", "Tokio", "渋谷区"] {
            assert_eq!(
                validate_field(Field::Region, refused, jp),
                Err(FieldError::Prefecture)
            );
        }
        assert_eq!(
            validate_field(Field::Region, "Tokio", AddressFormat::Generic),
            Ok("Tokio".into())
        );
        // フリガナ: hiragana is read as katakana; anything else is not a reading.
        assert_eq!(
            validate_field(Field::NameKana, " やまだ はなこ ", jp),
            Ok("ヤマダ ハナコ".into())
        );
        assert_eq!(
            validate_field(Field::NameKana, "ジョン・スミス", jp),
            Ok("ジョン・スミス".into())
        );
        for refused in ["山田", "Yamada", "ﾔﾏﾀﾞ"] {
            assert_eq!(
                validate_field(Field::NameKana, refused, jp),
                Err(FieldError::Kana)
            );
        }
        assert_eq!(
            validate_field(Field::NameKana, "", jp),
            Err(FieldError::Required)
        );
    }

    #[test]
    fn typed_text_is_tidied_as_it_is_typed_and_only_the_at_sign_is_reported() {
        let jp = AddressFormat::Japan;
        let typed = |field, text| typed_value(field, text, jp);
        assert_eq!(
            typed(Field::Email, "hanako＠example.jp"),
            Corrected {
                value: "hanako@example.jp".into(),
                corrected: true
            }
        );
        assert!(!typed(Field::Email, "hanako@").corrected);
        assert_eq!(typed(Field::PostalCode, "１５０－").value, "150-");
        assert_eq!(typed(Field::Phone, "＋８１\u{3000}３").value, "+81 3");
        assert_eq!(typed(Field::NameKana, "やまだ ").value, "ヤマダ ");
        assert_eq!(typed(Field::Region, "Tokyo").value, "東京都");
        assert_eq!(typed(Field::Region, "Tok").value, "Tok");
        assert_eq!(
            typed_value(Field::Region, "Kyoto", AddressFormat::Generic).value,
            "Kyoto"
        );
        // Nothing else changes, and nothing is reported.
        for field in [Field::Name, Field::City, Field::Line1] {
            assert_eq!(
                typed(field, "　神宮前１ー２ "),
                Corrected {
                    value: "　神宮前１ー２ ".into(),
                    corrected: false
                }
            );
        }
    }

    #[test]
    fn a_lookup_fills_the_address_fields_and_its_part_survives_a_reload() {
        use crate::postal::{postal_fill, PostalAddress, PostalFill};
        let mut draft = Draft::default();
        draft.values.insert(Field::City, "しぶや".into());
        let jingumae = PostalAddress {
            prefecture: crate::japan::prefecture_by_code(13).unwrap(),
            city: "渋谷区".into(),
            town: "神宮前".into(),
        };
        let PostalFill::Fill(filled) =
            postal_fill(&[jingumae], &draft.address_parts(), &draft.postal_parts())
        else {
            panic!("one address fills")
        };
        draft.put_address(filled);
        assert_eq!(draft.value(Field::Region), "東京都");
        assert_eq!(draft.value(Field::City), "しぶや", "typed by the shopper");
        assert_eq!(draft.value(Field::Line1), "神宮前");
        let json = crate::wire::to_json(&draft);
        assert!(
            json.contains(r#""postal_ours":{"region":"東京都","line1":"神宮前"}"#),
            "{json}"
        );
        let restored: Draft = serde_json::from_str(&json).unwrap();
        assert_eq!(restored.postal_parts(), draft.postal_parts());
        assert_eq!(restored.postal_parts().town, "神宮前");
        assert_eq!(
            restored.postal_parts().city,
            "",
            "the shopper's city is not Kago's"
        );
        // An empty part is not written into the saved draft at all.
        assert!(!crate::wire::to_json(&Draft::default()).contains("postal_ours"));
    }

    #[test]
    fn a_delivery_slot_or_date_outside_what_the_shop_offers_is_refused() {
        use crate::delivery::{DeliverySlot, Weekday};
        let today = CivilDate::new(2026, 12, 4).unwrap(); // a Friday
        let dates = DeliveryDates::new(2, 5, &[Weekday::Sun]).unwrap();
        let slots = DeliverySlots::new(vec![DeliverySlot {
            id: "am".into(),
            label: "午前中".into(),
        }])
        .unwrap();
        let check = |date: Option<&str>, slot: Option<&str>| {
            Draft {
                delivery_date: date.map(Into::into),
                delivery_slot: slot.map(Into::into),
                ..Draft::default()
            }
            .check_delivery(today, Some(&dates), &slots)
        };
        assert_eq!(check(None, None), Ok(()));
        assert_eq!(check(Some("2026-12-07"), Some("am")), Ok(()));
        assert_eq!(
            check(None, Some("pm")),
            Err(DeliveryChoiceError::SlotNotOffered),
            "a slot outside the configured list"
        );
        assert_eq!(
            check(Some("2026-12-06"), None),
            Err(DeliveryChoiceError::DateNotOffered),
            "a Sunday, excluded"
        );
        assert_eq!(
            check(Some("2026-12-05"), Some("am")),
            Err(DeliveryChoiceError::DateNotOffered),
            "before the earliest"
        );
        // A shop that offers no dates or slots takes none.
        let draft = Draft {
            delivery_date: Some("2026-12-07".into()),
            ..Draft::default()
        };
        assert_eq!(
            draft.check_delivery(today, None, &slots),
            Err(DeliveryChoiceError::DateNotOffered)
        );
        let draft = Draft {
            delivery_slot: Some("am".into()),
            ..Draft::default()
        };
        assert_eq!(
            draft.check_delivery(today, Some(&dates), &DeliverySlots::default()),
            Err(DeliveryChoiceError::SlotNotOffered)
        );
    }

    #[test]
    fn validation_is_per_locale_and_normalises_input() {
        let jp = AddressFormat::Japan;
        assert_eq!(
            validate_field(Field::PostalCode, "１５０ー０００１", jp),
            Ok("150-0001".into())
        );
        assert_eq!(
            validate_field(Field::PostalCode, "1500001", jp),
            Ok("150-0001".into())
        );
        assert_eq!(
            validate_field(Field::PostalCode, "150-001", jp),
            Err(FieldError::PostalCode)
        );
        let us = AddressFormat::UnitedStates;
        assert_eq!(
            validate_field(Field::PostalCode, "10001", us),
            Ok("10001".into())
        );
        assert_eq!(
            validate_field(Field::PostalCode, "10001-1234", us),
            Ok("10001-1234".into())
        );
        assert_eq!(
            validate_field(Field::PostalCode, "1000", us),
            Err(FieldError::PostalCode)
        );
        assert_eq!(
            validate_field(Field::PostalCode, "sw1a 1aa", AddressFormat::Generic),
            Ok("SW1A 1AA".into())
        );
        assert_eq!(
            validate_field(Field::Email, " ada@example.com ", us),
            Ok("ada@example.com".into())
        );
        assert_eq!(
            validate_field(Field::Email, "ada@", us),
            Err(FieldError::Email)
        );
        assert_eq!(
            validate_field(Field::Name, "  ", us),
            Err(FieldError::Required)
        );
        assert_eq!(validate_field(Field::Line2, "", us), Ok(String::new()));
        assert_eq!(
            validate_field(Field::Region, "", AddressFormat::Generic),
            Ok(String::new())
        );
        assert_eq!(
            validate_field(Field::Region, "", jp),
            Err(FieldError::Prefecture)
        );
        assert_eq!(
            validate_field(Field::Phone, "090-1234-5678", jp),
            Ok("090-1234-5678".into())
        );
        assert_eq!(
            validate_field(Field::Phone, "call me", jp),
            Err(FieldError::Phone)
        );
        assert_eq!(
            validate_field(Field::Name, &"x".repeat(121), us),
            Err(FieldError::TooLong)
        );
    }

    #[test]
    fn invalid_input_is_kept_and_valid_input_normalised() {
        let fields = contact_fields(Some("JP"), false, false);
        let mut draft = Draft::default();
        draft.values.insert(Field::Email, "not-an-email".into());
        draft
            .values
            .insert(Field::PostalCode, "１５０００01".into());
        let errors = draft.contact_errors(&fields, AddressFormat::Japan);
        assert_eq!(
            errors[0],
            (Field::Email, FieldError::Email),
            "the first invalid field in form order comes first"
        );
        draft.normalise(&fields, AddressFormat::Japan);
        assert_eq!(draft.value(Field::Email), "not-an-email");
        assert_eq!(draft.value(Field::PostalCode), "150-0001");
    }

    fn form(country: &str, phone_required: bool) -> OrderForm {
        let mut config = Config::default();
        config.checkout.country = Some(country.into());
        config.checkout.phone_required = phone_required;
        OrderForm::new(&config)
    }

    fn us_draft() -> Draft {
        let mut draft = Draft::default();
        for (f, v) in [
            (Field::Email, " ada@example.com "),
            (Field::Name, "Ada"),
            (Field::Line1, "350 Fifth Avenue"),
            (Field::City, "New York"),
            (Field::Region, "NY"),
            (Field::PostalCode, "10001"),
        ] {
            draft.values.insert(f, v.into());
        }
        draft.step = Step::Review;
        draft
    }

    #[test]
    fn a_draft_from_another_page_is_held_to_this_pages_form_before_it_is_sent() {
        let us = us_draft();
        let sent = us.validate_order(&form("US", false)).unwrap();
        assert_eq!(sent.value(Field::Email), "ada@example.com", "normalised");
        // The same draft restored on the shop's Japanese page: a US ZIP is no Japanese postal
        // code, and NY is none of the 47 prefectures.
        assert_eq!(
            us.validate_order(&form("JP", false)),
            Err(vec![
                (Field::PostalCode, FieldError::PostalCode),
                (Field::Region, FieldError::Prefecture)
            ])
        );
        // A page that requires a phone.
        assert_eq!(
            us.validate_order(&form("US", true)),
            Err(vec![(Field::Phone, FieldError::Required)])
        );
        // A tampered draft: the e-mail emptied, the name too long.
        let mut tampered = us.clone();
        tampered.values.insert(Field::Email, String::new());
        tampered.values.insert(Field::Name, "x".repeat(500));
        assert_eq!(
            tampered.validate_order(&form("US", false)),
            Err(vec![
                (Field::Email, FieldError::Required),
                (Field::Name, FieldError::TooLong)
            ]),
            "every invalid field, in form order"
        );
        // A shop with neither a "country" nor a currency with a home asks the shopper for one.
        let config = Config {
            currency: crate::currency::Currency::EUR,
            ..Config::default()
        };
        assert_eq!(
            us.validate_order(&OrderForm::new(&config)),
            Err(vec![(Field::Country, FieldError::Required)])
        );
    }

    #[test]
    fn only_this_pages_fields_are_sent() {
        let mut draft = us_draft();
        draft.values.insert(Field::Phone, "090-1234-5678".into());
        let sent = draft.validate_order(&form("US", false)).unwrap();
        assert_eq!(
            sent.value(Field::Phone),
            "",
            "this page does not ask for a phone"
        );
        let generic = form("DE", false);
        let mut de = draft.clone();
        de.values.insert(Field::PostalCode, "10115".into());
        let sent = de.validate_order(&generic).unwrap();
        assert_eq!(
            sent.value(Field::Region),
            "",
            "no region in the German form"
        );
        assert_eq!(sent.value(Field::PostalCode), "10115");
    }

    #[test]
    fn the_idempotency_key_is_stable_for_the_same_order_and_new_for_a_changed_one() {
        let mut draft = Draft::default();
        let mut n = 0;
        let mut fresh = || {
            n += 1;
            format!("key-{n}")
        };
        let first = draft.key_for(7, &mut fresh);
        assert_eq!(draft.key_for(7, &mut fresh), first);
        assert_eq!(draft.key_for(7, &mut fresh), first);
        let changed = draft.key_for(8, &mut fresh);
        assert_ne!(changed, first);
        let restored: Draft = serde_json::from_str(&crate::wire::to_json(&draft)).unwrap();
        assert_eq!(
            restored.clone().key_for(8, || "other".into()),
            changed,
            "a reload keeps the key"
        );
    }

    #[test]
    fn a_typed_code_survives_a_reload_and_older_drafts_have_none() {
        let draft = Draft {
            code_typed: "WELC".into(),
            discount_code: Some("FIVEOFF".into()),
            ..Draft::default()
        };
        let restored: Draft = serde_json::from_str(&crate::wire::to_json(&draft)).unwrap();
        assert_eq!(restored, draft);
        let confirmed = Draft {
            placed: Some(Placed {
                order_id: Some("K-000042".into()),
                email: "a@b.co".into(),
                total: "$25.38".into(),
                payment: None,
                feedback_sent: true,
                delivery_date: Some("12月6日(日)".into()),
                delivery_slot: None,
            }),
            ..Draft::default()
        };
        let restored: Draft = serde_json::from_str(&crate::wire::to_json(&confirmed)).unwrap();
        assert_eq!(restored, confirmed);
        let older = r#"{"step":"delivery","values":{},"shipping_method":null,"payment_method":null,"discount_code":null,"idempotency_key":null,"key_fingerprint":null}"#;
        let older: Draft = serde_json::from_str(older).unwrap();
        assert_eq!(older.code_typed, "");
        assert_eq!(older.placed, None);
        assert_eq!(older.step, Step::Delivery);
    }

    #[test]
    fn drafts_saved_by_the_release_before_serde_still_read() {
        let draft: Draft =
            serde_json::from_str(include_str!("../testdata/stored-v1/draft.json")).unwrap();
        assert!(draft.open);
        assert_eq!(draft.step, Step::Review);
        assert_eq!(draft.value(Field::PostalCode), "10001");
        assert_eq!(draft.key_fingerprint, Some(18_446_744_073_709_551_557));
        assert_eq!(draft.discount_code.as_deref(), Some("WELCOME10"));
        assert!(draft.reminder_consent);
        let placed: Draft =
            serde_json::from_str(include_str!("../testdata/stored-v1/placed.json")).unwrap();
        let placed = placed.placed.unwrap();
        assert_eq!(
            (placed.order_id.as_deref(), placed.feedback_sent),
            (Some("K-1"), true)
        );
        assert_eq!(placed.payment.as_deref(), Some("Card"));
    }

    #[test]
    fn the_order_carries_every_documented_part_and_checks_out() {
        let mut cart = Cart::default();
        cart.add_line(
            Item {
                sku: "TEE".into(),
                variant: Some("M".into()),
                name: "Tee".into(),
                unit_price: 2400,
                image: None,
            },
            2,
        )
        .unwrap();
        let rules = PricingRules {
            shipping_flat: 500,
            ..PricingRules::untaxed(Currency::USD)
        };
        let totals = price_cart(&cart, &rules, None);
        let mut draft = Draft {
            shipping_method: Some("standard".into()),
            payment_method: Some("card".into()),
            ..Draft::default()
        };
        for (f, v) in [
            (Field::Email, "a@b.co"),
            (Field::Name, "Ada"),
            (Field::Line1, "1 Main St"),
            (Field::City, "NYC"),
            (Field::Region, "NY"),
            (Field::PostalCode, "10001"),
        ] {
            draft.values.insert(f, v.into());
        }
        let order = build_order(&cart, &totals, &draft, Some("US"), "en", "k".into());
        assert_eq!(order.check_totals(), Ok(()));
        assert_eq!(order.shipping_address.country, "US");
        assert_eq!(order.shipping_address.line2, None);
        assert_eq!(order.items[0].unit_price, 2400);
        let mut other = order.clone();
        other.idempotency_key = "different".into();
        assert_eq!(order_fingerprint(&order), order_fingerprint(&other));
        other.items[0].quantity = 3;
        assert_ne!(order_fingerprint(&order), order_fingerprint(&other));

        // No delivery date, slot or reading asked for: none of them is in the body at all.
        let json = crate::wire::to_json(&order);
        for absent in ["delivery_date", "delivery_slot", "name_kana"] {
            assert!(!json.contains(absent), "{absent} in {json}");
        }
        let mut japanese = draft.clone();
        japanese
            .values
            .insert(Field::NameKana, "ヤマダ ハナコ".into());
        japanese.delivery_date = Some("2026-12-07".into());
        japanese.delivery_slot = Some("am".into());
        let order_jp = build_order(&cart, &totals, &japanese, Some("JP"), "ja", "k".into());
        let json: serde_json::Value =
            serde_json::from_str(&crate::wire::to_json(&order_jp)).unwrap();
        assert_eq!(json["delivery_date"], "2026-12-07");
        assert_eq!(json["delivery_slot"], "am");
        assert_eq!(json["contact"]["name_kana"], "ヤマダ ハナコ");
        let read: OrderRequest = serde_json::from_value(json).unwrap();
        assert_eq!(read, order_jp, "an endpoint reads the body back");
        japanese.delivery_date = Some("2026-12-08".into());
        let later = build_order(&cart, &totals, &japanese, Some("JP"), "ja", "k".into());
        assert_ne!(
            order_fingerprint(&later),
            order_fingerprint(&order_jp),
            "another delivery date is another order (a new idempotency key)"
        );

        // A code goes with the order only while it gives it its discount: one waiting for its
        // minimum subtotal (the cart shrank after it was applied) is left out.
        draft.discount_code = Some("WELCOME10".into());
        let waiting = build_order(&cart, &totals, &draft, Some("US"), "en", "k".into());
        assert_eq!(waiting.discount_code, None);
        let discount = Some(crate::pricing::Discount::Percent { basis_points: 1000 });
        let discounted = price_cart(&cart, &rules, discount);
        let applied = build_order(&cart, &discounted, &draft, Some("US"), "en", "k".into());
        assert_eq!(applied.discount_code.as_deref(), Some("WELCOME10"));
        assert_eq!(applied.totals.discount, 480);
        assert_eq!(applied.check_totals(), Ok(()));
    }

    #[test]
    fn missing_or_stale_choices_fall_back_to_the_first_method() {
        let ship = vec![ShippingMethod {
            id: "a".into(),
            label: "A".into(),
            price: 0,
            free_over: None,
            estimate: None,
        }];
        let pay = payment_methods(&CheckoutSettings::default(), "Card");
        let mut draft = Draft {
            shipping_method: Some("gone".into()),
            ..Draft::default()
        };
        draft.settle_choices(&ship, &pay);
        assert_eq!(draft.shipping_method.as_deref(), Some("a"));
        assert_eq!(draft.payment_method.as_deref(), Some("card"));
    }
}
