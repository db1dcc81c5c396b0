// The Overview as a user meets it: the odds come first, worked out in the background
// as soon as the plan is shown; a new scenario asks again and an old reply is dropped;
// Cancel stops the answer and offers to work it out again.
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import Overview from "./Overview.svelte";
import type { Overview as OverviewReport, Uncertainty } from "../ipc";

afterEach(() => {
  cleanup();
  clearMocks();
});

function report(scenario: string): OverviewReport {
  return {
    scenario,
    today: "2026-12",
    months: ["2026-12", "2031-11"],
    orders: [
      {
        order: "cluster-a",
        product: "B300",
        quantity: 2048,
        needed_by: "2027-09",
        placed: "2026-12",
        earliest_packaging: "2027-01",
        lag_months: 3,
        supply: "0.2% of B300's output",
        completion: "2027-08",
        on_time: true,
        months_late: 0,
        cost_per_gpu_hour: null,
        cloud_usd_per_hour: null,
        break_even: null,
        net_present_cost: null,
        bridge_cloud_usd: null,
      },
    ],
    bottlenecks: [],
    measured: [],
    alerts: [],
    units: [],
    datasets: [],
    input_sha256: "0".repeat(64),
    uncertainty: null,
    sensitivity: null,
    charts: [],
    unavailable_charts: [],
  };
}

function answer(scenario: string, probability: number, p50: string): Uncertainty {
  return {
    scenario,
    trials: 1000,
    seed: 1,
    inputs: 40,
    orders: [
      {
        order: "cluster-a",
        needed_by: "2027-09",
        probability_on_time: probability,
        cdf: [],
        beyond_horizon: 0,
        p10: "2027-07",
        p50,
        p90: "2027-10",
      },
    ],
    charts: [],
    unavailable_charts: [],
  };
}

/** A backend whose answers wait until the test settles them, in any order. */
function backend() {
  const pending: { scenario: string; settle: (reply: () => unknown) => void }[] = [];
  mockIPC((cmd, args) => {
    const a = args as { scenario?: string };
    if (cmd === "scenario_list")
      return [
        { name: "Baseline", description: "", overrides: 0 },
        { name: "HBM squeeze", description: "", overrides: 1 },
      ];
    if (cmd === "plan_overview") return report(a.scenario ?? "");
    if (cmd === "plan_answer")
      return new Promise((resolve, reject) => {
        pending.push({
          scenario: a.scenario ?? "",
          settle: (reply) => {
            try {
              resolve(reply());
            } catch (e) {
              reject(e);
            }
          },
        });
      });
    if (cmd === "work_cancel") return null;
    return null;
  });
  return pending;
}

async function until(check: () => boolean) {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

describe("the overview's answer", () => {
  it("shows the odds first, worked out by itself, and the plan second", async () => {
    const pending = backend();
    render(Overview, { scenario: "Baseline" });
    expect((await screen.findByTestId("answer-pending")).textContent).toContain("Working out the odds");
    expect(screen.getByTestId("order-plan").textContent).toContain("Complete Aug 2027");
    expect(screen.getByTestId("order-timing").textContent).toContain("Supply: 0.2% of B300's output");
    await until(() => pending.length === 1);
    pending[0]!.settle(() => answer("Baseline", 0.79, "2027-08"));
    expect((await screen.findByTestId("answer")).textContent).toContain("79% likely by Sep 2027");
    const p = screen.getByTestId("probability").textContent ?? "";
    expect(p).toContain("P10 Jul 2027");
    expect(p).toContain("P50 Aug 2027");
    expect(p).toContain("1,000 trials");
    expect(screen.queryByTestId("answer-pending")).toBeNull();
  });

  it("asks again for a new scenario and drops the late reply to the old one", async () => {
    const pending = backend();
    render(Overview, { scenario: "Baseline" });
    await until(() => pending.length === 1);
    await fireEvent.change(screen.getByTestId("scenario"), { target: { value: "HBM squeeze" } });
    await until(() => pending.length === 2);
    expect(pending[1]!.scenario).toBe("HBM squeeze");
    pending[1]!.settle(() => answer("HBM squeeze", 0.2, "2027-11"));
    expect((await screen.findByTestId("answer")).textContent).toContain("20% likely");
    pending[0]!.settle(() => answer("Baseline", 0.79, "2027-08"));
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.getByTestId("answer").textContent).toContain("20% likely");
  });

  it("says when the answer was stopped and works it out again on request", async () => {
    const pending = backend();
    render(Overview, { scenario: "Baseline" });
    await until(() => pending.length === 1);
    pending[0]!.settle(() => {
      throw { kind: "cancelled", message: "cancelled" };
    });
    expect((await screen.findByTestId("answer-stopped")).textContent).toContain("not worked out");
    await fireEvent.click(screen.getByTestId("answer-restart"));
    await until(() => pending.length === 2);
    pending[1]!.settle(() => answer("Baseline", 0.79, "2027-08"));
    expect((await screen.findByTestId("answer")).textContent).toContain("79% likely");
  });
});
