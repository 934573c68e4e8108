/**
 * The FOI settings' pure parts (settings.ts): the deadline rules form (the country's figures, its checks
 * agreeing with the contract's schema figure by figure, what it sends, whether the law's defaults are in force,
 * the closed days) and the legal grounds (a ground's state today, the rows shown, the dialog's checks agreeing
 * with the contract's schema, the whole table after one change, and where the core's refusals land), every
 * message in all three languages.
 */
import { describe, expect, it } from 'vitest';
import { foiCalendar, foiDeadlineRules, foiGround } from '../../../../shared/api/foi';
import type { ApiError } from '../../../../shared/api/transport';
import { zodIssuesToApiError } from '../../../../shared/api/validation';
import { DEFAULT_FOI_GROUNDS, type FoiGround } from '../../../../shared/domain/foi';
import { catalogs, LANGUAGES } from '../../../../shared/i18n';
import type { FieldError, MappedError } from '../../kit/errors';
import {
  addClosedDay,
  CLOSED_DAYS_MAX,
  differingFigures,
  endGround,
  FIGURE_BOUNDS,
  figureOf,
  figurePath,
  figuresFor,
  formHasLawFigures,
  GROUND_FIELDS,
  groundInUse,
  groundRows,
  groundState,
  groundToValues,
  isWeekend,
  kindsWithFigures,
  LAW_RULES,
  mapGroundsError,
  mapRulesError,
  newGroundValues,
  otherCountryCount,
  parseFigure,
  putGround,
  removeGround,
  RULE_FIGURES,
  rulesState,
  rulesToValues,
  SOURCE_MAX,
  toRulesInput,
  validateEnd,
  validateGround,
  validateRules,
  valuesToGround,
  withLawFigures,
  type GroundValues,
  type RulesValues,
  type RulesView,
} from './settings';

/** Every message a function gave has its text in sv, nb and en, with the same placeholders it was given. */
function expectMessages(...msgs: (FieldError | undefined)[]): void {
  for (const m of msgs) {
    expect(m, 'a message').toBeDefined();
    for (const l of LANGUAGES) {
      const text = (catalogs[l] as Record<string, string>)[m!.key];
      expect(text, `${l} ${m!.key}`).toBeTruthy();
      for (const v of Object.keys(m!.vars ?? {})) expect(text, `${l} ${m!.key} uses {{${v}}}`).toContain(`{{${v}}}`);
    }
  }
}
const allOf = (m: MappedError) => [...Object.values(m.fields), ...m.top];

const VIEW: RulesView = {
  rules: LAW_RULES,
  calendar: { closedDays: ['2026-12-28', '2026-05-15'], closedEves: true },
  defaults: true,
  version: 'v1',
};

describe('the deadline rules form', () => {
  it('shows the figures of the country’s kinds: Sweden’s public document or Norway’s innsyn, and GDPR in both', () => {
    expect(figuresFor('SE')).toEqual(['seTarget', 'seOverdue', 'gdprMonths', 'gdprExtension']);
    expect(figuresFor('NO')).toEqual(['noTarget', 'noRefused', 'gdprMonths', 'gdprExtension']);
    expect(kindsWithFigures('NO')).toEqual([
      { kind: 'no_innsyn', figures: ['noTarget', 'noRefused'] },
      { kind: 'gdpr_access', figures: ['gdprMonths', 'gdprExtension'] },
    ]);
    expect(figurePath('noRefused')).toBe('rules.no_innsyn.deemedRefusedAfterWorkingDays');
    expect(RULE_FIGURES.map((f) => figureOf(LAW_RULES, f))).toEqual([0, 3, 3, 5, 1, 2]);
  });

  it('ships the law’s figures as the contract accepts them', () => {
    expect(foiDeadlineRules.safeParse(LAW_RULES).success).toBe(true);
  });

  it('reads the stored rules into the form (closed days sorted) and sends them back as the contract takes them', () => {
    const v = rulesToValues(VIEW);
    expect(v).toMatchObject({ seTarget: '0', seOverdue: '3', noTarget: '3', noRefused: '5', gdprMonths: '1', gdprExtension: '2', closedEves: true, newDay: '' });
    expect(v.closedDays).toEqual(['2026-05-15', '2026-12-28']);
    const input = toRulesInput({ ...v, seOverdue: ' 5 ', source: '  Kommunens beslut 2026-10-01  ' }, VIEW, 'SE');
    expect(input.version).toBe('v1');
    expect(input.rules.se_public_document).toEqual({ targetWorkingDays: 0, overdueAfterWorkingDays: 5 });
    expect(input.rules.source).toBe('Kommunens beslut 2026-10-01');
    expect(foiDeadlineRules.safeParse(input.rules).success).toBe(true);
    expect(foiCalendar.safeParse(input.calendar).success).toBe(true);
  });

  it('sends the other country’s figures and (in Norway) the closed eves exactly as read', () => {
    const stored: RulesView = { ...VIEW, rules: { ...LAW_RULES, no_innsyn: { targetWorkingDays: 2, deemedRefusedAfterWorkingDays: 5 } }, calendar: { closedDays: [], closedEves: false } };
    // A Swedish form never shows Norway's figures: whatever is in them, what was read goes back.
    const se = toRulesInput({ ...rulesToValues(stored), noTarget: '', noRefused: 'x' }, stored, 'SE');
    expect(se.rules.no_innsyn).toEqual({ targetWorkingDays: 2, deemedRefusedAfterWorkingDays: 5 });
    const no = toRulesInput({ ...rulesToValues(stored), seTarget: '9', closedEves: true, noTarget: '1' }, stored, 'NO');
    expect(no.rules.se_public_document).toEqual(LAW_RULES.se_public_document);
    expect(no.rules.no_innsyn.targetWorkingDays).toBe(1);
    expect(no.calendar.closedEves).toBe(false);
  });

  it('names a missing, broken or out-of-range figure at its field, only for the country’s figures', () => {
    const v = rulesToValues(VIEW);
    expect(validateRules(v, 'SE')).toEqual({});
    expect(validateRules({ ...v, seOverdue: '' }, 'SE').seOverdue).toEqual({ key: 'validation.required' });
    expect(validateRules({ ...v, seOverdue: '0' }, 'SE').seOverdue).toEqual({ key: 'foi.settings.error.range', vars: { min: 1, max: 60 } });
    expect(validateRules({ ...v, gdprMonths: '13' }, 'SE').gdprMonths).toEqual({ key: 'foi.settings.error.range', vars: { min: 1, max: 12 } });
    expect(validateRules({ ...v, gdprExtension: '1.5' }, 'NO').gdprExtension).toEqual({ key: 'foi.settings.error.range', vars: { min: 0, max: 12 } });
    // Norway's figures are not a Swedish office's concern (and the other way round).
    expect(validateRules({ ...v, noTarget: '', noRefused: '99' }, 'SE')).toEqual({});
    expect(validateRules({ ...v, seTarget: '', seOverdue: '99' }, 'NO')).toEqual({});
    expect(parseFigure(' 12 ')).toBe(12);
    expect(parseFigure('1e1')).toBeNull();
    expect(parseFigure('-1')).toBeNull();
    expectMessages(validateRules({ ...v, seOverdue: '0' }, 'SE').seOverdue);
  });

  it('keeps the target before the last day: Sweden strictly before "overdue", Norway at the latest the day it counts as refused', () => {
    const v = rulesToValues(VIEW);
    const se = validateRules({ ...v, seTarget: '3', seOverdue: '3' }, 'SE');
    expect(se).toEqual({ seTarget: { key: 'foi.settings.error.seTarget', vars: { overdue: 3 } } });
    expect(validateRules({ ...v, seTarget: '2', seOverdue: '3' }, 'SE')).toEqual({});
    expect(validateRules({ ...v, noTarget: '5', noRefused: '5' }, 'NO')).toEqual({});
    const no = validateRules({ ...v, noTarget: '6', noRefused: '5' }, 'NO');
    expect(no).toEqual({ noTarget: { key: 'foi.settings.error.noTarget', vars: { refused: 5 } } });
    expectMessages(se.seTarget, no.noTarget);
  });

  it('agrees with the contract on every figure from -1 to 61 (the form refuses exactly what the core would)', () => {
    for (const country of ['SE', 'NO'] as const) {
      for (const f of figuresFor(country)) {
        for (let n = -1; n <= 61; n++) {
          const v: RulesValues = { ...rulesToValues(VIEW), [f]: String(n) };
          const formOk = Object.keys(validateRules(v, country)).length === 0;
          // What the form would send, had it passed (a negative number cannot be typed; the schema sees it as is).
          const rules = { ...LAW_RULES, se_public_document: { ...LAW_RULES.se_public_document }, no_innsyn: { ...LAW_RULES.no_innsyn }, gdpr_access: { ...LAW_RULES.gdpr_access } };
          const [kind, key] = figurePath(f).split('.').slice(1) as [keyof typeof rules, string];
          (rules[kind] as Record<string, number>)[key] = n;
          expect(formOk, `${country} ${f} = ${n}`).toBe(foiDeadlineRules.safeParse(rules).success);
        }
      }
    }
    expect(FIGURE_BOUNDS.seOverdue.min).toBe(1);
  });

  it('checks the source’s length and leaves the closed day being typed to the screen', () => {
    const v = rulesToValues(VIEW);
    expect(validateRules({ ...v, source: 'x'.repeat(SOURCE_MAX) }, 'SE')).toEqual({});
    const long = validateRules({ ...v, source: 'x'.repeat(SOURCE_MAX + 1) }, 'SE');
    expect(long.source).toEqual({ key: 'validation.too_long_max', vars: { max: 300 } });
    expect(foiDeadlineRules.safeParse({ ...LAW_RULES, source: 'x'.repeat(SOURCE_MAX + 1) }).success).toBe(false);
    expect(validateRules({ ...v, newDay: '2026-12-24' }, 'SE')).toEqual({});
  });

  it('says whether the law’s defaults are in force, or which figures are the municipality’s own', () => {
    expect(rulesState(VIEW, 'SE')).toEqual({ kind: 'defaults' });
    expect(rulesState({ ...VIEW, defaults: false }, 'SE')).toEqual({ kind: 'law' });
    const own = { ...LAW_RULES, se_public_document: { targetWorkingDays: 1, overdueAfterWorkingDays: 3 }, no_innsyn: { targetWorkingDays: 1, deemedRefusedAfterWorkingDays: 5 } };
    expect(rulesState({ rules: own, defaults: false }, 'SE')).toEqual({ kind: 'own', differs: ['seTarget'] });
    // Norway's own figure differs too, but a Swedish office is told only of its own kinds.
    expect(differingFigures(own, 'NO')).toEqual(['noTarget']);
  });

  it('puts the law’s figures and source back, keeping the calendar', () => {
    const v: RulesValues = { ...rulesToValues(VIEW), seTarget: '1', gdprExtension: '0', source: 'Eget', closedDays: ['2026-12-28'], closedEves: false };
    expect(formHasLawFigures(v, 'SE')).toBe(false);
    const back = { ...v, ...withLawFigures() };
    expect(formHasLawFigures(back, 'SE')).toBe(true);
    expect(back).toMatchObject({ seTarget: '0', gdprExtension: '2', source: LAW_RULES.source, closedDays: ['2026-12-28'], closedEves: false });
  });

  it('adds a closed day in its place, once, and refuses a non-date or a full list', () => {
    expect(addClosedDay(['2026-05-15', '2026-12-28'], '2026-06-05')).toEqual({ days: ['2026-05-15', '2026-06-05', '2026-12-28'] });
    const dup = addClosedDay(['2026-05-15'], '2026-05-15');
    expect(dup).toEqual({ error: { key: 'foi.settings.calendar.already' } });
    expect(addClosedDay([], '31.2.2026')).toEqual({ error: { key: 'validation.date_invalid' } });
    expect(addClosedDay([], '2026-02-30')).toEqual({ error: { key: 'validation.date_invalid' } });
    expect(addClosedDay([], ' ')).toEqual({ error: { key: 'validation.required' } });
    const full = Array.from({ length: CLOSED_DAYS_MAX }, (_, i) => new Date(Date.UTC(2027, 0, 1 + i)).toISOString().slice(0, 10));
    const refused = addClosedDay(full, '2026-12-31');
    expect(refused).toEqual({ error: { key: 'foi.settings.calendar.full', vars: { max: 200 } } });
    expect(foiCalendar.safeParse({ closedDays: [...full, '2026-12-31'], closedEves: true }).success).toBe(false);
    expectMessages(...[dup, refused].map((r) => ('error' in r ? r.error : undefined)));
  });

  it('knows a weekend day (closed anyway)', () => {
    expect(isWeekend('2026-11-28')).toBe(true); // Saturday
    expect(isWeekend('2026-11-29')).toBe(true); // Sunday
    expect(isWeekend('2026-11-23')).toBe(false); // Monday
    expect(isWeekend('2026-13-01')).toBe(false);
  });

  describe('the core’s refusals', () => {
    /** What the core answers to rules and a calendar its schema refuses. */
    const refusal = (rules: unknown, calendar: unknown = { closedDays: [], closedEves: true }): ApiError => {
      const r = foiDeadlineRules.safeParse(rules);
      const c = foiCalendar.safeParse(calendar);
      const issues = [...(r.success ? [] : r.error.issues.map((i) => ({ ...i, path: ['rules', ...i.path] }))), ...(c.success ? [] : c.error.issues.map((i) => ({ ...i, path: ['calendar', ...i.path] })))];
      return zodIssuesToApiError(issues as never);
    };
    const v = rulesToValues(VIEW);

    it('lands the target after the last day on the target, in the form’s words', () => {
      const e = refusal({ ...LAW_RULES, se_public_document: { targetWorkingDays: 3, overdueAfterWorkingDays: 3 } });
      const m = mapRulesError(e, { ...v, seTarget: '3', seOverdue: '3' }, 'SE');
      expect(m).toEqual({ fields: { seTarget: { key: 'foi.settings.error.seTarget', vars: { overdue: '3' } } }, top: [] });
      const no = mapRulesError(refusal({ ...LAW_RULES, no_innsyn: { targetWorkingDays: 7, deemedRefusedAfterWorkingDays: 5 } }), { ...v, noTarget: '7', noRefused: '5' }, 'NO');
      expect(no.fields.noTarget).toEqual({ key: 'foi.settings.error.noTarget', vars: { refused: '5' } });
      expectMessages(...allOf(m), ...allOf(no));
    });

    it('lands a figure out of range on its field with its range; the other country’s at the top', () => {
      const e = refusal({ ...LAW_RULES, gdpr_access: { months: 0, extensionMonths: 2 }, no_innsyn: { targetWorkingDays: 3, deemedRefusedAfterWorkingDays: 0 } });
      const m = mapRulesError(e, v, 'SE');
      expect(m.fields).toEqual({ gdprMonths: { key: 'foi.settings.error.range', vars: { min: 1, max: 12 } } });
      expect(m.top).toEqual([{ key: 'error.validation' }]);
      expectMessages(...allOf(m));
    });

    it('lands a bad closed day (named) or too many on the list, and a long source on the source', () => {
      const e = refusal({ ...LAW_RULES, source: 'x'.repeat(301) }, { closedDays: ['2026-05-15', '2026-02-30'], closedEves: true });
      const m = mapRulesError(e, { ...v, closedDays: ['2026-05-15', '2026-02-30'] }, 'SE');
      expect(m.fields).toEqual({ source: { key: 'validation.too_long_max', vars: { max: 300 } }, closedDays: { key: 'foi.settings.calendar.badDay', vars: { day: '2026-02-30' } } });
      expect(m.top).toEqual([]);
      expectMessages(...allOf(m));
    });

    it('leaves every other answer to the kit (a conflict, a refusal of the permission)', () => {
      expect(mapRulesError({ code: 'conflict', message: 'x', field: 'version' }, v, 'SE').top).toEqual([{ key: 'care.error.conflict' }]);
      expect(mapRulesError({ code: 'forbidden', message: 'x' }, v, 'SE').top).toEqual([{ key: 'error.forbidden' }]);
    });
  });
});

// ---------------------------------------------------------------------------------------------

const G = (code: string, over: Partial<FoiGround> = {}): FoiGround => ({
  code,
  country: 'SE',
  citation: `OSL ${code}`,
  title: { sv: `Sv ${code}`, nb: `Nb ${code}`, en: `En ${code}` },
  optional: false,
  validFrom: '2020-01-01',
  validTo: null,
  ...over,
});
const TABLE = [G('se_a'), G('no_b', { country: 'NO', citation: 'offl. § 14', optional: true }), G('both_c', { country: null, citation: 'GDPR art. 15.4' }), G('se_d', { validTo: '2026-11-22' })];

describe('the legal grounds', () => {
  it('says whether a ground is in force today, both ends included', () => {
    const today = '2026-11-23';
    expect(groundState({ validFrom: '2026-11-23', validTo: '2026-11-23' }, today)).toBe('in_force');
    expect(groundState({ validFrom: '2026-11-24', validTo: null }, today)).toBe('upcoming');
    expect(groundState({ validFrom: '2020-01-01', validTo: '2026-11-22' }, today)).toBe('ended');
    expect(groundState({ validFrom: '2020-01-01', validTo: null }, today)).toBe('in_force');
  });

  it('shows the country’s grounds and both countries’, the other country’s on request, each with its place in the table', () => {
    expect(groundRows(TABLE, 'SE', false).map((r) => [r.ground.code, r.index])).toEqual([
      ['se_a', 0],
      ['both_c', 2],
      ['se_d', 3],
    ]);
    expect(groundRows(TABLE, 'NO', false).map((r) => r.ground.code)).toEqual(['no_b', 'both_c']);
    expect(groundRows(TABLE, 'SE', true)).toHaveLength(4);
    expect(otherCountryCount(TABLE, 'SE')).toBe(1);
    expect(otherCountryCount(TABLE, 'NO')).toBe(2);
  });

  it('reads a ground into the dialog and back (trimmed; both countries as null; no last day as null)', () => {
    for (const g of TABLE) expect(valuesToGround(groundToValues(g))).toEqual(g);
    const v: GroundValues = { ...newGroundValues('NO', '2026-11-23'), code: ' no_x ', country: 'both', citation: ' offl. § 15 ', titleSv: ' a ', titleNb: 'b', titleEn: 'c', validTo: ' ' };
    expect(newGroundValues('NO', '2026-11-23')).toMatchObject({ country: 'NO', validFrom: '2026-11-23', validTo: '', optional: false });
    expect(valuesToGround(v)).toEqual({ code: 'no_x', country: null, citation: 'offl. § 15', title: { sv: 'a', nb: 'b', en: 'c' }, optional: false, validFrom: '2026-11-23', validTo: null });
  });

  it('accepts every shipped ground as the dialog checks it', () => {
    for (const g of DEFAULT_FOI_GROUNDS) {
      expect(
        validateGround(
          groundToValues(g),
          DEFAULT_FOI_GROUNDS.filter((x) => x !== g),
        ),
        g.code,
      ).toEqual({});
    }
  });

  it('names each mistake at its field: the code’s form and uniqueness, the citation and titles, the days', () => {
    const ok: GroundValues = { ...newGroundValues('SE', '2026-11-23'), code: 'se_osl_40_2', citation: 'OSL 40:2', titleSv: 'a', titleNb: 'b', titleEn: 'c' };
    expect(validateGround(ok, TABLE)).toEqual({});
    const e = validateGround({ ...ok, code: 'SE-osl', citation: '', titleNb: ' ', titleEn: 'x'.repeat(201), validFrom: '2026-02-30', validTo: 'igår' }, TABLE);
    expect(e).toEqual({
      code: { key: 'foi.settings.ground.error.code' },
      citation: { key: 'validation.required' },
      titleNb: { key: 'validation.required' },
      titleEn: { key: 'validation.too_long_max', vars: { max: 200 } },
      validFrom: { key: 'validation.date_invalid' },
      validTo: { key: 'validation.date_invalid' },
    });
    const twice = validateGround({ ...ok, code: 'se_a' }, TABLE);
    expect(twice.code).toEqual({ key: 'foi.settings.rule.foi_ground_twice', vars: { code: 'se_a' } });
    const before = validateGround({ ...ok, validFrom: '2026-11-23', validTo: '2026-11-22' }, TABLE);
    expect(before).toEqual({ validTo: { key: 'foi.settings.rule.end_before_start', vars: { date: '2026-11-23' } } });
    expect(validateGround({ ...ok, validTo: '2026-11-23' }, TABLE)).toEqual({});
    expect(validateEnd('', '2026-01-01', true)).toEqual({ validTo: { key: 'validation.required' } });
    expectMessages(...Object.values(e), twice.code, before.validTo);
  });

  it('agrees with the contract on the code, the citation’s and titles’ lengths and the days', () => {
    const ok: GroundValues = { ...newGroundValues('SE', '2026-11-23'), code: 'se_x', citation: 'OSL 1:1', titleSv: 'a', titleNb: 'b', titleEn: 'c' };
    const variants: Partial<GroundValues>[] = [
      { code: 'a' },
      { code: 'ab' },
      { code: 'x'.repeat(40) },
      { code: 'x'.repeat(41) },
      { code: 'Se_x' },
      { code: 'se-x' },
      { code: 'se x' },
      { code: 'sé_x' },
      { citation: 'x'.repeat(120) },
      { citation: 'x'.repeat(121) },
      { titleSv: 'x'.repeat(200) },
      { titleNb: 'x'.repeat(201) },
      { citation: '   ' },
      { validFrom: '2026-11-31' },
      { validTo: '2027-01-01' },
      { validFrom: '' },
    ];
    for (const patch of variants) {
      const v = { ...ok, ...patch };
      const formOk = Object.keys(validateGround(v, [])).length === 0;
      expect(formOk, JSON.stringify(patch)).toBe(foiGround.safeParse(valuesToGround(v)).success);
    }
  });

  it('sends the whole table after one change: a ground changed in its place, a new one last, one removed, one ended', () => {
    const changed = { ...TABLE[0]!, citation: 'OSL 21:3 (ändrad)' };
    expect(putGround(TABLE, 'se_a', changed).map((g) => g.citation)).toEqual(['OSL 21:3 (ändrad)', 'offl. § 14', 'GDPR art. 15.4', 'OSL se_d']);
    expect(putGround(TABLE, null, G('se_new')).map((g) => g.code)).toEqual(['se_a', 'no_b', 'both_c', 'se_d', 'se_new']);
    // A ground someone else removed meanwhile is put back last.
    expect(putGround(TABLE.slice(1), 'se_a', changed).map((g) => g.code)).toEqual(['no_b', 'both_c', 'se_d', 'se_a']);
    expect(removeGround(TABLE, 'no_b').map((g) => g.code)).toEqual(['se_a', 'both_c', 'se_d']);
    const ended = endGround(TABLE, 'both_c', '2026-12-31');
    expect(ended[2]).toEqual({ ...TABLE[2], validTo: '2026-12-31' });
    expect(ended.filter((g, i) => g !== TABLE[i])).toHaveLength(1);
  });

  describe('the core’s refusals', () => {
    const ctx = (sent: FoiGround[], code: string | null) => ({ sent, read: TABLE, code, fields: code === null ? [] : GROUND_FIELDS });

    it('lands two grounds with one code on the new ground’s code, whichever of the two the core names', () => {
      const sent = putGround(TABLE, null, G('se_a'));
      const second: ApiError = { code: 'rule_violation', rule: 'foi_ground_twice', message: 'x', field: 'grounds.4.code' };
      expect(mapGroundsError(second, ctx(sent, 'se_a'))).toEqual({ fields: { code: { key: 'foi.settings.rule.foi_ground_twice', vars: { code: 'se_a' } } }, top: [] });
      const first: ApiError = { ...second, field: 'grounds.0.code' };
      expect(mapGroundsError(first, ctx(sent, 'se_a')).fields.code).toBeDefined();
    });

    it('lands a last day before the first on the dialog’s ground, or names another ground at the top', () => {
      const own = G('se_new', { validFrom: '2026-11-23', validTo: '2026-11-01' });
      const sent = putGround(TABLE, null, own);
      const mine = mapGroundsError({ code: 'rule_violation', rule: 'end_before_start', message: 'x', field: 'grounds.4.validTo' }, ctx(sent, 'se_new'));
      expect(mine).toEqual({ fields: { validTo: { key: 'foi.settings.rule.end_before_start', vars: { date: '2026-11-23' } } }, top: [] });
      const other = mapGroundsError({ code: 'rule_violation', rule: 'end_before_start', message: 'x', field: 'grounds.1.validTo' }, ctx(sent, 'se_new'));
      expect(other).toEqual({ fields: {}, top: [{ key: 'foi.settings.rule.end_before_start.other', vars: { citation: 'offl. § 14' } }] });
      expectMessages(...allOf(mine), ...allOf(other));
    });

    it('says a ground in use cannot be removed, with its citation, and advises ending it', () => {
      const e: ApiError = { code: 'rule_violation', rule: 'foi_ground_in_use', message: 'x', field: 'grounds', details: { code: 'no_b' } };
      expect(groundInUse(e)).toBe('no_b');
      expect(groundInUse({ ...e, rule: 'foi_ground_twice' })).toBeNull();
      const m = mapGroundsError(e, ctx(removeGround(TABLE, 'no_b'), null));
      expect(m).toEqual({ fields: {}, top: [{ key: 'foi.settings.rule.foi_ground_in_use', vars: { code: 'no_b', citation: 'offl. § 14' } }] });
      expectMessages(...allOf(m));
    });

    it('lands the contract’s refusal of the dialog’s ground on its fields, and of another ground at the top', () => {
      const own = G('se_new', { title: { sv: '', nb: 'b', en: 'c' } });
      const sent = putGround(TABLE, null, own);
      const r = foiGround.array().safeParse(sent);
      expect(r.success).toBe(false);
      const e = zodIssuesToApiError(r.error!.issues.map((i) => ({ ...i, path: ['grounds', ...i.path] })) as never);
      const m = mapGroundsError(e, ctx(sent, 'se_new'));
      expect(m).toEqual({ fields: { titleSv: { key: 'validation.required' } }, top: [] });
      const onOther = mapGroundsError({ code: 'validation', message: 'x', issues: [{ field: 'grounds.1.citation', code: 'too_big', message: 'x' }] }, ctx(sent, 'se_new'));
      expect(onOther.top).toEqual([{ key: 'foi.settings.ground.error.other', vars: { citation: 'offl. § 14' } }]);
      const empty = mapGroundsError({ code: 'validation', message: 'x', issues: [{ field: 'grounds', code: 'too_small', message: 'x' }] }, ctx([], null));
      expect(empty.top).toEqual([{ key: 'foi.settings.ground.error.last' }]);
      expectMessages(...allOf(m), ...allOf(onOther), ...allOf(empty));
    });

    it('leaves every other answer to the kit', () => {
      expect(mapGroundsError({ code: 'forbidden', message: 'x' }, ctx(TABLE, null)).top).toEqual([{ key: 'error.forbidden' }]);
    });
  });
});
