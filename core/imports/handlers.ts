/**
 * Handlers of the imports domain (shared/api/imports.ts). Every method needs its permission for the whole
 * municipality: a population file describes the whole municipality, and a unit clerk's grant must not
 * open it. A reader sees a shielded person's values only with protected.reveal for the whole municipality.
 */
import { DomainError, ruleViolation } from '../../shared/api/errors';
import { requireMunicipalityWide, scopeOf } from '../access/scope';
import type { DomainHandlers } from '../api/types';
import type { Actor, CoreContext } from '../context';
import { intakeCreate, intakePreview } from './intake';
import { changesPage, problemsPage, runRow, runView, type RunRow } from './runs';
import { removeStaging, stagingPath } from './staging';
import { dataDirOf } from './runs';
import { confirmWork, dismissWork, listWork } from './worklist';
import { csvHeadings } from './csv';
import { deleteMapping, listMappings, saveMapping } from './csv-mappings';
import { problemsCsv } from './messages';
import { PopulationFileError } from './model';

const mayReveal = (actor: Actor) => scopeOf(actor, 'protected.reveal') === 'all';

export function createImportHandlers(ctx: CoreContext): DomainHandlers<'imports'> {
  const wide = (actor: Actor, what: string) => requireMunicipalityWide(actor, 'register.import', what);

  /** A run's state as the user should see it: a reading or applying job that ended badly leaves it back where it was. */
  const effective = (r: RunRow): RunRow => {
    const jobState = (id: string | null) => (id ? (ctx.sqlite.prepare('SELECT state, error FROM job WHERE id = ?').get(id) as { state: string; error: string | null } | undefined) : undefined);
    if (r.state === 'reading') {
      const j = jobState(r.read_job_id);
      if (j && (j.state === 'failed' || j.state === 'cancelled')) {
        const e = j.error ? (JSON.parse(j.error) as { code: string; message: string }) : { code: j.state, message: '' };
        return { ...r, state: j.state === 'cancelled' ? 'discarded' : 'failed', blocked_code: r.blocked_code ?? e.code, blocked_message: r.blocked_message ?? e.message };
      }
    }
    if (r.state === 'applying') {
      const j = jobState(r.apply_job_id);
      if (j && (j.state === 'failed' || j.state === 'cancelled')) {
        // Refused inside the apply (another file was applied meanwhile): it stays refused, with the reason.
        const e = j.error ? (JSON.parse(j.error) as { code: string; message: string; rule?: string }) : null;
        return e?.rule === 'import_out_of_order' ? { ...r, state: 'ready', blocked_code: 'import_out_of_order', blocked_message: e.message.replace(/^import_out_of_order: /, '') } : { ...r, state: 'ready' };
      }
    }
    return r;
  };

  return {
    'import.start': async (i, call) => {
      wide(call.actor, 'Importing the population register');
      // The file must be the caller's own upload, of a readable kind.
      const file = call.services.files.get(i.fileId, call.actor.id);
      if (file.purpose !== 'upload') throw new DomainError('validation', 'Not an uploaded file', 'fileId');
      if (i.format === 'csv' && !i.mapping) throw new DomainError('validation', 'A CSV import needs a saved column mapping', 'mapping');
      const runId = crypto.randomUUID();
      call.audit.persons([]).detail('import', runId).detail('format', i.format).detail('file', file.name);
      const { jobId } = await call.services.jobs.start(call, 'import.read', { runId, fileId: file.id, format: i.format, mapping: i.mapping ?? null, kind: i.kind ?? null }, (job) => {
        ctx.sqlite
          .prepare(
            `INSERT INTO import_run (id, format, kind, file_id, file_name, state, mapping, read_job_id, created_by, created_by_name, created_at)
             VALUES (?, ?, ?, ?, ?, 'reading', ?, ?, ?, ?, ?)`,
          )
          .run(runId, i.format, i.kind ?? null, file.id, file.name, i.mapping ?? null, job, call.actor.id, call.actor.name, ctx.clock.now());
      });
      return { jobId, runId };
    },

    'import.list': (i, { actor }) => {
      wide(actor, 'Imports');
      const total = ctx.sqlite.prepare('SELECT count(*) FROM import_run').pluck().get() as number;
      const rows = ctx.sqlite.prepare('SELECT * FROM import_run ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?').all(i.limit, i.offset) as RunRow[];
      return { items: rows.map((r) => runView(effective(r))), total };
    },

    'import.get': (i, { actor }) => {
      wide(actor, 'Imports');
      return runView(effective(runRow(ctx.sqlite, i.id)));
    },

    'import.changes': (i, { actor, audit }) => {
      wide(actor, 'Imports');
      const { out, personIds } = changesPage(ctx, i.id, i, mayReveal(actor));
      audit.persons(personIds).detail('import', i.id).detail('kind', i.kind ?? null).detail('offset', i.offset);
      return out;
    },

    'import.problems': (i, { actor, audit }) => {
      wide(actor, 'Imports');
      audit.detail('import', i.id).detail('offset', i.offset);
      const { items, total } = problemsPage(ctx, i.id, i, mayReveal(actor));
      return { items, total };
    },

    'import.problemsExport': async (i, { actor, audit, services }) => {
      wide(actor, 'Imports');
      const run = runRow(ctx.sqlite, i.id);
      const all = problemsPage(ctx, i.id, { offset: 0, limit: 1_000_000, lang: i.lang }, mayReveal(actor));
      audit.detail('import', i.id).detail('export', 'csv');
      const file = await services.files.writeExport(actor.id, `${run.file_name.replace(/\.[^.]+$/, '')}-problems.csv`, 'text/csv; charset=utf-8', problemsCsv(all.problems, i.lang));
      return { file, rows: all.problems.length };
    },

    'import.apply': async (i, call) => {
      wide(call.actor, 'Applying an import');
      const run = effective(runRow(ctx.sqlite, i.id));
      if (run.state !== 'ready') throw ruleViolation('import_state', `import_state: this import is ${run.state}, not ready to apply`, 'id');
      if (run.blocked_code) throw ruleViolation('import_out_of_order', `import_out_of_order: ${run.blocked_message}`, 'id');
      call.audit.detail('import', i.id);
      const { jobId } = await call.services.jobs.start(call, 'import.apply', { runId: i.id }, (job) => {
        ctx.sqlite.prepare(`UPDATE import_run SET state = 'applying', apply_job_id = ? WHERE id = ?`).run(job, i.id);
      });
      return { jobId };
    },

    'import.discard': (i, { actor, audit }) => {
      wide(actor, 'Imports');
      const run = effective(runRow(ctx.sqlite, i.id));
      if (run.state !== 'ready' && run.state !== 'failed') throw ruleViolation('import_state', `import_state: this import is ${run.state}; only a dry run can be discarded`, 'id');
      ctx.sqlite.prepare(`UPDATE import_run SET state = 'discarded' WHERE id = ?`).run(i.id);
      audit.detail('import', i.id).detail('discarded', true);
      removeStaging(stagingPath(dataDirOf(ctx), i.id));
      return runView(runRow(ctx.sqlite, i.id));
    },

    'worklist.list': (i, { actor, audit }) => {
      requireMunicipalityWide(actor, 'worklist.handle', 'The work list');
      const { out, personIds } = listWork(ctx, i, mayReveal(actor));
      audit.persons(personIds).detail('state', i.state).detail('kind', i.kind ?? null);
      return out;
    },

    'worklist.confirm': (i, { actor, audit, mutationId }) => {
      requireMunicipalityWide(actor, 'worklist.handle', 'The work list');
      const r = confirmWork(ctx, actor, mutationId, i);
      audit.persons(r.personIds).detail('items', i.items.map((x) => x.id)).detail('ends', r.ends);
      if (i.note) audit.reason = i.note;
      return { confirmed: r.confirmed, ended: r.ended };
    },

    'worklist.dismiss': (i, { actor, audit, mutationId }) => {
      requireMunicipalityWide(actor, 'worklist.handle', 'The work list');
      const r = dismissWork(ctx, actor, mutationId, i);
      audit.persons(r.personIds).detail('items', i.items.map((x) => x.id));
      audit.reason = i.note;
      return { dismissed: r.dismissed };
    },

    'intake.preview': (i, { actor, audit }) => {
      wide(actor, 'The annual intake');
      const { out, personIds } = intakePreview(ctx, i, mayReveal(actor));
      audit.persons(personIds).detail('schoolYear', i.schoolYear).detail('unitId', i.unitId ?? null);
      return out;
    },

    'csvMapping.list': (_i, { actor }) => {
      wide(actor, 'CSV mappings');
      return { items: listMappings(ctx.sqlite) };
    },
    'csvMapping.save': (i, { actor, audit }) => {
      wide(actor, 'CSV mappings');
      audit.detail('mapping', i.name);
      return saveMapping(ctx.sqlite, i);
    },
    'csvMapping.delete': (i, { actor, audit }) => {
      wide(actor, 'CSV mappings');
      audit.detail('mapping', i.name);
      return { deleted: deleteMapping(ctx.sqlite, i.name) };
    },
    'csvMapping.headings': async (i, { actor, audit, services }) => {
      wide(actor, 'CSV mappings');
      const { stream } = services.files.read(i.fileId, actor.id);
      audit.detail('file', i.fileId);
      try {
        const h = await csvHeadings(stream);
        return { headings: h.headings, delimiter: h.delimiter, sample: h.sample };
      } catch (e) {
        // A file that is no CSV (an .xlsx, a binary, an empty file) is the clerk's mistake, not an internal error:
        // a validation error on the file, with the reader's code (`unsupported_encoding`, `no_header` …).
        if (e instanceof PopulationFileError) throw new DomainError('validation', e.problem.reason, 'fileId', [{ field: 'fileId', code: e.problem.code, message: e.problem.reason }]);
        throw e;
      } finally {
        stream.destroy();
      }
    },

    'intake.create': (i, { actor, audit, mutationId }) => {
      wide(actor, 'The annual intake');
      const r = intakeCreate(ctx, actor, mutationId, i);
      audit.persons(r.personIds).detail('schoolYear', i.schoolYear).detail('created', r.created).detail('skipped', r.skipped);
      return { created: r.created, skipped: r.skipped };
    },
  };
}
