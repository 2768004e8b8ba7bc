//! The rule at a gate (a page, a REST route, a server function): who passes before the
//! code behind it runs.

use super::pages::Page;
use super::{grant, Capability};
use crate::domain::role::Role;

/// Who may pass a gate: a page, a REST route or a server function. Record-level rules
/// (whose report, which walk, which account) are checked after, by the code that reads
/// the record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Allowed {
    /// No sign-in needed.
    Anyone,
    /// Every signed-in role.
    SignedIn,
    /// Those who may open the page: the same rule as the page.
    Page(Page),
    /// Those given the capability (on their role alone, or on a condition the code
    /// behind the gate checks).
    Can(Capability),
    /// Those given any one of these.
    AnyOf(&'static [Capability]),
}

impl Allowed {
    pub fn admits(self, role: Option<Role>) -> bool {
        match (self, role) {
            (Allowed::Anyone, _) => true,
            (_, None) => false,
            (Allowed::SignedIn, Some(_)) => true,
            (Allowed::Page(page), Some(role)) => page.allows(role),
            (Allowed::Can(capability), Some(role)) => grant(role, capability).is_some(),
            (Allowed::AnyOf(capabilities), Some(role)) => capabilities
                .iter()
                .any(|&capability| grant(role, capability).is_some()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules_admit_whom_they_name() {
        assert!(Allowed::Anyone.admits(None));
        assert!(!Allowed::SignedIn.admits(None));
        assert!(Allowed::SignedIn.admits(Some(Role::Participant)));
        assert!(Allowed::Page(Page::Actions).admits(Some(Role::Police)));
        assert!(!Allowed::Page(Page::Actions).admits(Some(Role::Admin)));
        assert!(!Allowed::Can(Capability::ReadAuditLog).admits(Some(Role::Coordinator)));
        // A gate lets a conditional grant through; the code behind it checks the condition.
        assert!(Allowed::Can(Capability::ReadExactFocusPlaces).admits(Some(Role::Volunteer)));
    }
}
