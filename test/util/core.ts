/** Test helper: a real core over a real SQLite file in a fresh temporary folder (never a mocked database). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, dataPaths, type Core } from '../../core/app';
import { fixedClock, type Clock } from '../../core/context';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/api/contract';

export const TEST_TODAY = '2026-11-23';

export interface TestCore extends Core {
  dir: string;
  /** Calls a method and returns its data, failing the test with the typed error otherwise. */
  ok<M extends MethodName>(method: M, input: MethodInput<M>): MethodOutput<M>;
  /** Calls a method that must fail, returning the typed error. */
  err<M extends MethodName>(method: M, input: unknown): { code: string; message: string; field?: string; issues?: { field: string; code: string; message: string }[] };
  dispose(): void;
}

export function makeTestCore(opts: { persons?: number; country?: 'SE' | 'NO'; today?: string; seed?: number; clock?: Clock } = {}): TestCore {
  const dir = mkdtempSync(join(tmpdir(), 'kansli-test-'));
  const { dbPath, logDir } = dataPaths(dir);
  const core = createCore({
    dbPath,
    logDir,
    clock: opts.clock ?? fixedClock(opts.today ?? TEST_TODAY),
    seed: opts.persons ? { country: opts.country ?? 'SE', persons: opts.persons, seed: opts.seed, today: opts.today ?? TEST_TODAY } : false,
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
    dispose() {
      core.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}
