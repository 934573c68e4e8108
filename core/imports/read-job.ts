/**
 * The dry run as a job: streams the uploaded file through its reader (validating as it reads), compares
 * every record with the register and writes what would change into the run's staging file. The register
 * is only read: the job takes the write lock once, at the end, for the run's own row.
 *
 * A file that cannot be read on (malformed XML, the wrong count …) fails the run with the line and reason;
 * skipped records are problems to review, and the rest of the file stays applicable.
 */
import { DomainError } from '../../shared/api/errors';
import { PopulationFileError, type FileOrdering, type PopulationFileHeader, type PopulationReadItem, type ReadOptions } from './model';
import type { JobKind } from '../jobs/types';
import { checkFileOrder } from './model';
import { Differ } from './diff';
import { coversText, dataDirOf } from './runs';
import { removeStaging, Staging, stagingPath } from './staging';
import type { ImportFormat } from '../../shared/domain/imports';
import type { Readable } from 'node:stream';
import { readerFor } from './readers';

export interface ReadJobInput {
  runId: string;
  fileId: string;
  format: ImportFormat;
  mapping: string | null;
  kind: 'full' | 'delta' | null;
}

export const importReadJob: JobKind<ReadJobInput> = {
  permission: 'register.import',
  method: 'import.start',
  async run(job, input) {
    const { ctx } = job;
    const file = job.files.get(input.fileId, job.actor.id);
    const muni = ctx.sqlite.prepare('SELECT code, country FROM municipality LIMIT 1').get() as { code: string; country: 'SE' | 'NO' } | undefined;
    if (!muni) throw new DomainError('not_found', 'No municipality is set up in this database');
    const path = stagingPath(dataDirOf(ctx), input.runId);
    const staging = new Staging(path, 'create');
    const differ = new Differ({ sqlite: ctx.sqlite, municipality: muni, today: ctx.clock.today(), format: input.format });
    let header: PopulationFileHeader | null = null;
    let records = 0;
    let problems = 0;
    const skippedRecords = new Set<number>();
    let fileError: { code: string; message: string } | null = null;
    job.progress('read', 0, file.size);
    const opts: ReadOptions = {
      signal: job.signal,
      onProgress: (bytes) => job.progress('read', bytes, file.size),
      today: ctx.clock.today(),
      allowSynthetic: ctx.demo,
      ...(input.kind ? { kind: input.kind } : {}),
    };
    try {
      const items: AsyncIterable<PopulationReadItem> = readerFor(ctx, input.format, input.mapping)(job.files.read(file.id, job.actor.id).stream as Readable, opts);
      for await (const item of items) {
        if (item.type === 'header') header = item.header;
        else if (item.type === 'problem') {
          problems++;
          // A record with several bad fields is one skipped record.
          if (item.problem.severity === 'record') skippedRecords.add(item.problem.recordIndex ?? item.problem.line);
          staging.problem(item.problem);
        } else if (item.type === 'record') {
          records++;
          const { rows, personId } = differ.compare(item.record);
          for (const r of rows) staging.add(r);
          // Who the file names, for a full file's absentee check (persons new to the register cannot be absent).
          if (personId) staging.seen(personId);
          if (records % 500 === 0) job.throwIfCancelled();
        }
      }
    } catch (e) {
      if (!(e instanceof PopulationFileError)) {
        staging.close();
        removeStaging(path);
        throw e;
      }
      problems++;
      staging.problem(e.problem);
      fileError = { code: 'file_unreadable', message: e.message };
    }
    staging.finish();
    const skipped = skippedRecords.size;

    // A full file names everyone the register describes: who Kansli took from this register and the file
    // no longer names has left the municipality's population.
    if (!fileError && header?.kind === 'full' && input.format !== 'csv') {
      job.progress('diff', 0, null);
      const fileDate = header.createdAt ? header.createdAt.slice(0, 10) : ctx.clock.today();
      // The file's persons from the staging file's own connection, not by attaching it to the register's: a
      // job on the central server runs inside the server's transaction, where an attached file stays locked.
      const seen = staging.seenIds();
      const gone = (
        ctx.sqlite
          .prepare(
            `SELECT p.id, p.family_name, p.given_name, p.id_canonical, p.shielded, p.registered_municipality FROM person p
             WHERE p.register_source = ? AND p.deleted_at IS NULL AND p.status = 'active' AND (p.registered_municipality IS NULL OR p.registered_municipality = ?)`,
          )
          .all(input.format, muni.code) as Parameters<Differ['absentee']>[0][]
      ).filter((p) => !seen.has(p.id));
      staging.begin();
      for (const p of gone) staging.add(differ.absentee(p, fileDate, 0));
      staging.finish();
    }
    staging.seal();
    const counts = staging.counts();
    staging.close();

    const ordering: FileOrdering | null = header?.ordering ?? null;
    let blocked: { code: string; message: string } | null = fileError;
    if (!blocked && input.format !== 'csv' && header) {
      const last = ctx.sqlite.prepare('SELECT ordering FROM import_stream WHERE stream = ?').pluck().get(streamKey(input.format, ordering)) as string | undefined;
      const check = checkFileOrder(last ? (JSON.parse(last) as FileOrdering) : null, header);
      if (!check.ok) blocked = { code: check.code, message: check.message };
    }
    job.audit.action = 'import';
    job.audit.detail('import', input.runId).detail('counts', counts).detail('records', records).detail('problems', problems);
    job.tx(() => {
      ctx.sqlite
        .prepare(
          `UPDATE import_run SET state = ?, kind = ?, stream = ?, ordering = ?, covers = ?, counts = ?, records = ?, problems = ?, skipped = ?,
             blocked_code = ?, blocked_message = ?, file_sha256 = ? WHERE id = ?`,
        )
        .run(
          fileError ? 'failed' : 'ready',
          header?.kind ?? (input.format === 'csv' ? 'delta' : null),
          ordering ? streamKey(input.format, ordering) : null,
          ordering ? JSON.stringify(ordering) : null,
          coversText(ordering),
          JSON.stringify(counts),
          records,
          problems,
          skipped,
          blocked?.code ?? null,
          blocked?.message ?? null,
          file.sha256,
          input.runId,
        );
    });
    if (fileError) throw new DomainError('validation', fileError.message, 'file');
    return { records, problems, skipped, changes: Object.values(counts).reduce((a, b) => a + b, 0), blocked: blocked !== null };
  },
};

/** The register stream a file belongs to: deltas are ordered within it (one per format and recipient). */
export function streamKey(format: ImportFormat, o: FileOrdering | null): string {
  return `${format}:${o?.stream ?? 'default'}`;
}
