//! Re-keying: a new database key, a new passphrase slot and a new recovery code,
//! for when a passphrase, a recovery code or an old key-slot file may have leaked.
//! Changing the passphrase only re-wraps the key; a re-key replaces the key itself,
//! so no old slot file or old recovery code opens the vault again.
//!
//! The steps, each safe to be killed in:
//!
//! 1. the whole database is copied, re-encrypted under the new key, into
//!    `vault.db.rekey` (`sqlcipher_export`), and its audit log gets the `vault.rekey`
//!    entry; the new passphrase slot, recovery slot and anchor are written beside
//!    their files with the suffix `.rekey`. Until now nothing of the vault changed:
//!    a crash or Cancel leaves the old key in force, and the next unlock removes the
//!    `.rekey` files;
//! 2. `keys/rekey.json` is written (atomically): from this moment the new key is in
//!    force, whatever happens next;
//! 3. the old database's WAL is removed and each `.rekey` file renamed over its
//!    original; then the marker is removed. A crash in step 3 is finished by the next
//!    unlock, before it asks for the secret (every rename can be redone without a key).
//!
//! So at every moment exactly one of the old and the new passphrase opens the vault,
//! and with it the matching recovery code (`tests/crash_rekey.rs` kills a re-key at
//! each step). A vault that another Packplan has open is not re-keyed: its connection
//! would go on writing into the replaced file.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use rusqlite::{Connection, TransactionBehavior};

use super::database::{self, failed, Create};
use super::files::VaultFiles;
use super::key::DatabaseKey;
use super::slots::{self, RecoveryCode};
use super::{anchor, audit, schema, Change, Passphrase, Vault};
use crate::clock::Timestamp;
use crate::progress::{CancelToken, Progress, ProgressReport};
use crate::testpoint;
use crate::write_file::{sync_dir, write_file, Existing};
use crate::{Error, ErrorKind, Result};

/// The files a re-key replaces, in the order they are renamed into place.
fn replaced(files: &VaultFiles) -> [PathBuf; 4] {
    [files.database(), files.passphrase_slot(), files.recovery_slot(), files.anchor()]
}

/// Re-keys `vault` (see the module documentation); returns the new recovery code.
pub(super) fn run(
    vault: &mut Vault,
    new: &Passphrase,
    actor: &str,
    progress: &dyn Progress,
    cancel: &CancelToken,
) -> Result<RecoveryCode> {
    new.check_strength()?;
    vault.in_use.exclusive()?;
    let result = rekey(vault, new, actor, progress, cancel);
    vault.in_use.shared_again();
    result
}

fn rekey(
    vault: &mut Vault,
    new: &Passphrase,
    actor: &str,
    progress: &dyn Progress,
    cancel: &CancelToken,
) -> Result<RecoveryCode> {
    let files = vault.files.clone();
    undo_unfinished(&files)?;
    let key = DatabaseKey::generate();
    let code = RecoveryCode::generate();
    if let Err(e) = prepare(vault, &files, &key, &code, new, actor, progress, cancel) {
        undo_unfinished(&files)?;
        return Err(e);
    }
    // Step 2: from here on the new key is the vault's.
    write_file(&files.rekey_marker(), b"{\"format\": \"packplan-rekey\", \"version\": 1}\n", Existing::Replace)?;
    testpoint::crash("rekey.committed");
    let old = std::mem::replace(&mut vault.conn, placeholder()?);
    old.close().map_err(|(_, e)| failed("close the old database")(e))?;
    finish(&files)?;
    progress.report(ProgressReport { stage: "re-keyed".into(), done: 1, total: Some(1), unit: "steps" });
    vault.conn = database::open(&files.database(), &key, Create::Existing).map_err(|e| {
        Error::new(
            e.kind(),
            format!("the vault was re-keyed, but could not be opened again ({e}); lock it and unlock with the new passphrase"),
        )
    })?;
    vault.key = key;
    vault.instance = rand::random();
    Ok(code)
}

/// Step 1: the new database and key files, beside the old ones.
#[allow(clippy::too_many_arguments)]
fn prepare(
    vault: &Vault,
    files: &VaultFiles,
    key: &DatabaseKey,
    code: &RecoveryCode,
    new: &Passphrase,
    actor: &str,
    progress: &dyn Progress,
    cancel: &CancelToken,
) -> Result<()> {
    let target = VaultFiles::rekeyed(&files.database());
    export(&vault.conn, key, &target, progress, cancel)?;
    testpoint::crash("rekey.exported");
    cancel.check()?;
    let mut conn = database::open(&target, key, Create::Existing)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(failed("record the re-key"))?;
    let detail = serde_json::json!({ "recovery_code": "replaced", "passphrase": "replaced" });
    audit::append(&tx, &Change::new(actor, "vault.rekey", "vault", detail), Timestamp::now())?;
    tx.commit().map_err(failed("record the re-key"))?;
    anchor::write(&VaultFiles::rekeyed(&files.anchor()), &conn, key)?;
    // The new file stands alone: no WAL beside it when it is renamed into place.
    conn.pragma_update(None, "journal_mode", "DELETE").map_err(failed("close the new database"))?;
    conn.close().map_err(|(_, e)| failed("close the new database")(e))?;
    std::fs::File::open(&target).and_then(|f| f.sync_all()).map_err(|e| Error::io("write", &target, e))?;
    testpoint::crash("rekey.audited");
    progress.report(ProgressReport { stage: "writing the new key slots".into(), done: 0, total: None, unit: "steps" });
    slots::write_passphrase_slot(&VaultFiles::rekeyed(&files.passphrase_slot()), key, new)?;
    slots::write_recovery_slot(&VaultFiles::rekeyed(&files.recovery_slot()), key, code)?;
    testpoint::crash("rekey.slots-written");
    cancel.check()
}

/// Copies the whole database, re-encrypted under `key`, into the new file `target`,
/// reporting the bytes written and stopping on Cancel.
fn export(
    conn: &Connection,
    key: &DatabaseKey,
    target: &Path,
    progress: &dyn Progress,
    cancel: &CancelToken,
) -> Result<()> {
    let text = target.to_str().ok_or_else(|| {
        Error::invalid("the vault's folder path is not valid UTF-8; move the vault to another folder")
    })?;
    let total: i64 = conn
        .query_row("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()", [], |r| r.get(0))
        .map_err(failed("measure the vault"))?;
    let total = total.max(0) as u64;
    // The connection never creates files (so a damaged vault can never be replaced by
    // a new one), and ATTACH inherits that: create the empty file first.
    create_private(target)?;
    conn.execute("ATTACH DATABASE ?1 AS rekey KEY ?2", rusqlite::params![text, key.pragma_value().as_str()])
        .map_err(failed("create the re-keyed database"))?;
    let done = AtomicBool::new(false);
    let interrupt = conn.get_interrupt_handle();
    let exported = std::thread::scope(|scope| {
        scope.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                if cancel.is_cancelled() {
                    interrupt.interrupt();
                }
                let written = std::fs::metadata(target).map(|m| m.len()).unwrap_or(0);
                progress.report(ProgressReport {
                    stage: "re-encrypting the vault".into(),
                    done: written.min(total),
                    total: Some(total),
                    unit: "bytes",
                });
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        let result = conn
            .query_row("SELECT sqlcipher_export('rekey')", [], |_| Ok(()))
            .map_err(failed("copy the vault under the new key"))
            .and_then(|_| {
                let version = schema::stored_version(conn)?;
                conn.execute_batch(&format!("PRAGMA rekey.user_version = {version};"))
                    .map_err(failed("mark the re-keyed database's schema version"))
            });
        done.store(true, Ordering::Relaxed);
        result
    });
    let detached = conn.execute("DETACH DATABASE rekey", []).map(drop).map_err(failed("close the re-keyed database"));
    cancel.check()?;
    exported.and(detached)
}

fn create_private(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(drop).map_err(|e| Error::io("create", path, e))
}

fn placeholder() -> Result<Connection> {
    Connection::open_in_memory().map_err(failed("switch databases"))
}

/// Before an unlock: finishes a re-key that took effect (its marker is there) and
/// undoes one that did not. True when a re-key was finished.
pub fn finish_interrupted(files: &VaultFiles) -> Result<bool> {
    if files.rekey_marker().exists() {
        finish(files)?;
        return Ok(true);
    }
    undo_unfinished(files)?;
    Ok(false)
}

/// Step 3: the new files take the old ones' places; every step can be redone.
fn finish(files: &VaultFiles) -> Result<()> {
    let new_database = VaultFiles::rekeyed(&files.database());
    if new_database.exists() {
        // The old database's log must never be applied to the new one.
        for stale in [files.wal(), files.shm()] {
            remove_if_present(&stale)?;
        }
        testpoint::crash("rekey.wal-removed");
    }
    for (i, path) in replaced(files).iter().enumerate() {
        let new = VaultFiles::rekeyed(path);
        if new.exists() {
            match std::fs::rename(&new, path) {
                // another Packplan finishing the same re-key got there first
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                other => other.map_err(|e| Error::io("put the re-keyed file in place", path, e))?,
            }
            sync_dir(path.parent().unwrap_or(files.dir()))?;
            testpoint::crash(
                [
                    "rekey.database-renamed",
                    "rekey.passphrase-renamed",
                    "rekey.recovery-renamed",
                    "rekey.anchor-renamed",
                ][i],
            );
        }
    }
    remove_if_present(&files.rekey_marker())?;
    sync_dir(&files.keys_dir())
}

/// Removes the files of a re-key that never took effect.
fn undo_unfinished(files: &VaultFiles) -> Result<()> {
    for path in replaced(files) {
        let new = VaultFiles::rekeyed(&path);
        remove_if_present(&new)?;
        for suffix in ["-wal", "-shm", "-journal"] {
            let mut beside = new.clone().into_os_string();
            beside.push(suffix);
            remove_if_present(Path::new(&beside))?;
        }
    }
    Ok(())
}

fn remove_if_present(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io("remove", path, e)),
    }
}

/// The refusal when another Packplan has the vault open.
pub(super) fn in_use_elsewhere() -> Error {
    Error::new(
        ErrorKind::Invalid,
        "the vault is open in another Packplan window or command; close it there, then re-key. Nothing was changed",
    )
}
