// A second order, as a buyer adds it in the real window: the order form on "Orders and
// TCO" names every problem at once and keeps what was typed; the added order is planned
// on the Overview with odds of its own; on Data it is marked as added here and removed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { waitForText, click, withDemo } from "../harness.mjs";

test("add an order with the form, see it planned with its odds, remove it", async () => {
  await withDemo(async (app) => {
    const b = app.browser;

    await click(b, "tab-orders");
    await waitForText(b, '[data-testid="orders-table"]');
    await click(b, "add-order");
    const type = async (column, value) =>
      (await b.$(`[data-testid="new-${column}"]`)).setValue(value);
    await type("id", "cluster-b");
    await type("product_id", "b300");
    await type("quantity", "lots");
    await type("needed_by", "June");
    await click(b, "row-form-add");
    const problems = await waitForText(b, '[data-testid="row-form-error"]');
    for (const says of [
      '"lots" is not a whole number',
      '"June" is not a month',
      "obtainable_share: the value is missing",
    ]) {
      assert.ok(problems.includes(says), `${says} missing from: ${problems}`);
    }
    assert.equal(
      await (await b.$('[data-testid="new-id"]')).getValue(),
      "cluster-b",
      "what was typed is kept",
    );
    await app.screenshot("order-form");

    await type("quantity", "512");
    await type("needed_by", "2027-12");
    await type("obtainable_share", "0.002");
    await type("priority", "2");
    await type("placed", "2026-12");
    await click(b, "row-form-add");
    await waitForText(b, '[data-testid="orders"] [role="status"]', (t) =>
      t.includes("Added order cluster-b"),
    );
    const rows = await waitForText(
      b,
      '[data-testid="orders-table"]',
      (t) => t.includes("cluster-b"),
      60000,
    );
    assert.match(rows, /512/);

    // the Overview plans it, with odds of its own
    await click(b, "tab-overview");
    await waitForText(
      b,
      '[data-testid="overview"]',
      (t) => (t.match(/likely by/g) ?? []).length === 2,
      120000,
    );
    const cards = await b.$$('[data-testid="order"]').map((c) => c.getText());
    assert.equal(cards.length, 2);
    assert.match(cards[1], /512 × B300, needed by Dec 2027/);
    assert.match(cards[1], /\d+% likely by Dec 2027/);
    await app.screenshot("overview-two-orders");

    // on Data it is marked as added here, and removed
    await click(b, "tab-data");
    await (
      await b.$('[data-testid="table"]')
    ).selectByAttribute("value", "orders");
    // the table may be below the fold, so its text is read from the page
    const tablesText = () =>
      b.execute(
        () =>
          document.querySelector('[data-testid="tables"]')?.textContent ?? "",
      );
    await b.waitUntil(
      async () => {
        const t = await tablesText();
        return t.includes("cluster-b") && t.includes("added here");
      },
      { timeout: 60000, timeoutMsg: "cluster-b is not marked as added here" },
    );
    assert.ok((await tablesText()).includes("cluster-a"));
    await app.screenshot("data-added-order");
    await click(b, "remove-row");
    await waitForText(b, '[data-testid="table-notice"]', (t) =>
      t.includes("Removed orders cluster-b"),
    );
    const rowsNamed = (id) =>
      b.execute(
        (id) =>
          [...document.querySelectorAll('[data-testid="table-row"]')].filter(
            (r) => r.textContent.includes(id),
          ).length,
        id,
      );
    await b.waitUntil(async () => (await rowsNamed("cluster-b")) === 0, {
      timeout: 20000,
      timeoutMsg: "cluster-b is still in the table",
    });
    assert.equal(await rowsNamed("cluster-a"), 1);
  });
});
