//! The pure core: money, cart, pricing, config, products, strings and the stored cart format.
//! Plain Rust with no browser dependency, so all of it is tested natively. Its data types are
//! serde types: the wire format is the type.

pub mod cart;
pub mod checkout;
pub mod checkout_config;
pub mod config;
pub mod correction;
pub mod currency;
pub mod delivery;
pub mod endpoint;
pub mod event_queue;
pub mod events;
pub mod i18n;
pub mod japan;
pub mod money;
pub mod order;
pub mod persist;
pub mod placing;
pub mod postal;
pub mod prefill;
pub mod pricing;
pub mod product;
pub mod registration;
#[cfg(feature = "schema")]
pub mod schema;
pub mod text;
pub mod texts;
pub mod tracking;
pub mod url;
pub mod wallet;
pub mod wire;

/// The custom element that hosts the widget's shadow root.
pub const HOST_TAG: &str = "kago-widget";
/// The attribute that marks a `<kago-widget>` as Kago's own (the loader's and the widget's),
/// so a page's own element of that name is never mistaken for a second Kago.
pub const HOST_MARK: &str = "data-kago";
/// Kago's own host.
pub const HOST_SELECTOR: &str = "kago-widget[data-kago]";
