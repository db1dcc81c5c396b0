//! Datasets: the provenance unit of every figure in the vault. Each imported
//! bundle becomes one dataset (the rows entered in the app belong to the `local`
//! one); a dataset can be listed, read, removed (undoing its import) and exported
//! again as a bundle.
//!
//! - [`import`]: a bundle file to a staged import with its preview, then applied
//!   in one transaction;
//! - [`own_files`]: the user's own workbook or CSV files, staged and applied as an import;
//! - [`preview`]: what an import will change (added, changed, removed, overlaps);
//! - [`overlap`]: how datasets with rows of the same key combine;
//! - [`rows`]: table rows to and from the database;
//! - [`browse`]: the rows in effect of a table, searched, sorted and paged;
//! - [`edit`]: a value edited in place (checked, audited, revertible);
//! - [`add`]: a row of one's own added (checked, audited) and removed again;
//! - [`plannable`]: the write path of these and of imports, which refuses a change the model would refuse;
//! - [`export`]: datasets to a signed, encrypted bundle;
//! - [`verify`]: imported rows checked again against their issuer's signature.

pub mod add;
pub mod browse;
pub mod edit;
pub mod export;
pub mod import;
pub mod model_input;
pub mod overlap;
pub mod own_files;
mod plannable;
pub mod preview;
pub mod rows;
pub mod verify;

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, Transaction};

use crate::bundle::tables::{self, TABLES};
use crate::vault::database::failed;
use crate::{Error, ErrorKind, Result};

/// One dataset, as listed.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct Dataset {
    pub id: String,
    /// `bundle` (imported from a bundle), `files` (from the user's own workbook or
    /// CSV files) or `local` (entered in this vault).
    pub origin: String,
    pub title: String,
    pub classification: String,
    pub issuer: Option<String>,
    /// The minisign key id of the trusted issuer whose signature was verified.
    pub signer_key_id: Option<String>,
    /// The key id an unverified signature claimed (an unknown signer allowed for the import): never the signer.
    pub claimed_key_id: Option<String>,
    pub producer_seq: Option<i64>,
    pub created: String,
    pub imported: String,
    pub sha256: Option<String>,
    pub policy_override: Option<String>,
    /// Rows per table (tables with no rows are left out).
    pub rows: BTreeMap<String, u64>,
}

/// The columns of a [`Dataset`]; `origin` reads `files` for the user's own workbook
/// or CSV files (`own_files`), which are stored as an unsigned import.
const COLUMNS: &str = "id, \
    CASE WHEN origin = 'bundle' AND (SELECT json_extract(CAST(s.manifest AS TEXT), '$.format') \
        FROM dataset_sources s WHERE s.dataset_id = datasets.id) = 'packplan-own-files' THEN 'files' ELSE origin END, \
    title, classification, issuer, signer_key_id, claimed_key_id, producer_seq, created, imported, sha256, override";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Dataset> {
    Ok(Dataset {
        id: r.get(0)?,
        origin: r.get(1)?,
        // Datasets imported before titles were cleaned still show no control characters.
        title: crate::printable::printable(&r.get::<_, String>(2)?),
        classification: crate::printable::printable(&r.get::<_, String>(3)?),
        issuer: r.get(4)?,
        signer_key_id: r.get(5)?,
        claimed_key_id: r.get(6)?,
        producer_seq: r.get(7)?,
        created: r.get(8)?,
        imported: r.get(9)?,
        sha256: r.get(10)?,
        policy_override: r.get(11)?,
        rows: BTreeMap::new(),
    })
}

fn count_rows(conn: &Connection, dataset: &mut Dataset) -> Result<()> {
    for table in TABLES {
        let n: i64 = conn
            .query_row(&format!("SELECT count(*) FROM {} WHERE dataset_id = ?1", table.name), [&dataset.id], |r| {
                r.get(0)
            })
            .map_err(failed("count the dataset's rows"))?;
        if n > 0 {
            dataset.rows.insert(table.name.to_owned(), n as u64);
        }
    }
    Ok(())
}

/// Every dataset, oldest import first, with its row counts.
pub fn list(conn: &Connection) -> Result<Vec<Dataset>> {
    let mut stmt = conn
        .prepare(&format!("SELECT {COLUMNS} FROM datasets ORDER BY imported, id"))
        .map_err(failed("list the datasets"))?;
    let mut out = stmt
        .query_map([], from_row)
        .map_err(failed("list the datasets"))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(failed("list the datasets"))?;
    for d in &mut out {
        count_rows(conn, d)?;
    }
    Ok(out)
}

/// One dataset by id, or a not-found error naming the command that lists them.
pub fn get(conn: &Connection, id: &str) -> Result<Dataset> {
    let found = conn
        .query_row(&format!("SELECT {COLUMNS} FROM datasets WHERE id = ?1"), [id], from_row)
        .optional()
        .map_err(failed("read the dataset"))?;
    let mut dataset = found.ok_or_else(|| {
        Error::new(ErrorKind::NotFound, format!("there is no dataset {id:?}; `packplan dataset list` shows them"))
    })?;
    count_rows(conn, &mut dataset)?;
    Ok(dataset)
}

/// The dataset that holds bundle `bundle_id`, if it was imported.
pub fn by_bundle_id(conn: &Connection, bundle_id: &str) -> Result<Option<Dataset>> {
    let found = conn
        .query_row(&format!("SELECT {COLUMNS} FROM datasets WHERE bundle_id = ?1"), [bundle_id], from_row)
        .optional()
        .map_err(failed("read the datasets"))?;
    Ok(found)
}

/// Removes a dataset and every row it brought (inside the caller's transaction).
/// The `local` dataset holds the user's own entries and is never removed.
pub fn remove(tx: &Transaction<'_>, id: &str) -> Result<Dataset> {
    if id == crate::vault::LOCAL_DATASET {
        return Err(Error::invalid("the local dataset holds what you entered in this vault; it cannot be removed"));
    }
    let dataset = get(tx, id)?;
    tx.execute("DELETE FROM datasets WHERE id = ?1", [id]).map_err(failed("remove the dataset"))?;
    Ok(dataset)
}

/// Removes a dataset from the vault, recording its title and row counts in the audit log.
pub fn remove_audited(vault: &mut crate::vault::Vault, id: &str, actor: &str) -> Result<Dataset> {
    let dataset = vault.read(|c| get(c, id))?;
    let detail = serde_json::json!({ "title": dataset.title, "rows": dataset.rows, "bundle_sha256": dataset.sha256 });
    vault.write(crate::vault::Change::new(actor, "dataset.remove", id, detail), |tx| remove(tx, id))
}

/// The effective rows of a table (after the overlap rule) as JSON objects, each
/// with its `dataset_id`: what `packplan data list TABLE` prints.
pub fn data_list(conn: &Connection, table_name: &str) -> Result<Vec<serde_json::Map<String, serde_json::Value>>> {
    let table = tables::table(table_name).ok_or_else(|| {
        Error::invalid(format!(
            "there is no table {table_name:?}; the tables are {}",
            TABLES.iter().map(|t| t.name).collect::<Vec<_>>().join(", ")
        ))
    })?;
    let rows = overlap::effective(table, rows::read(conn, table, None)?);
    Ok(rows
        .into_iter()
        .map(|row| {
            let mut object = serde_json::Map::new();
            object.insert("dataset_id".into(), row.dataset_id.into());
            for (column, value) in table.columns.iter().zip(row.values) {
                object.insert(column.name.into(), serde_json::to_value(value).unwrap_or(serde_json::Value::Null));
            }
            object
        })
        .collect())
}
