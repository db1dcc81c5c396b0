// The desktop's recently-used list: GTK's file dialogs add what they save or open to
// ~/.local/share/recently-used.xbel, in clear and outside the vault, and a chart's or a
// bundle's name can say what it holds. Here the real GTK save dialog (not the answers
// debug builds take from a folder) is driven with xdotool, a chart is saved through
// it, and the list must not name it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { click, withDemo, clickOn, waitForText } from "../harness.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs xdotool on the app's display. */
function xdotool(env, ...args) {
  return execFileSync("xdotool", args, {
    env: { ...env, PATH: process.env.PATH },
    encoding: "utf8",
  }).trim();
}

/** The id of the native dialog's window once it is shown. */
async function dialogWindow(env) {
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    try {
      const ids = xdotool(env, "search", "--onlyvisible", "--name", "Save");
      if (ids) return ids.split("\n")[0];
    } catch {
      /* not shown yet: xdotool exits 1 when nothing matches */
    }
    await sleep(200);
  }
  throw new Error("the native save dialog never appeared");
}

test("a chart saved through the real GTK dialog leaves no trace in the recently-used list", async () => {
  await withDemo(
    async (app) => {
      const b = app.browser;
      // The odds are worked out after the plan is shown and their charts and lines
      // move the page when they arrive: a click aimed before that can land elsewhere.
      await waitForText(
        b,
        '[data-testid="probability"]',
        (t) => t.includes("1,000 trials"),
        120000,
      );
      await (
        await b.$('[data-kind="units"] [data-format="png"]')
      ).waitForExist({ timeout: 60000 });
      await clickOn(b, '[data-kind="units"] [data-format="png"]');
      const dialog = await dialogWindow(app.env);
      const target = path.join(app.home, "tmp", "units-chart.png");
      xdotool(app.env, "windowfocus", "--sync", dialog);
      xdotool(app.env, "key", "--clearmodifiers", "ctrl+a");
      xdotool(app.env, "type", "--delay", "20", target);
      await sleep(300);
      xdotool(app.env, "key", "Return");
      const deadline = Date.now() + 30000;
      while (!existsSync(target) && Date.now() < deadline) await sleep(200);
      assert.ok(
        existsSync(target),
        "the chart was saved where the dialog was told",
      );
      await sleep(1000); // GTK writes its list shortly after the dialog closes
      for (const list of [
        path.join(app.env.XDG_DATA_HOME, "recently-used.xbel"),
        path.join(app.home, ".local/share/recently-used.xbel"),
      ]) {
        if (existsSync(list)) {
          const text = readFileSync(list, "utf8");
          assert.ok(
            !text.includes("units-chart"),
            `${list} names the saved chart:\n${text}`,
          );
        }
      }
    },
    { realDialogs: true },
  );
});
