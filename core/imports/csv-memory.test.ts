/**
 * Bounded memory: a 100 000-row legacy export (a real file in a temp folder, Windows-1252 as old systems write
 * them) is read while the heap and the read position are sampled. The reader must hold one row at a time: it hands
 * out each row's record before parsing the next, never reads more than a chunk ahead of what it has handed out,
 * and the heap stays flat (kept records would take hundreds of megabytes). Logs the throughput (not asserted: the
 * machine is shared).
 */
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeLegacyCsv } from '../demo/legacy-csv';
import { readCsv } from './csv';

const ROWS = 100_000;
const CHUNK = 64 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'kansli-csv-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reading a 100 000-row legacy CSV', () => {
  it('holds one row at a time and keeps the heap flat', async () => {
    const path = join(dir, 'sats-export.csv');
    const info = writeLegacyCsv(path, { country: 'NO', rows: ROWS, seed: 7, encoding: 'windows-1252' });
    const perRow = info.bytes / ROWS;
    // Bytes the reader has pulled from the file so far.
    let pulled = 0;
    let progress = 0;
    let maxAhead = 0;
    const heap0 = process.memoryUsage().heapUsed;
    let heapMax = heap0;
    let records = 0;
    let maxBuffered = -1;
    const t0 = performance.now();
    const source = (async function* () {
      for await (const chunk of createReadStream(path, { highWaterMark: CHUNK }) as AsyncIterable<Buffer>) {
        pulled += chunk.length;
        yield chunk;
      }
    })();
    const items = readCsv(source, {
      country: 'NO',
      mapping: info.mapping,
      today: '2026-12-03',
      allowSynthetic: true,
      onProgress: (b) => (progress = b),
    });
    for await (const it of items) {
      if (it.type === 'record') {
        records++;
        // How far the file has been read beyond this row (rows vary in length; the average is stable over many).
        maxAhead = Math.max(maxAhead, pulled - records * perRow);
        if (records % 5000 === 0) heapMax = Math.max(heapMax, process.memoryUsage().heapUsed);
      } else if (it.type === 'problem') {
        throw new Error(`unexpected problem: ${it.problem.reason}`);
      } else if (it.type === 'end') {
        maxBuffered = it.summary.maxBufferedItems;
      }
    }
    const s = (performance.now() - t0) / 1000;
    const growth = (heapMax - heap0) / 1e6;
    console.log(
      `read ${records} CSV rows (${(info.bytes / 1e6).toFixed(1)} MB, Windows-1252) in ${s.toFixed(2)} s: ${Math.round(records / s)} rows/s, ` +
        `${(info.bytes / 1e6 / s).toFixed(1)} MB/s; heap growth at most ${growth.toFixed(0)} MB; read at most ${Math.round(maxAhead / 1024)} KB ahead; ` +
        `at most ${maxBuffered} item(s) buffered`,
    );
    expect(records).toBe(ROWS);
    expect(progress).toBe(info.bytes);
    expect(info.validRows).toBe(ROWS);
    // One row's items at a time: a valid row is one record.
    expect(maxBuffered).toBe(1);
    // Never more than the chunk being parsed (and the rows' spread around their average length) ahead.
    expect(maxAhead).toBeLessThan(CHUNK + 64 * 1024);
    // 100 000 kept records would take several hundred megabytes; what growth there is, is young garbage.
    expect(growth).toBeLessThan(100);
  }, 300_000);
});
