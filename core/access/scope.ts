/**
 * Unit scope: which persons a unit-scoped user may see. A person is connected to a unit when they are a
 * current or future member of one of its groups, hold a current or future placement (not declined) or
 * enrolment there, wait in the queue with the unit among their wishes (queued or offered), are a guardian
 * of such a child, or are on the unit's staff (domain.md §10: access follows a documented need — role and unit).
 *
 * The set of a unit is small (hundreds to a few thousand persons) next to the register (up to ~500 000),
 * so a scoped user's lists and searches run over that set in memory, cached until the next write.
 */
import type Database from 'better-sqlite3';
import type { Permission } from '../../shared/domain/access';
import { DomainError } from '../../shared/api/errors';
import type { Actor, CoreContext } from '../context';
import { foldWords } from '../../shared/text';
import type { ScopedRow } from '../register/search';
import { SUMMARY_COLUMNS } from '../register/summary';

/** `'all'`: the whole municipality; a set: only these units; `null`: the permission is not held at all. */
export type Scope = 'all' | ReadonlySet<string> | null;

export function scopeOf(actor: Actor, permission: Permission): Scope {
  if (!actor.permissions.has(permission)) return null;
  return actor.unitScope?.get(permission) ?? 'all';
}

/** Throws `forbidden` unless the permission is held for the whole municipality (e.g. registering a new person). */
export function requireMunicipalityWide(actor: Actor, permission: Permission, what: string): void {
  if (scopeOf(actor, permission) !== 'all') throw new DomainError('forbidden', `${what} needs ${permission} for the whole municipality`);
}

export function requireUnit(actor: Actor, permission: Permission, unitId: string, what: string): void {
  const s = scopeOf(actor, permission);
  if (s === 'all') return;
  if (!s || !s.has(unitId)) throw new DomainError('forbidden', `${what}: the unit is outside your units`);
}

export interface ScopedSet {
  ids: ReadonlySet<string>;
  /** Summary rows of the set in name order (person.sort_key), with their folded name words ready for search. */
  rows: readonly ScopedRow[];
}

export class PersonScope {
  private readonly connected: Database.Statement;
  private readonly rowsOf: Database.Statement;
  private readonly cache = new Map<string, { generation: number; today: string; set: ScopedSet }>();

  constructor(private readonly ctx: CoreContext) {
    this.connected = ctx.sqlite.prepare(
      `WITH u(id) AS (SELECT value FROM json_each(@units)),
       pupils AS (
         SELECT m.person_id AS pid FROM school_group g JOIN group_membership m ON m.group_id = g.id
         WHERE g.unit_id IN (SELECT id FROM u) AND g.deleted_at IS NULL AND m.deleted_at IS NULL AND (m.valid_to IS NULL OR m.valid_to >= @today)),
       -- CROSS JOIN fixes the loop order (the units outside): the planner otherwise walks the whole table by
       -- another index to feed the UNION, instead of the unit index (placement_unit, enrolment_unit, application_choice_unit).
       placed AS (
         SELECT p.child_id AS pid FROM u CROSS JOIN placement p ON p.unit_id = u.id
         WHERE p.deleted_at IS NULL AND p.state <> 'declined' AND (p.valid_to IS NULL OR p.valid_to >= @today)),
       enrolled AS (
         SELECT e.pupil_id AS pid FROM u CROSS JOIN enrolment e ON e.unit_id = u.id
         WHERE e.deleted_at IS NULL AND (e.valid_to IS NULL OR e.valid_to >= @today)),
       applicants AS (
         SELECT a.child_id AS pid FROM u CROSS JOIN application_choice c ON c.unit_id = u.id CROSS JOIN application a ON a.id = c.application_id
         WHERE a.deleted_at IS NULL AND a.status IN ('queued', 'offered')),
       children AS (SELECT pid FROM pupils UNION SELECT pid FROM placed UNION SELECT pid FROM enrolled UNION SELECT pid FROM applicants),
       staff AS (
         SELECT person_id AS pid FROM staff_duty
         WHERE unit_id IN (SELECT id FROM u) AND deleted_at IS NULL AND (valid_to IS NULL OR valid_to >= @today)),
       guardians AS (
         SELECT guardian_id AS pid FROM guardianship
         WHERE child_id IN (SELECT pid FROM children) AND deleted_at IS NULL AND (valid_to IS NULL OR valid_to >= @today))
       SELECT pid FROM children UNION SELECT pid FROM staff UNION SELECT pid FROM guardians`,
    );
    this.rowsOf = ctx.sqlite.prepare(
      `SELECT ${SUMMARY_COLUMNS}, p.sort_key, p.search_text FROM person p
       WHERE p.id IN (SELECT value FROM json_each(?)) AND p.deleted_at IS NULL ORDER BY p.sort_key`,
    );
  }

  /** The persons connected to these units today; cached until the next write to persons or links. */
  of(units: ReadonlySet<string>): ScopedSet {
    const key = [...units].sort().join(',');
    const today = this.ctx.clock.today();
    const generation = this.ctx.generation.persons;
    const hit = this.cache.get(key);
    if (hit && hit.generation === generation && hit.today === today) return hit.set;
    const ids = (this.connected.pluck().all({ units: JSON.stringify([...units]), today }) as string[]);
    const rows = (this.rowsOf.all(JSON.stringify(ids)) as Omit<ScopedRow, 'name_words'>[]).map((r) => ({
      ...r,
      // Folded once per cache fill instead of once per row on every keystroke.
      name_words: foldWords(`${r.given_name} ${r.middle_name ?? ''} ${r.family_name} ${r.preferred_name ?? ''}`),
    }));
    const set: ScopedSet = { ids: new Set(rows.map((r) => r.id)), rows };
    if (this.cache.size > 64) this.cache.clear();
    this.cache.set(key, { generation, today, set });
    return set;
  }

  /** Whether the actor may touch this person under this permission. */
  allows(actor: Actor, permission: Permission, personId: string): boolean {
    const s = scopeOf(actor, permission);
    if (s === 'all') return true;
    if (!s) return false;
    return this.of(s).ids.has(personId);
  }

  /** Throws `forbidden` (never `not_found`, which would tell an outsider the person exists elsewhere) . */
  require(actor: Actor, permission: Permission, personId: string): void {
    if (!this.allows(actor, permission, personId)) throw new DomainError('forbidden', 'This person is not connected to your units', 'id');
  }
}

/**
 * Whether the actor may see protected persons in lists of this unit (names of children with protected
 * identity). Held with `protected.reveal` for the unit; everyone else sees only a count.
 */
export function canSeeProtected(actor: Actor, unitId: string): boolean {
  const s = scopeOf(actor, 'protected.reveal');
  return s === 'all' || (s !== null && s.has(unitId));
}
