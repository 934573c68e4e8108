/**
 * Every kind of job, by name. The worker thread imports this map to find the code of the job it runs, so
 * a job's code lives in its domain's folder and is only listed here.
 */
import { feeLockJob, feePreviewJob } from '../fees/run-job';
import { importApplyJob } from '../imports/apply-job';
import { importReadJob } from '../imports/read-job';
import { rolloverJob } from '../placements/rollover-job';
import type { JobKind } from './types';

export const JOB_KINDS: Record<string, JobKind<never>> = {
  'rollover.commit': rolloverJob,
  'import.read': importReadJob,
  'import.apply': importApplyJob,
  'fee.preview': feePreviewJob,
  'fee.lock': feeLockJob,
};
