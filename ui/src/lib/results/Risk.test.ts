// "Risk" as a user sees it: concentration per technology with the thresholds in words,
// the month picker, where packaging sits, and the tornado on demand with Cancel.
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import Risk from "./Risk.svelte";
import type { RiskReport, Sensitivity, TechnologyRisk } from "../ipc";

afterEach(() => {
  cleanup();
  clearMocks();
});

const tech = (month: string, over: Partial<TechnologyRisk>): TechnologyRisk => ({
  month,
  technology: "cowos-l",
  name: "CoWoS-L (local silicon bridges)",
  stage: "packaging",
  unit: "wafers/month",
  hhi: 10000,
  level: "highly concentrated",
  single_source: true,
  suppliers: [{ name: "TSMC", share: 1 }],
  regions: [{ name: "Taiwan", share: 1 }],
  orders: ["cluster-a"],
  ...over,
});

const REPORT: RiskReport = {
  scenario: "Baseline",
  months: ["2025-12", "2026-12"],
  chart_month: "2026-12",
  moderate: 1500,
  high: 2500,
  technologies: [
    tech("2025-12", {}),
    tech("2025-12", {
      technology: "hbm3e",
      name: "HBM3E stacks",
      stage: "memory",
      unit: "stacks/month",
      hhi: 4200,
      single_source: false,
      suppliers: [
        { name: "SK hynix", share: 0.55 },
        { name: "Samsung", share: 0.3 },
        { name: "Micron", share: 0.1 },
        { name: "Other", share: 0.05 },
      ],
      regions: [
        { name: "Korea", share: 0.85 },
        { name: "Japan", share: 0.15 },
      ],
      // concentrated, but no order needs it
      orders: [],
    }),
    tech("2026-12", {
      technology: "cowos-like",
      name: "CoWoS-class at OSATs",
      hhi: 1400,
      level: "unconcentrated",
      single_source: false,
      suppliers: [
        { name: "ASE", share: 0.3 },
        { name: "Amkor", share: 0.3 },
        { name: "SPIL", share: 0.2 },
        { name: "PTI", share: 0.2 },
      ],
    }),
  ],
  exposure: [
    {
      month: "2025-12",
      unit: "wafers/month",
      technologies: ["CoWoS-L (local silicon bridges)", "CoWoS-class at OSATs"],
      total: 80000,
      regions: [
        { name: "Taiwan", share: 0.92 },
        { name: "Korea", share: 0.08 },
      ],
    },
  ],
  datasets: [
    { id: "d1", title: "Packplan demo: public estimates", classification: "ILLUSTRATIVE", as_of: "2026-06-30" },
  ],
  charts: [],
  unavailable_charts: [],
};

const SENSITIVITY: Sensitivity = {
  scenario: "Baseline",
  order: "cluster-a",
  product: "B300",
  base_completion: "2026-11",
  base_units: 7342731,
  bars: [
    {
      input: "order cluster-a: obtainable share of B300",
      completion_low: "2027-03",
      completion_high: "2026-08",
      completion_swing_months: 7,
      units_low: 7342731,
      units_high: 7342731,
      units_swing: 0,
    },
  ],
  charts: [],
  unavailable_charts: [],
};

describe("risk", () => {
  it("shows concentration per technology at the chart's December, with the thresholds in words", async () => {
    mockIPC((cmd) => (cmd === "plan_risk" ? REPORT : null));
    render(Risk, { scenario: "Baseline" });
    const table = await screen.findByTestId("risk-table");
    // the chart's December is picked first
    expect((screen.getByTestId("risk-month") as HTMLSelectElement).value).toBe("2026-12");
    expect(within(table).getAllByTestId("risk-row")).toHaveLength(1);
    expect(table.textContent).toContain("unconcentrated");
    const thresholds = screen.getByTestId("thresholds").textContent ?? "";
    expect(thresholds).toContain("DOJ/FTC");
    expect(thresholds).toContain("above 2,500 highly concentrated");
    expect(thresholds).toContain("below 1,500 is unconcentrated");

    await fireEvent.change(screen.getByTestId("risk-month"), { target: { value: "2025-12" } });
    const [cowos, hbm] = screen.getAllByTestId("risk-row") as [HTMLElement, HTMLElement];
    expect(cowos.textContent).toContain("single source");
    expect(cowos.textContent).toContain("TSMC 100%");
    expect(cowos.textContent).toContain("Taiwan 100%");
    expect(cowos.classList.contains("alert")).toBe(true);
    expect(hbm.textContent).toContain("4,200");
    expect(hbm.textContent).toContain("SK hynix 55%, Samsung 30%, Micron 10%");
    expect(hbm.textContent).toContain("and 1 more");
    expect(cowos.textContent).toContain("cluster-a");
    expect(hbm.textContent).toContain("no order");
    expect(hbm.classList.contains("alert")).toBe(false);
    const summary = screen.getByTestId("risk-summary").textContent ?? "";
    expect(summary).toContain("1 of the 1 technologies your orders need is single-source or highly concentrated.");
    expect(summary).toContain("1 more is, off your orders' path");
    expect(screen.getByTestId("exposure").textContent).toContain("80,000 wafers/month: Taiwan 92%, Korea 8%");
  });

  it("runs the tornado on demand and lists what moves the order", async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === "plan_risk") return REPORT;
      if (cmd === "plan_sensitivity") return SENSITIVITY;
      return null;
    });
    render(Risk, { scenario: "Baseline" });
    await fireEvent.click(await screen.findByTestId("run-tornado"));
    const table = await screen.findByTestId("tornado-table");
    expect(table.textContent).toContain("obtainable share of B300");
    expect(table.textContent).toContain("7 months");
    expect(screen.getByTestId("tornado-summary").textContent?.replace(/\s+/g, " ")).toContain(
      "complete Nov 2026 at base, 7,342,731 units",
    );
    expect(calls).toContain("plan_sensitivity");
  });

  it("cancels the tornado and says nothing changed", async () => {
    let reject: (e: unknown) => void = () => {};
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === "plan_risk") return REPORT;
      if (cmd === "plan_sensitivity") return new Promise((_, no) => (reject = no));
      if (cmd === "work_cancel") reject({ kind: "cancelled", message: "cancelled; nothing was changed" });
      return null;
    });
    render(Risk, { scenario: "Baseline" });
    await fireEvent.click(await screen.findByTestId("run-tornado"));
    await fireEvent.click(await screen.findByTestId("cancel"));
    expect((await screen.findByRole("alert")).textContent).toContain("Sensitivity analysis cancelled");
    expect(calls).toContain("work_cancel");
    expect(screen.getByTestId("run-tornado")).toBeTruthy();
  });

  it("says what to do when the vault holds no data", async () => {
    mockIPC(() => {
      throw { kind: "not_found", message: "the vault holds no products to plan" };
    });
    render(Risk, { scenario: "Baseline" });
    expect((await screen.findByTestId("empty")).textContent).toContain("import an");
  });
});
