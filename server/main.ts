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

export interface RunningServer {
  app: FastifyInstance;
  /** e.g. `https://127.0.0.1:8443` */
  address: string;
  log: ServerLogger;
  close(): Promise<void>;
}

export async function startServer(config: ServerConfig, opts: { logStream?: DestinationStream; routes?: RouteRegistrar } = {}): Promise<RunningServer> {
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
  try {
    const migrated = await migrateServer(pool);
    log.info({ applied: migrated.applied, schema: migrated.schema }, 'migrations checked');
    app = await buildServer({
      pool,
      logger: log,
      tls: config.tls ? { cert: readFileSync(config.tls.certPath), key: readFileSync(config.tls.keyPath) } : null,
      bodyLimit: config.bodyLimit,
      trustProxy: config.trustProxy,
      ...(opts.routes ? { routes: opts.routes } : {}),
    });
    // Fastify logs one line per bound address (all interfaces for 0.0.0.0); ours follows with the facts.
    const address = await app.listen({ host: config.host, port: config.port, listenTextResolver: (a) => `bound ${a}` });
    log.info({ address, tls: config.tls !== null, database: config.database.kind }, 'listening');
    const running = app;
    let closing: Promise<void> | null = null;
    return {
      app,
      address,
      log,
      close: () =>
        (closing ??= (async () => {
          log.info('shutting down');
          try {
            await running.close();
          } finally {
            await pool.end();
            await embedded?.stop();
          }
          log.info('stopped');
        })()),
    };
  } catch (e) {
    await app?.close().catch((err: unknown) => log.error({ err }, 'close failed'));
    await pool.end().catch(() => undefined);
    await embedded?.stop();
    throw e;
  }
}
