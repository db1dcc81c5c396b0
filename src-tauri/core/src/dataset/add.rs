//! Adding a row of one's own (a second order, a capacity figure from a call with a
//! supplier), or a block of rows pasted from a spreadsheet, and removing it again. The cells are checked as a bundle's would be,
//! every problem at once; the row goes into the `local` dataset in one transaction
//! with an audit entry, and the vault is unchanged on any error. Only rows added in
//! this vault can be removed here: an imported row is changed by an edit (which
//! Revert undoes) or by its bundle.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::browse::{in_effect, table};
use super::edit::{check_reference, check_rules};
use super::plannable;
use super::rows::{key_of, put, remove};
use crate::bundle::tables::{expected, parse_cell, Kind, Value};
use crate::clock::Timestamp;
use crate::vault::{Change, Vault, LOCAL_DATASET};
use crate::{Error, ErrorKind, Result};

/// A new row, as the user typed it: column name -> cell (missing or empty: no value).
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
pub struct NewRow {
    pub table: String,
    pub cells: BTreeMap<String, String>,
}

/// The row an addition made, by its key.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct Added {
    pub table: String,
    pub key: Vec<String>,
}

/// Checks `row` against the table's rules and the vault's data and adds it, audited.
pub fn add(vault: &mut Vault, row: &NewRow, actor: &str) -> Result<Added> {
    let table = table(&row.table)?;
    let values = vault.read(|conn| check(conn, row))?;
    let key = key_of(table, &values);
    let subject = format!("{} {}", table.name, key.join("/"));
    let cells: BTreeMap<&str, String> = table.columns.iter().zip(&values).map(|(c, v)| (c.name, v.to_cell())).collect();
    let change = Change::new(actor, "data.add", &subject, serde_json::json!({ "cells": cells }));
    let refused = |e: &Error| {
        format!(
            "the row was not added to {}: with it the data cannot be planned ({e}); correct the row and add it again",
            table.name
        )
    };
    plannable::write(vault, change, refused, |tx| put(tx, LOCAL_DATASET, table, &values))?;
    Ok(Added { table: table.name.to_owned(), key })
}

/// A rectangular block of cells copied from a spreadsheet (tab-separated lines), to
/// add as rows of `table`. Its first line may be the header (the table's column names,
/// in any order); without one the columns are the table's, in their documented order.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
pub struct PastedBlock {
    pub table: String,
    pub text: String,
}

/// Adds every row of `block` in one audited transaction, or none: each row is checked
/// as [`add`] checks one (cells read as spreadsheets write them, `"5%"` as 0.05), and a
/// key repeated within the block is refused too; every problem is listed, by line.
pub fn add_block(vault: &mut Vault, block: &PastedBlock, actor: &str) -> Result<Vec<Added>> {
    use crate::bundle::spreadsheet::SpreadsheetReading;
    use crate::bundle::tables::Reading;
    let table = table(&block.table)?;
    let lines: Vec<&str> = block.text.lines().filter(|l| !l.trim().is_empty()).collect();
    let Some(first) = lines.first() else {
        return Err(Error::invalid("nothing was pasted; copy the cells in your spreadsheet, then paste them here"));
    };
    let cells_of = |line: &str| -> Vec<String> { line.split('\t').map(|c| c.trim().to_owned()).collect() };
    let first_cells = cells_of(first);
    let has_header = first_cells.iter().all(|c| table.column(c).is_some());
    let columns: Vec<&str> = if has_header {
        first_cells.iter().map(String::as_str).collect()
    } else {
        table.columns.iter().map(|c| c.name).collect()
    };
    let rows = if has_header { &lines[1..] } else { &lines[..] };
    let reading = SpreadsheetReading(Default::default());
    let mut problems = Vec::new();
    let mut checked = Vec::new();
    let mut keys: BTreeMap<Vec<String>, usize> = BTreeMap::new();
    for (i, line) in rows.iter().enumerate() {
        let at = i + 1 + usize::from(has_header);
        let cells = cells_of(line);
        if cells.len() > columns.len() {
            problems.push(format!(
                "line {at} has {} cells, the block {} columns ({}); copy a rectangle of the table's columns",
                cells.len(),
                columns.len(),
                columns.join(", ")
            ));
            continue;
        }
        let mut row = NewRow { table: table.name.to_owned(), cells: BTreeMap::new() };
        for (name, raw) in columns.iter().zip(&cells) {
            let Some(c) = table.column(name) else { continue };
            match reading.read(&table.columns[c], raw) {
                Ok((text, _)) => {
                    row.cells.insert((*name).to_owned(), text.into_owned());
                }
                Err(what) => problems.push(format!("line {at}, {name}: {what}")),
            }
        }
        match vault.read(|conn| problems_of(conn, &row))? {
            Ok(values) => {
                let key = key_of(table, &values);
                if let Some(earlier) = keys.insert(key.clone(), at) {
                    problems.push(format!("line {at} repeats the row {} of line {earlier}; keep one", key.join("/")));
                }
                checked.push(values);
            }
            Err(found) => problems.extend(found.into_iter().map(|p| format!("line {at}: {p}"))),
        }
    }
    if !problems.is_empty() {
        return Err(Error::invalid(format!(
            "nothing was added to {}; correct the cells named and paste again:\n- {}",
            table.name,
            problems.join("\n- ")
        )));
    }
    let added: Vec<Added> =
        checked.iter().map(|values| Added { table: table.name.to_owned(), key: key_of(table, values) }).collect();
    let rows_detail: Vec<BTreeMap<&str, String>> = checked
        .iter()
        .map(|values| table.columns.iter().zip(values).map(|(c, v)| (c.name, v.to_cell())).collect())
        .collect();
    let subject = format!("{} ({} rows pasted)", table.name, checked.len());
    let change = Change::new(actor, "data.add", &subject, serde_json::json!({ "rows": rows_detail }));
    let refused = |e: &Error| {
        format!(
            "nothing was added to {}: with these rows the data cannot be planned ({e}); correct them and paste again",
            table.name
        )
    };
    plannable::write(vault, change, refused, |tx| {
        for values in &checked {
            put(tx, LOCAL_DATASET, table, values)?;
        }
        Ok(())
    })?;
    Ok(added)
}

/// Removes a row added in this vault, audited.
pub fn remove_added(vault: &mut Vault, table_name: &str, key: &[String], actor: &str) -> Result<()> {
    let table = table(table_name)?;
    let subject = format!("{} {}", table.name, key.join("/"));
    let found =
        vault.read(|conn| Ok(in_effect(conn, table)?.into_iter().find(|e| key_of(table, &e.row.values) == key)))?;
    let Some(row) = found else {
        return Err(Error::new(ErrorKind::NotFound, format!("{subject} is not in the vault; refresh the table")));
    };
    if row.row.dataset_id != LOCAL_DATASET {
        return Err(Error::invalid(format!(
            "{subject} came from the dataset {:?}; remove that dataset on the Data screen, or import a corrected bundle",
            row.row.dataset_id
        )));
    }
    if let Some(imported) = &row.replaces {
        return Err(Error::invalid(format!(
            "{subject} is an edit of a row of the dataset {:?}; Revert brings its imported values back",
            imported.dataset_id
        )));
    }
    let cells: BTreeMap<&str, String> =
        table.columns.iter().zip(&row.row.values).map(|(c, v)| (c.name, v.to_cell())).collect();
    vault.write(Change::new(actor, "data.remove", &subject, serde_json::json!({ "cells": cells })), |tx| {
        remove(tx, LOCAL_DATASET, table, key).map(|_| ())
    })
}

/// The row's values, or one error that lists every problem.
fn check(conn: &rusqlite::Connection, row: &NewRow) -> Result<Vec<Value>> {
    let table = table(&row.table)?;
    match problems_of(conn, row)? {
        Ok(values) => Ok(values),
        // one problem per line, so a screen can list them
        Err(problems) => Err(Error::invalid(format!(
            "the row was not added to {}; correct {} and add it again:\n- {}",
            table.name,
            if problems.len() == 1 { "this" } else { "these" },
            problems.join("\n- ")
        ))),
    }
}

/// The row's values, or every problem with it.
fn problems_of(conn: &rusqlite::Connection, row: &NewRow) -> Result<std::result::Result<Vec<Value>, Vec<String>>> {
    let table = table(&row.table)?;
    let mut problems: Vec<String> = row
        .cells
        .keys()
        .filter(|name| table.column(name).is_none())
        .map(|name| format!("{} has no column {name:?}", table.name))
        .collect();
    let today = Timestamp::now().date();
    let mut values = Vec::with_capacity(table.columns.len());
    for column in table.columns {
        let raw = row.cells.get(column.name).map(String::as_str).unwrap_or("");
        let raw = if column.name == "as_of" && raw.trim().is_empty() { today.as_str() } else { raw };
        match parse_cell(column, raw) {
            Ok(v) => values.push(v),
            Err(what) => {
                problems.push(format!("{}: {what}; expected {}", column.name, expected(column)));
                values.push(Value::Null);
            }
        }
    }
    if problems.is_empty() {
        if let Err(e) = check_rules(table, &values) {
            problems.push(e.to_string());
        }
        for (column, value) in table.columns.iter().zip(&values) {
            if let (Kind::Ref(target), false) = (column.kind, matches!(value, Value::Null)) {
                if let Err(e) = check_reference(conn, target, value, column.name) {
                    problems.push(e.to_string());
                }
            }
        }
        let key = key_of(table, &values);
        if in_effect(conn, table)?.iter().any(|e| key_of(table, &e.row.values) == key) {
            problems.push(format!(
                "{} already has a row {}; choose another {}, or edit that row",
                table.name,
                key.join("/"),
                table.key.join(" and ")
            ));
        }
    }
    Ok(if problems.is_empty() { Ok(values) } else { Err(problems) })
}
