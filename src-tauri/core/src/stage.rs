//! The supply-chain stage of a technology: a leaf value, defined once. The bundle
//! schema's allowed values for `technologies.stage` are [`Stage::NAMES`], the model
//! reads the column with [`FromStr`](std::str::FromStr), and nothing maps an unknown
//! word to a stage silently.

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// Where in the supply chain a technology sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Advanced packaging: CoWoS, CoPoS, SoIC.
    Packaging,
    /// Memory stacks: HBM.
    Memory,
    /// Package substrates: ABF.
    Substrate,
    /// Logic wafers: the compute dies.
    Logic,
    /// Other materials and parts.
    Material,
}

impl Stage {
    /// Every stage, in the order reports list them.
    pub const ALL: [Stage; 5] = [Stage::Packaging, Stage::Memory, Stage::Substrate, Stage::Logic, Stage::Material];

    /// The words the bundle schema accepts, one per stage.
    pub const NAMES: [&'static str; 5] = {
        let mut names = [""; 5];
        let mut i = 0;
        while i < Stage::ALL.len() {
            names[i] = Stage::ALL[i].as_str();
            i += 1;
        }
        names
    };

    pub const fn as_str(self) -> &'static str {
        match self {
            Stage::Packaging => "packaging",
            Stage::Memory => "memory",
            Stage::Substrate => "substrate",
            Stage::Logic => "logic",
            Stage::Material => "material",
        }
    }
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Stage {
    type Err = Error;
    fn from_str(text: &str) -> Result<Stage> {
        Stage::ALL
            .into_iter()
            .find(|s| s.as_str() == text.trim())
            .ok_or_else(|| Error::invalid(format!("{text:?} is not a stage; use one of {}", Stage::NAMES.join(", "))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_back_and_nothing_else_does() {
        for (stage, name) in Stage::ALL.iter().zip(Stage::NAMES) {
            assert_eq!(name.parse::<Stage>().unwrap(), *stage);
            assert_eq!(serde_json::to_string(stage).unwrap(), format!("\"{name}\""));
        }
        assert!("test".parse::<Stage>().unwrap_err().message().contains("use one of packaging, memory"));
    }
}
