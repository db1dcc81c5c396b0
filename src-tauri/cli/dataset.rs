//! `packplan dataset list|remove` and `packplan data list TABLE`: what the vault
//! holds, where each figure came from, and undoing an import.

use clap::Subcommand;
use packplan_core::dataset;
use packplan_core::location::VaultLocation;
use packplan_core::vault;
use packplan_core::Result;

use super::output::Output;
use super::vault::UnlockArgs;

#[derive(Debug, Subcommand)]
pub enum DatasetCommand {
    /// Every dataset with its provenance (issuer, signer, classification, times) and rows
    List {
        #[command(flatten)]
        unlock: UnlockArgs,
    },
    /// Remove a dataset and every row it brought (undo an import); audited
    Remove {
        /// The dataset's id (its bundle id), as `dataset list` shows it
        id: String,
        #[command(flatten)]
        unlock: UnlockArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum DataCommand {
    /// The rows of a table in effect (after the overlap rule), as JSON objects with their dataset
    List {
        /// suppliers, facilities, technologies, capacity_observations, products, product_routes,
        /// allocations, qualifications, demand, actuals, tco_assumptions, cloud_prices or orders
        table: String,
        #[command(flatten)]
        unlock: UnlockArgs,
    },
}

pub fn run(command: DatasetCommand, location: &VaultLocation, out: &Output) -> Result<()> {
    match command {
        DatasetCommand::List { unlock } => {
            let vault = unlock.open(location)?;
            let list = vault.read(dataset::list)?;
            vault.lock()?;
            out.value(&list, |list| {
                list.iter()
                    .map(|d| {
                        let rows: u64 = d.rows.values().sum();
                        let who = match (&d.issuer, &d.signer_key_id) {
                            (Some(i), _) => format!("signed by {i}"),
                            (None, Some(k)) => format!("signed by unknown key {k}"),
                            (None, None) if d.origin == "local" => "entered here".into(),
                            (None, None) => "unsigned".into(),
                        };
                        format!(
                            "{}  {:?} [{}]  {who}, imported {}, {rows} rows",
                            d.id, d.title, d.classification, d.imported
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        DatasetCommand::Remove { id, unlock } => {
            let mut vault = unlock.open(location)?;
            let removed = dataset::remove_audited(&mut vault, &id, &vault::actor("cli"))?;
            vault.lock()?;
            out.value(&removed, |d| {
                format!("removed the dataset {:?} and its {} rows", d.title, d.rows.values().sum::<u64>())
            })
        }
    }
}

pub fn run_data(command: DataCommand, location: &VaultLocation, out: &Output) -> Result<()> {
    let DataCommand::List { table, unlock } = command;
    let vault = unlock.open(location)?;
    let rows = vault.read(|c| dataset::data_list(c, &table))?;
    vault.lock()?;
    // Rows are data: JSON either way (one object per line as text).
    out.value(&rows, |rows| {
        rows.iter().map(|r| serde_json::Value::Object(r.clone()).to_string()).collect::<Vec<_>>().join("\n")
    })
}
