/**
 * Argument checks for `window.kansli.call(method, input)`, shared by the preload and main.
 *
 * This module must import nothing: the sandboxed preload is bundled for the browser platform
 * and may only `require('electron')` at run time, so any Node import here would break it.
 */

/** One-way channel main → renderer: the OS locked the screen or went to sleep. */
export const IPC_CHANNEL_OS_LOCK = 'kansli:os-lock';

/** One-way channel main → renderer: an event of the core for this window (job progress, a lock). */
export const IPC_CHANNEL_EVENT = 'kansli:event';
/** Renderer → main: show the open dialog for an upload of this kind and hand the chosen file to the core. */
export const IPC_CHANNEL_FILE_OPEN = 'kansli:file-open';
/** Renderer → main: show the save dialog for this export and let the core write it there. */
export const IPC_CHANNEL_FILE_SAVE = 'kansli:file-save';

export type OsLockReason = 'lock-screen' | 'suspend';

/** What the preload exposes as `window.kansliEvents` (the renderer declares the global). */
export interface KansliEvents {
  /** Calls `cb` when the OS screen locks or the machine suspends; returns an unsubscribe function. */
  onOsLock(cb: (reason: OsLockReason) => void): () => void;
  /** Calls `cb` with each event of the core for this window; returns an unsubscribe function. */
  onEvent(cb: (event: unknown) => void): () => void;
}

/** What the preload exposes as `window.kansliFiles`: files travel as files, chosen in native dialogs. */
export interface KansliFiles {
  /** Opens the file dialog; resolves to the uploaded file's id (null when the user cancelled). */
  open(kind: string): Promise<{ ok: true; data: { fileId: string; name: string; size: number } | null } | { ok: false; error: { code: string; message: string } }>;
  /** Opens the save dialog for an export; resolves when saved (data null when the user cancelled). */
  save(fileId: string): Promise<{ ok: true; data: { name: string } | null } | { ok: false; error: { code: string; message: string } }>;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID_RE.test(v);

/**
 * The optional third argument of a call: `{ mutationId }`, a UUID the renderer chose for a write.
 * Anything else (other keys, another type) is refused.
 */
export function checkCallOptions(opts: unknown): { ok: true; mutationId?: string } | { ok: false; message: string } {
  if (opts === undefined) return { ok: true };
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts) || Object.getPrototypeOf(opts) !== Object.prototype) {
    return { ok: false, message: 'call options must be a plain object' };
  }
  const keys = Object.keys(opts);
  if (keys.some((k) => k !== 'mutationId')) return { ok: false, message: 'unknown call option' };
  const m = (opts as { mutationId?: unknown }).mutationId;
  if (m === undefined) return { ok: true };
  if (!isUuid(m)) return { ok: false, message: 'mutationId must be a UUID' };
  return { ok: true, mutationId: m };
}

/** Method names are short identifiers such as `register-child-get`; anything longer is not ours. */
const MAX_METHOD_LENGTH = 128;
/** Deeper nesting than this is not a form payload: refuse rather than recurse without bound. */
const MAX_DEPTH = 64;
/** Node budget for one input (objects, arrays and primitives together). Generous for imports. */
const MAX_NODES = 500_000;

export type CallArgsCheck =
  | { ok: true }
  | { ok: false; code: 'unknown_method' | 'validation'; message: string };

/**
 * Checks that `method` is one of the contract's method names and `input` is plain JSON
 * (null, boolean, finite number, string, array, plain object), with no `__proto__` keys.
 * `undefined` input is accepted and means "no input".
 */
export function checkCallArgs(
  method: unknown,
  input: unknown,
  methodNames: readonly string[],
): CallArgsCheck {
  if (typeof method !== 'string' || method.length === 0 || method.length > MAX_METHOD_LENGTH) {
    return { ok: false, code: 'unknown_method', message: 'method must be a known method name' };
  }
  if (!methodNames.includes(method)) {
    return { ok: false, code: 'unknown_method', message: 'unknown method' };
  }
  if (input === undefined) return { ok: true };
  if (!isPlainJson(input)) {
    return { ok: false, code: 'validation', message: 'input must be plain JSON data' };
  }
  return { ok: true };
}

export function isValidCallArgs(
  method: unknown,
  input: unknown,
  methodNames: readonly string[],
): boolean {
  return checkCallArgs(method, input, methodNames).ok;
}

/** True when `value` is a JSON value built only from plain objects and arrays, within limits. */
export function isPlainJson(value: unknown): boolean {
  let nodes = 0;
  // A cycle (possible after structured clone) never ends the walk, so the node budget refuses it.
  // Iterative walk so a hostile depth cannot overflow the stack before MAX_DEPTH is checked.
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 0 }];
  while (stack.length > 0) {
    const { v, depth } = stack.pop()!;
    if (++nodes > MAX_NODES) return false;
    if (v === null || typeof v === 'boolean' || typeof v === 'string') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return false;
      continue;
    }
    if (typeof v !== 'object') return false; // undefined, bigint, symbol, function
    if (depth >= MAX_DEPTH) return false;
    if (Array.isArray(v)) {
      if (Object.getPrototypeOf(v) !== Array.prototype) return false;
      for (let i = 0; i < v.length; i++) {
        if (!Object.prototype.hasOwnProperty.call(v, i)) return false; // holes
        stack.push({ v: v[i], depth: depth + 1 });
      }
      continue;
    }
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return false; // Date, Map, typed arrays, class instances
    if (Object.getOwnPropertySymbols(v).length > 0) return false;
    for (const key of Object.keys(v)) {
      if (key === '__proto__') return false;
      const desc = Object.getOwnPropertyDescriptor(v, key);
      if (!desc || !('value' in desc)) return false; // getters
      stack.push({ v: desc.value, depth: depth + 1 });
    }
  }
  return true;
}
