/** kansli demo population-files: the demo's register files, or a synthetic file without a database. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/open';
import { dataPaths } from '../app';
import { UsageError } from './args';
import { runCli } from './main';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kansli-popcli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(argv: string[]): { code: number; out: string } {
  const out: string[] = [];
  const code = runCli(argv, (s) => out.push(s));
  return { code, out: out.join('\n') };
}

describe('kansli demo population-files', () => {
  it('writes the full file and the delta of a demo database', () => {
    const data = join(dir, 'data');
    expect(run(['demo', 'seed', '--country', 'no', '--persons', '300', '--data-dir', data]).code).toBe(0);
    const r = run(['demo', 'population-files', '--data-dir', data, '--out', join(dir, 'out'), '--today', '2026-12-03']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/freg-full\.xml \(\d+ persons\) and .*freg-delta\.xml/);
    expect(readFileSync(join(dir, 'out', 'freg-full.xml'), 'utf8')).toContain('<k:folkeregisterpersoner');
    expect(existsSync(join(dir, 'out', 'freg-delta.xml'))).toBe(true);
    expect(() => run(['demo', 'population-files', '--data-dir', data, '--out', join(dir, 'out'), '--country', 'se'])).toThrow(UsageError);
  });

  it('refuses a database that is not a demo (real persons are never written out)', () => {
    const data = join(dir, 'real');
    openDatabase(dataPaths(data).dbPath).close();
    const r = run(['demo', 'population-files', '--data-dir', data, '--out', join(dir, 'out')]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('not a demo database');
  });

  it('writes a synthetic file of N persons without a database', () => {
    const r = run(['demo', 'population-files', '--out', dir, '--country', 'se', '--persons', '25', '--today', '2026-12-03']);
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, 'navet-synthetic.xml'), 'utf8');
    expect(text.match(/<Folkbokforingspost>/g)).toHaveLength(25);
    expect(() => run(['demo', 'population-files', '--out', dir, '--persons', '5', '--data-dir', dir])).toThrow(UsageError);
    expect(() => run(['demo', 'population-files', '--persons', '5'])).toThrow('needs --out DIR');
  });
});
