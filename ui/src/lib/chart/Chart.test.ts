import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render } from "@testing-library/svelte";
import type { ChartView } from "./spec";
import { goldens } from "../../testing/goldens";
import Chart from "./Chart.svelte";

const golden = (name: keyof typeof goldens): ChartView => goldens[name];

afterEach(() => cleanup());

describe("the chart component", () => {
  it("shows the backend's banner once, above the chart, and the provenance footer", () => {
    const view = golden("layout");
    const { getByText, container } = render(Chart, { view });
    const banners = [...container.querySelectorAll(".banner")].map((b) => b.textContent?.trim());
    expect(banners).toEqual([view.banner.text]);
    expect(getByText(view.footer[0]!)).toBeTruthy();
    expect(container.querySelectorAll("rect.placement")).toHaveLength(19);
    expect(getByText("16 units (fixture)")).toBeTruthy();
  });
});
