/**
 * Opening the SQLite database: pragmas, migrations, and (optionally) encryption at rest.
 *
 * `better-sqlite3` in package.json is an npm alias of `better-sqlite3-multiple-ciphers` (the same
 * better-sqlite3 API and SQLite version, built with SQLite3 Multiple Ciphers), so plain and encrypted
 * databases are opened by the same driver and drizzle is unchanged. Measured here: README → development notes.
 *
 * For the joined-mode cache (docs/sync.md, "The cache at rest"):
 *  - `openDatabase(path, { key })` with a 32-byte key from the keystore (core/keys/keystore.ts) opens or
 *    creates the file encrypted, SQLCipher 4 compatible (`cipher='sqlcipher'`, `legacy=4`). The key is a raw
 *    key (`x'…'`), not a passphrase: it is 32 random bytes already, so SQLCipher's PBKDF2 (256 000
 *    iterations, ~120 ms per open, measured) would add nothing. A wrong or missing key is a DatabaseKeyError.
 *  - `encryptDatabaseFile(path, key)` turns an existing plain database into an encrypted one, once.
 *  - Every other connection to the same file (a job's worker thread) must call `unlockDatabase` first.
 */
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, rmSync } from 'node:fs';
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

export interface OpenOptions {
  migrationsDir?: string;
  readonly?: boolean;
  backup?: boolean;
  /** 32 bytes: the file is (or becomes, if new) encrypted with this key. Without it the file must be plain. */
  key?: Buffer;
}

/** Opens (creating if needed) and migrates the database at `path` (':memory:' for tests). */
export function openDatabase(path: string, opts: OpenOptions = {}): OpenedDb {
  if (opts.key !== undefined) checkKey(opts.key);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path, { readonly: opts.readonly ?? false });
  let migration: MigrateResult;
  try {
    if (opts.key !== undefined) unlockDatabase(sqlite, opts.key, path);
    else checkReadable(sqlite, path);
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

export const DATABASE_KEY_BYTES = 32;

export type DatabaseKeyProblem = 'invalid_key' | 'wrong_key' | 'key_required' | 'not_encrypted' | 'already_encrypted' | 'in_use' | 'not_found';

/** A database that cannot be opened or encrypted because of its key; `problem` says which case. */
export class DatabaseKeyError extends Error {
  constructor(
    readonly problem: DatabaseKeyProblem,
    message: string,
  ) {
    super(message);
    this.name = 'DatabaseKeyError';
  }
}

function checkKey(key: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length !== DATABASE_KEY_BYTES) {
    throw new DatabaseKeyError('invalid_key', `A database key must be ${DATABASE_KEY_BYTES} bytes, got ${Buffer.isBuffer(key) ? key.length : typeof key}`);
  }
}

const PLAIN_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * What the first 16 bytes say: a plain SQLite file starts with its magic string, an SQLCipher file with
 * its random salt; an empty or missing file is new.
 */
function fileKind(path: string): 'new' | 'plain' | 'encrypted' {
  if (path === ':memory:' || path === '' || !existsSync(path)) return 'new';
  const head = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  let n: number;
  try {
    n = readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (n === 0) return 'new';
  return n === 16 && head.equals(PLAIN_HEADER) ? 'plain' : 'encrypted';
}

function isNotADatabase(e: unknown): boolean {
  return e instanceof Database.SqliteError && e.code === 'SQLITE_NOTADB';
}

/** The first statement that reads a page: a wrong key shows here, as SQLITE_NOTADB, and nowhere earlier. */
function probeRead(sqlite: Database.Database): void {
  sqlite.prepare('SELECT count(*) FROM sqlite_master').get();
}

function configureCipher(sqlite: Database.Database): void {
  // SQLCipher 4's format (AES-256-CBC, HMAC-SHA512 per page), so the cache can be inspected with SQLCipher's
  // own tools in a support case; SQLite3 Multiple Ciphers' default (ChaCha20) is not SQLCipher-compatible.
  sqlite.pragma("cipher = 'sqlcipher'");
  sqlite.pragma('legacy = 4');
}

/**
 * Gives an open connection its key. It must be the first thing done on the connection: SQLite reads the
 * first page at the first statement that needs it, and without the key that read fails (or, for a new
 * file, creates it unencrypted). Verified with a read; a wrong key closes nothing (the caller owns the
 * connection) and throws DatabaseKeyError.
 */
export function unlockDatabase(sqlite: Database.Database, key: Buffer, path: string): void {
  checkKey(key);
  configureCipher(sqlite);
  // Raw key (x'…'): see the header comment. The hex form lives only in this statement's text.
  sqlite.pragma(`key = "x'${key.toString('hex')}'"`);
  try {
    probeRead(sqlite);
  } catch (e) {
    if (!isNotADatabase(e)) throw e;
    if (fileKind(path) === 'plain') {
      throw new DatabaseKeyError('not_encrypted', `${path} is not encrypted; encrypt it once (encryptDatabaseFile) before opening it with a key`);
    }
    throw new DatabaseKeyError('wrong_key', `${path} does not open with this key (a wrong key, or the file is damaged); nothing was changed`);
  }
}

/** A plain open of an encrypted file fails at the first read with "file is not a database": say why instead. */
function checkReadable(sqlite: Database.Database, path: string): void {
  try {
    probeRead(sqlite);
  } catch (e) {
    if (isNotADatabase(e) && fileKind(path) === 'encrypted') {
      throw new DatabaseKeyError('key_required', `${path} is encrypted (or not an SQLite file); it needs its key from the keystore`);
    }
    throw e;
  }
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Encrypts the plain database at `path` with `key`, once. No other connection may have the file open (run
 * it before the core starts): an encrypted file with a plain WAL beside it would be read as damaged.
 *
 * The plain file is copied (VACUUM INTO, a consistent snapshot), the copy is encrypted (PRAGMA rekey: this
 * SQLite3 Multiple Ciphers version, 2.3.5, refuses to rekey in WAL mode, so the copy is in rollback-journal
 * mode then), verified with the key (quick_check reads every page), switched to WAL and renamed over the
 * original. A crash at any point leaves either the plain original or the complete encrypted file, never a
 * half-encrypted one. The plain pages the file system freed are not scrubbed: a cache that must never have
 * been plain on disk is created with a key from the start.
 */
export function encryptDatabaseFile(path: string, key: Buffer): void {
  checkKey(key);
  const kind = fileKind(path);
  if (!existsSync(path)) throw new DatabaseKeyError('not_found', `${path} does not exist`);
  if (kind === 'encrypted') throw new DatabaseKeyError('already_encrypted', `${path} is already encrypted (or not an SQLite file)`);
  const tmp = `${path}.encrypting`;
  for (const f of [tmp, `${tmp}-journal`]) rmSync(f, { force: true });
  const src = new Database(path);
  try {
    // busy = 1 means another connection holds the WAL: its frames would not be in the copy.
    const [cp] = src.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    if (cp && cp.busy !== 0) throw new DatabaseKeyError('in_use', `${path} is in use by another connection; close it first`);
    src.prepare('VACUUM INTO ?').run(tmp);
  } finally {
    src.close();
  }
  try {
    if (existsSync(`${path}-wal`)) throw new DatabaseKeyError('in_use', `${path} is in use by another connection; close it first`);
    const out = new Database(tmp);
    try {
      out.pragma('journal_mode = DELETE');
      configureCipher(out);
      out.pragma(`rekey = "x'${key.toString('hex')}'"`);
    } finally {
      out.close();
    }
    const check = new Database(tmp);
    try {
      unlockDatabase(check, key, tmp);
      const result = check.pragma('quick_check', { simple: true });
      if (result !== 'ok') throw new Error(`${path}: the encrypted copy failed its check (${String(result)}); the original is unchanged`);
      check.pragma('journal_mode = WAL');
    } finally {
      check.close();
    }
    fsyncPath(tmp);
    renameSync(tmp, path);
    // The rename itself is durable only once the folder is synced (POSIX; Windows cannot open a folder).
    if (process.platform !== 'win32') fsyncPath(dirname(path));
  } catch (e) {
    for (const f of [tmp, `${tmp}-journal`]) rmSync(f, { force: true });
    throw e;
  }
}
