//! The charts Packplan draws, as a type: each [`ChartKind`] has its id (what the CLI
//! and the UI name it by), its title and what it needs from a run; the catalogue has
//! one function per kind.

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// What a chart needs from the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Needs {
    /// The deterministic run.
    Run,
    /// Monte Carlo trials.
    MonteCarlo,
    /// The tornado.
    Sensitivity,
    /// A second scenario to compare with.
    Comparison,
}

/// One chart of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
pub enum ChartKind {
    Capacity,
    CapacityCarriers,
    Units,
    Fan,
    Completion,
    Tco,
    CostPerHour,
    Tornado,
    Concentration,
    WaferVsPanel,
    Compare,
}

/// A chart kind as `packplan chart list` shows it.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ChartEntry {
    pub id: &'static str,
    pub title: &'static str,
    pub needs: Needs,
}

impl ChartKind {
    /// Every chart, in the order `packplan chart list` shows them.
    pub const ALL: [ChartKind; 11] = [
        ChartKind::Capacity,
        ChartKind::CapacityCarriers,
        ChartKind::Units,
        ChartKind::Fan,
        ChartKind::Completion,
        ChartKind::Tco,
        ChartKind::CostPerHour,
        ChartKind::Tornado,
        ChartKind::Concentration,
        ChartKind::WaferVsPanel,
        ChartKind::Compare,
    ];

    /// The id the CLI and the UI name the chart by.
    pub const fn id(self) -> &'static str {
        match self {
            ChartKind::Capacity => "capacity",
            ChartKind::CapacityCarriers => "capacity-carriers",
            ChartKind::Units => "units",
            ChartKind::Fan => "fan",
            ChartKind::Completion => "completion",
            ChartKind::Tco => "tco",
            ChartKind::CostPerHour => "cost-per-hour",
            ChartKind::Tornado => "tornado",
            ChartKind::Concentration => "concentration",
            ChartKind::WaferVsPanel => "wafer-vs-panel",
            ChartKind::Compare => "compare",
        }
    }

    pub const fn title(self) -> &'static str {
        match self {
            ChartKind::Capacity => "Packaging capacity by technology and supplier, in accelerator equivalents",
            ChartKind::CapacityCarriers => "Packaging capacity by technology and supplier, in wafers and panels",
            ChartKind::Units => "Units per product per month, with the bottleneck timeline",
            ChartKind::Fan => "Monte Carlo fan chart of a product's output",
            ChartKind::Completion => "Order completion probability",
            ChartKind::Tco => "Cumulative cost: on premises against the cloud",
            ChartKind::CostPerHour => "Cost per GPU-hour, broken down",
            ChartKind::Tornado => "Tornado: what moves the order's product output",
            ChartKind::Concentration => "Supplier concentration (HHI) by technology",
            ChartKind::WaferVsPanel => "Wafer against panel: the CoPoS story",
            ChartKind::Compare => "Scenario comparison",
        }
    }

    pub const fn needs(self) -> Needs {
        match self {
            ChartKind::Fan | ChartKind::Completion => Needs::MonteCarlo,
            ChartKind::Tornado => Needs::Sensitivity,
            ChartKind::Compare => Needs::Comparison,
            _ => Needs::Run,
        }
    }

    /// The catalogue as `packplan chart list` prints it.
    pub fn entries() -> Vec<ChartEntry> {
        ChartKind::ALL.iter().map(|k| ChartEntry { id: k.id(), title: k.title(), needs: k.needs() }).collect()
    }
}

impl std::fmt::Display for ChartKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

impl std::str::FromStr for ChartKind {
    type Err = Error;
    fn from_str(id: &str) -> Result<ChartKind> {
        ChartKind::ALL.into_iter().find(|k| k.id() == id.trim()).ok_or_else(|| {
            Error::invalid(format!(
                "there is no chart {id:?}; the charts are: {}",
                ChartKind::ALL.iter().map(|k| k.id()).collect::<Vec<_>>().join(", ")
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_back_and_serialise_as_themselves() {
        for k in ChartKind::ALL {
            assert_eq!(k.id().parse::<ChartKind>().unwrap(), k);
            assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{}\"", k.id()));
        }
        assert!("pie".parse::<ChartKind>().unwrap_err().message().contains("the charts are: capacity"));
    }
}
