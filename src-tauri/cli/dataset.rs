//! `packplan dataset list|import|remove` and `packplan data list TABLE`: what the
//! vault holds, where each figure came from, the user's own workbook or CSV files
//! brought in, and undoing an import.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use packplan_core::bundle::csv_files;
use packplan_core::bundle::spreadsheet::{Conventions, DateOrder};
use packplan_core::bundle::Limits;
use packplan_core::dataset;
use packplan_core::dataset::import;
use packplan_core::dataset::own_files::{self, OwnFiles};
use packplan_core::location::VaultLocation;
use packplan_core::progress::{CancelToken, NoProgress};
use packplan_core::vault;
use packplan_core::Error;
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
    /// Import your own workbook (.xlsx, .xlsm, .xls, .ods) or folder of CSV files as a dataset:
    /// preview what changes, then apply (or --dry-run); audited
    Import(ImportArgs),
    /// Remove a dataset and every row it brought (undo an import); audited
    Remove {
        /// The dataset's id (its bundle id), as `dataset list` shows it
        id: String,
        #[command(flatten)]
        unlock: UnlockArgs,
    },
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The workbook, or the folder of CSV files named after the tables (orders.csv, ...)
    path: PathBuf,
    /// The classification of the data (it marks every chart and export made from it)
    #[arg(long, value_name = "LABEL")]
    classification: String,
    /// How to read dates like 1/6/2026; without it such a date is refused as ambiguous
    #[arg(long, value_enum, value_name = "ORDER")]
    dates: Option<Dates>,
    /// Commas are decimal separators (semicolon-separated CSV turns this on by itself)
    #[arg(long)]
    decimal_comma: bool,
    /// Show the preview and change nothing
    #[arg(long)]
    dry_run: bool,
    #[command(flatten)]
    unlock: UnlockArgs,
}

/// The order of day and month in dates like 1/6/2026.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Dates {
    /// 1/6/2026 is 1 June 2026
    DayMonth,
    /// 1/6/2026 is January 6, 2026
    MonthDay,
}

impl From<Dates> for DateOrder {
    fn from(dates: Dates) -> Self {
        match dates {
            Dates::DayMonth => DateOrder::DayMonth,
            Dates::MonthDay => DateOrder::MonthDay,
        }
    }
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
                            (None, None) if d.origin == "files" => {
                                format!("from your file, SHA-256 {}", d.sha256.as_deref().unwrap_or("?"))
                            }
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
        DatasetCommand::Import(args) => import_own(args, location, out),
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

fn import_own(args: ImportArgs, location: &VaultLocation, out: &Output) -> Result<()> {
    let name = args.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let conventions = Conventions { date_order: args.dates.map(DateOrder::from), decimal_comma: args.decimal_comma };
    let own = OwnFiles { name: &name, classification: &args.classification, conventions };
    let limits = Limits::default();
    let files = if args.path.is_dir() { Some(csv_files::files_of_folder(&args.path, &limits)?) } else { None };
    let workbook = match files {
        Some(_) => None,
        None => Some(packplan_core::bundle::limits::read_expected(
            &args.path,
            packplan_core::bundle::workbook::MAX_FILE_BYTES,
            &packplan_core::bundle::limits::WORKBOOK_FILE,
        )?),
    };
    let mut vault = args.unlock.open(location)?;
    let opened = match (files, workbook) {
        (Some(files), _) => own_files::open_csv_files(&vault, &own, files)?,
        (None, Some(bytes)) => own_files::open_workbook(&vault, &own, bytes)?,
        (None, None) => return Err(Error::internal("neither a folder nor a file")),
    };
    let staged = import::stage_opened(&vault, opened, &NoProgress, &CancelToken::new())?;
    let text = super::bundle::preview_text(&staged.preview);
    if args.dry_run {
        vault.lock()?;
        return out.value(&staged.preview, |_| format!("{text}\n(dry run: nothing was changed)"));
    }
    if !staged.preview.problems.is_empty() {
        out.value(&staged.preview, |_| text.clone())?;
        let n = staged.preview.problems.len();
        vault.lock()?;
        return Err(Error::invalid(format!(
            "{n} problem{} in {name} (listed above); nothing was imported. Correct the cells named, then import it again",
            if n == 1 { "" } else { "s" }
        )));
    }
    let receipt = import::apply(&mut vault, staged, &vault::actor("cli"), &NoProgress, &CancelToken::new())?;
    vault.lock()?;
    out.value(&receipt, |r| {
        format!(
            "{text}\nimported as dataset {} ({} rows){}",
            r.dataset.id,
            r.dataset.rows.values().sum::<u64>(),
            r.replaced.as_ref().map(|old| format!(", replacing dataset {old}")).unwrap_or_default()
        )
    })
}
