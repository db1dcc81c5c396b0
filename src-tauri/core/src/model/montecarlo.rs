//! Monte Carlo: thousands of draws of the uncertain inputs, each evaluated, giving
//! bands on output, the completion-month distribution of each order and the TCO
//! distribution (docs/model.md, "Monte Carlo").
//!
//! The whole sample matrix is drawn up front on one thread from a seeded ChaCha
//! generator (plain random or Latin hypercube, then Iman-Conover rank correlation),
//! so a seed gives identical results whatever the number of threads that evaluate
//! the trials.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

use super::network::{Model, NetworkResult, Plan};
use super::run::{evaluate_orders, Evaluation};
use super::uncertain::{catalogue, samplers, Draw, Uncertain};
use crate::month::Month;
use crate::progress::{CancelToken, Progress, ProgressReport};
use crate::{Error, Result};

/// How to run the trials.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
pub struct MonteCarloOptions {
    pub trials: usize,
    pub seed: u64,
    /// Stratify every input into `trials` equal-probability bins.
    #[serde(default)]
    pub latin_hypercube: bool,
    /// Re-solve the linear program in every trial (exact, much slower) instead of
    /// following the deterministic plan.
    #[serde(default)]
    pub reoptimise: bool,
}

impl Default for MonteCarloOptions {
    fn default() -> Self {
        MonteCarloOptions { trials: 10_000, seed: 1, latin_hypercube: false, reoptimise: false }
    }
}

/// Percentiles of one quantity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct Percentiles {
    pub p5: f64,
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
    pub p95: f64,
}

/// Monthly bands of one product's output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProductBands {
    pub product: String,
    pub p5: Vec<f64>,
    pub p10: Vec<f64>,
    pub p50: Vec<f64>,
    pub p90: Vec<f64>,
    pub p95: Vec<f64>,
}

/// When an order completes, over the trials.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct CompletionDistribution {
    pub order: String,
    pub needed_by: Month,
    pub probability_on_time: f64,
    /// Probability that the order is complete by the end of each planned month.
    pub cdf: Vec<f64>,
    /// Share of trials in which it does not complete within the horizon.
    pub beyond_horizon: f64,
    pub p10: Option<Month>,
    pub p50: Option<Month>,
    pub p90: Option<Month>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TcoDistribution {
    pub order: String,
    pub cost_per_gpu_hour: Percentiles,
    pub net_present_cost: Percentiles,
    pub bridge_cloud_usd: Percentiles,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonteCarloResult {
    pub trials: usize,
    pub seed: u64,
    pub latin_hypercube: bool,
    pub reoptimise: bool,
    /// The uncertain inputs sampled, in words.
    pub inputs: Vec<String>,
    pub products: Vec<ProductBands>,
    pub orders: Vec<CompletionDistribution>,
    pub tco: Vec<TcoDistribution>,
}

impl MonteCarloResult {
    /// This result of the plan from today, over the whole window: `past` (the history
    /// back-cast) gives each product's months before today, with no spread (history is
    /// not drawn), and no order completes in them.
    pub fn after_history(mut self, past: &NetworkResult) -> MonteCarloResult {
        let h = past.months.len();
        for b in &mut self.products {
            let before = past.units_of(&b.product).map(<[f64]>::to_vec).unwrap_or_else(|| vec![0.0; h]);
            for series in [&mut b.p5, &mut b.p10, &mut b.p50, &mut b.p90, &mut b.p95] {
                series.splice(0..0, before.iter().copied());
            }
        }
        for o in &mut self.orders {
            o.cdf.splice(0..0, std::iter::repeat_n(0.0, h));
        }
        self
    }
}

/// What one trial keeps.
struct TrialOutcome {
    units: Vec<f32>,
    completion: Vec<Option<u16>>,
    cost_per_hour: Vec<f64>,
    npc: Vec<f64>,
    bridge: Vec<f64>,
}

/// Draws the `trials` x `inputs` matrix of uniforms (column per input).
pub fn sample_matrix(
    list: &[Uncertain],
    input: &super::input::ModelInput,
    options: &MonteCarloOptions,
) -> Result<Vec<Vec<f64>>> {
    let n = options.trials;
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let mut columns: Vec<Vec<f64>> = Vec::with_capacity(list.len());
    for _ in list {
        let column = if options.latin_hypercube {
            let mut bins: Vec<usize> = (0..n).collect();
            bins.shuffle(&mut rng);
            bins.into_iter().map(|b| (b as f64 + rng.gen::<f64>()) / n as f64).collect()
        } else {
            (0..n).map(|_| rng.gen::<f64>()).collect()
        };
        columns.push(column);
    }
    if !input.correlations.is_empty() {
        iman_conover(list, input, &mut columns, &mut rng)?;
    }
    Ok(columns)
}

/// Reorders the correlated columns so their rank correlations match the input's
/// (Iman and Conover, 1982), keeping every column's values.
fn iman_conover(
    list: &[Uncertain],
    input: &super::input::ModelInput,
    columns: &mut [Vec<f64>],
    rng: &mut ChaCha8Rng,
) -> Result<()> {
    let find = |name: &str| {
        list.iter().position(|u| u.name == name).ok_or_else(|| {
            Error::invalid(format!(
                "the correlation names {name:?}, which is not an uncertain input of this run; use a name from the run's input list"
            ))
        })
    };
    let mut involved: Vec<usize> = Vec::new();
    let mut pairs = Vec::new();
    for c in &input.correlations {
        let (a, b) = (find(&c.a)?, find(&c.b)?);
        for i in [a, b] {
            if !involved.contains(&i) {
                involved.push(i);
            }
        }
        pairs.push((a, b, c.rho));
    }
    let k = involved.len();
    let n = columns.first().map(|c| c.len()).unwrap_or(0);
    if n < 3 {
        return Ok(());
    }
    let at = |i: usize| involved.iter().position(|&j| j == i).unwrap_or(0);
    let mut target = vec![vec![0.0; k]; k];
    for (i, row) in target.iter_mut().enumerate() {
        row[i] = 1.0;
    }
    for (a, b, rho) in pairs {
        target[at(a)][at(b)] = rho;
        target[at(b)][at(a)] = rho;
    }
    let p = cholesky(&target).ok_or_else(|| {
        Error::invalid(
            "the correlations cannot hold together (the matrix is not positive definite); weaken some of them",
        )
    })?;
    // van der Waerden scores, randomly permuted per column
    let normal = Normal::standard();
    let scores: Vec<f64> = (1..=n).map(|i| normal.inverse_cdf(i as f64 / (n as f64 + 1.0))).collect();
    let mut s = vec![vec![0.0; k]; n];
    for j in 0..k {
        let mut col = scores.clone();
        col.shuffle(rng);
        for (row, v) in s.iter_mut().zip(col) {
            row[j] = v;
        }
    }
    // T = S (Q⁻¹)ᵀ Pᵀ where E = Q Qᵀ is the correlation of S
    let e = correlation(&s, k);
    let q = cholesky(&e).ok_or_else(|| Error::internal("the score matrix is degenerate; use more trials"))?;
    let q_inv = lower_inverse(&q);
    let mut m = vec![vec![0.0; k]; k]; // M = (Q⁻¹)ᵀ Pᵀ
    for (i, row) in m.iter_mut().enumerate() {
        for (j, cell) in row.iter_mut().enumerate() {
            *cell = (0..k).map(|l| q_inv[l][i] * p[j][l]).sum();
        }
    }
    for j in 0..k {
        let t: Vec<f64> = s.iter().map(|row| (0..k).map(|l| row[l] * m[l][j]).sum()).collect();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| t[a].total_cmp(&t[b]));
        let column = &mut columns[involved[j]];
        let mut sorted = column.clone();
        sorted.sort_by(f64::total_cmp);
        for (rank, &trial) in order.iter().enumerate() {
            column[trial] = sorted[rank];
        }
    }
    Ok(())
}

fn cholesky(a: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let k = a.len();
    let mut l = vec![vec![0.0; k]; k];
    for i in 0..k {
        for j in 0..=i {
            let sum: f64 = (0..j).map(|m| l[i][m] * l[j][m]).sum();
            if i == j {
                let d = a[i][i] - sum;
                if d <= 1e-12 {
                    return None;
                }
                l[i][j] = d.sqrt();
            } else {
                l[i][j] = (a[i][j] - sum) / l[j][j];
            }
        }
    }
    Some(l)
}

// Index loops read as the matrix algebra they implement.
#[allow(clippy::needless_range_loop)]
fn lower_inverse(l: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let k = l.len();
    let mut inv = vec![vec![0.0; k]; k];
    for i in 0..k {
        inv[i][i] = 1.0 / l[i][i];
        for j in 0..i {
            let sum: f64 = (j..i).map(|m| l[i][m] * inv[m][j]).sum();
            let value = -sum / l[i][i];
            inv[i][j] = value;
        }
    }
    inv
}

fn correlation(s: &[Vec<f64>], k: usize) -> Vec<Vec<f64>> {
    let n = s.len() as f64;
    let mean: Vec<f64> = (0..k).map(|j| s.iter().map(|r| r[j]).sum::<f64>() / n).collect();
    let mut c = vec![vec![0.0; k]; k];
    for i in 0..k {
        for j in 0..k {
            c[i][j] = s.iter().map(|r| (r[i] - mean[i]) * (r[j] - mean[j])).sum::<f64>() / n;
        }
    }
    let d: Vec<f64> = (0..k).map(|i| c[i][i].sqrt()).collect();
    for i in 0..k {
        for j in 0..k {
            c[i][j] /= d[i] * d[j];
        }
    }
    c
}

/// Runs the trials around `plan` (the deterministic solve's).
pub fn monte_carlo(
    model: &mut Model<'_>,
    plan: &Plan,
    options: &MonteCarloOptions,
    progress: &dyn Progress,
    cancel: &CancelToken,
) -> Result<MonteCarloResult> {
    if !(1..=1_000_000).contains(&options.trials) {
        return Err(Error::invalid(format!("{} trials: choose between 1 and 1,000,000", options.trials)));
    }
    model.prepare_for_sampling();
    let model = &*model;
    let input = model.input;
    let list = catalogue(input, &model.series);
    let columns = sample_matrix(&list, input, options)?;
    let tables = Arc::new(samplers(&list));
    let n = options.trials;
    let done = AtomicUsize::new(0);
    let step = (n / 100).max(1);
    let stage = "Monte Carlo trials";
    progress.report(ProgressReport { stage: stage.into(), done: 0, total: Some(n as u64), unit: "trials" });
    // end-to-end tests cancel a run held here (debug builds only)
    crate::testpoint::hold("montecarlo.trials");
    let outcomes: Vec<TrialOutcome> = (0..n)
        .into_par_iter()
        .map(|t| -> Result<TrialOutcome> {
            cancel.check()?;
            let mut draw = Draw::base().with_samplers(tables.clone());
            for (u, column) in list.iter().zip(&columns) {
                draw.set(u.slot, column[t]);
            }
            let units = if options.reoptimise {
                let (result, _) = model.build(&draw)?.solve_with_plan(input, false)?;
                result.products.into_iter().map(|p| p.units).collect()
            } else {
                model.follow(plan, &draw)
            };
            let evaluation: Evaluation = evaluate_orders(input, &units, &draw);
            let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
            if finished.is_multiple_of(step) {
                progress.report(ProgressReport {
                    stage: stage.into(),
                    done: finished as u64,
                    total: Some(n as u64),
                    unit: "trials",
                });
            }
            Ok(TrialOutcome {
                units: units.iter().flatten().map(|v| *v as f32).collect(),
                completion: evaluation
                    .orders
                    .iter()
                    .map(|o| o.completion.map(|c| input.start.months_until(c) as u16))
                    .collect(),
                cost_per_hour: evaluation.tco.iter().map(|t| t.cost_per_gpu_hour.total).collect(),
                npc: evaluation.tco.iter().map(|t| t.net_present_cost).collect(),
                bridge: evaluation.tco.iter().map(|t| t.bridge_cloud_usd.unwrap_or(0.0)).collect(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    cancel.check()?;
    let t_count = input.months as usize;
    let products = input
        .products
        .par_iter()
        .enumerate()
        .map(|(pi, p)| {
            let mut bands =
                ProductBands { product: p.id.clone(), p5: vec![], p10: vec![], p50: vec![], p90: vec![], p95: vec![] };
            let mut values = vec![0.0; n];
            for m in 0..t_count {
                for (v, o) in values.iter_mut().zip(&outcomes) {
                    *v = o.units[pi * t_count + m] as f64;
                }
                let q = percentiles(&mut values);
                bands.p5.push(q.p5);
                bands.p10.push(q.p10);
                bands.p50.push(q.p50);
                bands.p90.push(q.p90);
                bands.p95.push(q.p95);
            }
            bands
        })
        .collect();
    let orders = input
        .orders
        .iter()
        .enumerate()
        .map(|(oi, o)| {
            let mut cdf = vec![0.0; t_count];
            let mut months: Vec<Option<u16>> = outcomes.iter().map(|t| t.completion[oi]).collect();
            for c in months.iter().flatten() {
                for slot in cdf.iter_mut().skip(*c as usize) {
                    *slot += 1.0 / n as f64;
                }
            }
            let needed = input.start.months_until(o.needed_by);
            let on_time = if needed < 0 {
                0.0
            } else {
                cdf.get(needed as usize).copied().unwrap_or_else(|| cdf.last().copied().unwrap_or(0.0))
            };
            months.sort_by_key(|m| m.unwrap_or(u16::MAX));
            let at = |p: f64| {
                let i = ((p * n as f64).ceil() as usize).clamp(1, n) - 1;
                months[i].map(|m| input.start.plus(m as i32))
            };
            CompletionDistribution {
                order: o.id.clone(),
                needed_by: o.needed_by,
                probability_on_time: on_time,
                beyond_horizon: 1.0 - cdf.last().copied().unwrap_or(0.0),
                cdf,
                p10: at(0.1),
                p50: at(0.5),
                p90: at(0.9),
            }
        })
        .collect();
    let tco = input
        .orders
        .iter()
        .enumerate()
        .filter(|_| input.tco.is_some())
        .map(|(oi, o)| {
            let column =
                |f: &dyn Fn(&TrialOutcome) -> f64| percentiles(&mut outcomes.iter().map(f).collect::<Vec<_>>());
            TcoDistribution {
                order: o.id.clone(),
                cost_per_gpu_hour: column(&|t| t.cost_per_hour.get(oi).copied().unwrap_or(0.0)),
                net_present_cost: column(&|t| t.npc.get(oi).copied().unwrap_or(0.0)),
                bridge_cloud_usd: column(&|t| t.bridge.get(oi).copied().unwrap_or(0.0)),
            }
        })
        .collect();
    progress.report(ProgressReport { stage: stage.into(), done: n as u64, total: Some(n as u64), unit: "trials" });
    Ok(MonteCarloResult {
        trials: n,
        seed: options.seed,
        latin_hypercube: options.latin_hypercube,
        reoptimise: options.reoptimise,
        inputs: list.iter().map(|u| u.name.clone()).collect(),
        products,
        orders,
        tco,
    })
}

/// P5/P10/P50/P90/P95 by the nearest-rank method (sorts `values`).
pub fn percentiles(values: &mut [f64]) -> Percentiles {
    if values.is_empty() {
        return Percentiles::default();
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let at = |p: f64| values[((p * n as f64).ceil() as usize).clamp(1, n) - 1];
    Percentiles { p5: at(0.05), p10: at(0.10), p50: at(0.50), p90: at(0.90), p95: at(0.95) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::needless_range_loop)]
    fn cholesky_and_inverse_agree() {
        let a = vec![vec![1.0, 0.6, 0.2], vec![0.6, 1.0, 0.3], vec![0.2, 0.3, 1.0]];
        let l = cholesky(&a).unwrap();
        let inv = lower_inverse(&l);
        for i in 0..3 {
            for j in 0..3 {
                let prod: f64 = (0..3).map(|m| l[i][m] * inv[m][j]).sum();
                assert!((prod - if i == j { 1.0 } else { 0.0 }).abs() < 1e-12);
            }
        }
        assert!(cholesky(&[vec![1.0, 1.2], vec![1.2, 1.0]]).is_none());
    }

    #[test]
    fn nearest_rank_percentiles() {
        let mut v: Vec<f64> = (1..=100).map(f64::from).collect();
        v.reverse();
        let p = percentiles(&mut v);
        assert_eq!((p.p5, p.p10, p.p50, p.p90, p.p95), (5.0, 10.0, 50.0, 90.0, 95.0));
    }
}
