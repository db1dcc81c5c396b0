//! Uncertain quantities: a low / base / high estimate and the distribution that
//! turns a uniform draw into a value (docs/model.md, "Distributions").
//!
//! Every uncertain input of the model is an [`Estimate`]. The deterministic solve
//! uses `base`; Monte Carlo trials use [`Estimate::quantile`] of a uniform draw, so
//! Latin hypercube sampling and rank correlation work on the uniform scores alone.

use serde::{Deserialize, Serialize};
use statrs::distribution::{Beta, ContinuousCDF, Normal};

use crate::{Error, Result};

/// The shape given to an estimate's spread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Distribution {
    /// Triangular on [low, high] with mode base.
    Triangular,
    /// Beta-PERT on [low, high] with mode base (weight 4): the default.
    #[default]
    Pert,
    /// Uniform on [low, high]; base is only the deterministic value.
    Uniform,
    /// Normal with mean base and low/high as its P10/P90, cut to [0, infinity).
    TruncatedNormal,
    /// Lognormal with median base and low/high as its P10/P90.
    Lognormal,
}

/// A low / base / high estimate with its distribution.
///
/// ```
/// use packplan_core::model::estimate::{Distribution, Estimate};
/// let e = Estimate::new(10.0, 12.0, 20.0, Distribution::Triangular);
/// assert_eq!(e.quantile(0.0), 10.0);
/// assert_eq!(e.quantile(1.0), 20.0);
/// assert!((e.quantile(0.2) - 12.0).abs() < 1e-9); // the mode sits at F = 0.2
/// assert_eq!(Estimate::fixed(5.0).quantile(0.7), 5.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Estimate {
    pub low: f64,
    pub base: f64,
    pub high: f64,
    #[serde(default, skip_serializing_if = "is_default_distribution")]
    pub distribution: Distribution,
}

fn is_default_distribution(d: &Distribution) -> bool {
    *d == Distribution::Pert
}

/// z of the 90th percentile of the standard normal: P10/P90 are base -/+ 1.2816 sigma.
const Z90: f64 = 1.281_551_565_544_600_4;

impl Estimate {
    pub fn new(low: f64, base: f64, high: f64, distribution: Distribution) -> Estimate {
        Estimate { low, base, high, distribution }
    }

    /// A value without uncertainty.
    pub fn fixed(value: f64) -> Estimate {
        Estimate::new(value, value, value, Distribution::Pert)
    }

    /// True when every draw gives `base`.
    pub fn is_fixed(&self) -> bool {
        self.low == self.high
    }

    /// Checks order and finiteness; `what` names the input in the message.
    pub fn validate(&self, what: &str) -> Result<()> {
        let finite = self.low.is_finite() && self.base.is_finite() && self.high.is_finite();
        if !finite || self.low > self.base || self.base > self.high {
            return Err(Error::invalid(format!(
                "{what}: low {} / base {} / high {} must be numbers with low <= base <= high; fix the input",
                self.low, self.base, self.high
            )));
        }
        if self.distribution == Distribution::Lognormal && self.low <= 0.0 && !self.is_fixed() {
            return Err(Error::invalid(format!(
                "{what}: a lognormal estimate needs low above 0 (it is {}); use another distribution or raise low",
                self.low
            )));
        }
        Ok(())
    }

    /// Scales all three values (a capacity scaled by a scenario, say).
    pub fn scaled(&self, factor: f64) -> Estimate {
        Estimate { low: self.low * factor, base: self.base * factor, high: self.high * factor, ..*self }
    }

    /// Widens (factor > 1) or narrows the spread around base.
    pub fn widened(&self, factor: f64) -> Estimate {
        let low = self.base - (self.base - self.low) * factor;
        Estimate {
            low: if self.low >= 0.0 { low.max(0.0) } else { low },
            high: self.base + (self.high - self.base) * factor,
            ..*self
        }
    }

    /// The value at cumulative probability `u` (0 to 1).
    pub fn quantile(&self, u: f64) -> f64 {
        if self.is_fixed() {
            return self.base;
        }
        let u = u.clamp(0.0, 1.0);
        let (a, m, b) = (self.low, self.base, self.high);
        match self.distribution {
            Distribution::Uniform => a + u * (b - a),
            Distribution::Triangular => {
                let fm = (m - a) / (b - a);
                if u <= fm {
                    a + (u * (b - a) * (m - a)).sqrt()
                } else {
                    b - ((1.0 - u) * (b - a) * (b - m)).sqrt()
                }
            }
            Distribution::Pert => {
                let alpha = 1.0 + 4.0 * (m - a) / (b - a);
                let beta = 1.0 + 4.0 * (b - m) / (b - a);
                match Beta::new(alpha, beta) {
                    Ok(d) => a + d.inverse_cdf(u) * (b - a),
                    Err(_) => m,
                }
            }
            Distribution::TruncatedNormal => {
                let sigma = ((b - a) / (2.0 * Z90)).max(f64::MIN_POSITIVE);
                let Ok(n) = Normal::new(m, sigma) else { return m };
                let lo = n.cdf(0.0);
                n.inverse_cdf((lo + u * (1.0 - lo)).clamp(1e-12, 1.0 - 1e-12)).max(0.0)
            }
            Distribution::Lognormal => {
                let sigma = (b / a).ln() / (2.0 * Z90);
                let z = Normal::standard().inverse_cdf(u.clamp(1e-12, 1.0 - 1e-12));
                m * (sigma * z).exp()
            }
        }
    }

    /// A quantile table for fast repeated sampling (Monte Carlo).
    pub fn sampler(&self) -> Sampler {
        Sampler::new(self)
    }
}

/// A precomputed quantile function: `POINTS` quantiles, linearly interpolated.
/// Exact at the ends and within a small fraction of the spread elsewhere.
#[derive(Debug, Clone)]
pub struct Sampler {
    table: Vec<f64>,
}

impl Sampler {
    const POINTS: usize = 2049;

    fn new(e: &Estimate) -> Sampler {
        if e.is_fixed() {
            return Sampler { table: vec![e.base] };
        }
        let n = Self::POINTS - 1;
        let table = match e.distribution {
            // The Beta quantile function is slow (a root search per call); its table
            // comes from inverting the integrated density instead.
            Distribution::Pert => {
                let (a, m, b) = (e.low, e.base, e.high);
                let alpha = 1.0 + 4.0 * (m - a) / (b - a);
                let beta = 1.0 + 4.0 * (b - m) / (b - a);
                beta_quantiles(alpha, beta, Self::POINTS).into_iter().map(|x| a + x * (b - a)).collect()
            }
            _ => (0..=n).map(|i| e.quantile(i as f64 / n as f64)).collect(),
        };
        Sampler { table }
    }

    pub fn at(&self, u: f64) -> f64 {
        if self.table.len() == 1 {
            return self.table[0];
        }
        let n = (self.table.len() - 1) as f64;
        let x = u.clamp(0.0, 1.0) * n;
        let i = (x.floor() as usize).min(self.table.len() - 2);
        let f = x - i as f64;
        self.table[i] + f * (self.table[i + 1] - self.table[i])
    }
}

/// Intervals of the density grid behind [`beta_quantiles`].
const GRID: usize = 4096;

/// `ln x` and `ln (1 - x)` at the midpoints of the density grid, computed once.
fn grid_logs() -> &'static [(f64, f64)] {
    static LOGS: std::sync::OnceLock<Vec<(f64, f64)>> = std::sync::OnceLock::new();
    LOGS.get_or_init(|| {
        (0..GRID)
            .map(|i| {
                let x = (i as f64 + 0.5) / GRID as f64;
                (x.ln(), (1.0 - x).ln())
            })
            .collect()
    })
}

/// `points` quantiles of Beta(alpha, beta) at u = 0, 1/(points-1), ..., 1, for
/// alpha, beta >= 1 (PERT's shapes): the density is integrated by the midpoint
/// rule on a 4,096-interval grid, and the cumulative curve is inverted linearly
/// within an interval. Exact at both ends; within about 1e-6 of the spread elsewhere.
fn beta_quantiles(alpha: f64, beta: f64, points: usize) -> Vec<f64> {
    let mut cdf = Vec::with_capacity(GRID + 1);
    cdf.push(0.0);
    let mut total = 0.0;
    for (lx, l1x) in grid_logs() {
        total += ((alpha - 1.0) * lx + (beta - 1.0) * l1x).exp();
        cdf.push(total);
    }
    let h = 1.0 / GRID as f64;
    let n = (points - 1) as f64;
    let mut i = 0;
    (0..points)
        .map(|k| {
            if k + 1 == points {
                return 1.0; // the top of the range, whatever rounding left in the last intervals
            }
            let target = total * k as f64 / n;
            while i + 1 < GRID && cdf[i + 1] < target {
                i += 1;
            }
            let width = cdf[i + 1] - cdf[i];
            let f = if width > 0.0 { ((target - cdf[i]) / width).clamp(0.0, 1.0) } else { 0.0 };
            ((i as f64 + f) * h).clamp(0.0, 1.0)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> [Distribution; 5] {
        [
            Distribution::Triangular,
            Distribution::Pert,
            Distribution::Uniform,
            Distribution::TruncatedNormal,
            Distribution::Lognormal,
        ]
    }

    #[test]
    fn quantiles_are_monotone_and_centred_on_base() {
        for d in all() {
            let e = Estimate::new(80.0, 100.0, 130.0, d);
            let mut last = f64::NEG_INFINITY;
            for i in 0..=100 {
                let q = e.quantile(i as f64 / 100.0);
                assert!(q >= last - 1e-9, "{d:?} not monotone at {i}");
                last = q;
            }
            let median = e.quantile(0.5);
            assert!((70.0..=140.0).contains(&median), "{d:?} median {median}");
        }
        // normal and lognormal: low and high are the P10 and P90
        let n = Estimate::new(80.0, 100.0, 120.0, Distribution::TruncatedNormal);
        assert!((n.quantile(0.9) - 120.0).abs() < 0.5);
        let l = Estimate::new(50.0, 100.0, 200.0, Distribution::Lognormal);
        assert!((l.quantile(0.1) - 50.0).abs() < 0.5 && (l.quantile(0.9) - 200.0).abs() < 1.0);
    }

    #[test]
    fn sampler_matches_the_quantile_function() {
        for d in all() {
            let e = Estimate::new(10.0, 14.0, 30.0, d);
            let s = e.sampler();
            for i in 1..100 {
                let u = i as f64 / 100.0 + 0.003;
                assert!((s.at(u) - e.quantile(u)).abs() < 0.05, "{d:?} at {u}");
            }
        }
    }

    #[test]
    fn pert_tables_match_the_beta_quantile_function() {
        // skewed both ways, symmetric, and the mode at either end
        for (low, base, high) in
            [(10.0, 14.0, 30.0), (0.0, 5.0, 10.0), (1.0, 1.0, 2.0), (1.0, 2.0, 2.0), (5.0, 5.9, 6.0)]
        {
            let e = Estimate::new(low, base, high, Distribution::Pert);
            let s = e.sampler();
            assert_eq!(s.at(0.0), low);
            assert_eq!(s.at(1.0), high);
            let worst = (1..2048)
                .map(|i| {
                    let u = i as f64 / 2048.0;
                    (s.at(u) - e.quantile(u)).abs() / (high - low)
                })
                .fold(0.0, f64::max);
            assert!(worst < 1e-5, "{low}/{base}/{high}: off by {worst:e} of the spread");
        }
    }

    #[test]
    fn validation_names_the_input() {
        let err = Estimate::new(3.0, 2.0, 4.0, Distribution::Pert).validate("yield of b300").unwrap_err();
        assert!(err.to_string().contains("yield of b300"));
    }
}
