/** The guardians domain's handlers (contract: shared/api/guardians.ts): guardianships, households and the care card. */
import { DomainError } from '../../shared/api/errors';
import type { PersonScope } from '../access/scope';
import { diffViews, type AuditRecorder } from '../audit/recorder';
import type { Actor, CoreContext } from '../context';
import { careCard, personsOnCard } from './card';
import { createGuardianship, facts, guardianshipById, updateGuardianship } from './guardianships';
import { addMember, createHousehold, endMember, memberById, personsOfHousehold } from './households';
import type { ShieldingChange } from '../register/shielding';
import { writer } from '../write/records';
import type { DomainHandlers } from '../api/types';

/**
 * A link write whose flags changed is logged with whom it shielded or unshielded. Ending a link on a date
 * before the protection began (a correction of the end date) takes the link out of the shielding rule, and
 * would show a clerk the details of someone who shared the protected person's home: the same as lowering a
 * protection, so it needs protected.reveal for everyone it unshields.
 */
function checkShielding(actor: Actor, scope: PersonScope, audit: AuditRecorder, change: ShieldingChange, field: string): void {
  const outside = change.cleared.filter((id) => !scope.allows(actor, 'protected.reveal', id));
  if (outside.length) {
    throw new DomainError('forbidden', `The change would lift the shielding of ${outside.length} person(s) linked to a protected person; that needs protected.reveal`, field);
  }
  if (change.shielded.length || change.cleared.length) audit.detail('shielding', change);
}


export function createGuardiansHandlers(ctx: CoreContext, scope: PersonScope): DomainHandlers<'guardians'> {
  return {
    'guardianship.create': (i, { actor, audit, mutationId }) => {
      // Scope first: to a unit clerk an unknown child and another unit's child must look the same.
      scope.require(actor, 'register.write', i.childId);
      const r = createGuardianship(writer(ctx, actor, mutationId), i);
      audit.persons([i.childId, i.guardianId]).detail('guardianship', r.id).detail('changes', diffViews({}, facts(i)));
      checkShielding(actor, scope, audit, r.shielding, 'guardianId');
      return { id: r.id, version: r.version };
    },

    'guardianship.update': (i, { actor, audit, mutationId }) => {
      const row = guardianshipById(ctx, i.id);
      if (!row) throw new DomainError('not_found', 'No such guardianship', 'id');
      scope.require(actor, 'register.write', row.childId);
      const u = updateGuardianship(writer(ctx, actor, mutationId), row, i);
      // Shielding is logged by value: who was cut off from the child, and when, is what an auditor asks.
      audit.persons([row.childId, row.guardianId]).detail('mode', i.mode).detail('guardianship', u.result.id).detail('changes', diffViews(u.before, u.after));
      if (u.endedId) audit.detail('ended', u.endedId).detail('effectiveFrom', i.effectiveFrom);
      checkShielding(actor, scope, audit, u.shielding, 'validTo');
      return u.result;
    },

    'household.create': (i, { actor, audit, mutationId }) => {
      for (const m of i.members) scope.require(actor, 'register.write', m.personId);
      const r = createHousehold(writer(ctx, actor, mutationId), i);
      audit
        .persons(r.members.map((m) => m.personId))
        .detail('household', r.id)
        .detail('changes', diffViews({}, { members: r.members.map(({ householdId: _h, ...m }) => m) }));
      checkShielding(actor, scope, audit, r.shielding, 'members');
      return { id: r.id, version: r.version };
    },

    'household.addMember': (i, { actor, audit, mutationId }) => {
      // Everyone in the household, not just the newcomer: the newcomer's card will list them all by name.
      const persons = [...new Set([...personsOfHousehold(ctx, i.householdId), i.personId])];
      for (const p of persons) scope.require(actor, 'register.write', p);
      const r = addMember(writer(ctx, actor, mutationId), i);
      const { householdId: _h, ...member } = r.member;
      audit.persons([i.personId]).detail('household', i.householdId).detail('changes', diffViews({}, member));
      checkShielding(actor, scope, audit, r.shielding, 'personId');
      return { id: r.id, version: r.version };
    },

    'household.endMember': (i, { actor, audit, mutationId }) => {
      const row = memberById(ctx, i.id);
      if (!row) throw new DomainError('not_found', 'No such household membership', 'id');
      for (const p of personsOfHousehold(ctx, row.householdId)) scope.require(actor, 'register.write', p);
      const r = endMember(writer(ctx, actor, mutationId), row, i);
      audit.persons([row.personId]).detail('household', row.householdId).detail('changes', diffViews({ validTo: row.validTo }, { validTo: i.validTo }));
      checkShielding(actor, scope, audit, r.shielding, 'validTo');
      return r.result;
    },

    'care.card': (i, { actor, audit }) => {
      scope.require(actor, 'register.read', i.personId);
      const card = careCard(ctx, actor, i.personId, i.date ?? ctx.clock.today());
      audit.persons(personsOnCard(i.personId, card));
      return card;
    },
  };
}
