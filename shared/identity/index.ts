/**
 * Identity numbers of Sweden and Norway: parsing, validation, display and demo-data generation.
 * Pure and dependency-free (no Node APIs): used by the core, the renderer and the CLI alike.
 * Rules: /work/shared/domain.md §1. Design decisions:
 *
 * - Country: `opts.country` restricts; otherwise 11 digits (optionally one space or '-' after the
 *   birth date) are Norwegian and everything else is treated as Swedish (10 or 12 characters).
 *   `ambiguous` is reserved in the error codes but cannot occur with these length rules.
 * - Swedish 10-digit input without separator is read as if written with '-' (the person is under
 *   100 this calendar year), so `missing_separator` is never returned. People aged 100+ must be
 *   typed with '+' or with a 4-digit year.
 * - The long Swedish display is YYYYMMDD-NNNC; Norway displays "DDMMYY IIIKK".
 * - Norway accepts one space or '-' between DDMMYY and IIIKK; Sweden rejects spaces (Skatteverket:
 *   spaces are not separators). Typographic dashes and non-breaking spaces are normalised first.
 * - Checks run checksum-first (after shape), so a single mistyped digit is reported as a check-digit
 *   error; H-/synthetic/interim refusals only appear for otherwise well-formed numbers.
 * - Swedish interim numbers: letter (T R S U W X J K L M N P) in the first birth-number position,
 *   the letter counts as 1 in the Luhn sum; kind stays se_personnummer with `interim: true`, sex null.
 * - Norway 2032 rule: k1 valid when (weighted sum + k1) mod 11 ∈ {0,1,2,3}; sex is null for numbers
 *   valid only under it; century still from the individnummer table. Month + 40 is always H-nummer
 *   (not NAV Dolly's old synthetic +40); only month + 80 is synthetic.
 */
import { isSwedishCanonical, formatSwedish, parseSwedish } from './sweden';
import { formatNorwegian, parseNorwegian } from './norway';
import { fail } from './result';
import type { IdOptions, IdParseResult } from './types';

export type { IdCountry, IdErrorCode, IdKind, IdOptions, IdParseError, IdParseOk, IdParseResult } from './types';
export { luhnCheckDigit, norwegianK1Candidates2032, norwegianK1Classic, norwegianK2 } from './checksums';
export { makeSwedishPersonnummer, INTERIM_LETTERS, resolveSwedishYear } from './sweden';
export { makeNorwegianFodselsnummer, norwegianBirthYear, norwegianIndividRanges } from './norway';

/** Dashes that word processors substitute for '-' (hyphen, en/em dash, minus sign …). */
const DASH_VARIANTS = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;
/** Non-breaking and typographic spaces, so pasted Norwegian numbers behave like typed ones. */
const SPACE_VARIANTS = /[\u00A0\u2000-\u200A\u202F\u205F\u3000]/g;

function normalise(input: string): string {
  return input.trim().replace(DASH_VARIANTS, '-').replace(SPACE_VARIANTS, ' ').toUpperCase();
}

/** Without a country restriction: 11 plain digits (with at most spaces/'-') are Norwegian. */
function looksNorwegian(s: string): boolean {
  return /^[\d -]+$/.test(s) && s.replace(/\D/g, '').length === 11;
}

export function parseIdentityNumber(input: string, opts: IdOptions = {}): IdParseResult {
  if (typeof input !== 'string' || input.trim() === '') {
    return fail('empty', 'No identity number was entered');
  }
  const s = normalise(input);
  if (opts.country === 'NO') return parseNorwegian(s, opts);
  if (opts.country === 'SE') return parseSwedish(s, opts);
  if (looksNorwegian(s)) return parseNorwegian(s, opts);
  const se = parseSwedish(s, opts);
  if (!se.ok && se.code === 'bad_length') {
    const n = s.replace(/[^0-9A-Z]/g, '').length;
    return fail(
      'bad_length',
      `An identity number has 10 or 12 digits (Swedish personnummer) or 11 digits (Norwegian fødselsnummer), got ${n}`,
    );
  }
  return se;
}

/**
 * Local display form of a stored canonical number. Swedish: YYYYMMDD-NNNC (default), or with
 * `form: 'short'` YYMMDD-NNNC / YYMMDD+NNNC depending on `today`. Norwegian: "DDMMYY IIIKK".
 * Anything that is not a canonical number is returned unchanged (legacy data stays visible).
 */
export function formatIdentityNumber(canonical: string, opts: { today?: string; form?: 'long' | 'short' } = {}): string {
  if (isSwedishCanonical(canonical)) return formatSwedish(canonical, opts);
  if (/^\d{11}$/.test(canonical)) return formatNorwegian(canonical);
  return canonical;
}

/**
 * Digits of a partial number typed into a search box ("850709-98", "12 03 45"), or null when the
 * text is not a number fragment: fewer than 2 digits, more than 12 (longer than any id number),
 * or anything besides digits and the separators '-', '+', '.', spaces.
 */
export function identityDigitsForSearch(input: string): string | null {
  if (typeof input !== 'string') return null;
  const s = normalise(input);
  if (!/^[\d\s.+-]*$/.test(s)) return null;
  const digits = s.replace(/\D/g, '');
  return digits.length >= 2 && digits.length <= 12 ? digits : null;
}
