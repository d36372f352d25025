//! The demo registration endpoint `POST /api/register` (issue 5): `{email, password?, order_id,
//! marketing_opt_in, locale}` → `201 {"incentive_code"}`, or `409` when the e-mail already has an
//! account. Passwords are kept only as a salted SHA-256 (a demo; a real shop uses a password
//! hash such as Argon2) and never logged. `GET /api/register` lists accounts without secrets.

use crate::orders::error;
use crate::{now_ms, Reply};
use rusqlite::{params, Connection, ErrorCode};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::time::Duration;

const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS accounts (
    email TEXT PRIMARY KEY COLLATE NOCASE,
    password_hash TEXT,
    order_id TEXT NOT NULL,
    marketing_opt_in INTEGER NOT NULL,
    locale TEXT NOT NULL,
    created_at INTEGER NOT NULL
)";

fn open(db: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(db)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.execute_batch(SCHEMA)?;
    Ok(conn)
}

/// `POST /api/register`.
pub fn register(db: &Path, body: &[u8]) -> Reply {
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return error(400, "the body is not JSON");
    };
    let text = |key: &str| {
        value
            .get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .unwrap_or("")
    };
    let (email, order_id, locale) = (text("email"), text("order_id"), text("locale"));
    if !email.contains('@') || email.len() > 254 {
        return error(422, "Enter a valid e-mail address.");
    }
    if order_id.is_empty() {
        return error(400, "order_id is missing");
    }
    let Some(opt_in) = value.get("marketing_opt_in").and_then(Value::as_bool) else {
        return error(400, "marketing_opt_in must be true or false");
    };
    let password = value.get("password").and_then(Value::as_str);
    if password.is_some_and(|p| p.chars().count() < 8) {
        return error(422, "The password needs at least 8 characters.");
    }
    let hash = password.map(|p| {
        let salt = format!("{:x}", now_ms());
        format!(
            "{salt}${:x}",
            Sha256::digest(format!("{salt}{p}").as_bytes())
        )
    });
    let stored = open(db).and_then(|conn| {
        conn.execute(
            "INSERT INTO accounts (email, password_hash, order_id, marketing_opt_in, locale, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![email, hash, order_id, opt_in, locale, now_ms() as i64],
        )
    });
    match stored {
        Ok(_) => Reply::json(201, &json!({ "incentive_code": "WELCOME10" })),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::ConstraintViolation => {
            error(409, "An account with this e-mail already exists.")
        }
        Err(e) => error(500, &format!("cannot store the account: {e}")),
    }
}

/// `GET /api/register`: the accounts, without password hashes.
pub fn list(db: &Path) -> Reply {
    let rows = open(db).and_then(|conn| {
        let mut stmt = conn.prepare("SELECT email, password_hash IS NOT NULL, order_id, marketing_opt_in, locale FROM accounts ORDER BY created_at")?;
        let rows = stmt.query_map([], |r| {
            Ok(json!({
                "email": r.get::<_, String>(0)?,
                "has_password": r.get::<_, bool>(1)?,
                "order_id": r.get::<_, String>(2)?,
                "marketing_opt_in": r.get::<_, bool>(3)?,
                "locale": r.get::<_, String>(4)?,
            }))
        })?;
        rows.collect::<rusqlite::Result<Vec<Value>>>()
    });
    match rows {
        Ok(accounts) => Reply::json(200, &json!({ "accounts": accounts })),
        Err(e) => error(500, &format!("cannot read accounts: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("kago-accounts-{}-{}", std::process::id(), now_ms()));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("t.sqlite")
    }

    #[test]
    fn register_then_conflict_and_no_password_kept_in_clear() {
        let db = db();
        let body = br#"{"email":"a@b.co","password":"Correct-Horse-9","order_id":"K-1","marketing_opt_in":false,"locale":"en"}"#;
        assert_eq!(register(&db, body).status, 201);
        assert_eq!(register(&db, body).status, 409);
        let link = br#"{"email":"c@d.co","order_id":"K-2","marketing_opt_in":true,"locale":"ja"}"#;
        assert_eq!(register(&db, link).status, 201);
        let short = br#"{"email":"e@f.co","password":"short","order_id":"K-3","marketing_opt_in":false,"locale":"en"}"#;
        assert_eq!(register(&db, short).status, 422);
        let raw = std::fs::read(&db).unwrap();
        assert!(
            !raw.windows(15).any(|w| w == b"Correct-Horse-9"),
            "the password is not stored"
        );
        let listed = String::from_utf8(list(&db).body).unwrap();
        assert!(
            listed.contains("\"has_password\":true") && !listed.contains("Correct"),
            "{listed}"
        );
    }
}
