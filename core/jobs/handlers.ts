/** The jobs domain's handlers (contract: shared/api/jobs.ts): jobs, and whether a mutation committed. */
import { committedMutation } from '../api/mutations';
import type { DomainHandlers } from '../api/types';
import type { CoreContext } from '../context';

export function createJobHandlers(ctx: CoreContext): DomainHandlers<'jobs'> {
  return {
    'job.get': (i, { actor, services }) => services.jobs.get(actor, i.id),
    'job.list': (i, { actor, services }) => ({ items: services.jobs.list(actor, i.limit) }),
    'job.cancel': (i, { actor, services }) => services.jobs.cancel(actor, i.id),
    'mutation.status': (i, { actor, services }) => {
      const done = committedMutation(ctx.sqlite, i.id);
      // Another user's mutation is "unknown" to this caller: the answer must not tell that it exists.
      if (done && done.actorId === actor.id) return { state: 'committed', at: done.at, method: done.method, result: done.result };
      if (services.mutations.isRunning(i.id)) return { state: 'running', at: null, method: null, result: null };
      return { state: 'unknown', at: null, method: null, result: null };
    },
  };
}
