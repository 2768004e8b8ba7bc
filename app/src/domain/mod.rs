//! Plain domain types and rules shared by browser and server, with no I/O.

pub mod access;
pub mod action;
pub mod area;
pub mod category;
pub mod commitment;
pub mod export;
pub mod geo;
pub mod intervention;
pub mod meeting;
pub mod observation;
pub mod role;
pub mod shift;
pub mod situation;
pub mod strategy;
pub mod user;
pub mod walk;
