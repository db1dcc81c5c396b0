import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, cleanup, fireEvent, waitFor, within } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import App from "./App.svelte";
import { goldens } from "./testing/goldens";
import type { MarkingLevel, MarkingScheme, Settings } from "./lib/ipc";

afterEach(() => {
  vi.useRealTimers();
  cleanup();
  clearMocks();
});

const level = (name: string, background: string): MarkingLevel => ({
  name,
  aliases: [],
  background,
  foreground: "#FFFFFF",
});
/** The presets as the backend stores them (the fake fills them in like the real one). */
const SCHEMES: { commercial: MarkingScheme; us: MarkingScheme } & Record<string, MarkingScheme | undefined> = {
  commercial: {
    preset: "commercial",
    levels: [level("PUBLIC", "#007A33"), level("INTERNAL", "#0033A0"), level("CONFIDENTIAL", "#C8102E")],
  },
  us: {
    preset: "us",
    levels: [
      level("UNCLASSIFIED", "#007A33"),
      level("CUI", "#502B85"),
      level("CONFIDENTIAL", "#0033A0"),
      level("SECRET", "#C8102E"),
      level("TOP SECRET", "#FF8C00"),
    ],
  },
};

const ABOUT = { name: "Packplan", version: "9.9.9", vault_dir: "/media/usb/vault", vault_portable: true };
const VAULT = {
  dir: "/media/usb/vault",
  portable: true,
  state: "ready",
  created: "2026-11-25T05:00:00Z",
  files: [],
};
const CODE = "AGE-SECRET-KEY-1QV4US5HJ9WQPL82QFQYF47LD26UZL4EPDS6SPVDCTKGV9KS8XMTQPH4V6M";

const OVERVIEW = {
  scenario: "Baseline",
  today: "2026-12",
  months: ["2024-12", "2030-11"],
  orders: [
    {
      order: "cluster-a",
      product: "B300",
      quantity: 2048,
      needed_by: "2027-06",
      placed: "2026-10",
      earliest_packaging: "2026-12",
      lag_months: 3,
      completion: "2026-11",
      on_time: true,
      months_late: 0,
      cost_per_gpu_hour: { capex: 2.1, power: 0.9, facility: 0.4, staff: 0.3, total: 3.7 },
      cloud_usd_per_hour: 6.5,
      break_even: "2028-01",
      net_present_cost: 250000000,
      bridge_cloud_usd: null,
    },
  ],
  bottlenecks: [
    { from: "2026-12", resource: "hbm3e (NVIDIA)", name: "HBM3E at NVIDIA's allocation" },
    { from: "2027-11", resource: "hbm4 (NVIDIA)", name: "HBM4 at NVIDIA's allocation" },
  ],
  measured: [
    {
      resource: "hbm3e (NVIDIA)",
      name: "HBM3E at NVIDIA's allocation",
      stage: "memory",
      binding_months: 11,
      extra_units: 123400,
      extra_share: 0.012,
      extra_objective: 4.1e6,
      bound_objective: 9.0e6,
    },
    {
      resource: "hbm4 (NVIDIA)",
      name: "HBM4 at NVIDIA's allocation",
      stage: "memory",
      binding_months: 36,
      extra_units: 98000,
      extra_share: 0.009,
      extra_objective: 3.2e6,
      bound_objective: 5.5e6,
    },
  ],
  alerts: ["CoWoS-L (local silicon bridges): single source (TSMC)"],
  datasets: [
    { id: "d1", title: "Packplan demo: public estimates", classification: "ILLUSTRATIVE", as_of: "2026-06-01" },
  ],
  charts: [],
};
const UNCERTAINTY = {
  scenario: "Baseline",
  trials: 10000,
  seed: 1,
  inputs: 90,
  orders: [
    {
      order: "cluster-a",
      needed_by: "2027-06",
      probability_on_time: 0.98,
      cdf: [],
      beyond_horizon: 0,
      p10: "2026-08",
      p50: "2026-11",
      p90: "2027-04",
    },
  ],
  charts: [],
};

const DATASET = {
  id: "b1",
  origin: "bundle",
  title: "Acme capacity Q4",
  classification: "CONFIDENTIAL - SUPPLIER NDA",
  issuer: "Acme",
  signer_key_id: "1234",
  producer_seq: 3,
  created: "2026-11-20T00:00:00Z",
  imported: "2026-11-26T05:00:00Z",
  sha256: null,
  policy_override: null,
  rows: { capacity_observations: 120, facilities: 4 },
};
const PREVIEW = {
  manifest: {
    title: "Acme capacity Q4",
    classification: "CONFIDENTIAL - SUPPLIER NDA",
    created: "2026-11-20T00:00:00Z",
    bundle_id: "b1",
    producer_seq: 3,
  },
  signer: { status: "trusted", issuer: "Acme", key_id: "1234" },
  overrides: [],
  replaces: null,
  tables: [{ table: "capacity_observations", rows: 120, added: 100, changed: 20, unchanged: 0, kept: 0, removed: 0 }],
  problems: [],
  notes: [],
  overlap_rule: "Where datasets hold a row with the same key, the latest as_of wins.",
  scenarios: [],
};

/** A fake backend with a vault that starts in `state`; records every call. */
function backend(start: "none" | "locked" | "unlocked", warnings: string[] = []) {
  const calls: { cmd: string; args: unknown }[] = [];
  let exists = start !== "none";
  let unlocked = start === "unlocked";
  let hasData = false;
  let imported = false;
  let settings: Settings = { auto_lock_minutes: 10, marking_policy: { scheme: SCHEMES.commercial, mapped: {} } };
  let workspace: { window: null; screen: string | null; scenario: string | null } = {
    window: null,
    screen: null,
    scenario: null,
  };
  const issuers: { name: string; public_key: string; key_id: string; added: string; last_seq: number }[] = [];
  mockIPC(
    (cmd, args) => {
      calls.push({ cmd, args });
      switch (cmd) {
        case "about":
          return ABOUT;
        case "vault_status":
          return {
            vault: { ...VAULT, state: exists ? "ready" : "none" },
            unlocked,
            auto_lock_minutes: unlocked ? 10 : null,
            min_passphrase_length: 10,
            recipient: unlocked ? "age1example" : null,
            warnings: unlocked ? warnings : [],
          };
        case "vault_create":
          exists = unlocked = true;
          return { recovery_code: CODE, recipient: "age1example" };
        case "vault_unlock": {
          const a = args as { passphrase?: string };
          if (a.passphrase !== "orbit lantern quietly harbour") {
            throw { kind: "wrong_key", message: "Wrong passphrase: it does not open this vault." };
          }
          unlocked = true;
          return null;
        }
        case "vault_lock":
          unlocked = false;
          return null;
        case "settings_get":
          return settings;
        case "settings_locales":
          return [
            { tag: "en-US", name: "English (United States)" },
            { tag: "de-DE", name: "Deutsch (Deutschland)" },
          ];
        case "settings_update": {
          const next = (args as { settings: Settings }).settings;
          const preset = next.marking_policy.scheme.preset;
          settings = {
            ...next,
            marking_policy: { ...next.marking_policy, scheme: SCHEMES[preset] ?? next.marking_policy.scheme },
          };
          return null;
        }
        case "vault_marking":
          if (!hasData) return null;
          return settings.marking_policy.scheme.preset === "us"
            ? { text: "UNCLASSIFIED // ILLUSTRATIVE: PUBLIC ESTIMATES", background: "#007A33", foreground: "#FFFFFF" }
            : { text: "PUBLIC // ILLUSTRATIVE: PUBLIC ESTIMATES", background: "#007A33", foreground: "#FFFFFF" };
        case "plan_window":
          return { today: "2026-12", start: "2024-12", months: 72 };
        case "audit_list":
          return [];
        case "scenario_list":
          return [{ name: "Baseline", description: "The figures as imported.", overrides: 0 }];
        case "plan_overview":
          if (!hasData) throw { kind: "not_found", message: "the vault holds no products to plan" };
          return OVERVIEW;
        case "demo_load":
          hasData = true;
          return {
            title: "Packplan demo: public estimates",
            rows: 184,
            classification: "ILLUSTRATIVE: PUBLIC ESTIMATES",
          };
        case "plan_uncertainty":
          return UNCERTAINTY;
        case "briefing_save":
          return "/home/me/packplan-briefing-baseline.pdf";
        case "dataset_list":
          return imported ? [DATASET] : [];
        case "contact_list":
          return [];
        case "keys_show":
          return { recipient: "age1mine", signing_public_key: "RWmine", signing_key_id: "ABCD" };
        case "issuer_list":
          return issuers;
        case "issuer_key_pick":
          return { key: "RWfromfile", key_id: "5EAF00D15EAF00D1" };
        case "issuer_add": {
          const a = args as { name: string; key: string };
          issuers.push({ name: a.name, public_key: a.key, key_id: "1234", added: "now", last_seq: 0 });
          return issuers[issuers.length - 1];
        }
        case "bundle_pick":
          return { name: "acme-2026-q4.ppb", bytes: 4096 };
        case "bundle_preview":
          return PREVIEW;
        case "bundle_import":
          imported = true;
          return { dataset: DATASET, replaced: null, audit_seq: 7 };
        case "scenario_choices":
          return { technologies: [["copos", "CoPoS volume"]], facilities: [["tsmc-ap7", "TSMC AP7"]], products: [] };
        case "scenario_draft": {
          const sc = (args as { scenario: { overrides: { months?: number }[] } }).scenario;
          const months = sc.overrides[0]?.months ?? 0;
          return {
            orders: [{ ...OVERVIEW.orders[0], completion: months < 0 ? "2026-09" : "2026-11" }],
            bottlenecks: OVERVIEW.bottlenecks,
            totals: [],
            chart: goldens.layout,
          };
        }
        case "scenario_save":
          return null;
        case "workspace_restore":
          return workspace;
        case "workspace_save":
          workspace = { ...workspace, ...(args as { screen: string; scenario: string }) };
          return null;
        case "vault_backup":
          return { folder: "/media/usb/packplan-backup-2026-11-26T050000Z", bytes: 204800, verified: true };
        case "vault_rekey": {
          const a = args as { current: string; new: string };
          if (a.current !== "orbit lantern quietly harbour") {
            throw { kind: "wrong_key", message: "the current passphrase is wrong; nothing was changed" };
          }
          return { recovery_code: "AGE-SECRET-KEY-1NEWCODE" };
        }
        default:
          return null;
      }
    },
    { shouldMockEvents: true },
  );
  return Object.assign(calls, {
    /** What the vault remembers of the workspace. */
    remembered: () => workspace,
    remember: (screen: string) => {
      workspace = { ...workspace, screen };
    },
    /** The backend locks on its own (auto-lock). */
    lockBehindThePage: () => {
      unlocked = false;
    },
  });
}

describe("first run", () => {
  it("creates the vault, shows the recovery code once and clears the passphrase from the page", async () => {
    const calls = backend("none");
    render(App);
    const first = (await screen.findByTestId("new-passphrase")) as HTMLInputElement;
    const again = screen.getByTestId("new-passphrase-again") as HTMLInputElement;
    const create = screen.getByTestId("create-vault") as HTMLButtonElement;
    await fireEvent.input(first, { target: { value: "short" } });
    expect(screen.getByText("5 more characters needed.")).toBeTruthy();
    expect(create.disabled).toBe(true);
    await fireEvent.input(first, { target: { value: "orbit lantern quietly harbour" } });
    await fireEvent.input(again, { target: { value: "orbit lantern quietly harbor" } });
    expect(screen.getByText("The two passphrases differ.")).toBeTruthy();
    await fireEvent.input(again, { target: { value: "orbit lantern quietly harbour" } });
    await fireEvent.click(create);

    expect((await screen.findByTestId("recovery-code")).textContent).toBe(CODE);
    expect(calls.filter((c) => c.cmd === "vault_create")).toEqual([
      { cmd: "vault_create", args: { passphrase: "orbit lantern quietly harbour" } },
    ]);
    // Nothing of the passphrase is left in any field of the page.
    const inputs = [...document.querySelectorAll("input")];
    expect(inputs.length).toBeGreaterThan(0);
    for (const input of inputs) {
      expect(input.value).not.toContain("orbit");
    }
    const done = screen.getByTestId("recovery-done") as HTMLButtonElement;
    expect(done.disabled).toBe(true);
    await fireEvent.click(screen.getByTestId("recovery-stored"));
    await fireEvent.click(done);
    expect(await screen.findByTestId("overview")).toBeTruthy();
    expect(screen.queryByTestId("recovery-code")).toBeNull();
  });
});

describe("lock screen", () => {
  it("names a wrong passphrase, then unlocks with the right one", async () => {
    backend("locked");
    render(App);
    const secret = (await screen.findByTestId("unlock-secret")) as HTMLInputElement;
    await fireEvent.input(secret, { target: { value: "wrong words typed here" } });
    await fireEvent.click(screen.getByTestId("unlock"));
    expect((await screen.findByTestId("unlock-error")).textContent).toContain("Wrong passphrase");
    expect(secret.value).toBe("");
    await fireEvent.input(secret, { target: { value: "orbit lantern quietly harbour" } });
    await fireEvent.click(screen.getByTestId("unlock"));
    expect(await screen.findByTestId("overview")).toBeTruthy();
    await fireEvent.click(screen.getByTestId("tab-vault"));
    expect((await screen.findByTestId("vault-dir")).textContent).toBe("/media/usb/vault");
  });

  it("locks on Ctrl+L and says so", async () => {
    const calls = backend("unlocked");
    render(App);
    await screen.findByTestId("overview");
    await fireEvent.keyDown(window, { key: "l", ctrlKey: true });
    expect(await screen.findByTestId("unlock-secret")).toBeTruthy();
    expect(calls.some((c) => c.cmd === "vault_lock")).toBe(true);
  });

  it("returns to the lock screen when the backend locks the vault for idleness", async () => {
    const calls = backend("unlocked");
    render(App);
    await screen.findByTestId("overview");
    // The backend locked on its own; its event tells the page, which asks for the status again.
    calls.lockBehindThePage();
    await emit("vault-locked", "idle");
    expect(await screen.findByTestId("locked-idle")).toBeTruthy();
    expect(screen.getByTestId("unlock-secret")).toBeTruthy();
    expect(calls.some((c) => c.cmd === "vault_lock")).toBe(false);
  });
});

describe("failures", () => {
  it("shows the backend's message when the backend fails", async () => {
    mockIPC(() => {
      throw { kind: "io", message: "could not read the vault folder /x: permission denied" };
    });
    render(App);
    expect((await screen.findByRole("alert")).textContent).toContain("permission denied");
  });
});

describe("overview", () => {
  it("takes a user with an empty vault to the Data screen to bring in their own figures", async () => {
    backend("unlocked");
    render(App);
    await fireEvent.click(await screen.findByTestId("go-import"));
    expect(await screen.findByTestId("import-workbook")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Data" }).getAttribute("aria-current")).toBe("page");
  });

  it("offers the demo when the vault is empty, then shows the order and runs the Monte Carlo", async () => {
    const calls = backend("unlocked");
    render(App);
    await fireEvent.click(await screen.findByTestId("load-demo"));
    expect((await screen.findByTestId("order")).textContent).toContain("Complete Nov 2026");
    expect(screen.getByTestId("order-timing").textContent).toMatch(
      /Placed Oct 2026; packaged from Dec 2026; each unit arrives 3\s+months after packaging/,
    );
    expect(screen.getByText("Bottleneck from today (Dec 2026)")).toBeTruthy();
    expect(screen.getByTestId("measured").textContent).toMatch(
      /HBM3E at NVIDIA's allocation: \+123,400 accelerators \(1(\.2)?%\)/,
    );
    expect(screen.getByText(/184 rows, marked ILLUSTRATIVE/)).toBeTruthy();
    // the bottleneck timeline names what binds as the user reads it, not by its id
    expect(screen.getByText("HBM4 at NVIDIA's allocation")).toBeTruthy();
    expect(screen.queryByText(/hbm4 \(NVIDIA\)/)).toBeNull();
    await fireEvent.click(screen.getByTestId("run-mc"));
    expect((await screen.findByTestId("probability")).textContent).toContain("98%");
    const mc = calls.find((c) => c.cmd === "plan_uncertainty");
    expect(mc?.args).toMatchObject({ scenario: "Baseline", trials: 10000, seed: 1 });
  });

  it("saves the briefing pack of the active scenario as one PDF and says where", async () => {
    const calls = backend("unlocked");
    render(App);
    await fireEvent.click(await screen.findByTestId("load-demo"));
    await fireEvent.click(await screen.findByTestId("briefing"));
    const notice = await screen.findByText(/Saved \/home\/me\/packplan-briefing-baseline\.pdf/);
    expect(notice.textContent).toContain("each page marked");
    expect(calls.find((c) => c.cmd === "briefing_save")?.args).toMatchObject({ scenario: "Baseline" });
  });
});

describe("marking", () => {
  it("marks the window top and bottom once it holds data, and follows the site's scheme", async () => {
    const calls = backend("unlocked");
    render(App);
    await fireEvent.click(await screen.findByTestId("load-demo"));
    const top = await screen.findByTestId("window-banner-top");
    expect(top.textContent?.trim()).toBe("PUBLIC // ILLUSTRATIVE: PUBLIC ESTIMATES");
    expect(screen.getByTestId("window-banner-bottom").textContent?.trim()).toBe(top.textContent?.trim());

    await fireEvent.click(screen.getByTestId("tab-vault"));
    const scheme = (await screen.findByTestId("marking-scheme")) as HTMLSelectElement;
    await fireEvent.change(scheme, { target: { value: "us" } });
    await waitFor(() =>
      expect(screen.getByTestId("window-banner-top").textContent?.trim()).toBe(
        "UNCLASSIFIED // ILLUSTRATIVE: PUBLIC ESTIMATES",
      ),
    );
    const update = calls.find((c) => c.cmd === "settings_update");
    expect((update?.args as { settings: Settings }).settings.marking_policy.scheme.preset).toBe("us");
    const levels = [...screen.getByTestId("marking-levels").querySelectorAll("li")].map((l) => l.textContent);
    expect(levels).toEqual(["UNCLASSIFIED", "CUI", "CONFIDENTIAL", "SECRET", "TOP SECRET"]);
  });
});

describe("vault settings", () => {
  it("writes numbers and dates in the locale chosen in the settings, everywhere, until locked", async () => {
    const calls = backend("unlocked");
    render(App);
    await fireEvent.click(await screen.findByTestId("load-demo"));
    expect((await screen.findByTestId("order")).textContent).toContain("2,048 × B300");

    await fireEvent.click(screen.getByTestId("tab-vault"));
    const locale = (await screen.findByTestId("locale")) as HTMLSelectElement;
    expect(screen.getByTestId("locale-example").textContent).toBe("1,234,568 · Sep 2027");
    await fireEvent.change(locale, { target: { value: "de-DE" } });
    await waitFor(() => expect(screen.getByTestId("locale-example").textContent).toBe("1.234.568 · Sept. 2027"));
    expect((calls.find((c) => c.cmd === "settings_update")?.args as { settings: Settings }).settings.locale).toBe(
      "de-DE",
    );

    await fireEvent.click(screen.getByTestId("tab-overview"));
    await waitFor(() => expect(screen.getByTestId("order").textContent).toContain("2.048 × B300"));
    expect(screen.getByTestId("order").textContent).toContain("Nov. 2026");

    // the choice is the vault's: after locking and unlocking it is read again
    await fireEvent.keyDown(window, { key: "l", ctrlKey: true });
    const secret = await screen.findByTestId("unlock-secret");
    await fireEvent.input(secret, { target: { value: "orbit lantern quietly harbour" } });
    await fireEvent.click(screen.getByTestId("unlock"));
    await fireEvent.click(await screen.findByTestId("tab-overview"));
    expect((await screen.findByTestId("order")).textContent).toContain("2.048 × B300");
  });

  it("backs up into a folder chosen in the native dialog and says where", async () => {
    const calls = backend("unlocked");
    render(App);
    await fireEvent.click(await screen.findByTestId("tab-vault"));
    await fireEvent.click(await screen.findByTestId("vault-backup"));
    const done = await screen.findByTestId("backup-done");
    expect(done.textContent).toContain("/media/usb/packplan-backup-2026-11-26T050000Z");
    expect(done.textContent).toContain("verified");
    expect(calls.filter((c) => c.cmd === "vault_backup")).toHaveLength(1);
  });

  it("shows the recipient from the unlocked vault, never from the folder's plain file", async () => {
    backend("unlocked");
    render(App);
    await fireEvent.click(await screen.findByTestId("tab-vault"));
    expect((await screen.findByText(/give it to people who send you bundles/)).textContent).toContain("age1example");
  });

  it("warns at the top of the window about what unlocking found", async () => {
    backend("unlocked", ["vault.json was altered: it names the recipient age1planted"]);
    render(App);
    const banner = await screen.findByTestId("vault-warnings");
    expect(banner.getAttribute("role")).toBe("alert");
    expect(banner.textContent).toContain("age1planted");
  });

  it("re-keys after proving the passphrase and shows the new recovery code once", async () => {
    const calls = backend("unlocked");
    render(App);
    await fireEvent.click(await screen.findByTestId("tab-vault"));
    const form = await screen.findByRole("form", { name: "Re-key the vault" });
    const fill = async (label: string, value: string) =>
      fireEvent.input(screen.getByLabelText(label), { target: { value } });
    await fill("Current passphrase for the re-key", "not the passphrase");
    await fill("New passphrase for the re-key", "violet compass mountain drizzle");
    await fill("New passphrase for the re-key, again", "violet compass mountain drizzle");
    await fireEvent.submit(form);
    expect((await screen.findByTestId("rekey-message")).textContent).toContain("the current passphrase is wrong");
    expect(screen.queryByTestId("new-recovery-code")).toBeNull();
    await fill("Current passphrase for the re-key", "orbit lantern quietly harbour");
    await fill("New passphrase for the re-key", "violet compass mountain drizzle");
    await fill("New passphrase for the re-key, again", "violet compass mountain drizzle");
    await fireEvent.submit(form);
    expect((await screen.findByTestId("new-recovery-code")).textContent).toBe("AGE-SECRET-KEY-1NEWCODE");
    expect((screen.getByLabelText("Current passphrase for the re-key") as HTMLInputElement).value).toBe("");
    expect(calls.filter((c) => c.cmd === "vault_rekey")).toHaveLength(2);
  });
});

describe("data", () => {
  it("imports a bundle with Ctrl+I: preview of what changes, then import, then the dataset is listed", async () => {
    const calls = backend("unlocked");
    render(App);
    await screen.findByTestId("overview");
    await fireEvent.keyDown(window, { key: "i", ctrlKey: true });
    await fireEvent.click(await screen.findByTestId("preview"));
    const panel = await screen.findByTestId("preview-panel");
    expect(panel.textContent).toContain("signed by Acme (key 1234), a trusted issuer");
    expect(panel.textContent).toContain("capacity_observations");
    await fireEvent.click(screen.getByTestId("confirm-import"));
    expect((await screen.findByTestId("import-done")).textContent).toContain("124 rows");
    expect((await screen.findByTestId("datasets")).textContent).toContain("Acme capacity Q4");
    const preview = calls.find((c) => c.cmd === "bundle_preview");
    expect(preview?.args).toMatchObject({ passphrase: null, allowUnsigned: false, allowUnknownSigner: false });
  });

  it("trusts an issuer from the settings", async () => {
    const calls = backend("unlocked");
    render(App);
    await fireEvent.click(await screen.findByTestId("tab-vault"));
    expect((await screen.findByTestId("own-recipient")).textContent).toBe("age1mine");
    await fireEvent.input(screen.getAllByPlaceholderText("Name")[0]!, { target: { value: "Acme" } });
    await fireEvent.input(screen.getByPlaceholderText("minisign public key (RW...)"), { target: { value: "RWacme" } });
    await fireEvent.click(screen.getByText("Trust"));
    expect(await screen.findByText(/key 1234, last sequence 0/)).toBeTruthy();
    expect(calls.find((c) => c.cmd === "issuer_add")?.args).toEqual({ name: "Acme", key: "RWacme" });
  });

  it("trusts an issuer from its .pub file after showing the key id to check", async () => {
    const calls = backend("unlocked");
    render(App);
    await fireEvent.click(await screen.findByTestId("tab-vault"));
    await screen.findByTestId("own-recipient");
    await fireEvent.click(screen.getByTestId("issuer-key-file"));
    expect((await screen.findByTestId("picked-key-id")).textContent).toContain("5EAF00D15EAF00D1");
    await fireEvent.input(screen.getAllByPlaceholderText("Name")[0]!, { target: { value: "Globex" } });
    await fireEvent.click(screen.getByText("Trust"));
    expect(calls.find((c) => c.cmd === "issuer_add")?.args).toEqual({ name: "Globex", key: "RWfromfile" });
  });
});

describe("scenarios", () => {
  it("recomputes while a ramp is shifted, then saves the scenario", async () => {
    const calls = backend("unlocked");
    render(App);
    await fireEvent.click(await screen.findByTestId("tab-scenarios"));
    expect((await screen.findByTestId("draft-order")).textContent).toContain("complete Nov 2026");
    // dragging sends one request once the slider rests, not one per step
    const drafts = () => calls.filter((c) => c.cmd === "scenario_draft").length;
    const before = drafts();
    vi.useFakeTimers();
    await fireEvent.click(screen.getByTestId("add-shift"));
    const slider = screen.getByTestId("shift-months");
    for (const months of ["-4", "-8", "-12"]) await fireEvent.input(slider, { target: { value: months } });
    await vi.advanceTimersByTimeAsync(100);
    expect(drafts()).toBe(before);
    await vi.advanceTimersByTimeAsync(50);
    vi.useRealTimers();
    expect(drafts()).toBe(before + 1);
    await waitFor(() => expect(screen.getByTestId("draft-order").textContent).toContain("complete Sep 2026"));
    await fireEvent.input(screen.getByTestId("scenario-name"), { target: { value: "CoPoS a year early" } });
    await fireEvent.click(screen.getByTestId("scenario-save"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "scenario_save")).toBe(true));
    const saved = calls.find((c) => c.cmd === "scenario_save")?.args as { scenario: unknown };
    expect(saved.scenario).toEqual({
      name: "CoPoS a year early",
      description: "",
      overrides: [{ kind: "shift_ramp", technology: "copos", months: -12 }],
    });
  });
});

describe("workspace", () => {
  it("finds a screen by name with Ctrl+K and remembers it in the vault", async () => {
    const calls = backend("unlocked");
    render(App);
    await screen.findByTestId("overview");
    await fireEvent.keyDown(window, { key: "k", ctrlKey: true });
    const input = await screen.findByTestId("palette-input");
    await fireEvent.input(input, { target: { value: "audit" } });
    const options = within(screen.getByTestId("palette")).getAllByRole("option");
    expect(options.map((o) => o.textContent?.trim())).toEqual(["Go to Audit", "Verify the audit chainAudit"]);
    await fireEvent.keyDown(input, { key: "Enter" });
    expect(await screen.findByTestId("audit")).toBeTruthy();
    expect(screen.queryByTestId("palette")).toBeNull();
    await waitFor(() => expect(calls.remembered().screen).toBe("audit"));
    expect(calls.some((c) => c.cmd === "workspace_save")).toBe(true);
  });

  it("opens on the screen the vault remembers after unlocking", async () => {
    const calls = backend("locked");
    calls.remember("data");
    render(App);
    await fireEvent.input(await screen.findByTestId("unlock-secret"), {
      target: { value: "orbit lantern quietly harbour" },
    });
    await fireEvent.click(screen.getByTestId("unlock"));
    expect(await screen.findByTestId("data")).toBeTruthy();
  });

  it("asks before leaving a screen with an unsaved edit, and stays if asked to", async () => {
    backend("unlocked");
    render(App);
    await screen.findByTestId("overview");
    await fireEvent.click(screen.getByTestId("tab-scenarios"));
    await fireEvent.input(await screen.findByTestId("scenario-name"), { target: { value: "Mine" } });
    await fireEvent.click(screen.getByTestId("tab-risk"));
    const prompt = await screen.findByTestId("unsaved-prompt");
    expect(prompt.textContent).toContain('changes to the scenario "Mine"');
    await fireEvent.click(screen.getByTestId("unsaved-stay"));
    expect(screen.queryByTestId("unsaved-prompt")).toBeNull();
    expect(screen.getByTestId("scenarios")).toBeTruthy();
    await fireEvent.click(screen.getByTestId("tab-overview"));
    await fireEvent.click(await screen.findByTestId("unsaved-discard"));
    expect(await screen.findByTestId("overview")).toBeTruthy();
  });
});
