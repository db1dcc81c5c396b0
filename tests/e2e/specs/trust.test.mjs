// The trust holes, attacked in the real window: a bundle signed with the DEMO ONLY
// key from the repository is refused at the preview; a recipient planted in the
// plain vault.json is never shown, and unlocking says the file was altered; a
// re-key gives a new recovery code, after which the new passphrase opens the vault.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  appBinary,
  createVault,
  repoRoot,
  withApp,
  waitForText,
  click,
  testPoint,
  PASS,
  withDemo,
} from "../harness.mjs";

const NEW = "violet compass mountain drizzle";

async function ownRecipient(b) {
  await click(b, "tab-vault");
  return (
    await waitForText(b, '[data-testid="own-recipient"]', (t) =>
      t.startsWith("age1"),
    )
  ).trim();
}

async function unlock(b, passphrase) {
  await waitForText(b, "#unlock-title", undefined, 30000);
  await (await b.$('[data-testid="unlock-secret"]')).setValue(passphrase);
  await click(b, "unlock");
}

test("a bundle signed with the published demo key is refused; a re-key changes the passphrase and the recovery code", async () => {
  await withDemo(async (app) => {
    const b = app.browser;
    const recipient = await ownRecipient(b);
    const forged = path.join(app.dialogDir, "forged.ppb");
    execFileSync(appBinary, [
      "bundle",
      "create",
      path.join(repoRoot, "assets/demo"),
      "--out",
      forged,
      "--recipient",
      recipient,
      "--signing-key",
      path.join(repoRoot, "assets/demo/keys/demo-issuer.key"),
    ]);
    writeFileSync(path.join(app.dialogDir, "open.txt"), forged);
    await click(b, "tab-data");
    const before = await waitForText(b, '[data-testid="datasets"]', (t) =>
      t.includes("Packplan demo"),
    );
    await b.keys(["Control", "i"]);
    await waitForText(
      b,
      '[data-testid="data"]',
      (t) => t.includes("forged.ppb"),
      30000,
    );
    await click(b, "signature-policy");
    await click(b, "allow-unknown");
    await click(b, "preview");
    const refused = await waitForText(
      b,
      '[role="alert"]',
      (t) => t.includes("DEMO ONLY"),
      30000,
    );
    assert.match(refused, /whose secret is published/);
    await app.screenshot("trust-demo-key-refused");
    assert.equal(await waitForText(b, '[data-testid="datasets"]'), before);

    // Re-key in the settings: wrong current passphrase first, then the right one.
    await click(b, "tab-vault");
    const fill = async (label, value) =>
      (await b.$(`[aria-label="${label}"]`)).setValue(value);
    await fill("Current passphrase for the re-key", PASS);
    await fill("New passphrase for the re-key", NEW);
    await fill("New passphrase for the re-key, again", NEW);
    await click(b, "rekey");
    const code = await waitForText(
      b,
      '[data-testid="new-recovery-code"]',
      (t) => t.startsWith("AGE-SECRET-KEY-1"),
      120000,
    );
    await app.screenshot("trust-rekeyed");
    assert.match(
      await waitForText(b, '[data-testid="rekey-message"]'),
      /no longer open the vault/,
    );
    // The old passphrase no longer opens it; the new one does, with the data.
    await b.keys(["Control", "l"]);
    await unlock(b, PASS);
    await waitForText(
      b,
      '[data-testid="unlock-error"]',
      (t) => t.includes("Wrong passphrase"),
      30000,
    );
    await (await b.$('[data-testid="unlock-secret"]')).setValue(NEW);
    await click(b, "unlock");
    await click(b, "tab-data");
    await waitForText(b, '[data-testid="datasets"]', (t) =>
      t.includes("Packplan demo"),
    );
    assert.ok(code.length > 60);
  });
});

test("a recipient planted in vault.json is never shown, and unlocking warns", async () => {
  await withApp(async (app) => {
    const b = app.browser;
    await createVault(b);
    const own = await ownRecipient(b);
    await b.keys(["Control", "l"]);
    await waitForText(b, "#unlock-title", undefined, 30000);
    // Someone who can write the folder plants their own recipient.
    const planted =
      "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj";
    const metadata = path.join(app.vaultDir, "vault.json");
    writeFileSync(
      metadata,
      readFileSync(metadata, "utf8").replace(own, planted),
    );
    await unlock(b, PASS);
    const warning = await waitForText(
      b,
      '[data-testid="vault-warnings"]',
      (t) => t.includes("was altered"),
      30000,
    );
    assert.ok(warning.includes(planted), warning);
    await app.screenshot("trust-planted-recipient");
    const shown = await ownRecipient(b);
    assert.equal(shown, own);
    const settings = await waitForText(b, "#settings-title");
    assert.ok(settings.length > 0);
    const page = await b.$("main").getText();
    assert.ok(
      !page.includes(planted),
      "the planted recipient is not offered anywhere in the settings",
    );
  });
});

test("Lock works while a bundle is being decrypted, and the preview is dropped", async () => {
  const decrypting = testPoint("import.decrypting");
  await withApp(
    async (app) => {
      const b = app.browser;
      await createVault(b);
      await click(b, "load-demo");
      await decrypting.reached(); // the demo is imported the same way: let it through
      decrypting.release();
      await waitForText(
        b,
        '[data-testid="order"]',
        (t) => t.includes("Complete"),
        60000,
      );
      const recipient = await ownRecipient(b);
      const key = path.join(app.home, "tmp", "supplier.key");
      execFileSync(appBinary, ["bundle", "keygen", "--out", key]);
      const file = path.join(app.dialogDir, "supplier.ppb");
      execFileSync(appBinary, [
        "bundle",
        "create",
        path.join(repoRoot, "assets/demo"),
        "--out",
        file,
        "--recipient",
        recipient,
        "--signing-key",
        key,
      ]);
      writeFileSync(path.join(app.dialogDir, "open.txt"), file);
      await click(b, "tab-data");
      const before = await waitForText(b, '[data-testid="datasets"]', (t) =>
        t.includes("Packplan demo"),
      );
      await b.keys(["Control", "i"]);
      await waitForText(
        b,
        '[data-testid="data"]',
        (t) => t.includes("supplier.ppb"),
        30000,
      );
      await click(b, "signature-policy");
      await click(b, "allow-unknown");
      await click(b, "preview");
      // The import is now held while it decrypts: the vault must not be held meanwhile.
      await decrypting.reached();
      await b.keys(["Control", "l"]);
      await waitForText(b, "#unlock-title", undefined, 15000);
      // (A window stuck behind a held vault only shows the lock screen once the hold gives up.)
      assert.ok(
        decrypting.isHeld(),
        "the vault locked while the bundle was still being decrypted",
      );
      await app.screenshot("trust-locked-while-decrypting");
      decrypting.release();
      await unlock(b, PASS);
      await click(b, "tab-data");
      assert.equal(await waitForText(b, '[data-testid="datasets"]'), before);
      assert.ok(
        !(await (await b.$('[data-testid="preview-panel"]')).isExisting()),
        "no preview survives the lock",
      );
    },
    { extraEnv: decrypting.env },
  );
});
