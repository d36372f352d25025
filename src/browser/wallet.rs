//! The express "Pay with wallet" button's browser side: the Payment Request API, bound by hand
//! (web-sys has no binding). Shown only where the browser can pay with one of the merchant's
//! `wallet.methods`. Example: `can_pay(methods).await` then `pay(request).await`.

use js_sys::{Array, Promise, Reflect};
use kago_core::wallet::{WalletRequest, WalletResult};
use serde_json::{json, Value};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    type PaymentRequest;
    #[wasm_bindgen(constructor, catch)]
    fn new(
        methods: &JsValue,
        details: &JsValue,
        options: &JsValue,
    ) -> Result<PaymentRequest, JsValue>;
    #[wasm_bindgen(method, catch, js_name = canMakePayment)]
    fn can_make_payment(this: &PaymentRequest) -> Result<Promise, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn show(this: &PaymentRequest) -> Result<Promise, JsValue>;
}

thread_local! {
    /// The open payment sheet's response, completed once the order endpoint answered.
    static RESPONSE: RefCell<Option<JsValue>> = const { RefCell::new(None) };
}

fn js(value: &Value) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).unwrap_or(JsValue::NULL)
}

fn available() -> bool {
    web_sys::window()
        .and_then(|w| Reflect::get(&w, &"PaymentRequest".into()).ok())
        .is_some_and(|v| v.is_function())
}

fn request(methods: &Value, details: &Value, options: &Value) -> Option<PaymentRequest> {
    if !available() {
        return None;
    }
    PaymentRequest::new(&js(methods), &js(details), &js(options)).ok()
}

/// Whether the browser can pay with one of `methods` (checked with a token amount).
pub async fn can_pay(methods: Value, currency: String) -> bool {
    let details =
        json!({"total": {"label": "Total", "amount": {"currency": currency, "value": "1"}}});
    let Some(request) = request(&methods, &details, &json!({})) else {
        return false;
    };
    let Ok(promise) = request.can_make_payment() else {
        return false;
    };
    JsFuture::from(promise)
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

fn text(object: &JsValue, key: &str) -> String {
    Reflect::get(object, &key.into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Shows the payment sheet; `None` when the shopper cancels or the browser refuses.
pub async fn pay(order: WalletRequest) -> Option<WalletResult> {
    let details = json!({
        "total": {"label": order.label, "amount": {"currency": order.currency, "value": order.total}},
        "shippingOptions": [{"id": order.shipping_id, "label": order.shipping_label, "amount": {"currency": order.currency, "value": order.shipping}, "selected": true}],
    });
    let options = json!({"requestPayerName": true, "requestPayerEmail": true, "requestPayerPhone": order.request_phone, "requestShipping": true});
    let request = request(&order.methods, &details, &options)?;
    let response = JsFuture::from(request.show().ok()?).await.ok()?;
    let address = Reflect::get(&response, &"shippingAddress".into()).unwrap_or(JsValue::NULL);
    let lines: Vec<String> = Reflect::get(&address, &"addressLine".into())
        .ok()
        .map(|v| {
            Array::from(&v)
                .iter()
                .filter_map(|l| l.as_string())
                .collect()
        })
        .unwrap_or_default();
    let details_json = Reflect::get(&response, &"details".into())
        .ok()
        .and_then(|d| js_sys::JSON::stringify(&d).ok())
        .and_then(|s| s.as_string())
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or(Value::Null);
    let result = WalletResult {
        method_name: text(&response, "methodName"),
        details: details_json,
        email: text(&response, "payerEmail"),
        name: text(&response, "payerName"),
        phone: text(&response, "payerPhone"),
        country: text(&address, "country"),
        postal_code: text(&address, "postalCode"),
        region: text(&address, "region"),
        city: text(&address, "city"),
        line1: lines.first().cloned().unwrap_or_default(),
        line2: lines
            .get(1..)
            .map(|rest| rest.join(", "))
            .unwrap_or_default(),
    };
    RESPONSE.with(|r| *r.borrow_mut() = Some(response));
    Some(result)
}

/// Closes the payment sheet with the order's outcome.
pub fn complete(success: bool) {
    let Some(response) = RESPONSE.with(|r| r.borrow_mut().take()) else {
        return;
    };
    if let Ok(complete) =
        Reflect::get(&response, &"complete".into()).and_then(|f| f.dyn_into::<js_sys::Function>())
    {
        let _ = complete.call1(
            &response,
            &(if success { "success" } else { "fail" }).into(),
        );
    }
}
