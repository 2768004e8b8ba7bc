//! Plain domain types and rules shared by browser and server, with no I/O.

pub mod access;
pub mod action;
pub mod admin;
pub mod area;
pub mod category;
pub mod clock;
pub mod code;
pub mod commitment;
pub mod export;
pub mod focus;
pub mod geo;
pub mod ids;
pub mod intervention;
pub mod map;
pub mod meeting;
pub mod observation;
pub mod retention;
pub mod role;
pub mod shift;
pub mod situation;
pub mod strategy;
pub mod tasking;
pub mod user;
pub mod walk;
pub mod watch;
