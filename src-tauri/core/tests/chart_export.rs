//! Chart exports as a user receives them: golden PNG, SVG and CSV files for each
//! kind of chart body, the classification marking and provenance in every file,
//! CSV numbers equal to the spec's, and sizes checked before drawing.
//!
//! Regenerate the golden files after a deliberate visual change with
//! `UPDATE_GOLDEN=1 cargo test -p packplan-core --test chart_export`, then look at them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use packplan_core::chart::kind::ChartKind;
use packplan_core::chart::*;
use packplan_core::classification::Policy;

fn provenance() -> Provenance {
    Provenance {
        datasets: vec![DatasetRef { title: "Demo: public estimates".into(), as_of: "2026-06-30".into() }],
        scenario: Some("Baseline".into()),
        run_id: Some("run-0001".into()),
        seed: Some(42),
        generated: "2026-11-25".into(),
        app_version: "0.1.0".into(),
    }
}

fn marking() -> Marking {
    Marking::strictest(&Policy::default(), ["CONFIDENTIAL - SUPPLIER NDA", "PUBLIC"], None)
        .with_caveat("Illustrative: public estimates")
}

fn months(from: (i32, u32), n: usize) -> Vec<f64> {
    (0..n).map(|i| month_number(from.0, from.1) + i as f64).collect()
}

fn xy_spec() -> ChartSpec {
    let xs = months((2025, 1), 24);
    let cowos: Vec<[f64; 2]> = xs.iter().enumerate().map(|(i, &x)| [x, 65_000.0 + 2_500.0 * i as f64]).collect();
    let osat: Vec<[f64; 2]> = xs.iter().enumerate().map(|(i, &x)| [x, 17_000.0 + 600.0 * i as f64]).collect();
    let band: Vec<[f64; 3]> = xs
        .iter()
        .enumerate()
        .map(|(i, &x)| [x, 78_000.0 + 2_000.0 * i as f64, 86_000.0 + 3_600.0 * i as f64])
        .collect();
    ChartSpec {
        kind: ChartKind::Capacity,
        title: "Packaging capacity by technology".into(),
        subtitle: Some("CoWoS-class wafers per month, TSMC and OSAT".into()),
        body: ChartBody::Xy(XyPlot {
            x: Axis { label: "Month".into(), unit: String::new(), scale: Scale::Month },
            y: Axis { label: "Capacity".into(), unit: "wafers/month".into(), scale: Scale::Linear },
            series: vec![
                Series {
                    name: "TSMC CoWoS".into(),
                    color: palette::series_color(0).into(),
                    style: SeriesStyle::Area,
                    stack: Some("cap".into()),
                    points: cowos,
                },
                Series {
                    name: "OSAT CoWoS-class".into(),
                    color: palette::series_color(1).into(),
                    style: SeriesStyle::Area,
                    stack: Some("cap".into()),
                    points: osat,
                },
            ],
            bands: vec![Band {
                name: "P10-P90 total".into(),
                color: palette::series_color(2).into(),
                opacity: 0.2,
                points: band,
            }],
            shades: vec![Shade {
                from: month_number(2026, 1),
                to: month_number(2026, 6),
                label: "HBM binds".into(),
                color: "#CC79A7".into(),
            }],
            markers: vec![Marker { x: month_number(2026, 9), label: "Needed by".into() }],
        }),
        marking: marking(),
        provenance: provenance(),
    }
}

fn bars_spec() -> ChartSpec {
    ChartSpec {
        kind: ChartKind::Tornado,
        title: "What moves the completion month".into(),
        subtitle: None,
        body: ChartBody::Bars(BarPlot {
            value_axis: Axis { label: "Completion".into(), unit: "months after start".into(), scale: Scale::Linear },
            categories: vec!["CoWoS-L capacity".into(), "HBM3e supply (SK hynix)".into(), "CoPoS volume start".into()],
            series: vec![BarSeries {
                name: "P10 to P90".into(),
                color: palette::series_color(0).into(),
                spans: vec![[9.0, 15.5], [10.0, 13.0], [11.0, 12.0]],
            }],
            reference_lines: vec![Marker { x: 11.5, label: "Base 11.5".into() }],
            zones: vec![],
            flags: vec![None, Some("single source".into()), None],
        }),
        marking: marking(),
        provenance: provenance(),
    }
}

fn grid(half_w: f64, half_h: f64, w: f64, h: f64) -> Vec<[f64; 4]> {
    let mut out = Vec::new();
    let (nx, ny) = ((2.0 * half_w / w).floor() as i32, (2.0 * half_h / h).floor() as i32);
    for i in 0..nx {
        for j in 0..ny {
            out.push([-half_w + f64::from(i) * w, -half_h + f64::from(j) * h, w - 0.2, h - 0.2]);
        }
    }
    out
}

fn layout_spec() -> ChartSpec {
    ChartSpec {
        kind: ChartKind::WaferVsPanel,
        title: "Wafer vs panel: 66 x 72 mm interposer".into(),
        subtitle: None,
        body: ChartBody::Layout(LayoutPlot {
            panels: vec![
                CarrierPanel {
                    title: "300 mm wafer".into(),
                    carrier: CarrierShape::Circle { diameter_mm: 300.0 },
                    usable: CarrierShape::Circle { diameter_mm: 294.0 },
                    placements: vec![[-99.1, -72.1, 66.0, 72.0], [-33.0, -72.1, 66.0, 72.0], [33.1, -72.1, 66.0, 72.0]],
                    caption: "3 units (fixture)".into(),
                    color: palette::series_color(0).into(),
                },
                CarrierPanel {
                    title: "310 x 310 mm panel".into(),
                    carrier: CarrierShape::Rect { width_mm: 310.0, height_mm: 310.0 },
                    usable: CarrierShape::Rect { width_mm: 300.0, height_mm: 300.0 },
                    placements: grid(150.0, 150.0, 66.2, 72.2),
                    caption: "16 units (fixture)".into(),
                    color: palette::series_color(1).into(),
                },
            ],
        }),
        marking: marking(),
        provenance: provenance(),
    }
}

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name)
}

/// Compares with the golden file (or writes it with UPDATE_GOLDEN=1).
fn check_golden(name: &str, bytes: &[u8], compare: impl Fn(&[u8], &[u8]) -> Result<(), String>) {
    let path = golden(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, bytes).unwrap();
        return;
    }
    let expected = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with UPDATE_GOLDEN=1 to create it", path.display()));
    if let Err(why) = compare(&expected, bytes) {
        let actual = path.with_extension(format!("actual.{}", path.extension().unwrap().to_str().unwrap()));
        std::fs::write(&actual, bytes).unwrap();
        panic!("{name} differs from its golden file: {why}; the new output is in {}", actual.display());
    }
}

/// Compares a text export with its golden file, failing with the difference (or writes it
/// with UPDATE_GOLDEN=1 or UPDATE_EXPECT=1).
fn check_text(name: &str, bytes: &[u8]) {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(golden(name), &text).unwrap();
        return;
    }
    expect_test::expect_file![format!("golden/{name}")].assert_eq(&text);
}

fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>, Vec<(String, String)>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut buf).unwrap();
    buf.truncate(frame.buffer_size());
    let info = reader.info();
    let texts = info.utf8_text.iter().map(|t| (t.keyword.clone(), t.get_text().unwrap())).collect();
    (frame.width, frame.height, buf, texts)
}

/// PNGs match when at most 0.5% of pixels differ by more than 48 in a channel.
fn similar_png(a: &[u8], b: &[u8]) -> Result<(), String> {
    let (wa, ha, pa, _) = decode(a);
    let (wb, hb, pb, _) = decode(b);
    if (wa, ha) != (wb, hb) {
        return Err(format!("size {wb}x{hb} instead of {wa}x{ha}"));
    }
    let differing = pa
        .chunks(3)
        .zip(pb.chunks(3))
        .filter(|(x, y)| x.iter().zip(y.iter()).any(|(p, q)| p.abs_diff(*q) > 48))
        .count();
    let share = differing as f64 / f64::from(wa * ha);
    if share <= 0.005 {
        Ok(())
    } else {
        Err(format!("{:.2}% of pixels differ", share * 100.0))
    }
}

#[test]
fn every_chart_body_matches_its_golden_png_svg_and_csv() {
    let size = ImageSize { width: 1200, height: 700, scale: 1.0 };
    for (name, spec) in [("xy", xy_spec()), ("bars", bars_spec()), ("layout", layout_spec())] {
        check_golden(&format!("{name}.png"), &export(&spec, Format::Png, size).unwrap(), similar_png);
        check_text(&format!("{name}.svg"), &export(&spec, Format::Svg, size).unwrap());
        check_text(&format!("{name}.csv"), &export(&spec, Format::Csv, size).unwrap());
        // The same spec as the UI receives it; ui/src/lib/chart/option.test.ts draws it.
        let view = serde_json::to_vec_pretty(&ChartView::of(spec.clone())).unwrap();
        check_text(&format!("{name}.view.json"), &view);
    }
}

#[test]
fn every_export_carries_the_marking_and_provenance() {
    let spec = xy_spec();
    let banner = spec.marking.banner_text();
    assert_eq!(banner, "CONFIDENTIAL // SUPPLIER NDA // ILLUSTRATIVE: PUBLIC ESTIMATES");

    let svg = String::from_utf8(export(&spec, Format::Svg, ImageSize::default()).unwrap()).unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("the SVG is well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    assert_eq!(doc.root_element().attribute("width"), Some("1600"));
    assert!(svg.contains(&format!("aria-label=\"{banner}\"")), "banner drawn as outlined text");
    assert_eq!(svg.matches(&format!("aria-label=\"{banner}\"")).count(), 2, "banner at top and bottom");
    assert!(svg.contains("Seed: 42"), "provenance footer");
    assert!(!svg.contains("<text"), "no text that depends on the viewer's fonts");

    let (w, h, pixels, texts) = decode(&export(&spec, Format::Png, ImageSize::default()).unwrap());
    assert_eq!((w, h), (1600, 900));
    assert!(texts.iter().any(|(k, v)| k == "Classification" && v == &banner), "{texts:?}");
    assert!(texts.iter().any(|(k, v)| k == "Provenance" && v.contains("run-0001")));
    // The banner rows are the confidential colour, at the top and at the bottom.
    assert_eq!(marking().background, "#C8102E");
    let (r, g, b) = palette::rgb(&marking().background);
    let px = |x: u32, y: u32| {
        let i = ((y * w + x) * 3) as usize;
        (pixels[i], pixels[i + 1], pixels[i + 2])
    };
    assert_eq!(px(5, 5), (r, g, b));
    assert_eq!(px(5, h - 5), (r, g, b));

    let csv = String::from_utf8(export(&spec, Format::Csv, ImageSize::default()).unwrap()).unwrap();
    assert!(csv.starts_with(&format!("# {banner}\n")));
    assert!(csv.trim_end().ends_with(&format!("# {banner}")));
    assert!(csv.contains("# Data: Demo: public estimates (as of 2026-06-30)"));
}

#[test]
fn csv_numbers_equal_the_specs() {
    let spec = xy_spec();
    let csv = String::from_utf8(export(&spec, Format::Csv, ImageSize::default()).unwrap()).unwrap();
    let mut reader = csv::ReaderBuilder::new().comment(Some(b'#')).flexible(true).from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "Month");
    assert_eq!(&headers[1], "TSMC CoWoS (wafers/month)");
    let ChartBody::Xy(plot) = &spec.body else { unreachable!() };
    let rows: Vec<csv::StringRecord> =
        reader.records().map(|r| r.unwrap()).filter(|r| !r[0].starts_with("marker")).collect();
    assert_eq!(rows.len(), plot.series[0].points.len());
    for (row, point) in rows.iter().zip(&plot.series[0].points) {
        assert_eq!(&row[0], month_label(point[0]));
        assert_eq!(row[1].parse::<f64>().unwrap(), point[1]);
    }
    assert_eq!(&rows[12][5], "HBM binds", "the shaded range is named on its rows");
}

#[test]
fn sizes_and_formats_are_checked_before_drawing() {
    let spec = bars_spec();
    let e = export(&spec, Format::Png, ImageSize { width: 100, height: 100, scale: 1.0 }).unwrap_err();
    assert!(e.to_string().contains("out of range"), "{e}");
    let e = export(&spec, Format::Png, ImageSize { width: 1600, height: 900, scale: 9.0 }).unwrap_err();
    assert!(e.to_string().contains("scale"), "{e}");
    assert!("gif".parse::<Format>().unwrap_err().to_string().contains("use png, svg or csv"));
    let big = export(&spec, Format::Png, ImageSize { width: 1600, height: 900, scale: 2.0 }).unwrap();
    assert_eq!(decode(&big).0, 3200);
}
