/**
 * The FOI settings screen's pure logic (no JSX; `#/foi/settings`, Settings.tsx): the deadline rules form
 * (the figures of the municipality's country's kinds, where the figures come from, the office's closed days
 * and Sweden's closed eves) with its checks, its call and where the core's refusals land; and the legal
 * grounds table (a ground's state today, the ground dialog's values and checks, the whole table to send after
 * adding, changing, ending or removing one ground, and the core's refusals in the dialog's words).
 *
 * The checks mirror the contract (shared/api/foi.ts `foiDeadlineRules`, `foiCalendar`, `foiGround`; the
 * renderer takes types only from it) so a mistake is named at its field before anything is sent; the core
 * checks again and its answer lands on the same fields.
 */
import type { MethodInput, MethodOutput } from '../../../../shared/api/contract';
import type { ApiError } from '../../../../shared/api/transport';
import { DEFAULT_FOI_DEADLINE_RULES, FOI_KINDS_BY_COUNTRY, type FoiGround, type FoiKind } from '../../../../shared/domain/foi';
import { mapApiError, type FieldError, type FieldErrors, type MappedError } from '../../kit/errors';
import type { Country } from '../../lib/domain';
import { isValidIsoDate } from '../../lib/format';
import type { TKey } from '../../lib/i18n';

export type RulesView = MethodOutput<'foi.rules'>;
export type GroundsView = MethodOutput<'foi.grounds'>;
export type DeadlineRules = RulesView['rules'];
export type Msg = FieldError;

// ---------------------------------------------------------------------------------------------
// The deadline rules
// ---------------------------------------------------------------------------------------------

/** Each figure of the rules, by the form's name for it. */
export const RULE_FIGURES = ['seTarget', 'seOverdue', 'noTarget', 'noRefused', 'gdprMonths', 'gdprExtension'] as const;
export type RuleFigure = (typeof RULE_FIGURES)[number];

/** Where each figure sits in the rules (the core names a bad one by this path, after `rules.`). */
const FIGURE_AT: Record<RuleFigure, [FoiKind, string]> = {
  seTarget: ['se_public_document', 'targetWorkingDays'],
  seOverdue: ['se_public_document', 'overdueAfterWorkingDays'],
  noTarget: ['no_innsyn', 'targetWorkingDays'],
  noRefused: ['no_innsyn', 'deemedRefusedAfterWorkingDays'],
  gdprMonths: ['gdpr_access', 'months'],
  gdprExtension: ['gdpr_access', 'extensionMonths'],
};

/** The core's path of a figure: `rules.se_public_document.targetWorkingDays`. */
export const figurePath = (f: RuleFigure): string => `rules.${FIGURE_AT[f][0]}.${FIGURE_AT[f][1]}`;

/**
 * The contract's ranges: working days 0–60 (the ceiling only catches a typo), the last day at least one
 * working day; GDPR's months 1–12, its extension 0–12 (0: none allowed).
 */
export const FIGURE_BOUNDS: Record<RuleFigure, { min: number; max: number }> = {
  seTarget: { min: 0, max: 60 },
  seOverdue: { min: 1, max: 60 },
  noTarget: { min: 0, max: 60 },
  noRefused: { min: 1, max: 60 },
  gdprMonths: { min: 1, max: 12 },
  gdprExtension: { min: 0, max: 12 },
};

/** The longest source text, and the most closed days the calendar holds (the contract's limits). */
export const SOURCE_MAX = 300;
export const CLOSED_DAYS_MAX = 200;

/** The law's figures and the Ombudsmen's practice as the core ships them: what "the law's values" puts back. */
export const LAW_RULES: DeadlineRules = DEFAULT_FOI_DEADLINE_RULES;

/** The figures the municipality's country uses, in the form's order (its own kind first, then GDPR). */
export function figuresFor(country: Country): RuleFigure[] {
  const kinds: readonly FoiKind[] = FOI_KINDS_BY_COUNTRY[country];
  return RULE_FIGURES.filter((f) => kinds.includes(FIGURE_AT[f][0]));
}

/** The kinds shown, each with its two figures. */
export function kindsWithFigures(country: Country): { kind: FoiKind; figures: RuleFigure[] }[] {
  return FOI_KINDS_BY_COUNTRY[country].map((kind) => ({ kind, figures: RULE_FIGURES.filter((f) => FIGURE_AT[f][0] === kind) }));
}

export function figureOf(rules: DeadlineRules, f: RuleFigure): number {
  const [kind, key] = FIGURE_AT[f];
  return (rules[kind] as Record<string, number>)[key]!;
}

export interface RulesValues {
  seTarget: string;
  seOverdue: string;
  noTarget: string;
  noRefused: string;
  gdprMonths: string;
  gdprExtension: string;
  source: string;
  /** ISO days, sorted, each once. */
  closedDays: string[];
  closedEves: boolean;
  /**
   * The closed day being typed, not yet added: not sent, but part of the values so that leaving with a day
   * typed and not added asks first (the screen names it at the save).
   */
  newDay: string;
}

export function rulesToValues(view: Pick<RulesView, 'rules' | 'calendar'>): RulesValues {
  const fig = (f: RuleFigure) => String(figureOf(view.rules, f));
  return {
    seTarget: fig('seTarget'),
    seOverdue: fig('seOverdue'),
    noTarget: fig('noTarget'),
    noRefused: fig('noRefused'),
    gdprMonths: fig('gdprMonths'),
    gdprExtension: fig('gdprExtension'),
    source: view.rules.source,
    closedDays: [...new Set(view.calendar.closedDays)].sort(),
    closedEves: view.calendar.closedEves,
    newDay: '',
  };
}

/** A whole number typed as digits (spaces around it allowed); anything else is null. */
export function parseFigure(s: string): number | null {
  const x = s.trim();
  return /^\d{1,3}$/.test(x) ? Number(x) : null;
}

const rangeMsg = (f: RuleFigure): Msg => ({ key: 'foi.settings.error.range', vars: FIGURE_BOUNDS[f] });

/** The form's own checks: each figure of the country's kinds in its range, the target before the last day, the source's length. */
export function validateRules(v: RulesValues, country: Country): FieldErrors {
  const e: FieldErrors = {};
  const n: Partial<Record<RuleFigure, number>> = {};
  for (const f of figuresFor(country)) {
    if (!v[f].trim()) {
      e[f] = { key: 'validation.required' };
      continue;
    }
    const x = parseFigure(v[f]);
    if (x === null || x < FIGURE_BOUNDS[f].min || x > FIGURE_BOUNDS[f].max) e[f] = rangeMsg(f);
    else n[f] = x;
  }
  // Sweden: the target comes before the request is overdue; Norway: the target is at the latest the fifth day.
  if (country === 'SE' && n.seTarget !== undefined && n.seOverdue !== undefined && n.seTarget >= n.seOverdue) e.seTarget = { key: 'foi.settings.error.seTarget', vars: { overdue: n.seOverdue } };
  if (country === 'NO' && n.noTarget !== undefined && n.noRefused !== undefined && n.noTarget > n.noRefused) e.noTarget = { key: 'foi.settings.error.noTarget', vars: { refused: n.noRefused } };
  if (v.source.length > SOURCE_MAX) e.source = { key: 'validation.too_long_max', vars: { max: SOURCE_MAX } };
  if (v.closedDays.length > CLOSED_DAYS_MAX) e.closedDays = { key: 'foi.settings.calendar.full', vars: { max: CLOSED_DAYS_MAX } };
  return e;
}

/**
 * What is sent: the country's figures from the form, the other country's exactly as read (they do not apply
 * here and are not shown); the calendar's days; closed eves from the form in Sweden, as read in Norway.
 */
export function toRulesInput(v: RulesValues, view: RulesView, country: Country): MethodInput<'foi.rulesUpdate'> {
  const shown = new Set(figuresFor(country));
  const fig = (f: RuleFigure) => (shown.has(f) ? parseFigure(v[f])! : figureOf(view.rules, f));
  return {
    rules: {
      se_public_document: { targetWorkingDays: fig('seTarget'), overdueAfterWorkingDays: fig('seOverdue') },
      no_innsyn: { targetWorkingDays: fig('noTarget'), deemedRefusedAfterWorkingDays: fig('noRefused') },
      gdpr_access: { months: fig('gdprMonths'), extensionMonths: fig('gdprExtension') },
      source: v.source.trim(),
    },
    calendar: { closedDays: [...v.closedDays], closedEves: country === 'SE' ? v.closedEves : view.calendar.closedEves },
    version: view.version,
  };
}

/** The form's values with the law's figures and source put back (the calendar is the office's and stays). */
export function withLawFigures(): Partial<RulesValues> {
  const out: Partial<RulesValues> = { source: LAW_RULES.source };
  for (const f of RULE_FIGURES) out[f] = String(figureOf(LAW_RULES, f));
  return out;
}

/** The country's figures that differ from the law's (in the form's order). */
export function differingFigures(rules: DeadlineRules, country: Country): RuleFigure[] {
  return figuresFor(country).filter((f) => figureOf(rules, f) !== figureOf(LAW_RULES, f));
}

/** The form already holds the law's figures and source (for the country's kinds). */
export function formHasLawFigures(v: RulesValues, country: Country): boolean {
  return v.source.trim() === LAW_RULES.source && figuresFor(country).every((f) => parseFigure(v[f]) === figureOf(LAW_RULES, f));
}

/**
 * Whether the law's defaults are in force: nothing stored yet (`defaults`), stored but the law's figures
 * (`law`), or the municipality's own figures, naming those that differ (`own`).
 */
export type RulesState = { kind: 'defaults' } | { kind: 'law' } | { kind: 'own'; differs: RuleFigure[] };
export function rulesState(view: Pick<RulesView, 'rules' | 'defaults'>, country: Country): RulesState {
  if (view.defaults) return { kind: 'defaults' };
  const differs = differingFigures(view.rules, country);
  return differs.length ? { kind: 'own', differs } : { kind: 'law' };
}

/** A closed day added: the list sorted, each day once; why not when it cannot be. */
export function addClosedDay(days: readonly string[], day: string): { days: string[] } | { error: Msg } {
  const d = day.trim();
  if (!d) return { error: { key: 'validation.required' } };
  if (!isValidIsoDate(d)) return { error: { key: 'validation.date_invalid' } };
  if (days.includes(d)) return { error: { key: 'foi.settings.calendar.already' } };
  if (days.length >= CLOSED_DAYS_MAX) return { error: { key: 'foi.settings.calendar.full', vars: { max: CLOSED_DAYS_MAX } } };
  return { days: [...days, d].sort() };
}

/** Saturday or Sunday: closed anyway (the list says so; the day is still kept if the officer adds it). */
export function isWeekend(iso: string): boolean {
  if (!isValidIsoDate(iso)) return false;
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return wd === 0 || wd === 6;
}

const FIGURE_BY_PATH: ReadonlyMap<string, RuleFigure> = new Map(RULE_FIGURES.map((f) => [figurePath(f), f]));

/**
 * The core's refusal of `foi.rulesUpdate` → the form's fields: a figure out of range (its range), the target
 * after the last day (the cross message), a closed day or the list's length, the source's length. A figure of
 * the other country's kind (not shown: sent as read) and anything else: one general message at the top.
 */
export function mapRulesError(e: ApiError, v: RulesValues, country: Country): MappedError {
  if (e.code !== 'validation') return mapApiError(e, () => false);
  const shown = new Set<string>(figuresFor(country));
  const fields: FieldErrors = {};
  const top: Msg[] = [];
  const issues = e.issues?.length ? e.issues : [{ field: e.field ?? '', code: 'invalid', message: e.message }];
  for (const i of issues) {
    const fig = FIGURE_BY_PATH.get(i.field);
    let field: string | null = null;
    let msg: Msg;
    if (fig && shown.has(fig)) {
      field = fig;
      if (i.code === 'target_after_last_day') {
        msg = fig === 'seTarget' ? { key: 'foi.settings.error.seTarget', vars: { overdue: v.seOverdue.trim() } } : { key: 'foi.settings.error.noTarget', vars: { refused: v.noRefused.trim() } };
      } else msg = rangeMsg(fig);
    } else if (i.field === 'calendar.closedDays') {
      field = 'closedDays';
      msg = { key: 'foi.settings.calendar.full', vars: { max: CLOSED_DAYS_MAX } };
    } else if (i.field.startsWith('calendar.closedDays.')) {
      field = 'closedDays';
      msg = { key: 'foi.settings.calendar.badDay', vars: { day: v.closedDays[Number(i.field.split('.')[2])] ?? '' } };
    } else if (i.field === 'rules.source') {
      field = 'source';
      msg = { key: 'validation.too_long_max', vars: { max: SOURCE_MAX } };
    } else if (i.field === 'calendar.closedEves') {
      field = country === 'SE' ? 'closedEves' : null;
      msg = { key: 'validation.invalid' };
    } else msg = { key: 'error.validation' };
    if (field) fields[field] ??= msg;
    else if (!top.some((x) => x.key === msg.key)) top.push(msg);
  }
  return { fields, top };
}

// ---------------------------------------------------------------------------------------------
// The legal grounds
// ---------------------------------------------------------------------------------------------

/** The contract's limits of a ground (shared/api/foi.ts `foiGround`) and of the table. */
export const GROUND_LIMITS = { citation: 120, title: 200, table: 200 } as const;
export const GROUND_CODE = /^[a-z0-9_]{2,40}$/;

export type GroundState = 'in_force' | 'upcoming' | 'ended';

/** Today inside the ground's days (both ends counted), before its first day, or after its last. */
export function groundState(g: Pick<FoiGround, 'validFrom' | 'validTo'>, today: string): GroundState {
  if (g.validFrom > today) return 'upcoming';
  if (g.validTo !== null && g.validTo < today) return 'ended';
  return 'in_force';
}

/** A ground of the municipality's country or of both (GDPR): the ones the review offers. */
export const groundApplies = (g: Pick<FoiGround, 'country'>, country: Country): boolean => g.country === null || g.country === country;

export interface GroundRow {
  ground: FoiGround;
  /** Its place in the table as read (the core names a bad ground by it: `grounds.<index>.code`). */
  index: number;
}

/** The table's rows: the country's grounds and both countries' in the table's order; the other country's too when asked. */
export function groundRows(grounds: readonly FoiGround[], country: Country, withOther: boolean): GroundRow[] {
  return grounds.map((ground, index) => ({ ground, index })).filter((r) => withOther || groundApplies(r.ground, country));
}

/** How many of the other country's grounds the table leaves out. */
export const otherCountryCount = (grounds: readonly FoiGround[], country: Country): number => grounds.filter((g) => !groundApplies(g, country)).length;

export type GroundCountry = 'SE' | 'NO' | 'both';

export interface GroundValues {
  code: string;
  country: GroundCountry;
  citation: string;
  titleSv: string;
  titleNb: string;
  titleEn: string;
  optional: boolean;
  validFrom: string;
  /** Empty: until further notice. */
  validTo: string;
}

/** The dialog's fields, in its order (the core's refusals land on these). */
export const GROUND_FIELDS = ['code', 'country', 'citation', 'titleSv', 'titleNb', 'titleEn', 'optional', 'validFrom', 'validTo'] as const;

/** A new ground: the municipality's country, in force from today, until further notice. */
export function newGroundValues(country: Country, today: string): GroundValues {
  return { code: '', country, citation: '', titleSv: '', titleNb: '', titleEn: '', optional: false, validFrom: today, validTo: '' };
}

export function groundToValues(g: FoiGround): GroundValues {
  return {
    code: g.code,
    country: g.country ?? 'both',
    citation: g.citation,
    titleSv: g.title.sv,
    titleNb: g.title.nb,
    titleEn: g.title.en,
    optional: g.optional,
    validFrom: g.validFrom,
    validTo: g.validTo ?? '',
  };
}

export function valuesToGround(v: GroundValues): FoiGround {
  return {
    code: v.code.trim(),
    country: v.country === 'both' ? null : v.country,
    citation: v.citation.trim(),
    title: { sv: v.titleSv.trim(), nb: v.titleNb.trim(), en: v.titleEn.trim() },
    optional: v.optional,
    validFrom: v.validFrom.trim(),
    validTo: v.validTo.trim() ? v.validTo.trim() : null,
  };
}

const textCheck = (s: string, max: number): Msg | null => (!s.trim() ? { key: 'validation.required' } : s.trim().length > max ? { key: 'validation.too_long_max', vars: { max } } : null);

/**
 * The ground dialog's checks: the code's form and that no other ground has it (`others`: the table without
 * the ground being changed), the citation and the three titles given and not too long, a first day, a last
 * day (if any) that is a date and not before the first.
 */
export function validateGround(v: GroundValues, others: readonly FoiGround[]): FieldErrors {
  const e: FieldErrors = {};
  const code = v.code.trim();
  if (!code) e.code = { key: 'validation.required' };
  else if (!GROUND_CODE.test(code)) e.code = { key: 'foi.settings.ground.error.code' };
  else if (others.some((g) => g.code === code)) e.code = { key: 'foi.settings.rule.foi_ground_twice', vars: { code } };
  const citation = textCheck(v.citation, GROUND_LIMITS.citation);
  if (citation) e.citation = citation;
  for (const f of ['titleSv', 'titleNb', 'titleEn'] as const) {
    const m = textCheck(v[f], GROUND_LIMITS.title);
    if (m) e[f] = m;
  }
  const from = v.validFrom.trim();
  if (!from) e.validFrom = { key: 'validation.required' };
  else if (!isValidIsoDate(from)) e.validFrom = { key: 'validation.date_invalid' };
  Object.assign(e, validateEnd(v.validTo, isValidIsoDate(from) ? from : null));
  return e;
}

/** A last day: empty (until further notice), or a date not before the first day. */
export function validateEnd(validTo: string, validFrom: string | null, required = false): FieldErrors {
  const to = validTo.trim();
  if (!to) return required ? { validTo: { key: 'validation.required' } } : {};
  if (!isValidIsoDate(to)) return { validTo: { key: 'validation.date_invalid' } };
  if (validFrom && to < validFrom) return { validTo: { key: 'foi.settings.rule.end_before_start', vars: { date: validFrom } } };
  return {};
}

/** The table with one ground put in: in the place of the one with `code` (changed), or last (new). */
export function putGround(grounds: readonly FoiGround[], code: string | null, ground: FoiGround): FoiGround[] {
  const at = code === null ? -1 : grounds.findIndex((g) => g.code === code);
  return at < 0 ? [...grounds, ground] : grounds.map((g, i) => (i === at ? ground : g));
}

/** The table without the ground with `code`. */
export const removeGround = (grounds: readonly FoiGround[], code: string): FoiGround[] => grounds.filter((g) => g.code !== code);

/** The table with the ground's last day set. */
export const endGround = (grounds: readonly FoiGround[], code: string, validTo: string): FoiGround[] => grounds.map((g) => (g.code === code ? { ...g, validTo } : g));

/** The core's path inside a ground → the dialog's field. */
const GROUND_FIELD_OF: Readonly<Record<string, (typeof GROUND_FIELDS)[number]>> = {
  code: 'code',
  country: 'country',
  citation: 'citation',
  'title.sv': 'titleSv',
  'title.nb': 'titleNb',
  'title.en': 'titleEn',
  optional: 'optional',
  validFrom: 'validFrom',
  validTo: 'validTo',
};

/** A validation issue on a ground's field in the dialog's words. */
function groundIssue(field: string, code: string): Msg {
  if (field === 'code') return { key: 'foi.settings.ground.error.code' };
  if (field === 'citation' || field.startsWith('titl')) {
    if (code === 'too_small') return { key: 'validation.required' };
    if (code === 'too_big' || code === 'too_long') return { key: 'validation.too_long_max', vars: { max: field === 'citation' ? GROUND_LIMITS.citation : GROUND_LIMITS.title } };
  }
  if (field === 'validFrom' || field === 'validTo') return { key: 'validation.date_invalid' };
  return { key: 'validation.invalid' };
}

export interface GroundsRefusalContext {
  /** The table as sent. */
  sent: readonly FoiGround[];
  /** The table as read (for a removed ground's citation). */
  read: readonly FoiGround[];
  /** The code of the ground the dialog adds or changes (as sent); null: a removal. */
  code: string | null;
  /** The dialog's fields. */
  fields: readonly string[];
}

/** The citation of a ground by its code, from the table as sent or as read; the code when neither has it. */
const citationOf = (code: string, ctx: GroundsRefusalContext): string => ctx.sent.find((g) => g.code === code)?.citation ?? ctx.read.find((g) => g.code === code)?.citation ?? code;

/** The code of the ground a review uses that a removal would take away (`foi_ground_in_use`), else null. */
export function groundInUse(e: ApiError): string | null {
  if (e.code !== 'rule_violation' || e.rule !== 'foi_ground_in_use') return null;
  return typeof e.details?.code === 'string' ? e.details.code : '';
}

/**
 * The core's refusal of `foi.groundsUpdate` → the dialog: on the dialog's ground, at its field; on another
 * ground of the table, at the top naming it. Two grounds with one code land on the code; a ground in use
 * (removed) is said with its citation and the advice to end it instead.
 */
export function mapGroundsError(e: ApiError, ctx: GroundsRefusalContext): MappedError {
  const fields: FieldErrors = {};
  const top: Msg[] = [];
  const at = (path: string | undefined): { index: number; rest: string } | null => {
    const m = /^grounds\.(\d+)(?:\.(.+))?$/.exec(path ?? '');
    return m ? { index: Number(m[1]), rest: m[2] ?? '' } : null;
  };
  const place = (field: string | null, msg: Msg) => {
    if (field && ctx.fields.includes(field)) fields[field] ??= msg;
    else top.push(msg);
  };
  if (e.code === 'rule_violation') {
    const where = at(e.field);
    const ground = where ? ctx.sent[where.index] : undefined;
    const mine = ground !== undefined && ground.code === ctx.code;
    switch (e.rule) {
      case 'foi_ground_twice': {
        const code = ground?.code ?? ctx.code ?? '';
        place(ctx.code !== null && code === ctx.code ? 'code' : null, { key: 'foi.settings.rule.foi_ground_twice', vars: { code } });
        break;
      }
      case 'end_before_start':
        if (mine && ground) place('validTo', { key: 'foi.settings.rule.end_before_start', vars: { date: ground.validFrom } });
        else top.push({ key: 'foi.settings.rule.end_before_start.other', vars: { citation: ground ? ground.citation : '' } });
        break;
      case 'foi_ground_in_use': {
        const code = groundInUse(e) ?? '';
        top.push({ key: 'foi.settings.rule.foi_ground_in_use', vars: { code, citation: citationOf(code, ctx) } });
        break;
      }
      default:
        return mapApiError(e, () => false);
    }
    return { fields, top };
  }
  if (e.code === 'validation') {
    const issues = e.issues?.length ? e.issues : [{ field: e.field ?? '', code: 'invalid', message: e.message }];
    for (const i of issues) {
      const where = at(i.field);
      const ground = where ? ctx.sent[where.index] : undefined;
      if (ground && where && where.rest) {
        const field = GROUND_FIELD_OF[where.rest] ?? null;
        const msg = groundIssue(where.rest, i.code);
        if (ground.code === ctx.code) place(field, msg);
        else top.push({ key: 'foi.settings.ground.error.other', vars: { citation: ground.citation || ground.code } });
      } else top.push({ key: i.field === 'grounds' && i.code === 'too_small' ? 'foi.settings.ground.error.last' : 'error.validation' });
    }
    return { fields, top };
  }
  return mapApiError(e, () => false);
}

/** The message keys the screen needs by name (for the row's state tag and the country column). */
export const GROUND_STATE_KEY: Record<GroundState, TKey> = {
  in_force: 'foi.settings.state.in_force',
  upcoming: 'foi.settings.state.upcoming',
  ended: 'foi.settings.state.ended',
};
export const GROUND_COUNTRY_KEY: Record<GroundCountry, TKey> = {
  SE: 'foi.settings.country.SE',
  NO: 'foi.settings.country.NO',
  both: 'foi.settings.country.both',
};
