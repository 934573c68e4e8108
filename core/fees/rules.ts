/**
 * Fee rules as dated configuration (issue 12; docs/domain §6): every figure an administrator maintains, never
 * a constant in the calculation. A rule set covers a range of months; the calculation picks the one in force
 * for the month it charges, so a reform (Sweden, 1 July 2026: the first 10 000 kr of income not counted)
 * applies to the months from its start and never to earlier ones, also when a correction recomputes them.
 *
 * Money is in öre (integer minor units); percentages in basis points (300 = 3 %).
 */

import { DEFAULT_CSV_LAYOUTS } from '../../shared/api/fee-export';
import { feeSettings, localRule, seRuleSet, type FeeSettings, type LocalRule, type SeRuleSet } from '../../shared/api/fees';

export { feeSettings, localRule, seRuleSet, type FeeSettings, type LocalRule, type SeRuleSet };

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

export const DEFAULT_FEE_SETTINGS: FeeSettings = { dayCount: 'thirty', freeStartDays: 0, rounding: 'krona', sharedResidence: 'each_capped_together', local: [], paymentTermsDays: 30, incomeCheckThreshold: 100_000, correctionMonths: 24, invoicing: null, csvLayouts: [...DEFAULT_CSV_LAYOUTS] };

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
