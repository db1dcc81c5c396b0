//! `packplan chart list` and `packplan chart export`: the chart catalogue on the
//! command line, drawn by the same code as the app's Export button.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use packplan_core::chart::kind::{ChartKind, Needs};
use packplan_core::chart::{Format, ImageSize};
use packplan_core::location::VaultLocation;
use packplan_core::progress::CancelToken;
use packplan_core::report::chart_file::{chart_file, ChartRequest};
use packplan_core::write_file::{write_file, Existing};
use packplan_core::{Error, ErrorKind, Result};

use super::model::{from_vault, SourceArgs};
use super::output::Output;

#[derive(Debug, Subcommand)]
pub enum ChartCommand {
    /// The charts Packplan draws
    List,
    /// Draw a chart of a scenario to PNG, SVG, PDF or CSV, marked and with its provenance
    Export(Box<ExportArgs>),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The chart (see `packplan chart list`)
    kind: String,
    #[command(flatten)]
    source: SourceArgs,
    /// png, svg, pdf or csv (one picture: the PNG and the PDF are drawn from the SVG)
    #[arg(long)]
    format: String,
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// The picture's width in layout pixels
    #[arg(long, default_value_t = 1600)]
    width: u32,
    /// The picture's height in layout pixels
    #[arg(long, default_value_t = 900)]
    height: u32,
    /// Device pixels per layout pixel in the PNG (2 gives 3200x1800 of the same picture)
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
        ChartCommand::List => out.value(&ChartKind::entries(), |kinds| {
            kinds.iter().map(|k| format!("{:<16}{}", k.id, k.title)).collect::<Vec<_>>().join("\n")
        }),
        ChartCommand::Export(args) => {
            let kind: ChartKind = args.kind.parse()?;
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
            let other = match (&args.compare_with, kind.needs()) {
                (Some(name), _) => Some(from_vault(name, &args.source.horizon, &args.source.unlock, location)?),
                (None, Needs::Comparison) => {
                    return Err(Error::invalid("the compare chart needs --compare-with SCENARIO"))
                }
                _ => None,
            };
            let request = ChartRequest {
                kind,
                format,
                size: Some(size),
                trials: args.trials,
                seed: args.seed,
                product: args.product.clone(),
            };
            let bytes = chart_file(&input, other.as_ref(), &request, &super::model::edition(), &CancelToken::new())?;
            write_file(&args.out, &bytes, Existing::Refuse)?;
            out.value(&serde_json::json!({ "kind": kind, "out": args.out, "bytes": bytes.len() }), |_| {
                format!("wrote {} ({} bytes)", args.out.display(), bytes.len())
            })
        }
    }
}
