/**
 * The one typed contract between the UI and the core.
 * Every method names its input and output schema, the error codes it may return, and the permission it
 * requires. The core refuses a call whose permission the actor lacks (deny by default); the access
 * model (roles, unit scopes) fills in who holds which permission.
 */
import { z } from 'zod';
import type { ErrorCode } from './errors';
import { METHOD_NAMES as METHOD_NAMES_LIST } from './methods';
import {
  country,
  groupCard,
  ID_KINDS,
  isoDate,
  orgTree,
  PERSON_ROLES,
  PERSON_STATUSES,
  personCard,
  personFields,
  personSummary,
  searchHit,
  SEXES,
  unitCard,
  unitInput,
  uuid,
} from './schemas';

export const PERMISSIONS = [
  'session', // any signed-in user
  'register.search',
  'register.read',
  'register.write',
  'org.read',
  'org.write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export interface MethodDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  permission: Permission;
  errors: readonly ErrorCode[];
  /** Reads or writes personal data: recorded in the audit log. */
  personal: boolean;
}
const def = <I extends z.ZodType, O extends z.ZodType>(d: MethodDef<I, O>): MethodDef<I, O> => d;

const writeResult = z.object({ id: uuid, version: z.number().int() });
const empty = z.object({}).strict();

export const contract = {
  'session.info': def({
    input: empty,
    output: z.object({
      user: z.object({ id: z.string(), name: z.string() }),
      permissions: z.array(z.enum(PERMISSIONS)),
      municipality: z.object({ name: z.string(), country }).nullable(),
      today: isoDate,
      demo: z.boolean(),
    }),
    permission: 'session',
    errors: [],
    personal: false,
  }),
  'search.query': def({
    input: z
      .object({
        q: z.string().max(100, { message: 'too_long' }),
        limit: z.number().int().min(1).max(100).default(20),
        types: z.array(z.enum(['person', 'unit', 'group'])).optional(),
      })
      .strict(),
    output: z.object({ items: z.array(searchHit), more: z.boolean() }),
    permission: 'register.search',
    errors: ['validation'],
    personal: true,
  }),
  'person.list': def({
    input: z
      .object({
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100),
        role: z.enum(PERSON_ROLES).optional(),
        status: z.enum(PERSON_STATUSES).optional(),
      })
      .strict(),
    output: z.object({ items: z.array(personSummary), total: z.number().int() }),
    permission: 'register.read',
    errors: ['validation'],
    personal: true,
  }),
  'person.get': def({
    input: z.object({ id: uuid }).strict(),
    output: personCard,
    permission: 'register.read',
    errors: ['validation', 'not_found'],
    personal: true,
  }),
  'person.checkIdentity': def({
    input: z.object({ identityNumber: z.string().max(40), excludePersonId: uuid.optional() }).strict(),
    output: z.union([
      z.object({
        valid: z.literal(true),
        kind: z.enum(ID_KINDS),
        country,
        canonical: z.string(),
        display: z.string(),
        birthDate: z.string(),
        sex: z.enum(SEXES).nullable(),
        /** Another person already holds this number. */
        existingPersonId: uuid.nullable(),
      }),
      z.object({ valid: z.literal(false), code: z.string(), message: z.string() }),
    ]),
    permission: 'register.search',
    errors: ['validation'],
    personal: true,
  }),
  'person.create': def({
    input: z.object(personFields).strict(),
    output: writeResult,
    permission: 'register.write',
    errors: ['validation', 'duplicate'],
    personal: true,
  }),
  'person.update': def({
    input: z
      .object({
        id: uuid,
        /** The version the form was loaded with; a mismatch is a `conflict`, never a silent overwrite. */
        version: z.number().int().min(1),
        /**
         * `change`: names/addresses changed in reality from `effectiveFrom` (history kept as effective-dated rows).
         * `correction`: the current values were wrong; they are corrected in place (the change log keeps before/after).
         */
        mode: z.enum(['change', 'correction']).default('change'),
        effectiveFrom: isoDate.optional(),
        person: z.object(personFields).strict(),
      })
      .strict(),
    output: writeResult,
    permission: 'register.write',
    errors: ['validation', 'not_found', 'conflict', 'duplicate'],
    personal: true,
  }),
  'org.tree': def({
    input: empty,
    output: orgTree,
    permission: 'org.read',
    errors: [],
    personal: false,
  }),
  'unit.get': def({
    input: z.object({ id: uuid, date: isoDate.optional() }).strict(),
    output: unitCard,
    permission: 'org.read',
    errors: ['validation', 'not_found'],
    personal: true, // lists staff
  }),
  'unit.create': def({
    input: unitInput,
    output: writeResult,
    permission: 'org.write',
    errors: ['validation', 'duplicate'],
    personal: false,
  }),
  'unit.update': def({
    input: z.object({ id: uuid, version: z.number().int().min(1), unit: unitInput }).strict(),
    output: writeResult,
    permission: 'org.write',
    errors: ['validation', 'duplicate', 'not_found', 'conflict'],
    personal: false,
  }),
  'group.get': def({
    input: z.object({ id: uuid, date: isoDate.optional() }).strict(),
    output: groupCard,
    permission: 'org.read',
    errors: ['validation', 'not_found'],
    personal: true,
  }),
} as const satisfies Record<string, MethodDef>;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type MethodParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;
export { METHOD_NAMES } from './methods';
// Compile-time proof that methods.ts lists exactly the contract's methods, no more and no fewer.
type ListedName = (typeof METHOD_NAMES_LIST)[number];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _methodListMatches: Same<ListedName, MethodName> = true;
void _methodListMatches;
export const isMethodName = (m: unknown): m is MethodName =>
  typeof m === 'string' && Object.prototype.hasOwnProperty.call(contract, m);
