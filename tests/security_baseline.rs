//! The security baseline that every change keeps (DEVELOPERS.md, promises 1 and 2):
//! no HTTP client or network plugin in the shipped dependency tree, a strict CSP
//! with no remote origin, a frozen prototype, no devtools in release builds, and
//! every IPC command granted by name to the main window only.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn read_json(rel: &str) -> Value {
    let text = std::fs::read_to_string(Path::new(ROOT).join(rel)).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(ROOT).join(rel)).unwrap()
}

fn host_triple() -> String {
    let out = Command::new(env!("CARGO").to_owned().replace("cargo", "rustc")).arg("-vV").output();
    let out = match out {
        Ok(o) if o.status.success() => o,
        _ => Command::new("rustc").arg("-vV").output().unwrap(),
    };
    String::from_utf8(out.stdout).unwrap().lines().find_map(|l| l.strip_prefix("host: ").map(str::to_owned)).unwrap()
}

/// Every crate the shipped binary links (normal and build dependencies, this platform).
fn shipped_crates() -> BTreeSet<String> {
    let out = Command::new(env!("CARGO"))
        .current_dir(ROOT)
        .args(["tree", "--locked", "--offline", "-p", "packplan", "-e", "normal,build", "--prefix", "none"])
        .args(["--format", "{lib}", "--target", &host_triple()])
        .output()
        .unwrap();
    assert!(out.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    // `{lib}` prints the crate's library name; fall back to the package name column.
    let mut names: BTreeSet<String> =
        text.lines().map(|l| l.trim().replace('_', "-")).filter(|l| !l.is_empty()).collect();
    let pkgs = Command::new(env!("CARGO"))
        .current_dir(ROOT)
        .args(["tree", "--locked", "--offline", "-p", "packplan", "-e", "normal,build", "--prefix", "none"])
        .args(["--format", "{p}", "--target", &host_triple()])
        .output()
        .unwrap();
    for line in String::from_utf8(pkgs.stdout).unwrap().lines() {
        if let Some(name) = line.split_whitespace().next() {
            names.insert(name.to_owned());
        }
    }
    names
}

#[test]
fn no_http_client_or_network_plugin_is_shipped() {
    let crates = shipped_crates();
    assert!(crates.contains("tauri"), "the dependency listing looks wrong: {crates:?}");
    let banned = [
        "reqwest",
        "hyper",
        "ureq",
        "isahc",
        "attohttpc",
        "curl",
        "surf",
        "tauri-plugin-http",
        "tauri-plugin-updater",
        "tauri-plugin-shell",
        "tauri-plugin-opener",
        "tauri-plugin-websocket",
        "tauri-plugin-upload",
    ];
    let found: Vec<_> = banned.iter().filter(|b| crates.contains(**b)).collect();
    assert!(found.is_empty(), "network-capable crates entered the shipped dependency tree: {found:?}");
}

/// The fuzz targets' entry points (`packplan_core::fuzzing`, which embeds the DEMO ONLY
/// identity) sit behind the core's `fuzzing` feature, which only fuzz/ and the tests turn
/// on: the shipped dependency graph builds the core without it.
#[test]
fn the_fuzzing_entry_points_are_not_shipped() {
    let out = Command::new(env!("CARGO"))
        .current_dir(ROOT)
        .args(["tree", "--locked", "--offline", "-p", "packplan", "-e", "normal,build", "--prefix", "none"])
        .args(["--format", "{p} [{f}]", "--target", &host_triple()])
        .output()
        .unwrap();
    assert!(out.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let core: Vec<&str> = text.lines().filter(|l| l.starts_with("packplan-core ")).collect();
    assert!(!core.is_empty(), "packplan-core is not in the shipped tree:\n{text}");
    assert!(core.iter().all(|l| !l.contains("fuzzing")), "the shipped core has the fuzzing feature: {core:?}");
}

#[test]
fn devtools_are_not_compiled_into_release_builds() {
    let manifest = read("Cargo.toml");
    assert!(!manifest.contains("devtools"), "the tauri `devtools` feature must stay off");
}

#[test]
fn csp_allows_no_remote_origin() {
    let conf = read_json("tauri.conf.json");
    let security = &conf["app"]["security"];
    let csp = security["csp"].as_object().expect("a CSP must be set");
    for (directive, value) in csp {
        let value = value.as_str().unwrap();
        for source in value.split_whitespace() {
            let allowed =
                source.starts_with('\'') || ["data:", "blob:", "ipc:", "http://ipc.localhost"].contains(&source);
            assert!(allowed, "{directive} allows {source}; the app must not reach any remote origin");
        }
    }
    assert_eq!(csp["connect-src"], "ipc: http://ipc.localhost");
    assert_eq!(csp["default-src"], "'self'");
    assert_eq!(csp["script-src"], "'self'");
    assert_eq!(security["freezePrototype"], true);
    assert_eq!(security["assetProtocol"]["enable"], false);
    assert!(conf["build"].get("devUrl").is_none(), "a dev server URL must not be configured");
    assert!(conf["plugins"].as_object().unwrap().is_empty(), "no plugins are configured");
}

#[test]
fn no_remote_addresses_in_the_ui_sources() {
    fn walk(dir: &Path, hits: &mut Vec<String>, scanned: &mut usize) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, hits, scanned);
            } else if matches!(path.extension().and_then(|e| e.to_str()), Some("ts" | "svelte" | "css" | "html")) {
                *scanned += 1;
                let text = std::fs::read_to_string(&path).unwrap();
                for (n, line) in text.lines().enumerate() {
                    let remote = line.contains("http://") || line.contains("https://") || line.contains("//cdn");
                    if remote && !line.contains("ipc.localhost") && !line.contains("www.w3.org") {
                        hits.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                    }
                }
            }
        }
    }
    let (mut hits, mut scanned) = (Vec::new(), 0);
    walk(&Path::new(ROOT).join("ui/src"), &mut hits, &mut scanned);
    walk(&Path::new(ROOT).join("ui/index.html").parent().unwrap().join("public"), &mut hits, &mut scanned);
    assert!(scanned > 20, "the UI's sources were read ({scanned} files)");
    assert!(hits.is_empty(), "the UI refers to remote addresses:\n{}", hits.join("\n"));
}

/// The main window, and only it, may call Packplan's commands: its one capability grants
/// the core events and the set `commands`, which src-tauri/build.rs makes of exactly the
/// commands the app registers (every `#[tauri::command]` of src-tauri/desktop).
#[test]
fn every_command_is_registered_and_granted_to_main_only() {
    let capabilities = std::fs::read_dir(Path::new(ROOT).join("capabilities")).unwrap().count();
    assert_eq!(capabilities, 1, "one capability file, for the main window");
    let cap = read_json("capabilities/main.json");
    assert_eq!(cap["windows"], serde_json::json!(["main"]));
    assert_eq!(cap["local"], true);
    assert!(cap.get("remote").is_none(), "no remote origin may call commands");
    assert_eq!(cap["permissions"], serde_json::json!(["core:event:default", "commands"]));

    // What tauri-build resolved from build.rs's app manifest (written by the build).
    let acl = read_json("gen/schemas/acl-manifests.json");
    let granted: BTreeSet<String> = acl["__app-acl__"]["permission_sets"]["commands"]["permissions"]
        .as_array()
        .expect("the app's permission set `commands` (src-tauri/build.rs)")
        .iter()
        .map(|p| p.as_str().unwrap().to_owned())
        .collect();
    let registered: BTreeSet<String> =
        packplan_app::desktop::COMMANDS.iter().map(|c| format!("allow-{}", c.replace('_', "-"))).collect();
    assert!(registered.len() > 40, "the commands were found: {registered:?}");
    assert_eq!(granted, registered, "the set `commands` grants exactly the registered commands");
}

/// Release secrets are never in the repository: the only minisign secret key in the source is
/// the demo issuer's, published on purpose (assets/demo/keys/README.md). The release key's
/// secret half stays on the release manager's offline media (docs/releasing.md).
#[test]
fn no_secret_signing_key_is_in_the_source_but_the_demo_issuers() {
    // A minisign secret key's base64 starts "Ed" + KDF + "B2": RWQAAEIy unencrypted, RWRTY0Iy encrypted.
    fn walk(dir: &Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                if !["target", "node_modules", ".git", ".tools", "vendor", "npm-cache", "dist"].contains(&name.as_str())
                {
                    walk(&path, found);
                }
            } else if std::fs::metadata(&path).map(|m| m.len() < 1 << 20).unwrap_or(false) {
                let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
                if text.lines().any(|l| l.starts_with("RWQAAEIy") || l.starts_with("RWRTY0Iy")) {
                    found.push(path.strip_prefix(ROOT).unwrap().display().to_string());
                }
            }
        }
    }
    let mut found = Vec::new();
    walk(Path::new(ROOT), &mut found);
    assert_eq!(found, ["assets/demo/keys/demo-issuer.key"], "secret keys in the source");
    // The public half is committed, and the README and docs/install.md print that very key.
    let release_pub = read("assets/release/packplan-release.pub");
    assert!(release_pub.starts_with("untrusted comment: minisign public key "), "{release_pub}");
    for doc in ["README.md", "docs/install.md"] {
        for line in release_pub.lines() {
            assert!(read(doc).contains(line), "{doc} must print the release public key: {line}");
        }
    }
}
