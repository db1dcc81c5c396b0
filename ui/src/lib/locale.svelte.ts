// The locale the screens write numbers and dates in, chosen in the vault's settings
// (Settings.locale) and read by every formatter in format.ts. It is reactive state:
// a screen that wrote a figure through format.ts writes it again when the locale
// changes, and a chart draws itself again.

/** What the screens use when the vault names no locale: English (US), as the exports. */
export const DEFAULT_LOCALE = "en-US";

export const display = $state({ locale: DEFAULT_LOCALE });

/** Writes from now on in `tag` (a BCP 47 tag the vault accepted), or the default for none. */
export function setLocale(tag: string | null | undefined): void {
  display.locale = tag && writable(tag) ? tag : DEFAULT_LOCALE;
}

/** Whether this machine's Intl writes `tag` (a malformed tag throws). */
function writable(tag: string): boolean {
  try {
    return Intl.NumberFormat.supportedLocalesOf([tag]).length > 0;
  } catch {
    return false;
  }
}
