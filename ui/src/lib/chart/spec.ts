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
  Marker,
  Marking,
  Provenance,
  Scale,
  Series,
  SeriesStyle,
  Shade,
  XyPlot,
} from "../bindings";
