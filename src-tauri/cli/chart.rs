//! `packplan chart list` and `packplan chart export`: the chart catalogue on the
//! command line, drawn by the same code as the app's Export button.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use packplan_core::chart::catalogue::{self, Context, Needs, KINDS};
use packplan_core::chart::{export, Format, ImageSize};
use packplan_core::clock::Timestamp;
use packplan_core::location::VaultLocation;
use packplan_core::model::run::{run, RunOptions};
use packplan_core::progress::{CancelToken, NoProgress};
use packplan_core::{Error, ErrorKind, Result};

use super::model::{from_vault, SourceArgs};
use super::output::Output;

#[derive(Debug, Subcommand)]
pub enum ChartCommand {
    /// The charts Packplan draws
    List,
    /// Draw a chart of a scenario to PNG, SVG or CSV, marked and with its provenance
    Export(Box<ExportArgs>),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The chart (see `packplan chart list`)
    kind: String,
    #[command(flatten)]
    source: SourceArgs,
    /// png, svg or csv
    #[arg(long)]
    format: String,
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    #[arg(long, default_value_t = 1600)]
    width: u32,
    #[arg(long, default_value_t = 900)]
    height: u32,
    #[arg(long, default_value_t = 1.0)]
    scale: f64,
    /// The product shown (default: the first order's product)
    #[arg(long)]
    product: Option<String>,
    /// The scenario to compare with (chart `compare`)
    #[arg(long, value_name = "SCENARIO")]
    compare_with: Option<String>,
    /// Monte Carlo trials for the charts that need them
    #[arg(long, default_value_t = 2000)]
    trials: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub fn run_chart(command: ChartCommand, location: &VaultLocation, out: &Output) -> Result<()> {
    match command {
        ChartCommand::List => out.value(&KINDS, |kinds| {
            kinds.iter().map(|k| format!("{:<16}{}", k.id, k.title)).collect::<Vec<_>>().join("\n")
        }),
        ChartCommand::Export(args) => {
            let kind = catalogue::kind(&args.kind)?;
            let format: Format = args.format.parse()?;
            let size = ImageSize { width: args.width, height: args.height, scale: args.scale };
            if format != Format::Csv {
                size.validate()?;
            }
            if args.out.exists() {
                return Err(Error::new(
                    ErrorKind::AlreadyExists,
                    format!("{} already exists; choose another --out or remove it first", args.out.display()),
                ));
            }
            let input = args.source.load(location)?;
            let options = RunOptions {
                trials: if kind.needs == Needs::MonteCarlo { args.trials } else { 0 },
                seed: args.seed,
                sensitivity: kind.needs == Needs::Sensitivity,
                ..Default::default()
            };
            let cancel = CancelToken::new();
            let result = run(&input, &options, &NoProgress, &cancel)?;
            let other = match (&args.compare_with, kind.needs) {
                (Some(name), _) => {
                    let other_input = from_vault(name, &args.source.horizon, &args.source.unlock, location)?;
                    Some(run(&other_input, &RunOptions::default(), &NoProgress, &cancel)?)
                }
                (None, Needs::Comparison) => {
                    return Err(Error::invalid("the compare chart needs --compare-with SCENARIO"));
                }
                _ => None,
            };
            let ctx = Context {
                input: &input,
                run: &result,
                other: other.as_ref(),
                product: args.product.clone(),
                classification_setting: None,
                generated: Timestamp::now().date(),
                app_version: env!("CARGO_PKG_VERSION").into(),
            };
            let spec = catalogue::build(kind.id, &ctx)?;
            let bytes = export(&spec, format, size)?;
            std::fs::write(&args.out, &bytes).map_err(|e| Error::io("write the chart", &args.out, e))?;
            out.value(
                &serde_json::json!({ "kind": kind.id, "out": args.out, "bytes": bytes.len(), "marking": spec.marking.banner_text() }),
                |_| format!("wrote {} ({} bytes), marked {}", args.out.display(), bytes.len(), spec.marking.banner_text()),
            )
        }
    }
}
