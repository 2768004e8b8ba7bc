//! HTTP routes outside Leptos: health, sign-in/out (form and JSON), language choice,
//! page access, and the error bodies for requests that never reach a handler.

pub mod api;
pub mod assets;
pub mod audit;
pub mod csp;
pub mod errors;
pub mod guard;
pub mod health;
pub mod limits;
pub mod pages;
pub mod session;
