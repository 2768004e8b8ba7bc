//! A property of every REST route (issue 11): whatever a client sends (random JSON, wrong
//! types, NUL characters, deep nesting, guessed or malformed ids, odd query strings), as
//! any role or none, the answer is never a server error. The routes come from the OpenAPI
//! document itself, so a new route is covered the day it is added. On SQLite and
//! PostgreSQL, with a fixed seed so a failure can be replayed.

use app::domain::role::Role;
use serde_json::{json, Map, Value};
use tryggkarta_tests::{client, on_sqlite_and_postgres, TestApp};

on_sqlite_and_postgres!(no_route_answers_random_input_with_a_server_error);

/// A small deterministic generator (xorshift64*): the same seed, the same requests.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const WORDS: [&str; 16] = [
    "id",
    "kind",
    "category",
    "note",
    "lat",
    "lng",
    "observed_at",
    "walk_id",
    "shift_id",
    "title",
    "name",
    "role",
    "email",
    "geometry",
    "status",
    "points",
];

const STRINGS: [&str; 10] = [
    "",
    "Råby \u{0}",
    "<script>alert(1)</script>",
    "'; drop table observation; --",
    "9999-99-99T99:99:99Z",
    "2026-11-26",
    "drug_scene",
    "00000000-0000-0000-0000-000000000000",
    "\u{202e}kod",
    "=HYPERLINK(\"x\")",
];

fn value(dice: &mut Dice, depth: u32) -> Value {
    match dice.below(if depth > 3 { 6 } else { 9 }) {
        0 => Value::Null,
        1 => json!(dice.below(2) == 0),
        2 => json!(*dice.pick(&[0.0, -1.0, 59.5, 17.6, 1e308, -1e308, 0.5])),
        3 => json!(*dice.pick(&[0_i64, -1, 3, i64::MAX, i64::MIN])),
        4 | 5 => json!(*dice.pick(&STRINGS)),
        6 => Value::Array((0..dice.below(4)).map(|_| value(dice, depth + 1)).collect()),
        _ => {
            let mut object = Map::new();
            for _ in 0..dice.below(6) {
                object.insert((*dice.pick(&WORDS)).to_owned(), value(dice, depth + 1));
            }
            Value::Object(object)
        }
    }
}

/// Request bodies: random JSON, a deeply nested array, and text that is not JSON at all.
fn bodies(dice: &mut Dice) -> Vec<(String, &'static str)> {
    let mut deep = String::new();
    for _ in 0..200 {
        deep.push('[');
    }
    for _ in 0..200 {
        deep.push(']');
    }
    vec![
        (value(dice, 0).to_string(), "application/json"),
        (value(dice, 0).to_string(), "application/json"),
        (
            json!({ *dice.pick(&WORDS): value(dice, 1) }).to_string(),
            "application/json",
        ),
        (deep, "application/json"),
        ("{\"note\": \"oavslutad".to_owned(), "application/json"),
        (
            "email=a%00b&password=x".to_owned(),
            "application/x-www-form-urlencoded",
        ),
    ]
}

/// Path parameters: a guessed id, or something that is no id at all.
const IDS: [&str; 6] = [
    "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
    "inte-ett-id",
    "%00",
    "..%2F..%2Fetc%2Fpasswd",
    "6.2",
    "99",
];

/// The path with its parameters filled: a guessed id, or something that is no id at all.
fn fill(path: &str, dice: &mut Dice) -> String {
    let mut out = String::new();
    for segment in path.split('/') {
        if !out.is_empty() || segment.is_empty() {
            out.push('/');
        }
        if segment.starts_with('{') {
            let id: &&str = dice.pick(&IDS);
            out.push_str(id);
        } else {
            out.push_str(segment);
        }
    }
    out.replace("//", "/")
}

async fn no_route_answers_random_input_with_a_server_error(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let mut clients = vec![("signed out", client())];
    for role in [Role::Admin, Role::Coordinator, Role::Police, Role::Volunteer] {
        clients.push((role.as_str(), app.signed_in(role).await.0));
    }
    // A participant, joined to a walk by its code.
    let (coordinator, _) = app.signed_in(Role::Coordinator).await;
    let (status, walk) = app
        .post(
            &coordinator,
            "/api/v1/walks",
            &json!({ "title": "Vandring", "area": "Bro", "starts_at": "2026-12-01T18:00:00Z", "light": "dark" }),
        )
        .await;
    assert_eq!(status, 201, "{walk}");
    let participant = client();
    let (status, _) = app
        .post(
            &participant,
            "/api/v1/walks/join",
            &json!({ "code": walk["join_code"] }),
        )
        .await;
    assert!(status == 200 || status == 201);
    clients.push(("participant", participant));

    let (_, document) = app.get(&clients[0].1, "/api/v1/openapi.json").await;
    let paths = document["paths"]
        .as_object()
        .expect("the OpenAPI document lists paths");
    assert!(paths.len() > 50, "every route is in the document");
    let mut dice = Dice(0x7172_7967_6b61_7274);
    let mut failures = Vec::new();
    let mut requests = 0;
    for (path, item) in paths {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_none() || (path == "/api/v1/session" && method == "delete") {
                continue;
            }
            for (role, client) in &clients {
                let sends: Vec<(String, &str)> = if method == "get" || method == "delete" {
                    vec![(String::new(), "")]
                } else {
                    bodies(&mut dice)
                };
                for (body, content_type) in sends {
                    let target = fill(path, &mut dice);
                    let query = dice.pick(&[
                        "",
                        "?from=2026-13-45&to=x",
                        "?kind=%00&limit=-1",
                        "?since=inte-en-tid&k=99999",
                    ]);
                    let url = app.url(&format!("{target}{query}"));
                    let request = client.request(method.parse().unwrap(), &url);
                    let request = if content_type.is_empty() {
                        request
                    } else {
                        request.header("content-type", content_type).body(body.clone())
                    };
                    requests += 1;
                    match request.send().await {
                        Ok(response) if response.status().is_server_error() => {
                            let status = response.status();
                            let text = response.text().await.unwrap_or_default();
                            failures.push(format!(
                                "{method} {target}{query} as {role}: {status} {text} ← {body}"
                            ));
                        }
                        Ok(_) => {}
                        Err(err) => failures.push(format!(
                            "{method} {target}{query} as {role}: no answer ({err}) ← {body}"
                        )),
                    }
                }
            }
        }
    }
    assert!(requests > 1_000, "{requests} requests");
    assert!(
        failures.is_empty(),
        "{} of {requests} answers were server errors:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
