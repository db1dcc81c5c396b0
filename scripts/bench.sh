#!/usr/bin/env bash
# `make bench`: runs Packplan's benchmarks and writes their figures into docs/performance.md
# (the summary table between <!-- bench:begin --> and <!-- bench:end -->, and the detail
# tables between <!-- bench:NAME:begin --> and <!-- bench:NAME:end -->). Prose stays as written.
#   scripts/bench.sh                        every step (builds the release .deb first; about 15 min)
#   scripts/bench.sh startup memory deb     some steps; rows of the others keep their last figures
#   scripts/bench.sh --no-build startup     measure the release build that is there, without rebuilding
#   scripts/bench.sh --table                only rewrite the tables from the last results
# Steps: deb startup memory import workbook engine charts vault. Results: target/bench/*.json.
# Figures from a busy machine are not figures: run it with nothing else running (each row
# notes the load average as its step started).
set -euo pipefail
cd "$(dirname "$0")/.."

all_steps=(deb startup memory import workbook engine charts vault)
build=1 steps=()
for arg in "$@"; do
  case $arg in
    --no-build) build=0 ;;
    --table) steps=(none) ;;
    -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    deb | startup | memory | import | workbook | engine | charts | vault) steps+=("$arg") ;;
    *) echo "bench: unknown step '$arg'; the steps are: ${all_steps[*]}" >&2; exit 2 ;;
  esac
done
((${#steps[@]})) || steps=("${all_steps[@]}")
[ "${steps[0]}" = none ] && steps=()

target=${CARGO_TARGET_DIR:-target}
results=$target/bench
mkdir -p "$results"
app=$target/release/packplan
say() { printf '==> %s\n' "$*" >&2; }
wants() { # wants STEP: true if STEP is to run; notes the load average as the step starts
  local s
  for s in "${steps[@]}"; do
    if [ "$s" = "$1" ]; then BENCH_LOAD=$(cut -d' ' -f1 /proc/loadavg); export BENCH_LOAD; return 0; fi
  done
  return 1
}

# The figures, their tables and docs/performance.md: scripts/bench_table.py (stdlib only),
#   collect STEP FILE...   turns a step's raw output into target/bench/STEP.json
#   table                  rewrites the marked blocks of docs/performance.md
py() { python3 scripts/bench_table.py "$@"; }
export BENCH_RESULTS=$results BENCH_CRITERION=$target/criterion

say "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
if ((build)) && { wants deb || wants startup; }; then
  say "building the release .deb (scripts/package.sh; log in $results/package.log)"
  scripts/package.sh >"$results/package.log" 2>&1 || { tail -30 "$results/package.log" >&2; exit 1; }
fi
if wants deb; then
  say "deb"
  py collect deb "$(ls "$target/release/bundle/deb/"*.deb)" "$app"
fi
if wants startup; then
  say "startup: cold start to the first screen, 5 runs"
  python3 tests/e2e/bench/startup.py --app "$app" --runs 5 --screenshot "$results/startup.png" >"$results/startup.raw"
  py collect startup "$results/startup.raw"
fi
if wants memory; then
  say "memory: the demo loaded and the overview shown, 3 runs"
  [ -x .tools/bin/tauri-driver ] || scripts/setup.sh
  # Release builds refuse WebDriver, so the app and its yardstick (a bare Tauri window, the
  # example bare-window) are built in the profile bench-window: optimised, with debug
  # assertions and the webdriver feature (Cargo.toml).
  say "memory: building the app and a bare Tauri window (profile bench-window)"
  cargo build --locked --profile bench-window --features webdriver --bin packplan --example bare-window \
    2>"$results/bench-window.log" || { tail -30 "$results/bench-window.log" >&2; exit 1; }
  PACKPLAN_APP=$(realpath "$target/bench-window/packplan") \
    PACKPLAN_BARE_APP=$(realpath "$target/bench-window/examples/bare-window") \
    node tests/e2e/bench/memory.mjs 3 >"$results/memory.raw"
  py collect memory "$results/memory.raw"
fi
bench() { # bench NAME: cargo bench of packplan-core, output kept in target/bench/NAME.txt
  cargo bench --locked -p packplan-core --bench "$1" 2>"$results/$1.err" | tee "$results/$1.txt" >&2 \
    || { tail -30 "$results/$1.err" >&2; exit 1; }
}
if wants import; then
  say "import: one million rows (about a minute)"
  bench import_million
  py collect import "$results/import_million.txt"
fi
if wants workbook; then
  say "workbook: a 100,000-row workbook as the user's own file"
  bench import_workbook
  py collect workbook "$results/import_workbook.txt"
fi
if wants engine; then
  say "engine: deterministic solve and Monte Carlo (criterion)"
  bench engine
  py collect engine
fi
if wants charts; then
  say "charts: export of every chart (criterion)"
  bench chart_export
  py collect charts
fi
if wants vault; then
  say "vault: cipher_memory_security off and on"
  bench vault_memory_security
  py collect vault "$results/vault_memory_security.txt"
fi
py table
say "wrote the tables of docs/performance.md (results in $results/)"
