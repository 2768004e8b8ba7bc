//! Storing and reading observations, with the access rules of docs/domain.md:
//! police and coordinators see everything; volunteers and admins see what is not
//! restricted; participants see their own walk's findings; everyone sees their own.
//! One SQL filter serves lists and single reads, so the two cannot disagree.
//!
//! A report's id is made on the phone, and is the key of that reporter's resends only:
//! an id already taken by someone else's report is stored under an id of the server's
//! (migration `client_ids`), and its reporter goes on reading and naming it by their own
//! id ([`PUBLIC_ID`]). So a submission is answered the same whether or not its id is
//! another's, and says nothing about records its sender may not read.

use chrono::Utc;
use sha2::{Digest, Sha256};

use crate::domain::access::{may, require, Capability};
use crate::domain::admin::AuditAction;
use crate::domain::geo::LatLng;
use crate::domain::ids::{ObservationId, PhotoId, ShiftId, UserId, WalkId};
use crate::domain::observation::{Kind, NewObservation, Observation, PositionSource, Sensitivity, TimeOfDay};
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::ssr::infra::db::{now_ms, Db};
use crate::ssr::infra::decode::{table_row, Row};
use crate::ssr::infra::sql::Millis;
use crate::ssr::infra::state::AppState;

/// Whether a submission created the record or found it already stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    Created,
    AlreadyThere,
}

/// The SQL condition for "observation `o` is visible to the viewer", with the viewer's
/// values bound as `$1`–`$3` by [`visibility`]. Every read of observations uses it.
pub const VISIBLE: &str = "($1 = 1
                or o.reporter_id = $2
                or ($3 = 1 and o.sensitivity = 'internal')
                or (o.sensitivity = 'internal' and o.walk_id in
                    (select wp.walk_id from walk_participant wp where wp.account_id = $2)))";

/// The id of observation `o` as the viewer (`$2` of [`VISIBLE`]) knows it: the phone's
/// own id for its reporter, the stored id for everyone else.
pub const PUBLIC_ID: &str = "case when o.reporter_id = $2 then o.client_id else o.id end";

/// The values for `$1`–`$3` of [`VISIBLE`].
pub fn visibility(viewer: &CurrentUser) -> (i64, UserId, i64) {
    (
        i64::from(may(viewer, Capability::ReadRestrictedReports)),
        viewer.id,
        i64::from(may(viewer, Capability::ReadInternalReports)),
    )
}

/// What it takes to report a kind: patrol observations are made on a shift.
fn reported_with(kind: Kind) -> Capability {
    match kind {
        Kind::WalkFinding => Capability::ReportWalkFindings,
        Kind::PatrolObservation => Capability::Drive,
        Kind::DrugScene => Capability::ReportDrugScenes,
        // Made only by accepting a reviewed report (`ssr::incidents::review`); refused
        // here by `NewObservation::validate` before this is asked.
        Kind::IncidentReport => Capability::ReviewReports,
    }
}

#[derive(sqlx::FromRow)]
struct CategoryRow {
    kind: String,
    retired_at: Option<i64>,
}

/// Stores a new observation, or recognises a replay of one already stored.
///
/// The common case, a new report from a phone, is one statement that checks and stores it
/// (`ssr::infra::ingest`, with a group commit on SQLite). Only when nothing was stored does the
/// slow path find out why: a resend, a conflicting id, a bad category, walk or shift. A
/// submission so costs one round trip instead of five.
pub async fn submit(
    state: &AppState,
    reporter: &CurrentUser,
    new: &NewObservation,
) -> Result<(Observation, Stored), AppError> {
    new.validate(&state.config.bounds, Utc::now())?;
    let db = &state.db;
    let hash = content_hash(new);
    if !may(reporter, reported_with(new.kind)) {
        // A resend of something the reporter stored while they still could, is still theirs.
        return match replay(db, reporter, new.id, &hash).await? {
            Some(stored) => Ok((stored, Stored::AlreadyThere)),
            None => Err(AppError::Forbidden),
        };
    }
    store(state, reporter, new, &hash, Attempt::First).await
}

/// Whether a store is the first for a submission, or the one after a race (see
/// [`why_not_stored`]).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Attempt {
    First,
    AfterRace,
}

/// Stores a checked submission of a reporter who may make it.
async fn store(
    state: &AppState,
    reporter: &CurrentUser,
    new: &NewObservation,
    hash: &str,
    attempt: Attempt,
) -> Result<(Observation, Stored), AppError> {
    let observed_at = unix_ms(new.observed_at);
    let inserted = crate::ssr::infra::ingest::insert(
        &state.ingest,
        crate::ssr::infra::ingest::Row {
            id: new.id,
            kind: new.kind,
            category: new.category.clone(),
            note: new.note.trim().to_owned(),
            lat: new.lat,
            lng: new.lng,
            accuracy_m: new.accuracy_m,
            position_source: new.position_source,
            observed_at,
            reporter_id: reporter.id,
            walk_id: new.walk_id,
            shift_id: new.shift_id,
            rating: new.rating,
            time_of_day: new.time_of_day,
            content_hash: hash.to_owned(),
            received_at: now_ms(),
            only_own_walks: !may(reporter, Capability::ReadEveryWalk),
            fallback_id: ObservationId::new(),
        },
    )
    .await?;
    let Some((strategy_area, sensitivity)) = inserted else {
        return why_not_stored(state, reporter, new, hash, attempt).await;
    };
    let sensitivity = Row::of("category", &new.category).code("sensitivity", &sensitivity)?;
    let place = crate::ssr::areas::gazetteer_cached(&state.db, &state.places)
        .await?
        .name_of(LatLng {
            lat: new.lat,
            lng: new.lng,
        })
        .map(str::to_owned);
    // The record as a later read returns it, without reading it back.
    let stored = Observation {
        id: new.id,
        kind: new.kind,
        category: new.category.clone(),
        note: new.note.trim().to_owned(),
        lat: new.lat,
        lng: new.lng,
        accuracy_m: new.accuracy_m,
        position_source: new.position_source,
        // Cut to the millisecond, as stored; the phone's time was checked, so it converts.
        observed_at: crate::domain::clock::from_unix_ms(observed_at).unwrap_or(new.observed_at),
        reporter_id: reporter.id,
        walk_id: new.walk_id,
        shift_id: new.shift_id,
        rating: new.rating,
        time_of_day: new.time_of_day,
        strategy_area,
        sensitivity,
        status: "new".to_owned(),
        photo_ids: Vec::new(),
        place,
    };
    Ok((stored, Stored::Created))
}

/// Why a submission stored nothing: a resend of the same record (its stored form), an id
/// the reporter already used for something else (409), or the category, walk or shift it
/// names.
async fn why_not_stored(
    state: &AppState,
    reporter: &CurrentUser,
    new: &NewObservation,
    hash: &str,
    attempt: Attempt,
) -> Result<(Observation, Stored), AppError> {
    let db = &state.db;
    if let Some(stored) = replay(db, reporter, new.id, hash).await? {
        return Ok((stored, Stored::AlreadyThere));
    }
    // Another reporter's report with the same id was stored in the same statement, so the
    // statement could not see it to choose the fallback id: once more, now it can.
    let taken: Option<UserId> = sqlx::query_scalar("select reporter_id from observation where id = $1")
        .bind(new.id)
        .fetch_optional(&db.pool)
        .await?;
    if attempt == Attempt::First && taken.is_some_and(|owner| owner != reporter.id) {
        return Box::pin(store(state, reporter, new, hash, Attempt::AfterRace)).await;
    }
    let category: Option<CategoryRow> = sqlx::query_as("select kind, retired_at from category where id = $1")
        .bind(&new.category)
        .fetch_optional(&db.pool)
        .await?;
    if !category.is_some_and(|category| category.kind == new.kind.as_str() && category.retired_at.is_none()) {
        return Err(AppError::invalid(
            "category",
            "Okänd kategori för den här sortens observation.",
            "Unknown category for this kind of observation.",
        ));
    }
    if let Some(walk_id) = new.walk_id {
        check_walk(db, reporter, walk_id).await?;
    }
    if let Some(shift_id) = new.shift_id {
        check_shift(db, reporter, shift_id).await?;
    }
    // Everything checks out now: the category, walk or shift changed between the two
    // statements. The phone sends again.
    tracing::warn!(observation = %new.id, "a submission raced a change to what it names");
    Err(AppError::Internal)
}

/// A coordinator files an observation under another strategy area, or moves its
/// follow-up status on. Only coordinators; the record must exist.
pub async fn reclassify(
    db: &Db,
    coordinator: &CurrentUser,
    id: ObservationId,
    change: &crate::domain::observation::Reclassify,
) -> Result<Observation, AppError> {
    require(coordinator, Capability::ReclassifyReports)?;
    change.validate()?;
    let stored = stored_id(db, coordinator, id).await?.ok_or(AppError::NotFound)?;
    let done = sqlx::query(
        "update observation set strategy_area = coalesce($2, strategy_area), status = coalesce($3, status),
             updated_at = $4 where id = $1",
    )
    .bind(stored)
    .bind(change.strategy_area.as_deref())
    .bind(change.status.as_deref())
    .bind(now_ms())
    .execute(&db.pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    find(db, coordinator, id).await?.ok_or(AppError::NotFound)
}

/// The reporter adds a note afterwards (a quick-logged patrol observation, say). The
/// note is appended; the record's identity for replays — what the phone first sent —
/// does not change.
pub async fn add_note(
    db: &Db,
    reporter: &CurrentUser,
    id: ObservationId,
    note: &str,
) -> Result<Observation, AppError> {
    let note = note.trim();
    if note.is_empty() || note.chars().count() > crate::domain::observation::MAX_NOTE_CHARS {
        return Err(AppError::invalid(
            "note",
            "Skriv en anteckning (högst 4 000 tecken).",
            "Write a note (at most 4,000 characters).",
        ));
    }
    let done = sqlx::query(
        "update observation set note = case when note = '' then $3 else note || $5 || $3 end, updated_at = $4
         where client_id = $1 and reporter_id = $2",
    )
    .bind(id)
    .bind(reporter.id)
    .bind(note)
    .bind(now_ms())
    .bind("\n")
    .execute(&db.pool)
    .await?;
    if done.rows_affected() == 0 {
        // Someone else's record, or none: the same answer either way.
        return Err(AppError::NotFound);
    }
    find(db, reporter, id).await?.ok_or(AppError::NotFound)
}

fn conflict() -> AppError {
    AppError::conflict(
        "Du har redan skickat en annan observation med samma id. Den här sparas inte.",
        "You already sent another observation with the same id. This one is not saved.",
    )
}

/// `Some` when the reporter already stored exactly this under the id; something else they
/// stored under it is a conflict. Only the reporter's own reports count: another's
/// report with the same id is none of this submission's business.
async fn replay(
    db: &Db,
    reporter: &CurrentUser,
    id: ObservationId,
    hash: &str,
) -> Result<Option<Observation>, AppError> {
    let existing: Option<String> =
        sqlx::query_scalar("select content_hash from observation where reporter_id = $1 and client_id = $2")
            .bind(reporter.id)
            .bind(id)
            .fetch_optional(&db.pool)
            .await?;
    match existing {
        None => Ok(None),
        Some(stored_hash) if stored_hash == hash => find(db, reporter, id).await,
        Some(_) => Err(conflict()),
    }
}

async fn check_walk(db: &Db, reporter: &CurrentUser, walk_id: WalkId) -> Result<(), AppError> {
    // A closed walk still takes findings: the outbox may deliver them after the end.
    let memberships: Option<i64> = sqlx::query_scalar(
        "select (select count(*) from walk_participant p where p.walk_id = w.id and p.account_id = $2)
         from walk w where w.id = $1",
    )
    .bind(walk_id)
    .bind(reporter.id)
    .fetch_optional(&db.pool)
    .await?;
    let unknown = || AppError::invalid("walk_id", "Vandringen finns inte.", "The walk does not exist.");
    let memberships = memberships.ok_or_else(unknown)?;
    if memberships == 0 && !may(reporter, Capability::ReadEveryWalk) {
        return Err(unknown());
    }
    Ok(())
}

async fn check_shift(db: &Db, reporter: &CurrentUser, shift_id: ShiftId) -> Result<(), AppError> {
    let owner: Option<UserId> = sqlx::query_scalar("select volunteer_id from shift where id = $1")
        .bind(shift_id)
        .fetch_optional(&db.pool)
        .await?;
    match owner {
        Some(owner) if owner == reporter.id => Ok(()),
        _ => Err(AppError::invalid(
            "shift_id",
            "Passet finns inte.",
            "The shift does not exist.",
        )),
    }
}

/// What to list; empty fields do not filter.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub walk_id: Option<WalkId>,
    pub shift_id: Option<ShiftId>,
    pub kind: Option<Kind>,
    pub since_ms: Option<i64>,
    /// Made before this time (unix ms).
    pub until_ms: Option<i64>,
    /// Received by the server at or before this time (unix ms).
    pub received_by_ms: Option<i64>,
    pub category: Option<String>,
    pub strategy_area: Option<String>,
}

/// The observation `viewer` calls `id` (see [`PUBLIC_ID`]), if they may see it; their
/// own first, should one they may read be called the same by someone else.
pub async fn find(db: &Db, viewer: &CurrentUser, id: ObservationId) -> Result<Option<Observation>, AppError> {
    Ok(found(db, viewer, id).await?.map(|(_, observation)| observation))
}

/// The id the observation `viewer` calls `id` is stored under, if they may see it: what
/// a change to it, or a record pointing at it, must use.
pub async fn stored_id(
    db: &Db,
    viewer: &CurrentUser,
    id: ObservationId,
) -> Result<Option<ObservationId>, AppError> {
    Ok(found(db, viewer, id).await?.map(|(stored, _)| stored))
}

/// [`find`] with the stored id.
pub async fn found(
    db: &Db,
    viewer: &CurrentUser,
    id: ObservationId,
) -> Result<Option<(ObservationId, Observation)>, AppError> {
    Ok(query(db, viewer, Some(id), &Filter::default())
        .await?
        .into_iter()
        .next())
}

pub async fn list(db: &Db, viewer: &CurrentUser, filter: &Filter) -> Result<Vec<Observation>, AppError> {
    Ok(query(db, viewer, None, filter)
        .await?
        .into_iter()
        .map(|(_, observation)| observation)
        .collect())
}

/// How many reports the viewer may see, made at or after `since_ms` (unix ms) and
/// nobody has handled yet (status "new"): a count for Att göra, without the records.
pub async fn count_new_since(db: &Db, viewer: &CurrentUser, since_ms: i64) -> Result<usize, AppError> {
    let sql = format!(
        "select count(*) from observation o where {VISIBLE} and o.status = 'new' and o.observed_at >= $4"
    );
    let (everything, viewer_id, internal) = visibility(viewer);
    let count: i64 = sqlx::query_scalar(&sql)
        .bind(everything)
        .bind(viewer_id)
        .bind(internal)
        .bind(since_ms)
        .fetch_one(&db.pool)
        .await?;
    Ok(usize::try_from(count).unwrap_or(0))
}

table_row! {
    struct ObservationRow from "observation" by "stored_id" {
        stored_id: ObservationId,
        id: ObservationId,
        kind: Kind,
        category_id: String,
        note: String,
        lat: f64,
        lng: f64,
        accuracy_m: Option<f64>,
        position_source: PositionSource,
        observed_at: Millis,
        reporter_id: UserId,
        walk_id: Option<WalkId>,
        shift_id: Option<ShiftId>,
        rating: Option<i64>,
        time_of_day: Option<TimeOfDay>,
        strategy_area: String,
        sensitivity: Sensitivity,
        status: String,
        photo_id: Option<PhotoId>,
    }
}

/// The observations the viewer may see that match, each with the id it is stored under.
async fn query(
    db: &Db,
    viewer: &CurrentUser,
    id: Option<ObservationId>,
    filter: &Filter,
) -> Result<Vec<(ObservationId, Observation)>, AppError> {
    // One row per photo (or one without): the photos come with the records in a single
    // query instead of one more query per record. A photo's id, like its report's, is
    // the phone's own for the report's reporter (`photos`).
    let sql = format!(
        "select o.id as stored_id, {PUBLIC_ID} as id, o.kind, o.category_id, o.note, o.lat, o.lng,
                o.accuracy_m, o.position_source, o.observed_at, o.reporter_id, o.walk_id, o.shift_id,
                o.rating, o.time_of_day, o.strategy_area, o.sensitivity, o.status,
                case when o.reporter_id = $2 then p.client_id else p.id end as photo_id
         from observation o
         left join photo p on p.observation_id = o.id
         where {VISIBLE}
           and ($4 is null or (o.reporter_id = $2 and o.client_id = $4) or (o.reporter_id <> $2 and o.id = $4))
           and ($5 is null or o.walk_id = $5)
           and ($6 is null or o.shift_id = $6)
           and ($7 is null or o.kind = $7)
           and o.observed_at >= $8
           and o.observed_at < $9
           and o.created_at <= $10
           and ($11 = '' or o.category_id = $11)
           and ($12 = '' or o.strategy_area = $12)
         order by case when $4 is not null and o.reporter_id = $2 then 0 else 1 end,
                  o.observed_at, o.id, p.created_at, p.id"
    );
    let (everything, viewer_id, internal) = visibility(viewer);
    let rows: Vec<ObservationRow> = sqlx::query_as(&sql)
        .bind(everything)
        .bind(viewer_id)
        .bind(internal)
        .bind(id)
        .bind(filter.walk_id)
        .bind(filter.shift_id)
        .bind(filter.kind)
        .bind(filter.since_ms.unwrap_or(i64::MIN))
        .bind(filter.until_ms.unwrap_or(i64::MAX))
        .bind(filter.received_by_ms.unwrap_or(i64::MAX))
        .bind(filter.category.clone().unwrap_or_default())
        .bind(filter.strategy_area.clone().unwrap_or_default())
        .fetch_all(&db.pool)
        .await?;
    let mut observations: Vec<(ObservationId, Observation)> = Vec::with_capacity(rows.len());
    for row in rows {
        match observations.last_mut() {
            // Rows of one observation are adjacent (ordered by stored id within a time).
            Some((last, observation)) if *last == row.stored_id => observation.photo_ids.extend(row.photo_id),
            _ => observations.push((row.stored_id, row.into_observation())),
        }
    }
    if !observations.is_empty() {
        let places = crate::ssr::areas::gazetteer(db).await?;
        for (_, observation) in &mut observations {
            observation.place = places
                .name_of(LatLng {
                    lat: observation.lat,
                    lng: observation.lng,
                })
                .map(str::to_owned);
        }
    }
    Ok(observations)
}

/// A record shown to a viewer, as the restricted-read log needs it.
pub struct Shown {
    pub id: ObservationId,
    pub sensitivity: Sensitivity,
    pub reporter_id: UserId,
}

impl From<&Observation> for Shown {
    fn from(observation: &Observation) -> Shown {
        Shown {
            id: observation.id,
            sensitivity: observation.sensitivity,
            reporter_id: observation.reporter_id,
        }
    }
}

/// Logs a read of restricted records (drug-scene reports) by anyone but their reporter
/// (brottsdatalagen asks for a log of who read what): the record's id for a single read,
/// the number and the first ids for a list. Called where records leave for a client (the
/// REST reads, Karta, exports, photos), after every filter, so the log names what was
/// shown; internal reads (a check before a write, the shift page's own selection) are not
/// reads by a person. Written before the records leave, so none is served unlogged.
pub async fn record_reads(
    db: &Db,
    viewer: &CurrentUser,
    single: Option<ObservationId>,
    shown: impl IntoIterator<Item = Shown>,
) -> Result<(), AppError> {
    let read: Vec<String> = shown
        .into_iter()
        .filter(|o| o.sensitivity == Sensitivity::Restricted && o.reporter_id != viewer.id)
        .map(|o| o.id.to_string())
        .collect();
    if read.is_empty() {
        return Ok(());
    }
    let subject = match single {
        Some(id) => id.to_string(),
        None => format!("{} st", read.len()),
    };
    // The log keeps 300 characters: the first eight ids, and how many more.
    let detail = match single {
        Some(_) => String::new(),
        None if read.len() > 8 => format!("{} … (+{})", read[..8].join(" "), read.len() - 8),
        None => read.join(" "),
    };
    crate::ssr::infra::audit::record(&db.pool, viewer, AuditAction::RestrictedRead, &subject, &detail).await
}

impl ObservationRow {
    /// The observation as the viewer knows it (its id theirs, see [`PUBLIC_ID`]), its first
    /// photo on it; the place is named after.
    fn into_observation(self) -> Observation {
        Observation {
            id: self.id,
            kind: self.kind,
            category: self.category_id,
            note: self.note,
            lat: self.lat,
            lng: self.lng,
            accuracy_m: self.accuracy_m,
            position_source: self.position_source,
            observed_at: self.observed_at.0,
            reporter_id: self.reporter_id,
            walk_id: self.walk_id,
            shift_id: self.shift_id,
            rating: self.rating,
            time_of_day: self.time_of_day,
            strategy_area: self.strategy_area,
            sensitivity: self.sensitivity,
            status: self.status,
            photo_ids: self.photo_id.into_iter().collect(),
            place: None,
        }
    }
}

/// The submitted content in a stable form: serde writes the fields in declaration order.
fn content_hash(new: &NewObservation) -> String {
    let canonical = serde_json::to_vec(new).unwrap_or_default();
    hex(&Sha256::digest(canonical))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

pub use crate::domain::clock::unix_ms;
