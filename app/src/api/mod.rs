//! Server functions, one file per domain area. Each checks who is asking before it
//! touches data.

pub mod actions;
pub mod admin;
pub mod areas;
pub mod interventions;
pub mod map;
pub mod reports;
pub mod session;
pub mod shifts;
pub mod situation;
pub mod strategy;
pub mod walks;
pub mod watch;
