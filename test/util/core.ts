/** Test helper: a real core over a real SQLite file in a fresh temporary folder (never a mocked database). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, dataPaths, type Core } from '../../core/app';
import { fixedClock, type Clock } from '../../core/context';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/api/contract';
import type { JobSummary, JobView } from '../../shared/domain/events';

export const TEST_TODAY = '2026-11-23';

export interface TestCore extends Core {
  dir: string;
  /** Calls a method and returns its data, failing the test with the typed error otherwise. */
  ok<M extends MethodName>(method: M, input: MethodInput<M>): MethodOutput<M>;
  /** Calls a method that must fail, returning the typed error. */
  err<M extends MethodName>(method: M, input: unknown): { code: string; message: string; field?: string; issues?: { field: string; code: string; message: string }[]; rule?: string; details?: Record<string, string | number> };
  /** Calls any method through the async dispatch (the transports' path) and returns its data. */
  okAsync<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  /** Starts a job through its method, waits for it to end and returns the job. */
  runJob(method: MethodName, input: unknown): Promise<JobView>;
  /** The result of a job that must succeed. */
  jobOk(method: MethodName, input: unknown): Promise<JobSummary>;
  /** The error of a job method that must fail: the call's own error, or the job's. */
  jobErr(method: MethodName, input: unknown): Promise<{ code: string; message: string; field?: string; rule?: string }>;
  dispose(): void;
}

export function makeTestCore(opts: { persons?: number; country?: 'SE' | 'NO'; today?: string; seed?: number; clock?: Clock } = {}): TestCore {
  const dir = mkdtempSync(join(tmpdir(), 'kansli-test-'));
  const { dbPath, logDir } = dataPaths(dir);
  const core = createCore({
    dbPath,
    logDir,
    clock: opts.clock ?? fixedClock(opts.today ?? TEST_TODAY),
    seed: opts.persons ? { country: opts.country ?? 'SE', persons: opts.persons, seed: opts.seed, today: opts.today ?? TEST_TODAY, deterministicIds: true } : false,
    validateOutputs: true,
  });
  return Object.assign(core, {
    dir,
    ok<M extends MethodName>(method: M, input: MethodInput<M>): MethodOutput<M> {
      const r = core.call(method, input);
      if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
      return r.data as MethodOutput<M>;
    },
    err(method: MethodName, input: unknown) {
      const r = core.call(method, input);
      if (r.ok) throw new Error(`${method} unexpectedly succeeded: ${JSON.stringify(r.data).slice(0, 300)}`);
      return r.error;
    },
    async okAsync<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
      const r = await core.callAsync(method, input);
      if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
      return r.data as MethodOutput<M>;
    },
    async runJob(method: MethodName, input: unknown): Promise<JobView> {
      const r = await core.callAsync(method, input);
      if (!r.ok) throw new Error(`${method} failed before its job started: ${JSON.stringify(r.error)}`);
      return core.services.jobs.wait((r.data as { jobId: string }).jobId);
    },
    async jobOk(method: MethodName, input: unknown): Promise<JobSummary> {
      const r = await core.callAsync(method, input);
      if (!r.ok) throw new Error(`${method} failed before its job started: ${JSON.stringify(r.error)}`);
      const job = await core.services.jobs.wait((r.data as { jobId: string }).jobId);
      if (job.state !== 'succeeded') throw new Error(`${method}: the job ${job.state}: ${JSON.stringify(job.error)}`);
      return job.result!;
    },
    async jobErr(method: MethodName, input: unknown) {
      const r = await core.callAsync(method, input);
      if (!r.ok) return r.error;
      const job = await core.services.jobs.wait((r.data as { jobId: string }).jobId);
      if (job.state === 'succeeded') throw new Error(`${method} unexpectedly succeeded: ${JSON.stringify(job.result)}`);
      return job.error!;
    },
    dispose() {
      core.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}
