//! Bottlenecks measured, not inferred (docs/model.md, "Bottlenecks measured"). A
//! shadow price times capacity is only a bound on what more capacity would bring
//! (the plan's value is concave in capacity, and a degenerate solution has many
//! duals), so each resource that binds in the plan is measured: the network is
//! solved again with 10 % more of it in every planned month, and the gain in
//! accelerators delivered is what ranks it.

use serde::Serialize;

use super::input::ModelInput;
use super::network::{Model, NetworkResult};
use super::uncertain::Draw;
use crate::progress::CancelToken;
use crate::stage::Stage;
use crate::Result;

/// How much more capacity each candidate gets: 10 %.
pub const STEP: f64 = 0.10;

/// What 10 % more of one resource, in every planned month, delivers.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct MeasuredBottleneck {
    /// The pool (`hbm3e (NVIDIA)`).
    pub resource: String,
    /// The pool as the user reads it ("HBM3E at NVIDIA's allocation").
    pub name: String,
    pub stage: Stage,
    /// Planned months in which it binds.
    pub binding_months: u32,
    /// Extra good accelerators over the plan with 10 % more of it (may be 0: another
    /// resource binds right behind it).
    pub extra_units: f64,
    /// `extra_units` as a share of the plan's accelerators.
    pub extra_share: f64,
    /// The gain in the objective (docs/model.md, section 4) measured by the re-solve.
    pub extra_objective: f64,
    /// What the shadow prices promised for the same 10 %: `Σ leverage × 0.10` over
    /// its binding months, an upper bound on `extra_objective` (the value is concave).
    pub bound_objective: f64,
}

/// Measures every resource that binds in `base` (the plan of `input` under `draw`),
/// most valuable first.
pub fn measure(
    model: &Model<'_>,
    input: &ModelInput,
    base: &NetworkResult,
    draw: &Draw,
    cancel: &CancelToken,
) -> Result<Vec<MeasuredBottleneck>> {
    let mut candidates: Vec<(String, String, Stage, u32, f64)> = Vec::new();
    for b in base.binding.iter().filter(|b| !b.resource.starts_with("demand cap")) {
        match candidates.iter_mut().find(|(r, ..)| *r == b.resource) {
            Some((_, _, _, n, bound)) => {
                *n += 1;
                *bound += b.leverage * STEP;
            }
            None => candidates.push((b.resource.clone(), b.name.clone(), b.stage, 1, b.leverage * STEP)),
        }
    }
    let total = base.total_units();
    let mut out = Vec::with_capacity(candidates.len());
    for (resource, name, stage, binding_months, bound_objective) in candidates {
        cancel.check()?;
        let mut network = model.build(draw)?;
        if !network.scale_resource(&resource, 1.0 + STEP) {
            continue;
        }
        let (more, _) = network.solve_with_plan(input, false)?;
        let extra_units = more.total_units() - total;
        out.push(MeasuredBottleneck {
            resource,
            name,
            stage,
            binding_months,
            extra_units,
            extra_share: if total > 0.0 { extra_units / total } else { 0.0 },
            extra_objective: more.objective - base.objective,
            bound_objective,
        });
    }
    out.sort_by(|a, b| b.extra_units.total_cmp(&a.extra_units).then_with(|| a.resource.cmp(&b.resource)));
    Ok(out)
}
