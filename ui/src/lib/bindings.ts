// Generated from the Rust definitions (ts-rs and src-tauri/build.rs); do not edit.
// Rewrite it with `UPDATE_EXPECT=1 cargo test -p packplan --lib contract`; a test fails
// while it differs from the Rust. ui/src/lib/ipc.ts is the module that uses it.
import type { Channel } from "@tauri-apps/api/core";

/** The event the backend emits when the vault locks; its payload is a `LockReason`. */
export const LOCKED_EVENT = "vault-locked";

/**
 * Facts about this build and this user's setup, shown on the first screen,
 * by `packplan --version` and in the provenance footer of exports.
 */
export type About = { name: string, version: string, vault_dir: string, vault_portable: boolean, };

/**
 * The row an addition made, by its key.
 */
export type Added = { table: string, key: Array<string>, };

/**
 * An assumption behind the cost figures: the values the run uses and their sources.
 */
export type Assumption = { 
/**
 * The `tco_assumptions` key, or `price:<product>`, `power:<product>`, `cloud:<product>`.
 */
key: string, 
/**
 * The assumption in words.
 */
name: string, unit: string, 
/**
 * What the run uses: with several sources, their envelope (lowest low, mean base,
 * highest high), after the scenario's changes.
 */
low: number, base: number, high: number, 
/**
 * Each source's figures; empty when the input does not say where they came from.
 */
sources: Array<AssumptionSource>, };

/**
 * Where one figure of an assumption came from.
 */
export type AssumptionSource = { low: number, base: number, high: number, source: string, as_of: string, 
/**
 * The dataset's id and title (the title is empty when the input does not name it).
 */
dataset: string, dataset_title: string, };

/**
 * One entry of the log.
 */
export type AuditEntry = { seq: number, at: string, actor: string, action: string, subject: string, detail: JsonValue, prev_hash: string, hash: string, };

/**
 * An axis: what it measures and in which unit.
 */
export type Axis = { label: string, 
/**
 * The unit of the values, shown beside the label ("units/month", "USD", "%").
 */
unit: string, scale: Scale, };

/**
 * What a backup produced.
 */
export type BackupReceipt = { folder: string, bytes: number, 
/**
 * The backup was reopened and passed every check.
 */
verified: boolean, };

/**
 * A band between a low and a high value at each x: `[x, low, high]`.
 */
export type Band = { name: string, color: string, 
/**
 * Fill opacity, 0 to 1 (an outer band lighter than an inner one).
 */
opacity: number, points: Array<[number, number, number]>, };

/**
 * The classification banner's text and colours (of a chart, or of the window).
 */
export type Banner = { text: string, background: string, foreground: string, };

/**
 * Horizontal bars, one row per category; each series gives a `[from, to]` span per category.
 */
export type BarPlot = { value_axis: Axis, categories: Array<string>, series: Array<BarSeries>, 
/**
 * Vertical reference lines (for example the base case of a tornado).
 */
reference_lines: Array<Marker>, 
/**
 * Shaded value ranges (for example the HHI concentration thresholds).
 */
zones: Array<Shade>, 
/**
 * A short flag per category, or none (for example "single source").
 */
flags: Array<string | null>, };

export type BarSeries = { name: string, color: string, 
/**
 * One `[from, to]` per category, in the order of `categories`.
 */
spans: Array<[number, number]>, };

/**
 * A change of the main bottleneck, from a month on.
 */
export type BottleneckShift = { from: Month, 
/**
 * The binding resource's id (`hbm3e (NVIDIA)`), or none from a month in which no
 * constraint binds.
 */
resource: string | null, 
/**
 * The binding resource as the user reads it ("HBM3E at NVIDIA's allocation"), or
 * [`NOTHING_BINDS`].
 */
name: string, };

/**
 * A problem in a bundle's or a workbook's data, located to the cell.
 */
export type BundleProblem = { 
/**
 * The file (`orders.csv`) or the workbook's sheet (`orders`).
 */
file: string, line: number, column: number, message: string, 
/**
 * In a workbook, the cell as the spreadsheet names it (`orders!D5`).
 */
cell?: string | null, };

/**
 * One carrier (wafer or panel), its usable area and the packages placed on it.
 */
export type CarrierPanel = { title: string, carrier: CarrierShape, usable: CarrierShape, 
/**
 * `[x_min, y_min, width, height]` in mm, origin at the carrier's centre.
 */
placements: Array<[number, number, number, number]>, 
/**
 * A line under the carrier (count, area used).
 */
caption: string, color: string, };

export type CarrierShape = { "shape": "circle", diameter_mm: number, } | { "shape": "rect", width_mm: number, height_mm: number, };

/**
 * One changed cell.
 */
export type CellChange = { column: string, before: string, after: string, };

/**
 * A change of one cell, as the user typed it.
 */
export type CellEdit = { table: string, 
/**
 * The row's key cells, in the table's key order.
 */
key: Array<string>, column: string, value: string, };

/**
 * The three shapes of chart Packplan draws.
 */
export type ChartBody = { "type": "xy" } & XyPlot | { "type": "bars" } & BarPlot | { "type": "layout" } & LayoutPlot;

/**
 * A dataset behind a chart, as the footer names it.
 */
export type ChartDatasetRef = { title: string, 
/**
 * The as-of date of the dataset's newest figures (`YYYY-MM-DD`).
 */
as_of: string, };

/**
 * The file formats a chart exports to.
 */
export type ChartFormat = "png" | "svg" | "pdf" | "csv";

/**
 * One chart of the catalogue.
 */
export type ChartKind = "capacity" | "capacity-carriers" | "units" | "fan" | "completion" | "tco" | "cost-per-hour" | "tornado" | "concentration" | "wafer-vs-panel" | "compare";

/**
 * What to draw as a file.
 */
export type ChartRequest = { kind: ChartKind, format: ChartFormat, size?: ImageSize | null, trials?: number, seed?: number, product?: string | null, };

/**
 * A whole chart: what to draw, how it is marked, and where its numbers came from.
 */
export type ChartSpec = { 
/**
 * The catalogue entry this chart is (for example `capacity` or `fan`).
 */
kind: ChartKind, title: string, subtitle?: string | null, body: ChartBody, marking: Marking, provenance: Provenance, };

/**
 * A spec with its banner and footer worded, as the UI receives it, so the
 * window shows exactly the marking and provenance the exports carry.
 */
export type ChartView = { spec: ChartSpec, banner: Banner, footer: Array<string>, };

/**
 * The whole report of `vault check`.
 */
export type CheckReport = { ok: boolean, cipher_version: string, checks: Array<CheckResult>, };

/**
 * One check and what it found.
 */
export type CheckResult = { 
/**
 * "integrity", "cipher_integrity", "foreign_keys", "audit_chain", "anchor", "metadata", "signed_data".
 */
check: string, ok: boolean, 
/**
 * "ok", or each problem found, in words.
 */
findings: Array<string>, };

/**
 * What the scenario editor offers to change: the ids it can name, in words.
 */
export type Choices = { technologies: Array<[string, string]>, facilities: Array<[string, string]>, products: Array<[string, string]>, };

/**
 * A column and what it accepts.
 */
export type ColumnInfo = { name: string, unit: string, doc: string, 
/**
 * What a valid value is, in words ("a share from 0 to 1").
 */
expected: string, 
/**
 * Part of the row's key: identifies the row, so it cannot be edited.
 */
key: boolean, 
/**
 * Can be edited in place (not a key, not `as_of`, which an edit sets).
 */
editable: boolean, 
/**
 * Sorted as numbers.
 */
numeric: boolean, 
/**
 * A new row must have a value here.
 */
required: boolean, 
/**
 * A value of the kind it takes (the template's example).
 */
example: string, };

export type Comparison = { a: string, b: string, objective_delta: number, products: Array<ProductDelta>, orders: Array<OrderDelta>, constraints: Array<ConstraintChange>, 
/**
 * Months whose main bottleneck differs: (month, in A, in B), named as the user reads them.
 */
bottleneck_changes: Array<[Month, string | null, string | null]>, };

/**
 * When an order completes, over the trials.
 */
export type CompletionDistribution = { order: string, needed_by: Month, probability_on_time: number, 
/**
 * Probability that the order is complete by the end of each planned month.
 */
cdf: Array<number>, 
/**
 * Share of trials in which it does not complete within the horizon.
 */
beyond_horizon: number, p10: Month | null, p50: Month | null, p90: Month | null, };

/**
 * A resource whose binding months differ between the runs.
 */
export type ConstraintChange = { 
/**
 * The resource as the user reads it ("HBM3E at NVIDIA's allocation").
 */
resource: string, 
/**
 * Months it binds in B but not in A.
 */
newly_binding: Array<Month>, 
/**
 * Months it binds in A but not in B.
 */
no_longer_binding: Array<Month>, };

/**
 * A colleague's age recipient.
 */
export type Contact = { name: string, recipient: string, added: string, };

/**
 * A rank correlation between two uncertain inputs, named as in the run's input list.
 */
export type Correlation = { a: string, b: string, rho: number, };

/**
 * Cost per useful accelerator-hour by component (levelised: discounted cost over
 * discounted hours).
 */
export type CostPerHour = { capex: number, power: number, facility: number, staff: number, total: number, };

/**
 * What the first-run screen shows once: the recovery code and the vault's recipient.
 * The code is kept in a buffer that wipes itself once it has been sent.
 */
export type CreatedVault = { recovery_code: string, recipient: string, };

/**
 * One dataset, as listed.
 */
export type Dataset = { id: string, 
/**
 * `bundle` (imported from a bundle), `files` (from the user's own workbook or
 * CSV files) or `local` (entered in this vault).
 */
origin: string, title: string, classification: string, issuer: string | null, 
/**
 * The minisign key id of the trusted issuer whose signature was verified.
 */
signer_key_id: string | null, 
/**
 * The key id an unverified signature claimed (an unknown signer allowed for the import): never the signer.
 */
claimed_key_id: string | null, producer_seq: number | null, created: string, imported: string, sha256: string | null, policy_override: string | null, 
/**
 * Rows per table (tables with no rows are left out).
 */
rows: { [key in string]: number }, };

/**
 * A dataset the input's figures came from.
 */
export type DatasetRef = { id: string, title: string, classification: string, as_of: string, };

/**
 * What loading the demo brought.
 */
export type DemoLoaded = { title: string, rows: number, classification: string, };

/**
 * A discrete disruption: with `probability`, capacity of the matching facilities
 * loses `share_lost` for `duration_months` from a start month drawn uniformly in
 * [start_from, start_to].
 */
export type Disruption = { name: string, probability: number, start_from: Month, start_to: Month, duration_months: number, share_lost: number, 
/**
 * Facilities in this region are hit (empty: use `facilities`).
 */
region: string | null, facilities: Array<string>, 
/**
 * Restrict to these technologies (empty: all).
 */
technologies: Array<string>, };

/**
 * The shape given to an estimate's spread.
 */
export type Distribution = "triangular" | "pert" | "uniform" | "truncated_normal" | "lognormal";

/**
 * The live result of a scenario being edited: its orders, bottlenecks and the units chart.
 */
export type Draft = { orders: Array<OrderReport>, bottlenecks: Array<BottleneckShift>, 
/**
 * Good units over the horizon, per product.
 */
totals: Array<[string, number]>, chart: ChartView, };

/**
 * What an edit changed.
 */
export type Edited = { table: string, key: Array<string>, column: string, old: string, new: string, 
/**
 * The dataset the old value came from.
 */
from_dataset: string, };

/**
 * What went wrong, as a small closed set that callers can act on.
 */
export type ErrorKind = "invalid" | "not_found" | "already_exists" | "wrong_key" | "locked" | "damaged" | "cancelled" | "io" | "internal";

/**
 * A low / base / high estimate with its distribution.
 *
 * ```
 * use packplan_core::model::estimate::{Distribution, Estimate};
 * let e = Estimate::new(10.0, 12.0, 20.0, Distribution::Triangular);
 * assert_eq!(e.quantile(0.0), 10.0);
 * assert_eq!(e.quantile(1.0), 20.0);
 * assert!((e.quantile(0.2) - 12.0).abs() < 1e-9); // the mode sits at F = 0.2
 * assert_eq!(Estimate::fixed(5.0).quantile(0.7), 5.0);
 * ```
 */
export type Estimate = { low: number, base: number, high: number, distribution?: Distribution, };

/**
 * One data file of the bundle.
 */
export type FileEntry = { path: string, size: number, 
/**
 * Lowercase hex SHA-256 of the file's bytes.
 */
sha256: string, };

/**
 * The planning date, the first month computed and charted, and how many months.
 */
export type Horizon = { 
/**
 * The month the plan is made in ("today").
 */
today: Month, 
/**
 * The first month computed and charted (months before `today` are history).
 */
start: Month, months: number, };

/**
 * The size of an exported image: `width` x `height` layout pixels (the SVG's size),
 * each `scale` device pixels in the PNG (so `scale = 2` gives a sharper PNG of the
 * same picture; the SVG and the PDF are vectors and ignore it).
 */
export type ImageSize = { width: number, height: number, scale: number, };

/**
 * What an applied import did.
 */
export type ImportReceipt = { dataset: Dataset, replaced: string | null, audit_seq: number, };

/**
 * A domain error as the UI receives it.
 */
export type IpcError = { kind: ErrorKind, message: string, };

/**
 * A trusted issuer.
 */
export type Issuer = { name: string, public_key: string, key_id: string, added: string, 
/**
 * The highest producer sequence number imported from this issuer.
 */
last_seq: number, };

export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]: JsonValue } | null;

/**
 * Carriers drawn side by side with their placements.
 */
export type LayoutPlot = { panels: Array<CarrierPanel>, };

/**
 * A locale the screens can write numbers and dates in: its BCP 47 tag and its name
 * as its speakers write it.
 */
export type LocaleChoice = { tag: string, name: string, };

/**
 * Why the vault was locked, for the lock screen.
 */
export type LockReason = "user" | "idle";

/**
 * The manifest, exactly as `manifest.json` holds it.
 */
export type Manifest = { format: string, format_version: number, 
/**
 * The version of the data tables' columns (see docs/bundle-format.md).
 */
schema_version: number, 
/**
 * A unique id; importing the same id twice changes nothing.
 */
bundle_id: string, 
/**
 * The minisign key id of the producer's signing key (16 hex digits).
 */
producer_key_id: string, 
/**
 * Increases with every bundle the producer signs; replays are refused.
 */
producer_seq: number, 
/**
 * When the bundle was made (RFC 3339, UTC).
 */
created: string, title: string, 
/**
 * The classification label of the data ("CONFIDENTIAL - SUPPLIER NDA").
 */
classification: string, 
/**
 * SHA-256 (hex) of each intended recipient's age recipient string, when the producer named them.
 */
recipients?: Array<string> | null, files: Array<FileEntry>, };

/**
 * A vertical line at `x` with a label.
 */
export type Marker = { x: number, label: string, };

/**
 * The classification banner of a chart: one level of the site's scheme, its
 * colours, and the caveats of the labels behind it. Never a joined string of labels.
 */
export type Marking = { 
/**
 * The level's banner text ("SECRET").
 */
level: string, 
/**
 * `#rrggbb` of the banner.
 */
background: string, 
/**
 * `#rrggbb` of the banner's text.
 */
foreground: string, 
/**
 * What the labels say besides their level ("SUPPLIER NDA"), each once.
 */
caveats: Array<string>, };

/**
 * One level of a scheme: its banner text and colours (`#rrggbb`).
 */
export type MarkingLevel = { 
/**
 * The banner text ("SECRET").
 */
name: string, 
/**
 * Other words that mean this level in a dataset's label ("PUBLIC" for UNCLASSIFIED).
 */
aliases: Array<string>, background: string, foreground: string, };

/**
 * The scheme and the user's mappings of labels to levels: how every label of the
 * vault is marked.
 */
export type MarkingPolicy = { scheme: MarkingScheme, 
/**
 * Labels the user mapped to a level by hand (the label as imported -> the level's name).
 */
mapped: { [key in string]: string }, };

/**
 * The schemes Packplan ships, and a site's own.
 */
export type MarkingPreset = "us" | "uk" | "nato" | "commercial" | "custom";

/**
 * A marking scheme: its levels from least to most sensitive.
 */
export type MarkingScheme = { preset: MarkingPreset, levels: Array<MarkingLevel>, };

/**
 * What 10 % more of one resource, in every planned month, delivers.
 */
export type MeasuredBottleneck = { 
/**
 * The pool (`hbm3e (NVIDIA)`).
 */
resource: string, 
/**
 * The pool as the user reads it ("HBM3E at NVIDIA's allocation").
 */
name: string, stage: Stage, 
/**
 * Planned months in which it binds.
 */
binding_months: number, 
/**
 * Extra good accelerators over the plan with 10 % more of it (may be 0: another
 * resource binds right behind it).
 */
extra_units: number, 
/**
 * `extra_units` as a share of the plan's accelerators.
 */
extra_share: number, 
/**
 * The gain in the objective (docs/model.md, section 4) measured by the re-solve.
 */
extra_objective: number, 
/**
 * What the shadow prices promised for the same 10 %: `Σ leverage × 0.10` over
 * its binding months, an upper bound on `extra_objective` (the value is concave).
 */
bound_objective: number, };

/**
 * A calendar month, stored as its absolute number `year * 12 + (month - 1)`.
 *
 * ```
 * use packplan_core::month::Month;
 * let m: Month = "2026-03".parse().unwrap();
 * assert_eq!(m.to_string(), "2026-03");
 * assert_eq!(m.plus(10).to_string(), "2027-01");
 * assert_eq!(m.months_until("2026-12".parse().unwrap()), 9);
 * assert!("2026-13".parse::<Month>().is_err());
 * ```
 */
export type Month = string;

/**
 * A new row, as the user typed it: column name -> cell (missing or empty: no value).
 */
export type NewRow = { table: string, cells: { [key in string]: string }, };

export type OrderDelta = { order: string, completion_a: Month | null, completion_b: Month | null, 
/**
 * Months later (positive) or earlier in B; `None` when either is beyond the horizon.
 */
shift_months: number | null, };

/**
 * One order: when it completes against when it is needed, and what it costs.
 */
export type OrderReport = { order: string, 
/**
 * The product's name.
 */
product: string, quantity: number, needed_by: Month, 
/**
 * The month the order was placed (today when the data does not say).
 */
placed: Month, 
/**
 * The first month whose packaged output can go to the order (after today and booking).
 */
earliest_packaging: Month, 
/**
 * Months from a unit's packaging to its arrival (test, integration, shipping).
 */
lag_months: number, 
/**
 * Where its units come from, in words: the share of the product's output, the
 * supply line, its allocation and queue ("0.2% of B300's output; at most 150 a
 * month from Mar 2027").
 */
supply: string, 
/**
 * The month the last accelerator arrives in the deterministic plan (`None`: not within the horizon).
 */
completion: Month | null, on_time: boolean, 
/**
 * Months from needed-by to completion: 0 when on time; `None` when the order
 * does not complete within the horizon.
 */
months_late: number | null, 
/**
 * Levelised cost per useful GPU-hour on premises, by component (`None`: no TCO
 * assumptions, or no accelerator arrives within the horizon, when
 * `net_present_cost` is still given).
 */
cost_per_gpu_hour: CostPerHour | null, 
/**
 * The base cloud rental price the break-even is measured against.
 */
cloud_usd_per_hour: number | null, 
/**
 * First month owning has cost no more than renting the same useful hours.
 */
break_even: Month | null, 
/**
 * Net present cost on premises, after salvage.
 */
net_present_cost: number | null, 
/**
 * Renting the missing accelerators from needed-by until they arrive.
 */
bridge_cloud_usd: number | null, };

/**
 * "Orders and TCO".
 */
export type OrdersReport = { scenario: string, 
/**
 * First and last month planned.
 */
months: [Month, Month], orders: Array<OrderReport>, assumptions: Array<Assumption>, datasets: Array<DatasetRef>, charts: Array<ChartView>, unavailable_charts: Array<UnavailableChart>, };

/**
 * The dataset behind a value.
 */
export type Origin = { dataset_id: string, dataset_title: string, classification: string, };

/**
 * One change to the input.
 */
export type Override = { "kind": "shift_ramp", technology: string, months: number, } | { "kind": "scale_capacity", technology?: string | null, facility?: string | null, factor: number, } | { "kind": "facility_down", facility: string, from: Month, to: Month, share_lost: number, } | { "kind": "scale_yield", product?: string | null, technology?: string | null, factor: number, } | { "kind": "set_allocation", technology: string, customer: string, from: Month, share: Estimate, } | { "kind": "widen_uncertainty", technology?: string | null, factor: number, } | { "kind": "add_disruption" } & Disruption | { "kind": "set_order", order: string, quantity?: number | null, needed_by?: Month | null, obtainable_share?: Estimate | null, } | { "kind": "correlate" } & Correlation;

/**
 * The overview of a scenario.
 */
export type Overview = { scenario: string, 
/**
 * The planning date: months before it are history.
 */
today: Month, 
/**
 * First and last month computed (history included).
 */
months: [Month, Month], orders: Array<OrderReport>, 
/**
 * The main bottleneck from today on, month by month (ranked by the shadow-price
 * bound; `measured` ranks by the real gain).
 */
bottlenecks: Array<BottleneckShift>, 
/**
 * Each resource that binds in the plan, with what 10 % more of it delivers, most first.
 */
measured: Array<MeasuredBottleneck>, 
/**
 * Single-source or highly concentrated technologies at the first December planned.
 */
alerts: Array<string>, units: Array<ProductYears>, datasets: Array<DatasetRef>, 
/**
 * SHA-256 of the model input: the run's id (its charts carry the first 12 digits).
 */
input_sha256: string, 
/**
 * The Monte Carlo, when the run had trials.
 */
uncertainty: Uncertainty | null, 
/**
 * The tornado, when asked for.
 */
sensitivity: Sensitivity | null, charts: Array<ChartView>, unavailable_charts: Array<UnavailableChart>, };

/**
 * The public halves of the vault's own keys, for `keys show` and Settings.
 */
export type OwnKeys = { 
/**
 * The age recipient (`age1...`) suppliers and colleagues encrypt bundles to.
 */
recipient: string, 
/**
 * The minisign public key (base64) colleagues add as a trusted issuer.
 */
signing_public_key: string, 
/**
 * Its key id, as bundles name it.
 */
signing_key_id: string, };

/**
 * A rectangular block of cells copied from a spreadsheet (tab-separated lines), to
 * add as rows of `table`. Its first line may be the header (the table's column names,
 * in any order); without one the columns are the table's, in their documented order.
 */
export type PastedBlock = { table: string, text: string, };

/**
 * The file the user picked, still encrypted.
 */
export type PickedBundle = { name: string, bytes: number, };

/**
 * An issuer's public key read from its `.pub` file (native dialog), for the page to
 * show with its key id before the user trusts it.
 */
export type PickedKey = { 
/**
 * The base64 line (`RW...`), as `issuer_add` takes it.
 */
key: string, 
/**
 * The key id to check with its owner by another channel.
 */
key_id: string, };

/**
 * Everything the user sees before confirming an import.
 */
export type Preview = { manifest: Manifest, signer: Signer, 
/**
 * Policy overrides this import needs (recorded in the audit log).
 */
overrides: Array<string>, 
/**
 * The dataset this bundle replaces: an earlier bundle with the same title from the same signer.
 */
replaces: Dataset | null, tables: Array<TableDiff>, 
/**
 * Every validation problem; an import with problems cannot be applied.
 */
problems: Array<BundleProblem>, 
/**
 * What was read differently from how it was written (a spreadsheet's `"5%"` read
 * as 0.05, a file read as Windows-1252): shown so the user can check it.
 */
notes: Array<BundleProblem>, 
/**
 * How overlapping datasets combine, in one sentence for the preview.
 */
overlap_rule: string, 
/**
 * Scenarios the bundle brings (scenarios.json), each with the name it is saved under.
 */
scenarios: Array<ScenarioImport>, };

export type ProductDelta = { product: string, units_a: number, units_b: number, delta: number, };

/**
 * Good units of a product over each calendar year planned.
 */
export type ProductYears = { 
/**
 * The product's name.
 */
product: string, 
/**
 * `(year, units)`, in year order (a partial year counts its planned months).
 */
units: Array<[number, number]>, 
/**
 * The years whose figure includes recorded output (actual rows).
 */
recorded: Array<number>, };

/**
 * One progress report: `done` of `total` units (bytes, rows, trials) in a named stage.
 */
export type ProgressReport = { 
/**
 * What is happening, in words ("decrypting", "validating rows", "Monte Carlo trials").
 */
stage: string, done: number, 
/**
 * `None` when the total is not known yet.
 */
total: number | null, 
/**
 * The unit of `done` and `total` ("bytes", "rows", "trials").
 */
unit: string, };

/**
 * Where the numbers of a chart came from.
 */
export type Provenance = { datasets: Array<ChartDatasetRef>, scenario?: string | null, run_id?: string | null, seed?: number | null, 
/**
 * When the chart was made (`YYYY-MM-DD`).
 */
generated: string, app_version: string, };

/**
 * Where the packaging capacity counted in one unit sits (wafers and panels do not add up).
 */
export type RegionExposure = { month: Month, unit: string, 
/**
 * The packaging technologies counted, by name.
 */
technologies: Array<string>, 
/**
 * Their capacity per month, in `unit`.
 */
total: number, 
/**
 * Regions' shares of it, largest first.
 */
regions: Array<Share>, };

/**
 * A new recovery code, shown once after a re-key.
 */
export type Rekeyed = { recovery_code: string, };

/**
 * The imported row an edit stands in for.
 */
export type Replaced = { origin: Origin, cells: Array<string>, };

/**
 * "Risk": concentration per technology at each December planned.
 */
export type RiskReport = { scenario: string, 
/**
 * The Decembers planned, in order (concentration is measured at each).
 */
months: Array<Month>, 
/**
 * The December the concentration chart shows: this year's if planned, else the last.
 */
chart_month: Month | null, 
/**
 * HHI from which a technology is moderately, and above which highly, concentrated.
 */
moderate: number, high: number, technologies: Array<TechnologyRisk>, exposure: Array<RegionExposure>, datasets: Array<DatasetRef>, charts: Array<ChartView>, unavailable_charts: Array<UnavailableChart>, };

/**
 * One row the import changes, for the preview's examples.
 */
export type RowChange = { 
/**
 * "added", "changed", "kept" (existing data is newer and stays in effect), or "removed".
 */
change: string, key: Array<string>, cells: Array<CellChange>, };

export type Scale = "linear" | "month";

/**
 * A named set of overrides. The baseline has none.
 */
export type Scenario = { name: string, description: string, overrides: Array<Override>, };

/**
 * A scenario a bundle brings, and the name it gets in this vault.
 */
export type ScenarioImport = { 
/**
 * Its name in the bundle.
 */
name: string, 
/**
 * The name it is saved under: its own, or "NAME (from TITLE)" when the name is taken.
 */
imported_as: string, 
/**
 * Why it was renamed: the name belongs to a scenario of the user or of another dataset.
 */
conflict: string | null, };

/**
 * A scenario as the picker lists it.
 */
export type ScenarioInfo = { name: string, description: string, overrides: number, };

/**
 * The tornado of the scenario's first order.
 */
export type Sensitivity = { scenario: string, order: string, 
/**
 * The product's name.
 */
product: string, base_completion: Month | null, base_units: number, 
/**
 * Widest completion swing first, then widest units swing.
 */
bars: Array<TornadoBar>, charts: Array<ChartView>, unavailable_charts: Array<UnavailableChart>, };

/**
 * One data series: `[x, y]` points drawn in one style.
 */
export type Series = { name: string, 
/**
 * `#rrggbb`, chosen from [`super::palette`] so both renderers agree.
 */
color: string, style: SeriesStyle, 
/**
 * Series with the same stack name are drawn stacked, in order.
 */
stack?: string | null, points: Array<[number, number]>, };

export type SeriesStyle = "line" | "dashed" | "step" | "area";

/**
 * What the UI needs to choose its screen.
 */
export type SessionStatus = { vault: VaultStatus, unlocked: boolean, 
/**
 * The auto-lock setting while unlocked.
 */
auto_lock_minutes: number | null, 
/**
 * The shortest passphrase accepted, for the first-run screen's hint.
 */
min_passphrase_length: number, 
/**
 * While unlocked: the vault's own age recipient, from its encrypted keys (what to
 * give people who send bundles).
 */
recipient: string | null, 
/**
 * While unlocked: what the user must know about this vault, found at unlock.
 */
warnings: Array<string>, };

/**
 * Every setting, with its default.
 */
export type Settings = { 
/**
 * Lock after this many idle minutes; 0 = never.
 */
auto_lock_minutes: number, 
/**
 * A classification label every chart and export carries at least (the datasets'
 * own labels still win when stricter). `None`: the datasets' labels only.
 */
classification_label?: string | null, 
/**
 * The first month planned; `None`: the default (docs/model.md, "Horizon").
 */
horizon_start?: Month | null, 
/**
 * How many months are planned; `None`: the default.
 */
horizon_months?: number | null, 
/**
 * The planning date ("today"); `None`: the current month, read when a plan is made.
 */
planning_date?: Month | null, 
/**
 * The site's marking scheme and the labels the user mapped to its levels.
 */
marking_policy: MarkingPolicy, 
/**
 * The locale the screens write numbers and dates in, one of [`LOCALES`]; `None`:
 * English (US), as the charts and files the backend writes.
 */
locale?: string | null, };

/**
 * A shaded x range from `from` to `to` (inclusive of the whole last period).
 */
export type Shade = { from: number, to: number, label: string, color: string, };

/**
 * A name and its share (0 to 1).
 */
export type Share = { name: string, share: number, };

/**
 * Two scenarios side by side: each one's overview, what moved and why, and the comparison chart.
 */
export type SideBySide = { a: Overview, b: Overview, comparison: Comparison, chart: ChartView, };

/**
 * Who signed an opened bundle.
 */
export type Signer = { "status": "trusted", issuer: string, key_id: string, } | { "status": "unknown", claimed_key_id: string, } | { "status": "unsigned" };

/**
 * Where in the supply chain a technology sits.
 */
export type Stage = "packaging" | "memory" | "substrate" | "logic" | "material";

/**
 * The diff of one table.
 */
export type TableDiff = { table: string, rows: number, added: number, changed: number, unchanged: number, 
/**
 * Rows whose key already exists with a newer `as_of`: stored, but not in effect.
 */
kept: number, 
/**
 * Rows of a replaced dataset that the new bundle no longer holds.
 */
removed: number, examples: Array<RowChange>, };

/**
 * A table as the table picker lists it.
 */
export type TableInfo = { name: string, doc: string, 
/**
 * Rows in effect (one per key).
 */
rows: number, };

/**
 * One page of a table.
 */
export type TablePage = { table: string, doc: string, columns: Array<ColumnInfo>, 
/**
 * Rows in effect in the whole table.
 */
all: number, 
/**
 * Rows that match the search and filters.
 */
matching: number, offset: number, rows: Array<TableRow>, 
/**
 * Filter choices: for `dataset` and each column with few distinct values.
 */
facets: { [key in string]: Array<string> }, };

/**
 * What the user asked to see.
 */
export type TableQuery = { 
/**
 * Words that must all appear (case-insensitive) in a row's cells, dataset or source.
 */
search?: string, 
/**
 * Column name (or `dataset`) -> the exact cell value a row must have.
 */
filters?: { [key in string]: string }, sort?: string | null, descending?: boolean, offset?: number, 
/**
 * Rows per page; 0 means 100; at most [`MAX_PAGE`].
 */
limit?: number, };

/**
 * One row in effect.
 */
export type TableRow = { 
/**
 * The key columns' cells: what an edit names.
 */
key: Array<string>, cells: Array<string>, origin: Origin, 
/**
 * The row's `source` cell, when the table has one.
 */
source: string | null, 
/**
 * For a row edited in this vault: the imported row it stands in for, if any is left.
 */
replaces: Replaced | null, };

/**
 * Concentration of one technology in one month.
 */
export type TechnologyRisk = { month: Month, technology: string, name: string, stage: Stage, unit: string, 
/**
 * Herfindahl-Hirschman index of the suppliers' capacity shares (0 to 10,000).
 */
hhi: number, level: string, single_source: boolean, 
/**
 * Suppliers' shares of capacity, largest first.
 */
suppliers: Array<Share>, 
/**
 * Regions' shares of capacity, largest first.
 */
regions: Array<Share>, 
/**
 * The user's orders whose product needs this technology (its logic, its HBM, its
 * substrate, or a packaging route it may take, or the family of one), in order;
 * empty when it lies on no order's path.
 */
orders: Array<string>, };

export type TornadoBar = { 
/**
 * The input, in words.
 */
input: string, 
/**
 * Completion month with the input at P10 and at P90 (`None`: beyond the horizon).
 */
completion_low: Month | null, completion_high: Month | null, 
/**
 * Swing of the completion month, in months (beyond the horizon counts as horizon + 1).
 */
completion_swing_months: number, units_low: number, units_high: number, units_swing: number, };

/**
 * A chart a screen would show that this run cannot draw, and why (no Monte Carlo
 * trials, no TCO assumptions, no December within the horizon).
 */
export type UnavailableChart = { kind: ChartKind, why: string, };

export type Uncertainty = { scenario: string, trials: number, seed: number, 
/**
 * How many uncertain inputs the trials drew.
 */
inputs: number, orders: Array<CompletionDistribution>, charts: Array<ChartView>, unavailable_charts: Array<UnavailableChart>, };

/**
 * The state of the vault folder, for `vault status` and the first screen.
 */
export type VaultStatus = { dir: string, portable: boolean, 
/**
 * "none" (no vault yet), "ready" (a vault to unlock) or "unfinished" (files of an interrupted init).
 */
state: string, created: string | null, 
/**
 * Each vault file present, with its size in bytes.
 */
files: Array<[string, number]>, };

/**
 * The window's inner size, in physical pixels.
 */
export type WindowSize = { width: number, height: number, maximized: boolean, };

/**
 * The remembered workspace; every part is optional (a new vault remembers nothing).
 */
export type Workspace = { window: WindowSize | null, screen: string | null, scenario: string | null, };

export type XyPlot = { x: Axis, y: Axis, series: Array<Series>, 
/**
 * Uncertainty bands (for example P5-P95 and P10-P90 around a P50 line).
 */
bands: Array<Band>, 
/**
 * Shaded x ranges with a label (for example which constraint binds when).
 */
shades: Array<Shade>, 
/**
 * Vertical markers (for example the needed-by month).
 */
markers: Array<Marker>, };

/** Every IPC command: its arguments, named as the page passes them, and its result. */
export interface Commands {
  /** Name, version and vault folder, for the first screen. */
  about: { args: Record<string, never>; result: About };
  /** Whether there is a vault, and whether it is unlocked: chooses the screen. */
  vault_status: { args: Record<string, never>; result: SessionStatus };
  vault_create: { args: { passphrase: string }; result: CreatedVault };
  vault_unlock: { args: { passphrase?: string | null; recoveryCode?: string | null }; result: null };
  vault_lock: { args: Record<string, never>; result: null };
  /** The user is active (keys, pointer): postpones auto-lock. */
  vault_activity: { args: Record<string, never>; result: null };
  settings_get: { args: Record<string, never>; result: Settings };
  settings_update: { args: { settings: Settings }; result: null };
  /** The locales the screens can write numbers and dates in, for the settings' choice. */
  settings_locales: { args: Record<string, never>; result: Array<LocaleChoice> };
  /** The plan window the settings choose now: today (the setting, else this month), the first month, the count. */
  plan_window: { args: Record<string, never>; result: Horizon };
  vault_passwd: { args: { current: string; new: string }; result: null };
  /** Re-keys the vault (new database key, passphrase and recovery code), with progress and Cancel; returns the new recovery code, to show once. */
  vault_rekey: { args: { current: string; new: string; onProgress: Channel<ProgressReport> }; result: Rekeyed };
  vault_check: { args: Record<string, never>; result: CheckReport };
  audit_list: { args: { limit: number }; result: Array<AuditEntry> };
  /** Backs the vault up into a new folder inside the one the user picks in the native dialog (the page never sees a path API). `None` when the dialog is closed. */
  vault_backup: { args: Record<string, never>; result: BackupReceipt | null };
  /** Asks for a bundle file in the native dialog and keeps its (encrypted) bytes. */
  bundle_pick: { args: Record<string, never>; result: PickedBundle | null };
  /** Decrypts, checks and previews the picked bundle; changes nothing. */
  bundle_preview: { args: { passphrase?: string | null; allowUnsigned: boolean; allowUnknownSigner: boolean; onProgress: Channel<ProgressReport> }; result: Preview };
  /** Applies the previewed import in one transaction, with progress and Cancel. */
  bundle_import: { args: { onProgress: Channel<ProgressReport> }; result: ImportReceipt };
  /** Forgets the picked file and any preview. */
  bundle_discard: { args: Record<string, never>; result: null };
  /** The marking of what the window can show: the strictest level of the vault's data in the site's scheme, with its caveats (the banner at the window's top and bottom); none while the vault holds no data. */
  vault_marking: { args: Record<string, never>; result: Banner | null };
  dataset_list: { args: Record<string, never>; result: Array<Dataset> };
  dataset_remove: { args: { id: string }; result: Dataset };
  /** The tables with their count of rows in effect. */
  data_tables: { args: Record<string, never>; result: Array<TableInfo> };
  /** One page of a table's rows in effect, searched, filtered and sorted. */
  data_page: { args: { table: string; query: TableQuery }; result: TablePage };
  /** Edits one value in place (checked, audited); the vault is unchanged on error. */
  data_edit: { args: { edit: CellEdit }; result: Edited };
  /** Reverts an edit made in this vault, so the imported value is in effect again. */
  data_revert: { args: { table: string; key: Array<string> }; result: null };
  /** Adds a row of one's own (every cell checked as a bundle's, audited); the vault is unchanged on error. */
  data_add: { args: { row: NewRow }; result: Added };
  /** Adds the rows of a block pasted from a spreadsheet, all or none, in one audited change. */
  data_add_block: { args: { block: PastedBlock }; result: Array<Added> };
  /** Removes a row added in this vault; audited. */
  data_remove: { args: { table: string; key: Array<string> }; result: null };
  /** Exports datasets to contacts as a signed bundle, saved where the user chooses. */
  bundle_export: { args: { datasets: Array<string>; scenarios: Array<string>; title: string; contacts: Array<string>; passphrase?: string | null }; result: string | null };
  keys_show: { args: Record<string, never>; result: OwnKeys };
  issuer_list: { args: Record<string, never>; result: Array<Issuer> };
  issuer_add: { args: { name: string; key: string }; result: Issuer };
  /** Asks for an issuer's `.pub` file and reads its key; trusts nothing yet. */
  issuer_key_pick: { args: Record<string, never>; result: PickedKey | null };
  issuer_remove: { args: { name: string }; result: null };
  contact_list: { args: Record<string, never>; result: Array<Contact> };
  contact_add: { args: { name: string; recipient: string }; result: Contact };
  contact_remove: { args: { name: string }; result: null };
  /** Asks for a workbook (`folder` false) or a folder of CSV files, and keeps its bytes in memory. */
  files_pick: { args: { folder: boolean }; result: PickedBundle | null };
  /** Reads and checks the chosen files and previews their import; changes nothing. `date_order` is `day-month`, `month-day` or none (ambiguous dates refused). */
  files_preview: { args: { classification: string; dateOrder?: string | null; decimalComma: boolean; onProgress: Channel<ProgressReport> }; result: Preview };
  /** Saves the workbook template (one sheet per table, drop-down lists, a README sheet). */
  files_template: { args: Record<string, never>; result: string | null };
  demo_load: { args: Record<string, never>; result: DemoLoaded };
  scenario_list: { args: Record<string, never>; result: Array<ScenarioInfo> };
  plan_overview: { args: { scenario: string }; result: Overview };
  /** Scenario `b` beside scenario `a`: both overviews, what moved and why, the comparison chart. */
  plan_compare: { args: { a: string; b: string }; result: SideBySide };
  plan_uncertainty: { args: { scenario: string; trials: number; seed: number; onProgress: Channel<ProgressReport> }; result: Uncertainty };
  /** The Overview's answer: 1,000 trials of `scenario`, worked out in the background whenever the inputs change. A new request cancels the one it replaces; an answer already worked out for the same inputs comes back at once. */
  plan_answer: { args: { scenario: string; onProgress: Channel<ProgressReport> }; result: Uncertainty };
  /** Cancels the running job (the Monte Carlo) and the background answer; nothing is changed. */
  work_cancel: { args: Record<string, never>; result: null };
  /** Draws a chart and saves it where the user chooses in the native dialog. Returns the path, or nothing if the user closed the dialog. */
  chart_save: { args: { scenario: string; request: ChartRequest; against?: string | null }; result: string | null };
  /** Draws a chart as PNG at twice its size (sharp on a slide) and puts it on the clipboard. */
  chart_copy: { args: { scenario: string; request: ChartRequest; against?: string | null }; result: null };
  /** Every chart of `scenario` (and the comparison with `against`) as PNG, SVG, PDF and CSV into a folder the user picks: all or nothing, never over files of the same names; progress on `on_progress`, Cancel through `work_cancel`. The folder and how many files, or nothing if the dialog was closed. */
  charts_export_all: { args: { scenario: string; against?: string | null; trials: number; seed: number; onProgress: Channel<ProgressReport> }; result: [string, number] | null };
  /** A saved scenario in full, for the editor. */
  scenario_get: { args: { name: string }; result: Scenario };
  /** What the editor can name: technologies, facilities, products. */
  scenario_choices: { args: Record<string, never>; result: Choices };
  /** Recomputes a scenario being edited (not saved), fast enough for a slider. */
  scenario_draft: { args: { scenario: Scenario }; result: Draft };
  /** Saves a scenario (a new one, or over the one with its name); audited. */
  scenario_save: { args: { scenario: Scenario }; result: null };
  /** Deletes a saved scenario; audited. */
  scenario_delete: { args: { name: string }; result: null };
  /** Every order of the scenario with its delivery and cost, and the cost assumptions with their sources. */
  plan_orders: { args: { scenario: string }; result: OrdersReport };
  /** Saves the scenario's plan (orders with the odds of 1,000 trials, units, costs, concentration) and its data as a workbook, every sheet marked; Cancel through `work_cancel`. */
  plan_workbook_save: { args: { scenario: string }; result: string | null };
  /** Makes the briefing pack of `scenario` (with `against` beside it) and saves it where the user chooses: one marked PDF, its answer from the Overview's trials and seed, so its odds are the ones the Overview shows; progress over `on_progress`, Cancel through `work_cancel`. The path, or nothing if the dialog was closed. */
  briefing_save: { args: { scenario: string; against?: string | null; onProgress: Channel<ProgressReport> }; result: string | null };
  /** Supplier concentration per technology at each December planned, and where the capacity sits. */
  plan_risk: { args: { scenario: string }; result: RiskReport };
  /** The tornado of the scenario's first order; cancelled by `work_cancel` or by locking. */
  plan_sensitivity: { args: { scenario: string; onProgress: Channel<ProgressReport> }; result: Sensitivity };
  /** Restores the remembered window size; returns the remembered screen and scenario. */
  workspace_restore: { args: Record<string, never>; result: Workspace };
  /** Remembers the window's current size with the screen and scenario the page shows. */
  workspace_save: { args: { screen?: string | null; scenario?: string | null }; result: null };
}
