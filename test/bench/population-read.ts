/**
 * Throughput of the population-register readers: writes a synthetic full file (no database) of N persons for
 * Sweden (Navet) and Norway (Folkeregisteret) into a temporary folder, then reads it back and prints records/s
 * and MB/s, and the heap growth during the read. Not a test: figures vary with the machine.
 *
 *   npx tsx test/bench/population-read.ts [--persons 100000] [--country se|no] [--keep]
 */
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticPopulationFile } from '../../core/demo/population-files';
import { readFreg } from '../../core/imports/freg';
import { readNavet } from '../../core/imports/navet';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const persons = Number(arg('persons') ?? 100_000);
const countries = arg('country') ? [arg('country')!.toUpperCase() as 'SE' | 'NO'] : (['SE', 'NO'] as const);
const dir = mkdtempSync(join(tmpdir(), 'kansli-popread-'));

try {
  for (const country of countries) {
    const path = join(dir, `${country}.xml`);
    let t0 = performance.now();
    writeSyntheticPopulationFile(path, { country, persons, today: '2026-12-03' });
    const writeMs = performance.now() - t0;
    const bytes = statSync(path).size;
    const heap0 = process.memoryUsage().heapUsed;
    let heapMax = heap0;
    let records = 0;
    let problems = 0;
    t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const read = country === 'SE' ? readNavet : readFreg;
    for await (const item of read(createReadStream(path), { today: '2026-12-03', allowSynthetic: true })) {
      if (item.type === 'record') {
        if (++records % 10_000 === 0) heapMax = Math.max(heapMax, process.memoryUsage().heapUsed);
      } else if (item.type === 'problem') problems++;
    }
    const s = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuS = (cpu.user + cpu.system) / 1e6;
    console.log(
      `${country} ${country === 'SE' ? 'Navet' : 'Folkeregisteret'}: ${records} records, ${(bytes / 1e6).toFixed(1)} MB written in ${(writeMs / 1000).toFixed(1)} s; ` +
        `read in ${s.toFixed(1)} s (${cpuS.toFixed(1)} s CPU) = ${Math.round(records / s)} records/s, ${(bytes / 1e6 / s).toFixed(1)} MB/s ` +
        `(per CPU second: ${Math.round(records / cpuS)} records, ${(bytes / 1e6 / cpuS).toFixed(1)} MB); ` +
        `${problems} problems; heap growth during the read at most ${((heapMax - heap0) / 1e6).toFixed(0)} MB`,
    );
  }
} finally {
  if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  else console.log(`files kept in ${dir}`);
}
