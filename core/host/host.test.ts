/**
 * The browser host, started in-process on a real port with a real core, spoken to with node:http so the
 * tests control every header (Host, Origin, Cookie, Content-Type) the way an attacker could.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCore, type TestCore } from '../../test/util/core';
import { DEMO_PASSWORD } from '../access/auth';
import {
  allowedHosts,
  CSP,
  isAllowedHost,
  isAllowedOrigin,
  isLoopbackAddress,
  parseCookies,
  resolveStaticPath,
  secretsEqual,
  SECURITY_HEADERS,
} from './security';
import { startHost, type Host } from './server';

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const SECRET_MARK = 'TOP-SECRET-OUTSIDE-ROOT';
const INDEX_MARK = '<!doctype html><title>Kansli test index</title>';

let core: TestCore;
let host: Host;
let root: string;
let rendererDir: string;
let cookie: string;
let origin: string;

function raw(opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer; setHost?: boolean }): Promise<Res> {
  return new Promise((ok, fail) => {
    const req = request(
      { host: '127.0.0.1', port: host.port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers, setHost: opts.setHost ?? true },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

const get = (path: string, headers: Record<string, string> = {}) => raw({ path, headers: { cookie, ...headers } });
function api(method: string, input: unknown, headers: Record<string, string> = {}): Promise<Res> {
  return raw({ method: 'POST', path: `/api/${method}`, headers: { cookie, origin, 'content-type': 'application/json', ...headers }, body: JSON.stringify(input) });
}

function expectSecurityHeaders(r: Res): void {
  expect(r.headers['content-security-policy']).toBe(CSP);
  expect(r.headers['x-content-type-options']).toBe('nosniff');
  expect(r.headers['x-frame-options']).toBe('DENY');
  expect(r.headers['referrer-policy']).toBe('no-referrer');
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'kansli-host-'));
  rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), INDEX_MARK);
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("app")');
  writeFileSync(join(root, 'secret.txt'), SECRET_MARK);
  writeFileSync(join(root, 'secret'), SECRET_MARK);
  core = makeTestCore({ persons: 60 });
  host = await startHost({ core, rendererDir });
  origin = `http://127.0.0.1:${host.port}`;
  const r = await raw({ path: new URL(host.url).pathname + new URL(host.url).search });
  expect(r.status).toBe(303);
  const setCookie = ([] as string[]).concat(r.headers['set-cookie'] ?? []);
  cookie = setCookie[0]!.split(';')[0]!;
});
afterAll(async () => {
  await host.close();
  core.dispose();
  rmSync(root, { recursive: true, force: true });
});

describe('sign-in with the one-time secret', () => {
  it('listens on loopback only and prints a loopback URL', () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/auth\\?k=[A-Za-z0-9_-]{40,}$`));
    const addr = host.server.address();
    expect(typeof addr === 'object' && addr?.address).toBe('127.0.0.1');
  });

  it('the cookie is HttpOnly, SameSite=Strict, path-wide and random', () => {
    expect(cookie).toMatch(/^kansli_session=[A-Za-z0-9_-]{40,}$/);
  });

  it('the secret works once: a second use is 403, and no new cookie is handed out', async () => {
    const again = await raw({ path: new URL(host.url).pathname + new URL(host.url).search });
    expect(again.status).toBe(403);
    expect(again.headers['set-cookie']).toBeUndefined();
    expectSecurityHeaders(again);
  });

  it('a wrong or missing secret is 403', async () => {
    for (const path of ['/auth?k=wrong', '/auth', '/auth?k=', `/auth?k=${'A'.repeat(43)}`]) {
      const r = await raw({ path });
      expect(r.status, path).toBe(403);
      expect(r.headers['set-cookie']).toBeUndefined();
    }
  });

  it('close() does not wait for a browser connection that never sent a request (a preconnect)', async () => {
    const h3 = await startHost({ core, rendererDir });
    const sock = connect(h3.port, '127.0.0.1');
    await new Promise<void>((ok, fail) => {
      sock.once('connect', () => ok());
      sock.once('error', fail);
    });
    const closed = await Promise.race([h3.close().then(() => 'closed'), new Promise((ok) => setTimeout(() => ok('hung'), 2000))]);
    sock.destroy();
    expect(closed).toBe('closed');
  });

  it('the first exchange set the cookie flags', async () => {
    // Start a second host to observe its first (and only) Set-Cookie header.
    const h2 = await startHost({ core, rendererDir });
    try {
      const u = new URL(h2.url);
      const r = await new Promise<Res>((ok, fail) => {
        const req = request({ host: '127.0.0.1', port: h2.port, path: u.pathname + u.search }, (res) => {
          res.resume();
          res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: '' }));
        });
        req.on('error', fail);
        req.end();
      });
      expect(r.status).toBe(303);
      expect(r.headers.location).toBe('/');
      const sc = ([] as string[]).concat(r.headers['set-cookie'] ?? [])[0]!;
      const attrs = sc.split(';').map((s) => s.trim().toLowerCase());
      expect(attrs).toContain('httponly');
      expect(attrs).toContain('samesite=strict');
      expect(attrs).toContain('path=/');
      expectSecurityHeaders(r);
      // A session of one host is not valid at another.
      const cross = await raw({ method: 'POST', path: '/api/session.info', headers: { cookie: sc.split(';')[0]!, origin, 'content-type': 'application/json' }, body: '{}' });
      expect(cross.status).toBe(401);
    } finally {
      await h2.close();
    }
  });
});

describe('API guards', () => {
  it('the cookie only reaches sign-in; the round trip works once the connection signs in', async () => {
    const before = JSON.parse((await api('session.info', {})).body) as unknown;
    expect(before).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    const status = JSON.parse((await api('auth.status', {})).body) as unknown;
    expect(status).toMatchObject({ ok: true, data: { state: 'signed_out', demo: true } });
    const signIn = JSON.parse((await api('auth.signIn', { username: 'clerk.all', password: DEMO_PASSWORD })).body) as unknown;
    expect(signIn).toMatchObject({ ok: true, data: { state: 'signed_in', user: { username: 'clerk.all' } } });
    const info = await api('session.info', {});
    expect(info.status).toBe(200);
    expect(info.headers['content-type']).toMatch(/^application\/json/);
    expect(info.headers['cache-control']).toBe('no-store');
    const body = JSON.parse(info.body) as { ok: boolean; data: { user: { id: string }; demo: boolean; today: string } };
    expect(body).toMatchObject({ ok: true, data: { user: { username: 'clerk.all' }, demo: true, today: '2026-11-23' } });
    // The audit log names this host as the workstation.
    const ws = core.db.sqlite.prepare(`SELECT workstation FROM audit_log WHERE action = 'sign_in' ORDER BY seq DESC LIMIT 1`).pluck().get() as string;
    expect(ws).toMatch(/\(browser host\)$/);

    const name = (core.db.sqlite.prepare('SELECT family_name FROM person LIMIT 1').get() as { family_name: string }).family_name;
    const s = await api('search.query', { q: name, limit: 5 });
    expect(s.status).toBe(200);
    const sb = JSON.parse(s.body) as { ok: boolean; data: { items: { type: string; familyName?: string }[] } };
    expect(sb.ok).toBe(true);
    expect(sb.data.items.some((h) => h.type === 'person' && h.familyName === name)).toBe(true);
    expectSecurityHeaders(s);
  });

  it('typed errors come back as 200 with ok:false (validation, unknown method)', async () => {
    const v = JSON.parse((await api('person.get', { id: 'x' })).body) as { ok: boolean; error: { code: string; field: string } };
    expect(v).toMatchObject({ ok: false, error: { code: 'validation', field: 'id' } });
    const u = JSON.parse((await api('no.such', {})).body) as { ok: boolean; error: { code: string } };
    expect(u).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    const enc = JSON.parse((await api('auth%2Estatus', {})).body) as { ok: boolean };
    expect(enc.ok).toBe(true);
  });

  it('without the cookie (or with a made-up one) the API is 401 unauthenticated', async () => {
    for (const c of [undefined, 'kansli_session=forged', 'other=1', `kansli_session=${cookie.split('=')[1]}x`]) {
      const r = await raw({ method: 'POST', path: '/api/session.info', headers: { origin, 'content-type': 'application/json', ...(c ? { cookie: c } : {}) }, body: '{}' });
      expect(r.status, String(c)).toBe(401);
      expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
      expectSecurityHeaders(r);
    }
  });

  it('a foreign or missing Origin is 403, even with the cookie', async () => {
    for (const o of ['http://evil.example', `http://localhost.evil.example:${host.port}`, 'null', `https://127.0.0.1:${host.port}`, `http://127.0.0.1:${host.port + 1}`, `http://127.0.0.1:${host.port}/`]) {
      const r = await api('session.info', {}, { origin: o });
      expect(r.status, o).toBe(403);
      expectSecurityHeaders(r);
    }
    const none = await raw({ method: 'POST', path: '/api/session.info', headers: { cookie, 'content-type': 'application/json' }, body: '{}' });
    expect(none.status).toBe(403);
    // The localhost spelling of our own origin is accepted.
    expect((await api('session.info', {}, { origin: `http://localhost:${host.port}`, host: `localhost:${host.port}` })).status).toBe(200);
  });

  it('a Host header other than our loopback address is 421 (DNS rebinding)', async () => {
    for (const h of [`evil.example:${host.port}`, 'evil.example', `127.0.0.1:${host.port + 1}`, `127.0.0.1`, `localhost`, `[::1]:${host.port}`, `127.0.0.1.nip.io:${host.port}`]) {
      const r = await api('session.info', {}, { host: h });
      expect(r.status, h).toBe(421);
      expectSecurityHeaders(r);
      const s = await get('/', { host: h });
      expect(s.status, h).toBe(421);
      expect(s.body).not.toContain(INDEX_MARK);
    }
    // Missing Host header.
    const r = await raw({ path: '/', setHost: false, headers: { cookie } });
    expect(r.status).toBe(421);
    expect(r.body).not.toContain(INDEX_MARK);
    expectSecurityHeaders(r);
  });

  it('only application/json bodies are accepted (415), so no HTML form can post', async () => {
    for (const t of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '']) {
      const r = await api('session.info', {}, { 'content-type': t });
      expect(r.status, t).toBe(415);
      expectSecurityHeaders(r);
    }
    expect((await api('session.info', {}, { 'content-type': 'application/json; charset=utf-8' })).status).toBe(200);
  });

  it('anything but POST on /api is 405', async () => {
    for (const m of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const r = await raw({ method: m, path: '/api/session.info', headers: { cookie, origin } });
      expect(r.status, m).toBe(405);
      expect(r.headers.allow).toBe('POST');
      expectSecurityHeaders(r);
    }
  });

  it('a body over 1 MB is refused with 413', async () => {
    const big = JSON.stringify({ q: 'x'.repeat(1024 * 1024 + 10) });
    const r = await api('search.query', JSON.parse(big));
    expect(r.status).toBe(413);
    expectSecurityHeaders(r);
    // Also when the client announces the size up front.
    const r2 = await raw({ method: 'POST', path: '/api/search.query', headers: { cookie, origin, 'content-type': 'application/json', 'content-length': String(big.length) }, body: big });
    expect(r2.status).toBe(413);
    // The host still answers afterwards.
    expect((await api('session.info', {})).status).toBe(200);
  });

  it('requests Node itself rejects still carry the security headers', async () => {
    const r = await raw({ path: '/', headers: { cookie, 'x-big': 'y'.repeat(20_000) } });
    expect(r.status).toBe(431);
    expectSecurityHeaders(r);
  });

  it('malformed JSON is a typed validation error (400), not a crash', async () => {
    const r = await raw({ method: 'POST', path: '/api/session.info', headers: { cookie, origin, 'content-type': 'application/json' }, body: '{"a":' });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'validation' } });
    expectSecurityHeaders(r);
  });

  it('a malformed percent-escape in the method name is a client error, not a 500', async () => {
    const r = await raw({ method: 'POST', path: '/api/%E0%A4%A', headers: { cookie, origin, 'content-type': 'application/json' }, body: '{}' });
    expect(r.status).toBeLessThan(500);
    expectSecurityHeaders(r);
  });
});

describe('static files', () => {
  it('serves index.html at / and assets with their type', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.body).toBe(INDEX_MARK);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['cache-control']).toBe('no-store');
    const a = await get('/assets/app.js');
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toMatch(/^text\/javascript/);
    expectSecurityHeaders(a);
  });

  it('SPA fallback: extension-less paths get index.html, missing files with an extension are 404', async () => {
    for (const p of ['/persons', '/persons/123', '/units/abc/groups']) {
      const r = await get(p);
      expect(r.status, p).toBe(200);
      expect(r.body).toBe(INDEX_MARK);
    }
    const missing = await get('/assets/missing.js');
    expect(missing.status).toBe(404);
    expectSecurityHeaders(missing);
  });

  it('without a session, pages are 401 and do not include the app', async () => {
    const r = await raw({ path: '/' });
    expect(r.status).toBe(401);
    expect(r.body).not.toContain(INDEX_MARK);
    expectSecurityHeaders(r);
  });

  it('a foreign Origin on a page request is 403', async () => {
    const r = await get('/', { origin: 'http://evil.example' });
    expect(r.status).toBe(403);
  });

  it('non-GET methods on pages are 405', async () => {
    const r = await raw({ method: 'POST', path: '/index.html', headers: { cookie, origin } });
    expect(r.status).toBe(405);
    expectSecurityHeaders(r);
  });

  it('path traversal never serves a file outside the root', async () => {
    const attempts = [
      '/../secret.txt',
      '/../secret',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%2fsecret.txt',
      '/..%5csecret.txt',
      '/%5c..%5csecret.txt',
      '/assets\\..\\..\\secret.txt',
      '/%252e%252e/secret.txt',
      '/.%2e/secret.txt',
      '/index.html%00.js',
      '/%00',
      '/..%00/secret.txt',
      '//../secret.txt',
      `/${encodeURIComponent(join(root, 'secret.txt'))}`,
      `/${join(root, 'secret.txt')}`,
      '/%c0%ae%c0%ae/secret.txt',
      '/..;/secret.txt',
    ];
    for (const p of attempts) {
      const r = await get(p);
      expect(r.body, p).not.toContain(SECRET_MARK);
      expect([200, 400, 404], `${p} → ${r.status}`).toContain(r.status);
      if (r.status === 200) expect(r.body, p).toBe(INDEX_MARK);
      expectSecurityHeaders(r);
    }
  });

  it('HEAD works like GET without a body', async () => {
    const r = await raw({ method: 'HEAD', path: '/', headers: { cookie } });
    expect(r.status).toBe(200);
    expect(r.body).toBe('');
    expectSecurityHeaders(r);
  });
});

describe('security.ts', () => {
  it('isLoopbackAddress', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1', '127.255.255.255']) expect(isLoopbackAddress(a), a).toBe(true);
    for (const a of [undefined, '', '10.0.0.1', '192.168.1.10', '0.0.0.0', '::', '::ffff:10.0.0.1', '128.0.0.1', '1127.0.0.1', '127.0.0.1.evil', 'localhost', 'fe80::1', '::2', '::ffff:127.0.0.1x']) {
      expect(isLoopbackAddress(a), String(a)).toBe(false);
    }
  });

  it('isAllowedHost pins host and port, case-insensitively', () => {
    expect(allowedHosts(5000)).toEqual(['127.0.0.1:5000', 'localhost:5000']);
    expect(isAllowedHost('127.0.0.1:5000', 5000)).toBe(true);
    expect(isAllowedHost('LOCALHOST:5000', 5000)).toBe(true);
    for (const h of [undefined, '', '127.0.0.1', '127.0.0.1:5001', 'evil.example:5000', 'localhost.evil:5000', '127.0.0.1:5000.evil', ' 127.0.0.1:5000']) {
      expect(isAllowedHost(h, 5000), String(h)).toBe(false);
    }
  });

  it('isAllowedOrigin: exact loopback origin; absent only when not required', () => {
    expect(isAllowedOrigin('http://127.0.0.1:5000', 5000, true)).toBe(true);
    expect(isAllowedOrigin('http://localhost:5000', 5000, true)).toBe(true);
    expect(isAllowedOrigin(undefined, 5000, false)).toBe(true);
    expect(isAllowedOrigin(undefined, 5000, true)).toBe(false);
    for (const o of ['null', '', 'http://127.0.0.1:5001', 'https://127.0.0.1:5000', 'http://127.0.0.1:5000/', 'http://evil.example', 'http://127.0.0.1:5000.evil.example']) {
      expect(isAllowedOrigin(o, 5000, false), o).toBe(false);
    }
  });

  it('secretsEqual', () => {
    expect(secretsEqual('abc', 'abc')).toBe(true);
    expect(secretsEqual('abc', 'abd')).toBe(false);
    expect(secretsEqual('abc', 'abcd')).toBe(false);
    expect(secretsEqual('', '')).toBe(true);
    expect(secretsEqual('å', 'a')).toBe(false);
  });

  it('parseCookies', () => {
    expect(parseCookies(undefined)).toEqual({});
    expect(parseCookies('a=1; b=2;c=x=y')).toEqual({ a: '1', b: '2', c: 'x=y' });
    expect(parseCookies('=1; novalue; d=')).toEqual({ d: '' });
  });

  it('resolveStaticPath stays inside the root', () => {
    const r = resolve('/srv/app');
    expect(resolveStaticPath(r, '/index.html')).toBe(join(r, 'index.html'));
    expect(resolveStaticPath(r, '/')).toBe(join(r, 'index.html'));
    expect(resolveStaticPath(r, '/assets/a.js?v=1#x')).toBe(join(r, 'assets', 'a.js'));
    expect(resolveStaticPath(r, '/assets/a%20b.js')).toBe(join(r, 'assets', 'a b.js'));
    for (const p of ['/../etc/passwd', '/..', '/a/../../b', '/%2e%2e/x', '/%2E%2E%2Fx', '/..%2f..%2fx', '/a%5c..%5cb', '/a\\b', '/x%00', '/%', '/%E0%A4%A', '/%252e%252e/x']) {
      expect(resolveStaticPath(r, p), p).toBeNull();
    }
    for (const p of ['//etc/passwd', '/' + '/'.repeat(5) + 'etc/passwd']) {
      const out = resolveStaticPath(r, p);
      expect(out === null || out.startsWith(r + sep), p).toBe(true);
    }
  });

  it('every security header is present with a strict CSP', () => {
    expect(CSP).toContain("default-src 'self'");
    expect(CSP).toContain("script-src 'self'");
    expect(CSP).not.toMatch(/script-src[^;]*unsafe/);
    expect(CSP).toContain("frame-ancestors 'none'");
    expect(CSP).toContain("object-src 'none'");
    expect(SECURITY_HEADERS['X-Content-Type-Options']).toBe('nosniff');
    expect(SECURITY_HEADERS['X-Frame-Options']).toBe('DENY');
  });
});

describe('events, uploads and files', () => {
  /** Signs this cookie's connection in (the API answers `unauthenticated` before). */
  async function signedIn(username: string): Promise<void> {
    const r = await api('auth.signIn', { username, password: DEMO_PASSWORD });
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, data: { state: 'signed_in' } });
  }

  it('GET /events streams the session’s events (a lock) as server-sent events, with the security headers; refused without cookie or from another origin', async () => {
    expect((await raw({ path: '/events' })).status).toBe(401);
    expect((await raw({ path: '/events', headers: { cookie, origin: 'http://evil.example' } })).status).toBe(403);
    await signedIn('clerk.all');
    const got = await new Promise<{ headers: Record<string, unknown>; text: string }>((ok, fail) => {
      const req = request({ host: '127.0.0.1', port: host.port, path: '/events', headers: { cookie } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
          if (text.includes('"type":"session"')) {
            ok({ headers: res.headers, text });
            req.destroy();
          }
        });
      });
      req.on('error', (e) => (String(e).includes('socket hang up') ? undefined : fail(e)));
      req.end();
      // Once the stream is open, the OS lock reaches the core: the event must arrive on it.
      setTimeout(() => core.lockAll('os'), 100);
    });
    expect(got.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(got.headers['content-security-policy']).toBe(CSP);
    expect(got.text).toMatch(/data: \{"type":"session","state":"locked","cause":"os"\}\n\n/);
    expect(JSON.parse((await api('auth.unlock', { password: DEMO_PASSWORD })).body)).toMatchObject({ ok: true });
  });

  it('POST /upload streams a file into the store for the signed-in user; refuses a wrong kind, a wrong type, another origin and no session', async () => {
    await signedIn('clerk.all');
    const body = Buffer.from('<Navetavisering><Folkbokforingsposter/></Navetavisering>');
    const up = (path: string, headers: Record<string, string>, b: Buffer | string = body) => raw({ method: 'POST', path, headers: { cookie, origin, 'content-type': 'application/octet-stream', ...headers }, body: b });
    const ok = await up('/upload?kind=navet&name=Navet%20full.xml', {});
    expect(ok.status).toBe(200);
    const data = (JSON.parse(ok.body) as { ok: true; data: { fileId: string; name: string; size: number } }).data;
    expect(data).toMatchObject({ name: 'Navet full.xml', size: body.length });
    const owner = (JSON.parse((await api('session.info', {})).body) as { data: { user: { id: string } } }).data.user.id;
    expect(core.services.files.get(data.fileId, owner)).toMatchObject({ purpose: 'upload', kind: 'navet', size: body.length });
    expect(() => core.services.files.get(data.fileId, 'someone-else')).toThrow(/No such file/);
    expect((await up('/upload?kind=passwords', {})).status).toBe(400);
    expect((await up('/upload?kind=navet', { 'content-type': 'application/json' })).status).toBe(415);
    expect((await up('/upload?kind=navet', { origin: 'http://evil.example' })).status).toBe(403);
    expect((await raw({ method: 'POST', path: '/upload?kind=navet', headers: { origin, 'content-type': 'application/octet-stream' }, body })).status).toBe(401);
  });

  it('GET /files/<id> hands an export to the user who made it, as an attachment; nobody else gets it', async () => {
    await signedIn('clerk.all');
    const owner = (JSON.parse((await api('session.info', {})).body) as { data: { user: { id: string } } }).data.user.id;
    const ref = await core.services.files.writeExport(owner, 'klasslista Ängsskolan.csv', 'text/csv; charset=utf-8', 'Namn\r\nÅberg, Åsa\r\n');
    const r = await get(`/files/${ref.fileId}`);
    expect(r.status).toBe(200);
    expect(r.body).toBe('Namn\r\nÅberg, Åsa\r\n');
    expect(r.headers['content-disposition']).toBe(`attachment; filename="klasslista Angsskolan.csv"; filename*=UTF-8''klasslista%20%C3%84ngsskolan.csv`);
    expect(r.headers['cache-control']).toBe('no-store');
    expectSecurityHeaders(r);
    const other = await core.services.files.writeExport('someone-else', 'x.csv', 'text/csv', 'secret');
    expect((await get(`/files/${other.fileId}`)).status).toBe(404);
    expect((await get('/files/../kansli.sqlite')).status).toBe(404);
    expect((await raw({ path: `/files/${ref.fileId}` })).status).toBe(401);
  });

  it('a mutation id in the x-kansli-mutation header names the write: repeated, it answers the first result', async () => {
    await signedIn('clerk.all');
    const id = '9b3c1d2e-4f5a-4b6c-8d7e-0f1a2b3c4d5e';
    const input = { givenName: 'Idun', familyName: 'Header', birthDate: '2019-03-03' };
    const a = JSON.parse((await api('person.create', input, { 'x-kansli-mutation': id })).body) as { ok: boolean; data: { id: string } };
    const b = JSON.parse((await api('person.create', input, { 'x-kansli-mutation': id })).body) as { ok: boolean; data: { id: string } };
    expect(a.ok).toBe(true);
    expect(b).toEqual(a);
    expect(JSON.parse((await api('mutation.status', { id })).body)).toMatchObject({ ok: true, data: { state: 'committed', result: a.data } });
  });
});
