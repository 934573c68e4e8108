import type Database from 'better-sqlite3';
import type { Permission } from '../shared/api/contract';
import type { Db } from '../db/open';

/** Who is acting. Until sign-in arrives the workstation runs as one local actor whose permissions are explicit. */
export interface Actor {
  id: string;
  name: string;
  permissions: ReadonlySet<Permission>;
}

export interface Clock {
  /** UTC timestamp, ISO 8601. */
  now(): string;
  /** The legal date today (local calendar date of the municipality), YYYY-MM-DD. */
  today(): string;
}

export const systemClock: Clock = {
  now: () => new Date().toISOString(),
  today: () => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  },
};

export function fixedClock(today: string): Clock {
  return { now: () => `${today}T12:00:00.000Z`, today: () => today };
}

export interface CoreContext {
  sqlite: Database.Database;
  db: Db;
  clock: Clock;
  /** Demo mode accepts synthetic Norwegian test numbers (month + 80). */
  demo: boolean;
  /** Bumped by every write to persons: cached list totals are valid while it is unchanged. */
  generation: { persons: number };
}
