/** The typed client's handling of a lost answer: it asks the core whether the write committed. */
import { describe, expect, it } from 'vitest';
import { createClient } from './client';
import type { CallResult, KansliBridge } from './transport';

function bridge(script: (method: string, input: unknown, opts?: { mutationId?: string }) => CallResult): KansliBridge & { calls: { method: string; mutationId?: string }[] } {
  const calls: { method: string; mutationId?: string }[] = [];
  return {
    calls,
    call: (method, input, opts) => {
      calls.push({ method, mutationId: opts?.mutationId });
      return Promise.resolve(script(method, input, opts));
    },
  };
}
const lost: CallResult = { ok: false, error: { code: 'internal', message: 'the core process stopped', transport: true } };
const noSleep = { sleep: () => Promise.resolve() };

describe('createClient', () => {
  it('names every call with a fresh mutation id', async () => {
    const b = bridge(() => ({ ok: true, data: 1 }));
    const c = createClient(b);
    await c.call('org.tree', {});
    await c.call('org.tree', {});
    expect(b.calls[0]!.mutationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.calls[1]!.mutationId).not.toBe(b.calls[0]!.mutationId);
  });

  it('a lost answer of a write that committed resolves with the stored result (asking while it still runs)', async () => {
    let asked = 0;
    const b = bridge((method) => {
      if (method === 'person.create') return lost;
      asked++;
      return { ok: true, data: asked < 3 ? { state: 'running', result: null } : { state: 'committed', result: { id: 'p1', version: 1 } } };
    });
    const c = createClient(b, noSleep);
    await expect(c.call('person.create', { givenName: 'A', familyName: 'B' })).resolves.toEqual({ id: 'p1', version: 1 });
    expect(b.calls.filter((x) => x.method === 'mutation.status')).toHaveLength(3);
  });

  it('a lost answer of a write that never happened stays an error (safe to send again), and other errors are not retried', async () => {
    const b = bridge((method) => (method === 'mutation.status' ? { ok: true, data: { state: 'unknown', result: null } } : lost));
    const c = createClient(b, noSleep);
    await expect(c.tryCall('person.create', { givenName: 'A', familyName: 'B' })).resolves.toEqual(lost);
    const refused = bridge(() => ({ ok: false, error: { code: 'forbidden', message: 'no' } }));
    await createClient(refused, noSleep).tryCall('person.create', { givenName: 'A', familyName: 'B' });
    expect(refused.calls.map((x) => x.method)).toEqual(['person.create']);
  });
});

describe('the fake events', () => {
  it('deliver what a test emits to every subscriber until it unsubscribes', async () => {
    const { createFakeEvents } = await import('./fake');
    const ev = createFakeEvents();
    const got: string[] = [];
    const off = ev.source.subscribe((e) => got.push(e.type === 'job' ? `${e.job.id}:${e.job.state}` : e.type));
    ev.emit({ type: 'session', state: 'locked', cause: 'os' });
    ev.emit({ type: 'job', job: { id: 'j', kind: 'rollover.commit', state: 'running', phase: 'apply', done: 1, total: 2, createdAt: '', startedAt: null, finishedAt: null, createdBy: 'x', error: null, result: null, cancellable: true } });
    off();
    ev.emit({ type: 'session', state: 'locked', cause: 'idle' });
    expect(got).toEqual(['session', 'j:running']);
  });
});
