//! A typed database boundary (issue 11, part 7): a stored value that cannot be read is
//! logged once, with its table, id and column, and answered as an internal error. It is
//! never left out of a list or read as a default, on either database.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use app::domain::role::Role;
use serde_json::json;
use tryggkarta_tests::reports::{drug_scene, now_rfc3339};
use tryggkarta_tests::{on_sqlite_and_postgres, TestApp};

/// Settings have fixed keys, the same on both databases: the tests that log them take
/// turns, so each counts only its own lines.
static SETTINGS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Sets a stored setting by hand, as an edit in the database or a bad restore would.
async fn set_by_hand(app: &TestApp, key: &str, value: &str) {
    sqlx::query("update setting set value = $2 where key = $1")
        .bind(key)
        .bind(value)
        .execute(&app.db.pool)
        .await
        .unwrap();
}

on_sqlite_and_postgres!(
    a_corrupt_report_is_an_internal_error_logged_once_with_table_id_and_column,
    a_corrupt_walk_fails_the_list_instead_of_vanishing_from_it,
    a_corrupt_map_setting_is_an_internal_error_not_the_default,
    a_corrupt_retention_period_stops_the_job_and_deletes_nothing,
);

/// Everything the server logs in this test binary, as text.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl Write for Log {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Log {
    /// The lines that report a corrupt row with `id`.
    fn corrupt_rows(&self, id: &str) -> Vec<String> {
        String::from_utf8_lossy(&self.0.lock().unwrap())
            .lines()
            .filter(|line| line.contains("corrupt row") && line.contains(id))
            .map(str::to_owned)
            .collect()
    }
}

/// The server's log, captured once for every test in this binary (each test looks only
/// at lines naming its own records).
fn log() -> Log {
    static LOG: OnceLock<Log> = OnceLock::new();
    LOG.get_or_init(|| {
        let log = Log::default();
        let writer = log.clone();
        tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .init();
        log
    })
    .clone()
}

async fn a_corrupt_report_is_an_internal_error_logged_once_with_table_id_and_column(database_url: String) {
    let log = log();
    let app = TestApp::spawn(&database_url).await;
    let (police, _) = app.signed_in(Role::Police).await;
    let report = drug_scene();
    let id = report["id"].as_str().unwrap().to_owned();
    assert_eq!(app.post(&police, "/api/v1/observations", &report).await.0, 201);
    assert_eq!(
        app.get(&police, &format!("/api/v1/observations/{id}")).await.0,
        200
    );

    // A value no version of the app writes, as after an edit by hand or a bad restore.
    sqlx::query("update observation set time_of_day = 'skymning' where id = $1")
        .bind(&id)
        .execute(&app.db.pool)
        .await
        .unwrap();

    let (status, body) = app.get(&police, &format!("/api/v1/observations/{id}")).await;
    assert_eq!(status, 500, "{body}");
    assert_eq!(body["error"], "internal", "{body}");
    assert!(
        !body.to_string().contains("skymning"),
        "no stored detail reaches the client: {body}"
    );
    let lines = log.corrupt_rows(&id);
    assert_eq!(lines.len(), 1, "logged once: {lines:#?}");
    assert!(
        lines[0].contains("table=\"observation\"") && lines[0].contains("column=\"time_of_day\""),
        "{}",
        lines[0]
    );

    // The list does not leave the report out and look complete: it fails the same way.
    let (status, body) = app.get(&police, "/api/v1/observations").await;
    assert_eq!(status, 500, "{body}");
    assert_eq!(log.corrupt_rows(&id).len(), 2, "once per request");
}

async fn a_corrupt_walk_fails_the_list_instead_of_vanishing_from_it(database_url: String) {
    let log = log();
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let walk = json!({
        "title": "Trygghetsvandring Bro centrum",
        "area": "Bro",
        "starts_at": now_rfc3339(),
        "light": "dark",
    });
    let (status, created) = app.post(&coordinator, "/api/v1/walks", &walk).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    let (status, walks) = app.get(&coordinator, "/api/v1/walks").await;
    assert_eq!(status, 200);
    assert!(walks.to_string().contains(&id));

    // Before the typed boundary, a time out of range dropped the walk from the list
    // without a word.
    sqlx::query("update walk set starts_at = 9223372036854775807 where id = $1")
        .bind(&id)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let (status, body) = app.get(&coordinator, "/api/v1/walks").await;
    assert_eq!(status, 500, "{body}");
    assert_eq!(body["error"], "internal");
    let (status, _) = app.get(&coordinator, &format!("/api/v1/walks/{id}")).await;
    assert_eq!(status, 500);
    let lines = log.corrupt_rows(&id);
    assert_eq!(lines.len(), 2, "once per request: {lines:#?}");
    assert!(lines
        .iter()
        .all(|line| line.contains("table=\"walk\"") && line.contains("column=\"starts_at\"")));
}

async fn a_corrupt_map_setting_is_an_internal_error_not_the_default(database_url: String) {
    let log = log();
    let _turn = SETTINGS.lock().await;
    let app = TestApp::spawn(&database_url).await;
    let (admin, _) = app.signed_in(Role::Admin).await;
    let chosen = json!({
        "tile_url": "https://kartor.upplands-bro.se/tiles/{z}/{x}/{y}.png",
        "tile_attribution": "Upplands-Bro kommun, Lantmäteriet",
        "center_lat": 59.5113, "center_lng": 17.6358, "zoom": 14.0,
    });
    let (status, _) = app
        .send(
            &admin,
            reqwest::Method::PUT,
            "/api/v1/settings/map",
            Some(&chosen),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(app.get(&admin, "/api/v1/settings/map").await.1, chosen);

    // A zoom that is no number, then a tile address that would never pass the form:
    // neither is quietly replaced by the environment's value, each is reported by key.
    for (key, value) in [
        ("map.zoom", "fjorton"),
        ("map.tile_url", "javascript:alert(1)//{z}/{x}/{y}"),
    ] {
        let before = log.corrupt_rows(key).len();
        set_by_hand(&app, key, value).await;
        let (status, body) = app.get(&admin, "/api/v1/settings/map").await;
        assert_eq!(
            (status, body["error"].as_str()),
            (500, Some("internal")),
            "{key}: {body}"
        );
        let lines = log.corrupt_rows(key);
        assert_eq!(lines.len(), before + 1, "logged once: {lines:#?}");
        assert!(lines[before].contains("table=\"setting\""), "{lines:#?}");
        let good = chosen[key.trim_start_matches("map.")].to_string();
        set_by_hand(&app, key, good.trim_matches('"')).await;
    }
    assert_eq!(app.get(&admin, "/api/v1/settings/map").await.1, chosen);
}

async fn a_corrupt_retention_period_stops_the_job_and_deletes_nothing(database_url: String) {
    let log = log();
    let _turn = SETTINGS.lock().await;
    let app = TestApp::spawn(&database_url).await;
    let (admin, _) = app.signed_in(Role::Admin).await;
    let (police, _) = app.signed_in(Role::Police).await;
    let report = drug_scene();
    let id = report["id"].as_str().unwrap().to_owned();
    assert_eq!(app.post(&police, "/api/v1/observations", &report).await.0, 201);
    let (status, mut periods) = app.get(&admin, "/api/v1/settings/retention").await;
    assert_eq!(status, 200);
    periods["drug_scene_months"] = json!(6);
    let (status, _) = app
        .send(
            &admin,
            reqwest::Method::PUT,
            "/api/v1/settings/retention",
            Some(&periods),
        )
        .await;
    assert_eq!(status, 200);

    // Zero months would delete every drug-scene report at once: it was never a choice,
    // so the job refuses to run on it instead of reading it as "keep nothing" or as the
    // default.
    let key = "retention.drug_scene_months";
    let before = log.corrupt_rows(key).len();
    set_by_hand(&app, key, "0").await;
    let run = app::ssr::settings::retention::run(&app.db, chrono::Utc::now()).await;
    assert_eq!(run, Err(app::error::AppError::Internal));
    let (status, body) = app.get(&admin, "/api/v1/settings/retention").await;
    assert_eq!(status, 500, "{body}");
    assert_eq!(log.corrupt_rows(key).len(), before + 2, "once per read");
    assert_eq!(
        app.get(&police, &format!("/api/v1/observations/{id}")).await.0,
        200,
        "nothing deleted"
    );

    // A period of a newer version's name is not read as nothing either.
    set_by_hand(&app, key, "6").await;
    sqlx::query(
        "insert into setting (key, value, changed_by, changed_at)
         select 'retention.photo_months', '12', changed_by, changed_at from setting where key = $1",
    )
    .bind(key)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let before = log.corrupt_rows("retention.photo_months").len();
    let (status, _) = app.get(&admin, "/api/v1/settings/retention").await;
    assert_eq!(status, 500);
    assert_eq!(log.corrupt_rows("retention.photo_months").len(), before + 1);
}
