//! An account handed out: its one-time password opens only "Mitt konto" until the holder
//! chooses their own, which may be no season, place or common word with digits; a
//! disabled account hears so only with its right password. Each test runs on SQLite and
//! on PostgreSQL.

use app::domain::role::Role;
use serde_json::{json, Value};
use tryggkarta_tests::{client, on_sqlite_and_postgres, page_text, TestApp};

use super::admin::{patch, put, sign_in};

on_sqlite_and_postgres!(
    a_one_time_password_opens_only_the_account_page_until_it_is_changed,
    a_disabled_account_is_told_so_only_with_its_right_password,
    seasons_places_and_words_with_digits_are_refused_as_passwords,
);

async fn a_one_time_password_opens_only_the_account_page_until_it_is_changed(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (admin, _) = app.signed_in(Role::Admin).await;
    let (status, created) = app
        .post(
            &admin,
            "/api/v1/users",
            &json!({ "email": "ny@upplands-bro.se", "display_name": "Ny Förare", "role": "volunteer" }),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let one_time = created["password"].as_str().unwrap().to_owned();
    let (status, user) = sign_in(&app, "ny@upplands-bro.se", &one_time).await;
    assert_eq!(status, 200);

    // Nothing but the account page and what it needs, until a password is chosen.
    let (status, body) = app.get(&user, "/api/v1/observations").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (403, Some("password_change_required")),
        "{body}"
    );
    for path in ["/karta", "/pass", "/rapport", "/konto/../pass"] {
        let page = user.get(app.url(path)).send().await.unwrap();
        assert_eq!(page.status(), 303, "{path}");
        assert_eq!(page.headers()["location"], "/konto?losenord=krav", "{path}");
    }
    assert_eq!(user.get(app.url("/konto")).send().await.unwrap().status(), 200);
    let (status, session) = app.get(&user, "/api/v1/session").await;
    assert_eq!((status, &session["must_change_password"]), (200, &json!(true)));

    let (status, _) = put(
        &app,
        &user,
        "/api/v1/session/password",
        &json!({ "current_password": one_time, "new_password": "regnjacka över fikabordet i Brunna" }),
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(
        app.get(&user, "/api/v1/observations").await.0,
        200,
        "everything opens now"
    );
    let (_, session) = app.get(&user, "/api/v1/session").await;
    assert_eq!(session["must_change_password"], json!(false));

    // A reset by the admin makes it one-time again.
    let id = created["account"]["id"].as_str().unwrap();
    let (status, reset) = app
        .post(&admin, &format!("/api/v1/users/{id}/password"), &json!({}))
        .await;
    assert_eq!(status, 200, "{reset}");
    let (_, user) = sign_in(&app, "ny@upplands-bro.se", reset["password"].as_str().unwrap()).await;
    assert_eq!(app.get(&user, "/api/v1/observations").await.0, 403);
    // An account whose password the user chose (here: the test's own) is not asked.
    let (volunteer, _) = app.signed_in(Role::Volunteer).await;
    assert_eq!(app.get(&volunteer, "/api/v1/observations").await.0, 200);
}

async fn a_disabled_account_is_told_so_only_with_its_right_password(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (admin, _) = app.signed_in(Role::Admin).await;
    let (email, password) = app.add_user(Role::Volunteer).await;
    let (_, accounts) = app.get(&admin, "/api/v1/users").await;
    let id = accounts
        .as_array()
        .unwrap()
        .iter()
        .find(|account| account["email"] == email.as_str())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, _) = patch(
        &app,
        &admin,
        &format!("/api/v1/users/{id}"),
        &json!({ "disabled": true }),
    )
    .await;
    assert_eq!(status, 200);

    let answer = |password: &str| {
        let body = json!({ "email": email, "password": password });
        let url = app.url("/api/v1/session");
        async move {
            let response = client().post(url).json(&body).send().await.unwrap();
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap();
            (status, body["error"].as_str().unwrap_or_default().to_owned())
        }
    };
    // A wrong password learns what it would for any account, or for none.
    assert_eq!(
        answer("fel-lösenord-helt-och-hållet").await,
        (401, "invalid_credentials".to_owned())
    );
    assert_eq!(
        answer("fel-lösenord-helt-och-hållet").await,
        {
            let unknown = client()
                .post(app.url("/api/v1/session"))
                .json(
                    &json!({ "email": "ingen@upplands-bro.se", "password": "fel-lösenord-helt-och-hållet" }),
                )
                .send()
                .await
                .unwrap();
            let status = unknown.status().as_u16();
            let body: Value = unknown.json().await.unwrap();
            (status, body["error"].as_str().unwrap_or_default().to_owned())
        },
        "a disabled account answers a wrong password like an unknown one"
    );
    assert_eq!(answer(&password).await, (403, "account_disabled".to_owned()));
    // The form says it in words.
    let form = client()
        .post(app.url("/logga-in"))
        .form(&[
            ("email", email.as_str()),
            ("password", password.as_str()),
            ("nasta", "/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        form.headers()["location"].to_str().unwrap(),
        "/logga-in?fel=disabled&nasta=/"
    );
    let page = page_text(&client(), &app.url("/logga-in?fel=disabled")).await;
    assert!(page.contains("Kontot är avstängt"), "{page}");
}

async fn seasons_places_and_words_with_digits_are_refused_as_passwords(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (email, password) = app.add_user(Role::Volunteer).await;
    let (_, user) = sign_in(&app, &email, &password).await;
    for weak in [
        "Sommar2026!!",
        "Kungsängen2025",
        "Hösten2026!",
        "Januari-2027!!",
        "Tibble1999!!",
    ] {
        let (status, body) = put(
            &app,
            &user,
            "/api/v1/session/password",
            &json!({ "current_password": password, "new_password": weak }),
        )
        .await;
        assert_eq!(
            (status, body["field"].as_str()),
            (422, Some("password")),
            "{weak}: {body}"
        );
    }
    let (status, _) = put(
        &app,
        &user,
        "/api/v1/session/password",
        &json!({ "current_password": password, "new_password": "hösten luktar äpplen vid Lillsjön 2026" }),
    )
    .await;
    assert_eq!(status, 204, "a long passphrase with those words in it is fine");
}
