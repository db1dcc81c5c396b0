//! `packplan geometry` and `packplan model run|input|lp|compare`: the capacity
//! engine on the command line, on the vault's data or on a model input file.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use packplan_core::carrier::{parse_size, Carrier};
use packplan_core::clock::Timestamp;
use packplan_core::dataset::model_input;
use packplan_core::horizon::WindowRequest;
use packplan_core::location::VaultLocation;
use packplan_core::model::geometry::{fit, GeometryRules};
use packplan_core::model::input::ModelInput;
use packplan_core::model::network::Model;
use packplan_core::model::run::RunOptions;
use packplan_core::model::uncertain::Draw;
use packplan_core::month::Month;
use packplan_core::progress::CancelToken;
use packplan_core::report::overview::{self, Overview};
use packplan_core::report::Edition;
use packplan_core::write_file::{write_file, Existing};
use packplan_core::{Error, Result};

use super::output::Output;
use super::vault::UnlockArgs;

#[derive(Debug, Args)]
pub struct GeometryArgs {
    /// wafer300, panel:WxH (mm), or a preset: 310x310, 510x515, 600x600
    #[arg(long)]
    carrier: String,
    /// The package (interposer) size, WxH in mm
    #[arg(long, value_name = "WxH")]
    package: String,
    /// Edge exclusion in mm (default 3 on wafers, 5 on panels)
    #[arg(long)]
    edge: Option<f64>,
    /// Saw street in mm
    #[arg(long, default_value_t = 0.2)]
    street: f64,
}

pub fn geometry(args: GeometryArgs, out: &Output) -> Result<()> {
    let carrier = Carrier::parse(&args.carrier)?;
    let (w, h) = parse_size(&args.package)?;
    let edge = args.edge.unwrap_or_else(|| GeometryRules::default().edge_for(&carrier));
    let f = fit(&carrier, w, h, edge, args.street)?;
    out.value(&f, |f| {
        let mut text = format!(
            "{} packages of {w} x {h} mm on a {} ({edge} mm edge, {} mm street){}\narea used: {:.1}%",
            f.units,
            f.carrier.label(),
            f.street_mm,
            if f.rotated { ", turned 90 degrees" } else { "" },
            100.0 * f.area_used
        );
        if let Some(e) = f.formula_estimate {
            text.push_str(&format!(
                "\nclassic dies-per-wafer formula: {e:.1} (for comparison; it undercounts large packages)"
            ));
        }
        text
    })
}

#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// Solve a scenario (and with --trials, run the Monte Carlo)
    Run(RunArgs),
    /// Write the exact model input of a scenario, to reproduce a run without the vault
    Input {
        #[arg(long, default_value = "Baseline")]
        scenario: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[command(flatten)]
        horizon: HorizonArgs,
        #[command(flatten)]
        unlock: UnlockArgs,
    },
    /// Write a scenario's linear program as an MPS file, to check it in another solver
    Lp {
        #[command(flatten)]
        source: SourceArgs,
        #[arg(long, value_name = "FILE.mps")]
        out: PathBuf,
    },
    /// Write a scenario's plan and the data behind it as an Excel workbook, every sheet marked
    Workbook {
        #[arg(long, default_value = "Baseline")]
        scenario: String,
        /// Monte Carlo trials for the orders' odds (0: the deterministic plan only); the
        /// default and the seed's are the app's, so the odds equal its Overview's
        #[arg(long, default_value_t = packplan_core::report::uncertainty::ANSWER_TRIALS)]
        trials: usize,
        #[arg(long, default_value_t = packplan_core::report::uncertainty::ANSWER_SEED)]
        seed: u64,
        /// The workbook to write (.xlsx; an existing file is refused)
        #[arg(long, value_name = "FILE.xlsx")]
        out: PathBuf,
        #[command(flatten)]
        horizon: HorizonArgs,
        #[command(flatten)]
        unlock: UnlockArgs,
    },
    /// Compare two scenarios (names in the vault, or model input files): deltas and why
    Compare {
        a: String,
        b: String,
        #[command(flatten)]
        horizon: HorizonArgs,
        #[command(flatten)]
        unlock: UnlockArgs,
    },
}

#[derive(Debug, Args)]
pub struct SourceArgs {
    /// A scenario in the vault (default Baseline)
    #[arg(long, conflicts_with = "input")]
    scenario: Option<String>,
    /// A model input file (from `packplan model input`); no vault needed
    #[arg(long, value_name = "FILE")]
    input: Option<PathBuf>,
    #[command(flatten)]
    pub horizon: HorizonArgs,
    #[command(flatten)]
    pub unlock: UnlockArgs,
}

/// The plan window: the vault's settings (`vault settings --planning-date/--horizon-*`, or
/// Settings in the app), which these only override; "today" is the current month unless
/// a setting or `--today` fixes it.
#[derive(Debug, Args)]
pub struct HorizonArgs {
    /// The planning date: months before it are history [default: the vault's setting, else this month]
    #[arg(long, value_name = "YYYY-MM")]
    today: Option<Month>,
    /// First month computed and charted [default: the vault's setting, else 24 months before today]
    #[arg(long, value_name = "YYYY-MM")]
    start: Option<Month>,
    /// Months computed [default: the vault's setting, else 72]
    #[arg(long)]
    months: Option<u32>,
}

impl HorizonArgs {
    /// What the command line asks for.
    pub fn request(&self) -> WindowRequest {
        WindowRequest { today: self.today, start: self.start, months: self.months }
    }
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    source: SourceArgs,
    /// Monte Carlo trials (0: the deterministic solve only)
    #[arg(long, default_value_t = 0)]
    trials: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Latin hypercube sampling
    #[arg(long)]
    lhs: bool,
    /// Re-solve the linear program in every trial (exact, much slower)
    #[arg(long)]
    reoptimise: bool,
    /// Compute the tornado for the first order
    #[arg(long)]
    sensitivity: bool,
}

impl SourceArgs {
    pub fn load(&self, location: &VaultLocation) -> Result<ModelInput> {
        match &self.input {
            Some(file) => read_input(file),
            None => from_vault(self.scenario.as_deref().unwrap_or("Baseline"), &self.horizon, &self.unlock, location),
        }
    }
}

pub fn read_input(file: &Path) -> Result<ModelInput> {
    let text = std::fs::read_to_string(file).map_err(|e| Error::io("read the model input", file, e))?;
    ModelInput::from_json(&text)
}

pub fn from_vault(
    scenario: &str,
    horizon: &HorizonArgs,
    unlock: &UnlockArgs,
    location: &VaultLocation,
) -> Result<ModelInput> {
    let vault = unlock.open(location)?;
    let input = vault.read(|c| model_input::named_input(c, scenario, &horizon.request(), clock_month()));
    vault.lock()?;
    input
}

pub fn run_model(command: ModelCommand, location: &VaultLocation, out: &Output, json: bool) -> Result<()> {
    match command {
        ModelCommand::Run(args) => {
            let input = args.source.load(location)?;
            let options = RunOptions {
                trials: args.trials,
                seed: args.seed,
                latin_hypercube: args.lhs,
                reoptimise: args.reoptimise,
                sensitivity: args.sensitivity,
                measure_bottlenecks: true,
            };
            let progress = super::progress::for_output(json);
            let report = overview::overview(&input, &options, &edition(), progress.as_ref(), &CancelToken::new())?;
            out.value(&report, summary)
        }
        ModelCommand::Input { scenario, out: file, horizon, unlock } => {
            let input = from_vault(&scenario, &horizon, &unlock, location)?;
            write_file(&file, input.to_json().as_bytes(), Existing::Refuse)?;
            out.value(&serde_json::json!({ "scenario": input.scenario, "out": file, "sha256": packplan_core::model::run::input_hash(&input) }), |v| {
                format!("wrote the model input of {} to {} (sha256 {})", input.scenario, file.display(), v["sha256"].as_str().unwrap_or(""))
            })
        }
        ModelCommand::Workbook { scenario, trials, seed, out: file, horizon, unlock } => {
            let vault = unlock.open(location)?;
            let read = vault.read(|c| {
                Ok((
                    model_input::named_input(c, &scenario, &horizon.request(), clock_month())?,
                    model_input::table_rows(c)?,
                ))
            });
            vault.lock()?;
            let (input, tables) = read?;
            let options = RunOptions { trials, seed, measure_bottlenecks: true, ..RunOptions::default() };
            let progress = super::progress::for_output(json);
            let r = packplan_core::model::run::run(&input, &options, progress.as_ref(), &CancelToken::new())?;
            let bytes = packplan_core::report::workbook::plan_workbook(&input, &r, &tables, &edition())?;
            write_file(&file, &bytes, Existing::Refuse)?;
            out.value(&serde_json::json!({ "scenario": input.scenario, "out": file, "run": r.input_sha256 }), |_| {
                format!(
                    "wrote {} (scenario {}, {} trials): orders, units, costs, concentration and the data, every sheet marked",
                    file.display(),
                    input.scenario,
                    trials
                )
            })
        }
        ModelCommand::Lp { source, out: file } => {
            let input = source.load(location)?;
            let model = Model::new(&input)?;
            let network = model.build(&Draw::base())?;
            write_file(&file, network.program.to_mps().as_bytes(), Existing::Refuse)?;
            let (vars, rows) = (network.program.vars.len(), network.program.rows.len());
            out.value(&serde_json::json!({ "out": file, "variables": vars, "rows": rows }), |_| {
                format!(
                    "wrote {} ({vars} variables, {rows} rows). MPS minimises, so its optimum is minus Packplan's objective.",
                    file.display()
                )
            })
        }
        ModelCommand::Compare { a, b, horizon, unlock } => {
            let load = |name: &str| -> Result<ModelInput> {
                let path = Path::new(name);
                if path.extension().is_some_and(|e| e == "json") && path.exists() {
                    read_input(path)
                } else {
                    from_vault(name, &horizon, &unlock, location)
                }
            };
            let side = overview::side_by_side(&load(&a)?, &load(&b)?, &edition())?;
            out.value(&side, |side| {
                let c = &side.comparison;
                let mut lines = vec![format!("{} -> {}", c.a, c.b)];
                for o in &c.orders {
                    let show =
                        |m: Option<Month>| m.map(|m| m.to_string()).unwrap_or_else(|| "beyond the horizon".into());
                    lines.push(format!(
                        "order {}: complete {} -> {}{}",
                        o.order,
                        show(o.completion_a),
                        show(o.completion_b),
                        o.shift_months.map(|s| format!(" ({s:+} months)")).unwrap_or_default()
                    ));
                }
                for p in c.products.iter().filter(|p| p.delta.abs() >= 0.5) {
                    lines.push(format!("{}: {:+.0} units over the horizon", p.product, p.delta));
                }
                lines.push("why:".into());
                for k in &c.constraints {
                    if !k.newly_binding.is_empty() {
                        lines.push(format!(
                            "  {} now binds in {} months from {}",
                            k.resource,
                            k.newly_binding.len(),
                            k.newly_binding[0]
                        ));
                    }
                    if !k.no_longer_binding.is_empty() {
                        lines.push(format!(
                            "  {} no longer binds in {} months from {}",
                            k.resource,
                            k.no_longer_binding.len(),
                            k.no_longer_binding[0]
                        ));
                    }
                }
                lines.join("\n")
            })
        }
    }
}

/// The edition of a report made now: today's date (the one clock the reports see).
pub fn edition() -> Edition {
    Edition::on(Timestamp::now().date())
}

/// The current month: "today" when the vault's settings do not fix it.
pub fn clock_month() -> Month {
    Timestamp::now().month()
}

/// The overview as text: the same report `--json` prints and the app shows.
fn summary(r: &Overview) -> String {
    let mut lines = vec![format!(
        "scenario {}: planned from today {} to {} (history from {})",
        r.scenario, r.today, r.months[1], r.months[0]
    )];
    lines.push("units per year (deterministic):".into());
    if let Some(first) = r.units.first() {
        // a year the horizon holds only part of says how many of its months it sums
        let [from, to] = r.months;
        let months_of =
            |y: i32| (1..=12).filter_map(|m| Month::new(y, m).ok()).filter(|m| from <= *m && *m <= to).count();
        let years: String = first
            .units
            .iter()
            .map(|(y, _)| match months_of(*y) {
                12 => format!("{y:>14}"),
                n => format!("{:>14}", format!("{y} ({n} mo)")),
            })
            .collect();
        lines.push(format!("  {:<16}{years}", "product"));
    }
    for p in &r.units {
        let cells: String = p
            .units
            .iter()
            .map(
                |(y, u)| {
                    if p.recorded.contains(y) {
                        format!("{:>13}*", format!("{u:.0}"))
                    } else {
                        format!("{u:>14.0}")
                    }
                },
            )
            .collect();
        lines.push(format!("  {:<16}{cells}", p.product));
    }
    if r.units.iter().any(|p| !p.recorded.is_empty()) {
        lines.push("  * before today: recorded output (actual rows) where the data has it, else the model".into());
    }
    lines.push("bottleneck timeline (from today):".into());
    for b in &r.bottlenecks {
        lines.push(format!("  from {}: {}", b.from, b.name));
    }
    lines.push("bottlenecks measured (10% more of each, every month from today):".into());
    for b in r.measured.iter().take(5) {
        lines.push(format!(
            "  {:<40} +{:.0} accelerators ({:+.1}%), binding in {} months",
            b.name,
            b.extra_units,
            100.0 * b.extra_share,
            b.binding_months
        ));
    }
    for o in &r.orders {
        lines.push(format!(
            "order {} ({} x {}, needed by {}): complete {}{}",
            o.order,
            o.quantity,
            o.product,
            o.needed_by,
            o.completion.map(|c| c.to_string()).unwrap_or_else(|| "not within the horizon".into()),
            if o.on_time { " (on time)" } else { " (late)" }
        ));
        lines.push(format!(
            "  placed {}; packaged for it from {}; each unit arrives {} months after packaging",
            o.placed, o.earliest_packaging, o.lag_months
        ));
        lines.push(format!("  supply: {}", o.supply));
        match (&o.cost_per_gpu_hour, o.net_present_cost) {
            (Some(c), _) => lines.push(format!(
                "  TCO: ${:.2} per GPU-hour, break-even against the cloud {}",
                c.total,
                o.break_even.map(|m| m.to_string()).unwrap_or_else(|| "never within the hardware's life".into())
            )),
            (None, Some(_)) => {
                lines.push("  TCO: no cost per GPU-hour, no accelerator arrives within the horizon".into())
            }
            (None, None) => {}
        }
    }
    if let Some(mc) = &r.uncertainty {
        lines.push(format!("Monte Carlo: {} trials, seed {}, {} uncertain inputs", mc.trials, mc.seed, mc.inputs));
        for o in &mc.orders {
            let show = |m: Option<Month>| m.map(|m| m.to_string()).unwrap_or_else(|| "beyond".into());
            lines.push(format!(
                "  order {}: P(complete by {}) = {:.0}%; completion P10 {} / P50 {} / P90 {}",
                o.order,
                o.needed_by,
                100.0 * o.probability_on_time,
                show(o.p10),
                show(o.p50),
                show(o.p90)
            ));
        }
    }
    if let Some(t) = &r.sensitivity {
        lines.push(format!("tornado for order {} (completion swing, P10 to P90):", t.order));
        for b in t.bars.iter().take(8) {
            lines
                .push(format!("  {:>3} months, {:>10.0} units  {}", b.completion_swing_months, b.units_swing, b.input));
        }
    }
    if !r.alerts.is_empty() {
        lines.push(format!("concentration alerts: {}", r.alerts.join("; ")));
    }
    for c in &r.charts.unavailable_charts {
        lines.push(format!("chart {} not drawn: {}", c.kind, c.why));
    }
    lines.push(format!("input sha256 {}", r.input_sha256));
    lines.join("\n")
}
