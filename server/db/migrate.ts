/**
 * The server's migration runner, the PostgreSQL counterpart of the client's db/migrate.ts:
 *  - migrations are the SQL files `server/migrations/NNNN_name.sql`, numbered 0001, 0002, … without gaps;
 *  - each is applied in its own transaction together with its `schema_migration` row (name, sha256,
 *    applied_at) and the `schema` number in `server_meta`, so a migration is applied whole or not at all;
 *  - a database whose applied history is not a prefix of the shipped list (a newer server, another branch)
 *    or whose applied migration's content differs from the shipped file is refused, never "repaired";
 *  - the whole run holds a PostgreSQL advisory lock, so two servers starting at once on one database do not
 *    both migrate: the second waits, then finds the history complete.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

export interface ServerMigration {
  number: number;
  /** File name without `.sql`, e.g. `0001_init`. */
  name: string;
  sha256: string;
  sql: string;
}

export interface AppliedServerMigration {
  name: string;
  sha256: string;
}

export class ServerMigrationError extends Error {
  constructor(
    readonly code: 'bad_folder' | 'unknown_history' | 'changed' | 'failed',
    message: string,
  ) {
    super(message);
    this.name = 'ServerMigrationError';
  }
}

/**
 * Advisory lock key of the migration run (an arbitrary constant: "kansli" in ASCII, then 1). The engine's
 * single-writer lock must use a different key.
 */
export const MIGRATION_LOCK_KEY = 0x6b616e736c690001n;

export function defaultServerMigrationsDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'migrations');
}

const FILE = /^(\d{4})_([a-z0-9][a-z0-9_]*)\.sql$/;

export function loadServerMigrations(dir = defaultServerMigrationsDir()): ServerMigration[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  const bad = files.filter((f) => !FILE.test(f));
  if (bad.length) throw new ServerMigrationError('bad_folder', `Migration files must be named NNNN_name.sql (lower case): ${bad.join(', ')} in ${dir}`);
  return files.map((f, i) => {
    const number = Number(FILE.exec(f)![1]);
    // A gap or a duplicate number is a merge mistake; applying around it would give two databases
    // with the same history names but different schemas.
    if (number !== i + 1) throw new ServerMigrationError('bad_folder', `Migration ${f} should be number ${String(i + 1).padStart(4, '0')} (numbers run from 0001 without gaps) in ${dir}`);
    const sql = readFileSync(join(dir, f), 'utf8');
    return { number, name: f.slice(0, -'.sql'.length), sha256: createHash('sha256').update(sql).digest('hex'), sql };
  });
}

const HISTORY_DDL = `CREATE TABLE IF NOT EXISTS schema_migration (
  name text PRIMARY KEY,
  sha256 text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now())`;

/** The applied history in order; empty when the database was never migrated. */
export async function appliedServerMigrations(db: pg.ClientBase | pg.Pool): Promise<AppliedServerMigration[]> {
  const exists = await db.query<{ t: string | null }>(`SELECT to_regclass('schema_migration')::text AS t`);
  if (exists.rows[0]?.t == null) return [];
  return (await db.query<AppliedServerMigration>('SELECT name, sha256 FROM schema_migration ORDER BY name')).rows;
}

/** Throws unless `applied` is a prefix of `shipped` (same names in the same order, same content). */
export function checkServerHistory(applied: readonly AppliedServerMigration[], shipped: readonly ServerMigration[]): void {
  if (applied.length > shipped.length) {
    const unknown = applied.slice(shipped.length).map((a) => a.name);
    throw new ServerMigrationError(
      'unknown_history',
      `The database was migrated by a newer Kansli server (unknown migrations: ${unknown.join(', ')}); refusing to use it.`,
    );
  }
  applied.forEach((a, i) => {
    const s = shipped[i]!;
    if (a.name !== s.name) {
      throw new ServerMigrationError('unknown_history', `Migration history differs at position ${i + 1}: the database has ${a.name}, this version ships ${s.name}.`);
    }
    if (a.sha256 !== s.sha256) {
      throw new ServerMigrationError('changed', `Migration ${a.name} was applied with different content than this version ships (sha256 ${a.sha256.slice(0, 12)}…, shipped ${s.sha256.slice(0, 12)}…).`);
    }
  });
}

export interface ServerMigrateResult {
  applied: string[];
  /** Number of the last applied migration after the run. */
  schema: number;
}

export async function migrateServer(pool: pg.Pool, opts: { dir?: string; upTo?: number } = {}): Promise<ServerMigrateResult> {
  const shipped = loadServerMigrations(opts.dir);
  const target = opts.upTo ?? shipped.length;
  const client = await pool.connect();
  try {
    // A migration may legitimately run longer than the pool's statement_timeout, and waiting for another
    // server's run must not time out either. The connection is discarded afterwards (release(true)), so
    // these session settings never reach a request.
    await client.query(`SET statement_timeout = 0`);
    await client.query(`SELECT pg_advisory_lock($1)`, [MIGRATION_LOCK_KEY.toString()]);
    try {
      await client.query(HISTORY_DDL);
      const done = await appliedServerMigrations(client);
      checkServerHistory(done, shipped);
      const applied: string[] = [];
      for (const m of shipped.slice(done.length, target)) {
        try {
          await client.query('BEGIN');
          await client.query(m.sql);
          await client.query('INSERT INTO schema_migration (name, sha256) VALUES ($1, $2)', [m.name, m.sha256]);
          const meta = await client.query<{ t: string | null }>(`SELECT to_regclass('server_meta')::text AS t`);
          if (meta.rows[0]?.t != null) await client.query(`UPDATE server_meta SET value = $1 WHERE key = 'schema'`, [String(m.number)]);
          await client.query('COMMIT');
        } catch (e) {
          await client.query('ROLLBACK').catch(() => undefined);
          // PostgreSQL's message only (no DETAIL): a data migration's detail can quote a row's values.
          throw new ServerMigrationError('failed', `Migration ${m.name} failed and was rolled back: ${e instanceof Error ? e.message : String(e)}`);
        }
        applied.push(m.name);
      }
      return { applied, schema: done.length + applied.length };
    } finally {
      await client.query(`SELECT pg_advisory_unlock($1)`, [MIGRATION_LOCK_KEY.toString()]).catch(() => undefined);
    }
  } finally {
    client.release(true);
  }
}
