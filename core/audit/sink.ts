/**
 * Where audit entries go besides the chain itself: the anchor file written after each commit (anchor.ts),
 * and the pending journal that lets a read be audited while another connection holds the write lock.
 *
 * ## Use, per connection (the main thread's and each worker thread's own)
 *
 *   attachAuditSink(sqlite, { ...auditSidecarPaths(dbPath), onError })   after opening the database
 *   appendReadAudit(sqlite, entry)   for a call that only reads: after its read transaction has ended
 *   appendAudit(sqlite, entry)       (chain.ts) for a write: inside its transaction, as before
 *   auditCommitted(sqlite)           after every transaction that may have appended entries has ended,
 *                                    committed or rolled back (better-sqlite3 has no commit hook)
 *   flushPendingAudit(sqlite)        at start, and before the audit log is read
 *   detachAuditSink(sqlite)          before closing
 *
 * ## Why reads do not wait
 *
 * better-sqlite3 is synchronous: a connection waiting for the write lock (busy_timeout) blocks its whole
 * thread. A population-register import or the rollover holds the lock on its own connection for tens of
 * seconds while the main thread must keep answering person cards and searches, each of which appends an
 * entry. appendReadAudit therefore tries BEGIN IMMEDIATE with busy_timeout 0 for that one attempt (the
 * connection's own timeout is restored at once, so writes still wait as before). If the lock is taken
 * (SQLITE_BUSY), the entry goes to the pending journal, a separate small SQLite database beside the main
 * one (WAL, synchronous = NORMAL like the main database: it survives a crash of the application), and
 * the call returns. The data is released only once the entry is durable in one of the two places.
 *
 * ## Merging without losing or duplicating an entry
 *
 * The journal and the main database are two files, and SQLite cannot commit across two WAL databases
 * atomically, so a crash can always fall between committing the merged entries and deleting them from
 * the journal. Instead of an atomicity we do not have, every merge is made idempotent and checkable:
 *
 * 1. Each pending row has a UUID (`id`), which the merged entry carries as `details.queued`; it is
 *    covered by the entry's hash.
 * 2. The merge takes the main write lock before it reads anything (so it sees every committed merge and
 *    no other can commit until it ends), which fixes the seqs it will use. Before appending it records
 *    them in the journal (`claimed_seq`, committed there first).
 * 3. It appends the entries (in arrival order) and the main transaction commits.
 * 4. After the commit (auditCommitted), each row whose claimed seq now holds an entry with its id is
 *    deleted from the journal.
 *
 * A crash after 2 leaves a claim for a seq that does not hold the row's id (it was never committed, or
 * another entry took the seq): the row is merged again. A crash after 3 leaves rows whose claimed seq
 * does hold their id: the next merge sees that with one primary-key lookup, skips them and deletes them.
 * Rather than a migration (a column or an index on the log), the claim keeps the check a primary-key
 * lookup without touching the schema that other branches also change.
 */
import { randomUUID } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { appendAnchor } from './anchor';
import { appendAudit, setBeforeAppend, type AuditInput } from './chain';

export interface AuditSinkOptions {
  /** The anchor file; null: none (an in-memory database has nothing to anchor). */
  anchorPath: string | null;
  /** The pending journal; null: none, and appendReadAudit waits for the lock like a write does. */
  pendingPath: string | null;
  /**
   * Failures that must not fail a call whose data is already committed or already audited (an anchor
   * line that could not be written, journal cleanup): the operational log hears of them.
   */
  onError?: (event: string, err: unknown) => void;
  /** Time written on anchor lines (default: the real clock, even under a test's fixed clock). */
  now?: () => string;
}

/**
 * The anchor file and pending journal beside the database file `dbPath`, named after it so that two
 * databases in one folder (the benchmark's copies) never share them: kansli.sqlite has
 * kansli.audit-anchor and kansli.audit-pending.sqlite.
 */
export function auditSidecarFiles(dbPath: string): { anchorPath: string; pendingPath: string } {
  const stem = basename(dbPath).replace(/\.(sqlite3?|db)$/i, '');
  return { anchorPath: join(dirname(dbPath), `${stem}.audit-anchor`), pendingPath: join(dirname(dbPath), `${stem}.audit-pending.sqlite`) };
}

/** auditSidecarFiles, or none for ':memory:'. */
export function auditSidecarPaths(dbPath: string): { anchorPath: string | null; pendingPath: string | null } {
  return dbPath === ':memory:' ? { anchorPath: null, pendingPath: null } : auditSidecarFiles(dbPath);
}

/**
 * The sink paths for a core's options (CoreOptions): a given path wins and null turns the file off;
 * otherwise the sidecars of the database. A worker thread given the same options gets the same files.
 */
export function auditPathsFor(opts: { dbPath: string; auditAnchorPath?: string | null; auditPendingPath?: string | null }): {
  anchorPath: string | null;
  pendingPath: string | null;
} {
  const beside = auditSidecarPaths(opts.dbPath);
  return {
    anchorPath: opts.auditAnchorPath !== undefined ? opts.auditAnchorPath : beside.anchorPath,
    pendingPath: opts.auditPendingPath !== undefined ? opts.auditPendingPath : beside.pendingPath,
  };
}

interface PendingRow {
  arrival: number;
  id: string;
  entry: string;
  claimedSeq: number | null;
}

interface Journal {
  db: Database.Database;
  any: Database.Statement<[], { x: number }>;
  all: Database.Statement<[number], PendingRow>;
  countUnclaimed: Database.Statement<[string], { n: number }>;
  queue: Database.Statement<[string, string]>;
  claim: Database.Statement<[number, string]>;
  remove: Database.Statement<[string]>;
}

interface Sink {
  anchorPath: string | null;
  journal: Journal | null;
  onError: (event: string, err: unknown) => void;
  now: () => string;
  /** The highest seq this connection has anchored; another connection's lines may be higher. */
  lastAnchoredSeq: number;
  /** Journal rows merged (or found merged) by this connection's open or just-ended transaction: id → seq. */
  claimed: Map<string, number>;
  /**
   * The last journal row (arrival) the open transaction's merges have read: the next merge in the same
   * transaction reads only the rows after it. Without it every append re-read the whole journal, and an
   * import logging its persons in parts, while clerks' reads queued up, went quadratic (measured: a
   * 500 000-person apply that takes two minutes ran for over 25 with a few hundred thousand queued reads).
   * Back to 0 when the transaction has ended (auditCommitted), and whenever `readMark`, the last entry
   * those rows were merged as, is no longer in the log (a transaction or savepoint that rolled back without
   * auditCommitted being called): a rolled-back merge is merged again.
   */
  readUpTo: number;
  readMark: { seq: number; id: string } | null;
  /** Set while merging, so the appends of the merge do not start another merge. */
  merging: boolean;
  last: Database.Statement<[], { seq: number; hash: string }>;
  takeWriteLock: Database.Statement<[]>;
  queuedAt: Database.Statement<[number], { q: string | null }>;
  append: Database.Transaction<(e: AuditInput) => { seq: number; hash: string }>;
}

const sinks = new WeakMap<Database.Database, Sink>();

function openJournal(path: string): Journal {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Journal transactions last microseconds; a wait here is never a long job's lock.
    db.pragma('busy_timeout = 2000');
    db.exec(`CREATE TABLE IF NOT EXISTS pending_audit (
      arrival INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      entry TEXT NOT NULL,
      claimed_seq INTEGER
    ) STRICT`);
    return {
      db,
      any: db.prepare('SELECT 1 AS x FROM pending_audit LIMIT 1'),
      all: db.prepare('SELECT arrival, id, entry, claimed_seq AS claimedSeq FROM pending_audit WHERE arrival > ? ORDER BY arrival'),
      countUnclaimed: db.prepare('SELECT count(*) AS n FROM pending_audit WHERE id NOT IN (SELECT value FROM json_each(?))'),
      queue: db.prepare('INSERT INTO pending_audit (id, entry) VALUES (?, ?)'),
      claim: db.prepare('UPDATE pending_audit SET claimed_seq = ? WHERE id = ?'),
      remove: db.prepare('DELETE FROM pending_audit WHERE id = ?'),
    };
  } catch (e) {
    db.close();
    throw e;
  }
}

/** Connects `sqlite` (migrated) to its anchor file and pending journal. */
export function attachAuditSink(sqlite: Database.Database, opts: AuditSinkOptions): void {
  if (sinks.has(sqlite)) throw new Error('This connection already has an audit sink');
  const journal = opts.pendingPath ? openJournal(opts.pendingPath) : null;
  const sink: Sink = {
    anchorPath: opts.anchorPath,
    journal,
    onError: opts.onError ?? ((event, err) => process.stderr.write(`${event}: ${err instanceof Error ? err.message : String(err)}\n`)),
    now: opts.now ?? (() => new Date().toISOString()),
    lastAnchoredSeq: 0,
    claimed: new Map(),
    readUpTo: 0,
    readMark: null,
    merging: false,
    last: sqlite.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1'),
    // A write statement takes the write lock even when it changes nothing.
    takeWriteLock: sqlite.prepare('DELETE FROM app_meta WHERE 0'),
    // json_valid first: a tampered details column must not make the merge throw (verify reports it).
    queuedAt: sqlite.prepare(`SELECT CASE WHEN json_valid(details) THEN json_extract(details, '$.queued') END AS q FROM audit_log WHERE seq = ?`),
    append: sqlite.transaction((e: AuditInput) => appendAudit(sqlite, e)),
  };
  sinks.set(sqlite, sink);
  if (journal) setBeforeAppend(sqlite, mergePendingAudit);
}

/** Finishes the post-commit work (auditCommitted) and closes the journal; call before closing `sqlite`. */
export function detachAuditSink(sqlite: Database.Database): void {
  const sink = sinks.get(sqlite);
  if (!sink) return;
  auditCommitted(sqlite);
  sinks.delete(sqlite);
  setBeforeAppend(sqlite, null);
  sink.journal?.db.close();
}

/** The anchor file of the connection's sink, for verifyAuditChain; null without one. */
export function auditAnchorPath(sqlite: Database.Database): string | null {
  return sinks.get(sqlite)?.anchorPath ?? null;
}

export function isBusy(e: unknown): boolean {
  // SQLITE_BUSY and its extended codes (BUSY_SNAPSHOT: a read transaction that cannot become a write).
  return e instanceof Database.SqliteError && (e.code === 'SQLITE_BUSY' || e.code.startsWith('SQLITE_BUSY_'));
}

/** Runs `fn` with the connection's busy_timeout at 0, then restores the connection's own value. */
export function withoutWaiting<T>(sqlite: Database.Database, fn: () => T): T {
  // Read afresh each time, not from a prepared statement: SQLite compiles the current value into it.
  const own = Number(sqlite.pragma('busy_timeout', { simple: true }));
  sqlite.pragma('busy_timeout = 0');
  try {
    return fn();
  } finally {
    sqlite.pragma(`busy_timeout = ${own}`);
  }
}

function parseEntry(text: string): AuditInput | null {
  try {
    const v = JSON.parse(text) as Partial<AuditInput> | null;
    const str = (x: unknown) => typeof x === 'string';
    if (
      v &&
      str(v.at) &&
      str(v.actorId) &&
      str(v.actorName) &&
      str(v.workstation) &&
      str(v.method) &&
      str(v.action) &&
      str(v.outcome) &&
      Array.isArray(v.personIds) &&
      v.personIds.every(str) &&
      v.details !== null &&
      typeof v.details === 'object' &&
      !Array.isArray(v.details) &&
      (v.reason === null || str(v.reason))
    ) {
      return v as AuditInput;
    }
  } catch {
    // reported by the caller
  }
  return null;
}

/**
 * Merges the pending journal into the chain, in arrival order, inside the caller's transaction (which
 * must be able to write: appendAudit calls this before each entry). Returns the number of entries
 * appended. Rows found already merged (a crash after step 3, see the header) are not appended again.
 *
 * A journal that cannot be read or claimed is reported and skipped rather than thrown: the entry being
 * appended still goes in, and the rows stay in the journal for the next merge.
 */
export function mergePendingAudit(sqlite: Database.Database): number {
  if (!sqlite.inTransaction) throw new Error('mergePendingAudit must run inside a transaction that can write');
  const sink = sinks.get(sqlite);
  const j = sink?.journal;
  if (!sink || !j || sink.merging) return 0;
  try {
    if (!j.any.get()) return 0;
  } catch (e) {
    sink.onError('audit_pending_read_failed', e);
    return 0;
  }
  // The write lock first, in a snapshot that is the latest (else SQLITE_BUSY_SNAPSHOT, and the caller's
  // transaction fails as its own append would): claims must be checked against everything committed and
  // written while no other merge can commit. Checked in an older snapshot of a deferred transaction, a
  // merge committed meanwhile would look unmerged and its claim would be overwritten with a wrong seq.
  sink.takeWriteLock.run();
  if (sink.readUpTo && (!sink.readMark || sink.queuedAt.get(sink.readMark.seq)?.q !== sink.readMark.id)) resetRead(sink);
  let rows: PendingRow[];
  try {
    rows = j.all.all(sink.readUpTo);
  } catch (e) {
    sink.onError('audit_pending_read_failed', e);
    return 0;
  }
  const readTo = rows.length ? rows[rows.length - 1]!.arrival : sink.readUpTo;
  let mark = sink.readMark;
  const last = sink.last.get();
  let seq = last ? last.seq : 0;
  const toMerge: { id: string; seq: number; entry: AuditInput }[] = [];
  for (const r of rows) {
    if (r.claimedSeq !== null && sink.queuedAt.get(r.claimedSeq)?.q === r.id) {
      // Merged by a transaction that committed, but its journal row survived (a crash before step 4).
      sink.claimed.set(r.id, r.claimedSeq);
      mark = { seq: r.claimedSeq, id: r.id };
      continue;
    }
    const entry = parseEntry(r.entry);
    if (!entry) {
      sink.onError('audit_pending_unreadable', new Error(`Pending audit entry ${r.id} is not a valid entry; left in the journal`));
      continue;
    }
    toMerge.push({ id: r.id, seq: ++seq, entry });
  }
  if (!toMerge.length) {
    sink.readUpTo = readTo;
    sink.readMark = mark;
    return 0;
  }
  try {
    // Step 2: the claims are durable before the entries can be.
    j.db.transaction(() => {
      for (const m of toMerge) j.claim.run(m.seq, m.id);
    })();
  } catch (e) {
    // Not claimed: the next append of this transaction tries these rows again.
    sink.onError('audit_pending_claim_failed', e);
    return 0;
  }
  sink.readUpTo = readTo;
  const lastMerged = toMerge[toMerge.length - 1]!;
  sink.readMark = { seq: lastMerged.seq, id: lastMerged.id };
  sink.merging = true;
  try {
    for (const m of toMerge) {
      const r = appendAudit(sqlite, { ...m.entry, details: { ...m.entry.details, queued: m.id } });
      // The write lock is held and nothing else appends in this transaction, so the seq is the claimed one.
      if (r.seq !== m.seq) throw new Error(`Pending audit entry ${m.id} was claimed for entry ${m.seq} but appended as ${r.seq}`);
      sink.claimed.set(m.id, m.seq);
    }
  } finally {
    sink.merging = false;
  }
  return toMerge.length;
}

/**
 * Call after every transaction that may have appended audit entries has ended, committed or rolled back
 * (and after calls that audit themselves): it never runs inside a transaction, where it would see
 * uncommitted entries. It reads the last committed entry from the table and, when this connection has not
 * anchored it yet, appends it to the anchor file; and it deletes from the pending journal the rows this
 * connection merged whose entries really committed. Cheap when there is nothing to do (one primary-key
 * lookup). Never throws: the call's data is committed, so a failure here is logged, not returned.
 */
export function auditCommitted(sqlite: Database.Database): void {
  const sink = sinks.get(sqlite);
  if (!sink || sqlite.inTransaction || !sqlite.open) return;
  resetRead(sink);
  if (sink.claimed.size) confirmMerged(sink);
  if (!sink.anchorPath) return;
  try {
    const last = sink.last.get();
    if (last && last.seq > sink.lastAnchoredSeq) {
      appendAnchor(sink.anchorPath, { seq: last.seq, hash: last.hash, at: sink.now() });
      sink.lastAnchoredSeq = last.seq;
    }
  } catch (e) {
    sink.onError('audit_anchor_failed', e);
  }
}

function resetRead(sink: Sink): void {
  sink.readUpTo = 0;
  sink.readMark = null;
}

/** Step 4: journal rows whose claimed seq holds their id in the committed log are done. */
function confirmMerged(sink: Sink): void {
  const claimed = [...sink.claimed];
  sink.claimed.clear();
  const j = sink.journal;
  if (!j) return;
  try {
    const done = claimed.filter(([id, seq]) => sink.queuedAt.get(seq)?.q === id);
    if (done.length) {
      j.db.transaction(() => {
        for (const [id] of done) j.remove.run(id);
      })();
    }
  } catch (e) {
    // The rows stay; the next merge recognises them as merged and deletes them then.
    sink.onError('audit_pending_cleanup_failed', e);
  }
}

export type ReadAuditResult = { seq: number; hash: string } | { queued: string };

/**
 * Appends the entry of a call that only read, without waiting for the write lock: in its own IMMEDIATE
 * transaction when the lock is free (merging pending entries first), else durably into the pending
 * journal, returning at once either way. Must be called outside a transaction (after the read's), and
 * the call's data must not be released if it throws. Without a journal (an in-memory database, a
 * connection without a sink) it waits for the lock like a write.
 */
export function appendReadAudit(sqlite: Database.Database, e: AuditInput): ReadAuditResult {
  if (sqlite.inTransaction) throw new Error('appendReadAudit runs its own transaction: call it after the read transaction has ended');
  const sink = sinks.get(sqlite);
  if (!sink?.journal) {
    const r = sqlite.transaction(() => appendAudit(sqlite, e)).immediate();
    auditCommitted(sqlite);
    return r;
  }
  let r: { seq: number; hash: string };
  try {
    r = withoutWaiting(sqlite, () => sink.append.immediate(e));
  } catch (err) {
    if (!isBusy(err)) throw err;
    // The transaction rolled back whole (merged entries included), so only the claims remain: harmless.
    const id = randomUUID();
    sink.journal.queue.run(id, JSON.stringify(e));
    // Forgets the rolled-back merge's rows (they are not in the committed log).
    auditCommitted(sqlite);
    return { queued: id };
  }
  auditCommitted(sqlite);
  return r;
}

/**
 * Merges the pending journal now if the write lock is free (without waiting), and says how many entries
 * are merged and how many still wait. Outside a transaction it commits its own; inside one (a handler
 * that is about to read the log) it merges in a savepoint, which a busy lock simply rolls back, leaving
 * the surrounding read transaction intact; the journal rows are then deleted by auditCommitted after
 * that transaction ends.
 */
export function flushPendingAudit(sqlite: Database.Database): { merged: number; pending: number } {
  const sink = sinks.get(sqlite);
  const j = sink?.journal;
  if (!sink || !j) return { merged: 0, pending: 0 };
  let merged = 0;
  if (j.any.get()) {
    const before = new Set(sink.claimed.keys());
    const readBefore = { upTo: sink.readUpTo, mark: sink.readMark };
    try {
      merged = withoutWaiting(sqlite, () => {
        const merge = sqlite.transaction(() => mergePendingAudit(sqlite));
        return sqlite.inTransaction ? merge() : merge.immediate();
      });
    } catch (e) {
      if (!isBusy(e)) throw e;
      // The merge rolled back: its rows are pending again (an enclosing transaction may still commit others).
      for (const id of sink.claimed.keys()) if (!before.has(id)) sink.claimed.delete(id);
      sink.readUpTo = readBefore.upTo;
      sink.readMark = readBefore.mark;
    }
  }
  auditCommitted(sqlite);
  return { merged, pending: pendingAuditCount(sqlite) };
}

/** Entries waiting in the journal (not counting those this connection has merged in an open transaction). */
export function pendingAuditCount(sqlite: Database.Database): number {
  const sink = sinks.get(sqlite);
  if (!sink?.journal) return 0;
  return sink.journal.countUnclaimed.get(JSON.stringify([...sink.claimed.keys()]))?.n ?? 0;
}
