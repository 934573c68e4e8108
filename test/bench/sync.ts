/**
 * The sync benchmarks of issue 11 (docs/sync.md), each beside its floor measured in the same run:
 *
 *  - Initial sync: a municipality-wide user's (clerk.all) first sign-in on an empty joined workstation until
 *    its cache is filled (the sign-in returns after the whole feed is applied; pending 0 checked). Floors: the
 *    same records read from PostgreSQL bare (pg, pages of the feed's size by seq) and the rows the cache ended
 *    with inserted into a bare SQLite file of the same schema in one transaction with prepared statements.
 *    Importing the standalone demo into the server (engine.importStandalone: PostgreSQL and the replica) is
 *    timed and printed too.
 *  - Edit round trip on loopback: a person.update through workstation A's connection until workstation B's
 *    cache (its SQLite file, polled every millisecond) holds the new value. Floor per sample: the same update
 *    as a bare PostgreSQL UPDATE, a bare SQLite UPDATE, and an HTTP round trip to the server's /health.
 *  - Clerks under load: two full workstation cores (A and B: local search, card, save through the real sync
 *    client, every 1–3 s, their round trip to each other measured) plus lightweight HTTP clerks (the rest of
 *    the count): each signs in over HTTP, holds the event stream and pulls the feed on every announced head
 *    as the real client does (pages fetched and parsed, not applied: they have no cache), and every 10–20 s
 *    opens a card (POST /sync/records for the person's aggregate) and pushes a person.update for it. Their
 *    feed state starts as a copy of workstation A's (feed_subscriber, written by the bench), as if their
 *    caches were already filled. Reported: requests/s, push round trip, errors, lost edits (every applied
 *    mutation id on the server once, with exactly one change record, and every edited person's last value
 *    in PostgreSQL and in both caches), and CPU: the server runs in a child process (process.cpuUsage over
 *    IPC), PostgreSQL's from /proc (the postmaster and its backends, exited ones included).
 *
 * Everything runs on loopback on the one machine: a real embedded PostgreSQL (server/testing/pg.ts), the
 * server (buildServer + syncRoutes + Engine) in a child process, and the workstations in this process.
 *
 * `npm run bench -- --sync-only [--sync-persons N] [--sync-clerk-seconds S] [--sync-clerks C]`, or
 * `npx tsx test/bench/sync.ts [same flags]`. Defaults: 100 000 persons, 120 s, 200 clerks.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, createReadStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createCore, dataPaths, LOCAL_ADMIN, type Connection, type Core } from '../../core/app';
import { writeDemoPopulationFiles } from '../../core/demo/population-files';
import { DEMO_PASSWORD } from '../../core/access/auth';
import { fixedClock } from '../../core/context';
import { SYNC_TABLES } from '../../core/sync/records';
import { openDatabase } from '../../db/open';
import { personForm } from '../../server/testing/workstation';
import type { CallResult } from '../../shared/api/transport';
import type { MethodOutput } from '../../shared/api/contract';

export const SYNC_PREFIX = 'sync';

/** The issue's targets, as [figure name, p95 bound]: the initial sync is judged at 100 000 persons only. */
export function syncTargets(clerks: number): [string, number][] {
  return [
    [`${SYNC_PREFIX}: initial sync, ${(100_000).toLocaleString('en')} persons`, 60_000],
    [`${SYNC_PREFIX}: edit round trip, save on A until on B`, 100],
    [`${SYNC_PREFIX}: ${clerks} clerks: push round trip (HTTP clerks)`, 250],
    [`${SYNC_PREFIX}: ${clerks} clerks: save on A/B until on the other`, 250],
    [`${SYNC_PREFIX}: ${clerks} clerks: errors`, 0],
    [`${SYNC_PREFIX}: ${clerks} clerks: lost edits`, 0],
  ];
}

export interface SyncOptions {
  persons: number;
  clerkSeconds: number;
  clerks: number;
  today: string;
  roundTrips?: number;
  /**
   * Diagnostic (`--sync-clerks-no-stream`): the HTTP clerks do not follow the event stream, so they pull no
   * feed; what is left is their cards and pushes. Not how a workstation behaves: for locating a bottleneck.
   */
  clerksWithoutStream?: boolean;
}

interface Figure {
  name: string;
  p50: number;
  p95: number;
  unit: 'ms' | 'MB' | 'count' | '%' | '/s';
  floorP95: number;
  ratio: number;
  n: number;
}

const pct = (xs: number[], p: number): number => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const round3 = (x: number) => Math.round(x * 1000) / 1000;
const since = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const fmt = (x: number, d = 1) => x.toLocaleString('en', { minimumFractionDigits: d, maximumFractionDigits: d });

/** A deterministic generator for think times (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A fresh mother-tongue code per edit (the field accepts any 2–3 lowercase letters): 17 576 values. */
let codeCounter = 0;
function nextCode(): string {
  const n = codeCounter++ % 17_576;
  const l = (k: number) => String.fromCharCode(97 + k);
  return l(Math.floor(n / 676)) + l(Math.floor(n / 26) % 26) + l(n % 26);
}

// ---- the server child process ----------------------------------------------------------------------------

type ChildRequest =
  | { type: 'start'; url: string; replicaPath: string; standalone: string; today: string }
  | { type: 'cpu' }
  | { type: 'stop' };

async function serverChild(): Promise<void> {
  const { buildServer } = await import('../../server/app');
  const { createPool } = await import('../../server/db/pool');
  const { migrateServer } = await import('../../server/db/migrate');
  const { createLogger } = await import('../../server/log');
  const { Engine } = await import('../../server/engine/engine');
  const { syncRoutes } = await import('../../server/sync/routes');
  const { Sessions } = await import('../../server/sync/sessions');
  let stop: (() => Promise<void>) | null = null;
  const reply = (id: number, body: unknown) => process.send!({ id, ...(body as object) });
  process.on('message', (msg: { id: number } & ChildRequest) => {
    void (async () => {
      try {
        if (msg.type === 'start') {
          const pool = createPool(msg.url, { applicationName: 'kansli-bench-server' });
          await migrateServer(pool);
          const engine = await Engine.open({ pool, replicaPath: msg.replicaPath, clock: fixedClock(msg.today) });
          const t0 = process.hrtime.bigint();
          const imported = await engine.importStandalone(msg.standalone);
          const importMs = since(t0);
          const sessions = new Sessions();
          const app = await buildServer({ pool, logger: createLogger('silent'), routes: syncRoutes({ engine, sessions, signInPerMinute: 100_000, ...(process.env.KANSLI_SYNC_ANNOUNCE_MS ? { announceMs: Number(process.env.KANSLI_SYNC_ANNOUNCE_MS) } : {}) }) });
          app.addHook('onClose', async () => sessions.closeAll());
          const address = await app.listen({ port: 0, host: '127.0.0.1' });
          stop = async () => {
            await app.close();
            engine.close();
            await pool.end();
          };
          reply(msg.id, { address, importMs, records: imported.records, head: imported.head });
        } else if (msg.type === 'cpu') {
          reply(msg.id, { cpu: process.cpuUsage(), rss: process.memoryUsage().rss });
        } else if (msg.type === 'stop') {
          await stop?.();
          reply(msg.id, {});
          process.exit(0);
        }
      } catch (e) {
        reply(msg.id, { error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      }
    })();
  });
  process.send!({ id: 0, ready: true });
}

class ServerProcess {
  private next = 1;
  private readonly waiting = new Map<number, (m: Record<string, unknown>) => void>();
  private constructor(readonly child: ChildProcess) {
    child.on('message', (m: { id: number } & Record<string, unknown>) => {
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      w?.(m);
    });
  }

  static async start(): Promise<ServerProcess> {
    // KANSLI_SYNC_BENCH_PROFILE=DIR writes a CPU profile of the server process there (diagnostic).
    const prof = process.env.KANSLI_SYNC_BENCH_PROFILE;
    const child = fork(fileURLToPath(import.meta.url), ['--server-child'], {
      execArgv: ['--import', 'tsx', ...(prof ? ['--cpu-prof', '--cpu-prof-dir', prof] : [])],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const s = new ServerProcess(child);
    await new Promise<void>((ok, fail) => {
      s.waiting.set(0, () => ok());
      child.once('exit', (code) => fail(new Error(`the server process exited (${code}) before it was ready`)));
    });
    return s;
  }

  ask<T>(req: ChildRequest): Promise<T> {
    const id = this.next++;
    return new Promise<T>((ok, fail) => {
      this.waiting.set(id, (m) => (m.error ? fail(new Error(`server process: ${String(m.error)}`)) : ok(m as T)));
      this.child.send({ id, ...req });
    });
  }

  /** CPU seconds (user + system) the server process has used so far. */
  async cpuSeconds(): Promise<number> {
    const r = await this.ask<{ cpu: NodeJS.CpuUsage }>({ type: 'cpu' });
    return (r.cpu.user + r.cpu.system) / 1e6;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    await Promise.race([this.ask({ type: 'stop' }), sleep(15_000)]);
    // It exits on its own once stopped (writing its CPU profile first when asked to).
    await Promise.race([exited, sleep(30_000)]);
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      await Promise.race([exited, sleep(5_000)]);
    }
  }
}

// ---- PostgreSQL's CPU from /proc -------------------------------------------------------------------------

const TICKS = 100; // USER_HZ on Linux

function procStat(pid: number): { ppid: number; own: number; children: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), own: (Number(f[11]) + Number(f[12])) / TICKS, children: (Number(f[13]) + Number(f[14])) / TICKS };
  } catch {
    return null;
  }
}

/** CPU seconds of the postmaster, its live backends and (through the postmaster's reaped-children count) its exited ones. */
function postgresCpuSeconds(postmaster: number): number {
  const pm = procStat(postmaster);
  if (!pm) return NaN;
  let total = pm.own + pm.children;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const st = procStat(Number(d));
    if (st && st.ppid === postmaster) total += st.own;
  }
  return total;
}

// ---- workstations ----------------------------------------------------------------------------------------

interface Counters {
  requests: number;
  errors: string[];
  /** Milliseconds per request path until the whole body is in (the event stream excepted). */
  timings?: Map<string, number[]>;
}

/**
 * KANSLI_SYNC_BENCH_TRACE=1 (diagnostic): the quiet round trips' first samples are printed as the requests
 * each workstation made, with their start and end relative to the save.
 */
const TRACE = process.env.KANSLI_SYNC_BENCH_TRACE === '1';
const trace: { who: string; path: string; start: bigint; end: bigint }[] = [];

function countingFetch(c: Counters, who = ''): typeof fetch {
  return async (input, init) => {
    c.requests++;
    const path = new URL(input instanceof Request ? input.url : String(input)).pathname;
    if (!c.timings || path === '/sync/events') return fetch(input, init);
    const t0 = process.hrtime.bigint();
    const res = await fetch(input, init);
    const body = await res.arrayBuffer();
    const list = c.timings.get(path) ?? [];
    list.push(since(t0));
    c.timings.set(path, list);
    if (TRACE) trace.push({ who, path, start: t0, end: process.hrtime.bigint() });
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

interface Workstation {
  name: string;
  core: Core;
  conn: Connection;
}

const data = <T>(r: CallResult): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.data as T;
};


const motherTongueIn = (w: Workstation) => w.core.ctx.sqlite.prepare('SELECT mother_tongue FROM person WHERE id = ?').pluck();

/** Waits (polling the SQLite cache every millisecond) until `id`'s mother tongue is `value`; the time it took. */
async function visible(stmt: Database.Statement, id: string, value: string, t0: bigint, timeoutMs = 30_000): Promise<number> {
  for (;;) {
    if (stmt.get(id) === value) return since(t0);
    if (since(t0) > timeoutMs) throw new Error(`an edit of ${id} did not arrive within ${timeoutMs} ms`);
    await sleep(1);
  }
}

async function until(what: string, ok: () => boolean, timeoutMs = 600_000): Promise<void> {
  const t0 = process.hrtime.bigint();
  while (!ok()) {
    if (since(t0) > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

const status = (w: Workstation) => data<MethodOutput<'sync.status'>>(w.conn.call('sync.status', {}));

// ---- lightweight HTTP clerks -----------------------------------------------------------------------------

interface Applied {
  id: string;
  person: string;
  value: string;
}

class HttpClerk {
  token = '';
  cursor = 0;
  readonly subscriber: string;
  private stream: AbortController | null = null;
  private pulling: Promise<void> | null = null;
  private again = false;
  pulls = 0;
  /** Each feed page request's time (the window's only: reset at its start). */
  readonly pullMs: number[] = [];
  streamOpen = false;
  stopped = false;
  lostFeed = false;

  constructor(
    readonly n: number,
    private readonly server: string,
    private readonly http: typeof fetch,
    private readonly stats: Counters,
    readonly persons: string[],
  ) {
    this.subscriber = `bench-clerk-${n}:${randomUUID()}`;
  }

  private async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await this.http(new URL(path, this.server), {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path.split('?')[0]}: HTTP ${res.status} ${text.slice(0, 200)}`);
    return JSON.parse(text) as T;
  }

  async signIn(): Promise<void> {
    const r = await this.request<{ token: string | null; result: CallResult }>('POST', '/auth/sign-in', {
      username: 'clerk.all',
      password: DEMO_PASSWORD,
      workstation: `bench-clerk-${this.n}`,
    });
    if (!r.token || !r.result.ok) throw new Error(`clerk ${this.n}: sign-in failed: ${JSON.stringify(r.result)}`);
    this.token = r.token;
  }

  /** The event stream, as the workstation's client follows it: each head beyond the cursor starts a pull. */
  startStream(): void {
    const ac = new AbortController();
    this.stream = ac;
    void (async () => {
      try {
        const res = await this.http(new URL('/sync/events', this.server), { headers: { authorization: `Bearer ${this.token}` }, signal: ac.signal });
        if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status}`);
        this.streamOpen = true;
        const reader = res.body.getReader();
        const dec = new TextDecoder();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += dec.decode(value, { stream: true });
          let at: number;
          while ((at = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, at);
            buf = buf.slice(at + 2);
            const d = /^data: (.*)$/m.exec(block)?.[1];
            if (/^event: head$/m.test(block) && d && Number((JSON.parse(d) as { head: number }).head) > this.cursor) this.kick();
          }
        }
        if (!this.stopped) this.stats.errors.push(`clerk ${this.n}: the event stream ended`);
      } catch (e) {
        if (!ac.signal.aborted) this.stats.errors.push(`clerk ${this.n}: event stream: ${(e as Error).message}`);
      } finally {
        this.streamOpen = false;
      }
    })();
  }

  private kick(): void {
    if (this.stopped || this.lostFeed) return;
    if (this.pulling) {
      this.again = true;
      return;
    }
    this.pulling = this.pull()
      .catch((e: unknown) => void this.stats.errors.push(`clerk ${this.n}: pull: ${(e as Error).message}`))
      .finally(() => {
        this.pulling = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async pull(): Promise<void> {
    for (;;) {
      const t0 = process.hrtime.bigint();
      const page = await this.request<{ reset: boolean; reason?: string; cursor: number; more: boolean }>(
        'GET',
        `/sync/feed?subscriber=${encodeURIComponent(this.subscriber)}&cursor=${this.cursor}&limit=5000`,
      );
      this.pullMs.push(since(t0));
      this.pulls++;
      if (page.reset) {
        // A real workstation would take the register again from 0; here it is an error, counted once.
        this.lostFeed = true;
        throw new Error(`feed reset (${page.reason ?? '?'})`);
      }
      this.cursor = page.cursor;
      if (!page.more) return;
    }
  }

  /** Opens a card (the person's aggregate from the server) and saves a new mother tongue for it. */
  async save(person: string, value: string): Promise<{ answer: { id: string; status: string }; pushMs: number; totalMs: number }> {
    const t0 = process.hrtime.bigint();
    const rec = await this.request<{ records: { entity: string; id: string; data: Record<string, unknown> }[]; aggregates: { key: string; seq: number }[] }>('POST', '/sync/records', {
      aggregates: [`person:${person}`],
    });
    const row = rec.records.find((r) => r.entity === 'person' && r.id === person)?.data;
    const agg = rec.aggregates.find((a) => a.key === `person:${person}`);
    if (!row || !agg) throw new Error(`clerk ${this.n}: the card of ${person} is not on the server`);
    const s = (k: string) => (row[k] as string | null | undefined) ?? null;
    const input = {
      id: person,
      version: Number(row.version),
      mode: 'correction',
      person: {
        identityNumber: s('id_canonical'),
        reserveNumber: s('reserve_number'),
        birthDate: s('birth_date'),
        sex: s('sex'),
        givenName: s('given_name'),
        middleName: s('middle_name'),
        familyName: s('family_name'),
        preferredName: s('preferred_name'),
        status: s('status'),
        nationality: s('nationality'),
        motherTongue: value,
        maalform: s('maalform'),
        protection: s('protection'),
      },
    };
    const id = randomUUID();
    const t1 = process.hrtime.bigint();
    const r = await this.request<{ answers: { id: string; status: string }[] }>('POST', '/sync/push', {
      mutations: [{ id, method: 'person.update', input, base: { [`person:${person}`]: { seq: agg.seq } } }],
    });
    return { answer: r.answers[0]!, pushMs: since(t1), totalMs: since(t0) };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stream?.abort();
    while (this.pulling) await this.pulling;
  }
}

// ---- the benchmark ---------------------------------------------------------------------------------------

export async function syncBench(opts: SyncOptions, log: (s: string) => void): Promise<Figure[]> {
  const { persons, today } = opts;
  const clock = fixedClock(today);
  const figures: Figure[] = [];
  const add = (name: string, samples: number[], floors: number[]) => {
    const f: Figure = { name: `${SYNC_PREFIX}: ${name}`, p50: round3(pct(samples, 50)), p95: round3(pct(samples, 95)), unit: 'ms', floorP95: round3(pct(floors, 95)), ratio: 0, n: samples.length };
    f.ratio = Math.round((f.p95 / Math.max(f.floorP95, 0.001)) * 100) / 100;
    figures.push(f);
    log(
      `  ${f.name.padEnd(48)} p50 ${fmt(f.p50, 2).padStart(10)} ms   p95 ${fmt(f.p95, 2).padStart(10)} ms   floor p95 ${fmt(f.floorP95, 2).padStart(10)} ms   ratio ${f.ratio.toFixed(2)}   (n=${f.n})`,
    );
  };

  log(`Sync (issue 11): ${persons.toLocaleString('en')} persons; a real PostgreSQL, the server in a child process, workstations in this process, all on loopback`);
  const scratch = mkdtempSync(join(tmpdir(), 'kansli-syncbench-'));
  const { startTestPostgres } = await import('../../server/testing/pg');
  const cluster = await startTestPostgres();
  let server: ServerProcess | null = null;
  let pool: pg.Pool | null = null;
  const stations: Workstation[] = [];
  const clerks: HttpClerk[] = [];
  try {
    // The standalone demo the server imports.
    const standalone = dataPaths(join(scratch, 'standalone')).dbPath;
    let t0 = process.hrtime.bigint();
    createCore({ dbPath: standalone, clock, seed: { country: 'SE', persons, seed: 11, today }, auditAnchorPath: null, auditPendingPath: null, backupBeforeMigrate: false }).close();
    log(`  standalone demo seeded: ${fmt(since(t0) / 1000)} s`);

    const url = await cluster.database('syncbench');
    server = await ServerProcess.start();
    t0 = process.hrtime.bigint();
    const started = await server.ask<{ address: string; importMs: number; records: number; head: number }>({
      type: 'start',
      url,
      replicaPath: join(scratch, 'replica.sqlite'),
      standalone,
      today,
    });
    const address = started.address;
    log(
      `  import into the server (engine.importStandalone: PostgreSQL, then the replica caught up): ${started.records.toLocaleString('en')} records in ${fmt(started.importMs / 1000)} s` +
        ` (${Math.round(started.records / (started.importMs / 1000)).toLocaleString('en')} records/s); server up in ${fmt(since(t0) / 1000)} s`,
    );
    pool = new pg.Pool({ connectionString: url, max: 4, application_name: 'kansli-bench-floor' });
    pool.on('error', () => undefined);
    const backend = Number((await pool.query<{ p: number }>('SELECT pg_backend_pid() AS p')).rows[0]!.p);
    const postmaster = procStat(backend)?.ppid ?? 0;

    const netStats: Counters = { requests: 0, errors: [], timings: new Map() };
    const workstation = async (name: string): Promise<{ w: Workstation; ms: number }> => {
      const { dbPath } = dataPaths(join(scratch, name));
      const core = createCore({ dbPath, clock, workstation: name, auditAnchorPath: null, auditPendingPath: null, validateOutputs: false, sync: { server: address, fetch: countingFetch(netStats, name) } });
      const w: Workstation = { name, core, conn: core.connect(name) };
      stations.push(w);
      const t = process.hrtime.bigint();
      const r = await w.conn.callAsync('auth.signIn', { username: 'clerk.all', password: DEMO_PASSWORD });
      const ms = since(t);
      if (!r.ok || (r.data as { state: string }).state !== 'signed_in') throw new Error(`${name}: sign-in failed: ${JSON.stringify(r)}`);
      const st = status(w);
      if (st.pending !== 0 || !st.online) throw new Error(`${name}: after sign-in ${JSON.stringify(st)}`);
      return { w, ms };
    };

    // ---- 1. initial sync -------------------------------------------------------------------------------
    const serverPersons = Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM record WHERE entity = 'person' AND data IS NOT NULL`)).rows[0]!.n);
    const syncMs: number[] = [];
    const pgMs: number[] = [];
    const sqliteMs: number[] = [];
    let cacheRows = 0;
    let pgRows = 0;
    const ws: Workstation[] = [];
    for (const name of ['ws-a', 'ws-b']) {
      netStats.timings!.clear();
      const { w, ms } = await workstation(name);
      const feedMs = (netStats.timings!.get('/sync/feed') ?? []).reduce((x, y) => x + y, 0);
      const pages = netStats.timings!.get('/sync/feed')?.length ?? 0;
      ws.push(w);
      syncMs.push(ms);
      const cached = w.core.ctx.sqlite.prepare('SELECT count(*) FROM person').pluck().get() as number;
      if (cached !== serverPersons) throw new Error(`${name}: the cache holds ${cached} persons, the server ${serverPersons}`);
      cacheRows = SYNC_TABLES.reduce((n, t) => n + (w.core.ctx.sqlite.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number), 0);
      // Floor (a): the same records, bare from PostgreSQL, in the feed's pages.
      const f = await pgRead(url);
      pgMs.push(f.ms);
      pgRows = f.rows;
      // Floor (b): the rows this cache ended with, into a bare SQLite file of the same schema.
      sqliteMs.push(sqliteInsert(w.core.ctx.sqlite, join(scratch, `floor-${name}.sqlite`)));
      log(
        `  initial sync ${name}: ${fmt(ms / 1000, 2)} s for ${cacheRows.toLocaleString('en')} cached rows (${cached.toLocaleString('en')} persons);` +
          ` floors: PostgreSQL read ${fmt(f.ms / 1000, 2)} s (${f.rows.toLocaleString('en')} records), SQLite insert ${fmt(sqliteMs[sqliteMs.length - 1]! / 1000, 2)} s`,
      );
      log(`    of which ${pages} feed pages requested until their bodies were in: ${fmt(feedMs / 1000, 2)} s (server and transfer); the rest (${fmt((ms - feedMs) / 1000, 2)} s) sign-in, parsing and applying on the workstation`);
    }
    const floorSum = syncMs.map((_, i) => pgMs[i]! + sqliteMs[i]!);
    add(`initial sync, ${persons.toLocaleString('en')} persons`, syncMs, floorSum);
    log(
      `    ${cacheRows.toLocaleString('en')} rows (${pgRows.toLocaleString('en')} records on the server); ${Math.round(cacheRows / (Math.min(...syncMs) / 1000)).toLocaleString('en')} rows/s;` +
        ` ratio to the PostgreSQL read alone ${(Math.min(...syncMs) / Math.min(...pgMs)).toFixed(2)}, to the SQLite insert alone ${(Math.min(...syncMs) / Math.min(...sqliteMs)).toFixed(2)}`,
    );
    const [a, b] = ws as [Workstation, Workstation];
    await feedQueries(pool, a.core.ctx.sqlite.prepare(`SELECT value FROM app_meta WHERE key = 'sync.subscriber'`).pluck().get() as string, log);

    // The persons the benchmark edits: unprotected, unshielded, each edited by one clerk only.
    const editable = a.core.ctx.sqlite
      .prepare(`SELECT id FROM person WHERE protection = 'none' AND shielded = 0 AND deleted_at IS NULL AND status = 'active' ORDER BY id`)
      .pluck()
      .all() as string[];

    // ---- 2. edit round trip, quiet ------------------------------------------------------------------
    const samples = opts.roundTrips ?? 200;
    const warm = 20;
    const rtPersons = editable.slice(0, 50);
    const onB = motherTongueIn(b);
    const floorDb = new Database(join(scratch, 'floor-ws-b.sqlite'));
    const floorUpdate = floorDb.prepare('UPDATE person SET mother_tongue = ? WHERE id = ?');
    // The PostgreSQL floor updates a copy of the person records (the server's own rows are not touched).
    await pool.query(`CREATE TABLE bench_floor_person (id text PRIMARY KEY, data jsonb NOT NULL)`);
    await pool.query(`INSERT INTO bench_floor_person SELECT id, data FROM record WHERE entity = 'person' AND data IS NOT NULL`);
    const rt: number[] = [];
    const rtFloor: number[] = [];
    const parts = { pg: [] as number[], sqlite: [] as number[], http: [] as number[] };
    for (let i = 0; i < warm + samples; i++) {
      const id = rtPersons[i % rtPersons.length]!;
      const f = personForm(a.conn, id);
      const value = nextCode();
      const t = process.hrtime.bigint();
      const r = await a.conn.callAsync('person.update', { ...f, mode: 'correction', person: { ...f.person, motherTongue: value } });
      if (!r.ok) throw new Error(`round trip: ${JSON.stringify(r.error)}`);
      if (TRACE) trace.length = 0;
      const ms = await visible(onB, id, value, t);
      if (TRACE && i >= warm && i < warm + 8) {
        const rel = (x: bigint) => fmt(Number(x - t) / 1e6, 1);
        log(`    trace ${fmt(ms, 1)} ms: ${trace.map((x) => `${x.who}${x.path} ${rel(x.start)}–${rel(x.end)}`).join('; ')}`);
      }
      // The floor of the same edit: bare PostgreSQL, bare SQLite, one HTTP round trip on loopback.
      const v2 = nextCode();
      let tf = process.hrtime.bigint();
      await pool.query(`UPDATE bench_floor_person SET data = jsonb_set(data, '{mother_tongue}', to_jsonb($1::text)) WHERE id = $2`, [v2, id]);
      const pgOne = since(tf);
      tf = process.hrtime.bigint();
      floorUpdate.run(v2, id);
      const sqliteOne = since(tf);
      tf = process.hrtime.bigint();
      const h = await fetch(new URL('/health', address));
      await h.text();
      const httpOne = since(tf);
      if (i >= warm) {
        rt.push(ms);
        rtFloor.push(pgOne + sqliteOne + httpOne);
        parts.pg.push(pgOne);
        parts.sqlite.push(sqliteOne);
        parts.http.push(httpOne);
      }
    }
    floorDb.close();
    add('edit round trip, save on A until on B', rt, rtFloor);
    log(
      `    max ${fmt(Math.max(...rt), 2)} ms; floor parts p50: PostgreSQL UPDATE ${fmt(pct(parts.pg, 50), 2)} ms, SQLite UPDATE ${fmt(pct(parts.sqlite, 50), 3)} ms, HTTP /health ${fmt(pct(parts.http, 50), 2)} ms`,
    );
    await until('A and B idle', () => status(a).pending === 0);

    // ---- 3. clerks under load -----------------------------------------------------------------------
    const lightweight = Math.max(0, opts.clerks - 2);
    const perClerk = 3;
    const pool2 = editable.slice(rtPersons.length);
    if (pool2.length < (lightweight + 2) * perClerk) throw new Error(`only ${pool2.length} editable persons for ${opts.clerks} clerks`);
    const clerkStats: Counters = { requests: 0, errors: [] };
    const http = countingFetch(clerkStats);
    t0 = process.hrtime.bigint();
    for (let i = 0; i < lightweight; i++) {
      const c = new HttpClerk(i + 1, address, http, clerkStats, pool2.slice((i + 2) * perClerk, (i + 3) * perClerk));
      await c.signIn();
      clerks.push(c);
    }
    // Their feed state: a copy of A's (as if each cache had been filled like A's).
    const subA = a.core.ctx.sqlite.prepare(`SELECT value FROM app_meta WHERE key = 'sync.subscriber'`).pluck().get() as string;
    for (const c of clerks) {
      // One statement: A keeps pulling meanwhile (every sign-in above is a commit), so the cursor is the copied state's.
      const copied = await pool.query<{ cursor: string }>(
        `INSERT INTO feed_subscriber (id, user_id, acked, pending, updated_at) SELECT $2, user_id, pending, pending, now() FROM feed_subscriber WHERE id = $1 AND pending IS NOT NULL
         RETURNING pending->>'cursor' AS cursor`,
        [subA, c.subscriber],
      );
      if (!copied.rows[0]) throw new Error('workstation A has no feed state on the server');
      c.cursor = Number(copied.rows[0].cursor);
      if (!opts.clerksWithoutStream) c.startStream();
    }
    if (!opts.clerksWithoutStream) await until('the clerks\' event streams', () => clerks.every((c) => c.streamOpen), 120_000);
    log(`  ${lightweight} HTTP clerks signed in and ${opts.clerksWithoutStream ? 'NOT following the event stream (diagnostic: no feed pulls)' : 'following the event stream'} in ${fmt(since(t0) / 1000)} s; plus the two full workstations A and B`);
    clerkStats.requests = 0;
    netStats.requests = 0;
    netStats.timings = undefined;
    for (const c of clerks) {
      c.pulls = 0;
      c.pullMs.length = 0;
    }

    const applied: Applied[] = [];
    const pushMs: number[] = [];
    const cardAndPushMs: number[] = [];
    const wsRound: number[] = [];
    const localSearch: number[] = [];
    const localCard: number[] = [];
    const errorsAtStart = clerkStats.errors.length + netStats.errors.length;
    const seconds = opts.clerkSeconds;
    const load0 = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    const cpu0 = { server: await server.cpuSeconds(), pg: postgresCpuSeconds(postmaster), me: process.cpuUsage() };
    const tStart = process.hrtime.bigint();
    const end = Date.now() + seconds * 1000;
    const rnd = prng(42);
    /** Think time, cut at the end of the window. */
    const think = (ms: number) => sleep(Math.max(0, Math.min(ms, end - Date.now())));

    const clerkLoop = async (c: HttpClerk) => {
      let k = 0;
      await think(rnd() * 15_000);
      while (Date.now() < end) {
        const person = c.persons[k++ % c.persons.length]!;
        const value = nextCode();
        try {
          const r = await c.save(person, value);
          if (r.answer.status !== 'applied') clerkStats.errors.push(`clerk ${c.n}: push answered ${JSON.stringify(r.answer)}`);
          else applied.push({ id: r.answer.id, person, value });
          pushMs.push(r.pushMs);
          cardAndPushMs.push(r.totalMs);
        } catch (e) {
          clerkStats.errors.push(`clerk ${c.n}: save: ${(e as Error).message}`);
        }
        await think(10_000 + rnd() * 10_000);
      }
    };
    const names = (a.core.ctx.sqlite.prepare(`SELECT family_name FROM person WHERE rowid % 53 = 7 LIMIT 100`).pluck().all() as string[]).map((n) => n.slice(0, 3).toLowerCase());
    const stationLoop = async (me: Workstation, other: Workstation, mine: string[]) => {
      const onOther = motherTongueIn(other);
      let k = 0;
      while (Date.now() < end) {
        try {
          let t = process.hrtime.bigint();
          data(me.conn.call('search.query', { q: names[k % names.length]!, limit: 20 }));
          localSearch.push(since(t));
          const id = mine[k++ % mine.length]!;
          t = process.hrtime.bigint();
          const f = personForm(me.conn, id);
          localCard.push(since(t));
          const value = nextCode();
          t = process.hrtime.bigint();
          const r = await me.conn.callAsync('person.update', { ...f, mode: 'correction', person: { ...f.person, motherTongue: value } });
          if (!r.ok) throw new Error(JSON.stringify(r.error));
          wsRound.push(await visible(onOther, id, value, t));
        } catch (e) {
          netStats.errors.push(`${me.name}: ${(e as Error).message}`);
        }
        await think(1_000 + rnd() * 2_000);
      }
    };
    await Promise.all([
      ...clerks.map(clerkLoop),
      stationLoop(a, b, pool2.slice(0, perClerk)),
      stationLoop(b, a, pool2.slice(perClerk, 2 * perClerk)),
    ]);
    const wallS = since(tStart) / 1000;
    const cpu1 = { server: await server.cpuSeconds(), pg: postgresCpuSeconds(postmaster), me: process.cpuUsage(cpu0.me) };
    const requests = clerkStats.requests + netStats.requests;
    const load1 = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

    // Settle: the workstations' outboxes answered, every clerk caught up with the head.
    await until('A and B answered', () => status(a).pending === 0 && status(b).pending === 0, 120_000);
    for (const c of clerks) await c.stop();
    for (const w of ws) {
      w.core.sync!.kick();
      await w.core.sync!.idle();
    }

    // ---- lost edits ---------------------------------------------------------------------------------
    const outboxOf = (w: Workstation) =>
      w.core.ctx.sqlite.prepare(`SELECT mutation_id, state FROM sync_outbox WHERE method = 'person.update'`).all() as { mutation_id: string; state: string }[];
    const wsMutations = [...outboxOf(a), ...outboxOf(b)];
    for (const m of wsMutations) if (m.state !== 'applied') netStats.errors.push(`workstation mutation ${m.mutation_id} is ${m.state}`);
    for (const w of ws) {
      const s = status(w);
      if (s.conflicts || s.rejected || !s.online) netStats.errors.push(`${w.name}: ${JSON.stringify(s)}`);
    }
    const ids = [...applied.map((x) => x.id), ...wsMutations.map((m) => m.mutation_id)];
    const onServer = (await pool.query<{ id: string; status: string }>('SELECT id, status FROM mutation WHERE id = ANY($1)', [ids])).rows;
    const changes = new Map(
      (await pool.query<{ m: string; n: string }>('SELECT mutation_id AS m, count(*) AS n FROM change WHERE mutation_id = ANY($1) GROUP BY mutation_id', [ids])).rows.map((r) => [r.m, Number(r.n)]),
    );
    let lost = 0;
    const lostWhy: string[] = [];
    const byId = new Map(onServer.map((r) => [r.id, r.status]));
    for (const id of ids) {
      if (byId.get(id) !== 'applied' || changes.get(id) !== 1) {
        lost++;
        if (lostWhy.length < 5) lostWhy.push(`${id}: ${byId.get(id) ?? 'absent'} with ${changes.get(id) ?? 0} change records`);
      }
    }
    if (new Set(ids).size !== ids.length) lostWhy.push('a mutation id was answered twice');
    // Every edited person's last value: on the server, and in both caches.
    const last = new Map<string, string>();
    for (const x of applied) last.set(x.person, x.value);
    const edited = [...last.keys()];
    const serverValues = new Map(
      (await pool.query<{ id: string; v: string }>(`SELECT id, data->>'mother_tongue' AS v FROM record WHERE entity = 'person' AND id = ANY($1)`, [edited])).rows.map((r) => [r.id, r.v]),
    );
    const aValues = motherTongueIn(a);
    const bValues = motherTongueIn(b);
    for (const [id, v] of last) {
      if (serverValues.get(id) !== v || aValues.get(id) !== v || bValues.get(id) !== v) {
        lost++;
        if (lostWhy.length < 10) lostWhy.push(`${id}: last saved ${v}, server ${serverValues.get(id)}, A ${String(aValues.get(id))}, B ${String(bValues.get(id))}`);
      }
    }
    const errors = [...clerkStats.errors, ...netStats.errors].slice(errorsAtStart);
    const serverCpu = cpu1.server - cpu0.server;
    const pgCpu = cpu1.pg - cpu0.pg;
    const clientCpu = (cpu1.me.user + cpu1.me.system) / 1e6;

    add(`${opts.clerks} clerks: push round trip (HTTP clerks)`, pushMs, rtFloor);
    add(`${opts.clerks} clerks: card + push (HTTP clerks)`, cardAndPushMs, rtFloor);
    add(`${opts.clerks} clerks: save on A/B until on the other`, wsRound, rtFloor);
    log(
      `    ${lightweight} HTTP clerks + 2 workstations for ${fmt(wallS)} s (load ${load0} → ${load1}): ${requests.toLocaleString('en')} requests (${fmt(requests / wallS)}/s: feed pages, pushes, cards, the workstations' sync),` +
        ` ${applied.length + wsRound.length} edits applied (${fmt((applied.length + wsRound.length) / wallS, 2)}/s; offered at most ${fmt(lightweight / 10 + 2 / 1, 1)}/s: a save every 10–20 s per HTTP clerk after its answer, every 1–3 s on A and B), ${clerks.reduce((n, c) => n + c.pulls, 0).toLocaleString('en')} feed pages pulled by the HTTP clerks`,
    );
    const pulls = clerks.flatMap((c) => c.pullMs);
    if (pulls.length) log(`    HTTP clerks' feed page requests: p50 ${fmt(pct(pulls, 50))} ms, p95 ${fmt(pct(pulls, 95))} ms (n=${pulls.length}); each commit announces a head to every event stream`);
    log(`    push round trip max ${fmt(Math.max(...pushMs), 1)} ms; workstation round trip max ${fmt(Math.max(...wsRound), 1)} ms; local search p95 ${fmt(pct(localSearch, 95), 2)} ms, card p95 ${fmt(pct(localCard, 95), 2)} ms on A/B meanwhile`);
    log(
      `    CPU over the window: server process ${fmt(serverCpu)} s (${fmt((100 * serverCpu) / wallS)} % of one core), PostgreSQL ${fmt(pgCpu)} s (${fmt((100 * pgCpu) / wallS)} %), this process (clients) ${fmt(clientCpu)} s (${fmt((100 * clientCpu) / wallS)} %)`,
    );
    const kinds = new Map<string, number>();
    for (const e of errors) {
      const k = e.replace(/^clerk \d+: /, '').replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '…');
      kinds.set(k, (kinds.get(k) ?? 0) + 1);
    }
    log(`    errors: ${errors.length}${errors.length ? ` (${[...kinds].slice(0, 6).map(([k, n]) => `${n}× ${k}`).join('; ')})` : ''}; lost edits: ${lost}${lostWhy.length ? ` (${lostWhy.join('; ')})` : ''} of ${ids.length} checked`);
    figures.push({ name: `${SYNC_PREFIX}: ${opts.clerks} clerks: errors`, p50: errors.length, p95: errors.length, unit: 'count', floorP95: 0, ratio: 0, n: 1 });
    figures.push({ name: `${SYNC_PREFIX}: ${opts.clerks} clerks: lost edits`, p50: lost, p95: lost, unit: 'count', floorP95: 0, ratio: 0, n: ids.length });
    figures.push({ name: `${SYNC_PREFIX}: ${opts.clerks} clerks: requests per second`, p50: round3(requests / wallS), p95: round3(requests / wallS), unit: '/s', floorP95: 0, ratio: 0, n: requests });
    figures.push({ name: `${SYNC_PREFIX}: ${opts.clerks} clerks: server CPU % of one core`, p50: round3((100 * serverCpu) / wallS), p95: round3((100 * serverCpu) / wallS), unit: '%', floorP95: round3((100 * pgCpu) / wallS), ratio: 0, n: 1 });

    // ---- 4. population-register imports as server jobs -------------------------------------------------
    for (const c of clerks.splice(0)) await c.stop().catch(() => undefined);
    await importsOnServer({ a, b, standalone, scratch, today, clock, editable: editable.slice(0, 50), log, add });
    return figures;
  } finally {
    for (const c of clerks) await c.stop().catch(() => undefined);
    for (const w of stations) {
      w.core.sync?.close();
      await w.core.sync?.idle().catch(() => undefined);
      w.core.close();
    }
    await pool?.end().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    await cluster.stop().catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The population-register imports as server jobs (docs/sync.md "Bulk work"): a full file of the register and
 * a delta after it, uploaded through workstation A and read and applied on the server; each phase from A's
 * call until A's `job.get` answers it ended (upload, the job, PostgreSQL's commit and A's pull included).
 * Floor: the same files through a standalone core on a copy of the same register (the job inline, as the
 * server runs it). Meanwhile B saves and waits to see each save on A: the engine's queue is held while a job
 * runs, and this shows what a clerk waits then.
 */
async function importsOnServer(o: {
  a: Workstation;
  b: Workstation;
  standalone: string;
  scratch: string;
  today: string;
  clock: ReturnType<typeof fixedClock>;
  editable: string[];
  log: (s: string) => void;
  add: (name: string, samples: number[], floors: number[]) => void;
}): Promise<void> {
  const { a, b, log } = o;
  const src = new Database(o.standalone, { readonly: true });
  const files = writeDemoPopulationFiles(src, { outDir: join(o.scratch, 'population'), today: o.today, seed: 5 });
  src.close();
  log(`  population-register imports as server jobs: a full file of ${files.persons.toLocaleString('en')} persons and a delta of ${files.deltaItems.toLocaleString('en')} records`);

  // The floor: a standalone core on a copy of the register the server was loaded from.
  const floorDir = join(o.scratch, 'floor-imports');
  mkdirSync(floorDir, { recursive: true });
  copyFileSync(o.standalone, join(floorDir, 'kansli.sqlite'));
  const floor = createCore({ dbPath: join(floorDir, 'kansli.sqlite'), clock: o.clock, jobMode: 'inline', seed: false, backupBeforeMigrate: false, auditAnchorPath: null, auditPendingPath: null, validateOutputs: false });
  const floorMs: number[] = [];
  try {
    const run = async (method: 'import.start' | 'import.apply', input: Record<string, unknown>): Promise<{ ms: number; runId: string }> => {
      const t = process.hrtime.bigint();
      const r = await floor.callAsync(method, input);
      if (!r.ok) throw new Error(`floor ${method}: ${JSON.stringify(r.error)}`);
      const { jobId, runId } = r.data as { jobId: string; runId?: string };
      const job = await floor.services.jobs.wait(jobId);
      if (job.state !== 'succeeded') throw new Error(`floor ${method}: ${JSON.stringify(job.error)}`);
      return { ms: since(t), runId: runId ?? String(input.id) };
    };
    for (const path of [files.full, files.delta]) {
      const f = await floor.services.files.receive({ kind: 'navet', ownerId: LOCAL_ADMIN.id, name: path.split('/').pop()!, source: createReadStream(path) });
      const read = await run('import.start', { fileId: f.id, format: 'navet' });
      const apply = await run('import.apply', { id: read.runId });
      floorMs.push(read.ms, apply.ms);
    }
  } finally {
    floor.close();
  }

  // The server, through A; B saves meanwhile.
  const onA = motherTongueIn(a);
  const phases = ['full file: read (dry run)', 'full file: apply', 'delta: read (dry run)', 'delta: apply'];
  const serverMs: number[] = [];
  const heldSaves: number[][] = [];
  let phase = 0;
  const job = async (method: 'import.start' | 'import.apply', input: Record<string, unknown>): Promise<string> => {
    let running = true;
    const saves: number[] = [];
    const saver = (async () => {
      for (let i = 0; running; i++) {
        const id = o.editable[i % o.editable.length]!;
        const value = nextCode();
        const t = process.hrtime.bigint();
        const r = await b.conn.callAsync('person.update', { ...personForm(b.conn, id), mode: 'correction', person: { ...personForm(b.conn, id).person, motherTongue: value } });
        if (!r.ok) throw new Error(`B's save during the import: ${JSON.stringify(r.error)}`);
        saves.push(await visible(onA, id, value, t, 600_000));
        await sleep(100);
      }
    })();
    const t = process.hrtime.bigint();
    const r = await a.conn.callAsync(method, input);
    if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
    const { jobId, runId } = r.data as { jobId: string; runId?: string };
    let end: MethodOutput<'job.get'>;
    for (;;) {
      end = data<MethodOutput<'job.get'>>(await a.conn.callAsync('job.get', { id: jobId }));
      if (end.state !== 'queued' && end.state !== 'running') break;
      await sleep(20);
    }
    const ms = since(t);
    running = false;
    await saver;
    if (end.state !== 'succeeded') throw new Error(`${method} on the server: ${JSON.stringify(end.error)}`);
    serverMs.push(ms);
    heldSaves.push(saves);
    o.add(`import ${phases[phase]}, server job`, [ms], [floorMs[phase]!]);
    log(`    B's saves until seen on A meanwhile: ${saves.length ? `p50 ${fmt(pct(saves, 50))} ms, max ${fmt(Math.max(...saves))} ms (n=${saves.length})` : 'none finished'}`);
    phase++;
    return runId ?? String(input.id);
  };
  for (const path of [files.full, files.delta]) {
    const f = await a.core.services.files.receive({ kind: 'navet', ownerId: a.conn.session.actor!.id, name: path.split('/').pop()!, source: createReadStream(path) });
    const runId = await job('import.start', { fileId: f.id, format: 'navet' });
    await job('import.apply', { id: runId });
  }
  const persons = (w: Workstation) => w.core.ctx.sqlite.prepare('SELECT count(*) FROM person').pluck().get() as number;
  await until('B has the imports', () => persons(b) === persons(a), 120_000);
  log(`    after the imports: ${persons(a).toLocaleString('en')} persons in A's and B's caches`);
}

/**
 * A diagnostic of the statements every incremental feed page runs (server/engine/feed.ts) at the head: how
 * PostgreSQL executes them and what they cost on this register (EXPLAIN ANALYZE, median of 10).
 */
async function feedQueries(pool: pg.Pool, subscriber: string, log: (s: string) => void): Promise<void> {
  const head = Number((await pool.query<{ s: string }>('SELECT max(seq) AS s FROM record')).rows[0]!.s);
  const aggregates = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM aggregate')).rows[0]!.n);
  const out: string[] = [];
  for (const [what, sql] of [
    ['records after the cursor', `SELECT entity, id, person_id, data, seq FROM record WHERE seq > ${head - 5} AND seq <= ${head} ORDER BY seq LIMIT 5000`],
    ['aggregates after the cursor', `SELECT key, seq FROM aggregate WHERE seq > ${head - 5} AND seq <= ${head}`],
  ] as const) {
    const times: number[] = [];
    let plan = '';
    for (let i = 0; i < 10; i++) {
      const r = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`);
      const lines = r.rows.map((x) => x['QUERY PLAN']);
      times.push(Number(/Execution Time: ([\d.]+)/.exec(lines.join('\n'))?.[1] ?? NaN));
      plan = lines.find((l) => /Scan/.test(l))?.trim().replace(/\s+\(actual.*$/, '') ?? lines[0]!;
    }
    out.push(`${what}: ${plan}, ${fmt(pct(times, 50), 2)} ms`);
  }
  log(`    feed page statements at the head (${aggregates.toLocaleString('en')} aggregates): ${out.join('; ')}`);
  // Each page reads and writes the subscriber's state: its scope sets by ref (migration 0006), the sets once.
  const state = (await pool.query<{ b: string; hidden: string | null; setb: string | null }>(
    `SELECT pg_column_size(f.acked) + pg_column_size(f.pending) AS b, jsonb_array_length(s.ids) AS hidden, pg_column_size(s.ids) AS setb
       FROM feed_subscriber f LEFT JOIN feed_set s ON s.ref = f.pending->>'hidden' WHERE f.id = $1`,
    [subscriber],
  )).rows[0];
  if (state) {
    log(
      `    a municipality-wide subscriber's feed state: ${fmt(Number(state.b))} bytes read and written by every page; its ${Number(state.hidden ?? 0).toLocaleString('en')} withheld person ids stored once (${fmt(Number(state.setb ?? 0) / 1024)} KB, shared by every subscriber with the same set)`,
    );
  }
}

/** Floor (a): every record read bare from PostgreSQL in pages of the feed's size, in seq order. */
async function pgRead(url: string): Promise<{ ms: number; rows: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const t0 = process.hrtime.bigint();
    let from = 0;
    let rows = 0;
    for (;;) {
      const r = await c.query<{ seq: string }>('SELECT entity, id, person_id, data, seq FROM record WHERE seq > $1 ORDER BY seq LIMIT 5000', [from]);
      rows += r.rows.length;
      if (r.rows.length < 5000) break;
      from = Number(r.rows[r.rows.length - 1]!.seq);
    }
    return { ms: since(t0), rows };
  } finally {
    await c.end();
  }
}

/**
 * Floor (b): the cache's rows (every record table, and the placements' holders and the applications'
 * choices) inserted into a new SQLite file with the core's schema, in one transaction with one prepared
 * statement per table. Reading them from the cache is not timed.
 */
function sqliteInsert(cache: Database.Database, file: string): number {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  openDatabase(file, { backup: false }).close();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = OFF');
  let ms = 0;
  let t = process.hrtime.bigint();
  db.exec('BEGIN');
  ms += since(t);
  for (const table of [...SYNC_TABLES, 'placement_owner', 'application_choice']) {
    const rows = cache.prepare(`SELECT * FROM ${table}`).raw().all() as unknown[][];
    if (!rows.length) continue;
    const cols = (cache.prepare(`SELECT * FROM ${table} LIMIT 1`).columns() as { name: string }[]).map((c) => c.name);
    t = process.hrtime.bigint();
    const ins = db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
    for (const r of rows) ins.run(...r);
    ms += since(t);
  }
  t = process.hrtime.bigint();
  db.exec('COMMIT');
  ms += since(t);
  db.close();
  return ms;
}

// ---- run on its own ----------------------------------------------------------------------------------------

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain && process.argv.includes('--server-child')) {
  void serverChild();
} else if (isMain) {
  const argv = process.argv.slice(2);
  const num = (flag: string, dflt: number) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? Number(argv[i + 1]) : dflt;
  };
  syncBench(
    {
      persons: num('--sync-persons', 100_000),
      clerkSeconds: num('--sync-clerk-seconds', 120),
      clerks: num('--sync-clerks', 200),
      today: '2026-11-23',
      clerksWithoutStream: argv.includes('--sync-clerks-no-stream'),
    },
    (s) => process.stdout.write(s + '\n'),
  ).then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`sync bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}
