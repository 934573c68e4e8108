import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  burnVerify,
  checkPasswordPolicy,
  DUMMY_HASH,
  hashPassword,
  PASSWORD_PROBLEMS,
  verifyPassword,
  type PasswordProblem,
} from './password';

// Hashing costs ~60 ms: one hash is shared by the tests below, and nothing hashes in a loop.
const PASSWORD = 'lagom-kanelbulle-fika';
const HASH = hashPassword(PASSWORD);
/** Any code points, lone surrogates included (fc.string's 'binary' unit is far slower to generate). */
const anyText = (maxLength: number): fc.Arbitrary<string> =>
  fc.array(fc.integer({ min: 0, max: 0x10ffff }), { maxLength }).map((cps) => String.fromCodePoint(...cps));
const PHC_PREFIX = /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

describe('hashPassword / verifyPassword', () => {
  it('produces an Argon2id PHC string with the OWASP parameters', () => {
    expect(HASH).toMatch(PHC_PREFIX);
  });

  it('verifies the right password and refuses a wrong one', () => {
    expect(verifyPassword(HASH, PASSWORD)).toBe(true);
    expect(verifyPassword(HASH, PASSWORD + 'x')).toBe(false);
  });

  it('normalises with NFKC, so a decomposed å verifies against a precomposed one', () => {
    const composed = 'sm\u00e5land-sommarstuga';
    const decomposed = 'sma\u030aland-sommarstuga';
    expect(decomposed).not.toBe(composed);
    expect(verifyPassword(hashPassword(composed), decomposed)).toBe(true);
  });

  it.each(['', 'not a hash', '$argon2id$v=19$m=19456,t=2,p=1$', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$', '$2b$12$abcdefghijklmnopqrstuu', HASH.slice(0, -10)])(
    'returns false instead of throwing on malformed hash %j',
    (bad) => {
      expect(() => verifyPassword(bad, PASSWORD)).not.toThrow();
      expect(verifyPassword(bad, PASSWORD)).toBe(false);
    },
  );
});

describe('DUMMY_HASH / burnVerify', () => {
  it('is a valid hash with the same cost parameters as real hashes', () => {
    expect(DUMMY_HASH).toMatch(PHC_PREFIX);
    expect(DUMMY_HASH.split('$').slice(0, 4)).toEqual(HASH.split('$').slice(0, 4));
  });

  it('always returns false', () => {
    expect(burnVerify(PASSWORD)).toBe(false);
    expect(burnVerify('')).toBe(false);
  });
});

describe('checkPasswordPolicy', () => {
  const limits = { minLength: 12, maxLength: 64 };
  const problem = (pw: string, ctx: { username?: string; displayName?: string } = {}): PasswordProblem | null => {
    const r = checkPasswordPolicy(pw, { ...limits, ...ctx });
    return r.ok ? null : r.code;
  };

  it('exports the problem codes', () => {
    expect(PASSWORD_PROBLEMS).toEqual(['too_short', 'too_long', 'common', 'contains_name', 'repetitive']);
  });

  it.each(['correct horse battery staple', 'Tr0ub4dor&3 vinter', 'gul-ekorre-springer', 'ÅÄÖ åäö ändå bra', '7 kaniner i snön'])(
    'accepts %j',
    (pw) => {
      expect(checkPasswordPolicy(pw, { ...limits, username: 'anna.berg', displayName: 'Anna Berg' })).toEqual({ ok: true });
    },
  );

  it('imposes no composition rules: all lowercase letters are fine', () => {
    expect(problem('ekorrarnasvinter')).toBeNull();
  });

  it('reports too_short and too_long with a message naming the limit', () => {
    const short = checkPasswordPolicy('kort-ord', limits);
    expect(short).toEqual({ ok: false, code: 'too_short', message: expect.stringContaining('at least 12') });
    const long = checkPasswordPolicy('x'.repeat(30) + 'y'.repeat(35), limits);
    expect(long).toEqual({ ok: false, code: 'too_long', message: expect.stringContaining('at most 64') });
    expect(problem('q7-w'.repeat(16))).not.toBe('too_long'); // exactly 64
  });

  it('counts code points, not UTF-16 units', () => {
    const emoji = '🦊🐻🦉🐺🦌🐿🦔🐇🦅🐟🦆'; // 11 code points, 22 UTF-16 units
    expect(emoji.length).toBe(22);
    expect(problem(emoji)).toBe('too_short');
    expect(problem(emoji + '🐝')).toBeNull();
    expect(checkPasswordPolicy('🦊🐻🦉🐺🦌', { minLength: 1, maxLength: 5 })).toEqual({ ok: true });
  });

  it('measures length after NFKC', () => {
    // U+FB01 "ﬁ" is one code point that NFKC expands to "fi".
    expect(problem('ﬁskebåt-x')).toBe('too_short'); // 10 after NFKC
    expect(checkPasswordPolicy('ﬁ', { minLength: 2, maxLength: 2 })).toEqual({ ok: true });
    expect(checkPasswordPolicy('ﬁﬁ', { minLength: 1, maxLength: 3 })).toMatchObject({ code: 'too_long' });
  });

  it.each([['passwordpassword'], ['PASSWORD1234'], ['Password123!'], ['!!Password2024'], ['iloveyou2024!'], ['2024-12-24monkey'], ['Summer2024!!!'], ['qwertyuiop!!'], ['sunshine#2025#']])(
    'refuses %j',
    (pw) => {
      expect(problem(pw)).not.toBeNull();
    },
  );

  it.each([['password1234'], ['PassWord!!!!'], ['1234password'], ['!!princess!!'], ['monkeymonkey'], ['dragondragon1'], ['abc123abc123!'], ['sommar2025!!']])(
    'reports %j as common',
    (pw) => {
      expect(problem(pw)).toBe('common');
    },
  );

  it('does not strip digits off an all-digit password to find a listed number inside it', () => {
    // "123456" is listed, but a 14-digit string merely starting with it is not "123456 plus digits" in any useful sense.
    expect(problem('12345683920175')).toBeNull();
    expect(problem('31415926!!!!')).toBe('common'); // punctuation is still stripped off a listed number
  });

  it('does not match very short stems after stripping', () => {
    // "abc" is three letters; stripping 11 digits off it would flag random-looking input.
    expect(problem('abc83920175264')).toBeNull();
  });

  it.each([
    ['aaaaaaaaaaaa'],
    ['............'],
    ['abcabcabcabc'],
    ['xyzxyzxyzxy'.padEnd(12, 'z')],
    ['ab12ab12ab12'],
    ['123456789012'],
    ['abcdefghijklm'],
    ['ABCDEFGHIJKL'],
    ['210987654321'],
    ['zyxwvutsrqpo'],
    ['😀😀😀😀😀😀😀😀😀😀😀😀'],
    ['aaaaaaaaaaab'],
    ['010110100110'],
    ['aaaaaaaaaaaa2024!'],
    ['123456789012!'],
    ['!!abcdefghijkl!!'],
  ])('reports %j as repetitive', (pw) => {
    expect(problem(pw)).toBe('repetitive');
  });

  it('does not call a twice-written long unit repetitive', () => {
    expect(problem('Tr0ub4dor&3Tr0ub4dor&3')).toBeNull();
  });

  it('only looks through decoration when the repetitive part is at least half the password', () => {
    expect(problem('abcd83920175')).toBeNull();
    expect(problem('aaaa-83920175')).toBeNull();
  });

  it('stays fast on long inputs made only of digits and punctuation', () => {
    const pw = Array.from({ length: 128 }, (_, i) => '!#%&/()=?+-_.,:;<>|@$0123456789'[(i * 7 + (i >> 3)) % 31]).join('');
    const t = performance.now();
    checkPasswordPolicy(pw, { minLength: 12, maxLength: 128 });
    expect(performance.now() - t).toBeLessThan(250);
  });

  it('does not call mixed or broken sequences runs', () => {
    expect(problem('abcdefghijkm')).toBeNull();
    expect(problem('1234567890ab')).toBeNull();
    expect(problem('acegikmoqsuw')).toBeNull();
  });

  it('refuses the user name, case-insensitively', () => {
    expect(problem('xx-AnnaB-rocks-xx', { username: 'annab' })).toBe('contains_name');
    expect(problem('vinterkväll-jsv', { username: 'JSV' })).toBe('contains_name');
  });

  it('ignores user names shorter than three characters', () => {
    expect(problem('glidande-ålar', { username: 'li' })).toBeNull();
  });

  it('refuses display-name words of four letters or more, but not shorter ones', () => {
    expect(problem('gillar-KARIN-mycket', { displayName: 'Anna-Karin Öberg' })).toBe('contains_name');
    expect(problem('dansar-med-öberg', { displayName: 'Anna-Karin Öberg' })).toBe('contains_name');
    expect(problem('åsa-ola-och-bo-kör', { displayName: 'Åsa Bo' })).toBeNull();
  });

  it('compares names after NFKC, so decomposed letters in either still match', () => {
    expect(problem('familjen-o\u0308berg-99', { displayName: '\u00d6berg' })).toBe('contains_name');
    expect(problem('familjen-\u00f6berg-99', { displayName: 'O\u0308berg' })).toBe('contains_name');
  });

  it('also refuses letter words inside a dotted user name', () => {
    expect(problem('hejsan-svensson-2', { username: 'anna.svensson' })).toBe('contains_name');
  });

  it('never throws and always returns a known code (property)', () => {
    fc.assert(
      fc.property(anyText(80), anyText(20), anyText(30), (pw, username, displayName) => {
        const r = checkPasswordPolicy(pw, { minLength: 12, maxLength: 128, username, displayName });
        if (!r.ok) {
          expect(PASSWORD_PROBLEMS).toContain(r.code);
          expect(r.message.length).toBeGreaterThan(0);
        }
      }),
    );
  });

  it('length bounds decide alone for any input (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 11 }), (pw) => {
        expect(problem(pw)).toBe('too_short');
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', minLength: 65, maxLength: 120 }), (pw) => {
        expect(problem(pw)).toBe('too_long');
      }),
    );
  });

  it('accepts random strings of 16 letters, digits and punctuation (property)', () => {
    const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#%&/-_.';
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet.split('')), { minLength: 16, maxLength: 16 }), (chars) => {
        expect(problem(chars.join(''))).toBeNull();
      }),
    );
  });
});
