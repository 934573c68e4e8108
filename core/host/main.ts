/**
 * `tsx core/host/main.ts [--port N] [--data-dir DIR] [--country se|no] [--persons N] [--seed N] [--today YYYY-MM-DD] [--json]`
 * Starts the browser host and prints the one-time sign-in URL (or, with --json, one JSON line for tests).
 * `--seed N` makes the first start's demo reproducible, ids included (the end-to-end tests pass it).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_PASSWORD } from '../access/auth';
import { createCore, dataPaths } from '../app';
import { DEMO_ACCOUNTS } from '../demo/accounts';
import { parseArgs, countryFlag, dateFlag, intFlag, UsageError } from '../cli/args';
import { fixedClock, systemClock } from '../context';
import { defaultDataDir } from '../paths';
import { startHost } from './server';
import { seedDemoPopulationFiles } from '../imports/demo';
import { FileKeyStore } from '../keys/keystore';
import { databaseKey, joinServer } from '../sync/join';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main() {
  const args = parseArgs(process.argv.slice(2), { boolean: ['json', 'no-seed', 'no-demo-incomes', 'no-demo-foi'], value: ['port', 'data-dir', 'country', 'persons', 'seed', 'today', 'renderer'] });
  const dataDir = resolve((args.flags.get('data-dir') as string | undefined) ?? defaultDataDir());
  const rendererDir = resolve((args.flags.get('renderer') as string | undefined) ?? join(root, 'dist', 'renderer'));
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new UsageError(`No renderer build in ${rendererDir}: run \`npm run build:renderer\` first`);
  }
  const today = dateFlag(args, 'today');
  const { dbPath, logDir } = dataPaths(dataDir);
  // A demo with households' incomes declared (the fee screens show the range), unless asked without
  // (--no-demo-incomes: the end-to-end tests start from none declared), and FOI requests in every state
  // (--no-demo-foi: none).
  const seed = args.flags.has('no-seed')
    ? false
    : {
        country: countryFlag(args, 'SE'),
        persons: intFlag(args, 'persons', 10000, 20, 2_000_000),
        incomes: !args.flags.has('no-demo-incomes'),
        foiRequests: !args.flags.has('no-demo-foi'),
        // An explicit seed asks for the same database every time, ids included.
        ...(args.flags.has('seed') ? { seed: intFlag(args, 'seed', 20261123, 0, 2 ** 31), deterministicIds: true } : {}),
      };
  if (seed && !existsSync(dbPath) && !args.flags.has('json')) {
    // The first start takes a while; say what is happening instead of a silent pause.
    process.stdout.write(`First start: creating a demo database with ${seed.persons.toLocaleString('en')} synthetic persons in ${dataDir} …\n`);
  }
  // The browser host has no OS keystore: its keys are 0600 files in a 0700 folder of the data folder.
  const keyStore = new FileKeyStore(join(dataDir, 'keys'));
  // A workstation joined to a server (kansli server join) opens its encrypted cache; nothing is seeded there.
  const clock = today ? fixedClock(today) : systemClock;
  // Joining from the first-start screen (sync.join): once the call has answered, the host closes this core,
  // makes the encrypted cache (keeping the empty standalone file aside) and opens the core on it.
  let host: Awaited<ReturnType<typeof startHost>> | null = null;
  const onJoin = (server: string) => {
    void host
      ?.replaceCore(async (old) => {
        old.close();
        try {
          await joinServer({ dbPath, server, keyStore, replaceLocal: true });
        } catch (e) {
          old.logger.error('join_failed', e);
        }
        return open(databaseKey(dbPath, keyStore).key, false);
      })
      .catch((e: unknown) => process.stderr.write(`kansli host: joining ${server} failed: ${e instanceof Error ? e.message : String(e)}\n`));
  };
  // A workstation joined to a server (kansli server join) opens its encrypted cache; nothing is seeded there.
  const open = (dbKey: Buffer | undefined, seedIt: typeof seed) =>
    createCore({ dbPath, logDir, clock, seed: dbKey ? false : seedIt, keyStore, ...(dbKey ? { dbKey } : { onJoin }) });
  const core = open(databaseKey(dbPath, keyStore).key, seed);
  // A freshly seeded demo also gets the population register's files: the full file (recorded as the applied
  // baseline) and a delta after it, for a visitor to import.
  let demoFiles: string | null = null;
  if (core.ctx.demo && !existsSync(join(dataDir, 'demo-population'))) {
    const files = await seedDemoPopulationFiles(core.ctx.sqlite, { dataDir, today: core.ctx.clock.today(), now: core.ctx.clock.now() });
    demoFiles = files.delta;
  }
  host = await startHost({ core, rendererDir, port: intFlag(args, 'port', 0, 0, 65535) });
  if (args.flags.has('json')) process.stdout.write(JSON.stringify({ url: host.url, port: host.port, dataDir }) + '\n');
  else {
    process.stdout.write(`Kansli browser host on http://127.0.0.1:${host.port}/ (data: ${dataDir})\n`);
    process.stdout.write(`Open this one-time sign-in link in a browser on this machine:\n  ${host.url}\n`);
    if (demoFiles) process.stdout.write(`Demo population-register delta to import: ${demoFiles}\n`);
    if (core.ctx.demo) {
      process.stdout.write(
        `Demo database: sign in as ${DEMO_ACCOUNTS.map((a) => a.username).join(', ')} with the password ${DEMO_PASSWORD} (the sign-in screen lists the roles).\n`,
      );
    }
    process.stdout.write('Press Ctrl+C to stop.\n');
  }
  const stop = () => {
    // Never hang on the way out: the database is closed either way (WAL keeps it consistent).
    const current = host!.core();
    setTimeout(() => {
      current.close();
      process.exit(0);
    }, 3000).unref();
    void host!.close().then(() => {
      current.close();
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`kansli host: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(e instanceof UsageError ? 2 : 1);
});
