/**
 * Locale-aware formatting through Intl, and the date helpers the forms need.
 * Legal dates are ISO `YYYY-MM-DD` strings: they are formatted as calendar dates in UTC so no time
 * zone can shift them by a day.
 */
import type { Lang } from '../../../shared/i18n';

import { LOCALES } from '../../../shared/i18n/names';
export { LOCALES };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isValidIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(lang: Lang): Intl.DateTimeFormat {
  let f = dateFormats.get(lang);
  if (!f) {
    // sv-SE gives 2014-03-05, nb-NO 05.03.2014, en-GB 05/03/2014: each office's own convention.
    f = new Intl.DateTimeFormat(LOCALES[lang], { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' });
    dateFormats.set(lang, f);
  }
  return f;
}

/** An ISO date in the active locale; anything that is not a calendar date is returned unchanged. */
export function formatDate(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '';
  if (!isValidIsoDate(iso)) return iso;
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return dateFormat(lang).format(new Date(Date.UTC(y, m - 1, d)));
}

const weekdayFormats = new Map<string, Intl.DateTimeFormat>();
/** The weekday of an ISO date in the active language ("måndag", "mandag", "Monday"); '' if not a date. */
export function formatWeekday(iso: string, lang: Lang): string {
  if (!isValidIsoDate(iso)) return '';
  let f = weekdayFormats.get(lang);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALES[lang], { weekday: 'long', timeZone: 'UTC' });
    weekdayFormats.set(lang, f);
  }
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return f.format(new Date(Date.UTC(y, m - 1, d)));
}

/** A UTC timestamp in local time, date and minutes. */
export function formatDateTime(ts: string | null | undefined, lang: Lang): string {
  if (!ts) return '';
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return ts;
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'short', timeStyle: 'short' }).format(d);
}

export function formatNumber(n: number, lang: Lang, opts?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(LOCALES[lang], opts).format(n);
}

export function formatPercent(n: number, lang: Lang): string {
  return new Intl.NumberFormat(LOCALES[lang], { style: 'percent', maximumFractionDigits: 1 }).format(n / 100);
}

/** Whole years between two ISO dates (a person born on 29 February turns a year older on 1 March). */
export function ageOn(birthIso: string | null | undefined, todayIso: string): number | null {
  if (!birthIso || !isValidIsoDate(birthIso) || !isValidIsoDate(todayIso)) return null;
  const [by, bm, bd] = birthIso.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = todayIso.split('-').map(Number) as [number, number, number];
  let age = ty - by;
  if (tm < bm || (tm === bm && td < bd)) age -= 1;
  return age < 0 ? null : age;
}

/**
 * The order of day and month in dates written with dots or slashes, per UI language. Swedish, Norwegian
 * and British offices all write the day first (17.8, 17/8/2026); a language that writes the month first
 * (US English) would say 'mdy' here, and every short form follows it. ISO and compact forms are
 * year-first in every language.
 */
export const DATE_ORDER: Record<Lang, 'dmy' | 'mdy'> = { sv: 'dmy', nb: 'dmy', en: 'dmy' };

export interface DateInputContext {
  /** The core's today (session.info), for `+14`, `-3` and dates typed without a year. */
  today?: string;
  /** Decides the day/month order of dotted and slashed dates (DATE_ORDER); Swedish order if absent. */
  lang?: Lang;
}

const pad2 = (n: number) => String(n).padStart(2, '0');
function isoOf(y: number, m: number, d: number): string | null {
  const iso = `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
  return isValidIsoDate(iso) ? iso : null;
}

/**
 * What a clerk types into a date field → ISO, or null if it is not a date.
 * Accepts 2026-08-17, 20260817, 17.8.2026, 17/8/2026, 17.8 and 17/8 (this year), +14 and -3 (days
 * from today). Dotted and slashed dates follow the language's order (DATE_ORDER). Forms that need
 * today give null without it: the machine's clock is not the register's date.
 */
export function parseDateInput(text: string, ctx: DateInputContext = {}): string | null {
  const s = text.trim();
  const today = ctx.today && isValidIsoDate(ctx.today) ? ctx.today : null;
  const order = DATE_ORDER[ctx.lang ?? 'sv'];
  let match: RegExpExecArray | null;
  if ((match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s)) || (match = /^(\d{4})(\d{2})(\d{2})$/.exec(s))) {
    return isoOf(Number(match[1]), Number(match[2]), Number(match[3]));
  }
  if ((match = /^([+-])(\d{1,5})$/.exec(s))) {
    if (!today) return null;
    const n = Number(match[2]);
    return addDays(today, match[1] === '-' ? -n : n);
  }
  // 17.8.2026, 17/8/2026, 17.8, 17/8 and 17.8. (the trailing dot Norwegian writes); one separator kind.
  if ((match = /^(\d{1,2})([./])(\d{1,2})(?:\2(\d{4}))?\.?$/.exec(s))) {
    const a = Number(match[1]);
    const b = Number(match[3]);
    const y = match[4] ? Number(match[4]) : today ? Number(today.slice(0, 4)) : null;
    if (y === null) return null;
    return order === 'dmy' ? isoOf(y, b, a) : isoOf(y, a, b);
  }
  return null;
}

/** Adds days to an ISO date. */
export function addDays(iso: string, days: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const dt = new Date(Date.UTC(y, m - 1, d + days));
  return dt.toISOString().slice(0, 10);
}

/** School year 2025 → "2025/26" (the year it starts in, as Skolverket and Udir write it). */
export function schoolYearLabel(y: number): string {
  return `${y}/${String((y + 1) % 100).padStart(2, '0')}`;
}

/** The school year an ISO date falls in (a year starts on 1 July). */
export function schoolYearOf(iso: string): number {
  const [y, m] = iso.split('-').map(Number) as [number, number];
  return m >= 7 ? y : y - 1;
}

export { countryName, languageName } from '../../../shared/i18n/names';

interface Named {
  givenName: string;
  middleName: string | null;
  familyName: string;
}
/** "Andersson, Anna Maria": how registers and class lists sort and show people. */
export function listName(p: Named): string {
  return `${p.familyName}, ${[p.givenName, p.middleName].filter(Boolean).join(' ')}`;
}
/** "Anna Maria Andersson". */
export function fullName(p: Named): string {
  return [p.givenName, p.middleName, p.familyName].filter(Boolean).join(' ');
}

/** A formatted date in any UI language's form: 2026-12-03 (sv), 03.12.2026 (nb), 03/12/2026 (en). */
const FORMATTED_DATE = /\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4}|\d{1,2}\/\d{1,2}\/\d{4}/g;

/**
 * Splits a text (a message with dates filled in) into runs, marking the dates: they are shown unbroken
 * (a line break after a date's hyphen reads as "2026-" and "12-03"). The text itself is unchanged.
 */
export function splitDates(text: string): { text: string; date: boolean }[] {
  const out: { text: string; date: boolean }[] = [];
  let at = 0;
  for (const m of text.matchAll(FORMATTED_DATE)) {
    if (m.index > at) out.push({ text: text.slice(at, m.index), date: false });
    out.push({ text: m[0], date: true });
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push({ text: text.slice(at), date: false });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Money and months (fees)
// ---------------------------------------------------------------------------------------------

/** The currency of a municipality's fees: kronor in Sweden, kroner in Norway. */
export type Currency = 'SEK' | 'NOK';
export const currencyOf = (country: string | null | undefined): Currency => (country === 'NO' ? 'NOK' : 'SEK');

const moneyFormats = new Map<string, Intl.NumberFormat>();
/**
 * An amount in öre/øre (an integer) as kronor with two decimals in the reader's locale: "1 547,00 kr" (sv),
 * "1 547,00 kr" or "1 547,00 SEK" (nb), "SEK 1,547.00" (en). A negative amount (a credit) keeps its minus
 * sign. (An integer of öre divided by 100 is the nearest double to the amount, far closer than the half öre
 * that two decimals round at: exact for every amount below 2^53 öre.)
 */
export function formatMoney(ore: number, lang: Lang, currency: Currency = 'SEK'): string {
  if (!Number.isFinite(ore)) return '';
  const key = `${lang}:${currency}`;
  let f = moneyFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(LOCALES[lang], { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 });
    moneyFormats.set(key, f);
  }
  return f.format(ore / 100);
}

/** Basis points as a percentage: 300 → "3 %" (sv), "3%" (en); 150 → "1,5 %". */
export function formatBasisPoints(bp: number, lang: Lang): string {
  return new Intl.NumberFormat(LOCALES[lang], { style: 'percent', maximumFractionDigits: 2 }).format(bp / 10_000);
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
export const isMonth = (s: string): boolean => MONTH.test(s);

/** A month YYYY-MM written out: "december 2026" (sv), "desember 2026" (nb), "December 2026" (en). */
export function formatMonth(month: string, lang: Lang): string {
  const m = MONTH.exec(month);
  if (!m) return month;
  return new Intl.DateTimeFormat(LOCALES[lang], { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)));
}

/** A month `n` months from `month` (YYYY-MM). */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const t = y * 12 + (m - 1) + n;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
}

/** The month after the one a date (YYYY-MM-DD) falls in. */
export const nextMonthOf = (iso: string): string => addMonths(iso.slice(0, 7), 1);
