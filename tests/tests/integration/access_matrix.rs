//! The table of who may call what (`app::domain::access::rest::API`) walked as a matrix: every
//! REST route, as every role and signed out, with a guessed id. A role the row does not
//! admit is refused before the route runs (401 signed out, 403 otherwise); a role it
//! admits gets past that gate (whatever the record-level answer then is). The table and
//! the OpenAPI document must list the same routes, so a route added without a row fails
//! here. The same for the server functions (`SERVER_FNS`) and the functions the app
//! registers. On SQLite and PostgreSQL.

use std::collections::BTreeSet;

use app::domain::access::gate::Allowed;
use app::domain::access::rest::API;
use app::domain::access::server_fns::SERVER_FNS;
use app::domain::role::Role;
use serde_json::json;
use tryggkarta_tests::{client, on_sqlite_and_postgres, TestApp, TestDb};

on_sqlite_and_postgres!(
    every_route_admits_exactly_the_roles_of_its_row,
    every_server_function_admits_exactly_the_roles_of_its_row,
);

/// Who may call the most sensitive routes, written here by hand from the rules in
/// docs/security.md, not read from the table: a wrong row in the table fails here.
const BY_HAND: &[(&str, &str, &[Role])] = &[
    ("GET", "/api/v1/audit", &[Role::Admin]),
    ("GET", "/api/v1/audit.csv", &[Role::Admin]),
    ("GET", "/api/v1/users", &[Role::Admin, Role::Coordinator]),
    ("POST", "/api/v1/users", &[Role::Admin, Role::Coordinator]),
    ("GET", "/api/v1/settings/retention", &[Role::Admin]),
    ("PUT", "/api/v1/settings/retention", &[Role::Admin]),
    ("PUT", "/api/v1/settings/map", &[Role::Admin]),
    ("GET", "/api/v1/watch-areas", &[Role::Coordinator]),
    (
        "GET",
        "/api/v1/hotspots/points",
        &[Role::Coordinator, Role::Police],
    ),
    ("GET", "/api/v1/meetings", &[Role::Coordinator, Role::Police]),
    ("GET", "/api/v1/actions", &[Role::Coordinator, Role::Police]),
    ("GET", "/api/v1/alerts", &[Role::Coordinator, Role::Police]),
    ("POST", "/api/v1/briefing", &[Role::Coordinator, Role::Police]),
    (
        "POST",
        "/api/v1/shifts",
        &[Role::Coordinator, Role::Police, Role::Volunteer],
    ),
    ("PATCH", "/api/v1/observations/{id}", &[Role::Coordinator]),
    ("GET", "/api/v1/review", &[Role::Coordinator]),
    ("POST", "/api/v1/review/{id}", &[Role::Coordinator]),
    ("POST", "/api/v1/organisations", &[Role::Admin, Role::Coordinator]),
    (
        "GET",
        "/api/v1/incident-reports/{id}",
        &[Role::Coordinator, Role::Police, Role::Reporter],
    ),
    ("POST", "/api/v1/incident-reports", &[Role::Reporter]),
];

#[test]
fn the_sensitive_rows_say_what_the_rules_say() {
    for (method, path, roles) in BY_HAND {
        let row = app::domain::access::rest::api_route(method, path)
            .unwrap_or_else(|| panic!("{method} {path} has a row"));
        for role in Role::ALL {
            assert_eq!(
                row.allowed.admits(Some(role)),
                roles.contains(&role),
                "{method} {path} as {role}"
            );
        }
        assert!(!row.allowed.admits(None), "{method} {path} signed out");
    }
}

/// An id that exists nowhere, in every path parameter.
const GUESSED: &str = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

fn filled(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                GUESSED
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_table_and_the_openapi_document_list_the_same_routes() {
    let db = TestDb::sqlite();
    let app = TestApp::spawn(&db.url).await;
    let (_, document) = app.get(&client(), "/api/v1/openapi.json").await;
    let mut documented = BTreeSet::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_some() {
                documented.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    // The document itself is served outside the generated router.
    documented.insert(("GET".into(), "/api/v1/openapi.json".into()));
    let tabled: BTreeSet<(String, String)> = API
        .iter()
        .map(|route| (route.method.to_owned(), route.path.to_owned()))
        .collect();
    same_entries("domain::access::rest::API", &documented, &tabled);
}

/// Fails unless what the app has and what the table lists are the same, naming both kinds
/// of difference: something without a row, and a row for nothing.
fn same_entries<T: Ord + std::fmt::Debug>(table: &str, existing: &BTreeSet<T>, tabled: &BTreeSet<T>) {
    let without_row: Vec<_> = existing.difference(tabled).collect();
    let without_thing: Vec<_> = tabled.difference(existing).collect();
    assert!(without_row.is_empty(), "no row in {table} for {without_row:?}");
    assert!(
        without_thing.is_empty(),
        "rows in {table} for what does not exist: {without_thing:?}"
    );
}

/// Whether `status` is what a row that does (`admitted`) or does not admit `role` allows:
/// past the gate without a server error, or refused with 401 signed out and 403 otherwise.
fn fits_row(admitted: bool, role: Option<Role>, status: u16) -> bool {
    if admitted {
        status != 401 && status != 403 && status < 500
    } else {
        status == if role.is_none() { 401 } else { 403 }
    }
}

/// A client of every role and one signed out; the participant has joined a walk.
async fn every_role(app: &TestApp) -> Vec<(Option<Role>, reqwest::Client)> {
    let mut clients: Vec<(Option<Role>, reqwest::Client)> = vec![(None, client())];
    for role in [Role::Admin, Role::Coordinator, Role::Police, Role::Volunteer] {
        clients.push((Some(role), app.signed_in(role).await.0));
    }
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let (_, walk) = app
        .post(
            &coordinator,
            "/api/v1/walks",
            &json!({ "title": "Vandring", "area": "Bro", "starts_at": "2026-12-01T18:00:00Z", "light": "dark" }),
        )
        .await;
    let participant = client();
    let (status, _) = app
        .post(
            &participant,
            "/api/v1/walks/join",
            &json!({ "code": walk["join_code"] }),
        )
        .await;
    assert!(status == 200 || status == 201);
    clients.push((Some(Role::Participant), participant));
    let (_, organisation) = app
        .post(
            &coordinator,
            "/api/v1/organisations",
            &json!({ "name": "Bro Bostäder", "kind": "housing" }),
        )
        .await;
    let (reporter, _) = app
        .signed_in_reporter(organisation["id"].as_str().expect("an organisation"))
        .await;
    clients.push((Some(Role::Reporter), reporter));
    clients
}

async fn every_route_admits_exactly_the_roles_of_its_row(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let clients = every_role(&app).await;
    let mut wrong = Vec::new();
    for route in API {
        // Signing out would end the client's session for the rows after it.
        if route.method == "DELETE" && route.path == "/api/v1/session" {
            continue;
        }
        for (role, client) in &clients {
            let url = app.url(&filled(route.path));
            let request = client.request(route.method.parse().unwrap(), &url);
            let request = if matches!(route.method, "POST" | "PUT" | "PATCH") {
                request.json(&json!({}))
            } else {
                request
            };
            let status = request.send().await.unwrap().status().as_u16();
            let who = role.map_or("signed out", Role::as_str);
            let admitted = route.allowed.admits(*role);
            // A list without an id, asked for by a role it admits, answers with the list
            // (the reports near a place need the place).
            let plain_read =
                route.method == "GET" && !route.path.contains('{') && !route.path.ends_with("/nearby");
            let fine = if admitted && plain_read {
                (200..300).contains(&status)
            } else {
                fits_row(admitted, *role, status)
            };
            if !fine {
                wrong.push(format!(
                    "{} {} as {who}: {status} ({})",
                    route.method,
                    route.path,
                    if admitted {
                        "admitted, refused or failed"
                    } else {
                        "not admitted, not refused"
                    }
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} answers break the table:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    // The table says something: most routes are for some roles only.
    let restricted = API
        .iter()
        .filter(|route| !matches!(route.allowed, Allowed::Anyone | Allowed::SignedIn))
        .count();
    assert!(
        restricted > API.len() / 2,
        "{restricted} of {} routes are for some roles only",
        API.len()
    );
}

#[test]
fn the_table_lists_every_server_function_the_app_registers() {
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect();
    let tabled: BTreeSet<String> = SERVER_FNS
        .iter()
        .map(|function| format!("/api/{}", function.endpoint))
        .collect();
    assert!(
        registered.len() > 40,
        "the app registers its server functions: {registered:?}"
    );
    same_entries("domain::access::server_fns::SERVER_FNS", &registered, &tabled);
}

async fn every_server_function_admits_exactly_the_roles_of_its_row(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let clients = every_role(&app).await;
    let mut wrong = Vec::new();
    for function in SERVER_FNS {
        for (role, client) in &clients {
            // As a page calls it, but without its arguments: an admitted role gets past
            // the gate to the function (which then finds its arguments missing).
            let status = client
                .post(app.url(&format!("/api/{}", function.endpoint)))
                .header("content-type", "application/x-www-form-urlencoded")
                .body("")
                .send()
                .await
                .unwrap()
                .status()
                .as_u16();
            let admitted = function.allowed.admits(*role);
            let fine = fits_row(admitted, *role, status);
            if !fine {
                let who = role.map_or("signed out", Role::as_str);
                wrong.push(format!(
                    "{} as {who}: {status} (admitted: {admitted})",
                    function.endpoint
                ));
            }
        }
    }
    // A method a REST route does not have is not allowed (and not an error in the log).
    let status = clients[1]
        .1
        .request(reqwest::Method::OPTIONS, app.url("/api/v1/walks"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status.as_u16(), 405);
    // A function that is not in the table is refused to everyone.
    let (status, body) = app.post(&clients[1].1, "/api/no_such_function", &json!({})).await;
    assert_eq!(status, 403, "{body}");
    assert!(
        wrong.is_empty(),
        "{} answers break the table:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
