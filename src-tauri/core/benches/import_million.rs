//! Import throughput: a bundle of one million capacity observations, imported into a
//! fresh vault (decrypt, verify, validate every row, diff, apply in one transaction),
//! timed beside `age -d` on the same file and `sqlite3 .import` of the same CSV into a
//! plain table (the issue-17 yardstick: at most 3x), with the process's peak memory
//! during the import (the target: at most 3x the bundle's size). One measured run,
//! printed as table rows for docs/performance.md
//! (`cargo bench -p packplan-core --bench import_million`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write as _;
use std::time::Instant;

use age::secrecy::ExposeSecret;
use packplan_core::bundle::{seal, Limits, NewBundle, Sealing, SignaturePolicy, SigningKey};
use packplan_core::dataset::import::{self, BundleKey};
use packplan_core::location::VaultLocation;
use packplan_core::progress::{CancelToken, NoProgress};
use packplan_core::vault::{keys, Change, Passphrase, Vault};

const ROWS: usize = 1_000_000;

fn demo(name: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo").join(name)).unwrap()
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    // a million distinct keys: 16 facilities x technologies in the demo, months and sources varied
    let mut csv = String::from("facility_id,technology_id,month,low,base,high,unit,source,as_of,confidence,note\n");
    let pairs =
        [("tsmc-cowos", "cowos-l"), ("tsmc-cowos", "cowos-s"), ("ase-k", "cowos-like"), ("skh-icheon", "hbm3e")];
    for i in 0..ROWS {
        let (f, t) = pairs[i % pairs.len()];
        let month = 2000 * 12 + (i / pairs.len()) % 1200;
        let base = 1000 + (i % 5000);
        csv.push_str(&format!(
            "{f},{t},{:04}-{:02},{},{base},{},wafers/month,synthetic source {},2026-06-30,C,\n",
            month / 12,
            month % 12 + 1,
            base - 100,
            base + 100,
            i / (pairs.len() * 1200)
        ));
    }
    let csv_file = dir.path().join("capacity_observations.csv");
    std::fs::write(&csv_file, &csv).unwrap();
    let files = vec![
        ("suppliers.csv".to_string(), demo("suppliers.csv")),
        ("facilities.csv".to_string(), demo("facilities.csv")),
        ("technologies.csv".to_string(), demo("technologies.csv")),
        ("capacity_observations.csv".to_string(), csv.into_bytes()),
    ];
    let plaintext: usize = files.iter().map(|(_, b)| b.len()).sum();
    let issuer = SigningKey::generate().unwrap();
    let location = VaultLocation::resolve(Some(&dir.path().join("vault"))).unwrap();
    let (mut vault, receipt) =
        Vault::init(&location, &Passphrase::new("benchmark passphrase 1".into()), "bench").unwrap();
    let key = issuer.public_key().to_base64();
    vault
        .write(Change::new("bench", "issuer.add", "Bench", serde_json::json!({})), |tx| {
            keys::add_issuer(tx, "Bench", &key)
        })
        .unwrap();
    let recipient: age::x25519::Recipient = receipt.recipient.parse().unwrap();
    let bundle = NewBundle {
        bundle_id: "bench-1".into(),
        producer_seq: 1,
        created: "2026-11-26T00:00:00Z".into(),
        title: "One million rows".into(),
        classification: "INTERNAL".into(),
        schema_version: 1,
        intended_recipients: None,
        files,
    };
    let sealed = seal(&bundle, Some(&issuer), &Sealing::Recipients(vec![recipient]), false).unwrap();
    drop(bundle);
    let file = dir.path().join("million.ppb");
    std::fs::write(&file, &sealed).unwrap();

    // sqlite3 .import of the same CSV into a plain table (no key, no types, no index)
    let plain = dir.path().join("plain.db");
    let t = Instant::now();
    let sqlite = std::process::Command::new("sqlite3")
        .arg(&plain)
        .arg(".mode csv")
        .arg(format!(".import {} capacity_observations", csv_file.display()))
        .status();
    let sqlite_secs = t.elapsed().as_secs_f64();
    let sqlite_ok = sqlite.map(|s| s.success()).unwrap_or(false);

    // ... and into the vault's own table (its schema read from the vault: key, types,
    // indexes), unencrypted: how much of the time the table itself costs
    let schema: Vec<String> = vault
        .read(|c| {
            let mut stmt = c
                .prepare("SELECT sql FROM sqlite_master WHERE tbl_name = 'capacity_observations' AND sql IS NOT NULL")
                .unwrap();
            Ok(stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect())
        })
        .unwrap();
    let with_dataset: String =
        std::fs::read_to_string(&csv_file).unwrap().lines().skip(1).map(|line| format!("bench-1,{line}\n")).collect();
    let schema_csv = dir.path().join("with_dataset.csv");
    std::fs::write(&schema_csv, with_dataset).unwrap();
    let shaped = dir.path().join("shaped.db");
    std::process::Command::new("sqlite3").arg(&shaped).arg(schema.join(";\n")).status().unwrap();
    let t = Instant::now();
    let sqlite = std::process::Command::new("sqlite3")
        .arg(&shaped)
        .arg(".mode csv")
        .arg(format!(".import {} capacity_observations", schema_csv.display()))
        .stderr(std::process::Stdio::null()) // "filling the rest with NULL": the publisher column
        .status();
    let shaped_secs = t.elapsed().as_secs_f64();
    let counted = std::process::Command::new("sqlite3")
        .arg(&shaped)
        .arg("SELECT count(*) FROM capacity_observations")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == ROWS.to_string())
        .unwrap_or(false);
    let shaped_ok = sqlite.map(|s| s.success()).unwrap_or(false) && counted;

    // age -d on the same file, with the vault's identity written to a temporary identity file
    let identity = vault.read(keys::own_identity).unwrap();
    let id_file = dir.path().join("identity.txt");
    std::fs::File::create(&id_file).unwrap().write_all(identity.to_string().expose_secret().as_bytes()).unwrap();
    let t = Instant::now();
    let status = std::process::Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(&id_file)
        .arg(&file)
        .stdout(std::process::Stdio::null())
        .status();
    let age_secs = t.elapsed().as_secs_f64();
    let age_ok = status.map(|s| s.success()).unwrap_or(false);

    // the peak from here on is the import's (the bundle's bytes, held as the app holds them, included)
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
    let t = Instant::now();
    let staged = import::stage(
        &vault,
        &sealed,
        &BundleKey::Vault,
        SignaturePolicy::default(),
        &Limits::default(),
        &NoProgress,
        &CancelToken::new(),
    )
    .unwrap();
    let staged_secs = t.elapsed().as_secs_f64();
    // as the app does: the file's bytes are not kept once its import is staged
    let bundle_bytes = sealed.len();
    drop(sealed);
    assert!(
        staged.preview.problems.is_empty(),
        "{:?}",
        &staged.preview.problems[..3.min(staged.preview.problems.len())]
    );
    let t2 = Instant::now();
    import::apply(&mut vault, staged, "bench", &NoProgress, &CancelToken::new()).unwrap();
    let apply_secs = t2.elapsed().as_secs_f64();
    let total = staged_secs + apply_secs;
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let peak_kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    println!(
        "bundle: {ROWS} capacity rows, {:.1} MiB plaintext, {:.1} MiB encrypted",
        plaintext as f64 / 1048576.0,
        bundle_bytes as f64 / 1048576.0
    );
    println!("| `age -d` of the bundle | {age_secs:.2} s{} |", if age_ok { "" } else { " (age failed or is missing)" });
    println!("| Packplan: decrypt, verify, validate every row, diff (stage) | {staged_secs:.2} s |");
    println!("| Packplan: apply in one transaction (insert, audit) | {apply_secs:.2} s |");
    println!("| Packplan: import total | {total:.2} s ({:.0} rows/s) |", ROWS as f64 / total);
    println!(
        "| `sqlite3 .import` of the CSV into a plain table | {sqlite_secs:.2} s{} |",
        if sqlite_ok { "" } else { " (sqlite3 failed or is missing)" }
    );
    println!("| Packplan import against sqlite3 .import | {:.1}x |", total / sqlite_secs);
    println!(
        "| `sqlite3 .import` into the vault's table, unencrypted | {shaped_secs:.2} s{} |",
        if shaped_ok { "" } else { " (sqlite3 failed, is missing, or did not import every row)" }
    );
    println!(
        "| Peak memory of the import (VmHWM) | {:.0} MiB ({:.1}x the bundle) |",
        peak_kib / 1024.0,
        peak_kib * 1024.0 / bundle_bytes as f64
    );
}
