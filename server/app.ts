/**
 * The central server's HTTP side: `buildServer` returns the Fastify instance without listening, so tests
 * drive it with `app.inject()` and main.ts listens. It sets what every route shares: TLS, the body limit,
 * timeouts, the trusted proxies, the request log without personal data (log.ts), one error shape
 * `{ error: { code, message } }` for everything, and `GET /health`.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type pg from 'pg';
import { DEFAULT_BODY_LIMIT } from './config';
import { genReqId, installRequestLog, type ServerLogger } from './log';
import { registerSyncRoutes } from './routes';

/** What routes need from the server; the engine adds to it. */
export interface ServerContext {
  pool: pg.Pool;
  version: string;
}

export type RouteRegistrar = (app: FastifyInstance, ctx: ServerContext) => Promise<void> | void;

export interface BuildServerOptions {
  pool: pg.Pool;
  logger: ServerLogger;
  tls?: { cert: string | Buffer; key: string | Buffer } | null;
  bodyLimit?: number;
  trustProxy?: false | string[];
  /** Socket inactivity limit. A long-lived response (the SSE stream) must write more often than this. */
  connectionTimeoutMs?: number;
  /** Time to receive a whole request, headers and body (slow-client protection; the response is not limited). */
  requestTimeoutMs?: number;
  keepAliveTimeoutMs?: number;
  /** How long /health waits for PostgreSQL. */
  healthTimeoutMs?: number;
  /** The sync routes; defaults to registerSyncRoutes (routes.ts). */
  routes?: RouteRegistrar;
}

export type ErrorCode = 'malformed' | 'too_large' | 'unsupported_media_type' | 'not_found' | 'internal' | (string & {});

/** An error a route throws to answer with a status and a code; its message is sent to the client as is. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const SERVER_VERSION: string = (
  JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as { version: string }
).version;

const errorBody = (code: ErrorCode, message: string, extra: Record<string, string> = {}) => ({ error: { code, message, ...extra } });

/**
 * Fastify's own client errors, answered with fixed messages: theirs may quote the request (a bad URL's
 * error repeats the URL).
 */
const CLIENT_ERRORS: Record<string, [number, ErrorCode, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'malformed', 'The request body is not valid JSON.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'malformed', 'The request body is empty but declared as JSON.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'malformed', 'The request body does not match its Content-Length.'],
  FST_ERR_BAD_URL: [400, 'malformed', 'The request URL is malformed.'],
  FST_ERR_MAX_PARAM_LENGTH: [414, 'malformed', 'A path segment of the request URL is too long.'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'too_large', 'The request body is too large.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'The request body must be application/json.'],
};

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new Error('timeout')), ms);
    }),
  ]);
}

export async function buildServer(opts: BuildServerOptions): Promise<FastifyInstance> {
  const bodyLimit = opts.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const options: FastifyServerOptions & { https?: { cert: string | Buffer; key: string | Buffer } } = {
    loggerInstance: opts.logger,
    // Fastify's own request lines carry the URL with its query string; log.ts writes ours instead.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId,
    requestIdHeader: false,
    bodyLimit,
    trustProxy: opts.trustProxy && opts.trustProxy.length ? opts.trustProxy : false,
    connectionTimeout: opts.connectionTimeoutMs ?? 60_000,
    requestTimeout: opts.requestTimeoutMs ?? 120_000,
    // Longer than the usual reverse proxy's upstream keep-alive (nginx 60 s), so the proxy closes first
    // and never sends on a socket the server is closing.
    keepAliveTimeout: opts.keepAliveTimeoutMs ?? 72_000,
    // Errors Fastify meets before routing (a malformed URL, an over-long path segment) bypass the error
    // handler and the hooks; by default they answer with the path quoted back. Same shape and log line here.
    frameworkErrors: (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const [status, code, message] = (err.code ? CLIENT_ERRORS[err.code] : undefined) ?? [400, 'malformed', 'The request was refused.'];
      request.log.info({ method: request.method, route: null, status, ms: Math.round(reply.elapsedTime * 10) / 10 }, 'request');
      void reply.code(status).send(errorBody(code, message));
    },
    ...(opts.tls ? { https: { cert: opts.tls.cert, key: opts.tls.key } } : {}),
  };
  // Fastify types an HTTPS instance by its server class; routes and hooks see the same request and reply
  // either way, so the rest of the server uses the plain FastifyInstance type.
  const app = Fastify(options as FastifyServerOptions) as unknown as FastifyInstance;
  const ctx: ServerContext = { pool: opts.pool, version: SERVER_VERSION };

  installRequestLog(app);
  // The API speaks JSON only; text/plain would otherwise reach handlers as a string.
  app.removeContentTypeParser('text/plain');

  app.setNotFoundHandler((_request, reply) => {
    void reply.code(404).send(errorBody('not_found', 'No such route.'));
  });

  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof ApiError) return reply.code(err.status).send(errorBody(err.code, err.message));
    const known = err.code ? CLIENT_ERRORS[err.code] : undefined;
    if (known) {
      const [status, code, message] = known;
      return reply.code(status).send(errorBody(code, code === 'too_large' ? `The request body is larger than ${bodyLimit} bytes.` : message));
    }
    if (err.validation) return reply.code(400).send(errorBody('malformed', 'The request does not match the route’s schema.'));
    if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send(errorBody('malformed', 'The request was refused.'));
    }
    const ref = randomUUID();
    request.log.error({ ref, route: request.routeOptions.url ?? null, err }, 'internal error');
    return reply.code(500).send(errorBody('internal', `Internal error (reference ${ref}).`, { ref }));
  });

  const healthTimeout = opts.healthTimeoutMs ?? 1000;
  // Open to anyone (load balancers, monitoring) and so says nothing beyond up/down and what a workstation
  // needs to decide whether its cache belongs to this database (epoch) and speaks its schema.
  app.get('/health', async (_request, reply) => {
    try {
      const r = await withTimeout(
        opts.pool.query<{ key: string; value: string }>(`SELECT key, value FROM server_meta WHERE key IN ('epoch', 'schema')`),
        healthTimeout,
      );
      const meta = new Map(r.rows.map((row) => [row.key, row.value]));
      const epoch = meta.get('epoch');
      const schema = Number(meta.get('schema'));
      if (!epoch || !Number.isInteger(schema)) throw new Error('server_meta incomplete');
      return { status: 'ok', version: ctx.version, schema, epoch };
    } catch {
      return reply.code(503).send({ status: 'unavailable' });
    }
  });

  await (opts.routes ?? registerSyncRoutes)(app, ctx);
  return app;
}
