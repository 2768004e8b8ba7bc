//! Grannsamverkan: a planted wave of burglary-related reports in a watch area raises an
//! alert and ordinary weeks do not; the alert is e-mailed once to each contact through a
//! mail server the test starts itself, every attempt is logged, a mail server that is
//! down leaves the alert pending with the reason; contact persons need a consent date and
//! are read only by coordinators. Each test runs on SQLite and on PostgreSQL.

use app::domain::role::Role;
use reqwest::Method;
use serde_json::{json, Value};
use tryggkarta_tests::reports::{days_ago_ms, store, Report};
use tryggkarta_tests::smtp::{nowhere, Sink};
use tryggkarta_tests::{on_sqlite_and_postgres, rectangle, TestApp};

on_sqlite_and_postgres!(
    a_planted_rise_raises_an_alert_and_ordinary_weeks_do_not,
    an_alert_is_emailed_once_to_each_contact_and_logged,
    a_mail_server_that_is_down_leaves_the_alert_pending_and_says_why,
    without_a_mail_server_alerts_are_passed_on_by_hand_or_dismissed,
    watch_areas_are_checked_and_only_coordinators_read_contacts,
);

/// Two residential areas in Bro, a few hundred metres apart.
const FINNSTA: (f64, f64) = (59.5180, 17.6200);
const RABY: (f64, f64) = (59.5050, 17.6500);

fn square_around(place: (f64, f64)) -> Value {
    rectangle(place.1 - 0.004, place.0 - 0.002, place.1 + 0.004, place.0 + 0.002)
}

/// `count` reports of `category` near `place`, spread over the days `first..=last` ago.
fn reports(
    category: &'static str,
    place: (f64, f64),
    count: usize,
    days_ago: (i64, i64),
) -> Vec<Report<'static>> {
    let span = days_ago.1 - days_ago.0 + 1;
    (0..count)
        .map(|i| {
            // Spread without a pattern the test could lean on: a stride coprime to the span.
            let ago = days_ago.0 + (i as i64 * 37) % span;
            Report::at(
                category,
                place.0 + (i % 7) as f64 * 0.0001,
                place.1 + (i % 5) as f64 * 0.0001,
                days_ago_ms(ago),
            )
        })
        .collect()
}

/// About one burglary sign a week for the half-year before the last two weeks.
fn ordinary_half_year(place: (f64, f64)) -> Vec<Report<'static>> {
    reports("patrol.burglary_signs", place, 26, (15, 195))
}

fn contact(name: &str, email: &str) -> Value {
    json!({ "name": name, "phone": "070-123 45 67", "email": email, "consent_on": "2026-01-15" })
}

fn settings(contacts: Vec<Value>) -> Value {
    json!({ "categories": ["patrol.burglary_signs", "patrol.open_window"], "contacts": contacts })
}

/// A named area, returned by id.
async fn named_area(app: &TestApp, coordinator: &reqwest::Client, name: &str, place: (f64, f64)) -> String {
    let (status, area) = app
        .post(
            coordinator,
            "/api/v1/areas",
            &json!({ "name": name, "kind": "named", "geometry": square_around(place) }),
        )
        .await;
    assert_eq!(status, 201, "{area}");
    area["id"].as_str().unwrap().to_owned()
}

async fn put(app: &TestApp, client: &reqwest::Client, path: &str, body: &Value) -> (u16, Value) {
    app.send(client, Method::PUT, path, Some(body)).await
}

/// Finnsta with a planted wave and Råby with ordinary weeks, both watched.
async fn two_watched_areas(app: &TestApp, coordinator: &reqwest::Client, reporter: &str) -> (String, String) {
    let finnsta = named_area(app, coordinator, "Finnsta", FINNSTA).await;
    let raby = named_area(app, coordinator, "Råby", RABY).await;
    let mut planted = ordinary_half_year(FINNSTA);
    planted.extend(reports("patrol.burglary_signs", FINNSTA, 6, (0, 13)));
    planted.extend(reports("patrol.open_window", FINNSTA, 4, (0, 13)));
    // Graffiti is not burglary-related: many of them must not count.
    planted.extend(reports("patrol.damage", RABY, 15, (0, 13)));
    planted.extend(ordinary_half_year(RABY));
    // Normal variation: three in two weeks, where two are usual.
    planted.extend(reports("patrol.burglary_signs", RABY, 3, (0, 13)));
    // A wave outside every watch area.
    planted.extend(reports("patrol.burglary_signs", (59.4786, 17.7500), 20, (0, 13)));
    store(app, reporter, &planted).await;
    for (area, who) in [
        (&finnsta, "anna@finnsta.example.se"),
        (&raby, "rune@raby.example.se"),
    ] {
        let (status, watch) = put(
            app,
            coordinator,
            &format!("/api/v1/watch-areas/{area}"),
            &settings(vec![contact("Anna Andersson", who), contact("Bo Berg", "")]),
        )
        .await;
        assert_eq!(status, 200, "{watch}");
    }
    (finnsta, raby)
}

async fn a_planted_rise_raises_an_alert_and_ordinary_weeks_do_not(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, coordinator_id) = app.signed_in(Role::Coordinator).await;
    let (police, _) = app.signed_in(Role::Police).await;
    let (finnsta, _) = two_watched_areas(&app, &coordinator, &coordinator_id).await;

    let (status, raised) = app.post(&police, "/api/v1/alerts/scan", &json!({})).await;
    assert_eq!(status, 200, "{raised}");
    let raised = raised.as_array().unwrap();
    assert_eq!(raised.len(), 1, "only Finnsta rose: {raised:?}");
    let alert = &raised[0];
    assert_eq!(alert["area_id"], finnsta.as_str());
    assert_eq!(alert["recent"], 10);
    assert_eq!(alert["baseline"], 26);
    assert!(
        (alert["expected"].as_f64().unwrap() - 2.0).abs() < 1e-9,
        "{alert}"
    );
    assert!(alert["p"].as_f64().unwrap() < 0.01);
    assert_eq!(alert["status"], "pending");
    let message = alert["message"].as_str().unwrap();
    assert!(message.contains("Grannsamverkan Finnsta"), "{message}");
    assert!(message.contains("har 10 inbrottsrelaterade"), "{message}");
    assert!(message.contains("Neighbourhood watch Finnsta"), "{message}");
    // No positions and no persons in what residents get.
    for secret in ["59.5", "17.6", "Anna", "anna@", "070-"] {
        assert!(!message.contains(secret), "{secret} in {message}");
    }

    // The same rise raises no second alert, on a second scan or from a second server.
    let other = TestApp::spawn(&database_url).await;
    let (again, _) = other.signed_in(Role::Coordinator).await;
    let (status, none) = other.post(&again, "/api/v1/alerts/scan", &json!({})).await;
    assert_eq!((status, none), (200, json!([])));
    let (_, listed) = app.get(&police, "/api/v1/alerts?open=true").await;
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
}

async fn an_alert_is_emailed_once_to_each_contact_and_logged(database_url: String) {
    let sink = Sink::start().await;
    let app = TestApp::spawn_with(
        &database_url,
        &[
            ("TRYGGKARTA_SMTP_URL", sink.url.as_str()),
            (
                "TRYGGKARTA_SMTP_FROM",
                "Tryggkarta <noreply@upplands-bro.example.se>",
            ),
        ],
    )
    .await;
    let (coordinator, coordinator_id) = app.signed_in(Role::Coordinator).await;
    let (police, _) = app.signed_in(Role::Police).await;
    let (finnsta, _) = two_watched_areas(&app, &coordinator, &coordinator_id).await;
    let (status, contacts) = put(
        &app,
        &coordinator,
        &format!("/api/v1/watch-areas/{finnsta}"),
        &settings(vec![
            contact("Anna Andersson", "anna@finnsta.example.se"),
            contact("Cecilia Ek", "cecilia@finnsta.example.se"),
            contact("Bo Berg", ""),
        ]),
    )
    .await;
    assert_eq!(status, 200, "{contacts}");
    let (_, raised) = app.post(&police, "/api/v1/alerts/scan", &json!({})).await;
    let id = raised[0]["id"].as_str().unwrap().to_owned();

    // Two people press "send" at once: one sends, the other is told it is under way.
    let send = format!("/api/v1/alerts/{id}/send");
    let empty = json!({});
    let (first, second) = tokio::join!(
        app.post(&police, &send, &empty),
        app.post(&coordinator, &send, &empty)
    );
    let mut statuses = [first.0, second.0];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{first:?} {second:?}");
    let delivered = sink.delivered();
    let mut recipients: Vec<String> = delivered.iter().flat_map(|d| d.to.clone()).collect();
    recipients.sort();
    assert_eq!(
        recipients,
        ["anna@finnsta.example.se", "cecilia@finnsta.example.se"],
        "one message each, no one sees the others' address"
    );
    assert!(delivered.iter().all(|d| d.to.len() == 1));
    assert!(delivered[0].data.contains("Finnsta"), "{}", delivered[0].data);

    // Coordinators see who got it; police see that it went out.
    let (_, seen) = app.get(&coordinator, &format!("/api/v1/alerts/{id}")).await;
    assert_eq!(seen["status"], "sent");
    let notices = seen["notices"].as_array().unwrap();
    assert_eq!(notices.len(), 2, "{seen}");
    assert!(notices.iter().all(|n| n["outcome"] == "sent"));
    assert!(notices
        .iter()
        .any(|n| n["recipient"] == "anna@finnsta.example.se"));
    let (_, seen_by_police) = app.get(&police, &format!("/api/v1/alerts/{id}")).await;
    assert!(
        !seen_by_police.to_string().contains("@finnsta"),
        "{seen_by_police}"
    );
    // The list carries the same log, with the same rule.
    let (_, listed) = app.get(&coordinator, "/api/v1/alerts").await;
    assert_eq!(listed[0]["notices"], seen["notices"]);
    let (_, listed_for_police) = app.get(&police, "/api/v1/alerts").await;
    assert_eq!(listed_for_police[0]["notices"].as_array().unwrap().len(), 2);
    assert!(
        !listed_for_police.to_string().contains("@finnsta"),
        "{listed_for_police}"
    );

    let (status, again) = app.post(&police, &send, &json!({})).await;
    assert_eq!(status, 409, "{again}");
    assert_eq!(sink.delivered().len(), 2, "nothing is sent twice");
}

async fn a_mail_server_that_is_down_leaves_the_alert_pending_and_says_why(database_url: String) {
    let down = nowhere().await;
    let app = TestApp::spawn_with(&database_url, &[("TRYGGKARTA_SMTP_URL", down.as_str())]).await;
    let (coordinator, coordinator_id) = app.signed_in(Role::Coordinator).await;
    two_watched_areas(&app, &coordinator, &coordinator_id).await;
    let (_, raised) = app.post(&coordinator, "/api/v1/alerts/scan", &json!({})).await;
    let id = raised[0]["id"].as_str().unwrap().to_owned();

    let (status, failed) = app
        .post(&coordinator, &format!("/api/v1/alerts/{id}/send"), &json!({}))
        .await;
    assert_eq!(status, 502, "{failed}");
    assert_eq!(failed["error"], "upstream_failed");
    assert!(
        failed["message"].as_str().unwrap().contains("väntar kvar"),
        "{failed}"
    );
    let (_, pending) = app.get(&coordinator, &format!("/api/v1/alerts/{id}")).await;
    assert_eq!(pending["status"], "pending");
    assert!(
        pending["last_error"].as_str().unwrap().contains("e-postservern"),
        "{pending}"
    );
    assert_eq!(pending["notices"][0]["outcome"], "failed");

    // Passed on by hand instead: logged, and closed.
    let (status, by_hand) = app
        .post(
            &coordinator,
            &format!("/api/v1/alerts/{id}/send"),
            &json!({ "manual": true }),
        )
        .await;
    assert_eq!(status, 200, "{by_hand}");
    assert_eq!(by_hand["status"], "sent_manually");
    assert_eq!(by_hand["last_error"], Value::Null);
    assert_eq!(by_hand["notices"].as_array().unwrap().len(), 2);
}

async fn without_a_mail_server_alerts_are_passed_on_by_hand_or_dismissed(database_url: String) {
    let quiet = TestApp::spawn(&database_url).await;
    let (coordinator, coordinator_id) = quiet.signed_in(Role::Coordinator).await;
    two_watched_areas(&quiet, &coordinator, &coordinator_id).await;
    let (_, raised) = quiet.post(&coordinator, "/api/v1/alerts/scan", &json!({})).await;
    let id = raised[0]["id"].as_str().unwrap().to_owned();
    let (status, refused) = quiet
        .post(&coordinator, &format!("/api/v1/alerts/{id}/send"), &json!({}))
        .await;
    assert_eq!(status, 409, "{refused}");
    assert!(refused["message"]
        .as_str()
        .unwrap()
        .contains("E-post är inte inställd"));
    let (status, dismissed) = quiet
        .post(
            &coordinator,
            &format!("/api/v1/alerts/{id}/dismiss"),
            &json!({ "reason": " " }),
        )
        .await;
    assert_eq!((status, dismissed["field"].as_str()), (422, Some("reason")));
    let (status, dismissed) = quiet
        .post(
            &coordinator,
            &format!("/api/v1/alerts/{id}/dismiss"),
            &json!({ "reason": "Polisen har redan gått ut med information i området." }),
        )
        .await;
    assert_eq!((status, dismissed["status"].as_str()), (200, Some("dismissed")));
}

async fn watch_areas_are_checked_and_only_coordinators_read_contacts(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let finnsta = named_area(&app, &coordinator, "Finnsta", FINNSTA).await;
    let path = format!("/api/v1/watch-areas/{finnsta}");
    let good = settings(vec![contact("Anna Andersson", "anna@finnsta.example.se")]);
    assert_eq!(put(&app, &coordinator, &path, &good).await.0, 200);

    let mut no_consent = contact("Bo Berg", "bo@finnsta.example.se");
    no_consent["consent_on"] = json!("");
    let mut smuggled = contact("Eve", "eve@example.se\r\nBcc: all@example.se");
    smuggled["phone"] = json!("");
    let cases = [
        (
            settings(vec![contact("Anna", "anna@x.se"), no_consent]),
            "contacts[1].consent_on",
        ),
        (settings(vec![smuggled]), "contacts[0].email"),
        (
            json!({ "categories": ["drug.dealing.x"], "contacts": [] }),
            "categories",
        ),
        (json!({ "categories": [], "contacts": [] }), "categories"),
        (
            json!({ "categories": ["patrol.burglary_signs"], "window_days": 365 }),
            "window_days",
        ),
    ];
    for (body, field) in cases {
        let (status, refused) = put(&app, &coordinator, &path, &body).await;
        assert_eq!(
            (status, refused["field"].as_str()),
            (422, Some(field)),
            "{body} → {refused}"
        );
    }
    // Nothing was saved half-way: the good contact list is still the one kept.
    let (_, kept) = app.get(&coordinator, "/api/v1/watch-areas").await;
    assert_eq!(kept[0]["contacts"].as_array().unwrap().len(), 1, "{kept}");
    assert_eq!(kept[0]["contacts"][0]["name"], "Anna Andersson");

    // With a second area, each is listed with its own contacts, in their order.
    let raby = named_area(&app, &coordinator, "Råby", RABY).await;
    let two = settings(vec![
        contact("Cecilia Ek", "cecilia@raby.example.se"),
        contact("Bo Berg", "bo@raby.example.se"),
    ]);
    assert_eq!(
        put(&app, &coordinator, &format!("/api/v1/watch-areas/{raby}"), &two)
            .await
            .0,
        200
    );
    let (_, both) = app.get(&coordinator, "/api/v1/watch-areas").await;
    let listed: Vec<(String, Vec<String>)> = both
        .as_array()
        .unwrap()
        .iter()
        .map(|area| {
            let names = area["contacts"].as_array().unwrap().iter();
            (
                area["name"].as_str().unwrap().to_owned(),
                names.map(|c| c["name"].as_str().unwrap().to_owned()).collect(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        vec![
            ("Finnsta".to_owned(), vec!["Anna Andersson".to_owned()]),
            (
                "Råby".to_owned(),
                vec!["Cecilia Ek".to_owned(), "Bo Berg".to_owned()]
            ),
        ]
    );
    let raby_path = format!("/api/v1/watch-areas/{raby}");
    let (status, _) = app.send(&coordinator, Method::DELETE, &raby_path, None).await;
    assert_eq!(status, 204);

    let (status, _) = put(
        &app,
        &coordinator,
        &format!("/api/v1/watch-areas/{}", uuid::Uuid::now_v7()),
        &good,
    )
    .await;
    assert_eq!(status, 404);

    for role in [Role::Police, Role::Volunteer, Role::Participant, Role::Admin] {
        let (client, _) = app.signed_in(role).await;
        assert_eq!(app.get(&client, "/api/v1/watch-areas").await.0, 403, "{role}");
        assert_eq!(put(&app, &client, &path, &good).await.0, 403, "{role}");
        let alerts = app.get(&client, "/api/v1/alerts").await.0;
        assert_eq!(alerts == 200, role == Role::Police, "{role}: {alerts}");
    }
    let (status, _) = app.get(&tryggkarta_tests::client(), "/api/v1/alerts").await;
    assert_eq!(status, 401);

    // Ending the watch deletes the contact persons with it.
    let (status, _) = app.send(&coordinator, Method::DELETE, &path, None).await;
    assert_eq!(status, 204);
    let (_, left) = app.get(&coordinator, "/api/v1/watch-areas").await;
    assert_eq!(left, json!([]));
    let (count,): (i64,) = sqlx::query_as("select count(*) from watch_contact")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(count, 0);
}
