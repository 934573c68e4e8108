/**
 * The central audit chain (docs/sync.md "Audit").
 *
 * The replica's own audit_log *is* the central chain: every entry the server writes (a pushed mutation, a
 * sign-in, an auditor's query) and every entry a workstation ships (its reads from the cache) is appended
 * to the replica's chain by the core's appendAudit, and the engine mirrors each new entry into PostgreSQL's
 * append-only audit_entry in the same PostgreSQL transaction. So the auditor's screen, which runs the
 * core's audit.query on the server, reads the central log with the same code as a standalone workstation,
 * and a replica rebuilt from PostgreSQL gets its chain back from audit_entry (restoreReplicaAudit).
 *
 * A workstation's batch is checked against that workstation's anchor (workstation_audit: the last local
 * entry shipped): it must extend exactly that entry. Entries shipped in full (reads, refusals, local
 * unlocks) are recomputed from their content, so a rewritten entry does not verify; entries of writes the
 * server re-ran itself come as links (seq, hash, prev_hash) that keep the chain checkable without logging
 * the write twice.
 */
import type pg from 'pg';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { appendAudit, canonicalJson, entryHash, GENESIS_HASH, type AuditInput } from '../../core/audit/chain';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
export const shippedEntry = z
  .object({
    seq: z.number().int().min(1),
    hash: hex64,
    prevHash: hex64,
    entry: z
      .object({
        at: z.string().max(40),
        actorId: z.string().max(100),
        actorName: z.string().max(300),
        workstation: z.string().max(200),
        method: z.string().max(100),
        action: z.string().max(40),
        outcome: z.string().max(60),
        personIds: z.array(z.string().max(100)).max(100_000),
        details: z.record(z.string(), z.unknown()),
        reason: z.string().max(2000).nullable(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type ShippedEntry = z.infer<typeof shippedEntry>;

export const auditBatch = z
  .object({
    workstation: z.string().min(1).max(100),
    entries: z.array(shippedEntry).max(2000),
  })
  .strict();
export type AuditBatch = z.infer<typeof auditBatch>;

export interface ChainBreak {
  /** What the server held of the workstation's chain, and what the batch started with. */
  expected: { seq: number; hash: string } | null;
  received: { seq: number; prevHash: string };
  problem: 'gap' | 'rewritten' | 'restarted' | 'bad_hash';
}

export interface CheckedBatch {
  /** Entries not shipped before, in order. */
  fresh: ShippedEntry[];
  breakAt: ChainBreak | null;
  /** The anchor after this batch. */
  last: { seq: number; hash: string } | null;
}

/**
 * Checks a batch against the workstation's anchor. Entries up to the anchor are a re-ship (an answer that
 * was lost) only if the batch holds the anchor's own entry with its hash; anything else that does not
 * extend the anchor is a break, and the batch is then taken as the chain from here on (nothing a
 * workstation logged is dropped because its chain broke).
 */
export function checkBatch(anchor: { seq: number; hash: string } | null, entries: ShippedEntry[]): CheckedBatch {
  let breakAt: ChainBreak | null = null;
  const brk = (e: ShippedEntry, problem: ChainBreak['problem']) => {
    breakAt ??= { expected: anchor, received: { seq: e.seq, prevHash: e.prevHash }, problem };
  };
  // Each entry links to the one before it in the batch, and a full entry's hash is its content's.
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (i > 0 && (e.seq !== entries[i - 1]!.seq + 1 || e.prevHash !== entries[i - 1]!.hash)) brk(e, 'gap');
    if (e.entry && entryHash(e.seq, { ...e.entry, prevHash: e.prevHash }) !== e.hash) brk(e, 'bad_hash');
  }
  if (!entries.length) return { fresh: [], breakAt: null, last: anchor };
  const first = entries[0]!;
  let fresh = entries;
  if (!anchor) {
    if (first.seq !== 1 || first.prevHash !== GENESIS_HASH) brk(first, 'gap');
  } else if (first.seq === anchor.seq + 1) {
    if (first.prevHash !== anchor.hash) brk(first, 'rewritten');
  } else if (first.seq > anchor.seq + 1) {
    brk(first, 'gap');
  } else {
    // A re-ship: it must hold the anchor's entry unchanged.
    const at = entries.find((e) => e.seq === anchor.seq);
    if (at && at.hash === anchor.hash) fresh = entries.filter((e) => e.seq > anchor.seq);
    else brk(first, at ? 'rewritten' : first.seq === 1 ? 'restarted' : 'rewritten');
  }
  const lastEntry = entries[entries.length - 1]!;
  return { fresh, breakAt, last: breakAt || !anchor || lastEntry.seq > anchor.seq ? { seq: lastEntry.seq, hash: lastEntry.hash } : anchor };
}

/**
 * Appends a checked batch to the replica's chain (inside the caller's replica transaction): each full
 * entry as the workstation logged it, with where it came from in its details; a break as an entry of its
 * own before them.
 */
export function appendShipped(
  sqlite: Database.Database,
  batch: { workstation: string; shippedBy: { id: string; name: string }; at: string },
  checked: CheckedBatch,
): number {
  let n = 0;
  if (checked.breakAt) {
    appendAudit(sqlite, {
      at: batch.at,
      actorId: batch.shippedBy.id,
      actorName: batch.shippedBy.name,
      workstation: batch.workstation,
      method: 'sync.audit',
      action: 'audit_break',
      outcome: checked.breakAt.problem,
      personIds: [],
      details: { expected: checked.breakAt.expected, received: checked.breakAt.received },
      reason: null,
    });
    n++;
  }
  for (const e of checked.fresh) {
    if (!e.entry) continue;
    const input: AuditInput = { ...e.entry, details: { ...e.entry.details, shipped: { workstation: batch.workstation, seq: e.seq, hash: e.hash } } };
    appendAudit(sqlite, input);
    n++;
  }
  return n;
}

export async function readAnchor(c: pg.PoolClient, workstation: string): Promise<{ seq: number; hash: string } | null> {
  const r = (await c.query<{ last_seq: string; last_hash: string }>('SELECT last_seq, last_hash FROM workstation_audit WHERE workstation = $1 FOR UPDATE', [workstation])).rows[0];
  return r ? { seq: Number(r.last_seq), hash: r.last_hash } : null;
}

export async function writeAnchor(c: pg.PoolClient, workstation: string, checked: CheckedBatch, count: number): Promise<void> {
  if (!checked.last) return;
  await c.query(
    `INSERT INTO workstation_audit (workstation, last_seq, last_hash, entries, breaks, last_break, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, now())
     ON CONFLICT (workstation) DO UPDATE SET last_seq = excluded.last_seq, last_hash = excluded.last_hash,
       entries = workstation_audit.entries + excluded.entries, breaks = workstation_audit.breaks + excluded.breaks,
       last_break = coalesce(excluded.last_break, workstation_audit.last_break), updated_at = now()`,
    [workstation, checked.last.seq, checked.last.hash, count, checked.breakAt ? 1 : 0, checked.breakAt ? JSON.stringify(checked.breakAt) : null],
  );
}

type AuditRow = {
  seq: string;
  at: string;
  actor_id: string;
  actor_name: string;
  workstation: string;
  method: string;
  action: string;
  outcome: string;
  person_ids: string[];
  details: Record<string, unknown> | null;
  reason: string | null;
  prev_hash: string;
  hash: string;
};

/**
 * Brings the replica's chain up to PostgreSQL's: the entries PostgreSQL holds after the replica's last one,
 * copied as they are (same seq, same hashes), provided the two chains agree where the replica ends. A fresh
 * replica gets the whole central log back this way; one whose last transaction was lost after PostgreSQL's
 * commit gets that transaction's entries. Returns the number copied.
 */
export async function restoreReplicaAudit(pool: pg.Pool, sqlite: Database.Database): Promise<number> {
  const last = sqlite.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  if (last) {
    const there = (await pool.query<{ hash: string }>('SELECT hash FROM audit_entry WHERE seq = $1', [last.seq])).rows[0];
    // The replica's chain is not a prefix of the central one: leave both as they are (shipAudit re-chains).
    if (!there || there.hash !== last.hash) return 0;
  }
  let from = last?.seq ?? 0;
  let copied = 0;
  const insert = sqlite.prepare(
    `INSERT INTO audit_log (seq, at, actor_id, actor_name, workstation, method, action, outcome, person_ids, details, reason, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const head = sqlite.prepare(`INSERT INTO app_meta (key, value) VALUES ('audit.head', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
  const mark = sqlite.prepare(`INSERT INTO app_meta (key, value) VALUES ('sync.audit_shipped', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
  for (;;) {
    const rows = (await pool.query<AuditRow>('SELECT * FROM audit_entry WHERE seq > $1 ORDER BY seq LIMIT 5000', [from])).rows;
    if (!rows.length) break;
    sqlite.transaction(() => {
      for (const r of rows) {
        insert.run(Number(r.seq), r.at, r.actor_id, r.actor_name, r.workstation, r.method, r.action, r.outcome, JSON.stringify(r.person_ids), canonicalJson(r.details ?? {}), r.reason, r.prev_hash, r.hash);
      }
      const top = rows[rows.length - 1]!;
      head.run(`${top.seq}:${top.hash}`);
      mark.run(String(top.seq));
    })();
    copied += rows.length;
    from = Number(rows[rows.length - 1]!.seq);
  }
  return copied;
}

/**
 * `kansli server import`: the standalone database's audit log moves with its register (it is the record of
 * who saw and changed those persons). Into an empty central log it is copied as it is, so the standalone
 * chain's hashes and its exported anchors go on verifying; into a log that already holds entries it is
 * re-chained after them, each entry naming its standalone seq and hash.
 */
export async function importAuditChain(c: pg.PoolClient, src: Database.Database): Promise<number> {
  const last = (await c.query<{ seq: string; hash: string }>('SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1')).rows[0];
  const verbatim = !last;
  let seq = last ? Number(last.seq) : 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  let n = 0;
  const rows = src.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as Iterable<Record<string, unknown>>;
  let out: unknown[] = [];
  const flush = async () => {
    if (!out.length) return;
    await c.query(
      `INSERT INTO audit_entry (seq, at, actor_id, actor_name, workstation, method, action, outcome, person_ids, details, reason, prev_hash, hash, origin)
       SELECT seq, at, actor_id, actor_name, workstation, method, action, outcome, person_ids, details, reason, prev_hash, hash, origin
       FROM jsonb_to_recordset($1::jsonb) AS x(seq bigint, at text, actor_id text, actor_name text, workstation text, method text, action text,
         outcome text, person_ids jsonb, details jsonb, reason text, prev_hash text, hash text, origin text)`,
      [JSON.stringify(out)],
    );
    out = [];
  };
  for (const r of rows) {
    const input: AuditInput = {
      at: String(r.at),
      actorId: String(r.actor_id),
      actorName: String(r.actor_name),
      workstation: String(r.workstation),
      method: String(r.method),
      action: String(r.action),
      outcome: String(r.outcome),
      personIds: JSON.parse(String(r.person_ids ?? '[]')) as string[],
      details: r.details === null || r.details === undefined ? {} : (JSON.parse(String(r.details)) as Record<string, unknown>),
      reason: (r.reason as string | null) ?? null,
    };
    if (!verbatim) input.details = { ...input.details, imported: { seq: Number(r.seq), hash: String(r.hash) } };
    seq = verbatim ? Number(r.seq) : seq + 1;
    const hash = verbatim ? String(r.hash) : entryHash(seq, { ...input, prevHash });
    out.push({
      seq,
      at: input.at,
      actor_id: input.actorId,
      actor_name: input.actorName,
      workstation: input.workstation,
      method: input.method,
      action: input.action,
      outcome: input.outcome,
      person_ids: input.personIds,
      details: input.details,
      reason: input.reason,
      prev_hash: verbatim ? String(r.prev_hash) : prevHash,
      hash,
      origin: `import:${String(r.seq)}`,
    });
    prevHash = hash;
    n++;
    if (out.length >= 5000) await flush();
  }
  await flush();
  return n;
}
