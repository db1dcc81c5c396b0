//! The model input: one plain, serialisable structure that holds everything a run
//! needs (docs/model-input.md). It is built from the vault's data and a scenario
//! (`model::tables`) or read from a JSON file, and [`ModelInput::validate`] checks
//! it before any computation, so the engine itself never meets a dangling id.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::estimate::Estimate;
use super::geometry::GeometryRules;
use super::yields::YieldModel;
use crate::carrier::Carrier;
use crate::month::Month;
use crate::stage::Stage;
use crate::{Error, Result};

/// The format tag of a model input file.
pub const FORMAT: &str = "packplan-model-input";
pub const FORMAT_VERSION: u32 = 2;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelInput {
    pub format: String,
    pub format_version: u32,
    /// The scenario these figures belong to ("Baseline", ...).
    pub scenario: String,
    /// The planning date: months before it are history, orders take nothing from them.
    /// (A version 1 file has none: it is read as `start`.)
    #[serde(default = "unset_month")]
    pub today: Month,
    /// First month planned.
    pub start: Month,
    /// Number of months planned (the horizon).
    pub months: u32,
    /// Weight per month of delay in the objective: a unit delivered in month t counts
    /// `earlier_preference^t` (0 < value <= 1; default 0.85).
    #[serde(default = "default_earlier_preference")]
    pub earlier_preference: f64,
    /// The share of a storable pool's stock lost each month it is held (0 to 0.5;
    /// default 0.02): the holding cost, in kind (docs/model.md, section 4).
    #[serde(default = "default_stock_loss")]
    pub stock_loss_per_month: f64,
    #[serde(default)]
    pub geometry: GeometryRules,
    #[serde(default)]
    pub yield_model: YieldModel,
    pub technologies: Vec<Technology>,
    #[serde(default)]
    pub facilities: Vec<Facility>,
    pub capacity: Vec<CapacityObservation>,
    #[serde(default)]
    pub allocations: Vec<Allocation>,
    /// Which memory makers' output counts for a customer, from when (docs/model.md, section 3).
    #[serde(default)]
    pub qualifications: Vec<Qualification>,
    /// Each customer's demand in accelerators a month (docs/model.md, section 4).
    #[serde(default)]
    pub demand: Vec<Demand>,
    /// Recorded output of products over months of history (docs/model.md, section 0).
    #[serde(default)]
    pub actuals: Vec<Actual>,
    pub products: Vec<Product>,
    pub routes: Vec<Route>,
    #[serde(default)]
    pub orders: Vec<Order>,
    #[serde(default)]
    pub tco: Option<TcoAssumptions>,
    #[serde(default)]
    pub disruptions: Vec<Disruption>,
    #[serde(default)]
    pub correlations: Vec<Correlation>,
    /// Facility outages and other capacity adjustments applied by a scenario.
    #[serde(default)]
    pub outages: Vec<Outage>,
    /// Where the figures come from: the datasets that fed this input.
    #[serde(default)]
    pub provenance: Vec<DatasetRef>,
    /// A classification label the charts of this input carry at least (the user's setting).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marking: Option<String>,
    /// The site's marking scheme and label mappings the charts are marked in (the
    /// vault's settings; absent from a file: the default scheme).
    #[serde(default, skip_serializing_if = "crate::classification::Policy::is_default")]
    pub marking_policy: crate::classification::Policy,
}

/// Stands for a `today` a version 1 file does not have, until [`ModelInput::from_json`] sets it.
fn unset_month() -> Month {
    Month::from_number(0)
}

/// Two per cent a month: stored dies and stacks lose value (memory prices fall,
/// generations age) and the plan should not bank supply for a distant month.
pub const DEFAULT_STOCK_LOSS_PER_MONTH: f64 = 0.02;

fn default_stock_loss() -> f64 {
    DEFAULT_STOCK_LOSS_PER_MONTH
}

fn default_earlier_preference() -> f64 {
    0.85
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Technology {
    pub id: String,
    pub name: String,
    pub stage: Stage,
    /// The carrier capacity is counted in (packaging and logic); `none` for stacks, substrates.
    pub carrier: Carrier,
    /// The unit of the capacity figures ("wafers/month", "stacks/month").
    pub capacity_unit: String,
    /// Months from the start of this stage's work to its output being usable downstream
    /// (packaging: to a delivered accelerator; logic: fab cycle; memory and substrates: transit).
    pub lead_time_months: u32,
    /// The first month of volume output: no capacity before it, then a ramp
    /// (`None`: the ramp ends at each facility's first observation).
    #[serde(default)]
    pub first_month: Option<Month>,
    /// Months from zero to full rate (`None`: [`DEFAULT_RAMP_MONTHS`]).
    #[serde(default)]
    pub ramp_months: Option<u32>,
    /// The family it belongs to (`cowos` for CoWoS-S, -L and -R): an allocation that
    /// names the family is a share of its members' capacity together.
    #[serde(default)]
    pub family: Option<String>,
}

/// TSMC: a ramp now goes "from zero to peak in three quarters" (docs/model.md, section 3).
pub const DEFAULT_RAMP_MONTHS: u32 = 9;

impl Technology {
    /// True when the capacity figures are gigabytes a month ("GB/month") rather than
    /// stacks or carriers: a product then needs stacks x GB per stack of it.
    pub fn counts_gigabytes(&self) -> bool {
        self.capacity_unit.trim().starts_with("GB/")
    }

    /// Months from zero to full rate.
    pub fn ramp(&self) -> u32 {
        self.ramp_months.unwrap_or(DEFAULT_RAMP_MONTHS).max(1)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Facility {
    pub id: String,
    pub supplier: String,
    pub name: String,
    pub region: String,
}

/// One capacity figure for a facility, technology and month (per month, in the
/// technology's unit), with its uncertainty, source and dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CapacityObservation {
    pub facility: String,
    pub technology: String,
    pub month: Month,
    pub value: Estimate,
    pub source: String,
    #[serde(default)]
    pub as_of: String,
    #[serde(default)]
    pub dataset: String,
    /// How far the figure can be trusted (default B).
    #[serde(default = "grade_b")]
    pub confidence: crate::grade::Grade,
    /// Who published it: a publisher's newest figure for a month supersedes its older
    /// ones (`None`: the source text names the publisher, so nothing is superseded).
    #[serde(default)]
    pub publisher: Option<String>,
}

fn grade_b() -> crate::grade::Grade {
    crate::grade::Grade::B
}

/// What a technology's capacity gives one customer, over months: a share of it
/// or a volume a month. When the customers' claims on a month exceed the
/// capacity, each is cut in the same proportion (docs/model.md, section 3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Allocation {
    pub technology: String,
    pub customer: String,
    pub from: Month,
    #[serde(default)]
    pub to: Option<Month>,
    #[serde(flatten)]
    pub amount: Allotted,
    #[serde(default)]
    pub source: String,
}

/// How an allocation is stated: as the supplier states it, a share of the
/// technology's capacity (0 to 1), or an absolute volume a month in the
/// technology's capacity unit (wafers a month for CoWoS, GB a month for HBM).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Allotted {
    Share(Estimate),
    PerMonth(Estimate),
}

impl Allotted {
    /// The estimate, whichever the form.
    pub fn estimate(&self) -> &Estimate {
        match self {
            Allotted::Share(e) | Allotted::PerMonth(e) => e,
        }
    }
}

/// A supplier's output of a technology counts for a customer from a month (a
/// memory maker passing the customer's qualification). Once a customer has a
/// qualification for a technology, only the qualified facilities' output fills
/// its allocation, each from its month; without one, every facility counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Qualification {
    pub customer: String,
    pub technology: String,
    pub facility: String,
    pub from: Month,
    #[serde(default)]
    pub source: String,
}

/// A customer's demand for accelerators (all its products together) from a month:
/// it caps what the plan makes for the customer (docs/model.md, section 4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Demand {
    pub customer: String,
    pub from: Month,
    /// Last month (`None`: until the next row).
    #[serde(default)]
    pub to: Option<Month>,
    pub units_per_month: f64,
    #[serde(default)]
    pub source: String,
}

/// What the record says a product delivered over `[from, to]` (a quarter or a
/// year of a public count, say), spread evenly over those months. It is shown in
/// place of the back-cast in months before today, and never enters a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Actual {
    pub product: String,
    pub from: Month,
    pub to: Month,
    /// Accelerators over the whole period.
    pub units: f64,
    #[serde(default)]
    pub source: String,
}

impl ModelInput {
    /// What the record says `product` delivered in `month`, when `month` is history
    /// and some actual row covers it: the mean of those rows' monthly figures
    /// (several sources for one month are estimates of one number).
    pub fn recorded(&self, product: &str, month: Month) -> Option<f64> {
        if month >= self.today {
            return None;
        }
        let per_month: Vec<f64> = self
            .actuals
            .iter()
            .filter(|a| a.product == product && a.from <= month && month <= a.to)
            .map(|a| a.units / (a.from.months_until(a.to) + 1) as f64)
            .collect();
        (!per_month.is_empty()).then(|| per_month.iter().sum::<f64>() / per_month.len() as f64)
    }

    /// `customer`'s demand in `month`: the row in effect (the latest start wins;
    /// a row without an end runs until the next one), `None` without one.
    pub fn demand_of(&self, customer: &str, month: Month) -> Option<f64> {
        self.demand
            .iter()
            .filter(|d| d.customer == customer && d.from <= month && d.to.is_none_or(|t| month <= t))
            .max_by_key(|d| d.from)
            .map(|d| d.units_per_month)
    }

    /// The month from which `facility`'s output of `technology` counts for
    /// `customer` under a qualification (the earliest row's), `None` without one.
    /// It matters only when some qualification [`restricts`](Self::restricts) the
    /// customer's supply of the technology; otherwise every facility counts.
    pub fn qualified_from(&self, customer: &str, technology: &str, facility: &str) -> Option<Month> {
        self.qualifications
            .iter()
            .filter(|q| q.customer == customer && q.technology == technology && q.facility == facility)
            .map(|q| q.from)
            .min()
    }

    /// True when some qualification restricts `customer`'s supply of `technology`.
    pub fn restricts(&self, customer: &str, technology: &str) -> bool {
        self.qualifications.iter().any(|q| q.customer == customer && q.technology == technology)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    pub id: String,
    pub name: String,
    /// The customer whose capacity allocation the product draws on.
    pub vendor: String,
    pub interposer_width_mm: f64,
    pub interposer_height_mm: f64,
    pub compute_dies: u32,
    pub compute_die_area_mm2: f64,
    pub logic_technology: String,
    pub defect_density_per_cm2: Estimate,
    pub clustering_alpha: f64,
    pub hbm_technology: String,
    pub hbm_stacks: u32,
    /// GB in one of its stacks (24 for 8-Hi HBM3E, 36 for 12-Hi): needed when the
    /// HBM technology's capacity is counted in GB ([`Technology::counts_gigabytes`]).
    #[serde(default)]
    pub hbm_gb_per_stack: Option<f64>,
    #[serde(default)]
    pub substrate_technology: Option<String>,
    pub all_in_kw: f64,
    pub price_usd: Estimate,
    #[serde(default)]
    pub tokens_per_second: Option<f64>,
    /// Cloud rental price per accelerator-hour, if known.
    #[serde(default)]
    pub cloud_usd_per_hour: Option<Estimate>,
    /// Objective weight of one good unit (default 1).
    #[serde(default = "one")]
    pub priority_weight: f64,
    /// Optional cap on units delivered per month.
    #[serde(default)]
    pub demand_cap_per_month: Option<f64>,
    /// First and last month the product ships (deliveries are planned only between).
    #[serde(default)]
    pub available_from: Option<Month>,
    #[serde(default)]
    pub available_to: Option<Month>,
}

impl Product {
    /// True when the product ships in `month`.
    pub fn ships_in(&self, month: Month) -> bool {
        self.available_from.is_none_or(|f| f <= month) && self.available_to.is_none_or(|t| month <= t)
    }
}

fn one() -> f64 {
    1.0
}

/// A packaging route: a product packaged on a technology, with its assembly yield.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Route {
    pub product: String,
    pub technology: String,
    pub assembly_yield: Estimate,
    #[serde(default)]
    pub preferred: bool,
}

/// The user's order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    pub id: String,
    pub product: String,
    pub quantity: u64,
    pub needed_by: Month,
    /// The share of the product's output this buyer can obtain.
    pub obtainable_share: Estimate,
    #[serde(default = "one_u32")]
    pub priority: u32,
    /// The month the order was placed; `None`: today (the planning date).
    #[serde(default)]
    pub placed: Option<Month>,
    /// Booking before packaging and the lags after it (the documented defaults when
    /// the data gives none).
    #[serde(default)]
    pub lags: super::orders::DeliveryLags,
    /// The supply line (one contract or channel) the order is served from: orders
    /// naming the same line share its one obtainable share, served in priority order
    /// (`None`: a line of its own).
    #[serde(default)]
    pub supply_line: Option<String>,
    /// The supply line's allocation and queue (the same on every order of a line).
    #[serde(default)]
    pub terms: super::orders::SupplyTerms,
}

impl Order {
    /// The line the order is served from: its `supply_line`, or its own.
    pub fn line(&self) -> String {
        self.supply_line.clone().unwrap_or_else(|| format!("order {}", self.id))
    }
}

fn one_u32() -> u32 {
    1
}

/// Cost assumptions for owning accelerators (docs/model.md, "TCO").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TcoAssumptions {
    pub pue: Estimate,
    pub electricity_usd_per_kwh: Estimate,
    pub utilisation: Estimate,
    pub facility_usd_per_kw_month: Estimate,
    pub staff_usd_per_month: Estimate,
    pub depreciation_years: Estimate,
    pub salvage_share: Estimate,
    pub discount_rate: Estimate,
    pub server_usd_per_accelerator: Estimate,
    pub networking_share: Estimate,
    pub installation_share: Estimate,
}

/// A discrete disruption: with `probability`, capacity of the matching facilities
/// loses `share_lost` for `duration_months` from a start month drawn uniformly in
/// [start_from, start_to].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Disruption {
    pub name: String,
    pub probability: f64,
    pub start_from: Month,
    pub start_to: Month,
    pub duration_months: u32,
    pub share_lost: f64,
    /// Facilities in this region are hit (empty: use `facilities`).
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub facilities: Vec<String>,
    /// Restrict to these technologies (empty: all).
    #[serde(default)]
    pub technologies: Vec<String>,
}

/// A capacity loss that certainly happens (a scenario's "facility down").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outage {
    pub facility: String,
    pub from: Month,
    pub to: Month,
    /// 1.0 = fully down.
    pub share_lost: f64,
}

/// A rank correlation between two uncertain inputs, named as in the run's input list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Correlation {
    pub a: String,
    pub b: String,
    pub rho: f64,
}

/// A dataset the input's figures came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct DatasetRef {
    pub id: String,
    pub title: String,
    pub classification: String,
    #[serde(default)]
    pub as_of: String,
}

impl ModelInput {
    /// The months planned, in order.
    pub fn horizon(&self) -> impl Iterator<Item = Month> + '_ {
        (0..self.months as i32).map(|i| self.start.plus(i))
    }

    pub fn end(&self) -> Month {
        self.start.plus(self.months as i32)
    }

    /// The plan: this input from today (or its first month, when that is later) to its end.
    pub fn plan_part(&self) -> ModelInput {
        let from = self.start.max(self.today);
        ModelInput { start: from, months: from.months_until(self.end()).max(1) as u32, ..self.clone() }
    }

    /// The history: this input's months before today, without orders (`None`: none shown).
    pub fn history_part(&self) -> Option<ModelInput> {
        let months = self.start.months_until(self.today.min(self.end()));
        (months > 0).then(|| ModelInput { months: months as u32, orders: Vec::new(), ..self.clone() })
    }

    pub fn technology(&self, id: &str) -> Option<&Technology> {
        self.technologies.iter().find(|t| t.id == id)
    }

    pub fn product(&self, id: &str) -> Option<&Product> {
        self.products.iter().find(|p| p.id == id)
    }

    pub fn facility(&self, id: &str) -> Option<&Facility> {
        self.facilities.iter().find(|f| f.id == id)
    }

    /// The plan window of this input.
    pub fn window(&self) -> crate::horizon::Horizon {
        crate::horizon::Horizon { today: self.today, start: self.start, months: self.months }
    }

    /// Parses and validates a model input file's text; a version 1 file is read as
    /// version 2 with `today` at its first month (docs/model-input.md).
    pub fn from_json(text: &str) -> Result<ModelInput> {
        let mut input: ModelInput = serde_json::from_str(text).map_err(|e| {
            Error::invalid(format!(
                "the model input is not valid JSON of the documented shape (line {}, column {}: {e}); see docs/model-input.md",
                e.line(),
                e.column()
            ))
        })?;
        if input.format == FORMAT && input.format_version == 1 {
            input.format_version = FORMAT_VERSION;
            input.today = input.start;
        }
        input.validate()?;
        Ok(input)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Every check the engine relies on, with a message naming the bad entry.
    pub fn validate(&self) -> Result<()> {
        if self.format != FORMAT || self.format_version != FORMAT_VERSION {
            return Err(Error::invalid(format!(
                "this is not a Packplan model input version {FORMAT_VERSION} (format {:?} version {}); export one with `packplan model input`",
                self.format, self.format_version
            )));
        }
        self.window().validate()?;
        if !(0.0..=0.5).contains(&self.stock_loss_per_month) {
            return Err(Error::invalid(format!(
                "stock_loss_per_month is {}; give the share of stock lost a month, from 0 to 0.5",
                self.stock_loss_per_month
            )));
        }
        if !(self.earlier_preference > 0.0 && self.earlier_preference <= 1.0) {
            return Err(Error::invalid("earlier_preference must be above 0 and at most 1"));
        }
        self.geometry.validate()?;
        unique("technology", self.technologies.iter().map(|t| t.id.as_str()))?;
        unique("product", self.products.iter().map(|p| p.id.as_str()))?;
        unique("facility", self.facilities.iter().map(|f| f.id.as_str()))?;
        unique("order", self.orders.iter().map(|o| o.id.as_str()))?;
        let tech = |id: &str, what: &str| -> Result<&Technology> {
            self.technology(id).ok_or_else(|| {
                Error::invalid(format!(
                    "{what} names the technology {id:?}, which the input does not define; add it or fix the id"
                ))
            })
        };
        for t in &self.technologies {
            t.carrier.validate(&t.id)?;
            if let Some(f) = &t.family {
                let family = tech(f, &format!("the technology {}", t.id))?;
                if family.id == t.id || family.family.is_some() || family.stage != t.stage {
                    return Err(Error::invalid(format!(
                        "the technology {} names {f:?} as its family; a family must be another technology of the same stage ({}) that has no family itself",
                        t.id, t.stage
                    )));
                }
                if self.capacity.iter().any(|c| c.technology == *f) {
                    return Err(Error::invalid(format!(
                        "the technology {f} is the family of {} and has capacity observations of its own; give the capacity to its members (a family's capacity is theirs together)",
                        t.id
                    )));
                }
            }
        }
        for c in &self.capacity {
            tech(&c.technology, &format!("a capacity observation of {}", c.facility))?;
            if !self.facilities.is_empty() && self.facility(&c.facility).is_none() {
                return Err(Error::invalid(format!(
                    "a capacity observation names the facility {:?}, which the input does not define",
                    c.facility
                )));
            }
            c.value.validate(&format!("capacity of {} at {} in {}", c.technology, c.facility, c.month))?;
            if c.value.low < 0.0 {
                return Err(Error::invalid(format!(
                    "capacity of {} at {} in {} is negative",
                    c.technology, c.facility, c.month
                )));
            }
        }
        for a in &self.allocations {
            tech(&a.technology, &format!("the allocation to {}", a.customer))?;
            match &a.amount {
                Allotted::Share(share) => {
                    share.validate(&format!("share of {} for {}", a.technology, a.customer))?;
                    if share.low < 0.0 || share.high > 1.0 {
                        return Err(Error::invalid(format!(
                            "the share of {} for {} must lie between 0 and 1",
                            a.technology, a.customer
                        )));
                    }
                }
                Allotted::PerMonth(volume) => {
                    volume.validate(&format!("volume of {} for {}", a.technology, a.customer))?;
                    if volume.low < 0.0 {
                        return Err(Error::invalid(format!(
                            "the volume of {} for {} must be 0 or more a month",
                            a.technology, a.customer
                        )));
                    }
                }
            }
        }
        for q in &self.qualifications {
            let what = format!("the qualification of {} for {} on {}", q.facility, q.customer, q.technology);
            tech(&q.technology, &what)?;
            if !self.facilities.is_empty() && self.facility(&q.facility).is_none() {
                return Err(Error::invalid(format!("{what} names a facility the input does not define")));
            }
            if !self.allocations.iter().any(|a| a.customer == q.customer && a.technology == q.technology) {
                return Err(Error::invalid(format!(
                    "{what} has no effect: {} has no allocation of {}, and a qualification restricts only an allocated share; \
                     add an allocation row for {} on {}, or remove the qualification",
                    q.customer, q.technology, q.customer, q.technology
                )));
            }
        }
        for a in &self.actuals {
            let what = format!("the recorded output of {} from {} to {}", a.product, a.from, a.to);
            if self.product(&a.product).is_none() {
                return Err(Error::invalid(format!("{what} names a product the input does not define")));
            }
            if a.to < a.from {
                return Err(Error::invalid(format!("{what} ends before it starts; correct from_month or to_month")));
            }
            if !(a.units.is_finite() && a.units >= 0.0) {
                return Err(Error::invalid(format!("{what} must be a number of accelerators, 0 or more")));
            }
        }
        for d in &self.demand {
            let what = format!("the demand of {} from {}", d.customer, d.from);
            if !(d.units_per_month.is_finite() && d.units_per_month >= 0.0) {
                return Err(Error::invalid(format!("{what} must be a number of accelerators a month, 0 or more")));
            }
            if d.to.is_some_and(|t| t < d.from) {
                return Err(Error::invalid(format!("{what} ends before it starts; correct from_month or to_month")));
            }
            if !self.products.iter().any(|p| p.vendor == d.customer) {
                return Err(Error::invalid(format!(
                    "{what} names a customer with no product; demand is per customer, as the products' vendor column \
                     names it (for example NVIDIA)"
                )));
            }
        }
        for p in &self.products {
            let what = format!("product {}", p.id);
            if let Some(gb) = p.hbm_gb_per_stack {
                if !(gb.is_finite() && gb > 0.0) {
                    return Err(Error::invalid(format!("{what}: hbm_gb_per_stack must be above 0")));
                }
            }
            let counts_gb = self.technology(&p.hbm_technology).is_some_and(Technology::counts_gigabytes);
            if counts_gb && p.hbm_stacks > 0 && p.hbm_gb_per_stack.is_none() {
                return Err(Error::invalid(format!(
                    "{what}: its HBM technology {} counts capacity in GB, so the product must say how many GB one stack holds; \
                     give hbm_gb_per_stack (24 for an 8-Hi HBM3E stack, 36 for a 12-Hi one)",
                    p.hbm_technology
                )));
            }
            for (id, stage) in [(&p.logic_technology, Stage::Logic), (&p.hbm_technology, Stage::Memory)] {
                let t = tech(id, &what)?;
                if t.stage != stage {
                    return Err(Error::invalid(format!(
                        "{what}: {id} is a {} technology, not {}",
                        t.stage.as_str(),
                        stage.as_str()
                    )));
                }
            }
            if let Some(s) = &p.substrate_technology {
                tech(s, &what)?;
            }
            let dims = [p.interposer_width_mm, p.interposer_height_mm, p.compute_die_area_mm2, p.all_in_kw];
            if dims.iter().any(|v| !(v.is_finite() && *v > 0.0)) || p.compute_dies == 0 {
                return Err(Error::invalid(format!("{what}: sizes, die count and power must be above 0")));
            }
            p.defect_density_per_cm2.validate(&format!("{what} defect density"))?;
            p.price_usd.validate(&format!("{what} price"))?;
            if let Some(c) = &p.cloud_usd_per_hour {
                c.validate(&format!("{what} cloud price"))?;
            }
            if !(p.priority_weight.is_finite() && p.priority_weight > 0.0) || p.clustering_alpha <= 0.0 {
                return Err(Error::invalid(format!("{what}: priority_weight and clustering_alpha must be above 0")));
            }
        }
        for r in &self.routes {
            let what = format!("route {} on {}", r.product, r.technology);
            if self.product(&r.product).is_none() {
                return Err(Error::invalid(format!("{what} names a product the input does not define")));
            }
            let t = tech(&r.technology, &what)?;
            if t.stage != Stage::Packaging {
                return Err(Error::invalid(format!("{what}: {} is not a packaging technology", t.id)));
            }
            r.assembly_yield.validate(&format!("{what} assembly yield"))?;
            if r.assembly_yield.low <= 0.0 || r.assembly_yield.high > 1.0 {
                return Err(Error::invalid(format!("{what}: the assembly yield must lie in (0, 1]")));
            }
        }
        for o in &self.orders {
            if self.product(&o.product).is_none() {
                return Err(Error::invalid(format!(
                    "order {} names the product {:?}, which the input does not define",
                    o.id, o.product
                )));
            }
            o.obtainable_share.validate(&format!("order {} obtainable share", o.id))?;
            if let Some(first) = self.orders.iter().find(|f| f.line() == o.line()) {
                if first.product != o.product || first.obtainable_share != o.obtainable_share {
                    return Err(Error::invalid(format!(
                        "orders {} and {} share the supply line {:?} but name different products or shares; \
                         a line is one product at one obtainable share: give both orders the same, or name two lines",
                        first.id,
                        o.id,
                        o.line()
                    )));
                }
                if first.terms != o.terms {
                    return Err(Error::invalid(format!(
                        "orders {} and {} share the supply line {:?} but give it different allocations or queues; \
                         a line has one allocation and one queue: give both orders the same, or name two lines",
                        first.id,
                        o.id,
                        o.line()
                    )));
                }
            }
            let t = o.terms;
            if t.allocation_per_month.is_some_and(|a| !(a.is_finite() && a >= 0.0))
                || !(t.queue_ahead.is_finite() && t.queue_ahead >= 0.0)
            {
                return Err(Error::invalid(format!(
                    "order {}: an allocation and a queue are numbers of accelerators, 0 or more; fix the order",
                    o.id
                )));
            }
            if t.allocation_from.is_some() && t.allocation_per_month.is_none() {
                return Err(Error::invalid(format!(
                    "order {} gives an allocation_from month but no allocation_per_month; give the allocation in accelerators a month, or leave both empty",
                    o.id
                )));
            }
            let l = o.lags;
            let longest = [l.booking_weeks, l.test_weeks, l.integration_weeks, l.shipping_weeks].into_iter().max();
            if longest.unwrap_or(0) > super::orders::DeliveryLags::MAX_WEEKS {
                return Err(Error::invalid(format!(
                    "order {}: a lag of {} weeks is implausible; give each lag in weeks, at most {}",
                    o.id,
                    longest.unwrap_or(0),
                    super::orders::DeliveryLags::MAX_WEEKS
                )));
            }
            if o.quantity == 0 || o.obtainable_share.high > 1.0 || o.obtainable_share.low < 0.0 {
                return Err(Error::invalid(format!(
                    "order {}: the quantity must be above 0 and the share within 0 to 1",
                    o.id
                )));
            }
        }
        for d in &self.disruptions {
            if !(0.0..=1.0).contains(&d.probability)
                || !(0.0..=1.0).contains(&d.share_lost)
                || d.start_to < d.start_from
            {
                return Err(Error::invalid(format!(
                    "disruption {:?}: probability and share lost must be within 0 to 1 and the start window in order",
                    d.name
                )));
            }
        }
        for o in &self.outages {
            if !(0.0..=1.0).contains(&o.share_lost) || o.to < o.from {
                return Err(Error::invalid(format!(
                    "the outage of {} must have a share within 0 to 1 and from <= to",
                    o.facility
                )));
            }
        }
        for c in &self.correlations {
            if !(-1.0..=1.0).contains(&c.rho) || c.a == c.b {
                return Err(Error::invalid(format!(
                    "the correlation of {:?} and {:?} must be within -1 and 1, between two inputs",
                    c.a, c.b
                )));
            }
        }
        if let Some(t) = &self.tco {
            for (name, e) in t.named() {
                e.validate(&format!("TCO {name}"))?;
            }
        }
        Ok(())
    }

    /// Ids of all products with at least one route.
    pub fn routed_products(&self) -> BTreeSet<&str> {
        self.routes.iter().map(|r| r.product.as_str()).collect()
    }

    /// The region of each facility (unknown facilities: "unknown").
    pub fn regions(&self) -> BTreeMap<&str, &str> {
        self.facilities.iter().map(|f| (f.id.as_str(), f.region.as_str())).collect()
    }
}

impl TcoAssumptions {
    /// Each assumption with its key (as in the tco_assumptions table).
    pub fn named(&self) -> [(&'static str, &Estimate); 11] {
        [
            ("pue", &self.pue),
            ("electricity_usd_per_kwh", &self.electricity_usd_per_kwh),
            ("utilisation", &self.utilisation),
            ("facility_usd_per_kw_month", &self.facility_usd_per_kw_month),
            ("staff_usd_per_month", &self.staff_usd_per_month),
            ("depreciation_years", &self.depreciation_years),
            ("salvage_share", &self.salvage_share),
            ("discount_rate", &self.discount_rate),
            ("server_usd_per_accelerator", &self.server_usd_per_accelerator),
            ("networking_share", &self.networking_share),
            ("installation_share", &self.installation_share),
        ]
    }

    pub fn named_mut(&mut self) -> [(&'static str, &mut Estimate); 11] {
        [
            ("pue", &mut self.pue),
            ("electricity_usd_per_kwh", &mut self.electricity_usd_per_kwh),
            ("utilisation", &mut self.utilisation),
            ("facility_usd_per_kw_month", &mut self.facility_usd_per_kw_month),
            ("staff_usd_per_month", &mut self.staff_usd_per_month),
            ("depreciation_years", &mut self.depreciation_years),
            ("salvage_share", &mut self.salvage_share),
            ("discount_rate", &mut self.discount_rate),
            ("server_usd_per_accelerator", &mut self.server_usd_per_accelerator),
            ("networking_share", &mut self.networking_share),
            ("installation_share", &mut self.installation_share),
        ]
    }
}

fn unique<'a>(what: &str, ids: impl Iterator<Item = &'a str>) -> Result<()> {
    let mut seen = BTreeSet::new();
    for id in ids {
        if id.is_empty() {
            return Err(Error::invalid(format!("a {what} has an empty id; give every {what} an id")));
        }
        if !seen.insert(id) {
            return Err(Error::invalid(format!("the {what} id {id:?} appears twice; ids must be unique")));
        }
    }
    Ok(())
}
