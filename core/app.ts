/**
 * The application core as one object: open the database, build the handlers and services, answer calls.
 * Used in-process by the browser host, the CLI and the tests, and inside Electron's utilityProcess.
 */
import { seedPendingDemoFoiRequests } from './demo/foi';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { contract, isMethodName, PERMISSIONS } from '../shared/api/contract';
import type { EventListener, JobView } from '../shared/domain/events';
import type { CallResult } from '../shared/api/transport';
import { openDatabase, type OpenedDb } from '../db/open';
import { accountCount } from './access/accounts';
import { Auth, newSession, trustedSession, type Session } from './access/auth';
import { loadOrCreateKey } from './access/secretbox';
import { FileKeyStore, sealingKey, type KeyStore } from './keys/keystore';
import { dispatch, dispatchSync, type CallMeta, type Handler } from './api/dispatch';
import { createHandlers } from './api/handlers';
import { MutationRegistry } from './api/mutations';
import { AuditIndexer } from './audit/indexer';
import { attachAuditSink, auditCommitted, auditPathsFor, auditSidecarFiles, detachAuditSink, flushPendingAudit } from './audit/sink';
import { seedDemoAccounts } from './demo/accounts';
import { systemClock, type Actor, type Clock, type CoreContext } from './context';
import { isDemoDatabase, seedDemo, type DemoOptions } from './demo/generate';
import { EventHub } from './events';
import { FileStore } from './files/store';
import { JobRunner } from './jobs/runner';
import { fileLogger, type Logger } from './log';
import { SERVER_READS, SyncClient } from './sync/client';
import type { CoreServices } from './services';

export interface CoreOptions {
  /**
   * Joined mode (docs/sync.md): the database is this workstation's cache of a central server's register.
   * Default: joined when the database says so (`kansli server join` wrote `sync.server` into it).
   */
  /**
   * The host restarts the core joined to `server` (sync.join from the first-start screen): called once the
   * server answered its health check; the host closes this core after the call has answered.
   */
  onJoin?: (server: string) => void;
  sync?: { server: string; fetch?: typeof fetch; verifierDays?: number; pageSize?: number; auditSeconds?: number } | null;
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
  /**
   * Where the legacy `secret.key` (the TOTP sealing key before the keystore) is looked for and moved into the
   * keystore from; default: the database's folder. null: an in-memory key and no keystore (tests).
   */
  secretKeyDir?: string | null;
  /**
   * The keystore (core/keys/keystore.ts) holding the key that seals TOTP secrets. Default for a file database:
   * a FileKeyStore in `keys/` beside the legacy folder. Electron's core gets a HandedKeyStore from main.
   */
  keyStore?: KeyStore;
  /** The database's encryption key (db/open.ts), for the core's connection and its jobs' worker connections. */
  dbKey?: Buffer;
  /** Names this workstation in the audit log (default: "local"). */
  workstation?: string;
  /**
   * How long the core's own connection waits for another connection's write lock, in ms. 0 (default) for
   * the application: better-sqlite3 waits by blocking the thread, so the core never waits inside SQLite;
   * the async dispatch retries on a timer instead. The CLI, a process of its own, may wait.
   */
  busyTimeoutMs?: number;
  /** Where uploads and exports are kept (default: `files` beside the database). */
  filesDir?: string;
  /** Jobs in worker threads (default for a file database) or inline in this thread (the CLI). */
  jobMode?: 'worker' | 'inline';
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
  /** Quick (`tx`) methods, answered at once: tests, trusted tools and the central server's engine. */
  call(method: unknown, input: unknown, meta?: CallMeta): CallResult;
  /** Every method, as the transports call it. */
  callAsync(method: unknown, input: unknown, meta?: CallMeta): Promise<CallResult>;
  /** Events for this connection's session (job progress, locks); returns the unsubscribe function. */
  onEvent(listener: EventListener): () => void;
}

export interface Core {
  ctx: CoreContext;
  db: OpenedDb;
  logger: Logger;
  auth: Auth;
  services: CoreServices;
  /** Joined mode's link to the central server (core/sync/client.ts); null in standalone mode. */
  sync: SyncClient | null;
  /** Trusted in-process call as `actor` (CLI, tests) of a quick method; same permission, scope and audit gate. */
  call(method: unknown, input: unknown, actor?: Actor): CallResult;
  /** The same for any method (async and job methods too). */
  callAsync(method: unknown, input: unknown, actor?: Actor, meta?: CallMeta): Promise<CallResult>;
  /** A new connection for a transport: it starts signed out. `workstation` names it in the audit log. */
  connect(workstation: string): Connection;
  /** The OS locked the screen: every signed-in session locks now, and each window is told. */
  lockAll(cause: string): void;
  close(): void;
}

export function createCore(opts: CoreOptions): Core {
  const opened = openDatabase(opts.dbPath, { migrationsDir: opts.migrationsDir, backup: opts.backupBeforeMigrate, ...(opts.dbKey ? { key: opts.dbKey } : {}) });
  const logger = fileLogger(opts.logDir ?? null);
  const clock = opts.clock ?? systemClock;
  const memory = opts.dbPath === ':memory:';
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
    const legacyDir = opts.secretKeyDir !== undefined ? opts.secretKeyDir : memory ? null : dirname(opts.dbPath);
    const store = opts.keyStore ?? (legacyDir === null ? null : new FileKeyStore(join(legacyDir, 'keys')));
    // ':memory:' databases (tests) keep an in-memory key: their sealed values do not outlive the process anyway.
    secretKey = store ? sealingKey(store, legacyDir) : loadOrCreateKey(null);
  } catch (e) {
    opened.close();
    throw e;
  }
  // Each connection that appends audit entries has its own sink (a job's worker connection too, with the
  // same paths); read audits left pending by an earlier run are merged and the head is anchored.
  const auditPaths = auditPathsFor(opts);
  try {
    attachAuditSink(opened.sqlite, { ...auditPaths, onError: (event, err) => logger.error(event, err) });
    flushPendingAudit(opened.sqlite);
  } catch (e) {
    detachAuditSink(opened.sqlite);
    opened.close();
    throw e;
  }
  opened.sqlite.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 0}`);
  const auditIndexer = new AuditIndexer(opened.sqlite, { onError: (event, err) => logger.error(event, err) });
  auditIndexer.start();
  const ctx: CoreContext = { sqlite: opened.sqlite, db: opened.db, clock, demo: isDemoDatabase(opened.sqlite), generation: { persons: 0 }, secretKey };
  const joinedTo =
    opts.sync === null ? null : (opts.sync?.server ?? ((opened.sqlite.prepare(`SELECT value FROM app_meta WHERE key = 'sync.server'`).pluck().get() as string | undefined) ?? null));
  // A cache holds a projection: a row may refer to one outside it (an ended guardianship's guardian); the
  // server, which holds everything, checks references when it applies each write.
  if (joinedTo) opened.sqlite.pragma('foreign_keys = OFF');
  ctx.joined = joinedTo !== null;
  if (!joinedTo && ctx.demo && accountCount(ctx.sqlite) === 0) seedDemoAccounts(ctx);
  // The demo's FOI requests wait for the accounts (their officer is the demo's `foi`): seeded once, here.
  if (!joinedTo && ctx.demo) seedPendingDemoFoiRequests(ctx.sqlite, clock.today(), clock.now());
  const auth = new Auth(ctx);
  const events = new EventHub();
  const files = new FileStore(opts.filesDir ?? (memory ? mkdtempSync(join(tmpdir(), 'kansli-files-')) : join(dirname(opts.dbPath), 'files')), clock);
  const afterCommit = () => auditCommitted(ctx.sqlite);
  const jobs = new JobRunner({
    ctx,
    dbPath: memory ? null : opts.dbPath,
    dbKey: opts.dbKey ?? null,
    auditPaths,
    logDir: opts.logDir ?? null,
    files,
    events,
    logger,
    mode: opts.jobMode,
    afterCommit,
    // Caches keyed on the register's generation (list totals, unit scopes) were built before the job's commit.
    onExternalCommit: () => void ctx.generation.persons++,
  });
  const services: CoreServices = { jobs, files, events, mutations: new MutationRegistry(), afterCommit, auditIndex: auditIndexer };
  const sync = joinedTo
    ? new SyncClient({
        ctx,
        auth,
        events,
        logger,
        files,
        server: joinedTo,
        // Names this workstation to the server (its audit entries, its feed subscription): the data folder's
        // own random id (core/register/recent.ts keeps it), never a host name or a path.
        workstation: opts.workstation ?? workstationId(ctx.sqlite),
        fetch: opts.sync?.fetch,
        verifierDays: opts.sync?.verifierDays,
        auditSeconds: opts.sync?.auditSeconds,
        onExpired: (userId) => {
          for (const s of sessions) {
            if (s.state !== 'signed_in' || s.account?.id !== userId) continue;
            auth.lock(s, 'server');
            events.emit({ type: 'session', state: 'locked', cause: 'server' }, (x) => x === s);
          }
        },
        pageSize: opts.sync?.pageSize,
      })
    : null;
  if (sync) services.outbox = sync.outbox;
  try {
    jobs.recoverInterrupted();
    files.sweep();
  } catch (e) {
    logger.error('startup_recovery_failed', e);
  }
  const handlers = createHandlers(ctx, auth, () => sync, opts.onJoin ?? null) as unknown as Record<string, Handler>;
  /**
   * Joined mode: sign-in happens at the server, and so does long work (server jobs, whose views the sync
   * client keeps). A job id this workstation does not know may be a server job's (a screen reloaded after
   * the client's restart): asked there.
   */
  const joinedCall = (session: Session, method: unknown, input: unknown, local: () => Promise<CallResult>): Promise<CallResult> | null => {
    if (!sync || typeof method !== 'string') return null;
    if (sync.handles(method, input)) return sync.call(session, method, input);
    // The register's whole answer from the server; this cache's own when the server cannot be reached.
    if (SERVER_READS.has(method)) return sync.call(session, method, input).then((r) => (!r.ok && r.error.code === 'offline' ? local() : r));
    if (method === 'job.get' || method === 'job.cancel') {
      return local().then((r) => (!r.ok && r.error.code === 'not_found' && session.state === 'signed_in' ? sync.call(session, method, input) : r));
    }
    if (method === 'job.list') {
      return local().then((r) => {
        if (!r.ok) return r;
        const own = (r.data as { items: JobView[] }).items;
        const limit = Number((input as { limit?: unknown } | null)?.limit ?? 20);
        const items = [...sync.remoteJobs(session), ...own].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, limit);
        return { ok: true, data: { items } };
      });
    }
    const def = isMethodName(method) ? contract[method] : null;
    if (def?.writes && (def.run ?? 'tx') !== 'tx') {
      return Promise.resolve({ ok: false, error: { code: 'unavailable', message: `${method} runs on the central server; it is not offered on a joined workstation yet` } });
    }
    return null;
  };
  const validateOutputs = opts.validateOutputs ?? process.env.KANSLI_VALIDATE_OUTPUTS === '1';
  const dispatchOpts = { validateOutputs, logger };
  const workstation = opts.workstation ?? 'local';
  if (opened.migration.applied.length) logger.info('migrated', { applied: opened.migration.applied.join(',') });
  const sessions = new Set<Session>();
  const trusted = (actor: Actor) => ({ ctx, auth, services, session: trustedSession(actor, workstation, clock.epochMs()) });
  return {
    ctx,
    db: opened,
    logger,
    auth,
    services,
    sync,
    call: (method, input, actor = LOCAL_ADMIN) => dispatchSync(handlers, trusted(actor), method, input, dispatchOpts),
    callAsync: (method, input, actor = LOCAL_ADMIN, meta) => dispatch(handlers, trusted(actor), method, input, dispatchOpts, meta),
    connect: (ws) => {
      const session = newSession(randomUUID(), ws, clock.epochMs());
      sessions.add(session);
      const env = { ctx, auth, services, session };
      return {
        session,
        call: (method, input, meta) => dispatchSync(handlers, env, method, input, dispatchOpts, meta),
        callAsync: (method, input, meta) => joinedCall(session, method, input, () => dispatch(handlers, env, method, input, dispatchOpts, meta)) ?? dispatch(handlers, env, method, input, dispatchOpts, meta),
        onEvent: (listener) => events.subscribe(session, listener),
      };
    },
    lockAll: (cause) => {
      for (const s of sessions) {
        if (s.state !== 'signed_in') continue;
        auth.lock(s, cause);
        events.emit({ type: 'session', state: 'locked', cause }, (x) => x === s);
      }
    },
    close: () => {
      sync?.close();
      void jobs.close();
      auditIndexer.stop();
      // What is left is indexed at the next start; a short budget keeps closing quick.
      try {
        auditIndexer.drain(500);
      } catch (e) {
        logger.error('audit_person_index_failed', e);
      }
      detachAuditSink(opened.sqlite);
      opened.close();
    },
  };
}

export function dataPaths(dataDir: string) {
  const dbPath = join(dataDir, 'kansli.sqlite');
  return { dbPath, logDir: join(dataDir, 'logs'), ...auditSidecarFiles(dbPath) };
}

function workstationId(sqlite: import('better-sqlite3').Database): string {
  const get = () => sqlite.prepare(`SELECT value FROM app_meta WHERE key = 'workstation.id'`).pluck().get() as string | undefined;
  const id = get();
  if (id) return id;
  sqlite.prepare(`INSERT INTO app_meta (key, value) VALUES ('workstation.id', ?) ON CONFLICT(key) DO NOTHING`).run(randomUUID());
  return get()!;
}
