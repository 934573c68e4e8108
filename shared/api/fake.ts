/**
 * The third implementation of the contract (and of its events): a test fake built from a partial handler map.
 * Inputs are validated with the real schemas, so a component test that sends a malformed call fails the
 * same way the real core would; methods without a handler answer `unknown_method`.
 */
import { contract, isMethodName, type MethodName, type MethodOutput, type MethodParsedInput } from './contract';
import { DomainError } from './errors';
import type { CoreEvent } from '../domain/events';
import type { CallResult, KansliBridge } from './transport';
import { zodIssuesToApiError } from './validation';

export type Handlers = {
  [M in MethodName]: (input: MethodParsedInput<M>) => MethodOutput<M> | Promise<MethodOutput<M>>;
};

export function createFakeBridge(handlers: Partial<Handlers>): KansliBridge & { calls: { method: string; input: unknown }[] } {
  const calls: { method: string; input: unknown }[] = [];
  return {
    calls,
    async call(method, input): Promise<CallResult> {
      calls.push({ method, input });
      if (!isMethodName(method)) return { ok: false, error: { code: 'unknown_method', message: `Unknown method ${String(method)}` } };
      const h = handlers[method] as ((i: unknown) => unknown) | undefined;
      if (!h) return { ok: false, error: { code: 'unknown_method', message: `The fake has no handler for ${method}` } };
      const parsed = contract[method].input.safeParse(input);
      if (!parsed.success) return { ok: false, error: zodIssuesToApiError(parsed.error.issues) };
      try {
        return { ok: true, data: await h(parsed.data) };
      } catch (e) {
        if (e instanceof DomainError) return { ok: false, error: { code: e.code, message: e.message, field: e.field, issues: e.issues } };
        throw e;
      }
    },
  };
}

/**
 * The fake's events: a test emits core events (job progress, a lock) and the component under test receives
 * them through the same CoreEventSource interface the real transports give the renderer.
 */
export function createFakeEvents(): { emit(e: CoreEvent): void; source: { subscribe(listener: (e: CoreEvent) => void): () => void } } {
  const listeners = new Set<(e: CoreEvent) => void>();
  return {
    emit: (e) => {
      for (const l of [...listeners]) l(e);
    },
    source: {
      subscribe(listener) {
        listeners.add(listener);
        return () => {
          listeners.delete(listener);
        };
      },
    },
  };
}
