import { describe, expect, it } from 'vitest';
import * as s from '../../../shared/api/schemas';
import { catalogs } from '../../../shared/i18n';
import { KNOWN_CODES, issueToError } from './personForm';
import { SHORTCUTS } from './shortcuts';

// Ids built at run time (`role.${r}`) escape the compiler's check; this test covers them.
const has = (id: string) => Object.prototype.hasOwnProperty.call(catalogs.sv, id);

describe('every runtime-built message id exists', () => {
  it('labels every enumeration value of the contract', () => {
    const want: string[] = [
      ...s.PERSON_ROLES.flatMap((r) => [`role.${r}`, `role.${r}.plural`]),
      ...s.PERSON_STATUSES.map((x) => `status.${x}`),
      ...s.SEXES.map((x) => `sex.${x}`),
      ...s.MAALFORMS.map((x) => `maalform.${x}`),
      ...s.PROTECTION_LEVELS.map((x) => `protection.${x}`),
      ...s.ID_KINDS.map((x) => `idKind.${x}`),
      ...s.ADDRESS_KINDS.map((x) => `addressKind.${x}`),
      ...s.CONTACT_KINDS.map((x) => `contactKind.${x}`),
      ...s.GUARDIANSHIP_KINDS.map((x) => `guardianship.${x}`),
      ...s.DUTY_ROLES.map((x) => `dutyRole.${x}`),
      ...s.GROUP_KINDS.map((x) => `groupKind.${x}`),
      ...s.UNIT_KINDS.map((x) => `unitKind.${x}`),
      ...s.SCHOOL_FORMS.flatMap((x) => [`schoolForm.${x}`, `schoolForm.${x}.short`]),
      ...s.COUNTRIES.map((x) => `country.${x}`),
      ...['create', 'update', 'correction', 'delete'].map((x) => `history.op.${x}`),
    ];
    expect(want.filter((id) => !has(id))).toEqual([]);
  });

  it('has a message for every validation code the UI knows, and for every identity error', () => {
    const idCodes = ['empty', 'bad_characters', 'bad_length', 'bad_date', 'bad_checksum', 'bad_individual_number', 'missing_separator', 'h_number_not_allowed', 'synthetic_not_allowed', 'interim_not_allowed', 'future_date', 'ambiguous'];
    const keys = [...KNOWN_CODES, ...idCodes.map((c) => `identity.${c}`), 'identity.duplicate'].map((code) => issueToError({ field: 'f', code, message: 'm' }).key);
    expect(keys.filter((k) => !has(k))).toEqual([]);
    expect(keys).not.toContain('validation.invalid');
  });

  it('has labels for the help overlay', () => {
    const ids = SHORTCUTS.flatMap((g) => [g.title, ...g.items.map((i) => i.label)]);
    expect(ids.filter((id) => !has(id))).toEqual([]);
  });
});
