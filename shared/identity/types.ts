/**
 * Public types of the identity-number module (see docs: /work/shared/domain.md §1).
 * Pure data: no runtime code lives here.
 */

export type IdKind =
  | 'se_personnummer'
  | 'se_samordningsnummer'
  | 'no_fodselsnummer'
  | 'no_d_nummer'
  | 'no_h_nummer'
  | 'no_synthetic';

export type IdCountry = 'SE' | 'NO';

export interface IdOptions {
  /**
   * ISO date YYYY-MM-DD used as "today" (default: the local calendar date). Fixes the century of
   * 10-digit Swedish numbers and is the limit for `future_date`.
   */
  today?: string;
  /** Only try this country. Default: 10/12 characters → SE, 11 digits → NO. */
  country?: IdCountry;
  /** Accept Norwegian synthetic test numbers (month + 80). Demo/test mode only. */
  allowSynthetic?: boolean;
  /** Accept Norwegian H-nummer (month + 40, health-sector help numbers). */
  allowHNumber?: boolean;
  /** Accept Swedish interim numbers (letter in the first birth-number position). */
  allowInterim?: boolean;
}

export type IdErrorCode =
  | 'empty'
  | 'bad_characters'
  | 'bad_length'
  | 'bad_date'
  | 'bad_checksum'
  | 'bad_individual_number'
  | 'missing_separator'
  | 'h_number_not_allowed'
  | 'synthetic_not_allowed'
  | 'interim_not_allowed'
  | 'future_date'
  | 'ambiguous';

export interface IdParseOk {
  ok: true;
  kind: IdKind;
  country: IdCountry;
  /** SE: 12 characters YYYYMMDDNNNC (interim keeps its letter); NO: the 11 digits. */
  canonical: string;
  /** Local display form, see formatIdentityNumber. */
  display: string;
  /** ISO YYYY-MM-DD, with the samordnings/D/H/synthetic offsets removed. */
  birthDate: string;
  /** Legal sex as encoded in the number; null where the number does not carry it. */
  sex: 'F' | 'M' | null;
  /** Norway only: which k1 rule the number satisfies. */
  checkRule?: 'classic' | '2032';
  /** Sweden only: true for an interim number (letter in the birth number). */
  interim?: true;
}

export interface IdParseError {
  ok: false;
  code: IdErrorCode;
  /** Precise English sentence; the UI translates by `code`. */
  message: string;
}

export type IdParseResult = IdParseOk | IdParseError;

/** Internal: a resolved "today" as numbers, so every rule compares the same way. */
export interface YMD {
  year: number;
  month: number;
  day: number;
}
