// The end-to-end harness: starts the real Packplan binary under Xvfb, driven by
// tauri-driver + WebKitWebDriver, and always cleans up every process it started.
//
// Each test calls `withApp(async (app) => ...)`. The app runs with its own
// temporary HOME and vault folder, so tests never touch the user's data and
// leave nothing behind. Screenshots go to <repo>/target/e2e/.

import { execFileSync, spawn } from "node:child_process";
import {
  mkdtempSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  existsSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, "../..");
export const screenshotDir = path.join(repoRoot, "target", "e2e");

const targetDir = process.env.CARGO_TARGET_DIR
  ? path.resolve(repoRoot, process.env.CARGO_TARGET_DIR)
  : path.join(repoRoot, "target");
export const appBinary =
  process.env.PACKPLAN_APP ?? path.join(targetDir, "debug", "packplan");
const tauriDriver =
  process.env.TAURI_DRIVER ??
  path.join(repoRoot, ".tools", "bin", "tauri-driver");

/** A free TCP port on loopback. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts a process in its own process group, so the whole tree can be killed. */
function startGroup(command, args, env, name) {
  const child = spawn(command, args, {
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log = [];
  const keep = (chunk) => {
    log.push(chunk.toString());
    if (log.length > 200) log.shift();
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  child.on("error", (e) => log.push(`${name} failed to start: ${e.message}`));
  return { child, log, name };
}

function killGroup(proc, signal = "SIGKILL") {
  if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null)
    return;
  try {
    process.kill(-proc.child.pid, signal);
  } catch {
    /* already gone */
  }
}

async function waitExit(proc, ms) {
  if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null)
    return true;
  return Promise.race([
    new Promise((r) => proc.child.once("exit", () => r(true))),
    sleep(ms).then(() => false),
  ]);
}

/** Starts Xvfb on a display it picks itself; resolves to ":N". */
async function startXvfb(env) {
  const proc = startGroup(
    "Xvfb",
    ["-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
    env,
    "Xvfb",
  );
  const display = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Xvfb did not start: ${proc.log.join("")}`)),
      15000,
    );
    proc.child.stdout.once("data", (d) => {
      clearTimeout(timer);
      resolve(`:${d.toString().trim()}`);
    });
    proc.child.once("exit", (code) =>
      reject(new Error(`Xvfb exited with ${code}: ${proc.log.join("")}`)),
    );
  });
  return { proc, display };
}

async function waitForDriver(port, driver) {
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    if (driver.child.exitCode !== null)
      throw new Error(`tauri-driver exited: ${driver.log.join("")}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/status`);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await sleep(100);
  }
  throw new Error(
    `tauri-driver did not answer on port ${port}: ${driver.log.join("")}`,
  );
}

/**
 * A new HOME for one run of the app: its own XDG folders, vault folder and dialog folder,
 * so tests never touch the user's data and leave nothing behind.
 */
function freshHome({ vaultDir, realDialogs, extraEnv }) {
  const home = mkdtempSync(path.join(tmpdir(), "packplan-e2e-"));
  const vault = vaultDir ?? path.join(home, "vault");
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_DATA_HOME: path.join(home, "data"),
    XDG_CONFIG_HOME: path.join(home, "config"),
    XDG_CACHE_HOME: path.join(home, "cache"),
    XDG_RUNTIME_DIR: path.join(home, "run"),
    TMPDIR: path.join(home, "tmp"),
    LANG: "C.UTF-8",
    NO_AT_BRIDGE: "1",
    GDK_BACKEND: "x11",
  };
  // Debug builds answer native file dialogs from this folder (src-tauri/desktop/dialog.rs),
  // unless the test drives the real GTK dialogs itself (with xdotool, on `app.display`).
  if (!realDialogs) env.PACKPLAN_TEST_DIALOG_DIR = path.join(home, "dialog");
  // Debug builds also hold named steps for tests (PACKPLAN_HOLD_AT, src-tauri/core/src/testpoint.rs).
  Object.assign(env, extraEnv);
  for (const dir of ["data", "config", "cache", "run", "tmp", "dialog"])
    mkdirSync(path.join(home, dir), { mode: 0o700 });
  return { home, vault, env };
}

/**
 * Xvfb and tauri-driver for one run, and a WebDriver session request for `binary`.
 * Resolves to { stage, browser? , error? }: the caller owns `stage` and must `stopStage` it.
 */
async function startStage(binary, vault, env, { sessionTimeout } = {}) {
  for (const [what, file] of [
    ["the app binary", binary],
    ["tauri-driver", tauriDriver],
  ]) {
    if (!existsSync(file))
      throw new Error(
        `${what} is missing at ${file}; run 'make test' (or 'make setup build') first`,
      );
  }
  const stage = { xvfb: null, driver: null, browser: null };
  stage.xvfb = await startXvfb(env);
  env.DISPLAY = stage.xvfb.display;
  const port = await freePort();
  const nativePort = await freePort();
  stage.driver = startGroup(
    tauriDriver,
    ["--port", String(port), "--native-port", String(nativePort)],
    env,
    "tauri-driver",
  );
  await waitForDriver(port, stage.driver);
  stage.session = remote({
    hostname: "127.0.0.1",
    port,
    logLevel: "error",
    connectionRetryCount: 0,
    ...(sessionTimeout ? { connectionRetryTimeout: sessionTimeout } : {}),
    capabilities: {
      "wdio:enforceWebDriverClassic": true,
      "tauri:options": { application: binary, args: ["--vault", vault] },
    },
  }).then((browser) => (stage.browser = browser));
  return stage;
}

/** Ends the session and kills every process the stage started. */
async function stopStage(stage) {
  if (stage.browser) {
    try {
      await stage.browser.deleteSession();
    } catch {
      /* the session may already be gone */
    }
  }
  killGroup(stage.driver, "SIGINT");
  if (!(await waitExit(stage.driver, 3000))) killGroup(stage.driver, "SIGKILL");
  killGroup(stage.driver, "SIGKILL"); // the app and WebKitWebDriver share the driver's group
  killGroup(stage.xvfb?.proc, "SIGTERM");
  if (!(await waitExit(stage.xvfb?.proc, 3000)))
    killGroup(stage.xvfb?.proc, "SIGKILL");
}

/**
 * Runs `body(app)` against a freshly started Packplan window.
 * `app.browser` is the WebdriverIO browser; `app.vaultDir` the app's vault folder;
 * `app.screenshot(name)` saves target/e2e/<name>.png; `app.dialogDir` answers the
 * native file dialogs (debug builds only).
 * `binary` starts another program in Packplan's place (the memory benchmark's bare window).
 * `afterExit(home)`, if given, runs once `body` has succeeded and the app, its webview
 * and the display are stopped, before the temporary HOME is removed: a scan of the
 * files the app wrote then sees them final, not half-written caches that vanish.
 */
export async function withApp(
  body,
  {
    vaultDir,
    realDialogs = false,
    extraEnv = {},
    afterExit,
    binary = appBinary,
  } = {},
) {
  const { home, vault, env } = freshHome({ vaultDir, realDialogs, extraEnv });
  let stage;
  let succeeded = false;
  try {
    stage = await startStage(binary, vault, env);
    await stage.session;
    const browser = stage.browser;
    mkdirSync(screenshotDir, { recursive: true });
    const app = {
      browser,
      vaultDir: vault,
      home,
      /** The app's environment (DISPLAY, XDG folders), for tools a test runs beside it. */
      env,
      /** Where saves land, and where `open.txt` names the file an Open dialog picks. */
      dialogDir: path.join(home, "dialog"),
      async screenshot(name) {
        const file = path.join(screenshotDir, `${name}.png`);
        await browser.executeAsync((done) =>
          requestAnimationFrame(() => requestAnimationFrame(() => done())),
        );
        captureDisplay(env, file);
        return file;
      },
    };
    await body(app);
    succeeded = true;
  } catch (error) {
    if (stage?.browser) {
      try {
        captureDisplay(env, path.join(screenshotDir, "failure.png"));
      } catch {
        /* the window may be gone */
      }
    }
    if (stage?.driver)
      error.message += `\n--- tauri-driver log (tail) ---\n${stage.driver.log.slice(-30).join("")}`;
    throw error;
  } finally {
    if (stage) await stopStage(stage);
    try {
      if (succeeded && afterExit) await afterExit(home);
    } finally {
      if (!process.env.PACKPLAN_E2E_KEEP)
        rmSync(home, { recursive: true, force: true });
    }
  }
}

/**
 * Saves what the app's display shows (its window fills the screen) to `file` as a PNG.
 * The picture comes from X (ImageMagick's `import`), not from WebDriver: the window draws
 * without hardware acceleration (src-tauri/desktop/mod.rs), and WebKitWebDriver's
 * screenshot then waits for a composited frame that an idle page never paints.
 */
function captureDisplay(env, file) {
  execFileSync("import", ["-window", "root", file], {
    env: { PATH: process.env.PATH, DISPLAY: env.DISPLAY, HOME: env.HOME },
    stdio: ["ignore", "ignore", "pipe"],
    timeout: 30_000,
  });
}

/**
 * Starts `binary` as tauri-driver starts it for a test (TAURI_WEBVIEW_AUTOMATION=true), asks
 * for a WebDriver session, and watches the display. Resolves to
 * { session: did a session attach, window: did a "Packplan" window appear, outcome, log }.
 * A build that refuses automation opens its window and gives no session.
 */
export async function trySession(binary, { waitMs = 30000 } = {}) {
  const { home, vault, env } = freshHome({ extraEnv: {} });
  let stage;
  let window = false;
  try {
    stage = await startStage(binary, vault, env, { sessionTimeout: waitMs });
    const outcome = stage.session.then(
      () => "session",
      (e) => `no session: ${e.message.split("\n")[0]}`,
    );
    const deadline = Date.now() + waitMs;
    let result = null;
    outcome.then((r) => (result = r));
    while (result === null && Date.now() < deadline) {
      if (!window) window = packplanWindowShown(env);
      await sleep(250);
    }
    if (!window) window = packplanWindowShown(env);
    return {
      session: result === "session",
      window,
      outcome:
        result === "session"
          ? "a session attached: WebDriver can drive this binary"
          : (result ?? `no session within ${waitMs / 1000} s`),
      log: stage.driver.log.join(""),
    };
  } finally {
    if (stage) await stopStage(stage);
    rmSync(home, { recursive: true, force: true });
  }
}

/** True when a visible window titled "Packplan" is on the app's display. */
function packplanWindowShown(env) {
  try {
    return (
      execFileSync(
        "xdotool",
        ["search", "--onlyvisible", "--name", "^Packplan$"],
        { env, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] },
      ).trim().length > 0
    );
  } catch {
    return false; // xdotool exits 1 when nothing matches
  }
}

/**
 * A named test point of the app (debug builds; src-tauri/core/src/testpoint.rs): pass
 * `point.env` as `extraEnv` to `withApp`, and work that reaches the point waits there
 * until the test calls `point.release()`, every time it passes. `await point.reached()`
 * waits until work is held there; `point.isHeld()` says whether it still is.
 */
export function testPoint(name) {
  const dir = mkdtempSync(path.join(tmpdir(), "packplan-hold-"));
  const held = path.join(dir, `${name}.held`);
  return {
    env: { PACKPLAN_HOLD_AT: name, PACKPLAN_HOLD_DIR: dir },
    isHeld: () => existsSync(held),
    async reached(timeout = 30000) {
      const deadline = Date.now() + timeout;
      while (!existsSync(held)) {
        if (Date.now() > deadline)
          throw new Error(`the app never reached the test point ${name}`);
        await sleep(50);
      }
    },
    release() {
      writeFileSync(path.join(dir, `${name}.release`), "");
    },
  };
}

/** The passphrase every end-to-end test creates its vault with. */
export const PASS = "orbit lantern quietly harbour";

/** Creates the vault on the first-run screen and confirms the recovery code is stored. */
export async function createVault(browser) {
  await waitForText(browser, "#create-title", undefined, 60000);
  await (await browser.$('[data-testid="new-passphrase"]')).setValue(PASS);
  await (
    await browser.$('[data-testid="new-passphrase-again"]')
  ).setValue(PASS);
  await click(browser, "create-vault");
  await waitForText(
    browser,
    '[data-testid="recovery-code"]',
    (t) => t.startsWith("AGE-SECRET-KEY-1"),
    60000,
  );
  await click(browser, "recovery-stored");
  await click(browser, "recovery-done");
}

/** Every regular file under `dir`, recursively (for scans of what the app wrote). */
export function filesUnder(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) out.push(...filesUnder(p));
    else if (st.isFile()) out.push(p);
  }
  return out;
}

/** Waits until `selector` exists and its text satisfies `predicate`; returns the text. */
export async function waitForText(
  browser,
  selector,
  predicate = (t) => t.length > 0,
  timeout = 20000,
) {
  let last = "";
  await browser.waitUntil(
    async () => {
      const el = await browser.$(selector);
      if (!(await el.isExisting())) return false;
      last = await el.getText();
      return predicate(last);
    },
    {
      timeout,
      interval: 100,
      timeoutMsg: `${selector} never showed the expected text (last seen: "${last}")`,
    },
  );
  return last;
}

/** `withApp` with a new vault and the demo loaded, the plan shown: where most specs start. */
export async function withDemo(body, options) {
  return withApp(async (app) => {
    await createVault(app.browser);
    await loadDemo(app.browser);
    await body(app);
  }, options);
}

/** Loads the demo with the Overview's button and waits for the order's plan; returns
 * the order card's text. */
export async function loadDemo(browser, timeout = 60000) {
  await click(browser, "load-demo");
  return waitForText(
    browser,
    '[data-testid="order"]',
    (t) => t.includes("Complete"),
    timeout,
  );
}

/** Clicks the element with `data-testid` = `testid` (see `clickOn`). */
export async function click(browser, testid) {
  return clickOn(browser, `[data-testid="${testid}"]`, testid);
}

/** Clicks the element `selector` finds, once it exists, scrolled to the middle of its
 * scrolling box first: WebKit's own scrolling into view ignores the window's inner
 * scroller (everything between the classification banners), and refuses clicks on
 * what a banner or an overlay scrollbar covers. A screen that redraws between the
 * find and the click (Svelte replacing the element) leaves a stale reference: the
 * element is then found again, up to five times. */
export async function clickOn(browser, selector, name = selector) {
  for (let attempt = 1; ; attempt++) {
    try {
      const element = await browser.$(selector);
      await element.waitForExist({ timeout: 60000 });
      await browser.execute(
        (e) => e.scrollIntoView({ block: "center", inline: "center" }),
        element,
      );
      await element.click();
      return;
    } catch (e) {
      if (attempt < 5 && /stale element/i.test(String(e?.message ?? e))) {
        await browser.pause(200);
        continue;
      }
      e.message = `clicking ${name}: ${e.message}`;
      throw e;
    }
  }
}
