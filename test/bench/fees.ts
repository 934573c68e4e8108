/**
 * Issue 12: the fee run and the child card's fee, on a copy of the bench's demo municipality.
 * - The preview of a month's fee run (the job, from the call to its end: computing every household's fees,
 *   storing the lines, totals and warnings) beside its floor: reading the same inputs with bare SQL (the
 *   very reads the preview makes — the month's facts, the corrections' and totals' reads, the children's
 *   names for the stored order — recorded and replayed on better-sqlite3). Target ≤ 10 s over
 *   100 000 placements and ≤ 3× the floor.
 * - A page of the preview's lines (50 and 500; their charges explained when shown): printed, no target.
 * - The lock of that preview (recompute, compare, write the records): printed, no target.
 * - The card's fee (fee.explain for next month) p95 ≤ 20 ms, beside its recorded statements replayed.
 * Incomes: four households in five get a declared income (written with SQL as part of the seed, not timed).
 */
import { createCore } from '../../core/app';
import { fixedClock } from '../../core/context';
import { computeMonth } from '../../core/fees/month';
import { computeRun, nameRanks } from '../../core/fees/run';
import { copyDatabase, removeDatabase } from './care';
import { record, replay } from './record';

export interface FeeFigure {
  name: string;
  p50: number;
  p95: number;
  unit: 'ms';
  floorP95: number;
  ratio: number;
  n: number;
}

export const FEE_PREVIEW = 'fee run preview (month)';
export const FEE_CARD = "child card's fee (fee.explain)";
export const FEE_TARGETS: [string, number, number][] = [
  [FEE_PREVIEW, 10_000, 3],
  [FEE_CARD, 20, Infinity],
];

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

export async function feesBench(pristine: string, today: string, log: (s: string) => void, runs = 3): Promise<FeeFigure[]> {
  const file = `${pristine}.fees`;
  copyDatabase(pristine, file);
  const month = `${today.slice(0, 4)}-${String(Number(today.slice(5, 7)) + 1).padStart(2, '0')}`.replace(/-13$/, '-01');
  try {
    const core = createCore({ dbPath: file, clock: fixedClock(today), validateOutputs: false, backupBeforeMigrate: false });
    const s = core.ctx.sqlite;
    try {
      const first = `${month}-01`;
      const placements = s
        .prepare(
          `SELECT count(*) FROM placement WHERE state = 'accepted' AND school_form IN ('FS', 'PO', 'FTH') AND deleted_at IS NULL AND valid_from <= date(?, '+1 month', '-1 day') AND (valid_to IS NULL OR valid_to >= ?)`,
        )
        .pluck()
        .get(first, first) as number;
      // Four households in five declare an income (3 000 – 80 000 kr a month).
      const at = `${today}T00:00:00.000Z`;
      const declared = s
        .prepare(
          `INSERT INTO income_declaration (id, household_id, valid_from, monthly_income, source, created_at, created_by, updated_at, updated_by)
           SELECT lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-a' || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))),
             id, '${today.slice(0, 4)}-01-01', 300000 + (abs(random()) % 7700000), 'declared', '${at}', 'bench', '${at}', 'bench' FROM household WHERE rowid % 5 <> 0`,
        )
        .run().changes;
      log(`Fees: ${month}, ${placements.toLocaleString('en')} fee-bearing placements (förskola, pedagogisk omsorg, fritidshem); ${declared.toLocaleString('en')} households with a declared income`);

      // The floor: every input the preview reads (the month's facts, the corrections' and the totals' reads,
      // the children's names for the order the lines are stored in), recorded in-process and replayed on a
      // connection mapped like the job thread's (core/jobs/worker.ts), so the ratio compares like with like.
      s.pragma('mmap_size = 2147418112');
      const sample = s.prepare('SELECT 1');
      let lines = 0;
      const rec = record(sample, () => {
        const c = computeRun(core.ctx, month, 'regular');
        nameRanks(core.ctx, c.lines, c.sortKeys);
        lines = c.lines.length;
      });
      const floors: number[] = [];
      const inProcess: number[] = [];
      for (let i = 0; i < runs; i++) {
        const f0 = process.hrtime.bigint();
        replay(rec);
        floors.push(ms(f0));
        const c0 = process.hrtime.bigint();
        computeMonth(core.ctx, month);
        inProcess.push(ms(c0));
      }
      log(`  floor (the preview's ${rec.length} reads on bare SQLite): p50 ${pct(floors, 50).toFixed(0)} ms; the month's computation alone in-process: p50 ${pct(inProcess, 50).toFixed(0)} ms for ${lines.toLocaleString('en')} lines`);

      // The preview job, as the screen starts it.
      const times: number[] = [];
      let last = '';
      let lineCount = 0;
      for (let i = 0; i < runs; i++) {
        const t0 = process.hrtime.bigint();
        const r = await core.callAsync('fee.runStart', { month });
        if (!r.ok) throw new Error(`fee.runStart: ${r.error.message}`);
        const { jobId, runId } = r.data as { jobId: string; runId: string };
        const job = await core.services.jobs.wait(jobId);
        times.push(ms(t0));
        if (job.state !== 'succeeded') throw new Error(`the preview job ${job.state}: ${job.error?.message ?? ''}`);
        log(`  preview run ${i + 1}: ${times.at(-1)!.toFixed(0)} ms (${String(job.result?.lines)} lines, total ${(Number(job.result?.total) / 100).toLocaleString('en')} kr, ${String(job.result?.warnings)} warnings)`);
        if (i < runs - 1) core.call('fee.runDiscard', { id: runId });
        last = runId;
        lineCount = Number(job.result?.lines ?? 0);
      }
      const preview: FeeFigure = { name: FEE_PREVIEW, p50: pct(times, 50), p95: pct(times, 95), unit: 'ms', floorP95: pct(floors, 95), ratio: 0, n: times.length };
      preview.ratio = Math.round((preview.p95 / Math.max(preview.floorP95, 0.001)) * 100) / 100;

      // A page of the preview's lines as the run screen asks for it: its charges are explained now (the
      // card's computation for the page's households), so the cost the preview no longer pays shows here.
      for (const limit of [50, 500]) {
        const pages: number[] = [];
        for (let k = 0; k < 10; k++) {
          const t0 = process.hrtime.bigint();
          const r = core.call('fee.runLines', { id: last, offset: (k * 16_381) % Math.max(1, lineCount - limit), limit });
          pages.push(ms(t0));
          if (!r.ok) throw new Error(`fee.runLines: ${r.error.message}`);
        }
        log(`  a page of ${limit} preview lines (fee.runLines, explained when shown): p50 ${pct(pages, 50).toFixed(1)} ms, p95 ${pct(pages, 95).toFixed(1)} ms`);
      }

      const l0 = process.hrtime.bigint();
      const lock = await core.callAsync('fee.runLock', { id: last });
      if (!lock.ok) throw new Error(`fee.runLock: ${lock.error.message}`);
      const locked = await core.services.jobs.wait((lock.data as { jobId: string }).jobId);
      log(`  lock (recompute, compare, write the run and its lines as records): ${ms(l0).toFixed(0)} ms, ${locked.state}`);

      // The card: next month's fee for children with a fee-bearing place.
      const children = s
        .prepare(`SELECT DISTINCT child_id FROM placement WHERE state = 'accepted' AND school_form IN ('FS', 'FTH') AND deleted_at IS NULL AND valid_to IS NULL AND rowid % 97 = 5 LIMIT 200`)
        .pluck()
        .all() as string[];
      const recs = children.map((id) => record(sample, () => void core.call('fee.explain', { personId: id, month })));
      const cardTimes: number[] = [];
      const cardFloors: number[] = [];
      for (let round = 0; round < 3; round++) {
        children.forEach((id, i) => {
          const t0 = process.hrtime.bigint();
          const r = core.call('fee.explain', { personId: id, month });
          cardTimes.push(ms(t0));
          if (!r.ok) throw new Error(`fee.explain: ${r.error.message}`);
          const f0 = process.hrtime.bigint();
          replay(recs[i]!);
          cardFloors.push(ms(f0));
        });
      }
      const card: FeeFigure = { name: FEE_CARD, p50: pct(cardTimes, 50), p95: pct(cardTimes, 95), unit: 'ms', floorP95: pct(cardFloors, 95), ratio: 0, n: cardTimes.length };
      card.ratio = Math.round((card.p95 / Math.max(card.floorP95, 0.001)) * 100) / 100;
      for (const f of [preview, card]) {
        log(`${f.name.padEnd(34)} p50 ${f.p50.toFixed(2).padStart(9)} ms   p95 ${f.p95.toFixed(2).padStart(9)} ms   floor p95 ${f.floorP95.toFixed(2).padStart(9)} ms   ratio ${f.ratio.toFixed(2)}   (n=${f.n})`);
      }
      return [preview, card];
    } finally {
      core.close();
    }
  } finally {
    removeDatabase(file);
  }
}
