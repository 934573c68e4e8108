import type Database from 'better-sqlite3';
import type { Permission } from '../shared/api/contract';
import type { Db } from '../db/open';

/** Who is acting: a signed-in user (core/access builds it from the user's role assignments) or a trusted tool. */
export interface Actor {
  id: string;
  name: string;
  /** Every permission the actor holds in at least one scope. */
  permissions: ReadonlySet<Permission>;
  /**
   * Units (descendants included) that a unit-scoped permission is limited to. A permission held here is
   * limited to those units; a held permission absent here is held for the whole municipality.
   */
  unitScope?: ReadonlyMap<Permission, ReadonlySet<string>>;
}

export interface Clock {
  /** Set when the clock is pinned to one legal date (tests, demos): a job's worker thread pins its own. */
  readonly fixedToday?: string;
  /** UTC timestamp, ISO 8601. */
  now(): string;
  /** The legal date today (local calendar date of the municipality), YYYY-MM-DD. */
  today(): string;
  /** Milliseconds since the epoch, for idle locks, lockouts and TOTP (real time, also under a fixed "today"). */
  epochMs(): number;
}

export const systemClock: Clock = {
  now: () => new Date().toISOString(),
  epochMs: () => Date.now(),
  today: () => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  },
};

export function fixedClock(today: string): Clock {
  return { fixedToday: today, now: () => `${today}T12:00:00.000Z`, today: () => today, epochMs: () => Date.now() };
}

export interface CoreContext {
  sqlite: Database.Database;
  db: Db;
  clock: Clock;
  /** Demo mode accepts synthetic Norwegian test numbers (month + 80). */
  demo: boolean;
  /** Bumped by every write to persons: cached list totals are valid while it is unchanged. */
  generation: { persons: number };
  /** Encrypts secrets at rest (TOTP secrets); the key lives in the data folder, outside the database. */
  secretKey: Buffer;
  /**
   * A joined workstation's cache (docs/sync.md): its change log holds only the changes made here (the feed
   * carries records), so a card's history says so and asks the server for the register's. Absent: false.
   */
  joined?: boolean;
}
