/**
 * Mutation ids: the client names each write with a UUID before sending it. The id is stored with the
 * write's result in the same transaction, so
 * - a call repeated after a dropped connection returns the first answer instead of writing twice, and
 * - `mutation.status` tells a client that lost its answer (the core was killed mid-commit, the network
 *   dropped) whether the write committed, is still running, or never happened.
 * Results are kept small (write results are ids and versions); older records are pruned after 30 days.
 */
import type Database from 'better-sqlite3';

const MAX_RESULT_BYTES = 64 * 1024;

interface Stmts {
  get: Database.Statement<[string], { actor_id: string; method: string; at: string; result: string | null }>;
  put: Database.Statement<[string, string, string, string, string | null]>;
}
const stmts = new WeakMap<Database.Database, Stmts>();

function of(sqlite: Database.Database): Stmts {
  let s = stmts.get(sqlite);
  if (!s) {
    s = {
      get: sqlite.prepare('SELECT actor_id, method, at, result FROM mutation WHERE id = ?'),
      put: sqlite.prepare('INSERT INTO mutation (id, actor_id, method, at, result) VALUES (?, ?, ?, ?, ?)'),
    };
    stmts.set(sqlite, s);
  }
  return s;
}

export function committedMutation(sqlite: Database.Database, id: string): { actorId: string; method: string; at: string; result: unknown } | null {
  const r = of(sqlite).get.get(id);
  if (!r) return null;
  return { actorId: r.actor_id, method: r.method, at: r.at, result: r.result === null ? null : (JSON.parse(r.result) as unknown) };
}

/** Inside the write's own transaction. */
export function recordMutation(sqlite: Database.Database, id: string, actorId: string, method: string, at: string, result: unknown): void {
  let text: string | null = JSON.stringify(result ?? null);
  if (text.length > MAX_RESULT_BYTES) text = null;
  of(sqlite).put.run(id, actorId, method, at, text);
}

export function pruneMutations(sqlite: Database.Database, before: string): number {
  return sqlite.prepare('DELETE FROM mutation WHERE at < ?').run(before).changes;
}

/** Mutation ids of calls running now in this core (in memory: a restarted core has none running). */
export class MutationRegistry {
  private readonly running = new Map<string, number>();
  begin(id: string): void {
    this.running.set(id, (this.running.get(id) ?? 0) + 1);
  }
  end(id: string): void {
    const n = (this.running.get(id) ?? 1) - 1;
    if (n <= 0) this.running.delete(id);
    else this.running.set(id, n);
  }
  isRunning(id: string): boolean {
    return this.running.has(id);
  }
}
