/**
 * The core's runtime for long work, on a real SQLite file with real worker threads: a job (the year
 * rollover's commit) runs off the request loop with its own connection, reports progress as events to
 * those who may see it, can be cancelled (the database stays as it was), survives nothing but leaves
 * nothing half-written when its process dies, and the core keeps answering while it holds the write lock.
 * Also mutation ids: a repeated write answers from its first result, and a client can ask what happened.
 */
import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CoreEvent, JobView } from '../../shared/domain/events';
import { createCore, dataPaths } from '../app';
import { DEMO_PASSWORD } from '../access/auth';
import type { Connection } from '../app';
import { makeTestCore, TEST_TODAY, type TestCore } from '../../test/util/core';

const DATE = '2027-08-16';
let cores: TestCore[] = [];
afterEach(() => {
  for (const c of cores) c.dispose();
  cores = [];
});

function core(persons = 3000): TestCore {
  const c = makeTestCore({ persons });
  cores.push(c);
  return c;
}

function signIn(c: TestCore, username: string): Connection {
  const conn = c.connect(`jobs-test ${username}`);
  const r = conn.call('auth.signIn', { username, password: DEMO_PASSWORD });
  if (!r.ok || conn.session.state !== 'signed_in') throw new Error(`${username} cannot sign in: ${JSON.stringify(r)}`);
  return conn;
}

const counts = (c: TestCore) =>
  c.db.sqlite
    .prepare(
      `SELECT (SELECT count(*) FROM enrolment) AS enrolments, (SELECT count(*) FROM group_membership) AS memberships,
              (SELECT count(*) FROM school_group) AS groups, (SELECT count(*) FROM change_log) AS changes,
              (SELECT max(version) FROM enrolment) AS maxVersion`,
    )
    .get();

async function until(what: string, test: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 5));
  }
}

describe('jobs', () => {
  it('the rollover commit runs in a worker: answers a job id at once, reports progress as events to its starter, and its result and audit entries follow', async () => {
    const c = core();
    const clerk = signIn(c, 'clerk.all');
    const fee = signIn(c, 'fee');
    const seen: CoreEvent[] = [];
    const seenByFee: CoreEvent[] = [];
    clerk.onEvent((e) => seen.push(e));
    fee.onEvent((e) => seenByFee.push(e));
    const preview = c.ok('rollover.preview', { date: DATE, limit: 1 });
    const r = await clerk.callAsync('rollover.commit', { date: DATE, token: preview.token });
    expect(r.ok).toBe(true);
    const { jobId } = (r as { data: { jobId: string } }).data;
    const done = await c.services.jobs.wait(jobId);
    expect(done).toMatchObject({ state: 'succeeded', result: { promoted: preview.totals.promoted, leavers: preview.totals.leavers }, cancellable: false });
    const jobEvents = seen.filter((e): e is Extract<CoreEvent, { type: 'job' }> => e.type === 'job').map((e) => e.job);
    expect(jobEvents.every((j) => j.id === jobId)).toBe(true);
    expect(jobEvents.map((j) => j.state)).toEqual(expect.arrayContaining(['queued', 'running', 'succeeded']));
    expect(jobEvents.some((j) => j.phase === 'apply' && j.total === preview.totals.promoted + preview.totals.leavers + preview.totals.startingSchool)).toBe(true);
    // Events carry counts, never data: no names, no identity numbers.
    for (const j of jobEvents) expect(Object.keys(j.result ?? {}).sort()).toEqual(j.result ? ['groupsCreated', 'leavers', 'promoted'] : []);
    // The fee administrator holds no rollover permission: not a single event, and the job is "not found".
    expect(seenByFee).toEqual([]);
    expect(await fee.callAsync('job.get', { id: jobId })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await clerk.callAsync('job.get', { id: jobId })).toMatchObject({ ok: true, data: { state: 'succeeded' } });
    expect(await clerk.callAsync('job.list', {})).toMatchObject({ ok: true, data: { items: [{ id: jobId }] } });
    // Started, written (with the pupils), finished: three entries, and the chain verifies.
    const audit = c.db.sqlite.prepare(`SELECT action, json_extract(details, '$.event') AS event, json_array_length(person_ids) AS n FROM audit_log WHERE method = 'rollover.commit' ORDER BY seq`).all();
    expect(audit).toEqual([
      { action: 'job', event: 'started', n: 0 },
      { action: 'write', event: null, n: preview.totals.promoted + preview.totals.leavers },
      { action: 'job', event: 'finished', n: 0 },
    ]);
    expect(c.ok('audit.verify', {})).toMatchObject({ ok: true });
  });

  it('a job’s worker copies its WAL into the database after it has answered; the core’s connection makes no checkpoint meanwhile', async () => {
    const c = core();
    const clerk = signIn(c, 'clerk.all');
    const preview = c.ok('rollover.preview', { date: DATE, limit: 1 });
    const r = await clerk.callAsync('rollover.commit', { date: DATE, token: preview.token });
    const { jobId } = (r as { data: { jobId: string } }).data;
    await until('the worker to start', () => c.db.sqlite.pragma('wal_autocheckpoint', { simple: true }) === 0);
    expect((await c.services.jobs.wait(jobId)).state).toBe('succeeded');
    await c.services.jobs.idle();
    expect(c.db.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    // The database file alone, without its WAL, holds the job's writes: only the worker checkpointed them.
    const copy = join(c.dir, 'without-wal.sqlite');
    copyFileSync(dataPaths(c.dir).dbPath, copy);
    const alone = new Database(copy, { readonly: true });
    try {
      expect(alone.prepare(`SELECT count(*) FROM audit_log WHERE method = 'rollover.commit' AND action = 'write'`).pluck().get()).toBe(1);
      expect(alone.prepare(`SELECT count(*) FROM enrolment`).pluck().get()).toBe(c.db.sqlite.prepare(`SELECT count(*) FROM enrolment`).pluck().get());
    } finally {
      alone.close();
    }
  });

  it('cancelling while the job runs leaves the database exactly as it was, and the cancel is audited', async () => {
    const c = core();
    const clerk = signIn(c, 'clerk.all');
    const before = counts(c);
    const preview = c.ok('rollover.preview', { date: DATE, limit: 1 });
    let running: JobView | null = null;
    clerk.onEvent((e) => {
      if (e.type === 'job' && e.job.state === 'running' && !running) {
        running = e.job;
        // From inside the event, before the worker gets much further: it sees the flag in its transaction.
        expect(c.services.jobs.cancel(clerk.session.actor!, e.job.id)).toMatchObject({ id: e.job.id });
      }
    });
    const r = await clerk.callAsync('rollover.commit', { date: DATE, token: preview.token });
    const job = await c.services.jobs.wait((r as { data: { jobId: string } }).data.jobId);
    expect(running).not.toBeNull();
    expect(job).toMatchObject({ state: 'cancelled', error: { code: 'cancelled' }, cancellable: false });
    expect(counts(c)).toEqual(before);
    expect(c.db.sqlite.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
    expect(c.db.sqlite.prepare(`SELECT outcome FROM audit_log WHERE method = 'rollover.commit' AND action = 'job' ORDER BY seq`).pluck().all()).toEqual(['ok', 'cancelled']);
    // The preview still holds: nothing changed, so the same token commits now.
    expect(await c.jobOk('rollover.commit', { date: DATE, token: preview.token })).toMatchObject({ promoted: preview.totals.promoted });
  });

  it('while a job holds the write lock the core keeps answering: reads at once (their audit waits in the journal), writes after the commit', async () => {
    const c = core(6000);
    const clerk = signIn(c, 'clerk.all');
    const preview = c.ok('rollover.preview', { date: DATE, limit: 1 });
    const someone = c.ok('person.list', { limit: 1 }).items[0]!;
    // A second connection on the same file holds the write lock, as a job's commit does, for as long as
    // the test needs; it shows what the core does meanwhile without depending on a job's timing.
    const Database = (await import('better-sqlite3')).default;
    const holder = new Database(c.db.sqlite.name);
    holder.exec('BEGIN IMMEDIATE');
    try {
      const card = await clerk.callAsync('person.get', { id: someone.id });
      expect(card.ok).toBe(true);
      const search = await clerk.callAsync('search.query', { q: someone.familyName });
      expect(search.ok).toBe(true);
      expect(c.db.sqlite.prepare('SELECT count(*) FROM audit_log WHERE method = ?').pluck().get('person.get')).toBe(0);
      // A write waits (on a timer, not inside SQLite) and is not refused.
      let wrote = false;
      const write = clerk.callAsync('person.update', { id: someone.id, version: c.ok('person.get', { id: someone.id }).version, mode: 'correction', person: personFields(c, someone.id, { preferredName: 'Kalle' }) });
      void write.then(() => (wrote = true));
      await new Promise((ok) => setTimeout(ok, 300));
      expect(wrote).toBe(false);
      // The OS lock locks at once too.
      c.lockAll('os');
      expect(clerk.session.state).toBe('locked');
      holder.exec('COMMIT');
      expect(await write).toMatchObject({ ok: true });
    } finally {
      if (holder.inTransaction) holder.exec('ROLLBACK');
      holder.close();
    }
    // The waiting read audits are merged into the chain in order, and it verifies.
    expect(c.ok('audit.verify', {})).toMatchObject({ ok: true });
    expect(c.db.sqlite.prepare('SELECT count(*) FROM audit_log WHERE method = ? AND actor_id = ?').pluck().get('person.get', clerk.session.account!.id)).toBe(1);
    // And a real job running meanwhile does not stop reads either.
    const conn = signIn(c, 'clerk.all');
    const r = await conn.callAsync('rollover.commit', { date: DATE, token: preview.token });
    const jobId = (r as { data: { jobId: string } }).data.jobId;
    let reads = 0;
    while ((c.services.jobs.get(conn.session.actor!, jobId).state === 'running' || reads === 0) && reads < 500) {
      expect((await conn.callAsync('person.get', { id: someone.id })).ok).toBe(true);
      reads++;
    }
    expect((await c.services.jobs.wait(jobId)).state).toBe('succeeded');
    expect(c.ok('audit.verify', {})).toMatchObject({ ok: true });
  });

  it('a job refused by a rule fails with the rule and its field; nothing is written', async () => {
    const c = core(1500);
    const before = counts(c);
    expect(await c.jobErr('rollover.commit', { date: DATE, token: 'r1.stale' })).toMatchObject({ code: 'rule_violation', rule: 'rollover_stale', field: 'token' });
    expect(counts(c)).toEqual(before);
  });

  it('a job that was running when its process stopped is marked failed at the next start (audited); one that had committed, succeeded', () => {
    const c = core(200);
    const dir = c.dir;
    const insert = c.db.sqlite.prepare(
      `INSERT INTO job (id, kind, state, phase, done, total, input, created_by, created_by_name, workstation, created_at, started_at, committed_at)
       VALUES (?, 'rollover.commit', 'running', 'apply', 100, 300, '{}', 'u1', 'Karin Lind', 'WS-1', ?, ?, ?)`,
    );
    const lost = randomUUID();
    const committed = randomUUID();
    insert.run(lost, `${TEST_TODAY}T08:00:00Z`, `${TEST_TODAY}T08:00:01Z`, null);
    insert.run(committed, `${TEST_TODAY}T08:00:00Z`, `${TEST_TODAY}T08:00:01Z`, `${TEST_TODAY}T08:00:09Z`);
    c.close();
    const again = createCore({ dbPath: dataPaths(dir).dbPath, logDir: null });
    try {
      const rows = again.ctx.sqlite.prepare('SELECT id, state, error FROM job ORDER BY state').all() as { id: string; state: string; error: string | null }[];
      expect(rows).toEqual([
        { id: lost, state: 'failed', error: expect.stringContaining('nothing of it was saved') },
        { id: committed, state: 'succeeded', error: null },
      ]);
      expect(again.ctx.sqlite.prepare(`SELECT json_extract(details, '$.event') FROM audit_log WHERE action = 'job' ORDER BY seq`).pluck().all()).toEqual(['interrupted', 'recovered_committed']);
    } finally {
      again.close();
    }
    cores = cores.filter((x) => x !== c);
    c.dispose();
  });

  it('a process killed during the job’s commit leaves the database unchanged and intact; the job shows as failed after restart', async () => {
    const c = core(3000);
    const dir = c.dir;
    const before = counts(c);
    c.close();
    // A child process commits the rollover inline (its own main thread holds the transaction) and says
    // when it is applying; it is then killed with SIGKILL, mid-transaction.
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'kill-during-apply.fixture.ts'), dir, DATE], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    await until('the child to apply', () => out.includes('APPLYING') || child.exitCode !== null, 60_000);
    expect(out).toContain('APPLYING');
    child.kill('SIGKILL');
    await new Promise((ok) => child.once('exit', ok));
    const again = createCore({ dbPath: dataPaths(dir).dbPath, logDir: null });
    try {
      expect(again.ctx.sqlite.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
      const after = again.ctx.sqlite
        .prepare(
          `SELECT (SELECT count(*) FROM enrolment) AS enrolments, (SELECT count(*) FROM group_membership) AS memberships,
                  (SELECT count(*) FROM school_group) AS groups, (SELECT count(*) FROM change_log) AS changes, (SELECT max(version) FROM enrolment) AS maxVersion`,
        )
        .get();
      expect(after).toEqual(before);
      expect(again.ctx.sqlite.prepare(`SELECT state FROM job`).pluck().all()).toEqual(['failed']);
    } finally {
      again.close();
    }
    cores = cores.filter((x) => x !== c);
    c.dispose();
  }, 90_000);
});

describe('mutation ids', () => {
  it('a write repeated with its mutation id answers its first result and writes once; mutation.status tells the caller, and only the caller', async () => {
    const c = core(200);
    const clerk = signIn(c, 'clerk.all');
    const other = signIn(c, 'protected');
    const id = randomUUID();
    const input = { givenName: 'Mira', familyName: 'Åberg', birthDate: '2020-02-02' };
    const first = await clerk.callAsync('person.create', input, { mutationId: id });
    expect(first.ok).toBe(true);
    const again = await clerk.callAsync('person.create', input, { mutationId: id });
    expect(again).toEqual(first);
    expect(c.db.sqlite.prepare(`SELECT count(*) FROM person WHERE given_name = 'Mira'`).pluck().get()).toBe(1);
    expect(await clerk.callAsync('mutation.status', { id })).toMatchObject({ ok: true, data: { state: 'committed', method: 'person.create', result: (first as { data: unknown }).data } });
    expect(await other.callAsync('mutation.status', { id })).toMatchObject({ ok: true, data: { state: 'unknown', result: null } });
    expect(await clerk.callAsync('mutation.status', { id: randomUUID() })).toMatchObject({ ok: true, data: { state: 'unknown' } });
    // The same id for another call is refused, not silently answered with the wrong result.
    expect(await clerk.callAsync('person.create', { ...input, givenName: 'Nora' }, { mutationId: id })).toMatchObject({ ok: true });
    expect(await other.callAsync('person.create', input, { mutationId: id })).toMatchObject({ ok: false, error: { code: 'validation', field: 'mutationId' } });
  });

  it('a refused write leaves no mutation record: the id stays unknown and may be sent again', async () => {
    const c = core(200);
    const clerk = signIn(c, 'clerk.all');
    const id = randomUUID();
    expect(await clerk.callAsync('person.create', { givenName: 'X', familyName: 'Y' }, { mutationId: id })).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(await clerk.callAsync('mutation.status', { id })).toMatchObject({ ok: true, data: { state: 'unknown' } });
  });
});

/** The person's fields as stored (an update with these changes nothing), with `over` applied. */
function personFields(c: TestCore, id: string, over: Record<string, unknown>) {
  const p = c.ok('person.get', { id });
  return {
    identityNumber: c.db.sqlite.prepare('SELECT id_canonical FROM person WHERE id = ?').pluck().get(id) as string | null,
    reserveNumber: p.reserveNumber,
    birthDate: p.birthDate,
    sex: p.sex,
    givenName: p.givenName,
    middleName: p.middleName,
    familyName: p.familyName,
    preferredName: p.preferredName,
    status: p.status,
    nationality: p.nationality,
    motherTongue: p.motherTongue,
    maalform: p.maalform,
    protection: p.protection,
    ...over,
  };
}
