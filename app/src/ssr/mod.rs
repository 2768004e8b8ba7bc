//! Server-only code (feature `ssr`): configuration, database, sessions and accounts.

pub mod accounts;
pub mod auth;
pub mod config;
pub mod db;
pub mod session_store;
pub mod state;
