//! The command line: the same binary as the desktop app.
//!
//! `packplan` alone opens the window; `packplan SUBCOMMAND` runs one task and
//! exits. Every subcommand accepts `--vault DIR` (or `PACKPLAN_VAULT`) and
//! `--json`. A failure is one sentence on stderr and a non-zero exit status;
//! with `--json` the same error also goes to stdout as `{"error": {kind, message}}`.

mod bundle;
mod chart;
mod dataset;
mod keys;
mod model;
mod output;
mod progress;
mod release;
mod report;
mod secrets;
mod vault;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use packplan_core::about::About;
use packplan_core::location::VaultLocation;
use packplan_core::Result;

use output::Output;

/// Packplan: air-gapped capacity planning for AI accelerators.
///
/// Run with no subcommand to open the desktop window.
#[derive(Debug, Parser)]
#[command(
    name = "packplan",
    version,
    about,
    long_about = None,
    propagate_version = true,
    after_help = "With no subcommand, Packplan opens its desktop window. docs/cli.md documents every command."
)]
pub struct Cli {
    /// The vault folder [default: the per-user app-data folder]
    #[arg(long, global = true, value_name = "DIR", env = "PACKPLAN_VAULT")]
    vault: Option<PathBuf>,

    /// Print machine-readable JSON on stdout
    #[arg(long, global = true)]
    json: bool,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show the version and where the vault is
    About,
    /// Make, check, import and export data bundles
    Bundle {
        #[command(subcommand)]
        command: bundle::BundleCommand,
    },
    /// Create, check and back up the encrypted vault
    Vault {
        #[command(subcommand)]
        command: vault::VaultCommand,
    },
    /// Read and verify the vault's audit log
    Audit {
        #[command(subcommand)]
        command: vault::AuditCommand,
    },
    /// The vault's own public keys
    Keys {
        #[command(subcommand)]
        command: keys::KeysCommand,
    },
    /// Producers whose signed bundles the vault accepts
    Issuers {
        #[command(subcommand)]
        command: keys::IssuersCommand,
    },
    /// Colleagues' age recipients, to export bundles to
    Contacts {
        #[command(subcommand)]
        command: keys::ContactsCommand,
    },
    /// The datasets in the vault (one per imported bundle)
    Dataset {
        #[command(subcommand)]
        command: dataset::DatasetCommand,
    },
    /// The rows the vault holds
    Data {
        #[command(subcommand)]
        command: dataset::DataCommand,
    },
    /// Load the public demo data (signed, encrypted, imported like any bundle)
    Demo {
        #[command(flatten)]
        unlock: vault::UnlockArgs,
    },
    /// Units per carrier: a package on a 300 mm wafer or a panel, with the placements
    Geometry(model::GeometryArgs),
    /// Charts of a scenario: list, export (PNG, SVG, PDF, CSV) with marking and provenance
    Chart {
        #[command(subcommand)]
        command: chart::ChartCommand,
    },
    /// The capacity model: run, input, lp, compare
    Model {
        #[command(subcommand)]
        command: model::ModelCommand,
    },
    /// The briefing pack: a scenario (and a second beside it) as one marked PDF
    Report(report::ReportArgs),
    /// Check a release folder before installing: the signature of SHA256SUMS and every file
    VerifyRelease(release::VerifyReleaseArgs),
}

/// Parses `args` and runs the command; returns the process exit status.
pub fn run(args: impl IntoIterator<Item = impl Into<OsString> + Clone>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        // clap prints help, version and usage errors itself, with its own exit codes.
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    let out = Output::new(cli.json);
    match dispatch(cli, &out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            out.error(&e);
            ExitCode::FAILURE
        }
    }
}

fn dispatch(cli: Cli, out: &Output) -> Result<()> {
    let location = VaultLocation::resolve(cli.vault.as_deref())?;
    let json = cli.json;
    match cli.command {
        None => crate::desktop::run(location),
        Some(Command::Bundle { command }) => bundle::run_with_vault(command, &location, out),
        Some(Command::Keys { command }) => keys::run_keys(command, &location, out),
        Some(Command::Issuers { command }) => keys::run_issuers(command, &location, out),
        Some(Command::Contacts { command }) => keys::run_contacts(command, &location, out),
        Some(Command::Dataset { command }) => dataset::run(command, &location, out),
        Some(Command::Data { command }) => dataset::run_data(command, &location, out),
        Some(Command::Geometry(args)) => model::geometry(args, out),
        Some(Command::VerifyRelease(args)) => release::verify(args, out),
        Some(Command::Chart { command }) => chart::run_chart(command, &location, out),
        Some(Command::Demo { unlock }) => {
            let mut vault = unlock.open(&location)?;
            let receipt = packplan_core::demo::load(
                &mut vault,
                &packplan_core::vault::actor("cli"),
                &packplan_core::progress::NoProgress,
                &packplan_core::progress::CancelToken::new(),
            );
            vault.lock()?;
            let receipt = receipt?;
            out.value(&receipt, |r| {
                format!(
                    "loaded the demo data: {} rows from public estimates, marked {:?}. Try `packplan model run --scenario \"CoPoS accelerated\"`",
                    r.dataset.rows.values().sum::<u64>(),
                    r.dataset.classification
                )
            })
        }
        Some(Command::Model { command }) => model::run_model(command, &location, out, json),
        Some(Command::Report(args)) => report::run(args, &location, out, json),
        Some(Command::Vault { command }) => vault::run(command, &location, out),
        Some(Command::Audit { command }) => vault::run_audit(command, &location, out),
        Some(Command::About) => {
            let about = About::new(&location);
            out.value(&about, |a| {
                format!(
                    "{} {}\nvault: {}{}",
                    a.name,
                    a.version,
                    a.vault_dir,
                    if a.vault_portable { " (portable)" } else { "" }
                )
            })
        }
    }
}
