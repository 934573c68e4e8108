/**
 * The server's migration runner on a real PostgreSQL (server/testing/pg.ts): a fresh database, a re-run,
 * refusing a changed or unknown history, a failing migration leaving nothing behind, and two servers
 * migrating one database at the same moment.
 */
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../testing/pg';
import {
  appliedServerMigrations,
  defaultServerMigrationsDir,
  loadServerMigrations,
  migrateServer,
  ServerMigrationError,
} from './migrate';
import { createPool } from './pool';

let pgc: TestPostgres;
const pools: pg.Pool[] = [];
const dirs: string[] = [];
const SHIPPED = loadServerMigrations();

beforeAll(async () => {
  pgc = await startTestPostgres();
});
afterAll(async () => {
  await pgc.stop();
});
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.end()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function pool(url?: string): Promise<pg.Pool> {
  const p = createPool(url ?? (await pgc.database('mig')));
  pools.push(p);
  return p;
}

/** A writable copy of the shipped migrations, for fabricating histories and broken migrations. */
function copyShipped(): string {
  const d = mkdtempSync(join(tmpdir(), 'kansli-srv-mig-'));
  dirs.push(d);
  cpSync(defaultServerMigrationsDir(), d, { recursive: true });
  return d;
}

const next = (dir: string): string => String(readdirSync(dir).filter((f) => f.endsWith('.sql')).length + 1).padStart(4, '0');

async function expectRefusal(p: Promise<unknown>, code: ServerMigrationError['code'], message: RegExp): Promise<void> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ServerMigrationError);
  expect((e as ServerMigrationError).code).toBe(code);
  expect((e as Error).message).toMatch(message);
}

describe('shipped server migrations', () => {
  it('are numbered from 0001 without gaps, start with 0001_init, and have distinct content', () => {
    expect(SHIPPED[0]!.name).toBe('0001_init');
    expect(SHIPPED.map((m) => m.number)).toEqual(SHIPPED.map((_, i) => i + 1));
    expect(new Set(SHIPPED.map((m) => m.sha256)).size).toBe(SHIPPED.length);
    for (const m of SHIPPED) expect(m.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a folder with a gap, a duplicate number or a badly named file is refused', () => {
    const gap = copyShipped();
    writeFileSync(join(gap, `${String(SHIPPED.length + 2).padStart(4, '0')}_later.sql`), 'SELECT 1;');
    expect(() => loadServerMigrations(gap)).toThrow(/should be number/);
    const dup = copyShipped();
    writeFileSync(join(dup, '0001_again.sql'), 'SELECT 1;');
    expect(() => loadServerMigrations(dup)).toThrow(ServerMigrationError);
    const badName = copyShipped();
    writeFileSync(join(badName, 'fix.sql'), 'SELECT 1;');
    expect(() => loadServerMigrations(badName)).toThrow(/NNNN_name\.sql/);
  });
});

describe('migrateServer', () => {
  it('migrates a fresh database: history, server_meta with a random epoch and the schema number', async () => {
    const p = await pool();
    const r = await migrateServer(p);
    expect(r.applied).toEqual(SHIPPED.map((m) => m.name));
    expect(r.schema).toBe(SHIPPED.length);
    const history = (await p.query<{ name: string; sha256: string; applied_at: Date }>('SELECT * FROM schema_migration ORDER BY name')).rows;
    expect(history.map((h) => [h.name, h.sha256])).toEqual(SHIPPED.map((m) => [m.name, m.sha256]));
    for (const h of history) expect(h.applied_at).toBeInstanceOf(Date);
    const meta = Object.fromEntries((await p.query<{ key: string; value: string }>('SELECT key, value FROM server_meta')).rows.map((r) => [r.key, r.value]));
    expect(meta.epoch).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(meta.schema).toBe(String(SHIPPED.length));
    // Another database gets another epoch: it is what tells a workstation it meets a different database.
    const other = await pool();
    await migrateServer(other);
    const otherEpoch = (await other.query<{ value: string }>(`SELECT value FROM server_meta WHERE key = 'epoch'`)).rows[0]!.value;
    expect(otherEpoch).not.toBe(meta.epoch);
  });

  it('a second run is a no-op that keeps the epoch and the history', async () => {
    const p = await pool();
    await migrateServer(p);
    const before = (await p.query('SELECT * FROM schema_migration ORDER BY name')).rows;
    const epoch = (await p.query(`SELECT value FROM server_meta WHERE key = 'epoch'`)).rows[0];
    expect(await migrateServer(p)).toEqual({ applied: [], schema: SHIPPED.length });
    expect((await p.query('SELECT * FROM schema_migration ORDER BY name')).rows).toEqual(before);
    expect((await p.query(`SELECT value FROM server_meta WHERE key = 'epoch'`)).rows[0]).toEqual(epoch);
  });

  it('applies only the new migrations of a newer version and moves the schema number in the same transaction', async () => {
    const p = await pool();
    await migrateServer(p, { upTo: 1 });
    expect((await appliedServerMigrations(p)).map((a) => a.name)).toEqual(['0001_init']);
    const dir = copyShipped();
    const n = next(dir);
    writeFileSync(join(dir, `${n}_widget.sql`), 'CREATE TABLE widget (id int PRIMARY KEY);\nINSERT INTO widget VALUES (1), (2);');
    const r = await migrateServer(p, { dir });
    expect(r.applied).toEqual([...SHIPPED.slice(1).map((m) => m.name), `${n}_widget`]);
    expect((await p.query('SELECT count(*)::int AS n FROM widget')).rows[0]).toEqual({ n: 2 });
    expect((await p.query(`SELECT value FROM server_meta WHERE key = 'schema'`)).rows[0]).toEqual({ value: String(Number(n)) });
  });

  it('refuses a database migrated by a newer server (unknown migrations) and changes nothing', async () => {
    const p = await pool();
    const dir = copyShipped();
    const n = next(dir);
    writeFileSync(join(dir, `${n}_future.sql`), 'CREATE TABLE future (id int);');
    await migrateServer(p, { dir });
    await expectRefusal(migrateServer(p), 'unknown_history', new RegExp(`newer Kansli server.*${n}_future`));
    expect((await appliedServerMigrations(p)).length).toBe(SHIPPED.length + 1);
  });

  it('refuses a history that differs in a name (another branch)', async () => {
    const p = await pool();
    const dir = copyShipped();
    const n = next(dir);
    writeFileSync(join(dir, `${n}_branch_a.sql`), 'CREATE TABLE a (id int);');
    await migrateServer(p, { dir });
    rmSync(join(dir, `${n}_branch_a.sql`));
    writeFileSync(join(dir, `${n}_branch_b.sql`), 'CREATE TABLE b (id int);');
    await expectRefusal(migrateServer(p, { dir }), 'unknown_history', new RegExp(`database has ${n}_branch_a, this version ships ${n}_branch_b`));
    expect((await p.query(`SELECT to_regclass('b')::text AS t`)).rows[0]).toEqual({ t: null });
  });

  it('refuses an applied migration whose shipped content changed', async () => {
    const p = await pool();
    await migrateServer(p);
    const dir = copyShipped();
    appendFileSync(join(dir, '0001_init.sql'), '\n-- edited after release\n');
    await expectRefusal(migrateServer(p, { dir }), 'changed', /0001_init was applied with different content/);
  });

  it('a failing migration is rolled back whole: no table, no history row, no schema bump', async () => {
    const p = await pool();
    await migrateServer(p);
    const dir = copyShipped();
    const n = next(dir);
    writeFileSync(join(dir, `${n}_broken.sql`), 'CREATE TABLE half (id int);\nINSERT INTO half VALUES (1);\nSELECT * FROM no_such_table;');
    await expectRefusal(migrateServer(p, { dir }), 'failed', new RegExp(`${n}_broken failed and was rolled back.*no_such_table`));
    expect((await p.query(`SELECT to_regclass('half')::text AS t`)).rows[0]).toEqual({ t: null });
    expect((await appliedServerMigrations(p)).length).toBe(SHIPPED.length);
    expect((await p.query(`SELECT value FROM server_meta WHERE key = 'schema'`)).rows[0]).toEqual({ value: String(SHIPPED.length) });
    // The lock was released: a fixed folder migrates at once.
    writeFileSync(join(dir, `${n}_broken.sql`), 'CREATE TABLE half (id int);');
    expect((await migrateServer(p, { dir })).applied).toEqual([`${n}_broken`]);
  });

  it('two servers starting at once on one database: one migrates, the other waits and finds it done', async () => {
    const url = await pgc.database('mig');
    const a = await pool(url);
    const b = await pool(url);
    const dir = copyShipped();
    const n = next(dir);
    // A slow migration keeps the first run inside its lock while the second arrives; without the advisory
    // lock both would see an empty history and the second would fail on CREATE TABLE server_meta.
    writeFileSync(join(dir, `${n}_slow.sql`), 'SELECT pg_sleep(0.4);\nCREATE TABLE slow_done (id int);');
    const [ra, rb] = await Promise.all([migrateServer(a, { dir }), migrateServer(b, { dir })]);
    const all = [...SHIPPED.map((m) => m.name), `${n}_slow`];
    expect([ra.applied, rb.applied].sort((x, y) => y.length - x.length)).toEqual([all, []]);
    expect((await a.query('SELECT count(*)::int AS n FROM schema_migration')).rows[0]).toEqual({ n: all.length });
    expect((await a.query(`SELECT count(*)::int AS n FROM server_meta WHERE key = 'epoch'`)).rows[0]).toEqual({ n: 1 });
  });
});
