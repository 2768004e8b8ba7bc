//! Camera candidates (plan 4.4): a place hot month after month is listed with its
//! history; a one-month flare is not. Police and coordinators only. On SQLite and
//! PostgreSQL.

use app::domain::role::Role;
use serde_json::json;
use tryggkarta_tests::reports::{cell_centre, now_ms, store, Report};
use tryggkarta_tests::{on_sqlite_and_postgres, TestApp};

on_sqlite_and_postgres!(a_persistent_hotspot_is_a_camera_candidate_and_a_flare_is_not);

const DAY_MS: i64 = 86_400_000;

async fn a_persistent_hotspot_is_a_camera_candidate_and_a_flare_is_not(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (police, police_id) = app.signed_in(Role::Police).await;
    let bro = cell_centre(59.5113, 17.6358);
    let kungsangen = cell_centre(59.4786, 17.7500);
    let mut reports = Vec::new();
    // Bro: eight reports in each of the last six 30-day periods.
    for period in 0..6 {
        for i in 0..8 {
            let ago = period * 30 + 2 + i * 3;
            reports.push(Report::at("drug.dealing", bro.0, bro.1, now_ms() - ago * DAY_MS));
        }
    }
    // Kungsängen: twelve in the last period only.
    for i in 0..12 {
        reports.push(Report::at(
            "drug.dealing",
            kungsangen.0,
            kungsangen.1,
            now_ms() - (2 + i) * DAY_MS,
        ));
    }
    // A thin spread elsewhere, so hot means hotter than the rest.
    for i in 0..60 {
        let ago = 2 + (i % 170);
        reports.push(Report::at(
            "drug.use",
            59.42 + (i % 10) as f64 * 0.02,
            17.45 + (i / 10) as f64 * 0.08,
            now_ms() - ago * DAY_MS,
        ));
    }
    store(&app, &police_id, &reports).await;

    let (status, candidates) = app
        .get(&police, "/api/v1/camera-candidates?kind=drug_scene")
        .await;
    assert_eq!(status, 200, "{candidates}");
    let list = candidates.as_array().unwrap();
    let cells: Vec<&serde_json::Value> = list.iter().map(|c| &c["h3"]).collect();
    assert_eq!(list.len(), 1, "only Bro: {cells:?}");
    let bro_cell = h3o::LatLng::new(bro.0, bro.1)
        .unwrap()
        .to_cell(h3o::Resolution::Nine)
        .to_string();
    assert_eq!(list[0]["h3"], bro_cell);
    assert_eq!(list[0]["hot_periods"], 6);
    assert_eq!(list[0]["total"], 48);
    let history = list[0]["history"].as_array().unwrap();
    assert_eq!(history.len(), 6);
    assert!(
        history
            .iter()
            .all(|p| p["count"] == 8 && p["class"].as_i64().unwrap() >= 2),
        "{history:?}"
    );

    // Asking for one hot period of the last one finds the flare too.
    let (_, recent) = app
        .get(
            &police,
            "/api/v1/camera-candidates?kind=drug_scene&periods=2&min_hot=1",
        )
        .await;
    let counted: Vec<&serde_json::Value> = recent.as_array().unwrap().iter().map(|c| &c["total"]).collect();
    assert_eq!(
        counted,
        [&json!(16), &json!(12)],
        "Bro and the flare, and no lone report"
    );

    let csv = police
        .get(app.url("/api/v1/camera-candidates.csv?kind=drug_scene"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        csv.lines().count(),
        1 + 6,
        "a header and one row per period: {csv}"
    );

    let (status, answer) = app
        .get(&police, "/api/v1/camera-candidates?periods=6&min_hot=7")
        .await;
    assert_eq!((status, &answer["field"]), (422, &json!("min_hot")));
    for role in [Role::Volunteer, Role::Admin, Role::Participant] {
        let (client, _) = app.signed_in(role).await;
        assert_eq!(
            app.get(&client, "/api/v1/camera-candidates").await.0,
            403,
            "{role}"
        );
    }
}
