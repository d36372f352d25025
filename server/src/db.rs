//! The database: SQLite (one file, WAL; the embedded default) or PostgreSQL, behind one
//! `sqlx::AnyPool`. Every query is written once in the SQL both understand (`$1` parameters,
//! `ON CONFLICT`, `RETURNING`); the schema is migrated at start from `migrations/<backend>/`,
//! embedded in the binary.

use std::borrow::Cow;
use std::path::Path;
use std::str::FromStr;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, ConnectOptions};

/// Which database the pool talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

/// The pool and which backend it is.
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

/// The migrations of each backend, in order: `(version, description, SQLite SQL, PostgreSQL SQL)`.
const MIGRATIONS: &[(i64, &str, &str, &str)] = &[
    (
        1,
        "init",
        include_str!("../migrations/sqlite/0001_init.sql"),
        include_str!("../migrations/postgres/0001_init.sql"),
    ),
    (
        2,
        "funnel rollups",
        include_str!("../migrations/sqlite/0002_funnel_rollups.sql"),
        include_str!("../migrations/postgres/0002_funnel_rollups.sql"),
    ),
    (
        3,
        "abandonment rollup",
        include_str!("../migrations/sqlite/0003_abandonment_rollup.sql"),
        include_str!("../migrations/postgres/0003_abandonment_rollup.sql"),
    ),
];

fn migrator(backend: Backend) -> Migrator {
    let migrations = MIGRATIONS
        .iter()
        .map(|(version, description, sqlite, postgres)| {
            let sql = match backend {
                Backend::Sqlite => sqlite,
                Backend::Postgres => postgres,
            };
            Migration::new(
                *version,
                Cow::Borrowed(description),
                MigrationType::Simple,
                Cow::Borrowed(sql),
                false,
            )
        })
        .collect::<Vec<_>>();
    Migrator {
        migrations: Cow::Owned(migrations),
        ignore_missing: false,
        locking: true,
        no_tx: false,
    }
}

/// `--db`: a `postgres://` URL, or a SQLite file name.
pub fn backend_of(db: &str) -> Backend {
    if db.starts_with("postgres://") || db.starts_with("postgresql://") {
        Backend::Postgres
    } else {
        Backend::Sqlite
    }
}

/// Opens (creating a SQLite file and its directory if needed) and migrates the database.
pub async fn connect(db: &str) -> Result<Db, String> {
    sqlx::any::install_default_drivers();
    let backend = backend_of(db);
    let url = match backend {
        Backend::Postgres => db.to_string(),
        Backend::Sqlite => {
            let path = Path::new(db);
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
            }
            format!("sqlite://{db}?mode=rwc")
        }
    };
    let options = AnyConnectOptions::from_str(&url)
        .map_err(|e| format!("--db: not a database address: {e}"))?
        .disable_statement_logging();
    let pool = AnyPoolOptions::new()
        .max_connections(match backend {
            Backend::Sqlite => 4,
            Backend::Postgres => 10,
        })
        .acquire_timeout(std::time::Duration::from_secs(10))
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    // Wait for a writer rather than fail at once (the default is 5 s too, but
                    // the URL form does not say so).
                    sqlx::query("PRAGMA busy_timeout = 10000")
                        .execute(&mut *conn)
                        .await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await
        .map_err(|e| format!("cannot open the database: {e}"))?;
    if backend == Backend::Sqlite {
        // WAL: readers never wait for the writer. Stored in the file, so once is enough.
        sqlx::query("PRAGMA journal_mode = WAL")
            .execute(&pool)
            .await
            .map_err(|e| format!("cannot set up the database: {e}"))?;
        refuse_legacy_file(&pool).await?;
    }
    migrator(backend)
        .run(&pool)
        .await
        .map_err(|e| format!("cannot migrate the database: {e}"))?;
    Ok(Db { pool, backend })
}

/// A file written by the old server has the tables but no migration record: migrating it would
/// fail half-way, so say what to do instead.
async fn refuse_legacy_file(pool: &AnyPool) -> Result<(), String> {
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('orders', '_sqlx_migrations')",
    )
    .fetch_all(pool)
    .await
    .map_err(|e| format!("cannot read the database: {e}"))?;
    let has = |name: &str| tables.iter().any(|(t,)| t == name);
    if has("orders") && !has("_sqlx_migrations") {
        return Err(
            "this SQLite file was written by an older kago-server (before migrations); move it \
             away or pass another --db"
                .into(),
        );
    }
    Ok(())
}

/// Whether the database answers (`/readyz`).
pub async fn ping(db: &Db) -> bool {
    sqlx::query("SELECT 1").execute(&db.pool).await.is_ok()
}

/// A database error for the log: the kind only, never a value (values may be personal data).
pub fn describe(error: &sqlx::Error) -> String {
    match error {
        sqlx::Error::Database(e) => format!("database error {}", e.code().unwrap_or_default()),
        sqlx::Error::PoolTimedOut => "the database pool timed out".into(),
        sqlx::Error::Io(e) => format!("database I/O error: {}", e.kind()),
        other => format!("database error: {}", short_kind(other)),
    }
}

fn short_kind(error: &sqlx::Error) -> &'static str {
    match error {
        sqlx::Error::RowNotFound => "row not found",
        sqlx::Error::ColumnDecode { .. } => "column decode",
        sqlx::Error::Protocol(_) => "protocol",
        sqlx::Error::Tls(_) => "tls",
        sqlx::Error::PoolClosed => "pool closed",
        _ => "other",
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
