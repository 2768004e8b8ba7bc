//! Medborgarlöften: progress is counted from the records — walks held, interventions
//! started, actions done, shifts driven — in the promise's year, never typed in. On
//! SQLite and PostgreSQL.

use app::domain::role::Role;
use serde_json::{json, Value};
use tryggkarta_tests::{on_sqlite_and_postgres, TestApp};

on_sqlite_and_postgres!(commitment_progress_is_counted_from_the_records);

use chrono::Datelike;

fn year() -> i32 {
    chrono::Utc::now().year()
}

async fn commitment_progress_is_counted_from_the_records(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let promise = |text: &str, measure: &str, target: u32, area: &str| {
        json!({ "party": "Upplands-Bro kommun", "text": text, "measure": measure,
                "target": target, "year": year(), "strategy_area": area })
    };
    let rfc3339 = |at: chrono::DateTime<chrono::Utc>| app::domain::clock::rfc3339(at);
    // Two walks this year, one next year.
    let now = chrono::Utc::now();
    let this_year = |days: i64| {
        let at = now - chrono::TimeDelta::days(days);
        if at.year() == year() {
            at
        } else {
            now
        }
    };
    for starts_at in [this_year(10), this_year(3), now + chrono::TimeDelta::days(400)] {
        let walk =
            json!({ "title": "Vandring", "area": "Bro", "starts_at": rfc3339(starts_at), "light": "dark" });
        assert_eq!(app.post(&coordinator, "/api/v1/walks", &walk).await.0, 201);
    }
    // One drug-scene intervention (area 10) and one walk intervention (4.2).
    for area in ["10", "4.2"] {
        let body = json!({
            "title": format!("Insats {area}"), "strategy_area": area,
            "zone": { "shape": "circle", "lat": 59.51, "lng": 17.63, "radius_m": 300.0 },
            "starts_on": now.date_naive().to_string(),
        });
        assert_eq!(
            app.post(&coordinator, "/api/v1/interventions", &body).await.0,
            201
        );
    }
    // Two actions in area 10, one of them done.
    let mut ids: Vec<Value> = Vec::new();
    for title in ["Röj buskage", "Byt lås"] {
        let body = json!({ "title": title, "party": "Upplands-Bro kommun", "owner": "Fastighet",
            "due_on": (now + chrono::TimeDelta::days(5)).date_naive().to_string(), "strategy_area": "10",
            "source": { "kind": "none" } });
        let (_, created) = app.post(&coordinator, "/api/v1/actions", &body).await;
        ids.push(created["id"].clone());
    }
    let path = format!("/api/v1/actions/{}/follow-ups", ids[0].as_str().unwrap());
    assert_eq!(
        app.post(&coordinator, &path, &json!({ "status": "done" }))
            .await
            .0,
        200
    );

    for body in [
        promise("Minst 4 trygghetsvandringar per år", "walks", 4, ""),
        promise(
            "Minst 8 gemensamma insatser mot drogscener",
            "interventions",
            8,
            "10",
        ),
        promise("Minst 2 åtgärder genomförda", "actions_done", 2, "10"),
        promise("Grannstöd varje vecka", "patrol_shifts", 52, ""),
    ] {
        let (status, answer) = app.post(&coordinator, "/api/v1/commitments", &body).await;
        assert_eq!(status, 201, "{answer}");
    }
    let (_, listed) = app.get(&coordinator, "/api/v1/commitments").await;
    let done = |measure: &str| {
        listed
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["measure"] == measure)
            .unwrap()["done"]
            .clone()
    };
    assert_eq!(done("walks"), 2, "this year's walks only: {listed}");
    assert_eq!(done("interventions"), 1, "area 10's only");
    assert_eq!(done("actions_done"), 1);
    assert_eq!(done("patrol_shifts"), 0);

    let (status, answer) = app
        .post(
            &coordinator,
            "/api/v1/commitments",
            &promise("Noll", "walks", 0, ""),
        )
        .await;
    assert_eq!((status, &answer["field"]), (422, &json!("target")));
    let (status, _) = app
        .post(
            &coordinator,
            "/api/v1/commitments",
            &promise("Okänt mått", "tweets", 3, ""),
        )
        .await;
    assert_eq!(status, 422);
    let (volunteer, _) = app.signed_in(Role::Volunteer).await;
    assert_eq!(app.get(&volunteer, "/api/v1/commitments").await.0, 403);
}
