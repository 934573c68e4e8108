import { describe, expect, it } from 'vitest';
import { chargedDays, seHouseholdFees, type FeeChild, type FeeHousehold } from './maxtaxa';
import { DEFAULT_FEE_SETTINGS, DEFAULT_SE_RULE_SETS, overlappingRuleSets, ruleSetFor, seRuleSet, type FeeSettings } from './rules';

const kr = (n: number) => n * 100;
const rules = (m: string) => ruleSetFor(DEFAULT_SE_RULE_SETS, m)!;
const child = (id: string, birthDate: string, family: FeeChild['family'], o: Partial<FeeChild> = {}): FeeChild => ({
  personId: id,
  birthDate,
  family,
  placementId: `pl-${id}`,
  weeklyHours: 40,
  from: '2026-09-01',
  to: '2026-09-30',
  placementStart: '2025-08-15',
  ...o,
});
const household = (income: number | null, children: FeeChild[]): FeeHousehold => ({
  householdId: 'h1',
  adults: ['g1', 'g2'],
  income: income === null ? { monthly: null, source: 'not_declared', from: null, declarationId: null } : { monthly: income, source: 'declared', from: '2026-01-01', declarationId: 'd1' },
  children,
});
const fees = (month: string, h: FeeHousehold, settings: Partial<FeeSettings> = {}) => seHouseholdFees(month, h, rules(month), { ...DEFAULT_FEE_SETTINGS, ...settings });

describe('rule sets', () => {
  it('ship the published figures as valid, non-overlapping configuration; each month finds its own', () => {
    for (const s of DEFAULT_SE_RULE_SETS) expect(seRuleSet.safeParse(s).success, s.id).toBe(true);
    expect(overlappingRuleSets(DEFAULT_SE_RULE_SETS)).toEqual([]);
    expect(rules('2025-12').id).toBe('se-maxtaxa-2025');
    expect(rules('2026-06').id).toBe('se-maxtaxa-2026-h1');
    expect(rules('2026-07').id).toBe('se-maxtaxa-2026-h2');
    expect(rules('2031-03').id).toBe('se-maxtaxa-2026-h2');
    expect(ruleSetFor(DEFAULT_SE_RULE_SETS, '2022-12')).toBeNull();
    expect(overlappingRuleSets([...DEFAULT_SE_RULE_SETS, { id: 'x', validFrom: '2025-06', validTo: '2025-08' }])).toEqual([['se-maxtaxa-2025', 'x']]);
  });
});

describe('Swedish maxtaxa', () => {
  it('a household above the ceiling pays the caps: 2025 and, from July 2026, the reform\'s caps', () => {
    const kids = [child('a', '2023-02-01', 'preschool'), child('b', '2021-05-01', 'preschool'), child('c', '2019-03-01', 'preschool'), child('d', '2016-01-01', 'afterschool')];
    const y2025 = fees('2025-09', household(kr(80_000), kids.map((k) => ({ ...k, from: '2025-09-01', to: '2025-09-30' }))));
    // 59 440 × 3 % = 1 783.2 → 1 783; × 2 % = 1 188.8 → 1 189; × 1 % = 594.4 → 594; child 4: nothing.
    expect(y2025.map((l) => l.amount)).toEqual([kr(1_783), kr(1_189), kr(594), 0]);
    const h2 = fees('2026-09', household(kr(80_000), kids));
    // (61 560 − 10 000) × 3 / 2 / 1 % = 1 546.8 / 1 031.2 / 515.6 → 1 547 / 1 031 / 516.
    expect(h2.map((l) => l.amount)).toEqual([kr(1_547), kr(1_031), kr(516), 0]);
    expect(h2[0]!.explanation).toMatchObject({ rank: 1, percentBp: 300, ceiling: kr(61_560), incomeFloor: kr(10_000), feeBase: kr(51_560), cap: kr(1_547), ruleSet: { id: 'se-maxtaxa-2026-h2' } });
    expect(h2[3]!.explanation).toMatchObject({ rank: 4, percentBp: 0 });
  });

  it('the reform applies from July 2026 and never to earlier months', () => {
    const k = [child('a', '2023-02-01', 'preschool')];
    const june = fees('2026-06', household(kr(30_000), k.map((c) => ({ ...c, from: '2026-06-01', to: '2026-06-30' }))));
    const july = fees('2026-07', household(kr(30_000), k.map((c) => ({ ...c, from: '2026-07-01', to: '2026-07-31' }))));
    expect(june[0]!.amount).toBe(kr(900)); // 30 000 × 3 %
    expect(july[0]!.amount).toBe(kr(600)); // (30 000 − 10 000) × 3 %
    // Below the floor: nothing to pay.
    expect(fees('2026-09', household(kr(9_000), k))[0]!.amount).toBe(0);
  });

  it('child 1 is the youngest across preschool and after-school care; each pays its own form\'s percentage at its rank', () => {
    const l = fees('2026-09', household(kr(40_000), [child('school', '2018-04-01', 'afterschool'), child('baby', '2024-10-01', 'preschool')]));
    const byId = Object.fromEntries(l.map((x) => [x.personId, x]));
    expect(byId.baby!.explanation).toMatchObject({ rank: 1, percentBp: 300 });
    expect(byId.school!.explanation).toMatchObject({ rank: 2, percentBp: 100 }); // fritidshem child 2: 1 %
    expect(byId.baby!.amount).toBe(kr(900)); // (40 000 − 10 000) × 3 %
    expect(byId.school!.amount).toBe(kr(300));
    expect(byId.baby!.explanation.ranked.map((r) => r.personId)).toEqual(['baby', 'school']);
  });

  it('income not declared: the cap; the explanation says so', () => {
    const [l] = fees('2026-09', household(null, [child('a', '2023-02-01', 'preschool')]));
    expect(l!.amount).toBe(kr(1_547));
    expect(l!.explanation.income).toMatchObject({ monthly: null, source: 'not_declared', used: kr(61_560) });
  });

  it('a part month is charged by day, on a 30-day month or the actual days, and fee-free start days are left out', () => {
    const k = child('a', '2023-02-01', 'preschool', { from: '2026-09-16', to: '2026-09-30', placementStart: '2026-09-16' });
    const thirty = fees('2026-09', household(kr(80_000), [k]))[0]!;
    expect(thirty.explanation.days).toMatchObject({ charged: 15, ofMonth: 30 });
    expect(thirty.amount).toBe(kr(774)); // 1 547 × 15 / 30 = 773.5 → 773.50 kr → 774 kr
    expect(fees('2026-09', household(kr(80_000), [k]), { rounding: 'ore' })[0]!.amount).toBe(77_350);
    expect(chargedDays('2026-10', '2026-10-01', '2026-10-31', '2026-01-01', { dayCount: 'thirty', freeStartDays: 0 })).toEqual({ charged: 30, ofMonth: 30 });
    expect(chargedDays('2026-02', '2026-02-15', '2026-02-28', '2026-02-15', { dayCount: 'thirty', freeStartDays: 0 })).toEqual({ charged: 16, ofMonth: 30 });
    expect(chargedDays('2026-02', '2026-02-15', '2026-02-28', '2026-02-15', { dayCount: 'actual', freeStartDays: 0 })).toEqual({ charged: 14, ofMonth: 28 });
    expect(chargedDays('2026-10', '2026-10-01', '2026-10-10', '2026-01-01', { dayCount: 'actual', freeStartDays: 0 })).toEqual({ charged: 10, ofMonth: 31 });
    // Inskolning: the first 5 days of a place starting 16 September are free.
    expect(chargedDays('2026-09', '2026-09-16', '2026-09-30', '2026-09-16', { dayCount: 'actual', freeStartDays: 5 })).toEqual({ charged: 10, ofMonth: 30 });
    // Free days running into the next month leave that month's first days free too.
    expect(chargedDays('2026-10', '2026-10-01', '2026-10-31', '2026-09-29', { dayCount: 'actual', freeStartDays: 5 })).toEqual({ charged: 28, ofMonth: 31 });
  });

  it('local rules without code: no fee below an income, a lower percentage for 3–5-year-olds, free 15-hour places, allmän förskola as a reduction', () => {
    const local: FeeSettings['local'] = [
      { id: 'low-income', label: 'Ingen avgift under 10 000 kr', when: { incomeBelow: kr(10_000) }, effect: { kind: 'free' } },
      { id: 'age-3-5', label: 'Lägre procentsats 3–5 år', when: { family: 'preschool', ageFrom: 3, ageTo: 5 }, effect: { kind: 'percent', byRank: [200, 100, 50] } },
      { id: 'free-15', label: 'Avgiftsfria 15 timmar', when: { family: 'preschool', weeklyHoursAtMost: 15 }, effect: { kind: 'free' } },
      { id: 'allman', label: 'Allmän förskola', when: { family: 'preschool', fromAutumnOfYearTurning: 3, months: [1, 2, 3, 4, 5, 8, 9, 10, 11, 12] }, effect: { kind: 'reduce', bp: 3_500 } },
    ];
    // Born 2022-03: turned 3 in 2025, so allmän förskola from August 2025; 4 years old in September 2026.
    const four = child('a', '2022-03-01', 'preschool');
    const l = fees('2026-09', household(kr(40_000), [four]), { local })[0]!;
    // 30 000 × 2 % = 600, less 35 % = 390.
    expect(l.explanation).toMatchObject({ percentBp: 200, full: kr(600) });
    expect(l.explanation.local.map((x) => x.id)).toEqual(['age-3-5', 'allman']);
    expect(l.amount).toBe(kr(390));
    // June is outside the school year's months: no allmän reduction.
    expect(fees('2026-06', household(kr(40_000), [{ ...four, from: '2026-06-01', to: '2026-06-30' }]), { local })[0]!.amount).toBe(kr(800)); // 40 000 × 2 %
    // A two-year-old: the national table, no reduction; a 15-hour place: free; a low income: free.
    const two = child('b', '2024-01-10', 'preschool');
    expect(fees('2026-09', household(kr(40_000), [two]), { local })[0]!.amount).toBe(kr(900));
    expect(fees('2026-09', household(kr(40_000), [{ ...two, weeklyHours: 15 }]), { local })[0]!.amount).toBe(0);
    expect(fees('2026-09', household(kr(9_500), [two]), { local })[0]!.explanation.local.map((x) => x.id)).toContain('low-income');
  });

  it('allmän förskola as free hours a week in the school year: the fee less the free hours\' share of the place', () => {
    const local: FeeSettings['local'] = [
      { id: 'allman-15', label: 'Allmän förskola 15 h/vecka', when: { family: 'preschool', fromAutumnOfYearTurning: 3, months: [1, 2, 3, 4, 5, 8, 9, 10, 11, 12] }, effect: { kind: 'free_hours', hours: 15, fullWeekHours: 40 } },
    ];
    // Born 2022-03, 4 years old, 40 000 kr: child 1 in förskola (40 000 − 10 000) × 3 % = 900 kr (the cap is 1 547).
    const four = { ...child('a', '2022-03-01', 'preschool'), weeklyHours: 40 };
    const l = fees('2026-09', household(kr(40_000), [four]), { local })[0]!;
    // 40 hours a week, 15 of them free: 900 − 900 × 15 / 40 = 900 − 337.50 = 562.50 kr → 563 kr (whole kronor, half up).
    expect(l.amount).toBe(kr(563));
    expect(l.explanation.local).toEqual([{ id: 'allman-15', label: 'Allmän förskola 15 h/vecka', effect: 'free_hours', before: kr(900), after: 56_250 }]);
    // 25 hours: 900 × 15 / 25 = 540 off → 360 kr; 15 hours or fewer: free.
    expect(fees('2026-09', household(kr(40_000), [{ ...four, weeklyHours: 25 }]), { local })[0]!.amount).toBe(kr(360));
    expect(fees('2026-09', household(kr(40_000), [{ ...four, weeklyHours: 12 }]), { local })[0]!.amount).toBe(0);
    // No weekly hours recorded: counted as the full week of 40 hours.
    expect(fees('2026-09', household(kr(40_000), [{ ...four, weeklyHours: null }]), { local })[0]!.amount).toBe(kr(563));
    // July is not a school-year month; a two-year-old is not yet in allmän förskola.
    expect(fees('2026-07', household(kr(40_000), [{ ...four, from: '2026-07-01', to: '2026-07-31' }]), { local })[0]!.amount).toBe(kr(900));
    expect(fees('2026-09', household(kr(40_000), [{ ...child('b', '2024-01-10', 'preschool'), weeklyHours: 40 }]), { local })[0]!.amount).toBe(kr(900));
  });

  it('a household\'s share under shared residence takes its part of the fee', () => {
    const l = seHouseholdFees('2026-09', household(kr(80_000), [child('a', '2023-02-01', 'preschool')]), rules('2026-09'), DEFAULT_FEE_SETTINGS, { shareBp: () => 5_000 })[0]!;
    expect(l.amount).toBe(kr(774)); // 1 547 / 2 = 773.50 → 774
  });
});
