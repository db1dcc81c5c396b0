// The analyst's own workbook in the real window: the Excel template saved from the Data
// screen, edited as Excel users write cells (a date as 6/1/2026, a percentage, TRUE) and
// imported with a classification; the preview names the file and lists each cell read
// differently from how it is written, the import becomes a dataset "from your file", and
// it is removed like any dataset; then the plan is exported as a workbook from "Orders and TCO".
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { waitForText, click, withDemo, clickOn } from "../harness.mjs";

test("save the Excel template, edit it, import it as your own file, see it listed and remove it", async () => {
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

    // typed as text, as Excel keeps what it does not recognise in the user's locale
    const edited = path.join(app.dialogDir, "our-figures.xlsx");
    execFileSync("python3", [
      fileURLToPath(new URL("../xlsx_cells.py", import.meta.url)),
      saved,
      edited,
      "product_routes!D2=92%",
      "product_routes!F2=TRUE",
      "product_routes!H2=6/1/2026",
    ]);
    writeFileSync(path.join(app.dialogDir, "open.txt"), edited);
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
    assert.match(panel, /our-figures\.xlsx/);
    assert.doesNotMatch(panel, /problem/i, panel);
    await clickOn(b, '[data-testid="preview-notes"] summary');
    const notes = await waitForText(b, '[data-testid="preview-notes"]', (t) =>
      t.includes("6/1/2026"),
    );
    assert.match(notes, /3 cells were read differently/, notes);
    assert.match(notes, /product_routes!D2.*"92%" read as 0\.92/, notes);
    assert.match(notes, /product_routes!F2.*"TRUE" read as true/, notes);
    // day-month, as chosen above: the 6th of January
    assert.match(
      notes,
      /product_routes!H2.*"6\/1\/2026" read as 2026-01-06/,
      notes,
    );
    await app.screenshot("own-files-preview");

    await click(b, "confirm-import");
    await waitForText(
      b,
      '[data-testid="import-done"]',
      (t) => t.includes("our-figures.xlsx"),
      60000,
    );
    const listed = await waitForText(b, '[data-testid="datasets"]', (t) =>
      t.includes("your file"),
    );
    assert.match(listed, /our-figures\.xlsx/);
    await app.screenshot("own-files-imported");

    await b.execute(() => {
      window.confirm = () => true;
    });
    await clickOn(b, 'button[aria-label="Remove our-figures.xlsx"]');
    await waitForText(
      b,
      '[data-testid="datasets"]',
      (t) => !t.includes("our-figures.xlsx"),
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
