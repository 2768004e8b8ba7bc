//! Grannsamverkan: watch areas with their contact persons, the scan that raises alerts
//! when burglary-related reports rise above an area's own baseline, and passing an
//! alert on — by e-mail (`ssr::infra::mail`) or by hand — with every attempt logged.
//!
//! The watch areas and their contact persons are in `areas`, the scan that raises alerts
//! in `scan`, reading alerts in `alerts`, and passing them on in `send`.

pub mod alerts;
pub mod areas;
pub mod scan;
pub mod send;
