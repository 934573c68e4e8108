/**
 * The demo municipality's population-register files: the full file that (as the demo tells it) was the
 * register's first load, recorded as applied, and a delta after it for a visitor to import. Written once,
 * when a demo database is seeded, into `demo-population/` beside the database.
 */
import { createReadStream } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { writeDemoPopulationFiles, type PopulationFiles } from '../demo/population-files';
import { readFreg } from './freg';
import type { PopulationFileHeader } from './model';
import { readNavet } from './navet';
import { streamKey } from './read-job';
import { coversText } from './runs';

export async function seedDemoPopulationFiles(sqlite: Database.Database, o: { dataDir: string; today: string; now?: string }): Promise<PopulationFiles> {
  const files = writeDemoPopulationFiles(sqlite, { outDir: join(o.dataDir, 'demo-population'), today: o.today });
  const format = files.country === 'SE' ? 'navet' : 'freg';
  const read = format === 'navet' ? readNavet : readFreg;
  let header: PopulationFileHeader | null = null;
  for await (const item of read(createReadStream(files.full), { today: o.today, allowSynthetic: true })) {
    if (item.type === 'header') {
      header = item.header;
      break;
    }
  }
  if (!header?.ordering) throw new Error('The demo full file states no ordering');
  const runId = randomUUID();
  // The core's clock (a demo pinned to a date stays on it), else the machine's.
  const now = o.now ?? `${o.today}T06:00:00.000Z`;
  sqlite.transaction(() => {
    sqlite
      .prepare(
        `INSERT INTO import_run (id, format, kind, file_id, file_name, stream, ordering, covers, state, counts, records, created_by, created_by_name, created_at, applied_at)
         VALUES (?, ?, 'full', '', ?, ?, ?, ?, 'applied', '{}', ?, 'demo-seed', 'Demo', ?, ?)`,
      )
      .run(runId, format, files.full.split(/[\\/]/).pop(), streamKey(format, header!.ordering), JSON.stringify(header!.ordering), coversText(header!.ordering), files.persons, now, now);
    sqlite
      .prepare(`INSERT OR REPLACE INTO import_stream (stream, format, ordering, run_id, applied_at) VALUES (?, ?, ?, ?, ?)`)
      .run(streamKey(format, header!.ordering), format, JSON.stringify(header!.ordering), runId, now);
  })();
  return files;
}
