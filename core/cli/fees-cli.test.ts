/** `kansli fees run`: a scheduled month's run through the same jobs as the screen, in-process. */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPaths } from '../app';
import { runFeeRunCli } from './fees';
import { runCli } from './main';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kansli-fees-cli-'));
  expect(runCli(['demo', 'seed', '--data-dir', dir, '--persons', '400', '--country', 'se', '--seed', '5'], () => {})).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await runFeeRunCli(argv, (s) => out.push(s));
  return { code, out };
}

describe('kansli fees run', () => {
  const month = new Date().toISOString().slice(0, 7);

  it('previews without locking, then locks; the same month again is refused by its rule; audited as the command line', async () => {
    const p = await run(['--month', month, '--preview', '--data-dir', dir]);
    expect(p.code, p.out.join('\n')).toBe(0);
    const text = p.out.join('\n');
    expect(text).toMatch(new RegExp(`Fee run [0-9a-f-]{36} for ${month} \\(regular\\): \\d+ lines, total \\d+\\.\\d\\d kr`));
    expect(text).toMatch(/warning income_not_declared: \d+/);
    expect(text).toMatch(/Preview only: not locked/);
    const db = () => new Database(dataPaths(dir).dbPath, { readonly: true });
    let d = db();
    expect(d.prepare('SELECT count(*) FROM fee_run').pluck().get()).toBe(0);
    d.close();

    const l = await run(['--month', month, '--data-dir', dir, '--export', 'payment', '--out', join(dir, 'out')]);
    expect(l.code, l.out.join('\n')).toBe(0);
    expect(l.out.join('\n')).toMatch(/Locked [0-9a-f-]{36}/);
    const exported = l.out.at(-1)!;
    expect(exported).toMatch(/^Exported payment to .*betalunderlag\.csv \(\d+ lines, \d+ documents, total \d+\.\d\d kr/);
    const file = exported.match(/to (\S+betalunderlag\.csv)/)![1]!;
    expect(readFileSync(file, 'utf8')).toMatch(/^\uFEFFKundnummer;Namn;Dokument/);
    d = db();
    try {
      const total = d.prepare('SELECT total FROM fee_run').pluck().get() as number;
      expect(d.prepare('SELECT sum(amount) FROM fee_line').pluck().get()).toBe(total);
      expect(d.prepare(`SELECT count(*) FROM audit_log WHERE method = 'fee.runLock' AND actor_id = 'cli' AND action = 'write'`).pluck().get()).toBe(1);
    } finally {
      d.close();
    }
    const again = await run(['--month', month, '--data-dir', dir]);
    expect(again.code).toBe(1);
    expect(again.out.join('\n')).toMatch(/month: fee_run_exists/);
  });

  it('names what is wrong with the command', async () => {
    await expect(run(['--data-dir', dir])).rejects.toThrow(/--month YYYY-MM/);
    await expect(run(['--month', '2026-13', '--data-dir', dir])).rejects.toThrow(/--month YYYY-MM/);
    expect(await run(['--month', month, '--data-dir', join(dir, 'nope')])).toMatchObject({ code: 1 });
    await expect(run(['--month', month, '--export', 'pdf', '--out', dir, '--data-dir', dir])).rejects.toThrow(/csv, ubl or payment/);
    await expect(run(['--month', month, '--export', 'csv', '--data-dir', dir])).rejects.toThrow(/--out DIR/);
    await expect(run(['--month', month, '--export', 'csv', '--out', dir, '--preview', '--data-dir', dir])).rejects.toThrow(/needs the lock/);
  });
});
