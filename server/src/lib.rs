//! Request handling for `kago-server`, kept free of any socket so it is unit-tested directly.
//!
//! Routing: [`handle`] first offers the request to [`route`] (`/healthz`, the demo order
//! endpoint `/api/orders` (see [`orders`]), the funnel-event endpoint `/api/events` (see
//! [`events`]) and the funnel report `/funnel` (see [`funnel`])), then falls back to static
//! files.

pub mod accounts;
pub mod events;
pub mod funnel;
pub mod orders;

use std::fs;
use std::path::{Component, Path, PathBuf};

use serde_json::{json, Value};

/// Where orders are stored unless `--db` says otherwise (relative to the working directory).
pub const DEFAULT_DB: &str = "target/kago-demo.sqlite";

/// The Content-Security-Policy sent with every HTML page unless `--no-csp`.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data:; connect-src 'self'";

/// Server settings, from the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Directories searched in order; the first that has the file wins.
    pub roots: Vec<PathBuf>,
    pub port: u16,
    pub csp: bool,
    /// SQLite file of the demo order and event endpoints.
    pub db: PathBuf,
}

impl Config {
    pub const USAGE: &'static str =
        "usage: kago-server [--root DIR]... [--port N (default 8080)] [--no-csp] \
         [--db FILE (default target/kago-demo.sqlite)]";

    /// Parses arguments; `Ok(None)` means help was asked for.
    pub fn from_args<I: IntoIterator<Item = String>>(args: I) -> Result<Option<Config>, String> {
        let mut roots = Vec::new();
        let mut port = 8080;
        let mut csp = true;
        let mut db = PathBuf::from(DEFAULT_DB);
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--root" => {
                    let dir = args.next().ok_or("--root needs a directory")?;
                    if !Path::new(&dir).is_dir() {
                        return Err(format!("--root {dir}: not a directory"));
                    }
                    roots.push(PathBuf::from(dir));
                }
                "--port" => {
                    let value = args.next().ok_or("--port needs a number")?;
                    port = value
                        .parse()
                        .map_err(|_| format!("--port {value}: not a port number"))?;
                }
                "--no-csp" => csp = false,
                "--db" => {
                    let file = args.next().ok_or("--db needs a file name")?;
                    if file.is_empty() || Path::new(&file).is_dir() {
                        return Err(format!("--db {file:?}: not a file name"));
                    }
                    db = PathBuf::from(file);
                }
                "-h" | "--help" => return Ok(None),
                other => return Err(format!("unknown argument {other:?}")),
            }
        }
        if roots.is_empty() {
            return Err("give at least one --root DIR".into());
        }
        Ok(Some(Config {
            roots,
            port,
            csp,
            db,
        }))
    }
}

/// The parts of an HTTP request the handlers look at.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// The request target as sent, e.g. `/kago.js?v=1`.
    pub url: String,
    /// The body, read up to [`orders::MAX_BODY`] + 1 bytes (more means too large; the event
    /// endpoint's own limit, [`events::MAX_BODY`], is smaller).
    pub body: Vec<u8>,
}

impl Request {
    /// A request without a body.
    pub fn new(method: &str, url: &str) -> Request {
        Request {
            method: method.into(),
            url: url.into(),
            body: Vec::new(),
        }
    }

    /// The path without query string or fragment.
    pub fn path(&self) -> &str {
        let end = self.url.find(['?', '#']).unwrap_or(self.url.len());
        &self.url[..end]
    }

    /// The query string without `?` (and without any fragment); empty if there is none.
    pub fn query(&self) -> &str {
        let url = self.url.split('#').next().unwrap_or("");
        url.split_once('?').map_or("", |(_, q)| q)
    }
}

/// A response, turned into a `tiny_http` one by `main`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            headers: vec![
                ("Content-Type".into(), content_type.into()),
                ("Cache-Control".into(), "no-cache".into()),
                ("X-Content-Type-Options".into(), "nosniff".into()),
            ],
            body: body.into(),
        }
    }

    pub fn text(status: u16, body: &str) -> Reply {
        Reply::new(status, "text/plain; charset=utf-8", body)
    }

    /// A JSON answer of the API: never cached.
    pub fn json(status: u16, value: &Value) -> Reply {
        Reply {
            status,
            headers: vec![
                ("Content-Type".into(), "application/json".into()),
                ("Cache-Control".into(), "no-store".into()),
                ("X-Content-Type-Options".into(), "nosniff".into()),
            ],
            body: value.to_string().into_bytes(),
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Answers one request.
pub fn handle(config: &Config, req: &Request) -> Reply {
    if let Some(reply) = route(config, req) {
        return reply;
    }
    if req.method != "GET" && req.method != "HEAD" {
        let mut reply = Reply::text(405, "method not allowed\n");
        reply.headers.push(("Allow".into(), "GET, HEAD".into()));
        return reply;
    }
    serve_static(config, req.path())
}

/// Dynamic endpoints: `/healthz`, `/api/orders`, `/api/events`, `/funnel` (and its
/// `/funnel.css`); anything else under `/api/` is a JSON 404.
fn route(config: &Config, req: &Request) -> Option<Reply> {
    let path = req.path();
    match (req.method.as_str(), path) {
        ("GET" | "HEAD", "/healthz") => Some(Reply::text(200, "ok\n")),
        (method, "/api/events") => Some(events::handle(&config.db, method, req.query(), &req.body)),
        ("GET" | "HEAD", "/funnel" | "/funnel/") => {
            Some(funnel::page(&config.db, req.query(), now_ms(), config.csp))
        }
        ("GET" | "HEAD", "/funnel.css") => Some(funnel::stylesheet()),
        ("GET" | "HEAD", "/api/register") => Some(accounts::list(&config.db)),
        ("POST", "/api/register") => Some(accounts::register(&config.db, &req.body)),
        ("GET" | "HEAD", "/api/orders") => Some(orders::list(&config.db)),
        ("POST", "/api/orders") => Some(orders::create(&config.db, &req.body)),
        (_, "/api/orders") => {
            let mut reply = orders::error(405, "use GET or POST on /api/orders");
            reply
                .headers
                .push(("Allow".into(), "GET, HEAD, POST".into()));
            Some(reply)
        }
        (_, "/api") => Some(not_found_json(path)),
        (_, p) if p.starts_with("/api/") => Some(not_found_json(path)),
        _ => None,
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

fn not_found_json(path: &str) -> Reply {
    Reply::json(
        404,
        &json!({ "error": format!("there is no API endpoint {path}") }),
    )
}

fn serve_static(config: &Config, path: &str) -> Reply {
    let Some(relative) = safe_relative_path(path) else {
        return Reply::text(400, "bad path\n");
    };
    let Some(file) = find_file(&config.roots, &relative) else {
        return Reply::text(404, "not found\n");
    };
    let body = match fs::read(&file) {
        Ok(body) => body,
        Err(err) => {
            eprintln!("kago-server: reading {}: {err}", file.display());
            return Reply::text(500, "cannot read file\n");
        }
    };
    let content_type = content_type(&file);
    let mut reply = Reply::new(200, content_type, body);
    if config.csp && content_type.starts_with("text/html") {
        reply
            .headers
            .push(("Content-Security-Policy".into(), CSP.into()));
    }
    reply
}

/// Turns a URL path into a relative file path, or `None` if it is not acceptable:
/// bad percent-encoding, `..`, backslashes, NUL, or anything but plain names.
/// A path ending in `/` means its `index.html`.
pub fn safe_relative_path(url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path)?;
    if !decoded.starts_with('/') || decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut relative = PathBuf::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => continue,
            ".." => return None,
            name => relative.push(name),
        }
    }
    // Each pushed segment must be a plain name (no root, prefix or parent).
    if !relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return None;
    }
    if decoded.ends_with('/') {
        relative.push("index.html");
    }
    Some(relative)
}

/// The first root holding `relative` as a regular file that really lies inside
/// that root (symlinks out of it are refused). A directory means its `index.html`.
pub fn find_file(roots: &[PathBuf], relative: &Path) -> Option<PathBuf> {
    roots.iter().find_map(|root| {
        let root = root.canonicalize().ok()?;
        let mut candidate = root.join(relative);
        if candidate.is_dir() {
            candidate.push("index.html");
        }
        let candidate = candidate.canonicalize().ok()?;
        (candidate.starts_with(&root) && candidate.is_file()).then_some(candidate)
    })
}

/// The Content-Type for a file, from its extension.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("json" | "map") => "application/json",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("ts" | "txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

pub(crate) fn percent_decode(input: &str) -> Option<String> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = input.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_root(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("kago-server-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("sub")).expect("create temp root");
        dir
    }

    fn get(config: &Config, url: &str) -> Reply {
        handle(config, &Request::new("GET", url))
    }

    #[test]
    fn relative_paths() {
        assert_eq!(safe_relative_path("/"), Some(PathBuf::from("index.html")));
        assert_eq!(
            safe_relative_path("/kago.js"),
            Some(PathBuf::from("kago.js"))
        );
        assert_eq!(
            safe_relative_path("/a/./b%20c.css"),
            Some(PathBuf::from("a/b c.css"))
        );
        assert_eq!(
            safe_relative_path("/sub/"),
            Some(PathBuf::from("sub/index.html"))
        );
        for bad in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/x",
            "/%2E%2E%2Fx",
            "/a\\..\\b",
            "/a%5c..%5cb",
            "/x%00.html",
            "/%zz",
            "/%e9",
            "relative",
        ] {
            assert_eq!(safe_relative_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn first_root_wins_and_headers() {
        let a = temp_root("a");
        let b = temp_root("b");
        fs::write(a.join("index.html"), "<p>a</p>").expect("write");
        fs::write(b.join("index.html"), "<p>b</p>").expect("write");
        fs::write(b.join("only-b.wasm"), b"\0asm").expect("write");
        fs::write(b.join("sub/index.html"), "<p>sub</p>").expect("write");
        let config = Config {
            roots: vec![a.clone(), b.clone()],
            port: 0,
            csp: true,
            db: a.join("orders.sqlite"),
        };

        let index = get(&config, "/?x=1");
        assert_eq!(index.status, 200);
        assert_eq!(index.body, b"<p>a</p>");
        assert_eq!(
            index.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(index.header("cache-control"), Some("no-cache"));
        assert_eq!(index.header("content-security-policy"), Some(CSP));

        let wasm = get(&config, "/only-b.wasm");
        assert_eq!(wasm.status, 200);
        assert_eq!(wasm.header("content-type"), Some("application/wasm"));
        assert_eq!(wasm.header("content-security-policy"), None);

        assert_eq!(get(&config, "/sub").body, b"<p>sub</p>");
        assert_eq!(get(&config, "/missing.js").status, 404);
        assert_eq!(get(&config, "/../index.html").status, 400);
        assert_eq!(get(&config, "/healthz").status, 200);
        let post = handle(&config, &Request::new("POST", "/index.html"));
        assert_eq!(post.status, 405);

        let no_csp = Config {
            csp: false,
            ..config
        };
        assert_eq!(get(&no_csp, "/").header("content-security-policy"), None);
        let _ = fs::remove_dir_all(a);
        let _ = fs::remove_dir_all(b);
    }

    #[test]
    fn args() {
        let args = |v: &[&str]| Config::from_args(v.iter().map(|s| s.to_string()));
        let dir = std::env::temp_dir();
        let d = dir.to_str().expect("utf-8 temp dir");
        assert_eq!(
            args(&["--root", d, "--port", "9000", "--no-csp"]),
            Ok(Some(Config {
                roots: vec![dir.clone()],
                port: 9000,
                csp: false,
                db: PathBuf::from(DEFAULT_DB),
            }))
        );
        assert_eq!(
            args(&["--root", d, "--db", "x/orders.sqlite"]).map(|c| c.map(|c| c.db)),
            Ok(Some(PathBuf::from("x/orders.sqlite")))
        );
        assert!(args(&["--root", d, "--db"]).is_err());
        assert!(args(&["--root", d, "--db", d]).is_err());
        assert_eq!(args(&["--help"]), Ok(None));
        assert!(args(&[]).is_err());
        assert!(args(&["--root", d, "--port", "http"]).is_err());
        assert!(args(&["--root", "/definitely/not/here"]).is_err());
    }

    #[test]
    fn content_types() {
        for (file, ct) in [
            ("a.mjs", "text/javascript; charset=utf-8"),
            ("a.ts", "text/plain; charset=utf-8"),
            ("a.SVG", "image/svg+xml"),
            ("a.json", "application/json"),
            ("a.png", "image/png"),
            ("a", "application/octet-stream"),
        ] {
            assert_eq!(content_type(Path::new(file)), ct, "{file}");
        }
    }
}
