/** The engine's two-lane queue: one task at a time, writes before waiting reads, reads never starved. */
import { describe, expect, it } from 'vitest';
import { Queue } from './engine';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('the engine queue', () => {
  it('runs one task at a time, in order within a lane', async () => {
    const q = new Queue();
    let running = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3, 4].map((n) =>
        q.run(async () => {
          running++;
          most = Math.max(most, running);
          await tick();
          order.push(n);
          running--;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('takes a waiting write before reads queued earlier', async () => {
    const q = new Queue();
    const order: string[] = [];
    const task = (name: string) => async () => {
      await tick();
      order.push(name);
    };
    const all = [q.run(task('w0')), q.run(task('r1'), 'read'), q.run(task('r2'), 'read'), q.run(task('w1')), q.run(task('w2'))];
    await Promise.all(all);
    expect(order).toEqual(['w0', 'w1', 'w2', 'r1', 'r2']);
  });

  it('lets one read through after FAIR writes in a row', async () => {
    const q = new Queue();
    const order: string[] = [];
    const task = (name: string) => async () => {
      order.push(name);
      await tick();
    };
    const all = [q.run(task('r0'), 'read')];
    for (let i = 0; i < Queue.FAIR * 2 + 2; i++) all.push(q.run(task(`w${i}`)));
    all.push(q.run(task('r1'), 'read'));
    await Promise.all(all);
    // r0 ran first (nothing else waited); then FAIR writes, then r1 (waiting since), then the rest.
    expect(order[0]).toBe('r0');
    expect(order.indexOf('r1')).toBe(1 + Queue.FAIR);
  });

  it('a failing or throwing task does not stop the queue; its caller gets the error', async () => {
    const q = new Queue();
    const a = q.run(() => Promise.reject(new Error('boom')));
    const b = q.run(() => {
      throw new Error('sync boom');
    });
    const c = q.run(async () => 'ok', 'read');
    await expect(a).rejects.toThrow('boom');
    await expect(b).rejects.toThrow('sync boom');
    await expect(c).resolves.toBe('ok');
    expect(q.waiting()).toEqual({ write: 0, read: 0 });
  });
});
