/**
 * Where Kansli keeps its keys at rest: named 32-byte keys, never in the database they protect.
 *
 *  - `totp-seal` seals the TOTP secrets stored in the database (core/access/secretbox.ts). It used to be
 *    `secret.key` beside the database; `sealingKey` moves that file into the store once and removes it.
 *  - `cache-db` (joined mode, docs/sync.md "The cache at rest"): the key of the encrypted cache database,
 *    for `openDatabase(path, { key })` in db/open.ts.
 *
 * Stores:
 *  - `FileKeyStore` (browser host, CLI, tests): 0600 files in a 0700 folder (`<data dir>/keys`). A key file
 *    readable by group or others is refused, naming the file: a key anyone on the machine can read
 *    protects nothing.
 *  - `SafeStorageKeyStore` (electron/keystore.ts, the desktop app's main process): the OS keystore through
 *    Electron's safeStorage; its blobs sit in the same folder as `<name>.safestorage`. The core runs in a
 *    utilityProcess that cannot reach safeStorage: main resolves the keys it needs (`resolveKeysAsync`) and
 *    hands them over in the init message, where the core reads them through a `HandedKeyStore`.
 *
 * Keys are never logged and never pass through argv or the environment.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const KEY_BYTES = 32;

export const KEY_NAMES = {
  /** Seals TOTP secrets in the database. */
  totpSeal: 'totp-seal',
  /** Encrypts the joined-mode cache database. */
  cacheDb: 'cache-db',
} as const;

const NAME = /^[a-z][a-z0-9-]{0,62}$/;

/** The legacy key file beside the database (before the keystore). */
export const LEGACY_SEAL_FILE = 'secret.key';

export type KeyStoreProblem = 'invalid_name' | 'invalid_key' | 'exposed' | 'damaged' | 'exists' | 'unavailable' | 'read_only' | 'elsewhere' | 'conflict';

export class KeyStoreError extends Error {
  constructor(
    readonly problem: KeyStoreProblem,
    message: string,
  ) {
    super(message);
    this.name = 'KeyStoreError';
  }
}

/** A named 32-byte key: get (null when there is none), put (refused when another key is there), delete. */
export interface KeyStore {
  get(name: string): Buffer | null;
  /** Stores a new key. A different key under the name is refused ('exists'): replacing a key loses what it protects. */
  put(name: string, key: Buffer): void;
  delete(name: string): void;
}

/** The same for stores whose backend is asynchronous (Electron's safeStorage). */
export interface AsyncKeyStore {
  get(name: string): Promise<Buffer | null>;
  put(name: string, key: Buffer): Promise<void>;
  delete(name: string): Promise<void>;
}

export function checkKeyName(name: string): void {
  if (!NAME.test(name)) throw new KeyStoreError('invalid_name', `Not a key name: ${JSON.stringify(name)} (lower-case letters, digits and '-')`);
}

export function checkKeyBytes(key: Buffer, what: string): void {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
    throw new KeyStoreError('invalid_key', `${what}: a key must be ${KEY_BYTES} bytes, got ${Buffer.isBuffer(key) ? key.length : typeof key}`);
  }
}

function isErrno(e: unknown, code: string): boolean {
  return e instanceof Error && (e as NodeJS.ErrnoException).code === code;
}

// Windows has no POSIX modes (Node reports 0o666 for any writable file); the per-user profile folder's ACL
// does this job there, as for secret.key before.
const POSIX_MODES = process.platform !== 'win32';

/** Refuses a file whose mode lets group or others read or write it. */
export function checkPrivate(file: string): void {
  if (!POSIX_MODES) return;
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new KeyStoreError(
      'exposed',
      `${file} is readable or writable by other users (mode ${mode.toString(8).padStart(4, '0')}); ` +
        'it must be 0600. Check who could have copied it, then `chmod 600` it.',
    );
  }
}

/**
 * Writes `bytes` to `file` only if no file is there, and never leaves a partial file under that name: the
 * bytes go to a private temporary file (0600, fsynced) that is then hard-linked to the name. link() fails
 * when the name exists, so two processes creating the same key at once cannot overwrite each other, and a
 * reader sees either no file or the whole key. Returns false when the file already existed.
 */
export function writeExclusive(file: string, bytes: Buffer): boolean {
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, file);
    return true;
  } catch (e) {
    if (isErrno(e, 'EEXIST')) return false;
    throw e;
  } finally {
    unlinkSync(tmp);
  }
}

export function ensurePrivateFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** Keys as 0600 files `<dir>/<name>.key`; the folder is created 0700. */
export class FileKeyStore implements KeyStore {
  constructor(readonly dir: string) {
    ensurePrivateFolder(dir);
  }

  private file(name: string): string {
    checkKeyName(name);
    return join(this.dir, `${name}.key`);
  }

  get(name: string): Buffer | null {
    const file = this.file(name);
    let key: Buffer;
    try {
      checkPrivate(file);
      key = readFileSync(file);
    } catch (e) {
      if (!isErrno(e, 'ENOENT')) throw e;
      // The desktop app keeps this key in the OS keystore; a new file key here would make what it protects unreadable.
      if (existsSync(join(this.dir, `${name}.safestorage`))) {
        throw new KeyStoreError('elsewhere', `The key ${name} of this data folder is kept in the desktop app's OS keystore; use the desktop app`);
      }
      return null;
    }
    if (key.length !== KEY_BYTES) {
      throw new KeyStoreError('damaged', `${file} holds ${key.length} bytes, not a ${KEY_BYTES}-byte key. Restore it from backup; deleting it makes what it protects unreadable.`);
    }
    return key;
  }

  put(name: string, key: Buffer): void {
    const file = this.file(name);
    checkKeyBytes(key, file);
    if (writeExclusive(file, key)) return;
    const existing = this.get(name);
    if (existing && existing.equals(key)) return;
    throw new KeyStoreError('exists', `${file} already holds another key; delete it first if it really is to be replaced`);
  }

  delete(name: string): void {
    try {
      unlinkSync(this.file(name));
    } catch (e) {
      if (!isErrno(e, 'ENOENT')) throw e;
    }
  }
}

/**
 * Keys another process resolved and handed over (Electron: main → the core's utilityProcess, in the init
 * message). Read-only: a key the core needs must be resolved where the keystore is.
 */
export class HandedKeyStore implements KeyStore {
  private readonly keys = new Map<string, Buffer>();

  constructor(keys: Readonly<Record<string, Uint8Array>>) {
    for (const [name, bytes] of Object.entries(keys)) {
      checkKeyName(name);
      const key = Buffer.from(bytes);
      checkKeyBytes(key, `handed key ${name}`);
      this.keys.set(name, key);
    }
  }

  get(name: string): Buffer | null {
    checkKeyName(name);
    return this.keys.get(name) ?? null;
  }

  put(name: string): void {
    throw new KeyStoreError('read_only', `The key ${name} must be created by the process that holds the keystore`);
  }

  delete(name: string): void {
    throw new KeyStoreError('read_only', `The key ${name} must be deleted by the process that holds the keystore`);
  }
}

/** The legacy `secret.key` in `dir`, or null; a file of the wrong length or readable by others is refused. */
export function readLegacySealFile(dir: string | null): { file: string; key: Buffer } | null {
  if (dir === null) return null;
  const file = join(dir, LEGACY_SEAL_FILE);
  let key: Buffer;
  try {
    key = readFileSync(file);
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return null;
    throw e;
  }
  if (key.length !== KEY_BYTES) {
    throw new KeyStoreError('damaged', `${file} holds ${key.length} bytes, not a ${KEY_BYTES}-byte key. Restore it from backup; deleting it makes the stored two-factor secrets unreadable.`);
  }
  return { file, key };
}

/**
 * What to do with a stored key and a legacy file: the legacy key is adopted when the store has none; a file
 * that holds the stored key is left over from an interrupted move and goes; a file with a different key is
 * a conflict nobody can settle automatically (one of them sealed the secrets in the database).
 */
function planSealKey(stored: Buffer | null, legacy: { file: string; key: Buffer } | null): { key: Buffer | null; put: boolean } {
  if (!legacy) return { key: stored, put: false };
  if (!stored) return { key: legacy.key, put: true };
  if (stored.equals(legacy.key)) return { key: stored, put: false };
  throw new KeyStoreError('conflict', `${legacy.file} holds another key than the keystore's ${KEY_NAMES.totpSeal}; keep the one that opens the stored two-factor secrets and remove the other`);
}

function removeLegacy(legacy: { file: string } | null): void {
  if (!legacy) return;
  try {
    unlinkSync(legacy.file);
  } catch (e) {
    if (!isErrno(e, 'ENOENT')) throw e;
  }
}

/**
 * The key that seals TOTP secrets: the store's `totp-seal`, created on first use. A `secret.key` in
 * `legacyDir` (the database's folder before the keystore) is moved in once: stored first, then the file
 * removed, so a crash between the two leaves the same key in both places, which the next start settles.
 */
export function sealingKey(store: KeyStore, legacyDir: string | null): Buffer {
  const legacy = readLegacySealFile(legacyDir);
  const plan = planSealKey(store.get(KEY_NAMES.totpSeal), legacy);
  if (plan.put) store.put(KEY_NAMES.totpSeal, plan.key!);
  removeLegacy(legacy);
  return plan.key ?? keyFor(store, KEY_NAMES.totpSeal);
}

/** The stored key `name`, created (random) on first use; a concurrent creator's key wins and is returned. */
export function keyFor(store: KeyStore, name: string): Buffer {
  const existing = store.get(name);
  if (existing) return existing;
  const key = randomBytes(KEY_BYTES);
  try {
    store.put(name, key);
    return key;
  } catch (e) {
    if (e instanceof KeyStoreError && e.problem === 'exists') return store.get(name)!;
    throw e;
  }
}

/** `sealingKey` and `keyFor` for an asynchronous store: the keys `names` (the seal key adopting `secret.key`). */
export async function resolveKeysAsync(store: AsyncKeyStore, names: readonly string[], legacyDir: string | null): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {};
  for (const name of names) {
    checkKeyName(name);
    const legacy = name === KEY_NAMES.totpSeal ? readLegacySealFile(legacyDir) : null;
    const plan = planSealKey(await store.get(name), legacy);
    if (plan.put) await store.put(name, plan.key!);
    removeLegacy(legacy);
    let key = plan.key;
    if (!key) {
      key = randomBytes(KEY_BYTES);
      try {
        await store.put(name, key);
      } catch (e) {
        if (!(e instanceof KeyStoreError && e.problem === 'exists')) throw e;
        key = (await store.get(name))!;
      }
    }
    out[name] = key;
  }
  return out;
}
