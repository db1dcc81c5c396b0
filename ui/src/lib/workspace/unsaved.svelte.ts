// Unsaved work across screens: an editor marks what it holds that is not saved
// yet, and the app frame asks before a navigation would lose it.

const pending = $state<Record<string, string>>({});

/** Marks `what` (a phrase such as "an edit of orders.quantity") as unsaved under `key`. */
export function markUnsaved(key: string, what: string): void {
  pending[key] = what;
}

/** The work under `key` was saved or discarded. */
export function clearUnsaved(key: string): void {
  delete pending[key];
}

/** Forgets every unsaved mark (after the user chose to discard). */
export function discardAll(): void {
  for (const key of Object.keys(pending)) delete pending[key];
}

/** What is unsaved now, in words. */
export function unsaved(): string[] {
  return Object.values(pending);
}
