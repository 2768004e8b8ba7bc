//! Points from a CSV of any origin (`tryggkarta hotspots`, an analyst's export): a header
//! naming `lat` and `lng` (also `latitude`, `lon`, `long`, `longitude`) in any order, other
//! columns ignored. Any bytes at all give points on the Earth or an error, never a panic
//! (the `hotspot_csv` fuzz target).

use std::io::{Read, Write};

/// Why a CSV gave no points. The messages are the CLI's, in Swedish.
#[derive(Debug, thiserror::Error)]
pub enum PointsError {
    #[error("CSV-filen saknar rubrikrad: {0}")]
    NoHeader(csv::Error),
    #[error("CSV-filen måste ha kolumnerna lat och lng (hittade: {found})")]
    NoColumns { found: String },
    #[error("rad {line}: {reason}")]
    Row { line: u64, reason: String },
    #[error("kunde inte skriva varningen: {0}")]
    Warning(#[from] std::io::Error),
}

/// Reads every row. A malformed row stops the read when `strict`, and otherwise goes to
/// `warnings` with its line and is skipped.
pub fn read(
    input: impl Read,
    strict: bool,
    warnings: &mut impl Write,
) -> Result<Vec<(f64, f64)>, PointsError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(input);
    let headers = reader.headers().map_err(PointsError::NoHeader)?.clone();
    let column = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
    };
    let (Some(lat), Some(lng)) = (
        column(&["lat", "latitude"]),
        column(&["lng", "lon", "long", "longitude"]),
    ) else {
        return Err(PointsError::NoColumns {
            found: headers.iter().collect::<Vec<_>>().join(", "),
        });
    };
    let mut points = Vec::new();
    // Byte records: no UTF-8 check or allocation per row, which matters at a million rows.
    let mut record = csv::ByteRecord::new();
    loop {
        let line = reader.position().line();
        let parsed = match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => point(&record, lat, lng),
            Err(err) => Err(err.to_string()),
        };
        match parsed {
            Ok(point) => points.push(point),
            Err(reason) if strict => return Err(PointsError::Row { line, reason }),
            Err(reason) => writeln!(warnings, "rad {line} hoppas över: {reason}")?,
        }
    }
    Ok(points)
}

fn point(record: &csv::ByteRecord, lat: usize, lng: usize) -> Result<(f64, f64), String> {
    let number = |index: usize, name: &str| {
        let missing = || format!("{name} saknas eller är inte ett tal");
        let text = std::str::from_utf8(record.get(index).ok_or_else(missing)?).map_err(|_| missing())?;
        let value = if text.contains(',') {
            text.replace(',', ".").parse::<f64>()
        } else {
            text.parse::<f64>()
        };
        value.ok().filter(|v| v.is_finite()).ok_or_else(missing)
    };
    let (lat, lng) = (number(lat, "lat")?, number(lng, "lng")?);
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lng) {
        return Err(format!("positionen {lat}, {lng} finns inte på jorden"));
    }
    Ok((lat, lng))
}
