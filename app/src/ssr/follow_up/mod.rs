//! Following up what the lägesbild shows (plan 4.3 and the strategy areas): actions
//! (åtgärder) and their follow-ups, the strategy areas' pages, interventions (insatser)
//! and their effect reports, focus problems with their cause analysis, and commitments
//! (medborgarlöften) counted from the app's own records. For those given
//! `Capability::FollowUp`.

pub mod actions;
pub mod commitments;
pub mod focus;
pub mod interventions;
pub mod strategy;
pub mod todo;
