//! `tryggkarta hotspots`: Gi* hotspots for any CSV of points, so analysts can run the
//! engine on any export, not only Tryggkarta's own data.

use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context};
use geo::MultiPolygon;
use hotspot::grid::{self, CellHotspot};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Geojson,
}

pub struct Options<'a> {
    pub input: &'a Path,
    pub area: Option<&'a Path>,
    pub resolution: u8,
    pub k: u32,
    pub format: Format,
    pub strict: bool,
}

/// Reads, analyses and writes to `out`; malformed rows go to `warnings` with their line.
pub fn run(options: &Options, out: &mut impl Write, warnings: &mut impl Write) -> anyhow::Result<()> {
    let resolution = grid::resolution(options.resolution)?;
    let points = read_points(options.input, options.strict, warnings)?;
    let area = options.area.map(read_area).transpose()?;
    let cells = grid::hotspots(&points, area.as_ref(), resolution, options.k)?;
    match options.format {
        Format::Csv => write_csv(&cells, out),
        Format::Geojson => write_geojson(&cells, out),
    }
}

fn read_points(path: &Path, strict: bool, warnings: &mut impl Write) -> anyhow::Result<Vec<(f64, f64)>> {
    let file = std::fs::File::open(path).with_context(|| format!("kunde inte läsa {}", path.display()))?;
    Ok(hotspot::points::read(
        std::io::BufReader::new(file),
        strict,
        warnings,
    )?)
}

/// The study area: a GeoJSON Polygon or MultiPolygon, bare or in a Feature or a
/// FeatureCollection (all its polygons).
fn read_area(path: &Path) -> anyhow::Result<MultiPolygon<f64>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("kunde inte läsa {}", path.display()))?;
    let geojson: geojson::GeoJson = text.parse().context("området är inte giltig GeoJSON")?;
    let geometries: Vec<geojson::Geometry> = match geojson {
        geojson::GeoJson::Geometry(geometry) => vec![geometry],
        geojson::GeoJson::Feature(feature) => feature.geometry.into_iter().collect(),
        geojson::GeoJson::FeatureCollection(collection) => collection
            .features
            .into_iter()
            .filter_map(|feature| feature.geometry)
            .collect(),
    };
    let mut polygons = Vec::new();
    for geometry in geometries {
        match geo::Geometry::<f64>::try_from(geometry).context("området kunde inte läsas som geometri")? {
            geo::Geometry::Polygon(polygon) => polygons.push(polygon),
            geo::Geometry::MultiPolygon(many) => polygons.extend(many),
            _ => bail!("området måste vara en Polygon eller MultiPolygon"),
        }
    }
    if polygons.is_empty() {
        bail!("området innehåller ingen polygon");
    }
    Ok(MultiPolygon::new(polygons))
}

fn class_name(cell: &CellHotspot) -> &'static str {
    use hotspot::GiClass::*;
    match cell.gi.class {
        Hot99 => "hot_99",
        Hot95 => "hot_95",
        Hot90 => "hot_90",
        NotSignificant => "not_significant",
        Cold90 => "cold_90",
        Cold95 => "cold_95",
        Cold99 => "cold_99",
    }
}

fn write_csv(cells: &[CellHotspot], out: &mut impl Write) -> anyhow::Result<()> {
    writeln!(out, "h3,count,z,p,p_fdr,class")?;
    for cell in cells {
        writeln!(
            out,
            "{},{},{},{},{},{}",
            cell.cell,
            cell.count,
            cell.gi.z,
            cell.gi.p,
            cell.gi.p_fdr,
            class_name(cell)
        )?;
    }
    Ok(())
}

fn write_geojson(cells: &[CellHotspot], out: &mut impl Write) -> anyhow::Result<()> {
    let features: Vec<serde_json::Value> = cells
        .iter()
        .map(|cell| {
            let mut ring: Vec<[f64; 2]> = cell.cell.boundary().iter().map(|v| [v.lng(), v.lat()]).collect();
            if let Some(&first) = ring.first() {
                ring.push(first);
            }
            serde_json::json!({
                "type": "Feature",
                "geometry": { "type": "Polygon", "coordinates": [ring] },
                "properties": {
                    "h3": cell.cell.to_string(), "count": cell.count, "z": cell.gi.z, "p": cell.gi.p,
                    "p_fdr": cell.gi.p_fdr, "class": class_name(cell), "gi_bin": cell.gi.class.bin(),
                },
            })
        })
        .collect();
    serde_json::to_writer(
        &mut *out,
        &serde_json::json!({ "type": "FeatureCollection", "features": features }),
    )?;
    writeln!(out)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_on(csv: &str, strict: bool, format: Format) -> (anyhow::Result<()>, String, String) {
        let dir = std::env::temp_dir().join(format!("tk-hotspots-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let input = dir.join("points.csv");
        std::fs::write(&input, csv).unwrap();
        let (mut out, mut warnings) = (Vec::new(), Vec::new());
        let options = Options {
            input: &input,
            area: None,
            resolution: 9,
            k: 1,
            format,
            strict,
        };
        let result = run(&options, &mut out, &mut warnings);
        std::fs::remove_dir_all(&dir).ok();
        (
            result,
            String::from_utf8(out).unwrap(),
            String::from_utf8(warnings).unwrap(),
        )
    }

    #[test]
    fn malformed_rows_are_reported_by_line_and_skipped_or_stop_the_run() {
        let csv = "id,lng,lat,category\n1,17.64,59.52,x\n2,17.65,inte-ett-tal,y\n3,17.66,59.53,z\n";
        let (result, out, warnings) = run_on(csv, false, Format::Csv);
        result.unwrap();
        assert!(warnings.contains("rad 3"), "{warnings}");
        assert!(out.starts_with("h3,count,z,p,p_fdr,class\n"));
        let counted: u32 = out
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(1).unwrap().parse::<u32>().unwrap())
            .sum();
        assert_eq!(counted, 2, "the two good rows are counted");

        let (strict, _, _) = run_on(csv, true, Format::Csv);
        assert!(strict.unwrap_err().to_string().contains("rad 3"));
    }

    #[test]
    fn geojson_output_has_one_closed_hexagon_per_cell() {
        let (result, out, _) = run_on("lat,lng\n59.52,17.64\n59.53,17.66\n", false, Format::Geojson);
        result.unwrap();
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        let features = doc["features"].as_array().unwrap();
        assert!(!features.is_empty());
        let ring = features[0]["geometry"]["coordinates"][0].as_array().unwrap();
        assert_eq!(ring.first(), ring.last());
        assert!(features[0]["properties"]["h3"]
            .as_str()
            .unwrap()
            .starts_with("89"));
    }

    #[test]
    fn a_file_without_lat_and_lng_says_which_columns_it_found() {
        let (result, _, _) = run_on("x,y\n1,2\n", false, Format::Csv);
        assert!(result.unwrap_err().to_string().contains("hittade: x, y"));
    }
}
