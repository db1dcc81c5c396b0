#!/usr/bin/env python3
"""The figures of `make bench` (scripts/bench.sh), their tables and docs/performance.md.

    bench_table.py collect STEP FILE...   turns a step's raw output into $BENCH_RESULTS/STEP.json
    bench_table.py table                  rewrites the marked blocks of docs/performance.md

Standard library only. BENCH_RESULTS (default target/bench) is where the results are,
BENCH_CRITERION (default target/criterion) where criterion wrote its estimates.
Tested by scripts/test_bench_table.py (`python3 -m unittest discover -s scripts`).
"""

import datetime, glob, json, os, re, subprocess, sys

results = os.environ.get("BENCH_RESULTS", "target/bench")
criterion = os.environ.get("BENCH_CRITERION", "target/criterion")
DOC = "docs/performance.md"


def read_text(path):
    with open(path) as f:
        return f.read()


def write_text(path, text):
    with open(path, "w") as f:
        f.write(text)


def read_json(path):
    return json.loads(read_text(path))


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in read_text("/proc/cpuinfo").splitlines() if l.startswith("model name")), "?")
    mem = next(int(l.split()[1]) for l in read_text("/proc/meminfo").splitlines() if l.startswith("MemTotal"))
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
        bench = read_json(os.path.join(os.path.dirname(est), "benchmark.json"))
        if bench["group_id"] == group:
            out[bench["full_id"]] = read_json(est)["median"]["point_estimate"] / 1e9
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
        r.update(read_json(files[0]))
    elif step == "import":
        text = read_text(files[0])
        r.update(
            rows=int(number(r"bundle: (\d+) capacity rows", text, "the row count")),
            csv_mib=number(r"([\d.]+) MiB plaintext", text, "the bundle size"),
            age_s=number(r"`age -d` of the bundle \| ([\d.]+) s", text, "age -d"),
            stage_s=number(r"\(stage\) \| ([\d.]+) s", text, "the stage time"),
            apply_s=number(r"apply in one transaction.*\| ([\d.]+) s", text, "the apply time"),
            total_s=number(r"import total \| ([\d.]+) s", text, "the total"),
            sqlite_s=number(r"`sqlite3 \.import` of the CSV into a plain table \| ([\d.]+) s", text, "sqlite3 .import"),
            shaped_s=number(r"`sqlite3 \.import` into the vault's table, unencrypted \| ([\d.]+) s", text,
                            "sqlite3 .import into the vault's table"),
            peak_mib=number(r"Peak memory of the import \(VmHWM\) \| ([\d.]+) MiB", text, "the peak memory"),
            bundle_mib=number(r"([\d.]+) MiB encrypted", text, "the bundle's size"),
        )
    elif step == "workbook":
        text = read_text(files[0])
        r.update(
            rows=int(number(r"workbook: (\d+) capacity rows", text, "the row count")),
            xlsx_mib=number(r"([\d.]+) MiB \.xlsx", text, "the workbook size"),
            read_s=number(r"read the workbook and check every cell \| ([\d.]+) s", text, "the read time"),
            stage_s=number(r"\(stage\) \| ([\d.]+) s", text, "the stage time"),
            apply_s=number(r"apply in one transaction.*\| ([\d.]+) s", text, "the apply time"),
            total_s=number(r"workbook import total \| ([\d.]+) s", text, "the total"),
        )
    elif step == "engine":
        r.update(deterministic=criterion_medians("deterministic"), monte_carlo=criterion_medians("monte carlo"))
    elif step == "charts":
        r.update(charts=criterion_medians("chart export 1600x900"))
    elif step == "vault":
        text = read_text(files[0])
        for variant in ("OFF", "ON"):
            insert, scan, peak = (float(x) for x in re.search(rf"^{variant}\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", text, re.M).groups())
            r[variant] = {"insert_ms": insert, "scan_ms": scan, "peak_mib": peak}
    write_text(os.path.join(results, f"{step}.json"), json.dumps(r, indent=1))


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
    return read_json(path) if os.path.exists(path) else None


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
        # each process's PSS where it could be read (its RSS otherwise), as the sum before them
        size = "pss_kib" if m.get("demo_pss_kib") else "rss_kib"
        parts = ", ".join(f"{p['name']} {mib(p[size])}" for p in demo)
        pss = f"; PSS {mib(m['demo_pss_kib'])}" if m.get("demo_pss_kib") else ""
        bare = (f"; a bare Tauri window: PSS {mib(m['bare_pss_kib'])}, so {m['pss_ratio']:.2f}x"
                if m.get("bare_pss_kib") and m.get("pss_ratio") else "")
        if m.get("bare_flat_pss_kib") and m.get("pss_ratio_flat"):
            bare += (f"; drawing in software as the app does: PSS {mib(m['bare_flat_pss_kib'])}, "
                     f"so {m['pss_ratio_flat']:.2f}x")
        rows.append(("Memory with the demo loaded, overview shown", m,
            f"RSS {mib(m['demo_rss_kib'])}{pss} ({parts}; with the empty vault: RSS {mib(m['empty_rss_kib'])}){bare}",
            "PSS at most 1.4x a bare Tauri window",
            "`tests/e2e/bench/memory.mjs`: the app, optimised (profile bench-window), driven through WebDriver creates a vault, loads the demo "
            "with the button, shows the overview; then VmRSS (and PSS) of packplan and its WebKit processes, summed; "
            "the same for the example `bare-window` (the same Tauri and WebKit, a page of one line) under the same "
            "harness, as Tauri makes it and with `WEBKIT_DISABLE_COMPOSITING_MODE=1`; "
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
            f"{secs(i['total_s'])}, {i['total_s'] / i['sqlite_s']:.1f}x `sqlite3 .import` ({secs(i['sqlite_s'])}) "
            f"of the same CSV ({thousands(i['rows'] / i['total_s'])} rows/s; stage {secs(i['stage_s'])}, "
            f"apply {secs(i['apply_s'])}); peak memory {i['peak_mib']:,.0f} MiB, "
            f"{i['peak_mib'] / i['bundle_mib']:.1f}x the bundle",
            "at most 3x `sqlite3 .import`; peak memory at most 3x the bundle",
            f"`cargo bench -p packplan-core --bench import_million`: a signed, encrypted bundle ({i['csv_mib']:.0f} MiB "
            "of CSV) into a new vault, `sqlite3 .import` of the same CSV into a plain table in the same run; one run"))
    w = load("workbook")
    if w:
        rows.append(("Import of a 100,000-row workbook", w,
            f"{secs(w['total_s'])} ({thousands(w['rows'] / w['total_s'])} rows/s; read {secs(w['read_s'])}, "
            f"apply {secs(w['apply_s'])})",
            "under 10 s",
            f"`cargo bench -p packplan-core --bench import_workbook`: an `.xlsx` of {w['xlsx_mib']:.1f} MiB imported "
            "as the user's own file into a new vault; one run"))
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
        pdf = {k: v for k, v in c["charts"].items() if k.endswith(" pdf")}
        slow = max(png, key=png.get)
        name = slow.split("/", 1)[1][: -len(" png")]
        rows.append((f"Chart export, 1600 × 900, {len(png)} charts", c,
            f"PNG {span(png.values())} per chart (slowest: {name}); SVG {span(svg.values())}"
            + (f"; PDF {span(pdf.values())}" if pdf else ""),
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
    def g(n, f):
        t = c["charts"].get(f"chart export 1600x900/{n} {f}")
        return secs(t) if t is not None else "not measured"

    return "\n".join([f"Criterion medians, {c['date']}.", "", "| Chart | PNG | SVG | PDF |", "|---|---|---|---|"]
                     + [f"| {n} | {g(n, 'png')} | {g(n, 'svg')} | {g(n, 'pdf')} |" for n in names])


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
        f"| `sqlite3 .import` of the same CSV into a plain table (no key, no types, no index, no encryption) | {secs(i['sqlite_s'])} |",
        f"| Packplan against `sqlite3 .import` (target: at most 3x) | {i['total_s'] / i['sqlite_s']:.1f}x |",
        f"| `sqlite3 .import` of the same rows into the vault's own table (its key, types and indexes), unencrypted | {secs(i['shaped_s'])} |",
        f"| Peak memory of the import, the bundle's bytes included (VmHWM; target: at most 3x the bundle) | "
        f"{i['peak_mib']:,.0f} MiB ({i['peak_mib'] / i['bundle_mib']:.1f}x the bundle's {i['bundle_mib']:.0f} MiB) |",
    ])


def workbook_details():
    w = load("workbook")
    if not w:
        return None
    return "\n".join([
        f"One measured run, {w['date']}.", "", "| What | Time |", "|---|---|",
        f"| Read the workbook (calamine) and check every cell | {secs(w['read_s'])} |",
        f"| Stage: the above, and the diff against the vault | {secs(w['stage_s'])} |",
        f"| Apply: insert in one transaction, dataset record, audit entry | {secs(w['apply_s'])} |",
        f"| Workbook import total | {secs(w['total_s'])} ({thousands(w['rows'] / w['total_s'])} rows/s) |",
    ])


def table():
    text = read_text(DOC)
    blocks = {"": summary, "engine": lambda _: engine_details(), "charts": lambda _: chart_details(),
              "import": lambda _: import_details(), "workbook": lambda _: workbook_details()}
    for name, make in blocks.items():
        tag = f"bench:{name}:" if name else "bench:"
        m = re.search(rf"(<!-- {tag}begin -->\n)(.*?)(<!-- {tag}end -->)", text, re.S)
        if not m:
            sys.exit(f"bench: {DOC} has no <!-- {tag}begin --> ... <!-- {tag}end --> block")
        new = make(m.group(2))
        if new is not None:
            text = text[: m.start(2)] + new + "\n" + text[m.end(2):]
    write_text(DOC, text)


def main(argv):
    if argv[:1] == ["collect"] and len(argv) >= 2:
        collect(argv[1], argv[2:])
    elif argv == ["table"]:
        table()
    else:
        sys.exit("usage: bench_table.py collect STEP FILE... | bench_table.py table")


if __name__ == "__main__":
    main(sys.argv[1:])
