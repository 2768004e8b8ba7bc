//! The hotspot engine (lägesbild, plan 4.3): pure functions, no database and no web
//! types, so the server, the CLI and the benches share them.
//!
//! - `gi_star`: Getis–Ord Gi* z-scores over any binary neighbour structure (Ord & Getis
//!   1995; the same numbers as PySAL esda `G_Local(star=True, transform="B")`);
//! - `fdr`: Benjamini–Hochberg adjusted p-values;
//! - `classify`: hot/cold at 99/95/90 % or not significant, like ArcGIS's `Gi_Bin`;
//! - `grid`: H3 hexagons (h3o): binning, the study area's cells, Gi* per cell.

pub mod gi;
pub mod grid;

pub use gi::{analyse, classify, fdr, gi_star, two_sided_p, GiClass, GiResult};
