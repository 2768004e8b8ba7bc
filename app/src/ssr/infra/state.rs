//! What every request handler and server function can reach: the database and the
//! configuration, and what works beside them for the whole instance — the ingest
//! writers (`ingest`) and the named areas' cache (`areas`). The session loader lives in
//! the session store (`session_store`), the one thing that uses it.
//!
//! Every middleware that takes the state gets its own copy for each request, so the
//! state is one pointer: a clone is one counter raised, not the Leptos options' strings
//! and the pool's handles copied and dropped again several times per request.

use std::ops::Deref;
use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

use crate::ssr::areas::PlacesCache;
use crate::ssr::infra::config::Config;
use crate::ssr::infra::db::Db;
use crate::ssr::infra::ingest;

#[derive(Clone, Debug)]
pub struct AppState(Arc<Shared>);

#[derive(Debug)]
pub struct Shared {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub config: Arc<Config>,
    /// New reports go through the writer tasks of `ingest`, committed in groups.
    pub ingest: ingest::Writer,
    /// The named areas, kept a short while for labelling new reports
    /// (`areas::gazetteer_cached`).
    pub places: PlacesCache,
}

impl AppState {
    /// The state of an instance, with its ingest writers started.
    pub async fn start(
        leptos_options: LeptosOptions,
        db: Db,
        config: Arc<Config>,
    ) -> Result<AppState, sqlx::Error> {
        let ingest = ingest::Writer::start(&db, &config.database_url).await?;
        Ok(AppState(Arc::new(Shared {
            leptos_options,
            db,
            config,
            ingest,
            places: PlacesCache::default(),
        })))
    }
}

impl Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> LeptosOptions {
        state.leptos_options.clone()
    }
}

impl FromRef<AppState> for Db {
    fn from_ref(state: &AppState) -> Db {
        state.db.clone()
    }
}

impl FromRef<AppState> for Arc<Config> {
    fn from_ref(state: &AppState) -> Arc<Config> {
        state.config.clone()
    }
}
