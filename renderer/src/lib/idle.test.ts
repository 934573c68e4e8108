import { describe, expect, it } from 'vitest';
import { createIdleTimer, type IdleClock } from './idle';

/** A clock the test moves by hand; timers fire when their time has come. */
function fakeClock() {
  let now = 0;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const clock: IdleClock & { advance(ms: number): void; pending(): number } = {
    now: () => now,
    setTimer(fn, ms) {
      const id = ++seq;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimer(h) {
      timers.delete(h as number);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = end;
    },
    pending: () => timers.size,
  };
  return clock;
}

const MIN = 60_000;

describe('idle lock timer', () => {
  it('fires once after the idle time without input', () => {
    const clock = fakeClock();
    let fired = 0;
    createIdleTimer(10 * MIN, () => fired++, clock);
    clock.advance(10 * MIN - 1);
    expect(fired).toBe(0);
    clock.advance(1);
    expect(fired).toBe(1);
    clock.advance(60 * MIN);
    expect(fired).toBe(1);
  });

  it('counts from the last input, with a single timer however much input comes', () => {
    const clock = fakeClock();
    let fired = 0;
    const timer = createIdleTimer(10 * MIN, () => fired++, clock);
    for (let i = 0; i < 1000; i++) {
      clock.advance(500);
      timer.activity();
    }
    expect(clock.pending()).toBe(1);
    expect(fired).toBe(0);
    clock.advance(10 * MIN - 1);
    expect(fired).toBe(0);
    clock.advance(1);
    expect(fired).toBe(1);
  });

  it('ignores input after firing until restarted (after unlock)', () => {
    const clock = fakeClock();
    let fired = 0;
    const timer = createIdleTimer(MIN, () => fired++, clock);
    clock.advance(MIN);
    timer.activity();
    clock.advance(5 * MIN);
    expect(fired).toBe(1);
    timer.restart();
    clock.advance(MIN - 1);
    expect(fired).toBe(1);
    clock.advance(1);
    expect(fired).toBe(2);
  });

  it('locks at once when the computer wakes after sleeping past the deadline', () => {
    const clock = fakeClock();
    let fired = 0;
    createIdleTimer(10 * MIN, () => fired++, clock);
    clock.advance(3 * 60 * MIN); // the one timer fires late, after the sleep
    expect(fired).toBe(1);
  });

  it('does nothing once stopped', () => {
    const clock = fakeClock();
    let fired = 0;
    const timer = createIdleTimer(MIN, () => fired++, clock);
    timer.stop();
    clock.advance(10 * MIN);
    expect(fired).toBe(0);
    expect(clock.pending()).toBe(0);
  });
});
