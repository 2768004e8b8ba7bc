//! Tryggkarta: the field app behind the action plan of Upplands-Bro kommun and
//! lokalpolisområde Järfälla/Upplands-Bro. This crate is shared by server and browser:
//! the server renders its pages (`ssr`), the browser hydrates them (`hydrate`).

// Deeply nested view types (the shift page) need more than the default 128.
#![recursion_limit = "256"]

pub mod domain;
pub mod error;
pub mod i18n;
#[cfg(feature = "photo")]
pub mod photo;
#[cfg(feature = "ui")]
pub mod server_fns;
pub mod settings;
#[cfg(feature = "ssr")]
pub mod ssr;
#[cfg(feature = "ui")]
pub mod ui;

#[cfg(feature = "ui")]
pub use ui::app::{shell, App};

/// The browser's entry point: takes over the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Lazy routes (ui::App) load their WASM chunk before they hydrate.
    leptos::mount::hydrate_lazy(App);
    ui::outbox::start(&ui::track::tracker());
}
