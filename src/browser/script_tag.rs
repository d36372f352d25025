//! Reads the merchant's settings from the script tag and products from `data-kago-add` elements.

use crate::core::currency::Currency;
use crate::core::product::{parse_product, ProductError, ProductRequest};
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

/// The product a `data-kago-add` element describes.
pub fn read_product(
    element: &Element,
    currency: Currency,
    max_quantity: u32,
) -> Result<ProductRequest, ProductError> {
    parse_product(|name| element.get_attribute(name), currency, max_quantity)
}
