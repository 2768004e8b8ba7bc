//! Strategy areas (plan 2–11): an area's reports now against the period before, overall
//! and per named area, and its open and overdue actions; police and coordinators only.
//! On SQLite and PostgreSQL.

use app::domain::role::Role;
use serde_json::json;
use tryggkarta_tests::reports::{now_ms, store, Report};
use tryggkarta_tests::{on_sqlite_and_postgres, rectangle, TestApp};

on_sqlite_and_postgres!(an_area_shows_its_trend_per_named_area_and_its_actions);

const DAY_MS: i64 = 86_400_000;

async fn an_area_shows_its_trend_per_named_area_and_its_actions(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, coordinator_id) = app.signed_in(Role::Coordinator).await;
    for (name, geometry) in [
        ("Råby", rectangle(17.62, 59.50, 17.65, 59.52)),
        ("Brunna", rectangle(17.83, 59.44, 17.87, 59.46)),
    ] {
        let body = json!({ "name": name, "kind": "named", "geometry": geometry });
        assert_eq!(app.post(&coordinator, "/api/v1/areas", &body).await.0, 201);
    }
    // Strategy area 10 (drug scenes): Råby rises from 3 to 20, Brunna stays at 4 and 4,
    // two reports lie in no named area.
    let mut reports = Vec::new();
    let at = |lat: f64, lng: f64, days_ago: i64| {
        Report::at("drug.dealing", lat, lng, now_ms() - days_ago * DAY_MS)
    };
    reports.extend((0..20).map(|i| at(59.51, 17.635, 2 + i)));
    reports.extend((0..3).map(|i| at(59.51, 17.635, 100 + i)));
    reports.extend((0..4).map(|i| at(59.45, 17.85, 5 + i)));
    reports.extend((0..4).map(|i| at(59.45, 17.85, 110 + i)));
    reports.extend((0..2).map(|i| at(59.60, 17.45, 10 + i)));
    store(&app, &coordinator_id, &reports).await;

    let (status, page) = app.get(&coordinator, "/api/v1/strategy-areas/10").await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["summary"]["reports"]["now"], 26);
    assert_eq!(page["summary"]["reports"]["previous"], 7);
    let places = page["places"].as_array().unwrap();
    let row = |name: &str| places.iter().find(|p| p["place"] == name).cloned().unwrap();
    assert_eq!(
        (row("Råby")["now"].clone(), row("Råby")["previous"].clone()),
        (json!(20), json!(3))
    );
    assert_eq!(row("Råby")["significant_rise"], true);
    assert_eq!(row("Brunna")["significant_rise"], false);
    assert_eq!(
        places.last().unwrap()["place"],
        "",
        "outside every named area comes last"
    );
    assert_eq!(places.last().unwrap()["now"], 2);

    let action = json!({
        "title": "Samverkan med fastighetsägaren i Råby", "party": "Polisen", "owner": "Kommunpolisen",
        "due_on": (chrono::Utc::now() + chrono::TimeDelta::days(7)).date_naive().to_string(),
        "strategy_area": "10", "source": { "kind": "none" },
    });
    assert_eq!(app.post(&coordinator, "/api/v1/actions", &action).await.0, 201);
    let (_, overview) = app.get(&coordinator, "/api/v1/strategy-areas").await;
    let ten = overview
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == "10")
        .unwrap();
    assert_eq!(ten["open_actions"], 1);
    assert_eq!(ten["reports"]["significant_rise"], true);

    assert_eq!(
        app.get(&coordinator, "/api/v1/strategy-areas/5").await.0,
        404,
        "not an area the map feeds"
    );
    for role in [Role::Volunteer, Role::Admin, Role::Participant] {
        let (client, _) = app.signed_in(role).await;
        assert_eq!(app.get(&client, "/api/v1/strategy-areas").await.0, 403, "{role}");
        assert_eq!(
            app.get(&client, "/api/v1/strategy-areas/10").await.0,
            403,
            "{role}"
        );
    }
}
