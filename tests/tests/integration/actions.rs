//! Actions (åtgärder): made from a finding, report, cell or meeting and linked back to
//! it, followed up to done or rejected with a public reason, listed per party and
//! strategy area with the overdue ones flagged, and exported for the förebyggande rådet.
//! Only police and coordinators keep them. Each test runs on SQLite and on PostgreSQL.

use app::domain::role::Role;
use reqwest::Method;
use serde_json::{json, Value};
use tryggkarta_tests::reports::{now_ms, store, Report};
use tryggkarta_tests::{on_sqlite_and_postgres, TestApp};
use uuid::Uuid;

on_sqlite_and_postgres!(
    a_walk_finding_becomes_an_action_that_is_followed_up_to_done,
    bad_actions_are_refused_with_the_field_named_and_nothing_is_saved,
    only_police_and_coordinators_keep_actions,
    open_actions_past_their_date_are_overdue,
    follow_ups_at_the_same_moment_never_overwrite_each_other,
);

/// A walk finding (strategy area 4.2) at Bro, stored for `reporter`; its id.
async fn finding(app: &TestApp, reporter: &str) -> String {
    store(
        app,
        reporter,
        &[Report::at("walk.lighting", 59.5113, 17.6358, now_ms() - 60_000)],
    )
    .await;
    let (id,): (String,) = sqlx::query_as("select id from observation order by created_at desc, id desc")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    id
}

fn in_days(days: i64) -> String {
    let date = chrono::Utc::now() + chrono::TimeDelta::days(days);
    // Stockholm is at most two hours ahead: a few days out is the same either way.
    date.date_naive().to_string()
}

fn action_for(source: Value) -> Value {
    json!({
        "title": "Byt trasig belysning i gångtunneln",
        "party": "Upplands-Bro kommun",
        "owner": "Gatu- och parkavdelningen",
        "due_on": in_days(21),
        "source": source,
    })
}

async fn a_walk_finding_becomes_an_action_that_is_followed_up_to_done(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, coordinator_id) = app.signed_in(Role::Coordinator).await;
    let (police, _) = app.signed_in(Role::Police).await;
    let finding = finding(&app, &coordinator_id).await;
    let area = json!({ "name": "Bro centrum", "kind": "named", "geometry": { "type": "Polygon",
        "coordinates": [[[17.62, 59.50], [17.65, 59.50], [17.65, 59.52], [17.62, 59.52], [17.62, 59.50]]] } });
    assert_eq!(app.post(&coordinator, "/api/v1/areas", &area).await.0, 201);

    let id = Uuid::now_v7();
    let mut new = action_for(json!({ "kind": "observation", "ref": finding }));
    new["id"] = json!(id);
    let (status, created) = app.post(&coordinator, "/api/v1/actions", &new).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["strategy_area"], "4.2", "taken from the finding");
    assert_eq!(created["status"], "proposed");
    assert_eq!(created["place"], "Bro centrum");
    assert_eq!(created["overdue"], false);
    // Sent again (a retry after a lost answer): the same action, not a second one.
    let (status, again) = app.post(&coordinator, "/api/v1/actions", &new).await;
    assert_eq!((status, &again["id"]), (200, &created["id"]));

    let path = format!("/api/v1/actions/{id}/follow-ups");
    let planned = json!({ "status": "planned", "note": "Beställt hos entreprenören." });
    let (status, followed) = app.post(&police, &path, &planned).await;
    assert_eq!(status, 200, "{followed}");
    assert_eq!(followed["status"], "planned");
    let moved = json!({ "due_on": in_days(30), "owner": "Elavdelningen" });
    let (status, followed) = app.post(&coordinator, &path, &moved).await;
    assert_eq!(status, 200, "{followed}");
    assert_eq!(followed["owner"], "Elavdelningen");
    let (_, done) = app
        .post(
            &coordinator,
            &path,
            &json!({ "status": "done", "note": "Lamporna bytta." }),
        )
        .await;
    assert_eq!(done["status"], "done");
    let log = done["log"].as_array().unwrap();
    assert_eq!(log.len(), 4, "created, planned, moved, done: {log:?}");
    assert_eq!(log[1]["note"], "Beställt hos entreprenören.");
    assert!(
        log[2]["note"].as_str().unwrap().contains("Elavdelningen"),
        "{log:?}"
    );
    assert_eq!(log[3]["status"], "done");

    // Found from the finding, per party and per strategy area; and in the export.
    let (_, linked) = app
        .get(
            &coordinator,
            &format!("/api/v1/actions?source_kind=observation&source_ref={finding}"),
        )
        .await;
    assert_eq!(linked.as_array().unwrap().len(), 1);
    let (_, by_party) = app.get(&coordinator, "/api/v1/actions?party=Polisen").await;
    assert_eq!(by_party.as_array().unwrap().len(), 0);
    let (_, by_area) = app.get(&coordinator, "/api/v1/actions?strategy_area=4.2").await;
    assert_eq!(by_area.as_array().unwrap().len(), 1);
    let csv = coordinator
        .get(app.url("/api/v1/actions.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.starts_with('\u{feff}'), "a BOM for Excel");
    let row = csv.lines().nth(1).unwrap();
    assert!(
        row.contains("Klar") && row.contains("Bro centrum") && row.contains("Trygghetsvandring"),
        "{row}"
    );

    // Rejecting needs a reason the public may read.
    let mut body = action_for(json!({ "kind": "none" }));
    body["strategy_area"] = json!("3");
    let (status, second) = app.post(&coordinator, "/api/v1/actions", &body).await;
    assert_eq!(status, 201, "{second}");
    let path = format!("/api/v1/actions/{}/follow-ups", second["id"].as_str().unwrap());
    let reason = "Marken ägs av Trafikverket, som har fått frågan.";
    let (status, rejected) = app
        .post(
            &coordinator,
            &path,
            &json!({ "status": "rejected", "reason": reason }),
        )
        .await;
    assert_eq!(status, 200, "{rejected}");
    assert_eq!(rejected["reason"], reason);
}

async fn bad_actions_are_refused_with_the_field_named_and_nothing_is_saved(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, coordinator_id) = app.signed_in(Role::Coordinator).await;
    let finding = finding(&app, &coordinator_id).await;
    let source = json!({ "kind": "observation", "ref": finding });
    let with = |field: &str, value: Value| {
        let mut body = action_for(source.clone());
        body[field] = value;
        body
    };
    let cases = [
        (with("owner", json!("  ")), "owner"),
        (with("party", json!("")), "party"),
        (with("title", json!("")), "title"),
        (with("due_on", json!(in_days(-2))), "due_on"),
        (with("due_on", json!("nästa vecka")), "due_on"),
        (with("strategy_area", json!("7")), "strategy_area"),
        (with("status", json!("rejected")), "status"),
        (with("title", json!("x".repeat(201))), "title"),
        (with("title", json!("Nul\u{0}")), "title"),
        (
            action_for(json!({ "kind": "observation", "ref": Uuid::now_v7() })),
            "source",
        ),
        (
            action_for(json!({ "kind": "cell", "ref": "inte-en-hexagon" })),
            "source",
        ),
        (
            action_for(json!({ "kind": "meeting", "ref": Uuid::now_v7() })),
            "source",
        ),
        // Without a source that names a strategy area, one must be given.
        (action_for(json!({ "kind": "none" })), "strategy_area"),
    ];
    for (body, field) in &cases {
        let (status, answer) = app.post(&coordinator, "/api/v1/actions", body).await;
        assert_eq!(status, 422, "{body}: {answer}");
        assert_eq!(answer["field"], *field, "{answer}");
        assert!(!answer["message"].as_str().unwrap().is_empty());
    }
    let (_, listed) = app.get(&coordinator, "/api/v1/actions").await;
    assert_eq!(listed, json!([]), "nothing saved half-way");
    let (status, answer) = app.get(&coordinator, "/api/v1/actions?status=klar").await;
    assert_eq!((status, &answer["field"]), (422, &json!("status")));
}

async fn only_police_and_coordinators_keep_actions(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, coordinator_id) = app.signed_in(Role::Coordinator).await;
    let finding = finding(&app, &coordinator_id).await;
    let mut new = action_for(json!({ "kind": "observation", "ref": finding }));
    let (_, created) = app.post(&coordinator, "/api/v1/actions", &new).await;
    let id = created["id"].as_str().unwrap().to_owned();
    new["id"] = json!(Uuid::now_v7());

    for role in [Role::Admin, Role::Volunteer, Role::Participant] {
        let (client, _) = app.signed_in(role).await;
        assert_eq!(app.get(&client, "/api/v1/actions").await.0, 403, "{role} lists");
        assert_eq!(
            app.get(&client, "/api/v1/actions.csv").await.0,
            403,
            "{role} exports"
        );
        assert_eq!(
            app.get(&client, &format!("/api/v1/actions/{id}")).await.0,
            403,
            "{role} reads"
        );
        assert_eq!(
            app.post(&client, "/api/v1/actions", &new).await.0,
            403,
            "{role} creates"
        );
        let note = json!({ "note": "Jag vill också" });
        let status = app
            .post(&client, &format!("/api/v1/actions/{id}/follow-ups"), &note)
            .await
            .0;
        assert_eq!(status, 403, "{role} follows up");
    }
    let anonymous = tryggkarta_tests::client();
    assert_eq!(app.get(&anonymous, "/api/v1/actions").await.0, 401);
    let guessed = Uuid::now_v7();
    assert_eq!(
        app.get(&coordinator, &format!("/api/v1/actions/{guessed}"))
            .await
            .0,
        404
    );
    let note = json!({ "note": "Finns den?" });
    assert_eq!(
        app.post(
            &coordinator,
            &format!("/api/v1/actions/{guessed}/follow-ups"),
            &note
        )
        .await
        .0,
        404
    );
    assert_eq!(app.get(&coordinator, "/api/v1/actions/inte-ett-id").await.0, 404);
    let (_, stored) = app.get(&coordinator, &format!("/api/v1/actions/{id}")).await;
    assert_eq!(
        stored["log"].as_array().unwrap().len(),
        1,
        "no one else wrote to it"
    );
}

async fn open_actions_past_their_date_are_overdue(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (police, _) = app.signed_in(Role::Police).await;
    let mut ids = Vec::new();
    for title in ["Försenad", "Klar men sen", "I tid"] {
        let mut body = action_for(json!({ "kind": "cell", "ref": "891f1d48177ffff" }));
        body["title"] = json!(title);
        body["strategy_area"] = json!("10");
        body["party"] = json!("Polisen");
        let (status, created) = app.post(&police, "/api/v1/actions", &body).await;
        assert_eq!(status, 201, "{created}");
        ids.push(created["id"].as_str().unwrap().to_owned());
    }
    // Time passes for the first two: their date is moved back in the database.
    for id in &ids[..2] {
        sqlx::query("update action set due_on = $1 where id = $2")
            .bind(in_days(-3))
            .bind(id)
            .execute(&app.db.pool)
            .await
            .unwrap();
    }
    let (_, done) = app
        .post(
            &police,
            &format!("/api/v1/actions/{}/follow-ups", ids[1]),
            &json!({ "status": "done" }),
        )
        .await;
    assert_eq!(done["overdue"], false, "done is never overdue");
    let (_, overdue) = app
        .get(&police, "/api/v1/actions?overdue=true&party=Polisen")
        .await;
    let titles: Vec<&str> = overdue
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Försenad"]);
    assert_eq!(overdue[0]["overdue"], true);
    assert!(
        overdue[0]["lat"].as_f64().is_some(),
        "placed at the cell's centre"
    );
    let (_, all) = app.get(&police, "/api/v1/actions?strategy_area=10").await;
    assert_eq!(all.as_array().unwrap().len(), 3);
}

async fn follow_ups_at_the_same_moment_never_overwrite_each_other(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let mut body = action_for(json!({ "kind": "none" }));
    body["strategy_area"] = json!("3");
    let (_, created) = app.post(&coordinator, "/api/v1/actions", &body).await;
    let path = format!("/api/v1/actions/{}/follow-ups", created["id"].as_str().unwrap());
    let statuses = ["planned", "in_progress", "done", "planned", "in_progress", "done"];
    let bodies: Vec<Value> = statuses
        .iter()
        .map(|s| json!({ "status": s, "note": s }))
        .collect();
    let answers = futures::future::join_all(bodies.iter().map(|b| app.post(&coordinator, &path, b))).await;
    let codes: Vec<u16> = answers.iter().map(|(status, _)| *status).collect();
    assert!(codes.iter().all(|c| [200, 409].contains(c)), "{codes:?}");
    let landed = codes.iter().filter(|c| **c == 200).count();
    assert!(landed >= 1, "{codes:?}");
    let (_, stored) = app
        .send(&coordinator, Method::GET, &path.replace("/follow-ups", ""), None)
        .await;
    assert_eq!(
        stored["log"].as_array().unwrap().len(),
        1 + landed,
        "every accepted change is in the log"
    );
}
