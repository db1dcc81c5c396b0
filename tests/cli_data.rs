//! Bundles into and out of the vault from the command line: trust an issuer,
//! preview and import (including a bundle the standard `age` tool encrypted),
//! list datasets and rows, export to a contact, remove a dataset.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

const PASS: &str = "orbit lantern quietly harbour";

fn packplan(args: &[&str], dir: &Path, vault: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_packplan"))
        .args(["--vault", vault])
        .args(args)
        .current_dir(dir)
        .env_remove("PACKPLAN_VAULT")
        .env("PACKPLAN_PASSPHRASE", PASS)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

fn ok(o: Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn json(o: Output) -> serde_json::Value {
    serde_json::from_str(&ok(o)).unwrap()
}

fn have_age() -> bool {
    Command::new("age").arg("--version").output().map(|o| o.status.success()).unwrap_or(false)
}

#[test]
fn a_supplier_bundle_is_previewed_imported_listed_exported_and_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(d.join("pass.txt"), format!("{PASS}\n")).unwrap();
    for v in ["mine", "colleague"] {
        ok(packplan(&["vault", "init", "--passphrase-file", "pass.txt"], d, v));
    }
    let mine = json(packplan(&["--json", "keys", "show"], d, "mine"));
    let colleague = json(packplan(&["--json", "keys", "show"], d, "colleague"));

    // A supplier makes a signed bundle from the demo tables for my recipient.
    ok(packplan(&["bundle", "keygen", "--out", "supplier.key"], d, "mine"));
    std::fs::create_dir(d.join("src")).unwrap();
    for e in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo")).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() && p.extension().is_some_and(|x| x == "csv" || x == "json") {
            std::fs::copy(&p, d.join("src").join(p.file_name().unwrap())).unwrap();
        }
    }
    std::fs::write(
        d.join("src/manifest.json"),
        r#"{"title":"Supplier capacity","classification":"CONFIDENTIAL - SUPPLIER NDA","producer_seq":3}"#,
    )
    .unwrap();
    let recipient = mine["recipient"].as_str().unwrap();
    ok(packplan(
        &["bundle", "create", "src", "--out", "s.ppb", "--recipient", recipient, "--signing-key", "supplier.key"],
        d,
        "mine",
    ));

    // Not yet trusted: refused, with what to do.
    let refused = packplan(&["bundle", "import", "s.ppb"], d, "mine");
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("packplan issuers add"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    ok(packplan(&["issuers", "add", "Supplier", "--key-file", "supplier.key.pub"], d, "mine"));

    let preview = ok(packplan(&["bundle", "import", "s.ppb", "--dry-run"], d, "mine"));
    assert!(
        preview.contains("signed by Supplier")
            && preview.contains("capacity_observations")
            && preview.ends_with("(dry run: nothing was changed)\n"),
        "{preview}"
    );
    assert_eq!(
        json(packplan(&["--json", "dataset", "list"], d, "mine")).as_array().unwrap().len(),
        1,
        "only the local dataset"
    );

    let receipt = json(packplan(&["--json", "bundle", "import", "s.ppb"], d, "mine"));
    let dataset_id = receipt["dataset"]["id"].as_str().unwrap().to_owned();
    assert_eq!(receipt["dataset"]["rows"]["capacity_observations"], 86);
    let products = json(packplan(&["--json", "data", "list", "products"], d, "mine"));
    let rubin = products.as_array().unwrap().iter().find(|p| p["id"] == "rubin").unwrap();
    assert_eq!(
        (rubin["interposer_width_mm"].as_f64(), rubin["dataset_id"].as_str()),
        (Some(66.0), Some(dataset_id.as_str()))
    );
    let bad_table = packplan(&["data", "list", "gpus"], d, "mine");
    assert!(String::from_utf8_lossy(&bad_table.stderr).contains("the tables are suppliers, facilities"));

    // Export to the colleague, who trusts my signing key.
    ok(packplan(&["contacts", "add", "Colleague", colleague["recipient"].as_str().unwrap()], d, "mine"));
    ok(packplan(&["issuers", "add", "Me", "--key", mine["signing_public_key"].as_str().unwrap()], d, "colleague"));
    ok(packplan(
        &[
            "bundle",
            "export",
            "--dataset",
            &dataset_id,
            "--title",
            "For the team",
            "--to",
            "Colleague",
            "--out",
            "team.ppb",
        ],
        d,
        "mine",
    ));
    let theirs = json(packplan(&["--json", "bundle", "import", "team.ppb"], d, "colleague"));
    // the label as the exporting site marks it: one level, the caveat beside it
    assert_eq!(theirs["dataset"]["classification"], "CONFIDENTIAL // SUPPLIER NDA");
    assert_eq!(json(packplan(&["--json", "data", "list", "products"], d, "colleague")).as_array().unwrap().len(), 10);

    // Exported bundles are standard age files: `age -d` with the colleague's identity needs the vault,
    // so check the header and that a stranger's vault cannot open it.
    assert!(std::fs::read(d.join("team.ppb")).unwrap().starts_with(b"age-encryption.org/v1\n"));
    let stranger = packplan(&["bundle", "import", "team.ppb"], d, "mine");
    assert!(!stranger.status.success());

    // Undo the import.
    let removed = ok(packplan(&["dataset", "remove", &dataset_id], d, "mine"));
    assert!(removed.contains("removed the dataset \"Supplier capacity\""), "{removed}");
    assert!(json(packplan(&["--json", "data", "list", "products"], d, "mine")).as_array().unwrap().is_empty());
    let audit = json(packplan(&["--json", "audit", "list"], d, "mine"));
    let actions: Vec<&str> = audit.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions[..5], ["dataset.remove", "bundle.export", "contact.add", "bundle.import", "issuer.add"]);
}

#[test]
fn a_bundle_the_standard_age_tool_encrypted_imports() {
    if !have_age() {
        eprintln!("skipped: the age tool is not installed (scripts/setup.sh installs it)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(d.join("pass.txt"), format!("{PASS}\n")).unwrap();
    ok(packplan(&["vault", "init", "--passphrase-file", "pass.txt"], d, "v"));
    let me = json(packplan(&["--json", "keys", "show"], d, "v"));
    // Make an unsigned bundle to a throwaway passphrase, decrypt it with age, re-encrypt it with age to my vault.
    ok(packplan(&["bundle", "template", "src"], d, "v"));
    std::fs::write(d.join("bp.txt"), "temporary bundle words\n").unwrap();
    ok(packplan(&["bundle", "create", "src", "--out", "p.ppb", "--passphrase-file", "bp.txt"], d, "v"));
    let tar = d.join("bundle.tar");
    let out = packplan(&["bundle", "inspect", "p.ppb", "--bundle-passphrase-file", "bp.txt"], d, "v");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // age -d needs a terminal for passphrases; the container tests cover that path. Here: X25519.
    let identity = d.join("id.txt");
    assert!(Command::new("age-keygen").arg("-o").arg(&identity).output().unwrap().status.success());
    ok(packplan(
        &["bundle", "create", "src", "--out", "x.ppb", "--recipient", &age_public(&identity), "--armor"],
        d,
        "v",
    ));
    let decrypted = Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(&identity)
        .arg("-o")
        .arg(&tar)
        .arg(d.join("x.ppb"))
        .output()
        .unwrap();
    assert!(decrypted.status.success(), "{}", String::from_utf8_lossy(&decrypted.stderr));
    let listing = Command::new("tar").arg("-tf").arg(&tar).output().unwrap();
    assert!(String::from_utf8_lossy(&listing.stdout).contains("manifest.json"));
    let reencrypted = Command::new("age")
        .args(["-r", me["recipient"].as_str().unwrap(), "-o"])
        .arg(d.join("by-age.age"))
        .arg(&tar)
        .output()
        .unwrap();
    assert!(reencrypted.status.success());
    let imported = json(packplan(&["--json", "bundle", "import", "by-age.age", "--allow-unsigned"], d, "v"));
    assert_eq!(imported["dataset"]["policy_override"], "unsigned bundle allowed for this import");
}

fn age_public(identity: &Path) -> String {
    std::fs::read_to_string(identity)
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("# public key: ").map(str::to_owned))
        .unwrap()
}

#[test]
fn the_workbook_template_and_a_folder_of_csv_files_import_as_the_users_own_datasets() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(d.join("pass.txt"), format!("{PASS}\n")).unwrap();
    ok(packplan(&["vault", "init", "--passphrase-file", "pass.txt"], d, "v"));
    let written = ok(packplan(&["bundle", "template", "--xlsx", "figures.xlsx"], d, "v"));
    assert!(written.contains("packplan dataset import figures.xlsx"), "{written}");
    let again = packplan(&["bundle", "template", "--xlsx", "figures.xlsx"], d, "v");
    assert!(!again.status.success() && String::from_utf8_lossy(&again.stderr).contains("already exists"));

    // no classification: clap refuses before anything is read
    assert!(!packplan(&["dataset", "import", "figures.xlsx"], d, "v").status.success());
    let dry = ok(packplan(&["dataset", "import", "figures.xlsx", "--classification", "INTERNAL", "--dry-run"], d, "v"));
    assert!(dry.contains("your own files, not signed") && dry.contains("(dry run: nothing was changed)"), "{dry}");
    let done = ok(packplan(&["dataset", "import", "figures.xlsx", "--classification", "INTERNAL"], d, "v"));
    assert!(done.contains("imported as dataset file-"), "{done}");

    // a folder as Excel saves CSV where the comma is the decimal separator, with a
    // date that reads two ways
    std::fs::create_dir(d.join("csv")).unwrap();
    std::fs::write(
        d.join("csv/demand.csv"),
        "customer;from_month;to_month;units_per_month;source;as_of\nMicrosoft;2027-01;2027-12;41666,5;Own estimate;1/6/2026\n",
    )
    .unwrap();
    let ambiguous = packplan(&["dataset", "import", "csv", "--classification", "INTERNAL"], d, "v");
    let said = String::from_utf8_lossy(&ambiguous.stdout);
    assert!(!ambiguous.status.success(), "{said}");
    assert!(
        said.contains("demand.csv:2:6: as_of: \"1/6/2026\" could be") && said.contains("say which order"),
        "{said}"
    );
    let done =
        ok(packplan(&["dataset", "import", "csv", "--classification", "INTERNAL", "--dates", "day-month"], d, "v"));
    assert!(done.contains("semicolons; commas are read as decimal separators"), "{done}");
    let rows = json(packplan(&["--json", "data", "list", "demand"], d, "v"));
    let row = &rows.as_array().unwrap()[0];
    assert_eq!((row["units_per_month"].as_f64(), row["as_of"].as_str()), (Some(41666.5), Some("2026-06-01")));
    let listed = json(packplan(&["--json", "dataset", "list"], d, "v"));
    let own: Vec<&serde_json::Value> = listed.as_array().unwrap().iter().filter(|x| x["origin"] == "files").collect();
    assert_eq!(own.len(), 2, "{listed}");
}

#[test]
fn the_plan_goes_out_as_a_marked_workbook_and_an_existing_file_is_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(d.join("pass.txt"), format!("{PASS}\n")).unwrap();
    ok(packplan(&["vault", "init", "--passphrase-file", "pass.txt"], d, "v"));
    ok(packplan(&["demo"], d, "v"));
    let args = ["model", "workbook", "--trials", "20", "--today", "2026-12", "--out", "plan.xlsx"];
    let said = ok(packplan(&args, d, "v"));
    assert!(said.contains("every sheet marked"), "{said}");
    let bytes = std::fs::read(d.join("plan.xlsx")).unwrap();
    assert_eq!(&bytes[..2], b"PK");
    let again = packplan(&args, d, "v");
    assert!(!again.status.success() && String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert_eq!(std::fs::read(d.join("plan.xlsx")).unwrap(), bytes, "the first file is as it was");
}

#[test]
fn the_briefing_pack_goes_out_as_one_marked_pdf_with_the_models_answer() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(d.join("pass.txt"), format!("{PASS}\n")).unwrap();
    ok(packplan(&["vault", "init", "--passphrase-file", "pass.txt"], d, "v"));
    ok(packplan(&["demo"], d, "v"));
    let args = [
        "--json",
        "report",
        "--scenario",
        "CoPoS accelerated",
        "--compare-with",
        "Baseline",
        "--trials",
        "100",
        "--today",
        "2026-12",
        "--out",
        "brief.pdf",
    ];
    let said = json(packplan(&args, d, "v"));
    let banner = said["marking"].as_str().unwrap().to_string();
    assert_eq!(banner, "PUBLIC // ILLUSTRATIVE: PUBLIC ESTIMATES");
    let bytes = std::fs::read(d.join("brief.pdf")).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    // read as a reader's tools read it: every page marked at its top and bottom, numbered
    let text = Command::new("pdftotext")
        .args(["-layout", "brief.pdf", "-"])
        .current_dir(d)
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/setup.sh");
    let text = String::from_utf8(text.stdout).unwrap();
    let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    assert!(pages.len() >= 6, "{} pages", pages.len());
    for (i, page) in pages.iter().enumerate() {
        let lines: Vec<&str> = page.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.first(), Some(&banner.as_str()), "page {}:\n{page}", i + 1);
        assert_eq!(lines.last(), Some(&banner.as_str()), "page {}:\n{page}", i + 1);
        assert!(page.contains(&format!("Page {} of {}", i + 1, pages.len())), "page {} numbered", i + 1);
    }
    // the answer is the one the JSON reports, on the page after the cover
    let answer = &said["answers"][0];
    let on_time = format!("{:.0}%", answer["probability_on_time"].as_f64().unwrap() * 100.0);
    let row = pages[1].lines().find(|l| l.contains("cluster-a") && l.contains("B300")).expect("the order's row");
    assert!(row.contains(&on_time), "{on_time} in {row}");
    assert!(pages[1].contains("Against Baseline"), "the second scenario beside it");
    assert!(text.contains("limits supply"), "the bottleneck timeline in words");
    // an existing file is never overwritten
    let again = packplan(&args[1..], d, "v");
    assert!(!again.status.success() && String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert_eq!(std::fs::read(d.join("brief.pdf")).unwrap(), bytes);
}
