//! The Leptos UI: views render the [`Shop`] state and dispatch its actions.
//!
//! Only the root (`App`), the cart button and the drawer are `#[component]`s; the rest are
//! plain view functions (`fn summary(shop: Shop) -> impl IntoView`): with Leptos's
//! `erase_components`, each component costs a props builder and an erased view, and turning
//! 20 into functions took 3.5 KB gzip off the wasm (BENCHMARKS.md). A component's body runs
//! untracked; a view function runs while its parent's view is built, perhaps inside a reactive
//! closure, so it reads signals only inside closures (`move || …`), effects and memos.
//!
//! Attributes other than the most common few are written `{attr("name", value)}` ([`attr`]).
//!
//! No element below a view's root may be wholly static (only literal attributes and text, like
//! an icon's `<svg>` and its `<path>`): Leptos builds such an element from an HTML string
//! through `innerHTML`, which a page requiring Trusted Types refuses (README, "Hosting", Trusted
//! Types). An `{attr(…)}` among its attributes keeps it built node by node; the e2e test under
//! that CSP (`strict-pages.spec.ts`) catches a slip.
//!
//! Handlers go through `tap`, `typed`, `ticked`, `submitted` or `listener`
//! (`on:click=tap(move || shop.close())`), never a bare closure: Leptos copies its listener
//! code for every closure type it is given, and a boxed handler is one type per event.
//!
//! Each of these size tricks (and the cart's own keyed list, parts hidden rather than unmounted,
//! the drawer built ahead) is in one table with what it buys against plain Leptos:
//! BENCHMARKS.md, "Size machinery, re-measured".

mod after_purchase;
mod build_ahead;
mod cart_button;
mod checkout;
mod drawer;
mod focus;
pub mod state;
mod summary;
mod support;

pub use state::{Env, Panel, Platform, PostalStatus, Shop};

pub(crate) use focus::{focus_by_id, focus_if_lost, focus_moves_on};
use leptos::prelude::*;

/// An effect (as `Effect::new`) whose body is boxed, so all of them share one instantiation of
/// Leptos's effect code instead of one each.
pub fn effect(body: impl Fn() + 'static) {
    let body: Box<dyn Fn()> = Box::new(body);
    Effect::new(move |_| body());
}

/// [`effect`] whose body also gets the value it returned the time before (`None` the first
/// time), as `Effect::new` gives it.
pub fn effect_after<T: Copy + 'static>(body: impl Fn(Option<T>) -> T + 'static) {
    let last = std::cell::Cell::new(None);
    effect(move || last.set(Some(body(last.get()))));
}

// Event handlers as one type per kind of event (`Box<dyn FnMut(E)>`): every `on:click=tap(…)`
// then shares one copy of Leptos's listener code, where each closure would get its own (all
// five together took 4.9 KB gzip off the wasm; BENCHMARKS.md).

/// A handler that needs no event (a tap, a radio button chosen).
pub(crate) fn tap<E: 'static>(f: impl Fn() + 'static) -> Box<dyn FnMut(E)> {
    Box::new(move |_| f())
}

/// An `input` handler given the field's text.
pub(crate) fn typed(f: impl Fn(String) + 'static) -> Box<dyn FnMut(leptos::ev::Event)> {
    Box::new(move |ev| f(event_target_value(&ev)))
}

/// A text field's `input` handler given its text and whether an IME is still composing it
/// (then the text must stay exactly as it is: changing it would break the composition).
pub(crate) fn typing(f: impl Fn(String, bool) + 'static) -> Box<dyn FnMut(leptos::ev::Event)> {
    use wasm_bindgen::JsCast;
    Box::new(move |ev| {
        let composing = ev
            .dyn_ref::<web_sys::InputEvent>()
            .is_some_and(web_sys::InputEvent::is_composing);
        f(event_target_value(&ev), composing)
    })
}

/// A `compositionend` handler given the field's text: the IME has committed it (browsers send
/// no `input` after that which is not composing).
pub(crate) fn composed(
    f: impl Fn(String) + 'static,
) -> Box<dyn FnMut(leptos::ev::CompositionEvent)> {
    Box::new(move |ev| f(event_target_value(&ev)))
}

/// A checkbox's `change` handler given whether it is ticked.
pub(crate) fn ticked(f: impl Fn(bool) + 'static) -> Box<dyn FnMut(leptos::ev::Event)> {
    Box::new(move |ev| f(event_target_checked(&ev)))
}

/// A form's `submit` handler; the browser's own submit (a page load) never happens.
pub(crate) fn submitted(f: impl Fn() + 'static) -> Box<dyn FnMut(leptos::ev::SubmitEvent)> {
    Box::new(move |ev| {
        ev.prevent_default();
        f()
    })
}

/// Any other handler that reads its event.
pub(crate) fn listener<E: 'static>(f: impl Fn(E) + 'static) -> Box<dyn FnMut(E)> {
    Box::new(f)
}

/// An attribute by its name, for `view!` as `{attr("loading", "lazy")}`: every attribute made
/// so shares one type (per kind of value), where `loading="lazy"` gives each attribute name a
/// type of its own and its own copy of Leptos's attribute code (~0.1 KB gzip per name; 3.7 KB
/// gzip for the 33 names written this way, re-measured 2026-12-04 against plain `name=value`;
/// BENCHMARKS.md, "Size machinery, re-measured"). The six most common names (`class`, `type`,
/// `id`, `role`, `aria-label`, `hidden`) stay plain attributes, as do the names SVG elements
/// take (Leptos writes those by name already). In `view!`, a block right after an unquoted value
/// (`id=id {attr(…)}`) parses as a struct literal: put such values in braces (`id={id}`).
pub(crate) fn attr<V: leptos::attr::AttributeValue>(
    name: &'static str,
    value: V,
) -> leptos::tachys::html::attribute::custom::CustomAttr<&'static str, V> {
    leptos::tachys::html::attribute::custom::custom_attribute(name, value)
}

/// Where the checkout becomes one page; `kago.css` widens the drawer at the same width.
pub const ONE_PAGE_MEDIA: &str = "(min-width: 960px)";

/// A part of the dialog (a checkout step, the checkout panel) built the first time it is `shown`
/// or wanted `ahead`, and from then on only hidden and shown: going back and forth keeps its DOM
/// and costs no rebuild. Hidden, it is laid out unseen (`.kago-part[hidden]` in kago.css), so
/// showing it costs almost no style or layout work either. `class` includes `kago-part`.
pub(crate) fn part<V: IntoView + 'static>(
    class: &'static str,
    shown: impl Fn() -> bool + Send + Sync + Copy + 'static,
    ahead: impl Fn() -> bool + Send + Sync + 'static,
    children: impl Fn() -> V + Send + Sync + 'static,
) -> impl IntoView {
    let built = Memo::new(move |was: Option<&bool>| was.is_some_and(|w| *w) || shown() || ahead());
    move || {
        built
            .get()
            .then(|| view! { <div class=class hidden=move || !shown()>{untrack(&children)}</div> })
    }
}

/// The whole widget: the cart button, the drawer, and the polite live region.
#[component]
pub fn App(shop: Shop) -> impl IntoView {
    let cart_button = NodeRef::<leptos::html::Button>::new();
    let ahead = drawer::Ahead::new(shop);
    view! {
        <div class="kago-root" {attr("lang", shop.env.locale().tag())}>
            {(shop.env.config.cart_button != kago_core::config::CartButton::None)
                .then(|| view! { <cart_button::CartButton shop ahead node_ref=cart_button /> })}
            <drawer::Drawer shop ahead cart_button />
            <div class="kago-visually-hidden" role="status" {attr("aria-live", "polite")}>
                {move || shop.announcer.text.get()}
            </div>
        </div>
    }
}
