//! Adding a row of one's own (a second order, a capacity figure from a call with a
//! supplier) and removing it again. The cells are checked as a bundle's would be,
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
    if problems.is_empty() {
        Ok(values)
    } else {
        // one problem per line, so a screen can list them
        Err(Error::invalid(format!(
            "the row was not added to {}; correct {} and add it again:\n- {}",
            table.name,
            if problems.len() == 1 { "this" } else { "these" },
            problems.join("\n- ")
        )))
    }
}
