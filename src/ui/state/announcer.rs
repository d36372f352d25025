//! The polite live region: what screen readers hear after a change, with the new total.

use super::Env;
use kago_core::i18n::fill;
use kago_core::pricing::Totals;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Announcer {
    /// What the live region says now.
    pub text: RwSignal<String>,
    totals: Memo<Totals>,
    env: &'static Env,
}

impl Announcer {
    pub fn new(env: &'static Env, totals: Memo<Totals>) -> Announcer {
        Announcer {
            text: RwSignal::new(String::new()),
            totals,
            env,
        }
    }

    /// Says `message` and the new total, once the change is on screen.
    pub fn say_with_total(&self, message: String) {
        let this = *self;
        (self.env.platform.later)(Box::new(move || {
            let total = this.env.format(this.totals.get_untracked().total);
            let total = fill(this.env.text().total_now, &[("amount", &total)]);
            this.text
                .set(format!("{message} {total}").trim().to_string());
        }));
    }

    /// Says `message` at once (a status such as "Placing your order…").
    pub fn say(&self, message: &str) {
        self.text.set(message.to_string());
    }
}
