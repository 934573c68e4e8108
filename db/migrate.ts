/**
 * Migration runner. Why our own and not drizzle's migrator: drizzle's skips a migration whose journal
 * timestamp is older than the last applied one (a silent gap), and it does not refuse a database that has
 * a history the app does not know (a newer app version, or a branch). This runner:
 *  - applies the shipped migrations (drizzle-kit's SQL files, in journal order) one transaction each;
 *  - refuses a database whose applied history is not a prefix of the shipped list (tag and content hash);
 *  - takes a backup (a checkpointed file copy) before touching a database that already holds data.
 */
import { collationKey, personSortKey } from '../shared/collation';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';

export interface ShippedMigration {
  idx: number;
  tag: string;
  when: number;
  hash: string;
  statements: string[];
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

export function defaultMigrationsDir(): string {
  if (process.env.KANSLI_MIGRATIONS_DIR) return process.env.KANSLI_MIGRATIONS_DIR;
  // In the CommonJS bundle Electron runs (dist/core/utility.cjs) import.meta is empty; __dirname is there.
  const here = typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
  // Source tree (db/migrate.ts → db/migrations) or a bundle placed in dist/core (→ ../../db/migrations).
  for (const c of [join(here, 'migrations'), join(here, '..', '..', 'db', 'migrations'), join(here, '..', 'db', 'migrations')]) {
    if (existsSync(join(c, 'meta', '_journal.json'))) return c;
  }
  throw new MigrationError(`Migrations folder not found near ${here}; set KANSLI_MIGRATIONS_DIR`);
}

export function loadShippedMigrations(dir = defaultMigrationsDir()): ShippedMigration[] {
  const journal = JSON.parse(readFileSync(join(dir, 'meta', '_journal.json'), 'utf8')) as {
    entries: { idx: number; tag: string; when: number }[];
  };
  const entries = [...journal.entries].sort((a, b) => a.idx - b.idx);
  entries.forEach((e, i) => {
    if (e.idx !== i) throw new MigrationError(`Journal entry ${e.tag} has idx ${e.idx}, expected ${i}`);
  });
  // Compare names, not counts: a missing file plus a stray one would otherwise pass and fail later with ENOENT.
  const onDisk = new Set(readdirSync(dir).filter((f) => f.endsWith('.sql')).map((f) => f.slice(0, -'.sql'.length)));
  const listed = new Set(entries.map((e) => e.tag));
  const missing = [...listed].filter((t) => !onDisk.has(t));
  const unlisted = [...onDisk].filter((t) => !listed.has(t));
  if (missing.length || unlisted.length) {
    throw new MigrationError(
      `Migrations folder ${dir} does not match its journal` +
        (missing.length ? `; journal entries without a file: ${missing.join(', ')}` : '') +
        (unlisted.length ? `; SQL files not in the journal: ${unlisted.join(', ')}` : ''),
    );
  }
  return entries.map((e) => {
    const sql = readFileSync(join(dir, `${e.tag}.sql`), 'utf8');
    return {
      idx: e.idx,
      tag: e.tag,
      when: e.when,
      hash: createHash('sha256').update(sql).digest('hex'),
      statements: sql
        .split('--> statement-breakpoint')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    };
  });
}

const HISTORY_DDL = `CREATE TABLE IF NOT EXISTS __kansli_migrations (
  idx INTEGER PRIMARY KEY, tag TEXT NOT NULL, hash TEXT NOT NULL, applied_at TEXT NOT NULL)`;

export interface AppliedMigration {
  idx: number;
  tag: string;
  hash: string;
}

export function appliedMigrations(db: Database.Database): AppliedMigration[] {
  db.exec(HISTORY_DDL);
  return db.prepare('SELECT idx, tag, hash FROM __kansli_migrations ORDER BY idx').all() as AppliedMigration[];
}

/** Throws unless `applied` is a prefix of `shipped` (same order, tags and content). */
export function checkHistoryIsPrefix(applied: AppliedMigration[], shipped: ShippedMigration[]): void {
  if (applied.length > shipped.length) {
    const unknown = applied.slice(shipped.length).map((a) => a.tag);
    throw new MigrationError(
      `The database was migrated by a newer Kansli (unknown migrations: ${unknown.join(', ')}); refusing to open it.`,
    );
  }
  applied.forEach((a, i) => {
    const s = shipped[i]!;
    if (a.idx !== i || a.tag !== s.tag) {
      throw new MigrationError(`Migration history differs at position ${i}: database has ${a.tag}, this version ships ${s.tag}.`);
    }
    if (a.hash !== s.hash) {
      throw new MigrationError(`Migration ${a.tag} was applied with different content than this version ships.`);
    }
  });
}

export interface MigrateResult {
  applied: string[];
  backupPath: string | null;
}

/**
 * Functions a migration's SQL may call to recompute derived columns with the register's own rules (one
 * definition each): `kansli_person_sort_key(family, given, country)` (shared/collation.ts).
 */
function registerMigrationFunctions(db: Database.Database): void {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  db.function('kansli_person_sort_key', { deterministic: true }, (family, given, country) =>
    personSortKey({ familyName: text(family), givenName: text(given) }, country === 'NO' ? 'NO' : 'SE'),
  );
  db.function('kansli_collation_key', { deterministic: true }, (name, country) => collationKey(text(name), country === 'NO' ? 'NO' : 'SE'));
}

export function migrate(
  db: Database.Database,
  opts: { dir?: string; dbPath?: string | null; upTo?: number; keepBackups?: number; backup?: boolean } = {},
): MigrateResult {
  const shipped = loadShippedMigrations(opts.dir);
  const done = appliedMigrations(db);
  checkHistoryIsPrefix(done, shipped);
  const target = opts.upTo ?? shipped.length;
  const pending = shipped.slice(done.length, target);
  if (pending.length === 0) return { applied: [], backupPath: null };

  let backupPath: string | null = null;
  const hasData = done.length > 0;
  if (hasData && opts.backup !== false && opts.dbPath && opts.dbPath !== ':memory:') {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    backupPath = resolve(dirname(opts.dbPath), `${basename(opts.dbPath)}.before-${pending[0]!.tag}.${stamp}.bak`);
    // A page-for-page copy after a checkpoint, not VACUUM INTO: VACUUM may renumber the rowids of tables
    // without an INTEGER PRIMARY KEY, and the trigram index (person_fts) refers to persons by rowid.
    db.pragma('wal_checkpoint(TRUNCATE)');
    copyFileSync(opts.dbPath, backupPath);
    pruneBackups(opts.dbPath, opts.keepBackups ?? 3);
  }

  // One IMMEDIATE transaction holds the write lock from the history check to the last migration, so two
  // processes opening the same database (desktop app and CLI) cannot both apply the same migration: the
  // second waits, then finds the history already complete. Foreign keys are off while tables are rebuilt
  // (the pragma is a no-op inside a transaction) and checked before commit.
  registerMigrationFunctions(db);
  const record = db.prepare('INSERT INTO __kansli_migrations (idx, tag, hash, applied_at) VALUES (?, ?, ?, ?)');
  const fk = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    const applied = db
      .transaction(() => {
        const now = appliedMigrations(db);
        checkHistoryIsPrefix(now, shipped);
        const toApply = shipped.slice(now.length, target);
        for (const m of toApply) {
          for (const stmt of m.statements) db.exec(stmt);
          record.run(m.idx, m.tag, m.hash, new Date().toISOString());
        }
        const broken = db.pragma('foreign_key_check') as unknown[];
        if (broken.length) throw new MigrationError(`Migration left ${broken.length} rows violating foreign keys; nothing was applied`);
        return toApply.map((m) => m.tag);
      })
      .immediate();
    return { applied, backupPath };
  } finally {
    db.pragma(`foreign_keys = ${fk ? 'ON' : 'OFF'}`);
  }
}

function pruneBackups(dbPath: string, keep: number): void {
  const dir = dirname(dbPath);
  const prefix = `${basename(dbPath)}.before-`;
  const backups = readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.bak'))
    .sort((a, b) => (a.slice(a.lastIndexOf('.', a.length - 5)) < b.slice(b.lastIndexOf('.', b.length - 5)) ? -1 : 1));
  for (const f of backups.slice(0, Math.max(0, backups.length - keep))) rmSync(join(dir, f), { force: true });
}
