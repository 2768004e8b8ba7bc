//! Alerts as each reader may see them: police see that a notice went out, not to whom.

use std::collections::HashMap;

use crate::domain::access::{may, require, Capability};
use crate::domain::ids::AlertId;
use crate::domain::user::CurrentUser;
use crate::domain::watch::{Alert, Notice};
use crate::error::AppError;
use crate::ssr::infra::db::Db;
use crate::ssr::infra::decode::Row;

/// The newest alerts listed.
const LIST_LIMIT: i64 = 200;

#[derive(sqlx::FromRow)]
struct AlertRow {
    id: String,
    area_id: String,
    area_name: String,
    window_from: String,
    window_to: String,
    recent: i64,
    baseline: i64,
    baseline_days: i64,
    expected: f64,
    p: f64,
    message: String,
    status: String,
    last_error: Option<String>,
    created_at: i64,
}

impl AlertRow {
    fn read(self) -> Result<Alert, AppError> {
        let row = Row::of("alert", &self.id);
        Ok(Alert {
            id: row.id()?,
            area_id: row.uuid("area_id", &self.area_id)?,
            recent: row.number("recent", self.recent)?,
            baseline: row.number("baseline", self.baseline)?,
            baseline_days: row.number("baseline_days", self.baseline_days)?,
            status: row.code("status", &self.status)?,
            created_at: row.time("created_at", self.created_at)?,
            area_name: self.area_name,
            window_from: self.window_from,
            window_to: self.window_to,
            expected: self.expected,
            p: self.p,
            message: self.message,
            last_error: self.last_error,
            notices: Vec::new(),
        })
    }
}

const ALERT_COLUMNS: &str =
    "select al.id, al.area_id, a.name as area_name, al.window_from, al.window_to, al.recent,
        al.baseline, al.baseline_days, al.expected, al.p, al.message, al.status, al.last_error, al.created_at
     from alert al join area a on a.id = al.area_id";

pub(super) async fn read_alert(db: &Db, id: AlertId, with_notices: bool) -> Result<Option<Alert>, AppError> {
    let row: Option<AlertRow> = sqlx::query_as(&format!("{ALERT_COLUMNS} where al.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    let Some(mut alert) = row.map(AlertRow::read).transpose()? else {
        return Ok(None);
    };
    if with_notices {
        alert.notices = notices(db, id).await?;
    }
    Ok(Some(alert))
}

async fn notices(db: &Db, alert_id: AlertId) -> Result<Vec<Notice>, AppError> {
    Ok(notices_of(db, Some(alert_id), 0)
        .await?
        .remove(&alert_id)
        .unwrap_or_default())
}

/// The notices of one alert, or (`None`) of every alert raised since `since_ms`, by alert,
/// oldest first: one query however many alerts a list shows.
async fn notices_of(
    db: &Db,
    alert_id: Option<AlertId>,
    since_ms: i64,
) -> Result<HashMap<AlertId, Vec<Notice>>, AppError> {
    let rows: Vec<(String, i64, String, String, String, String)> = sqlx::query_as(
        "select n.alert_id, n.at, n.recipient, n.outcome, n.detail, coalesce(nullif(ac.display_name, ''), ac.email)
         from alert_notice n join account ac on ac.id = n.by_account
         where ($1 is null or n.alert_id = $1)
           and n.alert_id in (select id from alert where created_at >= $2)
         order by n.at, n.id",
    )
    .bind(alert_id)
    .bind(since_ms)
    .fetch_all(&db.pool)
    .await?;
    let mut by_alert: HashMap<AlertId, Vec<Notice>> = HashMap::new();
    for (alert, at, recipient, outcome, detail, by) in rows {
        let row = Row::of("alert_notice", &alert);
        let (alert, at) = (row.uuid::<AlertId>("alert_id", &alert)?, row.time("at", at)?);
        by_alert.entry(alert).or_default().push(Notice {
            at,
            recipient,
            outcome,
            detail,
            by,
        });
    }
    Ok(by_alert)
}

/// Police see that a notice went out, not to whom: not in the recipient, and not in a
/// mail server's reason for a failure, which often repeats the address.
pub(super) fn hide_recipients(alert: &mut Alert, viewer: &CurrentUser) {
    if !may(viewer, Capability::KeepContactPersons) {
        for notice in &mut alert.notices {
            if !notice.recipient.is_empty() {
                notice.recipient = String::from("kontaktperson (contact person)");
            }
            notice.detail = without_addresses(&notice.detail);
        }
        alert.last_error = alert.last_error.as_deref().map(without_addresses);
    }
}

/// `text` with every word that holds an e-mail address replaced by "…".
fn without_addresses(text: &str) -> String {
    text.split(' ')
        .map(|word| if word.contains('@') { "…" } else { word })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The newest alerts first; `open_only` leaves out those sent or dismissed.
pub async fn list_alerts(db: &Db, viewer: &CurrentUser, open_only: bool) -> Result<Vec<Alert>, AppError> {
    require(viewer, Capability::FollowUp)?;
    let rows: Vec<AlertRow> = sqlx::query_as(&format!(
        "{ALERT_COLUMNS} where ($1 = 0 or al.status in ('pending', 'sending'))
         order by al.created_at desc, al.id limit $2"
    ))
    .bind(i64::from(open_only))
    .bind(LIST_LIMIT)
    .fetch_all(&db.pool)
    .await?;
    let oldest = rows.iter().map(|row| row.created_at).min().unwrap_or(i64::MAX);
    let mut notices = notices_of(db, None, oldest).await?;
    rows.into_iter()
        .map(|row| {
            let mut alert = row.read()?;
            alert.notices = notices.remove(&alert.id).unwrap_or_default();
            hide_recipients(&mut alert, viewer);
            Ok(alert)
        })
        .collect()
}

pub async fn find_alert(db: &Db, viewer: &CurrentUser, id: AlertId) -> Result<Option<Alert>, AppError> {
    require(viewer, Capability::FollowUp)?;
    let mut alert = read_alert(db, id, true).await?;
    if let Some(alert) = &mut alert {
        hide_recipients(alert, viewer);
    }
    Ok(alert)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mail_servers_reason_loses_the_addresses_it_repeats() {
        assert_eq!(
            without_addresses("550 5.1.1 <anna.berg@exempel.se>: Recipient address rejected"),
            "550 5.1.1 … Recipient address rejected"
        );
        assert_eq!(without_addresses("skickat"), "skickat");
    }
}
