//! Photos attached to observations: made on the phone, processed by [`crate::photo`],
//! stored in the database so every instance and every backup has them.
//!
//! At most [`PHOTO_WORKERS`] are processed at once: more uploads queue instead of adding
//! up in memory. Peak memory is in docs/performance.md.

use base64::Engine;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::db::{is_unique_violation, now_ms, Db};
use super::decode::Row;
use super::observations::{self, hex, Shown};
use crate::domain::access::{may, Capability};
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::photo::process;

/// Photos processed at the same time (each may hold up to [`crate::photo::MAX_DECODED_BYTES`]).
pub const PHOTO_WORKERS: usize = 2;
static PHOTO_POOL: std::sync::LazyLock<tokio::sync::Semaphore> =
    std::sync::LazyLock::new(|| tokio::sync::Semaphore::new(PHOTO_WORKERS));

/// Attaches a photo to an observation. The photo id is made on the phone, so a resend
/// of the same photo is recognised and stored once.
pub async fn attach(
    db: &Db,
    uploader: &CurrentUser,
    observation_id: Uuid,
    photo_id: Uuid,
    upload: Vec<u8>,
) -> Result<Uuid, AppError> {
    let observation = observations::find(db, uploader, observation_id)
        .await?
        .ok_or(AppError::NotFound)?;
    // Those who follow reports up may add a picture to someone else's.
    let may_attach = observation.reporter_id == uploader.id.0 || may(uploader, Capability::FollowUp);
    if !may_attach {
        return Err(AppError::Forbidden);
    }
    let hash = hex(&Sha256::digest(&upload));
    if let Some(existing) = existing(db, photo_id).await? {
        return same_photo(existing, observation_id, &hash).map(|()| photo_id);
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
        "insert into photo (id, observation_id, content_type, width, height, data, content_hash, created_at, updated_at)
         values ($1, $2, 'image/jpeg', $3, $4, $5, $6, $7, $7)",
    )
    .bind(photo_id.to_string())
    .bind(observation_id.to_string())
    .bind(i64::from(processed.width))
    .bind(i64::from(processed.height))
    .bind(base64::engine::general_purpose::STANDARD.encode(&processed.jpeg))
    .bind(&hash)
    .bind(now)
    .execute(&db.pool)
    .await;
    match inserted {
        Ok(_) => Ok(photo_id),
        Err(err) if is_unique_violation(&err) => match existing(db, photo_id).await? {
            Some(existing) => same_photo(existing, observation_id, &hash).map(|()| photo_id),
            None => Err(AppError::Internal),
        },
        Err(err) => Err(err.into()),
    }
}

async fn existing(db: &Db, photo_id: Uuid) -> Result<Option<(String, String)>, AppError> {
    Ok(
        sqlx::query_as("select observation_id, content_hash from photo where id = $1")
            .bind(photo_id.to_string())
            .fetch_optional(&db.pool)
            .await?,
    )
}

fn same_photo(existing: (String, String), observation_id: Uuid, hash: &str) -> Result<(), AppError> {
    if existing.0 == observation_id.to_string() && existing.1 == hash {
        Ok(())
    } else {
        Err(AppError::conflict(
            "En annan bild med samma id finns redan.",
            "Another photo with the same id already exists.",
        ))
    }
}

/// The stored JPEG, for a viewer allowed to see its observation.
pub async fn load(db: &Db, viewer: &CurrentUser, photo_id: Uuid) -> Result<Vec<u8>, AppError> {
    let row: Option<(String, String)> =
        sqlx::query_as("select observation_id, data from photo where id = $1")
            .bind(photo_id.to_string())
            .fetch_optional(&db.pool)
            .await?;
    let (observation_id, data) = row.ok_or(AppError::NotFound)?;
    let observation_id = Row::of("photo", &photo_id.to_string()).uuid("observation_id", &observation_id)?;
    // Not allowed to see the observation: the photo does not exist for this viewer.
    let observation = observations::find(db, viewer, observation_id)
        .await?
        .ok_or(AppError::NotFound)?;
    observations::record_reads(db, viewer, Some(observation_id), [Shown::from(&observation)]).await?;
    base64::engine::general_purpose::STANDARD
        .decode(data)
        .map_err(|_| AppError::Internal)
}
