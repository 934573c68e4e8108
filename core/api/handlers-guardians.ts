/** Handlers of the guardians part of the care contract (shared/api/care.ts). */
import { DomainError } from '../../shared/api/errors';
import type { PersonScope } from '../access/scope';
import { diffViews } from '../audit/recorder';
import type { CoreContext } from '../context';
import { careCard, personsOnCard } from '../guardians/card';
import { createGuardianship, facts, guardianshipById, updateGuardianship } from '../guardians/guardianships';
import { addMember, createHousehold, endMember, memberById, personsOfHousehold } from '../guardians/households';
import type { CoreHandlers } from './types';

export type GuardiansMethods = 'guardianship.create' | 'guardianship.update' | 'household.create' | 'household.addMember' | 'household.endMember' | 'care.card';

export function createGuardiansHandlers(ctx: CoreContext, scope: PersonScope): Pick<CoreHandlers, GuardiansMethods> {
  return {
    'guardianship.create': (i, { actor, audit }) => {
      // Scope first: to a unit clerk an unknown child and another unit's child must look the same.
      scope.require(actor, 'register.write', i.childId);
      const r = createGuardianship(ctx, actor, i);
      audit.persons([i.childId, i.guardianId]).detail('guardianship', r.id).detail('changes', diffViews({}, facts(i)));
      return r;
    },

    'guardianship.update': (i, { actor, audit }) => {
      const row = guardianshipById(ctx, i.id);
      if (!row) throw new DomainError('not_found', 'No such guardianship', 'id');
      scope.require(actor, 'register.write', row.childId);
      const u = updateGuardianship(ctx, actor, row, i);
      // Shielding is logged by value: who was cut off from the child, and when, is what an auditor asks.
      audit.persons([row.childId, row.guardianId]).detail('mode', i.mode).detail('guardianship', u.result.id).detail('changes', diffViews(u.before, u.after));
      if (u.endedId) audit.detail('ended', u.endedId).detail('effectiveFrom', i.effectiveFrom);
      return u.result;
    },

    'household.create': (i, { actor, audit }) => {
      for (const m of i.members) scope.require(actor, 'register.write', m.personId);
      const r = createHousehold(ctx, actor, i);
      audit
        .persons(r.members.map((m) => m.personId))
        .detail('household', r.id)
        .detail('changes', diffViews({}, { members: r.members.map(({ householdId: _h, ...m }) => m) }));
      return { id: r.id, version: r.version };
    },

    'household.addMember': (i, { actor, audit }) => {
      // Everyone in the household, not just the newcomer: the newcomer's card will list them all by name.
      const persons = [...new Set([...personsOfHousehold(ctx, i.householdId), i.personId])];
      for (const p of persons) scope.require(actor, 'register.write', p);
      const r = addMember(ctx, actor, i);
      const { householdId: _h, ...member } = r.member;
      audit.persons([i.personId]).detail('household', i.householdId).detail('changes', diffViews({}, member));
      return { id: r.id, version: r.version };
    },

    'household.endMember': (i, { actor, audit }) => {
      const row = memberById(ctx, i.id);
      if (!row) throw new DomainError('not_found', 'No such household membership', 'id');
      for (const p of personsOfHousehold(ctx, row.householdId)) scope.require(actor, 'register.write', p);
      const r = endMember(ctx, actor, row, i);
      audit.persons([row.personId]).detail('household', row.householdId).detail('changes', diffViews({ validTo: row.validTo }, { validTo: i.validTo }));
      return r;
    },

    'care.card': (i, { actor, audit }) => {
      scope.require(actor, 'register.read', i.personId);
      const card = careCard(ctx, actor, i.personId, i.date ?? ctx.clock.today());
      audit.persons(personsOnCard(i.personId, card));
      return card;
    },
  };
}
