/**
 * A shared-residence child's declared split as typed: percentages ↔ basis points, the remainder an empty
 * last field stands for, the form's checks, the call it makes, and where the core's refusals land.
 */
import { describe, expect, it } from 'vitest';
import { catalogs, LANGUAGES } from '../../../shared/i18n';
import type { ApiError } from '../../../shared/api/transport';
import { mapSplitError, parsePercent, percentInputText, readSplit, splitField, splitRemainder, splitValues, SPLIT_RULES, toSplitInput, validateSplit } from './fees';
import { formatBasisPoints } from './format';

const pct = (bp: number) => formatBasisPoints(bp, 'sv');
const rule = (r: string, field?: string, details?: Record<string, string | number>): ApiError => ({ code: 'rule_violation', message: r, rule: r, ...(field ? { field } : {}), ...(details ? { details } : {}) }) as ApiError;

describe('parsePercent', () => {
  it('reads whole percentages and up to two decimals, with comma or point, with or without %', () => {
    expect(parsePercent('70')).toBe(7_000);
    expect(parsePercent('30')).toBe(3_000);
    expect(parsePercent('100')).toBe(10_000);
    expect(parsePercent('0')).toBe(0);
    expect(parsePercent('33,33')).toBe(3_333);
    expect(parsePercent('66.67')).toBe(6_667);
    expect(parsePercent('12,5')).toBe(1_250);
    expect(parsePercent(' 70 % ')).toBe(7_000);
    expect(parsePercent('70\u00a0%')).toBe(7_000);
    expect(parsePercent('50 procent')).toBe(5_000);
  });
  it('empty is null; a sign, three decimals, two marks or letters are invalid; above 100 is read (the form refuses it)', () => {
    expect(parsePercent('')).toBeNull();
    expect(parsePercent('  ')).toBeNull();
    expect(parsePercent('%')).toBeNull();
    for (const s of ['-10', '+10', '33,333', '1,2,3', '7O', 'abc', ',5', '70,', '1.000,00']) expect(parsePercent(s), s).toBe('invalid');
    expect(parsePercent('150')).toBe(15_000);
  });
});

describe('percentInputText', () => {
  it('writes basis points as a person would type them again, in the reader’s decimal mark', () => {
    expect(percentInputText(7_000, 'sv')).toBe('70');
    expect(percentInputText(3_333, 'sv')).toBe('33,33');
    expect(percentInputText(3_333, 'nb')).toBe('33,33');
    expect(percentInputText(3_333, 'en')).toBe('33.33');
    expect(percentInputText(1_250, 'sv')).toBe('12,5');
    expect(percentInputText(5, 'en')).toBe('0.05');
    expect(percentInputText(0, 'sv')).toBe('0');
    expect(percentInputText(10_000, 'sv')).toBe('100');
  });
  it('reads back to the same basis points', () => {
    for (const bp of [0, 1, 5, 10, 99, 100, 1_250, 3_333, 6_667, 7_000, 9_999, 10_000]) for (const l of LANGUAGES) expect(parsePercent(percentInputText(bp, l))).toBe(bp);
  });
});

describe('splitRemainder', () => {
  it('is 100 % minus the other parts', () => {
    expect(splitRemainder([7_000, null])).toBe(3_000);
    expect(splitRemainder([3_333, 3_333, null])).toBe(3_334);
    expect(splitRemainder([null, 2_500], 0)).toBe(7_500);
    expect(splitRemainder([10_000, null])).toBe(0);
  });
  it('is null while another part is empty or not a percentage, or the others pass 100 %', () => {
    expect(splitRemainder([null, null])).toBeNull();
    expect(splitRemainder(['invalid', null])).toBeNull();
    expect(splitRemainder([6_000, 5_000, null])).toBeNull();
  });
});

describe('readSplit and splitValues', () => {
  it('an empty last field takes the rest; the total is known only when every part reads', () => {
    expect(readSplit({ parts: ['70', ''] })).toEqual({ parsed: [7_000, null], remainder: 3_000, bps: [7_000, 3_000], total: 10_000 });
    expect(readSplit({ parts: ['70', '20'] })).toMatchObject({ remainder: null, bps: [7_000, 2_000], total: 9_000 });
    expect(readSplit({ parts: ['', '30'] })).toMatchObject({ bps: [null, 3_000], total: null });
    expect(readSplit({ parts: ['x', ''] })).toMatchObject({ remainder: null, total: null });
  });
  it('opens with the declared parts, empty where none is declared', () => {
    expect(splitValues([7_000, 3_000], 'sv')).toEqual({ parts: ['70', '30'] });
    expect(splitValues([null, null], 'sv')).toEqual({ parts: ['', ''] });
    expect(splitValues([3_333, 6_667], 'en')).toEqual({ parts: ['33.33', '66.67'] });
  });
});

describe('validateSplit', () => {
  it('passes parts that add up to exactly 100 % (the last may be left empty)', () => {
    expect(validateSplit({ parts: ['70', '30'] }, pct)).toEqual({});
    expect(validateSplit({ parts: ['70', ''] }, pct)).toEqual({});
    expect(validateSplit({ parts: ['33,33', '33,33', '33,34'] }, pct)).toEqual({});
    expect(validateSplit({ parts: ['100', '0'] }, pct)).toEqual({});
  });
  it('says what is wrong with a part, at that part', () => {
    expect(validateSplit({ parts: ['', '30'] }, pct)).toEqual({ 'parts.0': { key: 'fees.split.partRequired' } });
    expect(validateSplit({ parts: ['7O', '30'] }, pct)).toEqual({ 'parts.0': { key: 'fees.split.partInvalid' } });
    expect(validateSplit({ parts: ['150', ''] }, pct)).toEqual({ 'parts.0': { key: 'fees.split.partRange' } });
    expect(validateSplit({ parts: ['50', '33,333'] }, pct)).toEqual({ 'parts.1': { key: 'fees.split.partInvalid' } });
  });
  it('a sum other than 100 % at the sum, in the reader’s words', () => {
    expect(validateSplit({ parts: ['70', '20'] }, pct)).toEqual({ shares: { key: 'fees.split.totalWrong', vars: { total: pct(9_000) } } });
    expect(validateSplit({ parts: ['70', '40'] }, pct)).toEqual({ shares: { key: 'fees.split.totalWrong', vars: { total: pct(11_000) } } });
    // The others pass 100 % already: nothing left for the empty last part.
    expect(validateSplit({ parts: ['60', '50', ''] }, pct)).toEqual({ shares: { key: 'fees.split.totalWrong', vars: { total: pct(11_000) } } });
  });
});

describe('toSplitInput', () => {
  it('names each household with its part, in the form’s order, the rest in an empty last part', () => {
    expect(toSplitInput('c', ['a', 'b'], { parts: ['70', ''] })).toEqual({ childId: 'c', shares: [{ householdId: 'a', feeShareBp: 7_000 }, { householdId: 'b', feeShareBp: 3_000 }] });
    expect(toSplitInput('c', ['a', 'b'], { parts: ['33,33', '66.67'] }).shares.map((s) => s.feeShareBp)).toEqual([3_333, 6_667]);
  });
});

describe('the core’s refusals', () => {
  it('maps the core’s paths to the form’s fields', () => {
    expect(splitField('shares')).toBe('shares');
    expect(splitField('shares.1.householdId')).toBe('parts.1');
    expect(splitField('shares.0.feeShareBp')).toBe('parts.0');
    expect(splitField('shares.2')).toBe('parts.2');
    expect(splitField('childId')).toBeNull();
  });
  it('puts each rule where it belongs', () => {
    expect(mapSplitError(rule('fee_split_total', 'shares', { total: 9_000 }), pct)).toEqual({ fields: { shares: { key: 'fees.rule.fee_split_total', vars: { total: pct(9_000) } } }, top: [] });
    expect(mapSplitError(rule('fee_split_total', 'shares'), pct)).toEqual({ fields: { shares: { key: 'fees.split.totalNot100' } }, top: [] });
    expect(mapSplitError(rule('fee_split_incomplete', 'shares', { missing: 1 }), pct)).toEqual({ fields: { shares: { key: 'fees.rule.fee_split_incomplete' } }, top: [] });
    expect(mapSplitError(rule('fee_split_household', 'shares.1.householdId'), pct)).toEqual({ fields: { 'parts.1': { key: 'fees.rule.fee_split_household' } }, top: [] });
    expect(mapSplitError(rule('fee_split_not_shared', 'childId'), pct)).toEqual({ fields: {}, top: [{ key: 'fees.rule.fee_split_not_shared' }] });
  });
  it('everything else as the other fee forms map it', () => {
    expect(mapSplitError({ code: 'forbidden', message: 'no' } as ApiError, pct).top).toEqual([{ key: 'error.forbidden' }]);
    const v = mapSplitError({ code: 'validation', message: 'bad', issues: [{ field: 'shares.0.feeShareBp', code: 'too_big', message: 'x' }] } as ApiError, pct);
    expect(Object.keys(v.fields)).toEqual(['parts.0']);
  });
  it('every rule and message has its words in every language', () => {
    for (const l of LANGUAGES) {
      const c = catalogs[l] as Record<string, string>;
      for (const r of SPLIT_RULES) expect(c[`fees.rule.${r}`], `${l} ${r}`).toBeTruthy();
      for (const k of ['title', 'notDeclared', 'used', 'notUsed', 'edit', 'partLabel', 'sum', 'sumLeft', 'sumOver', 'totalWrong', 'totalNot100', 'partRequired', 'partInvalid', 'partRange']) expect(c[`fees.split.${k}`], `${l} ${k}`).toBeTruthy();
    }
  });
});
