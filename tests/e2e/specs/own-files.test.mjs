// The analyst's own workbook in the real window: the Excel template saved from the Data
// screen, filled (here: as it comes, with its example rows) and imported with a
// classification; the preview names the file and its SHA-256, the import becomes a
// dataset "from your file", and it is removed like any dataset; then the plan is
// exported as a workbook from "Orders and TCO".
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { waitForText, click, withDemo } from "../harness.mjs";

test("save the Excel template, import it as your own file, see it listed and remove it", async () => {
  await withDemo(async (app) => {
    const b = app.browser;
    await click(b, "tab-data");
    await waitForText(b, '[data-testid="datasets"]', (t) =>
      t.includes("Packplan demo"),
    );

    await click(b, "workbook-template");
    const saved = path.join(app.dialogDir, "packplan-template.xlsx");
    await waitForText(b, '[role="status"]', (t) =>
      t.includes("Saved the workbook template"),
    );
    assert.ok(
      existsSync(saved),
      "the template was written where the dialog pointed",
    );

    writeFileSync(path.join(app.dialogDir, "open.txt"), saved);
    await click(b, "import-workbook");
    const label = await b.$('[data-testid="own-classification"]');
    await label.waitForExist({ timeout: 30000 });
    assert.equal(
      await label.getValue(),
      "ILLUSTRATIVE: PUBLIC ESTIMATES",
      "the vault's label is offered",
    );
    await (
      await b.$('[data-testid="own-date-order"]')
    ).selectByAttribute("value", "day-month");
    await click(b, "own-preview");
    const panel = await waitForText(
      b,
      '[data-testid="preview-panel"]',
      (t) => t.includes("from your own file"),
      60000,
    );
    assert.match(panel, /packplan-template\.xlsx/);
    assert.doesNotMatch(panel, /problem/i, panel);
    await app.screenshot("own-files-preview");

    await click(b, "confirm-import");
    await waitForText(
      b,
      '[data-testid="import-done"]',
      (t) => t.includes("packplan-template.xlsx"),
      60000,
    );
    const listed = await waitForText(b, '[data-testid="datasets"]', (t) =>
      t.includes("your file"),
    );
    assert.match(listed, /packplan-template\.xlsx/);
    await app.screenshot("own-files-imported");

    await b.execute(() => {
      window.confirm = () => true;
    });
    await (
      await b.$('button[aria-label="Remove packplan-template.xlsx"]')
    ).click();
    await waitForText(
      b,
      '[data-testid="datasets"]',
      (t) => !t.includes("packplan-template.xlsx"),
      30000,
    );

    // and the plan goes out as a workbook, every sheet marked
    await click(b, "tab-orders");
    await waitForText(b, '[data-testid="orders-table"]');
    await click(b, "export-workbook");
    await waitForText(
      b,
      '[role="status"]',
      (t) => t.includes("packplan-baseline.xlsx"),
      120000,
    );
    const workbook = readFileSync(
      path.join(app.dialogDir, "packplan-baseline.xlsx"),
    );
    assert.equal(
      workbook.subarray(0, 2).toString(),
      "PK",
      "an .xlsx (zip) file",
    );
    await app.screenshot("orders-workbook-exported");
  });
});
