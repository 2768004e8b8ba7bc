//! Karta's data: the reports a user may see on the start page (`domain::map` has the rule).

use std::collections::{HashMap, HashSet};

use chrono::Utc;

use crate::domain::access::{may, Capability};
use crate::domain::area::Gazetteer;
use crate::domain::geo::Bounds;
use crate::domain::map::{MapPoint, MapQuery, MapView, MAX_POINTS};
use crate::domain::situation::SituationQuery;
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::ssr::areas;
use crate::ssr::infra::db::Db;
use crate::ssr::infra::decode::Row;
use crate::ssr::reports::categories;
use crate::ssr::reports::observations::{self, Filter, Shown};
use crate::ssr::situation;

pub async fn view(
    db: &Db,
    viewer: &CurrentUser,
    query: &MapQuery,
    bounds: &Bounds,
) -> Result<MapView, AppError> {
    let filter = query.validate()?;
    let now = Utc::now();
    // One read of the named areas: their names for the filter, their shapes for the
    // cells' place names.
    let named = areas::named(db).await?;
    let area_names: Vec<String> = named.iter().map(|(name, _)| name.clone()).collect();
    let places = Gazetteer::new(named);
    if let Some(area) = &filter.area {
        if !area_names.contains(area) {
            return Err(AppError::invalid(
                "area",
                "Det finns inget område med det namnet.",
                "There is no area with that name.",
            ));
        }
    }
    let exact = may(viewer, Capability::ReadRestrictedReports);
    // What the viewer may read at all, then, for the roles that see aggregates, only what
    // is their own: their reports and the findings of walks they were on.
    let mut observations = observations::list(
        db,
        viewer,
        &Filter {
            kind: filter.kind,
            category: filter.category.clone(),
            since_ms: Some(filter.since_ms(now)),
            ..Default::default()
        },
    )
    .await?;
    if !exact {
        let walks = own_walks(db, viewer).await?;
        observations.retain(|observation| {
            observation.reporter_id == viewer.id
                || observation.walk_id.is_some_and(|walk| walks.contains(&walk))
        });
    }
    if let Some(area) = &filter.area {
        observations.retain(|observation| observation.place.as_ref() == Some(area));
    }
    let truncated = observations.len() > MAX_POINTS;
    // What is shown is logged: after the filters and the cut.
    observations::record_reads(
        db,
        viewer,
        None,
        observations[..observations.len().min(MAX_POINTS)]
            .iter()
            .map(Shown::from),
    )
    .await?;
    let names: HashMap<String, [String; 2]> = categories::all_categories(db)
        .await?
        .into_iter()
        .map(|category| (category.id, [category.label_sv, category.label_en]))
        .collect();
    let points = observations
        .into_iter()
        .rev()
        .take(MAX_POINTS)
        .map(|observation| {
            let own = observation.reporter_id == viewer.id;
            MapPoint {
                id: observation.id,
                lat: observation.lat,
                lng: observation.lng,
                kind: observation.kind,
                category_name: names
                    .get(&observation.category)
                    .cloned()
                    .unwrap_or_else(|| [observation.category.clone(), observation.category.clone()]),
                category: observation.category,
                strategy_area: observation.strategy_area,
                observed_at: observation.observed_at,
                status: observation.status,
                place: observation.place,
                // A walk's other participants see the finding, not what its reporter wrote.
                note: if exact || own {
                    observation.note
                } else {
                    String::new()
                },
                walk_id: observation.walk_id,
                own,
            }
        })
        .collect();

    let (cells, cells_period) = if exact {
        (Vec::new(), None)
    } else {
        // The lägesbild's aggregated layer, unchanged: whole months, all kinds, at least
        // three reports a cell. Narrowing it by kind or category here would let two
        // requests differ by a single report (docs/hotspots.md).
        let aggregated = situation::situation(db, viewer, &SituationQuery::default(), bounds).await?;
        let mut cells = aggregated.cells;
        for cell in &mut cells {
            cell.place = cell
                .h3
                .parse::<h3o::CellIndex>()
                .ok()
                .and_then(|index| situation::place_of_cell(&places, index));
        }
        if let Some(area) = &filter.area {
            cells.retain(|cell| cell.place.as_ref() == Some(area));
        }
        let period = (!cells.is_empty()).then_some((aggregated.params.from, aggregated.params.to));
        (cells, period)
    };

    Ok(MapView {
        exact,
        points,
        truncated,
        cells,
        cells_period,
        areas: area_names,
    })
}

/// The walks the viewer took part in.
async fn own_walks(db: &Db, viewer: &CurrentUser) -> Result<HashSet<crate::domain::ids::WalkId>, AppError> {
    let viewer_id = viewer.id.0.to_string();
    let rows: Vec<(String,)> = sqlx::query_as("select walk_id from walk_participant where account_id = $1")
        .bind(&viewer_id)
        .fetch_all(&db.pool)
        .await?;
    let row = Row::of("walk_participant", &viewer_id);
    rows.into_iter().map(|(id,)| row.uuid("walk_id", &id)).collect()
}
