/**
 * `kansli server start [--data DIR] [--port N] [--host H] [--tls-cert F --tls-key F] [--body-limit N]
 *  [--trust-proxy LIST] [--log-level L]`: runs the central server until SIGTERM or SIGINT (config.ts lists the
 * settings and their environment variables). bin/kansli.mjs sends `kansli server …` here, because the core's
 * CLI (core/cli/main.ts) must never import the server.
 * Exit codes: 0 after a clean shutdown, 1 a failure to start or stop, 2 a usage or configuration error.
 */
import { ConfigError, loadServerConfig } from './config';
import { EmbeddedPostgresError } from './db/embedded';
import { ServerMigrationError } from './db/migrate';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { seedDemoPopulationFiles } from '../core/imports/demo';
import { createCore, dataPaths } from '../core/app';
import { FileKeyStore } from '../core/keys/keystore';
import { fixedClock, type Clock } from '../core/context';
import { isCalendarDate } from '../shared/api/schemas';
import { defaultDataDir } from '../core/paths';
import { joinServer, JoinError } from '../core/sync/join';
import { startServer, withServerDatabase } from './main';

const USAGE = `Usage:
  kansli server start [--data DIR] [--port N] [--host H] [--tls-cert FILE --tls-key FILE]
                      [--body-limit SIZE] [--trust-proxy ADDR,...] [--log-level LEVEL] [--today YYYY-MM-DD]
  kansli server join URL [--data-dir DIR] [--replace-local]
                                              makes this workstation a cache of the server at URL (its data folder: --data-dir)
  kansli server import FILE [--data DIR]      moves a standalone Kansli database (kansli.sqlite) into an empty server, once
  kansli server demo [--persons N] [--country SE|NO] [--data DIR] [--today YYYY-MM-DD]
                                              fills an empty server with a synthetic municipality and its demo accounts
  --today fixes the engine's date (tests and demos, as the browser host's --today)
  DATABASE_URL=postgres://… kansli server …   use the municipality's PostgreSQL instead of the embedded one`;

export async function runServerCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'import' || command === 'demo') return runDataCommand(command, rest);
  if (command === 'join') return runJoin(rest);
  if (command !== 'start') {
    process.stderr.write(`${command && command !== 'help' && command !== '--help' ? `kansli server: unknown command ${command}\n` : ''}${USAGE}\n`);
    return command === 'help' || command === '--help' ? 0 : 2;
  }
  let config;
  let clock: Clock | undefined;
  try {
    const t = takeToday(rest);
    clock = t.clock;
    config = loadServerConfig(t.rest);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`kansli server: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  let server;
  try {
    server = await startServer(config, { clock });
  } catch (e) {
    if (e instanceof EmbeddedPostgresError || e instanceof ServerMigrationError) {
      process.stderr.write(`kansli server: ${e.message}\n`);
      return 1;
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      process.stderr.write(`kansli server: cannot listen on ${config.host}:${config.port} (${code})\n`);
      return 1;
    }
    throw e;
  }
  const running = server;
  return new Promise<number>((done) => {
    const stop = (signal: NodeJS.Signals): void => {
      running.log.info({ signal }, 'signal received');
      running.close().then(
        () => done(0),
        (e: unknown) => {
          running.log.error({ err: e }, 'shutdown failed');
          done(1);
        },
      );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}

/** `join URL`: a workstation command (its data folder, its keystore), here because it belongs to the server group. */
async function runJoin(argv: string[]): Promise<number> {
  let url: string | null = null;
  let dataDir = defaultDataDir();
  let replaceLocal = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--data-dir') dataDir = resolve(argv[++i] ?? '');
    else if (a === '--replace-local') replaceLocal = true;
    else if (!a.startsWith('--') && url === null) url = a;
    else {
      process.stderr.write(`kansli server join: unknown argument ${a}\n`);
      return 2;
    }
  }
  if (!url) {
    process.stderr.write('kansli server join: name the server, e.g. kansli server join https://kansli.kommun.se\n');
    return 2;
  }
  try {
    const { dbPath } = dataPaths(dataDir);
    const r = await joinServer({ dbPath, server: url, keyStore: new FileKeyStore(join(dataDir, 'keys')), replaceLocal });
    process.stdout.write(`This workstation (${dataDir}) is now joined to ${r.server}; its cache is encrypted. Sign in to fill it.\n`);
    if (r.keptAside) process.stdout.write(`The standalone database was kept aside as ${r.keptAside}.\n`);
    return 0;
  } catch (e) {
    if (e instanceof JoinError) {
      process.stderr.write(`kansli server join: ${e.message}\n`);
      return e.problem === 'bad_url' ? 2 : 1;
    }
    throw e;
  }
}

/**
 * `--today YYYY-MM-DD`: the engine runs on a fixed date (the end-to-end tests, which fix the workstations'
 * date with the browser host's --today; a demo shown on a chosen day). Not a server setting: no variable.
 */
function takeToday(argv: string[]): { clock: Clock | undefined; today: string | undefined; rest: string[] } {
  const i = argv.indexOf('--today');
  if (i < 0) return { clock: undefined, today: undefined, rest: argv };
  const today = argv[i + 1] ?? '';
  if (!isCalendarDate(today)) throw new ConfigError('--today', 'must be a date YYYY-MM-DD');
  return { clock: fixedClock(today), today, rest: [...argv.slice(0, i), ...argv.slice(i + 2)] };
}

/** `import FILE` and `demo`: their own arguments first, the server settings after. */
async function runDataCommand(command: 'import' | 'demo', argv: string[]): Promise<number> {
  const rest: string[] = [];
  let file: string | null = null;
  let persons = 2000;
  let country: 'SE' | 'NO' = 'SE';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (command === 'demo' && a === '--persons') persons = Number(argv[++i]);
    else if (command === 'demo' && a === '--country') country = argv[++i] === 'NO' ? 'NO' : 'SE';
    else if (command === 'import' && !a.startsWith('--') && file === null) file = a;
    else rest.push(a);
  }
  if (command === 'import' && (!file || !existsSync(file))) {
    process.stderr.write(`kansli server import: ${file ? `no such file: ${file}` : 'name the standalone database file (kansli.sqlite)'}\n`);
    return 2;
  }
  if (command === 'demo' && (!Number.isInteger(persons) || persons < 50 || persons > 500_000)) {
    process.stderr.write('kansli server demo: --persons must be a whole number from 50 to 500000\n');
    return 2;
  }
  let config;
  let fixed: ReturnType<typeof takeToday>;
  try {
    fixed = takeToday(rest);
    config = loadServerConfig(fixed.rest);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`kansli server: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  let scratch: string | null = null;
  try {
    const source = command === 'import' ? resolve(file!) : await (async () => {
      // The demo is made exactly as a standalone demo is (synthetic persons and accounts, the register's full
      // file recorded as its first import and a delta after it to try), then imported. The population files
      // go to the server's data folder (demo-population/), for a visitor to import from a workstation.
      scratch = mkdtempSync(join(tmpdir(), 'kansli-demo-'));
      const { dbPath } = dataPaths(scratch);
      const core = createCore({ dbPath, seed: { country, persons, ...(fixed.today ? { today: fixed.today } : {}) }, ...(fixed.clock ? { clock: fixed.clock } : {}), auditAnchorPath: null, auditPendingPath: null });
      try {
        await seedDemoPopulationFiles(core.ctx.sqlite, { dataDir: config.dataDir, today: core.ctx.clock.today(), now: core.ctx.clock.now() });
      } finally {
        core.close();
      }
      return dbPath;
    })();
    const r = await withServerDatabase(config, (engine) => engine.importStandalone(source), { clock: fixed.clock });
    process.stdout.write(`Moved ${r.records} records into the server (head ${r.head}).\n`);
    return 0;
  } catch (e) {
    if (e instanceof EmbeddedPostgresError || e instanceof ServerMigrationError) {
      process.stderr.write(`kansli server: ${e.message}\n`);
      return 1;
    }
    process.stderr.write(`kansli server ${command}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] !== undefined && /server[\\/]cli\.ts$/.test(process.argv[1]);
if (isMain || process.env.KANSLI_CLI === '1') {
  // `tsx server/cli.ts start …` or `kansli server start …` (bin/kansli.mjs keeps the group in argv).
  runServerCli(process.argv.slice(isMain ? 2 : 3)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`kansli server: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
