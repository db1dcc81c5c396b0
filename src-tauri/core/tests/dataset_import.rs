//! Importing bundles into the vault as a user does: preview first, then apply;
//! every table round-trips; replays, re-imports, untrusted signers and bad rows
//! are refused with their own message and leave the vault's digest unchanged;
//! a newer bundle replaces the older one; datasets are removed cleanly; an export
//! imports into a colleague's vault.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
use support::copy_dir;

use std::path::Path;

use packplan_core::bundle::tables::TABLES;
use packplan_core::bundle::{seal, Limits, NewBundle, Sealing, SignaturePolicy, SigningKey};
use packplan_core::dataset::{self, export, import, import::BundleKey};
use packplan_core::location::VaultLocation;
use packplan_core::progress::{CancelToken, CollectProgress, NoProgress};
use packplan_core::vault::{keys, Change, Passphrase, Vault};
use packplan_core::ErrorKind;

const PASS: &str = "orbit lantern quietly harbour";

fn demo_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo")
}

fn demo_files() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(demo_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .map(|p| (p.file_name().unwrap().to_str().unwrap().to_owned(), std::fs::read(&p).unwrap()))
        .collect();
    files.sort();
    files
}

fn bundle(id: &str, seq: u64, title: &str, files: Vec<(String, Vec<u8>)>) -> NewBundle {
    NewBundle {
        bundle_id: id.into(),
        producer_seq: seq,
        created: "2026-11-25T10:00:00Z".into(),
        title: title.into(),
        classification: "CONFIDENTIAL - SUPPLIER NDA".into(),
        schema_version: 1,
        intended_recipients: None,
        files,
    }
}

struct World {
    _dir: tempfile::TempDir,
    vault: Vault,
    issuer: SigningKey,
    recipient: age::x25519::Recipient,
}

fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let location = VaultLocation::resolve(Some(dir.path())).unwrap();
    let (mut vault, receipt) = Vault::init(&location, &Passphrase::new(PASS.into()), "test").unwrap();
    let issuer = SigningKey::generate().unwrap();
    let key = issuer.public_key().to_base64();
    vault
        .write(Change::new("test", "issuer.add", "Acme", serde_json::json!({})), |tx| {
            keys::add_issuer(tx, "Acme", &key)
        })
        .unwrap();
    let recipient = receipt.recipient.parse().unwrap();
    World { _dir: dir, vault, issuer, recipient }
}

fn sealed(w: &World, b: &NewBundle) -> Vec<u8> {
    seal(b, Some(&w.issuer), &Sealing::Recipients(vec![w.recipient.clone()]), false).unwrap()
}

fn stage(w: &World, file: &[u8], policy: SignaturePolicy) -> packplan_core::Result<import::Staged> {
    import::stage(&w.vault, file, &BundleKey::Vault, policy, &Limits::default(), &NoProgress, &CancelToken::new())
}

fn import_ok(w: &mut World, file: &[u8]) -> import::ImportReceipt {
    let staged = stage(w, file, SignaturePolicy::default()).unwrap();
    assert!(staged.preview.problems.is_empty(), "{:?}", staged.preview.problems);
    import::apply(&mut w.vault, staged, "test", &NoProgress, &CancelToken::new()).unwrap()
}

fn digest(w: &World) -> String {
    w.vault.digest().unwrap()
}

/// The CSV of `table` as the vault now holds it: header + effective rows, cells as text.
fn stored_csv(w: &World, table: &str) -> Vec<Vec<String>> {
    let rows = w.vault.read(|c| dataset::data_list(c, table)).unwrap();
    let spec = packplan_core::bundle::tables::table(table).unwrap();
    rows.iter()
        .map(|r| {
            spec.columns
                .iter()
                .map(|c| match &r[c.name] {
                    serde_json::Value::Null => String::new(),
                    serde_json::Value::String(s) => s.clone(),
                    v => v.to_string(),
                })
                .collect()
        })
        .collect()
}

fn source_csv(name: &str) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_path(demo_dir().join(name)).unwrap();
    r.records().map(|rec| rec.unwrap().iter().map(|c| c.trim().to_owned()).collect()).collect()
}

fn normalise(rows: Vec<Vec<String>>) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|r| r.into_iter().map(|c| c.parse::<f64>().map(|v| format!("{v}")).unwrap_or(c)).collect())
        .collect();
    rows.sort();
    rows
}

#[test]
fn every_table_round_trips_through_an_import_and_the_preview_says_what_arrives() {
    let mut w = world();
    let file = sealed(&w, &bundle("demo-1", 1, "Public demo figures", demo_files()));
    let before = digest(&w);
    let progress = CollectProgress::default();
    let staged = import::stage(
        &w.vault,
        &file,
        &BundleKey::Vault,
        SignaturePolicy::default(),
        &Limits::default(),
        &progress,
        &CancelToken::new(),
    )
    .unwrap();
    assert_eq!(digest(&w), before, "staging changes nothing");
    assert!(progress.reports().iter().any(|r| r.stage == "decrypting" && r.unit == "bytes"));
    let p = &staged.preview;
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    assert_eq!(p.tables.len(), demo_files().len());
    assert!(p.tables.len() >= 10, "every demo table arrives");
    for t in &p.tables {
        assert_eq!((t.added, t.changed, t.removed), (t.rows, 0, 0), "{}", t.table);
    }
    let receipt = import::apply(&mut w.vault, staged, "test", &NoProgress, &CancelToken::new()).unwrap();
    assert_eq!(receipt.dataset.issuer.as_deref(), Some("Acme"));
    assert_eq!(receipt.dataset.classification, "CONFIDENTIAL - SUPPLIER NDA");
    for table in TABLES {
        let name = table.file_name();
        if demo_dir().join(&name).exists() {
            assert_eq!(normalise(stored_csv(&w, table.name)), normalise(source_csv(&name)), "{name}");
        }
    }
    let entry = &w.vault.audit_list(1).unwrap()[0];
    assert_eq!((entry.action.as_str(), entry.subject.as_str()), ("bundle.import", "demo-1"));
    assert!(w.vault.audit_verify().unwrap().intact());
}

#[test]
fn a_second_import_of_the_same_bundle_answers_already_imported_and_changes_nothing() {
    let mut w = world();
    let file = sealed(&w, &bundle("demo-1", 1, "Demo", demo_files()));
    import_ok(&mut w, &file);
    let before = digest(&w);
    let again = stage(&w, &file, SignaturePolicy::default()).err().unwrap();
    assert_eq!(again.kind(), ErrorKind::AlreadyExists);
    assert!(again.message().contains("already imported") && again.message().contains("nothing changed"), "{again}");
    assert_eq!(digest(&w), before);
}

#[test]
fn an_older_sequence_number_from_an_issuer_is_refused_as_a_replay() {
    let mut w = world();
    let file = sealed(&w, &bundle("b-5", 5, "Capacity May", demo_files()));
    import_ok(&mut w, &file);
    let before = digest(&w);
    let old = sealed(&w, &bundle("b-4", 4, "Capacity April", demo_files()));
    let e = stage(&w, &old, SignaturePolicy::default()).err().unwrap();
    assert!(e.message().contains("sequence number 4 is not above 5, the last one imported from Acme"), "{e}");
    assert_eq!(digest(&w), before);
}

#[test]
fn unsigned_and_unknown_signers_need_an_override_that_the_audit_log_records() {
    let mut w = world();
    let stranger = SigningKey::generate().unwrap();
    let unknown = seal(
        &bundle("u-1", 1, "From a stranger", demo_files()),
        Some(&stranger),
        &Sealing::Recipients(vec![w.recipient.clone()]),
        false,
    )
    .unwrap();
    let before = digest(&w);
    let e = stage(&w, &unknown, SignaturePolicy::default()).err().unwrap();
    assert!(e.message().contains("not a trusted issuer"), "{e}");
    assert_eq!(digest(&w), before);
    let policy = SignaturePolicy { allow_unsigned: false, allow_unknown_signer: true };
    let staged = stage(&w, &unknown, policy).unwrap();
    assert_eq!(staged.preview.overrides.len(), 1);
    import::apply(&mut w.vault, staged, "test", &NoProgress, &CancelToken::new()).unwrap();
    let entry = &w.vault.audit_list(1).unwrap()[0];
    assert!(entry.detail["overrides"][0].as_str().unwrap().contains("not a trusted issuer"), "{:?}", entry.detail);
    let listed = w.vault.read(|c| dataset::get(c, "u-1")).unwrap();
    assert!(listed.policy_override.unwrap().contains("allowed for this import"));
}

#[test]
fn rows_with_problems_are_all_listed_and_nothing_is_imported() {
    let mut w = world();
    let mut files = demo_files();
    for (name, bytes) in &mut files {
        if name == "capacity_observations.csv" {
            let text = String::from_utf8(bytes.clone()).unwrap();
            let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
            lines[2] = lines[2].replacen("tsmc", "nowhere", 1);
            lines[3] = lines[3].replacen(",20", ",19", 1).replace(",B,", ",Z,");
            *bytes = (lines.join("\n") + "\n").into_bytes();
        }
    }
    let file = sealed(&w, &bundle("bad-1", 1, "Bad rows", files));
    let before = digest(&w);
    let staged = stage(&w, &file, SignaturePolicy::default()).unwrap();
    let problems: Vec<String> = staged.preview.problems.iter().map(|p| p.to_string()).collect();
    assert!(problems.len() >= 2, "{problems:?}");
    assert!(problems.iter().any(|p| p.starts_with("capacity_observations.csv:3:1: facility_id")), "{problems:?}");
    assert!(problems.iter().all(|p| p.starts_with("capacity_observations.csv:")), "{problems:?}");
    let e = import::apply(&mut w.vault, staged, "test", &NoProgress, &CancelToken::new()).unwrap_err();
    assert!(e.message().contains("nothing was imported"), "{e}");
    assert_eq!(digest(&w), before);
}

#[test]
fn a_newer_bundle_with_the_same_title_replaces_the_older_one_and_the_preview_shows_how() {
    let mut w = world();
    let file = sealed(&w, &bundle("v1", 1, "Demo", demo_files()));
    import_ok(&mut w, &file);
    // v2: one product's price changes, one cloud price row is gone, one supplier is new.
    let mut files = demo_files();
    for (name, bytes) in &mut files {
        let text = String::from_utf8(bytes.clone()).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        match name.as_str() {
            "products.csv" => lines[1] = lines[1].replace(",27500,", ",26000,"),
            "cloud_prices.csv" => {
                lines.remove(1);
            }
            "suppliers.csv" => lines.push("newco,NewCo Packaging,Malaysia,".into()),
            _ => {}
        }
        *bytes = (lines.join("\n") + "\n").into_bytes();
    }
    let staged = stage(&w, &sealed(&w, &bundle("v2", 2, "Demo", files)), SignaturePolicy::default()).unwrap();
    let p = &staged.preview;
    assert_eq!(p.replaces.as_ref().unwrap().id, "v1");
    let t = |name: &str| p.tables.iter().find(|t| t.table == name).unwrap().clone();
    assert_eq!((t("products").changed, t("products").added), (1, 0));
    let change = t("products").examples.into_iter().find(|e| e.change == "changed").unwrap();
    assert!(
        change.cells.iter().any(|c| c.column == "price_base_usd" && c.before == "27500" && c.after == "26000"),
        "{change:?}"
    );
    assert_eq!(t("cloud_prices").removed, 1);
    assert_eq!(t("suppliers").added, 1);
    import::apply(&mut w.vault, staged, "test", &NoProgress, &CancelToken::new()).unwrap();
    let ids: Vec<String> = w.vault.read(dataset::list).unwrap().into_iter().map(|d| d.id).collect();
    assert_eq!(ids, ["local", "v2"]);
}

#[test]
fn a_dataset_is_removed_with_all_its_rows_and_the_removal_is_audited() {
    let mut w = world();
    let empty = digest(&w);
    let file = sealed(&w, &bundle("d-1", 1, "Demo", demo_files()));
    import_ok(&mut w, &file);
    w.vault
        .write(Change::new("test", "dataset.remove", "d-1", serde_json::json!({})), |tx| {
            dataset::remove(tx, "d-1").map(|_| ())
        })
        .unwrap();
    for table in TABLES {
        assert!(stored_csv(&w, table.name).is_empty(), "{}", table.name);
    }
    assert_ne!(digest(&w), empty, "the audit log remembers");
    let e = w
        .vault
        .write(Change::new("test", "dataset.remove", "local", serde_json::json!({})), |tx| {
            dataset::remove(tx, "local").map(|_| ())
        })
        .unwrap_err();
    assert!(e.message().contains("cannot be removed"));
}

#[test]
fn cancelling_the_apply_leaves_the_vault_as_it_was() {
    let mut w = world();
    let file = sealed(&w, &bundle("c-1", 1, "Demo", demo_files()));
    let staged = stage(&w, &file, SignaturePolicy::default()).unwrap();
    let before = digest(&w);
    let cancel = CancelToken::new();
    cancel.cancel();
    let e = import::apply(&mut w.vault, staged, "test", &NoProgress, &cancel).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
    assert_eq!(digest(&w), before);
}

#[test]
fn an_export_imports_into_a_colleagues_vault_with_the_same_rows() {
    let mut a = world();
    let file = sealed(&a, &bundle("src", 1, "Demo", demo_files()));
    import_ok(&mut a, &file);
    let mut b = world();
    // b trusts a's vault signing key; a encrypts to b's recipient.
    let a_keys = a.vault.read(keys::own_keys).unwrap();
    b.vault
        .write(Change::new("test", "issuer.add", "Alice", serde_json::json!({})), |tx| {
            keys::add_issuer(tx, "Alice", &a_keys.signing_public_key)
        })
        .unwrap();
    let (bytes, receipt) = export::export(
        &mut a.vault,
        &["src".to_owned()],
        &[],
        "Shared planning data",
        &Sealing::Recipients(vec![b.recipient.clone()]),
        false,
        "test",
    )
    .unwrap();
    assert_eq!(receipt.classification, "CONFIDENTIAL // SUPPLIER NDA", "one level, the caveat beside it");
    assert_eq!(receipt.producer_seq, 1);
    let imported = import_ok(&mut b, &bytes);
    assert_eq!(imported.dataset.issuer.as_deref(), Some("Alice"));
    for table in TABLES {
        assert_eq!(normalise(stored_csv(&a, table.name)), normalise(stored_csv(&b, table.name)), "{}", table.name);
    }
    // A second export counts up, so it is not a replay; it carries a saved scenario too.
    let mine = packplan_core::model::scenario::Scenario {
        name: "Late HBM".into(),
        description: "HBM4 six months late".into(),
        overrides: vec![packplan_core::model::scenario::Override::ShiftRamp { technology: "hbm4".into(), months: 6 }],
    };
    a.vault
        .write(Change::new("test", "scenario.save", "Late HBM", serde_json::json!({})), |tx| {
            dataset::model_input::save_scenario(tx, &mine)
        })
        .unwrap();
    let (again, r2) = export::export(
        &mut a.vault,
        &["src".to_owned()],
        &["Late HBM".to_owned()],
        "Shared planning data",
        &Sealing::Recipients(vec![b.recipient.clone()]),
        false,
        "test",
    )
    .unwrap();
    assert_eq!(r2.producer_seq, 2);
    let second = import_ok(&mut b, &again);
    let theirs = b.vault.read(dataset::model_input::scenarios).unwrap();
    assert!(theirs.contains(&mine), "the scenario travelled with the bundle");
    assert_eq!(second.replaced.as_deref(), Some(receipt.bundle_id.as_str()));
}

/// Capacity rows enough to keep an import busy for a while.
fn many_capacity_rows(n: usize) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> =
        demo_files().into_iter().filter(|(name, _)| name != "capacity_observations.csv").collect();
    let mut csv = String::from("facility_id,technology_id,month,low,base,high,unit,source,as_of,confidence\n");
    for i in 0..n {
        csv.push_str(&format!(
            "tsmc-cowos,cowos-l,{}-{:02},1,2,3,wafers/month,synthetic source {i},2026-01-01,C\n",
            2000 + i / 12 % 80,
            i % 12 + 1
        ));
    }
    files.push(("capacity_observations.csv".into(), csv.into_bytes()));
    files
}

/// The child half of the crash test: imports the bundle in `PACKPLAN_IMPORT_CHILD` until killed.
#[test]
fn import_crash_child() {
    let Ok(dir) = std::env::var("PACKPLAN_IMPORT_CHILD") else { return };
    let dir = Path::new(&dir);
    let location = VaultLocation::resolve(Some(&dir.join("vault"))).unwrap();
    let mut vault =
        Vault::unlock(&location, &packplan_core::vault::Unlock::Passphrase(&Passphrase::new(PASS.into()))).unwrap();
    let file = std::fs::read(dir.join("big.ppb")).unwrap();
    let staged = import::stage(
        &vault,
        &file,
        &BundleKey::Vault,
        SignaturePolicy::default(),
        &Limits::default(),
        &NoProgress,
        &CancelToken::new(),
    )
    .unwrap();
    std::fs::write(dir.join("staged"), b"").unwrap();
    import::apply(&mut vault, staged, "test", &NoProgress, &CancelToken::new()).unwrap();
    std::fs::write(dir.join("done"), b"").unwrap();
}

#[test]
fn an_import_stopped_at_any_step_leaves_either_the_before_or_the_after_state() {
    use rand::{Rng, SeedableRng};
    const ROWS: usize = 20_000;
    let base = tempfile::tempdir().unwrap();
    // A vault with a trusted issuer, and a big bundle for it.
    let base_vault = base.path().join("vault");
    let w = {
        let location = VaultLocation::resolve(Some(&base_vault)).unwrap();
        let (mut vault, receipt) = Vault::init(&location, &Passphrase::new(PASS.into()), "test").unwrap();
        let issuer = SigningKey::generate().unwrap();
        let key = issuer.public_key().to_base64();
        vault
            .write(Change::new("test", "issuer.add", "Acme", serde_json::json!({})), |tx| {
                keys::add_issuer(tx, "Acme", &key)
            })
            .unwrap();
        let recipient: age::x25519::Recipient = receipt.recipient.parse().unwrap();
        let file = seal(
            &bundle("big-1", 1, "Big", many_capacity_rows(ROWS)),
            Some(&issuer),
            &Sealing::Recipients(vec![recipient]),
            false,
        )
        .unwrap();
        std::fs::write(base.path().join("big.ppb"), file).unwrap();
        let before = vault.digest().unwrap();
        vault.lock().unwrap();
        before
    };
    let before = w;
    let expected_rows: u64 = ROWS as u64
        + demo_files()
            .iter()
            .filter(|(n, _)| n != "capacity_observations.csv")
            .map(|(_, b)| (bytecount(b) - 1) as u64)
            .sum::<u64>();

    let child = |dir: &Path| support::child("import_crash_child", "PACKPLAN_IMPORT_CHILD", dir);
    // The vault after a stopped or killed import: sound, and either as before or with the whole import.
    let outcome = |dir: &Path, round: &str| -> &'static str {
        let location = VaultLocation::resolve(Some(&dir.join("vault"))).unwrap();
        let vault =
            Vault::unlock(&location, &packplan_core::vault::Unlock::Passphrase(&Passphrase::new(PASS.into()))).unwrap();
        assert!(vault.check().unwrap().ok, "{round}: the vault fails its checks");
        let datasets = vault.read(dataset::list).unwrap();
        let state = match datasets.iter().find(|d| d.id == "big-1") {
            None => {
                assert_eq!(vault.digest().unwrap(), before, "{round}: not the before state");
                "before"
            }
            Some(d) => {
                assert_eq!(d.rows.values().sum::<u64>(), expected_rows, "{round}: a partial import");
                assert_eq!(vault.audit_list(1).unwrap()[0].action, "bundle.import");
                "after"
            }
        };
        vault.lock().unwrap();
        state
    };

    // Stopped at each step of the apply: rows of the first and third tables written, every
    // table and the scenarios written, the audit entry added (all inside the transaction:
    // nothing imported), then the commit and the anchor's temporary file and rename (imported).
    let steps = [
        ("import.table-written@1", "before"),
        ("import.table-written@3", "before"),
        ("import.scenarios-written", "before"),
        ("vault.write.changed", "before"),
        ("vault.write.audited", "before"),
        ("vault.write.committed", "after"),
        ("anchor.json.temp-written", "after"),
        ("anchor.json.renamed", "after"),
    ];
    for (point, state) in steps {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(base.path(), dir.path());
        support::stop_at(&mut child(dir.path()), point);
        assert_eq!(outcome(dir.path(), point), state, "stopped at {point}");
    }

    // And killed with SIGKILL at moments inside the apply that depend on the machine: the
    // same promise wherever the kill lands (which side it lands on is not asserted).
    let probe = tempfile::tempdir().unwrap();
    copy_dir(base.path(), probe.path());
    let mut running = child(probe.path()).spawn().unwrap();
    while !probe.path().join("staged").exists() {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let t = std::time::Instant::now();
    assert!(running.wait().unwrap().success());
    let apply_ms = t.elapsed().as_millis() as u64;
    assert_eq!(outcome(probe.path(), "undisturbed"), "after");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(20);
    for round in 0..3 {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(base.path(), dir.path());
        let mut running = child(dir.path()).spawn().unwrap();
        while !dir.path().join("staged").exists() {
            if let Some(status) = running.try_wait().unwrap() {
                panic!("round {round}: the child ended early: {status}");
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        std::thread::sleep(std::time::Duration::from_millis(rng.gen_range(0..apply_ms + 1)));
        support::kill(running);
        outcome(dir.path(), &format!("SIGKILL round {round}"));
    }
}

fn bytecount(b: &[u8]) -> usize {
    b.iter().filter(|&&c| c == b'\n').count()
}

#[test]
fn a_bundle_that_would_leave_the_data_unplannable_is_refused_and_changes_nothing() {
    let mut w = world();
    let demo = sealed(&w, &bundle("demo-1", 1, "Demo", demo_files()));
    import_ok(&mut w, &demo);
    // HBM3E is counted in GB a month; a supplier's figure left in stacks would
    // read as 30x too little memory
    let stacks = "facility_id,technology_id,month,low,base,high,unit,source,as_of,confidence\n\
                  skh-icheon,hbm3e,2027-06,1000000,1200000,1400000,stacks/month,Supplier A,2026-11-01,A\n";
    let file =
        sealed(&w, &bundle("stacks-1", 2, "Supplier A HBM", vec![("capacity_observations.csv".into(), stacks.into())]));
    let before = digest(&w);
    let staged = stage(&w, &file, SignaturePolicy::default()).unwrap();
    assert!(staged.preview.problems.is_empty(), "every cell is valid on its own: {:?}", staged.preview.problems);
    let e = import::apply(&mut w.vault, staged, "test", &NoProgress, &CancelToken::new()).unwrap_err();
    assert!(
        e.message().starts_with("nothing was imported: with these rows the vault's data could no longer be planned"),
        "{e}"
    );
    assert!(e.message().contains("stacks/month") && e.message().contains("GB/month"), "{e}");
    assert_eq!(digest(&w), before, "the vault is as it was");
}
