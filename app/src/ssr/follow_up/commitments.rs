//! Medborgarlöften: storage, and progress counted from walks, interventions, actions and
//! shifts when a commitment is read. Police and coordinators keep them (the strategy-area
//! pages show them).

use chrono::{NaiveDate, Utc};

use crate::domain::access::{require, Capability};
use crate::domain::commitment::{on_track, Commitment, Measure, NewCommitment};
use crate::domain::ids::CommitmentId;
use crate::domain::situation::local_midnight_ms;
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::ssr::infra::db::{now_ms, Db};
use crate::ssr::infra::decode::Row;

pub async fn create(db: &Db, viewer: &CurrentUser, new: &NewCommitment) -> Result<Commitment, AppError> {
    require(viewer, Capability::FollowUp)?;
    new.validate()?;
    let id = CommitmentId::new();
    sqlx::query(
        "insert into commitment (id, party, text, measure, target, year, strategy_area, created_by, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(id)
    .bind(new.party.trim())
    .bind(new.text.trim())
    .bind(new.measure)
    .bind(i64::from(new.target))
    .bind(i64::from(new.year))
    .bind(&new.strategy_area)
    .bind(viewer.id)
    .bind(now_ms())
    .execute(&db.pool)
    .await?;
    tracing::info!(commitment = %id, by = %viewer.id.0, "commitment created");
    let done = progress(db, new.measure, new.year, &new.strategy_area).await?;
    Ok(Commitment {
        id,
        party: new.party.trim().to_owned(),
        text: new.text.trim().to_owned(),
        measure: new.measure,
        target: new.target,
        year: new.year,
        strategy_area: new.strategy_area.clone(),
        done,
        on_track: on_track(done, new.target, elapsed(new.year)),
    })
}

#[derive(sqlx::FromRow)]
struct CommitmentRow {
    id: String,
    party: String,
    text: String,
    measure: String,
    target: i64,
    year: i64,
    strategy_area: String,
}

/// Every commitment with its progress, newest year first.
pub async fn list(db: &Db, viewer: &CurrentUser) -> Result<Vec<Commitment>, AppError> {
    require(viewer, Capability::FollowUp)?;
    let rows: Vec<CommitmentRow> = sqlx::query_as(
        "select id, party, text, measure, target, year, strategy_area from commitment order by year desc, party, id",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut commitments = Vec::with_capacity(rows.len());
    for row in rows {
        let stored = Row::of("commitment", &row.id);
        let measure = stored.code("measure", &row.measure)?;
        let year = stored.number("year", row.year)?;
        let target = stored.number("target", row.target)?;
        let done = progress(db, measure, year, &row.strategy_area).await?;
        commitments.push(Commitment {
            id: stored.id()?,
            on_track: on_track(done, target, elapsed(year)),
            party: row.party,
            text: row.text,
            measure,
            target,
            year,
            strategy_area: row.strategy_area,
            done,
        });
    }
    Ok(commitments)
}

/// The first moment of a year and of the next, in Stockholm, as unix ms.
fn year_ms(year: i32) -> Result<(i64, i64), AppError> {
    let first = |year| NaiveDate::from_ymd_opt(year, 1, 1).ok_or(AppError::Internal);
    Ok((
        local_midnight_ms(first(year)?),
        local_midnight_ms(first(year + 1)?),
    ))
}

/// How much of the year has gone, 0–1.
fn elapsed(year: i32) -> f64 {
    let Ok((start, end)) = year_ms(year) else {
        return 0.0;
    };
    let now = Utc::now().timestamp_millis();
    ((now - start) as f64 / (end - start) as f64).clamp(0.0, 1.0)
}

/// The records that count towards a measure in a year.
async fn progress(db: &Db, measure: Measure, year: i32, strategy_area: &str) -> Result<u32, AppError> {
    let (start, end) = year_ms(year)?;
    let count: i64 =
        match measure {
            Measure::Walks => {
                sqlx::query_scalar("select count(*) from walk where starts_at >= $1 and starts_at < $2")
                    .bind(start)
                    .bind(end)
                    .fetch_one(&db.pool)
                    .await?
            }
            Measure::PatrolShifts => {
                sqlx::query_scalar("select count(*) from shift where started_at >= $1 and started_at < $2")
                    .bind(start)
                    .bind(end)
                    .fetch_one(&db.pool)
                    .await?
            }
            Measure::Interventions => {
                // Dates are YYYY-MM-DD text: the year is its first four characters.
                sqlx::query_scalar(
                    "select count(*) from intervention
                 where starts_on >= $1 and starts_on < $2 and ($3 = '' or strategy_area = $3)",
                )
                .bind(format!("{year:04}-01-01"))
                .bind(format!("{:04}-01-01", year + 1))
                .bind(strategy_area)
                .fetch_one(&db.pool)
                .await?
            }
            Measure::ActionsDone => sqlx::query_scalar(
                "select count(distinct u.action_id) from action_update u join action a on a.id = u.action_id
                 where u.status = 'done' and a.status = 'done' and u.created_at >= $1 and u.created_at < $2
                   and ($3 = '' or a.strategy_area = $3)",
            )
            .bind(start)
            .bind(end)
            .bind(strategy_area)
            .fetch_one(&db.pool)
            .await?,
        };
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}
