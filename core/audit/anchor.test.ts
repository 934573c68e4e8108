/**
 * Anchors on real SQLite files: the anchor file written after each commit, the head at the end of every
 * export, and what verifyAuditChain finds with them that the chain alone cannot (a shortened log with a
 * rewritten head, an emptied log, a rewritten history). Each tampering test first shows that the chain by
 * itself still verifies, so it is the anchor that catches it.
 */
import type Database from 'better-sqlite3';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDb } from '../../db/open';
import { contract } from '../../shared/api/contract';
import { appendAudit, canonicalJson, entryHash, verifyAuditChain, type AuditInput } from './chain';
import { exportAuditCsv } from './query';
import { anchorSource, checkAnchors } from './anchor';
import { attachAuditSink, auditCommitted, auditSidecarFiles, auditSidecarPaths, detachAuditSink } from './sink';

let dir: string;
let opened: OpenedDb;
let sqlite: Database.Database;
let anchorPath: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kansli-anchor-'));
  const dbPath = join(dir, 'kansli.sqlite');
  anchorPath = auditSidecarFiles(dbPath).anchorPath;
  opened = openDatabase(dbPath);
  sqlite = opened.sqlite;
  attachAuditSink(sqlite, { anchorPath, pendingPath: null });
});
afterEach(() => {
  detachAuditSink(sqlite);
  opened.close();
  rmSync(dir, { recursive: true, force: true });
});

const N = 30;
const MIDDLE = 12;

function entry(i: number): AuditInput {
  return {
    at: `2026-11-23T10:${String(i % 60).padStart(2, '0')}:00.000Z`,
    actorId: `u${i % 3}`,
    actorName: ['Anna Åberg', 'Bo Ek', 'Øystein Lie'][i % 3]!,
    workstation: 'WS-1',
    method: 'person.get',
    action: 'read',
    outcome: 'ok',
    personIds: i % 4 === 0 ? [] : [`p${i % 7}`],
    details: { i },
    reason: null,
  };
}

/** `n` entries, each in its own committed transaction followed by the post-commit hook, as the dispatcher does. */
function appendCommitted(n: number, db: Database.Database = sqlite): void {
  const first = lastSeq(db) + 1;
  for (let i = first; i < first + n; i++) {
    db.transaction(() => appendAudit(db, entry(i)))();
    auditCommitted(db);
  }
}

const lastSeq = (db: Database.Database = sqlite) => (db.prepare('SELECT max(seq) AS m FROM audit_log').get() as { m: number | null }).m ?? 0;
const hashOf = (seq: number) => (sqlite.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(seq) as { hash: string }).hash;
const anchorLines = () => (existsSync(anchorPath) ? readFileSync(anchorPath, 'utf8').split('\n').filter(Boolean) : []);
const verify = (files: string[] = [anchorPath]) => {
  const r = verifyAuditChain(sqlite, { anchorFiles: files });
  expect(contract['audit.verify'].output.parse(r)).toEqual(r);
  return r;
};

function dropTriggers(db: Database.Database = sqlite): void {
  db.exec(`DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete; DROP TRIGGER IF EXISTS audit_person_no_update; DROP TRIGGER IF EXISTS audit_person_no_delete;`);
}

/** What a forger with the file does to hide the last entries: delete them and point the head at the new end. */
function truncateTo(seq: number): void {
  dropTriggers();
  sqlite.prepare('DELETE FROM audit_person WHERE seq > ?').run(seq);
  sqlite.prepare('DELETE FROM audit_log WHERE seq > ?').run(seq);
  sqlite.prepare(`UPDATE app_meta SET value = ? WHERE key = 'audit.head'`).run(`${seq}:${hashOf(seq)}`);
  // And the person index's mark, which would otherwise name a deleted entry.
  sqlite.prepare(`UPDATE app_meta SET value = min(CAST(value AS INTEGER), ?) WHERE key = 'audit.person_index'`).run(seq);
}

interface Row {
  seq: number;
  at: string;
  actor_id: string;
  actor_name: string;
  workstation: string;
  method: string;
  action: string;
  outcome: string;
  person_ids: string;
  details: string;
  reason: string | null;
}

/** Rewrites entry `from` and recomputes every later hash and the head: a chain consistent in itself. */
function rewriteFrom(from: number, change: Partial<AuditInput>): void {
  dropTriggers();
  let prevHash = hashOf(from - 1);
  const rows = sqlite.prepare('SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq').all(from) as Row[];
  const update = sqlite.prepare('UPDATE audit_log SET actor_name = ?, details = ?, prev_hash = ?, hash = ? WHERE seq = ?');
  for (const r of rows) {
    const e: AuditInput = {
      at: r.at,
      actorId: r.actor_id,
      actorName: r.actor_name,
      workstation: r.workstation,
      method: r.method,
      action: r.action,
      outcome: r.outcome,
      personIds: JSON.parse(r.person_ids) as string[],
      details: JSON.parse(r.details) as Record<string, unknown>,
      reason: r.reason,
      ...(r.seq === from ? change : {}),
    };
    const hash = entryHash(r.seq, { ...e, prevHash });
    update.run(e.actorName, canonicalJson(e.details), prevHash, hash, r.seq);
    prevHash = hash;
  }
  sqlite.prepare(`UPDATE app_meta SET value = ? WHERE key = 'audit.head'`).run(`${lastSeq()}:${prevHash}`);
}

describe('the anchor file', () => {
  it('gets one line per committed transaction, naming the last entry it committed', () => {
    appendCommitted(3);
    // Several entries in one transaction: one line, for the last of them.
    sqlite.transaction(() => {
      appendAudit(sqlite, entry(4));
      appendAudit(sqlite, entry(5));
    })();
    auditCommitted(sqlite);
    const lines = anchorLines();
    expect(lines).toHaveLength(4);
    expect(lines.map((l) => l.split(' ').slice(0, 2))).toEqual([1, 2, 3, 5].map((s) => [String(s), hashOf(s)]));
    for (const l of lines) expect(l).toMatch(/^\d+ [0-9a-f]{64} \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // Nothing new committed: nothing written.
    auditCommitted(sqlite);
    expect(anchorLines()).toHaveLength(4);
    expect(verify()).toMatchObject({ ok: true, entries: 5, anchors: { checked: 4, lastAnchoredSeq: 5, problem: null } });
  });

  it('a rolled-back transaction leaves no anchor, and nothing is anchored from inside a transaction', () => {
    appendCommitted(3);
    expect(() =>
      sqlite.transaction(() => {
        appendAudit(sqlite, entry(4));
        // Inside the transaction the hook would see the uncommitted entry 4: it must do nothing.
        auditCommitted(sqlite);
        throw new Error('the action failed');
      })(),
    ).toThrow('the action failed');
    auditCommitted(sqlite);
    expect(anchorLines().map((l) => l.split(' ')[0])).toEqual(['1', '2', '3']);
    expect(verify().ok).toBe(true);
    // The next committed entry takes seq 4 and is anchored with its own hash: no false alarm.
    appendCommitted(1);
    expect(anchorLines().at(-1)!.split(' ').slice(0, 2)).toEqual(['4', hashOf(4)]);
    expect(verify()).toMatchObject({ ok: true, entries: 4, anchors: { checked: 4, problem: null } });
  });

  it('an in-memory database has no anchor file', () => {
    const mem = openDatabase(':memory:');
    try {
      attachAuditSink(mem.sqlite, auditSidecarPaths(':memory:'));
      appendCommitted(2, mem.sqlite);
      expect(verifyAuditChain(mem.sqlite).anchors).toEqual({ checked: 0, lastAnchoredSeq: null, problem: null });
      detachAuditSink(mem.sqlite);
    } finally {
      mem.close();
    }
  });
});

describe('verify with anchors', () => {
  beforeEach(() => appendCommitted(N));

  it('an untouched log matches every anchor', () => {
    expect(verify()).toEqual({ ok: true, entries: N, firstBroken: null, anchors: { checked: N, lastAnchoredSeq: N, problem: null } });
  });

  it('truncating the tail and rewriting the head: detected as truncation', () => {
    truncateTo(N - 3);
    // The chain alone is fooled (the head matches the new end)...
    expect(verifyAuditChain(sqlite).ok).toBe(true);
    // ...the anchors are not.
    const r = verify();
    expect(r.ok).toBe(false);
    expect(r.anchors.problem).toMatchObject({ kind: 'truncation', seq: N - 2 });
    expect(r.firstBroken).toEqual({ seq: N - 2, problem: r.anchors.problem!.message });
    expect(r.firstBroken!.problem).toMatch(new RegExp(`^Entries ${N - 2} to ${N} are missing: the log ends at entry ${N - 3}, but kansli\\.audit-anchor line ${N} .* names entry ${N} \\(the tail was deleted\\)$`));
    expect(r.anchors).toMatchObject({ checked: N, lastAnchoredSeq: N });
  });

  it('wiping the whole log and its head: detected as a wipe', () => {
    dropTriggers();
    sqlite.exec(`DELETE FROM audit_person; DELETE FROM audit_log; DELETE FROM app_meta WHERE key IN ('audit.head', 'audit.person_index')`);
    expect(verifyAuditChain(sqlite)).toMatchObject({ ok: true, entries: 0 });
    const r = verify();
    expect(r).toMatchObject({ ok: false, entries: 0, anchors: { problem: { kind: 'wipe', seq: 1 } } });
    expect(r.firstBroken?.problem).toMatch(new RegExp(`^The log is empty, but .* names entry ${N}: the log was wiped$`));
  });

  it('rewriting a middle entry with every later hash and the head: detected as a rewrite at that entry', () => {
    rewriteFrom(MIDDLE, { actorName: 'Someone Else' });
    expect(verifyAuditChain(sqlite).ok).toBe(true);
    const r = verify();
    expect(r.ok).toBe(false);
    expect(r.anchors.problem).toMatchObject({ kind: 'rewrite', seq: MIDDLE });
    expect(r.firstBroken?.seq).toBe(MIDDLE);
    expect(r.firstBroken?.problem).toMatch(new RegExp(`after entry ${MIDDLE - 1}, the last anchored entry that still matches, and at or before entry ${MIDDLE}$`));
  });

  it('anchors taken only now and then still bound a rewrite: it is reported at the first anchor after it', () => {
    // Keep every fifth line only, as if the other commits' anchor lines had been lost.
    const kept = anchorLines().filter((l) => Number(l.split(' ')[0]) % 5 === 0);
    writeFileSync(anchorPath, kept.map((l) => `${l}\n`).join(''));
    rewriteFrom(MIDDLE, { details: { i: -1 } });
    const r = verify();
    expect(r.anchors.problem).toMatchObject({ kind: 'rewrite', seq: 15 });
    expect(r.firstBroken?.problem).toMatch(/after entry 10, the last anchored entry that still matches, and at or before entry 15$/);
  });

  it('the chain\u2019s own finding comes first when it is at a lower seq than the anchor\u2019s', () => {
    dropTriggers();
    sqlite.prepare(`UPDATE audit_log SET actor_name = 'x' WHERE seq = 5`).run();
    truncateTo(N - 1);
    const r = verify();
    expect(r.firstBroken).toMatchObject({ seq: 5, problem: expect.stringMatching(/Entry 5 was altered/) });
    expect(r.anchors.problem).toMatchObject({ kind: 'truncation', seq: N });
  });

  it('an unreadable line is reported; NUL runs (a power failure) and an unfinished last line are not', () => {
    appendFileSync(anchorPath, '\0\0\0\0\n');
    appendFileSync(anchorPath, `${N} ${hashOf(N)} 2026-11-23T12:00:00.000Z`); // no newline yet: being written
    expect(verify()).toMatchObject({ ok: true, anchors: { checked: N, problem: null } });
    appendFileSync(anchorPath, '\nnot an anchor\n');
    const r = verify();
    expect(r.ok).toBe(false);
    expect(r.firstBroken).toBeNull();
    expect(r.anchors.problem).toEqual({ kind: 'unreadable', seq: null, message: expect.stringMatching(/^kansli\.audit-anchor line \d+ is not an anchor: "not an anchor"$/) });
  });

  it('a missing anchor file is skipped (a new installation has none yet)', () => {
    rmSync(anchorPath);
    expect(verify()).toEqual({ ok: true, entries: N, firstBroken: null, anchors: { checked: 0, lastAnchoredSeq: null, problem: null } });
  });

  it('reads an anchor file only as far as it was when the source was fixed', () => {
    // Another connection may anchor an entry newer than the verifier's snapshot while it runs: simulated
    // by a line for an entry that is not in the log, appended after the source was taken.
    const src = anchorSource(anchorPath)!;
    appendFileSync(anchorPath, `${N + 1} ${'e'.repeat(64)} 2026-11-23T12:00:00.000Z\n`);
    const inSnapshot = (s: typeof src) => sqlite.transaction(() => checkAnchors(sqlite, [s]))();
    expect(inSnapshot(src)).toEqual({ checked: N, lastAnchoredSeq: N, problem: null });
    expect(inSnapshot(anchorSource(anchorPath)!).problem).toMatchObject({ kind: 'truncation', seq: N + 1 });
  });
});

describe('an export is an anchor', () => {
  beforeEach(() => appendCommitted(N));
  const OPTS = { today: '2026-11-23', demo: false, now: '2026-11-23T13:00:00.000Z' };

  function exportTo(file: string, filter = {}): string {
    const r = exportAuditCsv(sqlite, filter, OPTS);
    writeFileSync(file, r.csv, 'utf8');
    return file;
  }

  it('its head line names the last entry, and a log that only grew since verifies against it', () => {
    const csv = exportTo(join(dir, 'export.csv'), { action: 'write' });
    const last = readFileSync(csv, 'utf8').trimEnd().split('\r\n').at(-1);
    expect(last).toBe(`#audit-head,seq=${N},hash=${hashOf(N)},exported=${OPTS.now},,,,,,,,,`);
    appendCommitted(5);
    expect(verify([csv])).toEqual({ ok: true, entries: N + 5, firstBroken: null, anchors: { checked: 1, lastAnchoredSeq: N, problem: null } });
  });

  it('catches a truncation with a rewritten head even when the anchor file was deleted too', () => {
    const csv = exportTo(join(dir, 'export.csv'));
    truncateTo(N - 1);
    rmSync(anchorPath);
    expect(verify([anchorPath]).ok).toBe(true);
    const r = verify([anchorPath, csv]);
    expect(r.anchors.problem).toMatchObject({ kind: 'truncation', seq: N });
    expect(r.firstBroken?.problem).toMatch(/but the export export\.csv \(anchored 2026-11-23T13:00:00\.000Z\) names entry 30/);
  });

  it('catches a rewrite and a wipe', () => {
    const csv = exportTo(join(dir, 'export.csv'));
    rewriteFrom(MIDDLE, { actorName: 'x' });
    expect(verify([csv]).anchors.problem).toMatchObject({ kind: 'rewrite', seq: N });
    dropTriggers();
    sqlite.exec(`DELETE FROM audit_person; DELETE FROM audit_log; DELETE FROM app_meta WHERE key IN ('audit.head', 'audit.person_index')`);
    expect(verify([csv]).anchors.problem).toMatchObject({ kind: 'wipe', seq: 1 });
  });

  it('only the final line counts: a head line typed into a reason is not an anchor, and a cut-short export is unreadable', () => {
    sqlite.transaction(() => appendAudit(sqlite, { ...entry(N + 1), reason: `x\n#audit-head,seq=999,hash=${'f'.repeat(64)},exported=2026-01-01T00:00:00.000Z,,,,,,,,,\ny` }))();
    const csv = exportTo(join(dir, 'export.csv'));
    expect(verify([csv])).toMatchObject({ ok: true, anchors: { checked: 1, lastAnchoredSeq: N + 1 } });
    const text = readFileSync(csv, 'utf8');
    writeFileSync(csv, text.slice(0, text.lastIndexOf('#audit-head')));
    expect(verify([csv]).anchors.problem).toMatchObject({ kind: 'unreadable', seq: null, message: expect.stringMatching(/no #audit-head line at the end/) });
  });
});

describe('anchors written by several connections at once', () => {
  it('two connections in one thread, alternating: every line whole and true', () => {
    const other = openDatabase(join(dir, 'kansli.sqlite'));
    attachAuditSink(other.sqlite, { anchorPath, pendingPath: null });
    try {
      for (let i = 0; i < 40; i++) appendCommitted(1, i % 2 ? sqlite : other.sqlite);
    } finally {
      detachAuditSink(other.sqlite);
      other.close();
    }
    const lines = anchorLines();
    for (const l of lines) {
      const [seq, hash] = l.split(' ');
      expect(hash).toBe(hashOf(Number(seq)));
    }
    expect(new Set(lines.map((l) => l.split(' ')[0])).size).toBe(40);
    expect(verify()).toMatchObject({ ok: true, entries: 40, anchors: { problem: null, lastAnchoredSeq: 40 } });
  });

  it('two worker threads, each with its own connection, appending concurrently: no torn or lost line', async () => {
    const PER_WORKER = 1000;
    const start = new Int32Array(new SharedArrayBuffer(4));
    // Each worker waits when it is 50 entries ahead of the other (test/util/audit-worker-jobs.ts): under CI
    // load one thread once ran all its commits before the other began (1 switch).
    const progress = new Int32Array(new SharedArrayBuffer(8));
    const run = () =>
      new Promise<number>((resolve, reject) => {
        const w = new Worker(new URL('../../test/util/audit-worker.mjs', import.meta.url), {
          workerData: { job: 'append', dbPath: join(dir, 'kansli.sqlite'), anchorPath, n: PER_WORKER, start, parties: 2, progress },
        });
        w.once('message', (m: { appended: number }) => resolve(m.appended));
        w.once('error', reject);
      });
    const counts = await Promise.all([run(), run()]);
    expect(counts).toEqual([PER_WORKER, PER_WORKER]);
    // They did run at the same time: the log alternates between them rather than holding one block after
    // the other (in streaks: SQLite's busy handler sleeps, so the thread that just committed often wins again).
    const actors = (sqlite.prepare('SELECT actor_id AS a FROM audit_log ORDER BY seq').all() as { a: string }[]).map((r) => r.a);
    const switches = actors.filter((a, i) => i > 0 && a !== actors[i - 1]).length;
    expect(switches).toBeGreaterThanOrEqual(3);
    const text = readFileSync(anchorPath, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.split('\n').filter(Boolean);
    // Each commit is followed by one line from its own connection (see auditCommitted), naming the last
    // committed entry: when the other thread commits in between, both name that one (a line for the same
    // entry twice, none for the earlier). So about one line per commit, none torn, and the last is the head.
    // Detaching anchors once more (detachAuditSink → auditCommitted): a thread that finished first may add
    // one line for the other's later commits, hence up to one extra line per connection.
    expect(lines.length).toBeGreaterThanOrEqual(PER_WORKER);
    expect(lines.length).toBeLessThanOrEqual(2 * PER_WORKER + 2);
    expect(Math.max(...lines.map((l) => Number(l.split(' ')[0])))).toBe(2 * PER_WORKER);
    for (const l of lines) {
      const m = /^(\d+) ([0-9a-f]{64}) \S+$/.exec(l);
      expect(m, l).not.toBeNull();
      expect(m![2]).toBe(hashOf(Number(m![1])));
    }
    expect(verify()).toMatchObject({ ok: true, entries: 2 * PER_WORKER, anchors: { checked: lines.length, lastAnchoredSeq: 2 * PER_WORKER, problem: null } });
  });
});
