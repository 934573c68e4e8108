/**
 * The real central server (server/main.ts startServer, as `kansli server start` runs it) in a child
 * process, for the fault tests that kill it with SIGKILL:
 *   tsx server/testing/proc-server.ts <postgres url> <data dir> <port> <today>
 * The engine's replica is <data dir>/replica.sqlite. Prints `LISTENING <address>` once it answers; SIGTERM
 * shuts it down in order (as the CLI does) and prints `STOPPED`.
 */
import { fixedClock } from '../../core/context';
import { loadServerConfig } from '../config';
import { startServer } from '../main';

const [url, dataDir, port, today] = process.argv.slice(2);
if (!url || !dataDir || !port || !today) {
  process.stderr.write('usage: proc-server.ts <postgres url> <data dir> <port> <today>\n');
  process.exit(2);
}
const config = loadServerConfig(['--data', dataDir, '--port', port, '--host', '127.0.0.1', '--log-level', 'silent'], { DATABASE_URL: url });
const server = await startServer(config, { clock: fixedClock(today) });
process.stdout.write(`LISTENING ${server.address}\n`);
process.once('SIGTERM', () => {
  void server.close().then(
    () => {
      process.stdout.write('STOPPED\n');
      process.exit(0);
    },
    (e: unknown) => {
      process.stderr.write(`close failed: ${String(e)}\n`);
      process.exit(1);
    },
  );
});
