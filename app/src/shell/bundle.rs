//! The bundle's addresses in the `<head>` of every page: the stylesheet, and the tags that load and start the
//! wasm. With hashed asset names (cargo-leptos `hash-files`) they come from the hash file next to the server
//! binary, read once per process.

use std::{collections::HashMap, sync::OnceLock};

use leptos::{WasmSplitManifest, prelude::*};

/// What Leptos' `HydrationScripts` renders (preload the JS and wasm, then import the JS and hydrate), with the
/// bundle's file names read from the hash file once per process. `HydrationScripts` reads that file on every
/// render (about 4–5 % of a page's CPU under load); the names cannot change while the process runs, since the
/// server and its bundle ship together. Also hands the lazy routes' split manifest to the render (what
/// `HydrationScripts` does), so a lazy page's chunks are preloaded with the page.
#[component]
pub fn BundleScripts(options: LeptosOptions) -> impl IntoView {
    let bundle = Bundle::get(&options);
    if let Some(manifest) = &bundle.split_manifest {
        provide_context(manifest.clone());
    }
    let nonce = leptos::nonce::use_nonce();
    view! {
        <link rel="modulepreload" href=bundle.js.clone() crossorigin="anonymous" />
        <link rel="preload" href=bundle.wasm.clone() r#as="fetch" r#type="application/wasm" crossorigin="anonymous" />
        <script type="module" nonce=nonce>{bundle.start.clone()}</script>
    }
}

/// The stylesheet's address.
pub fn stylesheet_href(options: &LeptosOptions) -> String {
    Bundle::get(options).css.clone()
}

/// The bundle's addresses, worked out once.
#[derive(Debug)]
struct Bundle {
    css: String,
    js: String,
    wasm: String,
    /// The inline module that imports the JS and hydrates.
    start: String,
    split_manifest: Option<WasmSplitManifest>,
}

impl Bundle {
    fn get(options: &LeptosOptions) -> &'static Bundle {
        static BUNDLE: OnceLock<Bundle> = OnceLock::new();
        BUNDLE.get_or_init(|| Bundle::new(options))
    }

    fn new(options: &LeptosOptions) -> Self {
        let hashes = if options.hash_files { read_hash_file(&options.hash_file) } else { String::new() };
        let names = BundleNames::new(&options.output_name, options.hash_files.then_some(hashes.as_str()));
        let pkg = format!("/{}", options.site_pkg_dir);
        let css = format!("{pkg}/{}.css", names.css);
        let js = format!("{pkg}/{}.js", names.js);
        let wasm = format!("{pkg}/{}.wasm", names.wasm);
        let start = format!(
            "import({js:?}).then(bundle => bundle.default({{ module_or_path: {wasm:?} }}).then(() => bundle.hydrate()));"
        );
        let manifest_file =
            std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir).join(&names.split_manifest);
        let split_manifest = std::fs::read_to_string(manifest_file)
            .ok()
            .and_then(|text| serde_json::from_str::<HashMap<String, Vec<String>>>(&text).ok())
            .map(|preloads| WasmSplitManifest(ArcStoredValue::new((pkg.clone(), preloads, names.split_js))));
        Self { css, js, wasm, start, split_manifest }
    }
}

/// The hash file cargo-leptos writes next to the server binary (see `README`, "The browser bundle").
fn read_hash_file(name: &str) -> String {
    let path = std::env::current_exe().ok().and_then(|exe| exe.parent().map(|dir| dir.join(name)));
    match path.map(std::fs::read_to_string) {
        Some(Ok(hashes)) => hashes,
        _ => {
            leptos::logging::error!("hashed asset names are on but the hash file {name} is missing");
            String::new()
        }
    }
}

/// The bundle's file names (without `.css` / `.js` / `.wasm`), from the hash file's `css:`, `js:`, `wasm:`,
/// `split:` and `manifest:` lines when asset names are hashed; the names `HydrationScripts` uses otherwise.
#[derive(Debug, PartialEq, Eq)]
struct BundleNames {
    css: String,
    js: String,
    wasm: String,
    split_js: String,
    split_manifest: String,
}

impl BundleNames {
    fn new(output_name: &str, hashes: Option<&str>) -> Self {
        let hash = |key: &str| {
            hashes?.lines().find_map(|line| {
                let (file, hash) = line.trim().split_once(':')?;
                (file == key).then(|| hash.trim().to_string())
            })
        };
        let named = |name: String, key: &str| match hash(key) {
            Some(hash) => format!("{name}.{hash}"),
            None => name,
        };
        let unhashed_wasm = if hashes.is_none() && option_env!("LEPTOS_OUTPUT_NAME").is_none() { "_bg" } else { "" };
        Self {
            css: named(output_name.to_string(), "css"),
            js: named(output_name.to_string(), "js"),
            wasm: match hash("wasm") {
                Some(hash) => format!("{output_name}.{hash}"),
                None => format!("{output_name}{unhashed_wasm}"),
            },
            split_js: match hash("split") {
                Some(hash) => format!("__wasm_split.{hash}.js"),
                None => "__wasm_split.______________________.js".to_string(),
            },
            split_manifest: match hash("manifest") {
                Some(hash) => format!("__wasm_split_manifest.{hash}.json"),
                None => "__wasm_split_manifest.json".to_string(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_come_from_the_hash_file_lines() {
        let hashes = "js: J1\nwasm: W2\ncss: C3\nmanifest: M4\nsplit: S5\n";
        let names = BundleNames::new("atrium", Some(hashes));
        assert_eq!(
            names,
            BundleNames {
                css: "atrium.C3".into(),
                js: "atrium.J1".into(),
                wasm: "atrium.W2".into(),
                split_js: "__wasm_split.S5.js".into(),
                split_manifest: "__wasm_split_manifest.M4.json".into(),
            }
        );
    }

    #[test]
    fn without_hashes_the_names_are_the_output_name() {
        let names = BundleNames::new("atrium", None);
        assert_eq!((names.css.as_str(), names.js.as_str()), ("atrium", "atrium"));
        assert_eq!(names.split_manifest, "__wasm_split_manifest.json");
    }
}
