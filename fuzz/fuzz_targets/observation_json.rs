//! Any body sent as a new observation is read and checked without a panic; what passes
//! the check is inside the municipality, and writes back to the same observation (what
//! the server hashes to recognise a resend is what it read).
#![no_main]

use app::domain::geo::{Bounds, LatLng};
use app::domain::observation::NewObservation;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let Ok(new) = serde_json::from_slice::<NewObservation>(body) else {
        return;
    };
    let bounds = Bounds::default();
    if new.validate(&bounds, chrono::Utc::now()).is_ok() {
        assert!(bounds.contains(LatLng { lat: new.lat, lng: new.lng }));
        assert!(!new.id.is_nil() && !new.category.trim().is_empty());
    }
    let written = serde_json::to_vec(&new).expect("an observation always serialises");
    let again: NewObservation = serde_json::from_slice(&written).expect("and reads back");
    // serde_json reads a float to within one unit in the last place, not always exactly.
    let close = |a: f64, b: f64| a == b || (a - b).abs() <= a.abs().max(b.abs()) * 4.0 * f64::EPSILON;
    assert!(close(again.lat, new.lat) && close(again.lng, new.lng));
    assert_eq!(again.accuracy_m.is_some(), new.accuracy_m.is_some());
    let (mut again, mut new) = (again, new);
    (again.lat, again.lng, again.accuracy_m) = (0.0, 0.0, None);
    (new.lat, new.lng, new.accuracy_m) = (0.0, 0.0, None);
    assert_eq!(again, new);
});
