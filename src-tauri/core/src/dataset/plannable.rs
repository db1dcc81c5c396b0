//! The one write path for changes to the data (a row added, a value edited, a
//! bundle imported): the change is refused when the vault's data could be planned
//! before it and cannot be after it, so an edit in place and an import are held to
//! the model's checks across rows (a supply line's terms, GB per HBM stack, a
//! capacity figure in another unit than its technology's, a qualification without
//! an allocation) exactly as an added row is. Data that could not be planned before is not held
//! to them, so a vault that is already inconsistent can still be mended cell by cell.

use rusqlite::{Connection, Transaction};

use crate::clock::Timestamp;
use crate::vault::{Change, Vault};
use crate::{Error, Result};

/// Runs `change` with `apply` in one audited transaction; when the data could be
/// planned before and cannot be after, rolls it back and says so: `refused` gets
/// the model's reason and makes the message (what was not done, and what to do).
pub(super) fn write(
    vault: &mut Vault,
    change: Change,
    refused: impl FnOnce(&Error) -> String,
    apply: impl FnOnce(&Transaction<'_>) -> Result<()>,
) -> Result<()> {
    let before = vault.read(|conn| Ok(plannable(conn).is_ok()))?;
    vault.write(change, |tx| {
        apply(tx)?;
        // data that could not be planned before is not held to the checks: none to run
        match before.then(|| plannable(tx)) {
            Some(Err(e)) => Err(Error::invalid(refused(&e))),
            _ => Ok(()),
        }
    })
}

/// Whether the vault's data makes a valid model input (the Baseline, planned today).
fn plannable(conn: &Connection) -> Result<()> {
    let today = Timestamp::now().month();
    let request = crate::horizon::WindowRequest::default();
    super::model_input::named_input(conn, "Baseline", &request, today)?.validate()
}
