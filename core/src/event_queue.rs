//! The persistent event queue's rules, with time passed in (so tests simulate it): bounded size
//! with oldest-first drops counted, batches under the beacon limit, one batch out at a time (a
//! lease), capped exponential backoff with jitter, and at-least-once delivery (events leave the
//! queue only when the endpoint accepted them).
//!
//! Every tab has its own queue and is the only one to write it: `localStorage` is only eventually
//! consistent between tabs (each renderer caches it), so a queue two tabs wrote could lose one
//! tab's write. A tab that is gone (closed, or silent past [`ORPHAN_AFTER_MS`]) leaves its queue
//! behind; the next tab to flush adopts it.

use crate::events::{iso8601_utc, to_segment, Event, SCHEMA_VERSION};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::json;
use serde_json::value::RawValue;

/// Prefix of each tab's own queue key (`kago.events.tab.<tab id>`).
pub const TAB_PREFIX: &str = "kago.events.tab.";
/// The one queue earlier versions shared between tabs: adopted like a gone tab's.
pub const LEGACY_QUEUE_KEY: &str = "kago.events";
/// A queue its tab has not written for this long is a gone tab's. Live tabs rewrite theirs at
/// every flush tick while events wait, and even a hidden tab's timers run once a minute.
pub const ORPHAN_AFTER_MS: u64 = 3 * 60_000;
/// Most events kept while the endpoint is unreachable; older ones are dropped first.
pub const MAX_QUEUED: usize = 300;
/// A batch body stays under this many bytes (the beacon limit is 64 KiB for everything in flight).
pub const MAX_BATCH_BYTES: usize = 60 * 1024;
/// A batch is sent as soon as this many events wait…
pub const FLUSH_AT: usize = 10;
/// …or every this many milliseconds.
pub const FLUSH_EVERY_MS: u64 = 4000;
/// How long a batch may stay out unanswered before it is sent again.
pub const LEASE_MS: u64 = 30_000;
const BACKOFF_BASE_MS: u64 = 2000;
const BACKOFF_CAP_MS: u64 = 5 * 60_000;

/// Which wire format the endpoint takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// `{"schema", "sent_at", "dropped", "events": [...]}`.
    Kago,
    /// Segment / RudderStack `{"batch": [track…], "sentAt"}`.
    Segment,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InFlight {
    pub owner: String,
    pub ids: Vec<String>,
    pub until: u64,
    /// How many dropped events this batch reports.
    pub dropped: u32,
}

/// A tab's queue as stored under `TAB_PREFIX` + its tab id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    pub events: Vec<QueuedEvent>,
    /// Events dropped (queue full) and not yet reported to the endpoint.
    pub dropped: u32,
    pub attempt: u32,
    pub next_try_at: u64,
    pub in_flight: Option<InFlight>,
    /// Unix ms of the owner's last write (absent in the queue older versions shared).
    #[serde(default)]
    pub written_at: u64,
    /// The owner's page went away: any tab (or the same page reloaded) takes the events at once.
    #[serde(default)]
    pub closed: bool,
}

/// What the endpoint said about a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    Accepted,
    /// Network error, 5xx, 408 or 429: keep and retry (after `Retry-After` ms if given).
    Retry {
        after_ms: Option<u64>,
    },
    /// Any other 4xx: retrying cannot help; the batch is dropped (and reported in the console).
    Refused,
}

/// Reads an HTTP status (0 = no answer) as a [`Delivery`].
pub fn delivery_for(status: u16, retry_after_s: Option<&str>) -> Delivery {
    match status {
        200..=299 => Delivery::Accepted,
        0 | 408 | 429 | 500..=599 => Delivery::Retry {
            after_ms: retry_after_s
                .and_then(|s| s.trim().parse::<u64>().ok())
                .map(|s| s.min(3600) * 1000),
        },
        _ => Delivery::Refused,
    }
}

/// A batch ready to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Batch {
    pub ids: Vec<String>,
    pub body: String,
    /// More events waited than fit under the byte limit: once this batch is accepted, the next
    /// goes at once rather than at the next tick, so a large cart's events keep the pace.
    pub full: bool,
}

impl Claim {
    /// The batch to send, if there is one.
    pub fn batch(self) -> Option<Batch> {
        match self {
            Claim::Batch(batch) => Some(batch),
            _ => None,
        }
    }
}

/// What [`Queue::claim`] found to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Claim {
    /// Nothing may go now (no events, a backoff, or a batch out).
    Nothing,
    Batch(Batch),
    /// The oldest event can never fit in a batch: it was dropped (and counted in `dropped`) so
    /// the rest can go. The edge says so in the console.
    Unsendable(QueuedEvent),
}

fn event_id(event: &QueuedEvent) -> String {
    event.id.clone()
}

/// An event as a queue keeps it: its JSON exactly as it will be sent (Kago's format), and its
/// id. Stored and read back as that JSON object, unparsed: a queue never needs the event types
/// to be read again (and the widget carries no code to read events back).
#[derive(Clone, Debug)]
pub struct QueuedEvent {
    pub id: String,
    json: Box<RawValue>,
}

impl QueuedEvent {
    pub fn new(event: &Event) -> QueuedEvent {
        let text = crate::wire::to_json(event);
        QueuedEvent {
            id: event.id.clone(),
            // The text of a serialized event is always one JSON object.
            json: RawValue::from_string(text).unwrap_or_else(|_| empty_object()),
        }
    }

    /// The event's JSON text.
    pub fn json(&self) -> &str {
        self.json.get()
    }
}

fn empty_object() -> Box<RawValue> {
    // `{}` is JSON: this never fails.
    RawValue::from_string("{}".into()).unwrap_or_default()
}

impl PartialEq for QueuedEvent {
    fn eq(&self, other: &Self) -> bool {
        self.json() == other.json()
    }
}

impl Eq for QueuedEvent {}

impl Serialize for QueuedEvent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.json.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for QueuedEvent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Id {
            id: String,
        }
        let json = Box::<RawValue>::deserialize(deserializer)?;
        let Id { id } = serde_json::from_str(json.get()).map_err(serde::de::Error::custom)?;
        Ok(QueuedEvent { id, json })
    }
}

/// POSTed to data-endpoint as text/plain JSON (no CORS preflight). Amounts are integers in minor
/// units. Events are delivered at least once: deduplicate by id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(title = "Kago funnel event batch, schema version 1")
)]
#[serde(deny_unknown_fields)]
pub struct KagoBatch<E = Vec<Event>> {
    /// The schema version, 1.
    #[cfg_attr(feature = "schema", schemars(extend("const" = 1)))]
    pub schema: u32,
    /// When the batch left the browser, ISO 8601 UTC.
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date-time")))]
    pub sent_at: String,
    /// Events the browser had to drop (queue full) since the last accepted batch.
    pub dropped: u32,
    pub events: E,
}

/// The request body for `events` in `format`.
pub fn batch_body(events: &[QueuedEvent], dropped: u32, now_ms: u64, format: Format) -> String {
    let sent_at = iso8601_utc(now_ms);
    match format {
        Format::Kago => crate::wire::to_json(&KagoBatch {
            schema: SCHEMA_VERSION,
            sent_at,
            dropped,
            events,
        }),
        Format::Segment => {
            let calls: Vec<serde_json::Value> = events
                .iter()
                .map(|e| to_segment(&serde_json::from_str(e.json()).unwrap_or_default()))
                .collect();
            json!({"batch": calls, "sentAt": sent_at, "context": {"dropped": dropped}}).to_string()
        }
    }
}

impl Queue {
    /// Adds an event; when full, the oldest waiting event (not one in flight) goes, is counted,
    /// and is returned for the console.
    pub fn push(&mut self, event: QueuedEvent) -> Option<QueuedEvent> {
        let mut dropped = None;
        if self.events.len() >= MAX_QUEUED {
            let flying = self
                .in_flight
                .as_ref()
                .map(|f| f.ids.clone())
                .unwrap_or_default();
            let oldest = self
                .events
                .iter()
                .position(|e| !flying.contains(&event_id(e)))
                .unwrap_or(0);
            dropped = Some(self.events.remove(oldest));
            self.dropped = self.dropped.saturating_add(1);
        }
        self.events.push(event);
        dropped
    }

    /// Whether a batch is out (this tab's or another's) whose lease has not expired.
    fn lease_held(&self, now: u64) -> bool {
        self.in_flight.as_ref().is_some_and(|f| f.until > now)
    }

    /// Whether a flush is worth trying now: events wait, no backoff, no batch out (not even this
    /// tab's own: claiming again would send the same events a second time).
    pub fn ready(&self, now: u64) -> bool {
        !self.events.is_empty() && now >= self.next_try_at && !self.lease_held(now)
    }

    /// Takes the sending lease and the oldest events that fit in one body under `max_bytes`.
    pub fn claim(&mut self, owner: &str, now: u64, max_bytes: usize, format: Format) -> Claim {
        if !self.ready(now) {
            return Claim::Nothing;
        }
        let chosen = fitting(&self.events, self.dropped, now, max_bytes, format);
        if chosen.is_empty() {
            // A single event larger than a batch can never be sent: drop it rather than block.
            self.dropped = self.dropped.saturating_add(1);
            return Claim::Unsendable(self.events.remove(0));
        }
        let body = batch_body(&chosen, self.dropped, now, format);
        let ids: Vec<String> = chosen.iter().map(event_id).collect();
        self.in_flight = Some(InFlight {
            owner: owner.into(),
            ids: ids.clone(),
            until: now + LEASE_MS,
            dropped: self.dropped,
        });
        Claim::Batch(Batch {
            full: ids.len() < self.events.len(),
            ids,
            body,
        })
    }

    /// Whether this queue was left by a tab that is gone (the legacy shared queue always is).
    pub fn is_orphan(&self, now: u64) -> bool {
        self.closed || now.saturating_sub(self.written_at) > ORPHAN_AFTER_MS
    }

    /// Takes over a gone tab's events (those not here already) and its dropped count. Its batch
    /// out may never have arrived, so those events are sent again (the receiver deduplicates).
    /// Events that did not fit (the queue was full) are returned for the console.
    pub fn adopt(&mut self, orphan: Queue) -> Vec<QueuedEvent> {
        let mut lost = Vec::new();
        for event in orphan.events {
            let id = event_id(&event);
            if !self.events.iter().any(|e| event_id(e) == id) {
                lost.extend(self.push(event));
            }
        }
        self.dropped = self.dropped.saturating_add(orphan.dropped);
        lost
    }

    /// Whether there is nothing to keep: no event waiting, none dropped to report.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty() && self.dropped == 0
    }

    /// Gives up this tab's lease (the page is going away): its unanswered batch stays queued
    /// and any tab, or this page after a reload, sends it again at once.
    pub fn release(&mut self, owner: &str) {
        if self.in_flight.as_ref().is_some_and(|f| f.owner == owner) {
            self.in_flight = None;
        }
    }

    /// Applies the endpoint's answer to the batch `owner` claimed. `jitter` is in `[0, 1)`.
    pub fn settle(&mut self, owner: &str, delivery: Delivery, now: u64, jitter: f64) {
        let Some(flight) = self.in_flight.take_if(|f| f.owner == owner) else {
            return;
        };
        match delivery {
            Delivery::Accepted | Delivery::Refused => {
                self.events.retain(|e| !flight.ids.contains(&event_id(e)));
                self.dropped = self.dropped.saturating_sub(flight.dropped);
                self.attempt = 0;
                self.next_try_at = 0;
            }
            Delivery::Retry { after_ms } => {
                self.attempt = self.attempt.saturating_add(1);
                self.next_try_at = now + backoff_ms(self.attempt, jitter, after_ms);
            }
        }
    }

    /// The batch a closing page hands to `sendBeacon`: waiting events not in another tab's
    /// live batch and not already `beaconed` by this page, under `max_bytes`. They stay queued
    /// until an answer confirms them, so a beacon that never arrives loses nothing (the
    /// receiver deduplicates by `id`).
    pub fn beacon_batch(
        &self,
        owner: &str,
        now: u64,
        max_bytes: usize,
        format: Format,
        beaconed: &[String],
    ) -> Option<Batch> {
        let busy: Vec<String> = match &self.in_flight {
            Some(f) if f.owner != owner && f.until > now => f.ids.clone(),
            _ => Vec::new(),
        };
        let free: Vec<QueuedEvent> = self
            .events
            .iter()
            .filter(|e| !busy.contains(&event_id(e)) && !beaconed.contains(&event_id(e)))
            .cloned()
            .collect();
        let chosen = fitting(&free, self.dropped, now, max_bytes, format);
        (!chosen.is_empty()).then(|| Batch {
            full: chosen.len() < free.len(),
            ids: chosen.iter().map(event_id).collect(),
            body: batch_body(&chosen, self.dropped, now, format),
        })
    }
}

/// The longest oldest-first run of `events` whose body fits in `max_bytes`. The body is an
/// envelope around the events' JSON separated by commas, so its length is counted as events
/// are added (each event's text is made once: linear in the queue, not quadratic).
fn fitting(
    events: &[QueuedEvent],
    dropped: u32,
    now: u64,
    max_bytes: usize,
    format: Format,
) -> Vec<QueuedEvent> {
    let mut size = batch_body(&[], dropped, now, format).len();
    let mut chosen: Vec<QueuedEvent> = Vec::new();
    for event in events {
        let len = match format {
            Format::Kago => event.json().len(),
            Format::Segment => to_segment(&serde_json::from_str(event.json()).unwrap_or_default())
                .to_string()
                .len(),
        };
        let added = len + usize::from(!chosen.is_empty());
        if size + added > max_bytes {
            break;
        }
        size += added;
        chosen.push(event.clone());
    }
    chosen
}

/// Delay before retry `attempt` (1-based): 2 s doubling to 5 min, "equal jitter" (half fixed,
/// half random), never shorter than the server's `Retry-After`.
pub fn backoff_ms(attempt: u32, jitter: f64, retry_after_ms: Option<u64>) -> u64 {
    let exp = BACKOFF_BASE_MS
        .saturating_mul(1u64 << attempt.saturating_sub(1).min(20))
        .min(BACKOFF_CAP_MS);
    let jittered = exp / 2 + (exp as f64 / 2.0 * jitter.clamp(0.0, 1.0)) as u64;
    jittered
        .max(retry_after_ms.unwrap_or(0))
        .min(BACKOFF_CAP_MS.max(retry_after_ms.unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::tests::context;
    use crate::events::{build_event, EventKind};

    fn event(n: usize) -> QueuedEvent {
        padded(n, "")
    }

    /// An `item_added` event whose sku carries `padding`.
    fn padded(n: usize, padding: &str) -> QueuedEvent {
        let kind = EventKind::ItemAdded {
            sku: format!("TEE{padding}"),
            variant: None,
            quantity: 1,
        };
        QueuedEvent::new(&build_event(
            kind,
            format!("e-{n}"),
            0,
            &context(),
            None,
            None,
        ))
    }

    fn queue_of(n: usize) -> Queue {
        let mut q = Queue::default();
        for i in 0..n {
            q.push(event(i));
        }
        q
    }

    #[test]
    fn delivered_events_leave_the_queue_and_others_stay() {
        let mut q = queue_of(3);
        let batch = q
            .claim("tab-a", 0, MAX_BATCH_BYTES, Format::Kago)
            .batch()
            .unwrap();
        assert_eq!(batch.ids, ["e-0", "e-1", "e-2"]);
        q.push(event(3));
        q.settle("tab-a", Delivery::Accepted, 10, 0.5);
        assert_eq!(q.events, vec![event(3)]);
        assert!(q.in_flight.is_none());
    }

    #[test]
    fn failures_back_off_exponentially_with_jitter_and_respect_retry_after() {
        let mut q = queue_of(1);
        let mut delays = Vec::new();
        let mut now = 0;
        for _ in 0..10 {
            q.claim("a", now, MAX_BATCH_BYTES, Format::Kago)
                .batch()
                .unwrap();
            q.settle("a", Delivery::Retry { after_ms: None }, now, 1.0);
            delays.push(q.next_try_at - now);
            assert!(
                q.claim("a", q.next_try_at - 1, MAX_BATCH_BYTES, Format::Kago)
                    .batch()
                    .is_none(),
                "no retry before the backoff ends"
            );
            now = q.next_try_at;
        }
        assert_eq!(&delays[..4], &[2000, 4000, 8000, 16000]);
        assert_eq!(*delays.last().unwrap(), 300_000, "capped at 5 minutes");
        assert_eq!(q.events.len(), 1, "nothing is lost while failing");
        assert_eq!(backoff_ms(1, 0.0, None), 1000, "jitter takes up to half");
        assert_eq!(
            backoff_ms(1, 0.0, Some(30_000)),
            30_000,
            "Retry-After is respected"
        );
    }

    #[test]
    fn a_refused_batch_is_dropped_and_the_rest_goes_on() {
        let mut q = queue_of(2);
        q.claim("a", 0, MAX_BATCH_BYTES, Format::Kago)
            .batch()
            .unwrap();
        q.push(event(9));
        q.settle("a", Delivery::Refused, 0, 0.0);
        assert_eq!(q.events, vec![event(9)]);
        assert_eq!(delivery_for(400, None), Delivery::Refused);
        assert_eq!(
            delivery_for(503, Some("7")),
            Delivery::Retry {
                after_ms: Some(7000)
            }
        );
        assert_eq!(delivery_for(0, None), Delivery::Retry { after_ms: None });
        assert_eq!(delivery_for(429, None), Delivery::Retry { after_ms: None });
        assert_eq!(delivery_for(204, None), Delivery::Accepted);
    }

    #[test]
    fn the_queue_is_bounded_and_counts_what_it_dropped() {
        let mut q = queue_of(MAX_QUEUED + 5);
        assert_eq!(q.events.len(), MAX_QUEUED);
        assert_eq!(q.dropped, 5);
        assert_eq!(q.events[0], event(5), "the oldest went first");
        let batch = q
            .claim("a", 0, MAX_BATCH_BYTES, Format::Kago)
            .batch()
            .unwrap();
        let body: serde_json::Value = serde_json::from_str(&batch.body).unwrap();
        assert_eq!(body["dropped"], 5);
        q.push(event(1000));
        q.settle("a", Delivery::Accepted, 0, 0.0);
        assert_eq!(
            q.dropped, 1,
            "drops reported by the batch are cleared; newer ones stay"
        );
    }

    #[test]
    fn a_gone_tabs_queue_is_adopted_once_with_its_dropped_count() {
        let mut mine = queue_of(2);
        mine.written_at = 1_000;
        let mut theirs = Queue::default();
        theirs.push(event(1)); // also here: adopted once
        theirs.push(event(7));
        theirs.dropped = 3;
        theirs.written_at = 1_000;
        theirs
            .claim("them", 1_000, MAX_BATCH_BYTES, Format::Kago)
            .batch()
            .unwrap();
        assert!(
            !theirs.is_orphan(1_000 + ORPHAN_AFTER_MS),
            "a tab silent for less is alive"
        );
        assert!(
            theirs.is_orphan(1_001 + ORPHAN_AFTER_MS),
            "silent longer: gone"
        );
        let mut closed = Queue {
            closed: true,
            ..Queue::default()
        };
        closed.written_at = 5_000;
        assert!(
            closed.is_orphan(5_000),
            "a closed page's queue is taken at once"
        );
        mine.adopt(theirs);
        assert_eq!(mine.events, vec![event(0), event(1), event(7)]);
        assert_eq!(mine.dropped, 3);
        let batch = mine
            .claim("me", 2_000, MAX_BATCH_BYTES, Format::Kago)
            .batch()
            .unwrap();
        assert_eq!(
            batch.ids,
            ["e-0", "e-1", "e-7"],
            "their batch out is sent again"
        );
        let legacy: Queue = serde_json::from_str(r#"{"events":[],"dropped":0,"attempt":0,"next_try_at":0,"in_flight":null,"merged":["x"]}"#).unwrap();
        assert_eq!(legacy.written_at, 0, "the old shared queue still reads");
        assert!(legacy.is_empty());
    }

    #[test]
    fn a_page_going_away_releases_its_lease_and_keeps_the_events() {
        let mut q = queue_of(2);
        let first = q
            .claim("a", 0, MAX_BATCH_BYTES, Format::Kago)
            .batch()
            .unwrap();
        q.release("b");
        assert!(q.in_flight.is_some(), "only the owner releases");
        q.release("a");
        let again = q
            .claim("a-reloaded", 1, MAX_BATCH_BYTES, Format::Kago)
            .batch()
            .unwrap();
        assert_eq!(again.ids, first.ids, "resent at once, same ids");
    }

    #[test]
    fn a_tab_does_not_claim_again_while_its_own_batch_is_out() {
        let mut q = queue_of(12);
        assert!(q
            .claim("a", 0, MAX_BATCH_BYTES, Format::Kago)
            .batch()
            .is_some());
        q.push(event(12));
        assert!(
            q.claim("a", 4000, MAX_BATCH_BYTES, Format::Kago)
                .batch()
                .is_none(),
            "a second flush (timer tick, 10th event) waits for the answer"
        );
        q.settle("a", Delivery::Accepted, 5000, 0.0);
        let next = q
            .claim("a", 5000, MAX_BATCH_BYTES, Format::Kago)
            .batch()
            .unwrap();
        assert_eq!(next.ids, ["e-12"]);
    }

    #[test]
    fn an_unanswered_batch_is_sent_again_after_its_lease() {
        let mut q = queue_of(4);
        let a = q
            .claim("tab-a", 0, MAX_BATCH_BYTES, Format::Kago)
            .batch()
            .unwrap();
        assert!(
            q.claim("tab-a", 1000, MAX_BATCH_BYTES, Format::Kago)
                .batch()
                .is_none(),
            "one batch out at a time"
        );
        let again = q
            .claim(
                "tab-a-reloaded",
                LEASE_MS + 1,
                MAX_BATCH_BYTES,
                Format::Kago,
            )
            .batch()
            .unwrap();
        assert_eq!(a.ids, again.ids, "the same ids, after the lease");
        q.settle("tab-a", Delivery::Accepted, LEASE_MS + 2, 0.0);
        assert!(
            q.in_flight.is_some(),
            "a stale owner cannot settle the new lease"
        );
    }

    #[test]
    fn batches_and_beacons_stay_under_the_byte_limit() {
        let mut q = Queue::default();
        for i in 0..200 {
            q.push(padded(i, &"x".repeat(500)));
        }
        let batch = q
            .claim("a", 0, MAX_BATCH_BYTES, Format::Kago)
            .batch()
            .unwrap();
        assert!(batch.body.len() <= MAX_BATCH_BYTES);
        assert!(batch.ids.len() < 200 && batch.ids.len() > 50);
        let beacon = q
            .beacon_batch("a", 0, MAX_BATCH_BYTES, Format::Segment, &[])
            .unwrap();
        assert!(beacon.body.len() <= MAX_BATCH_BYTES);
        let again = q
            .beacon_batch("a", 0, MAX_BATCH_BYTES, Format::Kago, &beacon.ids)
            .unwrap();
        assert!(
            again.ids.iter().all(|id| !beacon.ids.contains(id)),
            "a page never beacons the same event twice"
        );
        let mut huge = Queue::default();
        huge.push(padded(0, &"x".repeat(MAX_BATCH_BYTES)));
        huge.push(event(1));
        assert!(
            matches!(
                huge.claim("a", 0, MAX_BATCH_BYTES, Format::Kago),
                Claim::Unsendable(e) if e.id == "e-0"
            ),
            "an event larger than a batch is dropped and handed back for the console"
        );
        assert!(
            huge.events == vec![event(1)] && huge.dropped == 1,
            "an unsendable event does not block the queue"
        );
    }

    #[test]
    fn a_full_queue_hands_back_what_it_drops() {
        let mut q = queue_of(MAX_QUEUED);
        assert_eq!(q.push(event(MAX_QUEUED)), Some(event(0)));
        let mut other = Queue::default();
        for i in 1000..1003 {
            other.push(event(i));
        }
        let lost = q.adopt(other);
        assert_eq!(
            lost.len(),
            3,
            "adopting into a full queue drops the oldest, for the console"
        );
    }

    #[test]
    fn batches_hold_exactly_what_fits_and_say_when_more_waits() {
        for format in [Format::Kago, Format::Segment] {
            let mut q = Queue::default();
            for i in 0..MAX_QUEUED {
                q.push(padded(i, &"y".repeat(i % 700)));
            }
            q.dropped = 3;
            let mut now = 0;
            let mut sent = 0;
            while let Some(batch) = q.clone().claim("a", now, 20_000, format).batch() {
                let claimed = q.claim("a", now, 20_000, format).batch().unwrap();
                assert_eq!(claimed, batch);
                assert!(batch.body.len() <= 20_000);
                // Exactly the most that fits: one more event would go over.
                let next = q.events.get(batch.ids.len());
                if let Some(next) = next {
                    assert!(batch.full);
                    let one_more: Vec<QueuedEvent> = q.events[..=batch.ids.len()].to_vec();
                    assert!(
                        batch_body(&one_more, q.dropped, now, format).len() > 20_000,
                        "{format:?}: {} events fit, {} would too",
                        batch.ids.len(),
                        next.id
                    );
                }
                sent += batch.ids.len();
                q.settle("a", Delivery::Accepted, now, 0.0);
                now += 1;
            }
            assert_eq!(sent, MAX_QUEUED, "{format:?}");
        }
    }

    #[test]
    fn segment_batches_wrap_track_calls() {
        let body: serde_json::Value =
            serde_json::from_str(&batch_body(&[event(1)], 0, 0, Format::Segment)).unwrap();
        assert_eq!(body["batch"][0]["type"], "track");
        assert_eq!(body["batch"][0]["messageId"], "e-1");
        assert_eq!(body["batch"][0]["event"], "Product Added");
    }
}
