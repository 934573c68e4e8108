/**
 * Read audits while another connection holds the write lock, on real SQLite files with real second
 * connections (and worker threads where a whole thread must be blocked): the entry returns at once into
 * the pending journal, joins the chain in arrival order later, and a crash in the middle of a merge
 * neither loses nor duplicates an entry.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDb } from '../../db/open';
import { createCore, dataPaths } from '../app';
import { makeTestCore } from '../../test/util/core';
import { appendAudit, verifyAuditChain, type AuditInput } from './chain';
import { appendReadAudit, attachAuditSink, auditCommitted, auditSidecarFiles, detachAuditSink, flushPendingAudit, mergePendingAudit, pendingAuditCount } from './sink';

let dir: string;
let dbPath: string;
let anchorPath: string;
let pendingPath: string;
/** The connection under test (the core's main thread), with its sink. */
let a: OpenedDb;
/** Another connection to the same file: the long job holding the write lock. */
let b: OpenedDb;
const BUSY_MS = 600;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kansli-sink-'));
  dbPath = join(dir, 'kansli.sqlite');
  ({ anchorPath, pendingPath } = auditSidecarFiles(dbPath));
  a = openDatabase(dbPath);
  attachAuditSink(a.sqlite, { anchorPath, pendingPath });
  a.sqlite.pragma(`busy_timeout = ${BUSY_MS}`);
  b = openDatabase(dbPath);
});
afterEach(() => {
  if (b.sqlite.inTransaction) b.sqlite.exec('ROLLBACK');
  b.close();
  detachAuditSink(a.sqlite);
  a.close();
  rmSync(dir, { recursive: true, force: true });
});

function read(i: number, actor = 'u-clerk'): AuditInput {
  return {
    at: `2026-11-23T09:00:${String(i).padStart(2, '0')}.000Z`,
    actorId: actor,
    actorName: 'Clara Clerk',
    workstation: 'WS-1',
    method: 'person.get',
    action: 'read',
    outcome: 'ok',
    personIds: [`p${i}`],
    details: { i },
    reason: null,
  };
}

/** B starts a write transaction as a long import would, with an entry of its own. */
function lockWithB(): void {
  b.sqlite.exec('BEGIN IMMEDIATE');
  appendAudit(b.sqlite, { ...read(0, 'import'), method: 'import.run', action: 'write', personIds: [], details: { job: 'import' } });
}

function timed<T>(fn: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

interface LogRow {
  seq: number;
  at: string;
  actor_id: string;
  method: string;
  details: string;
}
const log = (db: Database.Database = a.sqlite) => db.prepare('SELECT seq, at, actor_id, method, details FROM audit_log ORDER BY seq').all() as LogRow[];
const queuedIds = () => log().map((r) => (JSON.parse(r.details) as { queued?: string }).queued).filter((q): q is string => q !== undefined);

/** The journal's rows as another process would see them. */
function journalRows(): { id: string; claimed_seq: number | null }[] {
  const j = new Database(pendingPath, { readonly: true });
  try {
    return j.prepare('SELECT id, claimed_seq FROM pending_audit ORDER BY arrival').all() as { id: string; claimed_seq: number | null }[];
  } finally {
    j.close();
  }
}

function expectIntact(entries: number): void {
  expect(verifyAuditChain(a.sqlite, { anchorFiles: [anchorPath] })).toMatchObject({ ok: true, entries, firstBroken: null, anchors: { problem: null } });
}

describe('appendReadAudit', () => {
  it('appends at once when the lock is free', () => {
    const r = appendReadAudit(a.sqlite, read(1));
    expect(r).toEqual({ seq: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(journalRows()).toEqual([]);
    // Committed and anchored.
    expect(readFileSync(anchorPath, 'utf8')).toMatch(/^1 [0-9a-f]{64} /);
  });

  it('while another connection holds the write lock: returns at once into the journal, joins the chain after it commits', () => {
    appendReadAudit(a.sqlite, read(1));
    lockWithB();

    // The control: an ordinary append waits out the whole busy_timeout and then fails.
    const control = timed(() => {
      try {
        a.sqlite.transaction(() => appendAudit(a.sqlite, read(99))).immediate();
        return 'appended';
      } catch (e) {
        return (e as { code?: string }).code;
      }
    });
    expect(control.value).toBe('SQLITE_BUSY');
    expect(control.ms).toBeGreaterThan(BUSY_MS * 0.9);

    const q1 = timed(() => appendReadAudit(a.sqlite, read(2)));
    const q2 = timed(() => appendReadAudit(a.sqlite, read(3)));
    for (const q of [q1, q2]) {
      expect(q.value).toEqual({ queued: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      expect(q.ms).toBeLessThan(BUSY_MS / 4);
    }
    // The connection's own timeout is back for everything else.
    expect(a.sqlite.pragma('busy_timeout', { simple: true })).toBe(BUSY_MS);
    const ids = [q1.value, q2.value].map((v) => (v as { queued: string }).queued);
    expect(journalRows()).toEqual(ids.map((id) => ({ id, claimed_seq: null })));
    expect(pendingAuditCount(a.sqlite)).toBe(2);
    expect(log()).toHaveLength(1);

    // While B still holds the lock a flush does not wait either.
    const busyFlush = timed(() => flushPendingAudit(a.sqlite));
    expect(busyFlush.value).toEqual({ merged: 0, pending: 2 });
    expect(busyFlush.ms).toBeLessThan(BUSY_MS / 4);

    b.sqlite.exec('COMMIT');
    expect(flushPendingAudit(a.sqlite)).toEqual({ merged: 2, pending: 0 });
    // B's entry first (it committed first), then the queued reads in arrival order with their own times.
    expect(log().map((r) => [r.seq, r.actor_id, r.at])).toEqual([
      [1, 'u-clerk', read(1).at],
      [2, 'import', read(0).at],
      [3, 'u-clerk', read(2).at],
      [4, 'u-clerk', read(3).at],
    ]);
    expect(queuedIds()).toEqual(ids);
    expect(journalRows()).toEqual([]);
    expectIntact(4);
  });

  it('the next successful append merges the pending entries first, in arrival order across connections', () => {
    const c = openDatabase(dbPath);
    attachAuditSink(c.sqlite, { anchorPath, pendingPath });
    try {
      lockWithB();
      const a1 = appendReadAudit(a.sqlite, read(1, 'a'));
      const c1 = appendReadAudit(c.sqlite, read(2, 'c'));
      const a2 = appendReadAudit(a.sqlite, read(3, 'a'));
      for (const r of [a1, c1, a2]) expect(r).toHaveProperty('queued');
      b.sqlite.exec('COMMIT');
      // C's next read finds the lock free: the three queued entries go in before it.
      expect(appendReadAudit(c.sqlite, read(4, 'c'))).toEqual({ seq: 5, hash: expect.any(String) });
      expect(log().map((r) => r.actor_id)).toEqual(['import', 'a', 'c', 'a', 'c']);
      expect(journalRows()).toEqual([]);
      // A write (appendAudit in its own transaction) merges first as well.
      lockWithB();
      appendReadAudit(a.sqlite, read(5, 'a'));
      b.sqlite.exec('COMMIT');
      a.sqlite.transaction(() => appendAudit(a.sqlite, { ...read(6, 'a'), method: 'person.update', action: 'write' }))();
      auditCommitted(a.sqlite);
      expect(log().slice(5).map((r) => [r.actor_id, r.method])).toEqual([
        ['import', 'import.run'],
        ['a', 'person.get'],
        ['a', 'person.update'],
      ]);
      expect(journalRows()).toEqual([]);
      expectIntact(8);
    } finally {
      detachAuditSink(c.sqlite);
      c.close();
    }
  });

  it('refuses to run inside a transaction (it commits on its own)', () => {
    expect(() => a.sqlite.transaction(() => appendReadAudit(a.sqlite, read(1)))()).toThrow(/after the read transaction/);
  });

  it('without a journal (an in-memory database) it simply appends', () => {
    const mem = openDatabase(':memory:');
    try {
      attachAuditSink(mem.sqlite, { anchorPath: null, pendingPath: null });
      expect(appendReadAudit(mem.sqlite, read(1))).toMatchObject({ seq: 1 });
      expect(flushPendingAudit(mem.sqlite)).toEqual({ merged: 0, pending: 0 });
      detachAuditSink(mem.sqlite);
    } finally {
      mem.close();
    }
  });
});

describe('a long transaction that appends in parts (an import logging its persons)', () => {
  function withC<T>(fn: (c: Database.Database) => T): T {
    const c = openDatabase(dbPath);
    attachAuditSink(c.sqlite, { anchorPath, pendingPath });
    try {
      return fn(c.sqlite);
    } finally {
      detachAuditSink(c.sqlite);
      c.close();
    }
  }
  const part = (i: number) => ({ ...read(i, 'import'), method: 'import.apply', action: 'import' as const });

  it('merges the reads queued meanwhile once each, reading only the rows queued since its last merge', () => {
    withC((c) => {
      a.sqlite.exec('BEGIN IMMEDIATE');
      appendAudit(a.sqlite, part(1));
      const first = (appendReadAudit(c, read(2, 'c')) as { queued: string }).queued;
      appendAudit(a.sqlite, part(3));
      // The merged row, as another process would leave it after a crash that lost its claim: re-read,
      // it would be merged a second time. The same transaction does not read it again.
      const j = new Database(pendingPath);
      j.prepare('UPDATE pending_audit SET claimed_seq = NULL WHERE id = ?').run(first);
      j.close();
      const second = (appendReadAudit(c, read(4, 'c')) as { queued: string }).queued;
      appendAudit(a.sqlite, part(5));
      a.sqlite.exec('COMMIT');
      auditCommitted(a.sqlite);
      expect(log().map((r) => [r.actor_id, r.method])).toEqual([
        ['import', 'import.apply'],
        ['c', 'person.get'],
        ['import', 'import.apply'],
        ['c', 'person.get'],
        ['import', 'import.apply'],
      ]);
      expect(queuedIds()).toEqual([first, second]);
      expect(journalRows()).toEqual([]);
      expectIntact(5);
    });
  });

  it('a part rolled back to its savepoint is merged again by the next part, exactly once', () => {
    withC((c) => {
      a.sqlite.exec('BEGIN IMMEDIATE');
      appendAudit(a.sqlite, part(1));
      const q = (appendReadAudit(c, read(2, 'c')) as { queued: string }).queued;
      a.sqlite.exec('SAVEPOINT part');
      appendAudit(a.sqlite, part(3));
      a.sqlite.exec('ROLLBACK TO part; RELEASE part');
      appendAudit(a.sqlite, part(4));
      a.sqlite.exec('COMMIT');
      auditCommitted(a.sqlite);
      expect(log().map((r) => [r.actor_id, JSON.parse(r.details) as unknown])).toEqual([
        ['import', { i: 1 }],
        ['c', { i: 2, queued: q }],
        ['import', { i: 4 }],
      ]);
      expect(journalRows()).toEqual([]);
      expectIntact(3);
    });
  });
});

describe('a merge interrupted by a crash', () => {
  function queueThree(): string[] {
    appendReadAudit(a.sqlite, read(1));
    lockWithB();
    const ids = [2, 3, 4].map((i) => (appendReadAudit(a.sqlite, read(i)) as { queued: string }).queued);
    b.sqlite.exec('COMMIT');
    return ids;
  }

  it('after the entries committed but before the journal rows were deleted: nothing is merged twice', async () => {
    const ids = queueThree();
    // Another thread merges and commits, then dies before step 4 (no cleanup of any kind).
    const code = await new Promise<number>((resolve, reject) => {
      const w = new Worker(new URL('../../test/util/audit-worker.mjs', import.meta.url), { workerData: { job: 'mergeThenCrash', dbPath, pendingPath } });
      w.once('exit', resolve);
      w.once('error', reject);
    });
    expect(code).toBe(0);
    // The crash left both: the entries in the chain and their rows, claimed, in the journal.
    expect(queuedIds()).toEqual(ids);
    expect(journalRows()).toEqual(ids.map((id, i) => ({ id, claimed_seq: 3 + i })));
    expect(pendingAuditCount(a.sqlite)).toBe(3);

    // Recovery: the next flush sees the claims honoured in the log and only deletes the rows.
    expect(flushPendingAudit(a.sqlite)).toEqual({ merged: 0, pending: 0 });
    expect(journalRows()).toEqual([]);
    appendReadAudit(a.sqlite, read(5));
    expect(queuedIds()).toEqual(ids);
    expect(log()).toHaveLength(6);
    expectIntact(6);
  });

  it('after the claims but before the entries committed: each entry is merged exactly once later', () => {
    const ids = queueThree();
    expect(() =>
      a.sqlite.transaction(() => {
        expect(mergePendingAudit(a.sqlite)).toBe(3);
        throw new Error('crash before commit');
      })(),
    ).toThrow('crash before commit');
    // The claims are in the journal (written first), the entries are not in the log.
    expect(journalRows().map((r) => r.claimed_seq)).toEqual([3, 4, 5]);
    expect(log()).toHaveLength(2);
    // Another entry takes seq 3 meanwhile (a connection that does not merge), so the old claim is stale.
    b.sqlite.transaction(() => appendAudit(b.sqlite, read(9, 'other')))();
    expect(flushPendingAudit(a.sqlite)).toEqual({ merged: 3, pending: 0 });
    expect(queuedIds()).toEqual(ids);
    expect(log().map((r) => r.actor_id)).toEqual(['u-clerk', 'import', 'other', 'u-clerk', 'u-clerk', 'u-clerk']);
    expect(journalRows()).toEqual([]);
    expectIntact(6);
  });

  it('a merge tried in an older snapshot cannot spoil the claim of a merge committed meanwhile', () => {
    const ids = queueThree();
    const c = openDatabase(dbPath);
    attachAuditSink(c.sqlite, { anchorPath, pendingPath });
    try {
      // A: a deferred transaction whose snapshot is taken now (2 entries).
      a.sqlite.exec('BEGIN');
      expect(log()).toHaveLength(2);
      // Meanwhile: another entry commits (seq 3), then C merges the three (seqs 4 to 6) and commits, but
      // its journal cleanup has not run yet.
      b.sqlite.transaction(() => appendAudit(b.sqlite, read(9, 'other')))();
      expect(c.sqlite.transaction(() => mergePendingAudit(c.sqlite)).immediate()).toBe(3);
      expect(journalRows().map((r) => r.claimed_seq)).toEqual([4, 5, 6]);
      // A merge in A's old snapshot would see seqs 4 to 6 empty and re-claim 3 to 5: it must stop first.
      expect(() => mergePendingAudit(a.sqlite)).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY_SNAPSHOT' }));
      a.sqlite.exec('ROLLBACK');
      expect(journalRows().map((r) => r.claimed_seq)).toEqual([4, 5, 6]);
      expect(flushPendingAudit(a.sqlite)).toEqual({ merged: 0, pending: 0 });
      expect(queuedIds()).toEqual(ids);
      expectIntact(6);
    } finally {
      detachAuditSink(c.sqlite);
      c.close();
    }
  });

  it('the core merges what an earlier run left pending when it starts', () => {
    const ids = queueThree();
    detachAuditSink(a.sqlite);
    a.close();
    // The pending rows survive the connection; a new core on the same files picks them up.
    const core = createCore({ dbPath: dataPaths(dir).dbPath, logDir: null });
    try {
      expect(log(core.db.sqlite).map((r) => (JSON.parse(r.details) as { queued?: string }).queued).filter(Boolean)).toEqual(ids);
    } finally {
      core.close();
    }
    expect(journalRows()).toEqual([]);
    a = openDatabase(dbPath);
    attachAuditSink(a.sqlite, { anchorPath, pendingPath });
    expectIntact(5);
  });
});

describe('through the core, with a worker thread holding the write lock', () => {
  it('person cards are served and audited without waiting; the audit screen says what is pending, then merges it', async () => {
    const core = makeTestCore({ persons: 20 });
    try {
      const ids = core.ok('person.list', { offset: 0, limit: 5 }).items.map((p) => p.id);
      const before = core.ok('audit.verify', {});
      expect(before).toMatchObject({ ok: true, anchors: { problem: null } });
      expect(before).not.toHaveProperty('pending');

      const worker = new Worker(new URL('../../test/util/audit-worker.mjs', import.meta.url), {
        workerData: { job: 'hold', dbPath: dataPaths(core.dir).dbPath, ms: 2500 },
      });
      const done = new Promise<void>((resolve, reject) => {
        worker.on('message', (m: { committed?: boolean }) => m.committed && resolve());
        worker.once('error', reject);
      });
      await new Promise<void>((resolve) => worker.once('message', () => resolve()));

      // The lock is held by the worker now: each call would wait 5 s for it without the journal.
      const started = performance.now();
      for (const id of ids) {
        const r = timed(() => core.call('person.get', { id }));
        expect(r.value.ok).toBe(true);
        expect(r.ms).toBeLessThan(1000);
      }
      const q = timed(() => core.ok('audit.query', { limit: 5 }));
      expect(q.ms).toBeLessThan(1000);
      expect(q.value.pending).toBe(ids.length);
      // Still within the worker's hold, so all of this happened while it was locked.
      expect(performance.now() - started).toBeLessThan(2500);

      await done;
      const after = core.ok('audit.verify', {});
      expect(after).toMatchObject({ ok: true, anchors: { problem: null } });
      expect(after).not.toHaveProperty('pending');
      const tail = log(core.db.sqlite).slice(-(ids.length + 2));
      // The worker's entry committed first; the queued reads follow in order; the audit.query came last.
      expect(tail.map((r) => r.method)).toEqual(['import.run', ...ids.map(() => 'person.get'), 'audit.query']);
      expect(tail.slice(1).every((r) => 'queued' in (JSON.parse(r.details) as object))).toBe(true);
    } finally {
      core.dispose();
    }
  });
});
