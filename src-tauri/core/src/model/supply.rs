//! Supply: monthly capacity of every technology at every facility, from the
//! capacity observations, and the pools it is shared out in by the allocations
//! (docs/model.md, "Supply").
//!
//! - Observations of one facility and technology form a [`Series`]. Several
//!   observations of the same month are combined by vintage ([`combine`]): a
//!   publisher's newest figure supersedes its older ones, the rest are weighted by
//!   grade and recency; low = the lowest low and high = the highest high of those
//!   kept, so disagreement between sources widens the uncertainty instead of vanishing.
//! - Between observation months capacity ramps linearly; after the last it stays
//!   flat. Before the first there is a ramp from zero: it starts at the technology's
//!   `first_month` (the first month of volume output) or, when the data gives none,
//!   `ramp` months before the first observation, and rises linearly to the first
//!   observation's value over `ramp` months (default 9). Nothing exists before the
//!   ramp starts, so no stock can pile up in months before a technology existed.
//!   In a Monte Carlo trial the series takes one draw `u` and every point its
//!   `u`-quantile, so the ramp moves as a whole.
//! - Outages (scenario) and disruptions (Monte Carlo events) remove a share of a
//!   facility's capacity for some months.

use std::collections::BTreeMap;

use super::estimate::{Estimate, Sampler};
use super::input::{Allocation, Allotted, CapacityObservation, ModelInput};
use super::uncertain::{Draw, Slot};
use crate::grade::Grade;
use crate::month::Month;

/// One point of a series.
#[derive(Debug, Clone)]
pub struct SeriesPoint {
    pub month: Month,
    pub value: Estimate,
    /// Sources of the observations combined into this point.
    pub sources: Vec<String>,
    pub datasets: Vec<String>,
    sampler: Option<Sampler>,
}

/// Capacity of one technology at one facility over time.
#[derive(Debug, Clone)]
pub struct Series {
    pub facility: String,
    pub technology: String,
    pub points: Vec<SeriesPoint>,
    /// The month the ramp to the first point starts (nothing before it).
    pub ramp_start: Month,
    /// Months from zero to the first point's value.
    pub ramp_months: u32,
}

/// Builds the series of an input, in (technology, facility) order.
pub fn series(input: &ModelInput) -> Vec<Series> {
    let mut grouped: BTreeMap<(&str, &str), BTreeMap<Month, Vec<&super::input::CapacityObservation>>> = BTreeMap::new();
    for c in &input.capacity {
        grouped.entry((c.technology.as_str(), c.facility.as_str())).or_default().entry(c.month).or_default().push(c);
    }
    grouped
        .into_iter()
        .map(|((technology, facility), months)| {
            let first = months.keys().next().copied().unwrap_or(input.start);
            let tech = input.technology(technology);
            let ramp_months = tech.map_or(super::input::DEFAULT_RAMP_MONTHS, |t| t.ramp());
            let ramp_start = tech.and_then(|t| t.first_month).unwrap_or(first.plus(-(ramp_months as i32))).min(first);
            Series {
                facility: facility.to_string(),
                technology: technology.to_string(),
                ramp_start,
                ramp_months,
                points: months
                    .into_iter()
                    .map(|(month, obs)| {
                        let (value, kept) = combine(&obs);
                        let mut sources: Vec<String> = kept.iter().map(|o| o.source.clone()).collect();
                        sources.dedup();
                        let mut datasets: Vec<String> =
                            kept.iter().map(|o| o.dataset.clone()).filter(|d| !d.is_empty()).collect();
                        datasets.sort();
                        datasets.dedup();
                        SeriesPoint { month, value, sources, datasets, sampler: None }
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Weight of a grade in the base value: A 1, B 0.5, C 0 (a C figure only widens the band).
fn grade_weight(g: Grade) -> f64 {
    match g {
        Grade::A => 1.0,
        Grade::B => 0.5,
        Grade::C => 0.0,
    }
}

/// Months for a figure's weight to halve with age.
pub const HALF_LIFE_MONTHS: f64 = 12.0;

/// The month of an `as_of` date (`YYYY-MM-DD`), if it has one.
fn as_of_month(as_of: &str) -> Option<Month> {
    as_of.get(..7).and_then(|m| m.parse().ok())
}

/// Combines the observations of one facility, technology and month, by vintage
/// (docs/model.md, section 3): a publisher's newest figure supersedes its older ones;
/// the survivors' base values are averaged with weights grade x recency (half-life
/// 12 months, counted back from the newest survivor), or equally when all are grade
/// C; the band runs from the lowest low to the highest high of the survivors.
/// Returns the estimate and the observations it keeps.
pub fn combine<'a>(obs: &[&'a CapacityObservation]) -> (Estimate, Vec<&'a CapacityObservation>) {
    let publisher = |o: &CapacityObservation| o.publisher.clone().unwrap_or_else(|| o.source.clone());
    let kept: Vec<&CapacityObservation> = obs
        .iter()
        .copied()
        .filter(|o| !obs.iter().any(|p| publisher(p) == publisher(o) && p.as_of > o.as_of))
        .collect();
    let newest = kept.iter().filter_map(|o| as_of_month(&o.as_of)).max();
    let weight = |o: &CapacityObservation| {
        let age = match (newest, as_of_month(&o.as_of)) {
            (Some(n), Some(m)) => m.months_until(n).max(0) as f64,
            _ => 0.0,
        };
        grade_weight(o.confidence) * 0.5f64.powf(age / HALF_LIFE_MONTHS)
    };
    let mut weights: Vec<f64> = kept.iter().map(|o| weight(o)).collect();
    if weights.iter().sum::<f64>() <= 0.0 {
        weights = vec![1.0; kept.len()];
    }
    let total: f64 = weights.iter().sum();
    let base = kept.iter().zip(&weights).map(|(o, w)| o.value.base * w).sum::<f64>() / total;
    let low = kept.iter().map(|o| o.value.low).fold(f64::INFINITY, f64::min);
    let high = kept.iter().map(|o| o.value.high).fold(f64::NEG_INFINITY, f64::max);
    let value = Estimate { low: low.min(base), base, high: high.max(base), distribution: kept[0].value.distribution };
    (value, kept)
}

/// Prepares quantile tables on every point, for fast Monte Carlo draws.
pub fn prepare_samplers(series: &mut [Series]) {
    for s in series {
        for p in &mut s.points {
            if !p.value.is_fixed() {
                p.sampler = Some(p.value.sampler());
            }
        }
    }
}

impl Series {
    /// The capacity at `month` with the series' draw `u` (`None`: base).
    pub fn value(&self, month: Month, u: Option<f64>) -> f64 {
        let at = |p: &SeriesPoint| match u {
            None => p.value.base,
            Some(u) => match &p.sampler {
                Some(s) => s.at(u),
                None => p.value.quantile(u),
            },
        };
        let points = &self.points;
        let Some(first) = points.first() else { return 0.0 };
        if month < self.ramp_start {
            return 0.0;
        }
        if month < first.month {
            let progress = self.ramp_start.months_until(month) as f64 / self.ramp_months as f64;
            return at(first) * progress.min(1.0);
        }
        if month == first.month {
            return at(first);
        }
        for w in points.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            if month <= b.month {
                let f = a.month.months_until(month) as f64 / a.month.months_until(b.month) as f64;
                return at(a) + f * (at(b) - at(a));
            }
        }
        points.last().map(at).unwrap_or(0.0)
    }
}

/// A share of one technology's capacity: a named customer's, or what no
/// allocation claims (`customer: None`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pool {
    pub technology: String,
    pub customer: Option<String>,
}

impl Pool {
    /// The pool's id in the program and in scenario overrides: `hbm3e (NVIDIA)`.
    pub fn label(&self) -> String {
        match &self.customer {
            Some(c) => format!("{} ({c})", self.technology),
            None => self.technology.clone(),
        }
    }

    /// The pool as the user reads it: the technology's name and whose share it is
    /// ("HBM3E at NVIDIA's allocation"; "HBM3E, unallocated" when others hold
    /// allocations of it; "HBM3E" when no one does).
    pub fn name(&self, input: &ModelInput) -> String {
        let technology = input.technology(&self.technology).map_or(self.technology.as_str(), |t| t.name.as_str());
        match &self.customer {
            Some(c) => format!("{technology} at {c}'s allocation"),
            None if input.allocations.iter().any(|a| a.technology == self.technology) => {
                format!("{technology}, unallocated")
            }
            None => technology.to_string(),
        }
    }
}

/// The pool a product draws on for a technology: its vendor's allocation if there
/// is one for that technology, otherwise the unallocated remainder.
pub fn pool_for(input: &ModelInput, technology: &str, vendor: &str) -> Pool {
    let allocated = input.allocations.iter().any(|a| a.technology == technology && a.customer == vendor);
    Pool { technology: technology.to_string(), customer: allocated.then(|| vendor.to_string()) }
}

/// The family pool a route on `technology` also draws on: its family, when some
/// allocation names that family (an allocation of a family is a share of its
/// members' capacity together, docs/model.md, section 4).
pub fn family_of<'a>(input: &'a ModelInput, technology: &str) -> Option<&'a str> {
    let family = input.technology(technology)?.family.as_deref()?;
    input.allocations.iter().any(|a| a.technology == family).then_some(family)
}

/// The technologies whose family is `family` (empty when none are).
pub fn members<'a>(input: &'a ModelInput, family: &str) -> Vec<&'a str> {
    input.technologies.iter().filter(|t| t.family.as_deref() == Some(family)).map(|t| t.id.as_str()).collect()
}

/// Monthly capacity per technology over `[from, from + months)`, after outages and
/// the disruptions that happen in this draw.
pub struct Capacity {
    pub from: Month,
    pub months: usize,
    /// technology id -> capacity per month (summed over facilities)
    pub by_technology: BTreeMap<String, Vec<f64>>,
    /// (technology, facility) -> capacity per month
    pub by_facility: BTreeMap<(String, String), Vec<f64>>,
}

impl Capacity {
    pub fn compute(input: &ModelInput, series: &[Series], draw: &Draw, from: Month, months: usize) -> Capacity {
        let regions = input.regions();
        let mut by_technology: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        let mut by_facility = BTreeMap::new();
        // the disruptions that happen in this draw, as (start, end, share, disruption)
        let mut events = Vec::new();
        for (i, d) in input.disruptions.iter().enumerate() {
            let Some(u) = draw.uniform(Slot::DisruptionHappens(i)) else { continue };
            if u >= d.probability {
                continue;
            }
            let span = d.start_from.months_until(d.start_to);
            let offset = draw
                .uniform(Slot::DisruptionStart(i))
                .map(|v| ((v * (span + 1) as f64).floor() as i32).min(span))
                .unwrap_or(0);
            let start = d.start_from.plus(offset);
            events.push((start, start.plus(d.duration_months as i32), d.share_lost, d));
        }
        for (i, s) in series.iter().enumerate() {
            let u = draw.uniform(Slot::Series(i));
            let region = regions.get(s.facility.as_str()).copied();
            let mut values = Vec::with_capacity(months);
            for m in 0..months {
                let month = from.plus(m as i32);
                let mut v = s.value(month, u).max(0.0);
                for o in &input.outages {
                    if o.facility == s.facility && o.from <= month && month <= o.to {
                        v *= 1.0 - o.share_lost;
                    }
                }
                for (start, end, share, d) in &events {
                    let hits_site =
                        d.facilities.contains(&s.facility) || (d.region.is_some() && d.region.as_deref() == region);
                    let hits_tech = d.technologies.is_empty() || d.technologies.contains(&s.technology);
                    if hits_site && hits_tech && *start <= month && month < *end {
                        v *= 1.0 - share;
                    }
                }
                values.push(v);
            }
            let total = by_technology.entry(s.technology.clone()).or_insert_with(|| vec![0.0; months]);
            for (t, v) in total.iter_mut().zip(&values) {
                *t += v;
            }
            by_facility.insert((s.technology.clone(), s.facility.clone()), values);
        }
        Capacity { from, months, by_technology, by_facility }
    }

    /// Capacity of a technology in `month` (0 outside the range or without data).
    pub fn of(&self, technology: &str, month: Month) -> f64 {
        let i = self.from.months_until(month);
        if i < 0 || i as usize >= self.months {
            return 0.0;
        }
        self.by_technology.get(technology).map(|v| v[i as usize]).unwrap_or(0.0)
    }

    /// Capacity of a technology in `month` that counts for `customer`: the output
    /// of the facilities qualified for it by then when a qualification restricts
    /// it ([`ModelInput::qualified_from`]), else all of it (and all of it for the
    /// unallocated pool, `customer: None`).
    pub fn counting_for(&self, input: &ModelInput, technology: &str, customer: Option<&str>, month: Month) -> f64 {
        self.counting(input, technology, customer).at(month)
    }

    /// What of `technology` counts for `customer`, worked out once for every month
    /// (the Monte Carlo asks for each pool's months in every trial).
    pub fn counting<'c>(&'c self, input: &ModelInput, technology: &str, customer: Option<&str>) -> Counting<'c> {
        let qualified = customer.filter(|c| input.restricts(c, technology)).map(|customer| {
            // the technology's facilities are one contiguous range of the map
            self.by_facility
                .range((technology.to_string(), String::new())..)
                .take_while(|((t, _), _)| t == technology)
                .filter_map(|((_, f), v)| Some((v.as_slice(), input.qualified_from(customer, technology, f)?)))
                .collect()
        });
        Counting { capacity: self, all: self.by_technology.get(technology).map(|v| v.as_slice()), qualified }
    }
}

/// A technology's capacity as it counts for one customer (see [`Capacity::counting`]).
pub struct Counting<'c> {
    capacity: &'c Capacity,
    all: Option<&'c [f64]>,
    /// The qualified facilities' series and the month each counts from (`None`: all count).
    qualified: Option<Vec<(&'c [f64], Month)>>,
}

impl Counting<'_> {
    /// The capacity that counts in `month` (0 outside the range or without data).
    pub fn at(&self, month: Month) -> f64 {
        let i = self.capacity.from.months_until(month);
        if i < 0 || i as usize >= self.capacity.months {
            return 0.0;
        }
        let i = i as usize;
        match &self.qualified {
            None => self.all.map(|v| v[i]).unwrap_or(0.0),
            Some(facilities) => facilities.iter().filter(|(_, from)| *from <= month).map(|(v, _)| v[i]).sum(),
        }
    }
}

/// What a pool holds in `month`, given the capacity that counts for its
/// customer (`own`: the qualified facilities' output, docs/model.md section 3)
/// and for everyone (`total`).
///
/// Each allocated customer claims what its allocation row active then (or the
/// nearest one in time) states: a share of `total`, or a volume a month. When
/// the claims exceed `total`, every claim is cut in the same proportion (pro
/// rata), so the pools never hold more than the capacity. A customer's pool is
/// its claim after the cut, taken from its own capacity: a share of `own`, a
/// volume up to `own`. The unallocated pool holds what the claims leave.
pub fn pool_amount(input: &ModelInput, draw: &Draw, pool: &Pool, month: Month, own: f64, total: f64) -> f64 {
    let claim_of = |customer: &str| -> Option<(f64, bool)> {
        let distance = |a: &Allocation| -> i32 {
            if month < a.from {
                month.months_until(a.from)
            } else {
                match a.to {
                    Some(to) if month > to => to.months_until(month),
                    _ => 0,
                }
            }
        };
        // active rows first (distance 0), the latest start winning; else the nearest
        input
            .allocations
            .iter()
            .enumerate()
            .filter(|(_, a)| a.technology == pool.technology && a.customer == customer)
            .min_by(|(_, a), (_, b)| distance(a).cmp(&distance(b)).then(b.from.cmp(&a.from)))
            .map(|(i, a)| {
                let value = draw.value(Slot::Allocation(i), a.amount.estimate());
                (value, matches!(a.amount, Allotted::Share(_)))
            })
    };
    let mut customers: Vec<&str> =
        input.allocations.iter().filter(|a| a.technology == pool.technology).map(|a| a.customer.as_str()).collect();
    customers.sort();
    customers.dedup();
    let claimed: f64 = customers
        .iter()
        .filter_map(|c| claim_of(c))
        .map(|(value, share)| if share { value * total } else { value })
        .sum();
    let cut = if claimed > total && claimed > 0.0 { total / claimed } else { 1.0 };
    match &pool.customer {
        Some(c) => match claim_of(c) {
            Some((share, true)) => share * cut * own,
            Some((volume, false)) => (volume * cut).min(own),
            None => 0.0,
        },
        None => (total - claimed * cut).max(0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(month: &str, low: f64, base: f64, high: f64) -> SeriesPoint {
        SeriesPoint {
            month: month.parse().unwrap(),
            value: Estimate::new(low, base, high, Default::default()),
            sources: vec![],
            datasets: vec![],
            sampler: None,
        }
    }

    #[test]
    fn ramps_linearly_and_stays_flat_outside() {
        let s = Series {
            facility: "f".into(),
            technology: "t".into(),
            points: vec![point("2026-01", 0.0, 0.0, 0.0), point("2026-05", 80.0, 100.0, 120.0)],
            ramp_start: "2025-04".parse().unwrap(),
            ramp_months: 9,
        };
        let at = |m: &str, u| s.value(m.parse().unwrap(), u);
        assert_eq!(at("2025-06", None), 0.0);
        assert_eq!(at("2026-03", None), 50.0);
        assert_eq!(at("2026-05", None), 100.0);
        assert_eq!(at("2030-01", None), 100.0);
        assert_eq!(at("2026-03", Some(1.0)), 60.0);
        assert_eq!(at("2026-03", Some(0.0)), 40.0);
    }

    #[test]
    fn nothing_exists_before_the_ramp_which_rises_from_zero_to_the_first_observation() {
        let s = Series {
            facility: "f".into(),
            technology: "t".into(),
            points: vec![point("2026-12", 600.0, 655.2, 700.0), point("2027-12", 1500.0, 1703.5, 1900.0)],
            ramp_start: "2026-02".parse().unwrap(),
            ramp_months: 9,
        };
        let at = |m: &str| s.value(m.parse().unwrap(), None);
        assert_eq!(at("2025-06"), 0.0);
        assert_eq!(at("2026-01"), 0.0);
        // three of nine months into the ramp: a third of the rate
        assert!((at("2026-05") - 655.2 / 3.0).abs() < 1e-9);
        // the ramp is complete (2026-11) before the first observation: flat until it
        assert_eq!(at("2026-11"), 655.2);
        assert_eq!(at("2026-12"), 655.2);
    }

    fn observed(base: f64, source: &str, publisher: &str, as_of: &str, grade: Grade) -> CapacityObservation {
        CapacityObservation {
            facility: "tsmc-cowos".into(),
            technology: "cowos-l".into(),
            month: "2026-12".parse().unwrap(),
            value: Estimate::new(base * 0.96, base, base * 1.04, Default::default()),
            source: source.into(),
            as_of: as_of.into(),
            dataset: "d".into(),
            confidence: grade,
            publisher: (!publisher.is_empty()).then(|| publisher.into()),
        }
    }

    #[test]
    fn a_publishers_newer_figure_supersedes_its_older_one_and_the_rest_weigh_by_grade_and_age() {
        let old_ms = observed(69_375.0, "Morgan Stanley mid-2025", "Morgan Stanley", "2025-07-15", Grade::C);
        let digitimes = observed(66_000.0, "DIGITIMES Research", "", "2025-06-28", Grade::B);
        let jpm = observed(71_250.0, "JPMorgan Sep 2025", "JPMorgan", "2025-09-15", Grade::C);
        let new_ms = observed(93_750.0, "Morgan Stanley Nov 2025", "Morgan Stanley", "2025-12-08", Grade::B);
        let (value, kept) = combine(&[&old_ms, &digitimes, &jpm, &new_ms]);
        let kept: Vec<&str> = kept.iter().map(|o| o.source.as_str()).collect();
        assert_eq!(kept, ["DIGITIMES Research", "JPMorgan Sep 2025", "Morgan Stanley Nov 2025"]);
        // B weighs 0.5, halved every 12 months back from the newest (DIGITIMES: 6 months older); C only widens the band
        let w = 0.5 * 0.5f64.powf(6.0 / 12.0);
        let expected = (66_000.0 * w + 93_750.0 * 0.5) / (w + 0.5);
        assert!((value.base - expected).abs() < 1e-6, "{} against {expected}", value.base);
        assert_eq!((value.low, value.high), (66_000.0 * 0.96, 93_750.0 * 1.04));
        // the superseded figure changes nothing, whatever it says
        let wild = observed(1.0, "Morgan Stanley mid-2025", "Morgan Stanley", "2025-07-15", Grade::A);
        assert_eq!(combine(&[&wild, &digitimes, &jpm, &new_ms]).0, value);
        // all grade C: equal weights
        let (only_c, _) = combine(&[&jpm, &old_ms]);
        assert!((only_c.base - (71_250.0 + 69_375.0) / 2.0).abs() < 1e-6);
    }
}
