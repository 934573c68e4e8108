/**
 * What encryption at rest costs (docs/sync.md, "The cache at rest"): the same work on a plain and on an
 * encrypted database (SQLCipher 4 format through db/open.ts), both opened by the same driver.
 *
 *  - write: seeding a demo municipality (seedDemo: persons, guardianships, placements, the search index),
 *    then a checkpoint, so every page has been encrypted on its way to the file;
 *  - cold reads: the first pass of person-list pages and searches on a freshly opened database, where every
 *    page is read from the file and (encrypted) decrypted;
 *  - warm reads: the same calls through the core (with their audit writes) afterwards, p50/p95 over rounds,
 *    where SQLite's page cache holds decrypted pages.
 *
 * `npm run bench -- --encryption-only [--encryption-persons N]` runs just this (default 5 000 persons).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createCore } from '../../core/app';
import { fixedClock } from '../../core/context';
import { seedDemo } from '../../core/demo/generate';
import { openDatabase } from '../../db/open';

export const ENCRYPTION_PREFIX = 'encrypted/plain';

interface Figure {
  name: string;
  p50: number;
  p95: number;
  unit: 'ms' | 'MB';
  floorP95: number;
  ratio: number;
  n: number;
}

interface ModeResult {
  seedMs: number;
  checkpointMs: number;
  fileMb: number;
  coldMs: number;
  list: number[];
  search: number[];
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

function runMode(dir: string, persons: number, today: string, key: Buffer | null): ModeResult {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const dbPath = join(dir, 'kansli.sqlite');
  const keyOpt = key ? { key } : {};
  const seeded = openDatabase(dbPath, { backup: false, ...keyOpt });
  let t0 = process.hrtime.bigint();
  seedDemo(seeded.sqlite, { country: 'SE', persons, today });
  const seedMs = ms(t0);
  t0 = process.hrtime.bigint();
  seeded.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const checkpointMs = ms(t0);
  seeded.close();
  const fileMb = statSync(dbPath).size / 1e6;

  const core = createCore({
    dbPath,
    clock: fixedClock(today),
    validateOutputs: false,
    backupBeforeMigrate: false,
    auditAnchorPath: null,
    auditPendingPath: null,
    jobMode: 'inline',
    secretKeyDir: null,
    ...(key ? { dbKey: key } : {}),
  });
  try {
    const sqlite = core.ctx.sqlite;
    const names = (sqlite.prepare(`SELECT family_name FROM person WHERE rowid % 97 = 5 LIMIT 60`).pluck().all() as string[]).map((n) => n.slice(0, 3).toLowerCase());
    const total = sqlite.prepare('SELECT count(*) FROM person').pluck().get() as number;
    const offsets = [0, Math.floor(total / 4), Math.floor(total / 2), Math.max(0, total - 200)];
    const call = (method: string, input: unknown) => {
      const r = core.call(method, input);
      if (!r.ok) throw new Error(`${method} failed: ${r.error.message}`);
      return JSON.stringify(r.data);
    };
    // Cold: the core's connection has just opened the file; its page cache is empty.
    t0 = process.hrtime.bigint();
    for (const offset of offsets) call('person.list', { offset, limit: 200 });
    for (const q of names) call('search.query', { q, limit: 20 });
    const coldMs = ms(t0);
    const list: number[] = [];
    const search: number[] = [];
    for (let round = 0; round < 5; round++) {
      for (const offset of offsets) {
        const t = process.hrtime.bigint();
        call('person.list', { offset, limit: 200 });
        list.push(ms(t));
      }
      for (const q of names) {
        const t = process.hrtime.bigint();
        call('search.query', { q, limit: 20 });
        search.push(ms(t));
      }
    }
    return { seedMs, checkpointMs, fileMb, coldMs, list, search };
  } finally {
    core.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs both modes in `.bench/encryption-*` and reports each figure with the plain run as its floor. */
export function encryptionCost(root: string, persons: number, today: string, log: (s: string) => void): Figure[] {
  log(`Encryption at rest: ${persons.toLocaleString('en')} persons, plain and SQLCipher 4 (raw 32-byte key), same driver`);
  // Alternating twice, the better of each mode's two single figures: the first run also pays the JIT's and
  // the OS's warm-up, which would otherwise count against whichever mode ran first.
  const runs = [0, 1].flatMap(() => [
    runMode(join(root, '.bench', 'encryption-plain'), persons, today, null),
    runMode(join(root, '.bench', 'encryption-sqlcipher'), persons, today, randomBytes(32)),
  ]);
  const best = (a: ModeResult, b: ModeResult): ModeResult => ({
    seedMs: Math.min(a.seedMs, b.seedMs),
    checkpointMs: Math.min(a.checkpointMs, b.checkpointMs),
    fileMb: a.fileMb,
    coldMs: Math.min(a.coldMs, b.coldMs),
    list: [...a.list, ...b.list],
    search: [...a.search, ...b.search],
  });
  const plain = best(runs[0]!, runs[2]!);
  const enc = best(runs[1]!, runs[3]!);
  const figures: Figure[] = [];
  const add = (name: string, a: number[], b: number[]) => {
    const f: Figure = { name: `${ENCRYPTION_PREFIX}: ${name}`, p50: round3(pct(b, 50)), p95: round3(pct(b, 95)), unit: 'ms', floorP95: round3(pct(a, 95)), ratio: 0, n: b.length };
    f.ratio = Math.round((f.p95 / Math.max(f.floorP95, 0.001)) * 100) / 100;
    figures.push(f);
    log(`  ${name.padEnd(30)} plain p50 ${pct(a, 50).toFixed(2).padStart(8)} p95 ${f.floorP95.toFixed(2).padStart(8)} ms   encrypted p50 ${f.p50.toFixed(2).padStart(8)} p95 ${f.p95.toFixed(2).padStart(8)} ms   p95 ratio ${f.ratio.toFixed(2)}`);
  };
  add('seed (write)', [plain.seedMs], [enc.seedMs]);
  add('checkpoint of the seed', [plain.checkpointMs], [enc.checkpointMs]);
  add('cold reads (first pass)', [plain.coldMs], [enc.coldMs]);
  add('person list page (200), warm', plain.list, enc.list);
  add('search as you type, warm', plain.search, enc.search);
  log(`  file size: plain ${plain.fileMb.toFixed(1)} MB, encrypted ${enc.fileMb.toFixed(1)} MB`);
  return figures;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
