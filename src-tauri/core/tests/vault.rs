//! The vault's promises, tested through its public API the way the app uses it:
//! nothing readable at rest, a wrong passphrase changes nothing, damage is named
//! and never "repaired" by a reset, slots and recovery work, the audit chain
//! catches edits and deletions, and a writer stopped at any step of a change (or
//! killed) leaves a sound vault with the change whole or absent.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use packplan_core::bundle::tables::TABLES;
use packplan_core::location::VaultLocation;
use packplan_core::vault::{Change, Passphrase, RecoveryCode, Settings, Unlock, Vault};
use packplan_core::ErrorKind;

mod support;

const PASS: &str = "orbit lantern quietly harbour";
const CANARY: &str = "CANARY-7f3a-SUPPLIER-NDA-FIGURE";

fn location(dir: &Path) -> VaultLocation {
    VaultLocation::resolve(Some(dir)).unwrap()
}

fn pass(text: &str) -> Passphrase {
    Passphrase::new(text.into())
}

fn new_vault(dir: &Path) -> (Vault, RecoveryCode) {
    let (vault, receipt) = Vault::init(&location(dir), &pass(PASS), "test").unwrap();
    (vault, receipt.recovery_code)
}

fn insert_supplier(vault: &mut Vault, id: &str, name: &str) {
    vault
        .write(Change::new("test", "supplier.add", id, serde_json::json!({})), |tx| {
            tx.execute(
                "INSERT INTO suppliers (dataset_id, id, name, country) VALUES ('local', ?1, ?2, 'Taiwan')",
                [id, name],
            )
            .map_err(|e| packplan_core::Error::internal(e.to_string()))?;
            Ok(())
        })
        .unwrap();
}

fn supplier_names(vault: &Vault) -> Vec<String> {
    vault
        .read(|c| {
            let mut s = c.prepare("SELECT name FROM suppliers ORDER BY id").unwrap();
            let names = s.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
            Ok(names)
        })
        .unwrap()
}

/// Every file under `dir`, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

fn assert_no_plaintext(dir: &Path) {
    let files = snapshot(dir);
    assert!(files.len() >= 4, "expected the database and key slots, got {:?}", files.keys());
    for (path, bytes) in &files {
        assert!(
            !bytes.windows(CANARY.len()).any(|w| w == CANARY.as_bytes()),
            "the canary is readable in {}",
            path.display()
        );
        assert!(!bytes.starts_with(b"SQLite format 3\0"), "{} is a plaintext SQLite file", path.display());
    }
}

#[test]
fn supplier_data_is_in_no_byte_of_any_vault_file_open_or_locked() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = new_vault(dir.path());
    for i in 0..200 {
        insert_supplier(&mut vault, &format!("s{i}"), &format!("{CANARY} number {i}"));
    }
    // While open: the WAL holds the recent pages.
    assert!(dir.path().join("vault.db-wal").exists());
    assert_no_plaintext(dir.path());
    // The settings that keep plaintext off the disk are in force.
    vault
        .read(|c| {
            let get =
                |p: &str| c.query_row(&format!("PRAGMA {p}"), [], |r| r.get::<_, rusqlite::types::Value>(0)).unwrap();
            assert_eq!(get("journal_mode"), rusqlite::types::Value::Text("wal".into()));
            assert_eq!(get("synchronous"), rusqlite::types::Value::Integer(2), "synchronous=FULL");
            assert_eq!(get("foreign_keys"), rusqlite::types::Value::Integer(1));
            assert_eq!(get("temp_store"), rusqlite::types::Value::Integer(2), "temp_store=MEMORY");
            assert_eq!(get("secure_delete"), rusqlite::types::Value::Integer(1));
            assert!(matches!(get("cipher_version"), rusqlite::types::Value::Text(v) if v.starts_with('4')));
            Ok(())
        })
        .unwrap();
    vault.lock().unwrap();
    assert_no_plaintext(dir.path());
    let vault = Vault::unlock(&location(dir.path()), &Unlock::Passphrase(&pass(PASS))).unwrap();
    assert_eq!(supplier_names(&vault).len(), 200);
}

#[test]
fn a_wrong_passphrase_is_named_and_changes_no_byte() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = new_vault(dir.path());
    insert_supplier(&mut vault, "tsmc", "TSMC");
    vault.lock().unwrap();
    let before = snapshot(dir.path());
    let err =
        Vault::unlock(&location(dir.path()), &Unlock::Passphrase(&pass("orbit lantern quietly harbor"))).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::WrongKey);
    assert!(err.message().contains("wrong passphrase"), "{err}");
    assert_eq!(snapshot(dir.path()), before, "a wrong passphrase must not change any vault file");
    // And the right one still works.
    let vault = Vault::unlock(&location(dir.path()), &Unlock::Passphrase(&pass(PASS))).unwrap();
    assert_eq!(supplier_names(&vault), ["TSMC"]);
}

#[test]
fn init_never_overwrites_a_vault() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, _) = new_vault(dir.path());
    vault.lock().unwrap();
    let before = snapshot(dir.path());
    let err = Vault::init(&location(dir.path()), &pass("another long passphrase here"), "test").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AlreadyExists);
    assert_eq!(snapshot(dir.path()), before);
    // Files of an interrupted init are not overwritten either.
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("vault.db"), b"half-written").unwrap();
    let err = Vault::init(&location(other.path()), &pass(PASS), "test").unwrap_err();
    assert!(err.message().contains("unfinished vault"), "{err}");
    assert_eq!(std::fs::read(other.path().join("vault.db")).unwrap(), b"half-written");
}

fn flip_byte(path: &Path, offset: usize) {
    let mut bytes = std::fs::read(path).unwrap();
    bytes[offset] ^= 0x40;
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_flipped_byte_in_a_data_page_is_named_by_the_check() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = new_vault(dir.path());
    for i in 0..300 {
        insert_supplier(
            &mut vault,
            &format!("s{i:03}"),
            &format!("Supplier {i} with a long enough name to fill pages"),
        );
    }
    vault.lock().unwrap();
    let db = dir.path().join("vault.db");
    let pages = std::fs::metadata(&db).unwrap().len() as usize / 4096;
    assert!(pages > 6, "{pages} pages");
    flip_byte(&db, 4096 * (pages - 2) + 1000);
    let damaged_size = std::fs::metadata(&db).unwrap().len();
    let vault = Vault::unlock(&location(dir.path()), &Unlock::Passphrase(&pass(PASS))).unwrap();
    let report = vault.check().unwrap();
    assert!(!report.ok);
    let cipher = report.checks.iter().find(|c| c.check == "cipher_integrity").unwrap();
    assert!(!cipher.ok);
    assert!(cipher.findings.iter().any(|f| f.contains(&format!("page {}", pages - 1))), "{:?}", cipher.findings);
    vault.lock().unwrap();
    // Not a reset: the damaged file is still there, as it was.
    assert_eq!(std::fs::metadata(&db).unwrap().len(), damaged_size);
}

#[test]
fn a_flipped_byte_in_the_first_page_refuses_to_open_and_keeps_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = new_vault(dir.path());
    insert_supplier(&mut vault, "tsmc", "TSMC");
    vault.lock().unwrap();
    let db = dir.path().join("vault.db");
    flip_byte(&db, 100);
    let before = std::fs::read(&db).unwrap();
    let err = Vault::unlock(&location(dir.path()), &Unlock::Passphrase(&pass(PASS))).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Damaged);
    assert!(err.message().contains("damaged") && err.message().contains("backup"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), before, "a damaged vault must never be recreated");
}

#[test]
fn a_plaintext_sqlite_file_in_place_of_the_vault_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, _) = new_vault(dir.path());
    vault.lock().unwrap();
    let db = dir.path().join("vault.db");
    std::fs::remove_file(&db).unwrap();
    rusqlite::Connection::open(&db).unwrap().execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);").unwrap();
    let before = std::fs::read(&db).unwrap();
    let err = Vault::unlock(&location(dir.path()), &Unlock::Passphrase(&pass(PASS))).unwrap_err();
    assert!(err.message().contains("plain, unencrypted SQLite"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn changing_the_passphrase_rewraps_the_key_and_the_recovery_code_still_opens() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, code) = new_vault(dir.path());
    insert_supplier(&mut vault, "tsmc", "TSMC");
    let db_before = std::fs::read(dir.path().join("vault.db")).unwrap();
    let weak = vault.change_passphrase(&pass("short"), "test").unwrap_err();
    assert_eq!(weak.kind(), ErrorKind::Invalid);
    vault.change_passphrase(&pass("new passphrase of five words"), "test").unwrap();
    assert_eq!(std::fs::read(dir.path().join("vault.db")).unwrap(), db_before, "the data is not rewritten");
    vault.lock().unwrap();
    let loc = location(dir.path());
    let old = Vault::unlock(&loc, &Unlock::Passphrase(&pass(PASS))).unwrap_err();
    assert_eq!(old.kind(), ErrorKind::WrongKey);
    let vault = Vault::unlock(&loc, &Unlock::Passphrase(&pass("new passphrase of five words"))).unwrap();
    assert_eq!(supplier_names(&vault), ["TSMC"]);
    vault.lock().unwrap();
    let typed = RecoveryCode::parse(code.reveal().as_str()).unwrap();
    let vault = Vault::unlock(&loc, &Unlock::RecoveryCode(&typed)).unwrap();
    assert_eq!(supplier_names(&vault), ["TSMC"]);
    let actions: Vec<String> = vault.audit_list(10).unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(actions, ["vault.passwd", "supplier.add", "vault.init"]);
}

#[test]
fn the_audit_chain_detects_an_edited_and_a_deleted_entry() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = new_vault(dir.path());
    for name in ["a", "b", "c", "d"] {
        insert_supplier(&mut vault, name, name);
    }
    let verdict = vault.audit_verify().unwrap();
    assert!(verdict.intact(), "{:?}", verdict.problems);
    assert_eq!(verdict.entries, 5);
    let tamper = |vault: &Vault, sql: &str| vault.read(|c| Ok(c.execute(sql, []).unwrap())).unwrap();

    tamper(&vault, "UPDATE audit_log SET subject = 'z' WHERE seq = 3");
    let verdict = vault.audit_verify().unwrap();
    assert_eq!(
        verdict.problems,
        ["entry 3 (supplier.add at ".to_string()
            + &vault.audit_list(10).unwrap()[2].at
            + ") was altered after it was written"]
    );
    tamper(&vault, "UPDATE audit_log SET subject = 'b' WHERE seq = 3");
    assert!(vault.audit_verify().unwrap().intact());

    tamper(&vault, "DELETE FROM audit_log WHERE seq = 2");
    assert_eq!(vault.audit_verify().unwrap().problems, ["entries 2 to 2 are missing (deleted)"]);

    tamper(&vault, "DELETE FROM audit_log WHERE seq = 5");
    assert!(vault.audit_verify().unwrap().problems.iter().any(|p| p.contains("at the end of the log are missing")));
    let report = vault.check().unwrap();
    assert!(!report.ok && !report.checks.iter().find(|c| c.check == "audit_chain").unwrap().ok);
}

#[test]
fn a_backup_is_an_encrypted_vault_that_opens_with_the_same_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = new_vault(dir.path());
    insert_supplier(&mut vault, "tsmc", &format!("TSMC {CANARY}"));
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("backup-1");
    let receipt = vault.backup(&target, "test").unwrap();
    assert!(receipt.verified && receipt.bytes > 4096);
    assert_eq!(vault.backup(&target, "test").unwrap_err().kind(), ErrorKind::AlreadyExists);
    assert_no_plaintext(&target);
    let copy = Vault::unlock(&location(&target), &Unlock::Passphrase(&pass(PASS))).unwrap();
    assert_eq!(supplier_names(&copy), [format!("TSMC {CANARY}")]);
    assert!(copy.check().unwrap().ok);
}

#[test]
fn settings_are_stored_validated_and_audited() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = new_vault(dir.path());
    assert_eq!(vault.settings().unwrap().auto_lock_minutes, 10);
    let label = Some("CONFIDENTIAL - PROGRAMME X".to_string());
    vault
        .update_settings(
            &Settings { auto_lock_minutes: 3, classification_label: label.clone(), ..Settings::default() },
            "test",
        )
        .unwrap();
    let err = vault
        .update_settings(
            &Settings { auto_lock_minutes: 100_000, classification_label: None, ..Settings::default() },
            "test",
        )
        .unwrap_err();
    assert!(err.message().contains("choose 0 (never) to 480"), "{err}");
    let err = vault
        .update_settings(
            &Settings { auto_lock_minutes: 3, classification_label: Some("two\nlines".into()), ..Settings::default() },
            "test",
        )
        .unwrap_err();
    assert!(err.message().contains("one line"), "{err}");
    vault.lock().unwrap();
    let vault = Vault::unlock(&location(dir.path()), &Unlock::Passphrase(&pass(PASS))).unwrap();
    assert_eq!(vault.settings().unwrap().auto_lock_minutes, 3);
    assert_eq!(vault.settings().unwrap().classification_label, label);
    assert_eq!(vault.audit_list(1).unwrap()[0].action, "settings.update");
}

#[test]
fn the_planning_date_and_window_are_settings_with_bounds() {
    use packplan_core::horizon::WindowRequest;
    let m = |s: &str| -> packplan_core::month::Month { s.parse().unwrap() };
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = new_vault(dir.path());
    // nothing set: today is the month the front end passes in, two years of history, 72 months
    let default = vault.settings().unwrap().resolve(&WindowRequest::default(), m("2026-12")).unwrap();
    assert_eq!((default.today, default.start, default.months), (m("2026-12"), m("2024-12"), 72));
    let chosen = Settings {
        planning_date: Some(m("2026-09")),
        horizon_start: Some(m("2026-07")),
        horizon_months: Some(36),
        ..Settings::default()
    };
    vault.update_settings(&chosen, "test").unwrap();
    let err = vault.update_settings(&Settings { horizon_months: Some(400), ..chosen.clone() }, "test").unwrap_err();
    assert!(err.message().contains("choose 12 to 120 months"), "{err}");
    let err =
        vault.update_settings(&Settings { planning_date: Some(m("2012-01")), ..chosen.clone() }, "test").unwrap_err();
    assert!(err.message().contains("planning date of 2012-01"), "{err}");
    vault.lock().unwrap();
    let vault = Vault::unlock(&location(dir.path()), &Unlock::Passphrase(&pass(PASS))).unwrap();
    let window = vault.settings().unwrap().resolve(&WindowRequest::default(), m("2030-01")).unwrap();
    assert_eq!((window.today, window.start, window.months), (m("2026-09"), m("2026-07"), 36));
    // a command's request overrides the settings part by part
    let request = WindowRequest { months: Some(24), ..Default::default() };
    let window = vault.read(|c| packplan_core::dataset::model_input::window(c, &request, m("2030-01"))).unwrap();
    assert_eq!((window.today, window.start, window.months), (m("2026-09"), m("2026-07"), 24));
}

#[test]
fn every_bundle_table_has_a_vault_table_with_the_same_columns() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, _) = new_vault(dir.path());
    vault
        .read(|c| {
            for table in TABLES {
                let mut stmt = c.prepare(&format!("PRAGMA table_info({})", table.name)).unwrap();
                let columns: Vec<String> = stmt.query_map([], |r| r.get(1)).unwrap().map(Result::unwrap).collect();
                let expected: Vec<String> = std::iter::once("dataset_id".to_string())
                    .chain(table.columns.iter().map(|c| c.name.to_string()))
                    .collect();
                assert_eq!(columns, expected, "vault table {}", table.name);
            }
            Ok(())
        })
        .unwrap();
}

/// How many suppliers the child half of the crash test adds, each in its own change.
const WRITES: usize = 40;

/// The child half of the crash test: adds `WRITES` suppliers, unless stopped first.
#[test]
fn crash_child_writer() {
    let Ok(dir) = std::env::var("PACKPLAN_CRASH_CHILD_DIR") else { return };
    let mut vault = Vault::unlock(&location(Path::new(&dir)), &Unlock::Passphrase(&pass(PASS))).unwrap();
    std::fs::write(Path::new(&dir).join("child-started"), b"").unwrap();
    for i in 0..WRITES {
        insert_supplier(&mut vault, &format!("p{}-{i}", std::process::id()), &"x".repeat(3000));
    }
}

/// After a stopped or killed writer: the vault opens and passes its checks, and every
/// committed change has its audit entry. Returns how many changes were committed.
fn committed_after_crash(dir: &Path, round: &str) -> i64 {
    let vault = Vault::unlock(&location(dir), &Unlock::Passphrase(&pass(PASS))).unwrap();
    let report = vault.check().unwrap();
    assert!(report.ok, "{round}: {report:?}");
    let count = |sql: &str| -> i64 { vault.read(|c| Ok(c.query_row(sql, [], |r| r.get(0)).unwrap())).unwrap() };
    let rows = count("SELECT count(*) FROM suppliers");
    let audited = count("SELECT count(*) FROM audit_log WHERE action = 'supplier.add'");
    assert_eq!(rows, audited, "{round}: every committed change has its audit entry");
    vault.lock().unwrap();
    rows
}

#[test]
fn a_writer_stopped_at_any_step_of_a_change_leaves_it_whole_or_absent() {
    let base = tempfile::tempdir().unwrap();
    let (vault, _) = new_vault(base.path());
    vault.lock().unwrap();
    // Stopped at each step of its n-th change: the rows written, the audit entry added,
    // the commit, the anchor's temporary file, its rename. Before the commit the change
    // is absent; from the commit on it is there, with its audit entry.
    let steps = [
        ("vault.write.changed@1", 0),
        ("vault.write.audited@3", 2),
        ("vault.write.committed@3", 3),
        ("anchor.json.temp-written@5", 5),
        ("anchor.json.renamed@2", 2),
    ];
    for (point, committed) in steps {
        let dir = tempfile::tempdir().unwrap();
        support::copy_dir(base.path(), dir.path());
        support::stop_at(&mut support::child("crash_child_writer", "PACKPLAN_CRASH_CHILD_DIR", dir.path()), point);
        assert_eq!(committed_after_crash(dir.path(), point), committed, "stopped at {point}");
    }
    // And killed with SIGKILL at moments that depend on the machine: the same promises,
    // wherever the kill lands (how many changes made it is not asserted).
    for round in 0..2u64 {
        let dir = tempfile::tempdir().unwrap();
        support::copy_dir(base.path(), dir.path());
        let child = support::child("crash_child_writer", "PACKPLAN_CRASH_CHILD_DIR", dir.path()).spawn().unwrap();
        while !dir.path().join("child-started").exists() {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        std::thread::sleep(std::time::Duration::from_millis(50 + 150 * round));
        support::kill(child);
        committed_after_crash(dir.path(), &format!("SIGKILL round {round}"));
    }
}
