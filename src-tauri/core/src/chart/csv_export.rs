//! The data behind a chart as CSV, with the marking and provenance as `#` comment
//! lines at the top and the bottom (spreadsheet tools and `pandas.read_csv(comment="#")`
//! skip them). Numbers are written in full precision, exactly as the model made them.

use std::collections::BTreeMap;

use super::spec::{month_label, Axis, BarPlot, ChartBody, ChartSpec, LayoutPlot, Scale, XyPlot};
use crate::{Error, Result};

fn header(axis: &Axis) -> String {
    if axis.unit.is_empty() {
        axis.label.clone()
    } else {
        format!("{} ({})", axis.label, axis.unit)
    }
}

/// `f64` in its shortest exact form; empty when absent.
fn number(v: Option<f64>) -> String {
    v.map(|v| format!("{v}")).unwrap_or_default()
}

/// Writes the chart's data as CSV.
pub fn write(spec: &ChartSpec) -> Result<Vec<u8>> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    match &spec.body {
        ChartBody::Xy(plot) => xy_rows(plot, &mut rows),
        ChartBody::Bars(plot) => bar_rows(plot, &mut rows),
        ChartBody::Layout(plot) => layout_rows(plot, &mut rows),
    }
    let mut out = Vec::new();
    let banner = format!("# {}\n", spec.marking.banner_text());
    out.extend_from_slice(banner.as_bytes());
    out.extend_from_slice(format!("# {}\n", spec.title).as_bytes());
    for line in spec.provenance.lines() {
        out.extend_from_slice(format!("# {line}\n").as_bytes());
    }
    {
        let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(&mut out);
        for row in &rows {
            writer.write_record(row).map_err(|e| Error::internal(format!("could not write CSV: {e}")))?;
        }
        writer.flush().map_err(|e| Error::internal(format!("could not write CSV: {e}")))?;
    }
    out.extend_from_slice(banner.as_bytes());
    Ok(out)
}

fn xy_rows(plot: &XyPlot, rows: &mut Vec<Vec<String>>) {
    let y_unit =
        |name: &str| if plot.y.unit.is_empty() { name.to_owned() } else { format!("{name} ({})", plot.y.unit) };
    let mut head = vec![header(&plot.x)];
    head.extend(plot.series.iter().map(|s| y_unit(&s.name)));
    for band in &plot.bands {
        head.push(y_unit(&format!("{} low", band.name)));
        head.push(y_unit(&format!("{} high", band.name)));
    }
    if !plot.shades.is_empty() {
        head.push("note".into());
    }
    rows.push(head);

    // Every x of every series and band, in order; f64 keys by their bits, sorted numerically.
    let mut xs: BTreeMap<i64, f64> = BTreeMap::new();
    let key = |x: f64| (x * 1e6).round() as i64;
    for x in plot
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p[0]))
        .chain(plot.bands.iter().flat_map(|b| b.points.iter().map(|p| p[0])))
    {
        xs.insert(key(x), x);
    }
    for &x in xs.values() {
        let label = if plot.x.scale == Scale::Month { month_label(x) } else { number(Some(x)) };
        let mut row = vec![label];
        for s in &plot.series {
            row.push(number(s.points.iter().find(|p| key(p[0]) == key(x)).map(|p| p[1])));
        }
        for b in &plot.bands {
            let p = b.points.iter().find(|p| key(p[0]) == key(x));
            row.push(number(p.map(|p| p[1])));
            row.push(number(p.map(|p| p[2])));
        }
        if !plot.shades.is_empty() {
            let notes: Vec<&str> =
                plot.shades.iter().filter(|s| s.from <= x && x <= s.to).map(|s| s.label.as_str()).collect();
            row.push(notes.join("; "));
        }
        rows.push(row);
    }
    for m in &plot.markers {
        let at = if plot.x.scale == Scale::Month { month_label(m.x) } else { number(Some(m.x)) };
        rows.push(vec![format!("marker: {} at {at}", m.label)]);
    }
}

fn bar_rows(plot: &BarPlot, rows: &mut Vec<Vec<String>>) {
    let unit = &plot.value_axis.unit;
    let mut head = vec!["category".to_owned()];
    for s in &plot.series {
        head.push(format!("{} from ({unit})", s.name));
        head.push(format!("{} to ({unit})", s.name));
    }
    head.push("flag".into());
    rows.push(head);
    for (i, category) in plot.categories.iter().enumerate() {
        let mut row = vec![category.clone()];
        for s in &plot.series {
            let span = s.spans.get(i);
            row.push(number(span.map(|v| v[0])));
            row.push(number(span.map(|v| v[1])));
        }
        row.push(plot.flags.get(i).cloned().flatten().unwrap_or_default());
        rows.push(row);
    }
    for r in &plot.reference_lines {
        rows.push(vec![format!("reference: {} at {}", r.label, number(Some(r.x)))]);
    }
}

fn layout_rows(plot: &LayoutPlot, rows: &mut Vec<Vec<String>>) {
    rows.push(vec![
        "carrier".into(),
        "x_min (mm)".into(),
        "y_min (mm)".into(),
        "width (mm)".into(),
        "height (mm)".into(),
    ]);
    for panel in &plot.panels {
        for p in &panel.placements {
            rows.push(vec![
                panel.title.clone(),
                number(Some(p[0])),
                number(Some(p[1])),
                number(Some(p[2])),
                number(Some(p[3])),
            ]);
        }
    }
}
