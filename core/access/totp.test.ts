import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, generateTotpSecret, hotp, otpauthUri, totpAt, totpStep, verifyTotp, type TotpAlgorithm } from './totp';

const ascii = (s: string): Buffer => Buffer.from(s, 'ascii');

describe('base32 (RFC 4648 §10 test vectors)', () => {
  const vectors: [string, string][] = [
    ['', ''],
    ['f', 'MY======'],
    ['fo', 'MZXQ===='],
    ['foo', 'MZXW6==='],
    ['foob', 'MZXW6YQ='],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI======'],
  ];

  it.each(vectors)('encodes %j as %j without padding', (plain, encoded) => {
    expect(base32Encode(ascii(plain))).toBe(encoded.replace(/=/g, ''));
  });

  it.each(vectors)('decodes %j from the padded form %j', (plain, encoded) => {
    expect(base32Decode(encoded).toString('ascii')).toBe(plain);
    expect(base32Decode(encoded.replace(/=/g, '')).toString('ascii')).toBe(plain);
  });

  it('is case-insensitive and ignores spaces', () => {
    expect(base32Decode('mzxw 6ytb oi').toString('ascii')).toBe('foobar');
    expect(base32Decode(' MzXw6YtBoI====== ').toString('ascii')).toBe('foobar');
  });

  it.each(['MZXW1', 'MZXW8', 'MZ-W6', 'MZXW6ÿ', 'MY==MY'])('throws on invalid character in %j', (s) => {
    expect(() => base32Decode(s)).toThrow(/invalid character/);
  });

  it.each(['M', 'MZX', 'MZXW6Y'])('throws on the impossible length of %j', (s) => {
    expect(() => base32Decode(s)).toThrow(/impossible length/);
  });

  it('round-trips any bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const encoded = base32Encode(bytes);
        expect(encoded).toMatch(/^[A-Z2-7]*$/);
        expect(encoded.length).toBe(Math.ceil((bytes.length * 8) / 5));
        expect(base32Decode(encoded).equals(Buffer.from(bytes))).toBe(true);
        expect(base32Decode(encoded.toLowerCase().replace(/(.{4})/g, '$1 ')).equals(Buffer.from(bytes))).toBe(true);
      }),
    );
  });
});

describe('hotp (RFC 4226 Appendix D)', () => {
  const secret = ascii('12345678901234567890');
  const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];

  it.each(expected.map((code, counter) => [counter, code] as const))('counter %i → %s', (counter, code) => {
    expect(hotp(secret, counter)).toBe(code);
  });

  it('refuses negative, fractional and unsafe counters', () => {
    expect(() => hotp(secret, -1)).toThrow(RangeError);
    expect(() => hotp(secret, 1.5)).toThrow(RangeError);
    expect(() => hotp(secret, 2 ** 53)).toThrow(RangeError);
  });

  it('writes counters above 2^32 as full 64-bit big-endian values', () => {
    // Same low 32 bits, different high word: a 32-bit shortcut would make these equal.
    expect(hotp(secret, 2 ** 32 + 1)).not.toBe(hotp(secret, 1));
  });
});

describe('totpAt (RFC 6238 Appendix B)', () => {
  const seeds: Record<TotpAlgorithm, Buffer> = {
    sha1: ascii('12345678901234567890'),
    sha256: ascii('12345678901234567890123456789012'),
    sha512: ascii('1234567890123456789012345678901234567890123456789012345678901234'),
  };
  const table: [number, string, TotpAlgorithm][] = [
    [59, '94287082', 'sha1'],
    [59, '46119246', 'sha256'],
    [59, '90693936', 'sha512'],
    [1111111109, '07081804', 'sha1'],
    [1111111109, '68084774', 'sha256'],
    [1111111109, '25091201', 'sha512'],
    [1111111111, '14050471', 'sha1'],
    [1111111111, '67062674', 'sha256'],
    [1111111111, '99943326', 'sha512'],
    [1234567890, '89005924', 'sha1'],
    [1234567890, '91819424', 'sha256'],
    [1234567890, '93441116', 'sha512'],
    [2000000000, '69279037', 'sha1'],
    [2000000000, '90698825', 'sha256'],
    [2000000000, '38618901', 'sha512'],
    [20000000000, '65353130', 'sha1'],
    [20000000000, '77737706', 'sha256'],
    [20000000000, '47863826', 'sha512'],
  ];

  it.each(table)('T=%i s → %s (%s)', (seconds, code, algorithm) => {
    expect(totpAt(seeds[algorithm], seconds * 1000, { digits: 8, algorithm })).toBe(code);
  });

  it('uses 30-second steps from T0 = 0', () => {
    expect(totpStep(0)).toBe(0);
    expect(totpStep(29_999)).toBe(0);
    expect(totpStep(30_000)).toBe(1);
    expect(totpStep(1111111109 * 1000)).toBe(0x23523ec);
    expect(totpAt(seeds.sha1, 59_000)).toBe(hotp(seeds.sha1, 1));
  });

  it('defaults to 6 digits, the last six of the 8-digit value', () => {
    expect(totpAt(seeds.sha1, 59_000)).toBe('287082');
  });
});

describe('generateTotpSecret', () => {
  it('returns 20 fresh random bytes', () => {
    const a = generateTotpSecret();
    const b = generateTotpSecret();
    expect(a).toHaveLength(20);
    expect(a.equals(b)).toBe(false);
  });
});

describe('verifyTotp', () => {
  const secret = ascii('12345678901234567890');
  const now = 1_700_000_015_000; // mid-step
  const step = totpStep(now);
  const codeAt = (s: number): string => hotp(secret, s);

  it('accepts the current code and returns its step', () => {
    expect(verifyTotp(secret, codeAt(step), now, null)).toEqual({ ok: true, step });
  });

  it('accepts one step of drift either way by default, and no more', () => {
    expect(verifyTotp(secret, codeAt(step - 1), now, null)).toEqual({ ok: true, step: step - 1 });
    expect(verifyTotp(secret, codeAt(step + 1), now, null)).toEqual({ ok: true, step: step + 1 });
    expect(verifyTotp(secret, codeAt(step - 2), now, null)).toEqual({ ok: false });
    expect(verifyTotp(secret, codeAt(step + 2), now, null)).toEqual({ ok: false });
  });

  it('honours a wider or a zero window', () => {
    expect(verifyTotp(secret, codeAt(step - 2), now, null, 2)).toEqual({ ok: true, step: step - 2 });
    expect(verifyTotp(secret, codeAt(step - 1), now, null, 0)).toEqual({ ok: false });
    expect(verifyTotp(secret, codeAt(step), now, null, 0)).toEqual({ ok: true, step });
  });

  it('refuses a replayed code (RFC 6238 §5.2)', () => {
    const first = verifyTotp(secret, codeAt(step), now, null);
    expect(first).toEqual({ ok: true, step });
    expect(verifyTotp(secret, codeAt(step), now + 5_000, step)).toEqual({ ok: false });
  });

  it('refuses any step at or before the last used one, even inside the window', () => {
    // A code from the following step was used (clock ahead); the current and previous codes are now spent too.
    expect(verifyTotp(secret, codeAt(step), now, step + 1)).toEqual({ ok: false });
    expect(verifyTotp(secret, codeAt(step - 1), now, step - 1)).toEqual({ ok: false });
    expect(verifyTotp(secret, codeAt(step + 1), now, step)).toEqual({ ok: true, step: step + 1 });
  });

  it('accepts the next step once the clock moves on', () => {
    expect(verifyTotp(secret, codeAt(step + 1), now + 30_000, step)).toEqual({ ok: true, step: step + 1 });
  });

  it('tolerates spaces but refuses anything that is not exactly six digits', () => {
    const code = codeAt(step);
    expect(verifyTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, now, null)).toEqual({ ok: true, step });
    for (const bad of ['', code.slice(0, 5), code + '0', `${code.slice(0, 5)}x`, '０１２３４５', `-${code.slice(1)}`]) {
      expect(verifyTotp(secret, bad, now, null)).toEqual({ ok: false });
    }
  });

  it('refuses the right code for a different secret', () => {
    const other = ascii('abcdefghijabcdefghij');
    // Precondition: the other secret's codes around now happen not to collide with this one's.
    expect([step - 1, step, step + 1].map((s) => hotp(other, s))).not.toContain(codeAt(step));
    expect(verifyTotp(other, codeAt(step), now, null)).toEqual({ ok: false });
  });

  it('does not look before the epoch', () => {
    expect(verifyTotp(secret, hotp(secret, 0), 1_000, null)).toEqual({ ok: true, step: 0 });
  });

  it('accepts whatever totpAt produced, for random secrets and times (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 10, maxLength: 64 }), fc.integer({ min: 60_000, max: 2 ** 45 }), (bytes, ms) => {
        const r = verifyTotp(bytes, totpAt(bytes, ms), ms, null);
        expect(r.ok).toBe(true);
        if (r.ok) expect(Math.abs(r.step - totpStep(ms))).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('otpauthUri', () => {
  const secret = base32Encode(ascii('12345678901234567890'));

  it('follows the Key Uri Format', () => {
    expect(otpauthUri({ secret, account: 'anna', issuer: 'Kansli' })).toBe(
      `otpauth://totp/Kansli:anna?secret=${secret}&issuer=Kansli&algorithm=SHA1&digits=6&period=30`,
    );
  });

  it('percent-encodes the issuer and account (spaces as %20, not +)', () => {
    const uri = otpauthUri({ secret, account: 'anna berg@skola.se', issuer: 'Kansli Söderby & Co' });
    expect(uri).toBe(
      `otpauth://totp/Kansli%20S%C3%B6derby%20%26%20Co:anna%20berg%40skola.se?secret=${secret}&issuer=Kansli%20S%C3%B6derby%20%26%20Co&algorithm=SHA1&digits=6&period=30`,
    );
    const parsed = new URL(uri);
    expect(parsed.protocol).toBe('otpauth:');
    expect(parsed.searchParams.get('issuer')).toBe('Kansli Söderby & Co');
    expect(parsed.searchParams.get('secret')).toBe(secret);
  });

  it('canonicalises the secret', () => {
    const spaced = secret.toLowerCase().replace(/(.{4})/g, '$1 ');
    expect(otpauthUri({ secret: spaced, account: 'a', issuer: 'K' })).toContain(`secret=${secret}&`);
  });

  it('refuses colons, empty fields and an invalid secret', () => {
    expect(() => otpauthUri({ secret, account: 'a:b', issuer: 'Kansli' })).toThrow(/":"/);
    expect(() => otpauthUri({ secret, account: 'anna', issuer: 'Kansli:Test' })).toThrow(/":"/);
    expect(() => otpauthUri({ secret, account: '', issuer: 'Kansli' })).toThrow(/empty/);
    expect(() => otpauthUri({ secret: '', account: 'anna', issuer: 'Kansli' })).toThrow(/empty/);
    expect(() => otpauthUri({ secret: 'not base32!', account: 'anna', issuer: 'Kansli' })).toThrow(/base32/);
  });
});
