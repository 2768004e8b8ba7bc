//! Where the browser finds the app's files. Our own WASM, JS and CSS carry a content hash
//! in their names (cargo-leptos `hash-files`, the hashes in `hash.txt` beside the server
//! binary); third-party files from npm carry their version in the folder name. Both can
//! therefore be cached for a year and never go stale: a new deploy brings new names, so
//! new HTML is never paired with an old WASM.

/// Leaflet, from npm at the version in package.json (checked by a test below).
pub const LEAFLET: &str = "/vendor/leaflet-1.9.4";
pub const LEAFLET_HEAT: &str = "/vendor/leaflet.heat-0.2.0";
pub const MARKERCLUSTER: &str = "/vendor/leaflet.markercluster-1.5.3";

/// The name of the hash file cargo-leptos writes next to the server binary.
pub const HASH_FILE: &str = "hash.txt";

/// The content hashes of the built `pkg` files, read once per process. `None` for a
/// build without hashing (tests run by `cargo test`), and in the browser, which never
/// renders the page shell.
pub fn hashes() -> Option<&'static Hashes> {
    #[cfg(feature = "ssr")]
    {
        static HASHES: std::sync::OnceLock<Option<Hashes>> = std::sync::OnceLock::new();
        HASHES
            .get_or_init(|| {
                let file = std::env::current_exe().ok()?.parent()?.join(HASH_FILE);
                Hashes::parse(&std::fs::read_to_string(file).ok()?)
            })
            .as_ref()
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hashes {
    pub js: String,
    pub wasm: String,
    pub css: String,
}

impl Hashes {
    /// `js: …`, `wasm: …`, `css: …`, one per line, as cargo-leptos writes them.
    pub fn parse(text: &str) -> Option<Hashes> {
        let value = |key: &str| {
            text.lines()
                .filter_map(|line| line.split_once(':'))
                .find(|(name, _)| name.trim() == key)
                .map(|(_, hash)| hash.trim().to_owned())
        };
        Some(Hashes {
            js: value("js")?,
            wasm: value("wasm")?,
            css: value("css")?,
        })
    }
}

/// One of the app's own files, `js`, `wasm` or `css`: `/pkg/<name>.<hash>.<ext>` when the
/// build is hashed, `/pkg/<name>.<ext>` otherwise.
pub fn pkg_file(output_name: &str, extension: &str) -> String {
    let hash = hashes().map(|hashes| match extension {
        "js" => hashes.js.as_str(),
        "wasm" => hashes.wasm.as_str(),
        _ => hashes.css.as_str(),
    });
    match hash {
        Some(hash) => format!("/pkg/{output_name}.{hash}.{extension}"),
        None => format!("/pkg/{output_name}.{extension}"),
    }
}

/// The WASM files a lazy route needs (`cargo leptos build --split`): its own module and
/// the chunks it shares with other routes, as `/pkg/…` paths. Empty without a split build
/// (tests run by `cargo test`).
///
/// The page asks for them at the moment it starts the main module (`ui::shell`), so they
/// arrive together instead of one after the other: without this, they are only requested
/// once the main module has downloaded, compiled and started routing.
pub fn route_files(site_root: &str, route: &str) -> Vec<String> {
    #[cfg(feature = "ssr")]
    {
        static FILES: std::sync::OnceLock<std::collections::HashMap<String, Vec<String>>> =
            std::sync::OnceLock::new();
        FILES
            .get_or_init(|| {
                let pkg = std::path::Path::new(site_root).join("pkg");
                // The newest loader, should an older build's be left beside it.
                std::fs::read_dir(&pkg)
                    .ok()
                    .into_iter()
                    .flatten()
                    .filter_map(|entry| {
                        let entry = entry.ok()?;
                        let name = entry.file_name().into_string().ok()?;
                        let loader = name.starts_with("__wasm_split.") && name.ends_with(".js");
                        loader.then_some((entry.metadata().ok()?.modified().ok()?, name))
                    })
                    .max()
                    .and_then(|(_, loader)| std::fs::read_to_string(pkg.join(loader)).ok())
                    .map(|loader| split_files(&loader))
                    .unwrap_or_default()
            })
            .get(route)
            .cloned()
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (site_root, route);
        Vec::new()
    }
}

/// Route name (`capture_route`) → its files, read from wasm-split's loader script, whose
/// lines are `[export ]const <name> = …makeLoad(new URL("./<file>", …), [<deps>])…`; a
/// route's loader is `__wasm_split_load___<route>_view_<n>`. (The split manifest beside
/// it cannot be used: cargo-leptos's content hashing garbles names such as `chunk_170`
/// there, taking them for `chunk_17` followed by a 0.)
#[cfg(feature = "ssr")]
fn split_files(loader: &str) -> std::collections::HashMap<String, Vec<String>> {
    use std::collections::HashMap;
    let mut modules: HashMap<&str, (&str, Vec<&str>)> = HashMap::new();
    for line in loader
        .lines()
        .filter(|line| line.contains("makeLoad(new URL(\"./"))
    {
        let parsed = (|| {
            let name = line
                .trim_start()
                .trim_start_matches("export ")
                .strip_prefix("const ")?;
            let name = name.split_once(' ')?.0;
            let file = line.split_once("URL(\"./")?.1.split_once('"')?.0;
            let deps = line.rsplit_once('[')?.1.split_once(']')?.0;
            let deps = deps
                .split(',')
                .map(str::trim)
                .filter(|dep| !dep.is_empty())
                .collect();
            Some((name, (file, deps)))
        })();
        if let Some((name, module)) = parsed {
            modules.insert(name, module);
        }
    }
    let mut routes = HashMap::new();
    for (name, (file, deps)) in &modules {
        let Some(route) = name
            .strip_prefix("__wasm_split_load___")
            .and_then(|key| key.rsplit_once("_view_"))
            .map(|(route, _)| route)
        else {
            continue;
        };
        let mut files = vec![format!("/pkg/{file}")];
        let mut pending: Vec<&str> = deps.clone();
        while let Some(dep) = pending.pop() {
            if let Some((file, more)) = modules.get(dep) {
                let path = format!("/pkg/{file}");
                if !files.contains(&path) {
                    files.push(path);
                    pending.extend(more.iter().copied());
                }
            }
        }
        routes.insert(route.to_owned(), files);
    }
    routes
}

/// Pages that draw a map and so need Leaflet; the others (sign-in, joining a walk, the
/// first page a resident sees) load without it.
pub fn needs_leaflet(path: &str) -> bool {
    !matches!(
        path.trim_end_matches('/'),
        "" | "/logga-in" | "/vandring" | "/admin"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendor_folders_name_the_versions_in_package_json() {
        let manifest: serde_json::Value =
            serde_json::from_str(include_str!("../../../package.json")).unwrap();
        for (name, folder) in [
            ("leaflet", LEAFLET),
            ("leaflet.heat", LEAFLET_HEAT),
            ("leaflet.markercluster", MARKERCLUSTER),
        ] {
            let version = manifest["dependencies"][name].as_str().unwrap();
            assert_eq!(
                folder,
                format!("/vendor/{name}-{version}"),
                "Makefile copies to this folder"
            );
        }
    }

    #[test]
    fn the_hash_file_is_read_as_cargo_leptos_writes_it() {
        let hashes = Hashes::parse("js: AbC\nwasm: dEf\ncss: x-y_z\n").unwrap();
        assert_eq!(hashes.wasm, "dEf");
        assert_eq!(hashes.css, "x-y_z");
        assert_eq!(Hashes::parse("js: a\n"), None);
        // `cargo test` runs without a hash file beside it: plain names.
        assert_eq!(pkg_file("tryggkarta", "wasm"), "/pkg/tryggkarta.wasm");
    }

    #[test]
    fn the_join_page_loads_without_leaflet() {
        assert!(!needs_leaflet("/vandring"));
        assert!(!needs_leaflet("/logga-in"));
        assert!(needs_leaflet("/vandring/0193a0b4-0000-7000-8000-000000000000"));
        assert!(needs_leaflet("/karta"));
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_route_finds_its_module_and_chunks_in_the_loader_script() {
        let loader = r#"import { initSync } from "/pkg/tryggkarta.abc.js";
/* __field_route_view_1, __office_route_view_1 */
const __chunk_1 = makeLoad(new URL("./chunk_1.aaa.wasm", import.meta.url), []);
const __chunk_17 = makeLoad(new URL("./chunk_17.bbb.wasm", import.meta.url), [__chunk_1]);
const __chunk_170 = makeLoad(new URL("./chunk_170.ccc.wasm", import.meta.url), []);
export const __wasm_split_load___field_route_view_1 = wrapAsyncCb(makeLoad(new URL("./split___field_route_view_1.ddd.wasm", import.meta.url), [__chunk_17, __chunk_170]));
export const __wasm_split_load___capture_route_view_1 = wrapAsyncCb(makeLoad(new URL("./split___capture_route_view_1.eee.wasm", import.meta.url), []));
"#;
        let files = split_files(loader);
        let mut field = files["field_route"].clone();
        field.sort();
        assert_eq!(
            field,
            [
                "/pkg/chunk_1.aaa.wasm",
                "/pkg/chunk_17.bbb.wasm",
                "/pkg/chunk_170.ccc.wasm",
                "/pkg/split___field_route_view_1.ddd.wasm"
            ]
        );
        assert_eq!(
            files["capture_route"],
            ["/pkg/split___capture_route_view_1.eee.wasm"]
        );
        assert_eq!(files.len(), 2);
    }
}
