//! `use_kago()`: the widget from a Leptos app's own code. Signals of the cart (count, totals,
//! the whole snapshot) and of the drawer, methods that mirror `window.Kago`, and the funnel's
//! events as [`EventKind`] values.
//!
//! The handle works wherever it is made: until the widget runs its signals hold the empty cart.
//! Its methods called while `<Kago/>` is starting the widget (start-up takes a few short tasks)
//! are queued and applied in order once it runs, as `window.Kago`'s stand-in does (those that
//! return a `bool` return `true` then); called before any `<Kago/>` has started it, they do
//! nothing (they return `false`, and say so in the console). Where the widget never runs (a
//! native build, server-side rendering) they stay so.
//!
//! ```
//! use kago_checkout::{use_kago, KagoItem};
//! use leptos::prelude::*;
//!
//! #[component]
//! fn Header() -> impl IntoView {
//!     let kago = use_kago();
//!     let add = move |_| {
//!         kago.add_item(KagoItem::new("MUG-1", "Stoneware mug", "18.00"));
//!     };
//!     view! {
//!         <button on:click=add>"Add a mug"</button>
//!         <button on:click=move |_| kago.open()>"Cart (" {move || kago.count().get()} ")"</button>
//!     }
//! }
//! ```

use kago_core::cart::{CartSnapshot, LineMeta, VariantMatch};
use kago_core::events::EventKind;
use kago_core::i18n::Locale;
use kago_core::prefill::Prefill;
use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;

/// An item for [`KagoHandle::add_item`]: the fields of `Kago.addItem`, with the same rules
/// (`price` in major units as text, `"18.00"`; `quantity` 1–99, default 1).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KagoItem {
    pub sku: String,
    pub name: String,
    pub price: String,
    pub variant: Option<String>,
    pub quantity: Option<u32>,
    pub image: Option<String>,
    /// Strings carried to the order's item (a gift message): at most 1 KB as JSON.
    pub meta: LineMeta,
}

impl KagoItem {
    pub fn new(sku: impl Into<String>, name: impl Into<String>, price: impl Into<String>) -> Self {
        KagoItem {
            sku: sku.into(),
            name: name.into(),
            price: price.into(),
            ..Default::default()
        }
    }

    pub fn variant(mut self, variant: impl Into<String>) -> Self {
        self.variant = Some(variant.into());
        self
    }

    pub fn quantity(mut self, quantity: u32) -> Self {
        self.quantity = Some(quantity);
        self
    }

    pub fn image(mut self, url: impl Into<String>) -> Self {
        self.image = Some(url.into());
        self
    }

    /// One more meta entry (`("gift_message", "Happy birthday")`).
    pub fn meta(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.meta.insert(key.into(), value.into());
        self
    }
}

/// The running widget, from Rust: copy it freely (it is a few signal ids).
#[derive(Clone, Copy)]
pub struct KagoHandle {
    ready: Memo<bool>,
    cart: Memo<Option<CartSnapshot>>,
    count: Memo<u32>,
    open: Memo<bool>,
}

/// An app's listener of funnel events, by id.
type Listener = (u64, Rc<dyn Fn(&EventKind)>);

thread_local! {
    /// True once a widget runs in this page (`<Kago/>` started it).
    static STARTED: ArcRwSignal<bool> = ArcRwSignal::new(false);
    static LISTENERS: RefCell<Vec<Listener>> = const { RefCell::new(Vec::new()) };
    static NEXT_LISTENER: std::cell::Cell<u64> = const { std::cell::Cell::new(1) };
}

/// Called by the wiring once the widget runs.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn started() {
    STARTED.with(|s| s.set(true));
}

/// Hands a funnel event to the app's listeners ([`KagoHandle::on_event`]), after the frame that
/// shows it, as the page's `kago:*` listeners get it.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn notify(event: &EventKind) {
    let listeners: Vec<_> = LISTENERS.with(|l| l.borrow().iter().map(|(_, f)| f.clone()).collect());
    for listener in listeners {
        listener(event);
    }
}

/// The widget's handle for this component: its memos belong to the calling component.
pub fn use_kago() -> KagoHandle {
    let started = STARTED.with(Clone::clone);
    let ready = Memo::new(move |_| started.get());
    let cart = Memo::new(move |_| bridge::snapshot(ready.get()));
    KagoHandle {
        ready,
        cart,
        count: Memo::new(move |_| cart.with(|c| c.as_ref().map_or(0, |c| c.item_count))),
        open: Memo::new(move |_| ready.get() && bridge::is_open()),
    }
}

/// An app listener of funnel events; [`Subscription::cancel`] stops it (so does the end of the
/// component that made it).
#[derive(Debug)]
pub struct Subscription(u64);

impl Subscription {
    pub fn cancel(&self) {
        let id = self.0;
        LISTENERS.with(|l| l.borrow_mut().retain(|(i, _)| *i != id));
    }
}

impl KagoHandle {
    /// Whether the widget runs (its signals follow the cart from then on).
    pub fn ready(&self) -> Memo<bool> {
        self.ready
    }

    /// Units in the cart (the cart button's number).
    pub fn count(&self) -> Memo<u32> {
        self.count
    }

    /// The cart: lines, totals in minor units and formatted; `None` before the widget runs.
    pub fn cart(&self) -> Memo<Option<CartSnapshot>> {
        self.cart
    }

    /// The total to pay now in minor units and as the shopper reads it (`(5440, "$54.40")`).
    pub fn total(&self) -> Signal<Option<(i64, String)>> {
        let cart = self.cart;
        Signal::derive(move || {
            cart.with(|c| {
                c.as_ref()
                    .map(|c| (c.totals.total, c.formatted.total.clone()))
            })
        })
    }

    /// Whether the drawer is open (the cart, the checkout or its confirmation).
    pub fn is_open(&self) -> Memo<bool> {
        self.open
    }

    /// Adds an item: whether any unit was added. A refused item is reported in the console as
    /// for `Kago.addItem`, and adds nothing.
    pub fn add_item(&self, item: KagoItem) -> bool {
        bridge::add_item(item)
    }

    /// Removes the lines of `sku` that `variant` means: [`VariantMatch::Any`] every variant.
    pub fn remove_item(&self, sku: &str, variant: VariantMatch) -> bool {
        let (sku, variant) = (sku.to_owned(), OwnedVariant::from(variant));
        bridge::act("remove_item", true, false, move |a| {
            a.remove_item(&sku, variant.as_match())
        })
    }

    /// Sets the quantity of the one line of `sku` that `variant` means (0 removes it).
    pub fn set_quantity(&self, sku: &str, variant: VariantMatch, quantity: u32) -> bool {
        let (sku, variant) = (sku.to_owned(), OwnedVariant::from(variant));
        bridge::act("set_quantity", true, false, move |a| {
            a.set_quantity(&sku, variant.as_match(), quantity)
        })
    }

    /// Empties the cart.
    pub fn clear(&self) {
        bridge::act("clear", (), (), |a| a.clear())
    }

    /// Opens the cart.
    pub fn open(&self) {
        bridge::act("open", (), (), |a| a.open())
    }

    pub fn close(&self) {
        bridge::act("close", (), (), |a| a.close())
    }

    pub fn open_checkout(&self) {
        bridge::act("open_checkout", (), (), |a| a.open_checkout())
    }

    /// Applies a discount code from the shop's list; whether it applies now.
    pub fn apply_code(&self, code: &str) -> bool {
        let code = code.to_owned();
        bridge::act("apply_code", true, false, move |a| a.apply_code(&code))
    }

    pub fn remove_code(&self) {
        bridge::act("remove_code", (), (), |a| a.remove_code())
    }

    /// Fills the checkout fields the shopper has not typed in (never sent in an event).
    pub fn prefill(&self, details: &Prefill) {
        let details = details.clone();
        bridge::act("prefill", (), (), move |a| a.prefill(&details))
    }

    /// The widget's language from now on.
    pub fn set_locale(&self, locale: Locale) {
        bridge::act("set_locale", (), (), move |a| a.set_locale(locale))
    }

    /// Funnel events may be stored and sent (`data-consent="required"`).
    pub fn consent(&self, granted: bool) {
        bridge::act("consent", (), (), move |a| a.consent(granted))
    }

    /// Calls `f` with each funnel event (`ItemAdded`, `CheckoutStarted`, …), right after the
    /// frame that shows it. Stops when the calling component goes, or on
    /// [`Subscription::cancel`].
    pub fn on_event(&self, f: impl Fn(&EventKind) + 'static) -> Subscription {
        let id = NEXT_LISTENER.with(|n| n.replace(n.get() + 1));
        LISTENERS.with(|l| l.borrow_mut().push((id, Rc::new(f))));
        if Owner::current().is_some() {
            on_cleanup(move || Subscription(id).cancel());
        }
        Subscription(id)
    }
}

/// What the handle's methods do to the running widget.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
/// A [`VariantMatch`] that owns its text, for a call kept until the widget runs.
enum OwnedVariant {
    Any,
    Exactly(Option<String>),
}

impl From<VariantMatch<'_>> for OwnedVariant {
    fn from(v: VariantMatch<'_>) -> Self {
        match v {
            VariantMatch::Any => OwnedVariant::Any,
            VariantMatch::Exactly(v) => OwnedVariant::Exactly(v.map(str::to_owned)),
        }
    }
}

impl OwnedVariant {
    fn as_match(&self) -> VariantMatch<'_> {
        match self {
            OwnedVariant::Any => VariantMatch::Any,
            OwnedVariant::Exactly(v) => VariantMatch::Exactly(v.as_deref()),
        }
    }
}

trait Actions {
    fn remove_item(&self, sku: &str, variant: VariantMatch) -> bool;
    fn set_quantity(&self, sku: &str, variant: VariantMatch, quantity: u32) -> bool;
    fn clear(&self);
    fn open(&self);
    fn close(&self);
    fn open_checkout(&self);
    fn apply_code(&self, code: &str) -> bool;
    fn remove_code(&self);
    fn prefill(&self, details: &Prefill);
    fn set_locale(&self, locale: Locale);
    fn consent(&self, granted: bool);
}

#[cfg(target_arch = "wasm32")]
pub(crate) use bridge::run_waiting;

#[cfg(target_arch = "wasm32")]
mod bridge {
    use super::{Actions, KagoItem};
    use crate::browser::{console, funnel};
    use crate::host_api;
    use crate::ui::Shop;
    use kago_core::cart::{CartSnapshot, VariantMatch};
    use kago_core::i18n::Locale;
    use kago_core::prefill::Prefill;
    use std::cell::RefCell;

    impl Actions for Shop {
        fn remove_item(&self, sku: &str, variant: VariantMatch) -> bool {
            host_api::remove_item(*self, sku, variant)
        }
        fn set_quantity(&self, sku: &str, variant: VariantMatch, quantity: u32) -> bool {
            host_api::set_quantity(*self, sku, variant, quantity).unwrap_or_else(|why| {
                console::warn(&why);
                false
            })
        }
        fn clear(&self) {
            Shop::clear(self)
        }
        fn open(&self) {
            host_api::open(*self)
        }
        fn close(&self) {
            Shop::close(self)
        }
        fn open_checkout(&self) {
            self.start_checkout()
        }
        fn apply_code(&self, code: &str) -> bool {
            Shop::apply_code(self, code.to_string())
        }
        fn remove_code(&self) {
            Shop::remove_code(self)
        }
        fn prefill(&self, details: &Prefill) {
            Shop::prefill(self, details)
        }
        fn set_locale(&self, locale: Locale) {
            host_api::set_locale(locale)
        }
        fn consent(&self, granted: bool) {
            funnel::set_consent(granted)
        }
    }

    /// A call kept until the widget runs.
    type Waiting = Box<dyn FnOnce(&dyn Actions)>;

    thread_local! {
        /// Calls made while the widget is starting, applied in order once it runs
        /// ([`run_waiting`]).
        static WAITING: RefCell<Vec<Waiting>> = const { RefCell::new(Vec::new()) };
    }

    /// `f` on the running widget. While `<Kago/>` is starting it, `f` is kept for
    /// [`run_waiting`] and `queued` returned; before anything started it, `none`, with a console
    /// warning.
    pub(super) fn act<T: 'static>(
        name: &str,
        queued: T,
        none: T,
        f: impl FnOnce(&dyn Actions) -> T + 'static,
    ) -> T {
        let mut once = Some(f);
        if let Some(done) = host_api::with_shop(|shop| once.take().map(|f| f(&shop))).flatten() {
            return done;
        }
        let Some(f) = once else {
            return none;
        };
        if crate::wiring::starting() {
            WAITING.with(|w| {
                w.borrow_mut().push(Box::new(move |a| {
                    f(a);
                }))
            });
            return queued;
        }
        if crate::wiring::gave_up() {
            console::warn(&format!("Kago: KagoHandle::{name} did nothing: the widget did not start from this <Kago/> (see the message above)."));
        } else {
            console::warn(&format!(
                "Kago: KagoHandle::{name} was called before <Kago/> started the widget; nothing was done."
            ));
        }
        none
    }

    /// Applies the calls kept while the widget was starting, in order (start-up, once the shop's
    /// state exists).
    pub(crate) fn run_waiting() {
        let waiting = WAITING.with(|w| std::mem::take(&mut *w.borrow_mut()));
        for f in waiting {
            host_api::with_shop(|shop| f(&shop));
        }
    }

    pub(super) fn add_item(item: KagoItem) -> bool {
        let add = move |_: &dyn Actions| {
            let KagoItem {
                sku,
                name,
                price,
                variant,
                quantity,
                image,
                meta,
            } = item;
            let quantity = quantity.map(|q| q.to_string());
            let get = |field: &str| match field {
                "sku" => Some(sku.clone()),
                "name" => Some(name.clone()),
                "price" => Some(price.clone()),
                "variant" => variant.clone(),
                "quantity" => quantity.clone(),
                "image" => image.clone(),
                _ => None,
            };
            let meta = (!meta.is_empty()).then(|| kago_core::wire::to_json(&meta));
            host_api::with_shop(|shop| host_api::add_item(shop, &get, meta.as_deref()))
                .unwrap_or(Ok(false))
                .unwrap_or_else(|why| {
                    console::warn(&why.replace("Kago.addItem", "KagoHandle::add_item"));
                    false
                })
        };
        act("add_item", true, false, add)
    }

    /// The cart now (tracked), once the widget runs.
    pub(super) fn snapshot(ready: bool) -> Option<CartSnapshot> {
        ready
            .then(|| host_api::with_shop(host_api::snapshot))
            .flatten()
    }

    /// Whether the drawer is open (tracked).
    pub(super) fn is_open() -> bool {
        host_api::with_shop(host_api::is_open).unwrap_or(false)
    }
}

/// Native builds (an SSR server, `cargo check`): the widget never runs there, so the handle
/// holds the empty cart and its methods do nothing.
#[cfg(not(target_arch = "wasm32"))]
mod bridge {
    use super::{Actions, KagoItem};
    use kago_core::cart::CartSnapshot;

    pub(super) fn act<T>(
        _name: &str,
        _queued: T,
        none: T,
        _f: impl FnOnce(&dyn Actions) -> T,
    ) -> T {
        none
    }

    pub(super) fn add_item(_item: KagoItem) -> bool {
        false
    }

    pub(super) fn snapshot(_ready: bool) -> Option<CartSnapshot> {
        None
    }

    pub(super) fn is_open() -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_handle_builds_natively_and_holds_the_empty_cart() {
        let owner = Owner::new();
        owner.with(|| {
            let kago = use_kago();
            assert!(!kago.ready().get_untracked());
            assert_eq!(kago.count().get_untracked(), 0);
            assert_eq!(kago.cart().get_untracked(), None);
            assert!(!kago.is_open().get_untracked());
            assert!(!kago.add_item(KagoItem::new("MUG", "Mug", "12.00").meta("gift", "yes")));
            assert!(!kago.remove_item("MUG", VariantMatch::Any));
            kago.open();
            let heard = Rc::new(std::cell::Cell::new(0));
            let seen = heard.clone();
            let subscription = kago.on_event(move |_| seen.set(seen.get() + 1));
            notify(&EventKind::CartViewed);
            assert_eq!(heard.get(), 1);
            subscription.cancel();
            notify(&EventKind::CartViewed);
            assert_eq!(heard.get(), 1, "cancelled");
        });
    }
}
