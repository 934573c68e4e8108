/**
 * The guardians domain's contract: guardianships (custody, lives-with, invoice share, shielding),
 * households, and the care card that shows a person's links, places and applications.
 * Handlers: core/guardians/handlers.ts.
 */
import { z } from 'zod';
import { CARE_LIMITS, GUARDIANSHIP_KINDS, HOUSEHOLD_ROLES } from '../domain/care';
import { CHANGE_MODES } from '../domain/register';
import { def, type MethodDef } from './def';
import { careCard, guardianshipFields, invoiceShare, version } from './care';
import { isoDate, uuid, writeResult } from './schemas';

export const guardiansMethods = {
  'guardianship.create': def({
    input: z
      .object({ childId: uuid, guardianId: uuid, ...guardianshipFields, validFrom: isoDate, validTo: isoDate.nullish().transform((v) => v ?? null) })
      .strict(),
    output: writeResult,
    permission: 'register.write',
    errors: ['validation', 'rule_violation', 'not_found', 'forbidden'],
    personal: true,
    writes: true,
  }),
  /**
   * `change` ends the current row the day before `effectiveFrom` and starts a new one with the new facts
   * (history kept); `correction` edits the row in place (a typing error), logged as a correction.
   */
  'guardianship.update': def({
    input: z
      .object({
        id: uuid,
        version,
        mode: z.enum(CHANGE_MODES),
        effectiveFrom: isoDate.optional(),
        kind: z.enum(GUARDIANSHIP_KINDS).optional(),
        livesWith: z.boolean().optional(),
        invoiceShare: invoiceShare.optional(),
        shielded: z.boolean().optional(),
        validFrom: isoDate.optional(),
        validTo: isoDate.nullable().optional(),
      })
      .strict(),
    output: writeResult,
    permission: 'register.write',
    errors: ['validation', 'rule_violation', 'not_found', 'conflict', 'forbidden'],
    personal: true,
    writes: true,
  }),
  'household.create': def({
    input: z
      .object({
        validFrom: isoDate,
        members: z
          .array(z.object({ personId: uuid, role: z.enum(HOUSEHOLD_ROLES), shared: z.boolean().default(false) }).strict())
          .min(1)
          .max(CARE_LIMITS.householdMembers),
      })
      .strict(),
    output: writeResult,
    permission: 'register.write',
    errors: ['validation', 'rule_violation', 'not_found', 'forbidden'],
    personal: true,
    writes: true,
  }),
  'household.addMember': def({
    input: z
      .object({
        householdId: uuid,
        personId: uuid,
        role: z.enum(HOUSEHOLD_ROLES),
        shared: z.boolean().default(false),
        validFrom: isoDate,
        validTo: isoDate.nullish().transform((v) => v ?? null),
      })
      .strict(),
    output: writeResult,
    permission: 'register.write',
    errors: ['validation', 'rule_violation', 'not_found', 'forbidden'],
    personal: true,
    writes: true,
  }),
  /** Ends a membership (moving out) or corrects its dates. */
  'household.endMember': def({
    input: z.object({ id: uuid, version, validTo: isoDate }).strict(),
    output: writeResult,
    permission: 'register.write',
    errors: ['validation', 'rule_violation', 'not_found', 'conflict', 'forbidden'],
    personal: true,
    writes: true,
  }),
  /** The care part of a person's card (guardians, households, placements, enrolments, applications). */
  'care.card': def({
    input: z.object({ personId: uuid, date: isoDate.optional() }).strict(),
    output: careCard,
    permission: 'register.read',
    errors: ['validation', 'not_found', 'forbidden'],
    personal: true,
    writes: false,
  }),
} as const satisfies Record<string, MethodDef>;
