//! Exports for QGIS and Excel: observations as CSV (UTF-8 with BOM, semicolons and
//! decimal commas for Swedish Excel, ISO 8601 times) and GeoJSON, hotspot cells as
//! GeoJSON. Only what the caller may see is passed in; the reporter is written only for
//! roles that may see who reported (police and coordinators).

use serde_json::{json, Value};

use super::clock::in_stockholm;
use super::observation::Observation;
use super::shift::csv_field;
use super::situation::Situation;

/// An instant in Stockholm time as ISO 8601 with its offset: "2026-07-01T22:30:00+02:00".
pub fn iso(at: chrono::DateTime<chrono::Utc>) -> String {
    in_stockholm(at).to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false)
}

fn decimal(value: f64) -> String {
    value.to_string().replace('.', ",")
}

pub fn observations_csv(records: &[Observation], with_reporter: bool) -> String {
    let mut csv = String::from(
        "\u{feff}id;tid;sort;kategori;strategiomrade;status;kanslighet;lat;lng;noggrannhet_m;betyg;anteckning;vandring;pass;omrade",
    );
    if with_reporter {
        csv.push_str(";rapportor");
    }
    csv.push_str("\r\n");
    for o in records {
        let fields = [
            o.id.to_string(),
            iso(o.observed_at),
            o.kind.as_str().to_owned(),
            csv_field(&o.category),
            csv_field(&o.strategy_area),
            csv_field(&o.status),
            o.sensitivity.as_str().to_owned(),
            decimal(o.lat),
            decimal(o.lng),
            o.accuracy_m.map(decimal).unwrap_or_default(),
            o.rating.map(|r| r.to_string()).unwrap_or_default(),
            csv_field(&o.note),
            o.walk_id.map(|id| id.to_string()).unwrap_or_default(),
            o.shift_id.map(|id| id.to_string()).unwrap_or_default(),
            csv_field(o.place.as_deref().unwrap_or_default()),
        ];
        csv.push_str(&fields.join(";"));
        if with_reporter {
            csv.push(';');
            csv.push_str(&o.reporter_id.to_string());
        }
        csv.push_str("\r\n");
    }
    csv
}

pub fn observations_geojson(records: &[Observation], with_reporter: bool) -> Value {
    let features: Vec<Value> = records
        .iter()
        .map(|o| {
            let mut properties = json!({
                "id": o.id,
                "observed_at": iso(o.observed_at),
                "kind": o.kind.as_str(),
                "category": o.category,
                "strategy_area": o.strategy_area,
                "status": o.status,
                "sensitivity": o.sensitivity.as_str(),
                "accuracy_m": o.accuracy_m,
                "rating": o.rating,
                "note": o.note,
                "walk_id": o.walk_id,
                "shift_id": o.shift_id,
                "place": o.place,
            });
            if with_reporter {
                properties["reporter_id"] = json!(o.reporter_id);
            }
            json!({
                "type": "Feature",
                "geometry": { "type": "Point", "coordinates": [o.lng, o.lat] },
                "properties": properties,
            })
        })
        .collect();
    json!({ "type": "FeatureCollection", "features": features })
}

/// The cells of an analysis as polygons; the aggregated layer carries counts only.
pub fn cells_geojson(situation: &Situation) -> Value {
    let features: Vec<Value> = situation
        .cells
        .iter()
        .map(|cell| {
            let mut ring: Vec<[f64; 2]> = cell.boundary.iter().map(|&[lat, lng]| [lng, lat]).collect();
            if let Some(&first) = ring.first() {
                ring.push(first);
            }
            let mut properties = json!({ "h3": cell.h3, "count": cell.count, "place": cell.place });
            if !situation.aggregated {
                properties["previous"] = json!(cell.previous);
                properties["z"] = json!(cell.z);
                properties["p_fdr"] = json!(cell.p_fdr);
                properties["class"] = json!(cell.class);
                properties["rise"] = json!(cell.rise);
                properties["trend"] = json!(cell.trend);
            }
            json!({
                "type": "Feature",
                "geometry": { "type": "Polygon", "coordinates": [ring] },
                "properties": properties,
            })
        })
        .collect();
    json!({
        "type": "FeatureCollection",
        "features": features,
        "properties": { "from": situation.params.from, "to": situation.params.to,
                        "resolution": situation.params.resolution, "aggregated": situation.aggregated },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::{ObservationId, UserId};
    use crate::domain::observation::{Kind, PositionSource, Sensitivity};
    use uuid::Uuid;

    fn record() -> Observation {
        Observation {
            id: ObservationId::new(),
            kind: Kind::DrugScene,
            category: "drug_dealing".into(),
            note: "Två personer; \"langning\" vid trappan".into(),
            lat: 59.5113,
            lng: 17.6358,
            accuracy_m: Some(8.5),
            position_source: PositionSource::Gps,
            observed_at: chrono::NaiveDate::from_ymd_opt(2026, 7, 1)
                .unwrap()
                .and_hms_opt(20, 30, 0)
                .unwrap()
                .and_utc(),
            reporter_id: UserId(Uuid::max()),
            walk_id: None,
            shift_id: None,
            rating: None,
            time_of_day: None,
            strategy_area: "10".into(),
            sensitivity: Sensitivity::Restricted,
            status: "new".into(),
            photo_ids: vec![],
            place: None,
        }
    }

    #[test]
    fn csv_opens_in_excel_with_local_iso_times_and_quoted_text() {
        let csv = observations_csv(&[record()], false);
        assert!(csv.starts_with('\u{feff}'));
        let line = csv.lines().nth(1).unwrap();
        assert!(line.contains(";2026-07-01T22:30:00+02:00;"), "{line}");
        assert!(line.contains(";59,5113;17,6358;8,5;"), "{line}");
        assert!(
            line.contains(";\"Två personer; \"\"langning\"\" vid trappan\";"),
            "{line}"
        );
        assert!(
            !csv.contains(&Uuid::max().to_string()),
            "no reporter unless asked"
        );
        assert!(observations_csv(&[record()], true).contains(&Uuid::max().to_string()));
    }

    #[test]
    fn geojson_points_are_lng_lat() {
        let geojson = observations_geojson(&[record()], false);
        assert_eq!(
            geojson["features"][0]["geometry"]["coordinates"],
            json!([17.6358, 59.5113])
        );
        assert!(geojson["features"][0]["properties"].get("reporter_id").is_none());
    }
}
