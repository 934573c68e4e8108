/**
 * Hostile-input fuzzing of every contract method and of the two raw transport boundaries (the browser
 * host's HTTP API and Electron's call-argument guard).
 *
 * The promise under test: whatever arrives, the answer is a CallResult — `ok: true` with output that
 * passes the method's schema, or a typed error the method declares (or one every gate may give) — and
 * never `internal`, never a throw, never a stack trace or a file path. Methods are taken from
 * METHOD_NAMES, so a new method is fuzzed without touching this file.
 *
 * Each method is called as three actors because each reaches different code: the trusted in-process
 * administrator (every permission: the handlers themselves), a unit-scoped clerk signed in on a real
 * connection (scope checks, session bookkeeping), and a fresh signed-out connection (the gate, and the
 * public sign-in methods an attacker reaches first).
 *
 * Reproduce a failure with the seed fast-check prints: FUZZ_SEED=<seed> npx vitest run core/api/fuzz.test.ts
 */
import fc from 'fast-check';
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCallArgs } from '../../electron/call-guard';
import { contract, METHOD_NAMES, type MethodName } from '../../shared/api/contract';
import { ERROR_CODES, type ErrorCode } from '../../shared/api/errors';
import type { CallResult } from '../../shared/api/transport';
import { makeTestCore, TEST_TODAY, type TestCore } from '../../test/util/core';
import { VALID_INPUT } from '../../test/util/inputs';
import { DEMO_PASSWORD } from '../access/auth';
import { fixedClock, type Clock } from '../context';
import { startHost, type Host } from '../host/server';
import type { Connection } from '../app';

if (process.env.FUZZ_SEED) fc.configureGlobal({ seed: Number(process.env.FUZZ_SEED) });

/** Runs per method and actor: about 200 per method in all, the whole file well under a minute on 2 cores. */
const RUNS = { admin: 110, clerk: 50, signedOut: 40 } as const;
const HOST_RUNS = 250;
const GUARD_RUNS = 1000;

/** Codes any method may answer: the input schema, and the gates in front of every handler. */
const GATE_CODES: readonly ErrorCode[] = ['validation', 'forbidden', 'unauthenticated', 'session_locked', 'auth_failed', 'locked_out', 'not_found'];

const CLERK = 'clerk'; // unit-scoped: exercises the scope filters
const HOST_USER = 'clerk.all'; // municipality-wide: the host session reaches the register unfiltered
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// Lockouts (after the clerk's fuzzed wrong passwords) run on epochMs; moving it on lets the clerk sign in
// again instead of the rest of the run degrading to `locked_out`.
let clockOffsetMs = 0;
const base = fixedClock(TEST_TODAY);
const clock: Clock = { now: base.now, today: base.today, epochMs: () => Date.now() + clockOffsetMs };

let core: TestCore;
let clerk: Connection;
let realIds: string[] = [];

beforeAll(() => {
  core = makeTestCore({ persons: 40, clock });
  clerk = core.connect('fuzz (clerk)');
  signIn(clerk, CLERK);
  realIds = collectRealIds();
});
afterAll(() => core?.dispose());

function signIn(conn: Connection, username: string): void {
  clockOffsetMs += 60 * 60_000;
  const r = conn.call('auth.signIn', { username, password: DEMO_PASSWORD });
  if (!r.ok || conn.session.state !== 'signed_in') {
    throw new Error(`fuzz setup: ${username} cannot sign in (${JSON.stringify(r.ok ? conn.session.state : r.error)})`);
  }
}

/**
 * Ids of real persons, units and groups, so mutated inputs also reach the branches behind "found". The
 * accounts the fuzzing signs in with are left out: a fuzzed user.update must not disable its own actors.
 */
function collectRealIds(): string[] {
  const ids = new Set<string>();
  const spare = new Set<string>();
  const walk = (v: unknown, depth: number): void => {
    if (depth > 20) return;
    if (typeof v === 'string' && UUID_RE.test(v)) ids.add(v);
    else if (Array.isArray(v)) for (const x of v) walk(x, depth + 1);
    else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) walk(x, depth + 1);
  };
  for (const [m, input] of [['person.list', { limit: 60 }], ['org.tree', {}], ['user.list', {}]] as const) {
    const r = core.call(m, input);
    if (!r.ok) throw new Error(`fuzz setup: ${m} failed: ${JSON.stringify(r.error)}`);
    walk(r.data, 0);
    if (m === 'user.list') {
      for (const u of (r.data as { items: { id: string; username: string }[] }).items) {
        if (u.username === CLERK || u.username === HOST_USER) spare.add(u.id);
      }
    }
  }
  // Groups and staff are listed on the unit cards, not in the tree.
  for (const id of [...ids]) {
    const r = core.call('unit.get', { id });
    if (r.ok) walk(r.data, 0);
  }
  return [...ids].filter((id) => !spare.has(id)).slice(0, 300);
}

// ---- what a well-formed answer is -------------------------------------------------------------

/** Traces of internals that must never reach a caller: stack frames, source files, paths, driver errors. */
const LEAKS: readonly RegExp[] = [
  /\n\s+at /,
  /\.(?:ts|tsx|js|mjs|cjs)\b:?\d*/,
  /node_modules/,
  /(?:^|[\s(:'"=])\/(?:[\w.@+-]+\/)+[\w.@+-]*/, // an absolute POSIX path
  /\b[A-Za-z]:\\[\w.]/, // a Windows path
  /SqliteError|SQLITE_|constraint failed|no such (?:table|column)|near "[^"]*": syntax error/i,
  /\b(?:TypeError|RangeError|ReferenceError|SyntaxError)\b|Cannot read propert|is not a function|undefined is not/,
  /Maximum call stack/,
];

/** Every string (values and keys) inside the input: a message may quote what it was given. */
function stringsIn(v: unknown): string[] {
  const out: string[] = [];
  const seen = new Set<unknown>();
  const stack: { v: unknown; depth: number }[] = [{ v, depth: 0 }];
  while (stack.length > 0 && out.length < 10_000) {
    const { v: x, depth } = stack.pop()!;
    if (typeof x === 'string') out.push(x);
    if (x === null || typeof x !== 'object' || seen.has(x) || depth > 50) continue;
    seen.add(x);
    for (const k of Reflect.ownKeys(x)) {
      if (typeof k === 'string') out.push(k);
      const d = Object.getOwnPropertyDescriptor(x, k);
      if (d && 'value' in d) stack.push({ v: d.value, depth: depth + 1 });
    }
  }
  return out;
}

function leakIn(text: string, input: unknown): string | null {
  for (const re of LEAKS) {
    const m = re.exec(text);
    if (!m) continue;
    // Quoting the caller's own string back (an unknown key, say) discloses nothing.
    const echoed = m[0].trim().replace(/^[\s(:'"=]/, '');
    const quoted = stringsIn(input).some((s) => s.includes(echoed));
    if (!quoted) return `${re} matched ${JSON.stringify(m[0])}`;
  }
  return null;
}

function preview(v: unknown): string {
  try {
    const s = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : typeof x === 'string' && x.length > 200 ? `${x.slice(0, 200)}…(${x.length})` : x));
    return (s ?? String(v)).slice(0, 600);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

/** Throws (failing the property, so fast-check shrinks the input) unless `r` is a well-formed answer. */
function assertWellFormed(who: string, method: MethodName, input: unknown, r: unknown): void {
  const where = `${who} ${method} ${preview(input)}`;
  if (r === null || typeof r !== 'object' || typeof (r as { ok?: unknown }).ok !== 'boolean') {
    throw new Error(`${where}: not a CallResult: ${preview(r)}`);
  }
  const res = r as CallResult;
  let wire: string;
  try {
    wire = JSON.stringify(res);
  } catch (e) {
    throw new Error(`${where}: the answer cannot cross a transport (${String(e)})`, { cause: e });
  }
  if (res.ok) {
    const out = contract[method].output.safeParse(res.data);
    if (!out.success) throw new Error(`${where}: ok, but the output violates its schema: ${preview(out.error.issues.slice(0, 3))}`);
    return;
  }
  const { code, message } = res.error;
  const allowed = new Set<string>([...GATE_CODES, ...contract[method].errors]);
  if (!allowed.has(code)) throw new Error(`${where}: error code ${code} ("${message}") is not declared by the method`);
  if (typeof message !== 'string') throw new Error(`${where}: error without a message`);
  const leak = leakIn(wire, input);
  if (leak) throw new Error(`${where}: the error discloses internals (${leak}): ${wire.slice(0, 600)}`);
}

// ---- hostile values ---------------------------------------------------------------------------

const HUGE = 100 * 1024;
const INJECTION = [
  "' OR '1'='1",
  "' OR 1=1 --",
  "'; DROP TABLE person; --",
  "x'); DELETE FROM audit_log; --",
  "' UNION SELECT password_hash, username FROM user_account --",
  '" OR ""="',
  '1; ATTACH DATABASE \'/tmp/x.db\' AS x; --',
  "%' ESCAPE '\\",
  '%',
  '_',
  '%%_%',
  '\\',
  "\\'",
  '*',
  '"',
  "'",
  'NULL',
  'null',
  'undefined',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg/onload=alert(1)>',
  'javascript:alert(1)',
  '{{7*7}}',
  '${7*7}',
  '#{7*7}',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  'file:///etc/passwd',
  '%00',
  '%2e%2e%2f',
  '\u0000',
  'a\u0000b',
  '\r\n\t\v\f\b',
  '\u001b[31mred\u001b[0m',
  '\u202e\u2066rtl',
  '\u200b\u200d\ufeff',
  '\ud800',
  'x\udfffy',
  '\uffff\ufffe',
  'e\u0301'.repeat(30),
  '🙂👩‍👩‍👧‍👦'.repeat(20),
  'ß İ ı ǅ ﬁ',
  '',
  ' ',
  '   \t  ',
  '0',
  '-1',
  '1e309',
  'NaN',
  '__proto__',
  'constructor',
  'toString',
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
  '2026-02-29',
  '2024-02-29',
  '0000-00-00',
  '9999-12-31',
  '2026-13-01',
  '191212121212',
  '19121212-1212',
  '121212-1212',
  '01010150000',
  '+46701234567',
  'a@b.c',
];
const controlChars = fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 30 });
const hugeStrings = fc.constantFrom('A'.repeat(HUGE), 'å'.repeat(HUGE), '\u0000'.repeat(HUGE), "'".repeat(HUGE), '<b>'.repeat(HUGE / 3), '🙂'.repeat(HUGE / 2));
const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...INJECTION) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...INJECTION), fc.constantFrom(...INJECTION)).map(([a, b]) => a + b) },
  { weight: 2, arbitrary: controlChars },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-composite', maxLength: 40 }) },
  { weight: 1, arbitrary: hugeStrings },
);
const hostileNumber = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -1, -0, 0, 0.5, -0.5, 1e308, -1e308, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, Number.MIN_SAFE_INTEGER - 2, Number.MIN_VALUE, Number.EPSILON, 1e-300),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.double(),
);

function deepObject(levels: number): unknown {
  let v: unknown = {};
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
}
function deepArray(levels: number): unknown {
  let v: unknown = [];
  for (let i = 0; i < levels; i++) v = [v];
  return v;
}
function ownProto(value: unknown): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  Object.defineProperty(o, '__proto__', { value, enumerable: true, writable: true, configurable: true });
  return o;
}
const hostileOther = fc.constantFrom<unknown>(
  null,
  undefined,
  true,
  false,
  [],
  {},
  [[]],
  [null],
  [undefined],
  Object.create(null),
  ownProto({ admin: true }),
  { constructor: { prototype: { admin: true } } },
  new Date(NaN),
  new Date(0),
  10n,
  Symbol('fuzz'),
  () => 1,
  new Map([['id', 'x']]),
  new Set(['GR']),
  new Uint8Array(16),
  new String('boxed'),
  /regex/,
  new Error('not data'),
  Array.from({ length: 10_000 }, () => 'GR'),
  Array.from({ length: 10_000 }, () => ({ role: 'sysadmin', unitId: null })),
  Array.from({ length: 100_000 }, (_v, i) => i),
  deepObject(10_000),
  deepArray(10_000),
);
const hostileValue = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 3, arbitrary: hostileNumber },
  { weight: 3, arbitrary: hostileOther },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 3, withBigInt: true, withDate: true, withNullPrototype: true, withObjectString: true }) },
);
const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'then', 'id ', 'ID', 'Id', '', ' ', '\u0000', 'a.b', '0', '-1', 'length'),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

// ---- inputs built on each method's real shape -------------------------------------------------

type Path = readonly (string | number)[];

/** Every position in a JSON value (the root, containers and leaves), for replacing one of them. */
function positions(v: unknown, at: Path = []): Path[] {
  const out: Path[] = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...positions(x, [...at, i])));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...positions(x, [...at, k]));
  return out;
}

function valueAt(v: unknown, path: Path): unknown {
  let cur = v;
  for (const p of path) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[p] : undefined;
  return cur;
}

/**
 * `base` with `value` put at `path`, copying only the containers on the path (the rest is shared and never
 * written). The key becomes an own property even when it is `__proto__`.
 */
function withValue(base: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const container = base !== null && typeof base === 'object' ? base : {};
  const copy: object = Array.isArray(container) ? container.slice() : { ...container };
  const current = Object.getOwnPropertyDescriptor(container, head)?.value as unknown;
  Object.defineProperty(copy, head, { value: withValue(current, rest, value), enumerable: true, writable: true, configurable: true });
  return copy;
}

function objectKeysOf(method: MethodName): string[] {
  const keys = new Set<string>();
  const valid = VALID_INPUT[method];
  if (valid !== null && typeof valid === 'object') for (const k of Object.keys(valid)) keys.add(k);
  const shape = (contract[method].input as { shape?: unknown }).shape;
  if (shape !== null && typeof shape === 'object') for (const k of Object.keys(shape)) keys.add(k);
  return [...keys];
}

const arbitraries = new Map<MethodName, fc.Arbitrary<unknown>>();

/** Hostile inputs for one method, mostly shaped like its real input so they get past the first check. */
function inputsFor(method: MethodName): fc.Arbitrary<unknown> {
  const cached = arbitraries.get(method);
  if (cached) return cached;
  const valid = VALID_INPUT[method] ?? {};
  const all = positions(valid);
  const strings = all.filter((p) => typeof valueAt(valid, p) === 'string');
  const ids = strings.filter((p) => UUID_RE.test(valueAt(valid, p) as string));
  const objects = all.filter((p) => {
    const x = valueAt(valid, p);
    return x !== null && typeof x === 'object' && !Array.isArray(x);
  });
  const keys = objectKeysOf(method);
  const options: fc.Arbitrary<unknown>[] = [
    // Anything at all, including prototype-polluting keys and exotic objects.
    fc.anything({
      key: fc.oneof(hostileKey, fc.constantFrom(...(keys.length ? keys : ['id']))),
      maxDepth: 4,
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
    }),
    // One position of a valid input replaced by a hostile value.
    fc.tuple(fc.constantFrom(...all), hostileValue).map(([p, v]) => withValue(valid, p, v)),
    // Several at once.
    fc.array(fc.tuple(fc.constantFrom(...all), hostileValue), { minLength: 2, maxLength: 4 }).map((edits) => edits.reduce<unknown>((acc, [p, v]) => withValue(acc, p, v), valid)),
    // The real keys, every value of a wrong type or out of range.
    fc.record(Object.fromEntries((keys.length ? keys : ['id']).map((k) => [k, hostileValue])), { requiredKeys: [] }),
  ];
  if (strings.length > 0) {
    // Type-correct but hostile text: passes the schema where it can, so it reaches SQL, search and audit.
    options.push(fc.array(fc.tuple(fc.constantFrom(...strings), hostileString), { minLength: 1, maxLength: 3 }).map((edits) => edits.reduce<unknown>((acc, [p, v]) => withValue(acc, p, v), valid)));
  }
  if (objects.length > 0) {
    // A valid input with an unknown (or prototype-polluting) key added somewhere.
    options.push(fc.tuple(fc.constantFrom(...objects), hostileKey, hostileValue).map(([p, k, v]) => withValue(valid, [...p, k], v)));
  }
  if (ids.length > 0 && realIds.length > 0) {
    // Real ids with hostile values elsewhere: the paths behind "the record exists" (updates, scope checks).
    options.push(
      fc
        .tuple(fc.constantFrom(...ids), fc.constantFrom(...realIds), fc.option(fc.tuple(fc.constantFrom(...all), hostileValue), { nil: undefined }))
        .map(([idPath, id, edit]) => {
          const withId = withValue(valid, idPath, id);
          return edit && edit[0].length > 0 ? withValue(withId, edit[0], edit[1]) : withId;
        }),
    );
  }
  // The real-id variant (when there is one) is the only way past "not found", so it gets a larger share.
  const arb = fc.oneof(...options.map((a, i) => ({ arbitrary: a, weight: i === options.length - 1 && ids.length > 0 && realIds.length > 0 ? 3 : 1 })));
  arbitraries.set(method, arb);
  return arb;
}

async function callSafely(call: () => Promise<CallResult>, what: string): Promise<CallResult> {
  try {
    return await call();
  } catch (e) {
    throw new Error(`${what} threw instead of answering: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, { cause: e });
  }
}

// ---- the contract -----------------------------------------------------------------------------

describe('fuzz: every contract method answers hostile input with a typed result', () => {
  for (const method of METHOD_NAMES) {
    // Through the async dispatch, the path every transport takes (it also runs async and job methods).
    it(`${method} as the administrator`, async () => {
      await fc.assert(
        fc.asyncProperty(inputsFor(method), async (input) => {
          assertWellFormed('admin', method, input, await callSafely(() => core.callAsync(method, input), `admin ${method}`));
        }),
        { numRuns: RUNS.admin },
      );
    });

    it(`${method} as a unit-scoped clerk`, async () => {
      await fc.assert(
        fc.asyncProperty(inputsFor(method), async (input) => {
          // A fuzzed signOut or lock (or a lockout) ends the session; sign in again so each run is signed in.
          if (clerk.session.state !== 'signed_in') signIn(clerk, CLERK);
          assertWellFormed('clerk', method, input, await callSafely(() => clerk.callAsync(method, input), `clerk ${method}`));
        }),
        { numRuns: RUNS.clerk },
      );
    });

    it(`${method} on a signed-out connection`, async () => {
      await fc.assert(
        fc.asyncProperty(inputsFor(method), async (input) => {
          const conn = core.connect('fuzz (signed out)');
          assertWellFormed('signed-out', method, input, await callSafely(() => conn.callAsync(method, input), `signed-out ${method}`));
        }),
        { numRuns: RUNS.signedOut },
      );
    });
  }

  it('afterwards the database is intact and the audit chain still verifies', () => {
    const integrity = core.ctx.sqlite.prepare('PRAGMA integrity_check').pluck().get();
    expect(integrity).toBe('ok');
    const r = core.call('audit.verify', {});
    expect(r.ok && (r.data as { ok: boolean }).ok, JSON.stringify(r)).toBe(true);
    // The injection strings must not have dropped or emptied anything.
    const count = (table: string) => core.ctx.sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    expect(count('person')).toBeGreaterThanOrEqual(40);
    expect(count('user_account')).toBeGreaterThan(0);
  });
});

// ---- the browser host's HTTP API --------------------------------------------------------------

interface HttpRes {
  status: number;
  type: string;
  body: string;
}

describe('fuzz: the browser host API', () => {
  let host: Host;
  let root: string;
  let cookie = '';
  let origin = '';

  const post = (path: string, body: string | Buffer): Promise<HttpRes> =>
    new Promise((ok, fail) => {
      const req = request(
        { host: '127.0.0.1', port: host.port, method: 'POST', path, headers: { cookie, origin, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => ok({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', fail);
        },
      );
      req.on('error', fail);
      req.end(body);
    });

  const signInHost = async () => {
    clockOffsetMs += 60 * 60_000;
    const r = await post('/api/auth.signIn', JSON.stringify({ username: HOST_USER, password: DEMO_PASSWORD }));
    if (!r.body.includes('"signed_in"')) throw new Error(`fuzz setup: host sign-in failed: ${r.status} ${r.body.slice(0, 300)}`);
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'kansli-fuzz-host-'));
    mkdirSync(join(root, 'renderer'));
    writeFileSync(join(root, 'renderer', 'index.html'), '<!doctype html><title>fuzz</title>');
    host = await startHost({ core, rendererDir: join(root, 'renderer') });
    origin = `http://127.0.0.1:${host.port}`;
    const u = new URL(host.url);
    const first = await new Promise<string>((ok, fail) => {
      request({ host: '127.0.0.1', port: host.port, path: u.pathname + u.search }, (res) => {
        res.resume();
        ok(String(res.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '');
      })
        .on('error', fail)
        .end();
    });
    cookie = first;
    await signInHost();
  });
  afterAll(async () => {
    await host?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const rawSegments = [
    '',
    '.',
    '..',
    '../..',
    '..%2f..',
    '%2e%2e',
    '%2E%2E%2F%2E%2E',
    '%00',
    'session.info%00',
    'session.info%00.js',
    '%',
    '%zz',
    '%E0%A4%A',
    '%ED%A0%80', // a lone surrogate in UTF-8
    '%C0%AE%C0%AE', // overlong '.'
    '%FF%FE',
    '/',
    '//',
    'a/b',
    'auth.signIn/..',
    'session.info?x=1',
    'session.info#x',
    '%3F%23',
    '__proto__',
    'constructor',
    'hasOwnProperty',
    'toString',
    'prototype',
    'SESSION.INFO',
    'session%2Einfo',
    'session.info.',
    '.session.info',
    'a'.repeat(10_000),
    'a'.repeat(20_000), // past Node's header limit: its parser answers, with our headers
    '%F0%9F%99%82'.repeat(1500),
  ];
  const methodSegment = fc.oneof(
    fc.constantFrom(...METHOD_NAMES),
    fc.constantFrom(...rawSegments),
    fc.string({ unit: 'binary', maxLength: 40 }).map(encodeURIComponent),
    fc.tuple(fc.constantFrom(...METHOD_NAMES), fc.constantFrom('%00', '%20', '/', '/..', '..', '%2F', '.json', '%0A')).map(([m, s]) => m + s),
  );

  const nested = (open: string, middle: string, close: string, n: number) => open.repeat(n) + middle + close.repeat(n);
  const bodies = fc.oneof(
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.constantFrom(
      '',
      '{',
      '}',
      '[',
      'nul',
      'NaN',
      'Infinity',
      '1e999',
      '-0',
      '"\\ud800"',
      '"\\u0000"',
      '{"__proto__":{"admin":true}}',
      '{"constructor":{"prototype":{"admin":true}}}',
      '\ufeff{}',
      '{"a":1,"a":2}',
      '{"q":"x","q":1}',
      nested('[', '', ']', 10_000),
      nested('{"a":', '1', '}', 10_000),
      nested('{"q":', '"x"', '}', 10_000),
      nested('{"person":', '{}', '}', 10_000),
      nested('[', '', '', 10_000), // unbalanced
      `[${Array.from({ length: 150_000 }, () => '0').join(',')}]`,
      `{"roles":[${Array.from({ length: 25_000 }, () => '{"role":"sysadmin","unitId":null}').join(',')}]}`,
      JSON.stringify({ q: 'x'.repeat(900_000) }),
      JSON.stringify({ username: "' OR 1=1 --", password: '<script>' }),
    ),
  );
  const bufferBodies = fc.constantFrom(Buffer.from([0xff, 0xfe, 0x7b, 0x7d]), Buffer.from([0x7b, 0x22, 0x71, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]));
  const serialise = (v: unknown): string => {
    try {
      return JSON.stringify(v) ?? 'undefined';
    } catch {
      return '{"unserialisable":true}';
    }
  };
  // A real method with its own (mutated or valid) input, so requests also get past the schema into handlers.
  const realCalls = fc.oneof(
    fc.constantFrom(...METHOD_NAMES).chain((m) => inputsFor(m).map((v): [string, string] => [m, serialise(v)])),
    fc.constantFrom(...METHOD_NAMES).map((m): [string, string] => [m, serialise(VALID_INPUT[m])]),
  );
  const requests = fc.oneof(
    { weight: 3, arbitrary: fc.tuple(methodSegment, fc.oneof({ weight: 9, arbitrary: bodies }, { weight: 1, arbitrary: bufferBodies })) },
    { weight: 2, arbitrary: realCalls },
  );

  it('random method names and bodies: JSON {ok:false} with a known code, or a proper 4xx; never 5xx or a trace', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(requests, async ([segment, body]) => {
        const r = await post(`/api/${segment}`, body);
        // Keep the session signed in so later runs reach the handlers, not only the gate.
        if (segment === 'auth.signOut' || segment === 'auth.lock') await signInHost();
        const what = `POST /api/${segment.slice(0, 80)} ${preview(typeof body === 'string' ? body.slice(0, 200) : body.toString('hex'))}`;
        if (r.status >= 500 || r.status < 200 || (r.status >= 300 && r.status < 400)) throw new Error(`${what}: status ${r.status}: ${r.body.slice(0, 300)}`);
        // Only refusals are checked for leaks: data may legitimately hold text an earlier run stored.
        const echoed = [segment, decodeSafely(segment), typeof body === 'string' ? body : ''];
        const leaks = (text: string) => {
          const leak = leakIn(text, echoed);
          if (leak) throw new Error(`${what}: the answer discloses internals (${leak}): ${text.slice(0, 400)}`);
        };
        if (!r.type.startsWith('application/json')) {
          if (r.status < 400) throw new Error(`${what}: a ${r.status} that is not JSON (${r.type})`);
          leaks(r.body);
          return;
        }
        const parsed: unknown = JSON.parse(r.body);
        if (parsed === null || typeof parsed !== 'object' || typeof (parsed as { ok?: unknown }).ok !== 'boolean') throw new Error(`${what}: JSON but not a CallResult: ${r.body.slice(0, 300)}`);
        const res = parsed as CallResult;
        seen.add(res.ok ? 'ok' : res.error.code);
        if (res.ok) return;
        leaks(JSON.stringify(res.error));
        if (!(ERROR_CODES as readonly string[]).includes(res.error.code) || res.error.code === 'internal') {
          throw new Error(`${what}: error code ${res.error.code}: ${res.error.message}`);
        }
      }),
      { numRuns: HOST_RUNS },
    );
    // The run got past the gate: some calls reached handlers and answered, others were refused by schema.
    expect([...seen]).toEqual(expect.arrayContaining(['ok', 'validation', 'unknown_method']));
  });
});

function decodeSafely(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

// ---- Electron's call-argument guard -----------------------------------------------------------

/** Plain-JSON equality that, like JSON, does not tell -0 from 0. */
function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

describe('fuzz: electron/call-guard checkCallArgs', () => {
  const cyclic = (): unknown => {
    const o: Record<string, unknown> = { a: 1 };
    o.self = o;
    return o;
  };
  const withGetter = (): unknown => {
    const o = {};
    Object.defineProperty(o, 'q', {
      enumerable: true,
      get() {
        throw new Error('getter ran');
      },
    });
    return o;
  };
  const withSymbol = (): unknown => ({ q: 'x', [Symbol('s')]: 1 });
  const sparse = (): unknown => {
    const a: unknown[] = [];
    a[5] = 1;
    return a;
  };
  class Klass {
    q = 'x';
  }
  // Built once: the guard only reads its input, and rebuilding a 10 000-level object per run costs time.
  const exotic = fc.constantFrom<unknown>(
    cyclic(),
    withGetter(),
    withSymbol(),
    sparse(),
    new Klass(),
    ownProto({ q: 'x' }),
    deepObject(10_000),
    deepArray(10_000),
    deepObject(63),
    deepObject(65),
    { q: 'x'.repeat(HUGE) },
  );
  // Past the node budget; walking it takes ~0.5 s, so it is one fixed example rather than a random pick.
  const overBudget = Array.from({ length: 600_000 }, () => 0);
  const methods = fc.oneof(
    fc.constantFrom<unknown>(...METHOD_NAMES),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constantFrom<unknown>('', 'x'.repeat(129), 'session.info\u0000', ' session.info', 'SESSION.INFO', '__proto__', 'constructor', 'toString', new String('session.info'), ['session.info'], null, undefined, 1, Symbol('m')),
    fc.anything(),
  );
  const inputs = fc.oneof(
    fc.anything({ withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withObjectString: true, withSparseArray: true, withTypedArray: true, key: fc.oneof(hostileKey, fc.string()) }),
    hostileValue,
    exotic,
    fc.constantFrom(...METHOD_NAMES).map((m) => VALID_INPUT[m]),
  );

  it('never throws; refuses unknown methods and anything that is not plain JSON', () => {
    fc.assert(
      fc.property(methods, inputs, (method, input) => {
        let r: ReturnType<typeof checkCallArgs>;
        try {
          r = checkCallArgs(method, input, METHOD_NAMES);
        } catch (e) {
          throw new Error(`checkCallArgs threw for ${preview(method)} ${preview(input)}: ${String(e)}`, { cause: e });
        }
        const known = typeof method === 'string' && (METHOD_NAMES as readonly string[]).includes(method);
        if (!known) {
          expect(r).toMatchObject({ ok: false, code: 'unknown_method' });
          return;
        }
        if (!r.ok) {
          expect(r.code).toBe('validation');
          expect(typeof r.message).toBe('string');
          return;
        }
        // Accepted input is exactly what JSON can carry: nothing is lost or invented on the way to the core.
        if (input === undefined) return;
        const text = JSON.stringify(input);
        expect(typeof text, preview(input)).toBe('string');
        expect(sameJson(JSON.parse(text) as unknown, input), preview(input)).toBe(true);
      }),
      { numRuns: GUARD_RUNS, examples: [['session.info', overBudget]] },
    );
  });
});
