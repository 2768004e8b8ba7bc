//! Photos as they are kept: checked by content, decoded with limits, shrunk to at most
//! 2048 px, turned upright and re-encoded as JPEG, which leaves every piece of metadata
//! (EXIF GPS included) behind. No database and no web types: the server stores what this
//! makes (`ssr::reports::photos`), and the `photo` fuzz target feeds it any bytes at all.
//!
//! Decoding is the one thing a small upload can make expensive (a 140 KB PNG can claim
//! 12 000 × 12 000 pixels), so pictures are refused by pixel count before any pixel is
//! decoded.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use crate::error::AppError;

pub const MAX_PHOTO_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_SIDE: u32 = 2048;
/// Larger pictures than any phone takes are refused before they are decoded: 50
/// megapixels covers the full-resolution mode of today's 48–50 MP phone cameras.
const MAX_PIXELS: u64 = 50_000_000;
const MAX_DECODED_SIDE: u32 = 12_000;
/// 50 MP in RGB; the decoder may not allocate more for one picture.
pub const MAX_DECODED_BYTES: u64 = 150 * 1024 * 1024;
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
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(AppError::invalid(
            "photo",
            "Bilden har för många pixlar (högst 50 megapixel). Ta bilden med kamerans vanliga inställning.",
            "The picture has too many pixels (at most 50 megapixels). Take it with the camera's usual setting.",
        ));
    }
    // into_decoder checks the sides but not the memory the pixels will take.
    if decoder.total_bytes() > MAX_DECODED_BYTES {
        return Err(unreadable());
    }
    let orientation = decoder.orientation().map_err(|_| unreadable())?;
    let mut picture = DynamicImage::from_decoder(decoder).map_err(|_| unreadable())?;
    if picture.width() > MAX_SIDE || picture.height() > MAX_SIDE {
        // Area averaging straight into the small picture: no full-size float copy, as a
        // filtered resize would make (16 bytes a pixel, several hundred MB for 48 MP).
        picture = picture.thumbnail(MAX_SIDE, MAX_SIDE);
    }
    // Turned after shrinking: the bound is square, and turning a small picture is cheap.
    picture.apply_orientation(orientation);
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
    fn a_picture_claiming_more_pixels_than_a_phone_takes_is_refused_before_decoding() {
        // 12 000 × 12 000 grey: a file of a few bytes that would decode to 144 MB.
        let png = png_claiming(12_000, 12_000);
        let started = std::time::Instant::now();
        let refused = process(&png).err();
        assert!(
            matches!(&refused, Some(AppError::Invalid { field, .. }) if field == "photo"),
            "{refused:?}"
        );
        assert!(
            started.elapsed() < std::time::Duration::from_secs(1),
            "refused without decoding"
        );
    }

    /// A PNG whose header claims `width` × `height` grey pixels; only the header is real.
    fn png_claiming(width: u32, height: u32) -> Vec<u8> {
        fn crc32(bytes: &[u8]) -> u32 {
            let mut crc = !0u32;
            for &byte in bytes {
                crc ^= u32::from(byte);
                for _ in 0..8 {
                    crc = if crc & 1 == 1 {
                        (crc >> 1) ^ 0xEDB8_8320
                    } else {
                        crc >> 1
                    };
                }
            }
            !crc
        }
        fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
            png.extend_from_slice(&(data.len() as u32).to_be_bytes());
            let start = png.len();
            png.extend_from_slice(kind);
            png.extend_from_slice(data);
            let crc = crc32(&png[start..]);
            png.extend_from_slice(&crc.to_be_bytes());
        }
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut header = Vec::new();
        header.extend_from_slice(&width.to_be_bytes());
        header.extend_from_slice(&height.to_be_bytes());
        header.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit grey, deflate, no interlace
        chunk(&mut png, b"IHDR", &header);
        chunk(
            &mut png,
            b"IDAT",
            &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
        );
        chunk(&mut png, b"IEND", &[]);
        png
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
