/** The preschool queue's handlers (applications; contract: shared/api/placements.ts), merged into core/placements/handlers.ts. */
import type { Permission } from '../../shared/domain/access';
import { DomainError } from '../../shared/api/errors';
import { requireUnit, scopeOf } from '../access/scope';
import { diffViews } from '../audit/recorder';
import type { Actor, CoreContext } from '../context';
import {
  answerApplication,
  applicationFacts,
  createApplication,
  involvedUnits,
  listApplications,
  loadApplication,
  offerApplication,
  openOfferOf,
  placesAt,
  withdrawApplication,
} from './applications';
import { placementOwners } from './placements';
import { writer } from '../write/records';
import type { CoreHandlers } from '../api/types';

export type ApplicationsMethods = 'application.create' | 'application.list' | 'application.offer' | 'application.answer' | 'application.withdraw' | 'application.places';

/**
 * A queued child is usually connected to no unit yet, so the unit scope of the queue follows the units
 * the application involves: a unit-scoped clerk may act when one of them is theirs.
 */
function requireAnyUnit(actor: Actor, permission: Permission, units: readonly string[], what: string): void {
  const s = scopeOf(actor, permission);
  if (s === 'all') return;
  if (!s || !units.some((u) => s.has(u))) throw new DomainError('forbidden', `${what}: none of the application's units is yours`);
}

export function createApplicationsHandlers(ctx: CoreContext): Pick<CoreHandlers, ApplicationsMethods> {
  const NOISE = ['version'];

  return {
    'application.create': (i, { actor, audit, mutationId }) => {
      requireAnyUnit(actor, 'placement.write', i.unitIds, 'Registering an application');
      const r = createApplication(writer(ctx, actor, mutationId), i);
      audit.persons([i.childId]).detail('changes', diffViews({}, applicationFacts(ctx, r.id), NOISE));
      return r;
    },

    'application.list': (i, { actor, audit }) => {
      if (i.unitId) requireUnit(actor, 'placement.read', i.unitId, 'The queue of a unit');
      const r = listApplications(ctx, actor, i);
      audit.persons(r.items.flatMap((a) => [a.child.id, ...a.siblings.map((s) => s.person.id)])).detail('filter', i.filter);
      if (i.unitId) audit.detail('unit', i.unitId);
      return r;
    },

    'application.offer': (i, { actor, audit, mutationId }) => {
      requireUnit(actor, 'placement.write', i.unitId, 'Offering a place');
      const app = loadApplication(ctx, i.id);
      const before = applicationFacts(ctx, i.id);
      const { outsideWishes, ...r } = offerApplication(writer(ctx, actor, mutationId), i);
      audit.persons([app.child_id]).detail('changes', diffViews(before, applicationFacts(ctx, i.id), NOISE));
      // An offer outside the guardians' wishes is allowed (the guarantee may need it) but must be traceable.
      if (outsideWishes) audit.detail('outsideWishes', true);
      return r;
    },

    'application.answer': (i, { actor, audit, mutationId }) => {
      const app = loadApplication(ctx, i.id);
      const offer = openOfferOf(ctx, i.id);
      requireAnyUnit(actor, 'placement.write', offer ? [offer.unit_id] : involvedUnits(ctx, i.id), 'Answering an offer');
      const before = applicationFacts(ctx, i.id);
      const r = answerApplication(writer(ctx, actor, mutationId), i);
      // The holders' link to the child is written too: they are part of whose data the call touched.
      audit
        .persons([app.child_id, ...(r.placementId ? placementOwners(ctx, r.placementId) : [])])
        .detail('answer', i.accept ? 'accept' : 'decline')
        .detail('changes', diffViews(before, applicationFacts(ctx, i.id), NOISE));
      return r;
    },

    // Counts only, of a unit the caller may see placements of.
    'application.places': (i, { actor }) => {
      requireUnit(actor, 'placement.read', i.unitId, 'The places of a unit');
      return placesAt(ctx, i);
    },

    'application.withdraw': (i, { actor, audit, mutationId }) => {
      const app = loadApplication(ctx, i.id);
      requireAnyUnit(actor, 'placement.write', involvedUnits(ctx, i.id), 'Withdrawing an application');
      const before = applicationFacts(ctx, i.id);
      const r = withdrawApplication(writer(ctx, actor, mutationId), i);
      audit.persons([app.child_id]).detail('changes', diffViews(before, applicationFacts(ctx, i.id), NOISE));
      return r;
    },
  };
}
