/**
 * The file keystore and the sealing key's move out of `secret.key`, on real files in a temporary folder.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileKeyStore, HandedKeyStore, KEY_NAMES, keyFor, KeyStoreError, sealingKey, writeExclusive } from './keystore';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kansli-keystore-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function problemOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof KeyStoreError) return e.problem;
    throw e;
  }
  throw new Error('expected a KeyStoreError');
}

const mode = (p: string) => statSync(p).mode & 0o777;

describe('FileKeyStore', () => {
  it('creates its folder 0700 and each key 0600, and reads the key back', () => {
    const store = new FileKeyStore(join(dir, 'data', 'keys'));
    expect(mode(join(dir, 'data', 'keys'))).toBe(0o700);
    expect(store.get('cache-db')).toBeNull();
    const key = randomBytes(32);
    store.put('cache-db', key);
    const file = join(dir, 'data', 'keys', 'cache-db.key');
    expect(mode(file)).toBe(0o600);
    expect(readFileSync(file).equals(key)).toBe(true);
    expect(store.get('cache-db')!.equals(key)).toBe(true);
    // No temporary file is left behind by the exclusive write.
    expect(readdirSync(join(dir, 'data', 'keys'))).toEqual(['cache-db.key']);
  });

  it('refuses a key file that group or others may read, naming the file', () => {
    const store = new FileKeyStore(dir);
    store.put('totp-seal', randomBytes(32));
    const file = join(dir, 'totp-seal.key');
    for (const m of [0o640, 0o604, 0o620]) {
      chmodSync(file, m);
      try {
        store.get('totp-seal');
        throw new Error('not refused');
      } catch (e) {
        expect(e).toBeInstanceOf(KeyStoreError);
        expect((e as KeyStoreError).problem).toBe('exposed');
        expect((e as Error).message).toContain(file);
        expect((e as Error).message).toContain(`0${m.toString(8)}`);
      }
    }
    chmodSync(file, 0o600);
    expect(store.get('totp-seal')).toHaveLength(32);
  });

  it('never replaces a key with another one, accepts the same one again, and deletes', () => {
    const store = new FileKeyStore(dir);
    const key = randomBytes(32);
    store.put('cache-db', key);
    store.put('cache-db', Buffer.from(key));
    expect(problemOf(() => store.put('cache-db', randomBytes(32)))).toBe('exists');
    expect(store.get('cache-db')!.equals(key)).toBe(true);
    store.delete('cache-db');
    store.delete('cache-db');
    expect(store.get('cache-db')).toBeNull();
  });

  it('refuses damaged files, bad names and keys of the wrong size', () => {
    const store = new FileKeyStore(dir);
    writeFileSync(join(dir, 'cache-db.key'), randomBytes(31), { mode: 0o600 });
    expect(problemOf(() => store.get('cache-db'))).toBe('damaged');
    expect(problemOf(() => store.get('../secret'))).toBe('invalid_name');
    expect(problemOf(() => store.get('Cache'))).toBe('invalid_name');
    expect(problemOf(() => store.put('other', randomBytes(16)))).toBe('invalid_key');
    expect(existsSync(join(dir, 'other.key'))).toBe(false);
  });

  it("refuses to make a file key where the desktop app keeps the key in the OS keystore", () => {
    writeFileSync(join(dir, 'totp-seal.safestorage'), 'sealed by the OS', { mode: 0o600 });
    const store = new FileKeyStore(dir);
    expect(problemOf(() => store.get('totp-seal'))).toBe('elsewhere');
    expect(problemOf(() => keyFor(store, 'totp-seal'))).toBe('elsewhere');
    expect(existsSync(join(dir, 'totp-seal.key'))).toBe(false);
  });

  it('keyFor creates a key once and returns the same key afterwards', () => {
    const store = new FileKeyStore(dir);
    const first = keyFor(store, 'cache-db');
    expect(keyFor(new FileKeyStore(dir), 'cache-db').equals(first)).toBe(true);
  });

  it('writeExclusive does not overwrite an existing file', () => {
    const file = join(dir, 'x.key');
    expect(writeExclusive(file, Buffer.from('first'))).toBe(true);
    expect(writeExclusive(file, Buffer.from('second'))).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('first');
  });
});

describe('sealingKey', () => {
  it('moves secret.key into the store once, then removes it', () => {
    const legacy = randomBytes(32);
    writeFileSync(join(dir, 'secret.key'), legacy, { mode: 0o600 });
    const store = new FileKeyStore(join(dir, 'keys'));
    expect(sealingKey(store, dir).equals(legacy)).toBe(true);
    expect(existsSync(join(dir, 'secret.key'))).toBe(false);
    expect(store.get(KEY_NAMES.totpSeal)!.equals(legacy)).toBe(true);
    expect(sealingKey(store, dir).equals(legacy)).toBe(true);
  });

  it('removes a secret.key left over from an interrupted move (the same key), and keeps the stored key', () => {
    const key = randomBytes(32);
    const store = new FileKeyStore(join(dir, 'keys'));
    store.put(KEY_NAMES.totpSeal, key);
    writeFileSync(join(dir, 'secret.key'), key, { mode: 0o600 });
    expect(sealingKey(store, dir).equals(key)).toBe(true);
    expect(existsSync(join(dir, 'secret.key'))).toBe(false);
  });

  it('refuses a secret.key that differs from the stored key and keeps both', () => {
    const store = new FileKeyStore(join(dir, 'keys'));
    store.put(KEY_NAMES.totpSeal, randomBytes(32));
    writeFileSync(join(dir, 'secret.key'), randomBytes(32), { mode: 0o600 });
    expect(problemOf(() => sealingKey(store, dir))).toBe('conflict');
    expect(existsSync(join(dir, 'secret.key'))).toBe(true);
  });

  it('refuses a damaged secret.key instead of replacing it', () => {
    writeFileSync(join(dir, 'secret.key'), randomBytes(20), { mode: 0o600 });
    const store = new FileKeyStore(join(dir, 'keys'));
    expect(problemOf(() => sealingKey(store, dir))).toBe('damaged');
    expect(store.get(KEY_NAMES.totpSeal)).toBeNull();
  });

  it('creates a key when there is neither', () => {
    const store = new FileKeyStore(join(dir, 'keys'));
    const key = sealingKey(store, dir);
    expect(key).toHaveLength(32);
    expect(store.get(KEY_NAMES.totpSeal)!.equals(key)).toBe(true);
  });
});

describe('HandedKeyStore', () => {
  it('serves the handed keys and refuses to create or delete any', () => {
    const key = randomBytes(32);
    const store = new HandedKeyStore({ 'totp-seal': new Uint8Array(key) });
    expect(sealingKey(store, null).equals(key)).toBe(true);
    expect(store.get('cache-db')).toBeNull();
    expect(problemOf(() => keyFor(store, 'cache-db'))).toBe('read_only');
    expect(problemOf(() => store.delete('totp-seal'))).toBe('read_only');
    expect(problemOf(() => new HandedKeyStore({ 'totp-seal': new Uint8Array(8) }))).toBe('invalid_key');
  });
});
