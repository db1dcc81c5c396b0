// The chart spec as it arrives from Rust (packplan_core::chart; its types are generated
// into ../bindings.ts), and the labels of its month axes. The same spec is drawn here
// interactively and exported by the backend with plotters.

export type {
  Axis,
  Band,
  BarPlot,
  BarSeries,
  CarrierPanel,
  CarrierShape,
  ChartBody,
  ChartDatasetRef,
  ChartSpec,
  ChartView,
  LayoutPlot,
  Level,
  Marker,
  Marking,
  Provenance,
  Scale,
  Series,
  SeriesStyle,
  Shade,
  XyPlot,
} from "../bindings";

/** `2026-03` for the absolute month number of March 2026 (year * 12 + month - 1). */
export function monthLabel(month: number): string {
  const m = Math.round(month);
  const year = Math.floor(m / 12);
  const mm = (((m % 12) + 12) % 12) + 1;
  return `${year}-${String(mm).padStart(2, "0")}`;
}
