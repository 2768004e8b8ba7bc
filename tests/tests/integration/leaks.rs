//! What a request must not reveal about records its sender may not read (issue 19, "the
//! last leaks"): each test here failed while its leak was there. Every role, on SQLite
//! and PostgreSQL.

use app::domain::role::Role;
use reqwest::Method;
use serde_json::{json, Value};
use tryggkarta_tests::reports::{days_ago_ms, drug_scene, now_rfc3339, store, Report};
use tryggkarta_tests::{client, on_sqlite_and_postgres, page_text, rectangle, TestApp};
use uuid::Uuid;

on_sqlite_and_postgres!(
    an_id_held_by_a_record_one_may_not_read_answers_like_a_fresh_one,
    the_audit_log_tells_those_who_may_not_read_restricted_reports_nothing_of_them,
    restricted_reports_never_count_in_an_alert,
    a_small_areas_name_does_not_undo_a_generalised_focus_place,
);

/// A JPEG of one colour, as a phone would send it.
fn picture(colour: [u8; 3]) -> Vec<u8> {
    use image::ImageEncoder;
    let picture = image::RgbImage::from_pixel(32, 24, image::Rgb(colour));
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .write_image(&picture, 32, 24, image::ExtendedColorType::Rgb8)
        .unwrap();
    jpeg
}

/// The colour of a served photo's first pixel.
fn colour_of(jpeg: &[u8]) -> [u8; 3] {
    image::load_from_memory(jpeg).unwrap().to_rgb8().get_pixel(0, 0).0
}

fn close_to(colour: [u8; 3], expected: [u8; 3]) -> bool {
    colour.iter().zip(expected).all(|(&a, b)| a.abs_diff(b) < 24)
}

const BLUE: [u8; 3] = [20, 40, 220];
const RED: [u8; 3] = [220, 30, 30];

async fn put_photo(
    app: &TestApp,
    client: &reqwest::Client,
    observation: &str,
    photo: &str,
    jpeg: Vec<u8>,
) -> (u16, Value) {
    let response = client
        .put(app.url(&format!("/api/v1/observations/{observation}/photos/{photo}")))
        .header("content-type", "image/jpeg")
        .body(jpeg)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn photo_bytes(app: &TestApp, client: &reqwest::Client, photo: &str) -> (u16, Vec<u8>) {
    let response = client
        .get(app.url(&format!("/api/v1/photos/{photo}")))
        .send()
        .await
        .unwrap();
    (
        response.status().as_u16(),
        response.bytes().await.unwrap().to_vec(),
    )
}

/// `POST /api/v1/observations` with the id of a drug-scene report the sender may not read
/// answered 409 where a fresh id answered 201, and a photo id of someone else's photo
/// 409 against 201 (docs/security.md: anything one may not see answers like an id that
/// does not exist). Now each answer, and every read after it, is the same for the taken
/// id as for a fresh one, for every role; the first report and its photo stay as they
/// were.
async fn an_id_held_by_a_record_one_may_not_read_answers_like_a_fresh_one(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (police, _) = app.signed_in(Role::Police).await;
    let secret = drug_scene();
    let secret_id = secret["id"].as_str().unwrap().to_owned();
    let (status, _) = app.post(&police, "/api/v1/observations", &secret).await;
    assert_eq!(status, 201);
    let secret_photo = Uuid::now_v7().to_string();
    assert_eq!(
        put_photo(&app, &police, &secret_id, &secret_photo, picture(BLUE))
            .await
            .0,
        201
    );

    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let (status, walk) = app
        .post(
            &coordinator,
            "/api/v1/walks",
            &json!({ "title": "Kvällsvandring", "area": "Bro", "starts_at": now_rfc3339(), "light": "dark" }),
        )
        .await;
    assert_eq!(status, 201, "{walk}");
    let participant = client();
    let (status, _) = app
        .post(
            &participant,
            "/api/v1/walks/join",
            &json!({ "code": walk["join_code"] }),
        )
        .await;
    assert!(status == 200 || status == 201);
    let mut senders = vec![(Role::Participant, participant), (Role::Coordinator, coordinator)];
    for role in [Role::Admin, Role::Police, Role::Volunteer] {
        senders.push((role, app.signed_in(role).await.0));
    }

    for (role, sender) in &senders {
        let finding = |id: &str| {
            json!({
                "id": id, "kind": "walk_finding", "category": "walk.lighting", "note": format!("Mörkt ({role})"),
                "lat": 59.4786, "lng": 17.75, "position_source": "manual", "observed_at": now_rfc3339(),
                "walk_id": walk["id"], "rating": 1,
            })
        };
        let fresh_id = Uuid::now_v7().to_string();
        let (taken_status, taken) = app
            .post(sender, "/api/v1/observations", &finding(&secret_id))
            .await;
        let (fresh_status, fresh) = app
            .post(sender, "/api/v1/observations", &finding(&fresh_id))
            .await;
        assert_eq!(
            (taken_status, fresh_status),
            (201, 201),
            "{role}: {taken} / {fresh}"
        );
        let without_id_and_time = |mut record: Value| {
            record["id"] = Value::Null;
            record["observed_at"] = Value::Null;
            record
        };
        assert_eq!(taken["id"], json!(secret_id), "{role}");
        assert_eq!(
            without_id_and_time(taken.clone()),
            without_id_and_time(fresh.clone()),
            "{role}"
        );

        // Read back, each is the sender's own, under the id the sender gave it.
        for (id, sent) in [(&secret_id, &taken), (&fresh_id, &fresh)] {
            let (status, read) = app.get(sender, &format!("/api/v1/observations/{id}")).await;
            assert_eq!((status, &read), (200, sent), "{role} reads {id}");
        }
        let (_, listed) = app
            .get(
                sender,
                &format!("/api/v1/observations?walk_id={}", walk["id"].as_str().unwrap()),
            )
            .await;
        let mine: Vec<&Value> = listed
            .as_array()
            .unwrap()
            .iter()
            .filter(|record| record["note"] == json!(format!("Mörkt ({role})")))
            .map(|record| &record["id"])
            .collect();
        assert_eq!(mine.len(), 2, "{role}: {listed}");
        assert!(
            mine.contains(&&json!(secret_id)) && mine.contains(&&json!(fresh_id)),
            "{role}"
        );

        // A photo under the id of the police's photo, and one under a fresh id.
        let fresh_photo = Uuid::now_v7().to_string();
        let taken_upload = put_photo(&app, sender, &secret_id, &secret_photo, picture(RED)).await;
        let fresh_upload = put_photo(&app, sender, &fresh_id, &fresh_photo, picture(RED)).await;
        assert_eq!(taken_upload.0, 201, "{role}: {taken_upload:?}");
        assert_eq!(fresh_upload.0, 201, "{role}: {fresh_upload:?}");
        assert_eq!(taken_upload.1, fresh_upload.1, "{role}");
        for (observation, photo) in [(&secret_id, &secret_photo), (&fresh_id, &fresh_photo)] {
            let (_, read) = app
                .get(sender, &format!("/api/v1/observations/{observation}"))
                .await;
            assert_eq!(read["photo_ids"], json!([photo]), "{role}");
            let (status, jpeg) = photo_bytes(&app, sender, photo).await;
            assert_eq!(status, 200, "{role}");
            assert!(close_to(colour_of(&jpeg), RED), "{role} gets their own photo");
        }
    }

    // The police's report and photo are as they were.
    let (status, read) = app
        .get(&police, &format!("/api/v1/observations/{secret_id}"))
        .await;
    assert_eq!(
        (status, &read["note"], &read["kind"]),
        (200, &secret["note"], &json!("drug_scene"))
    );
    assert_eq!(read["photo_ids"], json!([secret_photo]));
    let (status, jpeg) = photo_bytes(&app, &police, &secret_photo).await;
    assert_eq!(status, 200);
    assert!(close_to(colour_of(&jpeg), BLUE), "the police's own photo");
}

/// After a coordinator exported one day's drug-scene reports of one category, the admin's
/// log showed `data.restricted_read` "1 st" with the report's id beside the export's
/// query: a count under three, and a dated report, for a role that may see neither. Now
/// the log an admin reads (page and CSV) holds nothing of restricted reads, so it is the
/// same whether the export held restricted reports or not; the whole log, with them, is
/// read on the server (`tryggkarta audit`).
async fn the_audit_log_tells_those_who_may_not_read_restricted_reports_nothing_of_them(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (admin, _) = app.signed_in(Role::Admin).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    // The export's days are Stockholm's: between midnight there and in UTC they differ.
    let today = app::domain::clock::today().to_string();
    let export = format!(
        "/api/v1/export/observations.csv?kind=drug_scene&category=drug.dealing&from={today}&to={today}"
    );
    let admins_log = || async {
        let (status, log) = app.get(&admin, "/api/v1/audit").await;
        assert_eq!(status, 200);
        let csv = admin
            .get(app.url("/api/v1/audit.csv"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        (log, csv)
    };

    // An export that held no restricted report, as the admin's log shows it.
    assert_eq!(
        coordinator.get(app.url(&export)).send().await.unwrap().status(),
        200
    );
    let (before, _) = admins_log().await;

    let (police, _) = app.signed_in(Role::Police).await;
    let report = drug_scene();
    let report_id = report["id"].as_str().unwrap().to_owned();
    assert_eq!(app.post(&police, "/api/v1/observations", &report).await.0, 201);
    // The same export, now with one, and the report read on its own.
    let csv = coordinator
        .get(app.url(&export))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        csv.contains(&report_id),
        "the coordinator's export holds the report"
    );
    assert_eq!(
        app.get(&coordinator, &format!("/api/v1/observations/{report_id}"))
            .await
            .0,
        200
    );

    let (after, after_csv) = admins_log().await;
    let actions = |log: &Value| -> Vec<String> {
        log.as_array()
            .unwrap()
            .iter()
            .map(|entry| entry["action"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(
        !actions(&after)
            .iter()
            .any(|action| action == "data.restricted_read"),
        "{after}"
    );
    for text in [after.to_string(), after_csv.clone()] {
        assert!(!text.contains(&report_id), "the report's id: {text}");
        assert!(
            !text.contains("restricted_read") && !text.contains(" st"),
            "{text}"
        );
    }
    // What the admin learns from the second export is what they learnt from the first.
    let newest_exports = |log: &Value| -> Vec<String> {
        log.as_array()
            .unwrap()
            .iter()
            .filter(|entry| entry["action"] == "data.export")
            .map(|entry| entry["subject"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(newest_exports(&after)[0], newest_exports(&before)[0]);
    assert_eq!(
        actions(&after)[..actions(&before).len()].len(),
        actions(&before).len()
    );

    // No one else reads the log at all.
    for role in [Role::Coordinator, Role::Police, Role::Volunteer] {
        let (client, _) = app.signed_in(role).await;
        assert_eq!(app.get(&client, "/api/v1/audit").await.0, 403, "{role}");
    }
    // On the server the whole log keeps who read what (brottsdatalagen).
    let all = app::ssr::infra::audit::everything(&app.db, 1000).await.unwrap();
    assert!(
        all.iter()
            .any(|entry| entry.action == "data.restricted_read" && entry.subject == report_id),
        "the single read is kept with the report's id"
    );
}

const FINNSTA: (f64, f64) = (59.5180, 17.6200);

async fn named_area(app: &TestApp, coordinator: &reqwest::Client, name: &str, geometry: Value) -> String {
    let (status, area) = app
        .post(
            coordinator,
            "/api/v1/areas",
            &json!({ "name": name, "kind": "named", "geometry": geometry }),
        )
        .await;
    assert_eq!(status, 201, "{area}");
    area["id"].as_str().unwrap().to_owned()
}

/// A coordinator could make a grannsamverkan area count a restricted category, and its
/// alert e-mails to residents would then carry counts of drug-scene reports. Now such a
/// category is refused with a reason, the page does not offer it, and a scan never counts
/// restricted reports, even for an area set before the rule.
async fn restricted_reports_never_count_in_an_alert(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, coordinator_id) = app.signed_in(Role::Coordinator).await;
    let finnsta = named_area(
        &app,
        &coordinator,
        "Finnsta",
        rectangle(
            FINNSTA.1 - 0.004,
            FINNSTA.0 - 0.002,
            FINNSTA.1 + 0.004,
            FINNSTA.0 + 0.002,
        ),
    )
    .await;
    let path = format!("/api/v1/watch-areas/{finnsta}");
    let counting_drugs = json!({ "categories": ["patrol.burglary_signs", "drug.dealing"], "contacts": [] });
    let (status, refused) = app
        .send(&coordinator, Method::PUT, &path, Some(&counting_drugs))
        .await;
    assert_eq!(
        (status, refused["field"].as_str()),
        (422, Some("categories")),
        "{refused}"
    );
    assert!(
        refused["message"].as_str().unwrap().contains("skyddade"),
        "{refused}"
    );
    let page = page_text(&coordinator, &app.url("/grannsamverkan")).await;
    assert!(
        page.contains("patrol.burglary_signs"),
        "the page offers the categories"
    );
    assert!(!page.contains("drug.dealing"), "but no restricted one");

    // An area that counted drug scenes before the rule, and a wave of them in it.
    sqlx::query(
        "insert into watch_area (area_id, categories, window_days, created_by, created_at, updated_at)
         values ($1, $2, 14, $3, 0, 0)",
    )
    .bind(&finnsta)
    .bind(r#"["drug.dealing","drug.use"]"#)
    .bind(&coordinator_id)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let mut wave = Vec::new();
    for day in 0..12 {
        for place in 0..2 {
            wave.push(Report::at(
                "drug.dealing",
                FINNSTA.0 + f64::from(place) * 0.0002,
                FINNSTA.1,
                days_ago_ms(day),
            ));
        }
    }
    store(&app, &coordinator_id, &wave).await;
    let (police, _) = app.signed_in(Role::Police).await;
    for scanner in [&coordinator, &police] {
        let (status, raised) = app.post(scanner, "/api/v1/alerts/scan", &json!({})).await;
        assert_eq!((status, raised), (200, json!([])));
    }
    let (_, alerts) = app.get(&police, "/api/v1/alerts").await;
    assert_eq!(alerts, json!([]));
}

/// A focus place shown generalised to a driver without a confidentiality agreement kept
/// the name of the named area it lies in, and a small area pinned it to about 150 m. Now
/// it is named after its hexagon, by an area at least as large; those who see it exactly
/// get the small area's name.
async fn a_small_areas_name_does_not_undo_a_generalised_focus_place(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let (lat, lng) = FINNSTA;
    named_area(
        &app,
        &coordinator,
        "Förråden",
        rectangle(lng - 0.0013, lat - 0.0007, lng + 0.0013, lat + 0.0007),
    )
    .await;
    named_area(
        &app,
        &coordinator,
        "Bro",
        rectangle(lng - 0.06, lat - 0.035, lng + 0.06, lat + 0.035),
    )
    .await;
    let (police, _) = app.signed_in(Role::Police).await;
    let place = json!({ "title": "Förråden vid gården", "note": "Kvällstid", "lat": lat, "lng": lng });
    assert_eq!(app.post(&police, "/api/v1/focus-places", &place).await.0, 201);

    let (unsigned, _) = app.signed_in(Role::Volunteer).await;
    let (signed, signed_id) = app.signed_in(Role::Volunteer).await;
    let agreement = json!({ "confidentiality_signed_on": "2026-01-10", "vehicles": [], "note": "" });
    let (status, _) = app
        .send(
            &coordinator,
            Method::PUT,
            &format!("/api/v1/users/{signed_id}/driver"),
            Some(&agreement),
        )
        .await;
    assert_eq!(status, 200);

    for (who, client, exact) in [
        ("police", &police, true),
        ("coordinator", &coordinator, true),
        ("a driver who signed", &signed, true),
        ("a driver who has not", &unsigned, false),
    ] {
        let (status, places) = app.get(client, "/api/v1/focus-places").await;
        assert_eq!(status, 200, "{who}");
        let shown = &places[0];
        assert_eq!(shown["exact"], json!(exact), "{who}");
        let expected = if exact { "Förråden" } else { "Bro" };
        assert_eq!(shown["place"], json!(expected), "{who}: {shown}");
    }
    for role in [Role::Admin, Role::Participant] {
        let client = if role == Role::Participant {
            let participant = client();
            let (_, walk) = app
                .post(
                    &coordinator,
                    "/api/v1/walks",
                    &json!({ "title": "Vandring", "area": "Bro", "starts_at": now_rfc3339(), "light": "dark" }),
                )
                .await;
            app.post(
                &participant,
                "/api/v1/walks/join",
                &json!({ "code": walk["join_code"] }),
            )
            .await;
            participant
        } else {
            app.signed_in(role).await.0
        };
        assert_eq!(app.get(&client, "/api/v1/focus-places").await.0, 403, "{role}");
    }
}
