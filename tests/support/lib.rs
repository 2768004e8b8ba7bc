//! Test support: a fresh database per test (SQLite file or PostgreSQL database) and the
//! real server started on a random port against it.

use std::collections::HashMap;
use std::sync::Arc;

use app::domain::role::Role;
use app::ssr::accounts::{self, NewAccount};
use app::ssr::infra::config::Config;
use app::ssr::infra::db::Db;
use reqwest::cookie::{CookieStore, Jar};
use server::startup::Application;
use sqlx::Connection;

pub const ADMIN_EMAIL: &str = "admin@test.tryggkarta.se";
pub const ADMIN_PASSWORD: &str = "admin-lösenord-för-test";

/// A database that exists for one test.
pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
        TestDb { url, _dir: Some(dir) }
    }

    /// A new, empty PostgreSQL database, or `None` (with a loud line) when no server
    /// answers. With `REQUIRE_POSTGRES=1` (as in CI) a missing server fails the test.
    pub async fn postgres() -> Option<TestDb> {
        let admin_url = std::env::var("TEST_DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@localhost/test".into());
        let mut conn = match sqlx::PgConnection::connect(&admin_url).await {
            Ok(conn) => conn,
            Err(err) => {
                if std::env::var("REQUIRE_POSTGRES").as_deref() == Ok("1") {
                    panic!("REQUIRE_POSTGRES=1 but PostgreSQL at {admin_url} does not answer: {err}");
                }
                eprintln!("\n!!!!! SKIPPED: PostgreSQL at {admin_url} does not answer ({err}); PostgreSQL tests did not run !!!!!\n");
                return None;
            }
        };
        let name = format!("tk_test_{}", uuid::Uuid::new_v4().simple());
        // A database name cannot be a bind parameter; this one is generated above.
        sqlx::query(&format!("create database {name}"))
            .execute(&mut conn)
            .await
            .expect("create test database");
        let (base, _) = admin_url.rsplit_once('/').expect("database url has a path");
        Some(TestDb {
            url: format!("{base}/{name}"),
            _dir: None,
        })
    }
}

pub struct TestApp {
    pub address: String,
    pub db: Db,
    pub database_url: String,
}

impl TestApp {
    /// Starts the real server on 127.0.0.1 and a random port, against `database_url`.
    pub async fn spawn(database_url: &str) -> TestApp {
        TestApp::spawn_with(database_url, &[]).await
    }

    pub async fn spawn_with(database_url: &str, extra: &[(&str, &str)]) -> TestApp {
        let mut settings: HashMap<String, String> = [
            ("TRYGGKARTA_LISTEN", "127.0.0.1:0"),
            ("DATABASE_URL", database_url),
            ("TRYGGKARTA_ADMIN_EMAIL", ADMIN_EMAIL),
            ("TRYGGKARTA_ADMIN_PASSWORD", ADMIN_PASSWORD),
            // Tests raise alerts when they choose to (`POST /api/v1/alerts/scan`).
            ("TRYGGKARTA_ALERT_SCAN_MINUTES", "0"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        settings.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let config = Config::from_lookup(|name| settings.get(name).cloned()).expect("test config");
        let app = Application::build(config).await.expect("server starts");
        let address = format!("http://{}", app.local_addr().expect("bound address"));
        tokio::spawn(app.run_until_stopped());
        let db = Db::connect(database_url)
            .await
            .expect("test connects to its database");
        TestApp {
            address,
            db,
            database_url: database_url.to_owned(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// Creates a user with `role` and returns its email and password.
    pub async fn add_user(&self, role: Role) -> (String, String) {
        self.add_user_in(role, None).await
    }

    /// [`TestApp::add_user`] for a reporter of a partner organisation (its id).
    pub async fn add_user_in(&self, role: Role, organisation: Option<&str>) -> (String, String) {
        let email = format!("{}-{}@test.tryggkarta.se", role, uuid::Uuid::new_v4().simple());
        let password = format!("lösenord-{}", uuid::Uuid::new_v4().simple());
        accounts::create(
            &self.db,
            NewAccount {
                email: &email,
                display_name: "",
                role,
                password: &password,
                one_time: false,
                organisation: organisation.map(|id| id.parse().expect("an organisation id")),
            },
        )
        .await
        .expect("create test user");
        (email, password)
    }
}

/// A browser-like client: keeps cookies, does not follow redirects (tests look at them).
pub fn client() -> reqwest::Client {
    browser().0
}

/// Like `client()`, with its cookie jar, so a test can copy a cookie elsewhere.
pub fn browser() -> (reqwest::Client, Arc<Jar>) {
    let jar = Arc::new(Jar::default());
    let client = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client");
    (client, jar)
}

/// The `Cookie:` header the jar would send to `app`.
pub fn cookie_header(jar: &Jar, app: &TestApp) -> String {
    jar.cookies(&app.address.parse().expect("app url"))
        .and_then(|value| value.to_str().ok().map(str::to_owned))
        .unwrap_or_default()
}

impl TestApp {
    /// A new user of `role`, signed in: the client carries the session cookie.
    pub async fn signed_in(&self, role: Role) -> (reqwest::Client, String) {
        self.signed_in_as(role, None).await
    }

    /// A reporter of the partner organisation `organisation` (its id), signed in.
    pub async fn signed_in_reporter(&self, organisation: &str) -> (reqwest::Client, String) {
        self.signed_in_as(Role::Reporter, Some(organisation)).await
    }

    async fn signed_in_as(&self, role: Role, organisation: Option<&str>) -> (reqwest::Client, String) {
        let (email, password) = self.add_user_in(role, organisation).await;
        let client = client();
        sign_in(self, &client, &email, &password).await;
        let me: serde_json::Value = client
            .get(self.url("/api/v1/session"))
            .send()
            .await
            .expect("whoami")
            .json()
            .await
            .expect("whoami json");
        (client, me["id"].as_str().expect("user id").to_owned())
    }
}

impl TestApp {
    /// Sends `body` as JSON (none for a GET) and returns the status with the answer, parsed
    /// as JSON, or as a JSON string when it is not JSON.
    pub async fn send(
        &self,
        client: &reqwest::Client,
        method: reqwest::Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let request = client.request(method, self.url(path));
        let request = match body {
            Some(body) => request.json(body),
            None => request,
        };
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        let text = response.text().await.expect("response body");
        let parsed = serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text));
        (status, parsed)
    }

    /// `GET path`: the status and the parsed answer.
    pub async fn get(&self, client: &reqwest::Client, path: &str) -> (u16, serde_json::Value) {
        self.send(client, reqwest::Method::GET, path, None).await
    }

    /// `POST path` with a JSON body: the status and the parsed answer.
    pub async fn post(
        &self,
        client: &reqwest::Client,
        path: &str,
        body: &serde_json::Value,
    ) -> (u16, serde_json::Value) {
        self.send(client, reqwest::Method::POST, path, Some(body)).await
    }
}

impl TestApp {
    /// Who `client` is signed in as: the status of `GET /api/v1/session` and its answer.
    pub async fn whoami(&self, client: &reqwest::Client) -> (u16, serde_json::Value) {
        self.get(client, "/api/v1/session").await
    }

    /// Starts a shift for the driver behind `client` and returns its id; patrol
    /// observations belong to one.
    pub async fn start_shift(&self, driver: &reqwest::Client) -> String {
        let (status, shift) = self
            .post(
                driver,
                "/api/v1/shifts",
                &serde_json::json!({ "vehicle": "Grannstöd 1" }),
            )
            .await;
        assert_eq!(status, 201, "{shift}");
        shift["id"].as_str().expect("shift id").to_owned()
    }
}

/// The body of a page fetched with `client`.
pub async fn page_text(client: &reqwest::Client, url: &str) -> String {
    let response = client.get(url).send().await.expect("page request");
    response.text().await.expect("page body")
}

/// Signs in through the sign-in form and checks that it worked.
pub async fn sign_in(app: &TestApp, client: &reqwest::Client, email: &str, password: &str) {
    let response = client
        .post(app.url("/logga-in"))
        .form(&[("email", email), ("password", password), ("nasta", "/karta")])
        .send()
        .await
        .expect("sign-in request");
    assert_eq!(response.status(), 303, "sign-in redirects");
    assert_eq!(response.headers()["location"], "/karta", "sign-in succeeded");
}

/// Declares each listed test once on SQLite and once on PostgreSQL. Every test is an
/// `async fn(database_url: String)` in the surrounding module.
#[macro_export]
macro_rules! on_sqlite_and_postgres {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    let db = $crate::TestDb::sqlite();
                    super::$test(db.url.clone()).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    let Some(db) = $crate::TestDb::postgres().await else { return };
                    super::$test(db.url.clone()).await;
                }
            )*
        }
    };
}

/// Reports written straight to the database, for tests about reading them.
pub mod reports {
    use super::TestApp;
    use uuid::Uuid;

    /// Now, as a phone writes it (RFC 3339).
    pub fn now_rfc3339() -> String {
        app::domain::clock::rfc3339(chrono::Utc::now())
    }

    /// A drug-scene report in Bro, as a phone sends it, with a new id.
    pub fn drug_scene() -> serde_json::Value {
        serde_json::json!({
            "id": Uuid::now_v7(),
            "kind": "drug_scene",
            "category": "drug.dealing",
            "note": "Försäljning vid busshållplatsen",
            "lat": 59.5113,
            "lng": 17.6358,
            "accuracy_m": 12.5,
            "position_source": "gps",
            "observed_at": now_rfc3339(),
            "time_of_day": "evening",
        })
    }

    pub fn now_ms() -> i64 {
        chrono::Utc::now().timestamp_millis()
    }

    /// A moment, already past, in the Stockholm calendar day `days` before today.
    ///
    /// The server counts windows in whole Stockholm days, so "now minus n × 24 h" lands
    /// in the wrong day for an hour or two after midnight; this does not.
    pub fn days_ago_ms(days: i64) -> i64 {
        use app::domain::situation::local_midnight_ms;
        let today = app::domain::clock::today();
        let into_today = now_ms() - local_midnight_ms(today);
        local_midnight_ms(today - chrono::TimeDelta::days(days)) + into_today / 2
    }

    /// One stored report, written straight to the database: these tests are about reading.
    pub struct Report<'a> {
        pub category: &'a str,
        pub lat: f64,
        pub lng: f64,
        pub observed_at: i64,
        pub created_at: i64,
        pub note: &'a str,
    }

    impl Report<'_> {
        pub fn at(category: &str, lat: f64, lng: f64, observed_at: i64) -> Report<'_> {
            Report {
                category,
                lat,
                lng,
                observed_at,
                created_at: now_ms(),
                note: "",
            }
        }
    }

    pub async fn store(app: &TestApp, reporter: &str, reports: &[Report<'_>]) {
        for report in reports {
            let (kind, area, sensitivity): (String, String, String) =
                sqlx::query_as("select kind, strategy_area, sensitivity from category where id = $1")
                    .bind(report.category)
                    .fetch_one(&app.db.pool)
                    .await
                    .unwrap();
            sqlx::query(
                "insert into observation (id, client_id, kind, category_id, note, lat, lng, accuracy_m, position_source,
                     observed_at, reporter_id, strategy_area, sensitivity, status, content_hash, created_at, updated_at)
                 values ($1, $1, $2, $3, $4, $5, $6, 10.0, 'gps', $7, $8, $9, $10, 'new', $1, $11, $11)",
            )
            .bind(Uuid::now_v7().to_string())
            .bind(kind)
            .bind(report.category)
            .bind(report.note)
            .bind(report.lat)
            .bind(report.lng)
            .bind(report.observed_at)
            .bind(reporter)
            .bind(area)
            .bind(sensitivity)
            .bind(report.created_at)
            .execute(&app.db.pool)
            .await
            .unwrap();
        }
    }

    /// The centre of the resolution-9 cell around a place, so a few metres of spread stay
    /// inside one cell.
    pub fn cell_centre(lat: f64, lng: f64) -> (f64, f64) {
        let cell = h3o::LatLng::new(lat, lng).unwrap().to_cell(h3o::Resolution::Nine);
        let centre = h3o::LatLng::from(cell);
        (centre.lat(), centre.lng())
    }
}

/// A rectangle as a GeoJSON Polygon (longitude first), for area and intervention tests.
pub fn rectangle(west: f64, south: f64, east: f64, north: f64) -> serde_json::Value {
    serde_json::json!({ "type": "Polygon", "coordinates": [[
        [west, south], [east, south], [east, north], [west, north], [west, south]
    ]] })
}

/// A mail server for tests: speaks just enough SMTP for one client to deliver, and keeps
/// what it was given. Started by the test itself on a random port.
pub mod smtp {
    use std::sync::{Arc, Mutex};

    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    use tokio::net::TcpListener;

    /// One delivered message: the envelope recipients and the raw message.
    #[derive(Clone, Debug)]
    pub struct Delivered {
        pub to: Vec<String>,
        pub data: String,
    }

    pub struct Sink {
        pub url: String,
        delivered: Arc<Mutex<Vec<Delivered>>>,
    }

    impl Sink {
        pub async fn start() -> Sink {
            let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind smtp sink");
            let url = format!("smtp://{}", listener.local_addr().expect("sink address"));
            let delivered = Arc::new(Mutex::new(Vec::new()));
            let store = delivered.clone();
            tokio::spawn(async move {
                while let Ok((stream, _)) = listener.accept().await {
                    tokio::spawn(session(stream, store.clone()));
                }
            });
            Sink { url, delivered }
        }

        pub fn delivered(&self) -> Vec<Delivered> {
            self.delivered.lock().expect("sink lock").clone()
        }
    }

    async fn session(stream: tokio::net::TcpStream, store: Arc<Mutex<Vec<Delivered>>>) {
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read).lines();
        let mut to = Vec::new();
        let _ = write.write_all(b"220 sink ESMTP\r\n").await;
        while let Ok(Some(line)) = lines.next_line().await {
            let command = line.to_ascii_uppercase();
            let reply: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO") {
                b"250-sink\r\n250 8BITMIME\r\n"
            } else if command.starts_with("RCPT TO:") {
                to.push(line[8..].trim().trim_matches(['<', '>']).to_owned());
                b"250 OK\r\n"
            } else if command.starts_with("DATA") {
                let _ = write.write_all(b"354 go ahead\r\n").await;
                let mut data = String::new();
                while let Ok(Some(body)) = lines.next_line().await {
                    if body == "." {
                        break;
                    }
                    data.push_str(&body);
                    data.push('\n');
                }
                store.lock().expect("sink lock").push(Delivered {
                    to: std::mem::take(&mut to),
                    data,
                });
                b"250 queued\r\n"
            } else if command.starts_with("QUIT") {
                let _ = write.write_all(b"221 bye\r\n").await;
                return;
            } else {
                b"250 OK\r\n"
            };
            if write.write_all(reply).await.is_err() {
                return;
            }
        }
    }

    /// An address where no mail server listens: bound, then let go.
    pub async fn nowhere() -> String {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("smtp://{}", listener.local_addr().expect("address"));
        drop(listener);
        url
    }
}
