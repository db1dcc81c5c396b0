//! The demo baseline against the public record (docs/calibration.md). Each anchor is
//! a published figure from the shared domain facts with its grade; the model's figure
//! for the same quantity is computed from a run of the demo data, planned from
//! 2026-12 with history from 2024-01. An anchor is met when the ratio lies within its
//! grade's band (x1.25 for A and B, x1.6 for C); an anchor the model misses must say
//! why, and one that is met must not carry a stale excuse. The table in
//! docs/calibration.md is generated from here: `UPDATE_DOCS=1 cargo test -p
//! packplan-core --test calibration` rewrites it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use packplan_core::bundle::producer::rows_from_folder;
use packplan_core::horizon::Horizon;
use packplan_core::model::assemble::assemble;
use packplan_core::model::input::ModelInput;
use packplan_core::model::run::{run, RunOptions, RunResult};
use packplan_core::model::scenario::Scenario;
use packplan_core::month::Month;
use packplan_core::progress::{CancelToken, NoProgress};

/// The demo planned as the calibration reads it.
struct Demo {
    input: ModelInput,
    run: RunResult,
}

impl Demo {
    fn new() -> Demo {
        let rows = rows_from_folder(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo"), "demo").unwrap();
        let window = Horizon { today: m("2026-12"), start: m("2024-01"), months: 72 };
        let input = assemble(&rows, vec![], &Scenario::baseline(), &window).unwrap();
        let run = run(&input, &RunOptions::default(), &NoProgress, &CancelToken::new()).unwrap();
        Demo { input, run }
    }

    fn vendor_of(&self, product: &str) -> &str {
        self.input.product(product).map(|p| p.vendor.as_str()).unwrap_or("")
    }

    fn months_in(&self, from: &str, to: &str) -> Vec<usize> {
        let (from, to) = (m(from), m(to));
        self.run.months.iter().enumerate().filter(|(_, x)| **x >= from && **x <= to).map(|(i, _)| i).collect()
    }

    /// Good units delivered of the products `pick` chooses, over `[from, to]`.
    fn units(&self, pick: impl Fn(&str, &str) -> bool, from: &str, to: &str) -> f64 {
        let months = self.months_in(from, to);
        self.run
            .network
            .products
            .iter()
            .filter(|p| pick(&p.product, self.vendor_of(&p.product)))
            .map(|p| months.iter().map(|&i| p.units[i]).sum::<f64>())
            .sum()
    }

    /// A need of the routes on `technologies` (per good unit: `per_unit`), summed over
    /// the products `pick` chooses, over `[from, to]` (by delivery month).
    fn used(
        &self,
        technologies: &[&str],
        per_unit: impl Fn(&packplan_core::model::network::RouteNeeds) -> f64,
        pick: impl Fn(&str) -> bool,
        from: &str,
        to: &str,
    ) -> f64 {
        let months = self.months_in(from, to);
        let mut total = 0.0;
        for p in &self.run.network.products {
            if !pick(self.vendor_of(&p.product)) {
                continue;
            }
            for (tech, units) in &p.by_route {
                let Some(need) =
                    self.run.network.routes.iter().find(|r| r.product == p.product && r.technology == *tech)
                else {
                    continue;
                };
                if technologies.is_empty() || technologies.contains(&tech.as_str()) {
                    total += months.iter().map(|&i| units[i]).sum::<f64>() * per_unit(need);
                }
            }
        }
        total
    }

    /// Capacity of `technology` in `month` (all facilities).
    fn capacity(&self, technologies: &[&str], month: &str) -> f64 {
        let i = self.input.start.months_until(m(month)) as usize;
        self.run.capacity.iter().filter(|c| technologies.contains(&c.technology.as_str())).map(|c| c.base[i]).sum()
    }
}

fn m(s: &str) -> Month {
    s.parse().unwrap()
}

const TSMC_COWOS: &[&str] = &["cowos-s", "cowos-l", "cowos-r"];
const ANY: fn(&str) -> bool = |_| true;
const NVIDIA: fn(&str) -> bool = |v| v == "NVIDIA";

/// One public figure and how to read the model's.
struct Anchor {
    what: &'static str,
    public: f64,
    unit: &'static str,
    /// `A`, `B` or `C` (a C corroborated to B counts as B).
    grade: char,
    source: &'static str,
    model: fn(&Demo) -> f64,
    /// Why the model does not meet it (required when it does not; refused when it does).
    miss: Option<&'static str>,
}

impl Anchor {
    fn band(&self) -> f64 {
        if self.grade == 'C' {
            1.6
        } else {
            1.25
        }
    }
}

/// Why NVIDIA's share of the CoWoS wafers used is missed.
const HBM_HOLDS: &str = "Google, AMD and AWS are held by their HBM3E shares (derived from Epoch AI: 11.4 %, 7 % and 2.6 %), which bind in most months of 2025, so they use only about 28 %, 65 % and 51 % of their CoWoS allocations and NVIDIA's share of the wafers used exceeds its 63 % allocation (the demo has one TPU and one Trainium per year: issue 16, item 9)";
/// Why the TPU anchors are missed.
const ONE_TPU: &str = "the demo has one TPU (v7, 8 HBM3E stacks) and Google's derived 11.4 % of HBM makes about 0.6M a year of it; the public counts cover every TPU generation, most with less HBM per chip (issue 16, item 9)";

fn anchors() -> Vec<Anchor> {
    vec![
        Anchor {
            what: "CoWoS wafers consumed at TSMC, 2024",
            public: 250_000.0,
            unit: "wafers",
            grade: 'B',
            source: "Commercial Times (250k; conflict: MS/Silicon Analysts ~370k)",
            model: |d| d.used(TSMC_COWOS, |n| n.carriers, ANY, "2024-01", "2024-12"),
            miss: Some("the demo has products for only part of 2024 demand (no H20, no smaller customers) and counts wafers as good units x carriers per good unit, without yield loss or engineering lots"),
        },
        Anchor {
            what: "TSMC CoWoS capacity, 2025 (sum of months)",
            public: 718_000.0,
            unit: "wafers",
            grade: 'B',
            source: "Morgan Stanley, Oct 2024, via longbridge [C→B]",
            model: |d| {
                d.months_in("2025-01", "2025-12").iter().map(|&i| d.capacity(TSMC_COWOS, &d.run.months[i].to_string())).sum()
            },
            miss: None,
        },
        Anchor {
            what: "TSMC CoWoS capacity, end-2026",
            public: 125_000.0,
            unit: "wafers/month",
            grade: 'B',
            source: "Morgan Stanley (Nov 2025) 120-130k; TSMC target 130k [C]; older: DIGITIMES 88k, JPM 95k",
            model: |d| d.capacity(TSMC_COWOS, "2026-12"),
            miss: None,
        },
        Anchor {
            what: "NVIDIA's share of CoWoS wafers used, 2025",
            public: 0.60,
            unit: "share",
            grade: 'B',
            source: "Epoch AI (60% of CoWoS); MS 63% of TSMC [C→B]. The allocation input is 63%: this checks use, not the input",
            model: |d| {
                d.used(TSMC_COWOS, |n| n.carriers, NVIDIA, "2025-01", "2025-12")
                    / d.used(TSMC_COWOS, |n| n.carriers, ANY, "2025-01", "2025-12")
            },
            miss: Some(HBM_HOLDS),
        },
        Anchor {
            what: "NVIDIA's share of HBM stacks used, 2025",
            public: 0.69,
            unit: "share",
            grade: 'B',
            source: "Epoch AI (69% of HBM). The allocation input is 69%: this checks use, not the input",
            model: |d| {
                d.used(&[], |n| n.hbm_stacks, NVIDIA, "2025-01", "2025-12") / d.used(&[], |n| n.hbm_stacks, ANY, "2025-01", "2025-12")
            },
            miss: None,
        },
        Anchor {
            what: "HBM stacks consumed by TSMC packaging, a quarter of 2025 (3Q25)",
            public: 10_000_000.0,
            unit: "stacks/quarter",
            grade: 'B',
            source: "Jun He (TSMC), Taipei Times 2025-09-10 [A/B]",
            model: |d| d.used(TSMC_COWOS, |n| n.hbm_stacks, ANY, "2025-07", "2025-09"),
            miss: None,
        },
        Anchor {
            what: "HBM supply, 2026 (sum of months, all makers)",
            public: 30.0e9,
            unit: "Gb",
            grade: 'B',
            source: "TrendForce: 2026 HBM shipments will exceed 30 billion Gb [B]",
            model: |d| {
                let gb: f64 = d
                    .months_in("2026-01", "2026-12")
                    .iter()
                    .map(|&i| d.capacity(&["hbm3", "hbm3e", "hbm4"], &d.run.months[i].to_string()))
                    .sum();
                gb * 8.0
            },
            miss: Some("the demo's HBM is the stack count measured at TSMC (Jun He: about 10M stacks a quarter in 3Q25), grown to an assumed 4.2M stacks a month by end-2026 [C], at 19 to 36 GB a stack: about 12B Gb in 2026. TrendForce's bit count is two and a half times that, and the two chains conflict (domain-facts, conflicts 5: the growth chain gives 14-16B Gb for 2025 against a broker's 25.9B Gb); the demo follows the stack count, measured where the accelerators are packaged"),
        },
        Anchor {
            what: "NVIDIA accelerators, 2024",
            public: 3_840_000.0,
            unit: "packages",
            grade: 'B',
            source: "Epoch AI chip sales, medians (incl. 0.96M H20 the demo has no product for)",
            model: |d| d.units(|_, v| v == "NVIDIA", "2024-01", "2024-12"),
            miss: Some("the demo has no H20 (0.96M of the 3.84M); against the 2.88M of products it has, the ratio is 0.56: the demo's HBM3 (6.6M stacks in 2024, 40 % of it allocated to AMD for MI300X) and HBM3E (from March 2024, ramping over nine months) bind the back-cast"),
        },
        Anchor {
            what: "NVIDIA accelerators, 2025",
            public: 4_460_000.0,
            unit: "packages",
            grade: 'B',
            source: "Epoch AI chip sales, medians",
            model: |d| d.units(|_, v| v == "NVIDIA", "2025-01", "2025-12"),
            miss: None,
        },
        Anchor {
            what: "NVIDIA accelerators, 2026",
            public: 5_400_000.0,
            unit: "packages",
            grade: 'B',
            source: "Morgan Stanley via SemiMedia, 2025-07-31",
            model: |d| d.units(|_, v| v == "NVIDIA", "2026-01", "2026-12"),
            miss: Some("HBM binds NVIDIA at its 69 % allocation, B300's 12-Hi stacks take 1.5x the HBM of B200's, and the demo's HBM4 figures are the 2025 vintage; the public figure predates Rubin's slip to a 3Q26 ramp (issue 16, item 9)"),
        },
        Anchor {
            what: "Rubin, 2026",
            public: 2_400_000.0,
            unit: "packages",
            grade: 'B',
            source: "Morgan Stanley via SemiMedia, 2025-07-31 (JPMorgan 2.9M [C→B]); predates the 3Q26 GPU ramp (Fubon)",
            model: |d| d.units(|p, _| p == "rubin", "2026-01", "2026-12"),
            miss: Some("the public figures predate Rubin's slip to a 3Q26 GPU ramp; in the demo HBM4 starts 2026-02 and ramps over nine months (issue 16, item 9)"),
        },
        Anchor {
            what: "Google TPU, 2025",
            public: 2_680_000.0,
            unit: "packages",
            grade: 'B',
            source: "Epoch AI chip sales, medians (all TPU generations; the demo has v7 only)",
            model: |d| d.units(|_, v| v == "Google", "2025-01", "2025-12"),
            miss: Some(ONE_TPU),
        },
        Anchor {
            what: "Google TPU, 2026",
            public: 3_500_000.0,
            unit: "packages",
            grade: 'B',
            source: "Economic Daily News, late 2025 [B] (JPMorgan 3.7M; Epoch's 1Q26 run rate ~1.8M)",
            model: |d| d.units(|_, v| v == "Google", "2026-01", "2026-12"),
            miss: Some(ONE_TPU),
        },
        Anchor {
            what: "AMD Instinct, 2025",
            public: 440_000.0,
            unit: "packages",
            grade: 'B',
            source: "Epoch AI chip sales, medians",
            model: |d| d.units(|_, v| v == "AMD", "2025-01", "2025-12"),
            miss: None,
        },
        Anchor {
            what: "AWS Trainium, 2025",
            public: 1_080_000.0,
            unit: "packages",
            grade: 'B',
            source: "Epoch AI chip sales, medians (Trainium2)",
            model: |d| d.units(|_, v| v == "AWS", "2025-01", "2025-12"),
            miss: Some("the demo holds AWS to a derived 2.6 % of HBM3E, which binds in every month of 2025 and makes about 0.26M Trainium2 (AWS uses half of its 3 % of CoWoS); the public unit count implies larger allocations (issue 16, item 9)"),
        },
        Anchor {
            what: "Google/Broadcom CoWoS wafers, 2026",
            public: 185_000.0,
            unit: "wafers",
            grade: 'B',
            source: "JPMorgan, Sep 2025 [C→B] (raised to 230k in Jan 2026)",
            model: |d| d.used(TSMC_COWOS, |n| n.carriers, |v| v == "Google", "2026-01", "2026-12"),
            miss: Some(ONE_TPU),
        },
    ]
}

/// One row of the table: the anchor, the model's figure, the ratio and the verdict.
fn table(demo: &Demo) -> (String, Vec<String>) {
    let mut out = String::from(
        "| Anchor | Public | Grade | Band | Model | Ratio | Met | Source; why missed |\n|---|---|---|---|---|---|---|---|\n",
    );
    let mut problems = Vec::new();
    for a in anchors() {
        let figure = (a.model)(demo);
        let ratio = figure / a.public;
        let met = ratio.is_finite() && ratio >= 1.0 / a.band() && ratio <= a.band();
        match (met, a.miss) {
            (false, None) => problems.push(format!(
                "{}: the model gives {} against {} (ratio {ratio:.2}, band x{}); fix the inputs or write why",
                a.what,
                show(figure, a.unit),
                show(a.public, a.unit),
                a.band()
            )),
            (true, Some(_)) => problems.push(format!("{}: now met (ratio {ratio:.2}); remove its excuse", a.what)),
            _ => {}
        }
        let note = match a.miss {
            Some(why) => format!("{}; **missed:** {why}", a.source),
            None => a.source.to_string(),
        };
        out.push_str(&format!(
            "| {} | {} | {} | x{} | {} | {:.2} | {} | {} |\n",
            a.what,
            show(a.public, a.unit),
            a.grade,
            a.band(),
            show(figure, a.unit),
            ratio,
            if met { "yes" } else { "no" },
            note
        ));
    }
    (out, problems)
}

fn show(v: f64, unit: &str) -> String {
    if unit == "share" {
        format!("{:.0} %", 100.0 * v)
    } else if v.abs() >= 1e6 {
        format!("{:.2}M {unit}", v / 1e6)
    } else {
        format!("{:.0}k {unit}", v / 1e3)
    }
}

#[test]
fn the_demo_baseline_meets_the_public_anchors_or_says_why_not() {
    let demo = Demo::new();
    let (generated, problems) = table(&demo);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/calibration.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let (begin, end) = ("<!-- anchors:begin -->\n", "<!-- anchors:end -->");
    let b = doc.find(begin).expect("docs/calibration.md lacks its anchors:begin marker") + begin.len();
    let e = doc.find(end).expect("docs/calibration.md lacks its anchors:end marker");
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, format!("{}{generated}{}", &doc[..b], &doc[e..])).unwrap();
    } else {
        assert_eq!(&doc[b..e], generated, "docs/calibration.md is out of date: run with UPDATE_DOCS=1");
    }
    assert!(anchors().len() >= 12, "the calibration needs at least 12 anchors");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
