/**
 * The contract's enumerations, re-declared without zod.
 * Why: shared/api/schemas.ts builds zod schemas at module load, and zod carries a JIT that calls
 * `new Function` — under the renderer's CSP (`script-src 'self'`, no eval) that must not be in the
 * bundle at all. Types still come from the contract (type imports are erased), the `satisfies`
 * clauses fail the build if a list drifts from the contract's type, and domain.test.ts compares the
 * values at runtime.
 */
import type { MethodInput, MethodOutput } from '../../../shared/api/contract';
import type { PersonCard, PersonSummary, ProtectionLevel, SchoolForm, SearchHit, UnitCard } from '../../../shared/api/schemas';

export type { PersonCard, PersonSummary, ProtectionLevel, SchoolForm, SearchHit, UnitCard };
export type PersonRole = PersonSummary['roles'][number];
export type PersonStatus = PersonSummary['status'];
export type Sex = NonNullable<PersonSummary['sex']>;
export type IdKind = NonNullable<PersonSummary['identity']>['kind'];
export type Country = 'SE' | 'NO';
export type AddressKind = PersonCard['addresses'][number]['kind'];
export type ContactKind = PersonCard['contacts'][number]['kind'];
export type Maalform = NonNullable<PersonCard['maalform']>;
export type DutyRole = PersonCard['duties'][number]['role'];
export type GuardianshipKind = PersonCard['guardians'][number]['kind'];
export type GroupKind = PersonCard['memberships'][number]['groupKind'];
export type UnitKind = UnitCard['kind'];
export type HistoryOp = PersonCard['history'][number]['op'];
export type SessionInfo = MethodOutput<'session.info'>;
export type OrgTree = MethodOutput<'org.tree'>;
export type GroupCard = MethodOutput<'group.get'>;
export type PersonFieldsInput = MethodInput<'person.create'>;
export type UnitInput = MethodInput<'unit.create'>;

type Exhaustive<T extends string, L extends readonly T[]> = [T] extends [L[number]] ? L : never;

export const PERSON_ROLES = ['child', 'guardian', 'staff'] as const satisfies readonly PersonRole[];
export const PERSON_STATUSES = ['active', 'emigrated', 'deceased'] as const satisfies readonly PersonStatus[];
export const SEXES = ['F', 'M', 'X'] as const satisfies readonly Sex[];
export const MAALFORMS = ['nb', 'nn'] as const satisfies readonly Maalform[];
export const ADDRESS_KINDS = ['registered', 'postal', 'temporary'] as const satisfies readonly AddressKind[];
export const CONTACT_KINDS = ['mobile', 'phone', 'email'] as const satisfies readonly ContactKind[];
export const PROTECTION_LEVELS = [
  'none',
  'se_sekretessmarkering',
  'se_skyddad_folkbokforing',
  'no_klientadresse',
  'no_fortrolig',
  'no_strengt_fortrolig',
] as const satisfies readonly ProtectionLevel[];
export const PROTECTION_BY_COUNTRY: Record<Country, readonly ProtectionLevel[]> = {
  SE: ['none', 'se_sekretessmarkering', 'se_skyddad_folkbokforing'],
  NO: ['none', 'no_klientadresse', 'no_fortrolig', 'no_strengt_fortrolig'],
};
export const SCHOOL_FORMS_BY_COUNTRY: Record<Country, readonly SchoolForm[]> = {
  SE: ['FS', 'PO', 'FTH', 'OPPFTH', 'FKLASS', 'GR', 'GRS', 'GY', 'GYS', 'VUX'],
  NO: ['BHG', 'GSK', 'SFO', 'VGS'],
};

// Compile-time exhaustiveness: adding a value to the contract without adding it here fails tsc.
export const _exhaustive: [
  Exhaustive<PersonRole, typeof PERSON_ROLES>,
  Exhaustive<PersonStatus, typeof PERSON_STATUSES>,
  Exhaustive<Sex, typeof SEXES>,
  Exhaustive<AddressKind, typeof ADDRESS_KINDS>,
  Exhaustive<ContactKind, typeof CONTACT_KINDS>,
  Exhaustive<ProtectionLevel, typeof PROTECTION_LEVELS>,
] = [PERSON_ROLES, PERSON_STATUSES, SEXES, ADDRESS_KINDS, CONTACT_KINDS, PROTECTION_LEVELS];

export const isProtectedLevel = (p: ProtectionLevel): boolean => p !== 'none';

/** Mirrors the schema's regexes (schemas.ts); the core checks again. */
export const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const PHONE_RE = /^\+?[0-9 ()-]{5,20}$/;
export const COUNTRY_CODE_RE = /^[A-Z]{2}$/;
export const LANGUAGE_CODE_RE = /^[a-z]{2,3}$/;
export const SCHOOL_UNIT_CODE_RE = /^\d{8}$/;
export const GSI_CODE_RE = /^\d{4,9}$/;
export const MAX = {
  name: 100,
  careOf: 80,
  street: 120,
  postalCode: 12,
  city: 80,
  contact: 200,
  unitName: 120,
  visitingAddress: 200,
  orgNumber: 20,
  identityNumber: 20,
} as const;
