/**
 * For component tests: a transport answering from handlers typed by the contract (the methods a test needs,
 * nothing else: any other call fails as `unknown_method`, so a screen calling something unexpected shows it),
 * with every call recorded together with its mutation id. It stands in for the core's transport only; tests
 * of the core itself run against real databases.
 */
import { createClient, type KansliClient } from '../../../shared/api/client';
import type { MethodInput, MethodName, MethodOutput } from '../../../shared/api/contract';
import type { ApiError, KansliBridge } from '../../../shared/api/transport';
import type { CoreEventSource } from './events';
import type { CoreEvent } from '../../../shared/domain/events';
import { nextMutationId } from './mutationId';

export type FakeHandlers = Partial<{ [M in MethodName]: (input: MethodInput<M>, mutationId: string | undefined) => MethodOutput<M> | { error: ApiError } | Promise<MethodOutput<M> | { error: ApiError }> }>;

export interface FakeCall {
  method: string;
  input: unknown;
  mutationId: string | undefined;
}

export function fakeTransport(handlers: FakeHandlers): { client: KansliClient; calls: FakeCall[]; callsOf: (m: MethodName) => FakeCall[] } {
  const calls: FakeCall[] = [];
  const bridge: KansliBridge = {
    async call(method, input, opts) {
      calls.push({ method, input, mutationId: opts?.mutationId });
      const h = handlers[method as MethodName] as ((i: unknown, id: string | undefined) => unknown) | undefined;
      if (!h) return { ok: false, error: { code: 'unknown_method', message: `not in this test: ${method}` } };
      const out = await h(input, opts?.mutationId);
      if (out && typeof out === 'object' && 'error' in out && Object.keys(out).length === 1) return { ok: false, error: (out as { error: ApiError }).error };
      return { ok: true, data: out };
    },
  };
  // The renderer's own id source, as main.tsx builds the client.
  return { client: createClient(bridge, { newId: nextMutationId }), calls, callsOf: (m) => calls.filter((c) => c.method === m) };
}

/** An event source a test pushes core events through. */
export function fakeEvents(): CoreEventSource & { emit: (e: CoreEvent) => void } {
  const listeners = new Set<(e: CoreEvent) => void>();
  return {
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    emit: (e) => listeners.forEach((l) => l(e)),
  };
}
