/**
 * The placements domain's handlers (contract: shared/api/placements.ts): placements, enrolments, notice,
 * transfer, the configurable rules and the year rollover; the queue's handlers are in
 * handlers-applications.ts and are merged here.
 *
 * Scope: a unit-scoped clerk works on the units they hold `placement.write` (or `.read`) for, and on
 * children already connected to those units. Placing a child creates the connection, so creating needs
 * only the target unit; a transfer needs both the unit the child leaves and the one they join.
 */
import type { Permission } from '../../shared/domain/access';
import { DomainError } from '../../shared/api/errors';
import { requireMunicipalityWide, requireUnit, type PersonScope } from '../access/scope';
import { diffViews } from '../audit/recorder';
import type { Actor, CoreContext } from '../context';
import { insertEnrolment, loadEnrolment, transferEnrolment, updateEnrolment } from './enrolments';
import { givePlacementNotice, insertPlacement, loadPlacement, noticePreview, placementOwners, transferPlacement, updatePlacement } from './placements';
import { forgetPlacementRules, getPlacementRules, setPlacementRules } from './rules';
import { enrolmentViewById, placementViewById } from './views';
import { writer } from '../write/records';
import type { DomainHandlers } from '../api/types';
import { createApplicationsHandlers } from './handlers-applications';
import { Rollover } from './rollover';


/** Bookkeeping that is not a fact of the placement; `status` follows from the facts and the date. */
const NOISE = ['version', 'status'];

export function createPlacementsHandlers(ctx: CoreContext, scope: PersonScope): DomainHandlers<'placements'> {
  const rollover = new Rollover(ctx);
  const today = () => ctx.clock.today();
  const pView = (id: string) => placementViewById(ctx, id, today());
  const eView = (id: string) => enrolmentViewById(ctx, id);
  const ownersOf = (id: string) => placementOwners(ctx, id);

  /** The row's unit and its child: both must be within the actor's scope for the permission. */
  const guard = (actor: Actor, permission: Permission, unitId: string, personId: string, what: string) => {
    requireUnit(actor, permission, unitId, what);
    scope.require(actor, permission, personId);
  };

  return {
    'placement.create': (i, { actor, audit, mutationId }) => {
      requireUnit(actor, 'placement.write', i.unitId, 'Placing a child');
      const r = insertPlacement(writer(ctx, actor, mutationId), { ...i, state: 'accepted' });
      audit.persons([i.childId, ...ownersOf(r.id)]).detail('changes', diffViews({}, pView(r.id), NOISE));
      return r;
    },

    'placement.update': (i, { actor, audit, mutationId }) => {
      const cur = loadPlacement(ctx, i.id);
      guard(actor, 'placement.write', cur.unit_id, cur.child_id, 'Changing a placement');
      const before = pView(i.id);
      const ownersBefore = ownersOf(i.id);
      const r = updatePlacement(writer(ctx, actor, mutationId), i);
      audit.persons([cur.child_id, ...ownersBefore, ...ownersOf(i.id)]).detail('changes', diffViews(before, pView(i.id), NOISE));
      return r;
    },

    'placement.noticePreview': (i, { actor, audit }) => {
      const cur = loadPlacement(ctx, i.id);
      guard(actor, 'placement.read', cur.unit_id, cur.child_id, 'Previewing a notice');
      audit.persons([cur.child_id]);
      return noticePreview(ctx, cur, i.noticeDate);
    },

    'placement.notice': (i, { actor, audit, mutationId }) => {
      const cur = loadPlacement(ctx, i.id);
      guard(actor, 'placement.write', cur.unit_id, cur.child_id, 'Giving notice on a placement');
      const before = pView(i.id);
      const { overridden, ...r } = givePlacementNotice(writer(ctx, actor, mutationId), i);
      audit
        .persons([cur.child_id, ...ownersOf(i.id)])
        .detail('notice', { noticeDate: i.noticeDate, computedLastDay: r.computedLastDay, lastDay: r.lastDay, overrideReason: overridden ? i.overrideReason : null })
        .detail('changes', diffViews(before, pView(i.id), NOISE));
      return r;
    },

    'placement.transfer': (i, { actor, audit, mutationId }) => {
      const cur = loadPlacement(ctx, i.id);
      guard(actor, 'placement.write', cur.unit_id, cur.child_id, 'Transferring a placement out of a unit');
      requireUnit(actor, 'placement.write', i.toUnitId, 'Transferring a placement into a unit');
      const before = pView(i.id);
      const r = transferPlacement(writer(ctx, actor, mutationId), i);
      audit
        .persons([cur.child_id, ...ownersOf(i.id)])
        .detail('ended', diffViews(before, pView(r.endedId), NOISE))
        .detail('changes', diffViews({}, pView(r.newId), NOISE));
      return r;
    },

    'enrolment.create': (i, { actor, audit, mutationId }) => {
      requireUnit(actor, 'placement.write', i.unitId, 'Enrolling a pupil');
      const r = insertEnrolment(writer(ctx, actor, mutationId), i);
      audit.persons([i.pupilId]).detail('changes', diffViews({}, eView(r.id), NOISE));
      return r;
    },

    'enrolment.update': (i, { actor, audit, mutationId }) => {
      const cur = loadEnrolment(ctx, i.id);
      guard(actor, 'placement.write', cur.unit_id, cur.pupil_id, 'Changing an enrolment');
      const before = eView(i.id);
      const r = updateEnrolment(writer(ctx, actor, mutationId), i);
      audit.persons([cur.pupil_id]).detail('changes', diffViews(before, eView(i.id), NOISE));
      return r;
    },

    'enrolment.transfer': (i, { actor, audit, mutationId }) => {
      const cur = loadEnrolment(ctx, i.id);
      guard(actor, 'placement.write', cur.unit_id, cur.pupil_id, 'Transferring a pupil out of a unit');
      requireUnit(actor, 'placement.write', i.toUnitId, 'Transferring a pupil into a unit');
      const before = eView(i.id);
      const r = transferEnrolment(writer(ctx, actor, mutationId), i);
      audit
        .persons([cur.pupil_id])
        .detail('ended', diffViews(before, eView(r.endedId), NOISE))
        .detail('changes', diffViews({}, eView(r.newId), NOISE));
      return r;
    },

    'placementRules.get': () => getPlacementRules(ctx),

    'placementRules.update': (i, { actor, audit }) => {
      requireMunicipalityWide(actor, 'org.write', 'Changing the placement rules');
      i.rolloverExceptions.forEach((x, n) => {
        for (const [key, id] of [['unitId', x.unitId], ['toUnitId', x.toUnitId]] as const) {
          if (id !== null && !ctx.sqlite.prepare(`SELECT 1 FROM org_unit WHERE id = ? AND deleted_at IS NULL`).get(id)) {
            throw new DomainError('not_found', 'No such unit', `rolloverExceptions.${n}.${key}`);
          }
        }
      });
      const before = getPlacementRules(ctx);
      const after = setPlacementRules(ctx, i);
      // The value was cached inside this call's transaction; should the transaction still roll back (the
      // audit entry fails), the next read must come from the database, not from a value never committed.
      forgetPlacementRules(ctx);
      audit.detail('changes', diffViews(before, after));
      return after;
    },

    'rollover.preview': (i, { actor, audit }) => {
      const { output, personIds } = rollover.preview(actor, i);
      audit.persons(personIds).detail('rollover', { date: i.date, unitIds: i.unitIds ?? null, totals: output.totals });
      return output;
    },

    // Scope and date are refused at once; the job then checks everything again (and the preview's token)
    // inside its one transaction.
    'rollover.commit': (i, call) => {
      rollover.precheck(call.actor, i);
      return call.services.jobs.start(call, 'rollover.commit', i);
    },

    ...createApplicationsHandlers(ctx),
  };
}
