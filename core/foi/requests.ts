/**
 * The request register (issue 13; docs/foi.md "Requests"): freedom-of-information and subject-access
 * requests with their requester, the persons concerned, the assignee, the status and the deadlines that
 * follow from the kind, the day received and the municipality's rules and calendar (deadlines.ts).
 *
 * Every rule a request keeps is checked here, on create and on every change, so the same rules hold on a
 * workstation and on the central server (which runs this code on its replica):
 * - the kind is one the municipality's country has (`foi_kind_country`); the day received is not in the
 *   future (`foi_received_future`);
 * - the requester: anonymous only for the public-document kinds (`foi_anonymous_kind`), and then without a
 *   name or register person; a subject or a guardian is a person in the register (`foi_requester_person`);
 *   a guardian asks only about children in their custody who are not shielded from them (`foi_not_guardian`,
 *   `foi_guardian_shielded`);
 * - a contact is never typed for a protected or shielded requester (`foi_protected_contact`): the reply goes
 *   through the register's protected channel, and a contact stored before a protection began is shown to
 *   nobody without `protected.reveal` for the person (nor sent to their caches: the projection);
 * - a subject-access request names its subject (`foi_subject_required`);
 * - the assignee holds foi.write for the whole municipality (`foi_assignee`).
 * Status moves follow FOI_MOVES; nothing is decided before review, a subject's or guardian's identity is
 * verified before review, and deciding takes `foi.decide`.
 *
 * Names of protected persons are shown (like the register's lists) only to a user who may reveal them; the
 * others see that a protected person is concerned, not who.
 */
import { createHash } from 'node:crypto';
import type { PersonScope } from '../access/scope';
import { scopeOf } from '../access/scope';
import type { Actor, CoreContext } from '../context';
import { DomainError, ruleViolation } from '../../shared/api/errors';
import { foiCalendar, type FoiCalendar, type FoiRequestSummary, type FoiRequestView } from '../../shared/api/foi';
import { ROLE_PERMISSIONS, type Role } from '../../shared/domain/access';
import { collationKey } from '../../shared/collation';
import {
  FOI_FINISHED,
  FOI_MOVES,
  FOI_REOPENING,
  type FoiFilter,
  type FoiKind,
  type FoiPersonRole,
  type FoiRequesterKind,
  type FoiStatus,
  type FoiVerification,
} from '../../shared/domain/foi';
import { DEFAULT_FOI_DEADLINE_RULES, FOI_KIND_COUNTRIES, deadlineState, foiDeadlineRules, requestDeadlines, type FoiDeadlineRules, type FoiDeadlines } from './deadlines';
import type { Country, WorkingDayOptions } from './holidays';

// ---------- rules and calendar (app_meta, travelling as settings) ----------

export const FOI_RULES_KEY = 'foi.rules';
export const FOI_CALENDAR_KEY = 'foi.calendar';
export const DEFAULT_FOI_CALENDAR: FoiCalendar = { closedDays: [], closedEves: true };

export interface FoiConfig {
  country: Country;
  rules: FoiDeadlineRules;
  calendar: FoiCalendar;
  defaults: boolean;
}

export function countryOf(ctx: CoreContext): Country {
  return ctx.sqlite.prepare('SELECT country FROM municipality LIMIT 1').pluck().get() === 'NO' ? 'NO' : 'SE';
}

/** The stored rules and calendar, or the law's defaults. A stored value that does not parse is an error, never a silent default. */
export function foiConfig(ctx: CoreContext): FoiConfig {
  const get = (key: string) => (ctx.sqlite.prepare('SELECT value FROM app_meta WHERE key = ?').pluck().get(key) as string | undefined) ?? null;
  const rulesRaw = get(FOI_RULES_KEY);
  const calRaw = get(FOI_CALENDAR_KEY);
  return {
    country: countryOf(ctx),
    rules: rulesRaw ? foiDeadlineRules.parse(JSON.parse(rulesRaw)) : DEFAULT_FOI_DEADLINE_RULES,
    calendar: calRaw ? foiCalendar.parse(JSON.parse(calRaw)) : DEFAULT_FOI_CALENDAR,
    defaults: !rulesRaw && !calRaw,
  };
}

/** The version of the rules as read: a hash of the values in force, the same on every workstation and the server. */
export function foiRulesVersion(c: Pick<FoiConfig, 'rules' | 'calendar' | 'defaults'>): string {
  return createHash('sha256').update(JSON.stringify({ rules: c.rules, calendar: c.calendar, defaults: c.defaults })).digest('hex').slice(0, 32);
}

/** Stores the rules and calendar (inside the caller's transaction); the closed days sorted, each once. */
export function setFoiConfig(ctx: CoreContext, rules: FoiDeadlineRules, calendar: FoiCalendar): void {
  const put = ctx.sqlite.prepare('INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  put.run(FOI_RULES_KEY, JSON.stringify(rules));
  put.run(FOI_CALENDAR_KEY, JSON.stringify({ ...calendar, closedDays: [...new Set(calendar.closedDays)].sort() }));
}

export function calendarOptions(c: FoiCalendar): WorkingDayOptions {
  return { extraClosedDays: c.closedDays, closedEves: c.closedEves };
}

// ---------- rows ----------

export interface RequestRow {
  id: string;
  version: number;
  registry_number: string | null;
  kind: FoiKind;
  received_on: string;
  channel: FoiRequestSummary['channel'];
  requester_kind: FoiRequesterKind;
  requester_name: string | null;
  requester_contact: string | null;
  requester_person_id: string | null;
  identity_verified: FoiVerification | null;
  identity_verified_on: string | null;
  language: FoiRequestView['language'];
  asked_for: string;
  assignee_id: string | null;
  assignee_name: string | null;
  status: FoiStatus;
  status_reason: string | null;
  extension_notice_on: string | null;
  extension_reason: string | null;
  extension_months: number | null;
  decided_on: string | null;
  decided_by: string | null;
  decided_by_name: string | null;
  closed_on: string | null;
  created_at: string;
  created_by_name: string | null;
}

interface LinkRow {
  id: string;
  version: number;
  request_id: string;
  person_id: string;
  role: FoiPersonRole;
  given_name: string;
  family_name: string;
  protection: string;
  shielded: number;
}

const REQUEST_SELECT = `SELECT r.id, r.version, r.registry_number, r.kind, r.received_on, r.channel, r.requester_kind, r.requester_name,
    r.requester_contact, r.requester_person_id, r.identity_verified, r.identity_verified_on, r.language, r.asked_for, r.assignee_id,
    a.display_name AS assignee_name, r.status, r.status_reason, r.extension_notice_on, r.extension_reason, r.extension_months, r.decided_on, r.decided_by,
    d.display_name AS decided_by_name, r.closed_on, r.created_at, c.display_name AS created_by_name
  FROM foi_request r
  LEFT JOIN user_account a ON a.id = r.assignee_id
  LEFT JOIN user_account d ON d.id = r.decided_by
  LEFT JOIN user_account c ON c.id = r.created_by`;

const LINK_SELECT = `SELECT l.id, l.version, l.request_id, l.person_id, l.role, p.given_name, p.family_name, p.protection, p.shielded
  FROM foi_request_person l JOIN person p ON p.id = l.person_id
  WHERE l.deleted_at IS NULL`;

export function requestRow(ctx: CoreContext, id: string, field = 'id'): RequestRow {
  const r = ctx.sqlite.prepare(`${REQUEST_SELECT} WHERE r.id = ?`).get(id) as RequestRow | undefined;
  if (!r) throw new DomainError('not_found', 'No such request', field);
  return r;
}

/** The live links of some requests (null: of every request), each request's in name order. */
function linksOf(ctx: CoreContext, requestIds: readonly string[] | null): LinkRow[] {
  if (requestIds === null) return ctx.sqlite.prepare(`${LINK_SELECT} ORDER BY l.request_id, p.sort_key, l.id`).all() as LinkRow[];
  if (requestIds.length === 0) return [];
  return ctx.sqlite.prepare(`${LINK_SELECT} AND l.request_id IN (SELECT value FROM json_each(?)) ORDER BY l.request_id, p.sort_key, l.id`).all(JSON.stringify(requestIds)) as LinkRow[];
}

interface PersonFacts {
  id: string;
  given_name: string;
  family_name: string;
  protection: string;
  shielded: number;
}

function personFacts(ctx: CoreContext, id: string): PersonFacts | null {
  return (ctx.sqlite.prepare('SELECT id, given_name, family_name, protection, shielded FROM person WHERE id = ? AND deleted_at IS NULL').get(id) as PersonFacts | undefined) ?? null;
}

const withheld = (p: Pick<PersonFacts, 'protection' | 'shielded'>) => p.protection !== 'none' || p.shielded === 1;

// ---------- views ----------

/** An unnamed person's place among a request's unnamed persons: a hash that says nothing about them. */
export const unnamedKey = (requestId: string, personId: string): string => createHash('sha256').update(`${requestId}|${personId}`).digest('hex');

/**
 * Persons in the order a reader may see them listed: those they can name in the given (name) order, then the
 * ones they cannot, in an order that says nothing about them (a hash of the request and the person). A
 * protected pupil left in their alphabetical place ("Person 6" between Lundqvist and Olofsson) would give
 * their surname away to anyone who knows the class.
 */
export function unnamedLast<T>(items: readonly T[], requestId: string, personOf: (x: T) => string, named: (x: T) => boolean): T[] {
  const key = new Map<string, string>();
  const keyOf = (id: string) => {
    let k = key.get(id);
    if (k === undefined) key.set(id, (k = unnamedKey(requestId, id)));
    return k;
  };
  const known = items.filter(named);
  const unknown = items.filter((x) => !named(x)).sort((a, b) => {
    const [ka, kb] = [keyOf(personOf(a)), keyOf(personOf(b))];
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  return [...known, ...unknown];
}

/** Builds views for one actor: names of protected persons and contacts of withheld requesters as the actor may see them. */
export class RequestViews {
  private readonly config: FoiConfig;
  private readonly today: string;
  constructor(
    private readonly ctx: CoreContext,
    private readonly scope: PersonScope,
    private readonly actor: Actor,
  ) {
    this.config = foiConfig(ctx);
    this.today = ctx.clock.today();
  }

  get todayIso(): string {
    return this.today;
  }

  private mayReveal(personId: string): boolean {
    return this.scope.allows(this.actor, 'protected.reveal', personId);
  }

  personRef(p: { person_id?: string; id?: string; given_name: string; family_name: string; protection: string }): { id: string; name: string | null; protected: boolean } {
    const id = (p.person_id ?? p.id)!;
    const prot = p.protection !== 'none';
    return { id, name: prot && !this.mayReveal(id) ? null : `${p.family_name}, ${p.given_name}`, protected: prot };
  }

  deadlines(r: Pick<RequestRow, 'kind' | 'received_on' | 'extension_notice_on' | 'extension_months' | 'decided_on' | 'closed_on' | 'status'>): FoiDeadlines & { state: FoiRequestSummary['deadlines']['state'] } {
    // An extension keeps the months it was given with, whatever the rules say now.
    const rules = r.extension_months ? { ...this.config.rules, gdpr_access: { ...this.config.rules.gdpr_access, extensionMonths: r.extension_months } } : this.config.rules;
    const d = requestDeadlines(
      { kind: r.kind, country: this.config.country, receivedOn: r.received_on, extension: r.extension_notice_on ? { noticeOn: r.extension_notice_on } : null },
      rules,
      calendarOptions(this.config.calendar),
    );
    // A withdrawal ends the duty to answer the day it came; a decision the day it was made.
    const ended = r.decided_on ?? (r.status === 'withdrawn' ? r.closed_on : null);
    return { ...d, state: deadlineState(d, this.today, ended) };
  }

  summary(r: RequestRow, links: readonly LinkRow[], requester: PersonFacts | null): FoiRequestSummary {
    const d = this.deadlines(r);
    return {
      id: r.id,
      version: r.version,
      registryNumber: r.registry_number,
      kind: r.kind,
      receivedOn: r.received_on,
      channel: r.channel,
      requesterKind: r.requester_kind,
      requesterName: requester ? this.personRef(requester).name : r.requester_name,
      persons: unnamedLast(
        links.map((l) => this.personRef(l)),
        r.id,
        (p) => p.id,
        (p) => p.name !== null,
      ),
      assigneeId: r.assignee_id,
      assigneeName: r.assignee_name,
      status: r.status,
      decidedOn: r.decided_on,
      deadlines: {
        target: d.target,
        final: d.final,
        overdueFrom: d.overdueFrom,
        deemedRefusedOn: d.deemedRefusedOn,
        extended: d.extended,
        extensionNoticeBy: d.extensionNoticeBy,
        state: d.state,
      },
    };
  }

  view(r: RequestRow): FoiRequestView {
    const links = linksOf(this.ctx, [r.id]);
    const requester = r.requester_person_id ? personFacts(this.ctx, r.requester_person_id) : null;
    const s = this.summary(r, links, requester);
    // A contact typed before the requester's protection began is not shown without the right to reveal it.
    const contactHidden = requester !== null && withheld(requester) && !this.mayReveal(requester.id);
    return {
      ...s,
      requesterContact: contactHidden ? null : r.requester_contact,
      requesterPerson: requester ? this.personRef(requester) : null,
      identityVerified: r.identity_verified,
      identityVerifiedOn: r.identity_verified_on,
      language: r.language,
      askedFor: r.asked_for,
      extensionNoticeOn: r.extension_notice_on,
      extensionReason: r.extension_reason,
      decidedByName: r.decided_by_name,
      closedOn: r.closed_on,
      statusReason: r.status_reason,
      links: unnamedLast(
        links.map((l) => ({ id: l.id, version: l.version, role: l.role, person: this.personRef(l) })),
        r.id,
        (l) => l.person.id,
        (l) => l.person.name !== null,
      ),
      moves: movesFor(this.actor, r.status),
      createdAt: r.created_at,
      createdByName: r.created_by_name,
    };
  }

  /**
   * One dashboard tab: every request is read and its deadlines computed (a municipality has hundreds open,
   * a few thousand a year: ≈ 40 µs each), then filtered, counted and sorted by the nearest deadline.
   */
  list(filter: FoiFilter, mine: boolean, offset: number, limit: number): { items: FoiRequestSummary[]; total: number; counts: Record<FoiFilter, number>; persons: string[] } {
    const rows = (this.ctx.sqlite.prepare(`${REQUEST_SELECT} ORDER BY r.received_on, r.id`).all() as RequestRow[]).filter((r) => !mine || r.assignee_id === this.actor.id);
    const counts: Record<FoiFilter, number> = { due_today: 0, overdue: 0, deemed_refused: 0, review: 0, decision: 0, open: 0, all: 0 };
    const chosen: { r: RequestRow; final: string; open: boolean }[] = [];
    for (const r of rows) {
      const d = this.deadlines(r);
      const open = !FOI_FINISHED.has(r.status);
      const tabs: FoiFilter[] = ['all'];
      if (open) tabs.push('open');
      if (open && (d.state === 'due_today' || d.state === 'overdue' || d.state === 'deemed_refused')) tabs.push(d.state);
      if (r.status === 'review' || r.status === 'decision') tabs.push(r.status);
      for (const t of tabs) counts[t]++;
      if (tabs.includes(filter)) chosen.push({ r, final: d.final, open });
    }
    // Open requests first, nearest last day first; finished ones after, the latest received first.
    chosen.sort((a, b) => (a.open !== b.open ? (a.open ? -1 : 1) : a.open ? cmp(a.final, b.final) || cmp(a.r.received_on, b.r.received_on) || cmp(a.r.id, b.r.id) : cmp(b.r.received_on, a.r.received_on) || cmp(a.r.id, b.r.id)));
    const pageRows = chosen.slice(offset, offset + limit).map((c) => c.r);
    const links = groupBy(linksOf(this.ctx, pageRows.map((r) => r.id)), (l) => l.request_id);
    const requesters = new Map<string, PersonFacts | null>();
    for (const r of pageRows) if (r.requester_person_id && !requesters.has(r.requester_person_id)) requesters.set(r.requester_person_id, personFacts(this.ctx, r.requester_person_id));
    const items = pageRows.map((r) => this.summary(r, links.get(r.id) ?? [], r.requester_person_id ? (requesters.get(r.requester_person_id) ?? null) : null));
    const persons = new Set<string>();
    for (const i of items) for (const p of i.persons) persons.add(p.id);
    for (const id of requesters.keys()) persons.add(id);
    return { items, total: chosen.length, counts, persons: [...persons] };
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const l = m.get(k);
    if (l) l.push(x);
    else m.set(k, [x]);
  }
  return m;
}

/** The status moves open to the actor from `status`: none without foi.write; deciding only with foi.decide. */
export function movesFor(actor: Actor, status: FoiStatus): FoiStatus[] {
  return FOI_MOVES[status].filter((to) => mayMove(actor, status, to));
}

/**
 * Who may make a move: deciding takes foi.decide; every other move foi.write, but a decision-maker without
 * it may also send a request waiting for its decision back to review (municipality-wide grants both).
 */
export function mayMove(actor: Actor, from: FoiStatus, to: FoiStatus): boolean {
  const decides = scopeOf(actor, 'foi.decide') === 'all';
  if (to === 'decided') return decides && (scopeOf(actor, 'foi.write') === 'all' || from === 'decision');
  if (scopeOf(actor, 'foi.write') === 'all') return true;
  return decides && from === 'decision' && to === 'review';
}

export const isReopening = (from: FoiStatus, to: FoiStatus) => FOI_REOPENING.has(`${from}>${to}`);

/** The persons a request's audit entry names: the requester in the register and the persons concerned. */
export function requestPersons(ctx: CoreContext, r: Pick<RequestRow, 'id' | 'requester_person_id'>): string[] {
  const ids = linksOf(ctx, [r.id]).map((l) => l.person_id);
  if (r.requester_person_id) ids.unshift(r.requester_person_id);
  return [...new Set(ids)];
}

// ---------- checks ----------

export interface RequestFields {
  kind: FoiKind;
  registryNumber: string | null;
  receivedOn: string;
  channel: FoiRequestSummary['channel'];
  requesterKind: FoiRequesterKind;
  requesterName: string | null;
  requesterContact: string | null;
  requesterPersonId: string | null;
  identityVerified: FoiVerification | null;
  identityVerifiedOn: string | null;
  language: FoiRequestView['language'];
  askedFor: string;
  assigneeId: string | null;
}

const required = (field: string, message: string) => new DomainError('validation', message, field, [{ field, code: 'required', message }]);

/**
 * Checks a request's own fields (create and update) and returns the columns to store. `subjects` are the
 * persons concerned as subjects (for the guardian's custody check).
 */
export function checkRequest(ctx: CoreContext, f: RequestFields, subjects: readonly string[]): Record<string, unknown> {
  const today = ctx.clock.today();
  const country = countryOf(ctx);
  if (!FOI_KIND_COUNTRIES[f.kind].includes(country)) {
    throw ruleViolation('foi_kind_country', `foi_kind_country: a ${f.kind} request is not made in ${country === 'SE' ? 'Sweden' : 'Norway'}`, 'kind');
  }
  if (f.receivedOn > today) throw ruleViolation('foi_received_future', `foi_received_future: the day received (${f.receivedOn}) is after today (${today})`, 'receivedOn');
  if (f.identityVerifiedOn && f.identityVerifiedOn > today) throw ruleViolation('foi_received_future', `foi_received_future: the identity was verified on ${f.identityVerifiedOn}, after today`, 'identityVerifiedOn');
  if (f.identityVerifiedOn && !f.identityVerified) throw required('identityVerified', 'Say how the identity was verified');

  let requester: PersonFacts | null = null;
  if (f.requesterKind === 'anonymous') {
    if (f.kind === 'gdpr_access') throw ruleViolation('foi_anonymous_kind', 'foi_anonymous_kind: a subject-access request cannot be anonymous: the requester must be identified', 'requesterKind');
    if (f.requesterName) throw new DomainError('validation', 'An anonymous requester has no name', 'requesterName');
    if (f.requesterPersonId) throw ruleViolation('foi_requester_person', 'foi_requester_person: an anonymous requester is not a person in the register', 'requesterPersonId');
    if (f.identityVerified) throw new DomainError('validation', 'An anonymous requester is not verified', 'identityVerified');
  } else {
    if (f.requesterPersonId) {
      requester = personFacts(ctx, f.requesterPersonId);
      if (!requester) throw new DomainError('not_found', 'No such person', 'requesterPersonId');
    } else if (f.requesterKind === 'subject' || f.requesterKind === 'guardian') {
      throw ruleViolation('foi_requester_person', `foi_requester_person: a ${f.requesterKind === 'subject' ? 'data subject' : 'guardian'} asking is a person in the register: choose them`, 'requesterPersonId');
    } else if (!f.requesterName) {
      throw required('requesterName', 'A named requester needs a name');
    }
  }
  if (requester && withheld(requester) && f.requesterContact) {
    throw ruleViolation(
      'foi_protected_contact',
      'foi_protected_contact: the requester has a protected identity (or shares a protected person\'s home): no contact is recorded on the request; the answer goes through the register\'s protected channel',
      'requesterContact',
    );
  }
  if (f.requesterKind === 'guardian' && requester) checkCustody(ctx, requester.id, subjects, f.receivedOn);
  if (f.assigneeId) checkAssignee(ctx, f.assigneeId);
  return {
    kind: f.kind,
    registry_number: f.registryNumber,
    received_on: f.receivedOn,
    channel: f.channel,
    requester_kind: f.requesterKind,
    // A register person's name is read from the register, never copied (it would go stale).
    requester_name: requester ? null : f.requesterName,
    requester_contact: f.requesterContact,
    requester_person_id: requester?.id ?? null,
    identity_verified: f.identityVerified,
    identity_verified_on: f.identityVerified ? (f.identityVerifiedOn ?? today) : null,
    language: f.language,
    asked_for: f.askedFor,
    assignee_id: f.assigneeId,
  };
}

/**
 * A guardian asks about a child only with custody on the day the request came, and never when a court
 * decision shields the child from them.
 */
export function checkCustody(ctx: CoreContext, guardianId: string, children: readonly string[], on: string): void {
  const link = ctx.sqlite.prepare(
    `SELECT kind, shielded FROM guardianship WHERE child_id = ? AND guardian_id = ? AND deleted_at IS NULL AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)
     ORDER BY shielded DESC LIMIT 1`,
  );
  for (const child of children) {
    const g = link.get(child, guardianId, on, on) as { kind: string; shielded: number } | undefined;
    if (g?.shielded) {
      throw ruleViolation('foi_guardian_shielded', 'foi_guardian_shielded: a court decision shields this child from the guardian: the guardian receives nothing about the child', 'requesterPersonId');
    }
    if (!g || g.kind === 'annan_ansvarig') {
      throw ruleViolation('foi_not_guardian', `foi_not_guardian: the requester had no custody of a child concerned on ${on}`, 'requesterPersonId');
    }
  }
}

/** The accounts that may be assigned requests: active, holding foi.write for the whole municipality, by name. */
export function officers(ctx: CoreContext): { id: string; name: string }[] {
  const roles = (Object.keys(ROLE_PERMISSIONS) as Role[]).filter((r) => ROLE_PERMISSIONS[r].includes('foi.write'));
  const rows = ctx.sqlite
    .prepare(
      `SELECT DISTINCT u.id, u.display_name AS name FROM user_account u JOIN role_assignment ra ON ra.user_id = u.id
       WHERE u.disabled_at IS NULL AND ra.deleted_at IS NULL AND ra.unit_id IS NULL AND ra.role IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(roles)) as { id: string; name: string }[];
  // In the language's alphabetical order (Å, Ä, Ö after Z; Norway's Æ, Ø, Å), not by code point.
  const country = countryOf(ctx);
  const key = new Map(rows.map((r) => [r.id, collationKey(r.name, country)]));
  return rows.sort((a, b) => cmp(key.get(a.id)!, key.get(b.id)!) || cmp(a.id, b.id));
}

function checkAssignee(ctx: CoreContext, id: string): void {
  if (!officers(ctx).some((o) => o.id === id)) throw ruleViolation('foi_assignee', 'foi_assignee: a request is assigned only to an FOI officer (foi.write for the whole municipality)', 'assigneeId');
}

/** Checks the persons concerned of a new request: each in the register, each once. */
export function checkPersons(ctx: CoreContext, persons: readonly { personId: string; role: FoiPersonRole }[], field: (n: number) => string = (n) => `persons.${n}.personId`): void {
  const seen = new Set<string>();
  persons.forEach((p, n) => {
    if (seen.has(p.personId)) throw ruleViolation('foi_person_twice', 'foi_person_twice: the person is already concerned by the request', field(n));
    seen.add(p.personId);
    if (!personFacts(ctx, p.personId)) throw new DomainError('not_found', 'No such person', field(n));
  });
}

export function requireOpen(r: Pick<RequestRow, 'status'>): void {
  if (FOI_FINISHED.has(r.status)) throw ruleViolation('foi_finished', `foi_finished: the request is ${r.status}: reopen it first`, 'id');
}

export const subjectsOf = (ctx: CoreContext, requestId: string): string[] => linksOf(ctx, [requestId]).filter((l) => l.role === 'subject').map((l) => l.person_id);

