import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallResult } from '../../shared/api/transport';
import { DEMO_PASSWORD } from '../access/auth';
import type { Connection } from '../app';
import { makeTestCore, type TestCore } from '../../test/util/core';

let core: TestCore;
let household: string;
const sign = (username: string): Connection => {
  const c = core.connect(`fees-${username}`);
  const r = c.call('auth.signIn', { username, password: DEMO_PASSWORD });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return c;
};
const data = <T>(r: CallResult): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.data as T;
};

beforeAll(() => {
  core = makeTestCore({ persons: 200 });
  household = core.db.sqlite.prepare('SELECT id FROM household WHERE deleted_at IS NULL ORDER BY id LIMIT 1').pluck().get() as string;
});
afterAll(() => core.close());

describe('households\' incomes', () => {
  it('a fee administrator records incomes by date; the one in force is marked; a later entry for the same date corrects it', () => {
    const fee = sign('fee');
    data(fee.call('income.declare', { householdId: household, validFrom: '2026-01-01', monthlyIncome: 4_500_000, source: 'declared' }));
    data(fee.call('income.declare', { householdId: household, validFrom: '2026-07-01', monthlyIncome: null, source: 'not_declared', note: 'Ingen uppgift' }));
    const list = (date?: string) => data<{ items: { validFrom: string; monthlyIncome: number | null; source: string; current: boolean; createdByName: string | null }[] }>(fee.call('income.list', { householdId: household, ...(date ? { date } : {}) })).items;
    expect(list('2026-03-15').map((x) => [x.validFrom, x.monthlyIncome, x.current])).toEqual([
      ['2026-07-01', null, false],
      ['2026-01-01', 4_500_000, true],
    ]);
    expect(list('2026-08-01').find((x) => x.current)?.source).toBe('not_declared');
    expect(list()[0]!.createdByName).toBe('Frej Avgift (demo)');
    data(fee.call('income.declare', { householdId: household, validFrom: '2026-01-01', monthlyIncome: 4_700_000, source: 'income_check' }));
    expect(list('2026-03-15').find((x) => x.current)).toMatchObject({ monthlyIncome: 4_700_000, source: 'income_check' });
  });

  it('says which field is wrong, and refuses a household that does not exist', () => {
    const fee = sign('fee');
    const bad = fee.call('income.declare', { householdId: household, validFrom: '2026-01-01', monthlyIncome: null, source: 'declared' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation', field: 'monthlyIncome' } });
    expect(fee.call('income.declare', { householdId: household, validFrom: '2026-01-01', monthlyIncome: 5, source: 'not_declared' })).toMatchObject({ ok: false, error: { code: 'validation', field: 'monthlyIncome' } });
    expect(fee.call('income.declare', { householdId: household, validFrom: '2026-13-01', monthlyIncome: 5, source: 'declared' })).toMatchObject({ ok: false, error: { code: 'validation', field: 'validFrom' } });
    expect(fee.call('income.declare', { householdId: household, validFrom: '2026-01-01', monthlyIncome: -1, source: 'declared' })).toMatchObject({ ok: false, error: { code: 'validation', field: 'monthlyIncome' } });
    expect(fee.call('income.declare', { householdId: '00000000-0000-4000-8000-000000000000', validFrom: '2026-01-01', monthlyIncome: 5, source: 'declared' })).toMatchObject({
      ok: false,
      error: { code: 'not_found', field: 'householdId' },
    });
  });

  it('nobody but the fee administrators reads or writes them', () => {
    for (const username of ['clerk', 'clerk.all', 'protected', 'foi', 'registrar', 'auditor']) {
      const c = sign(username);
      expect(c.call('income.list', { householdId: household }), username).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(c.call('income.declare', { householdId: household, validFrom: '2026-01-01', monthlyIncome: 1, source: 'declared' }), username).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  });

  it('each read and write is in the audit log with the household\'s members, never the amount', () => {
    const rows = core.db.sqlite.prepare(`SELECT method, person_ids, details FROM audit_log WHERE method IN ('income.list', 'income.declare') AND outcome = 'ok'`).all() as { method: string; person_ids: string; details: string }[];
    expect(rows.some((r) => r.method === 'income.list')).toBe(true);
    expect(rows.some((r) => r.method === 'income.declare')).toBe(true);
    for (const r of rows) {
      expect(JSON.parse(r.person_ids).length, r.method).toBeGreaterThan(0);
      expect(r.details).not.toMatch(/4500000|4700000/);
    }
  });
});
