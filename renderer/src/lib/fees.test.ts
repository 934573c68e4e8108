import { describe, expect, it } from 'vitest';
import { catalogs, LANGUAGES, type Lang } from '../../../shared/i18n';
import type { FeeExplanation } from './domain';
import { EXPLAIN_WARNINGS, FEE_RUN_KINDS, FEE_RUN_STATES, FEE_EXPORT_FORMATS, INCOME_SOURCES } from './domain';
import {
  addHouseholdPeople,
  emptyIncome,
  explainText,
  explanationGroups,
  EXPLAIN_VALUE_KEYS,
  feeErrorMsg,
  FEE_RULES,
  incomeField,
  isStale,
  LINE_FILTERS,
  linesInput,
  mapFeeError,
  moneyInputText,
  newRunDefaults,
  parseMoney,
  runActions,
  runMonths,
  toIncomeInput,
  validateIncome,
  wasCancelled,
  type ExplainGroup,
} from './fees';
import { catalogText } from './catalog-text';

const tFor = catalogText;
const has = (id: string) => Object.prototype.hasOwnProperty.call(catalogs.sv, id);

/** A first child in preschool, income declared: 3 % of (40 000 − 10 000) = 900 kr, 30 of 30 days. */
const EXPLANATION: FeeExplanation = {
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
  local: [],
  days: { charged: 30, ofMonth: 30, mode: 'thirty', freeStartDays: 0 },
  rounding: 'krona',
  amount: 90_000,
  householdId: 'h1',
  shared: null,
  split: null,
};

const names: Record<string, string> = { g1: 'Anna Ek', g2: 'Per Ek', c1: 'Lo Ek' };
const ctx = { lang: 'sv' as const, currency: 'SEK' as const, nameOf: (id: string) => names[id] ?? null, childId: 'c1' };

/** Every row of the groups as "label: value (note)" in a language. */
function rendered(groups: ExplainGroup[], lang: Lang): Record<string, string> {
  const t = tFor(lang);
  const out: Record<string, string> = {};
  for (const g of groups) {
    for (const r of g.rows) {
      out[r.id] = [explainText(r.label, t), explainText(r.value, t), r.note ? `(${explainText(r.note, t)})` : '', ...(r.items ?? []).map((i) => `[${explainText(i, t)}]`)].filter(Boolean).join(' | ');
    }
  }
  return out;
}
const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('money typed by a person', () => {
  it('reads kronor in the forms offices write them, to whole öre without floating point', () => {
    expect(parseMoney('40000')).toBe(4_000_000);
    expect(parseMoney(' 40 000 ')).toBe(4_000_000);
    expect(parseMoney('40\u00a0000,50')).toBe(4_000_050);
    expect(parseMoney('40000.5')).toBe(4_000_050);
    expect(parseMoney('40.000')).toBe(4_000_000);
    expect(parseMoney('1.234,56')).toBe(123_456);
    expect(parseMoney('40,000.50')).toBe(4_000_050);
    expect(parseMoney('1 547 kr')).toBe(154_700);
    expect(parseMoney('0,07')).toBe(7);
    expect(parseMoney('-100')).toBe(-10_000);
    expect(parseMoney('')).toBeNull();
    expect(parseMoney('   ')).toBeNull();
  });

  it('refuses what is not an amount', () => {
    for (const s of ['abc', '12,', '1,2,3', '40,00,00', '1,234,56', '12.345,678', '4e5', '1.2.3,45', '—']) expect(parseMoney(s), s).toBe('invalid');
  });

  it('writes öre back as a person would type them', () => {
    expect(moneyInputText(4_000_000, 'sv')).toBe('40000');
    expect(moneyInputText(4_000_050, 'sv')).toBe('40000,50');
    expect(moneyInputText(4_000_005, 'en')).toBe('40000.05');
    expect(parseMoney(moneyInputText(123_456, 'nb'))).toBe(123_456);
  });
});

describe('the income form', () => {
  it('starts on the first of next month, declared', () => {
    expect(emptyIncome('2026-11-23')).toEqual({ validFrom: '2026-12-01', amount: '', notDeclared: false, source: 'declared', note: '' });
    expect(emptyIncome('2026-12-31').validFrom).toBe('2027-01-01');
  });

  it('names each field that is wrong, and needs no amount when the income is not declared', () => {
    const v = { ...emptyIncome('2026-11-23') };
    expect(validateIncome(v)).toEqual({ amount: { key: 'fees.income.amountRequired' } });
    expect(validateIncome({ ...v, amount: '4O 000', validFrom: '' })).toEqual({ amount: { key: 'fees.income.amountInvalid' }, validFrom: { key: 'validation.required' } });
    expect(validateIncome({ ...v, amount: '-5' })).toEqual({ amount: { key: 'fees.income.amountNegative' } });
    expect(validateIncome({ ...v, amount: '10 000 001' })).toEqual({ amount: { key: 'fees.income.amountTooLarge' } });
    expect(validateIncome({ ...v, validFrom: '2026-02-30', amount: '1' })).toEqual({ validFrom: { key: 'validation.date_invalid' } });
    expect(validateIncome({ ...v, notDeclared: true })).toEqual({});
    expect(validateIncome({ ...v, amount: '1', note: 'x'.repeat(501) })).toEqual({ note: { key: 'validation.too_long' } });
  });

  it('sends öre, or no amount with the source "not declared"', () => {
    const v = { ...emptyIncome('2026-11-23'), amount: '42 500,50', source: 'income_check' as const, note: '  kontroll 2025  ' };
    expect(toIncomeInput('h1', v)).toEqual({ householdId: 'h1', validFrom: '2026-12-01', monthlyIncome: 4_250_050, source: 'income_check', note: 'kontroll 2025' });
    expect(toIncomeInput('h1', { ...v, notDeclared: true, note: '' })).toEqual({ householdId: 'h1', validFrom: '2026-12-01', monthlyIncome: null, source: 'not_declared' });
  });

  it('puts the core’s refusal on the field it names, the fee rules in their own words', () => {
    expect(mapFeeError({ code: 'validation', message: 'x', issues: [{ field: 'monthlyIncome', code: 'custom', message: 'x' }] }, incomeField).fields).toHaveProperty('amount');
    expect(mapFeeError({ code: 'rule_violation', message: 'x', rule: 'fee_run_exists', field: 'month' }, (p) => (p === 'month' ? 'month' : null))).toEqual({ fields: { month: { key: 'fees.rule.fee_run_exists' } }, top: [] });
    expect(feeErrorMsg({ code: 'rule_violation', message: 'x', rule: 'fee_preview_stale', field: 'id' })).toEqual({ key: 'fees.rule.fee_preview_stale' });
    expect(feeErrorMsg({ code: 'forbidden', message: 'x' })).toEqual({ key: 'error.forbidden' });
  });
});

describe('a fee run', () => {
  it('starts next month, a regular run; offers two years back and half a year ahead', () => {
    expect(newRunDefaults('2026-11-23')).toEqual({ month: '2026-12', kind: 'regular' });
    expect(newRunDefaults('2026-12-01').month).toBe('2027-01');
    const months = runMonths('2026-11-23');
    expect(months[0]).toBe('2027-05');
    expect(months).toContain('2026-12');
    expect(months[months.length - 1]).toBe('2024-11');
    expect(months).toHaveLength(31);
  });

  it('offers each action only in the state it belongs to, and none without fee.write', () => {
    const by = (state: (typeof FEE_RUN_STATES)[number]) => runActions({ state }, true);
    expect(by('ready')).toEqual({ lock: true, discard: true, post: false, export: false, recompute: true });
    expect(by('failed')).toEqual({ lock: false, discard: true, post: false, export: false, recompute: true });
    expect(by('locked')).toEqual({ lock: false, discard: false, post: true, export: true, recompute: false });
    expect(by('posted')).toEqual({ lock: false, discard: false, post: false, export: true, recompute: false });
    for (const s of ['computing', 'locking', 'discarded'] as const) expect(Object.values(by(s)).some(Boolean), s).toBe(false);
    for (const s of FEE_RUN_STATES) expect(Object.values(runActions({ state: s }, false)).some(Boolean), s).toBe(false);
  });

  it('tells a preview the lock refused as stale, and a cancelled computation', () => {
    expect(isStale({ state: 'ready', error: 'fee_preview_stale: the register changed' })).toBe(true);
    expect(isStale({ state: 'ready', error: null })).toBe(false);
    expect(isStale({ state: 'failed', error: 'fee_preview_stale: x' })).toBe(false);
    expect(wasCancelled({ state: 'failed', error: 'Cancelled' })).toBe(true);
    expect(wasCancelled({ state: 'failed', error: 'The preview stopped' })).toBe(false);
  });

  it('asks for one kind of line or all', () => {
    expect(linesInput('r', 'all', 0)).toEqual({ id: 'r', offset: 0, limit: 100 });
    expect(linesInput('r', 'correction', 200, 50)).toEqual({ id: 'r', offset: 200, limit: 50, kind: 'correction' });
    expect(LINE_FILTERS).toEqual(['all', 'charge', 'correction']);
  });
});

describe('a line’s explanation in words', () => {
  it('says every figure of a charge: rule set, income and its date, adults, rank, percentage, ceiling, floor, base, cap, days, rounding, amount', () => {
    const groups = explanationGroups(EXPLANATION, ctx);
    expect(groups.map((g) => g.id)).toEqual(['basis', 'calculation', 'result']);
    const r = rendered(groups, 'sv');
    expect(r.ruleSet).toBe('Regeluppsättning | Maxtaxa från 1 juli 2026 | (Gäller från juli 2026 tills vidare)');
    expect(nbsp(r.income!)).toBe('Hushållets inkomst | 40 000,00 kr per månad | (Redovisad, gäller från 2026-12-01)');
    expect(r.adults).toBe('Vuxna vars inkomst räknas | 2: Anna Ek; Per Ek');
    expect(nbsp(r.rank!)).toBe(
      'Syskonplats | Barn 1 av 2 | (Det yngsta barnet är barn 1; förskola och fritidshem räknas tillsammans.) | [Barn 1: Lo Ek, född 2022-03-04, förskola (det här barnet)] | [Barn 2: född 2018-05-06, fritidshem]',
    );
    expect(nbsp(r.percent!)).toBe('Procentsats | 3 % (förskola, barn 1)');
    expect(nbsp(r.ceiling!)).toBe('Inkomsttak | 58 300,00 kr');
    expect(nbsp(r.incomeFloor!)).toBe('Inkomst som inte räknas | 10 000,00 kr');
    expect(nbsp(r.feeBase!)).toContain('30 000,00 kr');
    expect(nbsp(r.cap!)).toContain('1 449,00 kr');
    expect(r.local).toBe('Lokala regler | Ingen lokal regel gäller');
    expect(r.days).toBe('Dagar | 30 av 30 dagar | (30-dagarsmånad)');
    expect(r.rounding).toBe('Avrundning | Hela kronor (50 öre avrundas uppåt)');
    expect(nbsp(r.amount!)).toBe('Belopp | 900,00 kr');
    expect(groups.find((g) => g.id === 'result')!.rows.find((x) => x.id === 'amount')!.strong).toBe(true);
    // Nothing about shared residence, a split or a correction where there is none.
    expect(Object.keys(r)).not.toContain('shared');
    expect(Object.keys(r)).not.toContain('split');
  });

  it('says an income not declared, adults it cannot name, local rules with before and after, free start days, shared residence and the split', () => {
    const e: FeeExplanation = {
      ...EXPLANATION,
      income: { monthly: null, used: 5_830_000, source: 'not_declared', from: null, declarationId: null },
      adults: ['x1'],
      local: [{ id: 'allman', label: 'Allmän förskola', effect: 'reduce', before: 90_000, after: 60_000 }],
      days: { charged: 12, ofMonth: 31, mode: 'actual', freeStartDays: 5 },
      shared: { mode: 'each_capped_together', households: 2, shareBp: 5_000, before: 60_000, limit: 144_900 },
      split: { invoiceShare: 50, sharesTotal: 100, before: 30_000 },
      rounding: 'ore',
      amount: 15_000,
    };
    const r = rendered(explanationGroups(e, { ...ctx, nameOf: () => null }), 'sv');
    expect(nbsp(r.income!)).toBe('Hushållets inkomst | Ej redovisad | (Inkomsttaket används: 58 300,00 kr)');
    expect(r.adults).toBe('Vuxna vars inkomst räknas | 1 vuxen');
    expect(nbsp(r['local-allman']!)).toBe('Lokal regel: Allmän förskola | 900,00 kr → 600,00 kr | (Nedsättning)');
    expect(r.days).toBe('Dagar | 12 av 31 dagar | (månadens faktiska dagar; 5 avgiftsfria inskolningsdagar)');
    expect(nbsp(r.shared!)).toBe('Växelvis boende | Hushållets del: 50 % av 600,00 kr (2 hushåll) | (vart hushåll på egen inkomst, tillsammans högst en maxtaxa; hushållen tillsammans högst 1 449,00 kr)');
    expect(nbsp(r.split!)).toBe('Fördelning på fakturamottagare | Fakturaandel 50 % av 100 % | (Hushållets avgift före fördelningen: 300,00 kr)');
    expect(r.rounding).toBe('Avrundning | Ingen (öre)');
  });

  it('says what a correction corrects: the month, what was charged, what the rules give now, the lines', () => {
    const e: FeeExplanation = { ...EXPLANATION, amount: -30_000, correction: { month: '2026-10', was: 120_000, now: 90_000, lines: ['0123abcd-0000-4000-8000-000000000001'] } };
    const groups = explanationGroups(e, ctx);
    expect(groups[0]!.id).toBe('correction');
    const r = rendered(groups, 'sv');
    expect(r.correctedMonth).toBe('Rättar månad | oktober 2026');
    expect(nbsp(r.was!)).toBe('Debiterat tidigare | 1 200,00 kr');
    expect(nbsp(r.now!)).toBe('Enligt reglerna nu | 900,00 kr');
    expect(nbsp(r.difference!)).toBe('Skillnad | −300,00 kr');
    expect(r.correctedLines).toBe('Rättade rader | 1 rad | [Rad 0123abcd]');
  });

  it('reads in every language with nothing left untranslated', () => {
    const e: FeeExplanation = {
      ...EXPLANATION,
      local: [{ id: 'l', label: 'L', effect: 'free', before: 1, after: 0 }],
      shared: { mode: 'declared_split', households: 2, shareBp: 4_000, before: 1, limit: null },
      split: { invoiceShare: 100, sharesTotal: 100, before: 1 },
      correction: { month: '2026-09', was: 1, now: 2, lines: [] },
    };
    for (const lang of LANGUAGES) {
      const text = Object.values(rendered(explanationGroups(e, { ...ctx, lang }), lang)).join('\n');
      expect(text, lang).not.toMatch(/\{\{|fees\./);
    }
  });
});

describe('every message id the fee screens build at run time exists', () => {
  it('labels each state, kind, warning, source, format, filter and rule', () => {
    const want = [
      ...FEE_RUN_STATES.map((s) => `fees.state.${s}`),
      ...FEE_RUN_KINDS.flatMap((k) => [`fees.kind.${k}`, `fees.kindHint.${k}`]),
      ...EXPLAIN_WARNINGS.map((c) => `fees.warning.${c}`),
      ...EXPLAIN_WARNINGS.filter((c) => c !== 'no_fee_place').map((c) => `fees.warningHelp.${c}`),
      ...INCOME_SOURCES.map((s) => `fees.income.source.${s}`),
      ...FEE_EXPORT_FORMATS.flatMap((f) => [`fees.export.format.${f}`, `fees.export.formatHint.${f}`]),
      ...LINE_FILTERS.map((f) => `fees.lines.filter.${f}`),
      ...FEE_RULES.map((r) => `fees.rule.${r}`),
      ...['charge', 'correction'].map((k) => `fees.lineKind.${k}`),
      ...['free', 'reduce', 'percent'].map((k) => `fees.localEffect.${k}`),
      ...['krona', 'ore'].map((k) => `fees.rounding.${k}`),
      ...EXPLAIN_VALUE_KEYS,
      ...['charges', 'corrections', 'summary', 'store', 'write'].map((p) => `job.phase.${p}`),
    ];
    expect(want.filter((id) => !has(id))).toEqual([]);
  });
});

describe('the persons of a household a warning names by its id alone', () => {
  it('are its lines’ children and recipients, each once', () => {
    const into = new Map();
    addHouseholdPeople(into, [
      { householdId: 'h1', childId: 'c1', childName: 'Lo Ek', recipientId: 'g1', recipientName: 'Anna Ek' },
      { householdId: 'h1', childId: 'c1', childName: 'Lo Ek', recipientId: 'g2', recipientName: 'Per Ek' },
      { householdId: 'h1', childId: 'c2', childName: 'Bo Ek', recipientId: 'g1', recipientName: 'Anna Ek' },
      { householdId: 'h2', childId: 'c3', childName: 'Ida Ås', recipientId: null, recipientName: null },
    ]);
    expect(into.get('h1')).toEqual({ children: [{ id: 'c1', name: 'Lo Ek' }, { id: 'c2', name: 'Bo Ek' }], recipients: [{ id: 'g1', name: 'Anna Ek' }, { id: 'g2', name: 'Per Ek' }] });
    expect(into.get('h2')).toEqual({ children: [{ id: 'c3', name: 'Ida Ås' }], recipients: [] });
  });
});
