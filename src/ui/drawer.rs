//! The cart drawer: a modal sheet (phones) or side panel (wide screens) with the lines, the
//! summary, the checkout entry and support contact. Focus moves in on open and back on close;
//! Escape closes; Tab stays inside.

use crate::ui::build_ahead::{Command, Event, Part, Stage};
use crate::ui::checkout::{checkout_panel, confirmation, exit_question};
use crate::ui::state::{Panel, Shop};
use crate::ui::summary::summary;
use crate::ui::support::support;
use crate::ui::{attr, effect, effect_after, focus_if_lost, listener, part, tap};
use kago_core::cart::Line;
use kago_core::i18n::fill;
use leptos::html;
use leptos::prelude::*;
use leptos::reactive::effect::ImmediateEffect;
use leptos::tachys::reactive_graph::OwnedView;
use leptos::tachys::view::{Mountable, Render};
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent, ShadowRoot};

/// The dialog's heading: focus goes there when the control that had it is gone (a removed line).
const TITLE: &str = "kago-title";
const FOCUSABLE: &str = "button:not([disabled]), a[href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex=\"-1\"])";

#[component]
pub fn Drawer(shop: Shop, ahead: Ahead, cart_button: NodeRef<html::Button>) -> impl IntoView {
    let dialog = NodeRef::<html::Div>::new();

    // Focus follows the panel: into the dialog on open (also when it is open from the start: a
    // reload during checkout, a tap before the widget was ready), to the new heading when the
    // panel changes, back to the cart button on close.
    // Without a cart button (`data-cart-button="none"`), focus goes back to the page's control
    // that opened the cart (`Kago.open()`, a `data-kago-open` element).
    let opener = StoredValue::new_local(None::<HtmlElement>);
    effect_after(move |previous: Option<Panel>| {
        let panel = shop.panel.get();
        let open_at_start = previous.is_none() && panel != Panel::Closed;
        if previous == Some(Panel::Closed) && panel != Panel::Closed {
            opener.set_value(page_focus());
        }
        if open_at_start || previous.is_some_and(|p| p != panel) {
            request_animation_frame(move || {
                let target: Option<HtmlElement> = match (previous, panel) {
                    (_, Panel::Closed) => cart_button
                        .get_untracked()
                        .map(Into::into)
                        .or_else(|| opener.get_value()),
                    (None | Some(Panel::Closed), _) => find(dialog, ".kago-close"),
                    _ => find(dialog, ".kago-title"),
                };
                if let Some(el) = target {
                    let _ = el.focus();
                }
            });
        }
        panel
    });

    // Crossing the one-page width swaps the steps for one page (or back): the control that had
    // focus may be gone with them, and the dialog's heading takes it.
    effect_after(move |was_wide: Option<bool>| {
        let wide = shop.wide.get();
        if was_wide.is_some_and(|w| w != wide) && shop.panel.get_untracked() != Panel::Closed {
            focus_if_lost(TITLE);
        }
        wide
    });

    // Built ahead, closed and hidden (laid out, so its fonts are loaded too), part by part
    // (`ui::build_ahead`): opening then only shows it.
    move || {
        ahead.frame.get().then(|| {
            let layer = Owner::new();
            ahead.state.update_value(|s| s.views = Some(layer.clone()));
            let view = layer.with(|| untrack(|| self::layer(shop, ahead, dialog)));
            OwnedView::new_with_owner(view, layer)
        })
    }
}

/// The drawer's build-ahead ([`build_ahead`](crate::ui::build_ahead), a state machine of plain
/// Rust) driven from the shop: it tells the machine what happens, does what the machine says,
/// and sets the flags the drawer builds its parts by (bool signals: views gated on one are built
/// once, when it turns on).
#[derive(Clone, Copy)]
pub struct Ahead {
    state: StoredValue<State>,
    /// The frame (the layer itself), the rows, the totals: built when on.
    frame: RwSignal<bool>,
    lines: RwSignal<bool>,
    totals: RwSignal<bool>,
    shop: Shop,
}

struct State {
    stage: Stage,
    /// The reactive owner of the drawer's views, paused when the machine says so.
    views: Option<Owner>,
}

impl Ahead {
    /// Follows the shop's panel and cart from within each change (`ImmediateEffect`): a cart
    /// change pauses hidden views before they would update, and opening paused views builds them
    /// anew before they are shown.
    pub fn new(shop: Shop) -> Ahead {
        let ahead = Ahead {
            state: StoredValue::new(State {
                stage: Stage::Unbuilt,
                views: None,
            }),
            frame: RwSignal::new(false),
            lines: RwSignal::new(false),
            totals: RwSignal::new(false),
            shop,
        };
        use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
        let first = AtomicBool::new(true);
        ImmediateEffect::new_scoped(move || {
            shop.cart.track();
            if !first.swap(false, Relaxed) && shop.panel.get_untracked() == Panel::Closed {
                ahead.send(Event::CartChanged);
            }
        });
        // Whether the drawer was open, and showed another panel than the cart since it opened.
        let (was_open, beyond_cart) = (AtomicBool::new(false), AtomicBool::new(false));
        ImmediateEffect::new_scoped(move || {
            let panel = shop.panel.get();
            let open = panel != Panel::Closed;
            if panel != Panel::Cart && open {
                beyond_cart.store(true, Relaxed);
            }
            match (was_open.swap(open, Relaxed), open) {
                (false, true) => ahead.send(Event::Opened),
                (true, false) => ahead.send(Event::Closed {
                    after_checkout: beyond_cart.swap(false, Relaxed),
                }),
                _ => {}
            }
        });
        ahead
    }

    /// The shopper may open the cart soon (a pointer over or focus on the cart button).
    pub fn intent(self) {
        self.send(Event::Intent);
    }

    fn send(self, event: Event) {
        let (stage, command) = self.state.with_value(|s| s.stage).next(event);
        self.state.update_value(|s| s.stage = stage);
        let built = stage.built();
        if built == Some(Part::Money) {
            // The shop's first money formatter (locale data): a part, and a task, of its own.
            self.shop.format_minor(0);
        }
        let set = |flag: RwSignal<bool>, on: bool| {
            if flag.get_untracked() != on {
                flag.set(on);
            }
        };
        set(self.lines, built >= Some(Part::Lines));
        set(self.totals, built >= Some(Part::Totals));
        let platform = self.shop.env.platform;
        let next_part =
            move || (platform.yield_to_page)(Box::new(move || self.send(Event::Yielded)));
        let ask_idle = move || {
            (platform.when_idle)(Box::new(move || {
                let lines = self.shop.cart.with_untracked(|c| c.lines().len());
                self.send(Event::idle(lines));
            }))
        };
        match command {
            Command::Nothing => set(self.frame, built.is_some()),
            Command::AskIdle => {
                set(self.frame, built.is_some());
                ask_idle();
            }
            Command::Yield => {
                set(self.frame, true);
                next_part();
            }
            Command::Pause => {
                self.state
                    .with_value(|s| s.views.as_ref().map(Owner::pause));
                ask_idle();
            }
            Command::Rebuild => {
                // Dropped now; built anew once the drawer's view has run without it.
                self.frame.set(false);
                leptos::task::spawn_local(async move {
                    self.frame.set(true);
                    next_part();
                });
            }
        }
    }
}

/// The backdrop and the dialog showing the shop's panel, with the parts built so far.
fn layer(shop: Shop, ahead: Ahead, dialog: NodeRef<html::Div>) -> impl IntoView {
    let t = shop.text();
    let panel = shop.panel;
    // Until the last part is built (opened before it was), the dialog says it is busy.
    let whole = ahead.totals;
    let on_keydown = listener(move |ev: KeyboardEvent| match ev.key().as_str() {
        "Escape" => {
            ev.prevent_default();
            shop.close();
        }
        "Tab" => keep_focus_inside(&ev, dialog),
        _ => {}
    });
    let closed = move || panel.get() == Panel::Closed;
    // A layer made while the drawer is open (in place of the loader's open frame, or rebuilt
    // while open) is already where the shopper sees it: it slides in again only once closed.
    let still = Memo::new(move |was: Option<&bool>| !closed() && was.is_none_or(|&still| still));
    // The closed drawer shows the cart's views: opening the cart keeps them as they are.
    let shown = Memo::new(move |_| match panel.get() {
        Panel::Closed => Panel::Cart,
        other => other,
    });
    // The cart and the checkout live side by side, one of them shown: the checkout is built
    // once the whole open cart has had an idle moment, so "Checkout" (and "Back to cart") only
    // shows it.
    let group = Memo::new(move |_| match shown.get() {
        Panel::Checkout => Panel::Cart,
        other => other,
    });
    let checkout_ahead = RwSignal::new(false);
    effect(move || {
        if panel.get() == Panel::Cart && whole.get() && !checkout_ahead.get_untracked() {
            (shop.env.platform.when_idle)(Box::new(move || {
                let cart_open = panel.get_untracked() == Panel::Cart;
                if cart_open && !shop.cart.with_untracked(|c| c.is_empty()) {
                    checkout_ahead.set(true);
                }
            }));
        }
    });
    view! {
        <div
            class="kago-layer"
            class:kago-closed={closed}
            class:kago-still=move || still.get()
            {attr("aria-hidden", move || closed().then_some("true"))}
            inert=closed
            on:wheel=listener(page_stays)
        >
            <div class="kago-backdrop" {attr("part", "backdrop")} on:click=tap(move || shop.close())></div>
            <div
                class="kago-drawer"
                {attr("part", "drawer")}
                // The confirmation keeps the checkout's width: the drawer never shrinks under
                // the pointer, so the second click of a double click on "Place order" cannot
                // land on the backdrop and close the confirmation.
                class:kago-wide=move || {
                    shop.wide.get() && matches!(panel.get(), Panel::Checkout | Panel::Confirmation)
                }
                role="dialog"
                {attr("aria-modal", "true")}
                {attr("aria-busy", move || (!whole.get()).then_some("true"))}
                aria-label=move || match panel.get() {
                    Panel::Cart | Panel::Closed => t.cart_dialog,
                    _ => t.checkout_heading,
                }
                node_ref=dialog
                on:keydown=on_keydown
            >
                <div class="kago-header" {attr("part", "header")}>
                    <h2 class="kago-title" {attr("part", "title")} {attr("tabindex", "-1")} id=TITLE>
                        {move || match panel.get() {
                            Panel::Checkout | Panel::ExitQuestion => t.checkout_heading,
                            Panel::Confirmation => t.confirmation_heading,
                            _ => t.cart_heading,
                        }}
                    </h2>
                    <button
                        type="button"
                        class="kago-close"
                        {attr("part", "close-button")}
                        aria-label=t.close
                        on:click=tap(move || shop.close())
                    >
                        <svg class="kago-icon" viewBox="0 0 24 24" focusable="false" {attr("aria-hidden", "true")}>
                            <path {attr("d", "M6 6l12 12M18 6L6 18")} />
                        </svg>
                    </button>
                </div>
                {move || match group.get() {
                    Panel::Confirmation => confirmation(shop).into_any(),
                    Panel::ExitQuestion => exit_question(shop).into_any(),
                    _ => {
                        view! {
                            <div class="kago-part kago-panel" hidden=move || shown.get() != Panel::Cart>
                                {cart_panel(shop, ahead)}
                            </div>
                            {part(
                                "kago-part kago-panel",
                                move || shown.get() == Panel::Checkout,
                                move || checkout_ahead.get(),
                                move || checkout_panel(shop),
                            )}
                        }
                        .into_any()
                    }
                }}
            </div>
        </div>
    }
}

/// The host page's focused element, unless it is the widget's own host.
fn page_focus() -> Option<HtmlElement> {
    web_sys::window()?
        .document()?
        .active_element()
        .filter(|el| el.local_name() != kago_core::HOST_TAG)?
        .dyn_into()
        .ok()
}

fn find(dialog: NodeRef<html::Div>, selector: &str) -> Option<HtmlElement> {
    dialog
        .get_untracked()?
        .query_selector(selector)
        .ok()??
        .dyn_into()
        .ok()
}

/// A wheel over the backdrop, the header or the footer would scroll the host page under the
/// modal (wide screens): only the dialog's scrolling body scrolls, and `overscroll-behavior`
/// (kago.css) keeps it from scrolling the page on at its ends.
fn page_stays(ev: web_sys::WheelEvent) {
    let in_body = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest(".kago-body").ok().flatten())
        .is_some();
    if !in_body {
        ev.prevent_default();
    }
}

/// Wraps Tab and Shift+Tab around the dialog's first and last controls.
fn keep_focus_inside(ev: &KeyboardEvent, dialog: NodeRef<html::Div>) {
    let Some(dialog) = dialog.get_untracked() else {
        return;
    };
    let Ok(nodes) = dialog.query_selector_all(FOCUSABLE) else {
        return;
    };
    // Not those of a part built ahead and hidden (`.kago-part[hidden]`).
    let items: Vec<HtmlElement> = (0..nodes.length())
        .filter_map(|i| nodes.item(i)?.dyn_into::<HtmlElement>().ok())
        .filter(|el| el.closest("[hidden]").ok().flatten().is_none())
        .collect();
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        return;
    };
    let active = dialog
        .get_root_node()
        .dyn_into::<ShadowRoot>()
        .ok()
        .and_then(|root| crate::ui::focus::focused_in(&root));
    let at = |el: &HtmlElement| active.as_ref().is_some_and(|a| a == el);
    let inside = items.iter().any(at);
    if ev.shift_key() && (at(first) || !inside) {
        ev.prevent_default();
        let _ = last.focus();
    } else if !ev.shift_key() && (at(last) || !inside) {
        ev.prevent_default();
        let _ = first.focus();
    }
}

/// The cart's panel, built in parts (`ui::build_ahead`): the outline with the empty-cart message
/// first, then the rows, then the summary and what follows it.
fn cart_panel(shop: Shop, ahead: Ahead) -> impl IntoView {
    let t = shop.text();
    let is_empty = move || shop.cart.with(|c| c.is_empty());
    let list = NodeRef::<html::Ul>::new();
    cart_rows(shop, list, ahead.lines);
    let totals = ahead.totals;
    // Opened before its last part was built (a tap while the widget loaded, or right after a
    // change), the panel says it is loading, as the loader's frame does, and shows the rows and
    // the footer together once they are all built: a footer filling in under the shopper's eyes
    // was a layout shift the host page is charged with (~0.09 when it came over 0.5 s after the
    // tap: host-pages.spec.ts, "nothing moves").
    let building = move || !totals.get();
    view! {
        <div class="kago-body" {attr("part", "body")}>
            <p class="kago-notice" hidden=move || !building() || is_empty()>{t.loading_cart}</p>
            // Both built once; the cart being empty or not only shows one or the other. Hidden
            // rather than unmounted (here, the cart's total below, the summary's rows, the
            // wallet block): together 2.9 KB gzip less wasm than a `<Show>` each (re-measured
            // 2026-12-04; BENCHMARKS.md, "Size machinery, re-measured").
            <div class="kago-empty" hidden=move || !is_empty()>
                <p>{t.empty}</p>
                <button type="button" class="kago-secondary" on:click=tap(move || shop.close())>
                    {t.continue_shopping}
                </button>
            </div>
            <ul class="kago-lines" aria-label=t.items_list hidden=move || is_empty() || building() node_ref=list></ul>
        </div>
        <div class="kago-footer" {attr("part", "footer")} hidden=building>
            {move || totals.get().then(|| view! {
                // Built once and hidden while the cart is empty (its parts lay out as the
                // footer's own), not a `<Show>`: see the empty-cart message above.
                <div class="kago-cart-total" hidden=is_empty>
                    {summary(shop)}
                    <button type="button" class="kago-primary" {attr("part", "checkout-button")} on:click=tap(move || shop.start_checkout())>
                        {t.checkout}
                    </button>
                </div>
                {support(shop)}
            })}
        </div>
    }
}

/// A cart line's row as shown: the line as it was when the row was built, a signal of its
/// quantity (the one thing that changes in place, so a stepper tap updates one row), the row's
/// DOM and its reactive owner. (Rows that each read the whole cart all re-ran, and
/// re-subscribed to it, on every change: with 200 lines that was most of a tap.) When anything
/// else about a line changes (the item added again from a page with a new price, name or
/// picture), the line gets a new row.
struct Shown {
    line: Line,
    quantity: ArcRwSignal<u32>,
    // Dropped in this order: the DOM's effects first, then the row's owner (its signals).
    view: Box<dyn Mountable>,
    _owner: Owner,
}

/// Keeps the list's rows in step with the cart, keyed by line: a row is built once and stays,
/// DOM and all, until its line goes or changes. This is Leptos's `<For>` cut down to what a
/// cart needs (one row kind, lines that nearly always keep their order): 4.9 KB gzip less wasm
/// than `<For>` (re-measured 2026-12-04), and a 200-line cart opens faster (253 ms instead of
/// 378 ms at 4× CPU, 2026-12-01); BENCHMARKS.md, "Size machinery, re-measured".
/// Each cart change walks the lines once; with nothing added, removed or moved it only sets
/// the quantities that changed and touches no DOM.
fn cart_rows(shop: Shop, list: NodeRef<html::Ul>, wanted: RwSignal<bool>) {
    let parent = Owner::current().unwrap_or_default();
    let shown = std::cell::RefCell::new(Vec::<Shown>::new());
    effect(move || {
        let Some(ul) = list.get().filter(|_| wanted.get()) else {
            return;
        };
        let mut shown = shown.borrow_mut();
        // The list's DOM is always `shown` (the rows placed so far) followed by `rest` (the
        // rows not matched yet, in order): a row is moved, or a new one inserted, before the
        // first of `rest`; what is left in `rest` at the end goes.
        let mut rest = std::collections::VecDeque::from(std::mem::take(&mut *shown));
        shop.cart.with(|cart| {
            for line in cart.lines() {
                let found = rest
                    .iter()
                    .position(|r| r.line.id == line.id)
                    .filter(|&at| rest[at].line.same_but_quantity(line));
                let mut row = match found.and_then(|at| rest.remove(at).map(|r| (at, r))) {
                    Some((at, row)) => {
                        if row.quantity.get_untracked() != line.quantity {
                            row.quantity.set(line.quantity);
                        }
                        if at == 0 {
                            shown.push(row);
                            continue;
                        }
                        row
                    }
                    None => {
                        let owner = parent.child();
                        let quantity = ArcRwSignal::new(line.quantity);
                        let view = owner.with(|| {
                            untrack(|| {
                                line_row(shop, line.clone(), quantity.clone())
                                    .into_view()
                                    .build()
                            })
                        });
                        Shown {
                            line: line.clone(),
                            quantity,
                            view: Box::new(view),
                            _owner: owner,
                        }
                    }
                };
                match rest.front() {
                    Some(next) => next
                        .view
                        .insert_before_this_or_marker(&ul, &mut *row.view, None),
                    None => row.view.mount(&ul, None),
                }
                shown.push(row);
            }
        });
        // Lines gone (or changed: they have a new row): out of the DOM, effects and signals gone.
        for mut gone in rest {
            gone.view.unmount();
        }
    });
}

/// Only the quantity, the stepper's limits and the line's total are reactive; the rest of the
/// row is written once.
fn line_row(shop: Shop, line: Line, quantity: ArcRwSignal<u32>) -> impl IntoView {
    let t = shop.text();
    let quantity = RwSignal::from(quantity).read_only();
    let label = line.label();
    let Line {
        id,
        name,
        variant,
        image,
        unit_price,
        ..
    } = line.clone();
    let item = |text: &str| fill(text, &[("item", &label)]);
    let max = shop.cart.with_untracked(|c| c.max_quantity());
    let unit_price = fill(t.unit_price, &[("price", &shop.format_minor(unit_price))]);
    let total = move || shop.format_minor(line.total_at(quantity.get()));
    view! {
        <li class="kago-line">
            {image.map(|src| view! { <img class="kago-thumb" {attr("src", src)} {attr("alt", "")} {attr("width", "56")} {attr("height", "56")} {attr("loading", "lazy")} /> })}
            <div class="kago-line-text">
                <p class="kago-name">{name}</p>
                {variant.map(|v| view! { <p class="kago-variant">{v}</p> })}
                <p class="kago-unit">{unit_price}</p>
            </div>
            <div class="kago-line-controls">
                <div class="kago-stepper">
                    <button
                        type="button"
                        aria-label=item(t.decrease)
                        {attr("aria-disabled", move || (quantity.get() <= 1).then_some("true"))}
                        on:click=tap(move || shop.set_quantity(id, quantity.get_untracked().saturating_sub(1).max(1)))
                    >
                        "−"
                    </button>
                    // A named `output` (a plain span may not carry a name); silent, as the live
                    // region already says "Quantity of …: 3" after a tap.
                    <output class="kago-qty" aria-label=item(t.quantity_of) {attr("aria-live", "off")}>
                        {move || quantity.get().to_string()}
                    </output>
                    <button
                        type="button"
                        aria-label=item(t.increase)
                        {attr("aria-disabled", move || (quantity.get() >= max).then_some("true"))}
                        on:click=tap(move || shop.set_quantity(id, quantity.get_untracked() + 1))
                    >
                        "+"
                    </button>
                </div>
                <p class="kago-line-total">{total}</p>
                <button
                    type="button"
                    class="kago-remove"
                    aria-label=item(t.remove)
                    on:click=tap(move || {
                        shop.remove(id);
                        focus_if_lost(TITLE);
                    })
                >
                    <svg class="kago-icon" viewBox="0 0 24 24" focusable="false" {attr("aria-hidden", "true")}>
                        <path {attr("d", "M5 7h14M10 7V4h4v3M7 7l1 13h8l1-13")} />
                    </svg>
                </button>
            </div>
        </li>
    }
}
