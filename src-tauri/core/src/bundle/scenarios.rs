//! `scenarios.json`, the file a bundle carries its scenarios in: a list of objects,
//! each with a name (unique without regard to case, not Baseline, at most 80
//! characters, no control characters), a description and a list of overrides.
//! This layer reads the file's shape; what each override means is the model's
//! (`model::scenario::Scenario::from_entry`), since overrides name model inputs.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::tables::{Place, Problem};
use crate::printable::printable;

/// The file's name inside a bundle.
pub const FILE: &str = "scenarios.json";

/// One scenario as the file holds it; its overrides are read by the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioEntry {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub overrides: Vec<Value>,
}

/// Reads `scenarios.json`: every problem is located in the file.
pub fn parse(bytes: &[u8]) -> Result<Vec<ScenarioEntry>, Problem> {
    let list: Vec<ScenarioEntry> = serde_json::from_slice(bytes).map_err(|e| {
        problem(
            e.line() as u64,
            e.column() as u64,
            format!("not a list of scenarios as docs/bundle-format.md describes: {e}"),
        )
    })?;
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::with_capacity(list.len());
    for mut s in list {
        s.name = printable(s.name.trim());
        if s.name.is_empty() || s.name.eq_ignore_ascii_case("baseline") || s.name.chars().count() > 80 {
            return Err(problem(
                1,
                1,
                format!(
                    "the scenario name {:?} is not allowed: give each scenario a name of 1 to 80 characters other than Baseline",
                    s.name
                ),
            ));
        }
        if !seen.insert(s.name.to_ascii_lowercase()) {
            return Err(problem(1, 1, format!("the scenario {:?} appears twice; names must be unique", s.name)));
        }
        out.push(s);
    }
    Ok(out)
}

/// A problem located in `scenarios.json`.
pub fn problem(line: u64, column: u64, message: String) -> Problem {
    Place::Csv(FILE.into()).problem(line, column, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked_and_overrides_left_to_the_model() {
        let ok = parse(br#"[{"name": " Late HBM ", "overrides": [{"kind": "anything"}]}]"#).unwrap();
        assert_eq!(ok[0].name, "Late HBM");
        assert_eq!(ok[0].overrides.len(), 1);
        let twice = parse(br#"[{"name": "A"}, {"name": "a"}]"#).unwrap_err();
        assert!(twice.message.contains("appears twice"), "{twice}");
        assert!(parse(br#"[{"name": "baseline"}]"#).unwrap_err().message.contains("other than Baseline"));
        let bad = parse(b"[{\"name\": 1}]").unwrap_err();
        assert!(bad.message.starts_with("not a list of scenarios"), "{bad}");
    }
}
