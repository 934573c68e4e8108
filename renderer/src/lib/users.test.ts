import { describe, expect, it } from 'vitest';
import { accountState, emptyUserValues, mapUserError, roleTakesUnit, rolesText, toCreateInput, toUpdateInput, unitOptions, userValuesFrom, validateUser, WHOLE_MUNICIPALITY, type UserView } from './users';

const UNIT = '0123abcd-0000-4000-8000-00000000002a';
const user: UserView = {
  id: '0123abcd-0000-4000-8000-000000000001',
  version: 3,
  username: 'anna.berg',
  displayName: 'Anna Berg',
  roles: [
    { role: 'clerk', unitId: UNIT, unitName: 'Björkskolan' },
    { role: 'auditor', unitId: null, unitName: null },
  ],
  totpEnabled: false,
  mustChangePassword: false,
  disabled: false,
  lockedUntil: null,
  lastSignInAt: null,
};

describe('account form', () => {
  it('round-trips an account through the form without changes', () => {
    const v = userValuesFrom(user);
    expect(toUpdateInput(v, user)).toEqual({
      id: user.id,
      version: 3,
      displayName: 'Anna Berg',
      roles: [
        { role: 'clerk', unitId: UNIT },
        { role: 'auditor', unitId: null },
      ],
      disabled: false,
    });
  });

  it('notices a changed role unit', () => {
    const a = userValuesFrom(user);
    const b = { ...a, roles: a.roles.map((r, i) => (i === 0 ? { ...r, unitId: WHOLE_MUNICIPALITY } : r)) };
    expect(toUpdateInput(b, user).roles[0]).toEqual({ role: 'clerk', unitId: null });
  });

  it('never limits a role without unit-scoped permissions to a unit', () => {
    expect(roleTakesUnit('auditor')).toBe(false);
    expect(roleTakesUnit('clerk')).toBe(true);
    expect(roleTakesUnit('protected_handler')).toBe(true);
    const v = { ...emptyUserValues(), username: 'x.y', displayName: 'X Y', password: 'a long enough pass', roles: [{ key: 'k', role: 'auditor' as const, unitId: UNIT }] };
    expect(toCreateInput(v).roles).toEqual([{ role: 'auditor', unitId: null }]);
  });

  it('checks a new account before asking the core', () => {
    const e = validateUser({ ...emptyUserValues(), username: 'Ä!', password: 'short' }, { editing: false, passwordMinLength: 12 });
    expect(e.username?.key).toBe('validation.username_format');
    expect(e.displayName?.key).toBe('validation.required');
    expect(e.password).toEqual({ key: 'password.error.too_short', vars: { min: 12 } });
    expect(e['roles.0.role']?.key).toBe('userForm.roleRequired');
    const ok = validateUser(
      { username: ' Anna.Berg ', displayName: 'Anna', password: 'x'.repeat(12), roles: [{ key: 'a', role: 'clerk', unitId: UNIT }], disabled: false },
      { editing: false, passwordMinLength: 12 },
    );
    expect(ok).toEqual({});
  });

  it('refuses the same role twice for the same unit', () => {
    const e = validateUser(
      {
        ...userValuesFrom(user),
        roles: [
          { key: 'a', role: 'clerk', unitId: UNIT },
          { key: 'b', role: 'clerk', unitId: UNIT },
          { key: 'c', role: 'clerk', unitId: WHOLE_MUNICIPALITY },
        ],
      },
      { editing: true, passwordMinLength: 12 },
    );
    expect(Object.keys(e)).toEqual(['roles.1.role']);
  });

  it('places the core’s refusal on the fields, with policy messages for the password', () => {
    const v = { ...emptyUserValues(), roles: [{ key: 'a', role: 'clerk' as const, unitId: UNIT }] };
    const m = mapUserError(
      {
        code: 'validation',
        message: 'x',
        issues: [
          { field: 'password', code: 'common', message: '' },
          { field: 'username', code: 'username_format', message: '' },
          { field: 'roles.0.unitId', code: 'not_found', message: '' },
          { field: 'roles.7.unitId', code: 'not_found', message: '' },
          { field: 'mystery', code: 'x', message: '' },
        ],
      },
      v,
      12,
    );
    expect(m.fields.password).toEqual({ key: 'password.error.common' });
    expect(m.fields.username).toEqual({ key: 'validation.username_format' });
    expect(m.fields['roles.0.unitId']?.key).toBe('validation.not_found');
    expect(m.fields.roles?.key).toBe('validation.not_found');
    expect(m.top).toHaveLength(1);
  });

  it('says a taken user name on the user name, a role listed twice on that row, a rule in the banner', () => {
    const v = { ...emptyUserValues(), roles: [{ key: 'a', role: 'clerk' as const, unitId: UNIT }, { key: 'b', role: 'clerk' as const, unitId: UNIT }] };
    expect(mapUserError({ code: 'duplicate', message: 'taken', field: 'username' }, v, 12).fields).toEqual({ username: { key: 'userForm.usernameTaken' } });
    const dup = mapUserError({ code: 'validation', message: 'x', field: 'roles.1', issues: [{ field: 'roles.1', code: 'duplicate_role', message: '' }] }, v, 12);
    expect(dup.fields).toEqual({ 'roles.1.role': { key: 'userForm.roleDuplicate' } });
    expect(mapUserError({ code: 'forbidden', message: 'no' }, v, 12)).toEqual({ fields: {}, top: [{ key: 'error.forbidden' }] });
  });
});

describe('account table', () => {
  const fmt = (s: string) => s.slice(0, 16);
  it('shows the most important state', () => {
    expect(accountState({ disabled: true, lockedUntil: '2999-01-01T00:00:00Z', mustChangePassword: true }, '2026-01-01T00:00:00Z', fmt).key).toBe('users.status.disabled');
    expect(accountState({ disabled: false, lockedUntil: '2026-01-01T00:05:00Z', mustChangePassword: true }, '2026-01-01T00:00:00Z', fmt)).toEqual({ key: 'users.status.lockedUntil', vars: { time: '2026-01-01T00:05' }, tone: 'warn' });
    expect(accountState({ disabled: false, lockedUntil: '2025-01-01T00:00:00Z', mustChangePassword: true }, '2026-01-01T00:00:00Z', fmt).key).toBe('users.status.mustChange');
    expect(accountState({ disabled: false, lockedUntil: null, mustChangePassword: false }, '2026-01-01T00:00:00Z', fmt).key).toBe('users.status.active');
  });

  it('lists roles with their units', () => {
    const t = (k: string) => ({ 'accessRole.clerk': 'Skoladministratör', 'accessRole.auditor': 'Granskare', 'users.wholeMunicipality': 'hela kommunen' })[k] ?? k;
    expect(rolesText(user.roles, t as never)).toBe('Skoladministratör, Björkskolan; Granskare, hela kommunen');
  });

  it('offers the whole municipality first, then each administration (all its units) and its school units', () => {
    const tree = {
      municipality: { id: UNIT, name: 'Ekdala', country: 'SE' as const, code: '9901' },
      administrations: [
        {
          id: UNIT,
          name: 'BUF',
          units: [
            { id: 'b', kind: 'school_unit' as const, name: 'Ekskolan', code: null, schoolForms: [], groupCount: 0 },
            { id: 'a', kind: 'school_unit' as const, name: 'Björkskolan', code: null, schoolForms: [], groupCount: 0 },
          ],
        },
      ],
    };
    expect(unitOptions(tree, 'Hela kommunen', (a) => `${a} – alla enheter`)).toEqual([
      { value: WHOLE_MUNICIPALITY, label: 'Hela kommunen' },
      {
        group: 'BUF',
        items: [
          { value: UNIT, label: 'BUF – alla enheter' },
          { value: 'a', label: 'Björkskolan' },
          { value: 'b', label: 'Ekskolan' },
        ],
      },
    ]);
  });
});
