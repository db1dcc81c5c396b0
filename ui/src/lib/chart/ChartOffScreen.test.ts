// A chart far outside the scrolling box holds no canvas: it is drawn when it comes near
// and let go when it moves away (issue 18, item 5). ECharts is replaced by a recorder,
// and IntersectionObserver by one the test moves by hand (jsdom has neither a canvas
// nor an observer).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, render } from "@testing-library/svelte";
import { flushSync } from "svelte";
import { goldens } from "../../testing/goldens";

const drawn = vi.hoisted(() => ({ inits: 0, options: 0, disposed: 0 }));
vi.mock("./echarts", () => ({
  echarts: {
    init: () => {
      drawn.inits++;
      return {
        setOption: () => drawn.options++,
        resize: () => {},
        dispose: () => drawn.disposed++,
      };
    },
  },
}));

import Chart from "./Chart.svelte";

type Callback = (entries: { isIntersecting: boolean }[]) => void;
let observers: { callback: Callback; root: Element | null }[] = [];

beforeEach(() => {
  Object.assign(drawn, { inits: 0, options: 0, disposed: 0 });
  observers = [];
  vi.stubGlobal(
    "IntersectionObserver",
    class {
      constructor(callback: Callback, options: { root: Element | null }) {
        observers.push({ callback, root: options.root });
      }
      observe() {}
      disconnect() {}
    },
  );
  vi.stubGlobal(
    "ResizeObserver",
    class {
      observe() {}
      disconnect() {}
    },
  );
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** Moves the chart near the visible part of its box, or far from it. */
function scroll(near: boolean) {
  for (const o of observers) o.callback([{ isIntersecting: near }]);
  flushSync();
}

describe("a chart off screen", () => {
  it("is not drawn until it comes near, and lets its canvas go when it moves away", () => {
    const box = document.createElement("div");
    box.style.overflowY = "auto";
    document.body.appendChild(box);
    const { container } = render(Chart, { target: box, props: { view: goldens.xy } });
    const plot = container.querySelector(".plot")!;

    expect(drawn.inits).toBe(0);
    expect(plot.getAttribute("data-drawn")).toBe("false");
    // The observer watches the box the chart scrolls in, not the viewport.
    expect(observers.map((o) => o.root)).toEqual([box]);

    scroll(true);
    expect(drawn.inits).toBe(1);
    expect(drawn.options).toBe(1);
    expect(plot.getAttribute("data-drawn")).toBe("true");

    scroll(false);
    expect(drawn.disposed).toBe(1);
    expect(plot.getAttribute("data-drawn")).toBe("false");

    scroll(true);
    expect(drawn.inits).toBe(2);
    box.remove();
  });
});
