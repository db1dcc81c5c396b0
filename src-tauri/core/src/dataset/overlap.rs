//! How overlapping datasets combine: the rule that decides which stored row the
//! model sees when several datasets hold a row with the same key.
//!
//! For every table, rows are grouped by the table's key (docs/bundle-format.md).
//! Within a group the row with the latest `as_of` wins; on a tie (and in tables
//! without `as_of`) an edit made in this vault (the `local` dataset) wins, then
//! the dataset imported last. Capacity observations have the
//! source in their key, so estimates from different sources never replace one
//! another: all are kept, each with its source (the engine reads them all).

use std::collections::BTreeMap;

use super::rows::{key_of, StoredRow};
use crate::bundle::tables::Table;

/// Where a row stands against the others with its key.
pub fn wins_over(table: &Table, challenger: &StoredRow, holder: &StoredRow) -> bool {
    if let Some(i) = table.column("as_of") {
        let (a, b) = (challenger.values[i].to_cell(), holder.values[i].to_cell());
        if a != b {
            return a > b; // ISO dates compare as text
        }
    }
    let local = |r: &StoredRow| r.dataset_id == crate::vault::LOCAL_DATASET;
    match (local(challenger), local(holder)) {
        (true, false) => true,
        (false, true) => false,
        _ => challenger.imported >= holder.imported,
    }
}

/// The effective rows of a table: one per key, chosen by [`wins_over`], in key order.
pub fn effective(table: &Table, rows: Vec<StoredRow>) -> Vec<StoredRow> {
    let mut by_key: BTreeMap<Vec<String>, StoredRow> = BTreeMap::new();
    for row in rows {
        let key = key_of(table, &row.values);
        match by_key.get(&key) {
            Some(holder) if !wins_over(table, &row, holder) => {}
            _ => {
                by_key.insert(key, row);
            }
        }
    }
    by_key.into_values().collect()
}
