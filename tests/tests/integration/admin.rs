//! Administration without a shell: admins create accounts whose one-time password works
//! (what its first sign-in may do: `first_sign_in.rs`),
//! change roles, disable, reset passwords and end sessions — each ending the account's
//! open sessions and each written to the change log; nobody locks themselves out;
//! coordinators manage only the volunteers and keep the driver register, and only a driver
//! who signed the confidentiality agreement sees the police's focus places exactly.
//! Each test runs on SQLite and on PostgreSQL.

use app::domain::role::Role;
use reqwest::Method;
use serde_json::{json, Value};
use tryggkarta_tests::{client, on_sqlite_and_postgres, page_text, TestApp};
use uuid::Uuid;

on_sqlite_and_postgres!(
    admins_manage_accounts_and_every_change_ends_sessions_and_is_logged,
    coordinators_keep_the_volunteers_and_the_driver_register,
    only_drivers_bound_to_confidentiality_see_exact_focus_places,
    categories_are_reordered_whole_and_changes_are_logged,
    admins_change_the_map_settings_while_the_app_runs,
);

pub(crate) async fn patch(app: &TestApp, client: &reqwest::Client, path: &str, body: &Value) -> (u16, Value) {
    app.send(client, Method::PATCH, path, Some(body)).await
}

pub(crate) async fn put(app: &TestApp, client: &reqwest::Client, path: &str, body: &Value) -> (u16, Value) {
    app.send(client, Method::PUT, path, Some(body)).await
}

/// A fresh client signed in through the JSON API; the status of the attempt.
pub(crate) async fn sign_in(app: &TestApp, email: &str, password: &str) -> (u16, reqwest::Client) {
    let client = client();
    let (status, _) = app
        .post(
            &client,
            "/api/v1/session",
            &json!({ "email": email, "password": password }),
        )
        .await;
    (status, client)
}

async fn signed_in_status(app: &TestApp, client: &reqwest::Client) -> u16 {
    app.get(client, "/api/v1/session").await.0
}

async fn admins_manage_accounts_and_every_change_ends_sessions_and_is_logged(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (admin, admin_id) = app.signed_in(Role::Admin).await;

    let (status, created) = app
        .post(
            &admin,
            "/api/v1/users",
            &json!({ "email": " Anna.Berg@Upplands-Bro.se ", "display_name": "Anna Berg", "role": "coordinator" }),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let email = created["account"]["email"].as_str().unwrap().to_owned();
    assert_eq!(email, "anna.berg@upplands-bro.se");
    let first_password = created["password"].as_str().unwrap().to_owned();
    assert!(first_password.len() >= 12, "{first_password}");
    let id = created["account"]["id"].as_str().unwrap().to_owned();
    let user_path = format!("/api/v1/users/{id}");

    // The one-time password works; the same e-mail cannot be taken twice.
    let (status, anna) = sign_in(&app, &email, &first_password).await;
    assert_eq!(status, 200);
    assert_eq!(signed_in_status(&app, &anna).await, 200);
    for (body, field) in [
        (json!({ "email": email, "role": "police" }), "email"),
        (json!({ "email": "inte-en-adress", "role": "police" }), "email"),
        (
            json!({ "email": "deltagare@example.se", "role": "participant" }),
            "role",
        ),
        (
            json!({ "email": "lang@example.se", "role": "police", "display_name": "x".repeat(121) }),
            "display_name",
        ),
    ] {
        let (status, refused) = app.post(&admin, "/api/v1/users", &body).await;
        assert_eq!(
            (status, refused["field"].as_str()),
            (422, Some(field)),
            "{body} → {refused}"
        );
    }

    // A new role takes effect and ends the sessions opened under the old one.
    let (status, changed) = patch(&app, &admin, &user_path, &json!({ "role": "police" })).await;
    assert_eq!((status, &changed["role"]), (200, &json!("police")), "{changed}");
    assert_eq!(signed_in_status(&app, &anna).await, 401, "the old session ended");

    // Disabled: the open session ends and the password no longer opens a new one.
    let (_, anna) = sign_in(&app, &email, &first_password).await;
    let (status, changed) = patch(&app, &admin, &user_path, &json!({ "disabled": true })).await;
    assert_eq!((status, &changed["disabled"]), (200, &json!(true)), "{changed}");
    assert_eq!(signed_in_status(&app, &anna).await, 401);
    assert_ne!(sign_in(&app, &email, &first_password).await.0, 200);
    let (status, _) = patch(&app, &admin, &user_path, &json!({ "disabled": false })).await;
    assert_eq!(status, 200);
    let (status, anna) = sign_in(&app, &email, &first_password).await;
    assert_eq!(status, 200, "enabled again");

    // A new password: shown once, the old one stops working, open sessions end.
    let (status, reset) = app
        .post(&admin, &format!("{user_path}/password"), &json!({}))
        .await;
    assert_eq!(status, 200, "{reset}");
    let new_password = reset["password"].as_str().unwrap();
    assert_ne!(new_password, first_password);
    assert_eq!(signed_in_status(&app, &anna).await, 401);
    assert_ne!(sign_in(&app, &email, &first_password).await.0, 200);
    let (status, anna) = sign_in(&app, &email, new_password).await;
    assert_eq!(status, 200);
    // Not one's own, though: that would end the admin's session; Mitt konto is for that.
    let (status, refused) = app
        .post(&admin, &format!("/api/v1/users/{admin_id}/password"), &json!({}))
        .await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(app.whoami(&admin).await.0, 200, "the admin is still signed in");

    // "Sign out everywhere".
    let (status, _) = app
        .send(&admin, Method::DELETE, &format!("{user_path}/sessions"), None)
        .await;
    assert_eq!(status, 204);
    assert_eq!(signed_in_status(&app, &anna).await, 401);
    assert_eq!(
        sign_in(&app, &email, new_password).await.0,
        200,
        "signing in again works"
    );

    // Nobody locks themselves out; the admin's own session is untouched by all this.
    let own = format!("/api/v1/users/{admin_id}");
    for (body, field) in [
        (json!({ "role": "police" }), "role"),
        (json!({ "disabled": true }), "disabled"),
    ] {
        let (status, refused) = patch(&app, &admin, &own, &body).await;
        assert_eq!(
            (status, refused["field"].as_str()),
            (422, Some(field)),
            "{refused}"
        );
    }
    assert_eq!(signed_in_status(&app, &admin).await, 200);
    // Unknown and malformed ids.
    let unknown = format!("/api/v1/users/{}", Uuid::now_v7());
    assert_eq!(
        patch(&app, &admin, &unknown, &json!({ "disabled": true }))
            .await
            .0,
        404
    );
    assert_eq!(app.get(&admin, "/api/v1/users/inte-ett-id").await.0, 404);

    // Every change is in the log, newest first, with who did it.
    let log = changes(&app, &admin).await;
    let about_anna: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|event| event["subject"] == email.as_str())
        .map(|event| event["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        about_anna,
        [
            "account.sessions_end",
            "account.password_reset",
            "account.enable",
            "account.disable",
            "account.role",
            "account.create",
        ],
        "{log}"
    );
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .all(|event| event["actor"].is_string()),
        "{log}"
    );
    assert!(!log.to_string().contains(new_password), "no password in the log");
    let (police, _) = app.signed_in(Role::Police).await;
    assert_eq!(app.get(&police, "/api/v1/audit").await.0, 403);
}

async fn coordinators_keep_the_volunteers_and_the_driver_register(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, coordinator_id) = app.signed_in(Role::Coordinator).await;
    let (_, police_id) = app.signed_in(Role::Police).await;
    let (volunteer, volunteer_id) = app.signed_in(Role::Volunteer).await;
    let (admin, _) = app.signed_in(Role::Admin).await;

    // A coordinator sees and manages the volunteers only; other accounts are not found.
    let (status, listed) = app.get(&coordinator, "/api/v1/users").await;
    assert_eq!(status, 200);
    let roles: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["role"].as_str().unwrap())
        .collect();
    assert!(roles.iter().all(|role| *role == "volunteer"), "{listed}");
    assert!(listed.to_string().contains(&volunteer_id));
    for other in [&police_id, &coordinator_id] {
        let path = format!("/api/v1/users/{other}");
        assert_eq!(app.get(&coordinator, &path).await.0, 404, "{path}");
        assert_eq!(
            patch(&app, &coordinator, &path, &json!({ "disabled": true }))
                .await
                .0,
            404
        );
        assert_eq!(
            app.post(&coordinator, &format!("{path}/password"), &json!({}))
                .await
                .0,
            404
        );
    }
    let volunteer_path = format!("/api/v1/users/{volunteer_id}");
    assert_eq!(
        patch(&app, &coordinator, &volunteer_path, &json!({ "role": "admin" }))
            .await
            .0,
        403
    );
    assert_eq!(
        app.post(
            &coordinator,
            "/api/v1/users",
            &json!({ "email": "ny-polis@example.se", "role": "police" })
        )
        .await
        .0,
        403
    );
    let (status, _) = app
        .post(
            &coordinator,
            "/api/v1/users",
            &json!({ "email": "ny-forare@example.se", "role": "volunteer" }),
        )
        .await;
    assert_eq!(status, 201);

    // The register: dates in the past, vehicles once each.
    let driver_path = format!("{volunteer_path}/driver");
    let entry = json!({
        "trained_on": "2026-03-14",
        "vehicles": ["Grannstödsbil Bro", "grannstödsbil bro", "Grannstödsbil Kungsängen"],
        "confidentiality_signed_on": "2026-03-14",
        "note": "Kör helst kvällar",
    });
    let (status, registered) = put(&app, &coordinator, &driver_path, &entry).await;
    assert_eq!(status, 200, "{registered}");
    assert_eq!(
        registered["driver"]["vehicles"],
        json!(["Grannstödsbil Bro", "Grannstödsbil Kungsängen"])
    );
    assert_eq!(registered["driver"]["confidentiality_signed_on"], "2026-03-14");
    for (body, field) in [
        (
            json!({ "confidentiality_signed_on": "2999-01-01", "vehicles": [], "note": "" }),
            "confidentiality_signed_on",
        ),
        (
            json!({ "trained_on": "14/3 2026", "vehicles": [], "note": "" }),
            "trained_on",
        ),
        (json!({ "vehicles": ["x".repeat(81)], "note": "" }), "vehicles"),
    ] {
        let (status, refused) = put(&app, &coordinator, &driver_path, &body).await;
        assert_eq!(
            (status, refused["field"].as_str()),
            (422, Some(field)),
            "{body} → {refused}"
        );
    }
    // Only volunteers are drivers; police, drivers and participants keep no register.
    let (status, refused) = put(&app, &admin, &format!("/api/v1/users/{police_id}/driver"), &entry).await;
    assert_eq!(
        (status, refused["field"].as_str()),
        (422, Some("role")),
        "{refused}"
    );
    let (participant, _) = app.signed_in(Role::Participant).await;
    for client in [&volunteer, &participant] {
        assert_eq!(put(&app, client, &driver_path, &entry).await.0, 403);
        assert_eq!(app.get(client, "/api/v1/users").await.0, 403);
    }
    let (police, _) = app.signed_in(Role::Police).await;
    assert_eq!(app.get(&police, "/api/v1/users").await.0, 403);
    assert_eq!(app.get(&client(), "/api/v1/users").await.0, 401);
}

const FINNSTA: (f64, f64) = (59.5180, 17.6200);

async fn only_drivers_bound_to_confidentiality_see_exact_focus_places(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let (police, _) = app.signed_in(Role::Police).await;
    let (driver, driver_id) = app.signed_in(Role::Volunteer).await;
    let place = json!({
        "title": "Förråden vid Finnstagårdarna", "note": "Dörrarna kvällstid",
        "lat": FINNSTA.0, "lng": FINNSTA.1, "radius_m": 100.0,
    });
    let (status, marked) = app.post(&police, "/api/v1/focus-places", &place).await;
    assert_eq!(status, 201, "{marked}");

    // Not yet signed (no register row, then a row without the date): the hexagon around
    // it, without title, note or the point itself.
    let driver_path = format!("/api/v1/users/{driver_id}/driver");
    for signed in [
        None,
        Some(json!({ "trained_on": "2026-03-14", "vehicles": [], "note": "" })),
    ] {
        if let Some(entry) = signed {
            assert_eq!(put(&app, &coordinator, &driver_path, &entry).await.0, 200);
        }
        let (status, seen) = app.get(&driver, "/api/v1/focus-places").await;
        assert_eq!(status, 200);
        let general = &seen[0];
        assert_eq!(general["exact"], false, "{seen}");
        assert_eq!(
            (general["title"].as_str(), general["note"].as_str()),
            (Some(""), Some(""))
        );
        let (lat, lng) = (general["lat"].as_f64().unwrap(), general["lng"].as_f64().unwrap());
        let off_m = ((lat - FINNSTA.0) * 111_195.0)
            .hypot((lng - FINNSTA.1) * 111_195.0 * FINNSTA.0.to_radians().cos());
        assert!(off_m > 1.0, "not the point itself: {seen}");
        assert!(
            off_m < general["radius_m"].as_f64().unwrap(),
            "but inside the circle shown: {seen}"
        );
        assert!(general["radius_m"].as_f64().unwrap() > 1_000.0, "{seen}");
        let text = seen.to_string();
        for secret in ["Finnstagårdarna", "Dörrarna", "59.518,", "17.62,"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        let (_, tasking) = app.get(&driver, "/api/v1/tasking").await;
        assert!(!tasking.to_string().contains("Finnstagårdarna"), "{tasking}");
    }

    // Signed: the place as the police marked it.
    let signed = json!({ "trained_on": "2026-03-14", "confidentiality_signed_on": "2026-11-01", "vehicles": [], "note": "" });
    assert_eq!(put(&app, &coordinator, &driver_path, &signed).await.0, 200);
    let (_, seen) = app.get(&driver, "/api/v1/focus-places").await;
    assert_eq!(seen[0]["exact"], true);
    assert_eq!(seen[0]["title"], "Förråden vid Finnstagårdarna");
    assert_eq!(
        (seen[0]["lat"].as_f64(), seen[0]["lng"].as_f64()),
        (Some(FINNSTA.0), Some(FINNSTA.1))
    );
    // Police and coordinators always see it exactly.
    for client in [&police, &coordinator] {
        let (_, seen) = app.get(client, "/api/v1/focus-places").await;
        assert_eq!(seen[0]["exact"], true);
    }
}

async fn categories_are_reordered_whole_and_changes_are_logged(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let (admin, _) = app.signed_in(Role::Admin).await;
    let (_, before) = app.get(&coordinator, "/api/v1/categories").await;
    let mut ids: Vec<String> = before
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    ids.reverse();
    let (status, ordered) = put(
        &app,
        &coordinator,
        "/api/v1/category-order",
        &json!({ "ids": ids }),
    )
    .await;
    assert_eq!(status, 200, "{ordered}");
    // The list is by kind, then by the new order: within each kind it is reversed.
    let (_, after) = app.get(&coordinator, "/api/v1/categories").await;
    let of_kind = |list: &Value, kind: &str| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .filter(|c| c["kind"] == kind)
            .map(|c| c["id"].as_str().unwrap().to_owned())
            .collect()
    };
    for kind in ["walk_finding", "patrol_observation", "drug_scene"] {
        let mut expected = of_kind(&before, kind);
        expected.reverse();
        assert_eq!(of_kind(&after, kind), expected, "{kind}");
    }
    // Not every category, or one twice: refused, the order stays.
    let mut partial = ids.clone();
    partial.pop();
    let mut doubled = ids.clone();
    doubled.push(ids[0].clone());
    for wrong in [partial, doubled, vec!["finns.inte".to_owned()]] {
        let (status, refused) = put(
            &app,
            &coordinator,
            "/api/v1/category-order",
            &json!({ "ids": wrong }),
        )
        .await;
        assert_eq!(
            (status, refused["field"].as_str()),
            (422, Some("ids")),
            "{refused}"
        );
    }
    assert_eq!(app.get(&coordinator, "/api/v1/categories").await.1, after);
    let (volunteer, _) = app.signed_in(Role::Volunteer).await;
    assert_eq!(
        put(&app, &volunteer, "/api/v1/category-order", &json!({ "ids": ids }))
            .await
            .0,
        403
    );

    // A rename to an unknown strategy area is refused; a good one is logged with its text.
    let path = "/api/v1/categories/walk.lighting";
    let (status, refused) = patch(&app, &coordinator, path, &json!({ "strategy_area": "99" })).await;
    assert_eq!(
        (status, refused["field"].as_str()),
        (422, Some("strategy_area")),
        "{refused}"
    );
    let (status, renamed) = patch(
        &app,
        &coordinator,
        path,
        &json!({ "label_sv": "Belysning och mörker" }),
    )
    .await;
    assert_eq!(status, 200, "{renamed}");
    let log = changes(&app, &admin).await;
    let latest = &log[0];
    assert_eq!(
        (latest["action"].as_str(), latest["subject"].as_str()),
        (Some("category.change"), Some("walk.lighting"))
    );
    assert!(
        latest["detail"]
            .as_str()
            .unwrap()
            .contains("Belysning och mörker"),
        "{latest}"
    );
    assert_eq!(log[1]["action"], "category.change", "the reordering: {log}");
}

async fn admins_change_the_map_settings_while_the_app_runs(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (admin, _) = app.signed_in(Role::Admin).await;
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let (volunteer, _) = app.signed_in(Role::Volunteer).await;

    let (status, before) = app.get(&volunteer, "/api/v1/settings/map").await;
    assert_eq!(status, 200, "{before}");
    let wanted = json!({
        "tile_url": "https://kartor.upplands-bro.se/tiles/{z}/{x}/{y}.png",
        "tile_attribution": "&copy; Upplands-Bro kommun, Lantmäteriet",
        "center_lat": 59.5113, "center_lng": 17.6358, "zoom": 14.0,
    });
    for (who, client) in [("coordinator", &coordinator), ("volunteer", &volunteer)] {
        let (status, _) = put(&app, client, "/api/v1/settings/map", &wanted).await;
        assert_eq!(status, 403, "{who}");
    }
    assert_eq!(app.get(&volunteer, "/api/v1/settings/map").await.1, before);

    // Hostile or broken values are refused field by field and change nothing.
    for (change, field) in [
        (
            json!({ "tile_url": "javascript:alert(1)//{z}/{x}/{y}" }),
            "tile_url",
        ),
        (
            json!({ "tile_url": "https://x.se/{z}/{x}/{y}.png\" onerror=\"alert(1)" }),
            "tile_url",
        ),
        (
            json!({ "tile_attribution": "<img src=x onerror=alert(1)>" }),
            "tile_attribution",
        ),
        (json!({ "center_lat": 0.0 }), "center_lat"),
        (json!({ "zoom": 40.0 }), "zoom"),
    ] {
        let mut body = wanted.clone();
        for (key, value) in change.as_object().unwrap() {
            body[key] = value.clone();
        }
        let (status, refused) = put(&app, &admin, "/api/v1/settings/map", &body).await;
        assert_eq!(
            (status, refused["field"].as_str()),
            (422, Some(field)),
            "{body} → {refused}"
        );
    }
    let (status, _) = put(&app, &admin, "/api/v1/settings/map", &json!({ "tile_url": 5 })).await;
    assert_eq!(status, 422);
    assert_eq!(app.get(&volunteer, "/api/v1/settings/map").await.1, before);

    let (status, saved) = put(&app, &admin, "/api/v1/settings/map", &wanted).await;
    assert_eq!((status, &saved), (200, &wanted));
    // Every user's next map uses them, on the API and in the pages' data.
    assert_eq!(app.get(&volunteer, "/api/v1/settings/map").await.1, wanted);
    let page = page_text(&volunteer, &app.url("/karta")).await;
    assert!(
        page.contains("kartor.upplands-bro.se/tiles"),
        "the map page carries the new tiles"
    );
    // Saved again with the same values: still one row per setting.
    assert_eq!(put(&app, &admin, "/api/v1/settings/map", &wanted).await.0, 200);
    let (rows,): (i64,) = sqlx::query_as("select count(*) from setting")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(rows, 5);

    let (_, log) = app.get(&admin, "/api/v1/audit").await;
    let changes: Vec<&Value> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|event| event["action"] == "settings.map")
        .collect();
    assert_eq!(changes.len(), 2, "{log}");
    assert!(changes[0]["detail"].as_str().unwrap().contains("map.zoom=14"));
    assert!(changes[0]["actor"].is_string());
}

/// The log's entries that record changes, newest first: without sign-ins, reads and
/// exports, which share the log.
async fn changes(app: &TestApp, admin: &reqwest::Client) -> serde_json::Value {
    let (status, log) = app.get(admin, "/api/v1/audit").await;
    assert_eq!(status, 200);
    serde_json::Value::Array(
        log.as_array()
            .unwrap()
            .iter()
            .filter(|event| {
                let action = event["action"].as_str().unwrap_or("");
                !action.starts_with("session.") && !action.starts_with("data.")
            })
            .cloned()
            .collect(),
    )
}
