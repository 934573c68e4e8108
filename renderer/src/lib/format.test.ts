import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../../shared/i18n';
import { addDays, addMonths, ageOn, currencyOf, DATE_ORDER, formatBasisPoints, formatDate, formatMoney, formatMonth, formatWeekday, isMonth, isValidIsoDate, listName, nextMonthOf, parseDateInput, schoolYearLabel, schoolYearOf, splitDates } from './format';

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

describe('typed dates', () => {
  const today = '2026-11-23';
  const ctx = { today, lang: 'sv' as const };

  it('reads ISO dates, with or without leading zeros', () => {
    expect(parseDateInput('2026-08-17', ctx)).toBe('2026-08-17');
    expect(parseDateInput('2026-8-7', ctx)).toBe('2026-08-07');
  });

  it('reads the compact eight-digit form', () => {
    expect(parseDateInput('20260817', ctx)).toBe('2026-08-17');
    expect(parseDateInput('2026081', ctx)).toBeNull();
  });

  it('reads day-first dotted and slashed dates with a year', () => {
    expect(parseDateInput('17.8.2026', ctx)).toBe('2026-08-17');
    expect(parseDateInput('17/8/2026', ctx)).toBe('2026-08-17');
    expect(parseDateInput('07.08.2026', ctx)).toBe('2026-08-07');
  });

  it('reads day and month without a year as this year (the core’s year, not the machine’s)', () => {
    expect(parseDateInput('17/8', ctx)).toBe('2026-08-17');
    expect(parseDateInput('17.8', ctx)).toBe('2026-08-17');
    expect(parseDateInput('17.8.', ctx)).toBe('2026-08-17');
    expect(parseDateInput('1/1', { today: '2031-06-01' })).toBe('2031-01-01');
    expect(parseDateInput('17/8')).toBeNull();
  });

  it('reads +N and -N as days from today, across months and years', () => {
    expect(parseDateInput('+14', ctx)).toBe('2026-12-07');
    expect(parseDateInput('-3', ctx)).toBe('2026-11-20');
    expect(parseDateInput('+0', ctx)).toBe('2026-11-23');
    expect(parseDateInput('+40', ctx)).toBe('2027-01-02');
    expect(parseDateInput(' +14 ', ctx)).toBe('2026-12-07');
    expect(parseDateInput('+14')).toBeNull();
    expect(parseDateInput('+', ctx)).toBeNull();
    expect(parseDateInput('+1.5', ctx)).toBeNull();
  });

  it('refuses dates that do not exist', () => {
    expect(parseDateInput('31/2', ctx)).toBeNull();
    expect(parseDateInput('31.2.2026', ctx)).toBeNull();
    expect(parseDateInput('29/2', ctx)).toBeNull();
    expect(parseDateInput('29/2', { today: '2028-01-10' })).toBe('2028-02-29');
    expect(parseDateInput('2026-02-30', ctx)).toBeNull();
    expect(parseDateInput('20261301', ctx)).toBeNull();
    expect(parseDateInput('0/8', ctx)).toBeNull();
    expect(parseDateInput('17/13', ctx)).toBeNull();
  });

  it('refuses mixed separators and other text', () => {
    expect(parseDateInput('17.8/2026', ctx)).toBeNull();
    expect(parseDateInput('17-8', ctx)).toBeNull();
    expect(parseDateInput('i morgon', ctx)).toBeNull();
    expect(parseDateInput('', ctx)).toBeNull();
  });

  it('has one day/month order per language, day first in all three', () => {
    expect(Object.keys(DATE_ORDER).sort()).toEqual([...LANGUAGES].sort());
    expect(DATE_ORDER).toEqual({ sv: 'dmy', nb: 'dmy', en: 'dmy' });
    for (const lang of LANGUAGES) expect(parseDateInput('3/4', { today, lang })).toBe('2026-04-03');
  });

  it('follows the table: a month-first language would read 3/4 as 4 March', () => {
    const saved = DATE_ORDER.en;
    DATE_ORDER.en = 'mdy';
    try {
      expect(parseDateInput('3/4', { today, lang: 'en' })).toBe('2026-03-04');
      expect(parseDateInput('12/31/2026', { today, lang: 'en' })).toBe('2026-12-31');
      expect(parseDateInput('2026-04-03', { today, lang: 'en' })).toBe('2026-04-03');
    } finally {
      DATE_ORDER.en = saved;
    }
  });

  it('reads back what formatDate writes, in every language', () => {
    for (const lang of LANGUAGES) {
      for (const iso of ['2026-01-05', '2026-12-31', '2024-02-29']) expect(parseDateInput(formatDate(iso, lang), { today, lang })).toBe(iso);
    }
  });

  it('names the weekday in the active language', () => {
    expect(formatWeekday('2026-12-07', 'sv')).toBe('måndag');
    expect(formatWeekday('2026-12-07', 'nb')).toBe('mandag');
    expect(formatWeekday('2026-12-07', 'en')).toBe('Monday');
    expect(formatWeekday('2026-02-30', 'en')).toBe('');
  });
});

describe('dates in running text stay on one line', () => {
  it('marks every formatted date of each language and keeps the text as it was', () => {
    for (const lang of LANGUAGES) {
      const d = formatDate('2026-12-03', lang);
      const text = `Erbjuden plats på Ekdala förskola från ${d}, svar senast ${formatDate('2026-11-30', lang)}.`;
      const runs = splitDates(text);
      expect(runs.map((r) => r.text).join('')).toBe(text);
      expect(runs.filter((r) => r.date).map((r) => r.text)).toEqual([d, formatDate('2026-11-30', lang)]);
    }
    expect(splitDates('no dates here')).toEqual([{ text: 'no dates here', date: false }]);
    expect(splitDates('2026-08-17')).toEqual([{ text: '2026-08-17', date: true }]);
  });
});

describe('money and months (fees)', () => {
  const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
  it('shows öre as kronor with two decimals in each locale', () => {
    expect(plain(formatMoney(154_700, 'sv'))).toBe('1 547,00 kr');
    expect(plain(formatMoney(4_000_050, 'sv'))).toBe('40 000,50 kr');
    expect(plain(formatMoney(7, 'sv'))).toBe('0,07 kr');
    expect(plain(formatMoney(0, 'sv'))).toBe('0,00 kr');
    expect(plain(formatMoney(-30_000, 'sv'))).toBe('−300,00 kr');
    expect(plain(formatMoney(154_700, 'en'))).toBe('SEK 1,547.00');
    expect(plain(formatMoney(154_700, 'nb', 'NOK'))).toMatch(/^(kr 1 547,00|1 547,00 kr)$/);
    // Exact to the öre for large amounts too.
    expect(plain(formatMoney(123_456_789_01, 'sv'))).toBe('123 456 789,01 kr');
    expect(formatMoney(Number.NaN, 'sv')).toBe('');
  });

  it('knows the currency by the municipality’s country', () => {
    expect(currencyOf('SE')).toBe('SEK');
    expect(currencyOf('NO')).toBe('NOK');
    expect(currencyOf(null)).toBe('SEK');
  });

  it('shows basis points as a percentage', () => {
    expect(plain(formatBasisPoints(300, 'sv'))).toBe('3 %');
    expect(plain(formatBasisPoints(150, 'sv'))).toBe('1,5 %');
    expect(formatBasisPoints(5_000, 'en')).toBe('50%');
    expect(plain(formatBasisPoints(3_333, 'nb'))).toBe('33,33 %');
  });

  it('writes months out and counts them', () => {
    expect(formatMonth('2026-12', 'sv')).toBe('december 2026');
    expect(formatMonth('2026-12', 'nb')).toBe('desember 2026');
    expect(formatMonth('2026-12', 'en')).toBe('December 2026');
    expect(formatMonth('2026-13', 'sv')).toBe('2026-13');
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-03', -27)).toBe('2023-12');
    expect(nextMonthOf('2026-11-23')).toBe('2026-12');
    expect(nextMonthOf('2026-12-31')).toBe('2027-01');
    expect(isMonth('2026-07')).toBe(true);
    expect(isMonth('2026-7')).toBe(false);
  });
});
