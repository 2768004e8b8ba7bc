//! Grannsamverkan: watch areas with their contact persons, the scan that raises alerts
//! when burglary-related reports rise above an area's own baseline, and passing an
//! alert on — by e-mail (`ssr::infra::mail`) or by hand — with every attempt logged.

use std::collections::HashMap;

use hotspot::alert::BaselineRise;
use time::Duration;
use uuid::Uuid;

use crate::domain::access::{may, require, Capability};
use crate::domain::area::{AreaKind, Shape};
use crate::domain::clock::today;
use crate::domain::geo::LatLng;
use crate::domain::situation::local_midnight_ms;
use crate::domain::user::CurrentUser;
use crate::domain::watch::{
    message, Alert, AlertStatus, ContactPerson, Notice, SendAlert, WatchArea, WatchSettings, BASELINE_DAYS,
    COUNTED,
};
use crate::error::AppError;
use crate::ssr::areas;
use crate::ssr::infra::db::{is_unique_violation, now_ms, Db};
use crate::ssr::infra::decode::Row;
use crate::ssr::infra::mail::Mailer;
use crate::ssr::reports::categories;

/// A send that has not finished after this long was cut off (a restart, a crash): the
/// alert may be sent again, to those who did not get it.
const SENDING_STALE_MS: i64 = 10 * 60 * 1000;
const MAX_REASON: usize = 500;
/// The newest alerts listed.
const LIST_LIMIT: i64 = 200;

#[derive(sqlx::FromRow)]
struct WatchRow {
    area_id: String,
    name: String,
    geometry: String,
    categories: String,
    window_days: i64,
}

impl WatchRow {
    fn read(self) -> Result<(WatchArea, Shape), AppError> {
        let area = Row::of("area", &self.area_id);
        let geometry: serde_json::Value = area.json("geometry", &self.geometry)?;
        let shape = area.valid("geometry", Shape::from_geojson(&geometry).ok())?;
        let row = Row::of("watch_area", &self.area_id);
        let watch = WatchArea {
            area_id: row.uuid("area_id", &self.area_id)?,
            categories: row.json("categories", &self.categories)?,
            window_days: row.number("window_days", self.window_days)?,
            name: self.name,
            contacts: Vec::new(),
        };
        Ok((watch, shape))
    }
}

/// Every watch area of a kept area, with its outline; contacts are not read here.
async fn watched(db: &Db, area_id: Option<Uuid>) -> Result<Vec<(WatchArea, Shape)>, AppError> {
    let rows: Vec<WatchRow> = sqlx::query_as(
        "select w.area_id, a.name, a.geometry, w.categories, w.window_days
         from watch_area w join area a on a.id = w.area_id
         where a.removed_at is null and ($1 = '' or w.area_id = $1)
         order by a.name",
    )
    .bind(area_id.map(|id| id.to_string()).unwrap_or_default())
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter().map(WatchRow::read).collect()
}

async fn contacts(db: &Db, area_id: Uuid) -> Result<Vec<ContactPerson>, AppError> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "select name, phone, email, consent_on from watch_contact where area_id = $1 order by position",
    )
    .bind(area_id.to_string())
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(name, phone, email, consent_on)| ContactPerson {
            name,
            phone,
            email,
            consent_on,
        })
        .collect())
}

/// The watch areas with their contact persons, for coordinators.
pub async fn list_areas(db: &Db, viewer: &CurrentUser) -> Result<Vec<WatchArea>, AppError> {
    require(viewer, Capability::KeepContactPersons)?;
    let mut areas = Vec::new();
    for (mut watch, _) in watched(db, None).await? {
        watch.contacts = contacts(db, watch.area_id).await?;
        areas.push(watch);
    }
    Ok(areas)
}

/// Makes a named area a watch area, or replaces its settings and contact list, in one
/// transaction.
pub async fn set_area(
    db: &Db,
    viewer: &CurrentUser,
    area_id: Uuid,
    settings: &WatchSettings,
) -> Result<WatchArea, AppError> {
    require(viewer, Capability::KeepContactPersons)?;
    let area = areas::get(db, area_id).await?;
    if area.kind != AreaKind::Named {
        return Err(AppError::invalid(
            "area_id",
            "Kommungränsen kan inte vara ett grannsamverkansområde; välj ett namngivet område.",
            "The municipality boundary cannot be a watch area; choose a named area.",
        ));
    }
    let checked = settings.validate(&categories::categories(db).await?, today())?;
    let window_days = checked.window_days.unwrap_or_default();
    let categories = serde_json::to_string(&checked.categories).map_err(|_| AppError::Internal)?;
    let now = now_ms();
    let mut tx = db.pool.begin().await?;
    sqlx::query(
        "insert into watch_area (area_id, categories, window_days, created_by, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $5)
         on conflict (area_id) do update set categories = $2, window_days = $3, updated_at = $5",
    )
    .bind(area_id.to_string())
    .bind(&categories)
    .bind(i64::from(window_days))
    .bind(viewer.id.0.to_string())
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query("delete from watch_contact where area_id = $1")
        .bind(area_id.to_string())
        .execute(&mut *tx)
        .await?;
    for (position, contact) in checked.contacts.iter().enumerate() {
        sqlx::query(
            "insert into watch_contact (id, area_id, position, name, phone, email, consent_on)
             values ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(Uuid::now_v7().to_string())
        .bind(area_id.to_string())
        .bind(position as i64)
        .bind(&contact.name)
        .bind(&contact.phone)
        .bind(&contact.email)
        .bind(&contact.consent_on)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    tracing::info!(area = %area_id, by = %viewer.id.0, contacts = checked.contacts.len(), "watch area set");
    Ok(WatchArea {
        area_id,
        name: area.name,
        categories: checked.categories,
        window_days,
        contacts: checked.contacts,
    })
}

/// Ends an area's neighbourhood watch and deletes its contact persons. Its alerts stay,
/// as the record of what was sent.
pub async fn remove_area(db: &Db, viewer: &CurrentUser, area_id: Uuid) -> Result<(), AppError> {
    require(viewer, Capability::KeepContactPersons)?;
    let mut tx = db.pool.begin().await?;
    sqlx::query("delete from watch_contact where area_id = $1")
        .bind(area_id.to_string())
        .execute(&mut *tx)
        .await?;
    let removed = sqlx::query("delete from watch_area where area_id = $1")
        .bind(area_id.to_string())
        .execute(&mut *tx)
        .await?;
    if removed.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    tracing::info!(area = %area_id, by = %viewer.id.0, "watch area removed");
    Ok(())
}

/// Looks at every watch area and raises an alert where the window's burglary-related
/// reports rose beyond chance above the half-year before it. One alert per rise: an area
/// with an alert younger than its window gets no new one. Returns the new alerts.
pub async fn scan(db: &Db) -> Result<Vec<Alert>, AppError> {
    let watched = watched(db, None).await?;
    let Some(longest) = watched.iter().map(|(watch, _)| watch.window_days).max() else {
        return Ok(Vec::new());
    };
    let today = today();
    let now = now_ms();
    let earliest = today - Duration::days(i64::from(longest) - 1 + i64::from(BASELINE_DAYS));
    // Only what an alert may count, whatever a watch area names (one set before the rule).
    let reports: Vec<(f64, f64, i64, String)> = sqlx::query_as(
        "select lat, lng, observed_at, category_id from observation
         where observed_at >= $1 and observed_at <= $2 and sensitivity = $3",
    )
    .bind(local_midnight_ms(earliest))
    .bind(now)
    .bind(COUNTED.as_str())
    .fetch_all(&db.pool)
    .await?;
    let mut raised = Vec::new();
    for (watch, shape) in watched {
        let window_from = today - Duration::days(i64::from(watch.window_days) - 1);
        let recent_from = local_midnight_ms(window_from);
        let baseline_from = local_midnight_ms(window_from - Duration::days(i64::from(BASELINE_DAYS)));
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
                .bind(watch.area_id.to_string())
                .bind(now - i64::from(watch.window_days) * 86_400_000)
                .fetch_one(&db.pool)
                .await?;
        if earlier > 0 {
            continue;
        }
        let id = Uuid::now_v7();
        let text = message(&watch.name, watch.window_days, recent, rise.expected);
        let inserted = sqlx::query(
            "insert into alert (id, area_id, window_from, window_to, recent, baseline, baseline_days, expected, p,
                 message, status, created_at, updated_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', $11, $11)",
        )
        .bind(id.to_string())
        .bind(watch.area_id.to_string())
        .bind(window_from.to_string())
        .bind(today.to_string())
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
        alerts.extend(read_alert(db, id, true).await?);
    }
    Ok(alerts)
}

/// [`scan`] at a user's request.
pub async fn scan_as(db: &Db, viewer: &CurrentUser) -> Result<Vec<Alert>, AppError> {
    require(viewer, Capability::FollowUp)?;
    let mut alerts = scan(db).await?;
    for alert in &mut alerts {
        hide_recipients(alert, viewer);
    }
    Ok(alerts)
}

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

async fn read_alert(db: &Db, id: Uuid, with_notices: bool) -> Result<Option<Alert>, AppError> {
    let row: Option<AlertRow> = sqlx::query_as(&format!("{ALERT_COLUMNS} where al.id = $1"))
        .bind(id.to_string())
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

async fn notices(db: &Db, alert_id: Uuid) -> Result<Vec<Notice>, AppError> {
    Ok(notices_of(db, Some(alert_id), 0)
        .await?
        .remove(&alert_id)
        .unwrap_or_default())
}

/// The notices of one alert, or (`None`) of every alert raised since `since_ms`, by alert,
/// oldest first: one query however many alerts a list shows.
async fn notices_of(
    db: &Db,
    alert_id: Option<Uuid>,
    since_ms: i64,
) -> Result<HashMap<Uuid, Vec<Notice>>, AppError> {
    let rows: Vec<(String, i64, String, String, String, String)> = sqlx::query_as(
        "select n.alert_id, n.at, n.recipient, n.outcome, n.detail, coalesce(nullif(ac.display_name, ''), ac.email)
         from alert_notice n join account ac on ac.id = n.by_account
         where ($1 = '' or n.alert_id = $1)
           and n.alert_id in (select id from alert where created_at >= $2)
         order by n.at, n.id",
    )
    .bind(alert_id.map(|id| id.to_string()).unwrap_or_default())
    .bind(since_ms)
    .fetch_all(&db.pool)
    .await?;
    let mut by_alert: HashMap<Uuid, Vec<Notice>> = HashMap::new();
    for (alert, at, recipient, outcome, detail, by) in rows {
        let row = Row::of("alert_notice", &alert);
        let (alert, at) = (row.uuid("alert_id", &alert)?, row.time("at", at)?);
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
fn hide_recipients(alert: &mut Alert, viewer: &CurrentUser) {
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

pub async fn find_alert(db: &Db, viewer: &CurrentUser, id: Uuid) -> Result<Option<Alert>, AppError> {
    require(viewer, Capability::FollowUp)?;
    let mut alert = read_alert(db, id, true).await?;
    if let Some(alert) = &mut alert {
        hide_recipients(alert, viewer);
    }
    Ok(alert)
}

fn already_closed() -> AppError {
    AppError::conflict(
        "Larmet är redan skickat eller avfärdat.",
        "The alert has already been sent or dismissed.",
    )
}

/// Closes an open alert by hand (`status` sent_manually or dismissed) and logs it.
async fn close(
    db: &Db,
    viewer: &CurrentUser,
    id: Uuid,
    status: AlertStatus,
    outcome: &str,
    detail: &str,
) -> Result<Alert, AppError> {
    let now = now_ms();
    let mut tx = db.pool.begin().await?;
    let closed = sqlx::query(
        "update alert set status = $1, last_error = null, updated_at = $2 where id = $3 and status = 'pending'",
    )
    .bind(status.as_str())
    .bind(now)
    .bind(id.to_string())
    .execute(&mut *tx)
    .await?;
    if closed.rows_affected() == 0 {
        tx.rollback().await?;
        return Err(match read_alert(db, id, false).await? {
            None => AppError::NotFound,
            Some(alert) if alert.status == AlertStatus::Sending => AppError::conflict(
                "Larmet skickas just nu med e-post.",
                "The alert is being e-mailed right now.",
            ),
            Some(_) => already_closed(),
        });
    }
    log_notice(&mut tx, id, "", outcome, detail, viewer, now).await?;
    tx.commit().await?;
    tracing::info!(alert = %id, by = %viewer.id.0, outcome, "alert closed by hand");
    find_alert(db, viewer, id).await?.ok_or(AppError::Internal)
}

async fn log_notice(
    conn: &mut sqlx::AnyConnection,
    alert_id: Uuid,
    recipient: &str,
    outcome: &str,
    detail: &str,
    by: &CurrentUser,
    at: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "insert into alert_notice (id, alert_id, recipient, outcome, detail, by_account, at)
         values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(alert_id.to_string())
    .bind(recipient)
    .bind(outcome)
    .bind(detail)
    .bind(by.id.0.to_string())
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Dismisses an open alert, with the reason.
pub async fn dismiss(db: &Db, viewer: &CurrentUser, id: Uuid, reason: &str) -> Result<Alert, AppError> {
    require(viewer, Capability::FollowUp)?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REASON {
        return Err(AppError::invalid(
            "reason",
            "Skriv varför larmet avfärdas (högst 500 tecken).",
            "Say why the alert is dismissed (at most 500 characters).",
        ));
    }
    close(db, viewer, id, AlertStatus::Dismissed, "dismissed", reason).await
}

/// Passes an alert on: by hand (logged), or by e-mail to each contact person with an
/// address who has not had it yet. A failed send leaves the alert pending with the
/// reason, and answers 502 with the same reason.
pub async fn send(
    db: &Db,
    mailer: Option<&Mailer>,
    viewer: &CurrentUser,
    id: Uuid,
    request: &SendAlert,
) -> Result<Alert, AppError> {
    require(viewer, Capability::FollowUp)?;
    let alert = read_alert(db, id, false).await?.ok_or(AppError::NotFound)?;
    if !alert.status.is_open() {
        return Err(already_closed());
    }
    if request.manual {
        return close(
            db,
            viewer,
            id,
            AlertStatus::SentManually,
            "manual",
            "Skickat manuellt (sent by hand)",
        )
        .await;
    }
    let Some(mailer) = mailer.cloned() else {
        return Err(AppError::conflict(
            "E-post är inte inställd på servern. Skicka texten till kontaktpersonerna själv och markera larmet som skickat manuellt.",
            "E-mail is not set up on the server. Send the text to the contact persons yourself and mark the alert as sent by hand.",
        ));
    };
    let already: Vec<(String,)> =
        sqlx::query_as("select recipient from alert_notice where alert_id = $1 and outcome = 'sent'")
            .bind(id.to_string())
            .fetch_all(&db.pool)
            .await?;
    let recipients: Vec<String> = contacts(db, alert.area_id)
        .await?
        .into_iter()
        .map(|contact| contact.email)
        .filter(|email| !email.is_empty() && !already.iter().any(|(sent,)| sent == email))
        .collect();
    if recipients.is_empty() {
        return Err(AppError::conflict(
            "Det finns ingen kontaktperson med e-postadress som inte redan fått larmet. Skicka det manuellt.",
            "There is no contact person with an e-mail address who has not had the alert. Send it by hand.",
        ));
    }
    let now = now_ms();
    let claimed = sqlx::query(
        "update alert set status = 'sending', updated_at = $1
         where id = $2 and (status = 'pending' or (status = 'sending' and updated_at < $3))",
    )
    .bind(now)
    .bind(id.to_string())
    .bind(now - SENDING_STALE_MS)
    .execute(&db.pool)
    .await?;
    if claimed.rows_affected() == 0 {
        return Err(AppError::conflict(
            "Larmet skickas redan av någon annan.",
            "Someone else is already sending the alert.",
        ));
    }
    // On its own task: a user who closes the page must not cut the sending off half-way.
    let (db_for_task, viewer_for_task) = (db.clone(), viewer.clone());
    let subject = alert.message.lines().next().unwrap_or_default().to_owned();
    let body = alert.message.clone();
    let failures = tokio::spawn(async move {
        deliver(
            &db_for_task,
            &mailer,
            &viewer_for_task,
            id,
            &recipients,
            &subject,
            &body,
        )
        .await
    })
    .await
    .map_err(|err| {
        tracing::error!(alert = %id, %err, "sending an alert stopped");
        AppError::Internal
    })??;
    if let Some((failed, total, reason)) = failures {
        return Err(AppError::Upstream {
            sv: format!(
                "Larmet kunde inte skickas till {failed} av {total} mottagare och väntar kvar: {reason}"
            ),
            en: format!(
                "The alert could not be sent to {failed} of {total} recipients and stays pending: {reason}"
            ),
        });
    }
    find_alert(db, viewer, id).await?.ok_or(AppError::Internal)
}

/// Sends to each recipient, logs each attempt, and sets the alert's status: `sent` when
/// all got it, else back to `pending` with the reason. Returns the failures, if any.
async fn deliver(
    db: &Db,
    mailer: &Mailer,
    viewer: &CurrentUser,
    id: Uuid,
    recipients: &[String],
    subject: &str,
    body: &str,
) -> Result<Option<(usize, usize, String)>, AppError> {
    let mut failed = 0;
    let mut first_reason = None;
    for recipient in recipients {
        let outcome = mailer.send(recipient, subject, body).await;
        let mut conn = db.pool.acquire().await?;
        match &outcome {
            Ok(()) => log_notice(&mut conn, id, recipient, "sent", "", viewer, now_ms()).await?,
            Err(reason) => {
                tracing::warn!(alert = %id, %reason, "an alert e-mail failed");
                failed += 1;
                first_reason.get_or_insert_with(|| reason.clone());
                log_notice(&mut conn, id, recipient, "failed", reason, viewer, now_ms()).await?;
            }
        }
    }
    let (status, last_error) = match &first_reason {
        None => (AlertStatus::Sent, None),
        Some(reason) => (
            AlertStatus::Pending,
            Some(format!(
                "{failed} av {} mottagare fick inte larmet ({failed} of {} recipients did not get it): {reason}",
                recipients.len(),
                recipients.len()
            )),
        ),
    };
    sqlx::query("update alert set status = $1, last_error = $2, updated_at = $3 where id = $4")
        .bind(status.as_str())
        .bind(last_error)
        .bind(now_ms())
        .bind(id.to_string())
        .execute(&db.pool)
        .await?;
    tracing::info!(alert = %id, sent = recipients.len() - failed, failed, "alert e-mailed");
    Ok(first_reason.map(|reason| (failed, recipients.len(), reason)))
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
