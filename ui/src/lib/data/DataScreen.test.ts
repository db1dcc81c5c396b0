// The Data screen's own-files import as a user meets it: choose a workbook, give its
// classification (offered from the vault's labels) and how its dates read, see the
// cells that were read differently and every problem at its cell, and no Import
// while anything is wrong.
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import DataScreen from "./DataScreen.svelte";

afterEach(() => {
  cleanup();
  clearMocks();
});

const NDA = "CONFIDENTIAL - SUPPLIER NDA";

function preview(problems: { file: string; line: number; column: number; message: string; cell: string }[]) {
  return {
    manifest: {
      format: "packplan-own-files",
      title: "Q4 figures.xlsx",
      classification: NDA,
      created: "2026-12-01T10:00:00Z",
      bundle_id: "file-b2314ecd6ae09c39",
      producer_seq: 0,
      files: [{ path: "Q4 figures.xlsx", size: 5120, sha256: "b2314ecd6ae09c390aa3cacee9bed9c0" }],
    },
    signer: { status: "unsigned" },
    overrides: [],
    replaces: null,
    tables: [{ table: "allocations", rows: 1, added: 1, changed: 0, unchanged: 0, kept: 0, removed: 0 }],
    problems,
    notes: [
      { file: "allocations", line: 2, column: 5, message: 'share_low: "3%" read as 0.03', cell: "allocations!E2" },
    ],
    overlap_rule: "Where datasets hold a row with the same key, the latest as_of wins.",
    scenarios: [],
  };
}

function backend(problems: Parameters<typeof preview>[0]) {
  const calls: { cmd: string; args: unknown }[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    switch (cmd) {
      case "dataset_list":
        return [
          {
            id: "demo-1",
            origin: "bundle",
            title: "Demo",
            classification: NDA,
            issuer: "Packplan demo",
            signer_key_id: null,
            claimed_key_id: null,
            producer_seq: 1,
            created: "2026-11-01T00:00:00Z",
            imported: "2026-11-01T00:00:00Z",
            sha256: null,
            policy_override: null,
            rows: { orders: 1 },
          },
        ];
      case "files_pick":
        return { name: "Q4 figures.xlsx", bytes: 5120 };
      case "files_preview":
        return preview(problems);
      default:
        return [];
    }
  });
  return calls;
}

describe("importing your own workbook", () => {
  it("asks for the classification, shows how cells were read, and imports when nothing is wrong", async () => {
    const calls = backend([]);
    render(DataScreen);
    await fireEvent.click(await screen.findByTestId("import-workbook"));
    const label = (await screen.findByTestId("own-classification")) as HTMLInputElement;
    expect(label.value).toBe(NDA); // offered from the labels already in the vault
    await fireEvent.change(screen.getByTestId("own-date-order"), { target: { value: "day-month" } });
    await fireEvent.click(screen.getByTestId("own-preview"));
    expect(await screen.findByText(/from your own file \(no signature; SHA-256 b2314ecd6ae09c39/)).toBeTruthy();
    expect(screen.getByTestId("preview-notes").textContent).toContain('allocations!E2: share_low: "3%" read as 0.03');
    const asked = calls.find((c) => c.cmd === "files_preview")?.args as Record<string, unknown>;
    expect([asked.classification, asked.dateOrder, asked.decimalComma]).toEqual([NDA, "day-month", false]);
    expect((screen.getByTestId("confirm-import") as HTMLButtonElement).disabled).toBe(false);
  });

  it("lists every problem at its cell, says to correct the file, and offers no Import", async () => {
    backend([
      {
        file: "allocations",
        line: 2,
        column: 7,
        message: "share_high: the cell holds the formula error #DIV/0!",
        cell: "allocations!G2",
      },
    ]);
    render(DataScreen);
    await fireEvent.click(await screen.findByTestId("import-workbook"));
    await screen.findByTestId("own-classification");
    await fireEvent.click(screen.getByTestId("own-preview"));
    const list = await screen.findByTestId("preview-problems");
    expect(list.textContent).toContain("allocations!G2: share_high: the cell holds the formula error #DIV/0!");
    expect(screen.getByRole("alert").textContent).toContain("Correct the cells named in the file");
    expect((screen.getByTestId("confirm-import") as HTMLButtonElement).disabled).toBe(true);
  });
});
