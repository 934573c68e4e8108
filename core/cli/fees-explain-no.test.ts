/**
 * `kansli fees explain` for a Norwegian line (main.ts noExplainLines): the rule set and G, the income a
 * month, a year and in G, the place, the reductions granted, each step with the fee after it, the whole
 * month, the days with the illness days not charged, the split, rounding. Hand-made explanations.
 */
import { describe, expect, it } from 'vitest';
import { NO_BHG, NO_ILL, NO_SFO } from '../fees/no-explanation.fixtures';
import { noExplainLines } from './main';

const kr = (ore: number) => `${(ore / 100).toFixed(2)} kr`;

describe('kansli fees explain, a Norwegian line', () => {
  it('SFO: band, free hours, national rule', () => {
    expect(noExplainLines(NO_SFO, kr)).toEqual([
      'rule set SFO/AKS og barnehage fra august 2026 (2026-08–); G 130160.00 kr a year',
      'income 25000.00 kr a month from 2026-08-01; 300000.00 kr a year = 2.304 G',
      'SFO/AKS, grade 2, 15 hours a week, full-time place',
      'reduction national rule 2026-08-01–2027-07-31',
      'step band: band 2, up to 4 G, full-time place → 2400.00 kr',
      'step free_hours: 12 free hours a week → 1800.00 kr',
      'step national_cap: national rule: at most 6 % of income = 1636.36 kr a month → 1636.36 kr',
      'month 1636.36 kr',
      '30 of 30 days (thirty); rounded to whole kroner',
    ]);
  });

  it('barnehage: maximum price, sibling discount, income cap, free core hours, the split', () => {
    expect(noExplainLines(NO_BHG, kr)).toEqual([
      'rule set SFO/AKS og barnehage fra august 2026 (2026-08–); G 130160.00 kr a year',
      'income 10000.00 kr a month; 120000.00 kr a year = 0.921 G',
      'barnehage, 41 hours a week; child 2 of 2 in barnehage (youngest first)',
      'step max_price: maximum price → 1200.00 kr',
      'step sibling: sibling discount 30 % → 840.00 kr',
      'step income_cap: income cap 6 % = 654.54 kr a month → 654.54 kr',
      'step free_core_hours: 20 free core hours a week → 335.26 kr',
      'month 335.26 kr',
      '30 of 30 days (thirty); rounded to whole kroner',
      'invoice share 50 of 100 (335.00 kr)',
    ]);
  });

  it('illness days not charged; an income not declared; the highest band, part-time', () => {
    const lines = noExplainLines(NO_ILL, kr);
    expect(lines[1]).toBe('income not declared (the highest band; no income cap, no national rule)');
    expect(lines[2]).toBe('SFO/AKS, grade 5, 10 hours a week, part-time place');
    expect(lines[3]).toBe('reduction illness 2026-10-05–2026-10-14');
    expect(lines[4]).toBe('step band: band 3, the highest, part-time place → 2000.00 kr');
    expect(lines.at(-1)).toBe('21 of 31 days (actual), 10 days of documented illness not charged; rounded to øre');
  });
});
