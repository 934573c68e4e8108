/**
 * The fee run on a real core and database: preview as a job with its totals, warnings and the difference
 * from the previous run; lock (records with the preview's ids, refused when stale); post; corrections of
 * locked months after a backdated income (they make the month equal to a fresh computation, and an
 * unchanged month yields none); a separate credit-note run; who may do what.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../shared/api/contract';
import type { CallResult } from '../../shared/api/transport';
import { DEMO_PASSWORD } from '../access/auth';
import type { Connection } from '../app';
import { makeTestCore, type TestCore } from '../../test/util/core';
import { computeMonth } from './month';

let core: TestCore;
let fee: Connection;
let clerk: Connection;
const data = <T>(r: CallResult): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.data as T;
};
type Run = MethodOutput<'fee.runGet'>;
type Line = MethodOutput<'fee.runLines'>['items'][number];

beforeAll(() => {
  core = makeTestCore({ persons: 800 });
  fee = core.connect('fees-run');
  data(fee.call('auth.signIn', { username: 'fee', password: DEMO_PASSWORD }));
  clerk = core.connect('fees-run-clerk');
  data(clerk.call('auth.signIn', { username: 'clerk', password: DEMO_PASSWORD }));
});
afterAll(() => core.close());

async function job(conn: Connection, method: 'fee.runStart' | 'fee.runLock', input: unknown): Promise<{ jobId: string; runId?: string; state: string; error: unknown }> {
  const started = data<{ jobId: string; runId?: string }>(await conn.callAsync(method, input));
  const j = await core.services.jobs.wait(started.jobId);
  return { ...started, state: j.state, error: j.error };
}

async function preview(month: string, kind: 'regular' | 'credit_note' = 'regular'): Promise<Run> {
  const j = await job(fee, 'fee.runStart', { month, kind });
  expect(j.state, JSON.stringify(j.error)).toBe('succeeded');
  return data<Run>(fee.call('fee.runGet', { id: j.runId! }));
}

function allLines(id: string, kind?: 'charge' | 'correction'): Line[] {
  const out: Line[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = data<MethodOutput<'fee.runLines'>>(fee.call('fee.runLines', { id, offset, limit: 500, ...(kind ? { kind } : {}) }));
    out.push(...page.items);
    if (offset + 500 >= page.total) return out;
  }
}

const sum = (xs: readonly { amount: number }[]) => xs.reduce((a, x) => a + x.amount, 0);
/** A line's explanation, which must be there (a line the register still gives). */
const explained = (l: Line) => {
  if (!l.explanation) throw new Error(`line ${l.id} has no explanation (changed: ${String(l.changed)})`);
  return l.explanation;
};
const key = (l: { childId: string; placementId: string; householdId: string; recipientId: string | null }) => `${l.childId}|${l.placementId}|${l.householdId}|${l.recipientId ?? ''}`;

describe('the fee run', () => {
  let september: Run;

  it('previews a month as a job: every line explained, totals that reconcile per unit, form and rule, warnings by code', async () => {
    september = await preview('2026-09');
    expect(september.state).toBe('ready');
    const lines = allLines(september.id);
    expect(lines.length).toBeGreaterThan(20);
    expect(september.lineCount).toBe(lines.length);
    const s = september.summary!;
    // The run's total is the sum of its lines, and of each breakdown.
    expect(s.total).toBe(sum(lines));
    expect(september.total).toBe(s.total);
    expect(sum(s.byUnit)).toBe(s.total);
    expect(sum(s.byForm)).toBe(s.total);
    expect(s.byRule.find((r) => r.id === 'se-maxtaxa-2026-h2')).toMatchObject({ lines: lines.length, amount: s.total });
    expect(s.charges).toEqual({ lines: lines.length, amount: s.total });
    expect(s.corrections.lines).toBe(0);
    // Nothing declared in the demo: the maximum fee, and the warning for every household charged.
    expect(s.warnings.find((w) => w.code === 'income_not_declared')!.count).toBeGreaterThan(0);
    for (const l of lines) {
      expect(l.kind).toBe('charge');
      expect(l.changed).toBe(false);
      expect(explained(l).ruleSet.id).toBe('se-maxtaxa-2026-h2');
      expect(explained(l).householdId).toBe(l.householdId);
      expect(explained(l).amount).toBe(l.amount);
      expect(['FS', 'PO', 'FTH']).toContain(l.schoolForm);
      expect(l.childName).not.toBe('');
      if (l.recipientId) expect(explained(l).split!.before).toBeGreaterThanOrEqual(l.amount);
    }
    // A charge's explanation is computed when its line is shown, not written with the preview.
    expect(core.db.sqlite.prepare('SELECT count(*) FROM fee_preview_line WHERE preview_id = ? AND explanation IS NOT NULL').pluck().get(september.id)).toBe(0);
    // The lines read like a list of children: in the register's name order (the person's sort key).
    const sortKey = core.db.sqlite.prepare('SELECT sort_key FROM person WHERE id = ?').pluck();
    const keys = lines.map((l) => sortKey.get(l.childId) as string);
    expect(keys.every((k, i) => i === 0 || keys[i - 1]! <= k)).toBe(true);
    expect(new Set(keys).size).toBeGreaterThan(10);
    // A child's card and the run say the same.
    const one = lines[0]!;
    const card = data<MethodOutput<'fee.explain'>>(fee.call('fee.explain', { personId: one.childId, month: '2026-09' }));
    const mine = lines.filter((l) => l.childId === one.childId);
    expect(sum(card.lines)).toBe(sum(mine));
    // Warnings list who to look at.
    const warnings = data<MethodOutput<'fee.runWarnings'>>(fee.call('fee.runWarnings', { id: september.id, code: 'income_not_declared', limit: 5 }));
    expect(warnings.total).toBe(s.warnings.find((w) => w.code === 'income_not_declared')!.count);
    expect(warnings.items[0]!.householdId).not.toBeNull();
  });

  it('is the fee administrator\'s: a clerk may neither preview nor read a run', async () => {
    expect((await clerk.callAsync('fee.runStart', { month: '2026-09' })) as CallResult).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(clerk.call('fee.runGet', { id: september.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(clerk.call('fee.runLines', { id: september.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('locks: the run and its lines become records with the preview\'s ids and amounts; the month cannot be run again', async () => {
    const before = allLines(september.id);
    const j = await job(fee, 'fee.runLock', { id: september.id });
    expect(j.state, JSON.stringify(j.error)).toBe('succeeded');
    const run = data<Run>(fee.call('fee.runGet', { id: september.id }));
    expect(run).toMatchObject({ state: 'locked', total: september.total, lineCount: september.lineCount });
    expect(run.lockedAt).not.toBeNull();
    const rec = core.db.sqlite.prepare('SELECT state, total, line_count FROM fee_run WHERE id = ?').get(september.id);
    expect(rec).toEqual({ state: 'locked', total: september.total, line_count: september.lineCount });
    const after = allLines(september.id);
    expect(after.map((l) => [l.id, l.amount])).toEqual(before.map((l) => [l.id, l.amount]));
    // The lock wrote each line's explanation with it: the one the preview showed.
    expect(after.map((l) => [l.id, l.changed, l.explanation])).toEqual(before.map((l) => [l.id, false, l.explanation]));
    expect(core.db.sqlite.prepare('SELECT count(*) FROM fee_line WHERE run_id = ? AND explanation IS NULL').pluck().get(september.id)).toBe(0);
    expect(core.db.sqlite.prepare(`SELECT count(*) FROM change_log WHERE entity = 'fee_line'`).pluck().get()).toBe(before.length);
    // The lock wrote one audit entry naming the children and recipients.
    const entry = core.db.sqlite.prepare(`SELECT json_array_length(person_ids) AS n FROM audit_log WHERE method = 'fee.runLock' AND action = 'write'`).get() as { n: number };
    expect(entry.n).toBeGreaterThan(0);
    // A second regular run of September is refused by name; a locked run cannot be discarded or locked again.
    expect(await core.jobErr('fee.runStart', { month: '2026-09' })).toMatchObject({ code: 'rule_violation', rule: 'fee_run_exists' });
    expect(fee.call('fee.runDiscard', { id: september.id })).toMatchObject({ ok: false, error: { rule: 'fee_run_state' } });
    expect((await fee.callAsync('fee.runLock', { id: september.id })) as CallResult).toMatchObject({ ok: false, error: { rule: 'fee_run_state' } });
  });

  it('an unchanged month yields no corrections; the next month shows the difference from the previous run', async () => {
    const october = await preview('2026-10');
    expect(october.summary!.corrections).toEqual({ lines: 0, amount: 0, months: [] });
    expect(october.summary!.previous).toMatchObject({ runId: september.id, month: '2026-09', total: september.total });
    const p = october.summary!.previous!;
    expect(p.added + p.changed + p.same).toBe(new Set(allLines(october.id).map((l) => l.childId)).size);
    expect(data<Run>(fee.call('fee.runDiscard', { id: october.id })).state).toBe('discarded');
  });

  it('refuses to lock a preview that is no longer what the register gives (fee_preview_stale), and keeps it ready', async () => {
    const october = await preview('2026-10');
    const line = allLines(october.id).find((l) => l.recipientId && explained(l).income.source === 'not_declared')!;
    data(fee.call('income.declare', { householdId: line.householdId, validFrom: '2026-10-01', monthlyIncome: 2_000_000, source: 'declared' }));
    // The preview's line now says it changed, and explains what the register gives today.
    const shown = allLines(october.id).find((l) => l.id === line.id)!;
    expect(shown.changed).toBe(true);
    expect(explained(shown).income).toMatchObject({ monthly: 2_000_000, source: 'declared' });
    expect(shown.amount).toBe(line.amount);
    expect(allLines(october.id).filter((l) => l.changed).every((l) => l.householdId === line.householdId)).toBe(true);
    const j = await job(fee, 'fee.runLock', { id: october.id });
    expect(j.state).toBe('failed');
    expect(j.error).toMatchObject({ rule: 'fee_preview_stale' });
    expect(data<Run>(fee.call('fee.runGet', { id: october.id })).state).toBe('ready');
    expect(core.db.sqlite.prepare('SELECT count(*) FROM fee_run WHERE id = ?').pluck().get(october.id)).toBe(0);
    data(fee.call('fee.runDiscard', { id: october.id }));
  });

  it('a backdated income yields correction lines in the next run that make the month equal to a fresh computation', async () => {
    const sept = allLines(september.id);
    // A household charged in September that has not been touched yet.
    const target = sept.find((l) => l.recipientId && l.amount > 0 && explained(l).income.source === 'not_declared')!;
    data(fee.call('income.declare', { householdId: target.householdId, validFrom: '2026-08-01', monthlyIncome: 3_000_000, source: 'income_check', note: 'Inkomstkontroll' }));
    const october = await preview('2026-10');
    const corrections = allLines(october.id, 'correction');
    expect(corrections.length).toBeGreaterThan(0);
    expect(october.summary!.corrections.months).toEqual(['2026-09']);
    for (const c of corrections) {
      expect(c.month).toBe('2026-09');
      expect(c.amount).toBeLessThan(0);
      expect(explained(c).correction).toMatchObject({ month: '2026-09' });
      expect(explained(c).correction!.now - explained(c).correction!.was).toBe(c.amount);
      expect(c.correctsLineId).not.toBeNull();
      expect(sept.find((l) => l.id === c.correctsLineId)).toBeDefined();
      expect(explained(c).income).toMatchObject({ monthly: 3_000_000, from: '2026-08-01' });
    }
    const lock = await job(fee, 'fee.runLock', { id: october.id });
    expect(lock.state, JSON.stringify(lock.error)).toBe('succeeded');
    // September now sums, per child, place, household and recipient, to what a fresh computation gives.
    const fresh = computeMonth(core.ctx, '2026-09').lines;
    const net = new Map<string, number>();
    for (const l of core.db.sqlite.prepare(`SELECT child_id AS childId, placement_id AS placementId, household_id AS householdId, recipient_id AS recipientId, amount FROM fee_line WHERE month = '2026-09'`).all() as Line[]) {
      net.set(key(l), (net.get(key(l)) ?? 0) + l.amount);
    }
    for (const l of fresh) expect(net.get(key(l)) ?? 0, key(l)).toBe(l.amount);
    expect(sum(fresh)).toBe([...net.values()].reduce((a, b) => a + b, 0));
    // And the next run corrects nothing more.
    const november = await preview('2026-11');
    expect(november.summary!.corrections.lines).toBe(0);
    data(fee.call('fee.runDiscard', { id: november.id }));
  });

  it('a separate credit-note run takes the corrections of locked months, and no charges', async () => {
    const sept = allLines(september.id).filter((l) => l.recipientId && explained(l).income.source === 'not_declared');
    const target = sept.find((l) => !core.db.sqlite.prepare('SELECT 1 FROM income_declaration WHERE household_id = ?').get(l.householdId))!;
    data(fee.call('income.declare', { householdId: target.householdId, validFrom: '2026-09-01', monthlyIncome: 1_500_000, source: 'income_check' }));
    const credit = await preview('2026-10', 'credit_note');
    const lines = allLines(credit.id);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.kind === 'correction')).toBe(true);
    expect(new Set(lines.map((l) => l.month))).toEqual(new Set(['2026-09', '2026-10']));
    expect(credit.summary!.total).toBe(sum(lines));
    expect(credit.summary!.total).toBeLessThan(0);
  });

  it('posts a locked run once; a preview cannot be posted', async () => {
    const posted = data<Run>(fee.call('fee.runPost', { id: september.id }));
    expect(posted.state).toBe('posted');
    expect(posted.postedAt).not.toBeNull();
    expect(fee.call('fee.runPost', { id: september.id })).toMatchObject({ ok: false, error: { rule: 'fee_run_state' } });
    const list = data<MethodOutput<'fee.runList'>>(fee.call('fee.runList', {}));
    const readyOne = list.items.find((r) => r.state === 'ready')!;
    expect(fee.call('fee.runPost', { id: readyOne.id })).toMatchObject({ ok: false, error: { rule: 'fee_run_state' } });
    expect(list.items.map((r) => r.state)).not.toContain('discarded');
  });
});
