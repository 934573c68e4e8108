/**
 * The pieces of the two-workstation end-to-end test (issue 11), all real processes:
 *
 * - the central server: `kansli server demo` fills a fresh data folder (embedded PostgreSQL) with a synthetic
 *   municipality and its demo accounts, then `kansli server start --port 0` serves it; both on the e2e date;
 * - a switchable loopback TCP proxy per workstation: while it is cut, new connections are closed at once and
 *   the open ones (the event stream, a keep-alive socket) are destroyed, as when a cable is pulled;
 * - a joined browser host per workstation: `kansli server join <proxy URL> --data-dir DIR`, then the host on
 *   that folder, which opens the encrypted cache and seeds nothing (sign-in goes to the server).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { E2E_TODAY, type HostInfo } from './fixtures';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const kansli = join(root, 'bin', 'kansli.mjs');
const run = promisify(execFile);

/** Ends a child process by its own pid (SIGTERM, then SIGKILL after `ms`) and waits for it. */
async function stopChild(child: ChildProcess, ms = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((ok) => child.once('exit', ok));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  await exited;
  clearTimeout(timer);
}

export interface SyncServer {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

/** A fresh central server with a synthetic municipality of `persons` persons, on the e2e date. */
export async function startSyncServer(opts: { persons?: number } = {}): Promise<SyncServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kansli-e2e-server-'));
  try {
    await run(process.execPath, [kansli, 'server', 'demo', '--persons', String(opts.persons ?? 300), '--data', dataDir, '--today', E2E_TODAY, '--log-level', 'warn'], {
      cwd: root,
      timeout: 180_000,
    });
  } catch (e) {
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const child = spawn(process.execPath, [kansli, 'server', 'start', '--data', dataDir, '--port', '0', '--today', E2E_TODAY], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // The server logs one JSON line per event (pino); "listening" carries the address. The rest is read and
  // dropped, so the pipe never fills.
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('the server did not listen within 90 s')), 90_000);
    lines.on('line', (line) => {
      try {
        const o = JSON.parse(line) as { msg?: string; address?: string };
        if (o.msg === 'listening' && o.address) {
          clearTimeout(timer);
          ok(o.address);
        }
      } catch {
        // not a log line
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the server exited with ${code}`));
    });
  });
  return {
    url,
    port: Number(new URL(url).port),
    dataDir,
    stop: async () => {
      await stopChild(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A loopback TCP proxy to `target` that can be cut (no connection gets through) and restored. */
export class NetworkSwitch {
  private readonly sockets = new Set<Socket>();
  private up = true;
  private constructor(
    private readonly server: ReturnType<typeof createServer>,
    readonly port: number,
  ) {}

  static async open(targetPort: number): Promise<NetworkSwitch> {
    let me: NetworkSwitch | null = null;
    const server = createServer((client) => {
      const sw = me!;
      if (!sw.up) {
        client.destroy();
        return;
      }
      const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
      for (const s of [client, upstream]) {
        sw.sockets.add(s);
        s.once('close', () => sw.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.once('close', () => upstream.destroy());
      upstream.once('close', () => client.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    me = new NetworkSwitch(server, (server.address() as AddressInfo).port);
    return me;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The cable is pulled: every open connection (the event stream too) is dropped, and new ones are closed. */
  cut(): void {
    this.up = false;
    for (const s of this.sockets) s.destroy();
  }

  restore(): void {
    this.up = true;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((ok) => this.server.close(() => ok()));
  }
}

/**
 * A workstation: its data folder joined to `serverUrl` with `kansli server join`, then the browser host on
 * it (fixed date, the test's renderer build when KANSLI_E2E_RENDERER names one).
 */
export async function startJoinedHost(serverUrl: string): Promise<{ info: HostInfo; stop: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kansli-e2e-ws-'));
  let child: ChildProcess | null = null;
  try {
    await run(process.execPath, [kansli, 'server', 'join', serverUrl, '--data-dir', dataDir], { cwd: root, timeout: 60_000 });
    const host = spawn(
      join(root, 'node_modules', '.bin', 'tsx'),
      [
        join(root, 'core', 'host', 'main.ts'),
        '--json',
        '--data-dir',
        dataDir,
        '--today',
        E2E_TODAY,
        ...(process.env.KANSLI_E2E_RENDERER ? ['--renderer', process.env.KANSLI_E2E_RENDERER] : []),
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    child = host;
    const line = await new Promise<string>((ok, fail) => {
      const rl = createInterface({ input: host.stdout! });
      rl.once('line', ok);
      host.once('exit', (code) => fail(new Error(`host exited with ${code}`)));
      setTimeout(() => fail(new Error('host did not start in 30 s')), 30_000);
    });
    const parsed = JSON.parse(line) as { url: string; port: number; dataDir: string };
    return {
      info: { ...parsed, origin: `http://127.0.0.1:${parsed.port}` },
      stop: async () => {
        await stopChild(host, 5_000);
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    if (child) await stopChild(child, 5_000);
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
}
