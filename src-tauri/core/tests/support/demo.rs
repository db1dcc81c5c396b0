//! The demo data as the model tests read it: assembled from `assets/demo` for a
//! window, and planned at base values.
#![allow(dead_code)] // each test file uses the helpers it needs

use packplan_core::bundle::producer::rows_from_folder;
use packplan_core::horizon::Horizon;
use packplan_core::model::assemble::assemble;
use packplan_core::model::input::ModelInput;
use packplan_core::model::run::{run, RunOptions, RunResult};
use packplan_core::model::scenario::Scenario;
use packplan_core::month::Month;
use packplan_core::progress::{CancelToken, NoProgress};

/// The demo's Baseline, planned from `today` with the window `[start, start + months)`.
pub fn demo_input(today: &str, start: &str, months: u32) -> ModelInput {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo");
    let tables = rows_from_folder(&folder, "demo").unwrap();
    let horizon = Horizon { today: month(today), start: month(start), months };
    assemble(&tables, vec![], &Scenario::baseline(), &horizon).unwrap()
}

/// The deterministic run of `input`, with every default option.
pub fn planned(input: &ModelInput) -> RunResult {
    run(input, &RunOptions::default(), &NoProgress, &CancelToken::new()).unwrap()
}

pub fn month(m: &str) -> Month {
    m.parse().unwrap()
}

/// The passphrase of the vaults [`vault_with_demo`] makes.
pub const PASSPHRASE: &str = "demo test passphrase";

/// A new vault (in a temporary folder, dropped with it) with the demo loaded.
pub fn vault_with_demo() -> (tempfile::TempDir, packplan_core::vault::Vault) {
    use packplan_core::location::VaultLocation;
    use packplan_core::vault::{Passphrase, Vault};
    let dir = tempfile::tempdir().unwrap();
    let location = VaultLocation::resolve(Some(dir.path())).unwrap();
    let (mut vault, _) = Vault::init(&location, &Passphrase::new(PASSPHRASE.into()), "test").unwrap();
    packplan_core::demo::load(&mut vault, "test", &NoProgress, &CancelToken::new()).unwrap();
    (dir, vault)
}
