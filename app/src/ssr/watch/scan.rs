//! The scan that raises an alert where burglary-related reports in a watch area rose
//! beyond chance above its own baseline (`hotspot::alert`).

use chrono::TimeDelta;
use hotspot::alert::BaselineRise;

use crate::domain::access::{require, Capability};
use crate::domain::clock::today;
use crate::domain::geo::LatLng;
use crate::domain::ids::AlertId;
use crate::domain::situation::local_midnight_ms;
use crate::domain::user::CurrentUser;
use crate::domain::watch::{message, Alert, BASELINE_DAYS, COUNTED};
use crate::error::AppError;
use crate::ssr::infra::db::{is_unique_violation, now_ms, Db};
use crate::ssr::infra::sql::Day;

/// Looks at every watch area and raises an alert where the window's burglary-related
/// reports rose beyond chance above the half-year before it. One alert per rise: an area
/// with an alert younger than its window gets no new one. Returns the new alerts.
pub async fn scan(db: &Db) -> Result<Vec<Alert>, AppError> {
    let watched = super::areas::watched(db, None).await?;
    let Some(longest) = watched.iter().map(|(watch, _)| watch.window_days).max() else {
        return Ok(Vec::new());
    };
    let today = today();
    let now = now_ms();
    let earliest = today - TimeDelta::days(i64::from(longest) - 1 + i64::from(BASELINE_DAYS));
    // Only what an alert may count, whatever a watch area names (one set before the rule).
    let reports: Vec<(f64, f64, i64, String)> = sqlx::query_as(
        "select lat, lng, observed_at, category_id from observation
         where observed_at >= $1 and observed_at <= $2 and sensitivity = $3",
    )
    .bind(local_midnight_ms(earliest))
    .bind(now)
    .bind(COUNTED)
    .fetch_all(&db.pool)
    .await?;
    let mut raised = Vec::new();
    for (watch, shape) in watched {
        let window_from = today - TimeDelta::days(i64::from(watch.window_days) - 1);
        let recent_from = local_midnight_ms(window_from);
        let baseline_from = local_midnight_ms(window_from - TimeDelta::days(i64::from(BASELINE_DAYS)));
        let box_ = shape.bounds();
        let (mut recent, mut baseline) = (0u32, 0u32);
        for (lat, lng, observed_at, category) in &reports {
            if *observed_at < baseline_from || !watch.categories.contains(category) {
                continue;
            }
            let point = LatLng { lat: *lat, lng: *lng };
            if !box_.contains(point) || !shape.contains(point) {
                continue;
            }
            if *observed_at >= recent_from {
                recent += 1;
            } else {
                baseline += 1;
            }
        }
        let rise = BaselineRise::new(recent, baseline, watch.window_days, BASELINE_DAYS);
        if !rise.fires {
            continue;
        }
        let (earlier,): (i64,) =
            sqlx::query_as("select count(*) from alert where area_id = $1 and created_at > $2")
                .bind(watch.area_id)
                .bind(now - i64::from(watch.window_days) * 86_400_000)
                .fetch_one(&db.pool)
                .await?;
        if earlier > 0 {
            continue;
        }
        let id = AlertId::new();
        let text = message(&watch.name, watch.window_days, recent, rise.expected);
        let inserted = sqlx::query(
            "insert into alert (id, area_id, window_from, window_to, recent, baseline, baseline_days, expected, p,
                 message, status, created_at, updated_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', $11, $11)",
        )
        .bind(id)
        .bind(watch.area_id)
        .bind(Day(window_from))
        .bind(Day(today))
        .bind(i64::from(recent))
        .bind(i64::from(baseline))
        .bind(i64::from(BASELINE_DAYS))
        .bind(rise.expected)
        .bind(rise.p)
        .bind(&text)
        .bind(now)
        .execute(&db.pool)
        .await;
        match inserted {
            Ok(_) => {
                tracing::info!(alert = %id, area = %watch.area_id, recent, baseline, p = rise.p, "alert raised");
                raised.push(id);
            }
            // Another scan (another instance) raised it first.
            Err(err) if is_unique_violation(&err) => {}
            Err(err) => return Err(err.into()),
        }
    }
    let mut alerts = Vec::with_capacity(raised.len());
    for id in raised {
        alerts.extend(super::alerts::read_alert(db, id, true).await?);
    }
    Ok(alerts)
}

/// [`scan`] at a user's request.
pub async fn scan_as(db: &Db, viewer: &CurrentUser) -> Result<Vec<Alert>, AppError> {
    require(viewer, Capability::FollowUp)?;
    let mut alerts = scan(db).await?;
    for alert in &mut alerts {
        super::alerts::hide_recipients(alert, viewer);
    }
    Ok(alerts)
}
