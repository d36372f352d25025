//! A developer's Leptos shop using Kago through the crate's API only: `<Kago/>` with typed
//! settings and the floating button hidden, the app's own header cart button with a reactive
//! count and total from `use_kago()`, products added from Rust, and the funnel's events heard as
//! typed values. `main.rs` mounts it (natively it only compiles); Trunk builds it as a web app
//! (`index.html`, `Trunk.toml`: README, "In a Leptos app"). Tested twice: `tests/browser_app.rs`
//! mounts this file in headless Chromium, and `tests/e2e/leptos-app.spec.ts` drives the built
//! app on a phone.

use kago_checkout::{use_kago, CartButton, EventKind, Kago, KagoItem, KagoSettings, Locale};
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    let settings = KagoSettings::new()
        .currency("EUR")
        .locale(Locale::En)
        .shipping_flat("4.50")
        .cart_button(CartButton::None);
    view! {
        <Kago settings />
        <Header />
        <main>
            <Product sku="MUG-1" name="Stoneware mug" price="18.00" />
            <Product sku="TEE-1" name="Linen tee" price="32.00" />
        </main>
    }
}

/// The app's header: its own cart button with the cart's count and total, opening Kago's cart
/// (which gives focus back to it when it closes).
#[component]
fn Header() -> impl IntoView {
    let kago = use_kago();
    let last_event = RwSignal::new(String::new());
    kago.on_event(move |event: &EventKind| last_event.set(event.event_type().name().to_string()));
    let total = move || {
        kago.total()
            .get()
            .map(|(_, shown)| shown)
            .unwrap_or_default()
    };
    view! {
        <header>
            <h1>"Stoneware & Linen"</h1>
            <button id="app-cart" on:click=move |_| kago.open()>
                "Cart " <span id="app-count">{move || kago.count().get()}</span>
                " " <span id="app-total">{total}</span>
            </button>
            <p class="status">
                "Cart " <span id="app-open">{move || if kago.is_open().get() { "open" } else { "closed" }}</span>
                "; last event: " <span id="app-event">{move || last_event.get()}</span>
            </p>
        </header>
    }
}

/// A product card. Its button works from the first frame: a tap while `<Kago/>` is still starting
/// the widget is kept and applied once it runs.
#[component]
fn Product(sku: &'static str, name: &'static str, price: &'static str) -> impl IntoView {
    let kago = use_kago();
    let add = move |_| {
        kago.add_item(KagoItem::new(sku, name, price).meta("gift_message", "For Ana"));
    };
    view! {
        <article>
            <h2>{name}</h2>
            <p>"€" {price}</p>
            <button id=format!("add-{sku}") on:click=add>
                "Add to cart"
            </button>
        </article>
    }
}
