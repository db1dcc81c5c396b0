// Turns a chart spec into an ECharts option: the interactive renderer of the same
// spec that the backend exports with plotters. Pure, so it is unit-tested.
import type { EChartsOption, SeriesOption } from "echarts";
import { chartValue, monthName, shortNumber } from "../format";
import type { Axis, BarPlot, XyPlot } from "./spec";

export interface Theme {
  text: string;
  muted: string;
  grid: string;
  background: string;
}

export const LIGHT: Theme = { text: "#1b2430", muted: "#5b6675", grid: "#e6e8ec", background: "#ffffff" };
export const DARK: Theme = { text: "#e6e9ee", muted: "#9aa5b4", grid: "#2e3744", background: "#1b212a" };

const axisTitle = (a: Axis) => (a.unit ? `${a.label} (${a.unit})` : a.label);
const withUnit = (v: number, unit: string) => (unit ? `${chartValue(v)} ${unit}` : chartValue(v));

function axisStyle(theme: Theme) {
  return {
    axisLine: { lineStyle: { color: theme.muted } },
    axisLabel: { color: theme.text },
    splitLine: { lineStyle: { color: theme.grid } },
    nameTextStyle: { color: theme.text },
  };
}

/** Described for screen readers, and patterns beside the colours for those who cannot tell them apart. */
const ARIA = { enabled: true, decal: { show: true } };

/** The chart width the legend is laid out for when the caller does not know it. */
const DEFAULT_WIDTH = 900;

/** How many lines a wrapping legend of `names` takes in `width` pixels (ECharts' plain
 * legend wraps; the plot starts below it). */
export function legendLines(names: string[], width: number): number {
  const usable = Math.max(width - 16, 200);
  let lines = names.length ? 1 : 0;
  let used = 0;
  for (const name of names) {
    const item = 25 + 10 + name.length * 7; // symbol, gap, text at 12 px
    if (used > 0 && used + item > usable) {
      lines += 1;
      used = 0;
    }
    used += item;
  }
  return lines;
}

/** Where each marker's label goes along its line: a marker close to an earlier one (within
 * 4 % of the axis, or at the same month, as "plan" and "needed by" often are) takes the next
 * place, so no two labels lie on each other. */
const LABEL_PLACES = ["insideEndTop", "insideEndBottom", "insideMiddleTop", "insideMiddleBottom"] as const;

export function markerPlaces(xs: number[], span: number): (typeof LABEL_PLACES)[number][] {
  const near = Math.max(span * 0.04, 1e-9);
  return xs.map((x, i) => {
    const before = xs.slice(0, i).filter((other) => Math.abs(other - x) <= near).length;
    return LABEL_PLACES[before % LABEL_PLACES.length]!;
  });
}

/** The legend's entries of an x-y plot: the bands, then the series. */
const legendNames = (plot: XyPlot): string[] => [...plot.bands.map((b) => b.name), ...plot.series.map((s) => s.name)];

/** How much taller than its one-line height an x-y chart `width` pixels wide must be for its
 * wrapped legend, so the plot keeps its height however many lines the legend takes. */
export function legendGrowth(plot: XyPlot, width = DEFAULT_WIDTH): number {
  return LEGEND_LINE * Math.max(legendLines(legendNames(plot), width) - 1, 0);
}

const LEGEND_LINE = 22;

/** The ECharts option for an x-y plot, laid out for a chart `width` pixels wide. */
export function xyOption(plot: XyPlot, theme: Theme, width = DEFAULT_WIDTH): EChartsOption {
  const month = plot.x.scale === "month";
  const xLabel = (v: number) => (month ? monthName(v) : shortNumber(v));
  const series: SeriesOption[] = [];

  plot.bands.forEach((band, i) => {
    const stack = `band-${i}`;
    series.push({
      type: "line",
      name: band.name,
      stack,
      data: band.points.map(([x, low]) => [x, low]),
      lineStyle: { opacity: 0 },
      symbol: "none",
      silent: true,
      tooltip: { show: false },
      color: band.color,
    });
    series.push({
      type: "line",
      name: band.name,
      stack,
      data: band.points.map(([x, low, high]) => [x, high - low]),
      lineStyle: { opacity: 0 },
      areaStyle: { color: band.color, opacity: band.opacity },
      symbol: "none",
      color: band.color,
    });
  });

  plot.series.forEach((s) => {
    series.push({
      type: "line",
      name: s.name,
      data: s.points,
      color: s.color,
      symbol: "none",
      ...(s.stack ? { stack: `series-${s.stack}` } : {}),
      ...(s.style === "step" ? { step: "end" as const } : {}),
      lineStyle: { width: 2, type: s.style === "dashed" ? ("dashed" as const) : ("solid" as const) },
      ...(s.style === "area" ? { areaStyle: { opacity: 0.35 } } : {}),
    });
  });

  // Shaded ranges and markers ride on an empty helper series so they exist even with no data series.
  const pad = month ? 0.5 : 0;
  const everyX = [...plot.series.flatMap((s) => s.points.map((p) => p[0])), ...plot.markers.map((m) => m.x)];
  const places = markerPlaces(
    plot.markers.map((m) => m.x),
    everyX.length ? Math.max(...everyX) - Math.min(...everyX) : 1,
  );
  series.push({
    type: "line",
    name: "__annotations",
    data: [],
    silent: true,
    markArea: {
      silent: true,
      label: { color: theme.muted, fontSize: 10, position: "insideTop" },
      data: plot.shades.map((s) => [
        { xAxis: s.from - pad, name: s.label, itemStyle: { color: s.color, opacity: 0.12 } },
        { xAxis: s.to + pad },
      ]),
    },
    markLine: {
      symbol: "none",
      silent: true,
      lineStyle: { type: "dashed", color: theme.muted, width: 2 },
      label: { formatter: "{b}", color: theme.text, fontWeight: "bold", position: "insideEndTop" },
      data: plot.markers.map((m, i) => ({
        xAxis: m.x,
        name: m.label,
        label: { position: places[i] ?? "insideEndTop" },
      })),
    },
  });

  const xs = [
    ...plot.series.flatMap((s) => s.points.map((p) => p[0])),
    ...plot.bands.flatMap((b) => b.points.map((p) => p[0])),
    ...plot.markers.map((m) => m.x),
  ];
  const xMin = xs.length ? Math.min(...xs) - pad : 0;
  const xMax = xs.length ? Math.max(...xs) + pad : 1;
  // months tick on years over three years, else on quarters, never on odd months
  const yearly = xMax - xMin > 36;
  const monthTick = (v: number) => (yearly ? String(Math.floor(Math.round(v) / 12)) : monthName(v));
  const monthTicks = month ? monthTickValues(xMin, xMax, yearly ? 12 : 3) : [];
  const legend = legendNames(plot);

  return {
    animation: false,
    backgroundColor: "transparent",
    aria: ARIA,
    textStyle: { fontFamily: "Inter, system-ui, sans-serif" },
    grid: { left: 72, right: 32, top: 24 + LEGEND_LINE * legendLines(legend, width), bottom: 56 },
    legend: {
      top: 8,
      left: 8,
      right: 8,
      // every entry in view: the legend wraps onto more lines, the plot starts below it
      type: "plain",
      textStyle: { color: theme.text },
      // a band's swatch is a square as light as its area, so nested bands (P5 to P95 around
      // P10 to P90) are told apart; the lines keep their line icons
      data: [
        ...plot.bands.map((b) => ({
          name: b.name,
          icon: "rect",
          itemStyle: { color: b.color, opacity: Math.min(1, b.opacity * 2) },
        })),
        ...plot.series.map((s) => s.name),
      ],
    },
    tooltip: {
      trigger: "axis",
      formatter: (params: unknown) => xyTooltip(plot, params, xLabel),
    },
    xAxis: {
      type: "value",
      min: xMin,
      max: xMax,
      name: axisTitle(plot.x),
      nameLocation: "middle",
      nameGap: 30,
      ...axisStyle(theme),
      // A fixed `interval` would count from the axis' first month (say Nov), so the ticks
      // are placed on the Januaries (or quarter starts) themselves.
      axisLabel: month
        ? { color: theme.text, formatter: monthTick, customValues: monthTicks }
        : { color: theme.text, formatter: (v: number) => xLabel(v) },
      ...(month ? { axisTick: { customValues: monthTicks } } : {}),
    },
    yAxis: {
      type: "value",
      name: axisTitle(plot.y),
      nameLocation: "middle",
      nameGap: 56,
      ...axisStyle(theme),
      axisLabel: { color: theme.text, formatter: (v: number) => shortNumber(v) },
    },
    // zoom only when asked: Ctrl and the wheel (the wheel alone scrolls the page)
    dataZoom: month
      ? [{ type: "inside", xAxisIndex: 0, filterMode: "none", zoomOnMouseWheel: "ctrl", moveOnMouseWheel: false }]
      : [],
    series,
  };
}

/** The months from `min` to `max` that begin a year (`every` 12) or a quarter (`every` 3),
 * as absolute month numbers (year * 12 + month - 1): where a month axis puts its ticks. */
export function monthTickValues(min: number, max: number, every: 12 | 3): number[] {
  const out: number[] = [];
  for (let m = Math.ceil(min / every) * every; m <= max; m += every) out.push(m);
  return out;
}

/** The tooltip at one x: every series and band with its unit, read from the spec (not from the stacked drawing). */
export function xyTooltip(plot: XyPlot, params: unknown, xLabel: (v: number) => string): string {
  const first = Array.isArray(params) ? (params[0] as { value?: unknown } | undefined) : undefined;
  const value = first?.value;
  if (!Array.isArray(value) || typeof value[0] !== "number") return "";
  const x: number = value[0];
  const near = (a: number) => Math.abs(a - x) < 1e-6;
  const rows: string[] = [`<b>${escapeHtml(xLabel(x))}</b>`];
  for (const s of plot.series) {
    const p = s.points.find((q) => near(q[0]));
    if (p) rows.push(`${dot(s.color)}${escapeHtml(s.name)}: ${withUnit(p[1], plot.y.unit)}`);
  }
  for (const b of plot.bands) {
    const p = b.points.find((q) => near(q[0]));
    if (p) rows.push(`${dot(b.color)}${escapeHtml(b.name)}: ${chartValue(p[1])} to ${withUnit(p[2], plot.y.unit)}`);
  }
  for (const s of plot.shades) if (s.from <= x && x <= s.to) rows.push(`<i>${escapeHtml(s.label)}</i>`);
  return rows.join("<br>");
}

/** The tallest a row's bars are drawn on screen, in pixels. */
const BAR_MAX = 48;

/** The height a bar plot's row needs for its name to be read; every name is shown. */
const BAR_ROW = 24;
/** The bar plot's grid margins above and below its rows (`grid.top`, `grid.bottom`). */
const BARS_TOP = 40;
const BARS_BOTTOM = 56;

/** How much taller than `height` a bar chart must be so that each of its rows has
 * BAR_ROW pixels, and so every category is named rather than every other one. */
export function barsGrowth(plot: BarPlot, height: number): number {
  return Math.max(plot.categories.length * BAR_ROW - (height - BARS_TOP - BARS_BOTTOM), 0);
}

/** The ECharts option for horizontal bars (tornado, concentration, cost breakdown). */
export function barsOption(plot: BarPlot, theme: Theme): EChartsOption {
  const n = plot.categories.length;
  const values = [
    ...plot.series.flatMap((s) => s.spans.flat()),
    ...plot.zones.flatMap((z) => [z.from, z.to]),
    ...plot.reference_lines.map((r) => r.x),
    0,
  ];
  const span = Math.max(Math.max(...values) - Math.min(...values), Number.EPSILON);
  const per = Math.max(plot.series.length, 1);
  const series: SeriesOption[] = plot.series.map((s, k) => ({
    type: "custom",
    name: s.name,
    color: s.color,
    data: s.spans.map(([from, to], i) => [Math.min(from, to), Math.max(from, to), i]),
    encode: { x: [0, 1], y: 2 },
    renderItem: (_params: unknown, api: CustomApi) => {
      const num = (d: number) => Number(api.value(d));
      const lo = api.coord([num(0), num(2)]);
      const hi = api.coord([num(1), num(2)]);
      const size = api.size?.([0, 1]);
      const band = (Array.isArray(size) ? size[1] : size) ?? 20;
      // a row's bars take 70% of it, and never more than BAR_MAX: one bar is a bar, not a slab
      const group = Math.min(band * 0.7, BAR_MAX);
      const height = group / per;
      const y = (lo[1] ?? 0) - group / 2 + height * k;
      return {
        type: "rect",
        shape: { x: lo[0] ?? 0, y, width: Math.max((hi[0] ?? 0) - (lo[0] ?? 0), 1), height },
        style: { fill: s.color, opacity: 0.85 },
      };
    },
  }));
  series.push({
    type: "line",
    name: "__annotations",
    data: [],
    silent: true,
    markArea: {
      silent: true,
      label: { color: theme.muted, fontSize: 10, position: "insideTopLeft" },
      // a zone too narrow for its name is named in the tooltip of its bars' axis only
      data: plot.zones.map((z) => [
        {
          xAxis: z.from,
          name: z.label,
          itemStyle: { color: z.color, opacity: 0.1 },
          label: { show: (z.to - z.from) / span >= 0.2 },
        },
        { xAxis: z.to },
      ]),
    },
    markLine: {
      symbol: "none",
      silent: true,
      lineStyle: { color: theme.text, width: 2, type: "solid" },
      // the category axis runs downwards, so the line's start is its top: the label sits
      // above the bars, clear of the value axis' ticks
      label: { formatter: "{b}", color: theme.text, fontWeight: "bold", position: "start" },
      data: plot.reference_lines.map((r) => ({ xAxis: r.x, name: r.label })),
    },
  });
  const unit = plot.value_axis.unit;
  return {
    animation: false,
    backgroundColor: "transparent",
    aria: ARIA,
    textStyle: { fontFamily: "Inter, system-ui, sans-serif" },
    // the category names inside the grid's box (ECharts 6 dropped `containLabel`): a long
    // name narrows the bars rather than running off the card
    grid: {
      left: 16,
      right: 48,
      top: BARS_TOP,
      bottom: BARS_BOTTOM,
      outerBoundsMode: "same",
      outerBoundsContain: "axisLabel",
    },
    legend: plot.series.length > 1 ? { top: 8, textStyle: { color: theme.text } } : { show: false },
    tooltip: {
      trigger: "item",
      formatter: (p: unknown) => {
        const item = p as { seriesName?: string; value?: [number, number, number] };
        if (!item.value) return "";
        const [from, to, i] = item.value;
        const flag = plot.flags[i];
        return `<b>${escapeHtml(plot.categories[i] ?? "")}</b><br>${escapeHtml(item.seriesName ?? "")}: ${chartValue(from)} to ${withUnit(to, unit)}${flag ? `<br><b>${escapeHtml(flag)}</b>` : ""}`;
      },
    },
    xAxis: {
      type: "value",
      name: axisTitle(plot.value_axis),
      nameLocation: "middle",
      nameGap: 30,
      // whole months, not fractions of one; ticks that would touch are dropped
      ...(/^months?\b/.test(plot.value_axis.unit) ? { minInterval: 1 } : {}),
      ...axisStyle(theme),
      axisLabel: { color: theme.text, formatter: (v: number) => shortNumber(v), hideOverlap: true },
    },
    yAxis: {
      type: "category",
      inverse: true,
      data: plot.categories.map((c, i) => (plot.flags[i] ? `${c}  [${plot.flags[i]}]` : c)),
      min: -0.5,
      max: n - 0.5,
      ...axisStyle(theme),
      // every row named: the chart grows to give each room (barsGrowth)
      axisLabel: { color: theme.text, interval: 0 },
      splitLine: { show: false },
    },
    series,
  };
}

/** The subset of ECharts' custom-series API that `barsOption` uses. */
interface CustomApi {
  value: (dim: number) => unknown;
  coord: (point: number[]) => number[];
  size?: (size: number[]) => number[] | number;
}

function dot(color: string): string {
  return `<span style="display:inline-block;width:8px;height:8px;border-radius:4px;margin-right:6px;background:${color}"></span>`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
