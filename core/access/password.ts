import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { hashSync, verifySync, type Algorithm } from '@node-rs/argon2';

/**
 * Password hashing and the password policy.
 *
 * Hashing follows the OWASP Password Storage Cheat Sheet (2024): Argon2id, m=19 MiB, t=2, p=1.
 * The policy follows NIST SP 800-63B rev. 4 §3.1.1.2: length matters, composition rules
 * ("one digit, one capital") are forbidden, and passwords are checked against a blocklist of
 * commonly used, expected or compromised values instead.
 */

// `Algorithm` is a `const enum` in the .d.ts and `{}` at run time, which isolatedModules cannot inline;
// the literal is the enum's documented value.
const ARGON2ID: Algorithm = 2;
const HASH_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/**
 * NIST SP 800-63B asks verifiers to normalise (NFKC or NFKD) before hashing: the same password typed on
 * macOS (which tends to produce decomposed "å" = a + ring) and on Windows (precomposed "å") must verify.
 * The policy check uses the same normalisation so that it judges exactly what gets hashed.
 */
function normalize(password: string): string {
  return password.normalize('NFKC');
}

/** Argon2id PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`). Synchronous: the core's dispatch is. */
export function hashPassword(password: string): string {
  return hashSync(normalize(password), HASH_OPTIONS);
}

/** True when `password` matches `hash`. A malformed or foreign hash is a mismatch, never an exception. */
export function verifyPassword(hash: string, password: string): boolean {
  try {
    return verifySync(hash, normalize(password));
  } catch {
    return false;
  }
}

/**
 * A valid hash with the production parameters, made once per process. Signing in with an unknown user name
 * must cost one Argon2 verification just like a known one, or the response time tells an attacker which
 * user names exist (a timing oracle). The password behind it is random and thrown away.
 */
export const DUMMY_HASH: string = hashPassword(randomBytes(32).toString('base64url'));

/** Spends the time of one real verification; always false. Call it when there is no account to verify against. */
export function burnVerify(password: string): false {
  verifyPassword(DUMMY_HASH, password);
  return false;
}

// ---------------------------------------------------------------------------------------------- policy

export const PASSWORD_PROBLEMS = ['too_short', 'too_long', 'common', 'contains_name', 'repetitive'] as const;
export type PasswordProblem = (typeof PASSWORD_PROBLEMS)[number];

export type PasswordPolicyResult = { ok: true } | { ok: false; code: PasswordProblem; message: string };

export interface PasswordPolicyContext {
  username?: string;
  displayName?: string;
  minLength: number;
  maxLength: number;
}

const COMMON_LIST_ID = '@zxcvbn-ts/language-common/dist/passwords.json.cjs';
let commonPasswords: ReadonlySet<string> | null = null;

/**
 * The ~49k-entry list is decompressed on first use rather than at import: it costs tens of milliseconds, and
 * most runs of the core never judge a new password.
 */
function commonSet(): ReadonlySet<string> {
  if (commonPasswords) return commonPasswords;
  // The literal `require(...)` is what esbuild sees and inlines into the CommonJS bundle, so the packaged app
  // needs no node_modules. Under vitest and tsx this file is ESM and has no `require`, so one is made.
  const list: unknown =
    typeof require === 'function'
      ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- esbuild inlines only a literal require()
        require('@zxcvbn-ts/language-common/dist/passwords.json.cjs')
      : createRequire(import.meta.url)(COMMON_LIST_ID);
  if (!Array.isArray(list) || !list.every((w): w is string => typeof w === 'string')) {
    throw new Error(`${COMMON_LIST_ID} did not export an array of strings`);
  }
  commonPasswords = new Set(list.map((w) => normalize(w).toLowerCase()));
  return commonPasswords;
}

/** Code points, not UTF-16 units: "😀" is one character to the user and must count as one (SP 800-63B). */
function codePoints(s: string): string[] {
  return Array.from(s);
}

const LETTER = /\p{L}/u;
const DIGIT = /\p{N}/u;
// What people bolt onto a word to satisfy old composition rules: "Summer2024!", "!!monkey".
const AFFIX = /[\p{N}\p{P}\p{S}\p{Z}]/u;
// Shorter stems match too much by accident once affixes are stripped ("a" + 11 digits).
const MIN_STEM = 4;

/**
 * Smallest p such that s[i] === s[i - p] for every i ≥ p; s.length when nothing repeats.
 * "abcabcab" has period 3 even though 3 does not divide 8.
 */
function smallestPeriod(cps: readonly string[]): number {
  for (let p = 1; p < cps.length; p++) {
    let periodic = true;
    for (let i = p; i < cps.length; i++) {
      if (cps[i] !== cps[i - p]) {
        periodic = false;
        break;
      }
    }
    if (periodic) return p;
  }
  return cps.length;
}

function inCommonList(cps: readonly string[], set: ReadonlySet<string>): boolean {
  if (set.has(cps.join(''))) return true;
  // "passwordpassword": a listed word written twice or more is no stronger than the word.
  const p = smallestPeriod(cps);
  return p < cps.length && cps.length >= 2 * p && set.has(cps.slice(0, p).join(''));
}

// Longer decorations are not tried; each split is a lookup, and there are (lead + 1) × (trail + 1) of them.
const MAX_AFFIX = 16;

/**
 * Listed as-is, or a listed stem with only digits/punctuation/symbols added before and after it, or a listed
 * word repeated. Every split of the leading and trailing affix runs is tried, because the stem itself may end in
 * digits ("abc123" + "!!" must find "abc123", not just "abc").
 */
function isCommon(lower: string): boolean {
  const set = commonSet();
  const cps = codePoints(lower);
  if (inCommonList(cps, set)) return true;
  const n = cps.length;
  // Prefix counts, so each candidate split is judged without rescanning it.
  const letters = [0];
  const digits = [0];
  for (const c of cps) {
    letters.push((letters.at(-1) ?? 0) + (LETTER.test(c) ? 1 : 0));
    digits.push((digits.at(-1) ?? 0) + (DIGIT.test(c) ? 1 : 0));
  }
  const count = (prefix: number[], from: number, to: number): number => (prefix[to] ?? 0) - (prefix[from] ?? 0);
  let lead = 0;
  while (lead < Math.min(n, MAX_AFFIX) && AFFIX.test(cps[lead] ?? '')) lead++;
  let trail = 0;
  while (trail < Math.min(n, MAX_AFFIX) && AFFIX.test(cps[n - 1 - trail] ?? '')) trail++;
  for (let i = 0; i <= lead; i++) {
    for (let j = 0; j <= trail; j++) {
      if ((i === 0 && j === 0) || n - i - j < MIN_STEM) continue;
      // A random 16-digit PIN contains some listed number somewhere; only strip digits off a stem with letters.
      const strippedDigits = count(digits, 0, i) + count(digits, n - j, n) > 0;
      if (strippedDigits && count(letters, i, n - j) === 0) continue;
      if (inCommonList(cps.slice(i, n - j), set)) return true;
    }
  }
  return false;
}

/** Position of c in a cyclic alphabet (digits 0-9 or a-z), or null when it is in neither. */
function runKey(c: string): { kind: 'digit' | 'letter'; index: number } | null {
  const code = c.codePointAt(0) ?? -1;
  if (code >= 0x30 && code <= 0x39) return { kind: 'digit', index: code - 0x30 };
  if (code >= 0x61 && code <= 0x7a) return { kind: 'letter', index: code - 0x61 };
  return null;
}

/** "123456789012", "abcdefghijkl", "987654321098": every step +1 (or every step -1), wrapping 9→0 and z→a. */
function isSequentialRun(cps: readonly string[]): boolean {
  if (cps.length < 3) return false;
  let direction = 0;
  for (let i = 1; i < cps.length; i++) {
    const a = runKey(cps[i - 1] ?? '');
    const b = runKey(cps[i] ?? '');
    if (!a || !b || a.kind !== b.kind) return false;
    const size = a.kind === 'digit' ? 10 : 26;
    const step = (b.index - a.index + size) % size;
    const d = step === 1 ? 1 : step === size - 1 ? -1 : 0;
    if (d === 0 || (direction !== 0 && d !== direction)) return false;
    direction = d;
  }
  return true;
}

function isRepetitiveCore(cps: readonly string[]): boolean {
  if (cps.length < 2) return false;
  // One character, or a pattern that fills the password at least three times ("abcabcabcabc"). Two copies of
  // a long unit are left to the blocklist: "Tr0ub4dor&3Tr0ub4dor&3" is not weaker than its half.
  const p = smallestPeriod(cps);
  if (p === 1 || cps.length >= 3 * p) return true;
  // "aaaaaaaaaaab", "0101101001": two symbols carry at most one bit each, whatever the length.
  if (cps.length >= 8 && new Set(cps).size < 3) return true;
  return isSequentialRun(cps);
}

const NON_DIGIT_AFFIX = /[\p{P}\p{S}\p{Z}]/u;

function trimWhile(cps: readonly string[], re: RegExp): readonly string[] {
  let start = 0;
  while (start < cps.length && re.test(cps[start] ?? '')) start++;
  let end = cps.length;
  while (end > start && re.test(cps[end - 1] ?? '')) end--;
  return cps.slice(start, end);
}

/**
 * Repetitive as a whole, or once the decoration that composition rules taught people is taken off
 * ("aaaaaaaaaaaa1!", "123456789012!"), as long as the repetitive part is at least half of the password;
 * "abcd" followed by eight random digits is not.
 */
function isRepetitive(cps: readonly string[]): boolean {
  if (isRepetitiveCore(cps)) return true;
  const stems = [trimWhile(cps, NON_DIGIT_AFFIX), trimWhile(cps, AFFIX)];
  return stems.some((stem) => stem.length < cps.length && 2 * stem.length >= cps.length && isRepetitiveCore(stem));
}

/** Letter-only words of at least MIN_STEM code points: "Anna-Karin Öberg" → ["anna", "karin", "öberg"]. */
function nameWords(name: string): string[] {
  return normalize(name)
    .toLowerCase()
    .split(/[^\p{L}\p{M}]+/u)
    .filter((w) => codePoints(w).length >= MIN_STEM);
}

function containsName(lower: string, ctx: PasswordPolicyContext): boolean {
  const needles: string[] = [];
  const username = normalize(ctx.username ?? '').trim().toLowerCase();
  // A one- or two-letter login ("li") would forbid every password that happens to contain those letters.
  if (codePoints(username).length >= 3) needles.push(username);
  needles.push(...nameWords(ctx.username ?? ''), ...nameWords(ctx.displayName ?? ''));
  return needles.some((n) => lower.includes(n));
}

function fail(code: PasswordProblem, message: string): PasswordPolicyResult {
  return { ok: false, code, message };
}

/**
 * Judges a new password by NIST SP 800-63B rev. 4: minimum and maximum length in code points after NFKC,
 * no composition rules, and a refusal of passwords that are common, repetitive or built from the user's name.
 * The first problem found is reported; the UI translates by `code`, the message is for developers and logs.
 */
export function checkPasswordPolicy(password: string, ctx: PasswordPolicyContext): PasswordPolicyResult {
  const normalized = normalize(password);
  const length = codePoints(normalized).length;
  if (length < ctx.minLength) {
    return fail('too_short', `Password has ${length} characters; at least ${ctx.minLength} are required.`);
  }
  if (length > ctx.maxLength) {
    return fail('too_long', `Password has ${length} characters; at most ${ctx.maxLength} are allowed.`);
  }
  const lower = normalized.toLowerCase();
  if (isRepetitive(codePoints(lower))) {
    return fail('repetitive', 'Password is a repeated character, a repeated short pattern or a plain sequence.');
  }
  if (isCommon(lower)) {
    return fail('common', 'Password is, or is built from, a commonly used password.');
  }
  if (containsName(lower, ctx)) {
    return fail('contains_name', "Password contains the user name or part of the user's name.");
  }
  return { ok: true };
}
