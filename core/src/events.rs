//! The funnel event model (schema version [`SCHEMA_VERSION`]): every event kind with its own
//! fields ([`EventKind`]), the fields every event carries ([`Event`]), what may carry contact
//! data, and the Segment and GA4 forms. `schema/events.schema.json` is generated from these
//! types (`cargo run -p kago-core --features schema --example events-schema`); a test fails
//! when the committed file and the types disagree.
//!
//! Privacy rule: no e-mail, name, address or phone in any event, except `contact.email` on
//! checkout events when the merchant set `data-events-contact="on"`, the shopper ticked the
//! consent box, and the browser does not send Global Privacy Control. The types make it so:
//! no kind has a field for personal data, and only [`Event::contact`] holds the e-mail.

use crate::checkout::Step;
use crate::registration::Mode;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// Bumped whenever an event's shape changes; in every event and batch as `schema`.
pub const SCHEMA_VERSION: u32 = 1;
/// Most cart lines one event lists in `items` (the first ones); `items_omitted` counts the
/// rest, and `value` is always the whole cart's. Keeps every event far below a batch's size.
pub const MAX_EVENT_ITEMS: usize = 50;

/// What happened, with the fields of its kind. Serialized with its name as `type`
/// (`{"type": "item_added", "sku": …}`); [`EventType`] is the kind without its fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, strum::EnumDiscriminants)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
#[strum_discriminants(
    name(EventType),
    derive(strum::EnumIter, strum::IntoStaticStr, strum::EnumString, Hash),
    strum(serialize_all = "snake_case")
)]
pub enum EventKind {
    /// The cart drawer was opened.
    CartViewed,
    /// `quantity` is the units this tap added.
    ItemAdded {
        sku: String,
        variant: Option<String>,
        quantity: u32,
    },
    /// A line left the cart; `quantity` and `unit_price` are the line's.
    ItemRemoved {
        sku: String,
        variant: Option<String>,
        quantity: u32,
        unit_price: i64,
    },
    /// `quantity` is the line's new quantity.
    QuantityChanged {
        sku: String,
        variant: Option<String>,
        quantity: u32,
    },
    CheckoutStarted,
    StepViewed {
        step: Step,
    },
    StepCompleted {
        step: Step,
    },
    ShippingSelected {
        shipping_method: String,
    },
    PaymentSelected {
        payment_method: String,
    },
    DiscountApplied {
        discount_code: String,
    },
    DiscountRejected {
        reason: CodeRejection,
    },
    OrderSubmitted {
        idempotency_key: String,
    },
    OrderCompleted {
        order_id: String,
    },
    /// `status` is the endpoint's HTTP status, 0 when it never answered.
    OrderFailed {
        reason: FailReason,
        status: u16,
    },
    /// Sent once per checkout left without an order.
    CheckoutAbandoned {
        last_step: Step,
        duration_ms: u64,
        trigger: AbandonTrigger,
        /// The answer to "What stopped you?", when the shopper gave one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "schema", schemars(with = "ExitReason"))]
        reason: Option<ExitReason>,
    },
    RegistrationPromptShown {
        mode: Mode,
    },
    RegistrationAccepted {
        mode: Mode,
        marketing_opt_in: bool,
    },
    RegistrationDismissed {
        mode: Mode,
    },
    /// "How easy was checkout?" from 1 (hard) to 5 (easy), with the optional comment: only
    /// where contact data may be sent (`data-events-contact="on"`, no Global Privacy Control),
    /// and with e-mail addresses and phone numbers replaced by `[email]` and `[phone]`.
    CheckoutFeedback {
        #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 5)))]
        rating: u8,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "schema", schemars(with = "String"))]
        comment: Option<String>,
    },
    /// The order endpoint corrected the order (its catalog's prices or stock, or the code)
    /// instead of taking it; `count` is how many lines (or codes) it changed.
    OrderCorrected {
        correction: CorrectionKind,
        count: u32,
    },
}

/// Why a discount code was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CodeRejection {
    Unknown,
    BelowMinimum,
}

/// What the order endpoint corrected (README, "Trusting the order").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CorrectionKind {
    PricesChanged,
    Unavailable,
    CodeInvalid,
}

/// Why placing the order failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum FailReason {
    /// The shop answered `4xx`.
    Rejected,
    /// No answer, or `5xx`/`408`/`429` after every retry.
    Unreachable,
}

/// What ended an unfinished checkout.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AbandonTrigger {
    /// The shopper closed the checkout.
    Closed,
    /// The tab was hidden with the checkout open.
    Hidden,
    /// The page was closed or left.
    Unload,
    /// No activity for `data-abandon-after` minutes.
    Idle,
}

/// The one-tap answers to "What stopped you?".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExitReason {
    ShippingCost,
    PaymentMissing,
    JustLooking,
    Other,
}

impl EventType {
    /// Every type, in the order of [`EventKind`].
    pub fn all() -> impl Iterator<Item = EventType> {
        <EventType as strum::IntoEnumIterator>::iter()
    }

    /// The `type` field, also the `kago:<type>` DOM event name.
    pub fn name(self) -> &'static str {
        self.into()
    }

    pub fn from_name(name: &str) -> Option<EventType> {
        name.parse().ok()
    }

    /// Whether the event carries the cart's `value` and `items`.
    pub fn carries_cart(self) -> bool {
        !matches!(
            self,
            EventType::RegistrationPromptShown
                | EventType::RegistrationAccepted
                | EventType::RegistrationDismissed
                | EventType::CheckoutFeedback
        )
    }

    /// Whether `contact.email` may be attached (checkout events, with merchant setting and consent).
    pub fn may_carry_contact(self) -> bool {
        matches!(
            self,
            EventType::StepCompleted
                | EventType::StepViewed
                | EventType::ShippingSelected
                | EventType::PaymentSelected
                | EventType::OrderSubmitted
                | EventType::OrderFailed
                | EventType::OrderCorrected
                | EventType::CheckoutAbandoned
        )
    }

    /// The Segment / RudderStack e-commerce spec name.
    pub fn segment_name(self) -> &'static str {
        match self {
            EventType::CartViewed => "Cart Viewed",
            EventType::ItemAdded => "Product Added",
            EventType::ItemRemoved => "Product Removed",
            EventType::QuantityChanged => "Cart Updated",
            EventType::CheckoutStarted => "Checkout Started",
            EventType::StepViewed => "Checkout Step Viewed",
            EventType::StepCompleted => "Checkout Step Completed",
            EventType::ShippingSelected => "Shipping Info Entered",
            EventType::PaymentSelected => "Payment Info Entered",
            EventType::DiscountApplied => "Coupon Applied",
            EventType::DiscountRejected => "Coupon Denied",
            EventType::OrderSubmitted => "Order Submitted",
            EventType::OrderCompleted => "Order Completed",
            EventType::OrderFailed => "Order Failed",
            EventType::OrderCorrected => "Order Corrected",
            EventType::CheckoutAbandoned => "Checkout Abandoned",
            EventType::RegistrationPromptShown => "Registration Prompt Shown",
            EventType::RegistrationAccepted => "Signed Up",
            EventType::RegistrationDismissed => "Registration Dismissed",
            EventType::CheckoutFeedback => "Checkout Feedback Given",
        }
    }

    /// The GA4 e-commerce event pushed to `window.dataLayer`, for the events GA4 defines.
    pub fn ga4_name(self) -> Option<&'static str> {
        Some(match self {
            EventType::CartViewed => "view_cart",
            EventType::ItemAdded => "add_to_cart",
            EventType::ItemRemoved => "remove_from_cart",
            EventType::CheckoutStarted => "begin_checkout",
            EventType::ShippingSelected => "add_shipping_info",
            EventType::PaymentSelected => "add_payment_info",
            EventType::OrderCompleted => "purchase",
            _ => return None,
        })
    }
}

impl EventKind {
    /// The kind without its fields.
    pub fn event_type(&self) -> EventType {
        self.into()
    }
}

/// Device class from the viewport.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Device {
    Mobile,
    Tablet,
    Desktop,
}

impl Device {
    /// Phones below 768 CSS px (or any "Mobi" user agent), tablets below 1100 px with touch.
    pub fn classify(viewport_width: u32, touch: bool, mobile_user_agent: bool) -> Device {
        if mobile_user_agent || viewport_width < 768 {
            Device::Mobile
        } else if touch && viewport_width < 1100 {
            Device::Tablet
        } else {
            Device::Desktop
        }
    }
}

/// A cart line as events carry it: no names, no images.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EventItem {
    pub sku: String,
    pub variant: Option<String>,
    pub quantity: u32,
    /// Minor units of `currency`.
    pub unit_price: i64,
}

/// The cart as an event carries it: the shop currency, the total in its minor units, the lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventCart {
    pub currency: crate::currency::Currency,
    pub value: i64,
    pub items: Vec<EventItem>,
}

/// The cart's lines as events carry them.
pub fn event_items(cart: &crate::cart::Cart) -> Vec<EventItem> {
    cart.lines()
        .iter()
        .map(|l| EventItem {
            sku: l.sku.clone(),
            variant: l.variant.clone(),
            quantity: l.quantity,
            unit_price: l.unit_price,
        })
        .collect()
}

/// Who, where and when: the same for every event of a page view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventContext {
    pub session_id: String,
    pub cart_id: String,
    pub device: Device,
    pub locale: String,
    pub currency: String,
    /// `location.pathname` only; query strings and fragments never leave the page.
    pub page: String,
}

/// The opted-in contact of a checkout event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EventContact {
    pub email: String,
}

/// One funnel event as the endpoint receives it (and as this tab's queue keeps it). Amounts are
/// integers in minor units of `currency`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(extend("unevaluatedProperties" = false)))]
pub struct Event {
    /// The schema version, 1.
    #[cfg_attr(feature = "schema", schemars(extend("const" = 1)))]
    pub schema: u32,
    /// Random; deduplicate by it (delivery is at least once).
    pub id: String,
    #[serde(flatten)]
    pub kind: EventKind,
    /// When it happened: ISO 8601 UTC with milliseconds.
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date-time")))]
    pub at: String,
    /// This browser session.
    pub session_id: String,
    /// Stable for the life of a cart, the same in every tab, new after an order.
    pub cart_id: String,
    pub device: Device,
    /// The widget's language: `en` or `ja`.
    pub locale: String,
    /// ISO 4217 code of the shop currency.
    pub currency: String,
    /// The page's path, never its query string or fragment.
    pub page: String,
    /// The cart's total in minor units (events that carry the cart).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "i64"))]
    pub value: Option<i64>,
    /// The cart's lines, the first 50 of them (events that carry the cart).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Vec<EventItem>", length(max = 50))
    )]
    pub items: Option<Vec<EventItem>>,
    /// How many lines of the cart `items` leaves out (only when the cart has more than 50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "u32", range(min = 1)))]
    pub items_omitted: Option<u32>,
    /// The shopper's e-mail, only on checkout events, only with the merchant's
    /// `data-events-contact="on"` and the shopper's consent, never under Global Privacy Control.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "EventContact"))]
    pub contact: Option<EventContact>,
}

/// The page path without query string or fragment, and with any segment that holds an e-mail
/// address (`/account/ada@example.com/orders`, also percent-encoded) replaced by `[email]`.
pub fn page_path(href_or_path: &str) -> String {
    let path = href_or_path.split(['?', '#']).next().unwrap_or("");
    let path = match path.find("://") {
        Some(i) => path[i + 3..].find('/').map_or("/", |j| &path[i + 3 + j..]),
        None => path,
    };
    if path.is_empty() {
        return "/".into();
    }
    path.split('/')
        .map(|segment| {
            let decoded = segment.replace("%40", "@");
            if crate::text::is_email(&decoded) {
                "[email]"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// ISO 8601 UTC with milliseconds (`2026-11-23T09:41:07.123Z`) from Unix milliseconds.
pub fn iso8601_utc(unix_ms: u64) -> String {
    let secs = unix_ms / 1000;
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // ISO 8601's four-digit years end in 9999: a clock past that (none is) prints as its end.
    let Some(date) = i64::try_from(days)
        .ok()
        .and_then(crate::delivery::CivilDate::from_unix_days)
        .filter(|d| d.year() <= 9999)
    else {
        return "9999-12-31T23:59:59.999Z".into();
    };
    format!(
        "{date}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        unix_ms % 1000
    )
}

/// Builds one event. `cart` is `(value, items)` for kinds that carry the cart; `email` is
/// attached only where the privacy rule allows it (the caller passes it only with merchant
/// setting + consent + no GPC).
pub fn build_event(
    kind: EventKind,
    id: String,
    unix_ms: u64,
    context: &EventContext,
    cart: Option<(i64, Vec<EventItem>)>,
    email: Option<&str>,
) -> Event {
    let event_type = kind.event_type();
    let kind = match kind {
        EventKind::CheckoutFeedback { rating, comment } => EventKind::CheckoutFeedback {
            rating,
            comment: comment.map(|c| crate::text::redact_contact(&c)),
        },
        other => other,
    };
    let (value, items, items_omitted) = match cart.filter(|_| event_type.carries_cart()) {
        Some((value, mut items)) => {
            let omitted = items.len().saturating_sub(MAX_EVENT_ITEMS);
            items.truncate(MAX_EVENT_ITEMS);
            let omitted = u32::try_from(omitted).unwrap_or(u32::MAX);
            (Some(value), Some(items), (omitted > 0).then_some(omitted))
        }
        None => (None, None, None),
    };
    Event {
        schema: SCHEMA_VERSION,
        id,
        kind,
        at: iso8601_utc(unix_ms),
        session_id: context.session_id.clone(),
        cart_id: context.cart_id.clone(),
        device: context.device,
        locale: context.locale.clone(),
        currency: context.currency.clone(),
        page: page_path(&context.page),
        value,
        items,
        items_omitted,
        contact: email
            .filter(|_| event_type.may_carry_contact())
            .map(|email| EventContact {
                email: email.to_string(),
            }),
    }
}

/// The same event as a Segment / RudderStack `track` call, from the event's JSON (as a queue
/// keeps it).
pub fn to_segment(event: &Value) -> Value {
    let kind = event["type"].as_str().and_then(EventType::from_name);
    let mut properties = Map::new();
    if let Value::Object(map) = event {
        for (key, value) in map {
            if !matches!(
                key.as_str(),
                "id" | "type"
                    | "at"
                    | "session_id"
                    | "device"
                    | "locale"
                    | "page"
                    | "contact"
                    | "schema"
                    | "items"
            ) {
                properties.insert(key.clone(), value.clone());
            }
        }
    }
    if let Some(items) = event.get("items").and_then(Value::as_array) {
        let products: Vec<Value> = items
            .iter()
            .map(|i| json!({"sku": i["sku"], "product_id": i["sku"], "variant": i["variant"], "quantity": i["quantity"], "price": i["unit_price"]}))
            .collect();
        properties.insert("products".into(), Value::Array(products));
    }
    properties.insert("kago_type".into(), event["type"].clone());
    let mut context = json!({
        "page": {"path": event["page"]},
        "locale": event["locale"],
        "device": {"type": event["device"]},
        "library": {"name": "kago", "version": env!("CARGO_PKG_VERSION")},
    });
    if let Some(email) = event.get("contact").and_then(|c| c.get("email")) {
        context["traits"] = json!({"email": email});
    }
    json!({
        "type": "track",
        "event": kind.map_or("Unknown", EventType::segment_name),
        "messageId": event["id"],
        "timestamp": event["at"],
        "anonymousId": event["session_id"],
        "properties": properties,
        "context": context,
    })
}

/// The GA4 `dataLayer` object for an event GA4 defines (`value` and prices in major units, as
/// GA4 expects; analytics only, never used for pricing).
pub fn to_ga4(event: &Event) -> Option<Value> {
    let name = event.kind.event_type().ga4_name()?;
    let currency = crate::currency::Currency::from_code(&event.currency)?;
    // Minor units divided by 10^exponent: the same double as the exact decimal text
    // (`money::tests::dividing_by_the_exponent_gives_the_parsed_decimal`), printed shortest.
    let major = |minor: i64| minor as f64 / 10f64.powi(i32::from(currency.exponent()));
    let ga4_item = |sku: &str, variant: &Option<String>, unit_price: i64, quantity: u32| json!({"item_id": sku, "item_variant": variant, "price": major(unit_price), "quantity": quantity});
    let cart_items = event.items.as_deref().unwrap_or_default();
    let (items, value) = match &event.kind {
        // add_to_cart / remove_from_cart describe the item added or removed, not the cart.
        EventKind::ItemAdded {
            sku,
            variant,
            quantity,
        } => {
            let unit_price = cart_items
                .iter()
                .find(|i| &i.sku == sku && &i.variant == variant)
                .map_or(0, |i| i.unit_price);
            (
                vec![ga4_item(sku, variant, unit_price, *quantity)],
                unit_price * i64::from(*quantity),
            )
        }
        EventKind::ItemRemoved {
            sku,
            variant,
            quantity,
            unit_price,
        } => (
            vec![ga4_item(sku, variant, *unit_price, *quantity)],
            unit_price * i64::from(*quantity),
        ),
        _ => (
            cart_items
                .iter()
                .map(|i| ga4_item(&i.sku, &i.variant, i.unit_price, i.quantity))
                .collect(),
            event.value.unwrap_or(0),
        ),
    };
    let mut ecommerce = json!({"currency": currency.code(), "value": major(value), "items": items});
    match &event.kind {
        EventKind::OrderCompleted { order_id } => ecommerce["transaction_id"] = json!(order_id),
        EventKind::ShippingSelected { shipping_method } => {
            ecommerce["shipping_tier"] = json!(shipping_method)
        }
        EventKind::PaymentSelected { payment_method } => {
            ecommerce["payment_type"] = json!(payment_method)
        }
        _ => {}
    }
    Some(json!({"event": name, "ecommerce": ecommerce}))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn context() -> EventContext {
        EventContext {
            session_id: "s-1".into(),
            cart_id: "c-1".into(),
            device: Device::Mobile,
            locale: "en".into(),
            currency: "USD".into(),
            page: "https://shop.example/products/tee?utm_source=mail#reviews".into(),
        }
    }

    fn items(n: usize) -> Vec<EventItem> {
        (0..n)
            .map(|i| EventItem {
                sku: format!("SKU-{i}"),
                variant: None,
                quantity: 1,
                unit_price: 100,
            })
            .collect()
    }

    #[test]
    fn every_type_has_a_unique_name_that_reads_back() {
        let mut names: Vec<&str> = EventType::all().map(EventType::name).collect();
        for t in EventType::all() {
            assert_eq!(EventType::from_name(t.name()), Some(t));
        }
        assert_eq!(EventType::from_name("item_addded"), None);
        let count = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), count);
        assert_eq!(count, 20);
    }

    #[test]
    fn the_type_field_is_the_kind_name() {
        for event in one_of_each() {
            let json = serde_json::to_value(&event).unwrap();
            assert_eq!(json["type"], event.kind.event_type().name());
        }
    }

    #[test]
    fn timestamps_are_iso_8601_utc() {
        assert_eq!(iso8601_utc(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601_utc(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(iso8601_utc(1_795_426_867_123), "2026-11-23T09:41:07.123Z");
        assert_eq!(iso8601_utc(u64::MAX), "9999-12-31T23:59:59.999Z");
    }

    #[test]
    fn pages_lose_query_and_fragment() {
        assert_eq!(
            page_path("https://shop.example/products/tee?utm=1#x"),
            "/products/tee"
        );
        assert_eq!(page_path("https://shop.example"), "/");
        assert_eq!(page_path("/cart?email=a@b.co"), "/cart");
    }

    #[test]
    fn a_path_segment_holding_an_e_mail_is_redacted() {
        assert_eq!(
            page_path("https://shop.example/account/ada@example.com/orders?x=1"),
            "/account/[email]/orders"
        );
        assert_eq!(
            page_path("/u/ada%40example.com"),
            "/u/[email]",
            "percent-encoded too"
        );
        assert_eq!(
            page_path("/@shop/tees"),
            "/@shop/tees",
            "a handle is no e-mail"
        );
        assert_eq!(page_path("/products/tee"), "/products/tee");
    }

    #[test]
    fn devices_are_classified_by_viewport() {
        assert_eq!(Device::classify(412, true, true), Device::Mobile);
        assert_eq!(Device::classify(820, true, false), Device::Tablet);
        assert_eq!(Device::classify(1280, false, false), Device::Desktop);
    }

    #[test]
    fn an_event_has_every_common_field() {
        let e = build_event(
            EventKind::StepCompleted {
                step: Step::Contact,
            },
            "e-1".into(),
            0,
            &context(),
            Some((4800, items(1))),
            None,
        );
        let json = serde_json::to_value(&e).unwrap();
        for key in [
            "schema",
            "id",
            "type",
            "at",
            "session_id",
            "cart_id",
            "device",
            "locale",
            "currency",
            "page",
            "value",
            "items",
            "step",
        ] {
            assert!(json.get(key).is_some(), "{key}");
        }
        assert_eq!(json["page"], "/products/tee");
        assert_eq!(json["step"], "contact");
        assert!(json.get("items_omitted").is_none());
    }

    #[test]
    fn contact_email_only_on_checkout_events_when_passed() {
        let abandoned = EventKind::CheckoutAbandoned {
            last_step: Step::Contact,
            duration_ms: 1,
            trigger: AbandonTrigger::Idle,
            reason: None,
        };
        let e = build_event(abandoned, "e".into(), 0, &context(), None, Some("a@b.co"));
        assert_eq!(e.contact.unwrap().email, "a@b.co");
        let e = build_event(
            EventKind::CartViewed,
            "e".into(),
            0,
            &context(),
            None,
            Some("a@b.co"),
        );
        assert!(e.contact.is_none());
    }

    #[test]
    fn a_large_cart_is_listed_up_to_the_limit_and_the_rest_counted() {
        let e = build_event(
            EventKind::CheckoutStarted,
            "e".into(),
            0,
            &context(),
            Some((40_000, items(400))),
            None,
        );
        assert_eq!(e.items.as_ref().map(Vec::len), Some(MAX_EVENT_ITEMS));
        assert_eq!(e.items_omitted, Some(350));
        assert_eq!(e.value, Some(40_000), "the value is the whole cart's");
        // Far below a batch: a 400-line cart's events are sent like any other.
        assert!(
            crate::wire::to_json(&e).len() * 10 < crate::event_queue::MAX_BATCH_BYTES,
            "ten such events fit in one batch"
        );
    }

    #[test]
    fn events_read_back_as_they_were_written() {
        for event in one_of_each() {
            let text = crate::wire::to_json(&event);
            let back: Event = serde_json::from_str(&text).unwrap();
            assert_eq!(back, event, "{text}");
        }
    }

    /// One realistic event of every type, as the widget raises them.
    pub(crate) fn one_of_each() -> Vec<Event> {
        let items = || {
            vec![EventItem {
                sku: "TEE".into(),
                variant: Some("M".into()),
                quantity: 2,
                unit_price: 2400,
            }]
        };
        let tee = || (String::from("TEE"), Some(String::from("M")));
        EventType::all()
            .enumerate()
            .map(|(n, kind)| {
                let kind = match kind {
                    EventType::CartViewed => EventKind::CartViewed,
                    EventType::ItemAdded => {
                        let (sku, variant) = tee();
                        EventKind::ItemAdded {
                            sku,
                            variant,
                            quantity: 2,
                        }
                    }
                    EventType::ItemRemoved => EventKind::ItemRemoved {
                        sku: "TEE".into(),
                        variant: None,
                        quantity: 1,
                        unit_price: 2400,
                    },
                    EventType::QuantityChanged => {
                        let (sku, variant) = tee();
                        EventKind::QuantityChanged {
                            sku,
                            variant,
                            quantity: 2,
                        }
                    }
                    EventType::CheckoutStarted => EventKind::CheckoutStarted,
                    EventType::StepViewed => EventKind::StepViewed {
                        step: Step::Delivery,
                    },
                    EventType::StepCompleted => EventKind::StepCompleted {
                        step: Step::Delivery,
                    },
                    EventType::ShippingSelected => EventKind::ShippingSelected {
                        shipping_method: "express".into(),
                    },
                    EventType::PaymentSelected => EventKind::PaymentSelected {
                        payment_method: "card".into(),
                    },
                    EventType::DiscountApplied => EventKind::DiscountApplied {
                        discount_code: "WELCOME10".into(),
                    },
                    EventType::DiscountRejected => EventKind::DiscountRejected {
                        reason: CodeRejection::BelowMinimum,
                    },
                    EventType::OrderSubmitted => EventKind::OrderSubmitted {
                        idempotency_key: "k-1".into(),
                    },
                    EventType::OrderCompleted => EventKind::OrderCompleted {
                        order_id: "K-000001".into(),
                    },
                    EventType::OrderFailed => EventKind::OrderFailed {
                        reason: FailReason::Unreachable,
                        status: 503,
                    },
                    EventType::OrderCorrected => EventKind::OrderCorrected {
                        correction: CorrectionKind::PricesChanged,
                        count: 1,
                    },
                    EventType::CheckoutAbandoned => EventKind::CheckoutAbandoned {
                        last_step: Step::Contact,
                        duration_ms: 81_234,
                        trigger: AbandonTrigger::Closed,
                        reason: Some(ExitReason::ShippingCost),
                    },
                    EventType::RegistrationPromptShown => EventKind::RegistrationPromptShown {
                        mode: Mode::Password,
                    },
                    EventType::RegistrationAccepted => EventKind::RegistrationAccepted {
                        mode: Mode::Link,
                        marketing_opt_in: false,
                    },
                    EventType::RegistrationDismissed => EventKind::RegistrationDismissed {
                        mode: Mode::Password,
                    },
                    EventType::CheckoutFeedback => EventKind::CheckoutFeedback {
                        rating: 4,
                        comment: Some("Quick!".into()),
                    },
                };
                let email = matches!(kind, EventKind::CheckoutAbandoned { .. })
                    .then_some("ada@example.com");
                build_event(
                    kind,
                    format!("0000000{n:02}-e"),
                    1_795_426_867_123,
                    &context(),
                    Some((4800, items())),
                    email,
                )
            })
            .collect()
    }

    #[test]
    fn every_event_type_is_valid_against_the_published_schema() {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../../schema/events.schema.json")).unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        let events: Vec<_> = one_of_each()
            .iter()
            .map(crate::event_queue::QueuedEvent::new)
            .collect();
        let batch: serde_json::Value = serde_json::from_str(&crate::event_queue::batch_body(
            &events,
            0,
            0,
            crate::event_queue::Format::Kago,
        ))
        .unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&batch)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
        // The schema is strict: an unknown field, a personal field or a made-up type fails.
        for (index, key, value) in [
            (0, "email", json!("x@y.z")),
            (1, "type", json!("made_up")),
            (2, "name", json!("Ada")),
            (3, "step", json!("contact")),
        ] {
            let mut bad = batch.clone();
            bad["events"][index][key] = value;
            assert!(!validator.is_valid(&bad), "{key} on event {index}");
        }
    }

    #[test]
    fn the_committed_schema_is_the_one_the_types_generate() {
        let generated = crate::schema::events_schema_text();
        let committed = include_str!("../../schema/events.schema.json");
        assert!(
            generated == committed,
            "schema/events.schema.json and the event types disagree: regenerate it with\n  \
             cargo run -p kago-core --features schema --example events-schema > schema/events.schema.json\n\
             and review the difference (a changed event shape may need a SCHEMA_VERSION bump)."
        );
    }

    #[test]
    fn events_queued_by_the_release_before_serde_still_read() {
        let queue: crate::event_queue::Queue =
            serde_json::from_str(include_str!("../testdata/stored-v1/queue.json")).unwrap();
        assert_eq!(queue.events.len(), 19);
        let mut expected = one_of_each();
        expected.retain(|e| e.kind.event_type() != EventType::OrderCorrected);
        let events: Vec<Event> = queue
            .events
            .iter()
            .map(|e| serde_json::from_str(e.json()).unwrap())
            .collect();
        assert_eq!(events, expected, "every kind reads back whole");
    }

    #[test]
    fn ga4_events_use_major_units_and_ga4_names() {
        let e = build_event(
            EventKind::OrderCompleted {
                order_id: "K-1".into(),
            },
            "e".into(),
            0,
            &context(),
            Some((
                4900,
                vec![EventItem {
                    sku: "TEE".into(),
                    variant: None,
                    quantity: 2,
                    unit_price: 2450,
                }],
            )),
            None,
        );
        let g = to_ga4(&e).unwrap();
        assert_eq!(g["event"], "purchase");
        assert_eq!(g["ecommerce"]["value"].to_string(), "49.0");
        assert_eq!(g["ecommerce"]["items"][0]["price"].to_string(), "24.5");
        assert_eq!(g["ecommerce"]["transaction_id"], "K-1");
        let e = build_event(
            EventKind::StepViewed {
                step: Step::Contact,
            },
            "e".into(),
            0,
            &context(),
            None,
            None,
        );
        assert_eq!(to_ga4(&e), None);
    }

    #[test]
    fn ga4_add_and_remove_describe_only_the_item_and_the_units() {
        let cart = || {
            vec![
                EventItem {
                    sku: "TEE".into(),
                    variant: Some("M".into()),
                    quantity: 3,
                    unit_price: 2450,
                },
                EventItem {
                    sku: "MUG".into(),
                    variant: None,
                    quantity: 1,
                    unit_price: 1850,
                },
            ]
        };
        let added = build_event(
            EventKind::ItemAdded {
                sku: "TEE".into(),
                variant: Some("M".into()),
                quantity: 2,
            },
            "e".into(),
            0,
            &context(),
            Some((9200, cart())),
            None,
        );
        let g = to_ga4(&added).unwrap();
        assert_eq!(g["event"], "add_to_cart");
        assert_eq!(
            g["ecommerce"]["value"], 49.0,
            "2 added × 24.50, not the cart"
        );
        assert_eq!(
            g["ecommerce"]["items"].to_string(),
            r#"[{"item_id":"TEE","item_variant":"M","price":24.5,"quantity":2}]"#
        );
        let removed = build_event(
            EventKind::ItemRemoved {
                sku: "MUG".into(),
                variant: None,
                quantity: 1,
                unit_price: 1850,
            },
            "e".into(),
            0,
            &context(),
            Some((7350, cart()[..1].to_vec())),
            None,
        );
        let g = to_ga4(&removed).unwrap();
        assert_eq!(g["event"], "remove_from_cart");
        assert_eq!(g["ecommerce"]["value"], 18.5);
        assert_eq!(
            g["ecommerce"]["items"].to_string(),
            r#"[{"item_id":"MUG","item_variant":null,"price":18.5,"quantity":1}]"#
        );
    }

    #[test]
    fn segment_calls_use_the_ecommerce_spec_names() {
        let e = build_event(
            EventKind::CheckoutStarted,
            "e-9".into(),
            0,
            &context(),
            Some((2400, items(1))),
            None,
        );
        let s = to_segment(&serde_json::to_value(&e).unwrap());
        assert_eq!(s["event"], "Checkout Started");
        assert_eq!(s["messageId"], "e-9");
        assert_eq!(s["properties"]["products"][0]["sku"], "SKU-0");
        assert_eq!(s["properties"]["kago_type"], "checkout_started");
        assert!(s["properties"].get("items").is_none());
        assert_eq!(EventType::StepViewed.segment_name(), "Checkout Step Viewed");
        assert_eq!(EventType::OrderCompleted.segment_name(), "Order Completed");
        assert_eq!(EventType::CartViewed.segment_name(), "Cart Viewed");
    }
}
