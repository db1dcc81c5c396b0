// The numbers and dates every screen writes, through one module.
import { afterEach, describe, expect, it } from "vitest";
import {
  chartValue,
  dateTime,
  kib,
  month,
  monthName,
  percent,
  shortNumber,
  significant,
  usd,
  usdMillions,
  whole,
} from "./format";
import { setLocale } from "./locale.svelte";

afterEach(() => setLocale(null));

describe("numbers", () => {
  it("writes counts, shares and prices the same way everywhere", () => {
    expect(whole(2048)).toBe("2,048");
    expect(whole(12345.6)).toBe("12,346");
    expect(percent(0.25)).toBe("25%");
    expect(percent(1)).toBe("100%");
    expect(usd(2.345)).toBe("$2.35");
    expect(usd(1250)).toBe("$1,250.00");
    expect(usdMillions(3_420_000)).toBe("$3.4M");
    expect(usdMillions(3_000_000)).toBe("$3.0M");
    expect(significant(0.951234)).toBe("0.9512");
    expect(significant(1250)).toBe("1,250");
    expect(kib(10_240)).toBe("10 KiB");
  });

  it("shortens chart values as the exporter does", () => {
    expect(shortNumber(1_234_567)).toBe("1.2M");
    expect(shortNumber(35_000)).toBe("35k");
    expect(shortNumber(250)).toBe("250");
    expect(shortNumber(0.25)).toBe("0.25");
    expect(chartValue(35_000)).toBe("35,000");
    expect(chartValue(0.25)).toBe("0.25");
  });
});

describe("dates", () => {
  it("writes a recorded moment in UTC to the minute, and anything else as it came", () => {
    expect(dateTime("2026-11-26T14:05:09Z")).toBe("Nov 26, 2026, 14:05 UTC");
    expect(dateTime("2026-11-26T15:05:09+01:00")).toBe("Nov 26, 2026, 14:05 UTC");
    expect(dateTime("not a date")).toBe("not a date");
  });
});

describe("months", () => {
  it("writes a month as people say it, not as the backend stores it", () => {
    expect(month("2027-09")).toBe("Sep 2027");
    expect(month("2026-01")).toBe("Jan 2026");
    expect(monthName(2026 * 12 + 10)).toBe("Nov 2026");
    expect(month(null, "beyond the horizon")).toBe("beyond the horizon");
    expect(month("2027-13")).toBe("2027-13");
    expect(month("soon")).toBe("soon");
  });
});

describe("the locale setting", () => {
  it("writes numbers and months in the chosen locale, and back in English (US) without one", () => {
    setLocale("de-DE");
    expect(whole(12345)).toBe("12.345");
    expect(month("2027-03")).toBe("März 2027");
    expect(percent(0.25)).toBe("25\u00a0%");
    setLocale("en-GB");
    expect(month("2027-09")).toBe("Sept 2027");
    setLocale(null);
    expect(whole(12345)).toBe("12,345");
    expect(month("2027-09")).toBe("Sep 2027");
  });

  it("falls back to English (US) for a tag this machine cannot write", () => {
    setLocale("not a tag");
    expect(whole(12345)).toBe("12,345");
  });
});
