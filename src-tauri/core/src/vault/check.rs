//! `vault check`: proves the vault is whole. SQLite's integrity check (structure),
//! SQLCipher's cipher integrity check (every page's HMAC: a flipped byte anywhere
//! is named by page), the foreign keys, and the audit chain.

use rusqlite::Connection;

use super::audit;
use super::database::{cipher_version, failed};
use crate::Result;

/// One check and what it found.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct CheckResult {
    /// "integrity", "cipher_integrity", "foreign_keys", "audit_chain", "anchor", "metadata", "signed_data".
    pub check: &'static str,
    pub ok: bool,
    /// "ok", or each problem found, in words.
    pub findings: Vec<String>,
}

/// The whole report of `vault check`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct CheckReport {
    pub ok: bool,
    pub cipher_version: String,
    pub checks: Vec<CheckResult>,
}

impl CheckResult {
    /// A check that passed with one finding, or failed with one.
    pub fn from_outcome(check: &'static str, outcome: std::result::Result<String, String>) -> CheckResult {
        match outcome {
            Ok(finding) => CheckResult { check, ok: true, findings: vec![finding] },
            Err(finding) => CheckResult { check, ok: false, findings: vec![finding] },
        }
    }
}

impl CheckReport {
    /// Adds a check's result (the report is sound only if every check is).
    pub fn push(&mut self, result: CheckResult) {
        self.ok &= result.ok;
        self.checks.push(result);
    }
}

/// Runs every check; a damaged page shows up as a finding, not as a crash.
pub fn run(conn: &Connection) -> Result<CheckReport> {
    let mut checks = vec![
        rows_check(conn, "integrity", "PRAGMA integrity_check", |rows| rows == ["ok"]),
        rows_check(conn, "cipher_integrity", "PRAGMA cipher_integrity_check", |rows| rows.is_empty()),
        rows_check(conn, "foreign_keys", "PRAGMA foreign_key_check", |rows| rows.is_empty()),
    ];
    checks.push(match audit::verify(conn) {
        Ok(verdict) => CheckResult {
            check: "audit_chain",
            ok: verdict.intact(),
            findings: if verdict.intact() {
                vec![format!("{} entries, chain intact", verdict.entries)]
            } else {
                verdict.problems
            },
        },
        Err(e) => CheckResult { check: "audit_chain", ok: false, findings: vec![e.to_string()] },
    });
    Ok(CheckReport { ok: checks.iter().all(|c| c.ok), cipher_version: cipher_version(conn)?, checks })
}

fn rows_check(conn: &Connection, name: &'static str, sql: &str, good: impl Fn(&[String]) -> bool) -> CheckResult {
    let rows: Result<Vec<String>> = (|| {
        let mut stmt = conn.prepare(sql).map_err(failed("run the checks"))?;
        let mut rows = stmt.query([]).map_err(failed("run the checks"))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(failed("run the checks"))? {
            let cells: Vec<String> = (0..row.as_ref().column_count())
                .map(|i| match row.get_ref(i) {
                    Ok(v) => match v {
                        rusqlite::types::ValueRef::Null => String::new(),
                        rusqlite::types::ValueRef::Integer(n) => n.to_string(),
                        rusqlite::types::ValueRef::Real(x) => x.to_string(),
                        rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => {
                            String::from_utf8_lossy(t).into_owned()
                        }
                    },
                    Err(_) => String::new(),
                })
                .filter(|c| !c.is_empty())
                .collect();
            out.push(cells.join(" "));
        }
        Ok(out)
    })();
    match rows {
        Ok(rows) if good(&rows) => CheckResult { check: name, ok: true, findings: vec!["ok".into()] },
        Ok(rows) => CheckResult { check: name, ok: false, findings: rows },
        Err(e) => CheckResult { check: name, ok: false, findings: vec![e.to_string()] },
    }
}
