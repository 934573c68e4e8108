/**
 * The single entry to the core: validate the method name, check the permission (deny by default),
 * validate the input against the contract, run the handler, and turn every failure into a typed error.
 * Nothing thrown inside the core reaches a transport as a stack trace.
 */
import { randomUUID } from 'node:crypto';
import { contract, isMethodName } from '../../shared/api/contract';
import { DomainError } from '../../shared/api/errors';
import type { CallResult } from '../../shared/api/transport';
import { zodIssuesToApiError } from '../../shared/api/validation';
import type { Actor } from '../context';
import type { Logger } from '../log';
import type { CallContext, CoreHandlers } from './handlers';

export interface DispatchOptions {
  /** Check every output against its schema (tests and development; costs time on hot paths). */
  validateOutputs: boolean;
  logger: Logger;
}

export function dispatch(
  handlers: CoreHandlers,
  call: Omit<CallContext, 'actor'> & { actor: Actor | null },
  method: unknown,
  input: unknown,
  opts: DispatchOptions,
): CallResult {
  if (!isMethodName(method)) {
    return { ok: false, error: { code: 'unknown_method', message: `Unknown method: ${typeof method === 'string' ? method.slice(0, 60) : typeof method}` } };
  }
  const def = contract[method];
  const actor = call.actor;
  if (!actor) return { ok: false, error: { code: 'unauthenticated', message: 'Sign in first' } };
  if (!actor.permissions.has(def.permission)) {
    return { ok: false, error: { code: 'forbidden', message: `Missing permission ${def.permission} for ${method}` } };
  }
  const parsed = def.input.safeParse(input ?? {});
  if (!parsed.success) return { ok: false, error: zodIssuesToApiError(parsed.error.issues) };
  try {
    const handler = handlers[method] as (i: unknown, c: CallContext) => unknown;
    const data = handler(parsed.data, { ...call, actor });
    if (opts.validateOutputs) {
      const out = def.output.safeParse(data);
      if (!out.success) throw new Error(`Output of ${method} violates its schema: ${JSON.stringify(out.error.issues.slice(0, 3))}`);
    }
    return { ok: true, data };
  } catch (e) {
    if (e instanceof DomainError) {
      return { ok: false, error: { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}), ...(e.issues ? { issues: e.issues } : {}) } };
    }
    const ref = randomUUID().slice(0, 8);
    opts.logger.error('internal_error', e, { method, ref });
    return { ok: false, error: { code: 'internal', message: `Internal error (reference ${ref})` } };
  }
}
