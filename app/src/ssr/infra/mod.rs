//! What every feature of the server stands on: the database (`db`) and the one reading of
//! its rows (`decode`), writes batched many to a statement (`batch`, `ingest`), sessions
//! (`session_store`), configuration (`config`), mail (`mail`), the second factor's codes
//! (`totp`), limits on guesses (`attempts`) and on bulk (`rate`), the audit log's writing
//! (`audit`), backups (`backup`), and the state every request reaches (`state`).

pub mod attempts;
pub mod audit;
pub mod backup;
pub mod batch;
pub mod client;
pub mod config;
pub mod db;
pub mod decode;
pub mod ingest;
pub mod mail;
pub mod rate;
pub mod session_store;
pub mod sql;
pub mod state;
pub mod totp;
