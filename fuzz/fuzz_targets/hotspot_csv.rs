//! Any bytes given to `tryggkarta hotspots` as its CSV give points on the Earth, or an
//! error that names the problem: never a panic.
#![no_main]

use hotspot::points;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|csv: &[u8]| {
    for strict in [false, true] {
        let mut warnings = Vec::new();
        if let Ok(found) = points::read(csv, strict, &mut warnings) {
            for (lat, lng) in found {
                assert!((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lng));
            }
            if strict {
                assert!(warnings.is_empty(), "strict mode skips nothing");
            }
        }
    }
});
