//! Tryggkarta's hotspot engine (lägesbild, plan 4.3): pure functions, no database and no
//! web types, so the server, the CLI and the benches share them.
//!
//! - [`gi`]: Getis–Ord Gi* over any binary neighbour structure (Ord & Getis 1995; the
//!   same numbers as PySAL esda `G_Local(star=True, transform="B")`), two-sided p-values,
//!   Benjamini–Hochberg FDR and classes like ArcGIS's `Gi_Bin`;
//! - [`grid`]: H3 hexagons (h3o): the study area's cells, binning, Gi* per cell;
//! - [`locate`]: the cell of a point, fast and with h3o's answer;
//! - [`kde`]: a quartic-kernel density surface for the heat layer;
//! - [`trend`]: Mann–Kendall and emerging hotspots over time slices;
//! - [`compare`]: this period against the previous one, with a test for a real rise;
//! - [`alert`]: an area's recent count against its own baseline (grannsamverkan alerts);
//! - [`points`]: points from any CSV with lat and lng columns (the CLI's input);
//! - [`scale`]: optimized hot spot analysis — the scale of analysis where clustering
//!   peaks, and a cell universe limited to where reports occur.

pub mod alert;
pub mod compare;
pub mod effect;
pub mod gi;
pub mod grid;
pub mod kde;
pub mod locate;
pub mod points;
pub mod scale;
pub mod trend;

pub use gi::{analyse, classify, fdr, gi_star, two_sided_p, GiClass, GiResult};
pub use grid::{Grid, GridError};
