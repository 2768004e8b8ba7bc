//! One file per page.

pub mod accessibility;
pub mod account;
pub mod actions;
pub mod admin;
pub mod areas;
pub mod incidents;
pub mod interventions;
pub mod login;
pub mod map;
pub mod not_found;
pub mod organisations;
pub mod report;
pub mod review;
pub mod shift;
pub mod situation;
pub mod strategy;
pub mod tip;
pub mod todo;
pub mod walk;
pub mod walks;
pub mod watch;
