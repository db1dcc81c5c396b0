// The vault in the real window: create it (recovery code shown once), lock with
// Ctrl+L, a wrong passphrase named, unlock, and auto-lock after the idle period.
// Afterwards no file the app wrote (vault, WebKit storage, caches) holds the passphrase.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  createVault,
  filesUnder,
  PASS,
  withApp,
  waitForText,
  click,
} from "../harness.mjs";

test("create, lock, unlock and auto-lock the vault in the real window", async () => {
  await withApp(async (app) => {
    const b = app.browser;
    await waitForText(b, "#create-title");
    await (await b.$('[data-testid="new-passphrase"]')).setValue(PASS);
    await (await b.$('[data-testid="new-passphrase-again"]')).setValue(PASS);
    await click(b, "create-vault");

    const code = await waitForText(
      b,
      '[data-testid="recovery-code"]',
      (t) => t.startsWith("AGE-SECRET-KEY-1"),
      30000,
    );
    assert.equal(code.length, 74);
    await app.screenshot("vault-recovery-code");
    const done = await b.$('[data-testid="recovery-done"]');
    assert.equal(
      await done.isEnabled(),
      false,
      "Continue waits until the user confirms the code is stored",
    );
    await click(b, "recovery-stored");
    await done.click();
    await waitForText(b, '[data-testid="overview"]');
    await click(b, "tab-vault");
    assert.equal(
      await waitForText(b, '[data-testid="vault-dir"]'),
      app.vaultDir,
    );
    await waitForText(b, "table.log", (t) => t.includes("vault.init"));
    await app.screenshot("vault-open");

    // Ctrl+L locks.
    await b.keys(["Control", "l"]);
    await waitForText(b, "#unlock-title");
    await app.screenshot("vault-locked");

    // A wrong passphrase: a clear message, the field emptied.
    const secret = await b.$('[data-testid="unlock-secret"]');
    await secret.setValue("orbit lantern quietly harbor");
    await click(b, "unlock");
    const error = await waitForText(
      b,
      '[data-testid="unlock-error"]',
      (t) => t.includes("Wrong passphrase"),
      30000,
    );
    assert.match(error, /Check the keyboard layout and Caps Lock/);
    assert.equal(await secret.getValue(), "");
    await app.screenshot("vault-wrong-passphrase");

    await secret.setValue(PASS);
    await click(b, "unlock");
    // unlocking returns to the screen the user was on (here: the vault's settings)
    await waitForText(b, '[data-testid="tab-vault"]', undefined, 30000);
    await click(b, "tab-vault");
    await waitForText(
      b,
      '[data-testid="vault-open"]',
      (t) => t.includes("Auto-lock"),
      30000,
    );

    // Auto-lock after one idle minute (the shortest choice); the test then stays idle.
    await (
      await b.$('[data-testid="auto-lock"]')
    ).selectByAttribute("value", "1");
    await waitForText(b, '[data-testid="auto-lock-saved"]');
    const idleSince = Date.now();
    await waitForText(
      b,
      '[data-testid="locked-idle"]',
      (t) => t.includes("Locked after a period without activity"),
      120000,
    );
    const idleFor = (Date.now() - idleSince) / 1000;
    assert.ok(idleFor >= 55, `locked after only ${idleFor} s`);
    await app.screenshot("vault-auto-locked");
  });
});

test("the passphrase reaches no file the app writes", async () => {
  // Every file under the app's HOME once the app has stopped (caches included).
  const scan = (home) => {
    const files = filesUnder(home);
    assert.ok(
      files.some((f) => f.endsWith("vault.db")),
      `no vault database among ${files.join(", ")}`,
    );
    for (const file of files) {
      const bytes = readFileSync(file);
      assert.ok(
        !bytes.includes(Buffer.from(PASS)),
        `the passphrase is readable in ${file}`,
      );
      assert.ok(
        !bytes.includes(Buffer.from(PASS, "utf16le")),
        `the passphrase (UTF-16) is readable in ${file}`,
      );
    }
  };
  await withApp(
    async (app) => {
      const b = app.browser;
      await createVault(b);
      await waitForText(b, '[data-testid="overview"]');
      await b.keys(["Control", "l"]);
      await waitForText(b, "#unlock-title");
    },
    { afterExit: scan },
  );
});
