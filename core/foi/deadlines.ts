/**
 * The deadlines of a freedom-of-information or subject-access request (issue 13; docs/foi.md "Deadlines"),
 * as pure functions of the request's kind, country and dates, the rules and the working-day calendar
 * (holidays.ts). Three kinds:
 *
 * - `se_public_document` (Sweden, begäran om allmän handling, TF 2 kap. 15–16 §§): to be handled
 *   "skyndsamt", which the Ombudsmen (JO) read as the same day; a few days are accepted when a secrecy
 *   review under OSL is needed. No statute writes a last day: the rule's accepted working days stand in
 *   for it.
 * - `no_innsyn` (Norway, innsynskrav under offentleglova § 29): decided without undue delay, in practice
 *   within one to three working days; with no answer within five working days after it was received, the
 *   request counts as refused and may be appealed (§ 32 første ledd tredje punktum).
 * - `gdpr_access` (GDPR art. 15, either country): within one month of receipt (art. 12(3)), extendable by
 *   two further months where necessary with a notice to the requester within the first month. A month is
 *   counted as Regulation (EEC, Euratom) 1182/71 art. 3 counts it (see `gdprPeriodEnd`).
 *
 * Every figure is configuration (`FoiDeadlineRules`), with the law's figures as the shipped defaults.
 *
 * Two calendars: the office's targets (and Sweden's accepted days, which are practice, not law) are counted
 * in the municipality's full calendar, its own closed days included, as nobody can answer on a day the
 * office is closed. The law's own periods (Norway's five working days, GDPR's months) are counted without
 * the municipality's own closed days: a local decision to close does not lengthen a period the law sets.
 * Sweden's closed eves follow the `closedEves` option in both (lag 1930:173 treats them like holidays when
 * a statutory period ends).
 */
import { DEFAULT_FOI_DEADLINE_RULES as LAW_DEADLINE_RULES } from '../../shared/domain/foi';
import { foiDeadlineRules, type FoiDeadlineRules } from '../../shared/api/foi';
import { FOI_DEADLINE_STATES, FOI_KINDS, type FoiDeadlineState, type FoiKind } from '../../shared/domain/foi';
import { addDays, addMonths } from '../dates';
import { addWorkingDays, requireDate, type Country, type WorkingDayOptions } from './holidays';
import { DomainError, ruleViolation } from '../../shared/api/errors';
import { zodIssuesToApiError } from '../../shared/api/validation';

export { FOI_KINDS, type FoiKind };

/** The countries whose law each kind belongs to: a Swedish kind is never made in Norway, nor the other way round. */
export const FOI_KIND_COUNTRIES: Readonly<Record<FoiKind, readonly Country[]>> = {
  se_public_document: ['SE'],
  no_innsyn: ['NO'],
  gdpr_access: ['SE', 'NO'],
};

const KIND_LABEL: Record<FoiKind, string> = {
  se_public_document: 'a Swedish request for a public document (begäran om allmän handling)',
  no_innsyn: 'a Norwegian request for access (innsynskrav under offentleglova)',
  gdpr_access: 'a subject-access request (GDPR art. 15)',
};
const COUNTRY_NAME: Record<Country, string> = { SE: 'Sweden', NO: 'Norway' };

export { foiDeadlineRules, type FoiDeadlineRules };

/** The law's figures and the Ombudsmen's practice, shipped as the defaults (shared/domain/foi.ts). */
export const DEFAULT_FOI_DEADLINE_RULES: FoiDeadlineRules = LAW_DEADLINE_RULES;

/** Stored or submitted rules, checked: a bad field throws a validation error that names it. */
export function parseFoiDeadlineRules(raw: unknown): FoiDeadlineRules {
  const parsed = foiDeadlineRules.safeParse(raw);
  if (parsed.success) return parsed.data;
  const e = zodIssuesToApiError(parsed.error.issues);
  throw new DomainError('validation', e.message, e.field, e.issues);
}

export interface FoiRequestInput {
  kind: FoiKind;
  /** The country of the municipality that received it (for GDPR: of the controller). */
  country: Country;
  /** The day the request reached the office (YYYY-MM-DD). */
  receivedOn: string;
  /** GDPR only: the extension by further months, with the day the requester was told of it. */
  extension?: { noticeOn: string } | null;
}

export interface FoiDeadlines {
  kind: FoiKind;
  country: Country;
  receivedOn: string;
  /**
   * The day the office aims to answer by: Sweden, by default the day received (or, received on a closed
   * day, the first working day after it); Norway, the rule's target working day after the day received
   * (never after `final`); GDPR, the same as `final` (the law sets no earlier day than "without undue
   * delay").
   */
  target: string;
  /**
   * The first day the request is late, the day after `final` (it may be a Saturday or a holiday). Sweden
   * and GDPR; null in Norway, where the law's answer to lateness is `deemedRefusedOn`.
   */
  overdueFrom: string | null;
  /** Norway: the first day an unanswered request counts as refused and may be appealed (the day after `final`); null elsewhere. */
  deemedRefusedOn: string | null;
  /**
   * The last day an answer is in time. Sweden: the last of the accepted working days (no statute writes a
   * last day; the rule stands in for it). Norway: the last of the working days before the request counts as
   * refused. GDPR: the end of the month, or with an extension the end of the further months, each moved
   * past a Saturday, Sunday or holiday to the next working day.
   */
  final: string;
  /** GDPR: an extension was notified in time and `final` is the extended end. */
  extended: boolean;
  /** GDPR: the last day an extension may be notified (the end of the first month); null when none can be given. */
  extensionNoticeBy: string | null;
}

/** The options with the municipality's own closed days left out: the calendar the law's periods are counted in. */
function lawCalendar(opts: WorkingDayOptions | undefined): WorkingDayOptions {
  return { ...opts, extraClosedDays: [] };
}

/**
 * The end of a period of `months` months from `from`, as Regulation 1182/71 art. 3 counts it: the day of
 * the event is not counted, so the period ends on the same day-number `months` later (25 August → 25
 * September); a month without that day ends it on its last day (31 January → 28 or 29 February: core/dates
 * addMonths counts this way). Not yet moved to a working day.
 */
export function gdprPeriodEnd(from: string, months: number): string {
  return addMonths(from, months);
}

/** A date moved to the next working day when the office's country does not work on it (1182/71 art. 3(4)). */
function onWorkingDay(date: string, country: Country, opts: WorkingDayOptions): string {
  return addWorkingDays(date, 0, country, opts);
}

function requireKindAndCountry(kind: unknown, country: unknown): asserts kind is FoiKind {
  if (typeof kind !== 'string' || !(FOI_KINDS as readonly string[]).includes(kind)) {
    throw new DomainError('validation', `kind: ${JSON.stringify(kind)} is not one of ${FOI_KINDS.join(', ')}`, 'kind');
  }
  if (country !== 'SE' && country !== 'NO') throw new DomainError('validation', `country: ${JSON.stringify(country)} is neither SE nor NO`, 'country');
  const k = kind as FoiKind;
  if (!FOI_KIND_COUNTRIES[k].includes(country)) {
    throw ruleViolation('foi_kind_country', `foi_kind_country: kind ${k} is ${KIND_LABEL[k]}, which is not made in ${COUNTRY_NAME[country]} (${country})`, 'kind', { kind: k, country });
  }
}

/**
 * A request's deadlines (see `FoiDeadlines` for each field). Throws, naming the field, on a kind unknown or
 * foreign to the country (`kind`), a malformed date (`receivedOn`, `extension.noticeOn`), an extension of a
 * kind that has none (`extension`), a notice before the request was received or after the first month
 * (`extension.noticeOn`).
 */
export function requestDeadlines(input: FoiRequestInput, rules: FoiDeadlineRules = DEFAULT_FOI_DEADLINE_RULES, opts?: WorkingDayOptions): FoiDeadlines {
  const { kind, country } = input;
  requireKindAndCountry(kind, country);
  const receivedOn = requireDate(input.receivedOn, 'receivedOn');
  const extension = input.extension ?? null;
  if (extension !== null && kind !== 'gdpr_access') {
    throw ruleViolation('foi_extension_kind', `foi_extension_kind: extension: only a subject-access request (gdpr_access) can be extended; ${kind} cannot`, 'extension');
  }
  const base = { kind, country, receivedOn, extended: false, extensionNoticeBy: null };

  if (kind === 'se_public_document') {
    const r = rules.se_public_document;
    // The first day the office can work on it counts as the day received (a Sunday's request: Monday).
    const first = addWorkingDays(receivedOn, 0, country, opts);
    const final = addWorkingDays(first, r.overdueAfterWorkingDays - 1, country, opts);
    return { ...base, target: addWorkingDays(first, r.targetWorkingDays, country, opts), overdueFrom: addDays(final, 1), deemedRefusedOn: null, final };
  }

  if (kind === 'no_innsyn') {
    const r = rules.no_innsyn;
    // "innan fem arbeidsdagar etter at organet tok imot kravet": the working days after the day received.
    const final = addWorkingDays(receivedOn, r.deemedRefusedAfterWorkingDays, country, lawCalendar(opts));
    const wanted = addWorkingDays(receivedOn, r.targetWorkingDays, country, opts);
    // The office's own closed days may push its target past the law's last day: the law wins.
    return { ...base, target: wanted < final ? wanted : final, overdueFrom: null, deemedRefusedOn: addDays(final, 1), final };
  }

  const r = rules.gdpr_access;
  const law = lawCalendar(opts);
  const firstEnd = gdprPeriodEnd(receivedOn, r.months);
  const firstFinal = onWorkingDay(firstEnd, country, law);
  const noticeBy = r.extensionMonths > 0 ? firstFinal : null;
  if (extension === null) return { ...base, target: firstFinal, overdueFrom: addDays(firstFinal, 1), deemedRefusedOn: null, final: firstFinal, extensionNoticeBy: noticeBy };

  if (noticeBy === null) {
    throw ruleViolation('foi_extension_unavailable', 'foi_extension_unavailable: extension: the rules allow no extension (gdpr_access.extensionMonths is 0)', 'extension');
  }
  const noticeOn = requireDate(extension.noticeOn, 'extension.noticeOn');
  if (noticeOn < receivedOn) {
    throw new DomainError('validation', `extension.noticeOn: the notice of extension (${noticeOn}) is before the request was received (${receivedOn})`, 'extension.noticeOn');
  }
  if (noticeOn > noticeBy) {
    throw ruleViolation(
      'foi_extension_late',
      `foi_extension_late: extension.noticeOn: the notice of extension (${noticeOn}) must be given within the first month, by ${noticeBy}; after it the period cannot be extended`,
      'extension.noticeOn',
      { noticeOn, noticeBy },
    );
  }
  // The further months run from the end of the first month as the calendar has it, before a weekend or
  // holiday moved it: the move protects the last day of a period, it does not lengthen the next one.
  const final = onWorkingDay(gdprPeriodEnd(firstEnd, r.extensionMonths), country, law);
  return { ...base, target: final, overdueFrom: addDays(final, 1), deemedRefusedOn: null, final, extended: true, extensionNoticeBy: noticeBy };
}

export { FOI_DEADLINE_STATES };
/**
 * - `open`: before the target.
 * - `due_today`: the target has come and the last day has not passed: to be answered now. (From the
 *   target to `final`: in Sweden the accepted review days, in Norway the days after the office's target.)
 * - `overdue`: after the last day, not decided (Sweden, GDPR).
 * - `deemed_refused`: after the last day, not decided, in Norway: it counts as refused and may be appealed.
 * - `decided`: decided on or before the last day; `decided_late`: after it.
 */
export type { FoiDeadlineState };

/** A request's state on `today`, given its deadlines and the day it was decided (if it was). */
export function deadlineState(d: FoiDeadlines, today: string, decidedOn?: string | null): FoiDeadlineState {
  requireDate(today, 'today');
  if (decidedOn != null) {
    requireDate(decidedOn, 'decidedOn');
    if (decidedOn < d.receivedOn) throw new DomainError('validation', `decidedOn: the decision (${decidedOn}) is before the request was received (${d.receivedOn})`, 'decidedOn');
    return decidedOn <= d.final ? 'decided' : 'decided_late';
  }
  if (today > d.final) return d.deemedRefusedOn !== null ? 'deemed_refused' : 'overdue';
  return today >= d.target ? 'due_today' : 'open';
}
