/**
 * The application core as one object: open the database, build the handlers, answer calls.
 * Used in-process by the browser host, the CLI and the tests, and inside Electron's utilityProcess.
 */
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { PERMISSIONS } from '../shared/api/contract';
import type { CallResult } from '../shared/api/transport';
import { openDatabase, type OpenedDb } from '../db/open';
import { accountCount } from './access/accounts';
import { Auth, newSession, trustedSession, type Session } from './access/auth';
import { loadOrCreateKey } from './access/secretbox';
import { dispatch } from './api/dispatch';
import { createHandlers } from './api/handlers';
import { attachAuditSink, auditPathsFor, auditSidecarFiles, detachAuditSink, flushPendingAudit } from './audit/sink';
import { seedDemoAccounts } from './demo/accounts';
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
  /** Folder of the key file that seals secrets at rest; default: the database's folder (null: an in-memory key). */
  secretKeyDir?: string | null;
  /** Names this workstation in the audit log (default: "local"). */
  workstation?: string;
  /** The audit anchor file (core/audit/anchor.ts); default beside the database (auditSidecarPaths), null for none. */
  auditAnchorPath?: string | null;
  /** The pending journal of read audits (core/audit/sink.ts); default beside the database, null for none. */
  auditPendingPath?: string | null;
}

/**
 * The actor of trusted in-process callers only (the CLI and tests): every permission, municipality-wide.
 * No transport can reach it — the browser host and Electron always go through `connect()` and sign-in.
 */
export const LOCAL_ADMIN: Actor = { id: 'local-admin', name: 'Local administrator', permissions: new Set(PERMISSIONS) };

/** One transport connection (a browser-host cookie, an Electron window) with its own sign-in session. */
export interface Connection {
  readonly session: Session;
  call(method: unknown, input: unknown): CallResult;
}

export interface Core {
  ctx: CoreContext;
  db: OpenedDb;
  logger: Logger;
  auth: Auth;
  /** Trusted in-process call as `actor` (CLI, tests); goes through the same permission, scope and audit gate. */
  call(method: unknown, input: unknown, actor?: Actor): CallResult;
  /** A new connection for a transport: it starts signed out. `workstation` names it in the audit log. */
  connect(workstation: string): Connection;
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
  let secretKey: Buffer;
  try {
    secretKey = loadOrCreateKey(opts.secretKeyDir !== undefined ? opts.secretKeyDir : opts.dbPath === ':memory:' ? null : dirname(opts.dbPath));
  } catch (e) {
    opened.close();
    throw e;
  }
  // AUDIT HOOK (audit branch): each connection that appends audit entries needs its own sink (a worker
  // thread's connection too, with the same paths); then pending read audits of an earlier run are merged
  // and the current head is anchored.
  try {
    attachAuditSink(opened.sqlite, { ...auditPathsFor(opts), onError: (event, err) => logger.error(event, err) });
    flushPendingAudit(opened.sqlite);
  } catch (e) {
    detachAuditSink(opened.sqlite);
    opened.close();
    throw e;
  }
  const ctx: CoreContext = { sqlite: opened.sqlite, db: opened.db, clock, demo: isDemoDatabase(opened.sqlite), generation: { persons: 0 }, secretKey };
  if (ctx.demo && accountCount(ctx.sqlite) === 0) seedDemoAccounts(ctx);
  const auth = new Auth(ctx);
  const handlers = createHandlers(ctx, auth);
  const validateOutputs = opts.validateOutputs ?? process.env.KANSLI_VALIDATE_OUTPUTS === '1';
  const dispatchOpts = { validateOutputs, logger };
  const workstation = opts.workstation ?? 'local';
  if (opened.migration.applied.length) logger.info('migrated', { applied: opened.migration.applied.join(',') });
  return {
    ctx,
    db: opened,
    logger,
    auth,
    call: (method, input, actor = LOCAL_ADMIN) =>
      dispatch(handlers, { ctx, auth, session: trustedSession(actor, workstation, clock.epochMs()) }, method, input, dispatchOpts),
    connect: (ws) => {
      const session = newSession(randomUUID(), ws, clock.epochMs());
      return { session, call: (method, input) => dispatch(handlers, { ctx, auth, session }, method, input, dispatchOpts) };
    },
    close: () => {
      detachAuditSink(opened.sqlite);
      opened.close();
    },
  };
}

export function dataPaths(dataDir: string) {
  const dbPath = join(dataDir, 'kansli.sqlite');
  return { dbPath, logDir: join(dataDir, 'logs'), ...auditSidecarFiles(dbPath) };
}
