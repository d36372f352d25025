//! The command line: every flag has an environment variable, and `--help` lists both.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Kago's order and funnel-event endpoint.
///
/// Prices every order from the catalog (with the shop's own pricing rules), stores orders and
/// funnel events in SQLite (default: one file) or PostgreSQL, keeps the lists and the funnel
/// report behind an admin token, and serves the demo shop's static files.
///
/// Private: KAGO_ADMIN_TOKEN, the database, KAGO_SMTP_URL. Public: POST /api/orders,
/// POST /api/events, POST /api/register, GET /confirm, static files, /healthz, /readyz.
#[derive(Debug, Parser)]
#[command(name = "kago-server", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Database: a SQLite file (created if missing) or a postgres:// URL.
    #[arg(
        long,
        env = "KAGO_DB",
        default_value = "target/kago-demo.sqlite",
        global = true
    )]
    pub db: String,

    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Prints the messages waiting in the outbox (reminders, confirmation links) and exits.
    Outbox,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// A directory of static files; repeat it: the first that has the file wins.
    #[arg(
        long = "root",
        value_name = "DIR",
        env = "KAGO_ROOTS",
        value_delimiter = ','
    )]
    pub roots: Vec<PathBuf>,

    /// The catalog (products, prices per currency, stock, the pages that hold the shop's
    /// settings); repeat it to merge several. Reloaded when a file changes.
    #[arg(
        long = "catalog",
        value_name = "FILE",
        env = "KAGO_CATALOG",
        value_delimiter = ','
    )]
    pub catalogs: Vec<PathBuf>,

    /// Address to listen on.
    #[arg(long, env = "KAGO_HOST", default_value = "127.0.0.1")]
    pub host: String,

    /// Port to listen on (0: any free port; the chosen one is printed).
    #[arg(long, env = "KAGO_PORT", default_value_t = 8080)]
    pub port: u16,

    /// Do not send the Content-Security-Policy header with HTML pages.
    #[arg(long)]
    pub no_csp: bool,

    /// The admin token: GET /api/orders, /api/events, /api/register and /funnel need it
    /// (Authorization: Bearer …, or the /login form's cookie). Without it they are closed.
    #[arg(long, env = "KAGO_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,

    /// An origin whose pages may POST orders, events and registrations from the browser
    /// (CORS), e.g. https://shop.example; repeat it, or `*` for any.
    #[arg(
        long = "allowed-origin",
        value_name = "ORIGIN",
        env = "KAGO_ALLOWED_ORIGINS",
        value_delimiter = ','
    )]
    pub allowed_origins: Vec<String>,

    /// This server's address as shoppers reach it, for links in e-mails (default:
    /// http://HOST:PORT).
    #[arg(long, env = "KAGO_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// The shop's address, for the link back to the cart in reminders (default: the public URL).
    #[arg(long, env = "KAGO_SHOP_URL")]
    pub shop_url: Option<String>,

    /// Days funnel events (and sent reminders) are kept; a daily task deletes older ones.
    #[arg(long, env = "KAGO_EVENT_RETENTION_DAYS", default_value_t = 90)]
    pub event_retention_days: u32,

    /// Minutes after an abandoned checkout before its reminder is written to the outbox.
    #[arg(long, env = "KAGO_REMINDER_DELAY_MINUTES", default_value_t = 60)]
    pub reminder_delay_minutes: u32,

    /// Public POSTs allowed per client IP per minute (bursts up to the same number).
    #[arg(long, env = "KAGO_RATE_LIMIT_PER_IP", default_value_t = 120)]
    pub rate_limit_per_ip: u32,

    /// Public POSTs allowed per Origin per minute (all its shoppers together).
    #[arg(long, env = "KAGO_RATE_LIMIT_PER_ORIGIN", default_value_t = 3000)]
    pub rate_limit_per_origin: u32,

    /// Behind a proxy: the header holding the client's IP (its last value), e.g.
    /// X-Forwarded-For. Only set it when the proxy always writes that header.
    #[arg(long, env = "KAGO_CLIENT_IP_HEADER")]
    pub client_ip_header: Option<String>,

    /// Seconds a client may take to send a request's headers.
    #[arg(long, env = "KAGO_HEADER_TIMEOUT_SECS", default_value_t = 10)]
    pub header_timeout_secs: u64,

    /// Seconds a request may take from its headers to the end of the answer (body included).
    #[arg(long, env = "KAGO_REQUEST_TIMEOUT_SECS", default_value_t = 30)]
    pub request_timeout_secs: u64,

    /// SMTP server for the outbox, e.g. smtps://user:pass@smtp.example:465; unset: messages
    /// wait in the outbox (`kago-server outbox` prints them).
    #[arg(long, env = "KAGO_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// The From address of e-mails.
    #[arg(
        long,
        env = "KAGO_MAIL_FROM",
        default_value = "Kago shop <shop@localhost>"
    )]
    pub mail_from: String,

    /// Log format on stderr.
    #[arg(long, env = "KAGO_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// Log filter (tracing's EnvFilter syntax), e.g. info or kago_server=debug.
    #[arg(long, env = "KAGO_LOG", default_value = "info")]
    pub log: String,
}
