/**
 * The register's contract: search, the person list and card, identity-number checks, creating and
 * changing persons, and opening a protected person's whereabouts (`person.reveal`, with a reason).
 * Handlers: core/register/handlers.ts.
 */
import { z } from 'zod';
import { REVEAL_REASON_MAX, REVEAL_REASON_MIN } from '../domain/access';
import { CHANGE_MODES } from '../domain/register';
import { def, type MethodDef } from './def';
import { addressView, contactView, country, historyEntry, ID_KINDS, isoDate, PERSON_ROLES, PERSON_STATUSES, personCard, personFields, personHit, personPlace, personSummary, searchHit, SEXES, uuid, writeResult } from './schemas';

/** The orders the core can page the person list in (each backed by its own index: db/schema.ts person_list_*). */
export const PERSON_LIST_SORTS = ['name', 'identity', 'birthDate'] as const;
export type PersonListSort = (typeof PERSON_LIST_SORTS)[number];

export const registerMethods = {
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
    writes: false,
  }),
  /**
   * The persons this user opened last on this workstation (the search screen's start page), the last first,
   * at most 20: each checked again now (scope; a protected person only with protected.reveal for them).
   */
  'search.recent': def({
    input: z.object({ limit: z.number().int().min(1).max(20).default(20) }).strict(),
    output: z.object({ items: z.array(personHit) }),
    permission: 'register.read',
    errors: ['validation'],
    personal: true,
    writes: false,
  }),
  'person.list': def({
    input: z
      .object({
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100),
        role: z.enum(PERSON_ROLES).optional(),
        status: z.enum(PERSON_STATUSES).optional(),
        /** name: alphabetical (the municipality's alphabet); identity: the number (a reserve number after, none last); birthDate. */
        sort: z.enum(PERSON_LIST_SORTS).default('name'),
        /** desc is the exact reverse of asc. */
        dir: z.enum(['asc', 'desc']).default('asc'),
      })
      .strict(),
    output: z.object({
      /** Each with their place today (as search hits: null when none, or withheld for a protected person). */
      items: z.array(personSummary.extend({ place: personPlace.nullable() })),
      total: z.number().int(),
    }),
    permission: 'register.read',
    errors: ['validation'],
    personal: true,
    writes: false,
  }),
  'person.get': def({
    input: z.object({ id: uuid }).strict(),
    output: personCard,
    permission: 'register.read',
    errors: ['validation', 'not_found'],
    personal: true,
    writes: false,
  }),
  /**
   * A person's change history (the card's, one entry per user action, newest first): on a joined
   * workstation answered by the central server, so it holds every workstation's changes; when the server
   * cannot be reached, this workstation's own (`scope: 'workstation'`).
   */
  'person.history': def({
    input: z.object({ id: uuid }).strict(),
    output: z.object({ entries: z.array(historyEntry), scope: z.enum(['register', 'workstation']) }),
    permission: 'register.read',
    errors: ['validation', 'not_found', 'forbidden'],
    personal: true,
    writes: false,
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
    writes: false,
  }),
  'person.create': def({
    input: z.object(personFields).strict(),
    output: writeResult,
    permission: 'register.write',
    errors: ['validation', 'duplicate'],
    personal: true,
    writes: true,
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
        mode: z.enum(CHANGE_MODES).default('change'),
        effectiveFrom: isoDate.optional(),
        person: z.object(personFields).strict(),
        /**
         * Why a protection level is lowered or removed (required then, with protected.reveal for the person;
         * see shared/protection.ts for what counts as lowering). Written to the audit entry's reason.
         */
        protectionReason: z.string().trim().min(REVEAL_REASON_MIN, { message: 'reason_too_short' }).max(500, { message: 'too_long' }).optional(),
      })
      .strict(),
    output: writeResult,
    permission: 'register.write',
    errors: ['validation', 'not_found', 'conflict', 'duplicate', 'forbidden'],
    personal: true,
    writes: true,
  }),
  'person.reveal': def({
    input: z
      .object({
        id: uuid,
        reason: z.string().trim().min(REVEAL_REASON_MIN, { message: 'reason_too_short' }).max(REVEAL_REASON_MAX, { message: 'too_long' }),
      })
      .strict(),
    output: z.object({ addresses: z.array(addressView), contacts: z.array(contactView) }),
    permission: 'protected.reveal',
    errors: ['validation', 'not_found', 'forbidden'],
    personal: true,
    writes: false,
  }),

} as const satisfies Record<string, MethodDef>;
