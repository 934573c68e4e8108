/**
 * One full population-register load, alone in its own process so that its peak memory (maxRSS) is the
 * import's: `node --import tsx test/bench/import-full.ts FILE DATADIR [--today YYYY-MM-DD]`. Prints one JSON
 * line: the read (parse + validate + compare) and apply times, the counts, the peak memory. Used by
 * test/bench/imports.ts; the database in DATADIR is new and empty but for the municipality the file is for.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { createCore, dataPaths, LOCAL_ADMIN } from '../../core/app';
import { fixedClock } from '../../core/context';
import { readNavet } from '../../core/imports/navet';

const [file, dataDir] = process.argv.slice(2) as [string, string];
const today = process.argv.includes('--today') ? process.argv[process.argv.indexOf('--today') + 1]! : '2026-11-23';

async function main(): Promise<void> {
  // The municipality the file describes (its records' kommunkod), so the register is that municipality's.
  let code: string | null = null;
  for await (const item of readNavet(createReadStream(file), { today, allowSynthetic: true })) {
    if (item.type === 'record') {
      code = item.record.registrations.find((r) => r.current)?.municipalityCode ?? null;
      if (code) break;
    }
  }
  if (!code) throw new Error('no municipality code in the file');
  const { dbPath, logDir } = dataPaths(dataDir);
  const core = createCore({ dbPath, logDir, clock: fixedClock(today), validateOutputs: false, backupBeforeMigrate: false });
  const now = new Date().toISOString();
  core.ctx.sqlite
    .prepare(`INSERT INTO municipality (id, name, country, code, version, created_at, created_by, updated_at, updated_by) VALUES (?, 'Bench kommun', 'SE', ?, 1, ?, 'bench', ?, 'bench')`)
    .run(randomUUID(), code, now, now);
  const rss0 = process.memoryUsage().rss;
  // Sampled every 100 ms from /proc: the resident memory (VmRSS) and its anonymous part (RssAnon: heaps,
  // SQLite's caches, buffers; the rest is pages of files the OS can drop). Not getrusage's maxRSS: Linux
  // keeps that across exec, so a process started by a large one (the bench) inherits its parent's peak.
  let anonPeakKb = 0;
  let rssPeakKb = 0;
  const sampleAnon = () => {
    const status = readFileSync('/proc/self/status', 'utf8');
    const anon = /RssAnon:\s+(\d+) kB/.exec(status);
    const rss = /VmRSS:\s+(\d+) kB/.exec(status);
    if (anon) anonPeakKb = Math.max(anonPeakKb, Number(anon[1]));
    if (rss) rssPeakKb = Math.max(rssPeakKb, Number(rss[1]));
  };
  sampleAnon();
  const anonBaseKb = anonPeakKb;
  const sampler = setInterval(sampleAnon, 100);
  const stored = await core.services.files.receivePath({ kind: 'navet', ownerId: LOCAL_ADMIN.id, path: file, name: 'navet-full.xml' });
  const t0 = performance.now();
  const started = await core.callAsync('import.start', { fileId: stored.id, format: 'navet' });
  if (!started.ok) throw new Error(started.error.message);
  const { jobId, runId } = started.data as { jobId: string; runId: string };
  const read = await core.services.jobs.wait(jobId);
  const t1 = performance.now();
  sampleAnon();
  const readAnonPeakKb = anonPeakKb;
  if (read.state !== 'succeeded') throw new Error(`read ${read.state}: ${read.error?.message}`);
  const run = core.call('import.get', { id: runId });
  if (!run.ok) throw new Error(run.error.message);
  const applied = await core.callAsync('import.apply', { id: runId });
  if (!applied.ok) throw new Error(applied.error.message);
  const job = await core.services.jobs.wait((applied.data as { jobId: string }).jobId);
  const t2 = performance.now();
  if (job.state !== 'succeeded') throw new Error(`apply ${job.state}: ${job.error?.message}`);
  clearInterval(sampler);
  sampleAnon();
  core.close();
  process.stdout.write(
    JSON.stringify({
      readMs: t1 - t0,
      applyMs: t2 - t1,
      records: (run.data as { records: number }).records,
      counts: (run.data as { counts: Record<string, number> }).counts,
      result: job.result,
      // The process's peak resident memory: everything the import held at its worst, both threads.
      maxRssMb: rssPeakKb / 1024,
      baseRssMb: rss0 / 1024 / 1024,
      anonPeakMb: anonPeakKb / 1024,
      anonBaseMb: anonBaseKb / 1024,
      readAnonPeakMb: readAnonPeakKb / 1024,
    }) + '\n',
  );
}

void main().catch((e: unknown) => {
  process.stderr.write(`import-full: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
