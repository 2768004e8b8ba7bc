//! Roles are named in `app::domain::access` (and defined in `app::domain::role`) only:
//! everywhere else code asks what a user may do (`access::may`, `access::require`), never
//! which role they have. This finds the places that name a role anyway: `Role::Police`
//! in Rust, a role's code compared as a string (`role == "admin"`), or compared in SQL
//! (`where role = 'admin'`). Tests may name roles: they set up users of each role.

use crate::source::Source;

pub const ROLES: [&str; 5] = ["Admin", "Coordinator", "Police", "Volunteer", "Participant"];

/// Files that may name roles: the capability table and the role itself.
pub fn may_name_roles(file: &str) -> bool {
    file.ends_with("app/src/domain/access.rs")
        || file.contains("app/src/domain/access/")
        || file.ends_with("app/src/domain/role.rs")
}

/// Each place in `source` that names a role, as (line, what).
pub fn named_roles(source: &Source) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (number, line) in source.lines() {
        for role in ROLES {
            let needle = format!("Role::{role}");
            let mut rest = line;
            while let Some(at) = rest.find(&needle) {
                let after = rest[at + needle.len()..].chars().next();
                if !after.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    found.push((number, needle.clone()));
                }
                rest = &rest[at + needle.len()..];
            }
        }
    }
    let codes = ROLES.map(str::to_lowercase);
    for literal in &source.literals {
        let text = literal.text.to_lowercase();
        for code in &codes {
            // SQL comparing the role column with a role: `role = 'admin'`, `role <> 'participant'`.
            let quoted = format!("'{code}'");
            if text.contains("role") && text.contains(&quoted) {
                found.push((literal.line, format!("SQL {quoted}")));
            }
        }
    }
    // A role's code compared as a string in Rust: `== "admin"` or `"admin" !=`.
    for (number, line) in source.lines() {
        let compact: String = line.split_whitespace().collect();
        for literal in source.literals.iter().filter(|literal| literal.line == number) {
            if codes.contains(&literal.text)
                && (compact.contains("==\"\"")
                    || compact.contains("!=\"\"")
                    || compact.contains("\"\"==")
                    || compact.contains("\"\"!="))
            {
                found.push((number, format!("\"{}\" compared", literal.text)));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn naming_a_role_is_found_in_code_strings_and_sql_but_not_in_comments_or_tests() {
        let code = r#"
fn a(user: &CurrentUser) -> bool { matches!(user.role, Role::Police | Role::Coordinator) }
fn b(role: &str) -> bool { role == "admin" }
const SQL: &str = "select count(*) from account where role = 'admin'";
// Role::Volunteer is fine in a comment, and so is "police".
fn c() -> Vec<Role> { Role::ALL.to_vec() }
fn d(kind: &str) -> bool { kind == "walk" }
#[cfg(test)]
mod tests { fn e() { let _ = Role::Participant; } }
"#;
        let found = named_roles(&Source::read(code));
        let lines: Vec<usize> = found.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, [2, 2, 4, 3], "{found:?}");
    }

    #[test]
    fn the_table_and_the_role_itself_may_name_roles() {
        assert!(may_name_roles("./app/src/domain/access.rs"));
        assert!(may_name_roles("./app/src/domain/access/pages.rs"));
        assert!(may_name_roles("./app/src/domain/role.rs"));
        assert!(!may_name_roles("./app/src/ssr/observations.rs"));
    }
}
