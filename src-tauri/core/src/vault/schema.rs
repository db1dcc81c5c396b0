//! The vault's schema and its migrations (rusqlite_migration, tracked in
//! SQLite's `user_version`). Each migration is a frozen SQL file under
//! `migrations/`; a schema change is a new file, never an edit.

use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

use crate::{Error, ErrorKind, Result};

/// The schema version this build writes.
pub const SCHEMA_VERSION: usize = 6;

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("migrations/001_schema.sql")),
        M::up(include_str!("migrations/002_product_availability.sql")),
        M::up(include_str!("migrations/003_verifiable_trust.sql")),
        M::up(include_str!("migrations/004_plan_from_today.sql")),
        M::up(include_str!("migrations/005_kept_files_packed.sql")),
        M::up(include_str!("migrations/006_confidence_compared.sql")),
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

    #[test]
    fn allocations_written_before_v4_keep_their_shares_and_may_now_be_volumes() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrations().to_version(&mut conn, 3).unwrap();
        conn.execute_batch(
            "INSERT INTO datasets (id, origin, title, classification, created, imported)
                 VALUES ('d1', 'local', 'mine', 'INTERNAL', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             INSERT INTO allocations VALUES ('d1', 'cowos', 'AWS', '2026-01', NULL, 0.03, 0.04, 0.05, 'MS', '2026-05-31');",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let kept: (f64, Option<f64>) = conn
            .query_row("SELECT share_base, per_month_base FROM allocations WHERE customer = 'AWS'", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(kept, (0.04, None));
        conn.execute(
            "INSERT INTO allocations (dataset_id, technology_id, customer, from_month, source, as_of,
                                      per_month_low, per_month_base, per_month_high)
                 VALUES ('d1', 'cowos', 'AMD', '2025-01', 'MS', '2025-06-30', 4000, 5000, 6000)",
            [],
        )
        .unwrap();
        // the rebuilt table still goes with its dataset
        conn.execute_batch("PRAGMA foreign_keys = ON; DELETE FROM datasets WHERE id = 'd1';").unwrap();
        let left: i64 = conn.query_row("SELECT count(*) FROM allocations", [], |r| r.get(0)).unwrap();
        assert_eq!(left, 0);
    }

    #[test]
    fn capacity_observations_written_before_v6_keep_their_order_and_their_confidence_rule() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrations().to_version(&mut conn, 5).unwrap();
        conn.execute_batch(
            "INSERT INTO datasets (id, origin, title, classification, created, imported)
                 VALUES ('d1', 'local', 'mine', 'INTERNAL', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             INSERT INTO capacity_observations VALUES
                 ('d1', 'ap6', 'cowos-l', '2026-12', 60, 68, 75, 'wafers/month', 'z', '2026-06-30', 'B', NULL, 'MS'),
                 ('d1', 'ap6', 'cowos-l', '2026-11', 50, 60, 70, 'wafers/month', 'a', '2026-06-30', 'C', 'n', NULL);",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let in_order: Vec<(String, String, Option<String>)> = conn
            .prepare("SELECT source, confidence, publisher FROM capacity_observations ORDER BY rowid")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(in_order, [("z".into(), "B".into(), Some("MS".into())), ("a".into(), "C".into(), None)]);
        let write = |confidence: &str| {
            conn.execute(
                "INSERT INTO capacity_observations VALUES
                     ('d1', 'ap6', 'cowos-s', '2026-12', 1, 2, 3, 'wafers/month', ?1, '2026-06-30', ?1, NULL, NULL)",
                [confidence],
            )
        };
        assert!(write("D").is_err() && write("a").is_err() && write("").is_err(), "only A, B or C");
        assert!(write("A").is_ok());
        conn.execute_batch("PRAGMA foreign_keys = ON; DELETE FROM datasets WHERE id = 'd1';").unwrap();
        let left: i64 = conn.query_row("SELECT count(*) FROM capacity_observations", [], |r| r.get(0)).unwrap();
        assert_eq!(left, 0, "the rebuilt table still goes with its dataset");
    }
}
