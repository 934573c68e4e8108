/**
 * The application core as one object: open the database, build the handlers, answer calls.
 * Used in-process by the browser host, the CLI and the tests, and inside Electron's utilityProcess.
 */
import { join } from 'node:path';
import { PERMISSIONS } from '../shared/api/contract';
import type { CallResult } from '../shared/api/transport';
import { openDatabase, type OpenedDb } from '../db/open';
import { dispatch } from './api/dispatch';
import { createHandlers } from './api/handlers';
import { systemClock, type Actor, type Clock, type CoreContext } from './context';
import { isDemoDatabase, seedDemo, type DemoOptions } from './demo/generate';
import { fileLogger, type Logger } from './log';

export interface CoreOptions {
  /** SQLite file, or ':memory:'. */
  dbPath: string;
  logDir?: string | null;
  clock?: Clock;
  /** Seed a synthetic municipality into an empty database. */
  seed?: DemoOptions | false;
  validateOutputs?: boolean;
  migrationsDir?: string;
  /** Back up a database with data before migrating it (default true; the benchmark's throwaway copy skips it). */
  backupBeforeMigrate?: boolean;
}

/**
 * Until sign-in arrives (access issue) a workstation runs as this one local actor. Its permissions are
 * listed explicitly rather than bypassing the check, so every call already goes through the same gate.
 */
export const LOCAL_ADMIN: Actor = { id: 'local-admin', name: 'Local administrator', permissions: new Set(PERMISSIONS) };

export interface Core {
  ctx: CoreContext;
  db: OpenedDb;
  logger: Logger;
  call(method: unknown, input: unknown, actor?: Actor | null): CallResult;
  close(): void;
}

export function createCore(opts: CoreOptions): Core {
  const opened = openDatabase(opts.dbPath, { migrationsDir: opts.migrationsDir, backup: opts.backupBeforeMigrate });
  const logger = fileLogger(opts.logDir ?? null);
  const clock = opts.clock ?? systemClock;
  if (opts.seed) {
    try {
      const empty = (opened.sqlite.prepare('SELECT count(*) AS n FROM municipality').get() as { n: number }).n === 0;
      if (empty) {
        const r = seedDemo(opened.sqlite, { ...opts.seed, today: opts.seed.today ?? clock.today() });
        logger.info('demo_seeded', { persons: r.persons, units: r.units, ms: r.ms });
      }
    } catch (e) {
      opened.close();
      throw e;
    }
  }
  const ctx: CoreContext = { sqlite: opened.sqlite, db: opened.db, clock, demo: isDemoDatabase(opened.sqlite), generation: { persons: 0 } };
  const handlers = createHandlers(ctx);
  const validateOutputs = opts.validateOutputs ?? process.env.KANSLI_VALIDATE_OUTPUTS === '1';
  if (opened.migration.applied.length) logger.info('migrated', { applied: opened.migration.applied.join(',') });
  return {
    ctx,
    db: opened,
    logger,
    call: (method, input, actor = LOCAL_ADMIN) => dispatch(handlers, { ctx, actor }, method, input, { validateOutputs, logger }),
    close: () => opened.close(),
  };
}

export function dataPaths(dataDir: string) {
  return { dbPath: join(dataDir, 'kansli.sqlite'), logDir: join(dataDir, 'logs') };
}
