/**
 * What the queue promises, as rules: the Swedish four-month guarantee and the Norwegian right to a place
 * (barnehageloven § 16) around the main admission's deadline, the birthday cut-off, school age and the
 * clock. Pure functions; the dispatcher's use of them is tested in applications.test.ts and queue-no.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { MainAdmission } from '../../shared/api/care';
import { placementRules } from '../../shared/api/care';
import { admissionOf, daysBetween, guaranteeOf, rightToPlace, type GuaranteeFacts } from './guarantee';
import { DEFAULT_PLACEMENT_RULES } from './rules';

const NO: MainAdmission = { deadline: '03-01', placesFrom: '08-01', lastBirthMonth: 11, years: [] };
const rules = { guaranteeMonths: 4, mainAdmission: NO };

const bhg = (f: Partial<GuaranteeFacts>): GuaranteeFacts => ({
  schoolForm: 'BHG',
  appliedOn: '2026-02-10',
  wishedStart: '2026-08-15',
  birthDate: '2024-05-20',
  status: 'queued',
  offerStart: null,
  ...f,
});
const fs = (f: Partial<GuaranteeFacts>): GuaranteeFacts => ({ ...bhg({}), schoolForm: 'FS', ...f });

describe('Sweden: the placement guarantee (skollagen 8:14)', () => {
  it('four months after the application, or the wished start when later; days counted to it', () => {
    const g = guaranteeOf(fs({ appliedOn: '2026-06-01', wishedStart: '2026-07-01' }), rules, '2026-09-01');
    expect(g).toMatchObject({ rule: 'se_guarantee', date: '2026-10-01', dueBy: '2026-10-01', daysLeft: 30, urgency: 'soon', overdue: false, noRight: null, admission: null });
    expect(guaranteeOf(fs({ appliedOn: '2026-06-01', wishedStart: '2027-01-11' }), rules, '2026-09-01')).toMatchObject({ date: '2027-01-11', urgency: 'ok' });
  });

  it('is never measured by the Norwegian rules, whatever the birth date', () => {
    // Born in December: no Norwegian right, but the Swedish guarantee has no birthday cut-off.
    expect(guaranteeOf(fs({ birthDate: '2025-12-20', appliedOn: '2026-05-01', wishedStart: '2026-06-01' }), rules, '2026-06-01').date).toBe('2026-09-01');
  });

  it('urgency: ok far ahead, soon within 30 days, due on the day itself, overdue the day after', () => {
    const f = fs({ appliedOn: '2026-06-01', wishedStart: '2026-07-01' }); // 2026-10-01
    expect(guaranteeOf(f, rules, '2026-08-31')).toMatchObject({ urgency: 'ok', daysLeft: 31 });
    expect(guaranteeOf(f, rules, '2026-09-01')).toMatchObject({ urgency: 'soon', daysLeft: 30 });
    expect(guaranteeOf(f, rules, '2026-10-01')).toMatchObject({ urgency: 'soon', daysLeft: 0, overdue: false, daysOverdue: null });
    expect(guaranteeOf(f, rules, '2026-10-02')).toMatchObject({ urgency: 'overdue', daysLeft: -1, overdue: true, daysOverdue: 1 });
  });

  it('an offer starting by the date keeps the promise; a later one does not; closed applications carry no urgency', () => {
    const f = fs({ appliedOn: '2026-06-01', wishedStart: '2026-07-01', status: 'offered' });
    expect(guaranteeOf({ ...f, offerStart: '2026-10-01' }, rules, '2026-10-20')).toMatchObject({ urgency: 'met', overdue: false });
    expect(guaranteeOf({ ...f, offerStart: '2026-11-02' }, rules, '2026-10-20')).toMatchObject({ urgency: 'overdue', overdue: true, daysOverdue: 19 });
    expect(guaranteeOf(fs({ status: 'placed', appliedOn: '2026-01-01' }), rules, '2026-12-01')).toMatchObject({ urgency: null, overdue: false });
    expect(guaranteeOf(fs({ status: 'withdrawn', appliedOn: '2026-01-01' }), rules, '2026-12-01')).toMatchObject({ urgency: null, overdue: false });
  });
});

describe('Norway: the right to a place (barnehageloven § 16)', () => {
  it('the admission is the places year of the wished start, with the usual deadline or the year’s own', () => {
    expect(admissionOf('2026-08-15', NO)).toEqual({ year: 2026, deadline: '2026-03-01', placesFrom: '2026-08-01' });
    expect(admissionOf('2027-01-10', NO)).toEqual({ year: 2026, deadline: '2026-03-01', placesFrom: '2026-08-01' });
    expect(admissionOf('2026-07-31', NO)).toMatchObject({ year: 2025 });
    expect(admissionOf('2026-08-15', { ...NO, years: [{ year: 2026, deadline: '2026-02-15' }] }).deadline).toBe('2026-02-15');
  });

  it('applied by the deadline: the right from August; the day after the deadline: rolling admission, no right', () => {
    expect(rightToPlace({ appliedOn: '2026-03-01', wishedStart: '2026-08-01', birthDate: '2024-05-20' }, NO)).toMatchObject({
      date: '2026-08-01',
      dueBy: '2026-08-31',
      noRight: null,
    });
    expect(rightToPlace({ appliedOn: '2026-03-02', wishedStart: '2026-08-01', birthDate: '2024-05-20' }, NO)).toMatchObject({
      date: null,
      dueBy: null,
      noRight: 'after_deadline',
      admission: { year: 2026, deadline: '2026-03-01' },
    });
    // A municipality's own deadline for the year moves the line.
    const own = { ...NO, years: [{ year: 2026, deadline: '2026-03-15' }] };
    expect(rightToPlace({ appliedOn: '2026-03-10', wishedStart: '2026-08-01', birthDate: '2024-05-20' }, own).noRight).toBeNull();
    expect(rightToPlace({ appliedOn: '2026-03-16', wishedStart: '2026-08-01', birthDate: '2024-05-20' }, own).noRight).toBe('after_deadline');
  });

  it('a wished start after August moves the date; one within August keeps the month', () => {
    expect(rightToPlace({ appliedOn: '2026-01-10', wishedStart: '2026-08-17', birthDate: '2024-05-20' }, NO)).toMatchObject({ date: '2026-08-17', dueBy: '2026-08-31' });
    expect(rightToPlace({ appliedOn: '2026-01-10', wishedStart: '2026-10-05', birthDate: '2024-05-20' }, NO)).toMatchObject({ date: '2026-10-05', dueBy: '2026-10-05' });
  });

  it('the birthday cut-off: one by the end of August from August; September–November from that month; December none', () => {
    const at = (birthDate: string) => rightToPlace({ appliedOn: '2026-02-01', wishedStart: '2026-08-01', birthDate }, NO);
    expect(at('2025-08-31')).toMatchObject({ date: '2026-08-01', dueBy: '2026-08-31' });
    expect(at('2025-09-01')).toMatchObject({ date: '2026-09-01', dueBy: '2026-09-30' });
    expect(at('2025-10-20')).toMatchObject({ date: '2026-10-01', dueBy: '2026-10-31' });
    expect(at('2025-11-30')).toMatchObject({ date: '2026-11-01', dueBy: '2026-11-30' });
    expect(at('2025-12-01')).toMatchObject({ date: null, noRight: 'born_after_cutoff' });
    // Born in the admission year itself: under one all autumn.
    expect(at('2026-01-15')).toMatchObject({ date: null, noRight: 'born_after_cutoff' });
    // The cut-off month is configuration (the law before 2017: August).
    expect(rightToPlace({ appliedOn: '2026-02-01', wishedStart: '2026-08-01', birthDate: '2025-09-01' }, { ...NO, lastBirthMonth: 8 }).noRight).toBe('born_after_cutoff');
  });

  it('a child born in December applies for the next admission: the right from August then', () => {
    expect(rightToPlace({ appliedOn: '2026-02-01', wishedStart: '2027-08-01', birthDate: '2025-12-01' }, NO)).toMatchObject({
      date: '2027-08-01',
      admission: { year: 2027, deadline: '2027-03-01' },
    });
  });

  it('no right in the year the child starts school (turns six)', () => {
    expect(rightToPlace({ appliedOn: '2026-02-01', wishedStart: '2026-08-01', birthDate: '2020-12-31' }, NO).noRight).toBe('school_age');
    expect(rightToPlace({ appliedOn: '2026-02-01', wishedStart: '2026-08-01', birthDate: '2021-01-01' }, NO).noRight).toBeNull();
  });

  it('no right means no date, no urgency and never overdue; the badge counts to the right’s date', () => {
    expect(guaranteeOf(bhg({ appliedOn: '2026-04-01' }), rules, '2026-12-01')).toMatchObject({
      rule: 'no_right_to_place',
      date: null,
      daysLeft: null,
      urgency: null,
      overdue: false,
      noRight: 'after_deadline',
    });
    const f = bhg({ wishedStart: '2026-08-01' });
    // Urgency counts to the last day the place may start (the end of August), the badge to the date.
    expect(guaranteeOf(f, rules, '2026-07-02')).toMatchObject({ date: '2026-08-01', daysLeft: 30, urgency: 'ok' });
    expect(guaranteeOf(f, rules, '2026-08-01')).toMatchObject({ daysLeft: 0, urgency: 'soon' });
    // In August the right applies, but the place may still start this month: not overdue until September.
    expect(guaranteeOf(f, rules, '2026-08-31')).toMatchObject({ daysLeft: -30, urgency: 'soon', overdue: false });
    expect(guaranteeOf(f, rules, '2026-09-01')).toMatchObject({ urgency: 'overdue', overdue: true, daysOverdue: 1 });
  });

  it('the Swedish four months never apply to barnehage', () => {
    // Applied in January for August: four months would be May; the right is August.
    expect(guaranteeOf(bhg({ appliedOn: '2026-01-05', wishedStart: '2026-02-01' }), rules, '2026-06-01')).toMatchObject({ noRight: 'after_deadline', date: null });
    expect(guaranteeOf(bhg({ appliedOn: '2026-01-05', wishedStart: '2026-08-01' }), rules, '2026-06-01')).toMatchObject({ date: '2026-08-01', overdue: false });
  });
});

describe('the main admission as configuration', () => {
  const base = { ...DEFAULT_PLACEMENT_RULES };
  const parse = (mainAdmission: unknown) => placementRules.safeParse({ ...base, mainAdmission });
  const codes = (r: ReturnType<typeof parse>) => (r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}:${i.message}`));

  it('the defaults: 1 March, places from 1 August, one by the end of November', () => {
    expect(DEFAULT_PLACEMENT_RULES.mainAdmission).toEqual({ deadline: '03-01', placesFrom: '08-01', lastBirthMonth: 11, years: [] });
    expect(parse(DEFAULT_PLACEMENT_RULES.mainAdmission).success).toBe(true);
  });

  it('refuses an impossible day, a deadline after the start, a year twice and a year’s deadline outside it', () => {
    expect(codes(parse({ ...NO, deadline: '02-30' }))).toEqual(['mainAdmission.deadline:month_day']);
    expect(codes(parse({ ...NO, deadline: '3-1' }))).toEqual(['mainAdmission.deadline:month_day']);
    expect(codes(parse({ ...NO, deadline: '09-01' }))).toEqual(['mainAdmission.deadline:deadline_after_start']);
    expect(
      codes(
        parse({
          ...NO,
          years: [
            { year: 2026, deadline: '2026-02-15' },
            { year: 2026, deadline: '2026-03-15' },
            { year: 2027, deadline: '2027-08-01' },
          ],
        }),
      ),
    ).toEqual(['mainAdmission.years.1.year:duplicate_year', 'mainAdmission.years.2.deadline:deadline_outside_year']);
  });
});

describe('daysBetween', () => {
  it('counts calendar days across months, leap days and clock changes', () => {
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2026-10-01', '2026-09-01')).toBe(-30);
  });
});
