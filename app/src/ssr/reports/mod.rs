//! Reports from the field: observations (walk findings, patrol observations, drug-scene
//! reports) and their photos, the categories they are filed under, and Karta, the map
//! every role opens first.

pub mod categories;
pub mod map;
pub mod observations;
pub mod photos;
