//! A logical digest of the vault: SHA-256 over every row of every table, in a
//! stable order, independent of page layout. Two vaults with the same digest hold
//! the same data; tests use it to prove that a refused import, a cancelled one or
//! a killed process changed nothing.

use rusqlite::types::ValueRef;
use rusqlite::Connection;
use sha2::{Digest, Sha256};

use super::database::failed;
use crate::Result;

pub fn logical_digest(conn: &Connection) -> Result<String> {
    let fail = failed("compute the vault's digest");
    let mut tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .map_err(fail)?
        .query_map([], |r| r.get(0))
        .map_err(fail)?
        .collect::<rusqlite::Result<_>>()
        .map_err(fail)?;
    tables.sort();
    let mut h = Sha256::new();
    for table in tables {
        h.update(table.as_bytes());
        h.update([0]);
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).map_err(fail)?;
        let width = stmt.column_count();
        let mut rows: Vec<Vec<u8>> = Vec::new();
        let mut q = stmt.query([]).map_err(fail)?;
        while let Some(r) = q.next().map_err(fail)? {
            let mut bytes = Vec::new();
            for i in 0..width {
                match r.get_ref(i).map_err(fail)? {
                    ValueRef::Null => bytes.push(b'N'),
                    ValueRef::Integer(v) => bytes.extend(format!("I{v}").as_bytes()),
                    ValueRef::Real(v) => bytes.extend(format!("R{v:e}").as_bytes()),
                    ValueRef::Text(t) => {
                        bytes.push(b'T');
                        bytes.extend(t);
                    }
                    ValueRef::Blob(b) => {
                        bytes.push(b'B');
                        bytes.extend(b);
                    }
                }
                bytes.push(0x1f);
            }
            rows.push(bytes);
        }
        rows.sort();
        for row in rows {
            h.update(&row);
            h.update([0x1e]);
        }
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}
