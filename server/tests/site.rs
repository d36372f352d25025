//! Registration and its double opt-in, the admin sign-in, static files, CORS, health, and the
//! demo catalog agreeing with the demo pages.

mod common;

use std::path::PathBuf;

use axum::body::Body;
use axum::http::Request;
use common::app::{databases, App, NOW, TOKEN};
use kago_server::Options;
use serde_json::{json, Value};

async fn an_order(app: &App, key: &str, email: &str) -> String {
    let body = json!({
        "idempotency_key": key, "currency": "USD",
        "items": [{"sku": "MUG-002", "variant": null, "name": "Mug", "quantity": 1, "unit_price": 1850}],
        "totals": {"subtotal": 1850, "discount": 0, "shipping": 500, "tax": 188, "tax_included": false, "total": 2538},
        "contact": {"email": email, "name": "Ada", "phone": null},
        "shipping_address": {"country": "US", "postal_code": "10001", "region": "NY", "city": "New York", "line1": "1 Main St", "line2": null},
        "shipping_method": "standard", "payment_method": "card", "discount_code": null, "locale": "en"
    });
    let a = app.post("/api/orders", &body.to_string()).await;
    assert_eq!(a.status, 201, "{}", a.body);
    a.json()["order_id"].as_str().expect("id").to_string()
}

fn registration(email: &str, order_id: &str, password: Option<&str>, opt_in: bool) -> String {
    let mut body =
        json!({"email": email, "order_id": order_id, "marketing_opt_in": opt_in, "locale": "en"});
    if let Some(p) = password {
        body["password"] = json!(p);
    }
    body.to_string()
}

#[tokio::test]
async fn registration_needs_a_recent_order_and_marketing_needs_a_confirmed_address() {
    for db in databases("register").await {
        let app = App::new(&db).await;
        let order = an_order(&app, "reg-1", "ada@example.com").await;
        // No such order, a malformed one: no account, and no hint whether one exists.
        for bad in ["K-999999", "order-1", ""] {
            let a = app
                .post(
                    "/api/register",
                    &registration("ada@example.com", bad, None, true),
                )
                .await;
            assert_eq!(a.status, 422, "{bad}: {}", a.body);
        }
        let created = app
            .post(
                "/api/register",
                &registration("Ada@Example.com", &order, Some("Correct-Horse-9"), true),
            )
            .await;
        assert_eq!(
            (created.status.as_u16(), created.json()),
            (201, json!({"incentive_code": "WELCOME10"})),
            "{}",
            app.backend
        );
        let again = app
            .post(
                "/api/register",
                &registration("ada@example.com", &order, None, false),
            )
            .await;
        assert_eq!(again.status, 409);
        // The third try on this order is the last.
        let third = app
            .post(
                "/api/register",
                &registration("bob@example.com", &order, None, false),
            )
            .await;
        assert_eq!(third.status, 201);
        let fourth = app
            .post(
                "/api/register",
                &registration("eve@example.com", &order, None, true),
            )
            .await;
        assert_eq!(fourth.status, 422, "{}", fourth.body);
        // An order older than a day does not open registration.
        let old = an_order(&app, "reg-2", "carol@example.com").await;
        app.set_now(NOW + 25 * 3600 * 1000);
        let late = app
            .post(
                "/api/register",
                &registration("carol@example.com", &old, None, false),
            )
            .await;
        assert_eq!(late.status, 422);

        let list = app.admin_get("/api/register").await.json();
        let accounts = list["accounts"].as_array().expect("accounts");
        assert_eq!(accounts.len(), 2);
        assert_eq!(
            accounts[0],
            json!({"email": "ada@example.com", "has_password": true, "order_id": order, "marketing": "unconfirmed", "locale": "en"})
        );
        assert!(!list.to_string().contains("Correct-Horse"));
        let hash: String = sqlx::query_scalar(
            "SELECT password_hash FROM accounts WHERE email = 'ada@example.com'",
        )
        .fetch_one(&app.state.db.pool)
        .await
        .expect("hash");
        assert!(hash.starts_with("$argon2id$"), "{hash}");

        // The confirmation link from the outbox confirms, once.
        let messages = kago_server::outbox::pending(&app.state.db)
            .await
            .expect("outbox");
        let confirm = messages
            .iter()
            .find(|m| m.kind == "confirm")
            .expect("a confirmation message");
        assert_eq!(confirm.recipient, "ada@example.com");
        let link = confirm
            .body
            .lines()
            .find(|l| l.contains("/confirm?token="))
            .expect("link");
        let path = &link[link.find("/confirm").expect("path")..];
        let ok = app.get(path).await;
        assert_eq!(ok.status, 200, "{}", ok.body);
        assert_eq!(app.get(path).await.status, 404, "a link works once");
        assert_eq!(app.get("/confirm?token=guess").await.status, 404);
        let list = app.admin_get("/api/register").await.json();
        assert_eq!(list["accounts"][0]["marketing"], "confirmed");
        assert_eq!(list["accounts"][1]["marketing"], "none");
    }
}

#[tokio::test]
async fn the_login_form_sets_a_strict_httponly_session_cookie() {
    for db in databases("login").await {
        let app = App::new(&db).await;
        let form = |token: &str| {
            Request::post("/login")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(format!(
                    "token={token}&next=%2Ffunnel%3Fdevice%3Dmobile"
                )))
                .expect("request")
        };
        let wrong = app.send(form("nope")).await;
        assert_eq!(wrong.status, 401);
        assert!(wrong.header("set-cookie").is_none());
        let right = app.send(form(TOKEN)).await;
        assert_eq!(right.status, 303);
        assert_eq!(right.header("location"), Some("/funnel?device=mobile"));
        let cookie = right.header("set-cookie").expect("cookie").to_string();
        for part in ["kago_admin=", "HttpOnly", "SameSite=Strict", "Path=/"] {
            assert!(cookie.contains(part), "{cookie}");
        }
        let value = cookie.split(';').next().expect("pair").to_string();
        let with = |cookie: &str| {
            Request::get("/api/orders")
                .header("cookie", cookie)
                .body(Body::empty())
                .expect("request")
        };
        assert_eq!(app.send(with(&value)).await.status, 200);
        let forged = format!("{}0", &value[..value.len() - 1]);
        assert_eq!(app.send(with(&forged)).await.status, 401);
        let later = value.replacen("kago_admin=", "kago_admin=9", 1);
        assert_eq!(
            app.send(with(&later)).await.status,
            401,
            "a changed expiry breaks the signature"
        );
        app.set_now(NOW + 13 * 3600 * 1000);
        assert_eq!(app.send(with(&value)).await.status, 401, "sessions end");
        // `next` never leaves the site.
        let away = app
            .send(
                Request::post("/login")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(Body::from(format!("token={TOKEN}&next=%2F%2Fevil.example")))
                    .expect("request"),
            )
            .await;
        assert_eq!(away.header("location"), Some("/funnel"));
    }
}

fn temp_root(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kago-site-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sub")).expect("dir");
    dir
}

#[tokio::test]
async fn static_files_first_root_wins_with_csp_on_html_and_health() {
    let a = temp_root("a");
    let b = temp_root("b");
    std::fs::write(a.join("index.html"), "<p>a</p>").expect("write");
    std::fs::write(b.join("index.html"), "<p>b</p>").expect("write");
    std::fs::write(b.join("only-b.wasm"), b"\0asm").expect("write");
    std::fs::write(b.join("kago.d.ts"), "declare const x: 1;").expect("write");
    std::fs::write(b.join("sub/index.html"), "<p>sub</p>").expect("write");
    let db = a.join("db.sqlite").display().to_string();
    let options = Options {
        roots: vec![a.clone(), b.clone()],
        ..Options::default()
    };
    let app = App::with_catalog(&db, vec![common::app::catalog_path()], options).await;
    let index = app.get("/?x=1").await;
    assert_eq!(
        (index.status.as_u16(), index.body.as_str()),
        (200, "<p>a</p>")
    );
    assert_eq!(index.header("content-type"), Some("text/html"));
    assert_eq!(index.header("cache-control"), Some("no-cache"));
    assert_eq!(index.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(
        index.header("content-security-policy"),
        Some(kago_server::app::CSP)
    );
    let wasm = app.get("/only-b.wasm").await;
    assert_eq!(wasm.header("content-type"), Some("application/wasm"));
    assert_eq!(wasm.header("content-security-policy"), None);
    assert_eq!(
        app.get("/kago.d.ts").await.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(app.get("/sub/").await.body, "<p>sub</p>");
    assert_eq!(app.get("/missing.js").await.status, 404);
    assert_eq!(app.get("/../index.html").await.status, 404);
    assert_eq!(app.get("/%2e%2e/db.sqlite").await.status, 404);
    assert_eq!(app.get("/healthz").await.body, "ok\n");
    assert_eq!(app.get("/readyz").await.status, 200);
    let api = app.get("/api/nothing").await;
    assert_eq!(api.status, 404);
    assert!(api.json()["error"]
        .as_str()
        .expect("error")
        .contains("/api/nothing"));
    let _ = std::fs::remove_dir_all(a);
    let _ = std::fs::remove_dir_all(b);
}

#[tokio::test]
async fn cors_allows_the_configured_shop_origins_on_the_public_posts_only() {
    let dir = temp_root("cors");
    let db = dir.join("db.sqlite").display().to_string();
    let options = Options {
        allowed_origins: vec!["https://shop.example".into()],
        ..Options::default()
    };
    let app = App::with_catalog(&db, vec![common::app::catalog_path()], options).await;
    let preflight = |origin: &str| {
        Request::builder()
            .method("OPTIONS")
            .uri("/api/orders")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .body(Body::empty())
            .expect("request")
    };
    let ok = app.send(preflight("https://shop.example")).await;
    assert_eq!(ok.status, 204);
    assert_eq!(
        ok.header("access-control-allow-origin"),
        Some("https://shop.example")
    );
    assert!(ok
        .header("access-control-allow-methods")
        .is_some_and(|m| m.contains("POST")));
    let other = app.send(preflight("https://evil.example")).await;
    assert_eq!(other.header("access-control-allow-origin"), None);
    let post = app
        .send(
            Request::post("/api/events")
                .header("origin", "https://shop.example")
                .body(Body::from("{\"events\": []}"))
                .expect("request"),
        )
        .await;
    assert_eq!(
        post.header("access-control-allow-origin"),
        Some("https://shop.example")
    );
    let read = app
        .send(
            Request::get("/api/events")
                .header("origin", "https://shop.example")
                .header("authorization", format!("Bearer {TOKEN}"))
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(read.status, 200);
    assert_eq!(
        read.header("access-control-allow-origin"),
        None,
        "the lists are never cross-origin"
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// The demo shop's catalog prices every product its pages sell at the page's own price, and its
/// settings pages agree per currency (the catalog loads).
#[test]
fn the_demo_catalog_agrees_with_the_demo_pages() {
    let www = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../www");
    let catalog = kago_server::catalog::Catalog::load(&[www.join("catalog.json")])
        .expect("www/catalog.json loads");
    let mut seen = 0;
    for page in ["index.html", "socks.html", "ja.html"] {
        let html = std::fs::read_to_string(www.join(page)).expect("page");
        let settings = kago_server::shop::read_page(&html).expect("settings");
        let json = settings
            .json
            .as_ref()
            .map(|(a, t)| (a.as_str(), t.as_str()));
        let (config, _) = kago_core::config::parse_config(
            &settings.attributes,
            json,
            &kago_server::shop::UrlsAsWritten,
        );
        assert!(
            catalog.shop(config.currency.code()).is_some(),
            "{page}: its currency has settings"
        );
        for attributes in &settings.products {
            let get = |name: &str| {
                attributes
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.clone())
            };
            let product = kago_core::product::parse_product(
                &get,
                config.currency,
                99,
                &kago_server::shop::UrlsAsWritten,
            )
            .expect("product");
            let key =
                kago_server::catalog::item_key(&product.item.sku, product.item.variant.as_deref());
            let item = catalog
                .items
                .get(&key)
                .unwrap_or_else(|| panic!("{page}: {key:?} is not in the catalog"));
            assert_eq!(
                item.prices.get(config.currency.code()),
                Some(&product.item.unit_price),
                "{page}: {key:?}"
            );
            seen += 1;
        }
    }
    assert_eq!(seen, 7, "every product element of the three pages");
    // The settings read from the page are the widget's (a value from each page).
    let usd = catalog.shop("USD").expect("USD");
    assert_eq!(
        (
            usd.pricing.rules.tax_rate.millipercent,
            usd.pricing.methods.len(),
            usd.pricing.codes.len()
        ),
        (8000, 2, 2)
    );
    let jpy = catalog.shop("JPY").expect("JPY");
    assert!(jpy.pricing.rules.tax_included);
    assert_eq!(jpy.pricing.methods[0].free_over, Some(5000));
}

#[test]
fn two_pages_with_different_rules_for_one_currency_are_refused() {
    let dir = temp_root("conflict");
    let data = common::app::catalog_path();
    let shop = std::fs::read_to_string(data.with_file_name("shop.html")).expect("shop");
    std::fs::write(dir.join("a.html"), &shop).expect("write");
    std::fs::write(
        dir.join("b.html"),
        shop.replace("data-tax-rate=\"8\"", "data-tax-rate=\"9\""),
    )
    .expect("write");
    std::fs::write(
        dir.join("c.json"),
        r#"{"settings": ["a.html", "b.html"], "products": []}"#,
    )
    .expect("write");
    let error = kago_server::catalog::Catalog::load(&[dir.join("c.json")]).expect_err("refused");
    assert!(error.contains("differently"), "{error}");
    let _ = std::fs::remove_dir_all(dir);
}

#[allow(dead_code)]
fn _uses(_: Value) {}

/// README's "Run the endpoint" table names every flag and environment variable of `--help`.
#[test]
fn readme_documents_every_flag_and_env_var() {
    use clap::CommandFactory;
    let readme = include_str!("../../README.md");
    let section = &readme[readme.find("## Run the endpoint").expect("section")..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    for arg in kago_server::cli::Cli::command().get_arguments() {
        let Some(long) = arg.get_long() else { continue };
        if matches!(long, "help" | "version") {
            continue;
        }
        assert!(
            section.contains(&format!("`--{long}`")),
            "README lacks --{long}"
        );
        if let Some(env) = arg.get_env() {
            let env = env.to_string_lossy();
            assert!(section.contains(&format!("`{env}`")), "README lacks {env}");
        }
    }
}
