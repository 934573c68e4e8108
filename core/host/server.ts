/**
 * The browser host: the real renderer build and the real core, served on 127.0.0.1 on a free port.
 * Used for development on machines without the Electron runtime and by the end-to-end tests.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { extname } from 'node:path';
import { DomainError } from '../../shared/api/errors';
import { isUploadKind } from '../../shared/domain/files';
import { domainErrorToApi } from '../api/dispatch';
import type { Connection, Core } from '../app';
import { isAllowedHost, isAllowedOrigin, isLoopbackAddress, parseCookies, resolveStaticPath, secretsEqual, SECURITY_HEADERS } from './security';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};
const MAX_BODY = 1024 * 1024;
const COOKIE = 'kansli_session';
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A comment line on the event stream this often keeps proxies and the browser from closing it. */
const SSE_HEARTBEAT_MS = 15_000;

export interface HostOptions {
  core: Core;
  rendererDir: string;
  port?: number;
}

export interface Host {
  server: Server;
  port: number;
  /** One-time URL that exchanges the secret for the session cookie. */
  url: string;
  close(): Promise<void>;
  /**
   * Swaps the core (joining a server from the first-start screen): requests wait while `make` closes the
   * old core and opens the new one; every browser session then has a fresh, signed-out connection to it.
   */
  replaceCore(make: (old: Core) => Promise<Core>): Promise<void>;
  /** The core requests go to now. */
  core(): Core;
}

export async function startHost(opts: HostOptions): Promise<Host> {
  const secret = randomBytes(32).toString('base64url');
  let secretUsed = false;
  // The cookie binds a browser to this host; behind it each browser has its own core connection, which
  // starts signed out: the app's own sign-in (and its roles) applies exactly as in Electron.
  const sessions = new Map<string, Connection>();
  let port = 0;
  let core = opts.core;
  let swapping: Promise<void> | null = null;

  const send = (res: ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8', extra: Record<string, string> = {}) => {
    res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-store', ...extra });
    res.end(body);
  };
  const sendJson = (res: ServerResponse, status: number, body: unknown) => send(res, status, JSON.stringify(body), 'application/json; charset=utf-8');

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    while (swapping) await swapping;
    if (!isLoopbackAddress(req.socket.remoteAddress)) return send(res, 403, 'Forbidden');
    if (!isAllowedHost(req.headers.host, port)) return send(res, 421, 'Misdirected request');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const session = parseCookies(req.headers.cookie)[COOKIE];
    const connection = session !== undefined ? sessions.get(session) : undefined;
    const authed = connection !== undefined;

    if (url.pathname === '/auth' && req.method === 'GET') {
      const k = url.searchParams.get('k') ?? '';
      if (secretUsed || !secretsEqual(k, secret)) return send(res, 403, 'This sign-in link is not valid (it works once). Restart the host for a new one.');
      secretUsed = true;
      const token = randomBytes(32).toString('base64url');
      sessions.set(token, core.connect(`${hostname()} (browser host)`));
      return send(res, 303, '', 'text/plain', {
        Location: '/',
        'Set-Cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
      });
    }

    // Events (job progress, locks) as server-sent events: one stream per page, bound to the cookie's session.
    if (url.pathname === '/events') {
      if (req.method !== 'GET') return send(res, 405, 'Method not allowed', 'text/plain', { Allow: 'GET' });
      if (!isAllowedOrigin(req.headers.origin, port, false)) return send(res, 403, 'Forbidden origin');
      if (!authed) return send(res, 401, 'No session');
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(': kansli events\n\n');
      const off = connection.onEvent((e) => res.write(`data: ${JSON.stringify(e)}\n\n`));
      const beat = setInterval(() => res.write(': keep-alive\n\n'), SSE_HEARTBEAT_MS);
      const stop = () => {
        clearInterval(beat);
        off();
      };
      req.on('close', stop);
      res.on('error', stop);
      return;
    }

    // Uploads stream to the core's file store (never buffered whole), refused past the kind's limit.
    if (url.pathname === '/upload') {
      if (req.method !== 'POST') return send(res, 405, 'Method not allowed', 'text/plain', { Allow: 'POST' });
      if (!isAllowedOrigin(req.headers.origin, port, true)) return send(res, 403, 'Forbidden origin');
      if (!authed) return sendJson(res, 401, { ok: false, error: { code: 'unauthenticated', message: 'No session' } });
      if ((req.headers['content-type'] ?? '') !== 'application/octet-stream') return send(res, 415, 'application/octet-stream only');
      const kind = url.searchParams.get('kind');
      const owner = connection.session.state === 'signed_in' ? connection.session.actor?.id : undefined;
      if (!owner) return sendJson(res, 401, { ok: false, error: { code: 'unauthenticated', message: 'Sign in first' } });
      if (!isUploadKind(kind)) return sendJson(res, 400, { ok: false, error: { code: 'validation', message: 'Unknown upload kind', field: 'kind' } });
      try {
        const f = await core.services.files.receive({ kind, ownerId: owner, name: url.searchParams.get('name') ?? '', source: req });
        return sendJson(res, 200, { ok: true, data: { fileId: f.id, name: f.name, size: f.size } });
      } catch (e) {
        res.setHeader('Connection', 'close');
        if (e instanceof DomainError) return sendJson(res, e.field === 'file' ? 413 : 400, { ok: false, error: domainErrorToApi(e) });
        throw e;
      }
    }

    // Exports by id: only the user who made the file, as an attachment.
    if (url.pathname.startsWith('/files/')) {
      if (req.method !== 'GET') return send(res, 405, 'Method not allowed', 'text/plain', { Allow: 'GET' });
      if (!isAllowedOrigin(req.headers.origin, port, false)) return send(res, 403, 'Forbidden origin');
      if (!authed) return send(res, 401, 'No session');
      const id = url.pathname.slice('/files/'.length);
      const owner = connection.session.state === 'signed_in' ? connection.session.actor?.id : undefined;
      if (!owner || !UUID_RE.test(id)) return send(res, 404, 'Not found');
      try {
        const { file, stream } = core.services.files.read(id, owner);
        res.writeHead(200, {
          ...SECURITY_HEADERS,
          'Content-Type': file.mime,
          'Content-Length': String(file.size),
          'Cache-Control': 'no-store',
          'Content-Disposition': `attachment; filename="${asciiName(file.name)}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
        });
        stream.pipe(res);
        return;
      } catch (e) {
        if (e instanceof DomainError) return send(res, 404, 'Not found');
        throw e;
      }
    }

    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return send(res, 405, 'Method not allowed', 'text/plain', { Allow: 'POST' });
      if (!isAllowedOrigin(req.headers.origin, port, true)) return send(res, 403, 'Forbidden origin');
      if (!authed) return sendJson(res, 401, { ok: false, error: { code: 'unauthenticated', message: 'No session' } });
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'JSON only');
      const tooLarge = () => {
        // Close the connection after answering: the rest of the body is never read. Destroying the request
        // instead would kill the socket before the 413 reaches the client.
        res.setHeader('Connection', 'close');
        sendJson(res, 413, { ok: false, error: { code: 'validation', message: 'Request body too large' } });
      };
      if (Number(req.headers['content-length'] ?? 0) > MAX_BODY) return tooLarge();
      let body: Buffer;
      try {
        body = await readBody(req);
      } catch (e) {
        if (e instanceof BodyTooLarge) return tooLarge();
        throw e;
      }
      let input: unknown;
      try {
        input = body.length ? JSON.parse(body.toString('utf8')) : {};
      } catch {
        return sendJson(res, 400, { ok: false, error: { code: 'validation', message: 'Request body is not valid JSON' } });
      }
      let method: string;
      try {
        method = decodeURIComponent(url.pathname.slice('/api/'.length));
      } catch {
        return sendJson(res, 400, { ok: false, error: { code: 'unknown_method', message: 'Malformed method name' } });
      }
      const mutation = req.headers['x-kansli-mutation'];
      const mutationId = typeof mutation === 'string' && UUID_RE.test(mutation) ? mutation : undefined;
      // The call goes on if the browser goes away mid-call (a write finishes and commits); the client
      // asks `mutation.status` with its mutation id to learn the outcome.
      return sendJson(res, 200, await connection.callAsync(method, input, mutationId ? { mutationId } : {}));
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed');
    if (!isAllowedOrigin(req.headers.origin, port, false)) return send(res, 403, 'Forbidden origin');
    if (!authed) return send(res, 401, 'Kansli browser host: open the sign-in link printed in the terminal.');
    const file = resolveStaticPath(opts.rendererDir, url.pathname === '/' ? '/index.html' : url.pathname);
    if (!file) return send(res, 400, 'Bad path');
    const target = existsSync(file) && statSync(file).isFile() ? file : extname(file) === '' ? resolveStaticPath(opts.rendererDir, '/index.html') : null;
    if (!target || !existsSync(target)) return send(res, 404, 'Not found');
    return send(res, 200, readFileSync(target), MIME[extname(target)] ?? 'application/octet-stream', {
      'Cache-Control': target.endsWith('index.html') ? 'no-store' : 'private, max-age=3600',
    });
  };

  // Our own Host check answers a missing Host (421, with the security headers) instead of Node's bare 400.
  const server = createServer({ requireHostHeader: false }, (req, res) => {
    handler(req, res).catch((e: unknown) => {
      core.logger.error('host_error', e);
      if (!res.headersSent) send(res, 500, 'Internal error');
    });
  });
  // Requests Node's parser rejects (no Host header, malformed request line, oversized headers) get the same
  // security headers as every other answer instead of Node's bare default 400.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    const headers = Object.entries({ ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'close' })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    socket.end(`HTTP/1.1 ${status}\r\n${headers}Content-Length: 11\r\n\r\nBad request`);
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}/auth?k=${secret}`,
    core: () => core,
    replaceCore: (make) => {
      const run = (async () => {
        // Lets the answer of the call that asked for it leave first.
        await new Promise((r) => setTimeout(r, 50));
        const next = await make(core);
        core = next;
        for (const token of sessions.keys()) sessions.set(token, next.connect(`${hostname()} (browser host)`));
      })();
      swapping = run.finally(() => {
        swapping = null;
      });
      return run;
    },
    close: () =>
      new Promise((ok) => {
        server.close(() => ok());
        // A browser keeps keep-alive connections open; without this, close() waits for them indefinitely.
        server.closeAllConnections();
      }),
  };
}

class BodyTooLarge extends Error {}

/** The plain-ASCII fallback file name of a Content-Disposition header (the UTF-8 form carries the real one). */
function asciiName(name: string): string {
  return name.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '_') || 'kansli-export';
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        // Stop reading; the caller answers 413 and the connection closes after the answer.
        req.off('data', onData);
        req.pause();
        chunks.length = 0;
        fail(new BodyTooLarge());
      } else chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => ok(Buffer.concat(chunks)));
    req.on('error', fail);
  });
}
