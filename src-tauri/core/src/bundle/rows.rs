//! Table rows in the form the model is assembled from: rows per table name, each a
//! JSON object keyed by column (with `dataset_id`). The vault's rows in effect
//! take this form (`dataset::data_list`), and so do a bundle's CSV files, read
//! here through the same table checks as an import.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::tables;
use crate::{Error, Result};

/// Rows per table name, each row a JSON object (with `dataset_id` when from the vault).
pub type TableRows = BTreeMap<String, Vec<Map<String, Value>>>;

/// Parses CSV table files (as in a bundle or `assets/demo`) into rows of `dataset_id`,
/// checking each against its documented table; the first problem is the error.
pub fn rows_from_csv(files: &[(String, Vec<u8>)], dataset_id: &str) -> Result<TableRows> {
    let mut out = TableRows::new();
    for (name, bytes) in files {
        let stem = name.trim_end_matches(".csv");
        let Some(table) = tables::table(stem) else { continue };
        let (parsed, problems) = tables::parse(table, bytes);
        if let Some(p) = problems.first() {
            return Err(Error::invalid(format!("{}:{}: {}", p.file, p.line, p.message)));
        }
        let list = out.entry(stem.to_string()).or_default();
        for row in parsed.rows.iter() {
            let mut object = Map::new();
            object.insert("dataset_id".into(), dataset_id.into());
            for (column, value) in table.columns.iter().zip(&row.values) {
                object.insert(column.name.into(), serde_json::to_value(value).unwrap_or(Value::Null));
            }
            list.push(object);
        }
    }
    Ok(out)
}
