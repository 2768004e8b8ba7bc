//! Passing an alert on, by e-mail (`infra::mail`) or by hand, or dismissing it, with
//! every attempt logged.

use crate::domain::access::{require, Capability};
use crate::domain::ids::AlertId;
use crate::domain::user::CurrentUser;
use crate::domain::watch::{Alert, AlertStatus, SendAlert};
use crate::error::AppError;
use crate::ssr::infra::db::{now_ms, Db};
use crate::ssr::infra::mail::Mailer;

/// A send that has not finished after this long was cut off (a restart, a crash): the
/// alert may be sent again, to those who did not get it.
const SENDING_STALE_MS: i64 = 10 * 60 * 1000;
const MAX_REASON: usize = 500;

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
    id: AlertId,
    status: AlertStatus,
    outcome: &str,
    detail: &str,
) -> Result<Alert, AppError> {
    let now = now_ms();
    let mut tx = db.pool.begin().await?;
    let closed = sqlx::query(
        "update alert set status = $1, last_error = null, updated_at = $2 where id = $3 and status = 'pending'",
    )
    .bind(status)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if closed.rows_affected() == 0 {
        tx.rollback().await?;
        return Err(match super::alerts::read_alert(db, id, false).await? {
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
    super::alerts::find_alert(db, viewer, id)
        .await?
        .ok_or(AppError::Internal)
}

async fn log_notice(
    conn: &mut sqlx::AnyConnection,
    alert_id: AlertId,
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
    .bind(crate::ssr::infra::sql::RowId::new())
    .bind(alert_id)
    .bind(recipient)
    .bind(outcome)
    .bind(detail)
    .bind(by.id)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Dismisses an open alert, with the reason.
pub async fn dismiss(db: &Db, viewer: &CurrentUser, id: AlertId, reason: &str) -> Result<Alert, AppError> {
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
    id: AlertId,
    request: &SendAlert,
) -> Result<Alert, AppError> {
    require(viewer, Capability::FollowUp)?;
    let alert = super::alerts::read_alert(db, id, false)
        .await?
        .ok_or(AppError::NotFound)?;
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
            .bind(id)
            .fetch_all(&db.pool)
            .await?;
    let recipients: Vec<String> = super::areas::contacts(db, alert.area_id)
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
    .bind(id)
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
    super::alerts::find_alert(db, viewer, id)
        .await?
        .ok_or(AppError::Internal)
}

/// Sends to each recipient, logs each attempt, and sets the alert's status: `sent` when
/// all got it, else back to `pending` with the reason. Returns the failures, if any.
async fn deliver(
    db: &Db,
    mailer: &Mailer,
    viewer: &CurrentUser,
    id: AlertId,
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
        .bind(status)
        .bind(last_error)
        .bind(now_ms())
        .bind(id)
        .execute(&db.pool)
        .await?;
    tracing::info!(alert = %id, sent = recipients.len() - failed, failed, "alert e-mailed");
    Ok(first_reason.map(|reason| (failed, recipients.len(), reason)))
}
