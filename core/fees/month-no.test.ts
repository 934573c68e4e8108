/**
 * A Norwegian month's fees from register rows (issue 12; docs/fees.md "The Norwegian run"), hand-computed
 * with the shipped rule set from August 2026 (G 130 160 kr; SFO/AKS bands up to 2.25 G free, up to 4 G
 * 1 650 / 1 000 kr, above 3 300 / 2 000 kr; 12 free hours for grades 1–3 worth 1 650 kr; the national rule
 * for grades 1–4 below 650 000 kr: at most 6 % over 11 months; barnehage 1 200 kr, siblings 30 % / 50 %, the
 * 6 % cap, 20 of 41 hours free for ages 2–5 below 650 000 kr; July free):
 * the grade from the enrolment overlapping the month (August's new grade), place type by weekly hours, the
 * reductions granted (national rule, illness days, special needs), the split between guardians, and a
 * fee run in a Norwegian municipality in NOK.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNoExplanation } from '../../shared/api/fees';
import { makeTestCore, type TestCore } from '../../test/util/core';
import { computeMonth, isNoLine, type RunLine } from './month';
import { computeRun } from './run';

let core: TestCore;
beforeAll(() => {
  core = makeTestCore({ persons: 40, country: 'NO' });
});
afterAll(() => core.close());

const AT = '2026-11-23T12:00:00.000Z';
const rec = { version: 1, created_at: AT, created_by: 'test', updated_at: AT, updated_by: 'test' };
const nok = (n: number) => n * 100;

function insert(table: string, row: Record<string, unknown>): string {
  const id = (row.id as string | undefined) ?? randomUUID();
  const all = { id, ...row, ...rec };
  const cols = Object.keys(all);
  core.db.sqlite.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...cols.map((c) => all[c as keyof typeof all] as never));
  return id;
}
const unit = () => core.db.sqlite.prepare(`SELECT id FROM org_unit WHERE kind = 'school_unit' LIMIT 1`).pluck().get() as string;
const person = (given: string, birthDate: string) =>
  insert('person', { status: 'active', given_name: given, family_name: 'Test', sort_key: `test ${given}`, search_text: given.toLowerCase(), birth_date: birthDate, shielded: 0 });
function household(members: { id: string; role: 'adult' | 'child' }[], monthly: number | null): string {
  const h = insert('household', {});
  for (const m of members) insert('household_member', { household_id: h, person_id: m.id, role: m.role, shared: 0, valid_from: '2020-01-01' });
  insert('income_declaration', { household_id: h, valid_from: '2026-01-01', monthly_income: monthly, source: monthly === null ? 'not_declared' : 'declared' });
  return h;
}
const guardian = (child: string, adult: string, share: number) =>
  insert('guardianship', { child_id: child, guardian_id: adult, kind: 'guardian', lives_with: 1, invoice_share: share, shielded: 0, valid_from: '2020-01-01' });
function place(child: string, form: 'BHG' | 'SFO', holders: string[], weeklyHours: number | null, from = '2025-08-01'): string {
  const id = insert('placement', { child_id: child, unit_id: unit(), school_form: form, valid_from: from, reason: 'care_need', state: 'accepted', weekly_hours: weeklyHours });
  for (const g of holders) core.db.sqlite.prepare('INSERT INTO placement_owner (placement_id, guardian_id) VALUES (?, ?)').run(id, g);
  return id;
}
const enrol = (pupil: string, grade: number, from: string, to: string | null) =>
  insert('enrolment', { pupil_id: pupil, unit_id: unit(), school_form: 'GSK', grade, valid_from: from, valid_to: to });
const reduce = (child: string, kind: 'national_rule' | 'illness' | 'special_needs', from: string, to: string | null) => insert('fee_reduction', { child_id: child, kind, valid_from: from, valid_to: to });
const of = (lines: RunLine[], child: string) => lines.filter((l) => l.childId === child);

describe('a Norwegian household: two in barnehage, one in SFO (300 000 kr a year)', () => {
  let mor: string;
  let far: string;
  let baby: string;
  let toddler: string;
  let pupil: string;
  let h: string;
  beforeAll(() => {
    mor = person('Kari', '1990-02-01');
    far = person('Ola', '1989-05-01');
    baby = person('Lise', '2024-06-01');
    toddler = person('Per', '2022-04-01');
    pupil = person('Siri', '2019-03-01');
    h = household([{ id: mor, role: 'adult' }, { id: far, role: 'adult' }, { id: baby, role: 'child' }, { id: toddler, role: 'child' }, { id: pupil, role: 'child' }], nok(25_000));
    for (const c of [baby, toddler, pupil]) {
      guardian(c, mor, 50);
      guardian(c, far, 50);
    }
    place(baby, 'BHG', [mor, far], 41);
    place(toddler, 'BHG', [mor, far], 41);
    place(pupil, 'SFO', [mor, far], 20);
    // Grade 1 last school year, grade 2 from 18 August 2026.
    enrol(pupil, 1, '2025-08-18', '2026-06-19');
    enrol(pupil, 2, '2026-08-18', null);
  });
  const month = (m: string) => computeMonth(core.ctx, m, { households: [h] });

  it('barnehage: the youngest at the maximum price capped at 6 % of income, the sibling discount, free core hours', () => {
    const r = month('2026-09');
    expect(r.ruleSet?.id).toBe('no-2026-08');
    // 6 % of 300 000 kr over 11 months = 1 636.36 kr: above 1 200, no cap. Lise (2 years on 1 September:
    // born June 2024) is in the ages with free core hours: 1 200 − 1 200 × 20 / 41 = 614.63 → 615 kr (rounded to whole kroner).
    const lise = of(r.lines, baby);
    expect(lise.map((l) => l.amount).sort()).toEqual([nok(307), nok(308)]); // 615 split 50/50 in whole kroner, the remainder to one
    const e = lise[0]!.explanation;
    if (!isNoLine(e)) throw new Error('a Norwegian line');
    expect(e.steps.map((s) => [s.rule, s.amount])).toEqual([
      ['max_price', nok(1_200)],
      ['free_core_hours', 61_464],
    ]);
    expect(e).toMatchObject({ rank: 1, family: 'preschool', grade: null, income: { yearly: nok(300_000), source: 'declared' }, rounding: 'krona' });
    // Per, rank 2: 1 200 less 30 % = 840, then free core hours: 840 − 840 × 20 / 41 = 430.24 → 430 kr.
    expect(of(r.lines, toddler).reduce((a, l) => a + l.amount, 0)).toBe(nok(430));
  });

  it('SFO: the grade from the enrolment overlapping the month; free hours; the national rule once granted', () => {
    // August 2026: grade 2 from the 18th (12 free hours for grades 1–3). 20 hours a week is a full place in
    // band 2 (300 000 kr = 2.30 G): 1 650 − 1 650 = 0.
    const aug = of(month('2026-08').lines, pupil);
    expect(aug.reduce((a, l) => a + l.amount, 0)).toBe(0);
    expect(isNoLine(aug[0]!.explanation) && aug[0]!.explanation.grade).toBe(2);
    // July is free.
    expect(of(month('2026-07').lines, pupil).every((l) => l.amount === 0)).toBe(true);
  });

  it('illness of four weeks or more: the days covered are not charged; special needs: free', () => {
    const other = person('Nora', '2023-01-15');
    const mother = person('Ingrid', '1992-01-01');
    const hh = household([{ id: mother, role: 'adult' }, { id: other, role: 'child' }], null);
    guardian(other, mother, 100);
    place(other, 'BHG', [mother], 41);
    // Not declared: the maximum price, no income cap, no free core hours: 1 200 kr.
    expect(computeMonth(core.ctx, '2026-10', { households: [hh] }).lines.map((l) => l.amount)).toEqual([nok(1_200)]);
    // Ill 5 October – 5 November: days 5–30 of a 30-day month covered, 4 of 30 charged: 1 200 × 4 / 30 = 160 kr.
    reduce(other, 'illness', '2026-10-05', '2026-11-05');
    const oct = computeMonth(core.ctx, '2026-10', { households: [hh] });
    expect(oct.lines.map((l) => l.amount)).toEqual([nok(160)]);
    expect(isNoLine(oct.lines[0]!.explanation) && oct.lines[0]!.explanation.days).toMatchObject({ charged: 4, ofMonth: 30, illness: 26 });
    expect(oct.warnings.map((w) => w.code)).toContain('income_not_declared');
    reduce(other, 'special_needs', '2026-12-01', null);
    expect(computeMonth(core.ctx, '2026-12', { households: [hh] }).lines.map((l) => l.amount)).toEqual([0]);
  });

  it('the national rule caps a grade 1–4 pupil at 6 % of income over the paying months, from when it is granted', () => {
    const kid = person('Emil', '2018-02-01');
    const dad = person('Jon', '1985-01-01');
    // 25 000 kr a month = 300 000 kr a year, grade 4 (no free hours), a full place: 1 650 kr.
    const hh = household([{ id: dad, role: 'adult' }, { id: kid, role: 'child' }], nok(25_000));
    guardian(kid, dad, 100);
    place(kid, 'SFO', [dad], 25);
    enrol(kid, 4, '2026-08-18', null);
    expect(computeMonth(core.ctx, '2026-09', { households: [hh] }).lines.map((l) => l.amount)).toEqual([nok(1_650)]);
    reduce(kid, 'national_rule', '2026-08-01', '2027-07-31');
    // 6 % × 300 000 / 11 = 1 636.36 kr, the lower of the two, rounded to whole kroner: 1 636 kr.
    const sep = computeMonth(core.ctx, '2026-09', { households: [hh] }).lines[0]!;
    expect(sep.amount).toBe(nok(1_636));
    expect(isNoExplanation(sep.explanation) && sep.explanation.steps.at(-1)).toEqual({ rule: 'national_cap', amount: 163_636, bp: 600, cap: 163_636 });
    expect(isNoExplanation(sep.explanation) && sep.explanation.reductions.map((r) => r.kind)).toEqual(['national_rule']);
  });

  it('a fee run in a Norwegian municipality: every line Norwegian, the total the sum of its lines', () => {
    const run = computeRun(core.ctx, '2026-09', 'regular');
    expect(run.lines.length).toBeGreaterThan(3);
    expect(run.lines.every((l) => isNoLine(l.explanation))).toBe(true);
    expect(run.summary.total).toBe(run.lines.reduce((a, l) => a + l.amount, 0));
    expect(run.summary.byRule.map((r) => r.id)).toEqual(expect.arrayContaining(['no-2026-08', 'no:national_cap', 'no:free_core_hours', 'no:sibling']));
  });
});
