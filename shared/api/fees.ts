/**
 * The fees domain's methods (issue 12; docs/fees.md). Households' incomes first: income is personal data
 * that only fee administrators see by default (fee.read / fee.write, municipality-wide by nature).
 */
import { z } from 'zod';
import { def, type MethodDef } from './def';
import { isoDate, uuid, writeResult } from './schemas';
import { csvLayout, DEFAULT_CSV_LAYOUTS } from './fee-export';
import { fileRef } from './files';

/** Fee rules as dated configuration (core/fees/rules.ts has the shipped defaults and the lookups). */
/** A month YYYY-MM, basis points (300 = 3 %), an amount in öre/øre: the fee schemas' units. */
export const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM');
export const bp = z.number().int().min(0).max(10_000);
export const ore = z.number().int().min(0);

/**
 * A local rule (a municipality's own, expressible without code): when its conditions hold for a child and
 * month, its effect applies after the national calculation. Conditions left out hold always.
 */
export const localRule = z
  .object({
    id: z.string().min(1).max(60),
    /** Shown in the line's explanation. */
    label: z.string().min(1).max(200),
    when: z
      .object({
        /** Preschool (förskola, pedagogisk omsorg) or after-school care (fritidshem). */
        family: z.enum(['preschool', 'afterschool']).optional(),
        /** The household's income used is below this (öre per month). */
        incomeBelow: ore.optional(),
        /** The child's age in whole years on the first day of the month. */
        ageFrom: z.number().int().min(0).max(20).optional(),
        ageTo: z.number().int().min(0).max(20).optional(),
        /** From the autumn term (August) of the year the child turns this age (allmän förskola). */
        fromAutumnOfYearTurning: z.number().int().min(0).max(10).optional(),
        /** Calendar months (1–12) it applies in (allmän förskola: the school year's months). */
        months: z.array(z.number().int().min(1).max(12)).min(1).max(12).optional(),
        /** The placement's weekly hours are at most this (a free 15-hour place). */
        weeklyHoursAtMost: z.number().int().min(0).max(80).optional(),
      })
      .strict(),
    effect: z.discriminatedUnion('kind', [
      /** No fee. */
      z.object({ kind: z.literal('free') }).strict(),
      /** The fee is reduced by a share of itself (allmän förskola as a reduction percentage). */
      z.object({ kind: z.literal('reduce'), bp }).strict(),
      /** Another percentage table by rank (a lower percentage for 3–5-year-olds). */
      z.object({ kind: z.literal('percent'), byRank: z.array(bp).min(1).max(6) }).strict(),
      /**
       * Free hours a week (allmän förskola as 15 free hours in the school year's months): the fee is reduced by
       * the free hours' share of the place's weekly hours (a place within them is free); a place without
       * weekly hours counts as `fullWeekHours`.
       */
      z.object({ kind: z.literal('free_hours'), hours: z.number().int().min(1).max(60), fullWeekHours: z.number().int().min(1).max(80) }).strict(),
    ]),
  })
  .strict();
export type LocalRule = z.infer<typeof localRule>;

/** Swedish maxtaxa (förordning 2001:160) for a range of months. */
export const seRuleSet = z
  .object({
    id: z.string().min(1).max(60),
    name: z.string().min(1).max(200),
    country: z.literal('SE'),
    validFrom: month,
    /** Last month it applies in (inclusive); null: until a later rule set starts. */
    validTo: month.nullable(),
    /** The income ceiling per month (inkomsttak). */
    ceiling: ore,
    /** Income not counted (from July 2026: the first 10 000 kr); 0 before. */
    incomeFloor: ore,
    /** Percentage of the fee base by sibling rank (child 1 is the youngest); ranks beyond the table pay nothing. */
    percent: z.object({ preschool: z.array(bp).min(1).max(6), afterschool: z.array(bp).min(1).max(6) }).strict(),
    /** Where the figures come from (a Skolverket notice; "preliminary" where it said so). */
    source: z.string().max(300),
  })
  .strict();
export type SeRuleSet = z.infer<typeof seRuleSet>;

/**
 * A Norwegian rule set (issue 12; domain §6; core/fees/norway.ts has the shipped defaults and the
 * calculation): SFO/AKS by the household's income band in thousandths of G, per place type, July free, no
 * sibling discount; the national rule; free hours a week for the grades the law gives them. Barnehage: the
 * maximum price, sibling discounts, the 6 % income cap, free core hours for low incomes. Øre; basis points.
 */
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

/** The seller's details on the invoices (the municipality's name and organisation number come from the register). */
export const feeInvoicing = z
  .object({
    street: z.string().trim().min(1).max(100),
    postalCode: z.string().trim().min(1).max(20),
    city: z.string().trim().min(1).max(60),
    /** Bankgiro / kontonummer, as the finance system knows it. */
    paymentAccount: z.string().trim().max(40).nullable(),
    iban: z
      .string()
      .trim()
      .regex(/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/, 'must be an IBAN without spaces')
      .nullable(),
    contactEmail: z.string().trim().email().max(200).nullable(),
  })
  .strict();
export type FeeInvoicing = z.infer<typeof feeInvoicing>;

/** The municipality's fee settings (its own choices where the law leaves them open). */
export const feeSettings = z
  .object({
    /** A part month is charged by day over a 30-day month or the month's actual days. */
    dayCount: z.enum(['thirty', 'actual']),
    /** Fee-free days at the start of a placement (inskolning). */
    freeStartDays: z.number().int().min(0).max(60),
    /** The fee per line is rounded to whole kronor (half up) or kept in öre. */
    rounding: z.enum(['krona', 'ore']),
    /**
     * Shared residence (växelvis boende): only the registered household pays; each pays on its own income
     * with both together at most one cap; each pays half of a fee on its own income; or a declared split.
     */
    sharedResidence: z.enum(['registered_only', 'each_capped_together', 'each_half', 'declared_split']),
    local: z.array(localRule).max(50),
    /** Days from an invoice's date to its due date. */
    paymentTermsDays: z.number().int().min(0).max(90).default(30),
    /**
     * The yearly income check: a household whose declared monthly income differs from its taxed income / 12
     * by more than this (öre per month) has the year's months corrected; within it, nothing changes.
     */
    incomeCheckThreshold: z.number().int().min(0).max(100_000_000).default(100_000),
    /** How many months back a fee run looks for changes to months already invoiced (corrections). */
    correctionMonths: z.number().int().min(0).max(60).default(24),
    /** The municipality as the invoices' seller: its address and where payments go (null: not filled in yet). */
    invoicing: feeInvoicing.nullable().default(null),
    /** The CSV layouts the finance export can be written in (the shipped two until the administrator saves others). */
    csvLayouts: z
      .array(csvLayout)
      .min(1)
      .max(20)
      .default(() => [...DEFAULT_CSV_LAYOUTS]),
  })
  .strict();
export type FeeSettings = z.infer<typeof feeSettings>;


export const INCOME_SOURCES = ['declared', 'not_declared', 'income_check', 'administrator'] as const;
/** A month's income above this (öre) is refused as a typing error (10 million kronor a month). */
export const INCOME_MAX = 1_000_000_000;

export const incomeDeclaration = z.object({
  id: uuid,
  householdId: uuid,
  validFrom: isoDate,
  /** Gross income per month in öre; null when not declared. */
  monthlyIncome: z.number().int().nullable(),
  source: z.enum(INCOME_SOURCES),
  note: z.string().nullable(),
  /** In force now: the latest that applies on the day asked for (today by default). */
  current: z.boolean(),
  createdAt: z.string(),
  createdBy: z.string(),
  createdByName: z.string().nullable(),
  version: z.number().int(),
});

const int = z.number().int();
const family = z.enum(['preschool', 'afterschool']);

export const INCOME_CHECK_OUTCOMES = ['within', 'corrected', 'not_declared'] as const;
/** A household's yearly income check (core/fees/income-check.ts). */
export const incomeCheck = z.object({
  id: uuid,
  householdId: uuid,
  year: int,
  /** The household's taxed income for the year, öre. */
  taxedIncome: int,
  /** taxedIncome / 12: the monthly income the check gives. */
  checkedMonthly: int,
  /** The average declared monthly income over the months that had one; null: none had. */
  declaredMonthly: int.nullable(),
  monthsDeclared: int,
  /** checkedMonthly − declaredMonthly (0 when nothing was declared). */
  difference: int,
  threshold: int,
  outcome: z.enum(INCOME_CHECK_OUTCOMES),
  /** The latest check of its household and year: the one in force (an earlier one is history). */
  current: z.boolean(),
  /** Each month of the year: the declared income in force on its first day (null: not declared). */
  months: z.array(z.object({ month: z.string(), declared: int.nullable() })),
  note: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  createdByName: z.string().nullable(),
  version: int,
});
/** The parts every line's explanation has, Swedish or Norwegian: how shared residence and the split between recipients changed it, and what a correction corrects. */
const sharedPart = z
  .object({ mode: z.enum(['registered_only', 'each_capped_together', 'each_half', 'declared_split']), households: int, shareBp: int, before: int, limit: int.nullable() })
  .nullable();
const splitPart = z.object({ invoiceShare: int, sharesTotal: int, before: int }).nullable();
/** A correction line: the month it corrects, what was charged, what the rules give now, the lines corrected. */
const correctionPart = z.object({ month: z.string(), was: int, now: int, lines: z.array(z.string()) }).optional();

/** How a line was computed, stored with it and shown beside it (core/fees/maxtaxa.ts FeeExplanation). */
export const feeExplanation = z.object({
  ruleSet: z.object({ id: z.string(), name: z.string(), validFrom: z.string(), validTo: z.string().nullable(), source: z.string() }),
  income: z.object({
    monthly: int.nullable(),
    used: int,
    source: z.enum(['declared', 'not_declared', 'income_check']),
    from: z.string().nullable(),
    declarationId: z.string().nullable(),
    /** The yearly income check whose income (taxed / 12) replaced the declared one in this month. */
    check: z.object({ year: int, declared: int, taxed: int }).optional(),
  }),
  adults: z.array(z.string()),
  rank: int,
  ranked: z.array(z.object({ personId: z.string(), birthDate: z.string(), family })),
  family,
  percentBp: int,
  ceiling: int,
  incomeFloor: int,
  feeBase: int,
  cap: int,
  full: int,
  local: z.array(z.object({ id: z.string(), label: z.string(), effect: z.enum(['free', 'reduce', 'percent', 'free_hours']), before: int, after: int })),
  days: z.object({ charged: int, ofMonth: int, mode: z.enum(['thirty', 'actual']), freeStartDays: int }),
  rounding: z.enum(['krona', 'ore']),
  amount: int,
  /** The household the line is charged to, and how shared residence and the split between recipients changed it. */
  householdId: z.string(),
  shared: sharedPart,
  split: splitPart,
  correction: correctionPart,
});

export type FeeExplanationView = z.infer<typeof feeExplanation>;

/** A Norwegian fee reduction granted for a child (fee_reduction): the national rule, illness of four weeks or more, a free special-needs place. */
export const FEE_REDUCTION_KINDS = ['national_rule', 'illness', 'special_needs'] as const;
export type FeeReductionKind = (typeof FEE_REDUCTION_KINDS)[number];

/** The steps of a Norwegian fee, in the order applied (core/fees/norway.ts). */
export const NO_FEE_STEPS = ['free_month', 'special_needs', 'band', 'free_hours', 'national_cap', 'max_price', 'sibling', 'income_cap', 'free_core_hours'] as const;
export type NoFeeStep = (typeof NO_FEE_STEPS)[number];

/**
 * How a Norwegian line was computed: the rule set, the household's yearly income and its place in G, the
 * child's grade and weekly hours, the reductions granted, every step with the amount after it, the days
 * charged (days covered by a documented illness are not), rounding, and the same household, shared
 * residence, split and correction parts as a Swedish line.
 */
export const noFeeExplanation = z.object({
  country: z.literal('NO'),
  ruleSet: z.object({ id: z.string(), name: z.string(), validFrom: z.string(), validTo: z.string().nullable(), source: z.string() }),
  income: z.object({
    /** The monthly income in force (declared, or the yearly check's); null: not declared (the highest band, no income cap). */
    monthly: int.nullable(),
    /** monthly × 12, the yearly household income the bands and caps are counted on. */
    yearly: int.nullable(),
    /** The grunnbeløp the bands are counted in, and the income in thousandths of it. */
    g: int,
    inGThousandths: int.nullable(),
    source: z.enum(['declared', 'not_declared', 'income_check']),
    from: z.string().nullable(),
    declarationId: z.string().nullable(),
    check: z.object({ year: int, declared: int, taxed: int }).optional(),
  }),
  adults: z.array(z.string()),
  family,
  /** SFO/AKS: the pupil's grade (trinn) on the month's first day; null: no enrolment found (no grade rules apply). */
  grade: int.nullable(),
  weeklyHours: int.nullable(),
  /** Barnehage: the rank among the household's children in barnehage, youngest first (1 in SFO/AKS). */
  rank: int,
  ranked: z.array(z.object({ personId: z.string(), birthDate: z.string(), family })),
  reductions: z.array(z.object({ id: z.string(), kind: z.enum(FEE_REDUCTION_KINDS), from: z.string(), to: z.string().nullable() })),
  steps: z.array(
    z.object({
      rule: z.enum(NO_FEE_STEPS),
      /** The month's fee after this step. */
      amount: int,
      /** band: which band (0-based), its upper bound in thousandths of G (null: the highest), and whether the place is part-time. */
      band: z.object({ index: int, upToGThousandths: int.nullable(), part: z.boolean() }).optional(),
      /** free_hours / free_core_hours: the free hours a week. */
      hours: int.optional(),
      /** national_cap / income_cap: the share (basis points) and the monthly cap it gives; sibling: the discount. */
      bp: int.optional(),
      cap: int.optional(),
    }),
  ),
  /** The month's fee for a whole month, before the days. */
  full: int,
  /** Days charged of the days in the month; `illness`: days of the place not charged for a documented illness. */
  days: z.object({ charged: int, ofMonth: int, mode: z.enum(['thirty', 'actual']), freeStartDays: int, illness: int }),
  rounding: z.enum(['krona', 'ore']),
  amount: int,
  householdId: z.string(),
  shared: sharedPart,
  split: splitPart,
  correction: correctionPart,
});
export type NoFeeExplanationView = z.infer<typeof noFeeExplanation>;

/** A line's explanation: Swedish maxtaxa (no `country`, as stored since the first runs) or Norwegian (`country: 'NO'`). */
export const lineExplanation = z.union([noFeeExplanation, feeExplanation]);
export type LineExplanationView = z.infer<typeof lineExplanation>;
/** Narrows a line's explanation to the Norwegian one. */
export const isNoExplanation = (e: LineExplanationView | { country?: unknown }): e is NoFeeExplanationView => 'country' in e && e.country === 'NO';

/** What a fee computation asks the fee administrator to look at (per child, household or recipient). */
export const FEE_WARNINGS = [
  'no_rule_set',
  'no_household',
  'income_not_declared',
  'no_recipient',
  'no_address',
  'protected_recipient',
  'shared_split_missing',
  'shared_registered_unknown',
] as const;
export type FeeWarningCode = (typeof FEE_WARNINGS)[number];

const feeRules = z.object({
  /** Swedish maxtaxa rule sets, each for a range of months (one per month). */
  se: z.array(seRuleSet).min(1).max(60),
  /** Norwegian rule sets (SFO/AKS and barnehage), each for a range of months. */
  no: z.array(noRuleSet).min(1).max(60),
  settings: feeSettings,
  /** True while nothing is stored: the shipped defaults are in force. */
  defaults: z.boolean(),
  /** What was read, to give back when saving: a change saved by someone else meanwhile is refused, not overwritten. */
  version: z.string(),
});

export const FEE_RUN_KINDS = ['regular', 'credit_note'] as const;
export const FEE_RUN_STATES = ['computing', 'ready', 'failed', 'locking', 'locked', 'posted', 'discarded'] as const;
export const FEE_PAGE_MAX = 500;
const feePage = { offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(FEE_PAGE_MAX).default(100) };
const tally = z.object({ lines: int, amount: int });

/** A run's totals: per unit, form and rule, warnings by code, and the difference from the previous run. */
export const feeRunSummary = z.object({
  month: z.string(),
  kind: z.enum(FEE_RUN_KINDS),
  lines: int,
  total: int,
  charges: tally,
  corrections: tally.extend({ months: z.array(z.string()) }),
  byUnit: z.array(tally.extend({ unitId: z.string(), name: z.string() })),
  byForm: z.array(tally.extend({ form: z.string() })),
  byRule: z.array(tally.extend({ id: z.string(), label: z.string() })),
  warnings: z.array(z.object({ code: z.enum(FEE_WARNINGS), count: int })),
  previous: z.object({ runId: z.string(), month: z.string(), total: int, added: int, ended: int, changed: int, same: int }).nullable(),
});

export const feeRunView = z.object({
  id: uuid,
  month: z.string(),
  kind: z.enum(FEE_RUN_KINDS),
  state: z.enum(FEE_RUN_STATES),
  lineCount: int,
  total: int,
  summary: feeRunSummary.nullable(),
  error: z.string().nullable(),
  jobId: z.string().nullable(),
  lockJobId: z.string().nullable(),
  createdAt: z.string(),
  createdByName: z.string(),
  lockedAt: z.string().nullable(),
  postedAt: z.string().nullable(),
});

export const feeLineView = z.object({
  id: z.string(),
  month: z.string(),
  kind: z.enum(['charge', 'correction']),
  correctsLineId: z.string().nullable(),
  childId: uuid,
  childName: z.string(),
  placementId: z.string(),
  householdId: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  schoolForm: z.string(),
  recipientId: z.string().nullable(),
  recipientName: z.string().nullable(),
  shareBp: int,
  amount: int,
  /**
   * How the line came to its amount. A preview's charge is explained when shown (computed from the register
   * as it is now); when that no longer gives the previewed line, `changed` is true and this is today's
   * explanation, or null when the line would no longer be charged (compute the preview again).
   */
  explanation: lineExplanation.nullable(),
  changed: z.boolean(),
});

export const feesMethods = {
  'fee.rules': def({
    input: z.object({}).strict(),
    output: feeRules,
    permission: 'fee.read',
    errors: ['forbidden'],
    personal: false,
    writes: false,
  }),
  /** Stores the rule sets and settings as a whole (they travel to every workstation as settings). */
  'fee.rulesUpdate': def({
    input: z.object({ se: z.array(seRuleSet).min(1).max(60), no: z.array(noRuleSet).min(1).max(60).optional(), settings: feeSettings, version: z.string().min(1).max(100) }).strict(),
    output: feeRules,
    permission: 'fee.write',
    errors: ['validation', 'forbidden', 'rule_violation', 'conflict'],
    personal: false,
    writes: true,
  }),
  /**
   * A child in shared residence (växelvis boende) under the municipality's `declared_split` setting: each
   * household's declared part of the child's fee (basis points), for the child's current memberships. The
   * parts name every household the child lives in and add up to 100 %.
   */
  'fee.sharedSplit': def({
    input: z
      .object({
        childId: uuid,
        shares: z
          .array(z.object({ householdId: uuid, feeShareBp: bp }).strict())
          .min(2)
          .max(4),
      })
      .strict(),
    output: z.object({ childId: uuid, shares: z.array(z.object({ householdId: uuid, memberId: uuid, feeShareBp: int.nullable(), version: int })) }),
    permission: 'fee.write',
    errors: ['validation', 'not_found', 'forbidden', 'rule_violation', 'conflict'],
    personal: true,
    writes: true,
  }),
  /** The declared parts of a child's fee per household it lives in now (null: none declared). */
  'fee.sharedSplitGet': def({
    input: z.object({ childId: uuid }).strict(),
    output: z.object({ childId: uuid, shares: z.array(z.object({ householdId: uuid, memberId: uuid, feeShareBp: int.nullable(), version: int })) }),
    permission: 'fee.read',
    errors: ['validation', 'not_found', 'forbidden'],
    personal: true,
    writes: false,
  }),
  /**
   * What a child is charged for a month and why: one line per fee-bearing place and household, each with
   * its explanation, and what the fee administrator should look at (no household, no income declared …).
   */
  'fee.explain': def({
    input: z.object({ personId: uuid, month }).strict(),
    output: z.object({
      month: z.string(),
      lines: z.array(
        z.object({
          personId: uuid,
          placementId: uuid,
          householdId: uuid,
          shareBp: int,
          amount: int,
          recipients: z.array(z.object({ personId: uuid.nullable(), amount: int, shareBp: int })),
          explanation: lineExplanation,
        }),
      ),
      warnings: z.array(z.object({ code: z.enum([...FEE_WARNINGS, 'no_fee_place']), message: z.string() })),
    }),
    permission: 'fee.read',
    errors: ['validation', 'not_found', 'forbidden', 'unavailable'],
    personal: true,
    writes: false,
  }),
  /** Starts a fee run's preview for a month (a job): charges and corrections, totals, warnings. */
  'fee.runStart': def({
    input: z.object({ month, kind: z.enum(FEE_RUN_KINDS).default('regular') }).strict(),
    output: z.object({ jobId: uuid, runId: uuid }),
    permission: 'fee.write',
    errors: ['validation', 'forbidden', 'rule_violation'],
    personal: true,
    writes: true,
    run: 'job',
  }),
  'fee.runList': def({
    input: z.object({ ...feePage }).strict(),
    output: z.object({ items: z.array(feeRunView), total: int }),
    permission: 'fee.read',
    errors: ['validation', 'forbidden'],
    personal: false,
    writes: false,
  }),
  'fee.runGet': def({
    input: z.object({ id: uuid }).strict(),
    output: feeRunView,
    permission: 'fee.read',
    errors: ['validation', 'not_found', 'forbidden'],
    personal: false,
    writes: false,
  }),
  /** A run's lines with their explanations, a page at a time; optionally one child's, or only corrections. */
  'fee.runLines': def({
    input: z.object({ id: uuid, ...feePage, childId: uuid.optional(), householdId: uuid.optional(), kind: z.enum(['charge', 'correction']).optional() }).strict(),
    output: z.object({ items: z.array(feeLineView), total: int }),
    permission: 'fee.read',
    errors: ['validation', 'not_found', 'forbidden'],
    personal: true,
    writes: false,
  }),
  'fee.runWarnings': def({
    input: z.object({ id: uuid, ...feePage, code: z.enum(FEE_WARNINGS).optional() }).strict(),
    output: z.object({
      items: z.array(
        z.object({
          code: z.enum(FEE_WARNINGS),
          month: z.string(),
          childId: z.string().nullable(),
          childName: z.string().nullable(),
          householdId: z.string().nullable(),
          personId: z.string().nullable(),
          personName: z.string().nullable(),
        }),
      ),
      total: int,
    }),
    permission: 'fee.read',
    errors: ['validation', 'not_found', 'forbidden'],
    personal: true,
    writes: false,
  }),
  /** Locks a ready preview (a job): recomputes, refuses when anything changed since (fee_preview_stale), writes the run. */
  'fee.runLock': def({
    input: z.object({ id: uuid }).strict(),
    output: z.object({ jobId: uuid }),
    permission: 'fee.write',
    errors: ['validation', 'not_found', 'forbidden', 'rule_violation'],
    personal: true,
    writes: true,
    run: 'job',
  }),
  /** Marks a locked run as handed to finance (posted); its lines never change. */
  'fee.runPost': def({
    input: z.object({ id: uuid }).strict(),
    output: feeRunView,
    permission: 'fee.write',
    errors: ['validation', 'not_found', 'forbidden', 'rule_violation'],
    personal: false,
    writes: true,
  }),
  /**
   * A locked run's file for finance: the CSV in a saved layout, the UBL 2.1 invoices and credit notes (one
   * per recipient, in a ZIP), or the payment basis. Addresses the user may not see are withheld.
   */
  'fee.runExport': def({
    input: z.object({ id: uuid, format: z.enum(['csv', 'ubl', 'payment']), layout: z.string().max(60).optional() }).strict(),
    output: z.object({ file: fileRef, lines: int, total: int, documents: int, skipped: int, withheld: int }),
    permission: 'fee.write',
    errors: ['validation', 'not_found', 'forbidden', 'rule_violation'],
    personal: true,
    writes: false,
    run: 'async',
  }),
  /** Discards a preview that is not locked. */
  'fee.runDiscard': def({
    input: z.object({ id: uuid }).strict(),
    output: feeRunView,
    permission: 'fee.write',
    errors: ['validation', 'not_found', 'forbidden', 'rule_violation'],
    personal: false,
    writes: true,
  }),
  'income.list': def({
    input: z.object({ householdId: uuid, date: isoDate.optional() }).strict(),
    output: z.object({ items: z.array(incomeDeclaration) }),
    permission: 'fee.read',
    errors: ['validation', 'not_found', 'forbidden'],
    personal: true,
    writes: false,
  }),
  /** A household's yearly income checks, newest year first; each with the declared income month by month. */
  'income.checks': def({
    input: z.object({ householdId: uuid }).strict(),
    output: z.object({ items: z.array(incomeCheck) }),
    permission: 'fee.read',
    errors: ['validation', 'not_found', 'forbidden'],
    personal: true,
    writes: false,
  }),
  /**
   * The yearly income check of a household: its taxed income for a finished year against what it declared.
   * Beyond the threshold the checked income replaces the declared one for the year's months that had one,
   * and the next fee run (or a credit-note run) corrects those months with debit or credit lines. A year not
   * yet over is refused; a later check of the same year supersedes the earlier.
   */
  'income.check': def({
    input: z
      .object({
        householdId: uuid,
        year: z.number().int().min(2000).max(2100),
        taxedIncome: z.number().int().min(0).max(INCOME_MAX * 12),
        note: z.string().trim().max(500).optional(),
      })
      .strict(),
    output: incomeCheck,
    permission: 'fee.write',
    errors: ['validation', 'not_found', 'forbidden', 'rule_violation'],
    personal: true,
    writes: true,
  }),
  /**
   * A household's income from a date: an amount per month (öre) with its source, or "not declared" (the
   * cap applies). A later declaration takes over from its date; the earlier ones stay as history.
   */
  'income.declare': def({
    input: z
      .object({
        householdId: uuid,
        validFrom: isoDate,
        monthlyIncome: z.number().int().min(0).max(INCOME_MAX).nullable(),
        source: z.enum(INCOME_SOURCES),
        note: z.string().trim().max(500).optional(),
      })
      .strict()
      .superRefine((v, ctx) => {
        if ((v.source === 'not_declared') !== (v.monthlyIncome === null)) {
          ctx.addIssue({
            code: 'custom',
            path: ['monthlyIncome'],
            message: v.source === 'not_declared' ? 'An income marked not declared has no amount' : 'An amount is required unless the income is marked not declared',
          });
        }
      }),
    output: writeResult,
    permission: 'fee.write',
    errors: ['validation', 'not_found', 'forbidden', 'rule_violation'],
    personal: true,
    writes: true,
  }),
  /**
   * A child's Norwegian fee reductions (fee_reduction; core/fees/reductions.ts), the latest start first:
   * the national rule granted for a school year, a documented illness of four weeks or more, a free
   * special-needs place. Removed ones are not listed.
   */
  'fee.reductions': def({
    input: z.object({ childId: uuid }).strict(),
    output: z.object({
      items: z.array(
        z.object({
          id: uuid,
          childId: uuid,
          kind: z.enum(FEE_REDUCTION_KINDS),
          validFrom: z.string(),
          /** The last day (inclusive); null: until further notice. */
          validTo: z.string().nullable(),
          note: z.string().nullable(),
          createdAt: z.string(),
          createdByName: z.string().nullable(),
          version: int,
        }),
      ),
    }),
    permission: 'fee.read',
    errors: ['validation', 'not_found', 'forbidden'],
    personal: true,
    writes: false,
  }),
  /**
   * Records a reduction for a child in a Norwegian municipality (a Swedish one: `unavailable`). Without
   * `validTo` a national rule covers the school year (to 31 July) that holds `validFrom`, a special-needs
   * place runs until further notice, and an illness is refused (it needs its last day). Refused by rule: an
   * illness shorter than four weeks (`fee_illness_short`, 28 days), a reduction of the same kind for the
   * child that overlaps (`fee_reduction_overlap`), an end before the start (`end_before_start`).
   */
  'fee.reductionAdd': def({
    input: z
      .object({
        childId: uuid,
        kind: z.enum(FEE_REDUCTION_KINDS),
        validFrom: isoDate,
        validTo: isoDate.optional(),
        note: z.string().trim().max(500).optional(),
      })
      .strict(),
    output: writeResult,
    permission: 'fee.write',
    errors: ['validation', 'not_found', 'forbidden', 'rule_violation', 'unavailable'],
    personal: true,
    writes: true,
  }),
  /** Changes a reduction's last day (ends it earlier, or later), with the same rules as when it was added. */
  'fee.reductionEnd': def({
    input: z.object({ id: uuid, version: int, validTo: isoDate }).strict(),
    output: writeResult,
    permission: 'fee.write',
    errors: ['validation', 'not_found', 'forbidden', 'rule_violation', 'conflict', 'unavailable'],
    personal: true,
    writes: true,
  }),
  /** Removes a reduction recorded by mistake (kept as removed: sync and the history need it). */
  'fee.reductionRemove': def({
    input: z.object({ id: uuid, version: int }).strict(),
    output: writeResult,
    permission: 'fee.write',
    errors: ['validation', 'not_found', 'forbidden', 'conflict', 'unavailable'],
    personal: true,
    writes: true,
  }),
} as const satisfies Record<string, MethodDef>;
