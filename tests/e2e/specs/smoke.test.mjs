// Smoke test: the real window opens on its first screen, with its heading and
// the vault folder it was started with.
import { test } from "node:test";
import assert from "node:assert/strict";
import { withApp, waitForText } from "../harness.mjs";

test("the app opens on its first screen", async () => {
  await withApp(async (app) => {
    const heading = await waitForText(app.browser, "h1");
    assert.equal(heading, "Packplan");
    const vaultDir = await waitForText(app.browser, '[data-testid="vault-dir"]');
    assert.equal(vaultDir, app.vaultDir);
    assert.equal(await app.browser.getTitle(), "Packplan");
    await app.screenshot("smoke");
  });
});
