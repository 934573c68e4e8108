/**
 * The year rollover's commit as a job: 50 000 pupils move up in one transaction in a worker thread, so the
 * core keeps answering (the person card, search, the OS lock) while it runs. The plan is recomputed
 * inside the transaction and checked against the preview's token, exactly as the synchronous commit did.
 */
import type { MethodParsedInput } from '../../shared/api/contract';
import type { JobKind } from '../jobs/types';
import { Rollover } from './rollover';

export const rolloverJob: JobKind<MethodParsedInput<'rollover.commit'>> = {
  permission: 'placement.rollover',
  method: 'rollover.commit',
  async run(job, input) {
    const rollover = new Rollover(job.ctx);
    job.progress('plan', 0, null);
    const out = job.tx(() => {
      const r = rollover.commit(job.actor, input, (done, total) => {
        job.throwIfCancelled();
        job.progress('apply', done, total);
      });
      job.audit
        .persons(r.personIds)
        .detail('rollover', { date: input.date, unitIds: input.unitIds ?? null, ...r.output })
        .detail('units', r.units.map(({ unitId, unitName, promoted, leavers, groupsCreated }) => ({ unitId, unitName, promoted, leavers, groupsCreated })));
      return r.output;
    });
    return { ...out };
  },
};
