/** `kansli import`: the dry run prints counts and problems, the apply changes the register, a refused file exits 1. */
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeTestCore, TEST_TODAY } from '../../test/util/core';
import { seedDemoPopulationFiles } from '../imports/demo';
import { runImportCli, type CliIo } from './import';

function io(): CliIo & { lines: string[]; progress_: string[] } {
  const lines: string[] = [];
  const progress_: string[] = [];
  return { lines, progress_, out: (s) => lines.push(s), progress: (s) => progress_.push(s), tty: false };
}

describe('kansli import', () => {
  it('a dry run prints what would change and changes nothing; then the import applies; the same file again exits 1', async () => {
    const core = makeTestCore({ persons: 1500 });
    const files = await seedDemoPopulationFiles(core.db.sqlite, { dataDir: core.dir, today: TEST_TODAY });
    const dir = core.dir;
    core.close();
    try {
      const dry = io();
      expect(await runImportCli(['navet', files.delta, '--data-dir', dir, '--dry-run', '--today', TEST_TODAY], dry)).toBe(0);
      expect(dry.lines.join('\n')).toMatch(/records \d+, skipped 0, problems 0/);
      expect(dry.lines.join('\n')).toMatch(/new_person\s+\d+/);
      expect(dry.lines.at(-1)).toBe('Dry run: nothing was changed.');
      expect(dry.progress_.some((l) => l.startsWith('read'))).toBe(true);
      const real = io();
      expect(await runImportCli(['navet', files.delta, '--data-dir', dir, '--today', TEST_TODAY], real)).toBe(0);
      expect(real.lines.at(-1)).toMatch(/^Applied: \d+ changes to \d+ persons; \d+ new items on the work list\.$/);
      const again = io();
      expect(await runImportCli(['navet', files.delta, '--data-dir', dir, '--today', TEST_TODAY], again)).toBe(1);
      expect(again.lines.at(-1)).toMatch(/cannot be applied: .*already applied/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('usage: an unknown format, a missing file, csv without a mapping', async () => {
    await expect(runImportCli(['xls', 'x'], io())).rejects.toThrow(/navet, freg or csv/);
    await expect(runImportCli(['navet', '/nonexistent.xml'], io())).rejects.toThrow(/does not exist/);
    await expect(runImportCli(['csv', '/etc/hostname'], io())).rejects.toThrow(/--mapping/);
  });
});
