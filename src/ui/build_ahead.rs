//! When the drawer is built: ahead of time, in parts, each in a task of its own, so that opening
//! the cart only shows views that exist and no task of Kago's blocks the page for long.
//!
//! This module is the state machine alone, plain Rust with no Leptos in it (`cargo test` runs its
//! tests on the host); `ui::drawer` drives it from the shop's signals and builds what
//! [`Stage::built`] says.
//!
//! ```text
//!            Intent, CartChanged                Idle (short cart)
//!  Unbuilt ───────────────────────▶ Waiting ───────────────────────▶ Building(Frame)
//!     ▲                               │  ▲                                │ Yielded
//!     └──── Idle (cart over 20 lines) ┘  │ Idle                           ▼
//!                                        │                          Building(Money)
//!           Closed after checkout ───────┤                                │ Yielded
//!                                        │                                ▼
//!                                     Paused ◀─── CartChanged ───── Building(Lines)
//!                                        ▲     (while closed, from       │ Yielded: Totals
//!                                        │      any Building or Built)   ▼
//!                                        └──────── CartChanged ─────── Built
//! ```
//!
//! - Nothing is built before the shopper shows intent (a pointer on or focus in the cart button,
//!   a product added): the shop's first money formatter (`Intl.NumberFormat`) is one task of
//!   ~100–300 ms at 4× CPU that cannot be split, and every part but the frame shows money.
//!   From then on the drawer is built at idle moments.
//! - Building goes part by part ([`Part`]), yielding to the page between parts (`Yielded` is the
//!   task after the yield), so input and paint are never held up for more than one part.
//! - A change to the cart while the drawer is closed pauses what is built (its views stop
//!   following the cart within the change, so "Add to cart" does not pay for updating hidden
//!   views); the next idle moment drops it, the one after builds it anew.
//! - Opening shows what is built at once: nothing built → the frame is built at once (busy,
//!   "Loading your cart…") and the other parts follow, a task each, shown together once the last
//!   is built (`ui::drawer::cart_panel`: nothing on screen moves); paused → built anew the same
//!   way (`Rebuild`, as paused views cannot catch up).
//! - Closing after a panel other than the cart drops the drawer (the checkout's views are not
//!   kept); it is built again at the next idle moment.
//! - A cart of more than [`AHEAD_MAX_LINES`] lines is not built ahead (its rows alone would be a
//!   long task), only on open.

/// Longer carts are built when opened: building their rows ahead would block the page too long.
pub const AHEAD_MAX_LINES: usize = 20;

/// What the drawer is built of, in the order it is built, one part per task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    /// The dialog: backdrop, header and close button, the cart panel's outline (and the
    /// empty-cart message, which shows no money).
    Frame,
    /// The shop's money formatter (the first `Intl.NumberFormat` of a page is one long task).
    Money,
    /// The cart's rows.
    Lines,
    /// The rest of the cart panel: summary, "Checkout", support.
    Totals,
}

impl Part {
    /// The part built after this one (`None` after the last).
    pub fn next(self) -> Option<Part> {
        match self {
            Part::Frame => Some(Part::Money),
            Part::Money => Some(Part::Lines),
            Part::Lines => Some(Part::Totals),
            Part::Totals => None,
        }
    }
}

/// Where building the drawer stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Nothing built, nothing asked: no intent yet, or a cart too long to build ahead.
    Unbuilt,
    /// An idle moment is asked for, to start building.
    Waiting,
    /// The parts up to this one are built; the next one comes in a task of its own.
    Building(Part),
    /// Every part is built: the drawer is open, or closed and hidden, ready to show.
    Built,
    /// Built (wholly or in part) while closed, then the cart changed: the views are paused (they
    /// no longer follow the cart) and go at the next idle moment.
    Paused,
}

/// What happened, as the drawer's driver tells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// The shopper may open the cart soon: a pointer on or focus in the cart button.
    Intent,
    /// The idle moment asked for has come; `short`: the cart has at most [`AHEAD_MAX_LINES`]
    /// lines.
    Idle { short: bool },
    /// The task asked for after a part has come: time for the next part.
    Yielded,
    /// The cart changed while the drawer was closed (a product added is intent too).
    CartChanged,
    /// The drawer opened, on any panel.
    Opened,
    /// The drawer closed; `after_checkout`: a panel other than the cart was shown since it
    /// opened (the checkout, the confirmation, "What stopped you?"): then the drawer is dropped,
    /// those views are not kept.
    Closed { after_checkout: bool },
}

impl Event {
    /// The idle moment asked for, with a cart of `lines` lines.
    pub fn idle(lines: usize) -> Event {
        Event::Idle {
            short: lines <= AHEAD_MAX_LINES,
        }
    }
}

/// What the driver does after a transition, besides building what [`Stage::built`] says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    Nothing,
    /// Ask for an idle moment, then send [`Event::Idle`].
    AskIdle,
    /// Yield to the page, then send [`Event::Yielded`] in a task of its own.
    Yield,
    /// Pause the views now (within the cart's change), then ask for an idle moment.
    Pause,
    /// Drop the (paused) views and build them anew from the frame, then yield.
    Rebuild,
}

impl Stage {
    /// The stage after `event`, and what the driver does then. Events that do not apply in a
    /// stage (an idle moment or a yield asked for before a change of plan) change nothing.
    pub fn next(self, event: Event) -> (Stage, Command) {
        use Command::*;
        use Event::*;
        use Stage::*;
        match (self, event) {
            // Opening builds the frame at once; the other parts follow, a task each.
            (Unbuilt | Waiting, Opened) => (Building(Part::Frame), Yield),
            (Paused, Opened) => (Building(Part::Frame), Rebuild),
            (Unbuilt, Intent | CartChanged) => (Waiting, AskIdle),
            (Waiting, Idle { short: true }) => (Building(Part::Frame), Yield),
            (Waiting, Idle { short: false }) => (Unbuilt, Nothing),
            // The last part is built in the task that makes the drawer `Built`.
            (Building(part), Yielded) => match part.next() {
                Some(next) if next < Part::Totals => (Building(next), Yield),
                _ => (Built, Nothing),
            },
            (Building(_) | Built, CartChanged) => (Paused, Pause),
            (
                Building(_) | Built,
                Closed {
                    after_checkout: true,
                },
            ) => (Waiting, AskIdle),
            // Dropped at this idle moment, built again at the next.
            (Paused, Idle { .. }) => (Waiting, AskIdle),
            (stage, _) => (stage, Nothing),
        }
    }

    /// The parts that exist (the last one built), `None` when the drawer has no views.
    pub fn built(self) -> Option<Part> {
        match self {
            Stage::Unbuilt | Stage::Waiting => None,
            Stage::Building(part) => Some(part),
            // Paused views stay as they are until dropped: their own effects no longer run.
            Stage::Built | Stage::Paused => Some(Part::Totals),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Command::*;
    use Event::*;
    use Stage::*;

    /// Runs `events` from `stage`, answering each `Yield` with `Yielded` at once (the page
    /// had its task); returns the stage and every command given.
    fn run(mut stage: Stage, events: &[Event]) -> (Stage, Vec<Command>) {
        let mut commands = Vec::new();
        for &event in events {
            let mut next = Some(event);
            while let Some(event) = next.take() {
                let (after, command) = stage.next(event);
                stage = after;
                commands.push(command);
                if command == Yield || command == Rebuild {
                    next = Some(Yielded);
                }
            }
        }
        (stage, commands)
    }

    #[test]
    fn nothing_is_built_before_intent_then_part_by_part_at_idle() {
        assert_eq!(Unbuilt.built(), None);
        assert_eq!(Unbuilt.next(Idle { short: true }), (Unbuilt, Nothing));
        assert_eq!(Unbuilt.next(Intent), (Waiting, AskIdle));
        assert_eq!(Waiting.built(), None);
        let (stage, command) = Waiting.next(Idle { short: true });
        assert_eq!((stage, command), (Building(Part::Frame), Yield));
        assert_eq!(stage.built(), Some(Part::Frame));
        // One part per task, in order, yielding after each.
        let mut stage = stage;
        for part in [Part::Money, Part::Lines] {
            let (after, command) = stage.next(Yielded);
            assert_eq!((after, command), (Building(part), Yield));
            stage = after;
        }
        assert_eq!(stage.next(Yielded), (Built, Nothing), "the last part");
        assert_eq!(Built.built(), Some(Part::Totals));
    }

    #[test]
    fn a_product_added_is_intent_too() {
        assert_eq!(Unbuilt.next(CartChanged), (Waiting, AskIdle));
        assert_eq!(
            Waiting.next(CartChanged),
            (Waiting, Nothing),
            "nothing built yet"
        );
    }

    #[test]
    fn a_long_cart_is_not_built_ahead_but_the_next_intent_tries_again() {
        assert_eq!(Waiting.next(Event::idle(20)).0, Building(Part::Frame));
        assert_eq!(Waiting.next(Event::idle(21)), (Unbuilt, Nothing));
        assert_eq!(Unbuilt.next(Intent), (Waiting, AskIdle));
    }

    #[test]
    fn a_cart_change_while_closed_pauses_then_drops_then_builds_again() {
        for built in [
            Built,
            Building(Part::Frame),
            Building(Part::Money),
            Building(Part::Lines),
        ] {
            assert_eq!(built.next(CartChanged), (Paused, Pause), "from {built:?}");
        }
        assert_eq!(
            Paused.next(CartChanged),
            (Paused, Nothing),
            "already paused"
        );
        assert_eq!(Paused.next(Yielded), (Paused, Nothing), "building stops");
        assert_eq!(Paused.next(Idle { short: true }), (Waiting, AskIdle));
        assert_eq!(Waiting.built(), None, "dropped");
        let (stage, _) = run(Waiting, &[Idle { short: true }]);
        assert_eq!(stage, Built, "built again at the next idle moment");
    }

    #[test]
    fn opening_shows_what_is_built_and_builds_the_rest_a_part_per_task() {
        assert_eq!(Built.next(Opened), (Built, Nothing), "only shown");
        assert_eq!(
            Building(Part::Lines).next(Opened),
            (Building(Part::Lines), Nothing),
            "the parts to come follow as they would"
        );
        for nothing in [Unbuilt, Waiting] {
            assert_eq!(
                nothing.next(Opened),
                (Building(Part::Frame), Yield),
                "the frame at once, from {nothing:?}"
            );
        }
        let (stage, commands) = run(Unbuilt, &[Opened]);
        assert_eq!(stage, Built);
        assert_eq!(commands, [Yield, Yield, Yield, Nothing]);
    }

    #[test]
    fn opening_paused_views_builds_them_anew() {
        assert_eq!(Paused.next(Opened), (Building(Part::Frame), Rebuild));
        let (stage, _) = run(Paused, &[Opened]);
        assert_eq!(stage, Built);
    }

    #[test]
    fn closing_after_checkout_drops_the_drawer_closing_the_cart_keeps_it() {
        assert_eq!(
            Built.next(Closed {
                after_checkout: false
            }),
            (Built, Nothing)
        );
        assert_eq!(
            Built.next(Closed {
                after_checkout: true
            }),
            (Waiting, AskIdle)
        );
        assert_eq!(
            Building(Part::Money).next(Closed {
                after_checkout: true
            }),
            (Waiting, AskIdle)
        );
    }

    #[test]
    fn idle_moments_and_yields_asked_for_earlier_change_nothing_they_do_not_apply_to() {
        for stage in [Built, Building(Part::Lines)] {
            assert_eq!(stage.next(Idle { short: true }), (stage, Nothing));
            assert_eq!(stage.next(Intent), (stage, Nothing));
        }
        for stage in [Unbuilt, Waiting, Built, Paused] {
            assert_eq!(stage.next(Yielded), (stage, Nothing));
        }
        assert_eq!(Built.next(CartChanged).0, Paused);
    }

    #[test]
    fn every_stage_and_event_has_a_transition_and_no_built_view_is_left_unpaused_on_a_change() {
        let stages = [
            Unbuilt,
            Waiting,
            Building(Part::Frame),
            Building(Part::Money),
            Building(Part::Lines),
            Built,
            Paused,
        ];
        let events = [
            Intent,
            Idle { short: true },
            Idle { short: false },
            Yielded,
            CartChanged,
            Opened,
            Closed {
                after_checkout: false,
            },
            Closed {
                after_checkout: true,
            },
        ];
        for stage in stages {
            for event in events {
                let (after, command) = stage.next(event);
                // Views that exist after a change of the closed cart are paused ones.
                if event == CartChanged && stage.built().is_some() {
                    assert_eq!(after, Paused, "{stage:?} on {event:?}");
                }
                // A stage that builds has a task coming, or is waiting for one.
                if matches!(after, Building(_)) && after != stage {
                    assert!(matches!(command, Yield | Rebuild), "{stage:?} on {event:?}");
                }
                if after == Waiting && stage != Waiting {
                    assert_eq!(command, AskIdle, "{stage:?} on {event:?}");
                }
            }
        }
    }
}
