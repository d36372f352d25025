//! Seeds a database with N funnel events (default 1 000 000) spread over the last 90 days and
//! times `GET /funnel` (the default 7 days, and all 90 days) through the real router.
//!
//! `cargo run --profile server -p kago-server --example bench-funnel -- DB [N] [RUNS]`, where DB
//! is a SQLite file or a postgres:// URL (scripts/bench-server runs both).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use kago_server::admin::AdminAuth;
use kago_server::catalog::{Catalog, CatalogHandle};
use kago_server::{db, router, AppState, Clock, Options};
use tower::ServiceExt;

const TYPES: [(&str, Option<&str>); 10] = [
    ("cart_viewed", None),
    ("item_added", None),
    ("quantity_changed", None),
    ("checkout_started", None),
    ("step_viewed", Some("contact")),
    ("step_completed", Some("contact")),
    ("step_viewed", Some("delivery")),
    ("step_completed", Some("delivery")),
    ("order_submitted", None),
    ("order_completed", None),
];

#[tokio::main]
async fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let address = args.first().ok_or("usage: bench-funnel DB [N] [RUNS]")?;
    let n: usize = args
        .get(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let runs: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(5);
    let db = db::connect(address).await?;
    let now = db::now_ms();
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events")
        .fetch_one(&db.pool)
        .await
        .map_err(|e| e.to_string())?;
    if (stored as usize) < n {
        let started = Instant::now();
        seed(&db, n - stored as usize, stored as usize, now).await?;
        kago_server::funnel::rebuild_rollups(&db)
            .await
            .map_err(|e| e.to_string())?;
        println!(
            "seeded {} events (and their rollups) in {:.1} s",
            n - stored as usize,
            started.elapsed().as_secs_f64()
        );
    }
    if db.backend == db::Backend::Postgres {
        sqlx::query("ANALYZE events")
            .execute(&db.pool)
            .await
            .map_err(|e| e.to_string())?;
    }
    let catalog_path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../www/catalog.json");
    let catalog = Catalog::load(std::slice::from_ref(&catalog_path))?;
    let state = AppState {
        db: db.clone(),
        catalog: Arc::new(CatalogHandle::new(vec![catalog_path], catalog)),
        admin: Arc::new(AdminAuth::new(Some("bench"), false)),
        options: Arc::new(Options::default()),
        clock: Clock::System,
    };
    let app = router(state);
    let today = kago_core::events::iso8601_utc(now as u64)[..10].to_string();
    let first = kago_core::events::iso8601_utc((now - 89 * 86_400_000) as u64)[..10].to_string();
    for (label, query) in [
        ("/funnel (last 7 days)", String::new()),
        (
            "/funnel (90 days, every event)",
            format!("?from={first}&to={today}"),
        ),
        (
            "/funnel?device=mobile (90 days)",
            format!("?from={first}&to={today}&device=mobile"),
        ),
    ] {
        let mut times = Vec::new();
        let mut size = 0;
        for _ in 0..runs {
            let request = Request::get(format!("/funnel{query}"))
                .header("authorization", "Bearer bench")
                .body(Body::empty())
                .map_err(|e| e.to_string())?;
            let started = Instant::now();
            let Ok(response) = app.clone().oneshot(request).await;
            let status = response.status();
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .map_err(|e| e.to_string())?;
            times.push(started.elapsed());
            size = body.len();
            if !status.is_success() {
                return Err(format!("{label}: {status}"));
            }
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{} {label}: median {:.0} ms (min {:.0}, max {:.0}) over {runs} runs, {} bytes",
            db.backend.name(),
            ms(times[runs / 2]),
            ms(times[0]),
            ms(times[runs - 1]),
            size
        );
    }
    Ok(())
}

/// `count` events from `offset` on: carts of ~10 events each over 90 days, 3 devices, a
/// funnel that narrows, abandonments with reasons, some ratings.
async fn seed(db: &db::Db, count: usize, offset: usize, now: i64) -> Result<(), String> {
    const ROWS: usize = 500;
    let devices = ["mobile", "mobile", "desktop", "tablet"];
    let mut n = offset;
    let end = offset + count;
    while n < end {
        let mut tx = db.pool.begin().await.map_err(|e| e.to_string())?;
        for _ in 0..40 {
            if n >= end {
                break;
            }
            let rows = ROWS.min(end - n);
            let mut sql = String::from(
                "INSERT INTO events (id, type, at, session_id, cart_id, device, locale, currency, page, value, step, last_step, trigger_kind, reason, rating, body, received_at) VALUES ",
            );
            for i in 0..rows {
                let k = n + i;
                let cart = k / 10;
                let hash = (cart as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 33;
                let reached = 3 + (hash % 8) as usize; // how far this cart got
                let slot = k % 10;
                let at_ms = now - ((hash % (90 * 86_400)) as i64) * 1000 + slot as i64 * 1000;
                let at = kago_core::events::iso8601_utc(at_ms as u64);
                let device = devices[(hash % 4) as usize];
                let (kind, step, last, trigger, reason, rating) = if slot < reached {
                    let (kind, step) = TYPES[slot];
                    (kind, step, None, None, None, None)
                } else if slot == reached {
                    let reasons = [
                        Some("shipping_cost"),
                        None,
                        Some("just_looking"),
                        Some("payment_missing"),
                    ];
                    (
                        "checkout_abandoned",
                        None,
                        Some(["contact", "delivery", "review"][(hash % 3) as usize]),
                        Some(["closed", "hidden", "idle", "unload"][(hash % 4) as usize]),
                        reasons[(hash % 4) as usize],
                        None,
                    )
                } else {
                    (
                        "checkout_feedback",
                        None,
                        None,
                        None,
                        None,
                        Some(1 + (hash % 5) as i64),
                    )
                };
                let quote = |v: Option<&str>| v.map_or("NULL".to_string(), |v| format!("'{v}'"));
                if i > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!(
                    "('b-{k}', '{kind}', '{at}', 's-{cart}', 'c-{cart}', '{device}', 'en', 'USD', '/', 4800, {}, {}, {}, {}, {}, '{{\"id\":\"b-{k}\"}}', {now})",
                    quote(step), quote(last), quote(trigger), quote(reason), rating.map_or("NULL".into(), |r| r.to_string())
                ));
            }
            sqlx::query(&sql)
                .execute(&mut *tx)
                .await
                .map_err(|e| e.to_string())?;
            n += rows;
        }
        tx.commit().await.map_err(|e| e.to_string())?;
    }
    Ok(())
}
