//! Draws a [`ChartSpec`] with plotters (onto its SVG backend, see `picture`), inside
//! the frame every export carries: the classification banner at top and bottom, the
//! title, and the provenance footer.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::font::FAMILY;
use super::marking::Marking;
use super::palette::rgb;
use super::spec::{
    Axis, BarPlot, CarrierPanel, CarrierShape, ChartBody, ChartSpec, LayoutPlot, Marker, Scale, SeriesStyle, XyPlot,
};
use crate::{Error, Result};

const TEXT: RGBColor = RGBColor(0x1b, 0x24, 0x30);
const MUTED: RGBColor = RGBColor(0x5b, 0x66, 0x75);
const GRID: RGBColor = RGBColor(0xe6, 0xe8, 0xec);
const GRID_BOLD: RGBColor = RGBColor(0xcf, 0xd4, 0xda);
const FLAG: RGBColor = RGBColor(0xb3, 0x26, 0x1e);

fn color(hex: &str) -> RGBColor {
    let (r, g, b) = rgb(hex);
    RGBColor(r, g, b)
}

fn failed<E: std::fmt::Debug>(e: E) -> Error {
    Error::internal(format!("could not draw the chart ({e:?})"))
}

/// Sizes in layout pixels (one factor, should a layout ever be drawn larger; the
/// PNG's scale is applied by the rasteriser, to the whole picture).
#[derive(Clone, Copy)]
struct Scaler(f64);

impl Scaler {
    /// plotters writes an SVG font size of its size / 1.24; this keeps the type the
    /// size of DejaVu's line (`size` / 1.164 em), as the charts were designed.
    const TYPE: f64 = 1.24 / 1.164;

    fn px(self, v: f64) -> i32 {
        (v * self.0).round() as i32
    }
    fn font(self, size: f64) -> TextStyle<'static> {
        (FAMILY, size * self.0 * Self::TYPE).into_font().color(&TEXT)
    }
    fn bold(self, size: f64) -> TextStyle<'static> {
        FontDesc::new(FontFamily::Name(FAMILY), size * self.0 * Self::TYPE, FontStyle::Bold).color(&TEXT)
    }
}

/// A value for an axis or a label: short, and exact for small whole numbers.
pub(crate) fn short_number(v: f64) -> String {
    let a = v.abs();
    if a >= 1e9 {
        format!("{:.1}B", v / 1e9)
    } else if a >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if a >= 1e4 {
        format!("{:.0}k", v / 1e3)
    } else if a >= 100.0 || v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

fn axis_title(axis: &Axis) -> String {
    if axis.unit.is_empty() {
        axis.label.clone()
    } else {
        format!("{} ({})", axis.label, axis.unit)
    }
}

/// Draws the whole chart on `root`; `framed`: with the banners and the provenance
/// footer (a file of its own), or without (a page of the briefing pack, which
/// carries them for the page).
pub(crate) fn draw<DB: DrawingBackend>(spec: &ChartSpec, root: &DrawingArea<DB, Shift>, framed: bool) -> Result<()> {
    let s = Scaler(1.0);
    root.fill(&WHITE).map_err(failed)?;
    let (_, height) = root.dim_in_pixel();
    let banner = if framed { s.px(26.0) } else { 0 };
    let footer_lines = if framed { spec.provenance.lines() } else { Vec::new() };
    let footer = if framed { s.px(10.0 + 16.0 * footer_lines.len() as f64) } else { s.px(4.0) };
    let title = s.px(if spec.subtitle.is_some() { 62.0 } else { 44.0 });

    let (top, rest) = root.split_vertically(banner);
    let (rest, bottom) = rest.split_vertically(height as i32 - 2 * banner);
    let (title_area, rest) = rest.split_vertically(title);
    let (_, rest_h) = rest.dim_in_pixel();
    let (plot_area, footer_area) = rest.split_vertically(rest_h as i32 - footer);

    if framed {
        draw_banner(&top, &spec.marking, s)?;
        draw_banner(&bottom, &spec.marking, s)?;
    }

    title_area.draw(&Text::new(spec.title.clone(), (s.px(16.0), s.px(12.0)), s.bold(20.0))).map_err(failed)?;
    if let Some(sub) = &spec.subtitle {
        title_area
            .draw(&Text::new(sub.clone(), (s.px(16.0), s.px(40.0)), s.font(13.0).color(&MUTED)))
            .map_err(failed)?;
    }
    for (i, line) in footer_lines.iter().enumerate() {
        footer_area
            .draw(&Text::new(line.clone(), (s.px(16.0), s.px(4.0 + 16.0 * i as f64)), s.font(11.0).color(&MUTED)))
            .map_err(failed)?;
    }

    match &spec.body {
        ChartBody::Xy(plot) => draw_xy(plot, &plot_area, s),
        ChartBody::Bars(plot) => draw_bars(plot, &plot_area, s),
        ChartBody::Layout(plot) => draw_layout(plot, &plot_area, s),
    }
}

fn draw_banner<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, marking: &Marking, s: Scaler) -> Result<()> {
    area.fill(&color(&marking.background)).map_err(failed)?;
    let (w, h) = area.dim_in_pixel();
    let fg = color(&marking.foreground);
    let style = s.bold(13.0).color(&fg).pos(Pos::new(HPos::Center, VPos::Center));
    area.draw(&Text::new(marking.banner_text(), (w as i32 / 2, h as i32 / 2), style)).map_err(failed)
}

/// The line a marker's label takes, from the top: one below each earlier marker within
/// 4 % of the axis (`span`), so labels of the same month ("needed by", "plan") do not
/// lie on each other.
fn label_row(markers: &[Marker], i: usize, span: f64) -> usize {
    let near = (span * 0.04).max(f64::EPSILON);
    markers.get(i).map_or(0, |m| markers[..i].iter().filter(|o| (o.x - m.x).abs() <= near).count())
}

/// Where a month axis is labelled, as the app's charts label it: on years ("2027")
/// when it spans more than three years, else on quarters ("Jan 2025", "Apr 2025"),
/// never on odd months.
struct MonthTicks {
    from: f64,
    to: f64,
    yearly: bool,
}

impl MonthTicks {
    fn over(from: f64, to: f64) -> MonthTicks {
        MonthTicks { from, to, yearly: to - from > 36.0 }
    }
    fn none() -> MonthTicks {
        MonthTicks { from: 0.0, to: -1.0, yearly: false }
    }
    /// Every month number in range that is a multiple of `step` (month 0 is a January).
    fn every(&self, step: i64) -> Vec<f64> {
        let first = (self.from.ceil() as i64).div_euclid(step) * step;
        (0..).map(|i| (first + i * step) as f64).skip_while(|m| *m < self.from).take_while(|m| *m <= self.to).collect()
    }
    fn bold(&self) -> Vec<f64> {
        self.every(if self.yearly { 12 } else { 3 })
    }
    fn light(&self) -> Vec<f64> {
        self.every(if self.yearly { 3 } else { 1 })
    }
    fn label(&self, month: f64) -> String {
        let m = month.round() as i64;
        let year = m.div_euclid(12);
        if self.yearly {
            year.to_string()
        } else {
            format!("{} {year}", crate::month::NAMES[m.rem_euclid(12) as usize])
        }
    }
}

/// About `n` round values from `lo` to `hi` (steps of 1, 2, 2.5 or 5 times a power of ten).
fn nice_ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let raw = (hi - lo) / n.max(1) as f64;
    if !(raw.is_finite() && raw > 0.0) {
        return vec![lo];
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|f| f * magnitude).find(|s| *s >= raw).unwrap_or(10.0 * magnitude);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|i| i as f64 * step).collect()
}

/// The smallest and largest of `values`, padded when they coincide.
fn span(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    let (lo, hi) =
        values.filter(|v| v.is_finite()).fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if lo > hi {
        None
    } else if lo == hi {
        Some((lo - 1.0, hi + 1.0))
    } else {
        Some((lo, hi))
    }
}

/// Each series' points with the stacked baseline under them: `(x, base, top)`.
fn stacked(plot: &XyPlot) -> Vec<Vec<(f64, f64, f64)>> {
    let mut bases: std::collections::HashMap<(String, u64), f64> = Default::default();
    plot.series
        .iter()
        .map(|series| {
            series
                .points
                .iter()
                .map(|&[x, y]| match &series.stack {
                    Some(stack) => {
                        let base = bases.entry((stack.clone(), x.to_bits())).or_insert(0.0);
                        let below = *base;
                        *base += y;
                        (x, below, below + y)
                    }
                    None => (x, 0.0, y),
                })
                .collect()
        })
        .collect()
}

fn draw_xy<DB: DrawingBackend>(plot: &XyPlot, area: &DrawingArea<DB, Shift>, s: Scaler) -> Result<()> {
    let month = plot.x.scale == Scale::Month;
    let stacks = stacked(plot);
    let xs = stacks
        .iter()
        .flatten()
        .map(|p| p.0)
        .chain(plot.bands.iter().flat_map(|b| b.points.iter().map(|p| p[0])))
        .chain(plot.markers.iter().map(|m| m.x));
    let (x0, x1) = span(xs).unwrap_or((0.0, 1.0));
    let ys = stacks
        .iter()
        .flatten()
        .flat_map(|p| [p.1, p.2])
        .chain(plot.bands.iter().flat_map(|b| b.points.iter().flat_map(|p| [p[1], p[2]])))
        .chain(std::iter::once(0.0));
    let (y0, y1) = span(ys).unwrap_or((0.0, 1.0));
    let y1 = y1 + (y1 - y0) * 0.08;
    let pad = if month { 0.5 } else { 0.0 };
    let (x0, x1) = (x0 - pad, x1 + pad);

    let ticks = if month { MonthTicks::over(x0, x1) } else { MonthTicks::none() };
    let (bold, light) = if month { (ticks.bold(), ticks.light()) } else { (nice_ticks(x0, x1, 8), vec![]) };
    let mut chart = ChartBuilder::on(area)
        .margin(s.px(12.0))
        .margin_right(s.px(28.0))
        .x_label_area_size(s.px(44.0))
        .y_label_area_size(s.px(74.0))
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(failed)?;
    chart
        .configure_mesh()
        .x_desc(axis_title(&plot.x))
        .y_desc(axis_title(&plot.y))
        .x_labels(0)
        .y_labels(8)
        .y_label_formatter(&|v| short_number(*v))
        .label_style(s.font(12.0))
        .axis_desc_style(s.font(13.0))
        .light_line_style(GRID)
        .bold_line_style(GRID_BOLD)
        .max_light_lines(2)
        .axis_style(MUTED)
        .draw()
        .map_err(failed)?;
    // the x axis' grid and labels where the ticks say (plotters picks its own)
    for (points, colour) in [(&light, GRID), (&bold, GRID_BOLD)] {
        let lines = points.iter().map(|&x| PathElement::new(vec![(x, y0), (x, y1)], colour.stroke_width(1)));
        chart.draw_series(lines).map_err(failed)?;
    }
    let (base_x, base_y) = area.get_base_pixel();
    for &x in &bold {
        let (px, py) = chart.backend_coord(&(x, y0));
        let label = if month { ticks.label(x) } else { short_number(x) };
        let style = s.font(12.0).pos(Pos::new(HPos::Center, VPos::Top));
        area.draw(&Text::new(label, (px - base_x, py - base_y + s.px(6.0)), style)).map_err(failed)?;
    }

    for shade in &plot.shades {
        let c = color(&shade.color);
        let (a, b) = (shade.from - pad, shade.to + pad);
        chart.draw_series(std::iter::once(Rectangle::new([(a, y0), (b, y1)], c.mix(0.12).filled()))).map_err(failed)?;
        let style = s.font(10.0).color(&c).pos(Pos::new(HPos::Left, VPos::Top));
        chart.draw_series(std::iter::once(Text::new(shade.label.clone(), (a, y1), style))).map_err(failed)?;
    }
    for band in &plot.bands {
        let c = color(&band.color);
        let mut outline: Vec<(f64, f64)> = band.points.iter().map(|p| (p[0], p[2])).collect();
        outline.extend(band.points.iter().rev().map(|p| (p[0], p[1])));
        chart
            .draw_series(std::iter::once(Polygon::new(outline, c.mix(band.opacity).filled())))
            .map_err(failed)?
            .label(band.name.clone())
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 16, y + 5)], c.mix(0.5).filled()));
    }
    for (series, points) in plot.series.iter().zip(&stacks) {
        let c = color(&series.color);
        let stroke = c.stroke_width(s.px(2.0).max(1) as u32);
        let tops: Vec<(f64, f64)> = points.iter().map(|p| (p.0, p.2)).collect();
        let drawn = match series.style {
            SeriesStyle::Area => {
                let mut outline = tops.clone();
                outline.extend(points.iter().rev().map(|p| (p.0, p.1)));
                chart.draw_series(std::iter::once(Polygon::new(outline, c.mix(0.35).filled()))).map_err(failed)?;
                chart.draw_series(LineSeries::new(tops, stroke)).map_err(failed)?
            }
            SeriesStyle::Line => chart.draw_series(LineSeries::new(tops, stroke)).map_err(failed)?,
            SeriesStyle::Dashed => chart
                .draw_series(DashedLineSeries::new(tops, s.px(8.0) as u32, s.px(5.0) as u32, stroke))
                .map_err(failed)?,
            SeriesStyle::Step => {
                let mut steps = Vec::with_capacity(tops.len() * 2);
                for (i, &(x, y)) in tops.iter().enumerate() {
                    if let Some(&(_, prev)) = i.checked_sub(1).and_then(|j| tops.get(j)) {
                        steps.push((x, prev));
                    }
                    steps.push((x, y));
                }
                chart.draw_series(LineSeries::new(steps, stroke)).map_err(failed)?
            }
        };
        drawn
            .label(series.name.clone())
            .legend(move |(x, y)| Rectangle::new([(x, y - 2), (x + 16, y + 2)], c.filled()));
    }
    for (i, marker) in plot.markers.iter().enumerate() {
        let line = MUTED.stroke_width(s.px(2.0).max(1) as u32);
        chart
            .draw_series(DashedLineSeries::new(
                vec![(marker.x, y0), (marker.x, y1)],
                s.px(6.0) as u32,
                s.px(4.0) as u32,
                line,
            ))
            .map_err(failed)?;
        let style = s.bold(11.0).pos(Pos::new(HPos::Left, VPos::Top));
        chart
            .draw_series(std::iter::once(Text::new(
                format!(" {}", marker.label),
                (marker.x, y1 - (y1 - y0) * (0.06 + 0.07 * label_row(&plot.markers, i, x1 - x0) as f64)),
                style,
            )))
            .map_err(failed)?;
    }
    if !plot.series.is_empty() || !plot.bands.is_empty() {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .margin(s.px(10.0))
            .label_font(s.font(12.0))
            .background_style(WHITE.mix(0.9))
            .border_style(GRID_BOLD)
            .draw()
            .map_err(failed)?;
    }
    Ok(())
}

/// A bar chart is laid out for at least this many rows, from the top: one bar (a tornado
/// with one input that moves the order) is a bar, not a slab filling the plot.
const MIN_BAR_ROWS: usize = 6;

fn draw_bars<DB: DrawingBackend>(plot: &BarPlot, area: &DrawingArea<DB, Shift>, s: Scaler) -> Result<()> {
    let n = plot.categories.len().max(1);
    let rows = n.max(MIN_BAR_ROWS);
    // the categories fill the rows from the top; below them, rows left empty
    let (top, bottom) = (rows as f64, (rows - n) as f64);
    let values = plot
        .series
        .iter()
        .flat_map(|b| b.spans.iter().flat_map(|v| [v[0], v[1]]))
        .chain(plot.reference_lines.iter().map(|r| r.x))
        .chain(plot.zones.iter().flat_map(|z| [z.from, z.to]))
        .chain(std::iter::once(0.0));
    let (v0, v1) = span(values).unwrap_or((0.0, 1.0));
    let flagged = plot.flags.iter().any(Option::is_some);
    let v1 = v1 + (v1 - v0) * if flagged { 0.25 } else { 0.06 };
    let longest = plot.categories.iter().map(|c| c.chars().count()).max().unwrap_or(4) as f64;
    let label_width = s.px(16.0 + 7.2 * longest.min(48.0));

    let mut chart = ChartBuilder::on(area)
        .margin(s.px(12.0))
        .margin_right(s.px(28.0))
        .x_label_area_size(s.px(44.0))
        .y_label_area_size(label_width)
        .build_cartesian_2d(v0..v1, 0.0..top)
        .map_err(failed)?;
    // whole months only: a tick at half a month is left unlabelled
    let months = plot.value_axis.unit.starts_with("month");
    let value_label = |v: &f64| if months && v.fract() != 0.0 { String::new() } else { short_number(*v) };
    chart
        .configure_mesh()
        .x_desc(axis_title(&plot.value_axis))
        .x_labels(8)
        .x_label_formatter(&value_label)
        .y_labels(0)
        .disable_y_mesh()
        .label_style(s.font(12.0))
        .axis_desc_style(s.font(13.0))
        .max_light_lines(1)
        .light_line_style(GRID)
        .bold_line_style(GRID_BOLD)
        .axis_style(MUTED)
        .draw()
        .map_err(failed)?;

    let row = |i: usize| (rows - 1 - i) as f64;
    for zone in &plot.zones {
        let c = color(&zone.color);
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(zone.from, bottom), (zone.to.min(v1), top)],
                c.mix(0.10).filled(),
            )))
            .map_err(failed)?;
        let style = s.font(10.0).color(&c).pos(Pos::new(HPos::Left, VPos::Top));
        chart
            .draw_series(std::iter::once(Text::new(format!(" {}", zone.label), (zone.from, top), style)))
            .map_err(failed)?;
    }
    let per = plot.series.len().max(1) as f64;
    for (k, series) in plot.series.iter().enumerate() {
        let c = color(&series.color);
        let bars = series.spans.iter().enumerate().map(|(i, v)| {
            let lo = row(i) + 0.15 + 0.7 * k as f64 / per;
            let hi = lo + 0.7 / per;
            Rectangle::new([(v[0].min(v[1]), lo), (v[0].max(v[1]), hi)], c.mix(0.85).filled())
        });
        chart
            .draw_series(bars)
            .map_err(failed)?
            .label(series.name.clone())
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 16, y + 5)], c.filled()));
    }
    for reference in &plot.reference_lines {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(reference.x, bottom), (reference.x, top)],
                TEXT.stroke_width(s.px(2.0).max(1) as u32),
            )))
            .map_err(failed)?;
        let style = s.bold(11.0).pos(Pos::new(HPos::Center, VPos::Bottom));
        chart
            .draw_series(std::iter::once(Text::new(reference.label.clone(), (reference.x, top), style)))
            .map_err(failed)?;
    }
    // Category names left of the plot, and flags right of each row's bars.
    for (i, name) in plot.categories.iter().enumerate() {
        let (x, y) = chart.backend_coord(&(v0, row(i) + 0.5));
        let style = s.font(12.0).pos(Pos::new(HPos::Right, VPos::Center));
        area.draw(&Text::new(
            name.clone(),
            (x - s.px(8.0) - area.get_base_pixel().0, y - area.get_base_pixel().1),
            style,
        ))
        .map_err(failed)?;
        if let Some(Some(flag)) = plot.flags.get(i) {
            let end = plot.series.iter().filter_map(|b| b.spans.get(i)).map(|v| v[0].max(v[1])).fold(v0, f64::max);
            let style = s.bold(11.0).color(&FLAG).pos(Pos::new(HPos::Left, VPos::Center));
            chart
                .draw_series(std::iter::once(Text::new(format!("  {flag}"), (end, row(i) + 0.5), style)))
                .map_err(failed)?;
        }
    }
    if plot.series.len() > 1 {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .margin(s.px(10.0))
            .label_font(s.font(12.0))
            .background_style(WHITE.mix(0.9))
            .border_style(GRID_BOLD)
            .draw()
            .map_err(failed)?;
    }
    Ok(())
}

/// The outline of a carrier shape as a closed polygon in mm.
fn outline(shape: &CarrierShape) -> Vec<(f64, f64)> {
    match *shape {
        CarrierShape::Circle { diameter_mm } => {
            let r = diameter_mm / 2.0;
            (0..=180)
                .map(|i| f64::from(i) * std::f64::consts::TAU / 180.0)
                .map(|a| (r * a.cos(), r * a.sin()))
                .collect()
        }
        CarrierShape::Rect { width_mm, height_mm } => {
            let (w, h) = (width_mm / 2.0, height_mm / 2.0);
            vec![(-w, -h), (w, -h), (w, h), (-w, h), (-w, -h)]
        }
    }
}

fn draw_layout<DB: DrawingBackend>(plot: &LayoutPlot, area: &DrawingArea<DB, Shift>, s: Scaler) -> Result<()> {
    if plot.panels.is_empty() {
        return Ok(());
    }
    // One millimetre scale for every panel, so sizes compare at a glance.
    let extent = plot
        .panels
        .iter()
        .map(|p| {
            let (w, h) = p.carrier.half_extent();
            w.max(h)
        })
        .fold(1.0, f64::max)
        * 1.04;
    let panels = area.split_evenly((1, plot.panels.len()));
    for (panel, region) in plot.panels.iter().zip(panels.iter()) {
        draw_carrier(panel, region, extent, s)?;
    }
    Ok(())
}

fn draw_carrier<DB: DrawingBackend>(
    panel: &CarrierPanel,
    region: &DrawingArea<DB, Shift>,
    extent: f64,
    s: Scaler,
) -> Result<()> {
    let (w, h) = region.dim_in_pixel();
    let (head, foot) = (s.px(30.0), s.px(30.0));
    let side = (w as i32 - s.px(24.0)).min(h as i32 - head - foot).max(10);
    let left = (w as i32 - side) / 2;
    region
        .draw(&Text::new(
            panel.title.clone(),
            (w as i32 / 2, s.px(6.0)),
            s.bold(14.0).pos(Pos::new(HPos::Center, VPos::Top)),
        ))
        .map_err(failed)?;
    region
        .draw(&Text::new(
            panel.caption.clone(),
            (w as i32 / 2, head + side + s.px(8.0)),
            s.font(12.0).pos(Pos::new(HPos::Center, VPos::Top)),
        ))
        .map_err(failed)?;
    let square = region.margin(head, h as i32 - head - side, left, w as i32 - left - side);
    let mut chart = ChartBuilder::on(&square).build_cartesian_2d(-extent..extent, -extent..extent).map_err(failed)?;
    let c = color(&panel.color);
    chart
        .draw_series(std::iter::once(Polygon::new(outline(&panel.carrier), RGBColor(0xee, 0xf1, 0xf5).filled())))
        .map_err(failed)?;
    chart
        .draw_series(std::iter::once(PathElement::new(
            outline(&panel.carrier),
            MUTED.stroke_width(s.px(2.0).max(1) as u32),
        )))
        .map_err(failed)?;
    chart
        .draw_series(DashedLineSeries::new(
            outline(&panel.usable),
            s.px(5.0) as u32,
            s.px(4.0) as u32,
            MUTED.stroke_width(1),
        ))
        .map_err(failed)?;
    chart
        .draw_series(
            panel
                .placements
                .iter()
                .map(|p| Rectangle::new([(p[0], p[1]), (p[0] + p[2], p[1] + p[3])], c.mix(0.75).filled())),
        )
        .map_err(failed)?;
    chart
        .draw_series(
            panel
                .placements
                .iter()
                .map(|p| Rectangle::new([(p[0], p[1]), (p[0] + p[2], p[1] + p[3])], WHITE.stroke_width(1))),
        )
        .map_err(failed)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_of_markers_in_the_same_month_take_separate_lines() {
        let at = |x: f64| Marker { x, label: String::new() };
        let markers = [at(24323.0), at(24332.0), at(24332.0), at(24333.0)];
        let rows: Vec<usize> = (0..markers.len()).map(|i| label_row(&markers, i, 48.0)).collect();
        assert_eq!(rows, [0, 0, 1, 2]);
    }

    #[test]
    fn month_axes_tick_on_quarters_or_on_years() {
        let jan_2025 = 2025.0 * 12.0;
        let quarters = MonthTicks::over(jan_2025 - 0.5, jan_2025 + 23.5);
        let labels: Vec<String> = quarters.bold().iter().map(|m| quarters.label(*m)).collect();
        assert_eq!(labels[..3], ["Jan 2025", "Apr 2025", "Jul 2025"]);
        assert_eq!(labels.len(), 8);
        assert_eq!(quarters.light().len(), 24);
        let years = MonthTicks::over(jan_2025 - 13.0, jan_2025 + 60.0);
        let labels: Vec<String> = years.bold().iter().map(|m| years.label(*m)).collect();
        assert_eq!(labels, ["2024", "2025", "2026", "2027", "2028", "2029", "2030"]);
    }

    #[test]
    fn value_axes_tick_on_round_numbers() {
        assert_eq!(nice_ticks(0.0, 10_000.0, 8), [0.0, 2000.0, 4000.0, 6000.0, 8000.0, 10_000.0]);
        assert_eq!(nice_ticks(-1.0, 2.0, 8), [-1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0]);
    }

    #[test]
    fn short_numbers_read_well() {
        assert_eq!(short_number(12.0), "12");
        assert_eq!(short_number(0.05), "0.05");
        assert_eq!(short_number(65000.0), "65k");
        assert_eq!(short_number(2_400_000.0), "2.4M");
    }
}
