/**
 * The population-register import, measured (issue: long work as jobs, population register as input):
 * - a Navet full file of 500 000 persons into an empty register: read (parse + validate + compare) and apply,
 *   each beside its floor — a bare streaming parse of the same file, and the same rows inserted with bare SQL —,
 *   and the import's peak memory (its own process);
 * - a delta of 5 000 changes on the 500 000-person demo register, end to end;
 * - the person card and search while a 500 000-person import runs on that register, beside the same calls
 *   on the quiet register.
 * The synthetic file is cached in .bench/ like the seeded database.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { SaxesParser } from 'saxes';
import { createCore, dataPaths, LOCAL_ADMIN } from '../../core/app';
import { fixedClock } from '../../core/context';
import { addDays } from '../../core/dates';
import { demoRegister, navetFile, writeFileChunks, writeSyntheticPopulationFile } from '../../core/demo/population-files';
import { seedDemoPopulationFiles } from '../../core/imports/demo';
import type { IdentifiedRecord } from '../../core/imports/model';
import { openDatabase } from '../../db/open';
import { copyDatabase, removeDatabase } from './care';

export interface ImportFigure {
  name: string;
  p50: number;
  p95: number;
  unit: 'ms' | 'MB';
  floorP95: number;
  ratio: number;
  n: number;
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : 0;
};
const r3 = (x: number) => Math.round(x * 1000) / 1000;
const fig = (name: string, xs: number[], floor: number): ImportFigure => {
  const p95 = r3(pct(xs, 95));
  return { name, p50: r3(pct(xs, 50)), p95, unit: 'ms', floorP95: r3(floor), ratio: floor > 0 ? Math.round((p95 / floor) * 100) / 100 : 0, n: xs.length };
};

export function syntheticFile(root: string, persons: number, today: string, log: (s: string) => void): string {
  const dir = join(root, '.bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `navet-full-${persons}-v1.xml`);
  if (!existsSync(file)) {
    log(`Writing a synthetic Navet full file of ${persons.toLocaleString('en')} persons (cached in .bench/)…`);
    const t0 = performance.now();
    writeSyntheticPopulationFile(`${file}.tmp`, { country: 'SE', persons, today, seed: 4711 });
    rmSync(file, { force: true });
    spawnSync('mv', [`${file}.tmp`, file]);
    log(`  ${(statSync(file).size / 1024 ** 2).toFixed(0)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return file;
}

/** The floor of reading: the same file through the same XML parser, counting records and nothing else. */
async function bareParse(file: string): Promise<{ ms: number; records: number }> {
  const t0 = performance.now();
  const p = new SaxesParser({ xmlns: false });
  let records = 0;
  p.on('closetag', (t) => {
    if (t.name === 'Folkbokforingspost') records++;
  });
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) p.write(chunk as string);
  p.close();
  return { ms: performance.now() - t0, records };
}

/**
 * The floor of applying: the rows the import wrote (persons, names, addresses, search tokens, custody links
 * and their change records; the trigram index filled by its trigger), inserted again with bare SQL into an
 * empty register with all its indexes, in one transaction.
 */
function bareInsert(importedDb: string): number {
  const dir = mkdtempSync(join(tmpdir(), 'kansli-floor-'));
  try {
    const fresh = openDatabase(join(dir, 'floor.sqlite'));
    const db = fresh.sqlite;
    db.prepare('ATTACH DATABASE ? AS src').run(importedDb);
    const t0 = performance.now();
    db.transaction(() => {
      for (const t of ['person', 'person_name', 'person_address', 'person_name_token', 'guardianship', 'change_log']) db.exec(`INSERT INTO main.${t} SELECT * FROM src.${t}`);
    })();
    const ms = performance.now() - t0;
    db.exec('DETACH DATABASE src');
    fresh.close();
    return ms;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function fullLoad(root: string, file: string, today: string, log: (s: string) => void): Promise<ImportFigure[]> {
  const floorRead = await bareParse(file);
  log(`  bare streaming parse (floor): ${floorRead.records.toLocaleString('en')} records in ${(floorRead.ms / 1000).toFixed(1)} s`);
  const dir = mkdtempSync(join(tmpdir(), 'kansli-import-'));
  try {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'test', 'bench', 'import-full.ts'), file, dir, '--today', today], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`the import process failed: ${r.stderr.slice(-2000)}`);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { readMs: number; applyMs: number; records: number; maxRssMb: number; baseRssMb: number; anonPeakMb: number; anonBaseMb: number; counts: Record<string, number>; result: Record<string, number> };
    log(
      `  full load: ${out.records.toLocaleString('en')} records read and compared in ${(out.readMs / 1000).toFixed(1)} s, applied in ${(out.applyMs / 1000).toFixed(1)} s ` +
        `(${out.result.changes?.toLocaleString('en')} changes, ${out.result.persons?.toLocaleString('en')} persons); peak memory ${out.maxRssMb.toFixed(0)} MB resident (${out.baseRssMb.toFixed(0)} MB before the import), of which held by the process (anonymous) ${out.anonPeakMb.toFixed(0)} MB (${out.anonBaseMb.toFixed(0)} MB before)`,
    );
    const floorApply = bareInsert(dataPaths(dir).dbPath);
    log(`  the same rows with bare SQL (floor): ${(floorApply / 1000).toFixed(1)} s`);
    return [
      fig('import 500k: parse + validate + diff', [out.readMs], floorRead.ms),
      fig('import 500k: apply', [out.applyMs], floorApply),
      { name: 'import 500k: peak memory (MB)', p50: r3(out.maxRssMb), p95: r3(out.maxRssMb), unit: 'MB', floorP95: 0, ratio: 0, n: 1 },
      { name: 'import 500k: peak anonymous memory (MB)', p50: r3(out.anonPeakMb), p95: r3(out.anonPeakMb), unit: 'MB', floorP95: 0, ratio: 0, n: 1 },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A delta of `n` changes for persons of the demo register: moves, name changes, deaths, moves away, new protection. */
function bigDelta(db: import('better-sqlite3').Database, n: number, today: string, path: string, period: { from: string; to: string }): number {
  const reg = demoRegister(db, { today });
  const ids = db.prepare(`SELECT id FROM person WHERE id_canonical IS NOT NULL AND status = 'active' AND protection = 'none' ORDER BY rowid LIMIT ?`).pluck().all(n) as string[];
  const records: IdentifiedRecord[] = [];
  ids.forEach((id, i) => {
    const r = reg.recordOf(id);
    if (!r) return;
    const kind = i % 20;
    if (kind < 12) {
      r.addresses = r.addresses.map((a) => (a.kind === 'registered' && a.current ? { ...a, street: `NYGATAN ${i}`, lines: [`NYGATAN ${i}`], validFrom: period.from } : a));
    } else if (kind < 16) {
      r.names = r.names.map((x) => (x.current ? { ...x, family: `${x.family}-Ny`, validFrom: period.from } : x));
    } else if (kind < 18) {
      r.registrations = r.registrations.map((x) => (x.current ? { ...x, municipalityCode: '0180', countyCode: '01', validFrom: period.from } : x));
      r.addresses = r.addresses.filter((a) => a.kind !== 'registered');
    } else if (kind === 18) {
      r.statuses = [{ code: 'deceased', registerCode: 'AV', date: period.from, country: null, current: true }];
    } else {
      r.protection = [{ level: 'se_sekretessmarkering', registerCodes: ['sekretessmarkering'], from: period.from, to: null, current: true }];
    }
    records.push(r);
  });
  writeFileChunks(
    path,
    navetFile({ kind: 'delta', from: period.from, to: period.to, lopNr: 3, count: records.length, recipientOrgNr: reg.municipality.orgNumber, recipientName: reg.municipality.name }, records),
  );
  return records.length;
}

interface Sampled {
  card: number[];
  search: number[];
}

/** Person cards and searches, alternating, while `busy()` says the import still runs (or `count` times). */
async function sample(core: ReturnType<typeof createCore>, ids: string[], names: string[], until: () => boolean, count = Infinity): Promise<Sampled> {
  const out: Sampled = { card: [], search: [] };
  for (let i = 0; !until() && i < count; i++) {
    const t0 = process.hrtime.bigint();
    const r = i % 2 === 0 ? await core.callAsync('person.get', { id: ids[i % ids.length]! }) : await core.callAsync('search.query', { q: names[i % names.length]!, limit: 20 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (!r.ok) throw new Error(`a call during the import failed: ${r.error.message}`);
    (i % 2 === 0 ? out.card : out.search).push(ms);
    await new Promise((ok) => setTimeout(ok, 10));
  }
  return out;
}

export async function onDemoRegister(pristine: string, synthetic: string, today: string, log: (s: string) => void): Promise<ImportFigure[]> {
  const figures: ImportFigure[] = [];
  const file = `${pristine}.import-run`;
  copyDatabase(pristine, file);
  const dataDir = mkdtempSync(join(tmpdir(), 'kansli-delta-'));
  try {
    const core = createCore({ dbPath: file, clock: fixedClock(today), validateOutputs: false, backupBeforeMigrate: false });
    try {
      const ids = core.ctx.sqlite.prepare(`SELECT id FROM person WHERE rowid % 991 = 7 LIMIT 300`).pluck().all() as string[];
      const names = (core.ctx.sqlite.prepare(`SELECT family_name FROM person WHERE rowid % 887 = 5 LIMIT 300`).pluck().all() as string[]).map((n) => n.slice(0, 4).toLowerCase());
      // The register's files for this register (its full file is the applied baseline), then the 5 000-change delta after it.
      log('  writing the demo register as the population register sees it (the baseline)…');
      const demo = await seedDemoPopulationFiles(core.ctx.sqlite, { dataDir, today });
      const last = JSON.parse(core.ctx.sqlite.prepare('SELECT ordering FROM import_stream').pluck().get() as string) as { to: number };
      const lastDay = `${String(last.to).slice(0, 4)}-${String(last.to).slice(4, 6)}-${String(last.to).slice(6, 8)}`;
      const deltaPath = join(dataDir, 'delta-5000.xml');
      const n = bigDelta(core.ctx.sqlite, 5000, today, deltaPath, { from: addDays(lastDay, 1), to: addDays(lastDay, 7) });
      void demo;
      const t0 = performance.now();
      const stored = await core.services.files.receivePath({ kind: 'navet', ownerId: LOCAL_ADMIN.id, path: deltaPath, name: 'delta.xml' });
      const started = await core.callAsync('import.start', { fileId: stored.id, format: 'navet' });
      if (!started.ok) throw new Error(started.error.message);
      const read = await core.services.jobs.wait((started.data as { jobId: string }).jobId);
      if (read.state !== 'succeeded') throw new Error(`delta read ${read.state}: ${read.error?.message}`);
      const applied = await core.callAsync('import.apply', { id: (started.data as { runId: string }).runId });
      if (!applied.ok) throw new Error(applied.error.message);
      const job = await core.services.jobs.wait((applied.data as { jobId: string }).jobId);
      const ms = performance.now() - t0;
      if (job.state !== 'succeeded') throw new Error(`delta apply ${job.state}: ${job.error?.message}`);
      log(`  delta of ${n.toLocaleString('en')} records (${job.result?.changes} changes): upload, read, compare and apply in ${(ms / 1000).toFixed(2)} s`);
      figures.push(fig('import delta, 5 000 changes, end to end', [ms], 0));

      // Quiet, then while the 500 000-person file is read and applied on this register. The file describes
      // other persons; so that it only adds them (rather than also declaring the demo's 500 000 moved away as a
      // full file does with those it no longer names), the demo's persons are marked as not from the register.
      core.ctx.sqlite.exec('UPDATE person SET register_source = NULL');
      const quiet = await sample(core, ids, names, () => false, 400);
      const stored2 = await core.services.files.receivePath({ kind: 'navet', ownerId: LOCAL_ADMIN.id, path: synthetic, name: 'navet-full.xml' });
      const s2 = await core.callAsync('import.start', { fileId: stored2.id, format: 'navet' });
      if (!s2.ok) throw new Error(s2.error.message);
      let readDone = false;
      const readJob = core.services.jobs.wait((s2.data as { jobId: string }).jobId).then((j) => ((readDone = true), j));
      const duringRead = await sample(core, ids, names, () => readDone);
      const rj = await readJob;
      if (rj.state !== 'succeeded') throw new Error(`big read ${rj.state}: ${rj.error?.message}`);
      // Printed at once: the apply that follows can take long on a populated register.
      log(`  while reading the 500 000-person file: person card p95 ${pct(duringRead.card, 95).toFixed(1)} ms (n=${duringRead.card.length}), search p95 ${pct(duringRead.search, 95).toFixed(1)} ms (quiet ${pct(quiet.card, 95).toFixed(1)} / ${pct(quiet.search, 95).toFixed(1)} ms)`);
      const run = core.call('import.get', { id: (s2.data as { runId: string }).runId });
      let applyDuring: Sampled = { card: [], search: [] };
      if (run.ok && !(run.data as { blocked: unknown }).blocked) {
        const a2 = await core.callAsync('import.apply', { id: (s2.data as { runId: string }).runId });
        if (!a2.ok) throw new Error(a2.error.message);
        let applyDone = false;
        const applyJob = core.services.jobs.wait((a2.data as { jobId: string }).jobId).then((j) => ((applyDone = true), j));
        applyDuring = await sample(core, ids, names, () => applyDone);
        const aj = await applyJob;
        log(`  (the 500 000-person file on this register: read ${rj.finishedAt && rj.startedAt ? ((Date.parse(rj.finishedAt) - Date.parse(rj.startedAt)) / 1000).toFixed(0) : '?'} s, apply ${aj.state})`);
      }
      const card = [...duringRead.card, ...applyDuring.card];
      const search = [...duringRead.search, ...applyDuring.search];
      const fc = fig('person card during a 500k import', card, pct(quiet.card, 95));
      const fs = fig('search during a 500k import', search, pct(quiet.search, 95));
      log(`  person card: quiet p95 ${pct(quiet.card, 95).toFixed(1)} ms; while reading p95 ${pct(duringRead.card, 95).toFixed(1)} ms (n=${duringRead.card.length}); while applying p95 ${pct(applyDuring.card, 95).toFixed(1)} ms (n=${applyDuring.card.length})`);
      log(`  search: quiet p95 ${pct(quiet.search, 95).toFixed(1)} ms; while reading p95 ${pct(duringRead.search, 95).toFixed(1)} ms; while applying p95 ${pct(applyDuring.search, 95).toFixed(1)} ms`);
      figures.push(fc, fs);
    } finally {
      core.close();
    }
  } finally {
    removeDatabase(file);
    rmSync(dataDir, { recursive: true, force: true });
  }
  return figures;
}
