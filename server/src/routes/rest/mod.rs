//! The versioned REST API under `/api/v1/`: what the phones' outbox sends, and what
//! integrations read. Every route checks who is asking.

pub mod actions;
pub mod admin;
pub mod areas;
pub mod extract;
pub mod focus;
pub mod incidents;
pub mod interventions;
pub mod observations;
pub mod shifts;
pub mod situation;
pub mod strategy;
pub mod tasking;
pub mod walks;
pub mod watch;

use app::ssr::infra::state::AppState;
use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(utoipa::OpenApi)]
#[openapi(info(
    title = "Tryggkarta API",
    version = "1",
    description = "Fältappens REST-API: observationer, foton, trygghetsvandringar och grannstödspass. \
                   Inloggning med sessionscookie (POST /api/v1/session). Fel är JSON: error, message, message_en."
))]
struct ApiDoc;

/// Every `/api/v1` route, registered together with its OpenAPI description so the two
/// cannot drift apart. Returns the routes, the photo upload (which needs a larger body
/// limit than the rest) and the document.
pub fn routes() -> (Router<AppState>, Router<AppState>, utoipa::openapi::OpenApi) {
    use super::{health, session};
    let (photo_upload, photo_doc) = OpenApiRouter::new()
        .routes(routes!(observations::put_photo))
        .split_for_parts();
    let (api, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health::health))
        .routes(routes!(
            session::whoami,
            session::sign_in_json,
            session::sign_out_json
        ))
        .routes(routes!(session::change_password_json))
        .routes(routes!(
            session::start_second_factor_json,
            session::enable_second_factor_json,
            session::disable_second_factor_json
        ))
        .routes(routes!(observations::submit, observations::list))
        .routes(routes!(observations::get, observations::reclassify))
        .routes(routes!(observations::add_note))
        .routes(routes!(observations::get_photo))
        .routes(routes!(observations::categories, observations::add_category))
        .routes(routes!(observations::change_category))
        .routes(routes!(walks::create, walks::list))
        .routes(routes!(walks::join))
        .routes(routes!(walks::get))
        .routes(routes!(walks::close))
        .routes(routes!(walks::qr_code))
        .routes(routes!(walks::rewalk))
        .routes(routes!(shifts::start))
        .routes(routes!(shifts::report))
        .routes(routes!(shifts::report_csv))
        .routes(routes!(shifts::get))
        .routes(routes!(shifts::add_track))
        .routes(routes!(shifts::end))
        .routes(routes!(shifts::briefing, shifts::write_briefing))
        .routes(routes!(situation::hotspots))
        .routes(routes!(situation::points))
        .routes(routes!(situation::map))
        .routes(routes!(situation::cells_geojson))
        .routes(routes!(situation::camera_candidates))
        .routes(routes!(situation::camera_candidates_csv))
        .routes(routes!(situation::observations_csv))
        .routes(routes!(situation::observations_geojson))
        .routes(routes!(situation::create_meeting, situation::list_meetings))
        .routes(routes!(situation::get_meeting, situation::set_decisions))
        .routes(routes!(situation::add_note))
        .routes(routes!(areas::list, areas::create))
        .routes(routes!(actions::list, actions::create))
        .routes(routes!(actions::list_csv))
        .routes(routes!(actions::get))
        .routes(routes!(actions::follow_up))
        .routes(routes!(interventions::list, interventions::create))
        .routes(routes!(interventions::get))
        .routes(routes!(interventions::effect))
        .routes(routes!(strategy::overview))
        .routes(routes!(strategy::page))
        .routes(routes!(strategy::commitments, strategy::add_commitment))
        .routes(routes!(areas::get, areas::update, areas::remove))
        .routes(routes!(watch::list_areas))
        .routes(routes!(watch::set_area, watch::remove_area))
        .routes(routes!(watch::list_alerts))
        .routes(routes!(watch::scan))
        .routes(routes!(watch::get_alert))
        .routes(routes!(watch::send))
        .routes(routes!(watch::dismiss))
        .routes(routes!(admin::map_settings, admin::set_map_settings))
        .routes(routes!(admin::retention_settings, admin::set_retention_settings))
        .routes(routes!(tasking::list, tasking::create))
        .routes(routes!(tasking::remove))
        .routes(routes!(tasking::get))
        .routes(routes!(focus::list, focus::create))
        .routes(routes!(focus::get, focus::update))
        .routes(routes!(focus::link))
        .routes(routes!(admin::list, admin::create))
        .routes(routes!(admin::get, admin::change))
        .routes(routes!(admin::reset_password))
        .routes(routes!(admin::end_sessions))
        .routes(routes!(admin::set_driver))
        .routes(routes!(admin::audit_log))
        .routes(routes!(admin::audit_csv))
        .routes(routes!(admin::order_categories))
        .routes(routes!(
            incidents::list_organisations,
            incidents::create_organisation
        ))
        .routes(routes!(incidents::update_organisation))
        .routes(routes!(incidents::add_focus_place))
        .routes(routes!(incidents::focus_places))
        .routes(routes!(incidents::submit, incidents::list))
        .routes(routes!(incidents::get))
        .routes(routes!(incidents::nearby))
        .routes(routes!(incidents::weekly))
        .routes(routes!(incidents::weekly_csv))
        .routes(routes!(incidents::notices, incidents::notices_seen))
        .routes(routes!(incidents::queue))
        .routes(routes!(incidents::decide))
        .routes(routes!(incidents::tip))
        .split_for_parts();
    doc.merge(photo_doc);
    document_common_answers(&mut doc);
    // Who may call each route, before it runs (`app::domain::access::rest::API`).
    let gate = || axum::middleware::from_fn(super::guard::api_access);
    (api.route_layer(gate()), photo_upload.route_layer(gate()), doc)
}

/// Answers that come from what every route shares rather than from the route itself: the
/// request guards (`routes::guard`), the body limit, the sign-in check, the path parsing
/// and the per-user limits (`routes::limits`, by the same rule that applies them). Added
/// to each operation here so the document tells the whole truth.
fn document_common_answers(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::Operation;
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let error = |description: &str| {
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build()
    };
    let over_limit = |description: &str| {
        use utoipa::openapi::{HeaderBuilder, ObjectBuilder, Type};
        let mut answer = error(description);
        answer.headers.insert(
            "Retry-After".to_owned(),
            HeaderBuilder::new()
                .schema(ObjectBuilder::new().schema_type(Type::Integer))
                .description(Some("Sekunder till nästa försök (seconds until the next try)"))
                .build(),
        );
        answer
    };
    const OPEN: [&str; 5] = [
        "/api/v1/health",
        "/api/v1/session",
        "/api/v1/walks/join",
        "/api/v1/tips",
        "/api/v1/openapi.json",
    ];
    for (path, item) in doc.paths.paths.iter_mut() {
        use axum::http::Method;
        let operations: [(Method, &mut Option<Operation>); 5] = [
            (Method::GET, &mut item.get),
            (Method::POST, &mut item.post),
            (Method::PUT, &mut item.put),
            (Method::PATCH, &mut item.patch),
            (Method::DELETE, &mut item.delete),
        ];
        for (method, operation) in operations {
            let changes_state = method != Method::GET;
            let Some(operation) = operation.as_mut() else {
                continue;
            };
            let answers = &mut operation.responses.responses;
            let mut add = |status: &str, description: &str| {
                answers
                    .entry(status.to_owned())
                    .or_insert_with(|| error(description).into());
            };
            // Any request's query string may carry text, and the NUL guard reads them all.
            add(
                "422",
                "Ogiltig indata, med fältet namngivet (invalid input, field named)",
            );
            if operation.request_body.is_some() {
                add("413", "För stor förfrågan (payload too large)");
            }
            if path.contains('{') {
                add("404", "Finns inte, eller inte för dig (not found)");
            }
            if changes_state {
                add(
                    "403",
                    "Förfrågan från en annan webbplats, eller ingen behörighet (cross-site or forbidden)",
                );
            }
            if !OPEN.contains(&path.as_str()) {
                add("401", "Inte inloggad (not signed in)");
            }
            if let Some(limit) = super::limits::limit_of(&method, path) {
                let what = match limit {
                    app::error::Limit::Submissions => {
                        "För många rapporter och foton på kort tid; skicka igen efter Retry-After sekunder \
                         (too_many_submissions)"
                    }
                    app::error::Limit::Exports => {
                        "För många filer den senaste timmen; försök igen efter Retry-After sekunder \
                         (too_many_exports)"
                    }
                };
                answers.insert("429".to_owned(), over_limit(what).into());
            }
        }
    }
}
