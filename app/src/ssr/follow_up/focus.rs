//! Focus problems: storage, and the activities (actions, interventions) linked to them.
//! Kept by police and coordinators, the roles that follow the strategy areas up.

use crate::domain::access::{require, Capability};
use crate::domain::action::Status;
use crate::domain::clock::today;
use crate::domain::focus::{Activity, CauseAnalysis, FocusProblem, LinkActivity, NewFocusProblem};
use crate::domain::ids::FocusProblemId;
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::ssr::infra::db::{is_unique_violation, now_ms, Db};
use crate::ssr::infra::decode::Row;

#[derive(sqlx::FromRow)]
struct FocusRow {
    id: String,
    strategy_area: String,
    title: String,
    problem: String,
    cause_place: String,
    cause_offender: String,
    cause_target: String,
    managers: String,
    handlers: String,
    guardians: String,
    goal: String,
    measure: String,
    goal_on: String,
}

const SELECT: &str = "select id, strategy_area, title, problem, cause_place, cause_offender, cause_target,
        managers, handlers, guardians, goal, measure, goal_on
     from focus_problem";

impl FocusRow {
    fn read(self) -> Result<FocusProblem, AppError> {
        let id = Row::of("focus_problem", &self.id).id()?;
        Ok(FocusProblem {
            id,
            strategy_area: self.strategy_area,
            title: self.title,
            problem: self.problem,
            causes: CauseAnalysis {
                place: self.cause_place,
                offender: self.cause_offender,
                target: self.cause_target,
                managers: self.managers,
                handlers: self.handlers,
                guardians: self.guardians,
            },
            goal: self.goal,
            measure: self.measure,
            goal_on: self.goal_on,
            activities: Vec::new(),
        })
    }
}

/// Stores a new focus problem; the same id sent again returns the stored one (`false`).
pub async fn create(
    db: &Db,
    viewer: &CurrentUser,
    new: &NewFocusProblem,
) -> Result<(FocusProblem, bool), AppError> {
    require(viewer, Capability::FollowUp)?;
    let id = new.id.unwrap_or_else(crate::domain::ids::FocusProblemId::new);
    if let Some(stored) = find(db, viewer, id).await? {
        return Ok((stored, false));
    }
    let checked = new.validate(today(), true)?;
    let inserted = bind_content(
        sqlx::query(
            "insert into focus_problem (strategy_area, title, problem, cause_place, cause_offender, cause_target,
                 managers, handlers, guardians, goal, measure, goal_on, id, created_by, created_at, updated_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)",
        ),
        &checked,
    )
    .bind(id)
    .bind(viewer.id)
    .bind(now_ms())
    .execute(&db.pool)
    .await;
    match inserted {
        Ok(_) => {
            tracing::info!(focus_problem = %id, by = %viewer.id.0, "focus problem created");
            Ok((find(db, viewer, id).await?.ok_or(AppError::Internal)?, true))
        }
        Err(err) if is_unique_violation(&err) => {
            Ok((find(db, viewer, id).await?.ok_or(AppError::Internal)?, false))
        }
        Err(err) => Err(err.into()),
    }
}

/// Binds what a focus problem says as `$1`–`$12`, in the column order both the insert and
/// the update use.
fn bind_content<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    checked: &'q NewFocusProblem,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    query
        .bind(&checked.strategy_area)
        .bind(&checked.title)
        .bind(&checked.problem)
        .bind(&checked.causes.place)
        .bind(&checked.causes.offender)
        .bind(&checked.causes.target)
        .bind(&checked.causes.managers)
        .bind(&checked.causes.handlers)
        .bind(&checked.causes.guardians)
        .bind(&checked.goal)
        .bind(&checked.measure)
        .bind(&checked.goal_on)
}

/// Replaces what a focus problem says (its activities stay linked).
pub async fn update(
    db: &Db,
    viewer: &CurrentUser,
    id: FocusProblemId,
    new: &NewFocusProblem,
) -> Result<FocusProblem, AppError> {
    require(viewer, Capability::FollowUp)?;
    let checked = new.validate(today(), false)?;
    let updated = bind_content(
        sqlx::query(
            "update focus_problem set strategy_area = $1, title = $2, problem = $3, cause_place = $4,
                 cause_offender = $5, cause_target = $6, managers = $7, handlers = $8, guardians = $9, goal = $10,
                 measure = $11, goal_on = $12, updated_at = $13
             where id = $14",
        ),
        &checked,
    )
    .bind(now_ms())
    .bind(id)
    .execute(&db.pool)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    tracing::info!(focus_problem = %id, by = %viewer.id.0, "focus problem changed");
    find(db, viewer, id).await?.ok_or(AppError::Internal)
}

/// The focus problems, of one strategy area or all, each with its activities.
pub async fn list(
    db: &Db,
    viewer: &CurrentUser,
    strategy_area: Option<&str>,
) -> Result<Vec<FocusProblem>, AppError> {
    require(viewer, Capability::FollowUp)?;
    let rows: Vec<FocusRow> = sqlx::query_as(&format!(
        "{SELECT} where ($1 = '' or strategy_area = $1) order by goal_on, title, id"
    ))
    .bind(strategy_area.unwrap_or_default())
    .fetch_all(&db.pool)
    .await?;
    // Every problem's activities in one read, not one read per problem.
    let activities = activities_of(db, None).await?;
    let mut problems = Vec::with_capacity(rows.len());
    for row in rows {
        let mut problem = row.read()?;
        let id = problem.id.to_string();
        problem.activities = activities
            .iter()
            .filter(|(of, _)| *of == id)
            .map(|(_, activity)| activity.clone())
            .collect();
        problems.push(problem);
    }
    Ok(problems)
}

pub async fn find(
    db: &Db,
    viewer: &CurrentUser,
    id: FocusProblemId,
) -> Result<Option<FocusProblem>, AppError> {
    require(viewer, Capability::FollowUp)?;
    let row: Option<FocusRow> = sqlx::query_as(&format!("{SELECT} where id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    let Some(mut problem) = row.map(FocusRow::read).transpose()? else {
        return Ok(None);
    };
    problem.activities = activities_of(db, Some(id))
        .await?
        .into_iter()
        .map(|(_, activity)| activity)
        .collect();
    Ok(Some(problem))
}

/// The actions and interventions serving one focus problem, or every one (`None`), each
/// with its problem's id: actions by due date, then interventions by start.
async fn activities_of(db: &Db, id: Option<FocusProblemId>) -> Result<Vec<(String, Activity)>, AppError> {
    let actions: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "select focus_problem_id, id, title, status, due_on from action
         where focus_problem_id is not null and ($1 is null or focus_problem_id = $1) order by due_on, id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let interventions: Vec<(String, String, String, String, Option<String>)> = sqlx::query_as(
        "select focus_problem_id, id, title, starts_on, ends_on from intervention
         where focus_problem_id is not null and ($1 is null or focus_problem_id = $1) order by starts_on, id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let mut list = Vec::with_capacity(actions.len() + interventions.len());
    for (problem, action_id, title, status, due_on) in actions {
        let row = Row::of("action", &action_id);
        list.push((
            problem,
            Activity {
                kind: "action".into(),
                id: row.id()?,
                status: Some(row.code::<Status>("status", &status)?),
                title,
                when: due_on,
            },
        ));
    }
    for (problem, intervention_id, title, starts_on, ends_on) in interventions {
        list.push((
            problem,
            Activity {
                kind: "intervention".into(),
                id: Row::of("intervention", &intervention_id).id()?,
                status: None,
                title,
                when: match ends_on {
                    Some(end) => format!("{starts_on} – {end}"),
                    None => format!("{starts_on} –"),
                },
            },
        ));
    }
    Ok(list)
}

/// Makes an action or an intervention serve the problem (it serves one problem at a
/// time: linking again moves it).
pub async fn link(
    db: &Db,
    viewer: &CurrentUser,
    id: FocusProblemId,
    link: &LinkActivity,
) -> Result<FocusProblem, AppError> {
    require(viewer, Capability::FollowUp)?;
    let (table, activity) = match (link.action_id, link.intervention_id) {
        (Some(action), None) => ("action", action.to_string()),
        (None, Some(intervention)) => ("intervention", intervention.to_string()),
        _ => {
            return Err(AppError::invalid(
                "action_id",
                "Ange antingen en åtgärd eller en insats.",
                "Give either an action or an intervention.",
            ))
        }
    };
    if find(db, viewer, id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    // The table name is one of two fixed words chosen above, never user input.
    let linked = sqlx::query(&format!(
        "update {table} set focus_problem_id = $1, updated_at = $2 where id = $3"
    ))
    .bind(id)
    .bind(now_ms())
    .bind(&activity)
    .execute(&db.pool)
    .await?;
    if linked.rows_affected() == 0 {
        return Err(AppError::invalid(
            if table == "action" {
                "action_id"
            } else {
                "intervention_id"
            },
            "Det finns ingen sådan åtgärd eller insats.",
            "There is no such action or intervention.",
        ));
    }
    tracing::info!(focus_problem = %id, table, activity = %activity, by = %viewer.id.0, "activity linked");
    find(db, viewer, id).await?.ok_or(AppError::Internal)
}
