//! Settings and products read from real elements' data attributes.
#![cfg(target_arch = "wasm32")]

mod browser_support;

use browser_support::*;
use kago_checkout::internal::browser::money_format::format_money;
use kago_checkout::internal::browser::script_tag::{data_attributes, read_product};
use kago_core::config::parse_config;
use kago_core::currency::Currency;
use kago_core::i18n::Locale;
use kago_core::money::Money;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn script_tag_attributes_become_settings() {
    let script = script_tag(&[
        ("data-currency", "JPY"),
        ("data-tax-rate", "10"),
        ("data-tax-included", "true"),
        ("data-free-shipping-over", "5000"),
        ("async", ""),
    ]);
    let (config, warnings) = parse_config(&data_attributes(&script), None);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(config.currency, Currency::JPY);
    assert!(config.pricing.tax_included);
    assert_eq!(config.pricing.free_shipping_over, Some(5000));
}

#[wasm_bindgen_test]
fn a_bad_attribute_is_named_and_the_rest_still_applies() {
    let script = script_tag(&[("data-currency", "DOLLARS"), ("data-tax-rate", "8")]);
    let (config, warnings) = parse_config(&data_attributes(&script), None);
    assert_eq!(warnings.len(), 1);
    let text = warnings[0].to_string();
    assert!(
        text.contains("data-currency") && text.contains("DOLLARS"),
        "{text}"
    );
    assert_eq!(config.currency, Currency::USD);
    assert_eq!(config.pricing.tax_rate.millipercent, 8000);
}

#[wasm_bindgen_test]
fn product_elements_are_read_from_their_attributes() {
    let el = product(&[
        ("data-sku", "BENTO"),
        ("data-name", "弁当箱"),
        ("data-price", "4800"),
        ("data-variant", "大"),
    ]);
    let request = read_product(&el, Currency::JPY, 99).unwrap();
    assert_eq!((request.item.unit_price, request.quantity), (4800, 1));
    assert_eq!(request.item.variant.as_deref(), Some("大"));
    let err = read_product(&el, Currency::USD, 99);
    assert!(err.is_ok(), "4800 is a valid USD price too");
    el.set_attribute("data-price", "48.5").unwrap();
    let err = read_product(&el, Currency::JPY, 99)
        .unwrap_err()
        .to_string();
    assert!(err.contains("data-price=\"48.5\""), "{err}");
}

#[wasm_bindgen_test]
fn money_is_formatted_by_intl_for_the_currency_and_locale() {
    assert_eq!(
        format_money(Money::new(5130, Currency::USD), Locale::En),
        "$51.30"
    );
    assert_eq!(
        format_money(Money::new(7200, Currency::JPY), Locale::Ja),
        "￥7,200"
    );
    assert_eq!(
        format_money(Money::new(1250, Currency::KWD), Locale::En),
        "KWD\u{a0}1.250"
    );
    // Beyond f64's exact integers, the decimal string keeps every digit.
    assert_eq!(
        format_money(Money::new(1_000_000_000_001, Currency::USD), Locale::En),
        "$10,000,000,000.01"
    );
}
