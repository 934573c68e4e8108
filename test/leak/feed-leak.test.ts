/**
 * Leak test for protected identities against the central server (issue 11: "the leak test runs against the
 * server's feed for every demo role (zero markers)").
 *
 * The marker world of leak.test.ts (test/leak/world.ts: every address field and contact value of every
 * shielded person, including the persons the world links to a protected child, replaced with a unique
 * marker) is built on a standalone demo database and imported into a server on a real PostgreSQL. Then every
 * demo account (the administrator after TOTP enrolment) and a user without roles take the whole feed
 * snapshot twice: through the engine (`engine.feed`, paged to the end) and over HTTP on loopback (sign-in,
 * `GET /sync/feed` paged to the end, `POST /sync/records` for the aggregates of every shielded person,
 * `GET /sync/events` until its first head). No byte they receive may hold a marker, except for accounts the
 * core grants `protected.reveal` (read from the signed-in actor, not assumed), whose snapshot must hold every
 * marker: that proves the markers really travel where they are allowed to.
 *
 * Every account also pushes a `person.update` of a protected and a link-shielded person over `/sync/push`
 * (applied for the writers, refused for the rest), and those answers are scanned too.
 *
 * Then a person is protected after the snapshot (by the protected-identity handler, through the engine:
 * `person.update`), with markers of a second prefix: every user who held the person's details before gets an
 * explicit removal on the next page and no marker of theirs. Likewise a person shielded after the snapshot by
 * a new link only (a guardianship of a protected child pushed by a clerk; their own row unchanged, a third
 * prefix). A unit clerk whose role moves to the unit holding the most shielded persons gets their rows in the
 * backfill, never their details. A joined workstation signed in as a municipality-wide clerk (no reveal
 * grant) holds no marker in any table of its cache or file of its log folder, and drops the details of both
 * persons shielded later. Last, nothing the server keeps besides the address
 * and contact records themselves holds a marker: no PostgreSQL table (change, mutation, audit_entry,
 * feed_subscriber, ... and the record table's other entities), no table of the engine's replica but the
 * address and contact tables, no line of the server's log, no file of the replica's log folder.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, dataPaths, type Connection, type Core } from '../../core/app';
import { fixedClock } from '../../core/context';
import { DEMO_PASSWORD } from '../../core/access/auth';
import { hashPassword } from '../../core/access/password';
import { PersonScope, scopeOf } from '../../core/access/scope';
import { base32Decode, totpAt } from '../../core/access/totp';
import { DEMO_ACCOUNTS } from '../../core/demo/accounts';
import { isShielded } from '../../core/register/shielding';
import type { CallResult } from '../../shared/api/transport';
import { buildServer } from '../../server/app';
import { migrateServer } from '../../server/db/migrate';
import { Engine } from '../../server/engine/engine';
import type { FeedPage } from '../../server/engine/feed';
import { createLogger } from '../../server/log';
import { syncRoutes } from '../../server/sync/routes';
import { startTestPostgres, type TestPostgres } from '../../server/testing/pg';
import { makeTestCore, TEST_TODAY } from '../util/core';
import { LATE_PREFIX, LATE_RE, MARKER_RE, plantMarkers, PREFIX, reshapeLinks, writeMarkedDelta, type Reshaped, type World } from './world';
import { dumpTable, filesUnder } from './scan';
import { seedDemoPopulationFiles } from '../../core/imports/demo';

const clock = fixedClock(TEST_TODAY);
const NOROLES = 'leak.noroles';
const ACCOUNTS = [...DEMO_ACCOUNTS.map((a) => a.username), NOROLES];
const PAGE = 2000;

/** A third prefix, for the person shielded after the snapshot by a new link (their own row unchanged). */
/** FOI and document markers (issue 13): a shielded person's documents' titles and a request's typed contact. */
const FOI_RE = /KFOI7-[A-Za-z0-9@._-]*/gi;
const LINK_PREFIX = 'LKM9S';
const LINK_RE = /LKM9S-[A-Za-z0-9@._-]*/gi;

const found = (text: string, re: RegExp = MARKER_RE): string[] => [...new Set(text.match(re) ?? [])];
/** Markers of all three prefixes. */
const anyMarker = (text: string): string[] => [...found(text), ...found(text, LATE_RE), ...found(text, LINK_RE)];

let cluster: TestPostgres;
let scratch: string;
let standaloneDir: string;
let pool: pg.Pool;
let engine: Engine;
let app: FastifyInstance;
let address: string;
let serverLog = '';
let foiPlanted: { documents: string[]; documentMarkers: string[]; request: string; contact: string; asked: string };

/**
 * Issue 13's records about shielded persons, planted as rows: a document about each of the first three
 * shielded persons (its title a marker), and a subject-access request by a shielded person whose contact was
 * typed before their protection began (a marker), asking for something (a marker that is not personal: the
 * control that FOI rows do reach an FOI officer).
 */
function plantFoi(core: ReturnType<typeof makeTestCore>, shielded: readonly string[], now: string) {
  const s = core.db.sqlite;
  const bytes = Buffer.from('%PDF-1.4 leak-test placeholder, never rendered here');
  const sha = createHash('sha256').update(bytes).digest('hex');
  s.prepare(`INSERT OR IGNORE INTO document_content (sha256, mime, size, bytes, created_at) VALUES (?, 'application/pdf', ?, ?, ?)`).run(sha, bytes.length, bytes, now);
  const documents: string[] = [];
  const documentMarkers: string[] = [];
  shielded.slice(0, 3).forEach((personId, n) => {
    const id = randomUUID();
    const title = `KFOI7-doc-${n}-title`;
    s.prepare(
      `INSERT INTO person_document (id, person_id, title, kind, document_date, classification, classification_ground, retention_class, file_name, mime, size, pages, content_sha256, version, created_at, created_by, updated_at, updated_by)
       VALUES (?, ?, ?, 'letter', ?, 'open', NULL, 'years_5', ?, 'application/pdf', ?, 1, ?, 1, ?, 'leak-test', ?, 'leak-test')`,
    ).run(id, personId, title, TEST_TODAY, `KFOI7-doc-${n}-file.pdf`, bytes.length, sha, now, now);
    documents.push(id);
    documentMarkers.push(title, `KFOI7-doc-${n}-file.pdf`);
  });
  const request = randomUUID();
  const requester = shielded[0]!;
  s.prepare(
    `INSERT INTO foi_request (id, kind, received_on, channel, requester_kind, requester_contact, requester_person_id, language, asked_for, status, version, created_at, created_by, updated_at, updated_by)
     VALUES (?, 'gdpr_access', ?, 'letter', 'subject', 'KFOI7-contact@example.invalid', ?, 'sv', 'KFOI7-asked-everything', 'registered', 1, ?, 'leak-test', ?, 'leak-test')`,
  ).run(request, TEST_TODAY, requester, now, now);
  s.prepare(
    `INSERT INTO foi_request_person (id, request_id, person_id, role, version, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, 'subject', 1, ?, 'leak-test', ?, 'leak-test')`,
  ).run(randomUUID(), request, requester, now, now);
  return { documents, documentMarkers, request, contact: 'KFOI7-contact@example.invalid', asked: 'KFOI7-asked-everything' };
}
let replicaLogDir: string;

let world: World;
let markedDeltaPath: string;
let reshaped: Reshaped;
/** The person protected after the snapshot (markers of the second prefix in their details). */
let late: Subject;
/** The person shielded after the snapshot by a new link to a protected person (a third prefix). */
let linked: Subject;

/** Per account: what the core grants the signed-in actor, and where each of its two caches stands. */
interface Account {
  username: string;
  reveal: boolean;
  /** Municipality-wide register.read: sees every person row. */
  readsAll: boolean;
  /** The later-protected person is in this account's register.read scope. */
  seesSubjects: boolean;
  conn: Connection;
  token: string;
  engineCursor: number;
  httpCursor: number;
  totpKey?: Buffer;
}
const accounts = new Map<string, Account>();
/** The joined workstation (a municipality-wide clerk without the reveal grant). */
let ws: { core: Core; conn: Connection; dir: string } | null = null;
let bytesScanned = 0;

/** A person the test shields after the snapshot, with the markers of their own prefix in every address and contact row. */
interface Subject {
  id: string;
  markers: string[];
  rows: string[];
}

/**
 * An ordinary person (unprotected, unshielded, a guardian in the unit clerk's scope, with addresses and
 * contacts, not linked to the marked world) whose details get markers of `prefix`: readers hold them until
 * the test shields the person.
 */
function plantOrdinary(core: ReturnType<typeof makeTestCore>, prefix: string, exclude: ReadonlySet<string>): Subject {
  const s = core.db.sqlite;
  const unit = s.prepare(`SELECT r.unit_id FROM role_assignment r JOIN user_account a ON a.id = r.user_id WHERE a.username = 'clerk'`).pluck().get() as string;
  const inScope = new PersonScope(core.ctx).of(new Set([unit])).ids;
  const targets = new Set(world.targets);
  const id = (
    s
      .prepare(
        `SELECT p.id FROM person p WHERE p.protection = 'none' AND p.is_guardian = 1 AND p.is_staff = 0 AND p.deleted_at IS NULL
         AND EXISTS (SELECT 1 FROM person_address a WHERE a.person_id = p.id) AND EXISTS (SELECT 1 FROM person_contact c WHERE c.person_id = p.id)
         ORDER BY p.id`,
      )
      .pluck()
      .all() as string[]
  ).find((pid) => inScope.has(pid) && !targets.has(pid) && !exclude.has(pid) && !isShielded(core.ctx, pid));
  if (!id) throw new Error('no unprotected guardian in the unit clerk\'s scope');
  const markers: string[] = [];
  const rows: string[] = [];
  s.transaction(() => {
    (s.prepare(`SELECT id FROM person_address WHERE person_id = ?`).pluck().all(id) as string[]).forEach((rowId, i) => {
      const m = (f: string) => `${prefix}-${i}-${f}`;
      s.prepare(`UPDATE person_address SET street = ?, care_of = ?, city = ?, postal_code = ? WHERE id = ?`).run(m('street'), m('careof'), m('city'), m('postal'), rowId);
      markers.push(m('street'), m('careof'), m('city'), m('postal'));
      rows.push(rowId);
    });
    (s.prepare(`SELECT id, kind FROM person_contact WHERE person_id = ?`).all(id) as { id: string; kind: string }[]).forEach((c, i) => {
      const v = c.kind === 'email' ? `${prefix}-${i}-email@example.invalid` : `${prefix}-${i}-${c.kind}`;
      s.prepare(`UPDATE person_contact SET value = ? WHERE id = ?`).run(v, c.id);
      markers.push(v);
      rows.push(c.id);
    });
  })();
  return { id, markers, rows };
}

beforeAll(async () => {
  cluster = await startTestPostgres();
  scratch = mkdtempSync(join(tmpdir(), 'kansli-feed-leak-'));
  // The same municipality as leak.test.ts (seed 37: 22 protected persons in 400).
  const core = makeTestCore({ persons: 400, seed: Number(process.env.LEAK_SEED ?? 37) });
  standaloneDir = core.dir;
  reshaped = reshapeLinks(core);
  // The register's full file (the imports' baseline, moved into the server with the register) is written
  // before the markers, and a marked delta beside it that the registrar imports on the server.
  await seedDemoPopulationFiles(core.db.sqlite, { dataDir: core.dir, today: TEST_TODAY });
  markedDeltaPath = writeMarkedDelta(core.db.sqlite);
  world = plantMarkers(core, reshaped);
  late = plantOrdinary(core, LATE_PREFIX, new Set());
  // Not near the late person (two steps of guardianship or household): protecting them shields their
  // co-guardians, children and housemates, and the link scenario needs a person shielded by its own link.
  const step = core.db.sqlite
    .prepare(
      `SELECT g2.guardian_id FROM guardianship g1 JOIN guardianship g2 ON g2.child_id = g1.child_id WHERE g1.guardian_id = @id
       UNION SELECT child_id FROM guardianship WHERE guardian_id = @id
       UNION SELECT guardian_id FROM guardianship WHERE child_id = @id
       UNION SELECT y.person_id FROM household_member x JOIN household_member y ON y.household_id = x.household_id WHERE x.person_id = @id`,
    )
    .pluck();
  const first = step.all({ id: late.id }) as string[];
  const near = new Set([late.id, ...first, ...first.flatMap((id) => step.all({ id }) as string[])]);
  linked = plantOrdinary(core, LINK_PREFIX, near);
  // A user without roles, made the way the demo seed makes its accounts.
  const now = `${TEST_TODAY}T12:00:00.000Z`;
  foiPlanted = plantFoi(core, world.shielded, now);
  core.db.sqlite
    .prepare(
      `INSERT INTO user_account (id, username, display_name, password_hash, password_changed_at, created_at, created_by, updated_at, updated_by)
       VALUES (?,?,?,?,?,?,'leak-test',?,'leak-test')`,
    )
    .run(randomUUID(), NOROLES, 'Leak Without Roles', hashPassword(DEMO_PASSWORD), now, now, now);
  const { dbPath } = dataPaths(standaloneDir);
  core.close();

  pool = new pg.Pool({ connectionString: await cluster.database('leak'), max: 6 });
  pool.on('error', () => undefined);
  await migrateServer(pool);
  replicaLogDir = join(scratch, 'server', 'logs');
  engine = await Engine.open({ pool, replicaPath: join(scratch, 'server', 'replica.sqlite'), clock, logDir: replicaLogDir });
  await engine.importStandalone(dbPath);
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      serverLog += chunk.toString('utf8');
      done();
    },
  });
  app = await buildServer({ pool, logger: createLogger('info', stream), routes: syncRoutes({ engine, signInPerMinute: 1000, heartbeatSeconds: 1 }) });
  address = await app.listen({ port: 0, host: '127.0.0.1' });
}, 300_000);

afterAll(async () => {
  if (ws) {
    ws.core.sync?.close();
    await ws.core.sync?.idle();
    ws.core.close();
  }
  // The workstations are closed, yet the server still holds the first workstation's event stream open
  // (GET /sync/events, seen with a request/response probe); close() would wait for the 60 s connection timeout.
  app?.server.closeAllConnections();
  await app?.close();
  engine?.close();
  await pool?.end();
  await cluster?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  if (standaloneDir) rmSync(standaloneDir, { recursive: true, force: true });
  if (markedDeltaPath) rmSync(markedDeltaPath, { force: true });
  console.log(
    `[feed-leak] ${world?.protectedIds.length ?? 0} protected, ${world?.shielded.length ?? 0} shielded, ` +
      `${[...(world?.markers.values() ?? [])].reduce((n, l) => n + l.length, 0)} markers; ${accounts.size} accounts; ${(bytesScanned / 1024 / 1024).toFixed(1)} MiB scanned`,
  );
});

// ---------------------------------------------------------------------------------------------------------
// Sign-in (engine and HTTP), pulls
// ---------------------------------------------------------------------------------------------------------

const stateOf = (r: CallResult) => (r.ok ? (r.data as { state: string }).state : `error:${r.error.code}`);

/** Takes whatever steps the account's state asks for: the administrator enrols TOTP once, then verifies. */
async function finishSignIn(username: string, first: CallResult, step: (method: string, input: unknown) => Promise<CallResult>, keys: Map<string, Buffer>, offset: number) {
  let state = stateOf(first);
  for (let guard = 0; state !== 'signed_in' && guard < 3; guard++) {
    if (state === 'enrol_totp') {
      const b = await step('auth.totpBegin', {});
      if (!b.ok) throw new Error(JSON.stringify(b.error));
      const key = base32Decode((b.data as { secret: string }).secret);
      keys.set(username, key);
      state = stateOf(await step('auth.totpConfirm', { code: totpAt(key, Date.now()) }));
    } else if (state === 'totp') {
      const key = keys.get(username);
      if (!key) throw new Error(`${username}: TOTP asked but no key known`);
      // The enrolment's step is spent; the next step's code is accepted (window ±1).
      state = stateOf(await step('auth.verifyTotp', { code: totpAt(key, Date.now() + offset) }));
    } else break;
  }
  if (state !== 'signed_in') throw new Error(`${username} could not sign in: ${state}`);
}
const totpKeys = new Map<string, Buffer>();

async function engineSignIn(username: string): Promise<Connection> {
  const conn = engine.core.connect(`leak-engine-${username}`);
  const r = await engine.call(conn, 'auth.signIn', { username, password: DEMO_PASSWORD });
  await finishSignIn(username, r, (m, i) => engine.call(conn, m, i), totpKeys, 30_000);
  return conn;
}

/** One HTTP exchange on loopback: the body as received (every byte is scanned), parsed when JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the server's JSON answers, read field by field below
async function http(method: 'GET' | 'POST', path: string, token: string | null, body?: unknown): Promise<{ status: number; text: string; json: any }> {
  const res = await fetch(new URL(path, address), {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, text, json };
}

async function httpSignIn(username: string, received: string[]): Promise<string> {
  const r = await http('POST', '/auth/sign-in', null, { username, password: DEMO_PASSWORD, workstation: `leak-http-${username}` });
  received.push(r.text);
  expect(r.status, r.text).toBe(200);
  const token = r.json.token as string;
  expect(token, `${username}: ${r.text}`).toBeTruthy();
  const step = async (method: string, input: unknown): Promise<CallResult> => {
    const c = await http('POST', '/auth/call', token, { method, input });
    received.push(c.text);
    return c.json.result as CallResult;
  };
  await finishSignIn(username, r.json.result as CallResult, step, totpKeys, 30_000);
  return token;
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

type Page = Extract<FeedPage, { reset: false }>;

async function engineFeed(conn: Connection, subscriber: string, cursor: number): Promise<{ pages: Page[]; text: string; cursor: number }> {
  const pages: Page[] = [];
  let text = '';
  for (;;) {
    const p = await engine.feed(conn, { subscriber, cursor, limit: PAGE });
    if ('error' in p) throw new Error(JSON.stringify(p.error));
    if (p.reset) throw new Error(`reset: ${p.reason}`);
    pages.push(p);
    text += JSON.stringify(p);
    cursor = p.cursor;
    if (!p.more) return { pages, text, cursor };
  }
}

async function httpFeed(token: string, subscriber: string, cursor: number): Promise<{ pages: Page[]; text: string; cursor: number }> {
  const pages: Page[] = [];
  let text = '';
  for (;;) {
    const r = await http('GET', `/sync/feed?subscriber=${encodeURIComponent(subscriber)}&cursor=${cursor}&limit=${PAGE}`, token);
    text += r.text;
    expect(r.status, r.text.slice(0, 300)).toBe(200);
    const p = r.json as FeedPage;
    if (p.reset) throw new Error(`reset: ${p.reason}`);
    pages.push(p);
    cursor = p.cursor;
    if (!p.more) return { pages, text, cursor };
  }
}

/** The event stream until its first announced head (sent at once on connect), then closed. */
async function httpEvents(token: string): Promise<string> {
  const ac = new AbortController();
  const res = await fetch(new URL('/sync/events', address), { headers: { authorization: `Bearer ${token}` }, signal: ac.signal });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let text = '';
  try {
    while (!/event: head\ndata: .*\n\n/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += dec.decode(value, { stream: true });
    }
  } finally {
    ac.abort();
    await reader.cancel().catch(() => undefined);
  }
  return text;
}

const personKeys = (ids: string[]) => ids.flatMap((id) => [`person:${id}`, `care:${id}`]);
const chunks = <T>(xs: T[], n: number): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

// ---------------------------------------------------------------------------------------------------------
// Scans outside the answers
// ---------------------------------------------------------------------------------------------------------


/** Every file under `dir` as UTF-8 and UTF-16 text, hits of both prefixes with the file they are in. */
function scanFolder(dir: string): { files: string[]; hits: string[] } {
  const files: string[] = [];
  const hits: string[] = [];
  for (const f of filesUnder(dir)) {
    const buf = readFileSync(f);
    bytesScanned += buf.length;
    files.push(`${relative(dir, f)} (${buf.length} B)`);
    const text = `${buf.toString('latin1')} ${buf.toString('utf16le')}`;
    for (const h of anyMarker(text)) hits.push(`${relative(dir, f)}: ${h}`);
  }
  return { files, hits };
}

/** Hits of both prefixes in every SQLite table of `db` but those named. */
function scanSqlite(db: import('better-sqlite3').Database, except: readonly string[]): { tables: string[]; hits: string[] } {
  const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all() as string[]).filter((t) => !except.includes(t));
  const hits: string[] = [];
  for (const t of tables) {
    const text = dumpTable(db, t);
    bytesScanned += text.length;
    const h = anyMarker(text);
    if (h.length) hits.push(`${t}: ${h.slice(0, 5).join(', ')}`);
  }
  return { tables, hits };
}

/** A person.update input as a form sends it: the server's current fields, with `change` applied (addresses and contacts untouched). */
function personUpdate(id: string, change: Record<string, string | null>) {
  const r = engine.core.ctx.sqlite
    .prepare(
      `SELECT id_canonical, reserve_number, birth_date, sex, given_name, middle_name, family_name, preferred_name, status, nationality, mother_tongue, maalform, protection, version
       FROM person WHERE id = ?`,
    )
    .get(id) as Record<string, string | number | null>;
  return {
    id,
    version: r.version,
    mode: 'change',
    person: {
      identityNumber: r.id_canonical,
      reserveNumber: r.reserve_number,
      birthDate: r.birth_date,
      sex: r.sex,
      givenName: r.given_name,
      middleName: r.middle_name,
      familyName: r.family_name,
      preferredName: r.preferred_name,
      status: r.status,
      nationality: r.nationality,
      motherTongue: r.mother_tongue,
      maalform: r.maalform,
      protection: r.protection,
      ...change,
    },
  };
}

/**
 * Pushes a mutation as a workstation would, naming in its base the aggregates it writes (from PostgreSQL's
 * current seqs). When the server names others (a conflict: the run wrote aggregates the base did not
 * name), those are added and the call is made once more under a new id.
 */
async function pushNaming(conn: Connection, method: string, input: unknown, keys: string[]) {
  const base = async (ks: string[]) => {
    const rows = (await pool.query<{ key: string; seq: string }>('SELECT key, seq FROM aggregate WHERE key = ANY($1)', [ks])).rows;
    return Object.fromEntries(ks.map((k) => [k, { seq: Number(rows.find((r) => r.key === k)?.seq ?? 0) }]));
  };
  const first = await engine.push(conn, { id: randomUUID(), method, input, base: await base(keys) });
  if (first.status !== 'conflict') return first;
  return engine.push(conn, { id: randomUUID(), method, input, base: await base([...new Set([...keys, ...first.aggregates])]) });
}

/**
 * After `subject` was shielded: every account's next pages from where its caches stand, through the engine
 * and over HTTP. For everyone without the reveal grant: no marker of the `absent` prefixes (the world's and
 * those of every person shielded by now), and for those who held the subject's details an explicit removal of them (the person
 * hidden, or each address and contact row removed) and the person row that says why. The reveal account
 * keeps them: nothing of the subject is hidden from it.
 */
async function nextPagesRemove(subject: Subject, protection: string | null, absent: RegExp[]): Promise<void> {
  const problems: Record<string, string[]> = {};
  let checked = 0;
  for (const a of accounts.values()) {
    const viaEngine = await engineFeed(a.conn, `leak-engine-${a.username}`, a.engineCursor);
    const viaHttp = await httpFeed(a.token, `leak-http-${a.username}`, a.httpCursor);
    a.engineCursor = viaEngine.cursor;
    a.httpCursor = viaHttp.cursor;
    bytesScanned += viaEngine.text.length + viaHttp.text.length;
    if (a.reveal) {
      for (const p of [...viaEngine.pages, ...viaHttp.pages]) expect(p.hiddenPersons, a.username).not.toContain(subject.id);
      continue;
    }
    const out: string[] = [];
    for (const [what, feed] of [
      ['engine', viaEngine],
      ['http', viaHttp],
    ] as const) {
      out.push(...absent.flatMap((re) => found(feed.text, re)).map((m) => `${what}: ${m}`));
      if (!a.seesSubjects) continue;
      const hidden = feed.pages.some((p) => p.hiddenPersons.includes(subject.id));
      const removed = new Set(feed.pages.flatMap((p) => p.removals.map((x) => x.id)));
      if (!hidden && !subject.rows.every((id) => removed.has(id))) out.push(`${what}: no removal of ${subject.id}'s details`);
      const row = feed.pages.flatMap((p) => p.records).find((x) => x.entity === 'person' && x.id === subject.id);
      if (protection !== null && row?.data.protection !== protection) out.push(`${what}: no person row with the new protection`);
      if (protection === null && row?.data.shielded !== 1) out.push(`${what}: no person row marked shielded`);
      checked++;
    }
    problems[a.username] = out;
  }
  expect(checked).toBeGreaterThanOrEqual(2 * 4);
  expect(problems).toEqual(Object.fromEntries(Object.keys(problems).map((u) => [u, []])));
}

/**
 * The joined workstation follows the server's head: the subject's details leave its cache, no table keeps a
 * marker of the `absent` prefixes, and its log folder none at all.
 */
async function workstationDrops(subject: Subject, rowSays: (row: { protection: string; shielded: number } | undefined) => boolean, absent: RegExp[]): Promise<void> {
  const w = ws!;
  const s = w.core.ctx.sqlite;
  const left = () => (s.prepare(`SELECT count(*) FROM person_address WHERE person_id = ?`).pluck().get(subject.id) as number) + (s.prepare(`SELECT count(*) FROM person_contact WHERE person_id = ?`).pluck().get(subject.id) as number);
  const row = () => s.prepare(`SELECT protection, shielded FROM person WHERE id = ?`).get(subject.id) as { protection: string; shielded: number } | undefined;
  // Not a timing assertion: the event stream or a kick starts the pull; the wait only bounds a hang.
  const deadline = Date.now() + 30_000;
  w.core.sync!.kick();
  while (Date.now() < deadline && (left() > 0 || !rowSays(row()))) {
    await w.core.sync!.idle();
    await new Promise((res) => setTimeout(res, 50));
  }
  expect(left()).toBe(0);
  expect(rowSays(row()), JSON.stringify(row())).toBe(true);
  const inTables = scanSqlite(s, []).hits;
  expect(inTables.filter((h) => absent.some((re) => found(h, re).length))).toEqual([]);
  expect(scanFolder(dataPaths(w.dir).logDir).hits).toEqual([]);
}

// ---------------------------------------------------------------------------------------------------------

describe('protected identities do not leak through the server', () => {
  it('has something to protect: the markers are in the server\'s records, and the shielded persons are shielded on the replica', async () => {
    expect(world.protectedIds.length).toBeGreaterThanOrEqual(3);
    expect(world.shielded.length).toBeGreaterThan(world.protectedIds.length);
    expect(reshaped.mustBeShielded.length).toBeGreaterThanOrEqual(4);
    const planted = [...world.markers.values()].flat();
    expect(planted.length).toBeGreaterThan(world.shielded.length * 4);
    const stored = (
      await pool.query<{ t: string }>(`SELECT data::text AS t FROM record WHERE entity IN ('person_address', 'person_contact') AND data::text ILIKE $1`, [`%${PREFIX}-%`])
    ).rows.map((r) => r.t);
    expect(new Set(found(stored.join('\n')))).toEqual(new Set(planted));
    // The replica's own flag (recomputed from PostgreSQL's records): every person the world shields.
    const flagged = new Set(engine.core.ctx.sqlite.prepare(`SELECT id FROM person WHERE protection <> 'none' OR shielded = 1`).pluck().all() as string[]);
    expect(world.shielded.filter((id) => !flagged.has(id))).toEqual([]);
    for (const subject of [late, linked]) {
      expect(flagged.has(subject.id)).toBe(false);
      expect(subject.markers.length).toBeGreaterThanOrEqual(5);
    }
  });

  it('every account\'s whole snapshot, through the engine and over HTTP, holds no marker (all of them with protected.reveal)', async () => {
    const allMarkers = new Set([...world.markers.values()].flat());
    const pushed: string[] = [];
    /** A person shielded through a link only (not protected themselves). */
    const shieldedOnly = () => reshaped.mustBeShielded.find((m) => !world.protectedIds.includes(m.id))!.id;
    const report: Record<string, string[]> = {};
    for (const username of ACCOUNTS) {
      const conn = await engineSignIn(username);
      const actor = conn.session.actor!;
      // The core's rule, read from the signed-in actor: reveal for every person the account may read.
      const reveal = scopeOf(actor, 'protected.reveal') === 'all' && scopeOf(actor, 'register.read') === 'all';
      const read = scopeOf(actor, 'register.read');
      const readsAll = read === 'all';
      const seesSubjects = read === 'all' || (read !== null && new PersonScope(engine.core.ctx).of(read).ids.has(late.id));

      const viaEngine = await engineFeed(conn, `leak-engine-${username}`, 0);
      const received: string[] = [];
      const token = await httpSignIn(username, received);
      const viaHttp = await httpFeed(token, `leak-http-${username}`, 0);
      received.push(viaHttp.text);
      for (const part of chunks(personKeys(world.shielded), 100)) {
        const r = await http('POST', '/sync/records', token, { aggregates: part });
        expect(r.status, r.text.slice(0, 200)).toBe(200);
        received.push(r.text);
      }
      received.push((await http('POST', '/auth/call', token, { method: 'session.info', input: {} })).text);
      // A push touching a protected and a shielded person (applied for a writer, refused for the others): the answers are scanned too.
      for (const id of [reshaped.kid, shieldedOnly()]) {
        const seq = Number((await pool.query<{ seq: string }>('SELECT seq FROM aggregate WHERE key = $1', [`person:${id}`])).rows[0]?.seq ?? 0);
        const tongue = engine.core.ctx.sqlite.prepare('SELECT mother_tongue FROM person WHERE id = ?').pluck().get(id) === 'fi' ? 'sv' : 'fi';
        const r = await http('POST', '/sync/push', token, { mutations: [{ id: randomUUID(), method: 'person.update', input: personUpdate(id, { motherTongue: tongue }), base: { [`person:${id}`]: { seq } } }] });
        expect(r.status, r.text.slice(0, 200)).toBe(200);
        pushed.push(`${username} ${(r.json.answers[0] as { status: string }).status}`);
        received.push(r.text);
      }
      received.push(await httpEvents(token));
      const overHttp = received.join('\n');
      bytesScanned += viaEngine.text.length + overHttp.length;

      accounts.set(username, { username, reveal, readsAll, seesSubjects, conn, token, engineCursor: viaEngine.cursor, httpCursor: viaHttp.cursor });
      const inEngine = anyMarker(viaEngine.text).filter((m) => !(seesSubjects && (found(m, LATE_RE).length || found(m, LINK_RE).length)));
      const inHttp = anyMarker(overHttp).filter((m) => !(seesSubjects && (found(m, LATE_RE).length || found(m, LINK_RE).length)));
      if (reveal) {
        // The control: the markers are really there and do travel to the one who may see them.
        expect(allMarkers.size).toBeGreaterThan(0);
        for (const [where, text] of [['engine feed', viaEngine.text], ['HTTP feed', viaHttp.text], ['HTTP answers', overHttp]] as const) {
          const missing = [...allMarkers].filter((m) => !text.includes(m));
          expect(missing.slice(0, 5), `${username}: markers missing from the ${where}`).toEqual([]);
        }
      } else {
        report[username] = [...inEngine.map((m) => `engine: ${m}`), ...inHttp.map((m) => `http: ${m}`)].slice(0, 10);
      }
      // Not an empty answer: a reader of the whole register holds every shielded person's own row, and the
      // later-protected person's (still ordinary) details, in both feeds.
      if (readsAll) {
        for (const { pages, what } of [
          { pages: viaEngine.pages, what: 'engine' },
          { pages: viaHttp.pages, what: 'http' },
        ]) {
          const persons = new Set(pages.flatMap((p) => p.records.filter((r) => r.entity === 'person').map((r) => r.id)));
          expect(world.shielded.filter((id) => !persons.has(id)), `${username} (${what}): shielded persons' own rows`).toEqual([]);
        }
      }
      if (seesSubjects) {
        expect(new Set(found(viaEngine.text, LATE_RE)), `${username}: the ordinary details of the person protected later (engine)`).toEqual(new Set(late.markers));
        expect(new Set(found(viaHttp.text, LATE_RE)), `${username}: the ordinary details of the person protected later (http)`).toEqual(new Set(late.markers));
        expect(new Set(found(viaEngine.text, LINK_RE)), `${username}: the ordinary details of the person linked later (engine)`).toEqual(new Set(linked.markers));
        expect(new Set(found(viaHttp.text, LINK_RE)), `${username}: the ordinary details of the person linked later (http)`).toEqual(new Set(linked.markers));
      }
    }
    const revealing = [...accounts.values()].filter((a) => a.reveal).map((a) => a.username);
    console.log(`[feed-leak] protected.reveal for the whole register: ${revealing.join(', ')}; without: ${[...accounts.values()].filter((a) => !a.reveal).map((a) => a.username).join(', ')}`);
    expect(revealing.length).toBeGreaterThan(0);
    expect([...accounts.values()].filter((a) => !a.reveal && a.readsAll).length).toBeGreaterThan(0);
    expect(accounts.get('clerk')?.seesSubjects).toBe(true);
    expect(report).toEqual(Object.fromEntries(Object.keys(report).map((u) => [u, []])));
    // The writers' pushes were applied (so their answers are real results), the others' refused.
    expect(pushed.filter((p) => p.endsWith(' applied')).map((p) => p.split(' ')[0])).toEqual(expect.arrayContaining(['clerk.all', 'clerk.all']));
    console.log(`[feed-leak] pushes: ${pushed.join(', ')}`);
  }, 600_000);

  it('a joined workstation of a clerk without the reveal grant holds no marker in its cache or its logs after its sync', async () => {
    const dir = join(scratch, 'workstation');
    const { dbPath, logDir } = dataPaths(dir);
    const core = createCore({ dbPath, logDir, clock, workstation: 'leak-ws', auditAnchorPath: null, auditPendingPath: null, sync: { server: address, fetch } });
    const conn = core.connect('leak-ws');
    ws = { core, conn, dir };
    const r = await conn.callAsync('auth.signIn', { username: 'clerk.all', password: DEMO_PASSWORD });
    expect(stateOf(r)).toBe('signed_in');
    await core.sync!.idle();
    const s = core.ctx.sqlite;
    // The cache is filled (every person, the shielded ones too) …
    expect(s.prepare('SELECT count(*) FROM person').pluck().get()).toBe(engine.core.ctx.sqlite.prepare('SELECT count(*) FROM person').pluck().get());
    expect(s.prepare(`SELECT count(*) FROM person WHERE shielded = 1 OR protection <> 'none'`).pluck().get()).toBeGreaterThanOrEqual(world.shielded.length);
    // … and holds the later-protected person's ordinary details (the control), but no marker anywhere.
    const tables = scanSqlite(s, []);
    expect(tables.tables).toContain('person_address');
    expect(tables.hits.filter((h) => !h.startsWith('person_address:') && !h.startsWith('person_contact:'))).toEqual([]);
    expect(tables.hits.filter((h) => found(h).length)).toEqual([]);
    for (const prefix of [LATE_PREFIX, LINK_PREFIX]) expect(tables.hits.some((h) => h.startsWith('person_address:') && h.includes(prefix)), prefix).toBe(true);
    const files = scanFolder(logDir);
    expect(files.files.length, 'the workstation writes a log').toBeGreaterThan(0);
    expect(files.hits).toEqual([]);
  }, 300_000);

  it('a person protected after the snapshot: the next page of every user without reveal removes their details and carries no marker', async () => {
    const handler = await engineSignIn('protected');
    const seq = Number((await pool.query<{ seq: string }>('SELECT seq FROM aggregate WHERE key = $1', [`person:${late.id}`])).rows[0]?.seq ?? 0);
    const answer = await engine.push(handler, {
      id: randomUUID(),
      method: 'person.update',
      input: personUpdate(late.id, { protection: 'se_sekretessmarkering' }),
      base: { [`person:${late.id}`]: { seq } },
    });
    expect(answer, JSON.stringify(answer)).toMatchObject({ status: 'applied' });
    await nextPagesRemove(late, 'se_sekretessmarkering', [MARKER_RE, LATE_RE]);
    await workstationDrops(late, (row) => row?.protection === 'se_sekretessmarkering', [MARKER_RE, LATE_RE]);
  }, 600_000);

  it('a person shielded after the snapshot by a new link (guardian of a protected child): the same removal, no marker', async () => {
    const s = engine.core.ctx.sqlite;
    const child = s.prepare(`SELECT id FROM person WHERE protection <> 'none' AND is_child = 1 AND deleted_at IS NULL ORDER BY id LIMIT 1`).pluck().get() as string;
    expect(child).toBeTruthy();
    // A municipality-wide clerk (no reveal grant) registers the person as the child's guardian: their own row is not edited.
    const clerk = accounts.get('clerk.all')!.conn;
    expect(isShielded(engine.core.ctx, linked.id), 'not shielded before the link').toBe(false);
    const answer = await pushNaming(clerk, 'guardianship.create', { childId: child, guardianId: linked.id, kind: 'vardnadshavare', validFrom: TEST_TODAY }, [`care:${child}`]);
    expect(answer, JSON.stringify(answer)).toMatchObject({ status: 'applied' });
    expect(isShielded(engine.core.ctx, linked.id)).toBe(true);
    expect(s.prepare('SELECT shielded FROM person WHERE id = ?').pluck().get(linked.id)).toBe(1);
    await nextPagesRemove(linked, null, [MARKER_RE, LATE_RE, LINK_RE]);
    await workstationDrops(linked, (row) => row?.shielded === 1, [MARKER_RE, LATE_RE, LINK_RE]);
  }, 600_000);

  it('a unit clerk moved to the unit holding the most shielded persons: the backfill brings their rows, not their details', async () => {
    const s = engine.core.ctx.sqlite;
    const user = s.prepare(`SELECT id, version, display_name FROM user_account WHERE username = 'clerk'`).get() as { id: string; version: number; display_name: string };
    const oldUnit = s.prepare(`SELECT unit_id FROM role_assignment WHERE user_id = ?`).pluck().get(user.id) as string;
    const scope = new PersonScope(engine.core.ctx);
    const shielded = new Set(s.prepare(`SELECT id FROM person WHERE protection <> 'none' OR shielded = 1`).pluck().all() as string[]);
    const before = scope.of(new Set([oldUnit])).ids;
    const units = (s.prepare(`SELECT id FROM org_unit WHERE deleted_at IS NULL AND id <> ? ORDER BY id`).pluck().all(oldUnit) as string[]).map((id) => ({
      id,
      entering: [...scope.of(new Set([id])).ids].filter((p) => shielded.has(p) && !before.has(p)),
    }));
    const target = units.sort((a, b) => b.entering.length - a.entering.length)[0]!;
    expect(target.entering.length).toBeGreaterThan(0);
    const answer = await pushNaming(
      accounts.get('admin')!.conn,
      'user.update',
      { id: user.id, version: user.version, displayName: user.display_name, roles: [{ role: 'clerk', unitId: target.id }], disabled: false },
      [`account:${user.id}`],
    );
    expect(answer, JSON.stringify(answer)).toMatchObject({ status: 'applied' });

    const a = accounts.get('clerk')!;
    const viaEngine = await engineFeed(a.conn, `leak-engine-${a.username}`, a.engineCursor);
    const viaHttp = await httpFeed(a.token, `leak-http-${a.username}`, a.httpCursor);
    bytesScanned += viaEngine.text.length + viaHttp.text.length;
    for (const [what, feed] of [
      ['engine', viaEngine],
      ['http', viaHttp],
    ] as const) {
      // The control: the shielded persons entering the scope do arrive (their rows and what hangs on them) …
      const persons = new Set(feed.pages.flatMap((p) => p.records.filter((r) => r.entity === 'person').map((r) => r.id)));
      expect(target.entering.filter((id) => !persons.has(id)), `${what}: entering shielded persons`).toEqual([]);
      // … without an address or contact of theirs, or a marker of any prefix.
      const contacts = feed.pages.flatMap((p) => p.records).filter((r) => (r.entity === 'person_address' || r.entity === 'person_contact') && shielded.has(String(r.data.person_id)));
      expect(contacts.map((r) => `${r.entity} ${r.id}`), what).toEqual([]);
      expect(anyMarker(feed.text), what).toEqual([]);
    }
  }, 300_000);

  it('a workstation the protected-identity handler used, then a clerk without the grant: nothing of the handler\'s projection is left', async () => {
    const dir = join(scratch, 'shared-workstation');
    const { dbPath, logDir } = dataPaths(dir);
    const core = createCore({ dbPath, logDir, clock, workstation: 'leak-ws2', auditAnchorPath: null, auditPendingPath: null, sync: { server: address, fetch } });
    try {
      const s = core.ctx.sqlite;
      const first = core.connect('leak-ws2');
      expect(stateOf(await first.callAsync('auth.signIn', { username: 'protected', password: DEMO_PASSWORD }))).toBe('signed_in');
      await core.sync!.idle();
      // The control: the handler's cache holds the details, and a reveal read locally shows them.
      const held = scanSqlite(s, []).hits;
      expect(held.some((h) => h.startsWith('person_address:') && found(h).length)).toBe(true);
      const revealed = await first.callAsync('person.reveal', { id: reshaped.kid, reason: 'Leak test: verifying an address for a court letter' });
      expect(found(JSON.stringify(revealed)).length, JSON.stringify(revealed).slice(0, 200)).toBeGreaterThan(0);
      expect(stateOf(await first.callAsync('auth.signOut', {}))).toBe('signed_out');

      const second = core.connect('leak-ws2');
      expect(stateOf(await second.callAsync('auth.signIn', { username: 'clerk.all', password: DEMO_PASSWORD }))).toBe('signed_in');
      await core.sync!.idle();
      expect(s.prepare('SELECT count(*) FROM person').pluck().get()).toBe(engine.core.ctx.sqlite.prepare('SELECT count(*) FROM person').pluck().get());
      expect(scanSqlite(s, []).hits).toEqual([]);
      expect(scanFolder(logDir).hits).toEqual([]);
    } finally {
      core.sync?.close();
      await core.sync?.idle();
      core.close();
    }
  }, 300_000);

  it('an import run on the server: the upload, the job\'s answers and events, and every account\'s view of its dry run hold no marker (the handler\'s do)', async () => {
    const received: string[] = [];
    const token = await httpSignIn('registrar', received);
    // The registrar's event stream while the job runs: its `job` events are scanned too.
    const ac = new AbortController();
    let events = '';
    const stream = fetch(new URL('/sync/events', address), { headers: { authorization: `Bearer ${token}` }, signal: ac.signal }).then(async (res) => {
      const reader = res.body!.getReader();
      const dec = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        events += dec.decode(value, { stream: true });
      }
    }).catch(() => undefined);
    await until('the event stream is open', () => events.includes('event: head'));
    const up = await fetch(new URL('/sync/files?kind=navet&name=navet-leak.xml', address), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
      body: readFileSync(markedDeltaPath),
    });
    const upText = await up.text();
    expect(up.status, upText).toBe(200);
    received.push(upText);
    const started = await http('POST', '/sync/job', token, { method: 'import.start', input: { fileId: JSON.parse(upText).fileId as string, format: 'navet' } });
    received.push(started.text);
    expect(started.json.result.ok, started.text).toBe(true);
    const { jobId, runId } = started.json.result.data as { jobId: string; runId: string };
    let state = '';
    await until('the server job to end', async () => {
      const j = await http('GET', `/sync/jobs/${jobId}`, token);
      received.push(j.text);
      state = j.json.result.data.state as string;
      return state !== 'queued' && state !== 'running';
    });
    expect(state).toBe('succeeded');
    await until('the end on the event stream', () => /"state":"succeeded"/.test(events));
    ac.abort();
    await stream;
    expect(events).toMatch(/event: job\ndata: /);
    received.push(events);
    bytesScanned += received.join('').length;
    expect(anyMarker(received.join('\n'))).toEqual([]);

    // Every account's look at the dry run, over HTTP: its list, the run, its changes, its problems and the
    // problem list exported (the file fetched from the server).
    const report: Record<string, string[]> = {};
    let handlerSaw = 0;
    for (const username of ACCOUNTS) {
      const got: string[] = [];
      // The account's HTTP session from the snapshot (a second sign-in would need the administrator's next TOTP step).
      const t = accounts.get(username)!.token;
      const calls: [string, unknown][] = [
        ['import.list', { offset: 0, limit: 50 }],
        ['import.get', { id: runId }],
        ['import.changes', { id: runId, offset: 0, limit: 500 }],
        ['import.problems', { id: runId, offset: 0, limit: 500 }],
        ['import.problemsExport', { id: runId, lang: 'sv' }],
      ];
      for (const [method, input] of calls) {
        const r = await http('POST', '/auth/call', t, { method, input });
        expect(r.status, `${username} ${method}: ${r.text.slice(0, 200)}`).toBe(200);
        got.push(r.text);
        if (method === 'import.problemsExport' && r.json.result?.ok) got.push((await http('GET', `/sync/files/${r.json.result.data.file.fileId as string}`, t)).text);
      }
      const text = got.join('\n');
      bytesScanned += text.length;
      if (accounts.get(username)!.reveal) handlerSaw += found(text).length;
      else report[username] = anyMarker(text).slice(0, 10);
    }
    // The control: the handler (register.import and protected.reveal) sees the marked address of the move.
    expect(handlerSaw).toBeGreaterThan(0);
    expect(report).toEqual(Object.fromEntries(Object.keys(report).map((u) => [u, []])));
  }, 300_000);

  it("a shielded person's documents and an FOI request's pre-protection contact: in no cache without reveal; the documents with it, the request to FOI officers without the contact", async () => {
    const foiFound = (text: string) => [...new Set(text.match(FOI_RE) ?? [])];
    // What is planted reached the server.
    const stored = (await pool.query<{ t: string }>(`SELECT data::text AS t FROM record WHERE entity IN ('person_document', 'foi_request') AND data::text ILIKE '%KFOI7-%'`)).rows.map((r) => r.t).join('\n');
    expect(new Set(foiFound(stored))).toEqual(new Set([...foiPlanted.documentMarkers, foiPlanted.contact, foiPlanted.asked]));
    const seen: Record<string, string[]> = {};
    for (const username of ACCOUNTS) {
      // The sessions the snapshot test opened (an account's first sign-in changed its password or enrolled TOTP).
      const { conn, token } = accounts.get(username)!;
      const actor = conn.session.actor!;
      const feed = await engineFeed(conn, `foi-leak-${username}`, 0);
      const overHttp = (await httpFeed(token, `foi-leak-http-${username}`, 0)).text;
      bytesScanned += feed.text.length + overHttp.length;
      const hits = [...new Set([...foiFound(feed.text), ...foiFound(overHttp)])].sort();
      seen[username] = hits;
      const reveal = scopeOf(actor, 'protected.reveal') === 'all';
      const foiReader = scopeOf(actor, 'foi.read') === 'all';
      const expected = [...(reveal && scopeOf(actor, 'register.read') === 'all' ? foiPlanted.documentMarkers : []), ...(foiReader ? [foiPlanted.asked] : [])].sort();
      expect([username, hits]).toEqual([username, expected]);
      if (foiReader) {
        // The request travelled to the officer, its typed contact withheld (the requester is shielded).
        const row = feed.pages.flatMap((p) => p.records).find((r) => r.entity === 'foi_request' && r.id === foiPlanted.request) as { data?: Record<string, unknown> } | undefined;
        expect(row?.data).toMatchObject({ requester_contact: null, asked_for: foiPlanted.asked });
      }
    }
    // Somebody saw each kind (the scan can find them), and nobody saw the contact.
    expect(Object.values(seen).some((h) => h.includes(foiPlanted.documentMarkers[0]!))).toBe(true);
    expect(Object.values(seen).some((h) => h.includes(foiPlanted.asked))).toBe(true);
    expect(Object.values(seen).flat()).not.toContain(foiPlanted.contact);
    // Nor in the server's log.
    expect(foiFound(serverLog)).toEqual([]);
  }, 300_000);

  it('no marker in any PostgreSQL table but the address and contact records, in the replica\'s other tables, the server\'s log or the replica\'s log folder', async () => {
    const tables = (await pool.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)).rows.map((r) => r.tablename);
    for (const t of ['record', 'change', 'mutation', 'audit_entry', 'feed_subscriber', 'feed_set', 'aggregate', 'setting']) expect(tables).toContain(t);
    const hits: string[] = [];
    const counts: Record<string, number> = {};
    for (const t of tables) {
      const where = t === 'record' ? ` WHERE entity NOT IN ('person_address', 'person_contact')` : '';
      const rows = (await pool.query<{ x: string }>(`SELECT t::text AS x FROM "${t}" t${where}`)).rows;
      counts[t] = rows.length;
      const text = rows.map((r) => r.x).join('\n');
      bytesScanned += text.length;
      const h = anyMarker(text);
      if (h.length) hits.push(`${t}: ${h.slice(0, 5).join(', ')}`);
    }
    // The tables the scan relies on hold what they should: the subscribers of every account's two caches,
    // the late protection's mutation, its change records and its audit entries.
    expect(counts.feed_subscriber).toBeGreaterThanOrEqual(2 * ACCOUNTS.length);
    expect(counts.feed_set).toBeGreaterThanOrEqual(1);
    expect(counts.mutation).toBeGreaterThanOrEqual(1);
    expect(counts.change).toBeGreaterThanOrEqual(1);
    expect(counts.audit_entry).toBeGreaterThan(ACCOUNTS.length);
    expect(hits).toEqual([]);

    const replica = scanSqlite(engine.core.ctx.sqlite, ['person_address', 'person_contact']);
    expect(replica.tables).toContain('audit_log');
    expect(replica.hits).toEqual([]);

    // The server's log: written at info, one line per request (so the requests above are all in it).
    expect(serverLog.split('\n').filter((l) => l.includes('"route":"/sync/feed"')).length).toBeGreaterThan(ACCOUNTS.length);
    bytesScanned += serverLog.length;
    expect(anyMarker(serverLog)).toEqual([]);
    const logs = scanFolder(replicaLogDir);
    expect(logs.hits).toEqual([]);
  }, 300_000);
});
