//! What every exported chart carries besides its data: the classification marking
//! (a banner at top and bottom) and the provenance footer.
//!
//! The marking comes from the labels of the datasets behind the chart, placed in
//! the site's marking scheme ([`crate::classification`]): the strictest level wins,
//! and every label's caveat is kept beside it. A classification setting may raise
//! the level, never lower it below what the data demands.

use serde::{Deserialize, Serialize};

use crate::classification::Policy;

/// The classification banner of a chart: one level of the site's scheme, its
/// colours, and the caveats of the labels behind it. Never a joined string of labels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Marking {
    /// The level's banner text ("SECRET").
    pub level: String,
    /// `#rrggbb` of the banner.
    pub background: String,
    /// `#rrggbb` of the banner's text.
    pub foreground: String,
    /// What the labels say besides their level ("SUPPLIER NDA"), each once.
    #[serde(default)]
    pub caveats: Vec<String>,
}

impl Marking {
    /// The strictest of the datasets' `labels` in `policy`'s scheme, raised to
    /// `setting` if that is stricter, with every label's caveat. A label that maps to
    /// no level (refused at import; possible in a model input read from a file) is
    /// marked at the scheme's strictest level, with the label as a caveat. With no
    /// label at all, the marking is the scheme's lowest level.
    ///
    /// ```
    /// use packplan_core::chart::Marking;
    /// use packplan_core::classification::{Policy, Preset, Scheme};
    /// let us = Policy { scheme: Scheme::preset(Preset::Us), mapped: Default::default() };
    /// let m = Marking::strictest(&us, ["SECRET", "TOP SECRET"], None);
    /// assert_eq!((m.banner_text().as_str(), m.background.as_str()), ("TOP SECRET", "#FF8C00"));
    /// let m = Marking::strictest(&us, ["CONFIDENTIAL - SUPPLIER NDA", "UNCLASSIFIED"], None);
    /// assert_eq!((m.banner_text().as_str(), m.background.as_str()), ("CONFIDENTIAL // SUPPLIER NDA", "#0033A0"));
    /// let raised = Marking::strictest(&us, ["UNCLASSIFIED"], Some("SECRET"));
    /// assert_eq!(raised.level, "SECRET");
    /// let kept = Marking::strictest(&us, ["SECRET"], Some("UNCLASSIFIED"));
    /// assert_eq!(kept.level, "SECRET");
    /// ```
    pub fn strictest<'a>(
        policy: &Policy,
        labels: impl IntoIterator<Item = &'a str>,
        setting: Option<&'a str>,
    ) -> Marking {
        let top = policy.scheme.levels.len().saturating_sub(1);
        let mut rank = 0;
        let mut caveats: Vec<String> = Vec::new();
        for label in labels.into_iter().chain(setting).map(str::trim).filter(|l| !l.is_empty()) {
            let (level, caveat) = match policy.level_of(label) {
                Ok(p) => (p.level, p.caveat),
                Err(_) => (top, Some(label.to_uppercase())),
            };
            rank = rank.max(level);
            if let Some(c) = caveat {
                if !caveats.contains(&c) {
                    caveats.push(c);
                }
            }
        }
        match policy.scheme.levels.get(rank) {
            Some(l) => Marking {
                level: l.name.clone(),
                background: l.background.clone(),
                foreground: l.foreground.clone(),
                caveats,
            },
            // a validated scheme is never empty; should one be, say so in red
            None => Marking {
                level: "UNMARKED".into(),
                background: "#C8102E".into(),
                foreground: "#FFFFFF".into(),
                caveats,
            },
        }
    }

    /// Adds a caveat (upper case), once.
    pub fn with_caveat(mut self, caveat: &str) -> Marking {
        let caveat = caveat.to_uppercase();
        if !self.caveats.contains(&caveat) {
            self.caveats.push(caveat);
        }
        self
    }

    /// The banner's text: the level, then the caveats (`SECRET // SUPPLIER NDA`).
    pub fn banner_text(&self) -> String {
        std::iter::once(self.level.as_str())
            .chain(self.caveats.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" // ")
    }
}

/// A dataset behind a chart, as the footer names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(rename = "ChartDatasetRef")]
pub struct DatasetRef {
    pub title: String,
    /// The as-of date of the dataset's newest figures (`YYYY-MM-DD`).
    pub as_of: String,
}

/// Where the numbers of a chart came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    pub datasets: Vec<DatasetRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// When the chart was made (`YYYY-MM-DD`).
    pub generated: String,
    pub app_version: String,
}

impl Provenance {
    /// The footer, one line per topic.
    pub fn lines(&self) -> Vec<String> {
        let data = if self.datasets.is_empty() {
            "Data: none".to_owned()
        } else {
            let names: Vec<String> = self.datasets.iter().map(|d| format!("{} (as of {})", d.title, d.as_of)).collect();
            format!("Data: {}", names.join("; "))
        };
        let mut run = Vec::new();
        if let Some(s) = &self.scenario {
            run.push(format!("Scenario: {s}"));
        }
        if let Some(r) = &self.run_id {
            run.push(format!("Run: {r}"));
        }
        if let Some(seed) = self.seed {
            run.push(format!("Seed: {seed}"));
        }
        run.push(format!("Generated {} by Packplan {}", self.generated, self.app_version));
        vec![data, run.join("  |  ")]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classification::{Preset, Scheme};

    fn policy(preset: Preset) -> Policy {
        Policy { scheme: Scheme::preset(preset), mapped: Default::default() }
    }

    #[test]
    fn the_strictest_level_wins_never_a_joined_string() {
        let m = Marking::strictest(&policy(Preset::Us), ["SECRET", "TOP SECRET", "UNCLASSIFIED"], None);
        assert_eq!(m.banner_text(), "TOP SECRET");
        assert_eq!((m.background.as_str(), m.foreground.as_str()), ("#FF8C00", "#000000"));
    }

    #[test]
    fn caveats_of_every_label_are_kept_beside_the_level() {
        let m = Marking::strictest(
            &policy(Preset::Commercial),
            [
                "Confidential - Supplier B",
                "CONFIDENTIAL - SUPPLIER A",
                "ILLUSTRATIVE: PUBLIC ESTIMATES",
                "Confidential - supplier b",
            ],
            None,
        );
        assert_eq!(m.banner_text(), "CONFIDENTIAL // SUPPLIER B // SUPPLIER A // ILLUSTRATIVE: PUBLIC ESTIMATES");
    }

    #[test]
    fn no_label_marks_the_lowest_level_and_an_unknown_one_the_highest() {
        assert_eq!(Marking::strictest(&policy(Preset::Uk), [], None).banner_text(), "OFFICIAL");
        let m = Marking::strictest(&policy(Preset::Uk), ["ACME PROPRIETARY"], None);
        assert_eq!(m.banner_text(), "TOP SECRET // ACME PROPRIETARY");
    }

    #[test]
    fn the_footer_says_everything() {
        let p = Provenance {
            datasets: vec![DatasetRef { title: "Demo".into(), as_of: "2026-06-30".into() }],
            scenario: Some("Baseline".into()),
            run_id: Some("r1".into()),
            seed: Some(7),
            generated: "2026-11-25".into(),
            app_version: "0.1.0".into(),
        };
        assert_eq!(
            p.lines(),
            vec![
                "Data: Demo (as of 2026-06-30)".to_owned(),
                "Scenario: Baseline  |  Run: r1  |  Seed: 7  |  Generated 2026-11-25 by Packplan 0.1.0".to_owned()
            ]
        );
    }
}
