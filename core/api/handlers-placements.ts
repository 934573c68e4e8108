/** Handlers of the placements part of the care contract (shared/api/care.ts). */
import type { PersonScope } from '../access/scope';
import type { CoreContext } from '../context';
import type { CoreHandlers } from './handlers';

export type PlacementsMethods = 'placement.create' | 'placement.update' | 'placement.noticePreview' | 'placement.notice' | 'placement.transfer' | 'enrolment.create' | 'enrolment.update' | 'enrolment.transfer' | 'placementRules.get' | 'placementRules.update';

export function createPlacementsHandlers(ctx: CoreContext, scope: PersonScope): Pick<CoreHandlers, PlacementsMethods> {
  void ctx;
  void scope;
  const todo = (): never => {
    throw new Error('not implemented yet');
  };
  return {
    'placement.create': todo,
    'placement.update': todo,
    'placement.noticePreview': todo,
    'placement.notice': todo,
    'placement.transfer': todo,
    'enrolment.create': todo,
    'enrolment.update': todo,
    'enrolment.transfer': todo,
    'placementRules.get': todo,
    'placementRules.update': todo,
  };
}
