//! A typed database boundary (issue 11, part 7): a stored value that cannot be read is
//! logged once, with its table, id and column, and answered as an internal error. It is
//! never left out of a list or read as a default, on either database.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use app::domain::role::Role;
use serde_json::json;
use tryggkarta_tests::reports::{drug_scene, now_rfc3339};
use tryggkarta_tests::{on_sqlite_and_postgres, TestApp};

on_sqlite_and_postgres!(
    a_corrupt_report_is_an_internal_error_logged_once_with_table_id_and_column,
    a_corrupt_walk_fails_the_list_instead_of_vanishing_from_it,
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
