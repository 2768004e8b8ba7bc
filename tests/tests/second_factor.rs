//! A second factor (issue 11, part 2): a user sets up an authenticator app under Mitt
//! konto; from then on signing in needs its code, a code works once, and wrong codes count
//! as failed sign-ins. With `TRYGGKARTA_REQUIRE_MFA=1` police and admins can do nothing
//! but set it up until they have. On SQLite and PostgreSQL.

use app::domain::role::Role;
use app::ssr::totp;
use serde_json::{json, Value};
use tryggkarta_tests::{client, on_sqlite_and_postgres, TestApp};

on_sqlite_and_postgres!(
    with_a_second_factor_signing_in_needs_a_fresh_code_from_the_app,
    when_required_police_can_only_set_it_up_until_they_have,
);

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

async fn sign_in(
    app: &TestApp,
    email: &str,
    password: &str,
    code: Option<&str>,
) -> (u16, Value, reqwest::Client) {
    let client = client();
    let mut body = json!({ "email": email, "password": password });
    if let Some(code) = code {
        body["code"] = json!(code);
    }
    let (status, answer) = app.post(&client, "/api/v1/session", &body).await;
    (status, answer, client)
}

/// Sets the second factor up for the user behind `client`; returns the secret and the
/// moment whose code switched it on.
async fn set_up(app: &TestApp, client: &reqwest::Client) -> (String, i64) {
    let (status, started) = app
        .post(client, "/api/v1/session/second-factor", &json!({}))
        .await;
    assert_eq!(status, 200, "{started}");
    let secret = started["secret"].as_str().unwrap().to_owned();
    assert!(started["otpauth_url"]
        .as_str()
        .unwrap()
        .starts_with("otpauth://totp/"));
    // A wrong code does not switch it on.
    let (status, _) = app
        .send(
            client,
            reqwest::Method::PUT,
            "/api/v1/session/second-factor",
            Some(&json!({ "code": "000000" })),
        )
        .await;
    assert_eq!(status, 422);
    let at = now();
    let code = totp::current_code(&secret, at).unwrap();
    let (status, body) = app
        .send(
            client,
            reqwest::Method::PUT,
            "/api/v1/session/second-factor",
            Some(&json!({ "code": code })),
        )
        .await;
    assert_eq!(status, 204, "{body}");
    (secret, at)
}

async fn with_a_second_factor_signing_in_needs_a_fresh_code_from_the_app(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (email, password) = app.add_user(Role::Volunteer).await;
    let (status, _, anna) = sign_in(&app, &email, &password, None).await;
    assert_eq!(status, 200);
    let (secret, at) = set_up(&app, &anna).await;
    assert_eq!(
        app.whoami(&anna).await.0,
        200,
        "the session that set it up goes on"
    );

    // The password alone no longer signs in: the answer asks for the code.
    let (status, answer, _) = sign_in(&app, &email, &password, None).await;
    assert_eq!(
        (status, answer["field"].as_str()),
        (422, Some("code")),
        "{answer}"
    );
    // A wrong code is refused.
    let (status, answer, _) = sign_in(&app, &email, &password, Some("123456")).await;
    assert_eq!(
        (status, answer["field"].as_str()),
        (422, Some("code")),
        "{answer}"
    );
    // The code used to switch it on does not sign in again; the app's next one does, once.
    let used = totp::current_code(&secret, at).unwrap();
    let (status, _, _) = sign_in(&app, &email, &password, Some(&used)).await;
    assert_eq!(status, 422, "the code that switched it on is spent");
    let code = totp::current_code(&secret, at + totp::STEP_SECONDS).unwrap();
    let (status, _, phone) = sign_in(&app, &email, &password, Some(&code)).await;
    assert_eq!(status, 200);
    assert_eq!(app.whoami(&phone).await.0, 200);
    let (status, _, _) = sign_in(&app, &email, &password, Some(&code)).await;
    assert_eq!(status, 422, "a code works once");
    // A wrong password with a right code is still a wrong password.
    let (status, _, _) = sign_in(&app, &email, "fel-lösenord-helt-och-hållet", Some(&code)).await;
    assert_eq!(status, 401);

    // Turned off again with the password and a code (a volunteer may).
    let (status, _) = app
        .send(
            &anna,
            reqwest::Method::DELETE,
            "/api/v1/session/second-factor",
            Some(&json!({ "password": password, "code": "999999" })),
        )
        .await;
    assert_eq!(status, 422, "not without a right code");
    let events: Vec<(String,)> = sqlx::query_as(
        "select action from audit_event where action like 'account.second_factor%' order by at, id",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(events, vec![("account.second_factor_on".to_owned(),)]);

    // A lost phone: a reset from the server's command line removes the second factor and
    // gives a new password; every session ends.
    let new_password = app::ssr::accounts::reset_from_server(&app.db, &email)
        .await
        .unwrap();
    assert_eq!(app.whoami(&anna).await.0, 401);
    let (status, _, _) = sign_in(&app, &email, &new_password, None).await;
    assert_eq!(status, 200, "signs in without a code until it is set up again");
}

async fn when_required_police_can_only_set_it_up_until_they_have(database_url: String) {
    let app = TestApp::spawn_with(&database_url, &[("TRYGGKARTA_REQUIRE_MFA", "1")]).await;
    let (email, password) = app.add_user(Role::Police).await;
    let (status, _, police) = sign_in(&app, &email, &password, None).await;
    assert_eq!(status, 200, "signed in, to set the second factor up");
    let (status, body) = app.get(&police, "/api/v1/observations").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (403, Some("second_factor_required")),
        "{body}"
    );
    let page = police.get(app.url("/karta")).send().await.unwrap();
    assert_eq!(page.status(), 303);
    assert_eq!(page.headers()["location"], "/konto?tvasteg=krav");
    assert_eq!(police.get(app.url("/konto")).send().await.unwrap().status(), 200);
    // No page renders past the gate, whatever its address looks like: a strategy area's
    // code has a dot in it, as a file name would.
    for path in [
        "/strategiomraden/4.1",
        "/lagesbild/.",
        "/konto/../lagesbild",
        "/konto/x",
    ] {
        let page = police.get(app.url(path)).send().await.unwrap();
        assert_eq!(page.status(), 303, "{path}");
    }

    // Volunteers are not asked.
    let (volunteer, _) = app.signed_in(Role::Volunteer).await;
    assert_eq!(app.get(&volunteer, "/api/v1/observations").await.0, 200);

    let (secret, at) = set_up(&app, &police).await;
    assert_eq!(app.get(&police, "/api/v1/observations").await.0, 200);
    // Police may not turn it off while it is required.
    let code = totp::current_code(&secret, at + totp::STEP_SECONDS).unwrap();
    let (status, body) = app
        .send(
            &police,
            reqwest::Method::DELETE,
            "/api/v1/session/second-factor",
            Some(&json!({ "password": password, "code": code })),
        )
        .await;
    assert_eq!(status, 409, "{body}");
}
