//! Charts: one spec per chart, drawn interactively by the UI and exported here.
//!
//! [`ChartSpec`] is the single source for both renderers. [`export`] draws a spec
//! once, with plotters, to SVG with real text in the bundled DejaVu Sans (so output
//! never depends on system fonts), and makes the PNG (resvg) and the PDF (krilla)
//! from that SVG ([`picture`]), or writes its data as CSV. Every export carries the
//! classification [`Marking`] (banner at top and bottom, and `#` lines in CSV) and
//! the [`Provenance`] footer.

pub mod catalogue;
mod csv_export;
pub mod font;
pub mod kind;
mod marking;
pub mod palette;
pub mod picture;
mod render;
mod spec;

pub use marking::{DatasetRef, Marking, Provenance};
pub use spec::{
    month_label, month_number, Axis, Band, BarPlot, BarSeries, CarrierPanel, CarrierShape, ChartBody, ChartSpec,
    LayoutPlot, Marker, Scale, Series, SeriesStyle, Shade, XyPlot,
};

use crate::{Error, Result};

/// A spec with its banner and footer worded, as the UI receives it, so the
/// window shows exactly the marking and provenance the exports carry.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct ChartView {
    pub spec: ChartSpec,
    pub banner: Banner,
    pub footer: Vec<String>,
}

/// The classification banner's text and colours (of a chart, or of the window).
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct Banner {
    pub text: String,
    pub background: String,
    pub foreground: String,
}

impl Banner {
    pub fn of(marking: &Marking) -> Banner {
        Banner {
            text: marking.banner_text(),
            background: marking.background.clone(),
            foreground: marking.foreground.clone(),
        }
    }
}

impl ChartView {
    pub fn of(spec: ChartSpec) -> ChartView {
        ChartView { banner: Banner::of(&spec.marking), footer: spec.provenance.lines(), spec }
    }
}

/// The file formats a chart exports to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(rename = "ChartFormat")]
pub enum Format {
    Png,
    Svg,
    Pdf,
    Csv,
}

impl Format {
    /// Every format, in the order the app offers them.
    pub const ALL: [Format; 4] = [Format::Png, Format::Svg, Format::Pdf, Format::Csv];

    /// The file name extension, without its dot.
    pub fn extension(self) -> &'static str {
        self.extensions()[0]
    }

    /// The extensions a save dialog's filter for this format lists (one each today).
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Format::Png => &["png"],
            Format::Svg => &["svg"],
            Format::Pdf => &["pdf"],
            Format::Csv => &["csv"],
        }
    }

    /// What a file of this format is, as a save dialog's filter names it.
    pub fn description(self) -> &'static str {
        match self {
            Format::Png => "PNG image",
            Format::Svg => "SVG image",
            Format::Pdf => "PDF document",
            Format::Csv => "CSV data",
        }
    }
}

impl std::str::FromStr for Format {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "png" => Ok(Format::Png),
            "svg" => Ok(Format::Svg),
            "pdf" => Ok(Format::Pdf),
            "csv" => Ok(Format::Csv),
            other => Err(Error::invalid(format!("unknown chart format '{other}'; use png, svg, pdf or csv"))),
        }
    }
}

/// The size of an exported image: `width` x `height` layout pixels (the SVG's size),
/// each `scale` device pixels in the PNG (so `scale = 2` gives a sharper PNG of the
/// same picture; the SVG and the PDF are vectors and ignore it).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct ImageSize {
    pub width: u32,
    pub height: u32,
    pub scale: f64,
}

impl Default for ImageSize {
    fn default() -> Self {
        ImageSize { width: 1600, height: 900, scale: 1.0 }
    }
}

impl ImageSize {
    /// Checks the size before any drawing: from 320x200 to 8000x8000 device pixels.
    pub fn validate(self) -> Result<(u32, u32)> {
        if !(self.scale.is_finite() && (0.5..=4.0).contains(&self.scale)) {
            return Err(Error::invalid(format!("the scale {} is out of range; use a value from 0.5 to 4", self.scale)));
        }
        let w = (f64::from(self.width) * self.scale).round() as u32;
        let h = (f64::from(self.height) * self.scale).round() as u32;
        if !(320..=8000).contains(&w) || !(200..=8000).contains(&h) {
            return Err(Error::invalid(format!(
                "an image of {w}x{h} pixels is out of range; use from 320x200 to 8000x8000 (width and height times scale)"
            )));
        }
        Ok((w, h))
    }
}

/// Draws or writes `spec` in `format`; the bytes of the file.
pub fn export(spec: &ChartSpec, format: Format, size: ImageSize) -> Result<Vec<u8>> {
    if format == Format::Csv {
        return csv_export::write(spec);
    }
    size.validate()?;
    let svg = picture::svg(spec, (size.width, size.height))?;
    let banner = spec.marking.banner_text();
    match format {
        Format::Svg => Ok(svg.into_bytes()),
        Format::Png => {
            let texts = [
                ("Title", spec.title.clone()),
                ("Classification", banner),
                ("Provenance", spec.provenance.lines().join("\n")),
            ];
            picture::png(&svg, size.scale, &texts)
        }
        Format::Pdf => {
            let info = picture::PdfInfo {
                title: &spec.title,
                subject: &format!("{banner} | {}", spec.provenance.lines().join(" | ")),
                keywords: vec![banner.clone()],
            };
            picture::pdf(&[svg], &info)
        }
        Format::Csv => csv_export::write(spec),
    }
}
