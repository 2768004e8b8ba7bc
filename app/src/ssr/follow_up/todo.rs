//! "Att göra": the loop's lists as the user may read them, narrowed to what is due
//! (`domain::todo`).

use chrono::{Duration, Utc};

use crate::domain::access::{may, require, Capability};
use crate::domain::clock::today;
use crate::domain::todo::{Lists, Todo, NEW_REPORTS_DAYS};
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::ssr::follow_up::{actions, commitments};
use crate::ssr::infra::db::Db;
use crate::ssr::reports::observations;
use crate::ssr::situation::meetings;
use crate::ssr::{incidents, walks, watch};

pub async fn list(db: &Db, viewer: &CurrentUser) -> Result<Todo, AppError> {
    require(viewer, Capability::FollowUp)?;
    let now = Utc::now();
    let overdue = actions::ActionFilter {
        overdue: Some(true),
        ..Default::default()
    };
    let since = (now - Duration::days(NEW_REPORTS_DAYS)).timestamp_millis();
    let new_reports = observations::count_new_since(db, viewer, since).await?;
    let waiting_reviews = if may(viewer, Capability::ReviewReports) {
        incidents::review::count_waiting(db).await?
    } else {
        0
    };
    let lists = Lists {
        overdue_actions: actions::list(db, viewer, &overdue).await?,
        alerts: watch::alerts::list_alerts(db, viewer, true).await?,
        walks: walks::list(db, viewer).await?,
        meetings: meetings::list(db, viewer).await?,
        commitments: commitments::list(db, viewer).await?,
        new_reports,
        waiting_reviews,
    };
    Ok(Todo::from_lists(lists, now, today()))
}
