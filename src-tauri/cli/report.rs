//! `packplan report`: the briefing pack of a scenario (and a second one beside it)
//! as one marked PDF: the answer first, the charts, the bottleneck timeline in
//! words, the concentration findings and every assumption with its source.

use std::path::PathBuf;

use clap::Args;
use packplan_core::dataset::model_input;
use packplan_core::location::VaultLocation;
use packplan_core::progress::CancelToken;
use packplan_core::report::briefing::{briefing, BriefingOptions};
use packplan_core::report::briefing_pages::pdf;
use packplan_core::write_file::{write_file, Existing};
use packplan_core::{Error, ErrorKind, Result};

use super::model::{clock_month, edition, HorizonArgs};
use super::output::Output;
use super::vault::UnlockArgs;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The scenario to brief on
    #[arg(long, default_value = "Baseline")]
    scenario: String,
    /// A second scenario, set beside it
    #[arg(long, value_name = "SCENARIO")]
    compare_with: Option<String>,
    /// Where to write the PDF (refused if it exists)
    #[arg(long, value_name = "FILE.pdf")]
    out: PathBuf,
    /// Monte Carlo trials behind the answer
    #[arg(long, default_value_t = 2000)]
    trials: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[command(flatten)]
    horizon: HorizonArgs,
    #[command(flatten)]
    unlock: UnlockArgs,
}

pub fn run(args: ReportArgs, location: &VaultLocation, out: &Output, json: bool) -> Result<()> {
    if args.out.exists() {
        return Err(Error::new(
            ErrorKind::AlreadyExists,
            format!("{} already exists; choose another --out or remove it first", args.out.display()),
        ));
    }
    if !(1..=100_000).contains(&args.trials) {
        return Err(Error::invalid(format!("{} trials is out of range; choose 1 to 100000 --trials", args.trials)));
    }
    let vault = args.unlock.open(location)?;
    let window = args.horizon.request();
    let read = vault.read(|c| {
        let input = model_input::named_input(c, &args.scenario, &window, clock_month())?;
        let other =
            args.compare_with.as_deref().map(|s| model_input::named_input(c, s, &window, clock_month())).transpose()?;
        Ok((input, other, model_input::table_rows(c)?))
    });
    vault.lock()?;
    let (input, other, tables) = read?;
    let progress = super::progress::for_output(json);
    let options = BriefingOptions { trials: args.trials, seed: args.seed };
    let pack = briefing(&input, other.as_ref(), &tables, options, &edition(), progress.as_ref(), &CancelToken::new())?;
    let bytes = pdf(&pack)?;
    write_file(&args.out, &bytes, Existing::Refuse)?;
    let summary = serde_json::json!({
        "out": args.out,
        "bytes": bytes.len(),
        "marking": pack.marking.banner_text(),
        "answers": pack.answers,
    });
    out.value(&summary, |_| {
        format!("wrote the briefing pack, marked {}, to {}", pack.marking.banner_text(), args.out.display())
    })
}
