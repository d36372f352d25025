//! One checkout attempt as the funnel sees it: when it started, when the shopper last did
//! something, and what has been reported, so `checkout_abandoned` goes out once and only for a
//! checkout that was really left, and the methods a shopper kept as pre-selected are reported
//! once too.

use crate::checkout::Step;
use crate::events::{AbandonTrigger, EventKind, ExitReason};

/// Where an unfinished checkout stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Attempt {
    pub started_at: u64,
    pub last_activity: u64,
    /// `checkout_abandoned` went out, or the order was placed: nothing more to report.
    pub finished: bool,
    /// `shipping_selected` / `payment_selected` went out in this attempt; if the shopper keeps
    /// the pre-selected methods they go out when the delivery step is completed.
    pub shipping_reported: bool,
    pub payment_reported: bool,
}

impl Attempt {
    pub fn start(now_ms: u64) -> Attempt {
        Attempt {
            started_at: now_ms,
            last_activity: now_ms,
            ..Attempt::default()
        }
    }

    /// The shopper did something.
    pub fn touch(&mut self, now_ms: u64) {
        self.last_activity = now_ms;
    }

    /// The `checkout_abandoned` event for this attempt if a checkout is `open` and nothing has
    /// ended the attempt yet; the attempt is finished by it.
    pub fn abandon(
        &mut self,
        open: bool,
        now_ms: u64,
        last_step: Step,
        trigger: AbandonTrigger,
        reason: Option<ExitReason>,
    ) -> Option<EventKind> {
        if !open || self.finished {
            return None;
        }
        self.finished = true;
        Some(EventKind::CheckoutAbandoned {
            last_step,
            duration_ms: now_ms.saturating_sub(self.started_at),
            trigger,
            reason,
        })
    }

    /// No activity for `minutes`: the checkout counts as abandoned (`data-abandon-after`).
    pub fn idle(&self, now_ms: u64, minutes: u32) -> bool {
        now_ms.saturating_sub(self.last_activity) >= u64::from(minutes) * 60_000
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_open_checkout_is_abandoned_once_with_its_duration() {
        let mut attempt = Attempt::start(1_000);
        attempt.touch(5_000);
        let first = attempt.abandon(true, 61_000, Step::Delivery, AbandonTrigger::Hidden, None);
        assert_eq!(
            first,
            Some(EventKind::CheckoutAbandoned {
                last_step: Step::Delivery,
                duration_ms: 60_000,
                trigger: AbandonTrigger::Hidden,
                reason: None
            })
        );
        let again = attempt.abandon(true, 62_000, Step::Delivery, AbandonTrigger::Unload, None);
        assert_eq!(again, None, "hidden, then closed: reported once");
    }

    #[test]
    fn a_closed_or_ordered_checkout_is_never_abandoned() {
        let mut attempt = Attempt::start(0);
        assert_eq!(
            attempt.abandon(false, 1, Step::Contact, AbandonTrigger::Unload, None),
            None
        );
        attempt.finished = true; // the order was placed
        assert_eq!(
            attempt.abandon(true, 1, Step::Review, AbandonTrigger::Unload, None),
            None
        );
    }

    #[test]
    fn idleness_counts_from_the_last_activity() {
        let mut attempt = Attempt::start(0);
        attempt.touch(60_000);
        assert!(!attempt.idle(60_000 + 30 * 60_000 - 1, 30));
        assert!(attempt.idle(60_000 + 30 * 60_000, 30));
    }
}
