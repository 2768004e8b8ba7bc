//! HTTP routes outside Leptos: the REST API (`rest`), health, sign-in/out (form and
//! JSON), language choice, page access, the guards and limits every request passes, and
//! the error bodies for requests that never reach a handler.

pub mod assets;
pub mod audit;
pub mod csp;
pub mod errors;
pub mod guard;
pub mod health;
pub mod limits;
pub mod pages;
pub mod rest;
pub mod session;
