/**
 * The desktop app's keystore: Kansli's keys (core/keys/keystore.ts) sealed by the OS through Electron's
 * safeStorage (Keychain on macOS, DPAPI on Windows, the Secret Service or KWallet on Linux), stored as
 * `<name>.safestorage` blobs (0600) in the data folder's `keys` folder.
 *
 * Refused, with a message saying what to do: safeStorage unavailable, and on Linux the `basic_text` backend
 * (no keyring found: Chromium then "encrypts" with a hard-coded password, so the blob is as good as plain)
 * or `unknown` (asked before the app was ready).
 *
 * Only main can use safeStorage. The core's utilityProcess gets the keys it needs from `coreKeys` through
 * the init message (shared/api/ipc.ts), never through argv, the environment or a log line.
 *
 * No electron import: main.ts passes `safeStorage` in, and keystore.test.ts passes a working stand-in
 * (Electron itself cannot run on the build machines).
 */
import { existsSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkKeyBytes,
  checkKeyName,
  checkPrivate,
  ensurePrivateFolder,
  KEY_BYTES,
  KEY_NAMES,
  KeyStoreError,
  resolveKeysAsync,
  writeExclusive,
  type AsyncKeyStore,
} from '../core/keys/keystore';

/**
 * The part of Electron's safeStorage used here: the asynchronous API (the synchronous one is deprecated in
 * Electron 45 and removed in 46) and the Linux backend's name.
 */
export interface SafeStorageSurface {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }>;
  getSelectedStorageBackend(): string;
}

/**
 * The keys the core needs at start: the TOTP sealing key, and the cache key that opens a joined
 * workstation's encrypted cache (kansli server join made it; resolved always, so the utility process never
 * needs the OS keystore itself).
 */
export const CORE_KEY_NAMES: readonly string[] = [KEY_NAMES.totpSeal, KEY_NAMES.cacheDb];

export class SafeStorageKeyStore implements AsyncKeyStore {
  private checked = false;

  constructor(
    private readonly safe: SafeStorageSurface,
    readonly dir: string,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  /** Refuses a keystore that would not protect the keys; checked once, before the first key is touched. */
  async assertUsable(): Promise<void> {
    if (this.checked) return;
    if (this.platform === 'linux') {
      const backend = this.safe.getSelectedStorageBackend();
      if (backend === 'basic_text') {
        throw new KeyStoreError(
          'unavailable',
          'Kansli found no keyring (GNOME Keyring / Secret Service or KWallet) on this desktop, and will not keep its keys ' +
            "in Electron's plain-text fallback. Install or unlock a keyring, or start Kansli with --password-store=gnome-libsecret (or kwallet6).",
        );
      }
      if (backend === 'unknown') throw new KeyStoreError('unavailable', 'The OS keystore was asked before the app was ready');
    }
    if (!(await this.safe.isAsyncEncryptionAvailable())) {
      throw new KeyStoreError('unavailable', "The operating system's keystore is not available to Kansli (safeStorage reports no encryption)");
    }
    ensurePrivateFolder(this.dir);
    this.checked = true;
  }

  private file(name: string): string {
    checkKeyName(name);
    return join(this.dir, `${name}.safestorage`);
  }

  async get(name: string): Promise<Buffer | null> {
    await this.assertUsable();
    const file = this.file(name);
    if (!existsSync(file)) return null;
    checkPrivate(file);
    const { result, shouldReEncrypt } = await this.safe.decryptStringAsync(readFileSync(file));
    const key = Buffer.from(result, 'base64');
    if (key.length !== KEY_BYTES) throw new KeyStoreError('damaged', `${file} does not hold a ${KEY_BYTES}-byte key`);
    // The OS rotated its key: seal ours again under the new one. The old blob stays until the new one is whole.
    if (shouldReEncrypt) {
      const fresh = await this.safe.encryptStringAsync(key.toString('base64'));
      const next = `${file}.next`;
      try {
        unlinkSync(next);
      } catch {
        // none left from an earlier attempt
      }
      if (writeExclusive(next, fresh)) renameSync(next, file);
    }
    return key;
  }

  async put(name: string, key: Buffer): Promise<void> {
    await this.assertUsable();
    const file = this.file(name);
    checkKeyBytes(key, name);
    const blob = await this.safe.encryptStringAsync(key.toString('base64'));
    if (writeExclusive(file, blob)) return;
    const existing = await this.get(name);
    if (existing && existing.equals(key)) return;
    throw new KeyStoreError('exists', `The keystore already holds another key ${name}; delete it first if it really is to be replaced`);
  }

  async delete(name: string): Promise<void> {
    await this.assertUsable();
    try {
      unlinkSync(this.file(name));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
}

/**
 * The keys the core needs, resolved in main before the core starts: created on first use, and the legacy
 * `secret.key` beside the database moved into the OS keystore once (then removed). The result goes into
 * the init message as bytes.
 */
export async function coreKeys(store: SafeStorageKeyStore, dataDir: string, names: readonly string[] = CORE_KEY_NAMES): Promise<Record<string, Uint8Array>> {
  const keys = await resolveKeysAsync(store, names, dataDir);
  const out: Record<string, Uint8Array> = {};
  for (const [name, key] of Object.entries(keys)) out[name] = new Uint8Array(key);
  return out;
}
