//! The chart spec: one description of a chart, the single source for both renderers.
//!
//! The UI draws a [`ChartSpec`] interactively; [`super::export`] draws the very same
//! spec to PNG or SVG with plotters and writes its data as CSV. A spec carries its
//! data with units, its axes, bands and annotations, its title, its classification
//! [`Marking`](super::Marking) and its [`Provenance`](super::Provenance).
//!
//! Months on a [`Scale::Month`] axis are *absolute month numbers*: `year * 12 + (month - 1)`
//! (so March 2026 is `2026 * 12 + 2 = 24314`); [`month_label`] turns one into `2026-03`.

use super::kind::ChartKind;
use serde::{Deserialize, Serialize};

use super::marking::{Marking, Provenance};

/// A whole chart: what to draw, how it is marked, and where its numbers came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct ChartSpec {
    /// The catalogue entry this chart is (for example `capacity` or `fan`).
    pub kind: ChartKind,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    pub body: ChartBody,
    pub marking: Marking,
    pub provenance: Provenance,
}

/// The three shapes of chart Packplan draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ChartBody {
    /// Values over an x axis (usually months): lines, areas, bands, shaded ranges, markers.
    Xy(XyPlot),
    /// Horizontal bars per category (tornado, concentration by stage, cost breakdown).
    Bars(BarPlot),
    /// Carriers with the packages placed on them (wafer vs panel).
    Layout(LayoutPlot),
}

/// An axis: what it measures and in which unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Axis {
    pub label: String,
    /// The unit of the values, shown beside the label ("units/month", "USD", "%").
    pub unit: String,
    #[serde(default)]
    pub scale: Scale,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    #[default]
    Linear,
    /// Absolute month numbers (see the module docs).
    Month,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct XyPlot {
    pub x: Axis,
    pub y: Axis,
    pub series: Vec<Series>,
    /// Uncertainty bands (for example P5-P95 and P10-P90 around a P50 line).
    #[serde(default)]
    pub bands: Vec<Band>,
    /// Shaded x ranges with a label (for example which constraint binds when).
    #[serde(default)]
    pub shades: Vec<Shade>,
    /// Vertical markers (for example the needed-by month).
    #[serde(default)]
    pub markers: Vec<Marker>,
}

/// One data series: `[x, y]` points drawn in one style.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Series {
    pub name: String,
    /// `#rrggbb`, chosen from [`super::palette`] so both renderers agree.
    pub color: String,
    pub style: SeriesStyle,
    /// Series with the same stack name are drawn stacked, in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack: Option<String>,
    pub points: Vec<[f64; 2]>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum SeriesStyle {
    Line,
    Dashed,
    Step,
    Area,
}

/// A band between a low and a high value at each x: `[x, low, high]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub name: String,
    pub color: String,
    /// Fill opacity, 0 to 1 (an outer band lighter than an inner one).
    pub opacity: f64,
    pub points: Vec<[f64; 3]>,
}

/// A shaded x range from `from` to `to` (inclusive of the whole last period).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Shade {
    pub from: f64,
    pub to: f64,
    pub label: String,
    pub color: String,
}

/// A vertical line at `x` with a label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Marker {
    pub x: f64,
    pub label: String,
}

/// Horizontal bars, one row per category; each series gives a `[from, to]` span per category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct BarPlot {
    pub value_axis: Axis,
    pub categories: Vec<String>,
    pub series: Vec<BarSeries>,
    /// Vertical reference lines (for example the base case of a tornado).
    #[serde(default)]
    pub reference_lines: Vec<Marker>,
    /// Shaded value ranges (for example the HHI concentration thresholds).
    #[serde(default)]
    pub zones: Vec<Shade>,
    /// A short flag per category, or none (for example "single source").
    #[serde(default)]
    pub flags: Vec<Option<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct BarSeries {
    pub name: String,
    pub color: String,
    /// One `[from, to]` per category, in the order of `categories`.
    pub spans: Vec<[f64; 2]>,
}

/// Carriers drawn side by side with their placements.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct LayoutPlot {
    pub panels: Vec<CarrierPanel>,
}

/// One carrier (wafer or panel), its usable area and the packages placed on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct CarrierPanel {
    pub title: String,
    pub carrier: CarrierShape,
    pub usable: CarrierShape,
    /// `[x_min, y_min, width, height]` in mm, origin at the carrier's centre.
    pub placements: Vec<[f64; 4]>,
    /// A line under the carrier (count, area used).
    pub caption: String,
    pub color: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "shape", rename_all = "snake_case")]
pub enum CarrierShape {
    Circle { diameter_mm: f64 },
    Rect { width_mm: f64, height_mm: f64 },
}

impl CarrierShape {
    /// Half the extent in x and y, in mm.
    pub fn half_extent(&self) -> (f64, f64) {
        match *self {
            CarrierShape::Circle { diameter_mm } => (diameter_mm / 2.0, diameter_mm / 2.0),
            CarrierShape::Rect { width_mm, height_mm } => (width_mm / 2.0, height_mm / 2.0),
        }
    }
}

/// `2026-03` for the absolute month number of March 2026.
pub fn month_label(month: f64) -> String {
    let m = month.round() as i64;
    format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1)
}

/// The absolute month number of `year`-`month` (month from 1 to 12).
pub fn month_number(year: i32, month: u32) -> f64 {
    f64::from(year) * 12.0 + f64::from(month) - 1.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_numbers_round_trip_to_labels() {
        assert_eq!(month_label(month_number(2026, 3)), "2026-03");
        assert_eq!(month_label(month_number(2028, 12)), "2028-12");
        assert_eq!(month_label(month_number(2029, 1)), "2029-01");
    }
}
