/**
 * The workstation's side of the central audit (docs/sync.md "Audit"): the local audit log's entries after
 * the shipped mark, as the server's POST /sync/audit takes them.
 *
 * Every entry travels, so the server can check that the local chain goes on unbroken (its anchor is the
 * last entry it holds); most travel in full: reads from the cache, refusals, local unlocks, the sync
 * screen's own steps. A write that was pushed as a mutation travels as a link only (seq, hash, previous
 * hash): the server re-ran it and logged it itself, and the auditor should not see it twice.
 */
import type Database from 'better-sqlite3';
import { contract, isMethodName } from '../../shared/api/contract';
import type { AuditInput } from '../audit/chain';
import { isLocalMethod } from './outbox';

export interface ShippedEntry {
  seq: number;
  hash: string;
  prevHash: string;
  entry?: AuditInput;
}

type LogRow = {
  seq: number;
  at: string;
  actor_id: string;
  actor_name: string;
  workstation: string;
  method: string;
  action: string;
  outcome: string;
  person_ids: string;
  details: string | null;
  reason: string | null;
  prev_hash: string;
  hash: string;
};

/** Whether the entry records a write the server re-runs from the outbox (then it travels as a link). */
export function pushedWrite(method: string, outcome: string): boolean {
  if (outcome !== 'ok' || isLocalMethod(method) || !isMethodName(method)) return false;
  const def = contract[method];
  return def.writes && (def.run ?? 'tx') === 'tx';
}

/**
 * The next batch after `mark`, at most `maxEntries` entries and about `maxBytes` of JSON (an entry for a
 * class list names a thousand persons). A mark past the log's end means the log went backwards (truncated
 * or replaced): the batch then starts from the beginning, and the server records the break.
 */
export function nextAuditBatch(sqlite: Database.Database, mark: number, maxEntries = 1000, maxBytes = 2_000_000): { entries: ShippedEntry[]; restart: boolean } {
  const top = (sqlite.prepare('SELECT coalesce(max(seq), 0) FROM audit_log').pluck().get() as number) ?? 0;
  const restart = top < mark;
  const from = restart ? 0 : mark;
  const rows = sqlite.prepare('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?').all(from, maxEntries) as LogRow[];
  const entries: ShippedEntry[] = [];
  let bytes = 0;
  for (const r of rows) {
    const e: ShippedEntry = { seq: r.seq, hash: r.hash, prevHash: r.prev_hash };
    if (!pushedWrite(r.method, r.outcome)) {
      e.entry = {
        at: r.at,
        actorId: r.actor_id,
        actorName: r.actor_name,
        workstation: r.workstation,
        method: r.method,
        action: r.action,
        outcome: r.outcome,
        personIds: JSON.parse(r.person_ids || '[]') as string[],
        details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : {},
        reason: r.reason,
      };
    }
    const size = JSON.stringify(e).length;
    if (entries.length && bytes + size > maxBytes) break;
    entries.push(e);
    bytes += size;
  }
  return { entries, restart };
}
