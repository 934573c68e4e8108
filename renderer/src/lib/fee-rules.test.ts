import { describe, expect, it } from 'vitest';
import type { ApiError } from '../../../shared/api/transport';
import { DEFAULT_CSV_LAYOUTS } from '../../../shared/api/fee-export';
import { feeSettings, localRule, noRuleSet, seRuleSet, type FeeSettings, type NoRuleSet } from '../../../shared/api/fees';
import { catalogs } from '../../../shared/i18n';
import {
  addSet,
  defaultNewMonth,
  effectiveEnd,
  emptyLocalRule,
  fieldLabel,
  gText,
  kronorText,
  localFieldKnown,
  localToValues,
  mapRulesError,
  newSetFrom,
  noFieldKnown,
  noToValues,
  parseG,
  parseKronor,
  parseMonthInput,
  parsePercent,
  parseRulesPath,
  parseWhole,
  pathInTarget,
  percentText,
  rankInputs,
  removeSet,
  rulesInput,
  seFieldKnown,
  seToValues,
  setRank,
  setStatus,
  settingsToValues,
  uniqueSetId,
  validateLocal,
  validateNo,
  validateSe,
  validateSettings,
  valuesToLocal,
  valuesToNo,
  valuesToSe,
  valuesToSettings,
  type FeeRulesView,
  type SeRuleSet,
} from './fee-rules';
import { catalogText } from './catalog-text';

// The shipped defaults (core/fees/rules.ts, core/fees/norway.ts), which the renderer may not import.
const kr = (n: number) => n * 100;
const SE_PERCENT = { preschool: [300, 200, 100], afterschool: [200, 100, 100] };
const DEFAULT_SE_RULE_SETS: SeRuleSet[] = [
  { id: 'se-maxtaxa-2023', name: 'Maxtaxa 2023', country: 'SE', validFrom: '2023-01', validTo: '2023-12', ceiling: kr(54_830), incomeFloor: 0, percent: SE_PERCENT, source: 'Skolverket, inkomsttak 2023' },
  { id: 'se-maxtaxa-2024', name: 'Maxtaxa 2024', country: 'SE', validFrom: '2024-01', validTo: '2024-12', ceiling: kr(56_250), incomeFloor: 0, percent: SE_PERCENT, source: 'Skolverket, inkomsttak 2024' },
  { id: 'se-maxtaxa-2025', name: 'Maxtaxa 2025', country: 'SE', validFrom: '2025-01', validTo: '2025-12', ceiling: kr(59_440), incomeFloor: 0, percent: SE_PERCENT, source: 'Skolverket, inkomsttak 2025' },
  { id: 'se-maxtaxa-2026-h1', name: 'Maxtaxa 2026, januari–juni', country: 'SE', validFrom: '2026-01', validTo: '2026-06', ceiling: kr(61_560), incomeFloor: 0, percent: SE_PERCENT, source: 'Inkomsttak 2026' },
  { id: 'se-maxtaxa-2026-h2', name: 'Maxtaxa från 1 juli 2026', country: 'SE', validFrom: '2026-07', validTo: null, ceiling: kr(61_560), incomeFloor: kr(10_000), percent: SE_PERCENT, source: 'Reformen 1 juli 2026' },
];
const DEFAULT_NO_RULE_SETS: NoRuleSet[] = [
  {
    id: 'no-2026-08',
    name: 'SFO/AKS og barnehage fra august 2026',
    country: 'NO',
    validFrom: '2026-08',
    validTo: null,
    g: kr(130_160),
    freeMonths: [7],
    payingMonths: 11,
    sfo: {
      partTimeHoursAtMost: 12,
      bands: [
        { upToGThousandths: 2_250, full: kr(0), part: kr(0) },
        { upToGThousandths: 4_000, full: kr(1_650), part: kr(1_000) },
        { upToGThousandths: null, full: kr(3_300), part: kr(2_000) },
      ],
      national: { capBp: 600, grades: [1, 2, 3, 4], incomeBelow: kr(650_000) },
      freeHours: { hours: 12, grades: [1, 2, 3], reduction: kr(1_650) },
    },
    barnehage: { maxPrice: kr(1_200), siblingDiscountBp: [3_000, 5_000], incomeCapBp: 600, freeCore: { hoursPerWeek: 20, fullWeekHours: 41, ages: [2, 3, 4, 5], incomeBelow: kr(650_000) } },
    source: 'Struktur etter Oslo kommunes prisregler',
  },
];
const DEFAULT_FEE_SETTINGS: FeeSettings = {
  dayCount: 'thirty',
  freeStartDays: 0,
  rounding: 'krona',
  sharedResidence: 'each_capped_together',
  local: [],
  paymentTermsDays: 30,
  incomeCheckThreshold: 100_000,
  correctionMonths: 24,
  invoicing: null,
  csvLayouts: [...DEFAULT_CSV_LAYOUTS],
};

const tFor = catalogText;

const view: FeeRulesView = { se: DEFAULT_SE_RULE_SETS, no: DEFAULT_NO_RULE_SETS, settings: DEFAULT_FEE_SETTINGS, defaults: true, version: 'v1' };

describe('typed figures ↔ stored units', () => {
  it('kronor ↔ öre', () => {
    expect(parseKronor('61 560')).toBe(6_156_000);
    expect(parseKronor('1 547,50')).toBe(154_750);
    expect(parseKronor('1547.5 kr')).toBe(154_750);
    expect(parseKronor('')).toBeNull();
    expect(parseKronor('-5')).toBe('invalid');
    expect(parseKronor('1547,505')).toBe('invalid');
    expect(parseKronor('abc')).toBe('invalid');
    expect(kronorText(6_156_000, 'sv')).toBe('61560');
    expect(kronorText(154_750, 'sv')).toBe('1547,50');
    expect(kronorText(154_750, 'en')).toBe('1547.50');
    for (const ore of [0, 1, 99, 100, 154_750, 6_156_000]) expect(parseKronor(kronorText(ore, 'sv'))).toBe(ore);
  });

  it('% ↔ basis points', () => {
    expect(parsePercent('3')).toBe(300);
    expect(parsePercent('1,5')).toBe(150);
    expect(parsePercent('1.5 %')).toBe(150);
    expect(parsePercent('0,25')).toBe(25);
    expect(parsePercent('2,50')).toBe(250);
    expect(parsePercent('2,500')).toBe(250);
    expect(parsePercent('0,125')).toBe('invalid');
    expect(parsePercent('')).toBeNull();
    expect(parsePercent('tre')).toBe('invalid');
    expect(percentText(300, 'sv')).toBe('3');
    expect(percentText(150, 'sv')).toBe('1,5');
    expect(percentText(25, 'en')).toBe('0.25');
    for (const bp of [0, 1, 25, 100, 150, 300, 10_000]) expect(parsePercent(percentText(bp, 'nb'))).toBe(bp);
  });

  it('multiples of G ↔ thousandths, whole numbers, months', () => {
    expect(parseG('2,25')).toBe(2250);
    expect(parseG('4 G')).toBe(4000);
    expect(parseG('2,1255')).toBe('invalid');
    expect(gText(2250, 'nb')).toBe('2,25');
    expect(gText(4000, 'en')).toBe('4');
    expect(parseWhole('12')).toBe(12);
    expect(parseWhole('1,5')).toBe('invalid');
    expect(parseWhole(' ')).toBeNull();
    expect(parseMonthInput('2027-01')).toBe('2027-01');
    expect(parseMonthInput('2027-1')).toBe('2027-01');
    expect(parseMonthInput('1/2027')).toBe('2027-01');
    expect(parseMonthInput('08.2027')).toBe('2027-08');
    expect(parseMonthInput('2027-13')).toBe('invalid');
    expect(parseMonthInput('januari')).toBe('invalid');
    expect(parseMonthInput('')).toBeNull();
  });
});

describe('a new rule set from the latest', () => {
  it('proposes next January (Sweden) or the next August (Norway), after the latest start', () => {
    expect(defaultNewMonth('SE', '2026-11-23', DEFAULT_SE_RULE_SETS)).toBe('2027-01');
    expect(defaultNewMonth('NO', '2026-11-23', DEFAULT_NO_RULE_SETS)).toBe('2027-08');
    expect(defaultNewMonth('NO', '2026-03-01', DEFAULT_NO_RULE_SETS)).toBe('2026-09');
    expect(defaultNewMonth('SE', '2026-11-23', [{ id: 'x', validFrom: '2027-03', validTo: null }])).toBe('2027-04');
  });

  it('copies the latest with its own id, the first month, the name; open-ended, no source', () => {
    const s = newSetFrom(DEFAULT_SE_RULE_SETS, '2027-01', 'Maxtaxa 2027');
    const latest = DEFAULT_SE_RULE_SETS.find((x) => x.id === 'se-maxtaxa-2026-h2')!;
    expect(s).toEqual({ ...latest, id: 'se-2027-01', name: 'Maxtaxa 2027', validFrom: '2027-01', validTo: null, source: '' });
    expect(s.percent).not.toBe(latest.percent);
    expect(uniqueSetId('se', '2027-01', [{ id: 'se-2027-01' }, { id: 'se-2027-01-2' }])).toBe('se-2027-01-3');
    const n = newSetFrom(DEFAULT_NO_RULE_SETS, '2027-08', 'fra august 2027');
    expect(n.id).toBe('no-2027-08');
    expect(n.sfo.bands).toEqual(DEFAULT_NO_RULE_SETS[0]!.sfo.bands);
  });

  it('adds it at the end and ends the open set before it the month before', () => {
    const s = newSetFrom(DEFAULT_SE_RULE_SETS, '2027-01', 'Maxtaxa 2027');
    const { sets, ended } = addSet(DEFAULT_SE_RULE_SETS, s);
    expect(sets).toHaveLength(DEFAULT_SE_RULE_SETS.length + 1);
    expect(sets.at(-1)).toBe(s);
    expect(ended).toMatchObject({ id: 'se-maxtaxa-2026-h2', validTo: '2026-12' });
    expect(sets.find((x) => x.id === 'se-maxtaxa-2026-h2')!.validTo).toBe('2026-12');
    // The others exactly as read, in their places.
    expect(sets.slice(0, 4)).toEqual(DEFAULT_SE_RULE_SETS.slice(0, 4));
    // A set before a closed one ends nothing.
    expect(addSet(DEFAULT_SE_RULE_SETS, { ...s, validFrom: '2025-06' }).ended).toBeNull();
    // The values as the zod schema reads them.
    for (const x of sets) expect(seRuleSet.safeParse(x).success).toBe(true);
  });

  it('removing the latest open set reopens the one it ended; the last set stays', () => {
    const { sets } = addSet(DEFAULT_SE_RULE_SETS, newSetFrom(DEFAULT_SE_RULE_SETS, '2027-01', 'Maxtaxa 2027'));
    const r = removeSet(sets, sets.length - 1);
    expect(r.reopened).toMatchObject({ id: 'se-maxtaxa-2026-h2', validTo: null });
    expect(r.sets).toEqual(DEFAULT_SE_RULE_SETS);
    // A set in the middle: nothing reopens.
    expect(removeSet(DEFAULT_SE_RULE_SETS, 1).reopened).toBeNull();
    expect(removeSet(DEFAULT_SE_RULE_SETS, 1).sets.map((x) => x.id)).not.toContain('se-maxtaxa-2024');
    expect(removeSet([DEFAULT_SE_RULE_SETS[0]!], 0).sets).toHaveLength(1);
  });

  it('status and the effective end of an open set', () => {
    const { sets } = addSet(DEFAULT_SE_RULE_SETS, newSetFrom(DEFAULT_SE_RULE_SETS, '2027-01', 'Maxtaxa 2027'));
    const byId = (id: string) => sets.find((x) => x.id === id)!;
    expect(setStatus(sets, byId('se-maxtaxa-2026-h2'), '2026-11-23')).toBe('current');
    expect(setStatus(sets, byId('se-2027-01'), '2026-11-23')).toBe('future');
    expect(setStatus(sets, byId('se-maxtaxa-2025'), '2026-11-23')).toBe('past');
    expect(effectiveEnd(DEFAULT_SE_RULE_SETS, DEFAULT_SE_RULE_SETS[4]!)).toBeNull();
    expect(effectiveEnd([...DEFAULT_SE_RULE_SETS, { ...DEFAULT_SE_RULE_SETS[4]!, id: 'later', validFrom: '2027-03' }], DEFAULT_SE_RULE_SETS[4]!)).toBe('2027-02');
  });

  it('writes the whole value: what changed, the rest as read', () => {
    const se = addSet(DEFAULT_SE_RULE_SETS, newSetFrom(DEFAULT_SE_RULE_SETS, '2027-01', 'x')).sets;
    const input = rulesInput(view, { se });
    expect(input.se).toBe(se);
    expect(input.no).toBe(view.no);
    expect(input.settings).toBe(view.settings);
    expect(input).not.toHaveProperty('defaults');
  });
});

describe('the forms', () => {
  it('a Swedish set round-trips through its values; the checks mirror the core', () => {
    for (const s of DEFAULT_SE_RULE_SETS) expect(valuesToSe(seToValues(s, 'sv'), s)).toEqual(s);
    const s = DEFAULT_SE_RULE_SETS[4]!;
    const v = seToValues(s, 'sv');
    expect(v).toMatchObject({ ceiling: '61560', incomeFloor: '10000', percent: { preschool: ['3', '2', '1'], afterschool: ['2', '1', '1'] } });
    expect(validateSe(v)).toEqual({});
    expect(validateSe({ ...v, validTo: '2026-03' })).toEqual({ validTo: { key: 'feeRules.error.validToBeforeFrom' } });
    expect(validateSe({ ...v, incomeFloor: '70 000' })).toEqual({ incomeFloor: { key: 'feeRules.error.floorAboveCeiling' } });
    expect(validateSe({ ...v, ceiling: '61 560,555' })).toEqual({ ceiling: { key: 'feeRules.error.money' } });
    expect(validateSe({ ...v, validFrom: '2026-7' })).toEqual({});
    expect(validateSe({ ...v, validFrom: '' }).validFrom).toEqual({ key: 'validation.required' });
    expect(validateSe({ ...v, percent: { ...v.percent, preschool: ['3', '', '1'] } })).toEqual({ 'percent.preschool.1': { key: 'feeRules.error.rankGap' } });
    expect(validateSe({ ...v, percent: { ...v.percent, preschool: [] } })).toEqual({ 'percent.preschool.0': { key: 'validation.required' } });
    expect(validateSe({ ...v, percent: { ...v.percent, afterschool: ['101'] } })).toEqual({ 'percent.afterschool.0': { key: 'feeRules.error.percent' } });
    const saved = valuesToSe({ ...v, validFrom: '1/2027', validTo: '', ceiling: '70 000', percent: { preschool: ['3', '2', '1', ''], afterschool: ['2'] } }, s);
    expect(saved).toMatchObject({ validFrom: '2027-01', validTo: null, ceiling: 7_000_000, percent: { preschool: [300, 200, 100], afterschool: [200] } });
    expect(seRuleSet.safeParse(saved).success).toBe(true);
  });

  it('rank inputs: every one typed and one empty more, up to six', () => {
    expect(rankInputs(['3', '2', '1'])).toEqual(['3', '2', '1', '']);
    expect(rankInputs([])).toEqual(['']);
    expect(rankInputs(['1', '1', '1', '1', '1', '1'])).toHaveLength(6);
    expect(setRank(['3', '2', '1'], 2, '')).toEqual(['3', '2']);
    expect(setRank(['3', '2'], 2, '1')).toEqual(['3', '2', '1']);
    expect(setRank(['3', '2', '1'], 1, '')).toEqual(['3', '', '1']);
  });

  it('a Norwegian set round-trips; bands must rise and only the last may be open', () => {
    const s = DEFAULT_NO_RULE_SETS[0]!;
    const v = noToValues(s, 'nb');
    expect(v.sfo.bands.map((b) => b.upTo)).toEqual(['2,25', '4', '']);
    expect(valuesToNo(v, s)).toEqual(s);
    expect(validateNo(v)).toEqual({});
    const bands = v.sfo.bands;
    expect(validateNo({ ...v, sfo: { ...v.sfo, bands: [bands[0]!, { ...bands[1]!, upTo: '2' }, bands[2]!] } })).toEqual({ 'sfo.bands.1.upToGThousandths': { key: 'feeRules.error.bandsRise' } });
    expect(validateNo({ ...v, sfo: { ...v.sfo, bands: [{ ...bands[0]!, upTo: '' }, bands[1]!, bands[2]!] } })).toEqual({ 'sfo.bands.0.upToGThousandths': { key: 'feeRules.error.bandOpen' } });
    expect(validateNo({ ...v, g: '0' })).toEqual({ g: { key: 'feeRules.error.gZero' } });
    expect(validateNo({ ...v, payingMonths: '13' })).toEqual({ payingMonths: { key: 'feeRules.error.whole', vars: { min: 1, max: 12 } } });
    const changed = valuesToNo({ ...v, barnehage: { ...v.barnehage, siblingDiscountBp: [] }, freeMonths: [7, 6] }, s);
    expect(changed.barnehage.siblingDiscountBp).toEqual([]);
    expect(changed.freeMonths).toEqual([6, 7]);
    expect(noRuleSet.safeParse(changed).success).toBe(true);
    const known = noFieldKnown(3, 3);
    expect(known('sfo.bands.2.part')).toBe(true);
    expect(known('sfo.bands.3.part')).toBe(false);
    expect(known('barnehage.siblingDiscountBp.2')).toBe(true);
    expect(known('barnehage.siblingDiscountBp.3')).toBe(false);
  });

  it('the settings keep what the screen does not show (local rules, CSV layouts, invoicing)', () => {
    const base = { ...DEFAULT_FEE_SETTINGS, invoicing: { street: 'Storgatan 1', postalCode: '123 45', city: 'Kansli', paymentAccount: null, iban: null, contactEmail: null } };
    const v = settingsToValues(base, 'sv');
    expect(v).toEqual({ dayCount: 'thirty', freeStartDays: '0', rounding: 'krona', sharedResidence: 'each_capped_together', incomeCheckThreshold: '1000', correctionMonths: '24', paymentTermsDays: '30' });
    expect(valuesToSettings(v, base)).toEqual(base);
    const out = valuesToSettings({ ...v, dayCount: 'actual', freeStartDays: '5', incomeCheckThreshold: '1 500,50' }, base);
    expect(out).toMatchObject({ dayCount: 'actual', freeStartDays: 5, incomeCheckThreshold: 150_050, invoicing: base.invoicing, csvLayouts: base.csvLayouts });
    expect(feeSettings.safeParse(out).success).toBe(true);
    expect(validateSettings({ ...v, paymentTermsDays: '91' })).toEqual({ paymentTermsDays: { key: 'feeRules.error.whole', vars: { min: 0, max: 90 } } });
  });

  it('a local rule: free hours from the autumn of the year turning 3', () => {
    const v = emptyLocalRule();
    const typed = { ...v, label: 'Allmän förskola 15 timmar', when: { ...v.when, fromAutumnOfYearTurning: '3' }, effect: { ...v.effect, kind: 'free_hours' as const, hours: '15' } };
    expect(validateLocal(typed)).toEqual({});
    const rule = valuesToLocal(typed, 'local-1');
    expect(rule).toEqual({ id: 'local-1', label: 'Allmän förskola 15 timmar', when: { fromAutumnOfYearTurning: 3 }, effect: { kind: 'free_hours', hours: 15, fullWeekHours: 40 } });
    expect(localRule.safeParse(rule).success).toBe(true);
    expect(valuesToLocal(localToValues(rule, 'sv'), 'local-1')).toEqual(rule);
    const full = { id: 'x', label: 'Låg inkomst', when: { family: 'preschool' as const, incomeBelow: 1_000_000, ageFrom: 3, ageTo: 5, months: [8, 9], weeklyHoursAtMost: 15 }, effect: { kind: 'percent' as const, byRank: [200, 100] } };
    expect(valuesToLocal(localToValues(full, 'sv'), 'x')).toEqual(full);
    expect(validateLocal({ ...typed, when: { ...typed.when, ageFrom: '5', ageTo: '3' } })).toEqual({ 'when.ageTo': { key: 'feeRules.error.ageOrder' } });
    expect(validateLocal({ ...typed, effect: { ...typed.effect, hours: '0' } })).toEqual({ 'effect.hours': { key: 'feeRules.error.whole', vars: { min: 1, max: 60 } } });
    expect(localFieldKnown('free_hours')('effect.hours')).toBe(true);
    expect(localFieldKnown('free')('effect.hours')).toBe(false);
  });
});

describe('the core’s refusal → the dialog', () => {
  const t = tFor('sv');
  const sent = rulesInput(view, { se: addSet(DEFAULT_SE_RULE_SETS, newSetFrom(DEFAULT_SE_RULE_SETS, '2027-01', 'Maxtaxa 2027')).sets });

  it('reads the field paths', () => {
    expect(parseRulesPath('se.2.validFrom')).toEqual({ part: 'se', index: 2, rest: 'validFrom' });
    expect(parseRulesPath('no.0.sfo.bands.1.upToGThousandths')).toEqual({ part: 'no', index: 0, rest: 'sfo.bands.1.upToGThousandths' });
    expect(parseRulesPath('settings.local.0.when.ageFrom')).toEqual({ part: 'local', index: 0, rest: 'when.ageFrom' });
    expect(parseRulesPath('settings.dayCount')).toEqual({ part: 'settings', rest: 'dayCount' });
    expect(pathInTarget('se.5.validTo', { part: 'se', index: 5 })).toBe('validTo');
    expect(pathInTarget('se.4.validTo', { part: 'se', index: 5 })).toBeNull();
    expect(pathInTarget('settings.local.0.when.ageFrom', { part: 'local', index: 0 })).toBe('when.ageFrom');
    // A local rule's path is the local rule's, not a setting's: the settings dialog names it.
    expect(pathInTarget('settings.local.0.when.ageFrom', { part: 'settings' })).toBeNull();
    expect(fieldLabel('sfo.bands.1.upToGThousandths')).toEqual({ key: 'feeRules.field.sfo.bands.upToGThousandths', n: 2 });
    expect(fieldLabel('percent.preschool.0')).toEqual({ key: 'feeRules.field.percent.preschool', n: 1 });
    expect(fieldLabel('nonsense')).toBeNull();
  });

  it('puts a refusal about the set the dialog edits on its field', () => {
    const e: ApiError = { code: 'validation', message: 'The last month is before the first', field: 'se.5.validTo' };
    expect(mapRulesError(e, { target: { part: 'se', index: 5 }, known: seFieldKnown, sent, t, lang: 'sv' })).toEqual({ fields: { validTo: { key: 'feeRules.error.validToBeforeFrom' } }, top: [] });
    const overlap: ApiError = { code: 'rule_violation', rule: 'fee_rules_overlap', message: 'fee_rules_overlap: …', field: 'se.5.validFrom' };
    expect(mapRulesError(overlap, { target: { part: 'se', index: 5 }, known: seFieldKnown, sent, t, lang: 'sv' }).fields).toEqual({ validFrom: { key: 'fees.rule.fee_rules_overlap' } });
    const zod: ApiError = { code: 'validation', message: 'Invalid input', field: 'se.5.percent.preschool.0', issues: [{ field: 'se.5.percent.preschool.0', code: 'too_big', message: 'x' }] };
    expect(Object.keys(mapRulesError(zod, { target: { part: 'se', index: 5 }, known: seFieldKnown, sent, t, lang: 'sv' }).fields)).toEqual(['percent.preschool.0']);
    const band: ApiError = { code: 'validation', message: 'Only the last income band may be open-ended', field: 'no.0.sfo.bands.1.upToGThousandths' };
    expect(mapRulesError(band, { target: { part: 'no', index: 0 }, known: noFieldKnown(3, 2), sent, t, lang: 'nb' }).fields).toEqual({ 'sfo.bands.1.upToGThousandths': { key: 'feeRules.error.bandOpen' } });
    const age: ApiError = { code: 'validation', message: 'x', field: 'settings.local.0.when.ageFrom', issues: [{ field: 'settings.local.0.when.ageFrom', code: 'too_big', message: 'x' }] };
    expect(Object.keys(mapRulesError(age, { target: { part: 'local', index: 0 }, known: localFieldKnown('free'), sent, t, lang: 'sv' }).fields)).toEqual(['when.ageFrom']);
  });

  it('names the rule set and field when the dialog does not show it', () => {
    const e: ApiError = { code: 'rule_violation', rule: 'fee_rules_overlap', message: 'fee_rules_overlap: …', field: 'se.0.validFrom' };
    const r = mapRulesError(e, { target: { part: 'se', index: 5 }, known: seFieldKnown, sent, t, lang: 'sv' });
    expect(r.fields).toEqual({});
    expect(r.top).toHaveLength(1);
    expect(t(r.top[0]!.key, r.top[0]!.vars)).toBe('Regeluppsättningen ”Maxtaxa 2023” (januari 2023 – december 2023), Första månad: Två regeluppsättningar gäller samma månad.');
    const settings: ApiError = { code: 'validation', message: 'x', field: 'settings.csvLayouts.0.name', issues: [{ field: 'settings.csvLayouts.0.name', code: 'too_small', message: 'x' }] };
    const s = mapRulesError(settings, { target: { part: 'settings' }, known: () => false, sent, t, lang: 'sv' });
    expect(t(s.top[0]!.key, s.top[0]!.vars)).toBe('Kommunens inställningar, CSV-layouter (1): Kontrollera uppgiften.');
    const local: ApiError = { code: 'validation', message: 'x', field: 'settings.local.3.when.ageFrom', issues: [{ field: 'settings.local.3.when.ageFrom', code: 'too_big', message: 'x' }] };
    const sentLocal = rulesInput(view, { settings: { ...view.settings, local: [0, 1, 2, 3].map((n) => ({ id: `l${n}`, label: `Regel ${n}`, when: {}, effect: { kind: 'free' as const } })) } });
    const l = mapRulesError(local, { target: { part: 'local', index: 0 }, known: localFieldKnown('free'), sent: sentLocal, t, lang: 'sv' });
    expect(t(l.top[0]!.key, l.top[0]!.vars)).toBe('Den lokala regeln ”Regel 3”, Ålder från: Kontrollera uppgiften.');
  });

  it('whole-call errors as the form kit words them', () => {
    expect(mapRulesError({ code: 'forbidden', message: 'x' }, { target: { part: 'settings' }, known: () => true, sent, t, lang: 'sv' })).toEqual({ fields: {}, top: [{ key: 'error.forbidden' }] });
  });

  it('every field label the screen may name exists in every language', () => {
    for (const l of ['sv', 'nb', 'en'] as const) {
      for (const path of ['validFrom', 'validTo', 'ceiling', 'incomeFloor', 'percent.preschool.0', 'sfo.bands.0.full', 'barnehage.freeCore.ages', 'dayCount', 'when.months', 'effect.fullWeekHours']) {
        const label = fieldLabel(path);
        expect(label, path).not.toBeNull();
        expect((catalogs[l] as Record<string, string>)[label!.key], `${l} ${path}`).toBeTruthy();
      }
    }
  });
});
