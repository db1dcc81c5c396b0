import { afterEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { call, failureOf, messageOf, PackplanError, toPackplanError } from "./ipc";

afterEach(() => clearMocks());

describe("call", () => {
  it("returns the command's result", async () => {
    mockIPC((cmd) => {
      if (cmd === "about") return { name: "Packplan", version: "0.1.0", vault_dir: "/v", vault_portable: true };
      return undefined;
    });
    const about = await call("about", {});
    expect(about.version).toBe("0.1.0");
    expect(about.vault_portable).toBe(true);
  });

  it("turns a backend error into a PackplanError with its kind and message", async () => {
    mockIPC(() => {
      throw { kind: "wrong_key", message: "the passphrase does not open this vault; check it and try again" };
    });
    const err = await call("about", {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PackplanError);
    expect((err as PackplanError).kind).toBe("wrong_key");
    expect((err as PackplanError).message).toContain("try again");
  });
});

describe("toPackplanError", () => {
  it("treats an unknown shape as an internal error that shows what came back", () => {
    const e = toPackplanError("boom");
    expect(e.kind).toBe("internal");
    expect(e.message).toContain("boom");
  });

  it("rejects an unknown kind instead of trusting it", () => {
    expect(toPackplanError({ kind: "nonsense", message: "x" }).kind).toBe("internal");
  });
});

describe("failureOf", () => {
  it("says the work was cancelled, or gives the backend's message", () => {
    expect(failureOf(new PackplanError("cancelled", "cancelled"), "Monte Carlo cancelled.")).toBe(
      "Monte Carlo cancelled.",
    );
    expect(failureOf(new PackplanError("locked", "The vault is locked; unlock it."), "x")).toBe(
      "The vault is locked; unlock it.",
    );
  });
});

describe("messageOf", () => {
  it("gives the backend's message, or what else went wrong", () => {
    expect(messageOf(new PackplanError("invalid", "type a month as YYYY-MM"))).toBe("type a month as YYYY-MM");
    expect(messageOf(new Error("boom"))).toBe("Error: boom");
    expect(messageOf("plain")).toBe("plain");
  });
});
