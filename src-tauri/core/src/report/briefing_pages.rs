//! The briefing pack's pages: A4 landscape, each an SVG (text set in the bundled
//! font, wrapped to the measure) that `chart::picture::pdf` writes as one PDF. Every
//! page carries the marking banner at its top and bottom in the scheme's colours,
//! and the provenance footer with its page number.

use super::briefing::Briefing;
use crate::chart::picture::{self, escape, PdfInfo};
use crate::chart::{font, Marking};
use crate::month::Month;
use crate::Result;

/// A4 landscape at 96 pixels to the inch.
const W: f64 = 1123.0;
const H: f64 = 794.0;
const MARGIN: f64 = 48.0;
const BANNER: f64 = 30.0;
/// Where the content may go.
const TOP: f64 = BANNER + 30.0;
const BOTTOM: f64 = H - BANNER - 52.0;
const TEXT: &str = "#1B2430";
const MUTED: &str = "#5B6675";
const RULE: &str = "#CFD4DA";

/// How a line of text is set: its size in pixels, weight, colour and anchor.
#[derive(Clone, Copy)]
struct Type<'a> {
    size: f64,
    bold: bool,
    colour: &'a str,
    /// SVG's `text-anchor`: `start` or `end`.
    anchor: &'a str,
}

/// One column of a table: its heading, its share of the width, right-aligned or not.
struct Column<'a> {
    heading: &'a str,
    width: f64,
    right: bool,
}

/// The pages as they are laid out: the body of each (without banners and footer).
struct Pages {
    done: Vec<String>,
    body: String,
    y: f64,
}

impl Pages {
    fn new() -> Pages {
        Pages { done: Vec::new(), body: String::new(), y: TOP }
    }

    fn page_break(&mut self) {
        self.done.push(std::mem::take(&mut self.body));
        self.y = TOP;
    }

    /// Starts a new page unless this one has `needed` pixels left.
    fn room(&mut self, needed: f64) {
        if self.y + needed > BOTTOM && self.y > TOP {
            self.page_break();
        }
    }

    fn text(&mut self, (x, y): (f64, f64), Type { size, bold, colour, anchor }: Type<'_>, s: &str) {
        let weight = if bold { " font-weight=\"bold\"" } else { "" };
        self.body.push_str(&format!(
            "<text x=\"{x:.1}\" y=\"{y:.1}\" font-family=\"{}\" font-size=\"{size}\"{weight} fill=\"{colour}\" text-anchor=\"{anchor}\">{}</text>\n",
            font::FAMILY,
            escape(s)
        ));
    }

    fn heading(&mut self, s: &str) -> Result<()> {
        self.room(80.0);
        if self.y > TOP {
            self.y += 14.0;
        }
        self.y += 24.0;
        self.text((MARGIN, self.y), Type { size: 22.0, bold: true, colour: TEXT, anchor: "start" }, s);
        self.y += 14.0;
        Ok(())
    }

    /// A paragraph wrapped to the measure.
    fn paragraph(&mut self, s: &str, size: f64, colour: &str) -> Result<()> {
        for line in wrap(s, size, false, W - 2.0 * MARGIN)? {
            self.room(size * 1.5);
            self.y += size * 1.45;
            self.text((MARGIN, self.y), Type { size, bold: false, colour, anchor: "start" }, &line);
        }
        self.y += size * 0.5;
        Ok(())
    }

    /// A table with wrapped cells; its heading row is repeated on each page it spans.
    fn table(&mut self, columns: &[Column<'_>], rows: &[Vec<String>]) -> Result<()> {
        let size = 12.0;
        let total: f64 = columns.iter().map(|c| c.width).sum();
        let widths: Vec<f64> = columns.iter().map(|c| c.width / total * (W - 2.0 * MARGIN)).collect();
        let head = |p: &mut Pages| {
            p.y += size * 1.6;
            let mut x = MARGIN;
            for (c, w) in columns.iter().zip(&widths) {
                let (at, anchor) = if c.right { (x + w - 6.0, "end") } else { (x, "start") };
                p.text((at, p.y), Type { size, bold: true, colour: MUTED, anchor }, c.heading);
                x += w;
            }
            p.y += 6.0;
            p.rule();
        };
        self.room(size * 4.0);
        head(self);
        for row in rows {
            let cells: Vec<Vec<String>> =
                row.iter().zip(&widths).map(|(cell, w)| wrap(cell, size, false, w - 10.0)).collect::<Result<_>>()?;
            let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let height = lines as f64 * size * 1.35 + 6.0;
            if self.y + height > BOTTOM {
                self.page_break();
                head(self);
            }
            let mut x = MARGIN;
            for ((cell, c), w) in cells.iter().zip(columns).zip(&widths) {
                for (i, line) in cell.iter().enumerate() {
                    let y = self.y + size * 1.3 + i as f64 * size * 1.35;
                    let (at, anchor) = if c.right { (x + w - 6.0, "end") } else { (x, "start") };
                    self.text((at, y), Type { size, bold: false, colour: TEXT, anchor }, line);
                }
                x += w;
            }
            self.y += height;
            self.rule();
        }
        self.y += 8.0;
        Ok(())
    }

    fn rule(&mut self) {
        self.body.push_str(&format!(
            "<line x1=\"{MARGIN}\" y1=\"{y:.1}\" x2=\"{}\" y2=\"{y:.1}\" stroke=\"{RULE}\" stroke-width=\"1\"/>\n",
            W - MARGIN,
            y = self.y
        ));
    }

    /// A chart on a page of its own, drawn without its own banners (the page has them).
    fn chart(&mut self, svg: &str, (cw, ch): (f64, f64)) -> Result<()> {
        if self.y > TOP {
            self.page_break();
        }
        let (bw, bh) = (W - 2.0 * MARGIN, BOTTOM - TOP);
        let k = (bw / cw).min(bh / ch);
        let (w, h) = (cw * k, ch * k);
        let inner = svg.split_once('>').map(|(_, rest)| rest).unwrap_or(svg);
        let inner = inner.trim_end().strip_suffix("</svg>").unwrap_or(inner);
        self.body.push_str(&format!(
            "<svg x=\"{:.1}\" y=\"{TOP:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" viewBox=\"0 0 {cw} {ch}\">{inner}</svg>\n",
            (W - w) / 2.0
        ));
        self.y = TOP + h;
        Ok(())
    }

    /// Every page: its body inside the banners, the footer and the page number.
    fn finish(mut self, marking: &Marking, footer: &[String]) -> Vec<String> {
        if !self.body.is_empty() {
            self.page_break();
        }
        let n = self.done.len();
        let banner = marking.banner_text();
        self.done
            .iter()
            .enumerate()
            .map(|(i, body)| {
                let mut page = format!(
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\">\n<rect width=\"{W}\" height=\"{H}\" fill=\"#FFFFFF\"/>\n"
                );
                for y in [0.0, H - BANNER] {
                    page.push_str(&format!(
                        "<rect x=\"0\" y=\"{y}\" width=\"{W}\" height=\"{BANNER}\" fill=\"{}\"/>\n<text x=\"{}\" y=\"{:.1}\" font-family=\"{}\" font-size=\"14\" font-weight=\"bold\" fill=\"{}\" text-anchor=\"middle\">{}</text>\n",
                        marking.background,
                        W / 2.0,
                        y + BANNER / 2.0 + 5.0,
                        font::FAMILY,
                        marking.foreground,
                        escape(&banner)
                    ));
                }
                page.push_str(body);
                let mut y = H - BANNER - 34.0;
                for line in footer {
                    page.push_str(&format!(
                        "<text x=\"{MARGIN}\" y=\"{y:.1}\" font-family=\"{}\" font-size=\"10\" fill=\"{MUTED}\">{}</text>\n",
                        font::FAMILY,
                        escape(line)
                    ));
                    y += 14.0;
                }
                page.push_str(&format!(
                    "<text x=\"{}\" y=\"{:.1}\" font-family=\"{}\" font-size=\"11\" fill=\"{MUTED}\" text-anchor=\"end\">Page {} of {n}</text>\n</svg>\n",
                    W - MARGIN,
                    H - BANNER - 20.0,
                    font::FAMILY,
                    i + 1
                ));
                page
            })
            .collect()
    }
}

/// `text` broken into lines no wider than `width` pixels (a word longer than the
/// line is kept whole).
fn wrap(text: &str, size: f64, bold: bool, width: f64) -> Result<Vec<String>> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if !line.is_empty() && font::text_width(&candidate, size, bold)? > width {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    Ok(lines)
}

/// A share as a whole percentage: `64%`.
pub fn percent(p: f64) -> String {
    format!("{:.0}%", p * 100.0)
}

/// USD per hour: `$2.41`.
pub fn dollars(v: f64) -> String {
    format!("${v:.2}")
}

/// The chart size the pack draws at (the same layout as an export).
const CHART: (u32, u32) = (1200, 675);

/// The pack as PDF bytes.
pub fn pdf(b: &Briefing) -> Result<Vec<u8>> {
    let mut p = Pages::new();
    // the cover
    p.y = TOP + 120.0;
    p.text((MARGIN, p.y), Type { size: 34.0, bold: true, colour: TEXT, anchor: "start" }, &b.title);
    p.y += 40.0;
    let against = b.compare_with.as_deref().map(|s| format!(", compared with {s}")).unwrap_or_default();
    p.paragraph(&format!("Scenario {}{against}. Prepared {} with Packplan.", b.scenario, b.date), 16.0, MUTED)?;
    p.y += 24.0;
    p.text((MARGIN, p.y), Type { size: 14.0, bold: true, colour: TEXT, anchor: "start" }, "Data behind it");
    p.y += 6.0;
    for d in &b.datasets {
        p.paragraph(
            &format!("{}, marked {}, figures as of {}", d.title, d.classification, as_of(&d.as_of)),
            13.0,
            TEXT,
        )?;
    }
    p.y += 16.0;
    p.paragraph(
        &format!(
            "This pack is marked {} as the strictest of its data. Handle it accordingly.",
            b.marking.banner_text()
        ),
        13.0,
        TEXT,
    )?;
    p.page_break();

    // the answer first
    p.heading("The answer")?;
    p.paragraph(
        &format!(
            "Each order's chance of arriving by its needed-by month, from {} Monte Carlo trials, when it completes (P10, P50, P90), and what an accelerator-hour costs on premises against renting it.",
            b.trials
        ),
        13.0,
        MUTED,
    )?;
    let columns = [
        Column { heading: "Order", width: 1.3, right: false },
        Column { heading: "Product", width: 1.0, right: false },
        Column { heading: "Quantity", width: 0.8, right: true },
        Column { heading: "Needed by", width: 0.9, right: true },
        Column { heading: "On time", width: 0.8, right: true },
        Column { heading: "P10", width: 0.9, right: true },
        Column { heading: "P50", width: 0.9, right: true },
        Column { heading: "P90", width: 0.9, right: true },
        Column { heading: "Own $/GPU-h", width: 1.0, right: true },
        Column { heading: "Cloud $/GPU-h", width: 1.0, right: true },
    ];
    let rows: Vec<Vec<String>> = b
        .answers
        .iter()
        .map(|a| {
            vec![
                a.order.clone(),
                a.product.clone(),
                a.quantity.to_string(),
                a.needed_by.words(),
                a.probability_on_time.map(percent).unwrap_or_else(|| "-".into()),
                Month::words_or_beyond(a.p10),
                Month::words_or_beyond(a.p50),
                Month::words_or_beyond(a.p90),
                a.cost_per_gpu_hour.map(dollars).unwrap_or_else(|| "-".into()),
                a.cloud_usd_per_hour.map(dollars).unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    p.table(&columns, &rows)?;
    for a in &b.answers {
        let chance = a.probability_on_time.map(percent).unwrap_or_else(|| "an unknown".into());
        let cost = match (a.cost_per_gpu_hour, a.cloud_usd_per_hour) {
            (Some(own), Some(cloud)) => {
                format!(" Owned, an accelerator-hour costs {} against {} to rent.", dollars(own), dollars(cloud))
            }
            _ => String::new(),
        };
        p.paragraph(
            &format!(
                "{}: {chance} chance that all {} {} arrive by {}; half the trials complete by {}.{cost}",
                a.order,
                a.quantity,
                a.product,
                a.needed_by.words(),
                Month::words_or_beyond(a.p50)
            ),
            13.0,
            TEXT,
        )?;
    }
    if !b.comparison.is_empty() {
        p.heading(&format!("Against {}", b.compare_with.as_deref().unwrap_or("the other scenario")))?;
        for s in &b.comparison {
            p.paragraph(s, 13.0, TEXT)?;
        }
    }

    // the bottleneck timeline and the concentration findings
    p.heading("What limits supply, and when")?;
    for s in &b.bottlenecks {
        p.paragraph(s, 13.0, TEXT)?;
    }
    p.heading("Concentration findings")?;
    if b.findings.is_empty() {
        p.paragraph("No technology is single-source or highly concentrated.", 13.0, TEXT)?;
    }
    for s in &b.findings {
        p.paragraph(s, 13.0, TEXT)?;
    }

    // the charts, one a page
    for spec in &b.charts {
        let svg = picture::svg_on_page(spec, CHART)?;
        p.chart(&svg, (f64::from(CHART.0), f64::from(CHART.1)))?;
    }
    p.page_break();

    // every assumption, with its source and grade
    p.heading("Assumptions behind the cost")?;
    let columns = [
        Column { heading: "Assumption", width: 2.6, right: false },
        Column { heading: "Unit", width: 1.0, right: false },
        Column { heading: "Low", width: 0.7, right: true },
        Column { heading: "Base", width: 0.7, right: true },
        Column { heading: "High", width: 0.7, right: true },
        Column { heading: "Source", width: 2.4, right: false },
        Column { heading: "As of", width: 0.9, right: false },
        Column { heading: "Grade", width: 0.5, right: false },
    ];
    let rows: Vec<Vec<String>> = b
        .assumptions
        .iter()
        .map(|a| {
            let sources = if a.sources.is_empty() {
                "not stated".to_string()
            } else {
                a.sources.iter().map(|s| s.source.clone()).collect::<Vec<_>>().join("; ")
            };
            let as_of = a.sources.iter().map(|s| s.as_of.clone()).max().unwrap_or_default();
            vec![
                a.name.clone(),
                a.unit.clone(),
                number(a.low),
                number(a.base),
                number(a.high),
                sources,
                as_of,
                "-".into(),
            ]
        })
        .collect();
    p.table(&columns, &rows)?;
    p.paragraph("Cost assumptions carry no grade in the data; capacity figures do (A official, B trade press or research, C aggregator).", 11.0, MUTED)?;
    p.heading("Capacity figures by source and grade")?;
    let columns = [
        Column { heading: "Technology", width: 1.6, right: false },
        Column { heading: "Source", width: 3.4, right: false },
        Column { heading: "Grade", width: 0.6, right: false },
        Column { heading: "Figures", width: 0.7, right: true },
        Column { heading: "As of", width: 1.0, right: false },
    ];
    let rows: Vec<Vec<String>> = b
        .capacity_sources
        .iter()
        .map(|c| {
            vec![c.technology.clone(), c.source.clone(), c.grade.clone(), c.observations.to_string(), c.as_of.clone()]
        })
        .collect();
    p.table(&columns, &rows)?;

    let footer = b.provenance.lines();
    let pages = p.finish(&b.marking, &footer);
    let banner = b.marking.banner_text();
    picture::pdf(
        &pages,
        &PdfInfo {
            title: &b.title,
            subject: &format!("{banner} | {}", footer.join(" | ")),
            keywords: vec![banner.clone()],
        },
    )
}

fn as_of(date: &str) -> &str {
    date.get(..10).unwrap_or(date)
}

/// A figure as the tables show it: at most three significant decimals.
fn number(v: f64) -> String {
    if v.abs() >= 1000.0 || v.fract() == 0.0 {
        format!("{v:.0}")
    } else if v.abs() >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_wrap_to_the_measure() {
        let text = "the quick brown fox jumps over the lazy dog ".repeat(8);
        let lines = wrap(&text, 12.0, false, 300.0).unwrap();
        assert!(lines.len() > 3);
        for l in &lines {
            assert!(font::text_width(l, 12.0, false).unwrap() <= 300.0, "{l}");
        }
        assert_eq!(lines.join(" "), text.trim());
    }

    #[test]
    fn figures_read_as_people_write_them() {
        assert_eq!(percent(0.6378), "64%");
        assert_eq!(dollars(2.4149), "$2.41");
        assert_eq!(number(65000.0), "65000");
        assert_eq!(number(0.065), "0.065");
    }
}
