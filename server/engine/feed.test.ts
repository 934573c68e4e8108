/**
 * The feed against real PostgreSQL: each demo role's snapshot holds exactly its projection (no protected or
 * shielded person's address or contact without the reveal grant, no secret, no person outside a unit
 * grant), changes arrive after the cursor, and a shrinking scope or a new protection reaches the cache as
 * explicit removals.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCore, dataPaths, type Connection } from '../../core/app';
import { fixedClock } from '../../core/context';
import { PersonScope } from '../../core/access/scope';
import { DEMO_ACCOUNTS } from '../../core/demo/accounts';
import type { MethodInput } from '../../shared/api/contract';
import { migrateServer } from '../db/migrate';
import { startTestPostgres, type TestPostgres } from '../testing/pg';
import { signInOn } from '../testing/engine';
import { Engine, type PushMutation } from './engine';
import type { FeedPage, FeedRecord } from './feed';

const TODAY = '2026-11-23';
const clock = fixedClock(TODAY);
let cluster: TestPostgres;
let standalone: string;
let scratch: string;

beforeAll(async () => {
  cluster = await startTestPostgres();
  scratch = mkdtempSync(join(tmpdir(), 'kansli-feed-'));
  const { dbPath } = dataPaths(join(scratch, 'standalone'));
  createCore({ dbPath, clock, seed: { country: 'SE', persons: 400, seed: 5, today: TODAY, deterministicIds: true }, auditAnchorPath: null, auditPendingPath: null, secretKeyDir: scratch }).close();
  standalone = dbPath;
}, 120_000);
afterAll(async () => {
  await cluster?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

let pool: pg.Pool;
let engine: Engine;
beforeEach(async () => {
  pool = new pg.Pool({ connectionString: await cluster.database('feed'), max: 4 });
  pool.on('error', () => undefined);
  await migrateServer(pool);
  engine = await Engine.open({ pool, replicaPath: join(mkdtempSync(join(scratch, 'server-')), 'replica.sqlite'), clock });
  await engine.importStandalone(standalone);
}, 60_000);
afterEach(async () => {
  engine?.close();
  await pool?.end();
});

const sql = <T>(s: string, ...args: unknown[]) => engine.core.ctx.sqlite.prepare(s).all(...args) as T[];

const signIn = (username: string): Promise<Connection> => signInOn(engine, username);

type Page = Extract<FeedPage, { reset: false }>;
async function pull(conn: Connection, subscriber: string, cursor: number, limit?: number): Promise<Page> {
  const p = await engine.feed(conn, { subscriber, cursor, limit });
  if ('error' in p) throw new Error(JSON.stringify(p.error));
  if (p.reset) throw new Error(`reset: ${p.reason}`);
  return p;
}

/** Every page from `cursor` to the head: what a workstation would apply. */
async function pullAll(conn: Connection, subscriber: string, cursor = 0, limit = 2000) {
  const records: FeedRecord[] = [];
  const pages: Page[] = [];
  for (;;) {
    const p = await pull(conn, subscriber, cursor, limit);
    pages.push(p);
    records.push(...p.records);
    cursor = p.cursor;
    if (!p.more) break;
  }
  return { records, pages, cursor };
}

const withheldPersons = () => new Set(sql<{ id: string }>(`SELECT id FROM person WHERE protection <> 'none' OR shielded = 1`).map((r) => r.id));

describe('the snapshot of each demo role', () => {
  it('holds no protected or shielded person\'s address or contact without the reveal grant, and no secret', async () => {
    const withheld = withheldPersons();
    expect(withheld.size).toBeGreaterThan(0);
    for (const a of DEMO_ACCOUNTS) {
      const conn = await signIn(a.username);
      const { records } = await pullAll(conn, `sub-${a.username}`);
      const reveal = a.roles.some((r) => r.role === 'protected_handler' || r.role === 'sysadmin');
      const contacts = records.filter((r) => r.entity === 'person_address' || r.entity === 'person_contact');
      const leaked = contacts.filter((r) => withheld.has(String(r.data.person_id)));
      if (!reveal) expect(leaked, a.username).toEqual([]);
      const text = JSON.stringify(records);
      expect(text, a.username).not.toMatch(/password_hash|totp_secret|\$argon2/);
      const accounts = records.filter((r) => r.entity === 'user_account');
      if (a.roles.some((r) => r.role === 'sysadmin')) expect(accounts.length, a.username).toBe(DEMO_ACCOUNTS.length);
      else expect(accounts.map((r) => r.data.username), a.username).toEqual([a.username]);
    }
  });

  it('of a unit clerk holds only the persons connected to the unit, and their care records', async () => {
    const conn = await signIn('clerk');
    const unit = sql<{ unit_id: string }>(`SELECT r.unit_id FROM role_assignment r JOIN user_account a ON a.id = r.user_id WHERE a.username = 'clerk'`)[0]!.unit_id;
    const inScope = new PersonScope(engine.core.ctx).of(new Set([unit])).ids;
    const { records } = await pullAll(conn, 'sub-clerk');
    const persons = records.filter((r) => r.entity === 'person').map((r) => r.id);
    expect(new Set(persons)).toEqual(new Set(inScope));
    for (const r of records) {
      const pid = (r.data.person_id ?? r.data.child_id ?? r.data.pupil_id) as string | undefined;
      if (pid && r.entity !== 'user_account' && r.entity !== 'role_assignment' && r.entity !== 'work_item') expect(inScope.has(pid), `${r.entity} ${r.id}`).toBe(true);
    }
    const all = await pullAll(await signIn('clerk.all'), 'sub-all');
    expect(all.records.filter((r) => r.entity === 'person').length).toBe(sql('SELECT id FROM person').length);
  });
});

describe('after the snapshot', () => {
  async function updatePerson(conn: Connection, id: string, change: Partial<MethodInput<'person.update'>['person']>) {
    const c = conn.call('person.get', { id });
    if (!c.ok) throw new Error(JSON.stringify(c.error));
    const d = c.data as Record<string, unknown> & { identity: { display: string } | null; version: number };
    const seq = Number((await pool.query<{ seq: string }>('SELECT seq FROM aggregate WHERE key = $1', [`person:${id}`])).rows[0]?.seq ?? 0);
    const m: PushMutation = {
      id: randomUUID(),
      method: 'person.update',
      input: {
        id,
        version: d.version,
        person: {
          identityNumber: d.identity?.display ?? null, birthDate: d.birthDate, sex: d.sex, givenName: d.givenName, middleName: d.middleName, familyName: d.familyName,
          preferredName: d.preferredName, status: d.status, nationality: d.nationality, motherTongue: d.motherTongue, maalform: d.maalform, protection: d.protection,
          ...change,
        },
        ...(change.protection === 'none' ? { protectionReason: 'Skyddet har upphört enligt Skatteverket' } : {}),
      },
      base: { [`person:${id}`]: { seq } },
    };
    const a = await engine.push(conn, m);
    if (a.status !== 'applied') throw new Error(JSON.stringify(a));
    return a;
  }

  it('a change arrives after the cursor for users who see the person, and not for a unit clerk who does not', async () => {
    const writer = await signIn('clerk.all');
    const reader = await signIn('protected');
    const clerk = await signIn('clerk');
    const r0 = await pullAll(reader, 'sub-r');
    const c0 = await pullAll(clerk, 'sub-c');
    const unit = sql<{ unit_id: string }>(`SELECT r.unit_id FROM role_assignment r JOIN user_account a ON a.id = r.user_id WHERE a.username = 'clerk'`)[0]!.unit_id;
    // (one whose mother tongue is not Finnish already: the demo's persons differ from run to run, and an edit
    // that changes nothing writes nothing)
    const outside = sql<{ id: string }>(`SELECT id FROM person WHERE protection = 'none' AND is_child = 1 AND coalesce(mother_tongue, '') <> 'fi'`).map((r) => r.id).find((id) => !new PersonScope(engine.core.ctx).of(new Set([unit])).ids.has(id))!;
    await updatePerson(writer, outside, { motherTongue: 'fi' });
    const r1 = await pull(reader, 'sub-r', r0.cursor);
    expect(r1.records.map((r) => [r.entity, r.id, r.data.mother_tongue])).toEqual([['person', outside, 'fi']]);
    // With the aggregate's new version, which the reader's next edit of the person names as its base.
    const agg = Number((await pool.query<{ seq: string }>('SELECT seq FROM aggregate WHERE key = $1', [`person:${outside}`])).rows[0]!.seq);
    expect(r1.aggregates).toEqual([{ key: `person:${outside}`, seq: agg }]);
    const c1 = await pull(clerk, 'sub-c', c0.cursor);
    expect(c1.records).toEqual([]);
    expect(c1.aggregates).toEqual([]);
    expect(c1.cursor).toBe(r1.cursor);
  });

  it('a new protection withholds the person\'s addresses from then on, as an explicit removal', async () => {
    const writer = await signIn('protected');
    const reader = await signIn('clerk.all');
    const id = sql<{ id: string }>(
      `SELECT p.id FROM person p WHERE p.protection = 'none' AND p.shielded = 0 AND p.is_child = 1
       AND EXISTS (SELECT 1 FROM person_address a WHERE a.person_id = p.id) LIMIT 1`,
    )[0]!.id;
    const r0 = await pullAll(reader, 'sub-p');
    expect(r0.records.some((r) => r.entity === 'person_address' && r.data.person_id === id)).toBe(true);
    await updatePerson(writer, id, { protection: 'se_skyddad_folkbokforing' });
    const r1 = await pull(reader, 'sub-p', r0.cursor);
    expect(r1.hiddenPersons).toContain(id);
    expect(r1.records.filter((r) => r.entity === 'person_address' || r.entity === 'person_contact').filter((r) => withheldPersons().has(String(r.data.person_id)))).toEqual([]);
    expect(r1.records.find((r) => r.entity === 'person' && r.id === id)?.data.protection).toBe('se_skyddad_folkbokforing');
  });

  it('a household\'s income reaches the fee administrators\' caches only; a lost fee grant takes the cache again from the start', async () => {
    const fee = await signIn('fee');
    const clerk = await signIn('clerk.all');
    const f0 = await pullAll(fee, 'sub-fee');
    const c0 = await pullAll(clerk, 'sub-fee-clerk');
    const household = sql<{ id: string }>(`SELECT id FROM household WHERE deleted_at IS NULL ORDER BY id LIMIT 1`)[0]!.id;
    const seq = Number((await pool.query<{ seq: string }>('SELECT seq FROM aggregate WHERE key = $1', [`income:${household}`])).rows[0]?.seq ?? 0);
    const a = await engine.push(fee, {
      id: randomUUID(),
      method: 'income.declare',
      input: { householdId: household, validFrom: '2026-01-01', monthlyIncome: 5_123_400, source: 'declared' },
      base: { [`income:${household}`]: { seq } },
    });
    expect(a.status).toBe('applied');
    const f1 = await pull(fee, 'sub-fee', f0.cursor);
    expect(f1.records.filter((r) => r.entity === 'income_declaration').map((r) => [r.data.household_id, r.data.monthly_income])).toEqual([[household, 5_123_400]]);
    expect(f1.aggregates.map((x) => x.key)).toContain(`income:${household}`);
    const c1 = await pull(clerk, 'sub-fee-clerk', c0.cursor);
    expect(c1.records.filter((r) => r.entity === 'income_declaration')).toEqual([]);
    expect(c1.aggregates.map((x) => x.key)).not.toContain(`income:${household}`);
    expect(JSON.stringify(c1)).not.toContain('5123400');
    // A clerk's push of an income is refused by the server (no fee.write), with nothing written.
    const refused = await engine.push(clerk, {
      id: randomUUID(),
      method: 'income.declare',
      input: { householdId: household, validFrom: '2026-02-01', monthlyIncome: 1, source: 'declared' },
      base: { [`income:${household}`]: { seq: f1.aggregates.find((x) => x.key === `income:${household}`)!.seq } },
    });
    expect(refused).toMatchObject({ status: 'rejected', error: { code: 'forbidden' } });
    // The fee administrator loses the role: the next page is a reset, so the cache is taken again without incomes.
    const admin = await signIn('admin');
    const user = sql<{ id: string; version: number }>(`SELECT id, version FROM user_account WHERE username = 'fee'`)[0]!;
    const aseq = Number((await pool.query<{ seq: string }>('SELECT seq FROM aggregate WHERE key = $1', [`account:${user.id}`])).rows[0]?.seq ?? 0);
    const moved = await engine.push(admin, {
      id: randomUUID(),
      method: 'user.update',
      input: { id: user.id, version: user.version, displayName: 'Frej Avgift (demo)', roles: [{ role: 'foi_officer', unitId: null }], disabled: false },
      base: { [`account:${user.id}`]: { seq: aseq } },
    });
    expect(moved.status).toBe('applied');
    const p = await engine.feed(fee, { subscriber: 'sub-fee', cursor: f1.cursor });
    expect(p).toMatchObject({ reset: true, reason: 'grants_changed' });
    const again = await pullAll(fee, 'sub-fee-2');
    expect(again.records.filter((r) => r.entity === 'income_declaration')).toEqual([]);
  });

  it('a role moved to another unit removes the old unit\'s persons and brings the new unit\'s, also when a page was not applied', async () => {
    const admin = await signIn('admin');
    const clerk = await signIn('clerk');
    const c0 = await pullAll(clerk, 'sub-move');
    const user = sql<{ id: string; version: number }>(`SELECT id, version FROM user_account WHERE username = 'clerk'`)[0]!;
    const units = sql<{ id: string }>(`SELECT id FROM org_unit WHERE kind = 'school_unit' AND deleted_at IS NULL ORDER BY sort_key`).map((u) => u.id);
    const [oldUnit] = sql<{ unit_id: string }>(`SELECT unit_id FROM role_assignment WHERE user_id = ?`, user.id).map((r) => r.unit_id);
    const newUnit = units.find((u) => u !== oldUnit)!;
    const seq = Number((await pool.query<{ seq: string }>('SELECT seq FROM aggregate WHERE key = $1', [`account:${user.id}`])).rows[0]?.seq ?? 0);
    const a = await engine.push(admin, {
      id: randomUUID(),
      method: 'user.update',
      input: { id: user.id, version: user.version, displayName: 'Kim Kanslist (demo)', roles: [{ role: 'clerk', unitId: newUnit }], disabled: false },
      base: { [`account:${user.id}`]: { seq } },
    });
    expect(a.status).toBe('applied');
    const scope = new PersonScope(engine.core.ctx);
    const before = scope.of(new Set([oldUnit!])).ids;
    const after = scope.of(new Set([newUnit])).ids;
    const gone = [...before].filter((id) => !after.has(id));
    const came = [...after].filter((id) => !before.has(id));
    expect(gone.length && came.length).toBeTruthy();

    const first = await pull(clerk, 'sub-move', c0.cursor);
    expect(new Set(first.removedPersons)).toEqual(new Set(gone));
    expect(new Set(first.records.filter((r) => r.entity === 'person').map((r) => r.id))).toEqual(new Set(came));
    // The workstation was killed before it applied that page: it pulls from its old cursor again and gets
    // the same answer, not an empty one.
    const again = await pull(clerk, 'sub-move', c0.cursor);
    expect(new Set(again.removedPersons)).toEqual(new Set(gone));
    expect(again.records.length).toBe(first.records.length);
    // Applied now: the next pull from the new cursor has nothing more to remove.
    const next = await pull(clerk, 'sub-move', again.cursor);
    expect(next.removedPersons).toEqual([]);
    expect(next.records.filter((r) => r.entity === 'person')).toEqual([]);
  });

  it('a cursor ahead of the server (restored from an older backup) or unknown asks for a fresh snapshot; another user\'s cache is refused', async () => {
    const conn = await signIn('clerk.all');
    const { cursor } = await pullAll(conn, 'sub-x');
    expect(await engine.feed(conn, { subscriber: 'sub-x', cursor: cursor + 1000 })).toMatchObject({ reset: true, reason: 'cursor_ahead' });
    expect(await engine.feed(conn, { subscriber: 'sub-new', cursor })).toMatchObject({ reset: true, reason: 'unknown_cursor' });
    expect(await engine.feed(await signIn('protected'), { subscriber: 'sub-x', cursor: 0 })).toMatchObject({ error: { code: 'forbidden' } });
    expect(await engine.feed(engine.core.connect('ws-anon'), { subscriber: 'sub-y', cursor: 0 })).toMatchObject({ error: { code: 'unauthenticated' } });
  });
});

describe('the feed states\' person sets (migration 0006)', () => {
  const stateOf = async (subscriber: string) =>
    (await pool.query<{ pending: { persons: unknown; care: unknown; hidden: unknown } }>('SELECT pending FROM feed_subscriber WHERE id = $1', [subscriber])).rows[0]!.pending;

  it('are named by ref in each state and stored once, whoever holds them; a unit clerk\'s scope is a set of its own', async () => {
    const a = await signIn('clerk.all');
    const b = await signIn('clerk.all');
    await pullAll(a, 'sub-set-a');
    await pullAll(b, 'sub-set-b');
    const sa = await stateOf('sub-set-a');
    const sb = await stateOf('sub-set-b');
    expect(sa.persons).toBe('all');
    expect(sa.hidden).toMatch(/^set:/);
    expect(sb.hidden).toBe(sa.hidden);
    const rows = (await pool.query<{ ids: string[] }>('SELECT ids FROM feed_set WHERE ref = $1', [sa.hidden])).rows;
    expect(rows).toHaveLength(1);
    // The set is the withheld persons the user sees, no more and no less.
    expect(new Set(rows[0]!.ids)).toEqual(new Set(sql<{ id: string }>(`SELECT id FROM person WHERE (protection <> 'none' OR shielded = 1) AND deleted_at IS NULL`).map((r) => r.id)));
    // A state is a few refs now, not thousands of ids.
    expect(JSON.stringify(sa).length).toBeLessThan(300);

    const clerk = await signIn('clerk');
    await pullAll(clerk, 'sub-set-c');
    const sc = await stateOf('sub-set-c');
    expect(sc.persons).toMatch(/^set:/);
    const unit = sql<{ unit_id: string }>(`SELECT r.unit_id FROM role_assignment r JOIN user_account a ON a.id = r.user_id WHERE a.username = 'clerk'`)[0]!.unit_id;
    const stored = (await pool.query<{ ids: string[] }>('SELECT ids FROM feed_set WHERE ref = $1', [sc.persons])).rows[0]!.ids;
    expect(new Set(stored)).toEqual(new PersonScope(engine.core.ctx).of(new Set([unit])).ids);
  });

  it('a state whose set is gone is answered with a reset, never compared with nothing', async () => {
    const conn = await signIn('clerk.all');
    const { cursor } = await pullAll(conn, 'sub-gone');
    await pool.query(`UPDATE feed_subscriber SET pending = jsonb_set(pending, '{hidden}', '"set:gone"') WHERE id = 'sub-gone'`);
    expect(await engine.feed(conn, { subscriber: 'sub-gone', cursor })).toMatchObject({ reset: true, reason: 'unknown_state' });
  });

  it('a state stored before the sets had refs (its ids inline) is still compared with: a newly withheld person is removed', async () => {
    const conn = await signIn('clerk.all');
    const { cursor } = await pullAll(conn, 'sub-inline');
    const hidden = [...withheldPersons()];
    const [dropped, ...rest] = hidden;
    // As a state written before migration 0006, which did not yet withhold `dropped`.
    await pool.query(`UPDATE feed_subscriber SET pending = jsonb_set(pending, '{hidden}', $1::jsonb) WHERE id = 'sub-inline'`, [JSON.stringify(rest)]);
    const p = await pull(conn, 'sub-inline', cursor);
    expect(p.hiddenPersons).toEqual([dropped]);
    expect((await stateOf('sub-inline')).hidden).toMatch(/^set:/);
  });

  it('sets no state names are swept after an hour; the sets in use stay', async () => {
    const conn = await signIn('clerk.all');
    await pullAll(conn, 'sub-sweep');
    const inUse = (await stateOf('sub-sweep')).hidden as string;
    await pool.query(`INSERT INTO feed_set (ref, ids, created_at) VALUES ('set:old-unused', '["x"]', now() - interval '2 hours'), ('set:new-unused', '["y"]', now())`);
    await pool.query(`UPDATE feed_set SET created_at = now() - interval '2 hours' WHERE ref = $1`, [inUse]);
    expect(await engine.feedSets.sweep(true)).toBe(1);
    const left = (await pool.query<{ ref: string }>('SELECT ref FROM feed_set ORDER BY ref')).rows.map((r) => r.ref);
    expect(left).toContain(inUse);
    expect(left).toContain('set:new-unused');
    expect(left).not.toContain('set:old-unused');
  });
});
