//! Formats [`Money`] with the browser's `Intl.NumberFormat`, from the exact decimal string (no
//! float on the way). Example: `format_money(Money::new(5130, Currency::USD), Locale::En)` →
//! `"$51.30"`.

use js_sys::{Array, Function, Intl, Object, Reflect};
use kago_core::currency::Currency;
use kago_core::i18n::Locale;
use kago_core::money::Money;
use std::cell::RefCell;
use wasm_bindgen::JsValue;

thread_local! {
    static FORMATTER: RefCell<Option<(Locale, Currency, Function)>> = const { RefCell::new(None) };
}

fn formatter(locale: Locale, currency: Currency) -> Function {
    FORMATTER.with(|cell| {
        let mut cached = cell.borrow_mut();
        if let Some((l, c, f)) = cached.as_ref() {
            if *l == locale && *c == currency {
                return f.clone();
            }
        }
        let options = Object::new();
        // Setting plain string properties on a fresh object cannot fail.
        let _ = Reflect::set(&options, &"style".into(), &"currency".into());
        let _ = Reflect::set(&options, &"currency".into(), &currency.code().into());
        let format = Intl::NumberFormat::new(&Array::of1(&locale.tag().into()), &options).format();
        *cached = Some((locale, currency, format.clone()));
        format
    })
}

/// The amount as the shopper reads it, e.g. `$51.30` or `￥7,200`.
pub fn format_money(money: Money, locale: Locale) -> String {
    let decimal = money.to_decimal_string();
    formatter(locale, money.currency)
        .call1(&JsValue::NULL, &decimal.as_str().into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| format!("{} {decimal}", money.currency))
}
