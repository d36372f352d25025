//! Support contact, always in reach: the merchant's page first, then e-mail.

use crate::ui::attr;
use crate::ui::state::Shop;
use leptos::prelude::*;

pub fn support(shop: Shop) -> impl IntoView {
    let t = shop.text();
    let (email, url) = (
        shop.env.config.support_email.clone(),
        shop.env.config.support_url.clone(),
    );
    let primary = url
        .clone()
        .or_else(|| email.as_ref().map(|e| format!("mailto:{e}")));
    primary.map(|href| {
        let second = url.and(email).map(|e| {
            view! { <a class="kago-support-link" {attr("href", format!("mailto:{e}"))}>{e.clone()}</a> }
        });
        view! {
            <p class="kago-support">
                <a class="kago-support-link" {attr("href", href)}>{t.contact_support}</a>
                {second}
            </p>
        }
    })
}
