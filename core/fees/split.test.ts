/**
 * The declared split of a shared-residence child's fee (`fee.sharedSplit`): every household named, parts
 * adding up to 100 %, through the write path; the month then charges each household its part, without
 * the warning that asked for it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../shared/api/contract';
import type { CallResult } from '../../shared/api/transport';
import { DEMO_PASSWORD } from '../access/auth';
import type { Connection } from '../app';
import { makeTestCore, type TestCore } from '../../test/util/core';

let core: TestCore;
let fee: Connection;
let clerk: Connection;
const data = <T>(r: CallResult): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.data as T;
};

beforeAll(() => {
  core = makeTestCore({ persons: 800 });
  fee = core.connect('fees-split');
  data(fee.call('auth.signIn', { username: 'fee', password: DEMO_PASSWORD }));
  clerk = core.connect('fees-split-clerk');
  data(clerk.call('auth.signIn', { username: 'clerk', password: DEMO_PASSWORD }));
});
afterAll(() => core.close());

/** A child with a fee-bearing place in December living in two households now. */
function sharedChild(): { child: string; a: string; b: string } {
  const row = core.db.sqlite
    .prepare(
      `SELECT m.person_id AS child, min(m.household_id) AS a, max(m.household_id) AS b FROM household_member m
       JOIN placement p ON p.child_id = m.person_id AND p.state = 'accepted' AND p.school_form IN ('FS', 'FTH') AND p.deleted_at IS NULL AND p.valid_from <= '2026-12-01' AND (p.valid_to IS NULL OR p.valid_to >= '2026-12-31')
       WHERE m.role = 'child' AND m.deleted_at IS NULL AND m.valid_to IS NULL AND m.valid_from <= '2026-12-01'
       GROUP BY m.person_id HAVING count(DISTINCT m.household_id) = 2 ORDER BY m.person_id LIMIT 1`,
    )
    .get() as { child: string; a: string; b: string } | undefined;
  expect(row, 'the demo has a placed child in shared residence').toBeDefined();
  return row!;
}

describe('fee.sharedSplit', () => {
  it('sets each household\'s part; the month charges by it, without asking for it any more', () => {
    const { child, a, b } = sharedChild();
    const rules = data<MethodOutput<'fee.rules'>>(fee.call('fee.rules', {}));
    data(fee.call('fee.rulesUpdate', { se: rules.se, settings: { ...rules.settings, sharedResidence: 'declared_split' }, version: rules.version }));
    const before = data<MethodOutput<'fee.explain'>>(fee.call('fee.explain', { personId: child, month: '2026-12' }));
    expect(before.warnings.map((w) => w.code)).toContain('shared_split_missing');
    expect(data<MethodOutput<'fee.sharedSplitGet'>>(fee.call('fee.sharedSplitGet', { childId: child })).shares.map((s) => s.feeShareBp)).toEqual([null, null]);

    const set = data<MethodOutput<'fee.sharedSplit'>>(fee.call('fee.sharedSplit', { childId: child, shares: [{ householdId: a, feeShareBp: 7_000 }, { householdId: b, feeShareBp: 3_000 }] }));
    expect(Object.fromEntries(set.shares.map((s) => [s.householdId, s.feeShareBp]))).toEqual({ [a]: 7_000, [b]: 3_000 });
    // Through the write path: a version up and a change record per membership.
    expect(set.shares.every((s) => s.version >= 2)).toBe(true);
    expect(core.db.sqlite.prepare(`SELECT count(*) FROM change_log WHERE entity = 'household_member' AND entity_id IN (SELECT value FROM json_each(?))`).pluck().get(JSON.stringify(set.shares.map((s) => s.memberId)))).toBeGreaterThanOrEqual(2);

    const after = data<MethodOutput<'fee.explain'>>(fee.call('fee.explain', { personId: child, month: '2026-12' }));
    expect(after.warnings.map((w) => w.code)).not.toContain('shared_split_missing');
    for (const l of after.lines) {
      const bp = l.householdId === a ? 7_000 : 3_000;
      expect(l.explanation.shared).toMatchObject({ mode: 'declared_split', shareBp: bp });
      // Each household's part of its own fee, rounded to whole kronor (the setting), before the split between recipients.
      const own = l.explanation.shared!.before;
      const part = Math.floor((Math.floor((own * bp + 5_000) / 10_000) + 50) / 100) * 100;
      expect(l.explanation.split ? l.explanation.split.before : l.amount).toBe(part);
    }
  });

  it('refuses a split that does not name every household once with parts adding up to 100 %', () => {
    const { child, a, b } = sharedChild();
    expect(fee.call('fee.sharedSplit', { childId: child, shares: [{ householdId: a, feeShareBp: 6_000 }, { householdId: b, feeShareBp: 3_000 }] })).toMatchObject({
      ok: false,
      error: { code: 'rule_violation', rule: 'fee_split_total', field: 'shares' },
    });
    const other = core.db.sqlite.prepare('SELECT id FROM household WHERE id NOT IN (?, ?) LIMIT 1').pluck().get(a, b) as string;
    expect(fee.call('fee.sharedSplit', { childId: child, shares: [{ householdId: a, feeShareBp: 5_000 }, { householdId: other, feeShareBp: 5_000 }] })).toMatchObject({
      ok: false,
      error: { rule: 'fee_split_household', field: 'shares.1.householdId' },
    });
    expect(fee.call('fee.sharedSplit', { childId: child, shares: [{ householdId: a, feeShareBp: 5_000 }, { householdId: a, feeShareBp: 5_000 }] })).toMatchObject({
      ok: false,
      error: { code: 'validation', field: 'shares.1.householdId' },
    });
    expect(fee.call('fee.sharedSplit', { childId: child, shares: [{ householdId: a, feeShareBp: 10_001 }, { householdId: b, feeShareBp: 0 }] })).toMatchObject({ ok: false, error: { code: 'validation' } });
    const single = core.db.sqlite
      .prepare(`SELECT person_id FROM household_member WHERE role = 'child' AND deleted_at IS NULL GROUP BY person_id HAVING count(DISTINCT household_id) = 1 LIMIT 1`)
      .pluck()
      .get() as string;
    const hh = core.db.sqlite.prepare(`SELECT household_id FROM household_member WHERE person_id = ? AND role = 'child'`).pluck().get(single) as string;
    expect(fee.call('fee.sharedSplit', { childId: single, shares: [{ householdId: hh, feeShareBp: 5_000 }, { householdId: a, feeShareBp: 5_000 }] })).toMatchObject({
      ok: false,
      error: { rule: 'fee_split_not_shared', field: 'childId' },
    });
    expect(clerk.call('fee.sharedSplit', { childId: child, shares: [{ householdId: a, feeShareBp: 5_000 }, { householdId: b, feeShareBp: 5_000 }] })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(clerk.call('fee.sharedSplitGet', { childId: child })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
