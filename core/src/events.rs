//! The funnel event model (schema version [`SCHEMA_VERSION`]): every event type, the fields every
//! event carries, what is allowed to carry contact data, and the Segment and GA4 names.
//!
//! Privacy rule: no e-mail, name, address or phone in any event, except `contact.email` on
//! checkout events when the merchant set `data-events-contact="on"`, the shopper ticked the
//! consent box, and the browser does not send Global Privacy Control.

use crate::json;
use crate::json::{Map, Number, Value};

/// Bumped whenever an event's shape changes; in every event and batch as `schema`.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventType {
    CartViewed,
    ItemAdded,
    ItemRemoved,
    QuantityChanged,
    CheckoutStarted,
    StepViewed,
    StepCompleted,
    ShippingSelected,
    PaymentSelected,
    DiscountApplied,
    DiscountRejected,
    OrderSubmitted,
    OrderCompleted,
    OrderFailed,
    CheckoutAbandoned,
    RegistrationPromptShown,
    RegistrationAccepted,
    RegistrationDismissed,
    CheckoutFeedback,
}

impl EventType {
    pub const ALL: [EventType; 19] = [
        EventType::CartViewed,
        EventType::ItemAdded,
        EventType::ItemRemoved,
        EventType::QuantityChanged,
        EventType::CheckoutStarted,
        EventType::StepViewed,
        EventType::StepCompleted,
        EventType::ShippingSelected,
        EventType::PaymentSelected,
        EventType::DiscountApplied,
        EventType::DiscountRejected,
        EventType::OrderSubmitted,
        EventType::OrderCompleted,
        EventType::OrderFailed,
        EventType::CheckoutAbandoned,
        EventType::RegistrationPromptShown,
        EventType::RegistrationAccepted,
        EventType::RegistrationDismissed,
        EventType::CheckoutFeedback,
    ];

    /// The `type` field, also the `kago:<type>` DOM event name.
    pub fn name(self) -> &'static str {
        match self {
            EventType::CartViewed => "cart_viewed",
            EventType::ItemAdded => "item_added",
            EventType::ItemRemoved => "item_removed",
            EventType::QuantityChanged => "quantity_changed",
            EventType::CheckoutStarted => "checkout_started",
            EventType::StepViewed => "step_viewed",
            EventType::StepCompleted => "step_completed",
            EventType::ShippingSelected => "shipping_selected",
            EventType::PaymentSelected => "payment_selected",
            EventType::DiscountApplied => "discount_applied",
            EventType::DiscountRejected => "discount_rejected",
            EventType::OrderSubmitted => "order_submitted",
            EventType::OrderCompleted => "order_completed",
            EventType::OrderFailed => "order_failed",
            EventType::CheckoutAbandoned => "checkout_abandoned",
            EventType::RegistrationPromptShown => "registration_prompt_shown",
            EventType::RegistrationAccepted => "registration_accepted",
            EventType::RegistrationDismissed => "registration_dismissed",
            EventType::CheckoutFeedback => "checkout_feedback",
        }
    }

    pub fn from_name(name: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|t| t.name() == name)
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

/// Device class from the viewport.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

    pub fn name(self) -> &'static str {
        match self {
            Device::Mobile => "mobile",
            Device::Tablet => "tablet",
            Device::Desktop => "desktop",
        }
    }
}

/// A cart line as events carry it: no names, no images.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventItem {
    pub sku: String,
    pub variant: Option<String>,
    pub quantity: u32,
    pub unit_price: i64,
}

crate::json_struct!(EventItem {
    sku,
    variant,
    quantity,
    unit_price
});

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

/// The page path without query string or fragment.
pub fn page_path(href_or_path: &str) -> String {
    let path = href_or_path.split(['?', '#']).next().unwrap_or("");
    // (Bytes, not `find("://")`: no string searcher's code in the wasm for this alone.)
    let scheme_end = path.as_bytes().windows(3).position(|w| w == b"://");
    let path = match scheme_end {
        Some(i) => path[i + 3..].find('/').map_or("/", |j| &path[i + 3 + j..]),
        None => path,
    };
    if path.is_empty() {
        "/".into()
    } else {
        path.to_string()
    }
}

/// ISO 8601 UTC with milliseconds (`2026-11-23T09:41:07.123Z`) from Unix milliseconds.
pub fn iso8601_utc(unix_ms: u64) -> String {
    let secs = unix_ms / 1000;
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil-from-days (Howard Hinnant's algorithm), valid for every date after 1970.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        unix_ms % 1000
    )
}

/// Builds one event. `data` holds the type's own fields (`step`, `order_id`, `reason`, …);
/// `cart` is `(value, items)` for types that carry the cart; `email` is attached only where
/// the privacy rule allows it (the caller passes it only with merchant setting + consent + no GPC).
pub fn build_event(
    kind: EventType,
    id: String,
    unix_ms: u64,
    context: &EventContext,
    cart: Option<(i64, Vec<EventItem>)>,
    data: Map,
    email: Option<&str>,
) -> Value {
    let mut event = Map::new();
    event.insert("schema".into(), json!(SCHEMA_VERSION));
    event.insert("id".into(), json!(id));
    event.insert("type".into(), json!(kind.name()));
    event.insert("at".into(), json!(iso8601_utc(unix_ms)));
    event.insert("session_id".into(), json!(context.session_id));
    event.insert("cart_id".into(), json!(context.cart_id));
    event.insert("device".into(), json!(context.device.name()));
    event.insert("locale".into(), json!(context.locale));
    event.insert("currency".into(), json!(context.currency));
    event.insert("page".into(), json!(page_path(&context.page)));
    if kind.carries_cart() {
        if let Some((value, items)) = cart {
            event.insert("value".into(), json!(value));
            event.insert("items".into(), json!(items));
        }
    }
    for (key, value) in data {
        if !PRIVATE_KEYS.contains(&key.as_str()) {
            event.insert(key, value);
        }
    }
    if let Some(email) = email.filter(|_| kind.may_carry_contact()) {
        event.insert("contact".into(), json!({ "email": email }));
    }
    Value::Object(event)
}

/// Keys that would carry personal data; dropped from `data` whatever the caller passes.
const PRIVATE_KEYS: &[&str] = &[
    "contact",
    "email",
    "name",
    "address",
    "shipping_address",
    "phone",
    "password",
];

/// The same event as a Segment / RudderStack `track` call.
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
            ) {
                properties.insert(key.clone(), value.clone());
            }
        }
    }
    if let Some(items) = properties.remove("items") {
        let products: Vec<Value> = items
            .as_array()
            .into_iter()
            .flatten()
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
        context.insert("traits", json!({"email": email}));
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

/// The GA4 `dataLayer` object for an event GA4 defines (`value` and prices in major units,
/// as GA4 expects; analytics only, never used for pricing).
pub fn to_ga4(event: &Value) -> Option<Value> {
    let kind = event["type"].as_str().and_then(EventType::from_name)?;
    let name = kind.ga4_name()?;
    let currency = event["currency"]
        .as_str()
        .and_then(crate::currency::Currency::from_code)?;
    // Exact decimal text: no float anywhere between minor units and GA4.
    let major = |minor: &Value| {
        Value::Number(Number::decimal(
            minor.as_i64().unwrap_or(0),
            currency.exponent(),
        ))
    };
    let ga4_item = |sku: &Value, variant: &Value, unit_price: &Value, quantity: &Value| json!({"item_id": sku, "item_variant": variant, "price": major(unit_price), "quantity": quantity});
    let cart_items = event["items"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let (items, value) = match kind {
        // add_to_cart / remove_from_cart describe the item added or removed, not the cart.
        EventType::ItemAdded | EventType::ItemRemoved => {
            let unit_price = if kind == EventType::ItemRemoved {
                event["unit_price"].clone()
            } else {
                cart_items
                    .iter()
                    .find(|i| i["sku"] == event["sku"] && i["variant"] == event["variant"])
                    .map_or(Value::Null, |i| i["unit_price"].clone())
            };
            let quantity = event["quantity"].as_i64().unwrap_or(1);
            let value = Value::from(unit_price.as_i64().unwrap_or(0) * quantity);
            let item = ga4_item(
                &event["sku"],
                &event["variant"],
                &unit_price,
                &json!(quantity),
            );
            (vec![item], value)
        }
        _ => (
            cart_items
                .iter()
                .map(|i| ga4_item(&i["sku"], &i["variant"], &i["unit_price"], &i["quantity"]))
                .collect(),
            event["value"].clone(),
        ),
    };
    let mut ecommerce =
        json!({"currency": currency.code(), "value": major(&value), "items": items});
    for (from, to) in [
        ("order_id", "transaction_id"),
        ("shipping_method", "shipping_tier"),
        ("payment_method", "payment_type"),
    ] {
        if let Some(v) = event.get(from) {
            ecommerce.insert(to, v.clone());
        }
    }
    Some(json!({"event": name, "ecommerce": ecommerce}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kago_d_ts_declares_every_event_the_page_receives() {
        // Every funnel event is also a kago:<type> event on window (and "ready").
        let dts = include_str!("../../src/browser/kago.d.ts");
        let union = dts
            .split("export type KagoEventName =")
            .nth(1)
            .and_then(|rest| rest.split(';').next())
            .expect("KagoEventName in kago.d.ts");
        for name in EventType::ALL.map(EventType::name).iter().chain(&["ready"]) {
            assert!(
                union.contains(&format!("\"{name}\"")),
                "KagoEventName lacks {name}"
            );
            assert!(
                dts.contains(&format!("\"kago:{name}\": CustomEvent<KagoEventDetail>;")),
                "WindowEventMap lacks kago:{name}"
            );
        }
    }

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

    #[test]
    fn every_type_has_a_unique_name_that_reads_back() {
        let mut names: Vec<&str> = EventType::ALL.iter().map(|t| t.name()).collect();
        for t in EventType::ALL {
            assert_eq!(EventType::from_name(t.name()), Some(t));
        }
        names.sort();
        names.dedup();
        assert_eq!(names.len(), EventType::ALL.len());
    }

    #[test]
    fn timestamps_are_iso_8601_utc() {
        assert_eq!(iso8601_utc(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601_utc(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(iso8601_utc(1_795_426_867_123), "2026-11-23T09:41:07.123Z");
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
    fn devices_are_classified_by_viewport() {
        assert_eq!(Device::classify(412, true, true), Device::Mobile);
        assert_eq!(Device::classify(820, true, false), Device::Tablet);
        assert_eq!(Device::classify(1280, false, false), Device::Desktop);
    }

    #[test]
    fn an_event_has_every_common_field_and_no_personal_data() {
        let mut data = Map::new();
        data.insert("step".into(), json!("contact"));
        data.insert("email".into(), json!("leak@example.com"));
        data.insert("shipping_address".into(), json!({"city": "X"}));
        let items = vec![EventItem {
            sku: "TEE".into(),
            variant: None,
            quantity: 2,
            unit_price: 2400,
        }];
        let e = build_event(
            EventType::StepCompleted,
            "e-1".into(),
            0,
            &context(),
            Some((4800, items)),
            data,
            None,
        );
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
            assert!(e.get(key).is_some(), "{key}");
        }
        assert_eq!(e["page"], "/products/tee");
        let text = e.to_string();
        assert!(
            !text.contains("leak@example.com") && !text.contains("shipping_address"),
            "{text}"
        );
    }

    #[test]
    fn contact_email_only_on_checkout_events_when_passed() {
        let e = build_event(
            EventType::CheckoutAbandoned,
            "e".into(),
            0,
            &context(),
            None,
            Map::new(),
            Some("a@b.co"),
        );
        assert_eq!(e["contact"]["email"], "a@b.co");
        let e = build_event(
            EventType::ItemAdded,
            "e".into(),
            0,
            &context(),
            None,
            Map::new(),
            Some("a@b.co"),
        );
        assert!(e.get("contact").is_none());
    }

    /// One realistic event of every type, as the widget raises them.
    pub(crate) fn one_of_each() -> Vec<Value> {
        let data = |pairs: Value| pairs.as_object().cloned().unwrap_or_default();
        let items = || {
            vec![EventItem {
                sku: "TEE".into(),
                variant: Some("M".into()),
                quantity: 2,
                unit_price: 2400,
            }]
        };
        EventType::ALL
            .iter()
            .enumerate()
            .map(|(n, kind)| {
                let extra = match kind {
                    EventType::ItemAdded | EventType::QuantityChanged => json!({"sku": "TEE", "variant": "M", "quantity": 2}),
                    EventType::ItemRemoved => json!({"sku": "TEE", "variant": null}),
                    EventType::StepViewed | EventType::StepCompleted => json!({"step": "delivery"}),
                    EventType::ShippingSelected => json!({"shipping_method": "express"}),
                    EventType::PaymentSelected => json!({"payment_method": "card"}),
                    EventType::DiscountApplied => json!({"discount_code": "WELCOME10"}),
                    EventType::DiscountRejected => json!({"reason": "below_minimum"}),
                    EventType::OrderSubmitted => json!({"idempotency_key": "k-1"}),
                    EventType::OrderCompleted => json!({"order_id": "K-000001"}),
                    EventType::OrderFailed => json!({"reason": "unreachable", "status": 503}),
                    EventType::CheckoutAbandoned => json!({"last_step": "contact", "duration_ms": 81234, "trigger": "closed", "reason": "shipping_cost"}),
                    EventType::RegistrationPromptShown | EventType::RegistrationDismissed => json!({"mode": "password"}),
                    EventType::RegistrationAccepted => json!({"mode": "link", "marketing_opt_in": false}),
                    EventType::CheckoutFeedback => json!({"rating": 4, "comment": "Quick!"}),
                    _ => json!({}),
                };
                let email = (*kind == EventType::CheckoutAbandoned).then_some("ada@example.com");
                build_event(*kind, format!("0000000{n:02}-e"), 1_795_426_867_123, &context(), Some((4800, items())), data(extra), email)
            })
            .collect()
    }

    #[test]
    fn every_event_type_is_valid_against_the_published_schema() {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../../schema/events.schema.json")).unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        let events = one_of_each();
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
        // The schema is strict: an unknown field or a personal field fails.
        let mut bad = batch.clone();
        bad["events"][0]["email"] = "x@y.z".into();
        assert!(!validator.is_valid(&bad));
        let mut bad = batch;
        bad["events"][1]["type"] = "made_up".into();
        assert!(!validator.is_valid(&bad));
    }

    #[test]
    fn the_schema_lists_exactly_the_event_types() {
        let schema: Value =
            crate::json::parse(include_str!("../../schema/events.schema.json")).unwrap();
        let mut listed: Vec<&str> = schema["$defs"]["common"]["properties"]["type"]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let mut ours: Vec<&str> = EventType::ALL.iter().map(|t| t.name()).collect();
        listed.sort();
        ours.sort();
        assert_eq!(listed, ours);
    }

    #[test]
    fn ga4_events_use_major_units_and_ga4_names() {
        let items = vec![EventItem {
            sku: "TEE".into(),
            variant: None,
            quantity: 2,
            unit_price: 2450,
        }];
        let mut data = Map::new();
        data.insert("order_id".into(), json!("K-1"));
        let e = build_event(
            EventType::OrderCompleted,
            "e".into(),
            0,
            &context(),
            Some((4900, items)),
            data,
            None,
        );
        let g = to_ga4(&e).unwrap();
        assert_eq!(g["event"], "purchase");
        assert_eq!(g["ecommerce"]["value"].to_string(), "49");
        assert_eq!(g["ecommerce"]["items"][0]["price"].to_string(), "24.5");
        assert_eq!(g["ecommerce"]["transaction_id"], "K-1");
        let e = build_event(
            EventType::StepViewed,
            "e".into(),
            0,
            &context(),
            None,
            Map::new(),
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
        let mut data = Map::new();
        data.insert("sku".into(), json!("TEE"));
        data.insert("variant".into(), json!("M"));
        data.insert("quantity".into(), json!(2));
        let added = build_event(
            EventType::ItemAdded,
            "e".into(),
            0,
            &context(),
            Some((9200, cart())),
            data,
            None,
        );
        let g = to_ga4(&added).unwrap();
        assert_eq!(g["event"], "add_to_cart");
        assert_eq!(
            g["ecommerce"]["value"].to_string(),
            "49",
            "2 added × 24.50, not the cart"
        );
        assert_eq!(
            g["ecommerce"]["items"].to_string(),
            r#"[{"item_id":"TEE","item_variant":"M","price":24.5,"quantity":2}]"#
        );
        let mut data = Map::new();
        data.insert("sku".into(), json!("MUG"));
        data.insert("variant".into(), Value::Null);
        data.insert("quantity".into(), json!(1));
        data.insert("unit_price".into(), json!(1850));
        let removed = build_event(
            EventType::ItemRemoved,
            "e".into(),
            0,
            &context(),
            Some((7350, cart()[..1].to_vec())),
            data,
            None,
        );
        let g = to_ga4(&removed).unwrap();
        assert_eq!(g["event"], "remove_from_cart");
        assert_eq!(g["ecommerce"]["value"].to_string(), "18.5");
        assert_eq!(
            g["ecommerce"]["items"].to_string(),
            r#"[{"item_id":"MUG","item_variant":null,"price":18.5,"quantity":1}]"#
        );
    }

    #[test]
    fn segment_calls_use_the_ecommerce_spec_names() {
        let items = vec![EventItem {
            sku: "TEE".into(),
            variant: None,
            quantity: 1,
            unit_price: 2400,
        }];
        let e = build_event(
            EventType::CheckoutStarted,
            "e-9".into(),
            0,
            &context(),
            Some((2400, items)),
            Map::new(),
            None,
        );
        let s = to_segment(&e);
        assert_eq!(s["event"], "Checkout Started");
        assert_eq!(s["messageId"], "e-9");
        assert_eq!(s["properties"]["products"][0]["sku"], "TEE");
        assert_eq!(EventType::StepViewed.segment_name(), "Checkout Step Viewed");
        assert_eq!(EventType::OrderCompleted.segment_name(), "Order Completed");
        assert_eq!(EventType::CartViewed.segment_name(), "Cart Viewed");
    }
}
