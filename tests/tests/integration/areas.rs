//! Named areas and the municipality boundary: coordinators keep them, everyone signed in
//! reads them, findings and hotspot cells are labelled with the area they lie in, and the
//! boundary becomes the hotspot study area. Bad shapes are refused with the reason and
//! nothing is saved half-way. Each test runs on SQLite and on PostgreSQL.

use app::domain::role::Role;
use reqwest::Method;
use serde_json::{json, Value};
use tryggkarta_tests::reports::{cell_centre, now_ms, store, Report};
use tryggkarta_tests::{on_sqlite_and_postgres, rectangle, TestApp};

on_sqlite_and_postgres!(
    findings_and_cells_are_labelled_with_the_area_they_lie_in,
    only_coordinators_and_admins_keep_areas,
    bad_areas_are_refused_with_the_reason_and_nothing_is_saved,
    the_municipality_boundary_is_the_study_area_and_holds_the_named_areas,
    areas_saved_at_the_same_moment_never_give_a_server_error,
    a_form_the_page_sends_gets_the_status_of_its_error,
    a_detailed_boundary_fits_and_a_too_detailed_one_is_refused_with_the_reason,
);

const HOUR_MS: i64 = 3_600_000;
const BRO: (f64, f64) = (59.5113, 17.6358);

fn area(name: &str, kind: &str, geometry: Value) -> Value {
    json!({ "name": name, "kind": kind, "geometry": geometry })
}

fn bro_centrum() -> Value {
    area("Bro centrum", "named", rectangle(17.625, 59.505, 17.645, 59.518))
}

fn error_of(answer: &Value) -> (&str, &str) {
    (
        answer["field"].as_str().unwrap_or_default(),
        answer["message"].as_str().unwrap_or_default(),
    )
}

async fn findings_and_cells_are_labelled_with_the_area_they_lie_in(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let (police, police_id) = app.signed_in(Role::Police).await;
    let bro = cell_centre(BRO.0, BRO.1);
    let reports: Vec<Report> = (0..5)
        .map(|i| {
            Report::at(
                "drug.dealing",
                bro.0,
                bro.1 + i as f64 * 0.00002,
                now_ms() - (i + 1) * HOUR_MS,
            )
        })
        .chain([Report::at("drug.use", 59.45, 17.85, now_ms() - HOUR_MS)])
        .collect();
    store(&app, &police_id, &reports).await;

    let (status, created) = app.post(&coordinator, "/api/v1/areas", &bro_centrum()).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["geometry"]["type"], "MultiPolygon", "stored in one form");
    let id = created["id"].as_str().unwrap().to_owned();

    let (status, records) = app.get(&police, "/api/v1/observations?kind=drug_scene").await;
    assert_eq!(status, 200, "{records}");
    let places: Vec<&Value> = records.as_array().unwrap().iter().map(|r| &r["place"]).collect();
    assert_eq!(
        places.iter().filter(|p| **p == "Bro centrum").count(),
        5,
        "{places:?}"
    );
    assert_eq!(
        places.iter().filter(|p| p.is_null()).count(),
        1,
        "Brunna is in no area"
    );

    let (status, situation) = app.get(&police, "/api/v1/hotspots?kind=drug_scene").await;
    assert_eq!(status, 200, "{situation}");
    let cluster = situation["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["count"] == 5)
        .unwrap();
    assert_eq!(cluster["place"], "Bro centrum", "{cluster}");
    let (_, points) = app.get(&police, "/api/v1/hotspots/points?kind=drug_scene").await;
    assert_eq!(
        points
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["place"] == "Bro centrum")
            .count(),
        5
    );
    let csv = police
        .get(app.url("/api/v1/export/observations.csv?kind=drug_scene"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.lines().next().unwrap().contains(";omrade"), "{csv}");
    assert_eq!(csv.matches(";Bro centrum").count(), 5, "{csv}");

    // Renamed: everything is relabelled at once.
    let renamed = area("Bro torg", "named", rectangle(17.625, 59.505, 17.645, 59.518));
    let (status, _) = app
        .send(
            &coordinator,
            Method::PUT,
            &format!("/api/v1/areas/{id}"),
            Some(&renamed),
        )
        .await;
    assert_eq!(status, 200);
    let (_, records) = app.get(&police, "/api/v1/observations?kind=drug_scene").await;
    assert_eq!(
        records
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["place"] == "Bro torg")
            .count(),
        5
    );

    // A smaller area inside names the place more precisely.
    let square = area(
        "Bro torg, södra",
        "named",
        rectangle(17.630, 59.508, 17.640, 59.514),
    );
    let (status, _) = app.post(&coordinator, "/api/v1/areas", &square).await;
    assert_eq!(status, 201);
    let (_, records) = app.get(&police, "/api/v1/observations?kind=drug_scene").await;
    assert_eq!(
        records
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["place"] == "Bro torg, södra")
            .count(),
        5
    );

    // Removed: no longer listed, no longer a label.
    let (status, _) = app
        .send(&coordinator, Method::DELETE, &format!("/api/v1/areas/{id}"), None)
        .await;
    assert_eq!(status, 204);
    let (_, listed) = app.get(&police, "/api/v1/areas").await;
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    let (status, _) = app.get(&police, &format!("/api/v1/areas/{id}")).await;
    assert_eq!(status, 404);
}

async fn only_coordinators_and_admins_keep_areas(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let (_, created) = app.post(&coordinator, "/api/v1/areas", &bro_centrum()).await;
    let path = format!("/api/v1/areas/{}", created["id"].as_str().unwrap());
    let changed = area("Bro", "named", rectangle(17.62, 59.50, 17.65, 59.52));

    for role in [Role::Volunteer, Role::Police, Role::Participant] {
        let (client, _) = app.signed_in(role).await;
        let (status, listed) = app.get(&client, "/api/v1/areas").await;
        assert_eq!(status, 200, "{role} reads the names of places");
        assert_eq!(listed.as_array().unwrap().len(), 1);
        let other = area(
            &format!("Område för {role}"),
            "named",
            rectangle(17.7, 59.45, 17.71, 59.46),
        );
        assert_eq!(
            app.post(&client, "/api/v1/areas", &other).await.0,
            403,
            "{role} creates"
        );
        assert_eq!(
            app.send(&client, Method::PUT, &path, Some(&changed)).await.0,
            403,
            "{role} changes"
        );
        assert_eq!(
            app.send(&client, Method::DELETE, &path, None).await.0,
            403,
            "{role} removes"
        );
    }
    let (_, unchanged) = app.get(&coordinator, &path).await;
    assert_eq!(unchanged["name"], "Bro centrum");

    let (admin, _) = app.signed_in(Role::Admin).await;
    assert_eq!(app.send(&admin, Method::PUT, &path, Some(&changed)).await.0, 200);

    let anonymous = tryggkarta_tests::client();
    assert_eq!(app.get(&anonymous, "/api/v1/areas").await.0, 401);
    assert_eq!(app.post(&anonymous, "/api/v1/areas", &bro_centrum()).await.0, 401);
    // Guessed and malformed ids.
    let guessed = format!("/api/v1/areas/{}", uuid::Uuid::now_v7());
    assert_eq!(app.get(&coordinator, &guessed).await.0, 404);
    assert_eq!(
        app.send(&coordinator, Method::PUT, &guessed, Some(&changed))
            .await
            .0,
        404
    );
    assert_eq!(
        app.send(&coordinator, Method::DELETE, &guessed, None).await.0,
        404
    );
    assert_eq!(app.get(&coordinator, "/api/v1/areas/inte-ett-id").await.0, 404);
}

async fn bad_areas_are_refused_with_the_reason_and_nothing_is_saved(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let (status, _) = app.post(&coordinator, "/api/v1/areas", &bro_centrum()).await;
    assert_eq!(status, 201);

    let bow_tie = json!({ "type": "Polygon", "coordinates": [[
        [17.6, 59.5], [17.7, 59.55], [17.7, 59.5], [17.6, 59.55], [17.6, 59.5]
    ]] });
    let open = json!({ "type": "Polygon", "coordinates": [[[17.6, 59.5], [17.7, 59.5], [17.7, 59.55]]] });
    let stockholm = rectangle(18.05, 59.32, 18.08, 59.34);
    let cases = [
        (area("Rosetten", "named", bow_tie), "geometry", "korsar sig"),
        (area("Öppen", "named", open), "geometry", "minst tre hörn"),
        (
            area("Stockholm", "named", stockholm),
            "geometry",
            "utanför kommunen",
        ),
        (
            area(
                "Punkt",
                "named",
                json!({ "type": "Point", "coordinates": [17.6, 59.5] }),
            ),
            "geometry",
            "GeoJSON-polygon",
        ),
        (
            area("Text", "named", json!("en polygon")),
            "geometry",
            "GeoJSON-polygon",
        ),
        (
            area("Bro centrum", "named", rectangle(17.7, 59.45, 17.71, 59.46)),
            "name",
            "redan ett område",
        ),
        (
            area("", "named", rectangle(17.7, 59.45, 17.71, 59.46)),
            "name",
            "namn",
        ),
        (
            area(&"x".repeat(101), "named", rectangle(17.7, 59.45, 17.71, 59.46)),
            "name",
            "högst 100",
        ),
        (
            area("Nul\u{0}", "named", rectangle(17.7, 59.45, 17.71, 59.46)),
            "name",
            "",
        ),
    ];
    for (body, field, words) in &cases {
        let (status, answer) = app.post(&coordinator, "/api/v1/areas", body).await;
        assert_eq!(status, 422, "{body}: {answer}");
        let (named, message) = error_of(&answer);
        assert_eq!(named, *field, "{answer}");
        assert!(message.contains(words), "{message} should say {words}");
    }
    let (status, answer) = app
        .post(&coordinator, "/api/v1/areas", &json!({ "name": "Utan typ" }))
        .await;
    assert_eq!(status, 422, "{answer}");

    let (_, listed) = app.get(&coordinator, "/api/v1/areas").await;
    assert_eq!(listed.as_array().unwrap().len(), 1, "only the good one: {listed}");
}

async fn the_municipality_boundary_is_the_study_area_and_holds_the_named_areas(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, coordinator_id) = app.signed_in(Role::Coordinator).await;
    // Reports at Bro and far to the east (Brunna).
    let bro = cell_centre(BRO.0, BRO.1);
    let brunna = cell_centre(59.45, 17.85);
    let reports: Vec<Report> = (0..4)
        .flat_map(|i| {
            let at = now_ms() - (i + 1) * HOUR_MS;
            [
                Report::at("drug.dealing", bro.0, bro.1, at),
                Report::at("drug.dealing", brunna.0, brunna.1, at),
            ]
        })
        .collect();
    store(&app, &coordinator_id, &reports).await;
    let (_, before) = app.get(&coordinator, "/api/v1/hotspots?kind=drug_scene").await;
    assert_eq!(before["total"], 8);
    let counted = |situation: &Value| -> u64 {
        situation["cells"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["count"].as_u64().unwrap())
            .sum()
    };
    assert_eq!(counted(&before), 8, "the box holds both places");

    // A boundary around Bro only (west of 17.75).
    let boundary = area(
        "Upplands-Bro kommun",
        "municipality",
        rectangle(17.40, 59.40, 17.75, 59.62),
    );
    let (status, created) = app.post(&coordinator, "/api/v1/areas", &boundary).await;
    assert_eq!(status, 201, "{created}");
    let (_, after) = app.get(&coordinator, "/api/v1/hotspots?kind=drug_scene").await;
    assert_eq!(
        counted(&after),
        4,
        "cells outside the boundary are not analysed: {after}"
    );
    for cell in after["cells"].as_array().unwrap() {
        for corner in cell["boundary"].as_array().unwrap() {
            assert!(corner[1].as_f64().unwrap() < 17.76, "{cell}");
        }
    }

    // Named areas must lie inside it; one sharing its edge is fine.
    let outside = area("Brunna", "named", rectangle(17.83, 59.44, 17.87, 59.46));
    let (status, answer) = app.post(&coordinator, "/api/v1/areas", &outside).await;
    assert_eq!(status, 422);
    assert!(error_of(&answer).1.contains("kommungränsen"), "{answer}");
    let on_the_edge = area("Västra kanten", "named", rectangle(17.40, 59.45, 17.45, 59.50));
    assert_eq!(app.post(&coordinator, "/api/v1/areas", &on_the_edge).await.0, 201);

    // A new boundary replaces the old one; there is never more than one.
    let wider = area(
        "Upplands-Bro kommun",
        "municipality",
        rectangle(17.40, 59.40, 17.95, 59.62),
    );
    let (status, _) = app.post(&coordinator, "/api/v1/areas", &wider).await;
    assert_eq!(status, 201);
    let (_, listed) = app.get(&coordinator, "/api/v1/areas").await;
    let boundaries = listed
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "municipality")
        .count();
    assert_eq!(boundaries, 1, "{listed}");
    let (_, widened) = app.get(&coordinator, "/api/v1/hotspots?kind=drug_scene").await;
    assert_eq!(counted(&widened), 8, "the new boundary is used at once");
    let id = created["id"].as_str().unwrap();
    let path = format!("/api/v1/areas/{id}");
    assert_eq!(
        app.get(&coordinator, &path).await.0,
        404,
        "the replaced one is gone"
    );
    // A boundary cannot be turned into a named area (nor the other way).
    let current = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "municipality")
        .unwrap();
    let renamed = area("Kommunen", "named", rectangle(17.40, 59.40, 17.95, 59.62));
    let path = format!("/api/v1/areas/{}", current["id"].as_str().unwrap());
    let (status, answer) = app.send(&coordinator, Method::PUT, &path, Some(&renamed)).await;
    assert_eq!((status, error_of(&answer).0), (422, "kind"), "{answer}");
}

async fn areas_saved_at_the_same_moment_never_give_a_server_error(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let body = bro_centrum();
    let same_name = (0..6).map(|_| app.post(&coordinator, "/api/v1/areas", &body));
    let statuses: Vec<u16> = all_at_once(same_name).await;
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| [201, 422].contains(s)), "{statuses:?}");

    let boundaries = (0..6).map(|i| {
        let body = area(
            "Kommunen",
            "municipality",
            rectangle(17.40, 59.40, 17.80 + i as f64 * 0.01, 59.62),
        );
        let app = &app;
        let coordinator = &coordinator;
        async move { app.post(coordinator, "/api/v1/areas", &body).await }
    });
    let statuses: Vec<u16> = all_at_once(boundaries).await;
    assert!(statuses.iter().all(|s| [201, 409].contains(s)), "{statuses:?}");
    assert!(statuses.contains(&201));
    let (_, listed) = app.get(&coordinator, "/api/v1/areas").await;
    let kept = listed
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "municipality")
        .count();
    assert_eq!(kept, 1, "{listed}");
}

/// Runs the requests at once and returns their statuses in order.
async fn all_at_once<F>(requests: impl Iterator<Item = F>) -> Vec<u16>
where
    F: std::future::Future<Output = (u16, Value)>,
{
    futures::future::join_all(requests)
        .await
        .into_iter()
        .map(|(status, _)| status)
        .collect()
}

/// The pages' server functions answer a refused form with 422 and a missing record with
/// 404, as the REST API does, never with 500.
async fn a_form_the_page_sends_gets_the_status_of_its_error(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let send = |endpoint: &str, form: Vec<(&'static str, String)>| {
        coordinator
            .post(app.url(&format!("/api/{endpoint}")))
            .header("accept", "application/json")
            .form(&form)
            .send()
    };
    let bow_tie = json!({ "type": "Polygon", "coordinates": [[
        [17.6, 59.5], [17.7, 59.55], [17.7, 59.5], [17.6, 59.55], [17.6, 59.5]
    ]] });
    let form = vec![
        ("name", "Rosetten".to_owned()),
        ("kind", "named".to_owned()),
        ("geometry", bow_tie.to_string()),
    ];
    let refused = send("save_area", form).await.unwrap();
    assert_eq!(refused.status(), 422);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["Invalid"]["field"], "geometry", "{body}");

    let missing = send("remove_area", vec![("id", uuid::Uuid::now_v7().to_string())])
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    let unreadable = send("save_area", vec![("name", "Utan resten".to_owned())])
        .await
        .unwrap();
    assert_eq!(
        unreadable.status(),
        422,
        "a form that cannot be read is the sender's fault"
    );
}

/// An ellipse around Upplands-Bro with `points` corners, as a real boundary file has
/// thousands.
fn detailed(points: usize) -> Value {
    let mut ring: Vec<[f64; 2]> = (0..points)
        .map(|i| {
            let angle = i as f64 / points as f64 * std::f64::consts::TAU;
            [17.65 + 0.2 * angle.cos(), 59.5 + 0.1 * angle.sin()]
        })
        .collect();
    ring.push(ring[0]);
    json!({ "type": "Polygon", "coordinates": [ring] })
}

/// A municipality boundary of a few thousand points is larger than an ordinary request
/// may be; it is still taken, and one past the point limit is refused by name, not as
/// "too large".
async fn a_detailed_boundary_fits_and_a_too_detailed_one_is_refused_with_the_reason(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let boundary = area("Upplands-Bro kommun", "municipality", detailed(5_000));
    assert!(
        boundary.to_string().len() > 64 * 1024,
        "larger than an ordinary body"
    );
    let (status, answer) = app.post(&coordinator, "/api/v1/areas", &boundary).await;
    assert_eq!(
        status,
        201,
        "{}",
        answer.to_string().chars().take(300).collect::<String>()
    );
    let (status, answer) = app
        .post(
            &coordinator,
            "/api/v1/areas",
            &area("För detaljerad", "municipality", detailed(12_000)),
        )
        .await;
    assert_eq!(status, 422);
    assert!(error_of(&answer).1.contains("för många punkter"), "{answer}");
    // Other routes keep the small limit.
    let note = json!({ "body": "x".repeat(100 * 1024) });
    assert_eq!(app.post(&coordinator, "/api/v1/briefing", &note).await.0, 413);
}
