import { describe, expect, it } from 'vitest';
import { addDays, ageOn, formatDate, isValidIsoDate, listName, parseDateInput, schoolYearLabel, schoolYearOf } from './format';

describe('dates', () => {
  it('validates calendar dates', () => {
    expect(isValidIsoDate('2024-02-29')).toBe(true);
    expect(isValidIsoDate('2023-02-29')).toBe(false);
    expect(isValidIsoDate('2024-13-01')).toBe(false);
    expect(isValidIsoDate('24-01-01')).toBe(false);
  });

  it('parses what clerks type', () => {
    expect(parseDateInput('2014-03-05')).toBe('2014-03-05');
    expect(parseDateInput(' 20140305 ')).toBe('2014-03-05');
    expect(parseDateInput('5.3.2014')).toBe('2014-03-05');
    expect(parseDateInput('05/03/2014')).toBe('2014-03-05');
    expect(parseDateInput('2014-3-5')).toBe('2014-03-05');
    expect(parseDateInput('31.02.2014')).toBeNull();
    expect(parseDateInput('igår')).toBeNull();
  });

  it('formats in each locale without time-zone drift', () => {
    expect(formatDate('2014-03-05', 'sv')).toBe('2014-03-05');
    expect(formatDate('2014-03-05', 'nb')).toBe('05.03.2014');
    expect(formatDate('2014-03-05', 'en')).toBe('05/03/2014');
    expect(formatDate('2014-01-01', 'sv')).toBe('2014-01-01');
    expect(formatDate('not a date', 'sv')).toBe('not a date');
    expect(formatDate(null, 'sv')).toBe('');
  });

  it('computes age in whole years', () => {
    expect(ageOn('2014-03-05', '2025-03-04')).toBe(10);
    expect(ageOn('2014-03-05', '2025-03-05')).toBe(11);
    expect(ageOn('2012-02-29', '2025-02-28')).toBe(12);
    expect(ageOn('2012-02-29', '2025-03-01')).toBe(13);
    expect(ageOn('2030-01-01', '2025-01-01')).toBeNull();
    expect(ageOn(null, '2025-01-01')).toBeNull();
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('labels school years', () => {
    expect(schoolYearLabel(2025)).toBe('2025/26');
    expect(schoolYearLabel(2099)).toBe('2099/00');
    expect(schoolYearOf('2025-06-30')).toBe(2024);
    expect(schoolYearOf('2025-07-01')).toBe(2025);
  });

  it('writes names the register way', () => {
    expect(listName({ givenName: 'Anna Maria', middleName: 'Berg', familyName: 'Öberg' })).toBe('Öberg, Anna Maria Berg');
  });
});
