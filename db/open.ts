import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate, type MigrateResult } from './migrate';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export interface OpenedDb {
  sqlite: Database.Database;
  db: Db;
  migration: MigrateResult;
  close(): void;
}

/** Opens (creating if needed) and migrates the database at `path` (':memory:' for tests). */
export function openDatabase(path: string, opts: { migrationsDir?: string; readonly?: boolean; backup?: boolean } = {}): OpenedDb {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path, { readonly: opts.readonly ?? false });
  let migration: MigrateResult;
  try {
    applyPragmas(sqlite);
    migration = opts.readonly ? { applied: [], backupPath: null } : migrate(sqlite, { dir: opts.migrationsDir, dbPath: path, backup: opts.backup });
  } catch (e) {
    // A refused or failed migration must not leave the file open (Windows would keep it locked).
    sqlite.close();
    throw e;
  }
  const db = drizzle(sqlite, { schema }) as Db;
  return {
    sqlite,
    db,
    migration,
    close: () => {
      if (sqlite.open) {
        if (!opts.readonly) sqlite.pragma('optimize');
        sqlite.close();
      }
    },
  };
}

export function applyPragmas(sqlite: Database.Database): void {
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commit.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('temp_store = MEMORY');
  sqlite.pragma('cache_size = -65536'); // 64 MiB
  sqlite.pragma('mmap_size = 268435456');
}
