// The window's classification banner: the strictest level of the vault's data in
// the site's scheme, worded and coloured by the backend (`vault_marking`). The app
// frame shows it at the window's top and bottom; whatever changes the data or the
// scheme asks for it again.

import { call, type Banner } from "../ipc";

let current = $state<Banner | null>(null);

/** The banner now; `null` while the vault holds no data (or is locked). */
export const windowMarking = {
  get current(): Banner | null {
    return current;
  },
};

/** Reads the marking again (after an import, a removal, an edit, a settings change). */
export async function refreshMarking(): Promise<void> {
  try {
    current = await call("vault_marking", {});
  } catch {
    // a failed read keeps the banner shown: a marking never disappears by accident
  }
}

/** The vault locked: nothing is shown, so nothing is marked. */
export function clearMarking(): void {
  current = null;
}
