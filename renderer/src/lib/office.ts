/**
 * The office screens' logic (preschool queue, year rollover, class and placement lists), free of React
 * so it is tested directly (office.test.ts): defaults, client-side checks, contract inputs, the mapping
 * of the core's errors (including `rule_violation`) onto fields, and small list helpers.
 */
import { sortByText } from '../../../shared/collation';
import type { MethodInput, MethodOutput } from '../../../shared/api/contract';
import type { ApiError } from '../../../shared/api/transport';
import { ROLE_PERMISSIONS, type Permission, type Role } from '../../../shared/domain/access';
import {
  APPLICATION_FILTERS,
  CARE_LIMITS,
  ENROLMENT_FORMS,
  PLACEMENT_FORMS,
  ROLLOVER_ACTIONS,
  RULES,
  type ApplicationFilter,
  type ListFormat,
  type PlacementForm,
  type RolloverAction,
  type RuleId,
} from '../../../shared/domain/care';
import type { Lang } from '../../../shared/i18n';
import type { Country, OrgTree, PersonSummary, SchoolForm } from './domain';
import { ageOn, addDays, isValidIsoDate } from './format';
import type { TKey, TVars } from './i18n';
import { mapApiError, ruleMessage, type FieldError, type FieldErrors } from '../kit/errors';
import { newKey } from './personForm';

export type ApplicationView = MethodOutput<'application.list'>['items'][number];
export type RolloverPreview = MethodOutput<'rollover.preview'>;
export type RolloverRow = RolloverPreview['rows'][number];
export type ListResult = MethodOutput<'list.get'>;
export type ListRow = ListResult['rows'][number];
export type ListKind = ListResult['kind'];

/** A message for the UI: the form kit's (a catalog id with placeholders; never the core's English text). */
export type Msg = FieldError;
export type MsgFields = FieldErrors;

export const msgText = (m: Msg, t: (k: TKey, v?: TVars) => string): string => t(m.key, m.vars);

// ---------------------------------------------------------------------------------------------
// Paging
// ---------------------------------------------------------------------------------------------

export const QUEUE_PAGE_SIZE = 50;
export const ROLLOVER_PAGE_SIZE = 100;

/** 1-based first and last row shown, for "51–100 of 1 234". */
export function pageRange(offset: number, count: number, total: number): { first: number; last: number; hasPrev: boolean; hasNext: boolean } {
  const first = count === 0 ? 0 : offset + 1;
  const last = offset + count;
  return { first, last, hasPrev: offset > 0, hasNext: last < total };
}

/** The offset to show after an action removed rows: never past the end, never negative. */
export function clampOffset(offset: number, total: number, pageSize: number): number {
  if (offset < total) return Math.max(0, offset);
  return Math.max(0, Math.floor(Math.max(0, total - 1) / pageSize) * pageSize);
}

// ---------------------------------------------------------------------------------------------
// Dates and hours
// ---------------------------------------------------------------------------------------------

/**
 * The first day of the coming school year: school groups run from 1 August (both countries), so the
 * rollover date a clerk usually wants is the next 1 August on or after today.
 */
export function comingSchoolYearStart(today: string): string {
  const y = Number(today.slice(0, 4));
  const thisYear = `${y}-08-01`;
  return today <= thisYear ? thisYear : `${y + 1}-08-01`;
}

/** Answer-by date of a new offer: two weeks from today. */
export const defaultAnswerBy = (today: string): string => addDays(today, 14);

/** "35" → 35; "" → null (not stated); anything else (decimals, outside the contract's 1–60) → 'invalid'. */
export function parseHours(text: string): number | null | 'invalid' {
  const s = text.trim();
  if (!s) return null;
  if (!/^\d{1,2}$/.test(s)) return 'invalid';
  const n = Number(s);
  return n >= CARE_LIMITS.weeklyHours.min && n <= CARE_LIMITS.weeklyHours.max ? n : 'invalid';
}

const HOURS_ERROR: Msg = { key: 'office.validation.hoursRange' };

function dateError(value: string, required: boolean): Msg | undefined {
  if (!value.trim()) return required ? { key: 'validation.required' } : undefined;
  return isValidIsoDate(value) ? undefined : { key: 'validation.date_invalid' };
}

// ---------------------------------------------------------------------------------------------
// The queue
// ---------------------------------------------------------------------------------------------

export type QueueFilter = ApplicationFilter;
export const isQueueFilter = (v: unknown): v is QueueFilter => typeof v === 'string' && (APPLICATION_FILTERS as readonly string[]).includes(v);

export function queueInput(filter: QueueFilter, unitId: string | null | undefined, offset: number, limit = QUEUE_PAGE_SIZE): MethodInput<'application.list'> {
  const input: MethodInput<'application.list'> = { filter, offset, limit };
  if (unitId) input.unitId = unitId;
  return input;
}

/** Choices in the order the family ranked them. */
export const rankedChoices = (a: Pick<ApplicationView, 'choices'>): ApplicationView['choices'] => [...a.choices].sort((x, y) => x.rank - y.rank);

/** What a clerk may do with an application now: offer while queued, record the answer while offered. */
export function queueActions(a: Pick<ApplicationView, 'status' | 'offer'>): { offer: boolean; answer: boolean; withdraw: boolean } {
  const open = a.status === 'queued' || a.status === 'offered';
  return { offer: a.status === 'queued', answer: a.status === 'offered' && a.offer !== null, withdraw: open };
}

/** The forms a child queues for, by the municipality's country. */
export function queueFormsFor(country: Country): PlacementForm[] {
  const forms: readonly PlacementForm[] = country === 'NO' ? ['BHG'] : ['FS', 'PO'];
  return forms.filter((f) => (PLACEMENT_FORMS as readonly string[]).includes(f));
}

// ---- what the law promises (the core decides; these only choose the words and the tone)

export type BadgeTone = 'neutral' | 'warn' | 'danger' | 'ok';

/**
 * The guarantee badge of an open application: days to the date (neutral while far, amber within the
 * core's 30 days), "by <last day>" once the date is here but the place may still start (Norway: the
 * month of the right), the days past the last day in red, "offered in time" in green; "no statutory
 * right" for a Norwegian child without one. Null for a closed application.
 */
export function guaranteeBadge(a: Pick<ApplicationView, 'guarantee'>, formatDay: (iso: string) => string): { tone: BadgeTone; msg: Msg } | null {
  const g = a.guarantee;
  if (g.noRight) return { tone: 'neutral', msg: { key: 'queue.badge.noRight' } };
  if (g.urgency === null || g.daysLeft === null) return null;
  if (g.urgency === 'met') return { tone: 'ok', msg: { key: 'queue.badge.met' } };
  if (g.urgency === 'overdue') return { tone: 'danger', msg: { key: 'queue.badge.overdue', vars: { count: g.daysOverdue ?? 0 } } };
  const tone: BadgeTone = g.urgency === 'soon' ? 'warn' : 'neutral';
  if (g.daysLeft > 0) return { tone, msg: { key: 'queue.badge.daysLeft', vars: { count: g.daysLeft } } };
  if (g.daysLeft === 0 || !g.dueBy) return { tone, msg: { key: 'queue.badge.today' } };
  // Past the date but not the last day (Norway: within the month the right applies in).
  return { tone, msg: { key: 'queue.badge.dueBy', vars: { date: formatDay(g.dueBy) } } };
}

/** Why a Norwegian child has no statutory right to a place, with the main admission's year and deadline. */
export function noRightMsg(a: Pick<ApplicationView, 'guarantee'>, formatDay: (iso: string) => string): Msg | null {
  const g = a.guarantee;
  if (!g.noRight || !g.admission) return null;
  return { key: `queue.noRight.${g.noRight}`, vars: { year: g.admission.year, deadline: formatDay(g.admission.deadline) } };
}

/** The queue's words by the municipality's country: barnehage and the right to a place in Norway. */
export function queueWords(country: Country): { title: TKey; intro: TKey; guaranteeCol: TKey; overdueCount: TKey } {
  return country === 'NO'
    ? { title: 'queue.no.title', intro: 'queue.no.intro', guaranteeCol: 'queue.no.col.guarantee', overdueCount: 'queue.no.overdueCount' }
    : { title: 'queue.title', intro: 'queue.intro', guaranteeCol: 'queue.col.guarantee', overdueCount: 'queue.overdueCount' };
}

// ---- offer

export interface OfferValues {
  unitId: string | null;
  groupId: string | null;
  start: string;
  answerBy: string;
  weeklyHours: string;
}

/** First choice, the wished start (or today when that has passed), answer within two weeks, the hours applied for. */
export function offerDefaults(a: Pick<ApplicationView, 'choices' | 'wishedStart' | 'weeklyHours'>, today: string): OfferValues {
  const first = rankedChoices(a)[0];
  return {
    unitId: first?.unitId ?? null,
    groupId: null,
    start: a.wishedStart < today ? today : a.wishedStart,
    answerBy: defaultAnswerBy(today),
    weeklyHours: a.weeklyHours === null ? '' : String(a.weeklyHours),
  };
}

export function validateOffer(v: OfferValues): MsgFields {
  const e: MsgFields = {};
  if (!v.unitId) e.unitId = { key: 'validation.required' };
  const s = dateError(v.start, true);
  if (s) e.start = s;
  const ab = dateError(v.answerBy, true);
  if (ab) e.answerBy = ab;
  if (parseHours(v.weeklyHours) === 'invalid') e.weeklyHours = HOURS_ERROR;
  return e;
}

export function toOfferInput(v: OfferValues, a: Pick<ApplicationView, 'id' | 'version'>): MethodInput<'application.offer'> {
  const hours = parseHours(v.weeklyHours);
  return {
    id: a.id,
    version: a.version,
    unitId: v.unitId ?? '',
    groupId: v.groupId,
    start: v.start,
    answerBy: v.answerBy,
    weeklyHours: typeof hours === 'number' ? hours : null,
  };
}

// ---- answer

export interface AnswerValues {
  accept: boolean | null;
  keepInQueue: boolean;
}

export const emptyAnswer = (): AnswerValues => ({ accept: null, keepInQueue: true });

export function validateAnswer(v: AnswerValues): MsgFields {
  return v.accept === null ? { accept: { key: 'office.validation.answerRequired' } } : {};
}

/**
 * Accepting leaves `ownerIds` empty on purpose: the core then lets the child's guardians (never one the
 * child is shielded from) hold the place. Holders are changed on the child's card.
 */
export function toAnswerInput(v: AnswerValues, a: Pick<ApplicationView, 'id' | 'version'>): MethodInput<'application.answer'> {
  const accept = v.accept === true;
  return { id: a.id, version: a.version, accept, ownerIds: [], keepInQueue: accept ? true : v.keepInQueue };
}

// ---- new application

export interface ChoiceRow {
  key: string;
  unitId: string | null;
}

export interface ChildChoice {
  id: string;
  label: string;
  birthDate: string | null;
  protected: boolean;
}

export interface ApplicationValues {
  child: ChildChoice | null;
  schoolForm: PlacementForm;
  appliedOn: string;
  wishedStart: string;
  weeklyHours: string;
  choices: ChoiceRow[];
  note: string;
}

export const emptyChoice = (): ChoiceRow => ({ key: newKey(), unitId: null });

export function emptyApplication(today: string, country: Country): ApplicationValues {
  return {
    child: null,
    schoolForm: queueFormsFor(country)[0] ?? 'FS',
    appliedOn: today,
    wishedStart: '',
    weeklyHours: '',
    choices: [emptyChoice()],
    note: '',
  };
}

/** Moves item `i` by `delta` places (a choice up or down the ranking); out-of-range moves change nothing. */
export function moveItem<T>(list: readonly T[], i: number, delta: number): T[] {
  const j = i + delta;
  if (i < 0 || i >= list.length || j < 0 || j >= list.length) return [...list];
  const out = [...list];
  const [item] = out.splice(i, 1);
  out.splice(j, 0, item as T);
  return out;
}

export function validateApplication(v: ApplicationValues): MsgFields {
  const e: MsgFields = {};
  if (!v.child) e.child = { key: 'validation.required' };
  const ap = dateError(v.appliedOn, true);
  if (ap) e.appliedOn = ap;
  const ws = dateError(v.wishedStart, true);
  if (ws) e.wishedStart = ws;
  if (!ap && !ws && v.wishedStart < v.appliedOn) e.wishedStart = { key: 'queue.create.startBeforeApplied' };
  if (parseHours(v.weeklyHours) === 'invalid') e.weeklyHours = HOURS_ERROR;
  if (v.choices.length === 0) e.choices = { key: 'office.validation.choicesRequired' };
  const seen = new Set<string>();
  v.choices.forEach((c, i) => {
    if (!c.unitId) e[`choices.${i}`] = { key: 'validation.required' };
    else if (seen.has(c.unitId)) e[`choices.${i}`] = { key: 'office.validation.choiceDuplicate' };
    if (c.unitId) seen.add(c.unitId);
  });
  if (v.note.trim().length > CARE_LIMITS.note) e.note = { key: 'validation.too_long_max', vars: { max: CARE_LIMITS.note } };
  return e;
}

export function toApplicationInput(v: ApplicationValues): MethodInput<'application.create'> {
  const hours = parseHours(v.weeklyHours);
  const note = v.note.trim();
  return {
    childId: v.child?.id ?? '',
    schoolForm: v.schoolForm,
    appliedOn: v.appliedOn,
    wishedStart: v.wishedStart,
    weeklyHours: typeof hours === 'number' ? hours : null,
    unitIds: v.choices.map((c) => c.unitId).filter((x): x is string => !!x),
    note: note || null,
  };
}

/** The contract's field names → the application form's (the choices are `unitIds` to the core). */
export function applicationField(path: string, v: Pick<ApplicationValues, 'choices'>): string | null {
  if (path === 'childId') return 'child';
  if (['schoolForm', 'appliedOn', 'wishedStart', 'weeklyHours', 'note'].includes(path)) return path;
  const m = /^unitIds(?:\.(\d+))?/.exec(path);
  if (m) {
    if (m[1] === undefined) return 'choices';
    return Number(m[1]) < v.choices.length ? `choices.${m[1]}` : 'choices';
  }
  return null;
}

export const offerField = (path: string): string | null => (['unitId', 'groupId', 'start', 'answerBy', 'weeklyHours'].includes(path) ? path : null);

// ---- the child picker

/**
 * Search hits that can be the child of a preschool application: young enough for preschool (the core
 * checks the form's exact age limits), whether or not the register calls them a child yet (a newborn
 * has no guardianship or placement to derive the role from). Without a birth date, the role decides.
 */
export function childHits(items: readonly { type: string }[], today: string, maxAge = 6): PersonSummary[] {
  const persons = items.filter((h): h is PersonSummary & { type: 'person' } => h.type === 'person');
  return persons.filter((p) => {
    const age = ageOn(p.birthDate, today);
    return age === null ? p.birthDate === null && p.roles.includes('child') : age <= maxAge;
  });
}

// ---------------------------------------------------------------------------------------------
// Errors from the core
// ---------------------------------------------------------------------------------------------

export const isRuleId = (v: unknown): v is RuleId => typeof v === 'string' && (RULES as readonly string[]).includes(v);

const OWN_CODES: Record<string, TKey> = {
  hours_range: 'office.validation.hoursRange',
  choices_required: 'office.validation.choicesRequired',
};
const OFFICE_TOP = { conflict: 'office.conflict', validation: 'error.validation' } as const;

/** A rule's message (`rule.<id>`), or the general rule message for an id this build does not know. */
export function ruleMsg(e: Pick<ApiError, 'rule' | 'details'>): Msg {
  return ruleMessage(e.rule, e.details);
}

/** A whole-call error (no field) as a message. */
export function generalMsg(e: ApiError, _hasKey?: (k: string) => boolean): Msg {
  return mapApiError({ ...e, field: undefined, issues: undefined }, () => false, { top: OFFICE_TOP }).top[0] ?? { key: 'error.saveFailed' };
}

/**
 * The core's answer → messages by form field, and the rest for the form's error box (the form kit's
 * mapping). `fieldOf` maps a contract path to a field the form shows (null: not on this form).
 */
export function serverErrors(e: ApiError, fieldOf: (path: string) => string | null, _hasKey?: (k: string) => boolean): { fields: MsgFields; other: Msg[] } {
  const mapped = mapApiError(e, () => false, {
    fieldOf,
    top: OFFICE_TOP,
    issue: (i) => (OWN_CODES[i.code] ? { key: OWN_CODES[i.code]! } : undefined),
  });
  return { fields: mapped.fields, other: mapped.top };
}

// ---------------------------------------------------------------------------------------------
// Rollover
// ---------------------------------------------------------------------------------------------

export type { RolloverAction };
export const isRolloverAction = (v: unknown): v is RolloverAction => typeof v === 'string' && (ROLLOVER_ACTIONS as readonly string[]).includes(v);

export interface RolloverScope {
  date: string;
  /** Empty: every unit the caller may roll over. */
  unitIds: string[];
}

export function rolloverPreviewInput(scope: RolloverScope, rows: { unitId?: string | null; action?: RolloverAction | null; offset: number }, limit = ROLLOVER_PAGE_SIZE): MethodInput<'rollover.preview'> {
  const input: MethodInput<'rollover.preview'> = { date: scope.date, offset: rows.offset, limit };
  if (scope.unitIds.length) input.unitIds = [...scope.unitIds];
  if (rows.unitId) input.rowsUnitId = rows.unitId;
  if (rows.action) input.action = rows.action;
  return input;
}

export function rolloverCommitInput(scope: RolloverScope, token: string): MethodInput<'rollover.commit'> {
  const input: MethodInput<'rollover.commit'> = { date: scope.date, token };
  if (scope.unitIds.length) input.unitIds = [...scope.unitIds];
  return input;
}

export const sameScope = (a: RolloverScope, b: RolloverScope): boolean => a.date === b.date && [...a.unitIds].sort().join() === [...b.unitIds].sort().join();

export const rolloverHasChanges = (p: Pick<RolloverPreview, 'totals'>): boolean =>
  p.totals.promoted + p.totals.leavers + p.totals.startingSchool + p.totals.groupsCreated > 0;

const ROLLOVER_FORMS: ReadonlySet<SchoolForm> = new Set(ENROLMENT_FORMS);

/**
 * The units the rollover picker offers: school units with a form that is enrolled in (classes move up),
 * limited to the caller's rollover grants: a grant without a unit covers the municipality, a grant on an
 * administration covers the units below it.
 */
export function rolloverUnitOptions(tree: OrgTree | null, grants: readonly { role: Role; unitId: string | null }[]): { value: string; label: string }[] {
  if (!tree) return [];
  const own = grants.filter((g) => (ROLE_PERMISSIONS[g.role] as readonly Permission[]).includes('placement.rollover'));
  const everywhere = own.some((g) => g.unitId === null);
  const ids = new Set(own.map((g) => g.unitId).filter((x): x is string => x !== null));
  const out: { value: string; label: string }[] = [];
  for (const a of tree.administrations) {
    for (const u of a.units) {
      if (u.kind !== 'school_unit' || !u.schoolForms.some((f) => ROLLOVER_FORMS.has(f))) continue;
      if (everywhere || ids.has(a.id) || ids.has(u.id)) out.push({ value: u.id, label: u.name });
    }
  }
  // In the municipality country's alphabetical order, as the core sorts (shared/collation.ts).
  return sortByText(out, (o) => o.label, tree.municipality.country === 'NO' ? 'NO' : 'SE');
}

// ---------------------------------------------------------------------------------------------
// Lists
// ---------------------------------------------------------------------------------------------

export interface ListParams {
  unitId?: string;
  groupId?: string;
  date?: string;
  kind?: ListKind;
  contacts?: boolean;
}

/** The list a set of URL parameters asks for; null until a unit and a real date are chosen. */
export function listQueryFrom(p: ListParams, today: string): MethodInput<'list.get'> | null {
  if (!p.unitId) return null;
  const date = p.date ?? today;
  if (!isValidIsoDate(date)) return null;
  const q: MethodInput<'list.get'> = { unitId: p.unitId, date, kind: p.kind ?? 'enrolments', withContacts: p.contacts === true };
  if (p.groupId) q.groupId = p.groupId;
  return q;
}

export function listExportInput(q: MethodInput<'list.get'>, format: ListFormat, lang: Lang): MethodInput<'list.export'> {
  return { ...q, format, lang };
}

/** "kansli-klasslista-2026-08-17" for when the core names no file. */
export const fallbackListName = (kind: ListKind, date: string): string => `kansli-${kind === 'enrolments' ? 'class-list' : 'placement-list'}-${date}`;

/** The bytes of the core's base64 file content (atob exists in the renderer and in Node 20). */
export function base64Bytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64.replace(/\s+/g, ''));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** One guardian's contact line: "070-123 45 67, anna@example.se" (empty when none). */
export const contactLine = (g: Pick<ListRow['guardians'][number], 'phones' | 'emails'>): string => [...g.phones, ...g.emails].join(', ');
