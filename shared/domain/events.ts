/**
 * Events from the core to the UI (zod-free: the renderer imports this). They carry no personal data: a
 * job's event says which job, its phase and counts, never a name or a number from the data it works on.
 * Delivered over every transport: IPC in Electron, server-sent events on the browser host, the test fake.
 */
export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** A job's summary result: counts and flags only. */
export type JobSummary = Record<string, number | string | boolean | null>;

export interface JobView {
  id: string;
  kind: string;
  state: JobState;
  /** What the job does now, as a key the UI translates (e.g. `parse`, `diff`, `apply`). */
  phase: string;
  done: number;
  /** Null while the total is not known yet (a streamed file's record count). */
  total: number | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  createdBy: string;
  /** Why it failed or was cancelled: a typed error as every call returns (a refused rule names itself and its field). */
  error: { code: string; message: string; field?: string; rule?: string } | null;
  result: JobSummary | null;
  /** True while the job can still be cancelled. */
  cancellable: boolean;
}

export type CoreEvent =
  | { type: 'job'; job: JobView }
  /** The core locked or signed out this session (idle, OS lock, another window): show the lock screen. */
  | { type: 'session'; state: 'locked' | 'signed_out'; cause: string }
  /**
   * The link to the central server changed (online, counts of pending and conflicting changes): no names or
   * numbers. `changed`: the ids of the persons whose records this sync round changed in the cache (another
   * workstation's save arriving, a conflict put back to the server's version), `['*']` when it was many (a
   * snapshot), so an open card reads itself again; sent only to the user's own sessions.
   */
  | { type: 'sync'; online: boolean; pending: number; conflicts: number; rejected: number; changed?: string[] };

export type EventListener = (e: CoreEvent) => void;
