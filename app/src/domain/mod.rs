//! Plain domain types and rules shared by browser and server, with no I/O.

pub mod access;
pub mod role;
pub mod user;
