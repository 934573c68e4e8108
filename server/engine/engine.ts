/**
 * The engine: the central server runs the unchanged core on an execution replica (SQLite) and commits
 * every result to PostgreSQL, the system of record (docs/sync.md "The central decision").
 *
 * A pushed mutation is applied like this, one at a time (an in-process queue and a PostgreSQL advisory
 * lock, so a second server process on the same database cannot write beside this one):
 *   1. PostgreSQL: BEGIN, take the writer lock. A mutation id seen before answers its first answer.
 *   2. The base: every aggregate the workstation wrote must still be at the seq it saw, or have been changed
 *      last by the workstation's own earlier mutation. Otherwise the answer is `conflict` and nothing runs.
 *   3. SQLite: BEGIN IMMEDIATE on the replica; the core's dispatch runs the method as the pushing user
 *      (permission, unit scope and every rule checked by the same code as on the workstation) inside it,
 *      as a savepoint. A refusal is answered `rejected` with the core's typed error (the named rule).
 *   4. What the call touched (temporary triggers: core/sync/records.ts TouchTracker) is read back as full
 *      rows and written to PostgreSQL with new seqs, with the change records, the constraint tables (which
 *      refuse an overlap or a duplicate on their own), the aggregates, the settings, the audit entries
 *      (re-chained into the central chain) and the mutation with its answer. COMMIT: the commit point.
 *   5. SQLite: record the seq applied, COMMIT. A crash between 4 and 5 leaves the replica behind;
 *      `open` replays what it lacks from PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import { rmSync, existsSync } from 'node:fs';
import pg from 'pg';
import { contract, isMethodName } from '../../shared/api/contract';
import type { JobView } from '../../shared/domain/events';
import type { ApiError, CallResult } from '../../shared/api/transport';
import { FORM_FAMILY, type PlacementForm } from '../../shared/domain/care';
import { openDatabase } from '../../db/open';
import type Database from 'better-sqlite3';
import { createCore, type Connection, type Core } from '../../core/app';
import { entryHash, type AuditInput } from '../../core/audit/chain';
import type { Clock } from '../../core/context';
import { recomputeAllShielding } from '../../core/register/shielding';
import { aggregateOf, isSetting, isSyncTable, personOf, readRecord, removeRecord, SYNC_TABLES, TouchTracker, writeRecord } from '../../core/sync/records';
import type { RecordTable, Row } from '../../core/write/records';
import { withTransaction } from '../db/tx';
import { changesBookkeeping, restoreBookkeeping, saveBookkeeping } from './bookkeeping';
import { FeedSets, feedPage, type FeedPage, type FeedRequest } from './feed';
import { Projection } from './projection';
import { appendShipped, checkBatch, importAuditChain, readAnchor, restoreReplicaAudit, writeAnchor, type AuditBatch, type ChainBreak } from './audit';

/** A job run by `startJob`: told when the job has started, holds its view once it has ended. */
interface JobRun {
  started: (r: CallResult) => void;
  view: JobView | null;
}
const JOB_ENDED = new Set<JobView['state']>(['succeeded', 'failed', 'cancelled']);

/** Detaches what a job attached inside the engine's transaction (an import's staging file: core/imports/staging.ts). */
function detachAll(sqlite: import('better-sqlite3').Database): void {
  for (const d of sqlite.pragma('database_list') as { name: string }[]) if (d.name !== 'main' && d.name !== 'temp') sqlite.exec(`DETACH DATABASE "${d.name}"`);
}

/** Advisory lock key of the one writer (an arbitrary constant: "KANSLI" in ASCII). */
const WRITER_LOCK = 0x4b414e534c49;
const GENESIS = '0'.repeat(64);

export type Base = Record<string, { seq: number } | { mutation: string }>;

export interface PushMutation {
  id: string;
  method: string;
  input: unknown;
  /** The aggregates the mutation wrote on the workstation, with what the workstation had seen of each. */
  base: Base;
}

export type PushAnswer =
  | { id: string; status: 'applied'; seq: number; result: unknown }
  | { id: string; status: 'rejected'; error: ApiError }
  | { id: string; status: 'conflict'; aggregates: string[] };

export interface EngineOptions {
  pool: pg.Pool;
  /** The replica's SQLite file: private to this server, derived from PostgreSQL, never backed up. */
  replicaPath: string;
  clock?: Clock;
  logDir?: string | null;
}

interface AggregateRow {
  key: string;
  seq: string;
  mutation_id: string | null;
}

/** One at a time: the replica has one connection, and a mutation keeps its transaction open across awaits. */
/**
 * The engine's one-at-a-time queue over the replica, in two lanes: writes (pushes, calls, audit shipments)
 * and reads (a feed page's projection, a card's records). A queued write goes before queued reads, so a
 * clerk's save is not held behind every workstation's pull after each commit (200 clerks: one save
 * announced a head to 200 streams, whose pulls queued ahead of the next save); after `FAIR` writes in a
 * row one waiting read is let through, so reads are never starved.
 */
export class Queue {
  private readonly lanes: Record<'write' | 'read', (() => void)[]> = { write: [], read: [] };
  private busy = false;
  private writesInRow = 0;
  static readonly FAIR = 8;

  run<T>(fn: () => Promise<T>, lane: 'write' | 'read' = 'write'): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.lanes[lane].push(() => {
        let p: Promise<T>;
        try {
          p = fn();
        } catch (e) {
          p = Promise.reject(e);
        }
        p.then(resolve, reject).finally(() => {
          this.busy = false;
          this.next();
        });
      });
      this.next();
    });
  }

  /** How many tasks wait in each lane (not counting the one running). */
  waiting(): { write: number; read: number } {
    return { write: this.lanes.write.length, read: this.lanes.read.length };
  }

  private next(): void {
    if (this.busy) return;
    const { write, read } = this.lanes;
    const takeRead = read.length > 0 && (write.length === 0 || this.writesInRow >= Queue.FAIR);
    const task = takeRead ? read.shift() : write.shift();
    if (!task) return;
    this.writesInRow = takeRead ? 0 : this.writesInRow + 1;
    this.busy = true;
    task();
  }
}

/** A counting semaphore: at most `n` holders at once, the others wait in order. */
class Slots {
  private readonly waiting: (() => void)[] = [];
  constructor(private free: number) {}
  take(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((ok) => this.waiting.push(ok));
  }
  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

export class Engine {
  private readonly queue = new Queue();
  private readonly tracker: TouchTracker;
  private readonly listeners = new Set<(head: number) => void>();
  private readonly jobListeners = new Set<(userId: string, job: JobView) => void>();
  /** Server jobs' latest views by id, with their starter (`publishJob`). */
  private readonly jobViews = new Map<string, { userId: string; view: JobView }>();
  private readonly projection: Projection;
  /** The feed states' person sets, stored once by content (migration 0006). */
  readonly feedSets: FeedSets;
  private readonly feedSlots: Slots;
  /** This replica file's own id: the origin of the audit entries it ships. */
  private readonly replicaId: string;

  private constructor(
    readonly core: Core,
    private readonly pool: pg.Pool,
    readonly epoch: string,
  ) {
    this.tracker = new TouchTracker(core.ctx.sqlite);
    this.projection = new Projection(core.ctx);
    this.feedSets = new FeedSets(pool);
    this.feedSlots = new Slots(Math.max(1, Math.floor((pool.options.max ?? 10) / 2)));
    let id = meta(core.ctx.sqlite, 'sync.replica_id');
    if (!id) setMeta(core.ctx.sqlite, 'sync.replica_id', (id = randomUUID()));
    this.replicaId = id;
  }

  /**
   * One page of the change feed for the user of `conn` (server/engine/feed.ts). The user's projection is
   * taken in the queue, from the replica at the seq it has applied (no mutation half-applied); the page is
   * then read from PostgreSQL up to exactly that seq outside the queue, so pulls do not wait behind pushes
   * nor pushes behind pulls (the writer lock orders commits, so every seq up to the replica's is committed).
   */
  async feed(conn: Connection, req: FeedRequest): Promise<FeedPage | { error: ApiError }> {
    const snap = await this.queue.run(async () => {
      // The account may have changed since the session was opened (roles, units, disabled).
      this.core.auth.refresh(conn.session);
      const actor = conn.session.actor;
      if (!actor || conn.session.state !== 'signed_in') return null;
      return { head: this.appliedSeq(), v: this.projection.visibility(actor) };
    }, 'read');
    if (!snap) return { error: { code: 'unauthenticated', message: 'Sign in first' } };
    // At most half the pool's connections read pages (each page holds one at a time), so a push always
    // finds one for its transaction however many workstations pull.
    await this.feedSlots.take();
    let page: Awaited<ReturnType<typeof feedPage>>;
    try {
      page = await feedPage(this.pool, this.feedSets, this.epoch, snap.head, snap.v, req);
    } finally {
      this.feedSlots.give();
    }
    if ('forbidden' in page) return { error: { code: 'forbidden', message: 'This cache belongs to another user', field: 'subscriber' } };
    return page;
  }

  /**
   * Opens the replica and brings it up to PostgreSQL's head: replays what it lacks, or rebuilds it from the
   * records when it belongs to another database (its epoch differs) or does not exist.
   */
  static async open(opts: EngineOptions): Promise<Engine> {
    const epoch = await serverEpoch(opts.pool);
    const memory = opts.replicaPath === ':memory:';
    let fresh = memory || !existsSync(opts.replicaPath);
    if (!fresh) {
      const o = openDatabase(opts.replicaPath, { backup: false });
      const mine = meta(o.sqlite, 'sync.epoch');
      o.close();
      if (mine !== epoch) {
        for (const f of [opts.replicaPath, `${opts.replicaPath}-wal`, `${opts.replicaPath}-shm`]) rmSync(f, { force: true });
        fresh = true;
      }
    }
    const core = createCore({
      dbPath: opts.replicaPath,
      clock: opts.clock,
      logDir: opts.logDir ?? null,
      seed: false,
      backupBeforeMigrate: false,
      // The central chain is in PostgreSQL; the replica's own log is scratch that is shipped there.
      auditAnchorPath: null,
      auditPendingPath: null,
      jobMode: 'inline',
      workstation: 'server',
      secretKeyDir: null,
    });
    const engine = new Engine(core, opts.pool, epoch);
    try {
      if (fresh) setMeta(core.ctx.sqlite, 'sync.epoch', epoch);
      await engine.catchUp(fresh);
    } catch (e) {
      core.close();
      throw e;
    }
    return engine;
  }

  /** Called with the new head after every commit (the SSE stream nudges workstations with it). */
  onCommit(fn: (head: number) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  async head(): Promise<number> {
    const r = await this.pool.query<{ last_value: string; is_called: boolean }>('SELECT last_value, is_called FROM sync_seq');
    return r.rows[0]!.is_called ? Number(r.rows[0]!.last_value) : 0;
  }

  /** The seq the replica has applied (its state is PostgreSQL's up to there). */
  appliedSeq(): number {
    return Number(meta(this.core.ctx.sqlite, 'sync.applied_seq') ?? 0);
  }

  /** Runs `fn` with the replica to itself: no mutation is half-applied while it reads. */
  exclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    return this.queue.run(async () => fn());
  }

  /**
   * The server's current rows of some aggregates, projected for the user of `conn`, with their versions:
   * what a workstation shows as "theirs" beside a conflicting edit and puts back in its cache in place of
   * the edit it could not apply. A row the user may not hold is simply absent.
   */
  records(conn: Connection, keys: string[]): Promise<{ records: { entity: RecordTable; id: string; seq: number; data: Row }[]; aggregates: { key: string; seq: number }[] } | { error: ApiError }> {
    return this.queue.run(async () => {
      this.core.auth.refresh(conn.session);
      const actor = conn.session.actor;
      if (!actor || conn.session.state !== 'signed_in') return { error: { code: 'unauthenticated', message: 'Sign in first' } };
      const v = this.projection.visibility(actor);
      const rows = (await this.pool.query<{ entity: string; id: string; person_id: string | null; data: Row | null; seq: string }>(
        'SELECT entity, id, person_id, data, seq FROM record WHERE aggregate = ANY($1) AND data IS NOT NULL',
        [keys],
      )).rows;
      const records = rows.flatMap((r) => {
        const out = isSyncTable(r.entity) && r.data ? Projection.project(v, r.entity, r.person_id, r.data) : null;
        return out ? [{ entity: r.entity as RecordTable, id: r.id, seq: Number(r.seq), data: out }] : [];
      });
      const aggregates = (await this.pool.query<{ key: string; seq: string }>('SELECT key, seq FROM aggregate WHERE key = ANY($1)', [keys])).rows.map((a) => ({
        key: a.key,
        seq: Number(a.seq),
      }));
      return { records, aggregates };
    }, 'read');
  }

  /** Applies one pushed mutation as the user of `conn` (a signed-in server-side session). */
  push(conn: Connection, m: PushMutation): Promise<PushAnswer> {
    return this.queue.run(() => this.apply(conn, m));
  }

  private async apply(conn: Connection, m: PushMutation): Promise<PushAnswer> {
    const actor = conn.session.actor;
    if (!actor || conn.session.state !== 'signed_in') return { id: m.id, status: 'rejected', error: { code: 'unauthenticated', message: 'Sign in first' } };
    if (!isMethodName(m.method) || !contract[m.method].writes) {
      return { id: m.id, status: 'rejected', error: { code: 'unknown_method', message: `Not a write method: ${String(m.method).slice(0, 60)}` } };
    }
    if ((contract[m.method].run ?? 'tx') !== 'tx') {
      // Long work runs as a server job (docs/sync.md "Bulk work"), never as a pushed mutation.
      return { id: m.id, status: 'rejected', error: { code: 'validation', message: `${m.method} runs as a job on the server, not as a pushed change`, field: 'method' } };
    }
    const c = await this.pool.connect();
    let pgOpen = false;
    let undo: (() => void) | null = null;
    try {
      await c.query('BEGIN');
      pgOpen = true;
      await c.query('SELECT pg_advisory_xact_lock($1)', [WRITER_LOCK]);
      const prev = (await c.query('SELECT actor_id, method, status, result, error, seq FROM mutation WHERE id = $1', [m.id])).rows[0] as
        | { actor_id: string; method: string; status: PushAnswer['status']; result: unknown; error: ApiError | null; seq: string | null }
        | undefined;
      if (prev) {
        await c.query('COMMIT');
        pgOpen = false;
        if (prev.actor_id !== actor.id || prev.method !== m.method) {
          return { id: m.id, status: 'rejected', error: { code: 'validation', message: 'This mutation id was used for another call', field: 'mutationId' } };
        }
        if (prev.status === 'applied') return { id: m.id, status: 'applied', seq: Number(prev.seq), result: prev.result };
        if (prev.status === 'conflict') return { id: m.id, status: 'conflict', aggregates: (prev.error as unknown as { aggregates: string[] }).aggregates };
        return { id: m.id, status: 'rejected', error: prev.error! };
      }
      const stale = await staleAggregates(c, m.base);
      if (stale.length) {
        await this.recordAnswer(c, m, conn, { id: m.id, status: 'conflict', aggregates: stale });
        await c.query('COMMIT');
        pgOpen = false;
        return { id: m.id, status: 'conflict', aggregates: stale };
      }

      const run = await this.runAndMirror(c, conn, m.method, m.input, m.id);
      undo = run.rollback;
      const { r, written } = run;
      if (!r.ok) {
        // The handler's own savepoint is already rolled back; what is left in the transaction is the
        // refusal's audit entry (a denied attempt is logged), which goes to the central chain.
        if (written.records) {
          run.rollback();
          throw new Error(`${m.method} was refused but left records written`);
        }
        const answer: PushAnswer = { id: m.id, status: 'rejected', error: r.error };
        await this.recordAnswer(c, m, conn, answer);
        await c.query('COMMIT');
        pgOpen = false;
        run.commit();
        return answer;
      }
      // The workstation named every aggregate its run wrote; the server's run writing another existing
      // one means the two states differed there: a conflict, not a silent extra write.
      const unexpected = written.aggregates.filter((k) => !(k in m.base) && written.existedBefore.has(k));
      if (unexpected.length) {
        run.rollback();
        await c.query('ROLLBACK');
        pgOpen = false;
        return await this.answerConflict(conn, m, unexpected);
      }
      const answer: PushAnswer = { id: m.id, status: 'applied', seq: written.head, result: r.data };
      await this.recordAnswer(c, m, conn, answer);
      await c.query('COMMIT');
      pgOpen = false;
      run.commit();
      return answer;
    } catch (e) {
      if (pgOpen) {
        await c.query('ROLLBACK').catch(() => undefined);
        // PostgreSQL did not commit: neither may the replica (its transaction would stay open and refuse
        // every later write).
        undo?.();
      }
      const rule = constraintRule(e);
      if (!rule) throw e;
      // The database refused what the engine let through (a race the rules could not see): the same named
      // rule as the core gives, recorded like any refusal.
      const answer: PushAnswer = { id: m.id, status: 'rejected', error: rule };
      await this.recordAnswerAlone(m, conn, answer);
      return answer;
    } finally {
      c.release();
    }
  }

  /**
   * Runs one call on the replica inside `c`'s open PostgreSQL transaction and writes what it touched to
   * PostgreSQL. The replica's transaction stays open: the caller commits PostgreSQL first and then calls
   * `commit()` (the replica records the seq it reached), or `rollback()`.
   */
  private async runAndMirror(c: pg.PoolClient, conn: Connection, method: string, input: unknown, mutationId: string | null, job: JobRun | null = null) {
    const sqlite = this.core.ctx.sqlite;
    this.tracker.reset();
    const changeMark = maxSeq(sqlite, 'change_log');
    sqlite.exec('BEGIN IMMEDIATE');
    try {
      let r: CallResult;
      if (!job) {
        // An async method (an export that writes a file) is awaited inside the transaction like a job.
        const isAsync = isMethodName(method) && contract[method].run === 'async';
        r = isAsync ? await conn.callAsync(method, input, mutationId ? { mutationId } : {}) : conn.call(method, input, mutationId ? { mutationId } : {});
      } else {
        // A job method answers with the job's id at once and runs the job inline on this connection: the
        // job's own transactions are savepoints inside this one, and it is awaited to its end (its final
        // state and audit entries included) before anything is mirrored.
        r = await conn.callAsync(method, input);
        job.started(r);
        if (r.ok) job.view = await this.core.services.jobs.wait((r.data as { jobId: string }).jobId);
      }
      const written = await this.writeResult(c, changeMark, mutationId);
      if (changesBookkeeping(method)) await saveBookkeeping(c, sqlite);
      const done = (fn: () => void) => {
        if (sqlite.inTransaction) fn();
      };
      return {
        r,
        written,
        commit: () =>
          done(() => {
            setMeta(sqlite, 'sync.applied_seq', String(written.head));
            if (written.auditTop) setMeta(sqlite, 'sync.audit_shipped', String(written.auditTop));
            sqlite.exec('COMMIT');
            detachAll(sqlite);
            if (written.records) this.emit(written.head);
          }),
        rollback: () =>
          done(() => {
            sqlite.exec('ROLLBACK');
            detachAll(sqlite);
          }),
      };
    } catch (e) {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      detachAll(sqlite);
      throw e;
    }
  }

  /**
   * Bulk work as a server job (docs/sync.md "Bulk work"): a method that runs as a job (the rollover, the
   * population-register imports) runs to its end on the replica, and everything it wrote reaches
   * PostgreSQL in one transaction with its audit entries, or nothing does: no workstation's feed ever holds
   * half of it. The engine's queue is held for the job's length (pushes and pulls wait, as writes wait for
   * a job on a standalone installation).
   *
   * Answers as soon as the job has started (the starting call's result and the job's first view); `ended`
   * resolves with the job as it ended once PostgreSQL holds its work. Meanwhile its progress is published
   * to its starter (`onJob`: the event stream) and answered by `jobView` without waiting for the queue.
   */
  startJob(conn: Connection, method: string, input: unknown): Promise<{ result: CallResult; job: JobView | null; ended: Promise<JobView | null> }> {
    if (!isMethodName(method) || contract[method].run !== 'job') {
      const result: CallResult = { ok: false, error: { code: 'validation', message: `${String(method).slice(0, 60)} does not run as a job`, field: 'method' } };
      return Promise.resolve({ result, job: null, ended: Promise.resolve(null) });
    }
    const userId = conn.session.actor?.id ?? null;
    return new Promise((resolve, reject) => {
      let answered = false;
      let last: JobView | null = null;
      // The job's progress, as the core announces it to the starter's session. Its end is held back until
      // PostgreSQL has committed the job's work: before that, "done" could still turn out not to be.
      const off = conn.onEvent((e) => {
        if (e.type !== 'job' || !userId) return;
        if (last && e.job.id !== last.id) return;
        last = e.job;
        if (!JOB_ENDED.has(e.job.state)) this.publishJob(userId, e.job);
      });
      const run: JobRun = {
        view: null,
        started: (r) => {
          const id = r.ok ? (r.data as { jobId: string }).jobId : null;
          const first = id && userId ? this.core.services.jobs.get(conn.session.actor!, id) : null;
          if (first && userId) {
            last = first;
            this.publishJob(userId, first);
          }
          answered = true;
          resolve({ result: r, job: first, ended });
        },
      };
      const ended = this.queue
        .run(async () => {
          await this.inTransaction(conn, method, input, null, run);
          return run.view;
        })
        .then(
          (view) => {
            if (view && userId) this.publishJob(userId, view);
            return view;
          },
          (e: unknown) => {
            // PostgreSQL did not take the job's work (the connection broke, a constraint refused it): the
            // replica rolled back with it, so nothing of it happened; its starter hears that it failed.
            const failed: JobView | null = last
              ? {
                  ...(last as JobView),
                  state: 'failed',
                  cancellable: false,
                  finishedAt: new Date().toISOString(),
                  error: { code: 'unavailable', message: 'The job ended, but the central database could not store its work; nothing of it was kept. Run it again.' },
                }
              : null;
            if (failed && userId) this.publishJob(userId, failed);
            this.core.logger.error('server_job_failed', e);
            if (!answered) reject(e instanceof Error ? e : new Error(String(e)));
            return failed;
          },
        )
        .finally(off);
    });
  }

  /** Runs a job to its end (the CLI and tests): its starting result and the job as PostgreSQL holds it. */
  async job(conn: Connection, method: string, input: unknown): Promise<{ result: CallResult; job: JobView | null }> {
    const s = await this.startJob(conn, method, input);
    return { result: s.result, job: await s.ended };
  }

  /** Announces every view of a server job to its starter (the event stream of each of their sessions). */
  onJob(fn: (userId: string, job: JobView) => void): () => void {
    this.jobListeners.add(fn);
    return () => this.jobListeners.delete(fn);
  }

  private publishJob(userId: string, view: JobView): void {
    this.jobViews.delete(view.id);
    this.jobViews.set(view.id, { userId, view });
    // The most recent 500 are kept (an ended job's view is also on the replica: `jobView` reads it there).
    while (this.jobViews.size > 500) this.jobViews.delete(this.jobViews.keys().next().value!);
    for (const fn of this.jobListeners) {
      try {
        fn(userId, view);
      } catch (e) {
        this.core.logger.error('server_job_listener_failed', e);
      }
    }
  }

  /**
   * A server job as its starter sees it: the live view while it runs (the queue is held by the job, so
   * this must not wait for it), else the replica's row through the queue (for another user with the
   * job's permission, or a job older than the kept views).
   */
  async jobView(conn: Connection, id: string): Promise<CallResult> {
    const kept = this.jobViews.get(id);
    const me = conn.session.state === 'signed_in' ? conn.session.actor?.id : null;
    if (kept && me && kept.userId === me) return { ok: true, data: kept.view };
    return this.call(conn, 'job.get', { id });
  }

  /**
   * Cancels a running server job of the caller's: at once, beside the job (its cancel flag is read between
   * its batches; what the job had written is rolled back with its transaction, as on a workstation).
   */
  async cancelJob(conn: Connection, id: string): Promise<CallResult> {
    const kept = this.jobViews.get(id);
    const me = conn.session.state === 'signed_in' ? conn.session.actor?.id : null;
    if (kept && me && kept.userId === me && !JOB_ENDED.has(kept.view.state)) return conn.call('job.cancel', { id });
    return this.call(conn, 'job.cancel', { id });
  }

  /**
   * A call that is not a pushed mutation (sign-in and the other session methods, and reads a workstation
   * asks the server for): run on the replica as the connection's user, and whatever it wrote (a sign-in's
   * counters, an enrolled second factor, its audit entries) is committed to PostgreSQL first, like a push.
   */
  call(conn: Connection, method: string, input: unknown): Promise<CallResult> {
    return this.queue.run(() => this.inTransaction(conn, method, input, null, null));
  }

  /** One call on the replica mirrored to PostgreSQL in one transaction (inside the queue). */
  private async inTransaction(conn: Connection, method: string, input: unknown, mutationId: string | null, job: JobRun | null): Promise<CallResult> {
    const c = await this.pool.connect();
    let pgOpen = false;
    let undo: (() => void) | null = null;
    try {
      await c.query('BEGIN');
      pgOpen = true;
      await c.query('SELECT pg_advisory_xact_lock($1)', [WRITER_LOCK]);
      const run = await this.runAndMirror(c, conn, method, input, mutationId, job);
      undo = run.rollback;
      await c.query('COMMIT');
      pgOpen = false;
      run.commit();
      return run.r;
    } catch (e) {
      if (pgOpen) {
        await c.query('ROLLBACK').catch(() => undefined);
        // PostgreSQL did not commit: neither may the replica (its transaction would stay open and refuse
        // every later write).
        undo?.();
      }
      throw e;
    } finally {
      c.release();
    }
  }

  /**
   * A workstation's local audit entries (its reads from the cache, refusals, offline unlocks), shipped to
   * the central chain: checked against the workstation's anchor (a truncated, wiped or rewritten local log
   * is a break, logged centrally), appended to the replica's chain and mirrored to PostgreSQL in one
   * transaction. Answers the local seq the central chain now holds the workstation's log up to.
   */
  shipWorkstationAudit(conn: Connection, batch: AuditBatch): Promise<{ shipped: number; upTo: number; break: ChainBreak | null } | { error: ApiError }> {
    return this.queue.run(async () => {
      this.core.auth.refresh(conn.session);
      const actor = conn.session.actor;
      if (!actor || conn.session.state !== 'signed_in') return { error: { code: 'unauthenticated', message: 'Sign in first' } };
      const sqlite = this.core.ctx.sqlite;
      const c = await this.pool.connect();
      let pgOpen = false;
      try {
        await c.query('BEGIN');
        pgOpen = true;
        await c.query('SELECT pg_advisory_xact_lock($1)', [WRITER_LOCK]);
        const checked = checkBatch(await readAnchor(c, batch.workstation), batch.entries);
        sqlite.exec('BEGIN IMMEDIATE');
        try {
          const n = appendShipped(sqlite, { workstation: batch.workstation, shippedBy: { id: actor.id, name: actor.name }, at: this.core.ctx.clock.now() }, checked);
          const auditTop = await this.shipAudit(c);
          await writeAnchor(c, batch.workstation, checked, n);
          await c.query('COMMIT');
          pgOpen = false;
          if (auditTop) setMeta(sqlite, 'sync.audit_shipped', String(auditTop));
          sqlite.exec('COMMIT');
          return { shipped: n, upTo: checked.last?.seq ?? 0, break: checked.breakAt };
        } catch (e) {
          if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
          throw e;
        }
      } catch (e) {
        if (pgOpen) await c.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        c.release();
      }
    });
  }

  /** A conflict found after the run: recorded in a transaction of its own (the run's was rolled back). */
  private async answerConflict(conn: Connection, m: PushMutation, aggregates: string[]): Promise<PushAnswer> {
    const answer: PushAnswer = { id: m.id, status: 'conflict', aggregates };
    await this.recordAnswerAlone(m, conn, answer);
    return answer;
  }

  private recordAnswerAlone(m: PushMutation, conn: Connection, answer: PushAnswer): Promise<void> {
    return withTransaction(this.pool, (c) => this.recordAnswer(c, m, conn, answer), { lock: WRITER_LOCK });
  }

  private async recordAnswer(c: pg.PoolClient, m: PushMutation, conn: Connection, a: PushAnswer): Promise<void> {
    await c.query(
      `INSERT INTO mutation (id, actor_id, method, workstation, status, result, error, seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (id) DO NOTHING`,
      [
        m.id,
        conn.session.actor?.id ?? 'anonymous',
        m.method,
        conn.session.workstation,
        a.status,
        a.status === 'applied' ? JSON.stringify(a.result ?? null) : null,
        a.status === 'rejected' ? JSON.stringify(a.error) : a.status === 'conflict' ? JSON.stringify({ aggregates: a.aggregates }) : null,
        a.status === 'applied' ? a.seq : null,
      ],
    );
  }

  /**
   * Writes what the replica's open transaction touched to PostgreSQL (inside `c`'s transaction) and returns
   * the new head and the aggregates written.
   */
  private async writeResult(
    c: pg.PoolClient,
    changeMark: number,
    mutationId: string | null,
  ): Promise<{ head: number; records: number; aggregates: string[]; existedBefore: Set<string>; auditTop: number }> {
    const sqlite = this.core.ctx.sqlite;
    const changes = sqlite.prepare('SELECT * FROM change_log WHERE seq > ? ORDER BY seq').all(changeMark) as Row[];
    const touched = this.tracker.touched();
    const settings = this.tracker.settings().filter(isSetting);
    const rows = touched.map((t) => ({ ...t, row: readRecord(sqlite, t.entity, t.id) }));

    // Aggregates of records that no longer exist come from their stored row.
    const goneKeys = rows.filter((r) => !r.row).map((r) => `${r.entity}|${r.id}`);
    const goneAgg = new Map<string, { aggregate: string; person_id: string | null }>();
    if (goneKeys.length) {
      const q = await c.query<{ entity: string; id: string; aggregate: string; person_id: string | null }>(
        `SELECT entity, id, aggregate, person_id FROM record WHERE entity || '|' || id = ANY($1)`,
        [goneKeys],
      );
      for (const g of q.rows) goneAgg.set(`${g.entity}|${g.id}`, g);
    }
    const n = changes.length + rows.length + settings.length;
    const seqs = n ? (await c.query<{ s: string }>('SELECT nextval(\'sync_seq\') AS s FROM generate_series(1, $1)', [n])).rows.map((r) => Number(r.s)) : [];
    let k = 0;
    const changeRows = changes.map((ch) => ({
      seq: seqs[k++]!,
      mutation_id: (ch.mutation_id as string | null) ?? mutationId,
      entity: ch.entity,
      entity_id: ch.entity_id,
      version: ch.version,
      op: ch.op,
      person_id: ch.person_id,
      related_person_id: ch.related_person_id,
      fields: JSON.parse(String(ch.fields ?? '[]')) as unknown,
      changes: ch.changes === null ? null : (JSON.parse(String(ch.changes)) as unknown),
      actor: ch.actor,
      at: ch.at,
    }));
    const recordRows = rows.map((r) => {
      const gone = goneAgg.get(`${r.entity}|${r.id}`);
      return {
        entity: r.entity,
        id: r.id,
        version: r.row ? Number(r.row.version ?? 0) : 0,
        aggregate: r.row ? aggregateOf(r.entity, r.id, r.row) : (gone?.aggregate ?? `${r.entity}:${r.id}`),
        person_id: r.row ? personOf(r.entity, r.id, r.row) : (gone?.person_id ?? null),
        data: r.row,
        seq: seqs[k++]!,
      };
    });
    const settingRows = settings.map((key) => ({ key, value: meta(sqlite, key), seq: seqs[k++]! }));

    // Only records the call changed through the write path (with a change record) count as writes to their
    // aggregate. Derived rows it touched (another person's shielding flag after a protection changed) are
    // mirrored and re-sent, but are no edit of theirs that a concurrent clerk's edit would conflict with.
    const changed = new Set(changeRows.map((ch) => `${String(ch.entity)}|${String(ch.entity_id)}`));
    const edited = recordRows.filter((r) => changed.has(`${r.entity}|${r.id}`));
    const aggregates = [...new Set(edited.map((r) => r.aggregate))];
    const existedBefore = new Set(
      aggregates.length ? (await c.query<{ key: string }>('SELECT key FROM aggregate WHERE key = ANY($1)', [aggregates])).rows.map((r) => r.key) : [],
    );
    if (changeRows.length) {
      await c.query(
        `INSERT INTO change (seq, mutation_id, entity, entity_id, version, op, person_id, related_person_id, fields, changes, actor, at)
         SELECT seq, mutation_id, entity, entity_id, version, op, person_id, related_person_id, fields, changes, actor, at
         FROM jsonb_to_recordset($1::jsonb) AS x(seq bigint, mutation_id text, entity text, entity_id text, version int, op text,
           person_id text, related_person_id text, fields jsonb, changes jsonb, actor text, at text)`,
        [JSON.stringify(changeRows)],
      );
    }
    if (recordRows.length) await writeRecords(c, recordRows);
    await mirrorDocumentContent(c, sqlite, recordRows);
    for (const s of settingRows) {
      if (s.value === null) await c.query('DELETE FROM setting WHERE key = $1', [s.key]);
      else await c.query('INSERT INTO setting (key, value, seq) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET value = excluded.value, seq = excluded.seq', [s.key, s.value, s.seq]);
    }
    if (aggregates.length) {
      const bySeq = new Map<string, number>();
      for (const r of edited) bySeq.set(r.aggregate, Math.max(bySeq.get(r.aggregate) ?? 0, r.seq));
      await c.query(
        `INSERT INTO aggregate (key, seq, mutation_id) SELECT key, seq, $2 FROM jsonb_to_recordset($1::jsonb) AS x(key text, seq bigint)
         ON CONFLICT (key) DO UPDATE SET seq = excluded.seq, mutation_id = excluded.mutation_id`,
        [JSON.stringify([...bySeq].map(([key, seq]) => ({ key, seq }))), mutationId],
      );
    }
    const auditTop = await this.shipAudit(c);
    return { head: seqs.length ? seqs[seqs.length - 1]! : await this.headIn(c), records: recordRows.length, aggregates, existedBefore, auditTop };
  }

  private async headIn(c: pg.PoolClient): Promise<number> {
    const r = await c.query<{ last_value: string; is_called: boolean }>('SELECT last_value, is_called FROM sync_seq');
    return r.rows[0]!.is_called ? Number(r.rows[0]!.last_value) : 0;
  }

  /**
   * Appends the replica's audit entries after its shipped mark to the central chain (same entry format and
   * hash as the core's), skipping any a crash after PostgreSQL's commit left shipped but unmarked (each
   * carries its origin, the replica's id and seq). Returns the replica seq shipped up to (0: nothing new);
   * the caller moves the mark when the replica's transaction commits.
   */
  private async shipAudit(c: pg.PoolClient): Promise<number> {
    const sqlite = this.core.ctx.sqlite;
    const mark = Number(meta(sqlite, 'sync.audit_shipped') ?? 0);
    const entries = sqlite.prepare('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq').all(mark) as Row[];
    if (!entries.length) return 0;
    const origin = (e: Row) => `${this.replicaId}:${String(e.seq)}`;
    const seen = new Set((await c.query<{ origin: string }>('SELECT origin FROM audit_entry WHERE origin = ANY($1)', [entries.map(origin)])).rows.map((r) => r.origin));
    const last = (await c.query<{ seq: string; hash: string }>('SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1')).rows[0];
    let seq = last ? Number(last.seq) : 0;
    let prevHash = last?.hash ?? GENESIS;
    const out: unknown[] = [];
    for (const e of entries) {
      if (seen.has(origin(e))) continue;
      const input: AuditInput = {
        at: String(e.at),
        actorId: String(e.actor_id),
        actorName: String(e.actor_name),
        workstation: String(e.workstation),
        method: String(e.method),
        action: String(e.action),
        outcome: String(e.outcome),
        personIds: JSON.parse(String(e.person_ids ?? '[]')) as string[],
        details: e.details === null || e.details === undefined ? {} : (JSON.parse(String(e.details)) as Record<string, unknown>),
        reason: (e.reason as string | null) ?? null,
      };
      seq++;
      const hash = entryHash(seq, { ...input, prevHash });
      out.push({ seq, ...snake(input), person_ids: input.personIds, prev_hash: prevHash, hash, origin: origin(e) });
      prevHash = hash;
    }
    if (out.length) {
      await c.query(
        `INSERT INTO audit_entry (seq, at, actor_id, actor_name, workstation, method, action, outcome, person_ids, details, reason, prev_hash, hash, origin)
         SELECT seq, at, actor_id, actor_name, workstation, method, action, outcome, person_ids, details, reason, prev_hash, hash, origin
         FROM jsonb_to_recordset($1::jsonb) AS x(seq bigint, at text, actor_id text, actor_name text, workstation text, method text, action text,
           outcome text, person_ids jsonb, details jsonb, reason text, prev_hash text, hash text, origin text)`,
        [JSON.stringify(out)],
      );
    }
    return Number(entries[entries.length - 1]!.seq);
  }

  /**
   * Ships audit entries the replica wrote outside the engine's transactions (there should be none: every
   * call goes through `push` or `call`; this is the safety net run at start and on a timer).
   */
  flushAudit(): Promise<void> {
    return this.queue.run(async () => {
      const top = await withTransaction(this.pool, (c) => this.shipAudit(c), { lock: WRITER_LOCK });
      if (top) setMeta(this.core.ctx.sqlite, 'sync.audit_shipped', String(top));
    });
  }

  /**
   * Moves a standalone Kansli database (every record, the settings) into this server once: `kansli server
   * import`. Refused unless the server holds no records yet. One PostgreSQL transaction: all or nothing.
   */
  importStandalone(sqlitePath: string): Promise<{ records: number; head: number }> {
    return this.queue.run(async () => {
      const src = openDatabase(sqlitePath, { backup: false });
      try {
        await withTransaction(
          this.pool,
          async (c) => {
            const has = (await c.query('SELECT 1 FROM record LIMIT 1')).rowCount;
            if (has) throw new Error('This server already holds a register; an import moves a standalone database into an empty server only');
            // Documents' content goes with their descriptions (never in the feed: opened through the server).
            for (const d of src.sqlite.prepare('SELECT sha256, mime, size, bytes FROM document_content').iterate() as Iterable<ContentRow>) {
              await c.query('INSERT INTO document_content (sha256, mime, size, bytes) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING', [d.sha256, d.mime, d.size, d.bytes]);
            }
            const batch: Parameters<typeof writeRecords>[1] = [];
            const flush = async () => {
              if (!batch.length) return;
              const seqs = (await c.query<{ s: string }>("SELECT nextval('sync_seq') AS s FROM generate_series(1, $1)", [batch.length])).rows;
              batch.forEach((b, i) => (b.seq = Number(seqs[i]!.s)));
              await writeRecords(c, batch);
              batch.length = 0;
            };
            for (const entity of SYNC_TABLES) {
              for (const { id } of src.sqlite.prepare(`SELECT id FROM ${entity}`).iterate() as Iterable<{ id: string }>) {
                const row = readRecord(src.sqlite, entity, id)!;
                batch.push({ entity, id, version: Number(row.version ?? 1), aggregate: aggregateOf(entity, id, row), person_id: personOf(entity, id, row), data: row, seq: 0 });
                if (batch.length >= 5000) await flush();
              }
            }
            await flush();
            await c.query(
              `INSERT INTO aggregate (key, seq, mutation_id) SELECT aggregate, max(seq), NULL FROM record GROUP BY aggregate
               ON CONFLICT (key) DO UPDATE SET seq = excluded.seq`,
            );
            for (const { key, value } of src.sqlite.prepare('SELECT key, value FROM app_meta').all() as { key: string; value: string }[]) {
              if (!isSetting(key)) continue;
              await c.query("INSERT INTO setting (key, value, seq) VALUES ($1, $2, nextval('sync_seq')) ON CONFLICT (key) DO UPDATE SET value = excluded.value, seq = excluded.seq", [key, value]);
            }
            // The standalone audit log moves with the register (server/engine/audit.ts), and its imports'
            // history with it (the next delta is checked against the last file it applied).
            await importAuditChain(c, src.sqlite);
            await saveBookkeeping(c, src.sqlite);
          },
          { lock: WRITER_LOCK },
        );
      } finally {
        src.close();
      }
      await this.catchUpLocked(false);
      return { records: await this.countRecords(), head: this.appliedSeq() };
    });
  }

  private async countRecords(): Promise<number> {
    return Number((await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM record')).rows[0]!.n);
  }

  private catchUp(fresh: boolean): Promise<void> {
    return this.queue.run(() => this.catchUpLocked(fresh));
  }

  /**
   * Applies to the replica every record and setting PostgreSQL changed after the replica's applied seq, in
   * pages, each page in one SQLite transaction with the seq it reached. Derived data (the shielding flags)
   * is recomputed once at the end.
   */
  private async catchUpLocked(fresh: boolean): Promise<void> {
    const sqlite = this.core.ctx.sqlite;
    // The central audit chain first: a fresh replica gets the whole log back, a replica that lost its last
    // transaction gets that transaction's entries (server/engine/audit.ts).
    await restoreReplicaAudit(this.pool, sqlite);
    await restoreBookkeeping(this.pool, sqlite);
    await restoreDocumentContent(this.pool, sqlite);
    const from = fresh ? 0 : this.appliedSeq();
    const head = await this.head();
    if (from >= head) return;
    const PAGE = 20_000;
    // Pages follow PostgreSQL's seq, not the references between records (a unit's parent, a transfer's
    // source may come in a later page): the keys are checked once the whole catch-up is in.
    sqlite.pragma('foreign_keys = OFF');
    try {
      await this.catchUpPages(from, head, PAGE);
    } finally {
      sqlite.pragma('foreign_keys = ON');
    }
    const broken = sqlite.pragma('foreign_key_check') as unknown[];
    if (broken.length) throw new Error(`The replica caught up from PostgreSQL has ${broken.length} dangling reference(s); the server database is inconsistent`);
    sqlite.transaction(() => recomputeAllShielding(sqlite))();
    this.core.ctx.generation.persons++;
    if (meta(sqlite, 'demo') === '1') this.core.ctx.demo = true;
  }

  private async catchUpPages(from: number, head: number, PAGE: number): Promise<void> {
    const sqlite = this.core.ctx.sqlite;
    for (;;) {
      const page = await this.pool.query<{ entity: string; id: string; data: Row | null; seq: string }>(
        'SELECT entity, id, data, seq FROM record WHERE seq > $1 ORDER BY seq LIMIT $2',
        [from, PAGE],
      );
      const settings = await this.pool.query<{ key: string; value: string; seq: string }>('SELECT key, value, seq FROM setting WHERE seq > $1', [from]);
      if (!page.rows.length) {
        sqlite.transaction(() => {
          for (const s of settings.rows) setMeta(sqlite, s.key, s.value);
          setMeta(sqlite, 'sync.applied_seq', String(head));
        })();
        break;
      }
      const last = Number(page.rows[page.rows.length - 1]!.seq);
      sqlite.transaction(() => {
        // Parents before children: a placement's holders refer to persons, memberships to groups.
        const ordered = [...page.rows].sort((a, b) => SYNC_TABLES.indexOf(a.entity as RecordTable) - SYNC_TABLES.indexOf(b.entity as RecordTable));
        for (const r of ordered) {
          if (!isSyncTable(r.entity)) continue;
          if (r.data) writeRecord(sqlite, r.entity, r.data);
          else removeRecord(sqlite, r.entity, r.id);
        }
        for (const s of settings.rows) if (Number(s.seq) <= last) setMeta(sqlite, s.key, s.value);
        setMeta(sqlite, 'sync.applied_seq', String(last));
      })();
      from = last;
    }
  }

  private emit(head: number): void {
    for (const l of this.listeners) {
      try {
        l(head);
      } catch {
        // A listener's failure (a closed stream) is its own business.
      }
    }
  }

  close(): void {
    this.core.close();
  }
}

function meta(sqlite: import('better-sqlite3').Database, key: string): string | null {
  const r = sqlite.prepare('SELECT value FROM app_meta WHERE key = ?').get(key) as { value: string } | undefined;
  return r?.value ?? null;
}

function setMeta(sqlite: import('better-sqlite3').Database, key: string, value: string): void {
  sqlite.prepare('INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}

function maxSeq(sqlite: import('better-sqlite3').Database, table: 'change_log' | 'audit_log'): number {
  return (sqlite.prepare(`SELECT coalesce(max(seq), 0) AS s FROM ${table}`).get() as { s: number }).s;
}

async function serverEpoch(pool: pg.Pool): Promise<string> {
  const r = await pool.query<{ value: string }>("SELECT value FROM server_meta WHERE key = 'epoch'");
  if (!r.rows[0]) throw new Error('server_meta has no epoch: the server database is not migrated');
  return r.rows[0].value;
}

/** The aggregates whose current state is not what the mutation's base says the workstation saw. */
async function staleAggregates(c: pg.PoolClient, base: Base): Promise<string[]> {
  const keys = Object.keys(base);
  if (!keys.length) return [];
  const rows = (await c.query<AggregateRow>('SELECT key, seq, mutation_id FROM aggregate WHERE key = ANY($1)', [keys])).rows;
  const now = new Map(rows.map((r) => [r.key, r]));
  return keys.filter((k) => {
    const b = base[k]!;
    const cur = now.get(k);
    if ('mutation' in b) return !cur || cur.mutation_id !== b.mutation;
    return (cur ? Number(cur.seq) : 0) !== b.seq;
  });
}

interface RecordRow {
  entity: string;
  id: string;
  version: number;
  aggregate: string;
  person_id: string | null;
  data: Row | null;
  seq: number;
}

/** Upserts records and keeps the constraint tables in step with them, in the caller's transaction. */
interface ContentRow {
  sha256: string;
  mime: string;
  size: number;
  bytes: Buffer;
}

/**
 * The content of documents a call attached (person_document rows it wrote whose hash PostgreSQL lacks),
 * copied from the replica inside the call's PostgreSQL transaction: the record and its bytes commit together.
 */
async function mirrorDocumentContent(c: pg.PoolClient, sqlite: Database.Database, rows: readonly { entity: string; data: Row | null }[]): Promise<void> {
  const hashes = [...new Set(rows.filter((r) => r.entity === 'person_document' && r.data).map((r) => String(r.data!.content_sha256)))];
  if (!hashes.length) return;
  const present = new Set((await c.query<{ sha256: string }>('SELECT sha256 FROM document_content WHERE sha256 = ANY($1)', [hashes])).rows.map((r) => r.sha256));
  const read = sqlite.prepare('SELECT sha256, mime, size, bytes FROM document_content WHERE sha256 = ?');
  for (const h of hashes) {
    if (present.has(h)) continue;
    const d = read.get(h) as ContentRow | undefined;
    if (!d) throw new Error(`A document names content ${h.slice(0, 12)}… that the replica does not hold`);
    await c.query('INSERT INTO document_content (sha256, mime, size, bytes) VALUES ($1, $2, $3, $4)', [d.sha256, d.mime, d.size, d.bytes]);
  }
}

/** Puts back into the replica the document content it lacks (a rebuilt replica has none), one file at a time. */
async function restoreDocumentContent(pool: pg.Pool, sqlite: Database.Database): Promise<void> {
  const have = new Set(sqlite.prepare('SELECT sha256 FROM document_content').pluck().all() as string[]);
  const all = (await pool.query<{ sha256: string }>('SELECT sha256 FROM document_content')).rows.map((r) => r.sha256);
  const put = sqlite.prepare('INSERT INTO document_content (sha256, mime, size, bytes, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING');
  for (const h of all) {
    if (have.has(h)) continue;
    const d = (await pool.query<ContentRow & { created_at: Date }>('SELECT sha256, mime, size, bytes, created_at FROM document_content WHERE sha256 = $1', [h])).rows[0]!;
    put.run(d.sha256, d.mime, d.size, d.bytes, d.created_at.toISOString());
  }
}

async function writeRecords(c: pg.PoolClient, rows: RecordRow[]): Promise<void> {
  await c.query(
    `INSERT INTO record (entity, id, version, aggregate, person_id, data, seq)
     SELECT entity, id, version, aggregate, person_id, data, seq
     FROM jsonb_to_recordset($1::jsonb) AS x(entity text, id text, version int, aggregate text, person_id text, data jsonb, seq bigint)
     ON CONFLICT (entity, id) DO UPDATE SET version = excluded.version, aggregate = excluded.aggregate, person_id = excluded.person_id,
       data = excluded.data, seq = excluded.seq`,
    [JSON.stringify(rows)],
  );
  const of = (e: string) => rows.filter((r) => r.entity === e);
  const placements = of('placement');
  if (placements.length) {
    await c.query('DELETE FROM inv_placement WHERE id = ANY($1)', [placements.map((r) => r.id)]);
    const live = placements
      .filter((r) => r.data && !r.data.deleted_at && (r.data.state === 'offered' || r.data.state === 'accepted'))
      .map((r) => ({ id: r.id, child_id: r.data!.child_id, family: FORM_FAMILY[r.data!.school_form as PlacementForm] ?? String(r.data!.school_form), from: r.data!.valid_from, to: r.data!.valid_to }));
    if (live.length) {
      await c.query(
        `INSERT INTO inv_placement (id, child_id, family, span)
         SELECT id, child_id, family, daterange("from"::date, "to"::date, '[]') FROM jsonb_to_recordset($1::jsonb) AS x(id text, child_id text, family text, "from" text, "to" text)`,
        [JSON.stringify(live)],
      );
    }
  }
  const enrolments = of('enrolment');
  if (enrolments.length) {
    await c.query('DELETE FROM inv_enrolment WHERE id = ANY($1)', [enrolments.map((r) => r.id)]);
    const live = enrolments.filter((r) => r.data && !r.data.deleted_at).map((r) => ({ id: r.id, pupil_id: r.data!.pupil_id, from: r.data!.valid_from, to: r.data!.valid_to }));
    if (live.length) {
      await c.query(
        `INSERT INTO inv_enrolment (id, pupil_id, span)
         SELECT id, pupil_id, daterange("from"::date, "to"::date, '[]') FROM jsonb_to_recordset($1::jsonb) AS x(id text, pupil_id text, "from" text, "to" text)`,
        [JSON.stringify(live)],
      );
    }
  }
  const persons = of('person');
  if (persons.length) {
    await c.query('DELETE FROM inv_identity WHERE person_id = ANY($1)', [persons.map((r) => r.id)]);
    const live = persons
      .filter((r) => r.data && !r.data.deleted_at && (r.data.id_canonical || r.data.reserve_number))
      .map((r) => ({ person_id: r.id, number: r.data!.id_canonical ? String(r.data!.id_canonical) : `reserve:${String(r.data!.reserve_number)}` }));
    if (live.length) {
      await c.query('INSERT INTO inv_identity (person_id, number) SELECT person_id, number FROM jsonb_to_recordset($1::jsonb) AS x(person_id text, number text)', [
        JSON.stringify(live),
      ]);
    }
  }
}

/** A constraint of the sync store that refused a write, as the core's named rule. */
function constraintRule(e: unknown): ApiError | null {
  const err = e as { code?: string; constraint?: string };
  if (err.code === '23P01' && err.constraint === 'placement_overlap') {
    return { code: 'rule_violation', rule: 'placement_overlap', field: 'validFrom', message: 'placement_overlap: the child already has a placement of this family of care in the period' };
  }
  if (err.code === '23P01' && err.constraint === 'enrolment_overlap') {
    return { code: 'rule_violation', rule: 'enrolment_overlap', field: 'validFrom', message: 'enrolment_overlap: the pupil is already enrolled in the period' };
  }
  if (err.code === '23505' && err.constraint === 'identity_unique') {
    return { code: 'duplicate', field: 'identityNumber', message: 'Another person is already registered with this identity number' };
  }
  return null;
}

function snake(e: AuditInput) {
  return {
    at: e.at,
    actor_id: e.actorId,
    actor_name: e.actorName,
    workstation: e.workstation,
    method: e.method,
    action: e.action,
    outcome: e.outcome,
    details: e.details,
    reason: e.reason,
  };
}
