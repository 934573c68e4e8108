/**
 * Starting and stopping the central server: PostgreSQL (the embedded cluster in the data folder, or
 * DATABASE_URL), migrations, then HTTP. Shutdown runs the other way round: stop accepting and finish the
 * requests in flight (Fastify's close), drain the pool, stop the embedded PostgreSQL, release the folder.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { buildServer, type RouteRegistrar } from './app';
import type { ServerConfig } from './config';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './db/embedded';
import { migrateServer } from './db/migrate';
import { createPool } from './db/pool';
import { createLogger, type ServerLogger } from './log';
import { join } from 'node:path';
import { Engine } from './engine/engine';
import type { Clock } from '../core/context';
import { syncRoutes } from './sync/routes';
import { Sessions } from './sync/sessions';

export interface RunningServer {
  app: FastifyInstance;
  engine: Engine;
  /** e.g. `https://127.0.0.1:8443` */
  address: string;
  log: ServerLogger;
  close(): Promise<void>;
}

export async function startServer(config: ServerConfig, opts: { logStream?: DestinationStream; routes?: RouteRegistrar; clock?: Clock } = {}): Promise<RunningServer> {
  const log = createLogger(config.logLevel, opts.logStream);
  let embedded: EmbeddedPostgres | null = null;
  if (config.database.kind === 'embedded') {
    log.info({ dataDir: config.dataDir }, 'starting embedded PostgreSQL');
    embedded = await startEmbeddedPostgres(config.dataDir);
    log.info({ port: embedded.port }, 'embedded PostgreSQL ready');
  }
  const url = config.database.kind === 'url' ? config.database.url : embedded!.url;
  const pool = createPool(url, { onIdleError: (code) => log.warn({ code }, 'idle database connection failed') });
  let app: FastifyInstance | null = null;
  let engine: Engine | null = null;
  const sessions = new Sessions();
  try {
    const migrated = await migrateServer(pool);
    log.info({ applied: migrated.applied, schema: migrated.schema }, 'migrations checked');
    engine = await openEngine(config, pool, opts.clock);
    log.info({ head: engine.appliedSeq() }, 'engine ready');
    await engine.flushAudit();
    app = await buildServer({
      pool,
      logger: log,
      tls: config.tls ? { cert: readFileSync(config.tls.certPath), key: readFileSync(config.tls.keyPath) } : null,
      bodyLimit: config.bodyLimit,
      trustProxy: config.trustProxy,
      routes: opts.routes ?? syncRoutes({ engine, sessions }),
    });
    // Open event streams would keep Fastify's close waiting for them: they end before the server stops
    // listening (onClose hooks run only after the HTTP server closed, which waits for every connection).
    app.addHook('preClose', async () => sessions.closeAll());
    // Fastify logs one line per bound address (all interfaces for 0.0.0.0); ours follows with the facts.
    const address = await app.listen({ host: config.host, port: config.port, listenTextResolver: (a) => `bound ${a}` });
    log.info({ address, tls: config.tls !== null, database: config.database.kind }, 'listening');
    const running = app;
    const runningEngine = engine;
    let closing: Promise<void> | null = null;
    return {
      app,
      engine,
      address,
      log,
      close: () =>
        (closing ??= (async () => {
          log.info('shutting down');
          try {
            await running.close();
          } finally {
            runningEngine.close();
            await pool.end();
            await embedded?.stop();
          }
          log.info('stopped');
        })()),
    };
  } catch (e) {
    await app?.close().catch((err: unknown) => log.error({ err }, 'close failed'));
    engine?.close();
    await pool.end().catch(() => undefined);
    await embedded?.stop();
    throw e;
  }
}

/** The engine on its replica in the data folder (derived from PostgreSQL; rebuilt when it is missing). */
function openEngine(config: ServerConfig, pool: ReturnType<typeof createPool>, clock?: Clock): Promise<Engine> {
  return Engine.open({ pool, replicaPath: join(config.dataDir, 'replica.sqlite'), logDir: join(config.dataDir, 'logs'), ...(clock ? { clock } : {}) });
}

/**
 * Runs `fn` against the server's database without serving HTTP (`kansli server import`, `kansli server
 * demo`): PostgreSQL started or reached, migrated, the engine open; everything closed again afterwards.
 * A running server holds the data folder's lock, so the embedded database cannot be changed under it.
 */
export async function withServerDatabase<T>(config: ServerConfig, fn: (engine: Engine) => Promise<T>, opts: { logStream?: DestinationStream; clock?: Clock } = {}): Promise<T> {
  const log = createLogger(config.logLevel, opts.logStream);
  const embedded = config.database.kind === 'embedded' ? await startEmbeddedPostgres(config.dataDir) : null;
  const pool = createPool(config.database.kind === 'url' ? config.database.url : embedded!.url, { onIdleError: (code) => log.warn({ code }, 'idle database connection failed') });
  let engine: Engine | null = null;
  try {
    await migrateServer(pool);
    engine = await openEngine(config, pool, opts.clock);
    return await fn(engine);
  } finally {
    engine?.close();
    await pool.end().catch(() => undefined);
    await embedded?.stop();
  }
}
