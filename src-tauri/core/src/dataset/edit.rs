//! Editing a value in place. The new value is checked as a bundle cell would be
//! (its kind and range, the row's low <= base <= high rules, references to other
//! tables), then written as a row of the `local` dataset that stands in for the
//! imported one (the overlap rule lets it win), in one transaction with an audit
//! entry naming the old value and its dataset. The imported row stays untouched,
//! so reverting the edit brings its value back.

use serde::{Deserialize, Serialize};

use super::browse::{columns, in_effect, table};
use super::plannable;
use super::rows::{key_of, put, remove};
use crate::bundle::tables::{expected, parse_cell, Kind, RowRule, Table, Value};
use crate::clock::Timestamp;
use crate::vault::database::failed;
use crate::vault::{Change, Vault, LOCAL_DATASET};
use crate::{Error, ErrorKind, Result};

/// A change of one cell, as the user typed it.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[ts(rename = "CellEdit")]
pub struct Edit {
    pub table: String,
    /// The row's key cells, in the table's key order.
    pub key: Vec<String>,
    pub column: String,
    pub value: String,
}

/// What an edit changed.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Edited {
    pub table: String,
    pub key: Vec<String>,
    pub column: String,
    pub old: String,
    pub new: String,
    /// The dataset the old value came from.
    pub from_dataset: String,
}

/// Checks `edit` against the vault's data and applies it, audited. On any error
/// the vault is unchanged and the message says what to type instead.
pub fn apply(vault: &mut Vault, edit: &Edit, actor: &str) -> Result<Edited> {
    let (values, edited, classification) = vault.read(|conn| check(conn, edit))?;
    let table = table(&edit.table)?;
    let detail = serde_json::json!({
        "column": edited.column, "old": edited.old, "new": edited.new, "from_dataset": edited.from_dataset,
    });
    let subject = format!("{} {}", table.name, edited.key.join("/"));
    let refused = |e: &Error| {
        format!(
            "{subject} was not changed: with {} = {:?} the data cannot be planned ({e}); type another value, or leave it as it was",
            edited.column, edited.new
        )
    };
    plannable::write(vault, Change::new(actor, "data.edit", &subject, detail), refused, |tx| {
        put(tx, LOCAL_DATASET, table, &values)?;
        raise_local_classification(tx, &classification)
    })?;
    Ok(edited)
}

/// Removes the edit of the row with `key`, so the imported value is in effect again.
pub fn revert(vault: &mut Vault, table_name: &str, key: &[String], actor: &str) -> Result<()> {
    let table = table(table_name)?;
    let subject = format!("{} {}", table.name, key.join("/"));
    vault.write(Change::new(actor, "data.revert", &subject, serde_json::json!({})), |tx| {
        if remove(tx, LOCAL_DATASET, table, key)? {
            Ok(())
        } else {
            Err(Error::new(ErrorKind::NotFound, format!("{subject} has no edit made in this vault to revert")))
        }
    })
}

/// The row's new values, what changes, and the classification of the row's dataset.
fn check(conn: &rusqlite::Connection, edit: &Edit) -> Result<(Vec<Value>, Edited, String)> {
    let table = table(&edit.table)?;
    let c = table.column(&edit.column).ok_or_else(|| {
        Error::invalid(format!("{} has no column {:?}; refresh the table and try again", table.name, edit.column))
    })?;
    let column = &table.columns[c];
    if !columns(table)[c].editable {
        return Err(Error::invalid(format!(
            "{} cannot be edited: it {}; to change it, import a corrected bundle",
            column.name,
            if column.name == "as_of" { "is set to the date of your edit" } else { "identifies the row" }
        )));
    }
    let current =
        in_effect(conn, table)?.into_iter().find(|e| key_of(table, &e.row.values) == edit.key).ok_or_else(|| {
            Error::new(
                ErrorKind::NotFound,
                format!(
                    "{} has no row {}; it may have been removed: refresh the table",
                    table.name,
                    edit.key.join("/")
                ),
            )
        })?;
    let old = current.row.values[c].to_cell();
    let value = parse_cell(column, &edit.value).map_err(|what| {
        Error::invalid(format!(
            "{}: {what}; expected {}. Type another value, or Escape to keep {old}",
            column.name,
            expected(column)
        ))
    })?;
    let mut values = current.row.values.clone();
    values[c] = value;
    check_rules(table, &values)?;
    if let Kind::Ref(target) = column.kind {
        check_reference(conn, target, &values[c], column.name)?;
    }
    if let Some(a) = table.column("as_of") {
        let today = Value::Text(Timestamp::now().date());
        if today.to_cell() > values[a].to_cell() {
            values[a] = today;
        }
    }
    let origin = current.replaces.as_ref().unwrap_or(&current.row).dataset_id.clone();
    let classification: String = conn
        .query_row("SELECT classification FROM datasets WHERE id = ?1", [&current.row.dataset_id], |r| r.get(0))
        .map_err(failed("read the row's dataset"))?;
    let edited = Edited {
        table: table.name.to_owned(),
        key: edit.key.clone(),
        column: column.name.to_owned(),
        old,
        new: values[c].to_cell(),
        from_dataset: origin,
    };
    Ok((values, edited, classification))
}

pub(super) fn check_rules(table: &Table, values: &[Value]) -> Result<()> {
    for rule in table.rules {
        if let Some(what) = rule.broken_by(|n| table.column(n).and_then(|i| values[i].as_f64())) {
            let hint = match rule {
                RowRule::Ordered(..) => " (edit the other end first)",
                RowRule::Either(..) => " (to turn one into the other, remove the row and add it anew)",
            };
            return Err(Error::invalid(format!("{what}{hint}")));
        }
    }
    Ok(())
}

pub(super) fn check_reference(conn: &rusqlite::Connection, target: &str, value: &Value, column: &str) -> Result<()> {
    let Some(id) = value.as_str() else { return Ok(()) };
    let target_table = table(target)?;
    let known = in_effect(conn, target_table)?;
    let ids: Vec<String> = known.iter().map(|e| key_of(target_table, &e.row.values).join("/")).collect();
    if ids.iter().any(|k| k == id) {
        return Ok(());
    }
    Err(Error::invalid(format!(
        "{column}: {id:?} is not an id in {target}; pick one of {}",
        ids.iter().take(12).cloned().collect::<Vec<_>>().join(", ")
    )))
}

/// The local dataset carries the strictest label of the data edited into it.
fn raise_local_classification(tx: &rusqlite::Transaction<'_>, classification: &str) -> Result<()> {
    let current: String = tx
        .query_row("SELECT classification FROM datasets WHERE id = ?1", [LOCAL_DATASET], |r| r.get(0))
        .map_err(failed("read the local dataset"))?;
    let policy = crate::vault::settings::load(tx)?.marking_policy;
    if policy.rank(classification) > policy.rank(&current) {
        tx.execute("UPDATE datasets SET classification = ?1 WHERE id = ?2", [classification, LOCAL_DATASET])
            .map_err(failed("mark the local dataset"))?;
    }
    Ok(())
}
