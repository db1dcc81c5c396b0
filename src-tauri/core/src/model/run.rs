//! A model run: the deterministic solve, the orders and their TCO, concentration,
//! and on request the Monte Carlo and the tornado, gathered in one [`RunResult`]
//! that carries its input's hash and provenance (docs/model.md).

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::bottleneck::{measure, MeasuredBottleneck};
use super::concentration::{concentration, StageConcentration};
use super::input::{DatasetRef, ModelInput};
use super::montecarlo::{monte_carlo, MonteCarloOptions, MonteCarloResult};
use super::network::{Model, NetworkResult, ProductUnits};
use super::orders::{deliver_line, OrderOutcome};
use super::sensitivity::{tornado, Tornado};
use super::tco::{tco, TcoOutcome, TcoValues};
use super::uncertain::{Draw, Slot};
use crate::month::Month;
use crate::progress::{CancelToken, Progress};
use crate::stage::Stage;
use crate::Result;

/// What to run besides the deterministic solve.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct RunOptions {
    /// Monte Carlo trials (0: none).
    pub trials: usize,
    pub seed: u64,
    #[serde(default)]
    pub latin_hypercube: bool,
    #[serde(default)]
    pub reoptimise: bool,
    /// Compute the tornado (needs at least one order).
    #[serde(default)]
    pub sensitivity: bool,
    /// Measure the bottlenecks: one more solve per binding resource
    /// (`model::bottleneck`); the overview asks for it, a slider preview does not.
    #[serde(default)]
    pub measure_bottlenecks: bool,
}

/// Capacity of one technology over the planned months (all facilities).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TechnologyCapacity {
    pub technology: String,
    pub name: String,
    pub stage: Stage,
    pub unit: String,
    pub base: Vec<f64>,
    /// Capacity per supplier, for the stacked chart.
    pub by_supplier: Vec<(String, Vec<f64>)>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RunResult {
    pub scenario: String,
    /// SHA-256 of the exact input (`packplan model input` writes it).
    pub input_sha256: String,
    /// The planning date: months before it are history.
    pub today: Month,
    pub months: Vec<Month>,
    pub objective: f64,
    pub network: NetworkResult,
    /// The resources that bind in the plan, measured: what 10 % more of each delivers, most first.
    pub bottlenecks: Vec<MeasuredBottleneck>,
    pub capacity: Vec<TechnologyCapacity>,
    pub orders: Vec<OrderOutcome>,
    pub tco: Vec<TcoOutcome>,
    /// Concentration at each December of the horizon.
    pub concentration: Vec<StageConcentration>,
    pub provenance: Vec<DatasetRef>,
    pub options: RunOptions,
    pub monte_carlo: Option<MonteCarloResult>,
    pub tornado: Option<Tornado>,
}

/// Units of `p` per month of `months` as shown to the user: before today, what the
/// record says where the data has actual rows ([`ModelInput::recorded`]), else the
/// model's back-cast; from today, the plan. The second value says which months are
/// recorded. (The back-cast itself stays in `p.units`, for calibration.)
pub fn shown_units(input: &ModelInput, months: &[Month], p: &ProductUnits) -> Vec<(f64, bool)> {
    months
        .iter()
        .zip(&p.units)
        .map(|(m, u)| match input.recorded(&p.product, *m) {
            Some(r) => (r, true),
            None => (*u, false),
        })
        .collect()
}

/// Orders and TCO of one evaluation.
pub struct Evaluation {
    pub orders: Vec<OrderOutcome>,
    pub tco: Vec<TcoOutcome>,
}

/// Delivers every order from `units` (per product in input order, per month) and
/// prices it, under `draw`.
pub fn evaluate_orders(input: &ModelInput, units: &[Vec<f64>], draw: &Draw) -> Evaluation {
    let mut outcomes: Vec<Option<OrderOutcome>> = vec![None; input.orders.len()];
    let mut served: Vec<bool> = vec![false; input.orders.len()];
    for (oi, o) in input.orders.iter().enumerate() {
        if served[oi] {
            continue;
        }
        let Some(pi) = input.products.iter().position(|p| p.id == o.product) else { continue };
        // the line's orders; its share is drawn once, in its first order's slot
        let line: Vec<usize> = (oi..input.orders.len()).filter(|&j| input.orders[j].line() == o.line()).collect();
        let share = draw.value(Slot::OrderShare(oi), &o.obtainable_share);
        let members: Vec<&super::input::Order> = line.iter().map(|&j| &input.orders[j]).collect();
        for (j, outcome) in line.iter().zip(deliver_line(&members, share, &units[pi], &input.window())) {
            served[*j] = true;
            outcomes[*j] = Some(outcome);
        }
    }
    let mut orders = Vec::new();
    let mut costs = Vec::new();
    for (o, outcome) in input.orders.iter().zip(outcomes) {
        let Some(outcome) = outcome else { continue };
        let Some(pi) = input.products.iter().position(|p| p.id == o.product) else { continue };
        if let Some(values) = tco_values(input, pi, draw) {
            costs.push(tco(&outcome, &values, input.start));
        }
        orders.push(outcome);
    }
    Evaluation { orders, tco: costs }
}

fn tco_values(input: &ModelInput, pi: usize, draw: &Draw) -> Option<TcoValues> {
    let t = input.tco.as_ref()?;
    let p = &input.products[pi];
    let named = t.named();
    let v = |i: usize| draw.value(Slot::Tco(i), named[i].1);
    Some(TcoValues {
        accelerator_usd: draw.value(Slot::Price(pi), &p.price_usd),
        pue: v(0),
        electricity_usd_per_kwh: v(1),
        utilisation: v(2),
        facility_usd_per_kw_month: v(3),
        staff_usd_per_month: v(4),
        depreciation_years: v(5),
        salvage_share: v(6),
        discount_rate: v(7),
        server_usd_per_accelerator: v(8),
        networking_share: v(9),
        installation_share: v(10),
        all_in_kw: p.all_in_kw,
        cloud_usd_per_hour: p.cloud_usd_per_hour.map(|c| draw.value(Slot::CloudPrice(pi), &c)),
        tokens_per_second: p.tokens_per_second,
    })
}

/// SHA-256 of the input's canonical JSON.
pub fn input_hash(input: &ModelInput) -> String {
    let json = serde_json::to_vec(input).unwrap_or_default();
    Sha256::digest(&json).iter().map(|b| format!("{b:02x}")).collect()
}

/// Runs the model on a validated input.
pub fn run(
    input: &ModelInput,
    options: &RunOptions,
    progress: &dyn Progress,
    cancel: &CancelToken,
) -> Result<RunResult> {
    input.validate()?;
    // The plan is solved from today on its own, so what history holds (or how much of
    // it is shown) never changes it; history is a back-cast solved apart, for the charts.
    let plan_input = input.plan_part();
    let mut model = Model::new(&plan_input)?;
    let base = Draw::base();
    let (network, plan) = model.build(&base)?.solve_with_plan(&plan_input, true)?;
    cancel.check()?;
    let units: Vec<Vec<f64>> = network.products.iter().map(|p| p.units.clone()).collect();
    let mut evaluation = evaluate_orders(&plan_input, &units, &base);
    let bottlenecks =
        if options.measure_bottlenecks { measure(&model, &plan_input, &network, &base, cancel)? } else { Vec::new() };
    let past = match input.history_part() {
        Some(history) => Some(Model::new(&history)?.build(&base)?.solve_with_plan(&history, true)?.0),
        None => None,
    };
    let capacity_all = Model::new(input)?.capacity(&base);
    let supplier_of =
        |facility: &str| input.facility(facility).map(|f| f.supplier.clone()).unwrap_or_else(|| facility.to_string());
    let offset = capacity_all.from.months_until(input.start) as usize;
    let capacity = input
        .technologies
        .iter()
        .filter_map(|t| {
            let all = capacity_all.by_technology.get(&t.id)?;
            let mut by_supplier: Vec<(String, Vec<f64>)> = Vec::new();
            for ((tech, facility), values) in &capacity_all.by_facility {
                if *tech != t.id {
                    continue;
                }
                let name = supplier_of(facility);
                let slice = &values[offset..];
                match by_supplier.iter_mut().find(|(s, _)| *s == name) {
                    Some((_, v)) => v.iter_mut().zip(slice).for_each(|(a, b)| *a += b),
                    None => by_supplier.push((name, slice.to_vec())),
                }
            }
            Some(TechnologyCapacity {
                technology: t.id.clone(),
                name: t.name.clone(),
                stage: t.stage,
                unit: t.capacity_unit.clone(),
                base: all[offset..].to_vec(),
                by_supplier,
            })
        })
        .collect();
    let concentration =
        input.horizon().filter(|m| m.month() == 12).flat_map(|m| concentration(input, &capacity_all, m)).collect();
    let monte_carlo = if options.trials > 0 {
        let mc = MonteCarloOptions {
            trials: options.trials,
            seed: options.seed,
            latin_hypercube: options.latin_hypercube,
            reoptimise: options.reoptimise,
        };
        Some(monte_carlo(&mut model, &plan, &mc, progress, cancel)?)
    } else {
        None
    };
    let tornado =
        if options.sensitivity && !input.orders.is_empty() { Some(tornado(&model, &plan, cancel)?) } else { None };
    let (network, monte_carlo) = match past {
        Some(past) => {
            let h = past.months.len();
            for o in &mut evaluation.orders {
                o.packaged.splice(0..0, std::iter::repeat_n(0.0, h));
                o.deliveries.splice(0..0, std::iter::repeat_n(0.0, h));
            }
            let monte_carlo = monte_carlo.map(|mc| mc.after_history(&past));
            (past.followed_by(network), monte_carlo)
        }
        None => (network, monte_carlo),
    };
    Ok(RunResult {
        scenario: input.scenario.clone(),
        input_sha256: input_hash(input),
        today: input.today,
        months: input.horizon().collect(),
        objective: network.objective,
        network,
        bottlenecks,
        capacity,
        orders: evaluation.orders,
        tco: evaluation.tco,
        concentration,
        provenance: input.provenance.clone(),
        options: *options,
        monte_carlo,
        tornado,
    })
}
