//! The Tryggkarta server: start-up, HTTP routes outside Leptos, and the command line.

pub mod cli;
pub mod hotspots;
pub mod routes;
pub mod startup;
pub mod telemetry;
