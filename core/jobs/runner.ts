/**
 * The job runner, in the core process: queues jobs, runs each in a worker thread with its own database
 * connection (or inline, for the CLI and in-memory databases), keeps their live progress, delivers it as
 * events, and cancels. One job runs at a time: on a two-core workstation two heavy jobs would only slow
 * each other and the clerk's screen down.
 *
 * A job outlives the renderer (a reload asks `job.list` again); it does not outlive the core process: a
 * job that was running when the process died is marked failed at the next start, and since its changes
 * were one uncommitted transaction, nothing of it is in the database.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DomainError } from '../../shared/api/errors';
import type { JobView } from '../../shared/domain/events';
import type { Session } from '../access/auth';
import { scopeOf } from '../access/scope';
import { appendAudit } from '../audit/chain';
import type { Actor, CoreContext } from '../context';
import type { EventHub } from '../events';
import type { FileStore } from '../files/store';
import type { Logger } from '../log';
import type { CallContext } from '../api/dispatch';
import { executeJob, type JobOutcome } from './execute';
import { JOB_KINDS } from './registry';
import { insertJob, jobRow, markFinished, toView, type JobRow } from './store';
import type { WorkerInput, WorkerMessage } from './worker';

export interface JobRunnerOptions {
  ctx: CoreContext;
  /** The database file; null for an in-memory database (jobs then run inline). */
  dbPath: string | null;
  /** The database's encryption key (db/open.ts), handed to a worker in its workerData (memory, never argv or env). */
  dbKey?: Buffer | null;
  /** The audit sink's files, which a worker's connection shares (core/audit/sink.ts). */
  auditPaths: { anchorPath: string | null; pendingPath: string | null };
  logDir: string | null;
  files: FileStore;
  events: EventHub;
  logger: Logger;
  /** `worker` (default with a file database) or `inline` (CLI: one process, one job, progress on a terminal). */
  mode?: 'worker' | 'inline';
  afterCommit(): void;
  /** After a job committed changes on its own connection: the core drops caches built on the old data. */
  onExternalCommit(): void;
}

interface Live {
  id: string;
  kind: string;
  actor: Actor;
  workstation: string;
  input: unknown;
  phase: string;
  done: number;
  total: number | null;
  cancel: SharedArrayBuffer;
  abort: AbortController;
  worker: Worker | null;
  finished: Promise<JobView>;
  resolve: (v: JobView) => void;
  cancelTimer: ReturnType<typeof setTimeout> | null;
}

/** A worker that does not stop within this time after a cancel is terminated (its transaction rolls back). */
const CANCEL_GRACE_MS = 15_000;
const PROGRESS_EVENT_EVERY_MS = 100;
/** SQLite's default: a commit that leaves the WAL longer than this many pages checkpoints it. */
const WAL_AUTOCHECKPOINT_PAGES = 1000;

export class JobRunner {
  private readonly live = new Map<string, Live>();
  private readonly queue: Live[] = [];
  private running: Live | null = null;
  private readonly mode: 'worker' | 'inline';
  private closed = false;

  constructor(private readonly o: JobRunnerOptions) {
    this.mode = o.dbPath === null ? 'inline' : (o.mode ?? 'worker');
  }

  /**
   * At start: jobs that were queued or running when the process ended. A job whose transaction committed
   * (its mark is in the same transaction) succeeded, only its final bookkeeping is missing; any other
   * one failed, and nothing of it is in the database.
   */
  recoverInterrupted(): number {
    const { ctx } = this.o;
    const rows = ctx.sqlite.prepare(`SELECT * FROM job WHERE state IN ('queued', 'running')`).all() as JobRow[];
    if (rows.length === 0) return 0;
    ctx.sqlite
      .transaction(() => {
        for (const r of rows) {
          const committed = r.committed_at !== null;
          markFinished(ctx.sqlite, r.id, {
            state: committed ? 'succeeded' : 'failed',
            at: ctx.clock.now(),
            result: committed ? { recovered: true } : null,
            error: committed ? null : { code: 'internal', message: 'Kansli stopped while the job ran; nothing of it was saved' },
            phase: committed ? 'done' : r.phase,
            done: r.done,
            total: r.total,
          });
          appendAudit(ctx.sqlite, {
            at: ctx.clock.now(),
            actorId: r.created_by,
            actorName: r.created_by_name,
            workstation: r.workstation,
            method: JOB_KINDS[r.kind]?.method ?? r.kind,
            action: 'job',
            outcome: committed ? 'ok' : 'internal',
            personIds: [],
            details: { job: r.id, event: committed ? 'recovered_committed' : 'interrupted' },
            reason: null,
          });
        }
      })
      .immediate();
    this.o.afterCommit();
    return rows.length;
  }

  /**
   * Queues a job from inside the call that starts it. The job row and the call's own audit entry
   * (recording the start) commit in the call's transaction; the work starts after it.
   */
  async start(call: CallContext, kind: string, input: unknown, alsoInTx?: (jobId: string) => void): Promise<{ jobId: string }> {
    const k = JOB_KINDS[kind];
    if (!k) throw new Error(`Unknown job kind ${kind}`);
    if (this.closed) throw new DomainError('busy', 'Kansli is shutting down');
    const id = randomUUID();
    call.audit.action = 'job';
    call.audit.detail('job', id).detail('event', 'started');
    await call.tx(() => {
      // What the starting call records besides the job (an import's run row), in the same transaction.
      alsoInTx?.(id);
      insertJob(this.o.ctx.sqlite, {
        id,
        kind,
        input,
        createdBy: call.actor.id,
        createdByName: call.actor.name,
        workstation: call.session.workstation,
        mutationId: call.mutationId,
        at: this.o.ctx.clock.now(),
      });
    });
    let resolve!: (v: JobView) => void;
    const finished = new Promise<JobView>((ok) => (resolve = ok));
    const l: Live = {
      id,
      kind,
      actor: call.actor,
      workstation: call.session.workstation,
      input,
      phase: 'queued',
      done: 0,
      total: null,
      cancel: new SharedArrayBuffer(4),
      abort: new AbortController(),
      worker: null,
      finished,
      resolve,
      cancelTimer: null,
    };
    this.live.set(id, l);
    this.queue.push(l);
    this.emit(id);
    this.pump();
    return { jobId: id };
  }

  /** Whether `actor` may see (and cancel) this job: the user who started it, or one who holds its permission for the whole municipality. */
  private mayAccess(actor: Actor, r: Pick<JobRow, 'created_by' | 'kind'>): boolean {
    if (r.created_by === actor.id) return true;
    const k = JOB_KINDS[r.kind];
    return k !== undefined && scopeOf(actor, k.permission) === 'all';
  }

  get(actor: Actor, id: string): JobView {
    const r = jobRow(this.o.ctx.sqlite, id);
    // "Not found" also for a job of someone else's: the answer must not say that it exists.
    if (!r || !this.mayAccess(actor, r)) throw new DomainError('not_found', 'No such job', 'id');
    return toView(r, this.live.get(id));
  }

  list(actor: Actor, limit: number): JobView[] {
    const rows = this.o.ctx.sqlite.prepare('SELECT * FROM job ORDER BY created_at DESC, rowid DESC LIMIT ?').all(limit * 4) as JobRow[];
    return rows
      .filter((r) => this.mayAccess(actor, r))
      .slice(0, limit)
      .map((r) => toView(r, this.live.get(r.id)));
  }

  cancel(actor: Actor, id: string): JobView {
    const view = this.get(actor, id);
    const l = this.live.get(id);
    if (!l || !view.cancellable) return view;
    Atomics.store(new Int32Array(l.cancel), 0, 1);
    l.abort.abort();
    const queued = this.queue.indexOf(l);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      void this.settle(l, { state: 'cancelled', phase: l.phase, done: l.done, total: l.total });
    } else if (l.worker) {
      l.worker.postMessage({ type: 'cancel' });
      // A job deep in synchronous work sees the flag at its next check; one that never checks is stopped
      // hard. Terminating the thread closes its connection, which rolls its transaction back.
      l.cancelTimer = setTimeout(() => void l.worker?.terminate(), CANCEL_GRACE_MS);
    }
    return this.get(actor, id);
  }

  /** Resolves when the job has ended (tests, the CLI). */
  wait(id: string): Promise<JobView> {
    const l = this.live.get(id);
    if (l) return l.finished;
    const r = jobRow(this.o.ctx.sqlite, id);
    if (!r) return Promise.reject(new Error(`No job ${id}`));
    return Promise.resolve(toView(r));
  }

  /** Whether any job is queued or running. */
  get busy(): boolean {
    return this.running !== null || this.queue.length > 0;
  }

  private pump(): void {
    if (this.running || this.closed) return;
    const next = this.queue.shift();
    if (!next) return;
    this.running = next;
    const run = this.mode === 'worker' ? this.runInWorker(next) : this.runInline(next);
    run.then(
      (outcome) => this.settle(next, outcome),
      (e: unknown) => {
        this.o.logger.error('job_runner_error', e, { kind: next.kind });
        return this.settle(next, { state: 'failed', error: { code: 'internal', message: 'The job could not run (see the log)' }, phase: next.phase, done: next.done, total: next.total });
      },
    );
  }

  private onProgress(l: Live, p: { phase: string; done: number; total: number | null }, lastEmit: { t: number; phase: string }): void {
    l.phase = p.phase;
    l.done = p.done;
    l.total = p.total;
    const now = Date.now();
    if (p.phase !== lastEmit.phase || now - lastEmit.t >= PROGRESS_EVENT_EVERY_MS) {
      lastEmit.t = now;
      lastEmit.phase = p.phase;
      this.emit(l.id);
    }
  }

  private runInline(l: Live): Promise<JobOutcome> {
    const lastEmit = { t: 0, phase: '' };
    return executeJob({
      ctx: this.o.ctx,
      files: this.o.files,
      jobId: l.id,
      kind: l.kind,
      input: l.input,
      actor: l.actor,
      workstation: l.workstation,
      cancelFlag: new Int32Array(l.cancel),
      signal: l.abort.signal,
      onProgress: (p) => this.onProgress(l, p, lastEmit),
      afterCommit: () => this.o.afterCommit(),
      logError: (e) => this.o.logger.error('job_error', e, { kind: l.kind, job: l.id }),
    });
  }

  private runInWorker(l: Live): Promise<JobOutcome> {
    const { ctx } = this.o;
    const data: WorkerInput = {
      entry: workerEntry().entry,
      dbPath: this.o.dbPath!,
      dbKey: this.o.dbKey ? new Uint8Array(this.o.dbKey) : null,
      auditPaths: this.o.auditPaths,
      filesDir: this.o.files.dir,
      logDir: this.o.logDir,
      jobId: l.id,
      kind: l.kind,
      input: l.input,
      actor: {
        id: l.actor.id,
        name: l.actor.name,
        permissions: [...l.actor.permissions],
        unitScope: l.actor.unitScope ? [...l.actor.unitScope].map(([p, s]) => [p, [...s]]) : null,
      },
      workstation: l.workstation,
      fixedToday: ctx.clock.fixedToday ?? null,
      demo: ctx.demo,
      secretKey: new Uint8Array(ctx.secretKey),
      cancel: l.cancel,
    };
    const { file } = workerEntry();
    return new Promise<JobOutcome>((resolve) => {
      // A larger young generation than V8's default (16 MB semi-spaces): a job builds hundreds of thousands of
      // objects that all live until it stores them, and with small semi-spaces each scavenge copies them and
      // promotes them early. Measured on the fee run's preview (180 000 lines): 11.7–13.1 s → 10.7–11.5 s.
      const worker = new Worker(file, { workerData: data, resourceLimits: { maxOldGenerationSizeMb: 1024, maxYoungGenerationSizeMb: 192 } });
      l.worker = worker;
      this.workerStarted(worker);
      let outcome: JobOutcome | null = null;
      const lastEmit = { t: 0, phase: '' };
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'progress') this.onProgress(l, m, lastEmit);
        else if (m.type === 'outcome') {
          // Settled now: the worker goes on to checkpoint what it wrote (worker.ts), which nobody waits for.
          outcome = m.outcome;
          l.worker = null;
          if (l.cancelTimer) clearTimeout(l.cancelTimer);
          resolve(outcome);
        }
      });
      worker.on('error', (e) => this.o.logger.error('job_worker_error', e, { kind: l.kind, job: l.id }));
      worker.on('exit', () => {
        this.workerEnded(worker);
        if (outcome) return;
        l.worker = null;
        if (l.cancelTimer) clearTimeout(l.cancelTimer);
        if (Atomics.load(new Int32Array(l.cancel), 0) === 1) resolve({ state: 'cancelled', phase: l.phase, done: l.done, total: l.total });
        else resolve({ state: 'failed', error: { code: 'internal', message: 'The job stopped unexpectedly; nothing of it was saved' }, phase: l.phase, done: l.done, total: l.total });
      });
    });
  }

  private async settle(l: Live, outcome: JobOutcome): Promise<void> {
    const { ctx } = this.o;
    if (this.closed || !ctx.sqlite.open) {
      // The core is closing: the row stays "running" and the next start marks it (nothing was committed
      // unless its committed mark says so).
      this.live.delete(l.id);
      l.resolve({ ...toViewOfLive(l), state: outcome.state === 'succeeded' ? 'succeeded' : 'failed' });
      return;
    }
    if (outcome.state !== 'succeeded') {
      // Written here, not by the worker: a worker that failed may be gone. Waits politely for the lock.
      await retryBusy(() =>
        ctx.sqlite
          .transaction(() => {
            const r = jobRow(ctx.sqlite, l.id);
            if (!r || (r.state !== 'queued' && r.state !== 'running')) return;
            markFinished(ctx.sqlite, l.id, {
              state: outcome.state,
              at: ctx.clock.now(),
              error: outcome.state === 'failed' ? outcome.error : { code: 'cancelled', message: 'Cancelled; nothing was changed' },
              phase: outcome.phase,
              done: outcome.done,
              total: outcome.total,
            });
            appendAudit(ctx.sqlite, {
              at: ctx.clock.now(),
              actorId: l.actor.id,
              actorName: l.actor.name,
              workstation: l.workstation,
              method: JOB_KINDS[l.kind]?.method ?? l.kind,
              action: 'job',
              outcome: outcome.state === 'failed' ? outcome.error.code : 'cancelled',
              personIds: [],
              details: { job: l.id, event: outcome.state },
              reason: null,
            });
          })
          .immediate(),
      ).catch((e: unknown) => this.o.logger.error('job_settle_failed', e, { job: l.id }));
      this.o.afterCommit();
    } else {
      this.o.onExternalCommit();
    }
    this.live.delete(l.id);
    if (this.running === l) this.running = null;
    const r = jobRow(ctx.sqlite, l.id);
    const view = r ? toView(r) : null;
    if (view) this.events(view);
    if (view) l.resolve(view);
    this.pump();
  }

  private emit(id: string): void {
    if (this.closed || !this.o.ctx.sqlite.open) return;
    const r = jobRow(this.o.ctx.sqlite, id);
    if (r) this.events(toView(r, this.live.get(id)));
  }

  private events(view: JobView): void {
    if (this.closed || !this.o.ctx.sqlite.open) return;
    const row = { created_by: '', kind: view.kind };
    const l = this.live.get(view.id);
    const starter = l?.actor.id ?? (jobRow(this.o.ctx.sqlite, view.id)?.created_by ?? '');
    this.o.events.emit({ type: 'job', job: view }, (s: Session) => s.actor !== null && this.mayAccess(s.actor, { ...row, created_by: starter }));
  }

  /**
   * Every worker thread alive, running a job or checkpointing after one. While there is one, the core's own
   * connection makes no automatic checkpoint: a commit on it (an audit entry, the job's settlement) would
   * otherwise copy a large job's WAL into the database on the thread the user is waiting for. The worker
   * does it (worker.ts); the last one to end gives the core its automatic checkpoints back.
   */
  private readonly threads = new Set<Worker>();

  private workerStarted(worker: Worker): void {
    if (this.threads.size === 0 && this.o.ctx.sqlite.open) this.o.ctx.sqlite.pragma('wal_autocheckpoint = 0');
    this.threads.add(worker);
  }

  private workerEnded(worker: Worker): void {
    this.threads.delete(worker);
    if (this.threads.size > 0) return;
    if (this.o.ctx.sqlite.open) this.o.ctx.sqlite.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  }

  /**
   * Resolves when no job is queued or running and no worker thread is alive (every checkpoint done): for
   * tests and shutdown paths that must not meet a job's lock.
   */
  async idle(): Promise<void> {
    while (this.running || this.queue.length > 0 || this.threads.size > 0) await new Promise((ok) => setTimeout(ok, 10));
  }

  /**
   * Stops taking jobs and stops running ones (their transactions roll back) and any checkpoint still going
   * (the WAL stays valid; the next checkpoint, or closing the database, copies it).
   */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.threads].map((w) => w.terminate()));
  }
}

function toViewOfLive(l: Live): JobView {
  return {
    id: l.id,
    kind: l.kind,
    state: 'running',
    phase: l.phase,
    done: l.done,
    total: l.total,
    createdAt: '',
    startedAt: null,
    finishedAt: null,
    createdBy: l.actor.name,
    error: null,
    result: null,
    cancellable: false,
  };
}

async function retryBusy<T>(fn: () => T, deadlineMs = 120_000): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return fn();
    } catch (e) {
      const code = (e as { code?: string }).code ?? '';
      if (!code.startsWith('SQLITE_BUSY') || Date.now() > until) throw e;
    }
    await new Promise((ok) => setTimeout(ok, Math.min(250, 5 * 2 ** Math.min(attempt, 6))));
  }
}

/**
 * Where the worker's code is. The bundled desktop core (a .cjs file) has the worker bundle beside it;
 * from TypeScript sources a small .mjs entry registers tsx in the new thread first (which costs about half
 * a second per job: 594 against 125 ms measured). KANSLI_JOB_WORKER names a worker bundle to use instead:
 * the benchmark builds the shipped one and measures jobs as the desktop app runs them.
 */
function workerEntry(): { file: URL | string; entry: string } {
  const chosen = process.env.KANSLI_JOB_WORKER;
  if (chosen) {
    if (!existsSync(chosen)) throw new Error(`KANSLI_JOB_WORKER names ${chosen}, which does not exist`);
    return { file: chosen, entry: chosen };
  }
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.cjs')) {
    const bundled = join(dirname(here), 'job-worker.cjs');
    if (existsSync(bundled)) return { file: bundled, entry: bundled };
  }
  return { file: new URL('./boot.mjs', import.meta.url), entry: new URL('./worker.ts', import.meta.url).href };
}
