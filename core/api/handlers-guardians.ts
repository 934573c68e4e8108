/** Handlers of the guardians part of the care contract (shared/api/care.ts). */
import type { PersonScope } from '../access/scope';
import type { CoreContext } from '../context';
import type { CoreHandlers } from './handlers';

export type GuardiansMethods = 'guardianship.create' | 'guardianship.update' | 'household.create' | 'household.addMember' | 'household.endMember' | 'care.card';

export function createGuardiansHandlers(ctx: CoreContext, scope: PersonScope): Pick<CoreHandlers, GuardiansMethods> {
  void ctx;
  void scope;
  const todo = (): never => {
    throw new Error('not implemented yet');
  };
  return {
    'guardianship.create': todo,
    'guardianship.update': todo,
    'household.create': todo,
    'household.addMember': todo,
    'household.endMember': todo,
    'care.card': todo,
  };
}
