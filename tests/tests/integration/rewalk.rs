//! A re-walk (plan 4.2): a walk that follows up an earlier one shows, place by place, what
//! was found before, what was done about it, and what is found now. On SQLite and
//! PostgreSQL.

use app::domain::role::Role;
use serde_json::{json, Value};
use tryggkarta_tests::{on_sqlite_and_postgres, TestApp};
use uuid::Uuid;

on_sqlite_and_postgres!(a_rewalk_shows_each_earlier_place_with_its_action_and_what_is_there_now);

const BRO: (f64, f64) = (59.5113, 17.6358);

fn walk(title: &str, previous: Option<&Value>) -> Value {
    json!({
        "title": title,
        "area": "Bro centrum",
        "starts_at": app::domain::clock::rfc3339(chrono::Utc::now()),
        "light": "dark",
        "previous_walk_id": previous.map(|w| w["id"].clone()),
    })
}

/// A finding `north_m` metres north of Bro on `walk`; its id.
async fn finding(app: &TestApp, client: &reqwest::Client, walk: &Value, north_m: f64, note: &str) -> String {
    let id = Uuid::now_v7().to_string();
    let body = json!({
        "id": id, "kind": "walk_finding", "category": "walk.lighting", "rating": 1, "note": note,
        "lat": BRO.0 + north_m / 111_195.0, "lng": BRO.1, "accuracy_m": 5.0, "position_source": "gps",
        "observed_at": app::domain::clock::rfc3339(chrono::Utc::now()),
        "walk_id": walk["id"],
    });
    let (status, answer) = app.post(client, "/api/v1/observations", &body).await;
    assert_eq!(status, 201, "{answer}");
    id
}

async fn a_rewalk_shows_each_earlier_place_with_its_action_and_what_is_there_now(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let (_, first) = app
        .post(&coordinator, "/api/v1/walks", &walk("Höstvandring", None))
        .await;
    let tunnel = finding(&app, &coordinator, &first, 0.0, "Mörk gångtunnel").await;
    finding(&app, &coordinator, &first, 400.0, "Trasig lampa vid skolan").await;
    let action = json!({
        "title": "Ny belysning i tunneln", "party": "Upplands-Bro kommun", "owner": "Gatuavdelningen",
        "due_on": (chrono::Utc::now() + chrono::TimeDelta::days(20)).date_naive().to_string(),
        "source": { "kind": "observation", "ref": tunnel },
    });
    assert_eq!(app.post(&coordinator, "/api/v1/actions", &action).await.0, 201);

    let (status, second) = app
        .post(&coordinator, "/api/v1/walks", &walk("Återvandring", Some(&first)))
        .await;
    assert_eq!(status, 201, "{second}");
    assert_eq!(second["previous_walk_id"], first["id"]);
    finding(&app, &coordinator, &second, 12.0, "Fortfarande mörkt").await;
    finding(&app, &coordinator, &second, 900.0, "Nytt klotter").await;

    let path = format!("/api/v1/walks/{}/rewalk", second["id"].as_str().unwrap());
    let (status, report) = app.get(&coordinator, &path).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["previous"]["title"], "Höstvandring");
    let places = report["places"].as_array().unwrap();
    assert_eq!(places.len(), 2);
    let tunnel_place = places
        .iter()
        .find(|p| p["before"]["note"] == "Mörk gångtunnel")
        .unwrap();
    assert_eq!(tunnel_place["actions"][0]["title"], "Ny belysning i tunneln");
    assert_eq!(tunnel_place["now"][0]["note"], "Fortfarande mörkt");
    let school = places
        .iter()
        .find(|p| p["before"]["note"] == "Trasig lampa vid skolan")
        .unwrap();
    assert_eq!(school["now"], json!([]), "nothing found there now");
    assert_eq!(report["new_findings"].as_array().unwrap().len(), 1);
    assert_eq!(report["new_findings"][0]["note"], "Nytt klotter");

    // At 5 m the finding 12 m from the tunnel is a new place; beyond 500 m is refused.
    let (_, narrow) = app.get(&coordinator, &format!("{path}?distance_m=5")).await;
    assert_eq!(narrow["new_findings"].as_array().unwrap().len(), 2);
    let (status, answer) = app.get(&coordinator, &format!("{path}?distance_m=5000")).await;
    assert_eq!((status, &answer["field"]), (422, &json!("distance_m")));

    // The first walk follows up nothing; an unknown earlier walk is refused.
    let (status, _) = app
        .get(
            &coordinator,
            &format!("/api/v1/walks/{}/rewalk", first["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(status, 404);
    let mut unknown = walk("Gissad", None);
    unknown["previous_walk_id"] = json!(Uuid::now_v7());
    let (status, answer) = app.post(&coordinator, "/api/v1/walks", &unknown).await;
    assert_eq!(
        (status, &answer["field"]),
        (422, &json!("previous_walk_id")),
        "{answer}"
    );
    // Volunteers do not read protocols.
    let (volunteer, _) = app.signed_in(Role::Volunteer).await;
    assert_eq!(app.get(&volunteer, &path).await.0, 403);
}
