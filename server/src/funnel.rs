//! `GET /funnel`: the merchant's one-page funnel report, rendered on the server from the stored
//! events (see [`crate::events`]).
//!
//! For a period (`from`, `to`: `YYYY-MM-DD`, UTC, by each event's `at`; default the last 7
//! days) and a device class (`device`: `mobile`, `tablet`, `desktop` or `all`), it shows how
//! many carts (distinct `cart_id`) reached each step, as bars and as a table, side by side per
//! device class; where checkouts were abandoned (last step × trigger) and from which pages; the
//! reasons shoppers gave; and the average "How easy was checkout?" rating per device class.
//!
//! The page runs under the server's strict CSP: no script, no `<style>`, no `style=`. Its CSS is
//! `/funnel.css` (compiled into the binary) and bars are SVG `<rect>`s sized by attributes.
//! Every text that comes from an event is HTML-escaped.

use std::fmt::Write as _;
use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};

use kago_core::events::iso8601_utc;

use crate::events::{open, query_pairs};
use crate::{Reply, CSP};

/// The stylesheet of the page, served as `/funnel.css`.
pub const CSS: &str = include_str!("funnel.css");

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

/// Reads `from`, `to` and `device`; `Err` is a message for the shopper's merchant, with the
/// values typed (to show them again in the form).
pub fn parse_period(query: &str, now_ms: u64) -> Result<Period, (String, Period)> {
    let today = iso8601_utc(now_ms)[..10].to_string();
    let week_ago = iso8601_utc(now_ms.saturating_sub(6 * DAY_MS))[..10].to_string();
    let mut period = Period {
        from: week_ago,
        to: today,
        device: None,
    };
    let mut problems = Vec::new();
    for (name, value) in query_pairs(query) {
        let value = value.trim().to_string();
        match name.as_str() {
            "from" | "to" if value.is_empty() => {}
            "from" | "to" => {
                if !is_date(&value) {
                    problems.push(format!(
                        "“{name}” must be a date like 2026-11-23, not “{value}”."
                    ));
                }
                if name == "from" {
                    period.from = value;
                } else {
                    period.to = value;
                }
            }
            "device" => match DEVICES.iter().find(|(d, _)| *d == value) {
                Some((d, _)) => period.device = Some(d),
                None if value.is_empty() || value == "all" => period.device = None,
                None => problems.push(format!(
                    "“device” must be mobile, tablet, desktop or all, not “{value}”."
                )),
            },
            _ => {}
        }
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
        s.get(r.clone())
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

/// Everything the page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub period: Period,
    pub events: u64,
    pub columns: Vec<Column>,
    /// `(last_step, trigger, checkouts)`.
    pub abandoned: Vec<(String, String, u64)>,
    /// `(reason or None for "closed without answering", checkouts)`, most given first.
    pub reasons: Vec<(Option<String>, u64)>,
    /// `(page, abandoned checkouts)`, the ten most.
    pub pages: Vec<(String, u64)>,
}

/// The SQL condition of the period and device (parameters ?1 from, ?2 to, ?3 device or NULL).
const WHERE: &str = "substr(at, 1, 10) BETWEEN ?1 AND ?2 AND (?3 IS NULL OR device = ?3)";

/// Counts what the page shows, from the stored events.
pub fn report(conn: &Connection, period: &Period) -> rusqlite::Result<Report> {
    let columns_wanted: Vec<(&'static str, Option<&'static str>)> = match period.device {
        Some(d) => DEVICES
            .iter()
            .filter(|(id, _)| *id == d)
            .map(|(id, label)| (*label, Some(*id)))
            .collect(),
        None => std::iter::once(("All devices", None))
            .chain(DEVICES.iter().map(|(id, label)| (*label, Some(*id))))
            .collect(),
    };
    let mut columns = Vec::new();
    for (label, device) in columns_wanted {
        let mut carts = [0; 5];
        for (slot, (_, kind, step)) in carts.iter_mut().zip(STEPS) {
            *slot = conn.query_row(
                &format!(
                    "SELECT COUNT(DISTINCT cart_id) FROM events WHERE {WHERE}
                     AND type = ?4 AND (?5 IS NULL OR step = ?5) AND cart_id IS NOT NULL"
                ),
                params![period.from, period.to, device, kind, step],
                |r| r.get::<_, i64>(0),
            )? as u64;
        }
        let rating = conn
            .query_row(
                &format!(
                    "SELECT AVG(rating), COUNT(rating) FROM events WHERE {WHERE}
                     AND type = 'checkout_feedback' AND rating BETWEEN 1 AND 5"
                ),
                params![period.from, period.to, device],
                |r| Ok((r.get::<_, Option<f64>>(0)?, r.get::<_, i64>(1)? as u64)),
            )
            .optional()?
            .unwrap_or((None, 0));
        columns.push(Column {
            label,
            device,
            carts,
            rating,
        });
    }
    let events = conn.query_row(
        &format!("SELECT COUNT(*) FROM events WHERE {WHERE}"),
        params![period.from, period.to, period.device],
        |r| r.get::<_, i64>(0),
    )? as u64;
    let abandoned = rows(
        conn,
        &format!(
            "SELECT COALESCE(last_step, ''), COALESCE(json_extract(body, '$.trigger'), ''), COUNT(*)
             FROM events WHERE {WHERE} AND type = 'checkout_abandoned' GROUP BY 1, 2"
        ),
        period,
        |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as u64)),
    )?;
    let reasons = rows(
        conn,
        &format!(
            "SELECT reason, COUNT(*) FROM events WHERE {WHERE} AND type = 'checkout_abandoned'
             AND (reason IS NOT NULL OR json_extract(body, '$.trigger') = 'closed')
             GROUP BY reason ORDER BY 2 DESC, reason IS NULL, reason"
        ),
        period,
        |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)),
    )?;
    let pages = rows(
        conn,
        &format!(
            "SELECT COALESCE(page, ''), COUNT(*) FROM events WHERE {WHERE}
             AND type = 'checkout_abandoned' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10"
        ),
        period,
        |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)),
    )?;
    Ok(Report {
        period: period.clone(),
        events,
        columns,
        abandoned,
        reasons,
        pages,
    })
}

fn rows<T>(
    conn: &Connection,
    sql: &str,
    period: &Period,
    row: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    let mut statement = conn.prepare(sql)?;
    let found = statement.query_map(params![period.from, period.to, period.device], row)?;
    found.collect()
}

/// `GET /funnel`.
pub fn page(db: &Path, query: &str, now_ms: u64, csp: bool) -> Reply {
    let (status, html) = match parse_period(query, now_ms) {
        Ok(period) => match open(db).and_then(|conn| report(&conn, &period)) {
            Ok(report) => (200, render(&report.period, Some(&report), None)),
            Err(e) => {
                eprintln!("kago-server: funnel report from {}: {e}", db.display());
                (
                    500,
                    render(
                        &period,
                        None,
                        Some("The events could not be read; please reload the page."),
                    ),
                )
            }
        },
        Err((message, period)) => (400, render(&period, None, Some(&message))),
    };
    let mut reply = Reply::new(status, "text/html; charset=utf-8", html);
    if let Some(cache) = reply.headers.iter_mut().find(|(n, _)| n == "Cache-Control") {
        cache.1 = "no-store".into();
    }
    if csp {
        reply
            .headers
            .push(("Content-Security-Policy".into(), CSP.into()));
    }
    reply
}

/// `GET /funnel.css`.
pub fn stylesheet() -> Reply {
    Reply::new(200, "text/css; charset=utf-8", CSS)
}

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `n` as a whole percentage of `of` (rounded half up); None when `of` is 0.
fn percent(n: u64, of: u64) -> Option<u64> {
    (of > 0).then(|| (n * 200 + of) / (2 * of))
}

fn label_of<'a>(known: &'a [(&str, &'a str)], code: &str) -> String {
    known
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| (*l).to_string())
        .unwrap_or_else(|| {
            if code.is_empty() {
                "(not given)".into()
            } else {
                escape(code)
            }
        })
}

fn carts(n: u64) -> String {
    format!("{n} {}", if n == 1 { "cart" } else { "carts" })
}

/// The whole page. `report` None shows only the form (and `error`).
pub fn render(period: &Period, report: Option<&Report>, error: Option<&str>) -> String {
    let mut h = String::new();
    let device_name = period
        .device
        .and_then(|d| DEVICES.iter().find(|(id, _)| *id == d))
        .map_or("all devices", |(_, label)| label);
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Checkout funnel, {from} to {to} — Kago</title>\n\
         <link rel=\"stylesheet\" href=\"/funnel.css\">\n</head>\n<body>\n\
         <header>\n<h1>Checkout funnel</h1>\n\
         <p>How many carts reached each step from <strong>{from}</strong> to <strong>{to}</strong> \
         (UTC), {device}.</p>\n</header>\n<main>\n",
        from = escape(&period.from),
        to = escape(&period.to),
        device = escape(&device_name.to_lowercase()),
    );
    render_form(&mut h, period);
    if let Some(error) = error {
        let _ = writeln!(h, "<p class=\"error\" role=\"alert\">{}</p>", escape(error));
    }
    if let Some(report) = report {
        render_funnel(&mut h, report);
        render_abandoned(&mut h, report);
        render_reasons(&mut h, report);
        render_pages(&mut h, report);
        render_ratings(&mut h, report);
    }
    h.push_str("</main>\n</body>\n</html>\n");
    h
}

fn render_form(h: &mut String, period: &Period) {
    let _ = write!(
        h,
        "<form class=\"period\" method=\"get\" action=\"/funnel\">\n\
         <div><label for=\"from\">From</label> \
         <input type=\"date\" id=\"from\" name=\"from\" value=\"{}\"></div>\n\
         <div><label for=\"to\">To</label> \
         <input type=\"date\" id=\"to\" name=\"to\" value=\"{}\"></div>\n\
         <div><label for=\"device\">Device</label> <select id=\"device\" name=\"device\">\n",
        escape(&period.from),
        escape(&period.to)
    );
    let selected = |d: Option<&str>| {
        if period.device == d {
            " selected"
        } else {
            ""
        }
    };
    let _ = writeln!(
        h,
        "<option value=\"all\"{}>All devices</option>",
        selected(None)
    );
    for (id, label) in DEVICES {
        let _ = writeln!(
            h,
            "<option value=\"{id}\"{}>{label}</option>",
            selected(Some(id))
        );
    }
    h.push_str("</select></div>\n<button type=\"submit\">Show</button>\n</form>\n");
}

fn bar(percent_of_first: f64) -> String {
    format!(
        "<svg class=\"bar\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" \
         aria-hidden=\"true\" focusable=\"false\">\
         <rect class=\"bar-track\" width=\"100\" height=\"10\"></rect>\
         <rect class=\"bar-fill\" width=\"{:.1}\" height=\"10\"></rect></svg>",
        percent_of_first.clamp(0.0, 100.0)
    )
}

fn render_funnel(h: &mut String, report: &Report) {
    h.push_str(
        "<section aria-labelledby=\"funnel-title\">\n<h2 id=\"funnel-title\">How far carts got</h2>\n",
    );
    if report.events == 0 {
        h.push_str("<p class=\"empty\">No events in this period yet.</p>\n");
    }
    h.push_str("<div class=\"devices\">\n");
    for column in &report.columns {
        let id = column.device.unwrap_or("all");
        let first = column.carts[0];
        let base = if first > 0 {
            first
        } else {
            column.carts.iter().copied().max().unwrap_or(0)
        };
        let _ = write!(
            h,
            "<section class=\"device\" aria-labelledby=\"device-{id}\">\n\
             <h3 id=\"device-{id}\">{}</h3>\n<ol class=\"steps\">\n",
            column.label
        );
        for ((label, _, _), n) in STEPS.iter().zip(column.carts) {
            let width = if base > 0 {
                n as f64 * 100.0 / base as f64
            } else {
                0.0
            };
            let share = percent(n, first).map_or(String::new(), |p| format!(" · {p}%"));
            let _ = writeln!(
                h,
                "<li><span class=\"step-name\">{}</span>{}<span class=\"step-count\">{}{share}</span></li>",
                escape(label),
                bar(width),
                carts(n)
            );
        }
        h.push_str("</ol>\n</section>\n");
    }
    h.push_str("</div>\n<table class=\"numbers\">\n<caption>Carts per step and device \
        (in brackets: share of the carts that were viewed)</caption>\n<thead><tr><th scope=\"col\">Step</th>");
    for column in &report.columns {
        let _ = write!(h, "<th scope=\"col\">{}</th>", column.label);
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for (i, (label, _, _)) in STEPS.iter().enumerate() {
        let _ = write!(h, "<tr><th scope=\"row\">{}</th>", escape(label));
        for column in &report.columns {
            let n = column.carts[i];
            let share = percent(n, column.carts[0]).map_or(String::new(), |p| format!(" ({p}%)"));
            let _ = write!(h, "<td>{n}{share}</td>");
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

fn render_abandoned(h: &mut String, report: &Report) {
    h.push_str(
        "<section aria-labelledby=\"abandoned-title\">\n\
         <h2 id=\"abandoned-title\">Where checkouts were abandoned</h2>\n",
    );
    if report.abandoned.is_empty() {
        h.push_str("<p class=\"empty\">No abandoned checkouts in this period.</p>\n</section>\n");
        return;
    }
    // Known steps and triggers in funnel order, then anything else that was sent.
    let mut steps: Vec<&str> = LAST_STEPS
        .iter()
        .map(|(c, _)| *c)
        .filter(|c| report.abandoned.iter().any(|(s, _, _)| s == c))
        .collect();
    let mut triggers: Vec<&str> = TRIGGERS.iter().map(|(c, _)| *c).collect();
    for (step, trigger, _) in &report.abandoned {
        if !steps.contains(&step.as_str()) {
            steps.push(step);
        }
        if !triggers.contains(&trigger.as_str()) {
            triggers.push(trigger);
        }
    }
    let count = |step: Option<&str>, trigger: Option<&str>| -> u64 {
        report
            .abandoned
            .iter()
            .filter(|(s, t, _)| step.is_none_or(|x| x == s) && trigger.is_none_or(|x| x == t))
            .map(|(_, _, n)| n)
            .sum()
    };
    h.push_str(
        "<table>\n<caption>Abandoned checkouts by the last step reached and how the shopper \
         left</caption>\n<thead><tr><th scope=\"col\">Last step</th>",
    );
    for trigger in &triggers {
        let _ = write!(h, "<th scope=\"col\">{}</th>", label_of(&TRIGGERS, trigger));
    }
    h.push_str("<th scope=\"col\">Total</th></tr></thead>\n<tbody>\n");
    for step in &steps {
        let _ = write!(
            h,
            "<tr><th scope=\"row\">{}</th>",
            label_of(&LAST_STEPS, step)
        );
        for trigger in &triggers {
            let _ = write!(h, "<td>{}</td>", count(Some(step), Some(trigger)));
        }
        let _ = writeln!(h, "<td>{}</td></tr>", count(Some(step), None));
    }
    h.push_str("</tbody>\n<tfoot><tr><th scope=\"row\">Total</th>");
    for trigger in &triggers {
        let _ = write!(h, "<td>{}</td>", count(None, Some(trigger)));
    }
    let _ = write!(
        h,
        "<td>{}</td></tr></tfoot>\n</table>\n</section>\n",
        count(None, None)
    );
}

fn render_reasons(h: &mut String, report: &Report) {
    h.push_str(
        "<section aria-labelledby=\"reasons-title\">\n<h2 id=\"reasons-title\">What stopped them</h2>\n\
         <p>Asked once, optionally, when a shopper closes an unfinished checkout.</p>\n",
    );
    if report.reasons.is_empty() {
        h.push_str("<p class=\"empty\">No answers yet.</p>\n</section>\n");
        return;
    }
    let total: u64 = report.reasons.iter().map(|(_, n)| n).sum();
    h.push_str(
        "<table>\n<caption>Answers to “What stopped you?”</caption>\n<thead><tr>\
         <th scope=\"col\">Reason</th><th scope=\"col\">Checkouts</th><th scope=\"col\">Share</th>\
         </tr></thead>\n<tbody>\n",
    );
    for (reason, n) in &report.reasons {
        let label = match reason {
            Some(code) => label_of(&REASONS, code),
            None => "Closed without answering".into(),
        };
        let _ = writeln!(
            h,
            "<tr><th scope=\"row\">{label}</th><td>{n}</td><td>{}%</td></tr>",
            percent(*n, total).unwrap_or(0)
        );
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

fn render_pages(h: &mut String, report: &Report) {
    if report.pages.is_empty() {
        return;
    }
    h.push_str(
        "<section aria-labelledby=\"pages-title\">\n<h2 id=\"pages-title\">Pages they left from</h2>\n\
         <table>\n<caption>Abandoned checkouts by page (the ten most)</caption>\n<thead><tr>\
         <th scope=\"col\">Page</th><th scope=\"col\">Checkouts</th></tr></thead>\n<tbody>\n",
    );
    for (page, n) in &report.pages {
        let page = if page.is_empty() {
            "(not given)".to_string()
        } else {
            format!("<code>{}</code>", escape(page))
        };
        let _ = writeln!(h, "<tr><th scope=\"row\">{page}</th><td>{n}</td></tr>");
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

fn render_ratings(h: &mut String, report: &Report) {
    h.push_str(
        "<section aria-labelledby=\"ratings-title\">\n\
         <h2 id=\"ratings-title\">How easy was checkout?</h2>\n\
         <p>Ratings from 1 (hard) to 5 (easy), asked on the order confirmation.</p>\n\
         <table>\n<caption>Average rating by device</caption>\n<thead><tr>\
         <th scope=\"col\">Device</th><th scope=\"col\">Average rating</th>\
         <th scope=\"col\">Answers</th></tr></thead>\n<tbody>\n",
    );
    for column in &report.columns {
        let (average, answers) = column.rating;
        let average = match average.filter(|_| answers > 0) {
            Some(avg) => format!("{avg:.1} out of 5"),
            None => "no answers yet".into(),
        };
        let _ = writeln!(
            h,
            "<tr><th scope=\"row\">{}</th><td>{average}</td><td>{answers}</td></tr>",
            column.label
        );
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::tests::{cleanup, event, fresh, post};
    use crate::{handle, Request};
    use serde_json::{json, Value};

    const NOW: u64 = 1_795_426_867_123; // 2026-11-23T09:41:07.123Z

    fn period(device: Option<&'static str>) -> Period {
        Period {
            from: "2026-11-20".into(),
            to: "2026-11-23".into(),
            device,
        }
    }

    /// One cart's way through the funnel, up to `steps` steps, on one device.
    fn journey(cart: &str, device: &str, steps: usize, day: &str) -> Vec<Value> {
        let kinds: [(&str, Value); 5] = [
            ("cart_viewed", json!({})),
            ("checkout_started", json!({})),
            ("step_completed", json!({"step": "contact"})),
            ("step_completed", json!({"step": "delivery"})),
            ("order_completed", json!({"order_id": "K-1"})),
        ];
        kinds
            .into_iter()
            .take(steps)
            .enumerate()
            .flat_map(|(i, (kind, mut extra))| {
                extra["cart_id"] = json!(cart);
                extra["device"] = json!(device);
                extra["at"] = json!(format!("{day}T10:00:0{i}.000Z"));
                // The same step twice (a reload, a second tab) counts one cart.
                let twice = event(&format!("{cart}-{i}-b"), kind, extra.clone());
                vec![event(&format!("{cart}-{i}"), kind, extra), twice]
            })
            .collect()
    }

    /// A fresh database (its own directory: tests run in parallel) with a synthetic dataset.
    fn seed(name: &str) -> crate::Config {
        let config = fresh(name);
        let mut events = Vec::new();
        // Mobile: 4 carts viewed, 3 started, 2 contact, 1 delivery, 1 order.
        events.extend(journey("m1", "mobile", 5, "2026-11-21"));
        events.extend(journey("m2", "mobile", 3, "2026-11-22"));
        events.extend(journey("m3", "mobile", 2, "2026-11-23"));
        events.extend(journey("m4", "mobile", 1, "2026-11-20"));
        // Desktop: 2 viewed, 2 started, 2 contact, 2 delivery, 2 orders.
        events.extend(journey("d1", "desktop", 5, "2026-11-22"));
        events.extend(journey("d2", "desktop", 5, "2026-11-22"));
        // Outside the period: not counted.
        events.extend(journey("old", "mobile", 5, "2026-11-10"));
        let abandoned = |id: &str,
                         cart: &str,
                         device: &str,
                         last: &str,
                         trigger: &str,
                         reason: Option<&str>| {
            let mut extra = json!({"cart_id": cart, "device": device, "last_step": last,
                "duration_ms": 10, "trigger": trigger, "at": "2026-11-22T12:00:00.000Z"});
            if let Some(r) = reason {
                extra["reason"] = json!(r);
            }
            event(id, "checkout_abandoned", extra)
        };
        events.push(abandoned(
            "a1",
            "m2",
            "mobile",
            "delivery",
            "closed",
            Some("shipping_cost"),
        ));
        events.push(abandoned("a2", "m3", "mobile", "contact", "hidden", None));
        events.push(abandoned(
            "a3",
            "t1",
            "tablet",
            "delivery",
            "closed",
            Some("shipping_cost"),
        ));
        events.push(abandoned("a4", "t2", "tablet", "contact", "closed", None));
        events.push(abandoned(
            "a5",
            "t3",
            "tablet",
            "review",
            "idle",
            Some("just_looking"),
        ));
        let feedback = |id: &str, device: &str, rating: i64| {
            event(
                id,
                "checkout_feedback",
                json!({"device": device, "rating": rating, "at": "2026-11-22T13:00:00.000Z"}),
            )
        };
        events.push(feedback("f1", "mobile", 5));
        events.push(feedback("f2", "mobile", 4));
        events.push(feedback("f3", "desktop", 2));
        let body = json!({"schema": 1, "sent_at": "2026-11-23T00:00:00.000Z", "dropped": 0, "events": events});
        assert_eq!(post(&config, body.to_string()).status, 200);
        config
    }

    #[test]
    fn the_funnel_counts_distinct_carts_per_step_and_device() {
        let config = seed("funnel-counts");
        let conn = open(&config.db).unwrap();
        let report = report(&conn, &period(None)).unwrap();
        let by = |label: &str| {
            report
                .columns
                .iter()
                .find(|c| c.label == label)
                .unwrap()
                .clone()
        };
        assert_eq!(by("All devices").carts, [6, 5, 4, 3, 3]);
        assert_eq!(by("Mobile").carts, [4, 3, 2, 1, 1]);
        assert_eq!(by("Tablet").carts, [0, 0, 0, 0, 0]);
        assert_eq!(by("Desktop").carts, [2, 2, 2, 2, 2]);
        assert_eq!(by("Mobile").rating, (Some(4.5), 2));
        assert_eq!(by("Desktop").rating, (Some(2.0), 1));
        assert_eq!(by("Tablet").rating, (None, 0));
        assert_eq!(by("All devices").rating.1, 3);
        let mut abandoned = report.abandoned.clone();
        abandoned.sort();
        assert_eq!(
            abandoned,
            [
                ("contact".into(), "closed".into(), 1),
                ("contact".into(), "hidden".into(), 1),
                ("delivery".into(), "closed".into(), 2),
                ("review".into(), "idle".into(), 1),
            ]
        );
        assert_eq!(
            report.reasons,
            [
                (Some("shipping_cost".into()), 2),
                (Some("just_looking".into()), 1),
                (None, 1),
            ],
            "the hidden tab was not asked; the closed one without an answer is counted"
        );
        assert_eq!(report.pages, [("/".into(), 5)]);

        let mobile = super::report(&conn, &period(Some("mobile"))).unwrap();
        assert_eq!(mobile.columns.len(), 1);
        assert_eq!(mobile.columns[0].carts, [4, 3, 2, 1, 1]);
        assert_eq!(mobile.reasons, [(Some("shipping_cost".into()), 1)]);
        cleanup(&config);
    }

    #[test]
    fn the_page_shows_counts_percentages_and_ratings() {
        let config = seed("funnel-page");
        let reply = handle(
            &config,
            &Request::new("GET", "/funnel?from=2026-11-20&to=2026-11-23"),
        );
        assert_eq!(reply.status, 200);
        assert_eq!(
            reply.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(reply.header("content-security-policy"), Some(CSP));
        let html = String::from_utf8(reply.body).unwrap();
        for expected in [
            "<td>6 (100%)</td><td>4 (100%)</td><td>0</td><td>2 (100%)</td>",
            "<th scope=\"row\">Order completed</th><td>3 (50%)</td><td>1 (25%)</td>",
            "<span class=\"step-count\">3 carts · 75%</span>",
            "<rect class=\"bar-fill\" width=\"75.0\" height=\"10\">",
            "<th scope=\"row\">Shipping cost</th><td>2</td><td>50%</td>",
            "<th scope=\"row\">Closed without answering</th><td>1</td>",
            "<td>4.5 out of 5</td><td>2</td>",
            "<th scope=\"row\">Tablet</th><td>no answers yet</td><td>0</td>",
            "<input type=\"date\" id=\"from\" name=\"from\" value=\"2026-11-20\">",
            "<option value=\"all\" selected>All devices</option>",
        ] {
            assert!(html.contains(expected), "{expected}\n{html}");
        }
        for forbidden in ["<script", "<style", "style=", "javascript:"] {
            assert!(!html.contains(forbidden), "{forbidden}");
        }
        let css = handle(&config, &Request::new("GET", "/funnel.css"));
        assert_eq!(css.status, 200);
        assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
        assert_eq!(css.body, CSS.as_bytes());
        cleanup(&config);
    }

    #[test]
    fn hostile_values_are_escaped() {
        let config = fresh("hostile");
        let evil = "<img src=x onerror=alert(1)>\"'&";
        let body = json!({"events": [
            event("h1", "checkout_abandoned", json!({"reason": evil, "page": format!("/p{evil}"),
                "last_step": evil, "trigger": evil, "at": "2026-11-22T00:00:00.000Z"})),
        ]});
        assert_eq!(post(&config, body.to_string()).status, 200);
        let reply = handle(
            &config,
            &Request::new("GET", "/funnel?from=2026-11-20&to=2026-11-23&device=all"),
        );
        let html = String::from_utf8(reply.body).unwrap();
        assert!(!html.contains("<img"), "{html}");
        let escaped = "&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;";
        assert!(
            html.contains(&format!("<code>/p{escaped}</code>")),
            "{html}"
        );
        assert!(html.contains(&format!("<th scope=\"row\">{escaped}</th><td>1</td>")));
        assert!(html.contains(&format!("<th scope=\"col\">{escaped}</th>")));
        // What the merchant typed comes back escaped too.
        let reply = handle(
            &config,
            &Request::new("GET", "/funnel?from=%22%3E%3Cscript%3E&device=%3Cb%3E"),
        );
        assert_eq!(reply.status, 400);
        let html = String::from_utf8(reply.body).unwrap();
        assert!(!html.contains("<script") && !html.contains("<b>"), "{html}");
        assert!(
            html.contains("value=\"&quot;&gt;&lt;script&gt;\""),
            "{html}"
        );
        assert!(html.contains("role=\"alert\""));
        cleanup(&config);
    }

    #[test]
    fn the_period_defaults_to_the_last_seven_days_and_is_checked() {
        assert_eq!(
            parse_period("", NOW),
            Ok(Period {
                from: "2026-11-17".into(),
                to: "2026-11-23".into(),
                device: None
            })
        );
        assert_eq!(
            parse_period("from=2026-02-01&to=&device=tablet", NOW),
            Ok(Period {
                from: "2026-02-01".into(),
                to: "2026-11-23".into(),
                device: Some("tablet")
            })
        );
        for bad in [
            "from=2026-02-30",
            "from=2026-13-01",
            "to=23/11/2026",
            "device=phone",
            "from=2026-11-23&to=2026-11-01",
        ] {
            assert!(parse_period(bad, NOW).is_err(), "{bad}");
        }
        assert!(parse_period("from=2024-02-29", NOW).is_ok());
        assert!(parse_period("from=2023-02-29", NOW).is_err());
    }

    #[test]
    fn an_empty_store_says_so() {
        let config = fresh("empty");
        let reply = handle(&config, &Request::new("GET", "/funnel"));
        assert_eq!(reply.status, 200);
        let html = String::from_utf8(reply.body).unwrap();
        assert!(html.contains("No events in this period yet."));
        assert!(html.contains("No abandoned checkouts in this period."));
        assert!(html.contains("<td>no answers yet</td>"));
        cleanup(&config);
    }
}
