/**
 * The fee reduction form's pure parts: its checks, the call it makes, the school year a national rule
 * defaults to, and where the core's refusals land (a short illness at the last day, an overlap at the
 * first day when adding and at the last when ending, an end before the start by its rule); every message
 * it names exists in every language.
 */
import { describe, expect, it } from 'vitest';
import type { ApiError } from '../../../../shared/api/transport';
import { FEE_REDUCTION_KINDS } from '../../../../shared/api/fees';
import { catalogs, LANGUAGES } from '../../../../shared/i18n';
import { mapReductionError, REDUCTION_KINDS, schoolYearEnd, toReductionInput, validateReduction, type ReductionValues } from './Reductions';

const rule = (r: string, field?: string, details?: Record<string, string | number>): ApiError => ({ code: 'rule_violation', message: r, rule: r, ...(field ? { field } : {}), ...(details ? { details } : {}) }) as ApiError;
const period = (from: string, to: string | null) => (to ? `${from}–${to}` : `${from}–`);
const v = (patch: Partial<ReductionValues>): ReductionValues => ({ kind: 'illness', validFrom: '2026-12-01', validTo: '2026-12-30', note: '', ...patch });
const ADD = ['kind', 'validFrom', 'validTo', 'note'];

describe('the reduction form', () => {
  it('offers exactly the contract\'s kinds, in its order', () => {
    expect([...REDUCTION_KINDS]).toEqual([...FEE_REDUCTION_KINDS]);
  });

  it('asks for a kind and a first day, dates that are dates, an illness\'s last day; leaves the span\'s rules to the core', () => {
    expect(validateReduction(v({}))).toEqual({});
    expect(validateReduction(v({ kind: '', validFrom: '' }))).toEqual({ kind: { key: 'validation.required' }, validFrom: { key: 'validation.required' } });
    expect(validateReduction(v({ validFrom: '2026-02-30' }))).toEqual({ validFrom: { key: 'validation.date_invalid' } });
    expect(validateReduction(v({ validTo: '30/13' }))).toEqual({ validTo: { key: 'validation.date_invalid' } });
    expect(validateReduction(v({ validTo: '' }))).toEqual({ validTo: { key: 'fees.reduction.illnessToRequired' } });
    // A national rule or a special-needs place may leave the last day to the core; a 10-day illness is the core's to refuse.
    expect(validateReduction(v({ kind: 'national_rule', validTo: '' }))).toEqual({});
    expect(validateReduction(v({ kind: 'special_needs', validTo: '' }))).toEqual({});
    expect(validateReduction(v({ validTo: '2026-12-10' }))).toEqual({});
    expect(validateReduction(v({ note: 'x'.repeat(501) }))).toEqual({ note: { key: 'validation.too_long' } });
  });

  it('sends the last day and the note only when given', () => {
    const child = '00000000-0000-4000-8000-000000000001';
    expect(toReductionInput(child, v({ note: '  Legeerklæring  ' }))).toEqual({ childId: child, kind: 'illness', validFrom: '2026-12-01', validTo: '2026-12-30', note: 'Legeerklæring' });
    expect(toReductionInput(child, v({ kind: 'special_needs', validTo: ' ', note: ' ' }))).toEqual({ childId: child, kind: 'special_needs', validFrom: '2026-12-01' });
  });

  it('defaults a national rule to the end of the school year that holds its first day', () => {
    expect(schoolYearEnd('2026-08-01')).toBe('2027-07-31');
    expect(schoolYearEnd('2027-03-15')).toBe('2027-07-31');
    expect(schoolYearEnd('2027-07-31')).toBe('2027-07-31');
  });
});

describe('mapReductionError', () => {
  it('puts a short illness at the last day with its days, an overlap at the first day with the other\'s dates', () => {
    expect(mapReductionError(rule('fee_illness_short', 'validTo', { days: 10, min: 28 }), ADD, period)).toEqual({ fields: { validTo: { key: 'fees.rule.fee_illness_short', vars: { days: 10 } } }, top: [] });
    expect(mapReductionError(rule('fee_reduction_overlap', 'validFrom', { from: '2026-09-01', to: '' }), ADD, period)).toEqual({
      fields: { validFrom: { key: 'fees.rule.fee_reduction_overlap', vars: { period: '2026-09-01–' } } },
      top: [],
    });
  });

  it('ending: the overlap lands on the last day, the only field there is', () => {
    expect(mapReductionError(rule('fee_reduction_overlap', 'validFrom', { from: '2027-01-01', to: '2027-02-28' }), ['validTo'], period)).toEqual({
      fields: { validTo: { key: 'fees.rule.fee_reduction_overlap', vars: { period: '2027-01-01–2027-02-28' } } },
      top: [],
    });
  });

  it('the rest as the kit maps it: an end before the start by its rule, a missing last day, a Swedish municipality and a missing child at the top', () => {
    expect(mapReductionError(rule('end_before_start', 'validTo'), ADD, period).fields.validTo).toEqual({ key: 'rule.end_before_start' });
    const missing = { code: 'validation', message: 'x', field: 'validTo', issues: [{ field: 'validTo', code: 'required', message: 'x' }] } as ApiError;
    expect(mapReductionError(missing, ADD, period)).toEqual({ fields: { validTo: { key: 'validation.required' } }, top: [] });
    expect(mapReductionError({ code: 'unavailable', message: 'Norwegian rules' } as ApiError, ADD, period)).toEqual({ fields: {}, top: [{ key: 'error.unavailable' }] });
    expect(mapReductionError({ code: 'not_found', message: 'No such person', field: 'childId' } as ApiError, ADD, period)).toEqual({ fields: {}, top: [{ key: 'error.not_found' }] });
  });

  it('every message the block and its dialogs name exists in every language', () => {
    const keys = Object.keys(catalogs.sv).filter((k) => k.startsWith('fees.reduction.') || k === 'fees.rule.fee_illness_short' || k === 'fees.rule.fee_reduction_overlap' || k === 'fees.shortcut.reduction');
    expect(keys.length).toBeGreaterThan(40);
    for (const kind of REDUCTION_KINDS) for (const k of [`fees.reduction.kind.${kind}`, `fees.reduction.kindHint.${kind}`, `fees.reduction.validToHint.${kind}`]) expect(keys).toContain(k);
    for (const l of LANGUAGES) for (const k of keys) expect((catalogs[l] as Record<string, string>)[k], `${l} ${k}`).toBeTruthy();
  });
});
