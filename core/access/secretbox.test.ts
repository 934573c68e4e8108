import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadOrCreateKey, open, seal } from './secretbox';

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  return { ...actual, readFileSync: vi.fn(actual.readFileSync) };
});

const USER = '0b7e5a52-3c1f-4d7e-9a8b-2f6c1d0e9a11';
const OTHER_USER = '5f0c2d3a-1b4e-4f6a-8c7d-9e0f1a2b3c4d';
const SECRET = Buffer.from('12345678901234567890').toString('base64');

/** Replaces the base64url part `index` (1 = IV, 2 = tag, 3 = ciphertext) with the same bytes, one bit flipped. */
function flipBit(sealed: string, index: number, byte = 0): string {
  const parts = sealed.split('.');
  const buf = Buffer.from(parts[index]!, 'base64url');
  buf[byte] = buf[byte]! ^ 0x01;
  parts[index] = buf.toString('base64url');
  return parts.join('.');
}

describe('seal / open', () => {
  const key = loadOrCreateKey(null);

  it('round-trips, including empty and non-ASCII text', () => {
    for (const text of [SECRET, '', 'Åsa Öberg – 🦊', 'x'.repeat(10_000)]) {
      expect(open(key, seal(key, text, USER), USER)).toBe(text);
    }
  });

  it('produces v1.<iv>.<tag>.<ciphertext> with a 12-byte IV and a 16-byte tag', () => {
    const parts = seal(key, SECRET, USER).split('.');
    expect(parts).toHaveLength(4);
    expect(parts[0]).toBe('v1');
    expect(Buffer.from(parts[1]!, 'base64url')).toHaveLength(12);
    expect(Buffer.from(parts[2]!, 'base64url')).toHaveLength(16);
    expect(Buffer.from(parts[3]!, 'base64url')).toHaveLength(SECRET.length);
    for (const p of parts.slice(1)) expect(p).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('uses a fresh IV each time', () => {
    expect(seal(key, SECRET, USER)).not.toBe(seal(key, SECRET, USER));
  });

  it('refuses a wrong key', () => {
    expect(() => open(loadOrCreateKey(null), seal(key, SECRET, USER), USER)).toThrow(/cannot open/);
  });

  it('refuses a value sealed for another row (aad)', () => {
    const sealed = seal(key, SECRET, USER);
    expect(() => open(key, sealed, OTHER_USER)).toThrow(/cannot open/);
    expect(() => open(key, sealed, '')).toThrow(/cannot open/);
  });

  it.each([
    [1, 'IV'],
    [2, 'tag'],
    [3, 'ciphertext'],
  ])('refuses a flipped bit in part %i (%s)', (index) => {
    const sealed = seal(key, SECRET, USER);
    expect(() => open(key, flipBit(sealed, index), USER)).toThrow(/cannot open/);
    expect(() => open(key, flipBit(sealed, index, 5), USER)).toThrow(/cannot open/);
  });

  it('refuses a truncated tag instead of checking only its first bytes', () => {
    const parts = seal(key, SECRET, USER).split('.');
    parts[2] = Buffer.from(parts[2]!, 'base64url').subarray(0, 4).toString('base64url');
    expect(() => open(key, parts.join('.'), USER)).toThrow(/tag length/);
  });

  it('refuses values that are not in the v1 format', () => {
    const sealed = seal(key, SECRET, USER);
    const [, iv, tag, ct] = sealed.split('.');
    for (const bad of ['', 'v1', sealed + '.x', `v2.${iv}.${tag}.${ct}`, `v1.${iv}.${tag}`, `v1.${iv}!.${tag}.${ct}`, `v1.${iv}.${tag}.${ct}==`, `v1..${tag}.${ct}`]) {
      expect(() => open(key, bad, USER)).toThrow(/malformed/);
    }
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => seal(Buffer.alloc(16), SECRET, USER)).toThrow(/32 bytes/);
    expect(() => open(Buffer.alloc(31), seal(key, SECRET, USER), USER)).toThrow(/32 bytes/);
  });
});

describe('loadOrCreateKey', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kansli-secretbox-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives a fresh random key without a directory', () => {
    const a = loadOrCreateKey(null);
    expect(a).toHaveLength(32);
    expect(a.equals(loadOrCreateKey(null))).toBe(false);
  });

  it('creates secret.key with 32 bytes, and re-uses it afterwards', () => {
    const first = loadOrCreateKey(dir);
    expect(first).toHaveLength(32);
    expect(readFileSync(join(dir, 'secret.key')).equals(first)).toBe(true);
    const again = loadOrCreateKey(dir);
    expect(again.equals(first)).toBe(true);
    expect(open(again, seal(first, SECRET, USER), USER)).toBe(SECRET);
  });

  it('re-uses a key that already exists', () => {
    const existing = Buffer.alloc(32, 7);
    writeFileSync(join(dir, 'secret.key'), existing);
    expect(loadOrCreateKey(dir).equals(existing)).toBe(true);
  });

  it.skipIf(process.platform === 'win32')('creates the key file readable by the owner only (0600)', () => {
    const oldMask = process.umask(0o000); // even with a permissive umask
    try {
      loadOrCreateKey(dir);
    } finally {
      process.umask(oldMask);
    }
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
  });

  it('creates a missing data directory', () => {
    const nested = join(dir, 'a', 'b');
    expect(loadOrCreateKey(nested)).toHaveLength(32);
    expect(statSync(join(nested, 'secret.key')).size).toBe(32);
  });

  it.each([1, 31, 33, 64])('refuses a %i-byte key file and leaves it alone', (n) => {
    const file = join(dir, 'secret.key');
    writeFileSync(file, Buffer.alloc(n, 1));
    expect(() => loadOrCreateKey(dir)).toThrow(new RegExp(`holds ${n} bytes, not a 32-byte key`));
    expect(readFileSync(file)).toHaveLength(n);
  });

  it('refuses an empty key file after waiting for a possible writer', () => {
    writeFileSync(join(dir, 'secret.key'), '');
    expect(() => loadOrCreateKey(dir)).toThrow(/holds 0 bytes/);
  });

  // The two races below are staged by making the next read behave as if another process had just acted.
  it('uses the key of a process that created the file between our read and our exclusive create', () => {
    const file = join(dir, 'secret.key');
    const theirs = Buffer.alloc(32, 9);
    vi.mocked(readFileSync).mockImplementationOnce(() => {
      writeFileSync(file, theirs);
      throw Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
    });
    expect(loadOrCreateKey(dir).equals(theirs)).toBe(true);
    expect(readFileSync(file).equals(theirs)).toBe(true);
  });

  it('waits for a key file that another process has created but not yet written', () => {
    const file = join(dir, 'secret.key');
    const theirs = Buffer.alloc(32, 3);
    writeFileSync(file, theirs);
    vi.mocked(readFileSync).mockImplementationOnce(() => Buffer.alloc(0));
    expect(loadOrCreateKey(dir).equals(theirs)).toBe(true);
  });
});
