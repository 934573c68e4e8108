/**
 * Swedish personnummer / samordningsnummer (Skatteverket; folkbokföringslagen 18 §, 18 a §).
 *
 * Canonical form: 12 characters YYYYMMDDNNNC (samordningsnummer keep day + 60; interim numbers keep
 * their letter). Display form: YYYYMMDD-NNNC — the 4-digit year removes the century guesswork, and
 * this is what Swedish school/admin systems show. Skatteverket's '+' only exists to disambiguate the
 * 10-digit form, so the long display always uses '-'; `formatSwedish(…, { form: 'short' })` gives
 * the 10-character YYMMDD-NNNC / YYMMDD+NNNC form.
 */
import { luhnCheckDigit } from './checksums';
import { compareYmd, isValidDate, resolveToday, toIsoDate, parseIsoDate } from './dates';
import { describeChar, fail, pad2 } from './result';
import type { IdOptions, IdParseError, IdParseResult, YMD } from './types';

/**
 * Letters used in the first birth-number position of interim numbers (e.g. Ladok, regions):
 * the set used by the public personnummer/meta test data. Look-alikes of digits (O, I) are
 * deliberately absent, so a mistyped 0/1 is still reported as a bad character.
 */
export const INTERIM_LETTERS = 'TRSUWXJKLMNP';

const SAMORDNING_DAY_OFFSET = 60;

interface SwedishParts {
  /** '19'/'20'… when typed with a 4-digit year, else null. */
  century: string | null;
  yy: string;
  mm: string;
  dd: string;
  sep: '-' | '+' | null;
  /** Three characters; the first may be an interim letter. */
  birthNumber: string;
  check: string;
}

/** Split the typed string into parts, or explain precisely what is wrong with its shape. */
function splitSwedish(s: string, allowInterim: boolean): SwedishParts | IdParseError {
  if (/\s/u.test(s)) {
    return fail(
      'bad_characters',
      "Spaces are not allowed in a Swedish personnummer; write it as YYMMDD-NNNC or YYYYMMDDNNNC ('+' instead of '-' from the year the person turns 100)",
    );
  }
  const bad = /[^0-9A-Z+-]/u.exec(s);
  if (bad) return fail('bad_characters', `${describeChar(bad[0])} is not allowed in a Swedish personnummer`);

  const seps = s.replace(/[^+-]/g, '');
  if (seps.length > 1) {
    return fail('bad_characters', `Only one separator ('-' or '+') is allowed, found ${seps.length}`);
  }
  const sepIndex = s.search(/[+-]/);
  const body = sepIndex < 0 ? s : s.slice(0, sepIndex) + s.slice(sepIndex + 1);
  if (body.length !== 10 && body.length !== 12) {
    return fail('bad_length', `A Swedish personnummer has 10 or 12 digits, got ${body.length}`);
  }
  if (sepIndex >= 0 && sepIndex !== s.length - 5) {
    return fail('bad_characters', `The separator '${s[sepIndex]}' must stand before the last four digits (YYMMDD-NNNC)`);
  }
  const letterProblem = checkLetters(body, allowInterim);
  if (letterProblem) return letterProblem;

  const long = body.length === 12;
  const date = long ? body.slice(2, 8) : body.slice(0, 6);
  return {
    century: long ? body.slice(0, 2) : null,
    yy: date.slice(0, 2),
    mm: date.slice(2, 4),
    dd: date.slice(4, 6),
    sep: sepIndex < 0 ? null : (s[sepIndex] as '-' | '+'),
    birthNumber: body.slice(-4, -1),
    check: body.slice(-1),
  };
}

/** Letters are only meaningful as the interim letter (first birth-number position). */
function checkLetters(body: string, allowInterim: boolean): IdParseError | null {
  const interimPos = body.length - 4;
  for (let i = 0; i < body.length; i++) {
    const ch = body.charAt(i);
    if (ch >= '0' && ch <= '9') continue;
    if (i !== interimPos) {
      return fail('bad_characters', `Letter '${ch}' is not allowed at position ${i + 1}; only digits are allowed there`);
    }
    if (!INTERIM_LETTERS.includes(ch)) {
      return fail(
        'bad_characters',
        `Letter '${ch}' is not an interim-number letter (allowed: ${INTERIM_LETTERS.split('').join(', ')})`,
      );
    }
    if (!allowInterim) {
      return fail('interim_not_allowed', `Interim numbers (letter '${ch}' in the birth number) are not accepted here`);
    }
  }
  return null;
}

/**
 * Century of a 10-digit number. Skatteverket switches '-' to '+' from the start of the calendar
 * year in which the person turns 100, so '-' (or no separator) means born in one of the 100
 * calendar years ending with today's year, '+' the 100 years before that.
 */
export function resolveSwedishYear(yy: number, plus: boolean, today: YMD): number {
  const latest = today.year - ((((today.year - yy) % 100) + 100) % 100);
  return plus ? latest - 100 : latest;
}

function checkDateParts(year: number, mm: string, dd: string): { birth: YMD; samordning: boolean } | IdParseError {
  const month = Number(mm);
  const dayField = Number(dd);
  const samordning = dayField > SAMORDNING_DAY_OFFSET;
  const day = samordning ? dayField - SAMORDNING_DAY_OFFSET : dayField;
  if (month < 1 || month > 12) return fail('bad_date', `Month ${mm} does not exist`);
  if (!isValidDate(year, month, day)) {
    const what = samordning ? ` (samordningsnummer day ${dd} − 60)` : '';
    return fail('bad_date', `${year}-${mm}-${pad2(day)}${what} is not a calendar date`);
  }
  return { birth: { year, month, day }, samordning };
}

export function parseSwedish(s: string, opts: IdOptions): IdParseResult {
  const parts = splitSwedish(s, opts.allowInterim === true);
  if ('ok' in parts) return parts;
  const { birthNumber, check } = parts;

  if (birthNumber === '000') {
    return fail('bad_individual_number', 'Birth number 000 is never issued; it must be 001–999');
  }
  const interim = !/^\d$/.test(birthNumber.charAt(0));
  // Interim numbers: the letter counts as 1 in the Luhn sum (convention of the issuing systems).
  const nine = parts.yy + parts.mm + parts.dd + (interim ? '1' + birthNumber.slice(1) : birthNumber);
  const expected = luhnCheckDigit(nine);
  if (Number(check) !== expected) return fail('bad_checksum', `Check digit is ${check} but should be ${expected}`);

  const today = resolveToday(opts.today);
  const year = parts.century
    ? Number(parts.century + parts.yy)
    : resolveSwedishYear(Number(parts.yy), parts.sep === '+', today);
  const dated = checkDateParts(year, parts.mm, parts.dd);
  if ('ok' in dated) return dated;
  if (compareYmd(dated.birth, today) > 0) {
    return fail('future_date', `Birth date ${toIsoDate(dated.birth)} is after today (${toIsoDate(today)})`);
  }

  const canonical = `${year}${parts.mm}${parts.dd}${birthNumber}${check}`;
  return {
    ok: true,
    kind: dated.samordning ? 'se_samordningsnummer' : 'se_personnummer',
    country: 'SE',
    canonical,
    display: formatSwedish(canonical),
    birthDate: toIsoDate(dated.birth),
    // Interim numbers are stand-ins issued before identity is settled: no sex is encoded.
    sex: interim ? null : Number(birthNumber.charAt(2)) % 2 === 1 ? 'M' : 'F',
    ...(interim ? { interim: true as const } : {}),
  };
}

/** Is this a Swedish canonical (12 characters, optional interim letter)? */
export function isSwedishCanonical(c: string): boolean {
  return new RegExp(`^\\d{8}[0-9${INTERIM_LETTERS}]\\d{3}$`).test(c);
}

/**
 * 'long' → YYYYMMDD-NNNC. 'short' → YYMMDD-NNNC, or YYMMDD+NNNC from the calendar year the person
 * turns 100 (needs `today`).
 */
export function formatSwedish(canonical: string, opts: { today?: string; form?: 'long' | 'short' } = {}): string {
  if (opts.form !== 'short') return `${canonical.slice(0, 8)}-${canonical.slice(8)}`;
  const today = resolveToday(opts.today);
  const sep = today.year - Number(canonical.slice(0, 4)) >= 100 ? '+' : '-';
  return `${canonical.slice(2, 8)}${sep}${canonical.slice(8)}`;
}

/**
 * Demo-data generator: a valid 12-digit canonical for a birth date and birth number (1–999).
 * The birth number's last digit decides the sex (odd = M). Throws RangeError on bad arguments.
 */
export function makeSwedishPersonnummer(birthDate: string, serial: number, opts: { samordning?: boolean } = {}): string {
  const d = parseIsoDate(birthDate);
  if (!d) throw new RangeError(`birthDate must be a real date YYYY-MM-DD, got "${birthDate}"`);
  if (!Number.isInteger(serial) || serial < 1 || serial > 999) {
    throw new RangeError(`serial (birth number) must be an integer 1–999, got ${serial}`);
  }
  const dd = pad2(d.day + (opts.samordning ? SAMORDNING_DAY_OFFSET : 0));
  const mmdd = pad2(d.month) + dd;
  const nnn = String(serial).padStart(3, '0');
  const yyyy = String(d.year).padStart(4, '0');
  const c = luhnCheckDigit(yyyy.slice(2) + mmdd + nnn);
  return `${yyyy}${mmdd}${nnn}${c}`;
}
