//! What every exported chart carries besides its data: the classification marking
//! (a banner at top and bottom) and the provenance footer.
//!
//! The marking comes from the labels of the datasets behind the chart: the strictest
//! level wins. A classification setting may raise it, never lower it below what the
//! data demands. Labels are free text from bundles; [`Level::of`] ranks them.

use serde::{Deserialize, Serialize};

/// How sensitive a label is, from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Public,
    Internal,
    Confidential,
    Restricted,
}

impl Level {
    /// Ranks a free-text label by the words it contains. A label that names no
    /// known level counts as confidential: an unknown marking is never treated as public.
    ///
    /// ```
    /// use packplan_core::chart::Level;
    /// assert_eq!(Level::of("PUBLIC"), Level::Public);
    /// assert_eq!(Level::of("Confidential - supplier NDA"), Level::Confidential);
    /// assert_eq!(Level::of("STRICTLY CONFIDENTIAL"), Level::Restricted);
    /// assert_eq!(Level::of("ACME PROPRIETARY"), Level::Confidential);
    /// ```
    pub fn of(label: &str) -> Level {
        let l = label.to_uppercase();
        let has = |w: &str| l.contains(w);
        if has("RESTRICTED") || has("SECRET") || has("STRICTLY") {
            Level::Restricted
        } else if has("CONFIDENTIAL") || has("NDA") || has("PROPRIETARY") {
            Level::Confidential
        } else if has("INTERNAL") || has("OFFICIAL") {
            Level::Internal
        } else if has("PUBLIC") || has("UNCLASSIFIED") || has("ILLUSTRATIVE") {
            Level::Public
        } else {
            Level::Confidential
        }
    }

    /// The banner colour (`#rrggbb`) and text colour for this level.
    pub fn banner_colors(self) -> (&'static str, &'static str) {
        match self {
            Level::Public => ("#2E7D32", "#FFFFFF"),
            Level::Internal => ("#1565C0", "#FFFFFF"),
            Level::Confidential => ("#E65100", "#FFFFFF"),
            Level::Restricted => ("#B71C1C", "#FFFFFF"),
        }
    }
}

/// The classification banner of a chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Marking {
    /// The label as shown ("CONFIDENTIAL - SUPPLIER NDA").
    pub label: String,
    pub level: Level,
    /// Notices shown beside the label ("Illustrative: public estimates").
    #[serde(default)]
    pub notices: Vec<String>,
}

impl Marking {
    /// The strictest of the datasets' `labels`, raised to `setting` if that is stricter.
    /// With no label at all the chart is marked INTERNAL.
    ///
    /// ```
    /// use packplan_core::chart::{Level, Marking};
    /// let m = Marking::strictest(["PUBLIC", "CONFIDENTIAL - SUPPLIER NDA"], None);
    /// assert_eq!(m.label, "CONFIDENTIAL - SUPPLIER NDA");
    /// let raised = Marking::strictest(["PUBLIC"], Some("RESTRICTED"));
    /// assert_eq!(raised.level, Level::Restricted);
    /// let kept = Marking::strictest(["RESTRICTED"], Some("PUBLIC"));
    /// assert_eq!(kept.label, "RESTRICTED");
    /// ```
    pub fn strictest<'a>(labels: impl IntoIterator<Item = &'a str>, setting: Option<&'a str>) -> Marking {
        let mut candidates: Vec<(Level, String)> = labels
            .into_iter()
            .chain(setting)
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| (Level::of(l), l.to_uppercase()))
            .collect();
        let Some(level) = candidates.iter().map(|(lvl, _)| *lvl).max() else {
            return Marking { label: "INTERNAL".into(), level: Level::Internal, notices: Vec::new() };
        };
        candidates.retain(|(lvl, _)| *lvl == level);
        let mut labels: Vec<String> = candidates.into_iter().map(|(_, l)| l).collect();
        labels.sort();
        labels.dedup();
        Marking { label: labels.join(" / "), level, notices: Vec::new() }
    }

    /// Adds a notice, once.
    pub fn with_notice(mut self, notice: &str) -> Marking {
        if !self.notices.iter().any(|n| n == notice) {
            self.notices.push(notice.to_owned());
        }
        self
    }

    /// The banner's text: the label, then the notices.
    pub fn banner_text(&self) -> String {
        std::iter::once(self.label.as_str())
            .chain(self.notices.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join("  |  ")
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

    #[test]
    fn same_level_labels_are_all_kept() {
        let m = Marking::strictest(["Confidential - Supplier B", "CONFIDENTIAL - SUPPLIER A", "public"], None);
        assert_eq!(m.level, Level::Confidential);
        assert_eq!(m.label, "CONFIDENTIAL - SUPPLIER A / CONFIDENTIAL - SUPPLIER B");
    }

    #[test]
    fn no_label_marks_internal() {
        assert_eq!(Marking::strictest([], None).label, "INTERNAL");
    }

    #[test]
    fn banner_and_footer_say_everything() {
        let m = Marking::strictest(["PUBLIC"], None).with_notice("Illustrative: public estimates");
        assert_eq!(m.banner_text(), "PUBLIC  |  Illustrative: public estimates");
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
