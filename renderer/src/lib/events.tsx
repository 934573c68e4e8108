/**
 * Events from the core (job progress, locks): in Electron through the preload's `kansliEvents.onEvent`,
 * on the browser host through one server-sent-events stream per page (`/events`, bound to the session
 * cookie). Components subscribe through `useCoreEvents`; tests pass their own source.
 */
import { createContext, useContext, useEffect, useRef, type ReactNode } from 'react';
import type { CoreEvent } from '../../../shared/domain/events';

export interface CoreEventSource {
  subscribe(listener: (e: CoreEvent) => void): () => void;
}

const EVENT_TYPES: ReadonlySet<unknown> = new Set<CoreEvent['type']>(['job', 'session', 'sync']);
function isCoreEvent(e: unknown): e is CoreEvent {
  return typeof e === 'object' && e !== null && EVENT_TYPES.has((e as { type?: unknown }).type);
}

/** One shared stream for every listener of the page; opened with the first and closed with the last. */
export function defaultEventSource(): CoreEventSource {
  const onEvent = window.kansliEvents?.onEvent;
  if (typeof onEvent === 'function') {
    return { subscribe: (listener) => onEvent((e) => isCoreEvent(e) && listener(e)) };
  }
  const listeners = new Set<(e: CoreEvent) => void>();
  let es: EventSource | null = null;
  return {
    subscribe(listener) {
      listeners.add(listener);
      if (!es && typeof EventSource !== 'undefined') {
        // EventSource reconnects by itself after a dropped connection; a job view also re-reads its job
        // then (see useJob), so a missed event only delays the bar.
        es = new EventSource('/events');
        es.onmessage = (m: MessageEvent<string>) => {
          let e: unknown;
          try {
            e = JSON.parse(m.data);
          } catch {
            return;
          }
          if (isCoreEvent(e)) for (const l of [...listeners]) l(e);
        };
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && es) {
          es.close();
          es = null;
        }
      };
    },
  };
}

const silent: CoreEventSource = { subscribe: () => () => undefined };
const EventsContext = createContext<CoreEventSource>(silent);

export function EventsProvider({ source, children }: { source: CoreEventSource; children: ReactNode }) {
  return <EventsContext.Provider value={source}>{children}</EventsContext.Provider>;
}

/** Calls `listener` for every core event while the component is mounted (the latest listener, without resubscribing). */
export function useCoreEvents(listener: (e: CoreEvent) => void): void {
  const source = useContext(EventsContext);
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => source.subscribe((e) => ref.current(e)), [source]);
}
