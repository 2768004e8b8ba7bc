//! The reports behind the lägesbild's markers and the drill-down from a hotspot, each with
//! its cell: exact positions, so only for those who may read restricted reports, and
//! logged as reads of them.

use std::collections::HashMap;

use chrono::Utc;

use crate::domain::access::{require, Capability};
use crate::domain::geo::{Bounds, LatLng};
use crate::domain::observation::strategy_area_label;
use crate::domain::situation::{SituationPoint, SituationQuery};
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::ssr::infra::db::Db;
use crate::ssr::infra::decode::Row;
use crate::ssr::reports::observations::{self, visibility, Shown, PUBLIC_ID, VISIBLE};

#[derive(sqlx::FromRow)]
struct PointRow {
    id: String,
    sensitivity: String,
    reporter_id: String,
    lat: f64,
    lng: f64,
    kind: String,
    category_id: String,
    strategy_area: String,
    observed_at: i64,
}

/// The reports of a request the viewer may see, with their cell of the study area ("" for
/// one outside it), for markers and the drill-down from a hotspot. Only for roles that see exact positions.
pub async fn list(
    db: &Db,
    viewer: &CurrentUser,
    query: &SituationQuery,
    bounds: &Bounds,
) -> Result<Vec<SituationPoint>, AppError> {
    require(viewer, Capability::ReadRestrictedReports)?;
    let params = query.validate(Utc::now())?;
    let (start, end) = params.period_ms();
    let (everything, viewer_id, internal) = visibility(viewer);
    let (kind, category, strategy_area) = super::filter_values(&params);
    let sql = format!(
        "select {PUBLIC_ID} as id, o.sensitivity, o.reporter_id, o.lat, o.lng, o.kind, o.category_id,
                o.strategy_area, o.observed_at
         from observation o
         where {VISIBLE}
           and o.observed_at >= $4 and o.observed_at < $5 and o.created_at <= $6
           and ($7 = '' or o.kind = $7) and ($8 = '' or o.category_id = $8)
           and ($9 = '' or o.strategy_area = $9)
         order by o.observed_at, o.id"
    );
    let rows: Vec<PointRow> = sqlx::query_as(&sql)
        .bind(everything)
        .bind(viewer_id)
        .bind(internal)
        .bind(start)
        .bind(end)
        .bind(params.as_of)
        .bind(kind)
        .bind(category)
        .bind(strategy_area)
        .fetch_all(&db.pool)
        .await?;
    // The grid the analysis used (kept by then): its locator finds the cells.
    let (grid, places) = super::grid_and_places(db, bounds, &params).await?;
    let names: HashMap<String, [String; 2]> = crate::ssr::reports::categories::all_categories(db)
        .await?
        .into_iter()
        .map(|category| (category.id, [category.label_sv, category.label_en]))
        .collect();
    let rows: Vec<PointRow> = rows
        .into_iter()
        .filter(|row| params.keeps_time(row.observed_at))
        .collect();
    // Exact positions of restricted reports are reads of them: logged before they leave.
    let shown = rows
        .iter()
        .map(|row| {
            let stored = Row::of("observation", &row.id);
            Ok(Shown {
                id: stored.id()?,
                sensitivity: stored.code("sensitivity", &row.sensitivity)?,
                reporter_id: stored.uuid("reporter_id", &row.reporter_id)?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    observations::record_reads(db, viewer, None, shown).await?;
    rows.into_iter()
        .map(|row| {
            let h3 = grid
                .locate(row.lat, row.lng)
                .map(|i| grid.cells()[i].to_string())
                .unwrap_or_default();
            let stored = Row::of("observation", &row.id);
            Ok(SituationPoint {
                id: stored.id()?,
                lat: row.lat,
                lng: row.lng,
                kind: stored.code("kind", &row.kind)?,
                category_name: names
                    .get(&row.category_id)
                    .cloned()
                    .unwrap_or_else(|| [row.category_id.clone(), row.category_id.clone()]),
                category: row.category_id,
                strategy_area_name: [
                    strategy_area_label(&row.strategy_area, Lang::Sv).to_owned(),
                    strategy_area_label(&row.strategy_area, Lang::En).to_owned(),
                ],
                strategy_area: row.strategy_area,
                observed_at: row.observed_at,
                h3,
                place: places
                    .name_of(LatLng {
                        lat: row.lat,
                        lng: row.lng,
                    })
                    .map(str::to_owned),
            })
        })
        .collect()
}
