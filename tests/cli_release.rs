//! `packplan verify-release` as a site runs it on a release folder signed with the standard
//! `minisign` tool (as scripts/sign-release.sh signs one): accepted with every file listed, and
//! a tampered copy refused with exit status 1 and a message that names the file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

use packplan_core::bundle::manifest::sha256_hex;

fn packplan(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_packplan"))
        .args(args)
        .current_dir(dir)
        .env_remove("PACKPLAN_VAULT")
        .output()
        .unwrap()
}

fn run(cmd: &str, dir: &Path) {
    let out = Command::new("sh").arg("-c").arg(cmd).current_dir(dir).output().unwrap();
    assert!(out.status.success(), "{cmd}: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_folder_signed_with_minisign_is_accepted_and_a_changed_file_is_refused() {
    if Command::new("minisign").arg("-v").output().is_err() {
        eprintln!("minisign is not installed; scripts/setup.sh installs it");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::create_dir(d.join("release")).unwrap();
    let mut sums = String::new();
    for (name, body) in [("packplan_9.9.9_amd64.deb", "a deb"), ("packplan-9.9.9-npm.cdx.json", "{}")] {
        std::fs::write(d.join("release").join(name), body).unwrap();
        sums.push_str(&format!("{}  {name}\n", sha256_hex(body.as_bytes())));
    }
    std::fs::write(d.join("release/SHA256SUMS"), sums).unwrap();
    run("minisign -G -W -p test.pub -s test.key >/dev/null && minisign -S -s test.key -m release/SHA256SUMS", d);

    let ok = packplan(&["verify-release", "release", "--key", "test.pub"], d);
    let stdout = String::from_utf8_lossy(&ok.stdout);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(stdout.contains("release is a complete release"), "{stdout}");
    assert!(stdout.contains("ok  packplan_9.9.9_amd64.deb"), "{stdout}");
    let json = packplan(&["--json", "verify-release", "release", "--key", "test.pub"], d);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["files"].as_array().unwrap().len(), 2);
    assert_eq!(report["release_key"], false);

    std::fs::write(d.join("release/packplan_9.9.9_amd64.deb"), "a deb, changed").unwrap();
    let bad = packplan(&["--json", "verify-release", "release", "--key", "test.pub"], d);
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stderr.starts_with("packplan: the release folder release does not match its signed SHA256SUMS"),
        "{stderr}"
    );
    assert!(stderr.contains("packplan_9.9.9_amd64.deb: changed since it was signed"), "{stderr}");
    let error: serde_json::Value = serde_json::from_slice(&bad.stdout).unwrap();
    assert_eq!(error["error"]["kind"], "damaged");
}
