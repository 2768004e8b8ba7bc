//! Server-only code (feature `ssr`): configuration, database, sessions and accounts.

pub mod accounts;
pub mod actions;
pub mod admin;
pub mod areas;
pub mod audit;
pub mod auth;
pub mod catalogue;
pub mod commitments;
pub mod config;
pub mod db;
pub mod focus;
pub mod interventions;
pub mod mail;
pub mod map;
pub mod meetings;
pub mod observations;
pub mod photos;
pub mod session_store;
pub mod settings;
pub mod shifts;
pub mod situation;
pub mod state;
pub mod strategy;
pub mod tasking;
pub mod walks;
pub mod watch;
