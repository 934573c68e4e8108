/**
 * `kansli fees run --month YYYY-MM [--preview] [--credit-note]`: the month's fee run for a scheduled task,
 * through the same jobs as the fee administrator's screen (preview, then lock), audited as the command line.
 */
import { existsSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import type { MethodOutput } from '../../shared/api/contract';
import { month as feeMonth } from '../../shared/api/fees';
import { createCore, dataPaths } from '../app';
import type { Actor } from '../context';
import { defaultDataDir } from '../paths';
import { parseArgs, UsageError } from './args';

export async function runFeeRunCli(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s + '\n')): Promise<number> {
  const args = parseArgs(argv, { boolean: ['preview', 'credit-note'], value: ['data-dir', 'month'] });
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
    return 0;
  } finally {
    core.close();
  }
}
