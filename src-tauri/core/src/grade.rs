//! How far a figure can be trusted, as the source's grade: a leaf value, defined
//! once. The bundle schema's allowed values for `confidence` are [`Grade::NAMES`].

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// A source's grade (docs/bundle-format.md, `capacity_observations.confidence`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Grade {
    /// Primary or official: the company's own filing, call or release.
    A,
    /// Trade press or research house.
    B,
    /// Aggregator or secondary report: a range check, not a figure to plan on.
    C,
}

impl Grade {
    pub const ALL: [Grade; 3] = [Grade::A, Grade::B, Grade::C];

    /// The words the bundle schema accepts.
    pub const NAMES: [&'static str; 3] = ["A", "B", "C"];

    pub const fn as_str(self) -> &'static str {
        Grade::NAMES[self as usize]
    }
}

impl std::str::FromStr for Grade {
    type Err = Error;
    fn from_str(text: &str) -> Result<Grade> {
        Grade::ALL
            .into_iter()
            .find(|g| g.as_str() == text.trim())
            .ok_or_else(|| Error::invalid(format!("{text:?} is not a grade; use one of {}", Grade::NAMES.join(", "))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_back() {
        for (grade, name) in Grade::ALL.iter().zip(Grade::NAMES) {
            assert_eq!(name.parse::<Grade>().unwrap(), *grade);
            assert_eq!(grade.as_str(), name);
        }
        assert!("D".parse::<Grade>().is_err());
    }
}
