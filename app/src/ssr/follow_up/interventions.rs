//! Interventions (insatser): storage and the effect report. Police and coordinators keep
//! them, the same roles that keep actions: the report counts restricted reports.

use chrono::{NaiveDate, TimeDelta};
use hotspot::effect::Effect;

use crate::domain::access::{require, Capability};
use crate::domain::area::AreaKind;
use crate::domain::clock::today;
use crate::domain::geo::{Bounds, LatLng};
use crate::domain::ids::InterventionId;
use crate::domain::intervention::{
    verdict, EffectReport, Intervention, NewIntervention, Period, Place, Side, Zone, DEFAULT_RING_M,
    MAX_RING_M, MIN_RING_M,
};
use crate::domain::situation::local_midnight_ms;
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::ssr::areas::check_shape_apart;
use crate::ssr::infra::db::{is_unique_violation, now_ms, Db};
use crate::ssr::infra::decode::Row;
use crate::ssr::reports::observations::{visibility, VISIBLE};

/// Stores a new intervention; the same id sent again returns the stored one (`false`).
pub async fn create(
    db: &Db,
    viewer: &CurrentUser,
    new: &NewIntervention,
    bounds: &Bounds,
) -> Result<(Intervention, bool), AppError> {
    require(viewer, Capability::FollowUp)?;
    let id = new.id.unwrap_or_else(crate::domain::ids::InterventionId::new);
    if let Some(stored) = find(db, viewer, id).await? {
        return Ok((stored, false));
    }
    let checked = new.validate(bounds)?;
    if let Place::Polygon(shape) = &checked.place {
        check_shape_apart(shape.clone(), AreaKind::Named, None)
            .await
            .map_err(|err| match err {
                AppError::Invalid { sv, en, .. } => AppError::Invalid {
                    field: "zone".into(),
                    sv,
                    en,
                },
                other => other,
            })?;
    }
    let zone = match (&new.zone, &checked.place) {
        (Zone::Polygon { .. }, Place::Polygon(shape)) => Zone::Polygon {
            geometry: shape.to_geojson(),
        },
        (zone, _) => zone.clone(),
    };
    let stored = Intervention {
        id,
        title: checked.title,
        description: new.description.trim().to_owned(),
        strategy_area: new.strategy_area.clone(),
        focus: new.focus.trim().to_owned(),
        category: new.category.trim().to_owned(),
        zone,
        starts_on: checked.starts_on.to_string(),
        ends_on: checked.ends_on.map(|end| end.to_string()),
    };
    let zone_json = serde_json::to_string(&stored.zone).map_err(|_| AppError::Internal)?;
    let inserted = sqlx::query(
        "insert into intervention (id, title, description, strategy_area, focus, category, zone, starts_on, ends_on,
             created_by, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
    )
    .bind(id)
    .bind(&stored.title)
    .bind(&stored.description)
    .bind(&stored.strategy_area)
    .bind(&stored.focus)
    .bind(&stored.category)
    .bind(zone_json)
    .bind(&stored.starts_on)
    .bind(stored.ends_on.clone())
    .bind(viewer.id)
    .bind(now_ms())
    .execute(&db.pool)
    .await;
    match inserted {
        Ok(_) => {
            tracing::info!(intervention = %id, by = %viewer.id.0, "intervention created");
            Ok((stored, true))
        }
        Err(err) if is_unique_violation(&err) => {
            let stored = find(db, viewer, id).await?.ok_or(AppError::Internal)?;
            Ok((stored, false))
        }
        Err(err) => Err(err.into()),
    }
}

#[derive(sqlx::FromRow)]
struct InterventionRow {
    id: String,
    title: String,
    description: String,
    strategy_area: String,
    focus: String,
    category: String,
    zone: String,
    starts_on: String,
    ends_on: Option<String>,
}

impl InterventionRow {
    fn read(self) -> Result<Intervention, AppError> {
        let row = Row::of("intervention", &self.id);
        Ok(Intervention {
            id: row.id()?,
            zone: row.json("zone", &self.zone)?,
            title: self.title,
            description: self.description,
            strategy_area: self.strategy_area,
            focus: self.focus,
            category: self.category,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
        })
    }
}

const SELECT: &str =
    "select id, title, description, strategy_area, focus, category, zone, starts_on, ends_on from intervention";

pub async fn list(
    db: &Db,
    viewer: &CurrentUser,
    strategy_area: Option<&str>,
) -> Result<Vec<Intervention>, AppError> {
    require(viewer, Capability::FollowUp)?;
    let rows: Vec<InterventionRow> = sqlx::query_as(&format!(
        "{SELECT} where ($1 = '' or strategy_area = $1) order by starts_on desc, id"
    ))
    .bind(strategy_area.unwrap_or_default())
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter().map(InterventionRow::read).collect()
}

pub async fn find(
    db: &Db,
    viewer: &CurrentUser,
    id: InterventionId,
) -> Result<Option<Intervention>, AppError> {
    require(viewer, Capability::FollowUp)?;
    let row: Option<InterventionRow> = sqlx::query_as(&format!("{SELECT} where id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.map(InterventionRow::read).transpose()
}

/// The effect report: reports of the intervention's strategy area (and category) inside
/// its zone and in a ring `ring_m` wide around it, in the period before (as long as the
/// intervention so far) and during it.
pub async fn effect(
    db: &Db,
    viewer: &CurrentUser,
    id: InterventionId,
    ring_m: Option<f64>,
    bounds: &Bounds,
) -> Result<EffectReport, AppError> {
    let intervention = find(db, viewer, id).await?.ok_or(AppError::NotFound)?;
    let ring_m = ring_m.unwrap_or(DEFAULT_RING_M);
    if !(MIN_RING_M..=MAX_RING_M).contains(&ring_m) {
        return Err(AppError::invalid(
            "ring_m",
            &format!("Jämförelseringen ska vara {MIN_RING_M}–{MAX_RING_M} meter bred."),
            &format!("The comparison ring must be {MIN_RING_M}–{MAX_RING_M} metres wide."),
        ));
    }
    let new = NewIntervention {
        id: Some(intervention.id),
        title: intervention.title.clone(),
        description: String::new(),
        strategy_area: intervention.strategy_area.clone(),
        focus: String::new(),
        category: intervention.category.clone(),
        zone: intervention.zone.clone(),
        starts_on: intervention.starts_on.clone(),
        ends_on: intervention.ends_on.clone(),
    };
    let checked = new.validate(bounds).map_err(|err| {
        tracing::error!(intervention = %id, ?err, "a stored intervention no longer passes its checks");
        AppError::Internal
    })?;
    let today = today();
    if checked.starts_on > today {
        return Err(AppError::invalid(
            "starts_on",
            "Insatsen har inte börjat än; effekten kan mätas när den har pågått en tid.",
            "The intervention has not started yet; its effect can be measured once it has run for a while.",
        ));
    }
    let last = checked.ends_on.map_or(today, |end| end.min(today));
    let days = (last - checked.starts_on).num_days() + 1;
    let before_start = checked.starts_on - TimeDelta::days(days);
    let before_last = checked.starts_on - TimeDelta::days(1);
    let counts = count(
        db,
        viewer,
        &intervention,
        &checked.place,
        ring_m,
        (before_start, last),
        checked.starts_on,
    )
    .await?;
    let effect = Effect::new(counts[0], counts[1], counts[2], counts[3]);
    let words = |lang| {
        verdict(
            (effect.area_before, effect.area_after),
            (effect.ring_before, effect.ring_after),
            effect.ratio,
            effect.significant,
            lang,
        )
    };
    Ok(EffectReport {
        ring_m,
        before: Period {
            from: before_start.to_string(),
            to: before_last.to_string(),
        },
        during: Period {
            from: checked.starts_on.to_string(),
            to: last.to_string(),
        },
        area_before: effect.area_before,
        area_during: effect.area_after,
        ring_before: effect.ring_before,
        ring_during: effect.ring_after,
        ratio: effect.ratio,
        p: effect.p,
        significant: effect.significant,
        verdict_sv: words(Lang::Sv),
        verdict_en: words(Lang::En),
        intervention,
    })
}

/// [area before, area during, ring before, ring during].
async fn count(
    db: &Db,
    viewer: &CurrentUser,
    intervention: &Intervention,
    place: &Place,
    ring_m: f64,
    (first, last): (NaiveDate, NaiveDate),
    starts_on: NaiveDate,
) -> Result<[u32; 4], AppError> {
    let (everything, viewer_id, internal) = visibility(viewer);
    let rows: Vec<(f64, f64, i64)> = sqlx::query_as(&format!(
        "select o.lat, o.lng, o.observed_at from observation o
         where {VISIBLE} and o.strategy_area = $4 and ($5 = '' or o.category_id = $5)
           and o.observed_at >= $6 and o.observed_at < $7"
    ))
    .bind(everything)
    .bind(viewer_id)
    .bind(internal)
    .bind(&intervention.strategy_area)
    .bind(&intervention.category)
    .bind(local_midnight_ms(first))
    .bind(local_midnight_ms(last + TimeDelta::days(1)))
    .fetch_all(&db.pool)
    .await?;
    let start_ms = local_midnight_ms(starts_on);
    let mut counts = [0u32; 4];
    for (lat, lng, observed_at) in rows {
        let during = usize::from(observed_at >= start_ms);
        match place.side(LatLng { lat, lng }, ring_m) {
            Side::Inside => counts[during] += 1,
            Side::Ring => counts[2 + during] += 1,
            Side::Outside => {}
        }
    }
    Ok(counts)
}
