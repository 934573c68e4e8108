/**
 * The FOI screens' pure logic (no JSX): which kinds and tabs a municipality has, how a request's deadline
 * reads in the list, the request form's values, checks and calls, where the core's refusals land, and which
 * status moves need a question first. Values come from shared/domain/foi (zod-free); the contract's types
 * from shared/api/foi (types only).
 */
import type { MethodInput, MethodOutput } from '../../../../shared/api/contract';
import type { FoiRequestSummary, FoiRequestView } from '../../../../shared/api/foi';
import type { ApiError } from '../../../../shared/api/transport';
import {
  FOI_FILTERS,
  FOI_FINISHED,
  FOI_KINDS_BY_COUNTRY,
  FOI_LIMITS,
  FOI_REOPENING,
  type FoiChannel,
  type FoiDeadlineState,
  type FoiFilter,
  type FoiKind,
  type FoiLanguage,
  type FoiPersonRole,
  type FoiRequesterKind,
  type FoiStatus,
  type FoiVerification,
} from '../../../../shared/domain/foi';
import { REVEAL_REASON_MIN } from '../../../../shared/domain/access';
import { mapApiError, type FieldError, type FieldErrors, type MappedError } from '../../kit/errors';
import { isValidIsoDate } from '../../lib/format';
import type { TKey } from '../../lib/i18n';
import type { Country } from '../../lib/domain';

export type Msg = FieldError;

// ---------------------------------------------------------------------------------------------
// The municipality's kinds and the dashboard's tabs
// ---------------------------------------------------------------------------------------------

/** The kinds this country's municipality receives (Sweden: public documents and GDPR; Norway: innsyn and GDPR). */
export function kindsFor(country: Country): readonly FoiKind[] {
  return FOI_KINDS_BY_COUNTRY[country];
}

/** The language a decision letter is written in unless the requester asks for another: the country's. */
export function defaultLanguage(country: Country): FoiLanguage {
  return country === 'NO' ? 'nb' : 'sv';
}

/**
 * The dashboard's tabs: every filter, except "counts as refused" (a Norwegian rule) in a Swedish municipality
 * where nothing counts as refused. The tab in view always stays (an address may name it).
 */
export function visibleFilters(country: Country, counts: Partial<Record<FoiFilter, number>> | null, current: FoiFilter): FoiFilter[] {
  return FOI_FILTERS.filter((f) => f !== 'deemed_refused' || country === 'NO' || (counts?.deemed_refused ?? 0) > 0 || current === f);
}

export const FOI_PAGE_SIZE = 100;

// ---------------------------------------------------------------------------------------------
// A request in the list
// ---------------------------------------------------------------------------------------------

export type Tone = 'ok' | 'info' | 'warn' | 'neutral' | 'danger';

export const DEADLINE_TONE: Record<FoiDeadlineState, Tone> = {
  open: 'info',
  due_today: 'warn',
  overdue: 'danger',
  deemed_refused: 'danger',
  decided: 'ok',
  decided_late: 'warn',
};

export const STATUS_TONE: Record<FoiStatus, Tone> = {
  registered: 'neutral',
  gathering: 'info',
  review: 'info',
  decision: 'warn',
  decided: 'ok',
  closed: 'neutral',
  withdrawn: 'neutral',
};

/** How a request's deadline reads: its state and the one day that matters in that state. */
export interface DeadlineCell {
  state: FoiDeadlineState;
  tone: Tone;
  /** The date line's message (its `date` is ISO; the screen formats it). */
  line: { key: TKey; date: string } | null;
}

/**
 * Before the target: the target; due: the last day in time; overdue: the last day that was; counts as
 * refused: the day it began to; decided: the decision's day. A request closed or withdrawn without a
 * decision has no running deadline (null).
 */
export function deadlineCell(r: Pick<FoiRequestSummary, 'status' | 'decidedOn' | 'deadlines'>): DeadlineCell | null {
  const d = r.deadlines;
  const state = d.state;
  if ((state === 'decided' || state === 'decided_late') && r.decidedOn) return { state, tone: DEADLINE_TONE[state], line: { key: 'foi.stateDate.decided', date: r.decidedOn } };
  if (FOI_FINISHED.has(r.status) && !r.decidedOn) return null;
  switch (state) {
    case 'open':
      return { state, tone: DEADLINE_TONE[state], line: { key: 'foi.stateDate.target', date: d.target } };
    case 'due_today':
      return { state, tone: DEADLINE_TONE[state], line: { key: 'foi.stateDate.final', date: d.final } };
    case 'overdue':
      return { state, tone: DEADLINE_TONE[state], line: { key: 'foi.stateDate.overdue', date: d.final } };
    case 'deemed_refused':
      return { state, tone: DEADLINE_TONE[state], line: d.deemedRefusedOn ? { key: 'foi.stateDate.deemedRefused', date: d.deemedRefusedOn } : null };
    default:
      return { state, tone: DEADLINE_TONE[state], line: null };
  }
}

/** A person as the officer may see them: the name, or (a protected person without `protected.reveal`) null. */
export interface PersonRef {
  id: string;
  name: string | null;
  protected: boolean;
}

/** The words for a requester in the list: their name, "anonymous", or the protected label when the name is withheld. */
export function requesterText(r: Pick<FoiRequestSummary, 'requesterKind' | 'requesterName'>, t: (k: TKey) => string): string {
  if (r.requesterName) return r.requesterName;
  return t(r.requesterKind === 'anonymous' ? 'foi.anonymous' : 'foi.protectedPerson');
}

export function personText(p: PersonRef, t: (k: TKey) => string): string {
  return p.name ?? t('foi.protectedPerson');
}

/** The first `max` persons concerned, and how many more there are. */
export function shownPersons<P>(persons: readonly P[], max = 3): { shown: P[]; more: number } {
  return { shown: persons.slice(0, max), more: Math.max(0, persons.length - max) };
}

// ---------------------------------------------------------------------------------------------
// The request form (new and edit)
// ---------------------------------------------------------------------------------------------

export interface PersonLinkValue {
  personId: string;
  role: FoiPersonRole;
  /** For the list in the form (not sent). */
  name: string | null;
  protected: boolean;
}

export interface RequestValues {
  kind: FoiKind;
  receivedOn: string;
  channel: FoiChannel;
  registryNumber: string;
  requesterKind: FoiRequesterKind;
  requesterName: string;
  requesterContact: string;
  requesterPersonId: string | null;
  /** The chosen requester has protected details: no contact may be typed (not sent). */
  requesterProtected: boolean;
  /** The chosen requester's name, for the persons list when they are the subject (not sent). */
  requesterPersonName: string | null;
  identityVerified: FoiVerification | '';
  identityVerifiedOn: string;
  language: FoiLanguage;
  askedFor: string;
  assigneeId: string;
  persons: PersonLinkValue[];
}

/** The requester kinds a kind allows: no anonymous subject-access request. */
export function requesterKindsFor(kind: FoiKind): FoiRequesterKind[] {
  return kind === 'gdpr_access' ? ['subject', 'guardian', 'named'] : ['anonymous', 'named', 'subject', 'guardian'];
}

/** A requester in the register (the subject, a guardian) is chosen there and verified. */
export const inRegister = (k: FoiRequesterKind): boolean => k === 'subject' || k === 'guardian';

/** A new request: the country's first kind, received today, by e-mail, anonymous (GDPR: the subject), assigned to the signed-in officer. */
export function newRequestValues(country: Country, today: string, assigneeId: string | null): RequestValues {
  const kind = kindsFor(country)[0]!;
  return {
    kind,
    receivedOn: today,
    channel: 'email',
    registryNumber: '',
    requesterKind: requesterKindsFor(kind)[0]!,
    requesterName: '',
    requesterContact: '',
    requesterPersonId: null,
    requesterProtected: false,
    requesterPersonName: null,
    identityVerified: '',
    identityVerifiedOn: '',
    language: defaultLanguage(country),
    askedFor: '',
    assigneeId: assigneeId ?? '',
    persons: [],
  };
}

/** The form's values for a request as stored (the edit dialog). */
export function requestValuesOf(r: FoiRequestView): RequestValues {
  return {
    kind: r.kind,
    receivedOn: r.receivedOn,
    channel: r.channel,
    registryNumber: r.registryNumber ?? '',
    requesterKind: r.requesterKind,
    requesterName: inRegister(r.requesterKind) ? '' : (r.requesterName ?? ''),
    requesterContact: r.requesterContact ?? '',
    requesterPersonId: r.requesterPerson?.id ?? null,
    requesterProtected: r.requesterPerson?.protected ?? false,
    requesterPersonName: r.requesterPerson?.name ?? null,
    identityVerified: r.identityVerified ?? '',
    identityVerifiedOn: r.identityVerifiedOn ?? '',
    language: r.language,
    askedFor: r.askedFor,
    assigneeId: r.assigneeId ?? '',
    persons: [],
  };
}

/**
 * The values when the kind changes: a subject-access request cannot be anonymous (the subject then), and the
 * persons' role that fits the kind is proposed by the form.
 */
export function withKind(v: RequestValues, kind: FoiKind): Partial<RequestValues> {
  const kinds = requesterKindsFor(kind);
  return { kind, ...(kinds.includes(v.requesterKind) ? {} : { requesterKind: kinds[0]! }) };
}

/** The values when the requester kind changes: what belongs only to the other kind is cleared. */
export function withRequesterKind(v: RequestValues, requesterKind: FoiRequesterKind): Partial<RequestValues> {
  const was = inRegister(v.requesterKind);
  const now = inRegister(requesterKind);
  return {
    requesterKind,
    ...(requesterKind === 'anonymous' ? { requesterName: '' } : {}),
    ...(was !== now || requesterKind === 'anonymous'
      ? { requesterPersonId: null, requesterProtected: false, requesterPersonName: null, identityVerified: '' as const, identityVerifiedOn: '' }
      : {}),
  };
}

/** The role the persons picker proposes next: the subject of a subject-access request until there is one, else a listed or other person. */
export function nextPersonRole(v: Pick<RequestValues, 'kind' | 'persons' | 'requesterKind'>): FoiPersonRole {
  if (v.kind === 'gdpr_access') return v.requesterKind !== 'subject' && !v.persons.some((p) => p.role === 'subject') ? 'subject' : 'other';
  return 'listed';
}

/** The form's own checks (the rules between fields are the core's, and land where it names them). */
export function validateRequest(v: RequestValues, today: string): FieldErrors {
  const e: FieldErrors = {};
  if (!v.receivedOn.trim()) e.receivedOn = { key: 'validation.required' };
  else if (!isValidIsoDate(v.receivedOn)) e.receivedOn = { key: 'validation.date_invalid' };
  else if (v.receivedOn > today) e.receivedOn = { key: 'foi.rule.foi_received_future' };
  if (v.registryNumber.trim().length > FOI_LIMITS.registryNumber) e.registryNumber = { key: 'validation.too_long' };
  if (v.requesterKind === 'named' && !v.requesterName.trim()) e.requesterName = { key: 'foi.form.nameRequired' };
  if (v.requesterName.trim().length > FOI_LIMITS.name) e.requesterName = { key: 'validation.too_long' };
  if (v.requesterContact.trim().length > FOI_LIMITS.contact) e.requesterContact = { key: 'validation.too_long' };
  if (inRegister(v.requesterKind)) {
    if (!v.requesterPersonId) e.requesterPersonId = { key: 'foi.form.personRequired' };
    if (v.identityVerified && !v.identityVerifiedOn.trim()) e.identityVerifiedOn = { key: 'foi.form.verifiedOnRequired' };
  }
  if (v.identityVerifiedOn.trim()) {
    if (!isValidIsoDate(v.identityVerifiedOn)) e.identityVerifiedOn = { key: 'validation.date_invalid' };
    else if (v.identityVerifiedOn > today) e.identityVerifiedOn = { key: 'foi.form.verifiedFuture' };
    else if (!v.identityVerified) e.identityVerified = { key: 'foi.form.verifiedHowRequired' };
  }
  if (!v.askedFor.trim()) e.askedFor = { key: 'validation.required' };
  else if (v.askedFor.trim().length > FOI_LIMITS.askedFor) e.askedFor = { key: 'validation.too_long' };
  return e;
}

/** The persons sent with a new request: the ones listed, and a requester who is the subject as the subject. */
export function personsToSend(v: RequestValues): { personId: string; role: FoiPersonRole }[] {
  const out = v.persons.map((p) => ({ personId: p.personId, role: p.role }));
  if (v.kind === 'gdpr_access' && v.requesterKind === 'subject' && v.requesterPersonId && !out.some((p) => p.personId === v.requesterPersonId)) {
    out.unshift({ personId: v.requesterPersonId, role: 'subject' });
  }
  return out;
}

type RequestFields = Omit<MethodInput<'foi.requestUpdate'>, 'id' | 'version'>;

function requestFields(v: RequestValues): RequestFields {
  const registered = inRegister(v.requesterKind);
  const trimmed = (s: string) => (s.trim() ? s.trim() : null);
  return {
    registryNumber: trimmed(v.registryNumber),
    receivedOn: v.receivedOn,
    channel: v.channel,
    requesterKind: v.requesterKind,
    // A requester in the register is named by the register; an anonymous one has no name.
    requesterName: v.requesterKind === 'named' ? trimmed(v.requesterName) : null,
    // A protected requester's reply goes through the register's channel: no contact is ever sent.
    requesterContact: v.requesterProtected ? null : trimmed(v.requesterContact),
    requesterPersonId: registered ? v.requesterPersonId : null,
    identityVerified: registered && v.identityVerified ? v.identityVerified : null,
    identityVerifiedOn: registered && v.identityVerified && v.identityVerifiedOn.trim() ? v.identityVerifiedOn : null,
    language: v.language,
    askedFor: v.askedFor.trim(),
    assigneeId: v.assigneeId || null,
  };
}

export function toCreateInput(v: RequestValues): MethodInput<'foi.requestCreate'> {
  return { kind: v.kind, ...requestFields(v), persons: personsToSend(v) };
}

export function toUpdateInput(id: string, version: number, v: RequestValues): MethodInput<'foi.requestUpdate'> {
  return { id, version, ...requestFields(v) };
}

// ---------------------------------------------------------------------------------------------
// A class (or group) added to a request: its members on a day as listed persons
// ---------------------------------------------------------------------------------------------

export interface GroupAddValues {
  unitId: string | null;
  groupId: string | null;
  /** The day the class is taken as it was (ISO when valid; the request's received day to begin with). */
  on: string;
}

/** A class is added to a request for public documents only (a subject-access request concerns its subject: `foi_group_kind`). */
export const canAddGroup = (kind: FoiKind): boolean => kind !== 'gdpr_access';

export const groupAddValues = (receivedOn: string): GroupAddValues => ({ unitId: null, groupId: null, on: receivedOn });

/**
 * The dialog's own checks. `members` is how many the chosen group has on the day (its preview, protected
 * members counted), null while unknown: a group with nobody in it that day is refused on the group.
 */
export function validateGroupAdd(v: GroupAddValues, members: number | null): FieldErrors {
  const e: FieldErrors = {};
  if (!v.unitId) e.unitId = { key: 'foi.persons.unitRequired' };
  if (!v.groupId) e.groupId = { key: 'foi.persons.groupRequired' };
  if (!v.on.trim()) e.on = { key: 'validation.required' };
  else if (!isValidIsoDate(v.on)) e.on = { key: 'validation.date_invalid' };
  else if (v.groupId && members === 0) e.groupId = { key: 'foi.rule.foi_group_empty' };
  return e;
}

export type GroupAdded = MethodOutput<'foi.requestGroupAdd'>;

/**
 * What the page says after a class was added: how many were added (or none new, or nobody in the class that
 * day), how many were concerned already, and how many are protected, counted and never named (their identity
 * is proposed withheld when the request is gathered). `date` is the day as the screen writes it.
 */
export function groupAddNotice(r: GroupAdded, group: string, date: string): { msg: Msg; lines: Msg[]; tone: 'ok' | 'warn' } {
  if (r.added + r.already === 0) return { msg: { key: 'foi.persons.groupEmpty', vars: { group, date } }, lines: [], tone: 'warn' };
  const msg: Msg = r.added > 0 ? { key: 'foi.persons.groupAdded', vars: { count: r.added, group } } : { key: 'foi.persons.groupNoneNew', vars: { group } };
  const lines: Msg[] = [];
  if (r.already > 0) lines.push({ key: 'foi.persons.groupAlready', vars: { count: r.already } });
  if (r.protected > 0) lines.push({ key: 'foi.persons.groupProtected', vars: { count: r.protected } });
  return { msg, lines, tone: 'ok' };
}

// ---------------------------------------------------------------------------------------------
// The core's refusals
// ---------------------------------------------------------------------------------------------

/**
 * Every rule id the FOI methods refuse with (shared/api/foi.ts's doc comments, and the core's own two:
 * a guardian shielded from the child, a finished request), each with a message `foi.rule.<id>`.
 */
export const FOI_RULES = [
  'foi_kind_country',
  'foi_anonymous_kind',
  'foi_requester_person',
  'foi_subject_required',
  'foi_not_guardian',
  'foi_protected_contact',
  'foi_received_future',
  'foi_assignee',
  'foi_move',
  'foi_reason_required',
  'foi_identity_unverified',
  'foi_decided_on',
  'foi_extension_kind',
  'foi_extension_late',
  'foi_extension_unavailable',
  'foi_extension_done',
  'foi_person_twice',
  'foi_guardian_shielded',
  'foi_finished',
  // A class added to a request (foi.requestGroupAdd): only to a public-document request; nobody in it that day.
  'foi_group_kind',
  'foi_group_empty',
  // The secrecy review (foi.review, foi.reviewAccept, foi.extract, the move to the decision).
  'foi_ground_required',
  'foi_ground_invalid',
  'foi_merinnsyn_required',
  'foi_reveal_reason',
  'foi_item_gone',
  'foi_region_page',
  'foi_not_document',
  'foi_review_incomplete',
  // The decision letter: a request granted in full needs none (the extract is the answer).
  'foi_granted_in_full',
] as const;
export type FoiRule = (typeof FOI_RULES)[number];
const isFoiRule = (r: unknown): r is FoiRule => typeof r === 'string' && (FOI_RULES as readonly string[]).includes(r);

/** Where a rule speaks when the core names no field (or one the form does not show). */
const RULE_FIELD: Partial<Record<FoiRule, string>> = {
  foi_kind_country: 'kind',
  foi_anonymous_kind: 'requesterKind',
  foi_requester_person: 'requesterPersonId',
  foi_subject_required: 'persons',
  foi_not_guardian: 'requesterPersonId',
  foi_protected_contact: 'requesterContact',
  foi_received_future: 'receivedOn',
  foi_assignee: 'assigneeId',
  foi_reason_required: 'reason',
  foi_identity_unverified: 'identityVerified',
  foi_decided_on: 'decidedOn',
  foi_extension_late: 'noticeOn',
  foi_person_twice: 'personId',
  foi_group_kind: 'groupId',
  foi_group_empty: 'on',
  foi_guardian_shielded: 'requesterPersonId',
  foi_ground_required: 'ground',
  foi_ground_invalid: 'ground',
  foi_merinnsyn_required: 'merinnsyn',
  foi_reveal_reason: 'revealReason',
};

/**
 * A rule's message with what the core said about it: the review's gaps counted, the reveal's shortest
 * reason, a document's pages.
 */
function ruleMsg(e: ApiError, rule: FoiRule): Msg {
  // The day the identity was verified is refused by the same rule as the day received, in its own words.
  if (rule === 'foi_received_future' && e.field === 'identityVerifiedOn') return { key: 'foi.form.verifiedFuture' };
  if (rule === 'foi_reveal_reason') return { key: 'foi.rule.foi_reveal_reason', vars: { min: REVEAL_REASON_MIN } };
  const d = e.details ?? {};
  if (rule === 'foi_review_incomplete' && typeof d.unreviewed === 'number' && typeof d.stale === 'number') {
    return { key: 'foi.rule.foi_review_incomplete.details', vars: { unreviewed: d.unreviewed, stale: d.stale } };
  }
  if (rule === 'foi_region_page' && typeof d.pages === 'number') return { key: 'foi.rule.foi_region_page.details', vars: { pages: d.pages } };
  return { key: `foi.rule.${rule}` };
}

/** The core's field paths → the request form's fields ("persons.2.personId" → the persons list). */
export function requestField(path: string): string {
  if (path.startsWith('persons')) return 'persons';
  if (path === 'extension.noticeOn') return 'noticeOn';
  return path.split('.')[0]!;
}

/**
 * A refusal of a FOI method → where a form shows it: the FOI rules in their own words on the field the core
 * names (or the field the rule is about), when the form shows it, else at the top; everything else as the
 * form kit maps it.
 */
export function mapFoiError(e: ApiError, fields: readonly string[]): MappedError {
  const shown = (path: string | undefined): string | null => {
    if (!path) return null;
    if (fields.includes(path)) return path;
    const f = requestField(path);
    return fields.includes(f) ? f : null;
  };
  if (e.code === 'rule_violation' && isFoiRule(e.rule)) {
    const msg = ruleMsg(e, e.rule);
    const f = shown(e.field) ?? shown(RULE_FIELD[e.rule]);
    return f ? { fields: { [f]: msg }, top: [] } : { fields: {}, top: [msg] };
  }
  return mapApiError(e, () => false, { fieldOf: shown });
}

/** A whole-call refusal (a status move from a button) as one message. */
export const foiErrorMsg = (e: ApiError): Msg => mapFoiError(e, []).top[0] ?? { key: 'error.saveFailed' };

// ---------------------------------------------------------------------------------------------
// Status moves and the extension
// ---------------------------------------------------------------------------------------------

/** What a move asks before it is made: a reason (reopening, withdrawing), the decision's day, or nothing. */
export type MoveQuestion = 'reopen' | 'withdraw' | 'decide' | null;

export function moveQuestion(from: FoiStatus, to: FoiStatus): MoveQuestion {
  if (FOI_REOPENING.has(`${from}>${to}`)) return 'reopen';
  if (to === 'withdrawn') return 'withdraw';
  if (to === 'decided') return 'decide';
  return null;
}

/** The button's (and the palette's) words for a move: a reopening says so, and so does a step back. */
export function moveLabel(from: FoiStatus, to: FoiStatus): TKey {
  if (FOI_REOPENING.has(`${from}>${to}`)) return to === 'review' ? 'foi.move.reopen.review' : 'foi.move.reopen.registered';
  // From review back to gathering is a step back (not "start gathering", which reads like the Gather action).
  if (from === 'review' && to === 'gathering') return 'foi.move.back.gathering';
  return `foi.move.to.${to}`;
}

/** The moves shown as buttons: forward first, a withdrawal last (it ends the work). */
export function orderedMoves(moves: readonly FoiStatus[]): FoiStatus[] {
  const rank = (s: FoiStatus) => (s === 'withdrawn' ? 2 : 0);
  return [...moves].sort((a, b) => rank(a) - rank(b));
}

/** GDPR art. 12(3): an extension can be given while its notice day is open and none was given; not once decided. */
export function canExtend(r: Pick<FoiRequestView, 'kind' | 'status' | 'deadlines'>): boolean {
  return r.kind === 'gdpr_access' && r.deadlines.extensionNoticeBy !== null && !r.deadlines.extended && !FOI_FINISHED.has(r.status);
}

// ---------------------------------------------------------------------------------------------
// A request's deadlines in words
// ---------------------------------------------------------------------------------------------

/**
 * The deadlines explained, a sentence each: decided (in time or late), no longer running (closed or
 * withdrawn without a decision), or the kind's rule with its days; for a GDPR request also whether and until
 * when the period can be extended, or that it was. `day` formats a date; `status` names a status.
 */
export function explainDeadlines(
  r: Pick<FoiRequestView, 'kind' | 'status' | 'decidedOn' | 'deadlines' | 'extensionNoticeOn'>,
  day: (iso: string) => string,
  status: (s: FoiStatus) => string,
): Msg[] {
  const d = r.deadlines;
  if (r.decidedOn) {
    const late = d.state === 'decided_late' || r.decidedOn > d.final;
    return [late ? { key: 'foi.explain.decided_late', vars: { date: day(r.decidedOn), final: day(d.final) } } : { key: 'foi.explain.decided', vars: { date: day(r.decidedOn) } }];
  }
  if (FOI_FINISHED.has(r.status)) return [{ key: 'foi.explain.finished', vars: { status: status(r.status).toLocaleLowerCase() } }];
  const out: Msg[] = [];
  if (r.kind === 'se_public_document') out.push({ key: 'foi.explain.se_public_document', vars: { target: day(d.target), final: day(d.final), overdueFrom: d.overdueFrom ? day(d.overdueFrom) : '' } });
  else if (r.kind === 'no_innsyn') out.push({ key: 'foi.explain.no_innsyn', vars: { target: day(d.target), final: day(d.final), deemedRefusedOn: d.deemedRefusedOn ? day(d.deemedRefusedOn) : '' } });
  else {
    if (d.extended) out.push({ key: 'foi.explain.gdprExtended', vars: { noticeOn: r.extensionNoticeOn ? day(r.extensionNoticeOn) : '', final: day(d.final) } });
    else {
      out.push({ key: 'foi.explain.gdpr_access', vars: { final: day(d.final), overdueFrom: d.overdueFrom ? day(d.overdueFrom) : '' } });
      if (d.extensionNoticeBy) out.push({ key: 'foi.explain.gdprExtendable', vars: { date: day(d.extensionNoticeBy) } });
    }
  }
  return out;
}
