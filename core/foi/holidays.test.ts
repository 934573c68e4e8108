/**
 * Public holidays and working days (core/foi/holidays.ts). Every expected date is written by hand from the
 * law's rules and a printed calendar (weekdays noted beside them), never computed by the code under test.
 */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/api/errors';
import { addWorkingDays, easterSunday, holidaysOf, isWorkingDay, nextWorkingDay, SE_CLOSED_EVES, weekdayOf, workingDaysBetween } from './holidays';

/** The field a refused call names (or 'no error'). */
function fieldOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).message).toContain((e as DomainError).field);
    return (e as DomainError).field;
  }
  return 'no error';
}

const list = (country: 'SE' | 'NO', year: number, opts?: Parameters<typeof holidaysOf>[2]) => holidaysOf(country, year, opts).map((h) => `${h.date} ${h.id}${h.kind === 'closed_day' ? ' (closed)' : ''}`);

describe('Easter Sunday (anonymous Gregorian algorithm)', () => {
  it('gives the published dates', () => {
    expect(easterSunday(2024)).toBe('2024-03-31');
    expect(easterSunday(2025)).toBe('2025-04-20');
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(easterSunday(2027)).toBe('2027-03-28');
    expect(easterSunday(2030)).toBe('2030-04-21');
    expect(easterSunday(2000)).toBe('2000-04-23');
    expect(easterSunday(2008)).toBe('2008-03-23');
    expect(easterSunday(2019)).toBe('2019-04-21');
  });

  it('reaches both ends of its range: 22 March (1818, 2285) and 25 April (1943, 2038)', () => {
    expect(easterSunday(1818)).toBe('1818-03-22');
    expect(easterSunday(2285)).toBe('2285-03-22');
    expect(easterSunday(1943)).toBe('1943-04-25');
    expect(easterSunday(2038)).toBe('2038-04-25');
  });

  it('is always a Sunday from 22 March to 25 April', () => {
    for (let y = 1900; y <= 2200; y++) {
      const e = easterSunday(y);
      expect(weekdayOf(e)).toBe(0);
      expect(e.slice(5) >= '03-22' && e.slice(5) <= '04-25').toBe(true);
    }
  });

  it('refuses a year outside the Gregorian calendar, naming the year', () => {
    expect(fieldOf(() => easterSunday(1582))).toBe('year');
    expect(fieldOf(() => easterSunday(2026.5))).toBe('year');
  });
});

describe('Sweden', () => {
  it('2026: the public holidays and the closed eves', () => {
    expect(list('SE', 2026)).toEqual([
      '2026-01-01 nyarsdagen', // Thu
      '2026-01-06 trettondedag_jul', // Tue
      '2026-04-03 langfredagen', // Fri (Easter 5 April)
      '2026-04-05 paskdagen', // Sun
      '2026-04-06 annandag_pask', // Mon
      '2026-05-01 forsta_maj', // Fri
      '2026-05-14 kristi_himmelsfardsdag', // Thu, Easter + 39
      '2026-05-24 pingstdagen', // Sun, Easter + 49
      '2026-06-06 nationaldagen', // Sat
      '2026-06-19 midsommarafton (closed)', // Fri
      '2026-06-20 midsommardagen', // Sat: 20 June is a Saturday
      '2026-10-31 alla_helgons_dag', // Sat: 31 October is a Saturday
      '2026-12-24 julafton (closed)', // Thu
      '2026-12-25 juldagen', // Fri
      '2026-12-26 annandag_jul', // Sat
      '2026-12-31 nyarsafton (closed)', // Thu
    ]);
  });

  it('2027: the public holidays and the closed eves', () => {
    expect(list('SE', 2027)).toEqual([
      '2027-01-01 nyarsdagen', // Fri
      '2027-01-06 trettondedag_jul', // Wed
      '2027-03-26 langfredagen', // Fri (Easter 28 March)
      '2027-03-28 paskdagen', // Sun
      '2027-03-29 annandag_pask', // Mon
      '2027-05-01 forsta_maj', // Sat
      '2027-05-06 kristi_himmelsfardsdag', // Thu
      '2027-05-16 pingstdagen', // Sun
      '2027-06-06 nationaldagen', // Sun
      '2027-06-25 midsommarafton (closed)', // Fri
      '2027-06-26 midsommardagen', // Sat: the last possible day
      '2027-11-06 alla_helgons_dag', // Sat: the last possible day
      '2027-12-24 julafton (closed)', // Fri
      '2027-12-25 juldagen', // Sat
      '2027-12-26 annandag_jul', // Sun
      '2027-12-31 nyarsafton (closed)', // Fri
    ]);
  });

  it('names each day in three languages, and tells the closed eves from the public holidays', () => {
    const days = holidaysOf('SE', 2026);
    expect(days.find((d) => d.id === 'midsommardagen')).toEqual({
      date: '2026-06-20',
      id: 'midsommardagen',
      name: { sv: 'Midsommardagen', nb: 'Midtsommerdagen', en: 'Midsummer Day' },
      kind: 'public_holiday',
    });
    expect(days.filter((d) => d.kind === 'closed_day').map((d) => d.id)).toEqual([...SE_CLOSED_EVES]);
    expect(days.filter((d) => d.kind === 'public_holiday')).toHaveLength(13);
  });

  it('the moving Saturdays: midsommardagen from 20 to 26 June, alla helgons dag from 31 October to 6 November', () => {
    const day = (y: number, id: string) => holidaysOf('SE', y).find((d) => d.id === id)!.date;
    expect(day(2026, 'midsommardagen')).toBe('2026-06-20');
    expect(day(2026, 'midsommarafton')).toBe('2026-06-19');
    expect(day(2026, 'alla_helgons_dag')).toBe('2026-10-31');
    expect(day(2027, 'midsommardagen')).toBe('2027-06-26');
    expect(day(2027, 'alla_helgons_dag')).toBe('2027-11-06');
    expect(day(2025, 'midsommardagen')).toBe('2025-06-21');
    expect(day(2025, 'alla_helgons_dag')).toBe('2025-11-01');
    for (let y = 1990; y <= 2100; y++) {
      const mid = day(y, 'midsommardagen');
      const saints = day(y, 'alla_helgons_dag');
      expect(weekdayOf(mid)).toBe(6);
      expect(mid >= `${y}-06-20` && mid <= `${y}-06-26`).toBe(true);
      expect(weekdayOf(day(y, 'midsommarafton'))).toBe(5);
      expect(weekdayOf(saints)).toBe(6);
      expect(saints >= `${y}-10-31` && saints <= `${y}-11-06`).toBe(true);
      expect(weekdayOf(day(y, 'kristi_himmelsfardsdag'))).toBe(4);
    }
  });

  it('lists both days when two fall on one date (2008: Kristi himmelsfärdsdag on första maj)', () => {
    expect(list('SE', 2008).filter((d) => d.startsWith('2008-05-01'))).toEqual(['2008-05-01 forsta_maj', '2008-05-01 kristi_himmelsfardsdag']);
  });

  it('a municipality open on the eves switches them off', () => {
    const open = list('SE', 2026, { closedEves: false });
    expect(open).toHaveLength(13);
    expect(open.some((d) => d.includes('afton'))).toBe(false);
    expect(isWorkingDay('2026-12-24', 'SE')).toBe(false);
    expect(isWorkingDay('2026-12-24', 'SE', { closedEves: false })).toBe(true);
    expect(isWorkingDay('2026-06-19', 'SE', { closedEves: false })).toBe(true);
  });

  it('Skärtorsdagen and annandag pingst are working days in Sweden', () => {
    expect(isWorkingDay('2026-04-02', 'SE')).toBe(true); // Thu before Easter
    expect(isWorkingDay('2026-05-25', 'SE')).toBe(true); // Mon after Whitsun (no holiday since 2005)
  });
});

describe('Norway', () => {
  it('2026: the public holidays', () => {
    expect(list('NO', 2026)).toEqual([
      '2026-01-01 forste_nyttarsdag', // Thu
      '2026-04-02 skjaertorsdag', // Thu, Easter − 3
      '2026-04-03 langfredag', // Fri
      '2026-04-05 forste_paskedag', // Sun
      '2026-04-06 andre_paskedag', // Mon
      '2026-05-01 forste_mai', // Fri
      '2026-05-14 kristi_himmelfartsdag', // Thu
      '2026-05-17 syttende_mai', // Sun
      '2026-05-24 forste_pinsedag', // Sun
      '2026-05-25 andre_pinsedag', // Mon
      '2026-12-25 forste_juledag', // Fri
      '2026-12-26 andre_juledag', // Sat
    ]);
  });

  it('2027: the public holidays (2. pinsedag falls on 17. mai: both are listed)', () => {
    expect(list('NO', 2027)).toEqual([
      '2027-01-01 forste_nyttarsdag', // Fri
      '2027-03-25 skjaertorsdag', // Thu (Easter 28 March)
      '2027-03-26 langfredag', // Fri
      '2027-03-28 forste_paskedag', // Sun
      '2027-03-29 andre_paskedag', // Mon
      '2027-05-01 forste_mai', // Sat
      '2027-05-06 kristi_himmelfartsdag', // Thu
      '2027-05-16 forste_pinsedag', // Sun
      '2027-05-17 syttende_mai', // Mon
      '2027-05-17 andre_pinsedag', // Mon
      '2027-12-25 forste_juledag', // Sat
      '2027-12-26 andre_juledag', // Sun
    ]);
  });

  it('the Easter week 2026: skjærtorsdag to 2. påskedag closed, Wednesday before and Tuesday after open', () => {
    const days = ['2026-04-01', '2026-04-02', '2026-04-03', '2026-04-04', '2026-04-05', '2026-04-06', '2026-04-07'];
    expect(days.map((d) => isWorkingDay(d, 'NO'))).toEqual([true, false, false, false, false, false, true]);
    expect(nextWorkingDay('2026-04-01', 'NO')).toBe('2026-04-07');
    expect(nextWorkingDay('2026-04-01', 'SE')).toBe('2026-04-02');
  });

  it('julaften and nyttårsaften are working days unless the municipality closes', () => {
    expect(isWorkingDay('2026-12-24', 'NO')).toBe(true);
    expect(isWorkingDay('2026-12-31', 'NO')).toBe(true);
    // closedEves is Swedish: it never closes a Norwegian day.
    expect(isWorkingDay('2026-12-24', 'NO', { closedEves: true })).toBe(true);
    expect(isWorkingDay('2026-12-24', 'NO', { extraClosedDays: ['2026-12-24'] })).toBe(false);
    expect(holidaysOf('NO', 2026).some((d) => d.kind === 'closed_day')).toBe(false);
  });
});

describe('the municipality’s own closed days', () => {
  it('are listed in their year as closed days, once, and only on weekdays the country works', () => {
    const extraClosedDays = ['2026-12-24', '2026-12-31', '2027-01-02', '2026-12-25', '2026-12-27'];
    const local = holidaysOf('NO', 2026, { extraClosedDays }).filter((d) => d.id === 'local');
    expect(local.map((d) => `${d.date} ${d.kind}`)).toEqual(['2026-12-24 closed_day', '2026-12-31 closed_day']);
    expect(local[0]!.name.nb).toBe('Stengt etter kommunens vedtak');
    expect(list('NO', 2026, { extraClosedDays }).slice(-4)).toEqual(['2026-12-24 local (closed)', '2026-12-25 forste_juledag', '2026-12-26 andre_juledag', '2026-12-31 local (closed)']);
  });

  it('a closed day that is not a date is refused, naming its place in the list', () => {
    expect(fieldOf(() => isWorkingDay('2026-01-05', 'SE', { extraClosedDays: ['2026-01-02', '2026-02-30'] }))).toBe('extraClosedDays.1');
    expect(fieldOf(() => holidaysOf('NO', 2026, { extraClosedDays: ['2 Jan'] }))).toBe('extraClosedDays.0');
  });
});

describe('working days', () => {
  it('Saturdays and Sundays never work, in either country', () => {
    for (const c of ['SE', 'NO'] as const) {
      expect(isWorkingDay('2026-01-17', c)).toBe(false); // Sat
      expect(isWorkingDay('2026-01-18', c)).toBe(false); // Sun
      expect(isWorkingDay('2026-01-19', c)).toBe(true); // Mon
    }
  });

  it('addWorkingDays with 0: the date itself when it works, else the next working day', () => {
    expect(addWorkingDays('2026-01-16', 0, 'SE')).toBe('2026-01-16'); // Fri
    expect(addWorkingDays('2026-01-17', 0, 'SE')).toBe('2026-01-19'); // Sat → Mon
    expect(addWorkingDays('2026-06-19', 0, 'SE')).toBe('2026-06-22'); // midsommarafton → Mon
    expect(addWorkingDays('2026-06-19', 0, 'SE', { closedEves: false })).toBe('2026-06-19');
    expect(addWorkingDays('2026-04-02', 0, 'NO')).toBe('2026-04-07'); // skjærtorsdag → Tue after Easter
  });

  it('counts only the days after the date: Friday + 1 is Monday', () => {
    expect(addWorkingDays('2026-01-16', 1, 'SE')).toBe('2026-01-19');
    expect(addWorkingDays('2026-01-17', 1, 'NO')).toBe('2026-01-19'); // from a Saturday
    expect(nextWorkingDay('2026-01-16', 'SE')).toBe('2026-01-19');
  });

  it('across Easter 2026 in Sweden: Thursday + 1 skips långfredagen to annandag påsk', () => {
    expect(addWorkingDays('2026-04-02', 1, 'SE')).toBe('2026-04-07');
    expect(addWorkingDays('2026-04-02', 2, 'SE')).toBe('2026-04-08');
    expect(addWorkingDays('2026-04-01', 1, 'SE')).toBe('2026-04-02'); // skärtorsdag works
  });

  it('across Easter 2026 in Norway: Wednesday + 1 skips skjærtorsdag to 2. påskedag', () => {
    expect(addWorkingDays('2026-04-01', 1, 'NO')).toBe('2026-04-07');
    expect(addWorkingDays('2026-04-01', 5, 'NO')).toBe('2026-04-13'); // Tue 7, Wed 8, Thu 9, Fri 10, Mon 13
  });

  it('across Christmas and New Year 2026/27 in Sweden (eves closed, then open)', () => {
    // From Wed 23 Dec: Thu 24 julafton, Fri 25, Sat 26, Sun 27 closed → Mon 28 (1), Tue 29 (2), Wed 30 (3);
    // Thu 31 nyårsafton, Fri 1 Jan, Sat 2, Sun 3 closed → Mon 4 (4), Tue 5 (5); Wed 6 trettondedag → Thu 7 (6).
    expect(addWorkingDays('2026-12-23', 1, 'SE')).toBe('2026-12-28');
    expect(addWorkingDays('2026-12-23', 4, 'SE')).toBe('2027-01-04');
    expect(addWorkingDays('2026-12-23', 5, 'SE')).toBe('2027-01-05');
    expect(addWorkingDays('2026-12-23', 6, 'SE')).toBe('2027-01-07');
    // Eves open: Thu 24 (1), Mon 28 (2), Tue 29 (3), Wed 30 (4), Thu 31 (5), Mon 4 (6).
    expect(addWorkingDays('2026-12-23', 1, 'SE', { closedEves: false })).toBe('2026-12-24');
    expect(addWorkingDays('2026-12-23', 4, 'SE', { closedEves: false })).toBe('2026-12-30');
    expect(addWorkingDays('2026-12-23', 6, 'SE', { closedEves: false })).toBe('2027-01-04');
  });

  it('across Christmas and New Year 2026/27 in Norway (and with the municipality closed on the eves)', () => {
    // From Wed 23 Dec: Thu 24 (1); Fri 25, Sat 26, Sun 27 closed → Mon 28 (2) … Thu 31 (5); Fri 1 Jan → Mon 4 (6).
    expect(addWorkingDays('2026-12-23', 1, 'NO')).toBe('2026-12-24');
    expect(addWorkingDays('2026-12-23', 2, 'NO')).toBe('2026-12-28');
    expect(addWorkingDays('2026-12-23', 5, 'NO')).toBe('2026-12-31');
    expect(addWorkingDays('2026-12-23', 6, 'NO')).toBe('2027-01-04');
    const eves = { extraClosedDays: ['2026-12-24', '2026-12-31'] };
    expect(addWorkingDays('2026-12-23', 2, 'NO', eves)).toBe('2026-12-29');
    expect(addWorkingDays('2026-12-23', 4, 'NO', eves)).toBe('2027-01-04');
  });

  it('workingDaysBetween: the working days after `from` up to and including `to`', () => {
    // Thu 30 Apr → Tue 5 May: Fri 1 May (holiday in both), Sat, Sun closed; Mon 4, Tue 5 count.
    expect(workingDaysBetween('2026-04-30', '2026-05-05', 'SE')).toBe(2);
    expect(workingDaysBetween('2026-04-30', '2026-05-05', 'NO')).toBe(2);
    // Fri 15 May → Mon 25 May: Mon 18 … Fri 22 (5); Mon 25 works in Sweden, is 2. pinsedag in Norway.
    expect(workingDaysBetween('2026-05-15', '2026-05-25', 'SE')).toBe(6);
    expect(workingDaysBetween('2026-05-15', '2026-05-25', 'NO')).toBe(5);
    expect(workingDaysBetween('2026-01-16', '2026-01-19', 'SE')).toBe(1); // Fri → Mon
    expect(workingDaysBetween('2026-01-16', '2026-01-16', 'SE')).toBe(0);
    expect(workingDaysBetween('2026-01-17', '2026-01-18', 'SE')).toBe(0); // a weekend
  });

  it('workingDaysBetween backwards is the same count, negative', () => {
    expect(workingDaysBetween('2026-05-05', '2026-04-30', 'SE')).toBe(-2);
    expect(workingDaysBetween('2026-05-25', '2026-05-15', 'NO')).toBe(-5);
  });

  it('workingDaysBetween and addWorkingDays agree', () => {
    for (const c of ['SE', 'NO'] as const) {
      for (let n = 0; n <= 30; n++) {
        const to = addWorkingDays('2026-12-18', n, c);
        expect(workingDaysBetween('2026-12-18', to, c)).toBe(n);
      }
    }
  });

  it('refuses bad arguments, naming them', () => {
    expect(fieldOf(() => addWorkingDays('2026-01-16', -1, 'SE'))).toBe('n');
    expect(fieldOf(() => addWorkingDays('2026-01-16', 1.5, 'SE'))).toBe('n');
    expect(fieldOf(() => addWorkingDays('2026-13-01', 1, 'SE'))).toBe('date');
    expect(fieldOf(() => isWorkingDay('16/01/2026', 'NO'))).toBe('date');
    expect(fieldOf(() => workingDaysBetween('2026-01-16', '2026-02-29', 'NO'))).toBe('to');
    expect(fieldOf(() => workingDaysBetween('x', '2026-02-28', 'NO'))).toBe('from');
    expect(fieldOf(() => isWorkingDay('2026-01-16', 'DK' as 'SE'))).toBe('country');
    expect(fieldOf(() => holidaysOf('SE', 1200))).toBe('year');
  });
});

describe('the cache', () => {
  it('returns one frozen list per country and year, so it cannot be changed by a caller', () => {
    const a = holidaysOf('SE', 2031);
    expect(holidaysOf('SE', 2031)).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a[0])).toBe(true);
    // The eves setting is part of the key.
    expect(holidaysOf('SE', 2031, { closedEves: false })).not.toBe(a);
    expect(holidaysOf('SE', 2031, { closedEves: false })).toHaveLength(a.length - 3);
  });
});
