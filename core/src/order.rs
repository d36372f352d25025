//! The order a checkout sends to the merchant's `data-order-endpoint`, and how its answer is read.
//!
//! Body (JSON, amounts in minor units of `currency`):
//! `idempotency_key`, `currency`, `items[] {sku, variant, name, quantity, unit_price}`,
//! `totals {subtotal, discount, shipping, tax, tax_included, total}`, `contact {email, name, phone,
//! name_kana?}`, `shipping_address {country, postal_code, region, city, line1, line2}`,
//! `shipping_method`, `payment_method`, `discount_code`, `locale`; `delivery_date?` and
//! `delivery_slot?` when the shopper asked for a delivery date or time; and
//! `wallet {method_name, details}` for express wallet payments.

use crate::url::{check_url, ResolveUrl, UrlUse};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderItem {
    pub sku: String,
    pub variant: Option<String>,
    pub name: String,
    pub quantity: u32,
    pub unit_price: i64,
    /// The line's meta from the page (`Kago.addItem({…, meta})`), absent when it has none.
    #[serde(default, skip_serializing_if = "crate::cart::LineMeta::is_empty")]
    pub meta: crate::cart::LineMeta,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderTotals {
    pub subtotal: i64,
    pub discount: i64,
    pub shipping: i64,
    pub tax: i64,
    pub tax_included: bool,
    pub total: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub email: String,
    pub name: String,
    pub phone: Option<String>,
    /// フリガナ, in katakana; only where the shop asks for it (absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_kana: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub country: String,
    pub postal_code: String,
    pub region: Option<String>,
    pub city: String,
    pub line1: String,
    pub line2: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRequest {
    pub idempotency_key: String,
    pub currency: String,
    pub items: Vec<OrderItem>,
    pub totals: OrderTotals,
    pub contact: Contact,
    pub shipping_address: Address,
    pub shipping_method: String,
    pub payment_method: String,
    pub discount_code: Option<String>,
    pub locale: String,
    /// Express wallet payments only: what the browser's Payment Request API returned, for the
    /// endpoint to charge through its payment provider. Never card numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wallet: Option<WalletPayment>,
    /// The delivery date asked for, `YYYY-MM-DD`; absent for 指定なし.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_date: Option<String>,
    /// The id of the delivery time slot asked for; absent for 指定なし.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_slot: Option<String>,
}

/// The Payment Request API's answer (`methodName` and the method's `details`, e.g. a token).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WalletPayment {
    pub method_name: String,
    pub details: Value,
}

impl From<&crate::cart::Line> for OrderItem {
    fn from(line: &crate::cart::Line) -> OrderItem {
        OrderItem {
            sku: line.sku.clone(),
            variant: line.variant.clone(),
            name: line.name.clone(),
            quantity: line.quantity,
            unit_price: line.unit_price,
            meta: line.meta.clone(),
        }
    }
}

impl From<&crate::pricing::Totals> for OrderTotals {
    fn from(totals: &crate::pricing::Totals) -> OrderTotals {
        OrderTotals {
            subtotal: totals.subtotal.minor,
            discount: totals.discount.minor,
            shipping: totals.shipping.minor,
            tax: totals.tax.minor,
            tax_included: totals.tax_included,
            total: totals.total.minor,
        }
    }
}

/// Most lines in one order (the cart's own limit).
pub const MAX_ORDER_LINES: usize = crate::cart::MAX_LINES;
/// Most units of one line (the cart's own limit).
pub const MAX_LINE_QUANTITY: u32 = crate::cart::DEFAULT_MAX_QUANTITY;
/// The largest `unit_price` or `totals.shipping`, in minor units (the largest price a page may set).
pub const MAX_UNIT_PRICE: i64 = crate::money::MAX_PRICE_MINOR;
/// The largest `subtotal`, `discount`, `tax` or `total`, in minor units: above what
/// [`MAX_ORDER_LINES`] lines of [`MAX_LINE_QUANTITY`] units at [`MAX_UNIT_PRICE`], shipping and a
/// 100 % tax can reach (≈ 9.9 × 10^16), and far inside `i64`.
pub const MAX_TOTAL: i64 = 100_000_000_000_000_000;

impl OrderRequest {
    /// Checks that every amount and quantity is inside the order contract's bounds, that the
    /// lines add up to the subtotal and the totals to the total, so a receiver (the demo server)
    /// can refuse a tampered or inconsistent order. Never panics and never wraps: bounds first,
    /// then sums in `i128`.
    pub fn check_totals(&self) -> Result<(), String> {
        if self.items.is_empty() {
            return Err("the order has no items".into());
        }
        if self.items.len() > MAX_ORDER_LINES {
            return Err(format!("the order has more than {MAX_ORDER_LINES} lines"));
        }
        let mut subtotal: i128 = 0;
        for item in &self.items {
            if !(1..=MAX_LINE_QUANTITY).contains(&item.quantity) {
                return Err(format!(
                    "item {} has quantity {}, not 1 to {MAX_LINE_QUANTITY}",
                    item.sku, item.quantity
                ));
            }
            if !(0..=MAX_UNIT_PRICE).contains(&item.unit_price) {
                return Err(format!(
                    "item {} has unit_price {}, not 0 to {MAX_UNIT_PRICE}",
                    item.sku, item.unit_price
                ));
            }
            subtotal += i128::from(item.unit_price) * i128::from(item.quantity);
        }
        let t = &self.totals;
        for (name, amount, max) in [
            ("subtotal", t.subtotal, MAX_TOTAL),
            ("discount", t.discount, MAX_TOTAL),
            ("shipping", t.shipping, MAX_UNIT_PRICE),
            ("tax", t.tax, MAX_TOTAL),
            ("total", t.total, MAX_TOTAL),
        ] {
            if !(0..=max).contains(&amount) {
                return Err(format!("totals.{name} is {amount}, not 0 to {max}"));
            }
        }
        if subtotal != i128::from(t.subtotal) {
            return Err(format!(
                "items add up to {subtotal}, not the subtotal {}",
                t.subtotal
            ));
        }
        if t.discount > t.subtotal {
            return Err("the discount is more than the subtotal".into());
        }
        let tax_added = if t.tax_included { 0 } else { i128::from(t.tax) };
        let expected =
            i128::from(t.subtotal) - i128::from(t.discount) + i128::from(t.shipping) + tax_added;
        if expected != i128::from(t.total) {
            return Err(format!(
                "totals add up to {expected}, not the total {}",
                t.total
            ));
        }
        Ok(())
    }
}

/// What the shopper sees after the endpoint answers. (A new kind of answer gets its own variant;
/// the UI matches them all.)
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OrderOutcome {
    /// `2xx`: the shop has the order. `order_id` is the answer's `order_id` when it names one;
    /// without it the confirmation says the order was received and shows what was sent.
    Placed { order_id: Option<String> },
    /// `2xx` with a usable `redirect_url` (and no need for anything else): continue on the
    /// merchant's payment page.
    Redirect { url: String },
    /// `4xx` (not 408/429): the form is kept; retrying the same body cannot help. `message` is
    /// the shop's `error` text when it is short and plain enough to show to a shopper.
    Rejected { message: Option<String> },
    /// No answer (or no answer in time), `5xx`, `408` or `429`: retry with the same key.
    Retry { after_ms: Option<u32> },
    /// `409`/`422` with a correction Kago understands (prices, stock, the code): applied to the
    /// cart, shown, and one more tap places the corrected order.
    Corrected(crate::correction::Correction),
}

/// The endpoint's answer as Kago acts on it, with what the merchant should read in the console
/// (a `redirect_url` that was refused, a refusal whose text is not shown to the shopper).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderAnswer {
    pub outcome: OrderOutcome,
    pub console: Option<String>,
}

/// Longest shop message shown to a shopper as it is.
pub const MAX_SHOWN_MESSAGE: usize = 160;

/// The shop's refusal text if it reads as a short, plain sentence for a shopper ("Out of stock:
/// Stoneware mug"), else `None` (the shopper then gets the generic text): nothing longer than
/// [`MAX_SHOWN_MESSAGE`] characters, on more than one line, or with the marks of markup, code,
/// stack traces or URLs (`<`, `{`, `[`, `` ` ``, `\`, `|`, `$`, `://`).
pub fn shown_message(text: &str) -> Option<String> {
    let text = text.trim();
    let plain = !text.is_empty()
        && text.chars().count() <= MAX_SHOWN_MESSAGE
        && text.chars().any(char::is_alphabetic)
        && !text.chars().any(|c| {
            c.is_control()
                || matches!(
                    c,
                    '<' | '>' | '{' | '}' | '[' | ']' | '`' | '\\' | '|' | '$'
                )
        })
        && !text.contains("://");
    plain.then(|| text.to_string())
}

/// Reads the endpoint's answer. `status` 0 means the request never got an answer (or not in
/// time). `urls` resolves a `redirect_url` as the browser would (`crate::url`).
pub fn read_order_response(
    status: u16,
    body: &str,
    retry_after: Option<&str>,
    urls: &dyn ResolveUrl,
) -> OrderAnswer {
    let json: Value = serde_json::from_str(body).unwrap_or_default();
    let text = |key: &str| match json.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let answer = |outcome| OrderAnswer {
        outcome,
        console: None,
    };
    match status {
        200..=299 => {
            let order_id = text("order_id");
            let redirect = text("redirect_url")
                .map(|url| check_url(&url, UrlUse::Redirect, urls).map_err(|why| (url, why)));
            match redirect {
                Some(Ok(url)) => answer(OrderOutcome::Redirect { url }),
                // The shop answered 2xx: it may well have stored the order, so it is never
                // sent again; where it pointed the shopper is not followed.
                Some(Err((url, why))) => OrderAnswer {
                    outcome: OrderOutcome::Placed { order_id },
                    console: Some(format!(
                        "Kago: the order endpoint answered redirect_url \"{url}\", which {why}; the shopper was not sent there and sees that the order was received."
                    )),
                },
                None => {
                    let console = order_id.is_none().then(|| {
                        format!("Kago: the order endpoint answered HTTP {status} without an order_id or redirect_url; the shopper sees that the order was received, without an order number.")
                    });
                    OrderAnswer {
                        outcome: OrderOutcome::Placed { order_id },
                        console,
                    }
                }
            }
        }
        408 | 429 | 500..=599 | 0 => answer(OrderOutcome::Retry {
            after_ms: retry_after
                .and_then(|s| s.trim().parse::<u32>().ok())
                .map(|s| s.min(60) * 1000),
        }),
        _ => match crate::correction::Correction::read(status, body) {
            Some(correction) => answer(OrderOutcome::Corrected(correction)),
            None => {
                let message = text("error").and_then(|e| shown_message(&e));
                let console = (message.is_none() && !body.trim().is_empty()).then(|| {
                    format!("Kago: the order endpoint refused the order with HTTP {status}; the shopper sees the general message, not this answer: {body}")
                });
                OrderAnswer {
                    outcome: OrderOutcome::Rejected { message },
                    console,
                }
            }
        },
    }
}

/// Automatic retries after the first attempt: 1 s, 2 s, 4 s, 8 s; then the shopper decides.
pub const AUTO_RETRIES: u32 = 4;
/// Longest wait for one attempt's answer.
pub const ATTEMPT_TIMEOUT_MS: u32 = 15_000;
/// Longest time "Placing your order…" lasts, every attempt and wait included; then the shopper
/// gets "Try again".
pub const PLACING_BUDGET_MS: u32 = 45_000;

/// Delay before automatic retry number `retry` (1-based), or `None` when the shopper should
/// be asked instead.
pub fn retry_delay_ms(retry: u32, server_hint_ms: Option<u32>) -> Option<u32> {
    if retry == 0 || retry > AUTO_RETRIES {
        return None;
    }
    let backoff = 1000u32 << (retry - 1);
    Some(server_hint_ms.map_or(backoff, |hint| hint.max(backoff)))
}

/// The next step of placing an order, `elapsed_ms` after the first attempt started.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NextAttempt {
    /// Wait `delay_ms`, then send again with an answer awaited at most `timeout_ms`.
    After { delay_ms: u32, timeout_ms: u32 },
    /// The shopper decides ("Try again").
    AskShopper,
}

/// When to retry (automatic retry number `retry`, 1-based) so that the whole stays within
/// [`PLACING_BUDGET_MS`]: a retry whose wait leaves less than a second for its answer is not made.
pub fn next_attempt(retry: u32, server_hint_ms: Option<u32>, elapsed_ms: u32) -> NextAttempt {
    let Some(delay_ms) = retry_delay_ms(retry, server_hint_ms) else {
        return NextAttempt::AskShopper;
    };
    let left = PLACING_BUDGET_MS.saturating_sub(elapsed_ms.saturating_add(delay_ms));
    if left < 1000 {
        return NextAttempt::AskShopper;
    }
    NextAttempt::After {
        delay_ms,
        timeout_ms: left.min(ATTEMPT_TIMEOUT_MS),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> OrderRequest {
        OrderRequest {
            idempotency_key: "k-1".into(),
            currency: "USD".into(),
            items: vec![
                OrderItem {
                    sku: "TEE".into(),
                    variant: Some("M".into()),
                    name: "Tee".into(),
                    quantity: 2,
                    unit_price: 2400,
                    meta: Default::default(),
                },
                OrderItem {
                    sku: "MUG".into(),
                    variant: None,
                    name: "Mug".into(),
                    quantity: 1,
                    unit_price: 1850,
                    meta: Default::default(),
                },
            ],
            totals: OrderTotals {
                subtotal: 6650,
                discount: 0,
                shipping: 500,
                tax: 572,
                tax_included: false,
                total: 7722,
            },
            contact: Contact {
                email: "a@b.co".into(),
                name: "Ada".into(),
                phone: None,
                name_kana: None,
            },
            shipping_address: Address {
                country: "US".into(),
                postal_code: "10001".into(),
                region: Some("NY".into()),
                city: "New York".into(),
                line1: "1 Main St".into(),
                line2: None,
            },
            shipping_method: "standard".into(),
            payment_method: "card".into(),
            discount_code: None,
            locale: "en".into(),
            wallet: None,
            delivery_date: None,
            delivery_slot: None,
        }
    }

    #[test]
    fn consistent_totals_pass_and_tampered_ones_fail() {
        assert_eq!(sample().check_totals(), Ok(()));
        let mut o = sample();
        o.items[0].unit_price = 1;
        assert!(o.check_totals().is_err());
        let mut o = sample();
        o.totals.total -= 1;
        assert!(o.check_totals().is_err());
        let mut o = sample();
        o.items.clear();
        assert!(o.check_totals().is_err());
    }

    #[test]
    fn amounts_out_of_the_contract_bounds_are_refused_without_overflow() {
        let mut o = sample();
        o.totals.shipping = i64::MAX;
        o.totals.tax = i64::MAX;
        assert!(o.check_totals().unwrap_err().contains("totals.shipping"));
        let mut o = sample();
        o.items[0].quantity = MAX_LINE_QUANTITY + 1;
        assert!(o.check_totals().is_err());
        let mut o = sample();
        o.items[0].unit_price = MAX_UNIT_PRICE + 1;
        assert!(o.check_totals().is_err());
        let mut o = sample();
        o.totals.discount = -1;
        assert!(o.check_totals().is_err());
    }

    proptest::proptest! {
        #[test]
        fn check_totals_never_panics_on_any_amounts(
            lines in proptest::collection::vec((proptest::num::i64::ANY, proptest::num::u32::ANY), 0..8),
            totals in proptest::array::uniform5(proptest::num::i64::ANY),
            tax_included in proptest::bool::ANY,
        ) {
            let mut o = sample();
            o.items = lines
                .into_iter()
                .map(|(unit_price, quantity)| OrderItem { unit_price, quantity, ..o.items[0].clone() })
                .collect();
            let [subtotal, discount, shipping, tax, total] = totals;
            o.totals = OrderTotals { subtotal, discount, shipping, tax, tax_included, total };
            // Whatever it answers, it answers.
            let _ = o.check_totals();
        }

        #[test]
        fn orders_at_the_bounds_that_add_up_pass(
            quantity in 1..=MAX_LINE_QUANTITY,
            unit_price in 0..=MAX_UNIT_PRICE,
            shipping in 0..=MAX_UNIT_PRICE,
        ) {
            let mut o = sample();
            o.items = vec![OrderItem { unit_price, quantity, ..o.items[0].clone() }; MAX_ORDER_LINES];
            let subtotal = unit_price * i64::from(quantity) * MAX_ORDER_LINES as i64;
            let tax = subtotal + shipping; // a 100 % tax
            o.totals = OrderTotals { subtotal, discount: 0, shipping, tax, tax_included: false, total: subtotal + shipping + tax };
            proptest::prop_assert_eq!(o.check_totals(), Ok(()));
        }
    }

    #[test]
    fn the_body_uses_the_documented_names() {
        let json = serde_json::to_value(sample()).unwrap();
        for key in [
            "idempotency_key",
            "currency",
            "items",
            "totals",
            "contact",
            "shipping_address",
            "shipping_method",
            "payment_method",
            "discount_code",
            "locale",
        ] {
            assert!(json.get(key).is_some(), "{key}");
        }
        assert_eq!(json["items"][0]["unit_price"], 2400);
        assert_eq!(json["totals"]["total"], 7722);
    }

    fn read(status: u16, body: &str, retry_after: Option<&str>) -> OrderOutcome {
        read_order_response(status, body, retry_after, &crate::url::tests::Page).outcome
    }

    #[test]
    fn answers_are_read_by_status_and_body() {
        assert_eq!(
            read(201, r#"{"order_id":"A-1"}"#, None),
            OrderOutcome::Placed {
                order_id: Some("A-1".into())
            }
        );
        assert_eq!(
            read(200, r#"{"order_id":42}"#, None),
            OrderOutcome::Placed {
                order_id: Some("42".into())
            }
        );
        assert_eq!(
            read(200, r#"{"redirect_url":"https://pay.example/s/1"}"#, None),
            OrderOutcome::Redirect {
                url: "https://pay.example/s/1".into()
            }
        );
        assert_eq!(
            read(422, r#"{"error":"Out of stock"}"#, None),
            OrderOutcome::Rejected {
                message: Some("Out of stock".into())
            }
        );
        assert_eq!(
            read(422, r#"{"error":"code_invalid"}"#, None),
            OrderOutcome::Corrected(crate::correction::Correction::CodeInvalid)
        );
        assert_eq!(
            read(409, r#"{"error":"unavailable","items":[]}"#, None),
            OrderOutcome::Corrected(crate::correction::Correction::Unavailable { items: vec![] })
        );
        assert_eq!(
            read(400, "<html>", None),
            OrderOutcome::Rejected { message: None }
        );
        assert_eq!(
            read(503, "", Some("3")),
            OrderOutcome::Retry {
                after_ms: Some(3000)
            }
        );
        assert_eq!(read(0, "", None), OrderOutcome::Retry { after_ms: None });
        assert_eq!(read(429, "", None), OrderOutcome::Retry { after_ms: None });
    }

    #[test]
    fn a_2xx_without_an_order_id_is_a_received_order_never_a_retry() {
        for body in ["", "{}", r#"{"ok":true}"#, "Thanks!"] {
            let answer = read_order_response(200, body, None, &crate::url::tests::Page);
            assert_eq!(
                answer.outcome,
                OrderOutcome::Placed { order_id: None },
                "{body}"
            );
            assert!(
                answer
                    .console
                    .as_deref()
                    .unwrap_or("")
                    .contains("without an order_id"),
                "{answer:?}"
            );
        }
    }

    #[test]
    fn a_redirect_off_the_page_origin_over_http_or_to_a_script_is_not_followed() {
        for url in [
            "/\\evil.example/pay",
            "http://pay.example/s/1",
            "javascript:alert(1)",
            "data:text/html,x",
        ] {
            let body = serde_json::json!({ "redirect_url": url }).to_string();
            let answer = read_order_response(201, &body, None, &crate::url::tests::Page);
            assert_eq!(
                answer.outcome,
                OrderOutcome::Placed { order_id: None },
                "{url}: the shop answered, so the order is not sent again"
            );
            let said = answer.console.unwrap_or_default();
            assert!(said.contains("was not sent there"), "{said}");
        }
        let body = r#"{"redirect_url":"/pay/1","order_id":"K-9"}"#;
        assert_eq!(
            read(201, body, None),
            OrderOutcome::Redirect {
                url: "http://shop.example/pay/1".into()
            },
            "a same-site path is resolved and followed"
        );
        let body = r#"{"redirect_url":"/\\evil.example/pay","order_id":"K-9"}"#;
        assert_eq!(
            read(201, body, None),
            OrderOutcome::Placed {
                order_id: Some("K-9".into())
            }
        );
    }

    #[test]
    fn only_a_short_plain_refusal_is_shown_and_the_rest_goes_to_the_console() {
        assert_eq!(
            shown_message(" Out of stock: Stoneware mug "),
            Some("Out of stock: Stoneware mug".into())
        );
        assert_eq!(
            shown_message("在庫切れです。"),
            Some("在庫切れです。".into())
        );
        let long = "x".repeat(MAX_SHOWN_MESSAGE + 1);
        let technical = [
            long.as_str(),
            "Traceback (most recent call last):\n  File \"app.py\", line 3",
            "SQLSTATE[23000]: Integrity constraint violation",
            "<h1>Bad Request</h1>",
            "TypeError at /srv/app.js | see https://errors.example/42",
            "{\"detail\": \"bad\"}",
            "   ",
            "404",
        ];
        for text in technical {
            assert_eq!(shown_message(text), None, "{text}");
            let body = serde_json::json!({ "error": text }).to_string();
            let answer = read_order_response(400, &body, None, &crate::url::tests::Page);
            assert_eq!(answer.outcome, OrderOutcome::Rejected { message: None });
            assert!(
                answer.console.unwrap_or_default().ends_with(&body),
                "the full answer goes to the console"
            );
        }
    }

    #[test]
    fn placing_an_order_never_takes_more_than_its_budget() {
        assert_eq!(
            next_attempt(1, None, 15_000),
            NextAttempt::After {
                delay_ms: 1000,
                timeout_ms: ATTEMPT_TIMEOUT_MS
            }
        );
        // A hanging endpoint: 15 s, wait 1 s, 15 s, wait 2 s, then what is left of 45 s.
        assert_eq!(
            next_attempt(2, None, 31_000),
            NextAttempt::After {
                delay_ms: 2000,
                timeout_ms: 12_000
            }
        );
        assert_eq!(next_attempt(3, None, 45_000), NextAttempt::AskShopper);
        assert_eq!(
            next_attempt(3, Some(60_000), 1_000),
            NextAttempt::AskShopper,
            "a Retry-After beyond the budget hands over to the shopper"
        );
        assert_eq!(next_attempt(5, None, 0), NextAttempt::AskShopper);
        // Fast failures keep the documented 1, 2, 4, 8 s.
        let mut elapsed = 0;
        for (retry, expected) in [(1, 1000), (2, 2000), (3, 4000), (4, 8000)] {
            match next_attempt(retry, None, elapsed) {
                NextAttempt::After { delay_ms, .. } => assert_eq!(delay_ms, expected),
                NextAttempt::AskShopper => panic!("retry {retry} should be made"),
            }
            elapsed += expected + 50;
        }
    }

    #[test]
    fn retries_back_off_then_hand_over_to_the_shopper() {
        let delays: Vec<Option<u32>> = (1..=5).map(|r| retry_delay_ms(r, None)).collect();
        assert_eq!(
            delays,
            vec![Some(1000), Some(2000), Some(4000), Some(8000), None]
        );
        assert_eq!(retry_delay_ms(1, Some(5000)), Some(5000));
        assert_eq!(retry_delay_ms(3, Some(10)), Some(4000));
    }
}
