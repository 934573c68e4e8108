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
import { z } from 'zod';
import { bp, month, ore } from '../../shared/api/fees';
import type { FeeFamily } from './maxtaxa';
import { cmp } from './order';

export const noRuleSet = z
  .object({
    id: z.string().min(1).max(60),
    name: z.string().min(1).max(200),
    country: z.literal('NO'),
    validFrom: month,
    validTo: month.nullable(),
    /** The grunnbeløp (G) per year the bands are counted in. */
    g: ore,
    /** Months without a fee (July). */
    freeMonths: z.array(z.number().int().min(1).max(12)).max(12),
    /** Months a year the fee is paid in (11 with July free): the yearly income caps are spread over them. */
    payingMonths: z.number().int().min(1).max(12),
    sfo: z
      .object({
        /** A place of at most this many hours a week is a part-time place. */
        partTimeHoursAtMost: z.number().int().min(0).max(60),
        /** Income bands, ascending: each up to (and including) `upToGThousandths` of G a year (null: the rest). */
        bands: z.array(z.object({ upToGThousandths: z.number().int().min(0).nullable(), full: ore, part: ore }).strict()).min(1).max(20),
        /** The national rule: at most `capBp` of yearly income for grades `grades`, incomes below `incomeBelow`, on application. */
        national: z.object({ capBp: bp, grades: z.array(z.number().int().min(1).max(10)), incomeBelow: ore }).strict(),
        /** Free hours a week for these grades: a place within them is free, a larger one is reduced by `reduction`. */
        freeHours: z.object({ hours: z.number().int().min(0).max(40), grades: z.array(z.number().int().min(1).max(10)), reduction: ore }).strict(),
      })
      .strict(),
    barnehage: z
      .object({
        maxPrice: ore,
        /** Sibling discount by rank among the household's children in barnehage (rank 2, 3, …), basis points. */
        siblingDiscountBp: z.array(bp).max(6),
        /** At most this share of yearly household income (spread over the paying months). */
        incomeCapBp: bp,
        /** Free core hours a week for children of these ages when the income is below `incomeBelow`: the price is reduced by the share of a full week. */
        freeCore: z.object({ hoursPerWeek: z.number().int().min(0).max(45), fullWeekHours: z.number().int().min(1).max(60), ages: z.array(z.number().int().min(0).max(6)), incomeBelow: ore }).strict(),
      })
      .strict(),
    source: z.string().max(300),
  })
  .strict();
export type NoRuleSet = z.infer<typeof noRuleSet>;

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

export interface NoChild {
  personId: string;
  birthDate: string;
  family: FeeFamily;
  placementId: string;
  weeklyHours: number | null;
  /** Grade (trinn) for SFO/AKS; null in barnehage. */
  grade: number | null;
  /** The family applied for and was granted the national rule for this school year. */
  nationalRuleGranted: boolean;
  /** Ill four weeks or more over the month (documented): no fee. */
  illnessWaived: boolean;
  /** A special-needs place the municipality made free. */
  specialNeedsFree: boolean;
}

export interface NoExplanation {
  ruleSet: { id: string; name: string; validFrom: string; validTo: string | null; source: string };
  income: { yearly: number | null; source: 'declared' | 'not_declared'; inG: number | null };
  family: FeeFamily;
  steps: { rule: string; amount: number; note?: string }[];
  amount: number;
}

export interface NoLine {
  personId: string;
  placementId: string;
  amount: number;
  explanation: NoExplanation;
}

const pctOf = (amount: number, b: number) => Math.floor((amount * b + 5_000) / 10_000);
const ageOn = (birth: string, date: string) => Number(date.slice(0, 4)) - Number(birth.slice(0, 4)) - (date.slice(5) < birth.slice(5) ? 1 : 0);

/**
 * Each child's fee for `month`. `yearlyIncome` (øre) is the household's; null when not declared (the
 * highest band, no income cap). SFO/AKS has no sibling discount; barnehage's ranks its children youngest first.
 */
export function noHouseholdFees(month: string, yearlyIncome: number | null, children: NoChild[], rules: NoRuleSet): NoLine[] {
  const ruleSet = { id: rules.id, name: rules.name, validFrom: rules.validFrom, validTo: rules.validTo, source: rules.source };
  const inG = yearlyIncome === null ? null : Math.floor((yearlyIncome * 1000) / rules.g);
  const income = { yearly: yearlyIncome, source: yearlyIncome === null ? ('not_declared' as const) : ('declared' as const), inG };
  const kids = children.filter((c) => c.family === 'preschool').sort((a, b) => cmp(b.birthDate, a.birthDate) || cmp(a.personId, b.personId));
  const bhgRank = new Map(kids.map((c, i) => [c.personId, i + 1]));
  const first = `${month}-01`;
  return children.map((c) => {
    const steps: NoExplanation['steps'] = [];
    const done = (amount: number): NoLine => ({ personId: c.personId, placementId: c.placementId, amount, explanation: { ruleSet, income, family: c.family, steps, amount } });
    if (rules.freeMonths.includes(Number(month.slice(5)))) {
      steps.push({ rule: 'free_month', amount: 0 });
      return done(0);
    }
    if (c.illnessWaived) {
      steps.push({ rule: 'illness', amount: 0, note: 'sykdom fire uker eller mer' });
      return done(0);
    }
    if (c.specialNeedsFree) {
      steps.push({ rule: 'special_needs', amount: 0 });
      return done(0);
    }
    let amount: number;
    if (c.family === 'afterschool') {
      const s = rules.sfo;
      const part = c.weeklyHours !== null && c.weeklyHours <= s.partTimeHoursAtMost;
      const band = s.bands.find((b) => inG !== null && b.upToGThousandths !== null && inG <= b.upToGThousandths) ?? s.bands[s.bands.length - 1]!;
      amount = part ? band.part : band.full;
      steps.push({ rule: 'band', amount, note: `${band.upToGThousandths === null ? 'over' : `t.o.m. ${band.upToGThousandths / 1000}`} G, ${part ? 'deltid' : 'heltid'}` });
      if (c.grade !== null && s.freeHours.grades.includes(c.grade)) {
        if (c.weeklyHours !== null && c.weeklyHours <= s.freeHours.hours) amount = 0;
        else amount = Math.max(0, amount - s.freeHours.reduction);
        steps.push({ rule: 'free_hours', amount, note: `${s.freeHours.hours} gratis timer, trinn ${c.grade}` });
      }
      if (c.nationalRuleGranted && yearlyIncome !== null && c.grade !== null && s.national.grades.includes(c.grade) && yearlyIncome < s.national.incomeBelow) {
        const cap = Math.floor(pctOf(yearlyIncome, s.national.capBp) / rules.payingMonths);
        if (cap < amount) amount = cap;
        steps.push({ rule: 'national_cap', amount, note: `maks ${s.national.capBp / 100} % av inntekt` });
      }
    } else {
      const b = rules.barnehage;
      amount = b.maxPrice;
      steps.push({ rule: 'max_price', amount });
      const rank = bhgRank.get(c.personId) ?? 1;
      const discount = rank >= 2 ? (b.siblingDiscountBp[Math.min(rank - 2, b.siblingDiscountBp.length - 1)] ?? 0) : 0;
      if (discount) {
        amount -= pctOf(amount, discount);
        steps.push({ rule: 'sibling', amount, note: `barn ${rank}` });
      }
      if (yearlyIncome !== null) {
        const cap = Math.floor(pctOf(yearlyIncome, b.incomeCapBp) / rules.payingMonths);
        if (cap < amount) {
          amount = cap;
          steps.push({ rule: 'income_cap', amount });
        }
        if (yearlyIncome < b.freeCore.incomeBelow && b.freeCore.ages.includes(ageOn(c.birthDate, first))) {
          amount = Math.max(0, amount - Math.floor((amount * b.freeCore.hoursPerWeek) / b.freeCore.fullWeekHours));
          steps.push({ rule: 'free_core_hours', amount, note: `${b.freeCore.hoursPerWeek} timer gratis kjernetid` });
        }
      }
    }
    return done(amount);
  });
}
