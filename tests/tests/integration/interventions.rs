//! Interventions (insatser) and their effect report: a drop planted inside an
//! intervention's area while the ring around it stays steady is found; a place where
//! nothing changed is not. Bad input is refused with the field named; only police and
//! coordinators keep interventions. Each test runs on SQLite and on PostgreSQL.

use app::domain::role::Role;
use serde_json::{json, Value};
use tryggkarta_tests::reports::{days_ago_ms, store, Report};
use tryggkarta_tests::{on_sqlite_and_postgres, TestApp};
use uuid::Uuid;

on_sqlite_and_postgres!(
    a_planted_drop_is_found_and_no_change_is_not,
    bad_interventions_are_refused_with_the_field_named,
    only_police_and_coordinators_keep_interventions,
);

const BRO: (f64, f64) = (59.5113, 17.6358);
const KUNGSANGEN: (f64, f64) = (59.4786, 17.7500);

fn day(offset: i64) -> String {
    (app::domain::clock::today() + chrono::TimeDelta::days(offset)).to_string()
}

/// `count` drug-dealing reports `north_m` metres north of `place`, spread over the days
/// `first..=last` ago.
fn reports(place: (f64, f64), north_m: f64, count: usize, days_ago: (i64, i64)) -> Vec<Report<'static>> {
    (0..count)
        .map(|i| {
            let span = days_ago.1 - days_ago.0 + 1;
            let ago = days_ago.0 + (i as i64 % span);
            Report::at(
                "drug.dealing",
                place.0 + north_m / 111_195.0 + (i % 5) as f64 * 0.00002,
                place.1,
                days_ago_ms(ago),
            )
        })
        .collect()
}

fn circle_at(place: (f64, f64), title: &str) -> Value {
    json!({
        "title": title,
        "strategy_area": "10",
        "focus": "Öppen droghandel vid pendeltågsstationen",
        "zone": { "shape": "circle", "lat": place.0, "lng": place.1, "radius_m": 300.0 },
        "starts_on": day(-30),
        "ends_on": day(-1),
    })
}

async fn a_planted_drop_is_found_and_no_change_is_not(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (police, police_id) = app.signed_in(Role::Police).await;
    // Before: days 32–58 ago; during: days 2–29 ago (the intervention runs 30 days).
    let mut planted = Vec::new();
    planted.extend(reports(BRO, 0.0, 24, (32, 58)));
    planted.extend(reports(BRO, 0.0, 4, (2, 29)));
    planted.extend(reports(BRO, 600.0, 20, (32, 58)));
    planted.extend(reports(BRO, 600.0, 21, (2, 29)));
    // Far away (outside both): counted by neither.
    planted.extend(reports(BRO, 3_000.0, 30, (2, 29)));
    // Kungsängen: nothing happens.
    planted.extend(reports(KUNGSANGEN, 0.0, 15, (32, 58)));
    planted.extend(reports(KUNGSANGEN, 0.0, 14, (2, 29)));
    planted.extend(reports(KUNGSANGEN, 600.0, 15, (32, 58)));
    planted.extend(reports(KUNGSANGEN, 600.0, 16, (2, 29)));
    store(&app, &police_id, &planted).await;

    let (status, bro) = app
        .post(
            &police,
            "/api/v1/interventions",
            &circle_at(BRO, "Ökad närvaro Bro"),
        )
        .await;
    assert_eq!(status, 201, "{bro}");
    let (status, report) = app
        .get(
            &police,
            &format!("/api/v1/interventions/{}/effect", bro["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(
        [
            &report["area_before"],
            &report["area_during"],
            &report["ring_before"],
            &report["ring_during"]
        ],
        [&json!(24), &json!(4), &json!(20), &json!(21)],
        "{report}"
    );
    assert_eq!(report["significant"], true, "{report}");
    assert!(report["ratio"].as_f64().unwrap() < 0.25);
    let verdict = report["verdict_sv"].as_str().unwrap();
    assert!(
        verdict.contains("minskade") && !verdict.contains("p ="),
        "{verdict}"
    );
    assert_eq!(report["during"]["from"], day(-30));
    assert_eq!(report["before"]["to"], day(-31));

    let (_, kungsangen) = app
        .post(
            &police,
            "/api/v1/interventions",
            &circle_at(KUNGSANGEN, "Kontroll Kungsängen"),
        )
        .await;
    let path = format!(
        "/api/v1/interventions/{}/effect",
        kungsangen["id"].as_str().unwrap()
    );
    let (_, control) = app.get(&police, &path).await;
    assert_eq!(control["significant"], false, "{control}");
    assert!(control["verdict_sv"].as_str().unwrap().contains("kan vara slump"));

    // A wider ring takes in more of the surroundings; a silly width is refused.
    let (status, _) = app.get(&police, &format!("{path}?ring_m=1000")).await;
    assert_eq!(status, 200);
    let (status, answer) = app.get(&police, &format!("{path}?ring_m=5")).await;
    assert_eq!((status, &answer["field"]), (422, &json!("ring_m")));

    let (_, listed) = app.get(&police, "/api/v1/interventions?strategy_area=10").await;
    assert_eq!(listed.as_array().unwrap().len(), 2);
}

async fn bad_interventions_are_refused_with_the_field_named(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let with = |field: &str, value: Value| {
        let mut body = circle_at(BRO, "Insats");
        body[field] = value;
        body
    };
    let bow_tie = json!({ "shape": "polygon", "geometry": { "type": "Polygon", "coordinates": [[
        [17.6, 59.5], [17.7, 59.55], [17.7, 59.5], [17.6, 59.55], [17.6, 59.5]
    ]] } });
    let cases = [
        (with("ends_on", json!(day(-40))), "ends_on"),
        (with("starts_on", json!("igår")), "starts_on"),
        (with("title", json!(" ")), "title"),
        (with("strategy_area", json!("7")), "strategy_area"),
        (
            with(
                "zone",
                json!({ "shape": "circle", "lat": 59.33, "lng": 18.07, "radius_m": 300.0 }),
            ),
            "zone",
        ),
        (
            with(
                "zone",
                json!({ "shape": "circle", "lat": 59.51, "lng": 17.63, "radius_m": 0.0 }),
            ),
            "zone",
        ),
        (with("zone", bow_tie), "zone"),
        (with("focus", json!("x\u{0}")), "focus"),
    ];
    for (body, field) in &cases {
        let (status, answer) = app.post(&coordinator, "/api/v1/interventions", body).await;
        assert_eq!(status, 422, "{body}: {answer}");
        assert_eq!(answer["field"], *field, "{answer}");
    }
    let (_, listed) = app.get(&coordinator, "/api/v1/interventions").await;
    assert_eq!(listed, json!([]), "nothing saved");

    // One that has not started has no effect yet, said in words.
    let (_, future) = app
        .post(
            &coordinator,
            "/api/v1/interventions",
            &with("starts_on", json!(day(10))),
        )
        .await;
    assert!(future["id"].is_null(), "ends before it starts: {future}");
    let mut later = with("starts_on", json!(day(10)));
    later["ends_on"] = json!(day(20));
    let (status, stored) = app.post(&coordinator, "/api/v1/interventions", &later).await;
    assert_eq!(status, 201, "{stored}");
    let path = format!("/api/v1/interventions/{}/effect", stored["id"].as_str().unwrap());
    let (status, answer) = app.get(&coordinator, &path).await;
    assert_eq!((status, &answer["field"]), (422, &json!("starts_on")), "{answer}");
}

async fn only_police_and_coordinators_keep_interventions(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let id = Uuid::now_v7();
    let mut body = circle_at(BRO, "Insats");
    body["id"] = json!(id);
    assert_eq!(
        app.post(&coordinator, "/api/v1/interventions", &body).await.0,
        201
    );
    assert_eq!(
        app.post(&coordinator, "/api/v1/interventions", &body).await.0,
        200,
        "a resend is the same one"
    );
    for role in [Role::Admin, Role::Volunteer, Role::Participant] {
        let (client, _) = app.signed_in(role).await;
        assert_eq!(app.get(&client, "/api/v1/interventions").await.0, 403, "{role}");
        assert_eq!(
            app.get(&client, &format!("/api/v1/interventions/{id}")).await.0,
            403,
            "{role}"
        );
        assert_eq!(
            app.get(&client, &format!("/api/v1/interventions/{id}/effect"))
                .await
                .0,
            403,
            "{role}"
        );
        let mut other = body.clone();
        other["id"] = json!(Uuid::now_v7());
        assert_eq!(
            app.post(&client, "/api/v1/interventions", &other).await.0,
            403,
            "{role}"
        );
    }
    let guessed = Uuid::now_v7();
    assert_eq!(
        app.get(&coordinator, &format!("/api/v1/interventions/{guessed}/effect"))
            .await
            .0,
        404
    );
    assert_eq!(
        app.get(&tryggkarta_tests::client(), "/api/v1/interventions")
            .await
            .0,
        401
    );
}
