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
import type pg from 'pg';
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

interface State {
  cursor: number;
  persons: 'all' | string[];
  care: 'all' | string[];
  hidden: string[];
}

const toJson = (s: PersonSet): 'all' | string[] => (s === 'all' ? 'all' : [...s]);
const fromJson = (s: 'all' | string[]): PersonSet => (s === 'all' ? 'all' : new Set(s));
const kind = (s: PersonSet | 'all' | string[]) => (s === 'all' ? 'all' : 'some');
const minus = (a: 'all' | string[], b: PersonSet): string[] => (a === 'all' ? [] : a.filter((x) => !has(b, x)));

const DEFAULT_LIMIT = 5000;
const MAX_LIMIT = 20_000;

export async function feedPage(pool: pg.Pool, epoch: string, head: number, v: Visibility, req: FeedRequest): Promise<FeedPage | { forbidden: true }> {
  const limit = Math.min(Math.max(1, req.limit ?? DEFAULT_LIMIT), MAX_LIMIT);
  const sub = (await pool.query<{ user_id: string; acked: State | null; pending: State | null }>('SELECT user_id, acked, pending FROM feed_subscriber WHERE id = $1', [req.subscriber])).rows[0];
  if (sub && sub.user_id !== v.userId) return { forbidden: true };
  if (req.cursor > head) return { reset: true, epoch, reason: 'cursor_ahead' };
  let prev: State | null = null;
  if (req.cursor > 0) {
    if (sub?.pending?.cursor === req.cursor) prev = sub.pending;
    else if (sub?.acked?.cursor === req.cursor) prev = sub.acked;
    else return { reset: true, epoch, reason: 'unknown_cursor' };
    if (kind(prev.persons) !== kind(v.persons) || kind(prev.care) !== kind(v.care)) return { reset: true, epoch, reason: 'scope_kind_changed' };
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
  if (prev) {
    removedPersons = minus(prev.persons, v.persons);
    removedCare = minus(prev.care, v.care);
    const prevHidden = new Set(prev.hidden);
    hiddenPersons = [...v.hidden].filter((id) => !prevHidden.has(id));
    // What the cache lacks although it is older than its cursor: persons that entered the scope, care that
    // became visible, contacts no longer withheld.
    const entered = v.persons === 'all' ? [] : [...v.persons].filter((id) => !has(fromJson(prev.persons), id));
    const careEntered = v.care === 'all' ? [] : [...v.care].filter((id) => !has(fromJson(prev.care), id));
    const unhidden = prev.hidden.filter((id) => !v.hidden.has(id) && has(v.persons, id));
    const backfill = new Map<string, { entity: string; id: string; person_id: string | null; data: Row | null; seq: string }>();
    const take = async (sql: string, args: unknown[]) => {
      for (const r of (await pool.query<{ entity: string; id: string; person_id: string | null; data: Row | null; seq: string }>(sql, args)).rows) backfill.set(`${r.entity}|${r.id}`, r);
    };
    if (entered.length || careEntered.length) {
      await take('SELECT entity, id, person_id, data, seq FROM record WHERE person_id = ANY($1) AND seq <= $2 AND data IS NOT NULL', [[...new Set([...entered, ...careEntered])], req.cursor]);
    }
    if (unhidden.length) {
      await take('SELECT entity, id, person_id, data, seq FROM record WHERE person_id = ANY($1) AND entity = ANY($2) AND seq <= $3 AND data IS NOT NULL', [unhidden, CONTACT_TABLES, req.cursor]);
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

  const next: State = { cursor, persons: toJson(v.persons), care: toJson(v.care), hidden: [...v.hidden] };
  await pool.query(
    `INSERT INTO feed_subscriber (id, user_id, acked, pending, updated_at) VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (id) DO UPDATE SET acked = excluded.acked, pending = excluded.pending, updated_at = now()`,
    [req.subscriber, v.userId, prev ? JSON.stringify(prev) : null, JSON.stringify(next)],
  );
  return { reset: false, epoch, cursor, head, more, records, removals, removedPersons, removedCare, hiddenPersons, settings, aggregates };
}
