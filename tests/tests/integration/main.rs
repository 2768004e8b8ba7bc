//! The integration tests: the real server on a random port, on SQLite and PostgreSQL.
//!
//! One test binary rather than one per file: every file would otherwise link the whole
//! server again, which cost minutes of each build and gigabytes of its cache. Tests run
//! two at a time, as before; each file is a module, so `cargo test -p tryggkarta-tests
//! trust::` runs one file's tests. (`corrupt_rows.rs` stays a binary of its own: it
//! installs a process-wide log subscriber to read what the server logged.)

mod access_matrix;
mod actions;
mod admin;
mod areas;
mod camera;
mod commitments;
mod field_capture;
mod field_ready;
mod first_sign_in;
mod focus;
mod foundation;
mod incidents;
mod interventions;
mod leaks;
mod limits;
mod map;
mod random_bodies;
mod retention;
mod rewalk;
mod second_factor;
mod situation;
mod strategy;
mod tasking;
mod trust;
mod watch;
