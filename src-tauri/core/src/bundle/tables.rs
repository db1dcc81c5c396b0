//! The data tables a bundle carries (schema version 1): one CSV per table, UTF-8,
//! with a header row, so analysts can produce them from spreadsheets.
//!
//! Each [`Table`] declares its columns with their kind, unit and meaning. From
//! that one declaration come the parser and validator (every problem reported as
//! `file:line:column: what is wrong; what is expected`, all of them, not only the
//! first), the template that `packplan bundle template` writes, and the column
//! reference in its README.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use super::key_index::{KeyIndex, Lookup};
use super::packed::{Cell, Rows};
use crate::carrier::Carrier;
use crate::grade::Grade;
use crate::month::Month;
use crate::stage::Stage;

/// The schema version of the tables below.
pub const SCHEMA_VERSION: u32 = 1;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// An identifier: lowercase letters, digits, `-` and `_`.
    Id,
    /// The id of a row in another table.
    Ref(&'static str),
    Text,
    /// `YYYY-MM`.
    Month,
    /// `YYYY-MM-DD`.
    Date,
    /// A number from `min` to `max`.
    Number {
        min: f64,
        max: f64,
    },
    /// A whole number from `min` to `max`.
    Integer {
        min: i64,
        max: i64,
    },
    /// A share from 0 to 1.
    Share,
    /// One of the listed words.
    Choice(&'static [&'static str]),
    /// `true` or `false`.
    Bool,
}

/// One column of a table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// The unit of the values ("wafers/month", "mm", "USD"), empty for none.
    pub unit: &'static str,
    pub doc: &'static str,
    /// A value for the template's example row.
    pub example: &'static str,
}

/// A rule across columns of one row.
#[derive(Debug, Clone, Copy)]
pub enum RowRule {
    /// `low <= base <= high`.
    Ordered(&'static str, &'static str, &'static str),
    /// Exactly one of two groups of columns is filled in, the whole group (an
    /// allocation is a share or a volume a month, not both and not neither).
    Either(&'static [&'static str], &'static [&'static str]),
}

impl RowRule {
    /// What is wrong with a row by this rule, `value` giving a column's number
    /// (`None`: empty); `None` when the row keeps it.
    pub fn broken_by(&self, value: impl Fn(&str) -> Option<f64>) -> Option<String> {
        match *self {
            RowRule::Ordered(lo, mid, hi) => {
                let (l, m, h) = (value(lo)?, value(mid)?, value(hi)?);
                (!(l <= m && m <= h))
                    .then(|| format!("{lo} {l}, {mid} {m}, {hi} {h} are out of order; expected {lo} <= {mid} <= {hi}"))
            }
            RowRule::Either(a, b) => {
                let filled = |group: &[&str]| group.iter().filter(|c| value(c).is_some()).count();
                let (fa, fb) = (filled(a), filled(b));
                let whole = |n: usize, group: &[&str]| n == group.len();
                if (whole(fa, a) && fb == 0) || (whole(fb, b) && fa == 0) {
                    return None;
                }
                Some(format!(
                    "give either {} or {}, each all three, and leave the other empty",
                    a.join(", "),
                    b.join(", ")
                ))
            }
        }
    }

    /// The column a problem with this rule is reported at.
    pub fn first_column(&self) -> &'static str {
        match *self {
            RowRule::Ordered(lo, _, _) => lo,
            RowRule::Either(a, _) => a[0],
        }
    }

    /// The rule as docs/bundle-format.md states it.
    pub fn describe(&self) -> String {
        match *self {
            RowRule::Ordered(a, b, c) => format!("`{a}` <= `{b}` <= `{c}`"),
            RowRule::Either(a, b) => format!(
                "either `{}` or `{}` are given, each group whole, the other left empty",
                a.join("`, `"),
                b.join("`, `")
            ),
        }
    }
}

/// One table of the bundle.
#[derive(Debug)]
pub struct Table {
    /// The file stem: `capacity_observations` is `capacity_observations.csv`.
    pub name: &'static str,
    pub doc: &'static str,
    /// The columns that identify a row; a bundle may not repeat a key.
    pub key: &'static [&'static str],
    pub columns: &'static [Column],
    pub rules: &'static [RowRule],
    /// Rows the template adds after the example row, so the template's rows refer to each other.
    pub more_examples: &'static [&'static [&'static str]],
}

impl Table {
    pub fn file_name(&self) -> String {
        format!("{}.csv", self.name)
    }

    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }
}

const fn col(name: &'static str, kind: Kind, unit: &'static str, doc: &'static str, example: &'static str) -> Column {
    Column { name, kind, required: true, unit, doc, example }
}

const fn opt(name: &'static str, kind: Kind, unit: &'static str, doc: &'static str, example: &'static str) -> Column {
    Column { name, kind, required: false, unit, doc, example }
}

/// A lag in weeks (at most two years).
const WEEKS: Kind = Kind::Integer { min: 0, max: 104 };
const NONNEG: Kind = Kind::Number { min: 0.0, max: 1e12 };
/// A length in mm: an interposer's or a panel's side (the carrier's limit for both).
const MM: Kind = Kind::Number { min: 0.0, max: Carrier::MAX_PANEL_MM };
const CONFIDENCE: Kind = Kind::Choice(&Grade::NAMES);
const SOURCE: Column = col(
    "source",
    Kind::Text,
    "",
    "where the figure comes from: publisher, title, date",
    "TrendForce, CoWoS capacity, 2025-11",
);
const AS_OF: Column = col("as_of", Kind::Date, "", "the date the figure describes or was published", "2025-11-30");

/// Every table of schema version 1, in the order they are imported (references point backwards).
pub const TABLES: &[Table] = &[
    Table {
        name: "suppliers",
        doc: "Companies in the supply chain: foundries, OSATs, memory makers, substrate makers.",
        key: &["id"],
        columns: &[
            col("id", Kind::Id, "", "short identifier", "tsmc"),
            col("name", Kind::Text, "", "the company's name", "TSMC"),
            col("country", Kind::Text, "", "headquarters country", "Taiwan"),
            opt("notes", Kind::Text, "", "anything else", ""),
        ],
        rules: &[],
        more_examples: &[],
    },
    Table {
        name: "facilities",
        doc: "Sites where a supplier makes something: fabs, packaging plants.",
        key: &["id"],
        columns: &[
            col("id", Kind::Id, "", "short identifier", "tsmc-ap6"),
            col("supplier_id", Kind::Ref("suppliers"), "", "the supplier that runs the site", "tsmc"),
            col("name", Kind::Text, "", "the site's name", "Advanced Backend Fab 6"),
            col("site", Kind::Text, "", "city or science park", "Zhunan"),
            col("country", Kind::Text, "", "country of the site", "Taiwan"),
            col("region", Kind::Text, "", "region used for concentration risk", "Taiwan"),
            opt("notes", Kind::Text, "", "anything else", ""),
        ],
        rules: &[],
        more_examples: &[],
    },
    Table {
        name: "technologies",
        doc: "What capacity is measured in: packaging routes, memory, substrates, logic wafers.",
        key: &["id"],
        columns: &[
            col("id", Kind::Id, "", "short identifier", "cowos-l"),
            col("name", Kind::Text, "", "the technology's name", "CoWoS-L"),
            col("stage", Kind::Choice(&Stage::NAMES), "", "the supply-chain stage", "packaging"),
            col("carrier", Kind::Choice(&Carrier::KIND_NAMES), "", "what the process runs on", "wafer300"),
            opt("carrier_width_mm", MM, "mm", "panel width (wafers: leave empty)", ""),
            opt("carrier_height_mm", MM, "mm", "panel height (wafers: leave empty)", ""),
            col("capacity_unit", Kind::Text, "", "the unit capacity is counted in", "wafers/month"),
            col("lead_time_months", Kind::Integer { min: 0, max: 36 }, "months", "from start to output (cycle time)", "2"),
            opt("notes", Kind::Text, "", "anything else", ""),
            opt(
                "first_month",
                Kind::Month,
                "",
                "first month of volume output; empty: the ramp ends at the first capacity observation",
                "2026-02",
            ),
            opt("ramp_months", Kind::Integer { min: 1, max: 36 }, "months", "months from zero to full rate; empty: 9", "9"),
            opt(
                "family",
                Kind::Ref("technologies"),
                "",
                "the family it belongs to (a technology of the same stage without capacity of its own): an allocation of the family is a share of its members' capacity together",
                "cowos",
            ),
        ],
        rules: &[],
        more_examples: &[
            &["n4", "N4 logic wafers", "logic", "wafer300", "", "", "wafers/month", "4", "", "2020-06", "", ""],
            &["hbm3e", "HBM3E", "memory", "none", "", "", "GB/month", "1", "", "2024-03", "", ""],
            &["abf", "ABF substrates", "substrate", "none", "", "", "substrates/month", "3", "", "", "", ""],
            &["cowos", "CoWoS family", "packaging", "wafer300", "", "", "wafers/month", "2", "CoWoS-S, -L and -R together", "", "", ""],
        ],
    },
    Table {
        name: "capacity_observations",
        doc: "Capacity of one technology at one facility in one month, as estimated by one source. Conflicting sources are kept as separate rows.",
        key: &["facility_id", "technology_id", "month", "source"],
        columns: &[
            col("facility_id", Kind::Ref("facilities"), "", "where", "tsmc-ap6"),
            col("technology_id", Kind::Ref("technologies"), "", "what", "cowos-l"),
            col("month", Kind::Month, "", "the month the capacity applies to", "2026-12"),
            col("low", NONNEG, "", "low estimate, in the row's unit", "60000"),
            col("base", NONNEG, "", "base estimate, in the row's unit", "68000"),
            col("high", NONNEG, "", "high estimate, in the row's unit", "75000"),
            col("unit", Kind::Text, "", "the unit of low/base/high; must be the technology's capacity_unit", "wafers/month"),
            SOURCE,
            AS_OF,
            col("confidence", CONFIDENCE, "", "A primary or official, B trade press or research, C aggregator", "B"),
            opt("note", Kind::Text, "", "caveats", ""),
            opt(
                "publisher",
                Kind::Text,
                "",
                "who published the figure: its newest figure for a month supersedes its older ones; empty: the source",
                "Morgan Stanley",
            ),
        ],
        rules: &[RowRule::Ordered("low", "base", "high")],
        more_examples: &[],
    },
    Table {
        name: "products",
        doc: "Accelerator SKUs and what one unit needs.",
        key: &["id"],
        columns: &[
            col("id", Kind::Id, "", "short identifier", "b200"),
            col("name", Kind::Text, "", "product name", "B200"),
            col("vendor", Kind::Text, "", "designer", "NVIDIA"),
            col("interposer_width_mm", MM, "mm", "interposer (or package) width", "52"),
            col("interposer_height_mm", MM, "mm", "interposer (or package) height", "54"),
            col("compute_dies", Kind::Integer { min: 1, max: 64 }, "dies", "logic dies per package", "2"),
            col("compute_die_area_mm2", Kind::Number { min: 1.0, max: 2000.0 }, "mm2", "area of one logic die", "800"),
            col("logic_technology_id", Kind::Ref("technologies"), "", "the logic wafer technology", "n4"),
            col("defect_density_per_cm2", Kind::Number { min: 0.0, max: 5.0 }, "defects/cm2", "logic die defect density D0", "0.08"),
            col("clustering_alpha", Kind::Number { min: 0.01, max: 100.0 }, "", "negative-binomial clustering parameter", "2"),
            col("hbm_technology_id", Kind::Ref("technologies"), "", "the HBM generation", "hbm3e"),
            col("hbm_stacks", Kind::Integer { min: 0, max: 64 }, "stacks", "HBM stacks per package", "8"),
            opt("substrate_technology_id", Kind::Ref("technologies"), "", "the substrate it needs", "abf"),
            col("tdp_w", Kind::Number { min: 1.0, max: 20000.0 }, "W", "thermal design power", "1000"),
            col("all_in_kw", Kind::Number { min: 0.01, max: 50.0 }, "kW", "all-in power per accelerator (server, network, cooling share)", "1.71"),
            col("price_low_usd", NONNEG, "USD", "low price per accelerator", "35000"),
            col("price_base_usd", NONNEG, "USD", "base price per accelerator", "40000"),
            col("price_high_usd", NONNEG, "USD", "high price per accelerator", "50000"),
            opt("tokens_per_second", NONNEG, "tokens/s", "inference throughput per accelerator in a stated setting", "13000"),
            SOURCE,
            AS_OF,
            opt("available_from", Kind::Month, "", "first month the product ships (empty: any time)", "2025-01"),
            opt("available_to", Kind::Month, "", "last month the product ships (empty: no end)", ""),
            opt(
                "hbm_gb_per_stack",
                Kind::Number { min: 1.0, max: 256.0 },
                "GB",
                "GB in one HBM stack (24 for 8-Hi HBM3E, 36 for 12-Hi); required when the HBM technology's capacity is in GB/month",
                "24",
            ),
        ],
        rules: &[RowRule::Ordered("price_low_usd", "price_base_usd", "price_high_usd")],
        more_examples: &[],
    },
    Table {
        name: "product_routes",
        doc: "Which packaging technologies can build a product, and with what assembly yield.",
        key: &["product_id", "technology_id"],
        columns: &[
            col("product_id", Kind::Ref("products"), "", "the product", "b200"),
            col("technology_id", Kind::Ref("technologies"), "", "a packaging technology that can build it", "cowos-l"),
            col("assembly_yield_low", Kind::Share, "share", "low assembly yield (0 to 1)", "0.85"),
            col("assembly_yield_base", Kind::Share, "share", "base assembly yield", "0.92"),
            col("assembly_yield_high", Kind::Share, "share", "high assembly yield", "0.97"),
            col("preferred", Kind::Bool, "", "the route used first", "true"),
            SOURCE,
            AS_OF,
        ],
        rules: &[RowRule::Ordered("assembly_yield_low", "assembly_yield_base", "assembly_yield_high")],
        more_examples: &[],
    },
    Table {
        name: "allocations",
        doc: "What a technology's capacity gives one customer from a month on: a share of it, or a volume a month \
              in the technology's capacity unit (when the claims on a month exceed the capacity, each is cut pro rata).",
        key: &["technology_id", "customer", "from_month", "source"],
        columns: &[
            col("technology_id", Kind::Ref("technologies"), "", "the technology", "cowos-l"),
            col("customer", Kind::Text, "", "the customer (accelerator designer)", "NVIDIA"),
            col("from_month", Kind::Month, "", "first month the allocation applies", "2026-01"),
            opt("to_month", Kind::Month, "", "last month (empty: until the next row)", ""),
            opt("share_low", Kind::Share, "share", "low share (0 to 1); empty for a volume", "0.55"),
            opt("share_base", Kind::Share, "share", "base share", "0.59"),
            opt("share_high", Kind::Share, "share", "high share", "0.63"),
            SOURCE,
            AS_OF,
            opt(
                "per_month_low",
                NONNEG,
                "",
                "low volume a month, in the technology's capacity unit (wafers/month, GB/month); empty for a share",
                "",
            ),
            opt("per_month_base", NONNEG, "", "base volume a month", ""),
            opt("per_month_high", NONNEG, "", "high volume a month", ""),
        ],
        rules: &[
            RowRule::Ordered("share_low", "share_base", "share_high"),
            RowRule::Ordered("per_month_low", "per_month_base", "per_month_high"),
            RowRule::Either(&["share_low", "share_base", "share_high"], &["per_month_low", "per_month_base", "per_month_high"]),
        ],
        more_examples: &[&[
            "cowos-l",
            "AWS",
            "2026-01",
            "",
            "",
            "",
            "",
            "Alchip 40k to 50k CoWoS wafers in 2026 (example)",
            "2025-11-30",
            "3300",
            "3750",
            "4200",
        ]],
    },
    Table {
        name: "tco_assumptions",
        doc: "Cost assumptions for on-premises ownership.",
        key: &["key", "source"],
        columns: &[
            col(
                "key",
                Kind::Choice(&[
                    "pue",
                    "electricity_usd_per_kwh",
                    "utilisation",
                    "facility_usd_per_kw_month",
                    "staff_usd_per_month",
                    "depreciation_years",
                    "salvage_share",
                    "discount_rate",
                    "server_usd_per_accelerator",
                    "networking_share",
                    "installation_share",
                ]),
                "",
                "which assumption",
                "pue",
            ),
            col("low", NONNEG, "", "low value", "1.2"),
            col("base", NONNEG, "", "base value", "1.3"),
            col("high", NONNEG, "", "high value", "1.58"),
            col("unit", Kind::Text, "", "the unit of the values", "ratio"),
            SOURCE,
            AS_OF,
        ],
        rules: &[RowRule::Ordered("low", "base", "high")],
        more_examples: &[],
    },
    Table {
        name: "cloud_prices",
        doc: "Cloud rental prices per accelerator-hour, for the buy-or-rent comparison.",
        key: &["product_id", "source"],
        columns: &[
            col("product_id", Kind::Ref("products"), "", "the product rented", "b200"),
            col("low_usd_per_hour", NONNEG, "USD/GPU-hour", "low price", "3.5"),
            col("base_usd_per_hour", NONNEG, "USD/GPU-hour", "base price", "6.0"),
            col("high_usd_per_hour", NONNEG, "USD/GPU-hour", "high price", "8.0"),
            SOURCE,
            AS_OF,
        ],
        rules: &[RowRule::Ordered("low_usd_per_hour", "base_usd_per_hour", "high_usd_per_hour")],
        more_examples: &[],
    },
    Table {
        name: "orders",
        doc: "The user's own accelerator orders.",
        key: &["id"],
        columns: &[
            col("id", Kind::Id, "", "short identifier", "cluster-a"),
            col("product_id", Kind::Ref("products"), "", "what is ordered", "b200"),
            col("quantity", Kind::Integer { min: 1, max: 10_000_000 }, "accelerators", "how many", "2048"),
            col("needed_by", Kind::Month, "", "the month they are needed by", "2027-06"),
            col("obtainable_share", Kind::Share, "share", "the share of the vendor's output this buyer can obtain", "0.002"),
            col("priority", Kind::Integer { min: 1, max: 10 }, "", "1 is most important", "1"),
            opt("notes", Kind::Text, "", "anything else", ""),
            opt("placed", Kind::Month, "", "the month the order was placed; empty: today", "2026-11"),
            opt("booking_weeks", WEEKS, "weeks", "from placing the order to its first unit in packaging; empty: 4", "4"),
            opt("test_weeks", WEEKS, "weeks", "final test and burn-in after packaging; empty: 4", "4"),
            opt("integration_weeks", WEEKS, "weeks", "server or rack integration; empty: 6", "6"),
            opt("shipping_weeks", WEEKS, "weeks", "shipping to the site; empty: 2", "2"),
            opt(
                "supply_line",
                Kind::Text,
                "",
                "the contract or channel it is served from: orders on one line share its share, by priority; empty: its own",
                "",
            ),
            opt(
                "allocation_per_month",
                Kind::Number { min: 0.0, max: 1e9 },
                "accelerators/month",
                "the supply line's allocation (an OEM's or a distributor's commitment): at most this many a month, within its share; empty: its share only",
                "",
            ),
            opt("allocation_from", Kind::Month, "", "the allocation's first month: nothing arrives from the line before it; empty: today", ""),
            opt(
                "queue_ahead",
                Kind::Integer { min: 0, max: 100_000_000 },
                "accelerators",
                "units ahead of the line's orders in its queue, served first from today on; empty: none",
                "",
            ),
        ],
        rules: &[],
        more_examples: &[],
    },
    Table {
        name: "qualifications",
        doc: "A supplier's output of a technology counts for a customer from a month (a memory maker passing the customer's qualification). \
              Once a customer has a row for a technology, only the named facilities fill its allocation, each from its month.",
        key: &["customer", "technology_id", "facility_id", "source"],
        columns: &[
            col("customer", Kind::Text, "", "the customer (accelerator designer) with an allocation of the technology", "NVIDIA"),
            col("technology_id", Kind::Ref("technologies"), "", "the technology", "cowos-l"),
            col("facility_id", Kind::Ref("facilities"), "", "the supplier's facility", "tsmc-ap6"),
            col("from_month", Kind::Month, "", "first month its output counts for the customer", "2024-03"),
            SOURCE,
            AS_OF,
        ],
        rules: &[],
        more_examples: &[],
    },
    Table {
        name: "demand",
        doc: "A customer's demand for accelerators, all its products together, from a month on: the plan makes no more for the customer than this.",
        key: &["customer", "from_month", "source"],
        columns: &[
            col("customer", Kind::Text, "", "the customer, as the products' vendor column names it", "NVIDIA"),
            col("from_month", Kind::Month, "", "first month the demand applies", "2026-01"),
            opt("to_month", Kind::Month, "", "last month (empty: until the next row)", ""),
            col("units_per_month", Kind::Number { min: 0.0, max: 1e9 }, "accelerators/month", "accelerators a month", "450000"),
            SOURCE,
            AS_OF,
        ],
        rules: &[],
        more_examples: &[],
    },
    Table {
        name: "actuals",
        doc: "What the record says a product delivered over months of history (a public count for a quarter or a year, or your own receipts), \
              spread evenly over the months: shown in place of the model's back-cast before today, never supply for a plan.",
        key: &["product_id", "from_month", "source"],
        columns: &[
            col("product_id", Kind::Ref("products"), "", "the product", "b200"),
            col("from_month", Kind::Month, "", "first month of the period", "2025-01"),
            col("to_month", Kind::Month, "", "last month of the period", "2025-12"),
            col("units", Kind::Number { min: 0.0, max: 1e10 }, "accelerators", "accelerators delivered over the whole period", "1720000"),
            SOURCE,
            AS_OF,
        ],
        rules: &[],
        more_examples: &[],
    },
];

/// The table named `name` (the file stem).
pub fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.name == name)
}

/// One parsed cell.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum Value {
    Null,
    Text(String),
    Number(f64),
    Integer(i64),
    Bool(bool),
    Month(Month),
}

impl Value {
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            Value::Number(v) => Some(v),
            Value::Integer(v) => Some(v as f64),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The value as a borrowed [`Cell`].
    pub fn cell(&self) -> Cell<'_> {
        match self {
            Value::Null => Cell::Null,
            Value::Text(s) => Cell::Text(s),
            Value::Number(v) => Cell::Number(*v),
            Value::Integer(v) => Cell::Integer(*v),
            Value::Bool(b) => Cell::Bool(*b),
            Value::Month(m) => Cell::Month(*m),
        }
    }

    /// The value as the text a CSV cell holds.
    pub fn to_cell(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Text(s) => s.clone(),
            Value::Number(v) => format!("{v}"),
            Value::Integer(v) => v.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Month(m) => m.to_string(),
        }
    }
}

/// One row: its line in the file and its values in the table's column order.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub line: u64,
    pub values: Vec<Value>,
}

/// A table read from its CSV.
#[derive(Debug)]
pub struct ParsedTable {
    pub table: &'static Table,
    pub rows: Rows,
    /// Where the rows came from, to locate problems found later (references).
    pub place: Place,
}

impl ParsedTable {
    /// The key of `row` as text, for diffs and duplicate checks.
    pub fn key_of(&self, row: &Row) -> Vec<String> {
        self.table.key.iter().filter_map(|k| self.table.column(k)).map(|i| row.values[i].to_cell()).collect()
    }

    /// The columns of the table's key.
    pub fn key_columns(&self) -> Vec<usize> {
        self.table.key.iter().filter_map(|k| self.table.column(k)).collect()
    }

    pub fn value<'r>(&self, row: &'r Row, column: &str) -> Option<&'r Value> {
        self.table.column(column).map(|i| &row.values[i])
    }
}

/// A problem in a bundle's or a workbook's data, located to the cell.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(rename = "BundleProblem")]
pub struct Problem {
    /// The file (`orders.csv`) or the workbook's sheet (`orders`).
    pub file: String,
    pub line: u64,
    pub column: u64,
    pub message: String,
    /// In a workbook, the cell as the spreadsheet names it (`orders!D5`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional = nullable)]
    pub cell: Option<String>,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.cell {
            Some(cell) => write!(f, "{cell}: {}", self.message),
            None => write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message),
        }
    }
}

/// Where rows come from, to locate what is said about them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A CSV file: `orders.csv:5:4`.
    Csv(String),
    /// A sheet of a workbook: `orders!D5`.
    Sheet(String),
}

impl Place {
    /// How a message names the place: the file's name, or "the sheet NAME".
    fn named(&self) -> String {
        match self {
            Place::Csv(file) => file.clone(),
            Place::Sheet(sheet) => format!("the sheet {sheet}"),
        }
    }

    /// A problem at `line` (1-based; 0 for the whole file) and `column` (1-based).
    pub fn problem(&self, line: u64, column: u64, message: String) -> Problem {
        match self {
            Place::Csv(file) => Problem { file: file.clone(), line, column, message, cell: None },
            Place::Sheet(sheet) => Problem {
                file: sheet.clone(),
                line,
                column,
                message,
                cell: Some(if line == 0 { sheet.clone() } else { format!("{sheet}!{}{line}", column_letters(column)) }),
            },
        }
    }
}

/// A spreadsheet's column letters: 1 is A, 27 is AA.
pub fn column_letters(column: u64) -> String {
    let mut n = column.max(1);
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// How a cell reads before it is checked: as written (a bundle), or as a spreadsheet
/// writes it (`bundle::spreadsheet`: TRUE, 1,234, 5%, 6/1/2026 ...).
pub trait Reading {
    /// The cell's text in the form the checks expect, and a note when it was changed;
    /// `Err` says what is wrong with it.
    fn read<'a>(&self, column: &Column, raw: &'a str) -> std::result::Result<(Cow<'a, str>, Option<String>), String>;
}

/// Cells as written: what a bundle holds.
pub struct AsWritten;

impl Reading for AsWritten {
    fn read<'a>(&self, _: &Column, raw: &'a str) -> std::result::Result<(Cow<'a, str>, Option<String>), String> {
        Ok((Cow::Borrowed(raw), None))
    }
}

/// One row as it arrives: its line (the spreadsheet's row number) and its cells,
/// or a problem that makes it unreadable.
pub type RawRow = std::result::Result<(u64, csv::StringRecord), Problem>;

/// The most problems collected per file before the rest are summarised.
pub const MAX_PROBLEMS_PER_FILE: usize = 200;

pub(crate) fn expected(column: &Column) -> String {
    let unit = if column.unit.is_empty() { String::new() } else { format!(" in {}", column.unit) };
    match column.kind {
        Kind::Id => "an identifier of lowercase letters, digits, - and _".into(),
        Kind::Ref(table) => format!("the id of a row in {table}.csv"),
        Kind::Text => "some text".into(),
        Kind::Month => "a month as YYYY-MM".into(),
        Kind::Date => "a date as YYYY-MM-DD".into(),
        Kind::Number { min, max } => format!("a number{unit} from {} to {}", bound(min), bound(max)),
        Kind::Integer { min, max } => format!("a whole number{unit} from {min} to {max}"),
        Kind::Share => "a share from 0 to 1 (for example 0.25)".into(),
        Kind::Choice(words) => format!("one of {}", words.join(", ")),
        Kind::Bool => "true or false".into(),
    }
}

/// A range bound in words: `1e12` rather than twelve zeros.
fn bound(v: f64) -> String {
    if v.abs() >= 1e6 {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

fn valid_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
            let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) else { return false };
            let days = match m {
                1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                4 | 6 | 9 | 11 => 30,
                2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
                2 => 28,
                _ => return false,
            };
            (1900..=2200).contains(&y) && (1..=days).contains(&d)
        }
        _ => false,
    }
}

/// Parses one cell; `Err` is what is wrong with it.
pub(crate) fn parse_cell(column: &Column, raw: &str) -> std::result::Result<Value, String> {
    let text = raw.trim();
    if text.is_empty() {
        return if column.required { Err("the value is missing".into()) } else { Ok(Value::Null) };
    }
    let not = |what: &str| format!("{text:?} is not {what}");
    match column.kind {
        Kind::Id | Kind::Ref(_) => {
            if text.len() <= 64
                && text.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
            {
                Ok(Value::Text(text.to_owned()))
            } else {
                Err(not("an identifier"))
            }
        }
        Kind::Text => {
            if text.chars().any(|c| c.is_control()) {
                Err("the text holds control characters".into())
            } else {
                Ok(Value::Text(text.to_owned()))
            }
        }
        Kind::Month => text.parse::<Month>().map(Value::Month).map_err(|_| not("a month")),
        Kind::Date => {
            if valid_date(text) {
                Ok(Value::Text(text.to_owned()))
            } else {
                Err(not("a date"))
            }
        }
        Kind::Number { min, max } => match text.parse::<f64>() {
            Ok(v) if v.is_finite() && (min..=max).contains(&v) => Ok(Value::Number(v)),
            Ok(v) if v.is_finite() => Err(format!("{text} is out of range")),
            _ => Err(not("a number")),
        },
        Kind::Integer { min, max } => match text.parse::<i64>() {
            Ok(v) if (min..=max).contains(&v) => Ok(Value::Integer(v)),
            Ok(_) => Err(format!("{text} is out of range")),
            Err(_) => Err(not("a whole number")),
        },
        Kind::Share => match text.parse::<f64>() {
            Ok(v) if (0.0..=1.0).contains(&v) => Ok(Value::Number(v)),
            Ok(v) if v > 1.0 && v <= 100.0 => Err(format!("{text} is above 1 (a percentage?)")),
            Ok(_) => Err(format!("{text} is out of range")),
            Err(_) => Err(not("a number")),
        },
        Kind::Choice(words) => {
            if words.contains(&text) {
                Ok(Value::Text(text.to_owned()))
            } else {
                Err(not("an allowed value"))
            }
        }
        Kind::Bool => match text {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(not("true or false")),
        },
    }
}

/// Reads one table's CSV, collecting every problem (up to [`MAX_PROBLEMS_PER_FILE`]).
pub fn parse(table: &'static Table, bytes: &[u8]) -> (ParsedTable, Vec<Problem>) {
    let place = Place::Csv(table.file_name());
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.strip_prefix('\u{feff}').unwrap_or(t),
        Err(e) => {
            let message =
                format!("the file is not UTF-8 (invalid byte at offset {}); save it as CSV UTF-8", e.valid_up_to());
            let problem = place.problem(1, 1, message);
            return (ParsedTable { table, rows: Rows::default(), place }, vec![problem]);
        }
    };
    let (parsed, problems, _) = parse_csv_text(table, &place, text, b',', &AsWritten);
    (parsed, problems)
}

/// Reads one table from CSV text with `delimiter`, each cell read with `reading`;
/// returns the table, every problem and the notes of what `reading` changed.
pub fn parse_csv_text(
    table: &'static Table,
    place: &Place,
    text: &str,
    delimiter: u8,
    reading: &(dyn Reading + Sync),
) -> (ParsedTable, Vec<Problem>, Vec<Problem>) {
    let mut reader =
        csv::ReaderBuilder::new().has_headers(true).flexible(false).delimiter(delimiter).from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_owned).collect(),
        Err(e) => {
            let message = format!("the header row cannot be read ({e}); expected: {}", column_list(table));
            return (
                ParsedTable { table, rows: Rows::default(), place: place.clone() },
                vec![place.problem(1, 1, message)],
                Vec::new(),
            );
        }
    };
    let positions = match column_positions(table, place, 1, &headers) {
        Ok(positions) => positions,
        Err(problems) => return header_refused(table, place, problems),
    };
    // A large file is checked in parts, one per core; when that cannot give exactly
    // what one reading gives, the file is read in one piece below.
    let rows_start = usize::try_from(reader.position().byte()).unwrap_or(text.len()).min(text.len());
    let split = super::csv_parts::Split { text, rows_start, delimiter, width: headers.len() };
    let checked =
        super::csv_parts::check(table, place, &split, &positions, reading, split.parts()).unwrap_or_else(|| {
            let rows = reader.into_records().map(|record| raw_row(place, text.as_bytes(), 0, record));
            check_rows(table, place, &positions, rows, reading)
        });
    checked.into_parts()
}

/// What a table whose header row was refused gives: no rows, the header's problems.
fn header_refused(
    table: &'static Table,
    place: &Place,
    problems: Vec<Problem>,
) -> (ParsedTable, Vec<Problem>, Vec<Problem>) {
    (ParsedTable { table, rows: Rows::default(), place: place.clone() }, problems, Vec::new())
}

/// A CSV record read from `text` as a [`RawRow`], its line moved down by
/// `lines_before` (the lines before `text`), an unreadable one as a problem.
pub(super) fn raw_row(place: &Place, text: &[u8], lines_before: u64, record: csv::Result<csv::StringRecord>) -> RawRow {
    match record {
        Ok(r) => Ok((record_start(text, r.position()).1 + lines_before, r)),
        Err(e) => {
            let line = record_start(text, e.position()).1 + lines_before;
            let message = match e.kind() {
                csv::ErrorKind::UnequalLengths { expected_len, len, .. } => unequal_lengths(*expected_len, *len),
                _ => format!("the row cannot be read ({e}); check the quotes"),
            };
            Err(place.problem(line, 1, message))
        }
    }
}

/// Where a record read from `text` at `position` begins: its byte and its line.
///
/// The reader places a record that follows a line ending "\r\n", or blank lines, at
/// the first line-end byte it has not read yet, on the line before: the record begins
/// after those bytes, one line further for each "\n" among them.
pub(super) fn record_start(text: &[u8], position: Option<&csv::Position>) -> (u64, u64) {
    let Some(position) = position else { return (0, 0) };
    let from = usize::try_from(position.byte()).unwrap_or(usize::MAX);
    let ends = text.get(from..).unwrap_or_default().iter().take_while(|&&b| b == b'\r' || b == b'\n');
    let (skipped, lines) = ends.fold((0u64, 0u64), |(n, lines), &b| (n + 1, lines + u64::from(b == b'\n')));
    (position.byte() + skipped, position.line() + lines)
}

/// What is said of a row with `len` fields under a header of `expected`.
pub(super) fn unequal_lengths(expected: u64, len: u64) -> String {
    format!("the row has {len} fields, the header has {expected}; check for a missing or extra comma, or quote text that contains commas")
}

/// Checks one table's rows: the header (by name, in any order), every cell (read with
/// `reading`, then checked against its column), the row rules and duplicate keys.
/// Returns the table, every problem (up to [`MAX_PROBLEMS_PER_FILE`]) and the notes of
/// what `reading` changed. `header_line` is the header's line (a sheet's row number).
pub fn parse_rows(
    table: &'static Table,
    place: &Place,
    header_line: u64,
    headers: &[String],
    rows: impl Iterator<Item = RawRow>,
    reading: &dyn Reading,
) -> (ParsedTable, Vec<Problem>, Vec<Problem>) {
    let positions = match column_positions(table, place, header_line, headers) {
        Ok(positions) => positions,
        Err(problems) => return header_refused(table, place, problems),
    };
    check_rows(table, place, &positions, rows, reading).into_parts()
}

/// Where each of the table's columns is among `headers` (by name, in any order), or
/// every problem with the header row.
pub(super) fn column_positions(
    table: &Table,
    place: &Place,
    header_line: u64,
    headers: &[String],
) -> std::result::Result<Vec<Option<usize>>, Vec<Problem>> {
    let mut problems = Vec::new();
    let problem = |line: u64, column: u64, message: String| place.problem(line, column, message);
    if headers.iter().all(|h| h.trim().is_empty()) {
        let what = if matches!(place, Place::Csv(_)) { "the file".to_owned() } else { place.named() };
        problems.push(problem(
            header_line,
            1,
            format!("{what} is empty; expected a header row: {}", column_list(table)),
        ));
        return Err(problems);
    }
    let mut position: Vec<Option<usize>> = vec![None; table.columns.len()];
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, header) in headers.iter().enumerate() {
        let header = header.trim();
        let at = i as u64 + 1;
        if header.is_empty() {
            continue;
        }
        if let Some(first) = seen.insert(header.to_owned(), i) {
            problems.push(problem(
                header_line,
                at,
                format!("the column {header} appears twice (first in column {}); keep one", first + 1),
            ));
        } else if let Some(c) = table.column(header) {
            position[c] = Some(i);
        } else {
            problems.push(problem(
                header_line,
                at,
                format!("unknown column {header:?}; expected one of: {}", column_list(table)),
            ));
        }
    }
    for (c, column) in table.columns.iter().enumerate() {
        if position[c].is_none() && column.required {
            problems.push(problem(
                header_line,
                headers.len() as u64,
                format!("the required column {} is missing ({})", column.name, column.doc),
            ));
        }
    }
    if problems.is_empty() {
        Ok(position)
    } else {
        Err(problems)
    }
}

/// A table's rows as checked: the rows, every problem, the notes of what the reading
/// changed, and the rows' keys (to look for a key among them).
pub(super) struct Checked {
    pub parsed: ParsedTable,
    pub problems: Vec<Problem>,
    pub notes: Vec<Problem>,
    pub keys: KeyIndex,
}

impl Checked {
    /// The rows, every problem and the notes, as `parse_rows` returns them.
    fn into_parts(self) -> (ParsedTable, Vec<Problem>, Vec<Problem>) {
        (self.parsed, self.problems, self.notes)
    }
}

/// Checks every row (its columns at `positions` of its fields): each cell read with
/// `reading` and checked against its column, the row rules and duplicate keys.
pub(super) fn check_rows(
    table: &'static Table,
    place: &Place,
    positions: &[Option<usize>],
    rows: impl Iterator<Item = RawRow>,
    reading: &dyn Reading,
) -> Checked {
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    let mut parsed = ParsedTable { table, rows: Rows::default(), place: place.clone() };
    let problem = |line: u64, column: u64, message: String| place.problem(line, column, message);
    let name = place.named();
    let mut keys = KeyIndex::new(parsed.key_columns());
    for record in rows {
        if problems.len() >= MAX_PROBLEMS_PER_FILE {
            problems.push(problem(0, 0, format!("more problems in {name} were not listed; fix these first")));
            break;
        }
        let (line, record) = match record {
            Ok(r) => r,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        let mut values = Vec::with_capacity(table.columns.len());
        let mut ok = true;
        for (c, column) in table.columns.iter().enumerate() {
            let raw = positions[c].and_then(|i| record.get(i)).unwrap_or("");
            let at = positions[c].map_or(1, |i| i as u64 + 1);
            let read = reading.read(column, raw).and_then(|(text, note)| {
                let value = parse_cell(column, &text)?;
                Ok((value, note))
            });
            match read {
                Ok((v, note)) => {
                    if let Some(note) = note {
                        notes.push(problem(line, at, format!("{}: {note}", column.name)));
                    }
                    values.push(v)
                }
                Err(what) => {
                    ok = false;
                    problems.push(problem(line, at, format!("{}: {what}; expected {}", column.name, expected(column))));
                    values.push(Value::Null);
                }
            }
        }
        if !ok {
            continue;
        }
        let row = Row { line, values };
        for rule in table.rules {
            if let Some(what) = rule.broken_by(|n| parsed.value(&row, n).and_then(Value::as_f64)) {
                let at = table.column(rule.first_column()).and_then(|c| positions[c]).map_or(1, |i| i as u64 + 1);
                problems.push(problem(line, at, what));
            }
        }
        let found = keys.find(&parsed.rows, |c| row.values[c].cell());
        parsed.rows.push(&row);
        match found {
            Lookup::Repeats(first) => problems.push(problem(
                line,
                1,
                format!(
                    "duplicate row for {} = ({}), first on line {}; keep one",
                    table.key.join(", "),
                    parsed.key_of(&row).join(", "),
                    parsed.rows.line(first as usize)
                ),
            )),
            Lookup::New(hash) => keys.insert(&parsed.rows, parsed.rows.len() - 1, hash),
        }
    }
    Checked { parsed, problems, notes, keys }
}

fn column_list(table: &Table) -> String {
    table.columns.iter().map(|c| c.name).collect::<Vec<_>>().join(",")
}

/// Checks references between tables: every `Ref` must name an id present in the
/// referenced table, in this bundle or in `known` (ids already in the vault).
pub fn check_references(tables: &[ParsedTable], known: &BTreeMap<&str, Vec<String>>) -> Vec<Problem> {
    let mut ids: BTreeMap<&str, std::collections::BTreeSet<String>> = BTreeMap::new();
    for t in tables {
        if let Some(i) = t.table.column("id") {
            ids.entry(t.table.name)
                .or_default()
                .extend((0..t.rows.len()).filter_map(|r| t.rows.cell(r, i).as_str().map(str::to_owned)));
        }
    }
    for (name, list) in known {
        ids.entry(name).or_default().extend(list.iter().cloned());
    }
    let mut problems = Vec::new();
    for t in tables {
        for (c, column) in t.table.columns.iter().enumerate() {
            let Kind::Ref(target) = column.kind else { continue };
            for r in 0..t.rows.len() {
                let cell = t.rows.cell(r, c);
                let Some(id) = cell.as_str() else { continue };
                if !ids.get(target).is_some_and(|set| set.contains(id)) {
                    let (target, source) = match t.place {
                        Place::Csv(_) => (format!("{target}.csv"), "this bundle"),
                        Place::Sheet(_) => (format!("the sheet {target}"), "this workbook"),
                    };
                    problems.push(t.place.problem(
                        t.rows.line(r),
                        c as u64 + 1,
                        format!(
                            "{}: {id:?} is not an id in {target} (in {source} or already in the vault); add that row or correct the id",
                            column.name
                        ),
                    ));
                }
            }
        }
    }
    problems
}

/// A table's rows as a bundle's CSV file: the header, then each row's cells as
/// [`Value::to_cell`] writes them (what [`parse`] reads back to the same values).
pub fn csv_of(table: &Table, rows: impl IntoIterator<Item = impl AsRef<[Value]>>) -> crate::Result<Vec<u8>> {
    let failed = |e: csv::Error| crate::Error::internal(format!("could not write {}: {e}", table.file_name()));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(table.columns.iter().map(|c| c.name)).map_err(failed)?;
    for values in rows {
        w.write_record(values.as_ref().iter().map(Value::to_cell)).map_err(failed)?;
    }
    w.into_inner().map_err(|e| crate::Error::internal(format!("could not write {}: {e}", table.file_name())))
}

/// The template CSV of a table: its header and one example row.
pub fn template_csv(table: &Table) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(table.columns.iter().map(|c| c.name));
    let _ = w.write_record(table.columns.iter().map(|c| c.example));
    for row in table.more_examples {
        let _ = w.write_record(row.iter());
    }
    w.into_inner().ok().and_then(|b| String::from_utf8(b).ok()).unwrap_or_default()
}

/// The column reference of every table, in Markdown.
pub fn reference_markdown() -> String {
    let mut out = String::new();
    for t in TABLES {
        out.push_str(&format!(
            "## {}\n\n{}\n\nKey: {}.\n\n| column | required | unit | meaning | expected |\n|---|---|---|---|---|\n",
            t.file_name(),
            t.doc,
            t.key.join(", ")
        ));
        for c in t.columns {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} | {} |\n",
                c.name,
                if c.required { "yes" } else { "no" },
                c.unit,
                c.doc,
                expected(c)
            ));
        }
        for r in t.rules {
            out.push_str(&format!("\nRule: {}.\n", r.describe()));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(name: &str) -> &'static Table {
        table(name).unwrap()
    }

    #[test]
    fn every_template_parses_cleanly_and_references_resolve() {
        let mut parsed = Vec::new();
        for table in TABLES {
            let (p, problems) = parse(table, template_csv(table).as_bytes());
            assert!(problems.is_empty(), "{}: {problems:?}", table.name);
            assert_eq!(p.rows.len(), 1 + table.more_examples.len());
            parsed.push(p);
        }
        // Example rows reference each other's examples where they can.
        let problems = check_references(
            &parsed,
            &BTreeMap::from([("technologies", vec!["n4".into(), "hbm3e".into(), "abf".into()])]),
        );
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn a_problem_after_windows_line_ends_or_blank_lines_names_its_own_line() {
        let header = "facility_id,technology_id,month,low,base,high,unit,source,as_of,confidence";
        let good = "tsmc-ap6,cowos-l,2026-11,1,2,3,wafers/month,x,2026-01-01,A";
        let bad = "tsmc-ap6,cowos-l,2026-13,1,2,3,wafers/month,y,2026-01-01,A";
        // lines 1-3 end as Windows writes them, 4 and 5 are blank, the second bad row is on 6
        let csv = format!("{header}\r\n{good}\r\n{bad}\r\n\r\n\n{}\n", bad.replace(",y,", ",z,"));
        let (_, problems) = parse(t("capacity_observations"), csv.as_bytes());
        let lines: Vec<u64> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [3, 6], "{problems:?}");
    }

    #[test]
    fn every_problem_is_located_and_says_what_is_expected() {
        let csv = "facility_id,technology_id,month,low,base,high,unit,source,as_of,confidence\n\
                   tsmc-ap6,cowos-l,2026-13,1,2,3,wafers/month,x,2026-01-01,B\n\
                   tsmc-ap6,cowos-l,2026-12,abc,2,3,wafers/month,x,2026-02-30,D\n\
                   tsmc-ap6,cowos-l,2026-11,5,2,3,wafers/month,x,2026-01-01,A\n\
                   tsmc-ap6,cowos-l,2026-11,1,2,3,wafers/month,x,2026-01-01,A\n\
                   tsmc-ap6,cowos-l,2026-10,1,2\n";
        let (_, problems) = parse(t("capacity_observations"), csv.as_bytes());
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        let expect = [
            "capacity_observations.csv:2:3: month: \"2026-13\" is not a month; expected a month as YYYY-MM",
            "capacity_observations.csv:3:4: low: \"abc\" is not a number; expected a number from 0 to 1e12",
            "capacity_observations.csv:3:9: as_of: \"2026-02-30\" is not a date; expected a date as YYYY-MM-DD",
            "capacity_observations.csv:3:10: confidence: \"D\" is not an allowed value; expected one of A, B, C",
            "capacity_observations.csv:4:4: low 5, base 2, high 3 are out of order; expected low <= base <= high",
            "capacity_observations.csv:5:1: duplicate row for facility_id, technology_id, month, source = (tsmc-ap6, cowos-l, 2026-11, x), first on line 4; keep one",
            "capacity_observations.csv:6:1: the row has 5 fields, the header has 10",
        ];
        for e in expect {
            assert!(text.iter().any(|t| t.starts_with(e)), "missing {e:?} in\n{}", text.join("\n"));
        }
        assert_eq!(text.len(), expect.len(), "{}", text.join("\n"));
    }

    #[test]
    fn an_allocation_is_a_share_or_a_volume_never_both_nor_half_of_one() {
        let header = "technology_id,customer,from_month,to_month,share_low,share_base,share_high,source,as_of,\
                      per_month_low,per_month_base,per_month_high\n";
        let rows = "cowos,NVIDIA,2026-01,,0.5,0.6,0.7,s,2026-01-01,,,\n\
                    cowos,AWS,2026-01,,,,,s,2026-01-01,3333,4167,4583\n\
                    cowos,AMD,2026-01,,0.05,0.06,0.07,s,2026-01-01,1,2,3\n\
                    cowos,Google,2026-01,,,,,s,2026-01-01,,,\n\
                    cowos,Intel,2026-01,,,,,s,2026-01-01,1,2,\n\
                    cowos,Marvell,2026-01,,,,,s,2026-01-01,9,2,3\n";
        let (parsed, problems) = parse(t("allocations"), format!("{header}{rows}").as_bytes());
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        let either = "give either share_low, share_base, share_high or per_month_low, per_month_base, per_month_high, \
                      each all three, and leave the other empty";
        assert_eq!(
            text,
            [
                format!("allocations.csv:4:5: {either}"),
                format!("allocations.csv:5:5: {either}"),
                format!("allocations.csv:6:5: {either}"),
                "allocations.csv:7:10: per_month_low 9, per_month_base 2, per_month_high 3 are out of order; \
                 expected per_month_low <= per_month_base <= per_month_high"
                    .to_string(),
            ]
        );
        assert_eq!(parsed.rows.len(), 6, "every row is read, the broken ones reported");
    }

    #[test]
    fn header_problems_name_the_columns() {
        let (_, p) = parse(t("suppliers"), b"id,name,colour\n");
        let text: Vec<String> = p.iter().map(ToString::to_string).collect();
        assert!(
            text[0].starts_with("suppliers.csv:1:3: unknown column \"colour\"; expected one of: id,name,country,notes"),
            "{text:?}"
        );
        assert!(text[1].contains("the required column country is missing"), "{text:?}");
        let (_, p) = parse(t("suppliers"), b"");
        assert!(p[0].message.contains("the file is empty"), "{p:?}");
        let (_, p) = parse(t("suppliers"), b"id,name,country\n\xff\xfe,x,y\n");
        assert!(p[0].message.contains("not UTF-8"), "{p:?}");
        let (_, p) = parse(
            t("orders"),
            "id,product_id,quantity,needed_by,obtainable_share,priority\no1,b200,10,2027-01,25,1\n".as_bytes(),
        );
        assert!(p[0].message.contains("above 1 (a percentage?)"), "{p:?}");
    }

    #[test]
    fn unknown_references_are_reported_with_their_cell() {
        let (facilities, p) =
            parse(t("facilities"), b"id,supplier_id,name,site,country,region\nap6,tsmc,AP6,Zhunan,Taiwan,Taiwan\n");
        assert!(p.is_empty());
        let problems = check_references(&[facilities], &BTreeMap::new());
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].to_string(),
            "facilities.csv:2:2: supplier_id: \"tsmc\" is not an id in suppliers.csv (in this bundle or already in the vault); add that row or correct the id"
        );
    }
}
