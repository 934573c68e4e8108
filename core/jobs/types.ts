/**
 * What a job's code sees. A job runs off the core's request loop (a worker thread with its own database
 * connection), reports progress, can be cancelled, and writes everything it changes in ONE transaction
 * (`tx`), so that cancelling or a crash leaves the database exactly as it was before the job.
 */
import type { Permission } from '../../shared/domain/access';
import type { JobSummary } from '../../shared/domain/events';
import type { AuditRecorder } from '../audit/recorder';
import type { Actor, CoreContext } from '../context';
import type { FileStore } from '../files/store';

export interface JobContext {
  readonly id: string;
  readonly kind: string;
  /** The job's own connection (in a worker thread) or the core's (inline mode: CLI, in-memory databases). */
  readonly ctx: CoreContext;
  readonly actor: Actor;
  readonly workstation: string;
  /** Aborted when the user cancels. Async steps pass it on (streams, parsers). */
  readonly signal: AbortSignal;
  /**
   * For synchronous loops, including inside `tx`: throws when a cancel has been requested. It reads a
   * shared flag, so it works while the thread is busy in a long synchronous transaction (a message could
   * not arrive then). Call it every few hundred rows.
   */
  throwIfCancelled(): void;
  /** Progress for the UI: what the job does now and how far it is. Throttled; cheap to call often. */
  progress(phase: string, done: number, total?: number | null): void;
  /** What the job's write changed, for its audit entry (written inside `tx`). */
  readonly audit: AuditRecorder;
  /**
   * The job's one write transaction (IMMEDIATE): `fn`'s changes, the job's audit entry and the job's
   * "committed" mark commit together or not at all. A job that writes calls it once.
   */
  tx<T>(fn: () => T): T;
  readonly files: FileStore;
}

export interface JobKind<I = unknown> {
  /** Who may see and cancel such jobs (besides the user who started one). */
  permission: Permission;
  /** The method that starts it, named in the job's audit entries (e.g. `rollover.commit`). */
  method: string;
  /** Runs the job; the summary it returns (counts and flags only, never personal data) becomes its result. */
  run(job: JobContext, input: I): Promise<JobSummary>;
}

/** A cancel request was seen: the job stops, and whatever it had begun is rolled back. */
export class JobCancelled extends Error {
  constructor() {
    super('The job was cancelled');
    this.name = 'JobCancelled';
  }
}
