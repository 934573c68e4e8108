/** Handlers of the preschool queue (applications) of the care contract (shared/api/care.ts). */
import type { PersonScope } from '../access/scope';
import type { CoreContext } from '../context';
import type { CoreHandlers } from './handlers';

export type ApplicationsMethods = 'application.create' | 'application.list' | 'application.offer' | 'application.answer' | 'application.withdraw';

export function createApplicationsHandlers(ctx: CoreContext, scope: PersonScope): Pick<CoreHandlers, ApplicationsMethods> {
  void ctx;
  void scope;
  const todo = (): never => {
    throw new Error('not implemented yet');
  };
  return {
    'application.create': todo,
    'application.list': todo,
    'application.offer': todo,
    'application.answer': todo,
    'application.withdraw': todo,
  };
}
