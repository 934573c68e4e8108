/**
 * The desktop keystore's logic with safeStorage passed in: Electron cannot run on the build machines, so
 * `OsSealer` stands in for the OS (a real AES-256-GCM under a key the "OS" holds, so a blob is opaque
 * on disk and a foreign blob fails to open, as with safeStorage). The files are real.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileKeyStore, KEY_NAMES, KeyStoreError } from '../core/keys/keystore';
import { coreKeys, SafeStorageKeyStore, type SafeStorageSurface } from './keystore';

class OsSealer implements SafeStorageSurface {
  osKey = randomBytes(32);
  rotated = false;
  constructor(
    public backend = 'gnome_libsecret',
    public available = true,
  ) {}
  getSelectedStorageBackend(): string {
    return this.backend;
  }
  async isAsyncEncryptionAvailable(): Promise<boolean> {
    return this.available;
  }
  async encryptStringAsync(plainText: string): Promise<Buffer> {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.osKey, iv);
    const body = Buffer.concat([c.update(plainText, 'utf8'), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), body]);
  }
  async decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }> {
    const d = createDecipheriv('aes-256-gcm', this.osKey, encrypted.subarray(0, 12));
    d.setAuthTag(encrypted.subarray(12, 28));
    const result = Buffer.concat([d.update(encrypted.subarray(28)), d.final()]).toString('utf8');
    return { shouldReEncrypt: this.rotated, result };
  }
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kansli-safestorage-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function problemOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof KeyStoreError) return e.problem;
    throw e;
  }
  throw new Error('expected a KeyStoreError');
}

describe('SafeStorageKeyStore', () => {
  it('keeps each key as an OS-sealed 0600 blob that holds neither the key nor its base64', async () => {
    const store = new SafeStorageKeyStore(new OsSealer(), join(dir, 'keys'), 'linux');
    const key = randomBytes(32);
    await store.put('cache-db', key);
    const blob = readFileSync(join(dir, 'keys', 'cache-db.safestorage'));
    expect(blob.includes(key)).toBe(false);
    expect(blob.includes(Buffer.from(key.toString('base64')))).toBe(false);
    expect(statSync(join(dir, 'keys', 'cache-db.safestorage')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'keys')).mode & 0o777).toBe(0o700);
    expect((await store.get('cache-db'))!.equals(key)).toBe(true);
    expect(await problemOf(store.put('cache-db', randomBytes(32)))).toBe('exists');
    await store.delete('cache-db');
    expect(await store.get('cache-db')).toBeNull();
  });

  it("refuses Linux's plain-text backend with a message that says what to do, and writes nothing", async () => {
    const store = new SafeStorageKeyStore(new OsSealer('basic_text'), join(dir, 'keys'), 'linux');
    try {
      await store.get(KEY_NAMES.totpSeal);
      throw new Error('not refused');
    } catch (e) {
      expect((e as KeyStoreError).problem).toBe('unavailable');
      expect((e as Error).message).toMatch(/no keyring/);
      expect((e as Error).message).toMatch(/--password-store=/);
    }
    expect(await problemOf(coreKeys(store, dir))).toBe('unavailable');
    expect(existsSync(join(dir, 'keys'))).toBe(false);
  });

  it('refuses when safeStorage has no encryption, and before the app is ready', async () => {
    expect(await problemOf(new SafeStorageKeyStore(new OsSealer('kwallet6', false), dir, 'linux').get('cache-db'))).toBe('unavailable');
    expect(await problemOf(new SafeStorageKeyStore(new OsSealer('unknown'), dir, 'linux').get('cache-db'))).toBe('unavailable');
    expect(await problemOf(new SafeStorageKeyStore(new OsSealer('basic_text', false), dir, 'win32').get('cache-db'))).toBe('unavailable');
  });

  it("the backend's name matters on Linux only (macOS and Windows report none)", async () => {
    const store = new SafeStorageKeyStore(new OsSealer('basic_text'), dir, 'darwin');
    await store.put('cache-db', randomBytes(32));
    expect(await store.get('cache-db')).toHaveLength(32);
  });

  it('a blob sealed by another OS key does not open', async () => {
    const a = new OsSealer();
    await new SafeStorageKeyStore(a, dir, 'linux').put('cache-db', randomBytes(32));
    await expect(new SafeStorageKeyStore(new OsSealer(), dir, 'linux').get('cache-db')).rejects.toThrow();
  });

  it('seals a key again when the OS says its own key was rotated', async () => {
    const os = new OsSealer();
    const store = new SafeStorageKeyStore(os, dir, 'linux');
    const key = randomBytes(32);
    await store.put('cache-db', key);
    const before = readFileSync(join(dir, 'cache-db.safestorage'));
    os.rotated = true;
    expect((await store.get('cache-db'))!.equals(key)).toBe(true);
    const after = readFileSync(join(dir, 'cache-db.safestorage'));
    expect(after.equals(before)).toBe(false);
    os.rotated = false;
    expect((await store.get('cache-db'))!.equals(key)).toBe(true);
    expect(existsSync(join(dir, 'cache-db.safestorage.next'))).toBe(false);
  });
});

describe('coreKeys (main, before the core starts)', () => {
  it('creates the sealing key once, as bytes for the init message', async () => {
    const os = new OsSealer();
    const first = await coreKeys(new SafeStorageKeyStore(os, join(dir, 'keys'), 'linux'), dir);
    expect(Object.keys(first)).toEqual([KEY_NAMES.totpSeal, KEY_NAMES.cacheDb]);
    expect(first[KEY_NAMES.totpSeal]).toBeInstanceOf(Uint8Array);
    const again = await coreKeys(new SafeStorageKeyStore(os, join(dir, 'keys'), 'linux'), dir);
    expect(Buffer.from(again[KEY_NAMES.totpSeal]!).equals(Buffer.from(first[KEY_NAMES.totpSeal]!))).toBe(true);
  });

  it('moves secret.key into the OS keystore once and removes it; the CLI then refuses to make a file key', async () => {
    const legacy = randomBytes(32);
    writeFileSync(join(dir, 'secret.key'), legacy, { mode: 0o600 });
    const os = new OsSealer();
    const keys = await coreKeys(new SafeStorageKeyStore(os, join(dir, 'keys'), 'linux'), dir);
    expect(Buffer.from(keys[KEY_NAMES.totpSeal]!).equals(legacy)).toBe(true);
    expect(existsSync(join(dir, 'secret.key'))).toBe(false);
    expect(await new SafeStorageKeyStore(os, join(dir, 'keys'), 'linux').get(KEY_NAMES.totpSeal)).toEqual(legacy);
    expect(() => new FileKeyStore(join(dir, 'keys')).get(KEY_NAMES.totpSeal)).toThrow(/OS keystore/);
  });
});
