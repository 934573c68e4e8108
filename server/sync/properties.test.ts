/**
 * Property-based multi-client sync tests (issue 11): random interleavings of edits on two to five
 * workstations against one real server (PostgreSQL, the engine, HTTP on loopback), with offline periods,
 * reconnects, lost answers (a dropped connection, a 503 after the server did the work), replays of pushed
 * mutations and pushes in the wrong order sent straight to the server's HTTP push.
 *
 * After every run, with every workstation online and settled:
 *  - every write a workstation made locally is in its outbox, answered (no edit lost, none still pending);
 *  - applied on the workstation ⇔ applied on the server, exactly once: one `mutation` row, and as many
 *    change records under its id as the workstation's own write made; a write the server did not apply has
 *    no change record there and is listed in its author's sync.changes as conflict or rejected;
 *  - the server applied nothing no workstation wrote;
 *  - the server's invariants: no overlapping live placements of one family per child, no identity or
 *    reserve number twice (two workstations register a child under the same reserve number while apart),
 *    the constraint tables in step with the records, the replica equal to PostgreSQL;
 *  - each workstation's cache equals the server's projection for its user (a fresh snapshot).
 *
 * One PostgreSQL cluster for the file; the seeded municipality is imported once into a template database,
 * and each run gets a copy (CREATE DATABASE … TEMPLATE) and a copy of the template's replica file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../core/app';
import { fixedClock } from '../../core/context';
import { DEMO_PASSWORD } from '../../core/access/auth';
import { FORM_FAMILY, type PlacementForm } from '../../shared/domain/care';
import type { MethodOutput } from '../../shared/api/contract';
import { signInOn } from '../testing/engine';
import { startTestPostgres, type TestPostgres } from '../testing/pg';
import { seedTemplate, type Template } from '../testing/template';
import {
  cacheRows,
  closeWorkstation,
  data,
  openWorkstation,
  personForm,
  projectionDiff,
  serverProjection,
  settle,
  syncStatus,
  startTestServer,
  type TestServer,
  type Workstation,
} from '../testing/workstation';

const TODAY = '2026-11-23';
const clock = fixedClock(TODAY);
const RUNS = Number(process.env.KANSLI_PROPS_RUNS ?? 25);
/** Two municipality-wide clerks (one may see protected details) and a unit clerk whose scope the shared children are outside. */
const USERS = ['clerk.all', 'protected', 'clerk'] as const;
const SCOPED = new Set<string>(['clerk']);

let cluster: TestPostgres;
let scratch: string;
let template: Template & { picked: { children: string[]; unit: string } };
let children: string[] = [];
let unit: string;
/** What the runs produced, printed at the end: a property that never met a conflict proves little. */
const tally = { runs: 0, writes: 0, applied: 0, conflict: 0, rejected: 0, replays: 0, lost: 0, restarts: 0 };

beforeAll(async () => {
  cluster = await startTestPostgres();
  scratch = mkdtempSync(join(tmpdir(), 'kansli-props-'));
  template = await seedTemplate(cluster, scratch, {
    persons: 150,
    seed: 21,
    today: TODAY,
    clock,
    pick: (engine) => {
      const s = engine.core.ctx.sqlite;
      // A few children everyone may see in full, without placements: the edits meet on them.
      const children = s
        .prepare(
          `SELECT id FROM person p WHERE is_child = 1 AND deleted_at IS NULL AND protection = 'none' AND shielded = 0 AND birth_date > '2021-06-01'
           AND NOT EXISTS (SELECT 1 FROM placement pl WHERE pl.child_id = p.id) ORDER BY id LIMIT 3`,
        )
        .pluck()
        .all() as string[];
      const unit = s.prepare(`SELECT unit_id FROM placement WHERE school_form = 'FS' AND deleted_at IS NULL ORDER BY unit_id LIMIT 1`).pluck().get() as string;
      return { children, unit };
    },
  });
  ({ children, unit } = template.picked);
  expect(children).toHaveLength(3);
  expect(unit).toBeTruthy();
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** A fresh server for one run: a copy of the template database and of its replica. */
async function freshServer(): Promise<{ server: TestServer; dir: string; drop: () => Promise<void> }> {
  const copy = await template.copy('run');
  const server = await startTestServer({ url: copy.url, replicaPath: copy.replicaPath, clock });
  return {
    server,
    dir: copy.dir,
    drop: async () => {
      await copy.drop();
      rmSync(copy.dir, { recursive: true, force: true });
    },
  };
}

// ---- the commands -----------------------------------------------------------------------------------

const DATES = ['2027-01-01', '2027-02-01', '2027-04-01', '2027-07-01', '2027-12-31'] as const;

type Action =
  | { k: 'edit'; c: number; p: number; field: 'nationality' | 'motherTongue'; v: number }
  | { k: 'place'; c: number; p: number; from: number; to: number }
  | { k: 'retime'; c: number; p: number; to: number }
  | { k: 'down'; c: number }
  | { k: 'up'; c: number }
  | { k: 'kick'; c: number }
  | { k: 'lose'; c: number; kind: 'drop' | '503' }
  | { k: 'replay'; c: number; pick: number }
  | { k: 'reorder'; c: number }
  | { k: 'restart'; c: number }
  | { k: 'register'; c: number; r: number };

const client = fc.nat({ max: 4 });
const person = fc.nat({ max: 2 });
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constant('edit' as const), c: client, p: person, field: fc.constantFrom('nationality' as const, 'motherTongue' as const), v: fc.nat({ max: 2 }) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('place' as const), c: client, p: person, from: fc.nat({ max: 3 }), to: fc.nat({ max: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('retime' as const), c: client, p: person, to: fc.nat({ max: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('down' as const), c: client }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('up' as const), c: client }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('kick' as const), c: client }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('lose' as const), c: client, kind: fc.constantFrom('drop' as const, '503' as const) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('replay' as const), c: client, pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('reorder' as const), c: client }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('restart' as const), c: client }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('register' as const), c: client, r: fc.nat({ max: 1 }) }) },
);

interface Tracked {
  id: string;
  station: number;
  method: string;
  /** Change records the workstation's own write made. */
  changes: number;
}

interface OutboxRow {
  mutation_id: string;
  method: string;
  input: string;
  base: string;
  state: string;
  ordinal: number;
}

const outbox = (w: Workstation) => w.core.ctx.sqlite.prepare('SELECT mutation_id, method, input, base, state, ordinal FROM sync_outbox ORDER BY ordinal').all() as OutboxRow[];

/** A direct HTTP push with a token of the same user: a replayed or reordered request. */
async function pushDirect(address: string, token: string, rows: OutboxRow[]): Promise<{ id: string; status: string; seq?: number }[]> {
  const res = await fetch(new URL('/sync/push', address), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ mutations: rows.map((r) => ({ id: r.mutation_id, method: r.method, input: JSON.parse(r.input) as unknown, base: JSON.parse(r.base) as unknown })) }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { answers: { id: string; status: string; seq?: number }[] }).answers;
}

async function tokenFor(address: string, username: string): Promise<string> {
  const res = await fetch(new URL('/auth/sign-in', address), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD, workstation: `replayer-${username}` }),
  });
  const body = (await res.json()) as { token: string | null };
  if (!body.token) throw new Error(`no token for ${username}`);
  return body.token;
}

/** Local failures a random edit may meet (the clerk sees them at once; nothing goes to the outbox). */
const LOCAL_REFUSALS = new Set(['rule_violation', 'conflict', 'not_found', 'duplicate']);

async function runScenario(n: number, actions: Action[]): Promise<void> {
  const { server, dir, drop } = await freshServer();
  const stations: Workstation[] = [];
  try {
    const { engine, address, pool } = server;
    // Server-side sessions and tokens first: their sign-ins write, and the caches must pull those writes.
    const projConn = new Map<string, Connection>();
    const tokens = new Map<string, string>();
    for (const u of USERS) {
      projConn.set(u, await signInOn(engine, u, `projection-${u}`));
      tokens.set(u, await tokenFor(address, u));
    }
    for (let i = 0; i < n; i++) {
      stations.push(await openWorkstation({ dir: join(dir, `ws${i}`), name: `ws${i}`, server: address, username: USERS[i % USERS.length]!, clock }));
    }
    const tracked: Tracked[] = [];
    const replayed: { id: string; status: string }[] = [];

    const write = (w: Workstation, i: number, method: string, input: unknown) => {
      const before = w.core.ctx.sqlite.prepare('SELECT max(ordinal) FROM sync_outbox').pluck().get() as number | null;
      const r = w.conn.call(method as 'person.update', input as never);
      if (!r.ok) {
        // The unit clerk may not reach the shared children at all.
        if (SCOPED.has(w.username) && (r.error.code === 'forbidden' || r.error.code === 'not_found')) return;
        if (!LOCAL_REFUSALS.has(r.error.code)) {
          // What the workstation knew then (its sync status: online, last error, pending), to tell a lost session from a refusal.
          const status = (() => {
            try {
              return JSON.stringify(syncStatus(w));
            } catch (e) {
              return (e as Error).message;
            }
          })();
          throw new Error(`${method} on ws${i}: ${JSON.stringify(r.error)} for ${JSON.stringify(input)}; sync status ${status}; session ${w.conn.session.state}`);
        }
        return;
      }
      // Synchronously after the commit: no answer can have been processed yet.
      const row = w.core.ctx.sqlite.prepare('SELECT mutation_id, ordinal FROM sync_outbox ORDER BY ordinal DESC LIMIT 1').get() as { mutation_id: string; ordinal: number } | undefined;
      if (!row || row.ordinal === before) return; // nothing changed: no outbox entry
      const changes = w.core.ctx.sqlite.prepare('SELECT count(*) FROM change_log WHERE mutation_id = ?').pluck().get(row.mutation_id) as number;
      expect(changes).toBeGreaterThan(0);
      tracked.push({ id: row.mutation_id, station: i, method, changes });
    };

    for (const a of actions) {
      const i = a.c % n;
      const w = stations[i]!;
      const s = w.core.ctx.sqlite;
      switch (a.k) {
        case 'edit': {
          if (!w.conn.call('person.get', { id: children[a.p]! }).ok) break; // outside the user's scope
          const f = personForm(w.conn, children[a.p]!);
          const v = a.field === 'nationality' ? (['SE', 'FI', 'NO'] as const)[a.v]! : (['sv', 'fi', 'ar'] as const)[a.v]!;
          write(w, i, 'person.update', { ...f, person: { ...f.person, [a.field]: v } });
          break;
        }
        case 'place': {
          const from = DATES[a.from]!;
          const later = DATES.filter((d) => d > from);
          const to = a.to < later.length ? later[a.to]! : null;
          write(w, i, 'placement.create', { childId: children[a.p]!, unitId: unit, schoolForm: 'FS', validFrom: from, validTo: to, reason: 'care_need' });
          break;
        }
        case 'register': {
          // A newly arrived child under one of two reserve numbers: registered on two workstations while
          // apart, the second is refused by the server (the number is taken), not merged.
          write(w, i, 'person.create', { identityNumber: null, reserveNumber: `PROP-${a.r}`, birthDate: '2022-03-0' + String(a.r + 1), givenName: 'Nyfika', familyName: 'Provsson' });
          break;
        }
        case 'retime': {
          const pl = s.prepare(`SELECT id, version, valid_from FROM placement WHERE child_id = ? AND deleted_at IS NULL ORDER BY id LIMIT 1`).get(children[a.p]!) as
            | { id: string; version: number; valid_from: string }
            | undefined;
          const to = DATES[a.to]!;
          if (pl && to >= pl.valid_from) write(w, i, 'placement.update', { id: pl.id, version: pl.version, validTo: to });
          break;
        }
        case 'down':
          w.net.down = true;
          break;
        case 'up':
          w.net.down = false;
          w.core.sync!.kick();
          break;
        case 'kick':
          w.core.sync!.kick();
          break;
        case 'lose':
          w.net.fault = { path: '/sync/push', kind: a.kind };
          break;
        case 'replay': {
          const rows = outbox(w);
          if (!rows.length) break;
          const row = rows[a.pick % rows.length]!;
          const [answer] = await pushDirect(address, tokens.get(w.username)!, [row]);
          replayed.push({ id: row.mutation_id, status: answer!.status });
          break;
        }
        case 'restart': {
          // The workstation's process ends and starts again (online): its outbox is what it committed.
          tally.restarts++;
          await closeWorkstation(w);
          w.net.down = false;
          w.net.fault = null;
          stations[i] = await openWorkstation({ dir: join(dir, `ws${i}`), name: `ws${i}`, server: address, username: w.username, clock, net: w.net });
          break;
        }
        case 'reorder': {
          const rows = outbox(w).filter((r) => r.state === 'pending');
          if (rows.length < 2) break;
          for (const answer of await pushDirect(address, tokens.get(w.username)!, rows.slice(-2).reverse())) replayed.push({ id: answer.id, status: answer.status });
          break;
        }
      }
      // Let the workstations' background pushes and pulls interleave with the next command.
      await new Promise((r) => setImmediate(r));
    }

    // Everyone online; push and pull until a whole pass changes nothing.
    for (let pass = 0; ; pass++) {
      expect(pass).toBeLessThan(10);
      const head = await engine.head();
      for (const w of stations) await settle(w, engine);
      if ((await engine.head()) === head) break;
    }

    // ---- the properties ----
    const serverMutations = new Map(
      (await pool.query<{ id: string; status: string; n: number }>(
        `SELECT m.id, m.status, (SELECT count(*)::int FROM change c WHERE c.mutation_id = m.id) AS n FROM mutation m`,
      )).rows.map((r) => [r.id, r]),
    );
    const strays = (await pool.query<{ mutation_id: string }>(`SELECT DISTINCT mutation_id FROM change WHERE mutation_id IS NOT NULL AND mutation_id NOT IN (SELECT id FROM mutation)`)).rows;
    expect(strays, 'change records of no recorded mutation').toEqual([]);
    const trackedIds = new Set(tracked.map((t) => t.id));
    for (const m of serverMutations.values()) expect(trackedIds.has(m.id), `the server holds mutation ${m.id} no workstation wrote`).toBe(true);

    for (const [i, w] of stations.entries()) {
      const rows = new Map(outbox(w).map((r) => [r.mutation_id, r]));
      const mine = tracked.filter((t) => t.station === i);
      // No edit lost, none invented.
      expect([...rows.keys()].sort()).toEqual(mine.map((t) => t.id).sort());
      const listed = new Map(data<MethodOutput<'sync.changes'>>(w.conn.call('sync.changes', {})).items.map((c) => [c.mutationId, c.state]));
      for (const t of mine) {
        const local = rows.get(t.id)!;
        const remote = serverMutations.get(t.id);
        const what = `${t.method} ${t.id} on ws${i}: local ${local.state}, server ${remote?.status ?? 'none'}`;
        expect(['applied', 'conflict', 'rejected'], what).toContain(local.state);
        if (local.state === 'applied') {
          expect(remote?.status, what).toBe('applied');
          expect(remote?.n, `${what}: change records on the server`).toBe(t.changes);
        } else {
          expect(remote?.status ?? 'none', what).not.toBe('applied');
          expect(remote?.n ?? 0, what).toBe(0);
          expect(listed.get(t.id), `${what}: shown to its author`).toBe(local.state);
        }
      }
    }
    tally.runs++;
    tally.writes += tracked.length;
    tally.replays += replayed.length;
    tally.lost += stations.reduce((k, w) => k + w.net.swallowed.length, 0);
    for (const w of stations) for (const r of outbox(w)) tally[r.state as 'applied' | 'conflict' | 'rejected']++;
    // A replayed id was answered as the workstation ended up seeing it (an applied one stays applied).
    for (const r of replayed) if (r.status === 'applied') expect(serverMutations.get(r.id)?.status).toBe('applied');

    // The server's invariants, on the replica and in PostgreSQL.
    const replica = engine.core.ctx.sqlite;
    const live = replica
      .prepare(`SELECT id, child_id, school_form, valid_from, coalesce(valid_to, '9999-12-31') AS valid_to FROM placement WHERE deleted_at IS NULL AND state IN ('offered', 'accepted')`)
      .all() as { id: string; child_id: string; school_form: PlacementForm; valid_from: string; valid_to: string }[];
    for (const x of live) {
      for (const y of live) {
        if (x.id < y.id && x.child_id === y.child_id && FORM_FAMILY[x.school_form] === FORM_FAMILY[y.school_form]) {
          expect(x.valid_to < y.valid_from || y.valid_to < x.valid_from, `overlapping placements ${x.id} ${y.id}`).toBe(true);
        }
      }
    }
    expect(Number((await pool.query('SELECT count(*) AS n FROM inv_placement')).rows[0].n)).toBe(live.length);
    expect(replica.prepare(`SELECT id_canonical FROM person WHERE id_canonical IS NOT NULL AND deleted_at IS NULL GROUP BY id_canonical HAVING count(*) > 1`).all()).toEqual([]);
    expect(replica.prepare(`SELECT reserve_number FROM person WHERE reserve_number IS NOT NULL AND deleted_at IS NULL GROUP BY reserve_number HAVING count(*) > 1`).all()).toEqual([]);
    const pgRecords = (await pool.query<{ entity: string; id: string; data: Record<string, unknown> }>('SELECT entity, id, data FROM record WHERE data IS NOT NULL')).rows;
    const replicaRows = cacheRows({ core: engine.core } as Workstation);
    const pgMap = new Map(pgRecords.map((r) => [`${r.entity}|${r.id}`, r.data as Record<string, unknown>]));
    expect(projectionDiff(replicaRows, pgMap as never), 'the replica equals PostgreSQL').toEqual([]);

    // Each workstation's cache is its user's projection.
    const projections = new Map<string, Awaited<ReturnType<typeof serverProjection>>>();
    for (const u of USERS) projections.set(u, await serverProjection(engine, projConn.get(u)!));
    for (const w of stations) expect(projectionDiff(cacheRows(w), projections.get(w.username)!), `${w.name}'s cache`).toEqual([]);
  } finally {
    for (const w of stations) await closeWorkstation(w).catch(() => undefined);
    await server.close().catch(() => undefined);
    await drop().catch(() => undefined);
  }
}

describe('sync properties: random interleavings on two to five workstations', () => {
  it(
    'no accepted edit lost or doubled, every refusal shown to its author, invariants kept, every cache its user\'s projection',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 2, max: 5 }), fc.array(action, { minLength: 5, maxLength: 50 }), (n, actions) => runScenario(n, actions)),
        // A failure prints its seed and path: KANSLI_PROPS_SEED and KANSLI_PROPS_PATH replay that very case.
        {
          numRuns: RUNS,
          endOnFailure: true,
          ...(process.env.KANSLI_PROPS_SEED ? { seed: Number(process.env.KANSLI_PROPS_SEED) } : {}),
          ...(process.env.KANSLI_PROPS_PATH ? { path: process.env.KANSLI_PROPS_PATH } : {}),
        },
      );
      console.log('sync properties:', JSON.stringify(tally));
      expect(tally.applied).toBeGreaterThan(0);
    },
    1_200_000,
  );
});
