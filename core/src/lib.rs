//! The pure core: money, cart, pricing, config, products, strings and the stored cart format.
//! Plain Rust with no browser dependency, so all of it is tested natively.

pub mod cart;
pub mod checkout;
pub mod checkout_config;
pub mod config;
pub mod currency;
pub mod delivery;
pub mod event_queue;
pub mod events;
pub mod i18n;
pub mod japan;
pub mod json;
pub mod money;
pub mod order;
pub mod persist;
pub mod postal;
pub mod pricing;
pub mod product;
pub mod registration;

/// The custom element that hosts the widget's shadow root.
pub const HOST_TAG: &str = "kago-widget";
