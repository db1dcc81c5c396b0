//! Opening the vault's SQLCipher database with the right key and settings, and
//! refusing anything that is not a SQLCipher vault.
//!
//! Settings applied to every connection: the raw 256-bit key (no PBKDF2: the key
//! slots already stretch the passphrase), WAL with `synchronous=FULL`, foreign
//! keys on, `temp_store=MEMORY` (temporary tables would otherwise be plaintext
//! files), `secure_delete` on (freed pages are zeroed), and SQLCipher's own
//! logging silenced so nothing about pages reaches stderr. An existing database
//! is opened without the create flag, so a wrong key or a damaged file can never
//! lead to a new, empty vault in its place.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::key::DatabaseKey;
use crate::{Error, ErrorKind, Result};

/// The first 16 bytes of a plaintext SQLite database.
pub const PLAIN_SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Whether to create the database file or require it to exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Create {
    New,
    Existing,
}

/// Opens the database at `path` with `key` and Packplan's settings.
pub fn open(path: &Path, key: &DatabaseKey, create: Create) -> Result<Connection> {
    if create == Create::Existing {
        refuse_plaintext(path)?;
    }
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create == Create::New {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags).map_err(|e| open_error(path, &e))?;
    require_sqlcipher(&conn)?;
    conn.pragma_update(None, "cipher_log_level", "NONE").map_err(|e| setting_error("cipher_log_level", &e))?;
    // The statement holds the key: built in a buffer that wipes itself (and never grows).
    let mut statement = zeroize::Zeroizing::new(String::with_capacity(96));
    statement.push_str("PRAGMA key = \"");
    statement.push_str(&key.pragma_value());
    statement.push_str("\";");
    conn.execute_batch(&statement).map_err(|e| setting_error("key", &e))?;
    // The first read proves the key: a wrong key or a foreign file fails here.
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0))
        .map_err(|e| first_read_error(path, &e))?;
    for (name, value) in [
        ("journal_mode", "WAL"),
        ("synchronous", "FULL"),
        ("foreign_keys", "ON"),
        ("temp_store", "MEMORY"),
        ("secure_delete", "ON"),
        // Off on purpose: on, it made inserts 15x slower (docs/performance.md) to guard
        // against memory dumps of the running, unlocked app, which is outside the
        // vault's at-rest threat model (docs/vault.md). Keys in Rust wipe themselves.
        ("cipher_memory_security", "OFF"),
        // 64 MiB of decrypted pages in memory (never on disk): a million-row import
        // touches index pages all over the file, and re-decrypting them dominated.
        ("cache_size", "-65536"),
    ] {
        conn.pragma_update(None, name, value).map_err(|e| setting_error(name, &e))?;
    }
    conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(|e| setting_error("busy_timeout", &e))?;
    Ok(conn)
}

/// SQLCipher's version, or an error when the linked library is plain SQLite
/// (on which `PRAGMA key` is silently ignored and data would be written in clear).
pub fn cipher_version(conn: &Connection) -> Result<String> {
    let version: Option<String> = conn.query_row("PRAGMA cipher_version", [], |r| r.get(0)).ok();
    match version {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(Error::internal(
            "this build of Packplan is linked to plain SQLite, not SQLCipher, so it cannot keep data encrypted; install an official build",
        )),
    }
}

fn require_sqlcipher(conn: &Connection) -> Result<()> {
    cipher_version(conn).map(|_| ())
}

fn refuse_plaintext(path: &Path) -> Result<()> {
    use std::io::Read;
    let mut header = [0u8; 16];
    let mut file = std::fs::File::open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::new(
                ErrorKind::Damaged,
                format!(
                    "the vault database {} is missing while its key slots exist; restore it from a backup",
                    path.display()
                ),
            )
        } else {
            Error::io("open the vault database", path, e)
        }
    })?;
    let n = file.read(&mut header).map_err(|e| Error::io("read the vault database", path, e))?;
    if n == 16 && &header == PLAIN_SQLITE_HEADER {
        return Err(Error::new(
            ErrorKind::Damaged,
            format!("{} is a plain, unencrypted SQLite database, not a Packplan vault; Packplan will not use or overwrite it. Move it away and restore the vault from a backup", path.display()),
        ));
    }
    Ok(())
}

fn open_error(path: &Path, e: &rusqlite::Error) -> Error {
    Error::new(
        ErrorKind::Io,
        format!(
            "could not open the vault database {}: {e}; check that the folder is readable and writable",
            path.display()
        ),
    )
}

fn first_read_error(path: &Path, e: &rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) | Some(rusqlite::ErrorCode::DatabaseCorrupt) => Error::new(
            ErrorKind::Damaged,
            format!("the vault database {} does not open with the vault's key: it is damaged or was replaced. Nothing was changed; run `packplan vault check` or restore from a backup", path.display()),
        ),
        _ => open_error(path, e),
    }
}

fn setting_error(name: &str, e: &rusqlite::Error) -> Error {
    Error::internal(format!("could not apply the database setting {name}: {e}"))
}

/// Maps a database error to Packplan's error, saying what was being done:
/// `.map_err(failed("read the audit log"))`.
pub fn failed(doing: &'static str) -> impl Fn(rusqlite::Error) -> Error + Copy {
    move |e| {
        match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseCorrupt) | Some(rusqlite::ErrorCode::NotADatabase) => Error::new(
            ErrorKind::Damaged,
            format!("could not {doing}: the vault database is damaged ({e}); run `packplan vault check`, then restore from a backup"),
        ),
        Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked) => Error::new(
            ErrorKind::Io,
            format!("could not {doing}: another Packplan is writing to this vault; wait for it to finish and try again"),
        ),
        Some(rusqlite::ErrorCode::DiskFull) => Error::new(
            ErrorKind::Io,
            format!("could not {doing}: the disk is full; free some space and try again (nothing was changed)"),
        ),
        _ => Error::internal(format!("could not {doing}: {e}")),
    }
    }
}
