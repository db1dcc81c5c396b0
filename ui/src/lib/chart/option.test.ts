// @vitest-environment node
// The interactive renderer draws the very specs the backend exports: these are the
// golden ChartViews written by src-tauri/core/tests/chart_export.rs.
import { describe, expect, it } from "vitest";
import { echarts } from "./echarts";
import { barsOption, xyOption, xyTooltip, LIGHT } from "./option";
import { monthLabel, type ChartView } from "./spec";
import { goldens } from "../../testing/goldens";

const golden = (name: keyof typeof goldens): ChartView => goldens[name];

function renderSvg(option: ReturnType<typeof xyOption>): string {
  const chart = echarts.init(null, undefined, { renderer: "svg", ssr: true, width: 900, height: 480 });
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
    for (const name of ["TSMC CoWoS", "OSAT CoWoS-class", "P10-P90 total", "Needed by", "HBM binds", "2025-01"]) {
      expect(svg).toContain(name);
    }
    expect(svg).toContain("Capacity (wafers/month)");
  });

  it("show exact values with units in the tooltip, read from the spec", () => {
    if (!plot) throw new Error("not an x-y plot");
    const x = plot.series[0]!.points[12]![0];
    const html = xyTooltip(plot, [{ value: [x, 0] }], monthLabel);
    expect(html).toContain("2026-01");
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
});
