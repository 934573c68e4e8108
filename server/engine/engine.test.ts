/**
 * The engine against real PostgreSQL and a real replica: import of a standalone register, pushed mutations
 * applied once, replays, stale bases, scope and rules re-checked on the server, the constraint tables as the
 * last line, the central audit chain, and a replica that lost its last commit catching up.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCore, dataPaths, type Connection } from '../../core/app';
import { fixedClock } from '../../core/context';
import { entryHash } from '../../core/audit/chain';
import type { MethodInput, MethodOutput } from '../../shared/api/contract';
import { migrateServer } from '../db/migrate';
import { startTestPostgres, type TestPostgres } from '../testing/pg';
import { personForm } from '../testing/workstation';
import { signInOn } from '../testing/engine';
import { Engine, type Base, type PushMutation } from './engine';

const TODAY = '2026-11-23';
const clock = fixedClock(TODAY);
let cluster: TestPostgres;
let standalone: string;
let scratch: string;

beforeAll(async () => {
  cluster = await startTestPostgres();
  scratch = mkdtempSync(join(tmpdir(), 'kansli-engine-'));
  // One synthetic standalone register, imported into each test's fresh server.
  const { dbPath } = dataPaths(join(scratch, 'standalone'));
  const core = createCore({ dbPath, clock, seed: { country: 'SE', persons: 300, seed: 11, today: TODAY, deterministicIds: true }, auditAnchorPath: null, auditPendingPath: null, secretKeyDir: scratch });
  // A document about a person, whose content must move with its record.
  const child = core.ctx.sqlite.prepare(`SELECT id FROM person WHERE is_child = 1 ORDER BY id LIMIT 1`).pluck().get() as string;
  core.ctx.sqlite.prepare(`INSERT INTO document_content (sha256, mime, size, bytes, created_at) VALUES (?, 'application/pdf', ?, ?, 'x')`).run(DOC_SHA, DOC_BYTES.length, DOC_BYTES);
  core.ctx.sqlite
    .prepare(
      `INSERT INTO person_document (id, person_id, title, kind, document_date, classification, retention_class, file_name, mime, size, pages, content_sha256, created_at, created_by, updated_at, updated_by)
       VALUES (?, ?, 'Beslut', 'decision', ?, 'open', 'years_5', 'beslut.pdf', 'application/pdf', ?, 1, ?, 'x', 'seed', 'x', 'seed')`,
    )
    .run(randomUUID(), child, TODAY, DOC_BYTES.length, DOC_SHA);
  core.close();
  standalone = dbPath;
}, 120_000);
afterAll(async () => {
  await cluster?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const DOC_BYTES = Buffer.from('%PDF-1.7 a document held about a person (the bytes are not inspected here)');
const DOC_SHA = createHash('sha256').update(DOC_BYTES).digest('hex');

let pool: pg.Pool;
let engine: Engine;
let dir: string;
beforeEach(async () => {
  pool = new pg.Pool({ connectionString: await cluster.database('engine'), max: 4 });
  // An idle connection closed when the cluster stops must not crash the test process.
  pool.on('error', () => undefined);
  await migrateServer(pool);
  dir = mkdtempSync(join(scratch, 'server-'));
  engine = await Engine.open({ pool, replicaPath: join(dir, 'replica.sqlite'), clock });
  await engine.importStandalone(standalone);
}, 60_000);
afterEach(async () => {
  engine?.close();
  await pool?.end();
});

const q = async <T extends pg.QueryResultRow>(sql: string, args: unknown[] = []) => (await pool.query<T>(sql, args)).rows;

const signIn = (username: string): Promise<Connection> => signInOn(engine, username);

async function aggregateSeq(key: string): Promise<number> {
  return Number((await q<{ seq: string }>('SELECT seq FROM aggregate WHERE key = $1', [key]))[0]?.seq ?? 0);
}


const anyChild = () =>
  engine.core.ctx.sqlite
    // The demo's persons differ from run to run: one whose mother tongue none of the tests' edits sets (an
    // edit that changes nothing writes nothing).
    .prepare(
      `SELECT p.id FROM person p WHERE p.is_child = 1 AND p.protection = 'none' AND p.deleted_at IS NULL
       AND coalesce(p.mother_tongue, '') NOT IN ('fi', 'sv', 'ar') ORDER BY p.id LIMIT 1`,
    )
    .pluck()
    .get() as string;

async function update(conn: Connection, id: string, change: Partial<MethodInput<'person.update'>['person']>, base?: Base): Promise<PushMutation> {
  const f = personForm(conn, id);
  return {
    id: randomUUID(),
    method: 'person.update',
    input: { id, version: f.version, person: { ...f.person, ...change } },
    base: base ?? { [`person:${id}`]: { seq: await aggregateSeq(`person:${id}`) } },
  };
}

describe('import of a standalone register', () => {
  it('moves every record into PostgreSQL and rebuilds the replica from there, once', async () => {
    const src = createCore({ dbPath: standalone, clock, auditAnchorPath: null, auditPendingPath: null, secretKeyDir: scratch });
    try {
      for (const t of ['person', 'placement', 'guardianship', 'user_account', 'org_unit']) {
        const n = (src.ctx.sqlite.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
        expect(Number((await q<{ n: string }>('SELECT count(*) AS n FROM record WHERE entity = $1', [t]))[0]!.n), t).toBe(n);
        expect((engine.core.ctx.sqlite.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n, t).toBe(n);
      }
      const id = anyChild();
      expect(engine.core.ctx.sqlite.prepare('SELECT * FROM person WHERE id = ?').get(id)).toEqual(src.ctx.sqlite.prepare('SELECT * FROM person WHERE id = ?').get(id));
      expect(engine.core.ctx.demo).toBe(true);
    } finally {
      src.close();
    }
    expect(engine.appliedSeq()).toBe(await engine.head());
    // A document's content moved with it, and the rebuilt replica holds it.
    expect(await q('SELECT sha256, size FROM document_content')).toEqual([{ sha256: DOC_SHA, size: DOC_BYTES.length }]);
    expect((engine.core.ctx.sqlite.prepare('SELECT bytes FROM document_content WHERE sha256 = ?').pluck().get(DOC_SHA) as Buffer).equals(DOC_BYTES)).toBe(true);
    await expect(engine.importStandalone(standalone)).rejects.toThrow(/already holds a register/);
  });
});

describe('pushed mutations', () => {
  it('are applied once as the pushing user, with their change records, aggregate and audit entry in PostgreSQL', async () => {
    const conn = await signIn('clerk.all');
    const id = anyChild();
    const m = await update(conn, id, { motherTongue: 'fi' });
    const head = await engine.head();
    const a = await engine.push(conn, m);
    expect(a).toMatchObject({ id: m.id, status: 'applied', result: { id, version: 2 } });
    const rec = (await q<{ version: number; data: Record<string, unknown>; seq: string }>("SELECT version, data, seq FROM record WHERE entity = 'person' AND id = $1", [id]))[0]!;
    expect(rec).toMatchObject({ version: 2, data: { mother_tongue: 'fi' } });
    expect(Number(rec.seq)).toBeGreaterThan(head);
    expect(await q('SELECT entity, entity_id, op, mutation_id FROM change WHERE mutation_id = $1', [m.id])).toEqual([
      { entity: 'person', entity_id: id, op: 'update', mutation_id: m.id },
    ]);
    expect(await q('SELECT mutation_id FROM aggregate WHERE key = $1', [`person:${id}`])).toEqual([{ mutation_id: m.id }]);
    const audit = await q<{ method: string; workstation: string; person_ids: string[] }>('SELECT method, workstation, person_ids FROM audit_entry ORDER BY seq DESC LIMIT 1');
    expect(audit[0]).toMatchObject({ method: 'person.update', workstation: 'ws-clerk.all', person_ids: [id] });
    expect(engine.appliedSeq()).toBe(await engine.head());

    // A replay (the answer was lost) returns the first answer and writes nothing.
    const before = await engine.head();
    expect(await engine.push(conn, m)).toEqual(a);
    expect(await engine.head()).toBe(before);
    expect(await q('SELECT count(*)::int AS n FROM change WHERE mutation_id = $1', [m.id])).toEqual([{ n: 1 }]);
  });

  it('a stale base is a conflict and changes nothing; a base on the workstation\'s own earlier mutation is not', async () => {
    const a = await signIn('clerk.all');
    const b = await signIn('protected');
    const id = anyChild();
    const seen = await aggregateSeq(`person:${id}`);
    const first = await update(a, id, { motherTongue: 'fi' }, { [`person:${id}`]: { seq: seen } });
    expect((await engine.push(a, first)).status).toBe('applied');
    // B saw the same state as A did, before A's change: its edit is not applied.
    const stale: PushMutation = { ...(await update(b, id, { nationality: 'NO' })), base: { [`person:${id}`]: { seq: seen } } };
    const head = await engine.head();
    expect(await engine.push(b, stale)).toEqual({ id: stale.id, status: 'conflict', aggregates: [`person:${id}`] });
    expect(await engine.head()).toBe(head);
    expect((await q<{ data: { nationality: string | null } }>("SELECT data FROM record WHERE entity = 'person' AND id = $1", [id]))[0]!.data.nationality).not.toBe('NO');
    // The conflict is the answer for good: the clerk resolves it with a new mutation.
    expect((await engine.push(b, stale)).status).toBe('conflict');
    // A's next offline edit built on its own first one.
    const second = await update(a, id, { motherTongue: 'sv' }, { [`person:${id}`]: { mutation: first.id } });
    expect((await engine.push(a, second)).status).toBe('applied');
  });

  it('the server checks permission and unit scope itself: a unit clerk cannot reach a child outside the unit', async () => {
    const clerk = await signIn('clerk');
    const all = await signIn('clerk.all');
    const unit = engine.core.ctx.sqlite
      .prepare("SELECT r.unit_id FROM role_assignment r JOIN user_account a ON a.id = r.user_id WHERE a.username = 'clerk'")
      .pluck()
      .get() as string;
    const outside = engine.core.ctx.sqlite
      .prepare(
        `SELECT p.id FROM person p WHERE p.is_child = 1 AND p.protection = 'none' AND p.deleted_at IS NULL
         AND coalesce(p.mother_tongue, '') <> 'fi'
         AND NOT EXISTS (SELECT 1 FROM group_membership m JOIN school_group g ON g.id = m.group_id WHERE m.person_id = p.id AND g.unit_id = ?)
         AND NOT EXISTS (SELECT 1 FROM placement pl WHERE pl.child_id = p.id AND pl.unit_id = ?) LIMIT 1`,
      )
      .pluck()
      .get(unit, unit) as string;
    const m = await update(all, outside, { motherTongue: 'fi' });
    const a = await engine.push(clerk, m);
    expect(a).toMatchObject({ status: 'rejected', error: { code: 'forbidden' } });
    expect(await q('SELECT status FROM mutation WHERE id = $1', [m.id])).toEqual([{ status: 'rejected' }]);
    expect(await q('SELECT count(*)::int AS n FROM change WHERE mutation_id = $1', [m.id])).toEqual([{ n: 0 }]);
    // The attempt itself is in the central audit log, under the person it tried to reach.
    expect(await q("SELECT workstation, outcome, person_ids FROM audit_entry WHERE method = 'person.update' AND action = 'denied'")).toEqual([
      { workstation: 'ws-clerk', outcome: 'forbidden', person_ids: [outside] },
    ]);
  });

  it('a push crafted to skip the workstation\'s rules is refused with the same named rule', async () => {
    const conn = await signIn('clerk.all');
    const placed = engine.core.ctx.sqlite
      .prepare(`SELECT child_id, unit_id, school_form, valid_from FROM placement WHERE state = 'accepted' AND deleted_at IS NULL AND valid_to IS NULL AND school_form = 'FS' LIMIT 1`)
      .get() as { child_id: string; unit_id: string; school_form: 'FS'; valid_from: string };
    const m: PushMutation = {
      id: randomUUID(),
      method: 'placement.create',
      input: { childId: placed.child_id, unitId: placed.unit_id, schoolForm: 'FS', validFrom: TODAY, reason: 'care_need' },
      base: { [`care:${placed.child_id}`]: { seq: await aggregateSeq(`care:${placed.child_id}`) } },
    };
    expect(await engine.push(conn, m)).toMatchObject({ status: 'rejected', error: { code: 'rule_violation', rule: 'placement_overlap' } });
  });

  it('PostgreSQL\'s own constraints refuse an overlap the replica did not see, and the replica is left as it was', async () => {
    const conn = await signIn('clerk.all');
    const child = engine.core.ctx.sqlite
      .prepare(`SELECT p.id FROM person p WHERE p.is_child = 1 AND p.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM placement pl WHERE pl.child_id = p.id) AND p.birth_date > '2021-06-01' LIMIT 1`)
      .pluck()
      .get() as string;
    const unit = engine.core.ctx.sqlite.prepare(`SELECT unit_id FROM placement WHERE school_form = 'FS' AND deleted_at IS NULL LIMIT 1`).pluck().get() as string;
    expect(child && unit).toBeTruthy();
    // Another writer's placement that the replica does not hold (a race the rule check could not see).
    await pool.query(`INSERT INTO inv_placement (id, child_id, family, span) VALUES ('other', $1, 'preschool', daterange('2026-01-01', NULL, '[]'))`, [child]);
    const m: PushMutation = {
      id: randomUUID(),
      method: 'placement.create',
      input: { childId: child, unitId: unit, schoolForm: 'FS', validFrom: '2027-01-10', reason: 'care_need' },
      base: { [`care:${child}`]: { seq: await aggregateSeq(`care:${child}`) } },
    };
    const count = () => (engine.core.ctx.sqlite.prepare('SELECT count(*) AS n FROM placement WHERE child_id = ?').get(child) as { n: number }).n;
    expect(await engine.push(conn, m)).toMatchObject({ status: 'rejected', error: { code: 'rule_violation', rule: 'placement_overlap' } });
    expect(count()).toBe(0);
    expect(await q("SELECT count(*)::int AS n FROM record WHERE entity = 'placement' AND data->>'child_id' = $1", [child])).toEqual([{ n: 0 }]);
    expect(engine.core.ctx.sqlite.inTransaction).toBe(false);
  });

  it('records created by a mutation get the ids the workstation made (the same mutation id gives the same ids)', async () => {
    const conn = await signIn('clerk.all');
    const id = randomUUID();
    const input = { givenName: 'Testa', familyName: 'Syncsson', birthDate: '2020-02-02', addresses: [], contacts: [] };
    // The workstation's run of the same mutation (a standalone core on a copy of the register).
    const wsDir = mkdtempSync(join(scratch, 'ws-'));
    copyFileSync(standalone, join(wsDir, 'kansli.sqlite'));
    const ws = createCore({ dbPath: join(wsDir, 'kansli.sqlite'), clock, auditAnchorPath: null, auditPendingPath: null, secretKeyDir: wsDir });
    let local: unknown;
    try {
      const r = await ws.callAsync('person.create', input, undefined, { mutationId: id });
      expect(r.ok).toBe(true);
      local = (r as { data: unknown }).data;
    } finally {
      ws.close();
    }
    const a = await engine.push(conn, { id, method: 'person.create', input, base: {} });
    expect(a).toMatchObject({ status: 'applied', result: local as Record<string, unknown> });
  });

  it('the central audit chain links every entry to the one before it', async () => {
    const conn = await signIn('clerk.all');
    for (let i = 0; i < 3; i++) expect((await engine.push(conn, await update(conn, anyChild(), { motherTongue: ['fi', 'sv', 'ar'][i]! }))).status).toBe('applied');
    await engine.flushAudit();
    const rows = await q<Record<string, unknown>>('SELECT * FROM audit_entry ORDER BY seq');
    expect(rows.length).toBeGreaterThanOrEqual(3);
    let prev = '0'.repeat(64);
    for (const r of rows) {
      expect(r.prev_hash).toBe(prev);
      const hash = entryHash(Number(r.seq), {
        at: String(r.at),
        actorId: String(r.actor_id),
        actorName: String(r.actor_name),
        workstation: String(r.workstation),
        method: String(r.method),
        action: String(r.action),
        outcome: String(r.outcome),
        personIds: r.person_ids as string[],
        details: r.details as Record<string, unknown>,
        reason: (r.reason as string | null) ?? null,
        prevHash: prev,
      });
      expect(r.hash).toBe(hash);
      prev = hash;
    }
    await expect(pool.query('DELETE FROM audit_entry')).rejects.toThrow(/append-only/);
  });
});

describe('the replica', () => {
  it('that lost its last commit (killed between the two commits) catches up from PostgreSQL when it opens', async () => {
    const path = join(dir, 'replica.sqlite');
    engine.close();
    const copy = join(dir, 'before.sqlite');
    copyFileSync(path, copy);
    engine = await Engine.open({ pool, replicaPath: path, clock });
    const conn = await signIn('clerk.all');
    const id = anyChild();
    expect((await engine.push(conn, await update(conn, id, { motherTongue: 'fi' }))).status).toBe('applied');
    engine.close();
    copyFileSync(copy, path);
    engine = await Engine.open({ pool, replicaPath: path, clock });
    expect(engine.core.ctx.sqlite.prepare('SELECT mother_tongue, version FROM person WHERE id = ?').get(id)).toEqual({ mother_tongue: 'fi', version: 2 });
    expect(engine.appliedSeq()).toBe(await engine.head());
  });

  it('of another database (another epoch) is rebuilt from PostgreSQL', async () => {
    const path = join(dir, 'replica.sqlite');
    engine.close();
    await pool.query("UPDATE server_meta SET value = $1 WHERE key = 'epoch'", [randomUUID()]);
    engine = await Engine.open({ pool, replicaPath: path, clock });
    expect((engine.core.ctx.sqlite.prepare('SELECT count(*) AS n FROM person').get() as { n: number }).n).toBe(
      Number((await q<{ n: string }>("SELECT count(*) AS n FROM record WHERE entity = 'person'"))[0]!.n),
    );
  });
});

describe('bulk work as a server job', () => {
  const DATE = '2027-08-01';
  const count = async (sql: string, args: unknown[] = []) => Number((await q<{ n: string }>(sql, args))[0]!.n);

  it('the rollover runs to its end on the server: its records, its audit entries and the replica\'s state reach PostgreSQL together', async () => {
    const clerk = await signIn('clerk.all');
    const preview = clerk.call('rollover.preview', { date: DATE });
    if (!preview.ok) throw new Error(JSON.stringify(preview.error));
    const v = preview.data as MethodOutput<'rollover.preview'>;
    expect(v.totals.promoted).toBeGreaterThan(0);
    const head = await engine.head();
    const auditBefore = await count('SELECT count(*) AS n FROM audit_entry');

    const r = await engine.job(clerk, 'rollover.commit', { date: DATE, token: v.token });
    expect(r.result.ok).toBe(true);
    expect(r.job).toMatchObject({ state: 'succeeded', result: { promoted: v.totals.promoted, leavers: v.totals.leavers, groupsCreated: v.totals.groupsCreated } });
    // Every enrolment the replica holds is PostgreSQL's, the new ones included, and the replica is at the head.
    const replicaEnrolments = engine.core.ctx.sqlite.prepare('SELECT count(*) FROM enrolment').pluck().get() as number;
    expect(await count(`SELECT count(*) AS n FROM record WHERE entity = 'enrolment' AND data IS NOT NULL`)).toBe(replicaEnrolments);
    expect(await count('SELECT count(*) AS n FROM record WHERE seq > $1', [head])).toBeGreaterThanOrEqual(v.totals.promoted);
    expect(engine.appliedSeq()).toBe(await engine.head());
    // The job's write and its end are in the central chain, which the replica's still equals.
    const entries = await q<{ action: string; event: string | null }>(
      `SELECT action, details->>'event' AS event FROM audit_entry WHERE method = 'rollover.commit' AND seq > 0 ORDER BY seq`,
    );
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['job', 'write']));
    expect(await count('SELECT count(*) AS n FROM audit_entry')).toBeGreaterThan(auditBefore);
    const top = engine.core.ctx.sqlite.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
    expect((await q('SELECT seq::int AS seq, hash FROM audit_entry WHERE seq = $1', [top.seq]))[0]).toEqual(top);

    // The same token again: the register moved on, the job fails as stale and writes nothing but its record of failing.
    const recordsAfter = await count('SELECT count(*) AS n FROM record');
    const headAfter = await engine.head();
    const again = await engine.job(clerk, 'rollover.commit', { date: DATE, token: v.token });
    expect(again.job).toMatchObject({ state: 'failed', error: { code: 'rule_violation' } });
    expect(await count('SELECT count(*) AS n FROM record')).toBe(recordsAfter);
    expect(await count('SELECT count(*) AS n FROM record WHERE seq > $1', [headAfter])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM audit_entry WHERE method = 'rollover.commit' AND outcome <> 'ok'`)).toBeGreaterThanOrEqual(1);
  });

  it('is refused for a method that is not a job, and the server checks the permission itself', async () => {
    const clerk = await signIn('clerk.all');
    expect((await engine.job(clerk, 'person.update', {})).result).toMatchObject({ ok: false, error: { code: 'validation', field: 'method' } });
    const fee = await signIn('fee');
    const r = await engine.job(fee, 'rollover.commit', { date: DATE, token: 'r1.' + '0'.repeat(64) });
    expect(r.result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(r.job).toBeNull();
  });
});
