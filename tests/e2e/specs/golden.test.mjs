// The golden path in the real window: create a vault, load the demo, read the
// overview, open the scenario "CoPoS accelerated", compare it with Baseline, run
// the Monte Carlo, export a PNG, lock, unlock. Then the workspace: the last screen
// and the window size come back from the vault after a restart.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
} from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  PASS,
  filesUnder,
  withApp,
  waitForText,
  click,
  withDemo,
  clickOn,
} from "../harness.mjs";

test("golden path: demo, overview, CoPoS accelerated, compare, Monte Carlo, PNG, lock, unlock", async () => {
  await withDemo(async (app) => {
    const b = app.browser;

    // the scenario everyone asks about
    await (
      await b.$('[data-testid="scenario"]')
    ).selectByAttribute("value", "CoPoS accelerated");
    await waitForText(
      b,
      '[data-testid="overview"]',
      (t) => t.includes("pulls CoPoS volume forward"),
      60000,
    );
    const order = await waitForText(
      b,
      '[data-testid="order-plan"]',
      (t) => t.includes("Complete"),
      60000,
    );
    await app.screenshot("golden-overview-copos");

    // the briefing pack of this scenario: every page marked, the answer the Overview shows
    const shown = await waitForText(
      b,
      '[data-testid="probability"]',
      (t) => t.includes("(1,000 trials)"),
      120000,
    );
    const onTime = shown.match(/= (\d+%)/)[1];
    await click(b, "briefing");
    await waitForText(
      b,
      '[data-testid="notice"]',
      (t) => t.includes("packplan-briefing-copos-accelerated.pdf"),
      120000,
    );
    const briefing = path.join(
      app.dialogDir,
      "packplan-briefing-copos-accelerated.pdf",
    );
    const pages = execFileSync("pdftotext", ["-layout", briefing, "-"], {
      encoding: "utf8",
    })
      .split("\f")
      .filter((page) => page.trim());
    assert.ok(pages.length >= 6, `${pages.length} pages`);
    for (const [i, page] of pages.entries()) {
      const lines = page
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean);
      const banner = "PUBLIC // ILLUSTRATIVE: PUBLIC ESTIMATES";
      assert.equal(lines[0], banner, `page ${i + 1} marked on top`);
      assert.equal(lines.at(-1), banner, `page ${i + 1} marked below`);
      assert.ok(page.includes(`Page ${i + 1} of ${pages.length}`));
    }
    const row = pages[1]
      .split("\n")
      .find((l) => l.includes("cluster-a") && l.includes("B300"));
    assert.ok(row && row.includes(onTime), `${onTime} in ${row}`);

    // every chart in every format, into the folder the (answered) dialog picks
    await click(b, "export-all");
    const allNote = await waitForText(
      b,
      '[data-testid="notice"]',
      (t) => t.includes("files (every chart as PNG, SVG, PDF and CSV)"),
      180000,
    );
    const exported = filesUnder(app.dialogDir)
      .map((f) => path.basename(f))
      .filter((n) => n !== path.basename(briefing));
    assert.equal(Number(allNote.match(/Saved (\d+) files/)[1]), exported.length);
    for (const ext of ["png", "svg", "pdf", "csv"]) {
      for (const kind of ["units", "fan", "tornado", "concentration"]) {
        const name = `packplan-${kind}-copos-accelerated.${ext}`;
        assert.ok(exported.includes(name), `${name} in ${exported}`);
      }
    }

    // compared with Baseline, side by side
    await click(b, "tab-compare");
    const summary = await waitForText(
      b,
      '[data-testid="compare-summary"]',
      (t) => t.includes("What moved from Baseline to CoPoS accelerated"),
      60000,
    );
    assert.match(summary, /cluster-a/);
    assert.ok(
      (await b.$$('[data-testid="compare-pair"]')).length >= 3,
      "charts side by side",
    );
    // the comparison chart at the top is drawn as soon as it is on screen
    await b.waitUntil(
      async () => (await b.$$('[data-testid="compare"] canvas')).length >= 1,
      { timeout: 10000, timeoutMsg: "the comparison chart was not drawn" },
    );
    await app.screenshot("golden-compare");

    // the comparison chart as a PNG, marked
    await click(b, "compare-png");
    const compareNote = await waitForText(
      b,
      '[data-testid="notice"]',
      (t) => t.startsWith("Saved "),
      60000,
    );
    const comparePng = compareNote.replace(/^Saved /, "").trim();
    assert.equal(path.dirname(comparePng), app.dialogDir);

    // the Monte Carlo of the active scenario, on the Overview
    await click(b, "tab-overview");
    await waitForText(
      b,
      '[data-testid="order-plan"]',
      (t) => t === order,
      60000,
    );
    await click(b, "run-mc");
    const p = await waitForText(
      b,
      '[data-testid="probability"]',
      (t) =>
        t.includes("P(complete by Sep 2027)") && t.includes("10,000 trials"),
      180000,
    );
    assert.match(p, /= \d+%/);
    await app.screenshot("golden-monte-carlo");

    // a PNG of the units chart, through the (answered) save dialog
    await b.execute(() =>
      document.querySelector('[data-kind="units"]').scrollIntoView(),
    );
    await clickOn(b, '[data-kind="units"] [data-format="png"]');
    const note = await waitForText(
      b,
      '[data-testid="notice"]',
      (t) => t.includes("packplan-units"),
      60000,
    );
    const png = path.join(
      app.dialogDir,
      "packplan-units-copos-accelerated.png",
    );
    assert.ok(note.includes(png), note);
    for (const file of [png, comparePng]) {
      const bytes = readFileSync(file);
      assert.deepEqual(
        [...bytes.subarray(1, 4)],
        [0x50, 0x4e, 0x47],
        `${file} is a PNG`,
      );
      assert.ok(statSync(file).size > 20000, `${file} holds a drawn chart`);
    }

    // the same chart as a PDF: the same picture, its text (the banner, top and bottom) kept as text
    await clickOn(b, '[data-kind="units"] [data-format="pdf"]');
    await waitForText(
      b,
      '[data-testid="notice"]',
      (t) => t.includes(".pdf"),
      60000,
    );
    const pdf = path.join(app.dialogDir, "packplan-units-copos-accelerated.pdf");
    assert.equal(readFileSync(pdf).subarray(0, 5).toString(), "%PDF-");
    const pdfText = execFileSync("pdftotext", [pdf, "-"], { encoding: "utf8" });
    assert.equal(
      pdfText.split("PUBLIC // ILLUSTRATIVE: PUBLIC ESTIMATES").length - 1,
      2,
      pdfText,
    );

    // Copy: the same chart on the clipboard as a PNG at twice the size, read back with
    // xclip on the app's display as another program pasting it would
    await clickOn(b, '[data-kind="units"] [data-format="clipboard"]');
    await waitForText(
      b,
      '[data-testid="notice"]',
      (t) => t.includes("Copied the chart to the clipboard"),
      60000,
    );
    const pasted = execFileSync(
      "xclip",
      ["-selection", "clipboard", "-t", "image/png", "-o"],
      { env: app.env, maxBuffer: 64 << 20, timeout: 20000 },
    );
    assert.deepEqual([...pasted.subarray(1, 4)], [0x50, 0x4e, 0x47]);
    // IHDR: width and height, big-endian, at bytes 16 and 20
    assert.deepEqual(
      [pasted.readUInt32BE(16), pasted.readUInt32BE(20)],
      [3200, 1800],
    );

    // lock, then unlock with the passphrase: the work is where it was
    await b.keys(["Control", "l"]);
    await waitForText(b, "#unlock-title", undefined, 30000);
    await (await b.$('[data-testid="unlock-secret"]')).setValue(PASS);
    await click(b, "unlock");
    await waitForText(
      b,
      '[data-testid="order"]',
      (t) => t.includes("Complete"),
      60000,
    );
    assert.equal(
      await (await b.$('[data-testid="scenario"]')).getValue(),
      "CoPoS accelerated",
      "the active scenario is kept",
    );
    await app.screenshot("golden-unlocked");

    // Ctrl+K finds a screen by name
    await b.keys(["Control", "k"]);
    await (await b.$('[data-testid="palette-input"]')).setValue("risk");
    await b.keys(["Enter"]);
    await waitForText(
      b,
      '[data-testid="risk-table"]',
      (t) => t.includes("HBM"),
      60000,
    );
    // ranked by the order's path: the technologies it needs first, the rest after them
    assert.match(
      await waitForText(b, '[data-testid="risk-summary"]'),
      /of the \d+ technologies your orders need/,
    );
    await app.screenshot("golden-risk");

    // the tornado: what moves the first order, in months before or after its plan
    await click(b, "run-tornado");
    assert.match(
      await waitForText(b, '[data-testid="tornado-summary"]', (t) => t.length > 0, 120000),
      /^Order \S+ \(/,
    );
    const tornado = await b.$('[data-testid="chart"][data-kind="tornado"]');
    await tornado.waitForExist({ timeout: 60000 });
    await b.execute((e) => e.scrollIntoView({ block: "center" }), tornado);
    await b.pause(800);
    await app.screenshot("golden-tornado");

    // the app wrote the exports the user asked for, and nothing else outside the vault
    const written = filesUnder(app.dialogDir)
      .map((f) => path.basename(f))
      .sort();
    assert.deepEqual(
      written,
      [
        ...new Set([
          path.basename(comparePng),
          path.basename(png),
          path.basename(pdf),
          path.basename(briefing),
          ...exported,
        ]),
      ].sort(),
    );

    // a folder that already holds files of those names: one message, nothing written
    await click(b, "tab-overview");
    await click(b, "export-all");
    const refused = await waitForText(
      b,
      '.overview [role="alert"]',
      (t) => t.includes("nothing was written"),
      180000,
    );
    assert.match(refused, /already holds packplan-/);
    assert.deepEqual(
      filesUnder(app.dialogDir)
        .map((f) => path.basename(f))
        .sort(),
      written,
    );
  });
});

test("the last screen, scenario and window size come back from the vault after a restart", async () => {
  const vaultDir = path.join(
    mkdtempSync(path.join(tmpdir(), "packplan-e2e-vault-")),
    "vault",
  );
  await withDemo(
    async (app) => {
      const b = app.browser;
      await (
        await b.$('[data-testid="scenario"]')
      ).selectByAttribute("value", "HBM squeeze");
      await waitForText(
        b,
        '[data-testid="overview"]',
        (t) => t.includes("25% short"),
        60000,
      );
      await click(b, "tab-orders");
      await waitForText(b, '[data-testid="orders"]', undefined, 60000);
      // resized after the last change of screen: only the lock remembers this size
      await b.setWindowSize(1100, 760);
      await click(b, "lock");
      await waitForText(b, "#unlock-title", undefined, 30000);
    },
    { vaultDir },
  );
  await withApp(
    async (app) => {
      const b = app.browser;
      await waitForText(b, "#unlock-title", undefined, 60000);
      await (await b.$('[data-testid="unlock-secret"]')).setValue(PASS);
      await click(b, "unlock");
      const orders = await waitForText(
        b,
        '[data-testid="orders"]',
        undefined,
        60000,
      );
      assert.match(orders, /HBM squeeze/, "the scenario the user had open");
      const size = await b.getWindowSize();
      assert.ok(
        Math.abs(size.width - 1100) <= 40 && Math.abs(size.height - 760) <= 80,
        JSON.stringify(size),
      );
      await app.screenshot("workspace-restored");
    },
    { vaultDir },
  );
  assert.ok(existsSync(vaultDir));
  rmSync(path.dirname(vaultDir), { recursive: true, force: true });
});
