//! The supply network: a multi-period linear program over products x routes x
//! months that turns capacity into delivered accelerators (docs/model.md,
//! "Network solve").
//!
//! Variables: `x[r, s]`, good packages of route `r` started in month `s` (delivered
//! `lead` months later), and `I[q, s]`, stock of a storable pool `q` (logic wafers,
//! HBM stacks, substrates) carried out of month `s`. Rows, one per pool and month:
//! packaging carriers used <= the pool's capacity (it cannot be stored); storable
//! resources used plus stock carried out <= stock carried in plus what arrives
//! (produced `lead` months earlier). Optional demand caps per product and month.
//! Objective: priority-weighted good units, a unit delivered in month `d` counting
//! `earlier_preference^d`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::geometry::units_per_carrier;
use super::input::ModelInput;
use super::mix;
use super::program::Program;
use super::supply::{family_of, members, pool_amount, pool_for, Capacity, Pool, Series};
use super::uncertain::{Draw, Slot};
use crate::carrier::Carrier;
use crate::month::Month;
use crate::stage::Stage;
use crate::{Error, Result};

/// How much a unit of a vendor's balanced level is worth, as a multiple of the
/// highest priority weight: enough that no price difference between products
/// outweighs keeping the roadmap's mix.
pub const MIX_WEIGHT: f64 = 100.0;

/// What one good unit of a route needs.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RouteNeeds {
    pub product: String,
    pub technology: String,
    pub preferred: bool,
    pub units_per_carrier: u32,
    pub assembly_yield: f64,
    pub logic_dies_per_wafer: u32,
    pub die_yield: f64,
    /// Per good unit: packaging carriers, logic wafers, HBM stacks, substrates.
    pub carriers: f64,
    pub logic_wafers: f64,
    pub hbm_stacks: f64,
    /// Per good unit, HBM in its technology's capacity unit: stacks, or GB
    /// (stacks x GB per stack) when the technology counts GB.
    pub hbm: f64,
    pub substrates: f64,
    pub lead_time_months: u32,
}

/// Which need of a route a row counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Carriers,
    LogicWafers,
    Hbm,
    Substrates,
}

impl RouteNeeds {
    pub fn get(&self, need: Need) -> f64 {
        match need {
            Need::Carriers => self.carriers,
            Need::LogicWafers => self.logic_wafers,
            Need::Hbm => self.hbm,
            Need::Substrates => self.substrates,
        }
    }
}

/// One production variable: route `route` started in month index `s`.
#[derive(Debug, Clone)]
pub struct XVar {
    pub route: usize,
    pub s: i32,
    /// The pools it draws on and which of its needs each counts.
    pub uses: Vec<(usize, Need)>,
    /// Its demand-cap row, if its product has a cap.
    pub cap: Option<usize>,
}

/// A pool's fixed description within a run.
#[derive(Debug, Clone)]
pub struct PoolInfo {
    pub pool: Pool,
    /// The pool as the user reads it ([`Pool::name`]).
    pub name: String,
    pub stage: Stage,
    /// Months between production and use (storable pools; 0 for packaging).
    pub lead: i32,
    /// Capacity (packaging) or arrivals (storable) per month index from `first_start`.
    pub capacity: Vec<f64>,
}

/// The program of one evaluation and the meaning of its variables and rows.
pub struct Network {
    pub program: Program,
    pub needs: Vec<RouteNeeds>,
    x: Vec<XVar>,
    rows: Vec<RowMeaning>,
    pools: Vec<PoolInfo>,
    stock: BTreeMap<(usize, usize), usize>,
    caps: Vec<(String, i32, f64)>,
    horizon: Vec<Month>,
    first_start: i32,
}

struct RowMeaning {
    pool: usize,
    /// month index (relative to the first planned month) of the constraint
    month: i32,
    /// the product of a demand-cap row
    demand_cap: Option<String>,
    /// a row of the mix within a vendor (`mix.rs`), not a resource
    mix: bool,
}

impl RowMeaning {
    /// Whether the row is a pool's capacity (not a demand cap or the mix).
    fn is_pool(&self) -> bool {
        self.demand_cap.is_none() && !self.mix
    }
}

/// The deterministic plan, kept so Monte Carlo trials can follow it.
#[derive(Debug, Clone)]
pub struct Plan {
    pub x: Vec<(XVar, f64)>,
    pub pools: Vec<PoolInfo>,
    /// planned stock carried out of each month, per pool (storable pools)
    pub stock_out: Vec<Vec<f64>>,
    /// demand caps: (product, delivery month index, cap)
    pub caps: Vec<(String, i32, f64)>,
    pub first_start: i32,
    pub span: usize,
}

/// Units per month for one product, and per route.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ProductUnits {
    pub product: String,
    pub units: Vec<f64>,
    pub by_route: BTreeMap<String, Vec<f64>>,
}

/// Use of one pool over the planned months.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ResourceUse {
    pub resource: String,
    pub technology: String,
    pub customer: Option<String>,
    pub stage: Stage,
    pub unit: String,
    /// Capacity in each planned month (arrivals, for storable resources).
    pub capacity: Vec<f64>,
    pub used: Vec<f64>,
}

/// A constraint that holds the plan back in a month.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Binding {
    pub month: Month,
    /// The pool's id (`hbm3e (NVIDIA)`), or `demand cap of P`.
    pub resource: String,
    /// What the user reads: "HBM3E at NVIDIA's allocation", "the demand for B300".
    pub name: String,
    pub stage: Stage,
    /// Objective gained per extra unit of the resource in that month.
    pub shadow_price: f64,
    /// Shadow price x the month's capacity: the first-order gain from doubling it,
    /// comparable across resources with different units.
    pub leverage: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct NetworkResult {
    pub months: Vec<Month>,
    pub objective: f64,
    pub products: Vec<ProductUnits>,
    pub resources: Vec<ResourceUse>,
    pub routes: Vec<RouteNeeds>,
    /// Every binding constraint (empty when shadow prices were not asked for).
    pub binding: Vec<Binding>,
    /// The binding constraint with the highest leverage in each planned month.
    pub bottlenecks: Vec<Option<Binding>>,
}

impl NetworkResult {
    pub fn units_of(&self, product: &str) -> Option<&[f64]> {
        self.products.iter().find(|p| p.product == product).map(|p| p.units.as_slice())
    }

    pub fn total_units(&self) -> f64 {
        self.products.iter().flat_map(|p| &p.units).sum()
    }

    /// History (`self`, the months before today) followed by the `plan` from today:
    /// one result over the whole window. The plan's objective, routes and bindings'
    /// meaning are kept; history adds its months to every series.
    pub fn followed_by(self, mut plan: NetworkResult) -> NetworkResult {
        let h = self.months.len();
        let pad = |series: &mut Vec<f64>, past: Option<&Vec<f64>>| {
            let before: Vec<f64> = past.cloned().unwrap_or_else(|| vec![0.0; h]);
            series.splice(0..0, before);
        };
        let months = plan.months.len();
        for p in &mut plan.products {
            let past = self.products.iter().find(|q| q.product == p.product);
            pad(&mut p.units, past.map(|q| &q.units));
            // a route used in history only is kept too (zeros over the plan)
            for route in past.map(|q| q.by_route.keys().cloned().collect::<Vec<_>>()).unwrap_or_default() {
                p.by_route.entry(route).or_insert_with(|| vec![0.0; months]);
            }
            for (route, series) in &mut p.by_route {
                pad(series, past.and_then(|q| q.by_route.get(route)));
            }
        }
        for r in &mut plan.resources {
            let past = self.resources.iter().find(|q| q.resource == r.resource);
            pad(&mut r.capacity, past.map(|q| &q.capacity));
            pad(&mut r.used, past.map(|q| &q.used));
        }
        plan.months.splice(0..0, self.months);
        plan.binding.splice(0..0, self.binding);
        plan.bottlenecks.splice(0..0, self.bottlenecks);
        plan
    }
}

/// The largest packaging lead time of the routes (months of starts before the horizon).
fn max_packaging_lead(input: &ModelInput) -> i32 {
    input
        .routes
        .iter()
        .filter_map(|r| input.technology(&r.technology))
        .map(|t| t.lead_time_months as i32)
        .max()
        .unwrap_or(0)
}

fn max_lead(input: &ModelInput) -> i32 {
    input.technologies.iter().map(|t| t.lead_time_months as i32).max().unwrap_or(0)
}

/// Everything about a run that no draw changes: the input, its capacity series, the
/// geometry of every route and the time window.
pub struct Model<'a> {
    pub input: &'a ModelInput,
    pub series: Vec<Series>,
    /// per route: (units per packaging carrier, logic dies per wafer)
    geometry: Vec<(u32, u32)>,
    first_start: i32,
    span: usize,
    cap_from: Month,
    cap_months: usize,
}

impl<'a> Model<'a> {
    pub fn new(input: &'a ModelInput) -> Result<Model<'a>> {
        let mut geometry = Vec::with_capacity(input.routes.len());
        for r in &input.routes {
            let p = input
                .product(&r.product)
                .ok_or_else(|| Error::invalid(format!("route names unknown product {}", r.product)))?;
            let tech = input
                .technology(&r.technology)
                .ok_or_else(|| Error::invalid(format!("route names unknown technology {}", r.technology)))?;
            let logic = input
                .technology(&p.logic_technology)
                .ok_or_else(|| Error::invalid(format!("{} has no logic technology", p.id)))?;
            let upc = units_per_carrier(&tech.carrier, p.interposer_width_mm, p.interposer_height_mm, &input.geometry)?;
            let side = p.compute_die_area_mm2.sqrt();
            let logic_carrier = if logic.carrier == Carrier::None { Carrier::Wafer300 } else { logic.carrier };
            geometry.push((upc, units_per_carrier(&logic_carrier, side, side, &input.geometry)?));
        }
        let first_start = -max_packaging_lead(input);
        let before = max_packaging_lead(input) + max_lead(input);
        Ok(Model {
            input,
            series: super::supply::series(input),
            geometry,
            first_start,
            span: (input.months as i32 - first_start) as usize,
            cap_from: input.start.plus(-before),
            cap_months: input.months as usize + before as usize,
        })
    }

    /// Builds quantile tables for fast Monte Carlo draws.
    pub fn prepare_for_sampling(&mut self) {
        super::supply::prepare_samplers(&mut self.series);
    }

    pub fn capacity(&self, draw: &Draw) -> Capacity {
        Capacity::compute(self.input, &self.series, draw, self.cap_from, self.cap_months)
    }

    /// What one good unit of each route needs under `draw`.
    pub fn needs(&self, draw: &Draw) -> Vec<RouteNeeds> {
        let input = self.input;
        input
            .routes
            .iter()
            .enumerate()
            .map(|(ri, r)| {
                let pi = input.products.iter().position(|q| q.id == r.product).unwrap_or(0);
                let p = &input.products[pi];
                let lead = input.technology(&r.technology).map(|t| t.lead_time_months).unwrap_or(0);
                let (upc, dpw) = self.geometry[ri];
                let d0 = draw.value(Slot::DefectDensity(pi), &p.defect_density_per_cm2);
                let die_yield = input.yield_model.die_yield(p.compute_die_area_mm2, d0, p.clustering_alpha);
                let ay = draw.value(Slot::AssemblyYield(ri), &r.assembly_yield).clamp(1e-6, 1.0);
                let per = |v: f64| if v > 0.0 { v } else { f64::INFINITY };
                let counts_gb = input.technology(&p.hbm_technology).is_some_and(|t| t.counts_gigabytes());
                let hbm_unit = if counts_gb { p.hbm_gb_per_stack.unwrap_or(0.0) } else { 1.0 };
                RouteNeeds {
                    product: p.id.clone(),
                    technology: r.technology.clone(),
                    preferred: r.preferred,
                    units_per_carrier: upc,
                    assembly_yield: ay,
                    logic_dies_per_wafer: dpw,
                    die_yield,
                    carriers: 1.0 / per(upc as f64 * ay),
                    logic_wafers: p.compute_dies as f64 / per(dpw as f64 * die_yield * ay),
                    hbm_stacks: p.hbm_stacks as f64 / ay,
                    hbm: p.hbm_stacks as f64 * hbm_unit / ay,
                    substrates: if p.substrate_technology.is_some() { 1.0 / ay } else { 0.0 },
                    lead_time_months: lead,
                }
            })
            .collect()
    }

    /// A pool's capacity (or arrivals) per month index from `first_start`.
    fn pool_capacity(&self, capacity: &Capacity, draw: &Draw, pool: &Pool, lead: i32) -> Vec<f64> {
        let mut members = members(self.input, &pool.technology);
        if members.is_empty() {
            members.push(&pool.technology);
        }
        let counting: Vec<_> =
            members.iter().map(|m| capacity.counting(self.input, m, pool.customer.as_deref())).collect();
        let everyone: Vec<_> = members.iter().map(|m| capacity.counting(self.input, m, None)).collect();
        (0..self.span as i32)
            .map(|k| {
                let month = self.input.start.plus(self.first_start + k - lead);
                let own: f64 = counting.iter().map(|c| c.at(month)).sum();
                let total: f64 = everyone.iter().map(|c| c.at(month)).sum();
                pool_amount(self.input, draw, pool, month, own, total)
            })
            .collect()
    }

    /// Builds the program for one draw of the uncertain inputs.
    pub fn build(&self, draw: &Draw) -> Result<Network> {
        let input = self.input;
        let capacity = self.capacity(draw);
        let t_count = input.months as i32;
        let first_start = self.first_start;
        let span = self.span;
        let month_at = |s: i32| input.start.plus(s);
        let mut program = Program::new(&format!("{} {}+{}", input.scenario, input.start, input.months));
        let needs = self.needs(draw);

        let mut pools: Vec<PoolInfo> = Vec::new();
        let mut pool_index: BTreeMap<Pool, usize> = BTreeMap::new();
        let mut pool_of = |technology: &str, vendor: &str, pools: &mut Vec<PoolInfo>| -> Result<usize> {
            let pool = pool_for(input, technology, vendor);
            if let Some(&i) = pool_index.get(&pool) {
                return Ok(i);
            }
            let tech = input
                .technology(technology)
                .ok_or_else(|| Error::invalid(format!("unknown technology {technology}")))?;
            let lead = if tech.stage == Stage::Packaging { 0 } else { tech.lead_time_months as i32 };
            let cap = self.pool_capacity(&capacity, draw, &pool, lead);
            let name = pool.name(input);
            pools.push(PoolInfo { pool: pool.clone(), name, stage: tech.stage, lead, capacity: cap });
            pool_index.insert(pool, pools.len() - 1);
            Ok(pools.len() - 1)
        };

        let mut x: Vec<XVar> = Vec::new();
        let mut pool_rows: BTreeMap<(usize, usize), Vec<(usize, f64)>> = BTreeMap::new();
        let mut cap_rows: BTreeMap<(String, i32), Vec<usize>> = BTreeMap::new();
        // per product and delivery month: whether some route has every resource, and its variables
        let mut delivered_by: BTreeMap<(&str, i32), (bool, Vec<usize>)> = BTreeMap::new();
        for (ri, need) in needs.iter().enumerate() {
            if need.units_per_carrier == 0 || need.logic_dies_per_wafer == 0 || !need.logic_wafers.is_finite() {
                continue; // the package does not fit this carrier: the route cannot produce
            }
            let p = input.product(&need.product).ok_or_else(|| Error::invalid("unknown product"))?;
            let lead = need.lead_time_months as i32;
            let mut uses = vec![(pool_of(&need.technology, &p.vendor, &mut pools)?, Need::Carriers)];
            if let Some(family) = family_of(input, &need.technology) {
                uses.push((pool_of(family, &p.vendor, &mut pools)?, Need::Carriers));
            }
            uses.push((pool_of(&p.logic_technology, &p.vendor, &mut pools)?, Need::LogicWafers));
            if need.hbm_stacks > 0.0 {
                uses.push((pool_of(&p.hbm_technology, &p.vendor, &mut pools)?, Need::Hbm));
            }
            if let Some(s) = &p.substrate_technology {
                uses.push((pool_of(s, &p.vendor, &mut pools)?, Need::Substrates));
            }
            for s in -lead..(t_count - lead) {
                let delivered = s + lead;
                if !p.ships_in(month_at(delivered)) {
                    continue;
                }
                let weight = p.priority_weight
                    * input.earlier_preference.powi(delivered)
                    * if need.preferred { 1.0 + 1e-6 } else { 1.0 };
                let v = program.add_var(format!("x[{},{},{}]", need.product, need.technology, month_at(s)), weight);
                for &(pool, kind) in &uses {
                    pool_rows.entry((pool, (s - first_start) as usize)).or_default().push((v, need.get(kind)));
                }
                let k = (s - first_start) as usize;
                let producible = uses.iter().all(|&(q, _)| {
                    let pool = &pools[q];
                    pool.capacity[k] > 0.0
                        || (pool.stage != Stage::Packaging && pool.capacity[..k].iter().any(|c| *c > 0.0))
                });
                let entry = delivered_by.entry((p.id.as_str(), delivered)).or_default();
                entry.0 |= producible;
                entry.1.push(v);
                if p.demand_cap_per_month.is_some() {
                    cap_rows.entry((p.id.clone(), delivered)).or_default().push(v);
                }
                x.push(XVar { route: ri, s, uses: uses.clone(), cap: None });
            }
        }

        let mut stock: BTreeMap<(usize, usize), usize> = BTreeMap::new();
        for (pi, pool) in pools.iter().enumerate() {
            if pool.stage == Stage::Packaging {
                continue;
            }
            // no stock is carried out of a month before the first one planned: those
            // months serve only the work in progress at the start (docs/model.md, section 4)
            for k in (-first_start).max(0) as usize..span.saturating_sub(1) {
                let v =
                    program.add_var(format!("stock[{},{}]", pool.pool.label(), month_at(first_start + k as i32)), 0.0);
                stock.insert((pi, k), v);
            }
        }
        let mut rows = Vec::new();
        for (pi, pool) in pools.iter().enumerate() {
            for k in 0..span {
                let mut coeffs = pool_rows.remove(&(pi, k)).unwrap_or_default();
                if pool.stage != Stage::Packaging {
                    if let Some(&out) = stock.get(&(pi, k)) {
                        coeffs.push((out, 1.0));
                    }
                    if k > 0 {
                        if let Some(&carried_in) = stock.get(&(pi, k - 1)) {
                            coeffs.push((carried_in, -(1.0 - input.stock_loss_per_month)));
                        }
                    }
                }
                if coeffs.is_empty() {
                    continue;
                }
                let month = first_start + k as i32;
                program.add_row(format!("{}[{}]", pool.pool.label(), month_at(month)), coeffs, pool.capacity[k]);
                rows.push(RowMeaning { pool: pi, month, demand_cap: None, mix: false });
            }
        }
        self.add_mix(&mut program, &mut rows, &delivered_by);
        let mut caps = Vec::new();
        for ((product, delivered), vars) in cap_rows {
            let cap = input.product(&product).and_then(|p| p.demand_cap_per_month).unwrap_or(f64::INFINITY);
            for &v in &vars {
                x[v].cap = Some(caps.len());
            }
            program.add_row(
                format!("demand[{product},{}]", month_at(delivered)),
                vars.into_iter().map(|v| (v, 1.0)).collect(),
                cap,
            );
            rows.push(RowMeaning { pool: usize::MAX, month: delivered, demand_cap: Some(product.clone()), mix: false });
            caps.push((product, delivered, cap));
        }
        Ok(Network { program, needs, x, rows, pools, stock, caps, horizon: input.horizon().collect(), first_start })
    }

    /// The mix within each vendor (docs/model.md, section 4, "Mix within a vendor"):
    /// for vendor `c` and delivery month `d`, a balanced level `B[c,d]` worth
    /// [`MIX_WEIGHT`] × the highest priority weight per unit, and for each of its
    /// products shipping in `d` that some route can make (every resource of the route
    /// has capacity in its start month, or stock from an earlier one), with roadmap
    /// weight `w_p` (`mix.rs`, renormalised over those products), the row
    /// `w_p · B[c,d] − Σ_r x[r,d−L_r] ≤ 0`. So the program first raises every
    /// vendor's units in its roadmap's proportions as far as the vendor's pools
    /// allow, and only then spends what is left by priority weight. A product that
    /// nothing can make is left out of its vendor's mix instead of holding it at zero.
    ///
    /// Demand ("Demand"): a vendor with demand `D[c,d]` gets the row `B[c,d] ≤ D[c,d]`.
    fn add_mix(
        &self,
        program: &mut Program,
        rows: &mut Vec<RowMeaning>,
        delivered_by: &BTreeMap<(&str, i32), (bool, Vec<usize>)>,
    ) {
        let input = self.input;
        let top = input.products.iter().map(|p| p.priority_weight).fold(0.0, f64::max);
        for vendor in mix::vendors(input) {
            for d in 0..input.months as i32 {
                let month = input.start.plus(d);
                let mut weights = mix::weights(input, vendor, month);
                weights.retain(|(pi, _)| {
                    delivered_by.get(&(input.products[*pi].id.as_str(), d)).is_some_and(|(ok, _)| *ok)
                });
                let total: f64 = weights.iter().map(|(_, w)| w).sum();
                if weights.is_empty() || total <= 0.0 {
                    continue;
                }
                let value = MIX_WEIGHT * top * input.earlier_preference.powi(d);
                let vars_of = |pi: usize| {
                    let id = input.products[pi].id.as_str();
                    delivered_by.get(&(id, d)).into_iter().flat_map(|(_, vars)| vars.iter().copied())
                };
                let level: Vec<(usize, f64)> = if let [(pi, _)] = weights[..] {
                    // one product: its level is its units, so its variables carry the
                    // level's value and the program needs no row (a third fewer rows)
                    for v in vars_of(pi) {
                        program.vars[v].objective += value;
                    }
                    vars_of(pi).map(|v| (v, 1.0)).collect()
                } else {
                    let level = program.add_var(format!("level[{vendor},{month}]"), value);
                    for &(pi, w) in &weights {
                        let mut coeffs = vec![(level, w / total)];
                        coeffs.extend(vars_of(pi).map(|v| (v, -1.0)));
                        program.add_row(format!("mix[{},{month}]", input.products[pi].id), coeffs, 0.0);
                        rows.push(RowMeaning { pool: usize::MAX, month: d, demand_cap: None, mix: true });
                    }
                    vec![(level, 1.0)]
                };
                if let Some(demand) = input.demand_of(vendor, month) {
                    program.add_row(format!("demand[{vendor},{month}]"), level, demand);
                    rows.push(RowMeaning {
                        pool: usize::MAX,
                        month: d,
                        demand_cap: Some(vendor.to_string()),
                        mix: false,
                    });
                }
            }
        }
    }

    /// Follows `plan` under `draw`: each planned route-month is scaled by the
    /// tightest ratio of what its pools have to what the plan asks of them (stock
    /// carried as in the plan). The result is always feasible for the draw, and at
    /// base it is the plan itself. Returns units per product (input order) per planned month.
    pub fn follow(&self, plan: &Plan, draw: &Draw) -> Vec<Vec<f64>> {
        let input = self.input;
        let t_count = input.months as usize;
        let capacity = self.capacity(draw);
        let needs = self.needs(draw);
        let product_of: Vec<usize> =
            input.routes.iter().map(|r| input.products.iter().position(|p| p.id == r.product).unwrap_or(0)).collect();
        let caps: Vec<Vec<f64>> =
            plan.pools.iter().map(|p| self.pool_capacity(&capacity, draw, &p.pool, p.lead)).collect();
        let mut units = vec![vec![0.0; t_count]; input.products.len()];
        let mut stock = vec![0.0; plan.pools.len()];
        // the share of stock that survives a month (the holding cost, in kind)
        let keep = 1.0 - input.stock_loss_per_month;
        let mut by_month: Vec<Vec<usize>> = vec![Vec::new(); plan.span];
        for (i, (v, value)) in plan.x.iter().enumerate() {
            if *value > 0.0 {
                by_month[(v.s - plan.first_start) as usize].push(i);
            }
        }
        let mut required = vec![0.0; plan.pools.len()];
        // what the plan delivers under each demand cap, summed once
        let mut cap_planned = vec![0.0; plan.caps.len()];
        for (v, value) in &plan.x {
            if let Some(c) = v.cap {
                cap_planned[c] += value;
            }
        }
        for (k, vars) in by_month.iter().enumerate() {
            required.iter_mut().for_each(|r| *r = 0.0);
            for &i in vars {
                let (v, value) = &plan.x[i];
                for &(pool, need) in &v.uses {
                    required[pool] += value * needs[v.route].get(need);
                }
            }
            let scale: Vec<f64> = plan
                .pools
                .iter()
                .enumerate()
                .map(|(q, pool)| {
                    let storable = pool.stage != Stage::Packaging;
                    let available = caps[q][k] + if storable { stock[q] * keep } else { 0.0 };
                    let asked =
                        required[q] + if storable { plan.stock_out[q].get(k).copied().unwrap_or(0.0) } else { 0.0 };
                    ratio(available, asked)
                })
                .collect();
            let mut used = vec![0.0; plan.pools.len()];
            for &i in vars {
                let (v, value) = &plan.x[i];
                let mut f = v.uses.iter().map(|&(pool, _)| scale[pool]).fold(f64::INFINITY, f64::min);
                if let Some(c) = v.cap {
                    f = f.min(ratio(plan.caps[c].2, cap_planned[c]));
                }
                let f = if f.is_finite() { f } else { 1.0 };
                let made = value * f;
                for &(pool, need) in &v.uses {
                    used[pool] += made * needs[v.route].get(need);
                }
                let delivered = v.s + needs[v.route].lead_time_months as i32;
                if (0..t_count as i32).contains(&delivered) {
                    units[product_of[v.route]][delivered as usize] += made;
                }
            }
            for (q, pool) in plan.pools.iter().enumerate() {
                if pool.stage != Stage::Packaging {
                    stock[q] = if plan.first_start + (k as i32) < 0 {
                        0.0
                    } else {
                        (stock[q] * keep + caps[q][k] - used[q]).max(0.0)
                    };
                }
            }
        }
        units
    }
}

/// What a pool has over what is asked of it; exactly 1 when they agree to 1e-9.
fn ratio(available: f64, asked: f64) -> f64 {
    if asked <= 0.0 {
        return f64::INFINITY;
    }
    let r = available.max(0.0) / asked;
    if (r - 1.0).abs() < 1e-9 {
        1.0
    } else {
        r
    }
}

impl Network {
    /// Solves the program; with `shadow_prices` also its dual, for the bottleneck timeline.
    pub fn solve(self, input: &ModelInput, shadow_prices: bool) -> Result<NetworkResult> {
        Ok(self.solve_with_plan(input, shadow_prices)?.0)
    }

    /// Solves and keeps the plan for Monte Carlo trials.
    /// Multiplies the capacity of the pool labelled `resource` by `factor` in every
    /// planned month (its rows in months before the first one keep their capacity).
    /// Returns whether the network has such a pool.
    pub fn scale_resource(&mut self, resource: &str, factor: f64) -> bool {
        let t_count = self.horizon.len() as i32;
        let mut found = false;
        for (r, meaning) in self.rows.iter().enumerate() {
            if !meaning.is_pool() || !(0..t_count).contains(&meaning.month) {
                continue;
            }
            if self.pools.get(meaning.pool).is_some_and(|p| p.pool.label() == resource) {
                self.program.rows[r].rhs *= factor;
                found = true;
            }
        }
        found
    }

    pub fn solve_with_plan(self, input: &ModelInput, shadow_prices: bool) -> Result<(NetworkResult, Plan)> {
        let solved = self.program.solve()?;
        let t_count = self.horizon.len();
        let mut products: Vec<ProductUnits> = input
            .products
            .iter()
            .map(|p| ProductUnits { product: p.id.clone(), units: vec![0.0; t_count], by_route: BTreeMap::new() })
            .collect();
        let mut used = vec![vec![0.0; t_count]; self.pools.len()];
        for (v, xv) in self.x.iter().enumerate() {
            let value = solved.x[v];
            if value <= 0.0 {
                continue;
            }
            let need = &self.needs[xv.route];
            let delivered = xv.s + need.lead_time_months as i32;
            if let Some(p) = products.iter_mut().find(|p| p.product == need.product) {
                if (0..t_count as i32).contains(&delivered) {
                    p.units[delivered as usize] += value;
                    p.by_route.entry(need.technology.clone()).or_insert_with(|| vec![0.0; t_count])
                        [delivered as usize] += value;
                }
            }
        }
        for (r, row) in self.program.rows.iter().enumerate() {
            let meaning = &self.rows[r];
            if !meaning.is_pool() || !(0..t_count as i32).contains(&meaning.month) {
                continue;
            }
            let consumed: f64 =
                row.coeffs.iter().filter(|(v, _)| *v < self.x.len()).map(|&(v, a)| a * solved.x[v]).sum();
            used[meaning.pool][meaning.month as usize] += consumed;
        }
        let resources = self
            .pools
            .iter()
            .zip(used)
            .map(|(pool, used)| ResourceUse {
                resource: pool.pool.label(),
                technology: pool.pool.technology.clone(),
                customer: pool.pool.customer.clone(),
                stage: pool.stage,
                unit: input.technology(&pool.pool.technology).map(|t| t.capacity_unit.clone()).unwrap_or_default(),
                capacity: (0..t_count).map(|m| pool.capacity[(m as i32 - self.first_start) as usize]).collect(),
                used,
            })
            .collect();
        let mut binding = Vec::new();
        let mut bottlenecks: Vec<Option<Binding>> = vec![None; t_count];
        if shadow_prices {
            let duals = self.program.shadow_prices()?;
            for (r, y) in duals.iter().enumerate() {
                let meaning = &self.rows[r];
                if *y <= 1e-9 || meaning.mix || !(0..t_count as i32).contains(&meaning.month) {
                    continue;
                }
                let (resource, name, stage) = match &meaning.demand_cap {
                    Some(p) => (format!("demand cap of {p}"), format!("the demand for {p}"), Stage::Packaging),
                    None => {
                        let pool = &self.pools[meaning.pool];
                        (pool.pool.label(), pool.name.clone(), pool.stage)
                    }
                };
                let b = Binding {
                    month: self.horizon[meaning.month as usize],
                    resource,
                    name,
                    stage,
                    shadow_price: *y,
                    leverage: y * self.program.rows[r].rhs.max(0.0),
                };
                let slot = &mut bottlenecks[meaning.month as usize];
                if slot.as_ref().map(|s| b.leverage > s.leverage).unwrap_or(true) {
                    *slot = Some(b.clone());
                }
                binding.push(b);
            }
        }
        let span = self.pools.first().map(|p| p.capacity.len()).unwrap_or(0);
        let stock_out = (0..self.pools.len())
            .map(|q| (0..span).map(|k| self.stock.get(&(q, k)).map(|&v| solved.x[v]).unwrap_or(0.0)).collect())
            .collect();
        let plan = Plan {
            x: self.x.iter().cloned().zip(solved.x.iter().copied()).collect(),
            pools: self.pools.clone(),
            stock_out,
            caps: self.caps.clone(),
            first_start: self.first_start,
            span,
        };
        let result = NetworkResult {
            months: self.horizon,
            objective: solved.objective,
            products,
            resources,
            routes: self.needs,
            binding,
            bottlenecks,
        };
        Ok((result, plan))
    }
}
