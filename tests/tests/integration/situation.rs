//! Lägesbild: police and coordinators get the Gi* map, the comparison and the exports of
//! everything; every other role gets cells with at least three reports and nothing that
//! points at one report; a meeting keeps its picture however much data arrives later.
//! Each test runs on SQLite and on PostgreSQL.

use app::domain::role::Role;
use serde_json::{json, Value};
use tryggkarta_tests::reports::{cell_centre, now_ms, store, Report};
use tryggkarta_tests::{on_sqlite_and_postgres, TestApp};
use uuid::Uuid;

on_sqlite_and_postgres!(
    police_see_a_planted_cluster_hot_and_others_only_cells_with_three_reports,
    others_see_whole_past_months_only_however_the_window_is_moved,
    exports_hold_only_what_the_role_may_see,
    the_comparison_flags_a_real_rise_per_strategy_area,
    a_meeting_keeps_exactly_the_picture_that_was_shown,
    bad_hotspot_requests_are_refused_with_the_field_named,
    the_optimized_analysis_singles_out_the_cluster_in_busy_bro,
);

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// Small deterministic jitter, so points spread inside a cell without a random crate.
fn jitter(i: usize, scale: f64) -> f64 {
    ((i as f64 * 0.618_033_988_75).fract() - 0.5) * scale
}

const BRO: (f64, f64) = (59.5113, 17.6358);
const KUNGSANGEN: (f64, f64) = (59.4786, 17.7500);
const BRUNNA: (f64, f64) = (59.45, 17.85);

/// Twelve drug-scene reports at Bro centrum within a few metres, three in Brunna, two at
/// Kungsängen, and a thin spread of walk findings over the municipality, all within the
/// last week.
async fn seed_map(app: &TestApp, reporter: &str) {
    seed_map_before(app, reporter, now_ms()).await;
}

/// The same map, every report before `now`.
async fn seed_map_before(app: &TestApp, reporter: &str, now: i64) {
    let bro = cell_centre(BRO.0, BRO.1);
    let kungsangen = cell_centre(KUNGSANGEN.0, KUNGSANGEN.1);
    let mut reports: Vec<Report> = (0..12)
        .map(|i| {
            Report::at(
                "drug.dealing",
                bro.0 + jitter(i, 0.0004),
                bro.1 + jitter(i + 7, 0.0008),
                now - (i as i64 + 1) * HOUR_MS,
            )
        })
        .collect();
    reports.push(Report::at(
        "drug.use",
        kungsangen.0,
        kungsangen.1,
        now - 2 * DAY_MS,
    ));
    reports.push(Report::at(
        "drug.use",
        kungsangen.0 + 0.0001,
        kungsangen.1,
        now - 3 * DAY_MS,
    ));
    let brunna = cell_centre(BRUNNA.0, BRUNNA.1);
    for i in 0..3 {
        reports.push(Report::at(
            "drug.gathering",
            brunna.0 + jitter(i, 0.0002),
            brunna.1,
            now - (i as i64 + 1) * DAY_MS,
        ));
    }
    for i in 0..40 {
        reports.push(Report::at(
            "walk.lighting",
            59.42 + (i % 8) as f64 * 0.025,
            17.45 + (i / 8) as f64 * 0.09,
            now - (i as i64 % 6 + 1) * DAY_MS,
        ));
    }
    store(app, reporter, &reports).await;
}

fn cell_with(situation: &Value, count: u64) -> Option<&Value> {
    situation["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["count"] == count)
}

async fn police_see_a_planted_cluster_hot_and_others_only_cells_with_three_reports(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (police, police_id) = app.signed_in(Role::Police).await;
    seed_map(&app, &police_id).await;

    let (status, full) = app.get(&police, "/api/v1/hotspots?kind=drug_scene").await;
    assert_eq!(status, 200, "{full}");
    assert_eq!(full["aggregated"], false);
    assert_eq!(full["total"], 17);
    let cluster = cell_with(&full, 12).expect("the cluster's cell");
    assert_eq!(cluster["class"], 3, "hot at 99 %: {cluster}");
    assert!(cluster["z"].as_f64().unwrap() > 3.0);
    let pair = cell_with(&full, 2).expect("the two reports at Kungsängen");
    assert_eq!(pair["boundary"].as_array().unwrap().len(), 6, "a hexagon");
    let triple = cell_with(&full, 3).expect("the three reports in Brunna");
    // The cluster's six neighbours share its z (each neighbourhood holds all 12) but
    // have no reports of their own: the list names the cells with reports.
    assert_eq!(
        full["top"],
        json!([cluster["h3"], triple["h3"], pair["h3"]]),
        "{}",
        full["top"]
    );
    assert!(!full["heat"].as_array().unwrap().is_empty(), "a KDE heat layer");
    let drug_area = full["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["strategy_area"] == "10")
        .unwrap();
    assert_eq!(drug_area["now"], 17);

    let (status, points) = app.get(&police, "/api/v1/hotspots/points?kind=drug_scene").await;
    assert_eq!(status, 200);
    let in_cluster = points
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["h3"] == cluster["h3"])
        .count();
    assert_eq!(in_cluster, 12, "the drill-down finds the cluster's reports");
    let dealing = points
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["category"] == "drug.dealing")
        .unwrap();
    assert_eq!(
        dealing["category_name"],
        json!(["Försäljning", "Dealing"]),
        "names, not codes: {dealing}"
    );
    assert_eq!(
        dealing["strategy_area_name"],
        json!([
            "Droghandel och öppna drogscener",
            "Drug trade and open drug scenes"
        ])
    );

    let (status, _) = app.get(&tryggkarta_tests::client(), "/api/v1/hotspots").await;
    assert_eq!(status, 401);
}

/// The first and last day of the last completed calendar month, and a day inside it.
fn last_whole_month() -> (String, String, String, i64) {
    use chrono::Datelike;
    let today = app::domain::clock::today();
    let last = today.with_day(1).unwrap().pred_opt().unwrap();
    let first = last.with_day(1).unwrap();
    let middle = first + chrono::TimeDelta::days(20);
    let middle_ms = app::domain::situation::local_midnight_ms(middle) + 12 * HOUR_MS;
    (first.to_string(), last.to_string(), middle.to_string(), middle_ms)
}

async fn others_see_whole_past_months_only_however_the_window_is_moved(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (police, police_id) = app.signed_in(Role::Police).await;
    let (first, last, day_in_month, middle_ms) = last_whole_month();
    // The map of the other test, two to twelve days before the 21st of last month, and
    // one more report this month that no aggregated answer may show.
    seed_map_before(&app, &police_id, middle_ms).await;
    let bro = cell_centre(BRO.0, BRO.1);
    store(
        &app,
        &police_id,
        &[Report::at("drug.dealing", bro.0, bro.1, now_ms())],
    )
    .await;
    let (_, full) = app
        .get(
            &police,
            &format!("/api/v1/hotspots?kind=drug_scene&from={first}&to={last}"),
        )
        .await;
    let h3_with = |count| {
        cell_with(&full, count).unwrap()["h3"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (cluster, triple) = (h3_with(12), h3_with(3));

    for role in [Role::Volunteer, Role::Admin, Role::Participant] {
        let (client, _) = app.signed_in(role).await;
        // Narrow filters, a narrow window and an earlier as_of would let two requests be
        // compared to single out one report: the aggregated layer ignores them.
        let (status, public) = app.get(&client, &format!("/api/v1/hotspots?kind=drug_scene&category=drug.use&resolution=11&from={day_in_month}&to={day_in_month}&hour_from=3&hour_to=3&weekdays=1&as_of=1"),
        )
        .await;
        assert_eq!(status, 200, "{role}: {public}");
        assert_eq!(public["aggregated"], true, "{role}");
        assert_eq!(
            public["params"]["resolution"], 9,
            "{role} gets no cells finer than resolution 9"
        );
        assert!(public["params"]["as_of"].as_i64().unwrap() > 1);
        assert_eq!(public["params"]["hour_from"], Value::Null);
        assert_eq!(
            (
                public["params"]["from"].as_str().unwrap(),
                public["params"]["to"].as_str().unwrap()
            ),
            (first.as_str(), last.as_str()),
            "{role}: the whole of last month"
        );
        let cells = public["cells"].as_array().unwrap();
        let mut shown: Vec<(String, u64)> = cells
            .iter()
            .map(|c| (c["h3"].as_str().unwrap().to_owned(), c["count"].as_u64().unwrap()))
            .collect();
        shown.sort_by_key(|(_, count)| *count);
        assert_eq!(
            shown,
            vec![(triple.clone(), 3), (cluster.clone(), 12)],
            "{role}: the cells with three reports or more, not the one with two: {public}"
        );
        assert_eq!(public["total"], 15, "{role}: the total of what is shown, no more");
        for hidden in ["z", "p_fdr", "previous", "trend"] {
            assert!(cells[0].get(hidden).is_none(), "{role} does not get {hidden}");
        }
        assert!(
            public["heat"].as_array().unwrap().is_empty(),
            "{role}: no heat from exact positions"
        );
        assert!(public["areas"].as_array().unwrap().is_empty());
        let (status, _) = app.get(&client, "/api/v1/hotspots/points?kind=drug_scene").await;
        assert_eq!(status, 403, "{role} may not list exact positions");
    }
    // Sliding the window a day, nesting it, or reaching into the future never changes
    // what comes back: the month is the only unit.
    let (volunteer, _) = app.signed_in(Role::Volunteer).await;
    let today = app::ui::format::stockholm_date(chrono::Utc::now());
    let mut answers = Vec::new();
    for window in [
        format!("from={first}&to={last}"),
        format!("from={day_in_month}&to={last}"),
        format!("from={first}&to={day_in_month}"),
        format!("to={today}"),
        format!(
            "from={today}&to={}",
            app::ui::format::stockholm_date(chrono::Utc::now() + chrono::TimeDelta::days(60))
        ),
        String::new(),
    ] {
        let (status, answer) = app.get(&volunteer, &format!("/api/v1/hotspots?{window}")).await;
        assert_eq!(status, 200, "{window}: {answer}");
        answers.push((window, answer["cells"].clone(), answer["params"]["from"].clone()));
    }
    for (window, cells, from) in &answers {
        assert_eq!(cells, &answers[0].1, "{window} gives the same cells");
        assert_eq!(from, &json!(first), "{window}");
    }
}

async fn exports_hold_only_what_the_role_may_see(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (police, police_id) = app.signed_in(Role::Police).await;
    let now = now_ms();
    store(
        &app,
        &police_id,
        &[
            Report {
                note: "Langning vid trappan",
                ..Report::at("drug.dealing", 59.5113, 17.6358, now - HOUR_MS)
            },
            Report {
                note: "Trasig lampa",
                ..Report::at("walk.lighting", 59.4786, 17.7500, now - HOUR_MS)
            },
        ],
    )
    .await;

    let csv = police
        .get(app.url("/api/v1/export/observations.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains(".csv"));
    let bytes = csv.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 with BOM for Excel");
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    assert_eq!(text.lines().count(), 3, "header and both reports: {text}");
    assert!(
        text.contains("Langning vid trappan") && text.contains(&police_id),
        "{text}"
    );
    let iso = text.lines().nth(1).unwrap().split(';').nth(1).unwrap().to_owned();
    assert!(chrono::DateTime::parse_from_rfc3339(&iso).is_ok(), "{iso}");

    let (admin, _) = app.signed_in(Role::Admin).await;
    let text = admin
        .get(app.url("/api/v1/export/observations.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        text.lines().count(),
        2,
        "the admin gets the walk finding only: {text}"
    );
    assert!(!text.contains("Langning") && !text.contains(&police_id) && !text.contains("rapportor"));

    let (volunteer, _) = app.signed_in(Role::Volunteer).await;
    let (status, geojson) = app.get(&volunteer, "/api/v1/export/observations.geojson").await;
    assert_eq!(status, 200);
    let features = geojson["features"].as_array().unwrap();
    assert_eq!(features.len(), 1);
    assert_eq!(features[0]["properties"]["kind"], "walk_finding");
    assert_eq!(features[0]["geometry"]["coordinates"], json!([17.75, 59.4786]));

    let (_, cells) = app.get(&police, "/api/v1/hotspots/cells.geojson").await;
    assert_eq!(cells["type"], "FeatureCollection");
    let first = &cells["features"][0];
    assert_eq!(first["geometry"]["type"], "Polygon");
    let ring = first["geometry"]["coordinates"][0].as_array().unwrap();
    assert_eq!(ring.first(), ring.last(), "a closed ring for QGIS");
    assert!(first["properties"].get("z").is_some());
    let (_, public_cells) = app.get(&volunteer, "/api/v1/hotspots/cells.geojson").await;
    assert!(
        public_cells["features"].as_array().unwrap().is_empty(),
        "single reports never reach the aggregated layer: {public_cells}"
    );
}

async fn the_comparison_flags_a_real_rise_per_strategy_area(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (coordinator, coordinator_id) = app.signed_in(Role::Coordinator).await;
    let now = now_ms();
    // Period of 14 days: 3 burglary signs in the 14 days before, 20 in these 14 days;
    // graffiti (area 3) steady at 5 and 5.
    let mut reports = Vec::new();
    for i in 0..20 {
        reports.push(Report::at(
            "patrol.burglary_signs",
            59.5 + jitter(i, 0.02),
            17.7 + jitter(i + 3, 0.04),
            now - (i as i64 % 12 + 1) * DAY_MS,
        ));
    }
    for i in 0..3 {
        reports.push(Report::at(
            "patrol.burglary_signs",
            59.5,
            17.7,
            now - (16 + i as i64) * DAY_MS,
        ));
    }
    for i in 0..5 {
        reports.push(Report::at(
            "patrol.damage",
            59.45,
            17.6,
            now - (i as i64 + 1) * DAY_MS,
        ));
        reports.push(Report::at(
            "patrol.damage",
            59.45,
            17.6,
            now - (i as i64 + 17) * DAY_MS,
        ));
    }
    store(&app, &coordinator_id, &reports).await;
    let today = app::ui::format::stockholm_date(chrono::Utc::now());
    let from = app::ui::format::stockholm_date(chrono::Utc::now() - chrono::TimeDelta::days(13));
    let (status, situation) = app
        .get(&coordinator, &format!("/api/v1/hotspots?from={from}&to={today}"))
        .await;
    assert_eq!(status, 200, "{situation}");
    let area = |code: &str| {
        situation["areas"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["strategy_area"] == code)
            .cloned()
            .unwrap()
    };
    let burglary = area("6.2");
    assert_eq!(
        (burglary["now"].as_u64(), burglary["previous"].as_u64()),
        (Some(20), Some(3))
    );
    assert_eq!(burglary["change"], 17);
    assert_eq!(burglary["significant_rise"], true);
    let graffiti = area("3");
    assert_eq!(
        (graffiti["now"].as_u64(), graffiti["previous"].as_u64()),
        (Some(5), Some(5))
    );
    assert_eq!(graffiti["significant_rise"], false);
    let all = area("");
    assert_eq!(
        (all["now"].as_u64(), all["previous"].as_u64()),
        (Some(25), Some(8))
    );
    assert_eq!(situation["slices"], 2, "two weeks: too few slices for a trend");
}

async fn a_meeting_keeps_exactly_the_picture_that_was_shown(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (police, police_id) = app.signed_in(Role::Police).await;
    seed_map(&app, &police_id).await;

    let (_, shown) = app.get(&police, "/api/v1/hotspots?kind=drug_scene").await;
    let as_of = shown["params"]["as_of"].as_i64().unwrap();
    let pair = cell_with(&shown, 2).unwrap()["h3"].clone();
    // A report arrives while the meeting looks at the map, before it saves.
    let kungsangen = cell_centre(KUNGSANGEN.0, KUNGSANGEN.1);
    let later = Report {
        created_at: as_of + 1,
        ..Report::at("drug.dealing", kungsangen.0, kungsangen.1, now_ms() - HOUR_MS)
    };
    store(&app, &police_id, &[later]).await;
    let query = json!({ "kind": "drug_scene", "from": shown["params"]["from"], "to": shown["params"]["to"], "as_of": as_of });
    let created = police
        .post(app.url("/api/v1/meetings"))
        .json(&json!({ "held_on": "2026-11-25", "organisations": "Polisen, Upplands-Bro kommun", "query": query }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let meeting: Value = created.json().await.unwrap();
    assert_eq!(meeting["snapshot"], shown, "the snapshot is the picture as shown");
    let id = meeting["id"].as_str().unwrap().to_owned();

    // The picture of the day has moved on; the meeting's has not.
    let (_, today) = app.get(&police, "/api/v1/hotspots?kind=drug_scene").await;
    assert_eq!(today["total"], 18);
    let kungsangen_now = today["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["h3"] == pair)
        .unwrap();
    assert_eq!(kungsangen_now["count"], 3, "Kungsängen now has three reports");

    let note = police
        .post(app.url(&format!("/api/v1/meetings/{id}/notes")))
        .json(&json!({ "body": "Ökad närvaro vid Bro centrum fredagar" }))
        .send()
        .await
        .unwrap();
    assert_eq!(note.status(), 201);
    let decided = police
        .patch(app.url(&format!("/api/v1/meetings/{id}")))
        .json(&json!({ "decisions": "Kamerabevakning utreds (4.4)" }))
        .send()
        .await
        .unwrap();
    assert_eq!(decided.status(), 204);

    let (status, stored) = app.get(&police, &format!("/api/v1/meetings/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(stored["snapshot"], shown, "still the picture as shown");
    assert_eq!(stored["snapshot"]["total"], 17);
    assert_eq!(
        stored["notes"][0]["body"],
        "Ökad närvaro vid Bro centrum fredagar"
    );
    assert_eq!(stored["decisions"], "Kamerabevakning utreds (4.4)");
    let (_, list) = app.get(&police, "/api/v1/meetings").await;
    assert_eq!(list[0]["id"], id.as_str());

    let (volunteer, _) = app.signed_in(Role::Volunteer).await;
    let (status, _) = app.get(&volunteer, &format!("/api/v1/meetings/{id}")).await;
    assert_eq!(status, 403, "the snapshot holds the full analysis");
    let (status, _) = app
        .get(&police, &format!("/api/v1/meetings/{}", Uuid::now_v7()))
        .await;
    assert_eq!(status, 404);
    let bad = police
        .post(app.url("/api/v1/meetings"))
        .json(&json!({ "held_on": "i morgon", "organisations": "Polisen", "query": {} }))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(body["field"], "held_on");
    let (status, page) = app.get(&police, &format!("/lagesbild/mote/{id}/utskrift")).await;
    assert_eq!(status, 200);
    let page = page.as_str().unwrap();
    assert!(page.contains("Ökad närvaro vid Bro centrum fredagar"), "{page}");
    assert!(
        page.contains("class=\"print-map\"") && page.contains("<polygon"),
        "the map prints as SVG"
    );
}

async fn bad_hotspot_requests_are_refused_with_the_field_named(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (police, _) = app.signed_in(Role::Police).await;
    for (query, field) in [
        ("resolution=12", "resolution"),
        ("from=2026-12-01&to=2026-11-01", "from"),
        ("from=1/12", "from"),
        ("weekdays=0,9", "weekdays"),
        ("k=7", "k"),
        ("kind=rykten", "kind"),
        ("hour_from=tolv", "query"),
        ("from=2020-01-01&to=2026-01-01", "from"),
        ("to=9999-12-31", "to"),
        ("from=1999-12-31&to=2000-01-30", "from"),
        ("resolution=11&k=3", "resolution"),
        ("analysis=smart", "analysis"),
    ] {
        let (status, body) = app.get(&police, &format!("/api/v1/hotspots?{query}")).await;
        assert_eq!(status, 422, "{query}: {body}");
        assert_eq!(body["field"], field, "{query}: {body}");
        assert!(!body["message"].as_str().unwrap().is_empty());
    }
}

/// Ordinary activity over built-up Bro (a few reports in every cell of a 2 km wide area)
/// and one tight cluster. Over the whole municipality the standard analysis lights up much
/// of Bro; the optimized one compares Bro with itself and keeps the cluster.
async fn the_optimized_analysis_singles_out_the_cluster_in_busy_bro(database_url: String) {
    let app = TestApp::spawn(&database_url).await;
    let (police, police_id) = app.signed_in(Role::Police).await;
    let now = now_ms();
    let mut reports = Vec::new();
    let centre = h3o::LatLng::new(BRO.0, BRO.1)
        .unwrap()
        .to_cell(h3o::Resolution::Nine);
    for (i, cell) in centre.grid_disk::<Vec<_>>(4).into_iter().enumerate() {
        let at = h3o::LatLng::from(cell);
        // 1–3 reports per cell: ordinary, everywhere in Bro.
        for j in 0..(1 + i % 3) {
            reports.push(Report::at(
                "patrol.damage",
                at.lat(),
                at.lng(),
                now - (j as i64 + 1) * DAY_MS,
            ));
        }
    }
    let cluster = h3o::LatLng::from(centre.grid_disk::<Vec<_>>(3)[30]);
    for j in 0..15 {
        reports.push(Report::at(
            "patrol.damage",
            cluster.lat() + jitter(j, 0.0003),
            cluster.lng(),
            now - HOUR_MS * (j as i64 + 1),
        ));
    }
    store(&app, &police_id, &reports).await;

    let hot = |situation: &Value| -> Vec<String> {
        situation["cells"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["class"].as_i64().unwrap() > 0 && c["count"].as_u64().unwrap() > 0)
            .map(|c| c["h3"].as_str().unwrap().to_owned())
            .collect()
    };
    let (status, standard) = app.get(&police, "/api/v1/hotspots?kind=patrol_observation").await;
    assert_eq!(status, 200, "{standard}");
    assert!(
        standard.get("scale").is_none(),
        "the standard analysis chooses nothing"
    );
    let (status, optimized) = app
        .get(
            &police,
            "/api/v1/hotspots?kind=patrol_observation&analysis=optimized",
        )
        .await;
    assert_eq!(status, 200, "{optimized}");
    let cluster_cell = cluster.to_cell(h3o::Resolution::Nine).to_string();
    let (standard_hot, optimized_hot) = (hot(&standard), hot(&optimized));
    assert!(optimized_hot.contains(&cluster_cell), "{optimized_hot:?}");
    assert!(
        optimized_hot.len() * 2 <= standard_hot.len(),
        "ordinary Bro is no longer red: {} against {}",
        optimized_hot.len(),
        standard_hot.len()
    );
    // The choice, shown on the page: cells near reports, far fewer than the municipality.
    let scale = &optimized["scale"];
    let cells = scale["cells"].as_u64().unwrap();
    assert!(
        cells >= 61 && cells < scale["area_cells"].as_u64().unwrap() / 10,
        "{scale}"
    );
    assert_eq!(scale["look_back_days"], 365);
    assert!((1..=6).contains(&scale["k"].as_u64().unwrap()), "{scale}");
    assert_eq!(scale["steps"].as_array().unwrap().len(), 6, "{scale}");
    assert_eq!(optimized["params"]["optimized"], true);

    // Roles that see aggregates get the same cells as before, no choice to read.
    let (volunteer, _) = app.signed_in(Role::Volunteer).await;
    let (status, public) = app.get(&volunteer, "/api/v1/hotspots?analysis=optimized").await;
    assert_eq!(status, 200);
    assert!(public.get("scale").is_none(), "{public}");
}
