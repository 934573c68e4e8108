/**
 * The renderer's one door to the core: the typed client over whichever bridge this window has.
 * Electron's preload exposes `window.kansli`; the browser host serves the page from the same origin
 * and answers POST /api/<method> with the session cookie it set before the page loaded.
 */
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiCallError, createClient, createHttpBridge, type KansliClient } from '../../../shared/api/client';
import type { MethodInput, MethodName, MethodOutput } from '../../../shared/api/contract';
import type { ApiError, KansliBridge } from '../../../shared/api/transport';

declare global {
  interface Window {
    kansli?: KansliBridge;
    kansliEvents?: { onOsLock(cb: (reason: 'lock-screen' | 'suspend') => void): () => void; onEvent?(cb: (event: unknown) => void): () => void };
    kansliFiles?: {
      open(kind: string): Promise<{ ok: true; data: { fileId: string; name: string; size: number } | null } | { ok: false; error: ApiError }>;
      save(fileId: string): Promise<{ ok: true; data: { name: string } | null } | { ok: false; error: ApiError }>;
    };
  }
}

export function defaultBridge(): KansliBridge {
  return window.kansli ?? createHttpBridge('');
}

const ApiContext = createContext<KansliClient | null>(null);

export function ApiProvider({ client, children }: { client: KansliClient; children: ReactNode }) {
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}

export function useApi(): KansliClient {
  const c = useContext(ApiContext);
  if (!c) throw new Error('useApi outside ApiProvider');
  return c;
}

export { createClient };

export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiCallError) return e.error;
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}

export interface QueryState<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
}

/**
 * Calls a read method whenever its input changes; answers to superseded inputs are dropped
 * (sequence number), so a slow early answer never overwrites a newer one.
 * Pass `null` as input to skip the call.
 */
export function useQuery<M extends MethodName>(method: M, input: MethodInput<M> | null): QueryState<MethodOutput<M>> {
  const api = useApi();
  const key = input === null ? null : JSON.stringify(input);
  const [state, setState] = useState<{ key: string | null; data: MethodOutput<M> | null; error: ApiError | null; loading: boolean }>({
    key: null,
    data: null,
    error: null,
    loading: input !== null,
  });
  const seq = useRef(0);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (key === null) return;
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true, error: null }));
    api.call(method, JSON.parse(key) as MethodInput<M>).then(
      (data) => {
        if (mine === seq.current) setState({ key, data, error: null, loading: false });
      },
      (e: unknown) => {
        if (mine === seq.current) setState({ key, data: null, error: toApiError(e), loading: false });
      },
    );
  }, [api, method, key, tick]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  // While a new key loads, keep showing nothing stale from another record.
  const fresh = state.key === key;
  return { data: fresh ? state.data : null, error: fresh ? state.error : null, loading: state.loading || !fresh, reload };
}
