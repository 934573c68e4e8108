/**
 * Public holidays and working days in Sweden and Norway (issue 13; docs/foi.md "Deadlines"): the calendar
 * every deadline of a freedom-of-information or subject-access request is counted in.
 *
 * - Sweden: the public holidays of lag (1989:253) om allmänna helgdagar, and första maj (lag 1939:272).
 *   Besides them, authorities are closed in practice on midsommarafton, julafton and nyårsafton (and lag
 *   (1930:173) om beräkning av lagstadgad tid treats the three like a holiday when a period ends): they are
 *   a separate, named list (`SE_CLOSED_EVES`) that a municipality open on those days switches off with
 *   `closedEves: false`.
 * - Norway: the helligdager of lov om helligdager og helligdagsfred § 2, and 1. and 17. mai (lov om 1. og
 *   17. mai som offentlige høgtidsdager). Julaften and nyttårsaften are ordinary working days by law; a
 *   municipality that closes on them says so with its own closed days.
 * - Saturdays and Sundays are never working days, in either country.
 * - A municipality's own closed days (`extraClosedDays`: a bridge day, a move) are not working days either.
 *
 * The Easter-dependent days follow Easter Sunday by the Gregorian computus. A country-year's list is
 * computed once and kept, so a dashboard that counts the deadlines of hundreds of requests asks the
 * calendar thousands of times without recomputing Easter.
 *
 * Dates are ISO strings YYYY-MM-DD, counted in UTC by core/dates so no time zone moves a legal date.
 */
import { addDays } from '../dates';
import type { Country } from '../../shared/domain/register';
import { isCalendarDate } from '../../shared/api/schemas';
import { DomainError } from '../../shared/api/errors';

export type { Country };

/** A day's name in the app's three languages (Swedish, Norwegian bokmål, English). */
export interface DayName {
  sv: string;
  nb: string;
  en: string;
}

/**
 * `public_holiday`: a holiday by law. `closed_day`: not a holiday by law, but the office is closed (the
 * Swedish eves, a municipality's own closed days).
 */
export type ClosedDayKind = 'public_holiday' | 'closed_day';

export interface Holiday {
  date: string;
  /** A stable key for the day (e.g. `midsommardagen`, `andre_pinsedag`, `local` for the municipality's own). */
  id: string;
  name: DayName;
  kind: ClosedDayKind;
}

export interface WorkingDayOptions {
  /** The municipality's own closed days (YYYY-MM-DD), besides the country's. */
  extraClosedDays?: readonly string[];
  /** Sweden: the office is closed on midsommarafton, julafton and nyårsafton. Default true; no effect in Norway. */
  closedEves?: boolean;
}

/** The first and last year the calendar answers for: the Gregorian computus holds from 1583. */
export const CALENDAR_YEARS = { min: 1583, max: 9999 } as const;

// ---------- date helpers missing from core/dates ----------

/**
 * Day of the week of an ISO date: 0 = Sunday … 6 = Saturday (the JavaScript convention). Read in UTC,
 * like core/dates, so the answer never depends on the machine's time zone. Not in core/dates, which has
 * no use for weekdays yet.
 */
export function weekdayOf(iso: string): number {
  return new Date(`${iso}T00:00:00Z`).getUTCDay();
}

/** An ISO date from a year, a month (1–12) and a day. */
function isoOf(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The first Saturday on or after a date (Sweden's moving holidays are "the Saturday from … to …"). */
function saturdayFrom(iso: string): string {
  return addDays(iso, (6 - weekdayOf(iso) + 7) % 7);
}

/** A date argument, checked: a malformed or impossible date is refused with the field's name. */
export function requireDate(value: unknown, field: string): string {
  if (typeof value !== 'string' || !isCalendarDate(value)) {
    throw new DomainError('validation', `${field}: ${JSON.stringify(value)} is not a date YYYY-MM-DD`, field);
  }
  const year = Number(value.slice(0, 4));
  if (year < CALENDAR_YEARS.min) throw new DomainError('validation', `${field}: ${value} is before the Gregorian calendar the holidays are computed in (${CALENDAR_YEARS.min})`, field);
  return value;
}

function requireYear(year: number): void {
  if (!Number.isInteger(year) || year < CALENDAR_YEARS.min || year > CALENDAR_YEARS.max) {
    throw new DomainError('validation', `year: ${year} is not a whole year from ${CALENDAR_YEARS.min} to ${CALENDAR_YEARS.max}`, 'year');
  }
}

function requireCountry(country: unknown): asserts country is Country {
  if (country !== 'SE' && country !== 'NO') throw new DomainError('validation', `country: ${JSON.stringify(country)} is neither SE nor NO`, 'country');
}

// ---------- Easter ----------

/**
 * Easter Sunday of a year by the anonymous Gregorian algorithm (Meeus/Jones/Butcher): the first Sunday
 * after the ecclesiastical full moon on or after 21 March. Both countries' churches use it.
 */
export function easterSunday(year: number): string {
  requireYear(year);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoOf(year, month, day);
}

// ---------- the countries' days ----------

const named = (sv: string, nb: string, en: string): DayName => ({ sv, nb, en });

/** Sweden's public holidays in a year (lag 1989:253; första maj by lag 1939:272). */
function swedishHolidays(year: number): Holiday[] {
  const easter = easterSunday(year);
  const day = (id: string, date: string, name: DayName): Holiday => ({ date, id, name, kind: 'public_holiday' });
  return [
    day('nyarsdagen', isoOf(year, 1, 1), named('Nyårsdagen', 'Første nyttårsdag', "New Year's Day")),
    day('trettondedag_jul', isoOf(year, 1, 6), named('Trettondedag jul', 'Helligtrekongersdag', 'Epiphany')),
    day('langfredagen', addDays(easter, -2), named('Långfredagen', 'Langfredag', 'Good Friday')),
    day('paskdagen', easter, named('Påskdagen', 'Første påskedag', 'Easter Sunday')),
    day('annandag_pask', addDays(easter, 1), named('Annandag påsk', 'Andre påskedag', 'Easter Monday')),
    day('forsta_maj', isoOf(year, 5, 1), named('Första maj', 'Første mai', 'May Day')),
    day('kristi_himmelsfardsdag', addDays(easter, 39), named('Kristi himmelsfärdsdag', 'Kristi himmelfartsdag', 'Ascension Day')),
    day('pingstdagen', addDays(easter, 49), named('Pingstdagen', 'Første pinsedag', 'Whit Sunday')),
    day('nationaldagen', isoOf(year, 6, 6), named('Sveriges nationaldag', 'Sveriges nasjonaldag', 'National Day of Sweden')),
    // The Saturday from 20 to 26 June.
    day('midsommardagen', saturdayFrom(isoOf(year, 6, 20)), named('Midsommardagen', 'Midtsommerdagen', 'Midsummer Day')),
    // The Saturday from 31 October to 6 November.
    day('alla_helgons_dag', saturdayFrom(isoOf(year, 10, 31)), named('Alla helgons dag', 'Allehelgensdag', "All Saints' Day")),
    day('juldagen', isoOf(year, 12, 25), named('Juldagen', 'Første juledag', 'Christmas Day')),
    day('annandag_jul', isoOf(year, 12, 26), named('Annandag jul', 'Andre juledag', 'Boxing Day')),
  ];
}

/**
 * The days Swedish authorities are closed in practice though they are not public holidays: the eves of
 * midsummer (the Friday from 19 to 25 June), Christmas and New Year. On by default; a municipality open on
 * them switches the list off (`closedEves: false`).
 */
export const SE_CLOSED_EVES = ['midsommarafton', 'julafton', 'nyarsafton'] as const;

function swedishEves(year: number): Holiday[] {
  const day = (id: (typeof SE_CLOSED_EVES)[number], date: string, name: DayName): Holiday => ({ date, id, name, kind: 'closed_day' });
  return [
    day('midsommarafton', addDays(saturdayFrom(isoOf(year, 6, 20)), -1), named('Midsommarafton', 'Midtsommeraften', 'Midsummer Eve')),
    day('julafton', isoOf(year, 12, 24), named('Julafton', 'Julaften', 'Christmas Eve')),
    day('nyarsafton', isoOf(year, 12, 31), named('Nyårsafton', 'Nyttårsaften', "New Year's Eve")),
  ];
}

/** Norway's public holidays in a year (lov om helligdager og helligdagsfred § 2; lov om 1. og 17. mai). */
function norwegianHolidays(year: number): Holiday[] {
  const easter = easterSunday(year);
  const day = (id: string, date: string, name: DayName): Holiday => ({ date, id, name, kind: 'public_holiday' });
  return [
    day('forste_nyttarsdag', isoOf(year, 1, 1), named('Nyårsdagen', 'Første nyttårsdag', "New Year's Day")),
    day('skjaertorsdag', addDays(easter, -3), named('Skärtorsdagen', 'Skjærtorsdag', 'Maundy Thursday')),
    day('langfredag', addDays(easter, -2), named('Långfredagen', 'Langfredag', 'Good Friday')),
    day('forste_paskedag', easter, named('Påskdagen', 'Første påskedag', 'Easter Sunday')),
    day('andre_paskedag', addDays(easter, 1), named('Annandag påsk', 'Andre påskedag', 'Easter Monday')),
    day('forste_mai', isoOf(year, 5, 1), named('Första maj', 'Første mai', 'May Day')),
    day('syttende_mai', isoOf(year, 5, 17), named('Norges nationaldag', 'Grunnlovsdagen', 'Constitution Day')),
    day('kristi_himmelfartsdag', addDays(easter, 39), named('Kristi himmelsfärdsdag', 'Kristi himmelfartsdag', 'Ascension Day')),
    day('forste_pinsedag', addDays(easter, 49), named('Pingstdagen', 'Første pinsedag', 'Whit Sunday')),
    day('andre_pinsedag', addDays(easter, 50), named('Annandag pingst', 'Andre pinsedag', 'Whit Monday')),
    day('forste_juledag', isoOf(year, 12, 25), named('Juldagen', 'Første juledag', 'Christmas Day')),
    day('andre_juledag', isoOf(year, 12, 26), named('Annandag jul', 'Andre juledag', 'Boxing Day')),
  ];
}

const LOCAL_NAME = named('Stängt enligt kommunens beslut', 'Stengt etter kommunens vedtak', 'Closed by the municipality');

// ---------- the cache ----------

interface CountryYear {
  /** The country's days, sorted by date (the eves included when asked for); frozen, as it is shared. */
  list: readonly Holiday[];
  /** Their dates, for the working-day test. */
  closed: ReadonlySet<string>;
}

/**
 * One entry per country, year and eves setting: at most a few dozen in practice (the years a dashboard's
 * requests fall in), so it is never pruned.
 */
const cache = new Map<string, CountryYear>();

function countryYear(country: Country, year: number, closedEves: boolean): CountryYear {
  const key = `${country}:${year}:${country === 'SE' && closedEves ? 'eves' : ''}`;
  let hit = cache.get(key);
  if (!hit) {
    const days = country === 'SE' ? [...swedishHolidays(year), ...(closedEves ? swedishEves(year) : [])] : norwegianHolidays(year);
    // A stable sort: two days on one date (2. pinsedag on 17. mai, 2027) keep the law's order.
    const list = Object.freeze(days.sort((a, b) => a.date.localeCompare(b.date)).map((d) => Object.freeze({ ...d, name: Object.freeze(d.name) })));
    hit = { list, closed: new Set(list.map((d) => d.date)) };
    cache.set(key, hit);
  }
  return hit;
}

/** The municipality's own closed days, checked once per call (an entry that is not a date is named). */
function extraDays(opts: WorkingDayOptions | undefined): ReadonlySet<string> {
  const extra = opts?.extraClosedDays ?? [];
  extra.forEach((d, i) => requireDate(d, `extraClosedDays.${i}`));
  return new Set(extra);
}

/**
 * The working-day test for a country and options, built once per public call so a count over many days
 * checks the options once.
 */
function calendar(country: Country, opts: WorkingDayOptions | undefined): (iso: string) => boolean {
  requireCountry(country);
  const closedEves = opts?.closedEves ?? true;
  const extra = extraDays(opts);
  return (iso) => {
    const wd = weekdayOf(iso);
    if (wd === 0 || wd === 6) return false;
    if (extra.has(iso)) return false;
    return !countryYear(country, Number(iso.slice(0, 4)), closedEves).closed.has(iso);
  };
}

// ---------- the API ----------

/**
 * A country's holidays and closed days in a year, sorted by date: the public holidays, Sweden's closed eves
 * (unless `closedEves: false`) and the municipality's own closed days that fall in the year on a weekday the
 * country does not already close. Saturdays and Sundays are not listed (they are never working days), except
 * the holidays that fall on one. Two days may share a date (in 2027 Norway's 2.
 * pinsedag is 17. mai): both are listed.
 */
export function holidaysOf(country: Country, year: number, opts?: WorkingDayOptions): readonly Holiday[] {
  requireCountry(country);
  requireYear(year);
  const own = countryYear(country, year, opts?.closedEves ?? true);
  const prefix = `${String(year).padStart(4, '0')}-`;
  // A local day on a date the country already closes adds nothing; a weekend one neither.
  const local = [...extraDays(opts)]
    .filter((d) => d.startsWith(prefix) && !own.closed.has(d) && weekdayOf(d) !== 0 && weekdayOf(d) !== 6)
    .map((date): Holiday => ({ date, id: 'local', name: LOCAL_NAME, kind: 'closed_day' }));
  if (local.length === 0) return own.list;
  return [...own.list, ...local].sort((a, b) => a.date.localeCompare(b.date));
}

/** Whether the office works on a date: not a Saturday or Sunday, a holiday, a closed eve (Sweden) or a closed day of the municipality. */
export function isWorkingDay(date: string, country: Country, opts?: WorkingDayOptions): boolean {
  return calendar(country, opts)(requireDate(date, 'date'));
}

/** The first working day after a date (the date itself never counts). */
export function nextWorkingDay(date: string, country: Country, opts?: WorkingDayOptions): string {
  const works = calendar(country, opts);
  let d = addDays(requireDate(date, 'date'), 1);
  while (!works(d)) d = addDays(d, 1);
  return d;
}

/**
 * The `n`th working day after a date, counting only the working days that follow it (the date itself is
 * never one of the `n`): Friday + 1 is Monday, and Thursday before Easter + 1 is the Tuesday after.
 *
 * n = 0 is "the date itself if the office works that day, else the next working day": the first day work
 * can be done on. So a request received on a Sunday with a target of 0 working days is due on Monday, and
 * `addWorkingDays(d, 0)` never lies before `d`.
 */
export function addWorkingDays(date: string, n: number, country: Country, opts?: WorkingDayOptions): string {
  const works = calendar(country, opts);
  let d = requireDate(date, 'date');
  if (!Number.isInteger(n) || n < 0) throw new DomainError('validation', `n: ${n} is not a whole number of working days of 0 or more`, 'n');
  if (n === 0) {
    while (!works(d)) d = addDays(d, 1);
    return d;
  }
  for (let left = n; left > 0; ) {
    d = addDays(d, 1);
    if (works(d)) left--;
  }
  return d;
}

/**
 * The working days after `from` up to and including `to` (Friday to Monday: 1; a date to itself: 0). With
 * `to` before `from` the count is negative, by the same rule the other way round, so a dashboard can show
 * "2 working days overdue" with the same function.
 */
export function workingDaysBetween(from: string, to: string, country: Country, opts?: WorkingDayOptions): number {
  const works = calendar(country, opts);
  requireDate(from, 'from');
  requireDate(to, 'to');
  if (to < from) return -workingDaysBetween(to, from, country, opts);
  let count = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (works(d)) count++;
  return count;
}
