//! The Japanese checkout's actions: what the shopper types tidied as it is typed (full-width
//! digits, the e-mail's ＠, hiragana in フリガナ, a prefecture's name), the postal-code lookup
//! that fills the address, and the delivery date and time asked for (README, "Checkout in
//! Japan"). The rules are the core's (`japan`, `postal`, `delivery`); this keeps their results
//! in signals and fetches postal files through the [`Platform`](super::Platform).

use super::{Env, Shop};
use kago_core::checkout::{typed_value, AddressFormat, Draft, Field, Step};
use kago_core::config::PostalLookup;
use kago_core::delivery::{date_label, japan_today, selectable_dates, CivilDate};
use kago_core::i18n::fill;
use kago_core::japan::normalize_postal_code_jp;
use kago_core::postal::{fill_address, postal_fill, Filled, PostalAddress, PostalFile, PostalFill};
use leptos::prelude::*;

/// What the postal-code lookup has to say about the code typed.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum PostalStatus {
    /// Nothing: no code, or one being looked up.
    #[default]
    Quiet,
    /// The address was filled in (focus moves on to line 1 if it is still in the postal code).
    Filled,
    /// Several towns share the code: the shopper picks one.
    Choose(Vec<PostalAddress>),
    /// No address has the code, or its file could not be fetched: the fields stay as they are.
    NotFound,
}

/// The Japanese checkout's state beside the draft (which keeps what Kago filled in, for a reload).
#[derive(Clone, Copy)]
pub struct JapanInput {
    pub postal: RwSignal<PostalStatus>,
    /// A full-width ＠ in the e-mail was made `@`: the field says so.
    pub email_corrected: RwSignal<bool>,
    /// The delivery date or time chosen was no longer offered when the order was to go.
    pub delivery_refused: RwSignal<bool>,
    lookup: StoredValue<Lookup>,
}

#[derive(Default)]
struct Lookup {
    /// The seven digits last looked up: the same code typed again, or tidied, is not looked up
    /// again.
    code: Option<String>,
    /// The files fetched so far (a few KB each), by their first three digits.
    files: Vec<(String, PostalFile)>,
}

impl JapanInput {
    pub fn new() -> JapanInput {
        JapanInput {
            postal: RwSignal::new(PostalStatus::Quiet),
            email_corrected: RwSignal::new(false),
            delivery_refused: RwSignal::new(false),
            lookup: StoredValue::new(Lookup::default()),
        }
    }

    /// Forgets the notes and the code looked up (the order is placed: what was typed is gone);
    /// the files fetched stay.
    pub fn clear(&self) {
        self.postal.set(PostalStatus::Quiet);
        self.email_corrected.set(false);
        self.delivery_refused.set(false);
        self.lookup.update_value(|l| l.code = None);
    }
}

impl Default for JapanInput {
    fn default() -> Self {
        Self::new()
    }
}

impl Env {
    /// The folder the postal files come from, when the shop ships to Japan and the lookup is on.
    pub fn postal_base(&self) -> Option<&str> {
        match (&self.config.postal_lookup, self.format) {
            (PostalLookup::At(url), AddressFormat::Japan) => Some(url),
            _ => None,
        }
    }
}

impl Shop {
    /// The shopper typed `text` in `field`. While an IME is `composing` it, the text is kept
    /// exactly as it is (changing it would break the composition); otherwise the core tidies
    /// it, and a postal code is looked up.
    pub fn type_in(&self, field: Field, text: String, composing: bool) {
        let text = if composing {
            text
        } else {
            let typed = typed_value(field, &text, self.env.format);
            if typed.corrected {
                self.japan.email_corrected.set(true);
                self.announcer.say(self.text().email_corrected);
            }
            typed.value
        };
        if field == Field::Email && text.is_empty() && self.japan.email_corrected.get_untracked() {
            self.japan.email_corrected.set(false);
        }
        self.set_value(field, text);
        if field == Field::PostalCode && !composing {
            self.look_up_postal_code();
        }
    }

    /// The shopper left `field`: what an IME left untidied is tidied, then the field checked.
    pub fn leave_field(&self, field: Field) {
        let now = self
            .checkout
            .draft
            .with_untracked(|d| d.value(field).to_string());
        if typed_value(field, &now, self.env.format).value != now {
            self.type_in(field, now, false);
        }
        self.blur(field);
    }

    /// A note under a field about what Kago did with it (not an error).
    pub fn field_note(&self, field: Field) -> Option<&'static str> {
        let t = self.text();
        match field {
            Field::Email => self
                .japan
                .email_corrected
                .get()
                .then_some(t.email_corrected),
            Field::PostalCode => self
                .japan
                .postal
                .with(|s| *s == PostalStatus::NotFound)
                .then_some(t.postal_not_found),
            _ => None,
        }
    }

    /// Looks the postal code up when it is a new valid code: from the file already fetched for
    /// its first three digits, or from the one fetched now.
    fn look_up_postal_code(&self) {
        let Some(base) = self.env.postal_base() else {
            return;
        };
        let lookup = self.japan.lookup;
        let code = self
            .checkout
            .draft
            .with_untracked(|d| normalize_postal_code_jp(d.value(Field::PostalCode)));
        let key = code.as_ref().map(|c| c.key().to_string());
        if lookup.with_value(|l| l.code == key) {
            return;
        }
        lookup.update_value(|l| l.code = key);
        self.japan.postal.set(PostalStatus::Quiet);
        let Some(code) = code else {
            return;
        };
        let cached = lookup.with_value(|l| {
            l.files
                .iter()
                .find(|(prefix, _)| prefix == code.prefix())
                .map(|(_, file)| file.lookup(&code).to_vec())
        });
        if let Some(found) = cached {
            return self.postal_found(&found);
        }
        let (shop, url) = (*self, format!("{base}{}.json", code.prefix()));
        let fetch = self.env.platform.postal_file;
        leptos::task::spawn_local(async move {
            let file = fetch(url).await;
            // The shopper may have typed another code meanwhile: only the current one fills.
            let current = lookup.with_value(|l| l.code.as_deref() == Some(code.key()));
            match file {
                Some(file) => {
                    let found = file.lookup(&code).to_vec();
                    lookup.update_value(|l| {
                        if !l.files.iter().any(|(prefix, _)| prefix == code.prefix()) {
                            l.files.push((code.prefix().to_string(), file));
                        }
                    });
                    if current {
                        shop.postal_found(&found);
                    }
                }
                None if current => {
                    // Typed again, it is fetched again.
                    lookup.update_value(|l| l.code = None);
                    shop.postal_found(&[]);
                }
                None => {}
            }
        });
    }

    fn postal_found(&self, found: &[PostalAddress]) {
        let t = self.text();
        let outcome = self
            .checkout
            .draft
            .with_untracked(|d| postal_fill(found, &d.address_parts(), &d.postal_parts()));
        match outcome {
            PostalFill::Fill(filled) => {
                self.take_address(filled);
                self.japan.postal.set(PostalStatus::Filled);
                let address = found.first().map(PostalAddress::text).unwrap_or_default();
                self.announcer
                    .say(&fill(t.postal_filled, &[("address", &address)]));
            }
            PostalFill::Choose { filled, options } => {
                self.take_address(filled);
                self.japan.postal.set(PostalStatus::Choose(options));
                self.announcer.say(t.postal_choose);
            }
            PostalFill::NotFound => {
                self.japan.postal.set(PostalStatus::NotFound);
                self.announcer.say(t.postal_not_found);
            }
        }
    }

    /// The shopper picked one of the towns that share the code (its place in the list).
    pub fn pick_town(&self, index: usize) {
        let address = self.japan.postal.with_untracked(|s| match s {
            PostalStatus::Choose(options) => options.get(index).cloned(),
            _ => None,
        });
        if let Some(address) = address {
            let filled = self
                .checkout
                .draft
                .with_untracked(|d| fill_address(&address, &d.address_parts(), &d.postal_parts()));
            self.take_address(filled);
        }
    }

    fn take_address(&self, filled: Filled) {
        self.checkout.draft.update(|d| d.put_address(filled));
        // A field marked wrong is checked again now that it is filled.
        for field in [Field::Region, Field::City, Field::Line1] {
            if self
                .checkout
                .errors
                .with_untracked(|e| e.contains_key(&field))
            {
                self.check_field(field);
            }
        }
    }

    fn delivery_today(&self) -> Option<CivilDate> {
        japan_today((self.env.platform.now_ms)())
    }

    /// The delivery dates offered now (counted from today in Japan), as `(YYYY-MM-DD, label)`;
    /// none when the shop offers no dates.
    pub fn delivery_dates(&self) -> Vec<(String, String)> {
        let (Some(rules), Some(today)) = (
            self.env.config.checkout.delivery_dates.as_ref(),
            self.delivery_today(),
        ) else {
            return Vec::new();
        };
        selectable_dates(today, rules)
            .into_iter()
            .map(|date| (date.to_string(), date_label(date, self.env.locale())))
            .collect()
    }

    pub fn choose_delivery_date(&self, date: String) {
        self.checkout
            .draft
            .update(|d| d.delivery_date = Some(date).filter(|d| !d.is_empty()));
        self.japan.delivery_refused.set(false);
    }

    pub fn choose_delivery_slot(&self, slot: String) {
        self.checkout
            .draft
            .update(|d| d.delivery_slot = Some(slot).filter(|s| !s.is_empty()));
        self.japan.delivery_refused.set(false);
    }

    /// How the review and the confirmation show the delivery date and time asked for (指定なし
    /// for none); `None` for what the shop does not offer.
    pub fn delivery_text(&self, draft: &Draft) -> (Option<String>, Option<String>) {
        let t = self.text();
        let settings = &self.env.config.checkout;
        let none = || t.no_preference.to_string();
        let date = settings.delivery_dates.as_ref().map(|_| {
            draft
                .delivery_date
                .as_deref()
                .and_then(CivilDate::parse_iso)
                .map_or_else(none, |date| date_label(date, self.env.locale()))
        });
        let slots = &settings.delivery_slots;
        let slot = (!slots.as_slice().is_empty()).then(|| {
            draft
                .delivery_slot
                .as_deref()
                .and_then(|id| slots.get(id))
                .map_or_else(none, |slot| slot.label.clone())
        });
        (date, slot)
    }

    /// Checks the delivery date and time against what is offered now, before the order goes:
    /// one no longer offered (the page was open past midnight) is cleared and the shopper is
    /// asked again on the delivery step.
    pub(super) fn delivery_choice_ok(&self) -> bool {
        let Some(today) = self.delivery_today() else {
            return true;
        };
        let settings = &self.env.config.checkout;
        let refused = self.checkout.draft.with_untracked(|d| {
            d.check_delivery(
                today,
                settings.delivery_dates.as_ref(),
                &settings.delivery_slots,
            )
            .is_err()
        });
        if refused {
            self.checkout.draft.update(|d| {
                d.delivery_date = None;
                d.delivery_slot = None;
            });
            self.japan.delivery_refused.set(true);
            self.announcer.say(self.text().delivery_refused);
            if !self.wide.get_untracked() {
                self.go_to(Step::Delivery);
            }
        }
        !refused
    }
}
