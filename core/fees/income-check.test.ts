/**
 * The yearly income check on a real core: the assessment by hand, who may check, a year not over refused,
 * and the whole path: last year's months locked on the declared income, the check beyond the threshold,
 * the card explaining the checked income, the next run's debit lines that make each corrected month equal
 * to a fresh computation, and a check within the threshold that changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../shared/api/contract';
import type { CallResult } from '../../shared/api/transport';
import { DEMO_PASSWORD } from '../access/auth';
import type { Connection } from '../app';
import { makeTestCore, type TestCore } from '../../test/util/core';
import { assess } from './income-check';
import { computeMonth } from './month';

let core: TestCore;
let fee: Connection;
let clerk: Connection;
const data = <T>(r: CallResult): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.data as T;
};
type Check = MethodOutput<'income.check'>;
type Line = MethodOutput<'fee.runLines'>['items'][number];

beforeAll(() => {
  // Early 2027: last year, 2026, is over and checked; the demo's places run from its autumn.
  core = makeTestCore({ persons: 600, today: '2027-03-01' });
  fee = core.connect('fees-check');
  data(fee.call('auth.signIn', { username: 'fee', password: DEMO_PASSWORD }));
  clerk = core.connect('fees-check-clerk');
  data(clerk.call('auth.signIn', { username: 'clerk', password: DEMO_PASSWORD }));
});
afterAll(() => core.close());

const months = (declared: (number | null)[]) => declared.map((d) => ({ declared: d }));

describe('assess', () => {
  it('compares taxed / 12 with the average declared month, beyond the threshold only', () => {
    // 12 × 40 000 kr declared; taxed 600 000 kr = 50 000 kr a month: 10 000 kr more, beyond 1 000 kr.
    expect(assess(months(Array(12).fill(4_000_000)), 60_000_000, 100_000)).toEqual({
      checkedMonthly: 5_000_000,
      declaredMonthly: 4_000_000,
      monthsDeclared: 12,
      difference: 1_000_000,
      outcome: 'corrected',
    });
    // Taxed 485 000 kr = 40 416,67 kr a month: 416,67 kr more, within 1 000 kr.
    expect(assess(months(Array(12).fill(4_000_000)), 48_500_000, 100_000)).toMatchObject({ checkedMonthly: 4_041_667, difference: 41_667, outcome: 'within' });
    // Six months at 30 000 and six at 36 000 kr: an average of 33 000 kr; taxed 300 000 kr = 25 000 kr, 8 000 kr less.
    expect(assess(months([...Array(6).fill(3_000_000), ...Array(6).fill(3_600_000)]), 30_000_000, 100_000)).toMatchObject({
      declaredMonthly: 3_300_000,
      difference: -800_000,
      outcome: 'corrected',
    });
    // Only the months with a declared income count: three declared, nine not.
    expect(assess(months([null, null, null, null, null, null, null, null, null, 2_000_000, 2_000_000, 2_000_000]), 24_000_000, 100_000)).toMatchObject({
      declaredMonthly: 2_000_000,
      monthsDeclared: 3,
      difference: 0,
      outcome: 'within',
    });
    // Exactly at the threshold is within it.
    expect(assess(months(Array(12).fill(4_000_000)), 49_200_000, 100_000)).toMatchObject({ difference: 100_000, outcome: 'within' });
    // Nothing declared all year: the household paid the cap; there is nothing to check.
    expect(assess(months(Array(12).fill(null)), 90_000_000, 100_000)).toEqual({ checkedMonthly: 7_500_000, declaredMonthly: null, monthsDeclared: 0, difference: 0, outcome: 'not_declared' });
  });
});

/** A preschool child alone in its household, placed through the whole of November and December 2026, alone with a fee-bearing place there. */
function childOf2026(): { child: string; household: string } {
  const row = core.db.sqlite
    .prepare(
      `SELECT hm.person_id AS child, hm.household_id AS household FROM household_member hm
       JOIN placement p ON p.child_id = hm.person_id AND p.state = 'accepted' AND p.school_form = 'FS' AND p.deleted_at IS NULL
         AND p.valid_from <= '2026-11-01' AND (p.valid_to IS NULL OR p.valid_to >= '2027-01-31')
       WHERE hm.role = 'child' AND hm.deleted_at IS NULL AND hm.valid_from <= '2026-11-01' AND (hm.valid_to IS NULL OR hm.valid_to >= '2027-01-31')
         AND (SELECT count(*) FROM household_member x WHERE x.person_id = hm.person_id AND x.role = 'child' AND x.deleted_at IS NULL) = 1
         AND NOT EXISTS (SELECT 1 FROM household_member o JOIN placement q ON q.child_id = o.person_id AND q.school_form IN ('FS', 'PO', 'FTH') AND q.deleted_at IS NULL
                         WHERE o.household_id = hm.household_id AND o.person_id <> hm.person_id AND o.role = 'child' AND o.deleted_at IS NULL)
       ORDER BY hm.person_id LIMIT 1`,
    )
    .get() as { child: string; household: string } | undefined;
  expect(row, 'the demo has a preschool child placed through late 2026').toBeDefined();
  return row!;
}

async function job(method: 'fee.runStart' | 'fee.runLock', input: unknown): Promise<{ runId?: string }> {
  const started = data<{ jobId: string; runId?: string }>(await fee.callAsync(method, input));
  const j = await core.services.jobs.wait(started.jobId);
  expect(j.state, JSON.stringify(j.error)).toBe('succeeded');
  return started;
}

function lines(id: string): Line[] {
  const out: Line[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = data<MethodOutput<'fee.runLines'>>(fee.call('fee.runLines', { id, offset, limit: 500 }));
    out.push(...page.items);
    if (offset + 500 >= page.total) return out;
  }
}

const perMonth = (ls: readonly Line[]) => ls.reduce<Record<string, number>>((a, l) => ({ ...a, [l.month]: (a[l.month] ?? 0) + l.amount }), {});

describe('income.check', () => {
  it('is the fee administrator\'s, for a year that is over, on a household that exists', () => {
    const { household } = childOf2026();
    expect(clerk.call('income.check', { householdId: household, year: 2026, taxedIncome: 1 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(clerk.call('income.checks', { householdId: household })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(fee.call('income.check', { householdId: household, year: 2027, taxedIncome: 1 })).toMatchObject({
      ok: false,
      error: { code: 'rule_violation', rule: 'income_check_year_open', field: 'year' },
    });
    expect(fee.call('income.check', { householdId: crypto.randomUUID(), year: 2026, taxedIncome: 1 })).toMatchObject({ ok: false, error: { code: 'not_found', field: 'householdId' } });
    expect(fee.call('income.check', { householdId: household, year: 2026, taxedIncome: -1 })).toMatchObject({ ok: false, error: { code: 'validation', field: 'taxedIncome' } });
  });

  it('beyond the threshold: last year\'s locked months are corrected with debit lines that make them what the checked income gives', async () => {
    const { child, household } = childOf2026();
    // Declared 40 000 kr a month through 2026; November and December invoiced on it (3 % of 40 000 − 10 000 kr = 900 kr).
    data(fee.call('income.declare', { householdId: household, validFrom: '2026-01-01', monthlyIncome: 4_000_000, source: 'declared' }));
    const locked: string[] = [];
    for (const month of ['2026-11', '2026-12']) {
      const { runId } = await job('fee.runStart', { month });
      await job('fee.runLock', { id: runId });
      locked.push(runId!);
    }
    const charged = lines(locked[0]!).filter((l) => l.childId === child);
    expect(charged.reduce((a, l) => a + l.amount, 0)).toBe(90_000);

    // Taxed income 600 000 kr: 50 000 kr a month, 10 000 kr above what was declared.
    const check = data<Check>(fee.call('income.check', { householdId: household, year: 2026, taxedIncome: 60_000_000, note: 'Inkomstkontroll 2026' }));
    expect(check).toMatchObject({ year: 2026, checkedMonthly: 5_000_000, declaredMonthly: 4_000_000, monthsDeclared: 12, difference: 1_000_000, threshold: 100_000, outcome: 'corrected', current: true });
    expect(check.months).toHaveLength(12);
    expect(check.months.every((m) => m.declared === 4_000_000)).toBe(true);
    // The audit names the household's members and the outcome, never an amount.
    const entry = core.db.sqlite.prepare(`SELECT details, person_ids FROM audit_log WHERE method = 'income.check' AND action = 'write' ORDER BY rowid DESC LIMIT 1`).get() as { details: string; person_ids: string };
    expect(JSON.parse(entry.person_ids)).toContain(child);
    expect(entry.details).toContain('corrected');
    expect(entry.details).not.toContain('6000000');

    // The card explains November 2026 on the checked income.
    const nov = data<MethodOutput<'fee.explain'>>(fee.call('fee.explain', { personId: child, month: '2026-11' }));
    expect(nov.lines.reduce((a, l) => a + l.amount, 0)).toBe(120_000);
    expect(nov.lines[0]!.explanation.income).toMatchObject({ monthly: 5_000_000, source: 'income_check', from: '2026-01-01', declarationId: check.id, check: { year: 2026, declared: 4_000_000, taxed: 60_000_000 } });
    // A month of another year keeps the declared income.
    const jan = data<MethodOutput<'fee.explain'>>(fee.call('fee.explain', { personId: child, month: '2027-01' }));
    expect(jan.lines[0]!.explanation.income).toMatchObject({ monthly: 4_000_000, source: 'declared' });

    // The next run: 300 kr more for each of the two months, each line naming what it corrects.
    const { runId } = await job('fee.runStart', { month: '2027-01' });
    const corrections = lines(runId!).filter((l) => l.kind === 'correction' && l.childId === child);
    // The run's lines of one household, asked for by the household.
    const ofHousehold = data<MethodOutput<'fee.runLines'>>(fee.call('fee.runLines', { id: runId!, householdId: household, limit: 500 }));
    expect(ofHousehold.items.length).toBe(ofHousehold.total);
    expect(ofHousehold.items.every((l) => l.householdId === household)).toBe(true);
    expect(ofHousehold.items.filter((l) => l.kind === 'correction').map((l) => l.id).sort()).toEqual(corrections.map((l) => l.id).sort());
    // (Per month: the lines of the guardians who share the invoice sum to the difference.)
    expect(perMonth(corrections)).toEqual({ '2026-11': 30_000, '2026-12': 30_000 });
    for (const c of corrections) {
      const share = c.explanation!.split ? c.explanation!.split.invoiceShare / c.explanation!.split.sharesTotal : 1;
      expect(c.explanation!.correction!.now - c.explanation!.correction!.was).toBe(c.amount);
      expect(Math.round(30_000 * share)).toBe(c.amount);
      expect(c.explanation!.income.source).toBe('income_check');
      expect(c.correctsLineId).not.toBeNull();
    }
    await job('fee.runLock', { id: runId });
    // Each corrected month now sums, per child, place, household and recipient, to a fresh computation.
    for (const month of ['2026-11', '2026-12']) {
      const fresh = computeMonth(core.ctx, month, { households: [household] }).lines;
      const net = core.db.sqlite.prepare(`SELECT coalesce(sum(amount), 0) FROM fee_line WHERE month = ? AND household_id = ?`).pluck().get(month, household) as number;
      expect(net, month).toBe(fresh.reduce((a, l) => a + l.amount, 0));
      expect(net).toBe(120_000);
    }

    // A second check of 2026 within the threshold supersedes the first: back to the declared income,
    // and the next run credits the 300 kr back.
    const again = data<Check>(fee.call('income.check', { householdId: household, year: 2026, taxedIncome: 48_500_000 }));
    expect(again.outcome).toBe('within');
    const listed = data<MethodOutput<'income.checks'>>(fee.call('income.checks', { householdId: household })).items;
    expect(listed.map((c) => [c.id, c.current])).toEqual([
      [again.id, true],
      [check.id, false],
    ]);
    const feb = await job('fee.runStart', { month: '2027-02' });
    const back = lines(feb.runId!).filter((l) => l.kind === 'correction' && l.childId === child);
    expect(perMonth(back)).toEqual({ '2026-11': -30_000, '2026-12': -30_000 });
    expect(back[0]!.explanation!.income.source).toBe('declared');
  });
});
