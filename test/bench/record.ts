/**
 * Records every statement execution (and its arguments) made while a call runs, so a benchmark can replay
 * the very same SQL on bare better-sqlite3 as the call's floor (bench.ts, fees.ts).
 */
import type Database from 'better-sqlite3';

export type Recorded = { stmt: Database.Statement; method: 'all' | 'get' | 'iterate'; args: unknown[] };

/** Records every statement execution (and its arguments) made while `fn` runs. */
export function record(sample: Database.Statement, fn: () => void): Recorded[] {
  const proto = Object.getPrototypeOf(sample) as { all: (...a: unknown[]) => unknown; get: (...a: unknown[]) => unknown; iterate: (...a: unknown[]) => unknown };
  const { all, get, iterate } = proto;
  const out: Recorded[] = [];
  proto.all = function (this: Database.Statement, ...args: unknown[]) {
    out.push({ stmt: this, method: 'all', args });
    return all.apply(this, args);
  };
  proto.get = function (this: Database.Statement, ...args: unknown[]) {
    out.push({ stmt: this, method: 'get', args });
    return get.apply(this, args);
  };
  proto.iterate = function (this: Database.Statement, ...args: unknown[]) {
    out.push({ stmt: this, method: 'iterate', args });
    return iterate.apply(this, args);
  };
  try {
    fn();
  } finally {
    proto.all = all;
    proto.get = get;
    proto.iterate = iterate;
  }
  return out;
}

/** Runs the recorded statements again, as they ran. */
export function replay(rec: readonly Recorded[]): void {
  for (const r of rec) {
    if (r.method === 'iterate') for (const _ of r.stmt.iterate(...r.args)) void _;
    else if (r.method === 'all') r.stmt.all(...r.args);
    else r.stmt.get(...r.args);
  }
}
