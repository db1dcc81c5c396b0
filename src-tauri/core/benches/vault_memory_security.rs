//! Benchmark: what SQLCipher's `cipher_memory_security` costs on the vault's work.
//!
//! The setting wipes every SQLite allocation on free and locks memory; once on it
//! stays on for the life of the process, so each variant runs in its own child
//! process. Run with `cargo bench -p packplan-core --bench vault_memory_security`;
//! the figures go into docs/performance.md.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use packplan_core::location::VaultLocation;
use packplan_core::vault::{Change, Passphrase, Unlock, Vault};

const ROWS: usize = 50_000;
const PASS: &str = "orbit lantern quietly harbour";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--variant") {
        run_variant(&args[i + 1]);
        return;
    }
    println!("cipher_memory_security benchmark: {ROWS} capacity rows in one transaction, then 20 full scans");
    println!("{:<6} {:>12} {:>12} {:>14}", "memsec", "insert ms", "scan ms", "peak RSS MiB");
    for variant in ["OFF", "ON"] {
        let out = std::process::Command::new(&args[0]).args(["--variant", variant]).output().expect("child runs");
        print!("{}", String::from_utf8_lossy(&out.stdout));
        eprint!("{}", String::from_utf8_lossy(&out.stderr));
    }
}

fn run_variant(variant: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let location = VaultLocation::resolve(Some(dir.path())).expect("location");
    let (vault, _) = Vault::init(&location, &Passphrase::new(PASS.into()), "bench").expect("init");
    vault.lock().expect("lock");
    let mut vault = Vault::unlock(&location, &Unlock::Passphrase(&Passphrase::new(PASS.into()))).expect("unlock");
    vault
        .read(|c| {
            c.execute_batch(&format!("PRAGMA cipher_memory_security = {variant};")).expect("pragma");
            Ok(())
        })
        .expect("set");
    let t = Instant::now();
    vault
        .write(Change::new("bench", "bench.insert", "rows", serde_json::json!({})), |tx| {
            let mut stmt = tx
                .prepare(
                    "INSERT INTO capacity_observations (dataset_id, facility_id, technology_id, month, low, base, high, unit, source, as_of, confidence) \
                     VALUES ('local', ?1, 'cowos-l', ?2, 1.0, 2.0, 3.0, 'wafers/month', 'bench source text of some length', '2026-01-01', 'B')",
                )
                .expect("prepare");
            for i in 0..ROWS {
                let month = format!("{}-{:02}", 2000 + i / 12 % 100, i % 12 + 1);
                stmt.execute(rusqlite::params![format!("f{}", i / 1200), month]).expect("insert");
            }
            Ok(())
        })
        .expect("write");
    let insert = t.elapsed();
    let t = Instant::now();
    for _ in 0..20 {
        vault
            .read(|c| {
                let sum: f64 = c
                    .query_row("SELECT sum(base) FROM capacity_observations WHERE source LIKE 'bench%'", [], |r| {
                        r.get(0)
                    })
                    .expect("scan");
                assert!(sum > 0.0);
                Ok(())
            })
            .expect("read");
    }
    let scan = t.elapsed();
    println!(
        "{:<6} {:>12.0} {:>12.0} {:>14.1}",
        variant,
        insert.as_secs_f64() * 1e3,
        scan.as_secs_f64() * 1e3,
        peak_rss_mib()
    );
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l.to_string()))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<f64>().ok()))
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}
