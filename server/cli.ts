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
import { startServer } from './main';

const USAGE = `Usage:
  kansli server start [--data DIR] [--port N] [--host H] [--tls-cert FILE --tls-key FILE]
                      [--body-limit SIZE] [--trust-proxy ADDR,...] [--log-level LEVEL]
  DATABASE_URL=postgres://… kansli server start    use the municipality's PostgreSQL instead of the embedded one`;

export async function runServerCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'start') {
    process.stderr.write(`${command && command !== 'help' && command !== '--help' ? `kansli server: unknown command ${command}\n` : ''}${USAGE}\n`);
    return command === 'help' || command === '--help' ? 0 : 2;
  }
  let config;
  try {
    config = loadServerConfig(rest);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`kansli server: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  let server;
  try {
    server = await startServer(config);
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
