/**
 * The job table: one row per job, written at its transitions (queued, running, committed, finished).
 * Progress lives in memory in the runner (it changes many times a second and must not compete for the
 * write lock the job itself holds); the row says where a job ended, also after a restart.
 */
import type Database from 'better-sqlite3';
import type { JobState, JobSummary, JobView } from '../../shared/domain/events';

export interface JobRow {
  id: string;
  kind: string;
  state: JobState;
  phase: string;
  done: number;
  total: number | null;
  input: string;
  result: string | null;
  error: string | null;
  created_by: string;
  created_by_name: string;
  workstation: string;
  mutation_id: string | null;
  created_at: string;
  started_at: string | null;
  committed_at: string | null;
  finished_at: string | null;
}

export function jobRow(sqlite: Database.Database, id: string): JobRow | undefined {
  return sqlite.prepare('SELECT * FROM job WHERE id = ?').get(id) as JobRow | undefined;
}

export function insertJob(
  sqlite: Database.Database,
  j: { id: string; kind: string; input: unknown; createdBy: string; createdByName: string; workstation: string; mutationId: string | null; at: string },
): void {
  sqlite
    .prepare(
      `INSERT INTO job (id, kind, state, phase, done, total, input, created_by, created_by_name, workstation, mutation_id, created_at)
       VALUES (?, ?, 'queued', 'queued', 0, NULL, ?, ?, ?, ?, ?, ?)`,
    )
    .run(j.id, j.kind, JSON.stringify(j.input ?? {}), j.createdBy, j.createdByName, j.workstation, j.mutationId, j.at);
}

export function markStarted(sqlite: Database.Database, id: string, at: string): void {
  sqlite.prepare(`UPDATE job SET state = 'running', phase = 'start', started_at = ? WHERE id = ? AND state = 'queued'`).run(at, id);
}

/** Inside the job's own write transaction: the mark commits with the job's changes. */
export function markCommitted(sqlite: Database.Database, id: string, at: string): void {
  sqlite.prepare('UPDATE job SET committed_at = ? WHERE id = ?').run(at, id);
}

export function markFinished(
  sqlite: Database.Database,
  id: string,
  f: { state: Exclude<JobState, 'queued' | 'running'>; at: string; result?: JobSummary | null; error?: JobView['error']; phase: string; done: number; total: number | null },
): void {
  sqlite
    .prepare('UPDATE job SET state = ?, finished_at = ?, result = ?, error = ?, phase = ?, done = ?, total = ? WHERE id = ?')
    .run(f.state, f.at, f.result ? JSON.stringify(f.result) : null, f.error ? JSON.stringify(f.error) : null, f.phase, f.done, f.total, id);
}

export function toView(r: JobRow, live?: { phase: string; done: number; total: number | null }): JobView {
  const running = r.state === 'running' || r.state === 'queued';
  return {
    id: r.id,
    kind: r.kind,
    state: r.state,
    phase: running && live ? live.phase : r.phase,
    done: running && live ? live.done : r.done,
    total: running && live ? live.total : r.total,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    createdBy: r.created_by_name,
    error: r.error ? (JSON.parse(r.error) as JobView['error']) : null,
    result: r.result ? (JSON.parse(r.result) as JobSummary) : null,
    cancellable: running && r.committed_at === null,
  };
}
