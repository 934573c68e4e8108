// A worker thread with its own database connection, for the audit tests (core/audit/*.test.ts): the jobs
// themselves are TypeScript, loaded through tsx as bin/kansli.mjs does.
import { register } from 'tsx/esm/api';
import { parentPort, workerData } from 'node:worker_threads';

register();
const { runAuditJob } = await import(new URL('./audit-worker-jobs.ts', import.meta.url).href);
parentPort.postMessage(runAuditJob(workerData, (m) => parentPort.postMessage(m)));
