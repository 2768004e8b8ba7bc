//! Patrol tasking: the police mark focus places that every driver sees on the shift
//! page, with the burglary hotspots of the last 30 days (as their role may see them) and
//! the named areas the patrol tracks covered least. Each test runs on SQLite and on
//! PostgreSQL.

use app::domain::role::Role;
use reqwest::Method;
use serde_json::{json, Value};
use tryggkarta_tests::reports::{cell_centre, now_ms, store, Report};
use tryggkarta_tests::{on_sqlite_and_postgres, rectangle, TestApp};
use uuid::Uuid;

on_sqlite_and_postgres!(
    police_mark_focus_places_that_every_driver_sees,
    the_shift_page_shows_hotspots_and_the_least_covered_areas,
);

const FINNSTA: (f64, f64) = (59.5180, 17.6200);
const RABY: (f64, f64) = (59.5050, 17.6500);

fn square_around(place: (f64, f64)) -> Value {
    rectangle(place.1 - 0.004, place.0 - 0.002, place.1 + 0.004, place.0 + 0.002)
}

async fn named_area(app: &TestApp, coordinator: &reqwest::Client, name: &str, place: (f64, f64)) {
    let (status, area) = app
        .post(
            coordinator,
            "/api/v1/areas",
            &json!({ "name": name, "kind": "named", "geometry": square_around(place) }),
        )
        .await;
    assert_eq!(status, 201, "{area}");
}

fn focus(title: &str) -> Value {
    json!({ "id": Uuid::now_v7(), "title": title, "note": "Förråden, kvällstid", "lat": FINNSTA.0, "lng": FINNSTA.1 })
}

async fn police_mark_focus_places_that_every_driver_sees(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    named_area(&app, &coordinator, "Finnsta", FINNSTA).await;
    let (police, _) = app.signed_in(Role::Police).await;
    let (driver, driver_id) = app.signed_in(Role::Volunteer).await;
    // A driver who signed the confidentiality agreement (admin.rs: the others).
    let signed = json!({ "confidentiality_signed_on": "2026-01-10", "vehicles": [], "note": "" });
    let (status, _) = app
        .send(
            &coordinator,
            Method::PUT,
            &format!("/api/v1/users/{driver_id}/driver"),
            Some(&signed),
        )
        .await;
    assert_eq!(status, 200);

    let place = focus("Förråden vid Finnstagårdarna");
    let (status, marked) = app.post(&police, "/api/v1/focus-places", &place).await;
    assert_eq!(status, 201, "{marked}");
    assert_eq!(marked["place"], "Finnsta");
    assert_eq!(marked["radius_m"], 150.0);
    // Sent again (the answer was lost on a bad connection): stored once.
    let (status, again) = app.post(&police, "/api/v1/focus-places", &place).await;
    assert_eq!((status, &again["id"]), (200, &marked["id"]));

    let (status, seen) = app.get(&driver, "/api/v1/focus-places").await;
    assert_eq!(status, 200);
    assert_eq!(seen.as_array().unwrap().len(), 1, "{seen}");
    assert_eq!(seen[0]["title"], "Förråden vid Finnstagårdarna");

    for (body, field) in [
        (
            json!({ "title": " ", "lat": FINNSTA.0, "lng": FINNSTA.1 }),
            "title",
        ),
        (json!({ "title": "Göteborg", "lat": 57.70, "lng": 11.97 }), "lat"),
        (
            json!({ "title": "x", "lat": FINNSTA.0, "lng": FINNSTA.1, "radius_m": 1e9 }),
            "radius_m",
        ),
        (
            json!({ "title": "x", "lat": FINNSTA.0, "lng": FINNSTA.1, "until_on": "2020-01-01" }),
            "until_on",
        ),
    ] {
        let (status, refused) = app.post(&police, "/api/v1/focus-places", &body).await;
        assert_eq!(
            (status, refused["field"].as_str()),
            (422, Some(field)),
            "{body} → {refused}"
        );
    }

    // Drivers read, police and coordinators mark; others neither.
    assert_eq!(
        app.post(&driver, "/api/v1/focus-places", &focus("x")).await.0,
        403
    );
    for role in [Role::Participant, Role::Admin] {
        let (client, _) = app.signed_in(role).await;
        assert_eq!(app.get(&client, "/api/v1/focus-places").await.0, 403, "{role}");
        assert_eq!(app.get(&client, "/api/v1/tasking").await.0, 403, "{role}");
        assert_eq!(
            app.post(&client, "/api/v1/focus-places", &focus("x")).await.0,
            403,
            "{role}"
        );
    }
    assert_eq!(
        app.get(&tryggkarta_tests::client(), "/api/v1/focus-places")
            .await
            .0,
        401
    );

    let path = format!("/api/v1/focus-places/{}", marked["id"].as_str().unwrap());
    assert_eq!(app.send(&driver, Method::DELETE, &path, None).await.0, 403);
    assert_eq!(app.send(&police, Method::DELETE, &path, None).await.0, 204);
    assert_eq!(app.send(&police, Method::DELETE, &path, None).await.0, 404);
    let (_, after) = app.get(&driver, "/api/v1/focus-places").await;
    assert_eq!(after, json!([]));
    // A late resend of the removed place is a conflict, not a server error.
    let (status, late) = app.post(&police, "/api/v1/focus-places", &place).await;
    assert_eq!(
        (status, late["error"].as_str()),
        (409, Some("conflict")),
        "{late}"
    );
}

async fn the_shift_page_shows_hotspots_and_the_least_covered_areas(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, coordinator_id) = app.signed_in(Role::Coordinator).await;
    named_area(&app, &coordinator, "Finnsta", FINNSTA).await;
    named_area(&app, &coordinator, "Råby", RABY).await;
    // A cluster of break-in signs in one Finnsta cell over the last weeks.
    let (lat, lng) = cell_centre(FINNSTA.0, FINNSTA.1);
    let cluster: Vec<Report> = (0..8)
        .map(|i| {
            Report::at(
                "patrol.burglary_signs",
                lat + (i % 3) as f64 * 0.00003,
                lng,
                now_ms() - (i + 1) * 2 * 86_400_000,
            )
        })
        .collect();
    store(&app, &coordinator_id, &cluster).await;

    // A driver patrols Råby only.
    let (driver, _) = app.signed_in(Role::Volunteer).await;
    let (status, shift) = app
        .post(&driver, "/api/v1/shifts", &json!({ "vehicle": "Grannstöd 1" }))
        .await;
    assert_eq!(status, 201, "{shift}");
    let start = chrono::Utc::now() - chrono::TimeDelta::minutes(30);
    let points: Vec<Value> = (0..20)
        .map(|i| {
            json!({
                "recorded_at": app::domain::clock::rfc3339(start + chrono::TimeDelta::seconds(30 * i)),
                "lat": RABY.0 + 0.0001 * (i % 10) as f64, "lng": RABY.1, "accuracy_m": 6.0
            })
        })
        .collect();
    let track = format!("/api/v1/shifts/{}/track", shift["id"].as_str().unwrap());
    let (status, added) = app.post(&driver, &track, &json!(points)).await;
    assert_eq!((status, &added["added"]), (200, &json!(20)), "{added}");

    for client in [&driver, &coordinator] {
        let (status, tasking) = app.get(client, "/api/v1/tasking").await;
        assert_eq!(status, 200, "{tasking}");
        let coverage = tasking["coverage"].as_array().unwrap();
        assert_eq!(
            coverage[0]["area"], "Finnsta",
            "least covered first: {coverage:?}"
        );
        assert_eq!(coverage[0]["track_points"], 0);
        assert_eq!(coverage[1]["area"], "Råby");
        assert_eq!(coverage[1]["track_points"], 20);
        let hotspots = tasking["hotspots"].as_array().unwrap();
        assert!(!hotspots.is_empty(), "{tasking}");
        assert_eq!(hotspots[0]["place"], "Finnsta");
        assert_eq!(hotspots[0]["count"], 8);
        // Counts and outlines only: no report, no track, no driver.
        let text = tasking.to_string();
        assert!(
            !text.contains("Grannstöd 1") && !text.contains("recorded_at"),
            "{text}"
        );
    }
}
