/**
 * The idle lock: after `timeoutMs` without keyboard or pointer input, `onIdle` runs once (the app then
 * locks). Input only records a timestamp — no timer is reset per mouse move; one timer checks the
 * timestamp when it is due and re-arms for the remainder. A computer that slept past the deadline
 * locks as soon as the timer fires after waking.
 */
export interface IdleClock {
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const realClock: IdleClock = {
  now: () => Date.now(),
  setTimer: (fn, ms) => window.setTimeout(fn, ms),
  clearTimer: (h) => window.clearTimeout(h as number),
};

export interface IdleTimer {
  /** Input happened. Ignored after the timer fired, until `restart()`. */
  activity(): void;
  /** Start counting again from now (after an unlock). */
  restart(): void;
  stop(): void;
  /** Milliseconds of idleness so far. */
  idleFor(): number;
}

export function createIdleTimer(timeoutMs: number, onIdle: () => void, clock: IdleClock = realClock): IdleTimer {
  let last = clock.now();
  let handle: unknown = null;
  let fired = false;
  let stopped = false;

  const arm = (ms: number): void => {
    if (handle !== null) clock.clearTimer(handle);
    handle = clock.setTimer(check, Math.max(0, ms));
  };
  function check(): void {
    handle = null;
    if (stopped || fired) return;
    const idle = clock.now() - last;
    if (idle >= timeoutMs) {
      fired = true;
      onIdle();
    } else arm(timeoutMs - idle);
  }
  arm(timeoutMs);

  return {
    activity() {
      if (!fired && !stopped) last = clock.now();
    },
    restart() {
      fired = false;
      stopped = false;
      last = clock.now();
      arm(timeoutMs);
    },
    stop() {
      stopped = true;
      if (handle !== null) clock.clearTimer(handle);
      handle = null;
    },
    idleFor: () => clock.now() - last,
  };
}

/** The input events that count as "someone is here". */
export const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;
