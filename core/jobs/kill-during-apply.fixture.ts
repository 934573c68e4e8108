/**
 * Test fixture for core/jobs/jobs.test.ts (not a test itself): commits the year rollover of the database
 * in `argv[2]` inline, in this process's main thread, and prints APPLYING once the job's transaction is
 * writing. The test then kills this process with SIGKILL. Each progress step holds the transaction a
 * little longer, so the kill lands inside it.
 */
import type { Session } from '../access/auth';
import { createCore, dataPaths, LOCAL_ADMIN } from '../app';
import { fixedClock } from '../context';
import { TEST_TODAY } from '../../test/util/core';

const [dir, date] = process.argv.slice(2) as [string, string];
const core = createCore({ dbPath: dataPaths(dir).dbPath, logDir: null, jobMode: 'inline', busyTimeoutMs: 5000, clock: fixedClock(TEST_TODAY) });
const pause = new Int32Array(new SharedArrayBuffer(4));
let told = false;
core.services.events.subscribe({ actor: LOCAL_ADMIN } as Session, (e) => {
  if (e.type !== 'job' || e.job.phase !== 'apply') return;
  if (!told) {
    told = true;
    // Pipes are written synchronously on Linux: the parent reads this while the transaction is open.
    process.stdout.write('APPLYING\n');
  }
  Atomics.wait(pause, 0, 0, 30);
});
const preview = core.call('rollover.preview', { date, limit: 1 });
if (!preview.ok) throw new Error(JSON.stringify(preview.error));
const r = await core.callAsync('rollover.commit', { date, token: (preview.data as { token: string }).token });
if (!r.ok) throw new Error(JSON.stringify(r.error));
await core.services.jobs.wait((r.data as { jobId: string }).jobId);
process.stdout.write('FINISHED (the kill came too late)\n');
