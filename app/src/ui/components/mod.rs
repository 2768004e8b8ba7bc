//! Building blocks shared by pages.

pub mod guard;
pub mod map;
pub mod nav;
