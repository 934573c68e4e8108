import type { z } from 'zod';
import type { Permission } from '../domain/access';
import type { ErrorCode } from './errors';

export type RunKind = 'tx' | 'async' | 'job';

export interface MethodDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType, R extends RunKind = RunKind> {
  input: I;
  output: O;
  permission: Permission;
  errors: readonly ErrorCode[];
  /** Reads or writes personal data: recorded in the audit log. */
  personal: boolean;
  /** Changes stored data: recorded in the audit log with before and after, in the same transaction. */
  writes: boolean;
  /**
   * How the core runs the call.
   * - `tx` (default): a quick synchronous handler; the dispatcher runs it in one transaction (IMMEDIATE when
   *   it writes) together with its audit entry.
   * - `async`: the handler may await (files, PDFs, streams); it opens its one write transaction itself
   *   through `call.tx()`, which writes the audit entry inside that same transaction.
   * - `job`: long work; the handler starts a job (core/jobs) and returns `{ jobId }` at once. Progress
   *   arrives as events; `job.get` / `job.cancel` follow it.
   */
  run?: R;
}
export const def = <I extends z.ZodType, O extends z.ZodType, R extends RunKind = 'tx'>(d: MethodDef<I, O, R>): MethodDef<I, O, R> => d;
