// Proves that a Packplan binary built for users (a package, debug or release) cannot be
// driven by WebDriver: started by tauri-driver, which sets TAURI_WEBVIEW_AUTOMATION=true, its
// window opens and no WebDriver session attaches. (The ephemeral webview follows from the same
// constant, `AUTOMATION_BUILT_IN` in src-tauri/desktop/mod.rs; WebKit's salt files appear under
// XDG_DATA_HOME either way, so files on disk cannot tell the two apart in a short run.) The
// end-to-end suite, run against the build made with `--features webdriver`, is the other half:
// there a session does attach, and this check fails on that build.
//   node tests/e2e/automation-refused.mjs BINARY
// Prints one line per check and ends with "automation: N passed, N failed".
import { trySession } from "./harness.mjs";

const binary = process.argv[2];
if (!binary) {
  console.error(
    "usage: node tests/e2e/automation-refused.mjs BINARY (the packaged packplan)",
  );
  process.exit(2);
}
const run = await trySession(binary, { waitMs: 30000 });
let passed = 0;
let failed = 0;
function check(what, ok, detail) {
  if (ok) {
    passed += 1;
    console.log(`ok   ${what}`);
  } else {
    failed += 1;
    console.log(`FAIL ${what}`);
    if (detail) console.log(`     ${detail}`);
  }
}
check("the window opens under tauri-driver", run.window, run.log.slice(-2000));
check("no WebDriver session attaches to it", !run.session, run.outcome);
console.log(`automation: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
