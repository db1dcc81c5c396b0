//! Chart exports as a user receives them: each kind of chart body drawn like its
//! golden SVG (compared as pictures, with a tolerance; on a difference the test
//! writes both renderings and a diff image), the PNG and the PDF the same picture
//! as the SVG, the classification marking and provenance in every file, CSV numbers
//! equal to the spec's, and sizes checked before drawing.
//!
//! Regenerate the golden files after a deliberate visual change with
//! `UPDATE_GOLDEN=1 cargo test -p packplan-core --test chart_export`, then look at them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

mod support;

use packplan_core::chart::kind::ChartKind;
use packplan_core::chart::*;
use packplan_core::classification::Policy;
use support::picture::{decode, same_picture, svg_pixels};

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

/// The share of pixels that may differ from a golden picture drawn by the same
/// renderer, and from the same picture drawn by another (librsvg, poppler).
const GOLDEN: f64 = 0.0005;
const OTHER_RENDERER: f64 = 0.005;

/// SVGs match when they draw the same picture (see `support::picture`).
fn similar_svg(name: &'static str) -> impl Fn(&[u8], &[u8]) -> Result<(), String> {
    move |a, b| {
        let (a, b) = (std::str::from_utf8(a).unwrap(), std::str::from_utf8(b).unwrap());
        same_picture(name, &svg_pixels(a, 1.0), &svg_pixels(b, 1.0), GOLDEN)
    }
}

#[test]
fn every_chart_body_matches_its_golden_svg_and_csv() {
    let size = ImageSize { width: 1200, height: 700, scale: 1.0 };
    for (name, spec) in [("xy", xy_spec()), ("bars", bars_spec()), ("layout", layout_spec())] {
        check_golden(&format!("{name}.svg"), &export(&spec, Format::Svg, size).unwrap(), similar_svg(name));
        check_text(&format!("{name}.csv"), &export(&spec, Format::Csv, size).unwrap());
        // The same spec as the UI receives it; ui/src/lib/chart/option.test.ts draws it.
        let view = serde_json::to_vec_pretty(&ChartView::of(spec.clone())).unwrap();
        check_text(&format!("{name}.view.json"), &view);
    }
}

#[test]
fn a_picture_that_differs_is_caught_and_shown() {
    let spec = xy_spec();
    let size = ImageSize { width: 1200, height: 700, scale: 1.0 };
    let a = String::from_utf8(export(&spec, Format::Svg, size).unwrap()).unwrap();
    let mut moved = spec.clone();
    moved.title = "A different title, drawn where the old one was".into();
    let b = String::from_utf8(export(&moved, Format::Svg, size).unwrap()).unwrap();
    let why = same_picture("moved-title", &svg_pixels(&a, 1.0), &svg_pixels(&b, 1.0), GOLDEN).unwrap_err();
    assert!(why.contains("diff"), "{why}");
    assert!(same_picture("same", &svg_pixels(&a, 1.0), &svg_pixels(&a, 1.0), GOLDEN).is_ok());
}

#[test]
fn the_png_at_2x_is_3200x1800_and_the_same_picture_as_the_svg() {
    let spec = xy_spec();
    let size = ImageSize { width: 1600, height: 900, scale: 2.0 };
    let png = export(&spec, Format::Png, size).unwrap();
    let (w, h, pixels, _) = decode(&png);
    assert_eq!((w, h), (3200, 1800));
    // The SVG export drawn by a second renderer (librsvg, with the system's DejaVu
    // Sans) at 2x: the same picture, within anti-aliasing and hinting.
    let svg = export(&spec, Format::Svg, size).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("chart.svg"), &svg).unwrap();
    let status = std::process::Command::new("rsvg-convert")
        .args(["--zoom", "2", "--background-color", "white", "-o"])
        .arg(dir.path().join("librsvg.png"))
        .arg(dir.path().join("chart.svg"))
        .status()
        .expect("rsvg-convert (librsvg2-bin) is installed by scripts/setup.sh");
    assert!(status.success());
    let (lw, lh, theirs, _) = decode(&std::fs::read(dir.path().join("librsvg.png")).unwrap());
    assert_eq!((lw, lh), (3200, 1800));
    same_picture("png-vs-librsvg", &(w, h, pixels), &(lw, lh, theirs), OTHER_RENDERER).unwrap();
    // 1x and 3x are the same layout, sharper
    let (w1, h1, ..) = decode(&export(&spec, Format::Png, ImageSize { scale: 1.0, ..size }).unwrap());
    let (w3, h3, ..) = decode(&export(&spec, Format::Png, ImageSize { scale: 3.0, ..size }).unwrap());
    assert_eq!([(w1, h1), (w3, h3)], [(1600, 900), (4800, 2700)]);
}

#[test]
fn the_pdf_is_the_svg_with_its_text_kept_as_text() {
    let spec = bars_spec();
    let pdf = export(&spec, Format::Pdf, ImageSize::default()).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let text = support::pdf::text(&pdf);
    assert!(text.contains("What moves the completion month"), "{text}");
    assert_eq!(text.matches(&spec.marking.banner_text()).count(), 2, "banner at top and bottom: {text}");
    assert!(text.contains("Seed: 42"), "the provenance footer: {text}");
    // the page drawn by poppler looks like the SVG drawn by resvg
    let page = support::pdf::page_png(&pdf, 1, 96);
    let svg = String::from_utf8(export(&spec, Format::Svg, ImageSize::default()).unwrap()).unwrap();
    same_picture("pdf-vs-svg", &page, &svg_pixels(&svg, 1.0), OTHER_RENDERER).unwrap();
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
    let texts: Vec<roxmltree::Node> = doc.descendants().filter(|n| n.has_tag_name("text")).collect();
    let banners = texts.iter().filter(|n| n.text().map(str::trim) == Some(banner.as_str())).count();
    assert_eq!(banners, 2, "banner at top and bottom, as real text");
    assert!(texts.iter().all(|n| n.attribute("font-family") == Some("DejaVu Sans")), "the font named");
    assert!(svg.contains("Seed: 42"), "provenance footer");

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
    assert!("gif".parse::<Format>().unwrap_err().to_string().contains("use png, svg, pdf or csv"));
    let big = export(&spec, Format::Png, ImageSize { width: 1600, height: 900, scale: 2.0 }).unwrap();
    assert_eq!(decode(&big).0, 3200);
}
