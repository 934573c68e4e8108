/**
 * `kansli server start` as a real child process through bin/kansli.mjs: embedded PostgreSQL in a temporary
 * data folder, /health over HTTP, a clean SIGTERM shutdown (exit 0, PostgreSQL stopped), and a second start
 * that reuses the cluster (the same epoch). Also the exit codes of a locked folder and a bad setting.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './db/embedded';

const BIN = fileURLToPath(new URL('../bin/kansli.mjs', import.meta.url));
const parent = mkdtempSync(join(tmpdir(), 'kansli-srv-cli-'));
// mkdtemp makes 0700 folders; as root the postgres user must traverse it to reach <data>/pg.
chmodSync(parent, 0o755);
const children: ChildProcessWithoutNullStreams[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(parent, { recursive: true, force: true });
});

interface Run {
  child: ChildProcessWithoutNullStreams;
  lines: Record<string, unknown>[];
  stderr: () => string;
  exited: Promise<number | null>;
  /** Resolves with the first log line matching, or rejects when the process exits first. */
  waitFor(msg: string): Promise<Record<string, unknown>>;
}

function run(args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const { DATABASE_URL: _omit, ...base } = process.env;
  const child = spawn(process.execPath, [BIN, 'server', ...args], { cwd: parent, env: { ...base, ...env } });
  children.push(child);
  const lines: Record<string, unknown>[] = [];
  const waiters: { msg: string; ok: (l: Record<string, unknown>) => void }[] = [];
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    let nl;
    while ((nl = out.indexOf('\n')) >= 0) {
      const line = JSON.parse(out.slice(0, nl)) as Record<string, unknown>;
      out = out.slice(nl + 1);
      lines.push(line);
      for (const w of waiters.filter((x) => x.msg === line.msg)) w.ok(line);
    }
  });
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  return {
    child,
    lines,
    stderr: () => err,
    exited,
    waitFor: (msg) =>
      new Promise((ok, fail) => {
        const seen = lines.find((l) => l.msg === msg);
        if (seen) return ok(seen);
        waiters.push({ msg, ok });
        void exited.then((code) => fail(new Error(`exited ${code} before "${msg}": ${err}`)));
      }),
  };
}

async function health(address: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await fetch(`${address}/health`);
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

describe('kansli server start', () => {
  const data = join(parent, 'data');

  it('starts, answers /health, stops cleanly on SIGTERM, and a second start reuses the cluster', async () => {
    const port = await freePort();
    const first = run(['start', '--data', data, '--port', String(port), '--host', '127.0.0.1']);
    const listening = await first.waitFor('listening');
    expect(listening).toMatchObject({ address: `http://127.0.0.1:${port}`, tls: false, database: 'embedded' });
    const h1 = await health(String(listening.address));
    expect(h1.status).toBe(200);
    expect(h1.body).toMatchObject({ status: 'ok', schema: expect.any(Number), epoch: expect.any(String) });

    // A second server on the same folder, meanwhile: refused with the reason, exit 1.
    const intruder = run(['start', '--data', data, '--port', String(await freePort())]);
    expect(await intruder.exited).toBe(1);
    expect(intruder.stderr()).toMatch(/in use by another Kansli server \(pid \d+\)/);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['signal received', 'shutting down', 'stopped']));
    expect(existsSync(join(data, 'pg', 'postmaster.pid'))).toBe(false);
    expect(existsSync(join(data, 'server.lock'))).toBe(false);

    const second = run(['start', '--data', data, '--port', '0']);
    const again = await second.waitFor('listening');
    const h2 = await health(String(again.address));
    expect(h2.body.epoch).toBe(h1.body.epoch);
    expect(second.lines.find((l) => l.msg === 'migrations checked')).toMatchObject({ applied: [] });
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  }, 120_000); // two starts of an embedded cluster (initdb on the first): ~8 s alone, over 30 s on a loaded two-core machine

  it('a bad setting exits 2 with the setting named; an unknown command shows the usage', async () => {
    const bad = run(['start', '--data', data, '--port', 'eighty']);
    expect(await bad.exited).toBe(2);
    expect(bad.stderr()).toBe('kansli server: --port: must be an integer from 0 to 65535\n');
    const unknown = run(['restart']);
    expect(await unknown.exited).toBe(2);
    expect(unknown.stderr()).toMatch(/unknown command restart\nUsage:\n {2}kansli server start/);
  });
});
