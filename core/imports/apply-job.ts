/**
 * Applying an import as a job: every change of the dry run, through the one write path, in ONE
 * transaction (all of it or nothing: a cancel, a failure or a killed process leaves the register as it
 * was), the work list's new items, the file's place in the register's sequence, and the run's state.
 *
 * The checks that decided the dry run are made again inside the transaction: the file must still follow
 * the last applied one (another import may have been applied meanwhile).
 */
import { DomainError, ruleViolation } from '../../shared/api/errors';
import { appendAudit } from '../audit/chain';
import type { JobKind } from '../jobs/types';
import { recomputeAllShielding, refreshShielding } from '../register/shielding';
import { insertRecord, writer } from '../write/records';
import { Applier, type StagedRow } from './apply';
import { checkFileOrder, type FileOrdering, type PopulationFileHeader } from './model';
import { dataDirOf, runRow } from './runs';
import { removeStaging, Staging, stagingPath } from './staging';

/** Persons per audit entry of an apply: a 500 000-person load is logged in parts, not as one 20 MB entry. */
const AUDIT_CHUNK = 5000;
/** Above this many persons whose links changed, recomputing every flag set-based is faster than per person. */
const BULK_SHIELDING = 20_000;

export const importApplyJob: JobKind<{ runId: string }> = {
  permission: 'register.import',
  method: 'import.apply',
  async run(job, input) {
    const { ctx } = job;
    const path = stagingPath(dataDirOf(ctx), input.runId);
    const staging = new Staging(path, 'read');
    const total = staging.db.prepare('SELECT count(*) FROM change').pluck().get() as number;
    job.progress('apply', 0, total);
    let done = 0;
    let workItems = 0;
    let persons = 0;
    try {
      job.tx(() => {
        const run = runRow(ctx.sqlite, input.runId);
        if (run.state !== 'ready' && run.state !== 'applying') throw ruleViolation('import_state', `import_state: this import is ${run.state}, not ready to apply`, 'id');
        if (run.blocked_code) throw ruleViolation('import_out_of_order', `import_out_of_order: ${run.blocked_message}`, 'id');
        const ordering = run.ordering ? (JSON.parse(run.ordering) as FileOrdering) : null;
        if (run.format !== 'csv' && run.stream) {
          const last = ctx.sqlite.prepare('SELECT ordering FROM import_stream WHERE stream = ?').pluck().get(run.stream) as string | undefined;
          const header = { kind: run.kind, ordering } as PopulationFileHeader;
          const check = checkFileOrder(last ? (JSON.parse(last) as FileOrdering) : null, header);
          if (!check.ok) throw ruleViolation('import_out_of_order', `import_out_of_order: ${check.message}`, 'id');
        }
        const w = writer(ctx, job.actor, null);
        const applier = new Applier(w, { today: ctx.clock.today(), source: run.format, country: (ctx.sqlite.prepare('SELECT country FROM municipality LIMIT 1').pluck().get() as 'SE' | 'NO') ?? 'SE' });
        const written = new Set<string>();
        for (const row of staging.db.prepare('SELECT seq, kind, person_id, identity, line, payload FROM change ORDER BY ord, seq').iterate() as IterableIterator<StagedRow>) {
          for (const id of applier.apply(row)) written.add(id);
          if (++done % 200 === 0) {
            job.throwIfCancelled();
            job.progress('apply', done, total);
          }
        }
        job.progress('apply', done, total);
        if (applier.touched.size > BULK_SHIELDING) recomputeAllShielding(ctx.sqlite);
        else if (applier.touched.size) refreshShielding(ctx, [...applier.touched]);
        for (const item of applier.work) {
          insertRecord(w, 'work_item', {
            kind: item.kind,
            state: 'open',
            person_id: item.personId,
            import_id: input.runId,
            event_date: item.eventDate,
            detail: JSON.stringify(item.detail),
            proposed_end: item.proposedEnd,
          });
        }
        workItems = applier.work.length;
        if (run.stream && ordering) {
          ctx.sqlite
            .prepare(
              `INSERT INTO import_stream (stream, format, ordering, run_id, applied_at) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (stream) DO UPDATE SET ordering = excluded.ordering, run_id = excluded.run_id, applied_at = excluded.applied_at`,
            )
            .run(run.stream, run.format, JSON.stringify(ordering), input.runId, ctx.clock.now());
        }
        ctx.sqlite.prepare(`UPDATE import_run SET state = 'applied', applied_at = ? WHERE id = ?`).run(ctx.clock.now(), input.runId);
        // Whose data the apply wrote, in parts; the job's own entry (written by job.tx) carries the summary.
        const ids = [...written];
        persons = ids.length;
        for (let i = 0; i < ids.length; i += AUDIT_CHUNK) {
          appendAudit(ctx.sqlite, {
            at: ctx.clock.now(),
            actorId: job.actor.id,
            actorName: job.actor.name,
            workstation: job.workstation,
            method: 'import.apply',
            action: 'import',
            outcome: 'ok',
            personIds: ids.slice(i, i + AUDIT_CHUNK),
            details: { import: input.runId, part: i / AUDIT_CHUNK + 1, parts: Math.ceil(ids.length / AUDIT_CHUNK) },
            reason: null,
          });
        }
        job.audit.action = 'import';
        job.audit.detail('import', input.runId).detail('format', run.format).detail('changes', done).detail('persons', persons).detail('workItems', workItems);
      });
    } catch (e) {
      staging.close();
      if (e instanceof DomainError) throw e;
      throw e;
    }
    staging.close();
    // The dry run and the upload have served their purpose; the register and its change log keep the facts.
    removeStaging(path);
    try {
      const run = runRow(ctx.sqlite, input.runId);
      job.files.remove(run.file_id);
    } catch {
      // The upload expires on its own.
    }
    return { changes: done, persons, workItems };
  },
};
