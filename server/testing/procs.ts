/**
 * Child processes for the fault tests: the sync server or a workstation run by tsx, their stdout read line
 * by line, killed with SIGKILL (nothing of theirs runs after) or stopped with SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

export interface Proc {
  child: ChildProcess;
  lines: string[];
  stderr: string[];
  /** Resolves with the first line (seen or to come) matching `re`; rejects if the process exits first. */
  line(re: RegExp, ms?: number): Promise<string>;
  /** SIGKILL, then waits for the exit. */
  kill9(): Promise<void>;
  /** SIGTERM, then waits for the exit; after `ms` without one, SIGKILL and an error. */
  stop(ms?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startProc(script: 'proc-server.ts' | 'proc-workstation.ts', args: string[]): Proc {
  // node itself with tsx's loader: the tsx command runs the script in a second process, which a SIGKILL
  // of the first would leave running.
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server', 'testing', script), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const stderr: string[] = [];
  const waiters = new Set<() => void>();
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let at: number;
    while ((at = buf.indexOf('\n')) >= 0) {
      lines.push(buf.slice(0, at));
      buf = buf.slice(at + 1);
    }
    for (const w of waiters) w();
  });
  child.stderr!.on('data', (d: Buffer) => void stderr.push(d.toString()));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) =>
    child.once('exit', (code, signal) => {
      done = true;
      for (const w of waiters) w();
      ok({ code, signal });
    }),
  );
  const proc: Proc = {
    child,
    lines,
    stderr,
    exited,
    line: (re, ms = 60_000) =>
      new Promise((ok, fail) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          fail(new Error(`${script}: no line matching ${re} in ${ms} ms; stdout ${JSON.stringify(lines)} stderr ${stderr.join('').slice(-2000)}`));
        }, ms);
        const check = () => {
          const hit = lines.find((l) => re.test(l));
          if (hit !== undefined || done) {
            clearTimeout(timer);
            waiters.delete(check);
            if (hit !== undefined) ok(hit);
            else fail(new Error(`${script} exited before a line matching ${re}; stdout ${JSON.stringify(lines)} stderr ${stderr.join('').slice(-2000)}`));
          }
        };
        waiters.add(check);
        check();
      }),
    async kill9() {
      if (!done) child.kill('SIGKILL');
      await exited;
    },
    async stop(ms = 20_000) {
      if (done) return;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const late = await Promise.race([exited.then(() => false), new Promise<boolean>((ok) => (timer = setTimeout(() => ok(true), ms)))]);
      clearTimeout(timer);
      if (late) {
        child.kill('SIGKILL');
        await exited;
        throw new Error(`${script} did not stop within ${ms} ms of SIGTERM`);
      }
    },
  };
  return proc;
}
