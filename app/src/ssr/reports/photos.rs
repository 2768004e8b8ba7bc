//! Photos attached to observations: made on the phone, processed by [`crate::photo`],
//! stored in the database so every instance and every backup has them.
//!
//! At most [`PHOTO_WORKERS`] are processed at once: more uploads queue instead of adding
//! up in memory. Peak memory is in docs/performance.md.

use base64::Engine;
use sha2::{Digest, Sha256};

use crate::domain::access::{may, Capability};
use crate::domain::ids::{ObservationId, PhotoId, UserId};
use crate::domain::observation::Sensitivity;
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::photo::process;
use crate::ssr::infra::db::{is_unique_violation, now_ms, Db};
use crate::ssr::infra::decode::{table_row, Row};
use crate::ssr::reports::observations::{self, hex, visibility, Shown, PUBLIC_ID, VISIBLE};

/// Photos processed at the same time (each may hold up to [`crate::photo::MAX_DECODED_BYTES`]).
pub const PHOTO_WORKERS: usize = 2;
static PHOTO_POOL: std::sync::LazyLock<tokio::sync::Semaphore> =
    std::sync::LazyLock::new(|| tokio::sync::Semaphore::new(PHOTO_WORKERS));

/// Attaches a photo to an observation. The photo id is made on the phone, so a resend
/// of the same photo to the same observation is recognised and stored once. Like a
/// report's, it is the key of that observation's photos only: an id already taken by
/// another photo is stored under an id of the server's, and the answer is the same as
/// for a fresh id (see `observations`).
pub async fn attach(
    db: &Db,
    uploader: &CurrentUser,
    observation_id: ObservationId,
    photo_id: PhotoId,
    upload: Vec<u8>,
) -> Result<PhotoId, AppError> {
    let (stored_observation, observation) = observations::found(db, uploader, observation_id)
        .await?
        .ok_or(AppError::NotFound)?;
    // Those who follow reports up may add a picture to someone else's.
    let may_attach = observation.reporter_id == uploader.id || may(uploader, Capability::FollowUp);
    if !may_attach {
        return Err(AppError::Forbidden);
    }
    let hash = hex(&Sha256::digest(&upload));
    if let Some(existing) = existing(db, stored_observation, photo_id).await? {
        return same_photo(&existing, &hash).map(|()| photo_id);
    }
    let _worker = PHOTO_POOL.acquire().await.map_err(|_| AppError::Internal)?;
    let processed = tokio::task::spawn_blocking(move || process(&upload))
        .await
        .map_err(|err| {
            tracing::error!(error = %err, "photo processing task failed");
            AppError::Internal
        })??;
    let now = now_ms();
    let inserted = sqlx::query(
        "insert into photo (id, client_id, observation_id, content_type, width, height, data, content_hash,
             created_at, updated_at)
         select case when exists (select 1 from photo x where x.id = $1) then $8 else $1 end,
             $1, $2, 'image/jpeg', $3, $4, $5, $6, $7, $7",
    )
    .bind(photo_id)
    .bind(stored_observation)
    .bind(i64::from(processed.width))
    .bind(i64::from(processed.height))
    .bind(base64::engine::general_purpose::STANDARD.encode(&processed.jpeg))
    .bind(&hash)
    .bind(now)
    .bind(PhotoId::new())
    .execute(&db.pool)
    .await;
    match inserted {
        Ok(_) => Ok(photo_id),
        // The same photo sent twice at once, or an id another photo took in the meantime.
        Err(err) if is_unique_violation(&err) => match existing(db, stored_observation, photo_id).await? {
            Some(existing) => same_photo(&existing, &hash).map(|()| photo_id),
            None => Err(AppError::conflict(
                "Bilden kunde inte sparas just nu. Telefonen skickar den igen.",
                "The photo could not be saved just now. The phone sends it again.",
            )),
        },
        Err(err) => Err(err.into()),
    }
}

/// The content hash of the observation's photo with this id of the phone's, if any.
async fn existing(
    db: &Db,
    observation: ObservationId,
    photo_id: PhotoId,
) -> Result<Option<String>, AppError> {
    Ok(
        sqlx::query_scalar("select content_hash from photo where observation_id = $1 and client_id = $2")
            .bind(observation)
            .bind(photo_id)
            .fetch_optional(&db.pool)
            .await?,
    )
}

fn same_photo(existing: &str, hash: &str) -> Result<(), AppError> {
    if existing == hash {
        Ok(())
    } else {
        Err(AppError::conflict(
            "Den här rapporten har redan en annan bild med samma id.",
            "This report already has another photo with the same id.",
        ))
    }
}

/// The stored JPEG, for a viewer allowed to see its observation.
/// The photo's id is the viewer's name for it, as their reports list it: the phone's own
/// on their own reports, the stored one on others' (`observations::PUBLIC_ID`).
pub async fn load(db: &Db, viewer: &CurrentUser, photo_id: PhotoId) -> Result<Vec<u8>, AppError> {
    // Not allowed to see the observation: the photo does not exist for this viewer.
    let sql = format!(
        "select p.id, p.data, {PUBLIC_ID} as observation_id, o.sensitivity, o.reporter_id
         from photo p join observation o on o.id = p.observation_id
         where {VISIBLE}
           and ((o.reporter_id = $2 and p.client_id = $4) or (o.reporter_id <> $2 and p.id = $4))
         order by case when o.reporter_id = $2 then 0 else 1 end
         limit 1"
    );
    let (everything, viewer_id, internal) = visibility(viewer);
    let row: Option<PhotoRow> = sqlx::query_as(&sql)
        .bind(everything)
        .bind(viewer_id)
        .bind(internal)
        .bind(photo_id)
        .fetch_optional(&db.pool)
        .await?;
    let photo = row.ok_or(AppError::NotFound)?;
    let shown = Shown {
        id: photo.observation_id,
        sensitivity: photo.sensitivity,
        reporter_id: photo.reporter_id,
    };
    observations::record_reads(db, viewer, Some(shown.id), [shown]).await?;
    base64::engine::general_purpose::STANDARD
        .decode(photo.data)
        .map_err(|_| Row::of("photo", &photo.id.to_string()).corrupt("data"))
}

table_row! {
    /// A stored photo with what deciding who may see it needs.
    struct PhotoRow from "photo" by "id" {
        id: PhotoId,
        data: String,
        observation_id: ObservationId,
        sensitivity: Sensitivity,
        reporter_id: UserId,
    }
}
