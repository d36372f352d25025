//! One order at a time for the cart the shop's tabs share. The tab that places an order holds
//! the Web Lock [`ORDER_LOCK`] while it does, and writes an [`OrderMark`] to `localStorage`
//! ([`ORDER_KEY`]) so the other tabs can say "being placed in another tab", and then show how it
//! ended, instead of sending a second order for the same cart.

use crate::checkout::Placed;
use crate::order::PLACING_BUDGET_MS;
use serde::{Deserialize, Serialize};

/// `localStorage` key of the mark.
pub const ORDER_KEY: &str = "kago.order";
/// Name of the Web Lock held while an order is being placed.
pub const ORDER_LOCK: &str = "kago.order";
/// How long a placed order's mark tells other tabs about it.
pub const RESULT_KEPT_MS: u64 = 10 * 60_000;

/// What one tab tells the others about the order it is placing, or has just placed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderMark {
    /// The order's idempotency key.
    pub key: String,
    /// Unix ms after which the mark says nothing any more (a tab that closed mid-order leaves
    /// one behind).
    pub until: u64,
    /// The confirmation, once the shop has the order; `None` while it is being placed.
    #[serde(default)]
    pub placed: Option<Placed>,
}

/// What a mark means now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MarkState<'a> {
    /// Another tab is placing the order.
    Placing,
    /// Another tab placed it: this is its confirmation.
    Placed(&'a Placed),
    /// Nothing to tell (expired, or none).
    Over,
}

impl OrderMark {
    /// The mark of an order being placed from `now` on: it outlives the longest placing.
    pub fn placing(key: String, now: u64) -> OrderMark {
        OrderMark {
            key,
            until: now + u64::from(PLACING_BUDGET_MS) + 15_000,
            placed: None,
        }
    }

    /// The mark of an order the shop has.
    pub fn placed(key: String, placed: Placed, now: u64) -> OrderMark {
        OrderMark {
            key,
            until: now + RESULT_KEPT_MS,
            placed: Some(placed),
        }
    }

    pub fn state(&self, now: u64) -> MarkState<'_> {
        match &self.placed {
            _ if now >= self.until => MarkState::Over,
            Some(placed) => MarkState::Placed(placed),
            None => MarkState::Placing,
        }
    }
}

/// Reads a stored mark; anything unreadable says nothing.
pub fn read_mark(text: Option<&str>, now: u64) -> Option<OrderMark> {
    let mark: OrderMark = serde_json::from_str(text?).ok()?;
    (mark.state(now) != MarkState::Over).then_some(mark)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed() -> Placed {
        Placed {
            order_id: Some("K-000123".into()),
            email: "ada@example.com".into(),
            total: "$31.32".into(),
            payment: None,
            feedback_sent: false,
            ..Placed::default()
        }
    }

    #[test]
    fn a_mark_says_placing_then_placed_then_nothing() {
        let mark = OrderMark::placing("k".into(), 1_000);
        assert_eq!(mark.state(1_000), MarkState::Placing);
        assert_eq!(
            mark.state(1_000 + u64::from(PLACING_BUDGET_MS) + 14_999),
            MarkState::Placing,
            "for as long as placing can take"
        );
        assert_eq!(
            mark.state(1_000 + u64::from(PLACING_BUDGET_MS) + 15_000),
            MarkState::Over,
            "a tab closed mid-order blocks no one for long"
        );
        let done = OrderMark::placed("k".into(), placed(), 2_000);
        assert_eq!(done.state(2_000), MarkState::Placed(&placed()));
        assert_eq!(done.state(2_000 + RESULT_KEPT_MS), MarkState::Over);
    }

    #[test]
    fn stored_marks_read_back_and_junk_says_nothing() {
        let done = OrderMark::placed("k".into(), placed(), 2_000);
        let text = crate::wire::to_json(&done);
        assert_eq!(read_mark(Some(&text), 2_001), Some(done));
        assert_eq!(read_mark(Some(&text), 2_000 + RESULT_KEPT_MS), None);
        assert_eq!(read_mark(Some("{oops"), 0), None);
        assert_eq!(read_mark(None, 0), None);
    }
}
