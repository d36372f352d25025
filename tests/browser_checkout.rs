//! The checkout components in headless Chromium: one page on wide screens, three steps on
//! phones, over the same draft; and what is built ahead while the page is idle. The Shop runs on a fake
//! platform (no network, no storage; idle work runs when the test says).

#![cfg(target_arch = "wasm32")]

use kago_checkout::internal::browser::mount::mount_host;
use kago_checkout::internal::browser::url::PageUrls;
use kago_checkout::internal::ui::{App, Panel, Platform, Shop};
use kago_core::cart::{Cart, Item, DEFAULT_MAX_QUANTITY};
use kago_core::checkout::Field;
use kago_core::config::{parse_config, Config};
use kago_core::currency::Currency;
use kago_core::endpoint::HttpAnswer;
use kago_core::events::EventKind;
use kago_core::i18n::Locale;
use kago_core::persist::{decode_cart, encode_cart};
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlInputElement, ShadowRoot};

wasm_bindgen_test_configure!(run_in_browser);

type Job = Box<dyn FnOnce()>;

thread_local! {
    static IDLE: RefCell<Vec<Job>> = RefCell::new(Vec::new());
    static EMITTED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    static POSTS: Cell<u32> = const { Cell::new(0) };
    /// While set, work given to `yield_to_page` waits until the test runs `run_yields` (else it
    /// runs in a microtask).
    static HOLD_YIELDS: Cell<bool> = const { Cell::new(false) };
    static YIELDS: RefCell<Vec<Job>> = RefCell::new(Vec::new());
    /// The postal files fetched (their URLs), in order.
    static POSTAL_FETCHES: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// The postal file the fake platform serves for any `…/150.json` (404: an empty file otherwise).
const POSTAL_150: &str =
    r#"{"1500001":[["東京都","渋谷区","神宮前"]],"1500002":[["東京都","渋谷区","渋谷"]]}"#;

fn emitted() -> Vec<String> {
    EMITTED.with(|e| e.borrow().clone())
}

fn fake_platform() -> Platform {
    Platform {
        format_money: |m, _| format!("{}", m.minor),
        emit: |kind, _, _| {
            let name = kind.event_type().name();
            let name = match kind {
                EventKind::StepViewed { step } | EventKind::StepCompleted { step } => {
                    format!("{name}:{}", step.key())
                }
                _ => name.to_string(),
            };
            EMITTED.with(|e| e.borrow_mut().push(name));
        },
        later: |job| job(),
        when_idle: |job| IDLE.with(|i| i.borrow_mut().push(job)),
        yield_to_page: |job| {
            if HOLD_YIELDS.with(Cell::get) {
                YIELDS.with(|y| y.borrow_mut().push(job));
            } else {
                wasm_bindgen_futures::spawn_local(async move { job() });
            }
        },
        now_ms: || 0,
        read_local: |_| None,
        write_local: |_, _| {},
        new_cart: || {},
        random_key: || "key-1".into(),
        post_json: |_, _, _, _| {
            POSTS.with(|p| p.set(p.get() + 1));
            Box::pin(async {
                HttpAnswer {
                    status: 201,
                    body: r#"{"order_id":"T-1"}"#.into(),
                    retry_after: None,
                }
            })
        },
        sleep_ms: |_| Box::pin(async {}),
        navigate: |_| {},
        wallet_can_pay: |_, _| Box::pin(async { false }),
        wallet_pay: |_| Box::pin(async { None }),
        wallet_complete: |_| {},
        postal_file: |url| {
            POSTAL_FETCHES.with(|f| f.borrow_mut().push(url.clone()));
            Box::pin(async move {
                let json = if url.ends_with("/150.json") {
                    POSTAL_150
                } else {
                    "{}"
                };
                serde_json::from_str(json).ok()
            })
        },
        urls: &PageUrls,
        save_cart: |_, _, _| {},
        order_lock: |work| leptos::task::spawn_local(work(true)),
        order_lock_free: || Box::pin(async {}),
        warn: |_| {},
    }
}

/// The widget's App over `cart` on the fake platform, in a new host with the stylesheet (the
/// host of a test before is removed first, and what it recorded is forgotten). Mounted for the
/// rest of the page's life.
fn mount_app(config: Config, cart: Cart) -> (ShadowRoot, Shop) {
    EMITTED.with(|e| e.borrow_mut().clear());
    POSTS.with(|p| p.set(0));
    POSTAL_FETCHES.with(|f| f.borrow_mut().clear());
    IDLE.with(|i| i.borrow_mut().clear());
    HOLD_YIELDS.with(|h| h.set(false));
    YIELDS.with(|y| y.borrow_mut().clear());
    let document = web_sys::window().unwrap().document().unwrap();
    while let Some(old) = document.query_selector("kago-widget").unwrap() {
        old.remove();
    }
    let root = mount_host(include_str!("../src/ui/kago.css")).unwrap().0;
    let handle: std::rc::Rc<Cell<Option<Shop>>> = Default::default();
    let out = handle.clone();
    leptos::mount::mount_to(root.clone().unchecked_into(), move || {
        let shop = Shop::new(config, Locale::En, cart, None, fake_platform());
        out.set(Some(shop));
        view! { <App shop /> }
    })
    .forget();
    (root, handle.get().expect("shop"))
}

/// A valid US contact and address, typed into the draft.
fn fill_us_address(shop: &Shop) {
    for (field, value) in [
        (Field::Email, "ada@example.com"),
        (Field::Name, "Ada Lovelace"),
        (Field::Line1, "350 Fifth Avenue"),
        (Field::City, "New York"),
        (Field::Region, "NY"),
        (Field::PostalCode, "10001"),
    ] {
        shop.set_value(field, value.into());
    }
}

/// Every element of the widget matching `selector`, in document order.
fn all(root: &ShadowRoot, selector: &str) -> Vec<web_sys::Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().dyn_into().unwrap())
        .collect()
}

/// The `i`th step of the phone checkout (built ones only, shown or hidden).
fn nth_step(root: &ShadowRoot, i: usize) -> web_sys::Element {
    all(root, ".kago-step").swap_remove(i)
}

/// Runs the idle work queued so far (not what it queues).
fn run_idle() {
    let jobs = IDLE.with(|i| std::mem::take(&mut *i.borrow_mut()));
    for job in jobs {
        job();
    }
}

/// Lets the steps waiting for the page's turn go on (those they queue wait for the next call).
fn run_yields() {
    let waiting = YIELDS.with(|y| std::mem::take(&mut *y.borrow_mut()));
    for job in waiting {
        job();
    }
}

/// A pointer over the cart button: the shopper may open the cart soon.
fn show_intent(root: &ShadowRoot) {
    let button = root.query_selector(".kago-cart-button").unwrap().unwrap();
    button
        .dispatch_event(&web_sys::Event::new("pointerover").unwrap())
        .unwrap();
}

async fn settle() {
    gloo_timers::future::TimeoutFuture::new(30).await;
}

fn count(root: &ShadowRoot, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
}

fn text(root: &ShadowRoot, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("{selector} is shown"))
        .text_content()
        .unwrap_or_default()
}

fn input(root: &ShadowRoot, field: Field) -> HtmlInputElement {
    root.get_element_by_id(&format!("kago-field-{}", field.key()))
        .unwrap_or_else(|| panic!("{} input", field.key()))
        .dyn_into()
        .unwrap()
}

#[wasm_bindgen_test]
async fn one_page_when_wide_steps_when_narrow_same_draft_and_one_order() {
    let attributes = [
        ("data-currency", "USD"),
        ("data-locale", "en"),
        ("data-order-endpoint", "/api/orders"),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()));
    let (config, warnings) = parse_config(&attributes, None, &PageUrls);
    assert!(warnings.is_empty(), "{warnings:?}");
    let mut cart = Cart::new(DEFAULT_MAX_QUANTITY);
    cart.add_line(
        Item {
            sku: "TEE".into(),
            variant: Some("M".into()),
            name: "Tee".into(),
            unit_price: 2400,
            image: None,
        },
        2,
    )
    .unwrap();

    let (root, shop) = mount_app(config, cart);

    shop.wide.set(true);
    shop.start_checkout();
    settle().await;
    assert_eq!(shop.panel.get_untracked(), Panel::Checkout);
    assert_eq!(count(&root, ".kago-drawer.kago-wide .kago-one-page"), 1);
    assert_eq!(
        count(&root, ".kago-steps"),
        0,
        "no step indicator on one page"
    );
    assert_eq!(
        count(&root, "h3.kago-step-title"),
        3,
        "contact, delivery, review"
    );
    assert_eq!(count(&root, ".kago-place"), 1, "one Place order");
    assert_eq!(count(&root, "input[name=kago-shipping]"), 1);
    assert_eq!(count(&root, ".kago-review-line"), 1);
    assert!(
        text(&root, ".kago-total").contains("4800"),
        "{}",
        text(&root, ".kago-total")
    );

    // Place order with a wrong e-mail: the field says so and nothing is sent.
    shop.set_value(Field::Email, "ada@example".into());
    shop.place_order();
    settle().await;
    assert_eq!(
        input(&root, Field::Email)
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );
    assert_eq!(POSTS.with(Cell::get), 0);
    assert!(!emitted().iter().any(|e| e.starts_with("step_completed")));

    // Narrow: the steps, with what was typed.
    shop.wide.set(false);
    settle().await;
    assert_eq!(count(&root, ".kago-one-page"), 0);
    assert_eq!(count(&root, ".kago-drawer.kago-wide"), 0);
    assert_eq!(text(&root, ".kago-steps").trim(), "Step 1 of 3");
    assert_eq!(input(&root, Field::Email).value(), "ada@example");

    // Wide again, everything filled in: one order, contact and delivery completed once each.
    shop.wide.set(true);
    settle().await;
    fill_us_address(&shop);
    shop.place_order();
    shop.place_order();
    settle().await;
    assert_eq!(POSTS.with(Cell::get), 1, "a double tap sends once");
    assert_eq!(shop.panel.get_untracked(), Panel::Confirmation);
    assert_eq!(
        count(&root, ".kago-drawer.kago-wide"),
        1,
        "the confirmation keeps the width: a double click's second click stays in the dialog"
    );
    let steps: Vec<String> = emitted()
        .into_iter()
        .filter(|e| e.starts_with("step_"))
        .collect();
    assert_eq!(
        steps,
        [
            "step_viewed:contact",
            "step_completed:contact",
            "step_completed:delivery"
        ]
    );
}

fn tee() -> Item {
    Item {
        sku: "TEE".into(),
        variant: Some("M".into()),
        name: "Tee".into(),
        unit_price: 2400,
        image: None,
    }
}

/// A shop with only `data-currency="USD"` set.
fn usd_shop() -> Config {
    parse_config(&[("data-currency".into(), "USD".into())], None, &PageUrls).0
}

/// A cart of `count` tees, one of each: `SKU-0`/`Tee 0`, `SKU-1`/`Tee 1`, …
fn tees(count: usize) -> Cart {
    let mut cart = Cart::new(DEFAULT_MAX_QUANTITY);
    for n in 0..count {
        let mut item = tee();
        item.sku = format!("SKU-{n}");
        item.name = format!("Tee {n}");
        cart.add_line(item, 1).unwrap();
    }
    cart
}

fn style(el: &web_sys::Element, property: &str) -> String {
    web_sys::window()
        .unwrap()
        .get_computed_style(el)
        .unwrap()
        .unwrap()
        .get_property_value(property)
        .unwrap()
}

fn layer(root: &ShadowRoot) -> Option<web_sys::Element> {
    root.query_selector(".kago-layer").unwrap()
}

#[wasm_bindgen_test]
async fn the_closed_drawer_is_built_ahead_after_intent_when_idle_and_shown_as_it_is() {
    let config = usd_shop();
    let (root, shop) = mount_app(config, Cart::new(DEFAULT_MAX_QUANTITY));
    let emitted_before = emitted().len();
    settle().await;
    run_idle();
    settle().await;
    assert!(
        layer(&root).is_none(),
        "nothing before the shopper shows intent"
    );
    show_intent(&root);
    settle().await;
    assert!(layer(&root).is_none(), "nothing before the page is idle");

    run_idle();
    settle().await;
    let closed = layer(&root).expect("built when idle");
    assert!(closed.class_list().contains("kago-closed"));
    assert_eq!(closed.get_attribute("aria-hidden").as_deref(), Some("true"));
    assert!(
        closed.has_attribute("inert"),
        "nothing in it takes focus or taps"
    );
    assert_eq!(style(&closed, "visibility"), "hidden");
    assert_eq!(
        style(&closed, "pointer-events"),
        "none",
        "taps reach the page"
    );
    assert_eq!(
        shop.panel.get_untracked(),
        Panel::Closed,
        "the cart stays closed"
    );
    assert_eq!(
        emitted().len(),
        emitted_before,
        "no event: nobody viewed anything"
    );

    // A change to the cart pauses that build (it is not updated), the next idle moment drops
    // it and the one after builds it again.
    shop.cart.update(|c| {
        c.add_line(tee(), 1).unwrap();
    });
    settle().await;
    assert_eq!(
        count(&root, ".kago-closed .kago-line"),
        0,
        "paused, not updated"
    );
    run_idle();
    settle().await;
    assert!(layer(&root).is_none(), "dropped when idle");
    run_idle();
    settle().await;
    let built = layer(&root).expect("built again when idle");
    assert_eq!(
        count(&root, ".kago-closed .kago-line"),
        1,
        "with the new line"
    );

    // Opening shows that very build.
    shop.open(Panel::Cart);
    settle().await;
    let open = layer(&root).expect("open");
    assert!(open.is_same_node(Some(&built)), "not built again");
    assert!(!open.class_list().contains("kago-closed"));
    assert!(!open.has_attribute("inert") && !open.has_attribute("aria-hidden"));
    assert_eq!(style(&open, "visibility"), "visible");
    assert_eq!(count(&root, "[role=dialog] .kago-line"), 1);

    // Closed after the checkout, the drawer goes (its checkout views are not kept) and the
    // cart's views are built ahead again.
    shop.start_checkout();
    settle().await;
    shop.panel.set(Panel::Closed);
    settle().await;
    assert!(layer(&root).is_none());
    run_idle();
    settle().await;
    assert_eq!(count(&root, ".kago-layer.kago-closed .kago-line"), 1);
    run_idle();
    settle().await;
    assert_eq!(count(&root, ".kago-layer"), 1, "built once");
}

#[wasm_bindgen_test]
async fn a_script_adding_and_opening_in_one_moment_sees_the_new_cart() {
    let config = usd_shop();
    let (root, shop) = mount_app(config, Cart::new(DEFAULT_MAX_QUANTITY));
    settle().await;
    show_intent(&root);
    run_idle();
    settle().await;
    assert_eq!(count(&root, ".kago-layer.kago-closed"), 1, "built ahead");

    // `Kago.addItem(…); Kago.open()`: the views built ahead were paused by the change.
    shop.cart.update(|c| {
        c.add_line(tee(), 1).unwrap();
    });
    shop.open(Panel::Cart);
    settle().await;
    let open = layer(&root).expect("the drawer is open");
    assert!(!open.class_list().contains("kago-closed"));
    assert_eq!(
        count(&root, "[role=dialog] .kago-line"),
        1,
        "with the new line"
    );
    assert_eq!(style(&open, "visibility"), "visible");
}

#[wasm_bindgen_test]
async fn the_open_cart_builds_the_checkout_ahead_and_checkout_only_shows_it() {
    let (config, _) = parse_config(
        &[
            ("data-currency".into(), "USD".into()),
            ("data-order-endpoint".into(), "/api/orders".into()),
        ],
        None,
        &PageUrls,
    );
    let mut cart = Cart::new(DEFAULT_MAX_QUANTITY);
    cart.add_line(tee(), 1).unwrap();
    let (root, shop) = mount_app(config, cart);
    shop.open(Panel::Cart);
    settle().await;
    let panels = |root: &ShadowRoot| all(root, "[role=dialog] .kago-panel");
    assert_eq!(
        panels(&root).len(),
        1,
        "the cart alone until the page is idle"
    );
    run_idle();
    settle().await;
    let built = panels(&root);
    assert_eq!(built.len(), 2, "the checkout is built ahead");
    let checkout = built[1].clone();
    assert!(checkout.has_attribute("hidden"));
    assert_eq!(style(&checkout, "visibility"), "hidden");
    assert!(checkout.query_selector("form.kago-form").unwrap().is_some());
    assert_eq!(style(&built[0], "visibility"), "visible", "the cart shows");

    shop.start_checkout();
    settle().await;
    let now = panels(&root);
    assert!(
        now[1].is_same_node(Some(&checkout)),
        "Checkout shows the built views"
    );
    assert!(!checkout.has_attribute("hidden"));
    assert!(now[0].has_attribute("hidden"), "the cart is kept, hidden");
    assert_eq!(text(&root, "[role=dialog] .kago-title"), "Checkout");
    shop.back();
    settle().await;
    let back = panels(&root);
    assert!(
        back[0].is_same_node(Some(&built[0])),
        "back to the same cart views"
    );
    assert!(back[1].has_attribute("hidden"));
}

#[wasm_bindgen_test]
async fn a_quantity_change_updates_its_own_row_and_keeps_every_row() {
    let config = usd_shop();
    let cart = tees(3);
    let (root, shop) = mount_app(config, cart);
    shop.open(Panel::Cart);
    settle().await;
    let rows = || all(&root, "[role=dialog] .kago-line");
    let cells = |selector: &str| -> Vec<String> {
        rows()
            .iter()
            .map(|r| {
                r.query_selector(selector)
                    .unwrap()
                    .unwrap()
                    .text_content()
                    .unwrap()
            })
            .collect()
    };
    let before = rows();
    assert_eq!(before.len(), 3);
    let plus = before[1]
        .query_selector("[aria-label='Increase quantity of Tee 1 (M)']")
        .unwrap()
        .expect("the second row's + button");

    let id = shop.cart.with_untracked(|c| c.lines()[1].id);
    shop.set_quantity(id, 3);
    settle().await;
    assert_eq!(cells(".kago-qty"), ["1", "3", "1"]);
    // (The test platform formats money as minor units.)
    assert_eq!(cells(".kago-line-total"), ["2400", "7200", "2400"]);
    let after = rows();
    assert!(
        before
            .iter()
            .zip(&after)
            .all(|(b, a)| b.is_same_node(Some(a))),
        "no row is rebuilt"
    );
    assert!(
        after[1].contains(Some(&plus)),
        "the tapped + button stays (and keeps focus)"
    );

    // A removed line's row goes; a new line gets a row at the end; the others stay.
    let first = shop.cart.with_untracked(|c| c.lines()[0].id);
    shop.remove(first);
    shop.cart.update(|c| {
        c.add_line(tee(), 2).unwrap();
    });
    settle().await;
    assert_eq!(cells(".kago-name"), ["Tee 1", "Tee 2", "Tee"]);
    assert_eq!(cells(".kago-qty"), ["3", "1", "2"]);
    assert!(rows()[0].is_same_node(Some(&after[1])));

    // The item added again from a page with a new price: its row shows the new price (the
    // row is built anew); the other rows stay.
    let kept = rows();
    shop.cart.update(|c| {
        c.add_line(
            Item {
                unit_price: 2000,
                ..tee()
            },
            1,
        )
        .unwrap();
    });
    settle().await;
    assert_eq!(cells(".kago-qty"), ["3", "1", "3"]);
    assert_eq!(cells(".kago-unit")[2], "2000 each");
    assert_eq!(cells(".kago-line-total")[2], "6000");
    let now = rows();
    assert!(now[0].is_same_node(Some(&kept[0])) && now[1].is_same_node(Some(&kept[1])));
    assert!(!now[2].is_same_node(Some(&kept[2])));

    // Another tab's cart, its lines in the opposite order and the middle one renamed: the
    // rows follow its order, each kept row moved (the same node), the renamed line's row new.
    let mut stored: serde_json::Value =
        serde_json::from_str(&encode_cart(&shop.cart.get_untracked(), Currency::USD)).unwrap();
    let lines = stored["lines"].as_array_mut().expect("lines");
    lines.reverse();
    lines[1]["name"] = "Tee 2, organic".into();
    let other_tab = decode_cart(
        &stored.to_string(),
        Currency::USD,
        DEFAULT_MAX_QUANTITY,
        &PageUrls,
    )
    .unwrap()
    .cart;
    shop.cart.set(other_tab);
    settle().await;
    assert_eq!(cells(".kago-name"), ["Tee", "Tee 2, organic", "Tee 1"]);
    assert_eq!(cells(".kago-qty"), ["3", "1", "3"]);
    let reordered = rows();
    assert!(reordered[0].is_same_node(Some(&now[2])) && reordered[2].is_same_node(Some(&now[0])));
    assert!(!reordered[1].is_same_node(Some(&now[1])));
    assert_eq!(
        count(&root, "[role=dialog] .kago-lines > *"),
        3,
        "no stale row is left"
    );
}

#[wasm_bindgen_test]
async fn a_long_cart_is_built_when_opened_not_ahead() {
    let config = usd_shop();
    let cart = tees(21);
    let (root, shop) = mount_app(config, cart);
    settle().await;
    show_intent(&root);
    run_idle();
    settle().await;
    assert!(layer(&root).is_none(), "21 lines: not built ahead");
    shop.open(Panel::Cart);
    settle().await;
    assert_eq!(count(&root, "[role=dialog] .kago-line"), 21);
}

#[wasm_bindgen_test]
async fn the_drawer_is_built_a_part_per_task_and_opening_early_shows_its_frame_at_once() {
    let mut cart = Cart::new(DEFAULT_MAX_QUANTITY);
    cart.add_line(tee(), 1).unwrap();
    let (root, shop) = mount_app(usd_shop(), cart);
    HOLD_YIELDS.with(|h| h.set(true));
    settle().await;
    show_intent(&root);
    run_idle();
    settle().await;
    // The frame, then (the money formatter, then) the rows, then the totals: one a task.
    assert_eq!(
        count(&root, ".kago-layer.kago-closed .kago-close"),
        1,
        "the frame"
    );
    assert_eq!(count(&root, ".kago-line"), 0);
    run_yields();
    settle().await;
    assert_eq!(count(&root, ".kago-line"), 0, "the formatter's task");
    run_yields();
    settle().await;
    assert_eq!(count(&root, ".kago-line"), 1, "the rows");
    assert_eq!(count(&root, ".kago-summary"), 0);
    run_yields();
    settle().await;
    assert_eq!(
        count(&root, ".kago-layer.kago-closed .kago-summary"),
        1,
        "the totals"
    );
    assert_eq!(
        layer(&root)
            .unwrap()
            .query_selector("[role=dialog]")
            .unwrap()
            .unwrap()
            .get_attribute("aria-busy"),
        None
    );

    // A change while closed, then opened before anything is built again: the frame shows at
    // once, busy, and the rest follows a task at a time.
    let mut mug = tee();
    mug.sku = "MUG".into();
    shop.cart.update(|c| {
        c.add_line(mug, 1).unwrap();
    });
    shop.open(Panel::Cart);
    settle().await;
    let open = layer(&root).expect("the frame at once");
    assert!(!open.class_list().contains("kago-closed"));
    let dialog = open.query_selector("[role=dialog]").unwrap().unwrap();
    assert_eq!(dialog.get_attribute("aria-busy").as_deref(), Some("true"));
    assert_eq!(count(&root, "[role=dialog] .kago-line"), 0, "built anew");
    for _ in 0..3 {
        run_yields();
        settle().await;
    }
    assert_eq!(
        count(&root, "[role=dialog] .kago-line"),
        2,
        "with the new line"
    );
    assert_eq!(count(&root, "[role=dialog] .kago-summary"), 1);
    assert_eq!(dialog.get_attribute("aria-busy"), None);
    assert!(
        layer(&root).unwrap().is_same_node(Some(&open)),
        "the same frame, filled in"
    );
}

/// What the open cart's summary shows: each shown row's label, or the note's text.
fn shown_summary(root: &ShadowRoot) -> Vec<String> {
    all(root, ".kago-summary > *")
        .into_iter()
        .filter(|el| style(el, "display") != "none")
        .map(|el| match el.query_selector("dt").unwrap() {
            Some(dt) => dt.text_content().unwrap_or_default(),
            None => el.text_content().unwrap_or_default(),
        })
        .collect()
}

#[wasm_bindgen_test]
async fn summary_rows_that_do_not_apply_are_not_shown() {
    for (included, expected) in [
        ("false", vec!["Subtotal", "Shipping", "Tax", "Total"]),
        (
            "true",
            // 24.00 with 10 % included: 24.00 × 10/110 = 2.18 (the fake platform prints minor units).
            vec!["Subtotal", "Shipping", "Total", "incl. 218 tax"],
        ),
    ] {
        let attributes = [
            ("data-currency", "USD"),
            ("data-tax-rate", "10"),
            ("data-tax-included", included),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()));
        let (config, _) = parse_config(&attributes, None, &PageUrls);
        let mut cart = Cart::new(DEFAULT_MAX_QUANTITY);
        cart.add_line(tee(), 1).unwrap();
        let (root, shop) = mount_app(config, cart);
        shop.open(Panel::Cart);
        settle().await;
        assert_eq!(count(&root, ".kago-summary"), 1, "only the cart's summary");
        assert_eq!(
            shown_summary(&root),
            expected,
            "no discount row without a discount; tax included: {included}"
        );
    }
}

#[wasm_bindgen_test]
async fn an_empty_cart_shows_its_message_and_no_totals_then_its_line_and_totals() {
    let config = usd_shop();
    let (root, shop) = mount_app(config, Cart::new(DEFAULT_MAX_QUANTITY));
    shop.open(Panel::Cart);
    settle().await;
    let totals = root.query_selector(".kago-cart-total").unwrap().unwrap();
    assert_eq!(
        style(&totals, "display"),
        "none",
        "empty: no summary, no Checkout"
    );
    let shown = |selector: &str| {
        style(&root.query_selector(selector).unwrap().unwrap(), "display") != "none"
    };
    assert!(shown(".kago-empty") && !shown(".kago-lines"));
    shop.cart.update(|c| {
        c.add_line(tee(), 1).unwrap();
    });
    settle().await;
    assert_eq!(
        style(&totals, "display"),
        "contents",
        "the same summary and button, shown as the footer's own parts"
    );
    assert!(!shown(".kago-empty") && shown(".kago-lines"));
    assert_eq!(count(&root, ".kago-lines .kago-line"), 1);
    assert_eq!(
        shown_summary(&root),
        ["Subtotal", "Shipping", "Tax", "Total"]
    );
}

#[wasm_bindgen_test]
async fn steps_build_the_next_step_ahead_and_keep_the_steps_built() {
    let attributes = [
        ("data-currency", "USD"),
        ("data-order-endpoint", "/api/orders"),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()));
    let (config, _) = parse_config(&attributes, None, &PageUrls);
    let mut cart = Cart::new(DEFAULT_MAX_QUANTITY);
    cart.add_line(tee(), 1).unwrap();
    let (root, shop) = mount_app(config, cart);
    shop.start_checkout();
    settle().await;
    let steps = |root: &ShadowRoot| -> Vec<(String, bool)> {
        all(root, ".kago-step")
            .into_iter()
            .map(|el| {
                // The step's first shown part (the express wallet block stays hidden here).
                let first = el
                    .query_selector(":scope > :not([hidden])")
                    .unwrap()
                    .map(|c| c.class_name())
                    .unwrap_or_default();
                (first, el.has_attribute("hidden"))
            })
            .collect()
    };
    assert_eq!(steps(&root), [("kago-form".to_string(), false)]);
    run_idle();
    settle().await;
    assert_eq!(
        steps(&root),
        [
            ("kago-form".to_string(), false),
            ("kago-fieldset".to_string(), true)
        ],
        "delivery is built ahead, hidden"
    );
    let delivery = nth_step(&root, 1);
    // Laid out unseen (so showing it reuses that layout): invisible, out of the flow, no height,
    // and so out of the tab order and the accessibility tree.
    let hidden_style =
        |el: &web_sys::Element| ["visibility", "position", "height"].map(|p| style(el, p));
    assert_eq!(hidden_style(&delivery), ["hidden", "absolute", "0px"]);
    assert!(
        delivery.get_bounding_client_rect().width() > 0.0,
        "laid out"
    );

    fill_us_address(&shop);
    shop.continue_step();
    settle().await;
    assert_eq!(text(&root, ".kago-steps").trim(), "Step 2 of 3");
    assert_eq!(
        steps(&root),
        [
            ("kago-form".to_string(), true),
            ("kago-fieldset".to_string(), false)
        ],
        "the contact step is kept, hidden"
    );
    let shown = nth_step(&root, 1);
    assert!(
        shown.is_same_node(Some(&delivery)),
        "the step built ahead is shown"
    );
    assert_eq!(style(&shown, "visibility"), "visible");
    assert_eq!(style(&shown, "position"), "static");
    assert_eq!(
        hidden_style(&nth_step(&root, 0)),
        ["hidden", "absolute", "0px"]
    );

    run_idle();
    settle().await;
    assert_eq!(steps(&root).len(), 3, "review is built ahead");
    shop.back();
    settle().await;
    assert_eq!(text(&root, ".kago-steps").trim(), "Step 1 of 3");
    assert_eq!(input(&root, Field::Email).value(), "ada@example.com");
    assert_eq!(
        steps(&root).iter().filter(|(_, hidden)| !hidden).count(),
        1,
        "one step shows at a time"
    );
}

/// A Japanese shop (JPY, country JP from the currency) with the postal files at a CDN.
fn japanese_shop() -> Config {
    let attributes = [
        ("data-currency", "JPY"),
        ("data-order-endpoint", "/api/orders"),
        ("data-postal-lookup", "https://cdn.example.jp/postal"),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()));
    let (config, warnings) = parse_config(&attributes, None, &PageUrls);
    assert!(warnings.is_empty(), "{warnings:?}");
    config
}

fn select(root: &ShadowRoot, id: &str) -> web_sys::HtmlSelectElement {
    root.get_element_by_id(id)
        .unwrap_or_else(|| panic!("#{id}"))
        .dyn_into()
        .unwrap()
}

/// What a shopper's typing (or autofill) does to a field: its value, then an `input` event.
fn type_into(input: &HtmlInputElement, text: &str) {
    input.set_value(text);
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

fn focused_id(root: &ShadowRoot) -> String {
    root.active_element().map(|e| e.id()).unwrap_or_default()
}

/// Waits (up to about 1.5 s) until `done` holds: focus moves in an animation frame, which a
/// headless browser may run late.
async fn until(done: impl Fn() -> bool) -> bool {
    for _ in 0..50 {
        if done() {
            return true;
        }
        settle().await;
    }
    done()
}

#[wasm_bindgen_test]
async fn a_postal_code_fills_the_prefecture_list_city_and_town_once_per_file() {
    let mut cart = Cart::new(DEFAULT_MAX_QUANTITY);
    cart.add_line(tee(), 1).unwrap();
    let (root, shop) = mount_app(japanese_shop(), cart);
    shop.start_checkout();
    settle().await;

    // 都道府県 is the list of the 47, named in the shopper's language (English here).
    let prefecture = select(&root, "kago-field-region");
    assert_eq!(
        prefecture.get_attribute("autocomplete").as_deref(),
        Some("address-level1")
    );
    assert_eq!(prefecture.length(), 48);
    let option =
        |i: u32| -> web_sys::HtmlOptionElement { prefecture.item(i).unwrap().dyn_into().unwrap() };
    assert_eq!(
        (option(1).text(), option(13).text(), option(13).value()),
        ("Hokkaido".into(), "Tokyo".into(), "Tokyo".into())
    );
    assert_eq!(prefecture.value(), "", "nothing chosen yet");

    // A full-width code typed in the postal code, which has focus: filled, and focus moves on.
    let postal = input(&root, Field::PostalCode);
    postal.focus().unwrap();
    type_into(&postal, "１５０－０００１");
    settle().await;
    assert_eq!(postal.value(), "150-0001", "kept half-width");
    assert_eq!(
        POSTAL_FETCHES.with(|f| f.borrow().clone()),
        ["https://cdn.example.jp/postal/150.json"]
    );
    assert_eq!(prefecture.value(), "Tokyo");
    assert_eq!(input(&root, Field::City).value(), "渋谷区");
    assert_eq!(input(&root, Field::Line1).value(), "神宮前");
    assert_eq!(
        shop.checkout
            .draft
            .with_untracked(|d| d.value(Field::Region).to_string()),
        "東京都"
    );
    assert!(
        until(|| focused_id(&root) == "kago-field-line1").await,
        "on to the 番地, not {}",
        focused_id(&root)
    );

    // The 番地 typed after the town; another code of the same file: no second fetch, the town
    // Kago put there replaced, the 番地 kept; focus elsewhere stays where it is.
    let line1 = input(&root, Field::Line1);
    type_into(&line1, "神宮前1-2-3");
    input(&root, Field::Email).focus().unwrap();
    type_into(&postal, "1500002");
    for _ in 0..5 {
        settle().await;
    }
    assert_eq!(
        POSTAL_FETCHES.with(|f| f.borrow().len()),
        1,
        "one fetch per file"
    );
    assert_eq!(line1.value(), "渋谷1-2-3");
    assert_eq!(focused_id(&root), "kago-field-email", "not pulled away");

    // A code with no file (HTTP 404 is an empty file): a note at the field, not an error.
    type_into(&postal, "0000000");
    settle().await;
    let note = root
        .get_element_by_id("kago-field-postal_code-message")
        .expect("the note");
    assert_eq!(note.class_name(), "kago-hint", "a note, not an error");
    assert!(note
        .text_content()
        .unwrap()
        .contains("could not fill in the address"));
    assert_eq!(
        postal.get_attribute("aria-describedby").as_deref(),
        Some("kago-field-postal_code-message")
    );
    assert_eq!(
        postal.get_attribute("aria-invalid").as_deref(),
        Some("false")
    );
    assert_eq!(line1.value(), "渋谷1-2-3", "nothing changes");
}

#[wasm_bindgen_test]
async fn autofill_picks_the_prefecture_by_its_japanese_or_english_name() {
    let mut cart = Cart::new(DEFAULT_MAX_QUANTITY);
    cart.add_line(tee(), 1).unwrap();
    let (root, shop) = mount_app(japanese_shop(), cart);
    shop.start_checkout();
    settle().await;
    let prefecture = select(&root, "kago-field-region");
    let draft_region = || {
        shop.checkout
            .draft
            .with_untracked(|d| d.value(Field::Region).to_string())
    };

    // A browser filling the list from a profile matches an option's value (the English name)…
    prefecture.set_value("Osaka");
    prefecture
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    settle().await;
    assert_eq!(draft_region(), "大阪府", "kept as Japan Post writes it");
    // …or its text; either way the same option.
    let tokyo = (0..prefecture.length())
        .find(|&i| prefecture.item(i).unwrap().text_content().as_deref() == Some("Tokyo"))
        .unwrap();
    prefecture.set_selected_index(tokyo as i32);
    prefecture
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    settle().await;
    assert_eq!(draft_region(), "東京都");

    // A prefecture reaching the draft written another way (a wallet, an older draft) is shown.
    for written in ["京都", "kyoto", "京都府"] {
        shop.set_value(Field::Region, written.into());
        settle().await;
        assert_eq!(prefecture.value(), "Kyoto", "{written}");
    }
    shop.set_value(Field::Region, "Tokio".into());
    settle().await;
    assert_eq!(prefecture.value(), "", "none of the 47: nothing chosen");
}
