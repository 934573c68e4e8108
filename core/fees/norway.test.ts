import { describe, expect, it } from 'vitest';
import { DEFAULT_NO_RULE_SETS, noHouseholdFees, noRuleSet, type NoChild } from './norway';
import { overlappingRuleSets, ruleSetFor } from './rules';

const nok = (n: number) => n * 100;
const rules = ruleSetFor(DEFAULT_NO_RULE_SETS, '2026-09')!;
const G = rules.g;
const sfo = (id: string, grade: number, o: Partial<NoChild> = {}): NoChild => ({
  personId: id,
  birthDate: `${2026 - 6 - grade}-03-01`,
  family: 'afterschool',
  placementId: `pl-${id}`,
  weeklyHours: 20,
  grade,
  nationalRuleGranted: false,
  illnessWaived: false,
  specialNeedsFree: false,
  ...o,
});
const bhg = (id: string, birthDate: string, o: Partial<NoChild> = {}): NoChild => ({ ...sfo(id, 1), birthDate, family: 'preschool', grade: null, ...o });

describe('Norwegian fees', () => {
  it('the defaults are valid configuration', () => {
    for (const s of DEFAULT_NO_RULE_SETS) expect(noRuleSet.safeParse(s).success, s.id).toBe(true);
    expect(overlappingRuleSets(DEFAULT_NO_RULE_SETS)).toEqual([]);
    expect(ruleSetFor(DEFAULT_NO_RULE_SETS, '2026-07')).toBeNull();
  });

  it('SFO/AKS: the income band in G and the place type; no sibling discount; July free', () => {
    const high = noHouseholdFees('2026-09', 5 * G, [sfo('a', 5), sfo('b', 6, { weeklyHours: 10 })], rules);
    expect(high.map((l) => l.amount)).toEqual([nok(3_300), nok(2_000)]);
    expect(noHouseholdFees('2026-09', 3 * G, [sfo('a', 5)], rules)[0]!.amount).toBe(nok(1_650));
    // 2.25 G exactly is in the lowest band.
    expect(noHouseholdFees('2026-09', Math.floor(2.25 * G), [sfo('a', 5)], rules)[0]!.amount).toBe(0);
    // Not declared: the highest band.
    expect(noHouseholdFees('2026-09', null, [sfo('a', 5)], rules)[0]!.explanation).toMatchObject({ income: { source: 'not_declared' }, amount: nok(3_300) });
    const july = noHouseholdFees('2027-07', 5 * G, [sfo('a', 5)], { ...rules, validTo: null });
    expect(july[0]!).toMatchObject({ amount: 0, explanation: { steps: [{ rule: 'free_month' }] } });
  });

  it('free hours for the grades the law gives them; the national 6 % rule on application, the lower of the two', () => {
    // Grade 2, 10 hours: within the 12 free hours.
    expect(noHouseholdFees('2026-09', 5 * G, [sfo('a', 2, { weeklyHours: 10 })], rules)[0]!.amount).toBe(0);
    // Grade 2, a full place: reduced by the free hours' worth.
    expect(noHouseholdFees('2026-09', 5 * G, [sfo('a', 2)], rules)[0]!.amount).toBe(nok(3_300 - 1_650));
    // Grade 4 (no free hours), income 300 000: the band says 1 650, 6 % over 11 months says 1 636.36 → 1 636.
    const granted = noHouseholdFees('2026-09', nok(300_000), [sfo('a', 4, { nationalRuleGranted: true })], rules)[0]!;
    expect(granted.amount).toBe(163_636);
    expect(granted.explanation.steps.map((s) => s.rule)).toEqual(['band', 'national_cap']);
    // Not applied for: the band's price.
    expect(noHouseholdFees('2026-09', nok(300_000), [sfo('a', 4)], rules)[0]!.amount).toBe(nok(1_650));
    // Grade 5 is outside the national rule.
    expect(noHouseholdFees('2026-09', nok(300_000), [sfo('a', 5, { nationalRuleGranted: true })], rules)[0]!.amount).toBe(nok(1_650));
  });

  it('illness of four weeks or more and special-needs places waive the fee', () => {
    expect(noHouseholdFees('2026-09', 5 * G, [sfo('a', 5, { illnessWaived: true })], rules)[0]!.amount).toBe(0);
    expect(noHouseholdFees('2026-09', 5 * G, [sfo('a', 5, { specialNeedsFree: true })], rules)[0]!.explanation.steps[0]!.rule).toBe('special_needs');
  });

  it('barnehage: the maximum price, sibling discounts youngest first, the income cap and free core hours', () => {
    const l = noHouseholdFees('2026-09', nok(900_000), [bhg('old', '2022-01-01'), bhg('young', '2024-05-01'), bhg('mid', '2023-02-01')], rules);
    const by = Object.fromEntries(l.map((x) => [x.personId, x.amount]));
    expect(by).toEqual({ young: nok(1_200), mid: nok(840), old: nok(600) });
    // 6 % of 200 000 over 11 months = 1 090.91 → the cap; a 4-year-old below the threshold gets 20 of 41 hours free.
    const low = noHouseholdFees('2026-09', nok(200_000), [bhg('a', '2022-01-01')], rules)[0]!;
    expect(low.explanation.steps.map((s) => s.rule)).toEqual(['max_price', 'income_cap', 'free_core_hours']);
    expect(low.amount).toBe(109_091 - Math.floor((109_091 * 20) / 41));
  });
});
