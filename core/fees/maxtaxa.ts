/**
 * The Swedish maxtaxa for one household and month, as a pure function of its facts (core/fees/facts.ts
 * gathers them from the register): each child's fee with the explanation that is stored with its line.
 *
 *   fee base  = min(income, ceiling) − income floor, at least 0   (income not declared: the ceiling)
 *   rank      = place among the household's children with a fee-bearing place that month, youngest first,
 *               preschool and after-school care together
 *   cap       = percentage × (ceiling − floor), rounded half up to whole kronor
 *   fee       = min(percentage × fee base, cap), then local rules, then the days charged of the month,
 *               then the municipality's rounding
 */
import type { FeeSettings, LocalRule, SeRuleSet } from './rules';
import { cmp } from './order';

export type FeeFamily = 'preschool' | 'afterschool';

/** A child of the household with a fee-bearing place in the month. */
export interface FeeChild {
  personId: string;
  birthDate: string;
  family: FeeFamily;
  placementId: string;
  weeklyHours: number | null;
  /** Days of the month the place runs (first and last day, inclusive, within the month). */
  from: string;
  to: string;
  /** The place's first day (for the fee-free start days). */
  placementStart: string;
}

export interface FeeIncome {
  /** Per month, in öre; null when not declared (the cap applies). */
  monthly: number | null;
  source: 'declared' | 'not_declared' | 'income_check';
  /** From when the declaration applies, and which it is (for an income check: the check). */
  from: string | null;
  declarationId: string | null;
  /** The yearly income check whose income replaced the declared one: its year, the declared and the taxed income. */
  check?: IncomeCheckUse;
}

export interface IncomeCheckUse {
  year: number;
  /** The declared monthly income in force that the check replaced. */
  declared: number;
  /** The household's taxed income for the year. */
  taxed: number;
}

export interface FeeHousehold {
  householdId: string | null;
  /** The adults whose incomes count together (the guardian the child lives with and their partner). */
  adults: string[];
  income: FeeIncome;
  children: FeeChild[];
}

export interface FeeExplanation {
  ruleSet: { id: string; name: string; validFrom: string; validTo: string | null; source: string };
  income: { monthly: number | null; used: number; source: FeeIncome['source']; from: string | null; declarationId: string | null; check?: IncomeCheckUse };
  adults: string[];
  rank: number;
  ranked: { personId: string; birthDate: string; family: FeeFamily }[];
  family: FeeFamily;
  percentBp: number;
  ceiling: number;
  incomeFloor: number;
  feeBase: number;
  cap: number;
  /** The month's fee before local rules and days. */
  full: number;
  local: { id: string; label: string; effect: LocalRule['effect']['kind']; before: number; after: number }[];
  days: { charged: number; ofMonth: number; mode: FeeSettings['dayCount']; freeStartDays: number };
  rounding: FeeSettings['rounding'];
  /** What the line charges (öre). */
  amount: number;
}

export interface FeeLine {
  personId: string;
  placementId: string;
  amount: number;
  explanation: FeeExplanation;
}

const roundKrona = (ore: number) => Math.floor((ore + 50) / 100) * 100;
/** percent (basis points) of an amount in öre, to whole öre, half up. */
const pctOf = (amount: number, bp: number) => Math.floor((amount * bp + 5_000) / 10_000);

const views = new WeakMap<object, FeeExplanation['ruleSet']>();
/** The rule set as an explanation names it: one object per rule set, shared by every line it explains. */
export function ruleSetViewOf(rules: { id: string; name: string; validFrom: string; validTo: string | null; source: string }): FeeExplanation['ruleSet'] {
  let v = views.get(rules);
  if (!v) views.set(rules, (v = { id: rules.id, name: rules.name, validFrom: rules.validFrom, validTo: rules.validTo, source: rules.source }));
  return v;
}

export function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/**
 * The days charged of a place running from..to (inclusive) in `month`: the actual days of the month, or on a
 * 30-day month (day 31 counts as 30, a place running to the month's end runs to day 30), less fee-free start
 * days that fall in the month.
 */
export function chargedDays(month: string, from: string, to: string, placementStart: string, settings: Pick<FeeSettings, 'dayCount' | 'freeStartDays'>): { charged: number; ofMonth: number } {
  const r = chargedRange(month, from, to, placementStart, settings);
  return { charged: Math.max(0, r.last - r.first + 1), ofMonth: r.ofMonth };
}

/**
 * The days charged as a range of day numbers in the mode's month (on a 30-day month day 31 is day 30 and a
 * place running to the month's end runs to day 30); empty when `first > last`.
 */
export function chargedRange(month: string, from: string, to: string, placementStart: string, settings: Pick<FeeSettings, 'dayCount' | 'freeStartDays'>): { first: number; last: number; ofMonth: number } {
  const last = daysInMonth(month);
  const d = (iso: string) => Number(iso.slice(8, 10));
  let first = d(from);
  const end = d(to);
  if (settings.freeStartDays > 0) {
    const freeEnd = addDaysIso(placementStart, settings.freeStartDays - 1);
    if (freeEnd >= from) first = freeEnd.slice(0, 7) === month ? d(freeEnd) + 1 : last + 1;
  }
  if (first > end) return { first: 1, last: 0, ofMonth: settings.dayCount === 'thirty' ? 30 : last };
  if (settings.dayCount === 'actual') return { first, last: end, ofMonth: last };
  return { first: Math.min(first, 30), last: end === last ? 30 : Math.min(end, 30), ofMonth: 30 };
}

/** Days of `range` (in the mode's day numbers, as chargedRange) that one of `spans` (ISO dates, inclusive; to null: open) covers. */
export function coveredDays(month: string, range: { first: number; last: number }, spans: readonly { from: string; to: string | null }[], dayCount: FeeSettings['dayCount']): number {
  if (range.first > range.last || !spans.length) return 0;
  const monthLast = daysInMonth(month);
  const covered = new Set<number>();
  for (const sp of spans) {
    const a = sp.from < `${month}-01` ? 1 : sp.from.slice(0, 7) === month ? Number(sp.from.slice(8, 10)) : monthLast + 1;
    let b = sp.to === null || sp.to.slice(0, 7) > month ? monthLast : sp.to.slice(0, 7) === month ? Number(sp.to.slice(8, 10)) : 0;
    let a2 = a;
    if (dayCount === 'thirty') {
      b = b === monthLast ? 30 : Math.min(b, 30);
      a2 = Math.min(a, 30);
      if (a > monthLast) a2 = 31;
    }
    for (let day = Math.max(a2, range.first); day <= Math.min(b, range.last); day++) covered.add(day);
  }
  return covered.size;
}

function addDaysIso(iso: string, n: number): string {
  const t = new Date(`${iso}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + n);
  return t.toISOString().slice(0, 10);
}

/** Whole years of age on `date`. */
export function ageOn(birthDate: string, date: string): number {
  let age = Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4));
  if (date.slice(5) < birthDate.slice(5)) age--;
  return age;
}

function localApplies(r: LocalRule, c: FeeChild, month: string, incomeUsed: number): boolean {
  const w = r.when;
  const first = `${month}-01`;
  const age = ageOn(c.birthDate, first);
  if (w.family && w.family !== c.family) return false;
  if (w.incomeBelow !== undefined && !(incomeUsed < w.incomeBelow)) return false;
  if (w.ageFrom !== undefined && age < w.ageFrom) return false;
  if (w.ageTo !== undefined && age > w.ageTo) return false;
  if (w.months && !w.months.includes(Number(month.slice(5)))) return false;
  if (w.weeklyHoursAtMost !== undefined && !(c.weeklyHours !== null && c.weeklyHours <= w.weeklyHoursAtMost)) return false;
  if (w.fromAutumnOfYearTurning !== undefined) {
    const start = `${Number(c.birthDate.slice(0, 4)) + w.fromAutumnOfYearTurning}-08`;
    if (month < start) return false;
  }
  return true;
}

/**
 * Each child's fee for `month` in one household. `share` (basis points of the fee, default all of it) is the
 * household's part under shared residence; the caller applies the municipality's setting.
 */
export function seHouseholdFees(month: string, h: FeeHousehold, rules: SeRuleSet, settings: FeeSettings, opts: { shareBp?: (c: FeeChild) => number } = {}): FeeLine[] {
  // One rank per child, even with two places in the month (a move between units): its first place's rank.
  // (Most households have one child with one place: no sorting or maps for them.)
  const only = h.children.length === 1 ? h.children[0]! : null;
  const ranked = only ? h.children : [...h.children].sort((a, b) => cmp(b.birthDate, a.birthDate) || cmp(a.personId, b.personId));
  const rankOf = new Map<string, number>();
  if (!only) for (const c of ranked) if (!rankOf.has(c.personId)) rankOf.set(c.personId, rankOf.size + 1);
  const rankedView = only
    ? [{ personId: only.personId, birthDate: only.birthDate, family: only.family }]
    : [...new Map(ranked.map((c) => [c.personId, { personId: c.personId, birthDate: c.birthDate, family: c.family }])).values()];
  const used = h.income.monthly === null ? rules.ceiling : Math.min(h.income.monthly, rules.ceiling);
  const feeBase = Math.max(0, used - rules.incomeFloor);
  // One of each per household, shared by its lines (a month of 100 000 lines: fewer objects to collect).
  const ruleSetView = ruleSetViewOf(rules);
  const incomeView = { monthly: h.income.monthly, used, source: h.income.source, from: h.income.from, declarationId: h.income.declarationId, ...(h.income.check ? { check: h.income.check } : {}) };
  const adults = [...h.adults];
  return h.children.map((c) => {
    const rank = only ? 1 : rankOf.get(c.personId)!;
    let table = rules.percent[c.family];
    const local: FeeExplanation['local'] = [];
    const applicable = settings.local.filter((r) => localApplies(r, c, month, used));
    // An alternative percentage table replaces the national one before the fee is computed.
    for (const r of applicable) if (r.effect.kind === 'percent') table = r.effect.byRank;
    const percentBp = table[rank - 1] ?? 0;
    const cap = roundKrona(pctOf(rules.ceiling - rules.incomeFloor, percentBp));
    // At the ceiling the fee is the published maximum itself (whole kronor), not the percentage's öre.
    const full = feeBase >= rules.ceiling - rules.incomeFloor ? cap : Math.min(pctOf(feeBase, percentBp), cap);
    let fee = full;
    for (const r of applicable) {
      const before = fee;
      if (r.effect.kind === 'free') fee = 0;
      else if (r.effect.kind === 'reduce') fee = fee - pctOf(fee, r.effect.bp);
      else if (r.effect.kind === 'free_hours') {
        const week = c.weeklyHours ?? r.effect.fullWeekHours;
        fee = week <= r.effect.hours ? 0 : fee - Math.floor((fee * r.effect.hours + Math.floor(week / 2)) / week);
      }
      local.push({ id: r.id, label: r.label, effect: r.effect.kind, before, after: fee });
    }
    const days = chargedDays(month, c.from, c.to, c.placementStart, settings);
    let amount = days.charged >= days.ofMonth ? fee : Math.floor((fee * days.charged + Math.floor(days.ofMonth / 2)) / days.ofMonth);
    const share = opts.shareBp?.(c) ?? 10_000;
    if (share !== 10_000) amount = pctOf(amount, share);
    if (settings.rounding === 'krona') amount = roundKrona(amount);
    return {
      personId: c.personId,
      placementId: c.placementId,
      amount,
      explanation: {
        ruleSet: ruleSetView,
        income: incomeView,
        adults,
        rank,
        ranked: rankedView,
        family: c.family,
        percentBp,
        ceiling: rules.ceiling,
        incomeFloor: rules.incomeFloor,
        feeBase,
        cap,
        full,
        local,
        days: { ...days, mode: settings.dayCount, freeStartDays: settings.freeStartDays },
        rounding: settings.rounding,
        amount,
      },
    };
  });
}
