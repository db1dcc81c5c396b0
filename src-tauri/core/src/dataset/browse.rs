//! What the Data screen's tables show: the rows in effect of one table, each with
//! the dataset and source it came from (and, for a value edited in this vault, the
//! imported row it stands in for), searched, filtered, sorted and paged here, so a
//! table of a million rows never crosses to the page whole.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::overlap::wins_over;
use super::rows::{key_of, read, StoredRow};
use crate::bundle::tables::{self, expected, Kind, Table, TABLES};
use crate::vault::LOCAL_DATASET;
use crate::{Error, Result};

/// The most rows one page holds.
pub const MAX_PAGE: usize = 500;
/// A column with at most this many distinct values offers them as a filter.
const MAX_FACET_VALUES: usize = 60;

/// A table as the table picker lists it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct TableInfo {
    pub name: &'static str,
    pub doc: &'static str,
    /// Rows in effect (one per key).
    pub rows: usize,
}

/// A column and what it accepts.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ColumnInfo {
    pub name: &'static str,
    pub unit: &'static str,
    pub doc: &'static str,
    /// What a valid value is, in words ("a share from 0 to 1").
    pub expected: String,
    /// Part of the row's key: identifies the row, so it cannot be edited.
    pub key: bool,
    /// Can be edited in place (not a key, not `as_of`, which an edit sets).
    pub editable: bool,
    /// Sorted as numbers.
    pub numeric: bool,
    /// A new row must have a value here.
    pub required: bool,
    /// A value of the kind it takes (the template's example).
    pub example: &'static str,
}

/// What the user asked to see.
#[derive(Debug, Clone, Default, Deserialize, ts_rs::TS)]
#[serde(default)]
#[ts(rename = "TableQuery")]
pub struct Query {
    /// Words that must all appear (case-insensitive) in a row's cells, dataset or source.
    #[ts(optional = nullable)]
    pub search: String,
    /// Column name (or `dataset`) -> the exact cell value a row must have.
    #[ts(optional = nullable)]
    pub filters: BTreeMap<String, String>,
    #[ts(optional = nullable)]
    pub sort: Option<String>,
    #[ts(optional = nullable)]
    pub descending: bool,
    #[ts(optional = nullable)]
    pub offset: usize,
    /// Rows per page; 0 means 100; at most [`MAX_PAGE`].
    #[ts(optional = nullable)]
    pub limit: usize,
}

/// The dataset behind a value.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct Origin {
    pub dataset_id: String,
    pub dataset_title: String,
    pub classification: String,
}

/// One row in effect.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct TableRow {
    /// The key columns' cells: what an edit names.
    pub key: Vec<String>,
    pub cells: Vec<String>,
    pub origin: Origin,
    /// The row's `source` cell, when the table has one.
    pub source: Option<String>,
    /// For a row edited in this vault: the imported row it stands in for, if any is left.
    pub replaces: Option<Replaced>,
}

/// The imported row an edit stands in for.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Replaced {
    pub origin: Origin,
    pub cells: Vec<String>,
}

/// One page of a table.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct TablePage {
    pub table: &'static str,
    pub doc: &'static str,
    pub columns: Vec<ColumnInfo>,
    /// Rows in effect in the whole table.
    pub all: usize,
    /// Rows that match the search and filters.
    pub matching: usize,
    pub offset: usize,
    pub rows: Vec<TableRow>,
    /// Filter choices: for `dataset` and each column with few distinct values.
    pub facets: BTreeMap<String, Vec<String>>,
}

/// Every table with its count of rows in effect.
pub fn tables(conn: &Connection) -> Result<Vec<TableInfo>> {
    TABLES.iter().map(|t| Ok(TableInfo { name: t.name, doc: t.doc, rows: in_effect(conn, t)?.len() })).collect()
}

/// The table named `name`, or an error that lists the tables.
pub fn table(name: &str) -> Result<&'static Table> {
    tables::table(name).ok_or_else(|| {
        Error::invalid(format!(
            "there is no table {name:?}; the tables are {}",
            TABLES.iter().map(|t| t.name).collect::<Vec<_>>().join(", ")
        ))
    })
}

/// A row in effect and, when it is an edit made in this vault, the imported row
/// that would be in effect without it.
pub struct InEffect {
    pub row: StoredRow,
    pub replaces: Option<StoredRow>,
}

/// The rows in effect of `table`, in key order (the overlap rule of [`super::overlap`]).
pub fn in_effect(conn: &Connection, table: &'static Table) -> Result<Vec<InEffect>> {
    let mut by_key: BTreeMap<Vec<String>, (Option<StoredRow>, Option<StoredRow>)> = BTreeMap::new();
    for row in read(conn, table, None)? {
        let (winner, imported) = by_key.entry(key_of(table, &row.values)).or_default();
        if row.dataset_id != LOCAL_DATASET && imported.as_ref().is_none_or(|h| wins_over(table, &row, h)) {
            *imported = Some(row.clone());
        }
        if winner.as_ref().is_none_or(|h| wins_over(table, &row, h)) {
            *winner = Some(row);
        }
    }
    Ok(by_key
        .into_values()
        .filter_map(|(winner, imported)| {
            let row = winner?;
            let replaces = imported.filter(|_| row.dataset_id == LOCAL_DATASET);
            Some(InEffect { row, replaces })
        })
        .collect())
}

/// The columns of `table` as the screen describes them.
pub fn columns(table: &Table) -> Vec<ColumnInfo> {
    table
        .columns
        .iter()
        .map(|c| {
            let key = table.key.contains(&c.name);
            ColumnInfo {
                name: c.name,
                unit: c.unit,
                doc: c.doc,
                expected: expected(c),
                key,
                editable: !key && c.name != "as_of",
                numeric: matches!(c.kind, Kind::Number { .. } | Kind::Integer { .. } | Kind::Share),
                required: c.required,
                example: c.example,
            }
        })
        .collect()
}

/// One page of `table_name`'s rows in effect, after `query`.
pub fn page(conn: &Connection, table_name: &str, query: &Query) -> Result<TablePage> {
    let table = table(table_name)?;
    let origins = origins(conn)?;
    let origin = |id: &str| {
        origins.get(id).cloned().unwrap_or_else(|| Origin {
            dataset_id: id.to_owned(),
            dataset_title: id.to_owned(),
            classification: String::new(),
        })
    };
    let source_at = table.column("source");
    let rows: Vec<TableRow> = in_effect(conn, table)?
        .into_iter()
        .map(|e| TableRow {
            key: key_of(table, &e.row.values),
            cells: e.row.values.iter().map(|v| v.to_cell()).collect(),
            origin: origin(&e.row.dataset_id),
            source: source_at.map(|i| e.row.values[i].to_cell()),
            replaces: e.replaces.map(|r| Replaced {
                origin: origin(&r.dataset_id),
                cells: r.values.iter().map(|v| v.to_cell()).collect(),
            }),
        })
        .collect();
    let all = rows.len();
    let facets = facets(table, &rows);
    let mut matching = filter(table, rows, query)?;
    sort(table, &mut matching, query)?;
    let limit = if query.limit == 0 { 100 } else { query.limit.min(MAX_PAGE) };
    let count = matching.len();
    let offset = query.offset.min(count);
    let rows = matching.into_iter().skip(offset).take(limit).collect();
    Ok(TablePage {
        table: table.name,
        doc: table.doc,
        columns: columns(table),
        all,
        matching: count,
        offset,
        rows,
        facets,
    })
}

fn origins(conn: &Connection) -> Result<BTreeMap<String, Origin>> {
    let mut stmt = conn
        .prepare("SELECT id, title, classification FROM datasets")
        .map_err(crate::vault::database::failed("read the datasets"))?;
    let found = stmt
        .query_map([], |r| Ok(Origin { dataset_id: r.get(0)?, dataset_title: r.get(1)?, classification: r.get(2)? }))
        .map_err(crate::vault::database::failed("read the datasets"))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(crate::vault::database::failed("read the datasets"))?;
    Ok(found.into_iter().map(|o| (o.dataset_id.clone(), o)).collect())
}

fn facets(table: &Table, rows: &[TableRow]) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    let datasets: BTreeSet<String> = rows.iter().map(|r| r.origin.dataset_id.clone()).collect();
    out.insert("dataset".to_owned(), datasets.into_iter().collect());
    for (i, c) in table.columns.iter().enumerate() {
        if !matches!(c.kind, Kind::Ref(_) | Kind::Choice(_) | Kind::Bool | Kind::Month | Kind::Text) {
            continue;
        }
        let values: BTreeSet<&str> = rows.iter().map(|r| r.cells[i].as_str()).collect();
        if values.len() > 1 && values.len() <= MAX_FACET_VALUES {
            out.insert(c.name.to_owned(), values.into_iter().map(str::to_owned).collect());
        }
    }
    out
}

fn filter(table: &Table, rows: Vec<TableRow>, query: &Query) -> Result<Vec<TableRow>> {
    let mut wanted: Vec<(Option<usize>, &str)> = Vec::new();
    for (name, value) in &query.filters {
        if name == "dataset" {
            wanted.push((None, value));
        } else {
            let i = table.column(name).ok_or_else(|| {
                Error::invalid(format!("{} has no column {name:?} to filter on; pick one of its columns", table.name))
            })?;
            wanted.push((Some(i), value));
        }
    }
    let words: Vec<String> = query.search.split_whitespace().map(str::to_lowercase).collect();
    Ok(rows
        .into_iter()
        .filter(|r| {
            wanted.iter().all(|(column, value)| match column {
                Some(i) => r.cells[*i] == *value,
                None => r.origin.dataset_id == *value,
            })
        })
        .filter(|r| {
            if words.is_empty() {
                return true;
            }
            let text = format!("{} {}", r.cells.join(" "), r.origin.dataset_title).to_lowercase();
            words.iter().all(|w| text.contains(w.as_str()))
        })
        .collect())
}

fn sort(table: &Table, rows: &mut [TableRow], query: &Query) -> Result<()> {
    let Some(name) = &query.sort else { return Ok(()) };
    if name == "dataset" {
        rows.sort_by(|a, b| a.origin.dataset_title.cmp(&b.origin.dataset_title));
    } else {
        let i = table
            .column(name)
            .ok_or_else(|| Error::invalid(format!("{} has no column {name:?} to sort by", table.name)))?;
        let numeric = columns(table)[i].numeric;
        rows.sort_by(|a, b| {
            if numeric {
                let n = |r: &TableRow| r.cells[i].parse::<f64>().unwrap_or(f64::NEG_INFINITY);
                n(a).total_cmp(&n(b))
            } else {
                a.cells[i].cmp(&b.cells[i])
            }
        });
    }
    if query.descending {
        rows.reverse();
    }
    Ok(())
}
