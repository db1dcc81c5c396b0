// The UI's one door to the Rust backend. Every call to a command goes through
// `call`, typed by the generated contract (./bindings.ts: each command's arguments
// and result, and every type that crosses IPC, generated from the Rust definitions),
// and turns a rejected invoke into a `PackplanError` carrying the backend's `{kind, message}`.
import { invoke, Channel } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { LOCKED_EVENT, type Commands, type ErrorKind, type LockReason, type ProgressReport } from "./bindings";

export type * from "./bindings";
export { LOCKED_EVENT };

/** Every kind of `packplan_core::ErrorKind`: the compiler checks this against the generated type. */
const KINDS: Record<ErrorKind, true> = {
  invalid: true,
  not_found: true,
  already_exists: true,
  wrong_key: true,
  locked: true,
  damaged: true,
  cancelled: true,
  io: true,
  internal: true,
};

/** A failure reported by the backend, with a message written for the user. */
export class PackplanError extends Error {
  readonly kind: ErrorKind;
  constructor(kind: ErrorKind, message: string) {
    super(message);
    this.name = "PackplanError";
    this.kind = kind;
  }
}

/** A channel the backend reports progress on. */
export function progressChannel(handler: (report: ProgressReport) => void): Channel<ProgressReport> {
  const channel = new Channel<ProgressReport>();
  channel.onmessage = handler;
  return channel;
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

/** Asks the backend to cancel the running job (Monte Carlo, tornado, import); what it was doing is dropped. */
export async function cancelWork(): Promise<void> {
  await call("work_cancel", {}).catch(() => {});
}

/** The sentence to show for a failure: the backend's message, or what else went wrong. */
export function messageOf(e: unknown): string {
  return e instanceof PackplanError ? e.message : String(e);
}

/** The sentence for a failure of long work: `cancelled` when the user cancelled it, else as `messageOf`. */
export function failureOf(e: unknown, cancelled: string): string {
  return e instanceof PackplanError && e.kind === "cancelled" ? cancelled : messageOf(e);
}

/** Normalises whatever invoke rejected with into a `PackplanError`. */
export function toPackplanError(raw: unknown): PackplanError {
  if (raw instanceof PackplanError) return raw;
  if (typeof raw === "object" && raw !== null && "kind" in raw && "message" in raw) {
    const { kind, message } = raw as { kind: unknown; message: unknown };
    if (typeof kind === "string" && Object.hasOwn(KINDS, kind) && typeof message === "string") {
      return new PackplanError(kind as ErrorKind, message);
    }
  }
  const text = typeof raw === "string" ? raw : raw instanceof Error ? raw.message : JSON.stringify(raw);
  return new PackplanError("internal", `unexpected reply from the backend: ${text}`);
}

/** Calls `handler` whenever the backend locks the vault (Ctrl+L elsewhere, or auto-lock).
 * Resolves to a function that stops listening. */
export async function onLocked(handler: (reason: LockReason) => void): Promise<() => void> {
  return listen<LockReason>(LOCKED_EVENT, (event) => handler(event.payload));
}
