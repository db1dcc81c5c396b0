import { afterEach, describe, expect, it } from "vitest";
import { render, screen, cleanup, fireEvent } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import App from "./App.svelte";

afterEach(() => {
  cleanup();
  clearMocks();
});

const ABOUT = { name: "Packplan", version: "9.9.9", vault_dir: "/media/usb/vault", vault_portable: true };
const VAULT = {
  dir: "/media/usb/vault",
  portable: true,
  state: "ready",
  created: "2026-11-25T05:00:00Z",
  recipient: "age1example",
  files: [],
};
const CODE = "AGE-SECRET-KEY-1QV4US5HJ9WQPL82QFQYF47LD26UZL4EPDS6SPVDCTKGV9KS8XMTQPH4V6M";

/** A fake backend with a vault that starts in `state`; records every call. */
function backend(start: "none" | "locked" | "unlocked") {
  const calls: { cmd: string; args: unknown }[] = [];
  let exists = start !== "none";
  let unlocked = start === "unlocked";
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
          return { auto_lock_minutes: 10 };
        case "audit_list":
          return [];
        default:
          return null;
      }
    },
    { shouldMockEvents: true },
  );
  return Object.assign(calls, {
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
    for (const input of document.querySelectorAll("input")) {
      expect(input.value).not.toContain("orbit");
    }
    const done = screen.getByTestId("recovery-done") as HTMLButtonElement;
    expect(done.disabled).toBe(true);
    await fireEvent.click(screen.getByTestId("recovery-stored"));
    await fireEvent.click(done);
    expect(await screen.findByTestId("vault-open")).toBeTruthy();
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
    expect((await screen.findByTestId("vault-dir")).textContent).toBe("/media/usb/vault");
  });

  it("locks on Ctrl+L and says so", async () => {
    const calls = backend("unlocked");
    render(App);
    await screen.findByTestId("vault-open");
    await fireEvent.keyDown(window, { key: "l", ctrlKey: true });
    expect(await screen.findByTestId("unlock-secret")).toBeTruthy();
    expect(calls.some((c) => c.cmd === "vault_lock")).toBe(true);
  });

  it("returns to the lock screen when the backend locks the vault for idleness", async () => {
    const calls = backend("unlocked");
    render(App);
    await screen.findByTestId("vault-open");
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
