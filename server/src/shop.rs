//! The shop's pricing settings, read from the demo pages themselves: the `kago.js` script
//! tag's `data-*` attributes and the JSON block, through the same
//! [`kago_core::config::parse_config`] the widget runs. One copy of the settings, so the server
//! and the pages cannot drift apart.

use std::path::{Path, PathBuf};

use kago_core::checkout::{CheckoutPricing, Draft};
use kago_core::config::{parse_config, Config, DEFAULT_CONFIG_ID};
use kago_core::currency::Currency;
use kago_core::delivery::{CivilDate, DeliveryChoiceError, DeliveryDates, DeliverySlots};
use kago_core::order::OrderRequest;

/// What prices an order in one currency: the widget's own [`CheckoutPricing`] (rules, shipping
/// methods, discount codes) made from the page's settings.
#[derive(Clone, Debug, PartialEq)]
pub struct ShopSettings {
    /// The page the settings came from (for messages).
    pub page: PathBuf,
    pub currency: Currency,
    pub pricing: CheckoutPricing,
    /// The delivery dates a shopper may ask for (`delivery_dates`); none: no date.
    pub delivery_dates: Option<DeliveryDates>,
    /// The delivery time slots a shopper may ask for (`delivery_slots`); empty: no time.
    pub delivery_slots: DeliverySlots,
}

impl ShopSettings {
    pub fn from_config(page: &Path, config: &Config) -> ShopSettings {
        ShopSettings {
            page: page.to_path_buf(),
            currency: config.currency,
            // The label is only shown by the widget; the server goes by id.
            pricing: CheckoutPricing::new(config, "Standard"),
            delivery_dates: config.checkout.delivery_dates.clone(),
            delivery_slots: config.checkout.delivery_slots.clone(),
        }
    }

    /// Checks the delivery date and time slot an order asks for against what this shop offers
    /// `today` (in Japan, as the widget counts them: `kago_core::delivery::japan_today`), with the
    /// rule the widget checks before it sends; the message for a `422`.
    pub fn check_delivery(&self, order: &OrderRequest, today: CivilDate) -> Result<(), String> {
        // The widget's own check, on a draft holding only the order's choice.
        let asked = Draft {
            delivery_date: order.delivery_date.clone(),
            delivery_slot: order.delivery_slot.clone(),
            ..Draft::default()
        };
        match asked.check_delivery(today, self.delivery_dates.as_ref(), &self.delivery_slots) {
            Ok(()) => Ok(()),
            Err(DeliveryChoiceError::DateNotOffered) => Err(format!(
                "the delivery date {:?} is not one this shop offers today; please choose another",
                order.delivery_date.as_deref().unwrap_or_default()
            )),
            Err(DeliveryChoiceError::SlotNotOffered) => Err(format!(
                "the delivery time {:?} is not one this shop offers; please choose another",
                order.delivery_slot.as_deref().unwrap_or_default()
            )),
        }
    }

    /// Whether two pages price the same way (labels and notes aside).
    pub fn same_prices(&self, other: &ShopSettings) -> bool {
        let methods = |s: &ShopSettings| -> Vec<(String, i64, Option<i64>)> {
            s.pricing
                .methods
                .iter()
                .map(|m| (m.id.clone(), m.price, m.free_over))
                .collect()
        };
        self.currency == other.currency
            && self.pricing.rules == other.pricing.rules
            && methods(self) == methods(other)
            && self.pricing.codes == other.pricing.codes
    }
}

/// A page's markup, decoded to what the browser would hand the widget.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PageSettings {
    /// The first `<script src="…kago.js">`'s attributes, entity-decoded.
    pub attributes: Vec<(String, String)>,
    /// The text of the JSON block (`#kago-config`, or the id in `data-config`).
    pub json: Option<(String, String)>,
    /// Every `[data-kago-add]` element's attributes (the products the page sells).
    pub products: Vec<Vec<(String, String)>>,
}

fn attributes_of(element: &scraper::node::Element) -> Vec<(String, String)> {
    element
        .attrs()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

/// Reads the widget's settings and products from a page's HTML (parsed as a browser does:
/// html5ever, through scraper).
pub fn read_page(html: &str) -> Result<PageSettings, String> {
    let document = scraper::Html::parse_document(html);
    let selector =
        |css: &str| scraper::Selector::parse(css).map_err(|e| format!("bad selector {css}: {e:?}"));
    let mut page = PageSettings::default();
    for element in document.select(&selector("[data-kago-add]")?) {
        page.products.push(attributes_of(element.value()));
    }
    let loader = document.select(&selector("script[src]")?).find(|script| {
        script
            .value()
            .attr("src")
            .and_then(|src| src.split(['?', '#']).next())
            .is_some_and(|path| path.ends_with("kago.js"))
    });
    let Some(loader) = loader else {
        return Err("has no <script src=\"…kago.js\"> tag".into());
    };
    page.attributes = attributes_of(loader.value())
        .into_iter()
        .filter(|(n, _)| n.starts_with("data-"))
        .collect();
    let id = page
        .attributes
        .iter()
        .find(|(n, _)| n == "data-config")
        .map_or(DEFAULT_CONFIG_ID.to_string(), |(_, v)| {
            v.trim().trim_start_matches('#').to_string()
        });
    page.json = document
        .select(&selector("script[id]")?)
        .find(|script| script.value().attr("id") == Some(id.as_str()))
        .map(|script| (format!("#{id}"), script.text().collect::<String>()));
    Ok(page)
}

/// The server reads a page's settings for its prices only: its URLs (endpoints, support page)
/// are taken as written. The widget checks them on the page with the browser's URL parser
/// (`kago_core::url`).
pub struct UrlsAsWritten;

impl kago_core::url::ResolveUrl for UrlsAsWritten {
    fn resolve(&self, text: &str) -> Option<kago_core::url::ResolvedUrl> {
        Some(kago_core::url::ResolvedUrl {
            href: text.to_string(),
            protocol: "https:".into(),
            origin: String::new(),
        })
    }

    fn page_origin(&self) -> String {
        String::new()
    }
}

/// The settings of a page file, as the widget on it would read them.
pub fn load_page(path: &Path) -> Result<ShopSettings, String> {
    let html = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the settings page {}: {e}", path.display()))?;
    let page = read_page(&html).map_err(|e| format!("{}: {e}", path.display()))?;
    let json = page
        .json
        .as_ref()
        .map(|(at, text)| (at.as_str(), text.as_str()));
    let (config, warnings) = parse_config(&page.attributes, json, &UrlsAsWritten);
    if config.currency_unreadable {
        return Err(format!(
            "{}: its currency setting is unreadable",
            path.display()
        ));
    }
    for warning in warnings {
        tracing::warn!(page = %path.display(), "{warning}");
    }
    Ok(ShopSettings::from_config(path, &config))
}
