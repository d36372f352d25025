//! After the order: the optional registration prompt and the one-tap feedback question, both
//! below the confirmation and never in its way. The password lives only in this component's
//! signal: never stored, logged or sent anywhere but the registration endpoint.

use crate::ui::checkout::CONTINUE_SHOPPING;
use crate::ui::state::Shop;
use crate::ui::{attr, focus_by_id, focus_if_lost, submitted, tap, ticked, typed};
use kago_core::events::EventKind;
use kago_core::i18n::fill;
use kago_core::registration::{
    password_strength, prompt_eligible, read_registration_response, registration_body, Memory,
    Mode, RegistrationOutcome, Strength, MEMORY_KEY, MIN_PASSWORD_LEN,
};
use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Status {
    Idle,
    Sending,
    Done {
        code: Option<String>,
        message: Option<String>,
    },
    Exists,
    Rejected(Option<String>),
    Unreachable,
    Dismissed,
}

/// Where focus goes when the answer replaces the form (it is announced as a status too).
const OUTCOME: &str = "kago-register-outcome";
const EMAIL: &str = "kago-register-email";
const EMAIL_ERROR: &str = "kago-register-email-error";
const PASSWORD: &str = "kago-register-password";

fn memory(shop: Shop) -> Memory {
    (shop.env.platform.read_local)(MEMORY_KEY)
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

fn remember(shop: Shop, memory: Memory) {
    let text = kago_core::wire::to_json(&memory);
    (shop.env.platform.write_local)(MEMORY_KEY, Some(&text));
}

/// The shopper has an account now: forget the password, never ask this browser again.
fn has_account(shop: Shop, password: RwSignal<String>) {
    password.set(String::new());
    remember(
        shop,
        Memory {
            registered: true,
            dismissed_until: 0,
        },
    );
}

/// The prompt, if this browser may see it.
pub fn registration_prompt(shop: Shop, order_id: String, email: String) -> impl IntoView {
    let settings = shop.env.config.registration.clone();
    if !prompt_eligible(&settings, memory(shop), (shop.env.platform.now_ms)()) {
        return None;
    }
    let t = shop.text();
    let mode = settings.mode;
    let endpoint = settings.endpoint.clone().unwrap_or_default();
    let incentive = settings
        .incentive
        .clone()
        .unwrap_or_else(|| t.register_incentive_default.to_string());
    let signin_url = settings.signin_url.clone();
    let snooze_days = settings.snooze_days;
    let email = RwSignal::new(email);
    let password = RwSignal::new(String::new());
    let reveal = RwSignal::new(false);
    let opt_in = RwSignal::new(false);
    let status = RwSignal::new(Status::Idle);
    shop.emit(EventKind::RegistrationPromptShown { mode });

    let strength = move || match password_strength(&password.get()) {
        Strength::TooShort => fill(
            t.password_too_short,
            &[("n", &MIN_PASSWORD_LEN.to_string())],
        ),
        Strength::Weak => t.password_weak.to_string(),
        Strength::Fair => t.password_fair.to_string(),
        Strength::Strong => t.password_strong.to_string(),
    };
    let invalid_email = move || !kago_core::text::is_email(email.get().trim());
    let too_short =
        move || mode == Mode::Password && password_strength(&password.get()) == Strength::TooShort;
    // Problems show once the shopper has tried to submit (not while the form is fresh).
    let tried = RwSignal::new(false);
    let email_problem = move || tried.get() && invalid_email();
    let password_problem = move || tried.get() && too_short();
    let on_submit = move || {
        if status.get_untracked() == Status::Sending {
            return;
        }
        let first_problem = if invalid_email() {
            Some(EMAIL)
        } else if too_short() {
            Some(PASSWORD)
        } else {
            None
        };
        if let Some(id) = first_problem {
            tried.set(true);
            return focus_by_id(id.into());
        }
        let pw = password.get_untracked();
        let body = registration_body(
            &email.get_untracked(),
            (mode == Mode::Password).then_some(pw.as_str()),
            &order_id,
            opt_in.get_untracked(),
            shop.env.locale().tag(),
        );
        status.set(Status::Sending);
        let endpoint = endpoint.clone();
        leptos::task::spawn_local(async move {
            let answer = (shop.env.platform.post_json)(
                endpoint,
                body,
                String::new(),
                kago_core::endpoint::REQUEST_TIMEOUT_MS,
            )
            .await;
            match read_registration_response(answer.status, &answer.body) {
                RegistrationOutcome::Registered { code, message } => {
                    has_account(shop, password);
                    shop.emit(EventKind::RegistrationAccepted {
                        mode,
                        marketing_opt_in: opt_in.get_untracked(),
                    });
                    status.set(Status::Done { code, message });
                    focus_if_lost(OUTCOME);
                }
                RegistrationOutcome::Exists => {
                    has_account(shop, password);
                    status.set(Status::Exists);
                    focus_if_lost(OUTCOME);
                }
                RegistrationOutcome::Rejected { message } => status.set(Status::Rejected(message)),
                RegistrationOutcome::Unreachable => status.set(Status::Unreachable),
            }
        });
    };
    let dismiss = move || {
        remember(
            shop,
            Memory::dismissed((shop.env.platform.now_ms)(), snooze_days),
        );
        shop.emit(EventKind::RegistrationDismissed { mode });
        status.set(Status::Dismissed);
        focus_if_lost(CONTINUE_SHOPPING);
    };

    let form = move || {
        view! {
            <form class="kago-form" novalidate on:submit=submitted(on_submit.clone())>
                <div class="kago-field">
                    <label {attr("for", EMAIL)}>{t.label_email}</label>
                    <input
                        id={EMAIL}
                        {attr("name", "username")}
                        type="email"
                        {attr("inputmode", "email")}
                        {attr("autocomplete", "username")}
                        required
                        {attr("aria-invalid", move || email_problem().to_string())}
                        {attr("aria-describedby", move || email_problem().then_some(EMAIL_ERROR))}
                        prop:value=move || email.get()
                        on:input=typed(move |text| email.set(text))
                    />
                    {move || email_problem().then(|| view! { <p class="kago-error" id=EMAIL_ERROR>{t.err_email}</p> })}
                </div>
                {(mode == Mode::Password).then(|| view! {
                    <div class="kago-field">
                        <label {attr("for", PASSWORD)}>{t.label_new_password}</label>
                        <div class="kago-code-row">
                            <input
                                id={PASSWORD}
                                {attr("name", "new-password")}
                                type=move || if reveal.get() { "text" } else { "password" }
                                {attr("autocomplete", "new-password")}
                                {attr("minlength", MIN_PASSWORD_LEN.to_string())}
                                required
                                {attr("aria-invalid", move || password_problem().to_string())}
                                {attr("aria-describedby", "kago-password-hint")}
                                prop:value=move || password.get()
                                on:input=typed(move |text| password.set(text))
                            />
                            <button
                                type="button"
                                class="kago-apply"
                                {attr("aria-pressed", move || reveal.get().to_string())}
                                {attr("aria-controls", PASSWORD)}
                                on:click=tap(move || reveal.update(|r| *r = !*r))
                            >
                                {t.show_password}
                            </button>
                        </div>
                        <p id="kago-password-hint" class="kago-note kago-hint" class:kago-error={password_problem} {attr("aria-live", "polite")}>{strength}</p>
                    </div>
                })}
                <label class="kago-check">
                    <input type="checkbox" prop:checked=move || opt_in.get() on:change=ticked(move |on| opt_in.set(on)) />
                    <span>{t.marketing_opt_in}</span>
                </label>
                // Not `disabled`, which would take keyboard focus away; on_submit ignores a
                // second submit while sending.
                <button type="submit" class="kago-primary" {attr("aria-disabled", move || (status.get() == Status::Sending).then_some("true"))}>
                    {match mode { Mode::Password => t.create_account, Mode::Link => t.send_link }}
                </button>
                <button type="button" class="kago-link" on:click=tap(dismiss)>{t.no_thanks}</button>
            </form>
        }
    };

    Some(view! {
        <section class="kago-register" {attr("aria-labelledby", "kago-register-heading")} hidden=move || status.get() == Status::Dismissed>
            <h3 id="kago-register-heading" class="kago-step-title">{t.register_heading}</h3>
            <p>{incentive}</p>
            {move || match status.get() {
                Status::Done { code, message } => view! {
                    <div role="status" {attr("tabindex", "-1")} id=OUTCOME>
                        <p class="kago-order-id">{match mode { Mode::Password => t.register_success.to_string(), Mode::Link => fill(t.link_sent, &[("email", &email.get_untracked())]) }}</p>
                        {message.map(|m| view! { <p>{m}</p> })}
                        {code.map(|c| view! { <p class="kago-code">{fill(t.your_code, &[("code", &c)])}</p> })}
                    </div>
                }.into_any(),
                Status::Exists => view! {
                    <div role="status" {attr("tabindex", "-1")} id=OUTCOME>
                        <p>{t.account_exists}</p>
                        {signin_url.clone().map(|href| view! { <a class="kago-support-link" {attr("href", href)}>{t.sign_in}</a> })}
                    </div>
                }.into_any(),
                Status::Dismissed => ().into_any(),
                other => view! {
                    <p class="kago-status" role="status">{(other == Status::Sending).then_some(t.register_sending)}</p>
                    {match other {
                        Status::Rejected(message) => Some(view! { <p class="kago-alert" role="alert">{message.unwrap_or_else(|| t.register_rejected.to_string())}</p> }.into_any()),
                        Status::Unreachable => Some(view! { <p class="kago-alert" role="alert">{t.failed}</p> }.into_any()),
                        _ => None,
                    }}
                    {form()}
                }.into_any(),
            }}
        </section>
    })
}

const THANKS: &str = "kago-feedback-thanks";

/// "How easy was checkout?": one tap on 1–5 sends it (with the optional comment typed above).
/// The comment is asked for only where contact data may be sent (`data-events-contact="on"`
/// and no Global Privacy Control: the wiring turns the setting off under GPC), since free text
/// can hold anything; the core also takes e-mail addresses and phone numbers out of it.
pub fn feedback(shop: Shop) -> impl IntoView {
    if !shop.env.config.registration.feedback {
        return None;
    }
    let asks_comment = shop.env.config.events.contact;
    let t = shop.text();
    let comment = RwSignal::new(String::new());
    let sent = RwSignal::new(shop.feedback_sent());
    let send = move |rating: u8| {
        let text: String = comment.get_untracked().trim().chars().take(500).collect();
        shop.emit(EventKind::CheckoutFeedback {
            rating,
            comment: Some(text).filter(|t| !t.is_empty()),
        });
        shop.feedback_given();
        sent.set(true);
        focus_if_lost(THANKS);
    };
    Some(view! {
        <section class="kago-feedback-box" {attr("aria-labelledby", "kago-feedback-heading")}>
            <h3 id="kago-feedback-heading" class="kago-step-title">{t.feedback_question}</h3>
            {move || match sent.get() {
                true => view! { <p role="status" {attr("tabindex", "-1")} id=THANKS>{t.feedback_thanks}</p> }.into_any(),
                false => view! {
                    {asks_comment.then(|| view! {
                        <div class="kago-field">
                            <label {attr("for", "kago-feedback-comment")}>{t.feedback_comment}</label>
                            <textarea id="kago-feedback-comment" {attr("maxlength", "500")} {attr("rows", "2")} prop:value=move || comment.get() on:input=typed(move |text| comment.set(text))></textarea>
                        </div>
                    })}
                    <p class="kago-steps" id="kago-feedback-scale">{t.feedback_scale}</p>
                    <div class="kago-rating" role="group" {attr("aria-labelledby", "kago-feedback-heading")} {attr("aria-describedby", "kago-feedback-scale")}>
                        {(1..=5u8).map(|n| view! {
                            <button type="button" class="kago-secondary" aria-label=fill(t.feedback_rating, &[("n", &n.to_string())]) on:click=tap(move || send(n))>
                                {n.to_string()}
                            </button>
                        }).collect_view()}
                    </div>
                }.into_any(),
            }}
        </section>
    })
}
