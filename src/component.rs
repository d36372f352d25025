//! `<Kago/>`: the widget in a Leptos app, started from the app's own wasm.

use crate::settings::{KagoAttributes, KagoSettings};
use leptos::prelude::*;

/// Kago in a Leptos app: the same widget the script tag starts (cart button, drawer,
/// checkout, `window.Kago`, `kago:*` events, funnel events), with the script tag's
/// settings given as props. It renders nothing where it stands: the widget goes beside `<body>`
/// in its own shadow root, and stays for the page's life, even once the view holding `<Kago/>`
/// is gone (a cart outlives a route). So a `<Kago/>` inside a route is the same widget on every
/// visit: with the same settings nothing more happens; with other settings (two routes that
/// disagree) the console says so once and the first settings stay. Where the widget cannot run
/// (a native build, server-side rendering) it renders nothing and does nothing.
///
/// ```
/// use kago_checkout::{CartButton, Kago, KagoSettings};
/// use leptos::prelude::*;
///
/// #[component]
/// fn App() -> impl IntoView {
///     let settings = KagoSettings::new()
///         .currency("EUR")
///         .order_endpoint("/api/orders")
///         .cart_button(CartButton::None);
///     view! {
///         <Kago settings=settings />
///         // or, as the script tag's attributes and JSON block:
///         // <Kago attributes=[("currency", "EUR")] config=r#"{"country": "DE"}"# />
///     }
/// }
/// ```
#[component]
pub fn Kago(
    /// Settings as Rust values ([`KagoSettings`]).
    #[prop(optional)]
    settings: KagoSettings,
    /// Settings by attribute name: `[("currency", "EUR")]` is `data-currency="EUR"`; over
    /// `settings` where both set one.
    #[prop(optional, into)]
    attributes: KagoAttributes,
    /// The JSON settings block's text (README, "Full settings: the JSON block"); over
    /// `settings.config`.
    #[prop(optional, into)]
    config: Option<String>,
) -> impl IntoView {
    let mut pairs = settings.attributes();
    for (name, value) in attributes.0 {
        pairs.retain(|(n, _)| *n != name);
        pairs.push((name, value));
    }
    let config = config.or(settings.config);
    #[cfg(target_arch = "wasm32")]
    crate::wiring::start_component(pairs, config);
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (pairs, config);
}
