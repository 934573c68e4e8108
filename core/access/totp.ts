import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Time-based one-time passwords (RFC 6238) on top of HOTP (RFC 4226), and the base32 of RFC 4648 that
 * authenticator apps expect secrets in. node:crypto only: this is small enough that a dependency would be
 * more code to audit than the implementation.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const STEP_MS = 30_000;

export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';
export interface OtpOptions {
  digits?: 6 | 8;
  algorithm?: TotpAlgorithm;
}

/** RFC 4648 §6 base32, without the `=` padding (authenticator apps and the Key Uri Format omit it). */
export function base32Encode(buf: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of buf) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/**
 * Case-insensitive; spaces (apps show secrets in groups of four) and `=` padding are ignored. Throws on any
 * other character, and on lengths no encoder can produce (1, 3 or 6 characters past a multiple of 8), which
 * would otherwise silently drop a mistyped character.
 */
export function base32Decode(s: string): Buffer {
  const clean = s.replace(/\s+/g, '').replace(/=+$/, '').toUpperCase();
  const out = Buffer.alloc(Math.floor((clean.length * 5) / 8));
  let bits = 0;
  let value = 0;
  let o = 0;
  for (const ch of clean) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new Error(`base32: invalid character ${JSON.stringify(ch)}`);
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out[o++] = (value >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
  }
  if ([1, 3, 6].includes(clean.length % 8)) throw new Error(`base32: impossible length ${clean.length}`);
  return out;
}

/** 160 bits: RFC 4226 §4 (R6) requires at least 128 and recommends 160, the SHA-1 output size. */
export function generateTotpSecret(): Buffer {
  return randomBytes(20);
}

/** RFC 4226 HOTP: HMAC over the 8-byte big-endian counter, then dynamic truncation (§5.3). */
export function hotp(secret: Uint8Array, counter: number, opts: OtpOptions = {}): string {
  const digits = opts.digits ?? 6;
  if (!Number.isSafeInteger(counter) || counter < 0) throw new RangeError(`hotp: counter must be a non-negative integer, got ${counter}`);
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(opts.algorithm ?? 'sha1', secret).update(msg).digest();
  // The offset comes from the low nibble of the *last* byte, whatever the hash length (SHA-256/512 too).
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  // The top bit is masked off so the result is the same on signed and unsigned arithmetic (§5.3).
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The 30-second step containing `unixMs` (T0 = 0). */
export function totpStep(unixMs: number): number {
  return Math.floor(unixMs / STEP_MS);
}

/** RFC 6238 TOTP for the time `unixMs` (milliseconds since the epoch). */
export function totpAt(secret: Uint8Array, unixMs: number, opts: OtpOptions = {}): string {
  return hotp(secret, totpStep(unixMs), opts);
}

/**
 * Checks a 6-digit SHA-1 code against the current step ±`window` (RFC 6238 §5.2 allows one step of clock drift
 * either way). A step at or before `lastUsedStep` is refused even when the code is right: a one-time password
 * must be usable once, or a code read over a shoulder stays good for another minute. The caller stores the
 * returned step as the new `lastUsedStep`.
 */
export function verifyTotp(
  secret: Uint8Array,
  code: string,
  unixMs: number,
  lastUsedStep: number | null,
  window = 1,
): { ok: true; step: number } | { ok: false } {
  // Apps display "123 456"; people type what they see.
  const given = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(given)) return { ok: false };
  const givenBuf = Buffer.from(given);
  const now = totpStep(unixMs);
  let matched: number | null = null;
  // Every candidate is computed and compared, without stopping at the first hit, so the time taken says nothing
  // about which step (if any) matched; timingSafeEqual keeps the comparison itself from leaking digit by digit.
  for (let step = now - window; step <= now + window; step++) {
    if (step < 0) continue;
    const equal = timingSafeEqual(Buffer.from(hotp(secret, step)), givenBuf);
    if (equal && matched === null && (lastUsedStep === null || step > lastUsedStep)) matched = step;
  }
  return matched === null ? { ok: false } : { ok: true, step: matched };
}

/**
 * Google Authenticator Key Uri Format: `otpauth://totp/Issuer:account?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30`.
 * The issuer is given both in the label and as a parameter, as the format recommends. Colons are refused rather
 * than encoded: the label is split on the first ":" and apps disagree on whether they decode before splitting.
 */
export function otpauthUri({ secret, account, issuer }: { secret: string; account: string; issuer: string }): string {
  if (issuer.includes(':') || account.includes(':')) throw new Error('otpauthUri: issuer and account must not contain ":"');
  if (issuer === '' || account === '') throw new Error('otpauthUri: issuer and account must not be empty');
  // Re-encoding validates the secret and gives the canonical upper-case, unpadded, unspaced form.
  const canonical = base32Encode(base32Decode(secret));
  if (canonical === '') throw new Error('otpauthUri: empty secret');
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const query = [
    `secret=${canonical}`,
    `issuer=${encodeURIComponent(issuer)}`,
    'algorithm=SHA1',
    'digits=6',
    'period=30',
  ].join('&');
  return `otpauth://totp/${label}?${query}`;
}
