//! Settings and products read from real elements' data attributes.
#![cfg(target_arch = "wasm32")]

mod browser_support;

use browser_support::*;
use kago_checkout::internal::browser::money_format::format_money;
use kago_checkout::internal::browser::script_tag::{data_attributes, read_product};
use kago_checkout::internal::browser::url::PageUrls;
use kago_core::config::parse_config;
use kago_core::currency::Currency;
use kago_core::i18n::Locale;
use kago_core::money::Money;
use kago_core::url::{check_url, ResolveUrl, UrlProblem, UrlUse};
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
    let (config, warnings) = parse_config(&data_attributes(&script), None, &PageUrls);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(config.currency, Currency::JPY);
    assert!(config.pricing.tax_included);
    assert_eq!(config.pricing.free_shipping_over, Some(5000));
}

#[wasm_bindgen_test]
fn a_bad_attribute_is_named_and_the_rest_still_applies() {
    let script = script_tag(&[("data-currency", "DOLLARS"), ("data-tax-rate", "8")]);
    let (config, warnings) = parse_config(&data_attributes(&script), None, &PageUrls);
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

#[wasm_bindgen_test]
fn urls_are_read_by_the_browsers_own_parser() {
    let page = PageUrls;
    let origin = page.page_origin();
    let base = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .base_uri()
        .unwrap()
        .unwrap();
    let dir = base.rsplit_once('/').unwrap().0.to_string();
    assert_eq!(
        check_url("img/tote.png", UrlUse::Image, &page),
        Ok(format!("{dir}/img/tote.png"))
    );
    assert_eq!(
        check_url("//cdn.example.com/x.jpg", UrlUse::Image, &page),
        Ok(format!(
            "{}//cdn.example.com/x.jpg",
            page.resolve(&origin).unwrap().protocol
        ))
    );
    // Browsers read a backslash after the first slash as a slash: another host.
    let resolved = page.resolve("/\\evil.example/x").unwrap();
    assert_eq!(
        resolved.href,
        format!("{}//evil.example/x", resolved.protocol)
    );
    assert!(matches!(
        check_url("/\\evil.example/x", UrlUse::Image, &page),
        Err(UrlProblem::LooksLikePath { .. })
    ));
    assert!(matches!(
        check_url(" JavaScript:alert(1)", UrlUse::Redirect, &page),
        Err(UrlProblem::Scheme { .. })
    ));
    assert_eq!(
        check_url("/api/orders", UrlUse::Endpoint, &page),
        Ok(format!("{origin}/api/orders"))
    );
}
