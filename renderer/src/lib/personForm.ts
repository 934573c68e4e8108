/**
 * The person form's logic, free of React so it is tested directly: values ⇄ contract input,
 * client-side checks (the same rules the core applies, so most mistakes show before a round trip),
 * and mapping the core's `issues[]` onto the form's fields.
 */
import { REVEAL_REASON_MIN } from '../../../shared/domain/access';
import { parseIdentityNumber, type IdParseResult } from '../../../shared/identity';
import { isProtectionLowered } from '../../../shared/protection';
import { COUNTRY_CODE_RE, EMAIL_RE, isProtected, LANGUAGE_CODE_RE, PERSON_LIMITS, PHONE_RE } from '../../../shared/domain/register';
import type { AddressKind, ContactKind, Country, Maalform, PersonCard, PersonFieldsInput, PersonStatus, ProtectionLevel, Sex } from './domain';
import { isValidIsoDate } from './format';
import type { TKey } from './i18n';

export interface AddressValues {
  /** Stable key for React lists (ids only exist for saved rows). */
  key: string;
  id?: string;
  kind: AddressKind;
  careOf: string;
  street: string;
  postalCode: string;
  city: string;
  country: string;
}
export interface ContactValues {
  key: string;
  id?: string;
  kind: ContactKind;
  value: string;
}
export interface PersonFormValues {
  noIdentityNumber: boolean;
  identityNumber: string;
  /** Reservnummer; used only when the person has no identity number. */
  reserveNumber: string;
  birthDate: string;
  sex: Sex | '';
  givenName: string;
  middleName: string;
  familyName: string;
  preferredName: string;
  status: PersonStatus;
  nationality: string;
  motherTongue: string;
  maalform: Maalform | '';
  /** Language for letters and messages (guardians mainly). */
  preferredLanguage: string;
  messagesAllowed: boolean;
  protection: ProtectionLevel;
  /** Edit only: why a protection level is lowered or removed (the core requires it then, and logs it). */
  protectionReason: string;
  addresses: AddressValues[];
  contacts: ContactValues[];
  /** Edit only: a real change from a date, or a correction of wrong data. */
  mode: 'change' | 'correction';
  effectiveFrom: string;
}

import type { FieldError, FieldErrors } from '../kit/errors';
export type { FieldError, FieldErrors };

let keySeq = 0;
export const newKey = (): string => `k${++keySeq}`;

export function emptyAddress(country: Country): AddressValues {
  return { key: newKey(), kind: 'registered', careOf: '', street: '', postalCode: '', city: '', country };
}
export function emptyContact(): ContactValues {
  return { key: newKey(), kind: 'mobile', value: '' };
}

export function emptyPersonValues(today: string): PersonFormValues {
  return {
    noIdentityNumber: false,
    identityNumber: '',
    reserveNumber: '',
    birthDate: '',
    sex: '',
    givenName: '',
    middleName: '',
    familyName: '',
    preferredName: '',
    status: 'active',
    nationality: '',
    motherTongue: '',
    maalform: '',
    preferredLanguage: '',
    messagesAllowed: true,
    protection: 'none',
    protectionReason: '',
    addresses: [],
    contacts: [],
    mode: 'change',
    effectiveFrom: today,
  };
}

const current = (validTo: string | null, today: string): boolean => validTo === null || validTo >= today;

export function valuesFromCard(p: PersonCard, today: string): PersonFormValues {
  return {
    noIdentityNumber: p.identity === null,
    identityNumber: p.identity?.display ?? '',
    reserveNumber: p.reserveNumber ?? '',
    birthDate: p.birthDate ?? '',
    sex: p.sex ?? '',
    givenName: p.givenName,
    middleName: p.middleName ?? '',
    familyName: p.familyName,
    preferredName: p.preferredName ?? '',
    status: p.status,
    nationality: p.nationality ?? '',
    motherTongue: p.motherTongue ?? '',
    maalform: p.maalform ?? '',
    preferredLanguage: p.preferredLanguage ?? '',
    messagesAllowed: p.messagesAllowed,
    protection: p.protection,
    protectionReason: '',
    addresses: p.addresses
      .filter((a) => current(a.validTo, today))
      .map((a) => ({ key: a.id, id: a.id, kind: a.kind, careOf: a.careOf ?? '', street: a.street, postalCode: a.postalCode, city: a.city, country: a.country })),
    contacts: p.contacts.filter((c) => current(c.validTo, today)).map((c) => ({ key: c.id, id: c.id, kind: c.kind, value: c.value })),
    mode: 'change',
    effectiveFrom: today,
  };
}

export interface IdentityContext {
  today: string;
  demo: boolean;
}

export function parseIdentity(v: string, ctx: IdentityContext): IdParseResult {
  return parseIdentityNumber(v, { today: ctx.today, allowSynthetic: ctx.demo });
}

/** Addresses and contacts are not edited (nor sent) for a protected person: the core shields them. */
export function addressesShielded(v: PersonFormValues, cardShielded: boolean): boolean {
  return cardShielded || isProtected(v.protection);
}

const POSTAL_RE: Partial<Record<string, RegExp>> = { SE: /^\d{3} ?\d{2}$/, NO: /^\d{4}$/ };

export interface ValidateContext extends IdentityContext {
  editing: boolean;
  shielded: boolean;
  /** The stored level when editing: lowering it needs a reason. */
  savedProtection?: ProtectionLevel;
}

/** Whether the form lowers or removes the stored protection level (shared/protection.ts decides what counts). */
export function lowersProtection(v: PersonFormValues, savedProtection: ProtectionLevel | undefined): boolean {
  return savedProtection !== undefined && isProtectionLowered(savedProtection, v.protection);
}

/** Every client-side check, keyed by the same dotted paths the core uses in `issues[].field`. */
export function validatePerson(v: PersonFormValues, ctx: ValidateContext): FieldErrors {
  const e: FieldErrors = {};
  const text = (path: string, value: string, max: number, required: boolean) => {
    const s = value.trim();
    if (required && !s) e[path] = { key: 'validation.required' };
    else if (s.length > max) e[path] = { key: 'validation.too_long_max', vars: { max } };
  };

  if (!v.noIdentityNumber) {
    if (!v.identityNumber.trim()) e.identityNumber = { key: 'validation.identity.required' };
    else {
      const r = parseIdentity(v.identityNumber, ctx);
      if (!r.ok) e.identityNumber = { key: `validation.identity.${r.code}` as TKey };
    }
  } else {
    if (!v.birthDate.trim()) e.birthDate = { key: 'validation.birth_date_required' };
    else if (!isValidIsoDate(v.birthDate)) e.birthDate = { key: 'validation.date_invalid' };
    else if (v.birthDate > ctx.today) e.birthDate = { key: 'validation.date_in_future' };
  }
  text('givenName', v.givenName, PERSON_LIMITS.name, true);
  text('middleName', v.middleName, PERSON_LIMITS.name, false);
  text('familyName', v.familyName, PERSON_LIMITS.name, true);
  text('preferredName', v.preferredName, PERSON_LIMITS.name, false);
  if (v.nationality && !COUNTRY_CODE_RE.test(v.nationality)) e.nationality = { key: 'validation.country_code' };
  if (v.motherTongue && !LANGUAGE_CODE_RE.test(v.motherTongue)) e.motherTongue = { key: 'validation.language_code' };
  if (v.preferredLanguage && !LANGUAGE_CODE_RE.test(v.preferredLanguage)) e.preferredLanguage = { key: 'validation.language_code' };

  if (!addressesShielded(v, ctx.shielded)) {
    v.addresses.forEach((a, i) => {
      const p = `addresses.${i}`;
      text(`${p}.careOf`, a.careOf, PERSON_LIMITS.careOf, false);
      text(`${p}.street`, a.street, PERSON_LIMITS.street, true);
      text(`${p}.postalCode`, a.postalCode, PERSON_LIMITS.postalCode, true);
      text(`${p}.city`, a.city, PERSON_LIMITS.city, true);
      if (!COUNTRY_CODE_RE.test(a.country)) e[`${p}.country`] = { key: 'validation.country_code' };
      const re = POSTAL_RE[a.country];
      if (!e[`${p}.postalCode`] && re && !re.test(a.postalCode.trim())) e[`${p}.postalCode`] = { key: `validation.postal_code_${a.country === 'NO' ? 'no' : 'se'}` };
    });
    v.contacts.forEach((c, i) => {
      const p = `contacts.${i}.value`;
      const s = c.value.trim();
      if (!s) e[p] = { key: 'validation.required' };
      else if (s.length > PERSON_LIMITS.contact) e[p] = { key: 'validation.too_long_max', vars: { max: PERSON_LIMITS.contact } };
      else if (c.kind === 'email' && !EMAIL_RE.test(s)) e[p] = { key: 'validation.email_invalid' };
      else if (c.kind !== 'email' && !PHONE_RE.test(s)) e[p] = { key: 'validation.phone_invalid' };
    });
  }
  if (lowersProtection(v, ctx.savedProtection) && v.protectionReason.trim().length < REVEAL_REASON_MIN) {
    e.protectionReason = { key: 'reveal.reasonTooShort', vars: { min: REVEAL_REASON_MIN } };
  }
  if (ctx.editing && v.mode === 'change') {
    if (!v.effectiveFrom.trim()) e.effectiveFrom = { key: 'validation.required' };
    else if (!isValidIsoDate(v.effectiveFrom)) e.effectiveFrom = { key: 'validation.date_invalid' };
  }
  return e;
}

/** Swedish postcodes are written "123 45" (Postnord); typed "12345" is stored the same way. */
export function normalisePostalCode(raw: string, country: string): string {
  const s = raw.trim();
  return country === 'SE' && /^\d{5}$/.test(s) ? `${s.slice(0, 3)} ${s.slice(3)}` : s;
}

const orNull = (s: string): string | null => (s.trim() === '' ? null : s.trim());

/** Values → the contract's person fields. Addresses/contacts are omitted for a protected person. */
export function toPersonInput(v: PersonFormValues, ctx: { today: string; demo: boolean; shielded: boolean }): PersonFieldsInput {
  let birthDate: string | null;
  if (v.noIdentityNumber) birthDate = isValidIsoDate(v.birthDate) ? v.birthDate : orNull(v.birthDate);
  else {
    const r = parseIdentity(v.identityNumber, ctx);
    birthDate = r.ok ? r.birthDate : null;
  }
  const input: PersonFieldsInput = {
    identityNumber: v.noIdentityNumber ? null : orNull(v.identityNumber),
    reserveNumber: v.noIdentityNumber ? orNull(v.reserveNumber) : null,
    birthDate,
    sex: v.sex === '' ? null : v.sex,
    givenName: v.givenName.trim(),
    middleName: orNull(v.middleName),
    familyName: v.familyName.trim(),
    preferredName: orNull(v.preferredName),
    status: v.status,
    nationality: orNull(v.nationality),
    motherTongue: orNull(v.motherTongue),
    maalform: v.maalform === '' ? null : v.maalform,
    preferredLanguage: orNull(v.preferredLanguage),
    messagesAllowed: v.messagesAllowed,
    protection: v.protection,
  };
  if (!addressesShielded(v, ctx.shielded)) {
    input.addresses = v.addresses.map((a) => ({
      ...(a.id ? { id: a.id } : {}),
      kind: a.kind,
      careOf: orNull(a.careOf),
      street: a.street.trim(),
      postalCode: normalisePostalCode(a.postalCode, a.country),
      city: a.city.trim(),
      country: a.country,
    }));
    input.contacts = v.contacts.map((c) => ({ ...(c.id ? { id: c.id } : {}), kind: c.kind, value: c.value.trim() }));
  }
  return input;
}

export const KNOWN_CODES = new Set([
  'required',
  'too_long',
  'date_format',
  'date_invalid',
  'date_in_future',
  'email_invalid',
  'phone_invalid',
  'country_code',
  'language_code',
  'school_unit_code',
  'gsi_code',
  'school_forms_required',
  'birth_date_mismatch',
  'birth_date_required',
  'sex_mismatch',
  'protected_fields',
  'effective_before_current',
  'parent_not_administration',
  'school_form_country',
  'not_in_country',
  'not_found',
  'duplicate',
  'duplicate_code',
  'identity.empty',
  'identity.bad_characters',
  'identity.bad_length',
  'identity.bad_date',
  'identity.bad_checksum',
  'identity.bad_individual_number',
  'identity.missing_separator',
  'identity.h_number_not_allowed',
  'identity.synthetic_not_allowed',
  'identity.interim_not_allowed',
  'identity.future_date',
  'identity.ambiguous',
  'org_number.bad_length',
  'org_number.bad_characters',
  'org_number.bad_checksum',
  'org_number.bad_group',
]);

/** The form's single-value fields, in screen order. */
const SCALAR_KEYS = [
  'identityNumber',
  'reserveNumber',
  'birthDate',
  'sex',
  'givenName',
  'middleName',
  'familyName',
  'preferredName',
  'status',
  'nationality',
  'motherTongue',
  'maalform',
  'preferredLanguage',
  'messagesAllowed',
  'protection',
] as const satisfies readonly (keyof PersonFormValues)[];

/** The person-form field paths the screen renders (for mapping the core's issues). */
export function personFieldKnown(path: string, v: PersonFormValues): boolean {
  const top: string[] = [...SCALAR_KEYS, 'addresses', 'contacts', 'effectiveFrom', 'mode', 'protectionReason'];
  if (top.includes(path)) return true;
  let m = /^addresses\.(\d+)\.(kind|careOf|street|postalCode|city|country)$/.exec(path);
  if (m) return Number(m[1]) < v.addresses.length;
  m = /^contacts\.(\d+)\.(kind|value)$/.exec(path);
  if (m) return Number(m[1]) < v.contacts.length;
  return false;
}

/** Field-level differences between two value sets (used to tell the user what someone else changed). */
export function changedFields(a: PersonFormValues, b: PersonFormValues): string[] {
  const out: string[] = SCALAR_KEYS.filter((k) => a[k] !== b[k]);
  const strip = <T extends { key: string }>(l: T[]) => JSON.stringify(l.map(({ key: _k, ...rest }) => rest));
  if (strip(a.addresses) !== strip(b.addresses)) out.push('addresses');
  if (strip(a.contacts) !== strip(b.contacts)) out.push('contacts');
  return out;
}

/** Dirty = differs from what was loaded, ignoring list keys. */
export function isDirty(a: PersonFormValues, b: PersonFormValues): boolean {
  return changedFields(a, b).length > 0 || a.noIdentityNumber !== b.noIdentityNumber || a.mode !== b.mode || a.effectiveFrom !== b.effectiveFrom;
}

/**
 * Three-way rebase after a `conflict`: start from the latest saved version, re-apply what this user
 * changed. A field both changed keeps this user's value and is reported, so they can compare before
 * saving again; a field only the other user changed takes the other user's value (never reverted).
 */
export function rebasePerson(base: PersonFormValues, mine: PersonFormValues, theirs: PersonFormValues): { values: PersonFormValues; both: string[] } {
  const values: PersonFormValues = { ...theirs, noIdentityNumber: mine.noIdentityNumber, mode: mine.mode, effectiveFrom: mine.effectiveFrom, protectionReason: mine.protectionReason };
  const both: string[] = [];
  const out = values as unknown as Record<string, unknown>;
  for (const k of SCALAR_KEYS) {
    if (mine[k] !== base[k]) {
      out[k] = mine[k];
      if (theirs[k] !== base[k] && theirs[k] !== mine[k]) both.push(k);
    }
  }
  const strip = (l: readonly { key: string }[]) => JSON.stringify(l.map(({ key: _k, ...rest }) => rest));
  for (const k of ['addresses', 'contacts'] as const) {
    if (strip(mine[k]) !== strip(base[k])) {
      out[k] = mine[k];
      if (strip(theirs[k]) !== strip(base[k]) && strip(theirs[k]) !== strip(mine[k])) both.push(k);
    }
  }
  return { values, both };
}
