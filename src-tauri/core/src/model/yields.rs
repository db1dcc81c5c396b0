//! Die yield: the share of good logic dies from die area and defect density, by the
//! four classic models (docs/model.md, "Yields"). Known-good packages then follow
//! from the route's assembly yield.

use serde::{Deserialize, Serialize};

/// Which die-yield model to use. `A` is the die area in cm², `D` the defect density
/// per cm², `α` the clustering parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum YieldModel {
    /// `Y = exp(-A·D)`: random, unclustered defects (the most pessimistic).
    Poisson,
    /// `Y = ((1 - exp(-A·D)) / (A·D))²`.
    Murphy,
    /// `Y = 1 / (1 + A·D)`.
    Seeds,
    /// `Y = (1 + A·D/α)^(-α)`: clustered defects; the industry's usual choice.
    #[default]
    NegativeBinomial,
}

impl YieldModel {
    pub const ALL: [YieldModel; 4] =
        [YieldModel::Poisson, YieldModel::Murphy, YieldModel::Seeds, YieldModel::NegativeBinomial];

    /// Die yield for a die of `area_mm2` at `defects_per_cm2`, clustering `alpha`.
    ///
    /// ```
    /// use packplan_core::model::yields::YieldModel;
    /// // an 800 mm² die at 0.1 defects/cm²: A·D = 0.8
    /// assert!((YieldModel::Poisson.die_yield(800.0, 0.1, 2.0) - (-0.8f64).exp()).abs() < 1e-12);
    /// assert!((YieldModel::Seeds.die_yield(800.0, 0.1, 2.0) - 1.0 / 1.8).abs() < 1e-12);
    /// assert!((YieldModel::NegativeBinomial.die_yield(800.0, 0.1, 2.0) - 1.0 / 1.4f64.powi(2)).abs() < 1e-12);
    /// ```
    pub fn die_yield(self, area_mm2: f64, defects_per_cm2: f64, alpha: f64) -> f64 {
        let ad = (area_mm2 / 100.0) * defects_per_cm2.max(0.0);
        if ad <= 0.0 {
            return 1.0;
        }
        match self {
            YieldModel::Poisson => (-ad).exp(),
            YieldModel::Murphy => ((1.0 - (-ad).exp()) / ad).powi(2),
            YieldModel::Seeds => 1.0 / (1.0 + ad),
            YieldModel::NegativeBinomial => (1.0 + ad / alpha.max(1e-9)).powf(-alpha.max(1e-9)),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            YieldModel::Poisson => "Poisson",
            YieldModel::Murphy => "Murphy",
            YieldModel::Seeds => "Seeds",
            YieldModel::NegativeBinomial => "negative binomial",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn models_order_as_theory_says() {
        // for the same A·D: Poisson <= Murphy <= Seeds, and negative binomial runs
        // from Poisson (alpha -> infinity) to Seeds (alpha = 1)
        for ad in [0.1, 0.5, 0.8, 1.5, 3.0] {
            let area = ad * 100.0;
            let p = YieldModel::Poisson.die_yield(area, 1.0, 2.0);
            let m = YieldModel::Murphy.die_yield(area, 1.0, 2.0);
            let s = YieldModel::Seeds.die_yield(area, 1.0, 2.0);
            assert!(p < m && m < s, "A·D {ad}: {p} {m} {s}");
            assert!((YieldModel::NegativeBinomial.die_yield(area, 1.0, 1.0) - s).abs() < 1e-12);
            assert!((YieldModel::NegativeBinomial.die_yield(area, 1.0, 1e7) - p).abs() < 1e-5);
        }
        for m in YieldModel::ALL {
            assert_eq!(m.die_yield(800.0, 0.0, 2.0), 1.0);
        }
    }
}
