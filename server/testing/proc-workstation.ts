/**
 * A joined workstation as a child process, for the fault tests that kill it with SIGKILL mid-pull or
 * mid-apply:
 *   tsx server/testing/proc-workstation.ts <data dir> <server> <username> <name> <today> <page size> [kill ms]
 * It opens the cache in the data folder and signs in, which pushes the outbox and pulls the feed to the
 * head. Every feed page that arrives is announced on stdout (`PAGE <cursor> <bytes>`) before the client
 * sees it. With `kill ms`, the arrival of the first page with records also starts a thread that kills this
 * process with SIGKILL that many milliseconds later, while the main thread parses and applies the page
 * (a thread, because the apply is one synchronous transaction that no timer of the main thread can
 * interrupt). Prints `SIGNED_IN` when the sign-in and its first sync are done, then waits to be killed.
 */
import { Worker } from 'node:worker_threads';
import { fixedClock } from '../../core/context';
import { openWorkstation, type Network } from './workstation';

const [dir, server, username, name, today, pageSize, killMs] = process.argv.slice(2);
if (!dir || !server || !username || !name || !today || !pageSize) {
  process.stderr.write('usage: proc-workstation.ts <data dir> <server> <username> <name> <today> <page size> [kill ms]\n');
  process.exit(2);
}
// The killer thread starts now and waits on a shared flag, so its delay counts from the page's arrival,
// not from a thread's start-up.
const flag = new Int32Array(new SharedArrayBuffer(4));
if (killMs !== undefined) {
  new Worker(
    `const { workerData } = require('node:worker_threads');
     Atomics.wait(workerData.flag, 0, 0);
     if (workerData.ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.ms);
     process.kill(workerData.pid, 'SIGKILL');`,
    { eval: true, workerData: { ms: Number(killMs), pid: process.pid, flag } },
  ).unref();
}
let armed = killMs !== undefined;
const net: Network = { down: false, fault: null, swallowed: [] };
const watched: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (url.pathname !== '/sync/feed' || !res.ok) return res;
  const text = await res.text();
  const page = JSON.parse(text) as { cursor?: number; records?: unknown[] };
  process.stdout.write(`PAGE ${page.cursor ?? 'reset'} ${text.length}\n`);
  if (armed && page.records?.length) {
    armed = false;
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  }
  return new Response(text, { status: res.status, headers: res.headers });
};
const w = await openWorkstation({ dir, name, server, username, clock: fixedClock(today), pageSize: Number(pageSize), net, fetch: watched });
process.stdout.write('SIGNED_IN\n');
// Stay up (the event stream and the loop keep running) until killed.
setInterval(() => void w, 60_000);
