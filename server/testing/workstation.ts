/**
 * Test helpers for sync tests against a real server (the pattern of server/sync/workstations.test.ts, made
 * reusable): a server (engine + HTTP on loopback) on a given PostgreSQL database, and workstation cores in
 * joined mode whose network can be cut, or made to lose the answer of one request after the server got it
 * (a dropped connection, a 503 from a proxy in front of a server that did the work).
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { createCore, dataPaths, type Connection, type Core } from '../../core/app';
import { DEMO_PASSWORD } from '../../core/access/auth';
import type { Clock } from '../../core/context';
import { readRecord, SYNC_TABLES } from '../../core/sync/records';
import type { RecordTable, Row } from '../../core/write/records';
import type { MethodOutput } from '../../shared/api/contract';
import type { CallResult } from '../../shared/api/transport';
import { buildServer } from '../app';
import { migrateServer } from '../db/migrate';
import { Engine } from '../engine/engine';
import { createLogger } from '../log';
import { syncRoutes } from '../sync/routes';
import { Sessions } from '../sync/sessions';

export interface TestServer {
  pool: pg.Pool;
  engine: Engine;
  app: FastifyInstance;
  address: string;
  close(): Promise<void>;
}

/** Engine and HTTP on loopback over the database at `url` (migrated here), replica at `replicaPath`. */
export async function startTestServer(opts: { url: string; replicaPath: string; clock?: Clock; port?: number }): Promise<TestServer> {
  const pool = new pg.Pool({ connectionString: opts.url, max: 6 });
  pool.on('error', () => undefined);
  await migrateServer(pool);
  const engine = await Engine.open({ pool, replicaPath: opts.replicaPath, clock: opts.clock });
  const sessions = new Sessions();
  const app = await buildServer({ pool, logger: createLogger('silent'), routes: syncRoutes({ engine, sessions, signInPerMinute: 10_000 }) });
  // Open event streams would keep the close waiting: they end before the server stops listening (Fastify
  // runs onClose hooks only after its server closed, which waits for every open connection).
  app.addHook('preClose', async () => sessions.closeAll());
  const address = await app.listen({ port: opts.port ?? 0, host: '127.0.0.1' });
  return {
    pool,
    engine,
    app,
    address,
    async close() {
      await app.close();
      engine.close();
      await pool.end();
    },
  };
}

/**
 * What the workstation's network does. `down`: nothing reaches the server. A one-shot `fault` on a path
 * lets the request reach the server and the server do its work, then loses the answer: `drop` throws as a
 * cut connection would, `503` answers as a proxy whose upstream went away would.
 */
export interface Network {
  down: boolean;
  fault: { path: string; kind: 'drop' | '503' } | null;
  /** Requests whose answer a fault swallowed (the server had them). */
  swallowed: string[];
}

export interface Workstation {
  name: string;
  username: string;
  dbPath: string;
  core: Core;
  conn: Connection;
  net: Network;
}

export function cuttableFetch(net: Network, base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    if (net.down) throw new TypeError('fetch failed: network is down');
    const url = new URL(input instanceof Request ? input.url : String(input));
    const f = net.fault;
    if (f && url.pathname === f.path) {
      net.fault = null;
      const res = await base(input, init);
      // The whole answer came back to the last hop; the workstation never sees it.
      await res.arrayBuffer();
      net.swallowed.push(url.pathname);
      if (f.kind === 'drop') throw new TypeError('fetch failed: other side closed');
      return new Response(JSON.stringify({ error: { code: 'bad_gateway', message: 'upstream went away' } }), { status: 503, headers: { 'content-type': 'application/json' } });
    }
    return base(input, init);
  };
}

export const data = <T>(r: CallResult): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.data as T;
};

/** A joined workstation core in `dir` that signs in as `username` (its first pull fills the cache). */
export async function openWorkstation(opts: { dir: string; name: string; server: string; username: string; clock?: Clock; pageSize?: number; net?: Network; fetch?: typeof fetch }): Promise<Workstation> {
  const net: Network = opts.net ?? { down: false, fault: null, swallowed: [] };
  const { dbPath } = dataPaths(opts.dir);
  const core = createCore({
    dbPath,
    clock: opts.clock,
    workstation: opts.name,
    auditAnchorPath: null,
    auditPendingPath: null,
    sync: { server: opts.server, fetch: cuttableFetch(net, opts.fetch), pageSize: opts.pageSize },
  });
  try {
    const conn = core.connect(opts.name);
    const r = await conn.callAsync('auth.signIn', { username: opts.username, password: DEMO_PASSWORD });
    if (!r.ok) throw new Error(`sign-in of ${opts.username} on ${opts.name}: ${JSON.stringify(r.error)}`);
    if ((r.data as { state: string }).state !== 'signed_in') throw new Error(`${opts.username} is ${(r.data as { state: string }).state} after sign-in`);
    return { name: opts.name, username: opts.username, dbPath, core, conn, net };
  } catch (e) {
    core.sync?.close();
    core.close();
    throw e;
  }
}

export async function closeWorkstation(w: Workstation): Promise<void> {
  w.core.sync?.close();
  await w.core.sync?.idle();
  w.core.close();
}

export const syncStatus = (w: Workstation) => data<MethodOutput<'sync.status'>>(w.conn.call('sync.status', {}));

export async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Brings the workstation up to date: network up, push and pull until nothing is pending and its cursor is
 * the server's head (several rounds: a push answered with a conflict fetches theirs, a later head arrives).
 */
export async function settle(w: Workstation, server: { head(): Promise<number> }): Promise<void> {
  w.net.down = false;
  w.net.fault = null;
  const sync = w.core.sync!;
  for (let round = 0; round < 50; round++) {
    await sync.idle();
    await sync.syncNow().catch(() => undefined);
    // A loop started meanwhile (the event stream's nudge) is part of this round.
    await sync.idle();
    const head = await server.head();
    const cursor = Number((w.core.ctx.sqlite.prepare(`SELECT value FROM app_meta WHERE key = 'sync.cursor'`).pluck().get() as string | undefined) ?? 0);
    if (syncStatus(w).pending === 0 && cursor === head) return;
  }
  throw new Error(`${w.name} did not settle: ${JSON.stringify(syncStatus(w))}`);
}

/** The person form of `person.update` from the card as the workstation holds it. */
export function personForm(conn: Connection, id: string) {
  const c = data<MethodOutput<'person.get'>>(conn.call('person.get', { id }));
  return {
    id,
    version: c.version,
    person: {
      identityNumber: c.identity?.display ?? null,
      birthDate: c.birthDate,
      sex: c.sex,
      givenName: c.givenName,
      middleName: c.middleName,
      familyName: c.familyName,
      preferredName: c.preferredName,
      status: c.status,
      nationality: c.nationality,
      motherTongue: c.motherTongue,
      maalform: c.maalform,
      protection: c.protection,
    },
  };
}

/**
 * The user's projection as a fresh cache would receive it: a snapshot from cursor 0 under a new subscriber,
 * for the user of `conn` (a server-side session: signInOn). Sign that session in before the workstations
 * settle: a sign-in writes the account's counters, which the caches must have pulled to compare equal.
 */
export async function serverProjection(engine: Engine, conn: Connection): Promise<Map<string, Row>> {
  const subscriber = `projection:${conn.session.account?.username ?? 'x'}:${Math.random().toString(36).slice(2)}`;
  const out = new Map<string, Row>();
  let cursor = 0;
  for (;;) {
    const page = await engine.feed(conn, { subscriber, cursor, limit: 20_000 });
    if ('error' in page) throw new Error(JSON.stringify(page.error));
    if (page.reset) throw new Error(`a snapshot from 0 was answered with reset: ${page.reason}`);
    for (const r of page.records) out.set(`${r.entity}|${r.id}`, r.entity === 'user_account' ? { ...r.data, password_hash: '!held-by-server' } : r.data);
    for (const r of page.removals) out.delete(`${r.entity}|${r.id}`);
    cursor = page.cursor;
    if (!page.more) break;
  }
  return out;
}

/** Every row of the projected tables in a workstation's cache, keyed like serverProjection. */
export function cacheRows(w: Workstation): Map<string, Row> {
  const s = w.core.ctx.sqlite;
  const out = new Map<string, Row>();
  for (const t of SYNC_TABLES) {
    for (const id of s.prepare(`SELECT id FROM ${t}`).pluck().all() as string[]) out.set(`${t}|${id}`, readRecord(s, t as RecordTable, id)!);
  }
  return out;
}

/** The differences between a cache and a projection (empty when they agree), at most `max` described. */
export function projectionDiff(cache: Map<string, Row>, projection: Map<string, Row>, max = 10): string[] {
  const out: string[] = [];
  for (const [k, v] of projection) {
    const mine = cache.get(k);
    if (!mine) out.push(`missing in cache: ${k}`);
    // Columns the projection withholds (an account's secrets) are not sent: the cache keeps its defaults.
    else if (JSON.stringify(sorted(pick(mine, v))) !== JSON.stringify(sorted(v))) out.push(`differs: ${k}: cache ${JSON.stringify(sorted(pick(mine, v)))} server ${JSON.stringify(sorted(v))}`);
    if (out.length >= max) return out;
  }
  for (const k of cache.keys()) {
    if (!projection.has(k)) out.push(`only in cache: ${k}`);
    if (out.length >= max) return out;
  }
  return out;
}

function pick(r: Row, like: Row): Row {
  return Object.fromEntries(Object.keys(like).map((k) => [k, r[k]]));
}

function sorted(r: Row): Row {
  return Object.fromEntries(Object.keys(r).sort().map((k) => [k, r[k]]));
}

export const workstationDir = (scratch: string, name: string) => join(scratch, name);
