/**
 * Zod schemas for the domain objects that cross the contract boundary.
 * Input schemas are strict (unknown keys are errors: a typo in a field name must not be silently dropped).
 */
import { z } from 'zod';
import { GUARDIANSHIP_KINDS } from '../domain/care';
import { DUTY_ROLES, GROUP_KINDS, GSI_CODE_RE, SCHOOL_FORMS, SCHOOL_UNIT_CODE_RE, UNIT_KINDS, UNIT_LIMITS } from '../domain/org';
import {
  ADDRESS_KINDS,
  CONTACT_KINDS,
  COUNTRIES,
  COUNTRY_CODE_RE,
  EMAIL_RE,
  HISTORY_OPS,
  ID_KINDS,
  LANGUAGE_CODE_RE,
  MAALFORMS,
  PERSON_LIMITS,
  PERSON_ROLES,
  PERSON_STATUSES,
  PHONE_RE,
  PROTECTION_LEVELS,
  RESERVE_NUMBER_RE,
  SEXES,
} from '../domain/register';

// The vocabulary lives in shared/domain (zod-free, for the renderer); re-exported here for the core.
export { GUARDIANSHIP_KINDS } from '../domain/care';
export { DUTY_ROLES, GROUP_KINDS, SCHOOL_FORMS, SCHOOL_FORMS_BY_COUNTRY, UNIT_KINDS, type SchoolForm } from '../domain/org';
export {
  ADDRESS_KINDS,
  CONTACT_KINDS,
  COUNTRIES,
  ID_KINDS,
  isProtected,
  MAALFORMS,
  PERSON_ROLES,
  PERSON_STATUSES,
  PROTECTION_LEVELS,
  SEXES,
  type ProtectionLevel,
} from '../domain/register';

export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  const dim = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= (dim[mo - 1] ?? 0);
}

/** Legal dates are ISO strings without time (no time-zone drift). */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'date_format' })
  .refine(isCalendarDate, { message: 'date_invalid' });
export const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, { message: 'uuid' });
const text = (max: number) => z.string().trim().max(max, { message: 'too_long' });
const requiredText = (max: number) => text(max).min(1, { message: 'required' });
const optionalText = (max: number) =>
  text(max)
    .nullish()
    .transform((v) => (v == null || v === '' ? null : v));

export const country = z.enum(COUNTRIES);

// ---------- identity ----------
export const identityView = z.object({
  kind: z.enum(ID_KINDS),
  country,
  display: z.string(),
});

// ---------- person ----------
export const personSummary = z.object({
  id: uuid,
  givenName: z.string(),
  middleName: z.string().nullable(),
  familyName: z.string(),
  preferredName: z.string().nullable(),
  identity: identityView.nullable(),
  /** Reservnummer of a person without an identity number. */
  reserveNumber: z.string().nullable(),
  birthDate: z.string().nullable(),
  sex: z.enum(SEXES).nullable(),
  status: z.enum(PERSON_STATUSES),
  roles: z.array(z.enum(PERSON_ROLES)),
  protected: z.boolean(),
});
export type PersonSummary = z.infer<typeof personSummary>;

export const addressInput = z
  .object({
    id: uuid.optional(),
    kind: z.enum(ADDRESS_KINDS),
    careOf: optionalText(PERSON_LIMITS.careOf),
    street: requiredText(PERSON_LIMITS.street),
    postalCode: requiredText(PERSON_LIMITS.postalCode),
    city: requiredText(PERSON_LIMITS.city),
    country: z.string().regex(COUNTRY_CODE_RE, { message: 'country_code' }),
  })
  .strict();
export const contactInput = z
  .object({
    id: uuid.optional(),
    kind: z.enum(CONTACT_KINDS),
    value: requiredText(PERSON_LIMITS.contact),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.kind === 'email' && !EMAIL_RE.test(c.value)) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'email_invalid' });
    }
    if (c.kind !== 'email' && !PHONE_RE.test(c.value)) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'phone_invalid' });
    }
  });

export const personFields = {
  /** Any accepted format; null for a person without a number (newly arrived, reserve number). */
  identityNumber: optionalText(PERSON_LIMITS.identityNumber),
  /**
   * Reservnummer: the municipality's local number for a person without personnummer or samordningsnummer
   * (letters, digits and hyphens). Only together with `identityNumber: null`.
   */
  reserveNumber: z
    .string()
    .trim()
    .toUpperCase()
    .regex(RESERVE_NUMBER_RE, { message: 'reserve_number_format' })
    .nullish()
    .or(z.literal('').transform(() => null))
    .transform((v) => v ?? null),
  /** Required without an identity number; with one, it must agree with the number's date. */
  birthDate: isoDate.nullish().transform((v) => v ?? null),
  sex: z.enum(SEXES).nullish().transform((v) => v ?? null),
  givenName: requiredText(PERSON_LIMITS.name),
  middleName: optionalText(PERSON_LIMITS.name),
  familyName: requiredText(PERSON_LIMITS.name),
  preferredName: optionalText(PERSON_LIMITS.name),
  status: z.enum(PERSON_STATUSES).default('active'),
  nationality: z
    .string()
    .regex(COUNTRY_CODE_RE, { message: 'country_code' })
    .nullish()
    .transform((v) => v ?? null),
  motherTongue: z
    .string()
    .regex(LANGUAGE_CODE_RE, { message: 'language_code' })
    .nullish()
    .transform((v) => v ?? null),
  maalform: z.enum(MAALFORMS).nullish().transform((v) => v ?? null),
  protection: z.enum(PROTECTION_LEVELS).default('none'),
  /**
   * Language for letters and messages to this person (ISO 639 code, e.g. sv, nb, ar); null = not stated.
   * Omitted = leave unchanged (forms written before the field existed must not clear it); null clears it.
   */
  preferredLanguage: z
    .string()
    .regex(LANGUAGE_CODE_RE, { message: 'language_code' })
    .nullish(),
  /** Whether the person accepts messages (text, e-mail) from the schools. Omitted = unchanged (new persons: yes). */
  messagesAllowed: z.boolean().optional(),
  /** Omitted = leave unchanged (always omitted for protected persons, whose addresses are shielded). */
  addresses: z.array(addressInput).max(PERSON_LIMITS.addresses).optional(),
  contacts: z.array(contactInput).max(PERSON_LIMITS.contacts).optional(),
};
export const personInput = z.object(personFields).strict();
export type PersonInput = z.input<typeof personInput>;

export const addressView = z.object({
  id: uuid,
  kind: z.enum(ADDRESS_KINDS),
  careOf: z.string().nullable(),
  street: z.string(),
  postalCode: z.string(),
  city: z.string(),
  country: z.string(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
});
export const contactView = z.object({
  id: uuid,
  kind: z.enum(CONTACT_KINDS),
  value: z.string(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
});
export const nameView = z.object({
  givenName: z.string(),
  middleName: z.string().nullable(),
  familyName: z.string(),
  preferredName: z.string().nullable(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
});
export const dutyView = z.object({
  id: uuid,
  unitId: uuid,
  unitName: z.string(),
  role: z.enum(DUTY_ROLES),
  percent: z.number(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
});
export const membershipView = z.object({
  id: uuid,
  groupId: uuid,
  groupName: z.string(),
  groupKind: z.enum(GROUP_KINDS),
  unitId: uuid,
  unitName: z.string(),
  schoolYear: z.number().int(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
});
export const relativeView = z.object({
  personId: uuid,
  name: z.string(),
  kind: z.enum(GUARDIANSHIP_KINDS),
  protected: z.boolean(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
});
export const historyEntry = z.object({
  at: z.string(),
  /** The writer's id: a user account's, or a system actor's (shared/i18n/history-labels.ts SYSTEM_ACTORS). */
  actor: z.string(),
  /** The user account's display name; null when the writer is no account (the UI names the system actor). */
  actorName: z.string().nullable(),
  op: z.enum(HISTORY_OPS),
  /** Names of the fields that changed (values are shown through the effective-dated lists). */
  fields: z.array(z.string()),
});
export const personCard = z.object({
  id: uuid,
  version: z.number().int(),
  identity: identityView.nullable(),
  reserveNumber: z.string().nullable(),
  birthDate: z.string().nullable(),
  sex: z.enum(SEXES).nullable(),
  status: z.enum(PERSON_STATUSES),
  givenName: z.string(),
  middleName: z.string().nullable(),
  familyName: z.string(),
  preferredName: z.string().nullable(),
  nationality: z.string().nullable(),
  motherTongue: z.string().nullable(),
  maalform: z.enum(MAALFORMS).nullable(),
  preferredLanguage: z.string().nullable(),
  messagesAllowed: z.boolean(),
  protection: z.enum(PROTECTION_LEVELS),
  /** True when addresses and contacts were withheld by the core; the UI shows "Protected". */
  shielded: z.boolean(),
  /** Current and historical; empty when shielded. */
  addresses: z.array(addressView),
  contacts: z.array(contactView),
  nameHistory: z.array(nameView),
  roles: z.array(z.enum(PERSON_ROLES)),
  duties: z.array(dutyView),
  memberships: z.array(membershipView),
  guardians: z.array(relativeView),
  children: z.array(relativeView),
  history: z.array(historyEntry),
  /**
   * Whose changes `history` holds: the whole register's, or (a joined workstation's cache, whose feed
   * carries records, not the change log) only those made on this workstation; then `person.history` asks
   * the central server for the register's. Absent: the register's.
   */
  historyScope: z.enum(['register', 'workstation']).optional(),
  createdAt: z.string(),
  /** The newest change of the person's data, care records (placements, guardianships …) included. */
  updatedAt: z.string(),
  updatedBy: z.string(),
  /** updatedBy's display name; null for a system actor, as historyEntry.actorName. */
  updatedByName: z.string().nullable(),
});
export type PersonCard = z.infer<typeof personCard>;

// ---------- organisation ----------
export const unitSummary = z.object({
  id: uuid,
  kind: z.enum(UNIT_KINDS),
  name: z.string(),
  code: z.string().nullable(),
  schoolForms: z.array(z.enum(SCHOOL_FORMS)),
  groupCount: z.number().int(),
});
export const orgTree = z.object({
  municipality: z.object({ id: uuid, name: z.string(), country, code: z.string() }),
  administrations: z.array(
    z.object({ id: uuid, name: z.string(), units: z.array(unitSummary) }),
  ),
});
export const unitInput = z
  .object({
    parentId: uuid,
    name: requiredText(UNIT_LIMITS.name),
    /** Swedish skolenhetskod: 8 digits. */
    schoolUnitCode: z
      .string()
      .trim()
      .regex(SCHOOL_UNIT_CODE_RE, { message: 'school_unit_code' })
      .nullish()
      .or(z.literal('').transform(() => null))
      .transform((v) => v ?? null),
    /** Swedish organisationsnummer NNNNNN-NNNN or Norwegian organisasjonsnummer 9 digits; checked by the core. */
    orgNumber: optionalText(UNIT_LIMITS.orgNumber),
    /** Norwegian GSI (Grunnskolens informasjonssystem) school number. */
    gsiCode: z
      .string()
      .trim()
      .regex(GSI_CODE_RE, { message: 'gsi_code' })
      .nullish()
      .or(z.literal('').transform(() => null))
      .transform((v) => v ?? null),
    schoolForms: z.array(z.enum(SCHOOL_FORMS)).min(1, { message: 'school_forms_required' }),
    visitingAddress: optionalText(UNIT_LIMITS.visitingAddress),
  })
  .strict();
export type UnitInput = z.input<typeof unitInput>;

export const groupSummary = z.object({
  id: uuid,
  name: z.string(),
  kind: z.enum(GROUP_KINDS),
  schoolYear: z.number().int(),
  schoolForm: z.enum(SCHOOL_FORMS),
  grade: z.number().int().nullable(),
  memberCount: z.number().int(),
});
export const staffLine = z.object({
  dutyId: uuid,
  personId: uuid,
  name: z.string(),
  role: z.enum(DUTY_ROLES),
  percent: z.number(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
});
export const unitCard = z.object({
  id: uuid,
  version: z.number().int(),
  kind: z.enum(UNIT_KINDS),
  parentId: uuid.nullable(),
  parentName: z.string().nullable(),
  name: z.string(),
  schoolUnitCode: z.string().nullable(),
  orgNumber: z.string().nullable(),
  gsiCode: z.string().nullable(),
  schoolForms: z.array(z.enum(SCHOOL_FORMS)),
  visitingAddress: z.string().nullable(),
  groups: z.array(groupSummary),
  staff: z.array(staffLine),
});
export type UnitCard = z.infer<typeof unitCard>;

export const groupMember = z.object({
  membershipId: uuid,
  person: personSummary,
  validFrom: z.string(),
  validTo: z.string().nullable(),
});
export const groupCard = z.object({
  id: uuid,
  unitId: uuid,
  unitName: z.string(),
  name: z.string(),
  kind: z.enum(GROUP_KINDS),
  schoolYear: z.number().int(),
  schoolForm: z.enum(SCHOOL_FORMS),
  grade: z.number().int().nullable(),
  date: z.string(),
  members: z.array(groupMember),
  /** Members with protected identity left out for a caller without protected.reveal for the unit. */
  hiddenProtected: z.number().int(),
});

// ---------- search ----------
/** Where a person hit is today: what a clerk needs to tell two namesakes apart (core/register/places.ts). */
export const PLACE_KINDS = ['enrolment', 'placement', 'application', 'staff'] as const;
export const PLACE_STATUSES = ['active', 'upcoming', 'notice_given', 'offered', 'queued'] as const;
export const personPlace = z.object({
  kind: z.enum(PLACE_KINDS),
  unitId: uuid,
  unitName: z.string(),
  /** Class, department or teaching group; null when the place names none. */
  groupName: z.string().nullable(),
  schoolForm: z.enum(SCHOOL_FORMS).nullable(),
  status: z.enum(PLACE_STATUSES),
  /** The first day (an upcoming place, a wished start in the queue) and the last day when one is set. */
  from: isoDate.nullable(),
  to: isoDate.nullable(),
});
export type PersonPlace = z.infer<typeof personPlace>;
export const personHit = personSummary.extend({
  type: z.literal('person'),
  /** Null when the person has none today, or is protected and the caller may not see protected persons there. */
  place: personPlace.nullable().optional(),
});
export type PersonHit = z.infer<typeof personHit>;
export const searchHit = z.discriminatedUnion('type', [
  personHit,
  z.object({ type: z.literal('unit'), id: uuid, name: z.string(), code: z.string().nullable(), schoolForms: z.array(z.enum(SCHOOL_FORMS)) }),
  z.object({ type: z.literal('group'), id: uuid, name: z.string(), unitId: uuid, unitName: z.string(), schoolYear: z.number().int() }),
]);
export type SearchHit = z.infer<typeof searchHit>;

/** What a write answers: the record's id and its new version (the next edit's optimistic-lock token). */
export const writeResult = z.object({ id: uuid, version: z.number().int() });
/** A method without input. */
export const empty = z.object({}).strict();
