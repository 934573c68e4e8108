/**
 * Contract of the jobs domain: follow, list and cancel long work, and ask whether a write committed.
 * Each method that starts a job belongs to its own domain (`rollover.commit`, the imports) and answers
 * `jobStarted`; these methods let the UI follow any job the user may see.
 */
import { z } from 'zod';
import { def } from './def';
import { JOB_STATES } from '../domain/events';
import { uuid } from './schemas';

export const jobStarted = z.object({ jobId: uuid });

export const jobView = z.object({
  id: uuid,
  kind: z.string(),
  state: z.enum(JOB_STATES),
  phase: z.string(),
  done: z.number().int(),
  total: z.number().int().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  createdBy: z.string(),
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional(), rule: z.string().optional() }).nullable(),
  result: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])).nullable(),
  cancellable: z.boolean(),
});

export const jobMethods = {
  'job.get': def({
    input: z.object({ id: uuid }).strict(),
    output: jobView,
    permission: 'session',
    errors: ['validation', 'not_found'],
    personal: false,
    writes: false,
  }),
  'job.list': def({
    input: z.object({ limit: z.number().int().min(1).max(100).default(20) }).strict(),
    output: z.object({ items: z.array(jobView) }),
    permission: 'session',
    errors: ['validation'],
    personal: false,
    writes: false,
  }),
  /** Cancelling leaves the database as it was before the job (its one transaction never commits). */
  'job.cancel': def({
    input: z.object({ id: uuid }).strict(),
    output: jobView,
    permission: 'session',
    errors: ['validation', 'not_found'],
    personal: false,
    writes: false,
  }),
  /**
   * Whether the write the caller sent under this mutation id committed (`committed`, with its result),
   * is still running, or never happened (`unknown`: safe to send again). Only the caller's own writes.
   */
  'mutation.status': def({
    input: z.object({ id: uuid }).strict(),
    output: z.object({
      state: z.enum(['committed', 'running', 'unknown']),
      at: z.string().nullable(),
      method: z.string().nullable(),
      result: z.unknown(),
    }),
    permission: 'session',
    errors: ['validation'],
    personal: false,
    writes: false,
  }),
} as const;
