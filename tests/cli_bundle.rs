//! A producer without the UI, at the command line: template, keygen, create, inspect,
//! with the standard `age` and `minisign` tools as oracles.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

fn packplan(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_packplan"))
        .args(args)
        .current_dir(cwd)
        .env_remove("PACKPLAN_VAULT")
        .output()
        .unwrap()
}

fn text(o: &Output) -> (String, String) {
    (String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

fn have(tool: &str) -> bool {
    Command::new(tool).arg("-h").output().is_ok()
}

#[test]
fn a_producer_makes_a_signed_bundle_from_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(packplan(&["bundle", "template", "folder"], d).status.success());
    for f in ["manifest.json", "README.md", "capacity_observations.csv", "products.csv", "suppliers.csv"] {
        assert!(d.join("folder").join(f).is_file(), "{f}");
    }
    // The template again: refused, nothing overwritten.
    let again = packplan(&["bundle", "template", "folder"], d);
    assert!(!again.status.success());
    assert!(text(&again).1.contains("already exists"));

    // A mistake in a CSV: every problem listed, located; nothing written.
    let csv = d.join("folder/capacity_observations.csv");
    let good = std::fs::read_to_string(&csv).unwrap();
    std::fs::write(&csv, good.replace("2026-12", "2026-13").replace(",68000,", ",sixty,")).unwrap();
    let me = age::x25519::Identity::generate();
    let recipient = me.to_public().to_string();
    let bad = packplan(&["bundle", "create", "folder", "--out", "b.ppb", "--recipient", &recipient], d);
    assert_eq!(bad.status.code(), Some(1));
    let (_, err) = text(&bad);
    assert!(err.contains("capacity_observations.csv:2:3: month: \"2026-13\" is not a month"), "{err}");
    assert!(err.contains("capacity_observations.csv:2:5: base: \"sixty\" is not a number"), "{err}");
    assert!(err.trim_end().ends_with("2 problems in folder; fix them and run again. Nothing was written"), "{err}");
    assert!(!d.join("b.ppb").exists());
    std::fs::write(&csv, good).unwrap();

    // Keys, then a signed bundle.
    let keygen = packplan(&["bundle", "keygen", "--out", "issuer.key", "--json"], d);
    assert!(keygen.status.success(), "{}", text(&keygen).1);
    let info: serde_json::Value = serde_json::from_str(&text(&keygen).0).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(d.join("issuer.key")).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let created = packplan(
        &[
            "bundle",
            "create",
            "folder",
            "--out",
            "b.ppb",
            "--recipient",
            &recipient,
            "--signing-key",
            "issuer.key",
            "--json",
        ],
        d,
    );
    assert!(created.status.success(), "{}", text(&created).1);
    let summary: serde_json::Value = serde_json::from_str(&text(&created).0).unwrap();
    assert_eq!(summary["signed_by"], info["key_id"]);
    assert_eq!(summary["rows"]["technologies.csv"], 5);

    // Inspect with the issuer's public key: signature valid, no problems.
    std::fs::write(d.join("me.key"), age::secrecy::ExposeSecret::expose_secret(&me.to_string())).unwrap();
    let inspect = packplan(
        &["bundle", "inspect", "b.ppb", "--identity", "me.key", "--issuer-key", "issuer.key.pub", "--json"],
        d,
    );
    assert!(inspect.status.success(), "{}", text(&inspect).1);
    let report: serde_json::Value = serde_json::from_str(&text(&inspect).0).unwrap();
    assert_eq!(report["signer"]["status"], "trusted");
    assert_eq!(report["problems"].as_array().unwrap().len(), 0);
    assert_eq!(report["manifest"]["title"], "Capacity update, month year");

    // The standard tools agree: age decrypts, tar lists, minisign verifies the manifest.
    if have("age") && have("minisign") {
        let tar = Command::new("sh")
            .arg("-c")
            .arg("age -d -i me.key b.ppb > b.tar && tar -xf b.tar manifest.json manifest.json.minisig && minisign -Vm manifest.json -p issuer.key.pub")
            .current_dir(d)
            .output()
            .unwrap();
        assert!(tar.status.success(), "{}", String::from_utf8_lossy(&tar.stderr));
        assert!(String::from_utf8_lossy(&tar.stdout).contains("Signature and comment signature verified"));
    } else {
        eprintln!("age or minisign is not installed; scripts/setup.sh installs both");
    }
}
