import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CoreRequest, MainToCore } from '../shared/api/ipc';
import { CoreBridge, type CoreChild } from './core-bridge';

/** A stand-in for the utilityProcess: records what main posts and lets the test answer. */
class FakeChild implements CoreChild {
  posted: MainToCore[] = [];
  killed = false;
  private messageListeners: ((m: unknown) => void)[] = [];
  private exitListeners: ((code: number) => void)[] = [];
  postMessage(message: MainToCore): void {
    this.posted.push(message);
  }
  onMessage(l: (m: unknown) => void): void {
    this.messageListeners.push(l);
  }
  onExit(l: (code: number) => void): void {
    this.exitListeners.push(l);
  }
  kill(): void {
    this.killed = true;
  }
  emit(m: unknown): void {
    for (const l of this.messageListeners) l(m);
  }
  exit(code = 1): void {
    for (const l of this.exitListeners) l(code);
  }
  calls(): CoreRequest[] {
    return this.posted.filter((m): m is CoreRequest => m.type === 'call');
  }
}

const origin = { kind: 'electron', windowId: 1 } as const;
const init = { type: 'init', dataDir: '/tmp/data', seedDemo: false, keys: {} } as const;

describe('CoreBridge', () => {
  let children: FakeChild[];
  let bridge: CoreBridge;
  const logs: string[] = [];
  beforeEach(() => {
    vi.useFakeTimers();
    children = [];
    logs.length = 0;
    bridge = new CoreBridge({
      spawn: () => {
        const c = new FakeChild();
        children.push(c);
        return c;
      },
      init,
      log: (m) => logs.push(m),
    });
    bridge.start();
  });
  afterEach(() => {
    bridge.dispose();
    vi.useRealTimers();
  });

  it('sends init first, queues calls until ready, then correlates results by id', async () => {
    const c = children[0]!;
    expect(c.posted[0]).toEqual(init);
    const p1 = bridge.call('a', { x: 1 }, origin);
    const p2 = bridge.call('b', null, origin);
    expect(c.calls()).toHaveLength(0);
    c.emit({ type: 'ready' });
    const [r1, r2] = c.calls();
    expect(r1).toMatchObject({ type: 'call', method: 'a', input: { x: 1 }, origin });
    expect(r2).toMatchObject({ method: 'b' });
    c.emit({ type: 'result', id: r2!.id, result: { ok: true, data: 'B' } });
    c.emit({ type: 'result', id: r1!.id, result: { ok: true, data: 'A' } });
    await expect(p1).resolves.toEqual({ ok: true, data: 'A' });
    await expect(p2).resolves.toEqual({ ok: true, data: 'B' });
  });

  it('times out after 150 s (past the 120 s the core waits for a job lock) with a transport error and drops a late answer', async () => {
    const c = children[0]!;
    c.emit({ type: 'ready' });
    const p = bridge.call('slow', {}, origin);
    vi.advanceTimersByTime(149_999);
    let settled = false;
    void p.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    vi.advanceTimersByTime(1);
    // `transport`: the answer was lost, so the client asks mutation.status whether a write committed.
    await expect(p).resolves.toMatchObject({ ok: false, error: { code: 'internal', transport: true } });
    c.emit({ type: 'result', id: c.calls()[0]!.id, result: { ok: true, data: 'late' } }); // ignored
  });

  it('fails in-flight calls with internal when the core dies, restarts it, and serves new calls', async () => {
    const c1 = children[0]!;
    c1.emit({ type: 'ready' });
    const inflight = bridge.call('x', {}, origin);
    c1.exit(134);
    await expect(inflight).resolves.toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(children).toHaveLength(2);
    const c2 = children[1]!;
    expect(c2.posted[0]).toEqual(init);
    const next = bridge.call('y', {}, origin);
    c2.emit({ type: 'ready' });
    c2.emit({ type: 'result', id: c2.calls()[0]!.id, result: { ok: true, data: 1 } });
    await expect(next).resolves.toEqual({ ok: true, data: 1 });
  });

  it('ignores messages from a dead child and malformed messages', async () => {
    const c1 = children[0]!;
    c1.emit({ type: 'ready' });
    c1.exit(1);
    const c2 = children[1]!;
    const p = bridge.call('x', {}, origin);
    c1.emit({ type: 'ready' }); // stale child: must not mark the new one ready
    expect(c2.calls()).toHaveLength(0);
    c2.emit({ type: 'ready' });
    const id = c2.calls()[0]!.id;
    c2.emit({ type: 'result', id, result: 'not a CallResult' });
    c2.emit('garbage');
    c2.emit({ type: 'result', id, result: { ok: false, error: { code: 'not_found', message: 'no' } } });
    await expect(p).resolves.toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(logs.some((l) => l.includes('malformed'))).toBe(true);
  });

  it('stops restarting a crash-looping core and fails calls with internal', async () => {
    for (let i = 0; i < 6; i++) children[children.length - 1]!.exit(1);
    expect(children).toHaveLength(6); // first start + 5 restarts
    await expect(bridge.call('x', {}, origin)).resolves.toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('dispose asks the core to shut down, fails pending calls, kills it after 2 s; no restart follows', async () => {
    const c = children[0]!;
    c.emit({ type: 'ready' });
    const p = bridge.call('x', {}, origin);
    bridge.dispose();
    expect(c.posted.at(-1)).toEqual({ type: 'shutdown' });
    expect(c.killed).toBe(false);
    await expect(p).resolves.toMatchObject({ ok: false, error: { code: 'internal' } });
    vi.advanceTimersByTime(2000);
    expect(c.killed).toBe(true);
    c.exit(0);
    expect(children).toHaveLength(1);
  });

  it('a core that exits cleanly on shutdown is not killed', () => {
    const c = children[0]!;
    c.emit({ type: 'ready' });
    bridge.dispose();
    c.exit(0);
    vi.advanceTimersByTime(5000);
    expect(c.killed).toBe(false);
    expect(children).toHaveLength(1);
  });

  it('relays the mutation id, file operations (answered like calls) and per-window events; drops malformed events', async () => {
    const events: unknown[] = [];
    const b = new CoreBridge({
      spawn: () => {
        const c = new FakeChild();
        children.push(c);
        return c;
      },
      init,
      log: (m) => logs.push(m),
      onEvent: (windowId, e) => events.push({ windowId, e }),
    });
    b.start();
    const c = children.at(-1)!;
    c.emit({ type: 'ready' });
    const call = b.call('person.create', {}, origin, '9b3c1d2e-4f5a-4b6c-8d7e-0f1a2b3c4d5e');
    expect(c.calls()[0]).toMatchObject({ method: 'person.create', mutationId: '9b3c1d2e-4f5a-4b6c-8d7e-0f1a2b3c4d5e' });
    c.emit({ type: 'result', id: c.calls()[0]!.id, result: { ok: true, data: 1 } });
    await expect(call).resolves.toEqual({ ok: true, data: 1 });
    const upload = b.file({ op: 'upload', kind: 'navet', path: '/home/u/navet.xml', origin });
    const posted = c.posted.at(-1) as { type: string; id: number; op: string };
    expect(posted).toMatchObject({ type: 'file', op: 'upload', kind: 'navet', path: '/home/u/navet.xml' });
    c.emit({ type: 'result', id: posted.id, result: { ok: true, data: { fileId: 'f' } } });
    await expect(upload).resolves.toEqual({ ok: true, data: { fileId: 'f' } });
    c.emit({ type: 'event', windowId: 1, event: { type: 'session', state: 'locked', cause: 'os' } });
    c.emit({ type: 'event', windowId: '1', event: { type: 'session' } });
    c.emit({ type: 'event', windowId: 1, event: null });
    expect(events).toEqual([{ windowId: 1, e: { type: 'session', state: 'locked', cause: 'os' } }]);
    b.dispose();
  });
});
