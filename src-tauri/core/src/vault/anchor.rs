//! The anchor: what the vault's key folder remembers about the database, so that
//! an older copy of `vault.db` (or of some of its pages) put back in place is noticed.
//!
//! SQLCipher authenticates every page, but an old page, or a whole old database,
//! is as authentic as the current one: putting back last month's `vault.db` would
//! re-trust an issuer the user removed or lower a replay ratchet, and every check
//! would pass. So after every change the vault writes `keys/anchor.json`, outside
//! the database: the audit log's head (its last entry's number and hash, which
//! rises with every change: the vault's generation) and a digest of the tables
//! that decide trust (issuers and their ratchets, own keys, contacts, datasets,
//! settings), authenticated with a MAC under a key derived from the database key.
//!
//! At unlock the database must not be older than the anchor: its log must reach
//! the anchored entry with the anchored hash, and if it has not moved on, the
//! trust tables must digest to the anchored value. Otherwise the vault refuses to
//! open (`ErrorKind::Damaged`) unless the user accepts the older database, which
//! is audited. A crash between a commit and the anchor's rewrite leaves the
//! database ahead of the anchor, which is allowed.
//!
//! What remains (docs/security.md): whoever replaces the database and the key folder
//! together with an older copy of both is not detected (nothing on this disk is
//! newer than both), and whoever holds the database key can rewrite the anchor too.

use rusqlite::Connection;
use sha2::{Digest, Sha256};

use super::audit;
use super::database::failed;
use super::key::DatabaseKey;
use crate::write_file::{write_file, Existing};
use crate::{Error, ErrorKind, Result};

const FORMAT: &str = "packplan-anchor";
const VERSION: u32 = 1;
const MAC_DOMAIN: &str = "packplan-anchor-v1";

/// What the anchor records.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Anchor {
    pub format: String,
    pub version: u32,
    /// The number of the audit log's last entry: the vault's generation.
    pub audit_seq: i64,
    /// That entry's hash.
    pub audit_hash: String,
    /// SHA-256 of the tables that decide trust (see [`state_digest`]).
    pub state: String,
    /// HMAC-SHA-256 of the fields above, under a key derived from the database key.
    pub mac: String,
}

/// How the database stands against its anchor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// The database is the anchored one, or newer and descended from it.
    Current,
    /// The database is older than the anchor, or not descended from it: one sentence why.
    Older(String),
}

fn message(audit_seq: i64, audit_hash: &str, state: &str) -> Vec<u8> {
    format!("{FORMAT}\0{VERSION}\0{audit_seq}\0{audit_hash}\0{state}").into_bytes()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The anchor of the database as it is now.
pub fn of(conn: &Connection, key: &DatabaseKey) -> Result<Anchor> {
    let (audit_seq, audit_hash) = audit::head(conn)?;
    let state = state_digest(conn)?;
    let mac = hex(&key.mac(MAC_DOMAIN, &message(audit_seq, &audit_hash, &state))?);
    Ok(Anchor { format: FORMAT.into(), version: VERSION, audit_seq, audit_hash, state, mac })
}

/// Writes the anchor of the database as it is now to `path`.
pub fn write(path: &std::path::Path, conn: &Connection, key: &DatabaseKey) -> Result<()> {
    let anchor = of(conn, key)?;
    let mut text = serde_json::to_string_pretty(&anchor).map_err(|e| Error::internal(e.to_string()))?;
    text.push('\n');
    write_file(path, text.as_bytes(), Existing::Replace)
}

/// Reads the anchor at `path` and checks its MAC; `None` when there is none.
pub fn read(path: &std::path::Path, key: &DatabaseKey) -> Result<Option<Anchor>> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("read the vault's anchor", path, e)),
    };
    let altered = || {
        Error::new(
            ErrorKind::Damaged,
            format!(
                "{} was altered or does not belong to this vault (its authentication code does not match); \
                 restore the vault folder from a backup, or accept the database as it is with `packplan vault check --accept-older-database`",
                path.display()
            ),
        )
    };
    let anchor: Anchor = serde_json::from_slice(&bytes).map_err(|_| altered())?;
    if anchor.format != FORMAT || anchor.version != VERSION {
        return Err(altered());
    }
    let expected = hex(&key.mac(MAC_DOMAIN, &message(anchor.audit_seq, &anchor.audit_hash, &anchor.state))?);
    if !constant_time_eq(expected.as_bytes(), anchor.mac.as_bytes()) {
        return Err(altered());
    }
    Ok(Some(anchor))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// How `conn` stands against `anchor`.
pub fn standing(conn: &Connection, anchor: &Anchor) -> Result<Standing> {
    let (seq, hash) = audit::head(conn)?;
    if seq < anchor.audit_seq {
        return Ok(Standing::Older(format!(
            "the database's audit log ends at entry {seq}, but the vault had reached entry {}: an older copy of vault.db was put in place",
            anchor.audit_seq
        )));
    }
    match audit::hash_at(conn, anchor.audit_seq)? {
        Some(h) if h == anchor.audit_hash => {}
        _ => {
            return Ok(Standing::Older(format!(
                "the database's audit log does not contain the vault's entry {} as it was written: the log was rewritten or another database was put in place",
                anchor.audit_seq
            )))
        }
    }
    if seq == anchor.audit_seq && hash == anchor.audit_hash && state_digest(conn)? != anchor.state {
        return Ok(Standing::Older(
            "the trusted issuers, keys, contacts, datasets or settings differ from what the vault last recorded, with no audit entry: pages of an older database were put back, or the database was edited outside Packplan".into(),
        ));
    }
    Ok(Standing::Current)
}

/// SHA-256 over the tables that decide trust, in a stable order.
pub fn state_digest(conn: &Connection) -> Result<String> {
    let fail = failed("read the vault's trust tables");
    let mut h = Sha256::new();
    for sql in [
        "SELECT name, public_key, key_id, added, last_seq FROM issuers ORDER BY name",
        "SELECT purpose, public, created FROM own_keys ORDER BY purpose",
        "SELECT name, recipient, added FROM contacts ORDER BY name",
        "SELECT id, origin, bundle_id, title, classification, issuer, signer_key_id, claimed_key_id, producer_seq, created, imported, sha256, override FROM datasets ORDER BY id",
        "SELECT key, value FROM settings WHERE key <> 'workspace' ORDER BY key",
    ] {
        h.update(sql.as_bytes());
        let mut stmt = conn.prepare(sql).map_err(fail)?;
        let width = stmt.column_count();
        let mut rows = stmt.query([]).map_err(fail)?;
        while let Some(row) = rows.next().map_err(fail)? {
            for i in 0..width {
                let cell: rusqlite::types::Value = row.get(i).map_err(fail)?;
                h.update([0xff]);
                h.update(format!("{cell:?}").as_bytes());
            }
            h.update([0xfe]);
        }
    }
    Ok(hex(&h.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_constant_time_comparison_still_compares() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
