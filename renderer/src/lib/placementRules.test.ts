import { describe, expect, it } from 'vitest';
import { placementRules } from '../../../shared/api/care';
import {
  canEditRules,
  emptyException,
  mapRulesError,
  parseWhole,
  rulesDirty,
  rulesFieldKnown,
  rulesToValues,
  savedValues,
  shiftExceptionErrors,
  validateRules,
  valuesToRules,
  type PlacementRules,
} from './placementRules';

// The core's defaults (core/placements/rules.ts), which the renderer may not import.
const DEFAULT_PLACEMENT_RULES: PlacementRules = {
  noticeMonths: { FS: 2, PO: 2, BHG: 1, FTH: 1, OPPFTH: 1, SFO: 1 },
  ageLimits: { FS: { min: 1, max: 6 }, PO: { min: 1, max: 12 }, BHG: { min: 0, max: 6 }, FTH: { min: 5, max: 13 }, OPPFTH: { min: 9, max: 13 }, SFO: { min: 5, max: 10 } },
  finalGrade: { FKLASS: 0, GR: 9, GRS: 9, GY: 3, GYS: 4, VUX: 13, GSK: 10, VGS: 3 },
  rolloverExceptions: [],
  guaranteeMonths: 4,
};
const U1 = '0123abcd-0000-4000-8000-000000000001';
const U2 = '0123abcd-0000-4000-8000-000000000002';
const stored: PlacementRules = {
  ...DEFAULT_PLACEMENT_RULES,
  rolloverExceptions: [{ unitId: U1, fromName: '6A', toName: '7D', toUnitId: U2 }],
};

describe('placement rules form', () => {
  it('lets only municipality-wide org.write save (the registrar, not a clerk)', () => {
    expect(canEditRules([{ role: 'registrar', unitId: null }])).toBe(true);
    expect(canEditRules([{ role: 'sysadmin', unitId: null }])).toBe(true);
    expect(canEditRules([{ role: 'clerk', unitId: null }])).toBe(false);
    expect(canEditRules([{ role: 'registrar', unitId: U1 }, { role: 'clerk', unitId: null }])).toBe(false);
    expect(canEditRules([])).toBe(false);
  });

  it('shows only the country’s forms and saves the other country’s values unchanged', () => {
    const se = rulesToValues(stored, 'SE');
    expect(Object.keys(se.noticeMonths)).toEqual(['FS', 'PO', 'FTH', 'OPPFTH']);
    expect(Object.keys(se.finalGrade)).toEqual(['FKLASS', 'GR', 'GRS', 'GY', 'GYS', 'VUX']);
    const edited = { ...se, noticeMonths: { ...se.noticeMonths, FS: '3' }, ageMax: { ...se.ageMax, FTH: '12' }, finalGrade: { ...se.finalGrade, GR: '10' }, guaranteeMonths: '3' };
    const out = valuesToRules(edited, stored, 'SE');
    expect(out.noticeMonths).toEqual({ ...stored.noticeMonths, FS: 3 });
    expect(out.ageLimits.FTH).toEqual({ min: 5, max: 12 });
    expect(out.ageLimits.BHG).toEqual(stored.ageLimits.BHG);
    expect(out.finalGrade).toEqual({ ...stored.finalGrade, GR: 10 });
    expect(out.guaranteeMonths).toBe(3);
    expect(out.rolloverExceptions).toEqual(stored.rolloverExceptions);

    const no = rulesToValues(stored, 'NO');
    expect(Object.keys(no.ageMin)).toEqual(['BHG', 'SFO']);
    expect(valuesToRules(no, stored, 'NO')).toEqual(stored);
  });

  it('produces a document the contract accepts, trimming class names and dropping an "other unit" that is the same unit', () => {
    const v = rulesToValues(DEFAULT_PLACEMENT_RULES, 'SE');
    v.exceptions = [{ ...emptyException(), unitId: U1, fromName: ' 9B ', toName: '9B ', toUnitId: U1 }];
    expect(validateRules(v, 'SE')).toEqual({});
    const out = valuesToRules(v, DEFAULT_PLACEMENT_RULES, 'SE');
    expect(out.rolloverExceptions).toEqual([{ unitId: U1, fromName: '9B', toName: '9B', toUnitId: null }]);
    expect(placementRules.safeParse(out).success).toBe(true);
  });

  it('accepts whole numbers within bounds only', () => {
    const b = { min: 0, max: 6 };
    expect(parseWhole('0', b)).toBe(0);
    expect(parseWhole(' 6 ', b)).toBe(6);
    for (const bad of ['7', '-1', '1.5', '1e1', '', 'två', undefined]) expect(parseWhole(bad, b)).toBeNull();
  });

  it('names every field in error by its contract path, with the range it must be in', () => {
    const v = rulesToValues(DEFAULT_PLACEMENT_RULES, 'SE');
    v.noticeMonths.FS = '7';
    v.ageMin.PO = '';
    v.ageMin.FTH = '10';
    v.ageMax.FTH = '8';
    v.finalGrade.GR = '1.5';
    v.guaranteeMonths = '0';
    expect(validateRules(v, 'SE')).toEqual({
      'noticeMonths.FS': { key: 'rules.error.range', vars: { min: 0, max: 6 } },
      'ageLimits.PO.min': { key: 'validation.required' },
      'ageLimits.FTH.max': { key: 'rules.error.ageOrder', vars: { min: 10 } },
      'finalGrade.GR': { key: 'rules.error.range', vars: { min: 0, max: 13 } },
      guaranteeMonths: { key: 'rules.error.range', vars: { min: 1, max: 12 } },
    });
  });

  it('requires a unit and both class names on each exception, and refuses the same class twice', () => {
    const v = rulesToValues(DEFAULT_PLACEMENT_RULES, 'NO');
    v.exceptions = [
      { ...emptyException(), unitId: U1, fromName: '6A', toName: '7D' },
      emptyException(),
      { ...emptyException(), unitId: U1, fromName: '6a', toName: 'x'.repeat(41) },
    ];
    expect(validateRules(v, 'NO')).toEqual({
      'rolloverExceptions.1.unitId': { key: 'validation.required' },
      'rolloverExceptions.1.fromName': { key: 'validation.required' },
      'rolloverExceptions.1.toName': { key: 'validation.required' },
      'rolloverExceptions.2.fromName': { key: 'rules.error.duplicateException' },
      'rolloverExceptions.2.toName': { key: 'validation.too_long_max', vars: { max: 40 } },
    });
  });

  it('is dirty after a change and clean again when it is undone, whatever the row keys', () => {
    const a = rulesToValues(stored, 'SE');
    const b = rulesToValues(stored, 'SE');
    expect(a.exceptions[0]?.key).not.toBe(b.exceptions[0]?.key);
    expect(rulesDirty(a, b)).toBe(false);
    expect(rulesDirty({ ...a, guaranteeMonths: '5' }, b)).toBe(true);
    expect(rulesDirty({ ...a, exceptions: [] }, b)).toBe(true);
  });

  it('puts the core’s refusals on the fields: zod ranges, unknown units, and paths the screen does not show', () => {
    const v = rulesToValues(stored, 'SE');
    const known = rulesFieldKnown(v, 'SE');
    const validation = mapRulesError(
      {
        code: 'validation',
        message: 'Invalid input',
        issues: [
          { field: 'noticeMonths.FS', code: 'too_big', message: 'Too big' },
          { field: 'rolloverExceptions.0.toName', code: 'too_small', message: 'Too small' },
          { field: 'ageLimits.BHG.min', code: 'too_big', message: 'Too big' },
        ],
      },
      known,
    );
    expect(validation.fields).toEqual({
      'noticeMonths.FS': { key: 'rules.error.range', vars: { min: 0, max: 6 } },
      'rolloverExceptions.0.toName': { key: 'validation.invalid' },
    });
    expect(validation.top).toEqual([{ key: 'validation.invalid' }]);

    const missing = mapRulesError({ code: 'not_found', message: 'No such unit', field: 'rolloverExceptions.0.toUnitId' }, known);
    expect(missing.fields).toEqual({ 'rolloverExceptions.0.toUnitId': { key: 'care.error.notFoundField' } });
    expect(mapRulesError({ code: 'forbidden', message: 'no' }, known).top).toEqual([{ key: 'error.forbidden' }]);
  });

  it('moves the messages of the rows below a removed exception up one row', () => {
    const req = { key: 'validation.required' } as const;
    expect(
      shiftExceptionErrors({ guaranteeMonths: req, 'rolloverExceptions.0.toName': req, 'rolloverExceptions.1.unitId': req, 'rolloverExceptions.2.fromName': req, 'rolloverExceptions.10.toName': req }, 1),
    ).toEqual({ guaranteeMonths: req, 'rolloverExceptions.0.toName': req, 'rolloverExceptions.1.fromName': req, 'rolloverExceptions.9.toName': req });
  });

  it('keeps the rows’ keys when the saved rules replace the form', () => {
    const cur = rulesToValues(stored, 'SE');
    const next = savedValues({ ...stored, guaranteeMonths: 2 }, 'SE', cur);
    expect(next.exceptions.map((x) => x.key)).toEqual(cur.exceptions.map((x) => x.key));
    expect(next.guaranteeMonths).toBe('2');
    expect(rulesDirty(next, { ...cur, guaranteeMonths: '2' })).toBe(false);
  });
});
