/**
 * `kansli import navet|freg|csv FILE [--dry-run] [--mapping NAME] [--kind full|delta] [--data-dir DIR] [--json]`
 *
 * The registrar's import from a terminal: the file is read and compared with the register (the dry run),
 * its counts and problems are printed, and without --dry-run it is applied in one transaction. Exactly
 * what the import screen does, through the same core methods, audited as the command line's user. A
 * progress line is drawn on a terminal (a line per phase otherwise, for logs). Exit 0 when done (or a
 * clean dry run), 1 when the file cannot be applied (unreadable, out of order), 2 on usage errors.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { hostname, userInfo } from 'node:os';
import { PERMISSIONS } from '../../shared/api/contract';
import type { MethodOutput } from '../../shared/api/contract';
import type { JobView } from '../../shared/domain/events';
import { isUploadKind } from '../../shared/domain/files';
import type { Session } from '../access/auth';
import { createCore, dataPaths } from '../app';
import type { Actor } from '../context';
import { fixedClock, systemClock } from '../context';
import { defaultDataDir } from '../paths';
import { dateFlag, parseArgs, UsageError } from './args';

export interface CliIo {
  out(s: string): void;
  /** The progress line (stderr); `tty`: redraw one line instead of printing one per phase. */
  progress(s: string, tty: boolean): void;
  tty: boolean;
}

const stdio: CliIo = {
  out: (s) => process.stdout.write(`${s}\n`),
  progress: (s, tty) => process.stderr.write(tty ? `\r${s.padEnd(70)}` : `${s}\n`),
  tty: Boolean(process.stderr.isTTY),
};

export async function runImportCli(argv: string[], io: CliIo = stdio): Promise<number> {
  const [format, ...rest] = argv;
  if (format !== 'navet' && format !== 'freg' && format !== 'csv') throw new UsageError('import takes navet, freg or csv, then the file');
  const args = parseArgs(rest, { boolean: ['dry-run', 'json'], value: ['data-dir', 'mapping', 'kind', 'today'] });
  if (args.positionals.length !== 1) throw new UsageError(`import ${format} takes exactly one file`);
  const file = args.positionals[0]!;
  if (!existsSync(file)) throw new UsageError(`${file} does not exist`);
  const kind = args.flags.get('kind');
  if (kind !== undefined && kind !== 'full' && kind !== 'delta') throw new UsageError('--kind is full or delta');
  const mapping = args.flags.get('mapping');
  if (format === 'csv' && typeof mapping !== 'string') throw new UsageError('import csv needs --mapping NAME (a mapping saved on the import screen)');
  const { dbPath, logDir } = dataPaths((args.flags.get('data-dir') as string | undefined) ?? defaultDataDir());
  if (!existsSync(dbPath)) throw new UsageError(`${dbPath} does not exist`);
  const today = dateFlag(args, 'today');
  // One process, one job: the job runs in this thread (inline), and this process may wait for the lock.
  const core = createCore({ dbPath, logDir, jobMode: 'inline', busyTimeoutMs: 10_000, workstation: `${hostname()} (command line)`, clock: today ? fixedClock(today) : systemClock });
  const actor: Actor = { id: 'cli', name: `Command line (${userInfo().username})`, permissions: new Set(PERMISSIONS) };
  const json = args.flags.has('json');
  let last = '';
  const off = core.services.events.subscribe({ actor } as Session, (e) => {
    if (e.type !== 'job' || json) return;
    const line = progressLine(e.job);
    if (line !== last && (io.tty || e.job.phase !== last.split(' ')[0])) io.progress(line, io.tty);
    last = line;
  });
  const wait = async (jobId: string): Promise<JobView> => {
    const job = await core.services.jobs.wait(jobId);
    if (io.tty && !json) io.progress('', true);
    if (io.tty && !json) process.stderr.write('\r');
    return job;
  };
  try {
    if (!isUploadKind(format)) throw new UsageError('unknown format');
    const stored = await core.services.files.receivePath({ kind: format, ownerId: actor.id, path: file, name: basename(file) });
    const started = await core.callAsync('import.start', { fileId: stored.id, format, ...(typeof mapping === 'string' ? { mapping } : {}), ...(kind ? { kind } : {}) }, actor);
    if (!started.ok) {
      io.out(`kansli: ${started.error.message}`);
      return 1;
    }
    const { jobId, runId } = started.data as { jobId: string; runId: string };
    const readJob = await wait(jobId);
    const run = core.call('import.get', { id: runId }, actor);
    if (!run.ok) throw new Error(run.error.message);
    const r = run.data as MethodOutput<'import.get'>;
    const problems = core.call('import.problems', { id: runId, limit: 20 }, actor);
    if (json && args.flags.has('dry-run')) io.out(JSON.stringify({ run: r, problems: problems.ok ? problems.data : null }));
    if (!json) {
      io.out(`${basename(file)}: ${r.format} ${r.kind ?? ''} ${r.covers ? `(${r.covers})` : ''}`.trim());
      io.out(`  records ${r.records}, skipped ${r.skipped}, problems ${r.problems}`);
      for (const [k, n] of Object.entries(r.counts).sort()) io.out(`  ${k.padEnd(20)} ${String(n).padStart(8)}`);
      if (problems.ok) {
        const p = problems.data as MethodOutput<'import.problems'>;
        for (const x of p.items) io.out(`  line ${x.line}, column ${x.column}, <${x.element}>: ${x.reason}${x.severity === 'file' ? ' (the file cannot be read on)' : ''}`);
        if (p.total > p.items.length) io.out(`  … and ${p.total - p.items.length} more problems (the import screen lists them all and exports them as CSV)`);
      }
    }
    if (readJob.state !== 'succeeded' || r.state !== 'ready') {
      io.out(`kansli: the file cannot be applied: ${r.blocked?.message ?? readJob.error?.message ?? r.state}`);
      return 1;
    }
    if (r.blocked) {
      io.out(`kansli: the file cannot be applied: ${r.blocked.message}`);
      return 1;
    }
    if (args.flags.has('dry-run')) {
      if (!json) io.out('Dry run: nothing was changed.');
      return 0;
    }
    const applied = await core.callAsync('import.apply', { id: runId }, actor);
    if (!applied.ok) {
      io.out(`kansli: ${applied.error.message}`);
      return 1;
    }
    const job = await wait((applied.data as { jobId: string }).jobId);
    if (job.state !== 'succeeded') {
      io.out(`kansli: the import was not applied (${job.state}: ${job.error?.message ?? ''}); nothing was changed`);
      return 1;
    }
    if (json) io.out(JSON.stringify({ run: r, result: job.result }));
    else io.out(`Applied: ${job.result?.changes ?? 0} changes to ${job.result?.persons ?? 0} persons; ${job.result?.workItems ?? 0} new items on the work list.`);
    return 0;
  } finally {
    off();
    core.close();
  }
}

function progressLine(j: JobView): string {
  const pct = j.total ? ` ${Math.min(100, Math.round((j.done / j.total) * 100))} %` : j.done ? ` ${j.done}` : '';
  return `${j.phase}${pct}`;
}
