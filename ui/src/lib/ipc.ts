// The UI's one door to the Rust backend. Every call to a command goes through
// `call`, which types its arguments and result and turns a rejected invoke into
// a `PackplanError` carrying the backend's `{kind, message}`.
import { invoke } from "@tauri-apps/api/core";

/** The kinds of `packplan_core::ErrorKind`, as they cross IPC. */
export type ErrorKind =
  "invalid" | "not_found" | "already_exists" | "wrong_key" | "locked" | "damaged" | "cancelled" | "io" | "internal";

const KINDS: readonly ErrorKind[] = [
  "invalid",
  "not_found",
  "already_exists",
  "wrong_key",
  "locked",
  "damaged",
  "cancelled",
  "io",
  "internal",
];

/** A failure reported by the backend, with a message written for the user. */
export class PackplanError extends Error {
  readonly kind: ErrorKind;
  constructor(kind: ErrorKind, message: string) {
    super(message);
    this.name = "PackplanError";
    this.kind = kind;
  }
}

/** `packplan_core::about::About`. */
export interface About {
  name: string;
  version: string;
  vault_dir: string;
  vault_portable: boolean;
}

/** Every command: its arguments and its result. Mirrors src-tauri/desktop/commands.rs. */
export interface Commands {
  about: { args: Record<string, never>; result: About };
}

/** Calls a backend command; rejects with a `PackplanError`. */
export async function call<C extends keyof Commands>(
  command: C,
  args: Commands[C]["args"],
): Promise<Commands[C]["result"]> {
  try {
    return await invoke<Commands[C]["result"]>(command, args);
  } catch (raw) {
    throw toPackplanError(raw);
  }
}

/** Normalises whatever invoke rejected with into a `PackplanError`. */
export function toPackplanError(raw: unknown): PackplanError {
  if (raw instanceof PackplanError) return raw;
  if (typeof raw === "object" && raw !== null && "kind" in raw && "message" in raw) {
    const { kind, message } = raw as { kind: unknown; message: unknown };
    if (typeof kind === "string" && (KINDS as readonly string[]).includes(kind) && typeof message === "string") {
      return new PackplanError(kind as ErrorKind, message);
    }
  }
  const text = typeof raw === "string" ? raw : raw instanceof Error ? raw.message : JSON.stringify(raw);
  return new PackplanError("internal", `unexpected reply from the backend: ${text}`);
}
