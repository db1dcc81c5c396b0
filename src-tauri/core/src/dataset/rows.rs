//! Table rows in the vault: writing a bundle table's rows under a dataset, and
//! reading them back as the same typed values, driven by the table specs of
//! `bundle::tables` (so a column is described once, not once per table).

use rusqlite::types::ValueRef;
use rusqlite::{Connection, Transaction};

use crate::bundle::tables::{Kind, ParsedTable, Row, Table, Value};
use crate::progress::{CancelToken, Progress, ProgressReport};
use crate::vault::database::failed;
use crate::{Error, ErrorKind, Result};

/// A row as stored: its dataset, when that dataset was imported, and its values.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRow {
    pub dataset_id: String,
    pub imported: String,
    pub values: Vec<Value>,
}

fn from_sql(table: &Table, column: usize, cell: ValueRef<'_>) -> Result<Value> {
    let damaged = || {
        Error::new(
            ErrorKind::Damaged,
            format!(
                "a stored value of {}.{} has the wrong type; run `packplan vault check`",
                table.name, table.columns[column].name
            ),
        )
    };
    Ok(match (table.columns[column].kind, cell) {
        (_, ValueRef::Null) => Value::Null,
        (Kind::Month, ValueRef::Text(t)) => {
            Value::Month(std::str::from_utf8(t).map_err(|_| damaged())?.parse().map_err(|_| damaged())?)
        }
        (Kind::Number { .. } | Kind::Share, ValueRef::Real(v)) => Value::Number(v),
        (Kind::Number { .. } | Kind::Share, ValueRef::Integer(v)) => Value::Number(v as f64),
        (Kind::Integer { .. }, ValueRef::Integer(v)) => Value::Integer(v),
        (Kind::Bool, ValueRef::Integer(v)) => Value::Bool(v != 0),
        (_, ValueRef::Text(t)) => Value::Text(std::str::from_utf8(t).map_err(|_| damaged())?.to_owned()),
        _ => return Err(damaged()),
    })
}

/// A table of more rows than this is written in the order of its key, which the
/// vault then lists it in: in file order, each row's entry lands somewhere else in
/// the key's index, and once the indexes outgrow the page cache (64 MiB, a few
/// hundred thousand rows) every insert re-reads and re-encrypts pages. Smaller
/// tables keep their file's order.
const IN_KEY_ORDER_ABOVE: usize = 100_000;

/// Inserts every row of `parsed` under `dataset_id`, checking `cancel` as it goes.
pub fn insert(
    tx: &Transaction<'_>,
    dataset_id: &str,
    parsed: &ParsedTable,
    progress: &dyn Progress,
    cancel: &CancelToken,
    done: &mut u64,
    total: u64,
) -> Result<()> {
    let mut stmt = tx.prepare_cached(&insert_sql(parsed.table)).map_err(failed("prepare the import"))?;
    let written = failed("write the imported rows");
    stmt.raw_bind_parameter(1, dataset_id).map_err(written)?;
    let rows = &parsed.rows;
    let order: Box<dyn Iterator<Item = usize>> = if rows.len() > IN_KEY_ORDER_ABOVE {
        Box::new(rows.order_by(&parsed.key_columns()).into_iter().map(|i| i as usize))
    } else {
        Box::new(0..rows.len())
    };
    for i in order {
        // bound in place, without copying the row's text (a million rows make a bundle)
        for (c, cell) in rows.cells(i).enumerate() {
            stmt.raw_bind_parameter(c + 2, cell).map_err(written)?;
        }
        stmt.raw_execute().map_err(written)?;
        *done += 1;
        if (*done).is_multiple_of(2048) {
            cancel.check()?;
            progress.report(ProgressReport {
                stage: "writing rows".into(),
                done: *done,
                total: Some(total),
                unit: "rows",
            });
        }
    }
    Ok(())
}

fn insert_sql(table: &Table) -> String {
    let columns: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
    format!(
        "INSERT INTO {} (dataset_id, {}) VALUES (?1, {})",
        table.name,
        columns.join(", "),
        (2..=columns.len() + 1).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ")
    )
}

fn bound<'a>(dataset_id: &'a &str, values: &'a [Value]) -> impl Iterator<Item = &'a dyn rusqlite::ToSql> {
    std::iter::once(dataset_id as &dyn rusqlite::ToSql).chain(values.iter().map(|v| v as &dyn rusqlite::ToSql))
}

/// Writes one row under `dataset_id`, replacing the dataset's row with the same key.
pub fn put(tx: &Transaction<'_>, dataset_id: &str, table: &'static Table, values: &[Value]) -> Result<()> {
    remove(tx, dataset_id, table, &key_of(table, values))?;
    tx.execute(&insert_sql(table), rusqlite::params_from_iter(bound(&dataset_id, values)))
        .map_err(failed("write the row"))?;
    Ok(())
}

/// Removes the dataset's row with `key` (the table's key columns as text); true if there was one.
pub fn remove(tx: &Transaction<'_>, dataset_id: &str, table: &'static Table, key: &[String]) -> Result<bool> {
    // Keys compare as text, the way `key_of` writes them, so numbers and months match too.
    let stored = read(tx, table, Some(dataset_id))?;
    let Some(found) = stored.iter().position(|r| key_of(table, &r.values) == key) else { return Ok(false) };
    let conditions: Vec<String> = table.key.iter().enumerate().map(|(i, k)| format!("{k} IS ?{}", i + 2)).collect();
    let mut params: Vec<&dyn rusqlite::ToSql> = vec![&dataset_id];
    for k in table.key {
        let i = table.column(k).ok_or_else(|| Error::internal(format!("{}: no key column {k}", table.name)))?;
        params.push(&stored[found].values[i]);
    }
    tx.execute(
        &format!("DELETE FROM {} WHERE dataset_id = ?1 AND {}", table.name, conditions.join(" AND ")),
        rusqlite::params_from_iter(params),
    )
    .map_err(failed("remove the row"))?;
    Ok(true)
}

/// Every stored row of `table` (of one dataset, or all), oldest import first.
pub fn read(conn: &Connection, table: &'static Table, dataset: Option<&str>) -> Result<Vec<StoredRow>> {
    let columns: Vec<String> = table.columns.iter().map(|c| format!("t.{}", c.name)).collect();
    let sql = format!(
        "SELECT t.dataset_id, d.imported, {} FROM {} t JOIN datasets d ON d.id = t.dataset_id \
         WHERE ?1 IS NULL OR t.dataset_id = ?1 ORDER BY d.imported, t.rowid",
        columns.join(", "),
        table.name
    );
    let mut stmt = conn.prepare(&sql).map_err(failed("read the stored rows"))?;
    let mut rows = stmt.query([dataset]).map_err(failed("read the stored rows"))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next().map_err(failed("read the stored rows"))? {
        let mut values = Vec::with_capacity(table.columns.len());
        for c in 0..table.columns.len() {
            values.push(from_sql(table, c, r.get_ref(c + 2).map_err(failed("read the stored rows"))?)?);
        }
        out.push(StoredRow {
            dataset_id: r.get(0).map_err(failed("read the stored rows"))?,
            imported: r.get(1).map_err(failed("read the stored rows"))?,
            values,
        });
    }
    Ok(out)
}

/// The key of a row's values, as text (the table's key columns, in order).
pub fn key_of(table: &Table, values: &[Value]) -> Vec<String> {
    table.key.iter().filter_map(|k| table.column(k)).map(|i| values[i].to_cell()).collect()
}

/// A parsed bundle row and a stored row hold the same values.
pub fn same_values(a: &Row, b: &StoredRow) -> bool {
    a.values.len() == b.values.len()
        && a.values.iter().zip(&b.values).all(|(x, y)| match (x.as_f64(), y.as_f64()) {
            (Some(p), Some(q)) => (p - q).abs() <= 1e-12 * p.abs().max(q.abs()).max(1.0),
            _ => x == y,
        })
}
