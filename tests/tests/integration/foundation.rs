//! The foundation: the server starts on an empty database, answers its health check,
//! signs users in and out safely, keeps sessions in the database, and lets each role
//! open only its own pages. Each test runs on SQLite and on PostgreSQL.

use app::domain::role::Role;
use serde_json::Value;
use tryggkarta_tests::{
    browser, client, cookie_header, on_sqlite_and_postgres, page_text, sign_in, TestApp, ADMIN_EMAIL,
    ADMIN_PASSWORD,
};

on_sqlite_and_postgres!(
    health_reports_the_database_as_ok,
    the_first_admin_is_created_on_an_empty_database_and_can_sign_in,
    a_wrong_password_or_unknown_user_gets_the_same_clear_swedish_error,
    repeated_failed_sign_ins_lock_the_account_even_for_the_right_password,
    wrong_passwords_sent_all_at_once_are_checked_no_more_often_than_the_limit,
    a_session_started_on_one_instance_is_valid_on_another,
    signing_out_ends_the_session,
    the_session_id_changes_at_sign_in,
    signed_out_visitors_are_sent_to_sign_in,
    lagesbild_is_forbidden_for_volunteers_and_open_to_police,
    malformed_and_oversized_requests_get_json_errors_not_500,
    pages_are_swedish_by_default_and_english_on_request,
);

async fn health_reports_the_database_as_ok(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let response = client().get(app.url("/api/v1/health")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
}

async fn the_first_admin_is_created_on_an_empty_database_and_can_sign_in(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let client = client();
    let response = client
        .post(app.url("/api/v1/session"))
        .json(&serde_json::json!({ "email": ADMIN_EMAIL, "password": ADMIN_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let user: Value = response.json().await.unwrap();
    assert_eq!(user["role"], "admin");
    let me: Value = client
        .get(app.url("/api/v1/session"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], ADMIN_EMAIL);
}

async fn a_wrong_password_or_unknown_user_gets_the_same_clear_swedish_error(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (email, _) = app.add_user(Role::Volunteer).await;
    let mut bodies = Vec::new();
    for (email, password) in [
        (email.as_str(), "fel-lösenord-1"),
        ("ingen@test.tryggkarta.se", "fel-lösenord-1"),
    ] {
        let response = client()
            .post(app.url("/api/v1/session"))
            .json(&serde_json::json!({ "email": email, "password": password }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
        bodies.push(response.json::<Value>().await.unwrap());
    }
    assert_eq!(bodies[0], bodies[1], "no hint whether the account exists");
    assert_eq!(bodies[0]["error"], "invalid_credentials");
    assert_eq!(bodies[0]["message"], "Fel e-postadress eller lösenord.");

    // The form shows the same message on the sign-in page.
    let response = client()
        .post(app.url("/logga-in"))
        .form(&[("email", email.as_str()), ("password", "fel-lösenord-1")])
        .send()
        .await
        .unwrap();
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/logga-in?fel=credentials"), "{location}");
    let page = page_text(&client(), &app.url(&location)).await;
    assert!(page.contains("Fel e-postadress eller lösenord."));
}

/// One sign-in through the REST API, from a client of its own.
async fn sign_in_by_api(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    client()
        .post(app.url("/api/v1/session"))
        .json(&serde_json::json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap()
}

async fn repeated_failed_sign_ins_lock_the_account_even_for_the_right_password(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (email, password) = app.add_user(Role::Police).await;
    for _ in 0..app::ssr::infra::attempts::MAX_FAILURES_PER_ACCOUNT {
        assert_eq!(sign_in_by_api(&app, &email, "fel-lösenord-1").await.status(), 401);
    }
    let locked = sign_in_by_api(&app, &email, &password).await;
    assert_eq!(locked.status(), 429);
    let body: Value = locked.json().await.unwrap();
    assert_eq!(body["error"], "too_many_attempts");
    assert!(body["message"].as_str().unwrap().contains("För många"));
}

async fn wrong_passwords_sent_all_at_once_are_checked_no_more_often_than_the_limit(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (email, password) = app.add_user(Role::Police).await;
    let attempt = |password: String| {
        let (app, email) = (&app, &email);
        async move { sign_in_by_api(app, email, &password).await.status().as_u16() }
    };
    // A guesser who sends a burst instead of one at a time: each guess is counted before
    // its password is checked, so no more than the limit are ever checked.
    let guesses = (0..30).map(|n| attempt(format!("gissning-nummer-{n}")));
    let answers = futures::future::join_all(guesses).await;
    let checked = answers.iter().filter(|&&status| status == 401).count();
    let refused = answers.iter().filter(|&&status| status == 429).count();
    assert_eq!(checked + refused, answers.len(), "only 401 and 429: {answers:?}");
    let limit = app::ssr::infra::attempts::MAX_FAILURES_PER_ACCOUNT as usize;
    assert!(checked <= limit, "{checked} guesses were checked: {answers:?}");
    // Guesses refused unchecked are not failures; one at a time, the rest of the limit is
    // checked, and then the account is locked, also for its right password.
    for _ in checked..limit {
        assert_eq!(attempt("ännu-en-gissning".into()).await, 401);
    }
    assert_eq!(attempt("ännu-en-gissning".into()).await, 429);
    assert_eq!(attempt(password).await, 429, "the account is locked");
}

async fn a_session_started_on_one_instance_is_valid_on_another(database_url: String) {
    let first = TestApp::spawn(&database_url).await;
    let second = TestApp::spawn(&database_url).await;
    let (email, password) = first.add_user(Role::Coordinator).await;
    let (client, jar) = browser();
    sign_in(&first, &client, &email, &password).await;
    // The two instances listen on different ports; carry the cookie over as a load
    // balancer would.
    let session_cookie = cookie_header(&jar, &first);
    assert!(session_cookie.contains("tryggkarta_session="));
    let on_second = reqwest::Client::new()
        .get(second.url("/api/v1/session"))
        .header("cookie", session_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(on_second.status(), 200, "the second instance knows the session");
    let me: Value = on_second.json().await.unwrap();
    assert_eq!(me["email"], email);
}

async fn signing_out_ends_the_session(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (email, password) = app.add_user(Role::Volunteer).await;
    let (client, jar) = browser();
    sign_in(&app, &client, &email, &password).await;
    let stolen_cookie = cookie_header(&jar, &app);
    let response = client.post(app.url("/logga-ut")).send().await.unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(
        client
            .get(app.url("/api/v1/session"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    // A copy of the old cookie is worthless too: the session is gone from the database.
    let replay = reqwest::Client::new()
        .get(app.url("/api/v1/session"))
        .header("cookie", stolen_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), 401);
}

async fn the_session_id_changes_at_sign_in(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let walk: Value = coordinator
        .post(app.url("/api/v1/walks"))
        .json(&serde_json::json!({ "title": "Vandring", "area": "Bro", "starts_at": "2026-11-25T18:00:00Z", "light": "dark" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // Someone joins a walk: a real, signed-in participant session…
    let (phone, jar) = browser();
    let joined = phone
        .post(app.url("/api/v1/walks/join"))
        .json(&serde_json::json!({ "code": walk["join_code"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(joined.status(), 200);
    let participant_cookie = cookie_header(&jar, &app);
    // …and a police officer then signs in with that same cookie (planted, or a shared phone).
    let (email, password) = app.add_user(Role::Police).await;
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(app.url("/logga-in"))
        .header("cookie", &participant_cookie)
        .form(&[("email", email.as_str()), ("password", password.as_str())])
        .send()
        .await
        .unwrap();
    let set_cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(set_cookie.starts_with("tryggkarta_session="));
    let new_id = set_cookie.split(';').next().unwrap();
    assert_ne!(new_id, participant_cookie, "the session id is renewed at sign-in");
    assert!(set_cookie.contains("HttpOnly"));
    assert!(set_cookie.contains("SameSite=Lax"));
    // The old cookie did not become a police session.
    let old: Value = reqwest::Client::new()
        .get(app.url("/api/v1/session"))
        .header("cookie", &participant_cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_ne!(old["role"], "police", "{old}");
}

async fn signed_out_visitors_are_sent_to_sign_in(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let response = client().get(app.url("/lagesbild")).send().await.unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/logga-in?nasta=/lagesbild");
    let login = client().get(app.url("/logga-in")).send().await.unwrap();
    assert_eq!(login.status(), 200);
    let page = login.text().await.unwrap();
    assert!(page.contains("<form method=\"post\" action=\"/logga-in\""));
    // A resident on a walk has no account: the sign-in page leads them to the code form.
    assert!(page.contains("href=\"/vandring\""), "{page}");
}

async fn lagesbild_is_forbidden_for_volunteers_and_open_to_police(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    for (role, status) in [
        (Role::Volunteer, 403),
        (Role::Participant, 403),
        (Role::Police, 200),
        (Role::Coordinator, 200),
    ] {
        let (email, password) = app.add_user(role).await;
        let client = client();
        sign_in(&app, &client, &email, &password).await;
        let response = client.get(app.url("/lagesbild")).send().await.unwrap();
        assert_eq!(response.status(), status, "{role} on /lagesbild");
        let page = response.text().await.unwrap();
        if status == 403 {
            assert!(page.contains("Ingen behörighet"), "{role} sees why");
            assert!(!page.contains("hotspotkartor"), "{role} does not see the page");
        } else {
            assert!(page.contains("Lägesbild"));
        }
    }
}

async fn malformed_and_oversized_requests_get_json_errors_not_500(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let client = client();

    let garbage = client
        .post(app.url("/api/v1/session"))
        .header("content-type", "application/json")
        .body("{ inte json")
        .send()
        .await
        .unwrap();
    assert_eq!(garbage.status(), 422);
    let body: Value = garbage.json().await.unwrap();
    assert_eq!(body["error"], "invalid_input");
    assert!(body["message"].as_str().unwrap().contains("JSON"));

    let huge = "x".repeat(server::routes::limits::MAX_BODY_BYTES + 1);
    // Its own client: the server answers 413 without reading the body and closes
    // that connection, which a pooled client might otherwise reuse.
    let oversized = tryggkarta_tests::client()
        .post(app.url("/api/v1/session"))
        .header("content-type", "application/json")
        .body(format!("{{\"email\":\"{huge}\"}}"))
        .send()
        .await
        .unwrap();
    assert_eq!(oversized.status(), 413);
    let body: Value = oversized.json().await.unwrap();
    assert_eq!(body["error"], "payload_too_large");
    assert_eq!(body["message"], "Förfrågan är för stor.");

    let unknown = client.get(app.url("/api/v1/finns-inte")).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
    assert_eq!(unknown.json::<Value>().await.unwrap()["error"], "not_found");

    // A form post without the fields lands back on the sign-in page with a message.
    let empty_form = client
        .post(app.url("/logga-in"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("%%%")
        .send()
        .await
        .unwrap();
    assert_eq!(empty_form.status(), 303);
    assert!(empty_form.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/logga-in?fel=invalid"));
}

async fn pages_are_swedish_by_default_and_english_on_request(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let swedish = page_text(&client(), &app.url("/logga-in")).await;
    assert!(swedish.contains("<html lang=\"sv\""));
    assert!(swedish.contains("Lösenord"));

    let client = client();
    let switched = client
        .get(app.url("/sprak?till=en&tillbaka=/logga-in"))
        .send()
        .await
        .unwrap();
    assert_eq!(switched.status(), 303);
    assert_eq!(switched.headers()["location"], "/logga-in");
    let english = page_text(&client, &app.url("/logga-in")).await;
    assert!(english.contains("<html lang=\"en\""));
    assert!(english.contains("Password"));
}
