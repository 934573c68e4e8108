/**
 * A job's worker thread: opens its own connection to the database file (WAL: the core's connection keeps
 * reading while this one writes), runs the job, and reports progress and the outcome to the runner.
 * Cancellation arrives as a shared flag (seen even inside a long synchronous transaction) and as a message
 * (which aborts the job's signal for streams and parsers).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from '../../db/schema';
import { unlockDatabase, type Db } from '../../db/open';
import type { Permission } from '../../shared/domain/access';
import { attachAuditSink, auditCommitted, detachAuditSink } from '../audit/sink';
import { fixedClock, systemClock, type Actor, type CoreContext } from '../context';
import { FileStore } from '../files/store';
import { fileLogger } from '../log';
import { executeJob } from './execute';

export interface WorkerInput {
  entry: string;
  dbPath: string;
  dbKey: Uint8Array | null;
  auditPaths: { anchorPath: string | null; pendingPath: string | null };
  filesDir: string;
  logDir: string | null;
  jobId: string;
  kind: string;
  input: unknown;
  actor: { id: string; name: string; permissions: Permission[]; unitScope: [Permission, string[]][] | null };
  workstation: string;
  fixedToday: string | null;
  demo: boolean;
  secretKey: Uint8Array;
  cancel: SharedArrayBuffer;
}

export type WorkerMessage =
  | { type: 'progress'; phase: string; done: number; total: number | null }
  | { type: 'outcome'; outcome: import('./execute').JobOutcome };

const w = workerData as WorkerInput;
const port = parentPort!;
const sqlite = new Database(w.dbPath);
if (w.dbKey) unlockDatabase(sqlite, Buffer.from(w.dbKey), w.dbPath);
// The same settings as the core's connection, except that this thread may wait for the lock: blocking a
// worker blocks nobody the user is waiting for.
sqlite.pragma('journal_mode = WAL');
sqlite.pragma('foreign_keys = ON');
sqlite.pragma('synchronous = NORMAL');
sqlite.pragma('busy_timeout = 60000');
// A job's sorts (an index built at the end of a bulk load, an ORDER BY over a dry run) spill to temporary
// files instead of memory, and its page cache is bounded: a 500 000-person import must fit in a few hundred MB.
sqlite.pragma('temp_store = FILE');
sqlite.pragma('cache_size = -65536');
// A job reads across the whole register (a fee run looks up 100 000 children, their guardians and their
// addresses): the file mapped in full (up to SQLite's 2 GB cap) makes those lookups memory reads instead of
// a system call per page. Reads only; SQLite writes through its own path.
sqlite.pragma('mmap_size = 2147418112');
// Not inside the commit: this thread copies the WAL into the database after it has sent the outcome (below).
sqlite.pragma('wal_autocheckpoint = 0');
const logger = fileLogger(w.logDir);
// The same anchor file and pending journal as the core's connection: this connection's commits are
// anchored as they happen, and read audits that waited for this job's lock are merged in order.
attachAuditSink(sqlite, { ...w.auditPaths, onError: (event, err) => logger.error(event, err) });
const actor: Actor = {
  id: w.actor.id,
  name: w.actor.name,
  permissions: new Set(w.actor.permissions),
  ...(w.actor.unitScope ? { unitScope: new Map(w.actor.unitScope.map(([p, units]) => [p, new Set(units)])) } : {}),
};
const ctx: CoreContext = {
  sqlite,
  db: drizzle(sqlite, { schema }) as Db,
  clock: w.fixedToday ? fixedClock(w.fixedToday) : systemClock,
  demo: w.demo,
  generation: { persons: 0 },
  secretKey: Buffer.from(w.secretKey),
};
const abort = new AbortController();
port.on('message', (m: { type?: string }) => {
  if (m?.type === 'cancel') abort.abort();
});
// The listener alone must not keep the thread alive once the job is done.
port.unref();
const files = new FileStore(w.filesDir, ctx.clock);

async function main(): Promise<void> {
  const outcome = await executeJob({
  ctx,
  files,
  jobId: w.jobId,
  kind: w.kind,
  input: w.input,
  actor,
  workstation: w.workstation,
  cancelFlag: new Int32Array(w.cancel),
  signal: abort.signal,
  onProgress: (p) => port.postMessage({ type: 'progress', ...p } satisfies WorkerMessage),
  afterCommit: () => auditCommitted(sqlite),
  logError: (e) => logger.error('job_error', e, { kind: w.kind, job: w.jobId }),
  });
  port.postMessage({ type: 'outcome', outcome } satisfies WorkerMessage);
  // The checkpoint: the pages this job wrote to the WAL (2 GB for a 500 000-person import) are copied into
  // the database file now, after the outcome is out, so that nobody waits for it: it took about 10 s of a
  // large apply's commit. The core's connection makes no checkpoint while a worker lives (runner.ts), so it
  // cannot fall to the thread the user is waiting for. Passive: readers and writers go on meanwhile.
  try {
    sqlite.pragma('wal_checkpoint(PASSIVE)');
  } catch (e) {
    logger.error('job_checkpoint_failed', e, { kind: w.kind, job: w.jobId });
  }
  try {
    detachAuditSink(sqlite);
    sqlite.close();
  } catch {
    // Closing fails only if a statement is still iterating; the thread ends either way.
  }
}

// Not top-level await: the desktop build bundles this file as CommonJS.
void main();
