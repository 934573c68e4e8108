/**
 * The core's handler map: one entry per contract method, each a plain function of (input, call context).
 * `satisfies CoreHandlers` makes a missing or mistyped method a compile error.
 */
import type { MethodName, MethodOutput, MethodParsedInput } from '../../shared/api/contract';
import type { Actor, CoreContext } from '../context';
import { createUnit, currentMunicipality, getGroup, getUnit, orgTree, updateUnit } from '../org/org';
import { createPerson, PersonReader, updatePerson } from '../register/persons';
import { OrgSearch, PersonSearch, searchAll } from '../register/search';

export interface CallContext {
  ctx: CoreContext;
  actor: Actor;
}

export type CoreHandlers = {
  [M in MethodName]: (input: MethodParsedInput<M>, call: CallContext) => MethodOutput<M>;
};

export function createHandlers(ctx: CoreContext): CoreHandlers {
  const people = new PersonSearch(ctx.sqlite);
  const org = new OrgSearch(ctx.sqlite);
  const reader = new PersonReader(ctx);
  return {
    'session.info': (_i, { actor }) => {
      const m = currentMunicipality(ctx);
      return {
        user: { id: actor.id, name: actor.name },
        permissions: [...actor.permissions],
        municipality: m ? { name: m.name, country: m.country } : null,
        today: ctx.clock.today(),
        demo: ctx.demo,
      };
    },
    'search.query': (i) => searchAll(ctx, people, org, i),
    'person.list': (i) => reader.list(i),
    'person.get': (i) => reader.card(i.id),
    'person.checkIdentity': (i) => reader.checkIdentity(i),
    'person.create': (i, { actor }) => createPerson(ctx, actor, i),
    'person.update': (i, { actor }) => updatePerson(ctx, actor, i),
    'org.tree': () => orgTree(ctx),
    'unit.get': (i) => getUnit(ctx, i),
    'unit.create': (i, { actor }) => createUnit(ctx, actor, i),
    'unit.update': (i, { actor }) => updateUnit(ctx, actor, i),
    'group.get': (i) => getGroup(ctx, i),
  } satisfies CoreHandlers;
}
