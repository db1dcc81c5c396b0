// The chart spec as it arrives from Rust (packplan_core::chart::ChartSpec, serde JSON).
// The same spec is drawn here interactively and exported by the backend with plotters.

export type Scale = "linear" | "month";
export interface Axis {
  label: string;
  unit: string;
  scale: Scale;
}
export type SeriesStyle = "line" | "dashed" | "step" | "area";
export interface Series {
  name: string;
  color: string;
  style: SeriesStyle;
  stack?: string;
  points: [number, number][];
}
export interface Band {
  name: string;
  color: string;
  opacity: number;
  points: [number, number, number][];
}
export interface Shade {
  from: number;
  to: number;
  label: string;
  color: string;
}
export interface Marker {
  x: number;
  label: string;
}
export interface XyPlot {
  type: "xy";
  x: Axis;
  y: Axis;
  series: Series[];
  bands: Band[];
  shades: Shade[];
  markers: Marker[];
}
export interface BarSeries {
  name: string;
  color: string;
  spans: [number, number][];
}
export interface BarPlot {
  type: "bars";
  value_axis: Axis;
  categories: string[];
  series: BarSeries[];
  reference_lines: Marker[];
  zones: Shade[];
  flags: (string | null)[];
}
export type CarrierShape =
  { shape: "circle"; diameter_mm: number } | { shape: "rect"; width_mm: number; height_mm: number };
export interface CarrierPanel {
  title: string;
  carrier: CarrierShape;
  usable: CarrierShape;
  placements: [number, number, number, number][];
  caption: string;
  color: string;
}
export interface LayoutPlot {
  type: "layout";
  panels: CarrierPanel[];
}
export type Level = "public" | "internal" | "confidential" | "restricted";
export interface Marking {
  label: string;
  level: Level;
  notices: string[];
}
export interface DatasetRef {
  title: string;
  as_of: string;
}
export interface Provenance {
  datasets: DatasetRef[];
  scenario?: string;
  run_id?: string;
  seed?: number;
  generated: string;
  app_version: string;
}
export interface ChartSpec {
  kind: string;
  title: string;
  subtitle?: string;
  body: XyPlot | BarPlot | LayoutPlot;
  marking: Marking;
  provenance: Provenance;
}

/** `2026-03` for the absolute month number of March 2026 (year * 12 + month - 1). */
export function monthLabel(month: number): string {
  const m = Math.round(month);
  const year = Math.floor(m / 12);
  const mm = (((m % 12) + 12) % 12) + 1;
  return `${year}-${String(mm).padStart(2, "0")}`;
}

/** A spec with its banner and footer already worded by the backend (packplan_core::chart::ChartView). */
export interface ChartView {
  spec: ChartSpec;
  banner: { text: string; background: string; foreground: string };
  footer: string[];
}

/** Short numbers for axes and tooltips, as the exporter writes them. */
export function shortNumber(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${(v / 1e9).toFixed(1)}B`;
  if (a >= 1e6) return `${(v / 1e6).toFixed(1)}M`;
  if (a >= 1e4) return `${(v / 1e3).toFixed(0)}k`;
  if (a >= 100 || Number.isInteger(v)) return v.toFixed(0);
  return v.toFixed(2);
}
