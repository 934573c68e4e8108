/**
 * The fee rules screen's pure logic (no JSX; renderer/src/screens/fees/Rules.tsx): what a person types
 * (kronor, percentages, multiples of G, months) and what the core stores (öre/øre, basis points,
 * thousandths of G, YYYY-MM); a rule set's, the settings' and a local rule's form values and their checks
 * (the zod schemas' limits and setFeeConfig's refusals, mirrored); a new rule set as a copy of the latest;
 * the whole value fee.rulesUpdate writes; and the core's refusal (`se.2.validTo`,
 * `no.0.sfo.bands.1.upToGThousandths`, `settings.local.0.when.ageFrom`) mapped to the dialog's field, or
 * to a message naming the rule set and the field when the dialog does not show it.
 *
 * No value import from shared/api: its zod schemas may not reach the renderer's bundle (lib/domain.ts).
 */
import type { MethodInput, MethodOutput } from '../../../shared/api/contract';
import type { FeeSettings, LocalRule, NoRuleSet, SeRuleSet } from '../../../shared/api/fees';
import type { ApiError } from '../../../shared/api/transport';
import { catalogs, type Lang } from '../../../shared/i18n';
import { issueMessage, mapApiError, nearestField, ruleMessage, type FieldError, type FieldErrors, type MappedError } from '../kit/errors';
import type { Country } from './domain';
import { moneyInputText, parseMoney } from './fees';
import { addMonths, formatMonth, isMonth } from './format';
import type { TFn, TKey } from './i18n';

export type FeeRulesView = MethodOutput<'fee.rules'>;
export type FeeRulesInput = MethodInput<'fee.rulesUpdate'>;
export type { FeeSettings, LocalRule, NoRuleSet, SeRuleSet };
export type LocalEffectKind = LocalRule['effect']['kind'];
export type FeeFamily = NonNullable<LocalRule['when']['family']>;

// ---------------------------------------------------------------------------------------------
// The contract's values and limits, mirrored (checked against the types below)
// ---------------------------------------------------------------------------------------------

export const DAY_COUNTS = ['thirty', 'actual'] as const;
export const ROUNDINGS = ['krona', 'ore'] as const;
export const SHARED_RESIDENCE_MODELS = ['registered_only', 'each_capped_together', 'each_half', 'declared_split'] as const;
export const LOCAL_EFFECTS = ['free', 'reduce', 'percent', 'free_hours'] as const;
export const FEE_FAMILIES = ['preschool', 'afterschool'] as const;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const listsMatch: [
  Same<(typeof DAY_COUNTS)[number], FeeSettings['dayCount']>,
  Same<(typeof ROUNDINGS)[number], FeeSettings['rounding']>,
  Same<(typeof SHARED_RESIDENCE_MODELS)[number], FeeSettings['sharedResidence']>,
  Same<(typeof LOCAL_EFFECTS)[number], LocalEffectKind>,
  Same<(typeof FEE_FAMILIES)[number], FeeFamily>,
] = [true, true, true, true, true];
void listsMatch;

/** shared/api/fees.ts's limits. */
export const LIMITS = {
  name: 200,
  source: 300,
  localLabel: 200,
  localRules: 50,
  sets: 60,
  ranks: 6,
  bands: 20,
  siblingRanks: 6,
  freeStartDays: { min: 0, max: 60 },
  paymentTermsDays: { min: 0, max: 90 },
  correctionMonths: { min: 0, max: 60 },
  /** öre */
  incomeCheckThreshold: 100_000_000,
  age: { min: 0, max: 20 },
  autumnAge: { min: 0, max: 10 },
  weeklyHoursAtMost: { min: 0, max: 80 },
  freeHours: { min: 1, max: 60 },
  fullWeekHours: { min: 1, max: 80 },
  payingMonths: { min: 1, max: 12 },
  partTimeHours: { min: 0, max: 60 },
  sfoFreeHours: { min: 0, max: 40 },
  coreHours: { min: 0, max: 45 },
  coreFullWeek: { min: 1, max: 60 },
} as const;
export const GRADES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
export const BARNEHAGE_AGES = [0, 1, 2, 3, 4, 5, 6] as const;
export const MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] as const;

// ---------------------------------------------------------------------------------------------
// Typed figures ↔ stored units
// ---------------------------------------------------------------------------------------------

/** What a typed figure reads as: the stored integer, nothing typed (null), or not a figure. */
export type Parsed = number | null | 'invalid';

/** "3", "3,5", "0.25" → the integer of 10^decimals units (300, 350, 25 for two); more decimals than that are refused. */
function parseScaled(text: string, decimals: number): Parsed {
  const s = text.replace(/[\s\u00a0\u202f]/g, '');
  if (s === '') return null;
  const m = /^(\d+)(?:[.,](\d*))?$/.exec(s);
  if (!m) return 'invalid';
  const fraction = m[2] ?? '';
  if (fraction.length > decimals && !/^0*$/.test(fraction.slice(decimals))) return 'invalid';
  const n = Number(m[1]) * 10 ** decimals + (decimals ? Number(fraction.slice(0, decimals).padEnd(decimals, '0')) : 0);
  return Number.isSafeInteger(n) ? n : 'invalid';
}

/** The integer of 10^decimals units written back the local way, without trailing zeros: 150 → "1,5" (sv), "1.5" (en). */
function scaledText(n: number, decimals: number, lang: Lang): string {
  const unit = 10 ** decimals;
  const whole = Math.trunc(n / unit);
  const fraction = String(Math.abs(n % unit)).padStart(decimals, '0').replace(/0+$/, '');
  return fraction ? `${whole}${lang === 'en' ? '.' : ','}${fraction}` : String(whole);
}

/** Kronor as typed → öre ("61 560", "1 547,50", "1547.5 kr"); a negative amount is not a figure here. */
export function parseKronor(text: string): Parsed {
  const ore = parseMoney(text);
  return typeof ore === 'number' && ore < 0 ? 'invalid' : ore;
}
/** Öre as kronor to type again: 6156000 → "61560", 154750 → "1547,50". */
export const kronorText = (ore: number, lang: Lang): string => moneyInputText(ore, lang);

/** A percentage as typed → basis points: "3" → 300, "1,5 %" → 150, "0.25" → 25 (at most two decimals). */
export function parsePercent(text: string): Parsed {
  return parseScaled(text.replace(/\s*%\s*$/, ''), 2);
}
/** Basis points as a percentage to type again: 300 → "3", 150 → "1,5" (sv), 25 → "0.25" (en). */
export const percentText = (bp: number, lang: Lang): string => scaledText(bp, 2, lang);

/** A multiple of G as typed → thousandths of G: "2,25" → 2250, "4" → 4000 (at most three decimals). */
export function parseG(text: string): Parsed {
  return parseScaled(text.replace(/\s*G\s*$/i, ''), 3);
}
export const gText = (thousandths: number, lang: Lang): string => scaledText(thousandths, 3, lang);

/** A whole number as typed ("12"); empty → null. */
export function parseWhole(text: string): Parsed {
  const s = text.trim();
  if (s === '') return null;
  return /^\d{1,9}$/.test(s) ? Number(s) : 'invalid';
}

/** A month as typed → YYYY-MM: "2027-01", "2027-1", "1/2027", "01.2027"; empty → null. */
export function parseMonthInput(text: string): string | null | 'invalid' {
  const s = text.trim();
  if (s === '') return null;
  const ym = /^(\d{4})[-/.](\d{1,2})$/.exec(s);
  const my = /^(\d{1,2})[-/.](\d{4})$/.exec(s);
  const y = ym?.[1] ?? my?.[2];
  const m = ym?.[2] ?? my?.[1];
  if (!y || !m) return 'invalid';
  const month = `${y}-${m.padStart(2, '0')}`;
  return isMonth(month) ? month : 'invalid';
}

/** The month typed, when it is one (YYYY-MM); else null. */
export function typedMonth(text: string): string | null {
  const m = parseMonthInput(text);
  return m === 'invalid' ? null : m;
}

// ---------------------------------------------------------------------------------------------
// Rule sets in time
// ---------------------------------------------------------------------------------------------

export interface Dated {
  id: string;
  validFrom: string;
  validTo: string | null;
}

/** The set that starts last (a new set is a copy of it). */
export function latestSet<T extends Dated>(sets: readonly T[]): T | null {
  let best: T | null = null;
  for (const s of sets) if (!best || s.validFrom > best.validFrom) best = s;
  return best;
}

/** The set in force in `month` (core/fees/rules.ts ruleSetFor): the latest starting at or before it and not ended before it. */
export function ruleSetFor<T extends Dated>(sets: readonly T[], month: string): T | null {
  let best: T | null = null;
  for (const s of sets) {
    if (s.validFrom > month || (s.validTo !== null && s.validTo < month)) continue;
    if (!best || s.validFrom > best.validFrom) best = s;
  }
  return best;
}

export type SetStatus = 'current' | 'future' | 'past';
/** In force this month, starting later, or over (ended, or followed by a later set). */
export function setStatus<T extends Dated>(sets: readonly T[], set: T, today: string): SetStatus {
  const month = today.slice(0, 7);
  if (ruleSetFor(sets, month)?.id === set.id) return 'current';
  return set.validFrom > month ? 'future' : 'past';
}

/** The set's last month in effect: its own end, or the month before a later set starts (null: open). */
export function effectiveEnd<T extends Dated>(sets: readonly T[], set: T): string | null {
  if (set.validTo !== null) return set.validTo;
  const next = sets.filter((s) => s.validFrom > set.validFrom).sort((a, b) => a.validFrom.localeCompare(b.validFrom))[0];
  return next ? addMonths(next.validFrom, -1) : null;
}

/**
 * The first month a new set proposes: Swedish ceilings change each January, Norwegian prices each August
 * (the next such month after today), and never at or before the latest set's own start.
 */
export function defaultNewMonth(country: Country, today: string, sets: readonly Dated[]): string {
  const now = today.slice(0, 7);
  const [y, m] = now.split('-').map(Number) as [number, number];
  let month = country === 'NO' ? (m < 8 ? `${y}-08` : `${y + 1}-08`) : `${y + 1}-01`;
  const latest = latestSet(sets);
  if (latest && month <= latest.validFrom) month = addMonths(latest.validFrom, 1);
  return month;
}

/** An id no other set has: `se-2027-01`, else `se-2027-01-2`, … */
export function uniqueSetId(prefix: string, from: string, sets: readonly { id: string }[]): string {
  const taken = new Set(sets.map((s) => s.id));
  const base = `${prefix}-${from}`;
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** A new set: a copy of the latest with its own id, the given first month and name, open-ended, no source yet. */
export function newSetFrom<T extends Dated & { name: string; source: string; country: 'SE' | 'NO' }>(sets: readonly T[], from: string, name: string): T {
  const latest = latestSet(sets);
  if (!latest) throw new Error('no rule set to copy');
  return { ...structuredClone(latest), id: uniqueSetId(latest.country.toLowerCase(), from, sets), name, validFrom: from, validTo: null, source: '' };
}

/**
 * Adds a set at the end (the others stay where they were read), ending the set before it the month
 * before the new one starts when it was open. `ended`: that set as it will be saved.
 */
export function addSet<T extends Dated>(sets: readonly T[], set: T): { sets: T[]; ended: T | null } {
  const before = sets.filter((s) => s.validFrom < set.validFrom).sort((a, b) => b.validFrom.localeCompare(a.validFrom))[0];
  const ended = before && before.validTo === null ? { ...before, validTo: addMonths(set.validFrom, -1) } : null;
  return { sets: [...sets.map((s) => (ended && s.id === ended.id ? ended : s)), set], ended };
}

/**
 * Removes the set at `index`. When it was the latest and open, and the set before it ended the month
 * before it started (as "New rule set" left it), that set runs on again (`reopened`).
 */
export function removeSet<T extends Dated>(sets: readonly T[], index: number): { sets: T[]; reopened: T | null } {
  const gone = sets[index];
  if (!gone || sets.length <= 1) return { sets: [...sets], reopened: null };
  const rest = sets.filter((_, i) => i !== index);
  const latest = latestSet(sets);
  const before = rest.filter((s) => s.validFrom < gone.validFrom).sort((a, b) => b.validFrom.localeCompare(a.validFrom))[0];
  const reopen = latest?.id === gone.id && gone.validTo === null && before && before.validTo === addMonths(gone.validFrom, -1);
  const reopened = reopen ? { ...before, validTo: null } : null;
  return { sets: rest.map((s) => (reopened && s.id === reopened.id ? reopened : s)), reopened };
}

/** Replaces the set at `index`. */
export const replaceAt = <T>(list: readonly T[], index: number, item: T): T[] => list.map((x, i) => (i === index ? item : x));

/** The whole value fee.rulesUpdate writes: what changed, and everything else exactly as read. */
export function rulesInput(view: FeeRulesView, patch: Partial<FeeRulesInput>): FeeRulesInput {
  return { se: patch.se ?? view.se, no: patch.no ?? view.no, settings: patch.settings ?? view.settings, version: view.version };
}

// ---------------------------------------------------------------------------------------------
// Checks shared by the forms
// ---------------------------------------------------------------------------------------------

type Range = { min: number; max: number };

class Checks {
  readonly e: FieldErrors = {};
  private put(path: string, err: FieldError): void {
    if (!this.e[path]) this.e[path] = err;
  }
  text(path: string, text: string, max: number, required = true): void {
    const s = text.trim();
    if (required && !s) this.put(path, { key: 'validation.required' });
    else if (s.length > max) this.put(path, { key: 'validation.too_long_max', vars: { max } });
  }
  money(path: string, text: string, opts: { required?: boolean; max?: number } = {}): number | null {
    const n = parseKronor(text);
    if (n === 'invalid' || (n !== null && opts.max !== undefined && n > opts.max)) this.put(path, { key: 'feeRules.error.money' });
    else if (n === null && opts.required !== false) this.put(path, { key: 'validation.required' });
    return typeof n === 'number' ? n : null;
  }
  percent(path: string, text: string, required = true): number | null {
    const n = parsePercent(text);
    if (n === 'invalid' || (n !== null && n > 10_000)) this.put(path, { key: 'feeRules.error.percent' });
    else if (n === null && required) this.put(path, { key: 'validation.required' });
    return typeof n === 'number' && n <= 10_000 ? n : null;
  }
  whole(path: string, text: string, range: Range, required = true): number | null {
    const n = parseWhole(text);
    if (n === 'invalid' || (n !== null && (n < range.min || n > range.max))) this.put(path, { key: 'feeRules.error.whole', vars: { min: range.min, max: range.max } });
    else if (n === null && required) this.put(path, { key: 'validation.required' });
    return typeof n === 'number' && n >= range.min && n <= range.max ? n : null;
  }
  month(path: string, text: string, required = true): string | null {
    const m = parseMonthInput(text);
    if (m === 'invalid') this.put(path, { key: 'feeRules.error.month' });
    else if (m === null && required) this.put(path, { key: 'validation.required' });
    return m === 'invalid' ? null : m;
  }
  g(path: string, text: string, required = true): number | null {
    const n = parseG(text);
    if (n === 'invalid') this.put(path, { key: 'feeRules.error.g' });
    else if (n === null && required) this.put(path, { key: 'validation.required' });
    return typeof n === 'number' ? n : null;
  }
  /** Percentages by rank: the first required, no empty one before a filled one. */
  ranks(path: string, list: readonly string[], firstRequired = true): void {
    const last = lastFilled(list);
    if (firstRequired && last < 0) this.put(`${path}.0`, { key: 'validation.required' });
    list.forEach((x, i) => {
      if (i > last) return;
      if (!x.trim()) this.put(`${path}.${i}`, { key: 'feeRules.error.rankGap' });
      else this.percent(`${path}.${i}`, x);
    });
  }
  add(path: string, err: FieldError): void {
    this.put(path, err);
  }
}

/** The index of the last entry typed in (−1: none). */
export function lastFilled(list: readonly string[]): number {
  for (let i = list.length - 1; i >= 0; i--) if (list[i]!.trim()) return i;
  return -1;
}

/** The rank inputs to show: every one typed in, and one empty more (up to `max`). */
export function rankInputs(list: readonly string[], max: number = LIMITS.ranks): string[] {
  const shown = Math.min(max, Math.max(lastFilled(list) + 2, 1));
  return Array.from({ length: shown }, (_, i) => list[i] ?? '');
}

/** One rank's input changed: the list as typed (trailing empties dropped). */
export function setRank(list: readonly string[], index: number, text: string): string[] {
  const out = Array.from({ length: Math.max(list.length, index + 1) }, (_, i) => (i === index ? text : (list[i] ?? '')));
  return out.slice(0, lastFilled(out) + 1);
}

const rankBp = (list: readonly string[]): number[] => list.slice(0, lastFilled(list) + 1).map((x) => parsePercent(x) as number);

// ---------------------------------------------------------------------------------------------
// A Swedish rule set (maxtaxa)
// ---------------------------------------------------------------------------------------------

export interface SeSetValues {
  name: string;
  validFrom: string;
  validTo: string;
  /** Kronor as typed. */
  ceiling: string;
  incomeFloor: string;
  /** Percent by rank as typed. */
  percent: { preschool: string[]; afterschool: string[] };
  source: string;
}

export function seToValues(s: SeRuleSet, lang: Lang): SeSetValues {
  return {
    name: s.name,
    validFrom: s.validFrom,
    validTo: s.validTo ?? '',
    ceiling: kronorText(s.ceiling, lang),
    incomeFloor: kronorText(s.incomeFloor, lang),
    percent: { preschool: s.percent.preschool.map((bp) => percentText(bp, lang)), afterschool: s.percent.afterschool.map((bp) => percentText(bp, lang)) },
    source: s.source,
  };
}

function checkPeriod(c: Checks, v: { validFrom: string; validTo: string }): void {
  const from = c.month('validFrom', v.validFrom);
  const to = c.month('validTo', v.validTo, false);
  if (from && to && to < from) c.add('validTo', { key: 'feeRules.error.validToBeforeFrom' });
}

export function validateSe(v: SeSetValues): FieldErrors {
  const c = new Checks();
  c.text('name', v.name, LIMITS.name);
  checkPeriod(c, v);
  const ceiling = c.money('ceiling', v.ceiling);
  const floor = c.money('incomeFloor', v.incomeFloor);
  if (ceiling !== null && floor !== null && floor > ceiling) c.add('incomeFloor', { key: 'feeRules.error.floorAboveCeiling' });
  c.ranks('percent.preschool', v.percent.preschool);
  c.ranks('percent.afterschool', v.percent.afterschool);
  c.text('source', v.source, LIMITS.source, false);
  return c.e;
}

/** The checked values as the set to save (`base` keeps its id and country). */
export function valuesToSe(v: SeSetValues, base: SeRuleSet): SeRuleSet {
  return {
    ...base,
    name: v.name.trim(),
    validFrom: parseMonthInput(v.validFrom) as string,
    validTo: (parseMonthInput(v.validTo) as string | null) ?? null,
    ceiling: parseKronor(v.ceiling) as number,
    incomeFloor: parseKronor(v.incomeFloor) as number,
    percent: { preschool: rankBp(v.percent.preschool), afterschool: rankBp(v.percent.afterschool) },
    source: v.source.trim(),
  };
}

/** The fields the Swedish dialog shows (the core's paths inside the set). */
export function seFieldKnown(path: string): boolean {
  return ['name', 'validFrom', 'validTo', 'ceiling', 'incomeFloor', 'source'].includes(path) || /^percent\.(preschool|afterschool)\.\d+$/.test(path);
}

// ---------------------------------------------------------------------------------------------
// A Norwegian rule set (SFO/AKS and barnehage)
// ---------------------------------------------------------------------------------------------

export interface BandValues {
  /** The row's key on screen (not saved). */
  key: string;
  /** Up to (and including) this multiple of G a year, as typed; empty: the rest (the last band only). */
  upTo: string;
  full: string;
  part: string;
}

export interface NoSetValues {
  name: string;
  validFrom: string;
  validTo: string;
  g: string;
  freeMonths: number[];
  payingMonths: string;
  sfo: {
    partTimeHoursAtMost: string;
    bands: BandValues[];
    national: { capBp: string; grades: number[]; incomeBelow: string };
    freeHours: { hours: string; grades: number[]; reduction: string };
  };
  barnehage: {
    maxPrice: string;
    /** By rank 2, 3, … as typed. */
    siblingDiscountBp: string[];
    incomeCapBp: string;
    freeCore: { hoursPerWeek: string; fullWeekHours: string; ages: number[]; incomeBelow: string };
  };
  source: string;
}

let bandKeys = 0;
export const newBandKey = (): string => `band-${++bandKeys}`;

export function noToValues(s: NoRuleSet, lang: Lang): NoSetValues {
  const kr = (ore: number) => kronorText(ore, lang);
  return {
    name: s.name,
    validFrom: s.validFrom,
    validTo: s.validTo ?? '',
    g: kr(s.g),
    freeMonths: [...s.freeMonths],
    payingMonths: String(s.payingMonths),
    sfo: {
      partTimeHoursAtMost: String(s.sfo.partTimeHoursAtMost),
      bands: s.sfo.bands.map((b) => ({ key: newBandKey(), upTo: b.upToGThousandths === null ? '' : gText(b.upToGThousandths, lang), full: kr(b.full), part: kr(b.part) })),
      national: { capBp: percentText(s.sfo.national.capBp, lang), grades: [...s.sfo.national.grades], incomeBelow: kr(s.sfo.national.incomeBelow) },
      freeHours: { hours: String(s.sfo.freeHours.hours), grades: [...s.sfo.freeHours.grades], reduction: kr(s.sfo.freeHours.reduction) },
    },
    barnehage: {
      maxPrice: kr(s.barnehage.maxPrice),
      siblingDiscountBp: s.barnehage.siblingDiscountBp.map((bp) => percentText(bp, lang)),
      incomeCapBp: percentText(s.barnehage.incomeCapBp, lang),
      freeCore: {
        hoursPerWeek: String(s.barnehage.freeCore.hoursPerWeek),
        fullWeekHours: String(s.barnehage.freeCore.fullWeekHours),
        ages: [...s.barnehage.freeCore.ages],
        incomeBelow: kr(s.barnehage.freeCore.incomeBelow),
      },
    },
    source: s.source,
  };
}

export const bandPath = (i: number, field: 'upToGThousandths' | 'full' | 'part'): string => `sfo.bands.${i}.${field}`;

export function validateNo(v: NoSetValues): FieldErrors {
  const c = new Checks();
  c.text('name', v.name, LIMITS.name);
  checkPeriod(c, v);
  const g = c.money('g', v.g);
  if (g === 0) c.add('g', { key: 'feeRules.error.gZero' });
  c.whole('payingMonths', v.payingMonths, LIMITS.payingMonths);
  c.whole('sfo.partTimeHoursAtMost', v.sfo.partTimeHoursAtMost, LIMITS.partTimeHours);
  if (v.sfo.bands.length === 0) c.add('sfo.bands', { key: 'feeRules.error.bandsNone' });
  let prev: number | null = null;
  v.sfo.bands.forEach((b, i) => {
    const last = i === v.sfo.bands.length - 1;
    const up = c.g(bandPath(i, 'upToGThousandths'), b.upTo, false);
    if (!last && !b.upTo.trim()) c.add(bandPath(i, 'upToGThousandths'), { key: 'feeRules.error.bandOpen' });
    if (up !== null && prev !== null && up <= prev) c.add(bandPath(i, 'upToGThousandths'), { key: 'feeRules.error.bandsRise' });
    if (up !== null) prev = up;
    c.money(bandPath(i, 'full'), b.full);
    c.money(bandPath(i, 'part'), b.part);
  });
  c.percent('sfo.national.capBp', v.sfo.national.capBp);
  c.money('sfo.national.incomeBelow', v.sfo.national.incomeBelow);
  c.whole('sfo.freeHours.hours', v.sfo.freeHours.hours, LIMITS.sfoFreeHours);
  c.money('sfo.freeHours.reduction', v.sfo.freeHours.reduction);
  c.money('barnehage.maxPrice', v.barnehage.maxPrice);
  c.ranks('barnehage.siblingDiscountBp', v.barnehage.siblingDiscountBp, false);
  c.percent('barnehage.incomeCapBp', v.barnehage.incomeCapBp);
  c.whole('barnehage.freeCore.hoursPerWeek', v.barnehage.freeCore.hoursPerWeek, LIMITS.coreHours);
  c.whole('barnehage.freeCore.fullWeekHours', v.barnehage.freeCore.fullWeekHours, LIMITS.coreFullWeek);
  c.money('barnehage.freeCore.incomeBelow', v.barnehage.freeCore.incomeBelow);
  c.text('source', v.source, LIMITS.source, false);
  return c.e;
}

const sorted = (xs: readonly number[]) => [...new Set(xs)].sort((a, b) => a - b);

export function valuesToNo(v: NoSetValues, base: NoRuleSet): NoRuleSet {
  const kr = (s: string) => parseKronor(s) as number;
  const whole = (s: string) => parseWhole(s) as number;
  return {
    ...base,
    name: v.name.trim(),
    validFrom: parseMonthInput(v.validFrom) as string,
    validTo: (parseMonthInput(v.validTo) as string | null) ?? null,
    g: kr(v.g),
    freeMonths: sorted(v.freeMonths),
    payingMonths: whole(v.payingMonths),
    sfo: {
      partTimeHoursAtMost: whole(v.sfo.partTimeHoursAtMost),
      bands: v.sfo.bands.map((b) => ({ upToGThousandths: (parseG(b.upTo) as number | null) ?? null, full: kr(b.full), part: kr(b.part) })),
      national: { capBp: parsePercent(v.sfo.national.capBp) as number, grades: sorted(v.sfo.national.grades), incomeBelow: kr(v.sfo.national.incomeBelow) },
      freeHours: { hours: whole(v.sfo.freeHours.hours), grades: sorted(v.sfo.freeHours.grades), reduction: kr(v.sfo.freeHours.reduction) },
    },
    barnehage: {
      maxPrice: kr(v.barnehage.maxPrice),
      siblingDiscountBp: rankBp(v.barnehage.siblingDiscountBp),
      incomeCapBp: parsePercent(v.barnehage.incomeCapBp) as number,
      freeCore: {
        hoursPerWeek: whole(v.barnehage.freeCore.hoursPerWeek),
        fullWeekHours: whole(v.barnehage.freeCore.fullWeekHours),
        ages: sorted(v.barnehage.freeCore.ages),
        incomeBelow: kr(v.barnehage.freeCore.incomeBelow),
      },
    },
    source: v.source.trim(),
  };
}

const NO_FIELDS = [
  'name',
  'validFrom',
  'validTo',
  'g',
  'freeMonths',
  'payingMonths',
  'sfo.partTimeHoursAtMost',
  'sfo.bands',
  'sfo.national.capBp',
  'sfo.national.grades',
  'sfo.national.incomeBelow',
  'sfo.freeHours.hours',
  'sfo.freeHours.grades',
  'sfo.freeHours.reduction',
  'barnehage.maxPrice',
  'barnehage.incomeCapBp',
  'barnehage.freeCore.hoursPerWeek',
  'barnehage.freeCore.fullWeekHours',
  'barnehage.freeCore.ages',
  'barnehage.freeCore.incomeBelow',
  'source',
];
/** The fields the Norwegian dialog shows (bands by row; sibling discounts by rank): `bands` rows, `siblings` rank inputs. */
export function noFieldKnown(bands: number, siblings: number): (path: string) => boolean {
  return (path) => {
    if (NO_FIELDS.includes(path)) return true;
    const band = /^sfo\.bands\.(\d+)\.(upToGThousandths|full|part)$/.exec(path);
    if (band) return Number(band[1]) < bands;
    const sib = /^barnehage\.siblingDiscountBp\.(\d+)$/.exec(path);
    return sib !== null && Number(sib[1]) < siblings;
  };
}

// ---------------------------------------------------------------------------------------------
// The municipality's settings (not the CSV layouts nor the invoicing seller: kept as read)
// ---------------------------------------------------------------------------------------------

export interface SettingsValues {
  dayCount: FeeSettings['dayCount'];
  freeStartDays: string;
  rounding: FeeSettings['rounding'];
  sharedResidence: FeeSettings['sharedResidence'];
  /** Kronor per month as typed. */
  incomeCheckThreshold: string;
  correctionMonths: string;
  paymentTermsDays: string;
}

export function settingsToValues(s: FeeSettings, lang: Lang): SettingsValues {
  return {
    dayCount: s.dayCount,
    freeStartDays: String(s.freeStartDays),
    rounding: s.rounding,
    sharedResidence: s.sharedResidence,
    incomeCheckThreshold: kronorText(s.incomeCheckThreshold, lang),
    correctionMonths: String(s.correctionMonths),
    paymentTermsDays: String(s.paymentTermsDays),
  };
}

export function validateSettings(v: SettingsValues): FieldErrors {
  const c = new Checks();
  c.whole('freeStartDays', v.freeStartDays, LIMITS.freeStartDays);
  c.money('incomeCheckThreshold', v.incomeCheckThreshold, { max: LIMITS.incomeCheckThreshold });
  c.whole('correctionMonths', v.correctionMonths, LIMITS.correctionMonths);
  c.whole('paymentTermsDays', v.paymentTermsDays, LIMITS.paymentTermsDays);
  return c.e;
}

export function valuesToSettings(v: SettingsValues, base: FeeSettings): FeeSettings {
  return {
    ...base,
    dayCount: v.dayCount,
    freeStartDays: parseWhole(v.freeStartDays) as number,
    rounding: v.rounding,
    sharedResidence: v.sharedResidence,
    incomeCheckThreshold: parseKronor(v.incomeCheckThreshold) as number,
    correctionMonths: parseWhole(v.correctionMonths) as number,
    paymentTermsDays: parseWhole(v.paymentTermsDays) as number,
  };
}

export const SETTINGS_FIELDS = ['dayCount', 'freeStartDays', 'rounding', 'sharedResidence', 'incomeCheckThreshold', 'correctionMonths', 'paymentTermsDays'] as const;
export const settingsFieldKnown = (path: string): boolean => (SETTINGS_FIELDS as readonly string[]).includes(path);

// ---------------------------------------------------------------------------------------------
// A local rule
// ---------------------------------------------------------------------------------------------

export interface LocalRuleValues {
  label: string;
  when: {
    family: FeeFamily | '';
    incomeBelow: string;
    ageFrom: string;
    ageTo: string;
    fromAutumnOfYearTurning: string;
    /** None checked: every month. */
    months: number[];
    weeklyHoursAtMost: string;
  };
  /** Every effect's inputs are kept while another kind is chosen; only the chosen one is saved. */
  effect: { kind: LocalEffectKind; bp: string; byRank: string[]; hours: string; fullWeekHours: string };
}

export function emptyLocalRule(): LocalRuleValues {
  return {
    label: '',
    when: { family: '', incomeBelow: '', ageFrom: '', ageTo: '', fromAutumnOfYearTurning: '', months: [], weeklyHoursAtMost: '' },
    effect: { kind: 'free', bp: '', byRank: [], hours: '', fullWeekHours: '40' },
  };
}

export function localToValues(r: LocalRule, lang: Lang): LocalRuleValues {
  const w = r.when;
  const e = r.effect;
  const opt = (n: number | undefined) => (n === undefined ? '' : String(n));
  const empty = emptyLocalRule().effect;
  return {
    label: r.label,
    when: {
      family: w.family ?? '',
      incomeBelow: w.incomeBelow === undefined ? '' : kronorText(w.incomeBelow, lang),
      ageFrom: opt(w.ageFrom),
      ageTo: opt(w.ageTo),
      fromAutumnOfYearTurning: opt(w.fromAutumnOfYearTurning),
      months: [...(w.months ?? [])],
      weeklyHoursAtMost: opt(w.weeklyHoursAtMost),
    },
    effect: {
      kind: e.kind,
      bp: e.kind === 'reduce' ? percentText(e.bp, lang) : empty.bp,
      byRank: e.kind === 'percent' ? e.byRank.map((bp) => percentText(bp, lang)) : empty.byRank,
      hours: e.kind === 'free_hours' ? String(e.hours) : empty.hours,
      fullWeekHours: e.kind === 'free_hours' ? String(e.fullWeekHours) : empty.fullWeekHours,
    },
  };
}

export function validateLocal(v: LocalRuleValues): FieldErrors {
  const c = new Checks();
  c.text('label', v.label, LIMITS.localLabel);
  c.money('when.incomeBelow', v.when.incomeBelow, { required: false });
  const from = c.whole('when.ageFrom', v.when.ageFrom, LIMITS.age, false);
  const to = c.whole('when.ageTo', v.when.ageTo, LIMITS.age, false);
  if (from !== null && to !== null && to < from) c.add('when.ageTo', { key: 'feeRules.error.ageOrder' });
  c.whole('when.fromAutumnOfYearTurning', v.when.fromAutumnOfYearTurning, LIMITS.autumnAge, false);
  c.whole('when.weeklyHoursAtMost', v.when.weeklyHoursAtMost, LIMITS.weeklyHoursAtMost, false);
  const e = v.effect;
  if (e.kind === 'reduce') c.percent('effect.bp', e.bp);
  if (e.kind === 'percent') c.ranks('effect.byRank', e.byRank);
  if (e.kind === 'free_hours') {
    c.whole('effect.hours', e.hours, LIMITS.freeHours);
    c.whole('effect.fullWeekHours', e.fullWeekHours, LIMITS.fullWeekHours);
  }
  return c.e;
}

/** An id no other local rule has: local-1, local-2, … */
export function uniqueLocalId(rules: readonly { id: string }[]): string {
  const taken = new Set(rules.map((r) => r.id));
  for (let n = rules.length + 1; ; n++) if (!taken.has(`local-${n}`)) return `local-${n}`;
}

export function valuesToLocal(v: LocalRuleValues, id: string): LocalRule {
  const w = v.when;
  const opt = (s: string) => (parseWhole(s) as number | null) ?? undefined;
  const income = (parseKronor(w.incomeBelow) as number | null) ?? undefined;
  const when: LocalRule['when'] = {};
  if (w.family) when.family = w.family;
  if (income !== undefined) when.incomeBelow = income;
  if (opt(w.ageFrom) !== undefined) when.ageFrom = opt(w.ageFrom);
  if (opt(w.ageTo) !== undefined) when.ageTo = opt(w.ageTo);
  if (opt(w.fromAutumnOfYearTurning) !== undefined) when.fromAutumnOfYearTurning = opt(w.fromAutumnOfYearTurning);
  if (w.months.length) when.months = sorted(w.months);
  if (opt(w.weeklyHoursAtMost) !== undefined) when.weeklyHoursAtMost = opt(w.weeklyHoursAtMost);
  const e = v.effect;
  const effect: LocalRule['effect'] =
    e.kind === 'reduce'
      ? { kind: 'reduce', bp: parsePercent(e.bp) as number }
      : e.kind === 'percent'
        ? { kind: 'percent', byRank: rankBp(e.byRank) }
        : e.kind === 'free_hours'
          ? { kind: 'free_hours', hours: parseWhole(e.hours) as number, fullWeekHours: parseWhole(e.fullWeekHours) as number }
          : { kind: 'free' };
  return { id, label: v.label.trim(), when, effect };
}

const LOCAL_FIELDS = ['label', 'when.family', 'when.incomeBelow', 'when.ageFrom', 'when.ageTo', 'when.fromAutumnOfYearTurning', 'when.months', 'when.weeklyHoursAtMost', 'effect.kind'];
/** The fields the local rule dialog shows for the effect chosen. */
export function localFieldKnown(kind: LocalEffectKind): (path: string) => boolean {
  return (path) =>
    LOCAL_FIELDS.includes(path) ||
    (kind === 'reduce' && path === 'effect.bp') ||
    (kind === 'percent' && /^effect\.byRank\.\d+$/.test(path)) ||
    (kind === 'free_hours' && (path === 'effect.hours' || path === 'effect.fullWeekHours'));
}

// ---------------------------------------------------------------------------------------------
// The core's refusal → the dialog's field, or words naming where it is
// ---------------------------------------------------------------------------------------------

/** Where a core field path points: a rule set, the settings, a local rule (and the path inside it). */
export type RulesPlace =
  | { part: 'se' | 'no'; index: number; rest: string }
  | { part: 'local'; index: number; rest: string }
  | { part: 'settings'; rest: string }
  | { part: 'other'; rest: string };

export function parseRulesPath(path: string): RulesPlace {
  const set = /^(se|no)\.(\d+)(?:\.(.*))?$/.exec(path);
  if (set) return { part: set[1] as 'se' | 'no', index: Number(set[2]), rest: set[3] ?? '' };
  const local = /^settings\.local\.(\d+)(?:\.(.*))?$/.exec(path);
  if (local) return { part: 'local', index: Number(local[1]), rest: local[2] ?? '' };
  if (path === 'settings' || path.startsWith('settings.')) return { part: 'settings', rest: path.slice('settings.'.length) };
  return { part: 'other', rest: path };
}

/** What a dialog edits: one rule set, the settings, one local rule (or nothing: a removal). */
export type RulesTarget = { part: 'se' | 'no'; index: number } | { part: 'local'; index: number } | { part: 'settings' } | { part: 'none' };

/** The path inside the dialog's values when `path` belongs to what the dialog edits; else null. */
export function pathInTarget(path: string, target: RulesTarget): string | null {
  const p = parseRulesPath(path);
  if (target.part === 'none') return null;
  if (target.part === 'settings') return p.part === 'settings' ? p.rest : null;
  return p.part === target.part && p.index === target.index ? p.rest : null;
}

const hasMessage = (key: string): key is TKey => key in catalogs.sv;

/**
 * The label of a field inside a set, the settings or a local rule: `feeRules.field.<path without the
 * indexes>` (the nearest one the catalogs have) and the first index, 1-based ("band 2"); null: none.
 */
export function fieldLabel(rest: string): { key: TKey; n: number | null } | null {
  const parts = rest.split('.').filter(Boolean);
  const idx = parts.findIndex((x) => /^\d+$/.test(x));
  const n = idx >= 0 ? Number(parts[idx]) + 1 : null;
  let names = parts.filter((x) => !/^\d+$/.test(x));
  while (names.length) {
    const key = `feeRules.field.${names.join('.')}`;
    if (hasMessage(key)) return { key, n };
    names = names.slice(0, -1);
  }
  return null;
}

/** The core's words for a refusal at `field` → the screen's message (the core's own text is English, for logs). */
export function refusalMessage(e: ApiError, field: string | undefined, issue?: { field: string; code: string; message: string }): FieldError {
  if (e.code === 'rule_violation') return e.rule === 'fee_rules_overlap' ? { key: 'fees.rule.fee_rules_overlap' } : ruleMessage(e.rule, e.details);
  if (issue) return issueMessage(issue);
  const f = field ?? '';
  if (f.endsWith('.validTo')) return { key: 'feeRules.error.validToBeforeFrom' };
  if (f.endsWith('.incomeFloor')) return { key: 'feeRules.error.floorAboveCeiling' };
  if (/^no\.\d+\.g$/.test(f)) return { key: 'feeRules.error.gZero' };
  if (f.endsWith('.upToGThousandths')) return { key: /open-ended/i.test(e.message) ? 'feeRules.error.bandOpen' : 'feeRules.error.bandsRise' };
  if (/^(se|no)\.\d+\.id$/.test(f)) return { key: 'feeRules.error.duplicateId' };
  return { key: 'validation.invalid' };
}

export interface RefusalContext {
  /** What the dialog edits. */
  target: RulesTarget;
  /** The fields the dialog shows, by their path inside what it edits. */
  known: (path: string) => boolean;
  /** The value that was sent (to name the rule set or local rule a path points at). */
  sent: FeeRulesInput;
  t: TFn;
  lang: Lang;
}

/** A set's months in words: "januari 2026 – juni 2026", "juli 2026 – tills vidare" (`open`: the words for an open end). */
export function periodText(s: Dated, lang: Lang, open: string): string {
  return `${formatMonth(s.validFrom, lang)} – ${s.validTo ? formatMonth(s.validTo, lang) : open}`;
}

/** A refusal at a place the dialog does not show, in words that name the rule set (or local rule) and the field. */
export function elsewhereMessage(path: string, message: FieldError, ctx: RefusalContext): FieldError {
  const { t, sent, lang } = ctx;
  const p = parseRulesPath(path);
  const label = fieldLabel(p.rest);
  const field = label ? (label.n !== null ? `${t(label.key)} (${label.n})` : t(label.key)) : p.rest || t('feeRules.error.wholeValue');
  const text = t(message.key, message.vars);
  if (p.part === 'se' || p.part === 'no') {
    const set = (p.part === 'se' ? sent.se : (sent.no ?? []))[p.index];
    return { key: 'feeRules.error.inSet', vars: { set: set?.name ?? `${p.part}.${p.index}`, period: set ? periodText(set, lang, t('feeRules.period.open')) : '', field, message: text } };
  }
  if (p.part === 'local') {
    const rule = sent.settings.local[p.index];
    return { key: 'feeRules.error.inLocal', vars: { rule: rule?.label ?? String(p.index + 1), field, message: text } };
  }
  if (p.part === 'settings') return { key: 'feeRules.error.inSettings', vars: { field, message: text } };
  return { key: 'feeRules.error.inOther', vars: { field, message: text } };
}

/**
 * fee.rulesUpdate's refusal → the dialog: on the field it names when the dialog shows it (the nearest
 * shown parent path), else at the top in words naming the rule set and field; whole-call errors
 * (forbidden, busy, offline …) as the form kit words them.
 */
export function mapRulesError(e: ApiError, ctx: RefusalContext): MappedError {
  const fields: FieldErrors = {};
  const top: FieldError[] = [];
  const place = (path: string | undefined, message: FieldError) => {
    if (!path) {
      top.push(message);
      return;
    }
    const inside = pathInTarget(path, ctx.target);
    const f = inside === null ? '' : nearestField(inside, ctx.known);
    if (f) {
      if (!fields[f]) fields[f] = message;
    } else top.push(elsewhereMessage(path, message, ctx));
  };
  if (e.code === 'validation' && e.issues?.length) for (const i of e.issues) place(i.field, refusalMessage(e, i.field, i));
  else if (e.code === 'validation' || e.code === 'rule_violation') place(e.field, refusalMessage(e, e.field));
  else return mapApiError(e, () => false);
  return { fields, top };
}
