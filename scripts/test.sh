#!/usr/bin/env bash
# `make test`: every check Packplan has, after the set-up. Runs them all even when
# one fails, and ends with one line a CI log reader understands: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never NO_COLOR=1 FORCE_COLOR=0

scripts/setup.sh || { echo "setup failed"; echo "total: 0 passed, 1 failed"; exit 1; }

target=${CARGO_TARGET_DIR:-target}
logs="$target/test-logs"
mkdir -p "$logs"
passed=0 failed=0 failures=()

# run NAME KIND CMD...: KIND says how to count the step's tests from its output.
run() {
  local name=$1 kind=$2; shift 2
  local log="$logs/$name.log" p=0 f=0 rc
  printf '\n==> %s: %s\n' "$name" "$*"
  "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  case $kind in
    cargo)  p=$(grep -Eo '^test result: .* ([0-9]+) passed' "$log" | grep -Eo '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
            f=$(grep -Eo '^test result: .* ([0-9]+) failed' "$log" | grep -Eo '[0-9]+ failed' | awk '{s+=$1} END {print s+0}') ;;
    vitest) p=$(grep -E '^ +Tests ' "$log" | grep -Eo '[0-9]+ passed' | grep -Eo '[0-9]+' | head -1)
            f=$(grep -E '^ +Tests ' "$log" | grep -Eo '[0-9]+ failed' | grep -Eo '[0-9]+' | head -1) ;;
    node)   p=$(grep -E '^ℹ pass ' "$log" | awk '{s+=$3} END {print s+0}')
            f=$(grep -E '^ℹ fail ' "$log" | awk '{s+=$3} END {print s+0}') ;;
    # plain: every "name: N passed, N failed" line the step printed (one per script it ran), summed.
    plain)  p=$(grep -E '^[a-z-]*:? ?[0-9]+ passed, [0-9]+ failed$' "$log" | grep -Eo '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
            f=$(grep -E '^[a-z-]*:? ?[0-9]+ passed, [0-9]+ failed$' "$log" | grep -Eo '[0-9]+ failed' | awk '{s+=$1} END {print s+0}') ;;
    unittest) local ran; ran=$(grep -Eo '^Ran [0-9]+ test' "$log" | grep -Eo '[0-9]+' | tail -1)
            f=$(grep -E '^FAILED \(' "$log" | grep -Eo '(failures|errors)=[0-9]+' | grep -Eo '[0-9]+' | awk '{s+=$1} END {print s+0}')
            p=$(( ${ran:-0} - ${f:-0} )) ;;
    check)  p=1 ;;
  esac
  p=${p:-0} f=${f:-0}
  # A step that exits non-zero fails even if it printed no failing test.
  if [ "$rc" -ne 0 ]; then
    [ "$f" -eq 0 ] && f=1
    [ "$kind" = check ] && p=0
    failures+=("$name")
  fi
  passed=$((passed + p)) failed=$((failed + f))
  printf '<== %s: %s passed, %s failed (exit %s)\n' "$name" "$p" "$f" "$rc"
}

run ui-build       check  bash -c 'cd ui && npm run --silent build'
run rust-format    check  cargo fmt --all --check
run ui-format      check  bash -c 'cd ui && npm run --silent format:check'
run ui-typecheck   check  bash -c 'cd ui && npm run --silent check'
run ui-unit        vitest bash -c 'cd ui && npx vitest run'
run scripts-unit   unittest python3 -m unittest discover -s scripts -p 'test_*.py'
run clippy         check  cargo clippy --workspace --all-targets --locked -- -D warnings
# The tests and the app the e2e suite drives are built with the `webdriver` feature (so the
# app is built once); the package step's binary is built without it and must refuse WebDriver.
run cargo-test     cargo  cargo test --workspace --locked --no-fail-fast --features packplan/webdriver
run app-build      check  cargo build --locked --features packplan/webdriver
run e2e            node   bash -c 'cd tests/e2e && npm test'
# The same suite in a network namespace that has only loopback: the app needs no network.
# (root: a plain network namespace; otherwise an unprivileged user namespace maps us to root in it.)
offline=(unshare -n); [ "$(id -u)" -eq 0 ] || offline=(unshare -rn)
run e2e-offline    node   "${offline[@]}" sh -c 'ip link set lo up && cd tests/e2e && npm test'
# The release folder (debug build): .deb and .rpm inspected, SBOMs against cargo tree, signed
# SHA256SUMS accepted by minisign and packplan verify-release, tampering refused.
run package        plain  scripts/package.sh --debug
# The source release builds the app and its packages inside a loopback-only namespace.
run offline-build  plain  tests/package/offline-build.sh

echo
if ((${#failures[@]})); then echo "failed steps: ${failures[*]} (logs in $logs/)"; fi
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
