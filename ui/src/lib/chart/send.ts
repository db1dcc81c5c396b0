// Where a chart goes from a screen's buttons: a file of the chosen format where the
// user picks in the native dialog (`chart_save`), or the clipboard as a PNG at twice
// the size (`chart_copy`). Both are drawn by the backend from the same spec, marked
// and with their provenance; the words returned say what happened, for the screen's
// notice.
import { call, type ChartFormat, type ChartRequest } from "../ipc";

/** A file format, or the clipboard. */
export type ChartTarget = ChartFormat | "clipboard";

/** What the chart is: everything of the request but its format. */
export type ChartWhat = Omit<ChartRequest, "format">;

/** Saves or copies the chart of `scenario` (compared with `against`); what to tell the
 * user, or null when the save dialog was closed. Failures are thrown as the backend's. */
export async function sendChart(
  target: ChartTarget,
  scenario: string,
  what: ChartWhat,
  against?: string,
): Promise<string | null> {
  const compared = against === undefined ? {} : { against };
  if (target === "clipboard") {
    await call("chart_copy", { scenario, request: { ...what, format: "png" }, ...compared });
    return "Copied the chart to the clipboard as a PNG, with its marking and provenance.";
  }
  const path = await call("chart_save", { scenario, request: { ...what, format: target }, ...compared });
  return path ? `Saved ${path}` : null;
}
