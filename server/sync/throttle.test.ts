/** The event stream's head announcements: at once when quiet, at most every `ms` when busy, the newest head last. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Throttle } from './routes';

describe('head announcements', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a quiet stream hears each head at once', () => {
    const out: number[] = [];
    const t = new Throttle<number>(100, (h) => out.push(h));
    t.push(1);
    vi.advanceTimersByTime(150);
    t.push(2);
    expect(out).toEqual([1, 2]);
  });

  it('a busy stream hears the first head at once and the newest one after the interval, nothing in between', () => {
    const out: number[] = [];
    const t = new Throttle<number>(100, (h) => out.push(h));
    t.push(1);
    t.push(2);
    t.push(3);
    vi.advanceTimersByTime(20);
    t.push(4);
    expect(out).toEqual([1]);
    vi.advanceTimersByTime(80);
    expect(out).toEqual([1, 4]);
    vi.advanceTimersByTime(500);
    expect(out).toEqual([1, 4]);
  });

  it('stopped, it sends nothing more', () => {
    const out: number[] = [];
    const t = new Throttle<number>(100, (h) => out.push(h));
    t.push(1);
    t.push(2);
    t.stop();
    vi.advanceTimersByTime(200);
    expect(out).toEqual([1]);
  });
});
