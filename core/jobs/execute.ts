/**
 * Runs one job to its end on a given connection: the same code in a worker thread (the normal case) and
 * inline (the CLI, an in-memory database). It writes the "running" mark, the job's one transaction with
 * its audit entry, and on success the final state with a "finished" audit entry. A failure or a cancel is
 * reported back and written by the runner, because a worker that failed may be gone.
 */
import { DomainError } from '../../shared/api/errors';
import type { JobSummary } from '../../shared/domain/events';
import { appendAudit } from '../audit/chain';
import { AuditRecorder } from '../audit/recorder';
import type { Actor, CoreContext } from '../context';
import type { FileStore } from '../files/store';
import { JOB_KINDS } from './registry';
import { markCommitted, markFinished, markStarted } from './store';
import { JobCancelled, type JobContext } from './types';

export type JobOutcome =
  | { state: 'succeeded'; result: JobSummary; phase: string; done: number; total: number | null }
  | { state: 'cancelled'; phase: string; done: number; total: number | null }
  | { state: 'failed'; error: JobError; phase: string; done: number; total: number | null };

export interface JobError {
  code: string;
  message: string;
  field?: string;
  rule?: string;
}

export interface ExecuteEnv {
  ctx: CoreContext;
  files: FileStore;
  jobId: string;
  kind: string;
  input: unknown;
  actor: Actor;
  workstation: string;
  /** Shared with the runner: [0] = 1 once a cancel is requested. */
  cancelFlag: Int32Array;
  signal: AbortSignal;
  onProgress(p: { phase: string; done: number; total: number | null }): void;
  /** After each commit on this connection (audit anchors). */
  afterCommit(): void;
  logError(e: unknown): void;
}

const PROGRESS_EVERY_MS = 100;

export async function executeJob(env: ExecuteEnv): Promise<JobOutcome> {
  const kind = JOB_KINDS[env.kind];
  const { ctx } = env;
  let phase = 'start';
  let done = 0;
  let total: number | null = null;
  let lastSent = 0;
  const cancelled = () => Atomics.load(env.cancelFlag, 0) === 1;
  let txDone = false;
  const audit = new AuditRecorder();
  const job: JobContext = {
    id: env.jobId,
    kind: env.kind,
    ctx,
    actor: env.actor,
    workstation: env.workstation,
    signal: env.signal,
    audit,
    files: env.files,
    throwIfCancelled: () => {
      if (cancelled()) throw new JobCancelled();
    },
    progress: (p, d, t) => {
      const changedPhase = p !== phase;
      phase = p;
      done = d;
      if (t !== undefined) total = t;
      const now = Date.now();
      if (changedPhase || now - lastSent >= PROGRESS_EVERY_MS) {
        lastSent = now;
        env.onProgress({ phase, done, total });
      }
    },
    tx: (fn) => {
      if (txDone) throw new Error(`job ${env.kind} opened a second write transaction; a job has one`);
      txDone = true;
      const r = ctx.sqlite
        .transaction(() => {
          const value = fn();
          // A cancel that arrives during the last rows still wins: nothing of the job commits.
          if (cancelled()) throw new JobCancelled();
          markCommitted(ctx.sqlite, env.jobId, ctx.clock.now());
          appendAudit(ctx.sqlite, {
            at: ctx.clock.now(),
            actorId: env.actor.id,
            actorName: env.actor.name,
            workstation: env.workstation,
            method: kind!.method,
            action: audit.action ?? 'write',
            outcome: 'ok',
            personIds: [...audit.personIds],
            details: { job: env.jobId, ...audit.details },
            reason: audit.reason,
          });
          return value;
        })
        .immediate();
      env.afterCommit();
      return r;
    },
  };
  if (!kind) return { state: 'failed', error: { code: 'internal', message: `Unknown job kind ${env.kind}` }, phase, done, total };
  try {
    ctx.sqlite.transaction(() => markStarted(ctx.sqlite, env.jobId, ctx.clock.now())).immediate();
    env.onProgress({ phase, done, total });
    if (cancelled()) throw new JobCancelled();
    const result = await kind.run(job, env.input as never);
    ctx.sqlite
      .transaction(() => {
        markFinished(ctx.sqlite, env.jobId, { state: 'succeeded', at: ctx.clock.now(), result, phase: 'done', done, total });
        appendAudit(ctx.sqlite, {
          at: ctx.clock.now(),
          actorId: env.actor.id,
          actorName: env.actor.name,
          workstation: env.workstation,
          method: kind.method,
          action: 'job',
          outcome: 'ok',
          personIds: [],
          details: { job: env.jobId, event: 'finished', result },
          reason: null,
        });
      })
      .immediate();
    env.afterCommit();
    return { state: 'succeeded', result, phase: 'done', done, total };
  } catch (e) {
    if (e instanceof JobCancelled || (cancelled() && isAbort(e))) return { state: 'cancelled', phase, done, total };
    if (e instanceof DomainError) {
      const error: JobError = { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}), ...(e.rule ? { rule: e.rule } : {}) };
      return { state: 'failed', error, phase, done, total };
    }
    env.logError(e);
    return { state: 'failed', error: { code: 'internal', message: 'The job stopped with an internal error (see the log)' }, phase, done, total };
  }
}

function isAbort(e: unknown): boolean {
  return e instanceof Error && (e.name === 'AbortError' || (e as { code?: string }).code === 'ABORT_ERR');
}
