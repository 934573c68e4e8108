/**
 * A Norwegian line's explanation in words (SFO/AKS, barnehage): hand-made explanations as the core stores
 * them (`country: 'NO'`), rendered with the catalogs' own texts in bokmål (and every language for the
 * untranslated check). The Swedish rendering is fees.test.ts's.
 */
import { describe, expect, it } from 'vitest';
import { catalogs, LANGUAGES, type Lang } from '../../../shared/i18n';
import type { FeeExplanation } from './domain';
import { explainText, explanationGroups, EXPLAIN_VALUE_KEYS, formatG, isNoLineExplanation, NO_REDUCTION_KINDS, NO_STEPS, type ExplainGroup, type NoLineExplanation } from './fees';
import { catalogText } from './catalog-text';

const tFor = catalogText;
const has = (id: string) => Object.prototype.hasOwnProperty.call(catalogs.sv, id);
const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

/** Every row of the groups as "label | value | (note) | [item]" in a language, spaces made plain. */
function rendered(groups: ExplainGroup[], lang: Lang): Record<string, string> {
  const t = tFor(lang);
  const out: Record<string, string> = {};
  for (const g of groups) {
    for (const r of g.rows) {
      out[r.id] = nbsp([explainText(r.label, t), explainText(r.value, t), r.note ? `(${explainText(r.note, t)})` : '', ...(r.items ?? []).map((i) => `[${explainText(i, t)}]`)].filter(Boolean).join(' | '));
    }
  }
  return out;
}

const RULE_SET = { id: 'no-2026-08', name: 'SFO/AKS og barnehage fra august 2026', validFrom: '2026-08', validTo: null, source: 'Oslo kommunes prisregler' };
const G = 13_016_000;

/**
 * SFO, 2. trinn, 15 hours a week (a full-time place), income 25 000 kr a month = 300 000 kr a year
 * (2,304 G): band 2 (up to 4 G) 2 400 kr; 12 free hours a week reduce it by 600 kr to 1 800 kr; the
 * national rule granted: at most 6 % of 300 000 kr over 11 months = 1 636,36 kr; 30 of 30 days, whole kroner.
 */
const SFO: NoLineExplanation = {
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
 * Barnehage, the older of two children in barnehage (rank 2), income 10 000 kr a month = 120 000 kr a year:
 * the maximum price 1 200 kr; the sibling discount 30 % → 840 kr; the income cap 6 % over 11 months =
 * 654,54 kr; 20 free core hours of 41 → 335,26 kr; 30 of 30 days, whole kroner 335 kr; the invoice split
 * half and half between the two guardians: 167,50 kr.
 */
const BHG: NoLineExplanation = {
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

/**
 * SFO, 5. trinn, 10 hours a week (a part-time place), income not declared (the highest band, part-time
 * 2 000 kr); ten days of documented illness in October: 21 of 31 days charged, kept in øre.
 */
const ILL: NoLineExplanation = {
  ...SFO,
  income: { monthly: null, yearly: null, g: G, inGThousandths: null, source: 'not_declared', from: null, declarationId: null },
  adults: ['x1'],
  grade: 5,
  weeklyHours: 10,
  reductions: [{ id: 'r2', kind: 'illness', from: '2026-10-05', to: '2026-10-14' }],
  steps: [{ rule: 'band', amount: 200_000, band: { index: 2, upToGThousandths: null, part: true } }],
  full: 200_000,
  days: { charged: 21, ofMonth: 31, mode: 'actual', freeStartDays: 3, illness: 10 },
  rounding: 'ore',
  amount: 135_484,
};

/** July: no fee; the national rule granted from August without an end. */
const JULY: NoLineExplanation = {
  ...SFO,
  grade: 3,
  reductions: [{ id: 'r3', kind: 'national_rule', from: '2026-08-01', to: null }],
  steps: [{ rule: 'free_month', amount: 0 }],
  full: 0,
  days: { charged: 31, ofMonth: 31, mode: 'actual', freeStartDays: 0, illness: 0 },
  amount: 0,
};

const names: Record<string, string> = { g1: 'Kari Nordmann', g2: 'Ola Nordmann', c2: 'Emma Nordmann' };
const ctx = { lang: 'nb' as const, currency: 'NOK' as const, nameOf: (id: string) => names[id] ?? null, childId: 'c2' };

describe('a Norwegian line’s explanation in words', () => {
  it('tells a Norwegian explanation from a Swedish one by its country', () => {
    expect(isNoLineExplanation(SFO)).toBe(true);
    const { country: _country, ...rest } = SFO;
    void _country;
    expect(isNoLineExplanation(rest as unknown as FeeExplanation)).toBe(false);
    expect(formatG(3_250, 'nb')).toBe('3,25');
    expect(formatG(4_001, 'nb')).toBe('4,001');
    expect(formatG(4_000, 'en')).toBe('4');
  });

  it('SFO: rule set, income a month, a year and in G, adults, grade and hours and place type, the national-rule grant; band, free hours, national cap; days; whole kroner', () => {
    const groups = explanationGroups(SFO, ctx);
    expect(groups.map((g) => g.id)).toEqual(['basis', 'calculation', 'result']);
    expect(groups[0]!.rows.map((r) => r.id)).toEqual(['ruleSet', 'ruleSource', 'income', 'incomeYearly', 'incomeG', 'adults', 'place', 'reductions']);
    expect(groups[1]!.rows.map((r) => r.id)).toEqual(['step-band', 'step-free_hours', 'step-national_cap', 'full', 'days']);
    const r = rendered(groups, 'nb');
    expect(r.ruleSet).toBe('Regelsett | SFO/AKS og barnehage fra august 2026 | (Gjelder fra august 2026 inntil videre)');
    expect(r.ruleSource).toBe('Kilde | Oslo kommunes prisregler');
    expect(r.income).toBe('Husstandens inntekt | 25 000,00 kr per måned | (Oppgitt, gjelder fra 01.08.2026)');
    expect(r.incomeYearly).toBe('Inntekt per år | 300 000,00 kr | (Månedsinntekten × 12)');
    expect(r.incomeG).toBe('Inntekt i G | 2,304 G | (G (grunnbeløpet i folketrygden) er 130 160,00 kr)');
    expect(r.adults).toBe('Voksne som har inntekten regnet med | 2: Kari Nordmann; Ola Nordmann');
    expect(r.place).toBe('Plass | SFO/AKS, 2. trinn | (15 timer i uka, heltidsplass)');
    expect(r.reductions).toBe('Vedtak om redusert betaling | 1 vedtak | [Nasjonal ordning for redusert foreldrebetaling: 01.08.2026 – 31.07.2027]');
    expect(r['step-band']).toBe('Inntektsgruppe | 2 400,00 kr per måned | (Gruppe 2: opptil 4 G, heltidsplass)');
    expect(r['step-free_hours']).toBe('Gratis timer | 1 800,00 kr per måned | (12 gratis timer i uka)');
    expect(r['step-national_cap']).toBe('Nasjonal ordning | 1 636,36 kr per måned | (Høyst 6 % av inntekten = 1 636,36 kr per måned)');
    expect(r.full).toBe('Betaling for hel måned | 1 636,36 kr | (Etter stegene over, før dagene)');
    expect(r.days).toBe('Dager | 30 av 30 dager | (30-dagers måned)');
    expect(r.rounding).toBe('Avrunding | Hele kroner (50 øre rundes opp)');
    expect(r.amount).toBe('Beløp | 1 636,00 kr');
    expect(groups[2]!.rows.find((x) => x.id === 'amount')!.strong).toBe(true);
    // No rank in SFO/AKS (no sibling discount), nothing of the maxtaxa's figures, no shared residence or split.
    for (const id of ['rank', 'percent', 'ceiling', 'incomeFloor', 'feeBase', 'cap', 'incomeUsed', 'local', 'shared', 'split']) expect(Object.keys(r), id).not.toContain(id);
    // The reductions are a list without an order of its own.
    expect(groups[0]!.rows.find((x) => x.id === 'reductions')!.unordered).toBe(true);
  });

  it('barnehage: the rank among the barnehage children with the children ranked; maximum price, sibling discount, income cap, free core hours; the split', () => {
    const r = rendered(explanationGroups(BHG, ctx), 'nb');
    expect(r.income).toBe('Husstandens inntekt | 10 000,00 kr per måned | (Oppgitt)');
    expect(r.incomeG).toBe('Inntekt i G | 0,921 G | (G (grunnbeløpet i folketrygden) er 130 160,00 kr)');
    expect(r.place).toBe('Plass | Barnehage | (41 timer i uka)');
    expect(r.rank).toBe(
      'Søskenplass | Barn 2 av 2 | (Det yngste barnet i barnehage er barn 1; søskenmoderasjon gis fra barn 2.) | [Barn 1: født 01.05.2024, barnehage] | [Barn 2: Emma Nordmann, født 10.02.2023, barnehage (dette barnet)]',
    );
    expect(r.reductions).toBe('Vedtak om redusert betaling | Ingen');
    expect(r['step-max_price']).toBe('Maksimalpris | 1 200,00 kr per måned | (Maksimalprisen for en barnehageplass)');
    expect(r['step-sibling']).toBe('Søskenmoderasjon | 840,00 kr per måned | (Søskenmoderasjon 30 % (barn 2))');
    expect(r['step-income_cap']).toBe('Inntektstak | 654,54 kr per måned | (Inntektstak 6 % av inntekten = 654,54 kr per måned)');
    expect(r['step-free_core_hours']).toBe('Gratis kjernetid | 335,26 kr per måned | (20 gratis kjernetimer i uka)');
    expect(r.full).toBe('Betaling for hel måned | 335,26 kr | (Etter stegene over, før dagene)');
    expect(r.split).toBe('Fordeling på fakturamottakere | Fakturaandel 50 % av 100 % | (Husstandens betaling før fordelingen: 335,00 kr)');
    expect(r.amount).toBe('Beløp | 167,50 kr');
  });

  it('illness: the days of documented illness not charged beside the free start days; an income not declared; the highest band, part-time; øre', () => {
    const r = rendered(explanationGroups(ILL, { ...ctx, nameOf: () => null }), 'nb');
    expect(r.income).toBe('Husstandens inntekt | Ikke oppgitt | (Høyeste sats: ingen inntektsgruppe, inntektstak eller nasjonal ordning)');
    expect(Object.keys(r)).not.toContain('incomeYearly');
    expect(Object.keys(r)).not.toContain('incomeG');
    expect(r.adults).toBe('Voksne som har inntekten regnet med | 1 voksen');
    expect(r.place).toBe('Plass | SFO/AKS, 5. trinn | (10 timer i uka, deltidsplass)');
    expect(r.reductions).toBe('Vedtak om redusert betaling | 1 vedtak | [Sykdom i fire uker eller mer: 05.10.2026 – 14.10.2026]');
    expect(r['step-band']).toBe('Inntektsgruppe | 2 000,00 kr per måned | (Gruppe 3: høyeste inntektsgruppe, deltidsplass)');
    expect(r.days).toBe('Dager | 21 av 31 dager | (månedens faktiske dager; 3 betalingsfrie tilvenningsdager; 10 dager med dokumentert sykdom er ikke regnet med)');
    expect(r.rounding).toBe('Avrunding | Ingen (øre)');
    expect(r.amount).toBe('Beløp | 1 354,84 kr');
    // One day of illness, no free start days.
    const one = rendered(explanationGroups({ ...ILL, days: { ...ILL.days, freeStartDays: 0, illness: 1, charged: 30 } }, ctx), 'nb');
    expect(one.days).toBe('Dager | 30 av 31 dager | (månedens faktiske dager; 1 dag med dokumentert sykdom er ikke regnet med)');
    expect(rendered(explanationGroups(ILL, ctx), 'sv').days).toBe('Dagar | 21 av 31 dagar | (månadens faktiska dagar; 3 avgiftsfria inskolningsdagar; 10 dagar med styrkt sjukdom räknas inte)');
    expect(rendered(explanationGroups(ILL, { ...ctx, lang: 'en' }), 'en').days).toBe('Days | 21 of 31 days | (the month’s actual days; 3 fee-free settling-in days; 10 days of documented illness not charged)');
  });

  it('July: a month without a fee, the grant open-ended; no place type without a band', () => {
    const groups = explanationGroups(JULY, ctx);
    expect(groups[1]!.rows.map((x) => x.id)).toEqual(['step-free_month', 'full', 'days']);
    const r = rendered(groups, 'nb');
    expect(r['step-free_month']).toBe('Betalingsfri måned | 0,00 kr per måned | (Det betales ikke for denne måneden)');
    expect(r.place).toBe('Plass | SFO/AKS, 3. trinn | (15 timer i uka)');
    expect(r.reductions).toBe('Vedtak om redusert betaling | 1 vedtak | [Nasjonal ordning for redusert foreldrebetaling: fra 01.08.2026]');
    expect(r.days).toBe('Dager | 31 av 31 dager | (månedens faktiske dager)');
    expect(r.amount).toBe('Beløp | 0,00 kr');
    // A special-needs place granted free, and a pupil without an enrolment or hours.
    const sn = rendered(
      explanationGroups({ ...JULY, grade: null, weeklyHours: null, reductions: [{ id: 'r4', kind: 'special_needs', from: '2026-08-01', to: null }], steps: [{ rule: 'special_needs', amount: 0 }] }, ctx),
      'nb',
    );
    expect(sn['step-special_needs']).toBe('Gratis plass (særskilte behov) | 0,00 kr per måned | (Kommunen har vedtatt gratis plass)');
    expect(sn.place).toBe('Plass | SFO/AKS, trinn ukjent (ingen innskriving i skolen funnet) | (Timer i uka ikke oppgitt)');
  });

  it('a correction and shared residence read as on a Swedish line, in NOK whatever the session’s currency', () => {
    const e: NoLineExplanation = {
      ...SFO,
      amount: -30_000,
      shared: { mode: 'each_half', households: 2, shareBp: 5_000, before: 163_600, limit: null },
      correction: { month: '2026-09', was: 193_600, now: 163_600, lines: ['0123abcd-0000-4000-8000-000000000001'] },
    };
    const groups = explanationGroups(e, { ...ctx, currency: 'SEK' });
    expect(groups.map((g) => g.id)).toEqual(['correction', 'basis', 'calculation', 'result']);
    const r = rendered(groups, 'nb');
    expect(r.correctedMonth).toBe('Korrigerer måned | september 2026');
    expect(r.was).toBe('Fakturert tidligere | 1 936,00 kr');
    expect(r.difference).toBe('Differanse | −300,00 kr');
    expect(r.correctedLines).toBe('Korrigerte linjer | 1 linje | [Linje 0123abcd]');
    expect(r.shared).toBe('Delt bosted | Husstandens del: 50 % av 1 636,00 kr (2 husstander) | (hver husstand betaler halvparten på egen inntekt)');
    // English money names the currency: NOK, not SEK.
    expect(rendered(explanationGroups(e, { ...ctx, lang: 'en', currency: 'SEK' }), 'en').amount).toBe('Amount | -NOK 300.00');
  });

  it('an income from the yearly income check says so', () => {
    const e: NoLineExplanation = { ...SFO, income: { ...SFO.income, source: 'income_check', check: { year: 2026, declared: 2_000_000, taxed: 30_000_000 } } };
    expect(rendered(explanationGroups(e, ctx), 'nb').income).toBe('Husstandens inntekt | 25 000,00 kr per måned | (Inntektskontroll 2026: skattepliktig inntekt 300 000,00 kr / 12 (oppgitt 20 000,00 kr i måneden))');
  });

  it('reads in every language with nothing left untranslated', () => {
    const all: NoLineExplanation[] = [SFO, BHG, ILL, JULY, { ...BHG, weeklyHours: null }, { ...SFO, weeklyHours: null }];
    for (const lang of LANGUAGES) {
      for (const e of all) {
        const text = Object.values(rendered(explanationGroups(e, { ...ctx, lang }), lang)).join('\n');
        expect(text, lang).not.toMatch(/\{\{|fees\./);
      }
    }
  });

  it('has a message for every step, step note, reduction kind and form', () => {
    const want = [
      ...NO_STEPS.flatMap((s) => [`fees.no.step.${s}`, `fees.no.stepNote.${s}`]),
      'fees.no.stepNote.bandTop',
      ...NO_REDUCTION_KINDS.map((k) => `fees.no.reduction.${k}`),
      ...[...EXPLAIN_VALUE_KEYS],
    ];
    expect(want.filter((id) => !has(id))).toEqual([]);
  });
});

describe('a run\'s per-rule totals', () => {
  it('names the Norwegian steps in the user\'s language and keeps the administrator\'s names', async () => {
    const { ruleTotalLabel } = await import('./fees');
    const nb = (k: string) => ({ 'fees.no.step.national_cap': 'Nasjonal ordning', 'fees.no.reduction.illness': 'Sykdom i fire uker eller mer' })[k] ?? `?${k}`;
    expect(ruleTotalLabel({ id: 'no:national_cap', label: 'National rule: at most 6 % of income' }, nb as never)).toBe('Nasjonal ordning');
    expect(ruleTotalLabel({ id: 'no:illness', label: 'Illness of four weeks or more' }, nb as never)).toBe('Sykdom i fire uker eller mer');
    expect(ruleTotalLabel({ id: 'no-2026-08', label: 'SFO/AKS og barnehage fra august 2026' }, nb as never)).toBe('SFO/AKS og barnehage fra august 2026');
    expect(ruleTotalLabel({ id: 'local:low', label: 'Ingen avgift under 10 000 kr' }, nb as never)).toBe('Ingen avgift under 10 000 kr');
  });
});
