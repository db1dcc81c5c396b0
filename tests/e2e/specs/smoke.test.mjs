// Smoke test: the real window opens on its first screen. With no vault yet, that
// is the screen that creates one, naming the folder the app was started with.
import { test } from "node:test";
import assert from "node:assert/strict";
import { withApp, waitForText } from "../harness.mjs";

test("the app opens on its first screen", async () => {
  await withApp(async (app) => {
    const heading = await waitForText(app.browser, "h1");
    assert.equal(heading, "Packplan");
    assert.equal(
      await waitForText(app.browser, "#create-title"),
      "Create your vault",
    );
    assert.equal(
      await waitForText(app.browser, '[data-testid="vault-dir"]'),
      app.vaultDir,
    );
    assert.equal(await app.browser.getTitle(), "Packplan");
    await app.screenshot("smoke");
  });
});
