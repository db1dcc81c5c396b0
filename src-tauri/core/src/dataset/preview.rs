//! What an import will change, shown before anything changes: the manifest and
//! signer, rows per table, and a diff against the vault's current effective data
//! (added, changed, unchanged, kept because existing data is newer, removed).

use std::collections::{BTreeMap, BTreeSet};

use super::overlap::{self, wins_over};
use super::rows::{self, key_of, same_values, StoredRow};
use super::Dataset;
use crate::bundle::tables::{ParsedTable, Problem, Row};
use crate::bundle::{Manifest, Signer};
use rusqlite::Connection;

use crate::Result;

/// How many example changes each table's diff lists.
pub const EXAMPLES: usize = 20;

/// One changed cell.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct CellChange {
    pub column: String,
    pub before: String,
    pub after: String,
}

/// One row the import changes, for the preview's examples.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct RowChange {
    /// "added", "changed", "kept" (existing data is newer and stays in effect), or "removed".
    pub change: &'static str,
    pub key: Vec<String>,
    pub cells: Vec<CellChange>,
}

/// The diff of one table.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct TableDiff {
    pub table: String,
    pub rows: u64,
    pub added: u64,
    pub changed: u64,
    pub unchanged: u64,
    /// Rows whose key already exists with a newer `as_of`: stored, but not in effect.
    pub kept: u64,
    /// Rows of a replaced dataset that the new bundle no longer holds.
    pub removed: u64,
    pub examples: Vec<RowChange>,
}

/// Everything the user sees before confirming an import.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct Preview {
    pub manifest: Manifest,
    pub signer: Signer,
    /// Policy overrides this import needs (recorded in the audit log).
    pub overrides: Vec<String>,
    /// The dataset this bundle replaces: an earlier bundle with the same title from the same signer.
    pub replaces: Option<Dataset>,
    pub tables: Vec<TableDiff>,
    /// Every validation problem; an import with problems cannot be applied.
    pub problems: Vec<Problem>,
    /// What was read differently from how it was written (a spreadsheet's `"5%"` read
    /// as 0.05, a file read as Windows-1252): shown so the user can check it.
    pub notes: Vec<Problem>,
    /// How overlapping datasets combine, in one sentence for the preview.
    pub overlap_rule: &'static str,
    /// Scenarios the bundle brings (scenarios.json), each with the name it is saved under.
    pub scenarios: Vec<ScenarioImport>,
}

/// A scenario a bundle brings, and the name it gets in this vault.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct ScenarioImport {
    /// Its name in the bundle.
    pub name: String,
    /// The name it is saved under: its own, or "NAME (from TITLE)" when the name is taken.
    pub imported_as: String,
    /// Why it was renamed: the name belongs to a scenario of the user or of another dataset.
    pub conflict: Option<String>,
}

pub const OVERLAP_RULE: &str = "Where datasets hold a row with the same key, the row with the latest as_of is used; ties go to a value edited in this vault, then to the dataset imported last. Capacity estimates from different sources are all kept.";

/// Diffs each parsed table against the effective rows of the vault (without the replaced dataset).
pub fn diff(conn: &Connection, tables: &[ParsedTable], replaces: Option<&str>, now: &str) -> Result<Vec<TableDiff>> {
    let mut out = Vec::new();
    for parsed in tables {
        let table = parsed.table;
        let stored = rows::read(conn, table, None)?;
        let old: Vec<StoredRow> = stored.iter().filter(|r| Some(r.dataset_id.as_str()) == replaces).cloned().collect();
        // What is in effect now, the replaced dataset included: its rows are what "changed" compares with.
        let current: BTreeMap<Vec<String>, StoredRow> =
            overlap::effective(table, stored).into_iter().map(|r| (key_of(table, &r.values), r)).collect();
        let mut d = TableDiff { table: table.name.to_owned(), rows: parsed.rows.len() as u64, ..Default::default() };
        let mut incoming_keys = BTreeSet::new();
        // Into an empty table every row is added: only the examples are looked at.
        let rows: Box<dyn Iterator<Item = Row>> = if current.is_empty() {
            d.added = parsed.rows.len() as u64;
            d.examples = (0..parsed.rows.len().min(EXAMPLES))
                .map(|i| RowChange { change: "added", key: parsed.key_of(&parsed.rows.get(i)), cells: Vec::new() })
                .collect();
            Box::new(std::iter::empty())
        } else {
            Box::new(parsed.rows.iter())
        };
        for row in rows {
            let row = &row;
            let key = parsed.key_of(row);
            if !old.is_empty() {
                incoming_keys.insert(key.clone());
            }
            let (change, cells) = match current.get(&key) {
                None => ("added", Vec::new()),
                Some(existing) if same_values(row, existing) => {
                    d.unchanged += 1;
                    continue;
                }
                Some(existing) => {
                    let cells = table
                        .columns
                        .iter()
                        .zip(existing.values.iter().zip(&row.values))
                        .filter(|(_, (a, b))| a.to_cell() != b.to_cell())
                        .map(|(c, (a, b))| CellChange {
                            column: c.name.into(),
                            before: a.to_cell(),
                            after: b.to_cell(),
                        })
                        .collect();
                    let replaced = Some(existing.dataset_id.as_str()) == replaces;
                    let challenger =
                        StoredRow { dataset_id: String::new(), imported: now.to_owned(), values: row.values.clone() };
                    (if replaced || wins_over(table, &challenger, existing) { "changed" } else { "kept" }, cells)
                }
            };
            match change {
                "added" => d.added += 1,
                "changed" => d.changed += 1,
                _ => d.kept += 1,
            }
            if d.examples.len() < EXAMPLES {
                d.examples.push(RowChange { change, key, cells });
            }
        }
        for row in old {
            let key = key_of(table, &row.values);
            if !incoming_keys.contains(&key) {
                d.removed += 1;
                if d.examples.len() < EXAMPLES {
                    d.examples.push(RowChange { change: "removed", key, cells: Vec::new() });
                }
            }
        }
        out.push(d);
    }
    // Tables the new bundle leaves out lose the replaced dataset's rows too.
    if let Some(old) = replaces {
        for table in crate::bundle::tables::TABLES {
            if tables.iter().any(|p| p.table.name == table.name) {
                continue;
            }
            let gone = rows::read(conn, table, Some(old))?;
            if !gone.is_empty() {
                out.push(TableDiff {
                    table: table.name.to_owned(),
                    removed: gone.len() as u64,
                    examples: gone
                        .iter()
                        .take(EXAMPLES)
                        .map(|r| RowChange { change: "removed", key: key_of(table, &r.values), cells: Vec::new() })
                        .collect(),
                    ..Default::default()
                });
            }
        }
    }
    Ok(out)
}
