// The golden ChartViews written by src-tauri/core/tests/chart_export.rs, for UI tests:
// the interactive renderer is tested on the very specs the backend exports.
import type { ChartView } from "../lib/chart/spec";
import xy from "../../../src-tauri/core/tests/golden/xy.view.json";
import bars from "../../../src-tauri/core/tests/golden/bars.view.json";
import layout from "../../../src-tauri/core/tests/golden/layout.view.json";

export const goldens = { xy, bars, layout } as unknown as Record<"xy" | "bars" | "layout", ChartView>;
