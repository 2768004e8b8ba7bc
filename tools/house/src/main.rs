//! `house`: the rules of the house that a compiler does not check, run by `make lint`.
//!
//! 1. No module circles: within each crate, no group of modules that use each other in a
//!    circle (`modules`).
//! 2. One rule in one place: no role named outside `app::domain::access` (`roles`).
//! 3. Files by idea: no source file over [`MAX_LINES`] lines.
//!
//! Run from anywhere in the workspace: `cargo run -p house`. Exits 1 and says where, for
//! each finding.

mod modules;
mod roles;
mod source;

use std::path::Path;
use std::process::ExitCode;

/// Past this many lines (its tests not counted), a file holds more than one idea: split it
/// by idea.
pub const MAX_LINES: usize = 600;

/// The crates whose modules are checked, by their root file.
const CRATE_ROOTS: [&str; 4] = [
    "app/src/lib.rs",
    "server/src/lib.rs",
    "hotspot/src/lib.rs",
    "tools/house/src/main.rs",
];

fn main() -> ExitCode {
    let root = match std::fs::canonicalize(Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")) {
        Ok(root) => root,
        Err(err) => {
            eprintln!("house: the workspace could not be found: {err}");
            return ExitCode::FAILURE;
        }
    };
    let mut findings = Vec::new();
    for crate_root in CRATE_ROOTS {
        let modules = match modules::load(&root.join(crate_root)) {
            Ok(modules) => modules,
            Err(err) => {
                eprintln!("house: {crate_root} could not be read: {err}");
                return ExitCode::FAILURE;
            }
        };
        findings.extend(check_circles(&root, &modules));
        for module in &modules {
            let file = relative(&root, &module.file);
            if !roles::may_name_roles(&file) {
                for (line, what) in roles::named_roles(&module.source) {
                    findings.push(format!(
                        "{file}:{line}: names a role ({what}); ask the capability table instead (app::domain::access::may/require)"
                    ));
                }
            }
            let lines = module.source.lines;
            if lines > MAX_LINES {
                findings.push(format!(
                    "{file}: {lines} lines, over {MAX_LINES}: split it by idea"
                ));
            }
        }
    }
    if findings.is_empty() {
        println!(
            "house: no module circles, roles named only in domain::access, no file over {MAX_LINES} lines"
        );
        ExitCode::SUCCESS
    } else {
        for finding in &findings {
            eprintln!("{finding}");
        }
        eprintln!("house: {} finding(s)", findings.len());
        ExitCode::FAILURE
    }
}

fn check_circles(root: &Path, modules: &[modules::Module]) -> Vec<String> {
    let file_of = |path: &modules::ModPath| -> String {
        modules
            .iter()
            .find(|module| &module.path == path)
            .map(|module| relative(root, &module.file))
            .unwrap_or_default()
    };
    modules::circles(&modules::uses(modules))
        .into_iter()
        .map(|(members, uses)| {
            let mut text = format!(
                "module circle: {}",
                members.iter().map(&file_of).collect::<Vec<_>>().join(", ")
            );
            for used in uses {
                text += &format!(
                    "\n    {}:{} uses {}",
                    file_of(&used.from),
                    used.line,
                    file_of(&used.to)
                );
            }
            text
        })
        .collect()
}

fn relative(root: &Path, file: &Path) -> String {
    file.strip_prefix(root).unwrap_or(file).display().to_string()
}
