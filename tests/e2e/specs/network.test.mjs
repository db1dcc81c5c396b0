// No network: a planning session in the real window (create a vault, load the demo,
// run the Monte Carlo, lock) traced with strace. The app and every process it starts
// (WebKit's web and network processes included) may connect only to local sockets:
// any AF_INET or AF_INET6 connect other than loopback fails the test.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

test("a whole session makes no network connection", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "packplan-trace-"));
  const { appBinary: real } = await import("../harness.mjs");
  const log = path.join(dir, "connect");
  const wrapper = path.join(dir, "packplan-traced");
  writeFileSync(
    wrapper,
    `#!/bin/sh\nexec strace -f -qq -e trace=connect -o ${log} -ff ${real} "$@"\n`,
  );
  chmodSync(wrapper, 0o755);
  process.env.PACKPLAN_APP = wrapper;
  // a second instance of the harness, which reads PACKPLAN_APP now
  const { createVault, withApp, waitForText, loadDemo, click } =
    await import("../harness.mjs?traced");

  await withApp(async (app) => {
    const b = app.browser;
    await createVault(b);
    await loadDemo(b, 120000);
    await click(b, "run-mc");
    await waitForText(
      b,
      '[data-testid="probability"]',
      (t) => t.includes("P(complete by"),
      180000,
    );
    await b.keys(["Control", "l"]);
    await waitForText(b, "#unlock-title");
  });

  const lines = readdirSync(dir)
    .filter((f) => f.startsWith("connect"))
    .flatMap((f) => readFileSync(path.join(dir, f), "utf8").split("\n"));
  const connects = lines.filter((l) => l.includes("connect("));
  assert.ok(
    connects.length > 0,
    "strace saw no connect call at all: the trace did not run",
  );
  const inet = connects.filter((l) => /AF_INET6?\b/.test(l));
  const remote = inet.filter(
    (l) =>
      !/inet_addr\("127\.|inet_pton\(AF_INET6, "::1"|"::ffff:127\./.test(l),
  );
  assert.deepEqual(
    remote,
    [],
    `network connections were attempted:\n${remote.join("\n")}`,
  );
});
