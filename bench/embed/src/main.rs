//! The bench app: a header, six products with "Add to cart" and a footer, as a small Leptos
//! shop renders them. Built without the feature `kago` it knows nothing of Kago: its buttons
//! carry `data-kago-add` for a script tag to pick up (tag.html). With it, `<Kago/>` is in its
//! root view and the buttons add through `use_kago()`.
//!
//! After `mount_to_body` it marks `app-rendered`, then `app-painted` in the task after the next
//! animation frame (the frame that shows the first render): what bench/embed-cost.mjs reads.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

const PRODUCTS: [(&str, &str, &str); 6] = [
    ("MUG-1", "Stoneware mug", "18.00"),
    ("TEE-1", "Linen tee", "32.00"),
    ("BOWL-1", "Ramen bowl", "24.00"),
    ("TOWEL-1", "Waffle towel", "14.50"),
    ("PLATE-1", "Side plate", "12.00"),
    ("APRON-1", "Canvas apron", "29.00"),
];

#[cfg(feature = "kago")]
mod cart {
    use kago_checkout::{use_kago, Kago, KagoItem, KagoSettings};
    use leptos::prelude::*;

    /// `<Kago/>` with the same setting as the tag's `data-currency="EUR"`.
    pub fn widget() -> impl IntoView {
        let settings = KagoSettings::new().currency("EUR");
        view! { <Kago settings /> }
    }

    pub fn count() -> impl IntoView {
        let kago = use_kago();
        move || kago.count().get()
    }

    pub fn add_button(sku: &'static str, name: &'static str, price: &'static str) -> impl IntoView {
        let kago = use_kago();
        view! {
            <button on:click=move |_| { kago.add_item(KagoItem::new(sku, name, price)); }>
                "Add to cart"
            </button>
        }
    }
}

#[cfg(not(feature = "kago"))]
mod cart {
    use leptos::prelude::*;

    pub fn widget() -> impl IntoView {}

    pub fn count() -> impl IntoView {}

    /// A button Kago's script tag picks up, if the page has one.
    pub fn add_button(sku: &'static str, name: &'static str, price: &'static str) -> impl IntoView {
        view! {
            <button data-kago-add="" data-sku=sku data-name=name data-price=price>
                "Add to cart"
            </button>
        }
    }
}

#[component]
fn App() -> impl IntoView {
    let filter = RwSignal::new(String::new());
    view! {
        {cart::widget()}
        <header>
            <h1>"Stoneware & Linen"</h1>
            <nav>
                <a href="#shop">"Shop"</a>
                " "
                <a href="#about">"About"</a>
                " "
                <span class="cart">"Cart " {cart::count()}</span>
            </nav>
        </header>
        <main id="shop">
            <label>
                "Search "
                <input type="search" on:input=move |e| filter.set(event_target_value(&e)) />
            </label>
            <ul class="products">
                {PRODUCTS
                    .iter()
                    .map(|&(sku, name, price)| {
                        let shown = move || {
                            let f = filter.get().to_lowercase();
                            f.is_empty() || name.to_lowercase().contains(&f)
                        };
                        view! {
                            <li class="product" class:hidden=move || !shown()>
                                <h2>{name}</h2>
                                <p class="price">"€" {price}</p>
                                {cart::add_button(sku, name, price)}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </main>
        <footer id="about">
            <p>"Small-batch tableware and linen, made in Porto."</p>
        </footer>
    }
}

/// `performance.mark(name)`.
fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

fn main() {
    leptos::mount::mount_to_body(App);
    mark("app-rendered");
    // The first frame after the render, then the task after it: the render is on screen.
    let Some(window) = web_sys::window() else {
        return;
    };
    let frame = Closure::once_into_js(move || {
        let Ok(channel) = web_sys::MessageChannel::new() else {
            return;
        };
        let port = channel.port1();
        let receiver = port.clone();
        // The closure holds the port until the message comes.
        let painted = Closure::once_into_js(move || {
            receiver.set_onmessage(None);
            mark("app-painted");
        });
        port.set_onmessage(Some(painted.unchecked_ref()));
        let _ = channel.port2().post_message(&JsValue::NULL);
    });
    let _ = window.request_animation_frame(frame.unchecked_ref());
}
