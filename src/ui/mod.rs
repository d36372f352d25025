//! The Leptos UI: components render the [`Shop`] state and dispatch its actions.

mod after_purchase;
mod cart_button;
mod checkout;
mod drawer;
pub mod state;
mod summary;
mod support;

pub use state::{HttpAnswer, Panel, Platform, Shop, WalletRequest, WalletResult};

use leptos::prelude::*;

/// Where the checkout becomes one page; `kago.css` widens the drawer at the same width.
pub const ONE_PAGE_MEDIA: &str = "(min-width: 960px)";

/// The whole widget: the cart button, the drawer, and the polite live region.
#[component]
pub fn App(shop: Shop) -> impl IntoView {
    let cart_button = NodeRef::<leptos::html::Button>::new();
    view! {
        <div class="kago-root" lang=shop.locale.tag()>
            <cart_button::CartButton shop node_ref=cart_button />
            <drawer::Drawer shop cart_button />
            <div class="kago-visually-hidden" role="status" aria-live="polite">
                {move || shop.announcement.get()}
            </div>
        </div>
    }
}
