/** The ZIP writer, read back by another implementation (Python's zipfile, present wherever node-gyp builds). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeZip } from './zip';

const dir = mkdtempSync(join(tmpdir(), 'kansli-zip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const READ = `
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
bad = z.testzip()
print(json.dumps({"bad": bad, "entries": [[i.filename, z.read(i.filename).decode("utf-8"), list(i.date_time)] for i in z.infolist()]}))
`;

describe('writeZip', () => {
  it('writes entries another implementation reads back exactly (UTF-8 names, deflated, CRC checked)', () => {
    const big = 'Förskola Åsa Ødegård & <barn> '.repeat(2000);
    const zip = writeZip(
      [
        { name: 'faktura-0001.xml', data: '<Invoice/>' },
        { name: 'kreditnota-å.xml', data: big },
        { name: 'empty.txt', data: '' },
      ],
      '2026-11-23T12:34:56.000Z',
    );
    const file = join(dir, 'a.zip');
    writeFileSync(file, zip);
    const out = JSON.parse(execFileSync('python3', ['-c', READ, file], { encoding: 'utf8' })) as { bad: string | null; entries: [string, string, number[]][] };
    expect(out.bad).toBeNull();
    expect(out.entries).toEqual([
      ['faktura-0001.xml', '<Invoice/>', [2026, 11, 23, 12, 34, 56]],
      ['kreditnota-å.xml', big, [2026, 11, 23, 12, 34, 56]],
      ['empty.txt', '', [2026, 11, 23, 12, 34, 56]],
    ]);
    expect(zip.length).toBeLessThan(big.length / 10);
  });

  it('refuses two entries with one name', () => {
    expect(() => writeZip([{ name: 'a', data: '1' }, { name: 'a', data: '2' }], '2026-01-01T00:00:00Z')).toThrow(/Two entries are named a/);
  });
});
