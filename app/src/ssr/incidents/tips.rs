//! Residents report an unsafe place (`/tipsa`): no account, no captcha. What keeps the
//! form from being flooded: a limit per client address counted in the database before
//! each tip is stored (so it holds across instances and against a burst), a field only
//! robots fill in, and a ceiling on how many tips may wait for review at once. Every tip
//! waits in the review queue; its exact place is shown to nobody but coordinators and
//! police, and the name and e-mail to nobody at all.

use crate::domain::geo::Bounds;
use crate::domain::ids::IncidentId;
use crate::domain::incident::{NewTip, Source, Status};
use crate::error::{AppError, Guessed};
use crate::ssr::infra::attempts::Attempt;
use crate::ssr::infra::db::{now_ms, Db};
use crate::ssr::infra::sql::Millis;

/// Tips one client address may send within the limit's window (a quarter of an hour).
pub const MAX_TIPS_PER_ADDRESS: i64 = 3;
/// Tips that may wait for review at once; beyond it the form asks residents to come back
/// later, so a flood from many addresses fills no more than this.
pub const MAX_WAITING_TIPS: i64 = 300;

/// Stores a resident's tip for review. `trap` is the form's hidden field, which people
/// leave empty; a robot that fills it in is answered as if the tip were taken, and it is
/// not.
pub async fn submit(
    db: &Db,
    bounds: &Bounds,
    client: &str,
    tip: &NewTip,
    trap: &str,
) -> Result<(), AppError> {
    tip.validate(bounds)?;
    let subject = format!("tip:{client}");
    let attempt = Attempt::start(db, Guessed::Tip, &[(&subject, MAX_TIPS_PER_ADDRESS)]).await?;
    // The try stays counted whatever happens next: a tip sent is a tip counted.
    attempt.failed();
    if !trap.is_empty() {
        tracing::warn!("a tip with the robots' field filled in was dropped");
        return Ok(());
    }
    let waiting: i64 = sqlx::query_scalar(
        "select count(*) from incident_report where source = 'resident' and status = 'pending'",
    )
    .fetch_one(&db.pool)
    .await?;
    if waiting >= MAX_WAITING_TIPS {
        return Err(AppError::TooManyAttempts(Guessed::TipsWaiting));
    }
    let strategy_area = super::incident_category(db, &tip.category).await?;
    let id = IncidentId::new();
    let now = now_ms();
    sqlx::query(
        "insert into incident_report (id, client_id, source, category_id, lat, lng, position_source, observed_at,
             note, contact_name, contact_email, status, strategy_area, content_hash, created_at, updated_at)
         values ($1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, '', $13, $13)",
    )
    .bind(id)
    .bind(Source::Resident)
    .bind(&tip.category)
    .bind(tip.lat)
    .bind(tip.lng)
    .bind(super::TIP_POSITION)
    .bind(Millis(chrono::Utc::now()))
    .bind(tip.note.trim())
    .bind(tip.name.trim())
    .bind(tip.email.trim())
    .bind(Status::Pending)
    .bind(&strategy_area)
    .bind(now)
    .execute(&db.pool)
    .await?;
    tracing::info!(report = %id, "a resident's tip received");
    Ok(())
}
