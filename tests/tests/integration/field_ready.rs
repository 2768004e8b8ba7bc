//! What a field trial of the release build found, each as a test that fails while the
//! defect is there: NUL characters that gave 500 on PostgreSQL, track batches that
//! deadlocked, a briefing readable by walk participants, a shift report counting restricted
//! reports for an admin, cross-site requests that were accepted, and an OpenAPI document
//! that did not list what the routes answer. Each runs on SQLite and PostgreSQL.

use app::domain::role::Role;
use serde_json::{json, Value};
use tryggkarta_tests::reports::{drug_scene, now_rfc3339};
use tryggkarta_tests::{on_sqlite_and_postgres, TestApp};
use uuid::Uuid;

on_sqlite_and_postgres!(
    text_with_a_nul_character_is_refused_with_the_field_named,
    track_batches_sent_at_once_in_opposite_orders_all_succeed,
    a_shift_started_again_is_one_shift_and_times_from_the_phone_are_checked,
    missing_files_are_never_cached_for_good,
    the_briefing_is_for_drivers_police_and_coordinators_only,
    the_shift_report_counts_only_what_the_viewer_may_read,
    requests_from_another_site_are_refused_on_every_kind_of_route,
    the_openapi_document_lists_what_the_routes_answer,
);

fn now() -> String {
    now_rfc3339()
}

fn rfc3339(at: chrono::DateTime<chrono::Utc>) -> String {
    app::domain::clock::rfc3339(at)
}

async fn text_with_a_nul_character_is_refused_with_the_field_named(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (police, _) = app.signed_in(Role::Police).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let stored = drug_scene();
    assert_eq!(app.post(&police, "/api/v1/observations", &stored).await.0, 201);
    let shift = app.start_shift(&police).await;
    let (_, meeting) = app
        .post(
            &police,
            "/api/v1/meetings",
            &json!({ "held_on": "2026-11-20", "organisations": "Polisen", "query": {} }),
        )
        .await;
    let observation_with = |field: &str| {
        let mut body = drug_scene();
        body[field] = json!(format!("{}\u{0}", body[field].as_str().unwrap()));
        body
    };
    let cases: Vec<(&reqwest::Client, reqwest::Method, String, Value, &str)> = vec![
        (
            &police,
            reqwest::Method::POST,
            "/api/v1/observations".into(),
            observation_with("note"),
            "note",
        ),
        (
            &police,
            reqwest::Method::POST,
            "/api/v1/observations".into(),
            observation_with("category"),
            "category",
        ),
        (
            &police,
            reqwest::Method::POST,
            format!("/api/v1/observations/{}/note", stored["id"].as_str().unwrap()),
            json!({ "note": "Tillägg\u{0}" }),
            "note",
        ),
        (
            &police,
            reqwest::Method::POST,
            "/api/v1/shifts".into(),
            json!({ "vehicle": "Bil\u{0}1" }),
            "vehicle",
        ),
        (
            &police,
            reqwest::Method::POST,
            "/api/v1/shifts".into(),
            json!({ "vehicle": "Bil 1", "co_driver": "\u{0}" }),
            "co_driver",
        ),
        (
            &coordinator,
            reqwest::Method::POST,
            "/api/v1/walks".into(),
            json!({ "title": "Vandring\u{0}", "area": "Bro", "starts_at": now(), "light": "dark" }),
            "title",
        ),
        (
            &police,
            reqwest::Method::PATCH,
            format!("/api/v1/meetings/{}", meeting["id"].as_str().unwrap()),
            json!({ "decisions": "Beslut\u{0}" }),
            "decisions",
        ),
        (
            &police,
            reqwest::Method::POST,
            format!("/api/v1/shifts/{shift}/track"),
            json!([{ "recorded_at": now(), "lat": 59.5, "lng": 17.6, "accuracy_m": 5.0, "extra": "\u{0}" }]),
            "[0].extra",
        ),
    ];
    for (client, method, path, body, field) in cases {
        let (status, answer) = app.send(client, method, &path, Some(&body)).await;
        assert_eq!(status, 422, "{path} {field}: {answer}");
        assert_eq!(answer["field"], field, "{path}: {answer}");
        assert!(answer["message"].as_str().unwrap().contains("NUL"), "{answer}");
    }
    // Signing in needs no account: the email field is checked before anything else.
    let (status, answer) = app
        .post(
            &tryggkarta_tests::client(),
            "/api/v1/session",
            &json!({ "email": "polis\u{0}@example.se", "password": "x" }),
        )
        .await;
    assert_eq!(
        (status, answer["field"].as_str()),
        (422, Some("email")),
        "{answer}"
    );
    let form = tryggkarta_tests::client()
        .post(app.url("/logga-in"))
        .form(&[("email", "a\u{0}@b.se"), ("password", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 422);
    let query = police
        .get(app.url("/api/v1/hotspots?category=drug%00"))
        .send()
        .await
        .unwrap();
    assert_eq!(query.status(), 422);
    // Nothing was stored: only the one clean report.
    let count: i64 = sqlx::query_scalar("select count(*) from observation")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(count, 1);
}

async fn track_batches_sent_at_once_in_opposite_orders_all_succeed(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (driver, _) = app.signed_in(Role::Volunteer).await;
    let shift = app.start_shift(&driver).await;
    let start = chrono::Utc::now() - chrono::TimeDelta::minutes(30);
    let points: Vec<Value> = (0..200)
        .map(|i| {
            json!({
                "recorded_at": rfc3339(start + chrono::TimeDelta::seconds(5 * i)),
                "lat": 59.5 + i as f64 * 0.0001,
                "lng": 17.6,
                "accuracy_m": 8.0,
            })
        })
        .collect();
    let reversed: Vec<Value> = points.iter().rev().cloned().collect();
    let url = app.url(&format!("/api/v1/shifts/{shift}/track"));
    let mut sends = Vec::new();
    for i in 0..20 {
        let batch = json!(if i % 2 == 0 { &points } else { &reversed });
        let (driver, url) = (driver.clone(), url.clone());
        sends.push(tokio::spawn(async move {
            let response = driver.post(url).json(&batch).send().await.unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        }));
    }
    for send in sends {
        let (status, body) = send.await.unwrap();
        assert_eq!(status, 200, "{body}");
    }
    let stored: i64 = sqlx::query_scalar("select count(*) from track_point where shift_id = $1")
        .bind(&shift)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, 200, "every point once");
}

async fn a_shift_started_again_is_one_shift_and_times_from_the_phone_are_checked(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (driver, _) = app.signed_in(Role::Volunteer).await;
    let id = Uuid::now_v7();
    // Whole seconds: times are stored to the millisecond.
    let started = app::domain::clock::from_unix_ms(
        (chrono::Utc::now() - chrono::TimeDelta::minutes(20)).timestamp() * 1000,
    )
    .unwrap();
    let start = json!({ "id": id, "vehicle": "Grannstöd 3", "started_at": rfc3339(started) });
    // The phone sends its start again and again (answers lost in a dead zone), at once.
    let mut sends = Vec::new();
    for _ in 0..8 {
        let (app_url, driver, start) = (app.url("/api/v1/shifts"), driver.clone(), start.clone());
        sends.push(tokio::spawn(async move {
            driver
                .post(app_url)
                .json(&start)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for send in sends {
        statuses.push(send.await.unwrap());
    }
    statuses.sort_unstable();
    assert_eq!(
        statuses,
        [200, 200, 200, 200, 200, 200, 200, 201],
        "one new shift, the rest replays"
    );
    let (_, summary) = app.get(&driver, &format!("/api/v1/shifts/{id}")).await;
    assert_eq!(
        summary["started_at"],
        json!(rfc3339(started)),
        "the phone's start time"
    );

    // Someone else's id is a conflict that says nothing about that shift.
    let (other, _) = app.signed_in(Role::Volunteer).await;
    let (status, answer) = app.post(&other, "/api/v1/shifts", &start).await;
    assert_eq!(status, 409, "{answer}");
    assert!(!answer.to_string().contains("Grannstöd 3"));

    // Times from a wrong clock are refused with the field named.
    let future = rfc3339(chrono::Utc::now() + chrono::TimeDelta::hours(2));
    let (status, answer) = app
        .post(
            &driver,
            "/api/v1/shifts",
            &json!({ "vehicle": "Bil", "started_at": future }),
        )
        .await;
    assert_eq!(
        (status, answer["field"].as_str()),
        (422, Some("started_at")),
        "{answer}"
    );
    let before_start = rfc3339(started - chrono::TimeDelta::minutes(1));
    let (status, answer) = app
        .post(
            &driver,
            &format!("/api/v1/shifts/{id}/end"),
            &json!({ "ended_at": before_start }),
        )
        .await;
    assert_eq!(
        (status, answer["field"].as_str()),
        (422, Some("ended_at")),
        "{answer}"
    );
    let (status, ended) = app
        .post(&driver, &format!("/api/v1/shifts/{id}/end"), &json!({}))
        .await;
    assert_eq!(status, 200, "{ended}");
    assert!(ended["ended_at"].is_string());
    let count: i64 = sqlx::query_scalar("select count(*) from shift")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(count, 1);
}

async fn missing_files_are_never_cached_for_good(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let missing = tryggkarta_tests::client()
        .get(app.url(&format!("{}/borta.js", app::ui::assets::LEAFLET)))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    let cache = missing
        .headers()
        .get("cache-control")
        .map(|value| value.to_str().unwrap().to_owned());
    assert!(
        !cache.as_deref().unwrap_or("").contains("immutable"),
        "a 404 must not be kept for a year: {cache:?}"
    );
}

async fn the_briefing_is_for_drivers_police_and_coordinators_only(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (police, _) = app.signed_in(Role::Police).await;
    let (status, _) = app
        .post(
            &police,
            "/api/v1/briefing",
            &json!({ "body": "Håll utkik efter en vit skåpbil vid Kockbacka." }),
        )
        .await;
    assert_eq!(status, 201);
    for (role, expected) in [
        (Role::Volunteer, 200),
        (Role::Coordinator, 200),
        (Role::Police, 200),
        (Role::Participant, 403),
        (Role::Admin, 403),
    ] {
        let (client, _) = app.signed_in(role).await;
        let response = client.get(app.url("/api/v1/briefing")).send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        assert_eq!(status, expected, "{role}: {text}");
        assert_eq!(text.contains("skåpbil"), expected == 200, "{role}: {text}");
    }
}

async fn the_shift_report_counts_only_what_the_viewer_may_read(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (driver, _) = app.signed_in(Role::Volunteer).await;
    let shift = app.start_shift(&driver).await;
    let mut report = drug_scene();
    report["shift_id"] = json!(shift);
    let (status, answer) = app.post(&driver, "/api/v1/observations", &report).await;
    assert_eq!(status, 201, "{answer}");
    let month = app::ui::format::stockholm_date(chrono::Utc::now())[..7].to_owned();
    let counts = |report: &Value| {
        (
            report["total_observations"].as_i64().unwrap(),
            report["shifts"][0]["observations"].as_i64().unwrap(),
            report.to_string().contains("\"10\""),
        )
    };
    let (police, _) = app.signed_in(Role::Police).await;
    let (admin, _) = app.signed_in(Role::Admin).await;
    let path = format!("/api/v1/shifts/report?month={month}");
    let (_, for_police) = app.get(&police, &path).await;
    assert_eq!(
        counts(&for_police),
        (1, 1, true),
        "police see the report: {for_police}"
    );
    let (_, for_admin) = app.get(&admin, &path).await;
    assert_eq!(
        counts(&for_admin),
        (0, 0, false),
        "a restricted report leaves no trace for an admin: {for_admin}"
    );
}

async fn requests_from_another_site_are_refused_on_every_kind_of_route(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let (email, password) = app.add_user(Role::Police).await;
    let evil = "https://evil.example";
    let own = app.address.clone();
    let attempts: Vec<(&str, reqwest::RequestBuilder)> = vec![
        (
            "JSON post to the briefing",
            coordinator
                .post(app.url("/api/v1/briefing"))
                .json(&json!({ "body": "Falsk information" })),
        ),
        (
            "JSON post to the categories",
            coordinator.post(app.url("/api/v1/categories")).json(
                &json!({ "id": "walk.evil", "kind": "walk_finding", "label_sv": "Ond", "label_en": "Evil" }),
            ),
        ),
        (
            "form post to a server function",
            coordinator
                .post(app.url("/api/write_briefing"))
                .form(&[("body", "Falsk information")]),
        ),
        (
            "sign-in form (login CSRF)",
            tryggkarta_tests::client()
                .post(app.url("/logga-in"))
                .form(&[("email", email.as_str()), ("password", password.as_str())]),
        ),
        (
            "join form",
            tryggkarta_tests::client()
                .post(app.url("/vandring"))
                .form(&[("kod", "ABCDEF")]),
        ),
    ];
    for (what, request) in attempts {
        let same = request.try_clone().unwrap();
        let response = request.header("origin", evil).send().await.unwrap();
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert_eq!(status, 403, "{what}: {body}");
        assert_eq!(body["error"], "cross_site", "{what}");
        // Browsers that say so with Sec-Fetch-Site instead are refused the same way.
        let fetch_site = same.try_clone().unwrap();
        let status = fetch_site
            .header("sec-fetch-site", "cross-site")
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 403, "{what} (Sec-Fetch-Site)");
        // From our own pages the same request goes through to the route's own checks.
        let status = same
            .header("origin", &own)
            .header("sec-fetch-site", "same-origin")
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        assert_ne!(status, 403, "{what} from this site");
    }
    let briefing_count: i64 = sqlx::query_scalar("select count(*) from briefing where body like 'Falsk%'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(briefing_count, 2, "only the two same-site writes landed");
}

async fn the_openapi_document_lists_what_the_routes_answer(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (_, doc) = app.get(&tryggkarta_tests::client(), "/api/v1/openapi.json").await;
    for path in [
        "/api/v1/hotspots/cells.geojson",
        "/api/v1/export/observations.geojson",
    ] {
        let schema =
            &doc["paths"][path]["get"]["responses"]["200"]["content"]["application/geo+json"]["schema"];
        assert_eq!(
            schema["$ref"], "#/components/schemas/FeatureCollection",
            "{path}: {schema}"
        );
    }
    let collection = &doc["components"]["schemas"]["FeatureCollection"];
    assert_eq!(collection["type"], "object");
    assert!(collection["properties"]["features"].is_object(), "{collection}");

    // Hostile requests against every route: each answer must be one the document lists.
    let (police, _) = app.signed_in(Role::Police).await;
    let documented = |path: &str, method: &str, status: u16| {
        doc["paths"][path][method]["responses"]
            .get(status.to_string())
            .is_some()
    };
    let mut checked = 0;
    for hostile_query in [true, false] {
        for (path, item) in doc["paths"].as_object().unwrap() {
            for method in ["get", "post", "put", "patch", "delete"] {
                if item.get(method).is_none() || path == "/api/v1/session" {
                    continue;
                }
                let concrete = path
                    .replace("{photo_id}", &Uuid::now_v7().to_string())
                    .replace("{id}", "not-an-id");
                let query = if hostile_query { "?kind=%00" } else { "" };
                let url = app.url(&format!("{concrete}{query}"));
                let request = police.request(method.to_uppercase().parse().unwrap(), url);
                let request = if method == "get" || method == "delete" {
                    request
                } else {
                    request.json(&if hostile_query {
                        json!({ "x": "\u{0}" })
                    } else {
                        json!({ "id": 1, "note": 7, "points": "none" })
                    })
                };
                let status = request.send().await.unwrap().status().as_u16();
                assert!(status < 500, "{method} {path}: {status}");
                assert!(
                    documented(path, method, status),
                    "{method} {path}{query} answered {status}, not in the document"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 60, "{checked} operations");
}
