/** Handlers of the lists part of the care contract (shared/api/care.ts). */
import type { PersonScope } from '../access/scope';
import type { CoreContext } from '../context';
import type { CoreHandlers } from './handlers';

export type ListsMethods = 'list.get' | 'list.export' | 'rollover.preview' | 'rollover.commit';

export function createListsHandlers(ctx: CoreContext, scope: PersonScope): Pick<CoreHandlers, ListsMethods> {
  void ctx;
  void scope;
  const todo = (): never => {
    throw new Error('not implemented yet');
  };
  return {
    'list.get': todo,
    'list.export': todo,
    'rollover.preview': todo,
    'rollover.commit': todo,
  };
}
