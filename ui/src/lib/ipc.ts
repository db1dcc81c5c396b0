// The UI's one door to the Rust backend. Every call to a command goes through
// `call`, which types its arguments and result and turns a rejected invoke into
// a `PackplanError` carrying the backend's `{kind, message}`.
import { invoke, Channel } from "@tauri-apps/api/core";
import type { ChartView } from "./chart/spec";
import { listen } from "@tauri-apps/api/event";

/** The kinds of `packplan_core::ErrorKind`, as they cross IPC. */
export type ErrorKind =
  "invalid" | "not_found" | "already_exists" | "wrong_key" | "locked" | "damaged" | "cancelled" | "io" | "internal";

const KINDS: readonly ErrorKind[] = [
  "invalid",
  "not_found",
  "already_exists",
  "wrong_key",
  "locked",
  "damaged",
  "cancelled",
  "io",
  "internal",
];

/** A failure reported by the backend, with a message written for the user. */
export class PackplanError extends Error {
  readonly kind: ErrorKind;
  constructor(kind: ErrorKind, message: string) {
    super(message);
    this.name = "PackplanError";
    this.kind = kind;
  }
}

/** `packplan_core::about::About`. */
export interface About {
  name: string;
  version: string;
  vault_dir: string;
  vault_portable: boolean;
}

/** `packplan_core::vault::VaultStatus`: the vault folder, seen without unlocking. */
export interface VaultStatus {
  dir: string;
  portable: boolean;
  state: "none" | "ready" | "unfinished";
  created: string | null;
  files: [string, number][];
}

/** `packplan_core::vault::SessionStatus`. */
export interface SessionStatus {
  vault: VaultStatus;
  unlocked: boolean;
  auto_lock_minutes: number | null;
  min_passphrase_length: number;
  /** While unlocked: the vault's own age recipient, from its encrypted keys. */
  recipient: string | null;
  /** While unlocked: what the user must know about the vault, found at unlock. */
  warnings: string[];
}

/** What the first-run screen shows once. */
export interface CreatedVault {
  recovery_code: string;
  recipient: string;
}

/** `packplan_core::vault::Settings`. */
export interface Settings {
  auto_lock_minutes: number;
  /** A label every chart and export carries at least; null: the datasets' own labels. */
  classification_label?: string | null;
  /** The first month planned (`YYYY-MM`); null: the default. */
  horizon_start?: Month | null;
  /** How many months are planned (12 to 120); null: the default. */
  horizon_months?: number | null;
}

/** `packplan_core::vault::check::CheckReport`. */
export interface CheckReport {
  ok: boolean;
  cipher_version: string;
  checks: { check: string; ok: boolean; findings: string[] }[];
}

/** `packplan_core::vault::AuditEntry`. */
export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  detail: unknown;
}

/** Why the vault locked (payload of the `vault-locked` event). */
export type LockReason = "user" | "idle";

/** The event the backend emits when the vault locks. */
export const LOCKED_EVENT = "vault-locked";

type None = Record<string, never>;

/** A progress report of long work (src-tauri/core/src/progress.rs). */
export interface ProgressReport {
  stage: string;
  done: number;
  total: number | null;
  unit: string;
}

export interface Dataset {
  id: string;
  origin: string;
  title: string;
  classification: string;
  issuer: string | null;
  /** The trusted issuer's key that verified the signature. */
  signer_key_id: string | null;
  /** The key id an unverified signature claimed (never the signer). */
  claimed_key_id: string | null;
  producer_seq: number | null;
  created: string;
  imported: string;
  sha256: string | null;
  policy_override: string | null;
  rows: Record<string, number>;
}

export interface TableDiff {
  table: string;
  rows: number;
  added: number;
  changed: number;
  unchanged: number;
  kept: number;
  removed: number;
}

export interface BundleProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** What an import will change, shown before anything changes. */
export interface Preview {
  manifest: { title: string; classification: string; created: string; bundle_id: string; producer_seq: number };
  signer:
    | { status: "trusted"; issuer: string; key_id: string }
    | { status: "unknown"; claimed_key_id: string }
    | { status: "unsigned" };
  overrides: string[];
  replaces: Dataset | null;
  tables: TableDiff[];
  problems: BundleProblem[];
  overlap_rule: string;
  scenarios: ScenarioImport[];
}

/** A scenario a bundle brings, and the name it is saved under in this vault. */
export interface ScenarioImport {
  name: string;
  imported_as: string;
  /** Why it was renamed: the name is taken by one of the user's scenarios or another dataset's. */
  conflict: string | null;
}

export interface ImportReceipt {
  dataset: Dataset;
  replaced: string | null;
  audit_seq: number;
}

export interface OwnKeys {
  recipient: string;
  signing_public_key: string;
  signing_key_id: string;
}

export interface Issuer {
  name: string;
  public_key: string;
  key_id: string;
  added: string;
  last_seq: number;
}

export interface Contact {
  name: string;
  recipient: string;
  added: string;
}

export interface BackupReceipt {
  folder: string;
  bytes: number;
  verified: boolean;
}

export interface DemoLoaded {
  title: string;
  rows: number;
  classification: string;
}

export interface ScenarioInfo {
  name: string;
  description: string;
  overrides: number;
}

/** A calendar month as the backend writes it: `YYYY-MM`. */
export type Month = string;

/** `packplan_core::report::overview::OrderReport`: one order's delivery and cost (one type for every screen). */
export type OrderLine = OrderReport;

export interface DatasetRef {
  id: string;
  title: string;
  classification: string;
  as_of: string;
}

export interface Overview {
  scenario: string;
  months: [Month, Month];
  orders: OrderLine[];
  bottlenecks: { from: Month; resource: string }[];
  alerts: string[];
  datasets: DatasetRef[];
  charts: ChartView[];
}

/** What moved between two scenarios (`packplan_core::model::compare::Comparison`). */
export interface Comparison {
  a: string;
  b: string;
  objective_delta: number;
  products: { product: string; units_a: number; units_b: number; delta: number }[];
  orders: { order: string; completion_a: Month | null; completion_b: Month | null; shift_months: number | null }[];
  constraints: { resource: string; newly_binding: Month[]; no_longer_binding: Month[] }[];
  bottleneck_changes: [Month, string | null, string | null][];
}

/** Two scenarios side by side. */
export interface SideBySide {
  a: Overview;
  b: Overview;
  comparison: Comparison;
  chart: ChartView;
}

export interface CompletionDistribution {
  order: string;
  needed_by: Month;
  probability_on_time: number;
  cdf: number[];
  beyond_horizon: number;
  p10: Month | null;
  p50: Month | null;
  p90: Month | null;
}

export interface Uncertainty {
  scenario: string;
  trials: number;
  seed: number;
  inputs: number;
  orders: CompletionDistribution[];
  charts: ChartView[];
}

/** `packplan_core::model::tco::CostPerHour`: levelised USD per useful GPU-hour. */
export interface CostPerHour {
  capex: number;
  power: number;
  facility: number;
  staff: number;
  total: number;
}

/** `packplan_core::report::overview::OrderReport`. */
export interface OrderReport {
  order: string;
  product: string;
  quantity: number;
  needed_by: Month;
  completion: Month | null;
  on_time: boolean;
  /** 0 when on time; null when the order does not complete within the horizon. */
  months_late: number | null;
  cost_per_gpu_hour: CostPerHour | null;
  cloud_usd_per_hour: number | null;
  break_even: Month | null;
  net_present_cost: number | null;
  bridge_cloud_usd: number | null;
}

/** Where one figure of an assumption came from. */
export interface AssumptionSource {
  low: number;
  base: number;
  high: number;
  source: string;
  as_of: string;
  dataset: string;
  dataset_title: string;
}

/** An assumption behind the cost figures: what the run uses and its sources. */
export interface Assumption {
  key: string;
  name: string;
  unit: string;
  low: number;
  base: number;
  high: number;
  sources: AssumptionSource[];
}

/** `packplan_core::results::OrdersReport`: "Orders and TCO". */
export interface OrdersReport {
  scenario: string;
  months: [Month, Month];
  orders: OrderReport[];
  assumptions: Assumption[];
  datasets: DatasetRef[];
  charts: ChartView[];
}

/** A name and its share (0 to 1). */
export interface Share {
  name: string;
  share: number;
}

export type Stage = "packaging" | "memory" | "substrate" | "logic" | "material";

export interface TechnologyRisk {
  month: Month;
  technology: string;
  name: string;
  stage: Stage;
  unit: string;
  hhi: number;
  level: string;
  single_source: boolean;
  suppliers: Share[];
  regions: Share[];
}

export interface RegionExposure {
  month: Month;
  unit: string;
  technologies: string[];
  total: number;
  regions: Share[];
}

/** `packplan_core::results::RiskReport`: concentration at each December planned. */
export interface RiskReport {
  scenario: string;
  months: Month[];
  chart_month: Month | null;
  moderate: number;
  high: number;
  technologies: TechnologyRisk[];
  exposure: RegionExposure[];
  datasets: DatasetRef[];
  charts: ChartView[];
}

export interface TornadoBar {
  input: string;
  completion_low: Month | null;
  completion_high: Month | null;
  completion_swing_months: number;
  units_low: number;
  units_high: number;
  units_swing: number;
}

/** `packplan_core::results::Sensitivity`: the tornado of the first order. */
export interface Sensitivity {
  scenario: string;
  order: string;
  product: string;
  base_completion: Month | null;
  base_units: number;
  bars: TornadoBar[];
  charts: ChartView[];
}

/** A table as the Data screen lists it (`packplan_core::dataset::browse::TableInfo`). */
export interface TableInfo {
  name: string;
  doc: string;
  rows: number;
}

/** A column and what it accepts. */
export interface ColumnInfo {
  name: string;
  unit: string;
  doc: string;
  expected: string;
  key: boolean;
  editable: boolean;
  numeric: boolean;
}

/** What the user asked to see of a table. */
export interface TableQuery {
  search?: string;
  filters?: Record<string, string>;
  sort?: string | null;
  descending?: boolean;
  offset?: number;
  limit?: number;
}

/** The dataset behind a value. */
export interface Origin {
  dataset_id: string;
  dataset_title: string;
  classification: string;
}

export interface TableRow {
  key: string[];
  cells: string[];
  origin: Origin;
  source: string | null;
  /** For a value edited in this vault: the imported row it stands in for. */
  replaces: { origin: Origin; cells: string[] } | null;
}

export interface TablePage {
  table: string;
  doc: string;
  columns: ColumnInfo[];
  all: number;
  matching: number;
  offset: number;
  rows: TableRow[];
  facets: Record<string, string[]>;
}

/** A change of one cell, as typed. */
export interface CellEdit {
  table: string;
  key: string[];
  column: string;
  value: string;
}

export interface Edited {
  table: string;
  key: string[];
  column: string;
  old: string;
  new: string;
  from_dataset: string;
}

/** What the app remembers in the vault between sessions. */
export interface Workspace {
  window: { width: number; height: number; maximized: boolean } | null;
  screen: string | null;
  scenario: string | null;
}

export type ChartFormat = "png" | "svg" | "csv";

/** One change a scenario makes (src-tauri/core/src/model/scenario.rs). */
export type Override =
  | { kind: "shift_ramp"; technology: string; months: number }
  | { kind: "scale_capacity"; technology?: string | null; facility?: string | null; factor: number }
  | { kind: "facility_down"; facility: string; from: Month; to: Month; share_lost: number }
  | { kind: "scale_yield"; product?: string | null; technology?: string | null; factor: number }
  | { kind: "widen_uncertainty"; technology?: string | null; factor: number }
  | { kind: "set_allocation" | "add_disruption" | "set_order" | "correlate"; [field: string]: unknown };

export interface Scenario {
  name: string;
  description: string;
  overrides: Override[];
}

export interface Draft {
  orders: OrderLine[];
  bottlenecks: { from: Month; resource: string }[];
  totals: [string, number][];
  chart: ChartView;
}

export interface Choices {
  technologies: [string, string][];
  facilities: [string, string][];
  products: [string, string][];
}

export interface ChartRequest {
  kind: string;
  format: ChartFormat;
  trials?: number;
  seed?: number;
}

/** Every command: its arguments and its result. Mirrors src-tauri/desktop/commands.rs. */
export interface Commands {
  about: { args: None; result: About };
  vault_status: { args: None; result: SessionStatus };
  vault_create: { args: { passphrase: string }; result: CreatedVault };
  vault_unlock: { args: { passphrase: string } | { recoveryCode: string }; result: null };
  vault_lock: { args: None; result: null };
  vault_activity: { args: None; result: null };
  settings_get: { args: None; result: Settings };
  settings_update: { args: { settings: Settings }; result: null };
  vault_passwd: { args: { current: string; new: string }; result: null };
  vault_rekey: {
    args: { current: string; new: string; onProgress: Channel<ProgressReport> };
    result: { recovery_code: string };
  };
  vault_check: { args: None; result: CheckReport };
  audit_list: { args: { limit: number }; result: AuditEntry[] };
  demo_load: { args: None; result: DemoLoaded };
  vault_backup: { args: None; result: BackupReceipt | null };
  data_tables: { args: None; result: TableInfo[] };
  data_page: { args: { table: string; query: TableQuery }; result: TablePage };
  data_edit: { args: { edit: CellEdit }; result: Edited };
  data_revert: { args: { table: string; key: string[] }; result: null };
  workspace_restore: { args: None; result: Workspace };
  workspace_save: { args: { screen: string | null; scenario: string | null }; result: null };
  bundle_pick: { args: None; result: { name: string; bytes: number } | null };
  bundle_preview: {
    args: {
      passphrase: string | null;
      allowUnsigned: boolean;
      allowUnknownSigner: boolean;
      onProgress: Channel<ProgressReport>;
    };
    result: Preview;
  };
  bundle_import: { args: { onProgress: Channel<ProgressReport> }; result: ImportReceipt };
  bundle_discard: { args: None; result: null };
  dataset_list: { args: None; result: Dataset[] };
  dataset_remove: { args: { id: string }; result: Dataset };
  bundle_export: {
    args: { datasets: string[]; scenarios: string[]; title: string; contacts: string[]; passphrase: string | null };
    result: string | null;
  };
  keys_show: { args: None; result: OwnKeys };
  issuer_list: { args: None; result: Issuer[] };
  issuer_add: { args: { name: string; key: string }; result: Issuer };
  issuer_remove: { args: { name: string }; result: null };
  contact_list: { args: None; result: Contact[] };
  contact_add: { args: { name: string; recipient: string }; result: Contact };
  contact_remove: { args: { name: string }; result: null };
  scenario_list: { args: None; result: ScenarioInfo[] };
  plan_overview: { args: { scenario: string }; result: Overview };
  plan_uncertainty: {
    args: { scenario: string; trials: number; seed: number; onProgress: Channel<ProgressReport> };
    result: Uncertainty;
  };
  work_cancel: { args: None; result: null };
  scenario_get: { args: { name: string }; result: Scenario };
  scenario_choices: { args: None; result: Choices };
  scenario_draft: { args: { scenario: Scenario }; result: Draft };
  scenario_save: { args: { scenario: Scenario }; result: null };
  scenario_delete: { args: { name: string }; result: null };
  chart_save: {
    args: { scenario: string; request: ChartRequest; against?: string | null };
    result: string | null;
  };
  plan_compare: { args: { a: string; b: string }; result: SideBySide };
  plan_orders: { args: { scenario: string }; result: OrdersReport };
  plan_risk: { args: { scenario: string }; result: RiskReport };
  plan_sensitivity: {
    args: { scenario: string; onProgress: Channel<ProgressReport> };
    result: Sensitivity;
  };
}

/** A channel the backend reports progress on. */
export function progressChannel(handler: (report: ProgressReport) => void): Channel<ProgressReport> {
  const channel = new Channel<ProgressReport>();
  channel.onmessage = handler;
  return channel;
}

/** Calls a backend command; rejects with a `PackplanError`. */
export async function call<C extends keyof Commands>(
  command: C,
  args: Commands[C]["args"],
): Promise<Commands[C]["result"]> {
  try {
    return await invoke<Commands[C]["result"]>(command, args);
  } catch (raw) {
    throw toPackplanError(raw);
  }
}

/** Asks the backend to cancel the running job (Monte Carlo, tornado, import); what it was doing is dropped. */
export async function cancelWork(): Promise<void> {
  await call("work_cancel", {}).catch(() => {});
}

/** The sentence for a failure of long work: `cancelled` when the user cancelled it, else the backend's message. */
export function failureOf(e: unknown, cancelled: string): string {
  if (e instanceof PackplanError) return e.kind === "cancelled" ? cancelled : e.message;
  return String(e);
}

/** Normalises whatever invoke rejected with into a `PackplanError`. */
export function toPackplanError(raw: unknown): PackplanError {
  if (raw instanceof PackplanError) return raw;
  if (typeof raw === "object" && raw !== null && "kind" in raw && "message" in raw) {
    const { kind, message } = raw as { kind: unknown; message: unknown };
    if (typeof kind === "string" && (KINDS as readonly string[]).includes(kind) && typeof message === "string") {
      return new PackplanError(kind as ErrorKind, message);
    }
  }
  const text = typeof raw === "string" ? raw : raw instanceof Error ? raw.message : JSON.stringify(raw);
  return new PackplanError("internal", `unexpected reply from the backend: ${text}`);
}

/** Calls `handler` whenever the backend locks the vault (Ctrl+L elsewhere, or auto-lock).
 * Resolves to a function that stops listening. */
export async function onLocked(handler: (reason: LockReason) => void): Promise<() => void> {
  return listen<LockReason>(LOCKED_EVENT, (event) => handler(event.payload));
}
