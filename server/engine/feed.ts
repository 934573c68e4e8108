/**
 * The change feed (docs/sync.md "Reads: the feed"): for one workstation cache of one user, the records
 * changed after its cursor that the user may hold, projected (server/engine/projection.ts), and what the
 * cache must drop because the user's projection shrank since the state the cache acknowledged.
 *
 * A first pull (cursor 0) is the snapshot, paged like every other pull. A cursor the server cannot place
 * (ahead of its head after a restore from an older backup, unknown to this subscriber, a change between a
 * municipality-wide and a unit grant) is answered with `reset`: the workstation drops its cached register
 * and pulls from 0 again, keeping its outbox.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { withTransaction } from '../db/tx';
import type { RecordTable, Row } from '../../core/write/records';
import { isSyncTable } from '../../core/sync/records';
import { CONTACT_TABLES, has, Projection, type PersonSet, type Visibility } from './projection';

export interface FeedRequest {
  /** The workstation cache's id (one per user and workstation). */
  subscriber: string;
  cursor: number;
  limit?: number;
}

export interface FeedRecord {
  entity: RecordTable;
  id: string;
  seq: number;
  data: Row;
}

export type FeedPage =
  | { reset: true; epoch: string; reason: string }
  | {
      reset: false;
      epoch: string;
      cursor: number;
      head: number;
      more: boolean;
      records: FeedRecord[];
      removals: { entity: RecordTable; id: string }[];
      /** Persons that left the user's scope: drop them and everything hanging on them. */
      removedPersons: string[];
      /** Persons whose care records the user may no longer hold. */
      removedCare: string[];
      /** Persons whose addresses and contacts are now withheld from the user. */
      hiddenPersons: string[];
      settings: { key: string; value: string | null }[];
      /** The server's version of each visible aggregate changed in the page: the base of the next edits. */
      aggregates: { key: string; seq: number }[];
    };

/**
 * A set of person ids in a stored state: 'all', or the ref of a feed_set row (a string starting with
 * "set:"). An array is the inline form states had before migration 0006 and is still read.
 */
type StoredSet = 'all' | string | string[];

interface State {
  cursor: number;
  persons: StoredSet;
  care: StoredSet;
  hidden: StoredSet;
  /**
   * The grants that open whole kinds of records (the work list, every account, incomes), e.g. "w1a0f1".
   * When one changes the cache is taken again from the start (a lost grant's records must leave it). A
   * state written before this field carries none and is taken as unchanged.
   */
  flags?: string;
}

/** The state's flags for a visibility (State.flags). */
const flagsOf = (v: Visibility): string => `w${v.worklist ? 1 : 0}a${v.accounts === 'all' ? 1 : 0}f${v.fees ? 1 : 0}i${v.foi ? 1 : 0}`;

const kind = (s: PersonSet | StoredSet) => (s === 'all' ? 'all' : 'some');
/** The ids of `a` not in `b` (nothing when `a` is everyone: a change of kind is answered with a reset). */
const minus = (a: PersonSet, b: PersonSet): string[] => (a === 'all' || a === b ? [] : [...a].filter((x) => !has(b, x)));

/**
 * The feed's sets by content (migration 0006): the ref of a set is the hash of its sorted ids, so equal sets
 * (every page of one user while nothing about their scope changes; every municipality-wide clerk's withheld
 * persons) are one row, written once and read back from memory. A ref whose row is gone (removed as
 * unused, a restored database) makes the state unknown: the subscriber is answered with a reset.
 */
export class FeedSets {
  private readonly cache = new Map<string, ReadonlySet<string>>();
  private readonly refs = new WeakMap<ReadonlySet<string>, string>();
  private lastSweep = Date.now();
  static readonly CACHE = 256;

  constructor(private readonly pool: pg.Pool) {}

  refOf(s: ReadonlySet<string>): string {
    let ref = this.refs.get(s);
    if (!ref) {
      const h = createHash('sha256');
      for (const id of [...s].sort()) h.update(id).update('\n');
      ref = `set:${h.digest('base64url')}`;
      this.refs.set(s, ref);
    }
    return ref;
  }

  /** Stores `s` unless this process already knows it is stored; returns its ref. */
  async store(s: PersonSet): Promise<'all' | string> {
    if (s === 'all') return 'all';
    const ref = this.refOf(s);
    if (!this.cache.has(ref)) {
      await this.pool.query('INSERT INTO feed_set (ref, ids) VALUES ($1, $2) ON CONFLICT (ref) DO NOTHING', [ref, JSON.stringify([...s])]);
      this.remember(ref, s);
    }
    return ref;
  }

  /** The set a stored state names, or null when it is not stored (any more). */
  async load(s: StoredSet): Promise<PersonSet | null> {
    if (s === 'all') return 'all';
    if (Array.isArray(s)) return new Set(s);
    const hit = this.cache.get(s);
    if (hit) {
      // Most recently used last.
      this.cache.delete(s);
      this.cache.set(s, hit);
      return hit;
    }
    const row = (await this.pool.query<{ ids: string[] }>('SELECT ids FROM feed_set WHERE ref = $1', [s])).rows[0];
    if (!row) return null;
    const set = new Set(row.ids);
    this.remember(s, set);
    return set;
  }

  private remember(ref: string, s: ReadonlySet<string>): void {
    this.cache.set(ref, s);
    this.refs.set(s, ref);
    if (this.cache.size > FeedSets.CACHE) this.cache.delete(this.cache.keys().next().value!);
  }

  /**
   * Removes sets that no subscriber's state names and that are older than an hour (a set is stored just
   * before the state naming it), at most once an hour unless forced.
   */
  async sweep(force = false): Promise<number> {
    if (!force && Date.now() - this.lastSweep < 3_600_000) return 0;
    this.lastSweep = Date.now();
    const gone = (
      await this.pool.query<{ ref: string }>(
        `DELETE FROM feed_set s WHERE s.created_at < now() - interval '1 hour' AND NOT EXISTS (
           SELECT 1 FROM feed_subscriber f WHERE s.ref IN (f.acked->>'persons', f.acked->>'care', f.acked->>'hidden', f.pending->>'persons', f.pending->>'care', f.pending->>'hidden'))
         RETURNING ref`,
      )
    ).rows;
    for (const g of gone) this.cache.delete(g.ref);
    return gone.length;
  }
}

const DEFAULT_LIMIT = 5000;
const MAX_LIMIT = 20_000;

export async function feedPage(pool: pg.Pool, sets: FeedSets, epoch: string, head: number, v: Visibility, req: FeedRequest): Promise<FeedPage | { forbidden: true }> {
  const limit = Math.min(Math.max(1, req.limit ?? DEFAULT_LIMIT), MAX_LIMIT);
  const sub = (await pool.query<{ user_id: string; acked: State | null; pending: State | null }>('SELECT user_id, acked, pending FROM feed_subscriber WHERE id = $1', [req.subscriber])).rows[0];
  if (sub && sub.user_id !== v.userId) return { forbidden: true };
  if (req.cursor > head) return { reset: true, epoch, reason: 'cursor_ahead' };
  let prev: State | null = null;
  /** The sets of `prev`, read only where they differ from the user's current ones. */
  let before: { persons: PersonSet; care: PersonSet; hidden: ReadonlySet<string> } | null = null;
  if (req.cursor > 0) {
    if (sub?.pending?.cursor === req.cursor) prev = sub.pending;
    else if (sub?.acked?.cursor === req.cursor) prev = sub.acked;
    else return { reset: true, epoch, reason: 'unknown_cursor' };
    if (kind(prev.persons) !== kind(v.persons) || kind(prev.care) !== kind(v.care)) return { reset: true, epoch, reason: 'scope_kind_changed' };
    if (prev.flags !== undefined && prev.flags !== flagsOf(v)) return { reset: true, epoch, reason: 'grants_changed' };
    const same = (stored: StoredSet, now: PersonSet) => (now === 'all' ? stored === 'all' : stored === sets.refOf(now));
    const load = async (stored: StoredSet, now: PersonSet) => (same(stored, now) ? now : await sets.load(stored));
    const persons = await load(prev.persons, v.persons);
    const care = await load(prev.care, v.care);
    const hidden = await load(prev.hidden, v.hidden);
    // A state whose sets are gone cannot be compared with: the cache is taken again from the start.
    if (persons === null || care === null || hidden === null || hidden === 'all') return { reset: true, epoch, reason: 'unknown_state' };
    before = { persons, care, hidden };
  }

  const page = (
    await pool.query<{ entity: string; id: string; person_id: string | null; data: Row | null; seq: string }>(
      'SELECT entity, id, person_id, data, seq FROM record WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3',
      [req.cursor, head, limit],
    )
  ).rows;
  const more = page.length === limit;
  const cursor = more ? Number(page[page.length - 1]!.seq) : head;

  const records: FeedRecord[] = [];
  const removals: { entity: RecordTable; id: string }[] = [];
  const emit = (r: { entity: string; id: string; person_id: string | null; data: Row | null; seq: string }) => {
    if (!isSyncTable(r.entity)) return;
    const visiblePerson = r.person_id === null || has(v.persons, r.person_id);
    if (r.data === null) {
      if (visiblePerson) removals.push({ entity: r.entity, id: r.id });
      return;
    }
    const out = Projection.project(v, r.entity, r.person_id, r.data);
    if (out) records.push({ entity: r.entity, id: r.id, seq: Number(r.seq), data: out });
    // Withheld from a person the user does see (a contact now protected, care without the grant): the
    // cache may hold an older copy.
    else if (visiblePerson && r.person_id !== null) removals.push({ entity: r.entity, id: r.id });
  };

  let removedPersons: string[] = [];
  let removedCare: string[] = [];
  let hiddenPersons: string[] = [];
  if (before) {
    const prevSets = before;
    removedPersons = minus(prevSets.persons, v.persons);
    removedCare = minus(prevSets.care, v.care);
    hiddenPersons = prevSets.hidden === v.hidden ? [] : [...v.hidden].filter((id) => !prevSets.hidden.has(id));
    // What the cache lacks although it is older than its cursor: persons that entered the scope, care that
    // became visible, contacts no longer withheld.
    const entered = minus(v.persons, prevSets.persons);
    const careEntered = minus(v.care, prevSets.care);
    const unhidden = prevSets.hidden === v.hidden ? [] : [...prevSets.hidden].filter((id) => !v.hidden.has(id) && has(v.persons, id));
    const backfill = new Map<string, { entity: string; id: string; person_id: string | null; data: Row | null; seq: string }>();
    const take = async (sql: string, args: unknown[]) => {
      for (const r of (await pool.query<{ entity: string; id: string; person_id: string | null; data: Row | null; seq: string }>(sql, args)).rows) backfill.set(`${r.entity}|${r.id}`, r);
    };
    if (entered.length || careEntered.length) {
      await take('SELECT entity, id, person_id, data, seq FROM record WHERE person_id = ANY($1) AND seq <= $2 AND data IS NOT NULL', [[...new Set([...entered, ...careEntered])], req.cursor]);
    }
    if (unhidden.length) {
      await take('SELECT entity, id, person_id, data, seq FROM record WHERE person_id = ANY($1) AND entity = ANY($2) AND seq <= $3 AND data IS NOT NULL', [unhidden, CONTACT_TABLES, req.cursor]);
      // A request's requester contact, withheld while the requester was hidden.
      if (v.foi) await take(`SELECT entity, id, person_id, data, seq FROM record WHERE entity = 'foi_request' AND data->>'requester_person_id' = ANY($1) AND seq <= $2 AND data IS NOT NULL`, [unhidden, req.cursor]);
    }
    for (const r of backfill.values()) {
      const out = isSyncTable(r.entity) && r.data ? Projection.project(v, r.entity, r.person_id, r.data) : null;
      if (out) records.push({ entity: r.entity as RecordTable, id: r.id, seq: Number(r.seq), data: out });
    }
  }
  for (const r of page) emit(r);

  const settings = (
    await pool.query<{ key: string; value: string }>('SELECT key, value FROM setting WHERE seq > $1 AND seq <= $2', [req.cursor, cursor])
  ).rows.map((s) => ({ key: s.key, value: s.value }));

  const aggregates: { key: string; seq: number }[] = [];
  const visibleAggregate = (key: string): boolean => {
    const [kind, id = ''] = key.split(':', 2) as [string, string?];
    if (kind === 'person' || kind === 'care') return has(v.persons, id) || (kind === 'care' && has(v.care, id));
    if (kind === 'account') return v.accounts === 'all' || id === v.userId;
    if (kind === 'work') return v.worklist;
    if (kind === 'income' || kind === 'feerun' || kind === 'feereduction') return v.fees;
    if (kind === 'foi') return v.foi;
    return true;
  };
  for (const a of (await pool.query<{ key: string; seq: string }>('SELECT key, seq FROM aggregate WHERE seq > $1 AND seq <= $2', [req.cursor, cursor])).rows) {
    if (visibleAggregate(a.key)) aggregates.push({ key: a.key, seq: Number(a.seq) });
  }
  if (prev) {
    const enteredKeys = records.filter((r) => r.seq <= req.cursor).map((r) => r.data.person_id ?? r.data.child_id ?? r.data.pupil_id ?? (r.entity === 'person' ? r.id : null));
    const keys = [...new Set(enteredKeys.filter((x): x is string => typeof x === 'string'))].flatMap((id) => [`person:${id}`, `care:${id}`]);
    if (keys.length) {
      for (const a of (await pool.query<{ key: string; seq: string }>('SELECT key, seq FROM aggregate WHERE key = ANY($1) AND seq <= $2', [keys, req.cursor])).rows) {
        if (visibleAggregate(a.key)) aggregates.push({ key: a.key, seq: Number(a.seq) });
      }
    }
  }

  const next: State = { cursor, persons: await sets.store(v.persons), care: await sets.store(v.care), hidden: await sets.store(v.hidden), flags: flagsOf(v) };
  // Without waiting for the disk: a state lost to a crash only makes the next pull of this cache a reset
  // (its cursor is then unknown), and the pull is not slowed by a flush of the write-ahead log.
  await withTransaction(
    pool,
    (c) =>
      c.query(
        `INSERT INTO feed_subscriber (id, user_id, acked, pending, updated_at) VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (id) DO UPDATE SET acked = excluded.acked, pending = excluded.pending, updated_at = now()`,
        [req.subscriber, v.userId, prev ? JSON.stringify(prev) : null, JSON.stringify(next)],
      ),
    { settings: ['synchronous_commit TO off'] },
  );
  void sets.sweep().catch(() => undefined);
  return { reset: false, epoch, cursor, head, more, records, removals, removedPersons, removedCare, hiddenPersons, settings, aggregates };
}
