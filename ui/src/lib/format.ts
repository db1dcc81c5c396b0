// Numbers and dates as the screens write them: one place, through Intl, so every
// screen writes a count, a share, a price, a month or a time the same way, in the
// locale the vault's settings name (locale.svelte.ts; English (US) by default, like
// the backend's charts and exports). Every function reads the locale when called, so
// what a screen wrote through it is written again when the locale changes.
import { display } from "./locale.svelte";

/** The formatters of one locale, made once. */
function formatsOf(locale: string) {
  return {
    whole: new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }),
    percent: new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 }),
    usd: new Intl.NumberFormat(locale, { style: "currency", currency: "USD" }),
    usdMillions: new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
    significant: new Intl.NumberFormat(locale, { maximumSignificantDigits: 4 }),
    dateTime: new Intl.DateTimeFormat(locale, {
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZone: "UTC",
      timeZoneName: "short",
    }),
    month: new Intl.DateTimeFormat(locale, { month: "short", year: "numeric", timeZone: "UTC" }),
  };
}

const made = new Map<string, ReturnType<typeof formatsOf>>();
function formats() {
  const locale = display.locale;
  let f = made.get(locale);
  if (!f) made.set(locale, (f = formatsOf(locale)));
  return f;
}

/** A month as people read it, `Nov 2026`, from its absolute number (year * 12 + month - 1,
 * as chart specs count months). */
export function monthName(month: number): string {
  const m = Math.round(month);
  return formats().month.format(Date.UTC(Math.floor(m / 12), ((m % 12) + 12) % 12, 1));
}

/** A month the backend wrote (`2027-09`) as people read it, `Sep 2027`; `none` when there
 * is no month. Text that is not a month is shown as it came. */
export function month(m: string | null | undefined, none = ""): string {
  if (m === null || m === undefined) return none;
  const parts = /^(\d{4})-(\d{2})$/.exec(m);
  if (!parts) return m;
  const number = Number(parts[2]);
  return number >= 1 && number <= 12 ? monthName(Number(parts[1]) * 12 + number - 1) : m;
}

/** A count or any figure to the unit, grouped: `12,345`. */
export const whole = (v: number): string => formats().whole.format(v);

/** A share from 0 to 1 as a whole percentage: `25%`. */
export const percent = (share: number): string => formats().percent.format(share);

/** US dollars and cents: `$2.34`, `$1,250.00`. */
export const usd = (v: number): string => formats().usd.format(v);

/** Large dollar sums in millions: `$3.4M`. */
export const usdMillions = (v: number): string => `$${formats().usdMillions.format(v / 1e6)}M`;

/** A measured figure to four significant digits: `0.9512`, `1,250`. */
export const significant = (v: number): string => formats().significant.format(v);

/** A byte count in KiB: `12 KiB`. */
export const kib = (bytes: number): string => `${whole(bytes / 1024)} KiB`;

/** Short numbers for chart axes and tooltips, as the backend's exporter writes them: `1.2M`, `35k`, `0.25`. */
export function shortNumber(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${(v / 1e9).toFixed(1)}B`;
  if (a >= 1e6) return `${(v / 1e6).toFixed(1)}M`;
  if (a >= 1e4) return `${(v / 1e3).toFixed(0)}k`;
  if (a >= 100 || Number.isInteger(v)) return v.toFixed(0);
  return v.toFixed(2);
}

/** A chart value in tooltips: grouped digits from 10,000 on, short below. */
export const chartValue = (v: number): string => (Math.abs(v) >= 1e4 ? whole(v) : shortNumber(v));

/** A moment the backend recorded (RFC 3339), in UTC to the minute: `Nov 26, 2026, 14:05 UTC`.
 * Text that is not a date is shown as it came. */
export function dateTime(rfc3339: string): string {
  const t = Date.parse(rfc3339);
  return Number.isNaN(t) ? rfc3339 : formats().dateTime.format(t);
}
