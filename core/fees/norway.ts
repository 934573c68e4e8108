/**
 * Norwegian fees as dated configuration and a pure calculation (issue 12; domain §6): SFO/AKS priced by the
 * household's income band (bands in multiples of G, the grunnbeløp set each 1 May and used from the August
 * invoice), per place type, food money included, July free, no sibling discount; the national rule (grades
 * 1–4: at most 6 % of household income, on application each school year, below the published income
 * threshold: the family pays the lower of the two); free hours a week for the grades the law gives them;
 * illness of four weeks or more and special-needs places the municipality decides waive the fee.
 * Barnehage: the national maximum price, sibling discounts, the 6 % income cap and free core hours for low
 * incomes. Every figure is configuration the administrator fills from the current regulation.
 *
 * Money is in øre; percentages in basis points.
 */
import type { FeeReductionKind, NoFeeExplanationView, NoRuleSet } from '../../shared/api/fees';
import { noRuleSet } from '../../shared/api/fees';
import type { FeeSettings } from './rules';
import { ageOn, chargedRange, coveredDays, ruleSetViewOf, type FeeFamily, type FeeIncome } from './maxtaxa';
import { cmp } from './order';

export { noRuleSet, type NoRuleSet };

const nok = (n: number) => n * 100;

/**
 * Defaults to start from (Oslo's structure; the kroner amounts and G must be checked against the current
 * regulation and the municipality's price list before the first run: `source` says so).
 */
export const DEFAULT_NO_RULE_SETS: NoRuleSet[] = [
  {
    id: 'no-2026-08',
    name: 'SFO/AKS og barnehage fra august 2026',
    country: 'NO',
    validFrom: '2026-08',
    validTo: null,
    g: nok(130_160),
    freeMonths: [7],
    payingMonths: 11,
    sfo: {
      partTimeHoursAtMost: 12,
      bands: [
        { upToGThousandths: 2_250, full: nok(0), part: nok(0) },
        { upToGThousandths: 4_000, full: nok(1_650), part: nok(1_000) },
        { upToGThousandths: null, full: nok(3_300), part: nok(2_000) },
      ],
      national: { capBp: 600, grades: [1, 2, 3, 4], incomeBelow: nok(650_000) },
      freeHours: { hours: 12, grades: [1, 2, 3], reduction: nok(1_650) },
    },
    barnehage: {
      maxPrice: nok(1_200),
      siblingDiscountBp: [3_000, 5_000],
      incomeCapBp: 600,
      freeCore: { hoursPerWeek: 20, fullWeekHours: 41, ages: [2, 3, 4, 5], incomeBelow: nok(650_000) },
    },
    source: 'Struktur etter Oslo kommunes prisregler; beløp, G og grenser må kontrolleres mot gjeldende forskrift og prisliste',
  },
];

/** A child of the household with a fee-bearing place (barnehage, SFO/AKS) in the month. */
export interface NoChild {
  personId: string;
  birthDate: string;
  family: FeeFamily;
  placementId: string;
  weeklyHours: number | null;
  /** Grade (trinn) on the month's first day for SFO/AKS; null in barnehage or without an enrolment. */
  grade: number | null;
  /** Days of the month the place runs (inclusive, within the month), and its first day (fee-free start days). */
  from: string;
  to: string;
  placementStart: string;
  /** The reductions granted for the child that overlap the month. */
  reductions: { id: string; kind: FeeReductionKind; from: string; to: string | null }[];
}

export interface NoHousehold {
  householdId: string | null;
  adults: string[];
  /** The monthly income in force (the bands and caps count it × 12). */
  income: FeeIncome;
  children: NoChild[];
}

/** The Norwegian explanation before the household, shared-residence and split parts month.ts adds. */
export type NoExplanation = Omit<NoFeeExplanationView, 'householdId' | 'shared' | 'split' | 'correction'>;

export interface NoLine {
  personId: string;
  placementId: string;
  amount: number;
  explanation: NoExplanation;
}

/** percent (basis points) of an amount, to whole øre, half up. */
const pctOf = (amount: number, b: number) => Math.floor((amount * b + 5_000) / 10_000);

/**
 * Each child's fee for `month` in one household (before shared residence, rounding and the split, which
 * month.ts applies as for Swedish lines). SFO/AKS: the band by yearly income (monthly × 12) in G, full or
 * part-time by weekly hours, free hours for the configured grades, the national rule when granted (the lower
 * of the two); no sibling discount. Barnehage: the maximum price, the sibling discount youngest first among
 * the household's barnehage children, the income cap, free core hours for low incomes. July (the rule set's
 * free months) free; a special-needs place granted free is free; a start or end mid-month is charged by day
 * as the municipality counts them, and days covered by a documented illness are not charged.
 */
export function noHouseholdFees(month: string, h: NoHousehold, rules: NoRuleSet, settings: Pick<FeeSettings, 'dayCount' | 'freeStartDays' | 'rounding'>): NoLine[] {
  const ruleSet = ruleSetViewOf(rules);
  const yearly = h.income.monthly === null ? null : h.income.monthly * 12;
  const inG = yearly === null ? null : Math.floor((yearly * 1000) / rules.g);
  const income: NoExplanation['income'] = {
    monthly: h.income.monthly,
    yearly,
    g: rules.g,
    inGThousandths: inG,
    source: h.income.source,
    from: h.income.from,
    declarationId: h.income.declarationId,
    ...(h.income.check ? { check: h.income.check } : {}),
  };
  const adults = [...h.adults];
  const kids = h.children.filter((c) => c.family === 'preschool').sort((a, b) => cmp(b.birthDate, a.birthDate) || cmp(a.personId, b.personId));
  const bhgRank = new Map<string, number>();
  for (const c of kids) if (!bhgRank.has(c.personId)) bhgRank.set(c.personId, bhgRank.size + 1);
  const ranked = [...new Map(kids.map((c) => [c.personId, { personId: c.personId, birthDate: c.birthDate, family: c.family }])).values()];
  const first = `${month}-01`;
  const free = rules.freeMonths.includes(Number(month.slice(5)));
  return h.children.map((c) => {
    const steps: NoExplanation['steps'] = [];
    const range = chargedRange(month, c.from, c.to, c.placementStart, settings);
    const placeDays = Math.max(0, range.last - range.first + 1);
    const illness = coveredDays(month, range, c.reductions.filter((r) => r.kind === 'illness'), settings.dayCount);
    const has = (k: FeeReductionKind) => c.reductions.some((r) => r.kind === k);
    let full: number;
    if (free) {
      full = 0;
      steps.push({ rule: 'free_month', amount: 0 });
    } else if (has('special_needs')) {
      full = 0;
      steps.push({ rule: 'special_needs', amount: 0 });
    } else if (c.family === 'afterschool') {
      const s = rules.sfo;
      const part = c.weeklyHours !== null && c.weeklyHours <= s.partTimeHoursAtMost;
      let index = s.bands.findIndex((b) => inG !== null && b.upToGThousandths !== null && inG <= b.upToGThousandths);
      if (index < 0) index = s.bands.length - 1;
      const band = s.bands[index]!;
      let amount = part ? band.part : band.full;
      steps.push({ rule: 'band', amount, band: { index, upToGThousandths: band.upToGThousandths, part } });
      if (c.grade !== null && s.freeHours.grades.includes(c.grade)) {
        amount = c.weeklyHours !== null && c.weeklyHours <= s.freeHours.hours ? 0 : Math.max(0, amount - s.freeHours.reduction);
        steps.push({ rule: 'free_hours', amount, hours: s.freeHours.hours });
      }
      if (has('national_rule') && yearly !== null && c.grade !== null && s.national.grades.includes(c.grade) && yearly < s.national.incomeBelow) {
        const cap = Math.floor(pctOf(yearly, s.national.capBp) / rules.payingMonths);
        if (cap < amount) amount = cap;
        steps.push({ rule: 'national_cap', amount, bp: s.national.capBp, cap });
      }
      full = amount;
    } else {
      const b = rules.barnehage;
      let amount = b.maxPrice;
      steps.push({ rule: 'max_price', amount });
      const rank = bhgRank.get(c.personId) ?? 1;
      const discount = rank >= 2 ? (b.siblingDiscountBp[Math.min(rank - 2, b.siblingDiscountBp.length - 1)] ?? 0) : 0;
      if (discount) {
        amount -= pctOf(amount, discount);
        steps.push({ rule: 'sibling', amount, bp: discount });
      }
      if (yearly !== null) {
        const cap = Math.floor(pctOf(yearly, b.incomeCapBp) / rules.payingMonths);
        if (cap < amount) {
          amount = cap;
          steps.push({ rule: 'income_cap', amount, bp: b.incomeCapBp, cap });
        }
        if (yearly < b.freeCore.incomeBelow && b.freeCore.ages.includes(ageOn(c.birthDate, first))) {
          amount = Math.max(0, amount - Math.floor((amount * b.freeCore.hoursPerWeek) / b.freeCore.fullWeekHours));
          steps.push({ rule: 'free_core_hours', amount, hours: b.freeCore.hoursPerWeek });
        }
      }
      full = amount;
    }
    const charged = Math.max(0, placeDays - illness);
    const amount = charged >= range.ofMonth ? full : Math.floor((full * charged + Math.floor(range.ofMonth / 2)) / range.ofMonth);
    return {
      personId: c.personId,
      placementId: c.placementId,
      amount,
      explanation: {
        country: 'NO' as const,
        ruleSet,
        income,
        adults,
        family: c.family,
        grade: c.grade,
        weeklyHours: c.weeklyHours,
        rank: c.family === 'preschool' ? (bhgRank.get(c.personId) ?? 1) : 1,
        ranked: c.family === 'preschool' ? ranked : [],
        reductions: c.reductions.map((r) => ({ id: r.id, kind: r.kind, from: r.from, to: r.to })),
        steps,
        full,
        days: { charged, ofMonth: range.ofMonth, mode: settings.dayCount, freeStartDays: settings.freeStartDays, illness },
        rounding: settings.rounding,
        amount,
      },
    };
  });
}
