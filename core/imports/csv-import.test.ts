/**
 * A legacy system's CSV through the import pipeline (the municipality moving from another system): a saved
 * mapping, the dry run with every bad row reported by line, column and reason, the error report as CSV,
 * an all-or-nothing apply that creates the persons (reserve-number persons and contacts too).
 */
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../shared/api/contract';
import type { CallResult } from '../../shared/api/transport';
import { makeTestCore, TEST_TODAY } from '../../test/util/core';
import { DEMO_PASSWORD } from '../access/auth';
import { legacyCsvMapping, writeLegacyCsv } from '../demo/legacy-csv';

function data<T>(r: CallResult): T {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.data as T;
}

describe('a legacy CSV import', () => {
  it('maps, dry-runs with precise problems, exports them, and applies the valid rows in one transaction', async () => {
    const core = makeTestCore({ persons: 300 });
    try {
      const conn = core.connect('csv-test');
      conn.call('auth.signIn', { username: 'registrar', password: DEMO_PASSWORD });
      const path = join(core.dir, 'legacy.csv');
      const info = writeLegacyCsv(path, { country: 'SE', rows: 200, seed: 7, withErrors: true, today: TEST_TODAY });
      expect(info.problems.length).toBeGreaterThan(0);
      const mapping = legacyCsvMapping('SE');
      expect(await conn.callAsync('csvMapping.save', { ...mapping, columns: { ...mapping.columns, givenName: undefined } })).toMatchObject({ ok: false, error: { code: 'validation' } });
      data(await conn.callAsync('csvMapping.save', mapping));
      expect(data<{ items: { name: string }[] }>(await conn.callAsync('csvMapping.list', {})).items.map((m) => m.name)).toEqual([mapping.name]);
      const file = await core.services.files.receive({ kind: 'csv', ownerId: conn.session.actor!.id, name: 'legacy.csv', source: createReadStream(path) });
      const heads = data<{ headings: string[]; delimiter: string; sample: string[][] }>(await conn.callAsync('csvMapping.headings', { fileId: file.id }));
      expect(heads.delimiter).toBe(';');
      expect(heads.sample.length).toBe(5);
      const started = data<{ jobId: string; runId: string }>(await conn.callAsync('import.start', { fileId: file.id, format: 'csv', mapping: mapping.name }));
      const job = await core.services.jobs.wait(started.jobId);
      expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
      const run = data<MethodOutput<'import.get'>>(await conn.callAsync('import.get', { id: started.runId }));
      expect(run).toMatchObject({ state: 'ready', format: 'csv', kind: 'delta', blocked: null, skipped: info.rows - info.validRows });
      expect(run.counts.new_person).toBeGreaterThan(0);
      // Every planted problem is reported at its line and column.
      const problems = data<MethodOutput<'import.problems'>>(await conn.callAsync('import.problems', { id: started.runId, limit: 500, lang: 'sv' }));
      for (const p of info.problems) expect(problems.items.some((x) => x.line === p.line && x.column === p.column), JSON.stringify(p)).toBe(true);
      const exported = data<MethodOutput<'import.problemsExport'>>(await conn.callAsync('import.problemsExport', { id: started.runId, lang: 'sv' }));
      const csv = readFileSync(join(core.services.files.dir, `${exported.file.fileId}.bin`), 'utf8');
      expect(csv.startsWith('\uFEFFRad,Kolumn,Fält,Orsak,Person\r\n')).toBe(true);
      expect(csv.split('\r\n').length - 2).toBe(problems.total);
      const before = core.db.sqlite.prepare('SELECT count(*) FROM person').pluck().get() as number;
      const applied = data<{ jobId: string }>(await conn.callAsync('import.apply', { id: started.runId }));
      const done = await core.services.jobs.wait(applied.jobId);
      expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
      expect(core.db.sqlite.prepare('SELECT count(*) FROM person').pluck().get()).toBe(before + run.counts.new_person!);
      expect(core.db.sqlite.prepare(`SELECT count(*) FROM person WHERE register_source = 'csv' AND id_canonical IS NULL AND reserve_number IS NOT NULL`).pluck().get()).toBeGreaterThanOrEqual(0);
      expect(core.ok('audit.verify', {})).toMatchObject({ ok: true });
    } finally {
      core.dispose();
    }
  }, 120_000);

  it('a sample that is no CSV (a spreadsheet, an empty file) is a validation error on the file, not an internal error', async () => {
    const core = makeTestCore({ persons: 20 });
    try {
      const conn = core.connect('csv-headings');
      conn.call('auth.signIn', { username: 'registrar', password: DEMO_PASSWORD });
      const owner = conn.session.actor!.id;
      const xlsx = await core.services.files.receive({ kind: 'csv', ownerId: owner, name: 'elever.xlsx', source: Readable.from([Buffer.from([0x50, 0x4b, 0x03, 0x04, ...Buffer.alloc(600, 7)])]) });
      expect(await conn.callAsync('csvMapping.headings', { fileId: xlsx.id })).toMatchObject({
        ok: false,
        error: { code: 'validation', field: 'fileId', issues: [{ field: 'fileId', code: 'unsupported_encoding' }] },
      });
      const empty = await core.services.files.receive({ kind: 'csv', ownerId: owner, name: 'tom.csv', source: Readable.from([Buffer.alloc(0)]) });
      expect(await conn.callAsync('csvMapping.headings', { fileId: empty.id })).toMatchObject({ ok: false, error: { code: 'validation', field: 'fileId', issues: [{ field: 'fileId', code: 'no_header' }] } });
    } finally {
      core.dispose();
    }
  }, 60_000);
});
