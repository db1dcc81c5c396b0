//! Import throughput: a bundle of one million capacity observations, imported into a
//! fresh vault (decrypt, verify, validate every row, diff, apply in one transaction),
//! timed beside `age -d` on the same file. One measured run, printed as a table row
//! for docs/performance.md (`cargo bench -p packplan-core --bench import_million`).
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
    let file = dir.path().join("million.ppb");
    std::fs::write(&file, &sealed).unwrap();

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
    assert!(
        staged.preview.problems.is_empty(),
        "{:?}",
        &staged.preview.problems[..3.min(staged.preview.problems.len())]
    );
    let t2 = Instant::now();
    import::apply(&mut vault, staged, "bench", &NoProgress, &CancelToken::new()).unwrap();
    let apply_secs = t2.elapsed().as_secs_f64();
    let total = staged_secs + apply_secs;
    println!(
        "bundle: {ROWS} capacity rows, {:.1} MiB plaintext, {:.1} MiB encrypted",
        plaintext as f64 / 1048576.0,
        sealed.len() as f64 / 1048576.0
    );
    println!("| `age -d` of the bundle | {age_secs:.2} s{} |", if age_ok { "" } else { " (age failed or is missing)" });
    println!("| Packplan: decrypt, verify, validate every row, diff (stage) | {staged_secs:.2} s |");
    println!("| Packplan: apply in one transaction (insert, audit) | {apply_secs:.2} s |");
    println!("| Packplan: import total | {total:.2} s ({:.0} rows/s) |", ROWS as f64 / total);
}
