//! Reads the merchant's settings from the script tag and products from `data-kago-add` elements.

use crate::browser::url::PageUrls;
use kago_core::config::DEFAULT_CONFIG_ID;
use kago_core::currency::Currency;
use kago_core::product::{parse_product, ProductError, ProductRequest};
use web_sys::Element;

/// Every `data-*` attribute of the script tag as `(name, value)` pairs.
pub fn data_attributes(script: &Element) -> Vec<(String, String)> {
    let attributes = script.attributes();
    (0..attributes.length())
        .filter_map(|i| attributes.item(i))
        .map(|a| (a.name(), a.value()))
        .filter(|(name, _)| name.starts_with("data-"))
        .collect()
}

/// The folder `kago.js` was loaded from (`window.kagoLoader.base`, which the loader sets),
/// when the widget was started by the loader.
pub fn loader_base() -> Option<String> {
    let loader = js_sys::Reflect::get(&js_sys::global(), &"kagoLoader".into()).ok()?;
    js_sys::Reflect::get(&loader, &"base".into())
        .ok()?
        .as_string()
}

/// The JSON settings block `("#id", text)`: the element named by `data-config`, else
/// `#kago-config`. A `data-config` naming no element is an error for the console.
pub fn json_block(script: &Element) -> Result<Option<(String, String)>, String> {
    let named = script.get_attribute("data-config");
    let id = named
        .clone()
        .unwrap_or_else(|| DEFAULT_CONFIG_ID.to_string());
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(&id));
    match (element, named) {
        (Some(el), _) => Ok(Some((format!("#{id}"), el.text_content().unwrap_or_default()))),
        (None, Some(name)) => Err(format!(
            "Kago: data-config=\"{name}\" names no element on this page; using the script tag's settings only."
        )),
        (None, None) => Ok(None),
    }
}

/// The product a `data-kago-add` element describes (its image resolved against the page).
pub fn read_product(
    element: &Element,
    currency: Currency,
    max_quantity: u32,
) -> Result<ProductRequest, ProductError> {
    parse_product(
        &|name| element.get_attribute(name),
        currency,
        max_quantity,
        &PageUrls,
    )
}
