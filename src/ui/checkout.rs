//! The checkout panel: step indicator, the three steps, placing the order and the confirmation.

use crate::ui::after_purchase::{feedback, registration_prompt};
use crate::ui::state::{Panel, PostalStatus, Shop, Submit};
use crate::ui::summary::summary;
use crate::ui::support::support;
use crate::ui::{
    attr, composed, effect, effect_after, focus_by_id, focus_if_lost, focus_moves_on, listener,
    part, submitted, tap, ticked, typed, typing,
};
use kago_core::checkout::{is_required, AddressFormat, Draft, Field, FieldError, Step};
use kago_core::checkout_config::CodeError;
use kago_core::events::ExitReason;
use kago_core::i18n::{fill, Strings};
use kago_core::japan::{prefecture_by_name, PREFECTURES};
use kago_core::postal::choice_labels;
use leptos::prelude::*;
use std::sync::Arc;

const CONTACT_FORM: &str = "kago-contact-form";
/// The confirmation's "Continue shopping", where focus goes when the prompt below is dismissed.
pub(crate) const CONTINUE_SHOPPING: &str = "kago-continue-shopping";

fn field_id(field: Field) -> String {
    format!("kago-field-{}", field.key())
}

fn field_label(t: &'static Strings, field: Field, format: AddressFormat) -> &'static str {
    match (field, format) {
        (Field::Email, _) => t.label_email,
        (Field::Name, _) => t.label_name,
        (Field::NameKana, _) => t.label_name_kana,
        (Field::Country, _) => t.label_country,
        (Field::PostalCode, AddressFormat::UnitedStates) => t.label_zip,
        (Field::PostalCode, _) => t.label_postal_code,
        (Field::Region, AddressFormat::Japan) => t.label_prefecture,
        (Field::Region, AddressFormat::UnitedStates) => t.label_state,
        (Field::Region, AddressFormat::Generic) => t.label_region,
        (Field::City, _) => t.label_city,
        (Field::Line1, _) => t.label_line1,
        (Field::Line2, _) => t.label_line2,
        (Field::Phone, _) => t.label_phone,
    }
}

fn error_text(t: &'static Strings, error: FieldError, format: AddressFormat) -> &'static str {
    match (error, format) {
        (FieldError::Required, _) => t.err_required,
        (FieldError::Email, _) => t.err_email,
        (FieldError::PostalCode, AddressFormat::Japan) => t.err_postal_jp,
        (FieldError::PostalCode, AddressFormat::UnitedStates) => t.err_postal_us,
        (FieldError::PostalCode, AddressFormat::Generic) => t.err_postal,
        (FieldError::Phone, _) => t.err_phone,
        (FieldError::TooLong, _) => t.err_too_long,
        (FieldError::Kana, _) => t.err_kana,
        (FieldError::Prefecture, _) => t.err_prefecture,
    }
}

fn step_title(t: &'static Strings, step: Step) -> &'static str {
    match step {
        Step::Contact => t.step_contact,
        Step::Delivery => t.step_delivery,
        Step::Review => t.step_review,
    }
}

pub fn checkout_panel(shop: Shop) -> impl IntoView {
    let t = shop.text();
    if !shop.has_endpoint() {
        return view! {
            <div class="kago-body">
                <p class="kago-notice">{t.not_configured}</p>
            </div>
            <div class="kago-footer">
                <button type="button" class="kago-secondary" on:click=tap(move || shop.open(Panel::Cart))>
                    {t.back_to_cart}
                </button>
                {support(shop)}
            </div>
        }
        .into_any();
    }
    effect(move || {
        if let Some(field) = shop.checkout.focus_field.get() {
            focus_by_id(field_id(field));
            shop.checkout.focus_field.set(None);
        }
    });
    (move || {
        if shop.wide.get() {
            one_page(shop).into_any()
        } else {
            steps(shop).into_any()
        }
    })
    .into_any()
}

/// Phones: contact & address, then delivery & payment, then review, with "Step n of 3".
fn steps(shop: Shop) -> impl IntoView {
    let t = shop.text();
    let step = Memo::new(move |_| shop.checkout.draft.with(|d| d.step));
    effect_after(move |previous: Option<Step>| {
        let now = step.get();
        // A step shown to point at wrong fields focuses the first of them instead.
        let fields_wrong = shop
            .checkout
            .errors
            .with_untracked(|e| e.iter().next().is_some());
        if previous.is_some_and(|p| p != now) && !fields_wrong {
            focus_by_id("kago-step-title".into());
        }
        now
    });
    // The next step is built while the page is idle, so "Continue" only has to show it. (One
    // flag per step: a bool signal costs less code than a signal of another type.)
    let ahead: [RwSignal<bool>; Step::COUNT as usize] =
        std::array::from_fn(|_| RwSignal::new(false));
    let wanted = move |of: Step| ahead[usize::from(of.number()) - 1];
    effect(move || {
        let next = wanted(step.get().next());
        (shop.env.platform.when_idle)(Box::new(move || next.set(true)));
    });
    let is_current = move |of: Step| move || step.get() == of;
    let is_ahead = move |of: Step| move || wanted(of).get();
    view! {
        <div class="kago-body">
            <p class="kago-steps">
                {move || fill(t.step_of, &[("n", &step.get().number().to_string()), ("count", &Step::COUNT.to_string())])}
            </p>
            <h3 class="kago-step-title" id="kago-step-title" {attr("tabindex", "-1")}>
                {move || step_title(t, step.get())}
            </h3>
            {part("kago-part kago-step", is_current(Step::Contact), is_ahead(Step::Contact), move || contact_step(shop))}
            {part("kago-part kago-step", is_current(Step::Delivery), is_ahead(Step::Delivery), move || view! { {delivery_choices(shop)} {summary(shop)} })}
            {part("kago-part kago-step", is_current(Step::Review), is_ahead(Step::Review), move || review_step(shop))}
        </div>
        <div class="kago-footer">
            {move || match step.get() {
                Step::Contact => view! {
                    <button type="submit" {attr("form", CONTACT_FORM)} class="kago-primary">{t.continue_to_delivery}</button>
                }.into_any(),
                Step::Delivery => view! {
                    <button type="button" class="kago-primary" on:click=tap(move || shop.continue_step())>{t.continue_to_review}</button>
                }.into_any(),
                Step::Review => place_order(shop).into_any(),
            }}
            <div class="kago-footer-row">
                <button type="button" class="kago-link" on:click=tap(move || shop.back())>
                    {move || if step.get() == Step::Contact { t.back_to_cart } else { t.back }}
                </button>
                {support(shop)}
            </div>
        </div>
    }
}

/// Wide screens: the same three parts side by side on one page, one "Place order".
fn one_page(shop: Shop) -> impl IntoView {
    let t = shop.text();
    view! {
        <div class="kago-body kago-one-page">
            <div class="kago-one-page-form">
                <section {attr("aria-labelledby", "kago-part-contact")}>
                    <h3 class="kago-step-title" id="kago-part-contact">{t.step_contact}</h3>
                    {contact_step(shop)}
                </section>
                <section {attr("aria-labelledby", "kago-part-delivery")}>
                    <h3 class="kago-step-title" id="kago-part-delivery" {attr("tabindex", "-1")}>{t.step_delivery}</h3>
                    {delivery_choices(shop)}
                </section>
            </div>
            <section class="kago-one-page-review" {attr("aria-labelledby", "kago-part-review")}>
                <h3 class="kago-step-title" id="kago-part-review">{t.step_review}</h3>
                {review_lines(shop)}
                {summary(shop)}
            </section>
        </div>
        <div class="kago-footer">
            {place_order(shop)}
            <div class="kago-footer-row">
                <button type="button" class="kago-link" on:click=tap(move || shop.open(Panel::Cart))>
                    {t.back_to_cart}
                </button>
                {support(shop)}
            </div>
        </div>
    }
}

fn contact_step(shop: Shop) -> impl IntoView {
    let fields = shop.env.fields.clone();
    let on_submit = submitted(move || shop.continue_step());
    // One page has no submit button for this form: Enter in a field checks the address and
    // moves on to delivery; only "Place order" places the order.
    let on_keydown = listener(move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" && shop.wide.get_untracked() {
            ev.prevent_default();
            if shop.check_contact() {
                focus_by_id("kago-part-delivery".into());
            }
        }
    });
    let t = shop.text();
    if shop.env.postal_base().is_some() {
        // The address is filled in: the shopper goes on with the 番地, unless they have moved on.
        effect(move || {
            if shop.japan.postal.with(|s| *s == PostalStatus::Filled) {
                focus_moves_on(field_id(Field::PostalCode), field_id(Field::Line1));
            }
        });
    }
    view! {
        // Hidden rather than a `<Show>` (BENCHMARKS.md, "Size machinery, re-measured").
        <div class="kago-express" hidden=move || !shop.checkout.wallet_ready.get()>
            <button type="button" class="kago-primary kago-wallet" on:click=tap(move || shop.pay_with_wallet())>
                {t.wallet}
            </button>
            <p class="kago-or"><span>{t.or_fill_in}</span></p>
        </div>
        <form id=CONTACT_FORM class="kago-form" novalidate on:submit=on_submit on:keydown=on_keydown>
            {fields.into_iter().map(|field| field_input(shop, field)).collect_view()}
            {move || shop.offers_reminder().then(|| view! {
                <label class="kago-check">
                    <input
                        type="checkbox"
                        prop:checked=move || shop.checkout.draft.with(|d| d.reminder_consent)
                        on:change=ticked(move |on| shop.set_reminder_consent(on))
                    />
                    <span>{t.reminder_consent}</span>
                </label>
            })}
        </form>
    }
}

fn field_input(shop: Shop, field: Field) -> impl IntoView {
    let t = shop.text();
    let format = shop.env.format;
    let id = field_id(field);
    let error = move || shop.checkout.errors.with(|e| e.get(&field).copied());
    // The error, else a note on what Kago did with the field (the ＠ corrected, a postal code
    // not found), in one place under it.
    let message = move || match error() {
        Some(e) => Some((error_text(t, e, format), "kago-error")),
        None => shop.field_note(field).map(|note| (note, "kago-hint")),
    };
    let described = move || message().map(|_| format!("{}-message", field_id(field)));
    let invalid = move || error().is_some().to_string();
    let control = if field == Field::Region && format == AddressFormat::Japan {
        let locale = shop.env.locale();
        let prefectures = PREFECTURES
            .iter()
            .map(|p| (p.name_en.to_string(), p.label(locale).to_string()))
            .collect();
        let chosen = move || {
            shop.checkout.draft.with(|d| {
                prefecture_by_name(d.value(Field::Region))
                    .map_or("", |p| p.name_en)
                    .to_string()
            })
        };
        let list = List {
            id: id.clone(),
            autocomplete: field.autocomplete(),
            required: true,
            none: t.choose,
            options: prefectures,
        };
        list.view(
            Arc::new(chosen),
            Arc::new(invalid),
            Arc::new(described),
            typed(move |name| shop.type_in(Field::Region, name, false)),
        )
        .into_any()
    } else {
        view! {
            <input
                id={id.clone()}
                {attr("name", field.key())}
                type=field.input_type()
                {attr("autocomplete", field.autocomplete())}
                {attr("inputmode", field.input_mode(format))}
                {attr("aria-invalid", invalid)}
                {attr("aria-describedby", described)}
                required=is_required(field, format)
                prop:value=move || shop.checkout.draft.with(|d| d.value(field).to_string())
                on:input=typing(move |text, composing| shop.type_in(field, text, composing))
                on:compositionend=composed(move |text| shop.type_in(field, text, false))
                on:blur=tap(move || shop.leave_field(field))
            />
        }
        .into_any()
    };
    view! {
        <div class="kago-field" class:kago-invalid=move || error().is_some()>
            <label {attr("for", id)}>{field_label(t, field, format)}</label>
            {control}
            {move || message().map(|(text, class)| view! { <p class=class id=format!("{}-message", field_id(field))>{text}</p> })}
        </div>
        {(field == Field::PostalCode).then(|| town_choices(shop))}
    }
}

/// A list to choose from, a `<select>`: a first choice `none` (value ""), then `options` as
/// `(value, text)`. The 都道府県, the towns of a postal code and the delivery date and time
/// are all one of these, so the wasm has one copy of its view code.
struct List {
    id: String,
    /// The autofill token (`address-level1`), if any.
    autocomplete: Option<&'static str>,
    required: bool,
    none: &'static str,
    options: Vec<(String, String)>,
}

type Text = Arc<dyn Fn() -> String + Send + Sync>;

impl List {
    /// `chosen`: the value chosen now ("" for `none`); `invalid` and `described`: its
    /// `aria-invalid` and `aria-describedby`; `on_change` gets the value picked.
    fn view(
        self,
        chosen: Text,
        invalid: Text,
        described: Arc<dyn Fn() -> Option<String> + Send + Sync>,
        on_change: Box<dyn FnMut(leptos::ev::Event)>,
    ) -> impl IntoView {
        let is = move |value: &str| chosen() == value;
        let options = self
            .options
            .into_iter()
            .map(|(value, text)| {
                let (is, shown) = (is.clone(), value.clone());
                view! { <option {attr("value", value)} prop:selected=move || is(&shown)>{text}</option> }
            })
            .collect_view();
        let none = is.clone();
        view! {
            <select
                id={self.id}
                {attr("autocomplete", self.autocomplete)}
                required=self.required
                {attr("aria-invalid", move || invalid())}
                {attr("aria-describedby", move || described())}
                on:change=on_change
            >
                <option {attr("value", "")} prop:selected=move || none("")>{self.none}</option>
                {options}
            </select>
        }
    }

    /// The list under its own label (the towns, the delivery date and time).
    fn labelled(
        self,
        label: &'static str,
        chosen: Text,
        on_change: Box<dyn FnMut(leptos::ev::Event)>,
    ) -> impl IntoView {
        let id = self.id.clone();
        view! {
            <div class="kago-field">
                <label {attr("for", id)}>{label}</label>
                {self.view(chosen, Arc::new(|| "false".to_string()), Arc::new(|| None), on_change)}
            </div>
        }
    }
}

/// Several towns share the postal code: a list to pick one from (each pick replaces the town
/// picked before), right under the postal code.
fn town_choices(shop: Shop) -> impl IntoView {
    let t = shop.text();
    move || {
        let labels = shop.japan.postal.with(|s| match s {
            PostalStatus::Choose(options) => Some(choice_labels(options)),
            _ => None,
        })?;
        let list = List {
            id: "kago-town".into(),
            autocomplete: None,
            required: false,
            none: t.choose,
            options: labels
                .into_iter()
                .enumerate()
                .map(|(i, label)| (i.to_string(), label))
                .collect(),
        };
        // Nothing to keep in step with: a new list is built for each code.
        let on_change = typed(move |index| {
            if let Ok(index) = index.parse() {
                shop.pick_town(index);
            }
        });
        Some(list.labelled(t.postal_choose, Arc::new(String::new), on_change))
    }
}

fn delivery_choices(shop: Shop) -> impl IntoView {
    let t = shop.text();
    let (shipping, payment) = (shop.env.pricing.methods.clone(), shop.env.payment.clone());
    let shipping_options = shipping
        .into_iter()
        .map(|method| {
            let id = method.id.clone();
            let checked = {
                let id = id.clone();
                move || shop.checkout.draft.with(|d| d.shipping_method.as_ref() == Some(&id))
            };
            let price = {
                let method = method.clone();
                move || {
                    let price = shop.shipping_price(&method);
                    if price.minor == 0 { t.free.to_string() } else { shop.format(price) }
                }
            };
            view! {
                <label class="kago-option">
                    <input type="radio" {attr("name", "kago-shipping")} {attr("value", id.clone())} prop:checked=checked on:change=tap(move || shop.choose_shipping(id.clone())) />
                    <span class="kago-option-text">
                        <span class="kago-option-label">{method.label.clone()}</span>
                        " "
                        <span class="kago-option-price">{price}</span>
                        {method.estimate.clone().map(|e| view! { " " <span class="kago-option-note">{e}</span> })}
                    </span>
                </label>
            }
        })
        .collect_view();
    let payment_options = payment
        .into_iter()
        .map(|method| {
            let id = method.id.clone();
            let checked = {
                let id = id.clone();
                move || shop.checkout.draft.with(|d| d.payment_method.as_ref() == Some(&id))
            };
            view! {
                <label class="kago-option">
                    <input type="radio" {attr("name", "kago-payment")} {attr("value", id.clone())} prop:checked=checked on:change=tap(move || shop.choose_payment(id.clone())) />
                    <span class="kago-option-text">
                        <span class="kago-option-label">{method.label.clone()}</span>
                        {method.note.clone().map(|n| view! { " " <span class="kago-option-note">{n}</span> })}
                    </span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="kago-fieldset">
            <legend>{t.delivery_heading}</legend>
            {shipping_options}
        </fieldset>
        {delivery_time(shop)}
        <fieldset class="kago-fieldset">
            <legend>{t.payment_heading}</legend>
            {payment_options}
        </fieldset>
        {discount_code(shop)}
    }
}

/// 配達日時指定: the delivery date and time slot a shopper may ask for, each 指定なし first.
fn delivery_time(shop: Shop) -> impl IntoView {
    let t = shop.text();
    let settings = &shop.env.config.checkout;
    let dates = settings.delivery_dates.is_some().then(|| List {
        id: "kago-delivery-date".into(),
        autocomplete: None,
        required: false,
        none: t.no_preference,
        options: shop.delivery_dates(),
    });
    let slots = settings.delivery_slots.as_slice();
    let slots = (!slots.is_empty()).then(|| List {
        id: "kago-delivery-slot".into(),
        autocomplete: None,
        required: false,
        none: t.no_preference,
        options: slots
            .iter()
            .map(|s| (s.id.clone(), s.label.clone()))
            .collect(),
    });
    let asked = move |of: fn(&Draft) -> &Option<String>| -> Text {
        Arc::new(move || {
            shop.checkout
                .draft
                .with(|d| of(d).clone().unwrap_or_default())
        })
    };
    (dates.is_some() || slots.is_some()).then(|| view! {
        <fieldset class="kago-fieldset">
            <legend>{t.delivery_time_heading}</legend>
            {dates.map(|list| list.labelled(t.delivery_date, asked(|d| &d.delivery_date), typed(move |date| shop.choose_delivery_date(date))))}
            {slots.map(|list| list.labelled(t.delivery_slot, asked(|d| &d.delivery_slot), typed(move |slot| shop.choose_delivery_slot(slot))))}
            <p class="kago-feedback" role="alert">
                {move || shop.japan.delivery_refused.get().then(|| view! { <span class="kago-error">{t.delivery_refused}</span> })}
            </p>
        </fieldset>
    })
}

const CODE_INPUT: &str = "kago-discount-input";
const REMOVE_CODE: &str = "kago-remove-code";

fn discount_code(shop: Shop) -> impl IntoView {
    let t = shop.text();
    let has_codes = !shop.env.pricing.codes.is_empty();
    let open = RwSignal::new(false);
    // Memos: the form is rebuilt only when what it shows changes, not on every keystroke. (A
    // code is only ever applied or removed, never swapped for another, so a flag will do.)
    let applied = Memo::new(move |_| shop.checkout.draft.with(|d| d.discount_code.is_some()));
    let typing =
        Memo::new(move |_| open.get() || shop.checkout.draft.with(|d| !d.code_typed.is_empty()));
    let error_text = move |error: CodeError| match error {
        CodeError::Unknown => t.code_unknown.to_string(),
        CodeError::BelowMinimum { min_subtotal } => fill(
            t.code_minimum,
            &[("amount", &shop.format_minor(min_subtotal))],
        ),
    };
    let error = move || shop.checkout.code_error.get().map(error_text);
    let on_submit = move || {
        shop.apply_code(shop.checkout.draft.with_untracked(|d| d.code_typed.clone()));
        focus_if_lost(REMOVE_CODE); // applied: the form that had focus is gone
    };
    has_codes.then(|| view! {
        <div class="kago-discount-code">
            {move || match applied.get().then(|| shop.checkout.draft.with_untracked(|d| d.discount_code.clone())).flatten() {
                Some(code) => {
                    let shown = code.clone();
                    // Applied, or waiting for its minimum again (the cart shrank since).
                    let status = move || match shop.code_problem() {
                        None => fill(t.code_applied, &[("code", &shown)]),
                        Some(problem) => format!("{} {}", fill(t.code_not_applied, &[("code", &shown)]), error_text(problem)),
                    };
                    view! {
                        <p class="kago-applied">
                            {status}
                            <button type="button" class="kago-link" id=REMOVE_CODE on:click=tap(move || {
                                open.set(true);
                                shop.remove_code();
                                focus_if_lost(CODE_INPUT);
                            })>
                                {fill(t.remove_code, &[("code", &code)])}
                            </button>
                        </p>
                    }.into_any()
                }
                None if !typing.get() => view! {
                    <button type="button" class="kago-link" on:click=tap(move || {
                        open.set(true);
                        focus_by_id(CODE_INPUT.into());
                    })>{t.discount_toggle}</button>
                }.into_any(),
                None => view! {
                    <form class="kago-code-form" novalidate on:submit=submitted(on_submit)>
                        <label {attr("for", CODE_INPUT)}>{t.discount_label}</label>
                        <div class="kago-code-row">
                            <input
                                id=CODE_INPUT
                                type="text"
                                {attr("autocomplete", "off")}
                                {attr("autocapitalize", "characters")}
                                {attr("spellcheck", "false")}
                                {attr("aria-describedby", "kago-discount-feedback")}
                                {attr("aria-invalid", move || shop.checkout.code_error.get().is_some().to_string())}
                                prop:value=move || shop.checkout.draft.with(|d| d.code_typed.clone())
                                on:input=typed(move |text| shop.type_code(text))
                            />
                            <button type="submit" class="kago-apply">{t.apply}</button>
                        </div>
                    </form>
                }.into_any(),
            }}
            <p id="kago-discount-feedback" class="kago-feedback" role="status">
                {move || error().map(|text| view! { <span class="kago-error">{text}</span> })}
            </p>
        </div>
    })
}

fn review_lines(shop: Shop) -> impl IntoView {
    let t = shop.text();
    let lines = move || {
        shop.cart.with(|c| {
            c.lines()
                .iter()
                .map(|l| {
                    let times = fill(t.quantity_times, &[("quantity", &l.quantity.to_string()), ("price", &shop.format_minor(l.unit_price))]);
                    view! {
                        <li class="kago-review-line">
                            <span class="kago-name">{l.name.clone()}</span>
                            {l.variant.clone().map(|v| view! { <span class="kago-variant">{v}</span> })}
                            <span class="kago-unit">{times}</span>
                            <span class="kago-line-total">{shop.format_minor(l.line_total())}</span>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="kago-review" aria-label=t.review_items>
            <ul class="kago-lines">{lines}</ul>
        </section>
    }
}

fn review_step(shop: Shop) -> impl IntoView {
    let t = shop.text();
    let format = shop.env.format;
    let fields = shop.env.fields.clone();
    let recap = move || {
        shop.checkout.draft.with(|d| {
            fields
                .iter()
                .filter(|f| !d.value(**f).trim().is_empty())
                .map(|f| view! { <div class="kago-row"><dt>{field_label(t, *f, format)}</dt><dd>{d.value(*f).to_string()}</dd></div> })
                .collect_view()
        })
    };
    let chosen = move || {
        shop.checkout.draft.with(|d| {
            let ship = shop
                .env
                .pricing
                .method(d.shipping_method.as_deref())
                .map(|m| m.label.clone());
            let pay = shop
                .env
                .payment
                .iter()
                .find(|m| Some(&m.id) == d.payment_method.as_ref())
                .map(|m| m.label.clone())
                .or_else(|| {
                    (d.payment_method.as_deref() == Some("wallet"))
                        .then(|| t.wallet_payment.to_string())
                });
            (ship.unwrap_or_default(), pay.unwrap_or_default())
        })
    };
    let asked = move || shop.checkout.draft.with(|d| shop.delivery_text(d));
    let (dates, slots) = shop
        .checkout
        .draft
        .with_untracked(|d| shop.delivery_text(d));
    view! {
        {review_lines(shop)}
        {summary(shop)}
        <section class="kago-recap">
            <div class="kago-recap-head">
                <h4>{t.step_contact}</h4>
                <button type="button" class="kago-link" aria-label=t.edit_contact on:click=tap(move || shop.go_to(Step::Contact))>{t.edit}</button>
            </div>
            <dl class="kago-summary">{recap}</dl>
        </section>
        <section class="kago-recap">
            <div class="kago-recap-head">
                <h4>{t.step_delivery}</h4>
                <button type="button" class="kago-link" aria-label=t.edit_delivery on:click=tap(move || shop.go_to(Step::Delivery))>{t.edit}</button>
            </div>
            <dl class="kago-summary">
                <div class="kago-row"><dt>{t.delivery_heading}</dt><dd>{move || chosen().0}</dd></div>
                {dates.map(|_| view! { <div class="kago-row"><dt>{t.delivery_date}</dt><dd>{move || asked().0}</dd></div> })}
                {slots.map(|_| view! { <div class="kago-row"><dt>{t.delivery_slot}</dt><dd>{move || asked().1}</dd></div> })}
                <div class="kago-row"><dt>{t.payment_heading}</dt><dd>{move || chosen().1}</dd></div>
            </dl>
        </section>
    }
}

fn place_order(shop: Shop) -> impl IntoView {
    let t = shop.text();
    let busy = move || shop.submit.with(Submit::busy);
    let status = move || match shop.submit.get() {
        Submit::Sending => Some(t.placing.to_string()),
        Submit::Waiting(seconds) => Some(fill(t.retrying, &[("seconds", &seconds.to_string())])),
        Submit::Redirecting => Some(t.redirecting.to_string()),
        Submit::Elsewhere => Some(t.placing_elsewhere.to_string()),
        _ => None,
    };
    view! {
        <p class="kago-status" role="status">{status}</p>
        {move || match shop.submit.get() {
            Submit::Rejected(message) => Some(view! {
                <p class="kago-alert" role="alert">{message.unwrap_or_else(|| t.rejected_default.to_string())}</p>
            }.into_any()),
            Submit::Unreachable => Some(view! {
                <p class="kago-alert" role="alert">{t.failed}</p>
            }.into_any()),
            // Not an alert: the announcer reads it out with the new total.
            Submit::Corrected(changes) => Some(view! {
                <div class="kago-corrected">
                    <p>{t.corrected}</p>
                    <ul>{changes.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul>
                </div>
            }.into_any()),
            _ => None,
        }}
        <button
            type="button"
            class="kago-primary kago-place"
            // Not `disabled`, which would take keyboard focus away: `place_order` ignores a
            // tap while the order is on its way.
            {attr("aria-disabled", move || busy().then_some("true"))}
            {attr("aria-busy", move || busy().to_string())}
            on:click=tap(move || shop.place_order())
        >
            {move || if shop.submit.get() == Submit::Unreachable { t.try_again } else { t.place_order }}
        </button>
    }
}

pub fn confirmation(shop: Shop) -> impl IntoView {
    let t = shop.text();
    let placed = shop
        .checkout
        .draft
        .with_untracked(|d| d.placed.clone())
        .unwrap_or_default();
    let (order_id, email) = (placed.order_id, placed.email);
    let number = match &order_id {
        Some(id) => fill(t.order_number, &[("id", id)]),
        None => t.order_received.to_string(),
    };
    view! {
        <div class="kago-body kago-confirmation">
            <p class="kago-order-id">{number}</p>
            <p>{fill(t.order_total, &[("amount", &placed.total)])}</p>
            {placed.payment.map(|p| view! { <p>{fill(t.order_payment, &[("method", &p)])}</p> })}
            {placed.delivery_date.map(|d| view! { <p>{format!("{}: {d}", t.delivery_date)}</p> })}
            {placed.delivery_slot.map(|s| view! { <p>{format!("{}: {s}", t.delivery_slot)}</p> })}
            <p>{fill(t.next_steps, &[("email", &email)])}</p>
            <button type="button" class="kago-primary" id=CONTINUE_SHOPPING on:click=tap(move || shop.close())>{t.continue_shopping}</button>
            {order_id.map(|id| registration_prompt(shop, id, email.clone()))}
            {feedback(shop)}
        </div>
        <div class="kago-footer">
            {support(shop)}
        </div>
    }
}

/// "What stopped you?": one optional tap after the shopper closed an unfinished checkout.
pub fn exit_question(shop: Shop) -> impl IntoView {
    let t = shop.text();
    let reasons = [
        (ExitReason::ShippingCost, t.reason_shipping_cost),
        (ExitReason::PaymentMissing, t.reason_payment_missing),
        (ExitReason::JustLooking, t.reason_just_looking),
        (ExitReason::Other, t.reason_other),
    ];
    view! {
        <div class="kago-body">
            <p class="kago-exit-question" id="kago-exit-question">{t.exit_question}</p>
            <p class="kago-steps">{t.exit_optional}</p>
            <div class="kago-reasons" role="group" {attr("aria-labelledby", "kago-exit-question")}>
                {reasons
                    .into_iter()
                    .map(|(code, label)| view! {
                        <button type="button" class="kago-secondary" on:click=tap(move || shop.answer_exit_question(Some(code)))>{label}</button>
                    })
                    .collect_view()}
            </div>
        </div>
        <div class="kago-footer">
            <button type="button" class="kago-link" on:click=tap(move || shop.answer_exit_question(None))>{t.skip}</button>
            // The moment a hesitant shopper may most want help.
            {support(shop)}
        </div>
    }
}
