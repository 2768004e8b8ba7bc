//! Focus problems: a problem of a strategy area with its crime-triangle cause analysis and
//! a goal with a measure and a date; actions and interventions are linked to it and show
//! on the problem and on the strategy-area page. Each test runs on SQLite and on
//! PostgreSQL.

use app::domain::role::Role;
use reqwest::Method;
use serde_json::{json, Value};
use tryggkarta_tests::{on_sqlite_and_postgres, TestApp};
use uuid::Uuid;

on_sqlite_and_postgres!(
    a_focus_problem_is_analysed_and_served_by_actions_and_interventions,
    bad_focus_problems_are_refused_and_only_police_and_coordinators_keep_them,
);

fn day(offset: i64) -> String {
    (chrono::Utc::now() + chrono::TimeDelta::days(offset))
        .date_naive()
        .to_string()
}

fn problem() -> Value {
    json!({
        "id": Uuid::now_v7(),
        "strategy_area": "10",
        "title": "Öppen droghandel vid Bro station",
        "problem": "Försäljning kvällstid vid cykelparkeringen, rapporterad varje vecka sedan augusti.",
        "causes": {
            "place": "Mörkt och skymt av buskar, många passerar till pendeltåget",
            "offender": "Några få säljare från andra delar av länet",
            "target": "Unga som väntar på tåget",
            "managers": "Trafikverket och kommunens gatuavdelning",
            "handlers": "Socialtjänstens fältgrupp",
            "guardians": "Stationsvärdar, nattvandrare"
        },
        "goal": "Ingen öppen försäljning vid stationen",
        "measure": "Rapporter i kategori Försäljning inom 300 m halveras mot samma kvartal i fjol",
        "goal_on": day(200),
    })
}

async fn a_focus_problem_is_analysed_and_served_by_actions_and_interventions(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (police, _) = app.signed_in(Role::Police).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;

    let new = problem();
    let (status, created) = app.post(&police, "/api/v1/focus-problems", &new).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["causes"]["guardians"], "Stationsvärdar, nattvandrare");
    let (status, again) = app.post(&police, "/api/v1/focus-problems", &new).await;
    assert_eq!(
        (status, &again["id"]),
        (200, &created["id"]),
        "a resend stores it once"
    );
    let id = created["id"].as_str().unwrap().to_owned();

    let action = json!({
        "title": "Röj buskarna vid cykelparkeringen", "party": "Trafikverket", "owner": "Driftledaren",
        "due_on": day(30), "strategy_area": "10", "source": { "kind": "none" },
    });
    let (status, action) = app.post(&coordinator, "/api/v1/actions", &action).await;
    assert_eq!(status, 201, "{action}");
    let intervention = json!({
        "title": "Gemensam kvällsnärvaro vid stationen", "strategy_area": "10",
        "zone": { "shape": "circle", "lat": 59.5113, "lng": 17.6358, "radius_m": 300.0 },
        "starts_on": day(-10),
    });
    let (status, intervention) = app.post(&police, "/api/v1/interventions", &intervention).await;
    assert_eq!(status, 201, "{intervention}");

    let activities = format!("/api/v1/focus-problems/{id}/activities");
    let (status, _) = app
        .post(&coordinator, &activities, &json!({ "action_id": action["id"] }))
        .await;
    assert_eq!(status, 200);
    let (status, linked) = app
        .post(
            &police,
            &activities,
            &json!({ "intervention_id": intervention["id"] }),
        )
        .await;
    assert_eq!(status, 200, "{linked}");
    let kinds: Vec<&str> = linked["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["action", "intervention"]);
    assert_eq!(linked["activities"][0]["status"], "proposed");
    assert_eq!(
        linked["activities"][0]["title"],
        "Röj buskarna vid cykelparkeringen"
    );

    // A second problem, served by nothing yet: the list gives each its own activities.
    let mut other = problem();
    other["title"] = json!("Klotter i gångtunneln vid Råby");
    other["goal_on"] = json!(day(300));
    let (status, other) = app.post(&police, "/api/v1/focus-problems", &other).await;
    assert_eq!(status, 201, "{other}");
    let (_, listed) = app.get(&coordinator, "/api/v1/focus-problems").await;
    let served: Vec<(&str, usize)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["title"].as_str().unwrap(),
                p["activities"].as_array().unwrap().len(),
            )
        })
        .collect();
    assert_eq!(
        served,
        [
            ("Öppen droghandel vid Bro station", 2),
            ("Klotter i gångtunneln vid Råby", 0)
        ]
    );

    // The strategy-area page carries the problem with its activities.
    let (status, page) = app.get(&coordinator, "/api/v1/strategy-areas/10").await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["focus_problems"][0]["id"], id.as_str());
    assert_eq!(
        page["focus_problems"][0]["activities"].as_array().unwrap().len(),
        2
    );
    assert_eq!(
        page["interventions"][0]["title"],
        "Gemensam kvällsnärvaro vid stationen"
    );
    let (_, other) = app.get(&coordinator, "/api/v1/strategy-areas/4.2").await;
    assert_eq!(other["focus_problems"], json!([]));

    // Changing the goal keeps the links.
    let mut changed = new.clone();
    changed["goal"] = json!("Ingen öppen försäljning vid stationen eller i gångtunneln");
    let (status, updated) = app
        .send(
            &police,
            Method::PUT,
            &format!("/api/v1/focus-problems/{id}"),
            Some(&changed),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(
        updated["goal"],
        "Ingen öppen försäljning vid stationen eller i gångtunneln"
    );
    assert_eq!(updated["activities"].as_array().unwrap().len(), 2);
}

async fn bad_focus_problems_are_refused_and_only_police_and_coordinators_keep_them(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (police, _) = app.signed_in(Role::Police).await;
    for (change, field) in [
        (json!({ "strategy_area": "99" }), "strategy_area"),
        (json!({ "problem": " " }), "problem"),
        (json!({ "measure": "" }), "measure"),
        (json!({ "goal_on": day(-1) }), "goal_on"),
        (json!({ "goal_on": "nästa år" }), "goal_on"),
    ] {
        let mut body = problem();
        for (key, value) in change.as_object().unwrap() {
            body[key] = value.clone();
        }
        let (status, refused) = app.post(&police, "/api/v1/focus-problems", &body).await;
        assert_eq!(
            (status, refused["field"].as_str()),
            (422, Some(field)),
            "{change} → {refused}"
        );
    }
    let (_, none) = app.get(&police, "/api/v1/focus-problems").await;
    assert_eq!(none, json!([]), "nothing saved half-way");

    let (_, created) = app.post(&police, "/api/v1/focus-problems", &problem()).await;
    let activities = format!(
        "/api/v1/focus-problems/{}/activities",
        created["id"].as_str().unwrap()
    );
    let (status, _) = app
        .post(
            &police,
            &activities,
            &json!({ "action_id": Uuid::now_v7(), "intervention_id": Uuid::now_v7() }),
        )
        .await;
    assert_eq!(status, 422, "one activity at a time");
    let (status, refused) = app
        .post(&police, &activities, &json!({ "action_id": Uuid::now_v7() }))
        .await;
    assert_eq!((status, refused["field"].as_str()), (422, Some("action_id")));
    let missing = format!("/api/v1/focus-problems/{}/activities", Uuid::now_v7());
    let (status, _) = app
        .post(&police, &missing, &json!({ "action_id": Uuid::now_v7() }))
        .await;
    assert_eq!(status, 404);

    for role in [Role::Volunteer, Role::Participant, Role::Admin] {
        let (client, _) = app.signed_in(role).await;
        assert_eq!(app.get(&client, "/api/v1/focus-problems").await.0, 403, "{role}");
        assert_eq!(
            app.post(&client, "/api/v1/focus-problems", &problem()).await.0,
            403,
            "{role}"
        );
        assert_eq!(
            app.post(&client, &activities, &json!({ "action_id": Uuid::now_v7() }))
                .await
                .0,
            403
        );
    }
}
