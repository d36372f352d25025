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
