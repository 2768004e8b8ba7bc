//! Many eyes: partner organisations' reporters and residents report incidents; a
//! coordinator reviews them before they count; duplicates nearby are suggested and
//! merged; reporters hear what became of their reports. Each test runs on SQLite and on
//! PostgreSQL.

use app::domain::role::Role;
use reqwest::Method;
use serde_json::{json, Value};
use tryggkarta_tests::{client, on_sqlite_and_postgres, TestApp};
use uuid::Uuid;

on_sqlite_and_postgres!(
    a_reporter_reads_only_their_own_organisation_s_reports,
    the_lagesbild_counts_a_report_only_once_it_is_accepted,
    open_reports_of_the_same_kind_within_50_m_are_suggested_and_merged,
    residents_tips_wait_for_review_and_are_limited_per_address,
    bad_reports_are_refused_with_clear_words_and_nothing_half_saved,
    next_week_s_focus_places_reach_only_their_own_organisation,
    the_weekly_picture_counts_accepted_reports_as_far_as_the_viewer_reaches,
);

/// Kungsängen, by the station.
const PLACE: (f64, f64) = (59.4780, 17.7500);
/// About this many degrees of latitude make a metre.
const METRE: f64 = 1.0 / 111_000.0;

fn report(category: &str, at: (f64, f64)) -> Value {
    let observed = (chrono::Utc::now() - chrono::TimeDelta::hours(2)).to_rfc3339();
    json!({ "id": Uuid::now_v7(), "category": category, "lat": at.0, "lng": at.1, "accuracy_m": 12.0,
            "position_source": "gps", "observed_at": observed, "note": "Klotter på busskuren" })
}

async fn organisation(app: &TestApp, coordinator: &reqwest::Client, name: &str) -> String {
    let (status, created) = app
        .post(
            coordinator,
            "/api/v1/organisations",
            &json!({ "name": name, "kind": "housing" }),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    created["id"].as_str().unwrap().to_owned()
}

async fn send(app: &TestApp, reporter: &reqwest::Client, body: &Value) -> Value {
    let (status, stored) = app.post(reporter, "/api/v1/incident-reports", body).await;
    assert_eq!(status, 201, "{stored}");
    stored
}

fn ids(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect()
}

async fn a_reporter_reads_only_their_own_organisation_s_reports(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let bostader = organisation(&app, &coordinator, "Bro Bostäder").await;
    let other = organisation(&app, &coordinator, "Kungsängens Fastigheter").await;
    let (reporter, _) = app.signed_in_reporter(&bostader).await;
    let (colleague, _) = app.signed_in_reporter(&bostader).await;
    let (outsider, _) = app.signed_in_reporter(&other).await;
    let stored = send(&app, &reporter, &report("incident.vandalism", PLACE)).await;
    let id = stored["id"].as_str().unwrap();
    assert_eq!(stored["status"], "pending");
    assert_eq!(stored["organisation"], "Bro Bostäder");

    // The colleague reads it in full; the other company's reporter cannot, not by its id
    // either, and is not even told that something of that kind lies nearby.
    let (status, list) = app.get(&colleague, "/api/v1/incident-reports").await;
    assert_eq!(status, 200);
    assert_eq!(ids(&list), vec![id]);
    assert_eq!(list[0]["note"], "Klotter på busskuren");
    let (status, list) = app.get(&outsider, "/api/v1/incident-reports").await;
    assert_eq!((status, list), (200, json!([])));
    assert_eq!(
        app.get(&outsider, &format!("/api/v1/incident-reports/{id}"))
            .await
            .0,
        404
    );
    let near = format!(
        "/api/v1/incident-reports/nearby?category=incident.vandalism&lat={}&lng={}",
        PLACE.0, PLACE.1
    );
    assert_eq!(app.get(&outsider, &near).await.1, json!([]));
    assert_eq!(app.get(&colleague, &near).await.1.as_array().unwrap().len(), 1);
    // Asking for the other organisation by name changes nothing.
    let (_, list) = app
        .get(
            &outsider,
            &format!("/api/v1/incident-reports?organisation={bostader}"),
        )
        .await;
    assert_eq!(list, json!([]));

    // Police and coordinators read every report; drivers and admins none; a reporter
    // neither reviews nor keeps the organisations, nor reads others' observations.
    let (police, _) = app.signed_in(Role::Police).await;
    assert_eq!(
        ids(&app.get(&police, "/api/v1/incident-reports").await.1),
        vec![id]
    );
    let (volunteer, _) = app.signed_in(Role::Volunteer).await;
    assert_eq!(app.get(&volunteer, "/api/v1/incident-reports").await.0, 403);
    assert_eq!(
        app.get(&volunteer, &format!("/api/v1/incident-reports/{id}"))
            .await
            .0,
        403
    );
    assert_eq!(
        app.post(
            &volunteer,
            "/api/v1/incident-reports",
            &report("incident.vandalism", PLACE)
        )
        .await
        .0,
        403
    );
    for path in [
        "/api/v1/review",
        "/api/v1/organisations",
        "/api/v1/hotspots/points",
    ] {
        assert_eq!(app.get(&reporter, path).await.0, 403, "{path}");
    }
    let (status, hotspots) = app.get(&reporter, "/api/v1/hotspots").await;
    assert_eq!(status, 200);
    assert_eq!(
        hotspots["aggregated"], true,
        "a reporter sees only the aggregated layer"
    );
}

async fn the_lagesbild_counts_a_report_only_once_it_is_accepted(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let (police, _) = app.signed_in(Role::Police).await;
    let bostader = organisation(&app, &coordinator, "Bro Bostäder").await;
    let (reporter, _) = app.signed_in_reporter(&bostader).await;
    let mut sent = Vec::new();
    for _ in 0..3 {
        sent.push(
            send(&app, &reporter, &report("incident.vandalism", PLACE)).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let counted = |hotspots: &Value| hotspots["total"].as_u64().unwrap();
    let (_, before) = app.get(&police, "/api/v1/hotspots?kind=incident_report").await;
    assert_eq!(counted(&before), 0, "nothing counts before review");
    let (status, queue) = app.get(&coordinator, "/api/v1/review").await;
    assert_eq!(status, 200);
    assert_eq!(queue.as_array().unwrap().len(), 3);
    assert_eq!(queue[0]["maybe_same"].as_array().unwrap().len(), 2, "{queue}");

    // Accept one, corrected to another strategy area; reject one; merge the third.
    let decide = |id: &str, decision: Value| {
        let app = &app;
        let coordinator = &coordinator;
        let path = format!("/api/v1/review/{id}");
        async move { app.post(coordinator, &path, &decision).await }
    };
    let (status, accepted) = decide(&sent[0], json!({ "decision": "accept", "strategy_area": "4.3" })).await;
    assert_eq!(status, 200, "{accepted}");
    assert_eq!(
        (accepted["status"].as_str(), accepted["strategy_area"].as_str()),
        (Some("accepted"), Some("4.3"))
    );
    let (status, rejected) = decide(
        &sent[1],
        json!({ "decision": "reject", "note": "Redan sanerat." }),
    )
    .await;
    assert_eq!(status, 200, "{rejected}");
    let (status, merged) = decide(&sent[2], json!({ "decision": "merge", "into": sent[0] })).await;
    assert_eq!(status, 200, "{merged}");
    assert_eq!(merged["duplicate_of"], sent[0].as_str());
    let (_, first) = app
        .get(&coordinator, &format!("/api/v1/incident-reports/{}", sent[0]))
        .await;
    assert_eq!(first["duplicates"], json!([sent[2]]), "the link goes both ways");
    // A decision is taken once.
    assert_eq!(decide(&sent[1], json!({ "decision": "accept" })).await.0, 409);

    let (_, after) = app.get(&police, "/api/v1/hotspots?kind=incident_report").await;
    assert_eq!(counted(&after), 1, "only the accepted report counts");
    let (_, observations) = app
        .get(&police, "/api/v1/observations?kind=incident_report")
        .await;
    assert_eq!(observations.as_array().unwrap().len(), 1);
    assert_eq!(observations[0]["strategy_area"], "4.3");
    assert_eq!(app.get(&coordinator, "/api/v1/review").await.1, json!([]));

    // The reporter hears of each decision once, with the reviewer's words.
    let (status, notices) = app.get(&reporter, "/api/v1/incident-reports/notices").await;
    assert_eq!(status, 200);
    let mut statuses: Vec<&str> = notices
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["status"].as_str().unwrap())
        .collect();
    statuses.sort_unstable();
    assert_eq!(statuses, vec!["accepted", "merged", "rejected"]);
    assert!(notices
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["decision_note"] == "Redan sanerat."));
    let (status, _) = app
        .send(
            &reporter,
            Method::DELETE,
            "/api/v1/incident-reports/notices",
            None,
        )
        .await;
    assert_eq!(status, 204);
    assert_eq!(
        app.get(&reporter, "/api/v1/incident-reports/notices").await.1,
        json!([])
    );
    let (_, own) = app
        .get(&reporter, "/api/v1/incident-reports?status=rejected")
        .await;
    assert_eq!(own[0]["decision_note"], "Redan sanerat.");
}

async fn open_reports_of_the_same_kind_within_50_m_are_suggested_and_merged(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let bostader = organisation(&app, &coordinator, "Bro Bostäder").await;
    let (reporter, _) = app.signed_in_reporter(&bostader).await;
    let first = send(&app, &reporter, &report("incident.littering", PLACE)).await;
    let near = |category: &str, metres: f64| {
        format!(
            "/api/v1/incident-reports/nearby?category={category}&lat={}&lng={}",
            PLACE.0 + metres * METRE,
            PLACE.1
        )
    };
    let (status, found) = app.get(&reporter, &near("incident.littering", 30.0)).await;
    assert_eq!(status, 200);
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found[0]["id"], first["id"]);
    let metres = found[0]["distance_m"].as_f64().unwrap();
    assert!((25.0..35.0).contains(&metres), "{metres}");
    assert_eq!(
        app.get(&reporter, &near("incident.littering", 80.0)).await.1,
        json!([])
    );
    assert_eq!(
        app.get(&reporter, &near("incident.fire", 10.0)).await.1,
        json!([])
    );

    // Merging into something that is not an incident report is refused in words.
    let (_, drug_scene) = app
        .post(
            &coordinator,
            "/api/v1/observations",
            &tryggkarta_tests::reports::drug_scene(),
        )
        .await;
    let second = send(
        &app,
        &reporter,
        &report("incident.littering", (PLACE.0 + 20.0 * METRE, PLACE.1)),
    )
    .await;
    let (status, refused) = app
        .post(
            &coordinator,
            &format!("/api/v1/review/{}", second["id"].as_str().unwrap()),
            &json!({ "decision": "merge", "into": drug_scene["id"] }),
        )
        .await;
    assert_eq!(status, 422, "{refused}");
    assert!(refused["message"].as_str().unwrap().contains("bara"), "{refused}");
    let (_, still) = app
        .get(
            &coordinator,
            &format!("/api/v1/incident-reports/{}", second["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(still["status"], "pending", "nothing half-saved");
    // A merged report is no longer suggested; the one it went into is.
    let (status, _) = app
        .post(
            &coordinator,
            &format!("/api/v1/review/{}", second["id"].as_str().unwrap()),
            &json!({ "decision": "merge", "into": first["id"] }),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        ids(&app.get(&reporter, &near("incident.littering", 0.0)).await.1),
        vec![first["id"].as_str().unwrap()]
    );
}

async fn residents_tips_wait_for_review_and_are_limited_per_address(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let resident = client();
    let tip = |note: &str| {
        json!({ "category": "incident.unsafe_place", "lat": PLACE.0, "lng": PLACE.1, "note": note,
                "name": "Anna Andersson", "email": "anna@example.se" })
    };
    // Bad tips are refused in words; one the form's own checks pass counts against the
    // address like any other (all the test's clients share one address).
    let outside =
        json!({ "category": "incident.unsafe_place", "lat": 59.33, "lng": 18.07, "note": "Stockholm" });
    let (status, answer) = app.post(&resident, "/api/v1/tips", &outside).await;
    assert_eq!((status, answer["field"].as_str()), (422, Some("lat")), "{answer}");
    let unknown = json!({ "category": "drug.dealing", "lat": PLACE.0, "lng": PLACE.1, "note": "x" });
    let (status, answer) = app.post(&resident, "/api/v1/tips", &unknown).await;
    assert_eq!(
        (status, answer["field"].as_str()),
        (422, Some("category")),
        "{answer}"
    );
    for n in 0..2 {
        let (status, answer) = app
            .post(&resident, "/api/v1/tips", &tip(&format!("Mörkt under bron {n}")))
            .await;
        assert_eq!(status, 202, "{answer}");
    }
    let (status, refused) = app.post(&client(), "/api/v1/tips", &tip("En till")).await;
    assert_eq!(status, 429, "{refused}");
    assert!(
        refused["message"].as_str().unwrap().contains("kvart"),
        "{refused}"
    );

    // Waiting for review, seen by coordinators and police, without the name or address.
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let (_, queue) = app.get(&coordinator, "/api/v1/review").await;
    assert_eq!(queue.as_array().unwrap().len(), 2);
    assert_eq!(queue[0]["report"]["source"], "resident");
    let text = queue.to_string();
    assert!(
        !text.contains("Anna") && !text.contains("anna@"),
        "contact details never leave: {text}"
    );
    let (police, _) = app.signed_in(Role::Police).await;
    assert_eq!(
        app.get(&police, "/api/v1/incident-reports")
            .await
            .1
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let (_, none) = app.get(&police, "/api/v1/hotspots?kind=incident_report").await;
    assert_eq!(none["total"], 0, "nothing public before review");
    // A partner's reporter does not see residents' tips.
    let bostader = organisation(&app, &coordinator, "Bro Bostäder").await;
    let (reporter, _) = app.signed_in_reporter(&bostader).await;
    assert_eq!(app.get(&reporter, "/api/v1/incident-reports").await.1, json!([]));

    // A robot that fills in the form's hidden field is thanked like anyone, and its tip
    // never reaches the queue.
    let robot: app::domain::incident::NewTip = serde_json::from_value(tip("Köp billiga klockor")).unwrap();
    let bounds = app::domain::geo::Bounds::default();
    app::ssr::incidents::tips::submit(&app.db, &bounds, "203.0.113.9", &robot, "https://spam.example")
        .await
        .expect("answered as if taken");
    let (_, queue) = app.get(&coordinator, "/api/v1/review").await;
    assert_eq!(
        queue.as_array().unwrap().len(),
        2,
        "the robot's tip is not there: {queue}"
    );
}

async fn bad_reports_are_refused_with_clear_words_and_nothing_half_saved(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let bostader = organisation(&app, &coordinator, "Bro Bostäder").await;
    let (reporter, _) = app.signed_in_reporter(&bostader).await;
    let field_of = |answer: &Value| answer["field"].as_str().unwrap_or_default().to_owned();

    let mut future = report("incident.fire", PLACE);
    future["observed_at"] = json!((chrono::Utc::now() + chrono::TimeDelta::hours(3)).to_rfc3339());
    let mut outside = report("incident.fire", (59.33, 18.07));
    outside["note"] = json!("Stockholm");
    let mut named = report("incident.fire", PLACE);
    named["note"] = json!("Det var 811218-9876 igen");
    let cases = [
        (future, "observed_at"),
        (outside, "lat"),
        (report("drug.dealing", PLACE), "category"),
        (report("ingen.sådan", PLACE), "category"),
        (named, "note"),
    ];
    for (body, field) in cases {
        let (status, answer) = app.post(&reporter, "/api/v1/incident-reports", &body).await;
        assert_eq!((status, field_of(&answer)), (422, field.to_owned()), "{answer}");
        assert!(!answer["message"].as_str().unwrap().is_empty());
    }
    assert_eq!(
        app.get(&reporter, "/api/v1/incident-reports").await.1,
        json!([]),
        "nothing half-saved"
    );

    // A resend is the same report; the same id with other words is a conflict.
    let body = report("incident.fire", PLACE);
    let first = send(&app, &reporter, &body).await;
    let (status, again) = app.post(&reporter, "/api/v1/incident-reports", &body).await;
    assert_eq!((status, &again["id"]), (200, &first["id"]));
    let mut changed = body.clone();
    changed["note"] = json!("Något annat");
    assert_eq!(
        app.post(&reporter, "/api/v1/incident-reports", &changed).await.0,
        409
    );

    // Once the organisation has left the partnership, its reporters send nothing more.
    let (status, _) = app
        .send(
            &coordinator,
            Method::PUT,
            &format!("/api/v1/organisations/{bostader}"),
            Some(&json!({ "name": "Bro Bostäder", "kind": "housing", "active": false })),
        )
        .await;
    assert_eq!(status, 200);
    let (status, answer) = app
        .post(
            &reporter,
            "/api/v1/incident-reports",
            &report("incident.fire", PLACE),
        )
        .await;
    assert_eq!(
        (status, field_of(&answer)),
        (422, "organisation".to_owned()),
        "{answer}"
    );
    assert!(answer["message"].as_str().unwrap().contains("inte längre aktiv"));
    // An account for it cannot be made either, and the list of reports stays one long.
    let (status, answer) = app
        .post(
            &coordinator,
            "/api/v1/users",
            &json!({ "email": "ny@brobostader.se", "role": "reporter", "organisation": bostader }),
        )
        .await;
    assert_eq!(status, 422, "{answer}");
    let (status, answer) = app
        .post(
            &coordinator,
            "/api/v1/users",
            &json!({ "email": "utan@brobostader.se", "role": "reporter" }),
        )
        .await;
    assert_eq!(
        (status, field_of(&answer)),
        (422, "organisation".to_owned()),
        "{answer}"
    );
    assert_eq!(
        app.get(&reporter, "/api/v1/incident-reports")
            .await
            .1
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

async fn next_week_s_focus_places_reach_only_their_own_organisation(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let bostader = organisation(&app, &coordinator, "Bro Bostäder").await;
    let skolan = organisation(&app, &coordinator, "Tibbleskolan").await;
    let (reporter, _) = app.signed_in_reporter(&bostader).await;
    let (teacher, _) = app.signed_in_reporter(&skolan).await;
    let (status, added) = app
        .post(
            &coordinator,
            &format!("/api/v1/organisations/{bostader}/focus-places"),
            &json!({ "place": "Bro centrum", "note": "Trapphusen kvällstid" }),
        )
        .await;
    assert_eq!(status, 201, "{added}");
    let next_monday = app::domain::partner::monday_of(app::domain::clock::today()) + chrono::Days::new(7);
    assert_eq!(
        added["week_of"],
        next_monday.to_string(),
        "next week's unless told"
    );
    let (status, mine) = app.get(&reporter, "/api/v1/organisations/focus-places").await;
    assert_eq!(status, 200);
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(mine[0]["place"], "Bro centrum");
    assert_eq!(
        app.get(&teacher, "/api/v1/organisations/focus-places").await.1,
        json!([])
    );
    // Reporters do not set them, and a week gone by is refused in words.
    let (status, _) = app
        .post(
            &reporter,
            &format!("/api/v1/organisations/{bostader}/focus-places"),
            &json!({ "place": "Hemma" }),
        )
        .await;
    assert_eq!(status, 403);
    let (status, answer) = app
        .post(
            &coordinator,
            &format!("/api/v1/organisations/{skolan}/focus-places"),
            &json!({ "place": "Skolgården", "week_of": "2020-01-06" }),
        )
        .await;
    assert_eq!(
        (status, answer["field"].as_str()),
        (422, Some("week_of")),
        "{answer}"
    );
    let (status, _) = app
        .post(
            &coordinator,
            &format!("/api/v1/organisations/{}/focus-places", Uuid::now_v7()),
            &json!({ "place": "Bro" }),
        )
        .await;
    assert_eq!(status, 404, "an organisation that does not exist");
}

async fn the_weekly_picture_counts_accepted_reports_as_far_as_the_viewer_reaches(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let bostader = organisation(&app, &coordinator, "Bro Bostäder").await;
    let skolan = organisation(&app, &coordinator, "Tibbleskolan").await;
    let (reporter, _) = app.signed_in_reporter(&bostader).await;
    let (teacher, _) = app.signed_in_reporter(&skolan).await;
    // A minute ago: this week, whatever the day.
    let just_now = |category: &str| {
        let mut body = report(category, PLACE);
        body["observed_at"] = json!((chrono::Utc::now() - chrono::TimeDelta::minutes(1)).to_rfc3339());
        body
    };
    let mut sent = Vec::new();
    for (who, category) in [
        (&reporter, "incident.vandalism"),
        (&reporter, "incident.vandalism"),
        (&teacher, "incident.vandalism"),
        (&teacher, "incident.fire"),
    ] {
        sent.push(
            send(&app, who, &just_now(category)).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    // Three accepted; the fire waits and does not count.
    for id in &sent[..3] {
        let (status, _) = app
            .post(
                &coordinator,
                &format!("/api/v1/review/{id}"),
                &json!({ "decision": "accept" }),
            )
            .await;
        assert_eq!(status, 200);
    }
    let (status, weekly) = app.get(&coordinator, "/api/v1/incident-reports/weekly").await;
    assert_eq!(status, 200, "{weekly}");
    assert_eq!(weekly["weeks"].as_array().unwrap().len(), 5);
    assert_eq!(
        weekly["by_category"],
        json!([{ "label": "Skadegörelse och klotter", "counts": [0, 0, 0, 0, 3] }])
    );
    assert_eq!(
        weekly["by_organisation"],
        json!([{ "label": "Bro Bostäder", "counts": [0, 0, 0, 0, 2] }, { "label": "Tibbleskolan", "counts": [0, 0, 0, 0, 1] }])
    );
    // The school's reporter counts only the school's.
    let (_, theirs) = app.get(&teacher, "/api/v1/incident-reports/weekly").await;
    assert_eq!(
        theirs["by_organisation"],
        json!([{ "label": "Tibbleskolan", "counts": [0, 0, 0, 0, 1] }])
    );
    let response = coordinator
        .get(app.url("/api/v1/incident-reports/weekly.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let csv = response.text().await.unwrap();
    assert!(
        csv.contains("kategori;Skadegörelse och klotter;0;0;0;0;3"),
        "{csv}"
    );
}
