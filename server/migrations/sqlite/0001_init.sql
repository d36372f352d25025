-- Kago server schema (SQLite). Times are Unix milliseconds; amounts are minor units.
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    body_fingerprint TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    currency TEXT NOT NULL,
    subtotal BIGINT NOT NULL,
    discount BIGINT NOT NULL,
    shipping BIGINT NOT NULL,
    tax BIGINT NOT NULL,
    total BIGINT NOT NULL,
    email TEXT NOT NULL,
    cart_id TEXT,
    registration_attempts BIGINT NOT NULL DEFAULT 0,
    body TEXT NOT NULL
);
CREATE INDEX orders_cart ON orders (cart_id);

CREATE TABLE stock (
    sku TEXT NOT NULL,
    variant TEXT NOT NULL,
    available BIGINT,
    catalog_stock BIGINT,
    PRIMARY KEY (sku, variant)
);

CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    at TEXT NOT NULL,
    session_id TEXT,
    cart_id TEXT,
    device TEXT,
    locale TEXT,
    currency TEXT,
    page TEXT,
    value BIGINT,
    step TEXT,
    last_step TEXT,
    trigger_kind TEXT,
    reason TEXT,
    rating BIGINT,
    body TEXT NOT NULL,
    received_at BIGINT NOT NULL
);
-- The funnel: one index per question, each covering what the report reads.
CREATE INDEX events_funnel ON events (type, at, device, step, cart_id);
CREATE INDEX events_abandoned ON events (type, at, device, last_step, trigger_kind, reason, page);
CREATE INDEX events_cart ON events (cart_id, type);
CREATE INDEX events_session ON events (session_id);
CREATE INDEX events_received ON events (received_at);

CREATE TABLE batches (
    received_at BIGINT NOT NULL,
    count BIGINT NOT NULL,
    dropped BIGINT NOT NULL,
    format TEXT NOT NULL
);
CREATE INDEX batches_received ON batches (received_at);

CREATE TABLE accounts (
    email TEXT PRIMARY KEY,
    password_hash TEXT,
    order_id TEXT NOT NULL,
    marketing TEXT NOT NULL,
    confirm_token_hash TEXT UNIQUE,
    locale TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    confirmed_at BIGINT
);

CREATE TABLE reminders (
    cart_id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    locale TEXT,
    currency TEXT,
    page TEXT,
    items TEXT NOT NULL,
    due_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    state TEXT NOT NULL
);
CREATE INDEX reminders_due ON reminders (state, due_at);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    attempts BIGINT NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE INDEX outbox_pending ON outbox (sent_at, id);
