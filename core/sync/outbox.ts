/**
 * The workstation's outbox (docs/sync.md "Mutations"), written by the dispatcher inside the write's own
 * transaction in joined mode: the write and its outbox entry commit together or not at all.
 *
 * The entry holds the method and its parsed input (the server re-runs them) and the base: every aggregate
 * the write changed, with what this workstation had seen of it: the server's seq from the feed, or, when
 * one of its own writes that the server has not answered yet changed it last, that write's id. Writes
 * that changed no record (a form saved unchanged) and the workstation's own bookkeeping (sign-in, the
 * sync domain) have no entry.
 */
import type Database from 'better-sqlite3';
import { aggregateOf, isSyncTable, readRecord } from './records';
import type { Row } from '../write/records';

/** Methods whose writes are this workstation's own state, never pushed. */
const LOCAL_PREFIXES = ['auth.', 'session.', 'sync.'];
export const isLocalMethod = (method: string) => LOCAL_PREFIXES.some((p) => method.startsWith(p));

export type BaseEntry = { seq: number } | { mutation: string };

interface Stmts {
  changes: Database.Statement<[string], { entity: string; entity_id: string; changes: string | null }>;
  aggregate: Database.Statement<[string], { seq: number; pending: string | null }>;
  setPending: Database.Statement<[string, string]>;
  ordinal: Database.Statement<[], { n: number }>;
  insert: Database.Statement<[string, number, string, string, string, string, string]>;
}
const cache = new WeakMap<Database.Database, Stmts>();
function stmts(sqlite: Database.Database): Stmts {
  let s = cache.get(sqlite);
  if (!s) {
    s = {
      changes: sqlite.prepare('SELECT entity, entity_id, changes FROM change_log WHERE mutation_id = ? ORDER BY seq'),
      aggregate: sqlite.prepare('SELECT seq, pending FROM sync_aggregate WHERE key = ?'),
      setPending: sqlite.prepare(
        `INSERT INTO sync_aggregate (key, seq, pending) VALUES (?, 0, ?) ON CONFLICT(key) DO UPDATE SET pending = excluded.pending`,
      ),
      ordinal: sqlite.prepare('SELECT coalesce(max(ordinal), 0) + 1 AS n FROM sync_outbox'),
      insert: sqlite.prepare(
        `INSERT INTO sync_outbox (mutation_id, ordinal, actor_id, method, input, base, state, created_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)`,
      ),
    };
    cache.set(sqlite, s);
  }
  return s;
}

/** A removed record's aggregate, from the before values its change record kept. */
function rowFromBefore(changes: string | null, id: string): Row {
  const row: Row = { id };
  if (!changes) return row;
  for (const [col, pair] of Object.entries(JSON.parse(changes) as Record<string, [unknown, unknown]>)) row[col] = pair[0] ?? pair[1];
  return row;
}

/** Inside the write's transaction, after its handler ran. */
export function recordOutbox(sqlite: Database.Database, mutationId: string, actorId: string, method: string, input: unknown, at: string): void {
  if (isLocalMethod(method)) return;
  const s = stmts(sqlite);
  const changes = s.changes.all(mutationId);
  if (!changes.length) return;
  const keys = new Set<string>();
  for (const c of changes) {
    if (!isSyncTable(c.entity)) continue;
    const row = readRecord(sqlite, c.entity, c.entity_id) ?? rowFromBefore(c.changes, c.entity_id);
    keys.add(aggregateOf(c.entity, c.entity_id, row));
  }
  const base: Record<string, BaseEntry> = {};
  for (const key of keys) {
    const a = s.aggregate.get(key);
    base[key] = a?.pending ? { mutation: a.pending } : { seq: a?.seq ?? 0 };
    s.setPending.run(key, mutationId);
  }
  s.insert.run(mutationId, s.ordinal.get()!.n, actorId, method, JSON.stringify(input ?? {}), JSON.stringify(base), at);
}
