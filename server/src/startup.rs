//! Builds the application from a `Config` and a bound listener, so tests can run several
//! instances on port 0 against their own database.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use app::ssr::accounts::auth::Backend;
use app::ssr::accounts::{self, NewAccount};
use app::ssr::infra::config::Config;
use app::ssr::infra::db::Db;
use app::ssr::infra::session_store::DbSessionStore;
use app::ssr::infra::state::AppState;
use app::{shell, App};
use axum::http::{header, HeaderValue};
use axum::routing::{any, get, post};
use axum::{middleware, Router};
use axum_login::tower_sessions::cookie::SameSite;
use axum_login::tower_sessions::{Expiry, SessionManagerLayer};
use axum_login::AuthManagerLayerBuilder;
use leptos::prelude::{provide_context, Env, LeptosOptions};
use leptos_axum::{generate_route_list, LeptosRoutes};
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::routes;

pub struct Application {
    listener: TcpListener,
    router: Router,
    db: Db,
    alert_scan_minutes: u64,
}

impl Application {
    /// Binds the configured address, connects and migrates the database, and creates the
    /// first admin on an empty database.
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("kunde inte lyssna på {}", config.listen))?;
        Application::build_with_listener(config, listener).await
    }

    pub async fn build_with_listener(config: Config, listener: TcpListener) -> anyhow::Result<Application> {
        let db = Db::connect(&config.database_url)
            .await
            .context("kunde inte ansluta till databasen")?;
        db.migrate().await.context("databasmigreringen misslyckades")?;
        ensure_first_admin(&db, &config).await?;
        let site_addr = listener.local_addr()?;
        let alert_scan_minutes = config.alert_scan_minutes;
        let router = router(config, db.clone(), site_addr).await?;
        Ok(Application {
            listener,
            router,
            db,
            alert_scan_minutes,
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until SIGTERM or Ctrl-C, then lets requests in flight finish.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        tracing::info!(address = %self.listener.local_addr()?, "Tryggkarta lyssnar");
        let db = self.db.clone();
        let cleanup = tokio::spawn(async move {
            let mut every_hour = tokio::time::interval(Duration::from_secs(3600));
            loop {
                every_hour.tick().await;
                if let Err(err) = app::ssr::infra::session_store::delete_expired(&db).await {
                    tracing::warn!(error = %err, "could not delete expired sessions");
                }
            }
        });
        // Retention once a day, the first a few minutes after start so a restart loop
        // does not run it again and again.
        let retention = {
            let db = self.db.clone();
            tokio::spawn(async move {
                let first = tokio::time::Instant::now() + Duration::from_secs(5 * 60);
                let mut every_day = tokio::time::interval_at(first, Duration::from_secs(24 * 3600));
                every_day.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
                loop {
                    every_day.tick().await;
                    if let Err(err) = app::ssr::settings::retention::run(&db, chrono::Utc::now()).await {
                        tracing::error!(error = ?err, "the retention run failed; it runs again tomorrow");
                    }
                }
            })
        };
        let alerts = (self.alert_scan_minutes > 0).then(|| {
            let db = self.db.clone();
            let period = Duration::from_secs(self.alert_scan_minutes.saturating_mul(60));
            tokio::spawn(async move {
                let mut every = tokio::time::interval(period);
                every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
                loop {
                    every.tick().await;
                    if let Err(err) = app::ssr::watch::scan::scan(&db).await {
                        tracing::warn!(error = %err, "the neighbourhood-watch scan failed");
                    }
                }
            })
        });
        let served = axum::serve(
            self.listener,
            self.router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await;
        cleanup.abort();
        retention.abort();
        if let Some(alerts) = alerts {
            alerts.abort();
        }
        tracing::info!("Tryggkarta har stängts");
        served
    }
}

async fn router(config: Config, db: Db, site_addr: SocketAddr) -> anyhow::Result<Router> {
    let leptos_options = LeptosOptions::builder()
        .output_name("tryggkarta")
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(site_addr)
        .env(Env::PROD)
        .hash_files(app::ui::assets::hashes().is_some())
        .hash_file(Arc::from(app::ui::assets::HASH_FILE))
        .build();
    // Over HTTPS the `__Host-` prefix makes the browser refuse the cookie unless it is
    // Secure, for this host only and for every path: a sibling subdomain cannot plant one.
    let cookie_name = if config.secure_cookies() {
        "__Host-tryggkarta_session"
    } else {
        "tryggkarta_session"
    };
    let session_layer = SessionManagerLayer::new(DbSessionStore::start(db.clone()))
        .with_name(cookie_name)
        .with_secure(config.secure_cookies())
        .with_http_only(true)
        // Lax: the cookie comes along when a link from an e-mail is followed, but not on
        // cross-site form posts.
        .with_same_site(SameSite::Lax)
        // The store keeps a session for the longest idle time; the shorter one, for a user
        // not on duty, and the absolute lifetime are kept by `session_limits`.
        .with_expiry(Expiry::OnInactivity(app::ssr::accounts::auth::longest_idle(
            &config.sessions,
        )));
    let auth_layer = AuthManagerLayerBuilder::new(Backend::new(db.clone()), session_layer)
        .with_data_key(app::ssr::infra::session_store::AUTH_DATA_KEY)
        .build();
    let per_minute = f64::from(config.submissions_per_minute);
    let per_hour = f64::from(config.exports_per_hour);
    let limits = app::ssr::infra::rate::Limits::new(
        &db,
        app::ssr::infra::rate::Rate {
            burst: 5.0 * per_minute,
            per_minute,
        },
        app::ssr::infra::rate::Rate {
            burst: (per_hour / 2.0).max(1.0),
            per_minute: per_hour / 60.0,
        },
    );
    let state = AppState::start(leptos_options, db, Arc::new(config))
        .await
        .context("kunde inte starta skrivarna mot databasen")?;
    // Once per process: route-list generation suppresses resource loading process-wide
    // while it runs (leptos issue #4773), so it must never overlap a render.
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();
    let leptos_routes = ROUTES.get_or_init(|| generate_route_list(App)).clone();
    let context_state = state.clone();
    let shell_options = state.leptos_options.clone();

    let (api, photo_upload, openapi) = routes::rest::routes();
    let openapi_json = openapi.to_pretty_json().unwrap_or_default();
    // Photos are the one thing larger than a form: they get their own body limit.
    let photo_upload = photo_upload.layer(RequestBodyLimitLayer::new(app::photo::MAX_PHOTO_BYTES));

    let assets = routes::assets::routes(&state.config.site_root, app::ui::assets::hashes().is_some());

    let every_route = Router::new()
        .route("/", get(routes::pages::start))
        .merge(assets)
        .merge(api)
        .route(
            "/api/v1/openapi.json",
            get(move || async move { ([(header::CONTENT_TYPE, "application/json")], openapi_json) }),
        )
        .route("/api/v1/{*rest}", any(routes::errors::api_not_found))
        .route("/logga-in", post(routes::session::sign_in_form))
        .route("/vandring", post(routes::rest::walks::join_form))
        .route("/logga-ut", post(routes::session::sign_out_form))
        .route("/konto/losenord", post(routes::session::change_password_form))
        .route("/konto/tvasteg/{step}", post(routes::session::second_factor_form))
        .route("/sprak", get(routes::pages::set_language))
        .leptos_routes_with_context(
            &state,
            leptos_routes,
            move || {
                provide_context(context_state.clone());
                routes::csp::provide_page_nonce();
            },
            move || shell(shell_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            routes::csp::provide_page_nonce,
            shell,
        ))
        .layer(middleware::from_fn(routes::limits::limit_body))
        .merge(photo_upload)
        .with_state(state.clone());

    // What every request passes through, outermost first. It wraps the router once, as
    // one service: `Router::layer` would wrap each route on its own, and each such layer
    // clones everything beneath it for every request (measured in docs/performance.md).
    let every_request = ServiceBuilder::new()
        .layer(CatchPanicLayer::custom(routes::errors::panic_response))
        .layer(TraceLayer::new_for_http())
        // Pages and API answers are compressed on the fly; static files come
        // precompressed (already encoded, so left alone), photos are JPEG (never
        // recompressed).
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn_with_state(
            state.clone(),
            routes::csp::strict_transport_security,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("geolocation=(self), camera=(self), microphone=()"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(middleware::from_fn(routes::csp::no_store))
        .layer(middleware::map_response(routes::errors::explain_rejections))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            routes::csp::content_security_policy,
        ))
        .layer(middleware::from_fn(routes::errors::server_fn_status))
        .layer(middleware::from_fn(
            app::ssr::infra::session_store::account_handoff,
        ))
        .layer(auth_layer)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            routes::session::session_limits,
        ))
        .layer(middleware::from_fn_with_state(limits, routes::limits::per_user))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            routes::audit::record_exports,
        ))
        .layer(middleware::from_fn(routes::pages::page_access))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            routes::guard::first_steps_gate,
        ))
        .layer(middleware::from_fn(routes::guard::server_fn_access))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            routes::guard::same_site_only,
        ))
        .layer(middleware::from_fn(routes::guard::text_without_nul))
        .service(every_route);
    Ok(Router::new().fallback_service(every_request))
}

/// On an empty database, creates the first admin so somebody can sign in at all. The
/// password comes from `TRYGGKARTA_ADMIN_PASSWORD`, or is generated and printed once.
async fn ensure_first_admin(db: &Db, config: &Config) -> anyhow::Result<()> {
    if accounts::count(db).await? > 0 {
        return Ok(());
    }
    let (password, generated) = match &config.admin_password {
        Some(password) => (password.clone(), false),
        None => (accounts::generate_password(), true),
    };
    let created = accounts::create(
        db,
        NewAccount {
            email: &config.admin_email,
            display_name: "Administratör",
            role: app::domain::access::FIRST_ACCOUNT,
            password: &password,
            one_time: generated,
            organisation: None,
        },
    )
    .await;
    match created {
        Ok(admin) => {
            println!("\n  Första administratören: {}", admin.email);
            if generated {
                println!("  Engångslösenord (visas bara nu, byt det efter inloggning): {password}\n");
            }
            Ok(())
        }
        // Another instance created it a moment ago.
        Err(app::error::AppError::Invalid { field, .. })
            if field == "email" && accounts::count(db).await? > 0 =>
        {
            Ok(())
        }
        Err(err) => Err(anyhow::anyhow!(
            "kunde inte skapa första administratören: {}",
            err.message(app::i18n::Lang::Sv)
        )),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("stänger ner: väntar på pågående förfrågningar");
}
