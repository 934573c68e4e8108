// Entry of a job's worker thread when the core runs from TypeScript sources (development, tests, the
// browser host under tsx): a worker does not inherit tsx's loader, so it registers it before importing
// the real entry. The bundled desktop core starts dist/core/job-worker.cjs directly instead.
import { workerData } from 'node:worker_threads';

if (String(workerData.entry).endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.entry);
