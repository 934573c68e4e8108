/**
 * Fault tests of the sync (issue 11, docs/sync.md "Failure cases"), all real: PostgreSQL, the server over
 * HTTP on loopback, joined workstation cores with SQLite caches; the server or a workstation runs in a
 * child process where the case is a kill -9.
 *
 *  - the server killed with SIGKILL in the middle of a workstation's push of a batch;
 *  - a workstation killed with SIGKILL in the middle of its pull (small pages) and of a page's apply;
 *  - a push whose answer is lost after the server did the work (a dropped connection, a 503 from a proxy),
 *    and a server failing with a 5xx in the middle of a batch;
 *  - the server restored from an older backup (the workstation's cursor is ahead of the server).
 *
 * Each ends with the same checks: the workstation's outbox holds every write it made, each applied exactly
 * once on the server (one `mutation` row, the change records its own write made, the record's version
 * raised once), the SQLite files pass `PRAGMA integrity_check`, and the cache equals its user's projection.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../core/app';
import { DEMO_PASSWORD } from '../../core/access/auth';
import { fixedClock } from '../../core/context';
import { Engine } from '../engine/engine';
import { signInOn } from '../testing/engine';
import { freePort, startTestPostgres, type TestPostgres } from '../testing/pg';
import { startProc } from '../testing/procs';
import { copyDatabase, seedTemplate, urlOf, type Template } from '../testing/template';
import {
  cacheRows,
  closeWorkstation,
  openWorkstation,
  personForm,
  projectionDiff,
  serverProjection,
  settle,
  startTestServer,
  until,
  type Workstation,
} from '../testing/workstation';

const TODAY = '2026-11-23';
const clock = fixedClock(TODAY);
let cluster: TestPostgres;
let scratch: string;
let template: Template & { picked: string[] };
/** Persons every clerk sees in full: one edit each, so a doubled apply shows in the version. */
let persons: string[];
const open: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  cluster = await startTestPostgres();
  scratch = mkdtempSync(join(tmpdir(), 'kansli-faults-'));
  template = await seedTemplate(cluster, scratch, {
    persons: 300,
    seed: 31,
    today: TODAY,
    clock,
    pick: (engine) =>
      engine.core.ctx.sqlite
        .prepare(`SELECT id FROM person WHERE deleted_at IS NULL AND protection = 'none' AND shielded = 0 ORDER BY id LIMIT 260`)
        .pluck()
        .all() as string[],
  });
  persons = template.picked;
  expect(persons.length).toBe(260);
}, 240_000);

afterAll(async () => {
  for (const o of open.reverse()) await o.close().catch(() => undefined);
  await cluster?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function track<T extends { close(): Promise<void> }>(x: T): T {
  open.push(x);
  return x;
}

const ws = (w: Workstation) => track({ ...w, close: () => closeWorkstation(w) });

interface Edit {
  id: string;
  person: string;
  version: number;
  nationality: string;
  changes: number;
}

/** One person.update per person, made with the network down: they wait in the outbox. */
function offlineEdits(w: Workstation, ids: string[]): Edit[] {
  w.net.down = true;
  return ids.map((person) => {
    const f = personForm(w.conn, person);
    const nationality = f.person.nationality === 'FI' ? 'NO' : 'FI';
    const r = w.conn.call('person.update', { ...f, person: { ...f.person, nationality } });
    if (!r.ok) throw new Error(`person.update of ${person}: ${JSON.stringify(r.error)}`);
    const row = w.core.ctx.sqlite.prepare('SELECT mutation_id FROM sync_outbox ORDER BY ordinal DESC LIMIT 1').get() as { mutation_id: string };
    const changes = w.core.ctx.sqlite.prepare('SELECT count(*) FROM change_log WHERE mutation_id = ?').pluck().get(row.mutation_id) as number;
    return { id: row.mutation_id, person, version: f.version, nationality, changes };
  });
}

const headOf = (pool: pg.Pool) => ({
  head: async () => {
    const r = await pool.query<{ last_value: string; is_called: boolean }>('SELECT last_value, is_called FROM sync_seq');
    return r.rows[0]!.is_called ? Number(r.rows[0]!.last_value) : 0;
  },
});

async function mutationCount(pool: pg.Pool): Promise<number> {
  return Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM mutation')).rows[0]!.n);
}

/** Each edit applied exactly once on the server, and answered so on the workstation. */
async function appliedOnce(pool: pg.Pool, w: Workstation, edits: Edit[]): Promise<void> {
  const ids = edits.map((e) => e.id);
  const local = new Map((w.core.ctx.sqlite.prepare('SELECT mutation_id, state FROM sync_outbox').all() as { mutation_id: string; state: string }[]).map((r) => [r.mutation_id, r.state]));
  const remote = new Map(
    (await pool.query<{ id: string; status: string; n: number }>(
      'SELECT m.id, m.status, (SELECT count(*)::int FROM change c WHERE c.mutation_id = m.id) AS n FROM mutation m WHERE m.id = ANY($1)',
      [ids],
    )).rows.map((r) => [r.id, r]),
  );
  const records = new Map(
    (await pool.query<{ id: string; version: number; nationality: string }>(`SELECT id, version, data->>'nationality' AS nationality FROM record WHERE entity = 'person' AND id = ANY($1)`, [
      edits.map((e) => e.person),
    ])).rows.map((r) => [r.id, r]),
  );
  for (const e of edits) {
    expect(local.get(e.id), `outbox state of ${e.id}`).toBe('applied');
    expect(remote.get(e.id)?.status, `server answer of ${e.id}`).toBe('applied');
    expect(remote.get(e.id)?.n, `change records of ${e.id}`).toBe(e.changes);
    expect(records.get(e.person), `person ${e.person}`).toMatchObject({ version: e.version + 1, nationality: e.nationality });
  }
}

function integrity(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

async function resignIn(w: Workstation): Promise<void> {
  const r = await w.conn.callAsync('auth.signIn', { username: w.username, password: DEMO_PASSWORD });
  if (!r.ok) throw new Error(`sign-in again: ${JSON.stringify(r.error)}`);
}

async function sameAsProjection(w: Workstation, engine: Engine, conn: Connection): Promise<void> {
  expect(projectionDiff(cacheRows(w), await serverProjection(engine, conn)), `${w.name}'s cache`).toEqual([]);
}

/** The replica file holds exactly PostgreSQL's records (opened after its server stopped). */
async function replicaMatches(pool: pg.Pool, replicaPath: string): Promise<void> {
  expect(integrity(replicaPath)).toBe('ok');
  const db = new Database(replicaPath, { readonly: true });
  try {
    const applied = Number((db.prepare(`SELECT value FROM app_meta WHERE key = 'sync.applied_seq'`).pluck().get() as string | undefined) ?? 0);
    expect(applied).toBe(await headOf(pool).head());
    const pgRecords = new Map(
      (await pool.query<{ entity: string; id: string; data: Record<string, unknown> }>('SELECT entity, id, data FROM record WHERE data IS NOT NULL')).rows.map((r) => [`${r.entity}|${r.id}`, r.data]),
    );
    const replica = cacheRows({ core: { ctx: { sqlite: db } } } as unknown as Workstation);
    expect(projectionDiff(replica, pgRecords as never)).toEqual([]);
  } finally {
    db.close();
  }
}

describe('the server killed with SIGKILL', () => {
  it('mid-push of a batch: nothing half-applied; after a restart the outbox is applied exactly once', async () => {
    const copy = await template.copy('kill_server');
    const port = await freePort();
    const args = [copy.url, copy.dir, String(port), TODAY];
    let srv = startProc('proc-server.ts', args);
    track({ close: () => srv.kill9() });
    const address = (await srv.line(/^LISTENING /)).split(' ')[1]!;
    const pool = new pg.Pool({ connectionString: copy.url, max: 3 });
    track({ close: () => pool.end() });
    const w = ws(await openWorkstation({ dir: join(copy.dir, 'ws'), name: 'ws-kill-server', server: address, username: 'clerk.all', clock }));
    const edits = offlineEdits(w, persons.slice(0, 150));
    const before = await mutationCount(pool);

    w.net.down = false;
    w.core.sync!.kick();
    // Kill as soon as the server has committed a few of the batch's mutations.
    await until('the push under way', async () => (await mutationCount(pool)) >= before + 5, 30_000);
    await srv.kill9();
    const committed = (await mutationCount(pool)) - before;
    expect(committed).toBeGreaterThanOrEqual(5);
    expect(committed, 'the kill came before the batch ended').toBeLessThan(edits.length);
    // Nothing half-applied: every committed mutation has all its change records, the rest none.
    const partial = await pool.query(
      `SELECT m.id FROM mutation m WHERE m.id = ANY($1) AND (SELECT count(*) FROM change c WHERE c.mutation_id = m.id) = 0`,
      [edits.map((e) => e.id)],
    );
    expect(partial.rows).toEqual([]);
    expect(integrity(copy.replicaPath)).toBe('ok');
    await until('the workstation noticed', () => w.core.sync!.state().online === false || w.core.sync!.state().lastError !== null);
    await w.core.sync!.idle();
    // The outbox is intact: every write, in order, waiting or answered.
    const rows = w.core.ctx.sqlite.prepare('SELECT mutation_id, state FROM sync_outbox ORDER BY ordinal').all() as { mutation_id: string; state: string }[];
    expect(rows.map((r) => r.mutation_id)).toEqual(edits.map((e) => e.id));
    expect(rows.every((r) => r.state === 'pending' || r.state === 'applied')).toBe(true);

    // The server comes back on the same address; its sessions died with it, so the clerk signs in again.
    srv = startProc('proc-server.ts', args);
    await srv.line(/^LISTENING /);
    await resignIn(w);
    await settle(w, headOf(pool));
    await appliedOnce(pool, w, edits);
    expect(await mutationCount(pool)).toBe(before + edits.length);
    expect(integrity(w.dbPath)).toBe('ok');

    // Stopped in order (SIGTERM, with the workstation's event stream open), the replica it caught up holds
    // exactly PostgreSQL's records.
    await srv.stop();
    expect(srv.lines).toContain('STOPPED');
    await replicaMatches(pool, copy.replicaPath);
  }, 180_000);
});

describe('a workstation killed with SIGKILL', () => {
  /**
   * Prepares a workstation with three writes waiting in its outbox (closed while offline) and a server with
   * many changes it has not pulled (another clerk's edits), and returns what to check after the kill.
   */
  async function prepare(label: string) {
    const copy = await template.copy(label);
    const server = track(await startTestServer({ url: copy.url, replicaPath: copy.replicaPath, clock }));
    const dir = join(copy.dir, 'ws');
    const w = await openWorkstation({ dir, name: `ws-${label}`, server: server.address, username: 'clerk.all', clock });
    const edits = offlineEdits(w, persons.slice(0, 3));
    const outboxBefore = w.core.ctx.sqlite.prepare('SELECT mutation_id, ordinal, method, input, base FROM sync_outbox ORDER BY ordinal').all();
    const cursorBefore = Number(w.core.ctx.sqlite.prepare(`SELECT value FROM app_meta WHERE key = 'sync.cursor'`).pluck().get());
    const dbPath = w.dbPath;
    await closeWorkstation(w);
    const other = ws(await openWorkstation({ dir: join(copy.dir, 'other'), name: `other-${label}`, server: server.address, username: 'protected', clock }));
    offlineEdits(other, persons.slice(10, 260));
    await settle(other, server.engine);
    return { copy, server, dir, dbPath, edits, outboxBefore, cursorBefore };
  }

  /** After the kill: the file is sound, the outbox as it was, the cursor one the cache had or was sent. */
  async function afterKill(p: Awaited<ReturnType<typeof prepare>>, sentCursors: number[]): Promise<number> {
    expect(integrity(p.dbPath)).toBe('ok');
    const db = new Database(p.dbPath, { readonly: true });
    let cursor: number;
    try {
      const rows = db.prepare('SELECT mutation_id, ordinal, method, input, base, state FROM sync_outbox ORDER BY ordinal').all() as { state: string }[];
      expect(rows.map(({ state: _, ...r }) => r)).toEqual(p.outboxBefore);
      expect(rows.every((r) => r.state === 'pending' || r.state === 'applied')).toBe(true);
      cursor = Number(db.prepare(`SELECT value FROM app_meta WHERE key = 'sync.cursor'`).pluck().get());
      expect([p.cursorBefore, ...sentCursors]).toContain(cursor);
    } finally {
      db.close();
    }
    // Reopened, it signs in, pushes what waits and pulls to the head.
    const projConn = await signInOn(p.server.engine, 'clerk.all', 'projection');
    const w = ws(await openWorkstation({ dir: p.dir, name: 'ws-again', server: p.server.address, username: 'clerk.all', clock }));
    await settle(w, p.server.engine);
    await appliedOnce(p.server.pool, w, p.edits);
    await sameAsProjection(w, p.server.engine, projConn);
    expect(integrity(p.dbPath)).toBe('ok');
    return cursor;
  }

  const pageCursors = (lines: string[]) => lines.filter((l) => l.startsWith('PAGE ')).map((l) => Number(l.split(' ')[1]));

  it('mid-pull (small pages): the pages applied stay, the rest is pulled again, the outbox is intact', async () => {
    const p = await prepare('kill_pull');
    const proc = startProc('proc-workstation.ts', [p.dir, p.server.address, 'clerk.all', 'ws-kill-pull', TODAY, '10']);
    track({ close: () => proc.kill9() });
    await until('three pages pulled', () => pageCursors(proc.lines).length >= 3, 60_000);
    await proc.kill9();
    expect(proc.lines).not.toContain('SIGNED_IN');
    const cursor = await afterKill(p, pageCursors(proc.lines));
    expect(cursor).toBeLessThan(await p.server.engine.head());
  }, 180_000);

  it.each([0, 3, 15])('mid-apply of a large page (killed %i ms after it arrived): the page is all or nothing', async (ms) => {
    const p = await prepare(`kill_apply_${ms}`);
    const proc = startProc('proc-workstation.ts', [p.dir, p.server.address, 'clerk.all', `ws-kill-apply-${ms}`, TODAY, '20000', String(ms)]);
    track({ close: () => proc.kill9() });
    const { signal } = await proc.exited;
    expect(signal).toBe('SIGKILL');
    expect(proc.lines).not.toContain('SIGNED_IN');
    const sent = pageCursors(proc.lines);
    expect(sent.length).toBeGreaterThan(0);
    const cursor = await afterKill(p, sent);
    // Killed the moment the page arrived, the page's transaction never committed: the cursor is the old one
    // (later kills land in its parse or its apply or after; all-or-nothing holds either way).
    if (ms === 0) expect(cursor).toBe(p.cursorBefore);
  }, 180_000);
});

describe('a lost answer in the middle of a batch', () => {
  it.each(['drop', '503'] as const)('%s after the server applied the batch: the retry is answered from its record, applied once', async (kind) => {
    const copy = await template.copy(`lost_${kind}`);
    const server = track(await startTestServer({ url: copy.url, replicaPath: copy.replicaPath, clock }));
    const w = ws(await openWorkstation({ dir: join(copy.dir, 'ws'), name: `ws-${kind}`, server: server.address, username: 'clerk.all', clock }));
    const edits = offlineEdits(w, persons.slice(0, 20));
    w.net.fault = { path: '/sync/push', kind };
    w.net.down = false;
    w.core.sync!.kick();
    await until('the answer was lost', () => w.net.swallowed.length === 1);
    await w.core.sync!.idle();
    // The server did the work; the workstation learns it from the retry (its own, or the one the event
    // stream's head starts), answered from the server's record.
    expect(await mutationCount(server.pool)).toBe(edits.length);
    await settle(w, server.engine);
    await appliedOnce(server.pool, w, edits);
    expect(await mutationCount(server.pool)).toBe(edits.length);
  }, 120_000);

  it('a 5xx from the server at the 8th of 20: the first 7 stay applied, the rest follow once the server recovers', async () => {
    const copy = await template.copy('fail_mid');
    const server = track(await startTestServer({ url: copy.url, replicaPath: copy.replicaPath, clock }));
    const w = ws(await openWorkstation({ dir: join(copy.dir, 'ws'), name: 'ws-fail-mid', server: server.address, username: 'clerk.all', clock }));
    const edits = offlineEdits(w, persons.slice(0, 20));
    // The database refuses the 8th mutation's record once (a failing disk, a dropped connection inside the
    // transaction): the server answers 500 in the middle of the batch.
    await server.pool.query(`
      CREATE FUNCTION fail_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.id = '${edits[7]!.id}' THEN RAISE EXCEPTION 'simulated failure'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER fail_once BEFORE INSERT ON mutation FOR EACH ROW EXECUTE FUNCTION fail_once();`);
    w.net.down = false;
    w.core.sync!.kick();
    await until('the push failed', () => w.core.sync!.state().lastError !== null);
    await w.core.sync!.idle();
    expect(w.core.sync!.state().lastError).toBe('internal');
    // The failed mutation left no transaction open on the replica (it would refuse every later write).
    expect(server.engine.core.ctx.sqlite.inTransaction).toBe(false);
    const applied = (await server.pool.query<{ id: string }>('SELECT id FROM mutation')).rows.map((r) => r.id).sort();
    expect(applied).toEqual(edits.slice(0, 7).map((e) => e.id).sort());
    expect(w.core.ctx.sqlite.prepare(`SELECT count(*) FROM sync_outbox WHERE state = 'pending'`).pluck().get()).toBe(edits.length);
    await server.pool.query('DROP TRIGGER fail_once ON mutation');
    await settle(w, server.engine);
    await appliedOnce(server.pool, w, edits);
    expect(await mutationCount(server.pool)).toBe(edits.length);
    // The server's replica went on in step with PostgreSQL.
    const projConn = await signInOn(server.engine, 'clerk.all', 'projection');
    await settle(w, server.engine);
    await sameAsProjection(w, server.engine, projConn);
  }, 120_000);
});

describe('the server restored from an older backup', () => {
  it('the workstation, its cursor ahead, takes the register again and pushes its outbox: what the backup lost is applied again, once', async () => {
    const copy = await template.copy('restore');
    const port = await freePort();
    let server = track(await startTestServer({ url: copy.url, replicaPath: copy.replicaPath, clock, port }));
    const w = ws(await openWorkstation({ dir: join(copy.dir, 'ws'), name: 'ws-restore', server: server.address, username: 'clerk.all', clock }));
    const early = offlineEdits(w, persons.slice(0, 5));
    await settle(w, server.engine);

    // The backup is taken here (a copy of the database while the server is stopped for it).
    await server.close();
    const backup = `${copy.name}_backup`;
    await copyDatabase(cluster, copy.name, backup);
    server = track(await startTestServer({ url: copy.url, replicaPath: copy.replicaPath, clock, port }));
    await resignIn(w);
    // Applied after the backup: lost by the restore.
    const lost = offlineEdits(w, persons.slice(5, 12));
    await settle(w, server.engine);
    await appliedOnce(server.pool, w, lost);
    // Waiting when the server goes down.
    const waiting = offlineEdits(w, persons.slice(12, 15));
    const cursorBefore = Number(w.core.ctx.sqlite.prepare(`SELECT value FROM app_meta WHERE key = 'sync.cursor'`).pluck().get());
    await server.close();

    // Restored from the backup on the same address, with a new replica built from it.
    server = track(await startTestServer({ url: urlOf(cluster, backup), replicaPath: join(copy.dir, 'replica-restored.sqlite'), clock, port }));
    expect(await server.engine.head()).toBeLessThan(cursorBefore);
    const projConn = await signInOn(server.engine, 'clerk.all', 'projection');
    w.net.down = false;
    await resignIn(w);
    await settle(w, server.engine);
    const all = [...early, ...lost, ...waiting];
    expect(w.core.ctx.sqlite.prepare('SELECT mutation_id FROM sync_outbox ORDER BY ordinal').pluck().all()).toEqual(all.map((e) => e.id));
    await appliedOnce(server.pool, w, all);
    expect(await mutationCount(server.pool)).toBe(all.length);
    await sameAsProjection(w, server.engine, projConn);
    expect(integrity(w.dbPath)).toBe('ok');
  }, 180_000);
});
