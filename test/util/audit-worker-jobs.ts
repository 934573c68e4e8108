/** Jobs for test/util/audit-worker.mjs: what a worker thread with its own connection does to the audit log. */
import { threadId } from 'node:worker_threads';
import { openDatabase } from '../../db/open';
import { appendAudit } from '../../core/audit/chain';
import { attachAuditSink, auditCommitted, detachAuditSink, mergePendingAudit } from '../../core/audit/sink';

export type AuditJob =
  /**
   * Appends `n` entries, each in its own IMMEDIATE transaction followed by the post-commit hook. With
   * `start` (an Int32Array over shared memory), waits until `parties` workers have arrived, so that they
   * really append at the same time rather than one after the other.
   */
  | {
      job: 'append';
      dbPath: string;
      anchorPath: string | null;
      n: number;
      start?: Int32Array;
      parties?: number;
      /**
       * One slot per party: the entries each has appended. With it, a worker that is `STEP` entries ahead of
       * another waits for it (at most 5 s), so the two really interleave even when the machine is loaded
       * and the scheduler would otherwise run one thread's thousand commits before the other's (CI).
       */
      progress?: Int32Array;
    }
  /** Holds the write lock for `ms` (like an import), appending one entry in it, then commits. */
  | { job: 'hold'; dbPath: string; ms: number }
  /**
   * Merges the pending journal and commits, then dies before deleting the merged rows from the journal
   * (the crash the merge protocol must survive): the thread exits with no cleanup at all.
   */
  | { job: 'mergeThenCrash'; dbPath: string; pendingPath: string };

export function runAuditJob(d: AuditJob, post: (m: unknown) => void): unknown {
  const opened = openDatabase(d.dbPath);
  const sqlite = opened.sqlite;
  try {
    if (d.job === 'append') {
      attachAuditSink(sqlite, { anchorPath: d.anchorPath, pendingPath: null });
      let me = 0;
      if (d.start && d.parties) {
        me = Atomics.add(d.start, 0, 1);
        Atomics.notify(d.start, 0);
        for (let seen = Atomics.load(d.start, 0); seen < d.parties; seen = Atomics.load(d.start, 0)) Atomics.wait(d.start, 0, seen, 10_000);
      }
      const append = sqlite.transaction((i: number) =>
        appendAudit(sqlite, {
          at: new Date().toISOString(),
          actorId: `worker-${threadId}`,
          actorName: 'Worker',
          workstation: 'test',
          method: 'person.get',
          action: 'read',
          outcome: 'ok',
          personIds: [],
          details: { i },
          reason: null,
        }),
      );
      const STEP = 50;
      const nap = new Int32Array(new SharedArrayBuffer(4));
      for (let i = 0; i < d.n; i++) {
        append.immediate(i);
        auditCommitted(sqlite);
        if (!d.progress) continue;
        Atomics.store(d.progress, me, i + 1);
        if ((i + 1) % STEP !== 0) continue;
        const behind = () => Array.from({ length: d.progress!.length }, (_, k) => Atomics.load(d.progress!, k)).some((p, k) => k !== me && p < d.n && p < i + 1 - STEP);
        for (let waited = 0; behind() && waited < 5_000; waited++) Atomics.wait(nap, 0, 0, 1);
      }
      detachAuditSink(sqlite);
      return { appended: d.n };
    }
    if (d.job === 'mergeThenCrash') {
      attachAuditSink(sqlite, { anchorPath: null, pendingPath: d.pendingPath });
      const merged = sqlite.transaction(() => mergePendingAudit(sqlite)).immediate();
      post({ merged });
      process.exit(0);
    }
    sqlite
      .transaction(() => {
        appendAudit(sqlite, {
          at: new Date().toISOString(),
          actorId: 'import',
          actorName: 'Population register import',
          workstation: 'worker',
          method: 'import.run',
          action: 'write',
          outcome: 'ok',
          personIds: [],
          details: { job: 'import' },
          reason: null,
        });
        post({ locked: true });
        // Blocks this thread only, as a long synchronous import would.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, d.ms);
      })
      .immediate();
    return { committed: true };
  } finally {
    opened.close();
  }
}
