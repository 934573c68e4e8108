/**
 * The rule checks placements and enrolments share (shared/api/care.ts RULES). Each check throws a
 * `rule_violation` naming its rule and the facts, or `not_found` for an unknown id; none of them writes,
 * so a caller runs every check first and only then writes (a refused call leaves the database untouched).
 */
import type Database from 'better-sqlite3';
import { ENROLMENT_FORMS, FORM_FAMILY, PLACEMENT_FORMS, type EnrolmentForm, type PlacementForm } from '../../shared/api/care';
import { DomainError, ruleViolation } from '../../shared/api/errors';
import { parseIdentityNumber } from '../../shared/identity';
import type { CoreContext } from '../context';
import { ageOn, rangesOverlap } from '../dates';
import { getPlacementRules } from './rules';

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** A prepared statement cached per database: the checks run on every write, the SQL never changes. */
export function stmt(ctx: CoreContext, sql: string): Database.Statement {
  let m = statements.get(ctx.sqlite);
  if (!m) statements.set(ctx.sqlite, (m = new Map()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = ctx.sqlite.prepare(sql)));
  return s;
}

/** "2026-08-01–2027-06-30", or "from 2026-08-01" for an open end. */
export const period = (from: string, to: string | null): string => (to === null ? `from ${from}` : `${from}–${to}`);

export function checkDates(from: string, to: string | null, field = 'validTo'): void {
  if (to !== null && to < from) throw ruleViolation('end_before_start', `end_before_start: the end date ${to} is before the start date ${from}`, field);
}

export interface PersonFacts {
  id: string;
  birth_date: string | null;
  id_canonical: string | null;
}

export function requirePerson(ctx: CoreContext, id: string, field: string): PersonFacts {
  const p = stmt(ctx, `SELECT id, birth_date, id_canonical FROM person WHERE id = ? AND deleted_at IS NULL`).get(id) as PersonFacts | undefined;
  if (!p) throw new DomainError('not_found', 'No such person', field);
  return p;
}

export interface UnitFacts {
  id: string;
  name: string;
  kind: string;
  school_forms: string;
  opened_on: string | null;
  closed_on: string | null;
}

export function requireUnitRow(ctx: CoreContext, id: string, field: string): UnitFacts {
  const u = stmt(ctx, `SELECT id, name, kind, school_forms, opened_on, closed_on FROM org_unit WHERE id = ? AND deleted_at IS NULL`).get(id) as
    | UnitFacts
    | undefined;
  if (!u) throw new DomainError('not_found', 'No such unit', field);
  return u;
}

/** The unit runs the form (only school units run any) and is open for the whole period. */
export function checkUnit(u: UnitFacts, form: string, from: string, to: string | null, field: string): void {
  const forms = JSON.parse(u.school_forms) as string[];
  if (u.kind !== 'school_unit' || !forms.includes(form)) {
    throw ruleViolation('form_not_offered', `form_not_offered: ${u.name} does not run ${form}${u.kind === 'school_unit' ? ` (it runs ${forms.join(', ') || 'no form'})` : ' (it is not a school unit)'}`, field);
  }
  // An open-ended period at a unit that closes would outlive it: the end must be set by then.
  if ((u.opened_on !== null && from < u.opened_on) || (u.closed_on !== null && (to ?? '9999-12-31') > u.closed_on)) {
    throw ruleViolation(
      'outside_unit_lifetime',
      `outside_unit_lifetime: ${period(from, to)} is outside ${u.name}'s lifetime ${period(u.opened_on ?? 'its start', u.closed_on)}`,
      u.opened_on !== null && from < u.opened_on ? 'validFrom' : 'validTo',
    );
  }
}

interface GroupFacts {
  id: string;
  name: string;
  unit_id: string;
  school_form: string;
  school_year: number;
  valid_from: string | null;
  valid_to: string | null;
}

/** A group's lifetime; a group without stored dates lives for its school year (1 August to 31 July). */
export function groupLifetime(g: { school_year: number; valid_from: string | null; valid_to: string | null }): { from: string; to: string } {
  return { from: g.valid_from ?? `${g.school_year}-08-01`, to: g.valid_to ?? `${g.school_year + 1}-07-31` };
}

/**
 * The group belongs to the unit, is for the same form, and exists when the period starts. Only the start is
 * held to the group's lifetime: a placement runs across school years until notice (the rollover moves the
 * child to next year's group), so an open or later end is not a violation.
 */
export function checkGroup(ctx: CoreContext, groupId: string, unit: UnitFacts, form: string, from: string, field = 'groupId'): GroupFacts {
  const g = stmt(ctx, `SELECT id, name, unit_id, school_form, school_year, valid_from, valid_to FROM school_group WHERE id = ? AND deleted_at IS NULL`).get(groupId) as
    | GroupFacts
    | undefined;
  if (!g) throw new DomainError('not_found', 'No such group', field);
  if (g.unit_id !== unit.id) throw ruleViolation('group_not_in_unit', `group_not_in_unit: the group ${g.name} belongs to another unit than ${unit.name}`, field);
  if (g.school_form !== form) throw ruleViolation('group_form_mismatch', `group_form_mismatch: the group ${g.name} is for ${g.school_form}, not ${form}`, field);
  const life = groupLifetime(g);
  if (from < life.from || from > life.to) {
    throw ruleViolation('outside_group_lifetime', `outside_group_lifetime: the start ${from} is outside the group ${g.name}'s lifetime ${period(life.from, life.to)}`, 'validFrom');
  }
  return g;
}

export function checkPlacementForm(form: string, field = 'schoolForm'): asserts form is PlacementForm {
  if (!(PLACEMENT_FORMS as readonly string[]).includes(form)) {
    throw ruleViolation('form_not_placement', `form_not_placement: ${form} is a form pupils are enrolled in, not placed in`, field);
  }
}

export function checkEnrolmentForm(form: string, field = 'schoolForm'): asserts form is EnrolmentForm {
  if (!(ENROLMENT_FORMS as readonly string[]).includes(form)) {
    throw ruleViolation('form_not_placement', `form_not_placement: ${form} is a form children are placed in, not enrolled in`, field);
  }
}

/** Birth date from the register, else from the identity number; null when neither tells. */
export function birthDateOf(p: PersonFacts): string | null {
  if (p.birth_date) return p.birth_date;
  if (!p.id_canonical) return null;
  const r = parseIdentityNumber(p.id_canonical, { allowSynthetic: true });
  return r.ok ? r.birthDate : null;
}

export function checkAge(ctx: CoreContext, child: PersonFacts, form: PlacementForm, from: string): void {
  const birth = birthDateOf(child);
  if (birth === null) return;
  const limits = getPlacementRules(ctx).ageLimits[form];
  if (!limits) return;
  const age = ageOn(birth, from);
  if (age < limits.min || age > limits.max) {
    throw ruleViolation('age_limit', `age_limit: the child is ${age} years old on ${from}; ${form} takes ages ${limits.min}–${limits.max}`, 'validFrom');
  }
}

/** The child's guardians on a date from whom the child is not shielded: the default holders of a placement. */
export function defaultOwners(ctx: CoreContext, childId: string, on: string): string[] {
  return stmt(
    ctx,
    `SELECT DISTINCT guardian_id FROM guardianship WHERE child_id = ? AND deleted_at IS NULL AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)
     AND guardian_id NOT IN (SELECT guardian_id FROM guardianship WHERE child_id = ? AND deleted_at IS NULL AND shielded = 1 AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?))
     ORDER BY guardian_id`,
  )
    .pluck()
    .all(childId, on, on, childId, on, on) as string[];
}

/** Every holder is the child's guardian on the start date, and the child is not shielded from them. */
export function checkOwners(ctx: CoreContext, childId: string, ownerIds: readonly string[], on: string, field = 'ownerIds'): void {
  const rows = stmt(
    ctx,
    `SELECT guardian_id, max(shielded) AS shielded FROM guardianship
     WHERE child_id = ? AND deleted_at IS NULL AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?) GROUP BY guardian_id`,
  ).all(childId, on, on) as { guardian_id: string; shielded: number }[];
  const byId = new Map(rows.map((r) => [r.guardian_id, r.shielded === 1]));
  ownerIds.forEach((id, i) => {
    const shielded = byId.get(id);
    if (shielded === undefined) throw ruleViolation('owner_not_guardian', `owner_not_guardian: holder ${i + 1} is not the child's guardian on ${on}`, `${field}.${i}`);
    // A court-ordered shield: the guardian must receive nothing about the child, so cannot hold the place.
    if (shielded) throw ruleViolation('owner_shielded', `owner_shielded: the child is shielded from holder ${i + 1}`, `${field}.${i}`);
  });
}

const FAMILY_NAME = { preschool: 'preschool', afterschool: 'after-school' } as const;

/** No other live placement of the same family of care overlaps the period (declined ones hold no place). */
export function checkPlacementOverlap(ctx: CoreContext, childId: string, form: PlacementForm, from: string, to: string | null, exclude: readonly string[]): void {
  const rows = stmt(
    ctx,
    `SELECT p.id, p.school_form, p.valid_from, p.valid_to, u.name AS unit_name FROM placement p JOIN org_unit u ON u.id = p.unit_id
     WHERE p.child_id = ? AND p.deleted_at IS NULL AND p.state IN ('offered', 'accepted') ORDER BY p.valid_from`,
  ).all(childId) as { id: string; school_form: string; valid_from: string; valid_to: string | null; unit_name: string }[];
  const family = FORM_FAMILY[form];
  const clash = rows.find(
    (r) => !exclude.includes(r.id) && FORM_FAMILY[r.school_form as PlacementForm] === family && rangesOverlap(from, to, r.valid_from, r.valid_to),
  );
  if (clash) {
    throw ruleViolation(
      'placement_overlap',
      `placement_overlap: the child already has a ${FAMILY_NAME[family]} placement (${clash.school_form}) at ${clash.unit_name} ${period(clash.valid_from, clash.valid_to)}`,
      'validFrom',
      { unit: clash.unit_name, from: clash.valid_from, to: clash.valid_to ?? '…' },
    );
  }
}

/** A pupil has one enrolment per period, whatever the form. */
export function checkEnrolmentOverlap(ctx: CoreContext, pupilId: string, from: string, to: string | null, exclude: readonly string[]): void {
  const rows = stmt(
    ctx,
    `SELECT e.id, e.school_form, e.valid_from, e.valid_to, u.name AS unit_name FROM enrolment e JOIN org_unit u ON u.id = e.unit_id
     WHERE e.pupil_id = ? AND e.deleted_at IS NULL ORDER BY e.valid_from`,
  ).all(pupilId) as { id: string; school_form: string; valid_from: string; valid_to: string | null; unit_name: string }[];
  const clash = rows.find((r) => !exclude.includes(r.id) && rangesOverlap(from, to, r.valid_from, r.valid_to));
  if (clash) {
    throw ruleViolation(
      'enrolment_overlap',
      `enrolment_overlap: the pupil is already enrolled (${clash.school_form}) at ${clash.unit_name} ${period(clash.valid_from, clash.valid_to)}`,
      'validFrom',
      { unit: clash.unit_name, from: clash.valid_from, to: clash.valid_to ?? '…' },
    );
  }
}

export function requireVersion(kind: string, stored: number, given: number): void {
  if (stored !== given) {
    throw new DomainError('conflict', `The ${kind} was changed by someone else (version ${stored}, your form has ${given}); reload to see the change`, 'version');
  }
}
