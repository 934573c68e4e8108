import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallResult } from '../../shared/api/transport';
import type { MethodOutput } from '../../shared/api/contract';
import { isNoExplanation } from '../../shared/api/fees';
import { DEMO_PASSWORD } from '../access/auth';
import type { Connection } from '../app';
import { makeTestCore, type TestCore } from '../../test/util/core';

let core: TestCore;
let fee: Connection;
const data = <T>(r: CallResult): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.data as T;
};

beforeAll(() => {
  core = makeTestCore({ persons: 600 });
  fee = core.connect('fees-explain');
  data(fee.call('auth.signIn', { username: 'fee', password: DEMO_PASSWORD }));
});
afterAll(() => core.close());

/** A preschool child alone in one household with a whole-year place, and nobody else there with a fee-bearing place. */
function onlyChild(): { child: string; household: string } {
  const rows = core.db.sqlite
    .prepare(
      `SELECT hm.person_id AS child, hm.household_id AS household FROM household_member hm
       JOIN placement p ON p.child_id = hm.person_id AND p.state = 'accepted' AND p.school_form = 'FS' AND p.deleted_at IS NULL
         AND p.valid_from <= '2026-09-01' AND (p.valid_to IS NULL OR p.valid_to >= '2026-11-30')
       WHERE hm.role = 'child' AND hm.deleted_at IS NULL AND hm.valid_from <= '2026-09-01' AND (hm.valid_to IS NULL OR hm.valid_to >= '2026-11-30')
         AND (SELECT count(*) FROM household_member x WHERE x.person_id = hm.person_id AND x.role = 'child' AND x.deleted_at IS NULL) = 1
         AND NOT EXISTS (SELECT 1 FROM household_member o JOIN placement q ON q.child_id = o.person_id AND q.school_form IN ('FS', 'PO', 'FTH') AND q.deleted_at IS NULL
                         WHERE o.household_id = hm.household_id AND o.person_id <> hm.person_id AND o.role = 'child' AND o.deleted_at IS NULL)
         -- Nobody protected or shielded among the child and its guardians (a protected recipient is warned about;
         -- the demo's ids are random, so which child comes first differs from run to run).
         AND NOT EXISTS (SELECT 1 FROM person w WHERE (w.id = hm.person_id OR w.id IN (SELECT guardian_id FROM guardianship g WHERE g.child_id = hm.person_id AND g.deleted_at IS NULL))
                         AND (w.protection <> 'none' OR w.shielded = 1))
       ORDER BY hm.person_id LIMIT 1`,
    )
    .all() as { child: string; household: string }[];
  expect(rows.length, 'the demo has a preschool child alone in its household').toBe(1);
  return rows[0]!;
}

describe('fee.explain', () => {
  it('a child\'s month from the register: the household\'s income, rank 1, the rule set of the month, every figure explained', () => {
    const { child, household } = onlyChild();
    const before = data<MethodOutput<'fee.explain'>>(fee.call('fee.explain', { personId: child, month: '2026-11' }));
    // Nothing declared yet: the maximum fee, with a warning.
    expect(before.warnings.map((w) => w.code)).toContain('income_not_declared');
    expect(before.lines).toHaveLength(1);
    expect(before.lines[0]!.amount).toBe(154_700);

    data(fee.call('income.declare', { householdId: household, validFrom: '2026-01-01', monthlyIncome: 4_000_000, source: 'declared' }));
    const nov = data<MethodOutput<'fee.explain'>>(fee.call('fee.explain', { personId: child, month: '2026-11' }));
    expect(nov.warnings).toEqual([]);
    const line = nov.lines[0]!;
    expect(line).toMatchObject({ personId: child, householdId: household, shareBp: 10_000, amount: 90_000 });
    expect(line.explanation).toMatchObject({
      ruleSet: { id: 'se-maxtaxa-2026-h2' },
      income: { monthly: 4_000_000, used: 4_000_000, source: 'declared', from: '2026-01-01' },
      rank: 1,
      family: 'preschool',
      percentBp: 300,
      incomeFloor: 1_000_000,
      feeBase: 3_000_000,
      cap: 154_700,
      days: { charged: 30, ofMonth: 30, mode: 'thirty' },
    });
    expect(line.explanation.ranked.map((r) => r.personId)).toEqual([child]);
    // A new income from 1 November: October keeps the old one, November uses the new one.
    data(fee.call('income.declare', { householdId: household, validFrom: '2026-11-01', monthlyIncome: 2_500_000, source: 'income_check' }));
    const oct = data<MethodOutput<'fee.explain'>>(fee.call('fee.explain', { personId: child, month: '2026-10' })).lines[0]!;
    const nov2 = data<MethodOutput<'fee.explain'>>(fee.call('fee.explain', { personId: child, month: '2026-11' })).lines[0]!;
    expect([oct.amount, oct.explanation.income.from]).toEqual([90_000, '2026-01-01']);
    expect([nov2.amount, nov2.explanation.income.from]).toEqual([45_000, '2026-11-01']); // (25 000 − 10 000) × 3 %
  });

  it('says why there is nothing to charge, refuses a bad month by its field, and is for fee administrators only', () => {
    const adult = core.db.sqlite.prepare(`SELECT person_id FROM household_member WHERE role = 'adult' AND deleted_at IS NULL LIMIT 1`).pluck().get() as string;
    expect(data<MethodOutput<'fee.explain'>>(fee.call('fee.explain', { personId: adult, month: '2026-11' })).warnings.map((w) => w.code)).toEqual(['no_household']);
    expect(fee.call('fee.explain', { personId: adult, month: '2026-13' })).toMatchObject({ ok: false, error: { code: 'validation', field: 'month' } });
    expect(fee.call('fee.explain', { personId: '00000000-0000-4000-8000-000000000000', month: '2026-11' })).toMatchObject({ ok: false, error: { code: 'not_found', field: 'personId' } });
    const clerk = core.connect('fees-explain-clerk');
    data(clerk.call('auth.signIn', { username: 'clerk.all', password: DEMO_PASSWORD }));
    expect(clerk.call('fee.explain', { personId: adult, month: '2026-11' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('fee.rules', () => {
  it('the shipped defaults until saved; a save is used by the next explanation and travels as a setting', async () => {
    const { isSetting } = await import('../sync/records');
    const r0 = data<MethodOutput<'fee.rules'>>(fee.call('fee.rules', {}));
    expect(r0.defaults).toBe(true);
    expect(r0.se.map((s) => s.id)).toContain('se-maxtaxa-2026-h2');
    // A municipality with its own local rule: no fee below 30 000 kr.
    const settings = { ...r0.settings, local: [{ id: 'low', label: 'Ingen avgift under 30 000 kr', when: { incomeBelow: 3_000_000 }, effect: { kind: 'free' as const } }] };
    const saved = data<MethodOutput<'fee.rulesUpdate'>>(fee.call('fee.rulesUpdate', { se: r0.se, settings, version: r0.version }));
    expect(saved.defaults).toBe(false);
    expect(saved.settings.local.map((l) => l.id)).toEqual(['low']);
    expect(isSetting('fee.se.rules') && isSetting('fee.settings')).toBe(true);
    const { child, household } = onlyChild();
    data(fee.call('income.declare', { householdId: household, validFrom: '2026-01-01', monthlyIncome: 4_000_000, source: 'declared' }));
    data(fee.call('income.declare', { householdId: household, validFrom: '2026-11-01', monthlyIncome: 2_500_000, source: 'declared' }));
    const nov = data<MethodOutput<'fee.explain'>>(fee.call('fee.explain', { personId: child, month: '2026-11' })).lines[0]!;
    expect(nov.amount).toBe(0); // 25 000 kr from November: below the local limit
    // The same household in October (40 000 kr) is above it: the local rule does not apply.
    const oct = data<MethodOutput<'fee.explain'>>(fee.call('fee.explain', { personId: child, month: '2026-10' })).lines[0]!;
    if (isNoExplanation(oct.explanation) || isNoExplanation(nov.explanation)) throw new Error('a Swedish line was expected');
    expect(oct.explanation.local).toEqual([]);
    expect(nov.explanation.local.map((l) => l.id)).toEqual(['low']);
    // A save made on what was read before that change is refused, not written over it.
    expect(fee.call('fee.rulesUpdate', { se: r0.se, settings: r0.settings, version: r0.version })).toMatchObject({ ok: false, error: { code: 'conflict', field: 'version' } });
    expect(data<MethodOutput<'fee.rules'>>(fee.call('fee.rules', {})).settings.local.map((l) => l.id)).toEqual(['low']);
    expect(saved.version).not.toBe(r0.version);
    // Put back for the other tests.
    data(fee.call('fee.rulesUpdate', { se: r0.se, settings: r0.settings, version: saved.version }));
  });

  it('refuses two rule sets for one month, a last month before the first and a bad percentage, by field', () => {
    const r0 = data<MethodOutput<'fee.rules'>>(fee.call('fee.rules', {}));
    const extra = { ...r0.se[0]!, id: 'extra', validFrom: '2025-06', validTo: '2025-09' };
    const overlap = fee.call('fee.rulesUpdate', { se: [...r0.se, extra], settings: r0.settings, version: r0.version });
    expect(overlap).toMatchObject({ ok: false, error: { code: 'rule_violation', rule: 'fee_rules_overlap' } });
    const backwards = fee.call('fee.rulesUpdate', { se: [{ ...r0.se[0]!, validFrom: '2023-12', validTo: '2023-01' }, ...r0.se.slice(1)], settings: r0.settings, version: r0.version });
    expect(backwards).toMatchObject({ ok: false, error: { code: 'validation', field: 'se.0.validTo' } });
    const pct = fee.call('fee.rulesUpdate', { se: [{ ...r0.se[0]!, percent: { preschool: [30_000], afterschool: [200] } }, ...r0.se.slice(1)], settings: r0.settings, version: r0.version });
    expect(pct).toMatchObject({ ok: false, error: { code: 'validation', field: 'se.0.percent.preschool.0' } });
    // Nothing was stored by the refused saves.
    expect(data<MethodOutput<'fee.rules'>>(fee.call('fee.rules', {})).se).toEqual(r0.se);
    const clerk = core.connect('fees-rules-clerk');
    data(clerk.call('auth.signIn', { username: 'clerk.all', password: DEMO_PASSWORD }));
    expect(clerk.call('fee.rulesUpdate', { se: r0.se, settings: r0.settings, version: r0.version })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
