//! The catalog: every product the shop sells (sku, variants, price per currency, stock) and the
//! pages whose settings price an order (tax, shipping methods, discount codes). Orders are priced
//! from it with the widget's own code, so the server, not the page, decides what things cost.
//!
//! File format (JSON; paths relative to the file):
//!
//! ```json
//! {
//!   "settings": ["index.html", "ja.html"],
//!   "products": [
//!     {"sku": "TEE-001", "name": "Organic cotton tee",
//!      "variants": [{"variant": "M / Indigo", "prices": {"USD": "24.00"}, "stock": 120}]},
//!     {"sku": "MUG-002", "name": "Stoneware mug", "prices": {"USD": "18.50"}, "stock": 80}
//!   ]
//! }
//! ```
//!
//! Prices follow the pages' price rule (major units, `.` for decimals). `stock` left out means
//! unlimited. Stock lives in the database: a number in the file is applied when it changes there
//! (a restock), and every order takes its units off in the same transaction that stores it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use kago_core::cart::{Cart, Item};
use kago_core::checkout_config::find_discount;
use kago_core::correction::{Availability, Correction, PriceChange, ShippingPrice};
use kago_core::currency::Currency;
use kago_core::money::Money;
use kago_core::order::OrderRequest;
use kago_core::pricing::Totals;
use serde::Deserialize;

use crate::db::Db;
use crate::shop::{load_page, ShopSettings};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    #[serde(default)]
    settings: Vec<PathBuf>,
    products: Vec<ProductEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProductEntry {
    sku: String,
    name: String,
    #[serde(default)]
    variants: Option<Vec<VariantEntry>>,
    #[serde(default)]
    prices: Option<BTreeMap<String, PriceText>>,
    #[serde(default)]
    stock: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VariantEntry {
    variant: Option<String>,
    prices: BTreeMap<String, PriceText>,
    #[serde(default)]
    stock: Option<u32>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum PriceText {
    Text(String),
    Number(serde_json::Number),
}

/// One thing the shop sells: a product's variant (or the product, when it has none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogItem {
    pub sku: String,
    pub variant: Option<String>,
    pub name: String,
    /// Minor units per ISO currency code.
    pub prices: BTreeMap<String, i64>,
    /// `None`: unlimited.
    pub stock: Option<u32>,
}

/// The key of an item: sku and variant (`""` for none, as stored).
pub fn item_key(sku: &str, variant: Option<&str>) -> (String, String) {
    (sku.to_string(), variant.unwrap_or("").to_string())
}

/// Everything that prices orders.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Catalog {
    pub items: BTreeMap<(String, String), CatalogItem>,
    /// One per currency.
    pub shops: Vec<ShopSettings>,
    /// Every file it was read from (catalogs and settings pages), for reloading.
    pub files: Vec<PathBuf>,
}

impl Catalog {
    /// Reads and merges catalog files; any mistake is an error naming the file and the entry.
    pub fn load(paths: &[PathBuf]) -> Result<Catalog, String> {
        let mut catalog = Catalog::default();
        for path in paths {
            catalog.add_file(path)?;
        }
        if catalog.shops.is_empty() {
            return Err(
                "the catalog names no settings page (\"settings\": [\"index.html\"])".into(),
            );
        }
        Ok(catalog)
    }

    fn add_file(&mut self, path: &Path) -> Result<(), String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the catalog {}: {e}", path.display()))?;
        let file: CatalogFile = serde_json::from_str(&text)
            .map_err(|e| format!("the catalog {} is not valid: {e}", path.display()))?;
        self.files.push(path.to_path_buf());
        let dir = path.parent().unwrap_or(Path::new("."));
        for page in &file.settings {
            let page = dir.join(page);
            let settings = load_page(&page)?;
            self.files.push(page.clone());
            match self.shops.iter().find(|s| s.currency == settings.currency) {
                Some(known) if !known.same_prices(&settings) => {
                    return Err(format!(
                    "{} and {} both set {} prices, differently; a currency has one set of rules",
                    known.page.display(),
                    page.display(),
                    settings.currency.code()
                ))
                }
                Some(_) => {}
                None => self.shops.push(settings),
            }
        }
        let at = |sku: &str| format!("the catalog {}, product {sku:?}", path.display());
        for product in file.products {
            let variants = match (product.variants, product.prices) {
                (Some(_), Some(_)) => {
                    return Err(format!(
                        "{}: give \"prices\" or \"variants\", not both",
                        at(&product.sku)
                    ))
                }
                (None, None) => return Err(format!("{}: has no \"prices\"", at(&product.sku))),
                (Some(variants), None) => variants,
                (None, Some(prices)) => vec![VariantEntry {
                    variant: None,
                    prices,
                    stock: product.stock,
                }],
            };
            if product.sku.trim().is_empty() || product.sku.len() > kago_core::product::MAX_SKU_LEN
            {
                return Err(format!(
                    "{}: the sku is empty or too long",
                    at(&product.sku)
                ));
            }
            for variant in variants {
                let mut prices = BTreeMap::new();
                for (code, price) in variant.prices {
                    let currency = Currency::from_code(&code).ok_or_else(|| {
                        format!(
                            "{}: {code:?} is not a currency Kago knows",
                            at(&product.sku)
                        )
                    })?;
                    let text = match price {
                        PriceText::Text(t) => t,
                        PriceText::Number(n) => n.to_string(),
                    };
                    let money = Money::parse_major(&text, currency).map_err(|e| {
                        format!("{}: the {code} price {text:?} {e}", at(&product.sku))
                    })?;
                    prices.insert(currency.code().to_string(), money.minor);
                }
                let key = item_key(&product.sku, variant.variant.as_deref());
                let item = CatalogItem {
                    sku: product.sku.clone(),
                    variant: variant.variant,
                    name: product.name.clone(),
                    prices,
                    stock: variant.stock,
                };
                if self.items.insert(key, item).is_some() {
                    return Err(format!(
                        "{}: this sku and variant are listed twice",
                        at(&product.sku)
                    ));
                }
            }
        }
        Ok(())
    }

    pub fn shop(&self, currency: &str) -> Option<&ShopSettings> {
        self.shops.iter().find(|s| s.currency.code() == currency)
    }

    /// Prices `order` from the catalog and the shop's rules with the widget's own
    /// [`kago_core::checkout::CheckoutPricing::totals`]. Stock is checked later, where it is taken (in the order's transaction).
    pub fn price(&self, order: &OrderRequest) -> Result<Totals, Refusal> {
        let Some(shop) = self.shop(&order.currency) else {
            return Err(Refusal::Unprocessable(format!(
                "this shop does not sell in {}",
                order.currency
            )));
        };
        let mut unavailable = Vec::new();
        let mut changed = Vec::new();
        let mut cart = Cart::default();
        for line in &order.items {
            let key = item_key(&line.sku, line.variant.as_deref());
            let price = self
                .items
                .get(&key)
                .and_then(|item| item.prices.get(&order.currency).map(|p| (item, *p)));
            let Some((item, price)) = price else {
                unavailable.push(Availability {
                    sku: line.sku.clone(),
                    variant: line.variant.clone(),
                    available: 0,
                });
                continue;
            };
            if price != line.unit_price {
                changed.push(PriceChange {
                    sku: line.sku.clone(),
                    variant: line.variant.clone(),
                    unit_price: price,
                });
            }
            let added = cart.add_line(
                Item {
                    sku: item.sku.clone(),
                    variant: item.variant.clone(),
                    name: item.name.clone(),
                    unit_price: price,
                    image: None,
                },
                line.quantity,
            );
            if added.is_err() {
                return Err(Refusal::Unprocessable(
                    "the order has too many lines".into(),
                ));
            }
        }
        if !unavailable.is_empty() {
            return Err(Refusal::Corrected(Correction::Unavailable {
                items: unavailable,
            }));
        }
        let Some(method) = shop.pricing.method(Some(&order.shipping_method)) else {
            return Err(Refusal::Unprocessable(format!(
                "there is no shipping method {:?}",
                order.shipping_method
            )));
        };
        let code = match &order.discount_code {
            None => None,
            Some(code) => match find_discount(&shop.pricing.codes, code, cart.subtotal()) {
                Ok(_) => Some(code.as_str()),
                Err(_) if changed.is_empty() => {
                    return Err(Refusal::Corrected(Correction::CodeInvalid))
                }
                // The new prices may change what the code gives: prices first.
                Err(_) => None,
            },
        };
        // The widget's own totals: the same function its summary and order body come from.
        let totals = shop.pricing.totals(&cart, Some(&method.id), code);
        let shipping_changed = totals.shipping.minor != order.totals.shipping;
        if !changed.is_empty() || shipping_changed {
            let shipping = shipping_changed.then(|| ShippingPrice {
                id: method.id.clone(),
                price: totals.shipping.minor,
            });
            return Err(Refusal::Corrected(Correction::PricesChanged {
                items: changed,
                shipping,
            }));
        }
        let t = &order.totals;
        let ours = (
            totals.subtotal.minor,
            totals.discount.minor,
            totals.tax.minor,
            totals.tax_included,
            totals.total.minor,
        );
        if ours != (t.subtotal, t.discount, t.tax, t.tax_included, t.total) {
            return Err(Refusal::Unprocessable(format!(
                "the order does not add up: the shop's totals are subtotal {}, discount {}, \
                 shipping {}, tax {}, total {}",
                totals.subtotal.minor,
                totals.discount.minor,
                totals.shipping.minor,
                totals.tax.minor,
                totals.total.minor
            )));
        }
        Ok(totals)
    }
}

/// Why an order is not taken as it is.
#[derive(Clone, Debug, PartialEq)]
pub enum Refusal {
    /// A correction the widget applies and shows (`409 prices_changed` / `unavailable`, `422
    /// code_invalid`), in the core's one wire shape.
    Corrected(Correction),
    /// `422 {"error": message}`.
    Unprocessable(String),
}

/// The catalog in use, swapped whole when its files change.
#[derive(Debug)]
pub struct CatalogHandle {
    paths: Vec<PathBuf>,
    current: RwLock<Arc<Catalog>>,
}

impl CatalogHandle {
    pub fn new(paths: Vec<PathBuf>, catalog: Catalog) -> CatalogHandle {
        CatalogHandle {
            paths,
            current: RwLock::new(Arc::new(catalog)),
        }
    }

    pub fn get(&self) -> Arc<Catalog> {
        // A poisoned lock only means a panic elsewhere while swapping an Arc: the value is whole.
        Arc::clone(&self.current.read().unwrap_or_else(|e| e.into_inner()))
    }

    fn set(&self, catalog: Catalog) {
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(catalog);
    }

    /// Reads the files again; on a mistake the catalog in use stays.
    pub async fn reload(&self, db: &Db) -> Result<(), String> {
        let catalog = Catalog::load(&self.paths)?;
        sync_stock(db, &catalog).await?;
        self.set(catalog);
        Ok(())
    }
}

fn modified(files: &[PathBuf]) -> Vec<Option<SystemTime>> {
    files
        .iter()
        .map(|f| std::fs::metadata(f).and_then(|m| m.modified()).ok())
        .collect()
}

/// Polls the catalog's files every `every` and reloads it when one changed.
pub async fn watch(handle: Arc<CatalogHandle>, db: Db, every: Duration) {
    let mut seen = modified(&handle.get().files);
    let mut ticker = tokio::time::interval(every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        let now = modified(&handle.get().files);
        if now == seen {
            continue;
        }
        seen = now;
        match handle.reload(&db).await {
            Ok(()) => {
                let catalog = handle.get();
                seen = modified(&catalog.files);
                tracing::info!(items = catalog.items.len(), "catalog reloaded");
            }
            Err(e) => tracing::error!("catalog not reloaded, the previous one stays: {e}"),
        }
    }
}

/// Applies the catalog's stock numbers that changed since they were last applied.
pub async fn sync_stock(db: &Db, catalog: &Catalog) -> Result<(), String> {
    let mut tx = db.pool.begin().await.map_err(|e| crate::db::describe(&e))?;
    for ((sku, variant), item) in &catalog.items {
        let stock = item.stock.map(i64::from);
        sqlx::query(
            "INSERT INTO stock (sku, variant, available, catalog_stock) VALUES ($1, $2, $3, $3)
             ON CONFLICT (sku, variant) DO UPDATE
             SET available = excluded.available, catalog_stock = excluded.catalog_stock
             WHERE stock.catalog_stock IS DISTINCT FROM excluded.catalog_stock",
        )
        .bind(sku)
        .bind(variant)
        .bind(stock)
        .execute(&mut *tx)
        .await
        .map_err(|e| crate::db::describe(&e))?;
    }
    tx.commit().await.map_err(|e| crate::db::describe(&e))?;
    Ok(())
}
