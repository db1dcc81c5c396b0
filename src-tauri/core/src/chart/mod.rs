//! Charts: one spec per chart, drawn interactively by the UI and exported here.
//!
//! [`ChartSpec`] is the single source for both renderers. [`export`] draws a spec
//! to PNG or SVG with plotters (text through ab_glyph from the bundled DejaVu Sans,
//! so output never depends on system fonts) or writes its data as CSV. Every export
//! carries the classification [`Marking`] (banner at top and bottom, and `#` lines
//! in CSV) and the [`Provenance`] footer.

pub mod catalogue;
mod csv_export;
mod font;
pub mod kind;
mod marking;
pub mod palette;
mod render;
mod spec;
mod svg;
mod text;

pub use marking::{DatasetRef, Marking, Provenance};
pub use spec::{
    month_label, month_number, Axis, Band, BarPlot, BarSeries, CarrierPanel, CarrierShape, ChartBody, ChartSpec,
    LayoutPlot, Marker, Scale, Series, SeriesStyle, Shade, XyPlot,
};

use plotters::prelude::*;

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
    Csv,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Svg => "svg",
            Format::Csv => "csv",
        }
    }
}

impl std::str::FromStr for Format {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "png" => Ok(Format::Png),
            "svg" => Ok(Format::Svg),
            "csv" => Ok(Format::Csv),
            other => Err(Error::invalid(format!("unknown chart format '{other}'; use png, svg or csv"))),
        }
    }
}

/// The size of an exported image: `width` x `height` layout pixels, each `scale`
/// device pixels (so `scale = 2` gives a sharper PNG of the same layout).
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
    match format {
        Format::Csv => csv_export::write(spec),
        Format::Png => png(spec, size),
        Format::Svg => svg(spec, size),
    }
}

fn png(spec: &ChartSpec, size: ImageSize) -> Result<Vec<u8>> {
    let (w, h) = size.validate()?;
    let faces = font::faces()?;
    let mut pixels = vec![0u8; w as usize * h as usize * 3];
    {
        let bitmap = BitMapBackend::with_buffer(&mut pixels, (w, h));
        let root = text::Outlined { inner: bitmap, faces }.into_drawing_area();
        render::draw(spec, &root, size.scale)?;
        root.present().map_err(|e| Error::internal(format!("could not draw the chart ({e:?})")))?;
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let text_error = |e: png::EncodingError| Error::internal(format!("could not write the PNG: {e}"));
        encoder.add_itxt_chunk("Title".into(), spec.title.clone()).map_err(text_error)?;
        encoder.add_itxt_chunk("Classification".into(), spec.marking.banner_text()).map_err(text_error)?;
        encoder.add_itxt_chunk("Provenance".into(), spec.provenance.lines().join("\n")).map_err(text_error)?;
        let mut writer = encoder.write_header().map_err(text_error)?;
        writer.write_image_data(&pixels).map_err(text_error)?;
        writer.finish().map_err(text_error)?;
    }
    Ok(out)
}

fn svg(spec: &ChartSpec, size: ImageSize) -> Result<Vec<u8>> {
    let (w, h) = size.validate()?;
    let faces = font::faces()?;
    let mut body = String::new();
    {
        let root = svg::SvgCanvas::new(w, h, faces, &mut body).into_drawing_area();
        render::draw(spec, &root, size.scale)?;
    }
    // The marking and provenance as text too, for search and for screen readers.
    let title = format!("{} [{}]", spec.title, spec.marking.banner_text());
    let description = [spec.marking.banner_text(), spec.provenance.lines().join(" | ")].join(" | ");
    Ok(svg::document(w, h, &title, &description, &body).into_bytes())
}
