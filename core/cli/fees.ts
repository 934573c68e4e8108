/**
 * `kansli fees run --month YYYY-MM [--preview] [--credit-note] [--export csv|ubl|payment --out DIR [--layout ID]]`:
 * the month's fee run for a scheduled task, through the same jobs and methods as the fee administrator's
 * screen (preview, lock, export), audited as the command line. Exports need the lock (a preview is never
 * exported) and are written into DIR under the file's own name.
 */
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { hostname, userInfo } from 'node:os';
import type { MethodOutput } from '../../shared/api/contract';
import { month as feeMonth } from '../../shared/api/fees';
import { createCore, dataPaths } from '../app';
import type { Actor } from '../context';
import { defaultDataDir } from '../paths';
import { parseArgs, UsageError } from './args';

export async function runFeeRunCli(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s + '\n')): Promise<number> {
  const args = parseArgs(argv, { boolean: ['preview', 'credit-note'], value: ['data-dir', 'month', 'export', 'out', 'layout'] });
  const exportAs = args.flags.get('export') as string | undefined;
  const outDir = args.flags.get('out') as string | undefined;
  if (exportAs !== undefined && !['csv', 'ubl', 'payment'].includes(exportAs)) throw new UsageError('fees run --export takes csv, ubl or payment');
  if (exportAs !== undefined && !outDir) throw new UsageError('fees run --export needs --out DIR');
  if (exportAs !== undefined && args.flags.has('preview')) throw new UsageError('fees run --export needs the lock: a preview is not exported');
  if (args.positionals.length) throw new UsageError('fees run takes no arguments besides its options');
  const month = args.flags.get('month') as string | undefined;
  if (!month || !feeMonth.safeParse(month).success) throw new UsageError('fees run needs --month YYYY-MM');
  const { dbPath, logDir } = dataPaths((args.flags.get('data-dir') as string | undefined) ?? defaultDataDir());
  if (!existsSync(dbPath)) {
    out(`${dbPath} does not exist`);
    return 1;
  }
  // A scheduled run: the same jobs as the screen's, audited as the command line.
  const core = createCore({ dbPath, logDir, workstation: `${hostname()} (command line)` });
  const cli: Actor = { id: 'cli', name: `Command line (${userInfo().username})`, permissions: new Set(['fee.read', 'fee.write']) };
  const kr = (ore: number) => `${(ore / 100).toFixed(2)} kr`;
  const job = async (method: 'fee.runStart' | 'fee.runLock', input: unknown): Promise<{ runId?: string } | null> => {
    const r = await core.callAsync(method, input, cli);
    if (!r.ok) {
      out(`${r.error.field ? `${r.error.field}: ` : ''}${r.error.message}`);
      return null;
    }
    const started = r.data as { jobId: string; runId?: string };
    const j = await core.services.jobs.wait(started.jobId);
    if (j.state !== 'succeeded') {
      out(`${method}: ${j.state}${j.error ? `: ${j.error.message}` : ''}`);
      return null;
    }
    return started;
  };
  try {
    const started = await job('fee.runStart', { month, kind: args.flags.has('credit-note') ? 'credit_note' : 'regular' });
    if (!started) return 1;
    const got = core.call('fee.runGet', { id: started.runId }, cli);
    if (!got.ok) throw new Error(got.error.message);
    const run = got.data as MethodOutput<'fee.runGet'>;
    const s = run.summary!;
    out(`Fee run ${run.id} for ${month} (${run.kind}): ${s.lines} lines, total ${kr(s.total)}`);
    out(`  charges ${s.charges.lines} lines ${kr(s.charges.amount)}; corrections ${s.corrections.lines} lines ${kr(s.corrections.amount)}${s.corrections.months.length ? ` (${s.corrections.months.join(', ')})` : ''}`);
    for (const u of s.byUnit) out(`  ${u.name}: ${u.lines} lines, ${kr(u.amount)}`);
    for (const w of s.warnings) out(`  warning ${w.code}: ${w.count}`);
    if (s.previous) out(`  against ${s.previous.month}: ${s.previous.added} new, ${s.previous.ended} ended, ${s.previous.changed} changed, ${s.previous.same} the same`);
    if (args.flags.has('preview')) {
      out('Preview only: not locked');
      return 0;
    }
    if (!(await job('fee.runLock', { id: run.id }))) return 1;
    out(`Locked ${run.id}`);
    if (exportAs) {
      const e = await core.callAsync('fee.runExport', { id: run.id, format: exportAs, ...(args.flags.has('layout') ? { layout: args.flags.get('layout') } : {}) }, cli);
      if (!e.ok) {
        out(`${e.error.field ? `${e.error.field}: ` : ''}${e.error.message}`);
        return 1;
      }
      const x = e.data as MethodOutput<'fee.runExport'>;
      mkdirSync(outDir!, { recursive: true });
      const target = join(outDir!, x.file.name);
      await pipeline(core.services.files.read(x.file.fileId, cli.id).stream, createWriteStream(target));
      out(`Exported ${exportAs} to ${target} (${x.lines} lines, ${x.documents} documents, total ${kr(x.total)}${x.withheld ? `; ${x.withheld} addresses withheld` : ''})`);
    }
    return 0;
  } finally {
    core.close();
  }
}
