/**
 * The server's log: one JSON object per line (pino, Fastify's own logger), and no personal data in it.
 *
 * The register's data reaches the server in URLs (a search's query string, an id in a path), bodies,
 * headers (the bearer token, cookies) and error messages (Node's JSON.parse error quotes the text it
 * choked on; Fastify's bad-URL error quotes the URL; PostgreSQL's DETAIL quotes a duplicate key). So the log
 * never serialises a request, a body or an error message. Per request it writes one line with the request
 * id, method, route template (`/sync/feed`, never the URL), status, duration and, once signed in, the
 * account id (a pseudonymous UUID). An error is logged by its type, code and stack frames (the frames name
 * source files and functions, not values), under a reference id the client is given.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in account (set by the session check); logged with the request, null when anonymous. */
    accountId: string | null;
  }
}

export type ServerLogger = Logger;

export interface SafeError {
  type: string;
  code?: string;
  frames: string[];
}

/** An error without its message: type, code and where it was thrown. */
export function safeError(e: unknown): SafeError {
  if (!(e instanceof Error)) return { type: typeof e, frames: [] };
  const code = (e as { code?: unknown }).code;
  return {
    type: e.name,
    ...(typeof code === 'string' && /^[A-Za-z0-9_]{1,64}$/.test(code) ? { code } : {}),
    frames: (e.stack ?? '')
      .split('\n')
      .filter((l) => /^\s+at /.test(l))
      .slice(0, 12)
      .map((l) => l.trim()),
  };
}

export function createLogger(level: LogLevel = 'info', stream?: DestinationStream): ServerLogger {
  const options = {
    level,
    // Whatever a caller passes as req, res or err is reduced to what may be logged, so a later
    // `log.error({ err, req })` written in a hurry still cannot leak.
    serializers: {
      err: safeError,
      error: safeError,
      req: (r: { method?: unknown; routeOptions?: { url?: unknown } }) => ({ method: r.method, route: r.routeOptions?.url ?? null }),
      res: (r: { statusCode?: unknown }) => ({ status: r.statusCode }),
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return stream ? pino(options, stream) : pino(options);
}

/** Request ids are made here: an incoming `request-id` header is never trusted, so a caller cannot write into the log. */
export const genReqId = (): string => randomUUID();

/** One line per finished request, with only what docs/sync.md allows; Fastify's own request lines are off. */
export function installRequestLog(app: FastifyInstance): void {
  app.decorateRequest('accountId', null);
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? null,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        ...(request.accountId ? { account: request.accountId } : {}),
      },
      'request',
    );
  });
}
