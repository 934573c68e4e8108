import { describe, expect, it } from 'vitest';
import { DEFAULT_NO_RULE_SETS, noHouseholdFees, noRuleSet, type NoChild, type NoRuleSet } from './norway';
import { overlappingRuleSets, ruleSetFor, type FeeSettings } from './rules';

const nok = (n: number) => n * 100;
const rules = ruleSetFor(DEFAULT_NO_RULE_SETS, '2026-09')!;
const G = rules.g;
const SETTINGS: Pick<FeeSettings, 'dayCount' | 'freeStartDays' | 'rounding'> = { dayCount: 'thirty', freeStartDays: 0, rounding: 'ore' };
type Extra = Partial<NoChild> & { national?: boolean; ill?: boolean; special?: boolean };
const sfo = (id: string, grade: number, o: Extra = {}): NoChild => {
  const { national, ill, special, ...rest } = o;
  return {
    personId: id,
    birthDate: `${2026 - 6 - grade}-03-01`,
    family: 'afterschool',
    placementId: `pl-${id}`,
    weeklyHours: 20,
    grade,
    from: '2026-09-01',
    to: '2026-09-30',
    placementStart: '2025-08-15',
    reductions: [
      ...(national ? [{ id: 'n', kind: 'national_rule' as const, from: '2026-08-01', to: '2027-07-31' }] : []),
      ...(ill ? [{ id: 'i', kind: 'illness' as const, from: '2026-08-20', to: '2026-10-10' }] : []),
      ...(special ? [{ id: 's', kind: 'special_needs' as const, from: '2026-01-01', to: null }] : []),
    ],
    ...rest,
  };
};
const bhg = (id: string, birthDate: string, o: Extra = {}): NoChild => ({ ...sfo(id, 1, o), birthDate, family: 'preschool', grade: null });
/** `yearly` kroner as øre a year (null: not declared); the calculation counts monthly × 12. */
const fees = (month: string, yearly: number | null, children: NoChild[], r: NoRuleSet = rules) => {
  const monthly = yearly === null ? null : Math.round(yearly / 12);
  return noHouseholdFees(month, { householdId: 'h', adults: ['a'], income: { monthly, source: monthly === null ? 'not_declared' : 'declared', from: '2026-01-01', declarationId: 'd' }, children }, r, SETTINGS);
};

describe('Norwegian fees', () => {
  it('the defaults are valid configuration', () => {
    for (const s of DEFAULT_NO_RULE_SETS) expect(noRuleSet.safeParse(s).success, s.id).toBe(true);
    expect(overlappingRuleSets(DEFAULT_NO_RULE_SETS)).toEqual([]);
    expect(ruleSetFor(DEFAULT_NO_RULE_SETS, '2026-07')).toBeNull();
  });

  it('SFO/AKS: the income band in G and the place type; no sibling discount; July free', () => {
    const high = fees('2026-09', 5 * G, [sfo('a', 5), sfo('b', 6, { weeklyHours: 10 })], rules);
    expect(high.map((l) => l.amount)).toEqual([nok(3_300), nok(2_000)]);
    expect(fees('2026-09', 3 * G, [sfo('a', 5)], rules)[0]!.amount).toBe(nok(1_650));
    // 2.25 G exactly is in the lowest band.
    expect(fees('2026-09', Math.floor(2.25 * G), [sfo('a', 5)], rules)[0]!.amount).toBe(0);
    // Not declared: the highest band.
    expect(fees('2026-09', null, [sfo('a', 5)], rules)[0]!.explanation).toMatchObject({ income: { source: 'not_declared' }, amount: nok(3_300) });
    const july = fees('2027-07', 5 * G, [sfo('a', 5)], { ...rules, validTo: null });
    expect(july[0]!).toMatchObject({ amount: 0, explanation: { steps: [{ rule: 'free_month' }] } });
  });

  it('free hours for the grades the law gives them; the national 6 % rule on application, the lower of the two', () => {
    // Grade 2, 10 hours: within the 12 free hours.
    expect(fees('2026-09', 5 * G, [sfo('a', 2, { weeklyHours: 10 })], rules)[0]!.amount).toBe(0);
    // Grade 2, a full place: reduced by the free hours' worth.
    expect(fees('2026-09', 5 * G, [sfo('a', 2)], rules)[0]!.amount).toBe(nok(3_300 - 1_650));
    // Grade 4 (no free hours), income 300 000: the band says 1 650, 6 % over 11 months says 1 636.36 → 1 636.
    const granted = fees('2026-09', nok(300_000), [sfo('a', 4, { national: true })], rules)[0]!;
    expect(granted.amount).toBe(163_636);
    expect(granted.explanation.steps.map((s) => s.rule)).toEqual(['band', 'national_cap']);
    // Not applied for: the band's price.
    expect(fees('2026-09', nok(300_000), [sfo('a', 4)], rules)[0]!.amount).toBe(nok(1_650));
    // Grade 5 is outside the national rule.
    expect(fees('2026-09', nok(300_000), [sfo('a', 5, { national: true })], rules)[0]!.amount).toBe(nok(1_650));
  });

  it('illness of four weeks or more and special-needs places waive the fee', () => {
    expect(fees('2026-09', 5 * G, [sfo('a', 5, { ill: true })], rules)[0]!.amount).toBe(0);
    expect(fees('2026-09', 5 * G, [sfo('a', 5, { special: true })], rules)[0]!.explanation.steps[0]!.rule).toBe('special_needs');
  });

  it('barnehage: the maximum price, sibling discounts youngest first, the income cap and free core hours', () => {
    const l = fees('2026-09', nok(900_000), [bhg('old', '2022-01-01'), bhg('young', '2024-05-01'), bhg('mid', '2023-02-01')], rules);
    const by = Object.fromEntries(l.map((x) => [x.personId, x.amount]));
    expect(by).toEqual({ young: nok(1_200), mid: nok(840), old: nok(600) });
    // 6 % of 200 000 over 11 months = 1 090.91 → the cap; a 4-year-old below the threshold gets 20 of 41 hours free.
    const low = fees('2026-09', nok(200_000), [bhg('a', '2022-01-01')], rules)[0]!;
    expect(low.explanation.steps.map((s) => s.rule)).toEqual(['max_price', 'income_cap', 'free_core_hours']);
    expect(low.amount).toBe(109_091 - Math.floor((109_091 * 20) / 41));
  });

  it('part months by day; the days of a documented illness are not charged; a special-needs place from its month', () => {
    // A place from 16 September on a 30-day month: days 16–30, 15 of 30: 3 300 × 15 / 30 = 1 650 kr.
    const start = fees('2026-09', 5 * G, [sfo('a', 5, { from: '2026-09-16', placementStart: '2026-09-16' })])[0]!;
    expect(start.amount).toBe(nok(1_650));
    expect(start.explanation.days).toEqual({ charged: 15, ofMonth: 30, mode: 'thirty', freeStartDays: 0, illness: 0 });
    // Ill 1–28 September: 2 of 30 days charged: 3 300 × 2 / 30 = 220 kr.
    const ill = fees('2026-09', 5 * G, [sfo('a', 5, { reductions: [{ id: 'i', kind: 'illness', from: '2026-09-01', to: '2026-09-28' }] })])[0]!;
    expect(ill.amount).toBe(nok(220));
    expect(ill.explanation.days).toMatchObject({ charged: 2, illness: 28 });
    // Actual days in October (31): ill 10 October – 10 November covers 22 days, 9 of 31 charged:
    // 330 000 øre × 9 / 31 = 95 806.45 → 95 806 øre.
    const oct = noHouseholdFees(
      '2026-10',
      { householdId: 'h', adults: [], income: { monthly: Math.round((5 * G) / 12), source: 'declared', from: null, declarationId: null }, children: [sfo('a', 5, { from: '2026-10-01', to: '2026-10-31', reductions: [{ id: 'i', kind: 'illness', from: '2026-10-10', to: '2026-11-10' }] })] },
      rules,
      { ...SETTINGS, dayCount: 'actual' },
    )[0]!;
    expect(oct.amount).toBe(95_806);
    expect(oct.explanation.days).toEqual({ charged: 9, ofMonth: 31, mode: 'actual', freeStartDays: 0, illness: 22 });
    // A special-needs place granted free from 1 October: September charged, October free.
    const sn = [{ id: 's', kind: 'special_needs' as const, from: '2026-10-01', to: null }];
    expect(fees('2026-09', 5 * G, [sfo('a', 5, { reductions: [] })])[0]!.amount).toBe(nok(3_300));
    const free = fees('2026-10', 5 * G, [sfo('a', 5, { from: '2026-10-01', to: '2026-10-31', reductions: sn })])[0]!;
    expect(free).toMatchObject({ amount: 0, explanation: { country: 'NO', steps: [{ rule: 'special_needs', amount: 0 }], reductions: sn } });
  });

  it('explains every step with the figures it used', () => {
    // Grade 3, income 300 000 kr granted the national rule: band 2 (up to 4 G) full place 1 650, 12 free hours
    // take 1 650 off (0 left), the national cap (1 636) is not lower.
    const e = fees('2026-09', 300_000 * 100, [sfo('a', 3, { national: true })])[0]!.explanation;
    expect(e.income).toMatchObject({ monthly: 2_500_000, yearly: 30_000_000, g: G, inGThousandths: Math.floor((30_000_000 * 1000) / G), source: 'declared' });
    expect(e.steps).toEqual([
      { rule: 'band', amount: nok(1_650), band: { index: 1, upToGThousandths: 4_000, part: false } },
      { rule: 'free_hours', amount: 0, hours: 12 },
      { rule: 'national_cap', amount: 0, bp: 600, cap: 163_636 },
    ]);
    expect(e).toMatchObject({ grade: 3, weeklyHours: 20, rank: 1, ranked: [], full: 0, amount: 0 });
    // Barnehage siblings: ranked youngest first, the discount's basis points in the step.
    const l = fees('2026-09', 900_000 * 100, [bhg('old', '2022-01-01'), bhg('young', '2024-05-01')]);
    expect(l[0]!.explanation).toMatchObject({ rank: 2, steps: [{ rule: 'max_price' }, { rule: 'sibling', bp: 3_000, amount: nok(840) }] });
    expect(l[0]!.explanation.ranked.map((r) => r.personId)).toEqual(['young', 'old']);
  });
});
