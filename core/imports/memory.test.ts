/**
 * Bounded memory: a 200 000-person Navet file (about 280 MB, produced as it is read — no file, no database) is
 * read while the heap is sampled. Were the reader to keep records, the heap would grow by gigabytes; it must stay
 * within a generous bound, and the reader must never have held more than one parsed slice of records.
 * Also logs the throughput (not asserted: the machine is shared).
 */
import { describe, expect, it } from 'vitest';
import { chunkStream, syntheticPopulationChunks } from '../demo/population-files';
import { readNavet } from './navet';

const PERSONS = 200_000;

describe('reading a 200 000-person file', () => {
  it('keeps the heap flat and holds no more than a few dozen records at a time', async () => {
    let bytes = 0;
    const source = chunkStream(
      (function* () {
        for (const c of syntheticPopulationChunks({ country: 'SE', persons: PERSONS, today: '2026-12-03', seed: 11 })) {
          bytes += Buffer.byteLength(c);
          yield c;
        }
      })(),
    );
    const heap0 = process.memoryUsage().heapUsed;
    let heapMax = heap0;
    let records = 0;
    let maxBuffered = 0;
    const t0 = performance.now();
    for await (const it of readNavet(source, { today: '2026-12-03' })) {
      if (it.type === 'record') {
        if (++records % 5000 === 0) heapMax = Math.max(heapMax, process.memoryUsage().heapUsed);
      } else if (it.type === 'problem') throw new Error(`unexpected problem: ${it.problem.reason}`);
      else if (it.type === 'end') maxBuffered = it.summary.maxBufferedItems;
    }
    const s = (performance.now() - t0) / 1000;
    const growth = (heapMax - heap0) / 1e6;
    console.log(
      `read ${records} Navet records (${(bytes / 1e6).toFixed(0)} MB, generated on the fly) in ${s.toFixed(1)} s: ` +
        `${Math.round(records / s)} records/s, ${(bytes / 1e6 / s).toFixed(1)} MB/s; heap growth at most ${growth.toFixed(0)} MB; at most ${maxBuffered} items buffered`,
    );
    expect(records).toBe(PERSONS);
    expect(bytes).toBeGreaterThan(200e6);
    // Kept records would take hundreds of megabytes; what growth there is, is young-generation garbage.
    expect(growth).toBeLessThan(250);
    expect(maxBuffered).toBeLessThan(200);
  }, 600_000);
});
