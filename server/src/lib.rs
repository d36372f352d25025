//! `kago-server`: Kago's order and funnel-event endpoint, and the demo shop's static server.
//!
//! Layers: [`app`] builds the router (every route and layer in one place) over [`AppState`];
//! handlers live with their domain ([`orders`], [`events`], [`accounts`], [`funnel`]);
//! [`catalog`] and [`shop`] price orders with kago-core's own pricing; [`db`] is the storage
//! (SQLite or PostgreSQL); [`outbox`] holds the e-mails owed; [`serve`] is the accept loop.

pub mod accounts;
pub mod admin;
pub mod app;
pub mod body;
pub mod catalog;
pub mod cli;
pub mod db;
pub mod error;
pub mod events;
pub mod funnel;
pub mod limits;
pub mod orders;
pub mod outbox;
pub mod serve;
pub mod shop;

pub use app::{router, AppState, Clock, Options};
