// "Audit" as a user sees it: the log newest first with readable details, the filter,
// loading more, and "Verify the chain" in plain words (sound, or what to do).
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import Audit from "./Audit.svelte";
import type { AuditEntry, CheckReport } from "../ipc";

afterEach(() => {
  cleanup();
  clearMocks();
});

/** Entry `i` of the log, before its hashes. */
function entry(i: number): Omit<AuditEntry, "prev_hash" | "hash"> {
  const seq = i + 1;
  if (seq === 1)
    return {
      seq,
      at: "2026-11-25T05:00:00Z",
      actor: "alice via desktop",
      action: "vault.init",
      subject: "vault",
      detail: {},
    };
  if (seq % 2 === 0)
    return {
      seq,
      at: `2026-11-26T05:${String(seq).padStart(2, "0")}:00Z`,
      actor: "alice via desktop",
      action: "bundle.import",
      subject: `acme-${seq}`,
      detail: { title: "Acme capacity Q4", rows: { capacity_observations: 120, facilities: 4 }, overrides: [] },
    };
  return {
    seq,
    at: `2026-11-26T06:${String(seq).padStart(2, "0")}:00Z`,
    actor: "bob via cli",
    action: "scenario.save",
    subject: `Scenario ${seq}`,
    detail: { overrides: 2 },
  };
}

/** 60 entries: a vault created, then imports and scenario saves, chained by their hashes. */
const hash = (seq: number) => seq.toString(16).padStart(64, "0");
const LOG: AuditEntry[] = Array.from({ length: 60 }, (_, i) => ({
  ...entry(i),
  prev_hash: hash(i),
  hash: hash(i + 1),
}));

const SOUND: CheckReport = {
  ok: true,
  cipher_version: "4.6.1 community",
  checks: [
    { check: "integrity", ok: true, findings: ["ok"] },
    { check: "cipher_integrity", ok: true, findings: ["ok"] },
    { check: "foreign_keys", ok: true, findings: ["ok"] },
    { check: "audit_chain", ok: true, findings: ["60 entries, chain intact"] },
  ],
};

function backend(check: CheckReport) {
  const limits: number[] = [];
  mockIPC((cmd, args) => {
    if (cmd === "audit_list") {
      const { limit } = args as { limit: number };
      limits.push(limit);
      return [...LOG].reverse().slice(0, limit);
    }
    if (cmd === "vault_check") return check;
    return null;
  });
  return limits;
}

describe("audit", () => {
  it("lists the log newest first with the detail in words, and loads more", async () => {
    const limits = backend(SOUND);
    render(Audit);
    await screen.findByTestId("audit-table");
    let rows = screen.getAllByTestId("audit-row");
    expect(rows).toHaveLength(50);
    expect(rows[0]?.textContent).toContain("60");
    expect(rows[0]?.textContent).toContain("Bundle imported");
    expect(rows[0]?.textContent).toContain("acme-60");
    expect(rows[0]?.textContent).toContain("rows: capacity observations 120, facilities 4");
    expect(rows[0]?.textContent).not.toContain("{");

    await fireEvent.click(screen.getByTestId("audit-more"));
    await screen.findAllByText("Vault created");
    rows = screen.getAllByTestId("audit-row");
    expect(rows).toHaveLength(60);
    expect(rows[59]?.textContent).toContain("vault.init");
    expect(limits).toEqual([50, 100]);
    expect(screen.queryByTestId("audit-more")).toBeNull();
  });

  it("filters over action and subject", async () => {
    backend(SOUND);
    render(Audit);
    await screen.findByTestId("audit-table");
    const box = screen.getByLabelText("Filter by action or subject");
    await fireEvent.input(box, { target: { value: "scenario.save" } });
    const rows = screen.getAllByTestId("audit-row");
    expect(rows).toHaveLength(25);
    expect(rows.every((r) => r.textContent?.includes("Scenario saved"))).toBe(true);
    expect(screen.getByTestId("audit-count").textContent).toContain("25 of the 50 entries loaded");

    await fireEvent.input(box, { target: { value: "ACME-42" } });
    const [only] = screen.getAllByTestId("audit-row");
    expect(screen.getAllByTestId("audit-row")).toHaveLength(1);
    expect(only?.textContent).toContain("acme-42");

    await fireEvent.input(box, { target: { value: "nothing like this" } });
    expect(screen.queryAllByTestId("audit-row")).toHaveLength(0);
    expect(screen.getByText(/No entry loaded matches/)).toBeTruthy();
  });

  it("verifies the chain and says the vault is sound", async () => {
    backend(SOUND);
    render(Audit);
    await fireEvent.click(screen.getByTestId("audit-verify"));
    const result = await screen.findByTestId("audit-verify-result");
    expect(result.textContent).toContain("The vault is sound");
    const checks = within(result).getAllByTestId("audit-check");
    expect(checks).toHaveLength(4);
    expect(checks[3]?.textContent).toContain("Audit log hash chain");
    expect(checks[3]?.textContent).toContain("60 entries, chain intact");
  });

  it("names a broken chain and says what to do", async () => {
    backend({
      ...SOUND,
      ok: false,
      checks: [
        ...SOUND.checks.slice(0, 3),
        {
          check: "audit_chain",
          ok: false,
          findings: ["entry 17: its hash does not match its content (the entry was edited)"],
        },
      ],
    });
    render(Audit);
    await fireEvent.click(screen.getByTestId("audit-verify"));
    const result = await screen.findByTestId("audit-verify-result");
    expect(result.textContent).toContain("The vault failed a check");
    const broken = within(result).getAllByTestId("audit-check")[3] as HTMLElement;
    expect(broken.classList.contains("bad")).toBe(true);
    expect(broken.textContent).toContain("entry 17: its hash does not match");
    expect(broken.textContent).toContain("restore your latest backup");
  });

  it("shows the backend's message when the vault is locked", async () => {
    mockIPC(() => {
      throw { kind: "locked", message: "the vault is locked; unlock it with your passphrase first" };
    });
    render(Audit);
    expect((await screen.findByRole("alert")).textContent).toContain("unlock it with your passphrase");
  });
});
