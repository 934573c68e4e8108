/**
 * Encryption at rest (db/open.ts) on real SQLite files: what lands on disk, wrong and missing keys, encrypting
 * an existing plain file once, migrations and WAL on an encrypted database.
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, dataPaths } from '../core/app';
import { fixedClock } from '../core/context';
import { seedDemo } from '../core/demo/generate';
import { loadShippedMigrations } from './migrate';
import { DatabaseKeyError, encryptDatabaseFile, openDatabase, unlockDatabase, type OpenedDb } from './open';

let dir: string;
const toClose: { close(): void }[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kansli-encryption-'));
});
afterEach(() => {
  for (const c of toClose.splice(0)) c.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(path: string, key?: Buffer): OpenedDb {
  const o = openDatabase(path, key ? { key } : {});
  toClose.push(o);
  return o;
}

/** A name no generator produces, so finding it in the bytes can only mean the row was stored in clear. */
const MARKER = 'Zqwxyrbergström-Kansli';

function plantPerson(sqlite: Database.Database): void {
  const donor = sqlite.prepare(`SELECT id FROM person LIMIT 1`).pluck().get() as string;
  sqlite.prepare(`UPDATE person SET family_name = ?, search_text = search_text || ' ' || lower(?) WHERE id = ?`).run(MARKER, MARKER, donor);
}

function bytesContain(path: string, text: string): boolean {
  if (!existsSync(path)) return false;
  const raw = readFileSync(path);
  return raw.includes(Buffer.from(text, 'utf8')) || raw.includes(Buffer.from(text.toLowerCase(), 'utf8'));
}

function keyError(fn: () => unknown): DatabaseKeyError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DatabaseKeyError) return e;
    throw e;
  }
  throw new Error('expected a DatabaseKeyError');
}

describe('an encrypted database', () => {
  it('keeps no personal data in clear, neither in the WAL before a checkpoint nor in the file after one', () => {
    const path = join(dir, 'cache.sqlite');
    const key = randomBytes(32);
    const db = open(path, key);
    seedDemo(db.sqlite, { country: 'SE', persons: 60, today: '2026-11-23' });
    plantPerson(db.sqlite);
    // Before the checkpoint the new pages are only in the WAL.
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
    expect(bytesContain(`${path}-wal`, MARKER)).toBe(false);
    const someone = db.sqlite.prepare(`SELECT given_name || ' ' || family_name FROM person WHERE family_name <> ? LIMIT 1`).pluck().get(MARKER) as string;
    db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    expect(bytesContain(path, MARKER)).toBe(false);
    expect(bytesContain(path, someone)).toBe(false);
    expect(bytesContain(path, 'SQLite format 3')).toBe(false);
    // Through the key it is all there.
    expect(db.sqlite.prepare(`SELECT count(*) FROM person WHERE family_name = ?`).pluck().get(MARKER)).toBe(1);
  });

  it('the same steps on a plain database do show the name (the check above can fail)', () => {
    const path = join(dir, 'plain.sqlite');
    const db = open(path);
    seedDemo(db.sqlite, { country: 'SE', persons: 60, today: '2026-11-23' });
    plantPerson(db.sqlite);
    expect(bytesContain(`${path}-wal`, MARKER)).toBe(true);
    db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    expect(bytesContain(path, MARKER)).toBe(true);
  });

  it('is created with every shipped migration, in WAL mode, and reopens with its key', () => {
    const path = join(dir, 'cache.sqlite');
    const key = randomBytes(32);
    const first = openDatabase(path, { key });
    expect(first.migration.applied).toHaveLength(loadShippedMigrations().length);
    expect(first.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(first.sqlite.pragma('cipher', { simple: true })).toBe('sqlcipher');
    first.close();
    const again = open(path, key);
    expect(again.migration.applied).toEqual([]);
    expect(again.sqlite.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'person'`).pluck().get()).toBe(1);
  });

  it('lets a second connection (a job worker) read while the first writes, through unlockDatabase', () => {
    const path = join(dir, 'cache.sqlite');
    const key = randomBytes(32);
    const db = open(path, key);
    seedDemo(db.sqlite, { country: 'SE', persons: 40, today: '2026-11-23' });
    const reader = new Database(path);
    toClose.push(reader);
    unlockDatabase(reader, key, path);
    const before = reader.prepare('SELECT count(*) FROM person').pluck();
    const n = before.get() as number;
    // A read transaction open on the reader: WAL lets the writer commit meanwhile, and the reader keeps its snapshot.
    reader.exec('BEGIN');
    expect(before.get()).toBe(n);
    plantPerson(db.sqlite);
    expect(reader.prepare('SELECT count(*) FROM person WHERE family_name = ?').pluck().get(MARKER)).toBe(0);
    reader.exec('COMMIT');
    expect(reader.prepare('SELECT count(*) FROM person WHERE family_name = ?').pluck().get(MARKER)).toBe(1);
  });

  it('refuses a wrong key with a typed error and leaves the file as it was', () => {
    const path = join(dir, 'cache.sqlite');
    const db = openDatabase(path, { key: randomBytes(32) });
    db.close();
    const bytes = readFileSync(path);
    const e = keyError(() => openDatabase(path, { key: randomBytes(32) }));
    expect(e.problem).toBe('wrong_key');
    expect(e.message).toContain(path);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('refuses to open without a key, naming why', () => {
    const path = join(dir, 'cache.sqlite');
    openDatabase(path, { key: randomBytes(32) }).close();
    const e = keyError(() => openDatabase(path));
    expect(e.problem).toBe('key_required');
    expect(e.message).toMatch(/is encrypted/);
  });

  it('refuses a key for a plain file, and keys of the wrong length', () => {
    const path = join(dir, 'plain.sqlite');
    openDatabase(path).close();
    expect(keyError(() => openDatabase(path, { key: randomBytes(32) })).problem).toBe('not_encrypted');
    expect(keyError(() => openDatabase(join(dir, 'x.sqlite'), { key: randomBytes(16) })).problem).toBe('invalid_key');
    expect(existsSync(join(dir, 'x.sqlite'))).toBe(false);
  });
});

describe('encryptDatabaseFile', () => {
  function plainSeeded(path: string): number {
    const db = openDatabase(path);
    seedDemo(db.sqlite, { country: 'NO', persons: 60, today: '2026-11-23' });
    plantPerson(db.sqlite);
    const n = db.sqlite.prepare('SELECT count(*) FROM person').pluck().get() as number;
    db.close();
    return n;
  }

  it('encrypts a plain database once: same rows through the key, none of them in the bytes', () => {
    const path = join(dir, 'kansli.sqlite');
    const persons = plainSeeded(path);
    expect(bytesContain(path, MARKER)).toBe(true);
    const key = randomBytes(32);
    encryptDatabaseFile(path, key);
    expect(bytesContain(path, MARKER)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['kansli.sqlite']);
    const db = open(path, key);
    expect(db.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.sqlite.prepare('SELECT count(*) FROM person').pluck().get()).toBe(persons);
    expect(db.sqlite.prepare('SELECT count(*) FROM person WHERE family_name = ?').pluck().get(MARKER)).toBe(1);
    expect(db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    expect(keyError(() => encryptDatabaseFile(path, key)).problem).toBe('already_encrypted');
  });

  it('refuses while another connection has the file open, and leaves it plain and whole', () => {
    const path = join(dir, 'kansli.sqlite');
    const persons = plainSeeded(path);
    const other = open(path);
    expect(keyError(() => encryptDatabaseFile(path, randomBytes(32))).problem).toBe('in_use');
    expect(readdirSync(dir).filter((f) => f.includes('encrypting'))).toEqual([]);
    expect(other.sqlite.prepare('SELECT count(*) FROM person').pluck().get()).toBe(persons);
  });

  it('refuses a missing file', () => {
    expect(keyError(() => encryptDatabaseFile(join(dir, 'none.sqlite'), randomBytes(32))).problem).toBe('not_found');
  });
});

describe('the core on an encrypted database', () => {
  it("runs a job in a worker thread, whose own connection unlocks with the key from its workerData", async () => {
    const key = randomBytes(32);
    const { dbPath, logDir } = dataPaths(dir);
    const core = createCore({ dbPath, logDir, dbKey: key, clock: fixedClock('2026-11-23'), seed: { country: 'SE', persons: 400, today: '2026-11-23' } });
    toClose.push(core);
    const date = '2027-08-16';
    const preview = core.call('rollover.preview', { date, limit: 1 });
    if (!preview.ok) throw new Error(preview.error.message);
    const started = await core.callAsync('rollover.commit', { date, token: (preview.data as { token: string }).token });
    if (!started.ok) throw new Error(started.error.message);
    const job = await core.services.jobs.wait((started.data as { jobId: string }).jobId);
    expect(job.error ?? null).toBeNull();
    expect(job.state).toBe('succeeded');
    core.ctx.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    expect(bytesContain(dbPath, 'SQLite format 3')).toBe(false);
  });
});
