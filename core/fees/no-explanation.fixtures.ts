/**
 * Hand-made Norwegian line explanations (`country: 'NO'`) for the tests of their readers: the export's
 * sentence (explain-sentence.test.ts) and `kansli fees explain` (core/cli/fees-explain-no.test.ts). The
 * figures follow the default rule set's structure (core/fees/norway.ts) with amounts chosen by hand.
 */
import type { NoFeeExplanationView } from '../../shared/api/fees';

const RULE_SET = { id: 'no-2026-08', name: 'SFO/AKS og barnehage fra august 2026', validFrom: '2026-08', validTo: null, source: 'Oslo kommunes prisregler' };
/** G = 130 160 kr. */
const G = 13_016_000;

/**
 * SFO, 2. trinn, 15 hours a week (a full-time place), income 25 000 kr a month = 300 000 kr a year
 * (2,304 G): band 2 (up to 4 G) 2 400 kr; 12 free hours reduce it by 600 kr to 1 800 kr; the national rule
 * granted: at most 6 % of 300 000 kr over 11 months = 1 636,36 kr; 30 of 30 days, whole kroner: 1 636 kr.
 */
export const NO_SFO: NoFeeExplanationView = {
  country: 'NO',
  ruleSet: RULE_SET,
  income: { monthly: 2_500_000, yearly: 30_000_000, g: G, inGThousandths: 2_304, source: 'declared', from: '2026-08-01', declarationId: 'd1' },
  adults: ['g1', 'g2'],
  family: 'afterschool',
  grade: 2,
  weeklyHours: 15,
  rank: 1,
  ranked: [],
  reductions: [{ id: 'r1', kind: 'national_rule', from: '2026-08-01', to: '2027-07-31' }],
  steps: [
    { rule: 'band', amount: 240_000, band: { index: 1, upToGThousandths: 4_000, part: false } },
    { rule: 'free_hours', amount: 180_000, hours: 12 },
    { rule: 'national_cap', amount: 163_636, bp: 600, cap: 163_636 },
  ],
  full: 163_636,
  days: { charged: 30, ofMonth: 30, mode: 'thirty', freeStartDays: 0, illness: 0 },
  rounding: 'krona',
  amount: 163_600,
  householdId: 'h1',
  shared: null,
  split: null,
};

/**
 * Barnehage, the older of two children in barnehage (rank 2), income 10 000 kr a month = 120 000 kr a year
 * (0,921 G): the maximum price 1 200 kr; the sibling discount 30 % → 840 kr; the income cap 6 % over 11
 * months = 654,54 kr; 20 free core hours of 41 → 335,26 kr; whole kroner 335 kr; the invoice split half
 * and half: 167,50 kr.
 */
export const NO_BHG: NoFeeExplanationView = {
  country: 'NO',
  ruleSet: RULE_SET,
  income: { monthly: 1_000_000, yearly: 12_000_000, g: G, inGThousandths: 921, source: 'declared', from: null, declarationId: 'd2' },
  adults: ['g1', 'g2'],
  family: 'preschool',
  grade: null,
  weeklyHours: 41,
  rank: 2,
  ranked: [
    { personId: 'c1', birthDate: '2024-05-01', family: 'preschool' },
    { personId: 'c2', birthDate: '2023-02-10', family: 'preschool' },
  ],
  reductions: [],
  steps: [
    { rule: 'max_price', amount: 120_000 },
    { rule: 'sibling', amount: 84_000, bp: 3_000 },
    { rule: 'income_cap', amount: 65_454, bp: 600, cap: 65_454 },
    { rule: 'free_core_hours', amount: 33_526, hours: 20 },
  ],
  full: 33_526,
  days: { charged: 30, ofMonth: 30, mode: 'thirty', freeStartDays: 0, illness: 0 },
  rounding: 'krona',
  amount: 16_750,
  householdId: 'h1',
  shared: null,
  split: { invoiceShare: 50, sharesTotal: 100, before: 33_500 },
};

/** SFO, 5. trinn, 10 hours a week (part-time), income not declared (the highest band, 2 000 kr); ten days of documented illness: 21 of 31 days, øre. */
export const NO_ILL: NoFeeExplanationView = {
  ...NO_SFO,
  income: { monthly: null, yearly: null, g: G, inGThousandths: null, source: 'not_declared', from: null, declarationId: null },
  adults: ['x1'],
  grade: 5,
  weeklyHours: 10,
  reductions: [{ id: 'r2', kind: 'illness', from: '2026-10-05', to: '2026-10-14' }],
  steps: [{ rule: 'band', amount: 200_000, band: { index: 2, upToGThousandths: null, part: true } }],
  full: 200_000,
  days: { charged: 21, ofMonth: 31, mode: 'actual', freeStartDays: 0, illness: 10 },
  rounding: 'ore',
  amount: 135_484,
};

/** July: no fee. */
export const NO_JULY: NoFeeExplanationView = {
  ...NO_SFO,
  grade: 3,
  reductions: [{ id: 'r3', kind: 'national_rule', from: '2026-08-01', to: null }],
  steps: [{ rule: 'free_month', amount: 0 }],
  full: 0,
  days: { charged: 31, ofMonth: 31, mode: 'actual', freeStartDays: 0, illness: 0 },
  amount: 0,
};
