//! `vault backup OUT`: an encrypted copy of the whole vault, made while it is open.
//!
//! SQLCipher disabled SQLite's backup API for encrypted databases, so the copy is
//! made with `sqlcipher_export` into a new database attached with the same key,
//! and the key slots and metadata are copied beside it. The result is a complete
//! vault folder that opens with the same passphrase or recovery code (the ones in
//! force when the backup was made). Restoring is choosing it: `packplan --vault
//! OUT vault check`, then either keep using `--vault OUT` or move the damaged
//! vault folder away and copy OUT in its place (docs/vault.md).

use std::path::Path;

use rusqlite::Connection;

use super::database::{self, failed, Create};
use super::files::VaultFiles;
use super::key::DatabaseKey;
use super::{check, schema};
use crate::{Error, ErrorKind, Result};

/// What a backup produced.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct BackupReceipt {
    pub folder: String,
    pub bytes: u64,
    /// The backup was reopened and passed every check.
    pub verified: bool,
}

/// Writes a backup of the open vault into the new folder `out`. On failure, what
/// was written is removed again and the vault itself is untouched.
pub fn write(conn: &Connection, key: &DatabaseKey, files: &VaultFiles, out: &Path) -> Result<BackupReceipt> {
    if out.exists() && std::fs::read_dir(out).map(|mut d| d.next().is_some()).unwrap_or(true) {
        return Err(Error::new(
            ErrorKind::AlreadyExists,
            format!("{} already exists and is not empty; choose a new folder for the backup", out.display()),
        ));
    }
    let existed = out.exists();
    let result = write_into(conn, key, files, out);
    if result.is_err() && out.exists() {
        let target = VaultFiles::new(out);
        for path in target.all() {
            let _ = std::fs::remove_file(path);
        }
        let _ = std::fs::remove_dir(target.keys_dir());
        if !existed {
            let _ = std::fs::remove_dir(out);
        }
    }
    result
}

/// Creates `dir` (and its parents) readable by its owner only.
fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| Error::io("create the backup folder", dir, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| Error::io("protect the backup folder", dir, e))?;
    }
    Ok(())
}

fn write_into(conn: &Connection, key: &DatabaseKey, files: &VaultFiles, out: &Path) -> Result<BackupReceipt> {
    let target = VaultFiles::new(out);
    create_private_dir(out)?;
    create_private_dir(&target.keys_dir())?;
    let db_path = target.database();
    let db_text = db_path
        .to_str()
        .ok_or_else(|| Error::invalid("the backup folder's path is not valid UTF-8; choose another folder"))?;
    // The vault's connection was opened without the create flag (so it can never make a
    // new vault by mistake) and ATTACH inherits it: create the empty file first.
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(&db_path).map_err(|e| Error::io("create the backup database", &db_path, e))?;
    conn.execute("ATTACH DATABASE ?1 AS backup KEY ?2", rusqlite::params![db_text, key.pragma_value().as_str()])
        .map_err(failed("create the backup database"))?;
    let exported = conn
        .query_row("SELECT sqlcipher_export('backup')", [], |_| Ok(()))
        .map_err(failed("copy the vault into the backup"))
        .and_then(|_| {
            let version = schema::stored_version(conn)?;
            conn.execute_batch(&format!("PRAGMA backup.user_version = {version};"))
                .map_err(failed("mark the backup's schema version"))
        });
    let detached = conn.execute("DETACH DATABASE backup", []).map_err(failed("close the backup database"));
    exported.and(detached)?;
    for (from, to) in [
        (files.passphrase_slot(), target.passphrase_slot()),
        (files.recovery_slot(), target.recovery_slot()),
        (files.metadata(), target.metadata()),
    ] {
        let bytes = std::fs::read(&from).map_err(|e| Error::io("copy into the backup", &from, e))?;
        crate::write_file::write_file(&to, &bytes, crate::write_file::Existing::Replace)?;
    }
    crate::write_file::sync_dir(&target.keys_dir())?;
    crate::write_file::sync_dir(out)?;
    // Prove the copy: open it with the key and run every check.
    let copy = database::open(&db_path, key, Create::Existing)?;
    let report = check::run(&copy)?;
    // The copy's own anchor: opening it later holds it to this state.
    super::anchor::write(&target.anchor(), &copy, key)?;
    drop(copy);
    if !report.ok {
        return Err(Error::new(
            ErrorKind::Damaged,
            format!("the backup in {} failed its checks; do not rely on it. Try again on another disk", out.display()),
        ));
    }
    let bytes = target.all().iter().filter_map(|p| std::fs::metadata(p).ok()).map(|m| m.len()).sum();
    Ok(BackupReceipt { folder: out.display().to_string(), bytes, verified: true })
}
