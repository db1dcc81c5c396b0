// The failure paths in the real window: a damaged bundle, an edit with an invalid
// value, and leaving a screen with an unsaved edit. Each gets one clear message,
// and the vault keeps what it had. (A wrong passphrase is in vault.test.mjs and a
// cancelled Monte Carlo in plan.test.mjs.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { waitForText, click, withDemo } from "../harness.mjs";

test("a damaged bundle, an invalid edit and an unsaved edit each get one clear message", async () => {
  await withDemo(async (app) => {
    const b = app.browser;

    // A damaged bundle, picked in the (answered) open dialog: refused before anything changes.
    const bad = path.join(app.dialogDir, "damaged.ppb");
    writeFileSync(
      bad,
      Buffer.concat([
        Buffer.from("age-encryption.org/v1\n-> X25519 "),
        Buffer.alloc(600, 7),
      ]),
    );
    writeFileSync(path.join(app.dialogDir, "open.txt"), bad);
    await click(b, "tab-data");
    const before = await waitForText(b, '[data-testid="datasets"]', (t) =>
      t.includes("Packplan demo"),
    );
    await b.keys(["Control", "i"]);
    await waitForText(
      b,
      '[data-testid="data"]',
      (t) => t.includes("damaged.ppb"),
      30000,
    );
    await click(b, "preview");
    const refused = await waitForText(
      b,
      '[role="alert"]',
      (t) => t.length > 20,
      30000,
    );
    assert.match(refused, /bundle|age|damaged|header|open/i, refused);
    assert.doesNotMatch(refused, /panic|unwrap|internal/i);
    await app.screenshot("failure-bad-bundle");
    assert.equal(
      await waitForText(b, '[data-testid="datasets"]'),
      before,
      "the datasets are as they were",
    );

    // An invalid edit: the message says what to type; Escape keeps the old value.
    await (
      await b.$('[data-testid="table"]')
    ).selectByAttribute("value", "orders");
    await waitForText(
      b,
      '[data-testid="cell-quantity"]',
      (t) => t.includes("2048"),
      30000,
    );
    await click(b, "cell-quantity");
    const input = await b.$('[data-testid="cell-input"]');
    await input.clearValue();
    await input.setValue("lots");
    await b.keys(["Enter"]);
    const invalid = await waitForText(
      b,
      '[data-testid="edit-error"]',
      (t) => t.length > 0,
      30000,
    );
    assert.match(
      invalid,
      /"lots" is not a whole number; expected a whole number/,
    );
    await app.screenshot("failure-invalid-edit");

    // Leaving with the edit unsaved asks first; staying keeps it.
    await click(b, "tab-overview");
    const prompt = await waitForText(b, '[data-testid="unsaved-prompt"]', (t) =>
      t.includes("Leave without saving"),
    );
    assert.match(prompt, /an edit of orders\.quantity/);
    await app.screenshot("failure-unsaved-prompt");
    await click(b, "unsaved-stay");
    assert.equal(
      await (await b.$('[data-testid="cell-input"]')).getValue(),
      "lots",
    );
    await click(b, "cell-input");
    await b.keys(["Escape"]);
    await waitForText(b, '[data-testid="cell-quantity"]', (t) =>
      t.includes("2048"),
    );

    // A valid edit: in effect, traced to this vault, with the value it stands in for; then reverted.
    await click(b, "cell-quantity");
    const again = await b.$('[data-testid="cell-input"]');
    await again.clearValue();
    await again.setValue("4096");
    await b.keys(["Enter"]);
    await waitForText(
      b,
      '[data-testid="table-notice"]',
      (t) => t.includes("quantity of cluster-a is now 4096 (was 2048)"),
      30000,
    );
    const row = await waitForText(b, '[data-testid="table-row"]', (t) =>
      t.includes("4096"),
    );
    assert.match(row, /\(was 2048\)/);
    assert.match(row, /Entered in this vault/);
    await app.screenshot("data-edited");
    await click(b, "tab-audit");
    await waitForText(
      b,
      '[data-testid="audit"]',
      (t) => t.includes("data.edit"),
      30000,
    );
    await click(b, "tab-data");
    await (
      await b.$('[data-testid="table"]')
    ).selectByAttribute("value", "orders");
    await waitForText(
      b,
      '[data-testid="cell-quantity"]',
      (t) => t.includes("4096"),
      30000,
    );
    await click(b, "revert");
    await waitForText(
      b,
      '[data-testid="cell-quantity"]',
      (t) => t.trim() === "2048",
      30000,
    );
  });
});
