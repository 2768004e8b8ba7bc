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
}
