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

export interface ClientOptions {
  newId?: () => string;
  /** Pause between `mutation.status` questions while the lost call is still running. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Every call carries a fresh mutation id. When its answer is lost on the way (`transport`), the client
 * asks the core whether it committed: a committed write answers with its stored result, so the user is
 * never told "not saved" about something that was saved, nor tempted to save it twice.
 */
export function createClient(bridge: KansliBridge, opts: ClientOptions = {}): KansliClient {
  const newId = opts.newId ?? (() => globalThis.crypto.randomUUID());
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((ok) => setTimeout(ok, ms)));
  const send = async (method: string, input: unknown): Promise<CallResult> => {
    const mutationId = newId();
    const r = await bridge.call(method, input, { mutationId });
    if (r.ok || !r.error.transport) return r;
    for (let i = 0; i < 30; i++) {
      const s = await bridge.call('mutation.status', { id: mutationId });
      if (!s.ok) {
        // The core is not reachable yet (restarting): wait and ask again.
        await sleep(1000);
        continue;
      }
      const status = s.data as { state: 'committed' | 'running' | 'unknown'; result: unknown };
      if (status.state === 'committed') return { ok: true, data: status.result };
      if (status.state === 'unknown') return r;
      await sleep(1000);
    }
    return r;
  };
  return {
    async call(method, input) {
      const r = await send(method, input);
      if (!r.ok) throw new ApiCallError(r.error);
      return r.data as never;
    },
    async tryCall(method, input) {
      return (await send(method, input)) as never;
    },
  };
}

/** Browser host transport: POST /api/<method> with the session cookie. */
export function createHttpBridge(base = ''): KansliBridge {
  return {
    async call(method, input, opts) {
      try {
        const res = await fetch(`${base}/api/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(opts?.mutationId ? { 'x-kansli-mutation': opts.mutationId } : {}) },
          credentials: 'same-origin',
          body: JSON.stringify(input ?? {}),
        });
        const body = (await res.json()) as CallResult;
        return body;
      } catch (e) {
        return { ok: false, error: { code: 'internal', message: `Transport failed: ${(e as Error).message}`, transport: true } };
      }
    },
  };
}
