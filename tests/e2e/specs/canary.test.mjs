// No plaintext at rest, proven with canaries: a bundle whose names and sources carry
// a canary is made with the CLI, imported in the window (through the answered open
// dialog), a value is edited in place to another canary, the plan is run with the
// Monte Carlo, charts are exported, and the vault is locked. Then no file under the
// app's HOME (vault, WebKit data, config, cache, temp) holds a canary, in UTF-8 or
// UTF-16, apart from the files the user exported on purpose.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  appBinary,
  createVault,
  filesUnder,
  repoRoot,
  withApp,
  waitForText,
  click,
} from "../harness.mjs";

const CANARY = "QX7T";

/** A signed bundle of the demo's tables with canaries in names, sources and title, for `recipient`. */
function canaryBundle(dir, recipient) {
  const cli = (...args) =>
    execFileSync(appBinary, args, {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: dir },
    });
  const tables = path.join(dir, "tables");
  mkdirSync(tables);
  const demo = path.join(repoRoot, "assets", "demo");
  for (const file of readdirSync(demo).filter((f) => f.endsWith(".csv"))) {
    const text = readFileSync(path.join(demo, file), "utf8")
      .replaceAll("TSMC CoWoS fabs", `Canary Fab ${CANARY}`)
      .replaceAll("tsmc,TSMC,", `tsmc,Canary Supplier ${CANARY},`)
      .replaceAll("TrendForce", `CANARY-SOURCE-${CANARY}`);
    writeFileSync(path.join(tables, file), text);
  }
  writeFileSync(
    path.join(tables, "manifest.json"),
    JSON.stringify({
      title: `Canary bundle ${CANARY}`,
      classification: "CONFIDENTIAL - SUPPLIER NDA",
      producer_seq: 1,
    }),
  );
  cli("bundle", "keygen", "--out", "issuer.key");
  cli(
    "bundle",
    "create",
    "tables",
    "--out",
    "canary.ppb",
    "--recipient",
    recipient,
    "--signing-key",
    "issuer.key",
  );
  return path.join(dir, "canary.ppb");
}

test("after import, edit, run, export and lock, no file the app wrote holds a canary", async () => {
  const work = mkdtempSync(path.join(tmpdir(), "packplan-canary-"));
  try {
    // Once the app has stopped (its files final): the exports carry the provenance,
    // on purpose; nothing else under its HOME holds a canary.
    const scan = (home) => {
      const dialogDir = path.join(home, "dialog");
      const exported = filesUnder(dialogDir).filter(
        (f) => !f.endsWith("open.txt"),
      );
      assert.equal(exported.length, 2, exported.join(", "));
      assert.ok(
        readFileSync(exported.find((f) => f.endsWith(".csv"))).includes(CANARY),
        "the CSV names its dataset",
      );
      const files = filesUnder(home).filter(
        (f) => !f.startsWith(dialogDir + path.sep),
      );
      assert.ok(
        files.some((f) => f.endsWith("vault.db")),
        "the vault is among the files scanned",
      );
      for (const file of files) {
        const bytes = readFileSync(file);
        for (const needle of [
          Buffer.from(CANARY),
          Buffer.from(CANARY, "utf16le"),
        ]) {
          assert.ok(!bytes.includes(needle), `a canary is readable in ${file}`);
        }
      }
    };
    await withApp(
      async (app) => {
        const b = app.browser;
        await createVault(b);
        await click(b, "tab-vault");
        const recipient = await waitForText(
          b,
          '[data-testid="own-recipient"]',
          (t) => t.startsWith("age1"),
        );
        writeFileSync(
          path.join(app.dialogDir, "open.txt"),
          canaryBundle(work, recipient.trim()),
        );

        // import, accepting the signer this vault does not know (recorded in the audit log)
        await b.keys(["Control", "i"]);
        await waitForText(
          b,
          '[data-testid="data"]',
          (t) => t.includes("canary.ppb"),
          30000,
        );
        await click(b, "signature-policy");
        await click(b, "allow-unknown");
        await click(b, "preview");
        await waitForText(
          b,
          '[data-testid="preview-panel"]',
          (t) => t.includes(`Canary bundle ${CANARY}`),
          60000,
        );
        await click(b, "confirm-import");
        await waitForText(b, '[data-testid="import-done"]', undefined, 60000);

        // edit a value in place, to another canary
        await (
          await b.$('[data-testid="table"]')
        ).selectByAttribute("value", "facilities");
        await (await b.$('[data-testid="table-search"]')).setValue("AP3/AP5");
        await waitForText(
          b,
          '[data-testid="cell-name"]',
          (t) => t.includes(`Canary Fab ${CANARY}`),
          30000,
        );
        await click(b, "cell-name");
        const input = await b.$('[data-testid="cell-input"]');
        await input.clearValue();
        await input.setValue(`Canary Edited ${CANARY}`);
        await b.keys(["Enter"]);
        await waitForText(
          b,
          '[data-testid="table-notice"]',
          (t) => t.includes(`Canary Edited ${CANARY}`),
          30000,
        );

        // run: the overview and the Monte Carlo over the canary data; export a chart as PNG and CSV
        await click(b, "tab-overview");
        await waitForText(
          b,
          '[data-testid="overview"]',
          (t) => t.includes("Monte Carlo"),
          60000,
        );
        await click(b, "run-mc");
        await waitForText(b, '[data-testid="probability"]', undefined, 180000);
        for (const format of ["png", "csv"]) {
          await click(b, "chart-export-units-" + format);
          await waitForText(
            b,
            '[data-testid="notice"]',
            (t) => t.includes(`.${format}`),
            60000,
          );
        }
        await b.keys(["Control", "l"]);
        await waitForText(b, "#unlock-title");
      },
      { afterExit: scan },
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
