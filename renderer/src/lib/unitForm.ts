/** The unit form's logic (pure): values ⇄ input and the client-side checks. */
import { parseOrgNumber } from '../../../shared/orgnumber';
import { GSI_CODE_RE, SCHOOL_FORMS_BY_COUNTRY, SCHOOL_UNIT_CODE_RE, UNIT_LIMITS } from '../../../shared/domain/org';
import type { Country, SchoolForm, UnitCard, UnitInput } from './domain';
import type { FieldErrors } from './personForm';

export interface UnitFormValues {
  parentId: string;
  name: string;
  schoolUnitCode: string;
  orgNumber: string;
  gsiCode: string;
  schoolForms: SchoolForm[];
  visitingAddress: string;
}

export function emptyUnitValues(parentId: string): UnitFormValues {
  return { parentId, name: '', schoolUnitCode: '', orgNumber: '', gsiCode: '', schoolForms: [], visitingAddress: '' };
}

/** A stored organisation number in its usual written form (SE NNNNNN-NNNN, NO NNN NNN NNN). */
export function displayOrgNumber(raw: string | null, country: Country): string {
  if (!raw) return '';
  const r = parseOrgNumber(raw, country);
  return r.ok ? r.display : raw;
}

export function unitValuesFromCard(u: UnitCard, country: Country): UnitFormValues {
  return {
    parentId: u.parentId ?? '',
    name: u.name,
    schoolUnitCode: u.schoolUnitCode ?? '',
    orgNumber: displayOrgNumber(u.orgNumber, country),
    gsiCode: u.gsiCode ?? '',
    schoolForms: [...u.schoolForms],
    visitingAddress: u.visitingAddress ?? '',
  };
}

export function validateUnit(v: UnitFormValues, country: Country): FieldErrors {
  const e: FieldErrors = {};
  if (!v.parentId) e.parentId = { key: 'validation.required' };
  if (!v.name.trim()) e.name = { key: 'validation.required' };
  else if (v.name.trim().length > UNIT_LIMITS.name) e.name = { key: 'validation.too_long_max', vars: { max: UNIT_LIMITS.name } };
  if (country === 'SE' && v.schoolUnitCode.trim() && !SCHOOL_UNIT_CODE_RE.test(v.schoolUnitCode.trim())) e.schoolUnitCode = { key: 'validation.school_unit_code' };
  if (country === 'NO' && v.gsiCode.trim() && !GSI_CODE_RE.test(v.gsiCode.trim())) e.gsiCode = { key: 'validation.gsi_code' };
  if (v.orgNumber.trim()) {
    const r = parseOrgNumber(v.orgNumber, country);
    if (!r.ok) e.orgNumber = { key: `validation.org_number.${r.code}` };
  }
  const allowed = SCHOOL_FORMS_BY_COUNTRY[country];
  if (v.schoolForms.length === 0) e.schoolForms = { key: 'validation.school_forms_required' };
  else if (v.schoolForms.some((f) => !allowed.includes(f))) e.schoolForms = { key: 'validation.school_form_country' };
  if (v.visitingAddress.trim().length > UNIT_LIMITS.visitingAddress) e.visitingAddress = { key: 'validation.too_long_max', vars: { max: UNIT_LIMITS.visitingAddress } };
  return e;
}

export function toUnitInput(v: UnitFormValues, country: Country): UnitInput {
  const orNull = (s: string) => (s.trim() ? s.trim() : null);
  return {
    parentId: v.parentId,
    name: v.name.trim(),
    // The other country's code is never sent: the core refuses it (`not_in_country`).
    schoolUnitCode: country === 'SE' ? orNull(v.schoolUnitCode) : null,
    orgNumber: orNull(v.orgNumber),
    gsiCode: country === 'NO' ? orNull(v.gsiCode) : null,
    schoolForms: SCHOOL_FORMS_BY_COUNTRY[country].filter((f) => v.schoolForms.includes(f)),
    visitingAddress: orNull(v.visitingAddress),
  };
}

export function unitFieldKnown(path: string): boolean {
  return ['parentId', 'name', 'schoolUnitCode', 'orgNumber', 'gsiCode', 'schoolForms', 'visitingAddress'].includes(path);
}

export function unitDirty(a: UnitFormValues, b: UnitFormValues): boolean {
  return JSON.stringify({ ...a, schoolForms: [...a.schoolForms].sort() }) !== JSON.stringify({ ...b, schoolForms: [...b.schoolForms].sort() });
}
