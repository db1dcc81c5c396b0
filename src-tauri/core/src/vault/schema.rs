//! The vault's schema and its migrations (rusqlite_migration, tracked in
//! SQLite's `user_version`). Each migration is a frozen SQL file under
//! `migrations/`; a schema change is a new file, never an edit.

use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

use crate::{Error, ErrorKind, Result};

/// The schema version this build writes.
pub const SCHEMA_VERSION: usize = 4;

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("migrations/001_schema.sql")),
        M::up(include_str!("migrations/002_product_availability.sql")),
        M::up(include_str!("migrations/003_verifiable_trust.sql")),
        M::up(include_str!("migrations/004_plan_from_today.sql")),
    ])
}

/// Brings the database to [`SCHEMA_VERSION`] in one transaction, or refuses a
/// vault written by a newer Packplan.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    migrations().to_latest(conn).map_err(|e| match e {
        rusqlite_migration::Error::MigrationDefinition(
            rusqlite_migration::MigrationDefinitionError::DatabaseTooFarAhead,
        ) => Error::new(
            ErrorKind::Invalid,
            "this vault was written by a newer version of Packplan; install that version (or newer) to open it",
        ),
        other => Error::new(ErrorKind::Damaged, format!("could not bring the vault's schema up to date: {other}")),
    })
}

/// The schema version stored in the database.
pub fn stored_version(conn: &Connection) -> Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| Error::internal(format!("could not read the schema version: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        migrations().validate().unwrap();
    }
}
