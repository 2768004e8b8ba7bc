//! Retention (gallring) and the data subject's rights: raw records go when their period is
//! over and only counts of three or more stay; a user's data can be exported whole and
//! erased without taking the places off the map. On SQLite and PostgreSQL.

use app::domain::role::Role;
use app::ssr::{accounts::gdpr, settings::retention};
use serde_json::json;
use tryggkarta_tests::reports::{days_ago_ms, now_ms, store, Report};
use tryggkarta_tests::{client, on_sqlite_and_postgres, sign_in, TestApp};
use uuid::Uuid;

on_sqlite_and_postgres!(
    expired_reports_go_and_only_counts_of_three_or_more_stay,
    admins_set_the_periods_within_bounds,
    a_users_data_is_exported_whole_and_erased_without_emptying_the_map,
    incident_reports_go_after_their_period_with_their_notices,
);

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.db.pool).await.unwrap()
}

async fn account_id(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar("select id from account where email = $1")
        .bind(email)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn add_photo(app: &TestApp, observation: &str) {
    sqlx::query(
        "insert into photo (id, client_id, observation_id, content_type, width, height, data, content_hash,
             created_at, updated_at)
         values ($1, $1, $2, 'image/png', 1, 1, '', $1, $3, $3)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(observation)
    .bind(now_ms())
    .execute(&app.db.pool)
    .await
    .unwrap();
}

async fn add_walk(app: &TestApp, created_by: &str, starts_at: i64) -> String {
    let id = Uuid::now_v7().to_string();
    sqlx::query(
        "insert into walk (id, title, area, starts_at, light, route, invited, join_code, status, created_by, created_at, updated_at)
         values ($1, 'Vandring', 'Bro', $2, 'dark', '', '', $3, 'closed', $4, $2, $2)",
    )
    .bind(&id)
    .bind(starts_at)
    .bind(&id[id.len() - 8..])
    .bind(created_by)
    .execute(&app.db.pool)
    .await
    .unwrap();
    id
}

async fn expired_reports_go_and_only_counts_of_three_or_more_stay(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (police_email, _) = app.add_user(Role::Police).await;
    let police = account_id(&app, &police_email).await;
    let long_ago = days_ago_ms(430);
    // Three drug-scene reports in one cell and month past the 12 months, two in another,
    // one recent.
    let here = tryggkarta_tests::reports::cell_centre(59.5113, 17.6358);
    let there = tryggkarta_tests::reports::cell_centre(59.4786, 17.7500);
    let old_here: Vec<Report> = (0..3)
        .map(|i| Report::at("drug.dealing", here.0, here.1, long_ago + i))
        .collect();
    let old_there: Vec<Report> = (0..2)
        .map(|i| Report::at("drug.dealing", there.0, there.1, long_ago + i))
        .collect();
    store(&app, &police, &old_here).await;
    store(&app, &police, &old_there).await;
    store(
        &app,
        &police,
        &[Report::at("drug.dealing", here.0, here.1, days_ago_ms(10))],
    )
    .await;
    let old_id: String = sqlx::query_scalar("select id from observation where observed_at = $1")
        .bind(long_ago)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    add_photo(&app, &old_id).await;

    // A walk three and a half years ago, with a participant and a finding; a track point
    // seven months old and one from yesterday.
    let participant = Uuid::now_v7().to_string();
    sqlx::query(
        "insert into account (id, email, display_name, role, password_hash, created_at, updated_at)
         values ($1, $2, 'Deltagare', 'participant', '!', 0, 0)",
    )
    .bind(&participant)
    .bind(format!("{}@deltagare.invalid", participant.replace('-', "")))
    .execute(&app.db.pool)
    .await
    .unwrap();
    let walk = add_walk(&app, &police, days_ago_ms(3 * 365 + 200)).await;
    sqlx::query("insert into walk_participant (id, walk_id, account_id, created_at, updated_at) values ($1, $2, $3, 0, 0)")
        .bind(Uuid::now_v7().to_string())
        .bind(&walk)
        .bind(&participant)
        .execute(&app.db.pool)
        .await
        .unwrap();
    store(
        &app,
        &participant,
        &[Report::at("walk.lighting", here.0, here.1, days_ago_ms(20))],
    )
    .await;
    // The participant once downloaded their walk's findings: the log names them.
    sqlx::query(
        "insert into audit_event (id, at, actor_id, action, subject, detail)
         values ($1, 0, $2, 'data.export', '/api/v1/export/observations.csv', '')",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(&participant)
    .execute(&app.db.pool)
    .await
    .unwrap();
    sqlx::query("update observation set walk_id = $1 where reporter_id = $2")
        .bind(&walk)
        .bind(&participant)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let shift = Uuid::now_v7().to_string();
    sqlx::query(
        "insert into shift (id, volunteer_id, vehicle, co_driver, started_at, created_at, updated_at)
         values ($1, $2, 'Bil 1', '', 0, 0, 0)",
    )
    .bind(&shift)
    .bind(&police)
    .execute(&app.db.pool)
    .await
    .unwrap();
    for at in [days_ago_ms(215), days_ago_ms(1)] {
        sqlx::query(
            "insert into track_point (id, shift_id, recorded_at, lat, lng, accuracy_m, created_at, updated_at)
             values ($1, $2, $3, 59.5, 17.6, 5.0, 0, 0)",
        )
        .bind(Uuid::now_v7().to_string())
        .bind(&shift)
        .bind(at)
        .execute(&app.db.pool)
        .await
        .unwrap();
    }

    let report = retention::run(&app.db, chrono::Utc::now()).await.unwrap();
    assert_eq!(
        report.observations, 6,
        "five old drug-scene reports and the walk's finding: {report:?}"
    );
    assert_eq!(
        (
            report.photos,
            report.track_points,
            report.walks_emptied,
            report.participants,
            report.audit_entries
        ),
        (1, 1, 1, 1, 1),
        "{report:?}"
    );
    assert_eq!(
        count(&app, "select count(*) from observation").await,
        1,
        "the recent report stays"
    );
    assert_eq!(count(&app, "select count(*) from track_point").await, 1);
    assert_eq!(
        count(&app, "select count(*) from account where role = 'participant'").await,
        0,
        "the participant went with the walk"
    );
    let kept: Vec<(String, String, String, i64)> =
        sqlx::query_as("select cell, month, category_id, count from retained_count")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    let cell = h3o::LatLng::new(here.0, here.1)
        .unwrap()
        .to_cell(h3o::Resolution::Nine)
        .to_string();
    assert_eq!(kept.len(), 1, "only the group of three is kept: {kept:?}");
    assert_eq!(
        (kept[0].0.as_str(), kept[0].2.as_str(), kept[0].3),
        (cell.as_str(), "drug.dealing", 3)
    );
    assert_eq!(kept[0].1, app::domain::retention::month_of(long_ago));
    let logged: Vec<String> =
        sqlx::query_scalar("select detail from audit_event where action = 'data.retention'")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(logged.len(), 1);
    assert!(
        logged[0].contains("rapporter=6") && logged[0].contains("deltagare=1"),
        "{logged:?}"
    );

    // Run again (another instance, tomorrow): nothing more goes and nothing is counted twice.
    let again = retention::run(&app.db, chrono::Utc::now()).await.unwrap();
    assert_eq!(again, retention::Report::default());
    assert_eq!(
        count(&app, "select cast(sum(count) as bigint) from retained_count").await,
        3
    );
}

async fn admins_set_the_periods_within_bounds(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (admin, _) = app.signed_in(Role::Admin).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let (status, defaults) = app.get(&admin, "/api/v1/settings/retention").await;
    assert_eq!(status, 200);
    assert_eq!(
        defaults,
        json!({ "drug_scene_months": 12, "patrol_months": 24, "walk_months": 36, "track_months": 6, "audit_months": 36, "incident_months": 24 })
    );
    assert_eq!(app.get(&coordinator, "/api/v1/settings/retention").await.0, 403);
    let mut shorter = defaults.clone();
    shorter["track_months"] = json!(3);
    assert_eq!(
        app.send(
            &coordinator,
            reqwest::Method::PUT,
            "/api/v1/settings/retention",
            Some(&shorter)
        )
        .await
        .0,
        403
    );
    let mut zero = defaults.clone();
    zero["drug_scene_months"] = json!(0);
    let (status, body) = app
        .send(
            &admin,
            reqwest::Method::PUT,
            "/api/v1/settings/retention",
            Some(&zero),
        )
        .await;
    assert_eq!((status, body["field"].as_str()), (422, Some("drug_scene_months")));
    let (status, saved) = app
        .send(
            &admin,
            reqwest::Method::PUT,
            "/api/v1/settings/retention",
            Some(&shorter),
        )
        .await;
    assert_eq!((status, saved), (200, shorter.clone()));
    assert_eq!(app.get(&admin, "/api/v1/settings/retention").await.1, shorter);
    assert_eq!(retention::in_force(&app.db).await.unwrap().track_months, 3);
}

async fn a_users_data_is_exported_whole_and_erased_without_emptying_the_map(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (email, password) = app.add_user(Role::Volunteer).await;
    let driver = client();
    sign_in(&app, &driver, &email, &password).await;
    let shift = json!({ "id": Uuid::now_v7(), "vehicle": "Grannstödsbil 1", "co_driver": "Kalle Svensson" });
    assert_eq!(
        driver
            .post(app.url("/api/v1/shifts"))
            .json(&shift)
            .send()
            .await
            .unwrap()
            .status(),
        201
    );
    let shift_id = shift["id"].as_str().unwrap();
    let now = app::domain::clock::rfc3339(chrono::Utc::now());
    let track = json!([{ "recorded_at": now, "lat": 59.51, "lng": 17.63, "accuracy_m": 6.0 }]);
    assert_eq!(
        driver
            .post(app.url(&format!("/api/v1/shifts/{shift_id}/track")))
            .json(&track)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let report = json!({
        "id": Uuid::now_v7(), "kind": "patrol_observation", "category": "patrol.damage",
        "note": "Klotter på Anna Anderssons garage", "lat": 59.5113, "lng": 17.6358, "accuracy_m": 10.0,
        "position_source": "gps", "observed_at": now, "shift_id": shift_id,
    });
    assert_eq!(
        driver
            .post(app.url("/api/v1/observations"))
            .json(&report)
            .send()
            .await
            .unwrap()
            .status(),
        201
    );
    let report_id = report["id"].as_str().unwrap();
    add_photo(&app, report_id).await;

    let export = gdpr::export(&app.db, &email.to_uppercase()).await.unwrap();
    assert_eq!(export["account"]["email"], email);
    assert_eq!(export["reports"][0]["id"], report_id);
    assert_eq!(export["reports"][0]["note"], "Klotter på Anna Anderssons garage");
    assert_eq!(export["shifts"][0]["co_driver"], "Kalle Svensson");
    assert_eq!(export["track_points"].as_array().unwrap().len(), 1);
    assert_eq!(export["photos"].as_array().unwrap().len(), 1);
    assert!(export["audit_log"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "session.sign_in"));

    let erased = gdpr::erase(&app.db, &email).await.unwrap();
    assert_eq!(
        erased,
        gdpr::Erased {
            reports_anonymised: 1,
            photos: 1,
            shifts: 1,
            track_points: 1
        }
    );
    let mentions: i64 =
        sqlx::query_scalar("select count(*) from audit_event where subject = $1 or detail like $2")
            .bind(&email)
            .bind(format!("%{email}%"))
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(mentions, 0, "the log no longer names the e-mail");
    assert_eq!(
        app.get(&driver, "/api/v1/session").await.0,
        401,
        "the open session ends"
    );
    let again = client()
        .post(app.url("/api/v1/session"))
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 401, "nobody signs in as the erased account");
    assert!(gdpr::export(&app.db, &email).await.is_err(), "the e-mail is gone");
    // The report stays on the map, without what the person wrote.
    let (police, _) = app.signed_in(Role::Police).await;
    let (status, seen) = app
        .get(&police, &format!("/api/v1/observations/{report_id}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(seen["note"], "");
    assert_eq!(seen["photo_ids"], json!([]));
    let co_driver: String = sqlx::query_scalar("select co_driver from shift where id = $1")
        .bind(shift_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(co_driver, "");
}

/// Stores an incident report (a resident's tip) observed `days` ago, merged into
/// `duplicate_of` if given.
async fn add_incident(app: &TestApp, days: i64, duplicate_of: Option<&str>) -> String {
    let id = Uuid::now_v7().to_string();
    sqlx::query(
        "insert into incident_report (id, client_id, source, category_id, lat, lng, position_source, observed_at,
             note, status, strategy_area, duplicate_of, content_hash, created_at, updated_at)
         values ($1, $1, 'resident', 'incident.unsafe_place', 59.51, 17.63, 'manual', $2, 'Mörkt', $3, '4.1', $4, '', $2, $2)",
    )
    .bind(&id)
    .bind(days_ago_ms(days))
    .bind(if duplicate_of.is_some() { "merged" } else { "pending" })
    .bind(duplicate_of)
    .execute(&app.db.pool)
    .await
    .unwrap();
    id
}

async fn incident_reports_go_after_their_period_with_their_notices(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (reporter_email, _) = app.add_user(Role::Police).await;
    let reporter = account_id(&app, &reporter_email).await;
    // One past the 24 months, with a notice to its reporter and a recent report merged
    // into it; one recent.
    let old = add_incident(&app, 25 * 31, None).await;
    let merged = add_incident(&app, 10, Some(&old)).await;
    let recent = add_incident(&app, 3, None).await;
    sqlx::query(
        "insert into incident_notice (id, report_id, recipient_id, status, created_at, updated_at)
         values ($1, $2, $3, 'accepted', 0, 0)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(&old)
    .bind(&reporter)
    .execute(&app.db.pool)
    .await
    .unwrap();

    let report = retention::run(&app.db, chrono::Utc::now()).await.unwrap();
    assert_eq!(report.incident_reports, 1, "{report:?}");
    let left: Vec<(String, Option<String>)> =
        sqlx::query_as("select id, duplicate_of from incident_report order by id")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        left,
        vec![(merged, None), (recent, None)],
        "the recent ones stay, no longer pointing at the one that went"
    );
    assert_eq!(count(&app, "select count(*) from incident_notice").await, 0);
    let again = retention::run(&app.db, chrono::Utc::now()).await.unwrap();
    assert_eq!(again.incident_reports, 0);
}
