/**
 * Typed client over any KansliBridge: `api.call('person.get', { id })` returns the method's output type
 * or throws an ApiCallError carrying the typed error. Used by the renderer and the tests.
 */
import type { ApiError, CallResult, KansliBridge } from './transport';
import type { MethodInput, MethodName, MethodOutput } from './contract';

export class ApiCallError extends Error {
  constructor(public readonly error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
  }
}

export interface KansliClient {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  /** Same as call, but resolves to the raw CallResult instead of throwing. */
  tryCall<M extends MethodName>(method: M, input: MethodInput<M>): Promise<CallResult<MethodOutput<M>>>;
}

export function createClient(bridge: KansliBridge): KansliClient {
  return {
    async call(method, input) {
      const r = await bridge.call(method, input);
      if (!r.ok) throw new ApiCallError(r.error);
      return r.data as never;
    },
    async tryCall(method, input) {
      return (await bridge.call(method, input)) as never;
    },
  };
}

/** Browser host transport: POST /api/<method> with the session cookie. */
export function createHttpBridge(base = ''): KansliBridge {
  return {
    async call(method, input) {
      try {
        const res = await fetch(`${base}/api/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          credentials: 'same-origin',
          body: JSON.stringify(input ?? {}),
        });
        const body = (await res.json()) as CallResult;
        return body;
      } catch (e) {
        return { ok: false, error: { code: 'internal', message: `Transport failed: ${(e as Error).message}` } };
      }
    },
  };
}
