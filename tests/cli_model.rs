//! `packplan geometry` and `packplan model` on the command line, as a user runs them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use packplan_core::bundle::producer::rows_from_folder;
use packplan_core::model::assemble::assemble;
use packplan_core::model::scenario::Scenario;

fn packplan(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_packplan")).args(args).env_remove("PACKPLAN_VAULT").output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

#[test]
fn geometry_reports_units_and_placements() {
    let (ok, stdout, _) = packplan(&["geometry", "--carrier", "wafer300", "--package", "66x72", "--json"]);
    assert!(ok);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["units"], 9);
    assert_eq!(v["placements"].as_array().unwrap().len(), 9);
    let (ok, stdout, _) = packplan(&["geometry", "--carrier", "panel:310x310", "--package", "66x72"]);
    assert!(ok);
    assert!(stdout.starts_with("16 packages of 66 x 72 mm on a 310 x 310 mm panel"), "{stdout}");
    let (ok, _, stderr) = packplan(&["geometry", "--carrier", "disc", "--package", "66x72"]);
    assert!(!ok);
    assert!(stderr.contains("use wafer300 or panel:WxH"), "{stderr}");
}

#[test]
fn model_run_on_an_input_file_reproduces_and_exports_the_program() {
    let dir = tempfile::tempdir().unwrap();
    let rows = rows_from_folder(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo"), "demo").unwrap();
    let input = assemble(
        &rows,
        vec![],
        &Scenario::baseline(),
        &packplan_core::horizon::Horizon {
            today: "2025-01".parse().unwrap(),
            start: "2024-12".parse().unwrap(),
            months: 60,
        },
    )
    .unwrap();
    let file = dir.path().join("input.json");
    std::fs::write(&file, input.to_json()).unwrap();
    let path = file.to_str().unwrap();
    let (ok, stdout, stderr) = packplan(&["model", "run", "--input", path, "--trials", "200", "--seed", "3", "--json"]);
    assert!(ok, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    // the overview report, as the app shows it, with the Monte Carlo asked for
    assert_eq!(v["scenario"], "Baseline");
    assert_eq!(v["input_sha256"].as_str().map(str::len), Some(64));
    assert_eq!(v["uncertainty"]["trials"], 200);
    assert_eq!(v["uncertainty"]["orders"][0]["order"], "cluster-a");
    let again: serde_json::Value = serde_json::from_str(
        &packplan(&["model", "run", "--input", path, "--trials", "200", "--seed", "3", "--json"]).1,
    )
    .unwrap();
    assert_eq!(v, again, "the same input and seed must give the same results");
    let (ok, stdout, _) = packplan(&["model", "run", "--input", path]);
    assert!(ok);
    assert!(stdout.contains("bottleneck timeline (from today):") && stdout.contains("order cluster-a"), "{stdout}");
    assert!(stdout.contains("  supply: 0.15% of B300's output\n"), "where the order's units come from: {stdout}");
    // December 2024 to November 2029: the first and last years are sums of part of them, and say so
    let header = stdout.lines().find(|l| l.trim_start().starts_with("product")).unwrap();
    assert_eq!(
        header.split_whitespace().collect::<Vec<_>>().join(" "),
        "product 2024 (1 mo) 2025 2026 2027 2028 2029 (11 mo)",
        "{stdout}"
    );
    let mps = dir.path().join("baseline.mps");
    let (ok, stdout, _) = packplan(&["model", "lp", "--input", path, "--out", mps.to_str().unwrap()]);
    assert!(ok);
    assert!(stdout.contains("variables"));
    assert!(std::fs::read_to_string(&mps).unwrap().starts_with("* Packplan supply network"));
    // a damaged input is refused with the way to fix it
    std::fs::write(&file, "{\"format\": \"nonsense\"}").unwrap();
    let (ok, _, stderr) = packplan(&["model", "run", "--input", path]);
    assert!(!ok);
    assert!(stderr.contains("docs/model-input.md"), "{stderr}");
}
