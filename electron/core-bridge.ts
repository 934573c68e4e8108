/**
 * Main-process side of the core: starts the core process, relays calls, correlates answers,
 * times calls out and restarts the core if it dies. No electron import: main.ts injects a
 * `spawn` that wraps `utilityProcess.fork`, and core-bridge.test.ts injects a fake.
 */
import type { CoreEvent } from '../shared/domain/events';
import type { CoreFileRequest, CoreInit, CoreRequest, CoreToMain, MainToCore } from '../shared/api/ipc';
import type { CallResult } from '../shared/api/transport';

/** The subset of Electron's UtilityProcess the bridge uses. */
export interface CoreChild {
  postMessage(message: MainToCore): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number) => void): void;
  kill(): void;
}

export interface CoreBridgeOptions {
  spawn: () => CoreChild;
  init: CoreInit;
  /** Per-call limit; the answer after it is dropped. Default 60 s. */
  timeoutMs?: number;
  /** Restarts allowed inside `restartWindowMs` before the bridge gives up (crash loop). */
  maxRestarts?: number;
  restartWindowMs?: number;
  log?: (message: string) => void;
  now?: () => number;
  /** An event for one window (job progress, a lock): main forwards it to that window's renderer. */
  onEvent?: (windowId: number, event: CoreEvent) => void;
}

interface Pending {
  resolve: (r: CallResult) => void;
  timer: ReturnType<typeof setTimeout>;
  /** Set once the request has been posted to a running core. */
  sent: boolean;
  request: CoreRequest | CoreFileRequest;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export function internalError(message: string, transport = false): CallResult {
  return { ok: false, error: { code: 'internal', message, ...(transport ? { transport: true as const } : {}) } };
}

function isCoreToMain(m: unknown): m is CoreToMain {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  if (t === 'ready') return true;
  if (t === 'event') {
    const { windowId, event } = m as { windowId?: unknown; event?: unknown };
    return typeof windowId === 'number' && typeof event === 'object' && event !== null && typeof (event as { type?: unknown }).type === 'string';
  }
  if (t !== 'result') return false;
  const { id, result } = m as { id?: unknown; result?: unknown };
  return (
    typeof id === 'number' &&
    typeof result === 'object' &&
    result !== null &&
    typeof (result as { ok?: unknown }).ok === 'boolean'
  );
}

export class CoreBridge {
  private child: CoreChild | null = null;
  private ready = false;
  private disposed = false;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly restarts: number[] = [];
  private readonly timeoutMs: number;
  private readonly maxRestarts: number;
  private readonly restartWindowMs: number;
  private readonly log: (message: string) => void;
  private readonly now: () => number;
  private gaveUp = false;

  constructor(private readonly opts: CoreBridgeOptions) {
    // Longer than the core waits for a long job's write lock (120 s), so a call queued behind an import's commit gets its answer.
    this.timeoutMs = opts.timeoutMs ?? 150_000;
    this.maxRestarts = opts.maxRestarts ?? 5;
    this.restartWindowMs = opts.restartWindowMs ?? 60_000;
    this.log = opts.log ?? ((m) => console.error(`[kansli core-bridge] ${m}`));
    this.now = opts.now ?? Date.now;
  }

  /** Starts the core; calls made before it reports ready are queued (their timeout runs). */
  start(): void {
    if (this.disposed || this.child) return;
    this.ready = false;
    const child = this.opts.spawn();
    this.child = child;
    child.onMessage((m) => {
      if (this.child === child) this.onMessage(m);
    });
    child.onExit((code) => {
      if (this.child === child) this.onExit(code);
    });
    child.postMessage(this.opts.init);
  }

  isReady(): boolean {
    return this.ready;
  }

  call(method: string, input: unknown, origin: CoreRequest['origin'], mutationId?: string): Promise<CallResult> {
    return this.request((id) => ({ type: 'call', id, method, input, origin, ...(mutationId ? { mutationId } : {}) }), method);
  }

  /** A file operation after a native dialog (upload a chosen file, describe or save an export). */
  file(op: DistributiveOmit<CoreFileRequest, 'id' | 'type'>): Promise<CallResult> {
    return this.request((id) => ({ type: 'file', id, ...op }) as CoreFileRequest, `file ${op.op}`);
  }

  private request(make: (id: number) => CoreRequest | CoreFileRequest, label: string): Promise<CallResult> {
    if (this.disposed) return Promise.resolve(internalError('the application is shutting down'));
    if (this.gaveUp) return Promise.resolve(internalError('the core process is not running'));
    const id = this.nextId++;
    const request = make(id);
    return new Promise<CallResult>((resolve) => {
      const timer = setTimeout(() => {
        if (this.pending.delete(id)) {
          this.log(`call ${id} (${label}) timed out after ${this.timeoutMs} ms`);
          resolve(internalError('the call timed out', true));
        }
      }, this.timeoutMs);
      const entry: Pending = { resolve, timer, sent: false, request };
      this.pending.set(id, entry);
      if (this.ready) this.send(entry);
    });
  }

  /** The OS locked or suspended: the core locks every session (the renderer is told separately). */
  lockAll(): void {
    if (!this.child || !this.ready) return;
    try {
      this.child.postMessage({ type: 'lock-all' });
    } catch {
      // A dead core has no sessions to lock; it restarts signed out.
    }
  }

  /** Stops the core for good (app quit); in-flight calls fail with `internal`. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.failAll('the application is shutting down');
    const child = this.child;
    this.child = null;
    this.ready = false;
    if (!child) return;
    // Ask the core to close its database cleanly; kill it if it has not exited within 2 s.
    try {
      child.postMessage({ type: 'shutdown' });
    } catch {
      child.kill();
      return;
    }
    const timer = setTimeout(() => child.kill(), 2000);
    child.onExit(() => clearTimeout(timer));
  }

  private send(entry: Pending): void {
    try {
      this.child!.postMessage(entry.request);
      entry.sent = true;
    } catch (err) {
      this.settle(entry.request.id, internalError('the core process is not reachable'));
      this.log(`postMessage failed: ${String(err)}`);
    }
  }

  private settle(id: number, result: CallResult): void {
    const entry = this.pending.get(id);
    if (!entry) return; // timed out or failed already: a late answer is dropped
    this.pending.delete(id);
    clearTimeout(entry.timer);
    entry.resolve(result);
  }

  private onMessage(m: unknown): void {
    if (!isCoreToMain(m)) {
      this.log('ignored a malformed message from the core');
      return;
    }
    if (m.type === 'ready') {
      this.ready = true;
      for (const entry of this.pending.values()) if (!entry.sent) this.send(entry);
      return;
    }
    if (m.type === 'event') {
      this.opts.onEvent?.(m.windowId, m.event);
      return;
    }
    this.settle(m.id, m.result);
  }

  private failAll(message: string): void {
    for (const id of [...this.pending.keys()]) this.settle(id, internalError(message));
  }

  private onExit(code: number): void {
    this.child = null;
    this.ready = false;
    if (this.disposed) return;
    this.log(`core process exited with code ${code}`);
    // A call that reached the dead core may or may not have committed: fail it, never replay it.
    // Calls still queued (never sent) wait for the restarted core.
    for (const entry of [...this.pending.values()]) {
      if (entry.sent) this.settle(entry.request.id, internalError('the core process stopped', true));
    }
    const t = this.now();
    while (this.restarts.length > 0 && t - this.restarts[0]! > this.restartWindowMs) this.restarts.shift();
    if (this.restarts.length >= this.maxRestarts) {
      this.gaveUp = true;
      this.log('core process keeps exiting; not restarting it again');
      this.failAll('the core process is not running');
      return;
    }
    this.restarts.push(t);
    this.start();
  }
}
