import { describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLE_PERMISSIONS, ROLES, ROLES_REQUIRING_TOTP, UNIT_SCOPED } from './access';
import { ENROLMENT_FORMS, ENROLMENT_FORMS_BY_COUNTRY, FORM_FAMILY, GUARDIANSHIP_KINDS, GUARDIANSHIP_KINDS_BY_COUNTRY, PLACEMENT_FORMS, PLACEMENT_FORMS_BY_COUNTRY } from './care';
import { SCHOOL_FORMS, SCHOOL_FORMS_BY_COUNTRY } from './org';
import { COUNTRIES, PROTECTION_BY_COUNTRY, PROTECTION_LEVELS } from './register';

const sorted = (xs: readonly string[]) => [...xs].sort();

describe('the per-country tables', () => {
  it('give every school form to exactly one country', () => {
    expect(sorted(COUNTRIES.flatMap((c) => SCHOOL_FORMS_BY_COUNTRY[c]))).toEqual(sorted(SCHOOL_FORMS));
  });

  it('split the school forms into placement forms and enrolment forms, with no form in both', () => {
    expect(sorted([...PLACEMENT_FORMS, ...ENROLMENT_FORMS])).toEqual(sorted(SCHOOL_FORMS));
    expect(PLACEMENT_FORMS.filter((f) => (ENROLMENT_FORMS as readonly string[]).includes(f))).toEqual([]);
    expect(sorted(Object.keys(FORM_FAMILY))).toEqual(sorted(PLACEMENT_FORMS));
  });

  it('offer per country exactly that country’s forms, each in the right half', () => {
    for (const c of COUNTRIES) {
      expect(sorted([...PLACEMENT_FORMS_BY_COUNTRY[c], ...ENROLMENT_FORMS_BY_COUNTRY[c]])).toEqual(sorted(SCHOOL_FORMS_BY_COUNTRY[c]));
      for (const f of PLACEMENT_FORMS_BY_COUNTRY[c]) expect(PLACEMENT_FORMS).toContain(f);
      for (const f of ENROLMENT_FORMS_BY_COUNTRY[c]) expect(ENROLMENT_FORMS).toContain(f);
    }
  });

  it('give every guardianship kind to one country, and every protection level to its own country (none to both)', () => {
    expect(sorted(COUNTRIES.flatMap((c) => GUARDIANSHIP_KINDS_BY_COUNTRY[c]))).toEqual(sorted(GUARDIANSHIP_KINDS));
    for (const c of COUNTRIES) expect(PROTECTION_BY_COUNTRY[c]).toContain('none');
    expect(sorted(['none', ...COUNTRIES.flatMap((c) => PROTECTION_BY_COUNTRY[c].filter((p) => p !== 'none'))])).toEqual(sorted(PROTECTION_LEVELS));
  });
});

describe('the access model', () => {
  it('grants only known permissions, never `public` or `session` (those hold for everyone)', () => {
    for (const r of ROLES) {
      for (const p of ROLE_PERMISSIONS[r]) expect(PERMISSIONS).toContain(p);
      expect(ROLE_PERMISSIONS[r]).not.toContain('public');
      expect(ROLE_PERMISSIONS[r]).not.toContain('session');
    }
    for (const p of UNIT_SCOPED) expect(PERMISSIONS).toContain(p);
    for (const r of ROLES_REQUIRING_TOTP) expect(ROLES).toContain(r);
  });
});
