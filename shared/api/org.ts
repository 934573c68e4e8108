/**
 * The organisation's contract: the tree of units and groups, a unit's and a group's card, creating and
 * changing units. Handlers: core/org/handlers.ts.
 */
import { z } from 'zod';
import { def, type MethodDef } from './def';
import { empty, groupCard, isoDate, orgTree, unitCard, unitInput, uuid, writeResult } from './schemas';

export const orgMethods = {
  'org.tree': def({
    input: empty,
    output: orgTree,
    permission: 'org.read',
    errors: [],
    personal: false,
    writes: false,
  }),
  'unit.get': def({
    input: z.object({ id: uuid, date: isoDate.optional() }).strict(),
    output: unitCard,
    permission: 'org.read',
    errors: ['validation', 'not_found'],
    personal: true, // lists staff
    writes: false,
  }),
  'unit.create': def({
    input: unitInput,
    output: writeResult,
    permission: 'org.write',
    errors: ['validation', 'duplicate'],
    personal: false,
    writes: true,
  }),
  'unit.update': def({
    input: z.object({ id: uuid, version: z.number().int().min(1), unit: unitInput }).strict(),
    output: writeResult,
    permission: 'org.write',
    errors: ['validation', 'duplicate', 'not_found', 'conflict'],
    personal: false,
    writes: true,
  }),
  'group.get': def({
    input: z.object({ id: uuid, date: isoDate.optional() }).strict(),
    output: groupCard,
    permission: 'org.read',
    errors: ['validation', 'not_found'],
    personal: true,
    writes: false,
  }),

} as const satisfies Record<string, MethodDef>;
