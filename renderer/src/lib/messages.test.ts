import { describe, expect, it } from 'vitest';
import * as care from '../../../shared/domain/care';
import * as org from '../../../shared/domain/org';
import * as reg from '../../../shared/domain/register';
import { catalogs } from '../../../shared/i18n';
import { issueMessage } from '../kit/errors';
import { KNOWN_CODES } from './personForm';
import { SHORTCUTS } from './shortcuts';

// Ids built at run time (`role.${r}`) escape the compiler's check; this test covers them.
const has = (id: string) => Object.prototype.hasOwnProperty.call(catalogs.sv, id);

describe('every runtime-built message id exists', () => {
  it('labels every enumeration value of the contract', () => {
    const want: string[] = [
      ...reg.PERSON_ROLES.flatMap((r) => [`role.${r}`, `role.${r}.plural`]),
      ...reg.PERSON_STATUSES.map((x) => `status.${x}`),
      ...reg.SEXES.map((x) => `sex.${x}`),
      ...reg.MAALFORMS.map((x) => `maalform.${x}`),
      ...reg.PROTECTION_LEVELS.map((x) => `protection.${x}`),
      ...reg.ID_KINDS.map((x) => `idKind.${x}`),
      ...reg.ADDRESS_KINDS.map((x) => `addressKind.${x}`),
      ...reg.CONTACT_KINDS.map((x) => `contactKind.${x}`),
      ...care.GUARDIANSHIP_KINDS.map((x) => `guardianship.${x}`),
      ...care.HOUSEHOLD_ROLES.map((x) => `care.household.role.${x}`),
      ...care.APPLICATION_FILTERS.map((x) => `queue.filter.${x}`),
      ...care.ROLLOVER_ACTIONS.map((x) => `rollover.action.${x}`),
      ...care.LIST_KINDS.map((x) => `lists.kind.${x}`),
      ...org.DUTY_ROLES.map((x) => `dutyRole.${x}`),
      ...org.GROUP_KINDS.map((x) => `groupKind.${x}`),
      ...org.UNIT_KINDS.map((x) => `unitKind.${x}`),
      ...org.SCHOOL_FORMS.flatMap((x) => [`schoolForm.${x}`, `schoolForm.${x}.short`]),
      ...reg.COUNTRIES.map((x) => `country.${x}`),
      ...reg.HISTORY_OPS.map((x) => `history.op.${x}`),
    ];
    expect(want.filter((id) => !has(id))).toEqual([]);
  });

  it('has a message for every validation code the UI knows, and for every identity error', () => {
    const idCodes = ['empty', 'bad_characters', 'bad_length', 'bad_date', 'bad_checksum', 'bad_individual_number', 'missing_separator', 'h_number_not_allowed', 'synthetic_not_allowed', 'interim_not_allowed', 'future_date', 'ambiguous'];
    const keys = [...KNOWN_CODES, ...idCodes.map((c) => `identity.${c}`), 'identity.duplicate'].map((code) => issueMessage({ field: 'f', code, message: 'm' }).key);
    expect(keys.filter((k) => !has(k))).toEqual([]);
    expect(keys).not.toContain('validation.invalid');
  });

  it('has labels for the help overlay', () => {
    const ids = SHORTCUTS.flatMap((g) => [g.title, ...g.items.map((i) => i.label)]);
    expect(ids.filter((id) => !has(id))).toEqual([]);
  });
});
