// @vitest-environment node
// The interactive renderer draws the very specs the backend exports: these are the
// golden ChartViews written by src-tauri/core/tests/chart_export.rs.
import { describe, expect, it } from "vitest";
import { echarts } from "./echarts";
import { barsGrowth, barsOption, legendLines, markerPlaces, xyOption, xyTooltip, LIGHT } from "./option";
import type { ChartView } from "./spec";
import { monthName } from "../format";
import { goldens } from "../../testing/goldens";

const golden = (name: keyof typeof goldens): ChartView => goldens[name];

function renderSvg(option: ReturnType<typeof xyOption>, height = 480): string {
  const chart = echarts.init(null, undefined, { renderer: "svg", ssr: true, width: 900, height });
  chart.setOption(option);
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

describe("x-y charts", () => {
  const view = golden("xy");
  const plot = view.spec.body.type === "xy" ? view.spec.body : undefined;

  it("draw every series and band with its legend entry and month axis", () => {
    if (!plot) throw new Error("the golden xy view is not an x-y plot");
    const option = xyOption(plot, LIGHT);
    const svg = renderSvg(option);
    for (const name of ["TSMC CoWoS", "OSAT CoWoS-class", "P10-P90 total", "Needed by", "HBM binds"]) {
      expect(svg).toContain(name);
    }
    expect(svg).toContain("Capacity (wafers/month)");
    // two years tick on quarters, named as people say them
    const ticks = [...svg.matchAll(/>((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) 20\d\d)</g)].map((m) => m[1]);
    expect(ticks.slice(0, 4)).toEqual(["Jan 2025", "Apr 2025", "Jul 2025", "Oct 2025"]);
    // described for screen readers; no zoom slider unless asked
    expect(option.aria).toEqual({ enabled: true, decal: { show: true } });
    expect(option.dataZoom).toEqual([expect.objectContaining({ type: "inside", zoomOnMouseWheel: "ctrl" })]);
  });

  it("tick on years when they span more than three years", () => {
    if (!plot) throw new Error("not an x-y plot");
    const long = { ...plot, markers: [...plot.markers, { x: plot.markers[0]!.x + 36, label: "later" }] };
    const svg = renderSvg(xyOption(long, LIGHT));
    expect(svg).toContain(">2026<");
    expect(svg).not.toMatch(/>(Apr|Jul|Oct) 20\d\d</);
  });

  it("tick on quarter starts and Januaries even when the plot begins in another month", () => {
    if (!plot) throw new Error("not an x-y plot");
    // the golden begins in January; ten months later it begins in November
    const shift = <T extends { points: [number, number][] }>(s: T): T => ({
      ...s,
      points: s.points.map(([x, y]) => [x + 10, y] as [number, number]),
    });
    const later = {
      ...plot,
      series: plot.series.map(shift),
      bands: plot.bands.map((b) => ({ ...b, points: b.points.map(([x, lo, hi]) => [x + 10, lo, hi]) })),
      markers: plot.markers.map((m) => ({ ...m, x: m.x + 10 })),
      shades: plot.shades.map((s) => ({ ...s, from: s.from + 10, to: s.to + 10 })),
    } as typeof plot;
    const ticks = [...renderSvg(xyOption(later, LIGHT)).matchAll(/>([A-Z][a-z]{2}) (20\d\d)</g)].map((m) => m[1]);
    expect(ticks.length).toBeGreaterThan(3);
    expect(ticks.filter((t) => !["Jan", "Apr", "Jul", "Oct"].includes(t!))).toEqual([]);
    // over three years the labels are years, one per January: 2026 labels the axis at January 2026
    const long = { ...later, markers: [...later.markers, { x: later.markers[0]!.x + 36, label: "later" }] };
    const option = xyOption(long, LIGHT) as { xAxis: { axisLabel: { customValues: number[] } } };
    const januaries = option.xAxis.axisLabel.customValues;
    expect(januaries.length).toBeGreaterThan(2);
    expect(januaries.every((m) => m % 12 === 0)).toBe(true);
  });

  it("tell nested bands apart in the legend, each as light as its area", () => {
    if (!plot) throw new Error("not an x-y plot");
    const band = plot.bands[0]!;
    const nested = { ...plot, bands: [band, { ...band, name: "inner", opacity: band.opacity * 2 }] };
    const entries = (xyOption(nested, LIGHT).legend as { data: unknown[] }).data.slice(0, 2);
    expect(entries).toEqual([
      { name: band.name, icon: "rect", itemStyle: { color: band.color, opacity: Math.min(1, band.opacity * 2) } },
      { name: "inner", icon: "rect", itemStyle: { color: band.color, opacity: Math.min(1, band.opacity * 4) } },
    ]);
  });

  it("place the labels of markers at the same month apart", () => {
    // "needed by" and "plan" in the same month, "today" far from both
    expect(markerPlaces([24323, 24332, 24332], 48)).toEqual(["insideEndTop", "insideEndTop", "insideEndBottom"]);
    expect(markerPlaces([10, 10.5, 11, 40], 100)).toEqual([
      "insideEndTop",
      "insideEndBottom",
      "insideMiddleTop",
      "insideEndTop",
    ]);
  });

  it("wrap a long legend onto more lines and start the plot below it", () => {
    const names = Array.from({ length: 15 }, (_, i) => `CoWoS-L at supplier number ${i + 1}`);
    expect(legendLines(names, 900)).toBeGreaterThanOrEqual(4);
    expect(legendLines(names.slice(0, 2), 900)).toBe(1);
    if (!plot) throw new Error("not an x-y plot");
    const many = { ...plot, series: names.map((name) => ({ ...plot.series[0]!, name })) };
    const option = xyOption(many, LIGHT, 900);
    expect((option.legend as { type: string }).type).toBe("plain");
    expect((option.grid as { top: number }).top).toBe(
      24 + 22 * legendLines([...plot.bands.map((b) => b.name), ...names], 900),
    );
  });

  it("show exact values with units in the tooltip, read from the spec", () => {
    if (!plot) throw new Error("not an x-y plot");
    const x = plot.series[0]!.points[12]![0];
    const html = xyTooltip(plot, [{ value: [x, 0] }], monthName);
    expect(html).toContain("Jan 2026");
    expect(html).toContain("TSMC CoWoS: 95,000 wafers/month");
    expect(html).toContain("HBM binds");
  });
});

describe("bar charts", () => {
  it("draw each category with its flag", () => {
    const view = golden("bars");
    if (view.spec.body.type !== "bars") throw new Error("not a bar plot");
    const svg = renderSvg(barsOption(view.spec.body, LIGHT));
    expect(svg).toContain("CoWoS-L capacity");
    expect(svg).toContain("[single source]");
    expect(svg).toContain("Base 11.5");
  });

  it("keep a long category name inside the card, with no option ECharts 6 ignores", () => {
    const view = golden("bars");
    if (view.spec.body.type !== "bars") throw new Error("not a bar plot");
    const long = "Substrates at Ibiden, Unimicron and Kinsus for the H2 2027 ramp";
    const plot = { ...view.spec.body, categories: view.spec.body.categories.map((c, i) => (i === 0 ? long : c)) };
    const option = barsOption(plot, LIGHT);
    // ECharts 6 ignores `containLabel` unless a legacy module is loaded (and says so once)
    expect(option.grid).not.toHaveProperty("containLabel");
    const svg = renderSvg(option);
    // right-aligned at the plot's left edge, which moved right to make room for the name
    const x = Number(svg.match(/translate\(([\d.]+) [\d.]+\)" fill="[^"]+">Substrates at Ibiden/)?.[1]);
    expect(x).toBeGreaterThan(300);
  });

  it("name every row, growing taller when the rows would not fit the card", () => {
    const view = golden("bars");
    if (view.spec.body.type !== "bars") throw new Error("not a bar plot");
    const plot = view.spec.body;
    // fifteen technologies, as the demo's concentration chart has
    const categories = Array.from({ length: 15 }, (_, i) => `Technology number ${i + 1}`);
    const many = {
      ...plot,
      categories,
      flags: categories.map(() => null),
      series: plot.series.map((s) => ({
        ...s,
        spans: categories.map((_, i) => [0, 1000 + 100 * i] as [number, number]),
      })),
    };
    const height = 360;
    const grown = height + barsGrowth(many, height);
    expect(grown).toBeGreaterThan(height);
    const svg = renderSvg(barsOption(many, LIGHT), grown);
    for (const name of categories) expect(svg).toContain(`>${name}<`);
    // a chart whose rows fit keeps its height
    expect(barsGrowth(plot, height)).toBe(0);
  });

  it("draw one bar as a bar, not a slab filling the plot", () => {
    const view = golden("bars");
    if (view.spec.body.type !== "bars") throw new Error("not a bar plot");
    const plot = view.spec.body;
    const one = {
      ...plot,
      categories: plot.categories.slice(0, 1),
      series: [{ ...plot.series[0]!, spans: plot.series[0]!.spans.slice(0, 1) }],
    };
    const series = barsOption(one, LIGHT).series as {
      renderItem: (p: unknown, api: unknown) => { shape: { height: number } };
    }[];
    // one category on a 300-pixel plot: its row is 300 pixels high
    const api = { value: (d: number) => [0, 2, 0][d], coord: ([x]: number[]) => [x! * 100, 150], size: () => [0, 300] };
    expect(series[0]!.renderItem({}, api).shape.height).toBe(48);
    // rows of 20 pixels: 70% of each
    expect(series[0]!.renderItem({}, { ...api, size: () => [0, 20] }).shape.height).toBeCloseTo(14);
  });

  it("count whole months, and name the reference line above the bars, clear of the ticks", () => {
    const view = golden("bars");
    if (view.spec.body.type !== "bars") throw new Error("not a bar plot");
    expect(view.spec.body.value_axis.unit).toMatch(/^months/);
    // a swing of a few months, where ticks would fall on half months
    const series = view.spec.body.series.map((s) => ({
      ...s,
      spans: [
        [-1, 2],
        [0, 1],
        [0, 0.5],
      ] as [number, number][],
    }));
    const reference_lines = [{ x: 0, label: "Base 11.5" }];
    const svg = renderSvg(barsOption({ ...view.spec.body, series, reference_lines }, LIGHT));
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] ?? "");
    expect(texts.filter((t) => /^-?\d+\.\d+$/.test(t))).toEqual([]);
    expect(texts.filter((t) => /^-?\d+$/.test(t)).length).toBeGreaterThan(2);
    const y = (label: string) => {
      const m = new RegExp(`<text[^>]*translate\\([\\d.]+ ([\\d.]+)\\)[^>]*>${label}<`).exec(svg);
      if (!m) throw new Error(`${label} is not drawn: ${svg.slice(0, 200)}`);
      return Number(m[1]);
    };
    expect(y("Base 11.5")).toBeLessThan(y("CoWoS-L capacity"));
  });

  it("name a zone only where its name fits", () => {
    const view = golden("bars");
    if (view.spec.body.type !== "bars") throw new Error("not a bar plot");
    const zones = [
      { from: 0, to: 0.5, label: "a sliver", color: "#2a9d8f" },
      { from: 0.5, to: 16, label: "most of the axis", color: "#e76f51" },
    ];
    const svg = renderSvg(barsOption({ ...view.spec.body, zones }, LIGHT));
    expect(svg).toContain("most of the axis");
    expect(svg).not.toContain("a sliver");
  });
});
