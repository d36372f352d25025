//! `kago-server`: see `kago-server --help`.

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use kago_server::admin::AdminAuth;
use kago_server::catalog::{self, Catalog, CatalogHandle};
use kago_server::cli::{Cli, Command, LogFormat, ServeArgs};
use kago_server::{db, events, outbox, router, AppState, Clock, Options};

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logs(&cli.serve);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("kago-server: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Some(Command::Outbox) => print_outbox(&cli.db).await,
            None => serve(&cli.db, cli.serve).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("kago-server: {message}");
            ExitCode::FAILURE
        }
    }
}

fn init_logs(args: &ServeArgs) {
    let filter = tracing_subscriber::EnvFilter::try_new(&args.log)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match args.log_format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

async fn print_outbox(db_address: &str) -> Result<(), String> {
    let db = db::connect(db_address).await?;
    let messages = outbox::pending(&db).await.map_err(|e| db::describe(&e))?;
    let mut out = std::io::stdout().lock();
    for m in &messages {
        let at = kago_core::events::iso8601_utc(u64::try_from(m.created_at).unwrap_or(0));
        let _ = writeln!(
            out,
            "#{} {at} {}\nTo: {}\nSubject: {}\n\n{}\n",
            m.id, m.kind, m.recipient, m.subject, m.body
        );
    }
    let _ = writeln!(out, "{} message(s) waiting", messages.len());
    Ok(())
}

async fn serve(db_address: &str, args: ServeArgs) -> Result<(), String> {
    for root in &args.roots {
        if !root.is_dir() {
            return Err(format!("--root {}: not a directory", root.display()));
        }
    }
    if args.catalogs.is_empty() {
        return Err("give the catalog that prices orders: --catalog FILE (or KAGO_CATALOG)".into());
    }
    let client_ip_header = match &args.client_ip_header {
        Some(name) => Some(
            name.parse()
                .map_err(|_| format!("--client-ip-header {name:?}: not a header name"))?,
        ),
        None => None,
    };
    let db = db::connect(db_address).await?;
    let catalog = Catalog::load(&args.catalogs)?;
    catalog::sync_stock(&db, &catalog).await?;
    let listener = tokio::net::TcpListener::bind((args.host.as_str(), args.port))
        .await
        .map_err(|e| format!("cannot listen on {}:{}: {e}", args.host, args.port))?;
    let address = listener
        .local_addr()
        .map_err(|e| format!("cannot read the listening address: {e}"))?;
    let base = format!("http://{address}");
    let public_url = args.public_url.clone().unwrap_or_else(|| base.clone());
    let options = Options {
        roots: args.roots.clone(),
        csp: !args.no_csp,
        allowed_origins: args.allowed_origins.clone(),
        shop_url: args.shop_url.clone().unwrap_or_else(|| public_url.clone()),
        secure_public: public_url.starts_with("https://"),
        public_url,
        event_retention_days: args.event_retention_days,
        reminder_delay_ms: i64::from(args.reminder_delay_minutes) * 60_000,
        rate_limit_per_ip: args.rate_limit_per_ip,
        rate_limit_per_origin: args.rate_limit_per_origin,
        client_ip_header,
        request_timeout: Duration::from_secs(args.request_timeout_secs.max(1)),
    };
    let admin = AdminAuth::new(args.admin_token.as_deref(), options.secure_public);
    if !admin.is_set() {
        tracing::warn!("KAGO_ADMIN_TOKEN is not set: the lists and the funnel page are closed");
    }
    let state = AppState {
        db: db.clone(),
        catalog: Arc::new(CatalogHandle::new(args.catalogs.clone(), catalog)),
        admin: Arc::new(admin),
        options: Arc::new(options),
        clock: Clock::System,
    };
    tokio::spawn(catalog::watch(
        Arc::clone(&state.catalog),
        db.clone(),
        Duration::from_secs(2),
    ));
    tokio::spawn(events::purge_daily(state.clone()));
    tokio::spawn(outbox_rounds(
        state.clone(),
        args.smtp_url.clone(),
        args.mail_from.clone(),
    ));

    for root in &args.roots {
        println!("serving {}", root.display());
    }
    println!(
        "orders and events stored in {} ({})",
        shown_db(db_address),
        db.backend.name()
    );
    println!("listening on {base}");
    println!("funnel: {base}/funnel");
    let _ = std::io::stdout().flush();
    tracing::info!(%address, backend = db.backend.name(), "listening");

    kago_server::serve::serve(
        listener,
        router(state),
        Duration::from_secs(args.header_timeout_secs.max(1)),
        stop_signal(),
    )
    .await;
    tracing::info!("stopped");
    Ok(())
}

/// The database as shown: a URL without its password.
fn shown_db(address: &str) -> String {
    match (address.find("://"), address.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://…@{}", &address[..scheme], &address[at + 1..])
        }
        _ => address.to_string(),
    }
}

/// Every 30 s: due reminders to the outbox, then the outbox to SMTP when it is set.
async fn outbox_rounds(state: AppState, smtp_url: Option<String>, from: String) {
    let mut ticker = tokio::time::interval(Duration::from_secs(30));
    loop {
        ticker.tick().await;
        let now = state.clock.now_ms();
        let catalog = state.catalog.get();
        match outbox::process_due(&state.db, &catalog, &state.options.shop_url, now).await {
            Ok(done) if done.queued + done.cancelled > 0 => {
                tracing::info!(
                    queued = done.queued,
                    cancelled = done.cancelled,
                    "reminders"
                )
            }
            Ok(_) => {}
            Err(e) => tracing::error!("reminders: {}", db::describe(&e)),
        }
        if let Some(url) = &smtp_url {
            match outbox::send_pending(&state.db, url, &from, now).await {
                Ok(0) => {}
                Ok(sent) => tracing::info!(sent, "outbox sent"),
                Err(e) => tracing::error!("outbox: {e}"),
            }
        }
    }
}

async fn stop_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}
