//! The floor: a Leptos 0.8 counter button and a small form with one validated field, mounted
//! into a shadow root as Kago mounts itself.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

#[component]
fn App() -> impl IntoView {
    let count = RwSignal::new(0u32);
    let open = RwSignal::new(false);
    let email = RwSignal::new(String::new());
    view! {
        <button
            class="cart"
            on:click=move |_| {
                count.update(|c| *c += 1);
                open.update(|o| *o = !*o);
            }
        >
            "Cart " {move || count.get().to_string()}
        </button>
        <form hidden=move || !open.get() on:submit=move |e| e.prevent_default()>
            <label>
                "Email"
                <input
                    type="email"
                    autocomplete="email"
                    prop:value=email
                    on:input=move |e| email.set(event_target_value(&e))
                />
            </label>
            <p>{move || if email.with(|e| e.contains('@')) { "ok" } else { "Enter an e-mail address" }}</p>
            <button type="submit">"Continue"</button>
        </form>
    }
}

#[wasm_bindgen(start)]
pub fn start() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let (Ok(host), Some(body)) = (document.create_element("div"), document.body()) else {
        return;
    };
    if body.append_child(&host).is_err() {
        return;
    }
    let init = web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open);
    if let Ok(root) = host.attach_shadow(&init) {
        leptos::mount::mount_to(root.unchecked_into(), App).forget();
    }
}
