//! Trust (issue 11): the Content-Security-Policy, sessions that end, passwords that cannot
//! be guessed, an audit log of sign-ins, exports and restricted reads, and backups that
//! come back whole. Each test says which databases it runs on.

use app::domain::role::Role;
use serde_json::{json, Value};
use tryggkarta_tests::reports::{drug_scene, now_rfc3339};
use tryggkarta_tests::{client, on_sqlite_and_postgres, sign_in, TestApp, TestDb};
use uuid::Uuid;

on_sqlite_and_postgres!(
    every_page_names_a_fresh_nonce_and_runs_no_other_inline_script,
    a_session_ends_when_unused_and_when_too_old_but_lasts_through_a_shift,
    users_change_their_own_password_and_their_other_sessions_end,
    a_session_reads_its_account_with_it_and_never_someone_elses,
    requests_that_arrive_together_are_each_answered_as_their_own,
    sign_ins_exports_and_restricted_reads_are_in_the_audit_log,
);

fn patrol_observation(shift_id: &str) -> Value {
    json!({
        "shift_id": shift_id,
        "id": Uuid::now_v7(),
        "kind": "patrol_observation",
        "category": "patrol.damage",
        "note": "",
        "lat": 59.5113,
        "lng": 17.6358,
        "accuracy_m": 12.5,
        "position_source": "gps",
        "observed_at": now_rfc3339(),
    })
}

/// The value of `directive` in a Content-Security-Policy.
fn directive<'a>(policy: &'a str, name: &str) -> &'a str {
    policy
        .split(';')
        .map(str::trim)
        .find(|part| part.split_whitespace().next() == Some(name))
        .unwrap_or("")
}

async fn every_page_names_a_fresh_nonce_and_runs_no_other_inline_script(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (police, _) = app.signed_in(Role::Police).await;
    let mut nonces = Vec::new();
    for path in [
        "/karta",
        "/lagesbild",
        "/vandringar",
        "/konto",
        "/logga-in",
        "/sida-som-inte-finns",
    ] {
        let response = police.get(app.url(path)).send().await.unwrap();
        let policy = response
            .headers()
            .get("content-security-policy")
            .unwrap_or_else(|| panic!("{path} has a Content-Security-Policy"))
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(
            response.headers()["cache-control"],
            "private, no-store",
            "{path} is kept by no cache"
        );
        let html = response.text().await.unwrap();
        let scripts = directive(&policy, "script-src");
        assert!(
            !scripts.contains("unsafe-inline") && !scripts.contains("'unsafe-eval'"),
            "{path}: {scripts}"
        );
        assert_eq!(
            directive(&policy, "frame-ancestors"),
            "frame-ancestors 'none'",
            "{path}"
        );
        assert_eq!(directive(&policy, "object-src"), "object-src 'none'", "{path}");
        let nonce = scripts
            .split_whitespace()
            .find_map(|source| source.strip_prefix("'nonce-")?.strip_suffix('\''))
            .unwrap_or_else(|| panic!("{path}: no nonce in {scripts}"))
            .to_owned();
        // Every script element that runs inline code carries this response's nonce; data
        // blocks (`application/json`) and scripts loaded from this site need none.
        for script in html.split("<script").skip(1) {
            let (attributes, rest) = script.split_once('>').unwrap();
            let inline = !rest.starts_with("</script>");
            if attributes.contains("src=") || attributes.contains("application/json") || !inline {
                continue;
            }
            assert!(
                attributes.contains(&format!("nonce=\"{nonce}\"")),
                "{path}: an inline script without the nonce: <script{attributes}>"
            );
        }
        assert!(!html.contains(" onclick="), "{path}: an inline event handler");
        nonces.push(nonce);
    }
    let distinct: std::collections::HashSet<_> = nonces.iter().collect();
    assert_eq!(distinct.len(), nonces.len(), "every response draws its own nonce");
    // Tiles come from the tile server configured, and nothing else loads from elsewhere.
    let policy = police.get(app.url("/karta")).send().await.unwrap().headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        directive(&policy, "img-src"),
        "img-src 'self' data: blob: https://tile.openstreetmap.org"
    );
    assert_eq!(directive(&policy, "connect-src"), "connect-src 'self'");
    // JSON answers are not pages: no policy needed, none sent.
    let api = police.get(app.url("/api/v1/session")).send().await.unwrap();
    assert!(api.headers().get("content-security-policy").is_none());
    assert_eq!(api.headers()["cache-control"], "private, no-store");
    // Served over plain HTTP (a test, a development machine): no HSTS, a plain cookie name.
    assert!(api.headers().get("strict-transport-security").is_none());
}

/// Moves a clock of the sessions of the user behind `client` back by `minutes`.
async fn age_session_of(app: &TestApp, client: &reqwest::Client, key: &str, minutes: i64) {
    let id = app.whoami(client).await.1["id"].as_str().unwrap().to_owned();
    let rows: Vec<(String, String)> = sqlx::query_as("select id, data from session")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    let mut aged = 0;
    for (session, data) in rows.into_iter().filter(|(_, data)| data.contains(&id)) {
        let mut data: Value = serde_json::from_str(&data).unwrap();
        data[key] = json!(data[key].as_i64().unwrap() - minutes * 60_000);
        sqlx::query("update session set data = $2 where id = $1")
            .bind(session)
            .bind(data.to_string())
            .execute(&app.db.pool)
            .await
            .unwrap();
        aged += 1;
    }
    assert_eq!(aged, 1, "one session of that user");
}

/// Moves one of the session's clocks back by `minutes`, as if that time had passed.
async fn age_session(app: &TestApp, key: &str, minutes: i64) {
    let rows: Vec<(String, String)> = sqlx::query_as("select id, data from session")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    for (id, data) in rows {
        let mut data: Value = serde_json::from_str(&data).unwrap();
        if let Some(at) = data.get(key).and_then(Value::as_i64) {
            data[key] = json!(at - minutes * 60_000);
            sqlx::query("update session set data = $2 where id = $1")
                .bind(id)
                .bind(data.to_string())
                .execute(&app.db.pool)
                .await
                .unwrap();
        }
    }
}

async fn a_session_ends_when_unused_and_when_too_old_but_lasts_through_a_shift(database_url: String) {
    let app = TestApp::spawn(&database_url).await;

    // 31 minutes without a request: signed out, and a page sends the user to sign in.
    let (police, _) = app.signed_in(Role::Police).await;
    assert_eq!(app.whoami(&police).await.0, 200);
    age_session(&app, "tk.seen_at", 31).await;
    assert_eq!(app.whoami(&police).await.0, 401, "unused for 31 minutes");
    let page = police.get(app.url("/lagesbild")).send().await.unwrap();
    assert_eq!(page.status(), 303);
    assert!(page.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/logga-in"));
    let left: i64 = sqlx::query_scalar("select count(*) from session")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(left, 0, "the ended session is deleted, not just ignored");

    // 29 minutes is still within the limit, and the request counts as use: 29 more are
    // fine too (58 since sign-in would not be).
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    age_session(&app, "tk.seen_at", 29).await;
    assert_eq!(app.whoami(&coordinator).await.0, 200, "unused for 29 minutes");
    age_session(&app, "tk.seen_at", 29).await;
    assert_eq!(
        app.whoami(&coordinator).await.0,
        200,
        "29 minutes after the last use"
    );

    // Used all along: within the 14 hours after sign-in, then past them.
    age_session(&app, "tk.signed_in_at", 13 * 60 + 50).await;
    assert_eq!(app.whoami(&coordinator).await.0, 200, "signed in 13 h 50 ago");
    age_session(&app, "tk.signed_in_at", 15).await;
    assert_eq!(app.whoami(&coordinator).await.0, 401, "signed in 14 h 5 ago");

    // A driver on a shift may leave the phone for two hours (a dead zone, a long talk).
    let (driver, _) = app.signed_in(Role::Volunteer).await;
    let shift = json!({ "id": Uuid::now_v7(), "vehicle": "Grannstödsbil 1", "started_at": now_rfc3339() });
    let started = driver
        .post(app.url("/api/v1/shifts"))
        .json(&shift)
        .send()
        .await
        .unwrap();
    assert_eq!(started.status(), 201);
    age_session(&app, "tk.seen_at", 120).await;
    assert_eq!(
        app.whoami(&driver).await.0,
        200,
        "on a shift, two hours without a request"
    );
    // Even on a shift, four hours is the end.
    let (other_driver, _) = app.signed_in(Role::Volunteer).await;
    app.start_shift(&other_driver).await;
    age_session_of(&app, &other_driver, "tk.seen_at", 241).await;
    assert_eq!(
        app.whoami(&other_driver).await.0,
        401,
        "on a shift, 241 minutes unused"
    );
    assert_eq!(app.whoami(&driver).await.0, 200, "only that session ended");
    let ended = driver
        .post(app.url(&format!("/api/v1/shifts/{}/end", shift["id"].as_str().unwrap())))
        .send()
        .await
        .unwrap();
    assert_eq!(ended.status(), 200);
    // The shift over, the ordinary idle time applies again.
    age_session(&app, "tk.seen_at", 31).await;
    assert_eq!(
        app.whoami(&driver).await.0,
        401,
        "after the shift, 31 minutes unused"
    );
}

/// The account each session row names, by the id of the user signed in to it.
async fn session_accounts(app: &TestApp) -> Vec<Option<String>> {
    sqlx::query_scalar("select account_id from session order by created_at")
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
}

/// Loading a session reads its account in the same statement (`ssr::infra::session_store`).
/// The account it hands on must be the one the session's own data names, as fresh as a
/// separate read, and a session saved before the column existed must still work.
async fn a_session_reads_its_account_with_it_and_never_someone_elses(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (police, _) = app.signed_in(Role::Police).await;
    let (driver, _) = app.signed_in(Role::Volunteer).await;
    let police_id = app.whoami(&police).await.1["id"].as_str().unwrap().to_owned();
    let driver_id = app.whoami(&driver).await.1["id"].as_str().unwrap().to_owned();
    assert_eq!(
        session_accounts(&app).await,
        [Some(police_id.clone()), Some(driver_id.clone())]
    );

    // A session row naming another account (a bug, a hand edit) does not make the
    // driver the police officer: the account handed on must be the session's own.
    sqlx::query("update session set account_id = $1 where account_id = $2")
        .bind(&police_id)
        .bind(&driver_id)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let (status, me) = app.whoami(&driver).await;
    assert_eq!(
        (status, me["id"].as_str(), me["role"].as_str()),
        (200, Some(driver_id.as_str()), Some("volunteer"))
    );
    assert_eq!(
        app.get(&driver, "/api/v1/hotspots/points").await.0,
        403,
        "exact positions stay with the police"
    );
    assert_eq!(app.get(&police, "/api/v1/hotspots/points").await.0, 200);

    // Sessions from before the column read their account separately.
    sqlx::query("update session set account_id = null")
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(
        app.whoami(&police).await.1["id"].as_str(),
        Some(police_id.as_str())
    );
    assert_eq!(app.whoami(&driver).await.1["role"].as_str(), Some("volunteer"));

    // A role changed behind the session's back ends it at its very next request, read
    // with the session or on its own.
    for (client, id) in [(&police, &police_id), (&driver, &driver_id)] {
        sqlx::query("update account set session_version = session_version + 1 where id = $1")
            .bind(id)
            .execute(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(app.whoami(client).await.0, 401);
    }
}

/// Sessions are read, and reports stored, many in one statement (`ssr::infra::batch`): requests
/// arriving together must each be answered as the user who sent them, a signed-out
/// session must stay signed out among signed-in ones, and a report naming another
/// driver's shift must be refused without taking the reports stored with it along.
async fn requests_that_arrive_together_are_each_answered_as_their_own(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let mut users = Vec::new();
    for role in [
        Role::Police,
        Role::Coordinator,
        Role::Volunteer,
        Role::Volunteer,
        Role::Admin,
    ] {
        users.push(app.signed_in(role).await);
    }
    let (gone, jar) = tryggkarta_tests::browser();
    let (email, password) = app.add_user(Role::Volunteer).await;
    sign_in(&app, &gone, &email, &password).await;
    let gone_cookie = tryggkarta_tests::cookie_header(&jar, &app);
    assert_eq!(
        app.send(&gone, reqwest::Method::DELETE, "/api/v1/session", None)
            .await
            .0,
        204
    );
    let bare = client();

    let mut asked = Vec::new();
    for _ in 0..8 {
        for (client, id) in &users {
            asked.push((Some(id.clone()), client.get(app.url("/api/v1/session"))));
        }
        asked.push((
            None,
            bare.get(app.url("/api/v1/session"))
                .header("cookie", &gone_cookie),
        ));
    }
    let answers = futures::future::join_all(asked.into_iter().map(|(expected, request)| async move {
        let response = request.send().await.expect("whoami");
        let status = response.status().as_u16();
        let me: Value = response.json().await.unwrap_or(Value::Null);
        (expected, status, me["id"].as_str().map(str::to_owned))
    }))
    .await;
    for (expected, status, id) in answers {
        match expected {
            Some(expected) => assert_eq!((status, id), (200, Some(expected))),
            None => assert_eq!(status, 401, "a signed-out session stays signed out"),
        }
    }

    let (first, second) = (&users[2].0, &users[3].0);
    let (first_shift, second_shift) = (app.start_shift(first).await, app.start_shift(second).await);
    let mut sent = Vec::new();
    for _ in 0..8 {
        sent.push((201, first, patrol_observation(&first_shift)));
        sent.push((201, second, patrol_observation(&second_shift)));
        sent.push((422, first, patrol_observation(&second_shift)));
    }
    let statuses = futures::future::join_all(
        sent.iter()
            .map(|(_, client, body)| app.post(client, "/api/v1/observations", body)),
    )
    .await;
    for ((expected, _, body), (status, answer)) in sent.iter().zip(statuses) {
        assert_eq!(status, *expected, "{body} → {answer}");
    }
    for shift in [&first_shift, &second_shift] {
        let stored: i64 = sqlx::query_scalar("select count(*) from observation where shift_id = $1")
            .bind(shift)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(
            stored, 8,
            "each driver's own reports, and nothing else, on their shift"
        );
    }
}

async fn change_password(client: &reqwest::Client, app: &TestApp, current: &str, new: &str) -> (u16, Value) {
    let response = client
        .put(app.url("/api/v1/session/password"))
        .json(&json!({ "current_password": current, "new_password": new }))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn users_change_their_own_password_and_their_other_sessions_end(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (email, password) = app.add_user(Role::Volunteer).await;
    let (phone, computer) = (client(), client());
    sign_in(&app, &phone, &email, &password).await;
    sign_in(&app, &computer, &email, &password).await;

    let (status, body) = change_password(&phone, &app, "fel lösenord här", "blåbär cykel regnjacka").await;
    assert_eq!((status, body["field"].as_str()), (422, Some("current_password")));
    for weak in ["kort", "password1234", "qwertyuiop123", email.as_str()] {
        let (status, body) = change_password(&phone, &app, &password, weak).await;
        assert_eq!(
            (status, body["field"].as_str()),
            (422, Some("password")),
            "{weak}"
        );
        assert!(!body["message"].as_str().unwrap().is_empty());
    }
    assert_eq!(app.whoami(&computer).await.0, 200, "refused changes end nothing");

    let (status, _) = change_password(&phone, &app, &password, "blåbär cykel regnjacka").await;
    assert_eq!(status, 204);
    assert_eq!(
        app.whoami(&phone).await.0,
        200,
        "the phone that changed it stays signed in"
    );
    assert_eq!(app.whoami(&computer).await.0, 401, "every other session ends");
    let old = client()
        .post(app.url("/api/v1/session"))
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), 401, "the old password no longer works");
    sign_in(&app, &client(), &email, "blåbär cykel regnjacka").await;

    // The page's form answers with a message on the same page, without JavaScript.
    let form = phone
        .post(app.url("/konto/losenord"))
        .form(&[
            ("current_password", "blåbär cykel regnjacka"),
            ("new_password", "sju röda båtar i Bro"),
            ("repeat_password", "sju röda båtar i Kungsängen"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(form.headers()["location"], "/konto?fel=repeat");
    let page = phone
        .get(app.url("/konto?fel=repeat"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("De två nya lösenorden är inte lika."));

    // Guessing the current password through the form is limited like signing in.
    let guesser = client();
    let (other, other_password) = app.add_user(Role::Volunteer).await;
    sign_in(&app, &guesser, &other, &other_password).await;
    let mut statuses = Vec::new();
    for guess in 0..6 {
        statuses.push(
            change_password(
                &guesser,
                &app,
                &format!("gissning nummer {guess}"),
                "blåbär cykel regnjacka",
            )
            .await
            .0,
        );
    }
    assert_eq!(statuses, [422, 422, 422, 422, 422, 429]);
}

/// The audit entries of `action`, as (subject, detail, actor id).
async fn audit(app: &TestApp, action: &str) -> Vec<(String, String, Option<String>)> {
    sqlx::query_as("select subject, detail, actor_id from audit_event where action = $1 order by at, id")
        .bind(action)
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
}

async fn sign_ins_exports_and_restricted_reads_are_in_the_audit_log(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (email, password) = app.add_user(Role::Police).await;
    let police = client();
    let wrong = client()
        .post(app.url("/api/v1/session"))
        .json(&json!({ "email": email.to_uppercase(), "password": "=HYPERLINK(\"x\")" }))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    // What a visitor types as an e-mail lands in the log: a formula must stay text in Excel.
    let formula = client()
        .post(app.url("/api/v1/session"))
        .json(&json!({ "email": "=HYPERLINK(\"http://x\")", "password": "vad som helst" }))
        .send()
        .await
        .unwrap();
    assert_eq!(formula.status(), 401);
    sign_in(&app, &police, &email, &password).await;
    let police_id = app.whoami(&police).await.1["id"].as_str().unwrap().to_owned();
    let failed = audit(&app, "session.sign_in_failed").await;
    assert_eq!(failed.len(), 2);
    assert_eq!(failed[0].0, email, "the e-mail as typed, normalised");
    assert_eq!(failed[1].0, "=hyperlink(\"http://x\")");
    assert_eq!(failed[0].2, None, "a failed sign-in has no actor");
    assert_eq!(failed[0].1, "127.0.0.1", "the client address is kept");
    let signed_in = audit(&app, "session.sign_in").await;
    assert_eq!(
        signed_in.last().map(|e| e.2.clone()),
        Some(Some(police_id.clone()))
    );

    // A volunteer's own drug-scene report: reading it back is not someone else's read.
    let (volunteer, _) = app.signed_in(Role::Volunteer).await;
    let report = drug_scene();
    let id = report["id"].as_str().unwrap().to_owned();
    assert_eq!(
        volunteer
            .post(app.url("/api/v1/observations"))
            .json(&report)
            .send()
            .await
            .unwrap()
            .status(),
        201
    );
    assert_eq!(
        volunteer
            .get(app.url(&format!("/api/v1/observations/{id}")))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let shift = app.start_shift(&volunteer).await;
    let patrol = volunteer
        .post(app.url("/api/v1/observations"))
        .json(&patrol_observation(&shift))
        .send()
        .await
        .unwrap();
    assert_eq!(patrol.status(), 201);
    assert!(audit(&app, "data.restricted_read").await.is_empty());

    // Police read it, alone and in a list; an unrestricted report alone is not logged.
    assert_eq!(
        police
            .get(app.url(&format!("/api/v1/observations/{id}")))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        police
            .get(app.url("/api/v1/observations"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let reads = audit(&app, "data.restricted_read").await;
    assert_eq!(reads.len(), 2, "{reads:?}");
    assert_eq!(reads[0].0, id);
    assert_eq!(reads[1], ("1 st".to_owned(), id.clone(), Some(police_id.clone())));
    // The lägesbild's exact points are reads too.
    let (status, points) = app.get(&police, "/api/v1/hotspots/points").await;
    assert_eq!(status, 200);
    assert!(points.to_string().contains(&id), "{points}");
    let reads = audit(&app, "data.restricted_read").await;
    assert_eq!(reads.len(), 3, "{reads:?}");
    assert_eq!(reads[2], ("1 st".to_owned(), id.clone(), Some(police_id.clone())));

    // Exports, whichever route makes them.
    let csv = police
        .get(app.url("/api/v1/export/observations.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    let exports = audit(&app, "data.export").await;
    assert_eq!(exports.len(), 1);
    assert!(exports[0].0.starts_with("/api/v1/export/observations.csv"));

    // Only admins read the log; its CSV cannot smuggle a formula into Excel.
    assert_eq!(
        police
            .get(app.url("/api/v1/audit.csv"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    let (admin, _) = app.signed_in(Role::Admin).await;
    let log = admin.get(app.url("/api/v1/audit.csv")).send().await.unwrap();
    assert_eq!(log.status(), 200);
    let log = log.text().await.unwrap();
    assert!(log.contains("Misslyckad inloggning") && log.contains("Export"));
    // Restricted reads are for those who may read restricted reports (leaks.rs); the
    // whole log, with them, is read on the server.
    assert!(!log.contains("Skyddad rapport läst"), "{log}");
    let whole = app::domain::admin::audit_csv(
        &app::ssr::infra::audit::everything(&app.db, 1000).await.unwrap(),
        &[],
        app::i18n::Lang::Sv,
    );
    assert!(whole.contains("Skyddad rapport läst"));
    assert!(
        log.contains(r#";"'=hyperlink(""http://x"")";"#),
        "the formula is written as text: {log}"
    );
    for line in log.lines() {
        for cell in line.split(';') {
            assert!(
                !cell.trim_start_matches('"').starts_with(['=', '+', '@']),
                "{cell}"
            );
        }
    }
    assert!(
        audit(&app, "data.export")
            .await
            .iter()
            .any(|e| e.0 == "/api/v1/audit.csv"),
        "the log's own export is logged"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_https_the_cookie_is_host_only_and_browsers_are_told_to_stay_on_https() {
    let db = TestDb::sqlite();
    let app = TestApp::spawn_with(
        &db.url,
        &[("TRYGGKARTA_PUBLIC_URL", "https://tryggkarta.upplands-bro.se")],
    )
    .await;
    let (email, password) = app.add_user(Role::Volunteer).await;
    let response = client()
        .post(app.url("/api/v1/session"))
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("__Host-tryggkarta_session="), "{cookie}");
    for part in ["Secure", "HttpOnly", "Path=/", "SameSite=Lax"] {
        assert!(cookie.contains(part), "{part} in {cookie}");
    }
    assert!(!cookie.contains("Domain="), "{cookie}");
    assert_eq!(
        response.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
}

/// A photo (a small PNG) for a report, as the phone sends it.
fn png() -> Vec<u8> {
    use image::ImageEncoder;
    let pixels = vec![200u8; 16 * 16 * 3];
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(&pixels, 16, 16, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_made_while_reports_arrive_restores_every_acknowledged_report_and_photo() {
    use app::ssr::infra::backup;
    let db = TestDb::sqlite();
    let app = TestApp::spawn(&db.url).await;
    let (volunteer, _) = app.signed_in(Role::Volunteer).await;
    let shift = app.start_shift(&volunteer).await;
    let report = patrol_observation(&shift);
    let id = report["id"].as_str().unwrap().to_owned();
    assert_eq!(
        volunteer
            .post(app.url("/api/v1/observations"))
            .json(&report)
            .send()
            .await
            .unwrap()
            .status(),
        201
    );
    let photo_id = Uuid::now_v7();
    let put = volunteer
        .put(app.url(&format!("/api/v1/observations/{id}/photos/{photo_id}")))
        .header("content-type", "image/png")
        .body(png())
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 201);
    let photo = volunteer
        .get(app.url(&format!("/api/v1/photos/{photo_id}")))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();

    // Reports keep arriving while the copy is made; each acknowledged before the copy
    // began must be in it.
    let before: Vec<String> = {
        let mut ids = Vec::new();
        for _ in 0..20 {
            let report = patrol_observation(&shift);
            assert_eq!(
                volunteer
                    .post(app.url("/api/v1/observations"))
                    .json(&report)
                    .send()
                    .await
                    .unwrap()
                    .status(),
                201
            );
            ids.push(report["id"].as_str().unwrap().to_owned());
        }
        ids
    };
    let sender = {
        let (volunteer, url, shift) = (volunteer.clone(), app.url("/api/v1/observations"), shift.clone());
        tokio::spawn(async move {
            for _ in 0..40 {
                let status = volunteer
                    .post(&url)
                    .json(&patrol_observation(&shift))
                    .send()
                    .await
                    .unwrap()
                    .status();
                assert_eq!(status, 201);
            }
        })
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kopior/tryggkarta-2026-11-26.db");
    let bytes = backup::backup(&app.db, &file).await.unwrap();
    assert!(bytes > 0);
    sender.await.unwrap();
    let contents = backup::inspect(&file).await.unwrap();
    assert!(contents.observations >= 21, "{contents:?}");
    assert_eq!(contents.photos, 1);
    assert_eq!(contents.version, app::ssr::infra::db::Db::latest_migration());

    // The file is never overwritten, and what is not a backup is refused before anything moves.
    assert!(matches!(
        backup::backup(&app.db, &file).await,
        Err(backup::BackupError::Exists(_))
    ));
    let junk = dir.path().join("inte-en-kopia.db");
    std::fs::write(&junk, b"hej").unwrap();
    let restored_url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("ny/tryggkarta.db").display()
    );
    assert!(matches!(
        backup::restore(&restored_url, &junk).await,
        Err(backup::BackupError::NotABackup(..))
    ));

    // Restored on a new machine: the same records and the very same photo.
    let (restored_contents, replaced) = backup::restore(&restored_url, &file).await.unwrap();
    assert_eq!(restored_contents, contents);
    assert_eq!(replaced, None);
    let restored = TestApp::spawn(&restored_url).await;
    let (police, _) = restored.signed_in(Role::Police).await;
    let all: Vec<Value> = police
        .get(restored.url("/api/v1/observations"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ids: std::collections::HashSet<&str> = all.iter().filter_map(|o| o["id"].as_str()).collect();
    assert!(ids.contains(id.as_str()));
    for id in &before {
        assert!(
            ids.contains(id.as_str()),
            "{id} was acknowledged before the backup"
        );
    }
    let served = police
        .get(restored.url(&format!("/api/v1/photos/{photo_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.bytes().await.unwrap(), photo);

    // While something is reading the database (a server mid-request), nothing is moved.
    let mut reader = restored.db.pool.begin().await.unwrap();
    let _: i64 = sqlx::query_scalar("select count(*) from observation")
        .fetch_one(&mut *reader)
        .await
        .unwrap();
    assert!(matches!(
        backup::restore(&restored_url, &file).await,
        Err(backup::BackupError::InUse)
    ));
    assert!(!dir.path().join("ny/tryggkarta.db.aterstalls").exists());
    reader.rollback().await.unwrap();

    // Restoring over a database keeps the one replaced.
    let again = backup::restore(&restored_url, &file)
        .await
        .unwrap()
        .1
        .expect("the replaced database is kept");
    assert!(again.exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgresql_is_backed_up_with_its_own_tools() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let app = TestApp::spawn(&db.url).await;
    let dir = tempfile::tempdir().unwrap();
    let result = app::ssr::infra::backup::backup(&app.db, &dir.path().join("x.db")).await;
    assert!(matches!(
        result,
        Err(app::ssr::infra::backup::BackupError::NotSqlite)
    ));
    assert!(result.unwrap_err().to_string().contains("pg_dump"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_account_cannot_flood_submissions_or_export_in_a_loop() {
    let db = TestDb::sqlite();
    let app = TestApp::spawn_with(
        &db.url,
        &[
            ("TRYGGKARTA_SUBMISSIONS_PER_MINUTE", "1"),
            ("TRYGGKARTA_EXPORTS_PER_HOUR", "2"),
        ],
    )
    .await;
    let (volunteer, _) = app.signed_in(Role::Volunteer).await;
    // A burst of five minutes' worth goes through, then the phone is told when to retry.
    for _ in 0..5 {
        let sent = volunteer
            .post(app.url("/api/v1/observations"))
            .json(&drug_scene())
            .send()
            .await
            .unwrap();
        assert_eq!(sent.status(), 201);
    }
    let refused = volunteer
        .post(app.url("/api/v1/observations"))
        .json(&drug_scene())
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 429);
    let retry: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    // Another account is not held up by the first.
    let (other, _) = app.signed_in(Role::Volunteer).await;
    assert_eq!(
        other
            .post(app.url("/api/v1/observations"))
            .json(&drug_scene())
            .send()
            .await
            .unwrap()
            .status(),
        201
    );
    // Reading goes on.
    assert_eq!(
        volunteer
            .get(app.url("/api/v1/observations"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    let (police, _) = app.signed_in(Role::Police).await;
    let export = "/api/v1/export/observations.csv";
    assert_eq!(police.get(app.url(export)).send().await.unwrap().status(), 200);
    assert_eq!(police.get(app.url(export)).send().await.unwrap().status(), 429);
}
