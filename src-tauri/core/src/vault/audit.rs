//! The audit log: every change to the vault is recorded in the same transaction
//! as the change, and each entry is hash-chained to the one before.
//!
//! `hash = SHA-256("packplan-audit-v1" ‖ 0 ‖ seq ‖ 0 ‖ at ‖ 0 ‖ actor ‖ 0 ‖ action ‖ 0 ‖
//! subject ‖ 0 ‖ detail ‖ 0 ‖ prev_hash)`, hex; the first entry's `prev_hash` is 64
//! zeros. `audit_head` holds the last entry's number and hash, so an edited entry
//! (its hash no longer matches), a deleted entry (a gap, or the next entry's
//! `prev_hash` no longer matches) and entries cut from the end (the head points past
//! the last entry) are all detected. The chain proves the log was not altered
//! through anything but Packplan; someone holding the key and rewriting every
//! hash could forge it, which the encryption already guards against.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use sha2::{Digest, Sha256};

use super::database::failed;
use crate::clock::Timestamp;
use crate::{Error, Result};

const DOMAIN: &str = "packplan-audit-v1";
fn db_error() -> impl Fn(rusqlite::Error) -> Error + Copy {
    failed("use the audit log")
}

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A change about to be recorded: who did what to which thing.
#[derive(Debug, Clone)]
pub struct Change {
    /// Who made the change: the OS user and the interface ("alice via cli").
    pub actor: String,
    /// A stable dotted name ("vault.init", "bundle.import", "dataset.remove").
    pub action: String,
    /// What the change is about (a dataset id, a setting name, ...).
    pub subject: String,
    /// Details as JSON (counts, ids, overrides); never secrets.
    pub detail: serde_json::Value,
}

impl Change {
    pub fn new(actor: &str, action: &str, subject: &str, detail: serde_json::Value) -> Change {
        Change { actor: actor.into(), action: action.into(), subject: subject.into(), detail }
    }
}

/// The actor of changes Packplan makes by itself, such as a migration at unlock.
pub const SYSTEM_ACTOR: &str = "packplan (at unlock)";

/// The actor recorded for changes made by the current OS user through `interface`
/// ("cli", "desktop"): `alice via cli`.
pub fn actor(interface: &str) -> String {
    let user = ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|u| !u.is_empty()))
        .unwrap_or_else(|| "unknown user".into());
    format!("{user} via {interface}")
}

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: serde_json::Value,
    pub prev_hash: String,
    pub hash: String,
}

/// The outcome of verifying the chain.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AuditVerdict {
    pub entries: u64,
    /// Empty when the chain is intact; otherwise one sentence per break.
    pub problems: Vec<String>,
}

impl AuditVerdict {
    pub fn intact(&self) -> bool {
        self.problems.is_empty()
    }
}

fn entry_hash(seq: i64, at: &str, actor: &str, action: &str, subject: &str, detail: &str, prev: &str) -> String {
    let mut h = Sha256::new();
    for (i, part) in [DOMAIN, &seq.to_string(), at, actor, action, subject, detail, prev].iter().enumerate() {
        if i > 0 {
            h.update([0u8]);
        }
        h.update(part.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Appends `change` to the log inside the caller's transaction.
pub fn append(tx: &Transaction<'_>, change: &Change, at: Timestamp) -> Result<AuditEntry> {
    let head: Option<(i64, String)> = tx
        .query_row("SELECT seq, hash FROM audit_head WHERE one = 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
        .map_err(db_error())?;
    let (seq, prev_hash) = match head {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_string()),
    };
    let at = at.rfc3339();
    let detail = serde_json::to_string(&change.detail).map_err(|e| Error::internal(format!("audit detail: {e}")))?;
    let hash = entry_hash(seq, &at, &change.actor, &change.action, &change.subject, &detail, &prev_hash);
    tx.execute(
        "INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![seq, at, change.actor, change.action, change.subject, detail, prev_hash, hash],
    )
    .map_err(db_error())?;
    tx.execute(
        "INSERT INTO audit_head (one, seq, hash) VALUES (1, ?1, ?2) ON CONFLICT (one) DO UPDATE SET seq = ?1, hash = ?2",
        params![seq, hash],
    )
    .map_err(db_error())?;
    Ok(AuditEntry {
        seq,
        at,
        actor: change.actor.clone(),
        action: change.action.clone(),
        subject: change.subject.clone(),
        detail: change.detail.clone(),
        prev_hash,
        hash,
    })
}

/// The head of the log: the last entry's number and hash (0 and the genesis hash when empty).
pub fn head(conn: &Connection) -> Result<(i64, String)> {
    let head: Option<(i64, String)> = conn
        .query_row("SELECT seq, hash FROM audit_head WHERE one = 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
        .map_err(db_error())?;
    Ok(head.unwrap_or_else(|| (0, GENESIS.to_string())))
}

/// The hash of entry `seq`, if the log holds it.
pub fn hash_at(conn: &Connection, seq: i64) -> Result<Option<String>> {
    if seq == 0 {
        return Ok(Some(GENESIS.to_string()));
    }
    conn.query_row("SELECT hash FROM audit_log WHERE seq = ?1", [seq], |r| r.get(0)).optional().map_err(db_error())
}

/// The newest `limit` entries, newest first.
pub fn list(conn: &Connection, limit: u32) -> Result<Vec<AuditEntry>> {
    let mut stmt = conn
        .prepare(
            "SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM audit_log ORDER BY seq DESC LIMIT ?1",
        )
        .map_err(db_error())?;
    let rows = stmt
        .query_map([limit], |r| {
            let detail: String = r.get(5)?;
            Ok(AuditEntry {
                seq: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                action: r.get(3)?,
                subject: r.get(4)?,
                detail: serde_json::from_str(&detail).unwrap_or(serde_json::Value::String(detail)),
                prev_hash: r.get(6)?,
                hash: r.get(7)?,
            })
        })
        .map_err(db_error())?;
    rows.collect::<rusqlite::Result<Vec<_>>>().map_err(db_error())
}

/// Walks the whole chain and reports every break.
pub fn verify(conn: &Connection) -> Result<AuditVerdict> {
    let mut stmt = conn
        .prepare("SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM audit_log ORDER BY seq")
        .map_err(db_error())?;
    let mut rows = stmt.query([]).map_err(db_error())?;
    let mut problems = Vec::new();
    let mut expected_seq = 1i64;
    let mut prev = GENESIS.to_string();
    let mut entries = 0u64;
    while let Some(r) = rows.next().map_err(db_error())? {
        let seq: i64 = r.get(0).map_err(db_error())?;
        let [at, actor, action, subject, detail, prev_hash, hash]: [String; 7] = [
            r.get(1).map_err(db_error())?,
            r.get(2).map_err(db_error())?,
            r.get(3).map_err(db_error())?,
            r.get(4).map_err(db_error())?,
            r.get(5).map_err(db_error())?,
            r.get(6).map_err(db_error())?,
            r.get(7).map_err(db_error())?,
        ];
        entries += 1;
        if seq != expected_seq {
            problems.push(format!("entries {expected_seq} to {} are missing (deleted)", seq - 1));
        } else if prev_hash != prev {
            problems
                .push(format!("entry {seq} does not follow from entry {}: an entry before it was altered", seq - 1));
        }
        if entry_hash(seq, &at, &actor, &action, &subject, &detail, &prev_hash) != hash {
            problems.push(format!("entry {seq} ({action} at {at}) was altered after it was written"));
        }
        prev = hash;
        expected_seq = seq + 1;
    }
    let head: Option<(i64, String)> = conn
        .query_row("SELECT seq, hash FROM audit_head WHERE one = 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
        .map_err(db_error())?;
    match head {
        Some((seq, hash)) if seq != expected_seq - 1 || hash != prev => {
            if seq > expected_seq - 1 {
                problems.push(format!("entries {expected_seq} to {seq} at the end of the log are missing (deleted)"));
            } else {
                problems.push("the log's head record does not match its last entry".into());
            }
        }
        None if entries > 0 => problems.push("the log's head record is missing".into()),
        _ => {}
    }
    Ok(AuditVerdict { entries, problems })
}
