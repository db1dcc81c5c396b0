#!/usr/bin/env bash
# Runs the fuzz targets (fuzz/, cargo-fuzz + libFuzzer, nightly toolchain) for a
# while each, one after the other on one core, then minimises each corpus.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     (default: 900 s each, every target)
#   scripts/fuzz.sh 60 model_input            a one-minute run of one target
#   scripts/fuzz.sh 0                         only minimise the corpora
#
# Targets: bundle_open, csv_tables, model_input, workbook (docs/security.md, "Fuzzing").
# The corpora are fuzz/corpus/<target>/ (committed; `cargo test -p packplan-core
# --test fuzz_corpus` replays them on stable). A crash is saved under
# fuzz/artifacts/<target>/ and stops the run: fix the bug, copy the input to
# fuzz/regressions/<target>/ and run again. Logs: fuzz/target/logs/<target>.log.
# The seeds (small valid inputs from assets/demo) are rewritten by
# `cargo test -p packplan-core --test fuzz_corpus -- --ignored write_seeds`.
# Needs: rustup's nightly toolchain and `cargo install cargo-fuzz --locked`.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-900}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(bundle_open csv_tables model_input workbook)
fi
case $seconds in
  '' | *[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]" >&2; exit 2 ;;
esac

fuzz=(cargo +nightly fuzz)
# The committed corpora stay small: above this many bytes per target, keep the inputs
# that cover the most code edges per byte (greedy), up to it, and report the share kept.
budget=${FUZZ_CORPUS_BYTES:-700000}
binaries=fuzz/target/$(rustc -vV | sed -n 's/^host: //p')/release

trim() {
  local target=$1 corpus=$2 work
  [ "$(du -s --apparent-size --block-size=1 "$corpus" | cut -f1)" -gt "$budget" ] || return 0
  work=$(mktemp -d)
  mkdir "$work/out"
  "$binaries/$target" -merge=1 -use_counters=0 -merge_control_file="$work/control" "$work/out" "$corpus"
  python3 - "$work/control" "$budget" >"$work/keep" <<'PY'
import heapq, os, sys
lines = open(sys.argv[1]).read().split("\n")
budget, n = int(sys.argv[2]), int(lines[0])
paths = lines[2 : 2 + n]
features = {int(l.split()[1]): set(l.split()[2:]) for l in lines[2 + n :] if l.startswith("FT ")}
size = {i: os.path.getsize(paths[i]) for i in features}
total = set().union(*features.values())
covered, used = set(), 0
gain = lambda i: len(features[i] - covered) / (size[i] + 200)  # 200: a file's own cost
heap = [(-gain(i), i) for i in features]
heapq.heapify(heap)
while heap:  # lazy greedy: a gain only falls as more is covered
    _, i = heapq.heappop(heap)
    g = gain(i)
    if g == 0 or used + size[i] > budget:
        continue
    if heap and g < -heap[0][0]:
        heapq.heappush(heap, (-g, i))
        continue
    covered |= features[i]
    used += size[i]
    print(paths[i])
print(f"trim: kept {used} bytes covering {len(covered)} of {len(total)} edges", file=sys.stderr)
PY
  find "$corpus" -type f | sort | comm -23 - <(sort "$work/keep") | xargs -r rm --
  rm -r "$work"
}
common=(--fuzz-dir fuzz --target-dir fuzz/target)
mkdir -p fuzz/target/logs

for target in "${targets[@]}"; do
  corpus=fuzz/corpus/$target
  log=fuzz/target/logs/$target.log
  [ "$seconds" -gt 0 ] || log=fuzz/target/logs/$target-cmin.log
  mkdir -p "$corpus" "fuzz/artifacts/$target"
  # Inputs stay near the size of the seeds (kept small, so the corpus stays small).
  case $target in
    bundle_open) max_len=16384 ;;
    model_input) max_len=12288 ;;
    *) max_len=8192 ;;
  esac
  if [ "$seconds" -gt 0 ]; then
    echo "== $target: fuzzing for $seconds s (corpus $(ls "$corpus" | wc -l) files), log $log"
    # One process (one core); every input must return within 10 s and 2 GiB.
    "${fuzz[@]}" run "${common[@]}" "$target" "$corpus" -- \
      -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      >"$log" 2>&1 || {
      echo "!! $target found a problem; see $log and fuzz/artifacts/$target/" >&2
      grep -E '^(==[0-9]+== ?ERROR|ALARM|SUMMARY|thread .* panicked|artifact_prefix|Test unit written)' "$log" | head -n 20 >&2
      exit 1
    }
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$log" || true
  fi
  echo "== $target: minimising the corpus"
  "${fuzz[@]}" cmin "${common[@]}" "$target" "$corpus" >>"$log" 2>&1
  trim "$target" "$corpus" >>"$log" 2>&1
  echo "   $(find "$corpus" -type f -printf '%s\n' | awk '{n++; s+=$1} END {printf "%d files, %d bytes", n, s}')"
done
