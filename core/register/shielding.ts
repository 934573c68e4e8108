/**
 * Shielding: whose address and contact details the core withholds (domain.md §2, docs/security.md).
 *
 * A person is shielded when they are protected themselves, or when they are linked to a protected person,
 * because anyone who shares a protected person's home reveals it. The links, read from either end:
 * - guardian and child (a guardianship of any kind),
 * - siblings (two children of one guardian) and co-parents (two guardians of one child),
 * - household co-members (adults and children alike: a parent's new partner shares the home as much as a
 *   guardian does), of every household the two were members of.
 * A link that has ended still shields, unless it ended before the protection started
 * (`person.protected_since`): whoever shared the home while the protection was in force knows where it is.
 * When the start is unknown (null: protected before the date was recorded) every ended link shields. On a
 * path of two links (sibling, co-parent, co-member) both must count. Future links count at once. Nothing
 * here depends on today's date, so the stored flag cannot go stale while no one writes.
 *
 * The flag is stored (`person.shielded`) because computing it per person on every read was measured at
 * 35–57 ms of a 745-pupil class list's 156–285 ms (docs/benchmarks.md). It is kept right by ONE function,
 * `refreshShielding`, which every write that changes a protection, a guardianship or a household membership
 * calls in its own transaction. Entry points: createPerson and updatePerson (core/register/persons.ts);
 * createGuardianship and updateGuardianship (core/guardians/guardianships.ts); createHousehold, addMember and
 * endMember (core/guardians/households.ts). Bulk loads (the demo generator, migration 0007) recompute
 * everything with `recomputeAllShielding`, built from the same path and predicate SQL as the refresh.
 */
import type Database from 'better-sqlite3';
import type { CoreContext } from '../context';

type Ctx = Pick<CoreContext, 'sqlite'>;

/**
 * Every path from a person in the CTE `s(id)` to a person whose protection could shield them, as
 * (a, b, t1, t2): `a` in s, `b` at the other end, `t1`/`t2` the end dates (valid_to) of the links on the way
 * (the same date twice for a direct link). The relation is symmetric: read from a protected person it gives
 * whom they shield, read from anyone it gives who could shield them. `withDeleted` also walks tombstoned
 * rows, which only the search for candidates needs (a removed link changes the flags at its far end).
 */
export function linkPathsSql(withDeleted = false): string {
  const live = (t: string) => (withDeleted ? '' : ` AND ${t}.deleted_at IS NULL`);
  // CROSS JOIN fixes the loop order (the start set outside, then the link indexes). Without it, on a database
  // without statistics (sqlite_stat1), EXPLAIN QUERY PLAN showed a scan of every guardianship per write.
  return `SELECT s.id AS a, x.guardian_id AS b, x.valid_to AS t1, x.valid_to AS t2
      FROM s CROSS JOIN guardianship x ON x.child_id = s.id${live('x')}
    UNION ALL SELECT s.id, x.child_id, x.valid_to, x.valid_to
      FROM s CROSS JOIN guardianship x ON x.guardian_id = s.id${live('x')}
    UNION ALL SELECT s.id, y.child_id, x.valid_to, y.valid_to
      FROM s CROSS JOIN guardianship x ON x.child_id = s.id${live('x')} CROSS JOIN guardianship y ON y.guardian_id = x.guardian_id${live('y')}
    UNION ALL SELECT s.id, y.guardian_id, x.valid_to, y.valid_to
      FROM s CROSS JOIN guardianship x ON x.guardian_id = s.id${live('x')} CROSS JOIN guardianship y ON y.child_id = x.child_id${live('y')}
    UNION ALL SELECT s.id, y.person_id, x.valid_to, y.valid_to
      FROM s CROSS JOIN household_member x ON x.person_id = s.id${live('x')} CROSS JOIN household_member y ON y.household_id = x.household_id${live('y')}`;
}

/** Whether a path's links count for a protected person whose protection began on `since` (null: unknown). */
export function linkCountsSql(since: string, t1 = 't1', t2 = 't2'): string {
  return `(${since} IS NULL OR ((${t1} IS NULL OR ${t1} >= ${since}) AND (${t2} IS NULL OR ${t2} >= ${since})))`;
}

/**
 * The bulk form: starts from the protected persons (a few percent of the register) and flips every flag
 * that disagrees with the rule. Migration 0007 carries a copy of this statement as it was then.
 */
export function recomputeAllSql(): string {
  return `WITH s(id, since) AS MATERIALIZED (SELECT id, protected_since FROM person WHERE protection <> 'none'),
  paths(a, b, t1, t2) AS (${linkPathsSql()}),
  hit(id) AS (SELECT paths.b FROM paths JOIN s ON s.id = paths.a WHERE ${linkCountsSql('s.since')})
UPDATE person SET shielded = NOT shielded WHERE shielded <> (protection <> 'none' OR id IN (SELECT id FROM hit))`;
}

interface Statements {
  candidates: Database.Statement;
  refresh: Database.Statement;
  read: Database.Statement;
  all: Database.Statement;
  drift: Database.Statement;
}
const cache = new WeakMap<Database.Database, Statements>();

function statements(sqlite: Database.Database): Statements {
  let s = cache.get(sqlite);
  if (!s) {
    s = {
      candidates: sqlite.prepare(
        `WITH s(id) AS MATERIALIZED (SELECT DISTINCT value FROM json_each(?)), paths(a, b, t1, t2) AS (${linkPathsSql(true)})
         SELECT id FROM s UNION SELECT b FROM paths`,
      ).pluck(),
      refresh: sqlite.prepare(
        `WITH s(id) AS MATERIALIZED (SELECT DISTINCT value FROM json_each(?)),
         paths(a, b, t1, t2) AS (${linkPathsSql()}),
         hit(id) AS (SELECT paths.a FROM paths JOIN person p ON p.id = paths.b WHERE p.protection <> 'none' AND ${linkCountsSql('p.protected_since')})
         UPDATE person SET shielded = NOT shielded
         WHERE id IN (SELECT id FROM s) AND shielded <> (protection <> 'none' OR id IN (SELECT id FROM hit))
         RETURNING id, shielded`,
      ),
      read: sqlite.prepare(`SELECT shielded FROM person WHERE id = ?`).pluck(),
      all: sqlite.prepare(recomputeAllSql()),
      drift: sqlite
        .prepare(
          `WITH s(id, since) AS MATERIALIZED (SELECT id, protected_since FROM person WHERE protection <> 'none'),
           paths(a, b, t1, t2) AS (${linkPathsSql()}),
           hit(id) AS (SELECT paths.b FROM paths JOIN s ON s.id = paths.a WHERE ${linkCountsSql('s.since')})
           SELECT id FROM person WHERE shielded <> (protection <> 'none' OR id IN (SELECT id FROM hit)) ORDER BY id`,
        )
        .pluck(),
    };
    cache.set(sqlite, s);
  }
  return s;
}

export interface ShieldingChange {
  /** Persons who became shielded. */
  shielded: string[];
  /** Persons who are no longer shielded: their details now show to every reader in scope. */
  cleared: string[];
}

/**
 * Recomputes the flag of the given persons and of everyone linked to them (so a changed protection reaches
 * the relatives, and a changed link both its ends and their other relatives). Call it inside the write's
 * transaction, after the write. Returns whose flag changed, so a caller can refuse a change that would lift
 * someone's shielding without the permission for it.
 */
export function refreshShielding(ctx: Ctx, personIds: readonly string[]): ShieldingChange {
  const out: ShieldingChange = { shielded: [], cleared: [] };
  if (personIds.length === 0) return out;
  const s = statements(ctx.sqlite);
  const candidates = s.candidates.all(JSON.stringify(personIds)) as string[];
  for (const r of s.refresh.all(JSON.stringify(candidates)) as { id: string; shielded: number }[]) {
    (r.shielded ? out.shielded : out.cleared).push(r.id);
  }
  return out;
}

/** Every flag from scratch, set-based (bulk loads); returns how many changed. */
export function recomputeAllShielding(sqlite: Database.Database): number {
  return statements(sqlite).all.run().changes;
}

/** Persons whose stored flag disagrees with the rule (empty when the flag is right). */
export function shieldingDrift(sqlite: Database.Database): string[] {
  return statements(sqlite).drift.all() as string[];
}

/** Whether the core withholds this person's addresses and contacts (the stored flag; false for no such person). */
export function isShielded(ctx: Ctx, personId: string): boolean {
  return statements(ctx.sqlite).read.get(personId) === 1;
}
