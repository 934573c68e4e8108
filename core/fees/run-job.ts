/**
 * The fee run's two jobs (run.ts): the preview, which computes and stores the month's lines, and the lock,
 * which computes again in its one transaction, checks that the result is the one previewed, and writes the
 * run as records. Both run off the core's request loop with progress; a cancel leaves nothing behind.
 */
import { ruleViolation } from '../../shared/api/errors';
import type { JobKind } from '../jobs/types';
import { insertRecord, insertRecordsFrom, writer } from '../write/records';
import { computeRun, currencyOf, previewRow, requireNoLockedRegular, storePreview, writeChargeExplanations, type RunComputation } from './run';
import { feeConfig } from './facts';
import { configHash } from './month';

export const feePreviewJob: JobKind<{ runId: string }> = {
  permission: 'fee.write',
  method: 'fee.runStart',
  async run(job, input) {
    const { ctx } = job;
    const p = previewRow(ctx, input.runId);
    // Computed in a read transaction: one consistent snapshot, and clerks' saves go on meanwhile (WAL).
    const c = ctx.sqlite.transaction(() => {
      requireNoLockedRegular(ctx, p.month, p.kind);
      return computeRun(ctx, p.month, p.kind, (phase, done, total) => {
        job.throwIfCancelled();
        job.progress(phase, done, total);
      });
    })();
    const out = job.tx(() => {
      requireNoLockedRegular(ctx, p.month, p.kind);
      job.progress('store', 0, c.lines.length);
      storePreview(ctx, p.id, c);
      job.progress('store', c.lines.length, c.lines.length);
      // The computation shows nothing to anyone; who later reads the lines is audited by fee.runLines.
      job.audit.action = 'read';
      job.audit.detail('run', p.id).detail('month', p.month).detail('kind', p.kind).detail('lines', c.lines.length).detail('total', c.summary.total);
      return { lines: c.lines.length, total: c.summary.total, warnings: c.warnings.length, corrections: c.summary.corrections.lines };
    });
    return out;
  },
};

export const feeLockJob: JobKind<{ runId: string }> = {
  permission: 'fee.write',
  method: 'fee.runLock',
  async run(job, input) {
    const { ctx } = job;
    const p = previewRow(ctx, input.runId);
    const compute = () =>
      computeRun(ctx, p.month, p.kind, (phase, done, total) => {
        job.throwIfCancelled();
        job.progress(phase, done, total);
      });
    const lastChange = () => ctx.sqlite.prepare('SELECT coalesce(max(seq), 0) FROM change_log').pluck().get() as number;
    const stale = (c: RunComputation) => {
      if (c.linesHash !== p.lines_hash || c.configHash !== p.config_hash) {
        throw ruleViolation('fee_preview_stale', 'fee_preview_stale: the register, incomes or rules changed since this preview was computed; compute the preview again before locking', 'id');
      }
    };
    // Computed in a read snapshot (saves go on meanwhile); the write transaction recomputes only when a
    // record or the rules changed after that snapshot, so the write lock is held for the writes alone.
    const snap = ctx.sqlite.transaction(() => ({ seq: lastChange(), c: compute() }))();
    stale(snap.c);
    return job.tx(() => {
      requireNoLockedRegular(ctx, p.month, p.kind);
      const cfg = feeConfig(ctx);
      const c = lastChange() === snap.seq && configHash(cfg) === snap.c.configHash ? snap.c : compute();
      stale(c);
      job.progress('write', 0, c.lines.length);
      // The charges' explanations, computed here from the register the lines were checked against.
      writeChargeExplanations(ctx, p.id, c);
      const w = writer(ctx, job.actor);
      const now = ctx.clock.now();
      insertRecord(
        w,
        'fee_run',
        {
          month: p.month,
          kind: p.kind,
          state: 'locked',
          currency: currencyOf(ctx),
          line_count: c.lines.length,
          total: c.summary.total,
          summary: JSON.stringify(c.summary),
          config_hash: c.configHash,
          lines_hash: c.linesHash,
          locked_at: now,
          locked_by: job.actor.id,
          posted_at: null,
          posted_by: null,
        },
        { id: p.id },
      );
      insertRecordsFrom(
        w,
        'fee_line',
        ['run_id', 'month', 'kind', 'corrects_line_id', 'child_id', 'placement_id', 'household_id', 'unit_id', 'school_form', 'recipient_id', 'share_bp', 'amount', 'explanation'],
        `SELECT id, preview_id, month, kind, corrects_line_id, child_id, placement_id, household_id, unit_id, school_form, recipient_id, share_bp, amount, explanation
         FROM fee_preview_line WHERE preview_id = ? ORDER BY n`,
        [p.id],
      );
      ctx.sqlite.prepare(`UPDATE fee_preview SET state = 'locked' WHERE id = ?`).run(p.id);
      const persons = new Set<string>();
      for (const l of c.lines) {
        persons.add(l.childId);
        if (l.recipientId) persons.add(l.recipientId);
      }
      job.audit.persons([...persons]).detail('run', p.id).detail('month', p.month).detail('kind', p.kind).detail('lines', c.lines.length).detail('total', c.summary.total);
      return { lines: c.lines.length, total: c.summary.total };
    });
  },
};
