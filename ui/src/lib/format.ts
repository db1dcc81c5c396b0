// Numbers and dates as the screens write them: one place, through Intl, so every
// screen writes a count, a share, a price or a time the same way. English (US)
// conventions on every machine, like the backend's charts and exports.

const LOCALE = "en-US";

const wholeFormat = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const percentFormat = new Intl.NumberFormat(LOCALE, { style: "percent", maximumFractionDigits: 0 });
const usdFormat = new Intl.NumberFormat(LOCALE, { style: "currency", currency: "USD" });
const usdMillionsFormat = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const significantFormat = new Intl.NumberFormat(LOCALE, { maximumSignificantDigits: 4 });
const dateTimeFormat = new Intl.DateTimeFormat(LOCALE, {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: "UTC",
  timeZoneName: "short",
});

const monthFormat = new Intl.DateTimeFormat(LOCALE, { month: "short", year: "numeric", timeZone: "UTC" });

/** A month as people read it, `Nov 2026`, from its absolute number (year * 12 + month - 1,
 * as chart specs count months). */
export function monthName(month: number): string {
  const m = Math.round(month);
  return monthFormat.format(Date.UTC(Math.floor(m / 12), ((m % 12) + 12) % 12, 1));
}

/** A count or any figure to the unit, grouped: `12,345`. */
export const whole = (v: number): string => wholeFormat.format(v);

/** A share from 0 to 1 as a whole percentage: `25%`. */
export const percent = (share: number): string => percentFormat.format(share);

/** US dollars and cents: `$2.34`, `$1,250.00`. */
export const usd = (v: number): string => usdFormat.format(v);

/** Large dollar sums in millions: `$3.4M`. */
export const usdMillions = (v: number): string => `$${usdMillionsFormat.format(v / 1e6)}M`;

/** A measured figure to four significant digits: `0.9512`, `1,250`. */
export const significant = (v: number): string => significantFormat.format(v);

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
  return Number.isNaN(t) ? rfc3339 : dateTimeFormat.format(t);
}
