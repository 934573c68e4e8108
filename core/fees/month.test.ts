/**
 * A month's fees from register rows, with hand-computed figures (rule set "from 1 July 2026": ceiling
 * 61 560 kr, the first 10 000 kr not counted; caps förskola 1 547 kr, fritidshem 1 031 kr for child 1):
 * shared residence in each of the four municipal settings, the split between guardians by invoice share (a
 * shielded guardian never receives), a part month in both day-count modes, and the warnings.
 *
 * The rows are written straight into a migrated test database (the computation only reads), in households
 * of their own beside the demo's; the computation is asked for those households.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCore, type TestCore } from '../../test/util/core';
import { computeMonth, splitAmount, type RunLine } from './month';
import { DEFAULT_FEE_SETTINGS, DEFAULT_SE_RULE_SETS, type FeeSettings } from './rules';

let core: TestCore;
beforeAll(() => {
  core = makeTestCore({ persons: 40 });
});
afterAll(() => core.close());

const AT = '2026-11-23T12:00:00.000Z';
const rec = { version: 1, created_at: AT, created_by: 'test', updated_at: AT, updated_by: 'test' };

function insert(table: string, row: Record<string, unknown>): string {
  const id = (row.id as string | undefined) ?? randomUUID();
  const all = { id, ...row, ...rec };
  const cols = Object.keys(all);
  core.db.sqlite.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...cols.map((c) => all[c as keyof typeof all] as never));
  return id;
}

const unit = () => core.db.sqlite.prepare(`SELECT id FROM org_unit WHERE kind = 'school_unit' LIMIT 1`).pluck().get() as string;

function person(given: string, birthDate: string, opts: { street?: string; shielded?: boolean } = {}): string {
  const id = insert('person', { status: 'active', given_name: given, family_name: 'Test', sort_key: `test ${given}`, search_text: given.toLowerCase(), birth_date: birthDate, shielded: opts.shielded ? 1 : 0 });
  if (opts.street) insert('person_address', { person_id: id, kind: 'registered', street: opts.street, postal_code: '111 11', city: 'Demostad', country: 'SE', valid_from: '2020-01-01' });
  return id;
}

function household(members: { id: string; role: 'adult' | 'child'; shared?: boolean; feeShareBp?: number | null }[], income: number | null): string {
  const h = insert('household', {});
  for (const m of members) insert('household_member', { household_id: h, person_id: m.id, role: m.role, shared: m.shared ? 1 : 0, fee_share_bp: m.feeShareBp ?? null, valid_from: '2020-01-01' });
  insert('income_declaration', { household_id: h, valid_from: '2026-01-01', monthly_income: income, source: income === null ? 'not_declared' : 'declared' });
  return h;
}

function guardian(child: string, adult: string, share: number, shielded = false): void {
  insert('guardianship', { child_id: child, guardian_id: adult, kind: 'guardian', lives_with: 1, invoice_share: share, shielded: shielded ? 1 : 0, valid_from: '2020-01-01' });
}

function place(child: string, form: 'FS' | 'FTH', holders: string[], from = '2024-08-01'): string {
  const id = insert('placement', { child_id: child, unit_id: unit(), school_form: form, valid_from: from, reason: 'care_need', state: 'accepted' });
  for (const g of holders) core.db.sqlite.prepare('INSERT INTO placement_owner (placement_id, guardian_id) VALUES (?, ?)').run(id, g);
  return id;
}

const settings = (over: Partial<FeeSettings>): { rules: typeof DEFAULT_SE_RULE_SETS; settings: FeeSettings } => ({ rules: DEFAULT_SE_RULE_SETS, settings: { ...DEFAULT_FEE_SETTINGS, ...over } });
const byHousehold = (lines: RunLine[], child: string) => Object.fromEntries(lines.filter((l) => l.childId === child).map((l) => [l.householdId, l.amount]));

describe('shared residence: a preschool child in two households (30 000 kr and 80 000 kr a month)', () => {
  let child: string;
  let h1: string;
  let h2: string;
  let a1: string;
  let a2: string;
  beforeAll(() => {
    a1 = person('Anna', '1990-01-01', { street: 'Ekvägen 1' });
    a2 = person('Bo', '1989-01-01', { street: 'Björkvägen 2' });
    child = person('Cilla', '2022-03-01', { street: 'Björkvägen 2' });
    h1 = household([{ id: a1, role: 'adult' }, { id: child, role: 'child', shared: true, feeShareBp: 3_000 }], 3_000_000);
    h2 = household([{ id: a2, role: 'adult' }, { id: child, role: 'child', shared: true, feeShareBp: 7_000 }], 8_000_000);
    guardian(child, a1, 50);
    guardian(child, a2, 50);
    place(child, 'FS', [a1, a2]);
  });
  const run = (mode: FeeSettings['sharedResidence']) => computeMonth(core.ctx, '2026-10', { households: [h1], config: settings({ sharedResidence: mode }) });

  it('each pays half of a fee on its own income: 600 / 2 = 300 kr and 1 547 / 2 = 773.50 → 774 kr', () => {
    const r = run('each_half');
    // Asked for one household, the child's other household comes along.
    expect(new Set(r.households)).toEqual(new Set([h1, h2]));
    expect(byHousehold(r.lines, child)).toEqual({ [h1]: 30_000, [h2]: 77_400 });
    const l = r.lines.find((x) => x.householdId === h2)!;
    expect(l.explanation.shared).toEqual({ mode: 'each_half', households: 2, shareBp: 5_000, before: 154_700, limit: null });
    // Each household's part goes to its own adult among those who hold the place.
    expect(r.lines.find((x) => x.householdId === h1)!.recipientId).toBe(a1);
    expect(l.recipientId).toBe(a2);
  });

  it('each on its own income, both together at most one cap: 600 + 1 547 > 1 547, scaled to 432 + 1 115', () => {
    const r = run('each_capped_together');
    expect(byHousehold(r.lines, child)).toEqual({ [h1]: 43_200, [h2]: 111_500 });
    expect(r.lines.find((x) => x.householdId === h1)!.explanation.shared).toMatchObject({ mode: 'each_capped_together', before: 60_000, limit: 154_700 });
  });

  it('only the registered household pays (the adult at the child\'s registered address): 1 547 kr from the second', () => {
    const r = run('registered_only');
    expect(byHousehold(r.lines, child)).toEqual({ [h2]: 154_700 });
    expect(r.warnings.filter((w) => w.childId === child)).toEqual([]);
  });

  it('a declared split: 30 % of 600 = 180 kr and 70 % of 1 547 = 1 082.90 → 1 083 kr; a missing split is half, with a warning', () => {
    expect(byHousehold(run('declared_split').lines, child)).toEqual({ [h1]: 18_000, [h2]: 108_300 });
    core.db.sqlite.prepare('UPDATE household_member SET fee_share_bp = NULL WHERE household_id = ?').run(h1);
    const r = run('declared_split');
    expect(byHousehold(r.lines, child)).toEqual({ [h1]: 30_000, [h2]: 108_300 });
    expect(r.warnings).toContainEqual(expect.objectContaining({ code: 'shared_split_missing', childId: child, householdId: h1 }));
    core.db.sqlite.prepare('UPDATE household_member SET fee_share_bp = 3000 WHERE household_id = ?').run(h1);
  });
});

describe('recipients and part months', () => {
  it('splits a fritidshem fee (40 000 kr: 2 % of 30 000 = 600 kr) 70 / 30 in whole kronor; a shielded guardian holding the place receives nothing', () => {
    const b1 = person('Dan', '1985-01-01', { street: 'Aspvägen 3' });
    const b2 = person('Eva', '1986-01-01', { street: 'Aspvägen 3' });
    const b3 = person('Finn', '1984-01-01', { street: 'Lindvägen 9' });
    const d = person('Gustav', '2018-05-05', { street: 'Aspvägen 3' });
    const h = household([{ id: b1, role: 'adult' }, { id: b2, role: 'adult' }, { id: d, role: 'child' }], 4_000_000);
    guardian(d, b1, 70);
    guardian(d, b2, 30);
    guardian(d, b3, 50, true);
    place(d, 'FTH', [b1, b2, b3]);
    const r = computeMonth(core.ctx, '2026-10', { households: [h], config: settings({}) });
    const lines = r.lines.filter((l) => l.childId === d);
    expect(lines.map((l) => [l.recipientId, l.amount, l.shareBp])).toEqual(
      [
        [b1, 42_000, 7_000],
        [b2, 18_000, 3_000],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
    expect(lines[0]!.explanation).toMatchObject({ family: 'afterschool', percentBp: 200, feeBase: 3_000_000, split: { sharesTotal: 100, before: 60_000 } });
  });

  it('a place from the 16th: 15 of 30 days on a 30-day month, 16 of 31 actual days; no recipient is a warning', () => {
    const m = person('Hanna', '1991-01-01');
    const k = person('Ivar', '2023-02-02');
    const h = household([{ id: m, role: 'adult' }, { id: k, role: 'child' }], null);
    guardian(k, m, 0);
    place(k, 'FS', [m], '2026-10-16');
    const thirty = computeMonth(core.ctx, '2026-10', { households: [h], config: settings({ dayCount: 'thirty' }) });
    const line = thirty.lines.find((l) => l.childId === k)!;
    // Not declared: the cap 1 547 kr; 15/30 of it = 773.50 → 774 kr.
    expect(line).toMatchObject({ amount: 77_400, recipientId: null });
    expect(line.explanation.days).toMatchObject({ charged: 15, ofMonth: 30, mode: 'thirty' });
    expect(thirty.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'no_recipient', childId: k }), expect.objectContaining({ code: 'income_not_declared', householdId: h })]));
    const actual = computeMonth(core.ctx, '2026-10', { households: [h], config: settings({ dayCount: 'actual' }) });
    // 16/31 of 1 547 kr = 798.45 → 798 kr.
    expect(actual.lines.find((l) => l.childId === k)!).toMatchObject({ amount: 79_800, explanation: { days: { charged: 16, ofMonth: 31 } } });
  });

  it('a protected recipient and one without an address are named for the fee administrator', () => {
    const p = person('Jon', '1980-01-01', { shielded: true });
    const k = person('Klara', '2021-09-09');
    const h = household([{ id: p, role: 'adult' }, { id: k, role: 'child' }], 2_000_000);
    guardian(k, p, 100);
    place(k, 'FS', [p]);
    const r = computeMonth(core.ctx, '2026-10', { households: [h], config: settings({}) });
    expect(r.warnings).toContainEqual(expect.objectContaining({ code: 'protected_recipient', personId: p }));
    const q = person('Lena', '1980-01-01');
    const k2 = person('Maja', '2021-10-10');
    const h2 = household([{ id: q, role: 'adult' }, { id: k2, role: 'child' }], 2_000_000);
    guardian(k2, q, 100);
    place(k2, 'FS', [q]);
    expect(computeMonth(core.ctx, '2026-10', { households: [h2], config: settings({}) }).warnings).toContainEqual(expect.objectContaining({ code: 'no_address', personId: q }));
  });
});

describe('splitAmount', () => {
  it('parts sum to the amount exactly, the remainder to the largest weights, in whole units when asked', () => {
    expect(splitAmount(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(splitAmount(100_050, [70, 30], 100)).toEqual([70_050, 30_000]);
    expect(splitAmount(-1_000, [1, 1])).toEqual([-500, -500]);
    expect(splitAmount(500, [0, 0])).toEqual([0, 0]);
    for (const [a, w] of [[99_999, [3, 5, 7]], [1, [50, 50]], [154_700, [60_000, 154_700]]] as [number, number[]][]) {
      expect(splitAmount(a, w).reduce((x, y) => x + y, 0)).toBe(a);
    }
  });
});
