/** A minimal observable value for app-wide UI state (help overlay open, lock curtain). */
import { useSyncExternalStore } from 'react';
import type { TKey } from './i18n';

export interface Store<T> {
  get(): T;
  set(v: T): void;
  subscribe(l: () => void): () => void;
}

export function createStore<T>(initial: T): Store<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(v) {
      if (Object.is(v, value)) return;
      value = v;
      listeners.forEach((l) => l());
    },
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

export function useStore<T>(s: Store<T>): T {
  return useSyncExternalStore(s.subscribe, s.get, s.get);
}

export const helpOpen = createStore(false);


/** A one-line confirmation shown on the next screen ("Saved"), announced by a status region. */
export const flash = createStore<TKey | null>(null);
