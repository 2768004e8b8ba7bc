//! Field capture: observations arrive once however often a phone resends them, every
//! role sees exactly what it may, photos lose their metadata, and bad input is refused
//! with the field named. Each test runs on SQLite and on PostgreSQL.

use app::domain::role::Role;
use serde_json::{json, Value};
use tryggkarta_tests::{client, on_sqlite_and_postgres, TestApp};
use uuid::Uuid;

on_sqlite_and_postgres!(
    replaying_an_observation_returns_the_stored_record_and_a_changed_one_conflicts,
    drug_scene_reports_are_seen_only_by_police_coordinators_and_their_reporter,
    participants_join_by_code_and_see_only_their_own_walk,
    a_shift_records_its_track_once_and_sums_up_distance_and_observations,
    another_volunteers_shift_cannot_be_read_or_changed,
    photo_upload_strips_exif_gps_and_stays_private,
    bad_observations_are_refused_with_the_field_named,
    wrong_join_codes_are_explained_then_rate_limited,
    the_openapi_document_describes_routes_that_exist,
    coordinators_add_rename_and_retire_categories_without_code_changes,
    a_walk_planned_twice_with_one_id_is_planned_once,
    a_number_left_out_does_not_break_the_next_records,
    a_walks_drawn_route_is_kept_and_a_broken_one_refused,
);

fn now() -> String {
    app::domain::clock::rfc3339(chrono::Utc::now())
}

/// A drug-scene report in Bro, as a phone would send it.
fn drug_scene() -> Value {
    json!({
        "id": Uuid::now_v7(),
        "kind": "drug_scene",
        "category": "drug.dealing",
        "note": "Försäljning vid busshållplatsen på kvällar",
        "lat": 59.5113,
        "lng": 17.6358,
        "accuracy_m": 12.5,
        "position_source": "gps",
        "observed_at": now(),
        "time_of_day": "evening",
    })
}

fn finding(walk_id: &str) -> Value {
    json!({
        "id": Uuid::now_v7(),
        "kind": "walk_finding",
        "category": "walk.lighting",
        "note": "Trasig gatlampa",
        "lat": 59.4786,
        "lng": 17.7500,
        "accuracy_m": 8.0,
        "position_source": "manual",
        "observed_at": now(),
        "walk_id": walk_id,
        "rating": 1,
    })
}

async fn post(client: &reqwest::Client, app: &TestApp, path: &str, body: &Value) -> reqwest::Response {
    client.post(app.url(path)).json(body).send().await.unwrap()
}

async fn get_json<T: serde::de::DeserializeOwned>(client: &reqwest::Client, app: &TestApp, path: &str) -> T {
    client
        .get(app.url(path))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn status_of_get(client: &reqwest::Client, app: &TestApp, path: &str) -> u16 {
    client.get(app.url(path)).send().await.unwrap().status().as_u16()
}

async fn count_rows(app: &TestApp, id: &str) -> i64 {
    sqlx::query_scalar("select count(*) from observation where id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn create_walk(app: &TestApp, coordinator: &reqwest::Client, title: &str) -> Value {
    let response = post(
        coordinator,
        app,
        "/api/v1/walks",
        &json!({ "title": title, "area": "Bro centrum", "starts_at": now(), "light": "dark",
                 "route": "Stationen – skolan – parken", "invited": "boende, Upplands-Brohus" }),
    )
    .await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

async fn replaying_an_observation_returns_the_stored_record_and_a_changed_one_conflicts(
    database_url: String,
) {
    let app = TestApp::spawn(&database_url).await;
    let (police, _) = app.signed_in(Role::Police).await;
    let report = drug_scene();
    let id = report["id"].as_str().unwrap().to_owned();

    let first = post(&police, &app, "/api/v1/observations", &report).await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    assert_eq!(first["strategy_area"], "10");
    assert_eq!(first["sensitivity"], "restricted");

    // Only a coordinator may file it elsewhere; the replay below still matches, since
    // what the phone sent has not changed.
    let path = format!("/api/v1/observations/{id}");
    let change = json!({ "strategy_area": "11", "status": "acknowledged" });
    assert_eq!(
        police
            .patch(app.url(&path))
            .json(&change)
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let bad = coordinator
        .patch(app.url(&path))
        .json(&json!({ "strategy_area": "5" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        bad.status(),
        422,
        "area 5 works with named people and is not mapped"
    );
    let filed: Value = coordinator
        .patch(app.url(&path))
        .json(&change)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (filed["strategy_area"].as_str(), filed["status"].as_str()),
        (Some("11"), Some("acknowledged"))
    );

    let replay = post(&police, &app, "/api/v1/observations", &report).await;
    assert_eq!(replay.status(), 200);
    assert_eq!(replay.json::<Value>().await.unwrap(), filed);
    assert_eq!(count_rows(&app, &id).await, 1);

    let mut changed = report.clone();
    changed["note"] = json!("Något helt annat");
    let conflict = post(&police, &app, "/api/v1/observations", &changed).await;
    assert_eq!(conflict.status(), 409);
    let body: Value = conflict.json().await.unwrap();
    assert_eq!(body["error"], "conflict");
    assert!(body["message"].as_str().unwrap().contains("samma id"));
    let stored: Value = get_json(&police, &app, &format!("/api/v1/observations/{id}")).await;
    assert_eq!(stored["note"], report["note"], "the first version is kept");
}

async fn drug_scene_reports_are_seen_only_by_police_coordinators_and_their_reporter(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (reporter, _) = app.signed_in(Role::Volunteer).await;
    let report = drug_scene();
    assert_eq!(
        post(&reporter, &app, "/api/v1/observations", &report)
            .await
            .status(),
        201
    );
    let path = format!("/api/v1/observations/{}", report["id"].as_str().unwrap());

    assert_eq!(
        status_of_get(&reporter, &app, &path).await,
        200,
        "the reporter sees their own"
    );
    for (role, expected) in [
        (Role::Police, 200),
        (Role::Coordinator, 200),
        (Role::Volunteer, 404),
        (Role::Admin, 404),
        (Role::Participant, 404),
    ] {
        let (viewer, _) = app.signed_in(role).await;
        assert_eq!(
            status_of_get(&viewer, &app, &path).await,
            expected,
            "{role} reading a drug scene"
        );
        let listed: Vec<Value> = get_json(&viewer, &app, "/api/v1/observations").await;
        let sees_it = listed.iter().any(|o| o["id"] == report["id"]);
        assert_eq!(sees_it, expected == 200, "{role} listing");
    }
    assert_eq!(status_of_get(&client(), &app, &path).await, 401, "signed out");

    // A participant may not report drug scenes at all.
    let (participant, _) = app.signed_in(Role::Participant).await;
    assert_eq!(
        post(&participant, &app, "/api/v1/observations", &drug_scene())
            .await
            .status(),
        403
    );
}

async fn participants_join_by_code_and_see_only_their_own_walk(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let ours = create_walk(&app, &coordinator, "Kvällsvandring Bro").await;
    let other = create_walk(&app, &coordinator, "Kvällsvandring Kungsängen").await;
    let other_finding = finding(other["id"].as_str().unwrap());
    assert_eq!(
        post(&coordinator, &app, "/api/v1/observations", &other_finding)
            .await
            .status(),
        201
    );

    // A resident with no account joins with the code, typed sloppily.
    let resident = client();
    let code = ours["join_code"].as_str().unwrap().to_lowercase();
    let joined = post(
        &resident,
        &app,
        "/api/v1/walks/join",
        &json!({ "code": format!(" {code} ") }),
    )
    .await;
    assert_eq!(joined.status(), 200);
    assert_eq!(joined.json::<Value>().await.unwrap()["id"], ours["id"]);

    let mine = finding(ours["id"].as_str().unwrap());
    assert_eq!(
        post(&resident, &app, "/api/v1/observations", &mine)
            .await
            .status(),
        201
    );
    let into_other = finding(other["id"].as_str().unwrap());
    let refused = post(&resident, &app, "/api/v1/observations", &into_other).await;
    assert_eq!(refused.status(), 422);
    assert_eq!(refused.json::<Value>().await.unwrap()["field"], "walk_id");

    let walks: Vec<Value> = get_json(&resident, &app, "/api/v1/walks").await;
    assert_eq!(walks.len(), 1);
    // The join code is for those who host the walk: with it anyone could join and read
    // the findings. Neither participants nor volunteers are sent it.
    assert_eq!(walks[0]["join_code"], "", "{walks:?}");
    let (volunteer, _) = app.signed_in(Role::Volunteer).await;
    let seen: Vec<Value> = get_json(&volunteer, &app, "/api/v1/walks").await;
    assert!(seen.iter().all(|walk| walk["join_code"] == ""), "{seen:?}");
    let one: Value = get_json(
        &volunteer,
        &app,
        &format!("/api/v1/walks/{}", ours["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(one["join_code"], "");
    let planned: Vec<Value> = get_json(&coordinator, &app, "/api/v1/walks").await;
    assert!(planned
        .iter()
        .all(|walk| walk["join_code"].as_str().is_some_and(|code| !code.is_empty())));
    assert_eq!(
        status_of_get(
            &resident,
            &app,
            &format!("/api/v1/walks/{}", other["id"].as_str().unwrap())
        )
        .await,
        404
    );
    let guessed = format!("/api/v1/observations/{}", other_finding["id"].as_str().unwrap());
    assert_eq!(
        status_of_get(&resident, &app, &guessed).await,
        404,
        "guessing an id reveals nothing"
    );
    let listed: Vec<Value> = get_json(&resident, &app, "/api/v1/observations").await;
    assert_eq!(
        listed.iter().map(|o| o["id"].clone()).collect::<Vec<_>>(),
        vec![mine["id"].clone()]
    );

    // Other participants of the same walk see the finding too.
    let neighbour = client();
    post(&neighbour, &app, "/api/v1/walks/join", &json!({ "code": code })).await;
    let theirs: Vec<Value> = get_json(&neighbour, &app, "/api/v1/observations").await;
    assert_eq!(theirs.len(), 1);

    // Participants cannot plan walks, drive shifts or open lägesbild.
    assert_eq!(
        post(
            &resident,
            &app,
            "/api/v1/shifts",
            &json!({ "vehicle": "Grannstöd 1" })
        )
        .await
        .status(),
        403
    );
    assert_eq!(status_of_get(&resident, &app, "/lagesbild").await, 403);
    let qr = coordinator
        .get(app.url(&format!("/api/v1/walks/{}/qr.svg", ours["id"].as_str().unwrap())))
        .send()
        .await
        .unwrap();
    assert_eq!(qr.headers()["content-type"], "image/svg+xml");
    assert!(qr.text().await.unwrap().contains("<svg"));

    // A closed walk takes no new participants.
    let closed = post(
        &coordinator,
        &app,
        &format!("/api/v1/walks/{}/close", ours["id"].as_str().unwrap()),
        &json!({}),
    )
    .await;
    assert_eq!(closed.json::<Value>().await.unwrap()["closed"], true);
    let late = post(&client(), &app, "/api/v1/walks/join", &json!({ "code": code })).await;
    assert_eq!(late.status(), 422);
}

async fn a_shift_records_its_track_once_and_sums_up_distance_and_observations(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (driver, _) = app.signed_in(Role::Volunteer).await;
    let shift: Value = post(
        &driver,
        &app,
        "/api/v1/shifts",
        &json!({ "vehicle": "Grannstöd 1", "co_driver": "Lena" }),
    )
    .await
    .json()
    .await
    .unwrap();
    let id = shift["id"].as_str().unwrap();
    let start = chrono::Utc::now() - chrono::TimeDelta::minutes(10);
    let points: Vec<Value> = (0..5)
        .map(|i| {
            json!({
                "recorded_at": app::domain::clock::rfc3339(start + chrono::TimeDelta::seconds(30 * i)),
                "lat": 59.520 + 0.001 * i as f64, "lng": 17.64, "accuracy_m": 6.0
            })
        })
        .collect();
    let track = format!("/api/v1/shifts/{id}/track");
    let added: Value = post(&driver, &app, &track, &json!(points))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(added["added"], 5);
    let again: Value = post(&driver, &app, &track, &json!(points))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["added"], 0, "a resent batch adds nothing");

    let observation = json!({
        "id": Uuid::now_v7(), "kind": "patrol_observation", "category": "patrol.open_window",
        "lat": 59.522, "lng": 17.64, "accuracy_m": 6.0, "position_source": "gps",
        "observed_at": now(), "shift_id": id,
    });
    assert_eq!(
        post(&driver, &app, "/api/v1/observations", &observation)
            .await
            .status(),
        201
    );

    let summary: Value = post(&driver, &app, &format!("/api/v1/shifts/{id}/end"), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    let distance = summary["distance_m"].as_f64().unwrap();
    assert!(
        (440.0..450.0).contains(&distance),
        "four steps of about 111 m, got {distance}"
    );
    assert_eq!(summary["observations"], 1);
    assert!(summary["ended_at"].is_string());

    // The steering group's monthly follow-up adds it up; the driver cannot read it.
    let month = app::domain::clock::today().format("%Y-%m").to_string();
    assert_eq!(
        status_of_get(&driver, &app, &format!("/api/v1/shifts/report?month={month}")).await,
        403
    );
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let report: Value = get_json(
        &coordinator,
        &app,
        &format!("/api/v1/shifts/report?month={month}"),
    )
    .await;
    assert_eq!(report["shifts"].as_array().unwrap().len(), 1);
    assert_eq!(report["total_observations"], 1);
    assert!(
        (0.44..0.45).contains(&report["total_km"].as_f64().unwrap()),
        "{report}"
    );
    assert_eq!(report["observations_by_area"], json!([["6.2", 1]]));
    let csv = coordinator
        .get(app.url(&format!("/api/v1/shifts/report.csv?month={month}")))
        .send()
        .await
        .unwrap();
    assert!(csv.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains(&format!("grannstod-{month}.csv")));
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with("\u{feff}id;bil;start;slut;timmar;km;observationer"));
    assert!(csv.contains(";Grannstöd 1;"));
    let bad = coordinator
        .get(app.url("/api/v1/shifts/report?month=förra"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
}

async fn another_volunteers_shift_cannot_be_read_or_changed(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (driver, _) = app.signed_in(Role::Volunteer).await;
    let (other, _) = app.signed_in(Role::Volunteer).await;
    let (police, _) = app.signed_in(Role::Police).await;
    let shift: Value = post(
        &driver,
        &app,
        "/api/v1/shifts",
        &json!({ "vehicle": "Grannstöd 2" }),
    )
    .await
    .json()
    .await
    .unwrap();
    let id = shift["id"].as_str().unwrap();
    assert_eq!(
        status_of_get(&other, &app, &format!("/api/v1/shifts/{id}")).await,
        404
    );
    assert_eq!(
        post(&other, &app, &format!("/api/v1/shifts/{id}/end"), &json!({}))
            .await
            .status(),
        404
    );
    let observation = json!({
        "id": Uuid::now_v7(), "kind": "patrol_observation", "category": "patrol.sign",
        "lat": 59.52, "lng": 17.64, "position_source": "gps", "observed_at": now(), "shift_id": id,
    });
    assert_eq!(
        post(&other, &app, "/api/v1/observations", &observation)
            .await
            .status(),
        422
    );
    assert_eq!(
        status_of_get(&police, &app, &format!("/api/v1/shifts/{id}")).await,
        200
    );
}

/// A small JPEG carrying GPS coordinates in its EXIF block, as phone cameras write them.
fn jpeg_with_gps() -> Vec<u8> {
    use exif::experimental::Writer;
    use exif::{Field, In, Rational, Tag, Value as ExifValue};
    use image::ImageEncoder;
    let r = |n: u32| Rational::from((n, 1));
    let fields = [
        Field {
            tag: Tag::GPSLatitudeRef,
            ifd_num: In::PRIMARY,
            value: ExifValue::Ascii(vec![b"N".to_vec()]),
        },
        Field {
            tag: Tag::GPSLatitude,
            ifd_num: In::PRIMARY,
            value: ExifValue::Rational(vec![r(59), r(30), r(40)]),
        },
        Field {
            tag: Tag::GPSLongitudeRef,
            ifd_num: In::PRIMARY,
            value: ExifValue::Ascii(vec![b"E".to_vec()]),
        },
        Field {
            tag: Tag::GPSLongitude,
            ifd_num: In::PRIMARY,
            value: ExifValue::Rational(vec![r(17), r(38), r(9)]),
        },
    ];
    let mut writer = Writer::new();
    for field in &fields {
        writer.push_field(field);
    }
    let mut tiff = std::io::Cursor::new(Vec::new());
    writer.write(&mut tiff, false).unwrap();
    let mut jpeg = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90);
    encoder.set_exif_metadata(tiff.into_inner()).unwrap();
    let picture = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 120]));
    encoder
        .write_image(&picture, 64, 48, image::ExtendedColorType::Rgb8)
        .unwrap();
    jpeg
}

fn has_gps(jpeg: &[u8]) -> bool {
    match exif::Reader::new().read_from_container(&mut std::io::Cursor::new(jpeg)) {
        Ok(found) => found
            .fields()
            .any(|field| field.tag.context() == exif::Context::Gps),
        Err(exif::Error::NotFound(_)) => false,
        Err(err) => panic!("unreadable image: {err}"),
    }
}

async fn photo_upload_strips_exif_gps_and_stays_private(database_url: String) {
    use base64::Engine;
    let app = TestApp::spawn(&database_url).await;
    let (police, _) = app.signed_in(Role::Police).await;
    let report = drug_scene();
    post(&police, &app, "/api/v1/observations", &report).await;
    let original = jpeg_with_gps();
    assert!(has_gps(&original), "the test picture carries GPS");

    let photo_id = Uuid::now_v7();
    let upload = format!(
        "/api/v1/observations/{}/photos/{photo_id}",
        report["id"].as_str().unwrap()
    );
    let put = police
        .put(app.url(&upload))
        .header("content-type", "image/jpeg")
        .body(original.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 201);
    let again = police
        .put(app.url(&upload))
        .header("content-type", "image/jpeg")
        .body(original)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 201, "a resent photo is accepted once");

    let stored: String = sqlx::query_scalar("select data from photo where id = $1")
        .bind(photo_id.to_string())
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let stored = base64::engine::general_purpose::STANDARD.decode(stored).unwrap();
    assert!(!has_gps(&stored), "no GPS in the stored file");
    assert_eq!(image::load_from_memory(&stored).unwrap().width(), 64);

    let served = police
        .get(app.url(&format!("/api/v1/photos/{photo_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/jpeg");
    assert!(served.headers()["cache-control"]
        .to_str()
        .unwrap()
        .starts_with("private"));
    assert!(!has_gps(&served.bytes().await.unwrap()));
    let (volunteer, _) = app.signed_in(Role::Volunteer).await;
    assert_eq!(
        status_of_get(&volunteer, &app, &format!("/api/v1/photos/{photo_id}")).await,
        404
    );

    // A second photo: the record is listed once, with both.
    let second = Uuid::now_v7();
    let second_upload = format!(
        "/api/v1/observations/{}/photos/{second}",
        report["id"].as_str().unwrap()
    );
    let put = police
        .put(app.url(&second_upload))
        .body(jpeg_with_gps())
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 201);
    let listed: Vec<Value> = get_json(&police, &app, "/api/v1/observations").await;
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["photo_ids"], json!([photo_id, second]));

    let not_an_image = police
        .put(app.url(&format!(
            "/api/v1/observations/{}/photos/{}",
            report["id"].as_str().unwrap(),
            Uuid::now_v7()
        )))
        .header("content-type", "image/jpeg")
        .body("<html>inte en bild</html>")
        .send()
        .await
        .unwrap();
    assert_eq!(not_an_image.status(), 415);
    // A phone announcing more than 10 MB is refused before it sends a byte of the body.
    let too_big = response_to_headers_only(
        &app,
        &format!(
            "PUT {} HTTP/1.1",
            upload.replace(&photo_id.to_string(), &Uuid::now_v7().to_string())
        ),
        app::photo::MAX_PHOTO_BYTES + 1,
    )
    .await;
    assert!(too_big.starts_with("HTTP/1.1 413"), "{too_big}");
    assert!(too_big.contains("payload_too_large"), "{too_big}");
}

async fn bad_observations_are_refused_with_the_field_named(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (police, _) = app.signed_in(Role::Police).await;
    let future = app::domain::clock::rfc3339(chrono::Utc::now() + chrono::TimeDelta::hours(2));
    let cases: [(&str, Value, &str); 6] = [
        ("lat", json!(59.3293), "utanför kommunen"),
        ("accuracy_m", json!(-3.0), "Noggrannheten"),
        ("observed_at", json!(future), "framtiden"),
        ("category", json!("drug.unknown"), "Okänd kategori"),
        ("kind", json!(""), "kind"),
        ("lng", json!("öster"), "lng"),
    ];
    for (field, value, message) in cases {
        let mut report = drug_scene();
        report[field] = value;
        if field == "lat" {
            report["lng"] = json!(18.0686);
        }
        let response = post(&police, &app, "/api/v1/observations", &report).await;
        assert_eq!(response.status(), 422, "{field}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["field"], field, "{body}");
        assert!(body["message"].as_str().unwrap().contains(message), "{body}");
        assert_eq!(count_rows(&app, report["id"].as_str().unwrap()).await, 0);
    }
}

async fn wrong_join_codes_are_explained_then_rate_limited(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let guesser = client();
    let wrong = post(&guesser, &app, "/api/v1/walks/join", &json!({ "code": "AAAAAA" })).await;
    assert_eq!(wrong.status(), 422);
    assert!(wrong.json::<Value>().await.unwrap()["message"]
        .as_str()
        .unwrap()
        .contains("Koden stämmer inte"));
    for _ in 1..20 {
        post(&guesser, &app, "/api/v1/walks/join", &json!({ "code": "AAAAAA" })).await;
    }
    let blocked = post(&guesser, &app, "/api/v1/walks/join", &json!({ "code": "BBBBBB" })).await;
    assert_eq!(blocked.status(), 429);
}

async fn the_openapi_document_describes_routes_that_exist(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let doc: Value = client()
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"].as_str().unwrap().chars().next(), Some('3'));
    let paths = doc["paths"].as_object().unwrap();
    let mut operations = 0;
    for (path, methods) in paths {
        let concrete = path
            .replace("{id}", &Uuid::now_v7().to_string())
            .replace("{photo_id}", &Uuid::now_v7().to_string());
        for method in methods.as_object().unwrap().keys() {
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            // Signed out: a real route answers 401/422/200…, never 404 (no such route) or
            // 405 (no such method).
            let status = client()
                .request(method.clone(), app.url(&concrete))
                .send()
                .await
                .unwrap()
                .status();
            assert!(
                ![404, 405].contains(&status.as_u16()),
                "{method} {path} answered {status}"
            );
            operations += 1;
        }
    }
    assert!(operations >= 20, "only {operations} operations documented");
    for documented in [
        "/api/v1/observations",
        "/api/v1/observations/{id}/photos/{photo_id}",
        "/api/v1/walks/join",
        "/api/v1/shifts/{id}/track",
    ] {
        assert!(paths.contains_key(documented), "{documented} is documented");
    }
    let unknown = client().get(app.url("/api/v1/finns-inte")).send().await.unwrap();
    assert_eq!(unknown.status(), 404, "and an unknown route does answer 404");
}

async fn coordinators_add_rename_and_retire_categories_without_code_changes(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let (volunteer, _) = app.signed_in(Role::Volunteer).await;
    let new = json!({ "id": "walk.benches", "kind": "walk_finding", "label_sv": "Bänkar", "label_en": "Benches", "strategy_area": "4.2" });
    assert_eq!(
        post(&volunteer, &app, "/api/v1/categories", &new).await.status(),
        403
    );
    let added = post(&coordinator, &app, "/api/v1/categories", &new).await;
    assert_eq!(added.status(), 201);
    assert_eq!(added.json::<Value>().await.unwrap()["sensitivity"], "internal");
    assert_eq!(
        post(&coordinator, &app, "/api/v1/categories", &new)
            .await
            .status(),
        422,
        "ids are unique"
    );

    let renamed: Value = coordinator
        .patch(app.url("/api/v1/categories/walk.benches"))
        .json(&json!({ "label_sv": "Sittplatser" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(renamed["label_sv"], "Sittplatser");
    assert_eq!(renamed["label_en"], "Benches");

    let (participant, _) = app.signed_in(Role::Coordinator).await;
    let walk = create_walk(&app, &participant, "Vandring med bänkar").await;
    let mut finding = finding(walk["id"].as_str().unwrap());
    finding["category"] = json!("walk.benches");
    assert_eq!(
        post(&participant, &app, "/api/v1/observations", &finding)
            .await
            .status(),
        201
    );

    let retired = coordinator
        .patch(app.url("/api/v1/categories/walk.benches"))
        .json(&json!({ "retired": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(retired.status(), 200);
    let offered: Vec<Value> = get_json(&coordinator, &app, "/api/v1/categories").await;
    assert!(
        !offered.iter().any(|c| c["id"] == "walk.benches"),
        "a retired category is not offered"
    );
    let mut late = finding.clone();
    late["id"] = json!(Uuid::now_v7());
    assert_eq!(
        post(&participant, &app, "/api/v1/observations", &late)
            .await
            .status(),
        422
    );
    let kept = status_of_get(
        &participant,
        &app,
        &format!("/api/v1/observations/{}", finding["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(kept, 200, "old records keep their category");
}

/// Sends only the request line and headers (announcing `content_length` bytes of body)
/// and returns what the server answers: a server that judges by the headers answers at
/// once, and the test does not race the server closing the socket mid-upload.
async fn response_to_headers_only(app: &TestApp, request_line: &str, content_length: usize) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = format!(
        "{request_line}\r\nhost: {address}\r\ncontent-type: image/jpeg\r\ncontent-length: {content_length}\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = vec![0; 4096];
    let read = stream.read(&mut answer).await.unwrap();
    String::from_utf8_lossy(&answer[..read]).into_owned()
}

/// A double tap on "Planera", or a resend after a lost answer, sends the form's id twice
/// (also at the same moment): one walk, and the same answer; another planner's id is not
/// a way to read their walk.
async fn a_walk_planned_twice_with_one_id_is_planned_once(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let id = Uuid::now_v7();
    let walk = json!({ "id": id, "title": "Kvällsvandring Råby", "area": "Råby", "starts_at": now(), "light": "dark" });
    let (first, second) = tokio::join!(
        post(&coordinator, &app, "/api/v1/walks", &walk),
        post(&coordinator, &app, "/api/v1/walks", &walk)
    );
    let mut statuses = [first.status().as_u16(), second.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 201]);
    let (first, second): (Value, Value) = (first.json().await.unwrap(), second.json().await.unwrap());
    assert_eq!(first, second, "the same walk, with the same join code");
    let walks: Vec<Value> = get_json(&coordinator, &app, "/api/v1/walks").await;
    assert_eq!(
        walks
            .iter()
            .filter(|w| w["title"] == "Kvällsvandring Råby")
            .count(),
        1
    );

    let (other, _) = app.signed_in(Role::Coordinator).await;
    let taken = post(&other, &app, "/api/v1/walks", &walk).await;
    assert_eq!(taken.status(), 409);
    assert!(
        !taken.text().await.unwrap().contains("join_code"),
        "nothing of the walk"
    );
}

/// The route a coordinator draws on the map is what the participants and the protocol
/// show; a route that is no list of places, or one of absurd length, is refused with the
/// field named and nothing planned.
async fn a_walks_drawn_route_is_kept_and_a_broken_one_refused(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let route = json!([{ "lat": 59.5102, "lng": 17.6311 }, { "lat": 59.5121, "lng": 17.6342 }, { "lat": 59.5139, "lng": 17.6301 }]);
    let planned = post(
        &coordinator,
        &app,
        "/api/v1/walks",
        &json!({ "title": "Kvällsvandring Kungsängen", "area": "Kungsängen", "starts_at": now(),
                 "light": "dark", "route_path": route }),
    )
    .await;
    assert_eq!(planned.status(), 201);
    let planned: Value = planned.json().await.unwrap();
    let read: Value = get_json(
        &coordinator,
        &app,
        &format!("/api/v1/walks/{}", planned["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(read["route_path"], route);

    let walks_before: Vec<Value> = get_json(&coordinator, &app, "/api/v1/walks").await;
    let too_long: Vec<Value> = (0..=app::domain::walk::ROUTE_CORNERS_MAX)
        .map(|i| json!({ "lat": 59.5, "lng": 17.6 + i as f64 * 0.0001 }))
        .collect();
    for bad in [json!([{ "lat": 95.0, "lng": 17.6 }]), json!(too_long)] {
        let refused = post(
            &coordinator,
            &app,
            "/api/v1/walks",
            &json!({ "title": "Trasig rutt", "area": "Bro", "starts_at": now(), "light": "dark", "route_path": bad }),
        )
        .await;
        assert_eq!(refused.status(), 422);
        let body: Value = refused.json().await.unwrap();
        assert_eq!(body["field"], "route_path", "{body}");
    }
    let walks_after: Vec<Value> = get_json(&coordinator, &app, "/api/v1/walks").await;
    assert_eq!(walks_before.len(), walks_after.len(), "nothing half-planned");
}

/// A report without an accuracy (pinned on the map), an action without a place: PostgreSQL keeps the statement prepared with the parameter types of
/// its first use on a connection, and sqlx 0.8 sent a missing `f64` as a `real`
/// (`ssr::infra::db::Double`), so every later record with the number on that connection was
/// refused. The records after each must still be stored, one at a time and many at once.
async fn a_number_left_out_does_not_break_the_next_records(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (driver, _) = app.signed_in(Role::Volunteer).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;

    let without = || {
        let mut report = drug_scene();
        report["accuracy_m"] = Value::Null;
        report["position_source"] = json!("manual");
        report
    };
    let mut sent = vec![without(), without()];
    sent.extend((0..12).map(|_| drug_scene()));
    for report in &sent {
        let response = post(&driver, &app, "/api/v1/observations", report).await;
        assert_eq!(
            response.status(),
            201,
            "{report}: {}",
            response.text().await.unwrap()
        );
    }
    let together: Vec<Value> = (0..24)
        .map(|n| if n % 6 == 0 { without() } else { drug_scene() })
        .collect();
    let statuses = futures::future::join_all(
        together
            .iter()
            .map(|report| async { post(&driver, &app, "/api/v1/observations", report).await.status() }),
    )
    .await;
    assert!(statuses.iter().all(|status| *status == 201), "{statuses:?}");
    for report in sent.iter().chain(&together) {
        assert_eq!(count_rows(&app, report["id"].as_str().unwrap()).await, 1);
    }

    let placed = drug_scene();
    assert_eq!(
        post(&driver, &app, "/api/v1/observations", &placed)
            .await
            .status(),
        201
    );
    for source in [json!({ "kind": "none" }), json!({ "kind": "none" })]
        .into_iter()
        .chain((0..6).map(|_| json!({ "kind": "observation", "ref": placed["id"] })))
    {
        let action = json!({
            "title": "Belysning vid busshållplatsen", "party": "Upplands-Bro kommun",
            "owner": "Gatu- och parkavdelningen", "strategy_area": "3",
            "due_on": (chrono::Utc::now() + chrono::TimeDelta::days(14)).date_naive().to_string(),
            "source": source,
        });
        let (status, answer) = app.post(&coordinator, "/api/v1/actions", &action).await;
        assert_eq!(status, 201, "{action}: {answer}");
    }
}
