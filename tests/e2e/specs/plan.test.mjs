// Planning in the real window: an empty vault offers the demo, the demo loads through
// the normal import, the overview shows the order, the bottleneck and the charts, a
// scenario changes them, the odds are worked out by themselves for each scenario, and
// the 10,000-trial Monte Carlo reports progress, finishes, and can be cancelled.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  createVault,
  filesUnder,
  testPoint,
  withApp,
  waitForText,
  loadDemo,
  click,
} from "../harness.mjs";

test("load the demo, read the overview and its odds, switch scenario, run and cancel the Monte Carlo", async () => {
  // Every Monte Carlo waits before its trials until the test lets it go, so the
  // cancel lands while it runs, whatever the machine's speed.
  const trials = testPoint("montecarlo.trials");
  const held = { extraEnv: trials.env };
  await withApp(async (app) => {
    const b = app.browser;
    await createVault(b);
    await waitForText(b, '[data-testid="empty"]', (t) =>
      t.includes("No supply data yet"),
    );
    await app.screenshot("overview-empty");
    const order = await loadDemo(b);
    assert.match(order, /2,?048 × B300, needed by Sep 2027/);
    // the odds are worked out by themselves, with progress, while the plan is shown
    await trials.reached();
    const working = await waitForText(b, '[data-testid="answer-progress"]');
    assert.match(working, /Working out the odds: 0 of 1,000 trials/);
    assert.ok(await (await b.$('[data-testid="answer-pending"]')).isExisting());
    await app.screenshot("overview-working-out");
    trials.release();
    const odds = await waitForText(
      b,
      '[data-testid="answer"]',
      (t) => t.includes("likely by Sep 2027"),
      120000,
    );
    assert.match(odds, /^\d+% likely by Sep 2027$/);
    assert.match(
      await waitForText(b, '[data-testid="probability"]'),
      /P10 [A-Z][a-z]{2} 20\d\d \/ P50 [A-Z][a-z]{2} 20\d\d \/ P90 [A-Z][a-z]{2} 20\d\d \(1,000 trials\)/,
    );
    await waitForText(b, '[data-testid="overview"]', (t) =>
      t.includes("HBM3E at NVIDIA's allocation"),
    );
    const kinds = await b
      .$$('[data-testid="chart"]')
      .map((c) => c.getAttribute("data-kind"));
    for (const k of [
      "units",
      "capacity",
      "wafer-vs-panel",
      "tco",
      "concentration",
    ]) {
      assert.ok(
        kinds.includes(k),
        `chart ${k} missing from ${kinds.join(", ")}`,
      );
    }
    assert.ok(
      (await b.$$("canvas")).length >= 1,
      "the interactive charts near the top are drawn",
    );
    // a chart far below holds no canvas until it is scrolled near (issue 18, item 5)
    const farthest = () =>
      b.execute(() => {
        const slots = document.querySelectorAll('[data-testid="chart"]');
        const last = slots[slots.length - 1];
        return {
          kind: last.getAttribute("data-kind"),
          canvas: last.querySelector("canvas") !== null,
        };
      });
    const before = await farthest();
    assert.equal(before.canvas, false, `${before.kind} is drawn far off screen`);
    await b.execute(() => {
      const slots = document.querySelectorAll('[data-testid="chart"]');
      slots[slots.length - 1].scrollIntoView();
    });
    await b.waitUntil(async () => (await farthest()).canvas, {
      timeout: 10000,
      timeoutMsg: "the farthest chart was not drawn when scrolled into view",
    });
    const banner = await waitForText(b, ".chart .banner");
    assert.match(banner, /ILLUSTRATIVE: PUBLIC ESTIMATES/);
    await app.screenshot("overview-demo");
    for (const kind of ["units", "wafer-vs-panel"]) {
      await b.execute(
        (k) => document.querySelector(`[data-kind="${k}"]`).scrollIntoView(),
        kind,
      );
      await app.screenshot(`chart-${kind}`);
    }
    await b.execute(() => document.querySelector(".frame-body").scrollTo(0, 0));

    // another scenario: the same screens, other figures
    await (
      await b.$('[data-testid="scenario"]')
    ).selectByAttribute("value", "HBM squeeze");
    await waitForText(
      b,
      '[data-testid="overview"]',
      (t) => t.includes("25% short"),
      60000,
    );
    await waitForText(
      b,
      '[data-testid="order"]',
      (t) => t.includes("Complete"),
      60000,
    );
    // another scenario is another question: its odds are worked out afresh
    await trials.reached();
    trials.release();
    const squeezed = await waitForText(
      b,
      '[data-testid="answer"]',
      (t) => t.includes("likely by Sep 2027") && t !== odds,
      120000,
    );
    assert.ok(
      parseInt(squeezed) < parseInt(odds),
      `less HBM, lower odds: ${squeezed} against ${odds}`,
    );

    // 10,000 trials on demand: progress, then the probability of meeting needed-by
    await click(b, "run-mc");
    await waitForText(
      b,
      '[data-testid="progress"]',
      (t) => t.includes("Monte Carlo trials"),
      30000,
    );
    await trials.reached();
    trials.release();
    const p = await waitForText(
      b,
      '[data-testid="probability"]',
      (t) =>
        t.includes("P(complete by Sep 2027)") && t.includes("10,000 trials"),
      120000,
    );
    assert.match(p, /= \d+%.*\(10,000 trials\)/);
    await waitForText(b, '[data-kind="fan"]');
    await waitForText(b, '[data-kind="completion"]');
    await b.execute(() =>
      document.querySelector('[data-kind="completion"]').scrollIntoView(),
    );
    await app.screenshot("overview-monte-carlo");

    // and once more, cancelled: one clear message, the last results kept
    await click(b, "run-mc");
    await waitForText(
      b,
      '[data-testid="progress"]',
      (t) => t.includes("Monte Carlo trials"),
      30000,
    );
    await trials.reached();
    await click(b, "cancel");
    // the backend has the cancel once the button says so; only then may the trials start
    await waitForText(b, '[data-testid="cancel"]', (t) =>
      t.includes("Cancelling"),
    );
    trials.release();
    await waitForText(
      b,
      '[role="alert"]',
      (t) => t.includes("Monte Carlo cancelled"),
      30000,
    );
    assert.ok(await (await b.$('[data-testid="run-mc"]')).isExisting());

    // the Data screen lists the demo with its provenance; Ctrl+E opens the export form
    await click(b, "tab-data");
    await waitForText(b, '[data-testid="datasets"]', (t) =>
      t.includes("Packplan demo: public estimates"),
    );
    await waitForText(b, '[data-testid="datasets"]', (t) =>
      t.includes("Packplan demo (DEMO ONLY)"),
    );
    await b.keys(["Control", "e"]);
    await waitForText(b, '[data-testid="export-panel"]', (t) =>
      t.includes("Export to colleagues"),
    );
    await app.screenshot("data");
    // a scenario of one's own: shift the CoPoS ramp with a slider, watch the plan follow, save it
    await click(b, "tab-scenarios");
    await waitForText(
      b,
      '[data-testid="draft-order"]',
      (t) => t.includes("complete"),
      60000,
    );
    await click(b, "add-shift");
    await (
      await b.$('[data-testid="override"] select')
    ).selectByAttribute("value", "hbm3e");
    await b.execute(() => {
      const slider = document.querySelector('[data-testid="shift-months"]');
      slider.value = "6";
      slider.dispatchEvent(new Event("input", { bubbles: true }));
    });
    await waitForText(b, '[data-testid="override"]', (t) =>
      t.includes("6 months later"),
    );
    await waitForText(
      b,
      '[data-testid="draft-order"]',
      (t) => !t.includes("recomputing") && t.includes("complete"),
      60000,
    );
    await (
      await b.$('[data-testid="scenario-name"]')
    ).setValue("HBM3E six months late");
    await click(b, "scenario-save");
    await waitForText(b, '[role="status"]', (t) =>
      t.includes('Saved "HBM3E six months late"'),
    );
    await app.screenshot("scenario-editor");

    // the keys in the settings
    await click(b, "tab-vault");
    await waitForText(b, '[data-testid="own-recipient"]', (t) =>
      t.startsWith("age1"),
    );
    // the demo was imported without trusting its published DEMO ONLY key
    const keys = await waitForText(b, '[data-testid="keys"]', (t) =>
      t.includes("None yet"),
    );
    assert.ok(!keys.includes("DEMO ONLY"), keys);
  }, held);
});

test("export all charts shows its progress and a Cancel that leaves the folder empty", async () => {
  // the export waits before each chart until the test lets it go
  const drawing = testPoint("charts.export-all");
  await withApp(
    async (app) => {
      const b = app.browser;
      await createVault(b);
      await loadDemo(b);
      await click(b, "export-all");
      await drawing.reached(120000);
      const line = await waitForText(
        b,
        '[data-testid="export-all-progress"]',
        (t) => t.includes("Drawing the charts"),
      );
      assert.match(line, /Drawing the charts: 0 of \d+/);
      await app.screenshot("export-all-progress");
      await click(b, "export-all-cancel");
      drawing.release();
      const refused = await waitForText(
        b,
        '.overview [role="alert"]',
        (t) => t.includes("cancelled"),
        60000,
      );
      assert.match(refused, /Export cancelled; nothing was written/);
      assert.deepEqual(filesUnder(app.dialogDir), []);
      assert.equal(
        await (await b.$('[data-testid="export-all-progress"]')).isExisting(),
        false,
      );
    },
    { extraEnv: drawing.env },
  );
});
