import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Authenticated encryption for small secrets stored in the database (TOTP seeds). The key lives outside the
 * database, so a copy of the database alone (a backup, an attachment to a support ticket) does not give away
 * anyone's second factor: since issue 11 in the keystore (core/keys/keystore.ts, `totp-seal`), which adopts the
 * older `secret.key` file that `loadOrCreateKey` below made beside the database. The core no longer calls
 * `loadOrCreateKey` with a folder.
 */

const KEY_BYTES = 32;
const IV_BYTES = 12; // the GCM nonce size NIST SP 800-38D recommends; other sizes are hashed into one
const TAG_BYTES = 16;
const VERSION = 'v1';
const KEY_FILE = 'secret.key';

function isErrnoException(e: unknown, code: string): boolean {
  return e instanceof Error && (e as NodeJS.ErrnoException).code === code;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Reads the key file. An empty file is most likely another process between its exclusive create and its write,
 * so that is waited out briefly; any other wrong length is a damaged or foreign file and is refused, never
 * replaced: a new key would make every stored secret unreadable.
 */
function readKeyFile(file: string): Buffer {
  for (let attempt = 0; ; attempt++) {
    const key = readFileSync(file);
    if (key.length === KEY_BYTES) return key;
    if (key.length === 0 && attempt < 25) {
      sleepSync(20);
      continue;
    }
    throw new Error(
      `${file} holds ${key.length} bytes, not a ${KEY_BYTES}-byte key. Restore it from backup; ` +
        'deleting it makes the stored two-factor secrets unreadable.',
    );
  }
}

/**
 * The 32-byte key in `<dir>/secret.key`, created on first use. `null` gives a fresh in-memory key, for tests and
 * ':memory:' databases whose sealed values do not outlive the process anyway.
 */
export function loadOrCreateKey(dir: string | null): Buffer {
  if (dir === null) return randomBytes(KEY_BYTES);
  const file = join(dir, KEY_FILE);
  try {
    return readKeyFile(file);
  } catch (e) {
    if (!isErrnoException(e, 'ENOENT')) throw e;
  }
  mkdirSync(dir, { recursive: true });
  const key = randomBytes(KEY_BYTES);
  let fd: number;
  try {
    // `wx` fails if the file exists, so two processes starting together cannot each write their own key and
    // leave one of them with secrets sealed under a key that was overwritten. 0o600: owner only (ignored on
    // Windows, where the per-user profile folder's ACL does that job).
    fd = openSync(file, 'wx', 0o600);
  } catch (e) {
    if (isErrnoException(e, 'EEXIST')) return readKeyFile(file);
    throw e;
  }
  try {
    writeSync(fd, key);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    // A half-written key file would be refused on every later start; better to leave none.
    try {
      unlinkSync(file);
    } catch {
      // nothing more to do; the original error is the one that matters
    }
    throw e;
  }
  closeSync(fd);
  return key;
}

function checkKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new Error(`secretbox: key must be ${KEY_BYTES} bytes, got ${key.length}`);
}

/**
 * The version is part of the authenticated data, so a value cannot be relabelled as another format version,
 * and the row binding (`aad`, e.g. the user id) means a sealed secret copied into another account's row does
 * not open there.
 */
function associatedData(aad: string): Buffer {
  return Buffer.from(`kansli-secretbox/${VERSION}\0${aad}`, 'utf8');
}

/** AES-256-GCM with a random 96-bit IV: `v1.<iv>.<tag>.<ciphertext>`, each base64url. */
export function seal(key: Buffer, plaintext: string, aad: string): string {
  checkKey(key);
  // Random IVs are safe here: the number of messages per key stays far below the 2^32 limit of SP 800-38D §8.3.
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(aad));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString('base64url'), tag.toString('base64url'), ciphertext.toString('base64url')].join('.');
}

const B64URL = /^[A-Za-z0-9_-]*$/;

/** Buffer.from(…, 'base64url') skips characters it does not know; a sealed value with any is not ours. */
function decodePart(part: string): Buffer {
  if (!B64URL.test(part)) throw new Error('secretbox: malformed sealed value (not base64url)');
  return Buffer.from(part, 'base64url');
}

/** Inverse of `seal`. Throws on a wrong key, a wrong `aad`, any tampering, or a value not in the v1 format. */
export function open(key: Buffer, sealed: string, aad: string): string {
  checkKey(key);
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) {
    throw new Error(`secretbox: malformed sealed value (expected ${VERSION}.<iv>.<tag>.<ciphertext>)`);
  }
  const iv = decodePart(parts[1] ?? '');
  const tag = decodePart(parts[2] ?? '');
  const ciphertext = decodePart(parts[3] ?? '');
  // The length check matters: without authTagLength, Node accepts tags as short as 4 bytes, and a 4-byte tag can
  // be forged by trying 2^32 values.
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new Error('secretbox: malformed sealed value (wrong IV or tag length)');
  }
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(associatedData(aad));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch (cause) {
    throw new Error('secretbox: cannot open sealed value (wrong key, wrong row, or the value was altered)', { cause });
  }
}
