"""Tests of scripts/bench_table.py, the figures and tables of `make bench`.

Run by `make test` (scripts/test.sh) as `python3 -m unittest discover -s scripts -p 'test_*.py'`;
standard library only. Each test works in a temporary folder, never on docs/performance.md.
"""

import json
import os
import tempfile
import unittest

import bench_table as bt

DOC = """# Performance

Prose written by hand.

<!-- bench:begin -->
| Measure | Figure | Target | How measured | Date | Machine |
|---|---|---|---|---|---|
| Cold start to the first screen | 0.78 s | none stated | startup.py | 2026-11-26 | old machine; load 1.2 |
| Deterministic solve, demo, 60 months | 9.9 ms | at most 20 ms | old | 2026-11-26 | old machine; load 1.9 |
<!-- bench:end -->

More prose.

<!-- bench:engine:begin -->
old engine table
<!-- bench:engine:end -->

<!-- bench:import:begin -->
old import table
<!-- bench:import:end -->

<!-- bench:workbook:begin -->
old workbook table
<!-- bench:workbook:end -->

<!-- bench:charts:begin -->
old charts table
<!-- bench:charts:end -->
"""

META = {"date": "2026-12-01", "machine": "2 × Test CPU, 8 GiB", "nproc": 2, "load": 0.5, "commit": "abc"}


def engine_result():
    det = {
        f"deterministic/{what}/{months}": seconds
        for months, scale in ((60, 1.0), (24, 0.5))
        for what, seconds in (
            ("build+solve", 4.8e-3 * scale),
            ("build+solve+shadow prices", 7.8e-3 * scale),
            ("follow plan (slider preview)", 42e-6 * scale),
        )
    }
    mc = {
        "monte carlo/trials, 60 months/10000": 0.596,
        "monte carlo/trials, 60 months/1000": 0.220,
        "monte carlo/10000 trials, 24 months": 0.3,
    }
    return dict(META, deterministic=det, monte_carlo=mc)


class Formatting(unittest.TestCase):
    def test_times_read_in_the_unit_that_fits(self):
        self.assertEqual(bt.secs(43e-6), "43 µs")
        self.assertEqual(bt.secs(5e-3), "5.0 ms")
        self.assertEqual(bt.secs(0.273), "273 ms")
        self.assertEqual(bt.secs(0.9996), "1.00 s")
        self.assertEqual(bt.secs(1.123), "1.12 s")
        self.assertEqual(bt.secs(21.7), "21.7 s")

    def test_a_span_is_written_in_the_unit_of_its_largest_time(self):
        self.assertEqual(bt.span([6.3e-3, 1.2e-3, 2e-3]), "1.2–6.3 ms")
        self.assertEqual(bt.span([0.5, 2.25]), "0.50–2.25 s")

    def test_rates_keep_three_significant_digits(self):
        self.assertEqual(bt.thousands(46123), "46,100")
        self.assertEqual(bt.thousands(16778.5), "16,800")
        self.assertEqual(bt.mib(2048), "2 MiB")


class Tables(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)
        root = self.dir.name
        self.saved = (bt.results, bt.criterion, bt.DOC)
        self.addCleanup(self.restore)
        bt.results = os.path.join(root, "bench")
        bt.criterion = os.path.join(root, "criterion")
        bt.DOC = os.path.join(root, "performance.md")
        os.makedirs(bt.results)
        with open(bt.DOC, "w") as f:
            f.write(DOC)

    def restore(self):
        bt.results, bt.criterion, bt.DOC = self.saved

    def write_result(self, step, result):
        with open(os.path.join(bt.results, f"{step}.json"), "w") as f:
            json.dump(result, f)

    def doc(self):
        with open(bt.DOC) as f:
            return f.read()

    def test_fresh_results_replace_their_rows_and_the_other_rows_stay(self):
        self.write_result("engine", engine_result())
        bt.table()
        text = self.doc()
        summary = text.split("<!-- bench:begin -->")[1].split("<!-- bench:end -->")[0]
        rows = [l for l in summary.splitlines() if l.startswith("| ") and not l.startswith("| Measure")]
        self.assertEqual(len(rows), 3, summary)
        self.assertTrue(rows[0].startswith("| Cold start"), "the row without results keeps its place and text")
        self.assertIn("old machine; load 1.2", rows[0])
        self.assertIn("| 4.8 ms (7.8 ms with shadow prices; slider preview 42 µs) |", rows[1])
        self.assertIn("| 2026-12-01 | 2 × Test CPU, 8 GiB; load 0.5 |", rows[1])
        self.assertIn("596 ms (16,800 trials/s", rows[2])
        self.assertNotIn("9.9 ms", summary)

    def test_detail_tables_are_rewritten_only_when_their_step_has_results(self):
        self.write_result("engine", engine_result())
        bt.table()
        text = self.doc()
        self.assertIn("| Deterministic solve (build + solve), 60 months | 4.8 ms | at most 20 ms |", text)
        self.assertNotIn("old engine table", text)
        self.assertIn("old import table", text)
        self.assertIn("old charts table", text)
        self.assertTrue(text.startswith("# Performance\n\nProse written by hand.\n"))
        self.assertIn("\nMore prose.\n", text)

    def test_memory_is_set_against_a_bare_tauri_window(self):
        process = lambda name, kib: {"name": name, "rss_kib": kib, "pss_kib": kib}
        run = {"demo": {"processes": [process("packplan", 100 * 1024), process("WebKitWebProcess", 300 * 1024)]}}
        self.write_result("memory", dict(META, demo_rss_kib=600 * 1024, demo_pss_kib=420 * 1024,
                                         empty_rss_kib=500 * 1024, bare_pss_kib=280 * 1024, pss_ratio=1.5,
                                         runs=[run, run, run]))
        bt.table()
        row = next(l for l in self.doc().splitlines() if l.startswith("| Memory with the demo loaded"))
        self.assertIn("PSS 420 MiB (packplan 100 MiB, WebKitWebProcess 300 MiB; with the empty vault: RSS 500 MiB); "
                      "a bare Tauri window: PSS 280 MiB, so 1.50x | PSS at most 1.4x a bare Tauri window |", row)

    def test_memory_gives_the_ratio_against_a_bare_window_drawing_in_software_too(self):
        run = {"demo": {"processes": [{"name": "packplan", "rss_kib": 150 * 1024, "pss_kib": 100 * 1024}]}}
        self.write_result("memory", dict(META, demo_rss_kib=400 * 1024, demo_pss_kib=300 * 1024,
                                         empty_rss_kib=350 * 1024, bare_pss_kib=275 * 1024, pss_ratio=300 / 275,
                                         bare_flat_pss_kib=200 * 1024, pss_ratio_flat=1.5, runs=[run]))
        bt.table()
        row = next(l for l in self.doc().splitlines() if l.startswith("| Memory with the demo loaded"))
        # the processes' parts are given as the sum is: in PSS
        self.assertIn("PSS 300 MiB (packplan 100 MiB; with the empty vault", row)
        self.assertIn("a bare Tauri window: PSS 275 MiB, so 1.09x; "
                      "drawing in software as the app does: PSS 200 MiB, so 1.50x |", row)

    def test_a_document_without_the_markers_is_refused(self):
        with open(bt.DOC, "w") as f:
            f.write(DOC.replace("<!-- bench:charts:end -->", ""))
        with self.assertRaises(SystemExit) as refused:
            bt.table()
        self.assertIn("bench:charts:", str(refused.exception))

    def test_the_import_figures_are_read_from_the_benchmarks_output(self):
        raw = os.path.join(self.dir.name, "import.txt")
        with open(raw, "w") as f:
            f.write(
                "bundle: 1000000 capacity rows, 84.2 MiB plaintext, 84.4 MiB encrypted\n"
                "| `age -d` of the bundle | 0.07 s |\n"
                "| Packplan import (stage) | 2.62 s |\n"
                "| Packplan apply in one transaction | 7.29 s |\n"
                "| Packplan import total | 9.92 s |\n"
                "| `sqlite3 .import` of the CSV into a plain table | 2.16 s |\n"
                "| Packplan import against sqlite3 .import | 4.6x |\n"
                "| `sqlite3 .import` into the vault's table, unencrypted | 7.39 s |\n"
                "| Peak memory of the import (VmHWM) | 918 MiB (10.9x the bundle) |\n"
            )
        bt.collect("import", [raw])
        with open(os.path.join(bt.results, "import.json")) as f:
            r = json.load(f)
        self.assertEqual(
            (r["rows"], r["csv_mib"], r["age_s"], r["stage_s"], r["apply_s"], r["total_s"], r["sqlite_s"]),
            (1000000, 84.2, 0.07, 2.62, 7.29, 9.92, 2.16),
        )
        self.assertEqual((r["peak_mib"], r["bundle_mib"], r["shaped_s"]), (918, 84.4, 7.39))
        self.assertRegex(r["date"], r"^\d{4}-\d\d-\d\d$")
        # the summary sets the figures against their targets, the ratios computed from the figures
        bt.table()
        text = self.doc()
        self.assertIn("| 9.92 s, 4.6x `sqlite3 .import` (2.16 s) of the same CSV", text)
        self.assertIn("peak memory 918 MiB, 10.9x the bundle | at most 3x `sqlite3 .import`", text)
        self.assertIn("| Peak memory of the import, the bundle's bytes included", text)
        self.assertIn("into the vault's own table (its key, types and indexes), unencrypted | 7.39 s |", text)
        self.assertNotIn("old import table", text)
        self.assertIn("old workbook table", text)

    def test_output_without_a_figure_stops_with_what_is_missing(self):
        raw = os.path.join(self.dir.name, "import.txt")
        with open(raw, "w") as f:
            f.write("bundle: 1000000 capacity rows, 84.2 MiB plaintext\n")
        with self.assertRaises(SystemExit) as refused:
            bt.collect("import", [raw])
        self.assertIn("age -d", str(refused.exception))

    def test_criterion_medians_are_read_per_group(self):
        for group, bench, median_ns in (("engine", "a", 2e6), ("engine", "b", 3e6), ("other", "c", 1e6)):
            d = os.path.join(bt.criterion, group, bench, "new")
            os.makedirs(d)
            with open(os.path.join(d, "benchmark.json"), "w") as f:
                json.dump({"group_id": group, "full_id": f"{group}/{bench}"}, f)
            with open(os.path.join(d, "estimates.json"), "w") as f:
                json.dump({"median": {"point_estimate": median_ns}}, f)
        self.assertEqual(bt.criterion_medians("engine"), {"engine/a": 2e-3, "engine/b": 3e-3})
        with self.assertRaises(SystemExit):
            bt.criterion_medians("missing")


if __name__ == "__main__":
    unittest.main()
