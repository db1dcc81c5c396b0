#!/usr/bin/env bash
# `make bench`: runs Packplan's benchmarks and writes their figures into docs/performance.md
# (the summary table between <!-- bench:begin --> and <!-- bench:end -->, and the detail
# tables between <!-- bench:NAME:begin --> and <!-- bench:NAME:end -->). Prose stays as written.
#   scripts/bench.sh                        every step (builds the release .deb first; about 15 min)
#   scripts/bench.sh startup memory deb     some steps; rows of the others keep their last figures
#   scripts/bench.sh --no-build startup     measure the release build that is there, without rebuilding
#   scripts/bench.sh --table                only rewrite the tables from the last results
# Steps: deb startup memory import engine charts vault. Results: target/bench/*.json.
# Figures from a busy machine are not figures: run it with nothing else running (each row
# notes the load average as its step started).
set -euo pipefail
cd "$(dirname "$0")/.."

all_steps=(deb startup memory import engine charts vault)
build=1 steps=()
for arg in "$@"; do
  case $arg in
    --no-build) build=0 ;;
    --table) steps=(none) ;;
    -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    deb | startup | memory | import | engine | charts | vault) steps+=("$arg") ;;
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

# The figures, their tables and docs/performance.md: one Python program (stdlib only),
#   collect STEP FILE...   turns a step's raw output into target/bench/STEP.json
#   table                  rewrites the marked blocks of docs/performance.md
py() {
  python3 - "$@" <<'PY'
import datetime, glob, json, os, re, statistics, subprocess, sys

results = os.environ["BENCH_RESULTS"]
criterion = os.environ["BENCH_CRITERION"]
DOC = "docs/performance.md"


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal"))
    return f"{os.cpu_count()} × {cpu}, {mem / 1048576:.0f} GiB"


def meta():
    commit = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True).stdout.strip()
    return {
        "date": datetime.date.today().isoformat(),
        "machine": machine(),
        "nproc": os.cpu_count(),
        "load": float(os.environ.get("BENCH_LOAD") or os.getloadavg()[0]),
        "commit": commit,
    }


def criterion_medians(group):
    """full_id -> median in seconds, for one criterion group's latest run."""
    out = {}
    for est in glob.glob(os.path.join(criterion, "**", "new", "estimates.json"), recursive=True):
        bench = json.load(open(os.path.join(os.path.dirname(est), "benchmark.json")))
        if bench["group_id"] == group:
            out[bench["full_id"]] = json.load(open(est))["median"]["point_estimate"] / 1e9
    if not out:
        sys.exit(f"bench: no criterion results for '{group}' under {criterion}")
    return out


def number(pattern, text, what):
    m = re.search(pattern, text, re.M)
    if not m:
        sys.exit(f"bench: could not read {what} from the benchmark's output")
    return float(m.group(1))


def collect(step, files):
    r = meta()
    if step == "deb":
        deb = files[0]
        installed = subprocess.run(["dpkg-deb", "-f", deb, "Installed-Size"], capture_output=True, text=True, check=True)
        r.update(file=os.path.basename(deb), bytes=os.path.getsize(deb), installed_kib=int(installed.stdout),
                 binary_bytes=os.path.getsize(files[1]))
    elif step in ("startup", "memory"):
        r.update(json.load(open(files[0])))
    elif step == "import":
        text = open(files[0]).read()
        r.update(
            rows=int(number(r"bundle: (\d+) capacity rows", text, "the row count")),
            csv_mib=number(r"([\d.]+) MiB plaintext", text, "the bundle size"),
            age_s=number(r"`age -d` of the bundle \| ([\d.]+) s", text, "age -d"),
            stage_s=number(r"\(stage\) \| ([\d.]+) s", text, "the stage time"),
            apply_s=number(r"apply in one transaction.*\| ([\d.]+) s", text, "the apply time"),
            total_s=number(r"import total \| ([\d.]+) s", text, "the total"),
        )
    elif step == "engine":
        r.update(deterministic=criterion_medians("deterministic"), monte_carlo=criterion_medians("monte carlo"))
    elif step == "charts":
        r.update(charts=criterion_medians("chart export 1600x900"))
    elif step == "vault":
        text = open(files[0]).read()
        for variant in ("OFF", "ON"):
            insert, scan, peak = (float(x) for x in re.search(rf"^{variant}\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", text, re.M).groups())
            r[variant] = {"insert_ms": insert, "scan_ms": scan, "peak_mib": peak}
    json.dump(r, open(os.path.join(results, f"{step}.json"), "w"), indent=1)


# --- formatting ------------------------------------------------------------------------
def secs(s, unit=True):
    """A time, readable: 43 µs, 5.0 ms, 273 ms, 1.12 s, 21.7 s."""
    for scale, name in ((1e-6, "µs"), (1e-3, "ms"), (1, "s")):
        v = s / scale
        if v < 999.5 or name == "s":
            if name == "s":
                text = f"{v:.2f}" if v < 10 else f"{v:.1f}"
            else:
                text = f"{v:.1f}" if v < 10 else f"{v:.0f}"
            return f"{text} {name}" if unit else (text, name)


def span(values):
    """The range of some times, in the unit of the largest: 1.2–6.3 ms."""
    hi, unit = secs(max(values), unit=False)
    scale = {"µs": 1e-6, "ms": 1e-3, "s": 1}[unit]
    lo = min(values) / scale
    digits = 0 if lo >= 10 else 2 if unit == "s" else 1
    return f"{lo:.{digits}f}–{hi} {unit}"


def mib(kib):
    return f"{kib / 1024:,.0f} MiB"


def thousands(n):
    """A rate to three significant digits: 46,100."""
    return f"{float(f'{n:.3g}'):,.0f}"


def load(step):
    path = os.path.join(results, f"{step}.json")
    return json.load(open(path)) if os.path.exists(path) else None


# --- the summary table: (measure, step, figure, target, how) ----------------------------
def summary_rows():
    rows = []
    s = load("startup")
    if s:
        painted = [r["painted_ms"] for r in s["runs"]]
        rows.append(("Cold start to the first screen", s,
            f"{s['painted_ms'] / 1000:.2f} s (window mapped {s['window_ms'] / 1000:.2f} s, first content "
            f"{s['content_ms'] / 1000:.2f} s; runs {min(painted) / 1000:.2f}–{max(painted) / 1000:.2f} s)",
            "none stated",
            f"`tests/e2e/bench/startup.py`: the release binary under Xvfb with a new, empty vault; from exec until "
            f"Xvfb's framebuffer shows the settled first-run screen; median of {len(s['runs'])}"))
    m = load("memory")
    if m:
        demo = m["runs"][len(m["runs"]) // 2]["demo"]["processes"] if m["runs"] else []
        parts = ", ".join(f"{p['name']} {mib(p['rss_kib'])}" for p in demo)
        pss = f"; PSS {mib(m['demo_pss_kib'])}" if m.get("demo_pss_kib") else ""
        rows.append(("Memory with the demo loaded, overview shown", m,
            f"RSS {mib(m['demo_rss_kib'])}{pss} ({parts}; with the empty vault: RSS {mib(m['empty_rss_kib'])})",
            "none stated",
            "`tests/e2e/bench/memory.mjs`: the release app driven through WebDriver creates a vault, loads the demo "
            "with the button, shows the overview; then VmRSS (and PSS) of packplan and its WebKit processes, summed; "
            f"median of {len(m['runs'])}"))
    d = load("deb")
    if d:
        rows.append(("The `.deb`", d,
            f"{d['bytes'] / 1e6:.1f} MB; installed {d['installed_kib'] * 1024 / 1e6:.1f} MB "
            f"(the binary {d['binary_bytes'] / 1e6:.1f} MB)",
            "none stated",
            "`make package` (release: stripped, LTO); file size, and the package's Installed-Size"))
    i = load("import")
    if i:
        rows.append(("Import of 1,000,000 capacity rows", i,
            f"{secs(i['total_s'])} ({thousands(i['rows'] / i['total_s'])} rows/s; stage {secs(i['stage_s'])}, "
            f"apply {secs(i['apply_s'])}); `age -d` of the same file {secs(i['age_s'])}",
            "none stated",
            f"`cargo bench -p packplan-core --bench import_million`: a signed, encrypted bundle ({i['csv_mib']:.0f} MiB "
            "of CSV) into a new vault; one run"))
    e = load("engine")
    if e:
        det, mc = e["deterministic"], e["monte_carlo"]
        rows.append(("Deterministic solve, demo, 60 months", e,
            f"{secs(det['deterministic/build+solve/60'])} ({secs(det['deterministic/build+solve+shadow prices/60'])} "
            f"with shadow prices; slider preview {secs(det['deterministic/follow plan (slider preview)/60'])})",
            "at most 20 ms",
            "`cargo bench -p packplan-core --bench engine` (criterion median): build + solve the LP"))
        t = mc["monte carlo/trials, 60 months/10000"]
        rows.append(("Monte Carlo, 10,000 trials, demo, 60 months", e,
            f"{secs(t)} ({thousands(10000 / t)} trials/s; 1,000 trials {secs(mc['monte carlo/trials, 60 months/1000'])})",
            "at most 2 s, aiming under 1 s",
            "same bench: the whole run (solve, sampling tables, trials on every core, percentiles)"))
    c = load("charts")
    if c:
        png = {k: v for k, v in c["charts"].items() if k.endswith(" png")}
        svg = {k: v for k, v in c["charts"].items() if k.endswith(" svg")}
        slow = max(png, key=png.get)
        name = slow.split("/", 1)[1][: -len(" png")]
        rows.append((f"Chart export, 1600 × 900, {len(png)} charts", c,
            f"PNG {span(png.values())} per chart (slowest: {name}); SVG {span(svg.values())}",
            "a PNG in at most 150 ms",
            "`cargo bench -p packplan-core --bench chart_export` (criterion median per chart)"))
    v = load("vault")
    if v:
        rows.append(("Vault: insert 50,000 rows in one transaction", v,
            f"{v['OFF']['insert_ms']:,.0f} ms ({v['ON']['insert_ms']:,.0f} ms with `cipher_memory_security=ON`); "
            f"peak RSS {v['OFF']['peak_mib']:.0f} MiB",
            "none stated",
            "`cargo bench -p packplan-core --bench vault_memory_security`; one run per setting"))
    return rows


ORDER = ["Cold start", "Memory", "The `.deb`", "Import", "Deterministic", "Monte Carlo", "Chart export", "Vault"]


def summary(old_block):
    """The summary table; rows of steps with no results keep their old line."""
    old = {}
    for line in old_block.splitlines():
        if line.startswith("| ") and not line.startswith("| Measure"):
            old[line.split("|")[1].strip()] = line
    fresh = {measure: f"| {measure} | {fig} | {tgt} | {how} | {r['date']} | {r['machine']}; load {r['load']:.1f} |"
             for measure, r, fig, tgt, how in summary_rows()}
    lines = ["| Measure | Figure | Target | How measured | Date | Machine |", "|---|---|---|---|---|---|"]
    for prefix in ORDER:
        row = next((l for k, l in fresh.items() if k.startswith(prefix)), None) or next(
            (l for k, l in old.items() if k.startswith(prefix)), None)
        if row:
            lines.append(row)
    return "\n".join(lines)


# --- detail tables -----------------------------------------------------------------------
def engine_details():
    e = load("engine")
    if not e:
        return None
    det, mc = e["deterministic"], e["monte_carlo"]
    d = lambda what, months: secs(det[f"deterministic/{what}/{months}"])
    rows = [
        ("Deterministic solve (build + solve), 60 months", d("build+solve", 60), "at most 20 ms"),
        ("... with shadow prices (dual solve) for the bottleneck timeline", d("build+solve+shadow prices", 60), ""),
        ("... 24 months", f"{d('build+solve', 24)} ({d('build+solve+shadow prices', 24)} with shadow prices)", ""),
        ("Plan-following evaluation (the live preview while dragging a slider), 60 months",
         d("follow plan (slider preview)", 60), ""),
    ] + [
        ("Scenario draft (the slider round trip: solve, bottlenecks, units chart), 60 months",
         d("scenario draft (slider round trip)", 60), "")
        for _ in [1] if "deterministic/scenario draft (slider round trip)/60" in det
    ] + [
        ("Monte Carlo, 10,000 trials, 60 months (whole run: solve, sampling tables, trials, percentiles)",
         secs(mc["monte carlo/trials, 60 months/10000"]), "at most 2 s, aiming under 1 s"),
        ("Monte Carlo, 1,000 trials, 60 months", secs(mc["monte carlo/trials, 60 months/1000"]), ""),
        ("Monte Carlo, 10,000 trials, 24 months", secs(mc["monte carlo/10000 trials, 24 months"]), ""),
    ]
    return "\n".join([f"Criterion medians, {e['date']}.", "", "| What | Figure | Target |", "|---|---|---|"]
                     + [f"| {a} | {b} | {c} |" for a, b, c in rows])


def chart_details():
    c = load("charts")
    if not c:
        return None
    names = sorted({k.split("/", 1)[1].rsplit(" ", 1)[0] for k in c["charts"]})
    g = lambda n, f: secs(c["charts"][f"chart export 1600x900/{n} {f}"])
    return "\n".join([f"Criterion medians, {c['date']}.", "", "| Chart | PNG | SVG |", "|---|---|---|"]
                     + [f"| {n} | {g(n, 'png')} | {g(n, 'svg')} |" for n in names])


def import_details():
    i = load("import")
    if not i:
        return None
    return "\n".join([
        f"One measured run, {i['date']}.", "", "| What | Time |", "|---|---|",
        f"| `age -d` of the same file (output discarded) | {secs(i['age_s'])} |",
        f"| Packplan stage: decrypt, check the archive and signature, validate every row, diff against the vault | {secs(i['stage_s'])} |",
        f"| Packplan apply: insert in one transaction, dataset record, ratchet, audit entry | {secs(i['apply_s'])} |",
        f"| Packplan import total | {secs(i['total_s'])} ({thousands(i['rows'] / i['total_s'])} rows/s) |",
    ])


def table():
    text = open(DOC).read()
    blocks = {"": summary, "engine": lambda _: engine_details(), "charts": lambda _: chart_details(),
              "import": lambda _: import_details()}
    for name, make in blocks.items():
        tag = f"bench:{name}:" if name else "bench:"
        m = re.search(rf"(<!-- {tag}begin -->\n)(.*?)(<!-- {tag}end -->)", text, re.S)
        if not m:
            sys.exit(f"bench: {DOC} has no <!-- {tag}begin --> ... <!-- {tag}end --> block")
        new = make(m.group(2))
        if new is not None:
            text = text[: m.start(2)] + new + "\n" + text[m.end(2):]
    open(DOC, "w").write(text)


if sys.argv[1] == "collect":
    collect(sys.argv[2], sys.argv[3:])
else:
    table()
PY
}
export BENCH_RESULTS=$results BENCH_CRITERION=$target/criterion

say "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
if ((build)) && { wants deb || wants startup || wants memory; }; then
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
  PACKPLAN_APP=$(realpath "$app") node tests/e2e/bench/memory.mjs 3 >"$results/memory.raw"
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
