//! Safety walks: planning, joining by code (no account needed), closing.

use rand::Rng;

use crate::domain::access::{may, require, Capability};
use crate::domain::ids::WalkId;
use crate::domain::user::CurrentUser;
use crate::domain::walk::{normalise_join_code, NewWalk, Walk, JOIN_CODE_ALPHABET, JOIN_CODE_LEN};
use crate::error::AppError;
use crate::ssr::accounts::{self, AccountRow};
use crate::ssr::infra::db::{is_unique_violation, now_ms, Db};
use crate::ssr::infra::decode::Row;
use crate::ssr::reports::observations::unix_ms;

fn new_join_code() -> String {
    let mut rng = rand::thread_rng();
    (0..JOIN_CODE_LEN)
        .map(|_| JOIN_CODE_ALPHABET[rng.gen_range(0..JOIN_CODE_ALPHABET.len())] as char)
        .collect()
}

/// Plans a walk. The same id sent again (a double tap, a resend after a lost answer)
/// returns the walk already planned (`false`) instead of a second one.
pub async fn create(db: &Db, planner: &CurrentUser, new: &NewWalk) -> Result<(Walk, bool), AppError> {
    require(planner, Capability::PlanWalks)?;
    let id = new.id.unwrap_or_else(crate::domain::ids::WalkId::new);
    if let Some(planned) = planned_by(db, planner, id).await? {
        return Ok((planned, false));
    }
    new.validate()?;
    if let Some(previous) = new.previous_walk_id {
        if find(db, previous).await?.is_none() {
            return Err(AppError::invalid(
                "previous_walk_id",
                "Den tidigare vandringen finns inte.",
                "The earlier walk does not exist.",
            ));
        }
    }
    let now = now_ms();
    let route_path = serde_json::to_string(&new.route_path).map_err(|_| AppError::Internal)?;
    // A clash of two random codes is rare; draw again when it happens.
    for _ in 0..5 {
        let code = new_join_code();
        let inserted = sqlx::query(
            "insert into walk (id, title, area, starts_at, light, route, invited, join_code, status,
                 created_by, created_at, updated_at, previous_walk_id, route_path)
             values ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $10, $10, $11, $12)",
        )
        .bind(id)
        .bind(new.title.trim())
        .bind(new.area.trim())
        .bind(unix_ms(new.starts_at))
        .bind(new.light)
        .bind(new.route.trim())
        .bind(new.invited.trim())
        .bind(&code)
        .bind(planner.id)
        .bind(now)
        .bind(new.previous_walk_id)
        .bind(&route_path)
        .execute(&db.pool)
        .await;
        match inserted {
            Ok(_) => return Ok((find(db, id).await?.ok_or(AppError::Internal)?, true)),
            Err(err) if is_unique_violation(&err) => {
                // The same id, sent twice at once: the other request planned it.
                if let Some(planned) = planned_by(db, planner, id).await? {
                    return Ok((planned, false));
                }
                continue;
            }
            Err(err) => return Err(err.into()),
        }
    }
    Err(AppError::Internal)
}

/// The walk with `id` if it exists: the planner's own, or `Conflict` when the id is
/// someone else's (an id is not a way to read another planner's walk).
async fn planned_by(db: &Db, planner: &CurrentUser, id: WalkId) -> Result<Option<Walk>, AppError> {
    let owner: Option<String> = sqlx::query_scalar("select created_by from walk where id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    match owner {
        None => Ok(None),
        Some(owner) if owner == planner.id.0.to_string() => find(db, id).await,
        Some(_) => Err(AppError::Conflict {
            sv: "Id:t används redan av en annan vandring.".to_owned(),
            en: "The id is already used by another walk.".to_owned(),
        }),
    }
}

#[derive(sqlx::FromRow)]
struct WalkRow {
    id: String,
    title: String,
    area: String,
    starts_at: i64,
    light: String,
    route: String,
    route_path: String,
    invited: String,
    join_code: String,
    status: String,
    previous_walk_id: Option<String>,
}

impl WalkRow {
    fn into_walk(self) -> Result<Walk, AppError> {
        let row = Row::of("walk", &self.id);
        Ok(Walk {
            id: row.id()?,
            starts_at: row.time("starts_at", self.starts_at)?,
            light: row.code("light", &self.light)?,
            closed: match self.status.as_str() {
                "open" => false,
                "closed" => true,
                _ => return Err(row.corrupt("status")),
            },
            previous_walk_id: row.opt_uuid("previous_walk_id", self.previous_walk_id.as_deref())?,
            route_path: row.json("route_path", &self.route_path)?,
            title: self.title,
            area: self.area,
            route: self.route,
            invited: self.invited,
            join_code: self.join_code,
        })
    }
}

async fn find(db: &Db, id: WalkId) -> Result<Option<Walk>, AppError> {
    let row: Option<WalkRow> = sqlx::query_as(
        "select id, title, area, starts_at, light, route, route_path, invited, join_code, status, previous_walk_id from walk where id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    row.map(WalkRow::into_walk).transpose()
}

/// A walk as `viewer` may see it: those who may not see every walk, only their own.
pub async fn get(db: &Db, viewer: &CurrentUser, id: WalkId) -> Result<Walk, AppError> {
    if !may(viewer, Capability::ReadEveryWalk) && !is_member(db, viewer, id).await? {
        return Err(AppError::NotFound);
    }
    find(db, id)
        .await?
        .map(|walk| as_seen_by(walk, viewer))
        .ok_or(AppError::NotFound)
}

/// The join code is for those who host or coordinate walks: with it anyone could join
/// and read the walk's findings. Others get the walk without it.
fn as_seen_by(walk: Walk, viewer: &CurrentUser) -> Walk {
    if may(viewer, Capability::PlanWalks) {
        walk
    } else {
        Walk {
            join_code: String::new(),
            ..walk
        }
    }
}

pub async fn list(db: &Db, viewer: &CurrentUser) -> Result<Vec<Walk>, AppError> {
    let rows: Vec<WalkRow> = sqlx::query_as(
        "select w.id, w.title, w.area, w.starts_at, w.light, w.route, w.route_path, w.invited, w.join_code, w.status, w.previous_walk_id
         from walk w
         where $1 = 0 or w.id in (select p.walk_id from walk_participant p where p.account_id = $2)
         order by w.starts_at desc",
    )
    .bind(i64::from(!may(viewer, Capability::ReadEveryWalk)))
    .bind(viewer.id)
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter()
        .map(|row| row.into_walk().map(|walk| as_seen_by(walk, viewer)))
        .collect()
}

pub async fn is_member(db: &Db, viewer: &CurrentUser, walk_id: WalkId) -> Result<bool, AppError> {
    let count: i64 =
        sqlx::query_scalar("select count(*) from walk_participant where walk_id = $1 and account_id = $2")
            .bind(walk_id)
            .bind(viewer.id)
            .fetch_one(&db.pool)
            .await?;
    Ok(count > 0)
}

/// Joins an open walk by its code. A signed-in user joins as themselves; anyone else
/// gets a participant account that can do nothing but take part in this walk.
/// Returns the walk and, for a new participant, the account to sign in.
pub async fn join(
    db: &Db,
    signed_in: Option<&CurrentUser>,
    typed_code: &str,
) -> Result<(Walk, Option<AccountRow>), AppError> {
    let code = normalise_join_code(typed_code);
    let row: Option<WalkRow> = sqlx::query_as(
        "select id, title, area, starts_at, light, route, route_path, invited, join_code, status, previous_walk_id
         from walk where join_code = $1",
    )
    .bind(&code)
    .fetch_optional(&db.pool)
    .await?;
    let walk = row.map(WalkRow::into_walk).transpose()?.ok_or_else(|| {
        AppError::invalid(
            "code",
            "Koden stämmer inte. Kontrollera den med samordnaren.",
            "The code is not right. Check it with the coordinator.",
        )
    })?;
    if walk.closed {
        return Err(AppError::invalid(
            "code",
            "Vandringen är avslutad.",
            "The walk has ended.",
        ));
    }
    let (member, new_account) = match signed_in {
        Some(user) => (user.id, None),
        None => {
            let row = accounts::create_participant(db).await?;
            let id = Row::of("account", &row.id).id()?;
            (id, Some(row))
        }
    };
    let now = now_ms();
    sqlx::query(
        "insert into walk_participant (id, walk_id, account_id, created_at, updated_at)
         values ($1, $2, $3, $4, $4) on conflict (walk_id, account_id) do nothing",
    )
    .bind(crate::ssr::infra::sql::RowId::new())
    .bind(walk.id)
    .bind(member)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok((walk, new_account))
}

pub async fn close(db: &Db, closer: &CurrentUser, id: WalkId) -> Result<Walk, AppError> {
    require(closer, Capability::PlanWalks)?;
    let now = now_ms();
    let done =
        sqlx::query("update walk set status = 'closed', closed_at = $2, updated_at = $2 where id = $1")
            .bind(id)
            .bind(now)
            .execute(&db.pool)
            .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    find(db, id).await?.ok_or(AppError::NotFound)
}

/// A re-walk's report: each finding of the walk it follows up, what was done about it,
/// and the findings now within `distance_m`; and the new places. For those who may
/// read protocols; actions only for those who keep them.
pub async fn rewalk(
    db: &Db,
    viewer: &CurrentUser,
    id: WalkId,
    distance_m: Option<f64>,
) -> Result<crate::domain::walk::RewalkReport, AppError> {
    use crate::domain::geo::LatLng;
    use crate::domain::walk::{match_places, RewalkPlace, RewalkReport, REWALK_DISTANCE_M};
    use crate::ssr::follow_up::actions;
    use crate::ssr::reports::observations;
    require(viewer, Capability::PlanWalks)?;
    let distance_m = distance_m.unwrap_or(REWALK_DISTANCE_M);
    if !(5.0..=500.0).contains(&distance_m) {
        return Err(AppError::invalid(
            "distance_m",
            "Avståndet ska vara 5–500 meter.",
            "The distance must be 5–500 metres.",
        ));
    }
    let walk = get(db, viewer, id).await?;
    let previous_id = walk.previous_walk_id.ok_or(AppError::NotFound)?;
    let previous = get(db, viewer, previous_id).await?;
    let findings_of = |walk_id| observations::Filter {
        walk_id: Some(walk_id),
        ..Default::default()
    };
    let before = observations::list(db, viewer, &findings_of(previous_id)).await?;
    let now = observations::list(db, viewer, &findings_of(id)).await?;
    let place = |o: &crate::domain::observation::Observation| LatLng {
        lat: o.lat,
        lng: o.lng,
    };
    let (near, new) = match_places(
        &before.iter().map(place).collect::<Vec<_>>(),
        &now.iter().map(place).collect::<Vec<_>>(),
        distance_m,
    );
    let done = if may(viewer, Capability::FollowUp) {
        let linked = actions::ActionFilter {
            source_kind: Some("observation".into()),
            ..Default::default()
        };
        actions::list(db, viewer, &linked).await?
    } else {
        Vec::new()
    };
    let places = before
        .iter()
        .zip(near)
        .map(|(earlier, near)| RewalkPlace {
            actions: done
                .iter()
                .filter(|action| action.source.reference() == earlier.id.to_string())
                .cloned()
                .collect(),
            now: near.into_iter().map(|i| now[i].clone()).collect(),
            before: earlier.clone(),
        })
        .collect();
    Ok(RewalkReport {
        previous,
        distance_m,
        places,
        new_findings: new.into_iter().map(|i| now[i].clone()).collect(),
    })
}
