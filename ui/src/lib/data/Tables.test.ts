// The Data screen's tables as a user sees them: rows with their dataset, search and
// sort asked of the backend, an edit in place (Enter saves, Escape keeps), the
// backend's message for an invalid value with the input kept, an unsaved edit
// marked for the app frame, and an edited row that names what it stands in for.
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import Tables from "./Tables.svelte";
import type { CellEdit, NewRow, TablePage, TableQuery } from "../ipc";
import { unsaved, discardAll } from "../workspace/unsaved.svelte";

afterEach(() => {
  vi.useRealTimers();
  cleanup();
  clearMocks();
  discardAll();
});

const DEMO = { dataset_id: "demo-1", dataset_title: "Packplan demo", classification: "PUBLIC" };

function page(quantity: string, edited: boolean): TablePage {
  return {
    table: "orders",
    doc: "The user's own accelerator orders.",
    columns: [
      {
        name: "id",
        unit: "",
        doc: "id",
        expected: "an identifier",
        key: true,
        editable: false,
        numeric: false,
        required: true,
        example: "cluster-a",
      },
      {
        name: "quantity",
        unit: "accelerators",
        doc: "how many",
        expected: "a whole number in accelerators from 1 to 10000000",
        key: false,
        editable: true,
        numeric: true,
        required: true,
        example: "2048",
      },
    ],
    all: 1,
    matching: 1,
    offset: 0,
    rows: [
      {
        key: ["cluster-a"],
        cells: ["cluster-a", quantity],
        origin: edited
          ? { dataset_id: "local", dataset_title: "Entered in this vault", classification: "PUBLIC" }
          : DEMO,
        source: null,
        replaces: edited ? { origin: DEMO, cells: ["cluster-a", "2048"] } : null,
      },
    ],
    facets: { dataset: ["demo-1"] },
  };
}

function backend() {
  const queries: TableQuery[] = [];
  const edits: CellEdit[] = [];
  const adds: NewRow[] = [];
  const blocks: string[] = [];
  let quantity = "2048";
  mockIPC((cmd, args) => {
    switch (cmd) {
      case "data_tables":
        return [{ name: "orders", doc: "orders", rows: 1 }];
      case "data_page":
        queries.push((args as { query: TableQuery }).query);
        return page(quantity, quantity !== "2048");
      case "data_edit": {
        const edit = (args as { edit: CellEdit }).edit;
        edits.push(edit);
        if (!/^\d+$/.test(edit.value)) {
          throw {
            kind: "invalid",
            message: `quantity: "${edit.value}" is not a whole number; expected a whole number in accelerators from 1 to 10000000. Type another value, or Escape to keep 2048`,
          };
        }
        const old = quantity;
        quantity = edit.value;
        return { ...edit, old, new: edit.value, from_dataset: "demo-1" };
      }
      case "data_revert":
        quantity = "2048";
        return null;
      case "data_add": {
        const row = (args as { row: NewRow }).row;
        adds.push(row);
        if (row.cells.quantity !== "512")
          throw {
            kind: "invalid",
            message: `the row was not added to orders; correct these and add it again:\n- id: the value is missing; expected an identifier\n- quantity: "${row.cells.quantity}" is not a whole number; expected a whole number`,
          };
        return { table: "orders", key: [row.cells.id] };
      }
      case "data_add_block": {
        const block = (args as { block: { table: string; text: string } }).block;
        blocks.push(block.text);
        if (block.text.includes("lots"))
          throw {
            kind: "invalid",
            message:
              'nothing was added to orders; correct the cells named and paste again:\n- line 2: quantity: "lots" is not a whole number',
          };
        return block.text
          .trim()
          .split("\n")
          .slice(1)
          .map((l) => ({ table: "orders", key: [l.split("\t")[0]] }));
      }
      default:
        return null;
    }
  });
  return { queries, edits, adds, blocks };
}

describe("tables", () => {
  it("shows rows with their dataset and asks the backend to search and sort", async () => {
    const calls = backend();
    render(Tables);
    expect((await screen.findByTestId("table-row")).textContent).toContain("Packplan demo");
    // the search waits for a pause in typing: nothing is asked until it has passed
    vi.useFakeTimers();
    await fireEvent.input(screen.getByTestId("table-search"), { target: { value: "clu" } });
    await fireEvent.input(screen.getByTestId("table-search"), { target: { value: "cluster" } });
    await vi.advanceTimersByTimeAsync(150);
    expect(calls.queries.map((q) => q.search)).not.toContain("clu");
    expect(calls.queries.at(-1)?.search).not.toBe("cluster");
    await vi.advanceTimersByTimeAsync(100);
    vi.useRealTimers();
    expect(calls.queries.map((q) => q.search).filter((q) => q)).toEqual(["cluster"]);
    await fireEvent.click(screen.getByRole("button", { name: /^quantity/ }));
    expect(calls.queries.at(-1)).toMatchObject({ sort: "quantity", descending: false });
    await fireEvent.click(screen.getByRole("button", { name: /^quantity/ }));
    expect(calls.queries.at(-1)).toMatchObject({ sort: "quantity", descending: true });
  });

  it("keeps an invalid value in the input with the backend's message, and marks it unsaved", async () => {
    const calls = backend();
    render(Tables);
    await fireEvent.click(await screen.findByTestId("cell-quantity"));
    const input = screen.getByTestId("cell-input") as HTMLInputElement;
    await fireEvent.input(input, { target: { value: "lots" } });
    expect(unsaved()).toEqual(["an edit of orders.quantity (cluster-a)"]);
    await fireEvent.keyDown(input, { key: "Enter" });
    const error = await screen.findByTestId("edit-error");
    expect(error.textContent).toContain('"lots" is not a whole number');
    expect((screen.getByTestId("cell-input") as HTMLInputElement).value).toBe("lots");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(calls.edits).toHaveLength(1);

    // Escape keeps the old value and forgets the unsaved mark.
    await fireEvent.keyDown(screen.getByTestId("cell-input"), { key: "Escape" });
    expect(screen.queryByTestId("cell-input")).toBeNull();
    expect(screen.getByTestId("cell-quantity").textContent).toBe("2048");
    expect(unsaved()).toEqual([]);
  });

  it("saves a valid edit, shows what it stands in for, and reverts it", async () => {
    backend();
    render(Tables);
    await fireEvent.click(await screen.findByTestId("cell-quantity"));
    const input = screen.getByTestId("cell-input") as HTMLInputElement;
    await fireEvent.input(input, { target: { value: "4096" } });
    await fireEvent.keyDown(input, { key: "Enter" });
    expect((await screen.findByRole("status")).textContent).toContain("quantity of cluster-a is now 4096 (was 2048)");
    const row = await screen.findByTestId("table-row");
    expect(row.textContent).toContain("(was 2048)");
    expect(row.textContent).toContain('standing in for "Packplan demo"');
    await fireEvent.click(screen.getByTestId("revert"));
    expect((await screen.findByRole("status")).textContent).toContain('back to the value of "Packplan demo"');
  });

  it("adds a block pasted from a spreadsheet in one change, or keeps it with every problem", async () => {
    const calls = backend();
    render(Tables);
    await fireEvent.click(await screen.findByTestId("paste-rows"));
    const text = screen.getByTestId("paste-text") as HTMLTextAreaElement;
    const bad = "id\tproduct_id\tquantity\nphase-1\tb300\tlots\n";
    await fireEvent.input(text, { target: { value: bad } });
    await fireEvent.click(screen.getByTestId("paste-add"));
    expect((await screen.findByTestId("paste-error")).textContent).toContain(
      'line 2: quantity: "lots" is not a whole number',
    );
    expect((screen.getByTestId("paste-text") as HTMLTextAreaElement).value).toBe(bad);
    await fireEvent.input(screen.getByTestId("paste-text"), {
      target: { value: "id\tproduct_id\tquantity\nphase-1\tb300\t1024\nphase-2\tb300\t512\n" },
    });
    await fireEvent.click(screen.getByTestId("paste-add"));
    expect((await screen.findByTestId("table-notice")).textContent).toContain("Added 2 rows to orders in one change");
    expect(calls.blocks).toHaveLength(2);
  });

  it("adds a row of one's own: every problem listed at once, what was typed kept", async () => {
    const calls = backend();
    render(Tables);
    await fireEvent.click(await screen.findByTestId("add-row"));
    const quantity = screen.getByTestId("new-quantity") as HTMLInputElement;
    expect(quantity.placeholder).toBe("2048");
    await fireEvent.input(quantity, { target: { value: "lots" } });
    expect(unsaved()).toEqual(["a new row of orders"]);
    await fireEvent.click(screen.getByTestId("row-form-add"));
    const error = await screen.findByTestId("row-form-error");
    expect(error.querySelectorAll("li")).toHaveLength(2);
    expect(error.textContent).toContain("id: the value is missing");
    expect((screen.getByTestId("new-quantity") as HTMLInputElement).value).toBe("lots");
    expect(calls.adds[0]?.cells).toEqual({ quantity: "lots" });

    await fireEvent.input(screen.getByTestId("new-id"), { target: { value: "cluster-b" } });
    await fireEvent.input(screen.getByTestId("new-quantity"), { target: { value: "512" } });
    await fireEvent.click(screen.getByTestId("row-form-add"));
    expect((await screen.findByTestId("table-notice")).textContent).toContain("Added orders cluster-b");
    expect(screen.queryByTestId("row-form")).toBeNull();
    expect(unsaved()).toEqual([]);
  });
});
