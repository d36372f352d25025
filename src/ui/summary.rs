//! The order summary: subtotal, discount, shipping, tax and total, as the core priced them.
//!
//! Rows that may not apply (discount, tax, the tax-included note) are built once and `hidden`
//! rather than each a `<Show>`: part of 2.9 KB gzip less wasm with the drawer's and the wallet
//! block's (re-measured 2026-12-04; BENCHMARKS.md, "Size machinery, re-measured").

use crate::ui::state::Shop;
use kago_core::i18n::fill;
use leptos::prelude::*;

pub fn summary(shop: Shop) -> impl IntoView {
    let t = shop.text();
    let totals = shop.totals;
    let money = move |pick: fn(&kago_core::pricing::Totals) -> kago_core::money::Money| {
        move || shop.format(totals.with(pick))
    };
    view! {
        <dl class="kago-summary" aria-label=t.summary>
            <div class="kago-row">
                <dt>{t.subtotal}</dt>
                <dd>{money(|t| t.subtotal)}</dd>
            </div>
            <div class="kago-row kago-discount" hidden=move || totals.with(|t| t.discount.minor == 0)>
                <dt>{t.discount}</dt>
                <dd>"−" {money(|t| t.discount)}</dd>
            </div>
            <div class="kago-row">
                <dt>{t.shipping}</dt>
                <dd>
                    {move || {
                        if totals.with(|x| x.shipping_free) {
                            t.free.to_string()
                        } else {
                            shop.format(totals.with(|x| x.shipping))
                        }
                    }}
                </dd>
            </div>
            <div class="kago-row" hidden=move || totals.with(|t| t.tax_included)>
                <dt>{t.tax}</dt>
                <dd>{money(|t| t.tax)}</dd>
            </div>
            <div class="kago-row kago-total">
                <dt>{t.total}</dt>
                <dd>{money(|t| t.total)}</dd>
            </div>
            <p class="kago-note" hidden=move || !totals.with(|t| t.tax_included && t.tax.minor > 0)>
                {move || fill(t.tax_included, &[("amount", &shop.format(totals.with(|t| t.tax)))])}
            </p>
        </dl>
        {move || {
            totals
                .with(|t| t.free_shipping_remaining)
                .map(|left| {
                    view! {
                        <p class="kago-hint">
                            {fill(t.free_shipping_hint, &[("amount", &shop.format(left))])}
                        </p>
                    }
                })
        }}
    }
}
