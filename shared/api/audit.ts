/**
 * The audit log's contract (auditor): querying, exporting and verifying the hash chain.
 * Handlers: core/audit/handlers.ts.
 */
import { z } from 'zod';
import { AUDIT_ACTIONS } from '../domain/access';
import { def, type MethodDef } from './def';
import { empty, isoDate } from './schemas';

const auditFilter = {
  userId: z.string().max(64).optional(),
  /** A person id, or an identity number (any accepted format) that the core resolves to the person. */
  person: z.string().trim().max(40).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  action: z.enum(AUDIT_ACTIONS).optional(),
};
export const auditEntry = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorId: z.string(),
  actorName: z.string(),
  workstation: z.string(),
  method: z.string(),
  action: z.string(),
  outcome: z.string(),
  personIds: z.array(z.string()),
  details: z.record(z.string(), z.unknown()),
  reason: z.string().nullable(),
});

export const auditMethods = {
  'audit.query': def({
    input: z
      .object({ ...auditFilter, offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(100) })
      .strict(),
    output: z.object({
      items: z.array(auditEntry),
      total: z.number().int(),
      /** Names of the persons the listed entries concern, for display. */
      persons: z.record(z.string(), z.string()),
      users: z.array(z.object({ id: z.string(), name: z.string() })),
      /** Entries still waiting in the pending journal (another connection holds the write lock); absent when none. */
      pending: z.number().int().optional(),
    }),
    permission: 'audit.read',
    errors: ['validation'],
    personal: true,
    writes: false,
  }),
  'audit.export': def({
    input: z.object(auditFilter).strict(),
    output: z.object({ filename: z.string(), csv: z.string(), rows: z.number().int() }),
    permission: 'audit.read',
    errors: ['validation'],
    personal: true,
    writes: false,
  }),
  /**
   * A list shown on screen left Kansli: exported as CSV or printed by the data table. Logs who, which
   * list, how many rows and which persons, before the file or print is made (the rows were already read,
   * and logged, by the list's own method; this records that they left the screen).
   */
  'audit.exportShown': def({
    input: z
      .object({
        view: z.string().regex(/^[a-z][a-zA-Z0-9.-]{0,47}$/),
        format: z.enum(['csv', 'print']),
        rows: z.number().int().min(0).max(1_000_000),
        personIds: z.array(z.string().uuid()).max(50_000),
      })
      .strict(),
    output: z.object({ logged: z.literal(true) }),
    permission: 'session',
    errors: ['validation'],
    personal: true,
    writes: false,
  }),
  'audit.verify': def({
    input: empty,
    output: z.object({
      ok: z.boolean(),
      entries: z.number().int(),
      firstBroken: z.object({ seq: z.number().int(), problem: z.string() }).nullable(),
      /** The comparison with the anchors kept outside the database (core/audit/anchor.ts). */
      anchors: z.object({
        checked: z.number().int(),
        lastAnchoredSeq: z.number().int().nullable(),
        problem: z.object({ kind: z.enum(['truncation', 'wipe', 'rewrite', 'unreadable']), seq: z.number().int().nullable(), message: z.string() }).nullable(),
      }),
      /** Entries still waiting in the pending journal; absent when none. */
      pending: z.number().int().optional(),
    }),
    permission: 'audit.read',
    errors: [],
    personal: false,
    writes: false,
  }),
} as const satisfies Record<string, MethodDef>;
