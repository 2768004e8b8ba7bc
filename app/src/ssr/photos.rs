//! Photos: checked by content, decoded with limits, turned upright, shrunk to at most
//! 2048 px and re-encoded as JPEG, which leaves every piece of metadata (EXIF GPS
//! included) behind. Stored in the database so every instance and every backup has them.

use std::io::Cursor;

use base64::Engine;
use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::db::{is_unique_violation, now_ms, Db};
use super::observations::{self, hex};
use crate::domain::role::Role;
use crate::domain::user::CurrentUser;
use crate::error::AppError;

pub const MAX_PHOTO_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_SIDE: u32 = 2048;
/// Larger pictures than any phone takes are refused before they are decoded.
const MAX_DECODED_SIDE: u32 = 12_000;
const MAX_DECODED_BYTES: u64 = 256 * 1024 * 1024;
const JPEG_QUALITY: u8 = 82;

pub struct Processed {
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Turns an upload into a clean JPEG, or says why it cannot.
pub fn process(upload: &[u8]) -> Result<Processed, AppError> {
    if upload.len() > MAX_PHOTO_BYTES {
        return Err(AppError::PayloadTooLarge);
    }
    let mut reader = ImageReader::new(Cursor::new(upload))
        .with_guessed_format()
        .map_err(|_| AppError::UnsupportedMedia)?;
    if !matches!(
        reader.format(),
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)
    ) {
        return Err(AppError::UnsupportedMedia);
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DECODED_SIDE);
    limits.max_image_height = Some(MAX_DECODED_SIDE);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    reader.limits(limits);
    let unreadable = || {
        AppError::invalid(
            "photo",
            "Bilden kunde inte läsas. Den kan vara skadad eller för stor.",
            "The picture could not be read. It may be damaged or too large.",
        )
    };
    let mut decoder = reader.into_decoder().map_err(|_| unreadable())?;
    // into_decoder checks the sides but not the memory the pixels will take.
    if decoder.total_bytes() > MAX_DECODED_BYTES {
        return Err(unreadable());
    }
    let orientation = decoder.orientation().map_err(|_| unreadable())?;
    let mut picture = DynamicImage::from_decoder(decoder).map_err(|_| unreadable())?;
    picture.apply_orientation(orientation);
    if picture.width() > MAX_SIDE || picture.height() > MAX_SIDE {
        picture = picture.resize(MAX_SIDE, MAX_SIDE, FilterType::Triangle);
    }
    let mut jpeg = Vec::new();
    picture
        .write_with_encoder(JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY))
        .map_err(|err| {
            tracing::error!(error = %err, "jpeg encoding failed");
            AppError::Internal
        })?;
    Ok(Processed {
        jpeg,
        width: picture.width(),
        height: picture.height(),
    })
}

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
    let may_attach =
        observation.reporter_id == uploader.id.0 || matches!(uploader.role, Role::Coordinator | Role::Police);
    if !may_attach {
        return Err(AppError::Forbidden);
    }
    let hash = hex(&Sha256::digest(&upload));
    if let Some(existing) = existing(db, photo_id).await? {
        return same_photo(existing, observation_id, &hash).map(|()| photo_id);
    }
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
    let observation_id = Uuid::parse_str(&observation_id).map_err(|_| AppError::Internal)?;
    // Not allowed to see the observation: the photo does not exist for this viewer.
    observations::find(db, viewer, observation_id)
        .await?
        .ok_or(AppError::NotFound)?;
    base64::engine::general_purpose::STANDARD
        .decode(data)
        .map_err(|_| AppError::Internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_pretending_to_be_a_jpeg_is_refused() {
        assert_eq!(
            process(b"not an image at all").err(),
            Some(AppError::UnsupportedMedia)
        );
    }

    #[test]
    fn a_large_picture_is_shrunk_to_2048_px_keeping_its_shape() {
        let mut png = Vec::new();
        image::RgbImage::new(4000, 1000)
            .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        let processed = process(&png).unwrap();
        assert_eq!((processed.width, processed.height), (2048, 512));
        assert_eq!(&processed.jpeg[..2], &[0xFF, 0xD8], "stored as JPEG");
    }
}
