//! `GET /funnel` (admin): the merchant's one-page funnel report, counted by SQL from the stored
//! events (indexes in the migrations; nothing is loaded into memory but the counts).
//!
//! For a period (`from`, `to`: `YYYY-MM-DD`, UTC, by each event's `at`; default the last 7
//! days) and a device class (`device`: `mobile`, `tablet`, `desktop` or `all`), it shows how
//! many carts (distinct `cart_id`) reached each step, per device class (counted on the day a
//! cart first reached the step, from daily rollups kept as events arrive: [`record`]); where checkouts were
//! abandoned (last step × trigger) and from which pages; the reasons shoppers gave; and the
//! average "How easy was checkout?" rating. Values anyone can post (steps, triggers, reasons)
//! are grouped: the [`MAX_GROUPS`] most frequent by name, the rest as "Other", so the page stays
//! small whatever is sent.
//!
//! The page runs under the server's strict CSP: no script, no `<style>`, no `style=`. Its CSS is
//! `/funnel.css` and bars are SVG `<rect>`s sized by attributes. It is a maud template: every
//! text is escaped by construction.

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};
use serde::Deserialize;
use sqlx::Row;

use kago_core::events::iso8601_utc;

use crate::admin::AdminPage;
use crate::app::AppState;
use crate::db::Db;

/// The stylesheet of the page, served as `/funnel.css`.
pub const CSS: &str = include_str!("funnel.css");

/// Most distinct values of a field the report shows by name; the rest count as "Other".
pub const MAX_GROUPS: i64 = 8;

/// Device classes, as events name them and as the page shows them.
pub const DEVICES: [(&str, &str); 3] = [
    ("mobile", "Mobile"),
    ("tablet", "Tablet"),
    ("desktop", "Desktop"),
];

/// The funnel's steps: label, event type and the `step` it must have.
pub const STEPS: [(&str, &str, Option<&str>); 5] = [
    ("Cart viewed", "cart_viewed", None),
    ("Checkout started", "checkout_started", None),
    (
        "Contact details completed",
        "step_completed",
        Some("contact"),
    ),
    (
        "Delivery & payment completed",
        "step_completed",
        Some("delivery"),
    ),
    ("Order completed", "order_completed", None),
];

const LAST_STEPS: [(&str, &str); 4] = [
    ("contact", "Contact & address"),
    ("delivery", "Delivery & payment"),
    ("payment", "Payment"),
    ("review", "Review"),
];

const TRIGGERS: [(&str, &str); 4] = [
    ("closed", "Closed the checkout"),
    ("hidden", "Left the tab"),
    ("unload", "Closed the page"),
    ("idle", "Idle too long"),
];

const REASONS: [(&str, &str); 4] = [
    ("shipping_cost", "Shipping cost"),
    ("payment_missing", "Payment option missing"),
    ("just_looking", "Just looking"),
    ("other", "Something else"),
];

const DAY_MS: u64 = 86_400_000;

/// The period and device class asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub from: String,
    pub to: String,
    /// `None`: every device class.
    pub device: Option<&'static str>,
}

/// The page's query string.
#[derive(Debug, Default, Deserialize)]
pub struct FunnelQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub device: Option<String>,
}

/// Reads `from`, `to` and `device`; `Err` is a message for the merchant, with the values typed
/// (to show them again in the form).
pub fn parse_period(query: &FunnelQuery, now_ms: u64) -> Result<Period, (String, Period)> {
    let mut period = Period {
        from: iso8601_utc(now_ms.saturating_sub(6 * DAY_MS))[..10].to_string(),
        to: iso8601_utc(now_ms)[..10].to_string(),
        device: None,
    };
    let mut problems = Vec::new();
    for (name, value, slot) in [
        ("from", &query.from, &mut period.from),
        ("to", &query.to, &mut period.to),
    ] {
        let value = value.as_deref().unwrap_or("").trim();
        if value.is_empty() {
            continue;
        }
        if !is_date(value) {
            problems.push(format!(
                "“{name}” must be a date like 2026-11-23, not “{value}”."
            ));
        }
        *slot = value.to_string();
    }
    let device = query.device.as_deref().unwrap_or("").trim();
    match DEVICES.iter().find(|(d, _)| *d == device) {
        Some((d, _)) => period.device = Some(d),
        None if device.is_empty() || device == "all" => period.device = None,
        None => problems.push(format!(
            "“device” must be mobile, tablet, desktop or all, not “{device}”."
        )),
    }
    if problems.is_empty() && period.from > period.to {
        problems.push(format!(
            "The period starts ({}) after it ends ({}).",
            period.from, period.to
        ));
    }
    if problems.is_empty() {
        Ok(period)
    } else {
        Err((problems.join(" "), period))
    }
}

/// `YYYY-MM-DD` with a real month and day.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| {
        s.get(r)
            .filter(|d| d.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|d| d.parse::<u32>().ok())
    };
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// One column of the funnel: every device (`device` None) or one class.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub label: &'static str,
    pub device: Option<&'static str>,
    /// Distinct carts per step of [`STEPS`].
    pub carts: [u64; 5],
    /// Average rating (1–5) and how many answered.
    pub rating: (Option<f64>, u64),
}

/// A value of a field anyone can post: one of the most frequent, by name, or the rest.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    Named(String),
    Other,
}

/// A reason row: an answer, "closed without answering", or the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReasonGroup {
    Named(String),
    Unanswered,
    Other,
}

/// Everything the page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub period: Period,
    pub columns: Vec<Column>,
    /// `(last_step, trigger, checkouts)`.
    pub abandoned: Vec<(Group, Group, u64)>,
    /// `(reason, checkouts)`, most given first.
    pub reasons: Vec<(ReasonGroup, u64)>,
    /// `(page, abandoned checkouts)`, the ten most.
    pub pages: Vec<(String, u64)>,
}

impl Report {
    pub fn is_empty(&self) -> bool {
        self.abandoned.is_empty()
            && self.reasons.is_empty()
            && self
                .columns
                .iter()
                .all(|c| c.carts.iter().all(|n| *n == 0) && c.rating.1 == 0)
    }
}

fn count(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

/// Counts what the page shows, from the stored events.
pub async fn report(db: &Db, period: &Period) -> Result<Report, sqlx::Error> {
    let device = period.device.map(str::to_string);
    // From the daily counts (see `record`): device '*' is "All devices".
    let day_from = period.from.clone();
    let day_to = period.to.clone();
    let rows = sqlx::query(
        "SELECT device, stage, CAST(SUM(carts) AS BIGINT) FROM funnel_daily
         WHERE day >= $1 AND day <= $2 AND ($3 IS NULL OR device = $3 OR device = '*')
         GROUP BY device, stage",
    )
    .bind(&day_from)
    .bind(&day_to)
    .bind(&device)
    .fetch_all(&db.pool)
    .await?;
    let mut carts: BTreeMap<Option<String>, [u64; 5]> = BTreeMap::new();
    for row in rows {
        let column: String = row.get(0);
        let key = (column != "*").then_some(column);
        let stage: i64 = row.get(1);
        if let Some(slot) = usize::try_from(stage).ok().filter(|s| *s < STEPS.len()) {
            carts.entry(key).or_default()[slot] += count(row.get(2));
        }
    }
    let rows = sqlx::query(
        "SELECT device, CAST(SUM(total) AS DOUBLE PRECISION), CAST(SUM(answers) AS BIGINT)
         FROM feedback_daily
         WHERE day >= $1 AND day <= $2 AND ($3 IS NULL OR device = $3 OR device = '*')
         GROUP BY device",
    )
    .bind(&day_from)
    .bind(&day_to)
    .bind(&device)
    .fetch_all(&db.pool)
    .await?;
    let mut ratings: BTreeMap<Option<String>, (Option<f64>, u64)> = BTreeMap::new();
    for row in rows {
        let column: String = row.get(0);
        let key = (column != "*").then_some(column);
        let total: Option<f64> = row.get(1);
        let answers = count(row.get(2));
        let average = total.filter(|_| answers > 0).map(|t| t / answers as f64);
        ratings.insert(key, (average, answers));
    }
    let wanted: Vec<(&'static str, Option<&'static str>)> = match period.device {
        Some(d) => DEVICES
            .iter()
            .filter(|(id, _)| *id == d)
            .map(|(id, label)| (*label, Some(*id)))
            .collect(),
        None => std::iter::once(("All devices", None))
            .chain(DEVICES.iter().map(|(id, label)| (*label, Some(*id))))
            .collect(),
    };
    let columns = wanted
        .into_iter()
        .map(|(label, id)| {
            // One device asked for: its column is the only one, counted by device.
            let key = id.map(str::to_string);
            Column {
                label,
                device: id,
                carts: carts.get(&key).copied().unwrap_or_default(),
                rating: ratings.get(&key).copied().unwrap_or((None, 0)),
            }
        })
        .collect();

    // The abandonment tables, from the daily counts (`record`); "" is "not given".
    const DAYS: &str = "day >= $1 AND day <= $2 AND ($3 IS NULL OR device = $3)";
    let abandoned_rows = sqlx::query(&format!(
        "WITH a AS (SELECT last_step AS s, trigger_kind AS t, n FROM abandon_daily WHERE {DAYS}),
              top_s AS (SELECT s FROM a GROUP BY s ORDER BY SUM(n) DESC, s LIMIT {MAX_GROUPS}),
              top_t AS (SELECT t FROM a GROUP BY t ORDER BY SUM(n) DESC, t LIMIT {MAX_GROUPS})
         SELECT CASE WHEN s IN (SELECT s FROM top_s) THEN s END AS gs,
                CASE WHEN t IN (SELECT t FROM top_t) THEN t END AS gt,
                CAST(SUM(n) AS BIGINT)
         FROM a GROUP BY 1, 2"
    ))
    .bind(&day_from)
    .bind(&day_to)
    .bind(&device)
    .fetch_all(&db.pool)
    .await?;
    let group = |v: Option<String>| v.map_or(Group::Other, Group::Named);
    let abandoned = abandoned_rows
        .iter()
        .map(|r| (group(r.get(0)), group(r.get(1)), count(r.get(2))))
        .collect();

    let reason_rows = sqlx::query(&format!(
        "WITH r AS (SELECT reason, n FROM abandon_daily WHERE {DAYS}
                    AND (reason <> '' OR trigger_kind = 'closed')),
              top AS (SELECT reason FROM r WHERE reason <> '' GROUP BY reason
                      ORDER BY SUM(n) DESC, reason LIMIT {MAX_GROUPS})
         SELECT CASE WHEN reason = '' THEN 'unanswered'
                     WHEN reason IN (SELECT reason FROM top) THEN 'named' ELSE 'other' END AS g,
                CASE WHEN reason IN (SELECT reason FROM top) THEN reason END AS name,
                CAST(SUM(n) AS BIGINT) AS total
         FROM r GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2"
    ))
    .bind(&day_from)
    .bind(&day_to)
    .bind(&device)
    .fetch_all(&db.pool)
    .await?;
    let reasons = reason_rows
        .iter()
        .map(|r| {
            let kind: String = r.get(0);
            let name: Option<String> = r.get(1);
            let group = match (kind.as_str(), name) {
                ("named", Some(name)) => ReasonGroup::Named(name),
                ("unanswered", _) => ReasonGroup::Unanswered,
                _ => ReasonGroup::Other,
            };
            (group, count(r.get(2)))
        })
        .collect();

    let page_rows = sqlx::query(&format!(
        "SELECT page, CAST(SUM(n) AS BIGINT) FROM abandon_daily WHERE {DAYS}
         GROUP BY page ORDER BY 2 DESC, 1 LIMIT 10"
    ))
    .bind(&day_from)
    .bind(&day_to)
    .bind(&device)
    .fetch_all(&db.pool)
    .await?;
    let pages = page_rows
        .iter()
        .map(|r| (r.get::<String, _>(0), count(r.get(1))))
        .collect();
    Ok(Report {
        period: period.clone(),
        columns,
        abandoned,
        reasons,
        pages,
    })
}

/// Recounts the rollups from the stored events, with the back-fill statements of the migrations
/// that made them (for events written straight into the table, e.g. an import or a benchmark).
pub async fn rebuild_rollups(db: &Db) -> Result<(), sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    for table in [
        "funnel_reached",
        "funnel_daily",
        "feedback_daily",
        "abandon_daily",
    ] {
        sqlx::query(&format!("DELETE FROM {table}"))
            .execute(&mut *tx)
            .await?;
    }
    let backfills = [
        include_str!("../migrations/sqlite/0002_funnel_rollups.sql"),
        include_str!("../migrations/sqlite/0003_abandonment_rollup.sql"),
    ];
    for sql in backfills {
        for statement in sql.split(";\n") {
            let statement: String = statement
                .lines()
                .filter(|l| !l.trim_start().starts_with("--"))
                .collect::<Vec<_>>()
                .join("\n");
            if statement.trim_start().starts_with("INSERT INTO") {
                sqlx::query(&statement).execute(&mut *tx).await?;
            }
        }
    }
    tx.commit().await
}

/// The funnel step an event marks, as an index of [`STEPS`].
fn stage_of(event: &serde_json::Value) -> Option<i64> {
    let kind = event.get("type")?.as_str()?;
    let step = event.get("step").and_then(serde_json::Value::as_str);
    STEPS
        .iter()
        .position(|(_, k, s)| *k == kind && (s.is_none() || *s == step))
        .and_then(|i| i64::try_from(i).ok())
}

/// Counts a newly stored event in the daily rollups the report reads: a cart counts on the day
/// it first reached a step, per device and under `*` (every device); a rating adds to its day.
pub async fn record(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    event: &serde_json::Value,
) -> Result<(), sqlx::Error> {
    let text = |key: &str| event.get(key).and_then(serde_json::Value::as_str);
    let Some(day) = text("at")
        .and_then(|at| at.get(..10))
        .filter(|d| is_date(d))
    else {
        return Ok(());
    };
    let device = text("device")
        .unwrap_or("")
        .chars()
        .take(40)
        .collect::<String>();
    if let (Some(stage), Some(cart)) = (stage_of(event), text("cart_id")) {
        for device in [device.as_str(), "*"] {
            let new = sqlx::query(
                "INSERT INTO funnel_reached (cart_id, stage, device, day) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (cart_id, stage, device) DO NOTHING",
            )
            .bind(cart)
            .bind(stage)
            .bind(device)
            .bind(day)
            .execute(&mut **tx)
            .await?;
            if new.rows_affected() == 1 {
                sqlx::query(
                    "INSERT INTO funnel_daily (day, device, stage, carts) VALUES ($1, $2, $3, 1)
                     ON CONFLICT (day, device, stage) DO UPDATE SET carts = funnel_daily.carts + 1",
                )
                .bind(day)
                .bind(device)
                .bind(stage)
                .execute(&mut **tx)
                .await?;
            }
        }
    }
    if text("type") == Some("checkout_abandoned") {
        let value = |key: &str| crate::events::column(event, key).unwrap_or_default();
        sqlx::query(
            "INSERT INTO abandon_daily (day, device, last_step, trigger_kind, reason, page, n)
             VALUES ($1, $2, $3, $4, $5, $6, 1)
             ON CONFLICT (day, device, last_step, trigger_kind, reason, page)
             DO UPDATE SET n = abandon_daily.n + 1",
        )
        .bind(day)
        .bind(&device)
        .bind(value("last_step"))
        .bind(value("trigger"))
        .bind(value("reason"))
        .bind(value("page"))
        .execute(&mut **tx)
        .await?;
    }
    let rating = event.get("rating").and_then(serde_json::Value::as_i64);
    if let (Some("checkout_feedback"), Some(rating @ 1..=5)) = (text("type"), rating) {
        for device in [device.as_str(), "*"] {
            sqlx::query(
                "INSERT INTO feedback_daily (day, device, total, answers) VALUES ($1, $2, $3, 1)
                 ON CONFLICT (day, device) DO UPDATE
                 SET total = feedback_daily.total + $3, answers = feedback_daily.answers + 1",
            )
            .bind(day)
            .bind(device)
            .bind(rating)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// `GET /funnel` (admin).
pub async fn page(
    _: AdminPage,
    State(state): State<AppState>,
    Query(query): Query<FunnelQuery>,
) -> Response {
    let now = u64::try_from(state.clock.now_ms()).unwrap_or(0);
    let (status, html) = match parse_period(&query, now) {
        Ok(period) => match report(&state.db, &period).await {
            Ok(report) => (StatusCode::OK, render(&report.period, Some(&report), None)),
            Err(e) => {
                tracing::error!("funnel report: {}", crate::db::describe(&e));
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    render(
                        &period,
                        None,
                        Some("The events could not be read; please reload the page."),
                    ),
                )
            }
        },
        Err((message, period)) => (
            StatusCode::BAD_REQUEST,
            render(&period, None, Some(&message)),
        ),
    };
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        html.into_string(),
    )
        .into_response()
}

/// `GET /funnel.css`.
pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        CSS,
    )
        .into_response()
}

/// `n` as a whole percentage of `of` (rounded half up); None when `of` is 0.
fn percent(n: u64, of: u64) -> Option<u64> {
    (of > 0).then(|| (n * 200 + of) / (2 * of))
}

fn label_of(known: &[(&str, &'static str)], group: &Group) -> String {
    match group {
        Group::Other => "Other".into(),
        Group::Named(code) if code.is_empty() => "(not given)".into(),
        Group::Named(code) => known
            .iter()
            .find(|(c, _)| c == code)
            .map_or_else(|| code.clone(), |(_, l)| (*l).to_string()),
    }
}

fn carts(n: u64) -> String {
    format!("{n} {}", if n == 1 { "cart" } else { "carts" })
}

/// The whole page. `report` None shows only the form (and `error`).
pub fn render(period: &Period, report: Option<&Report>, error: Option<&str>) -> Markup {
    let device_name = period
        .device
        .and_then(|d| DEVICES.iter().find(|(id, _)| *id == d))
        .map_or("all devices", |(_, label)| label)
        .to_lowercase();
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Checkout funnel, " (period.from) " to " (period.to) " — Kago" }
                link rel="stylesheet" href="/funnel.css";
            }
            body {
                header {
                    h1 { "Checkout funnel" }
                    p { "How many carts reached each step from " strong { (period.from) } " to " strong { (period.to) } " (UTC), " (device_name) "." }
                }
                main {
                    (form(period))
                    @if let Some(error) = error {
                        p.error role="alert" { (error) }
                    }
                    @if let Some(report) = report {
                        (funnel(report))
                        (abandoned(report))
                        (reasons(report))
                        (pages(report))
                        (ratings(report))
                    }
                }
            }
        }
    }
}

fn form(period: &Period) -> Markup {
    html! {
        form.period method="get" action="/funnel" {
            div { label for="from" { "From" } " " input type="date" id="from" name="from" value=(period.from); }
            div { label for="to" { "To" } " " input type="date" id="to" name="to" value=(period.to); }
            div {
                label for="device" { "Device" } " "
                select id="device" name="device" {
                    option value="all" selected[period.device.is_none()] { "All devices" }
                    @for (id, label) in DEVICES {
                        option value=(id) selected[period.device == Some(id)] { (label) }
                    }
                }
            }
            button type="submit" { "Show" }
        }
    }
}

fn bar(percent_of_first: f64) -> Markup {
    let width = format!("{:.1}", percent_of_first.clamp(0.0, 100.0));
    html! {
        svg.bar viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false" {
            rect.bar-track width="100" height="10" {}
            rect.bar-fill width=(width) height="10" {}
        }
    }
}

fn funnel(report: &Report) -> Markup {
    html! {
        section aria-labelledby="funnel-title" {
            h2 #funnel-title { "How far carts got" }
            @if report.is_empty() {
                p.empty { "No events in this period yet." }
            }
            div.devices {
                @for column in &report.columns {
                    @let id = column.device.unwrap_or("all");
                    @let first = column.carts[0];
                    @let base = if first > 0 { first } else { column.carts.iter().copied().max().unwrap_or(0) };
                    section.device aria-labelledby={ "device-" (id) } {
                        h3 id={ "device-" (id) } { (column.label) }
                        ol.steps {
                            @for ((label, _, _), n) in STEPS.iter().zip(column.carts) {
                                @let width = if base > 0 { n as f64 * 100.0 / base as f64 } else { 0.0 };
                                @let share = percent(n, first).map_or(String::new(), |p| format!(" · {p}%"));
                                li { span.step-name { (label) } (bar(width)) span.step-count { (carts(n)) (share) } }
                            }
                        }
                    }
                }
            }
            table.numbers {
                caption { "Carts per step and device (in brackets: share of the carts that were viewed)" }
                thead { tr { th scope="col" { "Step" } @for column in &report.columns { th scope="col" { (column.label) } } } }
                tbody {
                    @for (i, (label, _, _)) in STEPS.iter().enumerate() {
                        tr {
                            th scope="row" { (label) }
                            @for column in &report.columns {
                                @let n = column.carts[i];
                                td { (n) (percent(n, column.carts[0]).map_or(String::new(), |p| format!(" ({p}%)"))) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Known values in their usual order, then the others by count, "Other" last.
fn ordered(known: &[(&str, &str)], totals: BTreeMap<Group, u64>) -> Vec<Group> {
    let mut out: Vec<Group> = known
        .iter()
        .map(|(c, _)| Group::Named((*c).to_string()))
        .filter(|g| totals.contains_key(g))
        .collect();
    let mut rest: Vec<(Group, u64)> = totals
        .into_iter()
        .filter(|(g, _)| !out.contains(g) && *g != Group::Other)
        .collect();
    rest.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out.extend(rest.into_iter().map(|(g, _)| g));
    out
}

fn abandoned(report: &Report) -> Markup {
    let mut step_totals = BTreeMap::new();
    let mut trigger_totals = BTreeMap::new();
    for (step, trigger, n) in &report.abandoned {
        *step_totals.entry(step.clone()).or_insert(0) += n;
        *trigger_totals.entry(trigger.clone()).or_insert(0) += n;
    }
    let mut steps = ordered(&LAST_STEPS, step_totals.clone());
    let mut triggers: Vec<Group> = TRIGGERS
        .iter()
        .map(|(c, _)| Group::Named((*c).to_string()))
        .collect();
    for g in ordered(&TRIGGERS, trigger_totals.clone()) {
        if !triggers.contains(&g) {
            triggers.push(g);
        }
    }
    if step_totals.contains_key(&Group::Other) {
        steps.push(Group::Other);
    }
    if trigger_totals.contains_key(&Group::Other) {
        triggers.push(Group::Other);
    }
    let total = |step: Option<&Group>, trigger: Option<&Group>| -> u64 {
        report
            .abandoned
            .iter()
            .filter(|(s, t, _)| step.is_none_or(|x| x == s) && trigger.is_none_or(|x| x == t))
            .map(|(_, _, n)| n)
            .sum()
    };
    html! {
        section aria-labelledby="abandoned-title" {
            h2 #abandoned-title { "Where checkouts were abandoned" }
            @if report.abandoned.is_empty() {
                p.empty { "No abandoned checkouts in this period." }
            } @else {
                table {
                    caption { "Abandoned checkouts by the last step reached and how the shopper left" }
                    thead { tr {
                        th scope="col" { "Last step" }
                        @for trigger in &triggers { th scope="col" { (label_of(&TRIGGERS, trigger)) } }
                        th scope="col" { "Total" }
                    } }
                    tbody {
                        @for step in &steps {
                            tr {
                                th scope="row" { (label_of(&LAST_STEPS, step)) }
                                @for trigger in &triggers { td { (total(Some(step), Some(trigger))) } }
                                td { (total(Some(step), None)) }
                            }
                        }
                    }
                    tfoot { tr {
                        th scope="row" { "Total" }
                        @for trigger in &triggers { td { (total(None, Some(trigger))) } }
                        td { (total(None, None)) }
                    } }
                }
            }
        }
    }
}

fn reasons(report: &Report) -> Markup {
    let total: u64 = report.reasons.iter().map(|(_, n)| n).sum();
    let label = |reason: &ReasonGroup| match reason {
        ReasonGroup::Named(code) => label_of(&REASONS, &Group::Named(code.clone())),
        ReasonGroup::Unanswered => "Closed without answering".into(),
        ReasonGroup::Other => "Other".into(),
    };
    html! {
        section aria-labelledby="reasons-title" {
            h2 #reasons-title { "What stopped them" }
            p { "Asked once, optionally, when a shopper closes an unfinished checkout." }
            @if report.reasons.is_empty() {
                p.empty { "No answers yet." }
            } @else {
                table {
                    caption { "Answers to “What stopped you?”" }
                    thead { tr { th scope="col" { "Reason" } th scope="col" { "Checkouts" } th scope="col" { "Share" } } }
                    tbody {
                        @for (reason, n) in &report.reasons {
                            tr { th scope="row" { (label(reason)) } td { (n) } td { (percent(*n, total).unwrap_or(0)) "%" } }
                        }
                    }
                }
            }
        }
    }
}

fn pages(report: &Report) -> Markup {
    html! {
        @if !report.pages.is_empty() {
            section aria-labelledby="pages-title" {
                h2 #pages-title { "Pages they left from" }
                table {
                    caption { "Abandoned checkouts by page (the ten most)" }
                    thead { tr { th scope="col" { "Page" } th scope="col" { "Checkouts" } } }
                    tbody {
                        @for (page, n) in &report.pages {
                            tr {
                                th scope="row" { @if page.is_empty() { "(not given)" } @else { code { (page) } } }
                                td { (n) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn ratings(report: &Report) -> Markup {
    html! {
        section aria-labelledby="ratings-title" {
            h2 #ratings-title { "How easy was checkout?" }
            p { "Ratings from 1 (hard) to 5 (easy), asked on the order confirmation." }
            table {
                caption { "Average rating by device" }
                thead { tr { th scope="col" { "Device" } th scope="col" { "Average rating" } th scope="col" { "Answers" } } }
                tbody {
                    @for column in &report.columns {
                        @let (average, answers) = column.rating;
                        tr {
                            th scope="row" { (column.label) }
                            td { @match average.filter(|_| answers > 0) { Some(avg) => { (format!("{avg:.1} out of 5")) }, None => { "no answers yet" } } }
                            td { (answers) }
                        }
                    }
                }
            }
        }
    }
}
