/**
 * The embedded PostgreSQL in a data folder, for real: first start initialises, later starts reuse the
 * cluster and its data, the folder's lock keeps a second server out, a stale lock and an orphaned postgres
 * left by a killed server are recovered, and the application connects without superuser rights.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedPostgresError, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded';

const isRoot = process.getuid?.() === 0;
const dirs: string[] = [];
const running: EmbeddedPostgres[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
  for (const d of dirs.splice(0)) {
    if (existsSync(d)) chmodSync(d, 0o755);
    rmSync(d, { recursive: true, force: true });
  }
});

function dataDir(): string {
  const parent = mkdtempSync(join(tmpdir(), 'kansli-srv-embedded-'));
  // mkdtemp makes 0700 folders; the postgres user (as root) must traverse it to reach <data>/pg.
  chmodSync(parent, 0o755);
  dirs.push(parent);
  return join(parent, 'data');
}

async function start(dir: string): Promise<EmbeddedPostgres> {
  const r = await startEmbeddedPostgres(dir);
  running.push(r);
  return r;
}

async function stop(r: EmbeddedPostgres): Promise<void> {
  running.splice(running.indexOf(r), 1);
  await r.stop();
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

async function refusal(p: Promise<unknown>): Promise<EmbeddedPostgresError> {
  const e = await p.then(
    (r) => {
      running.push(r as EmbeddedPostgres);
      return null;
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(EmbeddedPostgresError);
  return e as EmbeddedPostgresError;
}

describe('startEmbeddedPostgres', () => {
  it('initialises once, keeps the data across restarts, and the app role is no superuser', async () => {
    const dir = dataDir();
    const first = await start(dir);
    expect(existsSync(join(dir, 'pg', 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(dir, 'pg.init'))).toBe(false);
    expect(statSync(join(dir, 'pg-secret')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'server.lock')).mode & 0o777).toBe(0o600);
    if (isRoot) expect(statSync(dir).mode & 0o777).toBe(0o711);
    const secret = readFileSync(join(dir, 'pg-secret'), 'utf8');
    expect(new URL(first.url).hostname).toBe('127.0.0.1');
    expect(await query(first.url, `SELECT current_user AS u, current_database() AS d, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS su`)).toEqual([
      { u: 'kansli', d: 'kansli', su: false },
    ]);
    await query(first.url, `CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')`);
    await stop(first);
    expect(existsSync(join(dir, 'server.lock'))).toBe(false);

    const second = await start(dir);
    expect(readFileSync(join(dir, 'pg-secret'), 'utf8')).toBe(secret);
    expect(await query(second.url, `SELECT v FROM kept`)).toEqual([{ v: 'still here' }]);
  });

  it('a second server on the same folder is refused while the first runs', async () => {
    const dir = dataDir();
    const first = await start(dir);
    const e = await refusal(startEmbeddedPostgres(dir));
    expect(e.code).toBe('data_dir_locked');
    expect(e.message).toContain(dir);
    expect(await query(first.url, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });

  it('another process holding the lock keeps it; a lock whose process is gone is taken over', async () => {
    const dir = dataDir();
    mkdirSync(dir, { recursive: true });
    // pid 1 always exists (init): a live server elsewhere.
    writeFileSync(join(dir, 'server.lock'), JSON.stringify({ pid: 1 }));
    const e = await refusal(startEmbeddedPostgres(dir));
    expect(e.code).toBe('data_dir_locked');
    expect(e.message).toMatch(/pid 1\b/);
    // Beyond the kernel's pid_max: no such process.
    writeFileSync(join(dir, 'server.lock'), JSON.stringify({ pid: 4_194_305 }));
    const r = await start(dir);
    expect(JSON.parse(readFileSync(join(dir, 'server.lock'), 'utf8'))).toMatchObject({ pid: process.pid });
    expect(await query(r.url, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });

  it('stops the postgres a server killed with SIGKILL left running, then starts the cluster again', async () => {
    const dir = dataDir();
    const script = join(dir, '..', 'victim.mts');
    writeFileSync(
      script,
      `import { startEmbeddedPostgres } from ${JSON.stringify(fileURLToPath(new URL('./embedded.ts', import.meta.url)))};\n` +
        `const r = await startEmbeddedPostgres(${JSON.stringify(dir)});\nprocess.stdout.write(r.url + '\\n');\nsetInterval(() => {}, 1000);\n`,
    );
    const victim = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const url = await new Promise<string>((ok, fail) => {
      let out = '';
      victim.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('\n')) ok(out.trim());
      });
      victim.once('exit', (code) => fail(new Error(`victim exited ${code}`)));
    });
    await query(url, `CREATE TABLE t (v int); INSERT INTO t VALUES (7)`);
    const oldPid = Number(readFileSync(join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    victim.kill('SIGKILL');
    await new Promise((r) => victim.once('exit', r));
    expect(() => process.kill(oldPid, 0)).not.toThrow();

    const again = await start(dir);
    expect(() => process.kill(oldPid, 0)).toThrow();
    expect(await query(again.url, 'SELECT v FROM t')).toEqual([{ v: 7 }]);
  });

  it('discards a half-made cluster from an interrupted first start', async () => {
    const dir = dataDir();
    mkdirSync(join(dir, 'pg.init'), { recursive: true });
    writeFileSync(join(dir, 'pg.init', 'PG_VERSION'), '18\n');
    const r = await start(dir);
    expect(existsSync(join(dir, 'pg.init'))).toBe(false);
    expect(await query(r.url, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });

  it('refuses a cluster whose password file is gone, and releases the lock', async () => {
    const dir = dataDir();
    await stop(await start(dir));
    rmSync(join(dir, 'pg-secret'));
    const e = await refusal(startEmbeddedPostgres(dir));
    expect(e.code).toBe('secret_missing');
    expect(existsSync(join(dir, 'server.lock'))).toBe(false);
  });

  it.runIf(isRoot)('as root, names the folder the postgres user cannot traverse instead of widening it', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'kansli-srv-closed-'));
    dirs.push(parent);
    chmodSync(parent, 0o700);
    const e = await refusal(startEmbeddedPostgres(join(parent, 'data')));
    expect(e.code).toBe('data_dir_unreachable');
    expect(e.message).toContain(`cannot traverse ${parent} (mode 700)`);
    expect(statSync(parent).mode & 0o777).toBe(0o700);
  });
});
