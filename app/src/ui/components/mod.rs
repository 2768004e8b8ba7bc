//! Building blocks shared by pages.

pub mod actions;
pub mod filters;
pub mod guard;
pub mod legend;
pub mod loaded;
pub mod map;
pub mod nav;
pub mod print;
