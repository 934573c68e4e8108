/**
 * The register's vocabulary: countries, persons, identity kinds, protection levels, addresses and
 * contacts, with the limits and formats the contract enforces.
 *
 * Why here and not in shared/api: shared/api builds zod schemas at module load, and zod's JIT calls
 * `new Function`, which the renderer's CSP (`script-src 'self'`) refuses — the renderer must be able to
 * import these values without zod coming along. shared/api/schemas.ts builds its enums and checks from
 * these same constants, so each list has one source. Nothing in shared/domain may import zod or shared/api
 * (eslint enforces it; the renderer build fails if zod reaches the bundle).
 */

export const COUNTRIES = ['SE', 'NO'] as const;
export type Country = (typeof COUNTRIES)[number];

export const SEXES = ['F', 'M', 'X'] as const; // X: not stated / other (register value unknown)
export type Sex = (typeof SEXES)[number];
export const PERSON_STATUSES = ['active', 'emigrated', 'deceased'] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];
export const PERSON_ROLES = ['child', 'guardian', 'staff'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];
/** Norwegian written standard (målform) for letters. */
export const MAALFORMS = ['nb', 'nn'] as const;
export type Maalform = (typeof MAALFORMS)[number];

/**
 * Protection levels from the population registers (domain.md §2).
 * SE: sekretessmarkering, skyddad folkbokföring. NO: fortrolig, strengt fortrolig, klientadresse.
 */
export const PROTECTION_LEVELS = [
  'none',
  'se_sekretessmarkering',
  'se_skyddad_folkbokforing',
  'no_klientadresse',
  'no_fortrolig',
  'no_strengt_fortrolig',
] as const;
export type ProtectionLevel = (typeof PROTECTION_LEVELS)[number];
export const isProtected = (p: ProtectionLevel): boolean => p !== 'none';
/** The levels each country's register knows (a person moved from the other country may carry the other's). */
export const PROTECTION_BY_COUNTRY: Record<Country, readonly ProtectionLevel[]> = {
  SE: ['none', 'se_sekretessmarkering', 'se_skyddad_folkbokforing'],
  NO: ['none', 'no_klientadresse', 'no_fortrolig', 'no_strengt_fortrolig'],
};

export const ID_KINDS = [
  'se_personnummer',
  'se_samordningsnummer',
  'no_fodselsnummer',
  'no_d_nummer',
  'no_h_nummer',
  'no_synthetic',
] as const;
export type IdKind = (typeof ID_KINDS)[number];

export const ADDRESS_KINDS = ['registered', 'postal', 'temporary'] as const;
export type AddressKind = (typeof ADDRESS_KINDS)[number];
/** In the order forms offer them: a mobile number is what a school office most often records. */
export const CONTACT_KINDS = ['mobile', 'phone', 'email'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

/** How a change to a dated record is recorded: a change in reality (history kept) or a correction in place. */
export const CHANGE_MODES = ['change', 'correction'] as const;
export type ChangeMode = (typeof CHANGE_MODES)[number];
/** Operations in a record's change history. */
export const HISTORY_OPS = ['create', 'update', 'correction', 'delete'] as const;

/** Longest accepted text per person field (characters, after trimming). */
export const PERSON_LIMITS = {
  name: 100,
  careOf: 80,
  street: 120,
  postalCode: 12,
  city: 80,
  contact: 200,
  identityNumber: 20,
  addresses: 10,
  contacts: 20,
} as const;

export const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const PHONE_RE = /^\+?[0-9 ()-]{5,20}$/;
/** ISO 3166-1 alpha-2, upper case (nationality, an address's country). */
export const COUNTRY_CODE_RE = /^[A-Z]{2}$/;
/** ISO 639-1/-2 language code, lower case (mother tongue, preferred language). */
export const LANGUAGE_CODE_RE = /^[a-z]{2,3}$/;
/** Reservnummer, after trimming and upper-casing: letters, digits and hyphens. */
export const RESERVE_NUMBER_RE = /^[A-Z0-9][A-Z0-9-]{2,19}$/;
