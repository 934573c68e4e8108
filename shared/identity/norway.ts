/**
 * Norwegian fødselsnummer, D-nummer, H-nummer and synthetic test numbers (Skatteetaten,
 * folkeregisterloven). Layout: DDMMYY III K1 K2.
 *
 * Canonical form: the 11 digits as issued (offsets kept). Display: "DDMMYY IIIKK", the way
 * Norwegian forms split fødselsdato and personnummer.
 */
import { norwegianK1Candidates2032, norwegianK1Classic, norwegianK2 } from './checksums';
import { compareYmd, isValidDate, parseIsoDate, resolveToday, toIsoDate } from './dates';
import { describeChar, fail, pad2 } from './result';
import type { IdKind, IdOptions, IdParseError, IdParseResult, YMD } from './types';

/** D-nummer (foreign nationals): day + 40, i.e. first digit 4–7. */
const D_OFFSET = 40;
/** H-nummer (health-sector help numbers): month + 40. */
const H_OFFSET = 40;
/**
 * Synthetic test identities (Skatteetaten's Tenor test data, NAV "tnr"): month + 80. NAV's Dolly
 * formerly used month + 40 too, but that collides with the H-nummer, so +40 is always H-nummer here.
 */
const SYNTHETIC_OFFSET = 80;

/**
 * Birth year from the two-digit year and the individnummer (Skatteetaten's allocation table).
 * Returns null for combinations that are never issued.
 */
export function norwegianBirthYear(yy: number, individ: number): number | null {
  if (individ <= 499) return 1900 + yy;
  if (yy <= 39) return 2000 + yy; // 500–999 with year 00–39
  if (individ >= 900) return 1900 + yy; // 900–999 with year 40–99
  if (individ <= 749 && yy >= 54) return 1800 + yy; // 500–749 with year 54–99
  return null;
}

/** The individnummer ranges Skatteetaten uses for a birth year (empty outside 1854–2039). */
export function norwegianIndividRanges(year: number): Array<[number, number]> {
  if (year >= 1854 && year <= 1899) return [[500, 749]];
  if (year >= 1900 && year <= 1939) return [[0, 499]];
  if (year >= 1940 && year <= 1999) return [[0, 499], [900, 999]];
  if (year >= 2000 && year <= 2039) return [[500, 999]];
  return [];
}

/** Strict but friendly: 11 digits, optionally one space or '-' between DDMMYY and IIIKK. */
function extractDigits(s: string): string | IdParseError {
  const bad = /[^0-9 -]/u.exec(s);
  if (bad) {
    const what = /[A-Z]/.test(bad[0]) ? `Letter '${bad[0]}'` : describeChar(bad[0]);
    return fail('bad_characters', `${what} is not allowed in a Norwegian fødselsnummer; only digits`);
  }
  const digits = s.replace(/[ -]/g, '');
  if (digits.length !== 11) {
    return fail('bad_length', `A Norwegian fødselsnummer has 11 digits, got ${digits.length}`);
  }
  const seps = s.length - digits.length;
  if (seps > 1 || (seps === 1 && !/^\d{6}[ -]\d{5}$/.test(s))) {
    return fail(
      'bad_characters',
      "Only one space or '-' is allowed, between the birth date (6 digits) and the personal number (5 digits)",
    );
  }
  return digits;
}

/** Checks k1 (classic or 2032 rule) and k2; returns which k1 rule holds. */
function checkDigits(d: string): 'classic' | '2032' | IdParseError {
  const nine = d.slice(0, 9);
  const k1 = Number(d.charAt(9));
  const classic = norwegianK1Classic(nine);
  const candidates = norwegianK1Candidates2032(nine);
  if (!candidates.includes(k1)) {
    const classicText = classic === null ? 'no classic check digit exists for these nine digits' : `${classic} (classic rule)`;
    return fail(
      'bad_checksum',
      `First check digit (k1) is ${k1} but should be ${classicText}, or one of ${candidates.join(', ')} under the 2032 rule`,
    );
  }
  const k2 = norwegianK2(d.slice(0, 10));
  if (k2 === null) return fail('bad_checksum', `No valid second check digit (k2) exists for these first ten digits (k1 = ${k1})`);
  if (Number(d.charAt(10)) !== k2) {
    return fail('bad_checksum', `Second check digit (k2) is ${d.charAt(10)} but should be ${k2} (given k1 = ${k1})`);
  }
  return k1 === classic ? 'classic' : '2032';
}

interface Decoded {
  kind: IdKind;
  day: number;
  month: number;
  /** Explains removed offsets in date error messages, e.g. " (D-nummer: day field 71 − 40)". */
  note: string;
}

/** Remove the D/H/synthetic offsets and decide the kind; enforce the H/synthetic switches. */
function decodeKind(d: string, opts: IdOptions): Decoded | IdParseError {
  const dayField = Number(d.slice(0, 2));
  const monthField = Number(d.slice(2, 4));
  const dNumber = dayField > D_OFFSET;
  const day = dNumber ? dayField - D_OFFSET : dayField;
  if (day < 1 || day > 31) {
    return fail('bad_date', `Day field ${d.slice(0, 2)} is not a day (nor day + 40 for a D-nummer)`);
  }
  // Classify by range first, so a garbled month (e.g. 60) is a bad date, not an "H-nummer".
  const offset = monthField > SYNTHETIC_OFFSET ? SYNTHETIC_OFFSET : monthField > H_OFFSET ? H_OFFSET : 0;
  const month = monthField - offset;
  if (month < 1 || month > 12) {
    return fail('bad_date', `Month field ${d.slice(2, 4)} is not a month (nor month + 40 for H-nummer or month + 80 for test numbers)`);
  }
  let kind: IdKind = dNumber ? 'no_d_nummer' : 'no_fodselsnummer';
  if (offset === SYNTHETIC_OFFSET) {
    if (!opts.allowSynthetic) {
      return fail('synthetic_not_allowed', 'This is a synthetic test number (month + 80); test numbers are only accepted in demo/test mode');
    }
    kind = 'no_synthetic';
  } else if (offset === H_OFFSET) {
    if (!opts.allowHNumber) {
      return fail('h_number_not_allowed', 'This is an H-nummer (month + 40, a health-sector help number); H-numbers are not accepted here');
    }
    kind = 'no_h_nummer';
  }
  const notes = [
    dNumber ? `D-nummer: day field ${d.slice(0, 2)} − 40` : '',
    month !== monthField ? `month field ${d.slice(2, 4)} − ${monthField - month}` : '',
  ].filter(Boolean);
  return { kind, day, month, note: notes.length ? ` (${notes.join(', ')})` : '' };
}

export function parseNorwegian(s: string, opts: IdOptions): IdParseResult {
  const d = extractDigits(s);
  if (typeof d !== 'string') return d;
  const rule = checkDigits(d);
  if (typeof rule !== 'string') return rule;
  const decoded = decodeKind(d, opts);
  if ('ok' in decoded) return decoded;

  const yy = Number(d.slice(4, 6));
  const individ = Number(d.slice(6, 9));
  // Skatteetaten: from 2032 the century can no longer be relied on from the number; the register is
  // the authority. Without the register at hand we still apply the allocation table, also for
  // 2032-rule numbers, as the best available reading.
  const year = norwegianBirthYear(yy, individ);
  if (year === null) {
    return fail(
      'bad_individual_number',
      `Individnummer ${d.slice(6, 9)} is not issued for year ${d.slice(4, 6)} (500–749 only with year 54–99, 750–899 only with year 00–39, 900–999 with any year)`,
    );
  }
  const birth: YMD = { year, month: decoded.month, day: decoded.day };
  if (!isValidDate(year, birth.month, birth.day)) {
    return fail('bad_date', `${year}-${pad2(birth.month)}-${pad2(birth.day)}${decoded.note} is not a calendar date`);
  }
  const today = resolveToday(opts.today);
  if (compareYmd(birth, today) > 0) {
    return fail('future_date', `Birth date ${toIsoDate(birth)} is after today (${toIsoDate(today)})`);
  }
  return {
    ok: true,
    kind: decoded.kind,
    country: 'NO',
    canonical: d,
    display: formatNorwegian(d),
    birthDate: toIsoDate(birth),
    // From 2032 numbers are sex-neutral; only classic-rule numbers still encode it (Skatteetaten).
    sex: rule === 'classic' ? (Number(d.charAt(8)) % 2 === 1 ? 'M' : 'F') : null,
    checkRule: rule,
  };
}

export function formatNorwegian(canonical: string): string {
  return `${canonical.slice(0, 6)} ${canonical.slice(6)}`;
}

/**
 * Demo-data generator (classic check digits, so sex stays readable). The individnummer must fit the
 * birth year (see norwegianIndividRanges), else RangeError. Returns null when k1 or k2 would be 10:
 * such numbers are never issued and the caller should try the next individnummer.
 */
export function makeNorwegianFodselsnummer(
  birthDate: string,
  individ: number,
  opts: { dNumber?: boolean; synthetic?: boolean } = {},
): string | null {
  const b = parseIsoDate(birthDate);
  if (!b) throw new RangeError(`birthDate must be a real date YYYY-MM-DD, got "${birthDate}"`);
  if (!Number.isInteger(individ) || individ < 0 || individ > 999) {
    throw new RangeError(`individ must be an integer 0–999, got ${individ}`);
  }
  if (norwegianBirthYear(b.year % 100, individ) !== b.year) {
    const ranges = norwegianIndividRanges(b.year).map(([lo, hi]) => `${lo}–${hi}`).join(', ') || 'none';
    throw new RangeError(`individnummer ${individ} does not fit birth year ${b.year} (allowed: ${ranges})`);
  }
  const dd = pad2(b.day + (opts.dNumber ? D_OFFSET : 0));
  const mm = pad2(b.month + (opts.synthetic ? SYNTHETIC_OFFSET : 0));
  const nine = `${dd}${mm}${pad2(b.year % 100)}${String(individ).padStart(3, '0')}`;
  const k1 = norwegianK1Classic(nine);
  if (k1 === null) return null;
  const k2 = norwegianK2(nine + k1);
  return k2 === null ? null : `${nine}${k1}${k2}`;
}
