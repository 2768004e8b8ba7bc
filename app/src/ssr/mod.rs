//! Server-only code (feature `ssr`): what runs beside the pages on the server.
//!
//! [`infra`] is what every feature stands on: the database and the reading of its rows,
//! batched writes, sessions, mail, configuration, the second factor's codes, the limits on
//! guesses and on bulk, the audit log's writing, backups. The rest is one module per
//! feature, each with its SQL and its record-level checks: accounts, reports (observations,
//! photos, categories, the map), walks, shifts (with the drivers' tasking and briefing),
//! the named areas, the lägesbild (situation), follow-up (actions, strategy areas,
//! interventions, focus problems, commitments), grannsamverkan (watch) and the settings.
//! A feature depends on `infra` and on features below it, never the other way round
//! (`make lint` fails on a module circle).

pub mod accounts;
pub mod areas;
pub mod follow_up;
pub mod incidents;
pub mod infra;
pub mod reports;
pub mod settings;
pub mod shifts;
pub mod situation;
pub mod walks;
pub mod watch;
