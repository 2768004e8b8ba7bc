//! The weekly picture (EST's weekly inventory): the accepted incident reports of this week
//! and the four before, counted by category, by organisation and by named area, as far as
//! the viewer reaches (a reporter their own organisation's).

use std::collections::BTreeMap;

use crate::domain::clock::{local_midnight_ms, today};
use crate::domain::geo::LatLng;
use crate::domain::partner::{monday_of, WeekLine, Weekly, WEEKS_SHOWN};
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::ssr::infra::db::Db;

/// Counts per label and week, made into lines with the busiest first.
fn lines(counts: BTreeMap<String, Vec<u32>>) -> Vec<WeekLine> {
    let mut lines: Vec<WeekLine> = counts
        .into_iter()
        .map(|(label, counts)| WeekLine { label, counts })
        .collect();
    lines.sort_by(|a, b| {
        b.counts
            .iter()
            .sum::<u32>()
            .cmp(&a.counts.iter().sum::<u32>())
            .then(a.label.cmp(&b.label))
    });
    lines
}

pub async fn weekly(db: &Db, viewer: &CurrentUser) -> Result<Weekly, AppError> {
    let scope = super::scope(viewer)?;
    let this_week = monday_of(today());
    let weeks: Vec<chrono::NaiveDate> = (0..WEEKS_SHOWN)
        .rev()
        .map(|back| this_week - chrono::Days::new(7 * back as u64))
        .collect();
    let starts: Vec<i64> = weeks.iter().map(|&monday| local_midnight_ms(monday)).collect();
    let rows: Vec<(String, Option<String>, f64, f64, i64)> = sqlx::query_as(
        "select c.label_sv, org.name, r.lat, r.lng, r.observed_at
         from incident_report r
         join category c on c.id = r.category_id
         left join organisation org on org.id = r.organisation_id
         where r.status = 'accepted' and r.observed_at >= $2 and ($1 = '' or r.organisation_id = $1)",
    )
    .bind(&scope)
    .bind(starts[0])
    .fetch_all(&db.pool)
    .await?;
    let places = crate::ssr::areas::gazetteer(db).await?;
    let (mut by_category, mut by_organisation, mut by_area) =
        (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    for (category, organisation, lat, lng, observed_at) in rows {
        let week = starts
            .iter()
            .rposition(|&start| observed_at >= start)
            .unwrap_or(0);
        let organisation = organisation.unwrap_or_else(|| "Invånare".to_owned());
        let area = places
            .name_of(LatLng { lat, lng })
            .unwrap_or("Utanför namngivna områden")
            .to_owned();
        for (map, label) in [
            (&mut by_category, category.clone()),
            (&mut by_organisation, organisation),
            (&mut by_area, area),
        ] {
            map.entry(label).or_insert_with(|| vec![0u32; WEEKS_SHOWN])[week] += 1;
        }
    }
    Ok(Weekly {
        weeks,
        by_category: lines(by_category),
        by_organisation: lines(by_organisation),
        by_area: lines(by_area),
    })
}
