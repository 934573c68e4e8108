/**
 * Locale-aware formatting through Intl, and the date helpers the forms need.
 * Legal dates are ISO `YYYY-MM-DD` strings: they are formatted as calendar dates in UTC so no time
 * zone can shift them by a day.
 */
import type { Lang } from '../../../shared/i18n';

export const LOCALES: Record<Lang, string> = { sv: 'sv-SE', nb: 'nb-NO', en: 'en-GB' };

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
 * What a clerk types into a date field → ISO, or null if it is not a date.
 * Accepts 2014-03-05, 20140305, 5.3.2014, 05.03.2014, 05/03/2014 (day first, as in all three locales).
 */
export function parseDateInput(text: string): string | null {
  const s = text.trim();
  let y: number;
  let m: number;
  let d: number;
  let match: RegExpExecArray | null;
  if ((match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s))) {
    y = Number(match[1]);
    m = Number(match[2]);
    d = Number(match[3]);
  } else if ((match = /^(\d{4})(\d{2})(\d{2})$/.exec(s))) {
    y = Number(match[1]);
    m = Number(match[2]);
    d = Number(match[3]);
  } else if ((match = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(s))) {
    d = Number(match[1]);
    m = Number(match[2]);
    y = Number(match[3]);
  } else {
    return null;
  }
  const iso = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return isValidIsoDate(iso) ? iso : null;
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

const displayNames = new Map<string, Intl.DisplayNames | null>();
function names(lang: Lang, type: 'region' | 'language'): Intl.DisplayNames | null {
  const key = `${lang}:${type}`;
  if (!displayNames.has(key)) {
    try {
      displayNames.set(key, new Intl.DisplayNames([LOCALES[lang]], { type, fallback: 'none' }));
    } catch {
      displayNames.set(key, null);
    }
  }
  return displayNames.get(key) ?? null;
}

/** "SE" → "Sverige" (sv) / "Sverige" (nb) / "Sweden" (en); the code itself if Intl does not know it. */
export function countryName(code: string | null | undefined, lang: Lang): string {
  if (!code) return '';
  try {
    return names(lang, 'region')?.of(code) ?? code;
  } catch {
    return code;
  }
}

export function languageName(code: string | null | undefined, lang: Lang): string {
  if (!code) return '';
  try {
    const n = names(lang, 'language')?.of(code);
    return n ? n.charAt(0).toLocaleUpperCase(LOCALES[lang]) + n.slice(1) : code;
  } catch {
    return code;
  }
}

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
