//! Module circles: which module of a crate uses which, and the groups that use each other
//! in a circle.
//!
//! A module is a file (`ssr/db.rs`, `ssr/mod.rs`), found from the crate root by its `mod`
//! declarations. It uses another when its code names a path into it: `use
//! super::areas::PlacesCache;`, `crate::ssr::db::now_ms()`, a child module by its bare
//! name, or a re-export (`pub use child::Thing` is a use of the child). Declaring a child
//! (`pub mod child;`) is not a use. Paths into other crates are left out: Cargo keeps
//! crates acyclic already. This is what `cargo modules dependencies --acyclic` checks,
//! without building a compiler front end first.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::source::Source;

/// A module's path from its crate root: `["ssr", "db"]`; the root is `[]`.
pub type ModPath = Vec<String>;

pub struct Module {
    pub path: ModPath,
    pub file: PathBuf,
    pub source: Source,
}

/// One use of another module, where it is written.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Use {
    pub from: ModPath,
    pub to: ModPath,
    pub line: usize,
}

/// Every module of the crate whose root file is `root`, following `mod name;`.
pub fn load(root: &Path) -> std::io::Result<Vec<Module>> {
    let mut modules = Vec::new();
    let mut pending = vec![(Vec::new(), root.to_path_buf())];
    while let Some((path, file)) = pending.pop() {
        let text = std::fs::read_to_string(&file)?;
        let source = Source::read(&text);
        let children_dir = children_dir(&file, path.is_empty());
        for name in declared_children(&source.code) {
            let flat = children_dir.join(format!("{name}.rs"));
            let nested = children_dir.join(&name).join("mod.rs");
            let child_file = if flat.exists() { flat } else { nested };
            if child_file.exists() {
                let mut child = path.clone();
                child.push(name);
                pending.push((child, child_file));
            }
        }
        modules.push(Module { path, file, source });
    }
    modules.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(modules)
}

/// Where a module's children live: beside a root or `mod.rs`, else in a folder of its name.
fn children_dir(file: &Path, is_root: bool) -> PathBuf {
    let dir = file.parent().unwrap_or(Path::new(".")).to_path_buf();
    if is_root || file.file_name().is_some_and(|name| name == "mod.rs") {
        dir
    } else {
        dir.join(file.file_stem().unwrap_or_default())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Ident(String),
    PathSep,
    Open,
    Close,
    Comma,
    Semi,
    Star,
    Other(char),
}

fn tokens(code: &str) -> Vec<(Token, usize)> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            // A raw identifier `r#type` is the identifier `type`.
            let word = word.strip_prefix("r#").map(str::to_owned).unwrap_or(word);
            out.push((Token::Ident(word), line));
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push((Token::PathSep, line));
            i += 2;
        } else {
            let token = match c {
                '{' => Token::Open,
                '}' => Token::Close,
                ',' => Token::Comma,
                ';' => Token::Semi,
                '*' => Token::Star,
                other => Token::Other(other),
            };
            out.push((token, line));
            i += 1;
        }
    }
    out
}

/// The names of `mod name;` declarations outside any block (not `mod name { … }`).
fn declared_children(code: &str) -> Vec<String> {
    let tokens = tokens(code);
    let mut depth = 0;
    let mut names = Vec::new();
    for window in tokens.windows(3) {
        match &window[0].0 {
            Token::Open => depth += 1,
            Token::Close => depth -= 1,
            Token::Ident(word) if word == "mod" && depth == 0 => {
                if let (Token::Ident(name), Token::Semi) = (&window[1].0, &window[2].0) {
                    names.push(name.clone());
                }
            }
            _ => {}
        }
    }
    names
}

/// A path a `use` names, with the name it binds there (none for a glob).
type Named = (Vec<String>, Option<String>);

/// The paths a `use` tree names, from just after `use` to its `;`, and where it ends.
fn use_tree(tokens: &[(Token, usize)], start: usize) -> (Vec<Named>, usize) {
    let mut paths = Vec::new();
    let end = tree(tokens, start, &[], &mut paths);
    let mut end = end;
    while end < tokens.len() && tokens[end].0 != Token::Semi {
        end += 1;
    }
    (paths, end)
}

/// Reads one use tree at `i` under `prefix`, pushing the paths it names; returns where it ends.
fn tree(tokens: &[(Token, usize)], mut i: usize, prefix: &[String], paths: &mut Vec<Named>) -> usize {
    let mut path = prefix.to_vec();
    if tokens.get(i).map(|t| &t.0) == Some(&Token::PathSep) {
        // `use ::std::…`: another crate.
        i += 1;
        path.clear();
        path.push("::".to_owned());
    }
    loop {
        match tokens.get(i).map(|t| &t.0) {
            Some(Token::Ident(word))
                if word == "self" && path.len() == prefix.len() && !prefix.is_empty() =>
            {
                i += 1;
            }
            Some(Token::Ident(word)) => {
                path.push(word.clone());
                i += 1;
            }
            Some(Token::Star) => {
                paths.push((path, None));
                return i + 1;
            }
            Some(Token::Open) => {
                i += 1;
                loop {
                    match tokens.get(i).map(|t| &t.0) {
                        Some(Token::Close) => {
                            i += 1;
                            break;
                        }
                        Some(Token::Comma) => i += 1,
                        None => return i,
                        _ => i = tree(tokens, i, &path, paths),
                    }
                }
                return i;
            }
            _ => break,
        }
        if tokens.get(i).map(|t| &t.0) == Some(&Token::PathSep) {
            i += 1;
        } else {
            break;
        }
    }
    let mut binding = path.last().cloned();
    // `as alias`
    if matches!(tokens.get(i).map(|t| &t.0), Some(Token::Ident(word)) if word == "as") {
        if let Some((Token::Ident(alias), _)) = tokens.get(i + 1) {
            binding = Some(alias.clone());
        }
        i += 2;
    }
    paths.push((path, binding));
    i
}

/// Every use of another module of the same crate, by module.
pub fn uses(modules: &[Module]) -> Vec<Use> {
    let known: BTreeSet<&ModPath> = modules.iter().map(|module| &module.path).collect();
    let mut found = BTreeSet::new();
    for module in modules {
        let tokens = tokens(&module.source.code);
        let scopes = scopes(&module.path, &tokens);
        // What `use` binds in each module of this file (`use crate::routes;` binds
        // `routes`), so that a path through a bound name (`routes::guard::x`) is followed
        // into its module.
        let bindings = bindings(&known, &scopes, &tokens);
        let no_bindings = BTreeMap::new();
        let mut i = 0;
        while i < tokens.len() {
            let here = &scopes[i];
            let bound = bindings.get(here).unwrap_or(&no_bindings);
            match &tokens[i].0 {
                Token::Ident(word) if word == "use" => {
                    let line = tokens[i].1;
                    let (paths, end) = use_tree(&tokens, i + 1);
                    for (path, _) in paths {
                        if let Some(to) = resolve(&known, here, &path, &no_bindings) {
                            found.insert(Use {
                                from: module.path.clone(),
                                to,
                                line,
                            });
                        }
                    }
                    i = end + 1;
                }
                Token::Ident(first) if tokens.get(i + 1).map(|t| &t.0) == Some(&Token::PathSep) => {
                    let preceded_by_sep = i > 0 && tokens[i - 1].0 == Token::PathSep;
                    let line = tokens[i].1;
                    let mut path = vec![first.clone()];
                    let mut j = i + 1;
                    while tokens.get(j).map(|t| &t.0) == Some(&Token::PathSep) {
                        match tokens.get(j + 1) {
                            Some((Token::Ident(next), _)) => {
                                path.push(next.clone());
                                j += 2;
                            }
                            _ => break,
                        }
                    }
                    if !preceded_by_sep {
                        if let Some(to) = resolve(&known, here, &path, bound) {
                            found.insert(Use {
                                from: module.path.clone(),
                                to,
                                line,
                            });
                        }
                    }
                    i = j;
                }
                _ => i += 1,
            }
        }
    }
    // One use per pair is enough to show (the first line it is written on).
    let mut first: BTreeMap<(ModPath, ModPath), usize> = BTreeMap::new();
    for found in found {
        let line = first.entry((found.from, found.to)).or_insert(found.line);
        *line = (*line).min(found.line);
    }
    first
        .into_iter()
        .map(|((from, to), line)| Use { from, to, line })
        .collect()
}

/// The module in effect at each token of a file: the file's own, or an inline module
/// (`mod ssr { … }`) inside it.
fn scopes(file: &ModPath, tokens: &[(Token, usize)]) -> Vec<ModPath> {
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0;
    let mut scopes = Vec::with_capacity(tokens.len());
    for (i, (token, _)) in tokens.iter().enumerate() {
        match token {
            Token::Open => {
                depth += 1;
                let after_mod = i >= 2 && matches!(&tokens[i - 2].0, Token::Ident(word) if word == "mod");
                if let (true, Token::Ident(name)) = (after_mod, &tokens[i - 1].0) {
                    inline.push((name.clone(), depth));
                }
            }
            Token::Close => {
                if inline.last().is_some_and(|(_, opened)| *opened == depth) {
                    inline.pop();
                }
                depth -= 1;
            }
            _ => {}
        }
        scopes.push(
            file.iter()
                .cloned()
                .chain(inline.iter().map(|(name, _)| name.clone()))
                .collect(),
        );
    }
    scopes
}

/// The names each module's `use` statements bind to paths of this crate, absolute from
/// its root (a `use` binds only in the module it is written in).
fn bindings(
    known: &BTreeSet<&ModPath>,
    scopes: &[ModPath],
    tokens: &[(Token, usize)],
) -> BTreeMap<ModPath, BTreeMap<String, Vec<String>>> {
    let mut bound: BTreeMap<ModPath, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for (i, (token, _)) in tokens.iter().enumerate() {
        if matches!(token, Token::Ident(word) if word == "use") {
            for (path, name) in use_tree(tokens, i + 1).0 {
                if let (Some(name), Some(absolute)) =
                    (name, absolute(known, &scopes[i], &path, &BTreeMap::new()))
                {
                    bound.entry(scopes[i].clone()).or_default().insert(name, absolute);
                }
            }
        }
    }
    bound
}

/// A path written in module `here`, absolute from the crate root, if it starts in this
/// crate: at `crate`, `self`, `super`, a child module, or a name a `use` bound.
fn absolute(
    known: &BTreeSet<&ModPath>,
    here: &ModPath,
    path: &[String],
    bindings: &BTreeMap<String, Vec<String>>,
) -> Option<Vec<String>> {
    let first = path.first()?;
    let (mut base, rest): (Vec<String>, &[String]) = match first.as_str() {
        "crate" => (Vec::new(), &path[1..]),
        "self" => (here.clone(), &path[1..]),
        "super" => {
            let supers = path.iter().take_while(|segment| *segment == "super").count();
            let keep = here.len().checked_sub(supers)?;
            (here[..keep].to_vec(), &path[supers..])
        }
        _ => {
            let mut child = here.clone();
            child.push(first.clone());
            if known.contains(&child) {
                (here.clone(), path)
            } else {
                (bindings.get(first)?.clone(), &path[1..])
            }
        }
    };
    base.extend(rest.iter().cloned());
    Some(base)
}

/// The module a path written in module `here` points into, if it is another module of
/// this crate.
fn resolve(
    known: &BTreeSet<&ModPath>,
    here: &ModPath,
    path: &[String],
    bindings: &BTreeMap<String, Vec<String>>,
) -> Option<ModPath> {
    let base = absolute(known, here, path, bindings)?;
    // The longest prefix that is a module file; `here`'s own file is no use of another.
    let file_of_here: ModPath = (0..=here.len())
        .rev()
        .map(|n| here[..n].to_vec())
        .find(|prefix| known.contains(prefix))?;
    let target = (0..=base.len())
        .rev()
        .map(|n| base[..n].to_vec())
        .find(|prefix| known.contains(prefix))?;
    (target != file_of_here).then_some(target)
}

/// The groups of modules that use each other in a circle (strongly connected components
/// of more than one module), each sorted, with the uses inside the group.
pub fn circles(uses: &[Use]) -> Vec<(Vec<ModPath>, Vec<Use>)> {
    let nodes: BTreeSet<&ModPath> = uses.iter().flat_map(|u| [&u.from, &u.to]).collect();
    let index: BTreeMap<&ModPath, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let mut edges = vec![Vec::new(); nodes.len()];
    for u in uses {
        edges[index[&u.from]].push(index[&u.to]);
    }
    let components = strongly_connected(&edges);
    let nodes: Vec<&ModPath> = nodes.into_iter().collect();
    components
        .into_iter()
        .filter(|component| component.len() > 1)
        .map(|component| {
            let members: BTreeSet<usize> = component.iter().copied().collect();
            let mut modules: Vec<ModPath> = component.iter().map(|&i| nodes[i].clone()).collect();
            modules.sort();
            let inside = uses
                .iter()
                .filter(|u| members.contains(&index[&u.from]) && members.contains(&index[&u.to]))
                .cloned()
                .collect();
            (modules, inside)
        })
        .collect()
}

/// Tarjan's algorithm, iteratively.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut components = Vec::new();
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some(&(node, child)) = work.last() {
            if child == 0 {
                index[node] = next;
                low[node] = next;
                next += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(&to) = edges[node].get(child) {
                if let Some(top) = work.last_mut() {
                    top.1 += 1;
                }
                if index[to] == usize::MAX {
                    work.push((to, 0));
                } else if on_stack[to] {
                    low[node] = low[node].min(index[to]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                let mut component = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component.push(member);
                    if member == node {
                        break;
                    }
                }
                components.push(component);
            }
        }
    }
    components
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(path: &[&str], code: &str) -> Module {
        Module {
            path: path.iter().map(|s| s.to_string()).collect(),
            file: PathBuf::new(),
            source: Source::read(code),
        }
    }

    fn names(path: &ModPath) -> String {
        path.join("::")
    }

    #[test]
    fn uses_are_found_in_use_trees_and_paths_but_not_in_comments_or_other_crates() {
        let modules = [
            module(&[], "pub mod ssr;"),
            module(&["ssr"], "pub mod db;\npub mod areas;\npub mod decode;"),
            module(
                &["ssr", "db"],
                "use super::{areas::Cache, decode::{self, Row}};\n// super::nothing::here\nfn f() { crate::ssr::decode::x(); std::mem::drop(1); }",
            ),
            module(&["ssr", "areas"], "use sqlx::Any;\nfn g() { let s = \"super::db\"; }"),
            module(&["ssr", "decode"], ""),
        ];
        let found: Vec<(String, String)> = uses(&modules)
            .iter()
            .map(|u| (names(&u.from), names(&u.to)))
            .collect();
        assert_eq!(
            found,
            [
                ("ssr::db".to_owned(), "ssr::areas".to_owned()),
                ("ssr::db".to_owned(), "ssr::decode".to_owned()),
            ]
        );
    }

    #[test]
    fn a_circle_is_found_with_the_uses_that_make_it() {
        let modules = [
            module(&[], "pub mod ssr;"),
            module(&["ssr"], "pub mod db;\npub mod areas;\npub mod ingest;"),
            module(&["ssr", "db"], "pub struct Db { places: super::areas::Cache }"),
            module(&["ssr", "areas"], "use super::ingest::Writer;"),
            module(&["ssr", "ingest"], "use super::db::Db;"),
        ];
        let circles = circles(&uses(&modules));
        assert_eq!(circles.len(), 1);
        let members: Vec<String> = circles[0].0.iter().map(names).collect();
        assert_eq!(members, ["ssr::areas", "ssr::db", "ssr::ingest"]);
        assert_eq!(circles[0].1.len(), 3);
    }

    #[test]
    fn a_parent_that_re_exports_a_child_that_uses_it_is_a_circle_but_declaring_is_not() {
        let declared = [
            module(&[], "pub mod access;"),
            module(&["access"], "pub mod pages;\npub enum Capability {}"),
            module(&["access", "pages"], "use super::Capability;"),
        ];
        assert!(circles(&uses(&declared)).is_empty());
        let re_exported = [
            module(&[], "pub mod access;"),
            module(
                &["access"],
                "pub mod pages;\npub use pages::Page;\npub enum Capability {}",
            ),
            module(&["access", "pages"], "use super::Capability;"),
        ];
        assert_eq!(circles(&uses(&re_exported)).len(), 1);
    }

    #[test]
    fn a_path_through_a_name_a_use_bound_is_followed_into_its_module() {
        let modules = [
            module(&[], "pub mod routes;\npub mod startup;"),
            module(&["routes"], "pub mod guard;"),
            module(&["routes", "guard"], "use crate::startup::MAX;"),
            module(
                &["startup"],
                "use crate::routes;\nfn f() { routes::guard::check(); }",
            ),
        ];
        let circles = circles(&uses(&modules));
        assert_eq!(circles.len(), 1, "{:?}", uses(&modules));
        let members: Vec<String> = circles[0].0.iter().map(names).collect();
        assert_eq!(members, ["routes::guard", "startup"]);
    }

    #[test]
    fn inline_modules_resolve_super_from_where_they_are() {
        let modules = [
            module(&[], "pub mod error;\npub mod i18n;"),
            module(
                &["error"],
                "mod ssr {\n use super::AppError;\n use crate::i18n::Lang;\n}\npub enum AppError {}",
            ),
            module(&["i18n"], ""),
        ];
        let found: Vec<(String, String)> = uses(&modules)
            .iter()
            .map(|u| (names(&u.from), names(&u.to)))
            .collect();
        assert_eq!(found, [("error".to_owned(), "i18n".to_owned())]);
    }
}
