// "Orders and TCO" as a user sees it: the orders table with a late order flagged, the
// assumptions traced to source and dataset, chart export, and the empty state.
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import Orders from "./Orders.svelte";
import { goldens } from "../../testing/goldens";
import type { OrdersReport } from "../ipc";

afterEach(() => {
  cleanup();
  clearMocks();
});

const COST = { capex: 2.1, power: 0.55, facility: 0.35, staff: 0.05, total: 3.05 };

const REPORT: OrdersReport = {
  scenario: "Baseline",
  months: ["2025-01", "2029-12"],
  orders: [
    {
      order: "cluster-a",
      product: "B300",
      quantity: 2048,
      needed_by: "2027-06",
      placed: "2024-12",
      earliest_packaging: "2025-01",
      lag_months: 3,
      supply: "0.2% of B300's output",
      completion: "2026-11",
      on_time: true,
      months_late: 0,
      cost_per_gpu_hour: COST,
      cloud_usd_per_hour: 6.5,
      break_even: "2028-01",
      net_present_cost: 150e6,
      bridge_cloud_usd: 0,
    },
    {
      order: "rush",
      product: "B300",
      quantity: 500,
      needed_by: "2025-02",
      placed: "2024-12",
      earliest_packaging: "2025-01",
      lag_months: 3,
      supply: "0.2% of B300's output",
      completion: "2025-05",
      on_time: false,
      months_late: 3,
      cost_per_gpu_hour: COST,
      cloud_usd_per_hour: 6.5,
      break_even: null,
      net_present_cost: 40e6,
      bridge_cloud_usd: 2.4e6,
    },
    {
      order: "far",
      product: "Rubin",
      quantity: 90000,
      needed_by: "2026-01",
      placed: "2024-12",
      earliest_packaging: "2025-01",
      lag_months: 3,
      supply: "0.2% of B300's output",
      completion: null,
      on_time: false,
      months_late: null,
      cost_per_gpu_hour: null,
      cloud_usd_per_hour: null,
      break_even: null,
      net_present_cost: null,
      bridge_cloud_usd: null,
    },
  ],
  assumptions: [
    {
      key: "pue",
      name: "Power usage effectiveness (PUE)",
      unit: "ratio",
      low: 1.2,
      base: 1.3,
      high: 1.58,
      sources: [
        {
          low: 1.2,
          base: 1.3,
          high: 1.58,
          source: "Uptime Institute: industry average 1.56 (2024)",
          as_of: "2024-12-31",
          dataset: "d1",
          dataset_title: "Packplan demo: public estimates",
        },
      ],
    },
    {
      key: "cloud:b300",
      name: "B300 cloud rental",
      unit: "USD per GPU-hour",
      low: 4,
      base: 6.5,
      high: 9,
      sources: [
        {
          low: 4,
          base: 6,
          high: 8,
          source: "Provider A list price",
          as_of: "2026-05-31",
          dataset: "d1",
          dataset_title: "Demo",
        },
        {
          low: 5,
          base: 7,
          high: 9,
          source: "Provider B quote",
          as_of: "2026-04-30",
          dataset: "b2",
          dataset_title: "Acme Q4",
        },
      ],
    },
  ],
  datasets: [
    { id: "d1", title: "Packplan demo: public estimates", classification: "ILLUSTRATIVE", as_of: "2026-06-30" },
  ],
  charts: [
    {
      ...goldens.layout,
      spec: { ...goldens.layout.spec, kind: "tco", title: "Order cluster-a: owning against renting" },
    },
  ],
  unavailable_charts: [],
};

function backend(reply: () => unknown) {
  const calls: { cmd: string; args: unknown }[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd === "plan_orders") return reply();
    if (cmd === "chart_save") return "/home/me/packplan-tco-baseline.png";
    if (cmd === "plan_workbook_save") return "/home/me/packplan-baseline.xlsx";
    return null;
  });
  return calls;
}

describe("orders and TCO", () => {
  it("lists every order with its delivery, flags the late ones and says by how much", async () => {
    const calls = backend(() => REPORT);
    render(Orders, { scenario: "Baseline" });
    await screen.findByTestId("orders-table");
    expect(calls.find((c) => c.cmd === "plan_orders")?.args).toEqual({ scenario: "Baseline" });
    const rows = screen.getAllByTestId("order-row");
    expect(rows).toHaveLength(3);
    const [onTime, late, never] = rows as [HTMLElement, HTMLElement, HTMLElement];
    expect(onTime.textContent).toContain("2,048");
    expect(onTime.textContent).toContain("Nov 2026");
    expect(within(onTime).getByTestId("order-status").textContent).toContain("On time");
    expect(onTime.textContent).toContain("$3.05");
    expect(within(onTime).getByTestId("order-supply").textContent).toBe("0.2% of B300's output");
    expect(onTime.textContent).toContain("Jan 2028");
    expect(onTime.classList.contains("late")).toBe(false);

    expect(late.classList.contains("late")).toBe(true);
    expect(within(late).getByTestId("order-status").textContent).toContain("Late by 3 months");
    expect(late.textContent).toContain("never within the hardware's life");
    expect(late.textContent).toContain("$2.4M");

    expect(within(never).getByTestId("order-status").textContent).toContain("not complete by Dec 2029");
    expect(never.textContent).toContain("no TCO assumptions");
    expect(never.textContent).toContain("no cloud price in the data");
  });

  it("exports the plan to Excel for the scenario shown and says what the workbook holds", async () => {
    const calls = backend(() => REPORT);
    render(Orders, { scenario: "Baseline" });
    await screen.findByTestId("orders-table");
    await fireEvent.click(screen.getByTestId("export-workbook"));
    expect((await screen.findByRole("status")).textContent).toContain(
      "Saved /home/me/packplan-baseline.xlsx: orders with their odds (1,000 trials)",
    );
    expect(calls.find((c) => c.cmd === "plan_workbook_save")?.args).toEqual({ scenario: "Baseline" });
  });

  it("traces each assumption to its source and dataset", async () => {
    backend(() => REPORT);
    render(Orders, { scenario: "Baseline" });
    const table = await screen.findByTestId("assumptions");
    const [pue, cloud] = within(table).getAllByTestId("assumption-row") as [HTMLElement, HTMLElement];
    expect(pue.textContent).toContain("Power usage effectiveness (PUE)");
    expect(pue.textContent).toContain("1.58");
    expect(pue.textContent).toContain("ratio");
    expect(pue.textContent).toContain("Uptime Institute");
    expect(pue.textContent).toContain("Packplan demo: public estimates");
    expect(pue.textContent).toContain("as of 2024-12-31");
    // two sources: the envelope, then each source with its dataset
    expect(cloud.textContent).toContain("envelope of 2 sources");
    expect(within(table).getByText("Provider B quote")).toBeTruthy();
    expect(within(table).getByText(/Acme Q4/)).toBeTruthy();
  });

  it("exports a chart through the backend's save dialog", async () => {
    const calls = backend(() => REPORT);
    render(Orders, { scenario: "Baseline" });
    const slot = await screen.findByTestId("chart");
    expect(slot.getAttribute("data-kind")).toBe("tco");
    await fireEvent.click(within(slot).getByText("CSV"));
    expect(await screen.findByText("Saved /home/me/packplan-tco-baseline.png")).toBeTruthy();
    expect(calls.find((c) => c.cmd === "chart_save")?.args).toEqual({
      scenario: "Baseline",
      request: { kind: "tco", format: "csv" },
    });
  });

  it("says what to do when the vault holds no data", async () => {
    backend(() => {
      throw { kind: "not_found", message: "the vault holds no products to plan" };
    });
    render(Orders, { scenario: "Baseline" });
    const empty = await screen.findByTestId("empty");
    expect(empty.textContent).toContain("Load the demo on the Overview");
    expect(empty.textContent).toContain("Data");
    expect(screen.queryByTestId("orders-table")).toBeNull();
  });

  it("shows the backend's message when the plan fails", async () => {
    backend(() => {
      throw { kind: "invalid", message: 'order rush names the product "x", which the input does not define' };
    });
    render(Orders, { scenario: "Baseline" });
    expect((await screen.findByRole("alert")).textContent).toContain("which the input does not define");
  });
});
