//! Karta, the start page: police and coordinators see every report where it was made;
//! volunteers and walk participants see only their own reports and their walks' findings
//! exactly, and everything else as cells of at least three reports. Filters narrow what is
//! shown and bad ones get a clear answer. Each test runs on SQLite and on PostgreSQL.

use app::domain::role::Role;
use serde_json::{json, Value};
use tryggkarta_tests::reports::{cell_centre, days_ago_ms, store, Report};
use tryggkarta_tests::{client, on_sqlite_and_postgres, page_text, rectangle, TestApp};
use uuid::Uuid;

on_sqlite_and_postgres!(
    each_role_sees_exactly_what_it_may_on_the_start_map,
    filters_narrow_the_map_and_bad_ones_are_explained,
);

/// Kungsängen centrum, where the planted reports lie.
const KUNGSANGEN: (f64, f64) = (59.4778, 17.7502);
/// Bro centrum, far enough away to be its own cell and its own named area.
const BRO: (f64, f64) = (59.5113, 17.6358);

fn ids(view: &Value) -> Vec<String> {
    let mut ids: Vec<String> = view["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|point| point["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

async fn ids_in_db(app: &TestApp, reporter: &str) -> Vec<String> {
    let rows: Vec<(String,)> =
        sqlx::query_as("select id from observation where reporter_id = $1 order by id")
            .bind(reporter)
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    rows.into_iter().map(|(id,)| id).collect()
}

/// A day in last calendar month (Stockholm): what the aggregated cells count.
fn last_month_ms() -> i64 {
    use chrono::Datelike;
    let today = app::domain::clock::today();
    days_ago_ms(i64::from(today.day()) + 3)
}

async fn each_role_sees_exactly_what_it_may_on_the_start_map(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (police, _) = app.signed_in(Role::Police).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let (anna, anna_id) = app.signed_in(Role::Volunteer).await;
    let (_, bertil_id) = app.signed_in(Role::Volunteer).await;

    // Bertil reported three cars in one Kungsängen cell last month and one in Bro this
    // week; Anna one in Bro today, with a note.
    let (lat, lng) = cell_centre(KUNGSANGEN.0, KUNGSANGEN.1);
    let last_month = last_month_ms();
    store(
        &app,
        &bertil_id,
        &[
            Report::at("patrol.abandoned_car", lat, lng, last_month),
            Report::at("patrol.abandoned_car", lat + 0.0002, lng, last_month + 60_000),
            Report::at("patrol.abandoned_car", lat, lng + 0.0002, last_month + 120_000),
            Report::at("patrol.suspicious_vehicle", BRO.0, BRO.1, days_ago_ms(2)),
        ],
    )
    .await;
    store(
        &app,
        &anna_id,
        &[Report {
            note: "Blå skåpbil utan skyltar",
            ..Report::at("patrol.suspicious_vehicle", BRO.0 + 0.001, BRO.1, days_ago_ms(0))
        }],
    )
    .await;
    let (anna_ids, bertil_ids) = (ids_in_db(&app, &anna_id).await, ids_in_db(&app, &bertil_id).await);

    // Police and coordinators: every report, exactly, with names and notes; no cells.
    for viewer in [&police, &coordinator] {
        let (status, view) = app.get(viewer, "/api/v1/map?days=90").await;
        assert_eq!(status, 200, "{view}");
        assert_eq!(view["exact"], true);
        let mut all = [anna_ids.clone(), bertil_ids.clone()].concat();
        all.sort();
        assert_eq!(ids(&view), all);
        assert_eq!(view["cells"], json!([]));
        let annas = view["points"]
            .as_array()
            .unwrap()
            .iter()
            .find(|point| point["id"] == anna_ids[0].as_str())
            .unwrap();
        assert_eq!(
            annas["category_name"],
            json!(["Misstänkt fordon", "Suspicious vehicle"])
        );
        assert_eq!(annas["note"], "Blå skåpbil utan skyltar");
        assert_eq!(annas["status"], "new");
        assert_eq!(annas["own"], false);
    }
    // Newest first.
    let (_, view) = app.get(&police, "/api/v1/map?days=90").await;
    assert_eq!(view["points"][0]["id"], anna_ids[0].as_str());

    // Anna: her own report exactly, Bertil's three cars only as one cell of three, and
    // Bertil's single report in Bro not at all.
    let (status, view) = app.get(&anna, "/api/v1/map?days=90").await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["exact"], false);
    assert_eq!(ids(&view), anna_ids);
    assert_eq!(view["points"][0]["own"], true);
    assert_eq!(view["points"][0]["note"], "Blå skåpbil utan skyltar");
    let cells = view["cells"].as_array().unwrap();
    assert_eq!(cells.len(), 1, "{view}");
    assert_eq!(cells[0]["count"], 3);
    assert!(view["cells_period"].is_array());
    let text = view.to_string();
    for id in &bertil_ids {
        assert!(
            !text.contains(id.as_str()),
            "a volunteer never gets another's report id"
        );
    }
    assert!(
        !text.contains(&BRO.0.to_string()),
        "nor the position of Bertil's single report"
    );

    // A walk participant: the findings of their walk (also those others made), nothing of
    // the volunteers' reports but the cell.
    let (_, walk) = app
        .post(
            &coordinator,
            "/api/v1/walks",
            &json!({
                "title": "Kvällsvandring Bro", "area": "Bro centrum", "light": "dark",
                "starts_at": app::domain::clock::rfc3339(chrono::Utc::now()),
            }),
        )
        .await;
    let resident = client();
    let (status, _) = app
        .post(
            &resident,
            "/api/v1/walks/join",
            &json!({ "code": walk["join_code"] }),
        )
        .await;
    assert_eq!(status, 200);
    let finding = Uuid::now_v7().to_string();
    let (status, answer) = app
        .post(
            &coordinator,
            "/api/v1/observations",
            &json!({
                "id": finding, "kind": "walk_finding", "category": "walk.lighting", "rating": 1,
                "note": "Trasig lampa", "lat": BRO.0, "lng": BRO.1 + 0.002, "accuracy_m": 5.0,
                "position_source": "gps", "walk_id": walk["id"],
                "observed_at": app::domain::clock::rfc3339(chrono::Utc::now()),
            }),
        )
        .await;
    assert_eq!(status, 201, "{answer}");
    let (status, view) = app.get(&resident, "/api/v1/map").await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(ids(&view), vec![finding.clone()]);
    assert_eq!(view["points"][0]["own"], false);
    assert_eq!(
        view["points"][0]["note"], "",
        "another's note stays with police and coordinators"
    );
    assert_eq!(view["cells"].as_array().unwrap().len(), 1);

    // Anna was not on the walk: she does not get its finding, though it is "internal".
    let (_, view) = app.get(&anna, "/api/v1/map").await;
    assert!(!ids(&view).contains(&finding));

    // Nobody signed in gets nothing.
    assert_eq!(app.get(&client(), "/api/v1/map").await.0, 401);
    // The page itself renders for a volunteer, with the list view offered.
    let page = page_text(&anna, &app.url("/karta?visa=lista&days=90")).await;
    assert!(
        page.contains("Visa kartan"),
        "the list view links back to the map"
    );
    assert!(
        page.contains("Blå skåpbil utan skyltar"),
        "the list shows her report"
    );
}

async fn filters_narrow_the_map_and_bad_ones_are_explained(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (police, police_id) = app.signed_in(Role::Police).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    store(
        &app,
        &police_id,
        &[
            Report::at("patrol.abandoned_car", KUNGSANGEN.0, KUNGSANGEN.1, days_ago_ms(1)),
            Report::at("patrol.damage", BRO.0, BRO.1, days_ago_ms(3)),
            Report::at("walk.lighting", BRO.0, BRO.1 + 0.001, days_ago_ms(20)),
        ],
    )
    .await;
    let area = json!({
        "name": "Bro centrum", "kind": "named",
        "geometry": rectangle(BRO.1 - 0.01, BRO.0 - 0.01, BRO.1 + 0.01, BRO.0 + 0.01),
    });
    let (status, answer) = app.post(&coordinator, "/api/v1/areas", &area).await;
    assert_eq!(status, 201, "{answer}");

    let count = |view: &Value| view["points"].as_array().unwrap().len();
    let (_, view) = app.get(&police, "/api/v1/map").await;
    assert_eq!(count(&view), 3);
    assert_eq!(view["areas"], json!(["Bro centrum"]));
    let (_, view) = app.get(&police, "/api/v1/map?days=7").await;
    assert_eq!(count(&view), 2, "the walk finding is older than a week");
    let (_, view) = app.get(&police, "/api/v1/map?kind=patrol_observation").await;
    assert_eq!(count(&view), 2);
    let (_, view) = app.get(&police, "/api/v1/map?category=patrol.damage").await;
    assert_eq!(count(&view), 1);
    let (_, view) = app.get(&police, "/api/v1/map?area=Bro%20centrum").await;
    assert_eq!(count(&view), 2);
    assert!(view["points"]
        .as_array()
        .unwrap()
        .iter()
        .all(|point| point["place"] == "Bro centrum"));

    for (query, field) in [
        ("days=5", "days"),
        ("days=-1", "query"),
        ("days=abc", "query"),
        ("kind=inbrott", "kind"),
        ("area=Atlantis", "area"),
        ("area=Bro%00centrum", "area"),
    ] {
        let (status, answer) = app.get(&police, &format!("/api/v1/map?{query}")).await;
        assert_eq!(status, 422, "{query}: {answer}");
        assert!(
            answer["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{query}: {answer}"
        );
        if field != "query" {
            assert_eq!(answer["field"], field, "{query}");
        }
    }
    // A huge filter value is refused as unknown, not choked on.
    let huge = "x".repeat(10_000);
    let (status, _) = app.get(&police, &format!("/api/v1/map?area={huge}")).await;
    assert!(status == 422 || status == 414 || status == 431, "{status}");
}
