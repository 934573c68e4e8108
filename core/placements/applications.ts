/**
 * The preschool queue (domain.md §4): an application with ranked unit choices, an offer that is an
 * offered placement, the guardians' answer, and what the law promises the child (./guarantee.ts).
 *
 * Sweden, skollagen 8 kap. 14 §: a place within four months of the application (or from the wished start,
 * when that is later). Norway, barnehageloven § 16: the right to a place from August after an application
 * by the main admission's deadline. Periods and deadlines are configuration (placement rules), never
 * constants here, and "overdue" is derived from the clock on every read so it cannot drift.
 */
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import { FORM_FAMILY, PLACEMENT_FORMS, type applicationView, type PlacementForm } from '../../shared/api/care';
import type { MethodOutput, MethodParsedInput } from '../../shared/api/contract';
import { sortByText } from '../../shared/collation';
import { DomainError, ruleViolation } from '../../shared/api/errors';
import { canSeeProtected, scopeOf } from '../access/scope';
import type { Actor, CoreContext } from '../context';
import { collationCountry } from '../register/persons';
import { insertRecord, updateRecord, type Writer } from '../write/records';
import type { UnitFacts } from './checks';
import { insertPlacement, setPlacementState } from './placements';
import { guaranteeOf, type Guarantee } from './guarantee';
import { getPlacementRules } from './rules';

export { guaranteeDateOf } from './guarantee';

export type ApplicationView = z.infer<typeof applicationView>;
type AppStatus = ApplicationView['status'];

interface AppRow {
  id: string;
  child_id: string;
  school_form: PlacementForm;
  applied_on: string;
  wished_start: string;
  weekly_hours: number | null;
  status: AppStatus;
  note: string | null;
  version: number;
  created_at: string;
}
type UnitRow = UnitFacts;
interface ChoiceRow {
  rank: number;
  unit_id: string;
  unit_name: string;
}
export interface OfferRow {
  id: string;
  version: number;
  unit_id: string;
  unit_name: string;
  group_name: string | null;
  valid_from: string;
  answer_by: string | null;
}
interface PersonRow {
  id: string;
  given_name: string;
  family_name: string;
  birth_date: string | null;
  protection: string;
}
interface SiblingRow extends PersonRow {
  unit_id: string;
  unit_name: string;
}
interface Candidate {
  id: string;
  school_form: PlacementForm;
  applied_on: string;
  wished_start: string;
  birth_date: string | null;
  offer_start: string | null;
  status: AppStatus;
  /** Insertion order: the last tie-break, so a page never reshuffles between calls. */
  seq: number;
  protection: string;
  units: string;
}

const OPEN: readonly AppStatus[] = ['queued', 'offered'];
const isOpen = (s: AppStatus) => OPEN.includes(s);
/** Only daytime care is queued for; fritidshem and SFO follow the school enrolment instead. */
const QUEUE_FORMS = PLACEMENT_FORMS.filter((f) => FORM_FAMILY[f] === 'preschool');
const familyOf = (form: PlacementForm) => PLACEMENT_FORMS.filter((f) => FORM_FAMILY[f] === FORM_FAMILY[form]);
const nameOf = (p: { given_name: string; family_name: string }) => `${p.family_name}, ${p.given_name}`;
const CURRENT = (alias: string, at = '@today') =>
  `${alias}.deleted_at IS NULL AND ${alias}.valid_from <= ${at} AND (${alias}.valid_to IS NULL OR ${alias}.valid_to >= ${at})`;

function prepare(s: Database.Database) {
  return {
    person: s.prepare(`SELECT id, given_name, family_name, birth_date, protection FROM person WHERE id = ? AND deleted_at IS NULL`),
    unit: s.prepare(`SELECT id, name, kind, school_forms, opened_on, closed_on FROM org_unit WHERE id = ? AND deleted_at IS NULL`),
    get: s.prepare(
      `SELECT id, child_id, school_form, applied_on, wished_start, weekly_hours, status, note, version, created_at
       FROM application WHERE id = ? AND deleted_at IS NULL`,
    ),
    ofChild: s.prepare(
      `SELECT id, child_id, school_form, applied_on, wished_start, weekly_hours, status, note, version, created_at
       FROM application WHERE child_id = ? AND deleted_at IS NULL ORDER BY applied_on DESC, rowid DESC`,
    ),
    openOfForms: s.prepare(
      `SELECT school_form, applied_on, status FROM application
       WHERE child_id = ? AND deleted_at IS NULL AND status IN ('queued', 'offered') AND school_form IN (SELECT value FROM json_each(?)) LIMIT 1`,
    ),
    placedCovering: s.prepare(
      `SELECT p.school_form, p.valid_from, p.valid_to, u.name AS unit_name FROM placement p JOIN org_unit u ON u.id = p.unit_id
       WHERE p.child_id = @child AND p.state = 'accepted' AND p.school_form IN (SELECT value FROM json_each(@forms)) AND ${CURRENT('p', '@at')}
       LIMIT 1`,
    ),
    insertChoice: s.prepare(`INSERT INTO application_choice (application_id, rank, unit_id) VALUES (?, ?, ?)`),
    choices: s.prepare(
      `SELECT c.rank, c.unit_id, u.name AS unit_name FROM application_choice c JOIN org_unit u ON u.id = c.unit_id
       WHERE c.application_id = ? ORDER BY c.rank`,
    ),
    openOffer: s.prepare(
      `SELECT p.id, p.version, p.unit_id, u.name AS unit_name, g.name AS group_name, p.valid_from, p.answer_by
       FROM placement p JOIN org_unit u ON u.id = p.unit_id LEFT JOIN school_group g ON g.id = p.group_id
       WHERE p.application_id = ? AND p.state = 'offered' AND p.deleted_at IS NULL ORDER BY p.rowid DESC LIMIT 1`,
    ),
    acceptedPlacement: s.prepare(
      `SELECT id, unit_id FROM placement WHERE application_id = ? AND state = 'accepted' AND deleted_at IS NULL ORDER BY rowid DESC LIMIT 1`,
    ),
    /** Units an application involves: its choices and the unit of a live (offered or accepted) placement from it. */
    units: s.prepare(
      `SELECT unit_id FROM application_choice WHERE application_id = @id
       UNION SELECT unit_id FROM placement WHERE application_id = @id AND state <> 'declined' AND deleted_at IS NULL`,
    ),
    candidates: s.prepare(
      `SELECT a.id, a.rowid AS seq, a.school_form, a.applied_on, a.wished_start, a.status, p.protection, p.birth_date,
         (SELECT pl.valid_from FROM placement pl WHERE pl.application_id = a.id AND pl.state = 'offered' AND pl.deleted_at IS NULL
          ORDER BY pl.rowid DESC LIMIT 1) AS offer_start,
         (SELECT json_group_array(unit_id) FROM (
            SELECT c.unit_id FROM application_choice c WHERE c.application_id = a.id
            UNION SELECT pl.unit_id FROM placement pl WHERE pl.application_id = a.id AND pl.state <> 'declined' AND pl.deleted_at IS NULL)) AS units
       FROM application a JOIN person p ON p.id = a.child_id
       WHERE a.deleted_at IS NULL AND p.deleted_at IS NULL AND (@all = 1 OR a.status IN ('queued', 'offered'))`,
    ),
    siblings: s.prepare(
      `WITH gs AS (SELECT g.guardian_id FROM guardianship g WHERE g.child_id = @child AND ${CURRENT('g')}),
       sibs AS (SELECT DISTINCT g.child_id AS id FROM guardianship g
                WHERE g.guardian_id IN (SELECT guardian_id FROM gs) AND g.child_id <> @child AND ${CURRENT('g')}),
       places AS (
         SELECT p.child_id AS id, p.unit_id FROM placement p WHERE p.child_id IN (SELECT id FROM sibs) AND p.state = 'accepted' AND ${CURRENT('p')}
         UNION
         SELECT e.pupil_id, e.unit_id FROM enrolment e WHERE e.pupil_id IN (SELECT id FROM sibs) AND ${CURRENT('e')})
       SELECT p.id, p.given_name, p.family_name, p.birth_date, p.protection, pl.unit_id, u.name AS unit_name
       FROM places pl JOIN person p ON p.id = pl.id AND p.deleted_at IS NULL JOIN org_unit u ON u.id = pl.unit_id
       ORDER BY p.birth_date, p.sort_key, u.sort_key, u.id`,
    ),
  };
}

const stmtCache = new WeakMap<Database.Database, ReturnType<typeof prepare>>();
function stmts(ctx: CoreContext): ReturnType<typeof prepare> {
  let s = stmtCache.get(ctx.sqlite);
  if (!s) {
    s = prepare(ctx.sqlite);
    stmtCache.set(ctx.sqlite, s);
  }
  return s;
}

// ---------- reads ----------

export function loadApplication(ctx: CoreContext, id: string): AppRow {
  const row = stmts(ctx).get.get(id) as AppRow | undefined;
  if (!row) throw new DomainError('not_found', 'No such application', 'id');
  return row;
}

/** The open offer of an application (its offered placement), if any. */
export function openOfferOf(ctx: CoreContext, applicationId: string): OfferRow | undefined {
  return stmts(ctx).openOffer.get(applicationId) as OfferRow | undefined;
}

export function involvedUnits(ctx: CoreContext, applicationId: string): string[] {
  return stmts(ctx).units.pluck().all({ id: applicationId }) as string[];
}

/**
 * One application as the clerk sees it. `mayShowProtected(unitId)` decides whether a protected sibling
 * may be named with the unit that places them; otherwise the sibling is left out altogether, since even
 * "a protected sibling at Solrosen" tells where a protected child spends the day.
 */
type Rules = ReturnType<typeof getPlacementRules>;

function toView(ctx: CoreContext, row: AppRow, today: string, rules: Rules, mayShowProtected: (unitId: string) => boolean): ApplicationView {
  const s = stmts(ctx);
  const child = s.person.get(row.child_id) as PersonRow;
  const offer = row.status === 'offered' ? openOfferOf(ctx, row.id) : undefined;
  const g = guaranteeOf(
    { schoolForm: row.school_form, appliedOn: row.applied_on, wishedStart: row.wished_start, birthDate: child.birth_date, status: row.status, offerStart: offer?.valid_from ?? null },
    rules,
    today,
  );
  const siblings = (s.siblings.all({ child: row.child_id, today }) as SiblingRow[]).filter((x) => x.protection === 'none' || mayShowProtected(x.unit_id));
  return {
    id: row.id,
    version: row.version,
    child: { id: child.id, name: nameOf(child), protected: child.protection !== 'none' },
    birthDate: child.birth_date,
    schoolForm: row.school_form,
    appliedOn: row.applied_on,
    wishedStart: row.wished_start,
    weeklyHours: row.weekly_hours,
    status: row.status,
    guaranteeDate: g.date,
    overdue: g.overdue,
    guarantee: { rule: g.rule, daysLeft: g.daysLeft, dueBy: g.dueBy, daysOverdue: g.daysOverdue, urgency: g.urgency, noRight: g.noRight, admission: g.admission },
    choices: (s.choices.all(row.id) as ChoiceRow[]).map((c) => ({ rank: c.rank, unitId: c.unit_id, unitName: c.unit_name })),
    siblings: siblings.map((x) => ({ person: { id: x.id, name: nameOf(x), protected: x.protection !== 'none' }, unitId: x.unit_id, unitName: x.unit_name })),
    offer: offer
      ? { placementId: offer.id, unitId: offer.unit_id, unitName: offer.unit_name, groupName: offer.group_name, start: offer.valid_from, answerBy: offer.answer_by }
      : null,
    note: row.note,
  };
}

/**
 * A child's applications for the person card, newest first. Without `actor` no protected sibling is
 * shown (the caller's right to see protected persons is unknown).
 */
export function applicationsOfChild(ctx: CoreContext, childId: string, today: string, actor?: Actor): ApplicationView[] {
  const rules = getPlacementRules(ctx);
  const may = actor ? (u: string) => canSeeProtected(actor, u) : () => false;
  return (stmts(ctx).ofChild.all(childId) as AppRow[]).map((r) => toView(ctx, r, today, rules, may));
}

type ListInput = MethodParsedInput<'application.list'>;
export interface ApplicationList {
  items: ApplicationView[];
  total: number;
  overdue: number;
  hiddenProtected: number;
}

/**
 * The queue, most urgent first: by the last day the promise can still be kept (SE: the guarantee date;
 * NO: the end of the month the right applies from), applications without a statutory right last, then
 * by application date. Visibility is decided per
 * application from the units it involves (choices and a live offer), since a queued child is usually
 * not yet connected to any unit through a group.
 */
export function listApplications(ctx: CoreContext, actor: Actor, i: ListInput): ApplicationList {
  const s = stmts(ctx);
  const today = ctx.clock.today();
  const rules = getPlacementRules(ctx);
  const scope = scopeOf(actor, 'placement.read');
  const inScope = (units: string[]) => scope === 'all' || (scope !== null && units.some((u) => scope.has(u)));
  const visible: { c: Candidate; g: Guarantee }[] = [];
  let hiddenProtected = 0;
  for (const c of s.candidates.all({ all: i.filter === 'all' ? 1 : 0 }) as Candidate[]) {
    const units = JSON.parse(c.units) as string[];
    if (i.unitId && !units.includes(i.unitId)) continue;
    if (!inScope(units)) continue;
    const g = guaranteeOf(
      { schoolForm: c.school_form, appliedOn: c.applied_on, wishedStart: c.wished_start, birthDate: c.birth_date, status: c.status, offerStart: c.offer_start },
      rules,
      today,
    );
    if (i.filter === 'overdue' && !g.overdue) continue;
    if (c.protection !== 'none' && !units.some((u) => canSeeProtected(actor, u))) {
      hiddenProtected++;
      continue;
    }
    visible.push({ c, g });
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const NONE = '9999-12-31';
  visible.sort((a, b) => cmp(a.g.dueBy ?? NONE, b.g.dueBy ?? NONE) || cmp(a.c.applied_on, b.c.applied_on) || a.c.seq - b.c.seq);
  const may = (u: string) => canSeeProtected(actor, u);
  const items = visible.slice(i.offset, i.offset + i.limit).map((v) => toView(ctx, loadApplication(ctx, v.c.id), today, rules, may));
  return { items, total: visible.length, overdue: visible.filter((v) => v.g.overdue).length, hiddenProtected };
}

type PlacesInput = MethodParsedInput<'application.places'>;
type Places = MethodOutput<'application.places'>;

/**
 * How full a unit's departments are on a date, for the clerk choosing where to offer a place: accepted and
 * offered placements of the form covering the date, per department alive then (in the country's
 * alphabetical order) and without one. There is no capacity in the register yet (neither units nor groups
 * hold one), so free places cannot be computed: `capacity` and `free` stay null and `capacityKnown` false.
 */
export function placesAt(ctx: CoreContext, i: PlacesInput): Places {
  const u = stmts(ctx).unit.get(i.unitId) as UnitRow | undefined;
  if (!u || u.kind !== 'school_unit') throw new DomainError('not_found', 'No such school unit', 'unitId');
  const groups = ctx.sqlite
    .prepare(
      `SELECT g.id, g.name FROM school_group g
       WHERE g.unit_id = @unit AND g.kind = 'department' AND g.school_form = @form AND g.deleted_at IS NULL
         AND COALESCE(g.valid_from, g.school_year || '-08-01') <= @date AND COALESCE(g.valid_to, (g.school_year + 1) || '-07-31') >= @date`,
    )
    .all({ unit: i.unitId, form: i.schoolForm, date: i.date }) as { id: string; name: string }[];
  const counts = ctx.sqlite
    .prepare(
      `SELECT p.group_id, SUM(p.state = 'accepted') AS accepted, SUM(p.state = 'offered') AS offered FROM placement p
       WHERE p.unit_id = @unit AND p.school_form = @form AND p.state IN ('accepted', 'offered') AND ${CURRENT('p', '@date')}
       GROUP BY p.group_id`,
    )
    .all({ unit: i.unitId, form: i.schoolForm, date: i.date }) as { group_id: string | null; accepted: number; offered: number }[];
  const byGroup = new Map(counts.map((c) => [c.group_id, c]));
  const known = new Set(groups.map((g) => g.id));
  // A placement in a department that is not alive on the date (or of another form) is counted with the unit's rest.
  const rest = counts.filter((c) => c.group_id === null || !known.has(c.group_id));
  return {
    date: i.date,
    departments: sortByText(groups, (g) => g.name, collationCountry(ctx.sqlite)).map((g) => {
      const c = byGroup.get(g.id);
      return { groupId: g.id, name: g.name, accepted: c?.accepted ?? 0, offered: c?.offered ?? 0, capacity: null, free: null };
    }),
    withoutDepartment: { accepted: rest.reduce((n, c) => n + c.accepted, 0), offered: rest.reduce((n, c) => n + c.offered, 0) },
    capacityKnown: false,
  };
}

/**
 * The application's facts for the audit diff: no sibling names, no derived dates, nothing but what the
 * write changed or could have changed.
 */
export function applicationFacts(ctx: CoreContext, id: string): Record<string, unknown> {
  const s = stmts(ctx);
  const row = loadApplication(ctx, id);
  const offer = openOfferOf(ctx, id);
  const placed = row.status === 'placed' ? (s.acceptedPlacement.get(id) as { id: string; unit_id: string } | undefined) : undefined;
  return {
    status: row.status,
    schoolForm: row.school_form,
    appliedOn: row.applied_on,
    wishedStart: row.wished_start,
    weeklyHours: row.weekly_hours,
    note: row.note,
    choices: (s.choices.all(id) as ChoiceRow[]).map((c) => c.unit_id),
    offer: offer ? { placementId: offer.id, unitId: offer.unit_id, start: offer.valid_from, answerBy: offer.answer_by } : null,
    placement: placed ? { placementId: placed.id, unitId: placed.unit_id } : null,
  };
}

// ---------- writes ----------

function schoolUnit(ctx: CoreContext, id: string, field: string): UnitRow {
  const u = stmts(ctx).unit.get(id) as UnitRow | undefined;
  if (!u || u.kind !== 'school_unit') throw new DomainError('not_found', 'No such school unit', field);
  return u;
}

function requireOffers(u: UnitRow, form: PlacementForm, field: string): void {
  const forms = JSON.parse(u.school_forms) as string[];
  if (!forms.includes(form)) throw ruleViolation('form_not_offered', `form_not_offered: ${u.name} does not run ${form}`, field);
}

function validation(field: string, code: string, message: string): DomainError {
  return new DomainError('validation', message, field, [{ field, code, message }]);
}

type CreateInput = MethodParsedInput<'application.create'>;

/**
 * The ranked choices (application_choice) have no identity of their own: they are logged on the
 * application's change record as `choices`, the unit ids in rank order before and after.
 */
export function createApplication(w: Writer, i: CreateInput): { id: string; version: number } {
  const { ctx } = w;
  const s = stmts(ctx);
  if (!s.person.get(i.childId)) throw new DomainError('not_found', 'No such child', 'childId');
  if (!QUEUE_FORMS.includes(i.schoolForm)) {
    throw ruleViolation('form_not_placement', `form_not_placement: only ${QUEUE_FORMS.join(', ')} are applied for in the queue, not ${i.schoolForm}`, 'schoolForm');
  }
  if (i.appliedOn > ctx.clock.today()) throw validation('appliedOn', 'date_in_future', 'An application cannot be dated after today');
  if (i.wishedStart < i.appliedOn) {
    throw ruleViolation('end_before_start', `end_before_start: the wished start ${i.wishedStart} is before the application date ${i.appliedOn}`, 'wishedStart');
  }
  const seen = new Set<string>();
  i.unitIds.forEach((id, n) => {
    const field = `unitIds.${n}`;
    if (seen.has(id)) throw validation(field, 'duplicate_choice', 'The same unit is chosen twice');
    seen.add(id);
    const u = schoolUnit(ctx, id, field);
    requireOffers(u, i.schoolForm, field);
    if (u.closed_on !== null && u.closed_on < i.wishedStart) {
      throw ruleViolation('outside_unit_lifetime', `outside_unit_lifetime: ${u.name} closes on ${u.closed_on}, before the wished start ${i.wishedStart}`, field);
    }
  });
  const family = JSON.stringify(familyOf(i.schoolForm));
  const open = s.openOfForms.get(i.childId, family) as { school_form: string; applied_on: string; status: string } | undefined;
  if (open) {
    throw ruleViolation('application_open', `application_open: the child already has an open ${open.school_form} application of ${open.applied_on} (${open.status})`, 'childId');
  }
  const placed = s.placedCovering.get({ child: i.childId, forms: family, at: i.wishedStart }) as
    | { school_form: string; valid_from: string; valid_to: string | null; unit_name: string }
    | undefined;
  if (placed) {
    throw ruleViolation(
      'placed_child_application',
      `placed_child_application: the child already holds a ${placed.school_form} place at ${placed.unit_name} ${placed.valid_from}–${placed.valid_to ?? ''} covering ${i.wishedStart}`,
      'wishedStart',
    );
  }
  const { id } = insertRecord(
    w,
    'application',
    { child_id: i.childId, school_form: i.schoolForm, applied_on: i.appliedOn, wished_start: i.wishedStart, weekly_hours: i.weeklyHours, status: 'queued', note: i.note },
    { extra: { choices: [[], [...i.unitIds]] } },
  );
  i.unitIds.forEach((u, n) => s.insertChoice.run(id, n + 1, u));
  ctx.generation.persons++;
  return { id, version: 1 };
}

function requireVersion(row: AppRow, version: number): void {
  if (row.version !== version) {
    throw new DomainError('conflict', `The application was changed by someone else (version ${row.version}, your form has ${version}); reload to see the change`, 'version');
  }
}

function setStatus(w: Writer, row: AppRow, status: AppStatus): number {
  const { version } = updateRecord(w, 'application', row.id, { status }, { expectVersion: row.version });
  w.ctx.generation.persons++;
  return version;
}

/**
 * The placement rules speak of the placement's `validFrom`/`validTo`; the offer's input has only `start`
 * (an offered place is open-ended), so a refusal points at the field the clerk can change.
 */
function asOfferError(e: unknown): unknown {
  if (!(e instanceof DomainError)) return e;
  const map = (f: string | undefined) => (f === 'validFrom' || f === 'validTo' ? 'start' : f);
  const issues = e.issues?.map((x) => ({ ...x, field: map(x.field) ?? x.field }));
  return new DomainError(e.code, e.message, map(e.field), issues, e.retryAfterSeconds, e.rule, e.details);
}

type OfferInput = MethodParsedInput<'application.offer'>;

export function offerApplication(w: Writer, i: OfferInput): { id: string; version: number; placementId: string; outsideWishes: boolean } {
  const { ctx } = w;
  const row = loadApplication(ctx, i.id);
  requireVersion(row, i.version);
  if (row.status !== 'queued') throw ruleViolation('offer_state', `offer_state: only a queued application can be offered a place; this one is ${row.status}`, 'id');
  const today = ctx.clock.today();
  if (i.answerBy < today) throw validation('answerBy', 'answer_by_past', `The answer date ${i.answerBy} is before today`);
  if (i.answerBy > i.start) throw validation('answerBy', 'answer_by_after_start', `The answer date ${i.answerBy} is after the start ${i.start}`);
  requireOffers(schoolUnit(ctx, i.unitId, 'unitId'), row.school_form, 'unitId');
  const outsideWishes = !(stmts(ctx).choices.all(row.id) as ChoiceRow[]).some((c) => c.unit_id === i.unitId);
  let placementId: string;
  try {
    placementId = insertPlacement(w, {
      childId: row.child_id,
      unitId: i.unitId,
      groupId: i.groupId,
      schoolForm: row.school_form,
      validFrom: i.start,
      validTo: null,
      weeklyHours: i.weeklyHours ?? row.weekly_hours,
      schedule: null,
      reason: 'care_need',
      ownerIds: [],
      state: 'offered',
      answerBy: i.answerBy,
      applicationId: row.id,
    }).id;
  } catch (e) {
    throw asOfferError(e);
  }
  return { id: row.id, version: setStatus(w, row, 'offered'), placementId, outsideWishes };
}

type AnswerInput = MethodParsedInput<'application.answer'>;

export function answerApplication(w: Writer, i: AnswerInput): { id: string; version: number; placementId: string | null } {
  const row = loadApplication(w.ctx, i.id);
  requireVersion(row, i.version);
  const offer = row.status === 'offered' ? openOfferOf(w.ctx, row.id) : undefined;
  if (!offer) throw ruleViolation('answer_state', `answer_state: the application has no open offer (it is ${row.status})`, 'id');
  if (i.accept) {
    // Without named holders, setPlacementState lets the child's non-shielded guardians at the start hold the place.
    setPlacementState(w, offer.id, offer.version, 'accepted', i.ownerIds);
    return { id: row.id, version: setStatus(w, row, 'placed'), placementId: offer.id };
  }
  setPlacementState(w, offer.id, offer.version, 'declined');
  return { id: row.id, version: setStatus(w, row, i.keepInQueue ? 'queued' : 'withdrawn'), placementId: null };
}

export function withdrawApplication(w: Writer, i: { id: string; version: number }): { id: string; version: number } {
  const row = loadApplication(w.ctx, i.id);
  requireVersion(row, i.version);
  if (!isOpen(row.status)) throw ruleViolation('withdraw_state', `withdraw_state: only a queued or offered application can be withdrawn; this one is ${row.status}`, 'id');
  // An open offer lapses with the application: the offered placement must not keep holding the place.
  const offer = openOfferOf(w.ctx, row.id);
  if (offer) setPlacementState(w, offer.id, offer.version, 'declined');
  return { id: row.id, version: setStatus(w, row, 'withdrawn') };
}
