/**
 * Fee rules as dated configuration (issue 12; docs/domain §6): every figure an administrator maintains, never
 * a constant in the calculation. A rule set covers a range of months; the calculation picks the one in force
 * for the month it charges, so a reform (Sweden, 1 July 2026: the first 10 000 kr of income not counted)
 * applies to the months from its start and never to earlier ones, also when a correction recomputes them.
 *
 * Money is in öre (integer minor units); percentages in basis points (300 = 3 %).
 */
import { z } from 'zod';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM');
const bp = z.number().int().min(0).max(10_000);
const ore = z.number().int().min(0);

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
  })
  .strict();
export type FeeSettings = z.infer<typeof feeSettings>;

const kr = (n: number) => n * 100;
const SE_PERCENT = { preschool: [300, 200, 100], afterschool: [200, 100, 100] };

/**
 * The published figures, shipped as defaults (the administrator edits them; Skolverket's notice each
 * December): ceilings 2023 54 830, 2024 56 250, 2025 59 440; 2026 61 560 (computed from the statutory index,
 * quoted by secondary sources); from July 2026 the first 10 000 kr are not counted (caps förskola
 * 1 547 / 1 031 / 516, fritidshem 1 031 / 516 / 516; Skolverket called them preliminary).
 */
export const DEFAULT_SE_RULE_SETS: SeRuleSet[] = [
  { id: 'se-maxtaxa-2023', name: 'Maxtaxa 2023', country: 'SE', validFrom: '2023-01', validTo: '2023-12', ceiling: kr(54_830), incomeFloor: 0, percent: SE_PERCENT, source: 'Skolverket, inkomsttak 2023' },
  { id: 'se-maxtaxa-2024', name: 'Maxtaxa 2024', country: 'SE', validFrom: '2024-01', validTo: '2024-12', ceiling: kr(56_250), incomeFloor: 0, percent: SE_PERCENT, source: 'Skolverket, inkomsttak 2024' },
  { id: 'se-maxtaxa-2025', name: 'Maxtaxa 2025', country: 'SE', validFrom: '2025-01', validTo: '2025-12', ceiling: kr(59_440), incomeFloor: 0, percent: SE_PERCENT, source: 'Skolverket, inkomsttak 2025' },
  {
    id: 'se-maxtaxa-2026-h1',
    name: 'Maxtaxa 2026, januari–juni',
    country: 'SE',
    validFrom: '2026-01',
    validTo: '2026-06',
    ceiling: kr(61_560),
    incomeFloor: 0,
    percent: SE_PERCENT,
    source: 'Inkomsttak 2026 beräknat enligt indexregeln (sekundära källor); kontrollera mot Skolverkets besked',
  },
  {
    id: 'se-maxtaxa-2026-h2',
    name: 'Maxtaxa från 1 juli 2026 (inkomstgolv 10 000 kr)',
    country: 'SE',
    validFrom: '2026-07',
    validTo: null,
    ceiling: kr(61_560),
    incomeFloor: kr(10_000),
    percent: SE_PERCENT,
    source: 'Reformen 1 juli 2026: de första 10 000 kr räknas inte; Skolverkets preliminära belopp',
  },
];

export const DEFAULT_FEE_SETTINGS: FeeSettings = { dayCount: 'thirty', freeStartDays: 0, rounding: 'krona', sharedResidence: 'each_capped_together', local: [] };

/** The rule set in force in `m` (YYYY-MM): the latest starting at or before it and not ended before it. */
export function ruleSetFor<T extends { validFrom: string; validTo: string | null }>(sets: readonly T[], m: string): T | null {
  let best: T | null = null;
  for (const s of sets) {
    if (s.validFrom > m || (s.validTo !== null && s.validTo < m)) continue;
    if (!best || s.validFrom > best.validFrom) best = s;
  }
  return best;
}

/** Rule sets whose months overlap: refused when saved (a month has one rule set; an open end runs until the next start). */
export function overlappingRuleSets(sets: readonly { id: string; validFrom: string; validTo: string | null }[]): [string, string][] {
  const out: [string, string][] = [];
  const sorted = [...sets].sort((a, b) => a.validFrom.localeCompare(b.validFrom));
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (prev.validFrom === cur.validFrom || (prev.validTo !== null && prev.validTo >= cur.validFrom)) out.push([prev.id, cur.id]);
  }
  return out;
}
