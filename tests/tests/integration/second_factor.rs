//! A second factor (issue 11, part 2): a user sets up an authenticator app under Mitt
//! konto; from then on signing in needs its code, a code works once, and wrong codes count
//! as failed sign-ins. With `TRYGGKARTA_REQUIRE_MFA=1` police and admins can do nothing
//! but set it up until they have. On SQLite and PostgreSQL.

use app::domain::role::Role;
use app::ssr::infra::totp;
use serde_json::{json, Value};
use tryggkarta_tests::{client, on_sqlite_and_postgres, TestApp};

on_sqlite_and_postgres!(
    with_a_second_factor_signing_in_needs_a_fresh_code_from_the_app,
    when_required_police_can_only_set_it_up_until_they_have,
    a_code_sent_many_times_at_once_signs_in_once_and_wrong_codes_lock_like_wrong_passwords,
    turned_off_with_password_and_code_the_password_alone_signs_in_again,
);

fn now() -> i64 {
    chrono::Utc::now().timestamp()
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

async fn a_code_sent_many_times_at_once_signs_in_once_and_wrong_codes_lock_like_wrong_passwords(
    database_url: String,
) {
    let app = TestApp::spawn(&database_url).await;
    let (email, password) = app.add_user(Role::Volunteer).await;
    let (_, _, anna) = sign_in(&app, &email, &password, None).await;
    let (secret, at) = set_up(&app, &anna).await;
    // A code seen over a shoulder and typed on eight phones at the same moment.
    let code = totp::current_code(&secret, at + totp::STEP_SECONDS).unwrap();
    let attempts = (0..8).map(|_| sign_in(&app, &email, &password, Some(&code)));
    let statuses: Vec<u16> = futures::future::join_all(attempts)
        .await
        .into_iter()
        .map(|(status, _, _)| status)
        .collect();
    assert_eq!(
        statuses.iter().filter(|&&status| status == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|status| [200, 422, 429].contains(status)),
        "{statuses:?}"
    );

    // Wrong codes count like wrong passwords: past the limit even the right password
    // and a fresh code are refused for a while.
    for _ in 0..5 {
        sign_in(&app, &email, &password, Some("000000")).await;
    }
    let fresh = totp::current_code(&secret, at + 2 * totp::STEP_SECONDS).unwrap();
    let (status, _, _) = sign_in(&app, &email, &password, Some(&fresh)).await;
    assert_eq!(status, 429);
}

async fn turned_off_with_password_and_code_the_password_alone_signs_in_again(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (email, password) = app.add_user(Role::Volunteer).await;
    let (_, _, anna) = sign_in(&app, &email, &password, None).await;
    let (secret, at) = set_up(&app, &anna).await;
    // The account page's forms answer hostile input with a way back to the page (or a
    // 4xx from the guards), never a server error.
    let long = "9".repeat(100_000);
    for (step, body) in [
        ("bekrafta", "code=%00%00%00"),
        ("bekrafta", long.as_str()),
        ("av", "password=%FF%FE&code=12345%0A6"),
        ("okand", "code=123456"),
        ("borja", "code[]=x&code[]=y"),
    ] {
        let answer = anna
            .post(app.url(&format!("/konto/tvasteg/{step}")))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_owned())
            .send()
            .await
            .unwrap();
        assert!(
            answer.status().as_u16() < 500,
            "{step} {body:.40}: {}",
            answer.status()
        );
    }
    // Set up once, it cannot be replaced behind the user's back.
    let (status, _) = app.post(&anna, "/api/v1/session/second-factor", &json!({})).await;
    assert_eq!(status, 409);
    let code = totp::current_code(&secret, at + totp::STEP_SECONDS).unwrap();
    let (status, body) = app
        .send(
            &anna,
            reqwest::Method::DELETE,
            "/api/v1/session/second-factor",
            Some(&json!({ "password": password, "code": code })),
        )
        .await;
    assert_eq!(status, 204, "{body}");
    assert_eq!(
        app.whoami(&anna).await.0,
        200,
        "the session that turned it off goes on"
    );
    let (status, _, _) = sign_in(&app, &email, &password, None).await;
    assert_eq!(status, 200);
    let events: Vec<(String,)> = sqlx::query_as(
        "select action from audit_event where action like 'account.second_factor%' order by at, id",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let events: Vec<&str> = events.iter().map(|(action,)| action.as_str()).collect();
    assert_eq!(events, ["account.second_factor_on", "account.second_factor_off"]);
}
