/**
 * The HTTP side on a real PostgreSQL: /health, the one error shape, limits, trusted proxies, TLS, and the
 * log, which must never carry what a request carries (a synthetic person's name and identity number in the
 * URL, the body, the headers and an error's message).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, buildServer, SERVER_VERSION, type BuildServerOptions } from './app';
import { freePort } from './db/embedded';
import { loadServerMigrations, migrateServer } from './db/migrate';
import { createPool } from './db/pool';
import { createLogger } from './log';
import { startTestPostgres, type TestPostgres } from './testing/pg';

let pgc: TestPostgres;
let pool: pg.Pool;
let epoch: string;
const apps: FastifyInstance[] = [];
const extraPools: pg.Pool[] = [];

beforeAll(async () => {
  pgc = await startTestPostgres();
  pool = createPool(await pgc.database('app'));
  await migrateServer(pool);
  epoch = (await pool.query<{ value: string }>(`SELECT value FROM server_meta WHERE key = 'epoch'`)).rows[0]!.value;
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
  await Promise.all(extraPools.splice(0).map((p) => p.end()));
});
afterAll(async () => {
  await pool.end();
  await pgc.stop();
});

/** The log as parsed JSON lines, and the raw text for "this never appears anywhere" checks. */
function captureLog(): { lines: () => Record<string, unknown>[]; text: () => string; stream: Writable } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  return { stream, text: () => text, lines: () => text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

async function app(opts: Partial<BuildServerOptions> = {}, log = captureLog()): Promise<FastifyInstance> {
  const a = await buildServer({ pool, logger: createLogger('info', log.stream), ...opts });
  apps.push(a);
  return a;
}

describe('GET /health', () => {
  it('answers status, version, schema and epoch, and nothing else', async () => {
    const a = await app();
    const r = await a.inject({ method: 'GET', url: '/health' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toStrictEqual({ status: 'ok', version: SERVER_VERSION, schema: loadServerMigrations().length, epoch });
    expect(SERVER_VERSION).toBe((JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version);
  });

  it('is 503 unavailable when PostgreSQL cannot be reached', async () => {
    const down = new pg.Pool({ connectionString: `postgres://kansli:x@127.0.0.1:${await freePort()}/kansli`, connectionTimeoutMillis: 500 });
    extraPools.push(down);
    const a = await app({ pool: down });
    const r = await a.inject({ method: 'GET', url: '/health' });
    expect(r.statusCode).toBe(503);
    expect(r.json()).toStrictEqual({ status: 'unavailable' });
  });

  it('is 503 when PostgreSQL does not answer within the limit, and ok again once it does', async () => {
    const a = await app({ healthTimeoutMs: 300 });
    const blocker = await pool.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE server_meta IN ACCESS EXCLUSIVE MODE');
      const t0 = Date.now();
      const r = await a.inject({ method: 'GET', url: '/health' });
      expect(r.statusCode).toBe(503);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
      await blocker.query('ROLLBACK');
    } finally {
      blocker.release();
    }
    expect((await a.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });
});

describe('one error shape', () => {
  async function appWithRoutes(opts: Partial<BuildServerOptions> = {}, log = captureLog()) {
    return app(
      {
        ...opts,
        routes: (s) => {
          s.post('/echo', async (req) => ({ got: req.body }));
          s.get('/boom', async () => {
            throw new Error('something broke');
          });
          s.get('/refused', async () => {
            throw new ApiError(409, 'conflict', 'The base is stale.');
          });
        },
      },
      log,
    );
  }

  it('404 not_found for an unknown route', async () => {
    const r = await (await appWithRoutes()).inject({ method: 'GET', url: '/no/such/route?x=1' });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toStrictEqual({ error: { code: 'not_found', message: 'No such route.' } });
  });

  it('400 malformed for bad JSON, with our message, not the parser quoting the body', async () => {
    const r = await (await appWithRoutes()).inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: '{"name": Greta' });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toStrictEqual({ error: { code: 'malformed', message: 'The request body is not valid JSON.' } });
  });

  it('413 too_large above the body limit; 415 unsupported_media_type for anything but JSON', async () => {
    const a = await appWithRoutes({ bodyLimit: 1024 });
    const big = await a.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ s: 'x'.repeat(2000) }) });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toStrictEqual({ error: { code: 'too_large', message: 'The request body is larger than 1024 bytes.' } });
    const ok = await a.inject({ method: 'POST', url: '/echo', payload: { s: 'x'.repeat(900) } });
    expect(ok.statusCode).toBe(200);
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const r = await a.inject({ method: 'POST', url: '/echo', headers: { 'content-type': type }, payload: 'a=b' });
      expect(r.statusCode, type).toBe(415);
      expect(r.json()).toStrictEqual({ error: { code: 'unsupported_media_type', message: 'The request body must be application/json.' } });
    }
  });

  it('500 internal with a reference that is in the log, never the message or a stack trace', async () => {
    const log = captureLog();
    const r = await (await appWithRoutes({}, log)).inject({ method: 'GET', url: '/boom' });
    expect(r.statusCode).toBe(500);
    const body = r.json() as { error: { code: string; message: string; ref: string } };
    expect(body.error.code).toBe('internal');
    expect(body.error.ref).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.error.message).toBe(`Internal error (reference ${body.error.ref}).`);
    expect(r.body).not.toMatch(/something broke|at |\.ts/);
    const entry = log.lines().find((l) => l.msg === 'internal error')!;
    expect(entry).toMatchObject({ ref: body.error.ref, route: '/boom', err: { type: 'Error' } });
    expect((entry.err as { frames: string[] }).frames.some((f) => f.includes('app.test.ts'))).toBe(true);
    expect(log.text()).not.toContain('something broke');
  });

  it('an ApiError keeps its status, code and message', async () => {
    const r = await (await appWithRoutes()).inject({ method: 'GET', url: '/refused' });
    expect(r.statusCode).toBe(409);
    expect(r.json()).toStrictEqual({ error: { code: 'conflict', message: 'The base is stale.' } });
  });
});

describe('limits and proxies', () => {
  it('passes the timeouts and the body limit to the HTTP server', async () => {
    const a = await app({ connectionTimeoutMs: 45_000, requestTimeoutMs: 90_000, keepAliveTimeoutMs: 65_000, bodyLimit: 4096 });
    await a.ready();
    expect(a.server.timeout).toBe(45_000);
    expect(a.server.requestTimeout).toBe(90_000);
    expect(a.server.keepAliveTimeout).toBe(65_000);
    expect(a.initialConfig.bodyLimit).toBe(4096);
  });

  it('believes X-Forwarded-For only from a listed proxy', async () => {
    const routes = (s: FastifyInstance): void => {
      s.get('/ip', async (req) => ({ ip: req.ip, protocol: req.protocol }));
    };
    const headers = { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' };
    const trusting = await app({ trustProxy: ['127.0.0.1'], routes });
    expect((await trusting.inject({ method: 'GET', url: '/ip', headers, remoteAddress: '127.0.0.1' })).json()).toEqual({ ip: '203.0.113.7', protocol: 'https' });
    expect((await trusting.inject({ method: 'GET', url: '/ip', headers, remoteAddress: '198.51.100.1' })).json()).toEqual({ ip: '198.51.100.1', protocol: 'http' });
    const plain = await app({ routes });
    expect((await plain.inject({ method: 'GET', url: '/ip', headers, remoteAddress: '127.0.0.1' })).json()).toEqual({ ip: '127.0.0.1', protocol: 'http' });
  });
});

describe('TLS', () => {
  it('serves HTTPS with the given certificate and key, and refuses plain HTTP', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kansli-srv-tls-'));
    try {
      const [certPath, keyPath] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath, '-out', certPath,
        '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
      const cert = readFileSync(certPath);
      const a = await app({ tls: { cert, key: readFileSync(keyPath) } });
      const address = await a.listen({ host: '127.0.0.1', port: 0 });
      expect(address).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const port = Number(new URL(address).port);
      const body = await new Promise<string>((ok, fail) => {
        const req = httpsRequest({ host: '127.0.0.1', port, path: '/health', ca: cert }, (res) => {
          let s = '';
          res.on('data', (c: Buffer) => (s += c.toString()));
          res.on('end', () => ok(s));
        });
        req.on('error', fail);
        req.end();
      });
      expect(JSON.parse(body)).toMatchObject({ status: 'ok', epoch });
      const plain = await new Promise<string>((ok) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: '/health' }, (res) => ok(`status ${res.statusCode}`));
        req.on('error', (e: NodeJS.ErrnoException) => ok(e.code ?? 'error'));
        req.end();
      });
      expect(plain).not.toMatch(/^status 200/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the log carries no personal data', () => {
  const NAME = 'Ingegerd Testdotter';
  const PNR = '19121212-1212';
  const SECRETS = [NAME, 'Ingegerd', 'Testdotter', PNR, '191212121212', '121212-1212', '1212121212', 'tok-3f9a7c'];

  it('not from URLs, query strings, params, bodies, headers, cookies, parser errors or error messages', async () => {
    const log = captureLog();
    const account = randomUUID();
    const a = await app(
      {
        routes: (s) => {
          s.post('/t/persons/:pnr', async (req) => {
            req.accountId = account;
            return { ok: (req.params as { pnr: string }).pnr.length > 0 };
          });
          s.get('/t/search', async (req) => {
            req.accountId = account;
            // A careless bug: an error message built from the input.
            throw new Error(`no match for ${(req.query as { q: string }).q}`);
          });
        },
      },
      log,
    );
    const headers = {
      authorization: 'Bearer tok-3f9a7c',
      cookie: `session=tok-3f9a7c; name=${encodeURIComponent(NAME)}`,
      'x-person': NAME,
      'request-id': PNR,
      'user-agent': `Kansli (${NAME})`,
      referer: `https://kansli.example/persons/${PNR}`,
    };
    const q = `q=${encodeURIComponent(NAME)}&pnr=${PNR}`;
    const responses = [
      await a.inject({ method: 'POST', url: `/t/persons/${PNR}?${q}`, headers, payload: { name: NAME, identityNumber: PNR } }),
      await a.inject({ method: 'GET', url: `/t/search?${q}`, headers }),
      await a.inject({ method: 'POST', url: `/t/persons/${PNR}`, headers: { ...headers, 'content-type': 'application/json' }, payload: `{"name": "${NAME}", ${PNR}}` }),
      await a.inject({ method: 'POST', url: `/t/persons/${PNR}`, headers: { ...headers, 'content-type': 'text/plain' }, payload: NAME }),
      await a.inject({ method: 'GET', url: `/nowhere/${PNR}?${q}`, headers }),
      await a.inject({ method: 'GET', url: `/t/search/%E0%A4%A?${q}`, headers }),
    ];
    expect(responses.map((r) => r.statusCode)).toEqual([200, 500, 400, 415, 404, 400]);
    const text = log.text();
    for (const s of SECRETS) expect(text, s).not.toContain(s);
    // No response quotes the request back either (the 500's message, the parser's error, the bad URL).
    for (const r of responses) for (const s of SECRETS) expect(r.body, s).not.toContain(s);
    expect(responses[5]!.json()).toStrictEqual({ error: { code: 'malformed', message: 'The request URL is malformed.' } });

    // What is logged per request: id, method, route template, status, duration, account; nothing more.
    const requests = log.lines().filter((l) => l.msg === 'request');
    expect(requests).toHaveLength(responses.length);
    for (const l of requests) {
      expect(Object.keys(l).sort()).toEqual(expect.arrayContaining(['level', 'time', 'pid', 'hostname', 'reqId', 'method', 'route', 'status', 'ms', 'msg']));
      expect(Object.keys(l).filter((k) => !['level', 'time', 'pid', 'hostname', 'reqId', 'method', 'route', 'status', 'ms', 'msg', 'account'].includes(k))).toEqual([]);
      expect(l.reqId).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(requests.map((l) => [l.method, l.route, l.status, l.account ?? null])).toEqual([
      ['POST', '/t/persons/:pnr', 200, account],
      ['GET', '/t/search', 500, account],
      ['POST', '/t/persons/:pnr', 400, null],
      ['POST', '/t/persons/:pnr', 415, null],
      ['GET', null, 404, null],
      ['GET', null, 400, null],
    ]);
    // The 500 is findable by the reference its response gave.
    const ref = (responses[1]!.json() as { error: { ref: string } }).error.ref;
    expect(log.lines().filter((l) => l.ref === ref)).toHaveLength(1);
  });
});
