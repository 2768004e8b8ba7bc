//! Lägesbild (plan 4.3): what a meeting asks of the hotspot engine (`query`), what it gets
//! back (`picture`), and the camera review (`cameras`).

pub mod cameras;
pub mod picture;
pub mod query;

pub use super::clock::local_midnight_ms;
pub use cameras::{
    camera_csv, CameraCandidate, CameraPeriod, CAMERA_MIN_HOT, CAMERA_MIN_REPORTS, CAMERA_PERIODS,
    CAMERA_PERIOD_DAYS,
};
pub use picture::{AreaChange, HexCell, ScaleChoice, Situation, SituationPoint};
pub use query::{
    Params, SituationQuery, Slice, DEFAULT_PERIOD_DAYS, MAX_PERIOD_DAYS, MIN_SLICES, PUBLIC_MAX_RESOLUTION,
    PUBLIC_MIN_COUNT,
};
