/**
 * Two workstations against one server, all real: PostgreSQL, the server over HTTP on loopback, and two
 * workstation cores in joined mode with their own SQLite caches. A save on one reaches the other; two
 * offline edits of the same person give one conflict, kept beside the server's version, and nothing is
 * lost or overwritten.
 */
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, dataPaths, type Connection, type Core } from '../../core/app';
import { fixedClock } from '../../core/context';
import { DEMO_PASSWORD } from '../../core/access/auth';
import { writeDemoPopulationFiles, type PopulationFiles } from '../../core/demo/population-files';
import type { CallResult } from '../../shared/api/transport';
import type { MethodOutput } from '../../shared/api/contract';
import { buildServer } from '../app';
import { migrateServer } from '../db/migrate';
import { createLogger } from '../log';
import { Engine } from '../engine/engine';
import { Projection, type Visibility } from '../engine/projection';
import { startTestPostgres, type TestPostgres } from '../testing/pg';
import { personForm } from '../testing/workstation';
import { syncRoutes } from './routes';

const TODAY = '2026-11-23';
const clock = fixedClock(TODAY);
let cluster: TestPostgres;
let scratch: string;
let pool: pg.Pool;
let engine: Engine;
let app: FastifyInstance;
let address: string;

/** A workstation whose network can be cut. */
interface Workstation {
  core: Core;
  conn: Connection;
  offline: boolean;
}
const stations: Workstation[] = [];

beforeAll(async () => {
  cluster = await startTestPostgres();
  scratch = mkdtempSync(join(tmpdir(), 'kansli-ws-'));
  const { dbPath } = dataPaths(join(scratch, 'standalone'));
  const standalone = createCore({ dbPath, clock, seed: { country: 'SE', persons: 300, seed: 9, today: TODAY, deterministicIds: true }, auditAnchorPath: null, auditPendingPath: null });
  // Its audit log holds a few entries, which move into the server with the register.
  expect(standalone.call('person.list', {}).ok).toBe(true);
  expect(standalone.call('org.tree', {}).ok).toBe(true);
  standalone.close();
  pool = new pg.Pool({ connectionString: await cluster.database('ws'), max: 6 });
  pool.on('error', () => undefined);
  await migrateServer(pool);
  engine = await Engine.open({ pool, replicaPath: join(scratch, 'replica.sqlite'), clock });
  await engine.importStandalone(dbPath);
  app = await buildServer({ pool, logger: createLogger('silent'), routes: syncRoutes({ engine, signInPerMinute: 100 }) });
  address = await app.listen({ port: 0, host: '127.0.0.1' });
}, 120_000);
afterAll(async () => {
  for (const w of stations) {
    w.core.sync?.close();
    await w.core.sync?.idle();
    w.core.close();
  }
  await app?.close();
  engine?.close();
  await pool?.end();
  await cluster?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

async function workstation(name: string, username: string, server = address): Promise<Workstation> {
  const w = { offline: false } as Workstation;
  const dir = join(scratch, name);
  const { dbPath } = dataPaths(dir);
  const guarded: typeof fetch = (input, init) => (w.offline ? Promise.reject(new TypeError('fetch failed: network is down')) : fetch(input, init));
  w.core = createCore({ dbPath, clock, workstation: name, auditAnchorPath: null, auditPendingPath: null, sync: { server, fetch: guarded, auditSeconds: 1 } });
  stations.push(w);
  w.conn = w.core.connect(name);
  const r = await w.conn.callAsync('auth.signIn', { username, password: DEMO_PASSWORD });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  expect((r.data as { state: string }).state).toBe('signed_in');
  return w;
}

const data = <T>(r: CallResult): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.data as T;
};

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}


const status = (w: Workstation) => data<MethodOutput<'sync.status'>>(w.conn.call('sync.status', {}));

describe('two workstations and one server', () => {
  let a: Workstation;
  let b: Workstation;
  let child: string;

  it('a first sign-in fills each cache with its user\'s projection', async () => {
    a = await workstation('ws-a', 'clerk.all');
    b = await workstation('ws-b', 'protected');
    const count = (w: Workstation) => (w.core.ctx.sqlite.prepare('SELECT count(*) AS n FROM person').get() as { n: number }).n;
    expect(count(a)).toBe((engine.core.ctx.sqlite.prepare('SELECT count(*) AS n FROM person').get() as { n: number }).n);
    expect(count(b)).toBe(count(a));
    // The clerk without the reveal grant holds no protected person's address.
    const leaked = a.core.ctx.sqlite.prepare(`SELECT count(*) AS n FROM person_address a JOIN person p ON p.id = a.person_id WHERE p.protection <> 'none'`).get() as { n: number };
    expect(leaked.n).toBe(0);
    expect(status(a)).toMatchObject({ mode: 'joined', online: true, pending: 0, conflicts: 0 });
    child = a.core.ctx.sqlite
      .prepare(
        `SELECT id FROM person WHERE protection = 'none' AND shielded = 0 AND is_child = 1
         AND coalesce(mother_tongue, '') <> 'fi' AND coalesce(nationality, '') NOT IN ('FI', 'NO') ORDER BY id LIMIT 1`,
      )
      .pluck()
      .get() as string;
  });

  it('a save on A reaches the server and B', async () => {
    const f = personForm(a.conn, child);
    const r = await a.conn.callAsync('person.update', { ...f, person: { ...f.person, motherTongue: 'fi' } });
    expect(r.ok).toBe(true);
    // The write and its outbox entry committed together.
    expect(a.core.ctx.sqlite.prepare(`SELECT method, base FROM sync_outbox`).all()).toEqual([{ method: 'person.update', base: expect.stringContaining(`"person:${child}"`) }]);
    // Read locally at once, pushed in the background.
    expect(personForm(a.conn, child).person.motherTongue).toBe('fi');
    await until('A pushed', () => status(a).pending === 0);
    await until('B sees it', () => personForm(b.conn, child).person.motherTongue === 'fi');
    expect((engine.core.ctx.sqlite.prepare('SELECT mother_tongue FROM person WHERE id = ?').get(child) as { mother_tongue: string }).mother_tongue).toBe('fi');
  });

  it("B's card history holds A's save through the server; offline, B's own changes only, said so", async () => {
    const card = data<MethodOutput<'person.get'>>(await b.conn.callAsync('person.get', { id: child }));
    // The cache's change log has only B's own changes: the card says so, and the server has the register's.
    expect(card.historyScope).toBe('workstation');
    expect(card.history).toEqual([]);
    const central = data<MethodOutput<'person.history'>>(await b.conn.callAsync('person.history', { id: child }));
    expect(central.scope).toBe('register');
    expect(central.entries[0]).toMatchObject({ actorName: 'Kari Kanslist (demo)', op: 'update', fields: ['motherTongue'] });
    expect(central.entries).toEqual(data<MethodOutput<'person.history'>>(engine.core.call('person.history', { id: child })).entries);
    b.offline = true;
    try {
      expect(data(await b.conn.callAsync('person.history', { id: child }))).toEqual({ entries: [], scope: 'workstation' });
    } finally {
      b.offline = false;
    }
  });

  it('both edit the same child offline: one conflict, shown beside the server\'s version; nothing is lost', async () => {
    a.offline = true;
    b.offline = true;
    const fa = personForm(a.conn, child);
    const fb = personForm(b.conn, child);
    expect((await a.conn.callAsync('person.update', { ...fa, person: { ...fa.person, nationality: 'FI' } })).ok).toBe(true);
    expect((await b.conn.callAsync('person.update', { ...fb, person: { ...fb.person, nationality: 'NO' } })).ok).toBe(true);
    await until('A knows it is offline', () => status(a).pending === 1 && !status(a).online);
    // B comes back first: its edit is applied.
    b.offline = false;
    b.core.sync!.kick();
    await until('B pushed', () => status(b).pending === 0 && status(b).online);
    a.offline = false;
    a.core.sync!.kick();
    await until('A answered', () => status(a).pending === 0 && status(a).conflicts === 1);
    // A's cache shows the server's (B's) value, and A's own edit is kept as a conflict copy.
    expect(personForm(a.conn, child).person.nationality).toBe('NO');
    const changes = data<MethodOutput<'sync.changes'>>(a.conn.call('sync.changes', {}));
    expect(changes.items).toHaveLength(1);
    expect(changes.items[0]).toMatchObject({ method: 'person.update', state: 'conflict', persons: [expect.objectContaining({ id: child })] });
    const c = data<MethodOutput<'sync.conflict'>>(a.conn.call('sync.conflict', { mutationId: changes.items[0]!.mutationId }));
    expect(c.fields).toContainEqual({ entity: 'person', id: child, field: 'nationality', base: fa.person.nationality, theirs: 'NO', mine: 'FI' });
    // The server holds B's edit; A's was not applied over it.
    expect((engine.core.ctx.sqlite.prepare('SELECT nationality FROM person WHERE id = ?').get(child) as { nationality: string }).nationality).toBe('NO');
    // The clerk keeps mine for the nationality: a new edit on the current base, then the copy is closed.
    const now = personForm(a.conn, child);
    const redo = await a.conn.callAsync('person.update', { ...now, person: { ...now.person, nationality: 'FI' } });
    expect(redo.ok).toBe(true);
    expect(a.conn.call('sync.resolve', { mutationId: changes.items[0]!.mutationId, action: 'replaced', replacedBy: changes.items[0]!.mutationId }).ok).toBe(true);
    await until('the resolution reached B', () => personForm(b.conn, child).person.nationality === 'FI');
    expect(status(a)).toMatchObject({ pending: 0, conflicts: 0 });
  });

  it('a locked session unlocks offline with the verifier the online sign-in left', async () => {
    a.offline = true;
    expect(data<{ state: string }>(a.conn.call('auth.lock', {})).state).toBe('locked');
    expect(await a.conn.callAsync('auth.unlock', { password: 'not the password at all' })).toMatchObject({ ok: false, error: { code: 'auth_failed' } });
    expect(data<{ state: string }>(await a.conn.callAsync('auth.unlock', { password: DEMO_PASSWORD })).state).toBe('signed_in');
    // A first sign-in on a workstation needs the server.
    const c = a.core.connect('ws-a2');
    expect(await c.callAsync('auth.signIn', { username: 'clerk.all', password: DEMO_PASSWORD })).toMatchObject({ ok: false, error: { code: 'offline' } });
    a.offline = false;
  });

  it('a cache taken again from the start keeps its clerk signed in while the account is not back yet', async () => {
    const s = a.core.ctx.sqlite;
    const me = a.conn.session.account!.id;
    const rebuilding = () => s.prepare(`SELECT value FROM app_meta WHERE key = 'sync.rebuilding'`).pluck().get() ?? null;
    const persons = () => s.prepare('SELECT count(*) FROM person').pluck().get() as number;
    const before = persons();
    // The server cannot place the cursor (as after a restore): the next pull wipes the cache and takes it again.
    s.prepare(`UPDATE app_meta SET value = '99999999' WHERE key = 'sync.cursor'`).run();
    a.core.sync!.kick();
    await until('taken again', async () => {
      await a.core.sync!.idle();
      return rebuilding() === null && persons() === before;
    });
    expect(a.conn.session.state).toBe('signed_in');
    expect(a.conn.call('person.get', { id: child }).ok).toBe(true);
    // The moment between the wipe and the page with the user's own account: a call keeps the session.
    s.transaction(() => {
      s.prepare(`INSERT INTO app_meta (key, value) VALUES ('sync.rebuilding', '1') ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run();
      s.prepare('DELETE FROM role_assignment WHERE user_id = ?').run(me);
      s.prepare('DELETE FROM user_account WHERE id = ?').run(me);
    })();
    expect(a.conn.call('sync.status', {}).ok).toBe(true);
    expect(a.conn.session.state).toBe('signed_in');
    // Taken again to the end: the account is back and the mark gone.
    s.prepare(`UPDATE app_meta SET value = '99999999' WHERE key = 'sync.cursor'`).run();
    a.core.sync!.kick();
    await until('taken again', async () => {
      await a.core.sync!.idle();
      return rebuilding() === null && s.prepare('SELECT 1 FROM user_account WHERE id = ?').get(me) !== undefined;
    });
    expect(a.conn.call('person.get', { id: child }).ok).toBe(true);
    expect(a.conn.session.state).toBe('signed_in');
  });
});

describe('kansli server join', () => {
  it('refuses a bad or silent address, keeps a standalone register aside only when asked, and leaves an encrypted cache that signs in', async () => {
    const { joinServer, JoinError, isPlainDatabase, databaseKey } = await import('../../core/sync/join');
    const { FileKeyStore } = await import('../../core/keys/keystore');
    const { openDatabase } = await import('../../db/open');
    const { existsSync } = await import('node:fs');
    const dir = join(scratch, 'joining');
    const { dbPath } = dataPaths(dir);
    const keyStore = new FileKeyStore(join(dir, 'keys'));
    const problem = (p: Promise<unknown>) => p.then(() => 'joined', (e: unknown) => (e instanceof JoinError ? e.problem : String(e)));

    expect(await problem(joinServer({ dbPath, server: 'ftp://example.invalid', keyStore }))).toBe('bad_url');
    // A closed port on loopback: nothing answers.
    expect(await problem(joinServer({ dbPath, server: 'http://127.0.0.1:9', keyStore }))).toBe('unreachable');

    // A standalone register on the workstation is not emptied silently.
    createCore({ dbPath, clock, seed: { country: 'SE', persons: 20, seed: 3, today: TODAY, deterministicIds: true }, auditAnchorPath: null, auditPendingPath: null }).close();
    expect(await problem(joinServer({ dbPath, server: address, keyStore }))).toBe('has_register');
    expect(isPlainDatabase(dbPath)).toBe(true);
    const r = await joinServer({ dbPath, server: address, keyStore, replaceLocal: true, now: () => new Date('2026-12-04T10:00:00Z') });
    expect(r.server).toBe(new URL(address).origin);
    expect(r.keptAside && existsSync(r.keptAside)).toBe(true);
    expect(isPlainDatabase(r.keptAside!)).toBe(true);
    // The cache is encrypted from its first page and does not open without the keystore's key.
    expect(isPlainDatabase(dbPath)).toBe(false);
    expect(() => openDatabase(dbPath, { backup: false }).close()).toThrow();
    expect(await problem(joinServer({ dbPath, server: address, keyStore }))).toBe('already_joined');

    // The joined workstation signs in against the server and fills its cache.
    const key = databaseKey(dbPath, keyStore).key;
    expect(key).toBeInstanceOf(Buffer);
    const core = createCore({ dbPath, clock, dbKey: key, keyStore, auditAnchorPath: null, auditPendingPath: null });
    try {
      const conn = core.connect('joining');
      expect(data<{ state: string }>(await conn.callAsync('auth.signIn', { username: 'clerk.all', password: DEMO_PASSWORD })).state).toBe('signed_in');
      expect(data<MethodOutput<'sync.status'>>(conn.call('sync.status', {}))).toMatchObject({ mode: 'joined', online: true });
      expect((core.ctx.sqlite.prepare('SELECT count(*) AS n FROM person').get() as { n: number }).n).toBeGreaterThan(100);
      // No demo account was seeded in the cache: accounts come from the server.
      expect(core.ctx.sqlite.prepare(`SELECT count(*) AS n FROM user_account WHERE password_hash <> '!held-by-server'`).get()).toEqual({ n: 0 });
    } finally {
      core.sync?.close();
      await core.sync?.idle();
      core.close();
    }
  });
});

describe('the central audit', () => {
  it('reads from a cache reach the central chain and the auditor\'s screen; pushed writes are not logged twice', async () => {
    const c = await workstation('ws-c', 'clerk.all');
    const auditor = await workstation('ws-d', 'auditor');
    const person = c.core.ctx.sqlite.prepare(`SELECT id FROM person WHERE protection = 'none' AND shielded = 0 ORDER BY id DESC LIMIT 1`).pluck().get() as string;
    // A read from the cache is logged locally at once.
    expect((await c.conn.callAsync('person.get', { id: person })).ok).toBe(true);
    const f = personForm(c.conn, person);
    expect((await c.conn.callAsync('person.update', { ...f, person: { ...f.person, preferredName: 'Audited' } })).ok).toBe(true);
    c.core.sync!.kick();
    await until('C shipped its log', () => {
      const top = c.core.ctx.sqlite.prepare('SELECT max(seq) FROM audit_log').pluck().get() as number;
      return Number(c.core.ctx.sqlite.prepare(`SELECT value FROM app_meta WHERE key = 'sync.audit_shipped'`).pluck().get() ?? 0) === top && status(c).pending === 0;
    });
    const central = (await pool.query<{ method: string; workstation: string; details: Record<string, unknown>; actor_name: string; person_ids: string[] }>(
      `SELECT method, workstation, details, actor_name, person_ids FROM audit_entry WHERE person_ids ? $1 ORDER BY seq`,
      [person],
    )).rows;
    const wsId = 'ws-c';
    expect(central).toContainEqual(expect.objectContaining({ method: 'person.get', actor_name: 'Kari Kanslist (demo)', details: expect.objectContaining({ shipped: expect.objectContaining({ workstation: wsId }) }) }));
    // The update is in the central chain once: the server's own run, not the workstation's copy.
    expect(central.filter((e) => e.method === 'person.update').map((e) => 'shipped' in e.details)).toEqual([false]);
    // The replica's chain is the central one: the same entries, the same hashes. (The replica's top is read
    // first: PostgreSQL commits before the replica, so it holds that entry; the other workstations' audit
    // timers may append after it meanwhile.)
    const replicaTop = engine.core.ctx.sqlite.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
    expect((await pool.query('SELECT seq::int AS seq, hash FROM audit_entry WHERE seq = $1', [replicaTop.seq])).rows[0]).toEqual(replicaTop);
    const replicaChain = engine.core.ctx.sqlite.prepare('SELECT seq, hash FROM audit_log WHERE seq <= ? ORDER BY seq').all(replicaTop.seq);
    expect((await pool.query('SELECT seq::int AS seq, hash FROM audit_entry WHERE seq <= $1 ORDER BY seq', [replicaTop.seq])).rows).toEqual(replicaChain);

    // The auditor on another workstation reads the central log, with C's read in it.
    const q = data<MethodOutput<'audit.query'>>(await auditor.conn.callAsync('audit.query', { person, limit: 100 }));
    expect(q.items.map((i) => i.method)).toEqual(expect.arrayContaining(['person.get', 'person.update']));
    expect(q.items.find((i) => i.method === 'person.get')).toMatchObject({ actorName: 'Kari Kanslist (demo)' });
    // The auditor's own local log does not hold C's reads: the answer came from the server.
    expect(auditor.core.ctx.sqlite.prepare(`SELECT count(*) FROM audit_log WHERE person_ids LIKE ?`).pluck().get(`%${person}%`)).toBe(0);
    const v = data<MethodOutput<'audit.verify'>>(await auditor.conn.callAsync('audit.verify', {}));
    expect(v).toMatchObject({ ok: true, firstBroken: null });
  });

  it('a read alone, with nothing written, reaches the central log on the timer', async () => {
    const c = stations.find((s) => s.conn.session.workstation === 'ws-c')!;
    const person = c.core.ctx.sqlite.prepare(`SELECT id FROM person WHERE protection = 'none' AND shielded = 0 ORDER BY id LIMIT 1 OFFSET 3`).pluck().get() as string;
    const before = Number((await pool.query(`SELECT count(*) AS n FROM audit_entry WHERE method = 'person.get' AND person_ids ? $1 AND details->'shipped'->>'workstation' = 'ws-c'`, [person])).rows[0]!.n);
    expect((await c.conn.callAsync('person.get', { id: person })).ok).toBe(true);
    await until('the timer shipped the read', async () => Number((await pool.query(`SELECT count(*) AS n FROM audit_entry WHERE method = 'person.get' AND person_ids ? $1 AND details->'shipped'->>'workstation' = 'ws-c'`, [person])).rows[0]!.n) === before + 1);
  });

  it('a wiped local log is detected by the server and logged as a break; the entries after it still arrive', async () => {
    const c = stations.find((s) => s.conn.session.workstation === 'ws-c')!;
    const sqlite = c.core.ctx.sqlite;
    const wsId = 'ws-c';
    // Someone with the file (and its key) empties the log and its head, as if it had never held anything.
    sqlite.exec(`DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log; DELETE FROM app_meta WHERE key = 'audit.head'`);
    const person = sqlite.prepare(`SELECT id FROM person WHERE protection = 'none' AND shielded = 0 ORDER BY id LIMIT 1`).pluck().get() as string;
    expect((await c.conn.callAsync('person.get', { id: person })).ok).toBe(true);
    c.core.sync!.kick();
    await until('the break is recorded', async () => Number((await pool.query('SELECT breaks FROM workstation_audit WHERE workstation = $1', [wsId])).rows[0]?.breaks ?? 0) === 1);
    const brk = (await pool.query<{ outcome: string; details: { expected: { seq: number } | null; received: { seq: number } } }>(
      `SELECT outcome, details FROM audit_entry WHERE action = 'audit_break' AND workstation = $1`,
      [wsId],
    )).rows;
    expect(brk).toHaveLength(1);
    expect(brk[0]!.outcome).toBe('restarted');
    expect(brk[0]!.details.received.seq).toBe(1);
    expect(brk[0]!.details.expected!.seq).toBeGreaterThan(1);
    await until('the read after the wipe arrives', async () => Number((await pool.query(`SELECT count(*) AS n FROM audit_entry WHERE method = 'person.get' AND person_ids ? $1 AND details->'shipped'->>'workstation' = $2`, [person, wsId])).rows[0]!.n) >= 1);
  });

  it('the standalone register\'s audit log moved into the server with it, its chain unchanged', async () => {
    const src = new (await import('better-sqlite3')).default(dataPaths(join(scratch, 'standalone')).dbPath, { readonly: true });
    try {
      const local = src.prepare('SELECT seq, hash FROM audit_log ORDER BY seq').all() as { seq: number; hash: string }[];
      expect(local.length).toBeGreaterThan(0);
      const moved = (await pool.query(`SELECT seq::int AS seq, hash FROM audit_entry WHERE origin LIKE 'import:%' ORDER BY seq`)).rows;
      expect(moved).toEqual(local);
    } finally {
      src.close();
    }
  });

  it('a replica rebuilt from PostgreSQL gets the central chain back, hashes and all', async () => {
    const { restoreReplicaAudit } = await import('../engine/audit');
    const { openDatabase } = await import('../../db/open');
    const fresh = openDatabase(join(scratch, 'rebuilt.sqlite'), { backup: false });
    try {
      // In the engine's queue: the workstations' audit timers keep shipping, and a shipment is in
      // PostgreSQL a moment before it is in the replica.
      await engine.exclusive(async () => {
        const n = await restoreReplicaAudit(pool, fresh.sqlite);
        const pgTop = (await pool.query('SELECT count(*)::int AS n, max(seq)::int AS seq FROM audit_entry')).rows[0] as { n: number; seq: number };
        expect(n).toBe(pgTop.n);
        const { verifyAuditChain } = await import('../../core/audit/chain');
        expect(verifyAuditChain(fresh.sqlite)).toMatchObject({ ok: true });
        expect(fresh.sqlite.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck().get(pgTop.seq)).toBe(
          engine.core.ctx.sqlite.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck().get(pgTop.seq),
        );
      });
    } finally {
      fresh.close();
    }
  });
});

describe('a server restart', () => {
  it('locks the open session (the server forgot it); the password opens a new one and sync goes on', async () => {
    const e = await workstation('ws-e', 'clerk.all');
    const events: unknown[] = [];
    e.conn.onEvent((ev) => events.push(ev));
    // An edit made while the server is away, which restarts on the same address: its sessions are gone, the
    // register is not.
    e.offline = true;
    const person = e.core.ctx.sqlite.prepare(`SELECT id FROM person WHERE protection = 'none' AND shielded = 0 ORDER BY id LIMIT 1 OFFSET 7`).pluck().get() as string;
    const f = personForm(e.conn, person);
    expect((await e.conn.callAsync('person.update', { ...f, person: { ...f.person, preferredName: 'Omstart' } })).ok).toBe(true);
    const port = Number(new URL(address).port);
    // (the event streams stay open until their connections are cut, as a process exit would)
    const closing = app.close();
    app.server.closeAllConnections();
    await closing;
    app = await buildServer({ pool, logger: createLogger('silent'), routes: syncRoutes({ engine, signInPerMinute: 100 }) });
    await app.listen({ port, host: '127.0.0.1' });
    e.offline = false;
    e.core.sync!.kick();
    await until('the session locks', () => e.conn.session.state === 'locked');
    expect(events).toContainEqual({ type: 'session', state: 'locked', cause: 'server' });
    // Locked, the clerk sees nothing; the edit waits in the outbox.
    expect(e.core.ctx.sqlite.prepare(`SELECT count(*) FROM sync_outbox WHERE state = 'pending'`).pluck().get()).toBe(1);
    expect(await e.conn.callAsync('auth.unlock', { password: 'not the password at all' })).toMatchObject({ ok: false, error: { code: 'auth_failed' } });
    expect(data<{ state: string }>(await e.conn.callAsync('auth.unlock', { password: DEMO_PASSWORD })).state).toBe('signed_in');
    await until('the edit reached the server', () => status(e).pending === 0);
    expect((engine.core.ctx.sqlite.prepare('SELECT preferred_name FROM person WHERE id = ?').get(person) as { preferred_name: string }).preferred_name).toBe('Omstart');
  });
});

/** A job started from a workstation, to its end: job.get answers it ended once the feed brought its work. */
async function jobEnd(w: Workstation, id: string): Promise<MethodOutput<'job.get'>> {
  let job: MethodOutput<'job.get'> | null = null;
  await until(`job ${id} to end`, async () => {
    job = data<MethodOutput<'job.get'>>(await w.conn.callAsync('job.get', { id }));
    return job.state !== 'queued' && job.state !== 'running';
  }, 60_000);
  return job!;
}

describe('bulk work on a joined workstation', () => {
  it('the rollover runs as a server job: the call answers when it has started, the job\'s end is announced once the cache holds its result', async () => {
    const w = await workstation('ws-r', 'clerk.all');
    const events: { type: string; job?: { id: string; state: string } }[] = [];
    w.conn.onEvent((ev) => events.push(ev as (typeof events)[number]));
    const date = '2027-08-01';
    // The preview is read from the cache; the server's job checks its token against the register it holds.
    const v = data<MethodOutput<'rollover.preview'>>(w.conn.call('rollover.preview', { date }));
    expect(v.totals.promoted).toBeGreaterThan(0);
    const started = data<{ jobId: string }>(await w.conn.callAsync('rollover.commit', { date, token: v.token }));
    const job = await jobEnd(w, started.jobId);
    expect(job).toMatchObject({ id: started.jobId, state: 'succeeded', result: { promoted: v.totals.promoted, leavers: v.totals.leavers, groupsCreated: v.totals.groupsCreated } });
    expect(events).toContainEqual(expect.objectContaining({ type: 'job', job: expect.objectContaining({ id: started.jobId, state: 'succeeded' }) }));
    // The job is listed beside the workstation's own.
    expect(data<MethodOutput<'job.list'>>(await w.conn.callAsync('job.list', { limit: 5 })).items.map((j) => j.id)).toContain(started.jobId);
    // What the job wrote is in the cache when its end is answered; a new preview finds nothing left to move.
    const enrolments = (s: { core: { ctx: { sqlite: import('better-sqlite3').Database } } }) => s.core.ctx.sqlite.prepare('SELECT count(*) FROM enrolment').pluck().get() as number;
    expect(enrolments(w)).toBe(enrolments(engine));
    expect(data<MethodOutput<'rollover.preview'>>(w.conn.call('rollover.preview', { date })).totals.promoted).toBe(0);
    // Another workstation's cache gets it too (E: signed in again after the server restart above).
    const e = stations.find((s) => s.conn.session.workstation === 'ws-e')!;
    expect(e.conn.session.state).toBe('signed_in');
    await until('E has the new enrolments', () => enrolments(e) === enrolments(engine));
  });

  it('a stale preview fails on the server with its reason', async () => {
    const w = stations.find((s) => s.conn.session.workstation === 'ws-r')!;
    const started = data<{ jobId: string }>(await w.conn.callAsync('rollover.commit', { date: '2027-08-01', token: 'r1.' + 'a'.repeat(64) }));
    expect(await jobEnd(w, started.jobId)).toMatchObject({ state: 'failed', error: { code: 'rule_violation' } });
  });
});

describe('population-register imports on a joined workstation', () => {
  let files: PopulationFiles;
  let w: Workstation;
  const upload = async (on: Workstation, path: string) =>
    (await on.core.services.files.receive({ kind: 'navet', ownerId: on.conn.session.actor!.id, name: path.split('/').pop()!, source: createReadStream(path) })).id;
  const runAt = async (on: Workstation, id: string) => data<MethodOutput<'import.get'>>(await on.conn.callAsync('import.get', { id }));

  beforeAll(async () => {
    // The server's register, as population files: a full extract and a delta after it (synthetic).
    files = writeDemoPopulationFiles(engine.core.ctx.sqlite, { outDir: join(scratch, 'population'), today: TODAY, seed: 3 });
    w = stations.find((s) => s.conn.session.workstation === 'ws-r')!;
  });

  it('a full file and a delta: uploaded to the server, read and applied there as jobs, their results in every cache', async () => {
    const progress: { state: string; phase: string }[] = [];
    w.conn.onEvent((ev) => {
      if (ev.type === 'job') progress.push({ state: ev.job.state, phase: ev.job.phase });
    });
    const localFull = await upload(w, files.full);
    const full = data<{ jobId: string; runId: string }>(await w.conn.callAsync('import.start', { fileId: localFull, format: 'navet' }));
    const fullRead = await jobEnd(w, full.jobId);
    expect(fullRead, JSON.stringify(fullRead.error)).toMatchObject({ state: 'succeeded' });
    // The file went on to the server; the workstation keeps no copy.
    expect(() => w.core.services.files.get(localFull, w.conn.session.actor!.id)).toThrow();
    // The run is the server's: answered there (the cache has no import runs).
    expect(w.core.ctx.sqlite.prepare('SELECT count(*) FROM import_run').pluck().get()).toBe(0);
    expect(await runAt(w, full.runId)).toMatchObject({ id: full.runId, state: 'ready', kind: 'full' });
    const applyFull = data<{ jobId: string }>(await w.conn.callAsync('import.apply', { id: full.runId }));
    expect(await jobEnd(w, applyFull.jobId)).toMatchObject({ state: 'succeeded' });
    expect(await runAt(w, full.runId)).toMatchObject({ state: 'applied' });

    const delta = data<{ jobId: string; runId: string }>(await w.conn.callAsync('import.start', { fileId: await upload(w, files.delta), format: 'navet' }));
    expect(await jobEnd(w, delta.jobId)).toMatchObject({ state: 'succeeded' });
    const ready = await runAt(w, delta.runId);
    expect(ready).toMatchObject({ state: 'ready', kind: 'delta', blocked: null });
    const changes = data<MethodOutput<'import.changes'>>(await w.conn.callAsync('import.changes', { id: delta.runId, offset: 0, limit: 500 }));
    expect(changes.total).toBeGreaterThan(0);
    const applyDelta = data<{ jobId: string }>(await w.conn.callAsync('import.apply', { id: delta.runId }));
    expect(await jobEnd(w, applyDelta.jobId)).toMatchObject({ state: 'succeeded' });
    // Progress came step by step (the event stream), not only the end.
    expect(progress.some((p) => p.state === 'running')).toBe(true);
    // Every cache holds what the delta wrote: the names, addresses and persons of the server's register.
    const persons = (s: { core: { ctx: { sqlite: import('better-sqlite3').Database } } }) =>
      s.core.ctx.sqlite.prepare(`SELECT count(*) FROM person_name`).pluck().get() as number;
    expect(persons(w)).toBe(persons(engine));
    const e = stations.find((s) => s.conn.session.workstation === 'ws-e')!;
    await until('E has the delta', () => persons(e) === persons(engine));
    const pgNames = Number((await pool.query(`SELECT count(*) AS n FROM record WHERE entity = 'person_name' AND data IS NOT NULL`)).rows[0].n);
    expect(pgNames).toBe(persons(engine));
    // The runs' bookkeeping is in PostgreSQL with the work (a rebuilt replica still refuses the delta again).
    const kept = (await pool.query<{ id: string; data: { state: string } }>(`SELECT id, data FROM replica_row WHERE tbl = 'import_run'`)).rows;
    expect(kept.find((r) => r.id === delta.runId)?.data.state).toBe('applied');
    expect(Number((await pool.query(`SELECT count(*) AS n FROM replica_row WHERE tbl = 'import_stream'`)).rows[0].n)).toBe(1);

    // The same delta again: read on the server and refused there as already applied.
    const again = data<{ jobId: string; runId: string }>(await w.conn.callAsync('import.start', { fileId: await upload(w, files.delta), format: 'navet' }));
    await jobEnd(w, again.jobId);
    expect(await runAt(w, again.runId)).toMatchObject({ state: 'ready', blocked: { code: 'already_applied' } });
    expect(data<MethodOutput<'import.list'>>(await w.conn.callAsync('import.list', { offset: 0, limit: 10 })).items.map((r) => r.id)).toEqual(
      expect.arrayContaining([full.runId, delta.runId, again.runId]),
    );
    // Its problem list comes back as the user's own export on the workstation.
    const exported = data<MethodOutput<'import.problemsExport'>>(await w.conn.callAsync('import.problemsExport', { id: again.runId, lang: 'sv' }));
    const { file, stream } = w.core.services.files.read(exported.file.fileId, w.conn.session.actor!.id);
    stream.destroy();
    expect(file).toMatchObject({ purpose: 'export', mime: expect.stringMatching(/^text\/csv/) });
    expect(data<MethodOutput<'import.discard'>>(await w.conn.callAsync('import.discard', { id: again.runId }))).toMatchObject({ state: 'discarded' });
  });

  it('the server checks the permission: a unit clerk may not import, whatever the workstation says', async () => {
    const c = await workstation('ws-i', 'clerk');
    const r = await c.conn.callAsync('import.start', { fileId: await upload(c, files.delta), format: 'navet' });
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await c.conn.callAsync('import.list', { offset: 0, limit: 10 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('a rebuilt replica gets the imports\' bookkeeping back from PostgreSQL', async () => {
    const other = await Engine.open({ pool, replicaPath: join(scratch, 'replica-rebuilt.sqlite'), clock });
    try {
      const q = (sql: string) => other.core.ctx.sqlite.prepare(sql).pluck().get() as number;
      expect(q(`SELECT count(*) FROM import_run`)).toBe(engine.core.ctx.sqlite.prepare('SELECT count(*) FROM import_run').pluck().get());
      expect(q(`SELECT count(*) FROM import_stream`)).toBe(1);
      expect(q(`SELECT count(*) FROM import_run WHERE state IN ('reading', 'applying')`)).toBe(0);
    } finally {
      other.close();
    }
  });
});

describe('the fee run on a joined workstation', () => {
  it('preview and lock run on the server; the views are answered there; the locked run reaches fee administrators\' caches and no one else\'s', async () => {
    const f = await workstation('ws-fee', 'fee');
    const clerk = stations.find((s) => s.conn.session.workstation === 'ws-r')!;
    const started = data<{ jobId: string; runId: string }>(await f.conn.callAsync('fee.runStart', { month: '2026-12' }));
    expect(await jobEnd(f, started.jobId)).toMatchObject({ state: 'succeeded' });
    // The preview lives on the server: the workstation's cache has no working rows, the views come from there.
    expect(f.core.ctx.sqlite.prepare('SELECT count(*) FROM fee_preview').pluck().get()).toBe(0);
    const run = data<MethodOutput<'fee.runGet'>>(await f.conn.callAsync('fee.runGet', { id: started.runId }));
    expect(run).toMatchObject({ state: 'ready', month: '2026-12' });
    expect(run.lineCount).toBeGreaterThan(0);
    const lines = data<MethodOutput<'fee.runLines'>>(await f.conn.callAsync('fee.runLines', { id: started.runId, limit: 500 }));
    expect(lines.total).toBe(run.lineCount);
    expect(lines.items[0]!.explanation!.householdId).toBe(lines.items[0]!.householdId);
    // The lock is a server job; its records come back through the feed.
    const lock = data<{ jobId: string }>(await f.conn.callAsync('fee.runLock', { id: started.runId }));
    expect(await jobEnd(f, lock.jobId)).toMatchObject({ state: 'succeeded' });
    const count = (w: { core: { ctx: { sqlite: import('better-sqlite3').Database } } }, t: string) => w.core.ctx.sqlite.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
    expect(count(f, 'fee_line')).toBe(run.lineCount);
    expect(count(engine, 'fee_line')).toBe(run.lineCount);
    // In PostgreSQL too, as records of their own aggregate.
    expect(Number((await pool.query(`SELECT count(*) FROM record WHERE entity = 'fee_line'`)).rows[0].count)).toBe(run.lineCount);
    // A clerk's cache holds no fee run (the projection), and the server refuses the clerk's view calls.
    await clerk.conn.callAsync('sync.status', {});
    expect(count(clerk, 'fee_line') + count(clerk, 'fee_run')).toBe(0);
    expect(await clerk.conn.callAsync('fee.runGet', { id: started.runId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Posting is an ordinary change made on the workstation and pushed; the export is written from the cache.
    expect(data<MethodOutput<'fee.runPost'>>(await f.conn.callAsync('fee.runPost', { id: started.runId })).state).toBe('posted');
    await until('the server has the posted run', () => engine.core.ctx.sqlite.prepare('SELECT state FROM fee_run WHERE id = ?').pluck().get(started.runId) === 'posted');
    const e = data<MethodOutput<'fee.runExport'>>(await f.conn.callAsync('fee.runExport', { id: started.runId, format: 'payment' }));
    expect(e.total).toBe(run.total);

    // A yearly income check made on the workstation is pushed like an income (its household's income
    // aggregate) and reaches no clerk's cache.
    const household = lines.items[0]!.householdId;
    const check = data<MethodOutput<'income.check'>>(await f.conn.callAsync('income.check', { householdId: household, year: 2025, taxedIncome: 60_000_000 }));
    expect(check.outcome).toBe('not_declared');
    // Waited for in PostgreSQL: the replica's connection sees the applied change before the commit does.
    await until('the server has the check', async () => Number((await pool.query(`SELECT count(*) FROM record WHERE entity = 'income_check' AND id = $1`, [check.id])).rows[0].count) === 1);
    expect(engine.core.ctx.sqlite.prepare('SELECT outcome FROM income_check WHERE id = ?').pluck().get(check.id)).toBe('not_declared');
    const head = await engine.head();
    clerk.core.sync!.kick();
    await until('the clerk caught up', () => Number(clerk.core.ctx.sqlite.prepare(`SELECT value FROM app_meta WHERE key = 'sync.cursor'`).pluck().get() ?? 0) >= head);
    expect(count(clerk, 'income_check')).toBe(0);
    expect(count(f, 'income_check')).toBe(1);
  });
});

describe('Norwegian fee reductions on a joined workstation', () => {
  it('a reduction added on a fee administrator\'s workstation reaches the server as a record of the child\'s reduction aggregate and no clerk\'s cache', async () => {
    // A Norwegian register of its own (reductions are refused in a Swedish one), on the same cluster.
    const dir = join(scratch, 'no');
    const { dbPath: noPath } = dataPaths(join(dir, 'standalone'));
    createCore({ dbPath: noPath, clock, seed: { country: 'NO', persons: 150, seed: 4, today: TODAY, deterministicIds: true }, auditAnchorPath: null, auditPendingPath: null }).close();
    const noPool = new pg.Pool({ connectionString: await cluster.database('wsno'), max: 4 });
    noPool.on('error', () => undefined);
    await migrateServer(noPool);
    const noEngine = await Engine.open({ pool: noPool, replicaPath: join(dir, 'replica.sqlite'), clock });
    await noEngine.importStandalone(noPath);
    const noApp = await buildServer({ pool: noPool, logger: createLogger('silent'), routes: syncRoutes({ engine: noEngine, signInPerMinute: 100 }) });
    const noAddress = await noApp.listen({ port: 0, host: '127.0.0.1' });
    const mine: Workstation[] = [];
    try {
      const f = await workstation('ws-no-fee', 'fee', noAddress);
      // A clerk for the whole municipality: the child is in this cache, its reductions must not be.
      const clerk = await workstation('ws-no-clerk', 'clerk.all', noAddress);
      mine.push(f, clerk);
      const child = noEngine.core.ctx.sqlite.prepare(`SELECT id FROM person WHERE is_child = 1 AND protection = 'none' ORDER BY id LIMIT 1`).pluck().get() as string;
      await until('both caches hold the child', () => [f, clerk].every((w) => w.core.ctx.sqlite.prepare('SELECT 1 FROM person WHERE id = ?').get(child) !== undefined));

      const added = data<MethodOutput<'fee.reductionAdd'>>(await f.conn.callAsync('fee.reductionAdd', { childId: child, kind: 'illness', validFrom: '2026-10-01', validTo: '2026-11-15', note: 'Legeerklæring' }));
      // PostgreSQL first (the commit point; the replica's connection sees its own transaction before it commits).
      const record = async () => (await noPool.query<{ aggregate: string; version: number; valid_to: string }>(`SELECT aggregate, version, data->>'valid_to' AS valid_to FROM record WHERE entity = 'fee_reduction' AND id = $1`, [added.id])).rows;
      await until('PostgreSQL has the reduction', async () => (await record()).length === 1);
      expect(await record()).toEqual([{ aggregate: `feereduction:${child}`, version: 1, valid_to: '2026-11-15' }]);
      expect(noEngine.core.ctx.sqlite.prepare('SELECT kind FROM fee_reduction WHERE id = ?').pluck().get(added.id)).toBe('illness');
      // The end is pushed the same way.
      data(await f.conn.callAsync('fee.reductionEnd', { id: added.id, version: 1, validTo: '2026-11-30' }));
      await until('PostgreSQL has the new end', async () => (await record())[0]?.valid_to === '2026-11-30');
      expect(noEngine.core.ctx.sqlite.prepare('SELECT valid_to FROM fee_reduction WHERE id = ?').pluck().get(added.id)).toBe('2026-11-30');

      const head = await noEngine.head();
      clerk.core.sync!.kick();
      await until('the clerk caught up', () => Number(clerk.core.ctx.sqlite.prepare(`SELECT value FROM app_meta WHERE key = 'sync.cursor'`).pluck().get() ?? 0) >= head);
      const count = (w: Workstation) => w.core.ctx.sqlite.prepare('SELECT count(*) FROM fee_reduction').pluck().get() as number;
      expect(count(clerk)).toBe(0);
      expect(count(f)).toBe(1);
      // Another fee administrator's workstation gets it from the feed, as the server holds it.
      const f2 = await workstation('ws-no-fee2', 'fee', noAddress);
      mine.push(f2);
      await until('the second fee workstation has it', () => f2.core.ctx.sqlite.prepare('SELECT valid_to FROM fee_reduction WHERE id = ?').pluck().get(added.id) === '2026-11-30');
      expect(await clerk.conn.callAsync('fee.reductions', { childId: child })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(data<MethodOutput<'fee.reductions'>>(await f.conn.callAsync('fee.reductions', { childId: child })).items).toMatchObject([{ id: added.id, validTo: '2026-11-30', version: 2 }]);
    } finally {
      for (const w of mine) {
        stations.splice(stations.indexOf(w), 1);
        w.core.sync?.close();
        await w.core.sync?.idle();
        w.core.close();
      }
      await noApp.close();
      noEngine.close();
      await noPool.end();
    }
  }, 120_000);
});

describe('FOI requests on a joined workstation', () => {
  it('a request registered on an FOI officer\'s workstation reaches the server as its own aggregate, another officer\'s cache and no clerk\'s cache', async () => {
    const f = await workstation('ws-foi', 'foi');
    // A clerk for the whole municipality: every person is in this cache, the requests must not be.
    const clerk = await workstation('ws-foi-clerk', 'clerk.all');
    const child = engine.core.ctx.sqlite.prepare(`SELECT id FROM person WHERE is_child = 1 AND protection = 'none' ORDER BY id LIMIT 1`).pluck().get() as string;
    await until('the officer\'s cache holds the child', () => f.core.ctx.sqlite.prepare('SELECT 1 FROM person WHERE id = ?').get(child) !== undefined);

    const created = data<MethodOutput<'foi.requestCreate'>>(
      await f.conn.callAsync('foi.requestCreate', {
        kind: 'se_public_document',
        receivedOn: TODAY,
        channel: 'email',
        requesterKind: 'anonymous',
        requesterContact: 'redaktion@example.org',
        language: 'sv',
        askedFor: 'Klasslista för 3B',
        persons: [{ personId: child, role: 'listed' }],
      }),
    );
    const records = async () =>
      (await pool.query<{ entity: string; aggregate: string; version: number }>(`SELECT entity, aggregate, version FROM record WHERE aggregate = $1 ORDER BY entity`, [`foi:${created.id}`])).rows;
    await until('PostgreSQL has the request and its person', async () => (await records()).length === 2);
    expect(await records()).toEqual([
      { entity: 'foi_request', aggregate: `foi:${created.id}`, version: 1 },
      { entity: 'foi_request_person', aggregate: `foi:${created.id}`, version: 1 },
    ]);
    data(await f.conn.callAsync('foi.requestMove', { id: created.id, version: 1, to: 'review' }));
    await until('PostgreSQL has the move', async () => (await records()).find((r) => r.entity === 'foi_request')?.version === 2);
    expect(engine.core.ctx.sqlite.prepare('SELECT status FROM foi_request WHERE id = ?').pluck().get(created.id)).toBe('review');

    const head = await engine.head();
    clerk.core.sync!.kick();
    await until('the clerk caught up', () => Number(clerk.core.ctx.sqlite.prepare(`SELECT value FROM app_meta WHERE key = 'sync.cursor'`).pluck().get() ?? 0) >= head);
    const count = (w: Workstation, t: string) => w.core.ctx.sqlite.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
    expect(count(clerk, 'foi_request')).toBe(0);
    expect(count(clerk, 'foi_request_person')).toBe(0);
    expect(await clerk.conn.callAsync('foi.requests', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const f2 = await workstation('ws-foi2', 'foi');
    await until('the second officer\'s workstation has it', () => f2.core.ctx.sqlite.prepare('SELECT status FROM foi_request WHERE id = ?').pluck().get(created.id) === 'review');
    const view = data<MethodOutput<'foi.request'>>(await f2.conn.callAsync('foi.request', { id: created.id }));
    expect(view).toMatchObject({ status: 'review', version: 2, requesterContact: 'redaktion@example.org', persons: [{ id: child, protected: false }] });
  }, 120_000);

  it('the projection sends requests only to foi.read, and a hidden requester\'s contact to nobody who may not reveal it', () => {
    const base: Visibility = { userId: 'u', persons: 'all', care: 'all', hidden: new Set(['p-hidden']), worklist: false, accounts: 'own', fees: false, foi: true };
    const row = (requester: string | null) => ({ id: 'r', requester_person_id: requester, requester_contact: 'x@example.org', asked_for: 'a' });
    expect(Projection.project(base, 'foi_request', null, row(null))).toEqual(row(null));
    expect(Projection.project(base, 'foi_request', null, row('p-open'))).toEqual(row('p-open'));
    expect(Projection.project(base, 'foi_request', null, row('p-hidden'))).toEqual({ ...row('p-hidden'), requester_contact: null });
    // A requester outside a unit user's persons is withheld too (it cannot be told apart from a hidden one).
    expect(Projection.project({ ...base, persons: new Set(['p-open']) }, 'foi_request', null, row('p-other'))).toEqual({ ...row('p-other'), requester_contact: null });
    expect(Projection.project({ ...base, foi: false }, 'foi_request', null, row(null))).toBeNull();
    expect(Projection.project({ ...base, foi: false }, 'foi_request_person', null, { id: 'l', request_id: 'r', person_id: 'p-open' })).toBeNull();
    expect(Projection.project(base, 'foi_request_person', null, { id: 'l', request_id: 'r', person_id: 'p-open' })).toEqual({ id: 'l', request_id: 'r', person_id: 'p-open' });
  });
});

describe('documents on joined workstations', () => {
  it('a document attached on one workstation is kept on the server with its content, opened from another, and never in a cache', async () => {
    const a = await workstation('ws-doc-a', 'clerk.all');
    const b = await workstation('ws-doc-b', 'clerk.all');
    const child = engine.core.ctx.sqlite.prepare(`SELECT id FROM person WHERE is_child = 1 AND protection = 'none' AND shielded = 0 ORDER BY id LIMIT 1 OFFSET 3`).pluck().get() as string;
    const { PDFDocument, StandardFonts } = await import('pdf-lib');
    const doc = await PDFDocument.create();
    doc.addPage([595, 842]).drawText('Beslut om skolskjuts', { x: 50, y: 760, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
    const bytes = Buffer.from(await doc.save());
    const upload = await a.core.services.files.receive({ kind: 'document', ownerId: a.conn.session.actor!.id, name: 'beslut.pdf', source: Readable.from([bytes]) });
    const added = data<MethodOutput<'document.add'>>(
      await a.conn.callAsync('document.add', { personId: child, fileId: upload.id, title: 'Beslut om skolskjuts', kind: 'decision', documentDate: TODAY, classification: 'open', retentionClass: 'years_5' }),
    );
    // The upload went on to the server: the workstation keeps no copy.
    expect(() => a.core.services.files.get(upload.id, a.conn.session.actor!.id)).toThrow();
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect((await pool.query<{ size: number }>('SELECT size FROM document_content WHERE sha256 = $1', [sha])).rows).toEqual([{ size: bytes.length }]);
    expect((await pool.query<{ aggregate: string }>(`SELECT aggregate FROM record WHERE entity = 'person_document' AND id = $1`, [added.id])).rows).toEqual([{ aggregate: `persondoc:${child}` }]);
    // The call answered once the record was in the cache.
    expect(data<MethodOutput<'document.list'>>(await a.conn.callAsync('document.list', { personId: child })).items.map((d) => d.id)).toEqual([added.id]);

    await until('the other workstation lists it', async () => data<MethodOutput<'document.list'>>(await b.conn.callAsync('document.list', { personId: child })).items.length === 1);
    const opened = data<MethodOutput<'document.open'>>(await b.conn.callAsync('document.open', { id: added.id }));
    expect(opened.file.mime).toBe('application/pdf');
    expect(readFileSync(b.core.services.files.pathOf(b.core.services.files.get(opened.file.fileId, b.conn.session.actor!.id))).equals(bytes)).toBe(true);
    // The content is never in a cache: opened through the server each time.
    for (const w of [a, b]) expect(w.core.ctx.sqlite.prepare('SELECT count(*) FROM document_content').pluck().get()).toBe(0);

    // An FOI officer's review sees the gathered document's page: rendered on the server, where the content is.
    const f = await workstation('ws-doc-foi', 'foi');
    await until('the officer\'s cache holds the child', () => f.core.ctx.sqlite.prepare('SELECT 1 FROM person WHERE id = ?').get(child) !== undefined);
    const request = data<MethodOutput<'foi.requestCreate'>>(
      await f.conn.callAsync('foi.requestCreate', {
        kind: 'gdpr_access',
        receivedOn: TODAY,
        channel: 'letter',
        requesterKind: 'subject',
        requesterPersonId: child,
        language: 'sv',
        askedFor: 'Allt om mig',
        persons: [{ personId: child, role: 'subject' }],
      }),
    );
    data(await f.conn.callAsync('foi.gather', { requestId: request.id }));
    const items = data<MethodOutput<'foi.items'>>(await f.conn.callAsync('foi.items', { requestId: request.id, category: 'document' })).items;
    expect(items.map((x) => x.recordId)).toEqual([added.id]);
    const shown = data<MethodOutput<'foi.documentPage'>>(await f.conn.callAsync('foi.documentPage', { itemId: items[0]!.id, page: 1 }));
    expect(shown).toMatchObject({ page: 1, pages: 1 });
    expect(shown.image.startsWith('data:image/jpeg;base64,/9j/')).toBe(true);
    expect(await f.conn.callAsync('foi.documentPage', { itemId: items[0]!.id, page: 2 })).toMatchObject({ ok: false, error: { code: 'rule_violation', rule: 'foi_region_page' } });
    expect(f.core.ctx.sqlite.prepare('SELECT count(*) FROM document_content').pluck().get()).toBe(0);

    // A gathering on the cache sees less than the server's (a protected child's document is not in an
    // officer's cache without protected.reveal): each item still has one id on both, so a review saved on
    // the workstation reaches the same item on the server.
    const prot = engine.core.ctx.sqlite.prepare(`SELECT id FROM person WHERE is_child = 1 AND protection <> 'none' AND deleted_at IS NULL ORDER BY id LIMIT 1`).pluck().get() as string;
    const handler = await workstation('ws-doc-prot', 'protected');
    const pUpload = await handler.core.services.files.receive({ kind: 'document', ownerId: handler.conn.session.actor!.id, name: 'brev.pdf', source: Readable.from([bytes]) });
    const protectedDoc = await handler.conn.callAsync('document.add', { personId: prot, fileId: pUpload.id, title: 'Brev', kind: 'letter', documentDate: TODAY, classification: 'open', retentionClass: 'years_5' });
    expect(protectedDoc.ok).toBe(true);
    const both = data<MethodOutput<'foi.requestCreate'>>(
      await f.conn.callAsync('foi.requestCreate', {
        kind: 'se_public_document',
        receivedOn: TODAY,
        channel: 'email',
        requesterKind: 'anonymous',
        language: 'sv',
        askedFor: 'Handlingar om två barn',
        persons: [
          { personId: prot, role: 'subject' },
          { personId: child, role: 'subject' },
        ],
      }),
    );
    data(await f.conn.callAsync('foi.gather', { requestId: both.id }));
    const pairs = (sqlite: import('better-sqlite3').Database) =>
      sqlite.prepare(`SELECT id, entity, record_id FROM foi_item WHERE request_id = ? ORDER BY id`).all(both.id) as { id: string; entity: string; record_id: string }[];
    const onServer = async () => {
      const r = await pool.query<{ data: { id: string; entity: string; record_id: string } }>(`SELECT data FROM record WHERE entity = 'foi_item' AND aggregate = $1`, [`foi:${both.id}`]);
      return new Map(r.rows.map((x) => [x.data.id, `${x.data.entity}|${x.data.record_id}`]));
    };
    const local = pairs(f.core.ctx.sqlite);
    await until('the server gathered', async () => (await onServer()).size > 0);
    const central = await onServer();
    expect(central.size).toBe(pairs(engine.core.ctx.sqlite).length);
    // The protected child's document is on the server's list and not in the cache's own gathering.
    expect(pairs(engine.core.ctx.sqlite).some((x) => x.entity === 'person_document' && x.record_id === (protectedDoc as { data: { id: string } }).data.id)).toBe(true);
    expect(local.length).toBeLessThan(central.size);
    for (const x of local) expect([x.id, central.get(x.id)]).toEqual([x.id, `${x.entity}|${x.record_id}`]);

    // A replica rebuilt from PostgreSQL (a new server machine) has the content back.
    const rebuilt = await Engine.open({ pool, replicaPath: join(scratch, 'replica-rebuilt.sqlite'), clock });
    try {
      expect((rebuilt.core.ctx.sqlite.prepare('SELECT bytes FROM document_content WHERE sha256 = ?').pluck().get(sha) as Buffer).equals(bytes)).toBe(true);
    } finally {
      rebuilt.close();
    }
  }, 120_000);
});
