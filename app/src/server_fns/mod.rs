//! Leptos server functions (`#[server]`, `POST /api/<endpoint>`): the pages' own calls,
//! one file per domain area, each an adapter over the same `ssr` function a REST route
//! (`server::routes::rest`) calls. The server refuses a caller the table
//! (`domain::access::server_fns`) does not admit before one runs; each checks the record
//! again.

pub mod accessibility;
pub mod actions;
pub mod admin;
pub mod areas;
pub mod incidents;
pub mod interventions;
pub mod map;
pub mod reports;
pub mod session;
pub mod shifts;
pub mod situation;
pub mod strategy;
pub mod todo;
pub mod walks;
pub mod watch;
