/**
 * The fee screens' pure logic (no JSX): the income form's checks and its call, a fee run's actions by
 * state, the lines' filter, and a line's explanation as readable rows (the same rows on the child's card
 * and on the run's line). Amounts are integers of öre/øre throughout; only the screens format them.
 */
import type { ApiError } from '../../../shared/api/transport';
import { mapApiError, type FieldError, type FieldErrors, type MappedError } from '../kit/errors';
import {
  EXPLAIN_WARNINGS,
  FEE_WARNINGS,
  INCOME_MAX,
  type ExplainWarningCode,
  type FeeExplanation,
  type FeeRunKind,
  type FeeRunState,
  type FeeRunView,
  type FeeWarningCode,
  type IncomeDeclareInput,
  type IncomeSource,
  type IncomeCheckInput,
  type IncomeCheckOutcome,
  type IncomeCheckView,
} from './domain';
import { addMonths, formatBasisPoints, formatDate, formatMoney, formatMonth, formatNumber, isMonth, isValidIsoDate, type Currency } from './format';
import type { FeeReductionKind, NoFeeStep } from '../../../shared/api/fees';
import type { TKey, TVars } from './i18n';
import type { Lang } from '../../../shared/i18n';

export type Msg = FieldError;

// ---------------------------------------------------------------------------------------------
// Money typed by a person
// ---------------------------------------------------------------------------------------------

/**
 * Kronor as typed → öre, without floating point: "40000", "40 000", "40 000,50", "40000.5", "40.000",
 * "40,000.50", "1 547 kr". The last separator followed by one or two digits is the decimal mark; every
 * other separator must group thousands. Empty → null; anything else → 'invalid'.
 */
export function parseMoney(text: string): number | null | 'invalid' {
  let s = text.replace(/[\s\u00a0\u202f]/g, '').replace(/(kronor|kroner|kr|sek|nok|:-)$/i, '');
  if (s === '') return null;
  const negative = /^[-−]/.test(s);
  if (negative) s = s.slice(1);
  if (!/^[\d.,]+$/.test(s)) return 'invalid';
  let whole = s;
  let fraction = '';
  let decimalMark: string | null = null;
  const dec = /^(.*\d)([.,])(\d{1,2})$/.exec(s);
  if (dec) {
    whole = dec[1]!;
    decimalMark = dec[2]!;
    fraction = dec[3]!;
  }
  // What is left is digits, or digits grouped by thousands with one separator that is not the decimal mark.
  if (/[.,]/.test(whole)) {
    const seps = new Set(whole.replace(/\d/g, ''));
    const sep = seps.size === 1 ? [...seps][0]! : null;
    if (sep === null || sep === decimalMark) return 'invalid';
    const groups = whole.split(sep);
    if (!/^\d{1,3}$/.test(groups[0]!) || groups.slice(1).some((g) => !/^\d{3}$/.test(g))) return 'invalid';
    whole = groups.join('');
  }
  if (!/^\d+$/.test(whole)) return 'invalid';
  const ore = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  if (!Number.isSafeInteger(ore)) return 'invalid';
  return negative ? -ore : ore;
}

/** Öre as a person would type it again (no currency, no grouping): 4000050 → "40000,50" (sv), "40000.50" (en). */
export function moneyInputText(ore: number, lang: Lang): string {
  const whole = Math.trunc(ore / 100);
  const cents = Math.abs(ore % 100);
  const mark = lang === 'en' ? '.' : ',';
  return cents === 0 ? String(whole) : `${whole}${mark}${String(cents).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// A household's income
// ---------------------------------------------------------------------------------------------

/** The sources a typed amount can have (an income not declared is its own choice, without an amount). */
export const AMOUNT_SOURCES = ['declared', 'income_check', 'administrator'] as const satisfies readonly IncomeSource[];
export type AmountSource = (typeof AMOUNT_SOURCES)[number];

export interface IncomeValues {
  validFrom: string;
  /** Kronor per month as typed. */
  amount: string;
  /** "Not declared": no amount, the cap applies. */
  notDeclared: boolean;
  source: AmountSource;
  note: string;
}

/** A new declaration starts on the first day of next month (fees are charged by the month). */
export function emptyIncome(today: string): IncomeValues {
  return { validFrom: `${addMonths(today.slice(0, 7), 1)}-01`, amount: '', notDeclared: false, source: 'declared', note: '' };
}

export const INCOME_NOTE_MAX = 500;

export function validateIncome(v: IncomeValues): FieldErrors {
  const e: FieldErrors = {};
  if (!v.validFrom.trim()) e.validFrom = { key: 'validation.required' };
  else if (!isValidIsoDate(v.validFrom)) e.validFrom = { key: 'validation.date_invalid' };
  if (!v.notDeclared) {
    const ore = parseMoney(v.amount);
    if (ore === null) e.amount = { key: 'fees.income.amountRequired' };
    else if (ore === 'invalid') e.amount = { key: 'fees.income.amountInvalid' };
    else if (ore < 0) e.amount = { key: 'fees.income.amountNegative' };
    else if (ore > INCOME_MAX) e.amount = { key: 'fees.income.amountTooLarge' };
  }
  if (v.note.trim().length > INCOME_NOTE_MAX) e.note = { key: 'validation.too_long' };
  return e;
}

export function toIncomeInput(householdId: string, v: IncomeValues): IncomeDeclareInput {
  const ore = parseMoney(v.amount);
  const note = v.note.trim();
  return {
    householdId,
    validFrom: v.validFrom,
    monthlyIncome: v.notDeclared ? null : typeof ore === 'number' ? ore : 0,
    source: v.notDeclared ? 'not_declared' : v.source,
    ...(note ? { note } : {}),
  };
}

/** The core's field paths → the income form's fields. */
export const incomeField = (path: string): string | null =>
  path === 'validFrom' ? 'validFrom' : path === 'monthlyIncome' ? 'amount' : path === 'source' ? 'source' : path === 'note' ? 'note' : null;

// ---------------------------------------------------------------------------------------------
// Errors of the fee methods
// ---------------------------------------------------------------------------------------------

/** The fee methods' own rules (the core's `rule` on a rule_violation). */
export const FEE_RULES = ['fee_run_exists', 'fee_preview_stale', 'fee_run_state', 'fee_rules_overlap'] as const;
export type FeeRule = (typeof FEE_RULES)[number];
const isFeeRule = (r: unknown): r is FeeRule => typeof r === 'string' && (FEE_RULES as readonly string[]).includes(r);

/**
 * A refusal of a fee method → where a form shows it: the fee rules in their own words (on the field the
 * core names, when the form shows it), everything else as the form kit maps it.
 */
export function mapFeeError(e: ApiError, fieldOf: (path: string) => string | null): MappedError {
  if (e.code === 'rule_violation' && isFeeRule(e.rule)) {
    const msg: Msg = { key: `fees.rule.${e.rule}` };
    const f = e.field ? fieldOf(e.field) : null;
    return f ? { fields: { [f]: msg }, top: [] } : { fields: {}, top: [msg] };
  }
  return mapApiError(e, () => false, { fieldOf });
}

/** A whole-call refusal as one message (no form field). */
export const feeErrorMsg = (e: ApiError): Msg => mapFeeError(e, () => null).top[0] ?? { key: 'error.saveFailed' };

// ---------------------------------------------------------------------------------------------
// A fee run
// ---------------------------------------------------------------------------------------------

export const RUNS_PAGE_SIZE = 25;
export const LINES_PAGE_SIZE = 100;
export const WARNINGS_PAGE_SIZE = 100;

export interface NewRunValues {
  month: string;
  kind: FeeRunKind;
}

/** The months offered for a new run: from `back` months ago to `ahead` months ahead of today, newest first. */
export function runMonths(today: string, back = 24, ahead = 6): string[] {
  const now = today.slice(0, 7);
  const out: string[] = [];
  for (let i = ahead; i >= -back; i--) out.push(addMonths(now, i));
  return out;
}

/** Next month, a regular run: what a fee administrator starts most often. */
export const newRunDefaults = (today: string): NewRunValues => ({ month: addMonths(today.slice(0, 7), 1), kind: 'regular' });

export function validateNewRun(v: NewRunValues): FieldErrors {
  return isMonth(v.month) ? {} : { month: { key: 'validation.required' } };
}

/** How a state looks (ToneTag tones). */
export const RUN_STATE_TONE: Record<FeeRunState, 'ok' | 'info' | 'warn' | 'neutral' | 'danger'> = {
  computing: 'info',
  ready: 'warn',
  failed: 'danger',
  locking: 'info',
  locked: 'ok',
  posted: 'neutral',
  discarded: 'neutral',
};

/** What a run offers by its state (and the user's right to change runs). */
export function runActions(run: Pick<FeeRunView, 'state'>, canWrite: boolean): { lock: boolean; discard: boolean; post: boolean; export: boolean; recompute: boolean } {
  const s = run.state;
  return {
    lock: canWrite && s === 'ready',
    discard: canWrite && (s === 'ready' || s === 'failed'),
    post: canWrite && s === 'locked',
    export: canWrite && (s === 'locked' || s === 'posted'),
    recompute: canWrite && (s === 'ready' || s === 'failed'),
  };
}

/** The lock was refused because something changed since the preview (the run is ready again, with the reason). */
export const isStale = (run: Pick<FeeRunView, 'state' | 'error'>): boolean => run.state === 'ready' && (run.error ?? '').startsWith('fee_preview_stale');

/** A run whose job ended without a result: cancelled, or failed. */
export const wasCancelled = (run: Pick<FeeRunView, 'state' | 'error'>): boolean => run.state === 'failed' && /^cancel/i.test(run.error ?? '');

export type LineFilter = 'all' | 'charge' | 'correction';
export const LINE_FILTERS: readonly LineFilter[] = ['all', 'charge', 'correction'];

export function linesInput(id: string, filter: LineFilter, offset: number, limit = LINES_PAGE_SIZE): { id: string; offset: number; limit: number; kind?: 'charge' | 'correction' } {
  return { id, offset, limit, ...(filter === 'all' ? {} : { kind: filter }) };
}

// ---------------------------------------------------------------------------------------------
// Warnings
// ---------------------------------------------------------------------------------------------

export const isFeeWarning = (c: unknown): c is FeeWarningCode => typeof c === 'string' && (FEE_WARNINGS as readonly string[]).includes(c);
export const isExplainWarning = (c: unknown): c is ExplainWarningCode => typeof c === 'string' && (EXPLAIN_WARNINGS as readonly string[]).includes(c);

/** The warnings that mean there is nothing to charge (the card says so instead of showing an empty table). */
export const NOTHING_TO_CHARGE: readonly ExplainWarningCode[] = ['no_household', 'no_fee_place', 'no_rule_set'];

/** Warnings worth a clerk's eye first: the ones that change what is charged or who gets the invoice. */
export const warningTone = (c: ExplainWarningCode): 'warn' | 'info' => (c === 'income_not_declared' || c === 'no_fee_place' ? 'info' : 'warn');

// ---------------------------------------------------------------------------------------------
// A line's explanation, as readable rows
// ---------------------------------------------------------------------------------------------

export interface ExplainContext {
  lang: Lang;
  currency: Currency;
  /** A person's name where the screen knows it (the card's household and guardians), else null. */
  nameOf: (personId: string) => string | null;
  /** The child the explanation is about (marked among the children ranked). */
  childId?: string;
}

export interface ExplainRow {
  /** Stable id (tests, keys). */
  id: string;
  label: Msg;
  value: Msg;
  /** A second, quieter line (where a figure comes from). */
  note?: Msg;
  /** A list under the value (the children ranked; the reductions granted). */
  items?: Msg[];
  /** The items have no order of their own (a bulleted list, not a numbered one). */
  unordered?: boolean;
  /** The line's amount: shown strongest. */
  strong?: boolean;
}

export interface ExplainGroup {
  id: 'correction' | 'basis' | 'calculation' | 'result';
  title: TKey;
  rows: ExplainRow[];
}

const m = (key: TKey, vars?: TVars): Msg => (vars ? { key, vars } : { key });

/** A Norwegian line's explanation (SFO/AKS, barnehage): its own steps instead of the maxtaxa's figures. */
export type NoLineExplanation = Extract<FeeExplanation, { country: 'NO' }>;
/** A Swedish (maxtaxa) line's explanation. */
export type SeLineExplanation = Exclude<FeeExplanation, NoLineExplanation>;

/**
 * The renderer's own copy of shared/api/fees.ts `isNoExplanation` (the renderer imports no values from
 * shared/api: that would bring zod into the bundle). Swedish explanations have no `country`.
 */
export const isNoLineExplanation = (e: FeeExplanation): e is NoLineExplanation => (e as { country?: unknown }).country === 'NO';

/** The steps of a Norwegian fee (shared/api/fees.ts NO_FEE_STEPS), mirrored zod-free and checked by tsc below. */
/**
 * A run's per-rule total's name: a Norwegian step (`no:<step>`, `no:illness`) in the user's language; a rule
 * set's or a local rule's own name as the administrator wrote it.
 */
export function ruleTotalLabel(r: { id: string; label: string }, t: (k: TKey) => string): string {
  if (!r.id.startsWith('no:')) return r.label;
  const step = r.id.slice(3);
  if (step === 'illness') return t('fees.no.reduction.illness');
  return (NO_STEPS as readonly string[]).includes(step) ? t(`fees.no.step.${step as (typeof NO_STEPS)[number]}`) : r.label;
}

export const NO_STEPS = ['free_month', 'special_needs', 'band', 'free_hours', 'national_cap', 'max_price', 'sibling', 'income_cap', 'free_core_hours'] as const;
/** The kinds of a Norwegian fee reduction (shared/api/fees.ts FEE_REDUCTION_KINDS). */
export const NO_REDUCTION_KINDS = ['national_rule', 'illness', 'special_needs'] as const;
type SameSet<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const noListsMatch: [SameSet<(typeof NO_STEPS)[number], NoFeeStep>, SameSet<(typeof NO_REDUCTION_KINDS)[number], FeeReductionKind>] = [true, true];
void noListsMatch;

/**
 * A line's explanation as groups of rows: what it corrects (a correction), what it is based on (rule set,
 * income, adults, rank), how it is computed (percentage, ceiling, floor, base, cap, local rules, days,
 * shared residence, split), and the result (rounding, amount). A Norwegian line (`country: 'NO'`) says its
 * own basis and steps (`noExplanationGroups`).
 */
export function explanationGroups(e: FeeExplanation, ctx: ExplainContext): ExplainGroup[] {
  if (isNoLineExplanation(e)) return noExplanationGroups(e, ctx);
  const { lang, currency } = ctx;
  const money = (ore: number) => formatMoney(ore, lang, currency);
  const pct = (bp: number) => formatBasisPoints(bp, lang);
  const groups: ExplainGroup[] = [];

  if (e.correction) groups.push(correctionGroup(e.correction, lang, money));

  const income: ExplainRow =
    e.income.monthly === null || e.income.source === 'not_declared'
      ? { id: 'income', label: m('fees.explain.income'), value: m('fees.explain.incomeNotDeclared'), note: m('fees.explain.incomeNotDeclaredNote', { used: money(e.income.used) }) }
      : { id: 'income', label: m('fees.explain.income'), value: m('fees.explain.incomeMonthly', { amount: money(e.income.monthly) }), note: incomeNote(e.income, lang, money) };
  groups.push({
    id: 'basis',
    title: 'fees.explain.group.basis',
    rows: [
      ...ruleSetRows(e.ruleSet, lang),
      income,
      { id: 'incomeUsed', label: m('fees.explain.incomeUsed'), value: m('fees.explain.text', { text: money(e.income.used) }) },
      adultsRow(e.adults, ctx),
      {
        id: 'rank',
        label: m('fees.explain.rank'),
        value: m('fees.explain.rankOf', { rank: e.rank, count: e.ranked.length }),
        note: m('fees.explain.rankNote'),
        items: rankedItems(e.ranked, ctx, (f) => `fees.family.${f}`),
      },
    ],
  });

  const calc: ExplainRow[] = [
    { id: 'percent', label: m('fees.explain.percent'), value: m('fees.explain.percentOf', { percent: pct(e.percentBp), form: `fees.family.${e.family}`, rank: e.rank }) },
    { id: 'ceiling', label: m('fees.explain.ceiling'), value: m('fees.explain.text', { text: money(e.ceiling) }) },
    {
      id: 'incomeFloor',
      label: m('fees.explain.incomeFloor'),
      value: e.incomeFloor === 0 ? m('fees.explain.incomeFloorNone') : m('fees.explain.text', { text: money(e.incomeFloor) }),
    },
    { id: 'feeBase', label: m('fees.explain.feeBase'), value: m('fees.explain.text', { text: money(e.feeBase) }), note: m('fees.explain.feeBaseNote') },
    { id: 'cap', label: m('fees.explain.cap'), value: m('fees.explain.text', { text: money(e.cap) }), note: m('fees.explain.capNote', { percent: pct(e.percentBp) }) },
    { id: 'full', label: m('fees.explain.full'), value: m('fees.explain.text', { text: money(e.full) }), note: m('fees.explain.fullNote') },
  ];
  if (e.local.length === 0) calc.push({ id: 'local', label: m('fees.explain.local'), value: m('fees.explain.localNone') });
  for (const r of e.local) {
    calc.push({
      id: `local-${r.id}`,
      label: m('fees.explain.localRule', { label: r.label }),
      value: m('fees.explain.beforeAfter', { before: money(r.before), after: money(r.after) }),
      note: m(`fees.localEffect.${r.effect}`),
    });
  }
  calc.push({
    id: 'days',
    label: m('fees.explain.days'),
    value: m('fees.explain.daysOf', { charged: e.days.charged, of: e.days.ofMonth }),
    note: e.days.freeStartDays > 0 ? m('fees.explain.daysNoteFree', { mode: `fees.dayMode.${e.days.mode}`, free: e.days.freeStartDays }) : m(`fees.dayMode.${e.days.mode}`),
  });
  calc.push(...sharedAndSplitRows(e, pct, money));
  groups.push({ id: 'calculation', title: 'fees.explain.group.calculation', rows: calc });
  groups.push(resultGroup(e, money));
  return groups;
}

/** Thousandths of G in the reader's numbers: 3250 → "3,25" (sv, nb), "3.25" (en); exact to the thousandth. */
export const formatG = (thousandths: number, lang: Lang): string => formatNumber(thousandths / 1000, lang, { maximumFractionDigits: 3 });

/**
 * A Norwegian line's explanation as groups of rows, in NOK whatever the session's currency: what it
 * corrects; what it is based on (rule set, monthly and yearly income and the income in G, adults, the place:
 * form, grade, weekly hours and place type; in barnehage the rank and the children ranked; each reduction
 * granted with its period); how it is computed (each step with the month's fee after it, the whole month,
 * the days charged and the days of documented illness not charged, shared residence, split); the result.
 */
export function noExplanationGroups(e: NoLineExplanation, ctx: ExplainContext): ExplainGroup[] {
  const { lang } = ctx;
  const money = (ore: number) => formatMoney(ore, lang, 'NOK');
  const date = (iso: string) => formatDate(iso, lang);
  const pct = (bp: number) => formatBasisPoints(bp, lang);
  const g = (thousandths: number) => formatG(thousandths, lang);
  const groups: ExplainGroup[] = [];

  if (e.correction) groups.push(correctionGroup(e.correction, lang, money));

  const inc = e.income;
  const basis: ExplainRow[] = [...ruleSetRows(e.ruleSet, lang)];
  if (inc.monthly === null || inc.source === 'not_declared') {
    basis.push({ id: 'income', label: m('fees.explain.income'), value: m('fees.explain.incomeNotDeclared'), note: m('fees.no.incomeNotDeclaredNote') });
  } else {
    basis.push({ id: 'income', label: m('fees.explain.income'), value: m('fees.explain.incomeMonthly', { amount: money(inc.monthly) }), note: incomeNote(inc, lang, money) });
    if (inc.yearly !== null) basis.push({ id: 'incomeYearly', label: m('fees.no.incomeYearly'), value: m('fees.explain.text', { text: money(inc.yearly) }), note: m('fees.no.incomeYearlyNote') });
    if (inc.inGThousandths !== null) basis.push({ id: 'incomeG', label: m('fees.no.incomeG'), value: m('fees.no.gValue', { g: g(inc.inGThousandths) }), note: m('fees.no.gNote', { amount: money(inc.g) }) });
  }
  basis.push(adultsRow(e.adults, ctx));

  // The place: the form, the grade (SFO/AKS), the weekly hours and the place type the band was chosen by.
  const form = `fees.no.family.${e.family}`;
  const band = e.steps.find((s) => s.band)?.band;
  const placeType = band ? (band.part ? 'fees.no.placeType.part' : 'fees.no.placeType.full') : null;
  const hoursNote =
    e.weeklyHours !== null
      ? placeType
        ? m('fees.no.hoursType', { hours: e.weeklyHours, placeType })
        : m('fees.no.hours', { hours: e.weeklyHours })
      : placeType
        ? m('fees.no.hoursUnknownType', { placeType })
        : m('fees.no.hoursUnknown');
  basis.push(
    e.family === 'afterschool'
      ? {
          id: 'place',
          label: m('fees.no.place'),
          value: e.grade === null ? m('fees.no.placeNoGrade', { form }) : m('fees.no.placeGrade', { form, grade: e.grade }),
          note: hoursNote,
        }
      : { id: 'place', label: m('fees.no.place'), value: m('fees.no.placePreschool'), note: hoursNote },
  );
  if (e.family === 'preschool') {
    basis.push({
      id: 'rank',
      label: m('fees.explain.rank'),
      value: m('fees.explain.rankOf', { rank: e.rank, count: e.ranked.length }),
      note: m('fees.no.rankNote'),
      items: rankedItems(e.ranked, ctx, (f) => `fees.no.family.${f}`),
    });
  }
  basis.push({
    id: 'reductions',
    label: m('fees.no.reductions'),
    value: e.reductions.length === 0 ? m('fees.no.reductionsNone') : m('fees.no.reductionsCount', { count: e.reductions.length }),
    ...(e.reductions.length
      ? {
          items: e.reductions.map((r) =>
            r.to === null ? m('fees.no.reductionOpen', { kind: `fees.no.reduction.${r.kind}`, from: date(r.from) }) : m('fees.no.reductionPeriod', { kind: `fees.no.reduction.${r.kind}`, from: date(r.from), to: date(r.to) }),
          ),
          unordered: true,
        }
      : {}),
  });
  groups.push({ id: 'basis', title: 'fees.explain.group.basis', rows: basis });

  const calc: ExplainRow[] = e.steps.map((s) => {
    const row = { id: `step-${s.rule}`, label: m(`fees.no.step.${s.rule}`), value: m('fees.no.afterStep', { amount: money(s.amount) }) };
    switch (s.rule) {
      case 'band': {
        const b = s.band;
        if (!b) return row;
        const type = b.part ? 'fees.no.placeType.part' : 'fees.no.placeType.full';
        return {
          ...row,
          note: b.upToGThousandths === null ? m('fees.no.stepNote.bandTop', { n: b.index + 1, placeType: type }) : m('fees.no.stepNote.band', { n: b.index + 1, g: g(b.upToGThousandths), placeType: type }),
        };
      }
      case 'free_hours':
      case 'free_core_hours':
        return s.hours === undefined ? row : { ...row, note: m(`fees.no.stepNote.${s.rule}`, { hours: s.hours }) };
      case 'national_cap':
      case 'income_cap':
        return s.bp === undefined || s.cap === undefined ? row : { ...row, note: m(`fees.no.stepNote.${s.rule}`, { percent: pct(s.bp), cap: money(s.cap) }) };
      case 'sibling':
        return s.bp === undefined ? row : { ...row, note: m('fees.no.stepNote.sibling', { percent: pct(s.bp), rank: e.rank }) };
      default:
        return { ...row, note: m(`fees.no.stepNote.${s.rule}`) };
    }
  });
  calc.push({ id: 'full', label: m('fees.explain.full'), value: m('fees.explain.text', { text: money(e.full) }), note: m('fees.no.fullNote') });
  const mode = `fees.dayMode.${e.days.mode}` as const;
  const free = e.days.freeStartDays;
  calc.push({
    id: 'days',
    label: m('fees.explain.days'),
    value: m('fees.explain.daysOf', { charged: e.days.charged, of: e.days.ofMonth }),
    note:
      e.days.illness > 0
        ? free > 0
          ? m('fees.no.daysNoteFreeIllness', { mode, free, count: e.days.illness })
          : m('fees.no.daysNoteIllness', { mode, count: e.days.illness })
        : free > 0
          ? m('fees.explain.daysNoteFree', { mode, free })
          : m(mode),
  });
  calc.push(...sharedAndSplitRows(e, pct, money));
  groups.push({ id: 'calculation', title: 'fees.explain.group.calculation', rows: calc });
  groups.push(resultGroup(e, money));
  return groups;
}

// The parts Swedish and Norwegian explanations share.

function correctionGroup(c: NonNullable<FeeExplanation['correction']>, lang: Lang, money: (ore: number) => string): ExplainGroup {
  return {
    id: 'correction',
    title: 'fees.explain.group.correction',
    rows: [
      { id: 'correctedMonth', label: m('fees.explain.correctedMonth'), value: m('fees.explain.text', { text: formatMonth(c.month, lang) }) },
      { id: 'was', label: m('fees.explain.was'), value: m('fees.explain.text', { text: money(c.was) }) },
      { id: 'now', label: m('fees.explain.now'), value: m('fees.explain.text', { text: money(c.now) }) },
      { id: 'difference', label: m('fees.explain.difference'), value: m('fees.explain.text', { text: money(c.now - c.was) }) },
      {
        id: 'correctedLines',
        label: m('fees.explain.correctedLines'),
        value: m('fees.explain.lineCount', { count: c.lines.length }),
        ...(c.lines.length ? { items: c.lines.map((id) => m('fees.explain.lineId', { id: shortId(id) })) } : {}),
      },
    ],
  };
}

function ruleSetRows(r: FeeExplanation['ruleSet'], lang: Lang): ExplainRow[] {
  return [
    {
      id: 'ruleSet',
      label: m('fees.explain.ruleSet'),
      value: m('fees.explain.text', { text: r.name }),
      note: r.validTo
        ? m('fees.explain.ruleSetValid', { from: formatMonth(r.validFrom, lang), to: formatMonth(r.validTo, lang) })
        : m('fees.explain.ruleSetValidOpen', { from: formatMonth(r.validFrom, lang) }),
    },
    ...(r.source ? [{ id: 'ruleSource', label: m('fees.explain.ruleSource'), value: m('fees.explain.text', { text: r.source }) }] : []),
  ];
}

/** Where a declared income comes from: the yearly income check, the declaration's date, or just declared. */
function incomeNote(i: FeeExplanation['income'], lang: Lang, money: (ore: number) => string): Msg {
  return i.check
    ? m('fees.explain.incomeChecked', { year: i.check.year, taxed: money(i.check.taxed), declared: money(i.check.declared) })
    : i.from
      ? m('fees.explain.incomeFrom', { date: formatDate(i.from, lang) })
      : m('fees.explain.incomeDeclared');
}

function adultsRow(ids: readonly string[], ctx: ExplainContext): ExplainRow {
  const named = ids.map((id) => ctx.nameOf(id)).filter((n): n is string => n !== null);
  return {
    id: 'adults',
    label: m('fees.explain.adults'),
    value: ids.length === 0 ? m('fees.explain.adultsNone') : named.length === ids.length ? m('fees.explain.adultsNamed', { count: ids.length, names: named.join('; ') }) : m('fees.explain.adultsCount', { count: ids.length }),
  };
}

function rankedItems(ranked: FeeExplanation['ranked'], ctx: ExplainContext, formKey: (f: 'preschool' | 'afterschool') => string): Msg[] {
  return ranked.map((r, i) => {
    const name = ctx.nameOf(r.personId);
    const vars = { n: i + 1, born: formatDate(r.birthDate, ctx.lang), form: formKey(r.family) };
    const self = ctx.childId !== undefined && r.personId === ctx.childId;
    return name ? m(self ? 'fees.explain.rankedNamedSelf' : 'fees.explain.rankedNamed', { ...vars, name }) : m(self ? 'fees.explain.rankedSelf' : 'fees.explain.ranked', vars);
  });
}

function sharedAndSplitRows(e: Pick<FeeExplanation, 'shared' | 'split'>, pct: (bp: number) => string, money: (ore: number) => string): ExplainRow[] {
  const rows: ExplainRow[] = [];
  if (e.shared) {
    const s = e.shared;
    rows.push({
      id: 'shared',
      label: m('fees.explain.shared'),
      value: m('fees.explain.sharedShare', { share: pct(s.shareBp), households: s.households, before: money(s.before) }),
      note: s.limit === null ? m(`fees.sharedMode.${s.mode}`) : m('fees.explain.sharedLimit', { mode: `fees.sharedMode.${s.mode}`, limit: money(s.limit) }),
    });
  }
  if (e.split) {
    const s = e.split;
    rows.push({
      id: 'split',
      label: m('fees.explain.split'),
      value: m('fees.explain.splitShare', { share: s.invoiceShare, total: s.sharesTotal }),
      note: m('fees.explain.splitBefore', { before: money(s.before) }),
    });
  }
  return rows;
}

function resultGroup(e: Pick<FeeExplanation, 'rounding' | 'amount'>, money: (ore: number) => string): ExplainGroup {
  return {
    id: 'result',
    title: 'fees.explain.group.result',
    rows: [
      { id: 'rounding', label: m('fees.explain.rounding'), value: m(`fees.rounding.${e.rounding}`) },
      { id: 'amount', label: m('fees.explain.amount'), value: m('fees.explain.text', { text: money(e.amount) }), strong: true },
    ],
  };
}

/** A line's id shortened for reading aloud (the first block of the UUID). */
export const shortId = (id: string): string => id.slice(0, 8);

/**
 * Message ids a row's vars may hold in place of text (a form, a day-count mode, a shared-residence model, a
 * Norwegian form, place type or reduction kind): translated before the row's own message, so the row names
 * them in the reader's language.
 */
export const EXPLAIN_VALUE_KEYS: ReadonlySet<string> = new Set([
  'fees.family.preschool',
  'fees.family.afterschool',
  'fees.dayMode.thirty',
  'fees.dayMode.actual',
  'fees.sharedMode.registered_only',
  'fees.sharedMode.each_capped_together',
  'fees.sharedMode.each_half',
  'fees.sharedMode.declared_split',
  'fees.no.family.preschool',
  'fees.no.family.afterschool',
  'fees.no.placeType.full',
  'fees.no.placeType.part',
  ...NO_REDUCTION_KINDS.map((k) => `fees.no.reduction.${k}`),
]);

/** A row's message in words, with the message ids among its vars translated first. */
export function explainText(msg: Msg, t: (k: TKey, v?: TVars) => string): string {
  if (!msg.vars) return t(msg.key);
  const vars: TVars = {};
  for (const [k, v] of Object.entries(msg.vars)) vars[k] = typeof v === 'string' && EXPLAIN_VALUE_KEYS.has(v) ? t(v as TKey) : v;
  return t(msg.key, vars);
}

/** The total of some lines (öre). */
export const sumAmounts = (lines: readonly { amount: number }[]): number => lines.reduce((a, l) => a + l.amount, 0);


// ---------------------------------------------------------------------------------------------
// The persons of a household a warning names only by its id
// ---------------------------------------------------------------------------------------------

export interface PersonName {
  id: string;
  name: string;
}
export interface HouseholdPeople {
  /** The household's children with a line in the run. */
  children: PersonName[];
  /** Who its lines are invoiced to. */
  recipients: PersonName[];
}

/**
 * fee.runWarnings names a household's warning (an income not declared) by the household's id alone: the
 * run's own lines say who its children are and who receives its invoices. Adds `lines` to `into`.
 */
export function addHouseholdPeople(into: Map<string, HouseholdPeople>, lines: readonly { householdId: string; childId: string; childName: string; recipientId: string | null; recipientName: string | null }[]): void {
  const add = (list: PersonName[], id: string, name: string) => {
    if (!list.some((p) => p.id === id)) list.push({ id, name });
  };
  for (const l of lines) {
    let h = into.get(l.householdId);
    if (!h) into.set(l.householdId, (h = { children: [], recipients: [] }));
    add(h.children, l.childId, l.childName);
    if (l.recipientId) add(h.recipients, l.recipientId, l.recipientName ?? '');
  }
}

/** The most pages of lines read to name the households on one page of warnings (500 lines each). */
export const HOUSEHOLD_LOOKUP_PAGES = 20;


// ---------------------------------------------------------------------------------------------
// A household's yearly income check
// ---------------------------------------------------------------------------------------------

/** The outcomes of a check, in the order the screens explain them. */
export const INCOME_CHECK_OUTCOMES = ['corrected', 'within', 'not_declared'] as const satisfies readonly IncomeCheckOutcome[];

/** How an outcome looks (ToneTag tones; the tag always carries the outcome's words as well). */
export const INCOME_CHECK_TONE: Record<IncomeCheckOutcome, 'ok' | 'info' | 'warn' | 'neutral'> = {
  corrected: 'warn',
  within: 'ok',
  not_declared: 'neutral',
};

/** The largest taxed income a check takes (öre): twelve of the largest months an income may have. */
export const TAXED_INCOME_MAX = INCOME_MAX * 12;
/** The years a check may name (the contract's range; the core refuses a year not yet over). */
export const CHECK_YEAR_MIN = 2000;
export const CHECK_YEAR_MAX = 2100;

export interface IncomeCheckValues {
  /** The year checked, as typed (four digits). */
  year: string;
  /** The household's taxed income for the year, kronor as typed. */
  taxed: string;
  note: string;
}

/** Last year: the latest year whose taxation can be known. */
export function emptyIncomeCheck(today: string): IncomeCheckValues {
  return { year: String(Number(today.slice(0, 4)) - 1), taxed: '', note: '' };
}

export function validateIncomeCheck(v: IncomeCheckValues): FieldErrors {
  const e: FieldErrors = {};
  const year = v.year.trim();
  if (!year) e.year = { key: 'validation.required' };
  else if (!/^\d{4}$/.test(year) || Number(year) < CHECK_YEAR_MIN || Number(year) > CHECK_YEAR_MAX) e.year = { key: 'fees.check.yearInvalid' };
  const ore = parseMoney(v.taxed);
  if (ore === null) e.taxed = { key: 'fees.check.taxedRequired' };
  else if (ore === 'invalid') e.taxed = { key: 'fees.check.taxedInvalid' };
  else if (ore < 0) e.taxed = { key: 'fees.check.taxedNegative' };
  else if (ore > TAXED_INCOME_MAX) e.taxed = { key: 'fees.check.taxedTooLarge' };
  if (v.note.trim().length > INCOME_NOTE_MAX) e.note = { key: 'validation.too_long' };
  return e;
}

export function toIncomeCheckInput(householdId: string, v: IncomeCheckValues): IncomeCheckInput {
  const ore = parseMoney(v.taxed);
  const note = v.note.trim();
  return { householdId, year: Number(v.year.trim()), taxedIncome: typeof ore === 'number' ? ore : 0, ...(note ? { note } : {}) };
}

/** The core's field paths → the check form's fields. */
export const incomeCheckField = (path: string): string | null => (path === 'year' ? 'year' : path === 'taxedIncome' ? 'taxed' : path === 'note' ? 'note' : null);

/**
 * A refusal of income.check → where the form shows it: a year not yet over at the year (with the year in
 * the words), everything else as the other fee forms map it.
 */
export function mapIncomeCheckError(e: ApiError, v?: Pick<IncomeCheckValues, 'year'>): MappedError {
  if (e.code === 'rule_violation' && e.rule === 'income_check_year_open') {
    const msg: Msg = { key: 'fees.rule.income_check_year_open', vars: { year: e.details?.year ?? v?.year.trim() ?? '' } };
    const f = e.field ? incomeCheckField(e.field) : 'year';
    return f ? { fields: { [f]: msg }, top: [] } : { fields: {}, top: [msg] };
  }
  return mapFeeError(e, incomeCheckField);
}

/** An amount with its sign always written (a difference): "+10 000,00 kr", "−800,00 kr", "0,00 kr". */
export function formatSignedMoney(ore: number, lang: Lang, currency: Currency = 'SEK'): string {
  if (ore === 0) return formatMoney(0, lang, currency);
  return `${ore > 0 ? '+' : '\u2212'}${formatMoney(Math.abs(ore), lang, currency)}`;
}

/** What a check did to one month of its year. */
export type CheckMonthEffect = 'corrected' | 'unchanged' | 'not_declared';

export interface CheckMonthRow {
  month: string;
  declared: number | null;
  /** taxed / 12: the same for every month. */
  checked: number;
  /** checked − declared; null when nothing was declared. */
  difference: number | null;
  effect: CheckMonthEffect;
}

/**
 * A check's months side by side with the checked income: a corrected check replaces each declared month
 * by the checked income; a month without a declared income keeps the maximum fee either way.
 */
export function checkMonthRows(c: Pick<IncomeCheckView, 'months' | 'checkedMonthly' | 'outcome'>): CheckMonthRow[] {
  return c.months.map((m) => ({
    month: m.month,
    declared: m.declared,
    checked: c.checkedMonthly,
    difference: m.declared === null ? null : c.checkedMonthly - m.declared,
    effect: m.declared === null ? 'not_declared' : c.outcome === 'corrected' ? 'corrected' : 'unchanged',
  }));
}

/**
 * What the next fee run does after a check, as one message: a corrected check has the year's declared
 * months charged on the checked income (the household pays more, or gets money back, for the months
 * already invoiced); a check within the threshold changes nothing, unless it replaces an earlier corrected
 * check of the same year (then the declared incomes apply again); nothing declared, nothing to correct.
 */
export function checkConsequence(c: Pick<IncomeCheckView, 'outcome' | 'year' | 'monthsDeclared' | 'checkedMonthly' | 'difference'>, replaced: Pick<IncomeCheckView, 'outcome'> | null, money: (ore: number) => string): Msg {
  if (c.outcome === 'corrected') {
    return {
      key: c.difference >= 0 ? 'fees.check.next.correctedMore' : 'fees.check.next.correctedLess',
      vars: { year: c.year, count: c.monthsDeclared, amount: money(c.checkedMonthly) },
    };
  }
  if (replaced?.outcome === 'corrected') return { key: 'fees.check.next.revert', vars: { year: c.year } };
  return c.outcome === 'within' ? { key: 'fees.check.next.within', vars: { year: c.year } } : { key: 'fees.check.next.notDeclared', vars: { year: c.year } };
}

/** The check of the same year in force before `year` was checked again (the one a new check replaces). */
export const checkInForce = (checks: readonly IncomeCheckView[], year: number): IncomeCheckView | null => checks.find((c) => c.year === year && c.current) ?? null;


// ---------------------------------------------------------------------------------------------
// A shared-residence child's declared split (fee.sharedSplit)
// ---------------------------------------------------------------------------------------------

/** The parts of a split add up to exactly this (basis points: 100 %). */
export const SPLIT_TOTAL_BP = 10_000;

/**
 * A percentage as typed → basis points, without floating point: "70" → 7000, "33,33" → 3333, "12.5 %" →
 * 1250. At most two decimals (comma or point). Empty → null; anything else (a sign, three decimals, letters)
 * → 'invalid'. The range (at most 100 %) is the form's check, not the parser's.
 */
export function parsePercent(text: string): number | null | 'invalid' {
  const s = text.replace(/[\s\u00a0\u202f]/g, '').replace(/(%|procent|prosent|percent)$/i, '');
  if (s === '') return null;
  const m = /^(\d{1,5})(?:[.,](\d{1,2}))?$/.exec(s);
  if (!m) return 'invalid';
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** Basis points as a person would type them again (no % sign, no trailing zeros): 7000 → "70", 3333 → "33,33" (sv), "33.33" (en), 1250 → "12,5". */
export function percentInputText(bp: number, lang: Lang): string {
  const whole = Math.trunc(bp / 100);
  const rest = Math.abs(bp % 100);
  if (rest === 0) return String(whole);
  const mark = lang === 'en' ? '.' : ',';
  return `${whole}${mark}${String(rest).padStart(2, '0').replace(/0$/, '')}`;
}

/**
 * What is left for part `index` when every other part is a valid percentage: 100 % minus the others
 * (basis points); null when another part is empty or not a percentage, or the others already pass 100 %.
 */
export function splitRemainder(parts: readonly (number | null | 'invalid')[], index = parts.length - 1): number | null {
  let sum = 0;
  for (let i = 0; i < parts.length; i++) {
    if (i === index) continue;
    const p = parts[i];
    if (typeof p !== 'number') return null;
    sum += p;
  }
  const left = SPLIT_TOTAL_BP - sum;
  return left >= 0 && left <= SPLIT_TOTAL_BP ? left : null;
}

/** The split form: one percentage as typed per household, in the order the card lists them. */
export interface SplitValues {
  parts: string[];
}

export interface SplitReading {
  /** Each part as typed, parsed (the last one empty: null here, see `remainder`). */
  parsed: (number | null | 'invalid')[];
  /** What an empty last part stands for (100 % minus the others), else null. */
  remainder: number | null;
  /** The parts as they would be saved (the remainder in an empty last part); null where not a percentage. */
  bps: (number | null)[];
  /** Their sum, when every part reads as a percentage; else null. */
  total: number | null;
}

/** The form's parts read: the live sum under the fields and what a save sends. An empty last part takes the rest. */
export function readSplit(v: SplitValues): SplitReading {
  const parsed = v.parts.map(parsePercent);
  const last = parsed.length - 1;
  const remainder = last >= 0 && parsed[last] === null ? splitRemainder(parsed, last) : null;
  const bps = parsed.map((p, i) => (typeof p === 'number' ? p : i === last && p === null ? remainder : null));
  const total = bps.every((b): b is number => b !== null) ? bps.reduce((a, b) => a + b, 0) : null;
  return { parsed, remainder, bps, total };
}

/** The form's values from the declared parts (null: nothing declared, an empty field). */
export function splitValues(bps: readonly (number | null)[], lang: Lang): SplitValues {
  return { parts: bps.map((b) => (b === null ? '' : percentInputText(b, lang))) };
}

/**
 * The split form's checks: every part a percentage from 0 to 100 with at most two decimals (the last may be
 * left empty: it takes the rest); together exactly 100 % (at 'shares', with the sum in the reader's words).
 */
export function validateSplit(v: SplitValues, pct: (bp: number) => string): FieldErrors {
  const e: FieldErrors = {};
  const r = readSplit(v);
  const last = r.parsed.length - 1;
  r.parsed.forEach((p, i) => {
    const f = `parts.${i}`;
    if (p === null) {
      if (i !== last) e[f] = { key: 'fees.split.partRequired' };
    } else if (p === 'invalid') e[f] = { key: 'fees.split.partInvalid' };
    else if (p > SPLIT_TOTAL_BP) e[f] = { key: 'fees.split.partRange' };
  });
  if (Object.keys(e).length) return e;
  if (r.total === null) {
    // An empty last part after others that already pass 100 %: the sum says so.
    const others = r.parsed.reduce<number>((a, p) => a + (typeof p === 'number' ? p : 0), 0);
    e.shares = { key: 'fees.split.totalWrong', vars: { total: pct(others) } };
  } else if (r.total !== SPLIT_TOTAL_BP) e.shares = { key: 'fees.split.totalWrong', vars: { total: pct(r.total) } };
  return e;
}

/** The call: each household with its part, in the form's order (the core names a part by that position). */
export function toSplitInput(childId: string, householdIds: readonly string[], v: SplitValues): { childId: string; shares: { householdId: string; feeShareBp: number }[] } {
  const { bps } = readSplit(v);
  return { childId, shares: householdIds.map((householdId, i) => ({ householdId, feeShareBp: bps[i] ?? 0 })) };
}

/** The core's field paths → the split form's fields: "shares.1.householdId" → "parts.1", "shares" → "shares"; "childId" has no field. */
export const splitField = (path: string): string | null => {
  if (path === 'shares') return 'shares';
  const m = /^shares\.(\d+)(?:\.|$)/.exec(path);
  return m ? `parts.${m[1]}` : null;
};

/** The split's own rules (the core's `rule` on a rule_violation of fee.sharedSplit). */
export const SPLIT_RULES = ['fee_split_total', 'fee_split_incomplete', 'fee_split_household', 'fee_split_not_shared'] as const;
export type SplitRule = (typeof SPLIT_RULES)[number];
const isSplitRule = (r: unknown): r is SplitRule => typeof r === 'string' && (SPLIT_RULES as readonly string[]).includes(r);

/**
 * A refusal of fee.sharedSplit → where the form shows it: the parts' sum and a missing household at the
 * sum ('shares'), a household the child no longer lives in at its part, a child in one household only at
 * the top (no field says it); everything else as the other fee forms map it.
 */
export function mapSplitError(e: ApiError, pct: (bp: number) => string): MappedError {
  if (e.code === 'rule_violation' && isSplitRule(e.rule)) {
    const total = e.details?.total;
    const msg: Msg =
      e.rule !== 'fee_split_total' ? { key: `fees.rule.${e.rule}` } : typeof total === 'number' ? { key: 'fees.rule.fee_split_total', vars: { total: pct(total) } } : { key: 'fees.split.totalNot100' };
    const f = e.field ? splitField(e.field) : null;
    return f ? { fields: { [f]: msg }, top: [] } : { fields: {}, top: [msg] };
  }
  return mapFeeError(e, splitField);
}
