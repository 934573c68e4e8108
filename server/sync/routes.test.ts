/**
 * The sync protocol over HTTP against real PostgreSQL: every route needs a session, bodies are checked with
 * typed errors naming the field, sign-in is rate-limited, push answers in order, the feed pages, and the
 * event stream announces a commit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, dataPaths } from '../../core/app';
import { fixedClock } from '../../core/context';
import { DEMO_PASSWORD } from '../../core/access/auth';
import { buildServer } from '../app';
import { migrateServer } from '../db/migrate';
import { createLogger } from '../log';
import { Engine } from '../engine/engine';
import { startTestPostgres, type TestPostgres } from '../testing/pg';
import { syncRoutes } from './routes';

const TODAY = '2026-11-23';
const clock = fixedClock(TODAY);
let cluster: TestPostgres;
let scratch: string;
let pool: pg.Pool;
let engine: Engine;
let app: FastifyInstance;

beforeAll(async () => {
  cluster = await startTestPostgres();
  scratch = mkdtempSync(join(tmpdir(), 'kansli-routes-'));
  const { dbPath } = dataPaths(join(scratch, 'standalone'));
  createCore({ dbPath, clock, seed: { country: 'SE', persons: 200, seed: 3, today: TODAY, deterministicIds: true }, auditAnchorPath: null, auditPendingPath: null }).close();
  pool = new pg.Pool({ connectionString: await cluster.database('routes'), max: 4 });
  pool.on('error', () => undefined);
  await migrateServer(pool);
  engine = await Engine.open({ pool, replicaPath: join(scratch, 'replica.sqlite'), clock });
  await engine.importStandalone(dbPath);
  app = await buildServer({ pool, logger: createLogger('silent'), routes: syncRoutes({ engine, signInPerMinute: 5, heartbeatSeconds: 1 }) });
}, 120_000);
afterAll(async () => {
  await app?.close();
  engine?.close();
  await pool?.end();
  await cluster?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

async function signIn(username: string, ip = '10.0.0.1'): Promise<string> {
  const r = await app.inject({ method: 'POST', url: '/auth/sign-in', remoteAddress: ip, payload: { username, password: DEMO_PASSWORD, workstation: `ws-${username}` } });
  expect(r.statusCode).toBe(200);
  const body = r.json<{ token: string; result: { ok: boolean } }>();
  expect(body.result.ok).toBe(true);
  return body.token;
}

describe('sessions', () => {
  it('every sync route refuses a request without a valid session', async () => {
    for (const [method, url] of [
      ['POST', '/auth/call'],
      ['POST', '/sync/job'],
      ['GET', '/sync/jobs/00000000-0000-4000-8000-000000000000'],
      ['POST', '/sync/jobs/00000000-0000-4000-8000-000000000000/cancel'],
      ['GET', '/sync/files/00000000-0000-4000-8000-000000000000'],
      ['POST', '/sync/push'],
      ['GET', '/sync/feed?subscriber=abcdefgh&cursor=0'],
      ['GET', '/sync/events'],
    ] as const) {
      const none = await app.inject({ method, url, payload: method === 'POST' ? {} : undefined });
      expect(none.statusCode, url).toBe(401);
      expect(none.json(), url).toEqual({ error: { code: 'unauthenticated', message: 'Sign in first.' } });
      const forged = await app.inject({ method, url, headers: { authorization: 'Bearer forged-token' }, payload: method === 'POST' ? {} : undefined });
      expect(forged.statusCode, url).toBe(401);
    }
  });

  it('sign-in is rate-limited per client address, with a typed answer and Retry-After', async () => {
    const ip = '10.9.9.9';
    for (let i = 0; i < 5; i++) {
      const r = await app.inject({ method: 'POST', url: '/auth/sign-in', remoteAddress: ip, payload: { username: 'clerk', password: 'wrong password', workstation: 'ws' } });
      expect(r.json()).toMatchObject({ token: null, result: { ok: false } });
    }
    const r = await app.inject({ method: 'POST', url: '/auth/sign-in', remoteAddress: ip, payload: { username: 'clerk', password: DEMO_PASSWORD, workstation: 'ws' } });
    expect(r.statusCode).toBe(429);
    expect(r.json()).toMatchObject({ error: { code: 'rate_limited' } });
    expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('malformed and oversized bodies are refused with typed errors naming the field', async () => {
    const token = await signIn('clerk.all', '10.0.0.2');
    const auth = { authorization: `Bearer ${token}` };
    const bad = await app.inject({ method: 'POST', url: '/sync/push', headers: auth, payload: { mutations: [{ id: 'not-a-uuid', method: 'person.update', input: {}, base: {} }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ error: { code: 'malformed', message: 'mutations.0.id: must be a UUID' } });
    const notJson = await app.inject({ method: 'POST', url: '/sync/push', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"mutations": [' });
    expect(notJson.json()).toMatchObject({ error: { code: 'malformed' } });
    const huge = await app.inject({ method: 'POST', url: '/sync/push', headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify({ mutations: [], pad: 'x'.repeat(9 * 1024 * 1024) }) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toMatchObject({ error: { code: 'too_large' } });
    const call = await app.inject({ method: 'POST', url: '/auth/call', headers: auth, payload: { method: 'person.list', input: {} } });
    expect(call.json()).toMatchObject({ error: { code: 'malformed' } });
    // Only the bulk work the server runs as a job: a write or an export is not started this way.
    for (const m of ['person.update', 'import.problemsExport']) {
      const job = await app.inject({ method: 'POST', url: '/sync/job', headers: auth, payload: { method: m, input: {} } });
      expect(job.statusCode, m).toBe(400);
      expect(job.json(), m).toMatchObject({ error: { code: 'malformed', message: expect.stringContaining('does not run as a server job') } });
    }
    const feed = await app.inject({ method: 'GET', url: '/sync/feed?subscriber=abcdefgh&cursor=-1', headers: auth });
    expect(feed.json()).toMatchObject({ error: { code: 'malformed', message: expect.stringMatching(/^cursor:/) } });
    // Jobs and files by id; an upload names a known kind and a name, and comes as octet-stream.
    expect((await app.inject({ method: 'GET', url: '/sync/jobs/42', headers: auth })).json()).toMatchObject({ error: { code: 'malformed', message: 'id: must be a UUID' } });
    const noKind = await app.inject({ method: 'POST', url: '/sync/files?kind=exe&name=a.xml', headers: { ...auth, 'content-type': 'application/octet-stream' }, payload: Buffer.from('<x/>') });
    expect(noKind.statusCode).toBe(400);
    expect(noKind.json()).toMatchObject({ error: { code: 'malformed', message: 'kind: must be navet, freg or csv' } });
    const asJson = await app.inject({ method: 'POST', url: '/sync/files?kind=navet&name=a.xml', headers: auth, payload: { file: 'x' } });
    expect(asJson.statusCode).toBe(415);
    // Another user's file, or one that does not exist, is not found (the answer does not tell which).
    expect((await app.inject({ method: 'GET', url: '/sync/files/00000000-0000-4000-8000-000000000000', headers: auth })).statusCode).toBe(404);
  });

  it('an upload lands as the signed-in user\'s own file; nobody else can fetch or import it', async () => {
    const token = await signIn('clerk.all', '10.0.0.5');
    const auth = { authorization: `Bearer ${token}` };
    const up = await app.inject({ method: 'POST', url: '/sync/files?kind=csv&name=legacy.csv', headers: { ...auth, 'content-type': 'application/octet-stream' }, payload: Buffer.from('a;b\n1;2\n') });
    expect(up.statusCode, up.body).toBe(200);
    const { fileId, size } = up.json<{ fileId: string; size: number }>();
    expect(size).toBe(8);
    const other = { authorization: `Bearer ${await signIn('registrar', '10.0.0.6')}` };
    const r = await app.inject({ method: 'POST', url: '/sync/job', headers: other, payload: { method: 'import.start', input: { fileId, format: 'navet' } } });
    expect(r.json()).toMatchObject({ result: { ok: false, error: { code: 'not_found' } }, job: null });
    // An upload is no export: not fetched back.
    expect((await app.inject({ method: 'GET', url: `/sync/files/${fileId}`, headers: other })).statusCode).toBe(404);
  });
});

describe('push, feed and events', () => {
  it('a push is answered per mutation; the feed then carries the change; the event stream announces the new head', async () => {
    const token = await signIn('clerk.all', '10.0.0.3');
    const auth = { authorization: `Bearer ${token}` };
    const snap = await app.inject({ method: 'GET', url: '/sync/feed?subscriber=routes-sub-1&cursor=0&limit=20000', headers: auth });
    expect(snap.statusCode).toBe(200);
    const page = snap.json<{ cursor: number; more: boolean; records: unknown[] }>();
    expect(page.more).toBe(false);
    expect(page.records.length).toBeGreaterThan(1000);

    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const ac = new AbortController();
    const events = await fetch(`${address}/sync/events`, { headers: auth, signal: ac.signal });
    expect(events.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = events.body!.getReader();
    const seen: string[] = [];
    const read = (async () => {
      const dec = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        seen.push(dec.decode(value));
      }
    })();

    const id = engine.core.ctx.sqlite.prepare(`SELECT id FROM person WHERE protection = 'none' AND is_child = 1 LIMIT 1`).pluck().get() as string;
    const card = engine.core.ctx.sqlite.prepare('SELECT * FROM person WHERE id = ?').get(id) as Record<string, unknown>;
    const seq = Number((await pool.query<{ seq: string }>('SELECT seq FROM aggregate WHERE key = $1', [`person:${id}`])).rows[0]?.seq ?? 0);
    const input = {
      id,
      version: card.version,
      person: {
        identityNumber: card.id_canonical, birthDate: card.birth_date, sex: card.sex, givenName: card.given_name, middleName: card.middle_name, familyName: card.family_name,
        preferredName: card.preferred_name, status: card.status, nationality: card.nationality, motherTongue: 'fi', maalform: card.maalform, protection: card.protection,
      },
    };
    const m1 = { id: randomUUID(), method: 'person.update', input, base: { [`person:${id}`]: { seq } } };
    const m2 = { id: randomUUID(), method: 'person.update', input, base: { [`person:${id}`]: { seq } } };
    const push = await app.inject({ method: 'POST', url: '/sync/push', headers: auth, payload: { mutations: [m1, m2] } });
    expect(push.statusCode).toBe(200);
    const answers = push.json<{ answers: { status: string }[] }>().answers;
    expect(answers.map((a) => a.status)).toEqual(['applied', 'conflict']);

    const next = await app.inject({ method: 'GET', url: `/sync/feed?subscriber=routes-sub-1&cursor=${page.cursor}`, headers: auth });
    const delta = next.json<{ records: { entity: string; id: string; data: Record<string, unknown> }[] }>();
    expect(delta.records.find((r) => r.entity === 'person' && r.id === id)?.data.mother_tongue).toBe('fi');

    const head = await engine.head();
    for (let i = 0; i < 50 && !seen.join('').includes(`"head":${head}`); i++) await new Promise((r) => setTimeout(r, 50));
    expect(seen.join('')).toContain(`event: head\ndata: {"head":${head}}`);
    ac.abort();
    await read;
  });
});
