//! Delivery date and time-slot choices: the merchant's `delivery_dates` and `delivery_slots`,
//! the dates a shopper may pick counted from a given day, their labels, and the check of a
//! shopper's pick.
//!
//! In the JSON block (both optional; without them checkout asks for no date or slot):
//!
//! ```json
//! "delivery_dates": { "earliest": 2, "count": 14, "exclude_weekdays": ["sun"] },
//! "delivery_slots": [ { "id": "am", "label": "午前中" }, { "id": "14-16", "label": "14時〜16時" } ]
//! ```
//!
//! - `earliest`: the first date offered, in days after today (0 = today), 0–365.
//! - `count`: how many dates are offered, 1–60; excluded weekdays are skipped, not counted, so
//!   the shopper always sees `count` dates.
//! - `exclude_weekdays`: weekdays never offered, as `"sun"` … `"sat"` (optional; not all seven).
//! - `delivery_slots`: the time slots in the order shown; `id` (1–32 of `A–Z a–z 0–9 - _`,
//!   each once) goes into the order, `label` (1–40 characters) is shown as written.
//!
//! No other keys are accepted. There is no clock here: "today" is a [`CivilDate`] the caller
//! gives (the shop's date: for a Japanese shop, today in Japan).

use std::fmt;

use serde::Deserialize;

use crate::i18n::Locale;

/// A day of the calendar (proleptic Gregorian, years 1–9999), with no time or zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CivilDate {
    year: u16,
    month: u8,
    day: u8,
}

impl CivilDate {
    /// The date, if it exists (`2026, 2, 29` does not).
    pub fn new(year: u16, month: u8, day: u8) -> Option<CivilDate> {
        let valid = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        valid.then_some(CivilDate { year, month, day })
    }

    pub fn year(self) -> u16 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    /// The date `days` days after 1970-01-01 (before it when negative): with the shop's UTC
    /// offset added to a timestamp, today's date there —
    /// `from_unix_days((now_ms + 9 * 3_600_000).div_euclid(86_400_000))` is today in Japan.
    pub fn from_unix_days(days: i64) -> Option<CivilDate> {
        // Howard Hinnant's civil_from_days: 400-year eras of 146 097 days, years from March.
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        CivilDate::new(
            u16::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn unix_days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (month, day) = (i64::from(self.month), i64::from(self.day));
        let year = i64::from(self.year) - i64::from(month <= 2);
        let era = year.div_euclid(400);
        let yoe = year.rem_euclid(400);
        let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` later (earlier when negative), if it is within years 1–9999.
    pub fn add_days(self, days: i64) -> Option<CivilDate> {
        CivilDate::from_unix_days(self.unix_days().checked_add(days)?)
    }

    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday.
        Weekday::ALL[(self.unix_days() + 4).rem_euclid(7) as usize]
    }

    /// Reads `YYYY-MM-DD`, the form a date takes in the order (`delivery_date`).
    pub fn parse_iso(text: &str) -> Option<CivilDate> {
        let bytes = text.as_bytes();
        let shape = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape {
            return None;
        }
        CivilDate::new(
            text[..4].parse().ok()?,
            text[5..7].parse().ok()?,
            text[8..].parse().ok()?,
        )
    }
}

/// `YYYY-MM-DD`.
impl fmt::Display for CivilDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

/// A day of the week; in JSON `"sun"` … `"sat"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Weekday {
    Sun,
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
}

impl Weekday {
    /// Sunday first, as Japanese calendars and JavaScript's `getDay()` count.
    pub const ALL: [Weekday; 7] = [
        Weekday::Sun,
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
    ];

    /// The name in JSON: `sun` … `sat`.
    pub fn key(self) -> &'static str {
        ["sun", "mon", "tue", "wed", "thu", "fri", "sat"][self as usize]
    }

    /// The short name a date label uses: `日` … `土`, `Sun` … `Sat`.
    pub fn short_label(self, locale: Locale) -> &'static str {
        let i = self as usize;
        match locale {
            Locale::Ja => ["日", "月", "火", "水", "木", "金", "土"][i],
            Locale::En => ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][i],
        }
    }
}

/// Names only: a number would be ambiguous (0 is Sunday in JavaScript, Monday elsewhere), so
/// it is refused with a message saying so.
impl<'de> Deserialize<'de> for Weekday {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct WeekdayVisitor;

        impl serde::de::Visitor<'_> for WeekdayVisitor {
            type Value = Weekday;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(r#"a weekday: "sun", "mon", "tue", "wed", "thu", "fri" or "sat""#)
            }

            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Weekday, E> {
                Weekday::ALL
                    .into_iter()
                    .find(|day| day.key() == name)
                    .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Str(name), &self))
            }

            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Weekday, E> {
                Err(number_error(n))
            }

            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Weekday, E> {
                Err(number_error(n))
            }
        }

        fn number_error<E: serde::de::Error>(n: impl fmt::Display) -> E {
            E::custom(format!(
                r#"weekday {n}: write the day's name ("sun" … "sat"), numbers differ between calendars"#
            ))
        }

        deserializer.deserialize_any(WeekdayVisitor)
    }
}

/// Today in Japan (UTC+9, no daylight saving time) at `now_ms` (milliseconds since
/// 1970-01-01 UTC, as `Date.now()`): the day the delivery dates are counted from.
pub fn japan_today(now_ms: u64) -> Option<CivilDate> {
    const JST_MS: i64 = 9 * 3_600_000;
    let now_ms = i64::try_from(now_ms).ok()?;
    CivilDate::from_unix_days((now_ms + JST_MS).div_euclid(86_400_000))
}

/// A date as the list of delivery dates shows it: `12月6日(日)`, `Sun, Dec 6`.
pub fn date_label(date: CivilDate, locale: Locale) -> String {
    let weekday = date.weekday().short_label(locale);
    match locale {
        Locale::Ja => format!("{}月{}日({weekday})", date.month, date.day),
        Locale::En => {
            const MONTHS: [&str; 12] = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            let month = MONTHS[usize::from(date.month - 1)];
            format!("{weekday}, {month} {}", date.day)
        }
    }
}

/// A mistake in the merchant's `delivery_dates` or `delivery_slots`, naming the key and value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeliveryConfigError {
    Earliest(u16),
    Count(u16),
    EveryWeekdayExcluded,
    SlotId(String),
    DuplicateSlotId(String),
    SlotLabel { id: String, label: String },
}

impl fmt::Display for DeliveryConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeliveryConfigError::Earliest(n) => write!(
                f,
                "delivery_dates.earliest is {n}: it must be 0 to {MAX_EARLIEST} days after today"
            ),
            DeliveryConfigError::Count(n) => write!(
                f,
                "delivery_dates.count is {n}: it must be 1 to {MAX_COUNT} dates"
            ),
            DeliveryConfigError::EveryWeekdayExcluded => f.write_str(
                "delivery_dates.exclude_weekdays excludes all seven days: no date could be offered",
            ),
            DeliveryConfigError::SlotId(id) => write!(
                f,
                "delivery_slots: id \"{id}\" must be 1 to {MAX_SLOT_ID} of A-Z a-z 0-9 - _"
            ),
            DeliveryConfigError::DuplicateSlotId(id) => {
                write!(f, "delivery_slots: id \"{id}\" is used twice")
            }
            DeliveryConfigError::SlotLabel { id, label } => write!(
                f,
                "delivery_slots: the label \"{label}\" of \"{id}\" must be 1 to {MAX_SLOT_LABEL} characters"
            ),
        }
    }
}

impl std::error::Error for DeliveryConfigError {}

const MAX_EARLIEST: u16 = 365;
const MAX_COUNT: u16 = 60;
const MAX_SLOT_ID: usize = 32;
const MAX_SLOT_LABEL: usize = 40;

/// Which delivery dates a shopper may pick (`delivery_dates`, see the module docs).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "DeliveryDatesJson")]
pub struct DeliveryDates {
    earliest: u16,
    count: u16,
    excluded: [bool; 7],
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeliveryDatesJson {
    earliest: u16,
    count: u16,
    #[serde(default)]
    exclude_weekdays: Vec<Weekday>,
}

impl TryFrom<DeliveryDatesJson> for DeliveryDates {
    type Error = DeliveryConfigError;

    fn try_from(json: DeliveryDatesJson) -> Result<Self, Self::Error> {
        DeliveryDates::new(json.earliest, json.count, &json.exclude_weekdays)
    }
}

impl DeliveryDates {
    pub fn new(
        earliest: u16,
        count: u16,
        exclude_weekdays: &[Weekday],
    ) -> Result<DeliveryDates, DeliveryConfigError> {
        if earliest > MAX_EARLIEST {
            return Err(DeliveryConfigError::Earliest(earliest));
        }
        if !(1..=MAX_COUNT).contains(&count) {
            return Err(DeliveryConfigError::Count(count));
        }
        let mut excluded = [false; 7];
        for &day in exclude_weekdays {
            excluded[day as usize] = true;
        }
        if excluded.iter().all(|&x| x) {
            return Err(DeliveryConfigError::EveryWeekdayExcluded);
        }
        Ok(DeliveryDates {
            earliest,
            count,
            excluded,
        })
    }

    pub fn earliest(&self) -> u16 {
        self.earliest
    }

    pub fn count(&self) -> u16 {
        self.count
    }

    pub fn is_excluded(&self, day: Weekday) -> bool {
        self.excluded[day as usize]
    }
}

/// The dates offered when it is `today`, in order: `count` dates from `earliest` days after
/// today on, skipping excluded weekdays.
pub fn selectable_dates(today: CivilDate, dates: &DeliveryDates) -> Vec<CivilDate> {
    let mut offered = Vec::with_capacity(usize::from(dates.count));
    let mut next = today.add_days(i64::from(dates.earliest));
    while let Some(date) = next {
        if offered.len() == usize::from(dates.count) {
            break;
        }
        if !dates.is_excluded(date.weekday()) {
            offered.push(date);
        }
        next = date.add_days(1);
    }
    offered
}

/// One delivery time slot (`delivery_slots`, see the module docs).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliverySlot {
    pub id: String,
    pub label: String,
}

/// The merchant's time slots, checked: ids well formed and each once, labels not empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(try_from = "Vec<DeliverySlot>")]
pub struct DeliverySlots(Vec<DeliverySlot>);

impl TryFrom<Vec<DeliverySlot>> for DeliverySlots {
    type Error = DeliveryConfigError;

    fn try_from(slots: Vec<DeliverySlot>) -> Result<Self, Self::Error> {
        DeliverySlots::new(slots)
    }
}

impl DeliverySlots {
    pub fn new(slots: Vec<DeliverySlot>) -> Result<DeliverySlots, DeliveryConfigError> {
        for (i, slot) in slots.iter().enumerate() {
            let id_ok = (1..=MAX_SLOT_ID).contains(&slot.id.len())
                && slot
                    .id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if !id_ok {
                return Err(DeliveryConfigError::SlotId(slot.id.clone()));
            }
            if slots[..i].iter().any(|s| s.id == slot.id) {
                return Err(DeliveryConfigError::DuplicateSlotId(slot.id.clone()));
            }
            let label = slot.label.trim();
            if label.is_empty() || label.chars().count() > MAX_SLOT_LABEL {
                return Err(DeliveryConfigError::SlotLabel {
                    id: slot.id.clone(),
                    label: slot.label.clone(),
                });
            }
        }
        Ok(DeliverySlots(slots))
    }

    /// The slots in the merchant's order.
    pub fn as_slice(&self) -> &[DeliverySlot] {
        &self.0
    }

    pub fn get(&self, id: &str) -> Option<&DeliverySlot> {
        self.0.iter().find(|s| s.id == id)
    }
}

/// Why a shopper's delivery pick is refused (a stale page or a hand-made request: the form
/// only offers what is allowed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeliveryChoiceError {
    /// Not a `YYYY-MM-DD` date among today's [`selectable_dates`].
    DateNotOffered,
    /// Not the id of one of the merchant's slots.
    SlotNotOffered,
}

/// Checks a `delivery_date` (`YYYY-MM-DD`) against the dates offered `today`; empty means no
/// date asked for (指定なし), `Ok(None)`.
pub fn validate_delivery_date(
    value: &str,
    today: CivilDate,
    dates: &DeliveryDates,
) -> Result<Option<CivilDate>, DeliveryChoiceError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let date = CivilDate::parse_iso(value).ok_or(DeliveryChoiceError::DateNotOffered)?;
    if selectable_dates(today, dates).contains(&date) {
        Ok(Some(date))
    } else {
        Err(DeliveryChoiceError::DateNotOffered)
    }
}

/// Checks a `delivery_slot` id against the merchant's slots; empty means no slot asked for
/// (指定なし), `Ok(None)`.
pub fn validate_delivery_slot<'a>(
    value: &str,
    slots: &'a DeliverySlots,
) -> Result<Option<&'a DeliverySlot>, DeliveryChoiceError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    slots
        .get(value)
        .map(Some)
        .ok_or(DeliveryChoiceError::SlotNotOffered)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: u16, m: u8, d: u8) -> CivilDate {
        CivilDate::new(y, m, d).unwrap()
    }

    fn dates(json: &str) -> Result<DeliveryDates, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    fn slots(json: &str) -> Result<DeliverySlots, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn weekdays_match_the_calendar() {
        assert_eq!(date(1970, 1, 1).weekday(), Weekday::Thu);
        assert_eq!(date(2000, 2, 29).weekday(), Weekday::Tue);
        assert_eq!(date(2026, 12, 6).weekday(), Weekday::Sun);
        assert_eq!(date(2027, 1, 1).weekday(), Weekday::Fri);
        assert_eq!(date(1, 1, 1).weekday(), Weekday::Mon);
        assert_eq!(date(1969, 12, 31).unix_days(), -1);
        assert_eq!(date(2026, 12, 4).unix_days(), 20_791);
    }

    #[test]
    fn only_real_dates_exist() {
        assert_eq!(CivilDate::new(2026, 2, 29), None);
        assert!(CivilDate::new(2028, 2, 29).is_some());
        assert_eq!(CivilDate::new(1900, 2, 29), None);
        assert!(CivilDate::new(2000, 2, 29).is_some());
        assert_eq!(CivilDate::new(2026, 4, 31), None);
        assert_eq!(CivilDate::new(2026, 13, 1), None);
        assert_eq!(CivilDate::new(2026, 1, 0), None);
        assert_eq!(CivilDate::new(0, 1, 1), None);
        assert_eq!(date(9999, 12, 31).add_days(1), None);
        assert_eq!(date(1, 1, 1).add_days(-1), None);
    }

    #[test]
    fn today_in_japan_comes_from_a_timestamp_and_the_offset() {
        // 2026-12-05T15:30:00Z is 00:30 on the 6th in Japan (UTC+9).
        let ms: i64 = 1_796_484_600_000;
        let japan = CivilDate::from_unix_days((ms + 9 * 3_600_000).div_euclid(86_400_000));
        assert_eq!(japan, Some(date(2026, 12, 6)));
        assert_eq!(
            CivilDate::from_unix_days(ms.div_euclid(86_400_000)),
            Some(date(2026, 12, 5))
        );
    }

    #[test]
    fn japan_today_turns_at_midnight_in_japan_not_in_utc() {
        // 2026-12-05T14:59:59.999Z is 23:59 on the 5th in Japan; a millisecond later, the 6th.
        let ms: u64 = 1_796_482_800_000;
        assert_eq!(japan_today(ms - 1), Some(date(2026, 12, 5)));
        assert_eq!(japan_today(ms), Some(date(2026, 12, 6)));
        assert_eq!(japan_today(0), Some(date(1970, 1, 1)));
        assert_eq!(japan_today(u64::MAX), None);
    }

    #[test]
    fn iso_dates_are_read_and_written() {
        assert_eq!(CivilDate::parse_iso("2026-12-06"), Some(date(2026, 12, 6)));
        assert_eq!(date(2026, 1, 2).to_string(), "2026-01-02");
        for bad in [
            "",
            "2026-12-6",
            "2026/12/06",
            "2026-02-30",
            "20261206",
            "2026-12-06T00",
            "+026-12-06",
            "２０２６-12-06",
        ] {
            assert_eq!(CivilDate::parse_iso(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn date_labels_in_japanese_and_english() {
        assert_eq!(date_label(date(2026, 12, 6), Locale::Ja), "12月6日(日)");
        assert_eq!(date_label(date(2026, 12, 6), Locale::En), "Sun, Dec 6");
        assert_eq!(date_label(date(2027, 1, 1), Locale::Ja), "1月1日(金)");
        assert_eq!(date_label(date(2027, 5, 15), Locale::En), "Sat, May 15");
    }

    #[test]
    fn delivery_dates_are_read_from_the_json_block() {
        let read =
            dates(r#"{"earliest": 2, "count": 7, "exclude_weekdays": ["sun", "wed"]}"#).unwrap();
        assert_eq!(
            read,
            DeliveryDates::new(2, 7, &[Weekday::Sun, Weekday::Wed]).unwrap()
        );
        assert!(read.is_excluded(Weekday::Sun) && read.is_excluded(Weekday::Wed));
        assert!(!read.is_excluded(Weekday::Sat));
        assert_eq!(dates(r#"{"earliest": 0, "count": 1}"#).unwrap().count(), 1);
    }

    #[test]
    fn a_wrong_delivery_dates_block_is_refused_with_the_key_and_value() {
        for (json, message) in [
            (
                r#"{"earliest": 2, "count": 0}"#,
                "delivery_dates.count is 0",
            ),
            (
                r#"{"earliest": 2, "count": 61}"#,
                "delivery_dates.count is 61",
            ),
            (
                r#"{"earliest": 366, "count": 7}"#,
                "delivery_dates.earliest is 366",
            ),
            (
                r#"{"earliest": 1, "count": 7, "exclude_weekdays": ["sun","mon","tue","wed","thu","fri","sat"]}"#,
                "excludes all seven days",
            ),
            (
                r#"{"earliest": 1, "count": 7, "exclude_weekdays": ["sunday"]}"#,
                r#"invalid value: string "sunday", expected a weekday: "sun""#,
            ),
            (
                r#"{"earliest": 1, "count": 7, "exclude_weekdays": [0]}"#,
                "weekday 0: write the day's name",
            ),
            (
                r#"{"earliest": 1, "count": 7, "exclude": ["sun"]}"#,
                "unknown field `exclude`",
            ),
            (r#"{"count": 7}"#, "missing field `earliest`"),
            (r#"{"earliest": -1, "count": 7}"#, "invalid value"),
        ] {
            let err = dates(json).expect_err(json);
            assert!(err.contains(message), "{json}: {err}");
        }
    }

    #[test]
    fn offered_dates_start_at_earliest_skip_excluded_days_and_number_count() {
        // Friday 2026-12-04; two days on is Sunday the 6th, excluded.
        let rules = DeliveryDates::new(2, 5, &[Weekday::Sun]).unwrap();
        let offered = selectable_dates(date(2026, 12, 4), &rules);
        assert_eq!(
            offered,
            [
                date(2026, 12, 7),
                date(2026, 12, 8),
                date(2026, 12, 9),
                date(2026, 12, 10),
                date(2026, 12, 11)
            ]
        );
        let labels: Vec<_> = offered.iter().map(|d| date_label(*d, Locale::Ja)).collect();
        assert_eq!(labels[0], "12月7日(月)");
        // Across the year's end, same-day delivery included.
        let rules = DeliveryDates::new(0, 3, &[]).unwrap();
        assert_eq!(
            selectable_dates(date(2026, 12, 31), &rules),
            [date(2026, 12, 31), date(2027, 1, 1), date(2027, 1, 2)]
        );
    }

    #[test]
    fn a_chosen_date_must_be_one_offered_today() {
        let rules = DeliveryDates::new(2, 5, &[Weekday::Sun]).unwrap();
        let today = date(2026, 12, 4);
        assert_eq!(
            validate_delivery_date("2026-12-07", today, &rules),
            Ok(Some(date(2026, 12, 7)))
        );
        assert_eq!(validate_delivery_date("", today, &rules), Ok(None));
        for refused in [
            "2026-12-06",
            "2026-12-05",
            "2026-12-12",
            "2026-12-04",
            "12月7日",
            "2026-12-7",
        ] {
            assert_eq!(
                validate_delivery_date(refused, today, &rules),
                Err(DeliveryChoiceError::DateNotOffered),
                "{refused}"
            );
        }
    }

    #[test]
    fn slots_are_read_in_order_and_a_slot_outside_the_list_is_refused() {
        let read = slots(r#"[{"id":"am","label":"午前中"},{"id":"14-16","label":"14時〜16時"},{"id":"19_21","label":"19時〜21時"}]"#).unwrap();
        let ids: Vec<_> = read.as_slice().iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["am", "14-16", "19_21"]);
        assert_eq!(
            validate_delivery_slot("14-16", &read)
                .unwrap()
                .map(|s| s.label.as_str()),
            Some("14時〜16時")
        );
        assert_eq!(validate_delivery_slot("", &read), Ok(None));
        for refused in ["pm", "AM", "14時〜16時", "am-x"] {
            assert_eq!(
                validate_delivery_slot(refused, &read),
                Err(DeliveryChoiceError::SlotNotOffered),
                "{refused}"
            );
        }
        assert_eq!(
            validate_delivery_slot("am", &DeliverySlots::default()),
            Err(DeliveryChoiceError::SlotNotOffered)
        );
    }

    #[test]
    fn a_wrong_slot_list_is_refused_with_the_slot() {
        for (json, message) in [
            (
                r#"[{"id":"am","label":"午前中"},{"id":"am","label":"午後"}]"#,
                r#"id "am" is used twice"#,
            ),
            (r#"[{"id":"","label":"午前中"}]"#, r#"id """#),
            (r#"[{"id":"午前","label":"午前中"}]"#, r#"id "午前""#),
            (r#"[{"id":"am","label":"  "}]"#, r#"the label "  " of "am""#),
            (
                r#"[{"id":"am","label":"午前中","price":100}]"#,
                "unknown field `price`",
            ),
            (r#"[{"id":"am"}]"#, "missing field `label`"),
        ] {
            let err = slots(json).expect_err(json);
            assert!(err.contains(message), "{json}: {err}");
        }
        assert_eq!(slots("[]").unwrap(), DeliverySlots::default());
    }

    fn any_date() -> impl Strategy<Value = CivilDate> {
        (1u16..=9999, 1u8..=12, 1u8..=31)
            .prop_filter_map("a real date", |(y, m, d)| CivilDate::new(y, m, d))
    }

    proptest! {
        #[test]
        fn a_date_survives_the_trip_through_day_numbers_and_iso(d in any_date()) {
            prop_assert_eq!(CivilDate::from_unix_days(d.unix_days()), Some(d));
            prop_assert_eq!(CivilDate::parse_iso(&d.to_string()), Some(d));
        }

        #[test]
        fn the_next_day_is_one_day_later_and_one_weekday_on(d in any_date()) {
            if let Some(next) = d.add_days(1) {
                prop_assert!(next > d);
                prop_assert_eq!(next.unix_days(), d.unix_days() + 1);
                prop_assert_eq!(next.weekday() as usize, (d.weekday() as usize + 1) % 7);
                let same_month = next.month() == d.month() && next.day() == d.day() + 1;
                prop_assert!(same_month || next.day() == 1);
            }
        }

        #[test]
        fn offered_dates_are_count_ascending_dates_on_allowed_days_from_earliest(
            today in (1u16..=9000, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| date(y, m, d)),
            earliest in 0u16..=MAX_EARLIEST,
            count in 1u16..=MAX_COUNT,
            excluded in proptest::sample::subsequence(Weekday::ALL.to_vec(), 0..=6),
        ) {
            let rules = DeliveryDates::new(earliest, count, &excluded).unwrap();
            let offered = selectable_dates(today, &rules);
            prop_assert_eq!(offered.len(), usize::from(count));
            prop_assert!(offered.windows(2).all(|w| w[0] < w[1]));
            prop_assert!(offered[0].unix_days() >= today.unix_days() + i64::from(earliest));
            prop_assert!(offered.iter().all(|d| !excluded.contains(&d.weekday())));
            // Nothing allowed is skipped between the first and the last.
            let span = offered[offered.len() - 1].unix_days() - offered[0].unix_days() + 1;
            let allowed = (0..span).filter_map(|i| offered[0].add_days(i)).filter(|d| !excluded.contains(&d.weekday())).count();
            prop_assert_eq!(allowed, usize::from(count));
            for d in &offered {
                prop_assert_eq!(validate_delivery_date(&d.to_string(), today, &rules), Ok(Some(*d)));
            }
        }
    }
}
