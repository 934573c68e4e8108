import { describe, expect, it } from 'vitest';
import * as schemas from '../../../shared/api/schemas';
import * as domain from './domain';

// The renderer re-declares the contract's enumerations (to keep zod out of the bundle): same values.
describe('renderer enumerations match the contract', () => {
  it('has the same values', () => {
    expect([...domain.PERSON_ROLES].sort()).toEqual([...schemas.PERSON_ROLES].sort());
    expect([...domain.PERSON_STATUSES].sort()).toEqual([...schemas.PERSON_STATUSES].sort());
    expect([...domain.SEXES].sort()).toEqual([...schemas.SEXES].sort());
    expect([...domain.MAALFORMS].sort()).toEqual([...schemas.MAALFORMS].sort());
    expect([...domain.ADDRESS_KINDS].sort()).toEqual([...schemas.ADDRESS_KINDS].sort());
    expect([...domain.CONTACT_KINDS].sort()).toEqual([...schemas.CONTACT_KINDS].sort());
    expect([...domain.PROTECTION_LEVELS].sort()).toEqual([...schemas.PROTECTION_LEVELS].sort());
    expect(domain.SCHOOL_FORMS_BY_COUNTRY).toEqual(schemas.SCHOOL_FORMS_BY_COUNTRY);
    expect([...domain.PROTECTION_BY_COUNTRY.SE, ...domain.PROTECTION_BY_COUNTRY.NO.filter((p) => p !== 'none')].sort()).toEqual([...schemas.PROTECTION_LEVELS].sort());
  });
});
