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
    let report = inspect_trusted(d, "b.ppb");
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

/// The template folder's tables as a workbook, each cell written as text, as a user's
/// hand-made sheet would hold them; `edit` may change a cell (sheet, row, column, text).
fn workbook_of(folder: &Path, edit: impl Fn(&str, usize, usize, &str) -> String) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let mut names: Vec<_> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv"))
        .collect();
    names.sort();
    for name in names {
        let table = name.trim_end_matches(".csv");
        let sheet = book.add_worksheet().set_name(table).unwrap();
        let mut csv = csv::Reader::from_path(folder.join(&name)).unwrap();
        for (c, h) in csv.headers().unwrap().iter().enumerate() {
            sheet.write_string(0, c as u16, h).unwrap();
        }
        for (r, record) in csv.records().enumerate() {
            for (c, cell) in record.unwrap().iter().enumerate() {
                let cell = edit(table, r + 1, c, cell);
                if !cell.is_empty() {
                    sheet.write_string(r as u32 + 1, c as u16, &cell).unwrap();
                }
            }
        }
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn a_producer_makes_a_bundle_from_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(packplan(&["bundle", "template", "folder"], d).status.success());
    // As Excel users write them: an as-of date in m/d/yyyy form, a share as a percentage.
    let excel = |table: &str, row: usize, column: usize, cell: &str| match (table, row, column) {
        ("capacity_observations", 1, 8) => "11/30/2025".to_string(),
        ("allocations", 1, 5) => "59%".to_string(),
        _ => cell.to_string(),
    };
    std::fs::write(d.join("figures.xlsx"), workbook_of(&d.join("folder"), excel)).unwrap();
    let me = age::x25519::Identity::generate();
    let recipient = me.to_public().to_string();
    assert!(packplan(&["bundle", "keygen", "--out", "issuer.key"], d).status.success());

    // A workbook has no manifest.json: the flags give it, and are refused for a folder.
    let bare = packplan(&["bundle", "create", "figures.xlsx", "--out", "b.ppb", "--recipient", &recipient], d);
    assert_eq!(bare.status.code(), Some(1));
    assert!(text(&bare).1.contains("give --title, --classification and --seq"), "{}", text(&bare).1);
    let folder = ["bundle", "create", "folder", "--out", "b.ppb", "--recipient", &recipient, "--seq", "2"];
    let refused = packplan(&folder, d);
    assert!(text(&refused).1.contains("--seq and --dates are for a workbook"), "{}", text(&refused).1);
    assert!(!d.join("b.ppb").exists());

    let args = |out: &'static str, book: &'static str| {
        [
            "bundle",
            "create",
            book,
            "--out",
            out,
            "--recipient",
            &recipient,
            "--signing-key",
            "issuer.key",
            "--title",
            "Figures from Excel",
            "--classification",
            "CONFIDENTIAL - SUPPLIER NDA",
            "--seq",
            "7",
            "--json",
        ]
        .map(str::to_string)
    };
    let created = packplan(&args("b.ppb", "figures.xlsx").iter().map(String::as_str).collect::<Vec<_>>(), d);
    let (stdout, stderr) = text(&created);
    assert!(created.status.success(), "{stderr}");
    assert!(stderr.contains("capacity_observations!I2: as_of: \"11/30/2025\" read as 2025-11-30"), "{stderr}");
    assert!(stderr.contains("allocations!F2: share_base: \"59%\" read as 0.59"), "{stderr}");
    let summary: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(summary["producer_seq"], 7);
    assert_eq!(summary["rows"]["allocations.csv"], 2);
    assert_eq!(summary["rows"]["technologies.csv"], 5);

    // The recipient reads a bundle like any other, signed, with the cells as read.
    std::fs::write(d.join("me.key"), age::secrecy::ExposeSecret::expose_secret(&me.to_string())).unwrap();
    let report = inspect_trusted(d, "b.ppb");
    assert_eq!(report["manifest"]["title"], "Figures from Excel");
    assert_eq!(report["manifest"]["classification"], "CONFIDENTIAL - SUPPLIER NDA");
    let bundle = std::fs::read(d.join("b.ppb")).unwrap();
    let decrypted = age::decrypt(&me, &bundle).unwrap();
    let archive = String::from_utf8_lossy(&decrypted);
    assert!(archive.contains("tsmc-ap6,cowos-l,2026-12,60000,68000,75000,wafers/month,\"TrendForce, CoWoS capacity, 2025-11\",2025-11-30"), "the date is written as the bundle format writes it");
    assert!(archive.contains("cowos-l,NVIDIA,2026-01,,0.55,0.59,0.63"), "the share as a fraction");

    // A wrong cell: named by sheet and cell, nothing written.
    let wrong = |table: &str, row: usize, column: usize, cell: &str| match (table, row, column) {
        ("capacity_observations", 1, 2) => "2026-13".to_string(),
        _ => excel(table, row, column, cell),
    };
    std::fs::write(d.join("wrong.xlsx"), workbook_of(&d.join("folder"), wrong)).unwrap();
    let bad = packplan(&args("c.ppb", "wrong.xlsx").iter().map(String::as_str).collect::<Vec<_>>(), d);
    assert_eq!(bad.status.code(), Some(1));
    let (_, err) = text(&bad);
    assert!(err.contains("capacity_observations!C2: month: \"2026-13\""), "{err}");
    assert!(err.trim_end().ends_with("1 problem in wrong.xlsx; fix it and run again. Nothing was written"), "{err}");
    assert!(!d.join("c.ppb").exists());
}

/// `bundle inspect FILE` with the recipient's key `me.key` and the issuer's `issuer.key.pub`:
/// the report, once it says the bundle is signed by the trusted issuer and has no problem.
fn inspect_trusted(d: &Path, file: &str) -> serde_json::Value {
    let inspect =
        packplan(&["bundle", "inspect", file, "--identity", "me.key", "--issuer-key", "issuer.key.pub", "--json"], d);
    assert!(inspect.status.success(), "{}", text(&inspect).1);
    let report: serde_json::Value = serde_json::from_str(&text(&inspect).0).unwrap();
    assert_eq!(report["signer"]["status"], "trusted");
    assert_eq!(report["problems"].as_array().unwrap().len(), 0);
    report
}
