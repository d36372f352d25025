//! A `kago-server` process for black-box tests: started on a free port with its own database
//! and catalog, spoken to over real HTTP, stopped when dropped.
//!
//! `KAGO_SERVER_BIN` runs the tests against another build (e.g. an older one, to see an attack
//! test fail there).

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub const ADMIN_TOKEN: &str = "test-admin-token-0123456789";

pub struct Server {
    child: Child,
    pub base: String,
    pub dir: PathBuf,
}

impl Server {
    /// Starts the server with extra environment variables.
    pub fn start(name: &str, env: &[(&str, &str)]) -> Server {
        let dir = std::env::temp_dir().join(format!("kago-bb-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("root")).expect("temp dir");
        std::fs::write(dir.join("root/index.html"), "<p>shop</p>").expect("page");
        let catalog = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/catalog.json");
        let bin = std::env::var("KAGO_SERVER_BIN")
            .unwrap_or_else(|_| env!("CARGO_BIN_EXE_kago-server").to_string());
        let mut command = Command::new(bin);
        command
            .arg("--root")
            .arg(dir.join("root"))
            .args(["--port", "0", "--db"])
            .arg(dir.join("db.sqlite"))
            .env("KAGO_ADMIN_TOKEN", ADMIN_TOKEN)
            .env("KAGO_CATALOG", &catalog)
            .env("KAGO_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (k, v) in env {
            command.env(k, v);
        }
        let mut child = command.spawn().expect("start kago-server");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let base = loop {
            let line = lines
                .next()
                .expect("kago-server printed its address before exiting")
                .expect("stdout line");
            if let Some(rest) = line.strip_prefix("listening on ") {
                break rest.trim().to_string();
            }
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, base, dir }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn addr(&self) -> String {
        self.base.trim_start_matches("http://").to_string()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// An HTTP client that reports every status as an answer and gives up after `secs`.
pub fn client(secs: u64) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .max_redirects_will_error(false)
        .timeout_global(Some(Duration::from_secs(secs)))
        .build()
        .into()
}

/// `(status, body)` of a GET, with the admin token when `admin`.
pub fn get(agent: &ureq::Agent, url: &str, admin: bool) -> Result<(u16, String), ureq::Error> {
    let mut request = agent.get(url);
    if admin {
        request = request.header("Authorization", &format!("Bearer {ADMIN_TOKEN}"));
    }
    let mut response = request.call()?;
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(50 * 1024 * 1024)
        .read_to_string()?;
    Ok((status, body))
}

/// `(status, body)` of a JSON POST.
pub fn post(agent: &ureq::Agent, url: &str, body: &str) -> Result<(u16, String), ureq::Error> {
    let mut response = agent
        .post(url)
        .header("Content-Type", "application/json")
        .send(body)?;
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_string()?;
    Ok((status, body))
}

/// The app in this process, on one database, with a hand-set clock.
pub mod app {
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
    use std::sync::Arc;

    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use kago_server::admin::AdminAuth;
    use kago_server::catalog::{sync_stock, Catalog, CatalogHandle};
    use kago_server::{db, AppState, Clock, Options};
    use serde_json::Value;
    use tower::ServiceExt;

    pub const TOKEN: &str = super::ADMIN_TOKEN;
    /// 2026-11-23T09:41:07.123Z
    pub const NOW: i64 = 1_795_426_867_123;

    static NEXT: AtomicUsize = AtomicUsize::new(0);

    /// The databases to run on: a SQLite file always, PostgreSQL when
    /// `KAGO_TEST_POSTGRES_URL` is set (`scripts/test` sets it; `KAGO_REQUIRE_POSTGRES=1`
    /// makes its absence an error instead of a printed notice).
    pub async fn databases(name: &str) -> Vec<String> {
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("kago-api-{}-{name}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut dbs = vec![dir.join("db.sqlite").display().to_string()];
        match std::env::var("KAGO_TEST_POSTGRES_URL") {
            Ok(url) if !url.is_empty() => dbs.push(fresh_postgres(&url, name, n).await),
            _ => {
                assert!(
                    std::env::var("KAGO_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                    "KAGO_REQUIRE_POSTGRES=1 but KAGO_TEST_POSTGRES_URL is not set"
                );
                eprintln!("NOTE: KAGO_TEST_POSTGRES_URL is not set: {name} ran on SQLite only");
            }
        }
        dbs
    }

    /// A new, empty database on the test server, named after the test.
    async fn fresh_postgres(url: &str, name: &str, n: usize) -> String {
        use sqlx::Connection;
        let db_name = format!("kago_{}_{}_{n}", std::process::id(), name.replace('-', "_"));
        let mut conn = sqlx::PgConnection::connect(url)
            .await
            .expect("connect to KAGO_TEST_POSTGRES_URL");
        sqlx::query(&format!("DROP DATABASE IF EXISTS {db_name}"))
            .execute(&mut conn)
            .await
            .expect("drop");
        sqlx::query(&format!("CREATE DATABASE {db_name}"))
            .execute(&mut conn)
            .await
            .expect("create database");
        let (base, _) = url.rsplit_once('/').expect("a URL with a database name");
        let query = url
            .split_once('?')
            .map(|(_, q)| format!("?{q}"))
            .unwrap_or_default();
        format!("{base}/{db_name}{query}")
    }

    pub struct App {
        pub state: AppState,
        pub clock: Arc<AtomicI64>,
        pub backend: &'static str,
    }

    pub fn catalog_path() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/catalog.json")
    }

    impl App {
        pub async fn new(db_address: &str) -> App {
            Self::with_catalog(db_address, vec![catalog_path()], Options::default()).await
        }

        pub async fn with_catalog(
            db_address: &str,
            catalogs: Vec<PathBuf>,
            options: Options,
        ) -> App {
            let db = db::connect(db_address).await.expect("database");
            let catalog = Catalog::load(&catalogs).expect("catalog");
            sync_stock(&db, &catalog).await.expect("stock");
            let clock = Arc::new(AtomicI64::new(NOW));
            let backend = db.backend.name();
            let state = AppState {
                db,
                catalog: Arc::new(CatalogHandle::new(catalogs, catalog)),
                admin: Arc::new(AdminAuth::new(Some(TOKEN), false)),
                options: Arc::new(Options {
                    rate_limit_per_ip: 100_000,
                    rate_limit_per_origin: 100_000,
                    ..options
                }),
                clock: Clock::Fixed(Arc::clone(&clock)),
            };
            App {
                state,
                clock,
                backend,
            }
        }

        pub fn set_now(&self, ms: i64) {
            self.clock.store(ms, Ordering::SeqCst);
        }

        pub async fn send(&self, request: Request<Body>) -> Answer {
            let response = kago_server::router(self.state.clone())
                .oneshot(request)
                .await
                .expect("infallible");
            let status = response.status();
            let headers = response.headers().clone();
            let bytes = axum::body::to_bytes(response.into_body(), 64 * 1024 * 1024)
                .await
                .expect("body");
            Answer {
                status,
                headers,
                body: String::from_utf8_lossy(&bytes).into_owned(),
            }
        }

        pub async fn post(&self, path: &str, body: &str) -> Answer {
            self.send(
                Request::post(path)
                    .header("content-type", "application/json")
                    .body(Body::from(body.to_string()))
                    .expect("request"),
            )
            .await
        }

        pub async fn get(&self, path: &str) -> Answer {
            self.send(Request::get(path).body(Body::empty()).expect("request"))
                .await
        }

        pub async fn admin_get(&self, path: &str) -> Answer {
            self.send(
                Request::get(path)
                    .header("authorization", format!("Bearer {TOKEN}"))
                    .body(Body::empty())
                    .expect("request"),
            )
            .await
        }
    }

    #[derive(Debug)]
    pub struct Answer {
        pub status: StatusCode,
        pub headers: axum::http::HeaderMap,
        pub body: String,
    }

    impl Answer {
        pub fn json(&self) -> Value {
            serde_json::from_str(&self.body)
                .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
        }

        pub fn header(&self, name: &str) -> Option<&str> {
            self.headers.get(name).and_then(|v| v.to_str().ok())
        }
    }
}
