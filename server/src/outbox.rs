//! The outbox: e-mails the server owes shoppers, written to a table first (so nothing is lost
//! and tests can read them) and sent by SMTP when `KAGO_SMTP_URL` is set.
//!
//! Abandoned-cart reminders: a `checkout_abandoned` event that carries `contact.email` (the
//! shopper ticked "E-mail me a reminder") schedules one reminder per `cart_id`, due after
//! `--reminder-delay-minutes`. When it falls due it becomes an outbox message with a link back
//! to the shop and the cart's lines, unless an order for that cart arrived meanwhile (an
//! `order_completed` event with that `cart_id`, or an order whose body carries it): then it is
//! cancelled. Never twice for one cart.

use kago_core::currency::Currency;
use kago_core::money::Money;
use serde_json::Value;
use sqlx::{Any, Row, Transaction};

use crate::catalog::{item_key, Catalog};
use crate::db::Db;

/// A message waiting in (or sent from) the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: i64,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: i64,
}

/// Writes a message to the outbox (inside the caller's transaction).
pub async fn queue(
    tx: &mut Transaction<'_, Any>,
    kind: &str,
    recipient: &str,
    subject: &str,
    body: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO outbox (kind, recipient, subject, body, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(kind)
    .bind(recipient)
    .bind(subject)
    .bind(body)
    .bind(now_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Schedules the reminder of an abandoned checkout that carries the shopper's e-mail; at most
/// one per cart (the first one wins).
pub async fn schedule_reminder(
    tx: &mut Transaction<'_, Any>,
    event: &Value,
    now_ms: i64,
    delay_ms: i64,
) -> Result<(), sqlx::Error> {
    if event.get("type").and_then(Value::as_str) != Some("checkout_abandoned") {
        return Ok(());
    }
    let email = event
        .get("contact")
        .and_then(|c| c.get("email"))
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|e| kago_core::text::is_email(e));
    let cart_id = event
        .get("cart_id")
        .and_then(Value::as_str)
        .filter(|c| !c.is_empty() && c.len() <= 200);
    let (Some(email), Some(cart_id)) = (email, cart_id) else {
        return Ok(());
    };
    let text = |key: &str| event.get(key).and_then(Value::as_str).map(str::to_string);
    let items = event
        .get("items")
        .filter(|i| i.is_array())
        .map_or("[]".to_string(), Value::to_string);
    sqlx::query(
        "INSERT INTO reminders (cart_id, email, locale, currency, page, items, due_at, created_at, state)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'waiting')
         ON CONFLICT (cart_id) DO NOTHING",
    )
    .bind(cart_id)
    .bind(email)
    .bind(text("locale"))
    .bind(text("currency"))
    .bind(text("page"))
    .bind(items)
    .bind(now_ms.saturating_add(delay_ms))
    .bind(now_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What [`process_due`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Processed {
    pub queued: u64,
    pub cancelled: u64,
}

/// Turns the reminders due at `now_ms` into outbox messages, or cancels them when the cart's
/// order arrived.
pub async fn process_due(
    db: &Db,
    catalog: &Catalog,
    shop_url: &str,
    now_ms: i64,
) -> Result<Processed, sqlx::Error> {
    let due = sqlx::query(
        "SELECT cart_id, email, locale, currency, page, items FROM reminders
         WHERE state = 'waiting' AND due_at <= $1 ORDER BY due_at LIMIT 200",
    )
    .bind(now_ms)
    .fetch_all(&db.pool)
    .await?;
    let mut done = Processed::default();
    for row in due {
        let cart_id: String = row.get(0);
        let ordered: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(1 AS BIGINT) FROM events WHERE cart_id = $1 AND type = 'order_completed'
             UNION ALL SELECT CAST(1 AS BIGINT) FROM orders WHERE cart_id = $1 LIMIT 1",
        )
        .bind(&cart_id)
        .fetch_optional(&db.pool)
        .await?;
        let mut tx = db.pool.begin().await?;
        let next = if ordered.is_some() {
            "cancelled"
        } else {
            "queued"
        };
        // Only the one that moves it out of 'waiting' acts: never twice.
        let moved =
            sqlx::query("UPDATE reminders SET state = $2 WHERE cart_id = $1 AND state = 'waiting'")
                .bind(&cart_id)
                .bind(next)
                .execute(&mut *tx)
                .await?;
        if moved.rows_affected() == 1 {
            if ordered.is_some() {
                done.cancelled += 1;
            } else {
                let email: String = row.get(1);
                let locale: Option<String> = row.get(2);
                let currency: Option<String> = row.get(3);
                let page: Option<String> = row.get(4);
                let items: String = row.get(5);
                let (subject, body) = reminder_text(
                    catalog,
                    shop_url,
                    locale.as_deref(),
                    currency.as_deref(),
                    page.as_deref(),
                    &items,
                );
                queue(&mut tx, "reminder", &email, &subject, &body, now_ms).await?;
                done.queued += 1;
            }
        }
        tx.commit().await?;
    }
    Ok(done)
}

/// The link back to the page the shopper left (a path on the shop), or the shop's home.
pub fn shop_link(shop_url: &str, page: Option<&str>) -> String {
    let path = page
        .filter(|p| p.starts_with('/') && !p.starts_with("//") && !p.contains(['\\', ' ']))
        .unwrap_or("/");
    format!("{}{path}", shop_url.trim_end_matches('/'))
}

fn reminder_text(
    catalog: &Catalog,
    shop_url: &str,
    locale: Option<&str>,
    currency: Option<&str>,
    page: Option<&str>,
    items: &str,
) -> (String, String) {
    let japanese = locale.is_some_and(|l| l.starts_with("ja"));
    let currency = currency.and_then(Currency::from_code);
    let items: Vec<Value> = serde_json::from_str(items).unwrap_or_default();
    let lines: Vec<String> = items
        .iter()
        .map(|item| {
            let sku = item.get("sku").and_then(Value::as_str).unwrap_or("?");
            let variant = item.get("variant").and_then(Value::as_str);
            let quantity = item.get("quantity").and_then(Value::as_u64).unwrap_or(1);
            let name = catalog
                .items
                .get(&item_key(sku, variant))
                .map_or(sku.to_string(), |i| i.name.clone());
            let variant = variant.map(|v| format!(" ({v})")).unwrap_or_default();
            let price = match (currency, item.get("unit_price").and_then(Value::as_i64)) {
                (Some(c), Some(p)) => {
                    format!(" — {} {}", Money::new(p, c).to_decimal_string(), c.code())
                }
                _ => String::new(),
            };
            format!("- {quantity} × {name}{variant}{price}")
        })
        .collect();
    let link = shop_link(shop_url, page);
    if japanese {
        (
            "カートに商品が残っています".into(),
            format!(
                "お買い物の途中でしたか？ カートの中身はこちらです。\n\n{}\n\n続きはこちら: {link}\n\nこのメールはご注文手続きでリマインダーをご希望いただいたためお送りしています。一度だけのお知らせです。\n",
                lines.join("\n")
            ),
        )
    } else {
        (
            "You left something in your cart".into(),
            format!(
                "Still thinking it over? Here is what is in your cart:\n\n{}\n\nPick up where you left off: {link}\n\nYou asked for this reminder at checkout; it is the only one we send.\n",
                lines.join("\n")
            ),
        )
    }
}

/// The messages not sent yet, oldest first.
pub async fn pending(db: &Db) -> Result<Vec<Message>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, kind, recipient, subject, body, created_at FROM outbox
         WHERE sent_at IS NULL ORDER BY id",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| Message {
            id: r.get(0),
            kind: r.get(1),
            recipient: r.get(2),
            subject: r.get(3),
            body: r.get(4),
            created_at: r.get(5),
        })
        .collect())
}

/// Sends pending messages through SMTP; a failed one is tried again on the next round (at
/// most 10 times). Logs message ids only, never addresses.
pub async fn send_pending(db: &Db, smtp_url: &str, from: &str, now_ms: i64) -> Result<u64, String> {
    use lettre::message::header::ContentType;
    use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
        .map_err(|e| format!("KAGO_SMTP_URL is not usable: {e}"))?
        .build();
    let from: lettre::message::Mailbox = from
        .parse()
        .map_err(|e| format!("KAGO_MAIL_FROM is not an address: {e}"))?;
    let waiting = sqlx::query(
        "SELECT id, recipient, subject, body FROM outbox
         WHERE sent_at IS NULL AND attempts < 10 ORDER BY id LIMIT 50",
    )
    .fetch_all(&db.pool)
    .await
    .map_err(|e| crate::db::describe(&e))?;
    let mut sent = 0;
    for row in waiting {
        let id: i64 = row.get(0);
        let recipient: String = row.get(1);
        let built = recipient
            .parse::<lettre::message::Mailbox>()
            .map_err(|e| e.to_string())
            .and_then(|to| {
                lettre::Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(row.get::<String, _>(2))
                    .header(ContentType::TEXT_PLAIN)
                    .body(row.get::<String, _>(3))
                    .map_err(|e| e.to_string())
            });
        let result = match built {
            Ok(message) => transport.send(message).await.map(drop).map_err(|e| {
                // The kind of failure only: SMTP errors can quote the address.
                if e.is_permanent() {
                    "permanent SMTP error".to_string()
                } else {
                    "transient SMTP error".to_string()
                }
            }),
            Err(_) => Err("not a valid message".to_string()),
        };
        let update = match &result {
            Ok(()) => {
                sqlx::query("UPDATE outbox SET sent_at = $2, attempts = attempts + 1 WHERE id = $1")
                    .bind(id)
                    .bind(now_ms)
            }
            Err(e) => sqlx::query(
                "UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1",
            )
            .bind(id)
            .bind(e.clone()),
        };
        update
            .execute(&db.pool)
            .await
            .map_err(|e| crate::db::describe(&e))?;
        match result {
            Ok(()) => sent += 1,
            Err(e) => tracing::warn!(message = id, "not sent: {e}"),
        }
    }
    Ok(sent)
}
