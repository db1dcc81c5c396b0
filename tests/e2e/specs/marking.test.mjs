// The site's marking in the real window: the window carries the classification of the
// data on screen as a banner at its top and bottom, in the marking scheme's colours;
// a change of scheme recolours and rewords it; a file whose label names no level of the
// scheme is refused at the preview until the label is mapped, and then marks the window.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import {
  createVault,
  loadDemo,
  waitForText,
  click,
  withApp,
} from "../harness.mjs";

const TOP = '[data-testid="window-banner-top"]';
const BOTTOM = '[data-testid="window-banner-bottom"]';

async function background(b, selector) {
  return (await (await b.$(selector)).getCSSProperty("background-color")).parsed
    .hex;
}

test("the window's banner follows the data and the site's marking scheme", async () => {
  await withApp(async (app) => {
    const b = app.browser;
    await createVault(b);
    await (
      await b.$('[data-testid="load-demo"]')
    ).waitForExist({ timeout: 30000 });
    assert.equal(
      await (await b.$(TOP)).isExisting(),
      false,
      "an empty vault shows nothing to mark",
    );

    await loadDemo(b);
    const top = await waitForText(b, TOP);
    assert.equal(top, "PUBLIC // ILLUSTRATIVE: PUBLIC ESTIMATES");
    assert.equal(await waitForText(b, BOTTOM), top);
    assert.equal(await background(b, TOP), "#007a33", "PUBLIC is green");
    await app.screenshot("marking-commercial");

    // the US scheme: the same data is UNCLASSIFIED
    await click(b, "tab-vault");
    await (
      await b.$('[data-testid="marking-scheme"]')
    ).selectByAttribute("value", "us");
    await waitForText(b, TOP, (t) => t.startsWith("UNCLASSIFIED"));
    await waitForText(b, '[data-testid="marking-levels"]', (t) =>
      t.includes("CUI"),
    );
    const levels = [];
    for (const li of await b.$$('[data-testid="marking-levels"] li')) {
      levels.push(await li.getText());
    }
    assert.deepEqual(levels, [
      "UNCLASSIFIED",
      "CUI",
      "CONFIDENTIAL",
      "SECRET",
      "TOP SECRET",
    ]);

    // a file labelled with no level of the scheme: refused, named, nothing imported
    await click(b, "tab-data");
    await click(b, "workbook-template");
    await waitForText(b, '[role="status"]', (t) =>
      t.includes("Saved the workbook template"),
    );
    const workbook = path.join(app.dialogDir, "packplan-template.xlsx");
    const importAs = async (label) => {
      writeFileSync(path.join(app.dialogDir, "open.txt"), workbook);
      await click(b, "import-workbook");
      const field = await b.$('[data-testid="own-classification"]');
      await field.waitForExist({ timeout: 30000 });
      await field.setValue(label);
      await click(b, "own-preview");
    };
    await importAs("ACME PROPRIETARY");
    const refused = await waitForText(
      b,
      '[role="alert"]',
      (t) => t.includes("names no level"),
      60000,
    );
    assert.match(
      refused,
      /"ACME PROPRIETARY" names no level of the site's marking scheme \(us: UNCLASSIFIED, CUI, CONFIDENTIAL, SECRET, TOP SECRET\)/,
    );
    assert.match(refused, /map it to a level in Settings \(Marking\)/);
    await app.screenshot("marking-refused");

    // mapped once in the settings (audited), the same file imports and marks the window
    await click(b, "tab-vault");
    await (await b.$('[data-testid="map-label"]')).setValue("ACME PROPRIETARY");
    await (
      await b.$('[data-testid="map-level"]')
    ).selectByAttribute("value", "CUI");
    await click(b, "map-submit");
    await waitForText(b, '[data-testid="marking-mapped"]', (t) =>
      t.includes("ACME PROPRIETARY"),
    );
    await app.screenshot("marking-settings");
    await click(b, "tab-data");
    await importAs("ACME PROPRIETARY");
    await waitForText(
      b,
      '[data-testid="preview-panel"]',
      (t) => t.includes("from your own file"),
      60000,
    );
    await click(b, "confirm-import");
    await waitForText(
      b,
      '[data-testid="import-done"]',
      (t) => t.includes("packplan-template.xlsx"),
      60000,
    );
    const marked = await waitForText(b, TOP, (t) => t.startsWith("CUI"));
    assert.match(marked, /^CUI \/\/ /);
    assert.match(marked, / \/\/ ACME PROPRIETARY/);
    assert.match(marked, / \/\/ ILLUSTRATIVE: PUBLIC ESTIMATES/);
    assert.equal(await waitForText(b, BOTTOM), marked);
    assert.equal(await background(b, TOP), "#502b85", "CUI is purple");
    await app.screenshot("marking-cui");
  });
});
