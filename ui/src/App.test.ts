import { afterEach, describe, expect, it } from "vitest";
import { render, screen, cleanup } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import App from "./App.svelte";

afterEach(() => {
  cleanup();
  clearMocks();
});

describe("first screen", () => {
  it("shows the heading and where the vault is", async () => {
    mockIPC((cmd) =>
      cmd === "about"
        ? { name: "Packplan", version: "9.9.9", vault_dir: "/media/usb/vault", vault_portable: true }
        : null,
    );
    render(App);
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Packplan");
    expect((await screen.findByTestId("vault-dir")).textContent).toBe("/media/usb/vault");
    expect(screen.getByText(/Portable/)).toBeTruthy();
    expect(screen.getByText("v9.9.9")).toBeTruthy();
  });

  it("shows the backend's message when the backend fails", async () => {
    mockIPC(() => {
      throw { kind: "io", message: "could not read the vault folder /x: permission denied" };
    });
    render(App);
    expect((await screen.findByRole("alert")).textContent).toContain("permission denied");
  });
});
