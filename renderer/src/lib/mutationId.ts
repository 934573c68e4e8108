/**
 * The mutation id of one particular write, known before it is sent. The typed client (shared/api/client.ts)
 * draws a fresh id for every call and keeps it to itself; the conflict view must name the write that
 * replaces a conflict (`sync.resolve { replacedBy }`), so the renderer's client draws its ids here
 * (main.tsx passes `nextMutationId` as its `newId`) and `withMutationId` hands one id to the next call.
 *
 * The client takes its id synchronously when the call starts (before its first await, through the auth-aware
 * wrapper too), so the id cannot reach another call in between; a call that did not take it (a client not
 * built with `nextMutationId`) is an error rather than a write named by an id that was never sent.
 */
let reserved: string | null = null;

/** The client's id source: the reserved id once, else a fresh UUID. */
export function nextMutationId(): string {
  const id = reserved ?? globalThis.crypto.randomUUID();
  reserved = null;
  return id;
}

/** Starts `call` with `id` as its mutation id. */
export function withMutationId<T>(id: string, call: () => Promise<T>): Promise<T> {
  reserved = id;
  try {
    const started = call();
    if (reserved !== null) throw new Error('withMutationId: the call did not take its mutation id (is the client built with nextMutationId?)');
    return started;
  } finally {
    reserved = null;
  }
}
