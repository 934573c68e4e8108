/**
 * The export's one-sentence explanation of a line (export-run.ts explanationSentence): a Norwegian line's
 * place, income in G and steps, in bokmål and Swedish; a Swedish line as before; both as the export parses
 * them from the stored line (lineExplanation).
 */
import { describe, expect, it } from 'vitest';
import { isNoExplanation, lineExplanation, type FeeExplanationView } from '../../shared/api/fees';
import { explanationSentence } from './export-run';
import { NO_BHG, NO_ILL, NO_JULY, NO_SFO } from './no-explanation.fixtures';

const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const HEAD = 'SFO/AKS og barnehage fra august 2026 (2026-08–)';

/** A first child in preschool, income declared: 3 % of (40 000 − 10 000) = 900 kr, 30 of 30 days. */
const SE: FeeExplanationView = {
  ruleSet: { id: 'se-maxtaxa-2026-h2', name: 'Maxtaxa från 1 juli 2026', validFrom: '2026-07', validTo: null, source: 'Skolverket' },
  income: { monthly: 4_000_000, used: 4_000_000, source: 'declared', from: '2026-12-01', declarationId: 'd1' },
  adults: ['g1', 'g2'],
  rank: 1,
  ranked: [
    { personId: 'c1', birthDate: '2022-03-04', family: 'preschool' },
    { personId: 'c2', birthDate: '2018-05-06', family: 'afterschool' },
  ],
  family: 'preschool',
  percentBp: 300,
  ceiling: 5_830_000,
  incomeFloor: 1_000_000,
  feeBase: 3_000_000,
  cap: 144_900,
  full: 90_000,
  local: [{ id: 'allman', label: 'Allmän förskola', effect: 'reduce', before: 90_000, after: 60_000 }],
  days: { charged: 30, ofMonth: 30, mode: 'thirty', freeStartDays: 0 },
  rounding: 'krona',
  amount: 60_000,
  householdId: 'h1',
  shared: null,
  split: null,
};

describe('a line explained in one sentence for the export', () => {
  it('parses a stored Norwegian and a Swedish explanation alike (lineExplanation) and tells them apart', () => {
    for (const e of [NO_SFO, NO_BHG, NO_ILL, NO_JULY]) {
      const parsed = lineExplanation.parse(JSON.parse(JSON.stringify(e)));
      expect(isNoExplanation(parsed)).toBe(true);
      expect(parsed).toEqual(e);
    }
    const se = lineExplanation.parse(JSON.parse(JSON.stringify(SE)));
    expect(isNoExplanation(se)).toBe(false);
    expect(se).toEqual(SE);
  });

  it('SFO: full-time place and grade, income in G and a year, the band, the free hours, the national rule, the days', () => {
    expect(nbsp(explanationSentence(NO_SFO, 'nb'))).toBe(
      `${HEAD}; SFO heltid, 2. trinn, inntekt 2,304 G (300 000,00 kr/år) fra 2026-08-01: sats 2 400,00 kr (opptil 4 G); 12 gratis timer: 1 800,00 kr; nasjonal ordning maks 6 %: 1 636,36 kr; 30 av 30 dager: 1 636,00 kr`,
    );
    expect(nbsp(explanationSentence(NO_SFO, 'sv'))).toBe(
      `${HEAD}; SFO heltid, årskurs 2, inkomst 2,304 G (300 000,00 kr/år) från 2026-08-01: avgift 2 400,00 kr (upp till 4 G); 12 avgiftsfria timmar: 1 800,00 kr; nationell ordning max 6 %: 1 636,36 kr; 30 av 30 dagar: 1 636,00 kr`,
    );
  });

  it('barnehage: the rank, the maximum price, the sibling discount, the income cap, free core hours, the split', () => {
    expect(nbsp(explanationSentence(NO_BHG, 'nb'))).toBe(
      `${HEAD}; barnehage, barn 2 av 2, inntekt 0,921 G (120 000,00 kr/år): maksimalpris 1 200,00 kr; søskenmoderasjon 30 %: 840,00 kr; inntektstak 6 %: 654,54 kr; 20 gratis kjernetimer: 335,26 kr; 30 av 30 dager; fakturaandel 50 av 100 (335,00 kr): 167,50 kr`,
    );
    expect(nbsp(explanationSentence(NO_BHG, 'sv'))).toBe(
      `${HEAD}; barnehage, barn 2 av 2, inkomst 0,921 G (120 000,00 kr/år): maxpris 1 200,00 kr; syskonrabatt 30 %: 840,00 kr; inkomsttak 6 %: 654,54 kr; 20 avgiftsfria kärntimmar: 335,26 kr; 30 av 30 dagar; fakturaandel 50 av 100 (335,00 kr): 167,50 kr`,
    );
  });

  it('illness days not charged, an income not declared, the highest band part-time; a free July; a correction; shared residence', () => {
    expect(nbsp(explanationSentence(NO_ILL, 'nb'))).toBe(
      `${HEAD}; SFO deltid, 5. trinn, inntekt ikke oppgitt (høyeste sats): sats 2 000,00 kr (høyeste gruppe); 21 av 31 dager (10 sykedager ikke fakturert): 1 354,84 kr`,
    );
    expect(nbsp(explanationSentence(NO_ILL, 'sv'))).toBe(
      `${HEAD}; SFO deltid, årskurs 5, inkomst ej anmäld (högsta avgift): avgift 2 000,00 kr (högsta gruppen); 21 av 31 dagar (10 sjukdagar ej debiterade): 1 354,84 kr`,
    );
    expect(nbsp(explanationSentence(NO_JULY, 'nb'))).toBe(`${HEAD}; SFO, 3. trinn, inntekt 2,304 G (300 000,00 kr/år) fra 2026-08-01: betalingsfri måned; 31 av 31 dager: 0,00 kr`);
    const corrected = { ...NO_SFO, amount: -30_000, correction: { month: '2026-09', was: 193_600, now: 163_600, lines: ['x'] } };
    expect(nbsp(explanationSentence(corrected, 'nb'))).toMatch(/^Korrigering av 2026-09: fakturert 1 936,00 kr, skal være 1 636,00 kr\. SFO\/AKS og barnehage .*; 30 av 30 dager: -300,00 kr$/);
    const shared = { ...NO_SFO, shared: { mode: 'each_half' as const, households: 2, shareBp: 5_000, before: 163_600, limit: null }, amount: 81_800 };
    expect(nbsp(explanationSentence(shared, 'nb'))).toMatch(/; 30 av 30 dager; delt bosted: 50 % av 1 636,00 kr: 818,00 kr$/);
    const checked = { ...NO_SFO, income: { ...NO_SFO.income, source: 'income_check' as const, check: { year: 2026, declared: 2_000_000, taxed: 30_000_000 } } };
    expect(nbsp(explanationSentence(checked, 'nb'))).toContain('inntekt 2,304 G (300 000,00 kr/år) etter inntektskontroll 2026 (skattet 300 000,00 kr / 12; oppgitt 20 000,00 kr):');
  });

  it('a Swedish line reads as before', () => {
    expect(nbsp(explanationSentence(SE, 'sv'))).toBe(
      'Maxtaxa från 1 juli 2026 (2026-07–); inkomst 40 000,00 kr från 2026-12-01; avgiftsgrund 30 000,00 kr; barn 1 av 2, förskola 3 %, tak 1 449,00 kr; Allmän förskola: 900,00 kr → 600,00 kr; 30 av 30 dagar: 600,00 kr',
    );
    const c = { ...SE, split: { invoiceShare: 1, sharesTotal: 2, before: 60_000 }, amount: 30_000, correction: { month: '2026-09', was: 90_000, now: 60_000, lines: ['x'] } };
    expect(nbsp(explanationSentence(c, 'sv'))).toBe(
      'Rättelse av 2026-09: debiterat 900,00 kr, ska vara 600,00 kr. Maxtaxa från 1 juli 2026 (2026-07–); inkomst 40 000,00 kr från 2026-12-01; avgiftsgrund 30 000,00 kr; barn 1 av 2, förskola 3 %, tak 1 449,00 kr; Allmän förskola: 900,00 kr → 600,00 kr; 30 av 30 dagar; fakturaandel 1 av 2 (600,00 kr): 300,00 kr',
    );
  });
});
