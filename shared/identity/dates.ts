/**
 * Calendar helpers. Plain integer arithmetic (proleptic Gregorian) instead of `Date`, so that
 * results never depend on the host time zone and years before 1900 behave.
 */
import type { YMD } from './types';

export function isLeapYear(year: number): boolean {
  // Gregorian rule: 1900 was not a leap year, 2000 was.
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export function daysInMonth(year: number, month: number): number {
  if (month === 2 && isLeapYear(year)) return 29;
  return DAYS_IN_MONTH[month - 1] ?? 0;
}

export function isValidDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12) return false;
  return day >= 1 && day <= daysInMonth(year, month);
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

export function toIsoDate(d: YMD): string {
  return `${pad(d.year, 4)}-${pad(d.month, 2)}-${pad(d.day, 2)}`;
}

/** Strict YYYY-MM-DD (real calendar date) or null. */
export function parseIsoDate(s: string): YMD | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const d = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  return isValidDate(d.year, d.month, d.day) ? d : null;
}

/** Negative if a < b, 0 if equal, positive if a > b. */
export function compareYmd(a: YMD, b: YMD): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/**
 * Resolve the `today` option. A malformed `today` is a programming error (not user input),
 * so it throws instead of producing a parse error.
 */
export function resolveToday(today: string | undefined): YMD {
  if (today === undefined) {
    // The local calendar date: a clerk in Stockholm at 00:30 is already in "tomorrow".
    const now = new Date();
    return { year: now.getFullYear(), month: now.getMonth() + 1, day: now.getDate() };
  }
  const parsed = parseIsoDate(today);
  if (!parsed) throw new RangeError(`opts.today must be a real date in the form YYYY-MM-DD, got "${today}"`);
  return parsed;
}
