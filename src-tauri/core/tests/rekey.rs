//! Re-keying the vault after a leak: a new database key, passphrase and recovery
//! code, so that a leaked passphrase with an old key-slot file, or a leaked recovery
//! code, no longer opens the vault; the data and its audit log come through whole.
//! (Killed at each step: `tests/crash_rekey.rs` at the root.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use packplan_core::dataset;
use packplan_core::demo;
use packplan_core::location::VaultLocation;
use packplan_core::progress::{CancelToken, CollectProgress, NoProgress};
use packplan_core::vault::{Passphrase, RecoveryCode, Unlock, Vault};
use packplan_core::ErrorKind;

const OLD: &str = "orbit lantern quietly harbour";
const NEW: &str = "violet compass mountain drizzle";

fn location(dir: &Path) -> VaultLocation {
    VaultLocation::resolve(Some(dir)).unwrap()
}

fn unlock(dir: &Path, pass: &str) -> packplan_core::Result<Vault> {
    Vault::unlock(&location(dir), &Unlock::Passphrase(&Passphrase::new(pass.into())))
}

fn capacity(vault: &Vault) -> String {
    serde_json::to_string(&vault.read(|c| dataset::data_list(c, "capacity_observations")).unwrap()).unwrap()
}

#[test]
fn a_rekey_retires_the_old_key_passphrase_recovery_code_and_slot_files() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, receipt) = Vault::init(&location(dir.path()), &Passphrase::new(OLD.into()), "test").unwrap();
    demo::load(&mut vault, "test", &NoProgress, &CancelToken::new()).unwrap();
    let before = capacity(&vault);
    let old_code = RecoveryCode::parse(receipt.recovery_code.reveal().as_str()).unwrap();
    let old_slot = std::fs::read(dir.path().join("keys/passphrase.age")).unwrap();
    let old_recovery_slot = std::fs::read(dir.path().join("keys/recovery.age")).unwrap();

    let progress = CollectProgress::default();
    let new_code = vault.rekey(&Passphrase::new(NEW.into()), "test", &progress, &CancelToken::new()).unwrap();
    assert!(progress.reports().iter().any(|r| r.stage == "re-encrypting the vault" && r.unit == "bytes"));
    assert_eq!(capacity(&vault), before, "the open vault goes on with the same data");
    assert_eq!(vault.audit_list(1).unwrap()[0].action, "vault.rekey");
    vault.lock().unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("keys"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".rekey") || n == "rekey.json")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert!(!dir.path().join("vault.db.rekey").exists());

    assert_eq!(unlock(dir.path(), OLD).unwrap_err().kind(), ErrorKind::WrongKey);
    let by_old_code = Vault::unlock(&location(dir.path()), &Unlock::RecoveryCode(&old_code));
    assert_eq!(by_old_code.unwrap_err().kind(), ErrorKind::WrongKey);
    let vault = Vault::unlock(&location(dir.path()), &Unlock::RecoveryCode(&new_code)).unwrap();
    assert_eq!(capacity(&vault), before);
    let report = dataset::verify::full_check(&vault).unwrap();
    assert!(report.ok, "{:?}", report.checks);
    vault.lock().unwrap();
    let vault = unlock(dir.path(), NEW).unwrap();
    vault.lock().unwrap();

    // The attack: the leaked old passphrase with the old slot files put back. They
    // unwrap the old key, which no longer opens the database.
    std::fs::write(dir.path().join("keys/passphrase.age"), old_slot).unwrap();
    std::fs::write(dir.path().join("keys/recovery.age"), old_recovery_slot).unwrap();
    let e = unlock(dir.path(), OLD).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Damaged);
    assert!(e.message().contains("does not open with the vault's key"), "{e}");
    assert_eq!(
        Vault::unlock(&location(dir.path()), &Unlock::RecoveryCode(&old_code)).unwrap_err().kind(),
        ErrorKind::Damaged
    );
}

#[test]
fn a_cancelled_rekey_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = Vault::init(&location(dir.path()), &Passphrase::new(OLD.into()), "test").unwrap();
    demo::load(&mut vault, "test", &NoProgress, &CancelToken::new()).unwrap();
    let digest = vault.digest().unwrap();
    let cancel = CancelToken::new();
    cancel.cancel();
    let e = vault.rekey(&Passphrase::new(NEW.into()), "test", &NoProgress, &cancel).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
    assert_eq!(vault.digest().unwrap(), digest);
    vault.lock().unwrap();
    assert!(std::fs::read_dir(dir.path()).unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .contains("rekey")));
    unlock(dir.path(), OLD).unwrap();
}

#[test]
fn a_weak_new_passphrase_or_a_vault_open_elsewhere_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (mut vault, _) = Vault::init(&location(dir.path()), &Passphrase::new(OLD.into()), "test").unwrap();
    let e = vault.rekey(&Passphrase::new("short".into()), "test", &NoProgress, &CancelToken::new()).unwrap_err();
    assert!(e.message().starts_with("the passphrase is too weak"), "{e}");
    // Another Packplan (the app, a command) has the vault open: its connection would
    // go on writing into the replaced file.
    let other = unlock(dir.path(), OLD).unwrap();
    let e = vault.rekey(&Passphrase::new(NEW.into()), "test", &NoProgress, &CancelToken::new()).unwrap_err();
    assert!(e.message().contains("open in another Packplan"), "{e}");
    drop(other);
    vault.rekey(&Passphrase::new(NEW.into()), "test", &NoProgress, &CancelToken::new()).unwrap();
}
