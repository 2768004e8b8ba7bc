//! Any upload either becomes a clean JPEG within the size limit or is refused with a
//! client error: never a panic, never an internal error, never a picture larger than
//! `MAX_SIDE`.
#![no_main]

use app::error::AppError;
use app::photo::{process, MAX_SIDE};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|upload: &[u8]| {
    match process(upload) {
        Ok(photo) => {
            assert!(photo.width <= MAX_SIDE && photo.height <= MAX_SIDE);
            assert!(photo.width > 0 && photo.height > 0);
            assert!(photo.jpeg.starts_with(&[0xFF, 0xD8]), "the result is a JPEG");
        }
        Err(AppError::PayloadTooLarge | AppError::UnsupportedMedia | AppError::Invalid { .. }) => {}
        Err(other) => panic!("an upload gave {other:?}"),
    }
});
