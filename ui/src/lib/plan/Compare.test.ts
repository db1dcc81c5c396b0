// The Compare screen when a scenario changes nothing: it says so, and why (the plans
// share their bottlenecks), rather than an empty table; and the Copy button copies the
// comparison chart of the two scenarios.
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import Compare from "./Compare.svelte";
import { goldens } from "../../testing/goldens";
import type { SideBySide } from "../ipc";

afterEach(() => {
  cleanup();
  clearMocks();
});

const limits = [
  { from: "2026-12", resource: "hbm4 (NVIDIA)", name: "HBM4 at NVIDIA's allocation" },
  { from: "2030-10", resource: null, name: "nothing binds" },
];

function overview(scenario: string, bottlenecks = limits) {
  return { scenario, today: "2026-12", months: ["2026-12", "2031-11"], orders: [], bottlenecks, charts: [] };
}

function sideBySide(b = limits): SideBySide {
  return {
    a: overview("Baseline"),
    b: overview("CoPoS accelerated", b),
    comparison: {
      a: "Baseline",
      b: "CoPoS accelerated",
      objective_delta: 0,
      products: [{ product: "B300", units_a: 1000, units_b: 1000, delta: 0 }],
      orders: [],
      constraints: [],
      bottleneck_changes: [],
    },
    // a layout chart: drawn as SVG, so jsdom needs no canvas
    chart: goldens.layout,
  } as unknown as SideBySide;
}

function backend(reply: SideBySide) {
  const calls: { cmd: string; args: unknown }[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd === "scenario_list")
      return [
        { name: "Baseline", description: "", overrides: 0 },
        { name: "CoPoS accelerated", description: "", overrides: 2 },
      ];
    if (cmd === "plan_compare") return reply;
    return null;
  });
  return calls;
}

describe("comparing two scenarios", () => {
  it("says why nothing moved when both plans share their bottlenecks", async () => {
    backend(sideBySide());
    render(Compare, { scenario: "Baseline" });
    const nothing = await screen.findByTestId("compare-nothing-moved");
    expect(nothing.textContent?.replace(/\s+/g, " ").trim()).toBe(
      "No product's output differs: both plans are limited by HBM4 at NVIDIA's allocation.",
    );
  });

  it("says only that nothing moved when the plans are limited differently", async () => {
    backend(sideBySide([{ from: "2026-12", resource: "cowos-l (TSMC)", name: "CoWoS-L at TSMC" }]));
    render(Compare, { scenario: "Baseline" });
    const nothing = await screen.findByTestId("compare-nothing-moved");
    expect(nothing.textContent?.trim()).toBe("No product's output differs.");
  });

  it("copies the comparison chart of the two scenarios", async () => {
    const calls = backend(sideBySide());
    render(Compare, { scenario: "Baseline" });
    await fireEvent.click(await screen.findByTestId("compare-copy"));
    expect(await screen.findByText(/Copied the chart to the clipboard/)).toBeTruthy();
    expect(calls.find((c) => c.cmd === "chart_copy")?.args).toEqual({
      scenario: "Baseline",
      request: { kind: "compare", format: "png" },
      against: "CoPoS accelerated",
    });
  });
});
