//! Limits that say what they are: each per-user limit and each limit on guesses answers
//! 429 with its own code, its own words and a `Retry-After` the words agree with; the
//! OpenAPI document lists the 429 wherever a per-user limit applies; on PostgreSQL
//! several instances give a user the limit once.

use app::domain::role::Role;
use serde_json::{json, Value};
use tryggkarta_tests::reports::drug_scene;
use tryggkarta_tests::{client, on_sqlite_and_postgres, TestApp, TestDb};

on_sqlite_and_postgres!(each_limit_answers_with_its_own_reason_and_wait,);

/// Status, `Retry-After` in seconds and body of an answer.
async fn answer(response: reqwest::Response) -> (u16, Option<u64>, Value) {
    let status = response.status().as_u16();
    let retry = response
        .headers()
        .get("retry-after")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse().ok());
    (status, retry, response.json().await.unwrap_or(Value::Null))
}

/// The number of seconds or minutes a message names: "om 30 minuter" → 1800.
fn wait_in(message: &str) -> Option<u64> {
    let words: Vec<&str> = message.split_whitespace().collect();
    words.windows(2).find_map(|pair| {
        let unit = pair[1].trim_end_matches('.');
        match (pair[0], unit) {
            ("en", "minut") => Some(60),
            ("1", "sekund") => Some(1),
            (number, "minuter") => number.parse::<u64>().ok().map(|minutes| minutes * 60),
            (number, "sekunder") => number.parse().ok(),
            _ => None,
        }
    })
}

async fn each_limit_answers_with_its_own_reason_and_wait(database_url: String) {
    let app = TestApp::spawn_with(
        &database_url,
        &[
            ("TRYGGKARTA_SUBMISSIONS_PER_MINUTE", "1"),
            ("TRYGGKARTA_EXPORTS_PER_HOUR", "2"),
        ],
    )
    .await;

    // Reports: a burst of five minutes' worth, then the phone is told to keep them.
    let (volunteer, _) = app.signed_in(Role::Volunteer).await;
    let send = || {
        volunteer
            .post(app.url("/api/v1/observations"))
            .json(&drug_scene())
            .send()
    };
    for _ in 0..5 {
        assert_eq!(send().await.unwrap().status(), 201);
    }
    let (status, retry, body) = answer(send().await.unwrap()).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (429, Some("too_many_submissions")),
        "{body}"
    );
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("rapporter") && message.contains("telefonen"),
        "{message}"
    );
    assert!(!message.contains("inloggningar"), "{message}");
    let retry = retry.expect("Retry-After");
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(
        wait_in(message),
        Some(retry),
        "the words and the header agree: {message}"
    );

    // Exports: one of a burst of one, then half an hour until the next.
    let (police, _) = app.signed_in(Role::Police).await;
    let export = "/api/v1/export/observations.csv";
    assert_eq!(police.get(app.url(export)).send().await.unwrap().status(), 200);
    let (status, retry, body) = answer(police.get(app.url(export)).send().await.unwrap()).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (429, Some("too_many_exports")),
        "{body}"
    );
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("filer") && !message.contains("inloggningar"),
        "{message}"
    );
    let retry = retry.expect("Retry-After");
    assert!((1700..=1800).contains(&retry), "{retry}");
    assert_eq!(
        wait_in(message).map(|wait| wait.div_ceil(60)),
        Some(retry.div_ceil(60)),
        "{message}"
    );

    // Sign-ins: the account is held for the window, said as such.
    let (email, _) = app.add_user(Role::Coordinator).await;
    let sign_in = || {
        client()
            .post(app.url("/api/v1/session"))
            .json(&json!({ "email": email, "password": "fel-lösenord-123" }))
            .send()
    };
    for _ in 0..app::ssr::infra::attempts::MAX_FAILURES_PER_ACCOUNT {
        assert_eq!(sign_in().await.unwrap().status(), 401);
    }
    let (status, retry, body) = answer(sign_in().await.unwrap()).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (429, Some("too_many_attempts")),
        "{body}"
    );
    assert!(
        body["message"].as_str().unwrap().contains("inloggningar"),
        "{body}"
    );
    assert_eq!(retry, Some(app::error::GUESS_WINDOW_S));

    // Join codes: their own words, not the sign-in's.
    let guesser = client();
    let guess = || {
        guesser
            .post(app.url("/api/v1/walks/join"))
            .json(&json!({ "code": "AAAAAA" }))
            .send()
    };
    let mut last = answer(guess().await.unwrap()).await;
    for _ in 0..30 {
        if last.0 == 429 {
            break;
        }
        last = answer(guess().await.unwrap()).await;
    }
    let (status, retry, body) = last;
    assert_eq!(
        (status, body["error"].as_str()),
        (429, Some("too_many_attempts")),
        "{body}"
    );
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("vandringskoder") && !message.contains("inloggningar"),
        "{message}"
    );
    assert_eq!(retry, Some(app::error::GUESS_WINDOW_S));
}

/// Seven export operations answered 429 without the document listing it: now every
/// operation a per-user limit applies to lists 429 with its `Retry-After`, by the same rule
/// that applies the limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_lists_429_wherever_a_limit_applies() {
    let db = TestDb::sqlite();
    let app = TestApp::spawn(&db.url).await;
    let (_, doc) = app.get(&client(), "/api/v1/openapi.json").await;
    let mut limited = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let Some(limit) = server::routes::limits::limit_of(&method, path) else {
                continue;
            };
            let too_many = &operation["responses"]["429"];
            assert!(too_many.is_object(), "{method} {path} ({limit:?}) lists no 429");
            assert!(
                too_many["headers"]["Retry-After"].is_object(),
                "{method} {path}: {too_many}"
            );
            limited.push(format!("{method} {path}"));
        }
    }
    // The two ways to send, and the eight files of records (the weekly picture's CSV too).
    assert_eq!(limited.len(), 10, "{limited:?}");
}

/// In memory, each instance counted a user's share itself: n instances gave n times the
/// limit. On PostgreSQL it is counted in the database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_instances_give_a_user_the_limit_once() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let settings = [("TRYGGKARTA_EXPORTS_PER_HOUR", "2")];
    let first = TestApp::spawn_with(&db.url, &settings).await;
    let second = TestApp::spawn_with(&db.url, &settings).await;
    // One browser, one session, two instances behind a load balancer (the cookie is the
    // host's, whichever port answers).
    let (police, _) = first.signed_in(Role::Police).await;
    let export = "/api/v1/export/observations.csv";
    assert_eq!(first.get(&police, "/api/v1/session").await.0, 200);
    assert_eq!(second.get(&police, "/api/v1/session").await.0, 200);
    assert_eq!(first_status(&police, &first, export).await, 200);
    assert_eq!(
        first_status(&police, &second, export).await,
        429,
        "the second instance knows of the first's"
    );
    assert_eq!(first_status(&police, &first, export).await, 429);
    // Many at once on both: still one share.
    let (other, _) = first.signed_in(Role::Police).await;
    let tries = (0..8).map(|i| {
        let app = if i % 2 == 0 { &first } else { &second };
        first_status(&other, app, export)
    });
    let statuses = futures::future::join_all(tries).await;
    assert_eq!(
        statuses.iter().filter(|&&status| status == 200).count(),
        1,
        "{statuses:?}"
    );
}

async fn first_status(client: &reqwest::Client, app: &TestApp, path: &str) -> u16 {
    client.get(app.url(path)).send().await.unwrap().status().as_u16()
}
