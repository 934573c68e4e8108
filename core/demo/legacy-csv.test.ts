/** The synthetic legacy CSV: readable with its own mapping, deterministic, its planted problems exactly reported. */
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateMapping } from '../imports/csv-mappings';
import { readCsv } from '../imports/csv';
import { collect } from '../imports/fixtures/collect';
import { encodeWindows1252, writeLegacyCsv, type LegacyCsvOptions } from './legacy-csv';

const dir = mkdtempSync(join(tmpdir(), 'kansli-legacy-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const TODAY = '2026-12-03';

async function readBack(o: LegacyCsvOptions, name: string, allowSynthetic = true) {
  const path = join(dir, name);
  const info = writeLegacyCsv(path, o);
  const c = await collect(readCsv(createReadStream(path), { country: o.country, mapping: info.mapping, today: TODAY, allowSynthetic }));
  return { info, c, path };
}

describe('the synthetic legacy CSV', () => {
  it.each([
    ['SE', 'utf-8-bom'],
    ['SE', 'windows-1252'],
    ['NO', 'utf-8'],
    ['NO', 'windows-1252'],
  ] as const)('%s in %s reads back whole, with its own mapping', async (country, encoding) => {
    const { info, c } = await readBack({ country, rows: 1500, seed: 1, encoding }, `${country}-${encoding}.csv`);
    expect(validateMapping(info.mapping)).toEqual(info.mapping);
    expect(c.error).toBeNull();
    expect(c.problems).toEqual([]);
    expect(c.records).toHaveLength(1500);
    expect(info).toMatchObject({ rows: 1500, validRows: 1500, problems: [] });
    const names = c.records.map((r) => `${r.names[0]!.given} ${r.names[0]!.family}`).join(' ');
    // The Nordic letters survived the encoding (Windows-1252 is detected, not assumed).
    expect(names).toMatch(country === 'SE' ? /[åäö]/i : /[æøå]/i);
    // Guardians by number, reserve-number persons, multi-line streets and protected persons are all there.
    expect(c.records.some((r) => r.relations.length === 2)).toBe(true);
    expect(c.records.some((r) => r.identity === null && r.reserveNumber !== null)).toBe(true);
    expect(c.records.some((r) => r.addresses[0]!.lines.length === 2)).toBe(true);
    expect(c.records.some((r) => r.protection[0] && r.protection[0].level !== 'none')).toBe(true);
    for (const r of c.records) for (const k of r.contacts) if (k.kind === 'email') expect(k.value).toMatch(/@example\.com$/);
  });

  it('plants exactly the problems it lists, at their line and column', async () => {
    for (const country of ['SE', 'NO'] as const) {
      const { info, c } = await readBack({ country, rows: 2000, seed: 2, withErrors: true, dateFormat: 'YYYYMMDD' }, `${country}-errors.csv`);
      expect(info.problems.length).toBeGreaterThanOrEqual(35);
      expect(new Set(info.problems.map((p) => p.code)).size).toBe(8);
      expect(c.problems.map((p) => ({ line: p.line, column: p.column, code: p.code }))).toEqual(info.problems);
      expect(c.records).toHaveLength(info.validRows);
      expect(info.validRows + info.problems.length).toBe(2000);
    }
  });

  it('is the same file for the same seed, and another for another seed', async () => {
    const a = readFileSync((await readBack({ country: 'SE', rows: 300, seed: 9 }, 'a.csv')).path);
    const b = readFileSync((await readBack({ country: 'SE', rows: 300, seed: 9 }, 'b.csv')).path);
    const other = readFileSync((await readBack({ country: 'SE', rows: 300, seed: 10 }, 'c.csv')).path);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(other)).toBe(false);
  });

  it('holds only synthetic Norwegian numbers: without allowSynthetic every row is refused', async () => {
    const { c } = await readBack({ country: 'NO', rows: 200, seed: 3 }, 'no-synthetic.csv', false);
    expect(c.records.filter((r) => r.identity !== null)).toEqual([]);
    expect(c.problems.length).toBeGreaterThan(100);
    expect(c.problems.every((p) => p.code === 'bad_identity_number' && p.args?.['why'] === 'synthetic_not_allowed')).toBe(true);
  });

  it('refuses to write a character Windows-1252 lacks rather than writing "?"', () => {
    expect(encodeWindows1252('Åsa Ødegård – €')).toEqual(Buffer.from([0xc5, 0x73, 0x61, 0x20, 0xd8, 0x64, 0x65, 0x67, 0xe5, 0x72, 0x64, 0x20, 0x96, 0x20, 0x80]));
    expect(() => encodeWindows1252('Łukasz')).toThrow(RangeError);
  });
});
