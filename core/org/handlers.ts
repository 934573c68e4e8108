/**
 * The organisation's handlers (contract: shared/api/org.ts): the tree, unit and group cards (staff and
 * members limited to the caller's scope; protected children counted, not listed), creating and changing units.
 */
import { canSeeProtected, requireMunicipalityWide, requireUnit, scopeOf, type PersonScope } from '../access/scope';
import { diffViews } from '../audit/recorder';
import type { DomainHandlers } from '../api/types';
import type { CoreContext } from '../context';
import { writer } from '../write/records';
import { createUnit, getGroup, getUnit, orgTree, updateUnit } from './org';

export function createOrgHandlers(ctx: CoreContext, scope: PersonScope): DomainHandlers<'org'> {
  const unitView = (id: string) => {
    const { groups: _g, staff: _s, ...rest } = getUnit(ctx, { id });
    return rest;
  };

  return {
    'org.tree': () => orgTree(ctx),

    'unit.get': (i, { actor, audit }) => {
      const card = getUnit(ctx, i);
      const s = scopeOf(actor, 'register.read');
      // Staff lists are personal data: a unit-scoped user sees only staff connected to their own units.
      const staff = s === 'all' ? card.staff : s === null ? [] : card.staff.filter((x) => scope.of(s).ids.has(x.personId));
      audit.persons(staff.map((x) => x.personId));
      return { ...card, staff };
    },

    'unit.create': (i, { actor, audit, mutationId }) => {
      if (i.parentId) requireUnit(actor, 'org.write', i.parentId, 'Creating a unit');
      else requireMunicipalityWide(actor, 'org.write', 'Creating a top-level unit');
      const r = createUnit(writer(ctx, actor, mutationId), i);
      audit.detail('unit', r.id).detail('changes', diffViews({}, unitView(r.id), ['version']));
      return r;
    },

    'unit.update': (i, { actor, audit, mutationId }) => {
      requireUnit(actor, 'org.write', i.id, 'Changing a unit');
      const before = unitView(i.id);
      const r = updateUnit(writer(ctx, actor, mutationId), i);
      audit.detail('unit', i.id).detail('changes', diffViews(before, unitView(i.id), ['version']));
      return r;
    },

    'group.get': (i, { actor, audit }) => {
      const card = getGroup(ctx, i);
      const s = scopeOf(actor, 'register.read');
      const inScope = s === 'all' ? card.members : s === null ? [] : card.members.filter((m) => scope.of(s).ids.has(m.person.id));
      // A group's members are its placements and enrolments: a protected child is not listed for a caller
      // who may not see protected persons in this unit (domain.md §2), only counted.
      const seeProtected = canSeeProtected(actor, card.unitId);
      const members = inScope.filter((m) => seeProtected || !m.person.protected);
      audit.persons(members.map((m) => m.person.id));
      return { ...card, members, hiddenProtected: inScope.length - members.length };
    },
  };
}
